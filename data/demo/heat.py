"""Heat on the demo grid: how hot are the surfaces on a summer afternoon, and the air at night?

SYNTHETIC, not measured (FACTS.md section 8: no LST raster for Jena was available).
:func:`heat_fields` derives two plausible fields from the grid's terrain and surfaces
(:mod:`data.demo.grid`), for one hot, clear, calm summer day; both in °C, rounded to 0.1 K.

**lst_day** — land-surface temperature at about 14:00 (what a thermal satellite image of a
hot afternoon shows). Each cell is a mix of sealed surfaces, tree crowns and the rest::

    LST = i · 46 + c · 26 + (1 − i − c) · T_open(class)
          − 3.0 · exp(−d_water / 150 m) − 6.5 K/km · (z − 150 m) + noise

with imperviousness ``i``, tree canopy ``c`` (fractions), ``T_open`` the unsealed, untreed
rest by land cover (dense urban 36 °C: courtyards; open urban 33: gardens; industry 40:
gravel, ballast; park 31: lawns; farmland 37: ripe or harvested dry fields; forest 28:
shaded floor), ``d_water`` the distance to the nearest water cell (cooling by the river,
fading over ≈ 150 m), ``z`` the elevation. Water cells are 23.5 °C. The field is then
blended with its own Gaussian blur (75 % cell, 25 % σ = 100 m; a thermal pixel sees its
neighbours) and gets smooth seeded noise (0.8 K at σ = 200 m plus 0.4 K at σ = 70 m).

**tair_night** — air temperature 2 m above ground at about 04:00 of a calm, clear summer
night, when open land radiates, the cold air drains downslope and pools in valleys, and
the city keeps its heat::

    T = 18.0 + 4.5 · i_s + 1.0 · i + 0.8 · c + 0.8 · exp(−d_water / 100 m) − 1.0 · p
        − (1 − exp(−S / 30 ha)) · (1.5 + 3.5 · v) · (1 − 0.7 · i_s) + noise

* ``i_s`` — imperviousness smoothed over a few hundred metres (Gaussian σ = 300 m): the
  urban heat island; ``i`` the cell's own sealing; ``c`` tree canopy (crowns hold heat);
  ``d_water`` as above (the river stays warm at night);
* ``p`` — cold-air production of the cell: 1 on farmland/grassland, 0.7 in parks, 0
  elsewhere (forest, built-up land and water produce none); open land also cools itself;
* ``A`` — cold air flowing *into* a cell, in hectares of producing land upstream: with pits
  filled (priority flood), each cell passes its inflow plus its own production to its
  steepest-descent neighbour (D8), cells taken from the highest down, damped on the way by
  buildings and trees: a cell passes ``(1 − 0.8 · i) · (1 − 0.1 · c)`` of it, so dense
  built-up land blocks the flow (:func:`cold_air_inflow`);
* ``S`` — ``A`` spread sideways: the largest inflow within ±200 m, blurred (σ = 100 m), since
  drained air moves as a sheet, not in a one-cell channel;
* ``v`` — valley bottom, 0–1: how far the cell lies below the mean height of its
  surroundings (Gaussian σ = 1 km), 30 m or more counting fully. Moving cold air cools by
  up to 1.5 K, air that comes to rest in a bottom by up to 5 K, less where the city warms
  it (factor ``1 − 0.7 · i_s``);
* smooth seeded noise, 0.3 K at σ = 200 m.

No lapse rate at night: on such nights the valley inversion cancels it; the pooling term
carries the terrain. Measured on the default demo grid: LST 22–46 °C (forest ≈ 26, park
≈ 30, farmland ≈ 36, dense urban ≈ 42, industry ≈ 43; water ≈ 25); night air 11–23 °C
(open land below 200 m ≈ 14.5, farmland above 300 m ≈ 16.5, forest ≈ 18, dense urban
≈ 20).

Inputs and outputs are 2-D arrays on the grid (rows north to south, 100 m cells). The same
seed and grid give the same values; the noise uses its own random stream, so the other grid
variables do not change.
"""

from __future__ import annotations

import heapq

import numpy as np
from scipy.ndimage import distance_transform_edt, gaussian_filter, maximum_filter

__all__ = [
    "PRODUCTION",
    "cold_air_inflow",
    "d8_receivers",
    "fill_depressions",
    "heat_fields",
]

# land-cover codes of data.schemas.LANDCOVER_CLASSES (as in data.demo.grid)
DENSE, OPEN, INDUSTRY, PARK, FARM, FOREST, WATER = 1, 2, 3, 4, 5, 6, 7
#: Cold-air production (0–1) by land-cover code; everything else produces none.
PRODUCTION: dict[int, float] = {FARM: 1.0, PARK: 0.7}
# LST of the unsealed, untreed part of a cell by land cover, °C
_T_OPEN = {DENSE: 36.0, OPEN: 33.0, INDUSTRY: 40.0, PARK: 31.0, FARM: 37.0, FOREST: 28.0}
_T_SEALED, _T_TREE, _T_WATER = 46.0, 26.0, 23.5
_LAPSE_K_PER_M = 0.0065
_NIGHT_BASE = 18.0
_FLOW_K, _POOL_K, _POOL_HA = 1.5, 3.5, 30.0
_SPREAD_M, _RELIEF_M, _BOTTOM_M = 200.0, 1000.0, 30.0
# D8 neighbours (row offset, column offset)
_OFFSETS = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], sigma: float) -> np.ndarray:
    """Gaussian-filtered white noise with mean 0 and standard deviation 1."""
    field = gaussian_filter(rng.standard_normal(shape), sigma, mode="reflect")
    return (field - field.mean()) / field.std()


def fill_depressions(elevation: np.ndarray, epsilon: float = 1e-3) -> np.ndarray:
    """The elevation with every pit filled, so that water (or cold air) reaches the border.

    Priority flood (Barnes et al. 2014): cells are taken from the border inwards, lowest
    first; a neighbour lower than the cell it is reached from is raised to that cell's
    height plus ``epsilon`` metres, which leaves a tiny gradient across filled flats.
    """
    z = np.asarray(elevation, dtype=float)
    rows, cols = z.shape
    filled = z.ravel().copy()
    closed = np.zeros(z.size, dtype=bool)
    heap: list[tuple[float, int]] = []
    border = np.zeros(z.shape, dtype=bool)
    border[[0, -1], :] = True
    border[:, [0, -1]] = True
    for k in np.flatnonzero(border.ravel()).tolist():
        heap.append((filled[k], k))
        closed[k] = True
    heapq.heapify(heap)
    while heap:
        level, k = heapq.heappop(heap)
        r, c = divmod(k, cols)
        for dr, dc in _OFFSETS:
            rr, cc = r + dr, c + dc
            if 0 <= rr < rows and 0 <= cc < cols:
                j = rr * cols + cc
                if not closed[j]:
                    closed[j] = True
                    if filled[j] <= level:
                        filled[j] = level + epsilon
                    heapq.heappush(heap, (filled[j], j))
    return filled.reshape(z.shape)


def d8_receivers(elevation: np.ndarray, cell_m: float = 100.0) -> np.ndarray:
    """Flat index of each cell's steepest-descent neighbour (D8); −1 for pits and flats.

    The drop to a diagonal neighbour is divided by √2 · cell size. Cells on the border only
    look inside the grid.
    """
    z = np.asarray(elevation, dtype=float)
    rows, cols = z.shape
    padded = np.pad(z, 1, mode="constant", constant_values=np.inf)
    best = np.zeros(z.shape)
    receiver = np.full(z.shape, -1, dtype=np.int64)
    r_idx, c_idx = np.indices(z.shape)
    for dr, dc in _OFFSETS:
        neighbour = padded[1 + dr : 1 + dr + rows, 1 + dc : 1 + dc + cols]
        slope = (z - neighbour) / (cell_m * np.hypot(dr, dc))
        better = slope > best
        best = np.where(better, slope, best)
        receiver = np.where(better, (r_idx + dr) * cols + (c_idx + dc), receiver)
    return receiver


def cold_air_inflow(
    elevation: np.ndarray,
    landcover: np.ndarray,
    imperviousness: np.ndarray,
    tree_canopy: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cold air flowing into each cell, in hectares of producing land upstream.

    Returns
    -------
    inflow, production, passed
        2-D arrays: the inflow ``A`` (ha), each cell's own production ``p`` (0–1) and what
        it hands on to its receiver, ``(A + p) · (1 − 0.8 · i) · (1 − 0.1 · c)`` (ha).
    """
    cover = np.asarray(landcover)
    production = np.zeros(cover.shape)
    for code, value in PRODUCTION.items():
        production[cover == code] = value
    through = (1.0 - 0.8 * np.asarray(imperviousness, dtype=float)) * (
        1.0 - 0.1 * np.asarray(tree_canopy, dtype=float)
    )
    surface = fill_depressions(elevation)
    receiver = d8_receivers(surface).ravel()
    order = np.argsort(-surface.ravel(), kind="stable")
    inflow = [0.0] * receiver.size
    passed = [0.0] * receiver.size
    prod, keep, recv = production.ravel().tolist(), through.ravel().tolist(), receiver.tolist()
    for k in order.tolist():
        out = (inflow[k] + prod[k]) * keep[k]
        passed[k] = out
        if recv[k] >= 0:
            inflow[recv[k]] += out
    shape = cover.shape
    return np.array(inflow).reshape(shape), production, np.array(passed).reshape(shape)


def heat_fields(
    seed: int,
    elevation: np.ndarray,
    landcover: np.ndarray,
    imperviousness: np.ndarray,
    tree_canopy: np.ndarray,
    cell_m: float = 100.0,
) -> dict[str, np.ndarray]:
    """``lst_day`` and ``tair_night`` (°C, float32, 0.1 K) and the cold-air inflow (ha).

    Parameters
    ----------
    seed
        Seed of the noise (its own stream).
    elevation, landcover, imperviousness, tree_canopy
        The grid fields of :func:`data.demo.grid.build_grid` (m, codes, fractions 0–1).
    cell_m
        Cell size, metres.

    Returns
    -------
    dict
        ``lst_day``, ``tair_night`` (float32 °C) and ``cold_air_inflow`` (float64, ha).
    """
    rng = np.random.default_rng([seed, 0x4EA7])
    z = np.asarray(elevation, dtype=float)
    cover = np.asarray(landcover)
    imp = np.asarray(imperviousness, dtype=float)
    can = np.asarray(tree_canopy, dtype=float)
    shape = z.shape
    water = cover == WATER
    d_water = distance_transform_edt(~water) * cell_m if water.any() else np.full(shape, np.inf)

    # --- afternoon land-surface temperature
    t_open = np.zeros(shape)
    for code, value in _T_OPEN.items():
        t_open[cover == code] = value
    rest = np.clip(1.0 - imp - can, 0.0, 1.0)
    lst = imp * _T_SEALED + can * _T_TREE + rest * t_open
    lst = lst - 3.0 * np.exp(-d_water / 150.0) - _LAPSE_K_PER_M * (z - 150.0)
    lst[water] = _T_WATER
    lst = 0.75 * lst + 0.25 * gaussian_filter(lst, 1.0, mode="nearest")
    lst = lst + 0.8 * _smooth_noise(rng, shape, 2.0) + 0.4 * _smooth_noise(rng, shape, 0.7)

    # --- night air temperature with urban heat island and cold-air drainage
    imp_s = gaussian_filter(imp, 300.0 / cell_m, mode="nearest")
    inflow, production, _ = cold_air_inflow(z, cover, imp, can)
    # the drained air spreads sideways over ≈ 200 m: a sheet, not a one-cell channel
    spread = maximum_filter(inflow, size=2 * round(_SPREAD_M / cell_m) + 1, mode="nearest")
    supply = 1.0 - np.exp(-gaussian_filter(spread, 1.0, mode="nearest") / _POOL_HA)
    # and comes to rest where the ground lies below its surroundings (valley bottoms)
    relief = z - gaussian_filter(z, _RELIEF_M / cell_m, mode="nearest")
    bottom = np.clip(-relief / _BOTTOM_M, 0.0, 1.0)
    cold_air = supply * (_FLOW_K + _POOL_K * bottom) * (1.0 - 0.7 * imp_s)
    night = (
        _NIGHT_BASE
        + 4.5 * imp_s
        + 1.0 * imp
        + 0.8 * can
        + 0.8 * np.exp(-d_water / 100.0)
        - 1.0 * production
        - cold_air
        + 0.3 * _smooth_noise(rng, shape, 2.0)
    )
    return {
        "lst_day": np.round(lst, 1).astype(np.float32),
        "tair_night": np.round(night, 1).astype(np.float32),
        "cold_air_inflow": inflow,
    }
