"""One validated, frozen settings object, read from ``ALLMENDE_*`` environment variables.

Command-line flags override the environment (see :mod:`dashboard.cli`). Nothing is read
at import time and no path is relative to the working directory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from layers.basemaps import BASEMAPS

LANGS = ("de", "en")


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8050
    pack: Path | None = None  # None: the bundled Jena demo city (built on first start)
    cache_dir: Path | None = None
    language: str = "de"
    basemap: str | None = None  # None: the pack's default
    debug: bool = False
    forecasts: bool = True  # compute footfall forecasts in the background after start-up

    def __post_init__(self) -> None:
        if not 1 <= self.port <= 65535:
            raise ValueError(f"port must be 1–65535, got {self.port}")
        if self.language not in LANGS:
            raise ValueError(f"language must be one of {', '.join(LANGS)}, got {self.language!r}")
        if self.basemap is not None and self.basemap not in BASEMAPS:
            raise ValueError(f"basemap must be one of {', '.join(BASEMAPS)}, got {self.basemap!r}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read ``ALLMENDE_HOST``, ``_PORT``, ``_PACK``, ``_CACHE_DIR``, ``_LANGUAGE``,
        ``_BASEMAP``, ``_DEBUG`` and ``_FORECASTS``."""
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(f"ALLMENDE_{name}")
            return value if value not in (None, "") else None

        port = get("PORT")
        try:
            port_n = int(port) if port is not None else cls.port
        except ValueError as err:
            raise ValueError(f"ALLMENDE_PORT must be a number, got {port!r}") from err
        pack = get("PACK")
        cache = get("CACHE_DIR")
        return cls(
            host=get("HOST") or cls.host,
            port=port_n,
            pack=Path(pack).expanduser().resolve() if pack else None,
            cache_dir=Path(cache).expanduser().resolve() if cache else None,
            language=get("LANGUAGE") or cls.language,
            basemap=get("BASEMAP"),
            debug=(get("DEBUG") or "").lower() in ("1", "true", "yes", "on"),
            forecasts=(get("FORECASTS") or "1").lower() not in ("0", "false", "no", "off"),
        )

    def override(self, **changes: Any) -> Settings:
        """A copy with the given non-``None`` values replaced (validated again)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})
