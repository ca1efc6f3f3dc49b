"""Reading the district inputs: the boundary polygons (any CRS) and the statistics CSV.

:func:`read_boundaries` reads and settles the CRS of the boundary file and repairs invalid
polygons; :func:`read_stats` reads the statistics; :func:`resolve_columns` checks that every
column the spec names is present and says in which of the two files it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from data.german_csv import read_german_csv
from data.importers.base import ImporterError, settle_crs
from data.importers.common import SHOW
from data.importers.districts_spec import (
    DistrictImport,
    DistrictsError,
    as_districts_error,
    column_error,
    strip_name,
)
from data.pack import read_vector

# A column of one of the two inputs: ("stats" or "boundaries", column name).
Term = tuple[str, str]


def features(frame: pd.DataFrame, mask: pd.Series) -> str:
    """The index labels of the first ``SHOW`` rows selected by ``mask``, comma separated."""
    return ", ".join(str(i) for i in frame.index[mask][:SHOW])


def read_boundaries(
    path: Path, spec: DistrictImport, warnings: list[str], repaired: list[str]
) -> gpd.GeoDataFrame:
    """Read the boundary file, settle its CRS and check (repairing if need be) its polygons.

    The ids of repaired features (their ``boundary_key`` value, else ``feature N``) are
    appended to ``repaired``.
    """
    if path.stat().st_size == 0:
        raise DistrictsError(
            "the boundary file is empty",
            file=path,
            expected="GeoJSON, GeoPackage or zipped Shapefile",
            found="0 bytes",
        )
    try:
        frame = read_vector(path, spec.layer)
    except Exception as err:  # pyogrio raises several types; the message is what matters
        raise DistrictsError(
            f"cannot read the boundary file: {_first_line(err)}",
            file=path,
            expected="GeoJSON, GeoPackage or zipped Shapefile",
        ) from err
    if len(frame) == 0:
        raise DistrictsError(
            "the boundary file has no features", file=path, expected="polygons", found="none"
        )
    try:
        crs = settle_crs(frame.crs, spec.source_crs, file=path, warnings=warnings)
    except ImporterError as err:
        raise as_districts_error(err) from err
    frame = frame.set_crs(crs, allow_override=True)
    return _check_polygons(frame, path, spec.boundary_key, warnings, repaired)


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def _check_polygons(
    frame: gpd.GeoDataFrame, path: Path, key: str, warnings: list[str], repaired: list[str]
) -> gpd.GeoDataFrame:
    """Raise for empty or non-polygon geometries; repair invalid ones (with a warning)."""
    geom = frame.geometry
    empty = geom.isna() | geom.is_empty
    if empty.any():
        raise DistrictsError(
            "empty or missing geometry",
            file=path,
            where=f"feature(s) {features(frame, empty)}",
            expected="a polygon per district",
        )
    invalid = ~geom.is_valid
    if invalid.any():
        fixed = shapely.make_valid(geom[invalid].values)
        frame.loc[invalid, frame.geometry.name] = [_polygonal(g) for g in fixed]
        warnings.append(f"{path.name}: repaired {int(invalid.sum())} invalid geometr(y/ies)")
        repaired.extend(_feature_ids(frame, invalid, key))
    wrong = ~frame.geometry.geom_type.isin(("Polygon", "MultiPolygon"))
    if wrong.any():
        kind = frame.geometry[wrong].geom_type.iloc[0]
        raise DistrictsError(
            f"districts must be polygons, got {kind}",
            file=path,
            where=f"feature(s) {features(frame, wrong)}",
            expected="Polygon or MultiPolygon",
            found=str(kind),
        )
    return frame


def _feature_ids(frame: gpd.GeoDataFrame, mask: pd.Series, key: str) -> list[str]:
    """The key values of the selected features, or ``feature N`` (1-based) without a key."""
    if key in frame.columns:
        return [str(v) for v in frame.loc[mask, key]]
    return [f"feature {int(i) + 1}" for i, m in enumerate(mask) if m]


def _polygonal(geom: Any) -> Any:
    """The polygonal part of a repaired geometry."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else geom


def read_stats(path: Path, encoding: str | None) -> pd.DataFrame:
    """The statistics CSV; a :class:`DistrictsError` naming it when it cannot be read."""
    try:
        table = read_german_csv(path, encoding=encoding)
    except ImporterError:
        raise
    except ValueError as err:
        raise DistrictsError(
            strip_name(str(err), path.name), file=path, expected="a CSV table"
        ) from err
    if table.empty:
        raise DistrictsError(
            "the statistics file has no rows", file=path, expected="a row per district"
        )
    return table


def _terms(expression: str, available: set[str]) -> list[str]:
    """Column names of an expression: the whole string if it is a column, else split on ' + '."""
    text = expression.strip()
    if text in available:
        return [text]
    return [t.strip() for t in text.split(" + ") if t.strip()]


def resolve_columns(
    geo: gpd.GeoDataFrame,
    table: pd.DataFrame,
    spec: DistrictImport,
    boundaries: Path,
    stats: Path,
) -> tuple[Term, dict[str, list[Term]]]:
    """Check that every column ``spec`` names exists and say in which input each one is.

    Returns the name column's term and, per target, the terms of its expression. The
    boundaries are preferred for the name, the statistics for expression terms.
    """
    stats_cols = set(map(str, table.columns))
    geo_cols = {str(c) for c in geo.columns if c != geo.geometry.name}
    if spec.boundary_key not in geo_cols:
        raise column_error(spec.boundary_key, geo.columns, boundaries, "key column")
    if spec.stats_key not in stats_cols:
        raise column_error(spec.stats_key, table.columns, stats, "key column")
    if spec.name_col not in geo_cols and spec.name_col not in stats_cols:
        raise column_error(
            spec.name_col,
            [*geo_cols, *table.columns],
            f"{boundaries.name} and {stats.name}",
            "name column",
        )
    for col in spec.filters:
        if col not in stats_cols:
            raise column_error(col, table.columns, stats, "filter column")
    targets: dict[str, list[Term]] = {}
    for target, expression in spec.columns.items():
        terms = []
        for term in _terms(expression, stats_cols | geo_cols):
            if term in stats_cols:
                terms.append(("stats", term))
            elif term in geo_cols:
                terms.append(("boundaries", term))
            else:
                raise column_error(term, table.columns, stats, where=f"expression for {target!r}")
        targets[target] = terms
    name = ("boundaries" if spec.name_col in geo_cols else "stats", spec.name_col)
    return name, targets
