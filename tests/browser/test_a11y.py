"""Accessibility of the public pages (WCAG 2.1 AA / BITV 2.0).

In headless Chromium:

* axe-core (pinned in ``tests/browser/axe/package.json``; ``scripts/test`` installs it with
  ``npm ci``) finds no violation of the WCAG 2.0/2.1 A and AA rules on the map page and on the
  embed, in German and in English, offline and with the default base map, with every
  collapsible section (layer texts, tables, the embed code) closed and open. Nothing is
  excluded from the scan. ``<html lang>`` follows the language.
* Every element the keyboard reaches shows a focus ring (map, markers, slider handles, table
  cells included), and the skip link moves the focus to the main content.
* With ``prefers-reduced-motion: reduce`` nothing moves: no running animation after load, the
  footfall playback does not start by itself, the map zooms without animation.

Without a browser:

* Map symbols and outlines have a contrast of at least 3:1 against the ground they are drawn
  on (WCAG 1.4.11), and the class colours stay in order for colour-blind eyes (simulated).
* Information never rests on colour alone: legends name their ranges, facilities have a
  letter and a shape per kind, and the classes are numbers in the layers' tables.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.browser.test_map_browser import _count, _wait

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
JS = ROOT / "dashboard" / "assets" / "allmende.js"
CSS = ROOT / "dashboard" / "assets" / "allmende.css"

LAYERS = "layers=districts,heat-vulnerability,facilities"
DISTRICTS = ".leaflet-layer-districts-pane path"
HVI = ".leaflet-layer-heat-vulnerability-pane path"
FACILITIES = ".leaflet-layer-facilities-pane .al-fac"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Nothing is excluded from the scan. Were a third-party internal ever impossible to fix
# from our code, its exact selector would go here, with the reason beside it.
EXCLUDE: list[list[str]] = []

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run({include: document, exclude: arguments[1]},
        {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
      targets: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: '
          + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 240))
  }))))
  .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: 0, targets: []}]));
"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        message = (
            f"axe-core is not installed ({AXE.relative_to(ROOT)} is missing): run "
            "`npm ci --prefix tests/browser/axe` (scripts/test does it)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def _settle(dash_duo) -> None:
    """Wait until Dash has no callback in flight (twice, with a pause for follow-ups)."""
    for _ in range(2):
        _wait(dash_duo._wait_for_callbacks, 30)
        time.sleep(0.4)


def _open(dash_duo, path: str, shapes: tuple[tuple[str, int], ...] | None = None) -> None:
    """Load ``path`` and wait until the map has drawn ``shapes`` (selector, at least n)."""
    if shapes is None:
        shapes = ((DISTRICTS, 30), (HVI, 30), (FACILITIES, 50))
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element(".leaflet-container", timeout=30)
    for selector, n in shapes:
        _wait(lambda s=selector, n=n: _count(dash_duo, s) >= n, 30)
    _settle(dash_duo)


def _axe(dash_duo, source: str) -> list[dict[str, Any]]:
    driver = dash_duo.driver
    if not driver.execute_script("return typeof axe !== 'undefined'"):
        driver.execute_script(source)
    driver.set_script_timeout(120)
    return list(driver.execute_async_script(RUN_AXE, TAGS, EXCLUDE))


def _report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} [{v['impact']}] {v['help']} ({v['nodes']} nodes)")
        lines.extend(f"    {t}" for t in v["targets"])
    return "\n".join(lines)


PAGES = [
    pytest.param(f"/?lang=de&{LAYERS}&base=offline", "de", id="map-de"),
    pytest.param(f"/?lang=en&{LAYERS}&base=offline", "en", id="map-en"),
    pytest.param(f"/?lang=de&{LAYERS}", "de", id="map-de-default-base"),
    pytest.param(f"/embed?{LAYERS}&base=offline&lang=de", "de", id="embed-de"),
    pytest.param(f"/embed?{LAYERS}&base=offline&lang=en", "en", id="embed-en"),
]


@pytest.mark.browser
@pytest.mark.parametrize(("path", "lang"), PAGES)
def test_axe_finds_no_violations(dash_duo, app, axe_source, path, lang):
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    _open(dash_duo, path)
    assert dash_duo.driver.execute_script("return document.documentElement.lang") == lang
    found = {"sections closed": _axe(dash_duo, axe_source)}
    # open every collapsible section (layer texts, tables, embed code) and scan again
    dash_duo.driver.execute_script(
        "document.querySelectorAll('details:not([open]) > summary').forEach(s => s.click())"
    )
    _settle(dash_duo)
    # the map page builds a layer's table when it is opened: all of them, grids included
    _wait(lambda: _count(dash_duo, ".al-layer .ag-root-wrapper") >= 3, 60)
    found["sections open"] = _axe(dash_duo, axe_source)
    message = "\n".join(f"== {k}\n{_report(v)}" for k, v in found.items() if v)
    assert not any(found.values()), f"axe violations on {path}:\n{message}"


SIZES = {"desktop": (1400, 900), "tablet": (768, 1024), "phone": (390, 844)}


@pytest.mark.browser
@pytest.mark.parametrize("size", list(SIZES))
def test_axe_finds_no_violations_on_every_page_at_every_size(dash_duo, app, axe_source, size):
    """Every page of the page list at the three sizes of the layout test, and on the map page
    and the embed with their drawers (layers, district, "Was zeigt diese Karte?") open."""
    from dashboard.callbacks.router import PAGE_LIST
    from tests.browser.seen import reset_viewport, set_viewport, wait_seen

    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    driver = dash_duo.driver
    set_viewport(driver, *SIZES[size])
    found: dict[str, list[dict[str, Any]]] = {}
    try:
        for page in PAGE_LIST:
            query = f"?{LAYERS}&base=offline&lang=de"
            driver.get(dash_duo.server_url + page.path + query)
            dash_duo.wait_for_element(
                "#main .leaflet-container, #main .js-plotly-plot, #main .ag-root-wrapper",
                timeout=30,
            )
            _settle(dash_duo)
            found[page.path] = _axe(dash_duo, axe_source)
            toggles = driver.find_elements("css selector", "[data-al-toggle]")
            for button in toggles:
                if not button.is_displayed():
                    continue
                button.click()
                target = button.get_attribute("aria-controls")
                wait_seen(driver, f"#{target}", min_px=1)
                _settle(dash_duo)
                found[f"{page.path} with {target} open"] = _axe(dash_duo, axe_source)
    finally:
        reset_viewport(driver)
    message = "\n".join(f"== {k}\n{_report(v)}" for k, v in found.items() if v)
    assert not any(found.values()), f"axe violations at {size}:\n{message}"


@pytest.mark.browser
@pytest.mark.parametrize(
    "path",
    [
        pytest.param(f"/?lang=de&{LAYERS}&base=offline", id="map"),
        pytest.param(f"/embed?{LAYERS}&base=offline&lang=de", id="embed"),
    ],
)
def test_language_switch_sets_lang_and_stays_clean(dash_duo, app, axe_source, path):
    """The header's "English" link: ``<html lang>`` follows, and axe still finds nothing."""
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    _open(dash_duo, path)
    driver = dash_duo.driver
    assert driver.execute_script("return document.documentElement.lang") == "de"
    driver.execute_script("document.querySelector('.al-lang a[lang=en]').click()")
    _wait(lambda: driver.execute_script("return document.documentElement.lang") == "en", 20)
    dash_duo.wait_for_text_to_equal("#synthetic-badge", "Demo data (synthetic)", timeout=20)
    _wait(lambda: _count(dash_duo, DISTRICTS) == 30 and _count(dash_duo, FACILITIES) > 50, 30)
    _settle(dash_duo)
    violations = _axe(dash_duo, axe_source)
    assert not violations, _report(violations)


# ---------------------------------------------------------------- keyboard focus

FOCUSED = """
const a = document.activeElement;
if (!a || a === document.body || a === document.documentElement) { return null; }
const seen = a.__a11ySeen === true;
a.__a11ySeen = true;
a.getAnimations().forEach(x => x.finish());  // read the ring, not a transition towards it
const s = getComputedStyle(a);
const cls = a.className && a.className.baseVal !== undefined ? a.className.baseVal : a.className;
return {
  seen: seen,
  name: a.tagName.toLowerCase() + (a.id ? '#' + a.id.slice(0, 60) : '')
        + (cls ? '.' + String(cls).trim().split(/\\s+/).slice(0, 3).join('.') : '')
        + (a.getAttribute('role') ? '[role=' + a.getAttribute('role') + ']' : '')
        + (a.tagName === 'INPUT' ? '[type=' + a.type + ']' : ''),
  style: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0, color: s.outlineColor,
  shadow: s.boxShadow, visible: a.matches(':focus-visible'),
  grid: !!a.closest('.ag-root-wrapper'),
};
"""
RING = "rgb(11, 12, 12)"  # #0b0c0c, allmende.css


def _press(dash_duo, *keys: str) -> None:
    ActionChains(dash_duo.driver).send_keys(*keys).perform()


def _ring_problem(state: dict[str, Any]) -> str | None:
    if not state["visible"]:
        return f"{state['name']}: focused but not :focus-visible"
    if state["style"] == "none" or state["width"] < 2 or state["color"] != RING:
        return (
            f"{state['name']}: no focus ring (outline {state['style']} {state['width']}px "
            f"{state['color']}, box-shadow {state['shadow']})"
        )
    return None


def _tab_through(dash_duo, limit: int = 400) -> list[dict[str, Any]]:
    """Press Tab until the focus comes round again; the state of every focused element."""
    dash_duo.driver.execute_script("document.activeElement.blur(); window.focus();")
    states: list[dict[str, Any]] = []
    for _ in range(limit):
        _press(dash_duo, Keys.TAB)
        state = dash_duo.driver.execute_script(FOCUSED)
        if state is None:
            if states:
                break
            continue
        if state["seen"]:
            break
        states.append(state)
    return states


@pytest.mark.browser
@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/?lang=de&layers=districts,heat-vulnerability&base=offline", id="map"),
        pytest.param("/embed?layers=districts,facilities&base=offline&lang=en", id="embed"),
    ],
)
def test_every_focus_stop_shows_a_focus_ring(dash_duo, app, path):
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    shapes = ((DISTRICTS, 30),) + (((FACILITIES, 50),) if "facilities" in path else ())
    _open(dash_duo, path, shapes)
    states = _tab_through(dash_duo)
    names = [s["name"] for s in states]
    problems = [p for p in map(_ring_problem, states) if p]
    assert not problems, "\n".join(problems)
    # the walk went everywhere: header, controls, the map and its buttons (and markers)
    assert names[0].startswith("a") and "skip-link" in names[0], names[:3]
    assert any(n.startswith("div#map") or n.startswith("div#embed-map") for n in names), names
    assert any("leaflet-control-zoom-in" in n for n in names), names
    assert any(n.startswith("summary") for n in names), names
    if path.startswith("/?"):
        assert sum("dash-slider-thumb" in n for n in names) >= 8, names
        assert any(n.startswith("input") and "[type=radio]" in n for n in names), names
        assert any(n.startswith("input") and "[type=checkbox]" in n for n in names), names
        assert any(n.startswith("input") and "[type=text]" in n for n in names), names
    else:
        assert sum("al-fac" in n for n in names) >= 50, names


@pytest.mark.browser
def test_table_cells_show_a_focus_ring(dash_duo, app):
    """AG Grid: the header cell the Tab key reaches, and a body cell reached with ↓."""
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    _open(dash_duo, "/embed?layers=districts&base=offline&lang=de", ((DISTRICTS, 30),))
    driver = dash_duo.driver
    driver.execute_script("document.querySelector('details.al-table > summary').click()")
    _wait(lambda: _count(dash_duo, "details.al-table[open] .ag-header-cell") > 0, 20)
    driver.execute_script("document.querySelector('details.al-table > summary').focus()")
    for _ in range(30):
        _press(dash_duo, Keys.TAB)
        state = driver.execute_script(FOCUSED)
        if state and state["grid"]:
            break
    else:
        raise AssertionError("the table's grid was not reached with the Tab key")
    assert _ring_problem(state) is None, _ring_problem(state)
    assert "ag-header-cell" in state["name"], state
    _press(dash_duo, Keys.ARROW_DOWN)
    state = driver.execute_script(FOCUSED)
    assert state and "ag-cell" in state["name"], state
    assert _ring_problem(state) is None, _ring_problem(state)


@pytest.mark.browser
def test_skip_link_moves_the_focus_to_the_main_content(dash_duo, app):
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    _open(dash_duo, "/?lang=de&layers=districts&base=offline", ((DISTRICTS, 30),))
    driver = dash_duo.driver
    driver.execute_script("document.activeElement.blur(); window.focus();")
    _press(dash_duo, Keys.TAB)
    link = driver.execute_script(
        "const a = document.activeElement; const r = a.getBoundingClientRect();"
        "return [a.className, a.textContent, r.left, r.top, r.width, innerWidth];"
    )
    assert link[0] == "skip-link" and link[1] == "Zum Inhalt springen", link
    assert link[2] >= 0 and link[2] + link[4] <= link[5] and link[3] >= 0, link  # on screen
    _press(dash_duo, Keys.ENTER)
    _wait(lambda: driver.execute_script("return document.activeElement.id") == "main", 5)
    # the next Tab continues inside the main content, not in the header
    _press(dash_duo, Keys.TAB)
    assert driver.execute_script(
        "return document.getElementById('main').contains(document.activeElement)"
    )


# ---------------------------------------------------------------- reduced motion

REDUCE = {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]}
NO_PREFERENCE = {"features": [{"name": "prefers-reduced-motion", "value": "no-preference"}]}
HOUR_HANDLE = (
    "return document.getElementById(arguments[0])"
    ".querySelector('[role=slider]').getAttribute('aria-valuenow')"
)


@pytest.mark.browser
def test_reduced_motion_means_nothing_moves(dash_duo, app):
    import json

    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    driver = dash_duo.driver
    path = "/?lang=de&layers=districts,footfall-heatmap&base=offline"
    shapes = ((DISTRICTS, 30), (".leaflet-layer-footfall-heatmap-pane img", 1))
    try:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", REDUCE)
        _open(dash_duo, path, shapes)
        assert driver.execute_script(
            "return matchMedia('(prefers-reduced-motion: reduce)').matches"
        )
        assert driver.execute_script("return document.getAnimations().length") == 0
        # the footfall playback waits for a press of its button
        play = json.dumps({"layer": "footfall-heatmap", "type": "layer-play"}, sort_keys=True)
        play = play.replace(" ", "")
        hour = json.dumps(
            {"layer": "footfall-heatmap", "param": "hour", "type": "layer-param"}, sort_keys=True
        ).replace(" ", "")
        pressed = "return document.getElementById(arguments[0]).getAttribute('aria-pressed')"
        assert driver.execute_script(pressed, play) == "false"
        first = driver.execute_script(HOUR_HANDLE, hour)
        time.sleep(2)  # the playback steps every 0.9 s
        assert driver.execute_script(HOUR_HANDLE, hour) == first
        assert driver.execute_script(pressed, play) == "false"
        # the map jumps: no fade or zoom animation, and zooming starts no transition
        classes = driver.execute_script("return document.getElementById('map').className")
        assert "leaflet-fade-anim" not in classes, classes
        zoom = "return document.querySelector('.leaflet-control-zoom-in')"
        driver.execute_script(zoom + ".click()")
        assert driver.execute_script("return document.getAnimations().length") == 0
        _settle(dash_duo)
        assert driver.execute_script("return document.getAnimations().length") == 0

        # the same page without the preference animates (so the check above means something)
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", NO_PREFERENCE)
        _open(dash_duo, path, shapes)
        classes = driver.execute_script("return document.getElementById('map').className")
        assert "leaflet-fade-anim" in classes, classes
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


# ---------------------------------------------------------------- contrast and colour

WHITE = "#ffffff"
# what map symbols are drawn on: the panel and page (legends), the offline base inside the
# city (#f4f1ea) and around it (#dfe6e9), Leaflet's background while tiles load (#e8eef0)
GROUNDS = {
    "panel": WHITE,
    "page": "#fafaf7",
    "offline city": "#f4f1ea",
    "offline around": "#dfe6e9",
    "map": "#e8eef0",
}
CHOROPLETH_OUTLINE = "#333333"
DEFAULT_FILL_OPACITY = 0.75  # allmende.js choropleth/hvi: outline opacity = fill + 0.2


def _luminance(color: str) -> float:
    from layers.classify import rgb_tuple

    channels = np.array(rgb_tuple(color)) / 255.0
    lin = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(lin @ np.array([0.2126, 0.7152, 0.0722]))


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours (1 … 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def blend(color: str, ground: str, alpha: float) -> str:
    """``color`` drawn with opacity ``alpha`` over ``ground``."""
    from layers.classify import rgb_tuple

    c, g = np.array(rgb_tuple(color)), np.array(rgb_tuple(ground))
    r, gr, b = np.rint(alpha * c + (1 - alpha) * g).astype(int)
    return f"#{r:02x}{gr:02x}{b:02x}"


def _js_function(name: str) -> str:
    """The source of one style function in allmende.js (to read its colours)."""
    source = JS.read_text(encoding="utf-8")
    match = re.search(rf"^( *)(?:[\w.]+\.)?{name}\s*[:=]\s*function.*?^\1\}}", source, re.M | re.S)
    assert match, f"function {name} not found in {JS}"
    return match.group(0)


def _colors(text: str) -> set[str]:
    return {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", text)}


def test_contrast_ratio_formula():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert blend("#000000", "#ffffff", 0.5) == "#808080"


def test_choropleth_districts_are_outlined_where_their_fill_is_too_pale():
    """Every district must stand out from the ground by ≥ 3:1, by its fill or its outline.

    The lightest classes of the sequential ramps (e.g. YlOrRd's pale yellow) are well below
    3:1 against the white or offline ground — by design, lightness carries the order. There
    the #333333 outline (≥ 10:1 on every ground at the default opacity) carries the boundary;
    the dark classes stand out by their fill as well.
    """
    from layers.city import districts
    from layers.classify import K_MAX, K_MIN, classify
    from layers.heat import vulnerability as heat_vulnerability

    for fn in ("choropleth", "hvi"):
        assert CHOROPLETH_OUTLINE in _colors(_js_function(fn)), fn
    ramps = {f"districts.{k}": v["ramp"] for k, v in districts.VARIABLES.items()}
    ramps["heat-vulnerability"] = heat_vulnerability.RAMP
    outline_alpha = min(1.0, DEFAULT_FILL_OPACITY + 0.2)
    failures = []
    for name, ramp in ramps.items():
        for k in range(K_MIN, K_MAX + 1):
            for color in classify(np.arange(100.0), "equal_interval", k, ramp).colors:
                for ground_name, ground in GROUNDS.items():
                    fill = blend(color, ground, DEFAULT_FILL_OPACITY)
                    edge = blend(CHOROPLETH_OUTLINE, ground, outline_alpha)
                    if max(contrast(fill, ground), contrast(edge, ground)) < 3:
                        failures.append(f"{name} k={k} {color} on {ground_name}")
    assert not failures, failures


def test_map_symbols_and_lines_reach_3_to_1():
    from layers.city import river
    from layers.classify import K_MAX, classify
    from layers.footfall import sites as footfall_sites
    from layers.heat import facilities

    # every colour a symbol may sit on: the grounds and the darkest and lightest classes
    under = dict(GROUNDS)
    for ramp in ("YlGnBu", "PuRd", "YlOrRd", "OrRd"):
        colors = classify(np.arange(100.0), "equal_interval", K_MAX, ramp).colors
        under[f"{ramp} lightest"], under[f"{ramp} darkest"] = colors[0], colors[-1]

    # facility markers: a black border in a white halo (allmende.css) — one of the two is
    # ≥ 3:1 against anything; the letter (bold 11px text) on the kind's colour is ≥ 4.5:1
    css = CSS.read_text(encoding="utf-8")
    assert re.search(r"\.al-fac span \{[^}]*border: 1\.5px solid #000000", css)
    assert re.search(r"\.al-fac span \{[^}]*box-shadow: 0 0 0 1\.5px #ffffff", css)
    for name, color in under.items():
        assert max(contrast("#000000", color), contrast(WHITE, color)) >= 3, name
    for kind, (_de, _en, color, _shape) in facilities.SYMBOLS.items():
        assert contrast("#000000", color) >= 4.5, kind

    # counting sites: a dark blue disc (≥ 3:1 on every ground) in a white ring (on dark classes)
    assert {"#ffffff", "#08519c"} <= _colors(_js_function("siteMarker"))
    assert footfall_sites.COLOR == "#08519c"
    for name, ground in GROUNDS.items():
        assert contrast(blend(footfall_sites.COLOR, ground, 0.9), ground) >= 3, name

    # the river layer: a 4px line at 90 % opacity
    for name, ground in GROUNDS.items():
        assert contrast(blend(river.COLOR, ground, 0.9), ground) >= 3, name

    # the tile-free base map: city outline, district borders and river on its own fills
    base = _colors(_js_function("offlineBaseContrast"))
    assert base == {"#444444", "#f4f1ea", "#3182bd", "#767676"}, base
    for line in ("#444444", "#3182bd", "#767676"):
        for ground in ("#f4f1ea", "#dfe6e9"):
            assert contrast(line, ground) >= 3, (line, ground)
    assert 'NS("offlineBaseContrast")' in (ROOT / "dashboard/pages/map_page.py").read_text()

    # legend swatches: boxes have a #333 border, line swatches are the line's colour
    assert re.search(r"\.al-swatch \{[^}]*border: 1px solid #333;", css)
    assert contrast("#333333", WHITE) >= 3
    assert contrast(river.COLOR, WHITE) >= 3


def test_focus_ring_colours():
    """Black ring ≥ 3:1 on the light page, yellow halo ≥ 3:1 on dark fills and buttons."""
    css = CSS.read_text(encoding="utf-8")
    assert "outline: 3px solid #0b0c0c !important" in css
    assert "box-shadow: 0 0 0 5px #ffbf47 !important" in css
    for ground in (*GROUNDS.values(), "#e5f5b2"):
        assert contrast("#0b0c0c", ground) >= 3, ground
    for dark in ("#005a8c", "#7a2e00", "#081d58", "#800026", "#000004"):
        assert contrast("#ffbf47", dark) >= 3, dark


# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB
CVD = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}  # fmt: skip


def _lightness(color: str, vision: np.ndarray) -> float:
    from layers.classify import rgb_tuple

    channels = np.array(rgb_tuple(color)) / 255.0
    lin = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    y = float(np.clip(vision @ lin, 0, 1) @ np.array([0.2126, 0.7152, 0.0722]))
    return 116 * np.cbrt(y) - 16 if y > 0.008856 else 903.3 * y  # CIE L*


def test_class_colours_keep_their_order_for_colour_blind_eyes(demo_pack):
    """The sequential ramps (ColorBrewer; inferno for footfall) get darker class by class —
    for normal vision and simulated protanopia, deuteranopia and tritanopia — by at least
    4 L* units between neighbours, so the order reads without telling hues apart."""
    from layers import REGISTRY
    from layers.city import districts, population_grid
    from layers.classify import K_MAX, K_MIN, classify
    from layers.heat import vulnerability as heat_vulnerability

    palettes: dict[str, tuple[str, ...]] = {}
    for ramp in {v["ramp"] for v in districts.VARIABLES.values()} | {
        heat_vulnerability.RAMP,
        population_grid.RAMP,
    }:
        for k in range(K_MIN, K_MAX + 1):
            palettes[f"{ramp} k={k}"] = classify(np.arange(100.0), "equal_interval", k, ramp).colors
    for layer in REGISTRY:  # the legends as drawn (continuous layers: their steps)
        if layer.id in ("heat-surface", "footfall-heatmap", "population-grid"):
            legend = layer.style(demo_pack, layer.defaults(), "de").legend
            palettes[layer.id] = tuple(e.color for e in legend.entries)
    problems = []
    for name, colors in palettes.items():
        for vision, matrix in CVD.items():
            lightness = [_lightness(c, matrix) for c in colors]
            steps = np.diff(lightness)
            if not (np.all(steps < 0) or np.all(steps > 0)) or np.min(np.abs(steps)) < 4:
                problems.append(f"{name} ({vision}): L* {np.round(lightness, 1).tolist()}")
    assert not problems, "\n".join(problems)


def test_information_never_rests_on_colour_alone(demo_pack):
    from layers import REGISTRY
    from layers.heat import facilities

    # facilities: a letter and a shape per kind, distinct in both languages
    for index in (0, 1):
        letters = [s[index] for s in facilities.SYMBOLS.values()]
        assert len(set(letters)) == len(letters)
    assert len({(s[0], s[3]) for s in facilities.SYMBOLS.values()}) == len(facilities.SYMBOLS)
    assert {s[3] for s in facilities.SYMBOLS.values()} >= {"circle", "square", "diamond"}
    for lang in ("de", "en"):
        for layer in REGISTRY:
            legend = layer.style(demo_pack, layer.defaults(), lang).legend
            # every legend entry has text (a range, a value or a name) beside its colour
            assert legend.entries and all(e.label.strip() for e in legend.entries), layer.id
        # the classes are numbers in the tables
        for layer_id in ("districts", "heat-vulnerability"):
            layer = next(layer for layer in REGISTRY if layer.id == layer_id)
            assert layer.table is not None
            table = layer.table(demo_pack, layer.defaults(), lang)
            kinds = {c.field: c.kind for c in table.columns}
            assert kinds.get("class") == "class", (layer_id, kinds)
            assert all(isinstance(r["class"], int) for r in table.rows), layer_id


def test_chart_colours_reach_3_to_1_on_white():
    """Lines and bars of the footfall and heat charts (plotly_white) stand out from the white
    plot by ≥ 3:1; each chart also has a text summary and a table."""
    from layers.footfall import charts as footfall_charts
    from layers.heat import charts as heat_charts

    colors = {
        **{f"footfall {k}": v for k, v in footfall_charts.COLORS.items()},
        **{f"footfall year {i}": v for i, v in enumerate(footfall_charts.YEAR_COLORS)},
        **{f"heat group {k}": v for k, v in heat_charts.GROUP_COLORS.items()},
        **{f"heat scenario {i}": v for i, v in enumerate(heat_charts.SCENARIO_COLORS)},
    }
    low = {k: round(contrast(v, WHITE), 2) for k, v in colors.items() if contrast(v, WHITE) < 3}
    assert not low, low
