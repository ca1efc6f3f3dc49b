"""Surface and night temperature: how hot does each place get on a summer day and night?

Two grid variables of the pack, drawn as a PNG image overlay with a continuous colour scale:

* ``lst_day`` — land-surface temperature on a hot summer afternoon (°C): sealed and dark
  surfaces heat up far above the air temperature, trees and water stay cooler;
* ``tair_night`` — air temperature in a calm summer night (°C): where the city keeps its
  heat and where cold air from open slopes flows in.

The scale runs from the 2nd to the 98th percentile of the city's cells (so a few extreme
cells do not wash out the picture); values beyond are shown in the end colours.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np
from pyproj import CRS

from data.pack import CityPack
from layers import fmt
from layers.base import Layer, LayerData, LayerStyle, Legend, LegendEntry, Param, Text, tr
from layers.raster import colorize_scale, ramp_color, warp_to_mercator

RAMP = "YlOrRd"
VARIABLES: dict[str, Text] = {
    "lst_day": {"de": "Oberflächentemperatur am Nachmittag", "en": "Afternoon surface temperature"},
    "tair_night": {"de": "Lufttemperatur in der Nacht", "en": "Night air temperature"},
}
PARAMS = (
    Param(
        "variable",
        {"de": "Zeitpunkt", "en": "Time of day"},
        "choice",
        "lst_day",
        choices=tuple(VARIABLES.items()),
    ),
)
LEGEND_STEPS = 6


@lru_cache(maxsize=8)
def scale(pack: CityPack, variable: str) -> tuple[float, float]:
    """The colour scale's ends (2nd and 98th percentile of finite cells, 0.5 K steps)."""
    values = _values(pack, variable).to_numpy().astype(float)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        raise ValueError(f"grid variable {variable!r} has no values")
    lo, hi = np.percentile(finite, [2, 98])
    lo, hi = float(np.floor(lo * 2) / 2), float(np.ceil(hi * 2) / 2)
    return (lo, hi if hi > lo else lo + 1.0)


def _values(pack: CityPack, variable: str) -> Any:
    if variable not in VARIABLES:
        raise ValueError(f"variable {variable!r} is not one of {', '.join(VARIABLES)}")
    grid = pack.raster("grid")
    if variable not in grid.data_vars:
        have = ", ".join(v for v in VARIABLES if v in grid.data_vars) or "none"
        raise ValueError(f"this pack's grid has no {variable!r}; available: {have}")
    return grid[variable]


@lru_cache(maxsize=8)
def _image(pack: CityPack, variable: str) -> LayerData:
    values = _values(pack, variable)
    crs = CRS.from_wkt(pack.raster("grid").attrs["crs"])
    array, bounds = warp_to_mercator(values, crs)
    lo, hi = scale(pack, variable)
    return LayerData(image_png=colorize_scale(array, lo, hi, RAMP), bounds=bounds)


def image(pack: CityPack, params: Mapping[str, Any]) -> LayerData:
    return _image(pack, params["variable"])


def build(pack: CityPack, lang: str) -> LayerData:
    return _image(pack, "lst_day")


def style(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerStyle:
    variable = params["variable"]
    lo, hi = scale(pack, variable)
    entries = tuple(
        LegendEntry(
            ramp_color(RAMP, i / (LEGEND_STEPS - 1)),
            f"{fmt.number(lo + (hi - lo) * i / (LEGEND_STEPS - 1), lang, 1)} °C",
        )
        for i in range(LEGEND_STEPS)
    )
    note = {
        "de": f"Farbskala von {fmt.number(lo, lang, 1)} bis {fmt.number(hi, lang, 1)} °C "
        "(2.–98. Perzentil der Rasterzellen); kältere und heißere Zellen in den Endfarben.",
        "en": f"Colour scale from {fmt.number(lo, lang, 1)} to {fmt.number(hi, lang, 1)} °C "
        "(2nd–98th percentile of the grid cells); colder and hotter cells in the end colours.",
    }
    if pack.synthetic:
        note["de"] += " Synthetische Demo-Daten."
        note["en"] += " Synthetic demo data."
    method = pack.raster("grid")[variable].attrs.get("regrid_method")
    if method:
        note["de"] += f" Auf das Raster übertragen mit: {method}."
        note["en"] += f" Regridded with: {method}."
    return LayerStyle(
        hideout={},
        legend=Legend(
            title=tr(VARIABLES[variable], lang), entries=entries, unit="°C", note=tr(note, lang)
        ),
    )


LAYER = Layer(
    id="heat-surface",
    title={
        "de": "Hitze: Oberflächen- und Nachttemperatur",
        "en": "Heat: surface and night temperature",
    },
    group={"de": "Hitze", "en": "Heat"},
    description={
        "de": (
            "Zeigt, wie heiß die Oberflächen an einem Sommernachmittag werden und wie warm die "
            "Luft in einer Sommernacht bleibt. Versiegelte Flächen heizen sich stark auf; Bäume, "
            "Wasser und Kaltluft von offenen Hängen kühlen."
        ),
        "en": (
            "Shows how hot surfaces get on a summer afternoon and how warm the air stays on a "
            "summer night. Sealed ground heats up strongly; trees, water and cold air from open "
            "slopes cool."
        ),
    },
    requires=("grid:lst_day",),
    render="image",
    build=build,
    style=style,
    params=PARAMS,
    image=image,
    default_on=False,
    default_opacity=0.7,
)
