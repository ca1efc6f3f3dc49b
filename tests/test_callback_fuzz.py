"""Crafted payloads to every server callback of the demo app: never a 500, never a huge answer.

For each callback in ``app.callback_map`` (those that run on the server) the test builds the
body the renderer sends — ``output``, ``outputs``, ``inputs``, ``state``, ``changedPropIds``,
with concrete ids for pattern-matching dependencies — and then, one input or state at a time,
replaces its value with wrong types, non-finite numbers (as raw JSON text: ``Infinity``,
``NaN``, ``1e999``), a huge string, a huge list and deeply nested objects. Every answer must be
200, 204 (no update) or 400, stay under :data:`MAX_ANSWER` bytes and not echo the huge string.
Malformed bodies (not JSON, wrong shape, unknown or browser-side callbacks) must answer 400.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from dashboard import ids
from dashboard.context import AppContext
from layers import REGISTRY, get_layer
from layers.footfall import charts as fc

URL = "/_dash-update-component"
MAX_ANSWER = 200_000
HUGE = "x" * 1_000_000
LONG = "y" * 1000
MARK = "\u0000fuzz\u0000"  # stands for the raw JSON text of a crafted value


def _nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


CRAFTED: dict[str, str] = {
    "number": "123",
    "negative": "-7",
    "float": "0.25",
    "huge int": "9" * 400,
    "bool": "true",
    "null": "null",
    "empty text": '""',
    "text": '"<script>alert(1)</script>"',
    "list": '[1, "a", null]',
    "object": '{"a": 1, "lat": "x"}',
    "Infinity": "Infinity",
    "-Infinity": "-Infinity",
    "NaN": "NaN",
    "1e999": "1e999",
    "-1e999": "-1e999",
    "huge text": json.dumps(HUGE),
    # long, but not too long to be read: must be quoted short, if at all
    "long text": json.dumps(LONG),
    "long query": json.dumps(f"?lat={LONG}&z={LONG}&lang={LONG}&layers={LONG}"),
    "huge list": "[" + ",".join(["0"] * 100_000) + "]",
    "nested object": _nested(50),
    "nested list": "[" * 50 + "]" * 50,
}

# a square of about 120 m by 110 m in the demo city, as the drawing tool reports it
_DRAWN = {
    "type": "Feature",
    "properties": {"type": "polygon", "_leaflet_id": 101},
    "geometry": {
        "type": "Polygon",
        "coordinates": [
            [
                [11.5930, 50.9308],
                [11.5947, 50.9308],
                [11.5947, 50.9318],
                [11.5930, 50.9318],
                [11.5930, 50.9308],
            ]
        ],
    },
}

# the scenario page's two scenarios (A: the baseline, B: trees in one district) and a spec file
SCENARIO_STATE = {
    "version": 1,
    "a": {"version": 1, "name": "Ausgangslage", "horizon": "today", "interventions": []},
    "b": {
        "version": 1,
        "name": "Bäume",
        "horizon": "today",
        "interventions": [{"kind": "canopy", "districts": ["Neulobeda"], "percent": 10}],
    },
}
SCENARIO_UPLOAD = "data:application/toml;base64," + base64.b64encode(
    b'name = "Dach"\nhorizon = "today"\n[[interventions]]\nkind = "green_roofs"\n'
    b'districts = ["Neulobeda"]\nshare = 50\n'
).decode("ascii")

# which layer stands in for a MATCH pattern, per the callback's first output
MATCH_LAYER = {ids.LAYER_IMAGE: "footfall-heatmap"}
DEFAULT_MATCH_LAYER = "heat-vulnerability"


@pytest.fixture(scope="module")
def app(demo_ctx: AppContext, heat_model: Any) -> Any:
    from dashboard.app import create_app

    demo_ctx.scenarios.use(heat_model)  # the scenario callbacks run the model, not "pending"
    return create_app(demo_ctx.settings, context=demo_ctx)  # the guard is part of the app


@pytest.fixture(scope="module")
def client(app: Any) -> Any:
    return app.server.test_client()


def server_callbacks(app: Any) -> list[str]:
    return [key for key, cb in app.callback_map.items() if "callback" in cb]


def _good_value(ctx: AppContext, component: Any, prop: str) -> Any:
    """A value the page would send for ``component.prop``."""
    if prop == "id":
        return component
    kind = component.get("type") if isinstance(component, dict) else component
    if kind == ids.LAYER_PARAM:
        return get_layer(component["layer"]).defaults()[component["param"]]
    sites = [s for s, _ in fc.sites(ctx.pack)] if fc.available(ctx.pack) else ["none"]
    good: dict[tuple[Any, str], Any] = {
        (ids.URL, "pathname"): "/",
        (ids.URL, "search"): "?lang=en",
        (ids.LANG_STORE, "data"): "de",
        (ids.LAYER_TOGGLE, "value"): ["on"],
        (ids.LAYER_OPACITY, "value"): 0.5,
        (ids.LAYER_TABLE_SUMMARY, "n_clicks"): 1,
        (ids.LAYER_GEOJSON, "n_clicks"): 1,
        (ids.LAYER_GEOJSON, "clickData"): {"properties": {"unit_id": "x", "district_id": "x"}},
        (ids.MAP, "center"): [50.93, 11.59],
        (ids.MAP, "zoom"): 13,
        (ids.BASEMAP_RADIO, "value"): "offline",
        (ids.FOOTFALL_SITE, "value"): sites[0],
        (ids.FORECAST_POLL, "n_intervals"): 0,
        (ids.HEAT_VARIABLE, "value"): "lst_day",
        (ids.HEAT_INDEX, "value"): "hot_days",
        (ids.LAYER_GRID, "selectedRows"): [{"plan_id": "vl-439390", "district_id": "x"}],
        (ids.EMBED_GRID, "selectedRows"): [{"plan_id": "vl-439390"}],
        (ids.SELECTION, "data"): {"layer": "conflicts", "variant": "", "key": "vl-439390"},
        (ids.DRAW_CONTROL, "geojson"): {"type": "FeatureCollection", "features": [_DRAWN]},
        (ids.DRAW_STORE, "data"): None,
        (ids.DRAW_PAGE, "data"): "abc123",
        (ids.DRAW_REDRAW, "data"): 0,
        (ids.DRAW_USE, "value"): "residential",
        (ids.DRAW_DWELLINGS, "value"): 10,
        (ids.DRAW_NAME, "value"): "Neu",
        (ids.DRAW_EXPORT, "n_clicks"): 1,
        (ids.SCN_FROM_LINK, "data"): None,
        (ids.SCN_STORE, "data"): SCENARIO_STATE,
        (ids.SCN_ADD, "n_clicks"): 1,
        (ids.SCN_REMOVE, "n_clicks"): 1,
        (ids.SCN_CLEAR, "n_clicks"): 1,
        (ids.SCN_SWAP, "n_clicks"): 1,
        (ids.SCN_EXPORT_A, "n_clicks"): 1,
        (ids.SCN_EXPORT_B, "n_clicks"): 1,
        (ids.SCN_UPLOAD, "contents"): SCENARIO_UPLOAD,
        (ids.SCN_UPLOAD, "filename"): "baeume.toml",
        (ids.SCN_SLOT, "value"): "b",
        (ids.SCN_NAME, "value"): "Neu",
        (ids.SCN_HORIZON, "value"): "2050",
        (ids.SCN_WARMING, "value"): 2,
        (ids.SCN_KIND, "value"): "canopy",
        (ids.SCN_DISTRICTS, "value"): ["Neulobeda"],
        (ids.SCN_AMOUNT, "value"): 10,
        (ids.SCN_CROWN, "value"): 50,
        (ids.SCN_PLAN, "value"): None,
        (ids.SCN_POLL, "n_intervals"): 1,
        (ids.SCN_MODE, "value"): "diff",
        (ids.SCN_ON_MAP, "value"): ["on"],
        (ids.SCN_MAP_B, "center"): [50.93, 11.59],
        (ids.SCN_MAP_B, "zoom"): 13,
        (ids.SCN_ON_MAP_STATE, "data"): {"on": True, "state": SCENARIO_STATE},
    }
    return good.get((kind, prop))


def _concrete_ids(pattern: str, match_layer: str) -> list[Any] | Any:
    """The concrete id(s) the page has for a dependency's id (a list for ALL)."""
    if not pattern.startswith("{"):
        return pattern
    spec = json.loads(pattern)
    if "layer" not in spec:  # the drawing tool ({type, n}), plan lists ({type, plan}|{type, index})
        key = "n" if "n" in spec else "index" if "index" in spec else "plan"
        values = ["p1", "p2"] if key == "plan" else [0]
        return [{**spec, key: v} for v in values]
    layer = spec.get("layer")
    layers = [match_layer] if layer == ["MATCH"] else [layer]
    if layer == ["ALL"]:
        layers = [x.id for x in REGISTRY]
        if spec.get("type") == ids.LAYER_GEOJSON:
            layers = [x.id for x in REGISTRY if x.render == "geojson"]
        if spec.get("type") == ids.PANEL_SUBJECT:
            layers = []  # no panel open
        if spec.get("type") in (ids.LAYER_GRID, ids.EMBED_GRID):
            layers = ["districts", "conflicts"]  # two linked tables open
    out = []
    for lid in layers:
        if spec.get("param") == ["ALL"]:
            out += [{**spec, "layer": lid, "param": p.name} for p in get_layer(lid).params]
        elif spec.get("variant") == ["ALL"]:
            out.append({**spec, "layer": lid, "variant": ""})
        else:
            out.append({**spec, "layer": lid})
    multi = any(v in (["ALL"], ["ALLSMALLER"]) for v in spec.values())
    return out if multi else out[0]


def _items(ctx: AppContext, deps: list[dict[str, Any]], match_layer: str) -> list[Any]:
    items: list[Any] = []
    for dep in deps:
        concrete = _concrete_ids(dep["id"], match_layer)
        prop = dep["property"]
        if isinstance(concrete, list):
            items.append(
                [{"id": c, "property": prop, "value": _good_value(ctx, c, prop)} for c in concrete]
            )
        else:
            value = _good_value(ctx, concrete, prop)
            items.append({"id": concrete, "property": prop, "value": value})
    return items


def _outputs(key: str, match_layer: str) -> Any:
    """The ``outputs`` of a body for the callback ``key``."""
    parts = key[2:-2].split("...") if key.startswith("..") else [key]
    specs: list[Any] = []
    for part in parts:
        component, _, prop = part.rpartition(".")
        concrete = _concrete_ids(component, match_layer)
        if isinstance(concrete, list):
            specs.append([{"id": c, "property": prop} for c in concrete])
        else:
            specs.append({"id": concrete, "property": prop})
    return specs if key.startswith("..") else specs[0]


def good_body(app: Any, ctx: AppContext, key: str) -> dict[str, Any]:
    """The body the renderer sends for callback ``key``, its first input changed."""
    first = key[2:].split(".", 1)[0] if key.startswith("..") else key
    match_layer = next(
        (lid for t, lid in MATCH_LAYER.items() if f'"type":"{t}"' in first), DEFAULT_MATCH_LAYER
    )
    cb = app.callback_map[key]
    inputs = _items(ctx, cb["inputs"], match_layer)
    first_input = inputs[0][0] if isinstance(inputs[0], list) and inputs[0] else inputs[0]
    changed = [] if isinstance(first_input, list) else [_prop_id(first_input)]
    return {
        "output": key,
        "outputs": _outputs(key, match_layer),
        "inputs": inputs,
        "state": _items(ctx, cb["state"], match_layer),
        "changedPropIds": changed,
    }


def _prop_id(item: dict[str, Any]) -> str:
    """``<id>.<property>`` as the renderer writes it (an object id with sorted keys)."""
    component = item["id"]
    if isinstance(component, dict):
        component = json.dumps(component, sort_keys=True, separators=(",", ":"))
    return f"{component}.{item['property']}"


def _slots(body: dict[str, Any]) -> list[tuple[str, int, int | None]]:
    """Every input and state: ``(part, index, item)``, ``item`` the place in a list (``ALL``)
    or ``None``."""
    return [
        (part, k, j)
        for part in ("inputs", "state")
        for k, item in enumerate(body[part])
        for j in (range(len(item)) if isinstance(item, list) else [None])
    ]


def _with_value(body: dict[str, Any], part: str, k: int, j: int | None, raw: str) -> str:
    """``body`` as JSON text with the value of ``body[part][k]`` (item ``j`` of a list)
    replaced by ``raw``."""
    crafted = json.loads(json.dumps(body))
    item = crafted[part][k] if j is None else crafted[part][k][j]
    item["value"] = MARK
    if part == "inputs":  # the crafted input is what changed
        crafted["changedPropIds"] = [_prop_id(item)]
    return json.dumps(crafted).replace(json.dumps(MARK), raw)


def _post(client: Any, text: str, content_type: str = "application/json") -> Any:
    return client.post(URL, data=text.encode("utf-8"), content_type=content_type)


def problem(resp: Any, what: str) -> str | None:
    """What is wrong with an answer to a crafted request (``None``: nothing)."""
    if resp.status_code not in (200, 204, 400):
        return f"{what}: status {resp.status_code}: {resp.data[:200]!r}"
    if len(resp.data) >= MAX_ANSWER:
        return f"{what}: {len(resp.data)} bytes: {resp.data[:200]!r}"
    if b"x" * 100 in resp.data or b"y" * 100 in resp.data:
        return f"{what}: a long value is echoed"
    text = resp.get_data(as_text=True).lower()
    if any(f"{k}={v}" in text for k in ("lat", "lon", "z") for v in ("inf", "-inf", "nan")):
        return f"{what}: a non-finite number in a link: {text[:200]}"
    return None


# the fuzz test below runs once per slot; there must be a slot for every callback
MAX_CALLBACKS = 26


def test_every_server_callback_is_covered(app: Any) -> None:
    keys = server_callbacks(app)
    # the router, layers (toggle, restyle, image ×2, table, messages), base map, view,
    # district panel, footfall charts and forecast, heat justice and trend, linked tables
    # (a row on the map page, a row in the embed, a click on the map), drawn plans (the
    # tool, the plans, the export), scenarios (edit, compare, link, export, plan choices,
    # the map page's overlay)
    assert 26 <= len(keys) <= MAX_CALLBACKS
    assert all(cb.get("callback") is None for k, cb in app.callback_map.items() if k not in keys)


@pytest.fixture(scope="module")
def keys(app: Any) -> list[str]:
    return server_callbacks(app)


@pytest.mark.parametrize("index", range(MAX_CALLBACKS))
def test_crafted_values_never_give_a_500(
    app: Any, client: Any, demo_ctx: AppContext, keys: list[str], index: int
) -> None:
    if index >= len(keys):
        pytest.skip(f"the app has {len(keys)} server callbacks")
    key = keys[index]
    body = good_body(app, demo_ctx, key)
    resp = _post(client, json.dumps(body))
    # the renderer's own body is answered (the guard does not refuse it)
    assert resp.status_code in (200, 204), (key, resp.status_code, resp.data[:300])
    assert problem(resp, key) is None
    problems = [
        problem(_post(client, _with_value(body, part, k, j, raw)), f"{part}[{k}][{j}] {name}")
        for part, k, j in _slots(body)
        for name, raw in CRAFTED.items()
    ]
    assert [p for p in problems if p] == [], key


@pytest.fixture(scope="module")
def a_body(app: Any, demo_ctx: AppContext) -> dict[str, Any]:
    """The renderer's body for the restyle callback (legend and style of a layer)."""
    key = next(k for k in server_callbacks(app) if ids.LAYER_STYLE in k)
    return good_body(app, demo_ctx, key)


def _changed(body: dict[str, Any], **changes: Any) -> str:
    return json.dumps({**body, **changes})


def _malformed(app: Any, body: dict[str, Any]) -> dict[str, str]:
    """Bodies that are not what the renderer sends, by what is wrong with them."""
    clientside = next(k for k, cb in app.callback_map.items() if "callback" not in cb)
    inputs, state = body["inputs"], body["state"]
    return {
        "empty": "",
        "not JSON": "{'output': nope",
        "cut off": json.dumps(body)[:-20],
        "a list": "[1, 2, 3]",
        "a string": '"output"',
        "null": "null",
        "an empty object": "{}",
        "nested 100000 deep": "[" * 100_000 + "]" * 100_000,
        "nested 200 deep": _changed(body, extra=json.loads("[" * 200 + "]" * 200)),
        "no output": _changed(body, output=None),
        "output a number": _changed(body, output=7),
        "unknown output": _changed(body, output="nope.children"),
        "a browser callback": _changed(body, output=clientside),
        "outputs missing": _changed(body, outputs=None),
        "outputs short": _changed(body, outputs=body["outputs"][:1]),
        "outputs of another component": _changed(
            body, outputs=[{"id": "map", "property": "zoom"}, body["outputs"][1]]
        ),
        "inputs missing": _changed(body, inputs=None),
        "inputs an object": _changed(body, inputs={"a": 1}),
        "inputs short": _changed(body, inputs=inputs[:1]),
        "inputs long": _changed(body, inputs=[*inputs, inputs[-1]]),
        "an input not a list for ALL": _changed(body, inputs=[inputs[0][0], inputs[1]]),
        "an input of another id": _changed(
            body, inputs=[inputs[0], {**inputs[1], "id": {"type": "x", "layer": "districts"}}]
        ),
        "an input id with a list": _changed(
            body, inputs=[inputs[0], {**inputs[1], "id": {**inputs[1]["id"], "layer": [1]}}]
        ),
        "an input of another property": _changed(
            body, inputs=[inputs[0], {**inputs[1], "property": "children"}]
        ),
        "state a string": _changed(body, state="lang"),
        "changedPropIds garbage": _changed(body, changedPropIds=["{bad.value"]),
        "changedPropIds a string": _changed(body, changedPropIds="x.value"),
        "changedPropIds with a list id": _changed(body, changedPropIds=['{"a":[1]}.value']),
        "changedPropIds with no property": _changed(body, changedPropIds=["map"]),
        "huge number": _changed(body, output=None).replace("null", "1" + "0" * 5000, 1),
        "too many items for ALL": _changed(
            body, inputs=[[inputs[0][0]] * 1000, inputs[1]], state=[[state[0][0]] * 1000, state[1]]
        ),
    }


def test_malformed_bodies_answer_400(app: Any, client: Any, a_body: dict[str, Any]) -> None:
    # the body the renderer sends is answered: the cases below differ from it in one thing
    assert _post(client, json.dumps(a_body)).status_code == 200
    answers = {name: _post(client, text) for name, text in _malformed(app, a_body).items()}
    wrong = {n: (r.status_code, r.data[:120]) for n, r in answers.items() if r.status_code != 400}
    assert wrong == {}
    assert all(len(r.data) < 200 and r.mimetype == "text/plain" for r in answers.values())


def test_a_body_of_another_content_type_is_read_too(client: Any, a_body: dict[str, Any]) -> None:
    # Dash itself would answer 415 for text/plain; the guard reads JSON whatever the type
    assert _post(client, json.dumps(a_body), "text/plain").status_code == 200
    assert _post(client, "not json", "text/plain").status_code == 400


def test_without_the_guard_a_malformed_body_is_a_500(
    demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the guard is for: Dash itself answers these with 500 (so the cases above test
    the guard, not Dash)."""
    from dashboard import requests_guard
    from dashboard.app import create_app

    monkeypatch.setattr(requests_guard, "install", lambda app: None)
    bare = create_app(demo_ctx.settings, context=demo_ctx).server.test_client()
    assert _post(bare, json.dumps({"output": "nope.children"})).status_code == 500
    assert _post(bare, "[" * 100_000 + "]" * 100_000).status_code == 500
