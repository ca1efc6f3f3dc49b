"""The scenario page: build scenario A and B from interventions, compare them on two maps kept
in step (side by side), on one map with a divider (swipe) or as their difference, with KPI
cards, their table, a district table and the heat model's card.

The scenarios live in the browser session and in the link (:mod:`dashboard.scenario_state`);
the figures come from :mod:`dashboard.scenario_service` through
:mod:`dashboard.callbacks.scenario`. A link with ``a=``/``b=`` shows the same comparison to
anyone; without one the page continues the session's scenarios.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs

import dash_ag_grid as dag
import dash_leaflet as dl
from dash import dcc, html

from dashboard import components, drawn_view, ids
from dashboard.components import attrs
from dashboard.context import AppContext
from dashboard.grid_locale import grid_options
from dashboard.i18n import t
from dashboard.pages.registry import router_search
from dashboard.scenario_state import FORM_KINDS, MAX_UPLOAD_BYTES, MODES, from_query
from dashboard.scenario_view import district_columns
from dashboard.state import ZOOM_RANGE, View, view_query
from data.pack import to_geojson

OUTLINE_STYLE = components.NS("scenarioOutline")


def district_options(ctx: AppContext) -> list[dict[str, str]]:
    if not ctx.pack.has("districts"):
        return []
    frame = ctx.pack.metric("districts")
    names = sorted(frame["name"].astype(str))
    return [{"label": n, "value": n} for n in names]


def plan_options(ctx: AppContext, lang: str) -> list[dict[str, str]]:
    """The pack's plan list (``plan:<id>``); the session's drawn plans are added in the
    browser's callback (``drawn:<id>``)."""
    if not ctx.pack.has("plans"):
        return []
    frame = ctx.pack.metric("plans")
    names = frame["name"].astype(str) if "name" in frame else frame["plan_id"].astype(str)
    return [
        {"label": t("scn.plan.pack", lang, name=f"{n} ({pid})"), "value": f"plan:{pid}"}
        for pid, n in zip(frame["plan_id"].astype(str), names, strict=True)
    ]


def outlines(ctx: AppContext) -> dict[str, Any]:
    """The districts' outlines (GeoJSON, EPSG:4326), once per pack."""
    key = ("scenario-outlines", ctx.pack.version)
    if key not in ctx.memo:
        if ctx.pack.has("districts"):
            frame = ctx.pack.vector("districts")[["district_id", "name", "geometry"]].copy()
            frame["district_id"] = frame["district_id"].astype(str)
            ctx.memo[key] = to_geojson(frame)
        else:
            ctx.memo[key] = {"type": "FeatureCollection", "features": []}
    return ctx.memo[key]  # type: ignore[no-any-return]


def scenario_map(ctx: AppContext, view: View, map_id: str, right: bool, data: bool) -> dl.Map:
    """One of the two maps. The left one shows A; the right one B (side by side), A under
    B cut at the divider (swipe), or B − A (difference): its panes are shown or hidden by
    the view's class (``allmende.css``), so switching the view sends nothing."""
    base: list[Any] = list(components.base_children(ctx, view.base))
    if view.base == "offline":
        base.append(
            dl.Pane(
                dl.GeoJSON(
                    data=components.offline_base_data(ctx) if data else None,
                    style=components.NS("offlineBaseContrast"),
                    interactive=False,
                ),
                name="offline-base",
                style={"zIndex": 250},
            )
        )
    empty = [[0.0, 0.0], [0.0, 0.0]]
    if right:
        overlays = [
            dl.Pane(dl.ImageOverlay(id=ids.SCN_IMG_UNDER, url="", bounds=empty, opacity=0.85),
                    name="scn-under", style={"zIndex": 400}),
            dl.Pane(dl.ImageOverlay(id=ids.SCN_IMG_B, url="", bounds=empty, opacity=0.85),
                    name="scn-b", style={"zIndex": 410}),
            dl.Pane(dl.ImageOverlay(id=ids.SCN_IMG_DIFF, url="", bounds=empty, opacity=0.9),
                    name="scn-diff", style={"zIndex": 420}),
        ]  # fmt: skip
    else:
        overlays = [
            dl.Pane(
                dl.ImageOverlay(id=ids.SCN_IMG_A, url="", bounds=empty, opacity=0.85),
                name="scn-a",
                style={"zIndex": 400},
            )
        ]
    outline = dl.GeoJSON(
        id=ids.SCN_OUTLINE if right else f"{ids.SCN_OUTLINE}-a",
        data=outlines(ctx) if data else None,
        style=OUTLINE_STYLE,
        hideout={"changed": []},
        interactive=False,
    )
    return dl.Map(
        [
            *base,
            *overlays,
            dl.Pane(outline, name="scn-outline", style={"zIndex": 430}),
            dl.ScaleControl(position="bottomleft", imperial=False),
        ],
        id=map_id,
        center=[view.lat, view.lon],
        zoom=view.zoom,
        keyboard=True,
        className="al-map al-scn-map",
        style={"height": "100%", "width": "100%"},
    )


def map_box(ctx: AppContext, the_map: dl.Map, label_id: str, lang: str) -> html.Div:
    hint = f"{the_map.id}-keys"
    return html.Div(
        [
            html.H3(id=label_id, className="al-scn-map-label"),
            html.Div(
                [
                    the_map,
                    html.P(t("map.keys", lang), id=hint, className="al-visually-hidden"),
                ],
                className="al-scn-map-frame",
                **attrs(
                    {
                        "data-map-label": t("map.label", lang, city=ctx.pack.city.name),
                        "data-map-roledescription": t("map.roledescription", lang),
                        "data-map-describedby": hint,
                        "data-map-zoom-in": t("map.zoom_in", lang),
                        "data-map-zoom-out": t("map.zoom_out", lang),
                    }
                ),
            ),
        ],
        className="al-scn-map-box",
    )


def builder(ctx: AppContext, lang: str) -> html.Aside:
    """The form that builds the scenario being edited (A or B)."""
    kinds = [{"label": t(f"scn.kind.{k}", lang), "value": k} for k in FORM_KINDS]
    return html.Aside(
        [
            html.H3(t("scn.build", lang), id="scn-build-heading"),
            html.Fieldset(
                [
                    html.Legend(t("scn.slot", lang), className="al-legend-title"),
                    dcc.RadioItems(
                        id=ids.SCN_SLOT,
                        options=[
                            {"label": t("scn.slot.a", lang), "value": "a"},
                            {"label": t("scn.slot.b", lang), "value": "b"},
                        ],
                        value="b",
                        inline=True,
                        labelStyle={"marginRight": "1rem"},
                    ),
                ],
                className="al-fieldset",
            ),
            html.Label(t("scn.name", lang), htmlFor=ids.SCN_NAME, className="al-legend-title"),
            dcc.Input(id=ids.SCN_NAME, type="text", maxLength=200, debounce=True,
                      className="al-input"),
            html.Fieldset(
                [
                    html.Legend(t("scn.horizon", lang), className="al-legend-title"),
                    dcc.RadioItems(
                        id=ids.SCN_HORIZON,
                        options=[{"label": t(f"scn.horizon.{h}", lang), "value": h}
                                 for h in ("today", "2050")],
                        value="today", inline=True, labelStyle={"marginRight": "1rem"},
                    ),
                ],
                className="al-fieldset",
            ),
            html.Fieldset(
                [
                    html.Legend(t("scn.warming", lang), className="al-legend-title"),
                    dcc.RadioItems(
                        id=ids.SCN_WARMING,
                        options=[{"label": f"+{w:g}".replace(".", "," if lang == "de" else "."),
                                  "value": w} for w in (1.5, 2.0, 3.0)],
                        value=2.0, inline=True, labelStyle={"marginRight": "1rem"},
                    ),
                ],
                className="al-fieldset",
            ),
            html.Fieldset(
                [
                    html.Legend(t("scn.add", lang), className="al-legend-title"),
                    # native radio buttons and checkboxes in fieldsets: dcc.Dropdown hides a
                    # focusable input from assistive technology (axe: aria-hidden-focus)
                    html.Fieldset(
                        [
                            html.Legend(t("scn.kind", lang)),
                            dcc.RadioItems(id=ids.SCN_KIND, options=kinds, value="canopy",
                                           labelStyle={"display": "block"}),
                        ],
                        className="al-fieldset",
                    ),
                    html.Fieldset(
                        [
                            html.Legend(t("scn.districts", lang), id="scn-districts-legend"),
                            html.Div(
                                dcc.Checklist(id=ids.SCN_DISTRICTS, options=district_options(ctx),
                                              value=[], labelStyle={"display": "block"}),
                                className="al-scn-choices",
                                tabIndex="0",  # a scroll box is reachable by keyboard
                                role="group",
                                **attrs({"aria-labelledby": "scn-districts-legend"}),
                            ),
                        ],
                        className="al-fieldset",
                    ),
                    html.Fieldset(
                        [
                            html.Legend(t("scn.plan", lang), id="scn-plan-legend"),
                            html.Div(
                                dcc.RadioItems(id=ids.SCN_PLAN, options=plan_options(ctx, lang),
                                               labelStyle={"display": "block"}),
                                className="al-scn-choices",
                                tabIndex="0",
                                role="group",
                                **attrs({"aria-labelledby": "scn-plan-legend"}),
                            ),
                        ],
                        className="al-fieldset",
                    ),
                    html.Label(t("scn.amount", lang), htmlFor=ids.SCN_AMOUNT, id="scn-amount-label"),
                    dcc.Input(id=ids.SCN_AMOUNT, type="number", value=10,
                              className="al-input"),
                    html.Label(t("scn.crown", lang), htmlFor=ids.SCN_CROWN),
                    dcc.Input(id=ids.SCN_CROWN, type="number", value=50,
                              className="al-input"),
                    html.Button(t("scn.add.button", lang), id=ids.SCN_ADD, n_clicks=0,
                                className="al-button"),
                ],
                className="al-fieldset al-scn-form",
            ),
            html.Div(id=ids.SCN_MESSAGE, role="status", className="al-scn-message"),
            html.Div(id=ids.SCN_LINK_NOTE),
            html.Div(id=ids.SCN_LIST),
            html.Div(
                [
                    html.Button(t("scn.clear", lang), id=ids.SCN_CLEAR, n_clicks=0,
                                className="al-button"),
                    html.Button(t("scn.swap", lang), id=ids.SCN_SWAP, n_clicks=0,
                                className="al-button"),
                    html.Button(t("scn.export.a", lang), id=ids.SCN_EXPORT_A, n_clicks=0,
                                className="al-button"),
                    html.Button(t("scn.export", lang), id=ids.SCN_EXPORT_B, n_clicks=0,
                                className="al-button"),
                ],
                className="al-scn-actions",
            ),
            dcc.Upload(
                html.Div(t("scn.upload", lang)),
                id=ids.SCN_UPLOAD,
                accept=".toml,.json,application/toml,application/json,text/plain",
                max_size=MAX_UPLOAD_BYTES,
                className="al-upload",
            ),
            dcc.Download(id=ids.SCN_DOWNLOAD),
        ],
        className="al-scn-builder",
        **attrs({"aria-labelledby": "scn-build-heading"}),
    )  # fmt: skip


def comparison(ctx: AppContext, view: View, mode: str, data: bool) -> html.Section:
    lang = view.lang
    return html.Section(
        [
            html.H3(t("scn.compare", lang), id="scn-compare-heading"),
            html.Fieldset(
                [
                    html.Legend(t("scn.mode", lang), className="al-legend-title"),
                    dcc.RadioItems(
                        id=ids.SCN_MODE,
                        options=[{"label": t(f"scn.mode.{m}", lang), "value": m} for m in MODES],
                        value=mode,
                        inline=True,
                        labelStyle={"marginRight": "1rem"},
                    ),
                ],
                className="al-fieldset",
            ),
            html.Div(
                [
                    map_box(ctx, scenario_map(ctx, view, ids.SCN_MAP_A, False, data),
                            ids.SCN_LABEL_A, lang),
                    map_box(ctx, scenario_map(ctx, view, ids.SCN_MAP_B, True, data),
                            ids.SCN_LABEL_B, lang),
                    html.Div(
                        [
                            html.Label(t("scn.swipe", lang), htmlFor=ids.SCN_SWIPE),
                            dcc.Input(id=ids.SCN_SWIPE, type="range", min=0, max=100, step=1,
                                      value=50, className="al-scn-swipe"),
                        ],
                        className="al-scn-swipe-box",
                    ),
                ],
                id=ids.SCN_MAPS,
                className=f"al-scn-maps al-mode-{mode}",
                **attrs({"data-al-main": "map"}),
            ),
            html.Div(id=ids.SCN_LEGEND, className="al-scn-legends"),
        ],
        className="al-scn-compare",
        **attrs({"aria-labelledby": "scn-compare-heading"}),
    )  # fmt: skip


def figures(lang: str) -> list[Any]:
    return [
        html.Section(
            [
                html.H3(t("scn.kpis", lang), id="scn-kpi-heading"),
                # not a live region: the builder's status line says what changed, and eleven
                # cards read out after every change would drown it
                html.Div(id=ids.SCN_KPIS),
                html.Div(
                    id=ids.SCN_KPI_TABLE,
                    className="al-scroll-x",
                    tabIndex="0",  # a narrow screen scrolls the table sideways, by keyboard too
                    role="region",
                    **attrs({"aria-label": t("scn.kpi.table", lang)}),
                ),
            ],
            className="al-scn-figures",
            **attrs({"aria-labelledby": "scn-kpi-heading"}),
        ),
        html.Section(
            [
                html.H3(t("scn.districts.table", lang), id="scn-grid-heading"),
                html.P(id=ids.SCN_CELLS, className="al-note"),
                dag.AgGrid(
                    id=ids.SCN_GRID,
                    rowData=[],
                    columnDefs=district_columns(lang),
                    defaultColDef={"sortable": True, "resizable": True, "filter": True},
                    dashGridOptions=grid_options(
                        lang,
                        domLayout="autoHeight",
                        pagination=True,
                        paginationPageSize=25,
                        paginationPageSizeSelector=False,
                    ),
                    style={"width": "100%"},
                ),
            ],
            className="al-scn-figures",
            **attrs({"aria-labelledby": "scn-grid-heading"}),
        ),
        html.Details(
            [html.Summary(t("scn.model", lang)), html.Div(id=ids.SCN_MODEL_CARD)],
            className="al-scn-card",
        ),
    ]


def layout(ctx: AppContext, view: View, data: bool = True, search: str | None = None) -> Any:
    """The page; ``data=False`` gives its ids for the validation layout (no header: the map
    page's skeleton holds the header's ids; no drawn-plans store: the map page's)."""
    lang = view.lang
    query = search if search is not None else router_search()
    link_state, mode, problems = from_query(query)
    if "z" not in parse_qs((query or "").lstrip("?")):
        # two maps side by side are half as wide as the map page's: one step out shows the city
        view = replace(view, zoom=max(ZOOM_RANGE[0], view.zoom - 1))
    main = [
        html.H2(t("scn.heading", lang)),
        html.P(t("scn.intro", lang)),
        html.P(t("scn.pending", lang), id=ids.SCN_STATUS, className="al-note", role="status"),
        *(
            [html.P(t("scn.link_problem", lang, slot=p[:1], error=p[3:]), className="al-error")
             for p in problems]
        ),
        html.Div(
            [builder(ctx, lang), comparison(ctx, view, mode, data)],
            className="al-scn-grid",
        ),
        *figures(lang),
        dcc.Store(id=ids.SCN_STORE, storage_type="session"),
        dcc.Store(id=ids.SCN_FROM_LINK, data=link_state),
        dcc.Store(id=ids.SCN_URL_SYNC),
        dcc.Interval(id=ids.SCN_POLL, interval=1500, disabled=False),
    ]  # fmt: skip
    if not data:  # the drawn plans' store is the map page's, where it has one
        return html.Div(main if drawn_view.available(ctx) else [*main, drawn_view.session_store()])

    query = view_query(view)
    return html.Div(
        [
            components.header(ctx, lang, "scenario", query),
            html.Main(
                [
                    *main,
                    dcc.Store(id=ids.SCN_STORE, storage_type="session"),
                    drawn_view.session_store(),
                ],
                id="main",
                tabIndex="-1",
                className="al-page al-scn-page",
            ),
            components.footer(ctx, lang),
        ]
    )
