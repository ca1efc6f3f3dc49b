"""What every chart in Allmende is: a figure, a plain-language summary and its data table.

Everything language-dependent that charts share lives here, so every chart follows the page
language the same way:

* :func:`layout`: the house style, with the locale's number separators (``1.234,5`` in
  German, ``1,234.5`` in English) for axes and hover labels;
* :func:`date_axis`: German date ticks and hover dates (``3. Okt``, ``26.12.2025``); the
  month and day names come from plotly's locale, which the page registers
  (``dashboard/assets/plotly-locale-de.js``) and every graph selects
  (``dashboard.chart_parts.graph_config``);
* :class:`Column`: what a column of the chart's table holds, so the table formats it in the
  page language (``dashboard.tables.column_def``; numbers stay numbers, so sorting works).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from layers.fmt import DATE_PATTERNS, plotly_separators

COLUMN_KINDS = ("text", "number", "integer", "date")
#: fields of plain ``(field, header)`` columns that hold whole-number labels, not amounts
LABEL_FIELDS = frozenset({"year", "iso_year", "week", "iso_week", "hour", "rank"})


@dataclass(frozen=True)
class Column:
    """One column of a chart's table. ``kind``:

    * ``text``: shown as it is;
    * ``number``: an amount, grouped (``22.568``) with ``decimals`` digits (``None``: the
      digits the value has, at most 3);
    * ``integer``: a whole-number label without grouping (year, week, hour, rank);
    * ``date``: an ISO date string, shown as the page's date (``01.06.2025`` in German).

    ``header`` is already translated; ``unit`` is shown with it.
    """

    field: str
    header: str
    kind: str = "text"
    unit: str = ""
    decimals: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in COLUMN_KINDS:
            raise ValueError(
                f"column {self.field!r}: kind {self.kind!r} is not one of {COLUMN_KINDS}"
            )


@dataclass(frozen=True)
class Chart:
    figure: go.Figure
    summary: str
    rows: list[dict[str, Any]]
    # the table behind the chart: Columns, or plain (field, header) pairs (kind guessed)
    columns: tuple[Column | tuple[str, str], ...]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def table_columns(
    columns: Sequence[Column | tuple[str, str]], rows: Sequence[dict[str, Any]]
) -> tuple[Column, ...]:
    """Columns as :class:`Column`; a plain ``(field, header)`` pair is a ``number`` column if
    every value in ``rows`` is a number (``integer`` for :data:`LABEL_FIELDS`), else text."""
    out = []
    for col in columns:
        if isinstance(col, Column):
            out.append(col)
            continue
        field, header = col
        values = [r.get(field) for r in rows if r.get(field) is not None]
        kind = "text"
        if values and all(_is_number(v) for v in values):
            kind = "integer" if field in LABEL_FIELDS else "number"
        out.append(Column(field, header, kind))
    return tuple(out)


def layout(fig: go.Figure, title: str, x: str, y: str, lang: str) -> go.Figure:
    """The house style: white template, locale separators, legend below, y from zero."""
    fig.update_layout(
        title={"text": title, "x": 0},
        xaxis_title=x,
        yaxis_title=y,
        template="plotly_white",
        separators=plotly_separators(lang),
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        legend={"orientation": "h", "y": -0.2},
        hovermode="x unified",
        height=380,
    )
    fig.update_yaxes(rangemode="tozero", tickformat=",.0f")  # 20.000, not 20k
    return fig


_DAY_MS = 86_400_000
#: German tick labels by tick spacing (plotly's defaults put the month first: "Oct 3")
DE_DATE_TICKS = (
    {"dtickrange": [None, 60_000], "value": "%H:%M:%S"},
    {"dtickrange": [60_000, _DAY_MS], "value": "%H:%M<br>%-d. %b"},
    {"dtickrange": [_DAY_MS, "M1"], "value": "%-d. %b<br>%Y"},
    {"dtickrange": ["M1", "M12"], "value": "%b %Y"},
    {"dtickrange": ["M12", None], "value": "%Y"},
)


def date_axis(fig: go.Figure, lang: str, hours: bool = False) -> go.Figure:
    """A date x axis in the page language: German tick labels and hover dates on German
    pages (``%d.%m.%Y``), ISO hover dates on English ones; ``hours`` adds the time."""
    pattern = DATE_PATTERNS.get(lang, DATE_PATTERNS["de"]) + (" %H:%M" if hours else "")
    if lang == "de":
        fig.update_xaxes(tickformatstops=list(DE_DATE_TICKS), hoverformat=pattern)
    else:
        fig.update_xaxes(hoverformat=pattern)
    return fig
