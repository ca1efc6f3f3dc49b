"""CLI for station climate trends: ``allmende heat trend``.

(``allmende import climate`` is generated from the importer registry, see :mod:`cli.imports`.)
``heat trend`` counts summer days, hot days and tropical nights per year,
fits their trends and prints the delta-method outlook (see :mod:`models.climate_trend`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

INDEX_CHOICES = ("hot_days", "summer_days", "tropical_nights")


# --- heat trend --------------------------------------------------------------------------------


def _reference(text: str) -> tuple[int, int]:
    from models.climate_trend import parse_reference

    try:
        period = parse_reference(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    assert period is not None
    return period


def _frame(args: argparse.Namespace) -> tuple[pd.DataFrame, str | None, list[str]]:
    """Daily values from ``--dwd`` files or the pack's ``climate_daily``."""
    if args.dwd:
        from data.importers.dwd import read_dwd_daily

        data = read_dwd_daily(args.dwd)
        return data.frame, data.station_id, data.notes
    from data.pack import load_pack

    pack = load_pack(args.pack)
    if "climate_daily" not in pack.catalog.ids():
        raise KeyError(
            f"pack {str(args.pack)!r} has no climate_daily dataset; add one with "
            "'allmende import climate --pack PACK --dwd FILE'"
        )
    return pack.table("climate_daily"), None, []


def _num(value: float | None, fmt: str = "{:.1f}") -> str:
    return "–" if value is None else fmt.format(value)


def _print_report(report: dict[str, Any], index: str | None, notes: list[str]) -> None:
    period = report["period"]
    flagged = report["flagged_years"]
    print(
        f"Station {report['station'] or '?'}: {period['start']} – {period['end']}, "
        f"{len(report['years'])} calendar years, {len(flagged)} flagged "
        "(more than 10 % of days missing)"
    )
    for note in notes:
        print(f"  note: {note}")
    print()
    print("year   missing  summer   hot  tropical   (summer: Tmax ≥ 25 °C, hot: Tmax ≥ 30 °C,")
    print("                                          tropical: Tmin ≥ 20 °C)")
    for row in report["years"]:
        mark = " *" if row["flagged"] else "  "
        print(
            f"{row['year']}{mark} {row['missing_days']:7d}  {row['summer_days']:6d} "
            f"{row['hot_days']:5d} {row['tropical_nights']:9d}"
        )
    if flagged:
        print("* flagged: more than 10 % of the days missing; not used for trends or outlook")
    print()
    print("Trend (Poisson regression on the year, quasi-Poisson 95 % interval)")
    indices = [index] if index else list(report["trend"])
    for name in indices:
        fit = report["trend"][name]
        if fit["status"] != "ok":
            print(f"  {name}: no trend – {fit['message']}")
            continue
        lo_sig = "yes" if fit["slope_lo"] > 0 else "no"
        print(
            f"  {name}: slope {fit['slope']:+.4f}/year on the log scale "
            f"(95 %: {fit['slope_lo']:+.4f} … {fit['slope_hi']:+.4f}); "
            f"{fit['change_per_decade_pct']:+.1f} % per decade "
            f"(95 %: {fit['change_per_decade_lo']:+.1f} … {fit['change_per_decade_hi']:+.1f} %)"
        )
        excluded = ", ".join(map(str, fit["years_excluded"])) or "none"
        print(
            f"    dispersion {fit['dispersion']:.2f} (used {fit['dispersion_used']:.2f}); "
            f"{len(fit['years_used'])} years used; excluded: {excluded}; "
            f"95 % interval above 0: {lo_sig}"
        )
        fitted = fit["fitted"]
        if fitted:
            first, last = fitted[0], fitted[-1]
            print(
                f"    expected per year: {first['year']} {first['expected']:.1f} "
                f"({first['lo']:.1f}–{first['hi']:.1f}), {last['year']} "
                f"{last['expected']:.1f} ({last['lo']:.1f}–{last['hi']:.1f})"
            )
        for note in fit["notes"]:
            print(f"    note: {note}")
    print()
    out = report["outlook"]
    ref = out["reference"]
    if out["status"] != "ok":
        print(f"Outlook: not available ({'; '.join(out['notes'])})")
        return
    print(
        f"Outlook, e.g. for 2050 (delta method, reference {ref['start']}–{ref['end']}, "
        f"{ref['n_years']} years: {ref['rule_text']['en']})"
    )
    print("               summer     hot  tropical   (mean days per year)")
    for row in out["rows"]:
        label = "reference" if row["delta"] == 0 else f"+{row['delta']:g} K"
        print(
            f"  {label:<12} {_num(row['summer_days']):>6} {_num(row['hot_days']):>7} "
            f"{_num(row['tropical_nights']):>9}"
        )
    for note in out["notes"]:
        print(f"  note: {note}")
    print()
    print(out["method"]["en"])


def heat_trend_command(args: argparse.Namespace) -> int:
    from models.climate_trend import trend_report

    try:
        frame, station, notes = _frame(args)
        report = trend_report(frame, station=station, reference=args.reference)
    except (ValueError, KeyError, OSError) as err:
        message = err.args[0] if isinstance(err, KeyError) and err.args else err
        print(f"heat trend failed: {message}", file=sys.stderr)
        return 1
    if args.json:
        report["notes"] = [*notes, *report["notes"]]
        if args.index:
            report["index"] = args.index
        print(json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False))
        return 0
    _print_report(report, args.index, notes)
    return 0


def register_trend(hsub: Any) -> None:
    """Add ``heat trend`` to the ``heat`` sub-parsers."""
    p = hsub.add_parser(
        "trend",
        help="summer days, hot days, tropical nights per year: trend and delta-method outlook",
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument(
        "--dwd",
        type=Path,
        action="append",
        metavar="FILE",
        help="DWD produkt_klima_tag_*.txt or zip archive; repeat for several files of a station",
    )
    src.add_argument("--pack", type=Path, help="pack folder with a climate_daily dataset")
    p.add_argument(
        "--index",
        choices=INDEX_CHOICES,
        help="show the trend of this index only (default: all three)",
    )
    p.add_argument(
        "--reference",
        type=_reference,
        metavar="YYYY-YYYY",
        help="reference period of the outlook, e.g. 1991-2020 (default: 1991-2020 if fully "
        "covered, else the last 30 complete years)",
    )
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.set_defaults(func=heat_trend_command)


__all__ = ["register_trend"]
