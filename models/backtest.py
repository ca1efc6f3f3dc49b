"""Rolling-origin backtest of the footfall model against three seasonal baselines.

* **Origins**: ``origins`` of them per site, spaced ``horizon`` hours apart so the test
  windows ``[o, o + horizon)`` do not overlap; the latest window ends with the site's last
  hour (latest origin last). With ``refit`` the model is refitted at every origin on data
  before it; without, it is fitted once at the first origin.
* **Baselines**: ``seasonal_naive_24`` forecasts ``y(t − 24·⌈h/24⌉)`` and
  ``seasonal_naive_168`` forecasts ``y(t − 168·⌈h/168⌉)`` for lead ``h`` (UTC hours) — for
  ``horizon ≤ 24`` simply "same hour yesterday" and "same hour last week";
  ``seasonal_mean_4w`` is the mean of the same local hour and weekday over the last four
  weeks observed before the origin (:meth:`models.features.SiteGrid.seasonal_mean`). Each
  has an 80 % interval from the same conformal calibration as the model (symmetric on the
  log scale, per lead band).
* **Selected**: the method (model or a baseline) with the lowest error on the fit's own
  calibration rows — data before the origin — scored like the others: what choosing
  between model and baselines without looking at the test window achieves.
* **Verdict** per site (:func:`verdict`): does the model's MASE beat the best baseline's?
  The method to show for that site is the model where it does, else that baseline.
* **Scoring**: an hour counts when its actual is observed (NaN = gap is excluded, never
  read as zero; an all-zero local day is a sensor outage, see :mod:`models.features`) and
  every baseline has a value, so all methods are scored on the same hours.
* **MASE**: each absolute error is divided by the scale of its origin's training data —
  the mean absolute lag-24 h difference ``|y_t − y_{t−24}|`` of the site's counts before
  the origin — and averaged over the scored hours. ``mae`` is the mean absolute error of
  the P50 (counts per hour); ``coverage_80`` the share of actuals within [P10, P90],
  overall and per lead band (``coverage_80_by_lead``).
* **Overall**: MASE is the mean of the per-site MASEs (every site weighs the same, whatever
  its level); MAE and coverage are pooled over all scored hours of all sites.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from models import features as feat
from models.footfall_model import (
    BASELINES,
    LEAD_BANDS,
    ForecastConfig,
    ForecastError,
    add_fits,
    calendar_for,
    fit_count,
    fit_site,
    lead_band,
    predict_site,
    sites_of,
)

METHODS = ("model", *BASELINES)


def mae(actual: Any, pred: Any) -> float:
    """Mean absolute error over pairs where both are present (NaN if none)."""
    a, p = np.asarray(actual, dtype=float), np.asarray(pred, dtype=float)
    ok = ~np.isnan(a) & ~np.isnan(p)
    return float(np.mean(np.abs(a[ok] - p[ok]))) if ok.any() else float("nan")


def naive_scale(values: Any, period: int = 24) -> float:
    """Mean ``|y_t − y_{t−period}|`` of an hourly series (pairs with a gap are skipped)."""
    y = np.asarray(values, dtype=float)
    if len(y) <= period:
        return float("nan")
    diff = np.abs(y[period:] - y[:-period])
    diff = diff[~np.isnan(diff)]
    return float(diff.mean()) if len(diff) else float("nan")


def mase(actual: Any, pred: Any, scale: Any) -> float:
    """Mean of ``|actual − pred| / scale`` over rows where all three are present."""
    a, p = np.asarray(actual, dtype=float), np.asarray(pred, dtype=float)
    s = np.broadcast_to(np.asarray(scale, dtype=float), a.shape)
    ok = ~np.isnan(a) & ~np.isnan(p) & ~np.isnan(s) & (s > 0)
    return float(np.mean(np.abs(a[ok] - p[ok]) / s[ok])) if ok.any() else float("nan")


def coverage(actual: Any, lower: Any, upper: Any) -> float:
    """Share of present actuals with ``lower ≤ actual ≤ upper``."""
    a = np.asarray(actual, dtype=float)
    lo, hi = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    ok = ~np.isnan(a) & ~np.isnan(lo) & ~np.isnan(hi)
    if not ok.any():
        return float("nan")
    return float(np.mean((a[ok] >= lo[ok]) & (a[ok] <= hi[ok])))


def seasonal_naive(
    y: pd.Series, origin: pd.Timestamp, targets: pd.DatetimeIndex, period: int
) -> np.ndarray:
    """Seasonal naive forecasts from data before ``origin``: ``y(t − period·⌈h/period⌉)``."""
    lead = ((targets - origin) // pd.Timedelta(hours=1)).to_numpy() + 1
    source = targets - pd.to_timedelta(period * np.ceil(lead / period), unit="h")
    known = y[y.index < origin]
    return known.reindex(source).to_numpy(dtype=float)


def backtest_origins(last: pd.Timestamp, horizon: int, origins: int) -> list[pd.Timestamp]:
    """Origins (oldest first) whose ``horizon``-hour windows tile up to ``last`` inclusive."""
    end = last + pd.Timedelta(hours=1)
    return [end - pd.Timedelta(hours=horizon * k) for k in range(origins, 0, -1)]


def _none(x: float) -> float | None:
    return None if x is None or np.isnan(x) else round(float(x), 4)


def _band_label(k: int) -> str:
    a, b = LEAD_BANDS[k]
    return f"{a}-{b}"


def score(rows: pd.DataFrame) -> dict[str, Any]:
    """Per-method MASE, MAE and 80 % coverage (overall and per lead band) of scored
    backtest rows; ``selected`` is the method chosen per origin from validation data."""
    out: dict[str, Any] = {}
    bands = lead_band(rows["lead"].to_numpy())
    for method in (*METHODS, "selected"):
        pre = "" if method == "model" else f"{method}_"
        p50 = rows["p50"] if method == "model" else rows[method]
        lo, hi = rows[f"{pre}p10"], rows[f"{pre}p90"]
        per_band = {}
        for k in range(len(LEAD_BANDS)):
            sel = bands == k
            if sel.any():
                per_band[_band_label(k)] = _none(coverage(rows["actual"][sel], lo[sel], hi[sel]))
        out[method] = {
            "mase": _none(mase(rows["actual"], p50, rows["scale"])),
            "mae": _none(mae(rows["actual"], p50)),
            "coverage_80": _none(coverage(rows["actual"], lo, hi)),
            "coverage_80_by_lead": per_band,
        }
    return out


def verdict(scores: dict[str, Any]) -> dict[str, Any]:
    """Does the model beat the best baseline (lowest MASE)? The method to show: the model
    where it does, else that baseline."""
    model = scores["model"]["mase"]
    base = {b: scores[b]["mase"] for b in BASELINES if scores[b]["mase"] is not None}
    best = min(base, key=lambda b: base[b]) if base else None
    beats = model is not None and (best is None or model < base[best])
    gain = (
        round(1.0 - model / base[best], 4)
        if model is not None and best is not None and base[best] > 0
        else None
    )
    return {
        "best_baseline": best,
        "best_baseline_mase": base.get(best) if best else None,
        "model_beats_best_baseline": bool(beats),
        "improvement": gain,  # 1 − MASE(model) / MASE(best baseline)
        "shown": "model" if beats or best is None else best,
    }


@dataclass
class BacktestResult:
    overall: dict[str, Any]
    sites: dict[str, dict[str, Any]]
    predictions: pd.DataFrame
    config: ForecastConfig
    horizon: int
    origins: int
    fit_seconds: dict[str, float] = field(default_factory=dict)  # mean per fit, per site
    models: dict[str, dict[str, Any]] = field(default_factory=dict)  # last origin's model
    skipped: dict[str, str] = field(default_factory=dict)  # site → why it has no backtest

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall,
            "sites": self.sites,
            "skipped": self.skipped,
            "horizon": self.horizon,
            "origins": self.origins,
            "fit_seconds_per_site": {s: round(v, 3) for s, v in self.fit_seconds.items()},
        }


def _site_backtest(
    counts: pd.DataFrame,
    site: str,
    cfg: ForecastConfig,
    horizon: int,
    origins: int,
    parallel: bool,
    refit: bool = True,
    skip_short: bool = False,
) -> tuple[pd.DataFrame | None, dict[str, Any], float, int]:
    """One site's backtest rows, model info, mean fit seconds and (in a worker) fits made;
    with ``skip_short`` a site too short for the windows gives ``None`` rows and its reason
    as ``{"error": …}``."""
    fits_before = fit_count()
    try:
        return _site_rows(counts, site, cfg, horizon, origins, parallel, refit, fits_before)
    except ForecastError as err:
        if not skip_short:
            raise
        return None, {"error": str(err)}, 0.0, (fit_count() - fits_before) if parallel else 0


def _site_rows(
    counts: pd.DataFrame,
    site: str,
    cfg: ForecastConfig,
    horizon: int,
    origins: int,
    parallel: bool,
    refit: bool,
    fits_before: int,
) -> tuple[pd.DataFrame | None, dict[str, Any], float, int]:
    series = feat.site_series(counts, site, cfg.calendar.timezone)
    last = series.index[series["y"].notna()].max()
    starts = backtest_origins(last, horizon, origins)
    calendar = calendar_for(series, last + pd.Timedelta(hours=1), cfg.calendar)
    grid = feat.SiteGrid(series, calendar)
    site_rows, seconds = [], []
    info: dict[str, Any] = {}
    model = None
    for origin in starts:
        targets = pd.date_range(origin, periods=horizon, freq="h", tz="UTC")
        if model is None or refit:
            started = time.perf_counter()
            model = fit_site(series, calendar, origin, cfg, site, grid=grid)
            seconds.append(time.perf_counter() - started)
        pred = predict_site(model, series, calendar, targets, grid=grid, origin=origin)
        before = series["y"][series.index < origin]
        pred["site_id"] = site
        pred["origin"] = origin
        pred["actual"] = series["y"].reindex(targets).to_numpy(dtype=float)
        pred["scale"] = naive_scale(before.to_numpy(), 24)
        chosen = model.validation_choice()
        pred["selected_method"] = chosen
        for col, src in (("selected", "p50" if chosen == "model" else chosen),):
            pred[col] = pred[src]
        pre = "" if chosen == "model" else f"{chosen}_"
        pred["selected_p10"] = pred[f"{pre}p10"]
        pred["selected_p90"] = pred[f"{pre}p90"]
        site_rows.append(pred)
        info = model.info()
    rows = pd.concat(site_rows, ignore_index=True)
    rows["scored"] = rows[["actual", *BASELINES, "scale"]].notna().all(axis=1)
    return rows, info, float(np.mean(seconds)), (fit_count() - fits_before) if parallel else 0


def backtest(
    counts: pd.DataFrame,
    horizon: int = 24,
    origins: int = 8,
    config: ForecastConfig | None = None,
    n_jobs: int = 1,
    progress: Callable[[str], None] | None = None,
    refit: bool = True,
    skip_short: bool = False,
) -> BacktestResult:
    """Rolling-origin backtest of every site; see the module docstring for the rules.

    ``skip_short``: a site whose record is too short for the windows (or has no observed
    hour in them) is left out and listed in :attr:`BacktestResult.skipped` with its reason,
    instead of stopping the backtest of every site; only when every site is left out is
    that an error.

    ``n_jobs`` > 1 fits sites in that many worker processes (joblib); results are the same.
    ``progress``, if given, is called with each site's id once that site is done (in worker
    processes: in site order, as their results arrive). ``refit``: refit the model at every
    origin (as an operated forecast refits on new data); else fit once, at the first origin,
    and forecast every later window from features of the data before its own origin.
    """
    if origins < 1:
        raise ForecastError(f"origins must be ≥ 1, not {origins}")
    base = config or ForecastConfig()
    cfg = replace(base, horizon=horizon)
    site_ids = sites_of(counts)
    parallel = n_jobs > 1 and len(site_ids) > 1
    jobs = [
        (
            counts[counts["site_id"] == site] if parallel else counts,
            site,
            cfg,
            horizon,
            origins,
            parallel,
            refit,
            skip_short,
        )
        for site in site_ids
    ]
    if parallel:
        from joblib import Parallel, delayed

        results = []
        runner = Parallel(n_jobs=n_jobs, return_as="generator")
        for site, out in zip(
            site_ids, runner(delayed(_site_backtest)(*job) for job in jobs), strict=True
        ):
            results.append(out)  # in order, as each site is done
            if progress is not None:
                progress(site)
        add_fits(sum(r[3] for r in results))
    else:
        results = []
        for site, job in zip(site_ids, jobs, strict=True):
            results.append(_site_backtest(*job))
            if progress is not None:
                progress(site)
    parts: list[pd.DataFrame] = []
    sites: dict[str, dict[str, Any]] = {}
    fit_seconds: dict[str, float] = {}
    models: dict[str, dict[str, Any]] = {}
    skipped: dict[str, str] = {}
    for site, (rows, info, seconds, _) in zip(site_ids, results, strict=True):
        if rows is None:
            skipped[site] = str(info["error"])
            continue
        scored = rows[rows["scored"]]
        if scored.empty:
            if skip_short:
                skipped[site] = f"site {site}: no observed hours in the test windows"
                continue
            raise ForecastError(f"site {site}: no observed hours in the test windows")
        parts.append(rows)
        models[site] = info
        site_scores = score(scored)
        sites[site] = {**site_scores, **verdict(site_scores), "n_scored": len(scored)}
        fit_seconds[site] = seconds
    if not parts:  # every site left out: say why (the first site's reason)
        raise ForecastError(next(iter(skipped.values())))
    predictions = pd.concat(parts, ignore_index=True)
    pooled = score(predictions[predictions["scored"]])
    overall: dict[str, Any] = {}
    for method in (*METHODS, "selected"):
        site_mase = [sites[s][method]["mase"] for s in sites]
        site_mase = [m for m in site_mase if m is not None]
        overall[method] = {
            **pooled[method],
            "mase": _none(float(np.mean(site_mase))) if site_mase else None,
        }
    overall.update(verdict(overall))
    overall["sites_model_beats_best_baseline"] = sum(
        bool(s["model_beats_best_baseline"]) for s in sites.values()
    )
    overall["n_sites"] = len(sites)
    overall["n_scored"] = int(predictions["scored"].sum())
    return BacktestResult(
        overall=overall,
        sites=sites,
        predictions=predictions,
        config=cfg,
        horizon=horizon,
        origins=origins,
        fit_seconds=fit_seconds,
        models=models,
        skipped=skipped,
    )
