"""Geometry of the demo city: where do its outline, its 30 districts and the Saale lie?

* :func:`city_outline` — an approximate outline: smoothed union of discs around the
  Ortsteil centroids, inside the city bbox, with the summed Ortsteil area;
* :func:`fit_districts` — the 30 Ortsteile as a power (weighted Voronoi) diagram around
  their real centroids, clipped to the outline, with weights fitted by damped Newton steps
  so each cell has its official area; :func:`fit_stats` says how well that worked;
* :func:`river_line` — the Saale as a cubic spline through the 16 documented points.

Everything here depends on :mod:`data.demo.facts` only (no seed, no randomness). Units:
inputs in WGS84 degrees; outputs in metres (m² for areas) in EPSG:25832, km² where a name
says so (the Newton fit works internally in km around the centroid of the sites).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from scipy.interpolate import splev, splprep
from scipy.spatial import ConvexHull
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from data.demo import facts

#: The metric CRS of every demo dataset (ETRS89 / UTM zone 32N, metres).
METRIC_CRS = "EPSG:25832"

# The clip polygon is the bbox shrunk by this much, so rounding never leaves the bbox.
_BBOX_INSET_M = 25.0
# Outline: disc radius factor (× equal-area radius) and smoothing (closing) radius, m.
_DISC_FACTOR = 0.85
_CLOSING_M = 1600.0


@dataclass(frozen=True)
class DistrictFit:
    """How well the generated districts match the official areas and centroids."""

    iterations: int
    max_abs_pct: float
    mean_abs_pct: float
    max_centroid_m: float
    mean_centroid_m: float
    outline_km2: float


@lru_cache(maxsize=1)
def to_metric() -> Transformer:
    """The transformer from WGS84 lon/lat (degrees) to EPSG:25832 (metres), cached."""
    return Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)


def sites_metric() -> np.ndarray:
    """The 30 Ortsteil centroids in EPSG:25832, shape (30, 2), metres."""
    lon = np.array([o.lon for o in facts.ORTSTEILE])
    lat = np.array([o.lat for o in facts.ORTSTEILE])
    x, y = to_metric().transform(lon, lat)
    return np.column_stack([x, y])


def bbox_ring() -> tuple[np.ndarray, np.ndarray]:
    """The city bbox outline, densified (60 points per edge), in EPSG:25832 metres."""
    min_lon, min_lat, max_lon, max_lat = facts.CITY_BBOX
    t = np.linspace(0.0, 1.0, 60)
    up_lon, up_lat = min_lon + t * (max_lon - min_lon), min_lat + t * (max_lat - min_lat)
    lon = np.concatenate([up_lon, np.full(60, max_lon), up_lon[::-1], np.full(60, min_lon)])
    lat = np.concatenate([np.full(60, min_lat), up_lat, np.full(60, max_lat), up_lat[::-1]])
    x, y = to_metric().transform(lon, lat)
    return np.asarray(x), np.asarray(y)


def clip_polygon() -> Polygon:
    """The city bbox in EPSG:25832 (edges densified), shrunk by a few metres."""
    x, y = bbox_ring()
    ring = Polygon(np.column_stack([x, y])).buffer(0)
    return ring.buffer(-_BBOX_INSET_M, quad_segs=4)


def city_outline(sites: np.ndarray, areas_m2: np.ndarray, clip: Polygon) -> Polygon:
    """An approximate city outline: smoothed union of discs, with the target total area.

    Each Ortsteil contributes a disc around its centroid (radius proportional to the
    equal-area radius); the union is smoothed by a morphological closing, clipped to the
    bbox and grown or shrunk by Newton steps until its area equals ``areas_m2.sum()``.
    """
    radii = _DISC_FACTOR * np.sqrt(areas_m2 / np.pi)
    discs = shapely.union_all(shapely.buffer(shapely.points(sites), radii, quad_segs=16))
    shape = discs.buffer(_CLOSING_M, quad_segs=8).buffer(-_CLOSING_M, quad_segs=8)
    target = float(areas_m2.sum())
    offset = 0.0
    current = shapely.intersection(shape, clip)
    for _ in range(12):
        error = target - current.area
        if abs(error) < 1.0:  # m²
            break
        offset += error / current.length
        current = shapely.intersection(shape.buffer(offset, quad_segs=8), clip)
    if not isinstance(current, Polygon):
        raise RuntimeError(f"the generated outline is a {current.geom_type}, expected a Polygon")
    return current


def _power_diagram(
    points: np.ndarray, weights: np.ndarray, domain: BaseGeometry
) -> tuple[np.ndarray, list[tuple[int, int, float]]]:
    """Power-diagram cells of ``points`` clipped to ``domain``, and their shared edges.

    The cells are the lower faces of the convex hull of the lifted points
    ``(x, y, x² + y² − w)``; four far-away dummy points keep every real cell bounded.

    Returns
    -------
    cells
        Object array of clipped cells (empty polygon for a hidden site).
    edges
        ``(i, j, h)`` for neighbouring sites, with ``h = L_ij / (2 d_ij)``: how fast cell
        ``i`` gains area when ``w_i`` grows (``L_ij`` = shared edge length inside ``domain``).
    """
    n = len(points)
    far = 1_000.0
    lifted_xy = np.vstack([points, [[-far, -far], [far, -far], [far, far], [-far, far]]])
    w = np.concatenate([weights, np.zeros(4)])
    hull = ConvexHull(np.column_stack([lifted_xy, (lifted_xy**2).sum(axis=1) - w]))
    eq = hull.equations
    lower = eq[:, 2] < 0
    with np.errstate(divide="ignore", invalid="ignore"):
        vertices = np.column_stack([-eq[:, 0] / (2 * eq[:, 2]), -eq[:, 1] / (2 * eq[:, 2])])
    cells = []
    for i in range(n):
        faces = lower & (hull.simplices == i).any(axis=1)
        if faces.sum() >= 3:
            cells.append(shapely.convex_hull(shapely.multipoints(vertices[faces])))
        else:
            cells.append(Polygon())
    clipped = shapely.intersection(np.array(cells, dtype=object), domain)
    pairs: dict[tuple[int, int], tuple[int, int]] = {}
    for f in np.flatnonzero(lower):
        simplex = hull.simplices[f]
        for k in range(3):
            a, b = sorted(int(v) for v in np.delete(simplex, k))
            if b < n:
                pairs[(a, b)] = (int(f), int(hull.neighbors[f][k]))
    keys = sorted(pairs)
    segments = shapely.linestrings([[vertices[pairs[k][0]], vertices[pairs[k][1]]] for k in keys])
    lengths = shapely.length(shapely.intersection(segments, domain))
    edges = [
        (a, b, float(length) / (2.0 * float(np.hypot(*(points[a] - points[b])))))
        for (a, b), length in zip(keys, lengths, strict=True)
    ]
    return clipped, edges


def fit_districts(
    sites: np.ndarray, targets_km2: np.ndarray, outline_m: Polygon, tol: float = 1e-7
) -> tuple[np.ndarray, int]:
    """Fit power-diagram weights so every district gets its official area.

    Solves the semi-discrete optimal-transport problem by damped Newton steps (the area
    Jacobian is a weighted graph Laplacian of the neighbouring cells). Works in km around
    the centroid of the sites for numerical stability; targets are scaled to the outline's
    area (equal to their sum by construction).

    Returns
    -------
    cells
        The districts in EPSG:25832 (object array of polygons), in facts order.
    iterations
        Newton steps taken.
    """
    origin = sites.mean(axis=0)
    pts = (sites - origin) / 1000.0
    to_km = [1e-3, 0.0, 0.0, 1e-3, -origin[0] / 1000.0, -origin[1] / 1000.0]
    domain = shapely.affinity.affine_transform(outline_m, to_km)
    shapely.prepare(domain)
    target = targets_km2 * domain.area / targets_km2.sum()
    n = len(pts)
    weights = np.zeros(n)
    cells, edges = _power_diagram(pts, weights, domain)
    areas = shapely.area(cells)
    iterations = 0
    for iterations in range(1, 60):  # noqa: B007 - the count is returned
        if np.max(np.abs(areas - target) / target) < tol:
            break
        jac = np.zeros((n, n))
        for a, b, h in edges:
            jac[a, b] -= h
            jac[b, a] -= h
            jac[a, a] += h
            jac[b, b] += h
        step = np.linalg.lstsq(jac, target - areas, rcond=None)[0]
        tau = 1.0
        err = np.abs(areas - target).sum()
        while tau > 1e-6:
            cand_w = weights + tau * step
            cand_cells, cand_edges = _power_diagram(pts, cand_w, domain)
            cand_areas = shapely.area(cand_cells)
            floor = 0.5 * min(areas.min(), target.min())
            if cand_areas.min() > floor and np.abs(cand_areas - target).sum() < err:
                weights, cells, edges, areas = cand_w, cand_cells, cand_edges, cand_areas
                break
            tau /= 2
        else:
            break  # no further improvement possible; keep the best cells so far
    back = [1000.0, 0.0, 0.0, 1000.0, origin[0], origin[1]]
    out = np.array([shapely.affinity.affine_transform(c, back) for c in cells], dtype=object)
    for o, cell in zip(facts.ORTSTEILE, out, strict=True):
        if not isinstance(cell, Polygon) or cell.is_empty:
            raise RuntimeError(f"district {o.name!r} came out as {cell.geom_type}")
    return out, iterations


def fit_stats(
    parts: np.ndarray,
    sites: np.ndarray,
    targets_km2: np.ndarray,
    iterations: int,
    outline: BaseGeometry,
) -> DistrictFit:
    """Area errors (%), centroid shifts (m) and outline area (km²) of the fitted districts."""
    areas = shapely.area(parts) / 1e6
    pct = np.abs(areas - targets_km2) / targets_km2 * 100.0
    centroids = shapely.get_coordinates(shapely.centroid(parts))
    shift = np.hypot(*(centroids - sites).T)
    return DistrictFit(
        iterations=iterations,
        max_abs_pct=float(pct.max()),
        mean_abs_pct=float(pct.mean()),
        max_centroid_m=float(shift.max()),
        mean_centroid_m=float(shift.mean()),
        outline_km2=float(outline.area / 1e6),
    )


def river_line() -> LineString:
    """The Saale in EPSG:25832: a cubic spline through the 16 points, ends extended 2.5 km.

    The ends continue along the end tangents so the river leaves the bbox instead of
    stopping inside the map; callers clip it.
    """
    lon, lat = np.array(facts.SAALE_POINTS).T
    x, y = to_metric().transform(lon, lat)
    chord = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))])
    tck, _ = splprep([x, y], u=chord / chord[-1], k=3, s=0)
    u = np.linspace(0.0, 1.0, 481)
    sx, sy = splev(u, tck)
    coords = np.column_stack([sx, sy])
    ends = []
    for at, sign in ((0.0, -1.0), (1.0, 1.0)):
        dx, dy = splev(at, tck, der=1)
        d = np.array([dx, dy]) / np.hypot(dx, dy) * sign
        base = coords[0] if at == 0.0 else coords[-1]
        ends.append([base + d * s for s in np.linspace(250.0, 2500.0, 10)])
    full = np.vstack([ends[0][::-1], coords, ends[1]])
    return LineString(full)
