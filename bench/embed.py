"""Section 7: the public embed's first load against its budget (1.5 MB, tiles excluded).

A warm ``app.py`` is spawned and headless Chromium opens ``/embed`` with a few layers (the
offline base map, so no tiles are requested at all). Once the map's shapes are drawn and no
request has started for 1.5 s, every navigation and resource entry is summed:

* **transferred** — ``encodedBodySize``: the bytes that cross the network (the app serves
  gzip/brotli through flask-compress); this is what the budget is about;
* **decoded** — ``decodedBodySize``: what the browser holds after decompression.

Everything is served by the app itself (no CDN); a request to another host is reported. A
request the browser answers from its cache (``transferSize`` 0: dash-leaflet's own fetch of
a layer GeoJSON the page has prefetched) moves no bytes and is left out.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bench.common import PackSource, Server, chromium, fmt_mib, log
from bench.page_load import _kind

BUDGET_BYTES = 1_500_000
VIEWS = (
    ("districts", "/embed?layers=districts&base=offline&lang=de"),
    (
        "heat (3 layers)",
        "/embed?layers=districts,heat-vulnerability,facilities,heat-surface&base=offline&lang=de",
    ),
    (
        "heat, grid level",
        "/embed?layers=heat-vulnerability&heat-vulnerability.level=grid&base=offline&lang=de",
    ),
)


def _settle(driver: Any) -> None:
    seen, stable_since = -1, time.perf_counter()
    while time.perf_counter() - stable_since < 1.5:
        count = driver.execute_script("return performance.getEntriesByType('resource').length")
        if count != seen:
            seen, stable_since = count, time.perf_counter()
        time.sleep(0.1)


def measure(driver: Any, base: str, path: str) -> dict[str, Any]:
    driver.get(base + path)
    end = time.time() + 60
    while time.time() < end:
        n = driver.execute_script(
            "return document.querySelectorAll('.leaflet-overlay-pane path, .leaflet-pane path').length"
        )
        if n:
            break
        time.sleep(0.1)
    _settle(driver)
    entries = driver.execute_script(
        "return performance.getEntriesByType('navigation')"
        ".concat(performance.getEntriesByType('resource')).map(e => ({"
        "name: e.name, initiatorType: e.initiatorType, entryType: e.entryType,"
        "encoded: e.encodedBodySize, decoded: e.decodedBodySize, transfer: e.transferSize}))"
    )
    own = urlparse(base).netloc
    foreign = [e["name"] for e in entries if urlparse(e["name"]).netloc not in ("", own)]
    # a second request the browser answers from its cache (dash-leaflet's fetch of a layer
    # GeoJSON the page prefetched) moves no bytes
    entries = [
        e
        for e in entries
        if not (e["entryType"] == "resource" and e["transfer"] == 0 and e["encoded"] > 0)
    ]
    kinds: dict[str, dict[str, int]] = {}
    for e in entries:
        k = kinds.setdefault(_kind(e), {"count": 0, "encoded": 0, "decoded": 0})
        k["count"] += 1
        k["encoded"] += int(e["encoded"])
        k["decoded"] += int(e["decoded"])
    total_encoded = sum(k["encoded"] for k in kinds.values())
    total_decoded = sum(k["decoded"] for k in kinds.values())
    return {
        "path": path,
        "requests": len(entries),
        "encoded": total_encoded,
        "decoded": total_decoded,
        "by_kind": kinds,
        "foreign": foreign,
        "within_budget": total_encoded <= BUDGET_BYTES and not foreign,
    }


def bench_embed(source: PackSource, cache_dir: Path, tmp: Path) -> dict[str, Any]:
    rows = []
    with chromium() as driver, Server(source, cache_dir, tmp / "embed-server.log") as server:
        server.wait_ready()
        for label, path in VIEWS:
            driver.get("about:blank")
            driver.execute_cdp_cmd("Network.clearBrowserCache", {})
            row = measure(driver, server.base, path)
            row["label"] = label
            log(f"embed {label}: {row['encoded'] / 1e6:.2f} MB transferred")
            rows.append(row)
    return {"budget": BUDGET_BYTES, "rows": rows}


def render(e: dict[str, Any]) -> list[str]:
    lines = [
        f"7. Public embed: first load, tiles excluded (budget {e['budget'] / 1e6:.1f} MB transferred)",
        f"{'view':<18} {'requests':>8} {'transferred':>12} {'decoded':>10} {'JS sent':>9} {'budget':>7}",
    ]
    for r in e["rows"]:
        js = r["by_kind"].get("script", {}).get("encoded", 0)
        lines.append(
            f"{r['label']:<18} {r['requests']:>8} {r['encoded'] / 1e6:>10.2f} MB "
            f"{fmt_mib(r['decoded']):>10} {js / 1e6:>7.2f} MB {'met' if r['within_budget'] else 'MISSED':>7}"
        )
        if r["foreign"]:
            lines.append(f"  requests to other hosts: {', '.join(r['foreign'][:5])}")
    lines.append(
        "transferred = encodedBodySize (gzip/brotli as served); decoded = after decompression."
    )
    return lines
