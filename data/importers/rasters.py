"""What value does an external raster give each cell of the pack's grid?

Satellite products and climate model output (land-surface temperature, night-time air
temperature, imperviousness, …) come as GeoTIFF or NetCDF in their own CRS and resolution.
:func:`read_raster` reads one band of a GeoTIFF (rasterio) or one variable of a NetCDF file
(xarray) together with its georeferencing; :func:`regrid` warps it onto the pack grid's
lattice with :func:`rasterio.warp.reproject`; :func:`import_raster` stores the result as a
variable of the pack's ``grid`` dataset (NetCDF, ``grid.nc``) through
:func:`data.writer.staged_pack`, creating the grid over the city's bounding box when the pack
has none.

Regridding methods (GDAL resampling):

* ``bilinear`` — interpolates between the four nearest source pixel centres; for smooth
  fields (temperatures) and sources coarser than, or similar to, the grid.
* ``average`` — the mean of the source pixels falling into each grid cell (no-data pixels
  left out); for sources finer than the grid. On aligned lattices it conserves the mean.
* ``nearest`` — the source pixel under each cell centre; for class codes (land cover).

Units: values keep the source's unit, except with ``from_kelvin`` (K → °C, minus 273.15).
Coverage is the share (0–1) of grid cells that received a value. No-data pixels (the
GeoTIFF's nodata value, a NetCDF ``_FillValue``/``missing_value``) become ``NaN``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
import rasterio.errors
import xarray as xr
from affine import Affine
from pyproj import CRS
from pyproj.exceptions import CRSError
from rasterio.crs import CRS as RioCRS
from rasterio.enums import Resampling
from rasterio.warp import reproject, transform_bounds

from data.catalog import Catalog, City, Dataset
from data.importers.common import bbox_in_crs, read_pack_catalog, require_file, show_items
from data.pack import crs_label, parse_crs, raster_crs
from data.schemas import SCHEMAS, Column
from data.writer import staged_pack

METHODS = ("bilinear", "average", "nearest")
GRID_ID = "grid"
GRID_PATH = "grid.nc"
DEFAULT_CELL_M = 100.0
MAX_CELLS = 25_000_000  # a grid larger than this is almost certainly a mistake
KELVIN = 273.15
GENERATED_BY = "data/importers/rasters.py (allmende import raster)"
RESERVED = frozenset({"x", "y", "spatial_ref", "crs"})
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NETCDF_MAGIC = (b"CDF\x01", b"CDF\x02", b"\x89HDF\r\n\x1a\n")
_LON_NAMES = frozenset({"lon", "longitude", "long", "nav_lon"})
_LAT_NAMES = frozenset({"lat", "latitude", "nav_lat"})
_X_NAMES = frozenset({"x", "easting", "projection_x_coordinate", *_LON_NAMES})
_Y_NAMES = frozenset({"y", "northing", "projection_y_coordinate", *_LAT_NAMES})
# encoding keys of an opened NetCDF variable worth keeping when the grid is written again
_KEEP_ENCODING = ("dtype", "_FillValue", "scale_factor", "add_offset", "units", "calendar")


class RasterError(ValueError):
    """A raster cannot be read or regridded; the message names the file and the problem."""


class UnknownVariableError(RasterError):
    """A NetCDF file has no variable of the name asked for (``candidates`` lists those it has)."""

    def __init__(self, message: str, candidates: list[str]):
        self.candidates = candidates
        super().__init__(message)


@dataclass
class RasterSource:
    """One band of a raster file with its georeferencing.

    Attributes
    ----------
    values : numpy.ndarray
        2-D float64, ``NaN`` where there is no data; row 0 is the northern edge.
    transform : affine.Affine
        Pixel (col, row) → CRS coordinates of the pixel's corner.
    crs : pyproj.CRS
    file : str
        File name.
    band : int
        1-based band (GeoTIFF) or index along the extra dimension (NetCDF).
    variable : str or None
        NetCDF variable read.
    units : str
        As the file states (``""`` if it does not).
    crs_from : str
        Where the CRS came from: ``"file"``, ``"lat/lon coordinates"`` or ``"source_crs"``.
    warnings : list of str
    """

    values: np.ndarray
    transform: Affine
    crs: CRS
    file: str
    band: int = 1
    variable: str | None = None
    units: str = ""
    crs_from: str = "file"
    warnings: list[str] = field(default_factory=list)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(minx, miny, maxx, maxy)`` in the raster's CRS."""
        rows, cols = self.values.shape
        xs, ys = zip(*(self.transform @ (c, r) for c, r in ((0, 0), (cols, rows))), strict=True)
        return min(xs), min(ys), max(xs), max(ys)


@dataclass
class Regridded:
    """A raster on the grid's lattice.

    Attributes
    ----------
    values : numpy.ndarray
        float32, shape ``(len(grid.y), len(grid.x))``, ``NaN`` where no data.
    coverage : float
        Share (0–1) of grid cells with a value.
    method : str
    """

    values: np.ndarray
    coverage: float
    method: str


@dataclass
class RasterImportResult:
    """What :func:`import_raster` wrote.

    Attributes
    ----------
    pack : Path
    variable : str
        The grid variable written.
    method : str
        Regridding method.
    coverage : float
        Share (0–1) of grid cells with a value.
    n_cells : int
        Cells of the grid.
    cell_size : float
        Grid cell edge, metres.
    grid_crs, source_crs : str
        CRS labels.
    units : str
    value_range : tuple of float
        Minimum and maximum written (NaN if none).
    created_grid : bool
        Whether the grid was created by this import.
    source : RasterSource
        The raster as read (file, band, variable, CRS and where it came from).
    warnings : list of str
    """

    pack: Path
    variable: str
    method: str
    coverage: float
    n_cells: int
    cell_size: float
    grid_crs: str
    source_crs: str
    units: str
    value_range: tuple[float, float]
    created_grid: bool
    source: RasterSource
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A human-readable summary."""
        src = self.source
        what = f"{src.file} ({f'variable {src.variable}, ' if src.variable else ''}band {src.band})"
        lo, hi = self.value_range
        unit = f" {self.units}" if self.units else ""
        out = []
        if self.created_grid:
            out.append(
                f"created the grid: {self.n_cells} cells of {self.cell_size:g} m over the city's "
                f"bounding box ({self.grid_crs})"
            )
        out.append(
            f"{self.variable}: {self.method} regridding of {what}, {self.source_crs} "
            f"(CRS from {src.crs_from}) onto {self.n_cells} cells of {self.cell_size:g} m "
            f"({self.grid_crs})"
        )
        values = f"values {lo:.4g} to {hi:.4g}{unit}" if math.isfinite(lo) else "no values"
        out.append(f"coverage {100 * self.coverage:.1f} % of the grid cells; {values}")
        out.extend(f"warning: {w}" for w in [*src.warnings, *self.warnings])
        return out


# --- reading -------------------------------------------------------------------------------


def is_netcdf(path: Path) -> bool:
    """Whether ``path`` is a NetCDF (classic or HDF5-based) file, by its first bytes.

    Parameters
    ----------
    path : Path

    Returns
    -------
    bool
    """
    with open(path, "rb") as fh:
        head = fh.read(8)
    return head.startswith(_NETCDF_MAGIC)


def _settle_crs(
    file_crs: CRS | None, source_crs: str | None, name: str, where: str, warnings: list[str]
) -> tuple[CRS, str]:
    """The CRS to use and where it came from; raise if there is none."""
    given = None
    if source_crs is not None:
        try:
            given = parse_crs(source_crs)
        except ValueError as err:
            raise RasterError(f"source_crs: {err}") from None
    if file_crs is not None:
        if given is not None and not file_crs.equals(given, ignore_axis_order=True):
            warnings.append(
                f"{name} states its CRS ({crs_label(file_crs)}); source_crs {source_crs} was "
                "ignored"
            )
        return file_crs, where
    if given is None:
        raise RasterError(
            f"{name}: the raster states no CRS; pass source_crs (CLI: --source-crs), e.g. "
            "'EPSG:3035' for ETRS89-LAEA metres or 'EPSG:4326' for lon/lat"
        )
    return given, "source_crs"


def _read_gdal(path: Path, band: int, source_crs: str | None) -> RasterSource:
    name = path.name
    warnings: list[str] = []
    try:
        src = rasterio.open(path)
    except rasterio.errors.RasterioIOError as err:
        raise RasterError(
            f"{name}: not a raster file (expected GeoTIFF or NetCDF); GDAL says: {err}"
        ) from None
    with src:
        if src.count < 1:
            raise RasterError(f"{name}: the raster has no bands")
        if not 1 <= band <= src.count:
            raise RasterError(
                f"{name}: band {band} out of range; the file has {src.count} band(s), "
                f"numbered 1 to {src.count}"
            )
        if src.transform == Affine.identity():
            if src.gcps[0]:
                raise RasterError(
                    f"{name}: the raster is georeferenced by ground control points only; "
                    "warp it to a regular grid first (e.g. gdalwarp)"
                )
            raise RasterError(
                f"{name}: the raster has no georeferencing (no geotransform); "
                "is it a plain image rather than a GeoTIFF?"
            )
        file_crs = CRS.from_wkt(src.crs.to_wkt()) if src.crs is not None else None
        crs, crs_from = _settle_crs(file_crs, source_crs, name, "file", warnings)
        data = src.read(band, masked=True).astype("float64")
        values = np.ma.filled(data, np.nan)
        scale, offset = src.scales[band - 1], src.offsets[band - 1]
        if scale not in (None, 1.0) or offset not in (None, 0.0):
            values = values * (scale if scale is not None else 1.0) + (offset or 0.0)
        units = (src.units[band - 1] or "") if src.units else ""
        return RasterSource(
            values=values,
            transform=src.transform,
            crs=crs,
            file=name,
            band=band,
            units=units,
            crs_from=crs_from,
            warnings=warnings,
        )


def _candidates(ds: xr.Dataset) -> list[str]:
    """Data variables with at least two dimensions (the ones a grid can come from)."""
    return [str(v) for v in ds.data_vars if ds[v].ndim >= 2]


def _netcdf_crs(ds: xr.Dataset, var: xr.DataArray) -> CRS | None:
    """The CRS a NetCDF variable states: its grid mapping, else a crs/epsg attribute."""
    mapping = var.attrs.get("grid_mapping")
    if isinstance(mapping, str) and mapping.split(":")[0].strip() in ds.variables:
        attrs = ds[mapping.split(":")[0].strip()].attrs
        for key in ("crs_wkt", "spatial_ref"):
            if key in attrs:
                return CRS.from_wkt(str(attrs[key]))
        try:
            return CRS.from_cf(dict(attrs))
        except CRSError:
            pass
    for attrs in (var.attrs, ds.attrs):
        for key in ("crs_wkt", "spatial_ref", "crs", "epsg", "EPSG"):
            if key in attrs:
                text = str(attrs[key]).strip()
                if text.isdigit():  # epsg = 3035
                    return CRS.from_epsg(int(text))
                return CRS.from_user_input(text)
    return raster_crs(ds)


def _axis(ds: xr.Dataset, dim: str, name: str, var: str) -> tuple[np.ndarray, float]:
    """A dimension's coordinate values and their (regular) spacing."""
    if dim not in ds.coords:
        raise RasterError(
            f"{name}: variable {var!r} has no coordinate values for dimension {dim!r}"
        )
    values = np.asarray(ds[dim].values, dtype="float64")
    if values.ndim != 1 or values.size < 2:
        raise RasterError(
            f"{name}: dimension {dim!r} needs at least two coordinate values to tell the cell size"
        )
    steps = np.diff(values)
    if not np.allclose(steps, steps[0], rtol=1e-6, atol=0.0) or steps[0] == 0:
        raise RasterError(
            f"{name}: coordinate {dim!r} is not regularly spaced (steps {steps.min():g} to "
            f"{steps.max():g}); only regular grids can be regridded"
        )
    return values, float(steps[0])


def _read_netcdf(
    path: Path, variable: str | None, band: int, source_crs: str | None
) -> RasterSource:
    name = path.name
    warnings: list[str] = []
    try:
        opened = xr.open_dataset(path, decode_times=False)
    except Exception as err:  # netCDF4/h5netcdf raise many types
        raise RasterError(f"{name}: cannot read as NetCDF: {err}") from None
    with opened as ds:
        candidates = _candidates(ds)
        if variable is None:
            if len(candidates) != 1:
                raise UnknownVariableError(
                    f"{name}: holds {len(candidates)} gridded variables "
                    f"({show_items(candidates) or 'none'}); say which one to read "
                    "(CLI: --source-variable)",
                    candidates,
                )
            variable = candidates[0]
        elif variable not in ds.data_vars:
            raise UnknownVariableError(
                f"{name}: no variable {variable!r}; variables: "
                f"{show_items(candidates) or 'none with two dimensions'}",
                candidates,
            )
        var = ds[variable]
        if var.ndim < 2:
            raise RasterError(
                f"{name}: variable {variable!r} has {var.ndim} dimension(s); a raster needs "
                f"y and x (gridded variables: {show_items(candidates) or 'none'})"
            )
        ydim, xdim = (str(d) for d in var.dims[-2:])
        extra = [str(d) for d in var.dims[:-2]]
        big = [d for d in extra if var.sizes[d] > 1]
        if len(big) > 1:
            raise RasterError(
                f"{name}: variable {variable!r} has several extra dimensions "
                f"({', '.join(f'{d}={var.sizes[d]}' for d in big)}); only one can be chosen "
                "by band"
            )
        n_bands = var.sizes[big[0]] if big else 1
        if not 1 <= band <= n_bands:
            along = f" along {big[0]!r}" if big else ""
            raise RasterError(
                f"{name}: band {band} out of range; variable {variable!r} has {n_bands} "
                f"band(s){along}, numbered 1 to {n_bands}"
            )
        selection = {d: (band - 1 if d in big else 0) for d in extra}
        field_ = var.isel(selection)
        values = np.asarray(field_.values, dtype="float64")
        xs, dx = _axis(ds, xdim, name, variable)
        ys, dy = _axis(ds, ydim, name, variable)
        if dx < 0:
            values, xs, dx = values[:, ::-1], xs[::-1], -dx
        if dy > 0:
            values, ys, dy = values[::-1, :], ys[::-1], -dy
        try:
            file_crs = _netcdf_crs(ds, var)
        except (CRSError, ValueError) as err:
            raise RasterError(
                f"{name}: the CRS stated in the file cannot be parsed: {err}"
            ) from None
        where = "file"
        if file_crs is None and xdim.lower() in _LON_NAMES and ydim.lower() in _LAT_NAMES:
            file_crs, where = CRS.from_epsg(4326), "lat/lon coordinates"
        if file_crs is None and (xdim.lower() not in _X_NAMES or ydim.lower() not in _Y_NAMES):
            warnings.append(
                f"dimensions {ydim!r}, {xdim!r} were taken as y and x (the last two dimensions)"
            )
        crs, crs_from = _settle_crs(file_crs, source_crs, name, where, warnings)
        transform = Affine(dx, 0.0, xs[0] - dx / 2, 0.0, dy, ys[0] - dy / 2)
        return RasterSource(
            values=values,
            transform=transform,
            crs=crs,
            file=name,
            band=band,
            variable=variable,
            units=str(var.attrs.get("units", "")),
            crs_from=crs_from,
            warnings=warnings,
        )


def read_raster(
    path: Path | str,
    variable: str | None = None,
    band: int = 1,
    source_crs: str | None = None,
) -> RasterSource:
    """Read one band of a GeoTIFF or one variable of a NetCDF file.

    Parameters
    ----------
    path : Path or str
        GeoTIFF (or any raster GDAL reads) or NetCDF (recognised by its first bytes).
    variable : str, optional
        NetCDF variable. Default: the only variable with two or more dimensions. Ignored
        (with a warning) for other formats.
    band : int
        1-based band of a GeoTIFF; for a NetCDF variable with a third dimension (time,
        band) the 1-based index along it.
    source_crs : str, optional
        CRS of a file that states none (e.g. ``"EPSG:3035"``). Never overrides a stated CRS.
        A NetCDF CRS is taken from the variable's ``grid_mapping`` variable (``crs_wkt`` or
        ``spatial_ref`` attribute, or CF grid-mapping parameters), else a ``crs``/``epsg``
        attribute, else ``lat``/``lon`` coordinate names (EPSG:4326).

    Returns
    -------
    RasterSource

    Raises
    ------
    RasterError
        (a ``ValueError``) for a missing file, a file that is not a raster, no CRS, a band
        out of range, an unknown NetCDF variable (:class:`UnknownVariableError`, listing
        the variables) or irregular coordinates.
    """
    path = Path(path)
    try:
        require_file(path, "raster")
    except ValueError as err:
        raise RasterError(str(err)) from None
    if isinstance(band, bool) or not isinstance(band, int | np.integer) or band < 1:
        raise RasterError(f"band must be a whole number from 1, got {band!r}")
    if is_netcdf(path):
        return _read_netcdf(path, variable, int(band), source_crs)
    source = _read_gdal(path, int(band), source_crs)
    if variable is not None:
        source.warnings.append(f"variable {variable!r} ignored: {path.name} is not NetCDF")
    return source


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
            raise RasterError(f"the grid has no {dim!r} coordinate; dimensions: {list(grid.dims)}")
    xs = np.asarray(grid["x"].values, dtype="float64")
    ys = np.asarray(grid["y"].values, dtype="float64")
    cell = grid.attrs.get("cell_size_m")
    steps = []
    for name, values in (("x", xs), ("y", ys)):
        if values.size >= 2:
            d = np.diff(values)
            if not np.allclose(d, d[0], rtol=1e-6, atol=0.0):
                raise RasterError(f"the grid's {name} coordinates are not regularly spaced")
            steps.append(float(d[0]))
        elif cell is not None:
            steps.append(float(cell) if name == "x" else -float(cell))
        else:
            raise RasterError(f"the grid has a single {name} coordinate and no cell_size_m")
    dx, dy = steps
    if dx <= 0 or dy >= 0:
        raise RasterError("the grid must have x ascending and y descending (north up)")
    crs = raster_crs(grid)
    if crs is None and "crs" in grid.attrs:
        crs = CRS.from_user_input(grid.attrs["crs"])
    if crs is None:
        raise RasterError("the grid states no CRS (spatial_ref/crs_wkt)")
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
            f"unknown regridding method {method!r}; choose one of {', '.join(METHODS)}"
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
            f"{source.file}: no overlap with the grid: {where} in {crs_label(grid_crs)}, the "
            f"grid covers {[round(v) for v in (gx0, gy0, gx1, gy1)]}"
            + ("" if has_data else " (and the raster holds no data at all)")
            + f"; is the raster's CRS ({crs_label(source.crs)}, from {source.crs_from}) right?"
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
        raise RasterError(f"cell_size must be a positive number of metres, got {cell_size!r}")
    cell = float(cell_size)
    crs = parse_crs(city.metric_crs)
    x0, y0, x1, y1 = bbox_in_crs(city, crs)
    x0, y0 = math.floor(x0 / cell) * cell, math.floor(y0 / cell) * cell
    x1, y1 = math.ceil(x1 / cell) * cell, math.ceil(y1 / cell) * cell
    nx, ny = round((x1 - x0) / cell), round((y1 - y0) / cell)
    if nx * ny > MAX_CELLS:
        raise RasterError(
            f"a {cell:g} m grid over the city's bounding box would have {nx * ny:,} cells "
            f"(more than {MAX_CELLS:,}); choose a larger cell_size (CLI: --cell-size)"
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


def _grid_entry_new(
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


def _grid_entry_updated(
    entry: Dataset, variable: str, licence: str | None, attribution: str | None
) -> Dataset:
    """The grid's catalog entry with this variable's licence and attribution appended."""
    fields: dict[str, Any] = dict(entry.__dict__)
    if licence and licence not in entry.licence:
        fields["licence"] = f"{entry.licence}; {variable}: {licence}"
    if attribution and attribution not in entry.attribution:
        fields["attribution"] = f"{entry.attribution}; {variable}: {attribution}"
    return Dataset(**fields)


def _load_grid(folder: Path, entry: Dataset) -> xr.Dataset:
    """The pack's grid, loaded into memory (the file is closed again)."""
    try:
        with xr.open_dataset(folder / entry.path) as opened:
            grid = opened.load()
    except Exception as err:  # netCDF4/h5 raise many types
        raise RasterError(f"cannot read the pack's grid {entry.path!r}: {err}") from None
    for name in grid.variables:
        enc = grid[name].encoding
        grid[name].encoding = {k: enc[k] for k in _KEEP_ENCODING if k in enc}
    if raster_crs(grid) is None and entry.crs:
        grid.attrs["crs"] = parse_crs(entry.crs).to_wkt()
    return grid


def _cell_size(grid: xr.Dataset) -> float:
    xs = np.asarray(grid["x"].values, dtype="float64")
    if xs.size >= 2:
        return float(xs[1] - xs[0])
    return float(grid.attrs.get("cell_size_m", math.nan))


# --- checks on the values --------------------------------------------------------------------


def _schema_column(variable: str) -> Column | None:
    for col in SCHEMAS[GRID_ID].columns:
        if col.name == variable:
            return col
    return None


def _check_name(variable: str, method: str) -> Column | None:
    """Raise for a bad target name or method; return the schema column, if any."""
    if not isinstance(variable, str) or not _NAME_RE.fullmatch(variable):
        raise RasterError(
            f"variable name {variable!r} must be letters, digits and underscores (e.g. lst_day)"
        )
    if variable in RESERVED:
        raise RasterError(f"variable name {variable!r} is reserved ({', '.join(sorted(RESERVED))})")
    if method not in METHODS:
        raise RasterError(
            f"unknown regridding method {method!r}; choose one of {', '.join(METHODS)}"
        )
    col = _schema_column(variable)
    if col is not None and col.dtype == "int" and method != "nearest":
        raise RasterError(
            f"{variable!r} holds class codes; regrid it with method 'nearest', not {method!r}"
        )
    return col


def _check_values(
    values: np.ndarray,
    coverage: float,
    variable: str,
    col: Column | None,
    source: RasterSource,
    from_kelvin: bool,
) -> None:
    """Raise when the values cannot go into the grid (range, Kelvin, missing cells)."""
    finite = values[np.isfinite(values)]
    if col is None or finite.size == 0:
        return
    lo, hi = float(finite.min()), float(finite.max())
    if (col.min is not None and lo < col.min) or (col.max is not None and hi > col.max):
        hint = ""
        if col.unit == "°C" and not from_kelvin and lo > 150.0:
            stated = f" (the file says units {source.units!r})" if source.units else ""
            hint = (
                f"; these look like Kelvin{stated}: pass from_kelvin=True "
                "(CLI: --from-kelvin) to convert to °C"
            )
        unit = f" {col.unit}" if col.unit else ""
        raise RasterError(
            f"{source.file}: {variable!r} must lie within [{col.min}, {col.max}]{unit}, but the "
            f"regridded values span {lo:.4g} to {hi:.4g}{hint}"
        )
    if not col.allow_missing and coverage < 1.0:
        raise RasterError(
            f"{source.file}: {variable!r} may not have missing cells, but the raster gives only "
            f"{100 * coverage:.1f} % of the grid cells a value (the rest lies outside it or is "
            "no-data)"
        )


# --- the import ----------------------------------------------------------------------------


def _read_for_import(
    path: Path, variable: str, source_variable: str | None, band: int, source_crs: str | None
) -> RasterSource:
    """Read the raster; a NetCDF variable named like the target is preferred."""
    if source_variable is not None or not path.is_file() or not is_netcdf(path):
        return read_raster(path, source_variable, band, source_crs)
    try:
        return read_raster(path, variable, band, source_crs)
    except UnknownVariableError as err:
        if len(err.candidates) == 1:
            return read_raster(path, err.candidates[0], band, source_crs)
        raise UnknownVariableError(
            f"{path.name}: no variable {variable!r}; variables: "
            f"{show_items(err.candidates) or 'none with two dimensions'}; say which one to read "
            "with source_variable (CLI: --source-variable)",
            err.candidates,
        ) from None


def import_raster(
    pack_folder: Path | str,
    path: Path | str,
    variable: str,
    method: str = "bilinear",
    band: int = 1,
    source_crs: str | None = None,
    from_kelvin: bool = False,
    cell_size: float | None = None,
    *,
    source_variable: str | None = None,
    licence: str | None = None,
    attribution: str | None = None,
) -> RasterImportResult:
    """Regrid a raster onto the pack's grid and store it as the grid variable ``variable``.

    Parameters
    ----------
    pack_folder : Path or str
        An existing city pack.
    path : Path or str
        GeoTIFF or NetCDF (see :func:`read_raster`).
    variable : str
        Name of the grid variable to add or replace, e.g. ``"lst_day"``. Known variables
        (:data:`data.schemas.SCHEMAS` ``["grid"]``) are range-checked.
    method : {"bilinear", "average", "nearest"}
        Regridding method (see the module docstring).
    band : int
        1-based band (GeoTIFF) or index along a NetCDF variable's extra dimension.
    source_crs : str, optional
        CRS of a raster that states none.
    from_kelvin : bool
        Convert from Kelvin to °C (subtract 273.15).
    cell_size : float, optional
        Cell edge (metres) of a new grid, when the pack has none (default 100). Ignored,
        with a warning, when the pack has a grid.
    source_variable : str, optional
        NetCDF variable to read. Default: the one named ``variable``, else the file's only
        gridded variable.
    licence, attribution : str, optional
        Of the raster: recorded in the variable's attributes and appended to the grid's
        catalog entry.

    Returns
    -------
    RasterImportResult

    Raises
    ------
    ValueError
        :class:`RasterError` for bad input (not a raster, no CRS, band out of range,
        unknown NetCDF variable, unknown method, no overlap, values out of the schema's
        range — with a ``from_kelvin`` hint for Kelvin given as °C); a folder that is not a
        pack; :class:`data.pack.PackError` if the result does not validate. The pack is
        unchanged in every case.
    """
    folder, path = Path(pack_folder), Path(path)
    col = _check_name(variable, method)
    if from_kelvin and col is not None and col.unit != "°C":
        raise RasterError(
            f"from_kelvin converts temperatures to °C, but {variable!r} is in "
            f"{col.unit or 'no unit'}; leave out from_kelvin (CLI: --from-kelvin)"
        )
    catalog: Catalog = read_pack_catalog(folder)
    city = catalog.city
    warnings: list[str] = []
    created = GRID_ID not in catalog.ids()
    if created:
        grid = new_grid(city, DEFAULT_CELL_M if cell_size is None else cell_size)
        known = {c.name for c in SCHEMAS[GRID_ID].columns}
        if variable not in known:
            raise RasterError(
                f"the pack has no grid yet, and a new grid needs at least one known variable "
                f"({', '.join(sorted(known))}); {variable!r} is not one — import one of those "
                "first"
            )
        entry = _grid_entry_new(city, float(grid.attrs["cell_size_m"]), licence, attribution)
    else:
        old_entry = catalog.get(GRID_ID)
        grid = _load_grid(folder, old_entry)
        entry = _grid_entry_updated(old_entry, variable, licence, attribution)
        if cell_size is not None and not math.isclose(cell_size, _cell_size(grid)):
            warnings.append(
                f"cell_size {cell_size:g} ignored: the pack's grid has {_cell_size(grid):g} m cells"
            )
        if variable in grid.data_vars:
            warnings.append(f"replaced the grid's existing variable {variable!r}")
    source = _read_for_import(path, variable, source_variable, band, source_crs)
    result = regrid(source, grid, method)
    values = result.values
    if from_kelvin:
        finite = values[np.isfinite(values)]
        if finite.size and float(finite.min()) < 100.0:
            raise RasterError(
                f"{source.file}: from_kelvin was asked for, but values go down to "
                f"{float(finite.min()):.4g}, which is not a plausible temperature in Kelvin; "
                "leave out from_kelvin (CLI: --from-kelvin) if the values are °C"
            )
        values = (values - KELVIN).astype("float32")
    _check_values(values, result.coverage, variable, col, source, from_kelvin)
    units = "°C" if from_kelvin else (col.unit if col is not None and col.unit else source.units)
    if not licence and not created:
        warnings.append(
            "licence of the raster not stated; the grid's catalog entry keeps its own licence"
        )
    grid_mapping = "spatial_ref" if "spatial_ref" in grid.variables else None
    attrs: dict[str, Any] = {
        "units": units,
        "regrid_method": method,
        "source_file": source.file,
        "source_crs": crs_label(source.crs),
        "source_band": int(source.band),
        "coverage": round(result.coverage, 6),
        "generated_by": GENERATED_BY,
    }
    if source.variable:
        attrs["source_variable"] = source.variable
    if source.units:
        attrs["source_units"] = source.units
    if from_kelvin:
        attrs["conversion"] = "K to °C: value - 273.15"
    if licence:
        attrs["licence"] = licence
    if attribution:
        attrs["attribution"] = attribution
    if grid_mapping:
        attrs["grid_mapping"] = grid_mapping
    grid[variable] = xr.DataArray(values, dims=("y", "x"), attrs=attrs)
    grid[variable].encoding = {}
    with staged_pack(folder) as stage:
        stage.put_raster(entry, grid)
    finite = values[np.isfinite(values)]
    value_range = (
        (float(finite.min()), float(finite.max())) if finite.size else (math.nan, math.nan)
    )
    _, width, height, grid_crs = grid_lattice(grid)
    return RasterImportResult(
        pack=folder,
        variable=variable,
        method=method,
        coverage=result.coverage,
        n_cells=width * height,
        cell_size=_cell_size(grid),
        grid_crs=crs_label(grid_crs),
        source_crs=crs_label(source.crs),
        units=units,
        value_range=value_range,
        created_grid=created,
        source=source,
        warnings=warnings,
    )
