"""The land-use theme's layers (land use, constraints, conflicts) on a small hand-made pack:
GeoJSON with features, a style with a legend, tables that equal the rule engine, severity
told apart by outline (not only colour), availability from the datasets, de/en texts."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest

from data.pack import load_pack
from data.writer import staged_pack
from layers import REGISTRY, THEMES, themes
from layers.contract import check_registry
from layers.landuse import conflicts, constraints, landuse, words
from models.conflict_rules import DEFAULT_RULES, RULES_FILE, load_rules, rules_for_pack
from models.conflicts import assess
from tests.packfactory import make_pack, sq
from tests.packfactory import vector_dataset as _dataset

CRS = "EPSG:25832"
LAYERS = (landuse.LAYER, constraints.LAYER, conflicts.LAYER)
IDS = [layer.id for layer in LAYERS]


def landuse_frame() -> gpd.GeoDataFrame:
    rows = [
        ("L1", "residential", "Altstadt", sq(0, 0, 400, 400)),
        ("L2", "forest", None, sq(400, 0, 800, 400)),
        ("L3", "water", "Saale", sq(0, 400, 800, 450)),
        ("L4", "residential", None, sq(800, 0, 1000, 200)),
    ]
    return gpd.GeoDataFrame(
        {
            "landuse_id": [r[0] for r in rows],
            "use": [r[1] for r in rows],
            "name": [r[2] for r in rows],
        },
        geometry=[r[3] for r in rows],
        crs=CRS,
    )


def plans_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "plan_id": ["P1", "P2", "P3"],
            "name": ["Am Fluss", "Park", "Ohne Konflikt"],
            "use": ["residential", "green", "commercial"],
            "dwellings": [120, 0, None],
            "status": ["planning", "idea", "approved"],
        },
        geometry=[sq(0, 0, 200, 200), sq(1000, 0, 1100, 100), sq(500, 500, 600, 600)],
        crs=CRS,
    )


def constraints_frame() -> gpd.GeoDataFrame:
    rows = [
        ("F1", "flood_hq100", "Aue", "LUBW", sq(-100, -100, 100, 100)),
        ("F2", "flood_hq100", "Aue Nord", None, sq(-10, -10, 100, 150)),
        ("C1", "ventilation_band", "Talwind", None, sq(150, -10, 300, 300)),
        ("N1", "nature_protected", "Hang", None, sq(1050, -10, 2000, 110)),
    ]
    return gpd.GeoDataFrame(
        {
            "constraint_id": [r[0] for r in rows],
            "kind": [r[1] for r in rows],
            "name": [r[2] for r in rows],
            "source": [r[3] for r in rows],
        },
        geometry=[r[4] for r in rows],
        crs=CRS,
    )


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory) -> Path:
    folder = make_pack(tmp_path_factory.mktemp("landuse") / "pack")
    with staged_pack(folder) as stage:
        stage.put_vector(_dataset("landuse"), landuse_frame())
        stage.put_vector(_dataset("plans"), plans_frame())
        stage.put_vector(_dataset("constraints"), constraints_frame())
    return folder


@pytest.fixture(scope="module")
def pack(pack_dir):
    return load_pack(pack_dir)


def test_registrable_under_their_theme():
    """The three layers fit the registry: free ids, one place each in the land-use theme."""
    theme = themes.LANDUSE
    assert theme.title == {"de": "Flächenkonkurrenz", "en": "Land-use conflicts"}
    assert all(layer.theme is theme for layer in LAYERS)
    registered = [layer.id for layer in REGISTRY if layer.theme is theme]
    assert registered in ([], IDS)  # not yet, or all three
    if not registered:
        check_registry((*REGISTRY, *LAYERS), (*THEMES, theme))


@pytest.mark.parametrize("layer", LAYERS, ids=IDS)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_each_layer_builds_features_and_a_style_with_a_legend(layer, lang, pack):
    assert layer.available(pack)
    data = layer.build(pack, lang)
    features = data.geojson["features"]
    assert features
    for f in features:
        assert f["properties"]["tooltip"].strip()
        assert isinstance(f["properties"]["cls"], int)
    style = layer.style(pack, layer.defaults(), lang)
    assert style.legend.title and style.legend.entries
    hideout = style.hideout
    # every class number a feature has is coloured and styled
    assert {f["properties"]["cls"] for f in features} <= set(range(1, len(hideout["colors"]) + 1))
    assert set(hideout["styles"]) == {str(i) for i in range(1, len(hideout["colors"]) + 1)}
    assert len(json.dumps(hideout)) < 2000
    table = layer.table(pack, layer.defaults(), lang)
    assert table.rows and table.caption and table.summary
    fields = {c.field for c in table.columns}
    assert all(set(r) >= fields for r in table.rows)


def test_landuse_classes_legend_and_areas(pack):
    style = landuse.style(pack, {}, "de")
    assert [e.label for e in style.legend.entries] == ["Wohnen", "Wald", "Wasser"]
    assert [e.color for e in style.legend.entries] == [
        words.LANDUSE_COLORS[c] for c in ("residential", "forest", "water")
    ]
    assert len(set(words.LANDUSE_COLORS.values())) == len(words.LANDUSE_COLORS)
    rows = {r["use"]: r for r in landuse.table(pack, {}, "en").rows}
    # through the pack's WGS84 round trip: 0.5 % is plenty
    assert rows["residential"]["area_ha"] == pytest.approx(16 + 4, rel=5e-3)
    assert rows["residential"]["polygons"] == 2
    assert rows["forest"]["area_ha"] == pytest.approx(16, rel=5e-3)
    assert sum(r["share"] for r in rows.values()) == pytest.approx(100, abs=0.2)


def test_constraints_table_lists_every_zone(pack):
    table = constraints.table(pack, {}, "en")
    assert [r["constraint_id"] for r in table.rows] == ["C1", "F1", "F2", "N1"] or {
        r["constraint_id"] for r in table.rows
    } == {"F1", "F2", "C1", "N1"}
    f1 = next(r for r in table.rows if r["constraint_id"] == "F1")
    assert f1["kind"] == "Flood zone HQ100" and f1["source"] == "LUBW"
    assert f1["area_ha"] == pytest.approx(4.0, rel=5e-3)
    legend = constraints.style(pack, {}, "de").legend
    assert "Überschwemmungsgebiet HQ100" in [e.label for e in legend.entries]


def test_hard_and_soft_differ_by_outline_not_only_colour(pack):
    style = conflicts.style(pack, {}, "en")
    styles = style.hideout["styles"]
    hard, soft, plan = styles[str(words.HARD)], styles[str(words.SOFT)], styles[str(words.PLAN)]
    assert hard["dashArray"] != soft["dashArray"] and hard["weight"] != soft["weight"]
    assert soft["dashArray"]  # dashed
    assert plan["fill"] is False  # plans are outlined
    labels = [e.label for e in style.legend.entries]
    assert any("dashed" in label for label in labels) and any("solid" in label for label in labels)
    features = conflicts.build(pack, "en").geojson["features"]
    by_severity = {f["properties"]["severity"] for f in features}
    assert by_severity == {"plan", "hard", "soft"}
    for f in features:  # the tooltip names the severity in words
        if f["properties"]["severity"] == "hard":
            assert "Hard conflict" in f["properties"]["tooltip"]


def test_conflicts_table_equals_the_rule_engine(pack, pack_dir):
    path, why = rules_for_pack(pack_dir)
    assert path == DEFAULT_RULES and RULES_FILE in why
    expected = assess(
        pack.metric("plans"), pack.metric("constraints"), load_rules(path),
        metric_crs=pack.city.metric_crs,
    )  # fmt: skip
    table = conflicts.table(pack, {}, "en")
    rows = {r["plan_id"]: r for r in table.rows}
    assert set(rows) == {"P1", "P2", "P3"}
    for plan in expected.plans:
        row = rows[plan.plan_id]
        assert row["conflict_ha"] == round(plan.footprint_m2 / 10_000, 2)
        assert row["score"] == round(plan.score, 2)
        assert row["severity"] == plan.verdict("en")
    assert rows["P1"]["conflict_ha"] == pytest.approx(1.5 + 1.0, rel=5e-3)  # flood + band, apart
    assert rows["P1"]["severity"] == "hard, exception possible under § 78 Abs. 2 WHG"
    assert "§ 78" in rows["P1"]["explanations"]
    assert "data/demo/conflict_rules.toml" in table.caption
    assert rows["P1"]["dwellings"] == 120 and rows["P3"]["dwellings"] is None
    assert rows["P3"]["conflict_ha"] == 0 and rows["P3"]["conflicts"] == "none"
    # the assessment is computed once per pack
    assert words.assessment(pack) is words.assessment(pack)


def test_plan_click_panel_explains_each_conflict(pack):
    panel = conflicts.panel(pack, "P1", {}, "de")
    lines = [getattr(p, "text", "") for p in panel.parts]
    assert lines[0] == "Am Fluss"
    assert any("Ausnahme möglich nach § 78 Abs. 2 WHG" in t for t in lines)
    assert conflicts.panel(pack, "nope", {}, "de") is None
    features = conflicts.build(pack, "de").geojson["features"]
    assert all(isinstance(f["properties"]["plan_id"], str) for f in features)


def test_a_pack_s_own_rule_file_wins(tmp_path):
    assert rules_for_pack(tmp_path)[0] == DEFAULT_RULES
    own = tmp_path / RULES_FILE
    own.write_text(DEFAULT_RULES.read_text(encoding="utf-8"), encoding="utf-8")
    assert rules_for_pack(tmp_path) == (own, "the pack's rule file")
    assert rules_for_pack(tmp_path, "x.toml") == (Path("x.toml"), "--rules")


def test_unavailable_without_their_datasets(tiny_pack_dir):
    tiny = load_pack(tiny_pack_dir)
    for layer in LAYERS:
        assert not layer.available(tiny)
    assert conflicts.LAYER.requires == ("plans", "constraints")


@pytest.mark.parametrize("layer", LAYERS, ids=IDS)
def test_texts_in_german_and_english(layer, pack):
    for t in (layer.title, layer.description, layer.theme.title):
        assert t["de"].strip() and t["en"].strip() and t["de"] != t["en"]
    for key, value in words.TEXTS.items():
        assert value["de"].strip() and value["en"].strip(), key
    de = layer.style(pack, {}, "de").legend
    en = layer.style(pack, {}, "en").legend
    assert de.title != en.title
    assert [c.header for c in layer.table(pack, {}, "de").columns] != [
        c.header for c in layer.table(pack, {}, "en").columns
    ]


def test_conflict_payload_is_small(pack):
    payload = json.dumps(conflicts.build(pack, "de").geojson, separators=(",", ":"))
    print(f"conflicts GeoJSON: {len(payload)} bytes")
    assert len(payload) < 20_000


def test_the_unavailable_note_names_the_importers():
    from dashboard.components import import_command

    for layer in LAYERS:
        for req in layer.requires:
            assert import_command(req) == f"allmende import {req}"


def _run_categorical(hideout: dict, features: list[dict]) -> list[dict]:
    """The map's style function (``allmende.map.categorical`` in dashboard/assets/allmende.js,
    the file the browser loads) run in Node on the features."""
    import shutil
    import subprocess
    from pathlib import Path

    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("node is not installed")
    script = Path(__file__).resolve().parents[1] / "dashboard" / "assets" / "allmende.js"
    code = (
        "global.window = {}; global.document = {addEventListener() {}};\n"
        + script.read_text(encoding="utf-8")
        + f"\nconst h = {json.dumps(hideout)}; const fs = {json.dumps(features)};\n"
        "console.log(JSON.stringify(fs.map(f => window.allmende.map.categorical(f, {hideout: h}))));"
    )
    out = subprocess.run([node, "-e", code], capture_output=True, text=True, check=True)
    return list(json.loads(out.stdout))


def test_the_style_function_draws_severity_by_outline(pack):
    """What ``categorical`` (dashboard/assets/allmende.js) makes of the conflict layer's
    hideout: hard solid and thick, soft dashed and thinner, plans unfilled (an invisible
    fill, so their inside takes clicks)."""
    hideout = {**conflicts.style(pack, {}, "en").hideout, "opacity": 0.6}
    features = [
        {"properties": {"cls": c}} for c in (words.PLAN, words.SOFT, words.HARD)
    ]  # fmt: skip
    plan, soft, hard = _run_categorical(hideout, features)
    assert plan["fillOpacity"] == 0 and plan["color"] == "#000000"
    assert plan["fill"] is True  # invisible, but the inside of a plan takes clicks
    assert soft["dashArray"] == "8 6" and hard["dashArray"] is None
    assert hard["weight"] > soft["weight"] and hard["fillOpacity"] == soft["fillOpacity"] == 0.6
    land = _run_categorical(landuse.style(pack, {}, "en").hideout, [{"properties": {"cls": 2}}])
    assert land[0]["fillColor"] == words.LANDUSE_COLORS["forest"]


def test_landuse_per_district_equals_an_overlay(pack):
    table = landuse.table(pack, landuse.LAYER.clean_params({"table": "district"}), "en")
    assert table.key == "district_id" and [c.field for c in table.columns][1:4] == [
        "ha_residential",
        "ha_forest",
        "ha_water",
    ]
    overlay = gpd.overlay(
        pack.metric("landuse")[["use", "geometry"]],
        pack.metric("districts")[["district_id", "geometry"]],
        how="intersection",
    )
    expected = (overlay.geometry.area / 10_000).groupby([overlay["district_id"], overlay["use"]])
    expected = expected.sum()
    assert len(expected) >= 3
    rows = {r["district_id"]: r for r in table.rows}
    for (district_id, use), ha in expected.items():
        assert rows[str(district_id)][f"ha_{use}"] == pytest.approx(round(ha, 1), abs=0.051)
    assert sum(r["total_ha"] for r in rows.values()) == pytest.approx(expected.sum(), abs=0.2)
    # without districts the class table stands in
    assert landuse.table(pack, {"table": "class"}, "en").key == "use"


def test_conflict_legend_swatches_are_drawn_like_the_map(pack):
    """The plan's swatch is unfilled with a black border, the soft one dashed, the hard one
    filled with a thicker border (not three filled squares)."""
    from dashboard.components import swatch

    plan, soft, hard = (swatch(e) for e in conflicts.style(pack, {}, "de").legend.entries)
    assert "al-swatch-open" in plan[0].split() and plan[1]["background"] == "transparent"
    assert plan[1]["borderColor"] == words.PLAN_STYLE["color"]
    assert "al-swatch-dashed" in soft[0].split() and soft[1]["borderStyle"] == "dashed"
    assert "al-swatch-open" not in soft[0].split() and "al-swatch-open" not in hard[0].split()
    assert "al-swatch-dashed" not in hard[0].split()
    assert int(hard[1]["borderWidth"][:-2]) > int(soft[1]["borderWidth"][:-2])
