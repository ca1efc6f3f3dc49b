"""Land-use conflicts in the browser: the conflicts table linked both ways with the map.

A click on a plan in the map opens its panel, outlines it and (once the table is open) has
its row selected; a row chosen in the table flies the map to that plan, outlines it and
opens its panel with each conflict's explanation.
"""

from __future__ import annotations

import json
import time

import geopandas as gpd
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from tests.browser.seen import wait_seen
from tests.browser.test_a11y import _axe, _report, _settle, axe_source  # noqa: F401
from tests.browser.test_map_browser import _count, _query, _wait

pytestmark = pytest.mark.browser

CONFLICT_PATHS = ".leaflet-layer-conflicts-pane path"
HIGHLIGHT = ".leaflet-highlight-pane path"
SUMMARY = json.dumps({"layer": "conflicts", "type": "layer-table-summary"}, separators=(",", ":"))

# the visible box of the largest black plan outline inside the map, relative to the map
PLAN_BOX = """
const m = document.getElementById('map').getBoundingClientRect();
const boxes = [...document.querySelectorAll(arguments[0])]
  .filter(p => p.getAttribute('stroke') === '#000000')
  .map(p => p.getBoundingClientRect())
  .filter(b => b.width > 10 && b.top > m.top && b.bottom < m.bottom);
boxes.sort((a, b) => b.width * b.height - a.width * a.height);
const b = boxes[0];
return b ? [b.left + b.width / 2 - m.left, b.top + b.height / 2 - m.top] : null;
"""


# whether the selected plan's outline is in the map's box with nothing over its centre
UNCOVERED = """
const m = document.getElementById('map').getBoundingClientRect();
const b = [...document.querySelectorAll(arguments[0])].map(p => p.getBoundingClientRect())
  .filter(r => r.width > 0)[0];
if (!b) { return false; }
const x = b.left + b.width / 2, y = b.top + b.height / 2;
if (x < m.left || x > m.right || y < m.top || y > m.bottom) { return false; }
const hit = document.elementFromPoint(x, y);
return !!hit && !!hit.closest('#map');
"""


@pytest.fixture(scope="module")
def plans(demo_pack_dir):
    frame = gpd.read_file(demo_pack_dir / "plans.geojson")
    points = frame.to_crs(frame.estimate_utm_crs()).representative_point().to_crs("EPSG:4326")
    return frame.assign(lat=points.y, lon=points.x)


def _selected(driver) -> list[str]:
    return driver.execute_script(
        "return [...document.querySelectorAll('.ag-center-cols-container .ag-row-selected')]"
        ".map(r => r.innerText.split('\\n')[0])"
    )


def _choose_row(driver, name: str) -> None:
    """Click a cell of the plan's row; its row is selected and its panel opens."""
    row = driver.execute_script(
        "return [...document.querySelectorAll('.ag-center-cols-container .ag-row')]"
        ".find(r => r.innerText.startsWith(arguments[0]))",
        name,
    )
    row.find_elements(By.CSS_SELECTOR, ".ag-cell")[1].click()
    _wait(lambda: _selected(driver) == [name])
    _wait(lambda: name in driver.find_element(By.ID, "district-panel").text)


def test_plan_click_and_table_row_are_linked(dash_duo, app, plans):
    driver = dash_duo.driver
    quiet = plans[plans["name"] == "Wohnpark Kippendorfer Weg"].iloc[0]
    target = plans[plans["name"] == "Inselplatz"].iloc[0]
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    # the plan a little above the map's centre, clear of the table that opens below
    query = f"?layers=conflicts&base=offline&lang=de&z=16&lat={quote_lat(quote=quiet)}"
    driver.get(dash_duo.server_url + "/" + query + f"&lon={quiet['lon']:.5f}")
    wait_seen(driver, "#map", CONFLICT_PATHS, timeout=20)

    # a click on the plan: its panel, its outline
    _wait(lambda: driver.execute_script(PLAN_BOX, CONFLICT_PATHS) is not None, 10)
    x, y = driver.execute_script(PLAN_BOX, CONFLICT_PATHS)
    ActionChains(driver).move_to_element_with_offset(
        driver.find_element(By.ID, "map"), int(x), int(y)
    ).click().perform()
    _wait(lambda: quiet["name"] in driver.find_element(By.ID, "district-panel").text)
    _wait(lambda: _count(dash_duo, HIGHLIGHT) >= 2)  # the outline over its white halo
    wait_seen(driver, "#map", HIGHLIGHT)

    # the table opened afterwards starts with that plan's row selected
    driver.execute_script("document.getElementById(arguments[0]).click()", SUMMARY)
    _wait(lambda: _count(dash_duo, ".ag-center-cols-container .ag-row") == len(plans), 15)
    _wait(lambda: _selected(driver) == [quiet["name"]])

    # a row chosen in the table: the map flies there, outlines it, the panel explains
    before = _query(dash_duo)
    _choose_row(driver, target["name"])
    panel = driver.find_element(By.ID, "district-panel").text
    assert "Grundlage" in panel  # each conflict with its reference …
    assert "hart" in panel  # … and its verdict (Inselplatz lies in hard conflicts)

    def moved() -> bool:
        q = _query(dash_duo)
        return q.get("lat") != before.get("lat") and abs(float(q["lat"]) - target["lat"]) < 0.01

    _wait(moved, 10)
    q = _query(dash_duo)
    assert abs(float(q["lon"]) - target["lon"]) < 0.01
    assert float(q["z"]) >= 14  # zoomed to the plan, not the city
    _wait(lambda: _count(dash_duo, HIGHLIGHT) >= 2)
    # the outline is where a person looks: inside the map's box, not under the open table
    _wait(lambda: driver.execute_script(UNCOVERED, HIGHLIGHT), 10)


def quote_lat(quote) -> str:
    """The map centre's latitude that puts the plan about 150 px above the centre at z 16."""
    return f"{quote['lat'] - 0.002:.5f}"


def _draw_square(driver, half: int = 60) -> None:
    """Draw a square polygon around the map's centre with the drawing tool (five clicks,
    the last on the first point closes it)."""
    driver.find_element(By.CSS_SELECTOR, ".leaflet-draw-draw-polygon").click()
    the_map = driver.find_element(By.ID, "map")
    w, h = the_map.rect["width"] / 2, the_map.rect["height"] / 2
    corners = [(-half, -half), (half, -half), (half, half), (-half, half), (-half, -half)]
    for dx, dy in corners:
        ActionChains(driver).move_to_element_with_offset(
            the_map, int(w + dx), int(h + dy)
        ).click().perform()
        time.sleep(0.3)


def test_draw_a_plan_assess_it_and_pick_a_row(dash_duo, app, plans, axe_source):  # noqa: F811
    """Draw a polygon on the map, see its assessment (conflicts, sealing, residents) and its
    conflict areas on the map, change its use, find it again after a reload; then choose a
    row of the conflicts table and see that plan outlined."""
    driver = dash_duo.driver
    target = plans[plans["name"] == "Inselplatz"].iloc[0]  # in a ventilation corridor's core
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    query = f"?layers=conflicts&base=offline&lang=de&z=16&lat={target['lat']:.5f}"
    driver.get(dash_duo.server_url + "/" + query + f"&lon={target['lon']:.5f}")
    wait_seen(driver, "#map", CONFLICT_PATHS, timeout=20)
    names = driver.execute_script(
        "return [...document.querySelectorAll('.leaflet-draw-toolbar a')]"
        ".map(a => a.getAttribute('aria-label'))"
    )
    assert "Fläche zeichnen" in names  # the tool speaks German on a German page

    _draw_square(driver)
    _wait(lambda: "Vorhaben 1" in driver.find_element(By.ID, "draw-list").text, 15)
    result = driver.find_element(By.ID, "draw-result").text
    assert "Bebauung im Kern einer Luftleitbahn" in result and "hart" in result
    for label in ("Konfliktfläche", "Neu versiegelt", "Betroffene der heißesten Klasse"):
        assert label in result, label
    # its conflict areas are drawn on the map, hard ones dark with a thick border
    wait_seen(driver, "#map", ".leaflet-drawn-conflicts-pane path")

    # a green use builds nothing: no sealing added, the verdict changes with the rules
    driver.execute_script(
        "[...document.querySelectorAll('#draw-use label')]"
        ".find(l => l.innerText.trim() === arguments[0]).querySelector('input').click()",
        "Grünfläche",
    )
    _wait(lambda: "Grünfläche" in driver.find_element(By.ID, "draw-list").text, 10)
    assert "Neu versiegelt 0,00 ha" in driver.find_element(By.ID, "draw-result").text
    # the form, the list, the assessment and the drawing tool pass axe
    _settle(dash_duo)
    violations = _axe(dash_duo, axe_source)
    assert not violations, _report(violations)

    # the session keeps the plan: after a reload it is listed and in the tool again
    driver.refresh()
    _wait(lambda: "Vorhaben 1" in driver.find_element(By.ID, "draw-list").text, 20)
    assert "Grünfläche" in driver.find_element(By.ID, "draw-list").text

    # the conflicts table: a row chosen outlines that plan on the map
    driver.execute_script("document.getElementById(arguments[0]).click()", SUMMARY)
    _wait(lambda: _count(dash_duo, ".ag-center-cols-container .ag-row") == len(plans), 15)
    other = plans[plans["name"] == "Maua West"].iloc[0]
    _choose_row(driver, other["name"])
    _wait(lambda: driver.execute_script(UNCOVERED, HIGHLIGHT), 10)
