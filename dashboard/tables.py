"""The table alternative of a map layer, as people read it: caption, summary, sortable grid.

Every layer of the registry offers a :class:`layers.base.LayerTable` for its current
parameters (the same numbers the map shows). Numbers stay numbers in the grid, so sorting
is numeric; the grid formats them in the page's language.
"""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
from dash import html

from dashboard.components import attrs
from dashboard.context import AppContext
from dashboard.i18n import t
from layers.base import Layer


def column_defs(table: Any, lang: str) -> list[dict[str, Any]]:
    locale = "de-DE" if lang == "de" else "en-GB"
    out = []
    for col in table.columns:
        header = f"{col.header} ({col.unit})" if getattr(col, "unit", "") else col.header
        spec: dict[str, Any] = {
            "field": col.field,
            "headerName": header,
            "flex": 1,
            "minWidth": 110,
        }
        if col.kind in ("number", "percent", "class"):
            spec["type"] = "numericColumn"
            spec["valueFormatter"] = {
                "function": f"params.value == null ? '–' : Number(params.value).toLocaleString('{locale}')"
            }
        out.append(spec)
    return out


def table_body(
    ctx: AppContext, layer: Layer, params: dict[str, Any], lang: str, base: str
) -> list[Any]:
    """Caption, summary and the sortable grid of a layer's table (errors as a message)."""
    if layer.table is None:  # every registry layer has one; a test says so
        return [html.P(t("table.none", lang))]
    try:
        table = layer.table(ctx.pack, layer.clean_params(params), lang)
    except (ValueError, KeyError) as err:
        return [html.P(str(err), className="al-error", role="alert")]
    caption_id = f"{base}-caption"
    return [
        html.P(table.caption, id=caption_id),
        html.P(table.summary, className="al-note"),
        html.Div(
            dag.AgGrid(
                id=base,
                rowData=table.rows,
                columnDefs=column_defs(table, lang),
                defaultColDef={"sortable": True, "resizable": True, "filter": True},
                dashGridOptions={"domLayout": "autoHeight" if len(table.rows) <= 40 else "normal"},
                style={"width": "100%", "height": None if len(table.rows) <= 40 else "360px"},
            ),
            role="group",
            **attrs({"aria-labelledby": caption_id}),
        ),
    ]


def layer_table_section(
    ctx: AppContext, layer: Layer, params: dict[str, Any], lang: str, base: str
) -> html.Details:
    """A collapsible section with the layer's table (the embed shows it at once)."""
    return html.Details(
        [html.Summary(t("table.show", lang)), *table_body(ctx, layer, params, lang, base)],
        className="al-table",
    )
