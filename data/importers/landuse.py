"""What is the land used for today? Land-use polygons into the pack's ``landuse`` dataset.

``allmende import landuse --pack PACK --file FILE [--mapping FILE] [--source-crs EPSG:…]``
reads GeoJSON, a GeoPackage layer or a zipped Shapefile in any CRS
(:mod:`~data.importers.landuse_geometry`: the CRS rule, empty and non-polygon geometries
refused with their ids, invalid ones repaired with ``make_valid`` and listed, features
cut at the city's bounding box). Each polygon gets a class of
:data:`data.landuse_vocab.LANDUSE_CLASSES`:

* a file with a ``use`` column (our class names or their German/English labels) and no
  ``--mapping`` is taken as it is;
* otherwise its OSM tags (``landuse``, ``leisure``, ``natural``, …) are mapped through the
  editable table of :mod:`~data.importers.landuse_mapping` (the shipped
  ``landuse_osm_mapping.csv`` or ``--mapping FILE``). Features no rule matches are kept
  as ``other`` and listed in the summary by tag and count; rules with the class
  ``ignore`` leave features out on purpose (also listed).

The same OSM object listed twice (one id) is kept once. The summary gives the mapped area
per class in hectares (polygons as mapped: where OSM polygons overlap, each counts).
Written through :func:`data.writer.staged_pack`: a failed import leaves the pack unchanged.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np

from data.catalog import Catalog, Dataset
from data.importers.base import Importer, ImporterError, ImportResult, Option
from data.importers.common import read_pack_catalog, show_items
from data.importers.landuse_geometry import (
    CRS_OPTIONS,
    FILE_OPTION,
    FORMATS,
    Placed,
    check_polygons,
    feature_ids,
    output_path,
    place_in_city,
    placement_notes,
    read_features,
    text_or_none,
)
from data.importers.landuse_mapping import (
    IGNORE,
    Classified,
    classify,
    counted,
    direct_uses,
    load_mapping,
)
from data.landuse_vocab import LANDUSE_CLASSES
from data.pack import WGS84
from data.writer import staged_pack

DATASET_ID = "landuse"
GENERATED_BY = "data/importers/landuse.py (allmende import landuse)"
ID_COLUMNS = ("landuse_id", "@id", "id", "full_id", "osm_id", "fid")
OSM_LICENCE = "ODbL-1.0"
OSM_ATTRIBUTION = "© OpenStreetMap-Mitwirkende (ODbL)"


def area_by_class(placed: Placed) -> dict[str, float]:
    """Hectares per land-use class, every class listed (0 when absent)."""
    areas = placed.area_ha()
    uses = placed.metric["use"].to_numpy()
    return {c: float(areas[uses == c].sum()) for c in LANDUSE_CLASSES}


def _entry(
    catalog: Catalog,
    file: Path,
    areas: dict[str, float],
    osm: bool,
    provenance: tuple[str | None, str | None, str | None],
) -> Dataset:
    licence, attribution, source = provenance
    shown = ", ".join(f"{c} {a:.1f} ha" for c, a in areas.items() if a > 0)
    how = {
        "de": " OSM-Tags über die Zuordnungstabelle den Klassen zugeordnet." if osm else "",
        "en": " OSM tags mapped to the classes through the mapping table." if osm else "",
    }
    return Dataset(
        id=DATASET_ID,
        title={"de": "Flächennutzung", "en": "Land use"},
        kind="vector",
        path=output_path(catalog, DATASET_ID),
        crs=WGS84,
        licence=licence or (OSM_LICENCE if osm else "unknown"),
        attribution=attribution or (OSM_ATTRIBUTION if osm else "not stated"),
        source=source or file.name,
        generated_by=GENERATED_BY,
        description={
            "de": f"Aus {file.name}, im Begrenzungsrechteck der Stadt ({shown}).{how['de']}",
            "en": f"From {file.name}, within the city's bounding box ({shown}).{how['en']}",
        },
        approximations={
            "de": "Flächen wie kartiert; überlappende Polygone zählen in jeder Klasse.",
            "en": "Areas as mapped; overlapping polygons count in each class.",
        },
    )


def _classes(
    frame: gpd.GeoDataFrame, ids: object, file: Path, mapping: Path | None
) -> tuple[Classified, str]:
    """The class of every feature and how it was found (``"use column"`` or the mapping)."""
    if "use" in frame.columns and mapping is None:
        uses, tags = direct_uses(frame, ids, file)  # type: ignore[arg-type]
        return Classified(uses=uses, tags=tags), "the file's 'use' column"
    table = load_mapping(mapping)
    keys = table.keys
    if not any(k in frame.columns for k in keys):
        columns = [str(c) for c in frame.columns if c != frame.geometry.name]
        raise ImporterError(
            f"no 'use' column and none of the mapping's tag keys ({', '.join(keys)}) among "
            f"the properties; columns: {show_items(columns) or 'none'}",
            file=file,
            expected="a 'use' column or OSM tags such as landuse=…",
        )
    return classify(frame, table), f"mapping {table.file}"


def run(
    pack: Path,
    *,
    file: Path,
    mapping: Path | None = None,
    source_crs: str | None = None,
    layer: str | None = None,
    licence: str | None = None,
    attribution: str | None = None,
    source: str | None = None,
) -> ImportResult:
    """``allmende import landuse``: the file's polygons as the pack's ``landuse`` dataset."""
    file = Path(file)
    catalog = read_pack_catalog(Path(pack))
    warnings: list[str] = []
    frame = read_features(
        file, source_crs=source_crs, layer=layer, warnings=warnings, what="land-use"
    )
    n_read = len(frame)
    ids = feature_ids(frame, ID_COLUMNS)
    repeated = ids.duplicated().to_numpy()
    repeated_ids = [str(i) for i in ids[repeated]]
    frame, ids = frame[~repeated], ids[~repeated]
    geometry, repaired = check_polygons(frame.geometry, ids, file, warnings)
    classified, how = _classes(frame, ids, file, Path(mapping) if mapping else None)
    uses = np.array(classified.uses, dtype=object)
    keep = uses != IGNORE
    names = frame["name"].map(text_or_none) if "name" in frame.columns else None
    out = gpd.GeoDataFrame(
        {
            "landuse_id": ids.to_numpy()[keep],
            "use": uses[keep],
            "name": names.to_numpy()[keep] if names is not None else None,
            "source_tag": np.array(classified.tags, dtype=object)[keep],
        },
        geometry=geometry.to_numpy()[keep],
        crs=frame.crs,
    )
    if out.empty:
        raise ImporterError(
            f"the mapping leaves out every feature (class '{IGNORE}')",
            file=file,
            expected="at least one land-use polygon",
        )
    placed = place_in_city(out, catalog.city, "landuse_id", clip=True, path=file, what="polygons")
    warnings.extend(placement_notes(placed, "polygons"))
    if repeated_ids:
        warnings.append(
            f"{len(repeated_ids)} repeated feature id(s) kept once: {show_items(repeated_ids)}"
        )
    areas = area_by_class(placed)
    osm = how.startswith("mapping")
    entry = _entry(catalog, file, areas, osm, (licence, attribution, source))
    if entry.licence == "unknown":
        warnings.append("licence not stated; state it with --licence before publishing")
    with staged_pack(Path(pack)) as stage:
        stage.put_vector(entry, placed.frame)
    warnings.extend(stage.notes)
    details = _details(placed, areas, classified, how)
    return ImportResult(
        importer="landuse",
        pack=Path(pack),
        datasets=(DATASET_ID,),
        files=tuple(str(f) for f in (file, mapping) if f is not None),
        read=n_read,
        written=len(placed.frame),
        unit="polygons",
        warnings=warnings,
        repaired=repaired,
        dropped=[*repeated_ids, *placed.outside, *placed.collapsed],
        details=details,
        native=areas,
    )


def _details(
    placed: Placed, areas: dict[str, float], classified: Classified, how: str
) -> list[str]:
    counts = placed.metric["use"].value_counts()
    total = sum(areas.values())
    lines = [f"classes from {how}; mapped area per class (ha, {total:.1f} ha in all):"]
    lines.extend(
        f"  {c:<12} {areas[c]:>9.1f} ha  {int(counts.get(c, 0)):>5} polygons"
        for c in LANDUSE_CLASSES
        if counts.get(c, 0)
    )
    if classified.unmapped:
        n = sum(classified.unmapped.values())
        lines.append(
            f"{n} feature(s) no mapping rule matches, kept as 'other' "
            f"(add a rule to the mapping to classify them): {counted(classified.unmapped)}"
        )
    else:
        lines.append("every feature matched a mapping rule (none kept as 'other' for lack of one)")
    if classified.ignored:
        n = sum(classified.ignored.values())
        lines.append(
            f"{n} feature(s) left out by rules with class '{IGNORE}': {counted(classified.ignored)}"
        )
    lines.append("polygons as mapped: where they overlap, the area counts in each class")
    return lines


IMPORTER = Importer(
    name="landuse",
    summary="land-use polygons (OSM tags mapped to classes, or a 'use' column) into 'landuse'",
    formats=FORMATS,
    datasets=(DATASET_ID,),
    options=(
        FILE_OPTION,
        Option(
            "mapping",
            "CSV key,value,class mapping OSM tags to classes (default: the shipped "
            "data/importers/landuse_osm_mapping.csv)",
            type=Path,
            input=True,
            metavar="FILE",
        ),
        *CRS_OPTIONS,
        Option("licence", "licence (default for OSM tags: ODbL-1.0)"),
        Option("attribution", "attribution (default for OSM tags: © OpenStreetMap…)"),
        Option("source", "where the file comes from (URL)"),
    ),
    run=run,
)
