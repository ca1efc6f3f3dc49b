"""CLI for heat and climate risk: ``allmende heat hvi|trend|justice``.

Exit status: 0 on success, 1 when the pack cannot answer (invalid, missing data), 2 on
usage errors (bad weights, breaks or choices).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cli import climate as cli_climate


def _load(pack: Path) -> Any:
    from data.pack import load_pack

    return load_pack(pack)


def hvi_command(args: argparse.Namespace) -> int:
    from data.pack import PackError
    from layers.heat.vulnerability import LAYER, classes_for
    from models.hvi import COMPONENT_IDS, parse_weights

    try:
        weights = parse_weights(args.weights)
        params = LAYER.clean_params(
            {
                "level": args.level,
                "norm": args.norm,
                "scheme": args.scheme,
                "k": args.k,
                "breaks": args.breaks,
                **{f"w_{c}": weights[c] for c in COMPONENT_IDS},
            }
        )
    except ValueError as err:
        print(f"heat hvi: {err}", file=sys.stderr)
        return 2
    try:
        pack = _load(args.pack)
        res, classes = classes_for(pack, params)
    except PackError as err:
        print(f"heat hvi: the pack is invalid\n{err.report.to_text()}", file=sys.stderr)
        return 1
    except (ValueError, KeyError) as err:
        print(f"heat hvi: {err}", file=sys.stderr)
        return 1
    import numpy as np

    index = res.frame["index"].to_numpy(dtype=float)
    cls = np.where(
        np.isfinite(index), np.searchsorted(np.asarray(classes.breaks), index, side="left") + 1, 0
    )
    records = res.to_records()
    for rec, c in zip(records, cls, strict=True):
        rec["class"] = int(min(c, len(classes.breaks))) if c else None
    doc = {
        "pack": pack.city.name,
        "synthetic": pack.synthetic,
        "level": params["level"],
        "normalisation": params["norm"],
        "weights": res.weights,
        "scheme": params["scheme"],
        "breaks": list(classes.breaks),
        "indicators": {c: list(v) for c, v in res.used.items()},
        "missing_indicators": list(res.missing),
        "units": records,
    }
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    print(
        f"heat vulnerability index, {pack.city.name}{' (synthetic demo data)' if pack.synthetic else ''}: "
        f"{len(records)} {params['level']} units, {params['norm']}, weights {res.weights}"
    )
    print(f"{'unit':<28} {'index':>8} {'class':>5} {'expo':>8} {'sens':>8} {'capa':>8}")
    for rec in sorted(records, key=lambda r: -(r["index"] if r["index"] is not None else -1e9)):
        name = f"{rec['name'] or rec['unit_id']}"[:28]
        vals = [rec["index"], *(rec[c] for c in COMPONENT_IDS)]
        shown = ["–" if v is None else f"{v:8.3f}" for v in vals]
        print(
            f"{name:<28} {shown[0]:>8} {rec['class'] or '–':>5} {shown[1]:>8} {shown[2]:>8} {shown[3]:>8}"
        )
    return 0


def justice_command(args: argparse.Namespace) -> int:
    from data.pack import PackError
    from layers.heat.justice import justice

    try:
        pack = _load(args.pack)
        doc = justice(pack, args.variable, args.scheme, args.k)
    except PackError as err:
        print(f"heat justice: the pack is invalid\n{err.report.to_text()}", file=sys.stderr)
        return 1
    except (ValueError, KeyError) as err:
        print(f"heat justice: {err}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    print(
        f"who bears the heat ({doc['variable']}, hottest class above {doc['hottest_class_above']:.1f} °C, "
        f"{doc['units']} {doc['level']} units){' — synthetic demo data' if doc['synthetic'] else ''}"
    )
    for g in doc["groups"]:
        print(
            f"  {g['group']:<7} {g['persons']:>10,.0f} persons  mean {g['mean_exposure']:.2f} °C  "
            f"in hottest class {g['share_in_hottest_class']:.1%}"
        )
    conc = doc["concentration"]
    if conc:
        print(f"  concentration index vs {conc['social_indicator']}: {conc['index']:+.3f}")
    else:
        print("  concentration index: not available (no social indicator or no burden)")
    for row in doc["districts"][:10]:
        print(
            f"  {row['rank']:>2}. {row['name']:<26} {row['hot_all'] or 0:>8,.0f} in hottest class"
        )
    return 0


def register(sub: Any) -> None:
    """Add the ``heat`` command with its sub-commands."""
    from layers.classify import K_MAX, K_MIN
    from layers.heat.vulnerability import HVI_SCHEMES, LEVELS
    from models.hvi import NORMALISATIONS

    p: argparse.ArgumentParser = sub.add_parser("heat", help="heat vulnerability, justice, trend")
    hsub = p.add_subparsers(dest="heat_command", required=True)

    h = hsub.add_parser("hvi", help="heat vulnerability index per district or grid cell")
    h.add_argument("--pack", type=Path, required=True)
    h.add_argument("--level", choices=tuple(LEVELS), default="district")
    h.add_argument(
        "--weights",
        default="exposure=1,sensitivity=1,capacity=1",
        help="component weights 0–5, e.g. exposure=2,sensitivity=1,capacity=1",
    )
    h.add_argument("--norm", choices=tuple(NORMALISATIONS), default="zscore")
    h.add_argument("--scheme", choices=tuple(HVI_SCHEMES), default="quantiles")
    h.add_argument("--k", type=int, default=5, help=f"number of classes {K_MIN}–{K_MAX}")
    h.add_argument("--breaks", default="", help="user-defined breaks, e.g. '-0.5,0,0.5'")
    h.add_argument("--json", action="store_true")
    h.set_defaults(func=hvi_command)

    j = hsub.add_parser("justice", help="who bears the heat: group exposure and shares")
    j.add_argument("--pack", type=Path, required=True)
    j.add_argument("--variable", choices=("lst_day", "tair_night"), default="lst_day")
    j.add_argument(
        "--scheme", choices=("quantiles", "natural_breaks", "equal_interval"), default="quantiles"
    )
    j.add_argument("--k", type=int, default=5, choices=range(K_MIN, K_MAX + 1), metavar="K")
    j.add_argument("--json", action="store_true")
    j.set_defaults(func=justice_command)

    cli_climate.register_trend(hsub)
