"""The public embed: headers (CSP frame-ancestors, nosniff, referrer, no cookies), the
/embed page and the embed-code generator, without a browser."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from dashboard.callbacks.router import render
from dashboard.context import AppContext
from dashboard.settings import Settings, parse_origins


def _ids(component: Any) -> list[Any]:
    out = []
    if isinstance(component, (list, tuple)):
        for c in component:
            out += _ids(c)
        return out
    if getattr(component, "id", None) is not None:
        out.append(component.id)
    children = getattr(component, "children", None)
    if children is not None:
        out += _ids(children)
    return out


def _text(component: Any) -> str:
    if component is None or isinstance(component, (int, float)):
        return "" if component is None else str(component)
    if isinstance(component, str):
        return component
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


@pytest.fixture(scope="module")
def client_for(demo_ctx: AppContext):  # type: ignore[no-untyped-def]
    from dashboard.app import create_app

    def make(origins: tuple[str, ...] = ()) -> Any:
        settings = replace(demo_ctx.settings, embed_origins=origins)
        ctx = AppContext(settings, demo_ctx.pack, forecasts=demo_ctx.forecasts)
        return create_app(settings, context=ctx).server.test_client()

    return make


def _csp(response: Any) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in (p.strip() for p in policy.split(";"))}


@pytest.mark.parametrize(
    "path", ["/", "/embed?layers=districts", "/_dash-layout", "/assets/allmende.js"]
)
def test_headers_on_every_response(client_for, path: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for().get(path)
    assert response.status_code == 200
    csp = _csp(response)
    assert csp["frame-ancestors"] == "'self'"
    assert csp["object-src"] == "'none'" and "'unsafe-inline'" not in csp["script-src"]
    assert "https://sgx.geodatenzentrum.de" in csp["img-src"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Set-Cookie" not in response.headers  # viewing needs no cookies


def test_frame_ancestors_from_the_setting(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(("https://www.jena.de", "http://localhost:8123"))
    csp = _csp(client.get("/embed?layers=districts"))
    assert csp["frame-ancestors"] == "'self' https://www.jena.de http://localhost:8123"


def test_a_callback_sets_no_cookie(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for()
    layout = client.get("/_dash-layout")
    deps = client.get("/_dash-dependencies")
    assert layout.status_code == deps.status_code == 200
    assert "Set-Cookie" not in deps.headers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://www.jena.de", ("https://www.jena.de",)),
        (
            "https://a.de, http://localhost:8000 https://a.de/",
            ("https://a.de", "http://localhost:8000"),
        ),
        ("", ()),
    ],
)
def test_embed_origins_parse(text: str, expected: tuple[str, ...]) -> None:
    assert parse_origins(text) == expected
    assert Settings.from_env({"ALLMENDE_EMBED_ORIGINS": text}).embed_origins == expected


@pytest.mark.parametrize(
    "bad",
    [
        "*",
        "https://*.jena.de",
        "https://a.de/karte",
        "'unsafe-inline'",
        "https://a.de;script-src *",
        "ftp://a.de",
    ],
)
def test_embed_origins_refuse_anything_that_widens_the_policy(bad: str) -> None:
    with pytest.raises(ValueError, match="not an origin"):
        Settings.from_env({"ALLMENDE_EMBED_ORIGINS": bad})


def test_embed_page_is_read_only_and_explains_each_layer(demo_ctx: AppContext) -> None:
    body, lang = render(
        demo_ctx, "/embed", "?layers=districts,heat-vulnerability&lang=de&base=offline"
    )
    assert lang == "de"
    text = _text(body)
    assert "Was zeigt diese Karte?" in text
    assert "Ortsteile: Bevölkerung" in text and "Hitze-Verwundbarkeit" in text
    assert "Demo-Daten (synthetisch)" in text
    ids = _ids(body)
    kinds = {i.get("type") for i in ids if isinstance(i, dict)}
    assert "layer-toggle" not in kinds and "layer-param" not in kinds  # nothing to change
    assert "embed-map" in ids
    # each layer's table; its rows are the map's features, so it is linked with the map
    for layer in ("districts", "heat-vulnerability"):
        grid = {"type": "embed-grid", "layer": layer, "variant": ""}
        if layer == "heat-vulnerability":
            grid["variant"] = "district"
        assert f"embed-table-{layer}-caption" in ids and grid in ids
    english, _ = render(demo_ctx, "/embed", "?layers=districts&lang=en")
    assert "What does this map show?" in _text(english)


def test_map_page_has_the_embed_generator(demo_ctx: AppContext) -> None:
    body, _ = render(demo_ctx, "/", "")
    assert "embed-code" in _ids(body)
    assert "Karte einbetten" in _text(body)


def test_serve_refuses_a_bad_embed_origin(capsys: pytest.CaptureFixture[str]) -> None:
    from cli.main import main

    assert main(["serve", "--embed-origins", "https://*.jena.de"]) == 2
    assert "not an origin" in capsys.readouterr().err


@pytest.mark.parametrize("path", ["/", "/download/districts.geojson", "/karte", "/_dash-layout"])
def test_embed_origins_widen_frame_ancestors_for_the_embed_page_only(client_for, path) -> None:  # type: ignore[no-untyped-def]
    client = client_for(("https://www.jena.de",))
    assert _csp(client.get("/embed"))["frame-ancestors"] == "'self' https://www.jena.de"
    assert _csp(client.get("/embed/"))["frame-ancestors"] == "'self' https://www.jena.de"
    assert _csp(client.get(path))["frame-ancestors"] == "'self'"


def test_permissions_policy_and_no_server_version(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for().get("/")
    policy = dict(p.strip().split("=") for p in response.headers["Permissions-Policy"].split(","))
    assert policy["camera"] == policy["geolocation"] == policy["microphone"] == "()"
    assert "Server" not in response.headers  # the WSGI servers: see tests/test_serving.py
