"""The city's clock and calendar, given to an importer, into the pack's ``[city]`` declaration.

``allmende import counts`` takes ``--tz``, ``--country``, ``--subdiv`` (alias ``--state``)
and ``--calendar FILE`` (repeatable; CSV ``start,end,name,kind,source``, see
:func:`data.calendar.ranges_from_frame`). Importing into a pack writes them where the app and
the forecasts read them (:mod:`data.pack_calendar`): ``timezone``, ``country`` and
``subdivision`` in ``[city]`` of ``city.toml``, and the ranges as the table dataset
``calendar`` (``calendar.csv``) listed in ``[city] calendars``.

The rules (:func:`plan_calendar`):

* a value not given keeps what the pack declares (nothing is written for it);
* a value given that the pack does not declare yet is written; a subdivision given without
  a country is written with the pack's country, or the documented default
  :data:`data.calendar.DEFAULT_COUNTRY` when the pack declares none;
* a value given equal to the declared one changes nothing;
* a value given that differs from the declared one is refused with an :class:`ImporterError`
  naming both — the pack stays as it was — unless ``replace`` (``--replace-calendar``): then
  the given values replace the declared ones (a new country drops the old subdivision);
* calendar ranges are compared as a set with the ranges of every calendar the pack
  declares: equal changes nothing, none declared writes them, different is refused naming
  both, unless ``replace``: then ``calendar`` holds the given ranges and is the only
  calendar ``[city]`` lists.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from data.calendar import (
    DEFAULT_COUNTRY,
    DEFAULT_TIMEZONE,
    RANGE_COLUMNS,
    DateRange,
    country_problem,
    ranges_from_frame,
    timezone_problem,
)
from data.catalog import CITY_FILE, Catalog, City, Dataset, Temporal
from data.importers.base import ImporterError
from data.writer import Stage

#: The dataset the given calendar ranges are written to.
CALENDAR_ID = "calendar"
CALENDAR_PATH = "calendar.csv"
#: How the command line names the switch that replaces what the pack declares.
REPLACE_FLAG = "--replace-calendar"
#: What an error about an option names instead of a file.
OPTIONS = "command line"


@dataclass(frozen=True)
class CalendarRequest:
    """What the user gave: ``None``/empty means "not given"."""

    timezone: str | None = None
    country: str | None = None
    subdivision: str | None = None
    files: tuple[Path, ...] = ()
    replace: bool = False


@dataclass(frozen=True)
class CalendarPlan:
    """What to write: the ``[city]`` table and, when ``ranges`` is not ``None``, the calendar."""

    city: City
    ranges: tuple[DateRange, ...] | None
    files: tuple[Path, ...]
    notes: list[str] = field(default_factory=list)

    @property
    def timezone(self) -> str:
        """The city's time zone after the import (the documented default if undeclared)."""
        return self.city.timezone or DEFAULT_TIMEZONE


def read_calendar_files(paths: Sequence[Path | str]) -> list[DateRange]:
    """Date ranges from calendar CSVs (``,`` or ``;``, UTF-8 with or without BOM).

    Raises :class:`ImporterError` naming the file (and the row) of a bad calendar.
    """
    ranges: list[DateRange] = []
    for path in map(Path, paths):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ImporterError(
                "the calendar is not UTF-8 text",
                file=path,
                where=f"byte {err.start}",
                expected="UTF-8 CSV start,end,name,kind,source",
                found=repr(raw[err.start : err.start + 8]),
            ) from err
        head = text.split("\n", 1)[0]
        sep = ";" if head.count(";") > head.count(",") else ","
        try:
            frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
            raise ImporterError(
                f"the calendar cannot be read: {str(err).strip().splitlines()[0]}",
                file=path,
                expected="CSV " + ",".join(RANGE_COLUMNS),
            ) from err
        missing = [c for c in RANGE_COLUMNS if c not in frame.columns]
        if missing:
            shown = ", ".join(repr(str(c)[:30]) for c in list(frame.columns)[:6])
            raise ImporterError(
                f"calendar columns missing: {', '.join(missing)}",
                file=path,
                where="line 1",
                expected="CSV " + ",".join(RANGE_COLUMNS),
                found=shown or "no columns",
            )
        found, problems = ranges_from_frame(frame, path.name)
        if problems:
            raise ImporterError(
                "; ".join(problems[:5]), file=path, expected="CSV " + ",".join(RANGE_COLUMNS)
            )
        if not found:
            raise ImporterError(
                "the calendar holds no date ranges", file=path, expected="one row per range"
            )
        ranges += found
    return ranges


def stored_ranges(folder: Path, catalog: Catalog) -> list[DateRange]:
    """The ranges of every calendar the pack at ``folder`` declares (files as stored)."""
    ranges: list[DateRange] = []
    for ds_id in catalog.city.calendars:
        if ds_id in catalog.ids():
            frame = pd.read_csv(folder / catalog.get(ds_id).path, dtype=str, keep_default_na=False)
            ranges += ranges_from_frame(frame, ds_id)[0]
    return ranges


def _checked(request: CalendarRequest, city: City) -> None:
    """An unknown time zone, country or subdivision (the pack's country for a subdivision
    given alone), named as the command line gave it."""
    if request.timezone is not None:
        problem = timezone_problem(request.timezone)
        if problem:
            raise ImporterError(
                f"--tz: {problem}",
                file=OPTIONS,
                expected="an IANA time zone",
                found=repr(request.timezone),
            )
    if request.country is not None or request.subdivision is not None:
        country = request.country or city.country or DEFAULT_COUNTRY
        problem = country_problem(country, request.subdivision)
        if problem:
            raise ImporterError(f"--country/--subdiv: {problem}", file=OPTIONS)


def _span(ranges: Sequence[DateRange]) -> str:
    if not ranges:
        return "no ranges"
    return f"{len(ranges)} ranges, {min(r.start for r in ranges)} – {max(r.end for r in ranges)}"


def _show(r: DateRange) -> str:
    return f"{r.start}–{r.end} {r.name!r} ({r.kind})"


def plan_calendar(folder: Path, catalog: Catalog, request: CalendarRequest) -> CalendarPlan:
    """The ``[city]`` and calendar to write for ``request`` into the pack at ``folder``.

    Raises :class:`ImporterError` for an unknown time zone, country or subdivision, a bad
    calendar file, or — without ``request.replace`` — a value that differs from the one the
    pack declares (the message names both).
    """
    _checked(request, catalog.city)
    city = catalog.city
    conflicts: list[str] = []
    notes: list[str] = []
    new = city

    def settle(key: str, flag: str, given: str | None) -> None:
        nonlocal new
        declared = getattr(city, key)
        if given is None or given == declared:
            return
        if declared is not None and not request.replace:
            conflicts.append(f"{key} {declared!r} in {CITY_FILE}, but {flag} {given!r} was given")
            return
        changes: dict[str, Any] = {key: given}
        new = replace(new, **changes)
        was = f" (was {declared!r})" if declared is not None else ""
        notes.append(f"[city] {key} = {given!r}{was}")

    settle("timezone", "--tz", request.timezone)
    country = request.country
    if country is None and request.subdivision is not None and city.country is None:
        country = DEFAULT_COUNTRY
    settle("country", "--country", country)
    if new.country != city.country and request.subdivision is None and city.subdivision:
        new = replace(new, subdivision=None)
        notes.append(f"[city] subdivision {city.subdivision!r} dropped with the old country")
    settle("subdivision", "--subdiv", request.subdivision)
    ranges: tuple[DateRange, ...] | None = None
    if request.files:
        given = read_calendar_files(request.files)
        stored = stored_ranges(folder, catalog)
        names = ", ".join(p.name for p in request.files)
        if set(given) == set(stored):
            pass
        elif city.calendars and not request.replace:
            only_pack = sorted(set(stored) - set(given))
            only_files = sorted(set(given) - set(stored))
            example = [
                *(f"only in the pack: {_show(only_pack[0])}" for _ in only_pack[:1]),
                *(f"only in {names}: {_show(only_files[0])}" for _ in only_files[:1]),
            ]
            conflicts.append(
                f"calendars {', '.join(city.calendars)} ({_span(stored)}), but {names} "
                f"({_span(given)}) was given; {'; '.join(example)}"
            )
        elif CALENDAR_ID in catalog.ids() and CALENDAR_ID not in city.calendars:
            conflicts.append(
                f"a dataset {CALENDAR_ID!r} that is not a calendar, where {names} would go"
            )
        else:
            ranges = tuple(dict.fromkeys(given))
            new = replace(new, calendars=(CALENDAR_ID,))
            dropped = [c for c in city.calendars if c != CALENDAR_ID]
            notes.append(f"calendar: {_span(ranges)} from {names}")
            if dropped:
                notes.append(f"no longer calendars (kept as tables): {', '.join(dropped)}")
    if conflicts:
        raise ImporterError(
            "the pack declares another calendar: " + "; ".join(conflicts),
            file=folder / CITY_FILE,
            expected=f"the values the pack declares, or {REPLACE_FLAG} to replace them",
            found="different values given",
        )
    return CalendarPlan(new, ranges, tuple(request.files), notes)


def put_calendar(stage: Stage, plan: CalendarPlan, generated_by: str) -> None:
    """Write ``plan`` into the staged pack: ``[city]`` and, if given, ``calendar.csv``."""
    stage.set_city(plan.city)
    if plan.ranges is None:
        return
    frame = pd.DataFrame(list(plan.ranges), columns=list(RANGE_COLUMNS))
    names = ", ".join(p.name for p in plan.files)
    sources = ", ".join(sorted({r.source for r in plan.ranges}))
    entry = Dataset(
        id=CALENDAR_ID,
        title={
            "de": "Kalender: Schulferien, Vorlesungszeiten, Veranstaltungen",
            "en": "Calendar: school holidays, lecture periods, events",
        },
        kind="table",
        path=CALENDAR_PATH,
        crs=None,
        licence="see the sources of the ranges",
        attribution=sources,
        source=names,
        generated_by=generated_by,
        temporal=Temporal(min(r.start for r in plan.ranges), max(r.end for r in plan.ranges)),
        description={
            "de": f"Zeiträume (erster und letzter Tag) mit Name, Art und Quelle aus {names}.",
            "en": f"Date ranges (first and last day) with name, kind and source from {names}.",
        },
    )
    stage.put_table(entry, frame)
