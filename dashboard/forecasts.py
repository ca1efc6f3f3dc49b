"""Runs the footfall forecast job once per process in the background and hands out its result.

Requests never fit a model: they read :attr:`ForecastService.result`, which is ``None`` while
the job runs (the page says so and polls), and :attr:`ForecastService.progress`, a snapshot of
how far the job is (sites done of all, when it started, a rough time left). The job itself
reads the artefacts from disk when an earlier start already computed them for this data
version (:mod:`models.artifacts`).

Several server processes (gunicorn workers, several app servers on one data directory) compute
the job once: the process that holds an exclusive lock on ``<cache>/forecasts.lock`` computes
and writes its progress to ``<cache>/forecasts.progress.json``; the others show that progress
and, once the lock is free, read the stored artefacts (no second fit).
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dashboard.jobs import BackgroundJob
from data.footfall import with_daily_weather
from data.pack import CityPack


@dataclass(frozen=True)
class ForecastProgress:
    """How far the forecast job is: ``done`` of ``total`` sites, ``started`` and ``updated``
    (when the last site was done) as aware UTC times. Immutable: a snapshot."""

    done: int
    total: int
    started: datetime
    updated: datetime

    @property
    def share(self) -> float:
        return min(1.0, self.done / self.total) if self.total > 0 else 0.0

    def remaining_seconds(self, now: datetime) -> float | None:
        """A rough time left: the mean time per site so far times the sites left, counted
        down since the last site was done; ``None`` before the first site is done."""
        if self.done <= 0 or self.total <= 0:
            return None
        if self.done >= self.total:
            return 0.0
        per_site = (self.updated - self.started).total_seconds() / self.done
        since = max(0.0, (now - self.updated).total_seconds())
        return max(0.0, per_site * (self.total - self.done) - since)


class ForecastService(BackgroundJob):
    THREAD_NAME = "allmende-forecasts"

    def __init__(
        self,
        pack: CityPack,
        cache_dir: Path,
        config: Any = None,
        clock: Callable[[], datetime] | None = None,
        jobs: int = 1,
    ) -> None:
        self.pack = pack
        self.jobs = jobs  # processes for the backtest
        self.cache_dir = cache_dir
        self.config = config
        super().__init__()
        self.result: Any = None
        self._progress: ForecastProgress | None = None
        self._clock = clock or (lambda: datetime.now(UTC))

    @property
    def progress(self) -> ForecastProgress | None:
        """The job's progress (a snapshot), ``None`` before it has started."""
        with self._lock:
            return self._progress

    def report(self, done: int, total: int) -> None:
        """The job's progress callback: ``done`` of ``total`` sites (thread-safe); also written
        to the progress file so that other server processes can show it."""
        now = self._clock()
        with self._lock:
            if self._progress is None:
                self._progress = ForecastProgress(done, total, now, now)
            else:
                self._progress = replace(self._progress, done=done, total=total, updated=now)
            snapshot = self._progress
        if self.cache_dir is not None:  # None: a service that only reports (tests)
            _write_progress(self.cache_dir / PROGRESS_FILE, snapshot)

    @property
    def available(self) -> bool:
        return self.pack.has("footfall_counts")

    @property
    def done(self) -> bool:
        return self.result is not None

    def _run(self) -> None:
        from models.artifacts import load_or_compute
        from models.footfall_model import ForecastConfig, ForecastError

        try:
            counts = self.pack.table("footfall_counts")
            self.report(0, int(counts["site_id"].nunique()))
            calendar = self.pack.calendar
            if self.pack.has("weather_daily") and "temperature" not in counts.columns:
                counts = with_daily_weather(
                    counts, self.pack.table("weather_daily"), calendar.timezone
                )
            config = dataclasses.replace(self.config or ForecastConfig(), calendar=calendar)
            with self._exclusive():
                self.result = load_or_compute(
                    counts, self.cache_dir, config, progress=self.report, n_jobs=self.jobs
                )
        except (ForecastError, ValueError, OSError) as err:
            self.error = str(err)

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """Hold the cross-process forecast lock; while another process holds it, show the
        progress it writes."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.cache_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    theirs = _read_progress(self.cache_dir / PROGRESS_FILE)
                    if theirs is not None:
                        with self._lock:
                            self._progress = theirs
                    time.sleep(POLL_S)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock


LOCK_FILE = "forecasts.lock"
PROGRESS_FILE = "forecasts.progress.json"
POLL_S = 0.5  # how often a waiting process looks at the other's progress


def _write_progress(path: Path, p: ForecastProgress) -> None:
    """Write the progress atomically (a reader never sees half a file)."""
    doc = {
        "done": p.done,
        "total": p.total,
        "started": p.started.isoformat(),
        "updated": p.updated.isoformat(),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        tmp.write_text(json.dumps(doc), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # progress is a courtesy; the job itself goes on


def _read_progress(path: Path) -> ForecastProgress | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return ForecastProgress(
            int(doc["done"]),
            int(doc["total"]),
            datetime.fromisoformat(doc["started"]),
            datetime.fromisoformat(doc["updated"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
