"""Where are the heat-sensitive facilities — day-care centres, schools, care homes, hospitals?

Two kinds of input become the pack's ``facilities`` dataset (points with ``facility_id``,
``name`` and ``kind`` in :data:`data.schemas.FACILITY_KINDS`):

* **OpenStreetMap exports** (:func:`read_osm_facilities`): GeoJSON (or any vector file)
  from Overpass, osmtogeojson or QuickOSM, tags as properties (or a nested ``tags``
  object). Tags map to kinds:

  - ``amenity=kindergarten`` or ``amenity=childcare`` → ``kita``
  - ``amenity=school`` → ``school``
  - ``amenity=hospital`` (or ``healthcare=hospital``) → ``hospital``
  - ``amenity=nursing_home``, ``social_facility=nursing_home``, or
    ``social_facility=assisted_living`` with ``social_facility:for`` including ``senior``
    → ``care_home``

  Everything else is ignored and counted by its ``amenity`` value. Polygons and lines
  become their representative point (a point guaranteed inside the shape). The same OSM
  object listed twice (e.g. in two layers of a merged export) is kept once. The id is the
  OSM id (``way/123``).
* **Tables** (:func:`read_facilities_table`): a CSV with kind, name and x/y columns in a
  stated CRS, or a GeoJSON/GeoPackage with kind and name columns. Kinds may be written as
  the ids (``kita``) or their German or English labels (``Pflegeheim``, ``Care home``).

:func:`import_facilities` keeps the facilities inside the city's bounding box and writes
them through :func:`data.writer.staged_pack`, with the ODbL licence and OSM attribution for
OSM input. Coordinates are stored in EPSG:4326 (degrees).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from data.catalog import Catalog, Dataset
from data.german_csv import read_german_csv, unknown_column_error
from data.importers.common import (
    bbox_polygon,
    duplicates,
    is_missing,
    read_pack_catalog,
    require_file,
    show_items,
)
from data.pack import WGS84, crs_label, parse_crs, read_vector
from data.schemas import FACILITY_KIND_LABELS, FACILITY_KINDS
from data.writer import staged_pack

FORMATS = ("osm", "table")
DATASET_ID = "facilities"
FACILITIES_PATH = "facilities.geojson"
GENERATED_BY = "data/importers/facilities.py (allmende import facilities)"
OSM_LICENCE = "ODbL-1.0"
OSM_ATTRIBUTION = "© OpenStreetMap-Mitwirkende (ODbL)"
OSM_TAG_COLUMNS = ("amenity", "social_facility", "healthcare")
_ID_COLUMNS = ("@id", "full_id", "id", "osm_id")
_KITA = frozenset({"kindergarten", "childcare"})
_CARE = frozenset({"nursing_home", "assisted_living"})


class FacilitiesError(ValueError):
    """A facilities file cannot be read; the message names the file and the problem."""


@dataclass
class FacilitiesRead:
    """Facilities read from one file.

    Attributes
    ----------
    frame : geopandas.GeoDataFrame
        Points in EPSG:4326 with ``facility_id``, ``name``, ``kind`` (and, for OSM,
        ``osm_tag``: the tag that decided the kind).
    file : str
    format : {"osm", "table"}
    ignored : dict of str to int
        Features that are no facility, by their ``amenity`` value (``"(no amenity)"`` without).
    duplicates_dropped : int
        Repeated OSM objects (same id) left out.
    empty_geometry : int
        Features without a geometry, left out.
    warnings : list of str
    """

    frame: gpd.GeoDataFrame
    file: str
    format: str
    ignored: dict[str, int] = field(default_factory=dict)
    duplicates_dropped: int = 0
    empty_geometry: int = 0
    warnings: list[str] = field(default_factory=list)

    def by_kind(self) -> dict[str, int]:
        """Facilities per kind, every kind listed (zero if absent)."""
        counts = self.frame["kind"].value_counts()
        return {k: int(counts.get(k, 0)) for k in FACILITY_KINDS}

    def lines(self) -> list[str]:
        """A human-readable summary."""
        kinds = ", ".join(f"{k} {n}" for k, n in self.by_kind().items())
        out = [f"{self.file}: {len(self.frame)} facilities ({kinds})"]
        if self.ignored:
            top = sorted(self.ignored.items(), key=lambda kv: (-kv[1], kv[0]))
            shown = show_items(f"{k} {n}" for k, n in top)
            out.append(f"  ignored {sum(self.ignored.values())} other feature(s): {shown}")
        if self.duplicates_dropped:
            out.append(f"  dropped {self.duplicates_dropped} repeated OSM object(s)")
        if self.empty_geometry:
            out.append(f"  skipped {self.empty_geometry} feature(s) without geometry")
        out.extend(f"  warning: {w}" for w in self.warnings)
        return out


@dataclass
class FacilitiesImportResult:
    """What :func:`import_facilities` wrote.

    Attributes
    ----------
    pack : Path
    frame : geopandas.GeoDataFrame
        The facilities written (EPSG:4326).
    outside : int
        Facilities outside the city's bounding box, left out.
    read : FacilitiesRead
        Everything read from the file.
    warnings : list of str
    """

    pack: Path
    frame: gpd.GeoDataFrame
    outside: int
    read: FacilitiesRead
    warnings: list[str] = field(default_factory=list)

    @property
    def n_facilities(self) -> int:
        """Facilities written."""
        return len(self.frame)

    def by_kind(self) -> dict[str, int]:
        """Facilities written per kind, every kind listed."""
        counts = self.frame["kind"].value_counts()
        return {k: int(counts.get(k, 0)) for k in FACILITY_KINDS}


# --- OpenStreetMap -------------------------------------------------------------------------


def _tag(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return "" if is_missing(value) else str(value).strip()


def osm_kind(tags: dict[str, Any]) -> tuple[str | None, str]:
    """The facility kind of an OSM object and the tag that decided it.

    Parameters
    ----------
    tags : dict
        OSM tags (``amenity``, ``social_facility``, ``social_facility:for``, ``healthcare``).

    Returns
    -------
    tuple
        ``(kind, "key=value")``; ``(None, "")`` for anything that is no facility.
    """
    amenity = _tag(tags, "amenity")
    if amenity in _KITA:
        return "kita", f"amenity={amenity}"
    if amenity == "school":
        return "school", "amenity=school"
    if amenity == "hospital":
        return "hospital", "amenity=hospital"
    if amenity == "nursing_home":
        return "care_home", "amenity=nursing_home"
    social = _tag(tags, "social_facility")
    served = {s.strip() for s in _tag(tags, "social_facility:for").split(";")}
    if social == "nursing_home":
        return "care_home", "social_facility=nursing_home"
    if social == "assisted_living" and "senior" in served:
        return "care_home", "social_facility=assisted_living + social_facility:for=senior"
    if _tag(tags, "healthcare") == "hospital":
        return "hospital", "healthcare=hospital"
    return None, ""


def _expand_tags(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Flatten a nested ``tags`` property (osmtogeojson without flat properties)."""
    if "tags" not in frame.columns or any(c in frame.columns for c in OSM_TAG_COLUMNS):
        return frame
    parsed = []
    for value in frame["tags"]:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                value = {}
        parsed.append(value if isinstance(value, dict) else {})
    tags = pd.DataFrame(parsed, index=frame.index)
    keep = [c for c in tags.columns if c not in frame.columns]
    return frame.join(tags[keep])


def _osm_ids(frame: gpd.GeoDataFrame) -> pd.Series:
    """``way/123``-style ids from the usual id columns, else the row number."""
    if "@id" in frame.columns:
        ids = frame["@id"]
    elif "full_id" in frame.columns:  # QuickOSM: "w123", "n456", "r7"
        ids = frame["full_id"]
    elif "osm_id" in frame.columns and "osm_type" in frame.columns:
        ids = frame["osm_type"].astype("string") + "/" + frame["osm_id"].astype("string")
    elif "id" in frame.columns:
        ids = frame["id"]
    else:
        ids = pd.Series([f"feature-{i + 1}" for i in range(len(frame))], index=frame.index)
    out = ids.map(lambda v: None if is_missing(v) else str(v).strip())
    fallback = pd.Series([f"feature-{i + 1}" for i in range(len(frame))], index=frame.index)
    return out.where(out.notna() & (out != ""), fallback).astype("string")


def _points(geometry: gpd.GeoSeries) -> np.ndarray:
    """Points unchanged; any other shape as its representative point."""
    values = geometry.values
    is_point = np.asarray(geometry.geom_type == "Point")
    out = np.array(values, dtype=object)
    if (~is_point).any():
        out[~is_point] = shapely.point_on_surface(values[~is_point])
    return out


def _read_vector_file(path: Path, what: str) -> gpd.GeoDataFrame:
    try:
        return read_vector(path)
    except Exception as err:  # pyogrio raises several types; the message is what matters
        raise FacilitiesError(f"cannot read the {what} {path.name}: {err}") from None


def _settle_crs(frame: gpd.GeoDataFrame, name: str, crs: str | None) -> gpd.GeoDataFrame:
    if frame.crs is not None:
        return frame
    if crs is None:
        raise FacilitiesError(f"{name}: the file states no CRS; pass crs (CLI: --crs)")
    try:
        return frame.set_crs(parse_crs(crs))
    except ValueError as err:
        raise FacilitiesError(f"crs: {err}") from None


def _drop_empty(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int]:
    empty = frame.geometry.isna() | frame.geometry.is_empty
    return frame[~empty], int(empty.sum())


def read_osm_facilities(path: Path | str) -> FacilitiesRead:
    """Read the facilities of an OpenStreetMap export.

    Parameters
    ----------
    path : Path or str
        GeoJSON (or GeoPackage, zipped Shapefile) with OSM tags as properties. Without a
        stated CRS, GeoJSON is lon/lat (EPSG:4326).

    Returns
    -------
    FacilitiesRead
        Facilities as points in EPSG:4326; ignored features counted by ``amenity``.

    Raises
    ------
    FacilitiesError
        (a ``ValueError``) for a missing or unreadable file, a file without OSM tags
        (``amenity``, ``social_facility``, ``healthcare``), or one without any facility.
    """
    path = Path(path)
    name = path.name
    try:
        require_file(path, "OSM")
    except ValueError as err:
        raise FacilitiesError(str(err)) from None
    frame = _read_vector_file(path, "OSM export")
    if len(frame) == 0:
        raise FacilitiesError(f"{name}: the file has no features")
    frame = _expand_tags(_settle_crs(frame, name, WGS84))
    if not any(c in frame.columns for c in OSM_TAG_COLUMNS):
        columns = [str(c) for c in frame.columns if c != frame.geometry.name]
        raise FacilitiesError(
            f"{name}: no OSM tags ({', '.join(OSM_TAG_COLUMNS)}) among the properties; "
            f"columns: {show_items(columns) or 'none'}; for a table with a kind column use "
            "format 'table' (CLI: --format table)"
        )
    frame, n_empty = _drop_empty(frame)
    ids = _osm_ids(frame)
    kinds: list[str | None] = []
    tags_used: list[str] = []
    ignored: Counter[str] = Counter()
    records = frame.drop(columns=frame.geometry.name).to_dict("records")
    for row in records:
        kind, tag = osm_kind(row)
        kinds.append(kind)
        tags_used.append(tag)
        if kind is None:
            ignored[_tag(row, "amenity") or "(no amenity)"] += 1
    keep = np.array([k is not None for k in kinds], dtype=bool)
    if not keep.any():
        raise FacilitiesError(
            f"{name}: no facility among its {len(frame)} features (looked for amenity="
            "kindergarten/childcare/school/hospital/nursing_home and social_facility="
            "nursing_home/assisted_living for seniors)"
        )
    names = (
        frame["name"].map(lambda v: None if is_missing(v) else str(v).strip())
        if "name" in frame.columns
        else pd.Series(None, index=frame.index, dtype=object)
    )
    out = gpd.GeoDataFrame(
        {
            "facility_id": ids[keep].to_numpy(),
            "name": names[keep].to_numpy(),
            "kind": np.array(kinds, dtype=object)[keep],
            "osm_tag": np.array(tags_used, dtype=object)[keep],
        },
        geometry=_points(frame.geometry[keep]),
        crs=frame.crs,
    )
    repeated = out["facility_id"].duplicated()
    out = out[~repeated].reset_index(drop=True)
    out["facility_id"] = out["facility_id"].astype("string")
    out["name"] = out["name"].astype("string")
    return FacilitiesRead(
        frame=out.to_crs(WGS84),
        file=name,
        format="osm",
        ignored=dict(ignored),
        duplicates_dropped=int(repeated.sum()),
        empty_geometry=n_empty,
    )


# --- tables --------------------------------------------------------------------------------


def _kind_lookup() -> dict[str, str]:
    """Accepted spellings (ids, German and English labels, case-insensitive) → kind."""
    lookup = {k.casefold(): k for k in FACILITY_KINDS}
    for kind, labels in FACILITY_KIND_LABELS.items():
        for label in labels.values():
            lookup[label.casefold()] = kind
    lookup.update({"care home": "care_home", "kindergarten": "kita", "kindertagesstätte": "kita"})
    return lookup


def _where(i: int, csv_file: bool) -> str:
    """Row ``i`` (0-based) as the user sees it: a CSV line (header = line 1) or a feature."""
    return f"line {i + 2}" if csv_file else f"feature {i + 1}"


def _kinds(values: pd.Series, name: str, column: str, csv_file: bool) -> np.ndarray:
    lookup = _kind_lookup()
    out = []
    for i, value in enumerate(values.tolist()):
        key = "" if is_missing(value) else str(value).strip().casefold()
        if key not in lookup:
            valid = ", ".join(f"{k} ({FACILITY_KIND_LABELS[k]['de']})" for k in FACILITY_KINDS)
            got = "empty" if not key else f"{value!r}"
            raise FacilitiesError(
                f"{name}: {_where(i, csv_file)}: {column!r} is {got}, not a facility kind; "
                f"valid kinds: {valid}"
            )
        out.append(lookup[key])
    return np.array(out, dtype=object)


def _xy(table: pd.DataFrame, column: str, name: str) -> np.ndarray:
    values = pd.to_numeric(table[column], errors="coerce").astype("float64")
    bad = values.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        cell = table[column].iloc[i]
        got = "is empty" if is_missing(cell) else f"is {cell!r}, not a number"
        raise FacilitiesError(f"{name}: coordinate column {column!r} {got} in {_where(i, True)}")
    return values.to_numpy()


def read_facilities_table(
    path: Path | str,
    *,
    kind_col: str = "kind",
    name_col: str = "name",
    x_col: str = "x",
    y_col: str = "y",
    id_col: str | None = None,
    crs: str = WGS84,
    encoding: str | None = None,
) -> FacilitiesRead:
    """Read facilities from a CSV with coordinates, or a vector file with kind/name columns.

    Parameters
    ----------
    path : Path or str
        ``.csv``/``.txt`` (read with :func:`data.german_csv.read_german_csv`) or a vector
        file (GeoJSON, GeoPackage, zipped Shapefile; geometries used, non-points as their
        representative point).
    kind_col, name_col : str
        Kind column (required; values ``kita``/``school``/``care_home``/``hospital`` or their
        German/English labels) and name column (optional: missing names are allowed).
    x_col, y_col : str
        Coordinate columns of a CSV (e.g. ``lon``/``lat`` or ``rechtswert``/``hochwert``).
    id_col : str, optional
        Id column (must be unique); default: ``kind-1``, ``kind-2``, … in file order.
    crs : str
        CRS of the CSV coordinates, or of a vector file that states none (default EPSG:4326).
    encoding : str, optional
        CSV encoding (default: detected).

    Returns
    -------
    FacilitiesRead

    Raises
    ------
    FacilitiesError
        (a ``ValueError``) for a missing or unreadable file, unknown columns (with close
        matches), unknown kinds (listing the valid ones), non-numeric or implausible
        coordinates (degrees expected for EPSG:4326), empty or repeated ids.
    """
    path = Path(path)
    name = path.name
    try:
        require_file(path, "facilities")
    except ValueError as err:
        raise FacilitiesError(str(err)) from None
    try:
        target = parse_crs(crs)
    except ValueError as err:
        raise FacilitiesError(f"crs: {err}") from None
    n_empty = 0
    csv_file = path.suffix.lower() in (".csv", ".txt", ".tsv")
    if csv_file:
        try:
            table = read_german_csv(path, encoding=encoding)
        except ValueError as err:
            raise FacilitiesError(str(err)) from None
        for col, what in ((kind_col, "kind column"), (x_col, "x column"), (y_col, "y column")):
            if col not in table.columns:
                raise FacilitiesError(str(unknown_column_error(col, table.columns, name, what)))
        if table.empty:
            raise FacilitiesError(f"{name}: the table has no rows")
        x, y = _xy(table, x_col, name), _xy(table, y_col, name)
        if target.is_geographic and (np.abs(x) > 180).any() | (np.abs(y) > 90).any():
            raise FacilitiesError(
                f"{name}: coordinates such as {x_col}={x.max():g}, {y_col}={y.max():g} are not "
                f"degrees, but crs is {crs_label(target)}; pass the CRS of the coordinates "
                "(CLI: --crs), e.g. EPSG:25832"
            )
        frame = gpd.GeoDataFrame(
            table.reset_index(drop=True), geometry=gpd.points_from_xy(x, y), crs=target
        )
    else:
        frame = _settle_crs(_read_vector_file(path, "facilities file"), name, crs)
        if kind_col not in frame.columns:
            raise FacilitiesError(
                str(unknown_column_error(kind_col, frame.columns, name, "kind column"))
            )
        frame, n_empty = _drop_empty(frame)
        frame = frame.reset_index(drop=True)
        if frame.empty:
            raise FacilitiesError(f"{name}: the file has no features with a geometry")
    kinds = _kinds(frame[kind_col], name, kind_col, csv_file)
    if id_col is not None:
        if id_col not in frame.columns:
            raise FacilitiesError(
                str(unknown_column_error(id_col, frame.columns, name, "id column"))
            )
        ids = frame[id_col].map(lambda v: None if is_missing(v) else str(v).strip())
        empty = ids.isna() | (ids == "")
        if empty.any():
            rows = np.flatnonzero(empty.to_numpy())
            raise FacilitiesError(
                f"{name}: id column {id_col!r} is empty in "
                f"{show_items(_where(int(i), csv_file) for i in rows)}"
            )
        dup = duplicates(ids)
        if dup:
            raise FacilitiesError(f"{name}: id column {id_col!r} is not unique: {show_items(dup)}")
    else:
        seen: Counter[str] = Counter()
        generated = []
        for kind in kinds:
            seen[kind] += 1
            generated.append(f"{kind}-{seen[kind]}")
        ids = pd.Series(generated, index=frame.index)
    names = (
        frame[name_col].map(lambda v: None if is_missing(v) else str(v).strip())
        if name_col in frame.columns
        else pd.Series(None, index=frame.index, dtype=object)
    )
    warnings = []
    if name_col not in frame.columns:
        warnings.append(f"no name column {name_col!r}: facilities have no names")
    out = gpd.GeoDataFrame(
        {
            "facility_id": ids.astype("string").to_numpy(),
            "name": names.astype("string").to_numpy(),
            "kind": kinds,
        },
        geometry=_points(frame.geometry),
        crs=frame.crs,
    )
    return FacilitiesRead(
        frame=out.to_crs(WGS84),
        file=name,
        format="table",
        empty_geometry=n_empty,
        warnings=warnings,
    )


# --- the import ----------------------------------------------------------------------------


def _entry(
    existing: Catalog,
    read: FacilitiesRead,
    facilities: gpd.GeoDataFrame,
    licence: str | None,
    attribution: str | None,
    source: str | None,
) -> Dataset:
    path = FACILITIES_PATH
    for ds in existing.datasets:
        if ds.id == DATASET_ID and ds.path.endswith(".geojson") and not ds.layer:
            path = ds.path
    osm = read.format == "osm"
    per_kind = facilities["kind"].value_counts()
    counts = ", ".join(f"{k} {int(per_kind.get(k, 0))}" for k in FACILITY_KINDS)
    if osm:
        how_de = (
            "OSM-Tags: amenity=kindergarten/childcare → kita, school → school, hospital → "
            "hospital, nursing_home bzw. social_facility=nursing_home/assisted_living (für "
            "Senioren) → care_home; Flächen als innerer Punkt."
        )
        how_en = (
            "OSM tags: amenity=kindergarten/childcare → kita, school → school, hospital → "
            "hospital, nursing_home or social_facility=nursing_home/assisted_living (for "
            "seniors) → care_home; areas as an interior point."
        )
    else:
        how_de = how_en = ""
    return Dataset(
        id=DATASET_ID,
        title={"de": "Hitzesensible Einrichtungen", "en": "Heat-sensitive facilities"},
        kind="vector",
        path=path,
        crs=WGS84,
        licence=licence or (OSM_LICENCE if osm else "unknown"),
        attribution=attribution or (OSM_ATTRIBUTION if osm else "not stated"),
        source=source or read.file,
        generated_by=GENERATED_BY,
        description={
            "de": f"Aus {read.file} im Begrenzungsrechteck der Stadt ({counts}). {how_de}".strip(),
            "en": f"From {read.file}, within the city's bounding box ({counts}). {how_en}".strip(),
        },
    )


def import_facilities(
    pack_folder: Path | str,
    path: Path | str,
    fmt: str = "osm",
    *,
    kind_col: str = "kind",
    name_col: str = "name",
    x_col: str = "x",
    y_col: str = "y",
    id_col: str | None = None,
    crs: str = WGS84,
    encoding: str | None = None,
    licence: str | None = None,
    attribution: str | None = None,
    source: str | None = None,
) -> FacilitiesImportResult:
    """Write the facilities of a file into the pack as the ``facilities`` dataset.

    Parameters
    ----------
    pack_folder : Path or str
        An existing city pack.
    path : Path or str
        OSM export (``fmt="osm"``) or table (``fmt="table"``).
    fmt : {"osm", "table"}
    kind_col, name_col, x_col, y_col, id_col, crs, encoding
        For tables, see :func:`read_facilities_table`.
    licence, attribution, source : str, optional
        Provenance. OSM input defaults to ODbL-1.0 and "© OpenStreetMap-Mitwirkende (ODbL)".

    Returns
    -------
    FacilitiesImportResult

    Raises
    ------
    ValueError
        :class:`FacilitiesError` for bad input, an unknown format, no facility inside the
        city's bounding box; a folder that is not a pack; :class:`data.pack.PackError` if
        the result does not validate. The pack is unchanged in every case.
    """
    if fmt not in FORMATS:
        raise FacilitiesError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    folder, path = Path(pack_folder), Path(path)
    catalog = read_pack_catalog(folder)
    if fmt == "osm":
        read = read_osm_facilities(path)
    else:
        read = read_facilities_table(
            path,
            kind_col=kind_col,
            name_col=name_col,
            x_col=x_col,
            y_col=y_col,
            id_col=id_col,
            crs=crs,
            encoding=encoding,
        )
    box = bbox_polygon(catalog.city, WGS84)
    inside = np.asarray(shapely.covers(box, read.frame.geometry.values))
    facilities = read.frame[inside].reset_index(drop=True)
    if facilities.empty:
        raise FacilitiesError(
            f"{read.file}: none of its {len(read.frame)} facilities lies in the city's bounding "
            f"box {list(catalog.city.bbox)} (lon/lat); is the file (or its CRS) right?"
        )
    warnings = list(read.warnings)
    outside = int((~inside).sum())
    if outside:
        warnings.append(f"{outside} facilit(y/ies) outside the city's bounding box left out")
    entry = _entry(catalog, read, facilities, licence, attribution, source)
    if entry.licence == "unknown":
        warnings.append("licence not stated; state it before publishing")
    with staged_pack(folder) as stage:
        stage.put_vector(entry, facilities)
    return FacilitiesImportResult(
        pack=folder,
        frame=facilities,
        outside=outside,
        read=read,
        warnings=warnings,
    )
