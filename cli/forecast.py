"""``allmende forecast``: footfall backtests and P10/P50/P90 forecasts from count files.

* ``allmende forecast backtest --counts FILE [--counts FILE …] --format FMT --horizon 24
  --origins 8 [--fit-once] [--json]`` — rolling-origin backtest against three baselines
  (same hour yesterday, same hour last week, mean of the same hour and weekday over 4
  weeks), with 80 % coverage per lead band and, per site, whether the model beats the best
  baseline (JSON: ``{"overall": {"model": {...}, "seasonal_naive_24": {...}, …,
  "model_beats_best_baseline": …}, "sites": {SITE: {...}}}``).
* ``allmende forecast predict --counts FILE … --format FMT [--days 1..14] --out FILE.csv`` —
  backtests first, then writes ``site,timestamp,method,p10,p50,p90``: per site the model,
  or the best baseline where the backtest says the model loses (``method`` names it);
  ``timestamp`` is the start of the hour in ISO 8601 local time (``--tz``, default
  Europe/Berlin) WITH its UTC offset, so the repeated autumn hour is unambiguous.

The city's calendar (local days and hours, public holidays, school holidays, lecture
periods) comes from ``--tz``, ``--country``, ``--subdiv`` (alias ``--state``) and
``--calendar FILE`` (see :mod:`cli.counts`).

Exit status 1 for unreadable counts, unknown formats or too little data.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from cli.counts import add_counts_args, calendar_from_args, counts_from_args


def _model_args(p: argparse.ArgumentParser) -> None:
    add_counts_args(p)
    p.add_argument(
        "--weather",
        choices=("auto", "none", "persistence", "observed"),
        default="auto",
        help="weather features (default auto: persistence when the counts carry temperature)",
    )


def _load(args: argparse.Namespace) -> Any:
    counts, _reports, _sites = counts_from_args(args)
    return counts


def _fmt(value: Any, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


METHODS = ("model", "seasonal_naive_24", "seasonal_naive_168", "seasonal_mean_4w", "selected")


def _verdict_line(name: str, block: dict[str, Any]) -> str:
    """``model beats the best baseline (seasonal_mean_4w, MASE 0.52) by 12.3 %`` or the
    plain opposite, with what is shown instead."""
    best = block.get("best_baseline")
    if best is None:
        return f"  {name}: no baseline could be scored"
    gain = block.get("improvement")
    gain_text = "–" if gain is None else f"{100 * gain:.1f} %"
    if block.get("model_beats_best_baseline"):
        return (
            f"  verdict: the model BEATS the best baseline ({best}, MASE "
            f"{_fmt(block.get('best_baseline_mase'))}) by {gain_text}; the model is shown"
        )
    return (
        f"  verdict: the model does NOT beat the best baseline ({best}, MASE "
        f"{_fmt(block.get('best_baseline_mase'))}); {best} is shown instead"
    )


def print_backtest(data: dict[str, Any]) -> None:
    """The backtest as text: per block (overall, then each site) every method's MASE, MAE,
    80 % coverage overall and per lead band, and the verdict."""
    print(
        f"rolling-origin backtest: {data['origins']} origins × {data['horizon']} h, "
        f"{data['overall']['n_scored']} scored hours"
    )
    for name, block in [("overall", data["overall"]), *data["sites"].items()]:
        print(f"{name}:")
        for method in METHODS:
            m = block.get(method)
            if m is None:
                continue
            bands = "  ".join(
                f"{band} h {_fmt(v, 2)}" for band, v in (m.get("coverage_80_by_lead") or {}).items()
            )
            print(
                f"  {method:<20} MASE {_fmt(m['mase'])}  MAE {_fmt(m['mae'], 1)}"
                f"  coverage P10–P90 {_fmt(m['coverage_80'], 2)}  by lead: {bands}"
            )
        print(_verdict_line(name, block))
    overall = data["overall"]
    print(
        f"the model beats the best baseline at {overall.get('sites_model_beats_best_baseline')} "
        f"of {overall.get('n_sites')} site(s)"
    )
    for site, sec in data["fit_seconds_per_site"].items():
        print(f"fit time {site}: {sec:.2f} s per fit")


def backtest_command(args: argparse.Namespace) -> int:
    from models.backtest import backtest
    from models.footfall_model import ForecastConfig

    try:
        counts = _load(args)
        config = ForecastConfig(
            horizon=args.horizon, weather=args.weather, calendar=calendar_from_args(args)
        )
        result = backtest(
            counts, args.horizon, args.origins, config, n_jobs=args.jobs, refit=not args.fit_once
        )
    except (ValueError, FileNotFoundError, KeyError, OSError) as err:
        print(f"forecast backtest failed: {err}", file=sys.stderr)
        return 1
    data = result.to_dict()
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print_backtest(data)
    return 0


def predict_command(args: argparse.Namespace) -> int:
    from models.footfall import forecast_with_backtest
    from models.footfall_model import ForecastConfig

    try:
        counts = _load(args)
        config = ForecastConfig(weather=args.weather, calendar=calendar_from_args(args))
        result = forecast_with_backtest(counts, args.days, config, args.origins, n_jobs=args.jobs)
        table = result.to_csv_frame()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(args.out, index=False)
    except (ValueError, FileNotFoundError, KeyError, OSError) as err:
        print(f"forecast predict failed: {err}", file=sys.stderr)
        return 1
    bt = result.backtest
    for site in result.methods():
        if bt is None:
            print(f"{site}: no backtest possible (too short a record); the model is shown")
            continue
        block = bt.sites[site]
        print(f"{site}:")
        print(_verdict_line(site, block))
    print(
        f"wrote {len(table)} hourly forecasts for {table['site'].nunique()} site(s) to {args.out}"
        " (column method: the model, or the baseline shown where the model loses)"
    )
    return 0


def _days(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 14:
        raise argparse.ArgumentTypeError("days must be 1 … 14")
    return value


def register(sub: Any) -> None:
    """Add ``forecast backtest`` and ``forecast predict`` to the ``allmende`` sub-commands."""
    p = sub.add_parser("forecast", help="footfall forecasts (P10/P50/P90) and their backtest")
    fsub = p.add_subparsers(dest="forecast_command", required=True)
    b = fsub.add_parser("backtest", help="rolling-origin backtest against seasonal naive")
    _model_args(b)
    b.add_argument("--horizon", type=int, default=24, help="hours per test window (default 24)")
    b.add_argument("--origins", type=int, default=8, help="number of origins (default 8)")
    b.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="fit sites in this many processes (default: the number of CPUs)",
    )
    b.add_argument(
        "--fit-once",
        action="store_true",
        help="fit once at the first origin instead of refitting at every origin (faster)",
    )
    b.add_argument("--json", action="store_true", help="machine-readable output")
    b.set_defaults(func=backtest_command)
    q = fsub.add_parser("predict", help="forecast the next days and write a CSV")
    _model_args(q)
    q.add_argument("--days", type=_days, default=14, help="days ahead, 1 … 14 (default 14)")
    q.add_argument("--out", type=Path, required=True, help="CSV: site,timestamp,method,p10,p50,p90")
    q.add_argument(
        "--origins",
        type=int,
        default=8,
        help="backtest windows that decide model or baseline per site (default 8)",
    )
    q.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="backtest sites in this many processes (default: the number of CPUs)",
    )
    q.set_defaults(func=predict_command)
