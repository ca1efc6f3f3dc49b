"""The district import's description: its error, its join spec and the checks on that spec.

:class:`DistrictImport` says how a boundary file and a statistics CSV are joined;
:func:`check_spec` refuses a spec that cannot work before any file is read, and
:class:`DistrictsError` is the error every step of the district import raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data.german_csv import unknown_column_error
from data.importers.base import ImporterError
from data.schemas import SCHEMAS

GENERATED_BY = "data/importers/districts.py (allmende import districts)"
DISTRICTS_PATH = "districts.geojson"
STATS_PATH = "district_stats.csv"
RESERVED = ("district_id", "name", "area_km2", "geometry")
REQUIRED_TARGETS = ("population", "pop_65plus")
# Targets that count people: they must be whole numbers and present for every district.
COUNT_TARGETS = tuple(
    c.name for c in SCHEMAS["districts"].columns if c.dtype == "int" and c.name not in RESERVED
)
YEAR_COLUMNS = ("year", "jahr", "berichtsjahr", "stichtag_jahr")
_TARGET_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class DistrictsError(ImporterError):
    """District boundaries or statistics cannot be imported; the pack was not changed."""


def as_districts_error(err: ImporterError) -> DistrictsError:
    """``err`` (from a shared helper such as :func:`data.importers.base.settle_crs`) as ours."""
    return DistrictsError(
        err.message, file=err.file, where=err.where, expected=err.expected, found=err.found
    )


def strip_name(text: str, name: str) -> str:
    """``text`` without a leading ``"<file name>: "`` (the error adds the file itself)."""
    return text.removeprefix(f"{name}: ")


def column_error(
    column: str,
    available: Any,
    file: Path | str,
    what: str = "column",
    where: str | None = None,
) -> DistrictsError:
    """An unknown column: close matches and the available columns, naming ``file``."""
    text = str(unknown_column_error(column, available, "\0", what))
    return DistrictsError(strip_name(text, "\0"), file=file, where=where)


@dataclass(frozen=True)
class DistrictImport:
    """How to join a boundary file and a statistics CSV into districts.

    Parameters
    ----------
    boundary_key : str
        Key column in the boundary file, e.g. ``"id"``.
    stats_key : str
        Key column in the statistics CSV, e.g. ``"statbez_id"``.
    name_col : str
        District name column, looked up in the boundaries first, then in the statistics.
    columns : dict of str to str
        Target column -> expression. Targets: ``population`` and ``pop_65plus`` (required),
        ``pop_under6`` (optional) and any extra numeric column. An expression is a
        statistics column name, or several joined with ``" + "`` (summed).
    filters : dict of str to str
        Keep statistics rows where ``column == value``, e.g. ``{"year": "2017"}``. Compared
        as stripped strings, numerically when both sides are numbers (``"2017" == 2017``).
    layer : str, optional
        Layer inside a GeoPackage.
    source_crs : str, optional
        CRS of the boundary coordinates. It wins over a CRS the file states (a differing
        one is reported as a warning); required when the file states none.
    """

    boundary_key: str
    stats_key: str
    name_col: str
    columns: dict[str, str]
    filters: dict[str, str] = field(default_factory=dict)
    layer: str | None = None
    source_crs: str | None = None


def parse_mapping(items: list[str], option: str = "--column") -> dict[str, str]:
    """Turn ``["population=Einwohner insgesamt", "year=2017"]`` into a dict.

    Parameters
    ----------
    items : list of str
        ``KEY=VALUE`` strings; only the first ``=`` splits, surrounding spaces are removed.
    option : str
        The CLI option the items came from (named in messages).

    Returns
    -------
    dict of str to str

    Raises
    ------
    DistrictsError
        (a ``ValueError``) for an item without ``=``, an empty key or value, or a key
        given twice.
    """
    out: dict[str, str] = {}
    for item in items:
        key, eq, value = item.partition("=")
        key, value = key.strip(), value.strip()
        problem = "no '='" if not eq else "empty key" if not key else "" if value else "empty value"
        if problem:
            raise DistrictsError(
                f"expected KEY=VALUE, got {item!r} ({problem})",
                where=option,
                expected="KEY=VALUE",
                found=repr(item),
            )
        if key in out:
            raise DistrictsError(
                f"{key!r} given twice: {out[key]!r} and {value!r}",
                where=option,
                expected="each key once",
            )
        out[key] = value
    return out


def check_files(boundaries: Path, stats: Path) -> None:
    """Raise unless both input files exist."""
    for what, path in (("boundary", boundaries), ("statistics", stats)):
        if not path.is_file():
            found = "a folder" if path.is_dir() else "nothing"
            raise DistrictsError(
                f"{what} file {str(path)!r} not found",
                file=path,
                expected="an existing file",
                found=found,
            )


def check_spec(spec: DistrictImport) -> None:
    """Raise unless the required targets are mapped and every target is a usable column name."""
    missing = [t for t in REQUIRED_TARGETS if t not in spec.columns]
    if missing:
        raise DistrictsError(
            f"columns must map {', '.join(repr(t) for t in missing)} to statistics columns, "
            "e.g. population='Einwohner insgesamt'",
            where="--column",
            expected=" and ".join(f"{t}=EXPR" for t in REQUIRED_TARGETS),
        )
    for target, expression in spec.columns.items():
        where = f"--column {target}"
        if target in RESERVED:
            raise DistrictsError(
                f"target {target!r} is reserved ({', '.join(RESERVED)})", where=where
            )
        if not _TARGET_RE.fullmatch(target):
            raise DistrictsError(
                f"target {target!r} is not a valid column name (letters, digits, underscore)",
                where=where,
            )
        if not expression.strip():
            raise DistrictsError(f"target {target!r} has an empty expression", where=where)


def filters_text(spec: DistrictImport) -> str:
    """The filters as ``"col=value, …"`` for messages and descriptions."""
    return ", ".join(f"{k}={v}" for k, v in spec.filters.items())
