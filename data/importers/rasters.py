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

CRS: a CRS given with ``source_crs`` (CLI ``--source-crs``) wins over the one the raster
states, with a warning when they differ; a raster stating none needs ``source_crs``
(:func:`data.importers.base.settle_crs`).

The import is split read → check → convert → write: :mod:`data.importers.rasters_read`
(GeoTIFF/NetCDF and their CRS), :mod:`data.importers.rasters_grid` (the pack grid and
regridding) and this module (the checks on the values, the write through
:func:`data.writer.staged_pack`, and :data:`IMPORTER`). Every error is a
:class:`RasterError` (an :class:`~data.importers.base.ImporterError`).
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from data.catalog import Catalog, Dataset
from data.importers.base import Importer, ImportResult, Option
from data.importers.common import read_pack_catalog, show_items
from data.importers.rasters_grid import (
    cell_size_of,
    grid_entry_new,
    grid_entry_updated,
    grid_lattice,
    load_grid,
    new_grid,
    regrid,
)
from data.importers.rasters_read import is_netcdf, read_raster
from data.importers.rasters_report import (
    DEFAULT_CELL_M,
    GENERATED_BY,
    GRID_ID,
    GRID_PATH,
    KELVIN,
    MAX_CELLS,
    METHODS,
    NAME_RE,
    RESERVED,
    RasterError,
    RasterImportResult,
    RasterSource,
    Regridded,
    UnknownVariableError,
)
from data.pack import crs_label
from data.schemas import SCHEMAS, Column
from data.writer import staged_pack

__all__ = [
    "DEFAULT_CELL_M",
    "GENERATED_BY",
    "GRID_ID",
    "GRID_PATH",
    "IMPORTER",
    "KELVIN",
    "MAX_CELLS",
    "METHODS",
    "RESERVED",
    "RasterError",
    "RasterImportResult",
    "RasterSource",
    "Regridded",
    "UnknownVariableError",
    "grid_lattice",
    "import_raster",
    "is_netcdf",
    "new_grid",
    "read_raster",
    "regrid",
    "run",
]


# --- checks on the values --------------------------------------------------------------------


def _schema_column(variable: str) -> Column | None:
    for col in SCHEMAS[GRID_ID].columns:
        if col.name == variable:
            return col
    return None


def _check_name(variable: str, method: str) -> Column | None:
    """Raise for a bad target name or method; return the schema column, if any."""
    if not isinstance(variable, str) or not NAME_RE.fullmatch(variable):
        raise RasterError(
            f"variable name {variable!r} must be letters, digits and underscores (e.g. lst_day)",
            where="--variable",
            expected="letters, digits and underscores",
            found=repr(variable),
        )
    if variable in RESERVED:
        raise RasterError(
            f"variable name {variable!r} is reserved ({', '.join(sorted(RESERVED))})",
            where="--variable",
            expected="a name other than " + ", ".join(sorted(RESERVED)),
            found=repr(variable),
        )
    if method not in METHODS:
        raise RasterError(
            f"unknown regridding method {method!r}; choose one of {', '.join(METHODS)}",
            where="--method",
            expected=", ".join(METHODS),
            found=repr(method),
        )
    col = _schema_column(variable)
    if col is not None and col.dtype == "int" and method != "nearest":
        raise RasterError(
            f"{variable!r} holds class codes; regrid it with method 'nearest', not {method!r}",
            where="--method",
            expected="nearest",
            found=repr(method),
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
            f"{variable!r} must lie within [{col.min}, {col.max}]{unit}, but the "
            f"regridded values span {lo:.4g} to {hi:.4g}{hint}",
            file=source.file,
            where=f"band {source.band}",
            expected=f"values in [{col.min}, {col.max}]{unit}",
            found=f"{lo:.4g} to {hi:.4g}",
        )
    if not col.allow_missing and coverage < 1.0:
        raise RasterError(
            f"{variable!r} may not have missing cells, but the raster gives only "
            f"{100 * coverage:.1f} % of the grid cells a value (the rest lies outside it or is "
            "no-data)",
            file=source.file,
            where=f"band {source.band}",
            expected="a value for every grid cell",
            found=f"{100 * coverage:.1f} % of the cells",
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
            f"no variable {variable!r}; variables: "
            f"{show_items(err.candidates) or 'none with two dimensions'}; say which one to read "
            "with source_variable (CLI: --source-variable)",
            err.candidates,
            file=path,
            expected=f"a variable {variable!r} or --source-variable",
        ) from err


def _target_grid(
    folder: Path,
    catalog: Catalog,
    variable: str,
    cell_size: float | None,
    meta: tuple[str | None, str | None],
    warnings: list[str],
) -> tuple[xr.Dataset, Dataset, bool]:
    """The grid to write into (the pack's, or a new one), its catalog entry, and if new."""
    licence, attribution = meta
    city = catalog.city
    if GRID_ID not in catalog.ids():
        grid = new_grid(city, DEFAULT_CELL_M if cell_size is None else cell_size)
        known = {c.name for c in SCHEMAS[GRID_ID].columns}
        if variable not in known:
            raise RasterError(
                f"the pack has no grid yet, and a new grid needs at least one known variable "
                f"({', '.join(sorted(known))}); {variable!r} is not one — import one of those "
                "first",
                where="--variable",
                expected=", ".join(sorted(known)),
                found=repr(variable),
            )
        entry = grid_entry_new(city, float(grid.attrs["cell_size_m"]), licence, attribution)
        return grid, entry, True
    old_entry = catalog.get(GRID_ID)
    grid = load_grid(folder, old_entry)
    entry = grid_entry_updated(old_entry, variable, licence, attribution)
    if cell_size is not None and not math.isclose(cell_size, cell_size_of(grid)):
        warnings.append(
            f"cell_size {cell_size:g} ignored: the pack's grid has {cell_size_of(grid):g} m cells"
        )
    if variable in grid.data_vars:
        warnings.append(f"replaced the grid's existing variable {variable!r}")
    if not licence:
        warnings.append(
            "licence of the raster not stated; the grid's catalog entry keeps its own licence"
        )
    return grid, entry, False


def _from_kelvin(values: np.ndarray, source: RasterSource) -> np.ndarray:
    """Kelvin to °C; raise when the values cannot be Kelvin temperatures."""
    finite = values[np.isfinite(values)]
    if finite.size and float(finite.min()) < 100.0:
        low = float(finite.min())
        raise RasterError(
            f"from_kelvin was asked for, but values go down to {low:.4g}, which is not a "
            "plausible temperature in Kelvin; leave out from_kelvin (CLI: --from-kelvin) if "
            "the values are °C",
            file=source.file,
            where=f"band {source.band}",
            expected="Kelvin (100 K or more)",
            found=f"{low:.4g}",
        )
    return (values - KELVIN).astype("float32")


def _attrs(
    source: RasterSource,
    regridded: Regridded,
    units: str,
    from_kelvin: bool,
    meta: tuple[str | None, str | None],
) -> dict[str, Any]:
    """The attributes of the grid variable: its unit, origin and regridding."""
    licence, attribution = meta
    attrs: dict[str, Any] = {
        "units": units,
        "regrid_method": regridded.method,
        "source_file": source.file,
        "source_crs": crs_label(source.crs),
        "source_band": int(source.band),
        "coverage": round(regridded.coverage, 6),
        "generated_by": GENERATED_BY,
    }
    optional = {
        "source_variable": source.variable,
        "source_units": source.units,
        "conversion": "K to °C: value - 273.15" if from_kelvin else None,
        "licence": licence,
        "attribution": attribution,
    }
    attrs.update({k: v for k, v in optional.items() if v})
    return attrs


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

    ``path`` is a GeoTIFF or NetCDF (:func:`read_raster`); ``variable`` the grid variable to
    add or replace (known ones, :data:`data.schemas.SCHEMAS` ``["grid"]``, are
    range-checked); ``method`` one of ``bilinear``, ``average``, ``nearest``; ``band`` the
    1-based band or index along a NetCDF variable's extra dimension; ``source_crs`` the
    raster's CRS (wins over the one it states, with a warning; needed when it states
    none); ``from_kelvin`` converts K to °C; ``cell_size`` (metres, default 100) is used
    only for a new grid when the pack has none (else ignored with a warning);
    ``source_variable`` the NetCDF variable to read (default: the one named ``variable``,
    else the only gridded one); ``licence`` and ``attribution`` are recorded in the
    variable's attributes and appended to the grid's catalog entry.

    Raises :class:`RasterError` for bad input (not a raster, no CRS, band out of range,
    unknown NetCDF variable, unknown method, no overlap, values out of the schema's range
    — with a ``from_kelvin`` hint for Kelvin given as °C), ``ValueError`` for a folder that
    is not a pack, :class:`data.pack.PackError` if the result does not validate. The pack
    is unchanged in every case.
    """
    folder, path = Path(pack_folder), Path(path)
    col = _check_name(variable, method)
    if from_kelvin and col is not None and col.unit != "°C":
        raise RasterError(
            f"from_kelvin converts temperatures to °C, but {variable!r} is in "
            f"{col.unit or 'no unit'}; leave out from_kelvin (CLI: --from-kelvin)",
            where="--from-kelvin",
            expected="a temperature variable in °C",
            found=f"{variable!r} in {col.unit or 'no unit'}",
        )
    warnings: list[str] = []
    meta = (licence, attribution)
    grid, entry, created = _target_grid(
        folder, read_pack_catalog(folder), variable, cell_size, meta, warnings
    )
    source = _read_for_import(path, variable, source_variable, band, source_crs)
    regridded = regrid(source, grid, method)
    values = _from_kelvin(regridded.values, source) if from_kelvin else regridded.values
    _check_values(values, regridded.coverage, variable, col, source, from_kelvin)
    units = "°C" if from_kelvin else (col.unit if col is not None and col.unit else source.units)
    attrs = _attrs(source, regridded, units, from_kelvin, meta)
    if "spatial_ref" in grid.variables:
        attrs["grid_mapping"] = "spatial_ref"
    grid[variable] = xr.DataArray(values, dims=("y", "x"), attrs=attrs)
    grid[variable].encoding = {}
    with staged_pack(folder) as stage:
        stage.put_raster(entry, grid)
    warnings.extend(stage.notes)
    finite = values[np.isfinite(values)]
    _, width, height, grid_crs = grid_lattice(grid)
    return RasterImportResult(
        pack=folder,
        variable=variable,
        method=method,
        coverage=regridded.coverage,
        n_cells=width * height,
        cell_size=cell_size_of(grid),
        grid_crs=crs_label(grid_crs),
        source_crs=crs_label(source.crs),
        units=units,
        value_range=(
            (float(finite.min()), float(finite.max())) if finite.size else (math.nan, math.nan)
        ),
        created_grid=created,
        source=source,
        warnings=warnings,
    )


# --- the importer spec -----------------------------------------------------------------------


def positive_metres(text: str) -> float:
    """``--cell-size``: a positive number (metres)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def run(
    pack: Path,
    *,
    file: Path | str,
    variable: str,
    band: int = 1,
    method: str = "bilinear",
    source_crs: str | None = None,
    from_kelvin: bool = False,
    cell_size: float | None = None,
    source_variable: str | None = None,
    licence: str | None = None,
    attribution: str | None = None,
) -> ImportResult:
    """:func:`import_raster` as the contract runs it (``allmende import raster``).

    ``read`` is the number of pixels of the band read, ``written`` the number of grid cells
    that got a value (the cells of ``variable`` that are not NaN); ``details`` are the lines
    ``allmende import raster`` printed before (without the warnings, listed apart).
    """
    native = import_raster(
        pack,
        file,
        variable,
        method=method,
        band=band,
        source_crs=source_crs,
        from_kelvin=from_kelvin,
        cell_size=cell_size,
        source_variable=source_variable,
        licence=licence,
        attribution=attribution,
    )
    grid_path = native.pack / read_pack_catalog(native.pack).get(GRID_ID).path
    with xr.open_dataset(grid_path) as written:
        n_written = int(np.isfinite(written[variable].values).sum())
    return ImportResult(
        importer=IMPORTER.name,
        pack=native.pack,
        datasets=(GRID_ID,),
        files=(str(file),),
        read=int(native.source.values.size),
        written=n_written,
        unit="cells",
        warnings=native.all_warnings(),
        details=[
            *native.lines(warnings=False),
            f"read {native.source.values.size} pixels; {n_written} of {native.n_cells} grid "
            f"cells got a value; imported {variable} into the grid of {native.pack}",
        ],
        native=native,
    )


IMPORTER = Importer(
    name="raster",
    summary="a GeoTIFF/NetCDF regridded onto the pack's grid (a variable of grid.nc)",
    formats=("GeoTIFF (or any raster GDAL reads)", "NetCDF"),
    datasets=(GRID_ID,),
    options=(
        Option("file", "GeoTIFF or NetCDF", type=Path, required=True, input=True),
        Option("variable", "grid variable to write, e.g. lst_day", required=True),
        Option("band", "1-based band / time index (default 1)", type=int, default=1),
        Option("method", "regridding (default bilinear)", choices=METHODS, default="bilinear"),
        Option(
            "source_crs",
            "CRS of the raster, e.g. EPSG:3035: wins over the CRS the raster states (a "
            "warning says so); needed when it states none",
        ),
        Option("from_kelvin", "convert Kelvin to °C", flag=True),
        Option(
            "cell_size",
            "cell size in metres of a new grid (when the pack has none; default 100)",
            type=positive_metres,
        ),
        Option("source_variable", "NetCDF variable to read (default: --variable)"),
        Option("licence", "licence of the raster"),
        Option("attribution", "attribution required by the licence"),
    ),
    run=run,
)
