"""The public embed (``/embed``): a read-only map for a city's web pages.

Layers, view and language come from the URL (``?layers=heat-vulnerability&lang=de&lat=…``).
Minimal chrome: the city and a synthetic-data badge, language links and a link to the full
atlas. Beside the map a panel "Was zeigt diese Karte?" explains every shown layer in plain
language, with its legend, its source and its data as a sortable table (the same numbers as
the map). Nothing can be drawn, saved or uploaded here.
"""

from __future__ import annotations

from typing import Any

import dash_leaflet as dl
from dash import html

from dashboard import components, ids
from dashboard.components import attrs
from dashboard.context import AppContext
from dashboard.i18n import t
from dashboard.map_chrome import drawer_close, drawer_toggle, map_legend
from dashboard.pages.map_page import map_frame, map_view
from dashboard.state import View, view_query
from dashboard.tables import layer_table_section
from layers import REGISTRY, tr

EXPLAIN_PANEL = "embed-explain"


def layout(ctx: AppContext, view: View, data: bool = True) -> html.Div:
    """The embed page; ``data=False`` gives its ids for the validation layout that no other
    page's skeleton has (its map: the row-to-map callback writes its viewport). The rest of
    the embed reuses the map page's ids, which the validation layout must not hold twice."""
    if not data:
        return html.Div(dl.Map(id=ids.EMBED_MAP))
    lang = view.lang
    query = view_query(view)
    city = ctx.pack.city
    shown = [layer for layer in REGISTRY if layer.id in view.layers and layer.available(ctx.pack)]
    explain: list[Any] = [
        html.Div(
            [
                html.H2(t("embed.what", lang), id="embed-what", tabIndex="-1"),
                drawer_close(EXPLAIN_PANEL, lang),
            ],
            className="al-drawer-head",
        )
    ]
    if not shown:
        explain.append(html.P(t("embed.nolayers", lang), className="al-note"))
    for layer in reversed(shown):  # top-most first, as on the map
        params = view.params[layer.id]
        style = ctx.layer_style(layer.id, params, lang)
        sources = []
        for ds_id in dict.fromkeys(r.partition(":")[0] for r in layer.requires):
            ds = ctx.pack.dataset(ds_id)
            sources.append(f"{tr(ds.title, lang)}: {ds.attribution_text(lang)} ({ds.licence})")
        explain.append(
            html.Section(
                [
                    html.H3(tr(layer.title, lang), id=f"embed-{layer.id}-heading"),
                    html.P(tr(layer.description, lang)),
                    html.Div(components.legend(style.legend, lang), className="al-legend"),
                    html.P(
                        [html.Strong(t("layers.sources", lang) + ": "), "; ".join(sources)],
                        className="al-note",
                    ),
                    layer_table_section(
                        ctx, layer, params, lang, f"embed-table-{layer.id}", ids.EMBED_GRID
                    ),
                ],
                className="al-layer",
                **attrs({"aria-labelledby": f"embed-{layer.id}-heading"}),
            )
        )
    badge = components.synthetic_badge(ctx, lang)
    langs = components.language_links(query, lang, path="/embed", with_ids=False)
    header = html.Header(
        [
            html.A(t("skip.content", lang), href="#main", className="skip-link"),
            html.H1(f"{t('app.title', lang)} {city.name}", className="al-embed-title"),
            badge,
            drawer_toggle(EXPLAIN_PANEL, t("embed.what", lang), "embed", "al-embed-what"),
            langs,
            html.A(
                t("embed.open", lang),
                href="/" + query,
                target="_blank",
                rel="noopener",
                className="al-embed-open",
            ),
        ],
        className="al-header al-embed-header",
    )
    return html.Div(
        [
            header,
            html.Main(
                [
                    map_frame(
                        ctx,
                        map_view(ctx, view, ids.EMBED_MAP),
                        lang,
                        ids.EMBED_MAP,
                        legend=map_legend(ctx, [x.id for x in shown], view.params, lang),
                        className="al-embed-map",
                    ),
                    html.Div(
                        [
                            *explain,
                            html.Section(
                                [
                                    html.H2(t("panel.heading", lang)),
                                    html.Div(
                                        html.P(t("panel.hint", lang), className="al-note"),
                                        id=ids.DISTRICT_PANEL,
                                        **attrs({"aria-live": "polite"}),
                                    ),
                                ]
                            ),
                            components.footer(ctx, lang),
                        ],
                        id=EXPLAIN_PANEL,
                        className="al-embed-panel al-drawer",
                        role="region",
                        **attrs({"aria-labelledby": "embed-what"}),
                    ),
                ],
                id="main",
                tabIndex="-1",  # the skip link's target takes the focus
                className="al-embed-main" + (" al-offline" if view.base == "offline" else ""),
            ),
        ],
        className="al-shell al-embed",
    )
