"""The map page: layer panel, Leaflet map, district facts panel."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import dash_leaflet as dl
from dash import dcc, html

from dashboard import components, drawn_view, ids, linking, scenario_view
from dashboard.components import attrs
from dashboard.context import AppContext
from dashboard.i18n import t
from dashboard.map_chrome import drawer_close, drawer_toggle, map_legend
from dashboard.state import ZOOM_RANGE, View, view_query
from layers import BASEMAPS, REGISTRY, panel_groups, tr

LAYERS_DRAWER = "layers-drawer"
PANEL_DRAWER = "panel-drawer"


def layer_panels(ctx: AppContext, view: View) -> list[Any]:
    """The layer panel: each theme's heading once, in theme order, its available layers under
    it in their panel order (drawing order is the registry's and plays no part here); then
    the layers this pack cannot show, together in one group at the end, each with what it
    needs and the ``allmende import`` that adds it. A theme without an available layer has
    no heading of its own."""
    out: list[Any] = []
    lacking = []
    for theme, layers in panel_groups(REGISTRY):
        ready = [layer for layer in layers if layer.available(ctx.pack)]
        lacking += [layer for layer in layers if layer not in ready]
        if not ready:
            continue
        out.append(html.H2(tr(theme.title, view.lang), className="al-group"))
        out.extend(
            components.layer_panel(
                ctx,
                layer,
                layer.id in view.layers,
                view.params[layer.id],
                view.opacity[layer.id],
                view.lang,
            )
            for layer in ready
        )
    group = components.unavailable_layers(ctx, lacking, view.lang)
    return out if group is None else [*out, group]


def layers_drawer(ctx: AppContext, view: View) -> html.Aside:
    """The layer list (a column on wide screens, a drawer below 1100 px): the layer panel by
    theme, the base map switch and the embed generator."""
    lang = view.lang
    city = ctx.pack.city
    return html.Aside(
        [
            html.Div(
                [
                    html.H2(
                        t("layers.heading", lang),
                        id="layers-heading",
                        tabIndex="-1",
                        style={"fontSize": "1.1rem"},
                    ),
                    drawer_close(LAYERS_DRAWER, lang),
                ],
                className="al-drawer-head",
            ),
            *layer_panels(ctx, view),
            html.Fieldset(
                [
                    html.Legend(t("basemap.heading", lang), className="al-legend-title"),
                    dcc.RadioItems(
                        id=ids.BASEMAP_RADIO,
                        options=[
                            {"label": tr(BASEMAPS[b].label, lang), "value": b}
                            for b in city.basemaps
                        ],
                        value=view.base,
                        labelStyle={"display": "block"},
                    ),
                ],
                style={"border": "none", "padding": 0},
            ),
            scenario_view.map_overlay_control(lang, view_query(view)),
            embed_generator(ctx, lang),
        ],
        id=LAYERS_DRAWER,
        className="al-sidebar al-drawer al-drawer-start",
        **attrs({"aria-labelledby": "layers-heading"}),
    )


def layout(ctx: AppContext, view: View, data: bool = True) -> html.Div:
    """The page; ``data=False`` gives the id skeleton for the validation layout: every layer
    switched on, so every layer's map component is there, and no GeoJSON data."""
    if not data:
        every_layer = replace(view, layers=tuple(layer.id for layer in REGISTRY))
        return _without_data(layout(ctx, every_layer))
    lang = view.lang
    query = view_query(view)
    sidebar = layers_drawer(ctx, view)
    the_map = map_view(ctx, view, draw=True)
    panel = html.Aside(
        [
            html.Div(
                [
                    html.H2(
                        t("panel.heading", lang),
                        id="panel-heading",
                        tabIndex="-1",
                        style={"fontSize": "1.1rem"},
                    ),
                    drawer_close(PANEL_DRAWER, lang),
                ],
                className="al-drawer-head",
            ),
            html.Div(
                html.P(t("panel.hint", lang), className="al-note"),
                id=ids.DISTRICT_PANEL,
                **attrs({"aria-live": "polite"}),
            ),
            drawn_view.section(ctx, lang),
        ],
        id=PANEL_DRAWER,
        className="al-panel al-drawer al-drawer-end",
        **attrs({"aria-labelledby": "panel-heading"}),
    )
    toolbar = html.Div(
        [
            drawer_toggle(LAYERS_DRAWER, t("layers.heading", lang), "map"),
            drawer_toggle(PANEL_DRAWER, t("panel.heading", lang), "map"),
        ],
        className="al-toolbar",
        role="group",
        **attrs({"aria-label": t("drawer.toolbar", lang)}),
    )
    shown = [layer.id for layer in REGISTRY if layer.id in view.layers]
    legend = map_legend(ctx, shown, view.params, lang, every_layer=True)
    # the session scenario's scale, when its difference is shown (dashboard.callbacks.scenario)
    legend.children.append(html.Div(id=ids.SCN_ON_MAP_LEGEND, className="al-map-legend-scenario"))
    return html.Div(
        [
            components.header(ctx, lang, "map", query),
            html.Main(
                [
                    toolbar,
                    sidebar,
                    map_frame(ctx, the_map, lang, ids.MAP, legend=legend),
                    panel,
                ],
                id="main",
                tabIndex="-1",  # the skip link's target takes the focus
                className="al-main" + (" al-offline" if view.base == "offline" else ""),
            ),
            components.footer(ctx, lang),
            dcc.Store(id=ids.URL_SYNC, data=query),
        ],
        className="al-shell al-map-page",
    )


def _without_data(component: Any) -> Any:
    """Drop GeoJSON payloads, URLs and styles from a layout (in place) and return it: the
    validation layout needs the ids only."""
    if isinstance(component, dl.GeoJSON):
        for prop in ("data", "url", "hideout"):
            if hasattr(component, prop):
                delattr(component, prop)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):
            _without_data(child)
    return component


def map_view(ctx: AppContext, view: View, map_id: str = ids.MAP, draw: bool = False) -> dl.Map:
    """The Leaflet map with one pane per registry layer; shared by the map and embed pages.
    ``draw``: with the drawing tool and its overlay (the map page; never the embed)."""
    lang = view.lang
    map_children: list[Any] = [
        dl.LayerGroup(components.base_children(ctx, view.base), id=ids.BASEMAP_GROUP),
        dl.Pane(
            dl.GeoJSON(
                id=ids.OFFLINE_BASE,
                data=components.offline_base_data(ctx) if view.base == "offline" else None,
                style=components.NS("offlineBaseContrast"),
                interactive=False,
            ),
            name="offline-base",
            style={"zIndex": 250},
        ),
    ]
    for z, layer in enumerate(REGISTRY):
        on = layer.id in view.layers and layer.available(ctx.pack)
        children = (
            [
                components.layer_component(
                    ctx, layer, view.params[layer.id], view.opacity[layer.id], lang
                )
            ]
            if on
            else []
        )
        # one pane per layer: registry order is drawing order, and tests can find a layer's shapes
        map_children.append(
            dl.Pane(
                dl.LayerGroup(children, id=ids.layer_id(ids.LAYER_GROUP, layer.id)),
                name=components.pane_name(layer),
                style={"zIndex": 400 + z},
            )
        )
    if draw:  # the map page: the session scenario's difference B − A, when switched on
        map_children.append(
            dl.Pane(
                dl.ImageOverlay(
                    id=ids.SCN_ON_MAP_IMG, url="", bounds=[[0.0, 0.0], [0.0, 0.0]], opacity=0.9
                ),
                name="scn-on-map",
                style={"zIndex": 400 + len(REGISTRY)},
            )
        )
    # the selected feature's outline (a row chosen in a linked table, or a click), on top
    map_children.append(
        dl.Pane(
            [
                dl.GeoJSON(
                    id=ids.HIGHLIGHT_HALO,
                    data=linking.EMPTY,
                    style=linking.HALO_STYLE,
                    interactive=False,
                ),
                dl.GeoJSON(
                    id=ids.HIGHLIGHT,
                    data=linking.EMPTY,
                    style=linking.HIGHLIGHT_STYLE,
                    interactive=False,
                ),
            ],
            name="highlight",
            style={"zIndex": 401 + len(REGISTRY)},
        )
    )
    if draw and drawn_view.available(ctx):
        map_children.extend(drawn_view.map_parts(ctx, lang))
    map_children.append(dl.ScaleControl(position="bottomleft", imperial=False))
    the_map = dl.Map(
        map_children,
        id=map_id,
        center=[view.lat, view.lon],
        zoom=view.zoom,
        minZoom=ZOOM_RANGE[0],  # the same limits the permalink is held to
        maxZoom=ZOOM_RANGE[1],
        keyboard=True,
        className="al-map",
        style={"height": "100%", "width": "100%"},
    )
    return the_map


def map_frame(
    ctx: AppContext,
    the_map: dl.Map,
    lang: str,
    map_id: str,
    legend: Any = None,
    className: str = "",
    **kwargs: Any,
) -> html.Div:
    """The map with its on-map legend, its name and keyboard hint for assistive technology.

    The frame is the page's main content (``data-al-main``): it takes the height the page
    gives it, and the map fills it.

    Leaflet makes the map container keyboard-focusable (arrow keys pan, + and − zoom) but
    dash-leaflet passes no ``aria-*`` attributes, so ``allmende.js`` copies the
    ``data-map-*`` attributes of this wrapper onto the container (``role="region"``, a name,
    a role description and the hint below as its description) and names the zoom buttons
    in the page's language.
    """
    hint_id = f"{map_id}-keys"
    return html.Div(
        [
            the_map,
            *([legend] if legend is not None else []),
            html.P(t("map.keys", lang), id=hint_id, className="al-visually-hidden"),
            dcc.Store(id=ids.SELECTION),
            dcc.Store(id=ids.VIEWPORT),
        ],
        className=("al-map-frame " + className).strip(),
        **kwargs,
        **attrs(
            {
                "data-al-main": "map",
                "data-map-label": t("map.label", lang, city=ctx.pack.city.name),
                "data-map-roledescription": t("map.roledescription", lang),
                "data-map-describedby": hint_id,
                "data-map-zoom-in": t("map.zoom_in", lang),
                "data-map-zoom-out": t("map.zoom_out", lang),
            }
        ),
    )


# the frame sizes the embed-code generator offers (width, height in CSS px; 0: 100 % wide)
EMBED_SIZES: tuple[tuple[str, int, int], ...] = (
    ("responsive", 0, 600),
    ("320x480", 320, 480),
    ("600x450", 600, 450),
    ("900x650", 900, 650),
    ("1600x1000", 1600, 1000),
)


def embed_generator(ctx: AppContext, lang: str) -> html.Details:
    """The iframe snippet for the current view (filled in the browser from the URL), for a
    chosen frame size or a responsive frame, with a live, scaled preview of that frame.

    The preview loads only while the section is open (its summary's clicks)."""
    options = [
        {
            "label": t("embed.size.responsive", lang) if key == "responsive" else f"{w} × {h} px",
            "value": key,
        }
        for key, w, h in EMBED_SIZES
    ]
    return html.Details(
        [
            html.Summary(t("embed.heading", lang), id=ids.EMBED_SUMMARY),
            html.P(t("embed.help", lang), className="al-note"),
            html.Fieldset(
                [
                    html.Legend(t("embed.size", lang), className="al-legend-title"),
                    dcc.RadioItems(
                        id=ids.EMBED_SIZE,
                        options=options,
                        value="responsive",
                        labelStyle={"display": "block"},
                    ),
                ],
                style={"border": "none", "padding": 0},
            ),
            html.Label(t("embed.code", lang), htmlFor=ids.EMBED_CODE, className="al-legend-title"),
            dcc.Textarea(
                id=ids.EMBED_CODE,
                readOnly=True,
                rows=6,
                style={"width": "100%", "fontFamily": "monospace", "fontSize": ".8rem"},
            ),
            html.Div(
                t("embed.preview", lang), className="al-legend-title", id="embed-preview-label"
            ),
            html.Div(
                html.Iframe(
                    id=ids.EMBED_PREVIEW,
                    title=t("embed.preview.title", lang),
                    tabIndex="-1",
                    style={"border": "0"},
                ),
                id=ids.EMBED_PREVIEW_BOX,
                className="al-embed-preview",
                **attrs({"aria-describedby": "embed-preview-label"}),
            ),
            dcc.Store(
                id=ids.EMBED_TITLE, data=t("embed.iframe_title", lang, city=ctx.pack.city.name)
            ),
        ],
        className="al-embed-generator",
    )
