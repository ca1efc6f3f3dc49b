"""A pack's clock and calendar: check what ``city.toml`` declares and build a CityCalendar.

``[city]`` in ``city.toml`` may declare

* ``timezone`` — an IANA time zone name (``"Area/Location"``);
* ``country`` and ``subdivision`` — public holidays as the ``holidays`` package knows them
  (``"DE"``/``"TH"``, ``"US"``/``"NY"``, ``"AU"``/``"NSW"``);
* ``calendars`` — ids of ``table`` datasets in the pack, each a CSV with the columns
  ``start,end,name,kind,source`` (ISO dates, inclusive; ``kind`` one of
  :data:`data.calendar.RANGE_KINDS`).

A pack that declares no time zone or no country gets :data:`data.calendar.DEFAULT_TIMEZONE`
and :data:`data.calendar.DEFAULT_COUNTRY`; validation warns about it. An unknown time zone,
country or subdivision, a missing calendar dataset or a bad row is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import pandas as pd

from data.calendar import (
    DEFAULT_COUNTRY,
    DEFAULT_TIMEZONE,
    CityCalendar,
    DateRange,
    country_problem,
    ranges_from_frame,
    timezone_problem,
)
from data.catalog import CITY_FILE, Catalog

if TYPE_CHECKING:
    from data.pack import CityPack

Report = Callable[[str, str], None]


def check_place(catalog: Catalog, error: Report, warn: Report) -> None:
    """Errors for an unknown time zone/country/subdivision or calendar id; warnings for
    what the pack leaves to the defaults."""
    city = catalog.city
    if city.timezone is None:
        warn(
            CITY_FILE,
            f"[city] declares no timezone; local times use the default {DEFAULT_TIMEZONE!r} "
            "(declare the city's own: timezone = '<Area/Location>')",
        )
    else:
        problem = timezone_problem(city.timezone)
        if problem:
            error(CITY_FILE, f"[city] timezone: {problem}")
    if city.country is None:
        warn(
            CITY_FILE,
            f"[city] declares no country; public holidays are those of the default "
            f"{DEFAULT_COUNTRY!r} without a subdivision (declare e.g. country = 'DE', "
            "subdivision = 'TH')",
        )
        if city.subdivision is not None:
            error(CITY_FILE, "[city] subdivision: given without a country")
    else:
        problem = country_problem(city.country, city.subdivision)
        if problem:
            error(CITY_FILE, f"[city] country/subdivision: {problem}")
    for ds_id in city.calendars:
        if ds_id not in catalog.ids():
            known = ", ".join(catalog.ids())
            error(CITY_FILE, f"[city] calendars: no dataset {ds_id!r} in the pack; known: {known}")
        elif catalog.get(ds_id).kind != "table":
            error(ds_id, f"a calendar must be a 'table' dataset, got {catalog.get(ds_id).kind!r}")


def check_calendar_tables(
    catalog: Catalog, tables: Mapping[str, pd.DataFrame], error: Report
) -> None:
    """Every row of every declared calendar table: dates, kind, name and source."""
    for ds_id in catalog.city.calendars:
        if ds_id in tables:
            for problem in ranges_from_frame(tables[ds_id], ds_id)[1]:
                error(ds_id, problem.removeprefix(f"{ds_id}").lstrip(": "))


def calendar_of(catalog: Catalog, tables: Mapping[str, pd.DataFrame]) -> CityCalendar:
    """The city's calendar from its catalog and loaded calendar tables (defaults where the
    pack declares nothing)."""
    city = catalog.city
    ranges: list[DateRange] = []
    for ds_id in city.calendars:
        if ds_id in tables:
            ranges += ranges_from_frame(tables[ds_id], ds_id)[0]
    country = city.country or DEFAULT_COUNTRY
    return CityCalendar(
        timezone=city.timezone or DEFAULT_TIMEZONE,
        country=country,
        subdivision=city.subdivision if city.country else None,
        ranges=tuple(ranges),
    )


def pack_calendar(pack: CityPack) -> CityCalendar:
    """The calendar of a loaded pack."""
    tables = {ds: pack.table(ds) for ds in pack.city.calendars if pack.has(ds)}
    return calendar_of(pack.catalog, tables)
