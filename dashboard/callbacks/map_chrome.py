"""The map page's on-map legend and the embed-code generator with its live preview.

The legend follows the layer switches and parameters: each shown layer's legend, top-most
first, built from the same cached style as the layer itself. A rejected typed value does
not matter here: ``Layer.check_params`` gives the default in its place, as the map does.
"""

from __future__ import annotations

from typing import Any

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, no_update

from dashboard import ids
from dashboard.context import AppContext
from dashboard.i18n import language
from dashboard.map_chrome import legend_items
from layers import REGISTRY, get_layer

MAX_ITEMS = 500  # more switches or parameters than any page has: a crafted payload


def legend_children(
    ctx: AppContext,
    toggles: Any,
    toggle_ids: Any,
    values: Any,
    value_ids: Any,
    lang: str,
) -> list[Any] | None:
    """The legend of the shown layers, or ``None`` when the input is malformed."""
    if not all(isinstance(x, list) for x in (toggles, toggle_ids, values, value_ids)):
        return None
    if len(toggles) != len(toggle_ids) or len(values) != len(value_ids):
        return None
    if len(toggles) > MAX_ITEMS or len(values) > MAX_ITEMS:
        return None
    known = {layer.id for layer in REGISTRY}
    on: list[str] = []
    for i, v in zip(toggle_ids, toggles, strict=True):
        if isinstance(i, dict) and i.get("layer") in known and isinstance(v, list) and v:
            on.append(str(i["layer"]))
    raw: dict[str, dict[str, Any]] = {}
    for i, v in zip(value_ids, values, strict=True):
        if not isinstance(i, dict) or i.get("layer") not in known:
            return None
        if not isinstance(i.get("param"), str):
            return None
        raw.setdefault(str(i["layer"]), {})[i["param"]] = v
    params: dict[str, dict[str, Any]] = {}
    try:
        for layer_id in on:
            params[layer_id] = get_layer(layer_id).check_params(raw.get(layer_id, {}))[0]
    except (ValueError, KeyError, TypeError):
        return None
    return legend_items(ctx, on, params, lang)


def register(app: Dash, ctx: AppContext) -> None:
    @app.callback(
        Output(ids.MAP_LEGEND, "children"),
        Input(ids.layer_id(ids.LAYER_TOGGLE, ALL), "value"),
        Input(ids.param_id(ALL, ALL), "value"),
        State(ids.layer_id(ids.LAYER_TOGGLE, ALL), "id"),
        State(ids.param_id(ALL, ALL), "id"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def on_legend(toggles, values, toggle_ids, value_ids, lang):  # type: ignore[no-untyped-def]
        out = legend_children(ctx, toggles, toggle_ids, values, value_ids, language(lang))
        return no_update if out is None else out

    app.clientside_callback(
        ClientsideFunction("allmende", "embedCode"),
        Output(ids.EMBED_CODE, "value"),
        Output(ids.EMBED_PREVIEW, "src"),
        Output(ids.EMBED_PREVIEW, "style"),
        Output(ids.EMBED_PREVIEW_BOX, "style"),
        Input(ids.URL_SYNC, "data"),
        Input(ids.EMBED_SIZE, "value"),
        Input(ids.EMBED_SUMMARY, "n_clicks"),
        State(ids.EMBED_TITLE, "data"),
    )
