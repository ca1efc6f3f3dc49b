"""What the heat page's charts and tables show: no bar on a cut axis, integer ticks for
counts, a station said by name, method titles that match their text, and numbers in the
page's language."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from typing import Any

import plotly.graph_objects as go
import pytest
from dash import html

from dashboard.callbacks.heat_charts import justice_update, trend_update
from dashboard.callbacks.router import render
from dashboard.chart_parts import column_defs, grid_columns
from dashboard.context import AppContext
from dashboard.i18n import t
from dashboard.pages.heat_page import justice_charts, trend_charts
from dashboard.settings import Settings
from data.pack import load_pack
from layers.charts import Column
from layers.heat import charts as hc
from layers.heat.justice import justice, pack_trend
from layers.texts import tr
from models.climate_trend import METHOD as OUTLOOK_METHOD
from models.hvi import METHOD as HVI_METHOD
from tests.packfactory import make_heat_pack

COUNTS = ("hot_days", "summer_days", "tropical_nights")


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> AppContext:
    pack = load_pack(make_heat_pack(tmp_path_factory.mktemp("heatview") / "pack"))
    return AppContext(Settings(pack=pack.folder, forecasts=False), pack)


def _doc(means: tuple[float, float, float]) -> dict[str, Any]:
    groups = [
        {
            "group": g,
            "persons": p,
            "mean_exposure": m,
            "in_hottest_class": p * s,
            "share_in_hottest_class": s,
        }
        for g, p, m, s in zip(
            ("all", "65plus", "under6"),
            (108_722, 23_306, 6_468),
            means,
            (0.331, 0.362, 0.317),
            strict=True,
        )
    ]
    return {"variable": "lst_day", "groups": groups, "hottest_class_above": 42.6, "districts": []}


def _value_axis_starts_above_zero(fig: go.Figure, trace: Any) -> bool:
    horizontal = getattr(trace, "orientation", None) == "h"
    axis = fig.layout.xaxis if horizontal else fig.layout.yaxis
    return axis.range is not None and min(axis.range) > 0


def test_group_chart_is_a_dot_plot_not_bars_on_a_cut_axis() -> None:
    fig = hc.group_chart(_doc((40.94, 41.1, 40.77)), "de").figure
    for trace in fig.data:
        assert not (trace.type == "bar" and _value_axis_starts_above_zero(fig, trace))
    dots = [tr_ for tr_ in fig.data if tr_.mode and "markers" in tr_.mode]
    assert len(dots) == 1 and list(dots[0].x) == [40.94, 41.1, 40.77]
    assert dots[0].text[1] == "41,1 °C · 36,2 %"  # German numbers on the dot
    # the value axis is tight around the values: a 0.3 K difference stays readable
    lo, hi = fig.layout.xaxis.range
    assert 39 < lo < 40.77 and 41.1 < hi < 42
    assert list(fig.layout.yaxis.categoryarray) == [
        "Alle Einwohner",
        "Ab 65 Jahren",
        "Unter 6 Jahren",
    ]


def test_no_heat_chart_draws_bars_on_a_cut_axis(ctx: AppContext) -> None:
    doc = justice(ctx.pack, "lst_day")
    rep = pack_trend(ctx.pack)
    assert rep is not None
    figures = [hc.group_chart(doc, "en").figure, hc.concentration_chart(doc, "en").figure]
    figures += [hc.trend_chart(rep, i, "en").figure for i in COUNTS]
    figures.append(hc.outlook_chart(rep, "en").figure)
    for fig in figures:
        for trace in fig.data:
            if trace.type == "bar":
                assert not _value_axis_starts_above_zero(fig, trace)
                assert fig.layout.yaxis.rangemode == "tozero"


def _rep(values: list[int]) -> dict[str, Any]:
    years = [
        {"year": 2000 + k, "missing_days": 0, "flagged": False, **dict.fromkeys(COUNTS, v)}
        for k, v in enumerate(values)
    ]
    nofit = {"status": "too_few", "message": "x", "fitted": [], "years_used": []}
    return {
        "station": "02444",
        "period": {"first_year": 2000, "last_year": 2000 + len(values) - 1},
        "years": years,
        "trend": dict.fromkeys(COUNTS, nofit),
        "flagged_years": [],
    }


@pytest.mark.parametrize("index", COUNTS)
def test_count_axes_have_integer_ticks(ctx: AppContext, index: str) -> None:
    rep = pack_trend(ctx.pack)
    assert rep is not None
    for report in (rep, _rep([0, 1, 3, 2, 1]), _rep([40, 65, 58])):
        axis = hc.trend_chart(report, index, "de").figure.layout.yaxis
        assert axis.tickformat.endswith("d")  # whole numbers, never 0, 1, 1, 2, 2
        assert isinstance(axis.dtick, int) and axis.dtick >= 1 and axis.tick0 == 0
    # small counts tick by one, large ones not by one (at most 8 steps)
    assert hc.trend_chart(_rep([0, 1, 3]), index, "de").figure.layout.yaxis.dtick == 1
    assert hc.trend_chart(_rep([40, 65]), index, "de").figure.layout.yaxis.dtick == 10


def test_trend_text_says_the_station_not_a_bare_number() -> None:
    rep = _rep([1, 2, 3])
    plain = hc.trend_chart(rep, "hot_days", "de").summary
    assert plain.startswith("Wetterstation 02444, 2000–2002")
    named = hc.trend_chart(rep, "hot_days", "en", "Daily climate record Jena").summary
    assert named.startswith("Daily climate record Jena, weather station 02444, 2000–2002")
    # a title that already carries the number is not repeated
    dwd = hc.trend_chart(rep, "hot_days", "de", "Tageswerte Klima, DWD-Station 02444").summary
    assert dwd.startswith("Tageswerte Klima, DWD-Station 02444, 2000") and dwd.count("02444") == 1


def test_page_trend_text_names_the_pack_series(ctx: AppContext) -> None:
    charts = trend_charts(ctx, "hot_days", "de")
    assert charts is not None
    title = tr(ctx.pack.dataset("climate_daily").title, "de")
    assert charts[0].summary.startswith(f"{title}, Wetterstation 99999, ")


def _details(component: Any) -> list[Any]:
    found = []
    if isinstance(component, html.Details):
        found.append(component)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            found += _details(child)
    return found


@pytest.mark.parametrize(("path", "lang"), [("/hitze", "de"), ("/heat", "en")])
def test_method_titles_match_their_text(ctx: AppContext, path: str, lang: str) -> None:
    body, _ = render(ctx, path, f"?lang={lang}")
    methods = {}
    for d in _details(body):
        summary, *rest = d.children
        methods[summary.children] = " ".join(str(getattr(r, "children", "")) for r in rest)
    index_title, outlook_title = t("heat.method", lang), t("heat.outlook_method", lang)
    assert index_title != outlook_title
    assert methods[index_title] == tr(HVI_METHOD, lang)
    assert methods[outlook_title] == tr(OUTLOOK_METHOD, lang)


def _grids(component: Any) -> list[Any]:
    import dash_ag_grid as dag

    found = [component] if isinstance(component, dag.AgGrid) else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            found += _grids(child)
    return found


def _shown(grids: list[Any]) -> dict[str, dict[str, list[str]]]:
    """What each grid shows per number column: every row's value through the column's own
    ``valueFormatter`` (evaluated by Node, as AG Grid would in the browser)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    cases = [
        [grid.id, col["field"], col["valueFormatter"]["function"], row.get(col["field"])]
        for grid in grids
        for col in grid.columnDefs
        if "valueFormatter" in col
        for row in grid.rowData
    ]
    script = (
        f"const cases = {json.dumps(cases)};"
        "console.log(JSON.stringify(cases.map(([g, f, expr, value]) =>"
        " [g, f, new Function('params', 'return ' + expr)({value: value})])));"
    )
    out = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True)
    shown: dict[str, dict[str, list[str]]] = {}
    for grid, field, text_ in json.loads(out.stdout):
        shown.setdefault(grid, {}).setdefault(field, []).append(text_)
    return shown


# a cell in the other language's number format (or a grouped year)
WRONG = {
    "de": re.compile(r"^-?\d+\.\d{1,2}$|^-?\d{1,3}(,\d{3})+(\.\d+)?$|^[1-9]\d{4,}$"),
    "en": re.compile(r"^-?\d+,\d{1,2}$|^-?\d{1,3}(\.\d{3})+(,\d+)?$|^[1-9]\d{4,}$"),
}


@pytest.mark.parametrize(("path", "lang"), [("/hitze", "de"), ("/heat", "en")])
def test_heat_tables_use_the_shared_column_builder(ctx: AppContext, path: str, lang: str) -> None:
    body, _ = render(ctx, path, f"?lang={lang}")
    grids = {grid.id: grid for grid in _grids(body)}
    assert set(grids) == {
        "heat-groups-grid", "heat-conc-grid", "heat-rank-grid", "heat-trend-grid",
        "heat-outlook-grid",
    }  # fmt: skip
    doc = justice(ctx.pack, "lst_day")
    groups, conc, (_, rank_rows, rank_cols) = justice_charts(ctx, "lst_day", lang)
    charts = trend_charts(ctx, "hot_days", lang)
    assert charts is not None
    expected = {
        "heat-groups-grid": column_defs(groups, lang),
        "heat-conc-grid": column_defs(conc, lang),
        "heat-rank-grid": grid_columns(rank_cols, rank_rows, lang),
        "heat-trend-grid": column_defs(charts[0], lang),
        "heat-outlook-grid": column_defs(charts[1], lang),
    }
    for grid_id_, grid in grids.items():
        assert grid.columnDefs == expected[grid_id_], grid_id_
        # no page-wide formatter of its own: the columns carry the shared one
        assert "valueFormatter" not in (getattr(grid, "defaultColDef", None) or {})
        assert "dataTypeDefinitions" not in (getattr(grid, "dashGridOptions", None) or {})
        by_field = {col["field"]: col for col in grid.columnDefs}
        for row in grid.rowData:  # raw numbers stay numbers (numeric sorting), formatted
            for field, value in row.items():
                if isinstance(value, (int, float)):
                    assert by_field[field]["type"] == "numericColumn", (grid_id_, field)
                    assert "valueFormatter" in by_field[field], (grid_id_, field)
    # every heat chart declares its columns: no kind guessed from the rows
    for chart in (hc.group_chart(doc, lang), hc.concentration_chart(doc, lang), *charts):
        assert all(isinstance(c, Column) for c in chart.columns)
    assert all(isinstance(c, Column) for c in rank_cols)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_heat_tables_show_numbers_in_the_page_language(ctx: AppContext, lang: str) -> None:
    body, _ = render(ctx, "/hitze" if lang == "de" else "/heat", f"?lang={lang}")
    shown = _shown(_grids(body))
    rank, trend, groups = (
        shown["heat-rank-grid"],
        shown["heat-trend-grid"],
        shown["heat-groups-grid"],
    )
    for grid, columns in shown.items():
        for field, cells in columns.items():
            for cell in cells:
                assert not WRONG[lang].search(cell), (grid, field, cell)
    thousands = "12.000" if lang == "de" else "12,000"
    assert thousands in rank["population"]  # grouped
    assert ("22,1" if lang == "de" else "22.1") in rank["exposure"]
    assert ("27,00" if lang == "de" else "27.00") in groups["mean"]
    assert rank["rank"][:3] == ["1", "2", "3"]
    assert all(len(y) == 4 and y.isdigit() for y in trend["year"])  # 1991, never 1.991
    assert "–" in trend["expected"]  # a year without a fitted value


def test_heat_callbacks_redraw_tables_with_the_page_language(ctx: AppContext) -> None:
    """After a choice the grids get the same columns as on the first load, in German."""
    body, _ = render(ctx, "/hitze", "?lang=de")
    grids = {grid.id: grid for grid in _grids(body)}
    out = justice_update(ctx, "lst_day", "de")
    assert out[3] == grids["heat-groups-grid"].columnDefs
    assert out[7] == grids["heat-conc-grid"].columnDefs
    assert out[10] == grids["heat-rank-grid"].columnDefs
    assert out[9] == grids["heat-rank-grid"].rowData
    trend = trend_update(ctx, "hot_days", "de")
    assert trend[3] == grids["heat-trend-grid"].columnDefs
    for defs in (out[3], out[7], out[10], trend[3]):
        formatters = [c["valueFormatter"]["function"] for c in defs if "valueFormatter" in c]
        assert formatters and all("'de-DE'" in f for f in formatters)
    english = justice_update(ctx, "tair_night", "en")
    assert all("'de-DE'" not in json.dumps(defs) for defs in (english[3], english[7], english[10]))


def test_a_trend_that_cannot_be_fitted_says_why_in_the_page_language() -> None:
    """The model's reason is English and technical; the page says it in its own language."""
    rep = _rep([1, 2, 3])
    for index in COUNTS:
        rep["trend"][index] = {
            "status": "too_few_years",
            "message": "only 3 usable year(s) (at most 10 % of days missing); a trend needs 10",
            "fitted": [],
            "years_used": [2000, 2001, 2002],
        }
    de = hc.trend_chart(rep, "hot_days", "de").summary
    en = hc.trend_chart(rep, "hot_days", "en").summary
    assert "Kein Trend berechnet: nur 3 nutzbare(s) Jahr(e)" in de and "usable" not in de
    assert "No trend fitted: only 3 usable year(s)" in en and "mindestens 10" not in en
