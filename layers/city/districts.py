"""District choropleth: where do many people live, and where do many older people live?

Two indicators per district: population density (residents per km², area measured in the
pack's metric CRS) and the share of residents aged 65 and over (0–1). Classes come from
mapclassify; the browser colours features from the ``hideout`` so a change of indicator,
scheme or class count resends no geometry.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

import numpy as np
import pandas as pd

from data.pack import CityPack, to_geojson
from layers import fmt, tables, themes
from layers.base import Layer, LayerData, LayerStyle, LayerTable, Legend, LegendEntry, TableColumn
from layers.classify import SCHEMES, classify, k_param, scheme_param
from layers.panels import Facts, Heading, Line, Panel, Part
from layers.params import Param
from layers.texts import Text, text, tr

VARIABLES: dict[str, dict[str, Any]] = {
    "density": {
        "label": {"de": "Einwohnerdichte", "en": "Population density"},
        "unit": {"de": "Einw./km²", "en": "residents/km²"},
        "ramp": "YlGnBu",
    },
    "share_65plus": {
        "label": {"de": "Anteil 65 Jahre und älter", "en": "Share aged 65 and over"},
        "unit": {"de": "%", "en": "%"},
        "ramp": "PuRd",
    },
}

COUNT_NOTE: Text = {"de": "(Anzahl Ortsteile)", "en": "(number of districts)"}

PARAMS = (
    Param(
        "variable",
        {"de": "Kennzahl", "en": "Indicator"},
        "choice",
        "density",
        choices=tuple((k, v["label"]) for k, v in VARIABLES.items()),
    ),
    scheme_param(SCHEMES),
    k_param(),
)


def district_table(pack: CityPack) -> pd.DataFrame:
    """Per district: id, name, population, area (km², metric CRS), density, share 65+."""
    metric = pack.metric("districts")
    area_km2 = metric.geometry.area.to_numpy() / 1e6
    frame = pd.DataFrame(
        {
            "district_id": metric["district_id"].astype(str).to_numpy(),
            "name": metric["name"].astype(str).to_numpy(),
            "population": metric["population"].astype(float).to_numpy(),
            "pop_65plus": metric["pop_65plus"].astype(float).to_numpy(),
            "area_km2": area_km2,
        }
    )
    if "pop_under6" in metric.columns:
        frame["pop_under6"] = metric["pop_under6"].astype(float).to_numpy()
    frame["density"] = frame["population"] / frame["area_km2"]
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["share_65plus"] = np.where(
            frame["population"] > 0, frame["pop_65plus"] / frame["population"], np.nan
        )
    return frame


def _value_text(variable: str, value: float, lang: str) -> str:
    if variable == "share_65plus":
        return fmt.percent(value, lang)
    return f"{fmt.number(value, lang)} {tr(VARIABLES[variable]['unit'], lang)}"


def build(pack: CityPack, lang: str) -> LayerData:
    table = district_table(pack)
    gdf = pack.vector("districts")[["geometry"]].copy()
    for col in ("district_id", "name", "population", "density", "share_65plus", "area_km2"):
        gdf[col] = table[col].to_numpy()
    labels = {k: tr(v["label"], lang) for k, v in VARIABLES.items()}
    gdf["tooltip"] = [
        f"<strong>{escape(str(row.name))}</strong><br>{labels['density']}: {_value_text('density', row.density, lang)}"
        f"<br>{labels['share_65plus']}: {_value_text('share_65plus', row.share_65plus, lang)}"
        for row in table.itertuples()
    ]
    gdf["density"] = gdf["density"].round(1)
    gdf["share_65plus"] = gdf["share_65plus"].round(4)
    gdf["area_km2"] = gdf["area_km2"].round(3)
    return LayerData(geojson=to_geojson(gdf), table=table.to_dict("records"))


def style(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerStyle:
    variable, scheme, k = params["variable"], params["scheme"], params["k"]
    meta = VARIABLES[variable]
    values = district_table(pack)[variable].to_numpy()
    classes = classify(values, scheme, k, meta["ramp"])
    lows = (classes.minimum, *classes.breaks[:-1])
    entries = tuple(
        LegendEntry(color, f"{_short(variable, lo, lang)} – {_short(variable, hi, lang)} ({n})")
        for color, lo, hi, n in zip(
            classes.colors, lows, classes.breaks, classes.counts, strict=True
        )
    )
    unit = tr(meta["unit"], lang)
    legend = Legend(
        title=tr(meta["label"], lang),
        entries=entries,
        unit=unit,
        note=f"{tr(SCHEMES[scheme], lang)}; {tr(COUNT_NOTE, lang)}",
    )
    return LayerStyle(
        hideout={"prop": variable, "breaks": list(classes.breaks), "colors": list(classes.colors)},
        legend=legend,
    )


def _short(variable: str, value: float, lang: str) -> str:
    if variable == "share_65plus":
        return fmt.percent(value, lang)
    return fmt.number(value, lang)


# feature properties carry these decimals (build); tooltips and the table show TABLE_DECIMALS
PROP_DECIMALS = {"density": 1, "share_65plus": 4}
TABLE_DECIMALS = {"density": 0, "share_65plus": 1}


@tables.cached_table()
def table(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerTable:
    """Per district: the indicator's value (as the tooltip shows it), its class and the class's
    range from the legend — for the current indicator, scheme and number of classes."""
    variable, scheme, k = params["variable"], params["scheme"], int(params["k"])
    meta = VARIABLES[variable]
    frame = district_table(pack)
    classes = classify(frame[variable].to_numpy(), scheme, k, meta["ramp"])
    lows = (classes.minimum, *classes.breaks[:-1])
    ranges = [
        f"{_short(variable, lo, lang)} – {_short(variable, hi, lang)}"
        for lo, hi in zip(lows, classes.breaks, strict=True)
    ]
    percent = variable == "share_65plus"
    rows: list[dict[str, Any]] = []
    for district_id, name, raw in zip(
        frame["district_id"], frame["name"], frame[variable], strict=True
    ):
        # the class from the value the browser colours (the rounded feature property)
        cls = tables.class_of(float(np.round(raw, PROP_DECIMALS[variable])), classes.breaks)
        value = (
            tables.pct(raw, TABLE_DECIMALS[variable])
            if percent
            else tables.num(raw, TABLE_DECIMALS[variable])
        )
        rows.append(
            {
                "district_id": str(district_id),
                "name": str(name),
                "value": value,
                "class": cls,
                "class_label": ranges[cls - 1] if cls is not None else None,
            }
        )
    unit = tr(meta["unit"], lang)
    label = tr(meta["label"], lang)
    columns = (
        TableColumn("name", tr(tables.DISTRICT, lang), "text"),
        TableColumn(
            "value", label, "percent" if percent else "number", unit, TABLE_DECIMALS[variable]
        ),
        TableColumn("class", tr(tables.CLASS, lang), "class"),
        TableColumn("class_label", tr(tables.CLASS_RANGE, lang), "text"),
    )
    n = len(classes.breaks)
    what = {
        "de": f"{label} je Ortsteil ({unit}), eingeteilt in {n} Klassen nach "
        f"„{tr(SCHEMES[scheme], lang)}“; Klasse 1 hat die niedrigsten Werte, Klasse {n} die höchsten.",
        "en": f"{label} per district ({unit}), in {n} classes by "
        f"“{tr(SCHEMES[scheme], lang)}”; class 1 has the lowest values, class {n} the highest.",
    }
    summary = tables.high_low_sentence(
        rows,
        "value",
        "name",
        tables.number_text(unit, TABLE_DECIMALS[variable], lang),
        lang,
    )
    return LayerTable(
        columns=columns,
        rows=rows,
        caption=tables.caption(pack, lang, tr(what, lang)),
        summary=summary,
        key="district_id",
    )


# the click panel's texts (the density's label and unit are VARIABLES')
PANEL_TEXTS: dict[str, Text] = {
    "population": {"de": "Einwohner", "en": "Residents"},
    "area": {"de": "Fläche", "en": "Area"},
    "km2": {"de": "km²", "en": "km²"},
    "pop65": {"de": "Einwohner 65+", "en": "Residents 65+"},
    "share65": {"de": "Anteil 65+", "en": "Share 65+"},
    "under6": {"de": "Kinder unter 6", "en": "Children under 6"},
    "rank": {"de": "Rang {rank} von {n} nach Dichte", "en": "Rank {rank} of {n} by density"},
}


def panel(pack: CityPack, district_id: str, params: Mapping[str, Any], lang: str) -> Panel | None:
    """A district's facts for the click panel: residents, area, density, people aged 65+ (and
    under 6 where the pack has them), its rank by density, and the note on how the districts
    were approximated; ``None`` for an unknown district. The parameters play no part."""
    frame = district_table(pack)
    match = frame[frame["district_id"] == str(district_id)]
    if match.empty:
        return None
    row = match.iloc[0]
    rank = int((frame["density"] > row["density"]).sum()) + 1
    density = VARIABLES["density"]
    rows = [
        (text(PANEL_TEXTS, "population", lang), fmt.number(row["population"], lang)),
        (
            text(PANEL_TEXTS, "area", lang),
            f"{fmt.number(row['area_km2'], lang, 2)} {text(PANEL_TEXTS, 'km2', lang)}",
        ),
        (
            tr(density["label"], lang),
            f"{fmt.number(row['density'], lang)} {tr(density['unit'], lang)}",
        ),
        (text(PANEL_TEXTS, "pop65", lang), fmt.number(row["pop_65plus"], lang)),
        (text(PANEL_TEXTS, "share65", lang), fmt.percent(row["share_65plus"], lang)),
    ]
    if "pop_under6" in frame.columns:
        rows.append((text(PANEL_TEXTS, "under6", lang), fmt.number(row["pop_under6"], lang)))
    parts: list[Part] = [
        Heading(str(row["name"]), id="district-name"),
        Facts(tuple(rows)),
        Line(text(PANEL_TEXTS, "rank", lang, rank=rank, n=len(frame)), note=True),
    ]
    ds = pack.dataset("districts")
    note = ds.approximations.get(lang) or ds.approximations.get("de")
    if note:
        parts.append(Line(note, note=True))
    return Panel(tuple(parts))


DESCRIPTION: Text = {
    "de": (
        "Zeigt je Ortsteil, wie dicht die Menschen wohnen (Einwohner je km²) oder wie hoch "
        "der Anteil der Menschen ab 65 Jahren ist. Dunklere Flächen bedeuten höhere Werte. "
        "Die Klassen werden aus den Daten berechnet; die Zahl in Klammern nennt, wie viele "
        "Ortsteile in eine Klasse fallen."
    ),
    "en": (
        "Shows per district how densely people live (residents per km²) or the share of "
        "people aged 65 and over. Darker areas mean higher values. Classes are computed from "
        "the data; the number in brackets says how many districts fall into a class."
    ),
}

LAYER = Layer(
    id="districts",
    title={"de": "Ortsteile: Bevölkerung", "en": "Districts: population"},
    theme=themes.POPULATION,
    panel_order=10,
    description=DESCRIPTION,
    requires=("districts",),
    render="geojson",
    build=build,
    style=style,
    params=PARAMS,
    default_on=True,
    default_opacity=0.75,
    js_style="choropleth",
    interactive=True,
    table=table,
    panel=panel,
    panel_key="district_id",
)
