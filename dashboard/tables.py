"""The table alternative of a map layer, as people read it: caption, summary, sortable grid.

Every layer of the registry offers a :class:`layers.base.LayerTable` for its current
parameters (the same numbers the map shows). Numbers stay numbers in the grid, so sorting
is numeric; the grid formats them in the page's language.
"""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
from dash import html

from dashboard import ids, linking
from dashboard.components import attrs
from dashboard.context import AppContext
from dashboard.grid_locale import grid_options
from dashboard.i18n import t
from layers import fmt
from layers.base import Layer
from layers.params import ParamError

NUMERIC_KINDS = ("number", "percent", "class", "integer")
PAGE_ROWS = 25  # rows per page of a long table


def number_formatter(
    lang: str, decimals: int | None = None, grouping: bool = True
) -> dict[str, str]:
    """AG Grid ``valueFormatter`` showing a number in the page language (``22.568``, ``42,6``
    in German; ``22,568``, ``42.6`` in English); a missing value as an en dash. ``decimals``
    fixes the digits after the mark (``None``: as the value has, at most 3)."""
    options = [f"useGrouping: {'true' if grouping else 'false'}"]
    if decimals is not None:
        options += [f"minimumFractionDigits: {decimals}", f"maximumFractionDigits: {decimals}"]
    locale = fmt.BROWSER_LOCALES.get(lang, "de-DE")
    return {
        "function": "params.value == null ? '–' : "
        f"Number(params.value).toLocaleString('{locale}', {{{', '.join(options)}}})"
    }


def date_formatter(lang: str) -> dict[str, str]:
    """AG Grid ``valueFormatter`` showing an ISO date (``2025-06-01``) as the page's date
    (``01.06.2025`` in German, unchanged in English); the value stays ISO for sorting.
    Plain expressions only: AG Grid for Dash evaluates them with its own interpreter, which
    knows no global ``String``."""
    if lang != "de":
        return {"function": "params.value == null ? '–' : params.value"}
    v = "params.value"
    return {
        "function": f"params.value == null ? '–' : "
        f"{v}.slice(8, 10) + '.' + {v}.slice(5, 7) + '.' + {v}.slice(0, 4)"
    }


def column_def(col: Any, lang: str) -> dict[str, Any]:
    """The AG Grid column of a map-table column (:class:`layers.base.TableColumn`) or a
    chart-table column (:class:`layers.charts.Column`): header with unit, and numbers and
    dates formatted in the page language."""
    unit = getattr(col, "unit", "")
    spec: dict[str, Any] = {
        "field": col.field,
        "headerName": f"{col.header} ({unit})" if unit else col.header,
        "flex": 1,
        "minWidth": 110,
    }
    if col.kind in NUMERIC_KINDS:
        spec["type"] = "numericColumn"
        decimals = getattr(col, "decimals", None)
        spec["valueFormatter"] = number_formatter(
            lang,
            decimals if col.kind in ("number", "percent") and decimals else None,
            grouping=col.kind != "integer",
        )
    elif col.kind == "date":
        # as text: AG Grid would take an ISO string for its own date type and format it
        spec["cellDataType"] = "text"
        spec["valueFormatter"] = date_formatter(lang)
    return spec


def column_defs(table: Any, lang: str) -> list[dict[str, Any]]:
    """The AG Grid columns of a :class:`layers.base.LayerTable` (or anything with such
    ``columns``)."""
    return [column_def(col, lang) for col in table.columns]


def table_body(
    ctx: AppContext,
    layer: Layer,
    params: dict[str, Any],
    lang: str,
    base: str,
    grid_kind: str | None = None,
    selected: Any = None,
) -> list[Any]:
    """Caption, summary and the sortable grid of a layer's table (errors as a message).

    ``grid_kind`` (``ids.LAYER_GRID`` or ``ids.EMBED_GRID``): a table whose rows are the
    layer's clickable features gets that pattern id and single-row selection, linked with the
    map (:mod:`dashboard.linking`); ``selected``: the selection store's data, whose row starts
    selected."""
    if layer.table is None:  # every registry layer has one; a test says so
        return [html.P(t("table.none", lang))]
    try:
        table = layer.table(ctx.pack, layer.clean_params(params), lang)
    except ParamError as err:
        message = t("error.params", lang, detail=err.text(lang))
        return [html.P(message, className="al-error", role="alert")]
    except (ValueError, KeyError) as err:
        return [html.P(str(err), className="al-error", role="alert")]
    caption_id = f"{base}-caption"
    # every row in the page's flow (no inner scroll box: ag-grid keeps an off-screen
    # scrolling grid undrawn, header and cells hidden, until it is scrolled into view);
    # a long table in pages of PAGE_ROWS
    options: dict[str, Any] = {"domLayout": "autoHeight"}
    if len(table.rows) > PAGE_ROWS:
        options |= {
            "pagination": True,
            "paginationPageSize": PAGE_ROWS,
            "paginationPageSizeSelector": False,
        }
    grid_id: Any = base
    link: dict[str, Any] = {}
    if grid_kind is not None and linking.linked(layer, table.key):
        variant = layer.variant(params)
        grid_id = ids.grid_id(grid_kind, layer.id, variant)
        key = str(layer.panel_key)
        link = {
            "getRowId": f"params.data.{key}",
            "selectedRows": _selected(selected, layer.id, variant, table.rows, key),
        }
        options["rowSelection"] = {
            "mode": "singleRow",
            "checkboxes": False,
            "enableClickSelection": True,
        }
    return [
        html.P(table.caption, id=caption_id),
        html.P(table.summary, className="al-note"),
        html.Div(
            dag.AgGrid(
                id=grid_id,
                rowData=table.rows,
                columnDefs=column_defs(table, lang),
                defaultColDef={"sortable": True, "resizable": True, "filter": True},
                dashGridOptions=grid_options(lang, **options),
                style={"width": "100%"},
                **link,
            ),
            role="group",
            **attrs({"aria-labelledby": caption_id}),
        ),
    ]


def _selected(selected: Any, layer_id: str, variant: str, rows: list[Any], key: str) -> Any:
    """The grid's ``selectedRows`` for the selection store's data: the selected row's id if
    it is this layer's (same geometry variant) and in the table, else none."""
    if not isinstance(selected, dict) or selected.get("layer") != layer_id:
        return []
    if selected.get("variant", "") != variant:
        return []
    wanted = selected.get("key")
    if not isinstance(wanted, str) or not any(str(r.get(key)) == wanted for r in rows):
        return []
    return {"ids": [wanted]}


def layer_table_section(
    ctx: AppContext,
    layer: Layer,
    params: dict[str, Any],
    lang: str,
    base: str,
    grid_kind: str | None = None,
) -> html.Details:
    """A collapsible section with the layer's table (the embed shows it at once)."""
    body = table_body(ctx, layer, params, lang, base, grid_kind)
    return html.Details(
        [html.Summary(t("table.show", lang)), *body],
        className="al-table",
    )
