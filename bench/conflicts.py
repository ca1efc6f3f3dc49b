"""Land-use conflicts: how long an assessment takes and how big its answer is.

Figures printed (not timed tests), in-process, on a synthetic city of Jena's size
(10 km × 12 km in EPSG:25832, shapes made here, no pack needed):

* building the constraint index (``STRtree``, once per constraint set);
* one drawn polygon (``models.conflicts.assess_one`` with the prepared index, the drawing in
  EPSG:4326 as the map sends it): median and p95 over 50 random polygons of 2–30 ha — the
  server time of the draw-to-assess callback's engine part;
* all plans (12 developments) with the prepared index and from the raw frame (index built
  inside);
* each with 1×, 10× and 100× the constraint polygons (the same zones cut into more, smaller
  pieces: finer heat-hotspot cells, more and smaller cold-air and nature areas, corridors and
  flood zone in more segments);
* the JSON bytes of one assessment (``Assessment.to_dict(geometry=True)``, GeoJSON in
  EPSG:4326 with 6 decimals), median over the 50 drawings.

Run: ``.venv/bin/python -m bench.conflicts [--scales 1,10,100] [--draws 50]``.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
import shapely.ops
from shapely.geometry import LineString, Polygon, box

from bench.common import fmt_bytes, fmt_ms, log, summary, table
from models.conflict_rules import load_rules
from models.conflicts import assess, assess_one, index_constraints

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "data" / "demo" / "conflict_rules.toml"
CRS = "EPSG:25832"
X0, Y0 = 674_000.0, 5_636_000.0  # south-west corner of the synthetic city
WIDTH, HEIGHT = 10_000.0, 12_000.0
USES = ("residential", "mixed", "commercial", "industrial", "public", "green")


def _blob(rng: np.random.Generator, cx: float, cy: float, r: float, n: int = 16) -> Polygon:
    angles = np.sort(rng.uniform(0, 2 * np.pi, n))
    radii = r * rng.uniform(0.6, 1.0, n)
    return Polygon(zip(cx + radii * np.cos(angles), cy + radii * np.sin(angles), strict=True))


def _segments(line: LineString, width: float, pieces: int) -> list[Polygon]:
    """``line`` buffered by ``width`` and cut into ``pieces`` along its length."""
    step = line.length / pieces
    out = []
    for i in range(pieces):
        part = shapely.ops.substring(line, i * step, (i + 1) * step)
        out.append(part.buffer(width, cap_style="flat"))
    return out


def synthetic_constraints(scale: int, seed: int = 15) -> gpd.GeoDataFrame:
    """The city's constraint zones cut into about ``scale`` × as many polygons."""
    rng = np.random.default_rng(seed)
    rows: list[tuple[str, Polygon]] = []
    valley = LineString(
        [(X0 + 4_000 + 600 * math.sin(t / 1_500), Y0 + t) for t in np.linspace(0, HEIGHT, 60)]
    )
    sides = [
        LineString([(X0 + 4_000 + 600 * math.sin(y / 1_500), Y0 + y), (X0 + x, Y0 + y + dy)])
        for y, x, dy in (
            (2_000, 0, 800),
            (4_500, 10_000, -500),
            (6_000, 0, 1_200),
            (8_000, 10_000, 600),
            (10_000, 500, 900),
            (11_000, 9_000, -900),
        )
    ]
    for line, segs in [(valley, 12), *((s, 3) for s in sides)]:
        rows += [("ventilation_core", g) for g in _segments(line, 50, segs * scale)]
        band = _segments(line, 150, segs * scale)
        rows += [("ventilation_band", g) for g in band]
    rows += [("flood_hq100", g) for g in _segments(valley, 250, 20 * scale)]
    for kind, count, radius in (
        ("cold_air", 40, 400),
        ("nature_protected", 20, 500),
        ("green_corridor", 10, 700),
    ):
        n = count * scale
        r = radius / math.sqrt(scale)
        xs, ys = rng.uniform(0, WIDTH, n), rng.uniform(0, HEIGHT, n)
        rows += [(kind, _blob(rng, X0 + x, Y0 + y, r)) for x, y in zip(xs, ys, strict=True)]
    # heat hotspots: the top class of a 100 m vulnerability grid in the valley floor, finer
    # cells for more polygons
    cell = 100.0 / math.sqrt(scale)
    centres = rng.uniform([3_000, 2_000], [5_500, 10_000], size=(25, 2))
    for cx, cy in centres:
        k = max(1, round(250 / cell))
        for i in range(-k, k):
            for j in range(-k, k):
                if (i * i + j * j) * cell * cell <= 250**2 and rng.random() < 0.8:
                    x, y = X0 + cx + i * cell, Y0 + cy + j * cell
                    rows.append(("heat_hotspot", box(x, y, x + cell, y + cell)))
    return gpd.GeoDataFrame(
        {"constraint_id": [f"K{i}" for i in range(len(rows))], "kind": [r[0] for r in rows]},
        geometry=[r[1] for r in rows],
        crs=CRS,
    )


def synthetic_plans(count: int = 12, seed: int = 16) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    geoms, uses = [], []
    for _ in range(count):
        side = math.sqrt(rng.uniform(2, 15) * 10_000)
        x, y = rng.uniform(3_000, 5_500), rng.uniform(1_000, 11_000)
        geoms.append(box(X0 + x, Y0 + y, X0 + x + side, Y0 + y + side * rng.uniform(0.6, 1.4)))
        uses.append(str(rng.choice(USES)))
    return gpd.GeoDataFrame(
        {
            "plan_id": [f"B{i:02d}" for i in range(count)],
            "use": uses,
            "dwellings": rng.integers(0, 400, count),
        },
        geometry=geoms,
        crs=CRS,
    )


def drawings(count: int, seed: int = 17) -> list[Polygon]:
    """Random drawn polygons of 2–30 ha in EPSG:4326 (what the map sends)."""
    rng = np.random.default_rng(seed)
    metric = [
        _blob(
            rng,
            X0 + rng.uniform(3_000, 5_500),  # the valley floor, where uses compete
            Y0 + rng.uniform(1_000, 11_000),
            math.sqrt(rng.uniform(2, 30) * 10_000 / math.pi) / 0.8,
            n=12,
        )
        for _ in range(count)
    ]
    return list(gpd.GeoSeries(metric, crs=CRS).to_crs("EPSG:4326"))


def _time(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def run(scales: list[int], draws: int) -> list[dict[str, Any]]:
    rules = load_rules(RULES)
    plans = synthetic_plans()
    drawn = drawings(draws)
    uses = [USES[i % len(USES)] for i in range(draws)]
    figures = []
    for scale in scales:
        log(f"conflicts: {scale}× constraint polygons")
        cons = synthetic_constraints(scale)
        build_s, index = _time(lambda c=cons: index_constraints(c, kinds=rules.kinds()))
        assess_one(drawn[0], "residential", 10, index, rules, crs="EPSG:4326")  # warm up
        one, sizes, hits = [], [], []
        for geom, use in zip(drawn, uses, strict=True):
            s, res = _time(
                lambda g=geom, u=use, i=index: assess_one(g, u, 50, i, rules, crs="EPSG:4326")
            )
            one.append(s)
            hits.append(sum(len(p.hits) for p in res.plans))
            sizes.append(len(json.dumps(res.to_dict(geometry=True), ensure_ascii=False)))
        all_idx = [_time(lambda i=index: assess(plans, i, rules))[0] for _ in range(5)]
        all_raw = [_time(lambda c=cons: assess(plans, c, rules))[0] for _ in range(3)]
        figures.append(
            {
                "scale": scale,
                "polygons": len(cons),
                "index_ms": 1000 * build_s,
                "one": summary(one),
                "hits_per_drawing": float(np.mean(hits)),
                "all_indexed": summary(all_idx),
                "all_raw": summary(all_raw),
                "json_bytes_median": int(np.median(sizes)),
                "json_bytes_max": int(max(sizes)),
            }
        )
    return figures


def report(figures: list[dict[str, Any]], draws: int) -> str:
    rows = [
        [
            f"{f['scale']}×",
            f"{f['polygons']:,}",
            fmt_ms(f["index_ms"]),
            fmt_ms(f["one"]["median_ms"]),
            fmt_ms(f["one"]["p95_ms"]),
            f"{f['hits_per_drawing']:.1f}",
            fmt_ms(f["all_indexed"]["median_ms"]),
            fmt_ms(f["all_raw"]["median_ms"]),
            fmt_bytes(f["json_bytes_median"]),
            fmt_bytes(f["json_bytes_max"]),
        ]
        for f in figures
    ]
    header = [
        "constraints",
        "polygons",
        "index ms",
        f"one drawn: median ms (n={draws})",
        "p95 ms",
        "hits/drawing",
        "12 plans, index: median ms",
        "12 plans, raw frame: median ms",
        "JSON bytes median",
        "max",
    ]
    return table(header, rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scales", default="1,10,100", help="constraint multipliers")
    parser.add_argument("--draws", type=int, default=50, help="random drawn polygons")
    parser.add_argument("--json", action="store_true", help="the figures as JSON")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    figures = run(scales, args.draws)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print("land-use conflicts (models.conflicts), synthetic city 10 × 12 km, EPSG:25832")
        print(report(figures, args.draws))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
