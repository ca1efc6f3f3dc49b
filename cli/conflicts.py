"""``allmende conflicts``: land-use conflicts of planned developments, per plan and as a matrix.

``allmende conflicts --pack PACK [--plans FILE] [--constraints FILE] [--source-crs CRS]
[--rules FILE] [--min-area M2] [--json] [--geometry]`` prints, per plan, the rules it breaks
(rule id, severity, hectares, share of the plan), its severity score and verdict, and the
conflict matrix (planned use × constraint kind, hectares).

* Plans and constraints come from the pack's datasets ``plans`` and ``constraints``;
  ``--plans FILE`` / ``--constraints FILE`` (GeoJSON, GPKG, zipped Shapefile) replace them.
  A file without a CRS is refused unless ``--source-crs`` states it.
* The rules come from ``--rules FILE``, else the pack's ``conflict_rules.toml``, else the
  demo city's rule file (``data/demo/conflict_rules.toml``), and the output says which.
* Areas are measured in the pack's metric CRS.

Exit status: 0 on success, 1 on bad input (invalid pack, missing dataset, unreadable file,
no CRS, a bad rule file, bad plans or constraints), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

# the pack's own rule file (models.conflict_rules.RULES_FILE; models is imported lazily, as
# everything heavy here: it loads the data package and with it geopandas)
RULES_FILE = "conflict_rules.toml"


class _Refused(Exception):
    """Bad input: the message is printed and the command exits 1."""


def rules_path(pack_folder: Path, given: Path | None) -> tuple[Path, str]:
    """The rule file to use and why: ``--rules``, the pack's own file, or the demo default
    (:func:`models.conflict_rules.rules_for_pack`, shared with the map's conflict layer)."""
    from models.conflict_rules import rules_for_pack

    return rules_for_pack(pack_folder, given)


def read_frame(path: Path, source_crs: str | None, what: str) -> Any:
    """A GeoJSON/GPKG/Shapefile as a GeoDataFrame with a CRS, or :class:`_Refused`."""
    import geopandas as gpd

    if not path.exists():
        raise _Refused(f"{what} file {path}: file not found")
    try:
        frame = gpd.read_file(path)
    except Exception as err:  # pyogrio raises several types; the message is what matters
        raise _Refused(
            f"{what} file {path}: cannot read it as GeoJSON, GPKG or Shapefile: {err}"
        ) from err
    if frame.crs is None:
        if source_crs is None:
            raise _Refused(
                f"{what} file {path}: no CRS stated; state it in the file (a .prj beside a "
                "Shapefile, the GeoPackage's CRS, or RFC 7946 GeoJSON in EPSG:4326) or pass "
                "--source-crs, e.g. --source-crs EPSG:25832"
            )
        try:
            frame = frame.set_crs(source_crs)
        except Exception as err:
            raise _Refused(f"--source-crs {source_crs!r}: unknown CRS ({err})") from err
    return frame


def _pack_frame(pack: Any, dataset: str, option: str) -> Any:
    if not pack.has(dataset):
        raise _Refused(
            f"the pack has no {dataset!r} dataset; add it with 'allmende import {dataset} …' "
            f"or pass {option} FILE"
        )
    return pack.metric(dataset)


def conflicts_command(args: argparse.Namespace) -> int:
    from data.pack import PackError, load_pack
    from models.conflict_rules import RuleFileError, load_rules
    from models.conflicts import assess

    try:
        pack = load_pack(args.pack)
    except PackError as err:
        print(f"conflicts: the pack is invalid\n{err.report.to_text()}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as err:
        print(f"conflicts: cannot read the pack {args.pack}: {err}", file=sys.stderr)
        return 1
    rules_file, why = rules_path(pack.folder, args.rules)
    try:
        rules = load_rules(rules_file)
        plans = (
            read_frame(args.plans, args.source_crs, "plans")
            if args.plans
            else _pack_frame(pack, "plans", "--plans")
        )
        constraints = (
            read_frame(args.constraints, args.source_crs, "constraints")
            if args.constraints
            else _pack_frame(pack, "constraints", "--constraints")
        )
        result = assess(
            plans, constraints, rules, metric_crs=pack.city.metric_crs, min_area_m2=args.min_area
        )
    except RuleFileError as err:
        print(f"conflicts: the rule file was refused:\n{err}", file=sys.stderr)
        return 1
    except _Refused as err:
        print(f"conflicts: {err}", file=sys.stderr)
        return 1
    except ValueError as err:
        print(f"conflicts: {err}", file=sys.stderr)
        return 1
    doc = result.to_dict(geometry=args.geometry)
    doc["pack"] = pack.city.name
    doc["synthetic"] = pack.synthetic
    doc["rules_reason"] = why
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    print_text(doc)
    return 0


def _pct(share: float) -> str:
    return f"{100 * share:.1f} %"


def print_text(doc: dict[str, Any]) -> None:
    """Per plan its conflicts and score, then the matrix (hectares)."""
    synthetic = " (synthetic demo data)" if doc.get("synthetic") else ""
    plans = doc["plans"]
    print(
        f"land-use conflicts, {doc['pack']}{synthetic}: {len(plans)} plan(s), measured in "
        f"{doc['crs']}; rules: {doc['rules']} ({doc['rules_reason']})"
    )
    print("score = Σ weight × share of the plan over its conflicts; hard conflicts are flagged")
    for p in plans:
        dwellings = f", {p['dwellings']} dwellings" if p["dwellings"] is not None else ""
        name = f" {p['name']!r}" if p["name"] else ""
        print()
        print(
            f"plan {p['plan_id']}{name} ({p['use']}{dwellings}, {p['area_ha']:.2f} ha): "
            f"score {p['score']:.3f} — {p['verdict']['en']}"
        )
        if not p["conflicts"]:
            continue
        width = max(len(c["rule_id"]) for c in p["conflicts"])
        print(f"  {'rule':<{width}}  severity  {'ha':>8}  {'share':>7}  constraint")
        for c in p["conflicts"]:
            print(
                f"  {c['rule_id']:<{width}}  {c['severity']:<8}  {c['area_ha']:>8.2f}  "
                f"{_pct(c['share']):>7}  {c['constraint']}"
                + (f"  ({c['verdict']['en']})" if c["exception_under"] else "")
            )
        print(
            f"  in conflict together: {p['conflict_area_ha']:.2f} ha "
            f"({_pct(p['conflict_share'])} of the plan)"
        )
    m = doc["matrix"]
    print()
    print("conflict matrix, hectares (planned use × constraint kind):")
    kinds = m["kinds"]
    width = max([len("total"), *(len(u) for u in m["uses"])])
    cols = [max(len(k), 8) for k in kinds]
    print(
        " " * (width + 2)
        + "  ".join(f"{k:>{w}}" for k, w in zip(kinds, cols, strict=True))
        + f"  {'total':>8}"
    )
    for use, row, total in zip(m["uses"], m["hectares"], m["use_totals"], strict=True):
        cells = "  ".join(f"{v:>{w}.2f}" for v, w in zip(row, cols, strict=True))
        print(f"{use:<{width}}  {cells}  {total:>8.2f}")
    cells = "  ".join(f"{v:>{w}.2f}" for v, w in zip(m["kind_totals"], cols, strict=True))
    print(f"{'total':<{width}}  {cells}  {m['total']:>8.2f}")


def register(sub: Any) -> None:
    """Add ``conflicts`` to the ``allmende`` sub-commands."""
    p = sub.add_parser(
        "conflicts",
        help="land-use conflicts of planned developments with climate and legal constraints",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    p.add_argument("--pack", type=Path, required=True, help="city pack folder")
    p.add_argument(
        "--plans",
        type=Path,
        help="plans file (GeoJSON, GPKG, zipped Shapefile) instead of the pack's",
    )
    p.add_argument(
        "--constraints", type=Path, help="constraint zones file instead of the pack's 'constraints'"
    )
    p.add_argument(
        "--source-crs", help="CRS of --plans/--constraints files that state none, e.g. EPSG:25832"
    )
    p.add_argument(
        "--rules",
        type=Path,
        help=f"rule file (TOML; default: the pack's {RULES_FILE}, else the demo city's rules)",
    )
    p.add_argument(
        "--min-area",
        type=float,
        default=1.0,
        help="overlaps smaller than this many m² are not conflicts (default 1)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "--geometry",
        action="store_true",
        help="with --json: plans and conflict polygons as GeoJSON geometries (EPSG:4326)",
    )
    p.set_defaults(func=conflicts_command)
