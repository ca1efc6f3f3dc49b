"""Heat in the browser: the vulnerability map restyles without geometry, the breakdown
panel, the district/grid switch, the surface overlay and the heat page."""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.seen import wait_seen
from tests.browser.test_map_browser import _attrs, _count, _wait

pytestmark = pytest.mark.browser

HVI_PATHS = ".leaflet-layer-heat-vulnerability-pane path"
SURFACE = ".leaflet-layer-heat-surface-pane img"
FACILITIES = ".leaflet-layer-facilities-pane .al-fac"
CHARTS = ("heat-groups-graph", "heat-conc-graph", "heat-trend-graph", "heat-outlook-graph")
RANK_GRID = "heat-rank-grid"

# Record every callback response body, to prove what a weight change sends.
RECORD = """
window.__bodies = [];
const original = window.fetch;
window.fetch = async function (...args) {
  const response = await original.apply(this, args);
  const url = String(args[0] && args[0].url ? args[0].url : args[0]);
  if (url.includes('_dash-update-component')) {
    response.clone().text().then(t => window.__bodies.push(t));
  }
  return response;
};
"""


def _param(layer: str, name: str) -> str:
    return json.dumps(
        {"layer": layer, "param": name, "type": "layer-param"},
        sort_keys=True,
        separators=(",", ":"),
    )


def _inside(dash_duo, dom_id: str, selector: str):
    """The first element matching ``selector`` inside the element with a (JSON) DOM id."""
    return dash_duo.driver.execute_script(
        "return document.getElementById(arguments[0]).querySelector(arguments[1])", dom_id, selector
    )


def _scroll_to(driver, dom_id: str) -> None:
    driver.execute_script(
        "document.getElementById(arguments[0]).scrollIntoView({block: 'center'})", dom_id
    )


def _chart_seen(driver, graph_id: str) -> None:
    """The plotly chart, scrolled into view, is seen with its lines, bars or dots in it."""
    _scroll_to(driver, graph_id)
    wait_seen(driver, f"#{graph_id}", f"#{graph_id} g.trace path, #{graph_id} g.trace .point")


def test_weight_change_restyles_without_geometry(dash_duo, app):
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    dash_duo.driver.get(
        dash_duo.server_url + "/?layers=heat-vulnerability,heat-surface,facilities&base=offline"
    )
    _wait(lambda: _count(dash_duo, HVI_PATHS) == 30, 30)
    _wait(lambda: _count(dash_duo, SURFACE) == 1 and _count(dash_duo, FACILITIES) > 50, 20)
    # all three layers are drawn inside the visible map
    for shapes in (HVI_PATHS, SURFACE, FACILITIES):
        wait_seen(dash_duo.driver, "#map", shapes)
    before = _attrs(dash_duo, HVI_PATHS, "fill")
    assert len(set(before)) >= 3  # several classes
    dash_duo.driver.execute_script(RECORD)
    handle = _inside(dash_duo, _param("heat-vulnerability", "w_exposure"), "[role=slider]")
    handle.click()
    for _ in range(4):  # 1 → 3 in steps of 0.5, by keyboard
        handle.send_keys(Keys.ARROW_RIGHT)
    _wait(lambda: _attrs(dash_duo, HVI_PATHS, "fill") != before, 15)
    _wait(lambda: dash_duo.driver.execute_script("return window.__bodies.length") > 0, 10)
    bodies = dash_duo.driver.execute_script("return window.__bodies")
    assert any('"hideout"' in b for b in bodies)
    assert not any('"coordinates"' in b for b in bodies), [b[:200] for b in bodies]
    assert max(len(b) for b in bodies) < 5000
    # dash-leaflet redraws the paths from the data it already holds: same count, new colours
    assert _count(dash_duo, HVI_PATHS) == 30
    wait_seen(dash_duo.driver, "#map", HVI_PATHS)
    legend_id = json.dumps(
        {"layer": "heat-vulnerability", "type": "layer-legend"}, separators=(",", ":")
    )
    legend_text = "return document.getElementById(arguments[0]).innerText"
    _wait(
        lambda: "Hitzebelastung 3,0" in dash_duo.driver.execute_script(legend_text, legend_id), 10
    )


def test_click_shows_breakdown_and_grid_switch(dash_duo, app):
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    dash_duo.driver.get(dash_duo.server_url + "/?layers=heat-vulnerability&base=offline&lang=en")
    _wait(lambda: _count(dash_duo, HVI_PATHS) == 30, 30)
    wait_seen(dash_duo.driver, "#map", HVI_PATHS)
    dash_duo.driver.execute_script(
        f"document.querySelectorAll('{HVI_PATHS}')[3].dispatchEvent(new MouseEvent('click', {{bubbles: true}}))"
    )
    dash_duo.wait_for_element("#hvi-breakdown", timeout=15)
    _scroll_to(dash_duo.driver, "hvi-breakdown")
    wait_seen(dash_duo.driver, "#hvi-breakdown", "#hvi-breakdown tbody tr")
    panel = dash_duo.find_element("#district-panel").text
    assert "Heat vulnerability" in panel and "Sum = index" in panel
    # switch to grid cells: geometry is rebuilt once, with one square per inhabited cell
    _inside(dash_duo, _param("heat-vulnerability", "level"), "input[value=grid]").click()
    _wait(lambda: _count(dash_duo, HVI_PATHS) > 1000, 30)
    wait_seen(dash_duo.driver, "#map", HVI_PATHS)


def test_heat_page_shows_charts_and_ranking(dash_duo, app):
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    dash_duo.driver.get(dash_duo.server_url + "/hitze")
    dash_duo.wait_for_text_to_equal("h2", "Hitze und Klimagerechtigkeit", timeout=20)
    _wait(lambda: _count(dash_duo, ".js-plotly-plot") >= 4, 20)
    for graph_id in CHARTS:
        _chart_seen(dash_duo.driver, graph_id)
    summary = dash_duo.find_element("#heat-trend-summary").text
    assert "pro Jahrzehnt" in summary and "1951" in summary
    _wait(lambda: _count(dash_duo, "#heat-rank-grid .ag-row") >= 10, 20)
    _scroll_to(dash_duo.driver, RANK_GRID)
    wait_seen(dash_duo.driver, f"#{RANK_GRID}", f"#{RANK_GRID} .ag-row")
    # choosing night air temperature redraws the justice charts
    radio = dash_duo.driver.find_element(By.ID, "heat-variable")
    radio.find_element(By.CSS_SELECTOR, "input[value=tair_night]").click()
    dash_duo.wait_for_contains_text(
        "#heat-groups-summary", "Lufttemperatur in der Nacht", timeout=15
    )
    for graph_id in CHARTS[:2]:  # the redrawn justice charts are seen
        _chart_seen(dash_duo.driver, graph_id)
