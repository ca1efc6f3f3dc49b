"""Start Allmende for development: ``python app.py [--host H] [--port P] [--pack FOLDER]``.

This runs Werkzeug's development server in one process (``allmende serve --dev``) and says
so. In production run ``allmende serve`` (gunicorn, several workers), or point any WSGI
server at ``app:server`` (the app is built on first access of ``server``, so importing this
module has no side effects).
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Any


@cache
def _app() -> Any:
    from dashboard.app import create_app
    from dashboard.settings import Settings

    return create_app(Settings.from_env())


def __getattr__(name: str) -> Any:
    if name == "server":
        return _app().server
    if name == "app":
        return _app()
    raise AttributeError(name)


if __name__ == "__main__":
    from cli.main import main

    sys.exit(main(["serve", "--dev", *sys.argv[1:]]))
