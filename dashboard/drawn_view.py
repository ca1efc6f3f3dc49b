"""Draw to assess, what the person sees: the section beside the map (form, file drop, the
list of the session's plans, the assessment) and the map parts (the drawing tool, the
overlay of the assessed plan's conflicts). The map page only: ``/embed`` has no drawing.

The state and the checks are in :mod:`dashboard.drawn_plans`; the callbacks in
``dashboard.callbacks.drawn_plans``.
"""

from __future__ import annotations

import uuid
from typing import Any

import dash_leaflet as dl
from dash import dcc, html

from dashboard import drawn_engine, drawn_plans, ids
from dashboard.components import NS, attrs
from dashboard.context import AppContext
from dashboard.i18n import t
from data.landuse_vocab import PLANNED_USES
from layers import fmt, tr
from layers.landuse.words import HARD, PLAN, SOFT

# leaflet-draw: polygons and rectangles only; a polygon's edges may not cross while drawn
DRAW_OPTIONS: dict[str, Any] = {
    "polyline": False,
    "circle": False,
    "marker": False,
    "circlemarker": False,
    "polygon": {"allowIntersection": False, "showArea": True, "metric": True},
    "rectangle": {"showArea": True, "metric": True},
}
# the drawn shapes' style (the tool's and the reloaded ones' alike)
SHAPE_STYLE = {"color": "#0b57d0", "weight": 3, "fillOpacity": 0.1}


def available(ctx: AppContext) -> bool:
    """Whether the pack has what checking a plan needs (its constraint zones)."""
    return ctx.pack.has("constraints")


def map_parts(ctx: AppContext, lang: str) -> list[Any]:
    """The map's drawing parts: the holder the tool is drawn into (by a callback, with the
    session's plans in it) and the overlay of the assessed plan's conflicts, styled like the
    conflicts layer."""
    hideout = ctx.layer_style("conflicts", {}, lang).hideout if available(ctx) else {}
    return [
        dl.Pane(
            dl.GeoJSON(
                id=ids.DRAW_OVERLAY,
                data=None,
                style=NS("categorical"),
                hideout={**hideout, "opacity": 0.6},
                interactive=False,
            ),
            name="drawn-conflicts",
            style={"zIndex": 640},
        ),
        dl.LayerGroup(id=ids.DRAW_HOLDER),
    ]


def tool(n: int, plans: list[dict[str, Any]]) -> dl.FeatureGroup:
    """The drawing tool (version ``n``) with the session's plans it can hold in it."""
    shapes = [
        dl.Polygon(
            positions=[[lat, lon] for lon, lat in p["geometry"]["coordinates"][0][:-1]],
            **SHAPE_STYLE,
        )
        for p in plans
        if drawn_plans.editable(p["geometry"])
    ]
    return dl.FeatureGroup(
        [
            *shapes,
            dl.EditControl(
                id={"type": ids.DRAW_CONTROL, "n": n},
                position="topleft",
                draw=DRAW_OPTIONS,
                edit={"edit": True, "remove": True},
            ),
        ],
        id={"type": ids.DRAW_GROUP, "n": n},
    )


def session_store() -> dcc.Store:
    """The session's drawn plans (browser session storage; the scenario page reads them too,
    under the same id)."""
    return dcc.Store(id=ids.DRAW_STORE, storage_type="session")


def section(ctx: AppContext, lang: str) -> html.Section:
    """The "check your own plan" section beside the map."""
    heading = "draw-heading"
    if not available(ctx):
        return html.Section(
            [
                html.H2(t("draw.heading", lang), id=heading, className="al-draw-title"),
                html.P(t("draw.unavailable", lang), className="al-note"),
            ],
            className="al-draw",
            **attrs({"aria-labelledby": heading}),
        )
    uses = use_options(lang, disabled=True)
    mb = drawn_engine.MAX_UPLOAD_BYTES // 1_000_000
    return html.Section(
        [
            html.H2(t("draw.heading", lang), id=heading, className="al-draw-title"),
            html.P(t("draw.help", lang), className="al-note"),
            html.Div(id=ids.DRAW_MESSAGE, role="status", **attrs({"aria-live": "polite"})),
            html.H3(t("draw.list", lang), id="draw-list-heading"),
            html.Div(
                html.P(t("draw.none", lang), className="al-note"),
                id=ids.DRAW_LIST,
                **attrs({"aria-labelledby": "draw-list-heading"}),
            ),
            html.Div(
                [
                    html.Label(t("draw.name", lang), htmlFor=ids.DRAW_NAME),
                    dcc.Input(
                        id=ids.DRAW_NAME,
                        type="text",
                        maxLength=drawn_plans.MAX_NAME,
                        debounce=True,
                        disabled=True,
                        className="al-input",
                    ),
                    # native radio buttons in a fieldset (dcc.Dropdown hides a focusable
                    # element from assistive technology: axe "aria-hidden-focus")
                    html.Fieldset(
                        [
                            html.Legend(t("draw.use", lang), className="al-legend-title"),
                            dcc.RadioItems(
                                id=ids.DRAW_USE,
                                options=uses,
                                value=drawn_plans.DEFAULT_USE,
                                labelStyle={"display": "block"},
                                inputStyle={"marginRight": ".4rem"},
                            ),
                        ],
                        className="al-draw-uses",
                    ),
                    html.Label(t("draw.dwellings", lang), htmlFor=ids.DRAW_DWELLINGS),
                    dcc.Input(
                        id=ids.DRAW_DWELLINGS,
                        type="number",
                        min=0,
                        max=drawn_plans.MAX_DWELLINGS,
                        step=1,
                        value=0,
                        debounce=True,
                        disabled=True,
                        className="al-input",
                    ),
                ],
                id=ids.DRAW_FORM,
                className="al-draw-form",
            ),
            html.Div(id=ids.DRAW_RESULT, **attrs({"aria-live": "polite"})),
            dcc.Upload(
                html.Div(t("draw.upload", lang, mb=mb)),
                id=ids.DRAW_UPLOAD,
                max_size=drawn_engine.MAX_UPLOAD_BYTES,
                accept=",".join(drawn_engine.UPLOAD_SUFFIXES),
                className="al-upload",
            ),
            html.Button(t("draw.export", lang), id=ids.DRAW_EXPORT, className="al-button"),
            dcc.Download(id=ids.DRAW_DOWNLOAD),
            session_store(),
            dcc.Store(id=ids.DRAW_PAGE, data=uuid.uuid4().hex[:12]),
            dcc.Store(id=ids.DRAW_REDRAW, data=0),
        ],
        className="al-draw",
        **attrs({"aria-labelledby": heading}),
    )


def use_options(lang: str, disabled: bool) -> list[dict[str, Any]]:
    """The planned uses as radio options (disabled while no plan is shown)."""
    return [
        {"label": tr(label, lang), "value": use, "disabled": disabled}
        for use, label in PLANNED_USES.items()
    ]


def plan_list(store: dict[str, Any], results: dict[str, dict[str, Any]], lang: str) -> Any:
    """The session's plans: each a button that shows it (pressed: the one shown), a line
    with its use, area and verdict (or why it cannot be assessed), and a delete button."""
    if not store["plans"]:
        return html.P(t("draw.none", lang), className="al-note")
    items = []
    for plan in store["plans"]:
        result = results.get(plan["id"], {})
        if result.get("error"):
            line = f"{t('draw.refused', lang)}: {result['error'][lang]}"
        else:
            verdict = result.get("plan", {}).get("verdict", {}).get(lang, "")
            area = fmt.number(result.get("area_ha"), lang, 2)
            line = f"{tr(PLANNED_USES[plan['use']], lang)} · {area} ha · {verdict}"
        current = plan["id"] == store["current"]
        items.append(
            html.Li(
                [
                    html.Button(
                        plan["name"],
                        id={"type": ids.DRAW_PICK, "plan": plan["id"]},
                        className="al-link-button",
                        **attrs(
                            {
                                "aria-pressed": "true" if current else "false",
                                "aria-label": t("draw.pick.label", lang, name=plan["name"]),
                            }
                        ),
                    ),
                    html.Span(line, className="al-note"),
                    html.Button(
                        t("draw.delete", lang),
                        id={"type": ids.DRAW_DELETE, "plan": plan["id"]},
                        className="al-button al-button-small",
                        **attrs({"aria-label": t("draw.delete.label", lang, name=plan["name"])}),
                    ),
                ],
                className="al-draw-item" + (" al-current" if current else ""),
            )
        )
    return html.Ul(items, className="al-draw-items")


def result_view(
    plan: dict[str, Any] | None, result: dict[str, Any] | None, synthetic: bool, lang: str
) -> list[Any]:
    """The assessment of the plan shown: its facts and each conflict explained."""
    if plan is None or result is None:
        return []
    out: list[Any] = [html.H3(f"{t('draw.result', lang)}: {plan['name']}", id="draw-result-name")]
    if result.get("error"):
        out.append(html.P(result["error"][lang], className="al-error", role="alert"))
        if not drawn_plans.editable(plan["geometry"]):
            out.append(html.P(t("draw.not_editable", lang), className="al-note"))
        return out
    p = result["plan"]
    sealing = result["sealing"]
    heat = result["heat"]
    if heat.get("residents") is None:
        hot = heat.get("reason", {}).get(lang, "–")
    else:
        hot = (
            f"{fmt.number(heat['residents'], lang)} ({t('draw.hot.cells', lang, n=heat['cells'])})"
        )
    rows = [
        (t("draw.use", lang), tr(PLANNED_USES[plan["use"]], lang)),
        (t("draw.dwellings", lang), fmt.number(plan["dwellings"], lang)),
        (t("draw.area", lang), f"{fmt.number(result['area_ha'], lang, 2)} ha"),
        (t("draw.verdict", lang), p["verdict"][lang]),
        (
            t("draw.conflict_area", lang),
            f"{fmt.number(p['conflict_area_ha'], lang, 2)} ha "
            f"({fmt.percent(p['conflict_share'], lang)})",
        ),
        (t("draw.score", lang), fmt.number(p["score"], lang, 2)),
        (t("draw.sealed", lang), f"{fmt.number(sealing['added_ha'], lang, 2)} ha"),
        (t("draw.hot", lang, m=fmt.number(heat.get("radius_m", 500), lang)), hot),
    ]
    out.append(
        html.Table(
            html.Tbody([html.Tr([html.Th(k, scope="row"), html.Td(v)]) for k, v in rows]),
            className="al-facts",
            id="draw-facts",
        )
    )
    out.append(html.P(sealing["assumption"][lang], className="al-note"))
    if sealing.get("note"):
        out.append(html.P(sealing["note"][lang], className="al-note"))
    if not p["conflicts"]:
        out.append(html.P(t("draw.no_conflict", lang)))
    for c in p["conflicts"]:
        out.append(html.H4(c["title"][lang]))
        out.append(
            html.P(
                html.Strong(
                    f"{c['verdict'][lang]}: {fmt.number(c['area_ha'], lang, 2)} ha "
                    f"({fmt.percent(c['share'], lang)})"
                )
            )
        )
        out.append(html.P(c["explanation"][lang]))
        if c.get("exception"):
            out.append(html.P(f"{t('draw.exception', lang)}: {c['exception'][lang]}"))
        out.append(
            html.P(
                f"{t('draw.reference', lang)}: {c['reference']} ({c['reference_date']})",
                className="al-note",
            )
        )
    out.append(html.P(t("draw.rules", lang, file=result["rules"]), className="al-note"))
    out.append(html.P(t("draw.on_map", lang), className="al-note"))
    if synthetic:
        out.append(html.P(t("badge.synthetic", lang), className="al-note"))
    return out


def overlay(store: dict[str, Any], result: dict[str, Any] | None) -> dict[str, Any]:
    """The map overlay: the shown plan's conflict parts (soft and hard, styled like the
    conflicts layer), and the outlines of the plans the drawing tool cannot hold."""
    features: list[dict[str, Any]] = []
    for plan in store["plans"]:
        if not drawn_plans.editable(plan["geometry"]):
            features.append(
                {"type": "Feature", "properties": {"cls": PLAN}, "geometry": plan["geometry"]}
            )
    if result and not result.get("error"):
        for c in result["plan"]["conflicts"]:
            if c.get("geometry"):
                cls = HARD if c["severity"] == "hard" else SOFT
                features.append(
                    {"type": "Feature", "properties": {"cls": cls}, "geometry": c["geometry"]}
                )
    features.sort(key=lambda f: f["properties"]["cls"])
    return {"type": "FeatureCollection", "features": features}
