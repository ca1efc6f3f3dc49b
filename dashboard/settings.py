"""One validated, frozen settings object, read from ``ALLMENDE_*`` environment variables.

Command-line flags override the environment (see :mod:`cli.main`). Nothing is read
at import time and no path is relative to the working directory.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from layers.city.basemaps import BASEMAPS

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
    # origins allowed to show /embed in an iframe (CSP frame-ancestors); empty: only 'self'
    embed_origins: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 1 <= self.port <= 65535:
            raise ValueError(f"port must be 1–65535, got {self.port}")
        if self.language not in LANGS:
            raise ValueError(f"language must be one of {', '.join(LANGS)}, got {self.language!r}")
        if self.basemap is not None and self.basemap not in BASEMAPS:
            raise ValueError(f"basemap must be one of {', '.join(BASEMAPS)}, got {self.basemap!r}")
        for origin in self.embed_origins:
            check_origin(origin)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read ``ALLMENDE_HOST``, ``_PORT``, ``_PACK``, ``_CACHE_DIR``, ``_LANGUAGE``,
        ``_BASEMAP``, ``_DEBUG``, ``_FORECASTS`` and ``_EMBED_ORIGINS`` (space- or
        comma-separated origins such as ``https://www.jena.de``)."""
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
            embed_origins=parse_origins(get("EMBED_ORIGINS") or ""),
        )

    def override(self, **changes: Any) -> Settings:
        """A copy with the given non-``None`` values replaced (validated again)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


def check_origin(origin: str) -> str:
    """An origin for CSP ``frame-ancestors``: ``scheme://host[:port]``, nothing else.

    Anything with a path, a wildcard, quotes, spaces or semicolons is refused, so a setting
    can never widen or break the policy.
    """
    if not isinstance(origin, str) or not _ORIGIN.fullmatch(origin):
        raise ValueError(
            f"ALLMENDE_EMBED_ORIGINS: {origin!r} is not an origin like https://www.jena.de "
            "or http://localhost:8000 (scheme, host and optional port; no path, no wildcard)"
        )
    return origin


def parse_origins(text: str) -> tuple[str, ...]:
    """``"https://a.de, https://b.de"`` -> the checked origins, in order, without repeats."""
    parts = [p for p in re.split(r"[\s,]+", text.strip()) if p]
    return tuple(dict.fromkeys(check_origin(p.rstrip("/")) for p in parts))
