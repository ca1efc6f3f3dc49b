"""The app factory: ``create_app(settings)`` builds a Dash app around one city pack."""

from __future__ import annotations

from pathlib import Path

from dash import Dash, dcc, html

from dashboard import ids, routes
from dashboard.callbacks import district_panel, map_layers, router
from dashboard.context import AppContext
from dashboard.pages import map_page
from dashboard.settings import Settings
from dashboard.state import default_view

ASSETS = Path(__file__).resolve().parent / "assets"


def create_app(settings: Settings | None = None, context: AppContext | None = None) -> Dash:
    """Build the app. Pass ``context`` to reuse an already loaded pack (tests, benchmarks)."""
    settings = settings or Settings.from_env()
    ctx = context or AppContext.from_settings(settings)
    app = Dash(
        __name__,
        assets_folder=str(ASSETS),
        title="Allmende",
        update_title="",
        serve_locally=True,
    )
    app.layout = html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.LANG_STORE),
            html.Div(id=ids.ROOT),
        ]
    )
    view = default_view(ctx.pack.city, settings.language, settings.basemap)
    # every component a callback refers to lives on the map page
    validation = html.Div([app.layout, map_page.layout(ctx, view)])
    app.validation_layout = validation  # type: ignore[assignment]
    router.register(app, ctx)
    map_layers.register(app, ctx)
    district_panel.register(app, ctx)
    routes.register(app.server, ctx)
    app.server.config["ALLMENDE_CONTEXT"] = ctx
    return app
