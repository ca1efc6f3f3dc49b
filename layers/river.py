"""The river: where is the water? A line layer for orientation (and later for cooling)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from data.pack import CityPack, to_geojson
from layers.base import Layer, LayerData, LayerStyle, Legend, LegendEntry

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


LAYER = Layer(
    id="river",
    title=TITLE,
    group={"de": "Orientierung", "en": "Orientation"},
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
)
