"""/embed inside an iframe served from a second local origin: shown when that origin is
listed in ALLMENDE_EMBED_ORIGINS, blocked by the browser when it is not."""

from __future__ import annotations

import http.server
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urlparse

import pytest

from tests.browser.seen import is_seen
from tests.browser.test_map_browser import _wait

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Parent:
    """A tiny web server on its own port whose page frames the given URL.

    ``/`` frames it at ``width`` x ``height``; ``/frame-<w>x<h>`` at that size, so one server
    (one origin) can show the frame at several sizes.
    """

    def __init__(
        self, frame_url: str, port: int | None = None, width: int = 900, height: int = 650
    ) -> None:
        def page(w: int, h: int) -> bytes:
            return (
                "<!doctype html><html lang='de'><head><title>Stadt</title></head>"
                "<body style='margin:0'><h1 style='margin:0;font-size:16px'>Stadtseite</h1>"
                f"<iframe id='atlas' title='Karte' src='{frame_url}' width='{w}' "
                f"height='{h}' style='border:0;display:block'></iframe></body></html>"
            ).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                size = re.fullmatch(r"/frame-(\d{2,4})x(\d{2,4})", self.path)
                body = page(int(size[1]), int(size[2])) if size else page(width, height)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return

        self.port = port or _free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def parents() -> Iterator[dict[str, _Parent]]:
    made: dict[str, _Parent] = {}
    yield made
    for p in made.values():
        p.close()


def _frame_has_map(dash_duo) -> bool:
    """Whether a person sees the map, with district shapes inside it, in the frame."""
    driver = dash_duo.driver
    driver.switch_to.default_content()
    frame = driver.find_element("id", "atlas")
    driver.switch_to.frame(frame)
    try:
        return is_seen(driver, "#main .leaflet-container", ".leaflet-pane path")
    finally:
        driver.switch_to.default_content()


def test_embed_in_an_iframe_allowed_and_blocked(dash_duo, demo_ctx, parents):
    from dashboard.app import create_app
    from dashboard.context import AppContext

    # the allowed parent origin is known before the app starts: its port is reserved first
    allowed_port = _free_port()
    # the app is served at localhost; parents at 127.0.0.1 are other origins
    allowed_origin = f"http://127.0.0.1:{allowed_port}"
    settings = replace(demo_ctx.settings, embed_origins=(allowed_origin,))
    ctx = AppContext(settings, demo_ctx.pack, forecasts=demo_ctx.forecasts)
    app = create_app(settings, context=ctx)
    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    server = urlparse(dash_duo.server_url)
    assert server.hostname == "localhost"
    frame_url = f"{dash_duo.server_url}/embed?layers=districts&base=offline&lang=de"

    parents["allowed"] = allowed = _Parent(frame_url, allowed_port)
    parents["other"] = blocked = _Parent(frame_url)

    dash_duo.driver.get(f"http://127.0.0.1:{allowed.port}/")
    try:
        _wait(lambda: _frame_has_map(dash_duo), 30)
    except AssertionError:
        driver = dash_duo.driver
        driver.switch_to.frame(driver.find_element("id", "atlas"))
        html = driver.execute_script("return document.documentElement.outerHTML")
        url = driver.execute_script("return location.href")
        driver.switch_to.default_content()
        raise AssertionError(f"{url}\n{html[-2500:]}\n{driver.get_log('browser')}"[:4000]) from None

    dash_duo.driver.get(f"http://127.0.0.1:{blocked.port}/")
    dash_duo.driver.find_element("id", "atlas")
    # give the frame time to load; the browser refuses it (CSP frame-ancestors)
    time.sleep(4)
    assert not _frame_has_map(dash_duo)
    logs = " ".join(e["message"] for e in dash_duo.driver.get_log("browser"))
    assert "frame-ancestors" in logs


def test_embed_first_load_within_budget(dash_duo, app):
    """The issue's budget: at most 1.5 MB over the network (HTML, JS, CSS, data; no tiles),
    all from this server. bench/embed.py prints the breakdown."""
    from bench.embed import BUDGET_BYTES, measure

    dash_duo.start_server(app, use_reloader=False, dev_tools_hot_reload=False)
    dash_duo.driver.execute_cdp_cmd("Network.enable", {})
    dash_duo.driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    row = measure(
        dash_duo.driver,
        dash_duo.server_url,
        "/embed?layers=districts,heat-vulnerability,facilities&base=offline&lang=de",
    )
    assert row["foreign"] == []
    assert 100_000 < row["encoded"] <= BUDGET_BYTES, row["by_kind"]
