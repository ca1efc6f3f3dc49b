"""Footfall forecasts per site, 1–14 days ahead, with their cache and model card.

* :func:`forecast` fits the site model of :mod:`models.footfall_model` at the hour after each
  site's last count and returns P10/P50/P90 for the days ahead (:class:`ForecastResult`);
* :class:`ForecastCache` keeps forecasts and backtests (:mod:`models.backtest`) per data
  version (:func:`data_version`) and parameters;
* :func:`model_card` says what the model is, what it was trained on and how it did in the
  backtest.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

import pandas as pd

from models import features as feat
from models.backtest import BacktestResult, backtest
from models.footfall_model import (
    LEAD_BANDS,
    MIN_DAYS_BEFORE_ORIGIN,
    QUANTILES,
    ForecastConfig,
    ForecastError,
    add_fits,
    calendar_for,
    choose,
    fit_count,
    fit_site,
    predict_site,
    sites_of,
)


@dataclass
class ForecastResult:
    """Forecasts for every site: ``frame`` has site_id, time (UTC), lead, p10, p50, p90 (the
    model) and each baseline's forecast with its interval (``seasonal_mean_4w``,
    ``seasonal_mean_4w_p10``, ``seasonal_mean_4w_p90``, …)."""

    frame: pd.DataFrame
    models: dict[str, dict[str, Any]]
    config: ForecastConfig
    data_version: str
    backtest: BacktestResult | None = None  # when one was run

    def methods(self) -> dict[str, str]:
        """The method shown per site: the model, unless the backtest says it loses to a
        baseline at that site (then the best baseline); the model without a backtest."""
        sites = self.backtest.sites if self.backtest is not None else {}
        return {
            site: (sites.get(site) or {}).get("shown", "model")
            for site in self.frame["site_id"].astype(str).unique()
        }

    def shown(self) -> pd.DataFrame:
        """site_id, time, method, p10, p50, p90 of the method shown per site."""
        parts = []
        for site, method in self.methods().items():
            rows = self.frame[self.frame["site_id"] == site]
            parts.append(choose(rows, method).assign(site_id=site, method=method))
        if not parts:
            return pd.DataFrame(columns=["site_id", "time", "method", "p10", "p50", "p90"])
        out = pd.concat(parts, ignore_index=True)
        return out[["site_id", "time", "method", "p10", "p50", "p90"]]

    def to_csv_frame(self) -> pd.DataFrame:
        """``site,timestamp,method,p10,p50,p90`` of the shown method; timestamp ISO 8601 in
        the city's local time (the config's calendar) with its offset."""
        rows = self.shown()
        local = self.config.calendar.local(rows["time"])
        return pd.DataFrame(
            {
                "site": rows["site_id"].astype(str),
                "timestamp": [t.isoformat() for t in local],
                "method": rows["method"],
                "p10": rows["p10"].round(1),
                "p50": rows["p50"].round(1),
                "p90": rows["p90"].round(1),
            }
        )


def _site_forecast(
    counts: pd.DataFrame, site: str, cfg: ForecastConfig
) -> tuple[pd.DataFrame | None, dict[str, Any], int]:
    """One site's forecast rows, model info and fits made (for worker processes); a site
    whose record is too short gets no rows and its reason in the info."""
    before = fit_count()
    try:
        return _site_forecast_rows(counts, site, cfg, before)
    except ForecastError as err:
        return None, {"site": site, "error": str(err)}, fit_count() - before


def _site_forecast_rows(
    counts: pd.DataFrame, site: str, cfg: ForecastConfig, before: int
) -> tuple[pd.DataFrame | None, dict[str, Any], int]:
    series = feat.site_series(counts, site, cfg.calendar.timezone)
    origin = series.index[series["y"].notna()].max() + pd.Timedelta(hours=1)
    targets = pd.date_range(origin, periods=cfg.horizon, freq="h", tz="UTC")
    calendar = calendar_for(series, targets[-1] + pd.Timedelta(hours=1), cfg.calendar)
    grid = feat.SiteGrid(series, calendar)
    model = fit_site(series, calendar, origin, cfg, site, grid=grid)
    pred = predict_site(model, series, calendar, targets, grid=grid)
    return pred.assign(site_id=site), model.info(), fit_count() - before


def forecast(
    counts: pd.DataFrame,
    days: int = 14,
    config: ForecastConfig | None = None,
    backtest_result: BacktestResult | None = None,
    n_jobs: int = 1,
) -> ForecastResult:
    """Fit each site at the hour after its last count and forecast ``days`` (1–14) ahead.

    With ``backtest_result`` (a backtest of the same counts) the result knows which method to
    show per site (:meth:`ForecastResult.methods`). ``n_jobs`` > 1 fits sites in that many
    processes (the same results). A site with too short a record gets no forecast (its model
    info says why); only when no site can be forecast is that an error."""
    if not 1 <= days <= 14:
        raise ForecastError(f"days must be 1 … 14, not {days}")
    base = config or ForecastConfig()
    cfg = replace(base, horizon=days * 24)
    if cfg.weather == "observed":  # no observed weather in the future
        cfg = replace(cfg, weather="auto")
    site_ids = sites_of(counts)
    if n_jobs > 1 and len(site_ids) > 1:
        from joblib import Parallel, delayed

        results = Parallel(n_jobs=n_jobs)(
            delayed(_site_forecast)(counts[counts["site_id"] == s], s, cfg) for s in site_ids
        )
        add_fits(sum(r[2] for r in results))
    else:
        results = [_site_forecast(counts, s, cfg) for s in site_ids]
    frames = [r[0] for r in results if r[0] is not None]
    infos = {s: r[1] for s, r in zip(site_ids, results, strict=True)}
    if not frames:  # no site has enough data: say why (the first site's reason)
        raise ForecastError(str(results[0][1].get("error", "no site could be forecast")))
    frame = pd.concat(frames, ignore_index=True)
    frame = frame[["site_id", *[c for c in frame.columns if c != "site_id"]]]
    return ForecastResult(frame, infos, cfg, data_version(counts), backtest_result)


def forecast_with_backtest(
    counts: pd.DataFrame,
    days: int = 7,
    config: ForecastConfig | None = None,
    origins: int = 8,
    n_jobs: int = 1,
    progress: Callable[[str], None] | None = None,
) -> ForecastResult:
    """A backtest (horizon ``min(24·days, 168)`` hours, ``origins`` windows — fewer when a
    short record allows no more — refitted at each; a site too short for even one window
    is left out of the backtest, not the forecast) and the ``days`` forecast that shows, per
    site, the model or the best baseline where the backtest says the model loses.

    ``progress(site)`` is called as each site's backtest is done; when a short record makes
    an attempt fail and the next tries fewer windows, the calls start again."""
    horizon = min(24 * days, 168)
    scores = None
    for n in range(origins, 0, -1):
        try:
            scores = backtest(
                counts,
                horizon,
                n,
                config,
                n_jobs=n_jobs,
                progress=progress,
                refit=True,
                skip_short=True,
            )
            break
        except ForecastError:
            continue
    return forecast(counts, days, config, backtest_result=scores, n_jobs=n_jobs)


def data_version(counts: pd.DataFrame) -> str:
    """A content hash of a counts frame (columns, values, order-independent of the index)."""
    digest = hashlib.sha256()
    digest.update(json.dumps([str(c) for c in counts.columns]).encode())
    hashed = pd.util.hash_pandas_object(counts.reset_index(drop=True), index=False)
    digest.update(hashed.to_numpy().tobytes())
    return digest.hexdigest()[:16]


class ForecastCache:
    """In-process cache of fitted forecasts and backtests keyed by data version + parameters.

    A dashboard callback asks the cache; only the first request for a data version and
    parameter set fits models, later ones (clicks) are served from memory.
    """

    def __init__(self, maxsize: int = 16) -> None:
        self.maxsize = maxsize
        self._store: OrderedDict[str, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(counts: pd.DataFrame, kind: str, **params: Any) -> str:
        text = json.dumps(params, sort_keys=True, default=str)
        return f"{kind}:{data_version(counts)}:{hashlib.sha256(text.encode()).hexdigest()[:16]}"

    def get_or_compute(self, key: str, compute: Callable[[], Any]) -> Any:
        if key in self._store:
            self.hits += 1
            self._store.move_to_end(key)
            return self._store[key]
        self.misses += 1
        value = compute()
        self._store[key] = value
        while len(self._store) > self.maxsize:
            self._store.popitem(last=False)
        return value

    def forecast(
        self, counts: pd.DataFrame, days: int = 14, config: ForecastConfig | None = None
    ) -> ForecastResult:
        cfg = config or ForecastConfig()
        key = self.key(counts, "forecast", days=days, config=asdict(cfg))
        return self.get_or_compute(key, lambda: forecast(counts, days, cfg))

    def backtest(
        self,
        counts: pd.DataFrame,
        horizon: int = 24,
        origins: int = 8,
        config: ForecastConfig | None = None,
    ) -> Any:
        cfg = config or ForecastConfig()
        key = self.key(counts, "backtest", horizon=horizon, origins=origins, config=asdict(cfg))
        return self.get_or_compute(key, lambda: backtest(counts, horizon, origins, cfg))

    def clear(self) -> None:
        self._store.clear()


DEFAULT_CACHE = ForecastCache()


def model_card(result: Any, backtest: Any = None) -> dict[str, Any]:
    """What the model is, what it was trained on and how well it did, for the UI.

    ``result`` is a :class:`ForecastResult` (optionally with ``backtest``) or a
    :class:`models.backtest.BacktestResult`.
    """
    if isinstance(result, BacktestResult):
        backtest, models, cfg = result, result.models, result.config
    else:
        backtest = backtest if backtest is not None else result.backtest
        models, cfg = result.models, result.config
    first = next((m for m in models.values() if "features" in m), {})
    card: dict[str, Any] = {
        "model": {
            "de": "HistGradientBoostingRegressor (Quantilverlust, P10/P50/P90) je Zählstelle, "
            "auf logarithmischer Skala, trainiert auf der ganzen Zählgeschichte (tägliche "
            "Prognosezeitpunkte), Tagesgang plus Abweichung als Grundlage, Verzögerungen von "
            "einem Tag und ein bis drei Wochen, 80-%-Intervall nach der Split-Conformal-Methode "
            "je Vorlaufband (1–24 h, 25–72 h, 73–168 h)",
            "en": "HistGradientBoostingRegressor (loss='quantile', P10/P50/P90) per site, "
            "log scale, trained on the whole count history (daily pseudo-origins), profile + "
            "anomaly base, lags of one day and one to three weeks, split-conformal 80 % "
            "interval per lead band (1–24 h, 25–72 h, 73–168 h)",
        },
        "baselines": {
            "seasonal_naive_24": {
                "de": "Gleiche Stunde am letzten beobachteten Tag",
                "en": "Same hour on the last observed day",
            },
            "seasonal_naive_168": {
                "de": "Gleiche Stunde in der letzten beobachteten Woche",
                "en": "Same hour in the last observed week",
            },
            "seasonal_mean_4w": {
                "de": "Mittel derselben Uhrzeit und desselben Wochentags der letzten 4 Wochen",
                "en": "Mean of the same local hour and weekday over the last 4 weeks",
            },
        },
        "lead_bands": [list(b) for b in LEAD_BANDS],
        # the method shown per site (the model unless its backtest says it loses)
        "methods": {
            site: ((backtest.sites.get(site) or {}) if backtest is not None else {}).get(
                "shown", "model"
            )
            for site, info in models.items()
            if "error" not in info
        },
        "features": first.get("features", []),
        "weather": first.get("weather", "none"),
        "quantiles": list(QUANTILES),
        "horizon_hours": cfg.horizon,
        "timezone": cfg.calendar.timezone,
        "holidays_region": cfg.calendar.region,
        "minimum_days_before_origin": MIN_DAYS_BEFORE_ORIGIN,
        "training_window": {s: m.get("training_window") for s, m in models.items()},
        "time_convention": f"UTC hour starts; calendar from {cfg.calendar.timezone} local time; "
        "lags in UTC hours",
        "backtest": backtest.to_dict() if backtest is not None else None,
        "caution": {
            "de": "Die Prognose schreibt Muster der letzten Wochen fort (Wochentag, Uhrzeit, "
            "Feiertage, jüngste Abweichungen). Veranstaltungen, Baustellen, Streiks oder "
            "ungewöhnliches Wetter kennt sie nicht. Das Band P10–P90 soll etwa 8 von 10 "
            "Stunden enthalten — kein Versprechen für einzelne Tage. Die Zahlen sind Zählwerte "
            "eines Sensors, keine Besucherzahlen der ganzen Innenstadt.",
            "en": "The forecast carries forward the patterns of recent weeks (weekday, hour, "
            "holidays, recent deviations). It does not know about events, road works, strikes "
            "or unusual weather. The P10–P90 band should contain about 8 in 10 hours — not a "
            "promise for any single day. The figures are one sensor's counts, not visitor "
            "numbers for the whole city centre.",
        },
    }
    return card
