"""Click panels are a layer hook: the layer returns plain data (:mod:`layers.panels`), the
dashboard renders any panel the same way, and a new layer with a panel needs no edit in the
callbacks."""

from __future__ import annotations

import dataclasses
import json
import string
from dataclasses import replace
from typing import Any

import pytest
from dash import html

from dashboard import ids
from dashboard.callbacks import district_panel
from dashboard.callbacks.district_panel import PANELS, layer_panel, panel_for, render
from dashboard.context import AppContext
from dashboard.settings import Settings
from data.pack import load_pack
from layers import REGISTRY, get_layer
from layers.city import districts
from layers.heat import vulnerability
from layers.panels import Bar, Bars, Facts, Heading, Line, Panel
from tests.packfactory import make_heat_pack


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> AppContext:
    pack = load_pack(make_heat_pack(tmp_path_factory.mktemp("heat") / "pack"))
    return AppContext(Settings(pack=pack.folder, forecasts=False), pack)


def _json(component: Any) -> str:
    return json.dumps(component, default=lambda c: c.to_plotly_json(), ensure_ascii=False)


def _plain(value: Any) -> None:
    """Only layers.panels parts, strings, numbers and tuples: no Dash inside."""
    if dataclasses.is_dataclass(value):
        assert type(value).__module__ == "layers.panels", type(value)
        for f in dataclasses.fields(value):
            _plain(getattr(value, f.name))
    elif isinstance(value, tuple):
        for v in value:
            _plain(v)
    else:
        assert value is None or isinstance(value, (str, int, float, bool)), type(value)


def test_the_registry_s_panels_are_declared_on_the_layers():
    assert {layer.id: layer.panel_key for layer in REGISTRY if layer.panel} == {
        "districts": "district_id",
        "heat-vulnerability": "unit_id",
        "conflicts": "plan_id",
    }
    assert set(PANELS) == {"districts", "heat-vulnerability", "conflicts"}
    assert [layer.id for layer in district_panel.FOLLOWING] == ["heat-vulnerability"]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_panel_hooks_return_plain_data(ctx: AppContext, lang: str) -> None:
    district = districts.panel(ctx.pack, "D01", {}, lang)
    assert isinstance(district, Panel)
    _plain(district)
    params = vulnerability.LAYER.defaults()
    unit = str(vulnerability.result(ctx.pack, params).frame["unit_id"].iloc[0])
    hvi = vulnerability.panel(ctx.pack, unit, params, lang)
    assert isinstance(hvi, Panel)
    _plain(hvi)
    assert [type(p) for p in hvi.parts] == [Heading, Line, Line, Bars, Facts, Heading, Facts, Line]
    breakdown = hvi.parts[4]
    assert isinstance(breakdown, Facts) and breakdown.breakdown and breakdown.total
    assert districts.panel(ctx.pack, "nope", {}, lang) is None
    assert vulnerability.panel(ctx.pack, "nowhere", params, lang) is None


def test_render_draws_every_part() -> None:
    content = Panel(
        (
            Heading("Titel", id="t"),
            Heading("Abschnitt", level=4),
            Line("Name", id="n", strong=True),
            Line("Hinweis", note=True),
            Bars((Bar("a", "0,5", 1.0), Bar("b", "-0,25", 0.5, positive=False))),
            Facts((("x", "1", "2"), ("y", "3", "4")), head=("", "A", "B"), total=("Σ", "10")),
            Facts((("k", "v"),)),
        )
    )
    h3, h4, name, note, bars, table, facts = render(content)
    assert isinstance(h3, html.H3) and h3.id == "t" and isinstance(h4, html.H4)
    assert isinstance(name.children, html.Strong) and name.id == "n"
    assert note.className == "al-note" and not hasattr(name, "className")
    widths = [row.children[1].style["width"] for row in bars.children]
    assert widths == ["45.0%", "22.5%"]
    assert bars.children[1].children[1].className == "al-bar al-bar-neg"
    head, body = table.children
    assert [th.children for th in head.children.children] == ["", "A", "B"]
    total = body.children[-1]
    assert total.children[0].colSpan == 2 and isinstance(total.children[1].children, html.Strong)
    assert facts.className == "al-facts" and isinstance(facts.children, html.Tbody)


def test_a_new_layer_with_a_panel_needs_no_edit_in_the_callbacks(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The river gets a panel in a patched registry: a click on it opens the panel, through
    the same callback code, with the pack's synthetic note added by the shell."""

    def river_panel(pack: Any, key: str, params: Any, lang: str) -> Panel | None:
        return Panel((Heading(f"Fluss {key}"), Line("Ein Hinweis.", note=True)))

    river = replace(get_layer("river"), interactive=True, panel=river_panel, panel_key="river_id")
    monkeypatch.setitem(PANELS, river.id, river)
    trigger = {"type": ids.LAYER_GEOJSON, "layer": "river"}
    shown = panel_for(ctx, trigger, {"properties": {"river_id": "saale"}}, {}, None, "de")
    assert shown is not None
    assert shown[0].children == "Fluss saale" and shown[1].children == "Ein Hinweis."
    assert ("Demo-Daten" in _json(shown)) == ctx.pack.synthetic
    # a feature without the key changes nothing
    assert panel_for(ctx, trigger, {"properties": {"name": "x"}}, {}, None, "de") is None


def test_an_unknown_unit_says_so(ctx: AppContext) -> None:
    for layer_id, params in (("districts", {}), ("heat-vulnerability", {"level": "grid"})):
        out = layer_panel(ctx, get_layer(layer_id), "nowhere", params, "en")
        assert len(out) == 1 and out[0].children == "Unknown district."


def test_a_parameter_change_of_another_layer_leaves_the_panel(ctx: AppContext) -> None:
    params = vulnerability.LAYER.defaults()
    unit = str(vulnerability.result(ctx.pack, params).frame["unit_id"].iloc[0])
    districts_param = ids.param_id("districts", "k")
    subject = {"unit_id": unit, "level": "district"}
    assert panel_for(ctx, districts_param, None, {"k": 4}, subject, "de") is None


@pytest.mark.parametrize("table", [districts.PANEL_TEXTS, vulnerability.PANEL_TEXTS])
def test_panel_texts_are_translated(table: dict[str, Any]) -> None:
    """As for the UI strings: both languages, the same placeholders, and different texts
    unless a word is the same in both on purpose."""
    same_on_purpose = {"km2": "a unit symbol", "index": "'Index' is German as well"}
    for key, texts in table.items():
        assert texts["de"].strip() and texts["en"].strip(), key
        fields = [
            {f for _, f, _, _ in string.Formatter().parse(texts[lang]) if f} for lang in texts
        ]
        assert fields[0] == fields[1], key
        assert (texts["de"] == texts["en"]) == (key in same_on_purpose), key
