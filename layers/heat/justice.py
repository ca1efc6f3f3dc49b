"""Who bears the heat in this pack? The justice view wired to the pack and the map classes.

The hottest class is the top class of the exposure variable over the units where people
live (grid cells if the pack has a population grid, else districts), classified with the
same mapclassify schemes as the maps. The numbers come from :mod:`models.justice`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from data.pack import CityPack
from layers.classify import classify
from models.heat import district_indicators, grid_indicators
from models.justice import report

EXPOSURES = ("lst_day", "tair_night")


def exposure_units(pack: CityPack) -> tuple[str, Any]:
    """``("grid", frame)`` when the pack has a population grid, else ``("district", frame)``."""
    if pack.has("grid:population"):
        return "grid", grid_indicators(pack).frame
    return "district", district_indicators(pack).frame


@lru_cache(maxsize=64)
def justice(
    pack: CityPack, variable: str = "lst_day", scheme: str = "quantiles", k: int = 5
) -> dict[str, Any]:
    """The justice report (JSON-able) for an exposure variable and a class scheme."""
    if variable not in EXPOSURES:
        raise ValueError(f"variable {variable!r} is not one of {', '.join(EXPOSURES)}")
    level, cells = exposure_units(pack)
    if variable not in cells.columns:
        raise ValueError(f"this pack has no {variable!r} (grid variable); import a raster first")
    values = cells[variable].to_numpy(dtype=float)
    classes = classify(values[np.isfinite(values)], scheme, k, "YlOrRd")
    threshold = classes.breaks[-2] if len(classes.breaks) > 1 else classes.minimum
    districts = district_indicators(pack).frame
    social = "unemployment" if "unemployment" in districts.columns else None
    out = report(cells, districts, variable, float(threshold), social)
    out["level"] = level
    out["scheme"] = scheme
    out["classes"] = len(classes.breaks)
    out["synthetic"] = pack.synthetic
    return out


@lru_cache(maxsize=4)
def pack_trend(pack: CityPack) -> dict[str, Any] | None:
    """The climate-trend report of the pack's station series (``climate_daily``), if any."""
    if not pack.has("climate_daily"):
        return None
    from models.climate_trend import trend_report

    return trend_report(pack.table("climate_daily"))
