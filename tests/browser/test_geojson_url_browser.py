"""Layer GeoJSON by URL in the browser: switching a layer on answers the callback with an
address, not features; the browser fetches the GeoJSON there and the shapes are seen; a
restyle fetches nothing; the geometry switch fetches the other variant; a second visit takes
the GeoJSON from the browser's cache."""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.keys import Keys

from tests.browser.seen import wait_seen
from tests.browser.test_map_browser import _attrs, _count, _toggle, _wait

pytestmark = pytest.mark.browser

HVI = "heat-vulnerability"
HVI_PATHS = ".leaflet-layer-heat-vulnerability-pane path"

# every fetch: its address, and the body of callback responses
RECORD = """
window.__fetched = [];
window.__bodies = [];
const original = window.fetch;
window.fetch = async function (...args) {
  const url = String(args[0] && args[0].url ? args[0].url : args[0]);
  window.__fetched.push(url);
  const response = await original.apply(this, args);
  if (url.includes('_dash-update-component')) {
    response.clone().text().then(t => window.__bodies.push(t));
  }
  return response;
};
"""


def _geojson_fetches(driver) -> list[str]:
    """The GeoJSON addresses fetched, each once (the page prefetches what dash-leaflet then
    fetches from the browser's cache)."""
    urls = [u for u in driver.execute_script("return window.__fetched") if ".geojson" in u]
    return list(dict.fromkeys(urls))


def _param(name: str) -> str:
    return json.dumps(
        {"layer": HVI, "param": name, "type": "layer-param"}, sort_keys=True, separators=(",", ":")
    )


def test_toggle_fetches_geojson_by_url_and_restyle_fetches_nothing(dash_duo, app):
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    driver = dash_duo.driver
    driver.get(dash_duo.server_url + "/?base=offline&layers=districts")
    _wait(lambda: _count(dash_duo, ".leaflet-layer-districts-pane path") == 30, 30)
    driver.execute_script(RECORD)
    _toggle(dash_duo, HVI)
    _wait(lambda: _count(dash_duo, HVI_PATHS) == 30, 30)
    wait_seen(driver, "#map", HVI_PATHS)
    # the callback answered with the address; the features came by a fetch of their own
    fetched = _geojson_fetches(driver)
    assert len(fetched) == 1 and f"/layers/{HVI}.geojson?" in fetched[0], fetched
    assert "lang=de" in fetched[0] and "variant=district" in fetched[0] and "v=" in fetched[0]
    _wait(lambda: driver.execute_script("return window.__bodies.length") > 0, 10)
    bodies = driver.execute_script("return window.__bodies")
    toggle = [b for b in bodies if f"{HVI}.geojson?" in b]  # (Dash escapes "/" as "\\/")
    assert toggle and max(len(b) for b in toggle) < 3000, [b[:200] for b in bodies]
    assert not any('"features"' in b or '"coordinates"' in b for b in bodies)
    # a weight change recolours from the features the browser holds: no fetch, no geometry
    before = _attrs(dash_duo, HVI_PATHS, "fill")
    handle = driver.execute_script(
        "return document.getElementById(arguments[0]).querySelector('[role=slider]')",
        _param("w_exposure"),
    )
    handle.click()
    for _ in range(4):
        handle.send_keys(Keys.ARROW_RIGHT)
    _wait(lambda: _attrs(dash_duo, HVI_PATHS, "fill") != before, 15)
    assert len(_geojson_fetches(driver)) == 1
    # the geometry switch fetches the grid variant
    driver.execute_script(
        "document.getElementById(arguments[0]).querySelector('input[value=grid]').click()",
        _param("level"),
    )
    _wait(lambda: _count(dash_duo, HVI_PATHS) > 1000, 30)
    wait_seen(driver, "#map", HVI_PATHS)
    fetched = _geojson_fetches(driver)
    assert len(fetched) == 2 and "variant=grid" in fetched[1], fetched


def test_a_second_visit_takes_the_geojson_from_the_cache(dash_duo, app):
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    driver = dash_duo.driver
    address = dash_duo.server_url + f"/?base=offline&layers={HVI}"
    entries = (
        "return performance.getEntriesByType('resource')"
        ".filter(e => e.name.includes('.geojson'))"
        ".map(e => [e.name, e.transferSize, e.decodedBodySize])"
    )
    for visit in ("first", "second"):
        driver.get(address)
        _wait(lambda: _count(dash_duo, HVI_PATHS) == 30, 30)
        wait_seen(driver, "#map", HVI_PATHS)
        seen = driver.execute_script(entries)
        assert len({name for name, _, _ in seen}) == 1, (visit, seen)
        assert all(decoded > 10_000 for _, _, decoded in seen), (visit, seen)
        sent = sum(transfer for _, transfer, _ in seen)
        if visit == "first":  # over the network, once (a second fetch reads the cache)
            assert sent > 0 and sum(1 for _, t, _ in seen if t > 0) == 1, seen
        else:
            assert sent == 0, seen  # from the browser's cache (immutable, same v)
