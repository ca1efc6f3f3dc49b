"""The map page's on-map legend and the embed-code generator with its live preview.

Both run in the browser: the legend item of a layer is shown while its switch is on, and
takes the layer's legend from its panel whenever the server sends that one new (after a
parameter change), so no legend crosses the network twice.
"""

from __future__ import annotations

from dash import MATCH, ClientsideFunction, Dash, Input, Output, State

from dashboard import ids
from dashboard.context import AppContext


def register(app: Dash, ctx: AppContext) -> None:
    app.clientside_callback(
        "function (on) { return !(Array.isArray(on) && on.length > 0); }",
        Output(ids.layer_id(ids.LAYER_MAP_LEGEND, MATCH), "hidden"),
        Input(ids.layer_id(ids.LAYER_TOGGLE, MATCH), "value"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        "function (children) { return children; }",
        Output(ids.layer_id(ids.LAYER_MAP_LEGEND, MATCH), "children"),
        Input(ids.layer_id(ids.LAYER_LEGEND, MATCH), "children"),
        prevent_initial_call=True,
    )
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
