"""Layer switching and restyling, base map switching, and the URL that records the view.

Each callback reads its inputs, calls one pure function (layer build/style, cached in
the context) and shapes the output. Switching a layer on sends its map component with the
URL of its GeoJSON (``/layers/<id>.geojson?…``, fetched and cached by the browser), not the
features. A parameter or opacity change is one request answering the legend and the layer's
style (its GeoJSON ``hideout``, handed on in the browser): no geometry is sent again. Every parameter from the browser is checked by ``Layer.check_params``: a rejected
value (say, a typo in typed class breaks) is shown beside its field and replaced by its
default, so the map, the legend and the other controls of the layer keep working.
"""

from __future__ import annotations

from typing import Any

from dash import ALL, MATCH, ClientsideFunction, Dash, Input, Output, State, html, no_update
from dash import ctx as dash_ctx

from dashboard import components, ids
from dashboard.callbacks import inputs
from dashboard.context import AppContext
from dashboard.i18n import language, t
from dashboard.pages import registry
from dashboard.state import View, sanitised, view_query, with_param
from dashboard.tables import table_body
from layers import REGISTRY, get_layer
from layers.base import Layer


def checked(layer: Layer, params: dict[str, Any]) -> dict[str, Any]:
    """The usable parameters: rejected values replaced (see ``Layer.check_params``)."""
    return layer.check_params(params)[0]


def _params_from(ids_list: Any, values: Any) -> dict[str, Any]:
    """The parameters of a layer's ``ALL`` inputs: ``{param name: value}``."""
    id_items, value_items = inputs.items(ids_list), inputs.items(values)
    if id_items is None or value_items is None:
        raise ValueError("parameter ids and values must be lists of at most 500")
    out: dict[str, Any] = {}
    for i, v in zip(id_items, value_items, strict=True):
        name = inputs.text(i.get("param") if isinstance(i, dict) else None, 100)
        if name is None:
            raise ValueError(f"malformed parameter id {inputs.message(i)}")
        out[name] = v
    return out


def _layer_from_id(component_id: Any) -> str:
    layer = component_id.get("layer") if isinstance(component_id, dict) else None
    if inputs.text(layer, 100) is None:
        raise ValueError(f"malformed component id {inputs.message(component_id)}")
    return str(layer)


def _opacity(value: Any) -> float:
    opacity = inputs.number(value, 0, 1)
    if opacity is None:
        raise ValueError(f"opacity must be a number in [0, 1], got {inputs.message(value)}")
    return opacity


def toggle_layer(
    ctx: AppContext, layer_id: str, toggle: Any, params: dict[str, Any], opacity: Any, lang: str
) -> list[Any]:
    """The children of a layer's group: the layer's component, or nothing."""
    layer = get_layer(layer_id)
    if not toggle or not layer.available(ctx.pack):
        return []
    clean = checked(layer, params)
    return [components.layer_component(ctx, layer, clean, _opacity(opacity), lang)]


def geometry_changed(layer_id: str, trigger: Any) -> bool:
    """Whether a trigger needs the layer's geometry rebuilt: the toggle itself, or the
    layer's geometry parameter (e.g. district ↔ grid); any other parameter only restyles."""
    if isinstance(trigger, dict) and "param" in trigger:
        try:
            return get_layer(layer_id).geometry_param == trigger["param"]
        except KeyError:
            return False
    return True


def image_url(ctx: AppContext, layer_id: str, params: dict[str, Any]) -> str:
    """The PNG URL of an image layer for new parameters (the picture is rendered on request)."""
    layer = get_layer(layer_id)
    return components.image_url(ctx, layer, checked(layer, params))


def restyle(
    ctx: AppContext, layer_id: str, params: dict[str, Any], opacity: Any, lang: str
) -> tuple[dict[str, Any], list[Any]]:
    """The GeoJSON ``hideout`` and legend children for new parameters or opacity."""
    layer = get_layer(layer_id)
    clean = checked(layer, params)
    style = ctx.layer_style(layer.id, clean, lang)
    hideout = {**style.hideout, "opacity": _opacity(opacity), "pane": components.pane_name(layer)}
    return hideout, components.legend(style.legend, lang)


def restyle_outputs(
    ctx: AppContext,
    outputs: Any,
    param_ids: Any,
    param_values: Any,
    opacity: Any,
    lang: str,
) -> tuple[Any, Any]:
    """The legend children and the style store's data (``{"hideout": …}``, handed on to the
    layer's GeoJSON in the browser) for new parameters or opacity.

    ``outputs`` is Dash's ``outputs_list`` (legend, then store). Rejected input puts an error
    in place of the legend and leaves the map's style as it is."""
    if not isinstance(outputs, list) or not outputs or not isinstance(outputs[0], dict):
        return no_update, no_update
    try:
        layer_id = _layer_from_id(outputs[0].get("id"))
        hideout, legend = restyle(
            ctx, layer_id, _params_from(param_ids, param_values), opacity, lang
        )
    except (ValueError, KeyError) as err:  # ParamError is a ValueError
        detail = inputs.message(str(err))  # the value as sent may be megabytes long
        message = html.Div(
            t("error.params", lang, detail=detail), className="al-error", role="alert"
        )
        return message, no_update
    return legend, {"hideout": hideout}


def param_messages(
    layer_id: str, params: dict[str, Any], fields: list[Any], lang: str
) -> list[str]:
    """What is wrong with each of ``fields`` (parameter names; ``""`` where nothing is), in
    the page's language: the texts beside the typed fields of a layer."""
    problems = get_layer(layer_id).check_params(params)[1]
    return [problems[f].text(lang) if f in problems else "" for f in fields]


def register(app: Dash, ctx: AppContext) -> None:
    """The map page's callbacks: layers on the map, their panels, the base map and the URL."""
    _register_geojson(app, ctx)
    _register_images(app, ctx)
    _register_panels(app, ctx)
    _register_view(app, ctx)


def _register_geojson(app: Dash, ctx: AppContext) -> None:
    """Switching layers on and off (and their geometry variant); restyling them."""

    @app.callback(
        Output(ids.layer_id(ids.LAYER_GROUP, MATCH), "children"),
        Input(ids.layer_id(ids.LAYER_TOGGLE, MATCH), "value"),
        Input(ids.param_id(MATCH, ALL), "value"),
        State(ids.param_id(MATCH, ALL), "id"),
        State(ids.layer_id(ids.LAYER_OPACITY, MATCH), "value"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def on_toggle(toggle, param_values, param_ids, opacity, lang):  # type: ignore[no-untyped-def]
        trigger = dash_ctx.triggered_id
        try:
            layer_id = _layer_from_id(trigger)
            if not geometry_changed(layer_id, trigger):
                return no_update  # other parameters only restyle (hideout), see on_restyle
            return toggle_layer(
                ctx,
                layer_id,
                toggle,
                _params_from(param_ids, param_values),
                opacity,
                language(lang),
            )
        except (ValueError, KeyError, TypeError):
            return no_update

    @app.callback(
        Output(ids.layer_id(ids.LAYER_LEGEND, MATCH), "children"),
        Output(ids.layer_id(ids.LAYER_STYLE, MATCH), "data"),
        Input(ids.param_id(MATCH, ALL), "value"),
        Input(ids.layer_id(ids.LAYER_OPACITY, MATCH), "value"),
        State(ids.param_id(MATCH, ALL), "id"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def on_restyle(param_values, opacity, param_ids, lang):  # type: ignore[no-untyped-def]
        # one round trip for the legend and the map's style (they share their inputs)
        return restyle_outputs(
            ctx, dash_ctx.outputs_list, param_ids, param_values, opacity, language(lang)
        )

    # the style store (always in the layer's panel) hands the hideout to the layer's GeoJSON,
    # which exists only while the layer is switched on: no request, no geometry
    app.clientside_callback(
        ClientsideFunction("allmendeStyle", "hideout"),
        Output(ids.layer_id(ids.LAYER_GEOJSON, MATCH), "hideout"),
        Input(ids.layer_id(ids.LAYER_STYLE, MATCH), "data"),
        prevent_initial_call=True,
    )
    # a new page's GeoJSON is fetched as soon as the page arrives, while it is drawn and
    # dash-leaflet's GeoJSON code loads (its own fetch then reads the browser's cache)
    app.clientside_callback(
        ClientsideFunction("allmendeStyle", "prefetch"),
        Input(ids.ROOT, "children"),
        State(ids.layer_id(ids.LAYER_GEOJSON, ALL), "url"),
        prevent_initial_call=True,
    )


def _register_images(app: Dash, ctx: AppContext) -> None:
    """Image layers: opacity, and the picture's URL for new parameters."""

    @app.callback(
        Output(ids.layer_id(ids.LAYER_IMAGE, MATCH), "opacity"),
        Input(ids.layer_id(ids.LAYER_OPACITY, MATCH), "value"),
        prevent_initial_call=True,
    )
    def on_image_opacity(opacity):  # type: ignore[no-untyped-def]
        try:
            return _opacity(opacity)
        except ValueError:
            return no_update

    @app.callback(
        Output(ids.layer_id(ids.LAYER_IMAGE, MATCH), "url"),
        Input(ids.param_id(MATCH, ALL), "value"),
        State(ids.param_id(MATCH, ALL), "id"),
        prevent_initial_call=True,
    )
    def on_image_params(param_values, param_ids):  # type: ignore[no-untyped-def]
        try:
            layer_id = _layer_from_id(dash_ctx.outputs_list["id"])
            return image_url(ctx, layer_id, _params_from(param_ids, param_values))
        except (ValueError, KeyError, TypeError):
            return no_update


def _register_panels(app: Dash, ctx: AppContext) -> None:
    """A layer's panel: its table, the messages beside typed fields, the play button."""

    @app.callback(
        Output(ids.layer_id(ids.LAYER_TABLE_BODY, MATCH), "children"),
        Input(ids.layer_id(ids.LAYER_TABLE_SUMMARY, MATCH), "n_clicks"),
        Input(ids.param_id(MATCH, ALL), "value"),
        State(ids.param_id(MATCH, ALL), "id"),
        State(ids.LANG_STORE, "data"),
        State(ids.SELECTION, "data"),
        prevent_initial_call=True,
    )
    def on_table(clicks, param_values, param_ids, lang, selected):  # type: ignore[no-untyped-def]
        # The section starts closed and every click (or Enter/Space) on its summary toggles
        # it, so an odd count means open. The table is built only while open: a weight
        # change with the table closed sends nothing but the hideout.
        if inputs.whole(clicks) is None or clicks % 2 == 0:
            return []
        try:
            layer_id = _layer_from_id(dash_ctx.outputs_list["id"])
            layer = get_layer(layer_id)
            params = checked(layer, _params_from(param_ids, param_values))
        except (ValueError, KeyError, TypeError):
            return no_update
        return table_body(
            ctx, layer, params, language(lang), f"table-{layer_id}", ids.LAYER_GRID, selected
        )

    @app.callback(
        Output(ids.param_msg_id(MATCH, ALL), "children"),
        Input(ids.param_id(MATCH, ALL), "value"),
        State(ids.param_id(MATCH, ALL), "id"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def on_param_messages(param_values, param_ids, lang):  # type: ignore[no-untyped-def]
        outputs = dash_ctx.outputs_list
        if not isinstance(outputs, list) or not outputs or len(outputs) > 50:
            return no_update
        unchanged = [no_update] * len(outputs)  # a wildcard output: one entry per field
        try:
            layer_id = _layer_from_id(outputs[0]["id"])
            fields = [o["id"]["param"] for o in outputs]
            return param_messages(
                layer_id, _params_from(param_ids, param_values), fields, language(lang)
            )
        except (ValueError, KeyError, TypeError):
            return unchanged

    # the play button: aria-pressed and its label ("⏸ Anhalten" while playing), the labels
    # in the page's language from the button's data attributes (components.play_controls)
    play = ids.layer_id(ids.LAYER_PLAY, MATCH)
    app.clientside_callback(
        ClientsideFunction("allmendePlay", "toggle"),
        Output(ids.layer_id(ids.LAYER_INTERVAL, MATCH), "disabled"),
        Output(play, "aria-pressed"),
        Output(play, "children"),
        Input(play, "n_clicks"),
        State(ids.layer_id(ids.LAYER_INTERVAL, MATCH), "disabled"),
        State(play, components.PLAY_LABEL),
        State(play, components.PAUSE_LABEL),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("allmendePlay", "step"),
        Output(ids.param_id(MATCH, "hour"), "value"),
        Output(ids.layer_id(ids.LAYER_INTERVAL, MATCH), "disabled", allow_duplicate=True),
        Output(play, "aria-pressed", allow_duplicate=True),
        Output(play, "children", allow_duplicate=True),
        Input(ids.layer_id(ids.LAYER_INTERVAL, MATCH), "n_intervals"),
        State(ids.param_id(MATCH, "hour"), "value"),
        State(play, components.PLAY_LABEL),
        State(play, components.PAUSE_LABEL),
        prevent_initial_call=True,
    )


def _register_view(app: Dash, ctx: AppContext) -> None:
    """The base map, and the URL (with the language and navigation links) of the view."""

    @app.callback(
        Output(ids.BASEMAP_GROUP, "children"),
        Output(ids.OFFLINE_BASE, "data"),
        Input(ids.BASEMAP_RADIO, "value"),
        prevent_initial_call=True,
    )
    def on_basemap(base):  # type: ignore[no-untyped-def]
        if not isinstance(base, str) or base not in ctx.pack.city.basemaps:
            return no_update, no_update
        offline = components.offline_base_data(ctx) if base == "offline" else None
        return components.base_children(ctx, base), offline

    nav = registry.nav_pages()

    @app.callback(
        Output(ids.URL_SYNC, "data"),
        Output(ids.LANG_LINK_DE, "href"),
        Output(ids.LANG_LINK_EN, "href"),
        *[Output(page.nav_id, "href") for page in nav],
        Input(ids.MAP, "center"),
        Input(ids.MAP, "zoom"),
        Input(ids.layer_id(ids.LAYER_TOGGLE, ALL), "value"),
        Input(ids.layer_id(ids.LAYER_OPACITY, ALL), "value"),
        Input(ids.param_id(ALL, ALL), "value"),
        Input(ids.BASEMAP_RADIO, "value"),
        State(ids.layer_id(ids.LAYER_TOGGLE, ALL), "id"),
        State(ids.layer_id(ids.LAYER_OPACITY, ALL), "id"),
        State(ids.param_id(ALL, ALL), "id"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def on_view(
        center, zoom, toggles, opacities, params, base, toggle_ids, opacity_ids, param_ids, lang
    ):  # type: ignore[no-untyped-def]
        view = current_view(
            ctx,
            center,
            zoom,
            toggles,
            toggle_ids,
            opacities,
            opacity_ids,
            params,
            param_ids,
            base,
            language(lang),
        )
        if view is None:
            return (no_update,) * (3 + len(nav))
        query = view_query(sanitised(view, ctx.pack.city))
        return (
            query,
            with_param(query, "lang", "de"),
            with_param(query, "lang", "en"),
            *[page.path + query for page in nav],
        )

    app.clientside_callback(
        "function (q) { return window.dash_clientside.allmende.replaceUrl(q); }",
        Input(ids.URL_SYNC, "data"),
    )


def current_view(
    ctx: AppContext,
    center: Any,
    zoom: Any,
    toggles: list[Any],
    toggle_ids: list[dict[str, Any]],
    opacities: list[Any],
    opacity_ids: list[dict[str, Any]],
    params: list[Any],
    param_ids: list[dict[str, Any]],
    base: Any,
    lang: str,
) -> View | None:
    """The view the browser shows, or ``None`` if any input is malformed (the caller
    sanitises it before writing a link: :func:`dashboard.state.sanitised`)."""
    city = ctx.pack.city
    position = inputs.centre(center)
    z = inputs.number(zoom)
    base_v = inputs.text(base, 100)
    if position is None or z is None or base_v is None or base_v not in city.basemaps:
        return None
    try:
        on = {_layer_from_id(i) for i, v in zip(toggle_ids, toggles, strict=True) if v}
        op = {_layer_from_id(i): _opacity(v) for i, v in zip(opacity_ids, opacities, strict=True)}
        by_layer: dict[str, dict[str, Any]] = {}
        for i, v in zip(param_ids, params, strict=True):
            by_layer.setdefault(_layer_from_id(i), {}).update(_params_from([i], [v]))
        clean = {layer.id: checked(layer, by_layer.get(layer.id, {})) for layer in REGISTRY}
    except (ValueError, TypeError):  # ParamError is a ValueError; zip(strict) too
        return None
    layers = tuple(layer.id for layer in REGISTRY if layer.id in on)
    opacity = {layer.id: op.get(layer.id, layer.default_opacity) for layer in REGISTRY}
    return View(position[0], position[1], z, layers, base_v, lang, clean, opacity)
