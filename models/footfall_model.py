"""The per-site footfall model: P10/P50/P90 hourly counts, fitted at an origin.

The model (per site, fitted at an origin ``o`` = the first hour not yet observed):

* features from :mod:`models.features` — local calendar (hour, weekday, day type, public
  and school holidays, lecture time, 24/31 Dec), the day-type × hour profile of the last
  28 days, recent anomalies (last 24 h and 7 days against that profile), lagged anomalies
  at the same UTC hour of the last observed day and week (direct strategy: every lag is
  ≥ the lead), and weather when the data has it;
* the target is ``log1p(count)`` minus a base ``profile + φ·anomaly_24h`` (``φ`` fitted by
  least squares, clipped to [0, 1], so a recent collapse or surge carries over even beyond
  what the trees saw); three :class:`~sklearn.ensemble.HistGradientBoostingRegressor` with
  ``loss="quantile"`` (0.1, 0.5, 0.9) in a scikit-learn :class:`~sklearn.pipeline.Pipeline`
  model the rest;
* training rows come from daily pseudo-origins before ``o`` (each with the horizon's leads,
  targets before ``o`` only); the latest quarter of them (≥ 2 days) is held out to calibrate
  the 80 % interval by split-conformal quantile regression (CQR, Romano et al. 2019) on the
  log scale; the models are then refitted on all pseudo-origins and the conformal margin
  is applied. Nothing after ``o`` is used.

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
    min_samples_leaf: int = 20
    max_train_origins: int = 42  # at most 6 weeks of daily pseudo-origins
    calibration_share: float = 0.25
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
    phi: float
    margin: float  # conformal margin on the log scale, added to P90 and taken from P10
    pipelines: dict[float, Any] = field(repr=False)
    train_start: pd.Timestamp
    train_end: pd.Timestamp
    n_rows: int
    n_calibration: int
    fit_seconds: float

    def info(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "origin": self.origin.isoformat(),
            "training_window": [self.train_start.isoformat(), self.train_end.isoformat()],
            "weather": self.weather,
            "features": self.features,
            "phi": round(self.phi, 4),
            "conformal_margin_log": round(self.margin, 4),
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


def _phi(z: np.ndarray, anomaly: np.ndarray) -> float:
    denom = float(np.dot(anomaly, anomaly))
    if denom <= 1e-9:
        return 0.0
    return float(np.clip(np.dot(z, anomaly) / denom, 0.0, 1.0))


def _fit_quantiles(
    rows: pd.DataFrame, config: ForecastConfig, names: list[str], phi: float
) -> dict[float, Any]:
    from threadpoolctl import threadpool_limits

    target = rows["z"].to_numpy() - phi * rows["anom_24"].to_numpy()
    fitted = {}
    # a few hundred rows: OpenMP threads cost more than they save (and the app is busy)
    with threadpool_limits(limits=1, user_api="openmp"):
        for q in QUANTILES:
            pipe = _pipeline(config, q, names)
            pipe.fit(rows, target)
            fitted[q] = pipe
    return fitted


def _predict_log(model_pipes: dict[float, Any], rows: pd.DataFrame, phi: float) -> np.ndarray:
    offset = rows["base"].to_numpy() + phi * rows["anom_24"].to_numpy()
    return np.column_stack([model_pipes[q].predict(rows) + offset for q in QUANTILES])


def fit_site(
    series: pd.DataFrame,
    calendar: pd.DataFrame,
    origin: pd.Timestamp,
    config: ForecastConfig,
    site: str = "",
) -> SiteModel:
    """Fit one site's quantile models at ``origin`` from ``series`` before it."""
    started = time.perf_counter()
    known = series.loc[series.index < origin]
    observed = known.index[known["y"].notna()]
    if len(observed) == 0:
        raise ForecastError(f"site {site}: no counts before {origin:%Y-%m-%d %H:%M}Z")
    first = observed.min()
    weather = _weather_mode(config, known)
    names = feat.feature_names(weather)
    pseudo = []
    for k in range(1, config.max_train_origins + 1):
        o_k = origin - pd.Timedelta(hours=24 * k)
        if o_k - pd.Timedelta(days=feat.MIN_HISTORY_DAYS) < first:
            break
        pseudo.append(o_k)
    if len(pseudo) < MIN_TRAIN_ORIGINS:
        days = (origin - first) / pd.Timedelta(days=1)
        raise ForecastError(
            f"site {site}: too little data — {days:.1f} days of counts before "
            f"{origin:%Y-%m-%d %H:%M}Z, at least {MIN_DAYS_BEFORE_ORIGIN} needed"
        )
    pseudo.reverse()
    parts = []
    for o_k in pseudo:
        end = min(o_k + pd.Timedelta(hours=config.horizon), origin)
        targets = pd.date_range(o_k, end - pd.Timedelta(hours=1), freq="h", tz="UTC")
        rows = feat.origin_features(known, calendar, o_k, targets, weather)
        rows = rows[rows["y"].notna()]
        parts.append(rows.assign(_origin=o_k))
    train = pd.concat(parts)
    if len(train) < 24 * MIN_TRAIN_ORIGINS // 2:
        raise ForecastError(f"site {site}: too few observed hours to train ({len(train)})")
    train["z"] = np.log1p(train["y"].to_numpy()) - train["base"].to_numpy()
    n_cal = max(2, round(len(pseudo) * config.calibration_share))
    cal_start = pseudo[-n_cal]
    cal = train[train["_origin"] >= cal_start]
    fit_part = train[(train["_origin"] < cal_start) & (train.index < cal_start)]
    margin = 0.0
    if len(fit_part) >= 48 and len(cal) >= 24:
        phi0 = _phi(fit_part["z"].to_numpy(), fit_part["anom_24"].to_numpy())
        pipes0 = _fit_quantiles(fit_part, config, names, phi0)
        pred = _predict_log(pipes0, cal, phi0)
        y_log = np.log1p(cal["y"].to_numpy())
        scores = np.maximum(pred[:, 0] - y_log, y_log - pred[:, 2])
        n = len(scores)
        level = min(1.0, np.ceil((n + 1) * 0.8) / n)
        margin = float(np.quantile(scores, level))
    phi = _phi(train["z"].to_numpy(), train["anom_24"].to_numpy())
    pipes = _fit_quantiles(train, config, names, phi)
    _STATS["fits"] += 1
    return SiteModel(
        site=site,
        origin=origin,
        config=config,
        weather=weather,
        features=names,
        phi=phi,
        margin=margin,
        pipelines=pipes,
        train_start=pseudo[0] - pd.Timedelta(days=feat.LOOKBACK_DAYS),
        train_end=origin - pd.Timedelta(hours=1),
        n_rows=len(train),
        n_calibration=len(cal),
        fit_seconds=time.perf_counter() - started,
    )


def predict_site(
    model: SiteModel, series: pd.DataFrame, calendar: pd.DataFrame, targets: pd.DatetimeIndex
) -> pd.DataFrame:
    """P10/P50/P90 counts for ``targets`` (UTC hours at or after the model's origin)."""
    known = series.loc[series.index < model.origin]
    if model.weather == "observed":
        known = series  # the target hours' weather stands in for a weather forecast
    rows = feat.origin_features(known, calendar, model.origin, targets, model.weather)
    q = _predict_log(model.pipelines, rows, model.phi)
    q[:, 0] -= model.margin
    q[:, 2] += model.margin
    q = np.sort(q, axis=1)
    values = np.clip(np.expm1(q), 0.0, None)
    return pd.DataFrame(
        {"time": targets, "p10": values[:, 0], "p50": values[:, 1], "p90": values[:, 2]}
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
