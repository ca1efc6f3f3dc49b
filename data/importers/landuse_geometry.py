"""Polygons for the land-use theme: read, check, repair and place them in the city.

The ``landuse``, ``plans`` and ``constraints`` importers share these steps:

1. :func:`read_features` reads GeoJSON, a GeoPackage layer or a zipped Shapefile and settles
   its CRS by :func:`data.importers.base.settle_crs` (the CRS given with ``--source-crs``
   wins; a file stating none is an error saying how to state it). Coordinates that cannot
   be degrees in a lon/lat CRS are refused with the same hint (GeoJSON without a ``crs``
   member counts as lon/lat, RFC 7946, so a metre GeoJSON needs ``--source-crs``).
2. :func:`feature_ids` names every feature (an id column, else ``feature-N``, N counted
   from 1 in file order).
3. :func:`check_polygons` refuses empty and non-polygon geometries, naming their ids, and
   repairs invalid ones with :func:`shapely.make_valid`, keeping the polygonal parts only.
4. :func:`place_in_city` reprojects to the pack's metric CRS, keeps what lies in the city's
   bounding box (clipping at its edge, or refusing features outside it), and snaps the
   result to the 10⁻⁶ degree grid the pack's GeoJSON is written with, so the stored
   polygons stay valid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from data.catalog import City
from data.importers.base import CRS_OPTION, ImporterError, Option, settle_crs
from data.importers.common import bbox_polygon, is_missing, require_file, show_items
from data.pack import WGS84, read_vector

POLYGONAL = ("Polygon", "MultiPolygon")
#: The pack's GeoJSON keeps 6 decimals of a degree (:func:`data.writer.Stage.put_vector`).
GRID_DEGREES = 1e-6
FORMATS = ("GeoJSON", "GeoPackage", "zipped Shapefile (.zip)")


def read_features(
    path: Path | str,
    *,
    source_crs: str | None,
    layer: str | None,
    warnings: list[str],
    what: str,
) -> gpd.GeoDataFrame:
    """The file's features in its settled CRS; an :class:`ImporterError` naming the file.

    Parameters
    ----------
    path : Path or str
        GeoJSON, GeoPackage or zipped Shapefile.
    source_crs : str, optional
        The CRS the user states; wins over the file's (a differing one is a warning).
    layer : str, optional
        The layer of a file with several (a GeoPackage); required when there are several.
    warnings : list of str
        Warnings are appended.
    what : str
        What the file should be (``"land-use"``), for messages.
    """
    path = Path(path)
    require_file(path, what)
    if path.stat().st_size == 0:
        raise ImporterError(f"the {what} file is empty", file=path, found="0 bytes")
    try:
        if layer is None:
            layers = [str(row[0]) for row in pyogrio.list_layers(path)]
            if len(layers) > 1:
                raise ImporterError(
                    "the file holds several layers; choose one with --layer",
                    file=path,
                    expected="--layer NAME",
                    found=f"layers {show_items(layers)}",
                )
        frame = read_vector(path, layer)
    except ImporterError:
        raise
    except Exception as err:  # pyogrio raises several types; the message is what matters
        text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ImporterError(
            f"cannot read the {what} file: {text}", file=path, expected=" or ".join(FORMATS)
        ) from err
    if len(frame) == 0:
        raise ImporterError(f"the {what} file has no features", file=path, found="0 features")
    crs = settle_crs(frame.crs, source_crs, file=path, warnings=warnings)
    frame = frame.set_crs(crs, allow_override=True)
    _check_degrees(frame, crs, path)
    return frame


def _check_degrees(frame: gpd.GeoDataFrame, crs: CRS, path: Path) -> None:
    """Refuse coordinates beyond ±180/±90 in a lon/lat CRS: metres without a stated CRS."""
    if not crs.is_geographic:
        return
    with np.errstate(invalid="ignore"):
        x0, y0, x1, y1 = frame.total_bounds
    if np.all(np.isfinite([x0, y0, x1, y1])) and (
        min(x0, y0) < -180 or x1 > 180 or y1 > 90 or y0 < -90
    ):
        raise ImporterError(
            f"the coordinates are not longitude/latitude degrees, but the file states (or, as "
            f"GeoJSON without a crs member, implies) lon/lat; state its CRS with {CRS_OPTION}, "
            f"e.g. '{CRS_OPTION} EPSG:25832' for UTM zone 32N metres",
            file=path,
            expected="lon/lat degrees, or the CRS given",
            found=f"coordinates up to {max(abs(x0), abs(x1), abs(y0), abs(y1)):.0f}",
        )


def text_or_none(value: Any) -> str | None:
    """A cell as stripped text; ``None`` when missing or blank."""
    if is_missing(value):
        return None
    text = str(value).strip()
    return text or None


def feature_ids(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """Each feature's id: the first of ``columns`` the file has, else ``feature-N``.

    Missing cells in the id column get ``feature-N`` too (N is the row number from 1).
    """
    fallback = pd.Series([f"feature-{i + 1}" for i in range(len(frame))], index=frame.index)
    for column in columns:
        if column in frame.columns:
            ids = frame[column].map(_id_text)
            return ids.where(ids.notna(), fallback).astype(str)
    return fallback


def _id_text(value: Any) -> str | None:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return text_or_none(value)


def polygonal(geom: Any) -> shapely.Geometry | None:
    """The polygonal part of ``geom`` (Polygon or MultiPolygon), ``None`` if it has none."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in POLYGONAL:
        return geom
    polygons: list[shapely.Polygon] = []
    stack = list(shapely.get_parts(geom))
    while stack:
        part = stack.pop(0)
        if part.geom_type == "Polygon" and not part.is_empty:
            polygons.append(part)
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            stack.extend(shapely.get_parts(part))
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def check_polygons(
    geometry: gpd.GeoSeries, ids: pd.Series, path: Path | str, warnings: list[str]
) -> tuple[gpd.GeoSeries, list[str]]:
    """Refuse empty and non-polygon geometries; repair invalid ones.

    Returns
    -------
    tuple
        The geometries (invalid ones made valid, polygonal parts kept) and the repaired ids.

    Raises
    ------
    ImporterError
        Naming the ids of empty, missing or non-polygon geometries, and of invalid ones
        without any area left after the repair.
    """
    empty = np.asarray(geometry.isna() | geometry.is_empty)
    kinds = np.asarray(geometry.geom_type.fillna("none"))
    wrong = ~empty & ~np.isin(kinds, POLYGONAL)
    if empty.any() or wrong.any():
        found = []
        if empty.any():
            found.append(f"empty or missing: {show_items(ids[empty])}")
        for kind in sorted(set(kinds[wrong])):
            found.append(f"{kind}: {show_items(ids[wrong & (kinds == kind)])}")
        bad = ids[empty | wrong]
        raise ImporterError(
            "empty or non-polygon geometries are refused; remove or fix these features",
            file=path,
            where=f"feature(s) {show_items(bad)}",
            expected="Polygon or MultiPolygon",
            found="; ".join(found),
        )
    invalid = ~np.asarray(geometry.is_valid)
    if not invalid.any():
        return geometry, []
    values = np.array(geometry.values, dtype=object)
    fixed = [polygonal(g) for g in shapely.make_valid(values[invalid])]
    lost = [str(i) for i, g in zip(ids[invalid], fixed, strict=True) if g is None]
    if lost:
        raise ImporterError(
            "invalid geometries with no area left after repair (make_valid)",
            file=path,
            where=f"feature(s) {show_items(lost)}",
            expected="polygons with an area",
            found="only lines or points after the repair",
        )
    values[invalid] = fixed
    repaired = [str(i) for i in ids[invalid]]
    warnings.append(
        f"{len(repaired)} invalid geometr{'y' if len(repaired) == 1 else 'ies'} repaired with "
        f"make_valid (polygonal parts kept): {show_items(repaired)}"
    )
    return gpd.GeoSeries(values, index=geometry.index, crs=geometry.crs), repaired


@dataclass
class Placed:
    """Polygons placed in the city: what :func:`place_in_city` kept and what it did.

    Attributes
    ----------
    frame : geopandas.GeoDataFrame
        The kept features, EPSG:4326, snapped to the pack's coordinate grid.
    metric : geopandas.GeoDataFrame
        The same in the pack's metric CRS (for areas).
    outside, clipped, collapsed : list of str
        Ids left out (wholly outside the bounding box), cut at its edge, and left out for
        having no area at the pack's precision (≈ 0.1 m).
    """

    frame: gpd.GeoDataFrame
    metric: gpd.GeoDataFrame
    outside: list[str] = field(default_factory=list)
    clipped: list[str] = field(default_factory=list)
    collapsed: list[str] = field(default_factory=list)

    def area_ha(self) -> np.ndarray:
        """The area of each kept feature in hectares."""
        return np.asarray(self.metric.geometry.area, dtype=float) / 10_000.0


def place_in_city(
    frame: gpd.GeoDataFrame,
    city: City,
    id_column: str,
    *,
    clip: bool,
    path: Path | str,
    what: str,
) -> Placed:
    """``frame`` in the city: reprojected, within the bounding box, snapped for the pack.

    With ``clip`` features crossing the city's bounding box are cut at its edge and those
    wholly outside left out; without it (plans) features wholly outside are an error and
    crossing ones are kept whole.
    """
    metric_crs = CRS.from_user_input(city.metric_crs)
    metric = frame.to_crs(metric_crs)
    metric = metric.set_geometry(_valid(metric.geometry))
    box = bbox_polygon(city, metric_crs)
    geoms = np.array(metric.geometry.values, dtype=object)
    ids = metric[id_column].astype(str).to_numpy()
    inside = np.asarray(shapely.intersects(box, geoms))
    clipped: list[str] = []
    if clip:
        crossing = inside & ~np.asarray(shapely.covers(box, geoms))
        cut = [polygonal(g) for g in shapely.intersection(geoms[crossing], box)]
        geoms[crossing] = cut
        clipped = [str(i) for i, g in zip(ids[crossing], cut, strict=True) if g is not None]
        inside &= np.array([g is not None for g in geoms], dtype=bool)
    outside = [str(i) for i in ids[~inside]]
    if not clip and outside:
        raise ImporterError(
            f"{what} outside the city's bounding box {list(city.bbox)} (lon/lat); is the "
            "file (or its CRS) right?",
            file=path,
            where=f"feature(s) {show_items(outside)}",
            expected="polygons inside the city",
        )
    metric = metric.set_geometry(gpd.GeoSeries(geoms, index=metric.index, crs=metric_crs))
    metric = metric[inside]
    if metric.empty:
        raise ImporterError(
            f"none of its {len(frame)} {what} lies in the city's bounding box "
            f"{list(city.bbox)} (lon/lat); is the file (or its CRS) right?",
            file=path,
            expected=f"{what} inside the city's bounding box",
            found="none",
        )
    wgs = metric.to_crs(WGS84)
    snapped = [polygonal(g) for g in shapely.set_precision(wgs.geometry.values, GRID_DEGREES)]
    kept = np.array([g is not None for g in snapped], dtype=bool)
    collapsed = [str(i) for i in wgs.loc[~kept, id_column]]
    wgs = wgs.set_geometry(gpd.GeoSeries(snapped, index=wgs.index, crs=WGS84))[kept]
    if wgs.empty:
        raise ImporterError(
            f"every one of its {what} is smaller than the pack's precision (≈ 0.1 m)",
            file=path,
            expected="polygons with an area",
        )
    wgs = wgs.reset_index(drop=True)
    return Placed(wgs, wgs.to_crs(metric_crs), outside, clipped, collapsed)


def _valid(geometry: gpd.GeoSeries) -> gpd.GeoSeries:
    """Geometries made valid again where reprojection broke them (polygonal parts kept)."""
    invalid = ~np.asarray(geometry.is_valid)
    if not invalid.any():
        return geometry
    values = np.array(geometry.values, dtype=object)
    values[invalid] = [polygonal(g) for g in shapely.make_valid(values[invalid])]
    return gpd.GeoSeries(values, index=geometry.index, crs=geometry.crs)


def placement_notes(placed: Placed, what: str) -> list[str]:
    """Warnings for the features clipped, left out or collapsed by :func:`place_in_city`."""
    notes = []
    if placed.clipped:
        notes.append(
            f"{len(placed.clipped)} {what} cut at the city's bounding box: "
            f"{show_items(placed.clipped)}"
        )
    if placed.outside:
        notes.append(
            f"{len(placed.outside)} {what} outside the city's bounding box left out: "
            f"{show_items(placed.outside)}"
        )
    if placed.collapsed:
        notes.append(
            f"{len(placed.collapsed)} {what} without area at the pack's precision (≈ 0.1 m) "
            f"left out: {show_items(placed.collapsed)}"
        )
    return notes


def choice(value: Any, labels: dict[str, dict[str, str]]) -> str | None:
    """The vocabulary key of ``value``: a key, or its German or English label (any case)."""
    text = text_or_none(value)
    if text is None:
        return None
    folded = text.casefold().replace(" ", "_").replace("-", "_")
    for key, names in labels.items():
        if folded == key.casefold():
            return key
        if text.casefold() in {n.casefold() for n in names.values()}:
            return key
    return None


def output_path(existing: Any, dataset_id: str) -> str:
    """The dataset's path in the pack: the one the catalog has (a GeoJSON), else ``<id>.geojson``."""
    for ds in existing.datasets:
        if ds.id == dataset_id and ds.path.endswith(".geojson") and not ds.layer:
            return str(ds.path)
    return f"{dataset_id}.geojson"


# the options every polygon importer of the land-use theme shares (landuse, plans, constraints)
FILE_OPTION = Option(
    "file", "GeoJSON, GeoPackage or zipped Shapefile", type=Path, required=True, input=True
)
CRS_OPTIONS = (
    Option(
        "source_crs",
        "CRS of the coordinates, e.g. EPSG:25832; wins over the file's, required when "
        "it states none",
        metavar="CRS",
    ),
    Option("layer", "layer of a GeoPackage with several"),
)
SOURCE_OPTIONS = (
    Option("licence", "licence of the data", default="unknown"),
    Option("attribution", "attribution as the source asks for it", default="not stated"),
    Option("source", "where the file comes from (URL)"),
)
