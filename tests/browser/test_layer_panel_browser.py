"""The layer panel in the browser: each theme heading once, the layers under their theme.

Before themes were explicit the panel followed the drawing order and showed "Hitze" three
times; now it lists the themes in order, each once, with the layers in their old relative
order within a theme.
"""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser

HEADINGS = {
    "de": ["Hitze", "Fußverkehr", "Orientierung", "Bevölkerung", "Flächenkonkurrenz"],
    "en": ["Heat", "Footfall", "Orientation", "Population", "Land-use conflicts"],
}
SWITCHES = [
    "facilities",
    "heat-vulnerability",
    "heat-surface",
    "footfall-sites",
    "footfall-heatmap",
    "river",
    "districts",
    "population-grid",
    "landuse",
    "constraints",
    "conflicts",
]
# the panel top to bottom: headings (h2.al-group) and layer switches, as shown (visible text)
READ_PANEL = """
const out = [];
document.querySelectorAll('#layers-drawer h2.al-group, #layers-drawer [id*="layer-toggle"]')
  .forEach(function (el) {
    if (el.matches('h2')) { out.push(['heading', el.textContent.trim(), el.offsetHeight > 0]); }
    else { out.push(['switch', el.id, el.offsetHeight > 0]); }
  });
return out;
"""


@pytest.mark.parametrize("lang", ["de", "en"])
def test_each_theme_heading_once_and_the_switches_in_order(dash_duo, app, lang):
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    dash_duo.driver.get(f"{dash_duo.server_url}/?lang={lang}")
    dash_duo.wait_for_element("#layers-drawer h2.al-group", timeout=20)
    panel = dash_duo.driver.execute_script(READ_PANEL)  # textContent: the CSS shows capitals
    headings = [text for kind, text, _ in panel if kind == "heading"]
    for heading in HEADINGS[lang]:
        assert headings.count(heading) == 1, (heading, headings)
    assert headings == HEADINGS[lang]
    switches = [json.loads(i)["layer"] for kind, i, _ in panel if kind == "switch"]
    assert switches == SWITCHES
    # every heading and switch is shown (the panel is a column on a wide window)
    assert all(shown for _, _, shown in panel), panel
    # each switch sits under its theme's heading
    under: dict[str, list[str]] = {}
    current = ""
    for kind, text, _ in panel:
        if kind == "heading":
            current = text
        else:
            under.setdefault(current, []).append(json.loads(text)["layer"])
    assert under[HEADINGS[lang][0]] == SWITCHES[:3]
    assert under[HEADINGS[lang][1]] == SWITCHES[3:5]
    assert under[HEADINGS[lang][2]] == ["river"]
    assert under[HEADINGS[lang][3]] == ["districts", "population-grid"]
