"""Runs the footfall forecast job once per process in the background and hands out its result.

Requests never fit a model: they read :attr:`ForecastService.result`, which is ``None`` while
the job runs (the page says so and polls). The job itself reads the artefacts from disk when
an earlier start already computed them for this data version (:mod:`models.artifacts`).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from data.footfall import with_daily_weather
from data.pack import CityPack


class ForecastService:
    def __init__(self, pack: CityPack, cache_dir: Path, config: Any = None) -> None:
        self.pack = pack
        self.cache_dir = cache_dir
        self.config = config
        self.result: Any = None
        self.error: str | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self.pack.has("footfall_counts")

    @property
    def status(self) -> str:
        if not self.available:
            return "unavailable"
        if self.result is not None:
            return "ready"
        if self.error is not None:
            return "error"
        return "running" if self._thread is not None else "idle"

    def start(self) -> None:
        """Start the job (once); returns at once."""
        with self._lock:
            if self._thread is not None or not self.available:
                return
            self._thread = threading.Thread(
                target=self._run, name="allmende-forecasts", daemon=True
            )
            self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        from models.artifacts import load_or_compute
        from models.footfall import ForecastError

        try:
            counts = self.pack.table("footfall_counts")
            if self.pack.has("weather_daily") and "temperature" not in counts.columns:
                counts = with_daily_weather(counts, self.pack.table("weather_daily"))
            self.result = load_or_compute(counts, self.cache_dir, self.config)
        except (ForecastError, ValueError, OSError) as err:
            self.error = str(err)
