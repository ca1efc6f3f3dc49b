"""The data catalogue: every dataset with provenance, licence and a download."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
from dash import html

from dashboard import components, ids
from dashboard.context import AppContext
from dashboard.i18n import t
from dashboard.state import View, view_query
from data.catalog import Dataset
from layers import tr

# relative column widths of the long-text columns
WIDE = {"title": 2, "attribution": 3, "origin": 2, "notes": 4}
DOWNLOAD_EXT = {"vector": "geojson", "table": "csv", "timeseries": "csv", "raster": "nc"}


def download_href(ds: Dataset) -> str:
    return f"/download/{ds.id}.{DOWNLOAD_EXT[ds.kind]}"


def rows(ctx: AppContext, lang: str) -> list[dict[str, Any]]:
    out = []
    for ds in ctx.pack.catalog.datasets:
        parts = [ds.source] if ds.source else []
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
                "attribution": ds.attribution,
                "origin": origin,
                "temporal": ds.temporal.label() if ds.temporal else t("catalog.none", lang),
                "notes": tr(ds.approximations, lang) if ds.approximations else "",
                "download": f"[{DOWNLOAD_EXT[ds.kind].upper()}]({download_href(ds)})",
            }
        )
    return out


def layout(ctx: AppContext, view: View) -> html.Div:
    lang = view.lang
    cols = [
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
    ]
    column_defs = [
        {
            "field": c,
            "headerName": t(f"catalog.col.{c}", lang),
            "wrapText": True,
            "autoHeight": True,
            "flex": WIDE.get(c, 1),
            "minWidth": 110,
            "cellStyle": {"lineHeight": "1.35", "paddingTop": "6px", "paddingBottom": "6px"},
            **({"cellRenderer": "markdown"} if c == "download" else {}),
        }
        for c in cols
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
                    dag.AgGrid(
                        id=ids.CATALOG_GRID,
                        rowData=rows(ctx, lang),
                        columnDefs=column_defs,
                        defaultColDef={"sortable": True, "resizable": True, "filter": True},
                        dashGridOptions={"domLayout": "autoHeight"},
                        style={"width": "100%"},
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
