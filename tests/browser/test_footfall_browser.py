"""Footfall in the browser: heatmap playback frames, site markers, the charts page."""

from __future__ import annotations

import hashlib
import json
import time
import urllib.parse
import urllib.request

import pytest

from tests.browser.seen import assert_not_seen, wait_seen
from tests.browser.test_map_browser import _count, _wait

pytestmark = pytest.mark.browser

HEAT = ".leaflet-layer-footfall-heatmap-pane img"
SITES = ".leaflet-layer-footfall-sites-pane path"
CHARTS = ("footfall-profile-graph", "footfall-daily-graph", "footfall-yoy-graph")


def _traces(graph_id: str) -> str:
    """The drawn marks of one plotly chart: lines (path.js-line), bars (.point path), dots."""
    return f"#{graph_id} g.trace path, #{graph_id} g.trace .point"


def _charts_seen(driver) -> None:
    """Each of the three charts, scrolled into view, is seen with its lines or bars in it."""
    for graph_id in CHARTS:
        driver.execute_script(
            "document.getElementById(arguments[0]).scrollIntoView({block: 'center'})", graph_id
        )
        wait_seen(driver, f"#{graph_id}", _traces(graph_id), timeout=20)


def _srcs(dash_duo) -> list[str]:
    script = f"return Array.from(document.querySelectorAll('{HEAT}')).map(e => e.src)"
    return list(dash_duo.driver.execute_script(script))


def test_playback_shows_24_distinct_frames(dash_duo, app):
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    query = "?layers=footfall-heatmap,footfall-sites&base=offline&z=15&lat=50.9285&lon=11.5870"
    dash_duo.driver.get(dash_duo.server_url + "/" + query)
    _wait(lambda: _count(dash_duo, HEAT) == 1 and _count(dash_duo, SITES) == 13, 20)
    # the heatmap picture and the site markers are on the visible map, not just in the DOM
    wait_seen(dash_duo.driver, "#map", HEAT)
    wait_seen(dash_duo.driver, "#map", SITES)
    play = json.dumps({"layer": "footfall-heatmap", "type": "layer-play"}, separators=(",", ":"))
    dash_duo.driver.execute_script("document.getElementById(arguments[0]).click()", play)
    seen: list[str] = []
    end = time.time() + 40
    while time.time() < end:
        for src in _srcs(dash_duo):
            if src not in seen:
                seen.append(src)
        pressed = dash_duo.driver.execute_script(
            "return document.getElementById(arguments[0]).getAttribute('aria-pressed')", play
        )
        if len(seen) >= 25 and pressed == "false":
            break
        time.sleep(0.15)
    hours = [
        json.loads(urllib.parse.parse_qs(urllib.parse.urlparse(s).query)["p"][0])["hour"]
        for s in seen
    ]
    assert sorted(set(hours) - {-1}) == list(range(24)), hours
    # after playback the heatmap is still drawn on the visible map
    wait_seen(dash_duo.driver, "#map", HEAT)
    # 24 different pictures, not 24 names for one
    digests = set()
    for src in seen:
        if json.loads(urllib.parse.parse_qs(urllib.parse.urlparse(src).query)["p"][0])["hour"] >= 0:
            with urllib.request.urlopen(src) as resp:
                assert resp.status == 200 and resp.headers["Content-Type"] == "image/png"
                digests.add(hashlib.sha256(resp.read()).hexdigest())
    assert len(digests) == 24


def test_footfall_page_switches_site(dash_duo, app):
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    dash_duo.driver.get(dash_duo.server_url + "/fussverkehr?site=loebderstrasse")
    dash_duo.wait_for_element(".js-plotly-plot", timeout=20)
    _wait(lambda: "Löbderstraße" in dash_duo.find_element("#main").text, 20)
    # three charts and the forecast (switched off in tests: the page says so)
    assert len(dash_duo.find_elements(".js-plotly-plot")) == 4
    _charts_seen(dash_duo.driver)
    dash_duo.wait_for_contains_text("#forecast-card", "abgeschaltet", timeout=10)
    # no empty forecast chart is shown while there is no forecast
    assert_not_seen(dash_duo.driver, "#forecast-graph")
    dash_duo.driver.execute_script(
        "Array.from(document.querySelectorAll('input[type=radio]')).find(e => e.value === 'winzerla').click()"
    )
    _wait(lambda: "site=winzerla" in dash_duo.driver.current_url, 20)
    assert "Winzerla" in dash_duo.find_element("#main").text
    _charts_seen(dash_duo.driver)  # the new site's charts are drawn where one looks
