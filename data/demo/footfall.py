"""Synthetic hourly pedestrian counts for Jena: who walks where, when, and how many?

SYNTHETIC, built from the documented facts of :mod:`data.demo.facts_footfall` and the day
calendar the demo pack declares (:mod:`data.demo.facts_calendar`). :func:`footfall_counts` returns the house format of
:mod:`data.footfall` (``site_id``; ``time`` = UTC start of the hour; ``count`` float, NaN =
sensor gap) for the local (Europe/Berlin) years 2024 and 2025. The time axis is built in
UTC and local time derived from it, so 31 Mar 2024 has 23 local hours and 27 Oct 2024 has
25. Everything is vectorised with NumPy; the same seed gives the same numbers.

Model, per site and hour::

    count ~ Poisson(level × daily factor × hourly share × hourly events × noise)

* **level**: the site's mean daily total (Löbderstraße 11,300 ≈ hystreet 2021: 11,376);
  the expected counts are rescaled so each site's mean daily total over 2024–2025 (before
  noise and gaps) equals it.
* **daily factor** = weekday factor (FACTS weekday means relative to their mean; district
  centres damped to the power 0.7; public holidays like Sunday) × season (Jan 0.88 …
  Dec 1.10, interpolated between mid-months) × school holidays (0.95 old town, 0.93
  districts) × lecture time (1 + the site's ``semester`` share, University of Jena) × rain
  (0.1–1 mm: −3 %; ≥ 1 mm: −(8 % + 1.2 % per mm), at most −25 %) × verkaufsoffener
  Sonntag (old town: 85 % of a Saturday) × lognormal day noise (σ = 0.07).
* **hourly share**: the FACTS Monday profile on weekdays, the Saturday profile on
  Saturdays and verkaufsoffene Sonntage, and for Sundays and public holidays a derived
  profile: 60 % of the Saturday profile shifted one hour later plus 40 % spread evenly
  over 10:00–20:59 (flatter, later). Sites mix in an evening shape (pubs: Wagnergasse)
  or, on weekdays, a commuter shape (stops); every hour gets at least 0.15 % of the day
  (people do walk at night), then the profile is renormalised. On the 23-hour day the
  02:00 share is lost, on the 25-hour day it counts twice (both ≈ 0).
* **hourly events**: Weihnachtsmarkt (Monday after Totensonntag … 22 Dec; afternoons and
  18–21 h up to +150 % on the Markt), Altstadtfest (last Friday–Sunday in June;
  approximate), Kulturarena (10 Jul – 17 Aug, Tue–Sun, 19–23 h near Johannisplatz;
  approximate), heat (Tmax ≥ 30 °C: 12–17 h −25 %, evenings up).
* **noise**: lognormal per hour (σ = 0.12), then Poisson; counts are whole numbers stored
  as float.
* **sensor gaps**: per site and year 2 + Poisson(1.5) gaps, 60 % of them 3–18 hours, the
  rest 1–5 days, stored as NaN (never zero).

Verkaufsoffene Sonntage (4 a year, approximate): 2nd Sunday in April, the Altstadtfest
Sunday, 1st Sunday in October and 1st Advent.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from data.calendar import DateRange, to_days
from data.demo import facts_footfall as ff
from data.demo.facts_calendar import SOURCE_EVENTS, TIMEZONE, demo_calendar

__all__ = [
    "COUNT_END",
    "COUNT_START",
    "TZ",
    "event_days",
    "event_ranges",
    "footfall_counts",
    "footfall_sites",
    "hourly_profiles",
]

TZ = TIMEZONE
#: First and last local day of the synthetic counts.
COUNT_START = "2024-01-01"
COUNT_END = "2025-12-31"

_SEASON = np.array([0.88, 0.90, 0.97, 1.0, 1.03, 1.03, 1.02, 1.0, 1.02, 1.0, 0.99, 1.10])
_NIGHT_FLOOR = 0.0015
_DAY_SIGMA = 0.07
_HOUR_SIGMA = 0.12
_DT_CODE = {"weekday": 0, "saturday": 1, "sunday_holiday": 2}


def footfall_sites() -> gpd.GeoDataFrame:
    """The counting sites as points (EPSG:4326): ``site_id``, ``name``, ``kind``, ``approx``."""
    sites = sorted(ff.SITES, key=lambda s: s.site_id)
    return gpd.GeoDataFrame(
        {
            "site_id": [s.site_id for s in sites],
            "name": [s.name for s in sites],
            "kind": [s.kind for s in sites],
            "approx": [s.approx for s in sites],
        },
        geometry=[shapely.Point(s.lon, s.lat) for s in sites],
        crs="EPSG:4326",
    )


def _norm(p: np.ndarray) -> np.ndarray:
    return p / p.sum(axis=-1, keepdims=True)


def hourly_profiles() -> dict[str, np.ndarray]:
    """The base shapes (shares of the day by local hour 0…23, each summing to 1).

    ``weekday`` and ``saturday`` are the FACTS Monday and Saturday profiles;
    ``sunday_holiday`` is derived (see module docstring); ``evening`` and ``commute`` are
    invented mixing shapes.
    """
    mon = _norm(np.array(ff.HOURLY_SHARE_MONDAY))
    sat = _norm(np.array(ff.HOURLY_SHARE_SATURDAY))
    hours = np.arange(24)
    plateau = _norm(((hours >= 10) & (hours <= 20)).astype(float))
    sun = _norm(0.6 * np.roll(sat, 1) + 0.4 * plateau)
    evening = _norm(np.exp(-0.5 * ((hours - 21.0) / 2.2) ** 2) + 0.3 * (hours <= 1))
    commute = _norm(
        np.exp(-0.5 * ((hours - 7.3) / 1.0) ** 2) + np.exp(-0.5 * ((hours - 16.5) / 1.5) ** 2)
    )
    return {
        "weekday": mon,
        "saturday": sat,
        "sunday_holiday": sun,
        "evening": evening,
        "commute": commute,
    }


def _sunday_on_or_before(days: np.ndarray) -> np.ndarray:
    weekday = (days.astype("int64") + 3) % 7  # 0 = Monday
    return days - ((weekday + 1) % 7).astype("timedelta64[D]")


def event_days(dates: object) -> dict[str, np.ndarray]:
    """Boolean arrays per event for local ``dates`` (see the module docstring; approximate).

    Keys: ``weihnachtsmarkt``, ``altstadtfest``, ``kulturarena``, ``verkaufsoffen``.
    """
    days = to_days(dates)
    year = days.astype("datetime64[Y]")
    weekday = (days.astype("int64") + 3) % 7

    def at(month_day: str) -> np.ndarray:
        return (year.astype(str).astype(object) + month_day).astype("datetime64[D]")

    fourth_advent = _sunday_on_or_before(at("-12-24"))
    first_advent = fourth_advent - np.timedelta64(21, "D")
    wm = (days >= first_advent - np.timedelta64(6, "D")) & (days <= at("-12-22"))
    last_sun_june = _sunday_on_or_before(at("-06-30"))
    fest = (days >= last_sun_june - np.timedelta64(2, "D")) & (days <= last_sun_june)
    arena = (days >= at("-07-10")) & (days <= at("-08-17")) & (weekday != 0)
    second_sun_april = _sunday_on_or_before(at("-04-14"))
    first_sun_october = _sunday_on_or_before(at("-10-07"))
    open_sunday = (
        (days == second_sun_april)
        | (days == last_sun_june)
        | (days == first_sun_october)
        | (days == first_advent)
    )
    return {
        "weihnachtsmarkt": wm,
        "altstadtfest": fest,
        "kulturarena": arena,
        "verkaufsoffen": open_sunday,
    }


#: The events of :func:`event_days` by name, as the pack's calendar lists them.
EVENT_NAMES = {
    "weihnachtsmarkt": "Weihnachtsmarkt",
    "altstadtfest": "Altstadtfest",
    "kulturarena": "Kulturarena",
    "verkaufsoffen": "Verkaufsoffener Sonntag",
}


def event_ranges() -> list[DateRange]:
    """The events of :func:`event_days` over the counting period as calendar ranges (one per
    run of consecutive days), sorted by start."""
    days = pd.date_range(COUNT_START, COUNT_END, freq="D")
    out = []
    for key, flags in event_days(days).items():
        idx = np.flatnonzero(flags)
        if idx.size == 0:
            continue
        breaks = np.flatnonzero(np.diff(idx) > 1)
        starts, ends = np.r_[idx[0], idx[breaks + 1]], np.r_[idx[breaks], idx[-1]]
        for a, b in zip(starts, ends, strict=True):
            first, last = f"{days[a]:%Y-%m-%d}", f"{days[b]:%Y-%m-%d}"
            out.append(DateRange(first, last, EVENT_NAMES[key], "event", SOURCE_EVENTS))
    return sorted(out)


def _time_axis() -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray, pd.DatetimeIndex]:
    """UTC hours of the local years, local hour, local day index, and the local days."""
    start = pd.Timestamp(COUNT_START, tz=TZ)
    end = pd.Timestamp(COUNT_END, tz=TZ) + pd.Timedelta(days=1)
    times = pd.date_range(
        start.tz_convert("UTC"), end.tz_convert("UTC"), freq="h", inclusive="left"
    )
    local = times.tz_convert(TZ)
    hour = np.asarray(local.hour)
    local_days = local.tz_localize(None).to_numpy().astype("datetime64[D]")
    days = pd.date_range(COUNT_START, COUNT_END, freq="D")
    day_idx = (local_days - np.datetime64(COUNT_START, "D")).astype("int64")
    return times, hour, day_idx, days


def footfall_counts(seed: int, weather: pd.DataFrame) -> pd.DataFrame:
    """Hourly counts of every site, local years 2024–2025, in the house format.

    Parameters
    ----------
    seed
        Seed of the noise and the sensor gaps.
    weather
        Daily weather with ``date`` (ISO), ``tmax`` (°C) and ``precip_mm`` covering the
        counting period (:func:`data.demo.weather.daily_weather`).

    Returns
    -------
    pandas.DataFrame
        ``site_id`` (str), ``time`` (UTC, start of hour), ``count`` (float, NaN = gap),
        sorted by site and time.
    """
    rng = np.random.default_rng([seed, 0xF007])
    sites = sorted(ff.SITES, key=lambda s: s.site_id)
    times, hour, day_idx, days = _time_axis()
    n_days, n_hours = len(days), len(times)

    # --- day level -------------------------------------------------------------------
    calendar = demo_calendar()
    dtype_str = calendar.day_type(days)
    dt_code = np.array([_DT_CODE[t] for t in dtype_str])
    weekday = np.asarray(days.day_of_week)
    events = event_days(days)
    open_sunday = events["verkaufsoffen"] & (weekday == 6) & (dt_code == 2)
    school = calendar.school_holiday(days)
    lectures = calendar.lecture_period(days)
    wx = weather.set_index("date").reindex(days.strftime("%Y-%m-%d"))
    if wx["tmax"].isna().any() or wx["precip_mm"].isna().any():
        raise ValueError("weather does not cover the counting period")
    precip = wx["precip_mm"].to_numpy(dtype=float)
    hot = wx["tmax"].to_numpy(dtype=float) >= 30.0
    rain = np.where(
        precip >= 1.0,
        1.0 - np.minimum(0.25, 0.08 + 0.012 * precip),
        np.where(precip >= 0.1, 0.97, 1.0),
    )
    doy = np.asarray(days.day_of_year, dtype=float)
    mids = np.array([15.5 + 30.44 * m for m in range(12)])
    season = np.interp(doy, mids, _SEASON, period=365.25)
    wd_rel = np.array(ff.WEEKDAY_MEANS, dtype=float)
    wd_rel /= wd_rel.mean()

    # --- hour level (shared) ---------------------------------------------------------
    prof = hourly_profiles()
    d_of_h = day_idx
    h_dt = dt_code[d_of_h]
    h_open = open_sunday[d_of_h]
    h_wm = events["weihnachtsmarkt"][d_of_h]
    h_fest = events["altstadtfest"][d_of_h]
    h_arena = events["kulturarena"][d_of_h]
    h_hot = hot[d_of_h]
    h_friday = weekday[d_of_h] == 4
    wm_boost = np.zeros(24)
    wm_boost[11:15], wm_boost[15:18], wm_boost[18:22], wm_boost[22] = 0.3, 0.8, 1.5, 0.5
    fest_fri = np.where(hour >= 16, 1.5, 0.0)
    fest_we = np.where(hour >= 11, 1.2, 0.0)
    arena_boost = np.where(hour >= 19, 1.2, 0.0)
    midday = (hour >= 12) & (hour <= 17)
    evening_h = (hour >= 19) & (hour <= 22)

    site_ids = []
    counts = []
    for site in sites:
        altstadt = site.kind == "altstadt"
        wd_factor = wd_rel if altstadt else wd_rel**0.7
        daily = np.where(
            dt_code == 0, wd_factor[weekday], np.where(dt_code == 1, wd_factor[5], wd_factor[6])
        )
        if altstadt:
            daily = np.where(open_sunday, 0.85 * wd_factor[5], daily)
        daily = daily * season * np.where(school, 0.95 if altstadt else 0.93, 1.0)
        daily = daily * (1.0 + site.semester * lectures) * rain

        # hourly shares: base by day type, mixed with the site's evening/commute shapes
        base = np.stack([prof["weekday"], prof["saturday"], prof["sunday_holiday"]])
        shapes = np.empty((4, 24))
        for k in range(3):
            c = site.commute if k == 0 else 0.0
            shapes[k] = (1 - site.evening - c) * base[k] + site.evening * prof["evening"]
            shapes[k] += c * prof["commute"]
        shapes[3] = (1 - site.evening) * prof["saturday"] + site.evening * prof["evening"]
        shapes = _norm(shapes + _NIGHT_FLOOR)
        code = np.where(h_open & altstadt, 3, h_dt)
        share = shapes[code, hour]

        boost = 1.0 + site.christmas * wm_boost[hour] * h_wm
        boost += site.altstadtfest * h_fest * np.where(h_friday, fest_fri, fest_we)
        boost += site.kulturarena * h_arena * arena_boost
        boost *= np.where(h_hot & midday, 0.75, 1.0)
        boost *= np.where(h_hot & evening_h, 1.1 + 0.25 * site.evening, 1.0)

        expected = daily[d_of_h] * share * boost
        mean_daily = expected.sum() / n_days
        lam = expected * (site.level / mean_daily)
        day_noise = np.exp(_DAY_SIGMA * rng.standard_normal(n_days) - _DAY_SIGMA**2 / 2)
        hour_noise = np.exp(_HOUR_SIGMA * rng.standard_normal(n_hours) - _HOUR_SIGMA**2 / 2)
        count = rng.poisson(lam * day_noise[d_of_h] * hour_noise).astype(float)
        _add_gaps(count, times, rng)
        site_ids.append(np.full(n_hours, site.site_id, dtype=object))
        counts.append(count)

    return pd.DataFrame(
        {
            "site_id": pd.array(np.concatenate(site_ids), dtype="str"),
            "time": times[np.tile(np.arange(n_hours), len(sites))],
            "count": np.concatenate(counts),
        }
    )


def _add_gaps(count: np.ndarray, times: pd.DatetimeIndex, rng: np.random.Generator) -> None:
    """Set a few multi-hour to multi-day sensor gaps per year to NaN, in place."""
    years = np.asarray(times.tz_convert(TZ).year)
    for year in np.unique(years):
        idx = np.flatnonzero(years == year)
        for _ in range(2 + int(rng.poisson(1.5))):
            short = rng.random() < 0.6
            length = int(rng.integers(3, 19)) if short else int(rng.integers(24, 121))
            start = int(rng.integers(idx[0], max(idx[0] + 1, idx[-1] - length)))
            count[start : start + length] = np.nan
