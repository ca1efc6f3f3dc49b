"""Which kind of day is it in Jena? Public and school holidays, lecture time, day types.

Pure functions over dates, no Dash and no I/O. Every function takes anything
:func:`pandas.to_datetime` understands (a date, a string, a list, a Series, a
``DatetimeIndex``; tz-aware values count by their own wall-clock date) and returns a NumPy
array with one entry per input date.

* :func:`public_holidays` — statutory public holidays (``holidays`` package, country DE,
  state ``TH`` by default: includes Reformation Day 31 Oct and Weltkindertag 20 Sep, but
  not Corpus Christi, which in Thuringia is a holiday only in some Catholic municipalities
  of the Eichsfeld, not in Jena).
* :func:`school_holidays` — Thuringian school holidays 2022/23 … 2026 (:data:`SCHOOL_HOLIDAYS_TH`).
* :func:`semester_lectures` — lecture periods of the Friedrich-Schiller-Universität Jena
  (:data:`FSU_LECTURE_PERIODS`, approximate).
* :func:`day_type` — ``"weekday"``, ``"saturday"`` or ``"sunday_holiday"``.
"""

from __future__ import annotations

from typing import Any

import holidays
import numpy as np
import pandas as pd

__all__ = [
    "DAY_TYPES",
    "FSU_LECTURE_PERIODS",
    "SCHOOL_HOLIDAYS_TH",
    "day_type",
    "public_holidays",
    "school_holidays",
    "semester_lectures",
    "to_days",
]

#: The values :func:`day_type` returns.
DAY_TYPES = ("weekday", "saturday", "sunday_holiday")

#: Thuringian school holidays (first and last day, inclusive), typed in as facts.
#: Source: the dates published by the Thuringian Ministry of Education (Ministerium für
#: Bildung, Jugend und Sport), as reproduced by kalenderpedia.de, ferienwiki.de,
#: ferienplaner.org and smart-rechner.de (checked against at least two of them, Oct 2025).
#: The single days in May are the state-wide school-free Friday after Ascension Day
#: ("Pfingstferien" in the tables). Movable days chosen by individual schools
#: ("Ferientage zur freien Verfügung", up to 3 per school year) are not included.
SCHOOL_HOLIDAYS_TH: tuple[tuple[str, str, str], ...] = (
    ("2022-12-22", "2023-01-03", "Weihnachtsferien"),
    ("2023-02-13", "2023-02-17", "Winterferien"),
    ("2023-04-03", "2023-04-15", "Osterferien"),
    ("2023-05-19", "2023-05-19", "Brückentag nach Himmelfahrt"),
    ("2023-07-10", "2023-08-19", "Sommerferien"),
    ("2023-10-02", "2023-10-14", "Herbstferien"),
    ("2023-12-22", "2024-01-05", "Weihnachtsferien"),
    ("2024-02-12", "2024-02-16", "Winterferien"),
    ("2024-03-25", "2024-04-06", "Osterferien"),
    ("2024-05-10", "2024-05-10", "Brückentag nach Himmelfahrt"),
    ("2024-06-20", "2024-07-31", "Sommerferien"),
    ("2024-09-30", "2024-10-12", "Herbstferien"),
    ("2024-12-23", "2025-01-03", "Weihnachtsferien"),
    ("2025-02-03", "2025-02-08", "Winterferien"),
    ("2025-04-07", "2025-04-19", "Osterferien"),
    ("2025-05-30", "2025-05-30", "Brückentag nach Himmelfahrt"),
    ("2025-06-28", "2025-08-08", "Sommerferien"),
    ("2025-10-06", "2025-10-18", "Herbstferien"),
    ("2025-12-22", "2026-01-03", "Weihnachtsferien"),
    ("2026-02-16", "2026-02-21", "Winterferien"),
    ("2026-04-07", "2026-04-17", "Osterferien"),
    ("2026-05-15", "2026-05-15", "Brückentag nach Himmelfahrt"),
    ("2026-07-04", "2026-08-14", "Sommerferien"),
    ("2026-10-12", "2026-10-24", "Herbstferien"),
    ("2026-12-23", "2027-01-02", "Weihnachtsferien"),
)

#: Lecture periods ("Vorlesungszeit") of the Friedrich-Schiller-Universität Jena, first and
#: last day, inclusive. APPROXIMATE: typed in from the usual pattern (winter semester from
#: mid-October to early/mid-February, summer semester from early/mid-April to mid-July),
#: not from the university's official calendar. The lecture-free days around Christmas and
#: New Year are left out as a separate gap (also approximate).
FSU_LECTURE_PERIODS: tuple[tuple[str, str], ...] = (
    ("2022-10-17", "2022-12-22"),
    ("2023-01-03", "2023-02-10"),
    ("2023-04-11", "2023-07-15"),
    ("2023-10-16", "2023-12-22"),
    ("2024-01-08", "2024-02-09"),
    ("2024-04-08", "2024-07-13"),
    ("2024-10-14", "2024-12-21"),
    ("2025-01-06", "2025-02-08"),
    ("2025-04-07", "2025-07-12"),
    ("2025-10-13", "2025-12-20"),
    ("2026-01-05", "2026-02-07"),
    ("2026-04-13", "2026-07-18"),
    ("2026-10-12", "2026-12-19"),
)


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


def _in_ranges(days: np.ndarray, ranges: tuple[tuple[str, ...], ...]) -> np.ndarray:
    out = np.zeros(days.shape, dtype=bool)
    for rng in ranges:
        start, end = np.datetime64(rng[0], "D"), np.datetime64(rng[1], "D")
        out |= (days >= start) & (days <= end)
    return out


def public_holidays(dates: Any, subdiv: str = "TH") -> np.ndarray:
    """True for statutory public holidays in Germany, state ``subdiv`` (default Thuringia).

    Uses the ``holidays`` package (country ``DE``). In Thuringia that includes Weltkindertag
    (20 Sep, since 2019) and Reformation Day (31 Oct); Corpus Christi is not a state-wide
    holiday there. Christmas Eve and New Year's Eve are ordinary (working) days.
    """
    days = to_days(dates)
    if days.size == 0:
        return np.zeros(0, dtype=bool)
    valid = ~np.isnat(days)
    years = sorted({int(y) for y in days[valid].astype("datetime64[Y]").astype(int) + 1970})
    table = holidays.country_holidays("DE", subdiv=subdiv, years=years)
    known = np.array(sorted(table.keys()), dtype="datetime64[D]")
    return np.isin(days, known) & valid


def school_holidays(dates: Any, state: str = "TH") -> np.ndarray:
    """True on Thuringian school holidays (:data:`SCHOOL_HOLIDAYS_TH`, 2022/23 … 2026).

    Dates outside the table's span (22 Dec 2022 … 2 Jan 2027) count as no school holiday.
    Only ``state="TH"`` is known.
    """
    if state != "TH":
        raise ValueError(f"school holidays are only known for Thuringia ('TH'), not {state!r}")
    return _in_ranges(to_days(dates), SCHOOL_HOLIDAYS_TH)


def semester_lectures(dates: Any) -> np.ndarray:
    """True during the (approximate) lecture periods of the University of Jena.

    See :data:`FSU_LECTURE_PERIODS`; approximate to a few days, Oct 2022 … Dec 2026.
    """
    return _in_ranges(to_days(dates), FSU_LECTURE_PERIODS)


def day_type(local_dates: Any, subdiv: str = "TH") -> np.ndarray:
    """``"weekday"``, ``"saturday"`` or ``"sunday_holiday"`` (Sunday or public holiday).

    ``local_dates`` are local (Europe/Berlin) calendar dates; a public holiday on a Saturday
    counts as ``"sunday_holiday"`` (shops are closed).
    """
    days = to_days(local_dates)
    # 1970-01-01 was a Thursday: weekday 0 = Monday.
    weekday = (days.astype("int64") + 3) % 7
    out = np.full(days.shape, "weekday", dtype=object)
    out[weekday == 5] = "saturday"
    out[(weekday == 6) | public_holidays(days, subdiv)] = "sunday_holiday"
    return out
