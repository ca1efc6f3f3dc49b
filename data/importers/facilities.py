"""Where are the heat-sensitive facilities — day-care centres, schools, care homes, hospitals?

Two kinds of input become the pack's ``facilities`` dataset (points with ``facility_id``,
``name`` and ``kind`` in :data:`data.schemas.FACILITY_KINDS`):

* **OpenStreetMap exports** (:func:`read_osm_facilities`, in
  :mod:`~data.importers.facilities_osm`): GeoJSON (or any vector file) from Overpass,
  osmtogeojson or QuickOSM, tags as properties (or a nested ``tags`` object), mapped to
  kinds by :func:`osm_kind`. The id is the OSM id (``way/123``).
* **Tables** (:func:`read_facilities_table`, in :mod:`~data.importers.facilities_table`):
  a CSV with kind, name and x/y columns in a CRS the user states, or a
  GeoJSON/GeoPackage with kind and name columns.

The CRS follows the one rule of :func:`data.importers.base.settle_crs`: a CRS the user gives
(``--source-crs``, alias ``--crs``) wins and a differing one stated by the file is a
warning; a CSV states none, so it needs one. GeoJSON without a ``crs`` member is lon/lat
(RFC 7946), so an OSM export needs none.

:func:`import_facilities` keeps the facilities inside the city's bounding box and writes
them through :func:`data.writer.staged_pack`, with the ODbL licence and OSM attribution for
OSM input. Coordinates are stored in EPSG:4326 (degrees). :data:`IMPORTER` declares
``allmende import facilities``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from data.catalog import CITY_FILE, Catalog, Dataset
from data.importers import base
from data.importers.base import Importer, ImporterError, Option
from data.importers.common import bbox_polygon, read_pack_catalog
from data.importers.facilities_common import FacilitiesError, FacilitiesRead
from data.importers.facilities_osm import OSM_TAG_COLUMNS, osm_kind, read_osm_facilities
from data.importers.facilities_table import read_facilities_table
from data.pack import WGS84, read_vector
from data.schemas import FACILITY_KINDS
from data.writer import staged_pack

__all__ = [
    "DATASET_ID",
    "FACILITIES_PATH",
    "FORMATS",
    "GENERATED_BY",
    "IMPORTER",
    "OSM_ATTRIBUTION",
    "OSM_LICENCE",
    "OSM_TAG_COLUMNS",
    "FacilitiesError",
    "FacilitiesImportResult",
    "FacilitiesRead",
    "import_facilities",
    "osm_kind",
    "read_facilities_table",
    "read_osm_facilities",
    "run",
]

FORMATS = ("osm", "table")
DATASET_ID = "facilities"
FACILITIES_PATH = "facilities.geojson"
GENERATED_BY = "data/importers/facilities.py (allmende import facilities)"
OSM_LICENCE = "ODbL-1.0"
OSM_ATTRIBUTION = "© OpenStreetMap-Mitwirkende (ODbL)"


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
    outside_ids : list of str
        Ids of the facilities outside the bounding box.
    """

    pack: Path
    frame: gpd.GeoDataFrame
    outside: int
    read: FacilitiesRead
    warnings: list[str] = field(default_factory=list)
    outside_ids: list[str] = field(default_factory=list)

    @property
    def n_facilities(self) -> int:
        """Facilities written."""
        return len(self.frame)

    def by_kind(self) -> dict[str, int]:
        """Facilities written per kind, every kind listed."""
        counts = self.frame["kind"].value_counts()
        return {k: int(counts.get(k, 0)) for k in FACILITY_KINDS}

    def summary(self) -> list[str]:
        """What was read and written, without the warnings."""
        kinds = ", ".join(f"{k} {n}" for k, n in self.by_kind().items())
        written = f"imported {self.n_facilities} facilities ({kinds}) into {self.pack}"
        return [*self.read.summary(), written]

    def lines(self) -> list[str]:
        """Everything the command line prints for this import, warnings included."""
        *read, written = self.summary()
        return [
            *read,
            *(f"  warning: {w}" for w in self.read.warnings),
            *(f"warning: {w}" for w in self.warnings if w not in self.read.warnings),
            written,
        ]


def _entry(
    existing: Catalog,
    read: FacilitiesRead,
    facilities: gpd.GeoDataFrame,
    provenance: tuple[str | None, str | None, str | None],
) -> Dataset:
    """The catalog entry; ``provenance`` is (licence, attribution, source)."""
    licence, attribution, source = provenance
    path = FACILITIES_PATH
    for ds in existing.datasets:
        if ds.id == DATASET_ID and ds.path.endswith(".geojson") and not ds.layer:
            path = ds.path
    osm = read.format == "osm"
    per_kind = facilities["kind"].value_counts()
    counts = ", ".join(f"{k} {int(per_kind.get(k, 0))}" for k in FACILITY_KINDS)
    how_de = how_en = ""
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


def _catalog(folder: Path) -> Catalog:
    """The pack's catalog; a :class:`FacilitiesError` naming ``city.toml`` if there is none."""
    try:
        return read_pack_catalog(folder)
    except ValueError as err:
        message = err.message if isinstance(err, ImporterError) else str(err)
        raise FacilitiesError(
            message, file=folder / CITY_FILE, expected="an existing city pack"
        ) from err


def _inside_bbox(
    read: FacilitiesRead, catalog: Catalog, path: Path
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """The facilities inside the city's bounding box, and which ones are; raise for none."""
    box = bbox_polygon(catalog.city, WGS84)
    inside = np.asarray(shapely.covers(box, read.frame.geometry.values))
    facilities = read.frame[inside].reset_index(drop=True)
    if facilities.empty:
        raise FacilitiesError(
            f"none of its {len(read.frame)} facilities lies in the city's bounding "
            f"box {list(catalog.city.bbox)} (lon/lat); is the file (or its CRS) right?",
            file=path,
            expected="facilities inside the city's bounding box",
            found="none",
        )
    return facilities, inside


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
    crs: str | None = None,
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
    kind_col, name_col, x_col, y_col, id_col, encoding
        For tables, see :func:`read_facilities_table`.
    crs : str, optional
        CRS of the coordinates: wins over the file's (with a warning); required for a CSV.
    licence, attribution, source : str, optional
        Provenance. OSM input defaults to ODbL-1.0 and "© OpenStreetMap-Mitwirkende (ODbL)".

    Returns
    -------
    FacilitiesImportResult

    Raises
    ------
    FacilitiesError
        (an :class:`~data.importers.base.ImporterError`) for bad input, an unknown format,
        no facility inside the city's bounding box, a folder that is not a pack;
        :class:`data.pack.PackError` if the result does not validate. The pack is unchanged
        in every case.
    """
    if fmt not in FORMATS:
        raise FacilitiesError(
            f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}",
            where="--format",
            expected=" or ".join(FORMATS),
            found=repr(fmt),
        )
    folder, path = Path(pack_folder), Path(path)
    catalog = _catalog(folder)
    if fmt == "osm":
        read = read_osm_facilities(path, crs)
    else:
        columns = {"kind_col": kind_col, "name_col": name_col, "x_col": x_col, "y_col": y_col}
        read = read_facilities_table(path, **columns, id_col=id_col, crs=crs, encoding=encoding)
    facilities, inside = _inside_bbox(read, catalog, path)
    warnings = list(read.warnings)
    outside = int((~inside).sum())
    if outside:
        warnings.append(f"{outside} facilit(y/ies) outside the city's bounding box left out")
    entry = _entry(catalog, read, facilities, (licence, attribution, source))
    if entry.licence == "unknown":
        warnings.append("licence not stated; state it before publishing")
    with staged_pack(folder) as stage:
        stage.put_vector(entry, facilities)
    warnings.extend(stage.notes)
    return FacilitiesImportResult(
        pack=folder,
        frame=facilities,
        outside=outside,
        read=read,
        warnings=warnings,
        outside_ids=[str(i) for i in read.frame.loc[~inside, "facility_id"]],
    )


# --- the importer contract -----------------------------------------------------------------


def run(
    pack: Path,
    *,
    file: Path,
    format: str = "osm",
    kind_col: str = "kind",
    name_col: str = "name",
    x_col: str = "x",
    y_col: str = "y",
    id_col: str | None = None,
    source_crs: str | None = None,
    encoding: str | None = None,
    licence: str | None = None,
    attribution: str | None = None,
    source: str | None = None,
) -> base.ImportResult:
    """``allmende import facilities``: :func:`import_facilities` as an :class:`ImportResult`.

    ``read`` counts the features (or rows) of the file, facilities or not; ``written`` the
    features of the ``facilities`` GeoJSON as the pack holds it afterwards; ``dropped`` the
    ids left out (outside the bounding box, repeated OSM objects).
    """
    native = import_facilities(
        pack,
        file,
        format,
        kind_col=kind_col,
        name_col=name_col,
        x_col=x_col,
        y_col=y_col,
        id_col=id_col,
        crs=source_crs,
        encoding=encoding,
        licence=licence,
        attribution=attribution,
        source=source,
    )
    stored = read_pack_catalog(Path(pack)).get(DATASET_ID).path
    return base.ImportResult(
        importer="facilities",
        pack=Path(pack),
        datasets=(DATASET_ID,),
        files=(str(file),),
        read=native.read.n_records,
        written=len(read_vector(Path(pack) / stored)),
        unit="facilities",
        warnings=list(native.warnings),
        dropped=[*native.outside_ids, *native.read.repeated_ids],
        details=native.summary(),
        native=native,
    )


IMPORTER = Importer(
    name="facilities",
    summary="kitas, schools, care homes, hospitals (OSM or table)",
    formats=("OSM GeoJSON export", "CSV with x/y", "GeoJSON", "GeoPackage", "zipped Shapefile"),
    datasets=(DATASET_ID,),
    options=(
        Option("file", "OSM GeoJSON export or table", type=Path, required=True, input=True),
        Option(
            "format",
            "osm (tags such as amenity=school) or table (kind/name/x/y columns); default osm",
            choices=FORMATS,
            default="osm",
        ),
        Option("kind_col", "table: kind column (default kind)", default="kind"),
        Option("name_col", "table: name column (default name)", default="name"),
        Option("x_col", "table: x / longitude column (default x)", default="x"),
        Option("y_col", "table: y / latitude column (default y)", default="y"),
        Option("id_col", "table: id column (default: generated)"),
        Option(
            "source_crs",
            "CRS of the coordinates, e.g. EPSG:25832; required for a CSV, wins over a CRS "
            "the file states (GeoJSON without one is EPSG:4326)",
            aliases=("--crs",),
        ),
        Option("encoding", "table: CSV encoding (default: detected)"),
        Option("licence", "licence (default for OSM: ODbL-1.0)"),
        Option("attribution", "attribution (default for OSM: © OpenStreetMap…)"),
        Option("source", "where the file comes from (URL)"),
    ),
    run=run,
)
