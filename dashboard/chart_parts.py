"""A chart as people meet it on a page: heading, figure, text summary and its data table.

Used by the footfall and heat pages; the ids follow one scheme (``<base>-graph``,
``<base>-summary``, ``<base>-grid``) so callbacks can address the parts.

Language: every ``dcc.Graph`` takes :func:`graph_config` (plotly's locale: German month and
day names, registered by ``assets/plotly-locale-de.js``), and the table's columns come from
:func:`column_defs`, which formats numbers and dates in the page language with the same
builder as the map tables (:func:`dashboard.tables.column_def`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_ag_grid as dag
from dash import dcc, html

from dashboard import components
from dashboard.grid_locale import grid_options
from dashboard.i18n import t
from dashboard.tables import column_def
from layers.charts import Chart, Column, table_columns


def graph_id(base: str) -> str:
    return f"{base}-graph"


def summary_id(base: str) -> str:
    return f"{base}-summary"


def grid_id(base: str) -> str:
    return f"{base}-grid"


def graph_config(lang: str) -> Any:  # dcc.Graph's Config
    """The ``config`` of every chart: plotly's locale for the page language, no logo."""
    return {"displaylogo": False, "locale": lang}


def grid_columns(
    columns: Sequence[Column | tuple[str, str]], rows: Sequence[dict[str, Any]], lang: str
) -> list[dict[str, Any]]:
    """AG Grid columns of a chart-like table in the page language: :class:`Column` entries,
    or plain ``(field, header)`` pairs whose kind is read from ``rows``
    (:func:`layers.charts.table_columns`)."""
    return [column_def(col, lang) for col in table_columns(columns, rows)]


def column_defs(chart: Chart, lang: str) -> list[dict[str, Any]]:
    """The chart's table columns, numbers and dates in the page language (the language is
    required: there is no unformatted variant to fall back on)."""
    return grid_columns(chart.columns, chart.rows, lang)


def chart_section(
    title: str,
    base: str,
    chart: Chart | None,
    lang: str,
    extra: Any = None,
    heading: Any = html.H3,
) -> html.Section:
    """The section of one chart; ``chart=None`` gives the empty skeleton (ids only)."""
    heading_id = f"{base}-heading"
    return html.Section(
        [
            heading(title, id=heading_id),
            dcc.Graph(
                id=graph_id(base),
                figure=chart.figure if chart else {},
                config=graph_config(lang),
            ),
            html.P(
                chart.summary if chart else "",
                id=summary_id(base),
                **components.attrs({"aria-live": "polite"}),
            ),
            *([extra] if extra is not None else []),
            html.Details(
                [
                    html.Summary(t("footfall.table", lang)),
                    dag.AgGrid(
                        id=grid_id(base),
                        rowData=chart.rows if chart else [],
                        columnDefs=column_defs(chart, lang) if chart else [],
                        defaultColDef={"sortable": True, "resizable": True, "filter": True},
                        dashGridOptions=grid_options(lang),
                        style={"width": "100%", "height": "320px"},
                    ),
                ]
            ),
        ],
        className="al-chart",
        **components.attrs({"aria-labelledby": heading_id}),
    )
