"""Shared fixtures: a tiny in-code pack, the generated demo pack, and Chromium options.

``../shared/data/real`` (real open data) is optional: tests that need it skip without it.
"""

from __future__ import annotations

import shutil
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
def demo_pack_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from data.demo import build_demo_pack

    return build_demo_pack(tmp_path_factory.mktemp("demo") / "jena-demo")


@pytest.fixture(scope="session")
def demo_pack(demo_pack_dir: Path):
    from data.pack import load_pack

    return load_pack(demo_pack_dir)


@pytest.fixture(scope="session")
def demo_ctx(demo_pack_dir: Path, demo_pack):
    from dashboard.context import AppContext
    from dashboard.settings import Settings

    # no background forecast job in tests (it would compete for the 2 cores); tested apart
    return AppContext(Settings(pack=demo_pack_dir, forecasts=False), demo_pack)


@pytest.fixture(scope="session")
def real_data() -> Path:
    if not REAL_DATA.is_dir():
        pytest.skip(f"real data folder {REAL_DATA} not present")
    return REAL_DATA


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
