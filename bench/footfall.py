"""Section 5: footfall — heatmap frames, site markers, forecast fits, and their growth.

In-process, on the pack (the Jena demo: 13 sites × 2 years of hourly counts):

- **heatmap frames**: ``create_app`` on the pack, then Flask's test client GETs
  ``/layers/footfall-heatmap.png?v=…&p=<json params>`` (the URL ``image_url`` builds) for the
  24 playback frames (hour 0…23) of one window (whole period, weekdays, hours 0–23). Time
  runs from the start of the GET to the end of the body (routing, parameter check, frame).
  "first view" clears the per-window caches (``_frame``, ``_window``) before each pass of 24
  frames, but keeps the per-pack ``cube`` and ``kernel``; "cached" repeats the pass with the
  caches filled. Every answer is checked: status 200 and a PNG signature.
- **per-pack build**: ``cube(pack)`` (counts → [dates, 24, sites]) and ``kernel(pack)``
  (Gaussian weights pixel × site), each timed with its own cache cleared (``kernel`` with the
  cube cached).
- **site markers**: ``footfall-sites`` ``build`` (cube cached) and its GeoJSON bytes.
- **forecast fit**: ``models.footfall_model.fit_site`` per site (horizon 24 h, default config),
  and the same including the data preparation (``site_series`` and ``calendar_for``).
- **growth**: synthetic packs (``tests.packfactory.make_pack`` plus seeded random sites in
  Jena's centre and hourly counts = daily profile × weekday factor × noise, with NaN gaps,
  written with ``data.writer.staged_pack``) from 12 sites × 2 years to 100 sites × 3 years.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import fmt_bytes, fmt_ms, log, summary, table

LAYER_ID = "footfall-heatmap"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# lon/lat box of Jena's centre (old town and the inner city around it) for synthetic sites
CENTRE_BBOX = (11.570, 50.915, 11.610, 50.940)
DEFAULT_SIZES = ((12, 2), (40, 2), (100, 3))
QUICK_SIZES = ((12, 2), (100, 3))
WINDOW = {"date_from": None, "date_to": None, "days": "weekday", "hours": [0, 23]}


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """``"12x2,40x2,100x3"`` (sites × years) into pairs."""
    out = []
    for part in text.split(","):
        sites, _, years = part.strip().partition("x")
        out.append((int(sites), int(years or 2)))
    return out


# --- synthetic footfall packs --------------------------------------------------------------


def synthetic_footfall_pack(folder: Path, n_sites: int, years: int, seed: int = 7) -> Path:
    """``tests.packfactory.make_pack`` plus ``n_sites`` counting sites (seeded random points in
    ``CENTRE_BBOX``) and hourly counts for ``years`` local years ending 2025-12-31."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    from data.catalog import Dataset
    from data.writer import staged_pack
    from tests.packfactory import make_pack

    rng = np.random.default_rng(seed)
    min_lon, min_lat, max_lon, max_lat = CENTRE_BBOX
    ids = [f"S{i:03d}" for i in range(n_sites)]
    sites = gpd.GeoDataFrame(
        {"site_id": ids, "name": [f"Zählstelle {i:03d}" for i in range(n_sites)]},
        geometry=gpd.points_from_xy(
            rng.uniform(min_lon, max_lon, n_sites), rng.uniform(min_lat, max_lat, n_sites)
        ),
        crs="EPSG:4326",
    )
    start = pd.Timestamp(f"{2026 - years}-01-01", tz="Europe/Berlin")
    end = pd.Timestamp("2026-01-01", tz="Europe/Berlin")
    times = pd.date_range(start, end, freq="h", inclusive="left").tz_convert("UTC")
    local = times.tz_convert("Europe/Berlin")
    hour = local.hour.to_numpy()
    weekday = local.weekday.to_numpy()
    h = np.arange(24)
    # a two-humped day (noon and late afternoon) over a small night floor, shares of the day
    profile = (
        0.004
        + np.exp(-0.5 * ((h - 12.5) / 2.5) ** 2)
        + 0.7 * np.exp(-0.5 * ((h - 17.0) / 2.0) ** 2)
    )
    profile /= profile.sum()
    week = np.array([0.95, 0.97, 1.0, 1.02, 1.08, 1.25, 0.45])  # Mon … Sun
    base = profile[hour] * week[weekday]
    n_t = len(times)
    daily = rng.lognormal(np.log(8000), 0.8, n_sites)  # mean pedestrians per day per site
    counts = np.empty((n_sites, n_t))
    for j in range(n_sites):
        noise = rng.lognormal(0.0, 0.15, n_t)
        c = np.round(daily[j] * base * noise)
        for _ in range(rng.integers(2, 8)):  # gaps of 3 hours … 4 days
            g0 = int(rng.integers(0, n_t))
            c[g0 : g0 + int(rng.integers(3, 96))] = np.nan
        counts[j] = c
    frame = pd.DataFrame(
        {
            "site_id": np.repeat(np.asarray(ids, dtype=object), n_t),
            "time": times[np.tile(np.arange(n_t), n_sites)],
            "count": counts.ravel(),
        }
    )

    def dataset(ds_id: str, kind: str, path: str) -> Dataset:
        return Dataset(
            id=ds_id,
            title={"de": f"Bench {ds_id}", "en": f"Bench {ds_id}"},
            kind=kind,
            path=path,
            crs=None,
            licence="CC0-1.0",
            attribution="Allmende benchmark",
            generated_by="bench/footfall.py",
        )

    make_pack(folder)
    with staged_pack(folder) as stage:
        stage.put_vector(dataset("footfall_sites", "vector", "footfall_sites.geojson"), sites)
        stage.put_timeseries(
            dataset("footfall_counts", "timeseries", "footfall_counts.parquet"), frame
        )
    return folder


# --- measurements --------------------------------------------------------------------------


def _clear_window_caches() -> None:
    from layers.footfall import heatmap as hm

    hm._frame.cache_clear()
    hm._window.cache_clear()


def _frame_urls(ctx: Any) -> list[str]:
    from dashboard.components import image_url
    from layers import get_layer

    layer = get_layer(LAYER_ID)
    urls = []
    for hour in range(24):
        params = layer.clean_params({**WINDOW, "hour": hour})
        urls.append(image_url(ctx, layer, params))
    return urls


def _get_pass(client: Any, urls: Sequence[str], errors: list[str]) -> tuple[list[float], list[int]]:
    times, sizes = [], []
    for url in urls:
        t0 = time.perf_counter()
        resp = client.get(url)
        body = resp.get_data()
        times.append(time.perf_counter() - t0)
        sizes.append(len(body))
        if resp.status_code != 200 or not body.startswith(PNG_MAGIC):
            errors.append(f"GET {url} answered {resp.status_code}, {len(body)} bytes")
    return times, sizes


def bench_pack(folder: Path, frame_reps: int, fit_sites: int, label: str = "") -> dict[str, Any]:
    """Every footfall figure for one pack (see the module docstring)."""
    from dashboard.app import create_app
    from dashboard.settings import Settings
    from layers import get_layer
    from layers.footfall import cube as footfall_cube
    from layers.footfall import heatmap as footfall_heatmap

    log(f"footfall{label}: create_app on {folder}")
    t0 = time.perf_counter()
    app = create_app(Settings(pack=folder, forecasts=False))  # fits are timed below, alone
    create_s = time.perf_counter() - t0
    ctx = app.server.config["ALLMENDE_CONTEXT"]
    pack = ctx.pack
    client = app.server.test_client()
    res: dict[str, Any] = {"create_app_s": create_s}

    # per-pack builds: cube alone, then kernel with the cube cached
    footfall_cube.cube.cache_clear()
    footfall_heatmap.kernel.cache_clear()
    _clear_window_caches()
    t0 = time.perf_counter()
    c = footfall_cube.cube(pack)
    res["cube_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    k = footfall_heatmap.kernel(pack)
    res["kernel_s"] = time.perf_counter() - t0
    res["n_sites"] = len(c.site_ids)
    res["n_days"] = len(c.dates)
    res["n_rows"] = len(pack.table("footfall_counts"))
    res["image_px"] = list(k.shape)
    res["kernel_mib"] = k.weights.nbytes / 1024**2

    # heatmap frames through the route
    log(f"footfall{label}: heatmap frames ({frame_reps} × 24 first view, then cached)")
    urls = _frame_urls(ctx)
    errors: list[str] = []
    first: list[float] = []
    first_frame: list[float] = []
    cached: list[float] = []
    sizes: list[int] = []
    for _ in range(frame_reps):
        _clear_window_caches()
        t, s = _get_pass(client, urls, errors)
        first += t
        first_frame.append(t[0])
        sizes += s
        t, _s = _get_pass(client, urls, errors)
        cached += t
    res["frames"] = {
        "first": summary(first),
        "first_frame_ms": statistics.median(first_frame) * 1000,
        "cached": summary(cached),
        "png_median": int(statistics.median(sizes)),
        "png_max": max(sizes),
        "ok": len(first) + len(cached) - len(errors),
        "errors": errors,
    }

    # site markers (cube cached)
    sites_layer = get_layer("footfall-sites")
    builds = []
    for _ in range(3):
        t0 = time.perf_counter()
        data = sites_layer.build(pack, "de")
        builds.append(time.perf_counter() - t0)
    res["sites"] = {
        "build": summary(builds),
        "geojson_bytes": len(
            json.dumps(data.geojson, ensure_ascii=False, separators=(",", ":")).encode()
        ),
    }
    res["fit"] = bench_fit(pack, fit_sites, label)
    return res


def bench_fit(pack: Any, n_sites: int, label: str = "") -> dict[str, Any]:
    """``fit_site`` for the first ``n_sites`` sites (horizon 24 h, default config)."""
    if n_sites <= 0:
        return {"status": "not measured (no sites requested)"}
    try:
        import pandas as pd

        from models import features as feat
        from models.footfall_model import ForecastConfig, calendar_for, fit_site, sites_of
    except Exception as err:  # the model module is not there (yet)
        return {"status": f"not measured ({type(err).__name__}: {err})"}
    counts = pack.table("footfall_counts")
    cfg = ForecastConfig(horizon=24)
    fit_s, total_s, rows = [], [], []
    sites = sites_of(counts)[:n_sites]
    log(f"footfall{label}: forecast fit for {len(sites)} site(s)")
    try:
        for site in sites:
            t0 = time.perf_counter()
            series = feat.site_series(counts, site, cfg.calendar.timezone)
            origin = series.index[series["y"].notna()].max() + pd.Timedelta(hours=1)
            calendar = calendar_for(series, origin + pd.Timedelta(hours=cfg.horizon), cfg.calendar)
            t1 = time.perf_counter()
            model = fit_site(series, calendar, origin, cfg, site)
            t2 = time.perf_counter()
            fit_s.append(t2 - t1)
            total_s.append(t2 - t0)
            rows.append(model.n_rows)
    except Exception as err:
        return {"status": f"not measured ({type(err).__name__}: {err})"}
    return {
        "status": "ok",
        "n": len(sites),
        "fit": summary(fit_s),
        "with_prep": summary(total_s),
        "training_rows": int(statistics.median(rows)),
    }


def bench_footfall(
    folder: Path, tmp: Path, quick: bool, sizes: Sequence[tuple[int, int]] | None = None
) -> dict[str, Any]:
    from data.pack import load_pack

    res: dict[str, Any] = {"quick": quick}
    if not load_pack(folder).has("footfall_counts"):
        res["skipped"] = f"{folder} has no footfall_counts"
    else:
        res["pack"] = bench_pack(folder, frame_reps=1 if quick else 3, fit_sites=2 if quick else 5)
    growth = []
    for n_sites, years in sizes or (QUICK_SIZES if quick else DEFAULT_SIZES):
        log(f"footfall growth: writing {n_sites} sites × {years} years")
        target = tmp / f"footfall-{n_sites}x{years}"
        t0 = time.perf_counter()
        synthetic_footfall_pack(target, n_sites, years)
        write_s = time.perf_counter() - t0
        r = bench_pack(
            target,
            frame_reps=1 if quick else 2,
            fit_sites=1 if quick else 2,
            label=f" {n_sites}×{years}",
        )
        r.update(size=[n_sites, years], write_s=write_s)
        growth.append(r)
    res["growth"] = growth
    return res


# --- report --------------------------------------------------------------------------------


def _fit_cell(fit: dict[str, Any], key: str = "fit") -> str:
    if fit.get("status") != "ok":
        return "not measured"
    return f"{fit[key]['median_ms'] / 1000:.2f} s"


def render(f: dict[str, Any]) -> list[str]:
    out = [
        "5. Footfall (in-process; wall-clock on a shared 2-core machine, other work inflates "
        "the figures)"
    ]
    p = f.get("pack")
    out += [f"   skipped: {f.get('skipped')}"] if p is None else _render_pack(p)
    out += _render_growth(f.get("growth") or [])
    return out


def _render_pack(p: dict[str, Any]) -> list[str]:
    fr = p["frames"]
    out = [
        f"   pack: {p['n_sites']} sites × {p['n_days']} days ({p['n_rows']:,} hourly rows); "
        f"heatmap image {p['image_px'][1]}×{p['image_px'][0]} px, "
        f"kernel {p['kernel_mib']:.1f} MiB",
        f"   per-pack build (once): cube(pack) {p['cube_s'] * 1000:.0f} ms, "
        f"kernel(pack) {p['kernel_s'] * 1000:.0f} ms",
        "   heatmap frames, GET /layers/footfall-heatmap.png (24 playback hours, window: "
        "whole period, weekdays, 0–23 h):",
        table(
            ["pass", "median ms", "p95 ms", "min ms", "max ms", "n"],
            [
                [
                    name,
                    fmt_ms(s["median_ms"]),
                    fmt_ms(s["p95_ms"]),
                    fmt_ms(s["min_ms"]),
                    fmt_ms(s["max_ms"]),
                    s["n"],
                ]
                for name, s in (("first view", fr["first"]), ("cached", fr["cached"]))
            ],
        ),
        f"   first frame of a window (computes the window): "
        f"{fmt_ms(fr['first_frame_ms'])} ms; PNG bytes median "
        f"{fmt_bytes(fr['png_median'])}, max {fmt_bytes(fr['png_max'])}; "
        f"ok {fr['ok']}/{fr['first']['n'] + fr['cached']['n']}",
        f"   site markers (footfall-sites build, cube cached): median "
        f"{fmt_ms(p['sites']['build']['median_ms'])} ms; GeoJSON "
        f"{fmt_bytes(p['sites']['geojson_bytes'])} bytes",
    ]
    fit = p["fit"]
    if fit.get("status") == "ok":
        out.append(
            f"   forecast fit per site (models.footfall_model.fit_site, 24 h horizon, "
            f"{fit['training_rows']:,} training rows, n={fit['n']}): median "
            f"{_fit_cell(fit)} (max {fit['fit']['max_ms'] / 1000:.2f} s); with data "
            f"preparation {_fit_cell(fit, 'with_prep')}"
        )
    else:
        out.append(f"   forecast fit per site: {fit.get('status')}")
    return out


def _render_growth(g: list[dict[str, Any]]) -> list[str]:
    if not g:
        return []
    out = []
    out.append("   growth (synthetic packs: random sites in Jena's centre, hourly counts):")
    rows = []
    for r in g:
        fr = r["frames"]
        rows.append(
            [
                f"{r['size'][0]} × {r['size'][1]} y",
                f"{r['n_rows']:,}",
                f"{r['write_s']:.1f}",
                f"{r['cube_s'] * 1000:.0f}",
                f"{r['kernel_s'] * 1000:.0f}",
                f"{r['image_px'][1]}×{r['image_px'][0]}",
                fmt_ms(fr["first"]["median_ms"]),
                fmt_ms(fr["first"]["p95_ms"]),
                fmt_ms(fr["first_frame_ms"]),
                fmt_ms(fr["cached"]["median_ms"]),
                fmt_bytes(fr["png_median"]),
                fmt_bytes(r["sites"]["geojson_bytes"]),
                _fit_cell(r["fit"]),
            ]
        )
    out.append(
        table(
            [
                "sites × years",
                "rows",
                "write s",
                "cube ms",
                "kernel ms",
                "image px",
                "frame med",
                "frame p95",
                "1st frame",
                "cached med",
                "PNG bytes",
                "sites GeoJSON",
                "fit/site",
            ],
            rows,
        )
    )
    out.append(
        "   frame med/p95: first view (window caches cleared), ms; 1st frame: the frame "
        "that computes the window; fit/site: fit_site median (data prep excluded)"
    )
    return out
