"""The pack's grid: its lattice, a new grid over the city, and regridding onto it.

:func:`regrid` warps a :class:`~data.importers.rasters_report.RasterSource` onto the pack
grid's lattice with :func:`rasterio.warp.reproject` (GDAL resampling ``bilinear``,
``average`` or ``nearest``); :func:`new_grid` makes an empty CF grid over the city's
bounding box when the pack has none; :func:`load_grid` reads the pack's grid into memory.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from affine import Affine
from pyproj import CRS
from rasterio.crs import CRS as RioCRS
from rasterio.enums import Resampling
from rasterio.warp import reproject, transform_bounds

from data.catalog import City, Dataset
from data.importers.common import bbox_in_crs
from data.importers.rasters_report import (
    CRS_FLAG,
    DEFAULT_CELL_M,
    GENERATED_BY,
    GRID_ID,
    GRID_PATH,
    MAX_CELLS,
    METHODS,
    RasterError,
    RasterSource,
    Regridded,
)
from data.pack import crs_label, parse_crs, raster_crs

# encoding keys of an opened NetCDF variable worth keeping when the grid is written again
_KEEP_ENCODING = ("dtype", "_FillValue", "scale_factor", "add_offset", "units", "calendar")
#: Where a grid error lies (the pack's grid, not the input file).
GRID_WHERE = "the pack's grid"


# --- regridding ----------------------------------------------------------------------------


def grid_lattice(grid: xr.Dataset) -> tuple[Affine, int, int, CRS]:
    """The affine transform, size and CRS of a pack grid (x/y cell centres, y descending).

    Parameters
    ----------
    grid : xarray.Dataset
        With 1-D ``x`` and ``y`` coordinates of cell centres and a CRS
        (:func:`data.pack.raster_crs`, or ``attrs['crs']`` as set by :func:`data.pack.load_pack`).

    Returns
    -------
    tuple
        ``(transform, width, height, crs)``.

    Raises
    ------
    RasterError
        Without x/y coordinates, with irregular spacing or without a CRS.
    """
    for dim in ("x", "y"):
        if dim not in grid.coords:
            raise RasterError(
                f"the grid has no {dim!r} coordinate",
                where=GRID_WHERE,
                expected="x and y coordinates",
                found=", ".join(str(d) for d in grid.dims) or "no dimensions",
            )
    xs = np.asarray(grid["x"].values, dtype="float64")
    ys = np.asarray(grid["y"].values, dtype="float64")
    cell = grid.attrs.get("cell_size_m")
    steps = []
    for name, values in (("x", xs), ("y", ys)):
        if values.size >= 2:
            d = np.diff(values)
            if not np.allclose(d, d[0], rtol=1e-6, atol=0.0):
                raise RasterError(
                    f"the grid's {name} coordinates are not regularly spaced",
                    where=GRID_WHERE,
                    expected="equal steps",
                )
            steps.append(float(d[0]))
        elif cell is not None:
            steps.append(float(cell) if name == "x" else -float(cell))
        else:
            raise RasterError(
                f"the grid has a single {name} coordinate and no cell_size_m",
                where=GRID_WHERE,
                expected="two coordinates or a cell_size_m attribute",
            )
    dx, dy = steps
    if dx <= 0 or dy >= 0:
        raise RasterError(
            "the grid must have x ascending and y descending (north up)",
            where=GRID_WHERE,
            expected="x ascending, y descending",
            found=f"x step {dx:g}, y step {dy:g}",
        )
    crs = raster_crs(grid)
    if crs is None and "crs" in grid.attrs:
        crs = CRS.from_user_input(grid.attrs["crs"])
    if crs is None:
        raise RasterError(
            "the grid states no CRS",
            where=GRID_WHERE,
            expected="spatial_ref/crs_wkt",
            found="none",
        )
    transform = Affine(dx, 0.0, xs[0] - dx / 2, 0.0, dy, ys[0] - dy / 2)
    return transform, xs.size, ys.size, crs


def regrid(source: RasterSource, grid: xr.Dataset, method: str) -> Regridded:
    """Warp ``source`` onto the lattice of ``grid``.

    Parameters
    ----------
    source : RasterSource
        From :func:`read_raster`.
    grid : xarray.Dataset
        The pack grid (x/y cell centres, y descending, CRS in ``spatial_ref``).
    method : {"bilinear", "average", "nearest"}
        See the module docstring.

    Returns
    -------
    Regridded
        float32 values on the grid and the share of cells that got one.

    Raises
    ------
    RasterError
        For an unknown method, a grid without lattice or CRS, or no overlap between the
        raster's data and the grid.
    """
    if method not in METHODS:
        raise RasterError(
            f"unknown regridding method {method!r}; choose one of {', '.join(METHODS)}",
            expected=", ".join(METHODS),
            found=repr(method),
        )
    transform, width, height, grid_crs = grid_lattice(grid)
    destination = np.full((height, width), np.nan, dtype="float64")
    reproject(
        source=np.ascontiguousarray(source.values, dtype="float64"),
        destination=destination,
        src_transform=source.transform,
        src_crs=RioCRS.from_wkt(source.crs.to_wkt()),
        src_nodata=np.nan,
        dst_transform=transform,
        dst_crs=RioCRS.from_wkt(grid_crs.to_wkt()),
        dst_nodata=np.nan,
        resampling=Resampling[method],
    )
    values = destination.astype("float32")
    coverage = float(np.isfinite(values).mean()) if values.size else 0.0
    if coverage == 0.0:
        try:
            src_box = transform_bounds(
                RioCRS.from_wkt(source.crs.to_wkt()),
                RioCRS.from_wkt(grid_crs.to_wkt()),
                *source.bounds,
                densify_pts=21,
            )
            where = f"it covers {[round(v) for v in src_box]}"
        except Exception:  # a transform that fails outright is itself the answer
            where = "its extent cannot even be transformed into the grid's CRS"
        gx0, gy1 = transform @ (0, 0)
        gx1, gy0 = transform @ (width, height)
        has_data = bool(np.isfinite(source.values).any())
        raise RasterError(
            f"no overlap with the grid: {where} in {crs_label(grid_crs)}, the "
            f"grid covers {[round(v) for v in (gx0, gy0, gx1, gy1)]}"
            + ("" if has_data else " (and the raster holds no data at all)")
            + f"; is the raster's CRS ({crs_label(source.crs)}, from {source.crs_from}) right? "
            f"(state it with {CRS_FLAG})",
            file=source.file,
            expected="a raster overlapping the pack's grid",
            found="no grid cell with a value",
        )
    return Regridded(values=values, coverage=coverage, method=method)


# --- the grid ------------------------------------------------------------------------------


def new_grid(city: City, cell_size: float = DEFAULT_CELL_M) -> xr.Dataset:
    """An empty CF grid over the city's bounding box in its metric CRS.

    Cell centres lie on multiples of ``cell_size`` plus half a cell (x ascending, y
    descending); the CRS is written as a ``spatial_ref`` variable with ``crs_wkt``, as in
    :mod:`data.demo.grid`.

    Parameters
    ----------
    city : City
    cell_size : float
        Cell edge, metres.

    Returns
    -------
    xarray.Dataset
        Only coordinates and ``spatial_ref``; add variables with dims ``("y", "x")``.

    Raises
    ------
    RasterError
        For a non-positive cell size or more than ``MAX_CELLS`` cells.
    """
    if not (isinstance(cell_size, int | float) and math.isfinite(cell_size) and cell_size > 0):
        raise RasterError(
            "cell_size must be a positive number of metres",
            expected="a number > 0",
            found=repr(cell_size),
        )
    cell = float(cell_size)
    crs = parse_crs(city.metric_crs)
    x0, y0, x1, y1 = bbox_in_crs(city, crs)
    x0, y0 = math.floor(x0 / cell) * cell, math.floor(y0 / cell) * cell
    x1, y1 = math.ceil(x1 / cell) * cell, math.ceil(y1 / cell) * cell
    nx, ny = round((x1 - x0) / cell), round((y1 - y0) / cell)
    if nx * ny > MAX_CELLS:
        raise RasterError(
            f"a {cell:g} m grid over the city's bounding box would have {nx * ny:,} cells "
            f"(more than {MAX_CELLS:,}); choose a larger cell_size (CLI: --cell-size)",
            expected=f"at most {MAX_CELLS:,} cells",
            found=f"{nx * ny:,}",
        )
    xs = x0 + cell / 2 + cell * np.arange(nx)
    ys = y1 - cell / 2 - cell * np.arange(ny)
    cf = crs.to_cf()
    cf["crs_wkt"] = crs.to_wkt()
    cf["spatial_ref"] = crs.to_wkt()
    cf["GeoTransform"] = f"{x0} {cell} 0 {y1} 0 {-cell}"
    return xr.Dataset(
        {"spatial_ref": xr.DataArray(np.int32(0), attrs=cf)},
        coords={
            "x": ("x", xs, {"units": "m", "standard_name": "projection_x_coordinate"}),
            "y": ("y", ys, {"units": "m", "standard_name": "projection_y_coordinate"}),
        },
        attrs={
            "title": f"Allmende grid, {city.name}",
            "Conventions": "CF-1.8",
            "generated_by": GENERATED_BY,
            "cell_size_m": cell,
        },
    )


def grid_entry_new(
    city: City, cell: float, licence: str | None, attribution: str | None
) -> Dataset:
    return Dataset(
        id=GRID_ID,
        title={"de": f"Raster {cell:g} m", "en": f"{cell:g} m grid"},
        kind="raster",
        path=GRID_PATH,
        crs=city.metric_crs,
        licence=licence or "unknown",
        attribution=attribution or "not stated",
        generated_by=GENERATED_BY,
        description={
            "de": f"{cell:g}-m-Raster über das Begrenzungsrechteck der Stadt ({city.metric_crs}). "
            "Variablen kommen aus importierten Rastern; Herkunft, Einheit und "
            "Umrechnungsverfahren stehen in den Attributen jeder Variable.",
            "en": f"{cell:g} m grid over the city's bounding box ({city.metric_crs}). Variables "
            "come from imported rasters; source, unit and regridding method are recorded in "
            "each variable's attributes.",
        },
    )


def grid_entry_updated(
    entry: Dataset, variable: str, licence: str | None, attribution: str | None
) -> Dataset:
    """The grid's catalog entry with this variable's licence and attribution appended."""
    fields: dict[str, Any] = dict(entry.__dict__)
    if licence and licence not in entry.licence:
        fields["licence"] = f"{entry.licence}; {variable}: {licence}"
    if attribution and attribution not in entry.attribution:
        fields["attribution"] = f"{entry.attribution}; {variable}: {attribution}"
    return Dataset(**fields)


def load_grid(folder: Path, entry: Dataset) -> xr.Dataset:
    """The pack's grid, loaded into memory (the file is closed again)."""
    try:
        with xr.open_dataset(folder / entry.path) as opened:
            grid = opened.load()
    except Exception as err:  # netCDF4/h5 raise many types
        raise RasterError(f"cannot read the pack's grid: {err}", file=folder / entry.path) from err
    for name in grid.variables:
        enc = grid[name].encoding
        grid[name].encoding = {k: enc[k] for k in _KEEP_ENCODING if k in enc}
    if raster_crs(grid) is None and entry.crs:
        grid.attrs["crs"] = parse_crs(entry.crs).to_wkt()
    return grid


def cell_size_of(grid: xr.Dataset) -> float:
    xs = np.asarray(grid["x"].values, dtype="float64")
    if xs.size >= 2:
        return float(xs[1] - xs[0])
    return float(grid.attrs.get("cell_size_m", math.nan))
