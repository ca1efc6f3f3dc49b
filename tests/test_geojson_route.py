"""Layer GeoJSON by URL (``/layers/<id>.geojson?lang&variant&v``): versions, cache headers,
ETag, compression, and every crafted request answered without a 500."""

from __future__ import annotations

import gzip
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard import geojson
from dashboard.callbacks.map_layers import toggle_layer
from dashboard.context import AppContext
from dashboard.settings import Settings
from data.pack import load_pack
from layers import REGISTRY, get_layer


@pytest.fixture(scope="module")
def client(demo_ctx: AppContext) -> Any:
    from dashboard.app import create_app

    return create_app(demo_ctx.settings, context=demo_ctx).server.test_client()


def _current(client: Any, path: str) -> str:
    """The current address of a document (following the redirect of a bare path)."""
    moved = client.get(path)
    assert moved.status_code == 302, (path, moved.status_code)
    assert moved.headers["Cache-Control"] == "no-cache"
    return str(moved.headers["Location"])


def test_a_switched_on_layer_names_its_geojson_by_url(demo_ctx: AppContext) -> None:
    layer = get_layer("heat-vulnerability")
    for level in ("district", "grid"):
        params = {**layer.defaults(), "level": level}
        (component,) = toggle_layer(demo_ctx, layer.id, ["on"], params, 0.7, "en")
        props = component.to_plotly_json()["props"]
        assert "data" not in props and props["hideout"]["pane"] == "layer-heat-vulnerability"
        query = parse_qs(urlsplit(props["url"]).query)
        assert query["lang"] == ["en"] and query["variant"] == [level]
        doc = geojson.load(demo_ctx, props["url"])
        built = demo_ctx.layer_data(layer.id, "en", params).geojson
        assert doc == json.loads(json.dumps(built))  # the very features the layer built


def test_the_version_follows_language_variant_and_pack(demo_ctx: AppContext) -> None:
    hvi = get_layer("heat-vulnerability")
    docs = [geojson.LayerDoc(hvi, lang, v) for lang in ("de", "en") for v in ("district", "grid")]
    versions = {geojson.version(demo_ctx, d) for d in docs}
    assert len(versions) == 4
    assert geojson.version(demo_ctx, docs[0]) == geojson.version(demo_ctx, docs[0])
    other = AppContext(demo_ctx.settings, demo_ctx.pack)
    other.pack = type(demo_ctx.pack)(demo_ctx.pack.folder, demo_ctx.pack.catalog, "changed")
    assert geojson.version(other, docs[0]) not in versions


def test_the_current_document_is_cached_for_good(client: Any, demo_ctx: AppContext) -> None:
    url = _current(client, "/layers/districts.geojson")
    assert parse_qs(urlsplit(url).query)["lang"] == ["de"]  # German first
    resp = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert resp.status_code == 200 and resp.mimetype == "application/geo+json"
    assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert resp.headers["Content-Encoding"] == "gzip"  # flask-compress, as for callbacks
    doc = json.loads(gzip.decompress(resp.data))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 30
    etag = resp.headers["ETag"]
    version = parse_qs(urlsplit(url).query)["v"][0]
    assert etag.strip('"').startswith(version)
    again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    assert again.headers["Cache-Control"] == resp.headers["Cache-Control"]
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert json.loads(plain.data) == doc
    assert client.head(url).status_code == 200
    # the page's Content-Security-Policy lets the page fetch it (same origin)
    assert "connect-src 'self'" in resp.headers["Content-Security-Policy"]


def test_a_stale_version_moves_to_the_current_one(client: Any) -> None:
    url = _current(client, "/layers/heat-vulnerability.geojson?lang=en&variant=grid")
    query = parse_qs(urlsplit(url).query)
    assert query["lang"] == ["en"] and query["variant"] == ["grid"]
    stale = url.replace(query["v"][0], "0123456789abcdef")
    assert _current(client, stale) == url
    assert _current(client, url.replace(query["v"][0], "x" * 64)) == url
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "path, status",
    [
        ("/layers/nope.geojson", 404),
        ("/layers/population-grid.geojson", 404),  # an image layer: no GeoJSON
        ("/layers/%C3%BC%E2%80%AE.geojson", 404),
        ("/layers/" + "a" * 5000 + ".geojson", 404),
        ("/layers/districts%00.geojson", 404),
        ("/layers/districts.geojson?lang=fr", 400),
        ("/layers/districts.geojson?lang=%C3%BC", 400),
        ("/layers/districts.geojson?lang=" + "d" * 500, 400),
        ("/layers/districts.geojson?variant=grid", 400),  # one geometry only
        ("/layers/heat-vulnerability.geojson?variant=evil", 400),
        ("/layers/heat-vulnerability.geojson?variant=", 400),
    ],
)
def test_refusals_are_plain_messages(client: Any, path: str, status: int) -> None:
    resp = client.get(path)
    assert resp.status_code == status, resp.data[:200]
    assert resp.mimetype == "text/plain" and resp.headers["Cache-Control"] == "no-store"
    assert resp.data.decode("utf-8").strip() and b"<" not in resp.data


@pytest.mark.parametrize(
    "path",
    [
        "/layers/../x.geojson",
        "/layers/..%2F..%2Fcity.toml.geojson",  # the app's page (Dash), never the file
        "/layers/.geojson",
        "/layers/districts.geojson/../../etc/passwd",
        "/layers/districts.geojson?v=%FF%FE&lang=de&lang=en",
        "/layers/districts.geojson?" + "&".join(f"k{i}=v" for i in range(500)),
        "/layers/districts.geojson.geojson",
    ],
)
def test_crafted_paths_never_fail(client: Any, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code < 500 and b"[city]" not in resp.data


def test_an_english_refusal_for_an_english_request(client: Any) -> None:
    resp = client.get("/layers/nope.geojson?lang=en")
    assert resp.status_code == 404 and b"No map layer" in resp.data


def test_a_layer_the_pack_cannot_draw_is_404(tiny_pack_dir: Any) -> None:
    from dashboard.app import create_app

    pack = load_pack(tiny_pack_dir)
    tiny = AppContext(Settings(pack=pack.folder, forecasts=False), pack)
    missing = [x for x in REGISTRY if x.render == "geojson" and not x.available(pack)]
    assert missing, "the tiny pack should lack a layer"
    client = create_app(tiny.settings, context=tiny).server.test_client()
    resp = client.get(f"/layers/{missing[0].id}.geojson")
    assert resp.status_code == 404 and "nicht verfügbar" in resp.data.decode("utf-8")


def test_geojson_is_strict_json() -> None:
    import numpy as np

    text = geojson.dumps({"a": float("nan"), "b": np.float32(1.5), "c": "Ü"}).decode("utf-8")
    assert json.loads(text) == {"a": None, "b": 1.5, "c": "Ü"}
    assert "NaN" not in text
