"""What every chart in Allmende is: a figure, a plain-language summary and its data table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go


@dataclass(frozen=True)
class Chart:
    figure: go.Figure
    summary: str
    rows: list[dict[str, Any]]
    columns: tuple[tuple[str, str], ...]  # (field, header) of the table behind the chart


def layout(fig: go.Figure, title: str, x: str, y: str, lang: str) -> go.Figure:
    """The house style: white template, locale separators, legend below, y from zero."""
    fig.update_layout(
        title={"text": title, "x": 0},
        xaxis_title=x,
        yaxis_title=y,
        template="plotly_white",
        separators=",." if lang == "de" else ".,",
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        legend={"orientation": "h", "y": -0.2},
        hovermode="x unified",
        height=380,
    )
    fig.update_yaxes(rangemode="tozero", tickformat=",.0f")  # 20.000, not 20k
    return fig
