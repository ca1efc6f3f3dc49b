"""Choosing an exposure or a heat index redraws the heat page's charts.

Each callback reads one choice, calls one pure function (cached per pack) and shapes the
output. A value that is not among the choices (a crafted request) gets a translated message
and leaves the charts as they are. Tables get their columns from the shared builder in the
page language (:func:`dashboard.chart_parts.column_defs`), as on the first load.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import Dash, Input, Output, State, html, no_update

from dashboard import ids
from dashboard.callbacks import inputs
from dashboard.chart_parts import column_defs, graph_id, grid_columns, grid_id, summary_id
from dashboard.context import AppContext
from dashboard.i18n import language, t
from dashboard.pages.heat_page import EXPOSURES, INDICES, justice_charts, trend_charts

LOG = logging.getLogger(__name__)


def _bad(value: Any, lang: str, n: int) -> list[Any]:
    shown = inputs.message(value)  # a crafted value may be megabytes long
    return [no_update] * n + [html.P(t("heat.bad_choice", lang, value=shown), className="al-error")]


def justice_update(ctx: AppContext, variable: Any, lang: str) -> list[Any]:
    """Groups and concentration charts (figure, summary, rows, columns each), the ranking
    (summary, rows, columns) and the message."""
    if inputs.text(variable, 100) is None or variable not in EXPOSURES:
        return _bad(variable, lang, 11)
    try:
        groups, conc, (summary, rows, columns) = justice_charts(ctx, variable, lang)
    except ValueError as err:  # the pack has no such grid (e.g. no night temperature)
        LOG.warning("heat justice for %r failed: %s", variable, err)
        return [no_update] * 11 + [html.P(t("heat.no_variable", lang), className="al-error")]
    out: list[Any] = []
    for chart in (groups, conc):
        out += [chart.figure, chart.summary, chart.rows, column_defs(chart, lang)]
    return [*out, summary, rows, grid_columns(columns, rows, lang), []]


def trend_update(ctx: AppContext, index: Any, lang: str) -> list[Any]:
    """The trend chart (figure, summary, rows, columns) and the message."""
    if inputs.text(index, 100) is None or index not in INDICES:
        return _bad(index, lang, 4)
    charts = trend_charts(ctx, index, lang)
    if charts is None:
        return [no_update] * 4 + [[]]
    chart = charts[0]
    return [chart.figure, chart.summary, chart.rows, column_defs(chart, lang), []]


def _chart_outputs(base: str) -> list[Output]:
    return [
        Output(graph_id(base), "figure"),
        Output(summary_id(base), "children"),
        Output(grid_id(base), "rowData"),
        Output(grid_id(base), "columnDefs"),
    ]


def register(app: Dash, ctx: AppContext) -> None:
    @app.callback(
        *_chart_outputs(ids.HEAT_GROUPS),
        *_chart_outputs(ids.HEAT_CONC),
        Output(summary_id(ids.HEAT_RANK), "children"),
        Output(grid_id(ids.HEAT_RANK), "rowData"),
        Output(grid_id(ids.HEAT_RANK), "columnDefs"),
        Output(ids.HEAT_MESSAGE, "children"),
        Input(ids.HEAT_VARIABLE, "value"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def on_variable(variable, lang):  # type: ignore[no-untyped-def]
        return justice_update(ctx, variable, language(lang))

    @app.callback(
        *_chart_outputs(ids.HEAT_TREND),
        Output(ids.HEAT_MESSAGE, "children", allow_duplicate=True),
        Input(ids.HEAT_INDEX, "value"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def on_index(index, lang):  # type: ignore[no-untyped-def]
        return trend_update(ctx, index, language(lang))
