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
from layers import fmt, tables, themes
from layers.base import Layer, LayerData, LayerStyle, LayerTable, Legend, LegendEntry, TableColumn
from layers.heat.justice import EXPOSURES
from layers.params import Param
from layers.raster import colorize_scale, ramp_color, warp_to_mercator
from layers.texts import Text, tr
from models.heat import BY_ID

RAMP = "YlOrRd"
# the two exposure indicators of the heat vulnerability index; their labels are the model's
VARIABLES: dict[str, Text] = {v: BY_ID[v].label for v in EXPOSURES}
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


@tables.cached_table(maxsize=8)
def table(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerTable:
    """The raster summarised per district for the chosen variable (°C, 1 decimal as in the
    legend): the mean over residents (cells weighted by their population, as the heat index
    uses it), the plain area mean, the coolest and the hottest cell. Cells count for the
    district their centre lies in."""
    variable = params["variable"]
    values = _values(pack, variable).transpose("y", "x").to_numpy().astype(float)
    pop = (
        np.nan_to_num(tables.grid_field(pack, "population"), nan=0.0)
        if pack.has("grid:population")
        else None
    )
    ids, names = tables.district_units(pack)
    where = tables.cell_districts(pack) if ids else np.full(values.shape, -1, dtype=np.int64)
    units: list[tuple[str | None, str, np.ndarray]] = [
        (ids[k], names[k], where == k) for k in range(len(ids))
    ]
    if not ids:
        units.append((None, tr(tables.WHOLE_GRID, lang), where < 0))
    rows = _district_rows(values, pop, units)
    columns = _columns(pop is not None, lang)
    lo, hi = scale(pack, variable)
    label = tr(VARIABLES[variable], lang)
    weighted = {
        "de": "das Mittel über die Bewohner (Zellen nach ihren Einwohnern gewichtet), ",
        "en": "the mean over residents (cells weighted by their residents), ",
    }
    what = {
        "de": f"{label} (°C) je Ortsteil, eine Zusammenfassung des Rasters (keine einzelnen "
        f"Zellen): {weighted['de'] if pop is not None else ''}das Flächenmittel sowie die "
        "kühlste und die heißeste Zelle, aus allen Rasterzellen, deren Mittelpunkt im "
        f"Ortsteil liegt. Farbskala der Karte: {fmt.number(lo, lang, 1)} bis "
        f"{fmt.number(hi, lang, 1)} °C.",
        "en": f"{label} (°C) per district, a summary of the raster (not cell by cell): "
        f"{weighted['en'] if pop is not None else ''}the area mean and the coolest and hottest "
        "cell, from all grid cells whose centre lies in the district. Map colour scale: "
        f"{fmt.number(lo, lang, 1)} to {fmt.number(hi, lang, 1)} °C.",
    }
    field = "pop_mean" if pop is not None else "area_mean"
    words = {
        "pop_mean": {
            "de": "Im Mittel über die Bewohner am wärmsten: {hi} ({hi_v}); am kühlsten: {lo} ({lo_v}).",
            "en": "Warmest on average over residents: {hi} ({hi_v}); coolest: {lo} ({lo_v}).",
        },
        "area_mean": {
            "de": "Im Flächenmittel am wärmsten: {hi} ({hi_v}); am kühlsten: {lo} ({lo_v}).",
            "en": "Warmest by area mean: {hi} ({hi_v}); coolest: {lo} ({lo_v}).",
        },
    }[field]
    summary = tables.high_low_sentence(
        rows, field, "name", tables.number_text("°C", 1, lang), lang, words
    )
    return LayerTable(
        columns=columns,
        rows=rows,
        caption=tables.caption(pack, lang, tr(what, lang)),
        summary=summary,
        key="district_id",
    )


def _district_rows(
    values: np.ndarray,
    pop: np.ndarray | None,
    units: list[tuple[str | None, str, np.ndarray]],
) -> list[dict[str, Any]]:
    """Per unit: the mean over residents (if the pack has a population grid), the area mean,
    the coolest and the hottest cell (°C, 1 decimal)."""
    finite = np.isfinite(values)
    rows: list[dict[str, Any]] = []
    for unit_id, name, inside in units:
        cells = values[inside & finite]
        row: dict[str, Any] = {"district_id": unit_id, "name": name}
        if pop is not None:
            w = pop[inside & finite]
            row["pop_mean"] = tables.num(np.average(cells, weights=w), 1) if w.sum() > 0 else None
        row["area_mean"] = tables.num(cells.mean(), 1) if cells.size else None
        row["min"] = tables.num(cells.min(), 1) if cells.size else None
        row["max"] = tables.num(cells.max(), 1) if cells.size else None
        rows.append(row)
    return rows


def _columns(weighted: bool, lang: str) -> tuple[TableColumn, ...]:
    columns = [TableColumn("name", tr(tables.DISTRICT, lang), "text")]
    if weighted:
        columns.append(
            TableColumn(
                "pop_mean",
                tr({"de": "Mittel über die Bewohner", "en": "Mean over residents"}, lang),
                "number",
                "°C",
                1,
            )
        )
    columns += [
        TableColumn(
            "area_mean", tr({"de": "Flächenmittel", "en": "Area mean"}, lang), "number", "°C", 1
        ),
        TableColumn(
            "min", tr({"de": "Kühlste Zelle", "en": "Coolest cell"}, lang), "number", "°C", 1
        ),
        TableColumn(
            "max", tr({"de": "Heißeste Zelle", "en": "Hottest cell"}, lang), "number", "°C", 1
        ),
    ]
    return tuple(columns)


LAYER = Layer(
    id="heat-surface",
    title={
        "de": "Hitze: Oberflächen- und Nachttemperatur",
        "en": "Heat: surface and night temperature",
    },
    theme=themes.HEAT,
    panel_order=30,
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
    table=table,
)
