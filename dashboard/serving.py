"""HTTP rules around the Dash app: body size, unknown paths, static assets.

* **Request size**: ``MAX_CONTENT_LENGTH`` from ``Settings.max_body`` (1 MiB by default);
  a larger body is answered ``413`` before anything parses it.
* **Unknown paths**: Dash answers every path with its page. Here a path that is neither a
  page of :mod:`dashboard.pages.registry` (with its aliases) nor one of the app's own routes
  (assets, component suites, callbacks, downloads, layer files) answers ``404`` — with the
  app's page, whose router shows the not-found page in the visitor's language.
* **The page itself**: Dash renders the same index HTML for every page path (about 105 kB,
  15 ms to render and 3 ms to compress). It is rendered once per process and kept with its
  gzip and brotli encodings and an ``ETag``; a page request is answered from these bytes
  (``304`` when the browser has them), so many viewers at once cost little.
* **Static assets**: files under ``/assets/`` are compressed (gzip/brotli by flask-compress)
  and, when the page asks for them with Dash's modification stamp (``?m=…``), cached for a
  year (``immutable``): a new file gets a new stamp. Component suites are fingerprinted and
  cached by Dash itself.
"""

from __future__ import annotations

import gzip
import hashlib
import threading

import brotli
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

    page = IndexCache(app)

    @server.before_request
    def _page() -> Response | None:
        if request.endpoint in PAGE_ENDPOINTS and request.method in ("GET", "HEAD"):
            return page.response(404 if not is_page_path(request.path) else 200)
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


class IndexCache:
    """Dash's index page, rendered once, with its encodings (see the module docstring)."""

    def __init__(self, app: Dash) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._bodies: dict[str, bytes] = {}
        self._etag = ""

    def _fill(self) -> None:
        with self._lock:
            if self._bodies:
                return
            html = self.app.index().encode("utf-8")
            self._etag = hashlib.sha256(html).hexdigest()[:20]
            self._bodies = {
                "identity": html,
                "gzip": gzip.compress(html, compresslevel=6, mtime=0),
                "br": brotli.compress(html, quality=11),
            }

    def response(self, status: int) -> Response:
        """The page for this request: encoded as the browser accepts, ``304`` if unchanged."""
        if not self._bodies:
            self._fill()
        accepted = request.accept_encodings
        coding = "br" if accepted["br"] else "gzip" if accepted["gzip"] else "identity"
        headers = {"Vary": "Accept-Encoding", "Cache-Control": "no-cache"}
        if status == 200 and self._etag in request.if_none_match:
            unchanged = Response(status=304, headers=headers)
            unchanged.set_etag(self._etag)
            return unchanged
        if coding != "identity":
            headers["Content-Encoding"] = coding
        response = Response(
            self._bodies[coding], status=status, mimetype="text/html", headers=headers
        )
        if status == 200:
            response.set_etag(self._etag)
        return response
