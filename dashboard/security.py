"""Response headers: who may frame Allmende, and what the browser may load.

* ``Content-Security-Policy``: ``frame-ancestors 'self'`` on every response, widened by
  ``ALLMENDE_EMBED_ORIGINS`` for the embed page (``/embed``) only, so another site may frame
  the public embed but no other page or download; scripts only from this server (inline
  scripts Dash writes are allowed by their SHA-256 hashes). ``'unsafe-eval'`` stays, because
  plotly.js and dash-leaflet's arrow functions compile small functions at run time; images from this server and the base-map tile hosts, no plugins,
  no foreign forms;
* ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: strict-origin-when-cross-origin``
  and a ``Permissions-Policy`` that switches off camera, microphone, geolocation, payment,
  USB and the rest of the powerful features, which the atlas never uses;
* no cookies: Allmende sets none (Dash and Flask set none without sessions), and a test says so.
"""

from __future__ import annotations

from urllib.parse import urlparse

from dash import Dash
from flask import Response, request

from dashboard.settings import Settings
from layers.city.basemaps import BASEMAPS

REFERRER_POLICY = "strict-origin-when-cross-origin"
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)
#: The pages another site may frame when ``ALLMENDE_EMBED_ORIGINS`` allows it.
FRAMEABLE = ("/embed",)


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


def frameable(path: str) -> bool:
    """Whether ``path`` is a page that embedding sites may frame (``/embed``)."""
    return (path.rstrip("/") or "/") in FRAMEABLE


def policy(settings: Settings, script_hashes: list[str], framed: bool = False) -> str:
    """The CSP; ``framed``: for a page the embed origins may frame."""
    ancestors = " ".join(["'self'", *(settings.embed_origins if framed else ())])
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
    cached: dict[bool, str] = {}

    @app.server.after_request
    def _headers(response: Response) -> Response:
        framed = frameable(request.path)
        if framed not in cached:
            # the hashes of Dash's inline scripts (renderer config, clientside callbacks)
            cached[framed] = policy(settings, list(app.csp_hashes()), framed)
        response.headers["Content-Security-Policy"] = cached[framed]
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = REFERRER_POLICY
        response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
        return response
