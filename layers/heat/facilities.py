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

import numpy as np
import shapely

from data.pack import CityPack, to_geojson
from data.schemas import FACILITY_KIND_LABELS
from layers import fmt, tables, themes
from layers.base import Layer, LayerData, LayerStyle, LayerTable, Legend, LegendEntry, TableColumn
from layers.texts import tr

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


@tables.cached_table(maxsize=8)
def table(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerTable:
    """Each facility: name, kind, the letter it has on the map and (if the pack has districts)
    the district it lies in (point in polygon, metric CRS, as the heat index counts them)."""
    metric = pack.metric("facilities")
    labels = {k: tr(v, lang) for k, v in FACILITY_KIND_LABELS.items()}
    districts: list[str | None] = [None] * len(metric)
    with_districts = pack.has("districts")
    if with_districts and len(metric):
        x, y = metric.geometry.x.to_numpy(), metric.geometry.y.to_numpy()
        where = np.full(len(metric), -1, dtype=np.int64)
        _, names = tables.district_units(pack)
        for k, geom in enumerate(pack.metric("districts").geometry):
            where[shapely.contains_xy(geom, x, y) & (where < 0)] = k
        districts = [names[k] if k >= 0 else None for k in where]
    rows: list[dict[str, Any]] = []
    for fid, name, kind, district in zip(
        metric["facility_id"], metric["name"], metric["kind"], districts, strict=True
    ):
        label = labels.get(str(kind), str(kind))
        rows.append(
            {
                "facility_id": str(fid),
                "name": str(name) if isinstance(name, str) and name else label,
                "kind": label,
                "symbol": SYMBOLS[kind][0 if lang == "de" else 1] if kind in SYMBOLS else None,
                **({"district": district} if with_districts else {}),
            }
        )
    columns = [
        TableColumn("name", tr(tables.NAME, lang), "text"),
        TableColumn("kind", tr({"de": "Art", "en": "Kind"}, lang), "text"),
        TableColumn(
            "symbol", tr({"de": "Zeichen auf der Karte", "en": "Map letter"}, lang), "text"
        ),
    ]
    if with_districts:
        columns.append(TableColumn("district", tr(tables.DISTRICT, lang), "text"))
    text = {
        "de": "Empfindliche Einrichtungen mit Name, Art und dem Buchstaben ihres Zeichens auf "
        "der Karte" + (" sowie dem Ortsteil, in dem sie liegen." if with_districts else "."),
        "en": "Sensitive facilities with name, kind and the letter of their marker on the map"
        + (" and the district they lie in." if with_districts else "."),
    }
    synthetic = {
        "de": "Synthetische Demo-Daten: Lagen erfunden.",
        "en": "Synthetic demo data: positions invented.",
    }
    counts = metric["kind"].value_counts()
    parts = ", ".join(
        f"{fmt.number(int(counts.get(kind, 0)), lang)} × {labels[kind]}" for kind in SYMBOLS
    )
    summary = {
        "de": f"{fmt.number(len(metric), lang)} Einrichtungen: {parts}.",
        "en": f"{fmt.number(len(metric), lang)} facilities: {parts}.",
    }
    return LayerTable(
        columns=tuple(columns),
        rows=rows,
        caption=tables.caption(pack, lang, tr(text, lang), synthetic=synthetic),
        summary=tr(summary, lang),
        key="facility_id",
    )


LAYER = Layer(
    id="facilities",
    title=LAYER_TITLE,
    theme=themes.HEAT,
    panel_order=10,
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
    table=table,
)
