"""The map page: layer panel, Leaflet map, district facts panel."""

from __future__ import annotations

from typing import Any

import dash_leaflet as dl
from dash import dcc, html

from dashboard import components, ids
from dashboard.components import attrs
from dashboard.context import AppContext
from dashboard.i18n import t
from dashboard.state import View, view_query
from layers import BASEMAPS, REGISTRY, tr


def layout(ctx: AppContext, view: View) -> html.Div:
    lang = view.lang
    query = view_query(view)
    panels: list[Any] = []
    group = None
    for layer in reversed(REGISTRY):  # top-most layer first in the panel
        g = tr(layer.group, lang)
        if g != group:
            panels.append(html.H2(g, className="al-group"))
            group = g
        panels.append(
            components.layer_panel(
                ctx,
                layer,
                layer.id in view.layers,
                view.params[layer.id],
                view.opacity[layer.id],
                lang,
            )
        )
    city = ctx.pack.city
    sidebar = html.Aside(
        [
            html.H2(t("layers.heading", lang), style={"fontSize": "1.1rem"}),
            *panels,
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
            embed_generator(ctx, lang),
        ],
        className="al-sidebar",
        **attrs({"aria-label": t("layers.heading", lang)}),
    )
    the_map = map_view(ctx, view)
    panel = html.Aside(
        [
            html.H2(t("panel.heading", lang), style={"fontSize": "1.1rem"}),
            html.Div(
                html.P(t("panel.hint", lang), className="al-note"),
                id=ids.DISTRICT_PANEL,
                **attrs({"aria-live": "polite"}),
            ),
        ],
        className="al-panel",
        **attrs({"aria-label": t("panel.heading", lang)}),
    )
    return html.Div(
        [
            components.header(ctx, lang, "map", query),
            html.Main(
                [
                    sidebar,
                    map_frame(ctx, the_map, lang, ids.MAP),
                    panel,
                ],
                id="main",
                tabIndex="-1",  # the skip link's target takes the focus
                className="al-main" + (" al-offline" if view.base == "offline" else ""),
            ),
            components.footer(ctx, lang),
            dcc.Store(id=ids.URL_SYNC, data=query),
        ]
    )


def map_view(ctx: AppContext, view: View, map_id: str = ids.MAP) -> dl.Map:
    """The Leaflet map with one pane per registry layer; shared by the map and embed pages."""
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
    map_children.append(dl.ScaleControl(position="bottomleft", imperial=False))
    the_map = dl.Map(
        map_children,
        id=map_id,
        center=[view.lat, view.lon],
        zoom=view.zoom,
        minZoom=9,
        maxZoom=18,
        keyboard=True,
        className="al-map",
        style={"height": "100%", "width": "100%"},
    )
    return the_map


def map_frame(ctx: AppContext, the_map: dl.Map, lang: str, map_id: str, **kwargs: Any) -> html.Div:
    """The map with its name and keyboard hint for assistive technology.

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
            html.P(t("map.keys", lang), id=hint_id, className="al-visually-hidden"),
        ],
        **kwargs,
        **attrs(
            {
                "data-map-label": t("map.label", lang, city=ctx.pack.city.name),
                "data-map-roledescription": t("map.roledescription", lang),
                "data-map-describedby": hint_id,
                "data-map-zoom-in": t("map.zoom_in", lang),
                "data-map-zoom-out": t("map.zoom_out", lang),
            }
        ),
    )


def embed_generator(ctx: AppContext, lang: str) -> html.Details:
    """The iframe snippet for the current view (filled in the browser from the URL)."""
    return html.Details(
        [
            html.Summary(t("embed.heading", lang)),
            html.P(t("embed.help", lang), className="al-note"),
            html.Label(t("embed.code", lang), htmlFor=ids.EMBED_CODE, className="al-legend-title"),
            dcc.Textarea(
                id=ids.EMBED_CODE,
                readOnly=True,
                rows=5,
                style={"width": "100%", "fontFamily": "monospace", "fontSize": ".8rem"},
            ),
            dcc.Store(
                id=ids.EMBED_TITLE, data=t("embed.iframe_title", lang, city=ctx.pack.city.name)
            ),
        ],
        className="al-embed-generator",
    )
