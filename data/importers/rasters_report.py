"""The raster importer's vocabulary: its constants, its error and what it reports.

:class:`RasterError` is the error every step of the raster import raises (an
:class:`~data.importers.base.ImporterError` naming the file, where in it, what was expected
and what was found); :class:`RasterSource` is a band as read, :class:`Regridded` the band on
the pack grid and :class:`RasterImportResult` what the import wrote. Reading, the grid and
the import itself live in :mod:`data.importers.rasters_read`,
:mod:`data.importers.rasters_grid` and :mod:`data.importers.rasters`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from affine import Affine
from pyproj import CRS

from data.importers.base import ImporterError

METHODS = ("bilinear", "average", "nearest")
GRID_ID = "grid"
GRID_PATH = "grid.nc"
DEFAULT_CELL_M = 100.0
MAX_CELLS = 25_000_000  # a grid larger than this is almost certainly a mistake
KELVIN = 273.15
GENERATED_BY = "data/importers/rasters.py (allmende import raster)"
RESERVED = frozenset({"x", "y", "spatial_ref", "crs"})
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: How the CLI states the raster's CRS.
CRS_FLAG = "--source-crs"


class RasterError(ImporterError):
    """A raster cannot be read or regridded; it names the file, where, expected and found."""


class UnknownVariableError(RasterError):
    """A NetCDF file has no variable of the name asked for (``candidates`` lists those it has)."""

    def __init__(self, message: str, candidates: list[str], **fields: Any) -> None:
        self.candidates = candidates
        super().__init__(message, **fields)


def as_raster_error(err: ImporterError) -> RasterError:
    """``err`` (from a shared helper such as :func:`data.importers.base.settle_crs`) as ours."""
    return RasterError(
        err.message, file=err.file, where=err.where, expected=err.expected, found=err.found
    )


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

    def lines(self, warnings: bool = True) -> list[str]:
        """A human-readable summary (the warnings last, if asked for)."""
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
        if warnings:
            out.extend(f"warning: {w}" for w in self.all_warnings())
        return out

    def all_warnings(self) -> list[str]:
        """The warnings of reading the raster and of the import."""
        return [*self.source.warnings, *self.warnings]
