"""A synthetic daily climate record for Jena, 1951–2025: how warm and wet was each day?

SYNTHETIC, not measured. The real daily record of DWD station 02444 Jena (Sternwarte) was not
available; the nearest long record, Erfurt-Weimar (01270), and 550 days of both stations were
(FACTS.md section 6). :func:`station_series` draws a daily series that has the climate of
Jena — Erfurt's statistics shifted by the measured Jena offsets — but no real weather: no
single day matches what happened. All figures come from :mod:`data.demo.facts_climate`.

Temperature, for a day ``t`` in year ``y`` (``x`` stands for tmax or tmin)::

    x(t) = C_x(t) + O_x + b_x(t) · (max(0, y − 1980) − 55/30) + A_x(y) + σ_x(t) · z_x(t)
           + w_x(t) · (wet(t) − p_wet(month))

* ``C_x`` — the Erfurt 1961–1990 climatology: three annual harmonics fitted (least squares)
  to the twelve monthly means, each month's harmonic average matching its mean within 0.3 K
  and the annual mean exactly;
* ``O_x`` — Jena minus Erfurt: +1.94 K (tmax), +0.91 K (tmin);
* ``b_x(t)`` — the warming after 1980, none before (hinge fits of the Erfurt means
  1951–2018): per season 0.38/0.44/0.45/0.18 K per decade for tmax and 0.35/0.29/0.27/0.15
  for tmin (DJF/MAM/JJA/SON; annual 0.37 and 0.27), interpolated over the year like the
  other seasonal values; ``55/30`` is the mean of ``max(0, y − 1980)`` over 1961–1990, so
  the reference period keeps its climatology, and the trend simply continues after 2018;
* ``A_x(y)`` — the year's anomaly: bivariate normal with correlation 0.85 and standard
  deviation ``sqrt(s² − v)``, where ``s`` is the observed interannual SD (0.88 / 0.68 K) and
  ``v = mean(σ²) · (1 + φ̄) / (1 − φ̄) / 365.25`` is what the daily anomalies already add to a
  year's mean. **2019** is the exception: its anomaly (the same for tmax and tmin) is set so
  the 2019 mean of tmean is the measured 11.41 °C;
* ``z_x`` — a seasonal AR(1), ``z(t) = φ(t) z(t−1) + sqrt(1 − φ(t)²) e(t)``, unit variance,
  scaled by ``σ_x(t)``; ``σ``, ``φ`` and the same-day tmax/tmin correlation ``r`` are the
  seasonal Erfurt values interpolated (periodic, linear) between mid-January, mid-April,
  mid-July and mid-October. The shocks of tmax and tmin are correlated with
  ``r · (1 − φ_x φ_n) / sqrt((1 − φ_x²)(1 − φ_n²))`` (capped at 0.99), which gives the two
  anomalies the observed same-day correlation ``r``;
* ``w_x`` — the wet-day effect (wet summer days cooler by day, wet nights milder), centred on
  the month's wet-day share so the climatology is kept.

Where a draw gives tmin above tmax − 0.5 K, the diurnal range is folded at 0.5 K around the
day's midrange (range' = 0.5 + |range − 0.5|). Then all days are shifted by one constant
(per variable, typically 0.1–0.2 K) so the drawn anomalies average exactly zero
over 1961–1990. ``tmean = (tmax + tmin) / 2 + c(month)`` with
``c`` = Erfurt's monthly mean of TMK − (TXK + TNK) / 2 (2001–2018, hourly means) plus
1.05 − (1.94 + 0.91) / 2, so Jena's mean offset of +1.05 K is kept (kept between tmin and
tmax on days with a tiny range).

Precipitation: wet days (≥ 0.1 mm) from a two-state Markov chain with Erfurt's monthly
P(wet | dry) and P(wet | wet); a wet day's amount is ``0.05 + Gamma(k, (m − 0.05) / k)`` mm,
with the month's mean wet-day amount ``m`` and the season's shape ``k``, rounded to 0.1 mm
(at least 0.1). No precipitation trend; Jena's precipitation is taken as Erfurt's.

Sensor gaps (NaN, never zero), all invented: six outages of 1–3 days and six of 10–21 days
at random, three outages of the rain gauge alone (5–30 days; temperatures present), and one
long outage in :data:`LONG_GAP_YEAR` (42–56 days, so more than 10 % of that year is
missing). No gaps in 2019 and from 2023 on, so the 2019 figure and the footfall demo's
weather (:mod:`data.demo.weather`, a slice of this series) are complete.

The series is always drawn over the whole span 1951-01-01 … 2025-12-31 and then sliced, so
a day's values do not depend on the span asked for. Columns: ``date`` (ISO), ``tmax``,
``tmin``, ``tmean`` (°C, 0.1 K), ``precip_mm`` (mm, 0.1 mm), ``station_id`` ("02444",
the real station the series stands in for). The same seed gives the same series.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

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

    sd_x = _seasonal(frac, fc.DAILY_SD_TMAX)
    sd_n = _seasonal(frac, fc.DAILY_SD_TMIN)
    phi_x = _seasonal(frac, fc.DAILY_LAG1_TMAX)
    phi_n = _seasonal(frac, fc.DAILY_LAG1_TMIN)
    r = _seasonal(frac, fc.DAILY_CORR_TMAX_TMIN)
    rho = np.minimum(0.99, r * (1 - phi_x * phi_n) / np.sqrt((1 - phi_x**2) * (1 - phi_n**2)))
    z_x, z_n = _ar1_pair(np.random.default_rng([seed, 0xC11A, 2]), phi_x, phi_n, rho)
    daily_x = sd_x * z_x + _seasonal(frac, fc.WET_EFFECT_TMAX) * (wet - p_wet)
    daily_n = sd_n * z_n + _seasonal(frac, fc.WET_EFFECT_TMIN) * (wet - p_wet)

    years = np.arange(year[0], year[-1] + 1)
    ann_x, ann_n = _annual_anomalies(np.random.default_rng([seed, 0xC11A, 1]), years.size)
    ann_x[years == 2019] = 0.0
    ann_n[years == 2019] = 0.0
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
    # fold the diurnal range at 0.5 K around the midrange
    mid = (tmax + tmin) / 2.0
    half = (_MIN_RANGE_K + np.abs(tmax - tmin - _MIN_RANGE_K)) / 2.0
    tmax, tmin = mid + half, mid - half
    # shift the drawn anomalies so they average zero over the reference period
    ref = (year >= fc.REFERENCE_PERIOD[0]) & (year <= fc.REFERENCE_PERIOD[1])
    tmax -= float((tmax - base_x)[ref].mean())
    tmin -= float((tmin - base_n)[ref].mean())
    mid = (tmax + tmin) / 2.0
    shift = fc.JENA_OFFSET_TMEAN - (fc.JENA_OFFSET_TMAX + fc.JENA_OFFSET_TMIN) / 2.0
    tmean = mid + np.asarray(fc.ERFURT_TMEAN_MINUS_MIDRANGE_2001_2018)[month] + shift
    tmean = np.clip(tmean, tmin, tmax)  # on days with a tiny range

    # 2019: the year's anomaly that gives the measured annual mean of tmean
    in_2019 = year == 2019
    delta = fc.JENA_2019_TMEAN - float(tmean[in_2019].mean())
    tmax[in_2019] += delta
    tmin[in_2019] += delta
    tmean[in_2019] += delta

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


def _seasonal(frac: np.ndarray, values: tuple[float, float, float, float]) -> np.ndarray:
    """Seasonal values (DJF, MAM, JJA, SON) interpolated linearly and periodically over the year."""
    return np.interp(frac, _SEASON_CENTRES, np.asarray(values, dtype=float), period=1.0)


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
        (fc.INTERANNUAL_SD_TMIN, fc.DAILY_SD_TMIN, fc.DAILY_LAG1_TMIN),
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
