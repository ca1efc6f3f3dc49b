"""Drawers, the on-map legend and the embed-code generator, without a browser.

The browser tests (tests/browser/test_layout.py, test_map_browser.py) check what a person
sees; these check the wiring that makes it so, fast.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from dashboard import ids
from dashboard.callbacks.router import PAGE_LIST, render
from dashboard.context import AppContext
from tests.test_embed import _ids, _text

JS = Path(__file__).resolve().parents[1] / "dashboard" / "assets" / "allmende.js"


def _walk(component: Any) -> list[Any]:
    out: list[Any] = []
    if isinstance(component, (list, tuple)):
        for c in component:
            out += _walk(c)
        return out
    if hasattr(component, "to_plotly_json"):
        out.append(component)
        out += _walk(getattr(component, "children", None))
    return out


def _props(component: Any) -> dict[str, Any]:
    return dict(component.to_plotly_json()["props"])


def _by_id(tree: Any) -> dict[str, Any]:
    return {
        json.dumps(c.id, sort_keys=True) if isinstance(c.id, dict) else c.id: c
        for c in _walk(tree)
        if getattr(c, "id", None) is not None
    }


def _toggles(tree: Any) -> list[dict[str, Any]]:
    return [p for p in (_props(c) for c in _walk(tree)) if "data-al-toggle" in p]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_map_page_drawers_are_wired(demo_ctx: AppContext, lang: str) -> None:
    tree, _ = render(demo_ctx, "/", f"?lang={lang}")
    found = _by_id(tree)
    toggles = _toggles(tree)
    assert [p["aria-controls"] for p in toggles] == ["layers-drawer", "panel-drawer"]
    for p in toggles:
        target = found[p["aria-controls"]]
        assert p["aria-expanded"] == "false" and p["data-al-group"] == "map"
        assert "al-drawer" in _props(target)["className"]
        # the drawer names itself by its heading and can be closed from inside
        heading = found[_props(target)["aria-labelledby"]]
        assert heading.tabIndex == "-1" and _text(heading) == p["children"]
        closes = [_props(c) for c in _walk(target) if "data-al-close" in _props(c)]
        assert [c["data-al-close"] for c in closes] == [target.id]
        assert closes[0]["aria-label"] == ("Schließen" if lang == "de" else "Close")
    # the toolbar comes first in the main area: the keyboard meets it before the drawers
    main = found["main"]
    first = main.children[0]
    assert "al-toolbar" in first.className


def test_every_page_marks_a_main_area(demo_ctx: AppContext) -> None:
    """The layout test needs ``#main``; the map pages mark their map frame as main content."""
    for page in PAGE_LIST:
        tree, _ = render(demo_ctx, page.path, "?layers=districts")
        found = _by_id(tree)
        assert "main" in found, page.path
        if page.path in ("/", "/embed"):
            frames = [c for c in _walk(found["main"]) if _props(c).get("data-al-main") == "map"]
            assert len(frames) == 1, page.path


def test_map_page_legend_has_every_layer_and_shows_the_switched_on(demo_ctx: AppContext) -> None:
    from layers import REGISTRY

    tree, _ = render(demo_ctx, "/", "?layers=districts,heat-vulnerability")
    items = [c for c in _walk(tree) if "al-map-legend-layer" in (_props(c).get("className") or "")]
    available = [layer.id for layer in reversed(REGISTRY) if layer.available(demo_ctx.pack)]
    assert [_props(c)["data-layer"] for c in items] == available  # top-most first
    shown = {_props(c)["data-layer"] for c in items if not _props(c)["hidden"]}
    assert shown == {"districts", "heat-vulnerability"}
    for c in items:
        assert c.id == ids.layer_id(ids.LAYER_MAP_LEGEND, _props(c)["data-layer"])
    hvi = next(c for c in items if _props(c)["data-layer"] == "heat-vulnerability")
    assert "Hitze-Verwundbarkeit" in _text(hvi)


def test_embed_legend_has_only_the_shown_layers(demo_ctx: AppContext) -> None:
    tree, _ = render(demo_ctx, "/embed", "?layers=districts&lang=en")
    items = [c for c in _walk(tree) if "al-map-legend-layer" in (_props(c).get("className") or "")]
    assert [_props(c)["data-layer"] for c in items] == ["districts"]
    assert all(getattr(c, "id", None) is None for c in items)  # no callback writes them
    toggles = _toggles(tree)
    assert [p["aria-controls"] for p in toggles] == ["embed-explain"]
    assert toggles[0]["children"] == "What does this map show?"
    panel = _by_id(tree)["embed-explain"]
    assert _props(panel)["aria-labelledby"] == "embed-what"


def test_legend_follows_switch_and_panel_in_the_browser(demo_ctx: AppContext) -> None:
    """The on-map legend's callbacks run clientside and read the layer's own legend."""
    from dashboard.app import create_app

    app = create_app(demo_ctx.settings, context=demo_ctx)
    outputs = {k: v for k, v in app.callback_map.items() if ids.LAYER_MAP_LEGEND in k}
    assert len(outputs) == 2
    inputs = sorted(json.dumps(v["inputs"][0]["id"]) for v in outputs.values())
    assert any(ids.LAYER_TOGGLE in i for i in inputs) and any(ids.LAYER_LEGEND in i for i in inputs)
    # nothing crosses the network for them: no server function behind these outputs
    assert all(v.get("callback") is None for v in outputs.values())


def test_embed_generator_offers_sizes_and_a_preview(demo_ctx: AppContext) -> None:
    from dashboard.pages.map_page import EMBED_SIZES

    tree, _ = render(demo_ctx, "/", "")
    found = _by_id(tree)
    sizes = found[ids.EMBED_SIZE]
    assert [o["value"] for o in sizes.options] == [k for k, _, _ in EMBED_SIZES]
    assert {"320x480", "900x650", "1600x1000", "responsive"} <= set(
        sizes.options[i]["value"] for i in range(len(sizes.options))
    )
    preview = found[ids.EMBED_PREVIEW]
    assert preview.title and preview.tabIndex == "-1"
    assert ids.EMBED_CODE in _ids(tree)


def _embed_code(*calls: str) -> list[Any]:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("node is not installed")
    code = (
        "global.window = {location: {origin: 'https://atlas.example'}};\n"
        "global.document = {addEventListener() {}, getElementById() { return null; },"
        " querySelectorAll() { return []; }};\n"
        + JS.read_text(encoding="utf-8")
        + "\nconst E = window.dash_clientside.allmende.embedCode;\n"
        + f"console.log(JSON.stringify([{', '.join(calls)}]));"
    )
    out = subprocess.run([node, "-e", code], capture_output=True, text=True, check=True)
    return list(json.loads(out.stdout))


def test_embed_code_for_a_size_a_responsive_frame_and_the_preview():
    fixed, responsive, crafted = _embed_code(
        'E("?layers=districts&lang=de", "900x650", 1, "Karte \\"Jena\\"")',
        'E("?layers=districts", "responsive", 2, "Karte")',
        'E("javascript:alert(1)", "99999x1", 1, "<b>")',
    )
    code, src, frame, box = fixed
    assert 'width="900" height="650"' in code
    assert 'src="https://atlas.example/embed?layers=districts&amp;lang=de"' in code
    assert 'title="Karte &quot;Jena&quot;"' in code
    # the preview is open (odd clicks): the frame at its size, scaled to the column
    assert src == "https://atlas.example/embed?layers=districts&lang=de"
    assert frame["width"] == "900px" and frame["height"] == "650px"
    scale = float(frame["transform"][len("scale(") : -1])
    assert 0 < scale < 1 and box["width"] == f"{round(900 * scale)}px"
    code, src, frame, box = responsive
    assert code.startswith("<div") and "width:100%;height:100%" in code and "width=" not in code
    assert src is None and box == {"display": "none"}  # closed: nothing is loaded
    code, src, _, _ = crafted
    assert "javascript" not in code and "<b>" not in code  # a query must start with "?"
    assert src == "https://atlas.example/embed"
