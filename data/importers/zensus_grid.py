"""The census population on the pack's grid: ``grid`` variable ``population`` from the cells.

One source of truth: the Zensus cells as published are the ``census_grid`` dataset (EPSG:3035
squares with every variable of the file). The map layers, the heat vulnerability index on
grid cells and the justice view read the population from the pack's ``grid`` (NetCDF in the
city's metric CRS, one lattice for every gridded variable). So the census import derives
``grid:population`` from the cells it writes, in the same staged write: both come from the
same file or neither changes, and re-importing the census rewrites both.

Method (:func:`spread_onto_grid`): each census cell is taken into the grid's CRS (its edges
densified, so the square stays exact up to millimetres) and intersected with the grid cells;
a grid cell gets ``Σ population · area(census cell ∩ grid cell) / area(census cell)`` — the
people of a census cell spread evenly over its area. Persons are conserved: the sum over the
grid equals the census population minus what lies beyond the grid's edge (reported). Census
cells whose population is withheld (``NaN`` in ``census_grid``) add 0 persons to the grid, and
the import says how many there were. Grid cells no census cell covers get 0 persons: the
Zensus lists every inhabited cell, so a missing cell is an empty one — unless the file does
not reach that far, which the import reports as a share of the grid left uncovered.

A pack without a grid gets one over the city's bounding box (:func:`new_grid`, cell size
``cell_size``, default 100 m like ``allmende import raster``), so whichever import runs first,
later rasters are regridded onto the same lattice. A census coarser than the grid (the 1 km
file on a 100 m grid) shows its own cells as blocks of equal density: the variable's
``source_resolution_m`` attribute records the census resolution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
import xarray as xr

from data.catalog import Catalog, Dataset
from data.importers.rasters_grid import (
    cell_size_of,
    grid_entry_new,
    grid_entry_updated,
    grid_lattice,
    load_grid,
    new_grid,
)
from data.importers.rasters_report import DEFAULT_CELL_M, GRID_ID
from data.importers.zensus_report import (
    DATASET_ID,
    GENERATED_BY,
    LICENCE,
    ZENSUS_CRS,
    ZensusReport,
    resolution_label,
)

VARIABLE = "population"
#: How the census cells are spread over the grid (recorded as the variable's regrid_method).
METHOD = "area_weighted_sum"
#: Census cells intersected with the grid at once (bounds the memory of a fine grid).
_CHUNK = 2_000


@dataclass
class Spread:
    """The census population on the grid's lattice.

    Attributes
    ----------
    values : numpy.ndarray
        float32 persons per grid cell, shape ``(height, width)``, 0 where nobody lives.
    persons : float
        Persons in census cells with a known population.
    on_grid : float
        Persons that landed on the grid (``persons`` minus what lies beyond its edge).
    withheld : int
        Census cells with an unknown (withheld) population, counted as 0 persons.
    covered : float
        Share (0–1) of the grid's extent inside the census cells' extent.
    """

    values: np.ndarray
    persons: float
    on_grid: float
    withheld: int
    covered: float


@dataclass
class GridPlacement:
    """What the census import writes into the pack's grid, and what it says about it."""

    grid: xr.Dataset
    entry: Dataset
    created: bool
    spread: Spread
    cell_size: float
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line for the import summary."""
        s, how = self.spread, "a new" if self.created else "the pack's"
        beyond = s.persons - s.on_grid
        rest = f", {beyond:,.0f} beyond its edge" if beyond >= 0.5 else ""
        return (
            f"population on {how} {self.cell_size:g} m grid: {s.on_grid:,.0f} of "
            f"{s.persons:,.0f} persons{rest} (census cells spread evenly over their area)"
        )


def _cell_boxes(
    geoms: np.ndarray, grid: xr.Dataset
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, int]]:
    """Candidate pairs (census cell, grid cell): indices and the grid cells' boxes."""
    transform, width, height, _ = grid_lattice(grid)
    dx, dy, x0, y_top = transform.a, -transform.e, transform.c, transform.f
    bounds = shapely.bounds(geoms)
    col0 = np.clip(np.floor((bounds[:, 0] - x0) / dx), 0, width).astype(np.int64)
    col1 = np.clip(np.ceil((bounds[:, 2] - x0) / dx), 0, width).astype(np.int64)
    row0 = np.clip(np.floor((y_top - bounds[:, 3]) / dy), 0, height).astype(np.int64)
    row1 = np.clip(np.ceil((y_top - bounds[:, 1]) / dy), 0, height).astype(np.int64)
    ncol, nrow = col1 - col0, row1 - row0
    per_cell = ncol * nrow
    owner = np.repeat(np.arange(len(geoms)), per_cell)
    k = np.arange(per_cell.sum()) - np.repeat(np.cumsum(per_cell) - per_cell, per_cell)
    col = col0[owner] + k % np.maximum(ncol[owner], 1)
    row = row0[owner] + k // np.maximum(ncol[owner], 1)
    return owner, row, col, (height, width)


def spread_onto_grid(cells: gpd.GeoDataFrame, grid: xr.Dataset) -> Spread:
    """Spread the census ``population`` of ``cells`` over the lattice of ``grid``.

    Parameters
    ----------
    cells : geopandas.GeoDataFrame
        Census cells with ``population`` (persons, NaN where withheld), any CRS.
    grid : xarray.Dataset
        The pack grid (x/y cell centres, y descending, a CRS).

    Returns
    -------
    Spread
    """
    transform, width, height, crs = grid_lattice(grid)
    pop = cells["population"].to_numpy(dtype=float)
    known = np.isfinite(pop)
    populated = known & (pop > 0)
    src = cells.to_crs(ZENSUS_CRS).geometry.to_numpy()
    step = max(min(abs(transform.a), 100.0) / 4.0, 1.0)
    geoms = gpd.GeoSeries(shapely.segmentize(src, step), crs=ZENSUS_CRS).to_crs(crs).to_numpy()
    values = np.zeros(height * width, dtype="float64")
    chosen = np.flatnonzero(populated)
    start = 0
    while start < chosen.size:
        part = chosen[start : start + _CHUNK]
        start += part.size
        owner, row, col, _ = _cell_boxes(geoms[part], grid)
        left, top = transform.c + col * transform.a, transform.f + row * transform.e
        boxes = shapely.box(left, top + transform.e, left + transform.a, top)
        pieces = shapely.area(shapely.intersection(geoms[part][owner], boxes))
        share = pieces / shapely.area(geoms[part])[owner]
        np.add.at(values, row * width + col, pop[part][owner] * share)
    gx, gy = transform.c, transform.f
    extent = shapely.box(gx, gy + height * transform.e, gx + width * transform.a, gy)
    reach = shapely.box(*shapely.total_bounds(geoms)) if len(geoms) else shapely.Polygon()
    covered = float(shapely.area(shapely.intersection(extent, reach)) / shapely.area(extent))
    return Spread(
        values=values.reshape(height, width).astype("float32"),
        persons=float(pop[known].sum()),
        on_grid=float(values.sum()),
        withheld=int((~known).sum()),
        covered=covered,
    )


def _entry(catalog: Catalog, grid: xr.Dataset, created: bool, attribution: str) -> Dataset:
    """The grid's catalog entry: a new one naming both sources, or the pack's, extended."""
    if not created:
        return grid_entry_updated(catalog.get(GRID_ID), VARIABLE, LICENCE, attribution)
    entry = grid_entry_new(catalog.city, cell_size_of(grid), LICENCE, attribution)
    cell = f"{cell_size_of(grid):g}"
    return replace(
        entry,
        generated_by=GENERATED_BY,
        description={
            "de": f"{cell}-m-Raster über das Begrenzungsrechteck der Stadt "
            f"({catalog.city.metric_crs}), angelegt beim Import des Zensus: population = "
            "Einwohner je Zelle, aus den Zensus-Gitterzellen (census_grid) flächengewichtet "
            "verteilt. Weitere Variablen kommen aus importierten Rastern; Herkunft, Einheit "
            "und Verfahren stehen in den Attributen jeder Variable.",
            "en": f"{cell} m grid over the city's bounding box ({catalog.city.metric_crs}), "
            "created by the census import: population = residents per cell, spread from the "
            "census grid cells (census_grid) by area. Further variables come from imported "
            "rasters; source, unit and method are recorded in each variable's attributes.",
        },
    )


def place_population(
    folder: Path,
    catalog: Catalog,
    cells: gpd.GeoDataFrame,
    report: ZensusReport,
    cell_size: float | None,
    attribution: str,
) -> GridPlacement:
    """The pack's grid (or a new one) with the census ``population`` put on it.

    ``cell_size`` (metres) is used for a new grid only; with an existing grid it is ignored
    with a note. The grid's existing ``population`` is replaced (with a note).
    """
    notes: list[str] = []
    created = GRID_ID not in catalog.ids()
    if created:
        grid = new_grid(catalog.city, DEFAULT_CELL_M if cell_size is None else cell_size)
    else:
        grid = load_grid(folder, catalog.get(GRID_ID))
        if cell_size is not None and not math.isclose(cell_size, cell_size_of(grid)):
            notes.append(
                f"cell_size {cell_size:g} ignored: the pack's grid has "
                f"{cell_size_of(grid):g} m cells"
            )
        if VARIABLE in grid.data_vars:
            notes.append(f"replaced the grid's existing variable {VARIABLE!r} by the census")
    spread = spread_onto_grid(cells, grid)
    cell = cell_size_of(grid)
    if spread.withheld:
        notes.append(
            f"{spread.withheld} census cell(s) with a withheld population add 0 persons to the "
            f"grid (census_grid keeps them as unknown)"
        )
    if spread.covered < 0.99:
        notes.append(
            f"the census cells reach only {100 * spread.covered:.0f} % of the grid's extent; "
            "grid cells beyond them have 0 persons"
        )
    if report.resolution_m > cell * 1.5:
        notes.append(
            f"census cells of {resolution_label(report.resolution_m)} on {cell:g} m grid cells: "
            f"the population map is no finer than {resolution_label(report.resolution_m)}"
        )
    attrs: dict[str, object] = {
        "units": "persons",
        "long_name": "Residents per cell",
        "regrid_method": METHOD,
        "source_dataset": DATASET_ID,
        "source_file": report.file,
        "source_crs": ZENSUS_CRS,
        "source_resolution_m": int(report.resolution_m),
        "census_year": int(report.year),
        "withheld_cells": int(spread.withheld),
        "licence": LICENCE,
        "attribution": attribution,
        "generated_by": GENERATED_BY,
    }
    if "spatial_ref" in grid.variables:
        attrs["grid_mapping"] = "spatial_ref"
    grid[VARIABLE] = xr.DataArray(spread.values, dims=("y", "x"), attrs=attrs)
    grid[VARIABLE].encoding = {}
    return GridPlacement(
        grid=grid,
        entry=_entry(catalog, grid, created, attribution),
        created=created,
        spread=spread,
        cell_size=cell,
        notes=notes,
    )
