"""Population grid: where exactly do people live, cell by cell (persons per grid cell)?

Rendered from the pack's ``grid`` raster (in its metric CRS) into a PNG image overlay.
Empty cells are transparent; classes are quantiles of the populated cells (mapclassify).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np
from pyproj import CRS

from data.pack import CityPack
from layers import fmt
from layers.base import Layer, LayerData, LayerStyle, Legend, LegendEntry, tr
from layers.classify import classify
from layers.raster import colorize_png, warp_to_mercator

K = 5
RAMP = "OrRd"
TITLE = {"de": "Bevölkerung im Raster", "en": "Population grid"}
UNIT = {"de": "Einw. je Zelle", "en": "residents per cell"}


@lru_cache(maxsize=8)
def _classes(pack: CityPack) -> tuple[tuple[float, ...], tuple[str, ...], float]:
    values = pack.raster("grid")["population"].to_numpy()
    populated = values[np.isfinite(values) & (values > 0)]
    classes = classify(populated, "quantiles", K, RAMP)
    return classes.breaks, classes.colors, classes.minimum


def cell_size_m(pack: CityPack) -> float:
    x = pack.raster("grid")["x"].to_numpy()
    return float(abs(x[1] - x[0])) if x.size > 1 else float("nan")


def build(pack: CityPack, lang: str) -> LayerData:
    grid = pack.raster("grid")
    breaks, colors, _ = _classes(pack)
    array, bounds = warp_to_mercator(grid["population"], CRS.from_wkt(grid.attrs["crs"]))
    png = colorize_png(array, list(breaks), list(colors), floor=0.0)
    return LayerData(image_png=png, bounds=bounds)


def style(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerStyle:
    breaks, colors, minimum = _classes(pack)
    lows = (minimum, *breaks[:-1])
    entries = tuple(
        LegendEntry(c, f"{fmt.number(lo, lang)} – {fmt.number(hi, lang)}")
        for c, lo, hi in zip(colors, lows, breaks, strict=True)
    )
    size = fmt.number(cell_size_m(pack), lang)
    note = {
        "de": f"Rasterzellen von {size} m × {size} m; leere Zellen sind durchsichtig.",
        "en": f"Grid cells of {size} m × {size} m; empty cells are transparent.",
    }
    return LayerStyle(
        hideout={},
        legend=Legend(
            title=tr(TITLE, lang), entries=entries, unit=tr(UNIT, lang), note=tr(note, lang)
        ),
    )


LAYER = Layer(
    id="population-grid",
    title=TITLE,
    group={"de": "Bevölkerung", "en": "Population"},
    description={
        "de": (
            "Zeigt, wie viele Menschen in jeder Rasterzelle wohnen. So wird sichtbar, wo "
            "innerhalb eines Ortsteils gewohnt wird und wo Wald, Felder oder Gewerbe liegen."
        ),
        "en": (
            "Shows how many people live in each grid cell, revealing where people live "
            "within a district and where forest, fields or industry are."
        ),
    },
    requires=("grid:population",),
    render="image",
    build=build,
    style=style,
    default_on=False,
    default_opacity=0.7,
)
