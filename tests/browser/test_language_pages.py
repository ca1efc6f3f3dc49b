"""Every page in both languages shows no text of the other language (issue 11, finding 4).

One server; each page is opened with ``?lang=de`` and ``?lang=en``, every ``<details>`` is
opened (sources, tables), the charts and tables are waited for, and then the page's visible
text (``document.body.innerText``) is checked against the other language's vocabulary:

* the UI strings of :mod:`dashboard.i18n` and the footfall chart texts whose two languages
  differ (whole words, proper names and very short words left out);
* known leftovers from data (provenance, attribution, model description);
* month names in chart axes (``Oct`` on German pages, ``Okt`` on English ones);
* number formats in table cells and axis ticks (``100.9`` or ``22568`` on a German page,
  ``42,6`` on an English one).
"""

from __future__ import annotations

import re
import time

import pytest

from tests.browser.test_map_browser import _wait

pytestmark = pytest.mark.browser

PAGES = (
    "/",
    "/fussverkehr",
    "/hitze",
    "/katalog",
    "/szenario",
    "/embed?layers=districts,heat-vulnerability",
)
OTHER = {"de": "en", "en": "de"}

# prose that came from data and must follow the page language
LEFTOVERS = {
    "de": ("Facts only", "no files", "log scale", "per site", "Synthetic demo data"),
    "en": (
        "Synthetische Demo-Daten",
        "aus dokumentierten Fakten",
        "Mitwirkende",
        "keine Messwerte",
        "Nur dokumentierte Fakten",
    ),
}
MONTHS = {  # month abbreviations of the other language (those that differ)
    "de": ("Mar", "May", "Oct", "Dec"),
    "en": ("Mär", "Mai", "Okt", "Dez"),
}
# number formats of the other language (a whole cell or tick label)
WRONG_NUMBER = {
    "de": (
        re.compile(r"^[−-]?\d+\.\d{1,2}( ?%)?$"),  # English decimal point: 100.9
        re.compile(r"^[−-]?\d+\.\d{4,}$"),  # 0.12345
        re.compile(r"^[−-]?\d{1,3}(,\d{3})+\.\d+$"),  # 1,234.5
        re.compile(r"^[−-]?[1-9]\d{4,}$"),  # no grouping: 22568
        re.compile(r"^\d{4}-\d{2}-\d{2}$"),  # ISO date in a German table
    ),
    "en": (
        re.compile(r"^[−-]?\d+,\d{1,2}( ?%)?$"),  # German decimal comma: 42,6
        re.compile(r"^[−-]?\d+,\d{4,}$"),
        re.compile(r"^[−-]?\d{1,3}(\.\d{3})+,\d+$"),  # 1.234,5
        re.compile(r"^[−-]?[1-9]\d{4,}$"),
        re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}$"),  # German date in an English table
    ),
}
SKIP = {"lang.de", "lang.en"}  # the language links name both languages on every page
# German terms English texts use on purpose, as names (the city's official unit:
# "Districts (Ortsteile)")
TERMS = {"Ortsteil", "Ortsteile"}


def _fragments(text: str) -> list[str]:
    """The literal parts of a template (``{name}`` removed), stripped of punctuation."""
    parts = re.split(r"\{[^}]*\}", text)
    return [p.strip(" :;,.()–-") for p in parts]


def vocabulary(lang: str) -> set[str]:
    """Texts of the other language that must not appear on a ``lang`` page."""
    from dashboard.i18n import STRINGS
    from layers.city.districts import PANEL_TEXTS as DISTRICT_PANEL
    from layers.city.districts import VARIABLES
    from layers.footfall.charts import TEXTS
    from layers.heat.vulnerability import PANEL_TEXTS as HVI_PANEL

    other = OTHER[lang]
    out: set[str] = set()
    tables = [(k, v) for k, v in STRINGS.items() if k not in SKIP] + list(TEXTS.items())
    # the click panels' texts (they were UI strings until the layers drew their own panels;
    # the district panel names the density with the districts layer's label)
    tables += list(DISTRICT_PANEL.items()) + list(HVI_PANEL.items())
    tables += [(k, v["label"]) for k, v in VARIABLES.items()]
    for _, texts in tables:
        mine, theirs = texts[lang], texts[other]
        if mine == theirs:
            continue
        for part in _fragments(theirs):
            if len(part) > 4 and part not in mine and part not in TERMS:
                out.add(part)
    return out


def _pattern(words: set[str] | tuple[str, ...]) -> re.Pattern[str]:
    alts = sorted((re.escape(w) for w in words), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(alts) + r")(?![\w-])")


def _settle(dash_duo, timeout: float = 40.0) -> None:
    """Open every <details>, then wait until the page's text and tables stop changing."""
    script = """
        // a click (not just "open") so that tables which load on opening are loaded
        document.querySelectorAll('details:not([open]) > summary:not([data-opened])')
            .forEach(s => { s.setAttribute('data-opened', '1'); s.click(); });
        document.querySelectorAll('details').forEach(d => { d.open = true; });
        return [document.body.innerText.length,
                document.querySelectorAll('.ag-cell').length,
                document.querySelectorAll('.js-plotly-plot .xtick').length,
                document.querySelectorAll('._dash-loading').length];
    """
    end = time.time() + timeout
    last, same = None, 0
    while time.time() < end:
        now = dash_duo.driver.execute_script(script)
        same = same + 1 if now == last and now[3] == 0 else 0
        if same >= 4:
            return
        last = now
        time.sleep(0.4)
    raise AssertionError(f"page did not settle: {last}")


def _page_problems(dash_duo, lang: str, path: str) -> list[str]:
    driver = dash_duo.driver
    text = driver.execute_script("return document.body.innerText")
    problems = [
        f"{path}: text of the other language {m.group(0)!r}"
        for m in _pattern(vocabulary(lang) | set(LEFTOVERS[lang])).finditer(text)
    ]
    ticks = driver.execute_script(
        "return Array.from(document.querySelectorAll('.xtick text, .ytick text'))"
        ".map(e => e.textContent)"
    )
    months = _pattern(MONTHS[lang])
    problems += [f"{path}: axis month {tick!r}" for tick in ticks if months.search(tick)]
    cells = driver.execute_script(
        "return Array.from(document.querySelectorAll('.ag-cell')).map(e => e.innerText.trim())"
    )
    for where, values in (("axis tick", ticks), ("table cell", cells)):
        for value in values:
            value = value.replace("\u2009", " ").strip()
            if any(p.search(value) for p in WRONG_NUMBER[lang]):
                problems.append(f"{path}: {where} in the other language's format {value!r}")
    return sorted(set(problems))


def test_vocabulary_is_built_from_the_translations():
    de, en = vocabulary("de"), vocabulary("en")
    assert "Population density" in de and "Einwohnerdichte" in en
    assert "Deutsch" not in en and "English" not in de  # the language links
    assert "Download" not in de | en  # the same in both
    assert _pattern({"Model"}).search("Modell") is None  # whole words only


def test_every_page_speaks_one_language(dash_duo, app):
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    problems: list[str] = []
    for lang in ("de", "en"):
        for path in PAGES:
            sep = "&" if "?" in path else "?"
            dash_duo.driver.get(f"{dash_duo.server_url}{path}{sep}lang={lang}")
            dash_duo.wait_for_element("#main, .al-embed", timeout=20)
            if path in ("/fussverkehr", "/hitze"):
                _wait(lambda: len(dash_duo.find_elements(".js-plotly-plot .xtick")) > 0, 20)
            _settle(dash_duo)
            problems += [f"[{lang}] {p}" for p in _page_problems(dash_duo, lang, path)]
    assert not problems, "\n".join(problems)
