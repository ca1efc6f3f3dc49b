"""The river: where is the water? A line layer for orientation (and later for cooling)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from data.pack import CityPack, to_geojson
from layers import fmt, tables, themes
from layers.base import Layer, LayerData, LayerStyle, LayerTable, Legend, LegendEntry, TableColumn
from layers.texts import tr

COLOR = "#1f78b4"
TITLE = {"de": "Fluss", "en": "River"}


def build(pack: CityPack, lang: str) -> LayerData:
    gdf = pack.vector("river")[["geometry"]].copy()
    return LayerData(geojson=to_geojson(gdf))


def style(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerStyle:
    title = pack.dataset("river").title
    label = title.get(lang) or title["de"]
    return LayerStyle(
        hideout={"color": COLOR, "weight": 4},
        legend=Legend(title=TITLE[lang], entries=(LegendEntry(COLOR, label),), shape="line"),
    )


@tables.cached_table(maxsize=8)
def table(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerTable:
    """Each river (features with the same name together) and its length in km, measured in
    the pack's metric CRS; unnamed lines take the dataset's title."""
    metric = pack.metric("river")
    fallback = tr(pack.dataset("river").title, lang)
    names = (
        [str(n) if isinstance(n, str) and n.strip() else fallback for n in metric["name"]]
        if "name" in metric.columns
        else [fallback] * len(metric)
    )
    lengths: dict[str, float] = {}
    for name, length in zip(names, metric.geometry.length.to_numpy(), strict=True):
        lengths[name] = lengths.get(name, 0.0) + float(length)
    rows: list[dict[str, Any]] = [
        {"name": n, "length_km": tables.num(v / 1000.0, 1)} for n, v in lengths.items()
    ]
    columns = (
        TableColumn("name", tr(tables.NAME, lang), "text"),
        TableColumn("length_km", tr({"de": "Länge", "en": "Length"}, lang), "number", "km", 1),
    )
    crs = str(pack.city.metric_crs)
    text = {
        "de": f"Flüsse der Karte mit der Länge ihrer Linien im Datensatz in km (gemessen in {crs}).",
        "en": f"Rivers on the map with the length of their lines in the dataset in km (measured in {crs}).",
    }
    summary = "; ".join(f"{r['name']}: {fmt.number(r['length_km'], lang, 1)} km" for r in rows)
    return LayerTable(
        columns=columns,
        rows=rows,
        caption=tables.caption(pack, lang, tr(text, lang)),
        summary=(summary + ".") if rows else tr({"de": "Keine Flüsse.", "en": "No rivers."}, lang),
    )


LAYER = Layer(
    id="river",
    title=TITLE,
    theme=themes.ORIENTATION,
    panel_order=10,
    description={
        "de": "Der Lauf des Flusses durch die Stadt, zur Orientierung.",
        "en": "The course of the river through the city, for orientation.",
    },
    requires=("river",),
    render="geojson",
    build=build,
    style=style,
    default_on=True,
    default_opacity=0.9,
    js_style="line",
    table=table,
)
