"""The demo's daily weather 2023–2025: how warm and how wet was each day the footfall demo counts?

SYNTHETIC, not measured. The footfall demo needs weather to react to (rain and heat keep
people at home). :func:`daily_weather` is a slice of the long synthetic Jena station series
(:func:`data.demo.climate.station_series`, 1951–2025, built from Erfurt-Weimar statistics
and the measured Jena offsets), so the demo pack holds one consistent weather history: the
``weather_daily`` table equals the ``climate_daily`` rows of the same days, without the
``tmean`` and ``station_id`` columns.

The long series has no sensor gaps from 2023 on, so this slice is complete and nothing is
filled in; a slice reaching into earlier years may contain NaN (a gap) and is returned as is.

Columns: ``date`` (ISO ``YYYY-MM-DD``, local calendar day), ``tmax`` and ``tmin`` (°C,
0.1 K), ``precip_mm`` (mm, 0.1 mm). The same seed gives the same series.
"""

from __future__ import annotations

import pandas as pd

from data.demo.climate import station_series

__all__ = ["WEATHER_COLUMNS", "WEATHER_END", "WEATHER_START", "daily_weather"]

#: First and last day of the demo weather series.
WEATHER_START = "2023-01-01"
WEATHER_END = "2025-12-31"
#: Columns of the ``weather_daily`` table.
WEATHER_COLUMNS = ("date", "tmax", "tmin", "precip_mm")


def daily_weather(seed: int, start: str = WEATHER_START, end: str = WEATHER_END) -> pd.DataFrame:
    """The synthetic daily weather of Jena from ``start`` to ``end`` (inclusive).

    Parameters
    ----------
    seed
        Seed of the long series (:func:`data.demo.climate.station_series`).
    start, end
        ISO dates inside 1951-01-01 … 2025-12-31.

    Returns
    -------
    pandas.DataFrame
        ``date`` (str), ``tmax``, ``tmin`` (°C), ``precip_mm`` (mm), one row per day.
    """
    return station_series(seed, start, end).loc[:, list(WEATHER_COLUMNS)]
