"""The demo city's 100 m grid: what is in each hectare — terrain, land cover, people?

:func:`build_grid` returns one CF-style :class:`xarray.Dataset` in EPSG:25832 covering the
city bbox, with cell centres on a 100 m lattice (x ascending, y descending) and these
variables:

* ``elevation`` — metres above sea level: a flat Saale floodplain, limestone slopes,
  plateaus and schematic side valleys;
* ``landcover`` — codes of :data:`data.schemas.LANDCOVER_CLASSES` (settlements near the
  Ortsteil centroids, urban green, schematic business parks, forest calibrated to the
  Kataster share, farmland elsewhere, the river);
* ``imperviousness`` and ``tree_canopy`` — fractions 0–1 of the cell, consistent with the
  land cover;
* ``population`` — persons per cell (whole numbers), summing exactly to each district;
* ``share_65plus`` and ``share_under6`` — fractions 0–1 of the residents, NaN where
  nobody lives;
* ``lst_day`` and ``tair_night`` — °C: land-surface temperature of a hot summer afternoon
  and air temperature of a calm summer night (urban heat island, cold-air drainage), from
  the fields above (:mod:`data.demo.heat`).

The texture (noise, valley wiggles, which cells are settled) comes from the ``seed``; the
same seed, districts and river give byte-identical values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
import xarray as xr
from pyproj import CRS
from scipy.ndimage import gaussian_filter
from scipy.spatial import cKDTree
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from data.demo import facts
from data.demo.geometry import METRIC_CRS, bbox_ring, to_metric
from data.demo.heat import heat_fields
from data.demo.tables import largest_remainder
from data.schemas import LANDCOVER_CLASSES

#: Cell size (edge length) of the grid, metres.
CELL_M = 100.0
#: Land-cover codes (see data.schemas.LANDCOVER_CLASSES).
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


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], sigma: float) -> np.ndarray:
    """Gaussian-filtered white noise with mean 0 and standard deviation 1."""
    field = gaussian_filter(rng.standard_normal(shape), sigma, mode="reflect")
    return (field - field.mean()) / field.std()


def _smoothstep(t: np.ndarray) -> np.ndarray:
    """0 below 0, 1 above 1, a smooth cubic ramp in between."""
    t = np.clip(t, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def _grid_axes() -> tuple[np.ndarray, np.ndarray]:
    """Cell-centre coordinates (x ascending, y descending) covering the bbox, metres."""
    x, y = bbox_ring()
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


def build_grid(
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
    markt = np.array(to_metric().transform(*facts.MARKT))
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
        ax, ay = to_metric().transform(lon, lat)
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
    elevation32 = elevation.astype(np.float32)
    # from the stored (float32) fields, so a reader can recompute the cold-air flow exactly
    heat = heat_fields(seed, elevation32, cover, imperv, canopy, CELL_M)

    return _dataset(
        xs,
        ys,
        {
            "elevation": (elevation32, "m", "Elevation above sea level"),
            "landcover": (cover, "1", "Land cover class (see flag_meanings)"),
            "imperviousness": (imperv, "1", "Sealed share of the cell (0-1)"),
            "tree_canopy": (canopy, "1", "Tree canopy share of the cell (0-1)"),
            "population": (population, "persons", "Residents per cell, 31.12.2017"),
            "share_65plus": (share65, "1", "Share of residents aged 65 or older (0-1)"),
            "share_under6": (share6, "1", "Share of residents younger than 6 (0-1)"),
            "lst_day": (
                heat["lst_day"],
                "degC",
                "Land-surface temperature, hot clear summer afternoon (about 14:00)",
            ),
            "tair_night": (
                heat["tair_night"],
                "degC",
                "Air temperature 2 m, calm clear summer night (about 04:00)",
            ),
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
    """Wrap ``(values, units, long_name)`` per variable into a CF-1.8 dataset with its CRS."""
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
