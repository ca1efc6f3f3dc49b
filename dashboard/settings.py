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
    # load (or fit, once per data version) the scenarios' heat model in the background at
    # start-up; None: as ``forecasts``. Off, the scenario page starts it on its first visit.
    scenario_model: bool | None = None
    # processes for the forecast job's backtest (first start only); None: one per CPU, ≤ 4
    forecast_jobs: int | None = None
    # origins allowed to show /embed in an iframe (CSP frame-ancestors); empty: only 'self'
    embed_origins: tuple[str, ...] = ()
    workers: int | None = None  # gunicorn worker processes; None: one per CPU (2–8)
    threads: int = 8  # threads per gunicorn worker
    max_body: int = 1_048_576  # largest request body in bytes; larger ones answer 413

    def __post_init__(self) -> None:
        if not 1 <= self.port <= 65535:
            raise ValueError(f"port must be 1–65535, got {self.port}")
        if self.language not in LANGS:
            raise ValueError(f"language must be one of {', '.join(LANGS)}, got {self.language!r}")
        if self.basemap is not None and self.basemap not in BASEMAPS:
            raise ValueError(f"basemap must be one of {', '.join(BASEMAPS)}, got {self.basemap!r}")
        for origin in self.embed_origins:
            check_origin(origin)
        if self.workers is not None and not 1 <= self.workers <= 64:
            raise ValueError(f"workers must be 1–64, got {self.workers}")
        if self.forecast_jobs is not None and not 1 <= self.forecast_jobs <= 64:
            raise ValueError(f"forecast_jobs must be 1–64, got {self.forecast_jobs}")
        if not 1 <= self.threads <= 64:
            raise ValueError(f"threads must be 1–64, got {self.threads}")
        if not 1024 <= self.max_body <= 1 << 30:
            raise ValueError(f"max_body must be 1 KiB – 1 GiB (in bytes), got {self.max_body}")

    def forecast_job_count(self) -> int:
        """Processes for the forecast job: as set, or one per CPU (1–4)."""
        if self.forecast_jobs is not None:
            return self.forecast_jobs
        return max(1, min(4, os.cpu_count() or 1))

    def worker_count(self) -> int:
        """Worker processes: as set, or :func:`default_workers` for this machine."""
        return self.workers if self.workers is not None else default_workers()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read ``ALLMENDE_HOST``, ``_PORT``, ``_PACK``, ``_CACHE_DIR``, ``_LANGUAGE``,
        ``_BASEMAP``, ``_DEBUG``, ``_FORECASTS``, ``_FORECAST_JOBS``, ``_EMBED_ORIGINS`` (space- or
        comma-separated origins such as ``https://www.jena.de``), ``_WORKERS``, ``_THREADS``
        and ``_MAX_BODY`` (bytes)."""
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
            scenario_model=None
            if not get("SCENARIO_MODEL")
            else (get("SCENARIO_MODEL") or "").lower() not in ("0", "false", "no", "off"),
            embed_origins=parse_origins(get("EMBED_ORIGINS") or ""),
            forecast_jobs=_int("FORECAST_JOBS", get("FORECAST_JOBS"), None),
            workers=_int("WORKERS", get("WORKERS"), None),
            threads=_int("THREADS", get("THREADS"), cls.threads),
            max_body=_int("MAX_BODY", get("MAX_BODY"), cls.max_body),
        )

    def override(self, **changes: Any) -> Settings:
        """A copy with the given non-``None`` values replaced (validated again)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def default_workers(cpus: int | None = None) -> int:
    """Worker processes for ``cpus`` processors: one per processor, at least 2, at most 8.

    Each worker holds the app (about 450 MiB for the demo city, much of it shared after the
    fork) and serves ``threads`` requests at once; the work is CPU-bound Python, so more
    processes than processors would add memory, not speed.
    """
    n = cpus if cpus is not None else (os.cpu_count() or 1)
    return max(2, min(8, n))


def _int(name: str, text: str | None, default: Any) -> Any:
    if text is None:
        return default
    try:
        return int(text)
    except ValueError as err:
        raise ValueError(f"ALLMENDE_{name} must be a whole number, got {text!r}") from err


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
