"""A synthetic daily weather series for Jena: how warm and how wet was each demo day?

SYNTHETIC, not measured. The footfall demo needs weather to react to (rain and heat keep
people at home), and the real DWD series of station 02444 "Jena (Sternwarte)" was not
available (FACTS.md section 6). :func:`daily_weather` draws a plausible series from the
climate of Jena as documented there and in the usual climate normals:

* daily mean temperature: annual mean 10.5 °C (DWD 2019: 11.4 °C), seasonal cycle with
  amplitude 9.5 K peaking around 20 July (January ≈ 1 °C, July ≈ 20 °C), plus an AR(1)
  anomaly (lag-1 correlation 0.8, SD 3.5 K in winter, 3.1 K in summer);
* diurnal range ≈ 6 K in winter to ≈ 12.5 K in summer (smaller on wet days), so the mean
  summer maximum is ≈ 24–25 °C and a few days a year reach 30 °C or more;
* precipitation: wet days from a two-state Markov chain (P(wet | dry) = 0.35,
  P(wet | wet) = 0.60, i.e. ≈ 170 wet days a year), amounts gamma-distributed (shape 0.75)
  with a mean of ≈ 3.2 mm per wet day, larger in summer (convective showers), for
  ≈ 500–600 mm a year (DWD 2019: 485 mm).

Columns: ``date`` (ISO ``YYYY-MM-DD``, local calendar day), ``tmax`` and ``tmin`` (°C,
0.1 K), ``precip_mm`` (mm, 0.1 mm). The same seed gives the same series.

A later issue replaces/extends this with a long series back to 1951 (Erfurt-Weimar 01270
plus the documented Jena offsets, FACTS.md section 6).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["WEATHER_END", "WEATHER_START", "daily_weather"]

#: First and last day of the demo weather series.
WEATHER_START = "2023-01-01"
WEATHER_END = "2025-12-31"

_ANNUAL_MEAN_C = 10.5
_AMPLITUDE_K = 9.5
_PEAK_DOY = 201  # ≈ 20 July
_P_WET_AFTER_DRY = 0.35
_P_WET_AFTER_WET = 0.60
_GAMMA_SHAPE = 0.75
_MEAN_WET_MM = 3.2


def daily_weather(seed: int, start: str = WEATHER_START, end: str = WEATHER_END) -> pd.DataFrame:
    """The synthetic daily weather of Jena from ``start`` to ``end`` (inclusive).

    Parameters
    ----------
    seed
        Seed of the random draws; the same seed (and span) gives the same frame.
    start, end
        ISO dates.

    Returns
    -------
    pandas.DataFrame
        ``date`` (str), ``tmax``, ``tmin`` (°C), ``precip_mm`` (mm), one row per day.
    """
    rng = np.random.default_rng([seed, 0x57EA7])
    days = pd.date_range(start, end, freq="D")
    n = len(days)
    doy = np.asarray(days.day_of_year, dtype=float)
    season = np.cos(2 * np.pi * (doy - _PEAK_DOY) / 365.25)  # +1 in summer, -1 in winter
    mean_c = _ANNUAL_MEAN_C + _AMPLITUDE_K * season

    # wet days: two-state Markov chain
    uniform = rng.random(n)
    wet = np.zeros(n, dtype=bool)
    state = bool(uniform[0] < 0.47)
    for i in range(n):
        if i:
            state = bool(uniform[i] < (_P_WET_AFTER_WET if state else _P_WET_AFTER_DRY))
        wet[i] = state
    scale = _MEAN_WET_MM / _GAMMA_SHAPE * (1.0 + 0.35 * season)
    amount = rng.gamma(_GAMMA_SHAPE, 1.0, n) * scale
    precip = np.where(wet, np.maximum(np.round(amount, 1), 0.1), 0.0)

    # temperature anomaly: AR(1) with a seasonal SD
    sd = 3.3 - 0.2 * season
    shocks = rng.standard_normal(n) * np.sqrt(1 - 0.8**2)
    anomaly = np.empty(n)
    anomaly[0] = rng.standard_normal()
    for i in range(1, n):
        anomaly[i] = 0.8 * anomaly[i - 1] + shocks[i]
    tmean = mean_c + sd * anomaly
    dtr = 9.3 + 3.2 * season - np.where(wet, 2.0 + 0.3 * np.minimum(precip, 10.0), 0.0)
    dtr = np.maximum(dtr + rng.normal(0.0, 1.2, n), 1.0)
    tmax = np.round(tmean + dtr / 2, 1)
    tmin = np.round(tmean - dtr / 2, 1)
    return pd.DataFrame(
        {
            "date": days.strftime("%Y-%m-%d"),
            "tmax": tmax,
            "tmin": tmin,
            "precip_mm": precip,
        }
    )
