"""Where do climate and law limit building? Constraint zones into the pack's ``constraints``.

``allmende import constraints --pack PACK --file FILE [--kind KIND] [--source-crs EPSG:…]``
reads GeoJSON, a GeoPackage layer or a zipped Shapefile in any CRS (the polygon checks of
:mod:`~data.importers.landuse_geometry`; zones crossing the city's bounding box are cut at
it) with the columns

* ``constraint_id`` — unique; when the file has none, ``<kind>-1``, ``<kind>-2``, …;
* ``kind`` — one of :data:`data.landuse_vocab.CONSTRAINT_KINDS` (or its German/English
  label); ``--kind KIND`` sets it for every feature of a file of one kind (it wins over a
  ``kind`` column, with a warning where they differ);
* ``name`` — optional (the kind's German label when missing);
* ``source`` — optional (the file name when missing).

**Importing replaces by kind**: the zones of every kind in the file replace the pack's
zones of that kind, and the zones of other kinds stay. So a city imports its flood zones,
then its nature reserves, each from its own file; importing a new flood-zone file later
replaces only the flood zones. An id of the file that a kept zone of another kind already
has is refused. Written through :func:`data.writer.staged_pack`, so a failed import leaves
the pack unchanged.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from data.catalog import Catalog, Dataset
from data.importers.base import Importer, ImporterError, ImportResult, Option
from data.importers.common import duplicates, read_pack_catalog, show_items
from data.importers.landuse_geometry import (
    CRS_OPTIONS,
    FILE_OPTION,
    FORMATS,
    SOURCE_OPTIONS,
    check_polygons,
    choice,
    feature_ids,
    output_path,
    place_in_city,
    placement_notes,
    read_features,
    text_or_none,
)
from data.landuse_vocab import CONSTRAINT_KINDS
from data.pack import WGS84, read_vector
from data.writer import staged_pack

DATASET_ID = "constraints"
GENERATED_BY = "data/importers/constraints.py (allmende import constraints)"
COLUMNS = ("constraint_id", "kind", "name", "source")


def _kinds(frame: pd.DataFrame, kind: str | None, file: Path, warnings: list[str]) -> list[str]:
    """The kind of every feature: ``kind`` (from ``--kind``) or the file's ``kind`` column."""
    ids = feature_ids(frame, ("constraint_id",))
    if kind is not None:
        if kind not in CONSTRAINT_KINDS:
            raise ImporterError(
                "unknown constraint kind given with --kind",
                where="--kind",
                expected=" or ".join(CONSTRAINT_KINDS),
                found=repr(kind),
            )
        if "kind" in frame.columns:
            differ = [
                str(i)
                for i, v in zip(ids, frame["kind"], strict=True)
                if choice(v, CONSTRAINT_KINDS) not in (None, kind)
            ]
            if differ:
                warnings.append(
                    f"--kind {kind} overrides the file's kind column for {len(differ)} "
                    f"feature(s): {show_items(differ)}"
                )
        return [kind] * len(frame)
    if "kind" not in frame.columns:
        have = [str(c) for c in frame.columns if c != frame.geometry.name]
        raise ImporterError(
            "no 'kind' column; give the kind of all features with --kind",
            file=file,
            expected="a 'kind' column or --kind " + "|".join(CONSTRAINT_KINDS),
            found=show_items(have) or "no columns",
        )
    out = []
    for fid, value in zip(ids, frame["kind"], strict=True):
        key = choice(value, CONSTRAINT_KINDS)
        if key is None:
            raise ImporterError(
                "unknown constraint kind",
                file=file,
                where=f"feature {fid!r}, column 'kind'",
                expected=" or ".join(CONSTRAINT_KINDS) + " (or their labels), or --kind",
                found=repr(text_or_none(value) or "nothing"),
            )
        out.append(key)
    return out


def read_constraints(
    frame: gpd.GeoDataFrame, kind: str | None, file: Path, warnings: list[str]
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """The file's zones, checked, with our columns (CRS of the file), and the repaired ids."""
    kinds = _kinds(frame, kind, file, warnings)
    if "constraint_id" in frame.columns:
        ids = feature_ids(frame, ("constraint_id",))
    else:
        numbers: dict[str, int] = {}
        generated = []
        for k in kinds:
            numbers[k] = numbers.get(k, 0) + 1
            generated.append(f"{k}-{numbers[k]}")
        ids = pd.Series(generated, index=frame.index)
    repeated = duplicates(ids)
    if repeated:
        raise ImporterError(
            "constraint ids must be unique",
            file=file,
            where=f"feature(s) {show_items(repr(r) for r in repeated)}, column 'constraint_id'",
            expected="each constraint_id once",
            found=f"{len(repeated)} id(s) given more than once",
        )
    geometry, repaired = check_polygons(frame.geometry, ids, file, warnings)
    names = frame["name"].map(text_or_none) if "name" in frame.columns else None
    sources = frame["source"].map(text_or_none) if "source" in frame.columns else None
    label = [CONSTRAINT_KINDS[k]["de"] for k in kinds]
    out = gpd.GeoDataFrame(
        {
            "constraint_id": ids.to_numpy(),
            "kind": kinds,
            "name": [
                n or d
                for n, d in zip(
                    names if names is not None else [None] * len(kinds), label, strict=True
                )
            ],
            "source": [
                s or file.name for s in (sources if sources is not None else [None] * len(kinds))
            ],
        },
        geometry=geometry.to_numpy(),
        crs=frame.crs,
    )
    return out, repaired


def _kept(pack: Path, catalog: Catalog, replaced: set[str]) -> gpd.GeoDataFrame:
    """The pack's zones of the kinds not being replaced (EPSG:4326)."""
    if DATASET_ID not in catalog.ids():
        return gpd.GeoDataFrame({c: [] for c in COLUMNS}, geometry=[], crs=WGS84)
    ds = catalog.get(DATASET_ID)
    old = read_vector(pack / ds.path, ds.layer).to_crs(WGS84)
    old = old[~old["kind"].isin(replaced)]
    keep = [c for c in COLUMNS if c in old.columns]
    return gpd.GeoDataFrame(old[keep], geometry=old.geometry, crs=WGS84).reset_index(drop=True)


def _provenance(catalog: Catalog, kept: bool, licence: str, attribution: str) -> tuple[str, str]:
    """Licence and attribution of the whole dataset: the new ones, joined to the old ones
    when zones of other kinds (from other files) stay."""
    if not kept or DATASET_ID not in catalog.ids():
        return licence, attribution
    old = catalog.get(DATASET_ID)
    joined_licence = (
        old.licence if licence in old.licence.split(" + ") else f"{old.licence} + {licence}"
    )
    joined_attr = (
        old.attribution
        if attribution in old.attribution.split("; ")
        else f"{old.attribution}; {attribution}"
    )
    return joined_licence, joined_attr


def run(
    pack: Path,
    *,
    file: Path,
    kind: str | None = None,
    source_crs: str | None = None,
    layer: str | None = None,
    licence: str = "unknown",
    attribution: str = "not stated",
    source: str | None = None,
) -> ImportResult:
    """``allmende import constraints``: the file's zones replace the pack's zones of their kinds."""
    file, pack = Path(file), Path(pack)
    catalog = read_pack_catalog(pack)
    warnings: list[str] = []
    frame = read_features(
        file, source_crs=source_crs, layer=layer, warnings=warnings, what="constraints"
    )
    zones, repaired = read_constraints(frame, kind, file, warnings)
    placed = place_in_city(zones, catalog.city, "constraint_id", clip=True, path=file, what="zones")
    warnings.extend(placement_notes(placed, "zones"))
    new_kinds = set(placed.frame["kind"])
    kept = _kept(pack, catalog, new_kinds)
    clash = sorted(set(kept["constraint_id"].astype(str)) & set(placed.frame["constraint_id"]))
    if clash:
        raise ImporterError(
            "constraint ids already used by zones of another kind in the pack",
            file=file,
            where=f"feature(s) {show_items(repr(c) for c in clash)}, column 'constraint_id'",
            expected="ids not used by the kept kinds",
            found=", ".join(sorted(set(kept["kind"]))),
        )
    combined = gpd.GeoDataFrame(
        pd.concat([kept, placed.frame[[*COLUMNS, "geometry"]]], ignore_index=True),
        geometry="geometry",
        crs=WGS84,
    )
    areas = placed.area_ha()
    kinds = placed.metric["kind"].to_numpy()
    per_kind = {k: float(areas[kinds == k].sum()) for k in CONSTRAINT_KINDS if (kinds == k).any()}
    shown = ", ".join(f"{k} {a:.1f} ha" for k, a in per_kind.items())
    all_kinds = ", ".join(k for k in CONSTRAINT_KINDS if (combined["kind"] == k).any())
    joined = _provenance(catalog, not kept.empty, licence, attribution)
    entry = Dataset(
        id=DATASET_ID,
        title={
            "de": "Restriktionsflächen (Klima und Recht)",
            "en": "Constraint zones (climate and law)",
        },
        kind="vector",
        path=output_path(catalog, DATASET_ID),
        crs=WGS84,
        licence=joined[0],
        attribution=joined[1],
        source=source or file.name,
        generated_by=GENERATED_BY,
        description={
            "de": f"Arten: {all_kinds}. Zuletzt eingelesen aus {file.name}: {shown}; die Spalte 'source' nennt die Quelle jeder Fläche.",
            "en": f"Kinds: {all_kinds}. Last imported from {file.name}: {shown}; the 'source' column names each zone's source.",
        },
    )
    if licence == "unknown":
        warnings.append("licence not stated; state it with --licence before publishing")
    with staged_pack(pack) as stage:
        stage.put_vector(entry, combined)
    warnings.extend(stage.notes)
    kept_kinds = sorted(set(kept["kind"]))
    details = [
        f"{len(placed.frame)} zone(s) from the file, replacing the pack's zones of their "
        f"kinds: {shown}"
    ]
    details.append(
        f"kept {len(kept)} zone(s) of other kinds: {', '.join(kept_kinds)}"
        if kept_kinds
        else "no zones of other kinds in the pack"
    )
    return ImportResult(
        importer="constraints",
        pack=pack,
        datasets=(DATASET_ID,),
        files=(str(file),),
        read=len(frame),
        written=len(combined),  # what the pack holds: the file's zones and those kept
        unit="zones",
        warnings=warnings,
        repaired=repaired,
        dropped=[*placed.outside, *placed.collapsed],
        details=details,
        native={"per_kind_ha": per_kind, "kept": len(kept), "total": len(combined)},
    )


IMPORTER = Importer(
    name="constraints",
    summary="climate and legal constraint zones into 'constraints' (replaces the zones of the kinds imported)",
    formats=FORMATS,
    datasets=(DATASET_ID,),
    options=(
        FILE_OPTION,
        Option(
            "kind",
            "kind of every feature of a file of one kind (else the file's 'kind' column)",
            choices=tuple(CONSTRAINT_KINDS),
        ),
        *CRS_OPTIONS,
        *SOURCE_OPTIONS,
    ),
    run=run,
)
