"""HTTP rules around the Dash app: body size, unknown paths, static assets.

* **Request size**: ``MAX_CONTENT_LENGTH`` from ``Settings.max_body`` (1 MiB by default);
  a larger body is answered ``413`` before anything parses it.
* **Unknown paths**: Dash answers every path with its page. Here a path that is neither a
  page of :mod:`dashboard.pages.registry` (with its aliases) nor one of the app's own routes
  (assets, component suites, callbacks, downloads, layer files) answers ``404`` — with the
  app's page, whose router shows the not-found page in the visitor's language.
* **Static assets**: files under ``/assets/`` are compressed (gzip/brotli by flask-compress)
  and, when the page asks for them with Dash's modification stamp (``?m=…``), cached for a
  year (``immutable``): a new file gets a new stamp. Component suites are fingerprinted and
  cached by Dash itself.
"""

from __future__ import annotations

from dash import Dash
from flask import Response, request

from dashboard.pages import registry
from dashboard.settings import Settings

#: Dash's catch-all page routes (endpoint names as Dash registers them).
PAGE_ENDPOINTS = ("/", "/<path:path>")
ASSET_CACHE = "public, max-age=31536000, immutable"


def is_page_path(path: str) -> bool:
    """Whether ``path`` is a page of the registry (trailing slashes ignored)."""
    return registry.find(path) is not None


def install(app: Dash, settings: Settings) -> None:
    """Add the size limit, the 404 rule and the asset headers to the app's Flask server."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = settings.max_body

    @server.before_request
    def _unknown_path() -> Response | None:
        if request.endpoint in PAGE_ENDPOINTS and not is_page_path(request.path):
            return Response(app.index(), status=404, mimetype="text/html")
        return None

    @server.after_request
    def _assets(response: Response) -> Response:
        # registered after flask-compress, so it runs before it: let it compress the file
        if request.path.startswith("/assets/") and response.status_code == 200:
            response.direct_passthrough = False
            response.set_data(response.get_data())  # a small file: read it, so it is compressed
            if request.args.get("m"):
                response.headers["Cache-Control"] = ASSET_CACHE
        return response
