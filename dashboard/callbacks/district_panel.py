"""Clicking a map feature opens its layer's panel beside the map (the "Ortsteil" panel).

Which layers have a click panel, and what it shows, the layers say themselves
(:attr:`layers.base.Layer.panel`, pure data: :mod:`layers.panels`); this module renders any
panel the same way, so a new layer with a panel needs no edit here.

One callback owns the panel. A click (every click: ``n_clicks``, so clicking the same
feature again rebuilds it) or, for a layer whose panel follows its parameters
(:attr:`~layers.base.Layer.panel_follows_params`, e.g. the heat vulnerability weights), a
change of those parameters rebuilds it. The unit such a panel shows is kept in a store
inside the panel itself (``PANEL_SUBJECT``), so a parameter change rebuilds it for the same
unit, exactly as a fresh click would, and leaves other panels (a district's facts) alone."""

from __future__ import annotations

from typing import Any

from dash import ALL, Dash, Input, Output, State, dcc, html, no_update
from dash import ctx as dash_ctx

from dashboard import ids
from dashboard.callbacks import inputs
from dashboard.components import attrs
from dashboard.context import AppContext
from dashboard.i18n import language, t
from layers import REGISTRY
from layers.base import Layer
from layers.panels import Bars, Facts, Heading, Line, Panel, Part

# the layers with a click panel, and those whose panel follows their parameters
PANELS: dict[str, Layer] = {layer.id: layer for layer in REGISTRY if layer.panel is not None}
FOLLOWING: tuple[Layer, ...] = tuple(x for x in PANELS.values() if x.panel_follows_params)


def subject_id(layer_id: Any) -> dict[str, Any]:
    """The id of the store that says which unit an open panel of ``layer_id`` shows."""
    return {"type": ids.PANEL_SUBJECT, "layer": layer_id}


def layer_panel(ctx: AppContext, layer: Layer, key: Any, params: Any, lang: str) -> list[Any]:
    """The panel of ``layer`` for the unit ``key`` (pure: tests call it directly).

    ``params``: the layer's parameters as the page has them (checked here; ignored unless the
    panel follows them)."""
    assert layer.panel is not None
    clean = layer.check_params(params)[0] if layer.panel_follows_params else layer.defaults()
    content = layer.panel(ctx.pack, key, clean, lang) if isinstance(key, str) else None
    if content is None:
        return [html.P(t("panel.unknown", lang), className="al-note")]
    out = render(content)
    if layer.panel_follows_params:
        subject = {str(layer.panel_key): key}
        if layer.geometry_param:
            subject[layer.geometry_param] = layer.variant(clean)
        # which unit the panel shows: a parameter change rebuilds it (see panel_for)
        out.append(dcc.Store(id=subject_id(layer.id), data=subject))
    if ctx.pack.synthetic:
        out.append(html.P(t("badge.synthetic", lang), className="al-note"))
    return out


def panel_for(
    ctx: AppContext,
    trigger: Any,
    clicked: Any,
    params: Any,
    subject: Any,
    lang: str,
) -> list[Any] | None:
    """The panel's content after ``trigger`` (pure: the callback's logic, tests call it).

    ``trigger``: the id of the clicked GeoJSON layer or of a layer parameter; ``clicked``: the
    clicked feature (for a click); ``params``: the trigger's layer's parameters in the page;
    ``subject``: that layer's ``PANEL_SUBJECT`` data, if its panel is open. ``None``: leave
    the panel as it is.
    """
    if not isinstance(trigger, dict):
        return None
    layer = PANELS.get(trigger.get("layer"))  # type: ignore[arg-type]
    if layer is None:
        return None
    key = str(layer.panel_key)
    if trigger.get("type") == ids.LAYER_GEOJSON:
        props = clicked.get("properties") if isinstance(clicked, dict) else None
        if not isinstance(props, dict) or not isinstance(props.get(key), str):
            return None
        return layer_panel(ctx, layer, props[key], params, lang)
    if trigger.get("type") == ids.LAYER_PARAM and layer.panel_follows_params:
        if not isinstance(subject, dict) or not isinstance(subject.get(key), str):
            return None  # the panel shows no unit of this layer (other facts, or the hint)
        if layer.geometry_param and subject.get(layer.geometry_param) != layer.variant(
            layer.check_params(params)[0]
        ):
            # another geometry (district ↔ grid): the unit is not on the map any more
            return [html.P(t("panel.hint", lang), className="al-note")]
        return layer_panel(ctx, layer, subject[key], params, lang)
    return None


def panel_for_selection(
    ctx: AppContext, selection: Any, params: dict[str, Any], lang: str
) -> list[Any] | None:
    """The panel for a row chosen in a linked table (the selection store's data, see
    :mod:`dashboard.linking`); ``None`` for a selection made on the map (its click has
    opened the panel already) or anything malformed."""
    if not isinstance(selection, dict) or selection.get("from") != "table":
        return None
    layer = PANELS.get(selection.get("layer"))  # type: ignore[arg-type]
    key = selection.get("key")
    if layer is None or not isinstance(key, str):
        return None
    return layer_panel(ctx, layer, key, params, lang)


def register(app: Dash, ctx: AppContext) -> None:
    n = len(FOLLOWING)

    @app.callback(
        Output(ids.DISTRICT_PANEL, "children"),
        Input(ids.layer_id(ids.LAYER_GEOJSON, ALL), "n_clicks"),
        *[Input(ids.param_id(layer.id, ALL), "value") for layer in FOLLOWING],
        Input(ids.SELECTION, "data"),
        State(ids.layer_id(ids.LAYER_GEOJSON, ALL), "clickData"),
        State(ids.layer_id(ids.LAYER_GEOJSON, ALL), "id"),
        *[State(ids.param_id(layer.id, ALL), "id") for layer in FOLLOWING],
        State(subject_id(ALL), "data"),
        State(subject_id(ALL), "id"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def on_panel(clicks, *rest):  # type: ignore[no-untyped-def]
        values, selection, rest = rest[:n], rest[n], rest[n + 1 :]
        (features, layer_ids), rest = rest[:2], rest[2:]
        param_ids, (subjects, subject_ids, lang) = rest[:n], rest[n:]
        trigger = dash_ctx.triggered_id
        if trigger == ids.SELECTION:
            layer = selection.get("layer") if isinstance(selection, dict) else None
            try:
                chosen: dict[str, Any] = {}
                for follower, v, i in zip(FOLLOWING, values, param_ids, strict=True):
                    if follower.id == layer:
                        chosen = _params(i, v)
                out = panel_for_selection(ctx, selection, chosen, language(lang))
            except ValueError:  # a crafted parameter or mismatched lists
                return no_update
            return no_update if out is None else out
        lists = [clicks, features, layer_ids, subjects, subject_ids, *values, *param_ids]
        if not isinstance(trigger, dict) or any(inputs.items(x, 50) is None for x in lists):
            return no_update  # only a crafted request sends other shapes
        try:
            clicked = None
            if trigger.get("type") == ids.LAYER_GEOJSON:
                k = _position(layer_ids, trigger.get("layer"))
                if k is None or k >= len(clicks) or k >= len(features) or not clicks[k]:
                    return no_update  # a layer drawn anew, not a click
                clicked = features[k]
            layer = trigger.get("layer")
            params: dict[str, Any] = {}
            for follower, v, i in zip(FOLLOWING, values, param_ids, strict=True):
                if follower.id == layer:
                    params = _params(i, v)
            k = _position(subject_ids, layer)
            subject = subjects[k] if k is not None and k < len(subjects) else None
            out = panel_for(ctx, trigger, clicked, params, subject, language(lang))
        except ValueError:  # a crafted parameter (ParamError) or mismatched lists
            return no_update
        return no_update if out is None else out


def _position(component_ids: list[Any], layer: Any) -> int | None:
    """Where the component of ``layer`` is in a list of pattern-matching ids."""
    return next(
        (k for k, i in enumerate(component_ids) if isinstance(i, dict) and i.get("layer") == layer),
        None,
    )


def _params(param_ids: list[Any], values: list[Any]) -> dict[str, Any]:
    """A layer's parameters from its ``ALL`` ids and values (``ValueError`` if malformed)."""
    if len(param_ids) != len(values) or not all(isinstance(i, dict) for i in param_ids):
        raise ValueError("parameter ids and values do not match")
    names = [inputs.text(i.get("param"), 100) for i in param_ids]
    return {str(name): v for name, v in zip(names, values, strict=True) if name is not None}


# --- rendering: the panel's parts as components ----------------------------------------------


def render(panel: Panel) -> list[Any]:
    """The components of a panel, top to bottom."""
    return [_part(part) for part in panel.parts]


def _id(value: str | None) -> dict[str, Any]:
    return {"id": value} if value else {}


def _part(part: Part) -> Any:
    if isinstance(part, Heading):
        return (html.H3 if part.level <= 3 else html.H4)(part.text, **_id(part.id))
    if isinstance(part, Line):
        extra: dict[str, Any] = {"className": "al-note"} if part.note else {}
        return html.P(html.Strong(part.text) if part.strong else part.text, **extra, **_id(part.id))
    if isinstance(part, Bars):
        return html.Div(
            [_bar(b.label, b.value, b.length, b.positive) for b in part.bars],
            className="al-bars",
            **attrs({"aria-hidden": "true"}),
        )
    return _facts(part)


def _bar(label: str, value: str, length: float, positive: bool) -> html.Div:
    return html.Div(
        [
            html.Span(label, className="al-bar-label"),
            html.Span(
                className="al-bar " + ("al-bar-pos" if positive else "al-bar-neg"),
                style={"width": f"{45 * length:.1f}%"},
            ),
            html.Span(value, className="al-bar-value"),
        ],
        className="al-bar-row",
    )


def _facts(part: Facts) -> html.Table:
    rows = [
        html.Tr([html.Th(row[0], scope="row"), *(html.Td(cell) for cell in row[1:])])
        for row in part.rows
    ]
    if part.total is not None:
        span = max((len(r) for r in part.rows), default=2) - 1
        rows.append(
            html.Tr(
                [
                    html.Th(part.total[0], scope="row", colSpan=span),
                    html.Td(html.Strong(part.total[1])),
                ]
            )
        )
    body = html.Tbody(rows)
    css = "al-facts al-breakdown" if part.breakdown else "al-facts"
    if not part.head:
        return html.Table(body, className=css, **_id(part.id))
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in part.head]))
    return html.Table([head, body], className=css, **_id(part.id))
