"""Pedestrian counts in one house format, and the rules every importer applies.

The house format is a long table of hourly counts:

* ``site_id`` (str): the counting site;
* ``time`` (datetime64, UTC): the START of the hour counted (local time is derived with
  the pack's time zone, :class:`data.calendar.CityCalendar`, so days with 23 and 25 local
  hours come out right);
* ``count`` (float): pedestrians in that hour; ``NaN`` = not measured (sensor gap). A gap is
  never a zero.

Sites are a separate table: ``site_id``, ``name``, ``lon``, ``lat`` (WGS84).

:func:`normalise_counts` applies the import rules: rows are sorted; exact duplicate rows are
dropped and reported; two rows for the same site and hour with different counts are an error
naming both rows; NaN, empty and negative counts become missing and are reported; an
infinite count or one above :data:`data.limits.HOURLY_PEDESTRIANS_CEILING` is an error naming
the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from data.calendar import DEFAULT_TIMEZONE
from data.importers.base import ImporterError
from data.limits import HOURLY_PEDESTRIANS_CEILING, NOT_FINITE, problem, shown

#: The documented default time zone (of naive times in files, and of a pack that declares
#: none); the city's own zone comes from its pack (``CityPack.calendar.timezone``).
TZ = DEFAULT_TIMEZONE
COLUMNS = ("site_id", "time", "count")
SITE_COLUMNS = ("site_id", "name", "lon", "lat")


class CountsError(ImporterError):
    """A counts file cannot be imported; names the file, where (lines), what was expected/found."""


@dataclass
class CountsReport:
    """What an import did to the rows it read."""

    source: str
    rows_read: int = 0
    rows_kept: int = 0
    sites: list[str] = field(default_factory=list)
    exact_duplicates_dropped: int = 0
    missing_counts: int = 0  # NaN or empty in the file
    negative_counts: int = 0  # set to missing
    first: str | None = None
    last: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def lines(self) -> list[str]:
        out = [
            f"{self.source}: {self.rows_kept} hourly rows for {len(self.sites)} site(s)"
            + (f", {self.first} – {self.last} (UTC)" if self.first else "")
        ]
        if self.exact_duplicates_dropped:
            out.append(f"  dropped {self.exact_duplicates_dropped} exact duplicate row(s)")
        if self.missing_counts:
            out.append(f"  {self.missing_counts} empty/NaN count(s) stored as missing")
        if self.negative_counts:
            out.append(f"  {self.negative_counts} negative count(s) stored as missing")
        out.extend(f"  warning: {w}" for w in self.warnings)
        return out


def normalise_counts(
    frame: pd.DataFrame, source: str, line_numbers: pd.Series | None = None
) -> tuple[pd.DataFrame, CountsReport]:
    """Apply the import rules to a frame with ``site_id``, ``time`` (tz-aware) and ``count``.

    ``line_numbers`` (same index as ``frame``) are the rows' line numbers in the source file,
    used in messages; by default the frame's position + 2 (a header line, 1-based).
    Returns the house-format frame (sorted by site and time) and a report.
    Raises :class:`CountsError` naming ``source`` (as the file) and the lines.
    """
    missing_cols = [c for c in COLUMNS if c not in frame.columns]
    if missing_cols:
        raise CountsError(
            f"missing column(s) {missing_cols}",
            file=source,
            expected=f"columns {', '.join(COLUMNS)}",
            found=", ".join(map(str, frame.columns)) or "no columns",
        )
    report = CountsReport(source=source, rows_read=len(frame))
    lines = (
        line_numbers
        if line_numbers is not None
        else pd.Series(np.arange(len(frame)) + 2, index=frame.index)
    )
    out = pd.DataFrame(
        {
            "site_id": frame["site_id"].astype("string").str.strip(),
            "time": frame["time"],
            "count": pd.to_numeric(frame["count"], errors="coerce").astype(float),
            "_line": lines.to_numpy(),
        },
        index=frame.index,
    )
    _check_times_and_sites(out, source)
    _check_count_values(out, source)
    raw = pd.to_numeric(frame["count"], errors="coerce")
    report.missing_counts = int(raw.isna().sum())
    negative = out["count"] < 0
    report.negative_counts = int(negative.sum())
    out.loc[negative, "count"] = np.nan
    out = out.sort_values(["site_id", "time", "_line"], kind="stable")
    out, report.exact_duplicates_dropped = _drop_exact_duplicates(out)
    _check_conflicts(out, source)
    out = out.drop(columns="_line").reset_index(drop=True)
    report.rows_kept = len(out)
    report.sites = sorted(out["site_id"].unique().tolist())
    if len(out):
        report.first = f"{out['time'].min():%Y-%m-%d %H:%M}"
        report.last = f"{out['time'].max():%Y-%m-%d %H:%M}"
    off_hour = (out["time"].dt.minute != 0) | (out["time"].dt.second != 0)
    if off_hour.any():
        raise CountsError(
            f"{int(off_hour.sum())} timestamp(s) are not on the full hour",
            file=source,
            where=f"first at {out.loc[off_hour, 'time'].iloc[0]}",
            expected="hourly counts (times on the full hour)",
            found=f"{out.loc[off_hour, 'time'].iloc[0]:%H:%M:%S} UTC",
        )
    return out, report


def _check_times_and_sites(out: pd.DataFrame, source: str) -> None:
    """Times tz-aware and readable (converted to UTC in place), site ids not empty."""
    if not isinstance(out["time"].dtype, pd.DatetimeTZDtype):
        raise CountsError(
            "times must carry a UTC offset or a time zone",
            file=source,
            where="column 'time'",
            expected="time-zone-aware times",
            found=f"{out['time'].dtype} values",
        )
    out["time"] = out["time"].dt.tz_convert("UTC")
    bad_time = out["time"].isna()
    if bad_time.any():
        raise CountsError(
            "unreadable time",
            file=source,
            where=f"line(s) {_lines(out[bad_time])}",
            expected="a date and hour",
        )
    bad = out["site_id"].isna() | (out["site_id"] == "")
    if bad.any():
        raise CountsError(
            "empty site id",
            file=source,
            where=f"line(s) {_lines(out[bad])}",
            expected="a site id in every row",
            found="an empty cell",
        )


def _check_count_values(out: pd.DataFrame, source: str) -> None:
    """Infinite counts and counts above :data:`data.limits.HOURLY_PEDESTRIANS_CEILING` are
    errors naming the first line (NaN is a gap, a negative count is stored as missing)."""
    values = out["count"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        bad = np.isinf(values) | (values > HOURLY_PEDESTRIANS_CEILING)
    if not bad.any():
        return
    rows = out[bad]
    first = float(rows["count"].iloc[0])
    reason = problem(first, HOURLY_PEDESTRIANS_CEILING, "pedestrians per hour") or NOT_FINITE
    raise CountsError(
        f"{int(bad.sum())} count(s) {reason}",
        file=source,
        where=f"line(s) {_lines(rows)}, column 'count'",
        expected=f"a number from 0 to {HOURLY_PEDESTRIANS_CEILING:,.0f} pedestrians per hour",
        found=shown(first),
    )


def _drop_exact_duplicates(out: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Drop rows repeating a site, hour and count (NaN equals NaN); ``(rows, n dropped)``."""
    key = ["site_id", "time"]
    exact = out.duplicated(subset=[*key, "count"], keep="first") & out.duplicated(subset=key)
    # NaN == NaN counts as an exact duplicate too
    both_nan = out.duplicated(subset=key, keep="first") & out["count"].isna()
    same_nan = both_nan & out.groupby(key)["count"].transform(lambda s: s.isna().all())
    exact = exact | same_nan
    return out[~exact], int(exact.sum())


def _check_conflicts(out: pd.DataFrame, source: str) -> None:
    """Two rows for one site and hour with different counts are an error naming the lines."""
    conflicts = out.duplicated(subset=["site_id", "time"], keep=False)
    if not conflicts.any():
        return
    rows = out[conflicts].head(6)
    shown = "; ".join(
        f"line {int(line)}: {site} {time:%Y-%m-%d %H:%M}Z count {count:g}"
        for site, time, count, line in zip(
            rows["site_id"], rows["time"], rows["count"], rows["_line"], strict=True
        )
    )
    raise CountsError(
        f"{int(conflicts.sum())} rows give different counts for the same site and hour",
        file=source,
        where=f"line(s) {_lines(out[conflicts])}",
        expected="one count per site and hour",
        found=shown,
    )


def _lines(rows: pd.DataFrame, limit: int = 5) -> str:
    nums = [str(int(n)) for n in rows["_line"].head(limit)]
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return ", ".join(nums) + more


def merge_counts(old: pd.DataFrame | None, new: pd.DataFrame, source: str) -> pd.DataFrame:
    """Add ``new`` rows to the stored counts; the same site and hour with another count is an error.

    ``source`` names the new file(s) in the :class:`CountsError`.
    """
    if old is None or old.empty:
        return new.reset_index(drop=True)
    both = pd.concat([old.assign(_new=False), new.assign(_new=True)], ignore_index=True)
    both = both.sort_values(["site_id", "time", "_new"], kind="stable")
    same = both.duplicated(subset=["site_id", "time", "count"], keep="first")
    both = both[~same]
    clash = both.duplicated(subset=["site_id", "time"], keep=False)
    if clash.any():
        stored, given = both[clash].iloc[0], both[clash].iloc[1]
        raise CountsError(
            f"{int(clash.sum()) // 2} hour(s) already stored with a different count",
            file=source,
            where=f"first: {stored.site_id} {stored.time:%Y-%m-%d %H:%M}Z",
            expected=f"the stored count {stored['count']:g} (or a new hour)",
            found=f"count {given['count']:g}",
        )
    return both.drop(columns="_new").reset_index(drop=True)


def complete_hours(counts: pd.DataFrame) -> pd.DataFrame:
    """Every site's hourly series from its first to its last hour, gaps as NaN rows."""
    parts = []
    for site, group in counts.groupby("site_id", sort=True):
        idx = pd.date_range(group["time"].min(), group["time"].max(), freq="h", tz="UTC")
        series = group.set_index("time")["count"].reindex(idx)
        parts.append(
            pd.DataFrame({"site_id": site, "time": idx, "count": series.to_numpy(dtype=float)})
        )
    if not parts:
        return counts.iloc[0:0]
    return pd.concat(parts, ignore_index=True)


def local_times(times: pd.Series, tz: str = TZ) -> pd.Series:
    """UTC hour starts as local times of the time zone ``tz`` (DST-aware)."""
    return times.dt.tz_convert(tz)


def with_daily_weather(counts: pd.DataFrame, weather: pd.DataFrame, tz: str = TZ) -> pd.DataFrame:
    """Attach a daily weather table (``date``, ``tmax`` °C, ``precip_mm``) to hourly counts.

    Each hour gets its local day's maximum temperature as ``temperature`` and ``weather`` =
    ``"rain"`` (≥ 1 mm that day) or ``"dry"``, the columns hystreet files carry, so the
    forecaster can use them. Days without weather stay missing. ``date`` is the local day in
    the time zone ``tz`` (the pack's).
    """
    local_day = counts["time"].dt.tz_convert(tz).dt.strftime("%Y-%m-%d")
    table = weather.assign(date=weather["date"].astype(str)).set_index("date")
    tmax = pd.to_numeric(table["tmax"], errors="coerce")
    precip = pd.to_numeric(table["precip_mm"], errors="coerce")
    rain = pd.Series(np.where(precip >= 1.0, "rain", "dry"), index=table.index).where(
        precip.notna()
    )
    return counts.assign(
        temperature=local_day.map(tmax).to_numpy(dtype=float),
        weather=local_day.map(rain).astype("string").to_numpy(),
    )
