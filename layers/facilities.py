"""Heat-sensitive facilities: where do small children, pupils, care-home residents and
patients spend their days?

Points from the pack's ``facilities`` dataset (kinds: Kita, school, care home, hospital).
Each kind has its own letter and shape as well as its own colour (Okabe–Ito palette), so the
map never relies on colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from data.pack import CityPack, to_geojson
from data.schemas import FACILITY_KIND_LABELS
from layers.base import Layer, LayerData, LayerStyle, Legend, LegendEntry, tr

# kind: (letter de, letter en, colour, shape)
SYMBOLS: dict[str, tuple[str, str, str, str]] = {
    "kita": ("K", "D", "#e69f00", "circle"),
    "school": ("S", "S", "#56b4e9", "square"),
    "care_home": ("P", "C", "#cc79a7", "diamond"),
    "hospital": ("H", "H", "#009e73", "square"),
}


def build(pack: CityPack, lang: str) -> LayerData:
    gdf = pack.vector("facilities")[["facility_id", "name", "kind", "geometry"]].copy()
    gdf["name"] = gdf["name"].fillna("").astype(str)
    labels = {k: tr(v, lang) for k, v in FACILITY_KIND_LABELS.items()}
    gdf["label"] = [labels.get(k, k) for k in gdf["kind"]]
    gdf["symbol"] = [SYMBOLS[k][0 if lang == "de" else 1] for k in gdf["kind"]]
    gdf["color"] = [SYMBOLS[k][2] for k in gdf["kind"]]
    gdf["shape"] = [SYMBOLS[k][3] for k in gdf["kind"]]
    gdf["tooltip"] = [
        f"<strong>{escape(n or lab)}</strong><br>{escape(lab)}"
        for n, lab in zip(gdf["name"], gdf["label"], strict=True)
    ]
    table = gdf[["facility_id", "name", "label"]].to_dict("records")
    return LayerData(geojson=to_geojson(gdf), table=table)


def style(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerStyle:
    counts = pack.vector("facilities")["kind"].value_counts()
    entries = tuple(
        LegendEntry(
            color,
            f"{de if lang == 'de' else en} = {tr(FACILITY_KIND_LABELS[kind], lang)} ({int(counts.get(kind, 0))})",
        )
        for kind, (de, en, color, _shape) in SYMBOLS.items()
    )
    note = {
        "de": "Buchstabe und Form kennzeichnen die Art. In Klammern: Anzahl.",
        "en": "Letter and shape mark the kind. In brackets: number.",
    }
    if pack.synthetic:
        note = {
            "de": note["de"] + " Synthetische Demo-Daten: Lagen erfunden.",
            "en": note["en"] + " Synthetic demo data: positions invented.",
        }
    return LayerStyle(
        hideout={},
        legend=Legend(title=tr(LAYER_TITLE, lang), entries=entries, unit="", note=tr(note, lang)),
    )


LAYER_TITLE = {"de": "Empfindliche Einrichtungen", "en": "Sensitive facilities"}

LAYER = Layer(
    id="facilities",
    title=LAYER_TITLE,
    group={"de": "Hitze", "en": "Heat"},
    description={
        "de": (
            "Kitas, Schulen, Pflegeheime und Krankenhäuser: Orte, an denen Menschen Hitze "
            "besonders schlecht vertragen. K = Kita, S = Schule, P = Pflegeheim, H = Krankenhaus."
        ),
        "en": (
            "Day-care centres, schools, care homes and hospitals: places where people cope "
            "badly with heat. D = day care, S = school, C = care home, H = hospital."
        ),
    },
    requires=("facilities",),
    render="geojson",
    build=build,
    style=style,
    default_on=False,
    default_opacity=1.0,
    js_style="line",
    interactive=True,
    point_to_layer="facilityMarker",
)
