"""The data catalogue: every dataset with provenance, licence and a download."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
from dash import html

from dashboard import components, ids
from dashboard.context import AppContext
from dashboard.grid_locale import grid_options
from dashboard.i18n import t
from dashboard.state import View, view_query
from data.catalog import Dataset
from layers import tr

COLUMNS = (
    "title",
    "id",
    "kind",
    "crs",
    "licence",
    "attribution",
    "origin",
    "temporal",
    "notes",
    "download",
)
# (flex, minimum width in px) per column: long texts get the room, and no column is
# narrower than its longest word or header word ("Koordinatensystem", "OpenStreetMap-…"),
# so words wrap between words, never inside one (see .al-catalog in allmende.css)
WIDTHS = {
    "title": (2, 170),
    "id": (1, 150),
    "kind": (1, 100),
    "crs": (1, 175),
    "licence": (1, 140),
    "attribution": (3, 240),
    "origin": (3, 240),
    "temporal": (1, 130),
    "notes": (4, 300),
    "download": (1, 110),
}
# columns holding addresses or ids, which may break anywhere when they do not fit
BREAK_ANYWHERE = ("origin", "download")
DOWNLOAD_EXT = {"vector": "geojson", "table": "csv", "timeseries": "csv", "raster": "nc"}


def download_href(ds: Dataset) -> str:
    return f"/download/{ds.id}.{DOWNLOAD_EXT[ds.kind]}"


def rows(ctx: AppContext, lang: str) -> list[dict[str, Any]]:
    out = []
    for ds in ctx.pack.catalog.datasets:
        source = ds.source_text(lang)
        parts = [source] if source else []
        if ds.generated_by:
            parts.insert(0, f"{t('catalog.generated', lang)}: {ds.generated_by}")
        origin = "; ".join(parts)
        out.append(
            {
                "title": tr(ds.title, lang),
                "id": ds.id,
                "kind": t(f"catalog.kind.{ds.kind}", lang),
                "crs": ds.crs or t("catalog.none", lang),
                "licence": ds.licence,
                "attribution": ds.attribution_text(lang),
                "origin": origin,
                "temporal": ds.temporal.label(lang) if ds.temporal else t("catalog.none", lang),
                "notes": tr(ds.approximations, lang) if ds.approximations else "",
                "download": f"[{DOWNLOAD_EXT[ds.kind].upper()}]({download_href(ds)})",
            }
        )
    return out


def layout(ctx: AppContext, view: View) -> html.Div:
    lang = view.lang
    column_defs = [
        {
            "field": c,
            "headerName": t(f"catalog.col.{c}", lang),
            "wrapText": True,
            "autoHeight": True,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            "flex": WIDTHS[c][0],
            "minWidth": WIDTHS[c][1],
            "cellClass": "al-break-anywhere" if c in BREAK_ANYWHERE else "al-break-words",
            "cellStyle": {"lineHeight": "1.35", "paddingTop": "6px", "paddingBottom": "6px"},
            **({"cellRenderer": "markdown"} if c == "download" else {}),
        }
        for c in COLUMNS
    ]
    downloads = html.Ul(
        [
            html.Li(
                html.A(
                    f"{tr(ds.title, lang)} ({DOWNLOAD_EXT[ds.kind].upper()})",
                    href=download_href(ds),
                )
            )
            for ds in ctx.pack.catalog.datasets
        ]
    )
    return html.Div(
        [
            components.header(ctx, lang, "catalog", view_query(view)),
            html.Main(
                [
                    html.H2(t("catalog.heading", lang)),
                    html.P(t("catalog.intro", lang)),
                    html.Div(
                        dag.AgGrid(
                            id=ids.CATALOG_GRID,
                            rowData=rows(ctx, lang),
                            columnDefs=column_defs,
                            defaultColDef={"sortable": True, "resizable": True, "filter": True},
                            dashGridOptions=grid_options(lang, domLayout="autoHeight"),
                            style={"width": "100%"},
                        ),
                        className="al-catalog",
                    ),
                    html.H3(t("catalog.col.download", lang)),
                    downloads,
                ],
                id="main",
                className="al-page",
            ),
            components.footer(ctx, lang),
        ]
    )
