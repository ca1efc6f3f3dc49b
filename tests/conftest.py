"""Shared fixtures and helpers: a tiny in-code pack, the generated demo pack, Chromium options,
the real-data folder and a folder hash.

``../shared/data/real`` (real open data) is optional on a workstation: tests that need it ask
for it through ``real_data(rel)`` (or ``real_path``), which skips when it is absent — but fails
when the ``CI`` environment variable is set, since CI always has it. Tests that use the
``real_data`` fixture are marked ``realdata`` automatically.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.packfactory import make_pack

REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


def pytest_setup_options():  # dash[testing] hook: headless Chromium as root, no network
    from selenium.webdriver.chrome.options import Options

    options = Options()
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--lang=de-DE",
    ):
        options.add_argument(arg)
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary:
        options.binary_location = binary
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


@pytest.fixture(scope="session")
def tiny_pack_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_pack(tmp_path_factory.mktemp("tiny") / "pack")


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """The session's one fresh build of the demo pack, and how many seconds it took."""
    from data.demo import build_demo_pack

    start = time.perf_counter()
    folder = build_demo_pack(tmp_path_factory.mktemp("demo") / "jena-demo")
    return folder, time.perf_counter() - start


@pytest.fixture(scope="session")
def demo_pack_dir(demo_build: tuple[Path, float]) -> Path:
    return demo_build[0]


@pytest.fixture(scope="session")
def demo_pack(demo_pack_dir: Path):
    from data.pack import load_pack

    return load_pack(demo_pack_dir)


@pytest.fixture(scope="session")
def demo_ctx(demo_pack_dir: Path, demo_pack, tmp_path_factory: pytest.TempPathFactory):
    from dashboard.context import AppContext
    from dashboard.settings import Settings

    # no background forecast job in tests (it would compete for the 2 cores); tested apart;
    # derived files (downloads) go to the session's own cache folder, not the user's
    cache = tmp_path_factory.mktemp("cache")
    return AppContext(Settings(pack=demo_pack_dir, forecasts=False, cache_dir=cache), demo_pack)


@pytest.fixture(scope="session")
def heat_model(demo_pack):
    """The heat-response model of the demo pack, fitted once per session (about 10 s)."""
    from models.heat_response import fit

    return fit(demo_pack, seed=0)


@pytest.fixture(scope="session")
def heat_model_cache(heat_model, demo_pack, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding :func:`heat_model` where ``load_or_fit`` looks for it."""
    from models.heat_response import _store, cache_path

    folder = tmp_path_factory.mktemp("heat-model")
    _store(heat_model, cache_path(demo_pack, folder))
    return folder


def in_ci() -> bool:
    """True when the ``CI`` environment variable is set (to anything but empty, 0 or false)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def real_path(rel: str | Path = "", *, root: Path = REAL_DATA) -> Path:
    """``root / rel`` (a file or folder of real data); skip when it is absent, fail under CI."""
    path = root / rel
    if path.exists():
        return path
    message = f"real data {path} not present"
    if in_ci():
        pytest.fail(f"{message}, but CI always has {root} (the CI environment variable is set)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def real_data() -> Callable[..., Path]:
    """``real_data("jena_climate/x.txt")``: the path, or skip (fail under CI) when it is absent."""
    return real_path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "real_data" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.realdata)


def pack_hash(folder: Path) -> dict[str, str]:
    """The sha256 of every file below ``folder``, keyed by its relative path.

    Two equal results mean byte-identical trees (same files, same bytes).
    """
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Name the folder of the layout test's screenshots (tests/browser/test_layout.py)."""
    import os

    folder = Path(
        os.environ.get(
            "ALLMENDE_SCREENSHOTS",
            Path(__file__).resolve().parents[1] / "test-output" / "screenshots",
        )
    )
    shots = sorted(folder.glob("*.png")) if folder.is_dir() else []
    if shots:
        terminalreporter.write_line(
            f"screenshots of every page at every size: {folder} ({len(shots)} files)"
        )
