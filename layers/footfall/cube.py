"""Footfall as a cube: mean pedestrians per (local date, local hour, site), built once per pack.

Every heatmap frame and marker popup is computed from this cube, never from the raw rows:
a frame is a masked mean over dates of one (or several) hour slices. Local time is
the pack's (``CityPack.calendar``): on the 25-hour autumn day both 02:00 hours are averaged into hour 2; on the
23-hour spring day hour 2 is missing (NaN). Missing counts stay NaN throughout.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from data.pack import CityPack

DAY_TYPES = ("weekday", "saturday", "sunday_holiday")


@dataclass(frozen=True)
class Cube:
    site_ids: tuple[str, ...]
    names: tuple[str, ...]
    lon: np.ndarray
    lat: np.ndarray
    dates: np.ndarray  # datetime64[D], local calendar dates
    day_types: np.ndarray  # str per date
    values: np.ndarray  # [n_dates, 24, n_sites], mean count per local hour, NaN = missing
    hours_in_day: np.ndarray  # 23, 24 or 25 local hours per date (DST)

    def missing_hours(self) -> np.ndarray:
        """[n_dates, n_sites]: hours without a count, not counting the hour DST skips."""
        skipped = np.maximum(0, 24 - self.hours_in_day)
        return np.isnan(self.values).sum(axis=1) - skipped[:, None]

    def date_mask(self, date_from: str | None, date_to: str | None, kind: str) -> np.ndarray:
        mask = np.ones(len(self.dates), dtype=bool)
        if date_from:
            mask &= self.dates >= np.datetime64(date_from)
        if date_to:
            mask &= self.dates <= np.datetime64(date_to)
        if kind != "all":
            mask &= self.day_types == kind
        return mask


@lru_cache(maxsize=4)
def cube(pack: CityPack) -> Cube:
    """Build the cube from the pack's ``footfall_counts`` and ``footfall_sites``."""
    sites = pack.vector("footfall_sites")
    counts = pack.table("footfall_counts")
    calendar = pack.calendar  # the city's time zone and public holidays
    local = calendar.local(counts["time"])
    frame = pd.DataFrame(
        {
            "date": local.dt.tz_localize(None).dt.normalize().to_numpy(),
            "hour": local.dt.hour.to_numpy(),
            "site": counts["site_id"].astype(str).to_numpy(),
            "count": counts["count"].to_numpy(dtype=float),
        }
    )
    site_ids = tuple(str(s) for s in sites["site_id"])
    dates = pd.date_range(frame["date"].min(), frame["date"].max(), freq="D")
    mean = frame.groupby(["date", "hour", "site"], sort=False)["count"].mean()
    full = pd.MultiIndex.from_product([dates, range(24), site_ids], names=["date", "hour", "site"])
    values = mean.reindex(full).to_numpy(dtype=float).reshape(len(dates), 24, len(site_ids))
    midnights = dates.tz_localize(calendar.timezone)
    next_midnights = (dates + pd.Timedelta(days=1)).tz_localize(calendar.timezone)
    hours_in_day = ((next_midnights - midnights) / pd.Timedelta(hours=1)).to_numpy(dtype=int)
    return Cube(
        site_ids=site_ids,
        names=tuple(str(n) for n in sites["name"]),
        lon=sites.geometry.x.to_numpy(),
        lat=sites.geometry.y.to_numpy(),
        dates=dates.to_numpy().astype("datetime64[D]"),
        day_types=np.asarray(calendar.day_type(dates)),
        values=values,
        hours_in_day=hours_in_day,
    )


def hourly_means(c: Cube, date_from: str | None, date_to: str | None, kind: str) -> np.ndarray:
    """Mean pedestrians per hour for each local hour and site over the selected days: [24, n_sites]."""
    mask = c.date_mask(date_from, date_to, kind)
    if not mask.any():
        return np.full((24, len(c.site_ids)), np.nan)
    with warnings.catch_warnings():  # all-NaN sites stay NaN ("mean of empty slice")
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(c.values[mask], axis=0)
