"""The app in-process (Flask test client): pages, downloads, layer images and callbacks,
including crafted callback payloads."""

from __future__ import annotations

import json

import pytest
import xarray as xr

from dashboard import geojson
from dashboard.callbacks.district_panel import layer_panel
from dashboard.callbacks.map_layers import current_view, restyle, toggle_layer
from dashboard.pages.catalog_page import rows
from layers import get_layer


@pytest.fixture(scope="module")
def client(demo_ctx):
    from dashboard.app import create_app

    app = create_app(demo_ctx.settings, context=demo_ctx)
    return app.server.test_client()


def test_index_and_dash_endpoints(client):
    assert client.get("/").status_code == 200
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200
    deps = client.get("/_dash-dependencies").get_json()
    assert len(deps) >= 7


def test_vector_download_is_geojson_labelled_synthetic(client, demo_pack):
    resp = client.get("/download/districts.geojson")
    assert resp.status_code == 200
    assert resp.mimetype == "application/geo+json"
    assert "synthetisch" in resp.headers["Content-Disposition"]
    doc = json.loads(resp.data)
    assert len(doc["features"]) == 30
    assert doc["allmende"]["synthetic"] is True
    assert doc["allmende"]["licence"] == demo_pack.dataset("districts").licence
    total = sum(f["properties"]["population"] for f in doc["features"])
    assert total == int(demo_pack.vector("districts")["population"].sum())


def test_table_download_is_csv(client, demo_pack):
    resp = client.get("/download/district_stats.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    header = resp.data.decode("utf-8").splitlines()[0].split(",")
    assert "district_id" in header and "population" in header
    assert len(resp.data.decode("utf-8").strip().splitlines()) == 31


def test_raster_download_is_netcdf(client, tmp_path):
    resp = client.get("/download/grid.nc")
    assert resp.status_code == 200
    path = tmp_path / "grid.nc"
    path.write_bytes(resp.data)
    with xr.open_dataset(path) as grid:
        assert "population" in grid


def test_unknown_or_mismatched_downloads_are_404(client):
    assert client.get("/download/nope.geojson").status_code == 404
    assert client.get("/download/districts.csv").status_code == 404
    # a path trick never reaches a file outside the catalogue
    sneaky = client.get("/download/..%2Fcity.toml.geojson")
    assert "Content-Disposition" not in sneaky.headers and b"[city]" not in sneaky.data


def test_layer_image(client):
    resp = client.get("/layers/population-grid.png")
    assert resp.status_code == 200 and resp.data[:4] == b"\x89PNG"
    assert "max-age" in resp.headers["Cache-Control"]
    assert client.get("/layers/districts.png").status_code == 404
    assert client.get("/layers/evil.png").status_code == 404


def test_catalog_rows_cover_every_dataset(demo_ctx):
    got = rows(demo_ctx, "en")
    assert [r["id"] for r in got] == demo_ctx.pack.catalog.ids()
    for r in got:
        assert r["licence"] and r["attribution"] and r["origin"]
        assert "](/download/" in r["download"]
    districts = next(r for r in got if r["id"] == "districts")
    assert districts["notes"], "the demo districts must say they are approximate"


def test_toggle_and_restyle_pure_functions(demo_ctx):
    on = toggle_layer(demo_ctx, "districts", ["on"], {}, 0.6, "de")
    # the component names its GeoJSON by URL and carries no features itself
    assert len(on) == 1 and "data" not in on[0].to_plotly_json()["props"]
    assert on[0].url.startswith("/layers/districts.geojson?")
    assert len(geojson.load(demo_ctx, on[0].url)["features"]) == 30
    assert toggle_layer(demo_ctx, "districts", [], {}, 0.6, "de") == []
    hideout, legend = restyle(
        demo_ctx,
        "districts",
        {"variable": "share_65plus", "scheme": "equal_interval", "k": 3},
        0.5,
        "en",
    )
    assert hideout["prop"] == "share_65plus" and len(hideout["breaks"]) == 3
    assert hideout["opacity"] == 0.5
    assert "Share aged 65" in json.dumps([c.to_plotly_json() for c in legend], default=str)
    assert "geometry" not in json.dumps(hideout)


@pytest.mark.parametrize(
    "params, opacity",
    [
        ({"variable": "drop table"}, 0.5),
        ({"k": 1000}, 0.5),
        ({"k": "5; rm -rf /"}, 0.5),
        ({"evil": 1}, 0.5),
        ({}, 7),
        ({}, "1"),
    ],
)
def test_crafted_payloads_are_rejected(demo_ctx, params, opacity):
    with pytest.raises(ValueError):
        restyle(demo_ctx, "districts", params, opacity, "de")


def test_crafted_payload_through_the_callback_endpoint(client):
    deps = client.get("/_dash-dependencies").get_json()
    spec = next(d for d in deps if "layer-style" in d["output"] and "layer-legend" in d["output"])
    pid = {"type": "layer-param", "layer": "districts", "param": "k"}
    body = {
        "output": spec["output"],
        "outputs": [
            {"id": {"type": "layer-legend", "layer": "districts"}, "property": "children"},
            {"id": {"type": "layer-style", "layer": "districts"}, "property": "data"},
        ],
        "inputs": [
            [{"id": pid, "property": "value", "value": "999"}],
            {
                "id": {"type": "layer-opacity", "layer": "districts"},
                "property": "value",
                "value": 0.5,
            },
        ],
        "state": [
            [{"id": pid, "property": "id", "value": pid}],
            {"id": "lang-store", "property": "data", "value": "de"},
        ],
        "changedPropIds": [json.dumps(pid, separators=(",", ":")) + ".value"],
    }
    resp = client.post("/_dash-update-component", json=body)
    # rejected without an error: the map keeps its style (no_update), the legend says why
    assert resp.status_code == 200, resp.data[:300]
    answer = resp.get_json()["response"]
    assert '{"layer":"districts","type":"layer-style"}' not in answer
    assert "al-error" in json.dumps(answer['{"layer":"districts","type":"layer-legend"}'])
    # the same request with a valid value restyles: legend and style in one answer
    body["inputs"][0][0]["value"] = 4
    good = client.post("/_dash-update-component", json=body).get_json()["response"]
    style = good['{"layer":"districts","type":"layer-style"}']["data"]["hideout"]
    assert len(style["breaks"]) == 4 and "coordinates" not in json.dumps(good)
    assert "al-legend" in json.dumps(good['{"layer":"districts","type":"layer-legend"}'])


def facts(ctx, district_id, lang):
    """The districts layer's click panel, as the page shows it."""
    return layer_panel(ctx, get_layer("districts"), district_id, {}, lang)


def _toggle_body(client, value, trigger, opacity=0.5, pid_value=None):
    deps = client.get("/_dash-dependencies").get_json()
    spec = next(d for d in deps if "layer-group" in d["output"])
    pid = {"type": "layer-param", "layer": "districts", "param": "k"}
    return {
        "output": spec["output"],
        "outputs": {"id": {"type": "layer-group", "layer": "districts"}, "property": "children"},
        "inputs": [
            {
                "id": {"type": "layer-toggle", "layer": "districts"},
                "property": "value",
                "value": value,
            },
            [{"id": pid, "property": "value", "value": 4}],
        ],
        "state": [
            [{"id": pid, "property": "id", "value": pid if pid_value is None else pid_value}],
            {
                "id": {"type": "layer-opacity", "layer": "districts"},
                "property": "value",
                "value": opacity,
            },
            {"id": "lang-store", "property": "data", "value": "de"},
        ],
        "changedPropIds": [trigger],
    }


TOGGLE = '{"layer":"districts","type":"layer-toggle"}.value'


@pytest.mark.parametrize(
    "value, trigger, opacity, pid_value",
    [
        (["on"], '{"layer":["x"],"type":"layer-toggle"}.value', 0.5, None),
        (["on"], "garbage", 0.5, None),
        (["on"], TOGGLE, "x", None),
        (["on"], TOGGLE, 0.5, "not an id"),
        (["on"], TOGGLE, 0.5, {"type": "layer-param", "layer": "districts", "param": {"x": 1}}),
        ({"x": [1] * 1000}, TOGGLE, 0.5, None),
    ],
)
def test_crafted_toggle_requests_change_nothing(client, value, trigger, opacity, pid_value):
    body = _toggle_body(client, value, trigger, opacity, pid_value)
    resp = client.post("/_dash-update-component", json=body)
    if resp.status_code == 400:  # refused by the request guard (a malformed id)
        assert resp.data.startswith(b"bad callback request:") and len(resp.data) < 200
        return
    assert resp.status_code == 200, resp.data[:300]
    answer = resp.get_json()["response"]
    assert answer == {} or "districts.geojson" in json.dumps(answer)
    assert '"features"' not in resp.get_data(as_text=True)


def test_district_facts(demo_ctx):
    table = demo_ctx.pack.vector("districts")
    row = table[table["name"] == "Neulobeda"].iloc[0]
    text = json.dumps(
        [c.to_plotly_json() for c in facts(demo_ctx, row["district_id"], "de")], default=str
    )
    assert "Neulobeda" in text and "22.568" in text
    assert "Unbekannter" in json.dumps(
        [c.to_plotly_json() for c in facts(demo_ctx, "nope", "de")], default=str
    )


def test_current_view_rejects_malformed_inputs(demo_ctx):
    args = dict(
        toggles=[["on"]],
        toggle_ids=[{"type": "layer-toggle", "layer": "districts"}],
        opacities=[0.5],
        opacity_ids=[{"type": "layer-opacity", "layer": "districts"}],
        params=[5],
        param_ids=[{"type": "layer-param", "layer": "districts", "param": "k"}],
        base="offline",
        lang="de",
    )
    view = current_view(demo_ctx, {"lat": 50.9, "lng": 11.6}, 13, **args)
    assert view is not None and view.layers == ("districts",) and view.params["districts"]["k"] == 5
    assert current_view(demo_ctx, "x", 13, **args) is None
    assert current_view(demo_ctx, [50.9, 11.6], 13, **{**args, "params": [99]}) is None
    assert current_view(demo_ctx, [50.9, 11.6], 13, **{**args, "base": "evil"}) is None
    bad_ids = {**args, "toggle_ids": [{"type": "layer-toggle", "layer": ["x"]}]}
    assert current_view(demo_ctx, [50.9, 11.6], 13, **bad_ids) is None


def _text(component) -> str:
    return json.dumps(
        component.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False
    )


def test_router_pages_and_bad_addresses(demo_ctx):
    from dashboard.callbacks.router import render

    body, lang = render(demo_ctx, "/", "?lat=abc&lang=en")
    assert lang == "en"
    text = _text(body)
    assert "Some settings in the address were ignored" in text and "lat='abc'" in text
    body, lang = render(demo_ctx, "/katalog", "")
    assert lang == "de" and "Datenkatalog" in _text(body) and "catalog-grid" in _text(body)
    body, _ = render(demo_ctx, "/nope", "?lang=en")
    assert "Page not found" in _text(body)


def test_downloads_are_built_once_on_disk_and_revalidate_with_304(client, demo_ctx):
    first = client.get("/download/footfall_counts.csv")
    assert first.status_code == 200 and first.headers["ETag"]
    assert "Last-Modified" in first.headers and "max-age" in first.headers["Cache-Control"]
    stored = list((demo_ctx.settings.cache_dir / "downloads").rglob("*_footfall_counts_*.csv"))
    assert len(stored) == 1 and stored[0].read_bytes() == first.data
    mtime = stored[0].stat().st_mtime_ns
    again = client.get(
        "/download/footfall_counts.csv", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""
    assert client.get("/download/footfall_counts.csv").data == first.data
    assert stored[0].stat().st_mtime_ns == mtime  # served from disk, not rebuilt
    assert not [p for p in stored[0].parent.iterdir() if p.name.endswith(".tmp")]
