"""Footfall forecasts: fit time, backtest time, accuracy against three baselines, first start.

    .venv/bin/python -m bench.forecasts models       # fit + backtest times, MASE (~6 min)
    .venv/bin/python -m bench.forecasts first-start  # a fresh cache: server up, forecasts in
    .venv/bin/python -m bench.forecasts models --sites 10 --json

``models`` (in-process):

- **fit per site**: :func:`models.footfall_model.fit_site` at the last hour of each of the
  first ``--sites`` demo sites, horizon 24 h and 168 h (median and max over sites);
- **backtest time**: ``--sites`` demo sites × 8 origins, 24-hour windows, one process, the
  model refitted at every origin (what ``allmende forecast backtest`` does by default);
- **accuracy**: the app's protocol (8 windows of 168 h, refitted at each; Mainz's 31 days
  allow 24-hour windows only) on the whole demo, on the Moers hystreet export (May–July
  2022) and on the Mainz hystreet record (December 2021), when ``../shared`` is there:
  MASE of the model and of the three baselines, 80 % coverage overall and per lead band,
  and at how many sites the model beats the best baseline.

The code measured is whatever ``models`` is importable: run it with ``PYTHONPATH`` at an
older checkout to get "before" figures (an older backtest without ``refit`` refits anyway,
and reports the baselines it knows).

``first-start``: ``allmende serve`` (gunicorn) with an empty ``ALLMENDE_CACHE_DIR``: seconds
from spawning it to the first ``GET /`` answered 200 (the demo pack is built first), and to
the forecast artefacts on disk (``forecasts/*/card.json``), i.e. the moment the page shows
them. Figures are wall-clock on this machine; other work running inflates them.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real" / "pedestrian_counts"
METHODS = ("model", "seasonal_naive_24", "seasonal_naive_168", "seasonal_mean_4w")


def log(msg: str) -> None:
    print(f"[forecasts {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _demo() -> tuple[Any, Any]:
    from data.demo import ensure_demo_pack
    from data.pack import load_pack

    pack = load_pack(ensure_demo_pack())
    counts = pack.table("footfall_counts")
    if pack.has("weather_daily") and "temperature" not in counts.columns:
        from data.footfall import with_daily_weather

        counts = with_daily_weather(counts, pack.table("weather_daily"), pack.calendar.timezone)
    return counts, pack.calendar


def _config(calendar: Any, horizon: int = 24) -> Any:
    from models.footfall_model import ForecastConfig

    fields = inspect.signature(ForecastConfig).parameters
    return ForecastConfig(
        horizon=horizon, **({"calendar": calendar} if "calendar" in fields else {})
    )


def _backtest(counts: Any, horizon: int, origins: int, config: Any, n_jobs: int) -> Any:
    from models.backtest import backtest

    kwargs: dict[str, Any] = {"n_jobs": n_jobs}
    if "refit" in inspect.signature(backtest).parameters:
        kwargs["refit"] = True
    return backtest(counts, horizon, origins, config, **kwargs)


def fit_times(counts: Any, calendar: Any, n_sites: int) -> dict[str, Any]:
    import pandas as pd

    from models import features as feat
    from models.footfall_model import calendar_for, fit_site, sites_of

    out: dict[str, Any] = {}
    for horizon in (24, 168):
        cfg = _config(calendar, horizon)
        seconds = []
        for site in sites_of(counts)[:n_sites]:
            tz = getattr(getattr(cfg, "calendar", None), "timezone", "Europe/Berlin")
            series = feat.site_series(counts, site, tz)
            origin = series.index[series["y"].notna()].max() + pd.Timedelta(hours=1)
            cal = calendar_for(
                series,
                origin + pd.Timedelta(hours=horizon),
                *([cfg.calendar] if hasattr(cfg, "calendar") else []),
            )
            started = time.perf_counter()
            fit_site(series, cal, origin, cfg, site)
            seconds.append(time.perf_counter() - started)
        out[f"{horizon}h"] = {"median_s": statistics.median(seconds), "max_s": max(seconds)}
        log(f"fit {horizon} h: median {statistics.median(seconds):.2f} s over {len(seconds)} sites")
    return out


def backtest_time(counts: Any, calendar: Any, n_sites: int) -> dict[str, Any]:
    from models.footfall_model import sites_of

    sites = sites_of(counts)[:n_sites]
    subset = counts[counts["site_id"].isin(sites)]
    started = time.perf_counter()
    _backtest(subset, 24, 8, _config(calendar, 24), n_jobs=1)
    seconds = time.perf_counter() - started
    log(f"backtest {len(sites)} sites × 8 origins × 24 h: {seconds:.1f} s")
    return {"sites": len(sites), "origins": 8, "horizon": 24, "seconds": seconds}


def accuracy(name: str, counts: Any, calendar: Any, horizon: int) -> dict[str, Any]:
    started = time.perf_counter()
    result = _backtest(counts, horizon, 8, _config(calendar, horizon), n_jobs=os.cpu_count() or 1)
    overall = result.to_dict()["overall"]
    row: dict[str, Any] = {
        "data": name,
        "horizon": horizon,
        "seconds": time.perf_counter() - started,
    }
    for method in METHODS:
        block = overall.get(method) or {}
        row[method] = block.get("mase")
    row["coverage_80"] = overall["model"].get("coverage_80")
    row["coverage_80_by_lead"] = overall["model"].get("coverage_80_by_lead")
    row["beats"] = overall.get("sites_model_beats_best_baseline")
    row["n_sites"] = overall.get("n_sites", len(result.sites))
    log(f"accuracy {name}: {row}")
    return row


def _real(name: str) -> tuple[Any, Any, int] | None:
    from data.calendar import CityCalendar
    from data.importers.counts import read_counts

    if name == "moers":
        files = sorted((REAL / "moers_hystreet_csv_export").glob("*.csv"))
        if not files:
            return None
        counts, _, _ = read_counts(files, "hystreet")
        return counts, CityCalendar("Europe/Berlin", "DE", "NW"), 168
    path = REAL / "hystreet_mainz_schusterstrasse_71_hourly_2021-12.csv"
    if not path.exists():
        return None
    counts, _, _ = read_counts(
        [path], "long", time_col="timestamp", count_col="pedestrians_count", site="mainz"
    )
    return counts, CityCalendar("Europe/Berlin", "DE", "RP"), 24


def models_bench(n_sites: int) -> dict[str, Any]:
    counts, calendar = _demo()
    res: dict[str, Any] = {
        "fit": fit_times(counts, calendar, n_sites),
        "backtest": backtest_time(counts, calendar, n_sites),
        "accuracy": [accuracy("demo (13 sites, 2 years)", counts, calendar, 168)],
    }
    for name in ("moers", "mainz"):
        real = _real(name)
        if real is not None:
            res["accuracy"].append(accuracy(f"hystreet {name}", *real))
    return res


def first_start(timeout: float = 900) -> dict[str, Any]:
    from bench.common import free_port

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="allmende-first-") as cache:
        env = {**os.environ, "ALLMENDE_CACHE_DIR": cache, "ALLMENDE_PORT": str(port)}
        started = time.perf_counter()
        proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "allmende"), "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        up = ready = None
        try:
            while time.perf_counter() - started < timeout and ready is None:
                if proc.poll() is not None:
                    raise RuntimeError(f"the server stopped with exit code {proc.returncode}")
                if up is None:
                    try:
                        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                            if r.status == 200:
                                up = time.perf_counter() - started
                                log(f"GET / answered 200 after {up:.1f} s")
                    except OSError:
                        pass
                if list(Path(cache).glob("forecasts/*/card.json")):
                    ready = time.perf_counter() - started
                    log(f"forecasts on disk after {ready:.1f} s")
                time.sleep(0.5)
        finally:
            proc.terminate()
            proc.wait(30)
    return {"first_get_s": up, "forecasts_ready_s": ready, "timeout_s": timeout}


def render(kind: str, res: dict[str, Any]) -> str:
    lines = []
    if kind == "first-start":
        lines.append(
            f"first start (allmende serve, empty cache): GET / 200 after "
            f"{res['first_get_s']:.1f} s; forecasts on disk after "
            + (f"{res['forecasts_ready_s']:.1f} s" if res["forecasts_ready_s"] else "– (timeout)")
        )
        return "\n".join(lines)
    for h, f in res["fit"].items():
        lines.append(
            f"fit per site, horizon {h}: median {f['median_s']:.2f} s, max {f['max_s']:.2f} s"
        )
    b = res["backtest"]
    lines.append(
        f"backtest {b['sites']} sites × {b['origins']} origins × {b['horizon']} h "
        f"(one process): {b['seconds']:.1f} s"
    )
    lines.append("accuracy (MASE; lower is better) and 80 % coverage of the model:")
    for r in res["accuracy"]:
        cells = "  ".join(f"{m} {r[m]:.3f}" if r.get(m) is not None else f"{m} –" for m in METHODS)
        bands = ", ".join(f"{k} h {v:.2f}" for k, v in (r.get("coverage_80_by_lead") or {}).items())
        lines.append(
            f"  {r['data']}, {r['horizon']} h windows: {cells}  coverage {r['coverage_80']:.2f}"
            f" ({bands})  model beats best baseline at {r['beats']}/{r['n_sites']} sites"
            f"  [{r['seconds']:.0f} s]"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("models", "first-start"))
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    res = models_bench(args.sites) if args.kind == "models" else first_start()
    print(json.dumps(res, indent=2, default=str) if args.json else render(args.kind, res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
