"""The heat page: who bears the heat, and how are hot days trending?

Two parts, each chart with a plain-language summary and its table: the climate-justice
view (exposure by group, concentration curve, ranked districts) for a chosen exposure, and
the station trend (yearly counts, Poisson trend, delta-method outlook) for a chosen index.
Each part shows when the pack holds its data, whatever the other has (a city starts with
some data, not all); a part without its data is one note naming what is missing and the
``allmende import`` that adds it (:func:`dashboard.components.missing_note`).
"""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
from dash import dcc, html

from dashboard import components, ids
from dashboard.chart_parts import chart_section, grid_columns, grid_id, summary_id
from dashboard.context import AppContext
from dashboard.grid_locale import grid_options
from dashboard.i18n import t
from dashboard.state import View, view_query, with_param
from layers.charts import Chart, Column
from layers.heat import charts as hc
from layers.heat.justice import justice, pack_trend
from layers.heat.vulnerability import LAYER as HVI
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
                dashGridOptions=grid_options(lang),
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


# what each part of the page needs from the pack (pack.has requirements): the justice view
# an exposure field and the districts' people, the trend and outlook the station record only
JUSTICE_NEEDS = ("districts", f"grid:{EXPOSURES[0]}")
TREND_NEEDS = ("climate_daily",)


def exposures(ctx: AppContext) -> tuple[str, ...]:
    """The exposures the pack has a grid variable for, in :data:`EXPOSURES` order."""
    return tuple(v for v in EXPOSURES if ctx.pack.has(f"grid:{v}"))


def justice_available(ctx: AppContext) -> bool:
    return ctx.pack.has("districts") and bool(exposures(ctx))


def trend_available(ctx: AppContext) -> bool:
    return all(ctx.pack.has(r) for r in TREND_NEEDS)


def justice_part(ctx: AppContext, lang: str, data: bool) -> list[Any]:
    """Exposure by group, concentration and ranking, or the note saying what they need."""
    if data and not justice_available(ctx):
        needs = JUSTICE_NEEDS if not exposures(ctx) else ("districts",)
        return [components.missing_note(ctx.pack, needs, lang, id_="heat-justice-missing")]
    choices = exposures(ctx) if data else EXPOSURES
    groups = conc = None
    rank = None
    if data:
        groups, conc, rank = justice_charts(ctx, choices[0], lang)
    return [
        _radio(
            ids.HEAT_VARIABLE,
            t("heat.variable", lang),
            [(v, tr(hc.EXPOSURE_LABEL[v], lang)) for v in choices],
            choices[0],
        ),
        chart_section(t("heat.groups", lang), ids.HEAT_GROUPS, groups, lang, heading=html.H4),
        chart_section(t("heat.conc", lang), ids.HEAT_CONC, conc, lang, heading=html.H4),
        rank_section(rank, lang),
    ]


def trend_part(ctx: AppContext, lang: str, data: bool) -> list[Any]:
    """Hot days per year and the outlook from the station record, or the note saying what
    they need (a station record alone is enough: no heat raster, no districts)."""
    if data and not trend_available(ctx):
        return [components.missing_note(ctx.pack, TREND_NEEDS, lang, id_="heat-trend-missing")]
    trend = outlook = None
    if data:
        charts = trend_charts(ctx, INDICES[0], lang)
        if charts:
            trend, outlook = charts
    outlook_method = html.Details(
        [html.Summary(t("heat.outlook_method", lang)), html.P(tr(OUTLOOK_METHOD, lang))]
    )
    return [
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


def layout(ctx: AppContext, view: View, data: bool = True) -> html.Div:
    """The page; ``data=False`` gives the id skeleton for the validation layout.

    Each part shows when the pack holds its data, independently of the other: a pack with a
    station record but no heat raster shows the trend and the outlook, and in place of the
    justice view one note naming the missing data and the ``allmende import`` that adds it.
    """
    lang = view.lang
    query = view_query(view)
    map_query = with_param(query, "layers", HVI.id)
    to_map = not data or HVI.available(ctx.pack)
    body = [
        html.H2(t("heat.heading", lang)),
        html.P(t("heat.intro", lang)),
        *([html.P(t("heat.synthetic", lang), className="al-note")] if ctx.pack.synthetic else []),
        html.Details([html.Summary(t("heat.method", lang)), html.P(tr(METHOD, lang))]),
        *([html.P(html.A(t("heat.to_map", lang), href="/" + map_query))] if to_map else []),
        html.Div(id=ids.HEAT_MESSAGE, role="status"),
        html.Section(
            [
                html.H3(t("heat.justice", lang), id="heat-justice-heading"),
                *justice_part(ctx, lang, data),
            ],
            **components.attrs({"aria-labelledby": "heat-justice-heading"}),
        ),
        html.Section(
            [html.H3(t("heat.trend", lang), id="heat-trend-heading"), *trend_part(ctx, lang, data)],
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
