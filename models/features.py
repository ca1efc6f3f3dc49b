"""Features for hourly footfall forecasts: calendar (local time), holidays, lags, profiles.

Conventions (house format, see :mod:`data.footfall`): times are UTC hour starts; calendar
features come from the city's local time of each UTC hour (the pack's
:class:`data.calendar.CityCalendar`: time zone, public holidays, school holidays, lecture
periods, events), so a spring-switch day has 23 rows (no 02:00 local) and an autumn-switch
day 25 rows (02:00 local twice, once in summer and once in winter time). Without a calendar
the documented defaults of :mod:`data.calendar` apply.

**Lags are in UTC hours.** "Same hour yesterday" is ``t − 24 h`` and "same hour last week"
is ``t − 168 h`` on the UTC grid; on the day after a DST switch that is the local hour ±1.
The profile features and the 4-week seasonal mean are aligned by the local clock (local
day and hour), so the model sees both views.

**Direct multi-horizon strategy.** Every feature of a target hour ``t`` forecast from an
origin ``o`` (the first hour not yet observed) uses data before ``o`` only: the lag of a
target ``h`` hours ahead is ``t − 24·⌈h/24⌉`` (the same UTC hour on the last observed day)
and ``t − 168·(⌈h/168⌉ + k)`` for ``k = 0, 1, 2`` (the last three observed weeks); the
profiles are computed from the :data:`LOOKBACK_DAYS` complete local days before the
origin's local day, and the recent anomaly from the 24 and 168 hours before ``o``.

**Vectorised.** :class:`SiteGrid` computes everything that does not depend on the origin
once per site (local day × hour matrices, trailing profiles per day type, anomalies, their
rolling means); :meth:`SiteGrid.features` then gathers the features of any number of
``(origin, target)`` pairs with array indexing, so a year of pseudo-origins costs
milliseconds, not a loop of group-bys.

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

LOOKBACK_DAYS = 28  # profile window before an origin's local day
MIN_HISTORY_DAYS = 7  # a (pseudo-)origin needs at least this many days before it
SEASONAL_WEEKS = 4  # the seasonal-mean baseline: the same local hour and weekday, 4 weeks
DAY_TYPE_CODES = {"weekday": 0, "saturday": 1, "sunday_holiday": 2}
RAINY = ("rain", "snow", "sleet", "hail", "thunder", "shower", "drizzle")

CALENDAR_FEATURES = (
    "hour",
    "dow",
    "day_type",
    "holiday",
    "short_day",
    "school",
    "lectures",
    "event",
)
HISTORY_FEATURES = (
    "lead",
    "prof_dt",
    "prof_h7",
    "seasonal_4w",
    "anom_24",
    "anom_168",
    "lag_day_anom",
    "lag_week_anom",
    "lag_week2_anom",
    "lag_week3_anom",
    "lag_day_type",
)
WEATHER_FEATURES = ("temperature", "rain")


def calendar_frame(times: pd.DatetimeIndex, calendar: CityCalendar | None = None) -> pd.DataFrame:
    """Calendar features of UTC hour starts, from the city's local time (``calendar``;
    default: :class:`data.calendar.CityCalendar` with its documented defaults).

    ``school``, ``lectures`` and ``event`` are 0 where the calendar has no such ranges.
    ``local_day`` (days since 1970-01-01 of the local date) is bookkeeping, not a feature."""
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
            "event": cal.event(dates).astype(float),
            "local_day": (dates.to_numpy().astype("datetime64[D]").astype(np.int64)),
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


def _trailing_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Per column, the NaN-aware mean of the ``window`` rows BEFORE each row (not the row
    itself); NaN where that window holds no value."""
    ok = ~np.isnan(values)
    s = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(np.where(ok, values, 0.0), axis=0)])
    c = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(ok, axis=0)])
    n = values.shape[0]
    hi = np.arange(n)  # rows [lo, hi) are the window before row i
    lo = np.maximum(0, hi - window)
    total, count = s[hi] - s[lo], c[hi] - c[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _rolling_hours(values: np.ndarray, window: int) -> np.ndarray:
    """NaN-aware mean of ``values[t − window + 1 … t]`` for each ``t`` (NaN if none)."""
    ok = ~np.isnan(values)
    s = np.concatenate([[0.0], np.cumsum(np.where(ok, values, 0.0))])
    c = np.concatenate([[0], np.cumsum(ok)])
    hi = np.arange(1, len(values) + 1)
    lo = np.maximum(0, hi - window)
    total, count = s[hi] - s[lo], c[hi] - c[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


class SiteGrid:
    """One site's series on the calendar's hourly UTC grid, with everything that does not
    depend on the origin computed once (see the module docstring)."""

    def __init__(self, series: pd.DataFrame, calendar: pd.DataFrame) -> None:
        self.index = pd.DatetimeIndex(calendar.index)
        self.calendar = calendar
        self.series = series
        n = len(self.index)
        self.y = series["y"].reindex(self.index).to_numpy(dtype=float)
        self.logy = np.log1p(self.y)
        self.temperature = series["temperature"].reindex(self.index).to_numpy(dtype=float)
        self.rain = series["rain"].reindex(self.index).to_numpy(dtype=float)
        day = calendar["local_day"].to_numpy(dtype=np.int64)
        self.day0 = int(day.min())
        self.dix = (day - self.day0).astype(np.int64)
        self.hr = calendar["hour"].to_numpy(dtype=np.int64)
        self.dt = calendar["day_type"].to_numpy(dtype=np.int64)
        n_days = int(self.dix.max()) + 1
        # local day × hour: mean log count and mean count (the repeated autumn hour: both)
        flat = self.dix * 24 + self.hr
        ok = ~np.isnan(self.y)
        cnt = np.bincount(flat[ok], minlength=n_days * 24).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            log_mat = np.bincount(flat[ok], self.logy[ok], minlength=n_days * 24) / cnt
            raw_mat = np.bincount(flat[ok], self.y[ok], minlength=n_days * 24) / cnt
        self.log_mat = log_mat.reshape(n_days, 24)
        self.raw_mat = raw_mat.reshape(n_days, 24)
        # the grid position of each local slot (the later one for the repeated hour)
        pos = np.full(n_days * 24, -1, dtype=np.int64)
        pos[flat] = np.arange(n)
        self.slot_pos = pos.reshape(n_days, 24)
        day_dt = np.full(n_days, -1, dtype=np.int64)
        day_dt[self.dix] = self.dt
        self.day_dt = day_dt
        # trailing profiles (the LOOKBACK_DAYS local days before each day), per day type
        self.prof = {}
        for code in DAY_TYPE_CODES.values():
            masked = np.where((day_dt == code)[:, None], self.log_mat, np.nan)
            self.prof[code] = _trailing_mean(masked, LOOKBACK_DAYS)
        self.prof_all = _trailing_mean(self.log_mat, LOOKBACK_DAYS)
        self.prof_7 = _trailing_mean(self.log_mat, 7)
        ok_all = ~np.isnan(self.prof_all)
        n_ok = ok_all.sum(axis=1)
        total = np.where(ok_all, self.prof_all, 0.0).sum(axis=1)
        self.prof_day_mean = np.where(n_ok > 0, total / np.maximum(n_ok, 1), np.nan)
        # every hour against the profile of its own day type before its day
        own = self._profile(self.dix, self.dt, self.hr)
        self.anom = self.logy - own
        self.anom_24 = _rolling_hours(self.anom, 24)
        self.anom_168 = _rolling_hours(self.anom, 168)

    def _profile(self, day: np.ndarray, dtype: np.ndarray, hour: np.ndarray) -> np.ndarray:
        """Day-type × hour profile from the days before ``day``, falling back to the hour's
        profile of all days, then to the mean of all hours (log scale)."""
        out = np.full(len(day), np.nan)
        for code, prof in self.prof.items():
            sel = dtype == code
            out[sel] = prof[day[sel], hour[sel]]
        fallback = self.prof_all[day, hour]
        out = np.where(np.isnan(out), fallback, out)
        return np.where(np.isnan(out), self.prof_day_mean[day], out)

    def position(self, times: pd.DatetimeIndex) -> np.ndarray:
        """Grid positions of UTC hour starts (all must lie on the grid)."""
        pos = self.index.get_indexer(times)
        if (pos < 0).any():
            raise ValueError("times outside the calendar grid")
        return pos

    def seasonal_mean(self, origin: np.ndarray, target: np.ndarray) -> np.ndarray:
        """The mean count of the same local hour and weekday over the last
        :data:`SEASONAL_WEEKS` weeks observed before each origin (NaN where none)."""
        day, hour = self.dix[target], self.hr[target]
        weeks = SEASONAL_WEEKS + 3  # enough candidates for leads up to 14 days
        extra = (target - origin) // 168
        cols = []
        known_cols = []
        for m in range(1, weeks + 1 + int(extra.max(initial=0))):
            d = day - 7 * m
            inside = d >= 0
            dd = np.where(inside, d, 0)
            slot = self.slot_pos[dd, hour]
            known = inside & (slot >= 0) & (slot < origin)
            cols.append(np.where(known, self.raw_mat[dd, hour], np.nan))
            known_cols.append(known)
        values = np.column_stack(cols)
        known = np.column_stack(known_cols)
        rank = np.cumsum(known, axis=1)
        use = known & (rank <= SEASONAL_WEEKS)
        with np.errstate(invalid="ignore"):
            picked = np.where(use, values, np.nan)
            n = np.sum(~np.isnan(picked), axis=1)
            total = np.nansum(picked, axis=1)
        return np.where(n > 0, total / np.maximum(n, 1), np.nan)

    def naive(self, origin: np.ndarray, target: np.ndarray, period: int) -> np.ndarray:
        """``y(t − period·⌈h/period⌉)`` for lead ``h`` (UTC hours; data before the origin)."""
        lead = target - origin + 1
        src = target - period * ((lead + period - 1) // period)
        out = np.full(len(target), np.nan)
        ok = (src >= 0) & (src < origin)
        out[ok] = self.y[src[ok]]
        return out

    def features(
        self, origin: np.ndarray, target: np.ndarray, weather: str = "none"
    ) -> pd.DataFrame:
        """Features of the ``(origin, target)`` grid-position pairs (see the module
        docstring), plus ``base`` (the log-scale profile level), the three baselines
        (counts) and ``y`` (NaN where unknown or at/after the origin)."""
        origin = np.asarray(origin, dtype=np.int64)
        target = np.asarray(target, dtype=np.int64)
        lead = target - origin + 1
        oday = self.dix[origin]
        hour, dtype = self.hr[target], self.dt[target]
        prof_dt = self._profile(oday, dtype, hour)
        if np.isnan(prof_dt).any():  # no history at all before the origin
            prof_dt = np.where(np.isnan(prof_dt), 0.0, prof_dt)
        prof_h7 = self.prof_7[oday, hour] - prof_dt
        lag_day = target - 24 * ((lead + 23) // 24)
        weeks = (lead + 167) // 168

        def at(values: np.ndarray, src: np.ndarray) -> np.ndarray:
            ok = (src >= 0) & (src < origin)
            out = np.full(len(src), np.nan)
            out[ok] = values[src[ok]]
            return out

        before = origin - 1
        anom_24 = np.where(before >= 0, self.anom_24[np.maximum(before, 0)], np.nan)
        anom_168 = np.where(before >= 0, self.anom_168[np.maximum(before, 0)], np.nan)
        seasonal = self.seasonal_mean(origin, target)
        cal = self.calendar.iloc[target]
        out = pd.DataFrame(
            {name: cal[name].to_numpy(dtype=float) for name in CALENDAR_FEATURES},
            index=self.index[target],
        )
        out["lead"] = lead.astype(float)
        out["prof_dt"] = prof_dt
        out["prof_h7"] = prof_h7
        out["seasonal_4w"] = np.log1p(seasonal) - prof_dt
        out["anom_24"] = np.nan_to_num(anom_24)
        out["anom_168"] = np.nan_to_num(anom_168)
        out["lag_day_anom"] = at(self.anom, lag_day)
        out["lag_week_anom"] = at(self.anom, target - 168 * weeks)
        out["lag_week2_anom"] = at(self.anom, target - 168 * (weeks + 1))
        out["lag_week3_anom"] = at(self.anom, target - 168 * (weeks + 2))
        lag_ok = (lag_day >= 0) & (lag_day < len(self.dt))
        out["lag_day_type"] = np.where(lag_ok, self.dt[np.clip(lag_day, 0, None)], np.nan)
        if weather == "observed":
            out["temperature"] = self.temperature[target]
            out["rain"] = self.rain[target]
        elif weather == "persistence":
            out["temperature"] = at(self.temperature, lag_day)
            out["rain"] = at(self.rain, lag_day)
        out["base"] = prof_dt
        out["seasonal_naive_24"] = self.naive(origin, target, 24)
        out["seasonal_naive_168"] = self.naive(origin, target, 168)
        out["seasonal_mean_4w"] = seasonal
        y = self.y[target]
        out["y"] = y
        return out


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
    Returns the features plus ``base`` (the log-scale profile level), the baselines and
    ``y`` (NaN where unknown). A convenience over :meth:`SiteGrid.features`.
    """
    known = series.loc[series.index < origin] if weather != "observed" else series
    grid = SiteGrid(known, calendar)
    o = int(grid.position(pd.DatetimeIndex([origin]))[0])
    t = grid.position(targets)
    rows = grid.features(np.full(len(t), o), t, weather)
    rows["y"] = series["y"].reindex(targets).to_numpy(dtype=float)
    return rows


def feature_names(weather: str) -> list[str]:
    names = [*CALENDAR_FEATURES, *HISTORY_FEATURES]
    if weather != "none":
        names += list(WEATHER_FEATURES)
    return names
