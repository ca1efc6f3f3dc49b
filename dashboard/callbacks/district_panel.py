"""Clicking a district opens its facts in the side panel."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, html, no_update

from dashboard import ids
from dashboard.context import AppContext
from dashboard.i18n import language, t
from layers import fmt
from layers.districts import district_table


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


def register(app: Dash, ctx: AppContext) -> None:
    @app.callback(
        Output(ids.DISTRICT_PANEL, "children"),
        Input(ids.layer_id(ids.LAYER_GEOJSON, "districts"), "clickData"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def on_click(feature, lang):  # type: ignore[no-untyped-def]
        if not isinstance(feature, dict):
            return no_update
        props = feature.get("properties")
        if not isinstance(props, dict) or "district_id" not in props:
            return no_update
        return facts(ctx, props["district_id"], language(lang))
