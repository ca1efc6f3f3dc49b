"""The app factory: ``create_app(settings)`` builds a Dash app around one city pack."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import dash_leaflet as dl
from dash import Dash, dcc, html

from dashboard import ids, routes, security
from dashboard.callbacks import (
    district_panel,
    footfall_charts,
    footfall_forecast,
    heat_charts,
    map_chrome,
    map_layers,
    router,
)
from dashboard.context import AppContext
from dashboard.pages import footfall_page, heat_page, map_page
from dashboard.settings import Settings
from dashboard.state import default_view
from layers import REGISTRY

ASSETS = Path(__file__).resolve().parent / "assets"


def _without_data(component: Any) -> Any:
    """Drop GeoJSON payloads from a layout (in place) and return it."""
    if isinstance(component, dl.GeoJSON):
        component.data = None
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):
            _without_data(child)
    return component


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
        compress=True,  # flask-compress: gzip/brotli for HTML, JS and callback responses
        # phones lay the page out at their own width (not a 980 px desktop page zoomed out)
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.layout = html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.LANG_STORE),
            html.Div(id=ids.ROOT),
        ]
    )
    view = default_view(ctx.pack.city, settings.language, settings.basemap)
    # Every component a callback refers to lives on the map page. Dash ships the validation
    # layout to the browser with every page load, so it carries ids, not data.
    every_layer = replace(view, layers=tuple(layer.id for layer in REGISTRY))
    validation = html.Div(
        [
            app.layout,
            _without_data(map_page.layout(ctx, every_layer)),
            footfall_page.layout(ctx, view, data=False),  # ids only, no figures
            heat_page.layout(ctx, view, data=False),
        ]
    )
    app.validation_layout = validation  # type: ignore[assignment]
    router.register(app, ctx)
    map_layers.register(app, ctx)
    map_chrome.register(app, ctx)
    district_panel.register(app, ctx)
    footfall_charts.register(app, ctx)
    footfall_forecast.register(app, ctx)
    heat_charts.register(app, ctx)
    routes.register(app.server, ctx)
    security.install(app, settings)
    app.server.config["ALLMENDE_CONTEXT"] = ctx
    if settings.forecasts and ctx.forecasts is not None:
        ctx.forecasts.start()  # background: the app answers at once, the page shows progress
    return app
