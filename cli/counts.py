"""Count-file options for commands that read counts without importing them.

:func:`add_counts_args` and :func:`counts_from_args` let ``allmende forecast`` read count files
with the same options as ``allmende import counts`` (generated from the importer registry).
For files outside a pack, :func:`calendar_from_args` builds the city's calendar from
``--tz`` (IANA time zone of the city, also used for times without an offset), ``--country``
and ``--subdiv`` (alias ``--state``; public holidays) and ``--calendar FILE`` (repeatable,
CSV ``start,end,name,kind,source`` as in a pack's calendar datasets).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from data.calendar import (
    DEFAULT_COUNTRY,
    DEFAULT_TIMEZONE,
    RANGE_KINDS,
    CityCalendar,
    country_problem,
    ranges_from_frame,
    timezone_problem,
)
from data.importers.counts_dst import (
    AMBIGUOUS,
    DEFAULT_AMBIGUOUS,
    DEFAULT_NONEXISTENT,
    NONEXISTENT,
)

FORMATS = ("hystreet", "hystreet-json", "sensorthings", "long")


def add_counts_args(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """Add ``--counts FILE`` (repeatable), ``--format`` and the column/time-zone options."""
    parser.add_argument(
        "--counts",
        type=Path,
        action="append",
        required=required,
        default=None,
        metavar="FILE",
        help="counts file; repeat for several files read as one data set (e.g. monthly exports)",
    )
    parser.add_argument(
        "--format",
        dest="counts_format",
        choices=FORMATS,
        required=required,
        help="hystreet (CSV export), hystreet-json (API v2), sensorthings (OGC API JSON), "
        "long (CSV with site/time/count columns)",
    )
    parser.add_argument("--site-col", default="site", help="long: site column (default site)")
    parser.add_argument("--time-col", default="time", help="long: time column (default time)")
    parser.add_argument("--count-col", default="count", help="long: count column (default count)")
    parser.add_argument(
        "--tz",
        type=_timezone,
        default=DEFAULT_TIMEZONE,
        help="the city's IANA time zone: local days and hours, and times without an offset "
        f"(default {DEFAULT_TIMEZONE})",
    )
    parser.add_argument(
        "--country",
        default=None,
        help=f"country code for public holidays, e.g. DE, US, AU (default {DEFAULT_COUNTRY})",
    )
    parser.add_argument(
        "--subdiv",
        "--state",
        dest="subdiv",
        default=None,
        help="subdivision for public holidays, e.g. TH (DE), NY (US), NSW (AU); default none",
    )
    parser.add_argument(
        "--calendar",
        type=Path,
        action="append",
        default=None,
        metavar="FILE",
        help="calendar CSV start,end,name,kind,source (kind: "
        f"{'|'.join(RANGE_KINDS)}); repeat for several files",
    )
    parser.add_argument(
        "--site", help="site id for every row (single-site files without a site column)"
    )
    parser.add_argument(
        "--ambiguous",
        choices=AMBIGUOUS,
        default=DEFAULT_AMBIGUOUS,
        help="naive times: the repeated autumn hour (see data.importers.counts_dst)",
    )
    parser.add_argument(
        "--nonexistent",
        choices=NONEXISTENT,
        default=DEFAULT_NONEXISTENT,
        help="naive times: a row in the skipped spring hour (shift|drop|raise)",
    )


def counts_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword options of :func:`data.importers.counts.read_counts` from ``args``."""
    return {
        "site_col": args.site_col,
        "time_col": args.time_col,
        "count_col": args.count_col,
        "tz": args.tz,
        "site": args.site,
        "ambiguous": args.ambiguous,
        "nonexistent": args.nonexistent,
    }


def counts_from_args(
    args: argparse.Namespace,
) -> tuple[pd.DataFrame, list[Any], pd.DataFrame | None]:
    """Read the files named by :func:`add_counts_args` options: ``(counts, reports, sites)``.

    Raises :class:`data.footfall.CountsError` (a ``ValueError``) for bad input.
    """
    from data.importers.counts import read_counts

    return read_counts(args.counts or [], args.counts_format, **counts_options(args))


def _timezone(text: str) -> str:
    problem = timezone_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def calendar_from_args(args: argparse.Namespace) -> CityCalendar:
    """The city's calendar from ``--tz``, ``--country``, ``--subdiv`` and ``--calendar``.

    Raises ``ValueError`` naming an unknown country or subdivision (with the valid choices)
    or the file, row and problem of a bad calendar file.
    """
    country = args.country or DEFAULT_COUNTRY
    problem = country_problem(country, args.subdiv)
    if problem:
        raise ValueError(problem)
    ranges = []
    for path in args.calendar or []:
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        except (OSError, ValueError) as err:
            raise ValueError(f"calendar file {str(path)!r} cannot be read: {err}") from err
        found, problems = ranges_from_frame(frame, str(path))
        if problems:
            raise ValueError("; ".join(problems[:5]))
        ranges += found
    return CityCalendar(args.tz, country, args.subdiv, tuple(ranges))
