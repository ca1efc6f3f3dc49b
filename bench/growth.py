"""Section 4: how the in-process figures grow with the number of districts.

Per size, a synthetic pack is written with ``data.writer.staged_pack`` (which validates it):
Voronoi cells of seeded random points in Jena's bbox, clipped to it (EPSG:25832), with valid
populations, plus an outline; no river and no grid. Then, as in section 3
(``bench/callbacks.py``): ``create_app`` plus the first ``GET /`` (time, bytes, the share of
the embedded ``validation_layout``), the page callback, the district toggle (geometry built
and cached), the GeoJSON fetch that follows it (built by the fetch, after the toggle, cached)
and restyle (legend and style in one request; cached, and first call per scheme, each scheme
with its own time budget of at least one call).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from bench.callbacks import (
    RESTYLE_EXPECT,
    bench_geojson,
    bench_param_callback,
    bench_toggle,
    combos,
    open_app,
)
from bench.common import fmt_bytes, fmt_ms, log, table

JENA_BBOX = (11.499, 50.8561, 11.673, 50.9889)  # min_lon, min_lat, max_lon, max_lat
METRIC_CRS = "EPSG:25832"


def synthetic_pack(folder: Path, n: int, seed: int = 1) -> Path:
    """``n`` Voronoi cells of random points in Jena's bbox (clipped to it), valid populations."""
    import geopandas as gpd
    import numpy as np
    import shapely
    from pyproj import Transformer
    from shapely.geometry import box

    from data.catalog import City, Dataset
    from data.writer import staged_pack

    min_lon, min_lat, max_lon, max_lat = JENA_BBOX
    to_metric = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
    xs, ys = to_metric.transform(
        [min_lon, min_lon, max_lon, max_lon], [min_lat, max_lat, min_lat, max_lat]
    )
    # the largest axis-parallel metric rectangle inside the lon/lat bbox
    frame = box(max(xs[0], xs[1]), max(ys[0], ys[2]), min(xs[2], xs[3]), min(ys[1], ys[3]))
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = frame.bounds
    points = np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(points), extend_to=frame)
    )
    polys = [c.intersection(frame) for c in cells]
    polys = [p for p in polys if p.geom_type == "Polygon" and not p.is_empty]
    m = len(polys)
    population = rng.integers(200, 15_000, m)
    districts = gpd.GeoDataFrame(
        {
            "district_id": [f"S{i:05d}" for i in range(m)],
            "name": [f"Bezirk {i:05d}" for i in range(m)],
            "population": population,
            "pop_65plus": (population * rng.uniform(0.10, 0.35, m)).astype(int),
            "pop_under6": (population * rng.uniform(0.03, 0.08, m)).astype(int),
        },
        geometry=polys,
        crs=METRIC_CRS,
    )
    outline = gpd.GeoDataFrame({"name": ["Synthetic"]}, geometry=[frame], crs=METRIC_CRS)
    city = City(
        id=f"synthetic-{n}",
        name=f"Synthetic {n}",
        centre=((min_lat + max_lat) / 2, (min_lon + max_lon) / 2),
        zoom=12,
        bbox=JENA_BBOX,
        metric_crs=METRIC_CRS,
        synthetic=True,
    )

    def dataset(ds_id: str) -> Dataset:
        return Dataset(
            id=ds_id,
            title={"de": f"Synthetisch: {ds_id}", "en": f"Synthetic: {ds_id}"},
            kind="vector",
            path=f"{ds_id}.geojson",
            crs=None,
            licence="CC0-1.0",
            attribution="Allmende benchmark",
            generated_by="bench/growth.py",
        )

    with staged_pack(folder, city) as stage:
        stage.put_vector(dataset("outline"), outline)
        stage.put_vector(dataset("districts"), districts)
    return folder


def bench_growth(sizes: Sequence[int], tmp: Path, quick: bool) -> list[dict[str, Any]]:
    rows = []
    for n in sizes:
        log(f"growth: building a synthetic pack with {n} districts")
        t0 = time.perf_counter()
        folder = synthetic_pack(tmp / f"synthetic-{n}", n)
        build_s = time.perf_counter() - t0
        dc, figures = open_app(folder)
        big = n >= 1000
        log(f"growth: {n} districts: callbacks")
        restyle = bench_param_callback(
            dc,
            dc.restyle_key(),
            RESTYLE_EXPECT,
            len(combos()) * (1 if quick or big else 2),
            60 if quick else 200,
            10.0 if quick else 90.0,
        )
        toggle = bench_toggle(dc, 3 if quick or big else 10, 10 if quick else (30 if big else 100))
        fetch = bench_geojson(dc, 3 if quick or big else 10, 10 if quick else 30)
        context = dc.app.server.config["ALLMENDE_CONTEXT"]
        rows.append(
            {
                "districts": len(context.pack.vector("districts")),
                "pack_build_s": build_s,
                "districts_geojson_bytes": (folder / "districts.geojson").stat().st_size,
                **figures,
                "restyle": restyle,
                "toggle": toggle,
                "geojson": fetch,
            }
        )
    return rows


def render(g: list[dict[str, Any]]) -> list[str]:
    if not g:
        return []

    def row(label: str, fn: Callable[[dict], str]) -> list[str]:
        return [label, *[fn(r) for r in g]]

    def first_call(r: dict[str, Any], scheme: str) -> str:
        s = r["restyle"]["uncached"].get("by_scheme", {}).get(scheme)
        return "—" if s is None else f"{fmt_ms(s['median_ms'])} ({s['n']})"

    rows = [
        row("districts.geojson on disk, B", lambda r: fmt_bytes(r["districts_geojson_bytes"])),
        row("pack build (staged_pack), s", lambda r: f"{r['pack_build_s']:.2f}"),
        row("create_app (loads pack), s", lambda r: f"{r['create_app_s']:.2f}"),
        row("first GET /, ms", lambda r: fmt_ms(r["first_get_s"] * 1000)),
        row("GET / (HTML), B", lambda r: fmt_bytes(r["index_bytes"])),
        row(
            "  of which validation_layout, B",
            lambda r: fmt_bytes(r["index_validation_layout_bytes"]),
        ),
        row("create_app + first GET /, s", lambda r: f"{r['create_app_s'] + r['first_get_s']:.2f}"),
        row("page callback, ms", lambda r: fmt_ms(r["page_callback_s"] * 1000)),
        row("page callback, B", lambda r: fmt_bytes(r["page_callback_bytes"])),
        row("toggle on: response, B", lambda r: fmt_bytes(r["toggle"]["cached"]["bytes_median"])),
        row(
            "toggle on: geometry built, median ms",
            lambda r: fmt_ms(r["toggle"]["uncached"]["median_ms"]),
        ),
        row("toggle on: cached, median ms", lambda r: fmt_ms(r["toggle"]["cached"]["median_ms"])),
        row("GeoJSON fetch: gzip, B", lambda r: fmt_bytes(r["geojson"]["cached"]["bytes_median"])),
        row("GeoJSON fetch: uncompressed, B", lambda r: fmt_bytes(r["geojson"]["decoded_bytes"])),
        row(
            "GeoJSON fetch: geometry built, median ms",
            lambda r: fmt_ms(r["geojson"]["built"]["median_ms"]),
        ),
        row(
            "GeoJSON fetch: after the toggle, median ms",
            lambda r: fmt_ms(r["geojson"]["after_toggle"]["median_ms"]),
        ),
        row(
            "GeoJSON fetch: cached, median ms",
            lambda r: fmt_ms(r["geojson"]["cached"]["median_ms"]),
        ),
        row("restyle: response, B", lambda r: fmt_bytes(r["restyle"]["cached"]["bytes_median"])),
        row("restyle: cached, median ms", lambda r: fmt_ms(r["restyle"]["cached"]["median_ms"])),
        row("restyle: cached, p95 ms", lambda r: fmt_ms(r["restyle"]["cached"]["p95_ms"])),
    ]
    rows += [
        row(f"restyle: first call, {scheme}, median ms (n)", partial(first_call, scheme=scheme))
        for scheme in g[0]["restyle"]["uncached"].get("by_scheme", {})
    ]
    return [
        "4. Growth with the number of districts (synthetic Voronoi packs, in-process)",
        table(["", *[f"{r['districts']} districts" for r in g]], rows),
    ]
