"""One text helper for layer and chart texts: a key in a theme's table, in the page's
language with a German fallback, ``{placeholders}`` filled; labels written once."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from layers.texts import text, tr

ROOT = Path(__file__).resolve().parents[1]
TABLE = {
    "hello": {"de": "Hallo {name}", "en": "Hello {name}"},
    "only.de": {"de": "Nur deutsch"},
    "braces": {"de": "{nicht} ersetzt", "en": "{not} filled"},
}


def test_text_fills_placeholders_in_the_language():
    assert text(TABLE, "hello", "de", name="Jena") == "Hallo Jena"
    assert text(TABLE, "hello", "en", name="Jena") == "Hello Jena"


def test_text_falls_back_to_german():
    assert text(TABLE, "only.de", "en") == "Nur deutsch"
    assert tr({"de": "Hitze", "en": ""}, "en") == "Hitze"


def test_text_without_values_is_left_as_written():
    assert text(TABLE, "braces", "en") == "{not} filled"


def test_a_missing_key_names_it_and_the_table_s_keys():
    with pytest.raises(KeyError, match=r"'nope'.*braces, hello, only\.de"):
        text(TABLE, "nope", "de")


def test_no_layer_module_defines_its_own_text_helper():
    """The three copies of ``text()``/``ttext()`` are gone: every module under layers/ reads its
    table through :func:`layers.texts.text`, and ``tr``/``Text`` are defined only there."""
    own = []
    for path in sorted((ROOT / "layers").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            name = getattr(node, "name", None) or (
                node.target.id
                if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                else None
            )
            if name in {"text", "ttext", "tr", "Text"} and path.name != "texts.py":
                own.append(f"{path.relative_to(ROOT)}: {name}")
    assert not own, own


def test_heat_labels_are_the_model_s():
    """The indicator names are written once (models.heat, models.climate_trend); the surface
    layer and the heat charts show the same objects."""
    from layers.heat import charts, surface
    from models.climate_trend import INDEX_LABELS
    from models.heat import BY_ID

    assert set(surface.VARIABLES) == set(charts.EXPOSURE_LABEL) == {"lst_day", "tair_night"}
    for variable in surface.VARIABLES:
        assert surface.VARIABLES[variable] is BY_ID[variable].label
        assert charts.EXPOSURE_LABEL[variable] is BY_ID[variable].label
    assert charts.INDICES is INDEX_LABELS
    sources = "".join(
        (ROOT / "layers" / "heat" / f).read_text(encoding="utf-8")
        for f in ("surface.py", "charts.py")
    )
    for label in (BY_ID["lst_day"].label["de"], INDEX_LABELS["hot_days"]["de"]):
        assert label not in sources, f"{label!r} is written again in layers/heat"
