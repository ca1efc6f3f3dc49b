"""The ``allmende`` command line: serve, demo, validate, import, forecast, heat, conflicts,
scenario, story.

Exit status: 0 on success, 1 when a pack is invalid or an import fails, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cli import conflicts as cli_conflicts
from cli import forecast as cli_forecast
from cli import heat as cli_heat
from cli import imports as cli_imports
from cli import scenario as cli_scenario
from cli import story as cli_story

if TYPE_CHECKING:
    from data.importers.base import Importer


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", help="interface to listen on (default 127.0.0.1, env ALLMENDE_HOST)")
    p.add_argument("--port", type=int, help="port (default 8050, env ALLMENDE_PORT)")
    p.add_argument("--pack", type=Path, help="city pack folder (default: the Jena demo city)")
    p.add_argument(
        "--cache-dir", type=Path, help="where the demo pack is built (env ALLMENDE_CACHE_DIR)"
    )
    p.add_argument("--language", choices=("de", "en"), help="default language (default de)")
    p.add_argument("--basemap", choices=("topplus", "osm", "offline"), help="default base map")
    p.add_argument(
        "--debug",
        action="store_true",
        default=None,
        help="Dash debug mode: tracebacks in the browser; never let it face the public",
    )
    p.add_argument(
        "--dev",
        action="store_true",
        help="Werkzeug's development server in one process instead of gunicorn (python app.py)",
    )
    p.add_argument(
        "--workers",
        type=int,
        help="gunicorn worker processes (env ALLMENDE_WORKERS; default: one per CPU, 2–8)",
    )
    p.add_argument(
        "--threads", type=int, help="threads per worker (env ALLMENDE_THREADS; default 8)"
    )
    p.add_argument(
        "--embed-origins",
        help="origins that may frame /embed, e.g. 'https://www.jena.de' "
        "(env ALLMENDE_EMBED_ORIGINS; default: only this app)",
    )


def serve(args: argparse.Namespace) -> int:
    from cli.serve import DEBUG_WARNING, gunicorn_options, run_development, run_gunicorn
    from dashboard.app import create_app
    from dashboard.settings import Settings, parse_origins
    from data.pack import PackError

    try:
        origins = parse_origins(args.embed_origins) if args.embed_origins else None
        settings = Settings.from_env().override(
            embed_origins=origins,
            host=args.host,
            port=args.port,
            pack=args.pack.resolve() if args.pack else None,
            cache_dir=args.cache_dir.resolve() if args.cache_dir else None,
            language=args.language,
            basemap=args.basemap,
            debug=args.debug,
            workers=args.workers,
            threads=args.threads,
        )
        # under gunicorn the app is built in the master; jobs start in each worker after the fork
        app = create_app(settings, start_jobs=args.dev)
    except PackError as err:
        print(f"cannot serve: the city pack is invalid\n{err.report.to_text()}", file=sys.stderr)
        return 1
    except ValueError as err:
        print(f"cannot serve: {err}", file=sys.stderr)
        return 2
    if settings.debug:
        print(DEBUG_WARNING, file=sys.stderr, flush=True)
    print(f"Allmende: http://{settings.host}:{settings.port}/", flush=True)
    if args.dev:
        run_development(app, settings.host, settings.port, settings.debug)
        return 0
    ctx = app.server.config["ALLMENDE_CONTEXT"]
    workers = settings.worker_count()
    print(
        f"production server (gunicorn): {workers} workers × {settings.threads} threads",
        file=sys.stderr,
        flush=True,
    )
    options = gunicorn_options(settings.host, settings.port, workers, settings.threads)
    run_gunicorn(app.server, options, post_fork=lambda: ctx.start_jobs())
    return 0


def demo(args: argparse.Namespace) -> int:
    from data.demo import build_demo_pack, ensure_demo_pack

    if args.out is not None:
        folder = (
            build_demo_pack(args.out, seed=args.seed)
            if args.seed is not None
            else build_demo_pack(args.out)
        )
        print("built the Jena demo pack (synthetic data)")
    else:
        folder = ensure_demo_pack(args.cache_dir)
        print("the Jena demo pack (synthetic data) is ready")
    print(folder)
    return 0


def validate(args: argparse.Namespace) -> int:
    from data.pack import validate_pack

    report = validate_pack(args.pack)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(report.to_text())
    return 0 if report.ok else 1


def build_parser(importers: Sequence[Importer] | None = None) -> argparse.ArgumentParser:
    """The ``allmende`` parser; ``importers`` default to the registry (imported only then)."""
    parser = argparse.ArgumentParser(prog="allmende", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="start the dashboard")
    _serve_args(p)
    p.set_defaults(func=serve)

    p = sub.add_parser("demo", help="build the Jena demo pack if needed; prints its folder last")
    p.add_argument(
        "--out", type=Path, help="build (or rebuild) into this folder instead of the cache"
    )
    p.add_argument("--seed", type=int, help="random seed (with --out)")
    p.add_argument("--cache-dir", type=Path, help="cache folder (env ALLMENDE_CACHE_DIR)")
    p.set_defaults(func=demo)

    p = sub.add_parser("validate", help="check a city pack; exit 0 if valid, 1 if not")
    p.add_argument("pack", type=Path)
    p.add_argument("--json", action="store_true", help="machine-readable report")
    p.set_defaults(func=validate)

    if importers is None:
        from data.importers.registry import IMPORTERS

        importers = IMPORTERS
    cli_imports.register(sub, importers)
    cli_forecast.register(sub)
    cli_heat.register(sub)
    cli_conflicts.register(sub)
    cli_scenario.register(sub)
    cli_story.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    # every importer module is loaded only for 'allmende import …' (about 0.2 s of imports
    # that 'serve' does not need)
    args = build_parser(None if words[:1] == ["import"] else ()).parse_args(words)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
