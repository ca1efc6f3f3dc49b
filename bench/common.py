"""Shared helpers of the benchmark; measures nothing itself.

- the machine description printed at the top of a run (CPU, RAM, versions, load average);
- ``summary``: seconds in, median / p95 / min / max in milliseconds out;
- ``PackSource`` (which pack the app serves) and ``Server`` (``python app.py --port P`` on a
  free port as a child process, polled until ``GET /`` answers 200, always stopped);
- ``chromium``: headless Chromium through chromedriver, always quit, even on exceptions;
- plain-text tables and number formatting for the report.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
UPDATE = "/_dash-update-component"
CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--window-size=1280,900",
)


def log(msg: str) -> None:
    """Progress, to stderr (the figures go to stdout)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- timing statistics and the machine -----------------------------------------------------


def summary(samples: Sequence[float]) -> dict[str, Any]:
    """Seconds in, milliseconds out: n, median, p95 (linear interpolation), min, max."""
    if not samples:
        return {"n": 0, "median_ms": None, "p95_ms": None, "min_ms": None, "max_ms": None}
    xs = sorted(samples)
    pos = 0.95 * (len(xs) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    p95 = xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)
    return {
        "n": len(xs),
        "median_ms": statistics.median(xs) * 1000,
        "p95_ms": p95 * 1000,
        "min_ms": xs[0] * 1000,
        "max_ms": xs[-1] * 1000,
    }


def loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def machine() -> dict[str, Any]:
    """nproc, CPU, RAM, Python and library versions, and the load average now."""
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        first = Path("/proc/meminfo").read_text().splitlines()[0]
        mem = round(int(first.split()[1]) / 1024**2, 1)

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "?"

    return {
        "nproc": os.cpu_count(),
        "nproc_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": cpu,
        "mem_gib": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "dash": version("dash"),
        "dash_leaflet": version("dash-leaflet"),
        "flask": version("flask"),
        "werkzeug": version("werkzeug"),
        "chromium": None,  # filled in by the browser run
        "loadavg_start": loadavg(),
    }


# --- the app as a server process -----------------------------------------------------------


@dataclass(frozen=True)
class PackSource:
    """Which pack the app serves: the Jena demo (built by the app into its cache dir) or a
    fixed folder (``--pack``)."""

    label: str
    folder: Path | None = None  # None: the demo pack

    @classmethod
    def from_arg(cls, pack: Path | None) -> PackSource:
        if pack is None:
            return cls("Jena demo pack (data.demo.ensure_demo_pack)")
        return cls(f"pack {pack}", pack.resolve())

    @property
    def demo(self) -> bool:
        return self.folder is None

    def env(self, cache_dir: Path) -> dict[str, str]:
        """The environment for ``app.py``: no inherited ``ALLMENDE_*`` but the cache dir."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALLMENDE_")}
        env["ALLMENDE_CACHE_DIR"] = str(cache_dir)
        env["PYTHONUNBUFFERED"] = "1"
        if self.folder is not None:
            env["ALLMENDE_PACK"] = str(self.folder)
        return env

    def resolve(self, cache_dir: Path) -> Path:
        """The pack folder (for the demo: the one in ``cache_dir``, built if missing)."""
        if self.folder is not None:
            return self.folder
        from data.demo import ensure_demo_pack

        return Path(ensure_demo_pack(cache_dir))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``python app.py --port P`` as a child process; a context manager that stops it by its
    own pid (SIGTERM, then SIGKILL after 10 s) however the block ends."""

    def __init__(self, source: PackSource, cache_dir: Path, logfile: Path):
        self.source = source
        self.cache_dir = cache_dir
        self.logfile = logfile
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        with self.logfile.open("ab") as log_out:  # the child keeps its own descriptor
            self.t_spawn = time.perf_counter()
            self.t_spawn_epoch = time.time()
            self.proc = subprocess.Popen(
                [sys.executable, "app.py", "--port", str(self.port)],
                cwd=ROOT,
                env=self.source.env(self.cache_dir),
                stdout=log_out,
                stderr=subprocess.STDOUT,
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def wait_ready(self, timeout: float = 600.0) -> float:
        """Seconds from spawning the process to the first ``GET /`` answered 200."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            if self.proc.poll() is not None:
                tail = self.logfile.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"app.py exited with {self.proc.returncode}:\n{tail}")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                conn.request("GET", "/")
                if conn.getresponse().status == 200:
                    return time.perf_counter() - self.t_spawn
            except OSError:
                pass
            finally:
                conn.close()
            time.sleep(0.02)
        raise TimeoutError(f"no 200 from {self.base}/ within {timeout:.0f} s")


# --- headless Chromium ---------------------------------------------------------------------


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A Selenium driver for headless Chromium with Chrome's performance log switched on.

    ``driver.quit()`` runs however the block ends: it ends the session (Chromium) and stops
    chromedriver. If the session cannot be created, Selenium stops chromedriver itself."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options

    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        raise RuntimeError("chromium not found on PATH")
    options = Options()
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.binary_location = binary
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=options)
    try:
        yield driver
    finally:
        driver.quit()


# --- report formatting ---------------------------------------------------------------------


def fmt_ms(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}" if x < 100 else f"{x:.0f}"


def fmt_bytes(x: int | None) -> str:
    return "—" if x is None else f"{x:,}"


def fmt_mib(x: int | None) -> str:
    return "—" if x is None else f"{x / 1024**2:.2f} MiB"


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table: first column left-aligned, the others right-aligned."""
    cells = [[str(c) for c in header]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for j, r in enumerate(cells):
        parts = [r[i].ljust(widths[i]) if i == 0 else r[i].rjust(widths[i]) for i in range(len(r))]
        lines.append("  " + "  ".join(parts).rstrip())
        if j == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)
