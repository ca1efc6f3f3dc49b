"""Section 3: server time and response bytes of the map's callbacks, in-process.

``create_app`` runs on the pack and Flask's test client POSTs to
``/_dash-update-component?endId=…``. The request bodies are built as dash-renderer builds them
(``DashClient``): from ``/_dash-dependencies`` and a copy of the layout (initial layout plus the
page callback's response), with ``MATCH``/``ALL`` ids resolved to the concrete components in
document order, ``changedPropIds`` and ``parsedChangedPropsIds``. Time runs from the start of
the POST to the end of the whole response body (Flask and Dash overhead, no network). Every
response is checked for status 200 and its expected content.

Callbacks: restyle (one request answering the district legend and the layer's style store,
whose ``hideout`` the browser hands to the GeoJSON), the district layer toggle (the GeoJSON
component with the URL of its features) and the view/URL sync; and the GeoJSON fetch at
``/layers/districts.geojson?…`` that follows the toggle. "first call" clears the style cache
(``dashboard.context._style``) before every call, cycling through all variable × scheme × k
combinations; "cached" repeats the calls with the cache filled; for the toggle, "geometry
built" also clears the layer geometry caches (``AppContext._data`` and
``AppContext.geojson_cache``).

``DashClient``, ``open_app``, ``bench_param_callback`` and ``bench_toggle`` are reused by
``bench/growth.py``.
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench.common import UPDATE, fmt_bytes, fmt_ms, log, summary, table

TOGGLE_ID = {"layer": "districts", "type": "layer-toggle"}
MATCH_DISTRICTS = {"layer": "districts"}
ROUTER_OUTPUT = "..root.children...lang-store.data.."
# the restyle callback: the legend and the style store (hideout), one request
RESTYLE_OUTPUTS = (("layer-legend", "children"), ("layer-style", "data"))
RESTYLE_EXPECT = b'"breaks"'  # the hideout's class breaks (the legend comes with them)
TOGGLE_EXPECT = b"districts.geojson?"  # the URL of the features (Dash writes "/" as "\/")


def param_id(name: str) -> dict[str, str]:
    return {"layer": "districts", "param": name, "type": "layer-param"}


# --- speaking to Dash like dash-renderer ---------------------------------------------------


def stringify_id(cid: Any) -> str:
    """Dash's renderer ``stringifyId``: dict ids as JSON with sorted keys."""
    if isinstance(cid, dict):
        return json.dumps(cid, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return str(cid)


def _plain_id(cid: Any) -> Any:
    """A dict id with its keys sorted, as the renderer sends it; string ids unchanged."""
    return json.loads(stringify_id(cid)) if isinstance(cid, dict) else cid


def _split_outputs(output: str) -> list[tuple[str, str]]:
    """``"id.prop"`` or ``"..id1.prop1...id2.prop2.."`` into (id string, prop) pairs."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    return [tuple(p.rsplit(".", 1)) for p in parts]  # type: ignore[misc]


def _is_component(value: Any) -> bool:
    return isinstance(value, dict) and "props" in value and "type" in value and "namespace" in value


class Store:
    """The browser's view of the layout: component id -> props, in document order."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}  # stringified id -> {"id":..., "props":...}

    def add_tree(self, value: Any) -> None:
        if isinstance(value, list):
            for v in value:
                self.add_tree(v)
        elif isinstance(value, dict):
            if _is_component(value) and "id" in value["props"]:
                key = stringify_id(value["props"]["id"])
                self.items[key] = {"id": value["props"]["id"], "props": value["props"]}
            for v in value.values():
                if isinstance(v, (dict, list)):
                    self.add_tree(v)

    def set(self, cid: Any, prop: str, value: Any) -> None:
        self.items[stringify_id(cid)]["props"][prop] = value
        self.add_tree(value)

    def apply(self, response: dict[str, Any]) -> None:
        """Apply a callback response (``{"response": {id: {prop: value}}}``)."""
        for key, props in response.get("response", {}).items():
            cid = json.loads(key) if key.startswith("{") else key
            for prop, value in props.items():
                self.set(cid, prop, value)

    def find(self, raw: str, match: dict[str, Any]) -> tuple[bool, list[dict[str, Any]]]:
        """Components matching a (possibly wildcard) id string; ``(is_multi, hits)``."""
        if not raw.startswith("{"):
            item = self.items.get(raw)
            return False, [item] if item else []
        pattern = json.loads(raw)
        multi = any(v in (["ALL"], ["ALLSMALLER"]) for v in pattern.values())
        hits = []
        for item in self.items.values():
            cid = item["id"]
            if not isinstance(cid, dict) or set(cid) != set(pattern):
                continue
            ok = True
            for k, v in pattern.items():
                if v in (["ALL"], ["ALLSMALLER"]):
                    continue
                if v == ["MATCH"]:
                    ok = cid[k] == match[k]
                elif cid[k] != v:
                    ok = False
                if not ok:
                    break
            if ok:
                hits.append(item)
        return multi, hits


class DashClient:
    """Flask's test client speaking to a Dash app exactly like dash-renderer does. Creating
    it does the first ``GET /`` (timed) and reads the dependencies and the initial layout."""

    def __init__(self, app: Any):
        self.app = app
        self.client = app.server.test_client()
        t0 = time.perf_counter()
        index = self.client.get("/")
        self.first_get_s = time.perf_counter() - t0
        if index.status_code != 200:
            raise RuntimeError(f"GET / answered {index.status_code}")
        self.index_bytes = len(index.data)
        html = index.get_data(as_text=True)
        m = re.search(
            r'<script id="_dash-config" type="application/json">(.*?)</script>', html, re.S
        )
        config = json.loads(m.group(1)) if m else {}
        end_id = config.get("end_id")
        # Dash embeds app.validation_layout into every index page (when callback exceptions
        # are not suppressed)
        layout = config.get("validation_layout")
        self.index_validation_bytes = (
            len(json.dumps(layout, separators=(",", ":"))) if layout else 0
        )
        self.url = UPDATE + (f"?endId={quote(end_id, safe='~')}" if end_id else "")
        deps = self.client.get("/_dash-dependencies").get_json()
        self.deps = {d["output"]: d for d in deps}
        self.store = Store()
        self.store.add_tree(self.client.get("/_dash-layout").get_json())
        # dcc.Location fills these in on mount
        self.store.set("url", "pathname", "/")
        self.store.set("url", "search", "")

    def output_key(self, component_type: str, prop: str) -> str:
        """The output key of the district-matching callback for ``{type, layer}.prop``."""
        key = stringify_id({"layer": ["MATCH"], "type": component_type}) + "." + prop
        if key not in self.deps:
            raise KeyError(f"no callback with output {key}; outputs: {sorted(self.deps)}")
        return key

    def outputs_key(self, outputs: Sequence[tuple[str, str]]) -> str:
        """The output key of a district-matching callback with several outputs."""
        parts = [
            stringify_id({"layer": ["MATCH"], "type": kind}) + "." + prop for kind, prop in outputs
        ]
        key = ".." + "...".join(parts) + ".."
        if key not in self.deps:
            raise KeyError(f"no callback with outputs {key}; outputs: {sorted(self.deps)}")
        return key

    def restyle_key(self) -> str:
        return self.outputs_key(RESTYLE_OUTPUTS)

    def body(
        self, output: str, changed: Sequence[tuple[Any, str]], match: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """The request body the renderer sends for callback ``output``."""
        spec = self.deps[output]
        match = match or {}

        def resolve(dep: dict[str, str]) -> Any:
            raw, prop = dep["id"], dep["property"]
            multi, hits = self.store.find(raw, match)
            out = []
            for item in hits:
                entry: dict[str, Any] = {"id": _plain_id(item["id"]), "property": prop}
                if prop == "id":
                    entry["value"] = item["id"]
                elif prop in item["props"]:
                    entry["value"] = item["props"][prop]
                out.append(entry)
            if multi:
                return out
            if len(out) != 1:
                raise KeyError(f"{raw}.{prop}: {len(out)} components match {match}")
            return out[0]

        outs: list[dict[str, Any]] = []
        for raw, prop in _split_outputs(output):
            _, hits = self.store.find(raw, match)
            if not hits:
                raise KeyError(f"output {raw}.{prop}: no component matches {match}")
            outs.extend({"id": _plain_id(h["id"]), "property": prop} for h in hits)
        single = not output.startswith("..") and len(outs) == 1
        return {
            "output": output,
            "outputs": outs[0] if single else outs,
            "inputs": [resolve(d) for d in spec["inputs"]],
            "changedPropIds": [f"{stringify_id(cid)}.{prop}" for cid, prop in changed],
            "parsedChangedPropsIds": [
                _plain_id(cid) if isinstance(cid, dict) else f"{cid}.{prop}"
                for cid, prop in changed
            ],
            "state": [resolve(d) for d in spec["state"]],
        }

    def payload(self, output: str, changed: Sequence[tuple[Any, str]], match: dict | None) -> bytes:
        """``body`` encoded as the renderer sends it."""
        body = self.body(output, changed, match)
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()

    def district_payload(self, output: str, changed_id: dict[str, Any]) -> bytes:
        """The body for a district callback fired by ``changed_id.value``."""
        return self.payload(output, [(changed_id, "value")], MATCH_DISTRICTS)

    def post(self, payload: bytes) -> tuple[float, int, bytes]:
        t0 = time.perf_counter()
        resp = self.client.post(self.url, data=payload, content_type="application/json")
        data = resp.get_data()
        return time.perf_counter() - t0, resp.status_code, data

    def load_page(self) -> tuple[float, int]:
        """Run the router callback for ``/`` as the browser does; returns (seconds, bytes)."""
        self.router_body = self.payload(ROUTER_OUTPUT, [("url", "pathname")], None)
        dt, status, data = self.post(self.router_body)
        if status != 200:
            raise RuntimeError(f"router callback answered {status}: {data[:300]!r}")
        self.store.apply(json.loads(data))
        return dt, len(data)


def open_app(folder: Path) -> tuple[DashClient, dict[str, Any]]:
    """``create_app`` on ``folder``, the first ``GET /`` and the page callback, timed."""
    from dashboard.app import create_app
    from dashboard.settings import Settings

    t0 = time.perf_counter()
    # no forecast job: it is not measured here, and a daemon thread still fitting models
    # when the interpreter exits aborts the process ("terminate called without an active
    # exception", exit 134)
    app = create_app(Settings(pack=folder, forecasts=False))
    create_s = time.perf_counter() - t0
    dc = DashClient(app)
    page_s, page_bytes = dc.load_page()
    return dc, {
        "create_app_s": create_s,
        "first_get_s": dc.first_get_s,
        "index_bytes": dc.index_bytes,
        "index_validation_layout_bytes": dc.index_validation_bytes,
        "page_callback_s": page_s,
        "page_callback_bytes": page_bytes,
    }


# --- timing --------------------------------------------------------------------------------


@cache
def combos() -> tuple[dict[str, Any], ...]:
    """Every variable × scheme × k, ordered so that schemes alternate."""
    from layers import get_layer

    p = {x.name: x for x in get_layer("districts").params}
    variables = [c for c, _ in p["variable"].choices]
    schemes = [c for c, _ in p["scheme"].choices]
    ks = range(int(p["k"].min or 3), int(p["k"].max or 7) + 1)
    return tuple(
        {"variable": v, "scheme": s, "k": k}
        for k, v, s in itertools.product(ks, variables, schemes)
    )


@dataclass
class Series:
    """Timings and response sizes of one callback under one cache condition."""

    times: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    bad: list[str] = field(default_factory=list)
    by_scheme: dict[str, list[float]] = field(default_factory=dict)

    def add(
        self,
        dt: float,
        status: int,
        data: bytes,
        expect: bytes,
        scheme: str = "",
        *,
        forbid: bytes = b"",
        size: int | None = None,
        ok_status: int = 200,
    ) -> None:
        """One call: ``data`` must hold ``expect`` (and not ``forbid``); ``size`` is the
        bytes sent when ``data`` is the decoded body of a compressed response."""
        self.times.append(dt)
        self.sizes.append(len(data) if size is None else size)
        if scheme:
            self.by_scheme.setdefault(scheme, []).append(dt)
        if status != ok_status or expect not in data or (forbid and forbid in data):
            self.bad.append(f"status {status}, {len(data)} bytes: {data[:200]!r}")

    def result(self) -> dict[str, Any]:
        out = summary(self.times)
        out["bytes_median"] = int(statistics.median(self.sizes)) if self.sizes else None
        out["bytes_max"] = max(self.sizes) if self.sizes else None
        out["ok"] = len(self.times) - len(self.bad)
        out["errors"] = self.bad[:3]
        if self.by_scheme:
            out["by_scheme"] = {k: summary(v) for k, v in self.by_scheme.items()}
        return out


def _param_bodies(dc: DashClient, output: str) -> list[tuple[str, bytes]]:
    """(scheme, body) per parameter combination; the changed input is the param that changed.
    Leaves the parameters at the app's defaults."""
    bodies = []
    prev: dict[str, Any] = {"variable": None}
    for combo in combos():
        for name, value in combo.items():
            dc.store.set(param_id(name), "value", value)
        changed = next(n for n in ("variable", "scheme", "k") if prev.get(n) != combo[n])
        bodies.append((combo["scheme"], dc.district_payload(output, param_id(changed))))
        prev = combo
    for name, value in {"variable": "density", "scheme": "quantiles", "k": 5}.items():
        dc.store.set(param_id(name), "value", value)
    return bodies


def bench_param_callback(
    dc: DashClient,
    output: str,
    expect: bytes,
    uncached_target: int,
    cached_target: int,
    budget_s: float,
) -> dict[str, Any]:
    """First call: the style cache is cleared before every call, so each call computes the
    classes for its parameters (as the first request for a combination does). Schemes take
    turns, each with its own time budget (at least one call each), so a slow scheme cannot
    starve the others. Cached: after one pass that fills the cache, cycling again."""
    from dashboard.context import _style

    bodies = _param_bodies(dc, output)
    uncached, cached = Series(), Series()
    schemes = sorted({scheme for scheme, _ in bodies})
    spent = dict.fromkeys(schemes, 0.0)
    share = budget_s / len(schemes)
    i = 0
    while len(uncached.times) < uncached_target and any(t < share for t in spent.values()):
        scheme, payload = bodies[i % len(bodies)]
        i += 1
        if spent[scheme] >= share and scheme in uncached.by_scheme:
            continue
        _style.cache_clear()
        t0 = time.perf_counter()
        uncached.add(*dc.post(payload), expect, scheme)
        spent[scheme] += time.perf_counter() - t0
    for _, payload in bodies:  # fill the cache
        dc.post(payload)
    for i in range(cached_target):
        scheme, payload = bodies[i % len(bodies)]
        cached.add(*dc.post(payload), expect, scheme)
    return {"uncached": uncached.result(), "cached": cached.result()}


def _clear_geometry(dc: DashClient) -> None:
    """Empty the layer geometry caches (built GeoJSON and its serialised form) and styles."""
    from dashboard.context import _style

    ctx = dc.app.server.config["ALLMENDE_CONTEXT"]
    ctx._data.clear()
    ctx.geojson_cache.clear()
    _style.cache_clear()


def _toggle_payload(dc: DashClient) -> bytes:
    dc.store.set(TOGGLE_ID, "value", ["on"])
    return dc.district_payload(dc.output_key("layer-group", "children"), TOGGLE_ID)


def bench_toggle(dc: DashClient, uncached_reps: int, cached_reps: int) -> dict[str, Any]:
    """Switching the district layer on: the response carries the GeoJSON component with the
    URL of its features (no features; the callback builds them for the fetch that follows)."""
    payload = _toggle_payload(dc)
    uncached, cached = Series(), Series()
    for _ in range(uncached_reps):
        _clear_geometry(dc)
        uncached.add(*dc.post(payload), TOGGLE_EXPECT, forbid=b'"features"')
    for _ in range(cached_reps):
        cached.add(*dc.post(payload), TOGGLE_EXPECT, forbid=b'"features"')
    return {"uncached": uncached.result(), "cached": cached.result()}


def geojson_url(response: bytes) -> str:
    """The GeoJSON URL in a toggle response (the ``url`` of the layer group's component)."""
    answer = json.loads(response)["response"]
    (props,) = answer.values()
    return str(props["children"][0]["props"]["url"])


def _get(dc: DashClient, url: str, headers: dict[str, str]) -> tuple[float, int, bytes, int]:
    """GET ``url``: seconds, status, the decoded body and the bytes sent."""
    t0 = time.perf_counter()
    resp = dc.client.get(url, headers=headers)
    sent = resp.get_data()
    dt = time.perf_counter() - t0
    body = gzip.decompress(sent) if resp.headers.get("Content-Encoding") == "gzip" else sent
    return dt, resp.status_code, body, len(sent)


def bench_geojson(dc: DashClient, cold_reps: int, cached_reps: int) -> dict[str, Any]:
    """The fetch of ``/layers/districts.geojson?…`` that follows the toggle, gzip accepted:
    "geometry built" clears the caches first (the fetch builds the features, as on a worker
    that did not answer the toggle); "after the toggle" fetches right after the toggle
    callback built them; "cached" repeats the fetch; "revalidated" sends ``If-None-Match``
    (304, no body; with ``immutable`` a browser does not even ask); "uncompressed" is the
    decoded size."""
    payload = _toggle_payload(dc)
    url = geojson_url(dc.post(payload)[2])
    gz = {"Accept-Encoding": "gzip"}
    want = b'"FeatureCollection"'
    series = {k: Series() for k in ("built", "after_toggle", "cached", "revalidated")}
    for _ in range(cold_reps):
        _clear_geometry(dc)
        dt, status, body, sent = _get(dc, url, gz)
        series["built"].add(dt, status, body, want, size=sent)
        _clear_geometry(dc)
        dc.post(payload)
        dt, status, body, sent = _get(dc, url, gz)
        series["after_toggle"].add(dt, status, body, want, size=sent)
    etag = dc.client.get(url, headers=gz).headers.get("ETag", "")
    for _ in range(cached_reps):
        dt, status, body, sent = _get(dc, url, gz)
        series["cached"].add(dt, status, body, want, size=sent)
        dt, status, body, sent = _get(dc, url, {**gz, "If-None-Match": etag})
        series["revalidated"].add(dt, status, body, b"", size=sent, ok_status=304)
    plain = dc.client.get(url, headers={"Accept-Encoding": "identity"})
    out: dict[str, Any] = {k: v.result() for k, v in series.items()}
    out["url"] = url
    out["decoded_bytes"] = len(plain.get_data())
    out["cache_control"] = plain.headers.get("Cache-Control")
    return out


def bench_view(dc: DashClient, reps: int) -> dict[str, Any]:
    """The URL/view callback that also fires on every parameter change."""
    output = next(k for k in dc.deps if k.startswith("..url-sync.data"))
    bodies = _param_bodies(dc, output)
    series = Series()
    for i in range(reps):
        series.add(*dc.post(bodies[i % len(bodies)][1]), b"url-sync")
    return {"cached": series.result()}


def bench_callbacks(folder: Path, quick: bool) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Section 3 on ``folder``. Returns the figures and the request bodies built here for the
    browser's interactions (router, restyle, toggle), for ``compare_bodies``."""
    log(f"callbacks: create_app on {folder}")
    dc, figures = open_app(folder)
    n_combos = len(combos())
    unc, cac = (2 * n_combos, 60) if quick else (7 * n_combos, 210)
    budget = 15.0 if quick else 60.0
    restyle_out = dc.restyle_key()
    log(f"callbacks: restyle, legend and style in one request ({unc} uncached, {cac} cached)")
    restyle = bench_param_callback(dc, restyle_out, RESTYLE_EXPECT, unc, cac, budget)
    log("callbacks: layer toggle")
    toggle = bench_toggle(dc, 5 if quick else 20, 30 if quick else 200)
    log("callbacks: the layer GeoJSON by URL")
    fetch = bench_geojson(dc, 5 if quick else 20, 30 if quick else 200)
    log("callbacks: view/URL")
    view = bench_view(dc, 60 if quick else 210)
    # what the browser sends after clicking "equal_interval", then switching districts on
    dc.store.set(param_id("scheme"), "value", "equal_interval")
    built = {
        "router": dc.router_body,
        "restyle": dc.district_payload(restyle_out, param_id("scheme")),
        "toggle": dc.district_payload(dc.output_key("layer-group", "children"), TOGGLE_ID),
    }
    results = {"restyle": restyle, "toggle": toggle, "geojson": fetch, "view": view}
    return figures | results, built


def compare_bodies(captured: dict[str, str | None], built: dict[str, bytes]) -> dict[str, str]:
    """Per interaction: are the bodies built here and the ones Chromium sent equal as JSON?"""
    out = {}
    for name, ours in built.items():
        theirs = captured.get(name)
        if theirs is None:
            out[name] = "not captured"
            continue
        a, b = json.loads(theirs), json.loads(ours)
        if a == b:
            out[name] = "identical (as JSON)"
        else:
            keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            out[name] = f"DIFFERS in {', '.join(keys)}"
    return out


# --- report --------------------------------------------------------------------------------


def render(c: dict[str, Any]) -> list[str]:
    out = [
        "3. Callback server time, in-process (Flask test client POST /_dash-update-component",
        "   with the renderer's request body; time = request in → whole response out)",
        f"   create_app {c['create_app_s']:.2f} s; first GET / {c['first_get_s'] * 1000:.1f} ms, "
        f"{fmt_bytes(c['index_bytes'])} B (of which {fmt_bytes(c['index_validation_layout_bytes'])}"
        " B are app.validation_layout,",
        "   embedded by Dash in _dash-config: the map page's ids, without layer data); page callback "
        f"{c['page_callback_s'] * 1000:.1f} ms, {fmt_bytes(c['page_callback_bytes'])} B",
    ]

    def row(name: str, cache: str, r: dict[str, Any]) -> list[Any]:
        return [
            name,
            cache,
            r["n"],
            fmt_ms(r["median_ms"]),
            fmt_ms(r["p95_ms"]),
            fmt_ms(r["min_ms"]),
            fmt_bytes(r["bytes_median"]),
            f"{r['ok']}/{r['n']}",
        ]

    g = c["geojson"]
    rows = [
        row("restyle: legend + style, 1 request", "first call", c["restyle"]["uncached"]),
        row("", "cached", c["restyle"]["cached"]),
        row("toggle districts on (GeoJSON URL)", "geometry built", c["toggle"]["uncached"]),
        row("", "cached", c["toggle"]["cached"]),
        row("GeoJSON fetch (gzip), fetch builds", "geometry built", g["built"]),
        row("GeoJSON fetch after the toggle", "server memory", g["after_toggle"]),
        row("", "cached", g["cached"]),
        row("GeoJSON revalidated (304)", "If-None-Match", g["revalidated"]),
        row("view/URL sync", "—", c["view"]["cached"]),
    ]
    header = ["callback", "style cache", "n", "median ms", "p95 ms", "min ms", "bytes", "ok"]
    out.append(table(header, rows))
    by = c["restyle"]["uncached"].get("by_scheme", {})
    if by:
        out.append(
            "   restyle first call by scheme (median ms): "
            + ", ".join(f"{k} {fmt_ms(v['median_ms'])} (n={v['n']})" for k, v in by.items())
        )
    toggle_b, fetch_b = c["toggle"]["cached"]["bytes_median"], g["cached"]["bytes_median"]
    out += [
        f"   GeoJSON {g['url']}: {fmt_bytes(g['decoded_bytes'])} B uncompressed, "
        f"{fmt_bytes(fetch_b)} B gzip; Cache-Control: {g['cache_control']}",
        f"   switching districts on: {fmt_bytes(toggle_b)} B callback response + "
        f"{fmt_bytes(fetch_b)} B GeoJSON (gzip) on the first view, the callback alone after",
        "   (the browser keeps the GeoJSON for its URL: immutable, no request at all)",
        "   'first call': the style cache (dashboard.context._style) was cleared before each call",
        "   (cycling through all 30 variable × scheme × k combinations); 'cached': the same",
        "   calls again with the cache filled. 'geometry built': the layer geometry caches",
        "   (AppContext._data, AppContext.geojson_cache) were cleared too, so the GeoJSON is",
        "   built from the pack (by the toggle callback, or by the fetch when it comes first).",
    ]
    return out
