"""Choosing a counting site redraws the footfall charts and records ``site=`` in the URL.

The callback reads the site, calls one pure function (:func:`layers.footfall.charts.site_charts`,
whose aggregates are cached per pack and site) and shapes the output. A site id that is not
in the pack (a crafted request) gets a translated message and leaves the charts as they are.
"""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, html, no_update

from dashboard import ids
from dashboard.callbacks import inputs
from dashboard.chart_parts import column_defs, graph_id, grid_id, summary_id
from dashboard.context import AppContext
from dashboard.i18n import language, t
from dashboard.pages.footfall_page import CHARTS, with_site
from dashboard.state import MAX_QUERY, with_param
from layers.footfall import charts as fc

N_CHART_OUTPUTS = 4 * len(CHARTS)  # figure, summary, rows, column defs per chart


def update(ctx: AppContext, site: Any, lang: str, search: Any) -> list[Any]:
    """Figures, summaries, table rows and columns of the three charts, then the message,
    the URL query and the two language links (pure apart from the cached aggregates).
    ``search`` is the page's query string (anything else, as only a crafted request sends,
    is read as none)."""
    known = {s for s, _ in fc.sites(ctx.pack)} if fc.available(ctx.pack) else set()
    if inputs.text(site, 200) is None or site not in known:
        shown = inputs.message(site)
        message = html.P(t("footfall.unknown_site", lang, site=shown), className="al-error")
        return [no_update] * N_CHART_OUTPUTS + [message, no_update, no_update, no_update]
    charts = fc.site_charts(ctx.pack, site, lang)
    out: list[Any] = []
    for chart in charts:
        out += [chart.figure, chart.summary, chart.rows, column_defs(chart, lang)]
    query = with_site(inputs.text(search, MAX_QUERY) or "", site)
    lang_links = [with_param(query, "lang", code) for code in ("de", "en")]
    return [*out, [], query, *lang_links]


def register(app: Dash, ctx: AppContext) -> None:
    outputs: list[Output] = []
    for _, base in CHARTS:
        outputs += [
            Output(graph_id(base), "figure"),
            Output(summary_id(base), "children"),
            Output(grid_id(base), "rowData"),
            Output(grid_id(base), "columnDefs"),
        ]
    outputs += [
        Output(ids.FOOTFALL_MESSAGE, "children"),
        Output(ids.FOOTFALL_URL_SYNC, "data"),
        Output(ids.LANG_LINK_DE, "href", allow_duplicate=True),
        Output(ids.LANG_LINK_EN, "href", allow_duplicate=True),
    ]

    @app.callback(
        *outputs,
        Input(ids.FOOTFALL_SITE, "value"),
        State(ids.LANG_STORE, "data"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def on_site(site, lang, search):  # type: ignore[no-untyped-def]
        return update(ctx, site, language(lang), search)

    app.clientside_callback(
        "function (q) { return window.dash_clientside.allmende.replaceUrl(q); }",
        Input(ids.FOOTFALL_URL_SYNC, "data"),
    )
