"""Every browser function a layer or the dashboard names exists in ``dashboard/assets``.

Layers name their style and marker functions by bare strings (``js_style``,
``point_to_layer``), the map page names more (``NS("offlineBaseContrast")``), clientside
callbacks name theirs (``ClientsideFunction("allmendePlay", "step")``) and inline ones call
``window.dash_clientside.allmende.replaceUrl``. A typo in any of them gives a map without
colours or a dead button, and no Python error. This test reads the JavaScript, collects the
functions it defines (by their path in the browser: ``allmende.map.choropleth``), and checks
every name against them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

import layers
from layers.base import Layer

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "dashboard" / "assets"
MAP = "allmende.map"  # dash_extensions' Namespace("allmende", "map") in dashboard/components.py

_COMMENT_OR_STRING = re.compile(
    r"/\*.*?\*/|//[^\n]*|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`", re.S
)
_TOKEN = re.compile(
    r"window\.(?P<root>\w+)\s*=\s*Object\.assign\(\s*\{\s*\}\s*,\s*window\.(?P=root)\s*,\s*\{"
    r"|window\.(?P<direct>[\w.]+)\s*=\s*function\b"
    r"|(?P<fn>\w+)\s*:\s*function\b"
    r"|(?P<obj>\w+)\s*:\s*\{"
    r"|(?P<open>\{)|(?P<close>\})"
)


def _blank(match: re.Match[str]) -> str:
    text = match.group(0)
    return text[0] + " " * (len(text) - 2) + text[-1] if text[0] in "\"'`" else " "


def js_functions(source: str) -> set[str]:
    """The functions a script puts into the browser's namespaces, as dotted paths.

    Two forms are read: object literals merged into a namespace
    (``window.allmende = Object.assign({}, window.allmende, { map: { line: function … } })``,
    nested objects give the path) and direct assignments
    (``window.allmende.map.offlineBaseContrast = function …``). Functions built inside other
    functions are not reached (nothing names them from Python).
    """
    code = _COMMENT_OR_STRING.sub(_blank, source)
    found: set[str] = set()
    stack: list[str | None] = []  # a name per open brace; None: not a namespace object
    for m in _TOKEN.finditer(code):
        named = all(name is not None for name in stack)
        if m.group("root"):
            stack.append(m.group("root") if not stack else None)
        elif m.group("direct"):
            found.add(m.group("direct"))
        elif m.group("fn"):
            if named and stack:
                found.add(".".join([*stack, m.group("fn")]))  # type: ignore[list-item]
        elif m.group("obj"):
            stack.append(m.group("obj") if named and stack else None)
        elif m.group("open"):
            stack.append(None)
        elif stack:
            stack.pop()
    return found


def defined() -> set[str]:
    return set().union(*(js_functions(p.read_text(encoding="utf-8")) for p in ASSETS.glob("*.js")))


def layer_references(registry: tuple[Layer, ...]) -> dict[str, str]:
    """What each layer names: ``{"<layer id>.js_style": "allmende.map.choropleth", …}``."""
    out = {}
    for layer in registry:
        for field in ("js_style", "point_to_layer"):
            name = getattr(layer, field)
            if name is not None:
                out[f"{layer.id}.{field}"] = f"{MAP}.{name}"
    return out


def dashboard_references() -> dict[str, str]:
    """What the dashboard's Python source names, with where it does."""
    patterns = (
        (re.compile(r"\bNS\(\s*\"(\w+)\"\s*\)"), lambda m: f"{MAP}.{m[1]}"),
        (
            re.compile(r"ClientsideFunction\(\s*\"(\w+)\"\s*,\s*\"(\w+)\"\s*\)"),
            lambda m: f"dash_clientside.{m[1]}.{m[2]}",
        ),
        (re.compile(r"window\.((?:dash_clientside|allmende)(?:\.\w+)+)\s*\("), lambda m: m[1]),
    )
    out = {}
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern, name in patterns:
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                out[f"{path.relative_to(ROOT)}:{line}"] = name(m)
    return out


def missing(references: dict[str, str], functions: set[str]) -> list[str]:
    return [f"{where}: {name}" for where, name in references.items() if name not in functions]


def test_the_reader_finds_both_forms_and_skips_comments_strings_and_inner_functions():
    source = """
    /* window.allmende = Object.assign({}, window.allmende, { map: { fake: function () {} } }); */
    window.allmende = Object.assign({}, window.allmende, {
      map: {
        a: function (feature) { const s = "b: function () {"; return { c: function () {} }; },
        // d: function () {}
        e: function () { return "}"; }
      },
      tools: { f: function () {} }
    });
    window.dash_clientside = Object.assign({}, window.dash_clientside, {
      play: { step: function (n) { return n + 1; } }
    });
    window.allmende.map.g = function () {};
    """
    assert js_functions(source) == {
        "allmende.map.a",
        "allmende.map.e",
        "allmende.tools.f",
        "dash_clientside.play.step",
        "allmende.map.g",
    }


def test_the_assets_define_the_map_functions():
    functions = defined()
    for name in ("choropleth", "line", "hvi", "siteMarker", "facilityMarker", "offlineBase"):
        assert f"{MAP}.{name}" in functions, sorted(functions)
    assert {"dash_clientside.allmendePlay.step", "dash_clientside.allmende.embedCode"} <= functions


def test_every_function_a_layer_names_exists():
    refs = layer_references(layers.REGISTRY)
    # every geojson layer names a style; the marker layers their marker functions
    assert sum(field.endswith(".js_style") for field in refs) == sum(
        layer.render == "geojson" for layer in layers.REGISTRY
    )
    assert {refs["footfall-sites.point_to_layer"], refs["facilities.point_to_layer"]} == {
        f"{MAP}.siteMarker",
        f"{MAP}.facilityMarker",
    }
    assert not missing(refs, defined())


def test_every_function_the_dashboard_names_exists():
    refs = dashboard_references()
    names = set(refs.values())
    # the scan found the map page's base style, the play button and the address bar helper
    assert f"{MAP}.offlineBaseContrast" in names
    assert "dash_clientside.allmendePlay.toggle" in names
    assert "dash_clientside.allmende.replaceUrl" in names
    assert not missing(refs, defined())


@pytest.mark.parametrize(
    "field, typo", [("js_style", "choroplet"), ("point_to_layer", "sitemarker")]
)
def test_a_misspelt_function_name_fails(monkeypatch, field, typo):
    """A layer naming a function the assets lack is caught (shown with a patched registry)."""
    target = "districts" if field == "js_style" else "footfall-sites"
    patched = tuple(
        replace(layer, **{field: typo}) if layer.id == target else layer
        for layer in layers.REGISTRY
    )
    monkeypatch.setattr(layers, "REGISTRY", patched)
    problems = missing(layer_references(layers.REGISTRY), defined())
    assert problems == [f"{target}.{field}: {MAP}.{typo}"]
    with pytest.raises(AssertionError):
        test_every_function_a_layer_names_exists()
