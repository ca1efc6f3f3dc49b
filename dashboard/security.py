"""Response headers: who may frame Allmende, and what the browser may load.

* ``Content-Security-Policy`` with ``frame-ancestors`` from ``ALLMENDE_EMBED_ORIGINS``
  (default ``'self'``), scripts only from this server (inline scripts Dash writes are allowed
  by their SHA-256 hashes; ``'unsafe-eval'`` because plotly.js and dash-leaflet's arrow
  functions compile small functions at run time), images from this server and the base-map
  tile hosts, no plugins, no foreign forms;
* ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: strict-origin-when-cross-origin``;
* no cookies: Allmende sets none (Dash and Flask set none without sessions), and a test says so.
"""

from __future__ import annotations

from urllib.parse import urlparse

from dash import Dash
from flask import Response

from dashboard.settings import Settings
from layers.city.basemaps import BASEMAPS

REFERRER_POLICY = "strict-origin-when-cross-origin"


def tile_hosts() -> list[str]:
    """``https://host`` of every base map with tiles."""
    hosts = []
    for bm in BASEMAPS.values():
        if bm.url:
            parsed = urlparse(bm.url.replace("{s}", "a"))
            host = parsed.netloc
            if host.startswith("a."):  # {s}.tile.openstreetmap.org
                host = "*." + host[2:]
            hosts.append(f"{parsed.scheme}://{host}")
    return sorted(set(hosts))


def policy(settings: Settings, script_hashes: list[str]) -> str:
    ancestors = " ".join(["'self'", *settings.embed_origins])
    scripts = " ".join(["'self'", *script_hashes, "'unsafe-eval'"])
    images = " ".join(["'self'", "data:", "blob:", *tile_hosts()])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            f"img-src {images}",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {ancestors}",
        ]
    )


def install(app: Dash, settings: Settings) -> None:
    """Add the headers to every response of the app's Flask server."""
    cached: dict[str, str] = {}

    @app.server.after_request
    def _headers(response: Response) -> Response:
        if "csp" not in cached:
            # the hashes of Dash's inline scripts (renderer config, clientside callbacks)
            cached["csp"] = policy(settings, list(app.csp_hashes()))
        response.headers["Content-Security-Policy"] = cached["csp"]
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = REFERRER_POLICY
        return response
