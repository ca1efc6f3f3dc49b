"""Render the page for the address in the browser (path and query string)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dash import Dash, Input, Output, State, html

from dashboard import ids
from dashboard.context import AppContext
from dashboard.i18n import t
from dashboard.pages import catalog_page, embed_page, footfall_page, heat_page, map_page
from dashboard.state import View, parse_view


@dataclass(frozen=True)
class Page:
    """One page of the app: its address, its other addresses, and its layout function.

    Every page marks its main content (its map or its first chart or table) with
    ``data-al-main``; the layout test checks at every screen size that a person sees it.
    """

    path: str
    aliases: tuple[str, ...]
    layout: Callable[[AppContext, View], Any]


PAGE_LIST: tuple[Page, ...] = (
    Page("/", (), map_page.layout),
    Page("/fussverkehr", ("/footfall",), footfall_page.layout),
    Page("/hitze", ("/heat",), heat_page.layout),
    Page("/katalog", ("/catalog",), catalog_page.layout),
    Page("/embed", (), embed_page.layout),
)
PAGES: dict[str, Callable[[AppContext, View], Any]] = {
    path: page.layout for page in PAGE_LIST for path in (page.path, *page.aliases)
}


def render(ctx: AppContext, pathname: str | None, search: str | None) -> tuple[Any, str]:
    view = parse_view(
        search or "", ctx.pack.city, lang=ctx.settings.language, base=ctx.settings.basemap
    )
    page = PAGES.get((pathname or "/").rstrip("/") or "/")
    if page is None:
        body: Any = html.Main(
            [
                html.H1(t("notfound.heading", view.lang)),
                html.A(t("notfound.back", view.lang), href="/"),
            ],
            id="main",
            className="al-page",
        )
    else:
        body = page(ctx, view)
    if view.problems:
        notice = html.Div(
            [html.Strong(t("error.url", view.lang)), " ", "; ".join(view.problems)],
            className="al-error",
            role="status",
        )
        body = html.Div([notice, body])
    return body, view.lang


def register(app: Dash, ctx: AppContext) -> None:
    @app.callback(
        Output(ids.ROOT, "children"),
        Output(ids.LANG_STORE, "data"),
        Input(ids.URL, "pathname"),
        State(ids.URL, "search"),
    )
    def route(pathname: str | None, search: str | None) -> tuple[Any, str]:
        return render(ctx, pathname, search)

    app.clientside_callback(
        """function (lang) {
            if (lang) { document.documentElement.lang = lang; }
            return window.dash_clientside.no_update;
        }""",
        Input(ids.LANG_STORE, "data"),
    )
