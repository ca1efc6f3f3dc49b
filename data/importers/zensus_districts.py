"""Census cells aggregated to districts: area-weighted population, population-weighted means."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from data.importers.common import show_items
from data.importers.zensus_report import ZENSUS_CRS, ZensusError

# Columns that locate a cell rather than describe it; census_to_districts leaves them out.
_LOCATOR_COLUMNS = frozenset({"lon", "lat", "longitude", "latitude"})


def _chosen_variables(census: gpd.GeoDataFrame, variables: Sequence[str] | None) -> list[str]:
    """The variables to average: those asked for (checked), else every numeric one."""
    numeric = [
        str(c)
        for c in census.columns
        if c not in ("population", census.geometry.name)
        and pd.api.types.is_numeric_dtype(census[c])
        and not pd.api.types.is_bool_dtype(census[c])
    ]
    if variables is None:
        return [
            c
            for c in numeric
            if c.lower() not in _LOCATOR_COLUMNS and not c.lower().startswith("share_of_cell")
        ]
    chosen = list(variables)
    for v in chosen:
        if v not in census.columns:
            raise ZensusError(
                f"unknown census variable {v!r}; numeric columns: {show_items(numeric)}",
                where=f"column {v!r}",
                expected="a numeric census column",
            )
        if v not in numeric:
            raise ZensusError(
                f"census variable {v!r} is not numeric",
                where=f"column {v!r}",
                expected="numbers",
                found=str(census[v].dtype),
            )
    return chosen


def _pieces(
    census: gpd.GeoDataFrame, districts: gpd.GeoDataFrame, chosen: list[str]
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Cells cut by districts in EPSG:3035, and the districts there (``_district`` = row)."""
    metric = census.to_crs(ZENSUS_CRS).geometry.to_numpy()
    cells = census[["population", *chosen]].copy()
    cells["_cell_area"] = census.to_crs(ZENSUS_CRS).geometry.area.to_numpy()
    cells = gpd.GeoDataFrame(cells, geometry=metric).set_crs(ZENSUS_CRS)
    target = gpd.GeoDataFrame(
        {"_district": np.arange(len(districts))},
        geometry=districts.to_crs(ZENSUS_CRS).geometry.to_numpy(),
        crs=ZENSUS_CRS,
    )
    return gpd.overlay(cells, target, how="intersection", keep_geom_type=True), target


def census_to_districts(
    census: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    *,
    id_column: str = "district_id",
    variables: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Aggregate census cells to districts.

    Method: cells and districts are intersected in EPSG:3035 (an equal-area CRS). Each
    piece gets the weight ``w = area(cell ∩ district) / area(cell)``.

    * ``population`` — area-weighted: ``Σ w · population`` (people are assumed spread
      evenly over their cell). Cells with an unknown population add nothing and are
      counted in ``cells_population_missing``.
    * each variable ``v`` — population-weighted mean ``Σ w · population · v / Σ w ·
      population`` over the pieces where both are known, in the variable's own unit (per
      cent stays per cent). ``v_coverage`` is the share (0–1) of the district's
      population whose cell has a value of ``v``. For per-household or per-dwelling
      variables (household size, vacancy, m² per dwelling) the population weight is an
      approximation.
    * ``area_covered`` — share (0–1) of the district's area covered by cells; below 1 the
      census file does not reach the whole district and the population is too low.

    Parameters
    ----------
    census : geopandas.GeoDataFrame
        Cells with ``population`` and numeric variables (e.g. ``ZensusGrid.cells``), any CRS.
    districts : geopandas.GeoDataFrame
        District polygons, any CRS.
    id_column : str
        District id column; if absent, the index is used.
    variables : sequence of str, optional
        Variables to average. Default: every numeric column except ``population`` and
        cell locators (``lon``, ``lat``, ``share_of_cell…``).

    Returns
    -------
    pandas.DataFrame
        One row per district, in the districts' order: ``district_id``, ``population``
        (persons, float), ``area_covered``, ``cells``, ``cells_population_missing``, then
        ``v`` and ``v_coverage`` for each variable.

    Raises
    ------
    ZensusError
        (a ``ValueError``) if either frame has no CRS, ``census`` has no ``population``
        column, or a variable is unknown or not numeric.
    """
    if census.crs is None or districts.crs is None:
        which = "census" if census.crs is None else "districts"
        raise ZensusError(
            f"the {which} frame has no CRS; set one (census cells: EPSG:3035)",
            expected="a CRS",
            found="none",
        )
    if "population" not in census.columns:
        raise ZensusError(
            f"census has no 'population' column; columns: {show_items(census.columns)}",
            expected="a 'population' column",
        )
    chosen = _chosen_variables(census, variables)
    ids = (
        districts[id_column].astype("string").to_numpy()
        if id_column in districts.columns
        else districts.index.astype(str).to_numpy()
    )
    pieces, target = _pieces(census, districts, chosen)
    return _aggregate(pieces, target, ids, chosen)


def _aggregate(
    pieces: gpd.GeoDataFrame, target: gpd.GeoDataFrame, ids: np.ndarray, chosen: list[str]
) -> pd.DataFrame:
    """Sum the weighted pieces per district (see :func:`census_to_districts`)."""
    w = pieces.geometry.area.to_numpy() / pieces["_cell_area"].to_numpy()
    pop = pieces["population"].to_numpy(dtype=float)
    district = pieces["_district"].to_numpy()
    n = len(target)
    known = np.isfinite(pop)
    out = pd.DataFrame({"district_id": ids})
    out["population"] = np.bincount(district[known], (w * pop)[known], minlength=n)
    piece_area = np.bincount(district, pieces.geometry.area.to_numpy(), minlength=n)
    out["area_covered"] = piece_area / target.geometry.area.to_numpy()
    out["cells"] = np.bincount(district, minlength=n)
    out["cells_population_missing"] = np.bincount(district[~known], minlength=n)
    for v in chosen:
        values = pieces[v].to_numpy(dtype=float)
        ok = known & np.isfinite(values)
        weight = np.bincount(district[ok], (w * pop)[ok], minlength=n)
        total = np.bincount(district[ok], (w * pop * values)[ok], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[v] = np.where(weight > 0, total / weight, np.nan)
            out[f"{v}_coverage"] = np.where(
                out["population"] > 0, weight / out["population"].to_numpy(), np.nan
            )
    return out
