"""A job that runs once per process in a background thread after start-up (the footfall
forecasts, the scenarios' heat model): requests read its result or its status, never wait.

Subclasses say whether the pack can run the job (:attr:`BackgroundJob.available`), when it
is done (:attr:`BackgroundJob.done`) and what it does (:meth:`BackgroundJob._run`, which
sets its result or :attr:`BackgroundJob.error`).
"""

from __future__ import annotations

import threading


class BackgroundJob:
    THREAD_NAME = "allmende-job"

    def __init__(self) -> None:
        self.error: str | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        raise NotImplementedError

    @property
    def done(self) -> bool:
        raise NotImplementedError

    @property
    def status(self) -> str:
        """``unavailable`` (the pack cannot), ``ready``, ``error``, ``running`` or ``idle``
        (not started)."""
        if not self.available:
            return "unavailable"
        if self.done:
            return "ready"
        if self.error is not None:
            return "error"
        return "running" if self._thread is not None else "idle"

    def start(self) -> None:
        """Start the job (once; not when it is done or the pack cannot); returns at once."""
        with self._lock:
            if self._thread is not None or self.done or not self.available:
                return
            self._thread = threading.Thread(target=self._run, name=self.THREAD_NAME, daemon=True)
            self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        raise NotImplementedError
