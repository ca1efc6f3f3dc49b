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
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj.aoi import AreaOfInterest
from pyproj.database import query_utm_crs_info

from data.catalog import Catalog, City, Dataset, Temporal, read_catalog
from data.german_csv import parse_german_number, read_german_csv, unknown_column_error
from data.pack import WGS84, crs_label, parse_crs, read_vector
from data.schemas import SCHEMAS
from data.writer import staged_pack

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
_SHOW = 10  # how many keys to list in a message


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


# --- keys and values -----------------------------------------------------------------------


def normalise_key(value: Any) -> str | None:
    """A join key as a canonical string: ``11``, ``11.0``, ``"11"``, ``"011"`` all give ``"11"``.

    Parameters
    ----------
    value : Any
        A cell value.

    Returns
    -------
    str or None
        ``None`` for a missing value.
    """
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return None
        if float(value).is_integer():
            return str(int(value))
        return repr(float(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    text = str(value).strip()
    if not text:
        return None
    m = re.fullmatch(r"([+-]?)(\d+)(?:\.0+)?", text)
    if m:
        return m.group(1).replace("+", "") + str(int(m.group(2)))
    return text


def _same_value(cell: Any, wanted: str) -> bool:
    """Filter comparison: stripped strings, numerically when both are numbers."""
    if cell is None or cell is pd.NA or (isinstance(cell, float) and math.isnan(cell)):
        return False
    a, b = str(cell).strip(), wanted.strip()
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def _show(keys: list[str]) -> str:
    more = f" and {len(keys) - _SHOW} more" if len(keys) > _SHOW else ""
    return ", ".join(keys[:_SHOW]) + more


def _slug(name: str) -> str:
    text = name.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug or "city"


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


# --- reading -------------------------------------------------------------------------------


def _read_boundaries(path: Path, spec: DistrictImport, warnings: list[str]) -> gpd.GeoDataFrame:
    name = path.name
    try:
        frame = read_vector(path, spec.layer)
    except Exception as err:  # pyogrio raises several types; the message is what matters
        raise ValueError(f"cannot read the boundary file {name}: {err}") from err
    if len(frame) == 0:
        raise ValueError(f"{name}: the boundary file has no features")
    if frame.crs is None:
        if spec.source_crs is None:
            raise ValueError(
                f"{name}: the boundary file states no CRS; pass source_crs (CLI: --source-crs), "
                "e.g. 'EPSG:25832' for UTM 32N coordinates or 'EPSG:4326' for lon/lat"
            )
        frame = frame.set_crs(parse_crs(spec.source_crs))
    elif spec.source_crs is not None:
        stated = parse_crs(spec.source_crs)
        if not frame.crs.equals(stated, ignore_axis_order=True):
            warnings.append(
                f"{name} states its CRS ({crs_label(frame.crs)}); source_crs {spec.source_crs} "
                "was ignored"
            )
    geom = frame.geometry
    empty = geom.isna() | geom.is_empty
    if empty.any():
        rows = ", ".join(str(i) for i in frame.index[empty][:_SHOW])
        raise ValueError(f"{name}: empty or missing geometry in feature(s) {rows}")
    invalid = ~geom.is_valid
    if invalid.any():
        fixed = shapely.make_valid(geom[invalid].values)
        polys = [_polygonal(g) for g in fixed]
        frame.loc[invalid, frame.geometry.name] = polys
        warnings.append(f"{name}: repaired {int(invalid.sum())} invalid geometr(y/ies)")
    wrong = ~frame.geometry.geom_type.isin(("Polygon", "MultiPolygon"))
    if wrong.any():
        kind = frame.geometry[wrong].geom_type.iloc[0]
        raise ValueError(
            f"{name}: districts must be polygons, got {kind} in feature(s) "
            f"{', '.join(str(i) for i in frame.index[wrong][:_SHOW])}"
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


def _check_spec(spec: DistrictImport) -> None:
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


def _numeric(
    values: pd.Series, column: str, file: str, labels: pd.Series, target: str
) -> pd.Series:
    """A column as ``Float64``; raise naming the column and row for a non-number."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype("Float64")
    out = []
    row_label = dict(labels.items())
    for idx, cell in values.items():
        if cell is None or cell is pd.NA or (isinstance(cell, float) and math.isnan(cell)):
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
    warnings: list[str] = []
    for what, path in (("boundary", boundaries), ("statistics", stats)):
        if not path.is_file():
            raise ValueError(f"{what} file {str(path)!r} not found")
    _check_spec(spec)
    geo = _read_boundaries(boundaries, spec, warnings)
    bname, sname = boundaries.name, stats.name
    table = read_german_csv(stats, encoding=encoding)

    # every column referenced must exist
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
    expressions: dict[str, list[tuple[str, str]]] = {}  # target -> [(where, column)]
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
        expressions[target] = terms

    # filters
    for col, wanted in spec.filters.items():
        keep = table[col].map(lambda cell, w=wanted: _same_value(cell, w)).astype(bool)
        if not keep.any():
            present = sorted({str(v) for v in table[col].dropna().unique()})
            raise ValueError(
                f"{sname}: filter {col}={wanted!r} matches no rows; values present: "
                f"{_show(present)}"
            )
        table = table[keep]

    # keys
    table = table.assign(_key=table[spec.stats_key].map(normalise_key))
    no_key = table["_key"].isna()
    if no_key.any():
        warnings.append(f"{sname}: {int(no_key.sum())} row(s) without {spec.stats_key!r} skipped")
        table = table[~no_key]
    dup = table["_key"][table["_key"].duplicated()].unique().tolist()
    if dup:
        hint = "" if spec.filters else " (add a filter such as year=2017 to keep one row per key)"
        raise ValueError(
            f"{sname}: key column {spec.stats_key!r} is not unique after filtering; "
            f"duplicate keys: {_show([str(k) for k in dup])}{hint}"
        )
    geo = geo.assign(_key=geo[spec.boundary_key].map(normalise_key))
    if geo["_key"].isna().any():
        rows = ", ".join(str(i) for i in geo.index[geo["_key"].isna()][:_SHOW])
        raise ValueError(f"{bname}: key column {spec.boundary_key!r} is empty in feature(s) {rows}")
    gdup = geo["_key"][geo["_key"].duplicated()].unique().tolist()
    if gdup:
        raise ValueError(
            f"{bname}: key column {spec.boundary_key!r} is not unique; duplicate keys: "
            f"{_show([str(k) for k in gdup])}"
        )
    table = table.set_index("_key", drop=False)
    missing = [k for k in geo["_key"] if k not in table.index]
    if missing:
        raise ValueError(
            f"{len(missing)} district(s) in {bname} have no row in {sname} "
            f"(matching {spec.boundary_key!r} to {spec.stats_key!r}"
            f"{', after filters ' + _filters_text(spec) if spec.filters else ''}): "
            f"missing keys {_show(missing)}"
        )
    geo_keys = set(geo["_key"])
    unmatched_stats = [str(k) for k in table.index if k not in geo_keys]
    if unmatched_stats:
        names = _stats_names(table, unmatched_stats, spec.name_col)
        warnings.append(
            f"{sname}: {len(unmatched_stats)} row(s) have no boundary and were left out: "
            f"{_show(names)}"
        )

    # assemble in boundary order
    joined = table.loc[geo["_key"].tolist()]
    joined.index = geo.index
    names_s = geo[spec.name_col] if spec.name_col in geo_cols else joined[spec.name_col]
    names_s = names_s.astype("string").str.strip()
    labels = pd.Series(
        [f"{spec.stats_key}={k} ({n})" for k, n in zip(geo["_key"], names_s, strict=True)],
        index=geo.index,
    )
    if names_s.isna().any() or (names_s == "").any():
        bad = labels[names_s.isna() | (names_s == "")]
        raise ValueError(f"name column {spec.name_col!r} is empty for {_show(bad.tolist())}")
    ndup = names_s[names_s.duplicated()].unique().tolist()
    if ndup:
        raise ValueError(
            f"name column {spec.name_col!r} is not unique: {_show([str(n) for n in ndup])}"
        )

    attrs = pd.DataFrame(
        {"district_id": geo[spec.boundary_key].map(_display_key).astype("string")},
        index=geo.index,
    )
    attrs["name"] = names_s
    for target, terms in expressions.items():
        total: pd.Series | None = None
        for where, col in terms:
            src, file = (joined, sname) if where == "stats" else (geo, bname)
            values = _numeric(src[col], col, file, labels, target)
            missing_v = values.isna()
            if missing_v.any() and (target in COUNT_TARGETS):
                raise ValueError(
                    f"{file}: column {col!r} (for {target!r}) has no value for "
                    f"{_show(labels[missing_v].tolist())}"
                )
            total = values if total is None else total + values
        assert total is not None
        if total.isna().any():
            warnings.append(f"{target!r} is missing for {_show(labels[total.isna()].tolist())}")
        whole = total.dropna()
        if (whole == np.round(whole)).all():
            attrs[target] = total.round().astype("Int64")
        elif target in COUNT_TARGETS:
            frac = labels[total.notna() & (total != np.round(total))]
            raise ValueError(
                f"{target!r} must be whole numbers (persons); fractions for {_show(frac.tolist())}"
            )
        else:
            attrs[target] = total
    for a, b in SCHEMAS["districts"].not_greater:
        if a in attrs.columns and b in attrs.columns:
            over = (attrs[a] > attrs[b]).fillna(False).astype(bool)
            if over.any():
                raise ValueError(
                    f"{a!r} exceeds {b!r} for {_show(labels[over].tolist())}; "
                    "check the column expressions"
                )

    # geometry, CRS, city
    wgs = geo.to_crs(WGS84)
    existing = _existing_catalog(out)
    city: City | None = None
    if existing is None:
        if not city_name:
            raise ValueError(f"{str(out)!r} is not a pack yet: pass city_name to create it")
        city = _new_city(city_name, wgs, metric_crs)
        metric = city.metric_crs
    else:
        metric = existing.city.metric_crs
        if metric_crs is not None and not parse_crs(metric_crs).equals(parse_crs(metric)):
            warnings.append(f"metric_crs {metric_crs} ignored: the pack uses {metric}")
        if city_name and city_name != existing.city.name:
            warnings.append(f"city_name {city_name!r} ignored: the pack is {existing.city.name!r}")
    metric_frame = geo.to_crs(parse_crs(metric))
    attrs["area_km2"] = (metric_frame.geometry.area / 1e6).round(4).to_numpy()
    districts = gpd.GeoDataFrame(attrs, geometry=wgs.geometry.to_numpy(), crs=WGS84)
    districts = districts.reset_index(drop=True)
    table_out = pd.DataFrame(districts.drop(columns="geometry"))

    if not licence or licence == "unknown":
        warnings.append("licence not stated (licence='unknown'); state it before publishing")
    if not attribution:
        warnings.append("attribution not stated; 'not stated' was written to the catalog")
    ds_districts, ds_stats = _datasets(
        existing, spec, boundaries, stats, licence, attribution, source
    )
    with staged_pack(out, city) as stage:
        for old in existing.datasets if existing is not None else ():
            new = {"districts": ds_districts, "district_stats": ds_stats}.get(old.id)
            if new is not None and old.path != new.path:
                others = [d for d in stage.catalog.datasets if d.id != old.id]
                if all(d.path != old.path for d in others):
                    (stage.dir / old.path).unlink(missing_ok=True)
        if existing is not None and "district_stats" in existing.ids():
            _warn_dropped_stats(out, existing, table_out, warnings)
        stage.put_vector(ds_districts, districts)
        stage.put_table(ds_stats, table_out)
    return ImportResult(
        pack=out,
        n_districts=len(districts),
        unmatched_boundaries=[],
        unmatched_stats=unmatched_stats,
        warnings=warnings,
    )


def _display_key(value: Any) -> str:
    """The district id as written in the boundary file (``11.0`` shown as ``"11"``)."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _filters_text(spec: DistrictImport) -> str:
    return ", ".join(f"{k}={v}" for k, v in spec.filters.items())


def _stats_names(table: pd.DataFrame, keys: list[str], name_col: str) -> list[str]:
    if name_col not in table.columns:
        return keys
    return [f"{k} ({table.at[k, name_col]!s})" for k in keys]


def _existing_catalog(out: Path) -> Catalog | None:
    if not (out / "city.toml").is_file():
        return None
    return read_catalog(out)


def _new_city(name: str, wgs: gpd.GeoDataFrame, metric_crs: str | None) -> City:
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


def _year(spec: DistrictImport) -> str | None:
    for col, value in spec.filters.items():
        if col.strip().lower() in YEAR_COLUMNS and re.fullmatch(r"\d{4}(\.0+)?", value.strip()):
            return value.strip()[:4]
    return None


def _datasets(
    existing: Catalog | None,
    spec: DistrictImport,
    boundaries: Path,
    stats: Path,
    licence: str,
    attribution: str,
    source: str | None,
) -> tuple[Dataset, Dataset]:
    year = _year(spec)
    temporal = Temporal(f"{year}-12-31", f"{year}-12-31") if year else None
    cols_en = "; ".join(f"{t} = {e}" for t, e in spec.columns.items())
    filt = _filters_text(spec)
    desc = {
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
    common: dict[str, Any] = {
        "licence": licence or "unknown",
        "attribution": attribution or "not stated",
        "source": source,
        "generated_by": GENERATED_BY,
        "temporal": temporal,
        "description": desc,
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


def _warn_dropped_stats(
    out: Path, existing: Catalog, new: pd.DataFrame, warnings: list[str]
) -> None:
    try:
        old_cols = pd.read_csv(out / existing.get("district_stats").path, nrows=0).columns
    except Exception:
        return
    dropped = [str(c) for c in old_cols if c not in new.columns]
    if dropped:
        warnings.append(
            f"district_stats replaced; its former column(s) {', '.join(dropped)} are gone"
        )
