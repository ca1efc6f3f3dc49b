"""Legend swatches tell the truth: a class the map draws as an outline has an unfilled
swatch, a dashed one a dashed swatch, a thick border a thick swatch border; every existing
legend entry (colour and label only) is drawn as before, a filled box in a thin dark border."""

from __future__ import annotations

from dashboard.components import legend, swatch
from layers.base import Legend, LegendEntry
from layers.landuse import words
from tests.browser.test_a11y import contrast

WHITE = "#ffffff"


def test_plain_entries_are_drawn_as_before():
    entry = LegendEntry("#123456", "a class")
    assert swatch(entry) == ("al-swatch", {"background": "#123456"})
    assert swatch(entry, "line") == ("al-swatch line", {"background": "#123456"})


def test_outline_fill_dash_and_weight_reach_the_swatch():
    plan = swatch(words.legend_entry(words.PLAN_STYLE, "plan", 0.6))
    soft = swatch(words.legend_entry(words.SOFT_STYLE, "soft", 0.6))
    hard = swatch(words.legend_entry(words.HARD_STYLE, "hard", 0.6))
    # a plan: an empty square in a black border
    assert "al-swatch-open" in plan[0].split() and plan[1]["background"] == "transparent"
    assert plan[1]["borderColor"] == "#000000" and "borderStyle" not in plan[1]
    # soft: a light fill in a dashed border
    assert "al-swatch-dashed" in soft[0].split() and soft[1]["borderStyle"] == "dashed"
    assert soft[1]["background"].startswith("rgba(221, 204, 119")
    # hard: a dark fill in a thick solid border, thicker than the soft one
    assert "al-swatch-open" not in hard[0].split() and "borderStyle" not in hard[1]
    assert int(hard[1]["borderWidth"][:-2]) > int(soft[1]["borderWidth"][:-2])
    # WCAG 1.4.11: the border a swatch is told apart by is ≥ 3:1 against the white legend
    for _names, style in (plan, soft, hard):
        assert contrast(style["borderColor"], WHITE) >= 3, style


def test_legend_keeps_the_swatch_decorative_and_the_label():
    leg = Legend("T", (words.legend_entry(words.SOFT_STYLE, "Weicher Konflikt", 0.6),))
    item = legend(leg, "de")[1].children[0]
    mark, label = item.children
    assert getattr(mark, "aria-hidden") == "true" and "al-swatch-dashed" in mark.className
    assert label.children == "Weicher Konflikt"
