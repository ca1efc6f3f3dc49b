"""The guide (docs/guide.md) is checked by building its walkthroughs from its own snippets.

A fenced block right after ``<!-- guide-test: NAME -->`` is a snippet: the ``layer`` and
``importer`` snippets are written into a package in a temporary folder, imported, and run
through the same contract checks as the registered layers and importers (on the small test
pack of :mod:`tests.packfactory`); the ``city`` snippet's commands are parsed by the real
``allmende`` parser. The guide's other claims are kept true too: the modules, files and
functions it names exist, and each registry entry is one line of its registry file.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import re
import shlex
import sys
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import layers
from cli import imports
from cli.main import build_parser
from data.catalog import read_catalog
from data.importers import registry
from data.importers.base import Importer, ImporterError, ImportResult, run_importer
from data.importers.registry import IMPORTERS
from data.pack import CityPack, load_pack, validate_pack
from layers import REGISTRY, THEMES
from layers.base import Layer
from layers.contract import check_layer, check_registry
from tests import test_importer_contract as importer_contract
from tests.conftest import pack_hash
from tests.packfactory import DISTRICT_IDS, ORIGIN, POP_UNDER6, POPULATION, make_pack
from tests.test_layer_assets import defined, layer_references

# the contract tests of every registered layer, run here on the guide's example (imported by
# name: those modules are not type-checked, and mypy would follow a static import into them)
layer_contract = importlib.import_module("tests.test_layers_contract")
table_contract = importlib.import_module("tests.test_layer_tables")

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guide.md"
SNIPPET = re.compile(
    r"<!-- guide-test: (?P<name>[\w-]+) -->\n```(?P<lang>\w+)\n(?P<code>.*?)\n```", re.S
)
# paths the guide names as examples of where something new would go
HYPOTHETICAL = {"layers/city/children.py", "data/importers/trees.py", "layers/landuse/"}
PACKAGES = ("cli", "dashboard", "layers", "models", "data")
# the city walkthrough runs the importers in this order (districts creates the pack)
CITY_ORDER = (
    "districts",
    "census",
    "raster",
    "climate",
    "counts",
    "facilities",
    "landuse",
    "plans",
    "constraints",
)


def guide_text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def snippets() -> dict[str, tuple[str, str]]:
    """``name -> (language, code)`` of every marked block of the guide."""
    found: dict[str, tuple[str, str]] = {}
    for match in SNIPPET.finditer(guide_text()):
        assert match["name"] not in found, f"two snippets named {match['name']!r}"
        found[match["name"]] = (match["lang"], match["code"] + "\n")
    return found


def load_snippet(name: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Write the python snippet ``name`` as a module of a fresh package below ``folder``,
    put ``folder`` on ``sys.path`` and import it."""
    lang, code = snippets()[name]
    assert lang == "python", (name, lang)
    package = f"guide_snippets_{uuid.uuid4().hex}"
    (folder / package).mkdir(parents=True)
    (folder / package / "__init__.py").write_text("", encoding="utf-8")
    (folder / package / f"{name}.py").write_text(code, encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    return importlib.import_module(f"{package}.{name}")


def _forget(module: ModuleType) -> None:
    package = module.__name__.rpartition(".")[0]
    for key in [k for k in sys.modules if k == package or k.startswith(package + ".")]:
        del sys.modules[key]


@pytest.fixture
def layer_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    module = load_snippet("layer", tmp_path / "snippets", monkeypatch)
    yield module
    _forget(module)


@pytest.fixture
def importer_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    module = load_snippet("importer", tmp_path / "snippets", monkeypatch)
    yield module
    _forget(module)


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return make_pack(tmp_path / "pack")


def test_the_guide_marks_its_three_walkthroughs():
    kinds = {name: lang for name, (lang, _) in snippets().items()}
    assert kinds == {"layer": "python", "importer": "python", "city": "bash"}
    lines = len(guide_text().splitlines())
    assert 150 <= lines <= 400, lines


# --- what the guide names exists ----------------------------------------------------------------


def test_every_path_the_guide_names_exists():
    named = set(re.findall(r"`([\w.-]+(?:/[\w.-]+)*/(?:[\w.-]+)?)`", guide_text()))
    named |= set(re.findall(r"`(\w+\.py)`", guide_text())) & {"app.py"}
    assert len(named) > 30
    missing = sorted(p for p in named - HYPOTHETICAL if not (ROOT / p).exists())
    assert not missing, f"the guide names paths that do not exist: {missing}"
    for path in HYPOTHETICAL:
        assert not (ROOT / path).exists() or path.endswith("/"), (
            f"{path} exists now: take the example from the guide or name another place"
        )


def _resolve(dotted: str) -> Any:
    """The object a dotted name names: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            target = getattr(target, attr)
        return target
    raise ImportError(dotted)


def test_every_module_and_function_the_guide_names_exists():
    pattern = rf"`((?:{'|'.join(PACKAGES)})\.[\w.]+)`"
    named = sorted(set(re.findall(pattern, guide_text())))
    assert len(named) > 10
    problems = []
    for dotted in named:
        try:
            _resolve(dotted)
        except (ImportError, AttributeError) as err:
            problems.append(f"{dotted}: {err}")
    assert not problems, problems


# --- "one module plus one line in the registry" ---------------------------------------------


def registry_entries(path: Path, name: str, namespace: dict[str, Any]) -> list[tuple[int, Any]]:
    """``(line, object)`` of each element of the tuple literal assigned to ``name`` in the
    file at ``path``; each element is a name or ``module.ATTRIBUTE`` of ``namespace``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    values = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and any(
            isinstance(t, ast.Name) and t.id == name
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        )
    ]
    assert len(values) == 1, f"{path.name}: {name} is assigned {len(values)} times"
    value = values[0]
    assert isinstance(value, ast.Tuple), (
        f"{path.name}: {name} is not a tuple literal, so an entry is not one line"
    )
    entries = []
    for element in value.elts:
        assert element.lineno == element.end_lineno, ast.unparse(element)
        assert isinstance(element, ast.Name | ast.Attribute), ast.unparse(element)
        if isinstance(element, ast.Attribute):
            assert isinstance(element.value, ast.Name), ast.unparse(element)
            obj = getattr(namespace[element.value.id], element.attr)
        else:
            obj = namespace[element.id]
        entries.append((element.lineno, obj))
    return entries


def _one_line_each(entries: Sequence[tuple[int, Any]], registered: Sequence[Any]) -> None:
    lines = [line for line, _ in entries]
    assert len(set(lines)) == len(lines), "two entries share a line"
    assert [id(obj) for _, obj in entries] == [id(obj) for obj in registered]


def test_every_layer_is_one_line_of_the_layer_registry():
    entries = registry_entries(ROOT / "layers" / "__init__.py", "REGISTRY", vars(layers))
    _one_line_each(entries, REGISTRY)


def test_every_importer_is_one_line_of_the_importer_registry():
    path = ROOT / "data" / "importers" / "registry.py"
    entries = registry_entries(path, "IMPORTERS", vars(registry))
    _one_line_each(entries, IMPORTERS)
    assert sorted(imp.name for imp in IMPORTERS) == sorted(CITY_ORDER)


# --- the layer walkthrough -------------------------------------------------------------------


def test_layer_example_keeps_the_contract_and_joins_the_registry(layer_module):
    layer = layer_module.LAYER
    assert isinstance(layer, Layer)
    check_layer(layer)
    check_registry((*REGISTRY, layer), THEMES)  # a free id and a free place in its theme
    assert layer.id not in {x.id for x in REGISTRY}
    assert set(layer_references((layer,)).values()) <= defined()  # js_style exists


def test_layer_example_draws_the_test_pack(layer_module, tiny_pack_dir):
    layer, pack = layer_module.LAYER, load_pack(tiny_pack_dir)
    # the checks every registered layer passes (tests/test_layers_contract.py), on this pack
    layer_contract.test_texts_in_both_languages(layer)
    layer_contract.test_params_are_bounded_and_reject_bad_values(layer)
    for lang in ("de", "en"):
        layer_contract.test_build_gives_map_ready_data_inside_the_city(layer, lang, pack)
    layer_contract.test_build_and_style_are_deterministic(layer, pack)
    layer_contract.test_a_layer_refuses_a_pack_without_what_it_requires(layer, pack, tiny_pack_dir)
    features = layer.build(pack, "de").geojson["features"]
    assert [f["properties"]["district_id"] for f in features] == list(DISTRICT_IDS)
    expected = [
        round(kids / people, 4) for kids, people in zip(POP_UNDER6, POPULATION, strict=True)
    ]
    assert [f["properties"]["share_under6"] for f in features] == expected
    for params in layer_contract._param_grid(layer):
        _assert_style(layer, pack, layer.clean_params(params), features)
    for lang in ("de", "en"):
        table = layer.table(pack, layer.defaults(), lang)
        table_contract._check_table(table, pack)
        assert [row["district_id"] for row in table.rows] == list(DISTRICT_IDS)


def _assert_style(layer: Layer, pack: CityPack, params: dict[str, Any], features: list) -> None:
    style = layer.style(pack, params, "de")
    hideout = style.hideout
    assert all(hideout["prop"] in f["properties"] for f in features)
    assert hideout["breaks"] == sorted(hideout["breaks"])
    assert len(hideout["colors"]) == len(hideout["breaks"]) == len(style.legend.entries)
    assert len(style.legend.entries) <= params["k"]
    for entry in style.legend.entries:
        assert layer_contract.HEX.match(entry.color) and entry.label
    json.dumps(hideout)


# --- the importer walkthrough ----------------------------------------------------------------

TREES = [
    ("t1", "Linde", 250.0, 250.0),
    ("t2", "Ahorn", 1500.0, 900.0),
    ("t3", "Eiche", 3200.0, 700.0),
]


def write_trees(folder: Path, rows: Sequence[tuple[str, str, Any, Any]] = TREES) -> Path:
    """A tree CSV in EPSG:25832, positions relative to the test city's ``ORIGIN``."""
    x0, y0 = ORIGIN
    lines = ["id;species;x;y"]
    for tree_id, species, dx, dy in rows:
        x = x0 + dx if isinstance(dx, float) else dx
        y = y0 + dy if isinstance(dy, float) else dy
        lines.append(f"{tree_id};{species};{x};{y}")
    path = folder / "baeume.csv"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _features(pack: Path, dataset: str) -> list[dict[str, Any]]:
    entry = next(d for d in read_catalog(pack).datasets if d.id == dataset)
    features: list[dict[str, Any]] = json.loads((pack / entry.path).read_text("utf-8"))["features"]
    return features


def test_importer_example_writes_what_it_reports(importer_module, pack, tmp_path):
    imp: Importer = importer_module.IMPORTER
    good = write_trees(tmp_path / "in")
    result = run_importer(imp, pack, file=good, source_crs="EPSG:25832")
    assert isinstance(result, ImportResult) and result.datasets == ("trees",)
    assert result.read == result.written == len(TREES) == len(_features(pack, "trees"))
    assert validate_pack(pack).ok
    trees = load_pack(pack).vector("trees")
    assert sorted(trees["tree_id"]) == [t[0] for t in TREES]
    assert f"imported {len(TREES)} trees into trees" in result.lines()[0]
    assert any("licence" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("rows", "where"),
    [
        ([TREES[0], ("t2", "Ahorn", "680abc", 5642900.0)], "line 3"),
        ([TREES[0], TREES[1], TREES[0]], "line 4"),
    ],
    ids=["not-a-number", "repeated-id"],
)
def test_importer_example_refuses_a_bad_row_and_leaves_the_pack(
    importer_module, pack, tmp_path, rows, where
):
    bad = write_trees(tmp_path / "in", rows)
    before = pack_hash(pack)
    with pytest.raises(ImporterError) as caught:
        run_importer(importer_module.IMPORTER, pack, file=bad, source_crs="EPSG:25832")
    err = caught.value
    assert err.file is not None and Path(err.file).name == bad.name
    assert err.where == where and err.expected and err.found
    assert bad.name in str(err)
    assert pack_hash(pack) == before


def test_importer_example_asks_for_a_crs(importer_module, pack, tmp_path):
    good = write_trees(tmp_path / "in")
    before = pack_hash(pack)
    with pytest.raises(ImporterError, match="--source-crs") as caught:
        run_importer(importer_module.IMPORTER, pack, file=good)
    assert good.name in str(caught.value)
    assert pack_hash(pack) == before


def _register_example(monkeypatch: pytest.MonkeyPatch, imp: Importer) -> None:
    """The example as tests/test_importer_contract.py would know it: a case with a good file."""

    def good(tmp: Path) -> dict[str, Any]:
        return {"file": write_trees(tmp / "trees-in"), "source_crs": "EPSG:25832"}

    monkeypatch.setitem(importer_contract.CASES, imp.name, importer_contract.Case(good, "trees"))


@pytest.mark.parametrize("kind", ["malformed", "empty", "wrong-encoding"])
def test_importer_example_passes_the_importer_contract(
    importer_module, pack, tmp_path, monkeypatch, kind
):
    imp = importer_module.IMPORTER
    _register_example(monkeypatch, imp)
    importer_contract.test_bad_input_file_is_refused_naming_it_and_the_pack_is_unchanged(
        imp, "file", kind, pack, tmp_path / kind
    )
    if kind == "malformed":
        importer_contract.test_good_fixture_counts_match_what_was_written(
            imp, pack, tmp_path / "good"
        )


def example_parser(imp: Importer) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="allmende")
    imports.register(parser.add_subparsers(dest="command"), [*IMPORTERS, imp])
    return parser


def test_generated_cli_runs_the_example(importer_module, pack, tmp_path, capsys):
    imp: Importer = importer_module.IMPORTER
    parser = example_parser(imp)
    good = write_trees(tmp_path / "in")
    argv = ["import", "trees", "--pack", str(pack), "--file", str(good)]
    args = parser.parse_args([*argv, "--source-crs", "EPSG:25832"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert f"imported {len(TREES)} trees into trees of {pack}" in out
    assert "warning: licence not stated" in out
    bad = write_trees(tmp_path / "bad", [("t9", "Ulme", "x", "y")])
    before = pack_hash(pack)
    args = parser.parse_args([*argv[:-1], str(bad), "--source-crs", "EPSG:25832", "--json"])
    assert args.func(args) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["where"] == "line 2"
    assert "the pack was not changed" in captured.err and bad.name in captured.err
    assert pack_hash(pack) == before


def test_the_guides_example_command_parses(importer_module):
    commands = re.findall(r"`(allmende import trees [^`]+)`", guide_text())
    assert commands
    parser = example_parser(importer_module.IMPORTER)
    for command in commands:
        args = parser.parse_args(shlex.split(command)[1:])
        assert args.importer == "trees" and args.source_crs


# --- the city walkthrough --------------------------------------------------------------------


def city_commands() -> list[list[str]]:
    lang, code = snippets()["city"]
    assert lang == "bash"
    text = code.replace("\\\n", " ")
    return [shlex.split(line) for line in text.splitlines() if line.strip()]


def test_city_walkthrough_parses_with_the_real_command_line():
    parser = build_parser()
    imported = []
    for argv in city_commands():
        assert argv[0] == "allmende", argv
        args = parser.parse_args(argv[1:])  # an unknown flag exits with status 2
        if args.command == "import":
            imported.append(args.importer)
            assert str(args.pack) == "packs/musterstadt", argv
    assert tuple(imported) == CITY_ORDER
    assert [argv[1] for argv in city_commands()[-2:]] == ["validate", "serve"]
