"""Every page shows what it is for, at every common size (what a person sees).

For every page in the app's page list (``dashboard.callbacks.router.PAGE_LIST``) at a
desktop (1400 × 900), a tablet (768 × 1024) and a phone (390 × 844) viewport: the page's
main content — its map with district shapes inside it, or its first chart with drawn
traces, or its first table with rows — is *seen* (``tests/browser/seen.py``), and nothing
scrolls sideways. ``/embed`` is also framed by a page on an allowed second origin in
iframes of 320 × 480, 900 × 650 and 1600 × 1000.

A screenshot of every page at every size is written to ``test-output/screenshots/`` (or
``$ALLMENDE_SCREENSHOTS``); the test run names the folder at its end.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from tests.browser.seen import look, no_sideways_scroll, reset_viewport, set_viewport, wait_seen
from tests.browser.test_embed_browser import _free_port, _Parent

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("ALLMENDE_SCREENSHOTS", ROOT / "test-output" / "screenshots"))
SIZES = {"desktop": (1400, 900), "tablet": (768, 1024), "phone": (390, 844)}
FRAMES = ((320, 480), (900, 650), (1600, 1000))

# What each kind of main content must show inside its box
MAP_SHAPES = ".leaflet-overlay-pane path, .leaflet-pane path, .leaflet-pane img.leaflet-image-layer, .leaflet-marker-icon"
CHART_SHAPES = ".js-plotly-plot g.trace path, .js-plotly-plot g.trace .point"
TABLE_ROWS = ".ag-row, tbody tr"
QUERIES = {
    "/": "?layers=districts&base=offline",
    "/embed": "?layers=districts,heat-vulnerability&base=offline",
}


def main_content(driver) -> tuple[str, str]:
    """The selector of the page's main content and of what must be drawn inside it."""
    kind = driver.execute_script(
        """
        const m = document.querySelector('[data-al-main]');
        if (m) { return m.querySelector('.leaflet-container') ? 'map' :
                        m.querySelector('.js-plotly-plot') ? 'chart' : 'table'; }
        if (document.querySelector('#main .leaflet-container')) { return 'map'; }
        if (document.querySelector('#main .js-plotly-plot')) { return 'chart'; }
        return 'table';
        """
    )
    if kind == "map":
        return "#main .leaflet-container", MAP_SHAPES
    if kind == "chart":
        return "#main .js-plotly-plot", CHART_SHAPES
    return "#main .ag-root-wrapper, #main table", TABLE_ROWS


def _shot(driver, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def test_every_page_shows_its_main_content_at_every_size(dash_duo, app):
    from dashboard.callbacks.router import PAGE_LIST

    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    driver = dash_duo.driver
    failures: list[str] = []
    try:
        for size, (w, h) in SIZES.items():
            set_viewport(driver, w, h)
            for page in PAGE_LIST:
                driver.get(
                    dash_duo.server_url + page.path + QUERIES.get(page.path, "?base=offline")
                )
                dash_duo.wait_for_element("#main", timeout=30)
                name = (page.path.strip("/") or "map") + f"-{size}-{w}x{h}"
                try:
                    # wait for the content to be built (charts and maps arrive after #main)
                    dash_duo.wait_for_element(
                        "#main .leaflet-container, #main .js-plotly-plot, #main .ag-root-wrapper",
                        timeout=30,
                    )
                    selector, shapes = main_content(driver)
                    if not selector.startswith("#main .leaflet"):
                        # a chart or table page may open with text: the person scrolls to it
                        driver.execute_script(
                            "document.querySelector(arguments[0]).scrollIntoView({block: 'start'})",
                            selector,
                        )
                    wait_seen(driver, selector, shapes, timeout=25)
                    width, view = no_sideways_scroll(driver)
                    if width > view:
                        failures.append(f"{name}: scrolls sideways ({width} > {view} px)")
                except AssertionError as err:
                    failures.append(f"{name}: {err}"[:400])
                finally:
                    _shot(driver, name)
    finally:
        reset_viewport(driver)
    assert not failures, "\n".join(failures)


def test_embed_shows_the_map_inside_iframes_of_three_sizes(dash_duo, demo_ctx):
    from dashboard.app import create_app
    from dashboard.context import AppContext

    port = _free_port()
    origin = f"http://127.0.0.1:{port}"
    settings = replace(demo_ctx.settings, embed_origins=(origin,))
    ctx = AppContext(settings, demo_ctx.pack, forecasts=demo_ctx.forecasts)
    dash_duo.start_server(
        create_app(settings, context=ctx), use_reloader=False, dev_tools_hot_reload=False
    )
    src = f"{dash_duo.server_url}/embed?layers=districts,heat-vulnerability&base=offline&lang=de"
    driver = dash_duo.driver
    set_viewport(driver, 1700, 1100)
    failures: list[str] = []
    # one parent site (one allowed origin) frames the embed at each size on a path of its own
    parent = _Parent(src, port)
    try:
        for w, h in FRAMES:
            driver.switch_to.default_content()
            driver.get(f"{origin}/frame-{w}x{h}")
            frame = driver.find_element("id", "atlas")
            driver.switch_to.frame(frame)
            name = f"embed-iframe-{w}x{h}"
            try:
                inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
                assert inner == [w, h], f"the frame is {inner[0]} x {inner[1]}, not {w} x {h}"
                state = wait_seen(driver, "#main .leaflet-container", MAP_SHAPES, timeout=30)
                # the settled layout counts (the frame may still be laying out its header)
                end = time.time() + 10
                while state["height"] < h * 0.55 and time.time() < end:
                    time.sleep(0.3)
                    state = look(driver, "#main .leaflet-container", MAP_SHAPES)
                # the map takes the frame's height minus a slim header, at least 300 px
                assert state["height"] >= min(300, h - 180), f"map only {state['height']} px tall"
                assert state["height"] >= h * 0.55, f"map {state['height']} of {h} px"
                width, view = no_sideways_scroll(driver)
                assert width <= view, f"scrolls sideways ({width} > {view} px)"
            except AssertionError as err:
                failures.append(f"{name}: {err}"[:400])
            finally:
                driver.switch_to.default_content()
                _shot(driver, name)
    finally:
        parent.close()
        reset_viewport(driver)
    assert not failures, "\n".join(failures)


def test_seen_helper_tells_a_zero_height_map_from_a_seen_one(dash_duo, app):
    """The helper itself: a map squeezed to 0 px (today's bug) is not seen, the same map at
    its height is, and a map covered by another element is not."""
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    driver = dash_duo.driver
    set_viewport(driver, 1400, 900)
    try:
        driver.get(dash_duo.server_url + "/?layers=districts&base=offline")
        wait_seen(driver, "#map", MAP_SHAPES, timeout=30)
        driver.execute_script("document.querySelector('#map').style.height = '0px'")
        assert look(driver, "#map", MAP_SHAPES)["reason"] == "height 0"
        driver.execute_script("document.querySelector('#map').style.height = ''")
        wait_seen(driver, "#map", MAP_SHAPES, timeout=10)
        driver.execute_script(
            "const d = document.createElement('div'); d.id = 'cover';"
            "d.style = 'position:fixed;inset:0;background:#fff;z-index:99999';"
            "document.body.appendChild(d);"
        )
        assert look(driver, "#map", MAP_SHAPES)["reason"].startswith("covered by div#cover")
    finally:
        reset_viewport(driver)
