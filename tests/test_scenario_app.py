"""The scenario page on the server: the service, the callbacks' functions, the image routes."""

from __future__ import annotations

import copy
import io
import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from dash import no_update
from PIL import Image

from dashboard import ids
from dashboard import scenario_state as ss
from dashboard.callbacks import scenario as cb
from dashboard.context import AppContext
from dashboard.scenario_service import ScenarioService

TREES = {"kind": "canopy", "districts": ["Neulobeda"], "percent": 10}


@pytest.fixture(scope="module")
def ready(demo_ctx: AppContext, heat_model: Any) -> AppContext:
    assert demo_ctx.scenarios is not None
    demo_ctx.scenarios.use(heat_model)
    return demo_ctx


@pytest.fixture(scope="module")
def client(ready: AppContext) -> Any:
    from dashboard.app import create_app

    return create_app(ready.settings, context=ready, start_jobs=False).server.test_client()


@pytest.fixture()
def trees_state(ready: AppContext) -> dict[str, Any]:
    state, msg = ss.add(ss.default_state(), "b", TREES, ready.pack)
    assert not msg.error
    return state


def test_two_equal_scenarios_differ_in_nothing(ready: AppContext) -> None:
    """A zero intervention: every KPI delta, every district and every cell is zero, no
    district is marked, and the difference image is clear."""
    state = ss.default_state()
    same = ss.add(state, "b", TREES, ready.pack)[0]["b"]
    for a, b in ((state["a"], state["b"]), (same, {**same, "name": "Kopie"})):
        cmp = ready.scenarios.compare(a, b)
        assert [k["delta"] for k in cmp.kpis] == [0.0] * len(cmp.kpis)
        assert {k["direction"] for k in cmp.kpis} == {"same"}
        assert all(abs(r["lst_delta"]) < 1e-3 for r in cmp.districts if r["lst_delta"] is not None)
        assert np.nanmax(np.abs(cmp.delta)) < 0.01
        assert cmp.cells["changed"] == 0 and cmp.changed_districts == []
        png = ready.scenarios.diff_image(a, b).png
        alpha = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))[..., 3]
        assert alpha.max() == 0  # nothing drawn


def test_trees_in_a_district_cool_it_and_only_near_it(
    ready: AppContext, trees_state: dict[str, Any]
) -> None:
    cmp = ready.scenarios.compare(trees_state["a"], trees_state["b"])
    kpi = {k["id"]: k for k in cmp.kpis}
    assert kpi["hot_all"]["delta"] < 0 and kpi["hot_all"]["direction"] == "better"
    assert kpi["lst_change_mean"]["b"] < 0 and kpi["lst_change_mean"]["error"] > 0
    assert kpi["canopy_ha"]["delta"] > 0 and kpi["canopy_ha"]["direction"] == "better"
    assert kpi["sealed_ha"]["delta"] == 0
    rows = {r["name"]: r for r in cmp.districts}
    assert rows["Neulobeda"]["lst_delta"] < -0.5
    assert cmp.changed_districts == [rows["Neulobeda"]["district"]]
    assert np.nanmax(cmp.delta) <= 1e-9  # nothing warms
    # the difference image shows cooling (blue), no warming (red)
    png = ready.scenarios.diff_image(trees_state["a"], trees_state["b"]).png
    rgba = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")).astype(int)
    drawn = rgba[rgba[..., 3] > 0]
    assert len(drawn) > 0 and (drawn[:, 2] > drawn[:, 0]).all()


def test_comparing_two_scenarios_is_symmetric(
    ready: AppContext, trees_state: dict[str, Any]
) -> None:
    """Any two scenarios: B against A is minus A against B."""
    other = next(n for n in ready.pack.metric("districts")["name"] if n != "Neulobeda")
    two, msg = ss.add(trees_state, "a", {"kind": "unseal", "districts": [other], "percent": 20},
                      ready.pack)  # fmt: skip
    assert not msg.error, msg.en
    ab = ready.scenarios.compare(two["a"], two["b"])
    ba = ready.scenarios.compare(two["b"], two["a"])
    assert np.allclose(ab.delta, -ba.delta, equal_nan=True)
    da = {k["id"]: k["delta"] for k in ab.kpis}
    db = {k["id"]: k["delta"] for k in ba.kpis}
    assert all(abs(da[k] + db[k]) < 0.02 for k in da)
    # both districts, and neighbours within the model's reach (100 m) of a changed cell
    assert "neulobeda" in ab.changed_districts and len(ab.changed_districts) >= 2


def test_the_compare_callback_fills_the_page(
    ready: AppContext, trees_state: dict[str, Any]
) -> None:
    out = cb.compare(ready, trees_state, "de")
    status, stop_polling, url_a, bounds = out[:4]
    assert "keine physikalische Simulation" in status and "± 0,76 K" in status
    assert stop_polling is True
    assert url_a.startswith("/scenario/lst.png?") and out[8].startswith("/scenario/diff.png?")
    assert len(bounds) == 2 and bounds[0][0] < bounds[1][0]
    assert out[10] == {"changed": ["neulobeda"]}
    table = str(out[15])
    assert "Menschen in der heißesten Verwundbarkeitsklasse" in table and "besser" in table
    # the English page
    assert "not a physical simulation" in cb.compare(ready, trees_state, "en")[0]


def test_the_page_says_pending_and_starts_the_model(demo_pack: Any, tmp_path: Any) -> None:
    from dashboard.settings import Settings

    ctx = AppContext(Settings(pack=demo_pack.folder, forecasts=False, cache_dir=tmp_path),
                     demo_pack)  # fmt: skip
    started = []
    ctx.scenarios.start = lambda: started.append(1)  # type: ignore[method-assign, union-attr]
    out = cb.compare(ctx, None, "de")
    assert out[0].startswith("Das Wärmemodell wird vorbereitet") and out[1] is False
    assert started == [1]  # in the background: the answer does not wait for it


def test_image_routes(client: Any, ready: AppContext, trees_state: dict[str, Any]) -> None:
    cmp = ready.scenarios.compare(trees_state["a"], trees_state["b"])
    url = cb.image_url(ready, trees_state["b"], "b", cmp)
    resp = client.get(url)
    assert resp.status_code == 200 and resp.mimetype == "image/png"
    assert "immutable" in resp.headers["Cache-Control"]
    diff = client.get(cb.image_url(ready, trees_state, "diff", cmp))
    assert diff.status_code == 200 and diff.data[:4] == b"\x89PNG"
    args = parse_qs(urlsplit(url).query)
    for query, status in [
        ({"s": "garbage", "hi": args["hi"][0]}, 400),
        ({"s": args["s"][0], "hi": "1e999"}, 400),
        ({"s": args["s"][0], "hi": "nope"}, 400),
        ({"s": args["s"][0]}, 400),
        ({}, 400),
        ({"s": ss.encode({**trees_state["b"], "interventions": [
            {**TREES, "districts": ["Atlantis"]}]}), "hi": args["hi"][0]}, 400),
    ]:  # fmt: skip
        resp = client.get("/scenario/lst.png", query_string=query)
        assert resp.status_code == status, (query, resp.data[:200])
        assert resp.mimetype == "text/plain" and len(resp.data) < 400
    assert client.get("/scenario/diff.png?a=x&b=y").status_code == 400


def test_images_wait_for_the_model(demo_pack: Any, tmp_path: Any) -> None:
    from dashboard import scenario_routes
    from dashboard.settings import Settings

    ctx = AppContext(Settings(pack=demo_pack.folder, forecasts=False, cache_dir=tmp_path),
                     demo_pack)  # fmt: skip
    resp = scenario_routes.answer(ctx, "lst", {"s": "x"})
    assert resp.status_code == 503


def test_edit_adds_refuses_and_keeps_the_store(
    ready: AppContext, trees_state: dict[str, Any]
) -> None:
    form = {"kind": "canopy", "districts": ["Neulobeda"], "amount": 5, "crown": 50, "plan": None}
    out = cb.edit(ready, ids.SCN_ADD, None, trees_state, "b", None, None, None, form,
                  (None, None), None, "de")  # fmt: skip
    assert len(out[0]["b"]["interventions"]) == 2 and "Maßnahme 2 hinzugefügt" in str(out[1])
    before = copy.deepcopy(trees_state)
    bad = {**form, "amount": -1}
    out = cb.edit(ready, ids.SCN_ADD, None, trees_state, "b", None, None, None, bad,
                  (None, None), None, "en")  # fmt: skip
    assert out[0] is no_update  # the store is not even written
    assert trees_state == before and out[5] is not None
    assert "percent" in str(out[1]) and "nothing was changed" in str(out[1])
    # page load: the link wins over the session; without a link the session stays
    link_state = ss.default_state()
    out = cb.edit(ready, ids.SCN_FROM_LINK, link_state, trees_state, "b", None, None, None,
                  form, (None, None), None, "de")  # fmt: skip
    assert out[0] == link_state
    out = cb.edit(ready, ids.SCN_FROM_LINK, None, trees_state, "b", None, None, None, form,
                  (None, None), None, "de")  # fmt: skip
    assert out[0] == trees_state and out[2] == "Neues Szenario"
    # a remove button
    out = cb.edit(ready, {"type": ids.SCN_REMOVE, "index": 0}, None, trees_state, "b", None,
                  None, None, form, (None, None), None, "de")  # fmt: skip
    assert out[0]["b"]["interventions"] == []


def test_the_link_carries_the_scenarios_and_reads_back(
    ready: AppContext, trees_state: dict[str, Any]
) -> None:
    query, de, en, note = cb.link(trees_state, "diff", "?lang=de&lat=50.9", "de")
    assert "lang=de" in de
    state, mode, problems = ss.from_query(query)
    assert (state, mode, problems) == (trees_state, "diff", [])
    assert "lat=50.9" in query and "lang=en" in en and note == ""
    # the maps' view comes along; a crafted one is left out
    city = ready.pack.city
    for center in ([50.9, 11.6], {"lat": 50.9, "lng": 11.6}):  # dash-leaflet sends either
        query, *_ = cb.link(trees_state, "side", "?lat=1", "de", center, 14, city)
        assert "lat=50.90000" in query and "lon=11.60000" in query and "z=14" in query
    for center, zoom in [([1e999, 11.6], 14), ([50.9], 14), ("50,11", 14), ([50.9, 11.6], 99),
                         ([89.0, 11.6], 12), ([50.9, 11.6], True)]:  # fmt: skip
        query, *_ = cb.link(trees_state, "side", "?lat=1", "de", center, zoom, city)
        assert "lat=1" in query and "z=" not in query, (center, zoom)
    # too large for a link: said, and the link keeps no scenario
    big = copy.deepcopy(trees_state)
    big["b"]["interventions"] = [
        {**TREES, "districts": [secrets.token_hex(12)]} for _ in range(90)
    ]  # a district name the link cannot compress
    query, _, _, note = cb.link(big, "side", "", "de")
    assert "a=" not in query and note != ""


def test_export_is_the_spec_the_cli_reads(trees_state: dict[str, Any]) -> None:
    from models.scenario_spec import from_toml

    out = cb.export(trees_state, "b")
    assert out["filename"] == "Neues-Szenario.toml"
    assert from_toml(out["content"]) == ss.scenario_of(trees_state["b"])


def test_the_page_renders_a_link(ready: AppContext, trees_state: dict[str, Any]) -> None:
    from dashboard.pages import scenario_page
    from dashboard.state import default_view

    view = default_view(ready.pack.city, "de")
    args = ss.link_args(trees_state, "swipe")
    assert args is not None
    search = "?" + "&".join(f"{k}={v}" for k, v in args)
    page = scenario_page.layout(ready, view, search=search)
    text = str(page)
    assert "al-mode-swipe" in text and "scn-from-link" in text
    found = _find(page, ids.SCN_FROM_LINK)
    assert found is not None and found.data == trees_state
    bad = scenario_page.layout(ready, view, search="?b=zzz")
    assert "Szenario B aus dem Link nicht gelesen" in str(bad)


def test_a_pack_without_a_grid_has_no_scenarios(tiny_pack_dir: Any) -> None:
    from data.pack import load_pack

    pack = load_pack(tiny_pack_dir)
    service = ScenarioService(pack, None)
    if "lst_day" in getattr(pack.raster("grid"), "data_vars", {}) if pack.has("grid") else False:
        pytest.skip("the tiny pack has surface temperature")
    assert service.status == "unavailable"
    service.start()
    assert service.status == "unavailable"


def _find(component: Any, wanted: str) -> Any:
    if getattr(component, "id", None) == wanted:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and hasattr(child, "to_plotly_json"):
            found = _find(child, wanted)
            if found is not None:
                return found
    return None


def test_the_map_page_shows_the_session_scenario_difference(
    ready: AppContext, trees_state: dict[str, Any]
) -> None:
    off = cb.on_map(ready, [], {"on": False, "state": trees_state}, "de")
    assert off[0] == "" and off[2] is None
    url, bounds, legend, note = cb.on_map(ready, ["on"], {"on": True, "state": trees_state}, "de")
    assert url.startswith("/scenario/diff.png?") and bounds == ready.scenarios.bounds()
    assert "kühler" in str(legend) and "„Neues Szenario“ gegen „Ausgangslage“" in note
    # the same address as the scenario page's difference map: one picture, cached once
    cmp = ready.scenarios.compare(trees_state["a"], trees_state["b"])
    assert url == cb.image_url(ready, trees_state, "diff", cmp)
    same = cb.on_map(ready, ["on"], {"on": True, "state": None}, "en")  # never built one
    assert same[0] == "" and "A and B are the same" in same[3]
    crafted = {"on": True, "state": {"a": 1, "b": [2]}}
    assert cb.on_map(ready, ["on"], crafted, "de")[0] == ""  # crafted: the default, nothing


def test_the_service_loads_the_model_in_the_background(
    demo_pack: Any, heat_model_cache: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = ScenarioService(demo_pack, heat_model_cache)
    assert service.status == "idle"
    service.start()
    service.wait(120)
    assert service.status == "ready" and service.error is None
    assert (heat_model_cache / "heat-model.lock").exists()
    service.start()  # once: a second start changes nothing
    assert service.status == "ready"
    # the baseline ran in the background: the first visitor's comparison runs no model,
    # whatever the baseline is called
    import models.scenario

    def no_run(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the baseline was not warmed")

    monkeypatch.setattr(models.scenario, "run_spec", no_run)
    cmp = service.compare(ss.default_state()["a"], ss.default_state("en")["a"])
    assert (cmp.name_a, cmp.name_b) == ("Ausgangslage", "Baseline")


def test_a_renamed_scenario_reuses_its_figures(
    ready: AppContext, trees_state: dict[str, Any]
) -> None:
    first = ready.scenarios.compare(trees_state["a"], trees_state["b"])
    renamed = ready.scenarios.compare(trees_state["a"], {**trees_state["b"], "name": "Grün"})
    assert renamed.name_b == "Grün" and first.name_b == "Neues Szenario"
    assert renamed.delta is first.delta  # the same figures, not computed again


@pytest.mark.parametrize(
    ("forecasts", "model", "started"),
    [(True, None, True), (False, None, False), (False, True, True), (True, False, False)],
)
def test_the_model_starts_with_the_app_as_the_settings_say(
    demo_pack: Any, tmp_path: Any, forecasts: bool, model: bool | None, started: bool
) -> None:
    from dashboard.settings import Settings

    settings = Settings(pack=demo_pack.folder, forecasts=forecasts, scenario_model=model,
                        cache_dir=tmp_path)  # fmt: skip
    ctx = AppContext(settings, demo_pack)
    calls: list[str] = []
    ctx.forecasts.start = lambda: calls.append("forecasts")  # type: ignore[method-assign, union-attr]
    ctx.scenarios.start = lambda: calls.append("model")  # type: ignore[method-assign, union-attr]
    ctx.start_jobs()
    assert ("model" in calls) is started


def test_a_development_from_the_plan_list_seals_adds_residents_and_conflicts(
    ready: AppContext,
) -> None:
    """The plan list and the session's drawn plans are offered; a planned development adds
    sealing and its conflicts (through the land-use engine) to the KPIs."""
    plans = ready.pack.metric("plans")
    choices = cb.plan_choices(ready, None, "de")
    assert [c["value"] for c in choices] == [f"plan:{p}" for p in plans["plan_id"].astype(str)]
    square = {"type": "Polygon", "coordinates": [[[11.593, 50.9308], [11.5947, 50.9308],
              [11.5947, 50.9318], [11.593, 50.9318], [11.593, 50.9308]]]}  # fmt: skip
    drawn = {"version": 1, "current": None, "plans": [
        {"id": "p1", "name": "Mein Plan", "use": "residential", "dwellings": 40,
         "geometry": square, "source": "drawn", "lid": None, "page": None, "error": None}]}  # fmt: skip
    assert cb.plan_choices(ready, drawn, "de")[-1] == {
        "label": "Eigenes Vorhaben: Mein Plan", "value": "drawn:p1"
    }  # fmt: skip
    conflicts, sealed = {}, {}
    for plan_id in plans["plan_id"].astype(str):
        item = ss.intervention_from_form("development", None, None, None, f"plan:{plan_id}", None)
        state, msg = ss.add(ss.default_state(), "b", item, ready.pack)
        assert not msg.error, msg.en
        kpi = {k["id"]: k for k in ready.scenarios.compare(state["a"], state["b"]).kpis}
        assert kpi["sealed_ha"]["delta"] >= 0 and kpi["trees"]["delta"] == 0
        conflicts[plan_id] = kpi["conflicts"]["delta"]
        sealed[plan_id] = kpi["sealed_ha"]["delta"]
    # the demo's plans include some in constraint zones: their conflicts count
    assert max(conflicts.values()) > 0 and min(conflicts.values()) >= 0
    assert max(sealed.values()) > 0  # building on open land seals it
