"""The district panel follows the heat vulnerability parameters (and a click always rebuilds it)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from dash import ALL, html

from dashboard import ids
from dashboard.callbacks.district_panel import layer_panel, panel_for, subject_id
from dashboard.context import AppContext
from dashboard.settings import Settings
from data.pack import load_pack
from layers.heat.vulnerability import LAYER as HVI
from layers.heat.vulnerability import result
from tests.packfactory import make_heat_pack

SUBJECT = subject_id(HVI.id)


def hvi_breakdown(ctx: AppContext, unit: Any, params: dict[str, Any], lang: str) -> list[Any]:
    return layer_panel(ctx, HVI, unit, params, lang)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> AppContext:
    pack = load_pack(make_heat_pack(tmp_path_factory.mktemp("heat") / "pack"))
    return AppContext(Settings(pack=pack.folder, forecasts=False), pack)


def _json(component: Any) -> str:
    return json.dumps(component, default=lambda c: c.to_plotly_json(), ensure_ascii=False)


def _subject(panel: list[Any]) -> Any:
    stores = [c for c in panel if getattr(c, "id", None) == SUBJECT]
    assert len(stores) == 1
    return stores[0].data


CLICK = {"type": ids.LAYER_GEOJSON, "layer": HVI.id}


def _weight(name: str) -> dict[str, Any]:
    return ids.param_id(HVI.id, name)


def test_a_weight_change_rebuilds_the_open_breakdown_like_a_fresh_click(ctx: AppContext) -> None:
    a = HVI.defaults()
    b = {**a, "w_exposure": 3.0, "w_capacity": 0.5}
    unit = str(result(ctx.pack, HVI.clean_params(a)).frame["unit_id"].iloc[0])
    clicked = {"properties": {"unit_id": unit, "district_id": unit}}
    shown = panel_for(ctx, CLICK, clicked, a, None, "de")
    assert shown is not None and _json(shown) == _json(hvi_breakdown(ctx, unit, a, "de"))
    # the weights change while the panel is open: rebuilt for the same unit with B
    after = panel_for(ctx, _weight("w_exposure"), None, b, _subject(shown), "de")
    assert after is not None
    assert _json(after) == _json(hvi_breakdown(ctx, unit, b, "de"))  # = a fresh build
    assert _json(after) != _json(shown)
    index_a = result(ctx.pack, HVI.clean_params(a)).frame.set_index("unit_id").loc[unit, "index"]
    index_b = result(ctx.pack, HVI.clean_params(b)).frame.set_index("unit_id").loc[unit, "index"]
    assert index_a != pytest.approx(index_b)
    # the new weight is in the panel's table
    assert "3,0" in _json(after) and "3,0" not in _json(shown)


def test_clicking_the_same_unit_again_rebuilds_with_the_current_parameters(
    ctx: AppContext,
) -> None:
    a, b = HVI.defaults(), {**HVI.defaults(), "w_sensitivity": 4.0}
    unit = str(result(ctx.pack, HVI.clean_params(a)).frame["unit_id"].iloc[1])
    clicked = {"properties": {"unit_id": unit}}
    first = panel_for(ctx, CLICK, clicked, a, None, "de")
    again = panel_for(ctx, CLICK, clicked, b, _subject(first), "de")
    assert _json(again) == _json(hvi_breakdown(ctx, unit, b, "de")) != _json(first)


def test_parameters_leave_a_district_s_facts_and_the_hint_alone(ctx: AppContext) -> None:
    params = {**HVI.defaults(), "w_exposure": 2.0}
    assert panel_for(ctx, _weight("w_exposure"), None, params, None, "de") is None
    district = {"type": ids.LAYER_GEOJSON, "layer": "districts"}
    facts = panel_for(ctx, district, {"properties": {"district_id": "D01"}}, params, None, "de")
    assert facts is not None and not any(getattr(c, "id", None) == SUBJECT for c in facts)
    # other layers' clicks and malformed input change nothing
    sites = {"type": ids.LAYER_GEOJSON, "layer": "footfall-sites"}
    assert panel_for(ctx, sites, {"properties": {"site_id": "x"}}, params, None, "de") is None
    assert panel_for(ctx, CLICK, {"properties": "x"}, params, None, "de") is None
    assert panel_for(ctx, "nope", None, params, None, "de") is None
    assert panel_for(ctx, _weight("k"), None, params, {"unit_id": 5}, "de") is None


def test_a_level_switch_closes_the_breakdown_and_bad_breaks_do_not_matter(
    ctx: AppContext,
) -> None:
    a = HVI.defaults()
    unit = str(result(ctx.pack, HVI.clean_params(a)).frame["unit_id"].iloc[0])
    shown = panel_for(ctx, CLICK, {"properties": {"unit_id": unit}}, a, None, "de")
    subject = _subject(shown)
    assert subject == {"unit_id": unit, "level": "district"}
    hint = panel_for(ctx, _weight("level"), None, {**a, "level": "grid"}, subject, "de")
    assert isinstance(hint, list) and isinstance(hint[0], html.P)
    typo = {**a, "scheme": "user_defined", "breaks": "abc"}
    kept = panel_for(ctx, _weight("breaks"), None, typo, subject, "de")
    assert _json(kept) == _json(hvi_breakdown(ctx, unit, a, "de"))


def test_the_panel_callback_has_the_parameters_as_inputs(ctx: AppContext) -> None:
    from dashboard.app import create_app

    app = create_app(ctx.settings, context=ctx)
    spec = app.callback_map[f"{ids.DISTRICT_PANEL}.children"]
    inputs = {(i["id"], i["property"]) for i in spec["inputs"]}

    def pattern(component_id: dict[str, Any]) -> str:
        return json.dumps(
            {k: json.loads(v.to_json()) if v is ALL else v for k, v in component_id.items()},
            sort_keys=True,
            separators=(",", ":"),
        )

    assert (pattern(ids.param_id(HVI.id, ALL)), "value") in inputs
    assert (pattern(ids.layer_id(ids.LAYER_GEOJSON, ALL)), "n_clicks") in inputs
    states = {i["id"] for i in spec["state"]}
    assert pattern({"type": ids.PANEL_SUBJECT, "layer": ALL}) in states
    # one callback owns the panel (no duplicate writer left behind)
    assert not [k for k in app.callback_map if f"{ids.DISTRICT_PANEL}.children@" in k]


def test_the_districts_note_says_what_every_missing_unemployed_person_is() -> None:
    """ "3.020 der 3.039 … (9 keinem Bezirk zugeordnet)" read like 19 against 9: the note names
    both parts of the gap, and they add up."""
    from data.demo import facts
    from data.demo.datasets import districts_dataset, unemployed_gap
    from data.demo.geometry import DistrictFit

    gap = unemployed_gap()
    assert gap["districts"] == sum(facts.ORTSTEIL_UNEMPLOYED_2017.values())
    assert gap["unassigned"] + gap["lost"] == gap["missing"] == gap["city"] - gap["districts"]
    assert gap["lost"] > 0 and gap["zero"] > 0
    ds = districts_dataset("test", DistrictFit(1, 0.1, 0.05, 10.0, 5.0, 114.0))
    de, en = ds.approximations["de"], ds.approximations["en"]
    assert "3.020 der 3.039" in de and "fehlenden 19" in de
    assert "9 ohne Bezirk" in de and "übrigen 10" in de and "keinem" not in de
    assert "3,020 of the city's 3,039" in en and "19 missing" in en and "other 10" in en
