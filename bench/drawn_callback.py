"""Draw to assess through the app: server time of the callback, all plans, payload bytes.

Figures printed (not timed tests), in-process on the Jena demo pack and on copies of it whose
constraint polygons are cut into about 10× and 100× as many pieces:

* **one drawn polygon**: the draw-to-assess callback (``on_plans`` in
  ``dashboard/callbacks/drawn_plans.py``) POSTed through Flask's test client to
  ``/_dash-update-component`` with the body dash-renderer sends when the drawing tool reports
  a new shape (an empty session store, so exactly one plan is assessed). Wall time per request
  (Dash parsing, the callback, serialisation, compression; no network). The drawings are
  distinct random squares of 1–30 ha (turned at random) inside the built-up land use
  (residential, commercial, industrial, public), so the result cache never hits. The first
  request on a fresh app is reported apart ("cold": rules, constraint index, city area and the
  heat classes are built in it); median and p95 are over the following ``--draws`` requests.
  Response bytes: the decoded JSON and what went over the wire with the browser's
  ``Accept-Encoding``;
* **all plans**: ``layers.landuse.words.assessment`` without its ``lru_cache``
  (``__wrapped__``: reads the metric frames, builds the index, assesses every plan);
* **conflict layer**: ``GET /layers/conflicts.geojson?lang=de`` (the redirect to the
  versioned address followed): the first (building) request's time, raw bytes and the bytes
  with ``Accept-Encoding: gzip``.

The 10×/100× copies: each constraint polygon (in the metric CRS) is intersected with a grid of
squares of side ``sqrt(area / f)``, the pieces exploded to polygons (slivers under 1 m²
dropped) and given ids ``<id>-<n>``; ``f`` is adjusted (edge pieces add to the count) until
the total is within 10 % of the factor × the original count. ``constraints.geojson`` is
rewritten in a copy of the pack folder (the pack's version is a hash of its files, so the
copy gets its own; nothing else changes).

Run: ``.venv/bin/python -m bench.drawn_callback [--scales 1,10,100] [--draws 30]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import brotli
import geopandas as gpd
import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import Polygon, box

from bench.common import fmt_bytes, fmt_ms, log, machine, summary, table

UPDATE = "/_dash-update-component"
BROWSER_ENCODING = "gzip, deflate, br, zstd"  # what Chromium sends
BUILT_UP = ("residential", "commercial", "industrial", "public")
TARGET_MEDIAN_MS = 300.0  # city scale
TARGET_10X_MS = 600.0  # 10× the constraint polygons
PAGE = "bench1234"


# --- the pack copies -------------------------------------------------------------------------


def cut_constraints(frame: gpd.GeoDataFrame, factor: float) -> gpd.GeoDataFrame:
    """Every polygon cut by a grid of squares into about ``factor`` pieces (metric CRS)."""
    rows: list[dict[str, Any]] = []
    geoms: list[Any] = []
    for _, row in frame.iterrows():
        geom = row.geometry
        side = math.sqrt(geom.area / factor)
        x0, y0, x1, y1 = geom.bounds
        xs = np.arange(x0, x1, side)
        ys = np.arange(y0, y1, side)
        gx, gy = np.meshgrid(xs, ys)
        cells = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + side, gy.ravel() + side)
        cells = cells[shapely.intersects(cells, geom)]
        pieces = shapely.intersection(cells, geom)
        parts = shapely.get_parts(pieces)
        parts = parts[(shapely.get_type_id(parts) == 3) & (shapely.area(parts) > 1.0)]
        for k, part in enumerate(parts):
            rows.append(
                {
                    "constraint_id": f"{row['constraint_id']}-{k}",
                    "kind": row["kind"],
                    "name": row.get("name"),
                }
            )
            geoms.append(part)
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=frame.crs)


def pack_copy(source: Path, factor: int, tmp: Path) -> tuple[Path, int]:
    """A copy of ``source`` with its constraints cut ``factor``-fold; the folder and count."""
    from data.pack import load_pack

    pack = load_pack(source)
    metric = pack.metric("constraints")
    if factor == 1:
        return source, len(metric)
    folder = tmp / f"pack-{factor}x"
    shutil.copytree(source, folder)
    # edge pieces make more than ``factor`` pieces per polygon: coarser cells until the total
    # is within 10 % of ``factor`` × the original count
    wanted, fine = factor * len(metric), float(factor)
    cut = cut_constraints(metric, fine)
    for _ in range(4):
        if abs(len(cut) - wanted) <= 0.1 * wanted:
            break
        fine *= wanted / len(cut)
        cut = cut_constraints(metric, fine)
    cut = cut.to_crs("EPSG:4326")
    target = folder / "constraints.geojson"
    target.unlink()
    cut.to_file(target, driver="GeoJSON")
    return folder, len(cut)


# --- the request the browser sends -----------------------------------------------------------


def drawings(pack: Any, city: Any, count: int, seed: int = 15) -> list[dict[str, Any]]:
    """``count`` distinct squares of 1–30 ha (turned at random) inside the built-up land use
    and the city, as GeoJSON geometries in EPSG:4326 (what the drawing tool reports)."""
    landuse = pack.metric("landuse")
    built = shapely.union_all(landuse.geometry[landuse["use"].isin(BUILT_UP)].values)
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = built.bounds
    out: list[Polygon] = []
    tries = 0
    while len(out) < count:
        tries += 1
        if tries > 200 * count:
            raise RuntimeError(f"found only {len(out)} drawings in the built-up area")
        cx, cy = rng.uniform(x0, x1), rng.uniform(y0, y1)
        side = math.sqrt(rng.uniform(1, 30) * 10_000)
        square = affinity.rotate(
            box(cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2), rng.uniform(0, 90)
        )
        if built.contains(square.centroid) and city.contains(square):
            out.append(square)
    wgs = gpd.GeoSeries(out, crs=pack.city.metric_crs).to_crs("EPSG:4326")
    docs = []
    for geom in wgs:
        ring = [[round(x, 7), round(y, 7)] for x, y in geom.exterior.coords]
        docs.append({"type": "Polygon", "coordinates": [ring]})
    return docs


def callback_key(app: Any) -> str:
    """The output key of ``on_plans`` (its outputs start with the session store)."""
    from dashboard import ids

    for key in app.callback_map:
        if key.startswith(f"..{ids.DRAW_STORE}.data..."):
            return str(key)
    raise KeyError("no callback writes the draw store")


def _value(component: Any, prop: str, drawing: dict[str, Any], lid: int) -> Any:
    """The value the page holds for ``component.prop`` right after a shape was drawn."""
    from dashboard import ids

    kind = component.get("type") if isinstance(component, dict) else component
    feature = {
        "type": "Feature",
        "properties": {"type": "polygon", "_leaflet_id": lid},
        "geometry": drawing,
    }
    values: dict[tuple[Any, str], Any] = {
        (ids.DRAW_CONTROL, "geojson"): {"type": "FeatureCollection", "features": [feature]},
        (ids.DRAW_CONTROL, "id"): component,
        (ids.DRAW_STORE, "data"): {"version": 1, "plans": [], "current": None},
        (ids.DRAW_PAGE, "data"): PAGE,
        (ids.DRAW_REDRAW, "data"): 0,
        (ids.DRAW_NAME, "value"): "",
        (ids.DRAW_USE, "value"): "residential",
        (ids.DRAW_DWELLINGS, "value"): 0,
        (ids.LANG_STORE, "data"): "de",
    }
    return values.get((kind, prop))


def _concrete(pattern: str) -> tuple[bool, list[Any]]:
    """The page's ids for a dependency's id: one drawing tool ``{type, n: 0}``, no plan list
    buttons (an empty store)."""
    if not pattern.startswith("{"):
        return False, [pattern]
    spec = json.loads(pattern)
    multi = any(v in (["ALL"], ["ALLSMALLER"]) for v in spec.values())
    if "n" in spec:
        return multi, [{**spec, "n": 0}]
    return multi, []  # {type: draw-pick/draw-delete, plan: ALL}: no plans listed yet


def body(app: Any, key: str, drawing: dict[str, Any], lid: int) -> dict[str, Any]:
    """The body dash-renderer sends for ``on_plans`` when the tool reports one new shape."""
    cb = app.callback_map[key]

    def items(deps: list[dict[str, str]]) -> list[Any]:
        out: list[Any] = []
        for dep in deps:
            multi, comps = _concrete(dep["id"])
            got = [
                {
                    "id": c,
                    "property": dep["property"],
                    "value": _value(c, dep["property"], drawing, lid),
                }
                for c in comps
            ]
            out.append(got if multi else got[0])
        return out

    outputs = []
    for part in key[2:-2].split("..."):
        component, _, prop = part.rpartition(".")
        multi, comps = _concrete(component)
        specs = [{"id": c, "property": prop} for c in comps]
        outputs.append(specs if multi else specs[0])
    tool = json.dumps({"n": 0, "type": "draw-control"}, sort_keys=True, separators=(",", ":"))
    return {
        "output": key,
        "outputs": outputs,
        "inputs": items(cb["inputs"]),
        "state": items(cb["state"]),
        "changedPropIds": [f"{tool}.geojson"],
    }


def decode(data: bytes, encoding: str | None) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(data)
    if encoding == "br":
        return bytes(brotli.decompress(data))
    if encoding == "zstd":
        from backports import zstd  # what flask-compress uses on Python < 3.14

        return bytes(zstd.decompress(data))
    if encoding:
        raise RuntimeError(f"unexpected Content-Encoding {encoding}")
    return data


def post(client: Any, payload: bytes) -> tuple[float, bytes, int, str | None]:
    """One callback request: seconds, decoded body, wire bytes, content encoding."""
    start = time.perf_counter()
    resp = client.post(
        UPDATE,
        data=payload,
        headers={"Content-Type": "application/json", "Accept-Encoding": BROWSER_ENCODING},
    )
    data = resp.get_data()
    elapsed = time.perf_counter() - start
    if resp.status_code != 200:
        raise RuntimeError(f"callback answered {resp.status_code}: {data[:300]!r}")
    encoding = resp.headers.get("Content-Encoding")
    return elapsed, decode(data, encoding), len(data), encoding


def checked(raw: bytes) -> int:
    """The number of conflicts of the assessed plan; raises when the answer is not one."""
    from dashboard import ids

    doc = json.loads(raw)["response"]
    plans = doc[ids.DRAW_STORE]["data"]["plans"]
    if len(plans) != 1 or plans[0]["error"] is not None:
        raise RuntimeError(f"not assessed: {plans}")
    return len(plans)


# --- one scale -------------------------------------------------------------------------------


def run_scale(folder: Path, factor: int, count: int, draws: int, cache: Path) -> dict[str, Any]:
    from dashboard import drawn_engine
    from dashboard.app import create_app
    from dashboard.context import AppContext
    from dashboard.settings import Settings
    from data.pack import load_pack
    from layers.landuse.words import assessment
    from models.drawn_plan import pack_index, pack_rules

    t0 = time.perf_counter()
    pack = load_pack(folder)
    load_s = time.perf_counter() - t0
    settings = Settings(pack=folder, forecasts=False, cache_dir=cache)
    ctx = AppContext(settings, pack)
    app = create_app(settings, context=ctx, start_jobs=False)
    client = app.server.test_client()
    key = callback_key(app)
    city = drawn_engine.city_of(ctx)  # for drawing only; the cold request builds the rest
    shapes = drawings(pack, city, draws + 1)
    payloads = [json.dumps(body(app, key, d, 100 + i)).encode() for i, d in enumerate(shapes)]
    ctx.memo.pop(("drawn", "city"), None)  # the cold request pays for the city area too
    log(f"{factor}×: {count:,} constraint polygons, cold request")
    cold_s, cold_raw, _, _ = post(client, payloads[0])
    checked(cold_raw)
    times, raw_sizes, wire_sizes, encodings = [], [], [], set()
    for payload in payloads[1:]:
        s, raw, wire, enc = post(client, payload)
        checked(raw)
        times.append(s)
        raw_sizes.append(len(raw))
        wire_sizes.append(wire)
        encodings.add(enc or "identity")
    log(f"{factor}×: all plans, index build")
    reps = 5 if count < 5_000 else 3
    all_s = []
    for _ in range(reps):
        start = time.perf_counter()
        assessment.__wrapped__(pack)
        all_s.append(time.perf_counter() - start)
    rules = pack_rules(pack)
    start = time.perf_counter()
    pack_index(pack, rules)
    index_s = time.perf_counter() - start
    results = ctx.memo.get(("drawn", "results"), {}).values()
    hits = [len(r["plan"]["conflicts"]) for r in results if "plan" in r]
    log(f"{factor}×: conflict layer")
    assessment.cache_clear()  # the layer builds from scratch: assessment, geometry, JSON
    ctx._data.clear()
    ctx.geojson_cache.clear()
    start = time.perf_counter()
    layer = client.get("/layers/conflicts.geojson?lang=de", follow_redirects=True)
    layer_s = time.perf_counter() - start
    if layer.status_code != 200:
        raise RuntimeError(f"conflict layer answered {layer.status_code}")
    layer_raw = len(layer.get_data())
    zipped = client.get(
        "/layers/conflicts.geojson?lang=de",
        follow_redirects=True,
        headers={"Accept-Encoding": "gzip"},
    )
    layer_gzip = len(zipped.get_data())
    if zipped.headers.get("Content-Encoding") != "gzip":
        layer_gzip = len(gzip.compress(layer.get_data()))
    return {
        "scale": factor,
        "polygons": count,
        "pack_load_ms": 1000 * load_s,
        "cold_ms": 1000 * cold_s,
        "one": summary(times),
        "hits_per_drawing": float(np.mean(hits)) if hits else 0.0,
        "response_raw_median": int(np.median(raw_sizes)),
        "response_wire_median": int(np.median(wire_sizes)),
        "response_encoding": ",".join(sorted(encodings)),
        "all_plans": summary(all_s),
        "plans": len(pack.metric("plans")),
        "index_ms": 1000 * index_s,
        "layer_first_ms": 1000 * layer_s,
        "layer_raw": layer_raw,
        "layer_gzip": layer_gzip,
    }


def run(scales: list[int], draws: int) -> list[dict[str, Any]]:
    from data.cache import cache_dir
    from data.demo import ensure_demo_pack

    source = Path(ensure_demo_pack(cache_dir(None)))
    figures = []
    with tempfile.TemporaryDirectory(prefix="allmende-bench-drawn-") as tmp_s:
        tmp = Path(tmp_s)
        for factor in scales:
            log(f"{factor}×: pack copy")
            folder, count = pack_copy(source, factor, tmp)
            cache = tmp / f"cache-{factor}x"
            cache.mkdir()
            figures.append(run_scale(folder, factor, count, draws, cache))
    return figures


# --- the report ------------------------------------------------------------------------------


def report(figures: list[dict[str, Any]], draws: int) -> str:
    rows = [
        [
            f"{f['scale']}×",
            f"{f['polygons']:,}",
            fmt_ms(f["cold_ms"]),
            fmt_ms(f["one"]["median_ms"]),
            fmt_ms(f["one"]["p95_ms"]),
            f"{f['hits_per_drawing']:.1f}",
            fmt_bytes(f["response_raw_median"]),
            fmt_bytes(f["response_wire_median"]),
            fmt_ms(f["all_plans"]["median_ms"]),
            fmt_ms(f["index_ms"]),
            fmt_ms(f["layer_first_ms"]),
            fmt_bytes(f["layer_raw"]),
            fmt_bytes(f["layer_gzip"]),
        ]
        for f in figures
    ]
    header = [
        "constraints",
        "polygons",
        "cold 1st ms",
        f"drawn: median ms (n={draws})",
        "p95 ms",
        "hits",
        "resp. bytes",
        "wire",
        f"all {figures[0]['plans'] if figures else '?'} plans ms",
        "index ms",
        "layer build ms",
        "layer bytes",
        "gzip",
    ]
    lines = [table(header, rows)]
    enc = sorted({f["response_encoding"] for f in figures})
    lines.append(f"  (callback responses sent with Content-Encoding: {', '.join(enc)})")
    by = {f["scale"]: f for f in figures}
    for scale, target, what in (
        (1, TARGET_MEDIAN_MS, "city scale"),
        (10, TARGET_10X_MS, "10× constraints"),
    ):
        if scale not in by:
            continue
        med = by[scale]["one"]["median_ms"]
        p95 = by[scale]["one"]["p95_ms"]
        verdict = "PASS" if med < target else "FAIL"
        lines.append(
            f"  {verdict}: a drawn plan assessed in under {target:.0f} ms median at {what}: "
            f"median {fmt_ms(med)} ms, p95 {fmt_ms(p95)} ms, cold first {fmt_ms(by[scale]['cold_ms'])} ms"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scales", default="1,10,100", help="constraint multipliers")
    parser.add_argument("--draws", type=int, default=30, help="drawn polygons per scale")
    parser.add_argument("--json", action="store_true", help="the figures as JSON")
    args = parser.parse_args(argv)
    os.environ.setdefault("ALLMENDE_FORECASTS", "0")
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    info = machine()
    figures = run(scales, args.draws)
    if args.json:
        print(json.dumps({"machine": info, "figures": figures}, indent=2))
    else:
        print(
            f"draw to assess through the app (Jena demo pack), {time.strftime('%Y-%m-%d')}, "
            f"nproc {info['nproc']}, load {info['loadavg_start']}"
        )
        print(report(figures, args.draws))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
