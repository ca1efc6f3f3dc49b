"""Draw to assess: check a polygon a planner drew on the map and assess it at once.

Pure (no Dash): the map's callback hands the drawn GeoJSON geometry to
:func:`check_drawing`, which refuses anything that is not a sound polygon in the city (with a
de/en message, :class:`DrawingError`), and then the checked geometry to
:func:`assess_drawing`, which answers with a JSON-able dict:

* the **conflicts**: :func:`models.conflicts.assess_one` under the pack's rules
  (:func:`models.conflict_rules.rules_for_pack`), the same code as the plans' assessment;
* the **added sealed area** (ha);
* the **residents within 500 m in the hottest heat-vulnerability class**.

Checks (in this order, each with its own message)
--------------------------------------------------
1. the payload is a GeoJSON ``Polygon`` or ``MultiPolygon`` geometry dict (a ``Feature``
   holding one is unwrapped) with the nesting its type requires;
2. at most ``max_vertices`` positions — counted with ``len`` on the rings *before* any
   coordinate is read or a shapely object built, so a crafted 10⁶-vertex payload costs
   microseconds (every polygon and ring also counts one against the limit, so a million
   empty rings are refused the same way);
3. every position is two (or three: the height is dropped) finite numbers, longitude in
   [-180, 180] and latitude in [-90, 90] (EPSG:4326, lon/lat order as GeoJSON has it); every
   ring has at least 4 positions and is closed (an open ring is closed by repeating its first
   position — GeoJSON requires closed rings, Leaflet's drawing already sends them so);
4. the polygon is valid in the metric CRS: a ring that **crosses itself** is refused, never
   repaired (repairing would assess a different shape than the one drawn);
5. its area is at least :data:`MIN_AREA_M2` (100 m²);
6. it overlaps the city (the outline, else the bounding box);
7. its area is not larger than the city's.

Added sealed area — the assumption
----------------------------------
For a building use (:data:`data.landuse_vocab.BUILDING_USES`) the whole drawn area is taken
as sealed once built; what is already sealed there today is subtracted. Land-use classes
:data:`SEALED_LANDUSE` (residential, commercial, industrial, public facilities, other) count
as wholly sealed, all others (green, forest, agriculture, allotments, water) as unsealed —
a coarse, class-level assumption (a residential block has gardens; a park has paths). A
green use adds no sealed area (0). Without a ``landuse`` dataset nothing counts as sealed
and the result says so.

Residents in the hottest class
------------------------------
Counted by :func:`layers.landuse.drawn.hot_residents` (models may not import layers, so the
caller passes it as ``heat``) with the heat vulnerability layer's own classes
(:func:`layers.heat.vulnerability.classes_for`)
at grid level with the layer's default weights, normalisation and classes (or the ``hvi``
parameters given): the inhabited grid cells in the top class whose **centres** lie within
500 m of the drawing (distance to its edge; cells inside count), and the sum of their
``population``. Without a population grid or heat fields the answer is ``None`` with the
reason.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

from data.landuse_vocab import BUILDING_USES, PLANNED_USES
from models.conflict_rules import RuleSet, load_rules, rules_for_pack
from models.conflicts import M2_PER_HA, ConstraintIndex, assess_one, index_constraints

MIN_AREA_M2 = 100.0
MAX_VERTICES = 5000
MAX_DWELLINGS = 100_000
NEAR_M = 500.0
SEALED_LANDUSE = ("residential", "commercial", "industrial", "public", "other")
HEAT_FIELDS = ("lst_day", "tair_night")  # the exposure fields: without one there is no heat

SEALING_ASSUMPTION: dict[str, str] = {
    "de": (
        "Bei einer baulichen Nutzung gilt die ganze gezeichnete Fläche als versiegelt; "
        "abgezogen wird, was dort heute schon versiegelt ist. Als versiegelt zählen die "
        "Flächennutzungen Wohnen, Gewerbe und Handel, Industrie, Gemeinbedarf und Sonstiges "
        "ganz, alle anderen gar nicht. Eine Grünfläche versiegelt nichts."
    ),
    "en": (
        "For a building use the whole drawn area counts as sealed; what is sealed there "
        "today is subtracted. Land uses residential, commercial, industrial, public "
        "facilities and other count as wholly sealed, all others as unsealed. A green "
        "space seals nothing."
    ),
}


class DrawingError(ValueError):
    """A drawing (or its use and dwellings) that cannot be assessed, with a de/en message."""

    def __init__(self, message_de: str, message_en: str):
        super().__init__(message_en)
        self.de = message_de
        self.en = message_en

    def text(self, lang: str) -> str:
        return self.de if lang == "de" else self.en

    def to_dict(self) -> dict[str, str]:
        return {"de": self.de, "en": self.en}


def _n(value: float, lang: str, digits: int = 0) -> str:
    """A number for a message: thousands grouped, German decimal comma in ``de``."""
    text = f"{value:,.{digits}f}"
    if lang == "de":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


# --- the drawing ---------------------------------------------------------------------------


def _shape_of(payload: Any) -> tuple[str, list[Any]]:
    """The type and the list of polygons (each a list of rings) of a GeoJSON payload."""
    wrong = DrawingError(
        "Die Zeichnung ist keine Fläche: erwartet wird ein GeoJSON-Polygon oder -MultiPolygon.",
        "The drawing is not an area: expected a GeoJSON Polygon or MultiPolygon.",
    )
    if isinstance(payload, dict) and payload.get("type") == "Feature":
        payload = payload.get("geometry")
    if not isinstance(payload, dict):
        raise wrong
    kind = payload.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        if isinstance(kind, str) and len(kind) <= 40:
            raise DrawingError(
                f"Die Zeichnung ist ein {kind}, keine Fläche: erwartet wird ein GeoJSON-Polygon "
                "oder -MultiPolygon.",
                f"The drawing is a {kind}, not an area: expected a GeoJSON Polygon or "
                "MultiPolygon.",
            )
        raise wrong
    coords = payload.get("coordinates")
    garbage = DrawingError(
        f"Die Koordinaten des {kind} sind nicht wie in GeoJSON verschachtelt "
        "(Listen von Ringen aus [Länge, Breite]-Punkten).",
        f"The {kind}'s coordinates are not nested as GeoJSON requires "
        "(lists of rings of [lon, lat] positions).",
    )
    if not isinstance(coords, list) or not coords:
        raise garbage
    polygons = [coords] if kind == "Polygon" else coords
    return kind, polygons


def _too_many(limit: int) -> DrawingError:
    return DrawingError(
        f"Die Zeichnung hat zu viele Punkte: höchstens {_n(limit, 'de')} Eckpunkte sind erlaubt. "
        "Bitte einfacher zeichnen.",
        f"The drawing has too many points: at most {_n(limit, 'en')} vertices are allowed. "
        "Please draw a simpler shape.",
    )


def _count(kind: str, polygons: list[Any], limit: int) -> None:
    """Refuse before reading any coordinate when positions (+ rings + polygons) > ``limit``."""
    garbage = DrawingError(
        f"Die Koordinaten des {kind} sind nicht wie in GeoJSON verschachtelt "
        "(Listen von Ringen aus [Länge, Breite]-Punkten).",
        f"The {kind}'s coordinates are not nested as GeoJSON requires "
        "(lists of rings of [lon, lat] positions).",
    )
    budget = limit
    if len(polygons) > budget:
        raise _too_many(limit)
    for rings in polygons:
        if not isinstance(rings, list) or not rings:
            raise garbage
        budget -= 1 + len(rings)
        if budget < 0:
            raise _too_many(limit)
        for ring in rings:
            if not isinstance(ring, list):
                raise garbage
            budget -= len(ring)
            if budget < 0:
                raise _too_many(limit)


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _ring(kind: str, ring: list[Any]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for pos in ring:
        if not isinstance(pos, list) or len(pos) not in (2, 3) or not all(map(_number, pos)):
            raise DrawingError(
                f"Ein Punkt des {kind} ist keine Koordinate: erwartet werden zwei Zahlen "
                "[Länge, Breite].",
                f"A position of the {kind} is not a coordinate: expected two numbers [lon, lat].",
            )
        lon, lat = float(pos[0]), float(pos[1])
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise DrawingError(
                "Ein Punkt der Zeichnung hat keine endliche Koordinate (NaN oder unendlich).",
                "A position of the drawing is not finite (NaN or infinity).",
            )
        if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
            raise DrawingError(
                "Ein Punkt der Zeichnung liegt außerhalb von Länge −180…180° und Breite −90…90° "
                "(erwartet: EPSG:4326, Länge vor Breite).",
                "A position of the drawing is outside longitude −180…180° and latitude −90…90° "
                "(expected EPSG:4326, longitude first).",
            )
        out.append((lon, lat))
    if out and out[0] != out[-1]:
        out.append(out[0])
    if len(out) < 4 or len(set(out)) < 3:
        raise DrawingError(
            "Ein Ring der Zeichnung hat weniger als drei verschiedene Eckpunkte.",
            "A ring of the drawing has fewer than three distinct vertices.",
        )
    return out


@lru_cache(maxsize=8)
def _to_metric(metric_crs: str) -> Transformer:
    return Transformer.from_crs("EPSG:4326", CRS.from_user_input(metric_crs), always_xy=True)


def _crs_key(metric_crs: Any) -> str:
    return CRS.from_user_input(metric_crs).to_wkt()


def _project(geom: BaseGeometry, metric_crs: Any) -> BaseGeometry:
    transformer = _to_metric(_crs_key(metric_crs))

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, project)


def city_area(outline_or_bbox: Any, metric_crs: Any) -> BaseGeometry:
    """The city as a polygon in ``metric_crs``.

    ``outline_or_bbox``: a bounding box ``(min_lon, min_lat, max_lon, max_lat)`` in EPSG:4326
    (:attr:`data.catalog.City.bbox`), a GeoDataFrame/GeoSeries with a CRS (the pack's
    ``outline``; its parts are unioned), or a shapely geometry already in ``metric_crs``.
    """
    if isinstance(outline_or_bbox, BaseGeometry):
        return outline_or_bbox
    if isinstance(outline_or_bbox, (gpd.GeoDataFrame, gpd.GeoSeries)):
        series = (
            outline_or_bbox.geometry
            if isinstance(outline_or_bbox, gpd.GeoDataFrame)
            else outline_or_bbox
        )
        if series.crs is None:
            raise ValueError("the city outline has no CRS")
        return shapely.union_all(np.asarray(series.to_crs(metric_crs).values, dtype=object))
    values = list(outline_or_bbox)
    if len(values) != 4:
        raise ValueError("a city bbox is (min_lon, min_lat, max_lon, max_lat)")
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in values)
    # densified, so the box's edges follow the projection
    box = shapely.segmentize(shapely.box(min_lon, min_lat, max_lon, max_lat), 0.01)
    return _project(box, metric_crs)


def pack_city_area(pack: Any) -> BaseGeometry:
    """The pack's city in its metric CRS: the ``outline`` dataset, else the bbox."""
    if pack.has("outline"):
        return city_area(pack.metric("outline"), pack.city.metric_crs)
    return city_area(pack.city.bbox, pack.city.metric_crs)


def check_drawing(
    geojson_geometry: Any,
    city_outline_or_bbox: Any,
    metric_crs: Any,
    *,
    max_vertices: int = MAX_VERTICES,
) -> BaseGeometry:
    """The drawn polygon in ``metric_crs``, or :class:`DrawingError` (see the module
    docstring for the checks and their order)."""
    kind, polygons = _shape_of(geojson_geometry)
    _count(kind, polygons, max_vertices)
    parts = []
    for rings in polygons:
        shell, *holes = (_ring(kind, ring) for ring in rings)
        parts.append(shapely.Polygon(shell, holes))
    lonlat = parts[0] if kind == "Polygon" else shapely.MultiPolygon(parts)
    geom = _project(lonlat, metric_crs)
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        if "Self-intersection" in reason:
            raise DrawingError(
                "Die Zeichnung überschneidet sich selbst (ihr Rand kreuzt sich). Bitte so "
                "zeichnen, dass sich der Rand nicht kreuzt, oder in zwei Flächen teilen.",
                "The drawing crosses itself (its outline intersects itself). Please draw it "
                "without crossing edges, or split it into two areas.",
            )
        raise DrawingError(
            f"Die Zeichnung ist keine gültige Fläche ({reason}).",
            f"The drawing is not a valid area ({reason}).",
        )
    area = float(geom.area)
    if area < MIN_AREA_M2:
        raise DrawingError(
            f"Die Zeichnung ist zu klein: {_n(area, 'de', 1)} m², mindestens "
            f"{_n(MIN_AREA_M2, 'de')} m² sind nötig.",
            f"The drawing is too small: {_n(area, 'en', 1)} m²; at least "
            f"{_n(MIN_AREA_M2, 'en')} m² are needed.",
        )
    city = city_area(city_outline_or_bbox, metric_crs)
    if not geom.intersects(city) or geom.intersection(city).area <= 0:
        raise DrawingError(
            "Die Zeichnung liegt außerhalb der Stadt: sie überschneidet das Stadtgebiet nicht.",
            "The drawing is outside the city: it does not overlap the city area.",
        )
    city_ha = float(city.area) / M2_PER_HA
    if area > city.area:
        raise DrawingError(
            f"Die Zeichnung ist größer als die Stadt: {_n(area / M2_PER_HA, 'de')} ha, die "
            f"Stadt hat {_n(city_ha, 'de')} ha.",
            f"The drawing is larger than the city: {_n(area / M2_PER_HA, 'en')} ha; the city "
            f"has {_n(city_ha, 'en')} ha.",
        )
    return geom


# --- the assessment ------------------------------------------------------------------------


def check_use(use: Any, dwellings: Any) -> tuple[str, int]:
    """A planned use (:data:`PLANNED_USES`) and dwellings (int 0 … :data:`MAX_DWELLINGS`)."""
    if not isinstance(use, str) or use not in PLANNED_USES:
        de = ", ".join(v["de"] for v in PLANNED_USES.values())
        en = ", ".join(v["en"] for v in PLANNED_USES.values())
        raise DrawingError(
            f"Unbekannte Nutzung; möglich sind: {de}.", f"Unknown planned use; choose one of: {en}."
        )
    if isinstance(dwellings, float) and dwellings.is_integer():
        dwellings = int(dwellings)
    if (
        not isinstance(dwellings, int)
        or isinstance(dwellings, bool)
        or not 0 <= dwellings <= MAX_DWELLINGS
    ):
        raise DrawingError(
            f"Die Zahl der Wohnungen muss eine ganze Zahl von 0 bis {_n(MAX_DWELLINGS, 'de')} sein.",
            f"Dwellings must be a whole number from 0 to {_n(MAX_DWELLINGS, 'en')}.",
        )
    return use, dwellings


def pack_rules(pack: Any) -> RuleSet:
    """The rules the pack is assessed under (:func:`rules_for_pack`)."""
    path, _why = rules_for_pack(pack.folder)
    return load_rules(path)


def pack_index(pack: Any, rules: RuleSet) -> ConstraintIndex:
    """The pack's constraints indexed in its metric CRS (none: an empty index). Build it once
    and pass it to :func:`assess_drawing` for every drawing."""
    if pack.has("constraints"):
        frame = pack.metric("constraints")
    else:
        frame = gpd.GeoDataFrame({"kind": []}, geometry=gpd.GeoSeries([], crs=pack.city.metric_crs))
    return index_constraints(frame, metric_crs=pack.city.metric_crs, kinds=rules.kinds())


def sealing(geometry: BaseGeometry, use: str, pack: Any) -> dict[str, Any]:
    """Drawn, already sealed and added sealed area (ha); see the module docstring."""
    area = float(geometry.area)
    has_landuse = pack.has("landuse")
    sealed_now = 0.0
    if has_landuse:
        landuse = pack.metric("landuse")
        hit = landuse.sindex.query(geometry, predicate="intersects")
        if len(hit):
            uses = landuse["use"].astype(str).to_numpy()[hit]
            geoms = np.asarray(landuse.geometry.values, dtype=object)[hit]
            geoms = geoms[np.isin(uses, SEALED_LANDUSE)]
            if len(geoms):
                pieces = shapely.intersection(geoms, geometry)
                sealed_now = float(shapely.union_all(pieces).area)
    building = use in BUILDING_USES
    added = max(area - sealed_now, 0.0) if building else 0.0
    return {
        "drawn_ha": round(area / M2_PER_HA, 4),
        "already_sealed_ha": round(sealed_now / M2_PER_HA, 4),
        "added_ha": round(added / M2_PER_HA, 4),
        "building_use": building,
        "landuse_available": has_landuse,
        "sealed_landuse": list(SEALED_LANDUSE),
        "assumption": dict(SEALING_ASSUMPTION),
        "note": None
        if has_landuse
        else {
            "de": "Die Stadtdaten enthalten keine Flächennutzung: nichts gilt als schon versiegelt.",
            "en": "The city pack has no land use: nothing counts as sealed already.",
        },
    }


def _heat(
    geometry: BaseGeometry, pack: Any, hvi: Mapping[str, Any] | None, heat: HeatCounter | None
) -> dict[str, Any]:
    missing = heat_missing(pack)
    if missing is not None:
        return missing
    if heat is None:
        return _no_heat(
            "Betroffene in der heißesten Klasse wurden hier nicht gezählt.",
            "Residents in the hottest class were not counted here.",
        )
    return heat(geometry, pack, hvi)


def _no_heat(de: str, en: str) -> dict[str, Any]:
    return {"residents": None, "cells": None, "radius_m": NEAR_M, "reason": {"de": de, "en": en}}


def no_heat(de: str, en: str) -> dict[str, Any]:
    """The ``heat`` part of a result when residents cannot be counted, with the reason."""
    return _no_heat(de, en)


def heat_missing(pack: Any) -> dict[str, Any] | None:
    """The ``heat`` answer when the pack lacks the data for it, else ``None``."""
    if not pack.has("grid:population"):
        return _no_heat(
            "Die Stadtdaten enthalten kein Bevölkerungsraster: Betroffene lassen sich nicht zählen.",
            "The city pack has no population grid: residents cannot be counted.",
        )
    if not any(pack.has(f"grid:{f}") for f in HEAT_FIELDS):
        return _no_heat(
            "Die Stadtdaten enthalten keine Hitzedaten (Oberflächen- oder Nachttemperatur).",
            "The city pack has no heat data (surface or night air temperature).",
        )
    return None


def near_top_class(
    geometry: BaseGeometry,
    x: np.ndarray,
    y: np.ndarray,
    top: np.ndarray,
    radius_m: float = NEAR_M,
) -> np.ndarray:
    """Indices of the cells in ``top`` whose centres (``x``, ``y``, metric CRS) lie within
    ``radius_m`` of ``geometry`` (distance to its edge; cells inside count)."""
    minx, miny, maxx, maxy = geometry.bounds
    near = (
        top
        & (x >= minx - radius_m)
        & (x <= maxx + radius_m)
        & (y >= miny - radius_m)
        & (y <= maxy + radius_m)
    )
    idx = np.nonzero(near)[0]
    if len(idx):
        dist = shapely.distance(geometry, shapely.points(x[idx], y[idx]))
        idx = idx[dist <= radius_m]
    return idx


HeatCounter = Callable[[BaseGeometry, Any, Mapping[str, Any] | None], dict[str, Any]]


def assess_drawing(
    geometry: BaseGeometry,
    use: Any,
    dwellings: Any,
    pack: Any,
    index: ConstraintIndex | None = None,
    rules: RuleSet | None = None,
    *,
    hvi: Mapping[str, Any] | None = None,
    heat: HeatCounter | None = None,
) -> dict[str, Any]:
    """A checked drawing (:func:`check_drawing`, metric CRS) assessed: JSON-able dict with
    ``use``, ``dwellings``, ``area_ha``, ``plan`` (the conflicts, as
    :meth:`models.conflicts.PlanResult.to_dict` with geometry in EPSG:4326), ``matrix``,
    ``rules``, ``sealing`` (:func:`sealing`) and ``heat``: what ``heat(geometry, pack, hvi)``
    answers — the residents in the hottest vulnerability class near the drawing, counted by
    the caller with the heat layer's own classes
    (:func:`layers.landuse.drawn.hot_residents`; models do not import layers) — or, without
    a counter or without the data, ``None`` residents with the reason.

    ``index`` and ``rules``: built once per pack (:func:`pack_index`, :func:`pack_rules`) and
    reused; built here when missing. Raises :class:`DrawingError` for a bad use or
    dwellings."""
    use, dwellings = check_use(use, dwellings)
    if rules is None:
        rules = pack_rules(pack)
    if index is None:
        index = pack_index(pack, rules)
    result = assess_one(geometry, use, dwellings, index, rules, crs=index.crs)
    doc = result.to_dict(geometry=True)
    return {
        "use": use,
        "use_label": dict(PLANNED_USES[use]),
        "dwellings": dwellings,
        "area_ha": round(float(geometry.area) / M2_PER_HA, 4),
        "crs": doc["crs"],
        "rules": Path(str(doc["rules"])).name,  # the file's name, not a server path
        "plan": doc["plans"][0],
        "matrix": doc["matrix"],
        "sealing": sealing(geometry, use, pack),
        "heat": _heat(geometry, pack, hvi, heat),
    }
