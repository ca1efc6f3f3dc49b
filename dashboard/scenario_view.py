"""The scenario page's parts: the builder's intervention list, the KPI cards and their table,
the legends of the two scales, the district grid's columns and the grid-cell summary.

Pure builders of Dash components from plain data (a :class:`dashboard.scenario_service.
Comparison`, the page state): the page module lays them out, the callbacks refill them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dash import html

from dashboard import components, ids
from dashboard.i18n import t
from dashboard.scenario_service import DIFF_RAMP, LST_RAMP, UNIT_TEXT, Comparison
from dashboard.scenario_state import describe
from dashboard.tables import number_formatter
from layers import fmt
from layers.raster import ramp_css

ARROWS = {"better": "▼", "worse": "▲", "up": "▲", "down": "▼", "same": "="}


def unit(code: str, lang: str) -> str:
    return UNIT_TEXT.get(code, {}).get(lang, code)


def signed(value: float, lang: str, digits: int) -> str:
    text = fmt.number(abs(value), lang, digits)
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


def intervention_list(doc: Mapping[str, Any], lang: str) -> list[Any]:
    """The interventions of one scenario, each with its remove button."""
    items = list(doc.get("interventions") or [])
    if not items:
        return [html.P(t("scn.measures.none", lang), className="al-note")]
    rows = []
    for i, item in enumerate(items):
        what = describe(item, lang)
        rows.append(
            html.Li(
                [
                    html.Span(f"{i + 1}. {what}"),
                    html.Button(
                        "×",
                        id={"type": ids.SCN_REMOVE, "index": i},
                        className="al-button al-scn-remove",
                        title=t("scn.remove", lang, what=what),
                        **components.attrs({"aria-label": t("scn.remove", lang, what=what)}),
                    ),
                ]
            )
        )
    return [html.Ol(rows, className="al-scn-list")]


def _direction_text(row: Mapping[str, Any], lang: str) -> str:
    return t(f"scn.dir.{row['direction']}", lang)


def kpi_cards(cmp: Comparison, lang: str) -> list[Any]:
    """One card per KPI: its name, B's value with unit, A's value, the change B − A with an
    arrow and the direction in words (better/worse), the model error beside modelled
    changes. The cards are a list; the same figures are in :func:`kpi_table`."""
    cards = []
    for row in cmp.kpis:
        digits = int(row["digits"])
        u = unit(row["unit"], lang)
        label = row["label"].get(lang, row["id"])
        change = f"{signed(row['delta'], lang, digits)} {u}"
        extra: list[Any] = []
        if row.get("error") is not None and row["direction"] != "same":
            mae = fmt.number(row["error"], lang, 2)
            extra.append(
                html.Span(t("scn.error.beside", lang, mae=f"{mae} K"), className="al-scn-err")
            )
            if abs(row["delta"]) < float(row["error"]):
                extra.append(html.Span(t("scn.within_error", lang), className="al-scn-err"))
        cards.append(
            html.Li(
                [
                    html.Span(label, className="al-scn-kpi-label"),
                    html.Span(
                        [html.Strong(fmt.number(row["b"], lang, digits)), f" {u}"],
                        className="al-scn-kpi-value",
                    ),
                    html.Span(f"A: {fmt.number(row['a'], lang, digits)} {u}", className="al-note"),
                    html.Span(
                        [
                            html.Span(
                                ARROWS[row["direction"]],
                                **components.attrs({"aria-hidden": "true"}),
                            ),
                            f" {change} ({_direction_text(row, lang)})",
                        ],
                        className=f"al-scn-delta al-scn-{row['direction']}",
                    ),
                    *extra,
                ],
                className="al-scn-kpi",
                id=f"{ids.SCN_KPIS}-{row['id']}",
            )
        )
    return [html.Ul(cards, className="al-scn-kpi-list")]


def kpi_table(cmp: Comparison, lang: str) -> html.Table:
    """The KPIs as a table (for screen readers, and for copying)."""
    head = html.Tr(
        [
            html.Th(t(key, lang), scope="col")
            for key in (
                "scn.col.kpi",
                "scn.col.unit",
                "scn.col.a",
                "scn.col.b",
                "scn.col.delta",
                "scn.col.direction",
                "scn.col.error",
            )
        ]
    )
    body = []
    for row in cmp.kpis:
        digits = int(row["digits"])
        error = "–" if row.get("error") is None else f"± {fmt.number(row['error'], lang, 2)} K"
        body.append(
            html.Tr(
                [
                    html.Th(row["label"].get(lang, row["id"]), scope="row"),
                    html.Td(unit(row["unit"], lang)),
                    html.Td(fmt.number(row["a"], lang, digits), className="al-num"),
                    html.Td(fmt.number(row["b"], lang, digits), className="al-num"),
                    html.Td(signed(row["delta"], lang, digits), className="al-num"),
                    html.Td(_direction_text(row, lang)),
                    html.Td(error, className="al-num"),
                ],
                **{"data-kpi": row["id"]},
            )
        )
    return html.Table(
        [html.Caption(t("scn.kpi.table", lang)), html.Thead(head), html.Tbody(body)],
        className="al-table al-scn-kpi-table",
    )


def legend_lst(lo: float, hi: float, lang: str) -> html.Div:
    ticks = [lo + (hi - lo) * i / 4 for i in range(5)]
    return html.Div(
        [
            html.Div(t("scn.legend.lst", lang), className="al-legend-title"),
            html.Div(className="al-scn-ramp", style={"background": ramp_css(LST_RAMP)}),
            html.Div([html.Span(fmt.number(v, lang, 1)) for v in ticks], className="al-scn-ticks"),
        ],
        className="al-scn-legend al-scn-legend-lst",
    )


def legend_diff(span: float, lang: str) -> html.Div:
    """The diverging scale, centred on zero: −span (cooler, blue) to +span (warmer, red)."""
    ticks = [-span, -span / 2, 0.0, span / 2, span]
    return html.Div(
        [
            html.Div(t("scn.legend.diff", lang), className="al-legend-title"),
            html.Div(className="al-scn-ramp", style={"background": ramp_css(DIFF_RAMP)}),
            html.Div(
                [html.Span(signed(v, lang, 1) if v else "0") for v in ticks],
                className="al-scn-ticks",
            ),
            html.Div(
                [
                    html.Span(t("scn.cooler", lang)),
                    html.Span(t("scn.unchanged", lang) + " (" + t("scn.legend.clear", lang) + ")"),
                    html.Span(t("scn.warmer", lang)),
                ],
                className="al-scn-ticks",
            ),
        ],
        className="al-scn-legend al-scn-legend-diff",
    )


def district_columns(lang: str) -> list[dict[str, Any]]:
    one = number_formatter(lang, 2)
    return [
        {"field": "name", "headerName": t("scn.col.district", lang), "flex": 2},
        {"field": "lst_a", "headerName": t("scn.col.lst_a", lang), "valueFormatter": one,
         "type": "numericColumn", "flex": 1},
        {"field": "lst_b", "headerName": t("scn.col.lst_b", lang), "valueFormatter": one,
         "type": "numericColumn", "flex": 1},
        {"field": "lst_delta", "headerName": t("scn.col.lst_delta", lang), "valueFormatter": one,
         "type": "numericColumn", "flex": 1, "sort": "asc"},
    ]  # fmt: skip


def cells_text(cmp: Comparison, lang: str) -> str:
    c = cmp.cells
    if not c["changed"]:
        return t("scn.cells.none", lang)
    return t(
        "scn.cells.summary",
        lang,
        changed=fmt.number(c["changed"], lang),
        total=fmt.number(c["total"], lang),
        cell=fmt.number(c["cell_m"], lang),
        lo=signed(c["min"], lang, 2),
        hi=signed(c["max"], lang, 2),
        mean=signed(c["mean"], lang, 2),
    )


def map_overlay_control(lang: str, query: str) -> html.Fieldset:
    """The map page's switch for the session scenario's difference B − A, with a link to the
    scenario page (the view comes along). The scenario page's session store is read in the
    browser when the switch changes (``scenario.js``): the map page holds no copy of it."""
    from dash import dcc

    return html.Fieldset(
        [
            html.Legend(t("scn.onmap.heading", lang), className="al-legend-title"),
            dcc.Checklist(
                id=ids.SCN_ON_MAP,
                options=[{"label": t("scn.onmap.show", lang), "value": "on"}],
                value=[],
            ),
            html.Div(id=ids.SCN_ON_MAP_NOTE, className="al-note", role="status"),
            html.A(t("scn.onmap.open", lang), href="/szenario" + query),
            dcc.Store(id=ids.SCN_ON_MAP_STATE),
        ],
        className="al-fieldset",
    )
