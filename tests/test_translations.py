"""Every visible string exists in German and in English (BITV 2.0: the public view is
German-first, the English view complete).

* ``dashboard.i18n.STRINGS``: both texts non-empty, with the same ``{placeholders}``, and
  different unless the key is in :data:`SAME_IN_BOTH` (words that are the same in both
  languages, on purpose).
* Every ``t("…")`` key in the dashboard's source exists (f-string keys: every expansion).
* Every language dict (``{"de": …, "en": …}``) reachable from the layer registry and from the
  modules of ``layers``, ``models``, ``data`` and ``dashboard`` — layer titles, groups and
  descriptions, parameter labels and choices, chart and legend texts, method texts, labels
  and units of indicators, facility kinds, land-cover classes, base maps — has both texts,
  non-empty. :func:`layers.base.tr` falls back to German, so a missing English text would
  otherwise go unnoticed.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
import string
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dashboard.i18n import LANGS, STRINGS

ROOT = Path(__file__).resolve().parents[1]

# STRINGS keys whose German and English texts are the same on purpose
SAME_IN_BOTH = {
    "lang.de": "a language's name is written in that language",
    "lang.en": "a language's name is written in that language",
    "catalog.none": "a dash for 'none'",
    "catalog.col.download": "'Download' is German as well",
    "catalog.kind.raster": "'Raster' is German as well",
    "scn.horizon.2050": "a year",
}

# the text tables the issue names: each must exist and hold at least one language dict
NAMED = [
    "layers.heat.charts.TEXTS",
    "layers.heat.charts.TREND_TEXTS",
    "layers.footfall.charts.TEXTS",
    "layers.city.districts.PANEL_TEXTS",
    "layers.heat.vulnerability.PANEL_TEXTS",
    "models.hvi.METHOD",
    "models.heat.COMPONENTS",
    "models.heat.INDICATORS",
    "models.climate_trend.METHOD",
    "models.climate_trend.TREND_METHOD",
    "models.climate_trend.INDEX_LABELS",
    "data.schemas.FACILITY_KIND_LABELS",
    "data.schemas.LANDCOVER_CLASSES",
    "layers.city.basemaps.BASEMAPS",
    "layers.REGISTRY",
]
PACKAGES = ("layers", "models", "data", "dashboard")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_ui_string_has_both_languages():
    problems = []
    for key, texts in STRINGS.items():
        if set(texts) != set(LANGS):
            problems.append(f"{key}: languages {sorted(texts)}, expected {list(LANGS)}")
            continue
        for lang in LANGS:
            if not isinstance(texts[lang], str) or not texts[lang].strip():
                problems.append(f"{key}: no {lang} text")
        if texts["de"] == texts["en"] and key not in SAME_IN_BOTH:
            problems.append(f"{key}: the same text in both languages ({texts['de']!r})")
        if _placeholders(texts["de"]) != _placeholders(texts["en"]):
            problems.append(f"{key}: placeholders differ: {texts}")
    assert not problems, "\n".join(problems)


def test_same_in_both_lists_only_identical_texts():
    for key in SAME_IN_BOTH:
        assert key in STRINGS, f"{key} is allowed to be identical but is not a UI string"
        assert STRINGS[key]["de"] == STRINGS[key]["en"], f"{key} differs: drop it from the list"


T_CALL = re.compile(r"""\bt\(\s*(f?)(["'])(.+?)\2""")


def _t_keys() -> list[tuple[str, str, bool]]:
    """(file:line, key, is_fstring) for every ``t("…")`` call in dashboard/."""
    found = []
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for m in T_CALL.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            found.append((f"{path.relative_to(ROOT)}:{line}", m.group(3), m.group(1) == "f"))
    return found


def test_every_t_key_in_the_source_exists():
    from dashboard.report import KPI_COLUMNS
    from dashboard.scenario_state import FORM_KINDS, MODES
    from dashboard.scenario_view import ARROWS as DIRECTIONS
    from data.catalog import KINDS

    calls = _t_keys()
    assert len(calls) > 100  # the scan found the calls
    # what the f-string keys expand to
    expansions = {
        "lang.{code}": [f"lang.{code}" for code in LANGS],
        "catalog.kind.{ds.kind}": [f"catalog.kind.{kind}" for kind in KINDS],
        "footfall.{name}": ["footfall.profile", "footfall.daily", "footfall.yoy"],
        "catalog.col.{c}": [k for k in STRINGS if k.startswith("catalog.col.")],
        "scn.kind.{k}": [f"scn.kind.{k}" for k in FORM_KINDS],
        "scn.horizon.{h}": ["scn.horizon.today", "scn.horizon.2050"],
        "scn.mode.{m}": [f"scn.mode.{m}" for m in MODES],
        "scn.dir.{row['direction']}": [f"scn.dir.{d}" for d in DIRECTIONS],
        "scn.col.{c}": [f"scn.col.{c}" for c in KPI_COLUMNS],
    }
    missing = []
    for where, key, fstring in calls:
        if not fstring:
            if key not in STRINGS:
                missing.append(f"{where}: {key}")
            continue
        assert key in expansions, f"{where}: f-string key {key!r}: list its expansions here"
        pattern = re.compile(re.sub(r"\\\{[^}]*\\\}", r"[^.]+", re.escape(key)) + "$")
        assert expansions[key], key
        for expanded in expansions[key]:
            assert pattern.match(expanded), (key, expanded)
            if expanded not in STRINGS:
                missing.append(f"{where}: {expanded} (from {key})")
    assert not missing, "\n".join(missing)


def test_catalog_columns_are_all_translated():
    from dashboard.pages.catalog_page import COLUMNS, WIDTHS

    assert set(WIDTHS) == set(COLUMNS)
    for column in COLUMNS:
        assert f"catalog.col.{column}" in STRINGS, column


def _is_language_dict(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(k, str) and re.fullmatch(r"[a-z]{2}", k) for k in value)
        and bool(set(value) & set(LANGS))
    )


def _language_dicts(value: Any, where: str, seen: set[int]) -> Iterator[tuple[str, dict]]:
    """Every language dict inside ``value`` (dicts, sequences, dataclasses), with a path."""
    if id(value) in seen or isinstance(value, (str, bytes, int, float, bool, type(None))):
        return
    seen.add(id(value))
    if _is_language_dict(value):
        yield where, value
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _language_dicts(v, f"{where}[{k!r}]", seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for i, v in enumerate(value):
            yield from _language_dicts(v, f"{where}[{i}]", seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _language_dicts(getattr(value, f.name), f"{where}.{f.name}", seen)


def _problems(where: str, texts: dict) -> list[str]:
    out = []
    for lang in LANGS:
        text = texts.get(lang)
        if isinstance(text, str):
            if not text.strip():
                out.append(f"{where}: empty {lang} text")
        elif isinstance(text, dict):  # a per-language table: the same keys, texts filled
            other = texts.get("en" if lang == "de" else "de")
            if not isinstance(other, dict) or set(text) != set(other):
                out.append(f"{where}: the {lang} table has other keys than the other language")
            out.extend(
                f"{where}[{lang!r}][{k!r}]: empty" for k, v in text.items() if not str(v).strip()
            )
        else:
            out.append(f"{where}: no {lang} text")
    return out


def _resolve(dotted: str) -> Any:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("dotted", NAMED)
def test_named_text_tables_have_both_languages(dotted):
    found = list(_language_dicts(_resolve(dotted), dotted, set()))
    assert found, f"{dotted} holds no {{'de': …, 'en': …}} texts"
    problems = [p for where, texts in found for p in _problems(where, texts)]
    assert not problems, "\n".join(problems)


def test_every_layer_text_has_both_languages():
    from layers import REGISTRY

    problems = []
    for layer in REGISTRY:
        texts = [
            ("title", layer.title),
            ("theme", layer.theme.title),
            ("description", layer.description),
        ]
        for p in layer.params:
            texts.append((f"param {p.name}", p.label))
            texts.extend((f"param {p.name} choice {code}", text) for code, text in p.choices)
        for what, text in texts:
            if not _is_language_dict(text):
                problems.append(f"{layer.id} {what}: not a {{'de', 'en'}} dict: {text!r}")
            else:
                problems.extend(_problems(f"{layer.id} {what}", dict(text)))
    assert not problems, "\n".join(problems)


def _modules() -> Iterator[Any]:
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        yield package
        for info in pkgutil.walk_packages(package.__path__, package_name + "."):
            yield importlib.import_module(info.name)


def test_every_language_dict_in_the_code_has_both_languages():
    """A sweep over every module-level object of the app's packages."""
    problems: list[str] = []
    count = 0
    seen: set[int] = set()
    for module in _modules():
        for name, value in vars(module).items():
            if (
                name.startswith("__")
                or isinstance(value, (types.ModuleType, type))
                or callable(value)
            ):
                continue  # texts live in data, not in functions, classes or other modules
            for where, texts in _language_dicts(value, f"{module.__name__}.{name}", seen):
                count += 1
                problems.extend(_problems(where, texts))
    assert count > 200  # the sweep found the texts
    assert not problems, "\n".join(problems)
