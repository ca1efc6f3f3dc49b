"""The demo city's land use, planned developments and constraint zones (all synthetic).

* :func:`landuse_frame` — land-use polygons (classes of
  :data:`data.landuse_vocab.LANDUSE_CLASSES`) made of the 100 m grid cells inside the
  outline, each class filled up to its Kataster area (:mod:`data.demo.facts_landuse`) in
  this order and by these ranks: water (river cells, then nearest the river), forest
  (forest cells, then steepest), the built classes (built-up cells, then most sealed
  surroundings), green (park cells, then most sealed surroundings), ``other`` = traffic
  (the fringe of the built-up land: roads and rail do not show at 1 ha), allotments (the
  next fringe) and agriculture (the rest). Built land is split into industrial (the grid's
  business parks), commercial and public (nearest the old town, assumed shares) and
  residential.
* :func:`plans_frame` — one plan per project fact, a square of the stated area placed in
  its Ortsteil (centre, nearest the river or farthest from the old town), cut to it.
* :func:`constraints_frame` — cold-air production (open land on slopes), ventilation
  corridors of the river valley (the river line ± 100 m core, ± 300 m band) and of the side
  valleys (grid cells the cold-air drainage of :func:`data.demo.heat.cold_air_inflow`
  gathers ≥ 100 ha in, ± 100 m / ± 300 m), the HQ100 flood zone (river ± 80 m plus the
  valley floor up to 1 m above the nearest river cell, within 500 m), protected nature
  (the steepest forest), green corridors (green and allotments, 60 m wider) and heat
  hotspots (the heat vulnerability layer's top class at grid level, :func:`hvi_top_cells`).

Deterministic: no randomness beyond the grid's own (same seed, same polygons). Metres and
hectares in EPSG:25832.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import shapely
import xarray as xr
from scipy.ndimage import gaussian_filter, label
from scipy.signal import fftconvolve
from scipy.spatial import cKDTree
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from data.catalog import Dataset
from data.demo import facts
from data.demo import facts_landuse as fl
from data.demo.datasets import _base
from data.demo.geometry import METRIC_CRS, to_metric
from data.demo.heat import DENSE, FOREST, INDUSTRY, OPEN, PARK, WATER, cold_air_inflow

HA = 10_000.0
_BUILT_CODES = (DENSE, OPEN, INDUSTRY)
# the HVI of the heat layer at its defaults (models.hvi / layers.heat.vulnerability):
# grid level, z-scores, equal weights, quantiles, 5 classes; green = parks and forest
_NEAR_M, _GREEN_CODES, _K = 300.0, (PARK, FOREST), 5
# HQ100: the valley floor up to this height above the nearest river cell, this far out
_FLOOD_RISE_M, _FLOOD_M = 1.0, 500.0
_COMPONENTS = {
    "exposure": (("lst_day", 1), ("tair_night", 1)),
    "sensitivity": (("share_65plus", 1), ("share_under6", 1), ("density", 1), ("facilities", 1)),
    "capacity": (("tree_canopy", -1), ("green_300m", -1), ("imperviousness", 1)),
}


def _field(grid: xr.Dataset, name: str) -> np.ndarray:
    return grid[name].transpose("y", "x").to_numpy().astype(float)


def _boxes(xs: np.ndarray, ys: np.ndarray, half: float) -> np.ndarray:
    return shapely.box(xs - half, ys - half, xs + half, ys + half)


def _parts(geom: BaseGeometry, min_ha: float = 0.0) -> list[Polygon]:
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, Polygon) and not p.is_empty]
    return [p for p in parts if p.area >= min_ha * HA]


def _union_cells(mask: np.ndarray, gx: np.ndarray, gy: np.ndarray, cell: float) -> BaseGeometry:
    return shapely.union_all(_boxes(gx[mask], gy[mask], cell / 2.0))


# --- land use ------------------------------------------------------------------------------


def allocate(grid: xr.Dataset, outline: BaseGeometry, river: LineString) -> dict[str, np.ndarray]:
    """The land-use class of every grid cell ('' outside the outline), and the cell areas
    inside the outline (m²), as ``{"use": …, "area": …}``."""
    xs, ys = grid["x"].to_numpy().astype(float), grid["y"].to_numpy().astype(float)
    cell = float(abs(xs[1] - xs[0]))
    gx, gy = np.meshgrid(xs, ys)
    area = shapely.area(shapely.intersection(_boxes(gx, gy, cell / 2.0), outline))
    cover = grid["landcover"].transpose("y", "x").to_numpy()
    z = _field(grid, "elevation")
    dy, dx = np.gradient(z, cell)
    slope = np.hypot(dx, dy)
    urban = gaussian_filter(_field(grid, "imperviousness"), 200.0 / cell, mode="nearest")
    river_d = cKDTree(_line_samples(river)).query(np.column_stack([gx.ravel(), gy.ravel()]))[0]
    river_d = river_d.reshape(gx.shape)
    use = np.full(gx.shape, "", dtype=object)
    free = area > 0

    def fill(name: str, first: np.ndarray, rank: np.ndarray, target_ha: float) -> None:
        idx = np.flatnonzero(free.ravel())
        order = idx[np.lexsort((rank.ravel()[idx], ~first.ravel()[idx]))]
        take = order[np.cumsum(area.ravel()[order]) <= target_ha * HA]
        use.ravel()[take] = name
        free.ravel()[take] = False

    t = fl.LANDUSE_TARGETS_HA
    fill("water", cover == WATER, river_d, t["water"])
    fill("forest", cover == FOREST, -slope, t["forest"])
    fill("built", np.isin(cover, _BUILT_CODES), -urban, t["built"])
    fill("green", cover == PARK, -urban, t["green"])
    fill("other", np.zeros_like(free), -urban, t["other"])
    fill("allotments", np.zeros_like(free), -urban, t["allotments"])
    use[free] = "agriculture"
    # the built land: business parks, then the old town's surroundings, then housing
    built = use == "built"
    use[built] = "residential"
    use[built & (cover == INDUSTRY)] = "industrial"
    markt = np.array(to_metric().transform(*facts.MARKT))
    near = np.hypot(gx - markt[0], gy - markt[1])
    idx = np.flatnonzero((built & (cover != INDUSTRY)).ravel())
    idx = idx[np.argsort(near.ravel()[idx], kind="stable")]
    cum = np.cumsum(area.ravel()[idx]) / area[built].sum()
    c, p = fl.BUILT_SPLIT["commercial"], fl.BUILT_SPLIT["public"]
    use.ravel()[idx[cum <= c]] = "commercial"
    use.ravel()[idx[(cum > c) & (cum <= c + p)]] = "public"
    return {"use": use, "area": area}


def landuse_frame(
    grid: xr.Dataset, alloc: dict[str, np.ndarray], outline: BaseGeometry
) -> gpd.GeoDataFrame:
    """Land-use polygons: the cells of each class merged, cut to the outline."""
    xs, ys = grid["x"].to_numpy().astype(float), grid["y"].to_numpy().astype(float)
    gx, gy = np.meshgrid(xs, ys)
    cell = float(abs(xs[1] - xs[0]))
    uses, geoms = [], []
    for name in sorted(set(alloc["use"][alloc["use"] != ""].tolist())):
        merged = shapely.intersection(_union_cells(alloc["use"] == name, gx, gy, cell), outline)
        for part in _parts(shapely.set_precision(merged, 1.0)):
            uses.append(name)
            geoms.append(part)
    ids = [f"lu-{k + 1:04d}" for k in range(len(geoms))]
    return gpd.GeoDataFrame({"landuse_id": ids, "use": uses}, geometry=geoms, crs=METRIC_CRS)


# --- plans ---------------------------------------------------------------------------------


def plans_frame(
    grid: xr.Dataset, alloc: dict[str, np.ndarray], districts: gpd.GeoDataFrame, river: LineString
) -> gpd.GeoDataFrame:
    """The demo plans: a square of each fact's area in its Ortsteil, anchored on a grid cell
    of it that is neither forest nor water — ``centre``: the built cell nearest the
    Ortsteil's centroid; ``edge``: the open-land cell nearest it (the edge of the built-up
    land); ``river``: the cell nearest the river — then slid towards the centroid until at
    least 80 % of the square lies in the Ortsteil (40 m inside its border)."""
    xs, ys = grid["x"].to_numpy().astype(float), grid["y"].to_numpy().astype(float)
    gx, gy = np.meshgrid(xs, ys)
    use = alloc["use"]
    river_d = cKDTree(_line_samples(river)).query(np.column_stack([gx.ravel(), gy.ravel()]))[0]
    by_name = dict(zip(districts["name"].astype(str), districts.geometry, strict=True))
    kinds = {
        "centre": ("residential", "commercial", "public", "industrial"),
        "edge": ("agriculture", "allotments", "green", "other"),
        "river": (
            "residential",
            "commercial",
            "public",
            "industrial",
            "agriculture",
            "allotments",
            "green",
            "other",
        ),
    }
    rows, geoms = [], []
    for f in fl.PLANS:
        inner = by_name[f.ortsteil].buffer(-40.0)
        site = next(o for o in facts.ORTSTEILE if o.name == f.ortsteil)
        centre = Point(to_metric().transform(site.lon, site.lat))
        ok = (shapely.contains_xy(inner, gx, gy) & np.isin(use, kinds[f.where])).ravel()
        if not ok.any():
            raise RuntimeError(f"plan {f.name!r}: no {f.where} cell in {f.ortsteil!r}")
        score = river_d if f.where == "river" else np.hypot(gx - centre.x, gy - centre.y).ravel()
        best = np.flatnonzero(ok)[np.argmin(score[ok])]
        anchor = Point(gx.ravel()[best], gy.ravel()[best])
        half = np.sqrt(f.area_ha * HA) / 2.0
        geom: BaseGeometry = Polygon()
        # slide from the anchor towards the Ortsteil centre until most of the square fits
        for step in np.linspace(0.0, 1.0, 21):
            at = shapely.line_interpolate_point(LineString([anchor, centre]), step, normalized=True)
            square = shapely.box(at.x - half, at.y - half, at.x + half, at.y + half)
            geom = shapely.intersection(square, inner)
            if geom.area >= 0.8 * square.area:
                break
        geom = max(_parts(shapely.set_precision(geom, 1.0)), key=lambda g: g.area)
        rows.append(
            {
                "plan_id": f"vl-{f.list_id}",
                "name": f.name,
                "use": f.use,
                "dwellings": f.dwellings,
                "status": f.status,
                "source": f"Vorhabenliste 2015, Nr. {f.list_id} ({f.ortsteil})",
            }
        )
        geoms.append(geom)
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs=METRIC_CRS)
    frame["dwellings"] = frame["dwellings"].astype("int64")
    return frame


# --- constraints ---------------------------------------------------------------------------


def _line_samples(line: LineString, step: float = 10.0) -> np.ndarray:
    n = max(2, int(np.ceil(line.length / step)) + 1)
    return shapely.get_coordinates(
        shapely.line_interpolate_point(line, np.linspace(0.0, 1.0, n), normalized=True)
    )


def _neighbourhood_share(mask: np.ndarray, valid: np.ndarray, radius_cells: float) -> np.ndarray:
    r = int(np.floor(radius_cells))
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
    kernel = (np.hypot(xx, yy) <= radius_cells + 1e-9).astype(float)
    hits = fftconvolve((mask & valid).astype(float), kernel, mode="same")
    total = fftconvolve(valid.astype(float), kernel, mode="same")
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0.5, hits / np.maximum(total, 1.0), np.nan)
    return np.clip(np.round(share, 6), 0.0, 1.0) + 0.0


def hvi_top_cells(grid: xr.Dataset, facility_xy: np.ndarray) -> np.ndarray:
    """Boolean grid mask of the inhabited cells in the heat vulnerability index's top class.

    The same arithmetic as the heat layer at its defaults (``models.heat`` indicators,
    ``models.hvi`` z-scores and equal weights, ``layers.classify`` quantiles, 5 classes);
    the data package may not import those, so ``tests/test_demo_landuse.py`` checks that
    both give the same cells.
    """
    import mapclassify

    xs, ys = grid["x"].to_numpy().astype(float), grid["y"].to_numpy().astype(float)
    cell = float(abs(xs[1] - xs[0]))
    gx, gy = np.meshgrid(xs, ys)
    pop = np.nan_to_num(_field(grid, "population"), nan=0.0)
    rows, cols = np.nonzero(pop > 0)
    cover = grid["landcover"].transpose("y", "x").to_numpy()
    valid = np.isfinite(cover.astype(float)) & (cover > 0)
    fields = {n: _field(grid, n) for n in ("lst_day", "tair_night", "share_65plus", "share_under6")}
    fields |= {n: _field(grid, n) for n in ("tree_canopy", "imperviousness")}
    fields["green_300m"] = _neighbourhood_share(np.isin(cover, _GREEN_CODES), valid, _NEAR_M / cell)
    values = {n: f[rows, cols] for n, f in fields.items()}
    values["density"] = pop[rows, cols] / (cell * cell / 1e6)
    near = cKDTree(facility_xy).query_ball_point(
        np.column_stack([gx[rows, cols], gy[rows, cols]]), _NEAR_M
    )
    values["facilities"] = np.array([len(n) for n in near]) / (np.pi * (_NEAR_M / 1000.0) ** 2)
    scores = []
    for members in _COMPONENTS.values():
        stack = []
        for name, direction in members:
            v = direction * values[name]
            ok = np.isfinite(v)
            sd = float(v[ok].std())
            stack.append(np.where(ok, (v - v[ok].mean()) / sd if sd > 0 else 0.0, np.nan))
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a cell with no value at all
            scores.append(np.round(np.nanmean(np.column_stack(stack), axis=1), 6))
    index = (scores[0] + scores[1] + scores[2]) / 3.0
    bins = np.unique(np.asarray(mapclassify.Quantiles(index, k=_K).bins, dtype=float))
    top = np.searchsorted(bins, index, side="left") == len(bins) - 1
    mask = np.zeros(pop.shape, dtype=bool)
    mask[rows[top], cols[top]] = True
    return mask


def constraints_frame(
    grid: xr.Dataset,
    alloc: dict[str, np.ndarray],
    outline: BaseGeometry,
    river: LineString,
    facility_xy: np.ndarray,
) -> gpd.GeoDataFrame:
    """All constraint zones (see the module text), one row per polygon."""
    xs, ys = grid["x"].to_numpy().astype(float), grid["y"].to_numpy().astype(float)
    cell = float(abs(xs[1] - xs[0]))
    gx, gy = np.meshgrid(xs, ys)
    inside = alloc["area"] > 0
    use = alloc["use"]
    z = _field(grid, "elevation")
    dy, dx = np.gradient(z, cell)
    slope = np.hypot(dx, dy)
    samples = _line_samples(river)
    dist, nearest = cKDTree(samples).query(np.column_stack([gx.ravel(), gy.ravel()]))
    dist = dist.reshape(gx.shape)
    rows: list[tuple[str, str, BaseGeometry]] = []

    def add(kind: str, name: str, geom: BaseGeometry, min_ha: float = 0.0) -> None:
        cut = shapely.set_precision(shapely.intersection(geom, outline), 1.0)
        for k, part in enumerate(_parts(cut, min_ha)):
            rows.append((kind, name if k == 0 else f"{name} ({k + 1})", part))

    open_land = np.isin(use, ("agriculture", "allotments", "green"))
    add(
        "cold_air",
        "Kaltluftentstehung",
        _union_cells(open_land & (slope >= 0.03), gx, gy, cell),
        10.0,
    )
    valley = fl.RIVER_NAME + "tal"
    add("ventilation_core", f"Luftleitbahn {valley}", river.buffer(100.0))
    add("ventilation_band", f"Luftleitbahn {valley}", river.buffer(300.0))
    inflow = cold_air_inflow(
        z,
        grid["landcover"].transpose("y", "x").to_numpy(),
        _field(grid, "imperviousness"),
        _field(grid, "tree_canopy"),
    )[0]
    labels, n = label((inflow >= 100.0) & (dist > 300.0) & inside, structure=np.ones((3, 3)))
    for k in range(1, n + 1):
        if (labels == k).sum() >= 8:
            axis = _union_cells(labels == k, gx, gy, cell)
            add("ventilation_core", f"Luftleitbahn Seitental {k}", axis.buffer(50.0))
            add("ventilation_band", f"Luftleitbahn Seitental {k}", axis.buffer(250.0))
    river_z = z.ravel()[cKDTree(np.column_stack([gx.ravel(), gy.ravel()])).query(samples)[1]]
    floor = (dist <= _FLOOD_M) & (z <= river_z[nearest].reshape(gx.shape) + _FLOOD_RISE_M)
    flood = shapely.union_all([river.buffer(80.0), _union_cells(floor, gx, gy, cell)])
    flood = flood.buffer(50.0).buffer(-50.0)
    add("flood_hq100", f"Überschwemmungsgebiet HQ100 {fl.RIVER_NAME}", flood, 1.0)
    forest = use == "forest"
    steep = forest & (slope >= np.quantile(slope[forest], 0.8))
    closed = _union_cells(steep, gx, gy, cell).buffer(100.0).buffer(-100.0)
    nature = shapely.intersection(closed, _union_cells(forest, gx, gy, cell))
    add("nature_protected", "Naturschutzgebiet", nature, 25.0)
    greens = np.isin(use, ("green", "allotments"))
    add("green_corridor", "Grünzug", _union_cells(greens, gx, gy, cell).buffer(60.0), 10.0)
    top = hvi_top_cells(grid, facility_xy)
    hot = shapely.union_all(_boxes(gx[top], gy[top], cell / 2.0))
    for k, part in enumerate(_parts(hot)):
        rows.append(("heat_hotspot", f"Hitze-Schwerpunkt {k + 1}", part))
    kinds, names, geoms = zip(*rows, strict=True)
    ids = [f"c-{k + 1:04d}" for k in range(len(rows))]
    return gpd.GeoDataFrame(
        {"constraint_id": ids, "kind": list(kinds), "name": list(names)},
        geometry=list(geoms),
        crs=METRIC_CRS,
    )


# --- catalog entries -----------------------------------------------------------------------

_APPROX = {
    "de": "Erfunden aus Fakten: die Lage folgt dem Tal der Demo-Stadt (100-m-Raster), nicht "
    "der echten Nutzung; nur die Flächensummen stammen aus der Statistik.",
    "en": "Invented from facts: the layout follows the demo city's valley (100 m grid), "
    "not the real land use; only the area totals come from the statistics.",
}


def theme_datasets(generated_by: str) -> tuple[Dataset, Dataset, Dataset]:
    """The catalog entries of ``landuse``, ``plans`` and ``constraints`` (synthetic)."""
    common = {"source": fl.SOURCE_LANDUSE, "approximations": _APPROX}
    landuse = _base(
        "landuse",
        generated_by,
        title={"de": "Flächennutzung (synthetisch)", "en": "Land use (synthetic)"},
        description={
            "de": "Synthetische Flächennutzung: Flächen je Klasse wie im Kataster 2016 "
            "(Gebäude- und Freifläche, Verkehr, Landwirtschaft, Gärten, Wald, Wasser, "
            "Erholung und Friedhof).",
            "en": "Synthetic land use: areas per class as in the 2016 cadastre (buildings "
            "and open space, traffic, agriculture, gardens, forest, water, recreation and "
            "cemeteries).",
        },
        **common,
    )
    plans = _base(
        "plans",
        generated_by,
        title={"de": "Geplante Vorhaben (synthetisch)", "en": "Planned developments (synthetic)"},
        description={
            "de": "Demo-Vorhaben nach echten Vorhaben der Stadt (Vorhabenliste 2015: Name, "
            "Art, Ortsteil); Fläche, Lage und Wohnungszahl sind erfunden.",
            "en": "Demo plans after real projects of the city (2015 project list: name, "
            "kind, Ortsteil); area, position and dwellings are invented.",
        },
        **common,
    )
    constraints = _base(
        "constraints",
        generated_by,
        title={"de": "Restriktionen (synthetisch)", "en": "Constraint zones (synthetic)"},
        description={
            "de": "Synthetische Klima- und Rechtsrestriktionen: Kaltluftentstehung, "
            "Luftleitbahnen (Kern 100 m, Band 300 m), HQ100, Naturschutz, Grünzüge und "
            "Hitze-Schwerpunkte (oberste Klasse des Hitze-Verwundbarkeitsindex).",
            "en": "Synthetic climate and legal constraints: cold-air production, ventilation "
            "corridors (100 m core, 300 m band), HQ100, protected nature, green corridors and "
            "heat hotspots (top class of the heat vulnerability index).",
        },
        **common,
    )
    return landuse, plans, constraints
