"""Count-file options for commands that read counts without importing them.

:func:`add_counts_args` and :func:`counts_from_args` let ``allmende forecast`` read count files
with the same options as ``allmende import counts`` (generated from the importer registry).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

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
        default="Europe/Berlin",
        help="time zone of times without an offset (default Europe/Berlin)",
    )
    parser.add_argument(
        "--site", help="site id for every row (single-site files without a site column)"
    )


def counts_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword options of :func:`data.importers.counts.read_counts` from ``args``."""
    return {
        "site_col": args.site_col,
        "time_col": args.time_col,
        "count_col": args.count_col,
        "tz": args.tz,
        "site": args.site,
    }


def counts_from_args(
    args: argparse.Namespace,
) -> tuple[pd.DataFrame, list[Any], pd.DataFrame | None]:
    """Read the files named by :func:`add_counts_args` options: ``(counts, reports, sites)``.

    Raises :class:`data.footfall.CountsError` (a ``ValueError``) for bad input.
    """
    from data.importers.counts import read_counts

    return read_counts(args.counts or [], args.counts_format, **counts_options(args))
