"""Features for hourly footfall forecasts: calendar (local time), holidays, lags, profiles.

Conventions (house format, see :mod:`data.footfall`): times are UTC hour starts; calendar
features come from the city's local time of each UTC hour (the pack's
:class:`data.calendar.CityCalendar`: time zone, public holidays, school holidays, lecture
periods), so a spring-switch day has 23 rows (no 02:00 local) and an autumn-switch day 25
rows (02:00 local twice, once in summer and once in winter time). Without a calendar the
documented defaults of :mod:`data.calendar` apply.

**Lags are in UTC hours.** "Same hour yesterday" is ``t − 24 h`` and "same hour last week"
is ``t − 168 h`` on the UTC grid; on the day after a DST switch that is the local hour ±1.
The profile features (means per local hour and day type) are aligned by the local clock,
so the model sees both views.

**Direct multi-horizon strategy.** Every feature of a target hour ``t`` forecast from an
origin ``o`` (the first hour not yet observed) uses data before ``o`` only: the lag of a
target ``h`` hours ahead is ``t − 24·⌈h/24⌉`` (the same UTC hour on the last observed day)
and ``t − 168·⌈h/168⌉`` (the last observed week), the profiles and the recent anomaly are
computed from the :data:`LOOKBACK_DAYS` before ``o``.

**Day types.** ``weekday``, ``saturday``, ``sunday_holiday`` from
:meth:`data.calendar.CityCalendar.day_type` — with one rule added here: 24 and 31 December
(shops close around midday in many countries) count as ``sunday_holiday`` too; the
``short_day`` flag marks them.

**Zero days.** A local day whose observed counts are all zero is a sensor outage (a
shopping street never has a day without a pedestrian) and is treated as missing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.calendar import CityCalendar

LOOKBACK_DAYS = 28  # profile window before an origin
MIN_HISTORY_DAYS = 7  # a (pseudo-)origin needs at least this many days before it
DAY_TYPE_CODES = {"weekday": 0, "saturday": 1, "sunday_holiday": 2}
RAINY = ("rain", "snow", "sleet", "hail", "thunder", "shower", "drizzle")

CALENDAR_FEATURES = ("hour", "dow", "day_type", "holiday", "short_day", "school", "lectures")
HISTORY_FEATURES = (
    "lead",
    "prof_dt",
    "prof_h7",
    "anom_24",
    "anom_168",
    "lag_day_anom",
    "lag_week_anom",
    "lag_day_type",
)
WEATHER_FEATURES = ("temperature", "rain")


def calendar_frame(times: pd.DatetimeIndex, calendar: CityCalendar | None = None) -> pd.DataFrame:
    """Calendar features of UTC hour starts, from the city's local time (``calendar``;
    default: :class:`data.calendar.CityCalendar` with its documented defaults).

    ``school`` and ``lectures`` are 0 where the calendar has no such ranges."""
    cal = calendar if calendar is not None else CityCalendar()
    local = cal.local(times)
    dates = local.tz_localize(None).normalize()
    kinds = cal.day_type(dates)
    short = (local.month == 12) & ((local.day == 24) | (local.day == 31))
    day_type = np.array([DAY_TYPE_CODES[k] for k in kinds], dtype=float)
    day_type[np.asarray(short)] = DAY_TYPE_CODES["sunday_holiday"]
    return pd.DataFrame(
        {
            "hour": local.hour.to_numpy(dtype=float),
            "dow": local.day_of_week.to_numpy(dtype=float),
            "day_type": day_type,
            "holiday": cal.public_holiday(dates).astype(float),
            "short_day": np.asarray(short, dtype=float),
            "school": cal.school_holiday(dates).astype(float),
            "lectures": cal.lecture_period(dates).astype(float),
        },
        index=times,
    )


def site_series(counts: pd.DataFrame, site: str, tz: str | None = None) -> pd.DataFrame:
    """One site's complete hourly UTC grid: ``y`` (count, NaN = gap) and weather columns.

    Local days (in the time zone ``tz``, default that of :class:`data.calendar.CityCalendar`)
    with only zero counts become NaN (sensor outage). ``temperature`` and
    ``rain`` (0/1 from the hystreet ``weather`` text) are NaN when the data has none.
    """
    rows = counts[counts["site_id"] == site].sort_values("time")
    if rows.empty:
        raise ValueError(f"no counts for site {site!r}")
    times = pd.DatetimeIndex(rows["time"]).tz_convert("UTC")
    idx = pd.date_range(times.min(), times.max(), freq="h", tz="UTC")
    out = pd.DataFrame(index=idx)
    out["y"] = pd.Series(rows["count"].to_numpy(dtype=float), index=times).reindex(idx)
    if "temperature" in rows:
        temp = pd.to_numeric(rows["temperature"], errors="coerce").to_numpy(dtype=float)
        out["temperature"] = pd.Series(temp, index=times).reindex(idx)
    else:
        out["temperature"] = np.nan
    if "weather" in rows:
        text = rows["weather"].astype("string").str.lower()
        rain = text.str.contains("|".join(RAINY), regex=True).astype("Float64")
        rain = rain.where(text.notna())
        out["rain"] = pd.Series(rain.to_numpy(dtype=float, na_value=np.nan), index=times).reindex(
            idx
        )
    else:
        out["rain"] = np.nan
    local_day = idx.tz_convert(tz or CityCalendar().timezone).tz_localize(None).normalize()
    day_sum = out["y"].groupby(local_day).transform("sum")
    day_n = out["y"].groupby(local_day).transform("count")
    out.loc[(day_sum == 0) & (day_n > 0), "y"] = np.nan
    return out


def has_weather(series: pd.DataFrame) -> bool:
    """True when at least half the observed hours carry a temperature."""
    observed = series["y"].notna()
    return bool(observed.any() and series.loc[observed, "temperature"].notna().mean() >= 0.5)


def _profile(
    log_y: pd.Series, keys: pd.DataFrame, target_keys: pd.DataFrame, cols: list[str]
) -> np.ndarray:
    frame = keys[cols].assign(v=log_y.to_numpy())
    means = frame.dropna().groupby(cols)["v"].mean()
    if means.empty:
        return np.full(len(target_keys), np.nan)
    joined = target_keys[cols].join(means, on=cols)
    return joined["v"].to_numpy(dtype=float)


def origin_features(
    series: pd.DataFrame,
    calendar: pd.DataFrame,
    origin: pd.Timestamp,
    targets: pd.DatetimeIndex,
    weather: str = "none",
) -> pd.DataFrame:
    """Features of ``targets`` forecast from ``origin`` (uses ``series`` before ``origin``).

    ``calendar`` must cover the history window and the targets. ``weather`` is ``"none"``,
    ``"persistence"`` (the weather at the lag-day hour, known at the origin) or
    ``"observed"`` (the weather at the target hour — a perfect weather forecast).
    Returns the features plus ``base`` (the log-scale profile level) and ``y`` (NaN where
    unknown or not yet observed).
    """
    start = origin - pd.Timedelta(days=LOOKBACK_DAYS)
    hist = series.loc[(series.index >= start) & (series.index < origin)]
    log_hist = np.log1p(hist["y"])
    hist_cal = calendar.loc[hist.index]
    tcal = calendar.loc[targets]
    prof_dt = _profile(log_hist, hist_cal, tcal, ["day_type", "hour"])
    prof_h = _profile(log_hist, hist_cal, tcal, ["hour"])
    overall = float(log_hist.mean()) if log_hist.notna().any() else 0.0
    prof_dt = np.where(np.isnan(prof_dt), prof_h, prof_dt)
    prof_dt = np.where(np.isnan(prof_dt), overall, prof_dt)
    recent = log_hist.index >= origin - pd.Timedelta(days=7)
    prof_h7 = _profile(log_hist[recent], hist_cal[recent], tcal, ["hour"])
    # anomalies of the history against its own day-type profile
    hist_prof = _profile(log_hist, hist_cal, hist_cal, ["day_type", "hour"])
    anom = pd.Series(log_hist.to_numpy() - hist_prof, index=hist.index)
    anom_24 = anom[anom.index >= origin - pd.Timedelta(hours=24)].mean()
    anom_168 = anom[anom.index >= origin - pd.Timedelta(hours=168)].mean()
    lead = ((targets - origin) // pd.Timedelta(hours=1)).to_numpy() + 1
    lag_day = targets - pd.to_timedelta(24 * np.ceil(lead / 24), unit="h")
    lag_week = targets - pd.to_timedelta(168 * np.ceil(lead / 168), unit="h")
    lag_day_anom = anom.reindex(lag_day).to_numpy(dtype=float)
    lag_week_anom = anom.reindex(lag_week).to_numpy(dtype=float)
    out = tcal.copy()
    out["lead"] = lead.astype(float)
    out["prof_dt"] = prof_dt
    out["prof_h7"] = prof_h7 - prof_dt
    out["anom_24"] = float(anom_24) if pd.notna(anom_24) else 0.0
    out["anom_168"] = float(anom_168) if pd.notna(anom_168) else 0.0
    out["lag_day_anom"] = lag_day_anom
    out["lag_week_anom"] = lag_week_anom
    out["lag_day_type"] = calendar["day_type"].reindex(lag_day).to_numpy(dtype=float)
    if weather == "observed":
        wx = series[["temperature", "rain"]].reindex(targets)
    elif weather == "persistence":
        wx = series[["temperature", "rain"]].reindex(lag_day)
    else:
        wx = None
    if wx is not None:
        out["temperature"] = wx["temperature"].to_numpy(dtype=float)
        out["rain"] = wx["rain"].to_numpy(dtype=float)
    out["base"] = prof_dt
    out["y"] = series["y"].reindex(targets).to_numpy(dtype=float)
    return out


def feature_names(weather: str) -> list[str]:
    names = [*CALENDAR_FEATURES, *HISTORY_FEATURES]
    if weather != "none":
        names += list(WEATHER_FEATURES)
    return names
