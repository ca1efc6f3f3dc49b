"""``allmende import <importer>``: generated from the importer registry.

Each :class:`data.importers.base.Importer` in :data:`data.importers.registry.IMPORTERS`
becomes a sub-command: ``--pack`` (alias ``--out`` for every importer, the same option with
the same behaviour: only ``districts`` creates a pack, in an absent or empty folder; every
other importer adds to an existing pack and refuses a folder without ``city.toml``), one flag per
:class:`~data.importers.base.Option`, and ``--json``. ``allmende import --help`` lists every
importer with the formats it reads; an unknown importer is answered with the valid choices.

Every import prints its :class:`~data.importers.base.ImportResult` the same way (or as JSON)
and exits 0; a failure prints what is wrong and that the pack was not changed, and exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from data.importers.base import Importer, ImporterError, Option, run_importer

#: Further flags of ``--pack`` that every importer takes.
PACK_ALIASES = ("--out",)


def _add_option(p: argparse.ArgumentParser, opt: Option) -> None:
    flags = [opt.cli, *opt.aliases]
    kwargs: dict[str, Any] = {"dest": opt.name, "help": opt.help}
    if opt.flag:
        kwargs["action"] = "store_true"
    else:
        kwargs.update(type=opt.type, required=opt.required, default=opt.default)
        if opt.multiple:
            kwargs["action"] = "append"
        if opt.choices is not None:
            kwargs["choices"] = opt.choices
        if opt.metavar:
            kwargs["metavar"] = opt.metavar
    p.add_argument(*flags, **kwargs)


def _describe(imp: Importer) -> str:
    return (
        f"{imp.summary}\n\nreads:  {', '.join(imp.formats)}\nwrites: {', '.join(imp.datasets)}"
        "\n\nExit status 0 on success; 1 when the import fails (the pack is then unchanged)."
    )


def _listing(importers: Sequence[Importer]) -> str:
    width = max((len(i.name) for i in importers), default=0)
    lines = [
        f"  {i.name:<{width}}  {i.summary}\n  {'':<{width}}  formats: {', '.join(i.formats)}"
        for i in importers
    ]
    return "importers:\n" + "\n".join(lines)


def register(sub: Any, importers: Sequence[Importer]) -> argparse.ArgumentParser:
    """Add ``import`` with one sub-command per importer to the ``allmende`` sub-parsers."""
    p: argparse.ArgumentParser = sub.add_parser(
        "import",
        help="import real open data into a pack (see 'allmende import --help')",
        description="Import a city's open data into a pack. Every import is all or nothing.",
        epilog=_listing(importers),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    isub = p.add_subparsers(
        dest="importer", metavar="IMPORTER", required=True, help="one of the importers below"
    )
    for imp in importers:
        ip = isub.add_parser(
            imp.name,
            description=_describe(imp),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        flags = dict.fromkeys(("--pack", *PACK_ALIASES, *imp.pack_aliases))
        ip.add_argument(*flags, dest="pack", type=Path, required=True, help=imp.pack_help)
        for opt in imp.options:
            _add_option(ip, opt)
        ip.add_argument("--json", action="store_true", help="print the result as JSON")
        ip.set_defaults(func=partial(run_command, imp))
    return p


def run_command(imp: Importer, args: argparse.Namespace) -> int:
    """Run ``imp`` with the parsed ``args``; print the result; 0 on success, 1 on failure."""
    from data.pack import PackError

    options = {opt.name: getattr(args, opt.name) for opt in imp.options}
    try:
        result = run_importer(imp, args.pack, **options)
    except PackError as err:
        return _fail(args, f"the pack would be invalid:\n{err.report.to_text()}", None)
    except ImporterError as err:
        return _fail(args, str(err), err)
    if args.json:
        print(result.to_json())
    else:
        for line in result.lines():
            print(line)
    return 0


def _fail(args: argparse.Namespace, text: str, err: ImporterError | None) -> int:
    if args.json:
        doc = {"ok": False, **(err.to_dict() if err else {"error": "PackError", "text": text})}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    print(f"import failed; the pack was not changed: {text}", file=sys.stderr)
    return 1
