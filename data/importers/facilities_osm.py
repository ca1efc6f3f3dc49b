"""Reading heat-sensitive facilities from an OpenStreetMap export (Overpass, osmtogeojson, QuickOSM).

Tags map to kinds (:func:`osm_kind`):

- ``amenity=kindergarten`` or ``amenity=childcare`` → ``kita``
- ``amenity=school`` → ``school``
- ``amenity=hospital`` (or ``healthcare=hospital``) → ``hospital``
- ``amenity=nursing_home``, ``social_facility=nursing_home``, or
  ``social_facility=assisted_living`` with ``social_facility:for`` including ``senior``
  → ``care_home``

Everything else is ignored and counted by its ``amenity`` value. Polygons and lines become
their representative point; the same OSM object listed twice is kept once.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from data.importers.common import show_items
from data.importers.facilities_common import (
    FacilitiesError,
    FacilitiesRead,
    drop_empty,
    points,
    read_vector_file,
    require,
    settle,
    text_column,
    text_or_none,
)
from data.pack import WGS84

OSM_TAG_COLUMNS = ("amenity", "social_facility", "healthcare")
_KITA = frozenset({"kindergarten", "childcare"})


def _tag(row: dict[str, Any], key: str) -> str:
    return text_or_none(row.get(key)) or ""


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
    out = ids.map(text_or_none)
    fallback = pd.Series([f"feature-{i + 1}" for i in range(len(frame))], index=frame.index)
    return out.where(out.notna() & (out != ""), fallback).astype("string")


def _read_tagged(path: Path, crs: str | None, warnings: list[str]) -> gpd.GeoDataFrame:
    """The export's features with flat OSM tags, in its settled CRS; raise without tags."""
    require(path, "OSM")
    frame = read_vector_file(path, "OSM export")
    if len(frame) == 0:
        raise FacilitiesError("the file has no features", file=path, found="0 features")
    frame = frame.set_crs(settle(frame.crs, crs, path, warnings), allow_override=True)
    frame = _expand_tags(frame)
    if not any(c in frame.columns for c in OSM_TAG_COLUMNS):
        columns = [str(c) for c in frame.columns if c != frame.geometry.name]
        raise FacilitiesError(
            f"no OSM tags ({', '.join(OSM_TAG_COLUMNS)}) among the properties; "
            f"columns: {show_items(columns) or 'none'}; for a table with a kind column use "
            "format 'table' (CLI: --format table)",
            file=path,
            expected="OSM tags as properties",
        )
    return frame


def read_osm_facilities(path: Path | str, crs: str | None = None) -> FacilitiesRead:
    """Read the facilities of an OpenStreetMap export.

    Parameters
    ----------
    path : Path or str
        GeoJSON (or GeoPackage, zipped Shapefile) with OSM tags as properties. GeoJSON
        without a ``crs`` member is lon/lat (EPSG:4326, RFC 7946).
    crs : str, optional
        CRS of the coordinates. It wins over the CRS the file states (a differing one is
        reported as a warning) and is required for a file that states none.

    Returns
    -------
    FacilitiesRead
        Facilities as points in EPSG:4326; ignored features counted by ``amenity``.

    Raises
    ------
    FacilitiesError
        (an :class:`~data.importers.base.ImporterError`) for a missing or unreadable file,
        a file without OSM tags (``amenity``, ``social_facility``, ``healthcare``), one
        without any facility, or without a CRS stated or given.
    """
    path = Path(path)
    warnings: list[str] = []
    frame = _read_tagged(path, crs, warnings)
    n_records = len(frame)
    frame, n_empty = drop_empty(frame)
    records = frame.drop(columns=frame.geometry.name).to_dict("records")
    decided = [osm_kind(row) for row in records]
    ignored: Counter[str] = Counter(
        _tag(row, "amenity") or "(no amenity)"
        for row, (kind, _) in zip(records, decided, strict=True)
        if kind is None
    )
    keep = np.array([kind is not None for kind, _ in decided], dtype=bool)
    if not keep.any():
        raise FacilitiesError(
            f"no facility among its {len(frame)} features (looked for amenity="
            "kindergarten/childcare/school/hospital/nursing_home and social_facility="
            "nursing_home/assisted_living for seniors)",
            file=path,
            expected="at least one facility",
        )
    out = gpd.GeoDataFrame(
        {
            "facility_id": _osm_ids(frame)[keep].to_numpy(),
            "name": text_column(frame, "name")[keep].to_numpy(),
            "kind": np.array([k for k, _ in decided], dtype=object)[keep],
            "osm_tag": np.array([t for _, t in decided], dtype=object)[keep],
        },
        geometry=points(frame.geometry[keep]),
        crs=frame.crs,
    )
    repeated = out["facility_id"].duplicated()
    repeated_ids = [str(i) for i in out.loc[repeated, "facility_id"]]
    out = out[~repeated].reset_index(drop=True)
    out["facility_id"] = out["facility_id"].astype("string")
    out["name"] = out["name"].astype("string")
    return FacilitiesRead(
        frame=out.to_crs(WGS84),
        file=path.name,
        format="osm",
        ignored=dict(ignored),
        duplicates_dropped=int(repeated.sum()),
        empty_geometry=n_empty,
        warnings=warnings,
        n_records=n_records,
        repeated_ids=repeated_ids,
    )
