"""The heat page, its callbacks and the vulnerability breakdown panel, without a browser."""

from __future__ import annotations

import json
from typing import Any

import pytest
from dash import html, no_update

from dashboard.callbacks.district_panel import layer_panel
from dashboard.callbacks.heat_charts import justice_update, trend_update
from dashboard.callbacks.router import render
from dashboard.context import AppContext
from dashboard.settings import Settings
from data.pack import load_pack
from layers.heat.vulnerability import LAYER as HVI
from layers.heat.vulnerability import result
from tests.packfactory import make_heat_pack, make_pack


def hvi_breakdown(ctx: AppContext, unit: Any, params: dict[str, Any], lang: str) -> list[Any]:
    return layer_panel(ctx, HVI, unit, params, lang)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> AppContext:
    pack = load_pack(make_heat_pack(tmp_path_factory.mktemp("heat") / "pack"))
    return AppContext(Settings(pack=pack.folder, forecasts=False), pack)


def _text(component: Any) -> str:
    """All visible text of a component tree."""
    if component is None or isinstance(component, (int, float)):
        return "" if component is None else str(component)
    if isinstance(component, str):
        return component
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


def _find(component: Any, id_: str) -> Any:
    if isinstance(component, (list, tuple)):
        for c in component:
            found = _find(c, id_)
            if found is not None:
                return found
        return None
    if getattr(component, "id", None) == id_:
        return component
    children = getattr(component, "children", None)
    return _find(children, id_) if children is not None else None


@pytest.mark.parametrize(
    ("path", "lang", "words"),
    [("/hitze", "de", "Wer trägt die Hitze?"), ("/heat", "en", "Who bears the heat?")],
)
def test_heat_page_renders_charts_with_summaries(
    ctx: AppContext, path: str, lang: str, words: str
) -> None:
    body, got = render(ctx, path, f"?lang={lang}")
    assert got == lang
    text = _text(body)
    assert words in text
    assert "°C" in text  # group summary
    trend = _find(body, "heat-trend-summary")
    assert trend is not None and "99999" in trend.children  # the station of the pack's series
    graph = _find(body, "heat-groups-graph")
    assert graph is not None and graph.figure.data  # a real figure
    rank = _find(body, "heat-rank-grid")
    assert len(rank.rowData) == 3


def test_heat_page_without_heat_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # no blanket "no heat data": each part says what it lacks and which import adds it
    # (tests/test_partial_packs.py has the packs with some of the data)
    pack = load_pack(make_pack(tmp_path / "plain"))
    plain = AppContext(Settings(pack=pack.folder, forecasts=False), pack)
    body, _ = render(plain, "/hitze", "")
    text = _text(body)
    assert "keine Hitzedaten" not in text
    assert "Wer trägt die Hitze?" in text and "Heiße Tage im Trend" in text  # both parts named
    justice = _text(_find(body, "heat-justice-missing"))
    assert "lst_day" in justice and "allmende import raster --variable lst_day" in justice
    trend = _text(_find(body, "heat-trend-missing"))
    assert "climate_daily" in trend and "allmende import climate" in trend
    assert _find(body, "heat-groups-graph") is None and _find(body, "heat-trend-graph") is None


def test_full_heat_pack_shows_no_missing_notes(ctx: AppContext) -> None:
    body, _ = render(ctx, "/hitze", "")
    assert _find(body, "heat-justice-missing") is None
    assert _find(body, "heat-trend-missing") is None
    radio = _find(body, "heat-variable")
    assert [o["value"] for o in radio.options] == ["lst_day", "tair_night"]


def test_callbacks_reject_crafted_choices(ctx: AppContext) -> None:
    out = justice_update(ctx, "<script>", "de")
    assert out[:11] == [no_update] * 11 and "Unbekannte Auswahl" in _text(out[-1])
    out = trend_update(ctx, {"x": 1}, "en")
    assert out[:4] == [no_update] * 4 and "Unknown choice" in _text(out[-1])
    good = justice_update(ctx, "tair_night", "en")
    assert "Night air temperature" in good[1] and good[-1] == []
    trend = trend_update(ctx, "summer_days", "de")
    assert "Sommertage" in trend[1] and "2005" in trend[1]  # the flagged year is named


def test_breakdown_contributions_add_up_in_the_panel(ctx: AppContext) -> None:
    params = {**HVI.defaults(), "w_exposure": 3.0, "w_capacity": 0.5}
    clean = HVI.clean_params(params)
    res = result(ctx.pack, clean)
    unit = str(res.frame["unit_id"].iloc[0])
    panel = hvi_breakdown(ctx, unit, params, "en")
    table = _find(panel, "hvi-breakdown")
    rows = table.children[1].children
    contribs = [float(r.children[3].children.replace(",", "")) for r in rows[:3]]
    total = float(_text(rows[3].children[1]).replace(",", ""))
    assert sum(contribs) == pytest.approx(total, abs=2e-3)  # 3-decimal display
    assert total == pytest.approx(float(res.frame["index"].iloc[0]), abs=5e-4)
    unknown = hvi_breakdown(ctx, "nowhere", params, "de")
    assert isinstance(unknown[0], html.P)
    grid_unit = str(result(ctx.pack, HVI.clean_params({"level": "grid"})).frame["unit_id"].iloc[5])
    grid_panel = hvi_breakdown(ctx, grid_unit, {"level": "grid"}, "de")
    assert "Rasterzelle" in _text(grid_panel)


def test_heat_page_json_equals_cli(ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    """The page's ranking is the CLI's ranking."""
    from cli.main import main

    assert main(["heat", "justice", "--pack", str(ctx.pack.folder), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    body, _ = render(ctx, "/heat", "?lang=en")
    rows = _find(body, "heat-rank-grid").rowData
    assert [r["district"] for r in rows] == [d["name"] for d in doc["districts"]]


def test_heat_parameters_travel_in_the_url(ctx: AppContext) -> None:
    from dataclasses import replace

    from dashboard.state import default_view, parse_view, view_query

    view = default_view(ctx.pack.city, "de", "offline")
    params = dict(view.params)
    params["heat-vulnerability"] = {
        **params["heat-vulnerability"],
        "w_exposure": 2.5,
        "breaks": "-0,5; 0; 0,5",
        "scheme": "user_defined",
        "level": "grid",
    }
    query = view_query(replace(view, params=params, layers=("heat-vulnerability",)))
    back = parse_view(query, ctx.pack.city, lang="de", base="offline")
    assert back.params["heat-vulnerability"] == params["heat-vulnerability"]
    assert back.problems == ()
    crafted = parse_view(
        "?heat-vulnerability.w_exposure=99&heat-vulnerability.breaks=1;0",
        ctx.pack.city,
        lang="de",
        base="offline",
    )
    assert any("outside" in p for p in crafted.problems)
    assert any("rise strictly" in p for p in crafted.problems)
    assert crafted.params["heat-vulnerability"]["w_exposure"] == 1.0


def test_a_missing_exposure_grid_is_said_in_the_page_language(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import dashboard.callbacks.heat_charts as callbacks

    def no_grid(*_: Any) -> None:
        raise ValueError("this pack has no 'tair_night' (grid variable); import a raster first")

    monkeypatch.setattr(callbacks, "justice_charts", no_grid)
    out = justice_update(ctx, "tair_night", "de")
    assert out[:11] == [no_update] * 11
    message = _text(out[-1])
    assert "keine Werte" in message and "grid variable" not in message  # no English detail
    assert "grid variable" in caplog.text  # kept for whoever runs the server
    assert "no values" in _text(justice_update(ctx, "tair_night", "en")[-1])
