"""The scenario page in the browser: build a scenario, see the KPIs change, compare side by
side (maps in step), swiped and as a difference, reload the permalink to the same view; the
maps are seen at phone, tablet and desktop sizes; axe finds nothing."""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.seen import (
    assert_not_seen,
    no_sideways_scroll,
    reset_viewport,
    set_viewport,
    wait_seen,
)
from tests.browser.test_a11y import _axe, _report, _settle, axe_source  # noqa: F401
from tests.browser.test_map_browser import _wait

pytestmark = pytest.mark.browser

IMG_A = ".leaflet-scn-a-pane img.leaflet-image-layer"
IMG_B = ".leaflet-scn-b-pane img.leaflet-image-layer"
IMG_UNDER = ".leaflet-scn-under-pane img.leaflet-image-layer"
IMG_DIFF = ".leaflet-scn-diff-pane img.leaflet-image-layer"
OUTLINES = ".leaflet-scn-outline-pane path"


def _kpi(driver: Any, kpi: str) -> list[str]:
    """The KPI table's row: name, unit, A, B, change, direction, model error."""
    return list(
        driver.execute_script(
            "const r = document.querySelector(`#scn-kpi-table tr[data-kpi='${arguments[0]}']`);"
            "return r ? [...r.children].map(c => c.innerText) : [];",
            kpi,
        )
    )


def _loaded(driver: Any, selector: str) -> bool:
    """The image overlay has loaded a picture (not an empty address)."""
    return bool(
        driver.execute_script(
            "const i = document.querySelector(arguments[0]);"
            "return !!i && i.complete && i.naturalWidth > 0 && i.src.indexOf('/scenario/') > 0;",
            selector,
        )
    )


def _centre(driver: Any, map_id: str) -> list[float]:
    return list(
        driver.execute_script(
            "const m = window.allmende.maps[arguments[0]]; const c = m.getCenter();"
            "return [c.lat, c.lng, m.getZoom()];",
            map_id,
        )
    )


def _same(one: list[float], other: list[float]) -> bool:
    """The same view: the same zoom, centres within 1e-4° (a few metres: Leaflet puts a
    centre on a whole screen pixel, and two maps of different widths round differently)."""
    return abs(one[0] - other[0]) < 1e-4 and abs(one[1] - other[1]) < 1e-4 and one[2] == other[2]


def _choose_district(driver: Any, name: str) -> None:
    box = driver.find_element(By.CSS_SELECTOR, f"#scn-districts input[value='{name}']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.click()


def test_build_compare_and_reload_the_permalink(dash_duo, app) -> None:
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    driver = dash_duo.driver
    set_viewport(driver, 1400, 900)
    try:
        driver.get(dash_duo.server_url + "/szenario?lang=de&base=offline")
        dash_duo.wait_for_contains_text("#scn-status", "keine physikalische Simulation", 60)
        _wait(lambda: _kpi(driver, "hot_all")[4:6] == ["±0", "unverändert"], 30)
        # build: +10 points of canopy in Neulobeda, added to B
        _choose_district(driver, "Neulobeda")
        driver.find_element(By.ID, "scn-add").click()
        dash_duo.wait_for_contains_text("#scn-list", "Baumkronen +10 Pp.: Neulobeda", 30)
        # the KPI cards change: fewer residents in the hottest class, cooler, with the error
        _wait(lambda: _kpi(driver, "hot_all")[4].startswith("−"), 30)
        row = _kpi(driver, "hot_all")
        assert row[5] == "besser" and int(row[3].replace(".", "")) < int(row[2].replace(".", ""))
        card = driver.find_element(By.ID, "scn-kpis-lst_change_mean").text
        assert "▼" in card and "Modellfehler ± 0,76 K" in card and "besser" in card
        # side by side: both maps are seen with their picture, and they move together
        wait_seen(driver, "#scn-map-a", shapes=IMG_A)
        wait_seen(driver, "#scn-map-b", shapes=IMG_B)
        _wait(lambda: _loaded(driver, IMG_A) and _loaded(driver, IMG_B), 30)
        wait_seen(driver, "#scn-map-b", shapes=OUTLINES)
        before = _centre(driver, "scn-map-b")
        ActionChains(driver).drag_and_drop_by_offset(
            driver.find_element(By.ID, "scn-map-a"), -120, 80
        ).perform()
        _wait(lambda: _centre(driver, "scn-map-a")[:2] != before[:2], 10)
        _wait(lambda: _same(_centre(driver, "scn-map-b"), _centre(driver, "scn-map-a")), 10)
        driver.find_element(By.ID, "scn-map-b").click()
        driver.find_element(By.ID, "scn-map-b").send_keys("+")  # Leaflet's keyboard zoom
        _wait(lambda: _centre(driver, "scn-map-b")[2] > before[2], 10)
        _wait(lambda: _same(_centre(driver, "scn-map-a"), _centre(driver, "scn-map-b")), 10)
        # swipe: one map, A beneath, B cut at the divider; the divider moves by keyboard
        driver.find_element(By.CSS_SELECTOR, "#scn-mode input[value='swipe']").click()
        _wait(
            lambda: "al-mode-swipe" in driver.find_element(By.ID, "scn-maps").get_attribute("class")
        )
        assert_not_seen(driver, "#scn-map-a")
        wait_seen(driver, "#scn-map-b", shapes=IMG_UNDER)
        wait_seen(driver, "#scn-swipe")
        clip = driver.execute_script(
            "return window.allmende.maps['scn-map-b'].getPane('scn-b').style.clip"
        )
        assert clip.startswith("rect(")
        driver.find_element(By.ID, "scn-swipe").send_keys(Keys.END)
        _wait(
            lambda: (
                driver.execute_script(
                    "return window.allmende.maps['scn-map-b'].getPane('scn-b').style.clip"
                )
                != clip
            ),
            10,
        )
        # difference: B − A on the diverging scale with its legend; temperatures' legend gone
        driver.find_element(By.CSS_SELECTOR, "#scn-mode input[value='diff']").click()
        wait_seen(driver, "#scn-map-b", shapes=IMG_DIFF)
        _wait(lambda: _loaded(driver, IMG_DIFF), 30)
        assert_not_seen(driver, IMG_B)
        wait_seen(driver, ".al-scn-legend-diff", min_px=10)
        assert_not_seen(driver, ".al-scn-legend-lst")
        assert "kühler" in driver.find_element(By.CSS_SELECTOR, ".al-scn-legend-diff").text
        cells = driver.find_element(By.ID, "scn-cells").text
        assert "Rasterzellen" in cells and "kühlste Änderung −" in cells
        # the permalink, in a fresh session: the same scenarios, view and figures
        _wait(lambda: "cmp=diff" in driver.current_url, 10)
        view = _centre(driver, "scn-map-b")
        _wait(lambda: f"z={view[2]:g}" in driver.current_url, 10)  # the maps' view too
        link, row = driver.current_url, _kpi(driver, "hot_all")
        driver.execute_script("sessionStorage.clear()")
        driver.get("about:blank")
        driver.get(link)
        dash_duo.wait_for_contains_text("#scn-list", "Baumkronen +10 Pp.: Neulobeda", 60)
        _wait(lambda: _kpi(driver, "hot_all") == row, 30)
        assert "al-mode-diff" in driver.find_element(By.ID, "scn-maps").get_attribute("class")
        assert driver.find_element(By.CSS_SELECTOR, "#scn-mode input[value='diff']").is_selected()
        assert _same(_centre(driver, "scn-map-b"), view)
        wait_seen(driver, "#scn-map-b", shapes=IMG_DIFF)
        # the map page, same session: the scenario's difference over the map, with its scale
        driver.get(dash_duo.server_url + "/?lang=de&base=offline&layers=districts")
        box = driver.find_element(By.CSS_SELECTOR, "#scn-on-map input")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
        box.click()
        on_map = ".leaflet-scn-on-map-pane img.leaflet-image-layer"
        _wait(lambda: _loaded(driver, on_map), 30)
        wait_seen(driver, "#map", shapes=on_map)
        assert "kühler" in driver.find_element(By.ID, "scn-on-map-legend").text
        assert (
            "„Neues Szenario“ gegen „Ausgangslage“"
            in driver.find_element(By.ID, "scn-on-map-note").text
        )
    finally:
        reset_viewport(driver)


SIZES = {"phone": (390, 844), "tablet": (768, 1024), "desktop": (1400, 900)}


def test_the_maps_are_seen_at_every_size_and_axe_finds_nothing(dash_duo, app, axe_source):  # noqa: F811
    from dashboard import scenario_state as ss

    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    driver = dash_duo.driver
    state = ss.default_state()
    state["b"]["interventions"] = [{"kind": "canopy", "districts": ["Winzerla"], "percent": 20}]
    args = ss.link_args(ss.clean_state(state), "side")
    assert args is not None
    query = "&".join(f"{k}={v}" for k, v in args)
    found: dict[str, Any] = {}
    try:
        for size, (width, height) in SIZES.items():
            set_viewport(driver, width, height)
            for lang in ("de", "en"):
                driver.get(f"{dash_duo.server_url}/szenario?lang={lang}&base=offline&{query}")
                dash_duo.wait_for_contains_text("#scn-list", "Winzerla", 60)
                _wait(lambda: _loaded(driver, IMG_A) and _loaded(driver, IMG_B), 30)
                for map_id, shapes in (("scn-map-a", IMG_A), ("scn-map-b", IMG_B)):
                    driver.execute_script(
                        "document.getElementById(arguments[0]).scrollIntoView({block: 'center'})",
                        map_id,
                    )
                    wait_seen(driver, f"#{map_id}", shapes=shapes)
                page, view = no_sideways_scroll(driver)
                assert page <= view, f"{size} {lang}: the page is {page} px wide in {view} px"
                if size == "phone":  # every page at every size in German: test_a11y's sweep
                    _settle(dash_duo)
                    found[f"{size} {lang}"] = _axe(dash_duo, axe_source)
    finally:
        reset_viewport(driver)
    message = "\n".join(f"== {k}\n{_report(v)}" for k, v in found.items() if v)
    assert not any(found.values()), f"axe violations on the scenario page:\n{message}"
