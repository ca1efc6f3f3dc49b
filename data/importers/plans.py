"""Which developments are planned, and where? Plan polygons into the pack's ``plans`` dataset.

``allmende import plans --pack PACK --file FILE [--source-crs EPSG:…]`` reads GeoJSON, a
GeoPackage layer or a zipped Shapefile in any CRS (the polygon checks of
:mod:`~data.importers.landuse_geometry`) with the columns

* ``plan_id`` — unique;
* ``name`` — optional (the plan id when missing, with a warning);
* ``use`` — one of :data:`data.landuse_vocab.PLANNED_USES`, or its German/English label
  (``Wohnen``, ``Gemischte Nutzung``, …), any case;
* ``dwellings`` — a whole number ≥ 0, may be empty;
* ``status`` — one of :data:`data.landuse_vocab.PLAN_STATUSES` or its label (``In Planung``);
* ``source`` — optional.

A bad value is refused naming the feature's id and the column. A plan wholly outside the
city's bounding box is refused (the file or its CRS is probably wrong); plans are never
cut. The import replaces the pack's ``plans``; written through
:func:`data.writer.staged_pack`, so a failed import leaves the pack unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from data.catalog import Dataset
from data.importers.base import Importer, ImporterError, ImportResult
from data.importers.common import duplicates, is_missing, read_pack_catalog, show_items
from data.importers.landuse_geometry import (
    CRS_OPTIONS,
    FILE_OPTION,
    FORMATS,
    SOURCE_OPTIONS,
    check_polygons,
    choice,
    output_path,
    place_in_city,
    placement_notes,
    read_features,
    text_or_none,
)
from data.landuse_vocab import PLAN_STATUSES, PLANNED_USES
from data.pack import WGS84
from data.writer import staged_pack

DATASET_ID = "plans"
GENERATED_BY = "data/importers/plans.py (allmende import plans)"
REQUIRED = ("plan_id", "use", "status")


def _refuse(
    file: Path, fid: str, column: str, problem: str, expected: str, found: Any
) -> ImporterError:
    return ImporterError(
        problem,
        file=file,
        where=f"feature {fid!r}, column {column!r}",
        expected=expected,
        found=found,
    )


def _ids(frame: pd.DataFrame, file: Path) -> pd.Series:
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        have = [str(c) for c in frame.columns if c != frame.geometry.name]
        raise ImporterError(
            f"column(s) missing: {', '.join(missing)}",
            file=file,
            expected="plan_id, name, use, dwellings, status",
            found=show_items(have) or "no columns",
        )
    ids = frame["plan_id"].map(
        lambda v: str(int(v)) if isinstance(v, float) and v.is_integer() else text_or_none(v)
    )
    if ids.isna().any():
        rows = [str(i + 1) for i in np.flatnonzero(ids.isna().to_numpy())]
        raise ImporterError(
            "every plan needs a plan_id",
            file=file,
            where=f"feature(s) number {show_items(rows)} (counted from 1), column 'plan_id'",
            expected="a unique id",
            found="nothing",
        )
    repeated = duplicates(ids)
    if repeated:
        raise ImporterError(
            "plan ids must be unique",
            file=file,
            where=f"feature(s) {show_items(repr(r) for r in repeated)}, column 'plan_id'",
            expected="each plan_id once",
            found=f"{len(repeated)} id(s) given more than once",
        )
    return ids.astype(str)


def _vocabulary(
    frame: pd.DataFrame, ids: pd.Series, column: str, labels: dict[str, dict[str, str]], file: Path
) -> list[str]:
    out = []
    for fid, value in zip(ids, frame[column], strict=True):
        key = choice(value, labels)
        if key is None:
            raise _refuse(
                file,
                fid,
                column,
                f"unknown {column}" if text_or_none(value) else f"{column} is missing",
                " or ".join(labels) + " (or their German/English labels)",
                repr(text_or_none(value) or "nothing"),
            )
        out.append(key)
    return out


def _dwellings(frame: pd.DataFrame, ids: pd.Series, file: Path) -> pd.Series:
    if "dwellings" not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="Int64")
    values: list[Any] = []
    for fid, value in zip(ids, frame["dwellings"], strict=True):
        if is_missing(value) or text_or_none(value) is None:
            values.append(pd.NA)
            continue
        try:
            number = (
                float(value)
                if isinstance(value, int | float | np.number)
                else float(str(value).strip())
            )
        except ValueError:
            number = float("nan")
        if not np.isfinite(number) or not number.is_integer():
            raise _refuse(
                file, fid, "dwellings", "dwellings must be a whole number", "e.g. 120", repr(value)
            )
        if number < 0:
            raise _refuse(
                file, fid, "dwellings", "dwellings cannot be negative", "0 or more", repr(value)
            )
        values.append(int(number))
    return pd.Series(values, index=frame.index, dtype="Int64")


def read_plans(frame: gpd.GeoDataFrame, file: Path, warnings: list[str]) -> gpd.GeoDataFrame:
    """The plans of ``frame`` checked and in our vocabulary (CRS of the file)."""
    ids = _ids(frame, file)
    geometry, repaired = check_polygons(frame.geometry, ids, file, warnings)
    names = frame["name"].map(text_or_none) if "name" in frame.columns else ids.map(lambda _: None)
    unnamed = names.isna()
    if unnamed.any():
        warnings.append(
            f"{int(unnamed.sum())} plan(s) without a name are named by their id: "
            f"{show_items(ids[unnamed])}"
        )
    sources = frame["source"].map(text_or_none) if "source" in frame.columns else None
    out = gpd.GeoDataFrame(
        {
            "plan_id": ids.to_numpy(),
            "name": names.where(~unnamed, ids).to_numpy(),
            "use": _vocabulary(frame, ids, "use", PLANNED_USES, file),
            "dwellings": _dwellings(frame, ids, file).to_numpy(),
            "status": _vocabulary(frame, ids, "status", PLAN_STATUSES, file),
            "source": sources.to_numpy() if sources is not None else file.name,
        },
        geometry=geometry.to_numpy(),
        crs=frame.crs,
    )
    out.attrs["repaired"] = repaired
    return out


def run(
    pack: Path,
    *,
    file: Path,
    source_crs: str | None = None,
    layer: str | None = None,
    licence: str = "unknown",
    attribution: str = "not stated",
    source: str | None = None,
) -> ImportResult:
    """``allmende import plans``: the file's plans as the pack's ``plans`` dataset."""
    file = Path(file)
    catalog = read_pack_catalog(Path(pack))
    warnings: list[str] = []
    frame = read_features(file, source_crs=source_crs, layer=layer, warnings=warnings, what="plans")
    plans = read_plans(frame, file, warnings)
    placed = place_in_city(plans, catalog.city, "plan_id", clip=False, path=file, what="plans")
    warnings.extend(placement_notes(placed, "plans"))
    areas = placed.area_ha()
    uses = placed.metric["use"].to_numpy()
    per_use = {u: (int((uses == u).sum()), float(areas[uses == u].sum())) for u in PLANNED_USES}
    shown = ", ".join(f"{u} {n} ({a:.1f} ha)" for u, (n, a) in per_use.items() if n)
    dwellings = int(placed.frame["dwellings"].fillna(0).sum())
    entry = Dataset(
        id=DATASET_ID,
        title={"de": "Geplante Vorhaben", "en": "Planned developments"},
        kind="vector",
        path=output_path(catalog, DATASET_ID),
        crs=WGS84,
        licence=licence,
        attribution=attribution,
        source=source or file.name,
        generated_by=GENERATED_BY,
        description={
            "de": f"{len(placed.frame)} Vorhaben aus {file.name} ({shown}); {dwellings} Wohnungen.",
            "en": f"{len(placed.frame)} plans from {file.name} ({shown}); {dwellings} dwellings.",
        },
    )
    if licence == "unknown":
        warnings.append("licence not stated; state it with --licence before publishing")
    with staged_pack(Path(pack)) as stage:
        stage.put_vector(entry, placed.frame)
    warnings.extend(stage.notes)
    return ImportResult(
        importer="plans",
        pack=Path(pack),
        datasets=(DATASET_ID,),
        files=(str(file),),
        read=len(frame),
        written=len(placed.frame),
        unit="plans",
        warnings=warnings,
        repaired=list(plans.attrs.get("repaired", [])),
        dropped=list(placed.collapsed),
        details=[
            f"plans per use: {shown}",
            f"{float(areas.sum()):.1f} ha planned, {dwellings} dwellings",
        ],
        native=per_use,
    )


IMPORTER = Importer(
    name="plans",
    summary="planned developments (plan_id, name, use, dwellings, status) into 'plans'",
    formats=FORMATS,
    datasets=(DATASET_ID,),
    options=(
        FILE_OPTION,
        *CRS_OPTIONS,
        *SOURCE_OPTIONS,
    ),
    run=run,
)
