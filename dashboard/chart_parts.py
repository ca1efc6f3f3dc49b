"""A chart as people meet it on a page: heading, figure, text summary and its data table.

Used by the footfall and heat pages; the ids follow one scheme (``<base>-graph``,
``<base>-summary``, ``<base>-grid``) so callbacks can address the parts.
"""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
from dash import dcc, html

from dashboard import components
from dashboard.i18n import t
from layers.charts import Chart


def graph_id(base: str) -> str:
    return f"{base}-graph"


def summary_id(base: str) -> str:
    return f"{base}-summary"


def grid_id(base: str) -> str:
    return f"{base}-grid"


def column_defs(chart: Chart) -> list[dict[str, Any]]:
    return [
        {"field": field, "headerName": header, "flex": 1, "minWidth": 100}
        for field, header in chart.columns
    ]


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
                config={"displaylogo": False},
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
                        columnDefs=column_defs(chart) if chart else [],
                        defaultColDef={"sortable": True, "resizable": True, "filter": True},
                        style={"width": "100%", "height": "320px"},
                    ),
                ]
            ),
        ],
        className="al-chart",
        **components.attrs({"aria-labelledby": heading_id}),
    )
