"""Print performance figures for the Allmende dashboard (not a test: nothing asserts on speed).

Run from the repository root::

    .venv/bin/python bench/bench_app.py [--json] [--quick] [--no-browser] [--pack FOLDER]
        [--only footfall] [--footfall-sizes 12x2,40x2,100x3]
    .venv/bin/python -m bench.bench_app [same options]

This runner strings the five measurements together (bench/README.md says what each figure
means):

1. ``bench/startup.py``: ``python app.py --port P`` until ``GET /`` answers 200, cold and warm;
2. ``bench/page_load.py``: a warm start and the bytes of the first page load in headless
   Chromium (map tiles excluded), plus the request bodies the browser sends;
3. ``bench/callbacks.py``: server time and response bytes of the map's callbacks, in-process
   with Flask's test client and the exact request bodies Dash's renderer sends;
4. ``bench/growth.py``: how those figures grow with the number of districts;
5. ``bench/footfall.py``: heatmap frames through ``/layers/footfall-heatmap.png``, the
   per-pack cube and kernel, the site markers, forecast fits, and their growth with sites and
   years (``--only footfall`` runs this section alone).

Progress goes to stderr; the figures (a table, or JSON with ``--json``) go to stdout. The exit
status is 1 only when a callback or a heatmap frame answered wrongly (not 200, or without its
expected content).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

if not __package__:  # run as a script: import from the repository root, not from bench/
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from bench import callbacks, embed, footfall, growth, heat, page_load, startup
from bench.common import PackSource, loadavg, log, machine


def render(res: dict[str, Any]) -> str:
    m = res["machine"]
    out = [
        f"Allmende benchmark — {res['started']} — {'quick' if res['quick'] else 'full'} run",
        f"machine: nproc={m['nproc']} (usable {m['nproc_usable']}), {m['cpu'] or 'cpu ?'}, "
        f"{m['mem_gib']} GiB RAM; Python {m['python']}; {m['platform']}",
        f"software: dash {m['dash']}, dash-leaflet {m['dash_leaflet']}, flask {m['flask']}, "
        f"werkzeug {m['werkzeug']}, chromium {m['chromium'] or '—'}",
        f"load average (1, 5, 15 min) at start {m['loadavg_start']}, at end {m['loadavg_end']} "
        "(other work on the machine inflates the figures)",
        f"pack: {res['pack']} — {res['n_districts']} districts",
    ]
    if "startup" in res:
        out += ["", *startup.render(res["startup"])]
        browser = res.get("browser")
        if browser:
            out += page_load.render_warm_start(browser)
        elif res.get("browser_error"):
            out.append(f"   browser run skipped: {res['browser_error']}")
        out += ["", *page_load.render_bytes(browser, res.get("payload_check"))]
        out += ["", *callbacks.render(res["callbacks"])]
        out += ["", *growth.render(res["growth"])]
    if "footfall" in res:
        out += ["", *footfall.render(res["footfall"])]
    if "heat" in res:
        out += ["", *heat.render(res["heat"])]
    if "embed" in res:
        out += ["", *embed.render(res["embed"])]
    out += ["", f"total benchmark time: {res['elapsed_s']:.0f} s"]
    if res["errors"]:
        out += ["", "ERRORS (wrong callback answers):", *(f"  {e}" for e in res["errors"])]
    return "\n".join(out)


def collect_errors(res: dict[str, Any]) -> list[str]:
    """The wrong answers recorded anywhere in sections 3, 4 and 5."""
    errors: list[str] = []

    def walk(v: Any, path: str) -> None:
        if isinstance(v, dict):
            if isinstance(v.get("errors"), list) and "ok" in v:
                errors.extend(f"{path}: {e}" for e in v["errors"])
            for k, x in v.items():
                walk(x, f"{path}.{k}")
        elif isinstance(v, list):
            for i, x in enumerate(v):
                walk(x, f"{path}[{i}]")

    for section in ("callbacks", "growth", "footfall"):
        if section in res:
            walk(res[section], section)
    return errors


def _exit_on_signal(signum: int, _frame: object) -> NoReturn:
    """SIGTERM/SIGHUP as SystemExit, so that the server, Chromium and chromedriver are
    stopped and the temporary folder removed by the ``finally`` blocks on the way out."""
    raise SystemExit(128 + signum)


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    res: dict[str, Any] = {
        "started": datetime.now().astimezone().isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": machine(),
    }
    with tempfile.TemporaryDirectory(prefix="allmende-bench-") as tmp_name:
        tmp = Path(tmp_name)
        source = PackSource.from_arg(args.pack)
        res["pack"] = source.label
        if args.only == "embed":
            from data.cache import cache_dir as default_cache_dir

            res["n_districts"] = 0
            res["embed"] = embed.bench_embed(source, default_cache_dir(), tmp)
            res["elapsed_s"] = time.perf_counter() - started
            res["machine"]["loadavg_end"] = loadavg()
            res["errors"] = [
                f"embed {r['label']}: over budget or foreign requests"
                for r in res["embed"]["rows"]
                if not r["within_budget"]
            ]
            return res
        if args.only == "heat":
            from data.demo import ensure_demo_pack
            from data.pack import load_pack

            folder = args.pack.resolve() if args.pack else ensure_demo_pack()
            res["n_districts"] = len(load_pack(folder).vector("districts"))
            res["heat"] = heat.bench_heat(folder, tmp, args.quick)
            res["elapsed_s"] = time.perf_counter() - started
            res["machine"]["loadavg_end"] = loadavg()
            res["errors"] = []
            return res
        if args.only == "footfall":
            from data.cache import cache_dir as default_cache_dir

            res["footfall"] = _footfall(args, source.resolve(default_cache_dir()), tmp, res)
            res["elapsed_s"] = time.perf_counter() - started
            res["machine"]["loadavg_end"] = loadavg()
            res["errors"] = collect_errors(res)
            return res
        res["startup"], cache_dir = startup.bench_startup(source, tmp, args.quick)
        folder = source.resolve(cache_dir)
        from data.pack import load_pack

        n_districts = len(load_pack(folder).vector("districts"))
        res["n_districts"] = n_districts
        res["pack_folder"] = str(folder)
        captured = None
        if not args.no_browser:
            try:
                res["browser"], captured = page_load.bench_browser(
                    source, cache_dir, tmp, n_districts
                )
                res["machine"]["chromium"] = res["browser"]["chromium"]
            except Exception as err:  # report and go on: the other figures still count
                res["browser_error"] = f"{type(err).__name__}: {err}"
                log(f"browser run failed: {res['browser_error']}")
        res["callbacks"], built = callbacks.bench_callbacks(folder, args.quick)
        if captured is not None:
            res["payload_check"] = callbacks.compare_bodies(captured, built)
        sizes = args.sizes or ([30, 300] if args.quick else [30, 300, 3000])
        res["growth"] = growth.bench_growth(sizes, tmp, args.quick)
        res["footfall"] = _footfall(args, folder, tmp, res)
        res["heat"] = heat.bench_heat(folder, tmp, args.quick)
        if not args.no_browser:
            res["embed"] = embed.bench_embed(source, cache_dir, tmp)
    res["elapsed_s"] = time.perf_counter() - started
    res["machine"]["loadavg_end"] = loadavg()
    res["errors"] = collect_errors(res)
    return res


def _footfall(args: argparse.Namespace, folder: Path, tmp: Path, res: dict[str, Any]) -> Any:
    """Section 5 on ``folder`` (and synthetic packs in ``tmp``)."""
    from data.pack import load_pack

    res.setdefault("n_districts", len(load_pack(folder).vector("districts")))
    res.setdefault("pack_folder", str(folder))
    return footfall.bench_footfall(folder, tmp, args.quick, args.footfall_sizes)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and sizes")
    parser.add_argument("--no-browser", action="store_true", help="skip headless Chromium")
    parser.add_argument("--pack", type=Path, help="benchmark this pack instead of the demo")
    parser.add_argument(
        "--sizes", type=lambda s: [int(x) for x in s.split(",")], help="e.g. 30,300,3000"
    )
    parser.add_argument(
        "--only",
        choices=["footfall", "heat", "embed"],
        help="run only this section (5. Footfall, 6. Heat or 7. Embed)",
    )
    parser.add_argument(
        "--footfall-sizes",
        type=footfall.parse_sizes,
        help="sites x years for section 5's growth, e.g. 12x2,40x2,100x3",
    )
    args = parser.parse_args(argv)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _exit_on_signal)
    res = run(args)
    print(json.dumps(res, indent=2, ensure_ascii=False) if args.json else render(res))
    return 1 if res["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
