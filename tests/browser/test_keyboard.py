"""Keyboard only: tab to a layer's switch, turn the layer on, open its table and read it;
pan and zoom the map from the keyboard. No mouse event is sent."""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.browser.seen import wait_seen
from tests.browser.test_map_browser import DISTRICT_PATHS, _count, _wait

pytestmark = pytest.mark.browser

LAYER = "facilities"
MARKERS = ".leaflet-layer-facilities-pane .al-fac"


def _dom_id(kind: str) -> str:
    return json.dumps({"layer": LAYER, "type": kind}, sort_keys=True, separators=(",", ":"))


def _press(dash_duo, *keys: str) -> None:
    ActionChains(dash_duo.driver).send_keys(*keys).perform()


def _active_inside(dash_duo, dom_id: str, selector: str = "*") -> bool:
    """Whether the focused element is (inside) the element with this DOM id and matches."""
    return bool(
        dash_duo.driver.execute_script(
            "const box = document.getElementById(arguments[0]);"
            "const a = document.activeElement;"
            "return !!box && box.contains(a) && a.matches(arguments[1]);",
            dom_id,
            selector,
        )
    )


def _tab_to(dash_duo, dom_id: str, selector: str, limit: int = 400) -> int:
    for n in range(1, limit + 1):
        _press(dash_duo, Keys.TAB)
        if _active_inside(dash_duo, dom_id, selector):
            return n
    where = dash_duo.driver.execute_script(
        "const a = document.activeElement; return a ? a.outerHTML.slice(0, 200) : 'none'"
    )
    raise AssertionError(f"{selector} in {dom_id} not reached with {limit} tabs; focus: {where}")


def test_keyboard_turns_a_layer_on_and_reads_its_table(dash_duo, app):
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    dash_duo.driver.get(dash_duo.server_url + "/?base=offline&lang=en")
    dash_duo.wait_for_element("#map", timeout=20)
    assert _count(dash_duo, MARKERS) == 0
    dash_duo.driver.execute_script("document.activeElement.blur(); window.focus();")

    tabs = _tab_to(dash_duo, _dom_id("layer-toggle"), "input[type=checkbox]")
    # the focus is visible where it is
    outline = dash_duo.driver.execute_script(
        "const s = getComputedStyle(document.activeElement);"
        "return [s.outlineStyle, s.outlineWidth, s.boxShadow];"
    )
    assert outline[0] != "none" or outline[2] != "none", outline
    _press(dash_duo, Keys.SPACE)
    _wait(lambda: _count(dash_duo, MARKERS) > 50, 40)
    wait_seen(dash_duo.driver, "#map", MARKERS)  # the markers are on the visible map

    # continue from the switch (if a re-render took the focus away, tab back to it first)
    if not _active_inside(dash_duo, _dom_id("layer-toggle")):
        _tab_to(dash_duo, _dom_id("layer-toggle"), "input[type=checkbox]")
    _tab_to(dash_duo, _dom_id("layer-table"), "summary", limit=80)
    _press(dash_duo, Keys.ENTER)
    table = "return document.getElementById(arguments[0]).innerText"
    _wait(lambda: "Kita" in dash_duo.driver.execute_script(table, _dom_id("layer-table-body"))
          or "Day-care" in dash_duo.driver.execute_script(table, _dom_id("layer-table-body")), 40)  # fmt: skip
    text = dash_duo.driver.execute_script(table, _dom_id("layer-table-body"))
    assert "synthetic" in text.lower()  # the caption says what the numbers are

    def rows() -> int:
        return int(
            dash_duo.driver.execute_script(
                "return document.getElementById(arguments[0]).querySelectorAll('.ag-row').length",
                _dom_id("layer-table-body"),
            )
        )

    _wait(lambda: rows() > 0, 30)  # AG Grid draws its rows after the caption arrives
    body = _dom_id("layer-table-body")
    wait_seen(dash_duo.driver, f"[id='{body}'] .ag-root-wrapper", f"[id='{body}'] .ag-row")
    cells = dash_duo.driver.execute_script(
        "return document.getElementById(arguments[0]).querySelector('.ag-row').innerText",
        _dom_id("layer-table-body"),
    )
    assert "Day-care" in text or any(k in cells for k in ("Day-care", "School", "Care", "Hospital"))
    assert tabs < 400


def test_keyboard_pans_and_zooms_the_map(dash_duo, app):
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    dash_duo.driver.get(dash_duo.server_url + "/?base=offline&lang=de")
    dash_duo.wait_for_element("#map", timeout=20)
    wait_seen(dash_duo.driver, "#map", DISTRICT_PATHS)
    dash_duo.driver.execute_script("document.activeElement.blur(); window.focus();")
    _tab_to(dash_duo, "main", "#map.leaflet-container")

    before = dash_duo.driver.current_url
    _press(dash_duo, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_DOWN)
    _wait(lambda: dash_duo.driver.current_url != before, 10)  # the view (lat/lon) moved
    panned = dash_duo.driver.current_url
    zoom = float(dict(p.split("=") for p in panned.split("?")[1].split("&"))["z"])
    _press(dash_duo, "+")

    def zoom_now() -> float:
        query = dash_duo.driver.current_url.split("?")[1]
        return float(dict(p.split("=") for p in query.split("&"))["z"])

    _wait(lambda: zoom_now() > zoom, 10)  # zoomed in from the keyboard
    # the panned and zoomed map still shows its districts where one looks
    wait_seen(dash_duo.driver, "#map", DISTRICT_PATHS)
