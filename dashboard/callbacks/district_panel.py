"""Clicking a district opens its facts in the side panel; clicking a unit of the heat
vulnerability layer opens what its index is made of.

One callback owns the panel. A click (every click: ``n_clicks``, so clicking the same
district again rebuilds it) or a change of the heat vulnerability parameters rebuilds it;
the unit the panel shows is kept in a store inside the panel itself (``PANEL_SUBJECT``), so
a weight change rebuilds the breakdown for the same unit with the new weights, exactly as a
fresh click would, and leaves a district's facts alone."""

from __future__ import annotations

from typing import Any

import numpy as np
from dash import ALL, Dash, Input, Output, State, dcc, html, no_update
from dash import ctx as dash_ctx

from dashboard import ids
from dashboard.components import attrs
from dashboard.context import AppContext
from dashboard.i18n import language, t
from layers import fmt
from layers.city.districts import district_table
from layers.heat.vulnerability import LAYER as HVI
from layers.heat.vulnerability import classes_for, indicator_text, rank_word
from layers.texts import tr
from models.heat import BY_ID, COMPONENTS, indicators
from models.hvi import COMPONENT_IDS, METHOD


def facts(ctx: AppContext, district_id: Any, lang: str) -> list[Any]:
    """The facts table of one district (pure: the test calls it directly)."""
    table = district_table(ctx.pack)
    match = table[table["district_id"] == str(district_id)]
    if match.empty:
        return [html.P(t("panel.unknown", lang), className="al-note")]
    row = match.iloc[0]
    rank = int((table["density"] > row["density"]).sum()) + 1
    rows = [
        (t("panel.population", lang), fmt.number(row["population"], lang)),
        (t("panel.area", lang), f"{fmt.number(row['area_km2'], lang, 2)} {t('unit.km2', lang)}"),
        (t("panel.density", lang), f"{fmt.number(row['density'], lang)} {t('unit.per_km2', lang)}"),
        (t("panel.pop65", lang), fmt.number(row["pop_65plus"], lang)),
        (t("panel.share65", lang), fmt.percent(row["share_65plus"], lang)),
    ]
    if "pop_under6" in table.columns:
        rows.append((t("panel.under6", lang), fmt.number(row["pop_under6"], lang)))
    out: list[Any] = [
        html.H3(str(row["name"]), id="district-name"),
        html.Table(
            html.Tbody([html.Tr([html.Th(k, scope="row"), html.Td(v)]) for k, v in rows]),
            className="al-facts",
        ),
        html.P(t("panel.rank", lang, rank=rank, n=len(table)), className="al-note"),
    ]
    ds = ctx.pack.dataset("districts")
    note = ds.approximations.get(lang) or ds.approximations.get("de")
    if note:
        out.append(html.P(note, className="al-note"))
    if ctx.pack.synthetic:
        out.append(html.P(t("badge.synthetic", lang), className="al-note"))
    return out


SUBJECT = {"type": ids.PANEL_SUBJECT, "layer": HVI.id}


def panel_for(
    ctx: AppContext,
    trigger: Any,
    clicked: Any,
    hvi_params: dict[str, Any],
    subject: Any,
    lang: str,
) -> list[Any] | None:
    """The panel's content after ``trigger`` (pure: the callback's logic, tests call it).

    ``trigger``: the id of the clicked GeoJSON layer or of a heat vulnerability parameter;
    ``clicked``: the clicked feature (for a click); ``hvi_params``: the heat vulnerability
    parameters in the page; ``subject``: the panel's ``PANEL_SUBJECT`` data, if it shows a
    breakdown. ``None``: leave the panel as it is.
    """
    if not isinstance(trigger, dict):
        return None
    if trigger.get("type") == ids.LAYER_GEOJSON:
        if not isinstance(clicked, dict) or not isinstance(clicked.get("properties"), dict):
            return None
        props = clicked["properties"]
        if trigger.get("layer") == "districts" and isinstance(props.get("district_id"), str):
            return facts(ctx, props["district_id"], lang)
        if trigger.get("layer") == HVI.id and isinstance(props.get("unit_id"), str):
            return hvi_breakdown(ctx, props["unit_id"], hvi_params, lang)
        return None
    if trigger.get("type") == ids.LAYER_PARAM and trigger.get("layer") == HVI.id:
        if not isinstance(subject, dict) or not isinstance(subject.get("unit_id"), str):
            return None  # the panel shows no breakdown (a district's facts, or the hint)
        if subject.get("level") != HVI.check_params(hvi_params)[0]["level"]:
            # district ↔ grid: the unit is not on the map any more
            return [html.P(t("panel.hint", lang), className="al-note")]
        return hvi_breakdown(ctx, subject["unit_id"], hvi_params, lang)
    return None


def register(app: Dash, ctx: AppContext) -> None:
    @app.callback(
        Output(ids.DISTRICT_PANEL, "children"),
        Input(ids.layer_id(ids.LAYER_GEOJSON, ALL), "n_clicks"),
        Input(ids.param_id(HVI.id, ALL), "value"),
        State(ids.layer_id(ids.LAYER_GEOJSON, ALL), "clickData"),
        State(ids.layer_id(ids.LAYER_GEOJSON, ALL), "id"),
        State(ids.param_id(HVI.id, ALL), "id"),
        State({"type": ids.PANEL_SUBJECT, "layer": ALL}, "data"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def on_panel(clicks, values, features, layer_ids, param_ids, subjects, lang):  # type: ignore[no-untyped-def]
        trigger = dash_ctx.triggered_id
        try:
            clicked = None
            if isinstance(trigger, dict) and trigger.get("type") == ids.LAYER_GEOJSON:
                if len(layer_ids) > 50:
                    return no_update
                at = {i.get("layer"): k for k, i in enumerate(layer_ids) if isinstance(i, dict)}
                k = at.get(trigger.get("layer"))
                if k is None or not clicks[k]:
                    return no_update  # a layer drawn anew, not a click
                clicked = features[k]
            params = {i["param"]: v for i, v in zip(param_ids, values, strict=True)}
            subject = subjects[0] if isinstance(subjects, list) and subjects else None
            out = panel_for(ctx, trigger, clicked, params, subject, language(lang))
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            return no_update
        return no_update if out is None else out


def hvi_breakdown(ctx: AppContext, unit_id: Any, params: dict[str, Any], lang: str) -> list[Any]:
    """What a unit's heat vulnerability index is made of (pure: the test calls it directly).

    The three contributions (weight × component / Σ weights) are shown as bars and in a
    table whose last row, their sum, is the index.
    """
    clean = HVI.check_params(params)[0]
    res, classes = classes_for(ctx.pack, clean)
    frame = res.frame.set_index("unit_id")
    if not isinstance(unit_id, str) or unit_id not in frame.index:
        return [html.P(t("panel.unknown", lang), className="al-note")]
    row = frame.loc[unit_id]
    ind = indicators(ctx.pack, clean["level"]).frame.set_index("unit_id").loc[unit_id]
    if clean["level"] == "grid":
        title = (
            t("panel.hvi.cell", lang, name=ind["name"])
            if ind["name"]
            else t("panel.hvi.cell_nowhere", lang)
        )
    else:
        title = str(row["name"])
    index = float(row["index"])
    n = int(np.searchsorted(np.asarray(classes.breaks), index, side="left")) + 1
    n = min(n, len(classes.breaks))
    word = rank_word(n - 1, len(classes.breaks), lang)
    span = max(abs(float(row[f"contrib_{c}"])) for c in COMPONENT_IDS) or 1.0
    bars = []
    table_rows = []
    for comp in COMPONENT_IDS:
        contrib = float(row[f"contrib_{comp}"])
        label = tr(COMPONENTS[comp], lang)
        bars.append(
            html.Div(
                [
                    html.Span(label, className="al-bar-label"),
                    html.Span(
                        className="al-bar " + ("al-bar-pos" if contrib >= 0 else "al-bar-neg"),
                        style={"width": f"{45 * abs(contrib) / span:.1f}%"},
                    ),
                    html.Span(fmt.number(contrib, lang, 3), className="al-bar-value"),
                ],
                className="al-bar-row",
            )
        )
        table_rows.append(
            html.Tr(
                [
                    html.Th(label, scope="row"),
                    html.Td(fmt.number(float(row[comp]), lang, 3)),
                    html.Td(fmt.number(res.weights[comp], lang, 1)),
                    html.Td(fmt.number(contrib, lang, 3)),
                ]
            )
        )
    table_rows.append(
        html.Tr(
            [
                html.Th(t("panel.hvi.sum", lang), scope="row", colSpan=3),
                html.Td(html.Strong(fmt.number(index, lang, 3))),
            ]
        )
    )
    indicator_rows = [
        html.Tr(
            [
                html.Th(tr(BY_ID[i].label, lang), scope="row"),
                html.Td(indicator_text(i, float(ind[i]), lang)),
            ]
        )
        for i in res.used["exposure"] + res.used["sensitivity"] + res.used["capacity"]
    ]
    out: list[Any] = [
        html.H3(t("panel.hvi", lang)),
        html.P(html.Strong(title), id="hvi-unit-name"),
        html.P(
            f"{t('panel.hvi.index', lang)}: {fmt.number(index, lang, 3)} — "
            + t("panel.hvi.class", lang, n=n, k=len(classes.breaks), word=word),
            id="hvi-index",
        ),
        html.Div(bars, className="al-bars", **attrs({"aria-hidden": "true"})),
        html.Table(
            [
                html.Thead(
                    html.Tr(
                        [
                            html.Th(t("panel.hvi.component", lang), scope="col"),
                            html.Th(t("panel.hvi.score", lang), scope="col"),
                            html.Th(t("panel.hvi.weight", lang), scope="col"),
                            html.Th(t("panel.hvi.contribution", lang), scope="col"),
                        ]
                    )
                ),
                html.Tbody(table_rows),
            ],
            className="al-facts al-breakdown",
            id="hvi-breakdown",
        ),
        html.H4(t("panel.hvi.indicators", lang)),
        html.Table(html.Tbody(indicator_rows), className="al-facts"),
        html.P(tr(METHOD, lang), className="al-note"),
        # which unit the panel shows: a parameter change rebuilds it (see panel_for)
        dcc.Store(id=SUBJECT, data={"unit_id": unit_id, "level": clean["level"]}),
    ]
    if ctx.pack.synthetic:
        out.append(html.P(t("badge.synthetic", lang), className="al-note"))
    return out
