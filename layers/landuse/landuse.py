"""Land use today: the pack's ``landuse`` polygons coloured by class.

Each polygon carries its class number (1…n in :data:`data.landuse_vocab.LANDUSE_CLASSES`
order of the classes present) and a tooltip naming the class; the table gives the area per
class in hectares (measured in the pack's metric CRS) and its share of the mapped land.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

import numpy as np
import shapely

from data.landuse_vocab import LANDUSE_CLASSES
from data.pack import CityPack
from layers import fmt, tables, themes
from layers.base import Layer, LayerData, LayerStyle, LayerTable, Legend, LegendEntry, TableColumn
from layers.landuse import words
from layers.landuse.words import LANDUSE_COLORS, M2_PER_HA, TEXTS
from layers.params import Param
from layers.texts import Text, text, tr

TABLE_PARAM = Param(
    "table",
    {"de": "Tabelle", "en": "Table"},
    "choice",
    "class",
    choices=(
        ("class", {"de": "je Nutzungsart", "en": "per land-use class"}),
        ("district", {"de": "je Ortsteil und Nutzungsart", "en": "per district and class"}),
    ),
)


def classes(pack: CityPack) -> list[str]:
    """The land-use classes the pack has, in the vocabulary's order."""
    return words.present(pack.vector("landuse")["use"], LANDUSE_CLASSES)


def build(pack: CityPack, lang: str) -> LayerData:
    frame = pack.vector("landuse")
    order = {c: i for i, c in enumerate(classes(pack), start=1)}
    uses = frame["use"].astype(str)
    areas = pack.metric("landuse").geometry.area.to_numpy() / M2_PER_HA
    names = frame["name"] if "name" in frame.columns else [None] * len(frame)
    gdf = frame[["geometry"]].copy()
    gdf["use"] = uses.to_numpy()
    gdf["cls"] = [order[u] for u in uses]
    gdf["tooltip"] = [
        f"<strong>{escape(tr(LANDUSE_CLASSES[u], lang))}</strong>"
        + (f"<br>{escape(str(n))}" if isinstance(n, str) and n.strip() else "")
        + f"<br>{fmt.number(a, lang, 1)} {text(TEXTS, 'ha', lang)}"
        for u, n, a in zip(uses, names, areas, strict=True)
    ]
    return LayerData(geojson=words.light_geojson(gdf, pack.city.metric_crs))


def style(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerStyle:
    present = classes(pack)
    colors = [LANDUSE_COLORS[c] for c in present]
    return LayerStyle(
        hideout=words.class_hideout("cls", colors, words.class_styles(colors)),
        legend=Legend(
            title=text(TEXTS, "landuse.title", lang),
            entries=tuple(
                LegendEntry(LANDUSE_COLORS[c], tr(LANDUSE_CLASSES[c], lang)) for c in present
            ),
        ),
    )


@tables.cached_table(maxsize=8)
def table(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerTable:
    """Per land-use class (``table`` = ``class``): its area in hectares (pack's metric CRS),
    its share of all mapped land-use area and its number of polygons; per district
    (``district``, when the pack has districts): the hectares of each class inside it."""
    if params.get("table") == "district" and pack.has("districts"):
        return _district_table(pack, lang)
    metric = pack.metric("landuse")
    area = metric.geometry.area / M2_PER_HA
    grouped = area.groupby(metric["use"].astype(str)).agg(["sum", "count"])
    total = float(area.sum())
    rows: list[dict[str, Any]] = []
    for use in classes(pack):
        ha, n = float(grouped.loc[use, "sum"]), int(grouped.loc[use, "count"])
        rows.append(
            {
                "use": use,
                "name": tr(LANDUSE_CLASSES[use], lang),
                "area_ha": tables.num(ha, 1),
                "share": tables.pct(ha / total if total else None, 1),
                "polygons": n,
            }
        )
    unit = text(TEXTS, "ha", lang)
    columns = (
        TableColumn("name", text(TEXTS, "class", lang), "text"),
        TableColumn("area_ha", text(TEXTS, "area", lang), "number", unit, 1),
        TableColumn("share", text(TEXTS, "share", lang), "percent", "%", 1),
        TableColumn("polygons", text(TEXTS, "polygons", lang), "number"),
    )
    crs = str(pack.city.metric_crs)
    what: Text = {
        "de": f"Fläche je Nutzungsart in Hektar (gemessen in {crs}) und ihr Anteil an der "
        "gesamten kartierten Fläche.",
        "en": f"Area per land-use class in hectares (measured in {crs}) and its share of all "
        "mapped land.",
    }
    return LayerTable(
        columns=columns,
        rows=rows,
        caption=tables.caption(pack, lang, tr(what, lang)),
        summary=tables.high_low_sentence(
            rows, "area_ha", "name", tables.number_text(unit, 1, lang), lang
        ),
        key="use",
    )


def district_areas(pack: CityPack) -> tuple[list[str], list[str], np.ndarray]:
    """District ids, names and the hectares of each present class inside each district
    (array [district, class] in :func:`classes` order), by intersecting the land-use
    polygons with the districts (an ``STRtree`` finds the pairs) in the metric CRS."""
    lu = pack.metric("landuse")
    districts = pack.metric("districts")
    present = classes(pack)
    col = {c: i for i, c in enumerate(present)}
    lu_geoms = np.asarray(lu.geometry.values, dtype=object)
    d_geoms = np.asarray(districts.geometry.values, dtype=object)
    d_idx, lu_idx = shapely.STRtree(lu_geoms).query(d_geoms, predicate="intersects")
    pieces = shapely.area(shapely.intersection(lu_geoms[lu_idx], d_geoms[d_idx])) / M2_PER_HA
    out = np.zeros((len(districts), len(present)))
    uses = lu["use"].astype(str).to_numpy()
    np.add.at(out, (d_idx, np.array([col[uses[i]] for i in lu_idx], dtype=int)), pieces)
    return (
        [str(v) for v in districts["district_id"]],
        [str(v) for v in districts["name"]],
        out,
    )


def _district_table(pack: CityPack, lang: str) -> LayerTable:
    ids, names, areas = district_areas(pack)
    present = classes(pack)
    unit = text(TEXTS, "ha", lang)
    rows: list[dict[str, Any]] = []
    for i, (district_id, name) in enumerate(zip(ids, names, strict=True)):
        row: dict[str, Any] = {"district_id": district_id, "name": name}
        for j, use in enumerate(present):
            row[f"ha_{use}"] = tables.num(areas[i, j], 1)
        row["total_ha"] = tables.num(areas[i].sum(), 1)
        rows.append(row)
    columns = (
        TableColumn("name", tr(tables.DISTRICT, lang), "text"),
        *(
            TableColumn(f"ha_{use}", tr(LANDUSE_CLASSES[use], lang), "number", unit, 1)
            for use in present
        ),
        TableColumn("total_ha", text(TEXTS, "total", lang), "number", unit, 1),
    )
    crs = str(pack.city.metric_crs)
    what: Text = {
        "de": f"Fläche jeder Nutzungsart je Ortsteil in Hektar (die Nutzungsflächen mit den "
        f"Ortsteilen verschnitten, gemessen in {crs}); Flächen außerhalb der Ortsteile zählen "
        "nicht mit.",
        "en": f"Area of each land-use class per district in hectares (land use intersected with "
        f"the districts, measured in {crs}); land outside the districts is not counted.",
    }
    return LayerTable(
        columns=columns,
        rows=rows,
        caption=tables.caption(pack, lang, tr(what, lang)),
        summary=tables.high_low_sentence(
            rows, "total_ha", "name", tables.number_text(unit, 1, lang), lang
        ),
        key="district_id",
    )


DESCRIPTION: Text = {
    "de": (
        "Wofür die Flächen heute genutzt werden: Wohnen, Gewerbe, Industrie, Gemeinbedarf, "
        "Grünanlagen, Wald, Landwirtschaft, Kleingärten und Wasser. Jede Nutzungsart hat "
        "eine eigene Farbe; der Tooltip und die Tabelle nennen sie mit ihrer Fläche."
    ),
    "en": (
        "What the land is used for today: housing, commerce, industry, public facilities, "
        "public green, forest, agriculture, allotments and water. Each class has its own "
        "colour; the tooltip and the table name it with its area."
    ),
}

LAYER = Layer(
    id="landuse",
    title=TEXTS["landuse.title"],
    theme=themes.LANDUSE,
    panel_order=10,
    description=DESCRIPTION,
    requires=("landuse",),
    render="geojson",
    build=build,
    style=style,
    params=(TABLE_PARAM,),
    default_opacity=0.7,
    js_style=words.JS_STYLE,
    interactive=True,
    table=table,
)
