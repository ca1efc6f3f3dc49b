"""``allmende scenario``: run a scenario spec against a pack, or show the heat-response model.

``allmende scenario run --pack PACK --spec FILE.toml [--json] [--cache-dir DIR]`` prints the
KPIs (baseline, scenario, change; the model's cross-validated error beside the modelled
ones) and, per district, the mean surface temperature of baseline and scenario and their
difference. ``--json``: ``{"kpis": [{id, label, unit, baseline, scenario, delta, error}],
"districts": [{district, name, lst_baseline, lst_scenario, lst_delta}], …}``.

``allmende scenario model --pack PACK [--json] [--cache-dir DIR]`` prints the model card
(blocked and random cross-validation, the district-mean baseline, partial effects, the
canopy effect beside the published range, the reach).

The model is fitted once per data version and kept in the cache folder
(``ALLMENDE_CACHE_DIR``, ``--cache-dir``). The spec format: ``docs/scenario_spec.md``.

Exit status: 0 on success, 1 on bad input (invalid pack, a refused spec with every problem
named, missing grid data), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

STATEMENT = {
    "de": "Eine statistische Schätzung mit ihrem kreuzvalidierten Fehler, keine physikalische "
    "Simulation. Alle Temperaturen sind Oberflächentemperaturen (LST), keine Lufttemperaturen.",
    "en": "A statistical estimate with its cross-validated error, not a physical simulation. "
    "All temperatures are land-surface temperatures (LST), not air temperatures.",
}


def _pack_and_model(args: argparse.Namespace) -> tuple[Any, Any]:
    from data.cache import cache_dir
    from data.pack import load_pack
    from models.heat_response import load_or_fit

    pack = load_pack(args.pack)
    return pack, load_or_fit(pack, cache_dir(args.cache_dir))


def _fail(what: str, err: object) -> int:
    print(f"scenario {what}: {err}", file=sys.stderr)
    return 1


def run_command(args: argparse.Namespace) -> int:
    from data.pack import PackError
    from models.scenario import run_spec
    from models.scenario_resolve import resolve
    from models.scenario_spec import SpecError, load_spec

    try:
        spec = load_spec(args.spec)
    except SpecError as err:
        print(f"scenario run: the spec was refused:\n{err}", file=sys.stderr)
        return 1
    except OSError as err:
        return _fail("run", f"cannot read {args.spec}: {err}")
    try:
        pack, model = _pack_and_model(args)
        resolved = resolve(spec, pack)
        result = run_spec(pack, model, resolved)
    except PackError as err:
        print(f"scenario run: the pack is invalid\n{err.report.to_text()}", file=sys.stderr)
        return 1
    except SpecError as err:
        print(f"scenario run: the spec was refused:\n{err}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as err:
        return _fail("run", err)
    doc = result.to_dict()
    doc["pack"] = pack.city.name
    doc["synthetic"] = pack.synthetic
    doc["statement"] = STATEMENT
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=1))
        return 0
    print(render(doc))
    return 0


def render(doc: dict[str, Any], lang: str = "en") -> str:
    """The text report of a scenario run (KPIs, then the district table)."""
    lines = [f"Scenario: {doc['name']} ({doc['horizon']}"]
    if doc.get("horizon") == "2050":
        lines[0] += f", +{doc['warming']:g} K"
    lines[0] += f") on {doc.get('pack', '')}" + (
        " — synthetic demo data" if doc.get("synthetic") else ""
    )
    lines.append(doc.get("statement", STATEMENT)[lang])
    lines.append("")
    width = max(len(k["label"][lang]) for k in doc["kpis"])
    lines.append(f"{'KPI':<{width}}  {'baseline':>12}  {'scenario':>12}  {'change':>10}  unit")
    for k in doc["kpis"]:
        error = f"  (± {k['error']:g} K model error)" if k.get("error") is not None else ""
        lines.append(
            f"{k['label'][lang]:<{width}}  {k['baseline']:>12,.2f}  {k['scenario']:>12,.2f}  "
            f"{k['delta']:>+10,.2f}  {k['unit']}{error}"
        )
    lines.append("")
    lines.append(
        f"{'district':<28}  {'LST baseline °C':>15}  {'LST scenario °C':>15}  {'change K':>9}"
    )
    for d in doc["districts"]:
        lines.append(
            f"{d['name'][:28]:<28}  {d['lst_baseline']:>15.2f}  {d['lst_scenario']:>15.2f}  "
            f"{d['lst_delta']:>+9.2f}"
        )
    for note in doc.get("notes", []):
        lines.append(f"note: {note}")
    lines.append(doc["assumptions"][lang])
    return "\n".join(lines)


def model_command(args: argparse.Namespace) -> int:
    from data.pack import PackError
    from models.heat_response import card_lines

    try:
        _pack, model = _pack_and_model(args)
    except PackError as err:
        print(f"scenario model: the pack is invalid\n{err.report.to_text()}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as err:
        return _fail("model", err)
    if args.json:
        print(json.dumps(model.card, ensure_ascii=False, indent=1, default=str))
        return 0
    print("\n".join(card_lines(model.card, "en")))
    return 0


def report_command(args: argparse.Namespace) -> int:
    from dashboard.report import build, district_outlines, print_pdf
    from dashboard.scenario_service import ScenarioService
    from dashboard.scenario_state import default_state
    from data.pack import PackError
    from models.scenario_resolve import resolve
    from models.scenario_spec import SpecError, load_spec, to_json

    if args.id is not None:
        return _fail("report", "--id needs the scenario database (issue 17), not built yet; "
                     "use --spec FILE.toml")  # fmt: skip
    try:
        spec_b = load_spec(args.spec)
        spec_a = load_spec(args.against) if args.against is not None else None
        pack, model = _pack_and_model(args)
        for spec in (spec_a, spec_b):
            if spec is not None:
                resolve(spec, pack)
    except SpecError as err:
        print(f"scenario report: the spec was refused:\n{err}", file=sys.stderr)
        return 1
    except PackError as err:
        print(f"scenario report: the pack is invalid\n{err.report.to_text()}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as err:
        return _fail("report", err)
    service = ScenarioService(pack, None)
    service.use(model)
    doc_a = to_json(spec_a) if spec_a is not None else default_state(args.lang)["a"]
    doc_b = to_json(spec_b)
    text = build(service, doc_a, doc_b, district_outlines(pack), args.lang)
    try:
        args.out.write_text(text, encoding="utf-8")
        if args.pdf is not None:
            print_pdf(args.out, args.pdf)
    except (OSError, RuntimeError) as err:
        return _fail("report", err)
    print(f"scenario report: {args.out} ({len(text.encode('utf-8')):,} bytes)"
          + (f", {args.pdf}" if args.pdf is not None else ""))  # fmt: skip
    return 0


def register(sub: Any) -> None:
    """Add ``scenario run`` and ``scenario model`` to the ``allmende`` sub-commands."""
    p = sub.add_parser(
        "scenario",
        help="scenarios: interventions and their effect on heat (run), the heat model (model)",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    inner = p.add_subparsers(dest="scenario_command", required=True)
    r = inner.add_parser("run", help="run a scenario spec (TOML) and print KPIs and districts")
    r.add_argument("--pack", type=Path, required=True, help="city pack folder")
    r.add_argument("--spec", type=Path, required=True, help="scenario spec (TOML, see docs)")
    r.add_argument("--json", action="store_true", help="machine-readable output")
    r.add_argument("--cache-dir", type=Path, help="where the fitted model is kept")
    r.set_defaults(func=run_command)
    m = inner.add_parser("model", help="the heat-response model card")
    m.add_argument("--pack", type=Path, required=True, help="city pack folder")
    m.add_argument("--json", action="store_true", help="machine-readable output")
    m.add_argument("--cache-dir", type=Path, help="where the fitted model is kept")
    m.set_defaults(func=model_command)
    rp = inner.add_parser("report", help="a self-contained HTML council report (and PDF)")
    rp.add_argument("--pack", type=Path, required=True, help="city pack folder")
    which = rp.add_mutually_exclusive_group(required=True)
    which.add_argument("--spec", type=Path, help="scenario B (TOML spec)")
    which.add_argument("--id", help="a saved scenario (needs the database of issue 17)")
    rp.add_argument("--against", type=Path, help="scenario A (TOML spec; default the baseline)")
    rp.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    rp.add_argument("--pdf", type=Path, help="also print it to this PDF (headless Chromium)")
    rp.add_argument("--lang", choices=("de", "en"), default="de", help="report language")
    rp.add_argument("--cache-dir", type=Path, help="where the fitted model is kept")
    rp.set_defaults(func=report_command)
