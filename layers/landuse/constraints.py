"""Climate and legal constraint zones: the pack's ``constraints`` polygons by kind
(:data:`data.landuse_vocab.CONSTRAINT_KINDS`), drawn semi-transparent so overlapping zones and
the map below stay visible; the table lists every zone with its kind, name, area and source.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from data.landuse_vocab import CONSTRAINT_KINDS
from data.pack import CityPack
from layers import fmt, tables, themes
from layers.base import Layer, LayerData, LayerStyle, LayerTable, Legend, LegendEntry, TableColumn
from layers.landuse import words
from layers.landuse.words import CONSTRAINT_COLORS, M2_PER_HA, TEXTS
from layers.texts import Text, text, tr


def kinds(pack: CityPack) -> list[str]:
    """The constraint kinds the pack has, in the vocabulary's order."""
    return words.present(pack.vector("constraints")["kind"], CONSTRAINT_KINDS)


def _column(frame: Any, name: str) -> list[str | None]:
    if name not in frame.columns:
        return [None] * len(frame)
    return [str(v) if isinstance(v, str) and v.strip() else None for v in frame[name]]


def build(pack: CityPack, lang: str) -> LayerData:
    frame = pack.vector("constraints")
    order = {k: i for i, k in enumerate(kinds(pack), start=1)}
    kind = frame["kind"].astype(str)
    areas = pack.metric("constraints").geometry.area.to_numpy() / M2_PER_HA
    gdf = frame[["geometry"]].copy()
    gdf["constraint_id"] = frame["constraint_id"].astype(str).to_numpy()
    gdf["kind"] = kind.to_numpy()
    gdf["cls"] = [order[k] for k in kind]
    gdf["tooltip"] = [
        f"<strong>{escape(tr(CONSTRAINT_KINDS[k], lang))}</strong>"
        + (f"<br>{escape(n)}" if n else "")
        + f"<br>{fmt.number(a, lang, 1)} {text(TEXTS, 'ha', lang)}"
        for k, n, a in zip(kind, _column(frame, "name"), areas, strict=True)
    ]
    # largest first, so a small zone inside a large one stays on top (and clickable)
    gdf = gdf.iloc[(-areas).argsort(kind="stable")]
    return LayerData(geojson=words.light_geojson(gdf, pack.city.metric_crs))


def style(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerStyle:
    present = kinds(pack)
    colors = [CONSTRAINT_COLORS[k] for k in present]
    styles = words.class_styles(colors, weight=2)
    for i, c in enumerate(colors, start=1):
        styles[str(i)]["color"] = c  # the zone's own colour as its border
    return LayerStyle(
        hideout=words.class_hideout("cls", colors, styles),
        legend=Legend(
            title=text(TEXTS, "constraints.title", lang),
            entries=tuple(
                LegendEntry(CONSTRAINT_COLORS[k], tr(CONSTRAINT_KINDS[k], lang)) for k in present
            ),
        ),
    )


@tables.cached_table(maxsize=8)
def table(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerTable:
    """Every constraint zone: kind, name, area in hectares (pack's metric CRS) and source."""
    metric = pack.metric("constraints")
    areas = metric.geometry.area.to_numpy() / M2_PER_HA
    rank = {k: i for i, k in enumerate(CONSTRAINT_KINDS)}
    rows: list[dict[str, Any]] = [
        {
            "constraint_id": str(cid),
            "kind": tr(CONSTRAINT_KINDS[str(k)], lang),
            "name": n,
            "area_ha": tables.num(a, 1),
            "source": s,
        }
        for cid, k, n, a, s in sorted(
            zip(
                metric["constraint_id"],
                metric["kind"],
                _column(metric, "name"),
                areas,
                _column(metric, "source"),
                strict=True,
            ),
            key=lambda r: (rank[str(r[1])], -r[3]),
        )
    ]
    ha = text(TEXTS, "ha", lang)
    columns = (
        TableColumn("kind", text(TEXTS, "kind", lang), "text"),
        TableColumn("name", text(TEXTS, "name", lang), "text"),
        TableColumn("area_ha", text(TEXTS, "area", lang), "number", ha, 1),
        TableColumn("source", text(TEXTS, "source", lang), "text"),
    )
    crs = str(pack.city.metric_crs)
    what: Text = {
        "de": f"Jede Klima- oder Schutzfläche mit Art, Name, Fläche in Hektar (gemessen in "
        f"{crs}) und Quelle; Flächen verschiedener Art dürfen sich überlagern.",
        "en": f"Every climate or legal constraint zone with its kind, name, area in hectares "
        f"(measured in {crs}) and source; zones of different kinds may overlap.",
    }
    return LayerTable(
        columns=columns,
        rows=rows,
        caption=tables.caption(pack, lang, tr(what, lang)),
        summary=tables.high_low_sentence(
            [{**r, "label": r["name"] or r["kind"]} for r in rows],
            "area_ha",
            "label",
            tables.number_text(ha, 1, lang),
            lang,
        ),
        key="constraint_id",
    )


DESCRIPTION: Text = {
    "de": (
        "Flächen, auf denen Klima oder Recht dem Bauen Grenzen setzen: Kaltluftentstehung, "
        "Luftleitbahnen (Kern und Band), das Überschwemmungsgebiet HQ100, Naturschutz, "
        "Grünzüge und Hitze-Schwerpunkte. Die Flächen sind halb durchsichtig, damit "
        "Überlagerungen sichtbar bleiben; der Tooltip nennt die Art."
    ),
    "en": (
        "Zones where climate or law limits building: cold-air production, ventilation "
        "corridors (core and band), the HQ100 flood zone, protected nature, green corridors "
        "and heat hotspots. The zones are semi-transparent so that overlaps stay visible; the "
        "tooltip names the kind."
    ),
}

LAYER = Layer(
    id="constraints",
    title=TEXTS["constraints.title"],
    theme=themes.LANDUSE,
    panel_order=20,
    description=DESCRIPTION,
    requires=("constraints",),
    render="geojson",
    build=build,
    style=style,
    default_opacity=0.4,
    js_style=words.JS_STYLE,
    interactive=True,
    table=table,
)
