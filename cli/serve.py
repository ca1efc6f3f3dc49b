"""Serving the app: gunicorn for production (the default), Werkzeug for development.

``allmende serve`` runs the app under gunicorn: the app is built once in the master process
(``preload_app``: the pack is read once and its memory shared copy-on-write by the workers),
then ``workers`` processes with ``threads`` threads each answer requests. The background
forecast job starts in every worker after the fork; a file lock in the cache directory lets
one of them compute while the others show its progress and then read its result from disk
(:mod:`dashboard.forecasts`).

``python app.py`` (or ``allmende serve --dev``) runs Werkzeug's development server, says so,
and never names its version in the ``Server`` header.
"""

from __future__ import annotations

import sys
from typing import Any

from flask import Flask
from werkzeug.serving import WSGIRequestHandler

DEV_NOTE = (
    "development server (Werkzeug): one process, for working on the code; "
    "'allmende serve' runs the production server"
)
DEBUG_WARNING = (
    "WARNING: debug mode shows tracebacks and lets the browser run code on this server; "
    "never let it face the public"
)


def gunicorn_options(
    host: str, port: int, workers: int, threads: int, timeout: int = 60
) -> dict[str, Any]:
    """The gunicorn settings Allmende runs with."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "preload_app": True,
        "timeout": timeout,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
        "proc_name": "allmende",
    }


def run_gunicorn(server: Flask, options: dict[str, Any], post_fork: Any = None) -> None:
    """Serve the Flask ``server`` under gunicorn with ``options`` until stopped."""
    from gunicorn.app.base import BaseApplication

    class _App(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)
            if post_fork is not None:
                self.cfg.set("post_fork", lambda _arbiter, _worker: post_fork())

        def load(self) -> Flask:
            return server

    _App().run()


class QuietHandler(WSGIRequestHandler):
    """Werkzeug's request handler without its and Python's version in ``Server``."""

    def version_string(self) -> str:
        return "allmende"


def run_development(app: Any, host: str, port: int, debug: bool) -> None:
    """Serve with Werkzeug's development server (one process, threads)."""
    print(DEV_NOTE, file=sys.stderr, flush=True)
    app.run(
        host=host,
        port=port,
        debug=debug,
        use_reloader=False,
        dev_tools_hot_reload=False,
        dev_tools_disable_version_check=True,
        request_handler=QuietHandler,
    )
