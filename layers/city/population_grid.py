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
from layers import fmt, tables, themes
from layers.base import Layer, LayerData, LayerStyle, LayerTable, Legend, LegendEntry, TableColumn
from layers.classify import classify
from layers.raster import colorize_png, warp_to_mercator
from layers.texts import tr

K = 5
RAMP = "OrRd"
TITLE = {"de": "Bevölkerung im Raster", "en": "Population grid"}
UNIT = {"de": "Einw. je Zelle", "en": "residents per cell"}


@lru_cache(maxsize=8)
def _classes(pack: CityPack) -> tuple[tuple[float, ...], tuple[str, ...], float]:
    values = pack.raster("grid")["population"].to_numpy()
    populated = values[np.isfinite(values) & (values > 0)]
    # a grid where nobody lives (valid: all zeros) is one class "0 – 0", drawn transparent
    classes = classify(populated if populated.size else np.zeros(1), "quantiles", K, RAMP)
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
    # people per cell are fractions where a coarse census was spread over finer cells:
    # enough decimals that no two class bounds read alike ("0 – 0")
    widths = [hi - lo for lo, hi in zip(lows, breaks, strict=True) if hi > lo]
    step = min(widths) if widths else 1.0
    decimals = 0 if step >= 5 else 1 if step >= 0.5 else 2
    entries = tuple(
        LegendEntry(c, f"{fmt.number(lo, lang, decimals)} – {fmt.number(hi, lang, decimals)}")
        for c, lo, hi in zip(colors, lows, breaks, strict=True)
    )
    size = fmt.number(cell_size_m(pack), lang)
    note = {
        "de": f"Rasterzellen von {size} m × {size} m; leere Zellen sind durchsichtig.",
        "en": f"Grid cells of {size} m × {size} m; empty cells are transparent.",
    }
    source = pack.raster("grid")["population"].attrs.get("source_resolution_m")
    if source and float(source) > cell_size_m(pack):
        src = fmt.number(float(source), lang)
        note = {
            "de": f"Zählung in Zellen von {src} m, gleichmäßig auf Rasterzellen von {size} m "
            "verteilt (feiner als die Daten); leere Zellen sind durchsichtig.",
            "en": f"Counted in {src} m cells, spread evenly over grid cells of {size} m (finer "
            "than the data); empty cells are transparent.",
        }
    return LayerStyle(
        hideout={},
        legend=Legend(
            title=tr(TITLE, lang), entries=entries, unit=tr(UNIT, lang), note=tr(note, lang)
        ),
    )


@tables.cached_table(maxsize=8)
def table(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerTable:
    """The raster summarised per district (a table of thousands of cells is not usable):
    residents summed over the cells whose centre lies in the district, the number of inhabited
    cells and the fullest cell. Residents outside every district get a row of their own."""
    rows = _district_rows(pack, lang)
    size = fmt.number(cell_size_m(pack), lang)
    what = {
        "de": "Bevölkerung im Raster, je Ortsteil zusammengefasst (keine einzelnen Zellen): "
        "Einwohner aller Rasterzellen, deren Mittelpunkt im Ortsteil liegt, die Zahl der "
        f"bewohnten Zellen ({size} m × {size} m) und die Einwohner je Zelle im Mittel und in "
        "der vollsten Zelle.",
        "en": "Population grid summarised per district (not cell by cell): residents of all "
        "grid cells whose centre lies in the district, the number of inhabited cells "
        f"({size} m × {size} m) and residents per cell on average and in the fullest cell.",
    }
    return LayerTable(
        columns=_columns(lang),
        rows=rows,
        caption=tables.caption(pack, lang, tr(what, lang)),
        summary=_summary(rows, lang),
        key="district_id",
    )


def _district_rows(pack: CityPack, lang: str) -> list[dict[str, Any]]:
    """Per district (and outside every district): residents, inhabited cells, mean and
    fullest cell."""
    pop = np.nan_to_num(tables.grid_field(pack, "population"), nan=0.0)
    ids, names = tables.district_units(pack)
    where = tables.cell_districts(pack) if ids else np.full(pop.shape, -1, dtype=np.int64)
    units: list[tuple[str | None, str, np.ndarray]] = [
        (ids[k], names[k], where == k) for k in range(len(ids))
    ]
    outside = where < 0
    if not ids:
        units.append((None, tr(tables.WHOLE_GRID, lang), outside))
    elif pop[outside].sum() > 0:
        units.append((None, tr(tables.OUTSIDE, lang), outside))
    rows: list[dict[str, Any]] = []
    for unit_id, name, inside in units:
        cells = pop[inside]
        inhabited = cells[cells > 0]
        rows.append(
            {
                "district_id": unit_id,
                "name": name,
                "residents": tables.num(cells.sum()),
                "cells": int(inhabited.size),
                "mean_cell": tables.num(inhabited.mean(), 1) if inhabited.size else None,
                "max_cell": tables.num(inhabited.max()) if inhabited.size else None,
            }
        )
    return rows


def _columns(lang: str) -> tuple[TableColumn, ...]:
    per_cell = tr(UNIT, lang)
    return (
        TableColumn("name", tr(tables.DISTRICT, lang), "text"),
        TableColumn(
            "residents",
            tr({"de": "Einwohner (Summe der Zellen)", "en": "Residents (sum of cells)"}, lang),
            "number",
        ),
        TableColumn(
            "cells", tr({"de": "Bewohnte Zellen", "en": "Inhabited cells"}, lang), "number"
        ),
        TableColumn(
            "mean_cell",
            tr({"de": "Mittel je bewohnter Zelle", "en": "Mean per inhabited cell"}, lang),
            "number",
            per_cell,
            1,
        ),
        TableColumn(
            "max_cell", tr({"de": "Vollste Zelle", "en": "Fullest cell"}, lang), "number", per_cell
        ),
    )


def _summary(rows: list[dict[str, Any]], lang: str) -> str:
    """All residents and inhabited cells, and the districts with the most and fewest."""
    residents = {"de": "Einw.", "en": "residents"}
    total = sum(r["residents"] or 0 for r in rows)
    n_cells = sum(r["cells"] for r in rows)
    show = tables.number_text(tr(residents, lang), 0, lang)
    ranked = [r for r in rows if r["district_id"] is not None] or rows
    ends = tables.extremes(ranked, "residents")
    summary = tr(
        {
            "de": f"Zusammen {show(total)} in {fmt.number(n_cells, lang)} bewohnten Zellen",
            "en": f"In all {show(total)} in {fmt.number(n_cells, lang)} inhabited cells",
        },
        lang,
    )
    if ends is None or len(ranked) <= 1:
        return summary + "."
    hi, lo = ends
    return summary + tr(
        {
            "de": f"; die meisten in {hi['name']} ({show(hi['residents'])}), die wenigsten in "
            f"{lo['name']} ({show(lo['residents'])}).",
            "en": f"; most in {hi['name']} ({show(hi['residents'])}), fewest in "
            f"{lo['name']} ({show(lo['residents'])}).",
        },
        lang,
    )


LAYER = Layer(
    id="population-grid",
    title=TITLE,
    theme=themes.POPULATION,
    panel_order=20,
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
    table=table,
)
