"""The three land-use layers (land use, constraints, plans and conflicts) in /embed, read-only:
in German and in English their shapes are seen in the map box, axe finds no violation (every
collapsible section open), each layer's table alternative has rows, the texts are in the
page's language, the legend swatches are drawn like the map draws the classes (plans
unfilled, soft conflicts dashed), and there is no drawing tool."""

from __future__ import annotations

import pytest

from layers import REGISTRY, tr
from layers.landuse.words import TEXTS
from tests.browser.seen import wait_seen
from tests.browser.test_a11y import _axe, _open, _report, _settle, axe_source  # noqa: F401
from tests.browser.test_map_browser import _count, _wait

pytestmark = pytest.mark.browser

IDS = ("landuse", "constraints", "conflicts")
LAYERS = {layer.id: layer for layer in REGISTRY if layer.id in IDS}
SHAPES = {i: f".leaflet-layer-{i}-pane path" for i in IDS}
OTHER = {"de": "en", "en": "de"}

# per land-use layer: the number of table rows in its grid, its legend labels
SECTION = """
const out = {};
for (const id of arguments[0]) {
  const h = document.getElementById('embed-' + id + '-heading');
  const s = h && h.closest('section');
  out[id] = s ? {
    heading: h.textContent,
    rows: s.querySelectorAll('.al-table .ag-center-cols-container .ag-row').length,
    captioned: !!s.querySelector('.al-table [role=group][aria-labelledby]'),
    legend: Array.from(s.querySelectorAll('.al-legend li')).map(li => li.textContent),
  } : null;
}
return out;
"""

# the computed style of the three swatches in the conflict layer's legend (explanation panel)
SWATCHES = """
const h = document.getElementById('embed-conflicts-heading');
return Array.from(h.closest('section').querySelectorAll('.al-legend li .al-swatch')).map(e => {
  const cs = getComputedStyle(e);
  return {bg: cs.backgroundColor, style: cs.borderTopStyle, width: parseFloat(cs.borderTopWidth),
          hidden: e.getAttribute('aria-hidden')};
});
"""


@pytest.mark.parametrize("lang", ["de", "en"])
def test_landuse_layers_in_the_embed(dash_duo, app, axe_source, lang):  # noqa: F811
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    driver = dash_duo.driver
    path = f"/embed?layers={','.join(IDS)}&base=offline&lang={lang}"
    _open(dash_duo, path, tuple((SHAPES[i], 1) for i in IDS))
    assert driver.execute_script("return document.documentElement.lang") == lang

    # each layer's shapes are seen inside the map box (not only in the DOM)
    for i in IDS:
        wait_seen(driver, "#main .leaflet-container", SHAPES[i], timeout=15)

    # read-only: no drawing tool, no editable shape
    assert _count(dash_duo, ".leaflet-draw") == 0
    assert _count(dash_duo, ".leaflet-draw-toolbar, .leaflet-editing-icon") == 0

    # the table alternative of every layer, open, with rows (ag-grid draws them once shown)
    driver.execute_script(
        "document.querySelectorAll('details:not([open]) > summary').forEach(s => s.click())"
    )
    _settle(dash_duo)
    _wait(
        lambda: all(s and s["rows"] > 0 for s in driver.execute_script(SECTION, IDS).values()), 30
    )
    sections = driver.execute_script(SECTION, IDS)
    for i in IDS:
        s = sections[i]
        assert s["captioned"], i
        assert s["heading"] == tr(LAYERS[i].title, lang), (i, s["heading"])
        assert s["legend"], i

    # texts in the page's language only
    text = driver.execute_script("return document.querySelector('#main').innerText")
    for key in ("legend.plan", "legend.soft", "legend.hard"):
        assert TEXTS[key][lang] in sections["conflicts"]["legend"]
        assert TEXTS[key][OTHER[lang]] not in text, key
    for i in IDS:
        assert tr(LAYERS[i].title, OTHER[lang]) not in text, i

    # the legend draws plans unfilled, soft conflicts dashed, hard ones with a thick border
    plan, soft, hard = driver.execute_script(SWATCHES)
    assert plan["bg"] in ("rgba(0, 0, 0, 0)", "transparent"), plan
    assert soft["style"] == "dashed" and hard["style"] == "solid", (soft, hard)
    assert hard["width"] > soft["width"] >= 1, (soft, hard)
    assert {plan["hidden"], soft["hidden"], hard["hidden"]} == {"true"}

    # every grid is drawn without being scrolled to (a scrolling grid out of view would stay
    # in ag-grid's "delay-render" state, header and cells hidden); a long one is paged, with
    # the pager in the page's language
    _wait(lambda: _count(dash_duo, ".ag-delay-render") == 0, 15)
    pagers = driver.execute_script(
        "return [...document.querySelectorAll('.ag-paging-panel:not(.ag-hidden)')]"
        ".map(p => p.innerText)"
    )
    assert pagers, "the constraints table (one row per zone) is paged"
    word = {"de": "Seite", "en": "Page"}[lang]
    assert all(word in p and {"de": "Page", "en": "Seite"}[lang] not in p for p in pagers)
    _settle(dash_duo)
    violations = _axe(dash_duo, axe_source)
    assert not violations, f"axe violations on {path}:\n{_report(violations)}"
