"""What the heat page's charts and tables show: no bar on a cut axis, integer ticks for
counts, a station said by name, method titles that match their text, and numbers in the
page's language."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import plotly.graph_objects as go
import pytest
from dash import html

from dashboard.callbacks.router import render
from dashboard.context import AppContext
from dashboard.i18n import t
from dashboard.pages.heat_page import number_formatter, trend_charts
from dashboard.settings import Settings
from data.pack import load_pack
from layers import heat_charts as hc
from layers.base import tr
from layers.heat_justice import justice, pack_trend
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


@pytest.mark.parametrize(
    ("path", "lang", "locale"), [("/hitze", "de", "de-DE"), ("/heat", "en", "en-GB")]
)
def test_heat_tables_format_numbers_in_the_page_language(
    ctx: AppContext, path: str, lang: str, locale: str
) -> None:
    body, _ = render(ctx, path, f"?lang={lang}")
    grids = _grids(body)
    assert len(grids) == 5  # groups, concentration, ranking, trend, outlook
    for grid in grids:
        formatter = grid.defaultColDef["valueFormatter"]
        assert f"'{locale}'" in formatter["function"]
        # AG Grid's number type brings its own formatter, which outranks defaultColDef
        number = grid.dashGridOptions["dataTypeDefinitions"]["number"]
        assert number["valueFormatter"] == formatter
        for row in grid.rowData:  # raw numbers stay numbers: the grid sorts them as numbers
            for field, value in row.items():
                if isinstance(value, (int, float)):
                    assert field in hc.TABLE_DECIMALS or field in hc.PLAIN_FIELDS, field


def _run_formatter(lang: str, cases: list[tuple[str, Any]]) -> list[str]:
    expr = number_formatter(lang)["function"]
    script = (
        f"const f = new Function('params', {json.dumps('return ' + expr)});"
        f"const cases = {json.dumps(cases)};"
        "console.log(JSON.stringify(cases.map(([field, value]) =>"
        " f({value: value, colDef: {field: field}}))));"
    )
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    return list(json.loads(out.stdout))


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_formatter_prints_german_and_english_numbers() -> None:
    cases: list[tuple[str, Any]] = [
        ("population", 22568),
        ("exposure", 100.9),
        ("mean", 40.8),
        ("year", 2024),
        ("district", "Lobeda"),
        ("unemployment", None),
    ]
    assert _run_formatter("de", cases) == ["22.568", "100,9", "40,80", "2024", "Lobeda", "–"]
    assert _run_formatter("en", cases) == ["22,568", "100.9", "40.80", "2024", "Lobeda", "–"]
