"""One bad typed parameter does not stop a layer: ``Layer.check_params`` and the map callbacks.

A person types ``abc`` into "Eigene Grenzen" of the heat vulnerability layer: the field says
what is wrong (German on German pages), and the legend, the geometry switch, the table and
the URL keep working with the other parameters.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from dash import ALL, MATCH

from dashboard import components, geojson, ids
from dashboard.callbacks.map_layers import (
    current_view,
    image_url,
    param_messages,
    restyle,
    toggle_layer,
)
from dashboard.context import AppContext
from dashboard.settings import Settings
from dashboard.tables import table_body
from data.pack import load_pack
from layers import REGISTRY, get_layer
from layers.classify import K_MAX, K_MIN
from layers.heat.vulnerability import LAYER as HVI
from layers.heat.vulnerability import rank_word
from layers.params import ParamError, shown
from tests.packfactory import make_heat_pack


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> AppContext:
    pack = load_pack(make_heat_pack(tmp_path_factory.mktemp("heat") / "pack"))
    return AppContext(Settings(pack=pack.folder, forecasts=False), pack)


def _text(component: Any) -> str:
    return json.dumps(component, default=lambda c: c.to_plotly_json(), ensure_ascii=False)


# --- Layer.check_params ----------------------------------------------------------------------


def test_bad_breaks_with_quantiles_are_ignored() -> None:
    clean, problems = HVI.check_params({"scheme": "quantiles", "breaks": "abc", "k": 7})
    assert problems == {}
    assert clean == {**HVI.defaults(), "k": 7}  # breaks unused: the default, not "abc"
    # good breaks are kept while unused, for when the method is switched
    assert HVI.check_params({"breaks": "0; 1"})[0]["breaks"] == "0; 1"
    assert HVI.clean_params({"scheme": "equal_interval", "breaks": "abc"})["breaks"] == ""


def test_bad_breaks_with_the_custom_method_are_reported_in_both_languages() -> None:
    raw = {"scheme": "user_defined", "breaks": "abc", "level": "grid", "w_exposure": 3.0, "k": 4}
    clean, problems = HVI.check_params(raw)
    assert list(problems) == ["breaks"]
    err = problems["breaks"]
    assert isinstance(err, ParamError) and err.param == "breaks"
    assert err.text("de") == "»abc« ist keine Zahl. Grenzen bitte so eingeben: -0,5; 0; 0,5"
    assert err.text("en").startswith("“abc” is not a number")
    # every other parameter is still the one asked for; the classes fall back to the default
    assert clean["level"] == "grid" and clean["w_exposure"] == 3.0 and clean["k"] == 4
    assert clean["scheme"] == "quantiles" and clean["breaks"] == ""
    # the strict form raises the same problem
    with pytest.raises(ParamError, match="not a number"):
        HVI.clean_params(raw)


@pytest.mark.parametrize(
    ("breaks", "key"),
    [("", "breaks.empty"), ("1; 0", "breaks.order"), ("0 1 2 3 4 5 6 7 8 9", "breaks.count")],
)
def test_every_unusable_custom_breaks_value_has_a_message(breaks: str, key: str) -> None:
    problems = HVI.check_params({"scheme": "user_defined", "breaks": breaks})[1]
    assert problems["breaks"].key == key
    assert problems["breaks"].text("de") != problems["breaks"].text("en")


def test_crafted_slider_and_choice_values_and_unknown_names_still_fail() -> None:
    # sliders and choices can only be wrong in a crafted payload: refused as a whole
    for crafted in ({"w_capacity": 99}, {"norm": "<script>"}, {"k": "5"}, {"nope": 1}):
        with pytest.raises(ParamError):
            HVI.check_params({**crafted, "breaks": "abc", "scheme": "user_defined"})
    # a crafted breaks value is a typed field's problem: reported, not fatal
    clean, problems = HVI.check_params({"scheme": "user_defined", "breaks": ["x"]})
    assert problems["breaks"].key == "text" and clean["scheme"] == "quantiles"


def test_every_registry_layer_accepts_its_defaults_without_problems() -> None:
    for layer in REGISTRY:
        assert layer.check_params({}) == (layer.defaults(), {}), layer.id
        for p in layer.params:
            if p.used_when is not None:
                owner = {q.name: q for q in layer.params}[p.used_when[0]]
                assert owner.kind == "choice" and p.used_when[1] in dict(owner.choices)


# --- the callbacks' functions with a bad breaks value ----------------------------------------


def test_legend_and_restyle_work_with_bad_breaks(ctx: AppContext) -> None:
    good = {**HVI.defaults(), "k": 4}
    hideout, legend = restyle(ctx, HVI.id, good, 0.7, "de")
    for bad in ({**good, "breaks": "abc"}, {**good, "scheme": "user_defined", "breaks": "abc"}):
        bad_hideout, bad_legend = restyle(ctx, HVI.id, bad, 0.7, "de")
        assert bad_hideout == hideout
        assert _text(bad_legend) == _text(legend)
        assert "al-error" not in _text(bad_legend) and "Hitze-Verwundbarkeit" in _text(bad_legend)
    # a weight change still recolours while the field holds "abc"
    heavier = {**good, "breaks": "abc", "scheme": "user_defined", "w_exposure": 4.0}
    assert restyle(ctx, HVI.id, heavier, 0.7, "de")[0]["weights"] != hideout["weights"]


def test_geometry_switch_works_with_bad_breaks(ctx: AppContext) -> None:
    for scheme in ("quantiles", "user_defined"):
        params = {**HVI.defaults(), "scheme": scheme, "breaks": "abc"}
        district = toggle_layer(ctx, HVI.id, ["on"], params, 0.7, "de")[0]
        grid = toggle_layer(ctx, HVI.id, ["on"], {**params, "level": "grid"}, 0.7, "de")[0]
        d_feats = geojson.load(ctx, district.url)["features"]
        g_feats = geojson.load(ctx, grid.url)["features"]
        assert all("district_id" in f["properties"] for f in d_feats)
        assert len(g_feats) > len(d_feats)
        assert not any("district_id" in f["properties"] for f in g_feats)


def test_messages_beside_the_field_follow_the_page_language() -> None:
    bad = {**HVI.defaults(), "scheme": "user_defined", "breaks": "abc"}
    assert param_messages(HVI.id, bad, ["breaks"], "de") == [
        "»abc« ist keine Zahl. Grenzen bitte so eingeben: -0,5; 0; 0,5"
    ]
    assert param_messages(HVI.id, bad, ["breaks"], "en")[0].startswith("“abc” is not a number")
    # unused: nothing to say; fixed: the message goes away
    assert param_messages(HVI.id, {**bad, "scheme": "quantiles"}, ["breaks"], "de") == [""]
    assert param_messages(HVI.id, {**bad, "breaks": "-0,5; 0; 0,5"}, ["breaks"], "de") == [""]


def test_table_url_and_image_layers_use_the_clean_parameters(ctx: AppContext) -> None:
    bad = {**HVI.defaults(), "scheme": "user_defined", "breaks": "abc", "level": "grid"}
    body = table_body(ctx, HVI, HVI.check_params(bad)[0], "de", "t")
    assert "al-error" not in _text(body) and "Rasterzelle" in _text(body)
    toggles = [["on"]]
    toggle_ids = [ids.layer_id(ids.LAYER_TOGGLE, HVI.id)]
    names = list(bad)
    view = current_view(
        ctx,
        [50.9, 11.6],
        12,
        toggles,
        toggle_ids,
        [],
        [],
        [bad[n] for n in names],
        [ids.param_id(HVI.id, n) for n in names],
        ctx.pack.city.basemaps[0],
        "de",
    )
    assert view is not None and view.params[HVI.id]["level"] == "grid"
    surface = get_layer("heat-surface")
    assert image_url(ctx, surface.id, {"variable": "tair_night"}).startswith("/layers/")


def test_the_breaks_field_has_a_message_element_and_a_callback_fills_it(ctx: AppContext) -> None:
    from dashboard.app import create_app

    p = next(p for p in HVI.params if p.name == "breaks")
    control = components._param_control(HVI, p, "", "de")
    msg_id = ids.param_msg_id(HVI.id, "breaks")
    msg = [c for c in control.children if getattr(c, "id", None) == msg_id]
    assert len(msg) == 1 and msg[0].role == "alert"
    app = create_app(ctx.settings, context=ctx)
    key = _pattern(ids.param_msg_id(MATCH, ALL)) + ".children"
    assert key in app.callback_map, "no callback writes the message beside the field"
    inputs = app.callback_map[key]["inputs"]
    assert {"id": _pattern(ids.param_id(MATCH, ALL)), "property": "value"} in inputs


def _pattern(component_id: dict[str, Any]) -> str:
    """A pattern-matching id as Dash's callback map writes it."""
    return json.dumps(
        {
            k: json.loads(v.to_json()) if hasattr(v, "to_json") else v
            for k, v in component_id.items()
        },
        sort_keys=True,
        separators=(",", ":"),
    )


# --- legend words ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["de", "en"])
def test_class_words_never_repeat(lang: str) -> None:
    # K_MIN..K_MAX classes, fewer when values tie, up to 10 with 9 typed breaks
    for n in range(1, 11):
        words = [rank_word(i, n, lang) for i in range(n)]
        assert len(set(words)) == n, (n, words)
    assert [rank_word(i, 7, "de") for i in (0, 1, 5, 6)] == [
        "am geringsten",
        "gering",
        "hoch",
        "am höchsten",
    ]
    assert K_MIN <= 7 <= K_MAX


def test_the_seven_class_legend_has_unique_labels(ctx: AppContext) -> None:
    for k in range(K_MIN, K_MAX + 1):
        for lang in ("de", "en"):
            style = HVI.style(ctx.pack, HVI.clean_params({"k": k}), lang)
            words = [e.label.split(":")[0] for e in style.legend.entries]
            assert len(set(words)) == len(words), (k, words)


# --- the river: its switch is what shows it --------------------------------------------------


def test_offline_base_leaves_the_river_to_the_river_layer(
    tiny_pack_dir: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = load_pack(tiny_pack_dir)
    assert pack.has("river")
    tiny = AppContext(Settings(pack=pack.folder, forecasts=False), pack)
    roles = {f["properties"]["role"] for f in components.offline_base_data(tiny)["features"]}
    assert roles == {"outline", "district"}
    river = toggle_layer(tiny, "river", ["on"], {}, 0.9, "de")
    assert river and geojson.load(tiny, river[0].url)["features"]  # the switch draws it …
    assert toggle_layer(tiny, "river", [], {}, 0.9, "de") == []  # … and takes it away
    # a city without the river layer still gets its river on the base map
    monkeypatch.setattr(components, "REGISTRY", tuple(x for x in REGISTRY if x.id != "river"))
    roles = {f["properties"]["role"] for f in components.offline_base_data(tiny)["features"]}
    assert roles == {"outline", "district", "river"}


# --- values only a crafted request sends: non-finite, huge, of the wrong type ----------------

K = next(p for p in HVI.params if p.name == "k")
WEIGHT = next(p for p in HVI.params if p.name == "w_exposure")


@pytest.mark.parametrize(
    "value, key",
    [
        (float("inf"), "finite"),
        (float("-inf"), "finite"),
        (float("nan"), "finite"),
        (10**400, "large"),  # JSON 1000…0: no float holds it
        (-(10**400), "large"),
        (1e300, "large"),
        (2.5, "whole"),
        (True, "number"),
        ("5", "number"),
        ([5], "number"),
        ({"k": 5}, "number"),
        (None, None),  # the default
    ],
)
def test_an_int_parameter_refuses_what_is_no_finite_whole_number(value: Any, key: Any) -> None:
    if key is None:
        assert K.clean(value) == K.default
        return
    with pytest.raises(ParamError) as caught:
        K.clean(value)
    assert caught.value.key == key and caught.value.param == "k"
    for lang in ("de", "en"):
        assert 0 < len(caught.value.text(lang)) < 120


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 10**400, -1e999])
def test_a_float_parameter_refuses_non_finite_and_huge_numbers(value: Any) -> None:
    with pytest.raises(ParamError) as caught:
        WEIGHT.clean(value)
    assert caught.value.key in ("finite", "large")
    # through the layer: refused as a whole (a slider only a crafted payload gets wrong)
    with pytest.raises(ParamError):
        HVI.check_params({"w_exposure": value})


@pytest.mark.parametrize(
    "params",
    [
        {"norm": "x" * 1_000_000},
        {"k": "x" * 1_000_000},
        {"k": list(range(100_000))},
        {"x" * 1_000_000: 1},
        {f"evil{i}": 1 for i in range(1000)},
        {"breaks": "1; " * 100_000, "scheme": "user_defined"},
        {"date_from": "x" * 1_000_000},
    ],
)
def test_a_message_about_a_huge_value_stays_short(params: dict[str, Any]) -> None:
    layer = get_layer("footfall-heatmap") if "date_from" in params else HVI
    problems: list[ParamError]
    try:
        problems = list(layer.check_params(params)[1].values())
    except ParamError as refused:
        problems = [refused]
    (problem,) = problems
    assert len(str(problem)) < 400 and "x" * 100 not in str(problem)
    assert len(problem.text("de")) < 200 and len(problem.text("en")) < 200


def test_shown_cuts_and_names_what_it_cannot_quote() -> None:
    assert shown("abc") == "abc" and shown(5) == "5" and shown(None) == "None"
    assert shown("x" * 100) == "x" * 59 + "…" and len(shown("x" * 100, 20)) == 20
    assert shown(list(range(1000))) == "list[1000]"
    assert shown(10**400) == "≈10^400"
    nested: list[Any] = []
    for _ in range(100_000):
        nested = [nested]
    assert shown(nested) == "list[…]"
