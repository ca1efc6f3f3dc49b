"""Checking and joining the district inputs: filters, unique keys, one statistics row per district.

:func:`filter_stats` keeps the statistics rows a filter selects, :func:`key_stats` and
:func:`key_boundaries` index both inputs by their normalised key (refusing empty or repeated
keys), and :func:`join` aligns every boundary with its statistics row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd

from data.importers.common import duplicates, is_missing, normalise_key, show_items
from data.importers.districts_read import Term, features
from data.importers.districts_spec import DistrictImport, DistrictsError, filters_text

_Frame = TypeVar("_Frame", bound=pd.DataFrame)  # a DataFrame or a GeoDataFrame


@dataclass(frozen=True)
class Joined:
    """The boundaries and their statistics rows, aligned on the boundaries' index."""

    geo: gpd.GeoDataFrame  # with the normalised ``_key`` column
    stats: pd.DataFrame
    boundaries: Path
    stats_file: Path

    def column(self, term: Term) -> tuple[pd.Series, Path]:
        """The column a term names and the file it comes from."""
        where, col = term
        if where == "stats":
            return self.stats[col], self.stats_file
        return self.geo[col], self.boundaries


def _same_value(cell: Any, wanted: str) -> bool:
    """Filter comparison: stripped strings, numerically when both are numbers."""
    if is_missing(cell):
        return False
    a, b = str(cell).strip(), wanted.strip()
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def _with_key(frame: _Frame, column: str) -> _Frame:
    """``frame`` with a ``_key`` column: ``column`` through :func:`normalise_key`."""
    return frame.assign(_key=frame[column].map(normalise_key))


def filter_stats(table: pd.DataFrame, filters: dict[str, str], stats: Path) -> pd.DataFrame:
    """Keep the statistics rows matching every filter; raise if a filter matches none."""
    for col, wanted in filters.items():
        keep = table[col].map(lambda cell, w=wanted: _same_value(cell, w)).astype(bool)
        if not keep.any():
            present = sorted({str(v) for v in table[col].dropna().unique()})
            raise DistrictsError(
                f"filter {col}={wanted!r} matches no rows; values present: {show_items(present)}",
                file=stats,
                where=f"column {col!r}",
                expected=repr(wanted),
            )
        table = table[keep]
    return table


def key_stats(
    table: pd.DataFrame, spec: DistrictImport, stats: Path, warnings: list[str]
) -> pd.DataFrame:
    """Index the statistics by normalised key; skip rows without one, raise on duplicates."""
    table = _with_key(table, spec.stats_key)
    no_key = table["_key"].isna()
    if no_key.any():
        warnings.append(
            f"{stats.name}: {int(no_key.sum())} row(s) without {spec.stats_key!r} skipped"
        )
        table = table[~no_key]
    dup = duplicates(table["_key"])
    if dup:
        hint = "" if spec.filters else " (add a filter such as year=2017 to keep one row per key)"
        raise DistrictsError(
            f"key column {spec.stats_key!r} is not unique after filtering; "
            f"duplicate keys: {show_items(dup)}{hint}",
            file=stats,
            where=f"column {spec.stats_key!r}",
            expected="one row per key",
        )
    return table.set_index("_key", drop=False)


def key_boundaries(
    geo: gpd.GeoDataFrame, spec: DistrictImport, boundaries: Path
) -> gpd.GeoDataFrame:
    """Add the normalised ``_key`` to the boundaries; raise if one is empty or repeated."""
    geo = _with_key(geo, spec.boundary_key)
    no_key = geo["_key"].isna()
    if no_key.any():
        raise DistrictsError(
            f"key column {spec.boundary_key!r} is empty",
            file=boundaries,
            where=f"feature(s) {features(geo, no_key)}",
            expected="a key per district",
        )
    dup = duplicates(geo["_key"])
    if dup:
        raise DistrictsError(
            f"key column {spec.boundary_key!r} is not unique; duplicate keys: {show_items(dup)}",
            file=boundaries,
            where=f"column {spec.boundary_key!r}",
            expected="one feature per key",
        )
    return geo


def join(
    geo: gpd.GeoDataFrame,
    table: pd.DataFrame,
    spec: DistrictImport,
    files: tuple[Path, Path],
    warnings: list[str],
) -> tuple[Joined, list[str]]:
    """Match each boundary to its statistics row and list the statistics keys left over.

    ``files`` are the boundary and the statistics file. A boundary without statistics is an
    error; statistics without a boundary (city total, "not assigned", …) are only reported.
    """
    boundaries, stats = files
    missing = [k for k in geo["_key"] if k not in table.index]
    if missing:
        raise DistrictsError(
            f"{len(missing)} district(s) in {boundaries.name} have no row in {stats.name} "
            f"(matching {spec.boundary_key!r} to {spec.stats_key!r}"
            f"{', after filters ' + filters_text(spec) if spec.filters else ''}): "
            f"missing keys {show_items(missing)}",
            file=stats,
            where=f"column {spec.stats_key!r}",
            expected="a row for every district",
        )
    geo_keys = set(geo["_key"])
    unmatched = [str(k) for k in table.index if k not in geo_keys]
    if unmatched:
        names = _stats_names(table, unmatched, spec.name_col)
        warnings.append(
            f"{stats.name}: {len(unmatched)} row(s) have no boundary and were left out: "
            f"{show_items(names)}"
        )
    joined = table.loc[geo["_key"].tolist()]
    joined.index = geo.index
    return Joined(geo, joined, boundaries, stats), unmatched


def _stats_names(table: pd.DataFrame, keys: list[str], name_col: str) -> list[str]:
    """Statistics keys with their district names, when the statistics have a name column."""
    if name_col not in table.columns:
        return keys
    return [f"{k} ({table.at[k, name_col]!s})" for k in keys]
