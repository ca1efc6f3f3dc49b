"""Section 1: start-up time of ``python app.py --port P`` (the Flask dev server).

- cold: a fresh, empty ``ALLMENDE_CACHE_DIR``, so the demo pack is built first; wall-clock
  time from spawning the process to the first ``GET /`` answered 200 (polled every 20 ms);
- warm: the same, started again with the same cache dir (the pack is already there). Cold and
  warm runs take turns, so changing load on the machine hits both alike;
- the demo pack build alone: ``build_demo_pack`` timed in-process;
- a warm start broken down by a separate in-process script: ``import dashboard.app``,
  ``create_app(Settings.from_env())`` and the first ``GET /`` through Flask's test client.

The warm start watched by headless Chromium belongs to this section too; it is measured with
the page load (``bench/page_load.py``), which uses the same browser session.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, PackSource, Server, log, table

BREAKDOWN = """
import json, time
t0 = time.perf_counter()
import dashboard.app
from dashboard.settings import Settings
t1 = time.perf_counter()
app = dashboard.app.create_app(Settings.from_env())
t2 = time.perf_counter()
status = app.server.test_client().get("/").status_code
t3 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "create_app_s": t2 - t1, "first_get_s": t3 - t2,
                  "status": status}))
"""


def startup_breakdown(source: PackSource, cache_dir: Path, reps: int) -> dict[str, Any]:
    """Where a warm start goes: imports, ``create_app``, the first ``GET /`` (in-process)."""
    runs = []
    for _ in range(reps):
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", BREAKDOWN],
            cwd=ROOT,
            env=source.env(cache_dir),
            capture_output=True,
            text=True,
            check=True,
        )
        run = json.loads(done.stdout.strip().splitlines()[-1])
        run["process_s"] = time.perf_counter() - t0
        runs.append(run)
    medians = {k: statistics.median(r[k] for r in runs) for k in runs[0] if k.endswith("_s")}
    return medians | {"n": reps}


def bench_startup(source: PackSource, tmp: Path, quick: bool) -> tuple[dict[str, Any], Path]:
    """Cold starts (each in a fresh cache dir) interleaved with warm starts (the same dir
    again). Returns the figures and the last cache dir (which holds a built demo pack)."""
    cold_reps, warm_reps = (1, 2) if quick else (3, 3)
    logfile = tmp / "server.log"
    cold: list[float] = []
    warm: list[float] = []
    cache_dir = tmp / "cache-0"
    for i in range(max(cold_reps, warm_reps)):
        if i < cold_reps:
            cache_dir = tmp / f"cache-{i}"
            with Server(source, cache_dir, logfile) as server:
                cold.append(server.wait_ready())
            log(f"startup: cold {cold[-1]:.2f} s")
        if i < warm_reps:
            with Server(source, cache_dir, logfile) as server:
                warm.append(server.wait_ready())
            log(f"startup: warm {warm[-1]:.2f} s")
    out: dict[str, Any] = {
        "cold_s": cold,
        "cold_median_s": statistics.median(cold),
        "cold_builds_demo_pack": source.demo,
        "warm_s": warm,
        "warm_median_s": statistics.median(warm),
        "warm_breakdown": startup_breakdown(source, cache_dir, cold_reps),
        "demo_build_s": None,
    }
    if source.demo:
        from data.demo import build_demo_pack

        t0 = time.perf_counter()
        build_demo_pack(tmp / "demo-build")
        out["demo_build_s"] = time.perf_counter() - t0
    return out, cache_dir


def render(s: dict[str, Any]) -> list[str]:
    cold_what = "demo pack built" if s["cold_builds_demo_pack"] else "pack already on disk"
    cold_runs = ", ".join(f"{x:.2f}" for x in s["cold_s"])
    warm_runs = ", ".join(f"{x:.2f}" for x in s["warm_s"])
    rows = [
        [
            f"cold: fresh ALLMENDE_CACHE_DIR, {cold_what}; median of {len(s['cold_s'])} "
            f"({cold_runs})",
            f"{s['cold_median_s']:.2f}",
        ],
        [
            f"warm: same cache dir; median of {len(s['warm_s'])} ({warm_runs})",
            f"{s['warm_median_s']:.2f}",
        ],
    ]
    if s["demo_build_s"] is not None:
        rows.append(
            ["demo pack build alone (build_demo_pack, in-process)", f"{s['demo_build_s']:.2f}"]
        )
    bd = s["warm_breakdown"]
    return [
        "1. Start-up: `python app.py --port P` (Flask dev server) until GET / answers 200",
        table(["", "seconds"], rows),
        f"   warm start breakdown (separate in-process script, median of {bd['n']}): "
        f"imports {bd['import_s']:.2f} s, create_app {bd['create_app_s']:.2f} s, "
        f"first GET / {bd['first_get_s'] * 1000:.0f} ms; "
        f"whole process incl. exit {bd['process_s']:.2f} s",
    ]
