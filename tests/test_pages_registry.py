"""Pages from one registry: the router, the navigation and the validation layout all derive
from ``dashboard.pages.registry.PAGES`` (a page added there shows up in all three)."""

from __future__ import annotations

import json
import sys
import types
from typing import Any

import pytest
from dash import html

from dashboard import components
from dashboard.callbacks.router import render
from dashboard.i18n import STRINGS
from dashboard.pages import registry
from tests.test_layout import _ids, _walk

EXTRA = registry.Page("extra", "/mehr", ("/more",), "nav.extra", "extra_page", validate=True)


def _text(component: Any) -> str:
    return json.dumps(
        component.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False
    )


def _nav_links(tree: Any) -> list[Any]:
    navs = [c for c in _walk(tree) if isinstance(c, html.Nav)]
    assert len(navs) == 1
    return [c for c in _walk(navs[0]) if isinstance(c, html.A)]


@pytest.fixture
def extra_page(monkeypatch: pytest.MonkeyPatch) -> registry.Page:
    """A page module (``dashboard.pages.extra_page``) and its one registry line."""
    module = types.ModuleType("dashboard.pages.extra_page")

    def layout(ctx: Any, view: Any, data: bool = True) -> html.Div:
        widget = html.Div("figures" if data else None, id="extra-widget")
        return html.Div(
            [
                components.header(ctx, view.lang, "extra", ""),
                html.Main([widget], id="main", **{"data-al-main": "extra"}),
            ]
        )

    module.layout = layout  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(STRINGS, "nav.extra", {"de": "Mehr", "en": "More"})
    monkeypatch.setattr(registry, "PAGES", (*registry.PAGES, EXTRA))
    return EXTRA


def test_the_registry_is_consistent() -> None:
    paths = [p for page in registry.PAGES for p in page.paths]
    assert len(paths) == len(set(paths)), "an address names two pages"
    assert len({page.key for page in registry.PAGES}) == len(registry.PAGES)
    for page in registry.PAGES:
        assert page.path.startswith("/") and page.title in STRINGS, page.key
        assert callable(page.module().layout), page.module_name
    # German addresses first, English ones as aliases; the embed is not in the navigation
    assert registry.find("/heat") is registry.find("/hitze") is registry.find("/hitze/")
    assert [p.key for p in registry.nav_pages()] == [
        "map",
        "footfall",
        "heat",
        "scenario",
        "catalog",
    ]
    assert registry.find("/embed") is not None and not registry.find("/embed").in_nav


@pytest.mark.parametrize("pathname", [None, "", "/", "//"])
def test_the_root_is_the_map(pathname: Any) -> None:
    assert registry.find(pathname) is registry.PAGES[0]


@pytest.mark.parametrize("pathname", [42, ["/"], {"a": 1}, "/nope", "/" + "x" * 10_000, "/ü"])
def test_anything_else_is_no_page(demo_ctx: Any, pathname: Any) -> None:
    assert registry.find(pathname) is None
    body, lang = render(demo_ctx, pathname, ["crafted"])
    assert lang == "de" and "Seite nicht gefunden" in _text(body)


def test_the_navigation_is_the_registry(demo_ctx: Any) -> None:
    for page in registry.nav_pages():
        links = _nav_links(components.header(demo_ctx, "en", page.key, "?lang=en"))
        assert [a.id for a in links] == [p.nav_id for p in registry.nav_pages()]
        assert [a.href for a in links] == [p.path + "?lang=en" for p in registry.nav_pages()]
        assert "Heat" in _text(links[2]) and "Map" in _text(links[0])
        current = [a.id for a in links if getattr(a, "aria-current", None) == "page"]
        assert current == [page.nav_id], page.key


def test_an_added_page_is_routed_navigated_and_validated(demo_ctx: Any, extra_page: Any) -> None:
    from dashboard.app import create_app

    # the router: its address and its alias
    for path in ("/mehr", "/more/"):
        body, _ = render(demo_ctx, path, "?lang=en")
        assert "extra-widget" in _ids(body), path
    # the navigation, on every page that has one
    for page in registry.nav_pages():
        body, _ = render(demo_ctx, page.path, "")
        links = {a.id: a for a in _nav_links(body)}
        assert links["nav-extra"].href.startswith("/mehr"), page.key
        assert "Mehr" in _text(links["nav-extra"])
    # the validation layout (its skeleton) and the callback that keeps nav links current
    app = create_app(demo_ctx.settings, context=demo_ctx)
    assert "extra-widget" in _ids(app.validation_layout)
    view_sync = next(k for k in app.callback_map if k.startswith("..url-sync.data"))
    assert "...nav-extra.href" in view_sync


def test_the_validation_layout_is_the_skeletons_of_the_marked_pages(demo_ctx: Any) -> None:
    from dashboard.app import validation_layout

    class FakeApp:
        layout = html.Div(id="frame")

    tree = validation_layout(FakeApp(), demo_ctx, demo_ctx.settings)  # type: ignore[arg-type]
    found = set(_ids(tree))
    assert "frame" in found and "map" in found and "footfall-site" in found
    assert "heat-variable" in found and "catalog-grid" not in found  # catalog: no callbacks
    # ids, not data: no GeoJSON, no features
    assert '"features"' not in _text(tree)
