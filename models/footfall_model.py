"""The per-site footfall model: P10/P50/P90 hourly counts, fitted at an origin.

The model (per site, fitted at an origin ``o`` = the first hour not yet observed):

* features from :mod:`models.features` (a :class:`~models.features.SiteGrid`, vectorised) —
  local calendar (hour, weekday, day type, public and school holidays, lecture time, events,
  24/31 Dec), the day-type × hour profile of the 28 days before the origin's day, the recent
  week's profile, the 4-week seasonal mean of the same local hour and weekday, recent
  anomalies (last 24 h and 7 days against the profile), lagged anomalies at the same UTC
  hour of the last observed day and of the last three observed weeks (direct strategy:
  every lag is ≥ the lead), and weather when the data has it;
* the target is ``log1p(count)`` minus a base ``profile + φ·anomaly_24h`` (``φ`` fitted by
  least squares, clipped to [0, 1], so a recent collapse or surge carries over even beyond
  what the trees saw); three :class:`~sklearn.ensemble.HistGradientBoostingRegressor` with
  ``loss="quantile"`` (0.1, 0.5, 0.9) in a scikit-learn :class:`~sklearn.pipeline.Pipeline`
  model the rest;
* training rows come from **every** daily pseudo-origin of the history before ``o`` (each
  with the horizon's leads, targets before ``o`` only), subsampled (seeded) to at most
  ``max_train_rows`` so a fit stays around a second or two whatever the history's length;
* the latest quarter of the pseudo-origins (at most 8 weeks) is held out to calibrate the
  80 % interval by split-conformal quantile regression (CQR, Romano et al. 2019) on the log
  scale, **per lead band** (:data:`LEAD_BANDS`: 1–24, 25–72, 73–168, 169–336 h; a band with
  fewer than :data:`MIN_BAND_ROWS` calibration rows takes the margin of all of them), so
  a week-ahead interval is as honest as a day-ahead one. The same rows give the three
  baselines their own symmetric margins and a validation error for model and baselines
  (:meth:`SiteModel.validation_choice`). By default the model fitted before the held-out
  rows is the model used (the margins hold for exactly it; ``refit_after_calibration``
  fits again on all rows at twice the cost — measured no better on the demo and on real
  hystreet counts). Nothing after ``o`` is used.

Data needs: a (pseudo-)origin needs 7 days of history, and at least 7 pseudo-origins are
required, so a forecast needs **14 days of counts before its origin** (21+ recommended).

Weather: ``weather="auto"`` uses ``"persistence"`` (temperature and rain flag at the
lag-day hour, known at the origin) when the counts carry a ``temperature`` column, else
none. ``"observed"`` (weather at the target hour, i.e. a perfect weather forecast) exists for
experiments and is optimistic.

:func:`fit_site` and :func:`predict_site` are what both the forecasts
(:mod:`models.footfall`) and the backtest (:mod:`models.backtest`) are built from;
:func:`fit_count` counts real fits so tests can check that a cache hit never refits.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from data.calendar import CityCalendar
from models import features as feat

QUANTILES = (0.1, 0.5, 0.9)
# the baselines every backtest shows beside the model (see models.features.SiteGrid)
BASELINES = ("seasonal_naive_24", "seasonal_naive_168", "seasonal_mean_4w")
# lead bands (hours ahead, inclusive) whose 80 % intervals are calibrated separately
LEAD_BANDS = ((1, 24), (25, 72), (73, 168), (169, 336))
MIN_BAND_ROWS = 30
MIN_FEATURE_SHARE = 0.5  # a feature must have a value in at least this share of the rows
# features added to the profile base with least-squares weights before the trees model the
# rest: the recent anomaly (a collapse or surge carries over beyond what the trees saw)
OFFSETS = ("anom_24",)
MIN_TRAIN_ORIGINS = 7
MIN_DAYS_BEFORE_ORIGIN = feat.MIN_HISTORY_DAYS + MIN_TRAIN_ORIGINS  # 14
_STATS = {"fits": 0}


class ForecastError(ValueError):
    """The counts cannot be forecast (too little data, unknown site, bad parameters)."""


def fit_count() -> int:
    """How many site models have been fitted in this process (for cache tests)."""
    return _STATS["fits"]


def add_fits(n: int) -> None:
    """Count fits made in worker processes (see :func:`models.backtest.backtest`)."""
    _STATS["fits"] += n


@dataclass(frozen=True)
class ForecastConfig:
    """Model parameters; part of the cache key."""

    horizon: int = 24  # hours forecast from each origin (24 … 336)
    weather: str = "auto"  # auto | none | persistence | observed
    # the city's time zone, public holidays and calendar ranges (the pack's; default: the
    # documented defaults of data.calendar)
    calendar: CityCalendar = field(default_factory=CityCalendar)
    max_iter: int = 80
    learning_rate: float = 0.08
    max_leaf_nodes: int = 15
    min_samples_leaf: int = 10
    max_bins: int = 255
    # fit again on every row after calibrating (twice the cost); by default the calibration
    # fit is the model: its conformal margins then hold for exactly that model
    refit_after_calibration: bool = False
    max_train_origins: int | None = None  # None: every daily pseudo-origin of the history
    max_train_rows: int = 12_000  # rows subsampled (seeded) beyond this, to bound fit time
    calibration_share: float = 0.25
    max_calibration_origins: int = 56  # the latest ≤ 8 weeks of pseudo-origins calibrate
    max_calibration_rows: int = 4_000
    seed: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.horizon <= 14 * 24:
            raise ForecastError(f"horizon must be 1 … 336 hours, not {self.horizon}")
        if self.weather not in ("auto", "none", "persistence", "observed"):
            raise ForecastError(f"unknown weather mode {self.weather!r}")


@dataclass
class SiteModel:
    """A fitted site model and what it was fitted on."""

    site: str
    origin: pd.Timestamp
    config: ForecastConfig
    weather: str
    features: list[str]
    phi: tuple[float, ...]  # weights of OFFSETS in the base
    # conformal margins on the log scale per lead band (LEAD_BANDS), added to P90 and taken
    # from P10; the baselines' symmetric margins from the same calibration rows
    margins: list[float]
    baseline_margins: dict[str, list[float]]
    # mean absolute error (counts/h) on the calibration rows, model and baselines: data
    # before the origin only, so a choice made from it is honest for the window after it
    validation: dict[str, float]
    pipelines: dict[float, Any] = field(repr=False)
    train_start: pd.Timestamp
    train_end: pd.Timestamp
    n_origins: int
    n_rows: int
    n_calibration: int
    fit_seconds: float

    def validation_choice(self) -> str:
        """The method with the lowest validation MAE (``model`` when there is none)."""
        scored = {k: v for k, v in self.validation.items() if v == v}
        return min(scored, key=lambda k: (scored[k], k != "model")) if scored else "model"

    def info(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "origin": self.origin.isoformat(),
            "training_window": [self.train_start.isoformat(), self.train_end.isoformat()],
            "weather": self.weather,
            "features": self.features,
            "offset_weights": {n: round(w, 4) for n, w in zip(OFFSETS, self.phi, strict=True)},
            "conformal_margins_log": {
                f"{a}-{b}": round(m, 4) for (a, b), m in zip(LEAD_BANDS, self.margins, strict=True)
            },
            "validation_mae": {k: round(v, 2) for k, v in self.validation.items() if v == v},
            "validation_choice": self.validation_choice(),
            "training_origins": self.n_origins,
            "training_rows": self.n_rows,
            "calibration_rows": self.n_calibration,
            "fit_seconds": round(self.fit_seconds, 3),
        }


def _pipeline(config: ForecastConfig, quantile: float, names: list[str]) -> Any:
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer

    def select(frame: pd.DataFrame) -> np.ndarray:
        return frame[names].to_numpy(dtype=float)

    return Pipeline(
        [
            ("features", FunctionTransformer(select)),
            (
                "gbm",
                HistGradientBoostingRegressor(
                    loss="quantile",
                    quantile=quantile,
                    max_iter=config.max_iter,
                    learning_rate=config.learning_rate,
                    max_leaf_nodes=config.max_leaf_nodes,
                    min_samples_leaf=config.min_samples_leaf,
                    max_bins=config.max_bins,
                    early_stopping=False,
                    random_state=config.seed,
                ),
            ),
        ]
    )


def _weather_mode(config: ForecastConfig, series: pd.DataFrame) -> str:
    if config.weather == "auto":
        return "persistence" if feat.has_weather(series) else "none"
    if config.weather != "none" and not feat.has_weather(series):
        return "none"
    return config.weather


def _offset_matrix(rows: pd.DataFrame, names: tuple[str, ...]) -> np.ndarray:
    return np.nan_to_num(rows[list(names)].to_numpy(dtype=float))


def _phi(rows: pd.DataFrame, names: tuple[str, ...]) -> tuple[float, ...]:
    """Least-squares weights of the offset features in ``z`` (each clipped to [0, 1])."""
    x = _offset_matrix(rows, names)
    z = rows["z"].to_numpy(dtype=float)
    if len(z) == 0 or float(np.sum(x * x)) <= 1e-9:
        return tuple(0.0 for _ in names)
    coef, *_ = np.linalg.lstsq(x, z, rcond=None)
    return tuple(float(np.clip(c, 0.0, 1.0)) for c in coef)


def used_features(rows: pd.DataFrame, names: list[str]) -> list[str]:
    """The features with a value in at least :data:`MIN_FEATURE_SHARE` of ``rows``."""
    return [n for n in names if rows[n].notna().mean() >= MIN_FEATURE_SHARE]


def _fit_quantiles(
    rows: pd.DataFrame, config: ForecastConfig, names: list[str], phi: tuple[float, ...]
) -> dict[float, Any]:
    from threadpoolctl import threadpool_limits

    target = rows["z"].to_numpy() - _offset_matrix(rows, OFFSETS) @ np.asarray(phi)
    # a feature missing in most of these rows (a short record has no two or three weeks
    # back yet) is left out: with few rows it adds noise, not signal
    names = used_features(rows, names)
    fitted = {}
    # a few hundred rows: OpenMP threads cost more than they save (and the app is busy)
    with threadpool_limits(limits=1, user_api="openmp"):
        for q in QUANTILES:
            pipe = _pipeline(config, q, names)
            pipe.fit(rows, target)
            fitted[q] = pipe
    return fitted


def _predict_log(
    model_pipes: dict[float, Any], rows: pd.DataFrame, phi: tuple[float, ...]
) -> np.ndarray:
    offset = rows["base"].to_numpy() + _offset_matrix(rows, OFFSETS) @ np.asarray(phi)
    return np.column_stack([model_pipes[q].predict(rows) + offset for q in QUANTILES])


def lead_band(lead: np.ndarray) -> np.ndarray:
    """The index into :data:`LEAD_BANDS` of each lead (hours ahead, 1-based)."""
    lead = np.asarray(lead)
    out = np.full(lead.shape, len(LEAD_BANDS) - 1, dtype=np.int64)
    for k in range(len(LEAD_BANDS) - 1, -1, -1):
        out[lead <= LEAD_BANDS[k][1]] = k
    return out


def _band_margins(scores: np.ndarray, lead: np.ndarray) -> list[float]:
    """Split-conformal margins at 80 % per lead band; a band with fewer than
    :data:`MIN_BAND_ROWS` calibration rows takes the margin of all rows."""
    ok = ~np.isnan(scores)
    scores, lead = scores[ok], lead[ok]

    def conformal(s: np.ndarray) -> float:
        n = len(s)
        level = min(1.0, np.ceil((n + 1) * 0.8) / n)
        return float(np.quantile(s, level))

    pooled = conformal(scores) if len(scores) >= 24 else 0.0
    bands = lead_band(lead)
    return [
        conformal(scores[bands == k]) if (bands == k).sum() >= MIN_BAND_ROWS else pooled
        for k in range(len(LEAD_BANDS))
    ]


def _subsample(rows: pd.DataFrame, limit: int, seed: int) -> pd.DataFrame:
    if len(rows) <= limit:
        return rows
    keep = np.random.default_rng(seed).choice(len(rows), size=limit, replace=False)
    return rows.iloc[np.sort(keep)]


def _mae(a: np.ndarray, p: np.ndarray) -> float:
    ok = ~np.isnan(a) & ~np.isnan(p)
    return float(np.mean(np.abs(a[ok] - p[ok]))) if ok.any() else float("nan")


def fit_site(
    series: pd.DataFrame,
    calendar: pd.DataFrame,
    origin: pd.Timestamp,
    config: ForecastConfig,
    site: str = "",
    grid: feat.SiteGrid | None = None,
) -> SiteModel:
    """Fit one site's quantile models at ``origin`` from ``series`` before it.

    ``grid`` (a :class:`models.features.SiteGrid` of ``series`` on ``calendar``) may be
    passed to share it between origins; every feature it gives uses data before ``origin``.
    """
    started = time.perf_counter()
    grid = grid if grid is not None else feat.SiteGrid(series, calendar)
    o = int(grid.index.get_indexer(pd.DatetimeIndex([origin]))[0])
    observed = np.flatnonzero(~np.isnan(grid.y[:o])) if o >= 0 else np.array([], dtype=int)
    if len(observed) == 0:
        raise ForecastError(f"site {site}: no counts before {origin:%Y-%m-%d %H:%M}Z")
    first = int(observed[0])
    weather = _weather_mode(config, series.loc[series.index < origin])
    names = feat.feature_names(weather)
    pseudo = []
    k = 1
    while True:
        o_k = o - 24 * k
        if o_k - 24 * feat.MIN_HISTORY_DAYS < first or o_k < 0:
            break
        pseudo.append(o_k)
        if config.max_train_origins and len(pseudo) >= config.max_train_origins:
            break
        k += 1
    if len(pseudo) < MIN_TRAIN_ORIGINS:
        days = (origin - grid.index[first]) / pd.Timedelta(days=1)
        raise ForecastError(
            f"site {site}: too little data — {days:.1f} days of counts before "
            f"{origin:%Y-%m-%d %H:%M}Z, at least {MIN_DAYS_BEFORE_ORIGIN} needed"
        )
    pseudo.reverse()
    origins_arr = np.concatenate(
        [np.full(min(config.horizon, o - p), p, dtype=np.int64) for p in pseudo]
    )
    targets_arr = np.concatenate(
        [np.arange(p, min(p + config.horizon, o), dtype=np.int64) for p in pseudo]
    )
    train = grid.features(origins_arr, targets_arr, weather)
    train["_origin"] = origins_arr
    train["_target"] = targets_arr
    train = train[train["y"].notna()]
    if len(train) < 24 * MIN_TRAIN_ORIGINS // 2:
        raise ForecastError(f"site {site}: too few observed hours to train ({len(train)})")
    train["z"] = np.log1p(train["y"].to_numpy()) - train["base"].to_numpy()
    n_cal = min(config.max_calibration_origins, round(len(pseudo) * config.calibration_share))
    n_cal = max(2, n_cal)
    cal_start = pseudo[-n_cal]
    # calibration rows, subsampled (seeded): predicting them costs as much as a fit
    cal = _subsample(train[train["_origin"] >= cal_start], config.max_calibration_rows, config.seed)
    fit_part = train[(train["_origin"] < cal_start) & (train["_target"] < cal_start)]
    margins = [0.0] * len(LEAD_BANDS)
    baseline_margins = {b: [0.0] * len(LEAD_BANDS) for b in BASELINES}
    validation: dict[str, float] = {}
    pipes0 = None
    if len(fit_part) >= 48 and len(cal) >= 24:
        fit_rows = _subsample(fit_part, config.max_train_rows, config.seed)
        phi0 = _phi(fit_rows, OFFSETS)
        pipes0 = _fit_quantiles(fit_rows, config, names, phi0)
        pred = _predict_log(pipes0, cal, phi0)
        y_log = np.log1p(cal["y"].to_numpy())
        lead = cal["lead"].to_numpy()
        scores = np.maximum(pred[:, 0] - y_log, y_log - pred[:, 2])
        margins = _band_margins(scores, lead)
        actual = cal["y"].to_numpy()
        all_base = np.ones(len(cal), dtype=bool)
        for b in BASELINES:
            values = cal[b].to_numpy(dtype=float)
            all_base &= ~np.isnan(values)
            baseline_margins[b] = _band_margins(np.abs(y_log - np.log1p(values)), lead)
        p50 = np.clip(np.expm1(np.sort(pred, axis=1)[:, 1]), 0.0, None)
        validation["model"] = _mae(actual[all_base], p50[all_base])
        for b in BASELINES:
            validation[b] = _mae(actual[all_base], cal[b].to_numpy(dtype=float)[all_base])
    if pipes0 is not None and not config.refit_after_calibration:
        train_rows, phi, pipes = fit_rows, phi0, pipes0
    else:
        train_rows = _subsample(train, config.max_train_rows, config.seed + 1)
        phi = _phi(train_rows, OFFSETS)
        pipes = _fit_quantiles(train_rows, config, names, phi)
    _STATS["fits"] += 1
    return SiteModel(
        site=site,
        origin=origin,
        config=config,
        weather=weather,
        features=used_features(train_rows, names),
        phi=phi,
        margins=margins,
        baseline_margins=baseline_margins,
        validation=validation,
        pipelines=pipes,
        train_start=grid.index[max(0, pseudo[0] - 24 * feat.LOOKBACK_DAYS)],
        train_end=origin - pd.Timedelta(hours=1),
        n_origins=len(pseudo),
        n_rows=len(train_rows),
        n_calibration=len(cal),
        fit_seconds=time.perf_counter() - started,
    )


def predict_site(
    model: SiteModel,
    series: pd.DataFrame,
    calendar: pd.DataFrame,
    targets: pd.DatetimeIndex,
    grid: feat.SiteGrid | None = None,
    origin: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """P10/P50/P90 counts for ``targets`` (UTC hours at or after ``origin``), and the three
    baselines' forecasts with their own conformal 80 % intervals (``seasonal_naive_24``,
    ``seasonal_naive_24_p10``, ``seasonal_naive_24_p90``, …).

    ``origin`` (default: the model's) may be later than the model's origin: the model fitted
    then, its features taken from the data before ``origin`` (a model in use between refits).
    """
    origin = model.origin if origin is None else origin
    if origin < model.origin:
        raise ForecastError("a model cannot forecast from before its own origin")
    if grid is None:
        known = series if model.weather == "observed" else series.loc[series.index < origin]
        grid = feat.SiteGrid(known, calendar)
    o = int(grid.position(pd.DatetimeIndex([origin]))[0])
    t = grid.position(targets)
    rows = grid.features(np.full(len(t), o), t, model.weather)
    q = _predict_log(model.pipelines, rows, model.phi)
    bands = lead_band(rows["lead"].to_numpy())
    margin = np.asarray(model.margins)[bands]
    q[:, 0] -= margin
    q[:, 2] += margin
    q = np.sort(q, axis=1)
    values = np.clip(np.expm1(q), 0.0, None)
    out = pd.DataFrame(
        {
            "time": targets,
            "lead": rows["lead"].to_numpy(dtype=np.int64),
            "p10": values[:, 0],
            "p50": values[:, 1],
            "p90": values[:, 2],
        }
    )
    for b in BASELINES:
        point = rows[b].to_numpy(dtype=float)
        m = np.asarray(model.baseline_margins[b])[bands]
        out[b] = point
        # (min/max: a zero margin must give the point exactly, not a rounding off it)
        out[f"{b}_p10"] = np.fmin(np.clip(np.expm1(np.log1p(point) - m), 0.0, None), point)
        out[f"{b}_p90"] = np.fmax(np.expm1(np.log1p(point) + m), point)
    return out


def choose(pred: pd.DataFrame, method: str) -> pd.DataFrame:
    """``time``, ``p10``, ``p50``, ``p90`` of one method of :func:`predict_site`'s rows."""
    if method == "model":
        return pred[["time", "p10", "p50", "p90"]].copy()
    if method not in BASELINES:
        raise ForecastError(f"unknown method {method!r}")
    return pd.DataFrame(
        {
            "time": pred["time"],
            "p10": pred[f"{method}_p10"],
            "p50": pred[method],
            "p90": pred[f"{method}_p90"],
        }
    )


def calendar_for(
    series: pd.DataFrame, until: pd.Timestamp, calendar: CityCalendar | None = None
) -> pd.DataFrame:
    """Calendar features over a site's grid, extended to ``until`` (exclusive)."""
    end = max(series.index.max(), until - pd.Timedelta(hours=1))
    idx = pd.date_range(series.index.min() - pd.Timedelta(days=15), end, freq="h", tz="UTC")
    return feat.calendar_frame(idx, calendar)


def sites_of(counts: pd.DataFrame) -> list[str]:
    if counts is None or len(counts) == 0:
        raise ForecastError("no counts given")
    return sorted(counts["site_id"].astype(str).unique().tolist())
