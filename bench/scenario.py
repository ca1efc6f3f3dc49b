"""Scenario: time from changing an intervention to updated KPIs and maps (server side).

Figures printed (not timed tests), in-process, on the Jena demo pack (1×) and on a copy whose
grid has 4× the cells (4×):

* **model fit**: ``models.heat_response.fit(pack)`` wall time, with the card's
  ``fit_seconds`` and ``cv_seconds`` (the app fits once per data version and caches);
* **scenario run**: ``models.scenario.run(pack, model, changes)`` — the call the app will make
  when an intervention changes — for three kinds of intervention, ``--runs`` times each, every
  run with a different amount or place so no cache could help:
  - *canopy*: +k percentage points of tree canopy over one district (k = 3…22, the district
    cycling through the districts);
  - *unseal*: −k percentage points of sealing over one district;
  - *development*: a residential development (sealed to 55 %, 40–230 dwellings) on a block of
    about 20 ha of built-up cells (its place moving run by run).
  Median and p95 (ms). The first run of a scale (cold: the cached baseline indicators are
  built in it) is reported apart and not in the statistics;
* **parts** of one run, timed alone (median of ``min(runs, 5)``): ``grid_fields`` (and of it ``_distance_to_water``),
  ``predict_grid`` twice, ``grid_indicators_with``, ``hvi`` twice and the district lookup of
  the cells (``_district_of_cells``) — the slow spots;
* **difference map payload** of ``result.lst_delta`` (a canopy run): (a) an RGBA PNG overlay
  at grid resolution through the repo's encoder (``layers.raster.colorize_scale``, ramp
  ``RdBu_r`` centred on zero, ±max |Δ|; cells with |Δ| < 0.01 K transparent; the app would
  also warp it to Web Mercator, which changes the bytes little) and (b) GeoJSON of the changed
  cells only (|Δ| ≥ 0.01 K) as squares in EPSG:4326, coordinates to 5 decimals, property
  ``d`` (K, 2 decimals); raw and gzip bytes.

The 4× copy: ``grid.nc`` with the cell size halved (100 m → 50 m): every cell split into
2 × 2 cells (nearest: every variable keeps its value, landcover and integer fields exactly),
``population`` divided by 4 so the totals stay; cell centres moved to the new cells,
``cell_size_m`` and the ``GeoTransform`` of ``spatial_ref`` set to 50 m, the CRS kept. The
other files are the demo pack's; the copy loads with ``load_pack`` (its own version).

Run: ``.venv/bin/python -m bench.scenario [--runs 20] [--scales 1,4]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import fmt_bytes, fmt_ms, log, machine, summary, table

TARGET_MEDIAN_MS = 1000.0  # Jena scale
MIN_DELTA_K = 0.01  # a cell counts as changed from this |Δ| on
BUILT_UP = (1, 2, 3)  # landcover: dense urban, open urban, industry/transport
KINDS = ("canopy", "unseal", "development")


# --- the 4× pack copy ------------------------------------------------------------------------


def upsample_grid(source: Path, target: Path, factor: int = 2) -> None:
    """Write ``source`` (a pack ``grid.nc``) to ``target`` with every cell split into
    ``factor`` × ``factor`` cells (nearest; population divided by ``factor``²)."""
    import xarray as xr

    with xr.open_dataset(source) as opened:
        ds = opened.load()
    xs = ds["x"].to_numpy().astype(float)
    ys = ds["y"].to_numpy().astype(float)
    cell = float(abs(xs[1] - xs[0]))
    new_cell = cell / factor
    sx = np.sign(xs[1] - xs[0])
    sy = np.sign(ys[1] - ys[0])
    offsets = (np.arange(factor) + 0.5) * new_cell - cell / 2  # within the old cell
    new_x = (xs[:, None] + sx * offsets[None, :]).ravel()
    new_y = (ys[:, None] + sy * offsets[None, :]).ravel()
    out = xr.Dataset(coords={"y": ("y", new_y, ds["y"].attrs), "x": ("x", new_x, ds["x"].attrs)})
    encoding: dict[str, dict[str, Any]] = {}
    for name, var in ds.data_vars.items():
        if var.dims != ("y", "x"):
            if tuple(var.dims) == ("x", "y"):
                var = var.transpose("y", "x")
            else:  # spatial_ref and other scalars: as they are
                out[name] = var
                continue
        values = np.repeat(np.repeat(var.to_numpy(), factor, axis=0), factor, axis=1)
        if name == "population":
            values = (values / factor**2).astype(var.dtype)
        out[name] = (("y", "x"), values, dict(var.attrs))
        enc: dict[str, Any] = {"zlib": True, "complevel": 4}
        if "_FillValue" in var.encoding:
            enc["_FillValue"] = var.encoding["_FillValue"]
        encoding[str(name)] = enc
    out.attrs = dict(ds.attrs)
    out.attrs["cell_size_m"] = new_cell
    if "spatial_ref" in out.variables:
        ref = dict(out["spatial_ref"].attrs)
        parts = str(ref.get("GeoTransform", "")).split()
        if len(parts) == 6:
            parts[1] = repr(float(parts[1]) / factor)
            parts[5] = repr(float(parts[5]) / factor)
            ref["GeoTransform"] = " ".join(parts)
        out["spatial_ref"].attrs = ref
    out.to_netcdf(target, encoding=encoding)


def pack_copy(source: Path, factor: int, tmp: Path) -> Path:
    """The demo pack (``factor`` 1) or a copy whose grid has ``factor`` × the cells."""
    if factor == 1:
        return source
    split = round(factor**0.5)
    if split * split != factor:
        raise ValueError(f"scale {factor}: only square factors (1, 4, 9, …)")
    folder = tmp / f"pack-{factor}x"
    shutil.copytree(source, folder)
    (folder / "grid.nc").unlink()
    upsample_grid(source / "grid.nc", folder / "grid.nc", split)
    return folder


# --- the interventions -----------------------------------------------------------------------


def interventions(pack: Any, grid: Any, runs: int, seed: int = 16) -> dict[str, list[Any]]:
    """``runs`` distinct cell changes per kind (see the module docstring)."""
    from models.heat import cell_districts
    from models.scenario_cells import DEVELOPMENT_SEALING, PERSONS_PER_DWELLING, CellChange

    gx, gy = np.meshgrid(grid.x, grid.y)
    district = cell_districts(pack, gx.ravel(), gy.ravel()).reshape(gx.shape)
    ids = [k for k in np.unique(district) if k >= 0 and (district == k).sum() > 0]
    landcover = grid.drivers.get("landcover")
    built = grid.valid & (
        np.isin(landcover, BUILT_UP) if landcover is not None else np.ones_like(grid.valid)
    )
    rng = np.random.default_rng(seed)
    side = max(1, round(float(np.sqrt(20e4)) / grid.cell_m))  # ≈ 20 ha block
    rows, cols = np.nonzero(built)
    out: dict[str, list[Any]] = {kind: [] for kind in KINDS}
    for i in range(runs):
        mask = district == ids[i % len(ids)]
        out["canopy"].append(CellChange("canopy", mask, canopy_pp=3.0 + i, label=f"c{i}"))
        out["unseal"].append(CellChange("unseal", mask, unseal_pp=2.0 + i, label=f"u{i}"))
        j = int(rng.integers(len(rows)))
        block = np.zeros(grid.valid.shape, dtype=bool)
        block[rows[j] : rows[j] + side, cols[j] : cols[j] + side] = True
        dwellings = 40 + 10 * i
        out["development"].append(
            CellChange(
                "development",
                block & grid.valid,
                sealing_to=DEVELOPMENT_SEALING["residential"],
                residents=dwellings * PERSONS_PER_DWELLING,
                label=f"d{i}",
            )
        )
    return out


# --- the difference map payload --------------------------------------------------------------


def geojson_bytes(delta: np.ndarray, grid: Any) -> tuple[bytes, int]:
    """The changed cells as squares in EPSG:4326 (5 decimals); the document and its count."""
    from pyproj import CRS, Transformer

    rows, cols = np.nonzero(np.isfinite(delta) & (np.abs(delta) >= MIN_DELTA_K))
    half = grid.cell_m / 2
    cx, cy = grid.x[cols], grid.y[rows]
    to_wgs = Transformer.from_crs(CRS.from_wkt(grid.crs_wkt), "EPSG:4326", always_xy=True)
    corners = [(-half, -half), (half, -half), (half, half), (-half, half), (-half, -half)]
    lon_lat = [to_wgs.transform(cx + dx, cy + dy) for dx, dy in corners]
    features = []
    for n in range(rows.size):
        ring = [[round(float(lo[n]), 5), round(float(la[n]), 5)] for lo, la in lon_lat]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {"d": round(float(delta[rows[n], cols[n]]), 2)},
            }
        )
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, separators=(",", ":")).encode(), int(rows.size)


# --- one scale -------------------------------------------------------------------------------


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def parts(pack: Any, model: Any, change: Any, repeats: int) -> dict[str, float]:
    """Median ms of the parts of one run, each timed alone."""
    from data.pack import raster_crs
    from models.heat import grid_indicators, grid_indicators_with
    from models.heat_response import _distance_to_water, grid_fields
    from models.hvi import hvi
    from models.scenario import _district_of_cells
    from models.scenario_cells import changed_fields

    grid = grid_fields(pack)
    drivers = dict(grid.drivers)
    raster = pack.raster("grid")
    population = raster["population"].transpose("y", "x").to_numpy().astype(float)
    base_ind = grid_indicators(pack)
    samples: dict[str, list[float]] = {}
    for _ in range(repeats):
        t: dict[str, float] = {}
        t["grid_fields"], _g = timed(lambda: grid_fields(pack))
        t["  of it _distance_to_water"], _w = timed(
            lambda: _distance_to_water(pack, grid.x, grid.y, raster_crs(raster))
        )
        t["changed_fields"], applied = timed(
            lambda: changed_fields(
                drivers["tree_canopy"],
                drivers["imperviousness"],
                population,
                [change],
                grid.cell_m,
            )
        )
        changed = dict(drivers)
        changed["tree_canopy"] = applied.canopy
        changed["imperviousness"] = applied.imperviousness
        t["predict_grid ×2"], _p = timed(
            partial(lambda a, b: (model.predict_grid(a), model.predict_grid(b)), drivers, changed)
        )
        override = {
            "lst_day": grid.target,
            "population": applied.population,
            "tree_canopy": applied.canopy,
            "imperviousness": applied.imperviousness,
        }
        t["grid_indicators_with"], new_ind = timed(partial(grid_indicators_with, pack, override))
        t["hvi ×2"], _h = timed(
            partial(
                lambda ind: (hvi(base_ind), hvi(ind, None, "zscore", reference=base_ind)), new_ind
            )
        )
        t["_district_of_cells"], _d = timed(lambda: _district_of_cells(pack, grid))
        for key, value in t.items():
            samples.setdefault(key, []).append(value)
    return {key: statistics.median(v) * 1000 for key, v in samples.items()}


def run_scale(folder: Path, factor: int, runs: int) -> dict[str, Any]:
    from data.pack import load_pack
    from models.heat_response import fit, grid_fields
    from models.scenario import run

    pack = load_pack(folder)
    grid = grid_fields(pack)
    cells = int(grid.valid.size)
    log(f"{factor}×: {grid.valid.shape[0]}×{grid.valid.shape[1]} cells at {grid.cell_m:g} m; fit")
    fit_s, model = timed(lambda: fit(pack))
    card = model.card
    log(f"{factor}×: fit {fit_s:.1f} s; runs")
    changes = interventions(pack, grid, runs + 1)
    cold_s, _r = timed(lambda: run(pack, model, [changes["canopy"][-1]]))
    per_kind: dict[str, dict[str, Any]] = {}
    example = None
    for kind in KINDS:
        samples = []
        for change in changes[kind][:runs]:
            seconds, result = timed(partial(run, pack, model, [change]))
            samples.append(seconds)
            if kind == "canopy" and example is None:
                example = result
        per_kind[kind] = summary(samples)
    log(f"{factor}×: parts")
    part_ms = parts(pack, model, changes["canopy"][0], min(runs, 5))
    assert example is not None
    log(f"{factor}×: payload")
    delta = example.lst_delta
    doc, changed = geojson_bytes(delta, grid)
    png = _png(delta)
    return {
        "factor": factor,
        "shape": grid.valid.shape,
        "cells": cells,
        "cell_m": grid.cell_m,
        "fit_s": fit_s,
        "card_fit_s": card.get("fit_seconds"),
        "card_cv_s": card.get("cv_seconds"),
        "n_iter": getattr(model.estimator, "n_iter_", None),
        "cold_ms": cold_s * 1000,
        "kinds": per_kind,
        "parts": part_ms,
        "changed_cells": changed,
        "png": len(png),
        "png_gzip": len(gzip.compress(png)),
        "geojson": len(doc),
        "geojson_gzip": len(gzip.compress(doc)),
    }


def _png(delta: np.ndarray) -> bytes:
    from layers.raster import colorize_scale

    changed = np.isfinite(delta) & (np.abs(delta) >= MIN_DELTA_K)
    vmax = float(np.nanmax(np.abs(delta[changed]))) if changed.any() else 1.0
    return colorize_scale(np.where(changed, delta, np.nan), -vmax, vmax, "RdBu_r")


# --- the report ------------------------------------------------------------------------------


def report(figures: list[dict[str, Any]], runs: int) -> str:
    lines = []
    rows = [
        [
            f"{f['factor']}×",
            f"{f['shape'][0]}×{f['shape'][1]} = {f['cells']:,}",
            f"{f['cell_m']:g}",
            f"{f['fit_s']:.1f}",
            f"{f['card_fit_s']}",
            f"{f['card_cv_s']}",
            f"{f['n_iter']}",
            fmt_ms(f["cold_ms"]),
        ]
        for f in figures
    ]
    lines.append("Model fit (models.heat_response.fit) and the first (cold) run")
    lines.append(
        table(
            [
                "scale",
                "cells",
                "cell m",
                "fit s",
                "card fit_s",
                "card cv_s",
                "iterations",
                "cold run ms",
            ],
            rows,
        )
    )
    rows = []
    for f in figures:
        for kind in KINDS:
            s = f["kinds"][kind]
            rows.append(
                [
                    f"{f['factor']}× {kind}",
                    s["n"],
                    fmt_ms(s["median_ms"]),
                    fmt_ms(s["p95_ms"]),
                    fmt_ms(s["min_ms"]),
                    fmt_ms(s["max_ms"]),
                ]
            )
    lines.append("")
    lines.append(f"models.scenario.run, warm, {runs} distinct changes per kind")
    lines.append(table(["scale / intervention", "n", "median ms", "p95 ms", "min", "max"], rows))
    names = list(figures[0]["parts"])
    rows = [[name] + [fmt_ms(f["parts"][name]) for f in figures] for name in names]
    lines.append("")
    lines.append("Parts of one run (canopy), timed alone, median ms")
    lines.append(table(["part"] + [f"{f['factor']}×" for f in figures], rows))
    rows = [
        [
            f"{f['factor']}×",
            f"{f['changed_cells']:,}",
            fmt_bytes(f["png"]),
            fmt_bytes(f["png_gzip"]),
            fmt_bytes(f["geojson"]),
            fmt_bytes(f["geojson_gzip"]),
        ]
        for f in figures
    ]
    lines.append("")
    lines.append(
        f"Difference map payload (lst_delta of a canopy run; changed: |Δ| ≥ {MIN_DELTA_K} K)"
    )
    lines.append(
        table(["scale", "changed cells", "PNG", "PNG gzip", "GeoJSON", "GeoJSON gzip"], rows)
    )
    one = next((f for f in figures if f["factor"] == 1), None)
    lines.append("")
    if one is None:
        lines.append("verdict: no 1× run, the 1 s target is not judged")
    else:
        worst = max(one["kinds"][k]["median_ms"] for k in KINDS)
        ok = "PASS" if worst < TARGET_MEDIAN_MS else "FAIL"
        lines.append(
            f"verdict: {ok} — slowest median at Jena scale {fmt_ms(worst)} ms "
            f"against the {TARGET_MEDIAN_MS:.0f} ms target"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per intervention kind")
    parser.add_argument("--scales", default="1,4", help="grid-cell factors, e.g. 1,4")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    from data.cache import cache_dir
    from data.demo import ensure_demo_pack

    info = machine()
    print(
        f"machine: {info['nproc']} cores ({info['cpu']}), {info['mem_gib']} GiB, "
        f"Python {info['python']}, load average {info['loadavg_start']}"
    )
    source = Path(ensure_demo_pack(cache_dir(None)))
    figures = []
    with tempfile.TemporaryDirectory(prefix="allmende-bench-scenario-") as tmp_s:
        tmp = Path(tmp_s)
        for factor in scales:
            log(f"{factor}×: pack copy")
            figures.append(run_scale(pack_copy(source, factor, tmp), factor, args.runs))
    print(
        f"date: {time.strftime('%Y-%m-%d')}, load average at the end: {machine()['loadavg_start']}"
    )
    print(report(figures, args.runs))


if __name__ == "__main__":
    main()
