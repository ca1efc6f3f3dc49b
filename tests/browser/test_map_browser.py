"""What a person sees, in headless Chromium (dash[testing]).

The demo city is served with the default base map (TopPlusOpen tiles, which fail without
a network: those failures are the only console errors allowed).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.seen import assert_not_seen, look, reset_viewport, set_viewport, wait_seen

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DISTRICT_PATHS = ".leaflet-layer-districts-pane path"
GRID_IMAGES = ".leaflet-layer-population-grid-pane img"
FACILITIES = ".leaflet-layer-facilities-pane .al-fac"


def _start(dash_duo, app, query: str = "") -> None:
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    if query:
        dash_duo.driver.get(dash_duo.server_url + "/" + query)
    dash_duo.wait_for_element("#map", timeout=20)
    _wait(lambda: _count(dash_duo, DISTRICT_PATHS) > 0 or "layers=" in query)


def _wait(cond, timeout: float = 10.0) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if cond():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def _count(dash_duo, selector: str) -> int:
    # one atomic read in the page: Leaflet may replace elements while we look
    return int(
        dash_duo.driver.execute_script(f"return document.querySelectorAll('{selector}').length")
    )


def _attrs(dash_duo, selector: str, name: str) -> list[str]:
    script = f"return Array.from(document.querySelectorAll('{selector}')).map(e => e.getAttribute('{name}'))"
    return list(dash_duo.driver.execute_script(script))


def _toggle(dash_duo, layer_id: str) -> None:
    ids = {"type": "layer-toggle", "layer": layer_id}
    dash_duo.driver.execute_script(
        "const el = document.getElementById(arguments[0]); el.querySelector('input').click();",
        json.dumps(ids, sort_keys=True, separators=(",", ":")),
    )


def _query(dash_duo) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(dash_duo.driver.current_url).query).items()}


def _severe_logs(dash_duo) -> list[str]:
    logs = dash_duo.driver.get_log("browser")
    offline = (
        "ERR_NAME_NOT_RESOLVED",
        "ERR_INTERNET_DISCONNECTED",
        "ERR_CONNECTION_REFUSED",
        "ERR_ADDRESS_UNREACHABLE",
        "ERR_NETWORK_CHANGED",
        "ERR_PROXY",
    )
    return [
        e["message"]
        for e in logs
        if e["level"] == "SEVERE"
        and not (
            any(code in e["message"] for code in offline)
            and ("geodatenzentrum.de" in e["message"] or "openstreetmap.org" in e["message"])
        )
    ]


def test_page_loads_without_console_errors_and_draws_30_districts(dash_duo, app):
    _start(dash_duo, app)
    _wait(lambda: _count(dash_duo, DISTRICT_PATHS) == 30)
    assert _count(dash_duo, DISTRICT_PATHS) == 30
    wait_seen(dash_duo.driver, "#map", DISTRICT_PATHS)
    assert dash_duo.find_element("#synthetic-badge").text == "Demo-Daten (synthetisch)"
    assert dash_duo.driver.execute_script("return document.documentElement.lang") == "de"
    # tiles were attempted (TopPlusOpen), and only their offline failures are in the log
    assert dash_duo.find_elements(".leaflet-tile-pane img")
    assert _severe_logs(dash_duo) == []


def test_switching_language_changes_labels(dash_duo, app):
    _start(dash_duo, app)
    assert "Ebenen" in dash_duo.find_element(".al-sidebar").text
    dash_duo.find_element("#lang-link-en").click()
    dash_duo.wait_for_text_to_equal("#synthetic-badge", "Demo data (synthetic)", timeout=15)
    sidebar = dash_duo.find_element(".al-sidebar").text
    assert "Layers" in sidebar and "Population density" in sidebar and "Ebenen" not in sidebar
    assert dash_duo.driver.execute_script("return document.documentElement.lang") == "en"
    assert _query(dash_duo)["lang"] == "en"


def test_toggling_a_layer_changes_what_is_drawn(dash_duo, app):
    _start(dash_duo, app)
    _toggle(dash_duo, "districts")
    _wait(lambda: _count(dash_duo, DISTRICT_PATHS) == 0)
    _wait(lambda: "districts" not in _query(dash_duo).get("layers", "districts").split(","))
    _toggle(dash_duo, "population-grid")
    _wait(lambda: _count(dash_duo, GRID_IMAGES) == 1)
    loaded = f"return document.querySelector('{GRID_IMAGES}').naturalWidth"
    _wait(lambda: dash_duo.driver.execute_script(loaded) > 0)
    wait_seen(dash_duo.driver, "#map", GRID_IMAGES)
    # the on-map legend follows the switches: the grid's legend is seen on the map, the
    # districts' legend is gone
    wait_seen(dash_duo.driver, ".al-map-legend [data-layer='population-grid']")
    assert_not_seen(dash_duo.driver, ".al-map-legend [data-layer='districts']")
    _toggle(dash_duo, "districts")
    _wait(lambda: _count(dash_duo, DISTRICT_PATHS) == 30)
    wait_seen(dash_duo.driver, "#map", DISTRICT_PATHS)


def test_restyle_changes_colours_not_shapes(dash_duo, app):
    _start(dash_duo, app)
    _wait(lambda: _count(dash_duo, DISTRICT_PATHS) == 30)

    def fills():
        return _attrs(dash_duo, DISTRICT_PATHS, "fill")

    def shapes():
        return _attrs(dash_duo, DISTRICT_PATHS, "d")

    before_fill, before_shape = fills(), shapes()
    radio = dash_duo.driver.find_element(By.CSS_SELECTOR, "input[type=radio][value=share_65plus]")
    radio.click()
    _wait(lambda: fills() != before_fill)
    assert shapes() == before_shape
    assert "Anteil 65" in dash_duo.find_element(".al-sidebar").text
    assert _query(dash_duo)["districts.variable"] == "share_65plus"


def test_hover_tooltip_and_click_facts(dash_duo, app):
    _start(dash_duo, app, "?lat=50.92982&lon=11.58792&z=15")
    _wait(lambda: _count(dash_duo, DISTRICT_PATHS) == 30)
    the_map = dash_duo.find_element("#map")
    ActionChains(dash_duo.driver).move_to_element(the_map).perform()
    dash_duo.wait_for_contains_text(".leaflet-tooltip", "Einwohnerdichte", timeout=10)
    assert "Jena-Zentrum" in dash_duo.find_element(".leaflet-tooltip").text
    ActionChains(dash_duo.driver).move_to_element(the_map).click().perform()
    dash_duo.wait_for_contains_text("#district-panel", "Einwohner", timeout=10)
    panel = dash_duo.find_element("#district-panel").text
    assert "Jena-Zentrum" in panel and "km²" in panel


def test_permalink_restores_the_view(dash_duo, app):
    _start(dash_duo, app, "?base=offline")
    # change the view: zoom in, switch the indicator, turn the grid on
    dash_duo.find_element(".leaflet-control-zoom-in").click()
    dash_duo.driver.find_element(By.CSS_SELECTOR, "input[type=radio][value=share_65plus]").click()
    _wait(lambda: _query(dash_duo).get("z") == "13" and "districts.variable" in _query(dash_duo))
    permalink = dash_duo.driver.current_url
    # a new browser session (no state besides the URL)
    dash_duo.driver.delete_all_cookies()
    dash_duo.driver.get("about:blank")
    dash_duo.driver.get(permalink)
    dash_duo.wait_for_element("#map", timeout=20)
    _wait(lambda: _count(dash_duo, DISTRICT_PATHS) == 30)
    wait_seen(dash_duo.driver, "#map", DISTRICT_PATHS)
    checked = dash_duo.driver.find_element(By.CSS_SELECTOR, "input[type=radio][value=share_65plus]")
    assert checked.is_selected()
    assert dash_duo.driver.find_element(
        By.CSS_SELECTOR, "input[type=radio][value=offline]"
    ).is_selected()
    assert not dash_duo.find_elements(".leaflet-tile-pane img")  # offline base: no tiles
    # the map really is at zoom 13: zooming out once reports 12
    dash_duo.find_element(".leaflet-control-zoom-out").click()
    _wait(lambda: _query(dash_duo).get("z") == "12")
    q = _query(dash_duo)
    assert q["districts.variable"] == "share_65plus" and q["base"] == "offline"


def test_screenshot_for_the_readme(dash_duo, app):
    _start(dash_duo, app, "?base=offline&lang=de")
    _wait(lambda: _count(dash_duo, DISTRICT_PATHS) == 30)
    ActionChains(dash_duo.driver).move_to_element(dash_duo.find_element("#map")).click().perform()
    dash_duo.wait_for_contains_text("#district-panel", "Einwohner", timeout=10)
    time.sleep(0.5)
    target = ROOT / "docs" / "screenshot.png"
    target.parent.mkdir(exist_ok=True)
    assert dash_duo.driver.save_screenshot(str(target))
    assert target.stat().st_size > 20_000
    # the phone view: the map first, the two drawer buttons above it
    set_viewport(dash_duo.driver, 390, 844)
    try:
        dash_duo.driver.get(dash_duo.server_url + "/?base=offline&lang=de")
        wait_seen(dash_duo.driver, "#map", DISTRICT_PATHS, timeout=20)
        time.sleep(0.5)
        phone = ROOT / "docs" / "screenshot-phone.png"
        assert dash_duo.driver.save_screenshot(str(phone))
        assert phone.stat().st_size > 10_000
    finally:
        reset_viewport(dash_duo.driver)


def _tap(driver, selector: str) -> None:
    """A finger's tap at the centre of the element (touch events, not a mouse click)."""
    x, y = driver.execute_script(
        "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return [r.left + r.width / 2, r.top + r.height / 2]",
        selector,
    )
    point = [{"x": x, "y": y, "radiusX": 5, "radiusY": 5, "force": 1, "id": 1}]
    driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": point})
    driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def _phone(dash_duo, app) -> None:
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    driver = dash_duo.driver
    set_viewport(driver, 390, 844)
    driver.get(dash_duo.server_url + "/?base=offline&lang=de")
    # the map comes first and takes most of the screen; the layer list waits in its drawer
    state = wait_seen(driver, "#map", DISTRICT_PATHS, timeout=30)
    assert state["height"] >= 0.55 * 844, state
    assert_not_seen(driver, "#layers-drawer")
    for button in ("#layers-drawer-toggle", "#panel-drawer-toggle"):
        box = wait_seen(driver, button)
        assert box["width"] >= 44 and box["height"] >= 44, f"{button} is not touch-sized: {box}"


def test_phone_layer_list_opens_by_touch_and_a_layer_shows_on_the_map(dash_duo, app):
    _phone(dash_duo, app)
    driver = dash_duo.driver
    try:
        driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True})
        _tap(driver, "#layers-drawer-toggle")
        wait_seen(driver, "#layers-drawer")
        expanded = driver.find_element(By.ID, "layers-drawer-toggle").get_attribute("aria-expanded")
        assert expanded == "true"
        # the map is still seen above the sheet (its upper part is not covered)
        assert driver.execute_script(
            "const m = document.querySelector('#map'); const r = m.getBoundingClientRect();"
            "const hit = document.elementFromPoint(r.left + r.width / 2, r.top + 60);"
            "return m.contains(hit)"
        )
        toggle = json.dumps(
            {"layer": "population-grid", "type": "layer-toggle"},
            sort_keys=True,
            separators=(",", ":"),
        )
        driver.execute_script(
            "document.getElementById(arguments[0]).scrollIntoView({block: 'center'})", toggle
        )
        _tap(driver, f"[id='{toggle}'] input")
        _wait(lambda: _count(dash_duo, GRID_IMAGES) == 1, 20)
        _tap(driver, "#layers-drawer .al-drawer-close")
        assert_not_seen(driver, "#layers-drawer")
        wait_seen(driver, "#map", GRID_IMAGES, timeout=20)
        assert "population-grid" in _query(dash_duo).get("layers", "")
    finally:
        driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})
        reset_viewport(driver)


def test_phone_layer_list_by_keyboard_keeps_the_focus_order(dash_duo, app):
    _phone(dash_duo, app)
    driver = dash_duo.driver

    def active() -> str:
        return str(
            driver.execute_script(
                "return document.activeElement.id || document.activeElement.tagName"
            )
        )

    try:
        body = driver.find_element(By.TAG_NAME, "body")
        body.click()
        for _ in range(40):  # skip link, header links, language links, then the toolbar
            ActionChains(driver).send_keys(Keys.TAB).perform()
            if active() == "layers-drawer-toggle":
                break
        assert active() == "layers-drawer-toggle"
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        wait_seen(driver, "#layers-drawer")
        _wait(lambda: active() == "layers-heading")  # the focus moved into the drawer
        # tab to the first layer switch in the drawer (the top-most layer: facilities)
        for _ in range(10):
            ActionChains(driver).send_keys(Keys.TAB).perform()
            if driver.execute_script(
                "const a = document.activeElement;"
                "return a.type === 'checkbox' && !!a.closest('#layers-drawer')"
            ):
                break
        ActionChains(driver).send_keys(Keys.SPACE).perform()
        _wait(lambda: _count(dash_duo, FACILITIES) > 10, 20)
        ActionChains(driver).send_keys(Keys.ESCAPE).perform()
        assert_not_seen(driver, "#layers-drawer")
        _wait(lambda: active() == "layers-drawer-toggle")  # the focus came back
        wait_seen(driver, "#map", FACILITIES, timeout=20)
        # the district panel opens the same way, and one drawer at a time
        ActionChains(driver).send_keys(Keys.TAB, Keys.ENTER).perform()
        wait_seen(driver, "#panel-drawer")
        assert_not_seen(driver, "#layers-drawer")
        assert look(driver, "#panel-drawer")["seen"]
    finally:
        reset_viewport(driver)


def test_layer_table_opens_over_the_map_and_the_page_does_not_grow(dash_duo, app):
    """At 1400 x 900 "Daten als Tabelle" opens as wide as the map, below the on-map legend,
    and the header stays where it is (the page does not scroll)."""
    _start(dash_duo, app, "?base=offline&layers=districts")
    driver = dash_duo.driver
    set_viewport(driver, 1400, 900)
    try:
        wait_seen(driver, "#map", DISTRICT_PATHS)
        summary = json.dumps(
            {"layer": "districts", "type": "layer-table-summary"},
            sort_keys=True,
            separators=(",", ":"),
        )
        driver.execute_script("document.getElementById(arguments[0]).click()", summary)
        body = json.dumps(
            {"layer": "districts", "type": "layer-table-body"},
            sort_keys=True,
            separators=(",", ":"),
        )
        table = wait_seen(driver, f"[id='{body}'] .ag-root-wrapper", ".ag-row", timeout=20)
        assert table["width"] >= 600, f"the table is squeezed: {table}"
        height, view = driver.execute_script(
            "return [document.documentElement.scrollHeight, window.innerHeight]"
        )
        assert height <= view, f"the page grew to {height} px in a {view} px window"
        wait_seen(driver, ".al-header h1")
        wait_seen(driver, ".al-map-legend [data-layer='districts']")
    finally:
        reset_viewport(driver)


def test_click_draws_no_focus_box_and_a_drag_leaves_one_tooltip(dash_duo, app):
    _start(dash_duo, app, "?base=offline&layers=districts&lat=50.92982&lon=11.58792&z=13")
    driver = dash_duo.driver
    set_viewport(driver, 1400, 900)
    try:
        the_map = dash_duo.find_element("#map")
        wait_seen(driver, "#map", DISTRICT_PATHS)
        ActionChains(driver).move_to_element(the_map).click().perform()
        dash_duo.wait_for_contains_text("#district-panel", "Einwohner", timeout=10)
        # the clicked shape has the focus, but a mouse click draws no focus rectangle
        tag, outline = driver.execute_script(
            "const a = document.activeElement; return [a.tagName, getComputedStyle(a).outlineStyle]"
        )
        assert tag.lower() != "path" or outline == "none", (tag, outline)
        # hover one district, drag the map across others: one tooltip at most stays
        ActionChains(driver).move_to_element_with_offset(the_map, 300, 300).perform()
        dash_duo.wait_for_element(".leaflet-tooltip", timeout=10)
        ActionChains(driver).move_to_element_with_offset(
            the_map, 300, 300
        ).click_and_hold().move_by_offset(150, 80).move_by_offset(50, 20).release().perform()
        ActionChains(driver).move_by_offset(100, 100).perform()
        time.sleep(0.5)
        assert _count(dash_duo, ".leaflet-tooltip") <= 1
    finally:
        reset_viewport(driver)


def test_embed_generator_previews_the_frame_it_generates(dash_duo, app):
    _start(dash_duo, app, "?base=offline&layers=districts")
    driver = dash_duo.driver
    set_viewport(driver, 1400, 900)
    try:
        summary = dash_duo.find_element("#embed-summary")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", summary)
        summary.click()
        driver.find_element(By.CSS_SELECTOR, "input[type=radio][value='900x650']").click()
        _wait(
            lambda: (
                'width="900" height="650"'
                in dash_duo.find_element("#embed-code").get_attribute("value")
            )
        )
        code = dash_duo.find_element("#embed-code").get_attribute("value")
        assert "/embed?" in code and "layers=districts" in code
        driver.execute_script(
            "document.getElementById('embed-preview-box').scrollIntoView({block: 'center'})"
        )
        box = wait_seen(driver, "#embed-preview-box", min_px=20)
        # the preview keeps the frame's proportions, scaled to the column
        assert abs(box["width"] / box["height"] - 900 / 650) < 0.05, box
        driver.switch_to.frame(driver.find_element(By.ID, "embed-preview"))
        try:
            wait_seen(driver, "#main .leaflet-container", ".leaflet-pane path", timeout=30)
        finally:
            driver.switch_to.default_content()
    finally:
        reset_viewport(driver)
