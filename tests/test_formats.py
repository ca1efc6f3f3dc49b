"""One way to write numbers and dates per language, and parameter errors people can read.

Issue 11, findings 3 and 4: German pages show ``22.568``, ``42,6`` and ``01.06.2025``;
English pages ``22,568``, ``42.6`` and ``2025-06-01``; a date may be typed either way, and
a rejected value says so in the page's language.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import shutil
import subprocess
from collections.abc import Sequence

import pytest

from dashboard.chart_parts import column_defs, graph_config, grid_columns
from dashboard.tables import column_def, date_formatter, number_formatter
from layers import fmt
from layers.base import TableColumn
from layers.charts import Chart, Column, date_axis, layout, table_columns
from layers.params import PARAM_TEXTS, Param, ParamError, parse_date

# --- text ------------------------------------------------------------------------------------


def test_numbers_and_dates_in_text():
    assert fmt.number(22568, "de") == "22.568" and fmt.number(22568, "en") == "22,568"
    assert fmt.number(42.6, "de", 1) == "42,6" and fmt.number(42.6, "en", 1) == "42.6"
    assert fmt.date(dt.date(2025, 6, 1), "de") == "01.06.2025"
    assert fmt.date("2025-06-01", "en") == "2025-06-01"
    assert fmt.date("2025-06-01T10:00:00+02:00", "de") == "01.06.2025"
    assert fmt.date(None, "de") == "–" and fmt.date("bald", "de") == "bald"
    assert fmt.plotly_separators("de") == ",." and fmt.plotly_separators("en") == ".,"


# --- dates typed by people -------------------------------------------------------------------

DATE = Param("date_from", {"de": "Von", "en": "From"}, "date", None)


@pytest.mark.parametrize("typed", ["2025-06-01", "01.06.2025", "1.6.2025", " 01.06.2025 "])
def test_a_date_is_accepted_in_german_and_iso_form(typed):
    assert DATE.clean(typed) == "2025-06-01"


def test_an_empty_date_means_the_default():
    assert DATE.clean("") is None and DATE.clean("  ") is None and DATE.clean(None) is None


@pytest.mark.parametrize("typed", ["31.02.2025", "2025-13-01", "gestern", "01/06/2025", 20250601])
def test_a_bad_date_is_refused_with_a_message_in_both_languages(typed):
    with pytest.raises(ParamError) as info:
        DATE.clean(typed)
    err = info.value
    assert isinstance(err, ValueError)  # callers catching ValueError still catch it
    assert err.param == "date_from" and err.key == "date"
    assert "date_from" in str(err)
    de, en = err.text("de"), err.text("en")
    assert "kein gültiges Datum" in de and "TT.MM.JJJJ" in de and str(typed) in de
    assert "not a valid date" in en and "YYYY-MM-DD" in en
    assert de != en


def test_parse_date_rejects_nonsense():
    assert parse_date("2025-06-01") == dt.date(2025, 6, 1)
    with pytest.raises(ValueError):
        parse_date("32.01.2025")


@pytest.mark.parametrize(
    ("param", "value", "key", "de"),
    [
        (Param("w", {"de": "W"}, "float", 1.0, min=0, max=2.5), 3.25, "bounds", "3,25"),
        (Param("w", {"de": "W"}, "float", 1.0), "viel", "number", "keine Zahl"),
        (Param("k", {"de": "K"}, "int", 5), 2.5, "whole", "keine ganze Zahl"),
        (Param("c", {"de": "C"}, "choice", "a", choices=(("a", {"de": "A"}),)), "z", "choice", ""),
        (Param("b", {"de": "B"}, "breaks", ""), "abc", "breaks.number", "»abc« ist keine Zahl"),
        (Param("b", {"de": "B"}, "breaks", ""), "1; 0", "breaks.order", "steigen"),
        (Param("h", {"de": "H"}, "int_range", [0, 23], min=0, max=23), [5, 2], "range", "23"),
    ],
)
def test_every_rejected_parameter_explains_itself(param, value, key, de):
    with pytest.raises(ParamError) as info:
        param.clean(value)
    err = info.value
    assert (err.param, err.key) == (param.name, key)
    assert de in err.text("de")
    assert err.text("en") and err.text("en") != err.text("de")


def test_every_param_text_has_both_languages():
    for key, text in PARAM_TEXTS.items():
        assert set(text) >= {"de", "en"}, key
        assert text["de"] != text["en"], key


# --- tables ----------------------------------------------------------------------------------


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed")
    return node


def _run(expr: str, values: Sequence[object]) -> list[str]:
    """Evaluate an AG Grid valueFormatter expression for each value (Node's Intl)."""
    script = (
        f"const f = new Function('params', {json.dumps('return ' + expr)});"
        f"console.log(JSON.stringify({json.dumps(values)}.map(v => f({{value: v}}))));"
    )
    out = subprocess.run([_node(), "-e", script], capture_output=True, text=True, check=True)
    return list(json.loads(out.stdout))


def test_table_numbers_follow_the_page_language():
    values = [22568, 100.9, None]
    assert _run(number_formatter("de")["function"], values) == ["22.568", "100,9", "–"]
    assert _run(number_formatter("en")["function"], values) == ["22,568", "100.9", "–"]
    assert _run(number_formatter("de", 1)["function"], [3, 2.25]) == ["3,0", "2,3"]
    assert _run(number_formatter("de", grouping=False)["function"], [2025]) == ["2025"]
    assert _run(date_formatter("de")["function"], ["2025-06-01", None]) == ["01.06.2025", "–"]
    assert _run(date_formatter("en")["function"], ["2025-06-01"]) == ["2025-06-01"]


def test_map_and_chart_tables_share_one_column_builder():
    layer_col = TableColumn("density", "Dichte", "number", unit="Einw./km²", decimals=1)
    chart_col = Column("density", "Dichte", "number", unit="Einw./km²", decimals=1)
    assert column_def(layer_col, "de") == column_def(chart_col, "de")
    spec = column_def(chart_col, "de")
    assert spec["headerName"] == "Dichte (Einw./km²)" and spec["type"] == "numericColumn"
    assert "'de-DE'" in spec["valueFormatter"]["function"]
    assert (
        "useGrouping: false"
        in column_def(Column("year", "Jahr", "integer"), "de")["valueFormatter"]["function"]
    )
    assert "valueFormatter" not in column_def(Column("name", "Name"), "de")


def test_plain_chart_columns_get_a_kind_from_their_rows():
    rows = [{"year": 2024, "total": 22568.0, "name": "A", "gap": None}]
    cols = table_columns([("year", "Jahr"), ("total", "Summe"), ("name", "Name")], rows)
    assert [c.kind for c in cols] == ["integer", "number", "text"]
    defs = grid_columns([("total", "Summe")], rows, "en")
    assert "'en-GB'" in defs[0]["valueFormatter"]["function"]
    chart = Chart({}, "", rows, (("total", "Summe"),))  # type: ignore[arg-type]
    assert "'de-DE'" in column_defs(chart, "de")[0]["valueFormatter"]["function"]
    # no unformatted variant: every chart table is formatted in the page language
    lang = inspect.signature(column_defs).parameters["lang"]
    assert lang.default is inspect.Parameter.empty


def test_declared_chart_columns_show_numbers_and_years_in_the_page_language():
    """What every chart table (footfall, heat) shows through the shared column builder."""
    cols = (
        Column("year", "Jahr", "integer"),
        Column("population", "Einwohner", "number", decimals=0),
        Column("exposure", "Belastung", "number", "°C", decimals=1),
        Column("day", "Tag", "date"),
    )
    rows = [{"year": 2024, "population": 22568, "exposure": 42.6, "day": "2025-06-01"}]

    def shown(lang: str) -> list[str]:
        defs = grid_columns(cols, rows, lang)
        return [_run(d["valueFormatter"]["function"], [rows[0][d["field"]]])[0] for d in defs]

    assert shown("de") == ["2024", "22.568", "42,6", "01.06.2025"]
    assert shown("en") == ["2024", "22,568", "42.6", "2025-06-01"]
    assert grid_columns(cols, rows, "de")[2]["headerName"] == "Belastung (°C)"


def test_bad_column_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        Column("x", "X", "money")


# --- charts ----------------------------------------------------------------------------------


def test_charts_use_the_page_locale():
    import plotly.graph_objects as go

    assert graph_config("de") == {"displaylogo": False, "locale": "de"}
    de = date_axis(layout(go.Figure(), "T", "x", "y", "de"), "de")
    en = date_axis(layout(go.Figure(), "T", "x", "y", "en"), "en")
    assert de.layout.separators == ",." and en.layout.separators == ".,"
    assert de.layout.xaxis.hoverformat == "%d.%m.%Y" and en.layout.xaxis.hoverformat == "%Y-%m-%d"
    stops = [s.value for s in de.layout.xaxis.tickformatstops]
    assert "%-d. %b<br>%Y" in stops and "%b %Y" in stops
    assert not en.layout.xaxis.tickformatstops


def test_the_german_plotly_locale_is_served():
    from pathlib import Path

    js = (Path(__file__).parents[1] / "dashboard" / "assets" / "plotly-locale-de.js").read_text()
    assert "name: 'de'" in js and "'Okt'" in js and "'Dezember'" in js
    assert "PlotlyLocales" in js and "Plotly.register" in js


def test_model_card_texts_follow_the_language():
    from dashboard.callbacks.footfall_forecast import _in_lang

    assert _in_lang({"de": "je Zählstelle", "en": "per site"}, "de") == "je Zählstelle"
    assert _in_lang({"de": "je Zählstelle", "en": "per site"}, "en") == "per site"
    assert _in_lang("stored by an older version", "de") == "stored by an older version"


# --- numbers that are not ordinary (issue 13) --------------------------------------------------


@pytest.mark.parametrize("lang", ["de", "en"])
def test_number_and_percent_never_raise(lang: str) -> None:
    import decimal

    import numpy as np

    for missing in (
        None,
        float("nan"),
        np.float32("nan"),
        "text",
        decimal.Decimal("NaN"),
        object(),
    ):
        assert fmt.number(missing, lang) == "–" and fmt.percent(missing, lang) == "–"  # type: ignore[arg-type]
    assert fmt.number(float("inf"), lang) == "∞" and fmt.number(-np.inf, lang) == "-∞"
    assert fmt.percent(float("inf"), lang) == "∞ %"
    mark = "," if lang == "de" else "."
    assert fmt.number(1e300, lang) == f"1{mark}00 × 10³⁰⁰"
    assert fmt.number(-2.5e20, lang, 1) == f"-2{mark}50 × 10²⁰"
    assert fmt.number(9.999e20, lang) == f"1{mark}00 × 10²¹"  # rounding carries to the exponent
    assert fmt.number(np.finfo(float).max, lang).endswith("× 10³⁰⁸")
    # below the scientific threshold numbers stay grouped as before
    assert fmt.number(999_999_999_999_999, lang).count("9") == 15
    assert fmt.number(1234.5, lang, 1) == ("1.234,5" if lang == "de" else "1,234.5")


def test_table_numbers_tolerate_bad_input() -> None:
    from layers import tables

    assert tables.num(float("inf")) is None and tables.num("x") is None
    assert tables.num(1e300) == int(1e300)
    assert tables.pct(float("nan")) is None and tables.pct(1e308) is None
    assert tables.pct(0.125) == 12.5
