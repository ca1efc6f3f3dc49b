"""Layer tables as grids: every row in the page's flow, long tables paged, AG Grid's own
words in the page's language."""

from __future__ import annotations

import dash_ag_grid as dag

from dashboard.grid_locale import GERMAN, grid_options, locale_text
from dashboard.tables import PAGE_ROWS, table_body
from layers import get_layer


def _grid(components):
    return next(
        c.children for c in components if isinstance(getattr(c, "children", None), dag.AgGrid)
    )


def test_a_long_table_is_paged_and_a_short_one_is_not(demo_ctx):
    constraints = get_layer("constraints")
    long = _grid(table_body(demo_ctx, constraints, {}, "de", "c"))
    assert len(long.rowData) > PAGE_ROWS
    options = long.dashGridOptions
    assert options["domLayout"] == "autoHeight"  # no inner scroll box, no delay-render
    assert options["pagination"] and options["paginationPageSize"] == PAGE_ROWS
    assert options["localeText"]["page"] == "Seite" and options["localeText"]["of"] == "von"
    assert "height" not in long.style
    short = _grid(table_body(demo_ctx, get_layer("conflicts"), {}, "en", "p"))
    assert len(short.rowData) <= PAGE_ROWS and "pagination" not in short.dashGridOptions
    assert "localeText" not in short.dashGridOptions  # AG Grid's own words are English


def test_german_grid_words_cover_the_pager_and_filters():
    for key in (
        "page",
        "to",
        "of",
        "nextPage",
        "previousPage",
        "filterOoo",
        "contains",
        "equals",
        "noRowsToShow",
        "ariaRowSelect",
    ):
        assert GERMAN[key] and GERMAN[key] != key
    assert locale_text("en") == {} and locale_text("fr") == GERMAN  # German first
    assert grid_options("de", domLayout="autoHeight") == {
        "domLayout": "autoHeight",
        "localeText": GERMAN,
    }
