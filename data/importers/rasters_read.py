"""Reading one band of a GeoTIFF (rasterio) or one variable of a NetCDF file (xarray).

:func:`read_raster` returns the band as float64 with NaN for no-data, its affine transform
(row 0 = northern edge) and its CRS. The CRS follows the one rule of
:func:`data.importers.base.settle_crs`: a CRS given with ``source_crs`` (CLI
``--source-crs``) wins, and a raster stating another is reported as a warning; a raster
stating none, without ``source_crs``, is an error saying how to state it. A NetCDF file
states its CRS through the variable's ``grid_mapping`` variable (``crs_wkt`` or
``spatial_ref`` attribute, or CF grid-mapping parameters), a ``crs``/``epsg`` attribute, or
``lat``/``lon`` coordinate names (EPSG:4326).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import rasterio
import rasterio.errors
import xarray as xr
from affine import Affine
from pyproj import CRS
from pyproj.exceptions import CRSError

from data.importers.base import ImporterError, settle_crs, with_file
from data.importers.common import show_items
from data.importers.rasters_report import (
    CRS_FLAG,
    RasterError,
    RasterSource,
    UnknownVariableError,
    as_raster_error,
)
from data.pack import raster_crs

_NETCDF_MAGIC = (b"CDF\x01", b"CDF\x02", b"\x89HDF\r\n\x1a\n")
_LON_NAMES = frozenset({"lon", "longitude", "long", "nav_lon"})
_LAT_NAMES = frozenset({"lat", "latitude", "nav_lat"})
_X_NAMES = frozenset({"x", "easting", "projection_x_coordinate", *_LON_NAMES})
_Y_NAMES = frozenset({"y", "northing", "projection_y_coordinate", *_LAT_NAMES})


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


def _settle(
    declared: CRS | None, source_crs: str | None, path: Path, where: str, warnings: list[str]
) -> tuple[CRS, str]:
    """The CRS to use and where it came from (:func:`~data.importers.base.settle_crs`)."""
    try:
        crs = settle_crs(declared, source_crs, file=path, warnings=warnings, option=CRS_FLAG)
    except ImporterError as err:
        raise with_file(as_raster_error(err), path) from err
    return crs, ("source_crs" if source_crs is not None else where)


# --- GeoTIFF (GDAL) ----------------------------------------------------------------------------


def _check_band(band: int, count: int, path: Path, what: str, along: str = "") -> None:
    if not 1 <= band <= count:
        raise RasterError(
            f"band {band} out of range; {what} {count} band(s){along}, numbered 1 to {count}",
            file=path,
            expected=f"a band from 1 to {count}",
            found=str(band),
        )


def _read_gdal(path: Path, band: int, source_crs: str | None) -> RasterSource:
    warnings: list[str] = []
    try:
        src = rasterio.open(path)
    except rasterio.errors.RasterioIOError as err:
        raise RasterError(
            f"not a raster file (expected GeoTIFF or NetCDF); GDAL says: {err}", file=path
        ) from err
    with src:
        if src.count < 1:
            raise RasterError("the raster has no bands", file=path, expected="one band or more")
        _check_band(band, src.count, path, "the file has")
        if src.transform == Affine.identity():
            if src.gcps[0]:
                raise RasterError(
                    "the raster is georeferenced by ground control points only; "
                    "warp it to a regular grid first (e.g. gdalwarp)",
                    file=path,
                    expected="a geotransform",
                    found="ground control points",
                )
            raise RasterError(
                "the raster has no georeferencing (no geotransform); "
                "is it a plain image rather than a GeoTIFF?",
                file=path,
                expected="a geotransform",
                found="none",
            )
        file_crs = CRS.from_wkt(src.crs.to_wkt()) if src.crs is not None else None
        crs, crs_from = _settle(file_crs, source_crs, path, "file", warnings)
        try:
            data = src.read(band, masked=True).astype("float64")
        except rasterio.errors.RasterioError as err:
            raise RasterError(
                f"the pixels cannot be read (a truncated or damaged file?): {err}",
                file=path,
                where=f"band {band}",
            ) from err
        values = np.ma.filled(data, np.nan)
        scale, offset = src.scales[band - 1], src.offsets[band - 1]
        if scale not in (None, 1.0) or offset not in (None, 0.0):
            values = values * (scale if scale is not None else 1.0) + (offset or 0.0)
        units = (src.units[band - 1] or "") if src.units else ""
        return RasterSource(
            values=values,
            transform=src.transform,
            crs=crs,
            file=path.name,
            band=band,
            units=units,
            crs_from=crs_from,
            warnings=warnings,
        )


# --- NetCDF (xarray) ---------------------------------------------------------------------------


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


def _axis(ds: xr.Dataset, dim: str, path: Path, var: str) -> tuple[np.ndarray, float]:
    """A dimension's coordinate values and their (regular) spacing."""
    if dim not in ds.coords:
        raise RasterError(
            f"variable {var!r} has no coordinate values for dimension {dim!r}",
            file=path,
            where=f"dimension {dim!r}",
            expected="coordinate values",
        )
    values = np.asarray(ds[dim].values, dtype="float64")
    if values.ndim != 1 or values.size < 2:
        raise RasterError(
            f"dimension {dim!r} needs at least two coordinate values to tell the cell size",
            file=path,
            where=f"dimension {dim!r}",
            expected="two coordinate values or more",
            found=str(values.size),
        )
    steps = np.diff(values)
    if not np.allclose(steps, steps[0], rtol=1e-6, atol=0.0) or steps[0] == 0:
        raise RasterError(
            f"coordinate {dim!r} is not regularly spaced (steps {steps.min():g} to "
            f"{steps.max():g}); only regular grids can be regridded",
            file=path,
            where=f"dimension {dim!r}",
            expected="equal steps",
        )
    return values, float(steps[0])


def _pick_variable(ds: xr.Dataset, variable: str | None, path: Path) -> xr.DataArray:
    """The variable to read: the one named, else the only gridded one."""
    candidates = _candidates(ds)
    if variable is None:
        if len(candidates) != 1:
            raise UnknownVariableError(
                f"holds {len(candidates)} gridded variables "
                f"({show_items(candidates) or 'none'}); say which one to read "
                "(CLI: --source-variable)",
                candidates,
                file=path,
                expected="one gridded variable, or --source-variable",
            )
        variable = candidates[0]
    elif variable not in ds.data_vars:
        raise UnknownVariableError(
            f"no variable {variable!r}; variables: "
            f"{show_items(candidates) or 'none with two dimensions'}",
            candidates,
            file=path,
            expected=f"a variable {variable!r}",
        )
    var = ds[variable]
    if var.ndim < 2:
        raise RasterError(
            f"variable {variable!r} has {var.ndim} dimension(s); a raster needs "
            f"y and x (gridded variables: {show_items(candidates) or 'none'})",
            file=path,
            where=f"variable {variable!r}",
            expected="dimensions y and x",
            found=", ".join(str(d) for d in var.dims) or "none",
        )
    return var


def _band_values(var: xr.DataArray, band: int, path: Path) -> np.ndarray:
    """The 2-D values of ``band`` along the variable's one extra dimension."""
    extra = [str(d) for d in var.dims[:-2]]
    big = [d for d in extra if var.sizes[d] > 1]
    if len(big) > 1:
        raise RasterError(
            f"variable {var.name!r} has several extra dimensions "
            f"({', '.join(f'{d}={var.sizes[d]}' for d in big)}); only one can be chosen "
            "by band",
            file=path,
            where=f"variable {var.name!r}",
            expected="y, x and at most one more dimension",
        )
    n_bands = var.sizes[big[0]] if big else 1
    along = f" along {big[0]!r}" if big else ""
    _check_band(band, n_bands, path, f"variable {var.name!r} has", along)
    selection = {d: (band - 1 if d in big else 0) for d in extra}
    return np.asarray(var.isel(selection).values, dtype="float64")


def _declared_netcdf_crs(
    ds: xr.Dataset, var: xr.DataArray, path: Path, source_crs: str | None, warnings: list[str]
) -> tuple[CRS | None, str]:
    """What the file states (and where), an unreadable CRS a warning when one is given."""
    ydim, xdim = (str(d) for d in var.dims[-2:])
    try:
        declared = _netcdf_crs(ds, var)
    except (CRSError, ValueError) as err:
        if source_crs is None:
            raise RasterError(
                f"the CRS stated in the file cannot be parsed: {err}",
                file=path,
                where=f"variable {var.name!r}",
                expected=f"a CRS pyproj reads, or one given with {CRS_FLAG}",
            ) from err
        warnings.append(f"{path.name}: its CRS cannot be parsed ({err}); {source_crs} is used")
        return None, "file"
    if declared is None and xdim.lower() in _LON_NAMES and ydim.lower() in _LAT_NAMES:
        return CRS.from_epsg(4326), "lat/lon coordinates"
    if declared is None and (xdim.lower() not in _X_NAMES or ydim.lower() not in _Y_NAMES):
        warnings.append(
            f"dimensions {ydim!r}, {xdim!r} were taken as y and x (the last two dimensions)"
        )
    return declared, "file"


def _read_netcdf(
    path: Path, variable: str | None, band: int, source_crs: str | None
) -> RasterSource:
    warnings: list[str] = []
    try:
        opened = xr.open_dataset(path, decode_times=False)
    except Exception as err:  # netCDF4/h5netcdf raise many types
        raise RasterError(
            f"cannot read as NetCDF: {err}", file=path, expected="a NetCDF file"
        ) from err
    with opened as ds:
        var = _pick_variable(ds, variable, path)
        values = _band_values(var, band, path)
        ydim, xdim = (str(d) for d in var.dims[-2:])
        xs, dx = _axis(ds, xdim, path, str(var.name))
        ys, dy = _axis(ds, ydim, path, str(var.name))
        if dx < 0:
            values, xs, dx = values[:, ::-1], xs[::-1], -dx
        if dy > 0:
            values, ys, dy = values[::-1, :], ys[::-1], -dy
        declared, where = _declared_netcdf_crs(ds, var, path, source_crs, warnings)
        crs, crs_from = _settle(declared, source_crs, path, where, warnings)
        return RasterSource(
            values=values,
            transform=Affine(dx, 0.0, xs[0] - dx / 2, 0.0, dy, ys[0] - dy / 2),
            crs=crs,
            file=path.name,
            band=band,
            variable=str(var.name),
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
        CRS of the raster (e.g. ``"EPSG:3035"``). It wins over a CRS the file states (a
        warning then says so) and is needed when the file states none.

    Returns
    -------
    RasterSource

    Raises
    ------
    RasterError
        (an :class:`~data.importers.base.ImporterError`, a ``ValueError``) for a missing
        file, a file that is not a raster, no CRS, a band out of range, an unknown NetCDF
        variable (:class:`UnknownVariableError`, listing the variables) or irregular
        coordinates — naming the file.
    """
    path = Path(path)
    if path.is_dir():
        raise RasterError("this is a folder, not a file", file=path, expected="a raster file")
    if not path.is_file():
        raise RasterError("raster file not found", file=path, expected="an existing file")
    if isinstance(band, bool) or not isinstance(band, int | np.integer) or band < 1:
        raise RasterError(
            "band must be a whole number from 1", file=path, expected="1, 2, …", found=repr(band)
        )
    if is_netcdf(path):
        return _read_netcdf(path, variable, int(band), source_crs)
    source = _read_gdal(path, int(band), source_crs)
    if variable is not None:
        source.warnings.append(f"variable {variable!r} ignored: {path.name} is not NetCDF")
    return source
