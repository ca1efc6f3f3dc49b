"""Where generated packs and other derived files are cached.

``ALLMENDE_CACHE_DIR`` wins; otherwise ``$XDG_CACHE_HOME/allmende`` or ``~/.cache/allmende``.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(override: str | Path | None = None) -> Path:
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get("ALLMENDE_CACHE_DIR")
    if env:
        return Path(env).expanduser().resolve()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return (base / "allmende").resolve()
