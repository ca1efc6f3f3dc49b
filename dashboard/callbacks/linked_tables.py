"""A layer's table and the map, linked both ways (see :mod:`dashboard.linking`).

* A row chosen in a linked table zooms the map to its feature and outlines it; its panel
  opens through the selection store (the district panel's callback owns the panel).
  Registered once for the map page's grids and once for the embed's: each page has its
  own map.
* A click on a linked layer's feature selects its row in that layer's table, wherever the
  table is open, scrolls to it and outlines the feature.

The selection store (``ids.SELECTION``) says what is selected, so the grid's echo of a
selection made from the map does not move the map, and a table opened later starts with the
row selected. Every value from the browser is checked before use: a crafted request changes
nothing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, no_update
from dash import ctx as dash_ctx

from dashboard import ids, linking
from dashboard.callbacks import inputs
from dashboard.context import AppContext
from dashboard.i18n import language
from layers import get_layer

MAX_GRIDS = 50


def same(selection: linking.Selection, stored: Any) -> bool:
    """Whether the selection store already holds ``selection`` (from the map or a table)."""
    if not isinstance(stored, dict):
        return False
    return {k: stored.get(k) for k in ("layer", "variant", "key")} == selection.store()


def on_row(
    ctx: AppContext, trigger: Any, rows_list: Any, grid_ids: Any, stored: Any, lang: str
) -> tuple[Any, ...] | None:
    """After a grid's ``selectedRows`` changed: (viewport, highlight, halo, selection store),
    or ``None`` to change nothing (the echo of a map click, a cleared selection, a malformed
    request). The store says the selection came from a table, and the district panel's
    callback (the panel's one owner) opens the feature's panel. Pure: tests call it."""
    if not isinstance(trigger, dict):
        return None
    rows_items, id_items = inputs.items(rows_list, MAX_GRIDS), inputs.items(grid_ids, MAX_GRIDS)
    if rows_items is None or id_items is None or len(rows_items) != len(id_items):
        return None
    k = next((i for i, g in enumerate(id_items) if g == trigger), None)
    if k is None:
        return None
    try:
        layer = get_layer(str(trigger.get("layer")))
    except KeyError:
        return None
    key = linking.row_key(rows_items[k], layer)
    if key is None:
        return None
    selection = linking.select(ctx, layer.id, trigger.get("variant"), key, lang)
    if selection is None or same(selection, stored):
        return None
    features = selection.features
    return selection.viewport(), features, features, {**selection.store(), "from": "table"}


def on_click(
    ctx: AppContext,
    trigger: Any,
    clicks: Any,
    features: Any,
    layer_ids: Any,
    urls: Any,
    lang: str,
) -> tuple[str, str, linking.Selection] | None:
    """After a click on a map feature: the selection it makes (``None``: not a linked
    layer's feature, or a malformed request)."""
    if not isinstance(trigger, dict):
        return None
    lists = [inputs.items(x, MAX_GRIDS) for x in (clicks, features, layer_ids, urls)]
    if any(x is None for x in lists) or len({len(x or []) for x in lists}) != 1:
        return None
    clicks_l, features_l, ids_l, urls_l = lists
    assert clicks_l is not None and features_l is not None and ids_l is not None
    assert urls_l is not None
    k = next((i for i, g in enumerate(ids_l) if g == trigger), None)
    if k is None or not clicks_l[k]:
        return None
    try:
        layer = get_layer(str(trigger.get("layer")))
    except KeyError:
        return None
    key = linking.clicked_key(features_l[k], layer)
    if key is None:
        return None
    selection = linking.select(ctx, layer.id, _variant(urls_l[k]), key, lang)
    if selection is None:
        return None
    return layer.id, selection.variant, selection


def grid_rows(outputs: Any, selection: linking.Selection) -> tuple[list[Any], list[Any]]:
    """``selectedRows`` and ``scrollTo`` for every grid of one kind (Dash's ``outputs_list``
    entry): the selected row in the selection's layer's grid, nothing changed elsewhere."""
    rows, scrolls = [], []
    for out in outputs if isinstance(outputs, list) else []:
        grid = out.get("id") if isinstance(out, dict) else None
        mine = (
            isinstance(grid, dict)
            and grid.get("layer") == selection.layer
            and grid.get("variant") == selection.variant
        )
        rows.append({"ids": [selection.key]} if mine else no_update)
        scrolls.append({"rowId": selection.key, "rowPosition": "middle"} if mine else no_update)
    return rows, scrolls


def _variant(url: Any) -> str:
    """The geometry variant in a GeoJSON layer's ``url`` (``/layers/x.geojson?variant=…``)."""
    text = inputs.text(url, 2000)
    if text is None:
        return ""
    return parse_qs(urlsplit(text).query).get("variant", [""])[0]


def register(app: Dash, ctx: AppContext) -> None:
    for map_id, kind in ((ids.MAP, ids.LAYER_GRID), (ids.EMBED_MAP, ids.EMBED_GRID)):
        _register_rows(app, ctx, map_id, kind)
    _register_clicks(app, ctx)


def _register_rows(app: Dash, ctx: AppContext, map_id: str, kind: str) -> None:
    grids = ids.grid_id(kind, ALL, ALL)

    # the server says where; the browser adds what covers the map to the padding
    app.clientside_callback(
        ClientsideFunction("allmendeLink", "viewport"),
        Output(map_id, "viewport"),
        Input(ids.VIEWPORT, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.VIEWPORT, "data", allow_duplicate=True),
        Output(ids.HIGHLIGHT, "data", allow_duplicate=True),
        Output(ids.HIGHLIGHT_HALO, "data", allow_duplicate=True),
        Output(ids.SELECTION, "data", allow_duplicate=True),
        Input(grids, "selectedRows"),
        State(grids, "id"),
        State(ids.SELECTION, "data"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def on_rows(rows, grid_ids, stored, lang):  # type: ignore[no-untyped-def]
        out = on_row(ctx, dash_ctx.triggered_id, rows, grid_ids, stored, language(lang))
        return (no_update,) * 4 if out is None else out


def _register_clicks(app: Dash, ctx: AppContext) -> None:
    geojson = ids.layer_id(ids.LAYER_GEOJSON, ALL)
    map_grids = ids.grid_id(ids.LAYER_GRID, ALL, ALL)
    embed_grids = ids.grid_id(ids.EMBED_GRID, ALL, ALL)

    @app.callback(
        Output(map_grids, "selectedRows"),
        Output(map_grids, "scrollTo"),
        Output(embed_grids, "selectedRows"),
        Output(embed_grids, "scrollTo"),
        Output(ids.HIGHLIGHT, "data", allow_duplicate=True),
        Output(ids.HIGHLIGHT_HALO, "data", allow_duplicate=True),
        Output(ids.SELECTION, "data", allow_duplicate=True),
        Input(geojson, "n_clicks"),
        State(geojson, "clickData"),
        State(geojson, "id"),
        State(geojson, "url"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def on_clicks(clicks, features, layer_ids, urls, lang):  # type: ignore[no-untyped-def]
        outputs = dash_ctx.outputs_list
        unchanged = [[no_update] * len(o) if isinstance(o, list) else no_update for o in outputs]
        found = on_click(
            ctx, dash_ctx.triggered_id, clicks, features, layer_ids, urls, language(lang)
        )
        if found is None:
            return unchanged
        selection = found[2]
        map_rows, map_scroll = grid_rows(outputs[0], selection)
        embed_rows, embed_scroll = grid_rows(outputs[2], selection)
        features_out = selection.features
        return (
            map_rows,
            map_scroll,
            embed_rows,
            embed_scroll,
            features_out,
            features_out,
            {**selection.store(), "from": "map"},
        )
