"""Heat indicators: where is it hot, who lives there, and how well can the place cope?

For each unit — a populated grid cell or a district — this module gathers the indicators of
the heat vulnerability index (:mod:`models.hvi`) and of the climate-justice view
(:mod:`models.justice`). Each indicator belongs to one component and has a direction
(``+1``: more means more vulnerable; ``-1``: more means less vulnerable):

=================  ===============  ==========================================  =====
component          indicator        meaning                                      unit
=================  ===============  ==========================================  =====
exposure           lst_day          land-surface temperature, summer afternoon  °C
exposure           tair_night       air temperature in a summer night            °C
sensitivity        share_65plus     share of residents aged 65+                  0–1
sensitivity        share_under6     share of residents younger than 6            0–1
sensitivity        density          residents per km²                            1/km²
sensitivity        facilities       Kitas, schools, care homes, hospitals        1/km²
capacity (−)       tree_canopy      tree canopy share                            0–1
capacity (−)       green_300m       share of public green (parks, forest)        0–1
                                    within 300 m
capacity (+)       imperviousness   sealed share                                 0–1
=================  ===============  ==========================================  =====

**Grid cells**: only cells where people live (population > 0); values are the cell's own,
``facilities`` counts sensitive facilities within 300 m of the cell centre per km² of that
disc, ``green_300m`` is the park/forest share of the cells whose centres lie within 300 m.

**Districts**: raster indicators are population-weighted means over the district's
populated cells (what residents experience), or plain area means where the pack has no
population grid; shares come from the district table; density and facilities are per km² of
district area (pack's metric CRS).

Indicators the pack cannot provide are left out and named in :attr:`Indicators.missing`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely
from scipy.signal import fftconvolve
from scipy.spatial import cKDTree

from data.pack import CityPack, raster_crs

#: Radius (m) of the neighbourhood for public green and facilities.
NEAR_M = 300.0
#: Land-cover codes that count as public green (parks, forest), see data.schemas.
GREEN_CODES = (4, 6)


@dataclass(frozen=True)
class Indicator:
    id: str
    component: str
    direction: int
    label: dict[str, str]
    unit: dict[str, str]


COMPONENTS: dict[str, dict[str, str]] = {
    "exposure": {"de": "Hitzebelastung", "en": "Exposure"},
    "sensitivity": {"de": "Empfindlichkeit", "en": "Sensitivity"},
    "capacity": {"de": "Fehlende Anpassungsfähigkeit", "en": "Lack of adaptive capacity"},
}

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "lst_day",
        "exposure",
        1,
        {"de": "Oberflächentemperatur am Nachmittag", "en": "Afternoon surface temperature"},
        {"de": "°C", "en": "°C"},
    ),
    Indicator(
        "tair_night",
        "exposure",
        1,
        {"de": "Lufttemperatur in der Nacht", "en": "Night air temperature"},
        {"de": "°C", "en": "°C"},
    ),
    Indicator(
        "share_65plus",
        "sensitivity",
        1,
        {"de": "Anteil ab 65 Jahren", "en": "Share aged 65+"},
        {"de": "%", "en": "%"},
    ),
    Indicator(
        "share_under6",
        "sensitivity",
        1,
        {"de": "Anteil unter 6 Jahren", "en": "Share under 6"},
        {"de": "%", "en": "%"},
    ),
    Indicator(
        "density",
        "sensitivity",
        1,
        {"de": "Einwohnerdichte", "en": "Population density"},
        {"de": "Einw./km²", "en": "residents/km²"},
    ),
    Indicator(
        "facilities",
        "sensitivity",
        1,
        {
            "de": "Empfindliche Einrichtungen (Kita, Schule, Pflege, Klinik)",
            "en": "Sensitive facilities (day care, school, care home, hospital)",
        },
        {"de": "je km²", "en": "per km²"},
    ),
    Indicator(
        "tree_canopy",
        "capacity",
        -1,
        {"de": "Baumkronen", "en": "Tree canopy"},
        {"de": "%", "en": "%"},
    ),
    Indicator(
        "green_300m",
        "capacity",
        -1,
        {"de": "Öffentliches Grün im Umkreis von 300 m", "en": "Public green within 300 m"},
        {"de": "%", "en": "%"},
    ),
    Indicator(
        "imperviousness",
        "capacity",
        1,
        {"de": "Versiegelung", "en": "Imperviousness"},
        {"de": "%", "en": "%"},
    ),
)
INDICATOR_IDS = tuple(i.id for i in INDICATORS)
BY_ID = {i.id: i for i in INDICATORS}


@dataclass(frozen=True)
class Indicators:
    """Indicator values per unit.

    ``frame`` has ``unit_id``, ``name``, ``population``, ``pop_65plus``, ``pop_under6``
    (persons; NaN where unknown), one column per available indicator and, for grid cells,
    ``x``, ``y`` (cell centre, metric CRS), ``row``, ``col`` and ``district_id``.
    """

    level: str  # "district" | "grid"
    frame: pd.DataFrame
    available: tuple[str, ...]
    missing: tuple[str, ...]
    cell_m: float | None = None
    crs_wkt: str | None = None


def disc(radius_cells: float) -> np.ndarray:
    r = int(np.floor(radius_cells))
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
    return (np.hypot(xx, yy) <= radius_cells + 1e-9).astype(float)


def neighbourhood_share(mask: np.ndarray, valid: np.ndarray, radius_cells: float) -> np.ndarray:
    """Share of ``valid`` cells within ``radius_cells`` (centre to centre) that are ``mask``."""
    kernel = disc(radius_cells)
    hits = fftconvolve((mask & valid).astype(float), kernel, mode="same")
    total = fftconvolve(valid.astype(float), kernel, mode="same")
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0.5, hits / np.maximum(total, 1.0), np.nan)
    return np.clip(np.round(share, 6), 0.0, 1.0) + 0.0  # + 0.0: no negative zero


# the grid fields a scenario may change (dashboard/models.scenario): see grid_indicators_with
CHANGEABLE = ("lst_day", "tair_night", "tree_canopy", "imperviousness", "population")


def _grid_fields(
    pack: CityPack, override: Mapping[str, np.ndarray] | None = None
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, float]:
    """The raster indicator fields on the pack grid, and the x/y centre coordinates;
    ``override``: fields given instead of the pack's (same shape, y × x)."""
    grid = pack.raster("grid")
    xs = grid["x"].to_numpy().astype(float)
    ys = grid["y"].to_numpy().astype(float)
    cell = float(abs(xs[1] - xs[0])) if xs.size > 1 else float("nan")
    fields: dict[str, np.ndarray] = {}
    for name in ("lst_day", "tair_night", "share_65plus", "share_under6"):
        if name in grid.data_vars:
            fields[name] = grid[name].transpose("y", "x").to_numpy().astype(float)
    for name in ("tree_canopy", "imperviousness"):
        if name in grid.data_vars:
            fields[name] = grid[name].transpose("y", "x").to_numpy().astype(float)
    if "landcover" in grid.data_vars:
        cover = grid["landcover"].transpose("y", "x").to_numpy()
        valid = np.isfinite(cover.astype(float)) & (cover > 0)
        fields["green_300m"] = neighbourhood_share(
            np.isin(cover, GREEN_CODES), valid, NEAR_M / cell
        )
    if "population" in grid.data_vars:
        pop = grid["population"].transpose("y", "x").to_numpy().astype(float)
        fields["population"] = np.nan_to_num(pop, nan=0.0)
    for name, values in (override or {}).items():
        if name not in CHANGEABLE or name not in fields:
            raise ValueError(
                f"grid field {name!r} cannot be changed here; changeable fields this pack has: "
                + ", ".join(n for n in CHANGEABLE if n in fields)
            )
        array = np.asarray(values, dtype=float)
        if array.shape != fields[name].shape:
            raise ValueError(
                f"grid field {name!r}: expected shape {fields[name].shape}, found {array.shape}"
            )
        fields[name] = np.nan_to_num(array, nan=0.0) if name == "population" else array
    return fields, xs, ys, cell


def _facility_points(pack: CityPack) -> np.ndarray | None:
    if not pack.has("facilities"):
        return None
    pts = pack.metric("facilities").geometry
    return np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()]) if len(pts) else np.zeros((0, 2))


def cell_districts(pack: CityPack, gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """Index of the district holding each cell centre (-1: none)."""
    out = np.full(gx.shape, -1, dtype=np.int64)
    if not pack.has("districts"):
        return out
    for k, geom in enumerate(pack.metric("districts").geometry):
        out[shapely.contains_xy(geom, gx, gy) & (out < 0)] = k
    return out


@lru_cache(maxsize=8)
def grid_indicators(pack: CityPack) -> Indicators:
    """Indicators per populated grid cell (see the module docstring)."""
    return _grid_indicators(pack, None)


def grid_indicators_with(pack: CityPack, override: Mapping[str, np.ndarray]) -> Indicators:
    """The grid indicators with some fields changed (:data:`CHANGEABLE`, full y × x arrays):
    a scenario's indicators through the same code as the baseline's. Not cached."""
    return _grid_indicators(pack, override)


def _grid_indicators(pack: CityPack, override: Mapping[str, np.ndarray] | None) -> Indicators:
    if not pack.has("grid:population"):
        raise ValueError(
            "the grid level needs a population grid (grid variable 'population'); "
            "this pack has none — use the district level"
        )
    fields, xs, ys, cell = _grid_fields(pack, override)
    gx, gy = np.meshgrid(xs, ys)
    pop = fields["population"]
    rows, cols = np.nonzero(pop > 0)
    x, y = gx[rows, cols], gy[rows, cols]
    district = cell_districts(pack, x, y)
    ids, names = (
        (
            pack.metric("districts")["district_id"].astype(str).to_numpy(),
            pack.metric("districts")["name"].astype(str).to_numpy(),
        )
        if pack.has("districts")
        else (np.array([], dtype=str), np.array([], dtype=str))
    )
    frame = pd.DataFrame(
        {
            "unit_id": [f"r{r}c{c}" for r, c in zip(rows, cols, strict=True)],
            "row": rows,
            "col": cols,
            "x": x,
            "y": y,
            "district_id": [ids[d] if d >= 0 else "" for d in district],
            "population": pop[rows, cols],
        }
    )
    frame["name"] = [names[d] if d >= 0 else "" for d in district]
    for name in ("share_65plus", "share_under6"):
        if name in fields:
            frame[name] = fields[name][rows, cols]
    frame["pop_65plus"] = frame["population"] * frame.get("share_65plus", np.nan)
    frame["pop_under6"] = frame["population"] * frame.get("share_under6", np.nan)
    area_km2 = cell * cell / 1e6
    frame["density"] = frame["population"] / area_km2
    points = _facility_points(pack)
    if points is not None:
        counts = (
            np.array(
                [len(n) for n in cKDTree(points).query_ball_point(np.column_stack([x, y]), NEAR_M)]
            )
            if len(points)
            else np.zeros(len(x))
        )
        frame["facilities"] = counts / (np.pi * (NEAR_M / 1000.0) ** 2)
    for name in ("lst_day", "tair_night", "tree_canopy", "green_300m", "imperviousness"):
        if name in fields:
            frame[name] = fields[name][rows, cols]
    grid = pack.raster("grid")
    crs = raster_crs(grid)
    return _finish("grid", frame, cell, crs.to_wkt() if crs is not None else None)


@lru_cache(maxsize=8)
def district_indicators(pack: CityPack) -> Indicators:
    """Indicators per district (see the module docstring)."""
    metric = pack.metric("districts")
    area_km2 = metric.geometry.area.to_numpy() / 1e6
    population = metric["population"].astype(float).to_numpy()
    frame = pd.DataFrame(
        {
            "unit_id": metric["district_id"].astype(str).to_numpy(),
            "name": metric["name"].astype(str).to_numpy(),
            "population": population,
            "pop_65plus": metric["pop_65plus"].astype(float).to_numpy(),
            "area_km2": area_km2,
        }
    )
    frame["pop_under6"] = (
        metric["pop_under6"].astype(float).to_numpy() if "pop_under6" in metric.columns else np.nan
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["share_65plus"] = np.where(population > 0, frame["pop_65plus"] / population, np.nan)
        if "pop_under6" in metric.columns:
            frame["share_under6"] = np.where(
                population > 0, frame["pop_under6"] / population, np.nan
            )
        frame["density"] = population / area_km2
        if "unemployed" in metric.columns:
            frame["unemployment"] = np.where(
                population > 0, metric["unemployed"].astype(float).to_numpy() / population, np.nan
            )
    points = _facility_points(pack)
    if points is not None:
        counts = np.zeros(len(metric))
        if len(points):
            for k, geom in enumerate(metric.geometry):
                counts[k] = shapely.contains_xy(geom, points[:, 0], points[:, 1]).sum()
        frame["facilities"] = counts / area_km2
    if pack.has("grid"):
        fields, xs, ys, _cell = _grid_fields(pack)
        gx, gy = np.meshgrid(xs, ys)
        district = cell_districts(pack, gx, gy)
        weights = fields.get("population")
        for name in ("lst_day", "tair_night", "tree_canopy", "green_300m", "imperviousness"):
            if name not in fields:
                continue
            values = fields[name]
            out = np.full(len(metric), np.nan)
            for k in range(len(metric)):
                inside = (district == k) & np.isfinite(values)
                if not inside.any():
                    continue
                w = weights[inside] if weights is not None else None
                if w is not None and w.sum() > 0:
                    out[k] = float(np.average(values[inside], weights=w))
                else:
                    out[k] = float(values[inside].mean())
            frame[name] = out
        if "share_under6" not in frame.columns and "share_under6" in fields and weights is not None:
            frame["share_under6"] = _weighted_by_district(
                fields["share_under6"], weights, district, len(metric)
            )
    return _finish("district", frame, None, None)


def _weighted_by_district(
    values: np.ndarray, weights: np.ndarray, district: np.ndarray, n: int
) -> np.ndarray:
    out = np.full(n, np.nan)
    for k in range(n):
        inside = (district == k) & np.isfinite(values) & (weights > 0)
        if inside.any():
            out[k] = float(np.average(values[inside], weights=weights[inside]))
    return out


def _finish(level: str, frame: pd.DataFrame, cell: float | None, crs_wkt: str | None) -> Indicators:
    available = tuple(
        i
        for i in INDICATOR_IDS
        if i in frame.columns and np.isfinite(frame[i].to_numpy(float)).any()
    )
    missing = tuple(i for i in INDICATOR_IDS if i not in available)
    return Indicators(level, frame.reset_index(drop=True), available, missing, cell, crs_wkt)


def indicators(pack: CityPack, level: str) -> Indicators:
    """:func:`district_indicators` or :func:`grid_indicators` by ``level``."""
    if level == "district":
        return district_indicators(pack)
    if level == "grid":
        return grid_indicators(pack)
    raise ValueError(f"level {level!r} is not one of district, grid")
