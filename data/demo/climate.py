"""A synthetic daily climate record for Jena, 1951–2025: how warm and wet was each day?

SYNTHETIC, not measured. The real daily record of DWD station 02444 Jena (Sternwarte) was not
available; the nearest long record, Erfurt-Weimar (01270), and 550 days of both stations were
(FACTS.md section 6). :func:`station_series` draws a daily series that has the climate of
Jena — Erfurt's statistics shifted by the measured Jena offsets — but no real weather: no
single day matches what happened. All figures come from :mod:`data.demo.facts_climate`.

Temperature, for a day ``t`` in year ``y`` (``x`` stands for tmax or tmin)::

    x(t) = C_x(t) + O_x + b_x(t) · (max(0, y − 1980) − 55/30) + A_x(y)
           + σ_x(t) · Q_x(z_x(t)) + w_x(t) · (wet(t) − p_wet(month)) + S_x(decade) · W(t)

* ``C_x`` — the Erfurt 1961–1990 climatology: three annual harmonics fitted (least squares)
  to the twelve monthly means, each month's harmonic average matching its mean within 0.3 K
  and the annual mean exactly;
* ``O_x`` — Jena minus Erfurt: +1.94 K (tmax), +0.91 K (tmin);
* ``b_x(t)`` — the warming after 1980, none before (hinge fits of the Erfurt means
  1951–2018): per season 0.38/0.44/0.45/0.18 K per decade for tmax and 0.35/0.29/0.27/0.15
  for tmin (DJF/MAM/JJA/SON; annual 0.37 and 0.27); ``55/30`` is the mean of
  ``max(0, y − 1980)`` over 1961–1990, so the reference period keeps its climatology, and
  the trend simply continues after 2018;
* ``A_x(y)`` — the year's anomaly: bivariate normal with correlation 0.85 and standard
  deviation ``sqrt(s² − v)``, where ``s`` is the observed interannual SD (0.88 / 0.68 K) and
  ``v = mean(σ²) · (1 + φ̄) / (1 − φ̄) / 365.25`` is what the daily anomalies already add to a
  year's mean;
* ``z_x`` — a seasonal AR(1), ``z(t) = φ(t) z(t−1) + sqrt(1 − φ(t)²) e(t)``, standard normal;
  the shocks of tmax and tmin are correlated with
  ``r · (1 − φ_x φ_n) / sqrt((1 − φ_x²)(1 − φ_n²))`` (capped at 0.99), which gives the two
  anomalies the observed same-day correlation ``r``;
* ``Q_x`` — quantile mapping of ``z`` onto Erfurt's distribution of the standardised daily
  anomalies of the season (eleven typed quantiles from 0.1 % to 99.9 %, linear in normal
  scores between them, the outermost slope beyond, rescaled to mean 0 and variance 1; the
  four seasons' maps blended like the other seasonal values). Summer maxima are skewed
  (+0.31): the lower tail is short (0.1 % quantile −2.34 SD), the upper one close to normal
  (99.9 %: +3.11 SD). Winter minima have a long cold tail (skewness −0.66). The map is
  monotone, so the order of the days, and with it the persistence, is kept;
* ``σ_x`` — the daily SD; for tmin Erfurt's times Jena's narrower day-to-day spread
  (Jena/Erfurt 1.00/1.05/0.89/0.92 per season, measured over the 550 days: Jena's warm
  nights are less warm than Erfurt's + 0.91 K — 0 tropical nights against 4);
* ``w_x`` — the wet-day effect (wet summer days cooler by day, wet nights milder), centred on
  the month's wet-day share so the climatology is kept;
* ``S_x · W`` — the measured summers: for every decade of the Erfurt record (1951–1959,
  1960–1969, …, 2010–2018) one shift, so that the decade's mean over June–August is Erfurt's
  plus ``O_x``; ``W`` is 1 in June–August and fades linearly to 0 over May and September.
  The drawn years keep their year-to-year and day-to-day variability; only the decade's
  summer level is the measured one (default seed: shifts of −0.4 … +0.9 K, the largest for
  the warm 1950s, which the hinge trend does not know). From 2020 on, no shift.

Seasonal values (``σ``, ``φ``, ``r``, ``b``, ``w`` and the quantile maps) are interpolated
linearly and periodically between mid-January, mid-April, mid-July and mid-October, with
node values solved for so that each season's average of the curve is the season's value
(plain interpolation would flatten the cycle: the JJA trend would average 0.41 instead of
0.45 K per decade, the summer SD of tmin come out 6 % too wide). ``σ`` is interpolated as a
variance.

Where a draw gives tmin above tmax − 0.5 K, the diurnal range is folded at 0.5 K around the
day's midrange (range' = 0.5 + |range − 0.5|). Before the summer shifts, all days are
shifted by one constant (per variable, typically 0.1–0.2 K) so the drawn anomalies average
exactly zero over 1961–1990. ``tmean = (tmax + tmin) / 2 + c(month)`` with
``c`` = Erfurt's monthly mean of TMK − (TXK + TNK) / 2 (2001–2018, hourly means) plus
1.05 − (1.94 + 0.91) / 2, so Jena's mean offset of +1.05 K is kept (kept between tmin and
tmax on days with a tiny range).

**2019** is the calibration year, set to the measured Jena record: each month gets its
measured mean of tmax and tmin (a smooth shift, linear between mid-month nodes whose values
are solved for so every month's average closes its gap); then the June–August days are
quantile-mapped onto the measured 2019 summer (typed 5 % quantiles of TXK and TNK): the
drawn order of the days is kept, their distribution is the measured one, so the year has
about the measured 76 summer days, 32 hot days, 0 tropical nights and 38.8 °C at most.
Last, tmean alone is shifted so its annual mean is the measured 11.41 °C (≈ 0.1 K).

Precipitation: wet days (≥ 0.1 mm) from a two-state Markov chain with Erfurt's monthly
P(wet | dry) and P(wet | wet); a wet day's amount is ``0.05 + Gamma(k, (m − 0.05) / k)`` mm,
with the month's mean wet-day amount ``m`` and the season's shape ``k``, rounded to 0.1 mm
(at least 0.1). No precipitation trend; Jena's precipitation is taken as Erfurt's.

Sensor gaps (NaN, never zero), all invented: six outages of 1–3 days and six of 10–21 days
at random, three outages of the rain gauge alone (5–30 days; temperatures present), and one
long outage in :data:`LONG_GAP_YEAR` (42–56 days, so more than 10 % of that year is
missing). No gaps in 2019 and from 2023 on, so the 2019 figure and the footfall demo's
weather (:mod:`data.demo.weather`, a slice of this series) are complete.

With the default seed the series has, per year and decade, about as many hot days
(tmax ≥ 30 °C) and summer days (≥ 25 °C) as Erfurt's record + 1.94 K
(:data:`data.demo.facts_climate.JENA_FROM_ERFURT_HOT_DAYS`), and fewer tropical nights
(tmin ≥ 20 °C: 0–0.5 a year until 2018), as Jena's narrower night spread implies. Not
calibrated: single extremes. The highest tmax of a draw lies 1–2 K above the highest
Erfurt + 1.94 K value (38.4 °C) up to 2018 (default seed: 40.1 °C), and the continued trend
warms the 2020s further (default seed: 43.1 °C on 2024-07-22, more than ever measured in
Germany).

The series is always drawn over the whole span 1951-01-01 … 2025-12-31 and then sliced, so
a day's values do not depend on the span asked for. Columns: ``date`` (ISO), ``tmax``,
``tmin``, ``tmean`` (°C, 0.1 K), ``precip_mm`` (mm, 0.1 mm), ``station_id`` ("02444",
the real station the series stands in for). The same seed gives the same series.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

import numpy as np
import pandas as pd

from data.demo import facts_climate as fc

__all__ = [
    "LONG_GAP_YEAR",
    "SERIES_END",
    "SERIES_START",
    "ClimateSummary",
    "station_series",
    "summarise",
]

#: First and last day of the synthetic series.
SERIES_START = "1951-01-01"
SERIES_END = "2025-12-31"
#: The year with a long invented outage (more than 10 % of the days missing).
LONG_GAP_YEAR = 1994
#: Gaps never touch these years (2019: the calibration year; 2023-: the footfall weather).
_NO_GAP_YEARS = (2019,)
_NO_GAP_FROM = 2023
_HARMONICS = 3
# Mid-season positions (fraction of the year): 15 Jan, 15 Apr, 16 Jul, 16 Oct.
_SEASON_CENTRES = np.array([14.5, 104.5, 196.5, 288.5]) / 365.0
_MIN_RANGE_K = 0.5
#: Daily SD of tmin at Jena: Erfurt's, times the Jena/Erfurt ratio of the day-to-day spread.
_JENA_SD_TMIN = tuple(
    sd * ratio for sd, ratio in zip(fc.DAILY_SD_TMIN, fc.JENA_ERFURT_TMIN_SPREAD_RATIO, strict=True)
)
_REF_HINGE_MEAN = sum(max(0, y - fc.TREND_BREAK_YEAR) for y in range(1961, 1991)) / 30.0


def station_series(seed: int, start: str = SERIES_START, end: str = SERIES_END) -> pd.DataFrame:
    """The synthetic daily climate of Jena (Sternwarte) from ``start`` to ``end`` (inclusive).

    Parameters
    ----------
    seed
        Seed of the random draws; the same seed gives the same values.
    start, end
        ISO dates inside 1951-01-01 … 2025-12-31.

    Returns
    -------
    pandas.DataFrame
        ``date`` (str), ``tmax``, ``tmin``, ``tmean`` (°C), ``precip_mm`` (mm),
        ``station_id`` (str), one row per day; NaN marks a sensor gap.

    Raises
    ------
    ValueError
        If the span is empty or reaches outside the series.
    """
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    if lo < pd.Timestamp(SERIES_START) or hi > pd.Timestamp(SERIES_END) or lo > hi:
        raise ValueError(
            f"span {start} … {end} is empty or outside the synthetic series "
            f"{SERIES_START} … {SERIES_END}"
        )
    full = _full_series(int(seed))
    first = (lo - pd.Timestamp(SERIES_START)).days
    last = (hi - pd.Timestamp(SERIES_START)).days
    return full.iloc[first : last + 1].reset_index(drop=True).copy()


@dataclass(frozen=True)
class ClimateSummary:
    """Figures of a drawn series that the catalog texts quote.

    ``gap_years`` holds ``(year, share of days without tmax)`` for years with more than
    10 % missing; ``missing_days`` counts days without tmax; the ``y2019_*`` fields are the
    synthetic 2019 mean of tmean (°C), summer days (tmax ≥ 25 °C), hot days (tmax ≥ 30 °C)
    and highest tmax (°C).
    """

    gap_years: tuple[tuple[int, float], ...]
    missing_days: int
    y2019_tmean: float
    y2019_summer_days: int
    y2019_hot_days: int
    y2019_tmax: float


def summarise(series: pd.DataFrame) -> ClimateSummary:
    """The :class:`ClimateSummary` of a frame from :func:`station_series`."""
    year = series["date"].str[:4].astype(int)
    missing = series["tmax"].isna()
    share = missing.groupby(year).mean()
    in_2019 = series[year == 2019]
    return ClimateSummary(
        gap_years=tuple((int(y), float(v)) for y, v in share.items() if v > 0.10),
        missing_days=int(missing.sum()),
        y2019_tmean=float(in_2019["tmean"].mean()),
        y2019_summer_days=int((in_2019["tmax"] >= 25.0).sum()),
        y2019_hot_days=int((in_2019["tmax"] >= 30.0).sum()),
        y2019_tmax=float(in_2019["tmax"].max()),
    )


# --- the draw ----------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _full_series(seed: int) -> pd.DataFrame:
    days = pd.date_range(SERIES_START, SERIES_END, freq="D")
    n = len(days)
    year = np.asarray(days.year)
    month = np.asarray(days.month) - 1  # 0..11
    days_in_year = np.where(days.is_leap_year, 366.0, 365.0)
    frac = (np.asarray(days.day_of_year, dtype=float) - 0.5) / days_in_year
    season = (month + 1) % 12 // 3  # 0 DJF, 1 MAM, 2 JJA, 3 SON

    wet, precip = _precipitation(np.random.default_rng([seed, 0xC11A, 3]), month, season)
    p_wet = np.asarray(fc.WET_DAY_SHARE)[month]

    sd_x = np.sqrt(_seasonal(frac, _squared(fc.DAILY_SD_TMAX)))
    sd_n = np.sqrt(_seasonal(frac, _squared(_JENA_SD_TMIN)))
    phi_x = _seasonal(frac, fc.DAILY_LAG1_TMAX)
    phi_n = _seasonal(frac, fc.DAILY_LAG1_TMIN)
    r = _seasonal(frac, fc.DAILY_CORR_TMAX_TMIN)
    rho = np.minimum(0.99, r * (1 - phi_x * phi_n) / np.sqrt((1 - phi_x**2) * (1 - phi_n**2)))
    z_x, z_n = _ar1_pair(np.random.default_rng([seed, 0xC11A, 2]), phi_x, phi_n, rho)
    z_x = _shaped(z_x, frac, fc.DAILY_QUANTILES_TMAX)
    z_n = _shaped(z_n, frac, fc.DAILY_QUANTILES_TMIN)
    daily_x = sd_x * z_x + _seasonal(frac, fc.WET_EFFECT_TMAX) * (wet - p_wet)
    daily_n = sd_n * z_n + _seasonal(frac, fc.WET_EFFECT_TMIN) * (wet - p_wet)

    years = np.arange(year[0], year[-1] + 1)
    ann_x, ann_n = _annual_anomalies(np.random.default_rng([seed, 0xC11A, 1]), years.size)
    hinge = np.maximum(0, year - fc.TREND_BREAK_YEAR) - _REF_HINGE_MEAN
    base_x = (
        _climatology(frac, fc.ERFURT_TMAX_1961_1990)
        + fc.JENA_OFFSET_TMAX
        + _seasonal(frac, fc.TREND_TMAX_SEASONAL) / 10.0 * hinge
    )
    base_n = (
        _climatology(frac, fc.ERFURT_TMIN_1961_1990)
        + fc.JENA_OFFSET_TMIN
        + _seasonal(frac, fc.TREND_TMIN_SEASONAL) / 10.0 * hinge
    )
    tmax = base_x + ann_x[year - years[0]] + daily_x
    tmin = base_n + ann_n[year - years[0]] + daily_n
    tmax, tmin = _fold(tmax, tmin)
    # shift the drawn anomalies so they average zero over the reference period
    ref = (year >= fc.REFERENCE_PERIOD[0]) & (year <= fc.REFERENCE_PERIOD[1])
    tmax -= float((tmax - base_x)[ref].mean())
    tmin -= float((tmin - base_n)[ref].mean())

    # summers 1951-2018: each decade's JJA means as measured (Erfurt + Jena offset)
    window = _summer_window(month, np.asarray(days.day))
    _decadal_summers(tmax, year, month, window, fc.ERFURT_JJA_TMAX_BY_DECADE, fc.JENA_OFFSET_TMAX)
    _decadal_summers(tmin, year, month, window, fc.ERFURT_JJA_TMIN_BY_DECADE, fc.JENA_OFFSET_TMIN)
    tmax, tmin = _fold(tmax, tmin)
    tmean = _tmean(tmax, tmin, month)

    # 2019: the measured monthly means, summer distribution and annual mean of tmean
    in_2019 = year == 2019
    tmax[in_2019], tmin[in_2019], tmean[in_2019] = _year_2019(
        tmax[in_2019], tmin[in_2019], month[in_2019]
    )

    frame = pd.DataFrame(
        {
            "date": days.strftime("%Y-%m-%d"),
            "tmax": np.round(tmax, 1),
            "tmin": np.round(tmin, 1),
            "tmean": np.round(tmean, 1),
            "precip_mm": precip,
            "station_id": fc.JENA_STATION_ID,
        }
    )
    all_gap, rain_gap = _gaps(np.random.default_rng([seed, 0xC11A, 5]), year, n)
    frame.loc[all_gap, ["tmax", "tmin", "tmean", "precip_mm"]] = np.nan
    frame.loc[rain_gap, "precip_mm"] = np.nan
    return frame


def _fold(tmax: np.ndarray, tmin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fold the diurnal range at 0.5 K around the midrange (a no-op where it is wider)."""
    mid = (tmax + tmin) / 2.0
    half = (_MIN_RANGE_K + np.abs(tmax - tmin - _MIN_RANGE_K)) / 2.0
    return mid + half, mid - half


def _tmean(tmax: np.ndarray, tmin: np.ndarray, month: np.ndarray) -> np.ndarray:
    """The daily mean from the midrange, Erfurt's monthly correction and Jena's offsets."""
    shift = fc.JENA_OFFSET_TMEAN - (fc.JENA_OFFSET_TMAX + fc.JENA_OFFSET_TMIN) / 2.0
    tmean = (tmax + tmin) / 2.0 + np.asarray(fc.ERFURT_TMEAN_MINUS_MIDRANGE_2001_2018)[month]
    return np.clip(tmean + shift, tmin, tmax)  # on days with a tiny range


def _summer_window(month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """1 on June-August days, rising through May and falling through September, 0 otherwise."""
    window = np.isin(month, (5, 6, 7)).astype(float)
    window[month == 4] = (day[month == 4] - 0.5) / 31.0
    window[month == 8] = 1.0 - (day[month == 8] - 0.5) / 30.0
    return window


def _decadal_summers(
    values: np.ndarray,
    year: np.ndarray,
    month: np.ndarray,
    window: np.ndarray,
    jja_means: dict[int, float],
    offset: float,
) -> None:
    """Shift each observed decade's summers (in place) to its measured JJA mean plus ``offset``.

    The shift is one number per decade, applied with ``window`` (full in JJA, fading out over
    May and September). 2019, the calibration year, is left out.
    """
    jja = np.isin(month, (5, 6, 7))
    for decade, mean in jja_means.items():
        last = min(decade + 9, fc.ERFURT_RECORD_END_YEAR)
        days = (year >= decade) & (year <= last)
        values[days] += (mean + offset - float(values[days & jja].mean())) * window[days]


def _year_2019(
    tmax: np.ndarray, tmin: np.ndarray, month: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """2019 as measured: monthly means, the summer's distribution and the annual mean of tmean.

    First each month gets its measured mean of tmax and tmin, by a smooth shift: linear
    between mid-month nodes (constant before mid-January and after mid-December), the node
    values solved for so that every month's average of the shift closes the gap. Then the
    June-August days are quantile-mapped onto the measured 2019 summer: the day of rank ``k``
    (of ``n``) gets the measured quantile ``k / (n − 1)``, interpolated linearly between the
    typed 5 % quantiles, so the drawn order of the days is kept but their distribution
    (hot days, highest value, warmest night) is the measured one. Last, tmean is shifted so
    its annual mean is the measured one (≈ 0.1 K: Jena's 2019 TMK was 0.21 K below its
    midrange, the model's correction gives 0.30 K below).
    """
    frac = (np.arange(tmax.size) + 0.5) / tmax.size
    centres = np.array([frac[month == m].mean() for m in range(12)])
    hats = np.column_stack([np.interp(frac, centres, np.eye(12)[k]) for k in range(12)])
    weights = np.vstack([hats[month == m].mean(axis=0) for m in range(12)])
    jja = np.isin(month, (5, 6, 7))
    levels = np.linspace(0.0, 1.0, len(fc.JENA_2019_JJA_TMAX_QUANTILES))
    out = []
    for values, monthly, quantiles in (
        (tmax, fc.JENA_2019_MONTHLY_TMAX, fc.JENA_2019_JJA_TMAX_QUANTILES),
        (tmin, fc.JENA_2019_MONTHLY_TMIN, fc.JENA_2019_JJA_TMIN_QUANTILES),
    ):
        gap = np.asarray(monthly) - np.array([values[month == m].mean() for m in range(12)])
        values = values + hats @ np.linalg.solve(weights, gap)
        summer = values[jja]
        rank = np.argsort(np.argsort(summer, kind="stable"), kind="stable")
        values[jja] = np.interp(rank / (summer.size - 1.0), levels, quantiles)
        out.append(values)
    tmax, tmin = _fold(out[0], out[1])
    tmean = _tmean(tmax, tmin, month)
    tmean = np.clip(tmean + fc.JENA_2019_TMEAN - float(tmean.mean()), tmin, tmax)
    return tmax, tmin, tmean


def _squared(values: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(v * v for v in values)


@lru_cache(maxsize=32)
def _season_nodes(values: tuple[float, ...]) -> np.ndarray:
    """Node values at the season centres whose linear interpolation has the seasonal means."""
    frac = (np.arange(365) + 0.5) / 365.0
    season = np.asarray(pd.date_range("2001-01-01", "2001-12-31", freq="D").month) % 12 // 3
    hats = np.column_stack(
        [np.interp(frac, _SEASON_CENTRES, np.eye(4)[k], period=1.0) for k in range(4)]
    )
    weights = np.vstack([hats[season == s].mean(axis=0) for s in range(4)])
    return np.linalg.solve(weights, np.asarray(values, dtype=float))


def _seasonal(frac: np.ndarray, values: tuple[float, ...]) -> np.ndarray:
    """Seasonal values (DJF, MAM, JJA, SON) interpolated over the year, season means kept.

    Linear and periodic between the season centres; the node values are solved for so that
    each season's average of the curve is its value (plain interpolation through the values
    would flatten the annual cycle: the JJA average of the summer trend would be 0.41 instead
    of 0.45 K per decade, that of the summer tmin SD 3.06 instead of 2.88 K). Linear in
    ``values``.
    """
    return np.interp(frac, _SEASON_CENTRES, _season_nodes(tuple(values)), period=1.0)


@lru_cache(maxsize=16)
def _shape_map(quantiles: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Knots of the map from a standard normal value to the season's anomaly distribution.

    ``quantiles`` are the standardised anomaly's quantiles at :data:`fc.DAILY_QUANTILE_LEVELS`;
    the map is linear between them in normal scores and continues with the slope of the
    outermost segment beyond them. It is shifted and scaled so that it gives mean 0 and
    variance 1 exactly (numerical integration over the normal density).
    """
    scores = np.array([NormalDist().inv_cdf(p) for p in fc.DAILY_QUANTILE_LEVELS])
    values = np.asarray(quantiles, dtype=float)
    lo = values[0] - (values[1] - values[0]) / (scores[1] - scores[0]) * (scores[0] + 9.0)
    hi = values[-1] + (values[-1] - values[-2]) / (scores[-1] - scores[-2]) * (9.0 - scores[-1])
    xs = np.concatenate([[-9.0], scores, [9.0]])
    ys = np.concatenate([[lo], values, [hi]])
    grid = np.linspace(-9.0, 9.0, 36_001)
    density = np.exp(-0.5 * grid**2)
    density /= density.sum()
    mapped = np.interp(grid, xs, ys)
    mean = float((mapped * density).sum())
    sd = float(np.sqrt(((mapped - mean) ** 2 * density).sum()))
    return xs, (ys - mean) / sd


def _shaped(z: np.ndarray, frac: np.ndarray, tables: tuple[tuple[float, ...], ...]) -> np.ndarray:
    """Standard normal ``z`` given the seasons' anomaly distributions (quantile mapping).

    Each season's map (:func:`_shape_map`) is applied and the results blended with the
    weights of :func:`_seasonal`, so the order of the days (and with it the AR(1) persistence)
    is kept and the mean and variance stay 0 and 1.
    """
    out = np.zeros_like(z)
    for s, table in enumerate(tables):
        weight = _seasonal(frac, tuple(float(k == s) for k in range(4)))
        xs, ys = _shape_map(tuple(table))
        out += weight * np.interp(z, xs, ys)
    return out


def _harmonic_basis(t: np.ndarray) -> np.ndarray:
    cols = [np.ones_like(t)]
    for k in range(1, _HARMONICS + 1):
        cols += [np.cos(2 * np.pi * k * t), np.sin(2 * np.pi * k * t)]
    return np.column_stack(cols)


def _climatology(frac: np.ndarray, monthly: tuple[float, ...]) -> np.ndarray:
    """A smooth annual cycle whose monthly averages (365-day year) fit ``monthly``."""
    ref = pd.date_range("2001-01-01", "2001-12-31", freq="D")
    basis = _harmonic_basis((np.arange(365) + 0.5) / 365.0)
    design = np.vstack([basis[np.asarray(ref.month) == m].mean(axis=0) for m in range(1, 13)])
    target = np.asarray(monthly, dtype=float)
    coef, *_ = np.linalg.lstsq(design, target, rcond=None)
    # keep the annual mean exactly (months weighted by their length)
    length = np.bincount(np.asarray(ref.month) - 1).astype(float)
    coef[0] += float(((target - design @ coef) * length).sum() / length.sum())
    return _harmonic_basis(frac) @ coef


def _ar1_pair(
    rng: np.random.Generator, phi_x: np.ndarray, phi_n: np.ndarray, rho: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Two unit-variance AR(1) series with time-varying lag-1 coefficients and correlated shocks."""
    e1, e2 = rng.standard_normal((2, phi_x.size))
    e_n = rho * e1 + np.sqrt(1 - rho**2) * e2
    gain_x = np.sqrt(1 - phi_x**2)
    gain_n = np.sqrt(1 - phi_n**2)
    px, pn, gx, gn = phi_x.tolist(), phi_n.tolist(), gain_x.tolist(), gain_n.tolist()
    sx, sn = e1.tolist(), e_n.tolist()
    zx, zn = [0.0] * phi_x.size, [0.0] * phi_x.size
    zx[0], zn[0] = sx[0], sn[0]
    for i in range(1, phi_x.size):
        zx[i] = px[i] * zx[i - 1] + gx[i] * sx[i]
        zn[i] = pn[i] * zn[i - 1] + gn[i] * sn[i]
    return np.array(zx), np.array(zn)


def _annual_anomalies(rng: np.random.Generator, n_years: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-year anomalies of tmax and tmin (K), net of what the daily anomalies contribute."""
    sds = []
    for observed, sd, phi in (
        (fc.INTERANNUAL_SD_TMAX, fc.DAILY_SD_TMAX, fc.DAILY_LAG1_TMAX),
        (fc.INTERANNUAL_SD_TMIN, _JENA_SD_TMIN, fc.DAILY_LAG1_TMIN),
    ):
        phi_bar = float(np.mean(phi))
        daily = float(np.mean(np.square(sd))) * (1 + phi_bar) / (1 - phi_bar) / 365.25
        sds.append(np.sqrt(max(observed**2 - daily, 0.0)))
    u1, u2 = rng.standard_normal((2, n_years))
    c = fc.INTERANNUAL_CORR
    return sds[0] * u1, sds[1] * (c * u1 + np.sqrt(1 - c**2) * u2)


def _precipitation(
    rng: np.random.Generator, month: np.ndarray, season: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Wet days (0/1) from the monthly Markov chain and their amounts (mm, 0.1 mm steps)."""
    p01 = np.asarray(fc.P_WET_AFTER_DRY)[month].tolist()
    p11 = np.asarray(fc.P_WET_AFTER_WET)[month].tolist()
    uniform = rng.random(month.size).tolist()
    wet = [False] * month.size
    state = uniform[0] < fc.WET_DAY_SHARE[int(month[0])]
    wet[0] = state
    for i in range(1, month.size):
        state = uniform[i] < (p11[i] if state else p01[i])
        wet[i] = state
    wet_arr = np.array(wet, dtype=float)
    shape = np.asarray(fc.GAMMA_SHAPE)[season]
    mean = np.asarray(fc.MEAN_WET_DAY_MM)[month]
    amount = 0.05 + rng.gamma(shape, (mean - 0.05) / shape)
    precip = np.where(wet_arr > 0, np.maximum(np.round(amount, 1), 0.1), 0.0)
    return wet_arr, precip


def _gaps(rng: np.random.Generator, year: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Boolean masks of invented outages: whole station, and the rain gauge only."""
    allowed = ~np.isin(year, _NO_GAP_YEARS) & (year < _NO_GAP_FROM)
    all_gap = np.zeros(n, dtype=bool)
    rain_gap = np.zeros(n, dtype=bool)

    def place(mask: np.ndarray, length: int, lo: int, hi: int) -> None:
        while True:  # redraw until the gap avoids the protected years
            first = int(rng.integers(lo, hi - length + 1))
            if allowed[first : first + length].all():
                mask[first : first + length] = True
                return

    in_year = np.flatnonzero(year == LONG_GAP_YEAR)
    place(all_gap, int(rng.integers(42, 57)), int(in_year[0]), int(in_year[-1]) + 1)
    for _ in range(6):
        place(all_gap, int(rng.integers(10, 22)), 0, n)
    for _ in range(6):
        place(all_gap, int(rng.integers(1, 4)), 0, n)
    for _ in range(3):
        place(rain_gap, int(rng.integers(5, 31)), 0, n)
    return all_gap, rain_gap
