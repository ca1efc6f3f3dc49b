"""Build the synthetic Jena demo city pack from documented facts, deterministically.

What does a plausible Jena look like when all we may use are a few published numbers? This
module answers that with a complete, valid city pack (``city.toml`` plus five datasets):

* ``outline`` — an approximate city outline (union of discs around the 30 Ortsteil
  centroids, smoothed, scaled to the summed Ortsteil area of 114.76 km², inside the bbox);
* ``districts`` — the 30 Ortsteile as a power (weighted Voronoi) diagram around their real
  centroids, clipped to the outline, with weights fitted by damped Newton iterations so each
  cell has the official area; populations (persons, 31.12.2017) from the facts;
* ``river`` — the Saale as a cubic spline through 16 documented points, south to north;
* ``grid`` — a 100 m raster in EPSG:25832: elevation (m), land cover (codes of
  :data:`data.schemas.LANDCOVER_CLASSES`), imperviousness and tree canopy (fractions 0–1),
  population (persons per cell, summing exactly to each district) and the shares of
  people aged 65+ and under 6 (fractions 0–1);
* ``district_stats`` — the district figures as a table.

Geometry depends only on the facts; ``seed`` drives the raster texture (terrain noise,
where within a district people live, land-cover patches), so the same seed gives
byte-identical files. Units: metres and km² in EPSG:25832, persons, fractions 0–1.
Everything is written through :func:`data.writer.staged_pack`, so a failed build leaves an
existing pack untouched.
"""

from __future__ import annotations

import fcntl
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import xarray as xr
from pyproj import CRS, Transformer
from scipy.interpolate import splev, splprep
from scipy.ndimage import gaussian_filter
from scipy.spatial import ConvexHull, cKDTree
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from data.cache import cache_dir
from data.catalog import CITY_FILE, CatalogError, City, Dataset, Temporal, read_catalog
from data.demo import facts
from data.pack import read_vector, validate_pack
from data.schemas import LANDCOVER_CLASSES
from data.writer import staged_pack

GENERATOR_VERSION = "1"
DEFAULT_SEED = 20171231

METRIC_CRS = "EPSG:25832"
CELL_M = 100.0
PACK_ID = "jena-demo"
DATASET_IDS = ("outline", "districts", "river", "grid", "district_stats")
PATHS = {
    "outline": "outline.geojson",
    "districts": "districts.geojson",
    "river": "river.geojson",
    "grid": "grid.nc",
    "district_stats": "district_stats.csv",
}
# Files a demo pack consists of; a folder holding only these may be cleared and rebuilt.
_PACK_FILES = frozenset({CITY_FILE, *PATHS.values()})

# The clip polygon is the bbox shrunk by this much, so rounding never leaves the bbox.
_BBOX_INSET_M = 25.0
# Outline: disc radius factor (× equal-area radius) and smoothing (closing) radius, m.
_DISC_FACTOR = 0.85
_CLOSING_M = 1600.0
# Land-cover codes (see data.schemas.LANDCOVER_CLASSES).
DENSE, OPEN, INDUSTRY, PARK, FARM, FOREST, WATER = 1, 2, 3, 4, 5, 6, 7
# Villages that sit in side valleys of the Saale (schematic straight valleys).
_SIDE_VALLEY_VILLAGES = (
    "Ammerbach",
    "Münchenroda/Remderoda",
    "Ziegenhain",
    "Drackendorf",
    "Ilmnitz",
    "Jenaprießnitz/Wogau",
    "Leutra",
    "Isserstedt",
)
# Schematic business parks (lon, lat, number of 1-ha cells).
_INDUSTRY_SITES = ((11.5930, 50.8850, 45), (11.6075, 50.9560, 30))
# Share of the city area that is forest (Kataster 2016: 3,712.3 ha of 11,476.6 ha).
_FOREST_SHARE = facts.CITY_LANDUSE_2016_HA["forest"] / 11_476.6


@dataclass(frozen=True)
class _Fit:
    """How well the generated districts match the official areas and centroids."""

    iterations: int
    max_abs_pct: float
    mean_abs_pct: float
    max_centroid_m: float
    mean_centroid_m: float
    outline_km2: float


# --- public API ----------------------------------------------------------------------------


def demo_pack_dir(cache: Path | str | None = None) -> Path:
    """Where the demo pack of this generator version lives in the cache.

    Parameters
    ----------
    cache
        Cache folder; ``None`` uses :func:`data.cache.cache_dir`'s default.

    Returns
    -------
    Path
        ``cache_dir(cache) / f"jena-demo-v{GENERATOR_VERSION}"``.
    """
    return cache_dir(cache) / f"{PACK_ID}-v{GENERATOR_VERSION}"


def ensure_demo_pack(cache: Path | str | None = None) -> Path:
    """Return the cached demo pack folder, building it first if missing or invalid.

    A lock file beside the folder (``fcntl.flock``) makes concurrent callers wait for one
    build instead of building twice.

    Parameters
    ----------
    cache
        Cache folder; ``None`` uses the default of :func:`data.cache.cache_dir`.

    Returns
    -------
    Path
        The folder of a valid demo pack.
    """
    folder = demo_pack_dir(cache)
    if _is_complete(folder):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    lock_path = folder.parent / f".{folder.name}.lock"
    with open(lock_path, "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            if not _is_complete(folder):
                build_demo_pack(folder)
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
    return folder


def build_demo_pack(folder: Path | str, seed: int = DEFAULT_SEED) -> Path:
    """Write (or overwrite) the complete Jena demo pack into ``folder``.

    Parameters
    ----------
    folder
        Target folder. It may be absent, empty, an existing pack, or a broken demo pack
        (holding only demo-pack files); anything else is refused.
    seed
        Seed of the raster texture; the same seed gives byte-identical files.

    Returns
    -------
    Path
        The resolved folder.

    Raises
    ------
    data.pack.PackError
        If the generated pack does not validate (the previous pack stays as it was).
    ValueError
        If ``folder`` holds files that are not part of a demo pack.
    """
    folder = Path(folder).resolve()
    _clear_broken_pack(folder)
    generated_by = f"allmende data.demo v{GENERATOR_VERSION} seed {seed}"

    sites = _sites_metric()
    clip = _clip_polygon()
    targets_km2 = np.array([o.area_km2 for o in facts.ORTSTEILE])
    outline_m = _outline(sites, targets_km2 * 1e6, clip)
    parts, iterations = _fit_districts(sites, targets_km2, outline_m)
    parts = shapely.set_precision(parts, 1.0)
    outline_m = shapely.union_all(parts)
    fit = _fit_stats(parts, sites, targets_km2, iterations, outline_m)
    river_m = _river_line()

    table = _district_table(parts)
    with staged_pack(folder, _city()) as st:
        st.put_vector(_outline_dataset(generated_by, fit), _frame([outline_m], {}))
        st.put_vector(
            _districts_dataset(generated_by, fit),
            _frame(list(parts), {c: table[c].tolist() for c in _DISTRICT_COLUMNS}),
        )
        st.put_vector(
            _river_dataset(generated_by), _frame([shapely.intersection(river_m, clip)], {})
        )
        # Read the polygons back exactly as data.pack.load_pack will, so the grid's cell
        # assignment (by cell centre) agrees with any later reader to the last bit.
        back_districts = read_vector(st.dir / PATHS["districts"]).to_crs(METRIC_CRS)
        back_outline = read_vector(st.dir / PATHS["outline"]).to_crs(METRIC_CRS)
        grid = _grid(
            seed,
            sites,
            river_m,
            list(back_districts.geometry),
            back_outline.geometry.iloc[0],
            table,
            generated_by,
        )
        st.put_raster(_grid_dataset(generated_by), grid)
        st.put_table(_stats_dataset(generated_by), _stats_table(table))
    return folder


# --- folder handling -----------------------------------------------------------------------


def _is_complete(folder: Path) -> bool:
    """True when ``folder`` is a valid pack holding every demo dataset."""
    if not (folder / CITY_FILE).is_file():
        return False
    report = validate_pack(folder)
    return report.ok and all(ds in report.checked for ds in DATASET_IDS)


def _clear_broken_pack(folder: Path) -> None:
    """Empty a demo pack whose ``city.toml`` is missing or unreadable, so it can be rebuilt.

    A readable pack is left alone (:func:`data.writer.staged_pack` replaces its datasets);
    a folder holding anything besides demo-pack files is refused.
    """
    if not folder.is_dir():
        return
    entries = sorted(folder.iterdir())
    if not entries:
        return
    try:
        read_catalog(folder)
        return
    except CatalogError:
        pass
    strangers = [e.name for e in entries if e.name not in _PACK_FILES or not e.is_file()]
    if strangers:
        raise ValueError(
            f"{str(folder)!r} is not a readable city pack and holds files that are not part "
            f"of the demo pack ({', '.join(strangers[:5])}); refusing to overwrite it"
        )
    for entry in entries:
        entry.unlink()


# --- geometry ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _to_metric() -> Transformer:
    return Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)


def _sites_metric() -> np.ndarray:
    """The 30 Ortsteil centroids in EPSG:25832, shape (30, 2), metres."""
    lon = np.array([o.lon for o in facts.ORTSTEILE])
    lat = np.array([o.lat for o in facts.ORTSTEILE])
    x, y = _to_metric().transform(lon, lat)
    return np.column_stack([x, y])


def _bbox_ring() -> tuple[np.ndarray, np.ndarray]:
    """The city bbox outline, densified (60 points per edge), in EPSG:25832 metres."""
    min_lon, min_lat, max_lon, max_lat = facts.CITY_BBOX
    t = np.linspace(0.0, 1.0, 60)
    up_lon, up_lat = min_lon + t * (max_lon - min_lon), min_lat + t * (max_lat - min_lat)
    lon = np.concatenate([up_lon, np.full(60, max_lon), up_lon[::-1], np.full(60, min_lon)])
    lat = np.concatenate([np.full(60, min_lat), up_lat, np.full(60, max_lat), up_lat[::-1]])
    x, y = _to_metric().transform(lon, lat)
    return np.asarray(x), np.asarray(y)


def _clip_polygon() -> Polygon:
    """The city bbox in EPSG:25832 (edges densified), shrunk by a few metres."""
    x, y = _bbox_ring()
    ring = Polygon(np.column_stack([x, y])).buffer(0)
    return ring.buffer(-_BBOX_INSET_M, quad_segs=4)


def _outline(sites: np.ndarray, areas_m2: np.ndarray, clip: Polygon) -> Polygon:
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


def _fit_districts(
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


def _fit_stats(
    parts: np.ndarray, sites: np.ndarray, targets_km2: np.ndarray, iterations: int, outline
) -> _Fit:
    areas = shapely.area(parts) / 1e6
    pct = np.abs(areas - targets_km2) / targets_km2 * 100.0
    centroids = shapely.get_coordinates(shapely.centroid(parts))
    shift = np.hypot(*(centroids - sites).T)
    return _Fit(
        iterations=iterations,
        max_abs_pct=float(pct.max()),
        mean_abs_pct=float(pct.mean()),
        max_centroid_m=float(shift.max()),
        mean_centroid_m=float(shift.mean()),
        outline_km2=float(outline.area / 1e6),
    )


def _river_line() -> LineString:
    """The Saale in EPSG:25832: a cubic spline through the 16 points, ends extended 2.5 km.

    The ends continue along the end tangents so the river leaves the bbox instead of
    stopping inside the map; callers clip it.
    """
    lon, lat = np.array(facts.SAALE_POINTS).T
    x, y = _to_metric().transform(lon, lat)
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


# --- tables --------------------------------------------------------------------------------

_DISTRICT_COLUMNS = (
    "district_id",
    "name",
    "population",
    "pop_65plus",
    "pop_under6",
    "pop_under18",
    "area_km2",
    "planungsraum",
)


def largest_remainder(total: int, weights: Sequence[float] | np.ndarray) -> np.ndarray:
    """Split ``total`` into whole numbers proportional to ``weights`` (Hamilton method).

    Ties in the remainders go to the earlier index, so the result is deterministic.

    Parameters
    ----------
    total
        Non-negative whole number to distribute.
    weights
        Non-negative weights, not all zero.

    Returns
    -------
    numpy.ndarray
        ``int64`` counts summing exactly to ``total``.
    """
    w = np.asarray(weights, dtype=float)
    if total < 0 or w.size == 0 or np.any(w < 0) or not w.sum() > 0:
        raise ValueError("largest_remainder needs total >= 0 and non-negative, non-zero weights")
    quota = total * w / w.sum()
    base = np.floor(quota).astype(np.int64)
    short = int(total - base.sum())
    order = np.argsort(-(quota - base), kind="stable")
    base[order[:short]] += 1
    return base


_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "/": "-", " ": "-"})


def slug(name: str) -> str:
    """A stable ASCII id for an Ortsteil name, e.g. ``"Jenaprießnitz/Wogau"`` → ``"jenapriessnitz-wogau"``.

    Slugs (not ``"01"``-style numbers) survive a CSV round trip, which drops leading zeros.
    """
    return name.lower().translate(_TRANSLIT)


def _district_table(parts: np.ndarray) -> pd.DataFrame:
    """The district attributes, in facts order; ``pop_under6`` apportioned (approximate)."""
    under18 = np.array([o.under18 for o in facts.ORTSTEILE])
    under6 = largest_remainder(facts.CITY_UNDER6_2017, under18)
    return pd.DataFrame(
        {
            "district_id": [slug(o.name) for o in facts.ORTSTEILE],
            "name": [o.name for o in facts.ORTSTEILE],
            "population": [o.population for o in facts.ORTSTEILE],
            "pop_65plus": [o.over65 for o in facts.ORTSTEILE],
            "pop_under6": under6.tolist(),
            "pop_under18": under18.tolist(),
            "area_km2": np.round(shapely.area(parts) / 1e6, 4),
            "planungsraum": [o.planungsraum for o in facts.ORTSTEILE],
        }
    )


def _stats_table(table: pd.DataFrame) -> pd.DataFrame:
    pop = table["population"].astype(float)
    return pd.DataFrame(
        {
            "district_id": table["district_id"],
            "name": table["name"],
            "population": table["population"],
            "pop_under6": table["pop_under6"],
            "pop_under18": table["pop_under18"],
            "pop_65plus": table["pop_65plus"],
            "share_65plus": (table["pop_65plus"] / pop).round(4),
            "share_under6": (table["pop_under6"] / pop).round(4),
            "density_per_km2": (pop / table["area_km2"]).round(1),
        }
    )


def _frame(geoms: list[BaseGeometry], columns: dict[str, list[object]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=geoms, crs=METRIC_CRS)


# --- grid ----------------------------------------------------------------------------------


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], sigma: float) -> np.ndarray:
    """Gaussian-filtered white noise with mean 0 and standard deviation 1."""
    field = gaussian_filter(rng.standard_normal(shape), sigma, mode="reflect")
    return (field - field.mean()) / field.std()


def _smoothstep(t: np.ndarray) -> np.ndarray:
    t = np.clip(t, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def _grid_axes() -> tuple[np.ndarray, np.ndarray]:
    """Cell-centre coordinates (x ascending, y descending) covering the bbox, metres."""
    x, y = _bbox_ring()
    x0, x1 = np.floor(x.min() / CELL_M) * CELL_M, np.ceil(x.max() / CELL_M) * CELL_M
    y0, y1 = np.floor(y.min() / CELL_M) * CELL_M, np.ceil(y.max() / CELL_M) * CELL_M
    xs = np.arange(x0 + CELL_M / 2, x1, CELL_M)
    ys = np.arange(y1 - CELL_M / 2, y0, -CELL_M)
    return xs, ys


def _near_line(
    line: LineString, points: np.ndarray, step: float = 10.0
) -> tuple[np.ndarray, np.ndarray]:
    """Distance (m) from each point to ``line`` and the normalised position along it.

    The line is sampled every ``step`` metres and the nearest sample found with a k-d tree:
    much faster than exact GEOS distances and accurate to about ``step / 2``.
    """
    n = max(2, int(np.ceil(line.length / step)) + 1)
    where = np.linspace(0.0, 1.0, n)
    samples = shapely.get_coordinates(shapely.line_interpolate_point(line, where, normalized=True))
    dist, idx = cKDTree(samples).query(points)
    return dist, where[idx]


def _elevation(
    rng: np.random.Generator,
    points: np.ndarray,
    shape: tuple[int, int],
    river: LineString,
    river_dist: np.ndarray,
    river_along: np.ndarray,
    sites: np.ndarray,
) -> np.ndarray:
    """Terrain in metres: a flat Saale floodplain, steep limestone slopes, rolling plateaus.

    The valley floor falls from 153 m (south) to 143 m (north); from the foot of the slopes
    (0.4–1.0 km from the river) the terrain rises over 1.5 km by a plateau relief of
    150–245 m. Villages listed in ``_SIDE_VALLEY_VILLAGES`` get a gently winding side valley
    from the river to beyond the village, its floor rising towards the plateau.
    """
    floor = 153.0 - 10.0 * river_along
    relief = 195.0 + 28.0 * _smooth_noise(rng, shape, 20.0) + 8.0 * _smooth_noise(rng, shape, 4.0)
    relief = np.clip(relief, 150.0, 245.0)
    # the foot of the slopes wanders 0.4-1.0 km from the river
    foot = 700.0 + 250.0 * _smooth_noise(rng, shape, 12.0)
    rise = _smoothstep((river_dist - foot) / 1500.0)
    elev = floor + relief * rise + 1.5 * _smooth_noise(rng, shape, 2.0)
    names = [o.name for o in facts.ORTSTEILE]
    for village in _SIDE_VALLEY_VILLAGES:
        valley = _side_valley(rng, river, sites[names.index(village)])
        d, t = (a.reshape(shape) for a in _near_line(valley, points))
        valley_floor = floor + 175.0 * t**1.5
        cut = (elev - valley_floor) * (1.0 - _smoothstep((d - 150.0) / 800.0))
        elev = elev - np.clip(cut, 0.0, None)
    return np.clip(np.round(elev, 1), 130.0, 420.0)


def _side_valley(rng: np.random.Generator, river: LineString, site: np.ndarray) -> LineString:
    """A gently winding valley from the nearest river point past ``site`` (metres)."""
    mouth = np.array(river.interpolate(river.project(shapely.Point(site))).coords[0])
    length = float(np.hypot(*(site - mouth))) + 900.0
    along = (site - mouth) / np.hypot(*(site - mouth))
    across = np.array([-along[1], along[0]])
    t = np.linspace(0.0, 1.0, 40)
    phase = rng.uniform(0.0, 2.0 * np.pi)
    wiggle = 220.0 * np.sin(np.pi * t) * np.sin(2.5 * np.pi * t + phase)
    coords = mouth + np.outer(t * length, along) + np.outer(wiggle, across)
    return LineString(coords)


def _grid(
    seed: int,
    sites: np.ndarray,
    river: LineString,
    districts: list[BaseGeometry],
    outline: BaseGeometry,
    table: pd.DataFrame,
    generated_by: str,
) -> xr.Dataset:
    """All grid variables as a CF-style dataset in EPSG:25832."""
    rng = np.random.default_rng(seed)
    xs, ys = _grid_axes()
    shape = (ys.size, xs.size)
    gx, gy = np.meshgrid(xs, ys)
    points = np.column_stack([gx.ravel(), gy.ravel()])

    river_dist, river_along = (a.reshape(shape) for a in _near_line(river, points))
    elevation = _elevation(rng, points, shape, river, river_dist, river_along, sites)
    dy_, dx_ = np.gradient(elevation.astype(float), CELL_M)
    slope = np.degrees(np.arctan(np.hypot(dx_, dy_)))

    # which district (by cell centre) and whether inside the outline
    inside = shapely.contains_xy(outline, gx, gy)
    district = np.full(shape, -1, dtype=np.int64)
    for k, geom in enumerate(districts):
        district[shapely.contains_xy(geom, gx, gy) & inside] = k

    cover = np.zeros(shape, dtype=np.int8)
    cover[river_dist <= 55.0] = WATER

    # settlements: the best-placed cells of each district (near its centroid, flat)
    settle_noise = _smooth_noise(rng, shape, 1.5)
    markt = np.array(_to_metric().transform(*facts.MARKT))
    to_markt = np.hypot(gx - markt[0], gy - markt[1])
    for k, o in enumerate(facts.ORTSTEILE):
        cells = np.flatnonzero((district == k).ravel() & (cover.ravel() == 0))
        if cells.size == 0:
            raise RuntimeError(f"district {o.name!r} has no grid cells")
        density = 7000.0 if o.population >= 3000 else 2500.0  # persons per km² built-up
        wanted = round(o.population / density / (CELL_M * CELL_M / 1e6))
        n_settled = int(np.clip(wanted, 4, max(4, int(0.7 * cells.size))))
        d = np.hypot(gx.ravel()[cells] - sites[k, 0], gy.ravel()[cells] - sites[k, 1])
        score = -d / 600.0 - slope.ravel()[cells] / 8.0 + 0.35 * settle_noise.ravel()[cells]
        chosen = cells[np.argsort(-score, kind="stable")[: min(n_settled, cells.size)]]
        dense_share = 0.85 if o.name in ("Neulobeda", "Winzerla", "Jena-Zentrum") else 0.6
        n_dense = round(dense_share * chosen.size) if o.population >= 4000 else 0
        flat = cover.ravel()
        flat[chosen] = OPEN
        flat[chosen[:n_dense]] = DENSE
    settled = (cover == DENSE) | (cover == OPEN)
    cover[settled & (to_markt <= 800.0)] = DENSE

    # urban green in the town districts: the least favoured 7 % of their built-up cells
    # (parks, cemeteries) and the Saale meadows
    urban = np.isin(district, [k for k, o in enumerate(facts.ORTSTEILE) if o.population >= 4000])
    park_noise = _smooth_noise(rng, shape, 1.0)
    town = settled & urban & (to_markt > 300.0)
    cut = np.quantile(park_noise[town], 0.07)
    cover[town & (park_noise <= cut)] = PARK
    cover[(cover == 0) & urban & (river_dist <= 250.0)] = PARK

    # business parks (schematic), on free, flat cells near their anchors
    for lon, lat, n in _INDUSTRY_SITES:
        ax, ay = _to_metric().transform(lon, lat)
        free = np.flatnonzero(((cover == 0) & inside & (slope < 6.0)).ravel())
        d = np.hypot(gx.ravel()[free] - ax, gy.ravel()[free] - ay)
        cover.ravel()[free[np.argsort(d, kind="stable")[:n]]] = INDUSTRY

    # forest on steep slopes and in patches; calibrated to the Kataster forest share
    forest_score = slope / 4.0 + 0.8 * _smooth_noise(rng, shape, 6.0)
    free = cover == 0
    n_forest = round(_FOREST_SHARE * float(inside.sum()))
    pool = np.sort(forest_score[free & inside])[::-1]
    threshold = pool[min(n_forest, pool.size) - 1] if pool.size else np.inf
    cover[free & (forest_score >= threshold)] = FOREST
    cover[cover == 0] = FARM

    imperv, canopy = _surfaces(rng, cover, shape)
    population = _population(rng, shape, cover, district, table)
    share65, share6 = _shares(rng, shape, population, district, table)

    return _dataset(
        xs,
        ys,
        {
            "elevation": (elevation.astype(np.float32), "m", "Elevation above sea level"),
            "landcover": (cover, "1", "Land cover class (see flag_meanings)"),
            "imperviousness": (imperv, "1", "Sealed share of the cell (0-1)"),
            "tree_canopy": (canopy, "1", "Tree canopy share of the cell (0-1)"),
            "population": (population, "persons", "Residents per cell, 31.12.2017"),
            "share_65plus": (share65, "1", "Share of residents aged 65 or older (0-1)"),
            "share_under6": (share6, "1", "Share of residents younger than 6 (0-1)"),
        },
        seed,
        generated_by,
    )


def _surfaces(
    rng: np.random.Generator, cover: np.ndarray, shape: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Imperviousness and tree canopy (fractions 0–1) consistent with the land cover."""
    #            code: (sealed mean, spread, canopy mean, spread)
    table = {
        DENSE: (0.82, 0.08, 0.08, 0.04),
        OPEN: (0.45, 0.10, 0.22, 0.08),
        INDUSTRY: (0.85, 0.07, 0.05, 0.03),
        PARK: (0.08, 0.04, 0.45, 0.12),
        FARM: (0.03, 0.02, 0.05, 0.03),
        FOREST: (0.01, 0.01, 0.85, 0.08),
        WATER: (0.0, 0.0, 0.03, 0.02),
    }
    n_imp = _smooth_noise(rng, shape, 1.0)
    n_can = _smooth_noise(rng, shape, 1.0)
    imperv = np.zeros(shape)
    canopy = np.zeros(shape)
    for code, (im, isd, cm, csd) in table.items():
        m = cover == code
        imperv[m] = im + isd * n_imp[m]
        canopy[m] = cm + csd * n_can[m]
    imperv = np.clip(imperv, 0.0, 1.0)
    canopy = np.clip(canopy, 0.0, 1.0 - imperv)
    return np.round(imperv, 3).astype(np.float32), np.round(canopy, 3).astype(np.float32)


def _population(
    rng: np.random.Generator,
    shape: tuple[int, int],
    cover: np.ndarray,
    district: np.ndarray,
    table: pd.DataFrame,
) -> np.ndarray:
    """Residents per cell: each district's population over its built-up cells, exactly.

    Weights are 4 for dense and 1 for open built-up cells, times seeded noise; the counts
    are apportioned by largest remainder so each district sums exactly to its figure.
    """
    noise = np.exp(0.3 * _smooth_noise(rng, shape, 1.0))
    weight = np.where(cover == DENSE, 4.0, np.where(cover == OPEN, 1.0, 0.0)) * noise
    out = np.zeros(shape, dtype=np.float64)
    flat_w, flat_d, flat_out = weight.ravel(), district.ravel(), out.ravel()
    for k, total in enumerate(table["population"].astype(int)):
        cells = np.flatnonzero(flat_d == k)
        if cells.size == 0:
            raise RuntimeError(f"district {table['name'].iloc[k]!r} has no grid cells")
        w = flat_w[cells]
        if not w.sum() > 0:
            w = np.ones(cells.size)
        flat_out[cells] = largest_remainder(int(total), w)
    return out.astype(np.float32)


def _shares(
    rng: np.random.Generator,
    shape: tuple[int, int],
    population: np.ndarray,
    district: np.ndarray,
    table: pd.DataFrame,
) -> tuple[np.ndarray, np.ndarray]:
    """District shares of 65+ and under-6 with mild seeded noise; NaN where nobody lives."""
    out = []
    for col in ("pop_65plus", "pop_under6"):
        share = (table[col] / table["population"]).to_numpy(dtype=float)
        field = np.full(shape, np.nan)
        valid = district >= 0
        field[valid] = share[district[valid]]
        field = np.clip(field * np.exp(0.1 * _smooth_noise(rng, shape, 1.5)), 0.0, 1.0)
        field[~(population > 0)] = np.nan
        out.append(np.round(field, 4).astype(np.float32))
    return out[0], out[1]


def _dataset(
    xs: np.ndarray,
    ys: np.ndarray,
    variables: dict[str, tuple[np.ndarray, str, str]],
    seed: int,
    generated_by: str,
) -> xr.Dataset:
    crs = CRS.from_user_input(METRIC_CRS)
    cf = crs.to_cf()
    cf["crs_wkt"] = crs.to_wkt()
    cf["spatial_ref"] = crs.to_wkt()
    cf["GeoTransform"] = f"{xs[0] - CELL_M / 2} {CELL_M} 0 {ys[0] + CELL_M / 2} 0 {-CELL_M}"
    data_vars: dict[str, xr.DataArray] = {}
    for name, (values, units, long_name) in variables.items():
        attrs: dict[str, object] = {
            "units": units,
            "long_name": long_name,
            "grid_mapping": "spatial_ref",
        }
        if name == "landcover":
            codes = sorted(LANDCOVER_CLASSES)
            attrs["flag_values"] = np.array(codes, dtype=np.int8)
            attrs["flag_meanings"] = " ".join(
                LANDCOVER_CLASSES[c]["en"].lower().replace("/", "_").replace(" ", "_")
                for c in codes
            )
        data_vars[name] = xr.DataArray(values, dims=("y", "x"), attrs=attrs)
    data_vars["spatial_ref"] = xr.DataArray(np.int32(0), attrs=cf)
    ds = xr.Dataset(
        data_vars,
        coords={
            "x": ("x", xs, {"units": "m", "standard_name": "projection_x_coordinate"}),
            "y": ("y", ys, {"units": "m", "standard_name": "projection_y_coordinate"}),
        },
        attrs={
            "title": "Allmende synthetic demo grid, Jena",
            "Conventions": "CF-1.8",
            "source": "synthetic; generated from documented facts (see city.toml)",
            "generated_by": generated_by,
            "seed": int(seed),
            "cell_size_m": CELL_M,
        },
    )
    return ds


# --- catalog -------------------------------------------------------------------------------

_SYNTH_DE = (
    "Synthetische Demo-Daten (Allmende), aus dokumentierten Fakten erzeugt; "
    "Einwohnerzahlen: Stadt Jena, Melderegister 31.12.2017"
)
_LICENCE = "CC-BY-4.0"
_SNAPSHOT = Temporal(facts.POPULATION_DATE, facts.POPULATION_DATE)


def _city() -> City:
    min_lon, min_lat, max_lon, max_lat = facts.CITY_BBOX
    return City(
        id=PACK_ID,
        name="Jena",
        centre=(50.925, 11.586),
        zoom=12,
        bbox=(min_lon, min_lat, max_lon, max_lat),
        metric_crs=METRIC_CRS,
        default_language="de",
        synthetic=True,
        basemaps=("topplus", "osm", "offline"),
        default_basemap="topplus",
    )


def _de(value: float, decimals: int) -> str:
    """A number with a German decimal comma, e.g. ``0,06``."""
    return f"{value:.{decimals}f}".replace(".", ",")


def _shape_note(fit: _Fit) -> dict[str, str]:
    return {
        "de": (
            "Die Grenzen sind erfunden: ein gewichtetes Voronoi-Diagramm (Power-Diagramm) um "
            "die echten Ortsteil-Schwerpunkte, an der Näherungs-Stadtgrenze abgeschnitten. "
            f"Flächen weichen um höchstens {_de(fit.max_abs_pct, 2)} % (im Mittel "
            f"{_de(fit.mean_abs_pct, 3)} %) von den amtlichen ab; die Schwerpunkte liegen im "
            f"Mittel {fit.mean_centroid_m:.0f} m (höchstens {fit.max_centroid_m:.0f} m) "
            "neben den echten. Die Form der Ortsteile ist nicht die echte."
        ),
        "en": (
            "The boundaries are invented: a weighted Voronoi (power) diagram around the real "
            "Ortsteil centroids, clipped to the approximate city outline. Areas differ from "
            f"the official ones by at most {fit.max_abs_pct:.2f} % (mean "
            f"{fit.mean_abs_pct:.3f} %); centroids lie {fit.mean_centroid_m:.0f} m from the "
            f"real ones on average (at most {fit.max_centroid_m:.0f} m). The shapes are not "
            "the real ones."
        ),
    }


def _base(ds_id: str, generated_by: str, **kwargs: object) -> Dataset:
    fields: dict[str, object] = {
        "id": ds_id,
        "kind": "vector",
        "path": PATHS[ds_id],
        "crs": METRIC_CRS,
        "licence": _LICENCE,
        "attribution": _SYNTH_DE,
        "source": facts.SOURCE_FACTS,
        "generated_by": generated_by,
        "temporal": _SNAPSHOT,
    }
    fields.update(kwargs)
    return Dataset(**fields)  # type: ignore[arg-type]


def _outline_dataset(generated_by: str, fit: _Fit) -> Dataset:
    return _base(
        "outline",
        generated_by,
        title={"de": "Stadtgrenze (Näherung)", "en": "City outline (approximate)"},
        description={
            "de": "Näherungsweise Stadtgrenze von Jena für die Demo, innerhalb der echten "
            "Begrenzungsbox der Stadt.",
            "en": "Approximate outline of Jena for the demo, inside the city's real bounding box.",
        },
        approximations={
            "de": "Erfunden: geglättete Vereinigung von Kreisen um die 30 Ortsteil-Schwerpunkte, "
            f"skaliert auf die Summe der Ortsteilflächen ({_de(fit.outline_km2, 2)} km²; amtliche "
            f"Stadtfläche {_de(facts.CITY_AREA_KM2, 2)} km²). Der echte Grenzverlauf ist anders.",
            "en": "Invented: smoothed union of discs around the 30 Ortsteil centroids, scaled "
            f"to the summed Ortsteil area ({fit.outline_km2:.2f} km²; official city area "
            f"{facts.CITY_AREA_KM2} km²). The real boundary runs differently.",
        },
    )


def _districts_dataset(generated_by: str, fit: _Fit) -> Dataset:
    ratio = facts.under6_ratio()
    shapes = _shape_note(fit)
    return _base(
        "districts",
        generated_by,
        title={"de": "Ortsteile", "en": "Districts (Ortsteile)"},
        description={
            "de": "Die 30 Ortsteile Jenas mit Einwohnern (Hauptwohnsitz) am 31.12.2017, davon "
            "unter 6, unter 18 und ab 65 Jahren, und Fläche in km² (EPSG:25832).",
            "en": "Jena's 30 Ortsteile with residents (main residence) on 31 Dec 2017, those "
            "under 6, under 18 and aged 65+, and area in km² (EPSG:25832).",
        },
        approximations={
            "de": shapes["de"]
            + " Einwohner je Ortsteil sind die Summen der statistischen Bezirke (41 → 30, nach "
            "größter Überlappung; Jena-Süd eher zu hoch, Winzerla/Burgau zu niedrig). "
            "Unter 6: Stadtsumme 6.493 nach dem Anteil der unter 18-Jährigen verteilt "
            f"(stadtweit {_de(ratio, 3)} der unter 18-Jährigen), keine amtliche Zahl. Die Spalte "
            "unter 18 ergibt 17.016, 12 weniger als die Stadtzahl 17.028 (Rundung der Quelle). "
            "Planungsraum: der Raum mit den meisten Einwohnern des Ortsteils (Jena-Süd liegt "
            "teils im Planungsraum Winzerla).",
            "en": shapes["en"]
            + " Residents per Ortsteil are sums of statistical districts (41 → 30 by largest "
            "overlap; Jena-Süd probably too high, Winzerla/Burgau too low). Under 6: the city "
            f"total of 6,493 split in proportion to the under-18s (city-wide {ratio:.3f} of "
            "under-18s), not an official figure. The under-18 column sums to 17,016, 12 fewer "
            "than the city's 17,028 (rounding in the source). Planungsraum: the planning area "
            "holding most of the Ortsteil's residents (Jena-Süd lies partly in Winzerla).",
        },
    )


def _river_dataset(generated_by: str) -> Dataset:
    return _base(
        "river",
        generated_by,
        title={"de": "Saale", "en": "River Saale"},
        description={
            "de": "Lauf der Saale durch Jena (von Süden nach Norden).",
            "en": "Course of the Saale through Jena (flowing south to north).",
        },
        licence="ODbL-1.0",
        attribution="Flusslauf: © OpenStreetMap-Mitwirkende (ODbL), vereinfacht; "
        "Synthetische Demo-Daten (Allmende), aus dokumentierten Fakten erzeugt",
        temporal=Temporal("2014-01-01", "2014-12-31"),
        approximations={
            "de": "Kubischer Spline durch 16 gleichmäßig verteilte Punkte des OSM-Flusslaufs "
            "(Stand 2014); beide Enden entlang der Tangente bis zur Begrenzungsbox verlängert. "
            "Abweichungen von einigen zehn Metern zum echten Lauf sind möglich.",
            "en": "Cubic spline through 16 evenly spaced points of the OSM river course "
            "(2014); both ends extended along their tangents to the bounding box. Expect "
            "deviations of some tens of metres from the real course.",
        },
    )


def _grid_dataset(generated_by: str) -> Dataset:
    return _base(
        "grid",
        generated_by,
        kind="raster",
        licence=f"{_LICENCE} (Wasser/water: ODbL-1.0)",
        attribution=_SYNTH_DE + "; Flusslauf © OpenStreetMap-Mitwirkende (ODbL)",
        title={"de": "Raster 100 m", "en": "100 m grid"},
        description={
            "de": "100-m-Raster (EPSG:25832): Höhe (m), Bodenbedeckung, Versiegelung und "
            "Baumkronen (Anteil 0–1), Einwohner je Zelle (31.12.2017), Anteile ab 65 und "
            "unter 6 Jahren.",
            "en": "100 m grid (EPSG:25832): elevation (m), land cover, imperviousness and tree "
            "canopy (fraction 0–1), residents per cell (31 Dec 2017), shares aged 65+ and "
            "under 6.",
        },
        approximations={
            "de": "Alles außer den Summen ist erfunden: Gelände (Saaleaue ≈ 140–155 m, "
            "Muschelkalkhänge, Hochflächen ≈ 300–400 m, schematische Seitentäler), "
            "Bodenbedeckung nach Hangneigung und Lage (Waldanteil auf die Katasterzahl 2016 "
            "von 32 % abgestimmt, Gewerbegebiete bei Göschwitz und Löbstedt schematisch), "
            "Versiegelung und Baumkronen je Klasse mit Rauschen. Einwohner je Zelle: die "
            "Zahl des Ortsteils, auf bebaute Zellen verteilt (ganzzahlig, Summe je Ortsteil "
            "exakt). Altersanteile: Wert des Ortsteils mit leichtem Rauschen. Außerhalb der "
            "Stadtgrenze wohnt niemand; Nachbarorte fehlen.",
            "en": "Everything except the totals is invented: terrain (Saale floodplain "
            "≈ 140–155 m, limestone slopes, plateaus ≈ 300–400 m, schematic side valleys), "
            "land cover from slope and position (forest share matched to the 2016 Kataster "
            "figure of 32 %, business parks near Göschwitz and Löbstedt placed schematically), "
            "imperviousness and tree canopy per class with noise. Residents per cell: the "
            "Ortsteil's figure spread over its built-up cells (whole numbers, exact sum per "
            "Ortsteil). Age shares: the Ortsteil's value with mild noise. Nobody lives "
            "outside the city outline; neighbouring villages are missing.",
        },
    )


def _stats_dataset(generated_by: str) -> Dataset:
    return _base(
        "district_stats",
        generated_by,
        kind="table",
        crs=None,
        title={"de": "Ortsteil-Statistik 2017", "en": "District statistics 2017"},
        description={
            "de": "Einwohner, Altersgruppen, Anteile (0–1) und Dichte (Einw./km²) je Ortsteil.",
            "en": "Residents, age groups, shares (0–1) and density (residents/km²) per Ortsteil.",
        },
        approximations={
            "de": "Unter 6 ist aus dem stadtweiten Anteil geschätzt; die Dichte nutzt die "
            "Fläche der erfundenen Ortsteilgrenzen (≈ amtliche Fläche).",
            "en": "Under 6 is estimated from the city-wide ratio; density uses the area of "
            "the invented district shapes (≈ official area).",
        },
    )
