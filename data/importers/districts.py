"""How real district boundaries and a statistics table become a pack's ``districts`` dataset.

Cities publish district polygons (GeoJSON, GeoPackage, zipped Shapefile, any CRS) and,
separately, statistics per district as a CSV keyed by the district number. This module
joins the two on that key, checks that every district has its numbers, and writes the
``districts`` vector and a ``district_stats`` table into a city pack through
:func:`data.writer.staged_pack` — so a failed import leaves an existing pack unchanged.

The join is described by a :class:`DistrictImport`: which key columns to match, which
column holds the names, and how each target column (``population``, ``pop_65plus``, …) is
computed from the statistics (a column, or several summed with ``" + "``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj.aoi import AreaOfInterest
from pyproj.database import query_utm_crs_info

from data.catalog import Catalog, City, Dataset, Temporal, read_catalog
from data.german_csv import parse_german_number, read_german_csv, unknown_column_error
from data.importers.common import SHOW, duplicates, is_missing, normalise_key, show_items, slug
from data.pack import WGS84, crs_label, parse_crs, read_vector
from data.schemas import SCHEMAS
from data.writer import Stage, staged_pack

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
        CRS of a boundary file that states none. Never overrides an embedded CRS.
    """

    boundary_key: str
    stats_key: str
    name_col: str
    columns: dict[str, str]
    filters: dict[str, str] = field(default_factory=dict)
    layer: str | None = None
    source_crs: str | None = None


@dataclass
class ImportResult:
    """What an import did.

    Attributes
    ----------
    pack : Path
        The pack folder written.
    n_districts : int
        Districts imported.
    unmatched_boundaries : list of str
        Boundary keys without statistics (always empty after a successful import: they are
        an error).
    unmatched_stats : list of str
        Statistics keys without a boundary (e.g. city total, state, "not assigned").
    warnings : list of str
        Everything worth a second look.
    """

    pack: Path
    n_districts: int
    unmatched_boundaries: list[str] = field(default_factory=list)
    unmatched_stats: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_mapping(items: list[str]) -> dict[str, str]:
    """Turn ``["population=Einwohner insgesamt", "year=2017"]`` into a dict.

    Parameters
    ----------
    items : list of str
        ``KEY=VALUE`` strings; only the first ``=`` splits, surrounding spaces are removed.

    Returns
    -------
    dict of str to str

    Raises
    ------
    ValueError
        For an item without ``=``, an empty key or value, or a key given twice.
    """
    out: dict[str, str] = {}
    for item in items:
        key, eq, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not eq:
            raise ValueError(f"expected KEY=VALUE, got {item!r} (no '=')")
        if not key:
            raise ValueError(f"expected KEY=VALUE, got {item!r} (empty key)")
        if not value:
            raise ValueError(f"expected KEY=VALUE, got {item!r} (empty value)")
        if key in out:
            raise ValueError(f"{key!r} given twice: {out[key]!r} and {value!r}")
        out[key] = value
    return out


# --- the import ----------------------------------------------------------------------------


def import_districts(
    boundaries: Path,
    stats: Path,
    out: Path,
    spec: DistrictImport,
    *,
    city_name: str | None = None,
    metric_crs: str | None = None,
    licence: str = "unknown",
    attribution: str = "",
    source: str | None = None,
    encoding: str | None = None,
) -> ImportResult:
    """Join district boundaries and statistics and write them into the pack at ``out``.

    Parameters
    ----------
    boundaries : Path
        GeoJSON, GeoPackage or zipped Shapefile (``.zip``), any CRS.
    stats : Path
        Statistics CSV, read with :func:`data.german_csv.read_german_csv`.
    out : Path
        Pack folder. Created if absent (``city_name`` is then required); otherwise the
        ``districts`` and ``district_stats`` datasets are added or replaced and everything
        else is kept.
    spec : DistrictImport
        Key, name and target columns, filters.
    city_name : str, optional
        Name of a new city pack (its id is derived from it).
    metric_crs : str, optional
        Metric CRS of a new pack; default: the UTM zone of the districts' centre.
    licence, attribution, source : str
        Provenance of the data, written to the catalog entries.
    encoding : str, optional
        Encoding of the statistics CSV (default: detected).

    Returns
    -------
    ImportResult

    Raises
    ------
    ValueError
        For unreadable files, unknown columns (with close matches), duplicate keys,
        districts without statistics, non-numeric values or a boundary file without CRS.
        :class:`data.pack.PackError` (a ``ValueError``) if the result does not validate.
        The pack is unchanged in every case.
    """
    boundaries, stats, out = Path(boundaries), Path(stats), Path(out)
    bname, sname = boundaries.name, stats.name
    warnings: list[str] = []
    _check_files(boundaries, stats)
    _check_spec(spec)
    geo = _read_boundaries(boundaries, spec, warnings)
    table = read_german_csv(stats, encoding=encoding)
    name, targets = _resolve_columns(geo, table, spec, bname, sname)
    table = _key_stats(_filter_stats(table, spec.filters, sname), spec, sname, warnings)
    geo = _key_boundaries(geo, spec, bname)
    joined, unmatched_stats = _join(geo, table, spec, bname, sname, warnings)
    attrs = _district_attributes(joined, spec, name, targets, warnings)

    wgs = geo.to_crs(WGS84)
    existing = _existing_catalog(out)
    city, metric = _resolve_city(out, existing, wgs, city_name, metric_crs, warnings)
    districts, table_out = _build_outputs(attrs, geo, wgs, metric)
    _warn_provenance(licence, attribution, warnings)
    entries = _datasets(existing, spec, boundaries, stats, licence, attribution, source)
    _write_pack(out, city, existing, entries, districts, table_out, warnings)
    return ImportResult(
        pack=out,
        n_districts=len(districts),
        unmatched_boundaries=[],
        unmatched_stats=unmatched_stats,
        warnings=warnings,
    )


# --- keys and values -----------------------------------------------------------------------

# A column of one of the two inputs: ("stats" or "boundaries", column name).
Term = tuple[str, str]
_Frame = TypeVar("_Frame", bound=pd.DataFrame)  # a DataFrame or a GeoDataFrame


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


def _features(frame: pd.DataFrame, mask: pd.Series) -> str:
    """The index labels of the first ``SHOW`` rows selected by ``mask``, comma separated."""
    return ", ".join(str(i) for i in frame.index[mask][:SHOW])


def _with_key(frame: _Frame, column: str) -> _Frame:
    """``frame`` with a ``_key`` column: ``column`` through :func:`normalise_key`."""
    return frame.assign(_key=frame[column].map(normalise_key))


def _slug(name: str) -> str:
    """A city id from its name: lower-case ASCII words joined by hyphens."""
    return slug(name) or "city"


def utm_crs(lon: float, lat: float) -> str:
    """The UTM zone CRS of a point as ``"EPSG:…"``: ETRS89 in Europe, else WGS 84.

    Parameters
    ----------
    lon, lat : float
        WGS84 degrees.

    Returns
    -------
    str
        E.g. ``"EPSG:25832"`` for Jena.
    """
    zone = min(int((lon + 180.0) // 6.0) + 1, 60)
    hemisphere = "N" if lat >= 0 else "S"
    aoi = AreaOfInterest(lon, lat, lon, lat)
    for datum in ("ETRS89", "WGS 84"):
        wanted = f"{datum} / UTM zone {zone}{hemisphere}"
        infos = query_utm_crs_info(datum_name=datum, area_of_interest=aoi)
        for info in infos:
            if info.name == wanted and not info.deprecated:
                return f"{info.auth_name}:{info.code}"
    return f"EPSG:{(32600 if hemisphere == 'N' else 32700) + zone}"


# --- checking the inputs -------------------------------------------------------------------


def _check_files(boundaries: Path, stats: Path) -> None:
    """Raise unless both input files exist."""
    for what, path in (("boundary", boundaries), ("statistics", stats)):
        if not path.is_file():
            raise ValueError(f"{what} file {str(path)!r} not found")


def _check_spec(spec: DistrictImport) -> None:
    """Raise unless the required targets are mapped and every target is a usable column name."""
    missing = [t for t in REQUIRED_TARGETS if t not in spec.columns]
    if missing:
        raise ValueError(
            f"columns must map {', '.join(repr(t) for t in missing)} to statistics columns, "
            "e.g. population='Einwohner insgesamt'"
        )
    for target, expression in spec.columns.items():
        if target in RESERVED:
            raise ValueError(f"target {target!r} is reserved ({', '.join(RESERVED)})")
        if not _TARGET_RE.fullmatch(target):
            raise ValueError(
                f"target {target!r} is not a valid column name (letters, digits, underscore)"
            )
        if not expression.strip():
            raise ValueError(f"target {target!r} has an empty expression")


def _read_boundaries(path: Path, spec: DistrictImport, warnings: list[str]) -> gpd.GeoDataFrame:
    """Read the boundary file, settle its CRS and check (repairing if need be) its polygons."""
    name = path.name
    try:
        frame = read_vector(path, spec.layer)
    except Exception as err:  # pyogrio raises several types; the message is what matters
        raise ValueError(f"cannot read the boundary file {name}: {err}") from err
    if len(frame) == 0:
        raise ValueError(f"{name}: the boundary file has no features")
    frame = _settle_crs(frame, name, spec.source_crs, warnings)
    return _check_polygons(frame, name, warnings)


def _settle_crs(
    frame: gpd.GeoDataFrame, name: str, source_crs: str | None, warnings: list[str]
) -> gpd.GeoDataFrame:
    """Give a CRS-less frame ``source_crs`` (required then); warn if an embedded one wins."""
    if frame.crs is None:
        if source_crs is None:
            raise ValueError(
                f"{name}: the boundary file states no CRS; pass source_crs (CLI: --source-crs), "
                "e.g. 'EPSG:25832' for UTM 32N coordinates or 'EPSG:4326' for lon/lat"
            )
        return frame.set_crs(parse_crs(source_crs))
    if source_crs is not None and not frame.crs.equals(
        parse_crs(source_crs), ignore_axis_order=True
    ):
        warnings.append(
            f"{name} states its CRS ({crs_label(frame.crs)}); source_crs {source_crs} was ignored"
        )
    return frame


def _check_polygons(frame: gpd.GeoDataFrame, name: str, warnings: list[str]) -> gpd.GeoDataFrame:
    """Raise for empty or non-polygon geometries; repair invalid ones (with a warning)."""
    geom = frame.geometry
    empty = geom.isna() | geom.is_empty
    if empty.any():
        raise ValueError(
            f"{name}: empty or missing geometry in feature(s) {_features(frame, empty)}"
        )
    invalid = ~geom.is_valid
    if invalid.any():
        fixed = shapely.make_valid(geom[invalid].values)
        frame.loc[invalid, frame.geometry.name] = [_polygonal(g) for g in fixed]
        warnings.append(f"{name}: repaired {int(invalid.sum())} invalid geometr(y/ies)")
    wrong = ~frame.geometry.geom_type.isin(("Polygon", "MultiPolygon"))
    if wrong.any():
        kind = frame.geometry[wrong].geom_type.iloc[0]
        raise ValueError(
            f"{name}: districts must be polygons, got {kind} in feature(s) "
            f"{_features(frame, wrong)}"
        )
    return frame


def _polygonal(geom: Any) -> Any:
    """The polygonal part of a repaired geometry."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else geom


def _terms(expression: str, available: set[str]) -> list[str]:
    """Column names of an expression: the whole string if it is a column, else split on ' + '."""
    text = expression.strip()
    if text in available:
        return [text]
    return [t.strip() for t in text.split(" + ") if t.strip()]


def _resolve_columns(
    geo: gpd.GeoDataFrame, table: pd.DataFrame, spec: DistrictImport, bname: str, sname: str
) -> tuple[Term, dict[str, list[Term]]]:
    """Check that every column ``spec`` names exists and say in which input each one is.

    Returns the name column's term and, per target, the terms of its expression. The
    boundaries are preferred for the name, the statistics for expression terms.
    """
    stats_cols = set(map(str, table.columns))
    geo_cols = {str(c) for c in geo.columns if c != geo.geometry.name}
    if spec.boundary_key not in geo_cols:
        raise unknown_column_error(spec.boundary_key, geo.columns, bname, "key column")
    if spec.stats_key not in stats_cols:
        raise unknown_column_error(spec.stats_key, table.columns, sname, "key column")
    if spec.name_col not in geo_cols and spec.name_col not in stats_cols:
        raise unknown_column_error(
            spec.name_col, [*geo_cols, *table.columns], f"{bname} and {sname}", "name column"
        )
    for col in spec.filters:
        if col not in stats_cols:
            raise unknown_column_error(col, table.columns, sname, "filter column")
    targets: dict[str, list[Term]] = {}
    for target, expression in spec.columns.items():
        terms = []
        for term in _terms(expression, stats_cols | geo_cols):
            if term in stats_cols:
                terms.append(("stats", term))
            elif term in geo_cols:
                terms.append(("boundaries", term))
            else:
                raise unknown_column_error(
                    term, table.columns, f"{sname} (expression for {target!r})"
                )
        targets[target] = terms
    name = ("boundaries" if spec.name_col in geo_cols else "stats", spec.name_col)
    return name, targets


# --- keying and joining --------------------------------------------------------------------


@dataclass(frozen=True)
class _Joined:
    """The boundaries and their statistics rows, aligned on the boundaries' index."""

    geo: gpd.GeoDataFrame  # with the normalised ``_key`` column
    stats: pd.DataFrame
    bname: str
    sname: str

    def column(self, term: Term) -> tuple[pd.Series, str]:
        """The column a term names and the name of the file it comes from."""
        where, col = term
        if where == "stats":
            return self.stats[col], self.sname
        return self.geo[col], self.bname


def _filter_stats(table: pd.DataFrame, filters: dict[str, str], sname: str) -> pd.DataFrame:
    """Keep the statistics rows matching every filter; raise if a filter matches none."""
    for col, wanted in filters.items():
        keep = table[col].map(lambda cell, w=wanted: _same_value(cell, w)).astype(bool)
        if not keep.any():
            present = sorted({str(v) for v in table[col].dropna().unique()})
            raise ValueError(
                f"{sname}: filter {col}={wanted!r} matches no rows; values present: "
                f"{show_items(present)}"
            )
        table = table[keep]
    return table


def _key_stats(
    table: pd.DataFrame, spec: DistrictImport, sname: str, warnings: list[str]
) -> pd.DataFrame:
    """Index the statistics by normalised key; skip rows without one, raise on duplicates."""
    table = _with_key(table, spec.stats_key)
    no_key = table["_key"].isna()
    if no_key.any():
        warnings.append(f"{sname}: {int(no_key.sum())} row(s) without {spec.stats_key!r} skipped")
        table = table[~no_key]
    dup = duplicates(table["_key"])
    if dup:
        hint = "" if spec.filters else " (add a filter such as year=2017 to keep one row per key)"
        raise ValueError(
            f"{sname}: key column {spec.stats_key!r} is not unique after filtering; "
            f"duplicate keys: {show_items(dup)}{hint}"
        )
    return table.set_index("_key", drop=False)


def _key_boundaries(geo: gpd.GeoDataFrame, spec: DistrictImport, bname: str) -> gpd.GeoDataFrame:
    """Add the normalised ``_key`` to the boundaries; raise if one is empty or repeated."""
    geo = _with_key(geo, spec.boundary_key)
    no_key = geo["_key"].isna()
    if no_key.any():
        raise ValueError(
            f"{bname}: key column {spec.boundary_key!r} is empty in feature(s) "
            f"{_features(geo, no_key)}"
        )
    dup = duplicates(geo["_key"])
    if dup:
        raise ValueError(
            f"{bname}: key column {spec.boundary_key!r} is not unique; duplicate keys: {show_items(dup)}"
        )
    return geo


def _join(
    geo: gpd.GeoDataFrame,
    table: pd.DataFrame,
    spec: DistrictImport,
    bname: str,
    sname: str,
    warnings: list[str],
) -> tuple[_Joined, list[str]]:
    """Match each boundary to its statistics row and list the statistics keys left over.

    A boundary without statistics is an error; statistics without a boundary (city total,
    "not assigned", …) are only reported.
    """
    missing = [k for k in geo["_key"] if k not in table.index]
    if missing:
        raise ValueError(
            f"{len(missing)} district(s) in {bname} have no row in {sname} "
            f"(matching {spec.boundary_key!r} to {spec.stats_key!r}"
            f"{', after filters ' + _filters_text(spec) if spec.filters else ''}): "
            f"missing keys {show_items(missing)}"
        )
    geo_keys = set(geo["_key"])
    unmatched = [str(k) for k in table.index if k not in geo_keys]
    if unmatched:
        names = _stats_names(table, unmatched, spec.name_col)
        warnings.append(
            f"{sname}: {len(unmatched)} row(s) have no boundary and were left out: {show_items(names)}"
        )
    joined = table.loc[geo["_key"].tolist()]
    joined.index = geo.index
    return _Joined(geo, joined, bname, sname), unmatched


def _filters_text(spec: DistrictImport) -> str:
    """The filters as ``"col=value, …"`` for messages and descriptions."""
    return ", ".join(f"{k}={v}" for k, v in spec.filters.items())


def _stats_names(table: pd.DataFrame, keys: list[str], name_col: str) -> list[str]:
    """Statistics keys with their district names, when the statistics have a name column."""
    if name_col not in table.columns:
        return keys
    return [f"{k} ({table.at[k, name_col]!s})" for k in keys]


# --- the district values -------------------------------------------------------------------


def _district_names(joined: _Joined, name: Term, stats_key: str) -> tuple[pd.Series, pd.Series]:
    """The stripped district names and a label per district for messages.

    Raises if a name is empty or repeated.
    """
    names = joined.column(name)[0].astype("string").str.strip()
    keys = joined.geo["_key"]
    labels = pd.Series(
        [f"{stats_key}={k} ({n})" for k, n in zip(keys, names, strict=True)], index=keys.index
    )
    empty = names.isna() | (names == "")
    if empty.any():
        raise ValueError(f"name column {name[1]!r} is empty for {show_items(labels[empty])}")
    dup = duplicates(names)
    if dup:
        raise ValueError(f"name column {name[1]!r} is not unique: {show_items(dup)}")
    return names, labels


def _numeric(
    values: pd.Series, column: str, file: str, labels: pd.Series, target: str
) -> pd.Series:
    """A column as ``Float64``; raise naming the column and row for a non-number."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype("Float64")
    out = []
    row_label = dict(labels.items())
    for idx, cell in values.items():
        if is_missing(cell):
            out.append(math.nan)
            continue
        text = str(cell).strip()
        try:
            out.append(float(text))
        except ValueError:
            try:
                out.append(parse_german_number(text))
            except ValueError:
                raise ValueError(
                    f"{file}: column {column!r} (for {target!r}) is not numeric: "
                    f"{text!r} in the row for {row_label[idx]}"
                ) from None
    return pd.Series(out, index=values.index, dtype="Float64")


def _target_values(
    target: str, terms: list[Term], joined: _Joined, labels: pd.Series, warnings: list[str]
) -> pd.Series:
    """Evaluate a target's expression: the sum of its terms, as ``Int64`` if all whole.

    Counts of people (:data:`COUNT_TARGETS`) must be present and whole; other targets with
    fractions stay ``Float64`` and missing values are only reported.
    """
    total: pd.Series | None = None
    for term in terms:
        column, file = joined.column(term)
        values = _numeric(column, term[1], file, labels, target)
        missing = values.isna()
        if missing.any() and (target in COUNT_TARGETS):
            raise ValueError(
                f"{file}: column {term[1]!r} (for {target!r}) has no value for "
                f"{show_items(labels[missing])}"
            )
        total = values if total is None else total + values
    assert total is not None
    if total.isna().any():
        warnings.append(f"{target!r} is missing for {show_items(labels[total.isna()])}")
    whole = total.dropna()
    if (whole == np.round(whole)).all():
        return total.round().astype("Int64")
    if target in COUNT_TARGETS:
        frac = labels[total.notna() & (total != np.round(total))]
        raise ValueError(
            f"{target!r} must be whole numbers (persons); fractions for {show_items(frac)}"
        )
    return total


def _check_not_greater(attrs: pd.DataFrame, labels: pd.Series) -> None:
    """Raise where a part exceeds its whole (e.g. ``pop_65plus`` > ``population``)."""
    for a, b in SCHEMAS["districts"].not_greater:
        if a in attrs.columns and b in attrs.columns:
            over = (attrs[a] > attrs[b]).fillna(False).astype(bool)
            if over.any():
                raise ValueError(
                    f"{a!r} exceeds {b!r} for {show_items(labels[over])}; check the column expressions"
                )


def _district_attributes(
    joined: _Joined,
    spec: DistrictImport,
    name: Term,
    targets: dict[str, list[Term]],
    warnings: list[str],
) -> pd.DataFrame:
    """The typed attribute columns: ``district_id``, ``name`` and every target, checked."""
    names, labels = _district_names(joined, name, spec.stats_key)
    geo = joined.geo
    attrs = pd.DataFrame(
        {"district_id": geo[spec.boundary_key].map(_display_key).astype("string")},
        index=geo.index,
    )
    attrs["name"] = names
    for target, terms in targets.items():
        attrs[target] = _target_values(target, terms, joined, labels, warnings)
    _check_not_greater(attrs, labels)
    return attrs


def _display_key(value: Any) -> str:
    """The district id as written in the boundary file (``11.0`` shown as ``"11"``)."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


# --- city, catalog and writing -------------------------------------------------------------


def _existing_catalog(out: Path) -> Catalog | None:
    """The catalog of the pack at ``out``, or ``None`` if it is not a pack yet."""
    if not (out / "city.toml").is_file():
        return None
    return read_catalog(out)


def _resolve_city(
    out: Path,
    existing: Catalog | None,
    wgs: gpd.GeoDataFrame,
    city_name: str | None,
    metric_crs: str | None,
    warnings: list[str],
) -> tuple[City | None, str]:
    """The city of a new pack (``None`` for an existing one) and the metric CRS to use.

    An existing pack keeps its city; a differing ``city_name`` or ``metric_crs`` is reported.
    """
    if existing is None:
        if not city_name:
            raise ValueError(f"{str(out)!r} is not a pack yet: pass city_name to create it")
        city = _new_city(city_name, wgs, metric_crs)
        return city, city.metric_crs
    metric = existing.city.metric_crs
    if metric_crs is not None and not parse_crs(metric_crs).equals(parse_crs(metric)):
        warnings.append(f"metric_crs {metric_crs} ignored: the pack uses {metric}")
    if city_name and city_name != existing.city.name:
        warnings.append(f"city_name {city_name!r} ignored: the pack is {existing.city.name!r}")
    return None, metric


def _new_city(name: str, wgs: gpd.GeoDataFrame, metric_crs: str | None) -> City:
    """A city around the districts: bounding box, centre and (default UTM) metric CRS."""
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in wgs.total_bounds)
    bbox = (
        math.floor(min_lon * 1e4) / 1e4,
        math.floor(min_lat * 1e4) / 1e4,
        math.ceil(max_lon * 1e4) / 1e4,
        math.ceil(max_lat * 1e4) / 1e4,
    )
    centre = (round((bbox[1] + bbox[3]) / 2, 5), round((bbox[0] + bbox[2]) / 2, 5))
    if metric_crs is None:
        metric_crs = utm_crs(centre[1], centre[0])
    else:
        crs = parse_crs(metric_crs)
        if not crs.is_projected:
            raise ValueError(f"metric_crs {metric_crs!r} is not a projected CRS (metres)")
    return City(
        id=_slug(name),
        name=name,
        centre=centre,
        zoom=12,
        bbox=bbox,
        metric_crs=metric_crs,
        synthetic=False,
    )


def _build_outputs(
    attrs: pd.DataFrame, geo: gpd.GeoDataFrame, wgs: gpd.GeoDataFrame, metric: str
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The ``districts`` GeoDataFrame (WGS84) and the ``district_stats`` table.

    Both get ``area_km2``, measured in the ``metric`` CRS.
    """
    area = geo.to_crs(parse_crs(metric)).geometry.area / 1e6
    attrs = attrs.assign(area_km2=area.round(4).to_numpy())
    districts = gpd.GeoDataFrame(attrs, geometry=wgs.geometry.to_numpy(), crs=WGS84)
    districts = districts.reset_index(drop=True)
    return districts, pd.DataFrame(districts.drop(columns="geometry"))


def _warn_provenance(licence: str, attribution: str, warnings: list[str]) -> None:
    """Report a licence or attribution that was not stated."""
    if not licence or licence == "unknown":
        warnings.append("licence not stated (licence='unknown'); state it before publishing")
    if not attribution:
        warnings.append("attribution not stated; 'not stated' was written to the catalog")


def _year(spec: DistrictImport) -> str | None:
    """The year a year filter (``year=2017``, ``jahr=2017``, …) selects, if any."""
    for col, value in spec.filters.items():
        if col.strip().lower() in YEAR_COLUMNS and re.fullmatch(r"\d{4}(\.0+)?", value.strip()):
            return value.strip()[:4]
    return None


def _description(spec: DistrictImport, boundaries: Path, stats: Path) -> dict[str, str]:
    """The catalog description (German and English): inputs, keys, filters and columns."""
    cols_en = "; ".join(f"{t} = {e}" for t, e in spec.columns.items())
    filt = _filters_text(spec)
    return {
        "de": (
            f"Importiert aus {boundaries.name} (Schlüssel {spec.boundary_key}) und {stats.name} "
            f"(Schlüssel {spec.stats_key}{', Filter ' + filt if filt else ''}); Name aus "
            f"{spec.name_col}; Spalten: {cols_en}; Fläche (area_km2) im metrischen KBS der Stadt."
        ),
        "en": (
            f"Imported from {boundaries.name} (key {spec.boundary_key}) and {stats.name} "
            f"(key {spec.stats_key}{', filter ' + filt if filt else ''}); name from "
            f"{spec.name_col}; columns: {cols_en}; area_km2 in the city's metric CRS."
        ),
    }


def _titles_and_paths(
    existing: Catalog | None,
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Titles and file paths of both datasets; an existing pack keeps its own where usable."""
    titles = {
        "districts": {"de": "Bezirke", "en": "Districts"},
        "district_stats": {"de": "Bezirksstatistik", "en": "District statistics"},
    }
    paths = {"districts": DISTRICTS_PATH, "district_stats": STATS_PATH}
    if existing is not None:
        for ds in existing.datasets:
            if ds.id in titles:
                titles[ds.id] = dict(ds.title)
                if ds.id == "districts" and ds.path.endswith(".geojson") and not ds.layer:
                    paths[ds.id] = ds.path
                if ds.id == "district_stats" and ds.path.endswith(".csv"):
                    paths[ds.id] = ds.path
    return titles, paths


def _datasets(
    existing: Catalog | None,
    spec: DistrictImport,
    boundaries: Path,
    stats: Path,
    licence: str,
    attribution: str,
    source: str | None,
) -> tuple[Dataset, Dataset]:
    """The catalog entries of ``districts`` (vector) and ``district_stats`` (table)."""
    year = _year(spec)
    titles, paths = _titles_and_paths(existing)
    common: dict[str, Any] = {
        "licence": licence or "unknown",
        "attribution": attribution or "not stated",
        "source": source,
        "generated_by": GENERATED_BY,
        "temporal": Temporal(f"{year}-12-31", f"{year}-12-31") if year else None,
        "description": _description(spec, boundaries, stats),
    }
    districts = Dataset(
        id="districts",
        title=titles["districts"],
        kind="vector",
        path=paths["districts"],
        crs=WGS84,
        **common,
    )
    stats_ds = Dataset(
        id="district_stats",
        title=titles["district_stats"],
        kind="table",
        path=paths["district_stats"],
        crs=None,
        **common,
    )
    return districts, stats_ds


def _write_pack(
    out: Path,
    city: City | None,
    existing: Catalog | None,
    entries: tuple[Dataset, Dataset],
    districts: gpd.GeoDataFrame,
    table: pd.DataFrame,
    warnings: list[str],
) -> None:
    """Write both datasets through :func:`data.writer.staged_pack` (all or nothing)."""
    ds_districts, ds_stats = entries
    with staged_pack(out, city) as stage:
        if existing is not None:
            _remove_moved_files(stage, existing, entries)
            if "district_stats" in existing.ids():
                _warn_dropped_stats(out, existing, table, warnings)
        stage.put_vector(ds_districts, districts)
        stage.put_table(ds_stats, table)


def _remove_moved_files(stage: Stage, existing: Catalog, entries: tuple[Dataset, ...]) -> None:
    """Delete a replaced dataset's old file when its path changes and nothing else uses it."""
    new_by_id = {ds.id: ds for ds in entries}
    for old in existing.datasets:
        new = new_by_id.get(old.id)
        if new is not None and old.path != new.path:
            others = [d for d in stage.catalog.datasets if d.id != old.id]
            if all(d.path != old.path for d in others):
                (stage.dir / old.path).unlink(missing_ok=True)


def _warn_dropped_stats(
    out: Path, existing: Catalog, new: pd.DataFrame, warnings: list[str]
) -> None:
    """Report the columns of the existing ``district_stats`` that the new table lacks."""
    try:
        old_cols = pd.read_csv(out / existing.get("district_stats").path, nrows=0).columns
    except Exception:
        return
    dropped = [str(c) for c in old_cols if c not in new.columns]
    if dropped:
        warnings.append(
            f"district_stats replaced; its former column(s) {', '.join(dropped)} are gone"
        )
