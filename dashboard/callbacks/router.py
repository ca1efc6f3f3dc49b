"""Render the page for the address in the browser (path and query string)."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, html

from dashboard import ids
from dashboard.callbacks import inputs
from dashboard.context import AppContext
from dashboard.i18n import t
from dashboard.pages import registry
from dashboard.state import MAX_QUERY, parse_view

# the pages (``dashboard.pages.registry``), under the name the tests use
PAGE_LIST = registry.PAGES


def render(ctx: AppContext, pathname: Any, search: Any) -> tuple[Any, str]:
    """The page at ``pathname`` for the view in ``search``. A ``search`` that is not a string
    of at most ``state.MAX_QUERY`` characters (only a crafted request sends one) is read as
    no query (the default view); a ``pathname`` that is not a string is no page ("page not
    found", ``registry.find``)."""
    view = parse_view(
        inputs.text(search, MAX_QUERY) or "",
        ctx.pack.city,
        lang=ctx.settings.language,
        base=ctx.settings.basemap,
    )
    page = registry.find(pathname)
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
        body = page.layout(ctx, view)
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
