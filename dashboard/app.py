"""The app factory: ``create_app(settings)`` builds a Dash app around one city pack."""

from __future__ import annotations

import logging
from pathlib import Path

from dash import Dash, dcc, html
from flask import Flask
from flask_compress import Compress

from dashboard import (
    drawn_engine,
    geojson,
    ids,
    requests_guard,
    routes,
    scenario_routes,
    security,
    serving,
)
from dashboard.callbacks import (
    district_panel,
    drawn_plans,
    footfall_charts,
    footfall_forecast,
    heat_charts,
    linked_tables,
    map_chrome,
    map_layers,
    router,
    scenario,
)
from dashboard.context import AppContext
from dashboard.pages import registry
from dashboard.settings import Settings
from dashboard.state import default_view

ASSETS = Path(__file__).resolve().parent / "assets"

log = logging.getLogger("allmende")


def server() -> Flask:
    """The Flask server, with flask-compress (Dash's ``compress=True``) told that layer GeoJSON
    compresses too: its default types and ``application/geo+json``."""
    defaults = Flask("allmende-compress-defaults")
    Compress(defaults)  # fills in flask-compress's default settings
    flask_app = Flask(__name__)
    types = [*defaults.config["COMPRESS_MIMETYPES"], geojson.MIMETYPE]
    flask_app.config["COMPRESS_MIMETYPES"] = types
    return flask_app


def validation_layout(app: Dash, ctx: AppContext, settings: Settings) -> html.Div:
    """Every component a callback refers to: the app's frame and the id skeleton of each page
    the registry marks (``Page.validate``). Dash ships it to the browser with every page
    load, so it carries ids, not data."""
    view = default_view(ctx.pack.city, settings.language, settings.basemap)
    skeletons = [page.skeleton(ctx, view) for page in registry.PAGES]
    return html.Div([app.layout, *(s for s in skeletons if s is not None)])


def create_app(
    settings: Settings | None = None,
    context: AppContext | None = None,
    start_jobs: bool = True,
) -> Dash:
    """Build the app. Pass ``context`` to reuse an already loaded pack (tests, benchmarks).

    ``start_jobs=False`` leaves the background jobs (forecasts) to the caller: a server that
    forks workers after building the app starts them in each worker
    (:meth:`AppContext.start_jobs`), since threads do not survive a fork."""
    settings = settings or Settings.from_env()
    ctx = context or AppContext.from_settings(settings)
    app = Dash(
        __name__,
        server=server(),  # type: ignore[arg-type]  # Dash's stubs name only bool here
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
    app.validation_layout = validation_layout(app, ctx, settings)  # type: ignore[assignment]
    router.register(app, ctx)
    map_layers.register(app, ctx)
    map_chrome.register(app, ctx)
    district_panel.register(app, ctx)
    linked_tables.register(app, ctx)
    drawn_plans.register(app, ctx)
    footfall_charts.register(app, ctx)
    footfall_forecast.register(app, ctx)
    heat_charts.register(app, ctx)
    scenario.register(app, ctx)
    routes.register(app.server, ctx)
    scenario_routes.register(app.server, ctx)
    security.install(app, settings)
    serving.install(app, settings)
    requests_guard.install(app)  # malformed callback bodies answer 400, not 500
    app.server.config["ALLMENDE_CONTEXT"] = ctx
    problem = drawn_engine.warm(ctx)  # the draw-to-assess engine, not in a request
    if problem:
        log.warning("draw to assess: %s", problem)
    if start_jobs:
        ctx.start_jobs()  # background: the app answers at once, the page shows progress
    return app
