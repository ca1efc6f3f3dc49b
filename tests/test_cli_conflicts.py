"""``allmende conflicts`` on the test pack with ``plans`` and ``constraints`` datasets."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest

from cli.main import main
from data.writer import staged_pack
from tests.packfactory import make_pack, sq
from tests.packfactory import vector_dataset as _dataset

ROOT = Path(__file__).resolve().parents[1]
RULES = Path(__file__).parent / "fixtures" / "conflicts" / "rules.toml"
CRS = "EPSG:25832"


def plans_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "plan_id": ["P1", "P2"],
            "name": ["Am Fluss", "Park"],
            "use": ["residential", "green"],
            "dwellings": [120, 0],
            "status": ["planning", "idea"],
        },
        geometry=[sq(0, 0, 200, 200), sq(1000, 0, 1100, 100)],
        crs=CRS,
    )


def constraints_frame() -> gpd.GeoDataFrame:
    rows = [
        ("F1", "flood_hq100", "Aue", sq(-100, -100, 100, 100)),
        ("F2", "flood_hq100", "Aue Nord", sq(-10, -10, 100, 150)),
        ("C1", "ventilation_core", "Talwind", sq(150, -10, 300, 300)),
        ("N1", "nature_protected", "Hang", sq(1050, -10, 2000, 110)),
    ]
    return gpd.GeoDataFrame(
        {
            "constraint_id": [r[0] for r in rows],
            "kind": [r[1] for r in rows],
            "name": [r[2] for r in rows],
        },
        geometry=[r[3] for r in rows],
        crs=CRS,
    )


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> Path:
    folder = make_pack(tmp_path_factory.mktemp("conflicts") / "pack")
    with staged_pack(folder) as stage:
        stage.put_vector(_dataset("plans"), plans_frame())
        stage.put_vector(_dataset("constraints"), constraints_frame())
    return folder


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(["conflicts", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_text_output_lists_conflicts_score_and_matrix(pack, capsys):
    code, out, err = run(["--pack", str(pack)], capsys)
    assert code == 0, err
    assert "default: the pack has no conflict_rules.toml" in out
    assert "data/demo/conflict_rules.toml" in out
    assert "plan P1 'Am Fluss' (residential, 120 dwellings, 4.00 ha)" in out
    assert "hard, exception possible under § 78 Abs. 2 WHG" in out
    assert "flood-hq100-new-building-area" in out and "ventilation-core-building" in out
    assert "37.5 %" in out  # 1.5 ha of 4 ha in the flood zone
    assert "nature-protected-any-development" in out
    assert "conflict matrix, hectares (planned use × constraint kind):" in out
    assert out.rstrip().splitlines()[-1].startswith("total")


def test_json_areas_and_matrix(pack, capsys):
    code, out, _ = run(["--pack", str(pack), "--json"], capsys)
    doc = json.loads(out)
    assert code == 0 and doc["pack"] == "Testburg" and doc["synthetic"] is True
    p1, p2 = doc["plans"]
    # through the pack's WGS84 round trip (6 decimals): 0.5 % is plenty
    assert p1["kinds_ha"]["flood_hq100"] == pytest.approx(1.5, rel=5e-3)
    assert p1["kinds_ha"]["ventilation_core"] == pytest.approx(1.0, rel=5e-3)
    assert p2["kinds_ha"] == {"nature_protected": pytest.approx(0.5, rel=5e-3)}
    total = sum(v for p in doc["plans"] for v in p["kinds_ha"].values())
    assert doc["matrix"]["total"] == pytest.approx(total, abs=1e-3)
    assert doc["crs"] == "EPSG:25832"
    assert "geometry" not in p1
    code, out, _ = run(["--pack", str(pack), "--json", "--geometry"], capsys)
    assert json.loads(out)["plans"][0]["geometry"]["type"] == "Polygon"


def test_rules_from_option_then_pack_then_default(pack, tmp_path, capsys):
    code, out, _ = run(["--pack", str(pack), "--rules", str(RULES), "--json"], capsys)
    doc = json.loads(out)
    assert code == 0 and doc["rules"] == str(RULES) and doc["rules_reason"] == "--rules"
    assert [c["rule_id"] for c in doc["plans"][0]["conflicts"]] == ["core-hard", "flood-hard"]
    own = tmp_path / "own"
    shutil.copytree(pack, own)
    shutil.copy(RULES, own / "conflict_rules.toml")
    code, out, _ = run(["--pack", str(own), "--json"], capsys)
    doc = json.loads(out)
    assert code == 0 and doc["rules_reason"] == "the pack's rule file"
    assert doc["plans"][1]["conflicts"][0]["rule_id"] == "nature-hard"


def test_plans_file_overrides_the_pack_and_needs_a_crs(pack, tmp_path, capsys):
    other = plans_frame().iloc[[1]].assign(plan_id="X9")
    path = tmp_path / "plans.geojson"
    other.to_crs("EPSG:4326").to_file(path, driver="GeoJSON")
    code, out, err = run(["--pack", str(pack), "--plans", str(path), "--json"], capsys)
    assert code == 0, err
    assert [p["plan_id"] for p in json.loads(out)["plans"]] == ["X9"]
    shp = tmp_path / "plans.shp"
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        other.set_crs(None, allow_override=True).to_file(shp)
    code, out, err = run(["--pack", str(pack), "--plans", str(shp)], capsys)
    assert code == 1 and out == ""
    assert "plans.shp: no CRS stated" in err and "--source-crs" in err
    code, out, err = run(
        ["--pack", str(pack), "--plans", str(shp), "--source-crs", CRS, "--json"], capsys
    )
    assert code == 0, err
    assert json.loads(out)["plans"][0]["kinds_ha"]["nature_protected"] == pytest.approx(
        0.5, rel=5e-3
    )


def test_constraints_file_and_a_pack_without_plans(tmp_path, capsys):
    bare = make_pack(tmp_path / "bare")
    code, _, err = run(["--pack", str(bare)], capsys)
    assert code == 1
    assert "the pack has no 'plans' dataset; add it with 'allmende import plans …'" in err
    plans, cons = tmp_path / "p.geojson", tmp_path / "c.gpkg"
    plans_frame().to_file(plans, driver="GeoJSON")
    constraints_frame().to_file(cons, driver="GPKG")
    code, out, err = run(
        ["--pack", str(bare), "--plans", str(plans), "--constraints", str(cons), "--json"], capsys
    )
    assert code == 0, err
    assert json.loads(out)["plans"][0]["kinds_ha"]["flood_hq100"] == pytest.approx(1.5)


def test_bad_inputs_exit_1_with_a_clear_message(pack, tmp_path, capsys):
    bad_rules = tmp_path / "rules.toml"
    bad_rules.write_text(
        RULES.read_text(encoding="utf-8").replace('severity = "soft"', 'severity = "mild"', 1),
        encoding="utf-8",
    )
    line = next(
        i for i, s in enumerate(bad_rules.read_text().splitlines(), 1) if 'severity = "mild"' in s
    )
    code, out, err = run(["--pack", str(pack), "--rules", str(bad_rules)], capsys)
    assert code == 1 and out == ""
    assert f"rules.toml:{line}: rule 'band-soft': bad severity 'mild'" in err
    wrong = tmp_path / "wrong.geojson"
    plans_frame().assign(use=["housing", "green"]).to_file(wrong, driver="GeoJSON")
    code, _, err = run(["--pack", str(pack), "--plans", str(wrong)], capsys)
    assert code == 1 and "unknown use 'housing' in P1" in err
    code, _, err = run(["--pack", str(pack), "--plans", str(tmp_path / "none.geojson")], capsys)
    assert code == 1 and "none.geojson: file not found" in err
    code, _, err = run(["--pack", str(tmp_path / "nopack")], capsys)
    assert code == 1 and "conflicts:" in err


def test_other_commands_do_not_load_the_conflict_engine():
    code = (
        "import sys; from cli.main import build_parser; build_parser(()); "
        "print('models.conflicts' in sys.modules, 'models.conflict_rules' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert out.stdout.split() == ["False", "False"], out.stderr
