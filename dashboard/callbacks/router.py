"""Render the page for the address in the browser (path and query string)."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, html

from dashboard import ids
from dashboard.context import AppContext
from dashboard.i18n import t
from dashboard.pages import catalog_page, embed_page, footfall_page, heat_page, map_page
from dashboard.state import parse_view

PAGES = {
    "/": map_page.layout,
    "/katalog": catalog_page.layout,
    "/catalog": catalog_page.layout,
    "/fussverkehr": footfall_page.layout,
    "/footfall": footfall_page.layout,
    "/hitze": heat_page.layout,
    "/heat": heat_page.layout,
    "/embed": embed_page.layout,
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
