"""Section 6 of the benchmark: heat layers, in-process.

Figures printed (not timed tests):

* the surface-temperature overlay: render time (warp to Web Mercator + colour + PNG) and
  PNG bytes, first render without caches;
* the heat vulnerability index when weights change: recomputation (``models.hvi.hvi``),
  classes and legend (``layer.style``) and the ``hideout`` bytes that reach the browser —
  per district and per grid cell;
* the one-off costs per pack: indicators (incl. the 300 m green share by FFT convolution)
  and the grid-level GeoJSON that is sent once when the layer is switched on;
* growth from the 100 m grid to 50 m and 25 m: the demo grid is refined (each cell split
  into 2×2 or 4×4 cells with the same values; residents split evenly), written as a pack and
  measured the same way.

Run alone: ``python bench/bench_app.py --only heat`` (or ``python -m bench.heat``).
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from bench.common import log, summary

WEIGHT_SETS = (
    {"exposure": 1.0, "sensitivity": 1.0, "capacity": 1.0},
    {"exposure": 2.0, "sensitivity": 1.0, "capacity": 1.0},
    {"exposure": 1.0, "sensitivity": 3.0, "capacity": 0.5},
    {"exposure": 0.5, "sensitivity": 0.5, "capacity": 4.0},
)


def refine_pack(source: Path, target: Path, factor: int) -> Path:
    """A copy of ``source`` whose grid has cells ``factor`` times smaller along each axis."""
    from data.pack import load_pack
    from data.writer import staged_pack

    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    pack = load_pack(target)
    grid = pack.raster("grid")
    x, y = grid["x"].to_numpy(), grid["y"].to_numpy()
    cell = float(abs(x[1] - x[0]))
    sub = (np.arange(factor) - (factor - 1) / 2) * cell / factor
    new_x = (x[:, None] + sub[None, :]).ravel()
    new_y = (y[:, None] - sub[None, :]).ravel()
    data_vars: dict[str, Any] = {}
    for name, da in grid.data_vars.items():
        if da.dims != ("y", "x"):
            data_vars[str(name)] = da
            continue
        values = np.repeat(np.repeat(da.to_numpy(), factor, axis=0), factor, axis=1)
        if name == "population":
            values = values / (factor * factor)
        data_vars[str(name)] = xr.DataArray(
            values.astype(da.dtype), dims=("y", "x"), attrs=da.attrs
        )
    fine = xr.Dataset(
        data_vars,
        coords={"x": ("x", new_x, grid["x"].attrs), "y": ("y", new_y, grid["y"].attrs)},
        attrs={k: v for k, v in grid.attrs.items() if k != "crs"},
    )
    fine.attrs["cell_size_m"] = cell / factor
    with staged_pack(target) as stage:
        stage.put_raster(pack.dataset("grid"), fine)
    return target


def _time(fn: Any, reps: int) -> tuple[list[float], Any]:
    out = None
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        samples.append(time.perf_counter() - t0)
    return samples, out


def bench_pack(folder: Path, reps: int, label: str) -> dict[str, Any]:
    """Every figure of this section for one pack (fresh caches)."""
    from pyproj import CRS

    from data.pack import load_pack
    from layers.heat import surface as heat_surface
    from layers.heat.vulnerability import LAYER as HVI
    from layers.heat.vulnerability import build_level
    from layers.raster import colorize_scale, warp_to_mercator
    from models.heat import district_indicators, grid_indicators
    from models.hvi import hvi

    pack = load_pack(folder)
    grid = pack.raster("grid")
    cells = int(grid.sizes["x"] * grid.sizes["y"])
    out: dict[str, Any] = {
        "label": label,
        "grid_cells": cells,
        "cell_m": float(abs(grid["x"][1] - grid["x"][0])),
    }
    lo, hi = heat_surface.scale(pack, "lst_day")

    def render() -> bytes:
        array, _ = warp_to_mercator(grid["lst_day"], CRS.from_wkt(grid.attrs["crs"]))
        return colorize_scale(array, lo, hi, heat_surface.RAMP)

    samples, png = _time(render, reps)
    out["overlay"] = {**summary(samples), "png_bytes": len(png)}
    t0 = time.perf_counter()
    dind = district_indicators(pack)
    out["indicators_district_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    gind = grid_indicators(pack)
    out["indicators_grid_s"] = time.perf_counter() - t0
    out["grid_units"] = len(gind.frame)
    for level, ind in (("district", dind), ("grid", gind)):
        recompute, _ = _time(lambda ind=ind: [hvi(ind, w) for w in WEIGHT_SETS], reps)
        per_change = [s / len(WEIGHT_SETS) for s in recompute]
        styles = []
        hideout_bytes = 0
        for w in WEIGHT_SETS:
            params = HVI.clean_params({"level": level, **{f"w_{k}": v for k, v in w.items()}})
            from layers.heat.vulnerability import _classes, _result

            _result.cache_clear()
            _classes.cache_clear()
            t0 = time.perf_counter()
            style = HVI.style(pack, params, "de")
            styles.append(time.perf_counter() - t0)
            hideout_bytes = max(hideout_bytes, len(json.dumps(style.hideout)))
        t0 = time.perf_counter()
        data = build_level(pack, "de", level)
        build_s = time.perf_counter() - t0
        out[level] = {
            "units": len(ind.frame),
            "recompute": summary(per_change),
            "style": summary(styles),
            "hideout_bytes": hideout_bytes,
            "geojson_bytes": len(json.dumps(data.geojson, separators=(",", ":"))),
            "geojson_build_s": build_s,
        }
    log(
        f"heat {label}: overlay {out['overlay']['median_ms']:.0f} ms, grid units {out['grid_units']}"
    )
    return out


def bench_heat(folder: Path, tmp: Path, quick: bool) -> dict[str, Any]:
    """The demo pack at 100 m, then refined to 50 m and 25 m."""
    reps = 3 if quick else 5
    rows = [bench_pack(folder, reps, "100 m")]
    for factor, label in ((2, "50 m"), (4, "25 m")):
        fine = refine_pack(folder, tmp / f"heat-{factor}", factor)
        rows.append(bench_pack(fine, max(2, reps - 2), label))
    return {"rows": rows}


def render(h: dict[str, Any]) -> list[str]:
    def ms(s: dict[str, Any]) -> str:
        return f"{s['median_ms']:.1f} / {s['p95_ms']:.1f}"

    lines = [
        "6. Heat layers (in-process; median / p95 ms)",
        f"{'grid':>6} {'cells':>8} {'overlay ms':>14} {'PNG KB':>7} {'indic. s':>9} "
        f"{'level':>9} {'units':>6} {'recompute ms':>13} {'style ms':>13} {'hideout B':>9} {'GeoJSON KB':>10}",
    ]
    for r in h["rows"]:
        for level in ("district", "grid"):
            lv = r[level]
            head = (
                f"{r['label']:>6} {r['grid_cells']:>8} {ms(r['overlay']):>14} {r['overlay']['png_bytes'] / 1024:>7.0f} "
                f"{r['indicators_grid_s']:>9.2f}"
                if level == "district"
                else f"{'':>6} {'':>8} {'':>14} {'':>7} {'':>9}"
            )
            lines.append(
                f"{head} {level:>9} {lv['units']:>6} {ms(lv['recompute']):>13} {ms(lv['style']):>13} "
                f"{lv['hideout_bytes']:>9} {lv['geojson_bytes'] / 1024:>10.0f}"
            )
    lines.append(
        "recompute = models.hvi.hvi for new weights; style = index + mapclassify classes + legend "
        "(what a weight change costs the server); hideout = bytes sent to the browser per "
        "weight change; GeoJSON = sent once when the layer is switched on."
    )
    return lines


if __name__ == "__main__":
    import sys
    import tempfile

    from data.demo import ensure_demo_pack

    with tempfile.TemporaryDirectory() as tmp:
        res = bench_heat(ensure_demo_pack(), Path(tmp), "--quick" in sys.argv)
    print("\n".join(render(res)) if "--json" not in sys.argv else json.dumps(res, indent=2))
