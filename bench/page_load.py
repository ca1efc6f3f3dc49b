"""Section 2 (and the browser part of section 1): the first page load in headless Chromium.

One browser session:

1. Chromium starts before the server, so its own start-up is not counted. Then a warm
   ``app.py`` is spawned and, once it answers 200, the browser opens ``/``. A
   ``MutationObserver`` injected before the page loads records when the first and when all
   district paths are in the DOM: wall-clock time from spawning the server, and an in-page
   timeline (ms after navigation start) from Navigation and Resource Timing.
2. Bytes: once no new request has started for 1.5 s, the navigation and resource entries are
   summed by kind (map tiles excluded). Each resource is fetched again (callbacks replayed
   with the request body Chromium sent, read from Chrome's performance log) and
   gzip-compressed at level 6 to estimate what compression would save.
3. Request bodies: a classification radio is clicked and the district layer switched off and
   on; the bodies Chromium sends are returned for comparison with the ones
   ``bench/callbacks.py`` builds itself.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bench.common import (
    UPDATE,
    PackSource,
    Server,
    chromium,
    fmt_bytes,
    fmt_mib,
    fmt_ms,
    log,
    table,
)

TILE_HOSTS = ("geodatenzentrum.de", "openstreetmap.org")
DISTRICT_PATHS = ".leaflet-layer-districts-pane path"
OBSERVER_JS = """
performance.setResourceTimingBufferSize(5000);
window.__bench = {first: null, all: null, want: %d};
(function () {
  const sel = %s;
  const obs = new MutationObserver(function () {
    const n = document.querySelectorAll(sel).length;
    if (n > 0 && window.__bench.first === null) { window.__bench.first = performance.now(); }
    if (n >= window.__bench.want && window.__bench.all === null) {
      window.__bench.all = performance.now();
      obs.disconnect();
    }
  });
  obs.observe(document, {childList: true, subtree: true});
})();
"""


def _wait(cond: Callable[[], Any], timeout: float, what: str) -> Any:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        value = cond()
        if value:
            return value
        time.sleep(0.02)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


def _posts(driver: Any, base: str) -> list[dict[str, Any]]:
    """POST requests to the app seen since the last call (Chrome's performance log)."""
    out = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") != "Network.requestWillBeSent":
            continue
        req = msg["params"]["request"]
        if req.get("method") == "POST" and req["url"].startswith(base):
            out.append(
                {"t": msg["params"]["timestamp"], "url": req["url"], "body": req.get("postData")}
            )
    return out


def _kind(entry: dict[str, Any]) -> str:
    if entry["entryType"] == "navigation":
        return "document"
    path = urlparse(entry["name"]).path
    it = entry["initiatorType"]
    if it in ("fetch", "xmlhttprequest"):
        if path.endswith(UPDATE):
            return "xhr/fetch: callbacks"
        if path.endswith(".geojson"):
            return "xhr/fetch: layer GeoJSON"
        return "xhr/fetch: layout+deps"
    if path.endswith(".js") or it == "script":
        return "script"
    if path.endswith(".css") or it in ("link", "css"):
        return "css"
    if it == "img":
        return "img"
    if "favicon" in path:
        return "favicon"
    return "other"


def bench_browser(
    source: PackSource, cache_dir: Path, tmp: Path, n_districts: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A warm start watched by headless Chromium; then bytes and captured callback bodies.
    Returns the figures and the captured request bodies (router, restyle, toggle)."""
    log("browser: starting Chromium (before the server, so its start-up is not counted)")
    with chromium() as driver:
        version = driver.capabilities.get("browserVersion")
        driver.get("about:blank")
        time.sleep(2.0)  # let Chromium settle, so it does not compete with the server start
        driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument",
            {"source": OBSERVER_JS % (n_districts, json.dumps(DISTRICT_PATHS))},
        )
        with Server(source, cache_dir, tmp / "server.log") as server:
            to_200 = server.wait_ready()
            driver.get(server.base + "/")
            marks = _wait(
                lambda: driver.execute_script(
                    "return window.__bench && window.__bench.all !== null ? window.__bench : null"
                ),
                60,
                f"{n_districts} district paths",
            )
            origin_ms = driver.execute_script("return performance.timeOrigin")
            nav = driver.execute_script(
                "const n = performance.getEntriesByType('navigation')[0];"
                "return {responseEnd: n.responseEnd, dcl: n.domContentLoadedEventEnd,"
                " load: n.loadEventEnd}"
            )
            # let late requests (URL sync callback, lazy chunks) finish: no new entry for 1.5 s
            seen, stable_since = -1, time.perf_counter()
            while time.perf_counter() - stable_since < 1.5:
                count = driver.execute_script(
                    "return performance.getEntriesByType('resource').length"
                )
                if count != seen:
                    seen, stable_since = count, time.perf_counter()
                time.sleep(0.1)
            entries = driver.execute_script(
                "return performance.getEntriesByType('navigation')"
                ".concat(performance.getEntriesByType('resource')).map(e => ({"
                "name: e.name, entryType: e.entryType, initiatorType: e.initiatorType,"
                "encoded: e.encodedBodySize, decoded: e.decodedBodySize,"
                "transfer: e.transferSize, start: e.startTime, end: e.responseEnd}))"
            )
            load_posts = _posts(driver, server.base)
            page = _page_bytes(entries, load_posts, server.base)
            captured = _capture_interactions(driver, server.base, n_districts)
            captured["router"] = next(
                (p["body"] for p in load_posts if p["body"] and "root.children" in p["body"][:200]),
                None,
            )
    first_epoch = (origin_ms + marks["first"]) / 1000
    all_epoch = (origin_ms + marks["all"]) / 1000
    figures = {
        "chromium": version,
        "warm_to_200_s": to_200,
        "spawn_to_first_path_s": first_epoch - server.t_spawn_epoch,
        "spawn_to_all_paths_s": all_epoch - server.t_spawn_epoch,
        "in_page_ms": {
            "document_received": nav["responseEnd"],
            "dom_content_loaded": nav["dcl"],
            "load_event": nav["load"],
            **_responses_received(entries),
            "first_district_path": marks["first"],
            "all_district_paths": marks["all"],
        },
        "n_districts": n_districts,
        "page": page,
    }
    return figures, captured


def _responses_received(entries: list[dict[str, Any]]) -> dict[str, float | None]:
    """When the page callback, dash-leaflet's GeoJSON chunk and the first layer GeoJSON
    arrived (ms after navigation start)."""

    def first_end(match: Callable[[str], bool]) -> float | None:
        return next((e["end"] for e in entries if match(e["name"])), None)

    return {
        "page_callback_received": first_end(lambda n: urlparse(n).path.endswith(UPDATE)),
        "geojson_chunk_received": first_end(lambda n: "async-GeoJSON" in n),
        "geojson_fetch_received": first_end(lambda n: urlparse(n).path.endswith(".geojson")),
    }


def _page_bytes(entries: list[dict], posts: list[dict], base: str) -> dict[str, Any]:
    """Sum sizes by kind (tiles excluded) and estimate gzip sizes by replaying each request.
    A second request of a URL that the browser answers from its cache (the layer GeoJSON the
    page prefetched: ``transferSize`` 0) moved no bytes and is counted apart."""
    kept, tiles, cached = [], 0, 0
    for e in entries:
        host = urlparse(e["name"]).hostname or ""
        if any(host == h or host.endswith("." + h) for h in TILE_HOSTS):
            tiles += 1
            continue
        if e["entryType"] == "resource" and e["transfer"] == 0 and e["encoded"] > 0:
            cached += 1
            continue
        kept.append(e)
    # the k-th callback entry is the k-th POST in Chrome's log
    cb_entries = sorted(
        (e for e in kept if urlparse(e["name"]).path.endswith(UPDATE)), key=lambda e: e["start"]
    )
    cb_posts = sorted(
        (p for p in posts if urlparse(p["url"]).path.endswith(UPDATE)), key=lambda p: p["t"]
    )
    post_for = {
        id(e): p for e, p in zip(cb_entries, cb_posts, strict=False) if p["body"] is not None
    }
    rows = []
    for e in kept:
        body = None
        with contextlib.suppress(OSError):
            if id(e) in post_for:
                req = urllib.request.Request(
                    e["name"],
                    data=post_for[id(e)]["body"].encode(),
                    headers={"Content-Type": "application/json"},
                )
                with urllib.request.urlopen(req, timeout=60) as resp:
                    body = resp.read()
            elif not urlparse(e["name"]).path.endswith(UPDATE) and e["name"].startswith(base):
                with urllib.request.urlopen(e["name"], timeout=60) as resp:
                    body = resp.read()
        rows.append(
            {
                "url": e["name"].removeprefix(base),
                "kind": _kind(e),
                "encoded": e["encoded"],
                "decoded": e["decoded"],
                "gzip6": None if body is None else len(gzip.compress(body, compresslevel=6)),
            }
        )
    kinds: dict[str, dict[str, Any]] = {}
    for r in rows:
        k = kinds.setdefault(r["kind"], {"count": 0, "encoded": 0, "decoded": 0, "gzip6": 0})
        k["count"] += 1
        k["encoded"] += r["encoded"]
        k["decoded"] += r["decoded"]
        if k["gzip6"] is not None:
            k["gzip6"] = None if r["gzip6"] is None else k["gzip6"] + r["gzip6"]
    total = {
        "count": len(rows),
        "encoded": sum(r["encoded"] for r in rows),
        "decoded": sum(r["decoded"] for r in rows),
        "gzip6": None if any(r["gzip6"] is None for r in rows) else sum(r["gzip6"] for r in rows),
    }
    largest = sorted(rows, key=lambda r: r["decoded"], reverse=True)[:5]
    return {
        "by_kind": kinds,
        "total": total,
        "largest": largest,
        "tiles_excluded": tiles,
        "from_cache": cached,
    }


def _capture_interactions(driver: Any, base: str, n_districts: int) -> dict[str, Any]:
    """Click the scheme radio and the district toggle (off, on); keep the request bodies."""
    scheme_id = json.dumps(
        {"layer": "districts", "param": "scheme", "type": "layer-param"}, separators=(",", ":")
    )
    toggle_id = json.dumps({"layer": "districts", "type": "layer-toggle"}, separators=(",", ":"))
    click = (
        "const el = document.getElementById(arguments[0]);"
        "const input = el && el.querySelector(arguments[1]);"
        "if (!input) { return false; } input.click(); return true;"
    )
    captured: dict[str, Any] = {}
    if not driver.execute_script(click, scheme_id, 'input[value="equal_interval"]'):
        return captured
    posts: list[dict] = []

    def body_for(output: str) -> str | None:
        posts.extend(_posts(driver, base))
        return next(
            (p["body"] for p in reversed(posts) if p["body"] and output in p["body"][:200]), None
        )

    # legend and style in one request (its output names both)
    captured["restyle"] = _wait(lambda: body_for("layer-style"), 15, "the restyle request")
    driver.execute_script(click, toggle_id, "input")
    _wait(lambda: not driver.find_elements("css selector", DISTRICT_PATHS), 15, "districts off")
    posts.clear()
    driver.execute_script(click, toggle_id, "input")
    _wait(
        lambda: len(driver.find_elements("css selector", DISTRICT_PATHS)) >= n_districts,
        30,
        "districts on again",
    )
    captured["toggle"] = _wait(lambda: body_for("layer-group"), 15, "the toggle request")
    return captured


# --- report --------------------------------------------------------------------------------


def render_warm_start(br: dict[str, Any]) -> list[str]:
    """The browser part of section 1."""
    ip = br["in_page_ms"]
    n = br["n_districts"]
    return [
        "",
        "   warm start watched by headless Chromium (Chromium started beforehand)",
        table(
            ["", "seconds"],
            [
                ["spawn → GET / 200", f"{br['warm_to_200_s']:.2f}"],
                ["spawn → first district path drawn", f"{br['spawn_to_first_path_s']:.2f}"],
                [f"spawn → all {n} district paths drawn", f"{br['spawn_to_all_paths_s']:.2f}"],
            ],
        ),
        "   in the page, ms after navigation start:",
        table(
            ["event", "ms"],
            [
                ["HTML received", fmt_ms(ip["document_received"])],
                ["DOMContentLoaded (all scripts run)", fmt_ms(ip["dom_content_loaded"])],
                ["load event", fmt_ms(ip["load_event"])],
                [
                    "page callback (router: map page, GeoJSON by URL) received",
                    fmt_ms(ip["page_callback_received"]),
                ],
                [
                    "lazy dash-leaflet GeoJSON chunk (async-GeoJSON.js) received",
                    fmt_ms(ip["geojson_chunk_received"]),
                ],
                [
                    "district GeoJSON (/layers/districts.geojson) received",
                    fmt_ms(ip.get("geojson_fetch_received")),
                ],
                ["first district path in the DOM", fmt_ms(ip["first_district_path"])],
                [f"all {n} district paths in the DOM", fmt_ms(ip["all_district_paths"])],
            ],
        ),
    ]


def render_bytes(br: dict[str, Any] | None, payload_check: dict[str, str] | None) -> list[str]:
    """Section 2."""
    out = ["2. First page load in headless Chromium (Resource Timing; map tiles excluded)"]
    if br is None:
        return [*out, "   (no browser run)"]
    p = br["page"]
    out.append("   bytes: encoded = body as sent (Dash compress=True: flask-compress, br/gzip),")
    out.append(
        "   decoded = after decompression, gzip-6 = our own gzip-6 of the decoded body, for comparison"
    )
    b = fmt_bytes
    rows = [
        [k, v["count"], b(v["encoded"]), b(v["decoded"]), b(v["gzip6"])]
        for k, v in sorted(p["by_kind"].items(), key=lambda kv: -kv[1]["decoded"])
    ]
    t = p["total"]
    rows.append(["total", t["count"], b(t["encoded"]), b(t["decoded"]), b(t["gzip6"])])
    out.append(table(["kind", "count", "encoded B", "decoded B", "gzip-6 B"], rows))
    out.append(
        f"   total: {fmt_mib(t['encoded'])} sent, {fmt_mib(t['gzip6'])} with gzip; "
        f"{p['tiles_excluded']} tile requests excluded; {p.get('from_cache', 0)} read from the "
        "browser cache (no bytes moved)"
    )
    out.append("   largest 5:")
    out.append(
        table(
            ["resource", "kind", "decoded B", "gzip-6 B"],
            [[r["url"][:90], r["kind"], b(r["decoded"]), b(r["gzip6"])] for r in p["largest"]],
        )
    )
    if payload_check:
        out.append(
            "   request bodies built by this benchmark vs. the ones Chromium sent: "
            + "; ".join(f"{k}: {v}" for k, v in payload_check.items())
        )
    return out
