"""The heat page: who bears the heat, and how are hot days trending?

Two parts, each chart with a plain-language summary and its table: the climate-justice
view (exposure by group, concentration curve, ranked districts) for a chosen exposure, and
the station trend (yearly counts, Poisson trend, delta-method outlook) for a chosen index.
"""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
from dash import dcc, html

from dashboard import components, ids
from dashboard.chart_parts import chart_section, grid_columns, grid_id, summary_id
from dashboard.context import AppContext
from dashboard.i18n import t
from dashboard.state import View, view_query, with_param
from layers.charts import Chart, Column
from layers.heat import charts as hc
from layers.heat.justice import justice, pack_trend
from layers.texts import tr
from models.climate_trend import METHOD as OUTLOOK_METHOD
from models.hvi import METHOD

EXPOSURES = ("lst_day", "tair_night")
INDICES = ("hot_days", "summer_days", "tropical_nights")


Ranking = tuple[str, list[dict[str, Any]], tuple[Column, ...]]


def justice_charts(ctx: AppContext, variable: str, lang: str) -> tuple[Chart, Chart, Ranking]:
    doc = justice(ctx.pack, variable)
    return hc.group_chart(doc, lang), hc.concentration_chart(doc, lang), hc.ranked_rows(doc, lang)


def trend_charts(ctx: AppContext, index: str, lang: str) -> tuple[Chart, Chart] | None:
    rep = pack_trend(ctx.pack)
    if rep is None:
        return None
    series = tr(ctx.pack.dataset("climate_daily").title, lang) or None
    return hc.trend_chart(rep, index, lang, series), hc.outlook_chart(rep, lang)


def rank_section(rank: Ranking | None, lang: str) -> html.Section:
    """The ranked districts: summary and a sortable grid whose numbers follow the page
    language (the shared column builder, :func:`dashboard.chart_parts.grid_columns`)."""
    summary, rows, columns = rank if rank else ("", [], ())
    heading_id = f"{ids.HEAT_RANK}-heading"
    return html.Section(
        [
            html.H4(t("heat.rank", lang), id=heading_id),
            html.P(
                summary, id=summary_id(ids.HEAT_RANK), **components.attrs({"aria-live": "polite"})
            ),
            dag.AgGrid(
                id=grid_id(ids.HEAT_RANK),
                rowData=rows,
                columnDefs=grid_columns(columns, rows, lang),
                defaultColDef={
                    "sortable": True,
                    "resizable": True,
                    "filter": True,
                    "wrapHeaderText": True,
                    "autoHeaderHeight": True,
                },
                style={"width": "100%", "height": "420px"},
            ),
        ],
        className="al-chart",
        **components.attrs({"aria-labelledby": heading_id}),
    )


def _radio(id_: str, legend: str, options: list[tuple[str, str]], value: str) -> html.Fieldset:
    return html.Fieldset(
        [
            html.Legend(legend, className="al-legend-title"),
            dcc.RadioItems(
                id=id_,
                options=[{"label": label, "value": code} for code, label in options],
                value=value,
                inline=True,
                labelStyle={"marginRight": "1rem"},
            ),
        ],
        style={"border": "none", "padding": 0},
    )


def layout(ctx: AppContext, view: View, data: bool = True) -> html.Div:
    """The page; ``data=False`` gives the id skeleton for the validation layout."""
    lang = view.lang
    query = view_query(view)
    heat = ctx.pack.has("grid:lst_day") and ctx.pack.has("districts")
    if data and not heat:
        body: list[Any] = [
            html.H2(t("heat.heading", lang)),
            html.P(t("heat.nodata", lang), className="al-note", role="status"),
        ]
        return _page(ctx, lang, query, body)
    groups = conc = trend = outlook = None
    rank = None
    if data:
        groups, conc, rank = justice_charts(ctx, EXPOSURES[0], lang)
        charts = trend_charts(ctx, INDICES[0], lang)
        if charts:
            trend, outlook = charts
    map_query = with_param(query, "layers", "heat-vulnerability")
    rep = pack_trend(ctx.pack) if data else None
    trend_part: list[Any]
    if data and rep is None:
        trend_part = [html.P(t("heat.noclimate", lang), className="al-note", role="status")]
    else:
        outlook_method = html.Details(
            [html.Summary(t("heat.outlook_method", lang)), html.P(tr(OUTLOOK_METHOD, lang))]
        )
        trend_part = [
            _radio(
                ids.HEAT_INDEX,
                t("heat.index", lang),
                [(i, tr(hc.INDICES[i], lang)) for i in INDICES],
                INDICES[0],
            ),
            chart_section(t("heat.counts", lang), ids.HEAT_TREND, trend, lang, heading=html.H4),
            chart_section(
                t("heat.outlook", lang), ids.HEAT_OUTLOOK, outlook, lang, outlook_method, html.H4
            ),
        ]
    body = [
        html.H2(t("heat.heading", lang)),
        html.P(t("heat.intro", lang)),
        *([html.P(t("heat.synthetic", lang), className="al-note")] if ctx.pack.synthetic else []),
        html.Details([html.Summary(t("heat.method", lang)), html.P(tr(METHOD, lang))]),
        html.P(html.A(t("heat.to_map", lang), href="/" + map_query)),
        html.Div(id=ids.HEAT_MESSAGE, role="status"),
        html.Section(
            [
                html.H3(t("heat.justice", lang), id="heat-justice-heading"),
                _radio(
                    ids.HEAT_VARIABLE,
                    t("heat.variable", lang),
                    [(v, tr(hc.EXPOSURE_LABEL[v], lang)) for v in EXPOSURES],
                    EXPOSURES[0],
                ),
                chart_section(
                    t("heat.groups", lang), ids.HEAT_GROUPS, groups, lang, heading=html.H4
                ),
                chart_section(t("heat.conc", lang), ids.HEAT_CONC, conc, lang, heading=html.H4),
                rank_section(rank, lang),
            ],
            **components.attrs({"aria-labelledby": "heat-justice-heading"}),
        ),
        html.Section(
            [html.H3(t("heat.trend", lang), id="heat-trend-heading"), *trend_part],
            **components.attrs({"aria-labelledby": "heat-trend-heading"}),
        ),
    ]
    return _page(ctx, lang, query, body)


def _page(ctx: AppContext, lang: str, query: str, body: list[Any]) -> html.Div:
    return html.Div(
        [
            components.header(ctx, lang, "heat", query),
            html.Main(body, id="main", className="al-page"),
            components.footer(ctx, lang),
        ]
    )
