"""Which kind of day is it in a city? Local time, public and school holidays, lectures, events.

Pure: no Dash and no file access. A :class:`CityCalendar` holds what a city pack declares
(``[city] timezone``, ``country``, ``subdivision`` and ``calendars`` in ``city.toml``, see
:mod:`data.pack_calendar`): the IANA time zone of its local clock, the country and
subdivision whose public holidays apply (any the ``holidays`` package knows), and date
ranges ``start,end,name,kind,source`` with ``kind`` one of :data:`RANGE_KINDS`.

Defaults: a pack that declares no time zone or country gets :data:`DEFAULT_TIMEZONE` and
:data:`DEFAULT_COUNTRY` (national public holidays only, no subdivision); ``allmende validate``
warns about that. Nothing else here names a place.

Every date function takes anything :func:`pandas.to_datetime` understands (a date, a
string, a list, a Series, a ``DatetimeIndex``; tz-aware values count by their own wall-clock
date) and returns a NumPy array with one entry per input date.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import holidays
import numpy as np
import pandas as pd

__all__ = [
    "DAY_TYPES",
    "DEFAULT_COUNTRY",
    "DEFAULT_TIMEZONE",
    "RANGE_COLUMNS",
    "RANGE_KINDS",
    "CityCalendar",
    "DateRange",
    "country_problem",
    "day_type",
    "public_holidays",
    "ranges_from_frame",
    "timezone_problem",
    "to_days",
]

#: The values :func:`day_type` returns.
DAY_TYPES = ("weekday", "saturday", "sunday_holiday")
#: Documented default time zone of a pack that declares none.
DEFAULT_TIMEZONE = "Europe/Berlin"
#: Documented default holiday country of a pack that declares none (no subdivision).
DEFAULT_COUNTRY = "DE"
#: What a calendar range may be.
RANGE_KINDS = ("school_holiday", "lecture", "event")
#: Columns of a calendar file (CSV): first and last day (inclusive, ISO dates), name, kind,
#: where the dates come from.
RANGE_COLUMNS = ("start", "end", "name", "kind", "source")


class DateRange(NamedTuple):
    """Days ``start`` … ``end`` (inclusive, ISO dates) of one kind, with a name and source."""

    start: str
    end: str
    name: str
    kind: str
    source: str


#: Countries named as examples in messages (only those the holidays package knows are shown).
_EXAMPLE_COUNTRIES = ("DE", "AT", "CH", "FR", "GB", "NL", "PL", "US", "CA", "AU", "NZ", "JP")


def _choices(values: list[str], limit: int = 12) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f", … ({len(values)} in all)" if len(values) > limit else "")


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())  # reads the tz database: once


@lru_cache(maxsize=1)
def _countries() -> dict[str, list[str]]:
    return dict(holidays.list_supported_countries())


def timezone_problem(name: Any) -> str | None:
    """Why ``name`` is not an IANA time zone, or ``None``."""
    if isinstance(name, str) and name in _timezones():
        return None
    return (
        f"unknown time zone {name!r}; expected an IANA name of the form 'Area/Location' "
        f"(the default is {DEFAULT_TIMEZONE!r})"
    )


def country_problem(country: Any, subdivision: Any = None) -> str | None:
    """Why ``country``/``subdivision`` is unknown to the ``holidays`` package, or ``None``."""
    known = _countries()
    if not isinstance(country, str) or country not in known:
        codes = sorted(c for c in known if len(c) == 2)
        hint = [c for c in codes if isinstance(country, str) and c == country.strip().upper()]
        examples = [c for c in _EXAMPLE_COUNTRIES if c in known]
        return (
            f"unknown country {country!r} for public holidays"
            + (f" (did you mean {hint[0]!r}?)" if hint else "")
            + f"; expected an ISO 3166 code known to the holidays package, e.g. "
            f"{', '.join(examples)}; all codes: {_choices(codes, 8)}"
        )
    subdivisions = list(known[country])
    if subdivision is not None and subdivision not in subdivisions:
        valid = _choices(subdivisions, 60) if subdivisions else "none (leave it out)"
        return f"unknown subdivision {subdivision!r} of {country}; valid: {valid}"
    return None


def ranges_from_frame(frame: pd.DataFrame, where: str) -> tuple[list[DateRange], list[str]]:
    """Calendar ranges from a table with :data:`RANGE_COLUMNS`; ``(ranges, problems)``.

    Problems name ``where`` (the file or dataset) and the row (1-based data row).
    """
    missing = [c for c in RANGE_COLUMNS if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns)) or "no columns"
        return [], [
            f"{where}: missing column(s) {missing}; expected {', '.join(RANGE_COLUMNS)}"
            f", found {found}"
        ]
    out: list[DateRange] = []
    problems: list[str] = []
    for row, rec in enumerate(frame[list(RANGE_COLUMNS)].itertuples(index=False), start=1):
        values = ["" if pd.isna(v) else str(v).strip() for v in rec]
        start, end, name, kind, source = values
        try:
            first, last = pd.Timestamp(start), pd.Timestamp(end)
            ok_dates = len(start) == 10 and len(end) == 10
        except ValueError:
            ok_dates = False
        if not ok_dates:
            problems.append(
                f"{where} row {row}: start/end {start!r}/{end!r} are not ISO dates (YYYY-MM-DD)"
            )
            continue
        if last < first:
            problems.append(f"{where} row {row}: end {end} lies before start {start}")
        if kind not in RANGE_KINDS:
            problems.append(
                f"{where} row {row}: kind {kind!r} is not one of {', '.join(RANGE_KINDS)}"
            )
        if not name or not source:
            problems.append(f"{where} row {row}: name and source must not be empty")
        out.append(DateRange(start, end, name, kind, source))
    return out, problems


def to_days(dates: Any) -> np.ndarray:
    """The calendar days of ``dates`` as ``datetime64[D]`` (tz-aware values: wall date)."""
    if isinstance(dates, pd.Series):
        values: Any = dates
    elif np.ndim(dates) == 0:
        values = pd.Series([dates])
    else:
        is_array = isinstance(dates, (np.ndarray, pd.Index, pd.api.extensions.ExtensionArray))
        values = pd.Series(dates if is_array else list(dates))
    stamps = pd.to_datetime(values)
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):
        stamps = stamps.dt.tz_localize(None)
    return stamps.to_numpy().astype("datetime64[D]")


def public_holidays(
    dates: Any, country: str = DEFAULT_COUNTRY, subdiv: str | None = None
) -> np.ndarray:
    """True on statutory public holidays of ``country`` (and ``subdiv``), ``holidays`` package."""
    days = to_days(dates)
    if days.size == 0:
        return np.zeros(0, dtype=bool)
    valid = ~np.isnat(days)
    years = sorted({int(y) for y in days[valid].astype("datetime64[Y]").astype(int) + 1970})
    table = holidays.country_holidays(country, subdiv=subdiv, years=years)
    known = np.array(sorted(table.keys()), dtype="datetime64[D]")
    return np.isin(days, known) & valid


def day_type(
    local_dates: Any, country: str = DEFAULT_COUNTRY, subdiv: str | None = None
) -> np.ndarray:
    """``"weekday"``, ``"saturday"`` or ``"sunday_holiday"`` (Sunday or public holiday).

    ``local_dates`` are the city's local calendar dates; a public holiday on a Saturday
    counts as ``"sunday_holiday"`` (shops are closed).
    """
    days = to_days(local_dates)
    # 1970-01-01 was a Thursday: weekday 0 = Monday.
    weekday = (days.astype("int64") + 3) % 7
    out = np.full(days.shape, "weekday", dtype=object)
    out[weekday == 5] = "saturday"
    out[(weekday == 6) | public_holidays(days, country, subdiv)] = "sunday_holiday"
    return out


@dataclass(frozen=True)
class CityCalendar:
    """A city's local clock and calendar (hashable: usable as a cache key)."""

    timezone: str = DEFAULT_TIMEZONE
    country: str = DEFAULT_COUNTRY
    subdivision: str | None = None
    ranges: tuple[DateRange, ...] = ()

    def __post_init__(self) -> None:
        problem = timezone_problem(self.timezone) or country_problem(self.country, self.subdivision)
        if problem:
            raise ValueError(problem)

    @property
    def region(self) -> str:
        """``DE-TH``, ``US-NY`` or ``DE`` (no subdivision)."""
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country

    def local(self, times: Any) -> Any:
        """UTC stamps (a ``DatetimeIndex``, a Series or a ``Timestamp``) in local time."""
        if isinstance(times, pd.Series):
            return times.dt.tz_convert(self.timezone)
        return times.tz_convert(self.timezone)

    def local_dates(self, times: pd.DatetimeIndex) -> pd.DatetimeIndex:
        """The local calendar date (naive midnight) of each UTC stamp."""
        return times.tz_convert(self.timezone).tz_localize(None).normalize()

    def has(self, kind: str) -> bool:
        return any(r.kind == kind for r in self.ranges)

    def in_ranges(self, dates: Any, kind: str) -> np.ndarray:
        """True on days inside any range of ``kind``."""
        days = to_days(dates)
        out = np.zeros(days.shape, dtype=bool)
        for rng in self.ranges:
            if rng.kind == kind:
                start, end = np.datetime64(rng.start, "D"), np.datetime64(rng.end, "D")
                out |= (days >= start) & (days <= end)
        return out

    def public_holiday(self, dates: Any) -> np.ndarray:
        return public_holidays(dates, self.country, self.subdivision)

    def school_holiday(self, dates: Any) -> np.ndarray:
        return self.in_ranges(dates, "school_holiday")

    def lecture_period(self, dates: Any) -> np.ndarray:
        return self.in_ranges(dates, "lecture")

    def event(self, dates: Any) -> np.ndarray:
        return self.in_ranges(dates, "event")

    def day_type(self, local_dates: Any) -> np.ndarray:
        return day_type(local_dates, self.country, self.subdivision)

    def describe(self) -> str:
        kinds = ", ".join(f"{k} ({sum(r.kind == k for r in self.ranges)})" for k in RANGE_KINDS)
        return f"time zone {self.timezone}, public holidays {self.region}, ranges: {kinds}"
