"""The house's imports, read from the source of every module (tests/archcheck.py has the rules).

The checker is shown to pass on a clean fixture tree and to fail on a planted back-edge, a
planted UI import and planted cycles, one of them hidden inside a function.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.archcheck import check, find_cycles, find_modules

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("cli", "dashboard", "layers", "models", "data")


# --- the real tree ---------------------------------------------------------------------------


def test_the_walk_reads_every_module():
    known = find_modules(ROOT)
    files = {p for top in PACKAGES if (ROOT / top).is_dir() for p in (ROOT / top).rglob("*.py")}
    files = {p for p in files if "__pycache__" not in p.parts}
    assert {m.path for m in known.values()} == files | {ROOT / "app.py"}
    assert {"app", "models.footfall_model", "data.importers", "dashboard.pages"} <= set(known)


def test_imports_follow_the_rules():
    problems = check(ROOT)
    assert not problems, "\n".join(problems)


def test_loading_the_core_loads_no_dash():
    # the static walk cannot see a third-party package that pulls Dash in: load every
    # module of layers, models and data and look
    code = textwrap.dedent(
        """
        import importlib, sys
        from pathlib import Path
        from tests.archcheck import find_modules

        core = [n for n in find_modules(Path(".")) if n.split(".")[0] in ("layers", "models", "data")]
        for name in core:
            importlib.import_module(name)
        ui = [m for m in sys.modules if m.split(".")[0] in ("dash", "flask")]
        ui += [m for m in sys.modules if m.startswith(("dash_", "flask_"))]
        print(len(core))
        print(",".join(sorted(ui)))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    count, ui = out.stdout.split("\n")[:2]
    assert int(count) > 50, out.stdout
    assert ui == "", f"Dash or Flask loaded by the core: {ui}"


def test_importing_app_has_no_side_effects(tmp_path):
    # app.py builds the app lazily: importing it must not build a pack or start anything
    code = "import app, sys; print('dashboard.app' in sys.modules)"
    env = {"ALLMENDE_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "False"
    assert list(tmp_path.iterdir()) == []


# --- the checker on fixture trees -------------------------------------------------------------

CLEAN = {
    "app.py": "from dashboard import ui\n",
    "cli/main.py": "import dashboard.ui\nfrom models import stats\n",
    "dashboard/ui.py": "import dash\nfrom dash import html\nfrom layers.maps import draw\n",
    "dashboard/pages/home.py": "from ..ui import html\nfrom dashboard.pages import other\n",
    "dashboard/pages/other.py": "import plotly.express as px\n",
    "layers/__init__.py": "from layers import maps\nfrom . import base\n",
    "layers/base.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from layers.maps import draw\n",
    "layers/maps.py": "import plotly.graph_objects as go\nfrom layers.base import x\nfrom models import stats\n",
    "models/stats.py": "import numpy as np\nfrom data import io\n\ndef f():\n    from models.core import g\n",
    "models/core.py": "from .. import data\nimport importlib\nimportlib.import_module('data.io')\n",
    "data/__init__.py": "",
    "data/io.py": "import pandas as pd\n",
}


def tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` below ``root``, with an empty ``__init__.py`` in every package folder."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        for folder in path.relative_to(root).parents:
            init = root / folder / "__init__.py"
            if folder != Path(".") and not init.exists():
                init.write_text("", encoding="utf-8")
    return root


def planted(tmp_path: Path, **changes: str) -> list[str]:
    files = {**CLEAN, **{rel.replace("__", "/") + ".py": text for rel, text in changes.items()}}
    return check(tree(tmp_path, files))


def test_clean_tree_passes(tmp_path):
    assert planted(tmp_path) == []
    assert len(find_modules(tmp_path)) == len(CLEAN) + 4  # + cli, dashboard, pages, models


def test_back_edge_fails_and_names_module_line_and_import(tmp_path):
    problems = planted(tmp_path, data__x="import os\n\nimport layers.maps\n")
    assert problems == [
        "data/x.py:3: data.x imports layers.maps — data may import only data itself"
    ]


@pytest.mark.parametrize(
    ("text", "imported"),
    [
        ("from dashboard.ui import html\n", "dashboard.ui"),
        ("def f():\n    from dashboard import ui\n", "dashboard.ui"),
        ("import importlib\nm = importlib.import_module('dashboard.ui')\n", "dashboard.ui"),
        ("PKG = 'cli'\ndef f(n):\n    return __import__(f'{PKG}.{n}')\n", "cli"),
        ("import tests.helpers\n", "tests.helpers"),
    ],
    ids=["from", "in-function", "import_module", "f-string", "tests"],
)
def test_every_kind_of_back_edge_fails(tmp_path, text, imported):
    problems = planted(tmp_path, models__bad=text)
    assert len(problems) == 1 and problems[0].startswith("models/bad.py:")
    assert f"models.bad imports {imported} —" in problems[0]


def test_nothing_imports_app_but_app_may_start_the_cli(tmp_path):
    assert planted(tmp_path, cli__x="import app\n") == [
        "cli/x.py:1: cli.x imports app — cli may import only cli itself and dashboard, "
        "layers, models, data"
    ]
    (tmp_path / "ok").mkdir()
    assert planted(tmp_path / "ok", app="from cli.main import main\n") == []


@pytest.mark.parametrize(
    ("where", "text", "rule"),
    [
        ("layers__bad", "from dash import html\n", "no Dash/Flask"),
        ("data__bad", "import dash_leaflet as dl\n", "no Dash/Flask"),
        ("models__bad", "def f():\n    import flask\n", "no Dash/Flask"),
        ("layers__bad", "import dash_ag_grid\n", "no Dash/Flask"),
        ("models__bad", "import plotly.graph_objects as go\n", "no plotly"),
        ("data__bad", "from plotly import express\n", "no plotly"),
    ],
)
def test_ui_in_the_core_fails(tmp_path, where, text, rule):
    problems = planted(tmp_path, **{where: text})
    assert len(problems) == 1 and rule in problems[0], problems


def test_planted_cycle_fails(tmp_path):
    problems = planted(tmp_path, models__a="from models import b\n", models__b="import models.a\n")
    assert find_cycles(tmp_path) == [frozenset({"models.a", "models.b"})]
    assert problems == [
        "import cycle between models.a, models.b: models.a imports models.b (models/a.py:1)"
        " → models.b imports models.a (models/b.py:1)"
    ]


def test_cycle_hidden_in_a_function_fails(tmp_path):
    problems = planted(
        tmp_path,
        models__a="from .b import fit\n",
        models__b="def fit():\n    from models.a import card\n    return card\n",
    )
    assert len(problems) == 1
    assert "models.b imports models.a (models/b.py:2, inside a function)" in problems[0]


def test_longer_cycle_across_packages_fails(tmp_path):
    problems = planted(
        tmp_path,
        layers__a="import layers.b\n",
        layers__b="from layers.c import x\n",
        layers__c="import importlib\nimportlib.import_module('.a', package='layers')\n",
    )
    assert problems == [
        "import cycle between layers.a, layers.b, layers.c: "
        "layers.a imports layers.b (layers/a.py:1) → layers.b imports layers.c (layers/b.py:1)"
        " → layers.c imports layers.a (layers/c.py:2)"
    ]


def test_type_checking_imports_make_no_cycle_but_keep_direction(tmp_path):
    guarded = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from {} import x\n"
    assert (
        planted(tmp_path, models__a="import models.b\n", models__b=guarded.format("models.a")) == []
    )
    problems = planted(tmp_path, models__c=guarded.format("layers.maps"))
    assert problems == ["models/c.py:3: models.c imports layers.maps — models may import only "
                        "models itself and data"]  # fmt: skip
