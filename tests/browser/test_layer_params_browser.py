"""Layer controls in the browser: a typo in "Eigene Grenzen" stops nothing, the panel follows
the weights, and the play button says "Anhalten" while it plays."""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.keys import Keys

from tests.browser.test_map_browser import _count, _toggle, _wait

pytestmark = pytest.mark.browser

HVI = "heat-vulnerability"
HVI_PATHS = ".leaflet-layer-heat-vulnerability-pane path"


def _dom(kind: str, layer: str, param: str | None = None) -> str:
    component = {"type": kind, "layer": layer}
    if param is not None:
        component["param"] = param
    return json.dumps(component, sort_keys=True, separators=(",", ":"))


def _text(dash_duo, dom_id: str) -> str:
    return str(
        dash_duo.driver.execute_script(
            "const e = document.getElementById(arguments[0]); return e ? e.innerText : null",
            dom_id,
        )
    )


def _inside(dash_duo, dom_id: str, selector: str):
    return dash_duo.driver.execute_script(
        "return document.getElementById(arguments[0]).querySelector(arguments[1])", dom_id, selector
    )


def _open(dash_duo, app, query: str) -> None:
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    dash_duo.driver.get(dash_duo.server_url + "/" + query)
    dash_duo.wait_for_element("#map", timeout=20)


def test_bad_breaks_leave_the_layer_working(dash_duo, app):
    _open(dash_duo, app, f"?layers={HVI}&base=offline")
    _wait(lambda: _count(dash_duo, HVI_PATHS) == 30, 30)
    legend, message = _dom("layer-legend", HVI), _dom("layer-param-msg", HVI, "breaks")
    field = dash_duo.driver.execute_script(
        "return document.getElementById(arguments[0])", _dom("layer-param", HVI, "breaks")
    )
    field.send_keys("abc", Keys.ENTER)  # with "Quantile" selected: the field is not used
    _wait(lambda: "abc" in (field.get_attribute("value") or ""), 5)
    _wait(lambda: _text(dash_duo, message) == "", 5)
    assert "Hitze-Verwundbarkeit" in _text(dash_duo, legend)
    # choose the custom method: a German message beside the field, the legend stays
    _inside(dash_duo, _dom("layer-param", HVI, "scheme"), "input[value=user_defined]").click()
    _wait(lambda: "»abc« ist keine Zahl" in _text(dash_duo, message), 15)
    assert "Hitze-Verwundbarkeit" in _text(dash_duo, legend)
    assert "parameter" not in _text(dash_duo, legend) and not dash_duo.find_elements(".al-error")
    role = dash_duo.driver.execute_script(
        "return document.getElementById(arguments[0]).getAttribute('role')", message
    )
    assert role == "alert"
    # every other control still works: switch to grid cells
    _inside(dash_duo, _dom("layer-param", HVI, "level"), "input[value=grid]").click()
    _wait(lambda: _count(dash_duo, HVI_PATHS) > 1000, 30)
    # good breaks: the message goes away and the legend has their classes
    field.clear()
    field.send_keys("-0,5; 0; 0,5", Keys.ENTER)
    _wait(lambda: _text(dash_duo, message) == "", 15)
    _wait(lambda: "0,50" in _text(dash_duo, legend), 15)


def test_panel_follows_a_weight_change(dash_duo, app):
    _open(dash_duo, app, f"?layers={HVI}&base=offline")
    _wait(lambda: _count(dash_duo, HVI_PATHS) == 30, 30)
    dash_duo.driver.execute_script(
        f"document.querySelectorAll('{HVI_PATHS}')[3]"
        ".dispatchEvent(new MouseEvent('click', {bubbles: true}))"
    )
    dash_duo.wait_for_element("#hvi-breakdown", timeout=15)
    before = dash_duo.find_element("#hvi-index").text
    handle = _inside(dash_duo, _dom("layer-param", HVI, "w_exposure"), "[role=slider]")
    handle.click()
    for _ in range(4):  # 1 → 3
        handle.send_keys(Keys.ARROW_RIGHT)
    _wait(lambda: dash_duo.find_element("#hvi-index").text != before, 15)
    _wait(lambda: "3,0" in dash_duo.find_element("#hvi-breakdown").text, 10)


def test_play_button_says_pause_while_playing(dash_duo, app):
    _open(dash_duo, app, "?base=offline")
    _toggle(dash_duo, "footfall-heatmap")
    find = "return document.getElementById(arguments[0])"
    play = _dom("layer-play", "footfall-heatmap")
    _wait(lambda: dash_duo.driver.execute_script(find, play) is not None, 20)
    button = dash_duo.driver.execute_script(find, play)
    assert button.text == "▶ Tag abspielen" and button.get_attribute("aria-pressed") == "false"
    button.click()
    _wait(lambda: button.text == "⏸ Anhalten", 10)
    assert button.get_attribute("aria-pressed") == "true"
    button.click()
    _wait(lambda: button.text == "▶ Tag abspielen", 10)
    assert button.get_attribute("aria-pressed") == "false"
