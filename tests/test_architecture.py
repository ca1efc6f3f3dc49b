"""The pure core (layers, models, data) never imports Dash."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_does_not_import_dash():
    code = (
        "import sys; import layers, models, data, data.demo, data.importers.districts, "
        "data.german_csv; "
        "bad = sorted(m for m in sys.modules if m == 'dash' or m.startswith(('dash.', 'dash_'))); "
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "", f"Dash modules imported by the core: {out.stdout}"


def test_importing_app_has_no_side_effects(tmp_path):
    # app.py builds the app lazily: importing it must not build a pack or start anything
    code = "import app, sys; print('dashboard.app' in sys.modules)"
    env = {"ALLMENDE_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "False"
    assert list(tmp_path.iterdir()) == []
