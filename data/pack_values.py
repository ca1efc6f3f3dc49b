"""Value checks of a pack that go beyond a column's type and range (part of :mod:`data.pack`).

A pack that validates must serve: every number in it is one the app can classify, format
and draw. So, for every dataset, whatever its schema says:

* no numeric column or raster variable holds ``inf`` or ``-inf`` (``NaN`` is a gap, and the
  schema says where gaps are allowed);
* no number is larger in size than :data:`data.limits.MAGNITUDE_CEILING`;
* persons per km² (``census_grid`` cells, ``grid`` cells) stay below
  :data:`data.limits.PERSONS_PER_KM2_CEILING`, computed from each cell's area in the pack's
  metric CRS;
* shares in per cent (census columns ``…_A`` or ``Anteil…``) lie in 0–100.

Each function reports through ``add(dataset id, message)`` and never raises for bad data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import xarray as xr

from data.limits import (
    MAGNITUDE_CEILING,
    NOT_FINITE,
    PERCENT_MAX,
    ceiling_text,
    shown,
)
from data.schemas import Schema

Add = Callable[[str, str], None]


def row_label(frame: pd.DataFrame, idx: Any) -> str:
    """``row 3 (Altstadt)``: the row and its name or id when the frame has one."""
    for col in ("name", "district_id", "id", "cell_id", "site_id"):
        if col in frame.columns:
            return f"row {idx} ({frame.at[idx, col]!s})"
    return f"row {idx}"


def rows_text(frame: pd.DataFrame, mask: Any, limit: int = 5) -> str:
    """The first rows selected by ``mask`` for a message, with how many more there are."""
    idx = list(frame.index[np.asarray(mask, dtype=bool)])
    shown_rows = ", ".join(row_label(frame, i) for i in idx[:limit])
    more = f" and {len(idx) - limit} more" if len(idx) > limit else ""
    return shown_rows + more


def _numeric_columns(frame: pd.DataFrame) -> list[str]:
    return [
        str(c)
        for c in frame.columns
        if c != "geometry"
        and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]


def check_frame_numbers(frame: pd.DataFrame, ds_id: str, add: Add) -> None:
    """Every numeric column: finite (gaps aside) and no larger than the magnitude ceiling."""
    for col in _numeric_columns(frame):
        values = frame[col].astype("float64").to_numpy(na_value=np.nan)
        infinite = np.isinf(values)
        if infinite.any():
            add(
                ds_id,
                f"column {col!r} holds a value that is {NOT_FINITE} "
                f"({shown(values[infinite][0])}) in {rows_text(frame, infinite)}",
            )
            continue
        with np.errstate(invalid="ignore"):
            huge = np.abs(values) > MAGNITUDE_CEILING
        if huge.any():
            add(
                ds_id,
                f"column {col!r}: {shown(values[huge][0])} is "
                f"{ceiling_text(MAGNITUDE_CEILING, 'in size')} in {rows_text(frame, huge)}",
            )


def is_percent_column(name: str) -> bool:
    """A census share in per cent: ``…_A`` (2011) or ``Anteil…`` (2022)."""
    return name.upper().endswith("_A") or name.casefold().startswith("anteil")


def check_percent_columns(frame: pd.DataFrame, ds_id: str, add: Add) -> None:
    """Census share columns (per cent) lie in 0–100."""
    for col in _numeric_columns(frame):
        if not is_percent_column(col):
            continue
        values = frame[col].astype("float64").to_numpy(na_value=np.nan)
        with np.errstate(invalid="ignore"):
            bad = (values < 0) | (values > PERCENT_MAX)
        if bad.any():
            add(
                ds_id,
                f"column {col!r} is a share in per cent but holds {shown(values[bad][0])} "
                f"(outside 0–100) in {rows_text(frame, bad)}",
            )


def check_density(metric: gpd.GeoDataFrame, schema: Schema, ds_id: str, add: Add) -> None:
    """Persons per km² of each feature (area in the metric CRS) below the ceiling."""
    for col in schema.columns:
        if col.per_km2_max is None or col.name not in metric.columns:
            continue
        area_km2 = metric.geometry.area.to_numpy(dtype=float) / 1e6
        values = pd.to_numeric(metric[col.name], errors="coerce").astype("float64")
        with np.errstate(divide="ignore", invalid="ignore"):
            density = values.to_numpy(na_value=np.nan) / area_km2
            bad = density > col.per_km2_max
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            add(
                ds_id,
                f"column {col.name!r}: {shown(values.iloc[first])} persons on "
                f"{area_km2[first]:.4g} km² is {density[first]:,.0f} per km², "
                f"{ceiling_text(col.per_km2_max, 'persons per km²')} "
                f"in {rows_text(metric, bad)}",
            )


def cell_area_km2(grid: xr.Dataset) -> float | None:
    """The area of one raster cell in km² from the spacing of ``x`` and ``y`` (metres)."""
    if "x" not in grid.coords or "y" not in grid.coords:
        return None
    x, y = grid["x"].values, grid["y"].values
    if x.size < 2 or y.size < 2:
        return None
    dx, dy = float(np.abs(np.diff(x)).min()), float(np.abs(np.diff(y)).min())
    area = dx * dy / 1e6
    return area if np.isfinite(area) and area > 0 else None


def check_raster_numbers(grid: xr.Dataset, schema: Schema | None, ds_id: str, add: Add) -> None:
    """Every numeric variable: no ±inf, no value beyond the magnitude ceiling; persons per
    km² (variables with a ``per_km2_max``) below the ceiling for the cell size."""
    limits = {c.name: c.per_km2_max for c in schema.columns} if schema is not None else {}
    area = cell_area_km2(grid)
    for name in grid.data_vars:
        values = np.asarray(grid[name].values)
        if not np.issubdtype(values.dtype, np.number) or values.ndim < 2:
            continue
        values = values.astype(float)
        if np.isinf(values).any():
            add(
                ds_id,
                f"variable {name!r} has {int(np.isinf(values).sum())} cell(s) that are "
                f"{NOT_FINITE} (e.g. {shown(values[np.isinf(values)][0])})",
            )
            continue
        finite = values[np.isfinite(values)]
        if finite.size and float(np.abs(finite).max()) > MAGNITUDE_CEILING:
            add(
                ds_id,
                f"variable {name!r}: {shown(float(np.abs(finite).max()))} is "
                f"{ceiling_text(MAGNITUDE_CEILING, 'in size')}",
            )
            continue
        per_km2 = limits.get(str(name))
        if per_km2 is not None and area is not None and finite.size:
            top = float(finite.max())
            if top / area > per_km2:
                add(
                    ds_id,
                    f"variable {name!r}: {shown(top)} persons in a cell of {area:.4g} km² is "
                    f"{top / area:,.0f} per km², {ceiling_text(per_km2, 'persons per km²')}",
                )
