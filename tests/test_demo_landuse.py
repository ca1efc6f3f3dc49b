"""The demo city's land use, plans and constraint zones (data/demo/landuse.py, issue 15).

Uses the session's one demo build (tests/conftest.py). Stated targets and tolerances:

* land use per class against the 2016 Kataster (data/demo/facts_landuse.py): within 1 %
  (cells of 1 ha are taken until the next would overshoot; cells at the outline count with
  their part inside), except agriculture, which takes the rest of the demo outline: the
  Kataster classes sum to 11,135.6 ha, the outline holds 11,476 ha, so agriculture is
  ≈ 340 ha (≈ 8.5 %) above its 4,037.2 ha — allowed up to 10 %.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from cli.main import main
from data.catalog import read_catalog
from data.demo import facts
from data.demo import facts_landuse as fl
from data.demo.datasets import DATASET_IDS
from data.landuse_vocab import CONSTRAINT_KINDS, LANDUSE_CLASSES, PLAN_STATUSES, PLANNED_USES
from data.pack import validate_pack

BUILT = ("residential", "commercial", "industrial", "public")
TOLERANCE = {"agriculture": 0.10}  # every other class: 0.01
METRIC = "EPSG:25832"
ROOT = Path(__file__).resolve().parents[1]


def _metric(pack_dir: Path, name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(pack_dir / f"{name}.geojson").to_crs(METRIC)


@pytest.fixture(scope="module")
def landuse(demo_pack_dir: Path) -> gpd.GeoDataFrame:
    return _metric(demo_pack_dir, "landuse")


@pytest.fixture(scope="module")
def plans(demo_pack_dir: Path) -> gpd.GeoDataFrame:
    return _metric(demo_pack_dir, "plans")


@pytest.fixture(scope="module")
def constraints(demo_pack_dir: Path) -> gpd.GeoDataFrame:
    return _metric(demo_pack_dir, "constraints")


def achieved_ha(landuse: gpd.GeoDataFrame) -> dict[str, float]:
    by_use = (landuse.geometry.area / 1e4).groupby(landuse["use"]).sum()
    out = {k: float(v) for k, v in by_use.items() if k not in BUILT}
    out["built"] = float(by_use.reindex(BUILT).fillna(0.0).sum())
    return out


def test_land_use_areas_match_the_kataster(landuse):
    assert set(landuse["use"]) <= set(LANDUSE_CLASSES)
    assert set(BUILT) <= set(landuse["use"])
    got = achieved_ha(landuse)
    assert set(got) == set(fl.LANDUSE_TARGETS_HA)
    for name, target in fl.LANDUSE_TARGETS_HA.items():
        tol = TOLERANCE.get(name, 0.01)
        assert abs(got[name] - target) <= tol * target, (name, got[name], target)
    # the polygons tile the outline: no overlaps, nothing left out
    assert landuse["landuse_id"].is_unique
    union = shapely.union_all(landuse.geometry.buffer(0.5)).buffer(-0.5)
    assert union.area == pytest.approx(landuse.geometry.area.sum(), rel=1e-3)
    assert sum(got.values()) == pytest.approx(facts.CITY_AREA_KM2 * 100, rel=0.01)


def test_the_layout_follows_the_valley(demo_pack_dir, landuse):
    river = _metric(demo_pack_dir, "river").geometry.iloc[0]
    dist = landuse.geometry.centroid.distance(river)
    area = landuse.geometry.area
    mean_dist = (dist * area).groupby(landuse["use"]).sum() / area.groupby(landuse["use"]).sum()
    # built-up land lies on the valley floor, forest on the slopes farther out
    assert mean_dist["residential"] < mean_dist["forest"]
    assert mean_dist["water"] < 200.0


def test_plans_are_the_project_list_facts_with_valid_fields(demo_pack_dir, plans):
    assert 8 <= len(plans) <= 15 and len(plans) == len(fl.PLANS)
    assert plans["plan_id"].is_unique
    assert set(plans["use"]) <= set(PLANNED_USES)
    assert set(plans["status"]) <= set(PLAN_STATUSES)
    assert (plans["dwellings"] >= 0).all()
    assert (plans.geometry.area > 1e4).all() and plans.geometry.is_valid.all()
    districts = _metric(demo_pack_dir, "districts").set_index("name")
    for f, (_, row) in zip(fl.PLANS, plans.iterrows(), strict=True):
        assert row["name"] == f.name and row["plan_id"] == f"vl-{f.list_id}"
        assert districts.geometry[f.ortsteil].contains(row.geometry), f.name
        assert row.geometry.area == pytest.approx(f.area_ha * 1e4, rel=0.25), f.name
    assert {f.ortsteil for f in fl.PLANS} <= {o.name for o in facts.ORTSTEILE}


def test_every_constraint_kind_is_present(constraints):
    assert set(constraints["kind"]) == set(CONSTRAINT_KINDS)
    assert constraints["constraint_id"].is_unique
    assert constraints.geometry.is_valid.all()


def test_the_ventilation_core_lies_inside_its_band(constraints):
    core = shapely.union_all(constraints.geometry[constraints["kind"] == "ventilation_core"])
    band = shapely.union_all(constraints.geometry[constraints["kind"] == "ventilation_band"])
    assert core.area > 0 and band.area > 2 * core.area
    # both are cut to the outline and snapped to 1 m: allow that snapping, nothing more
    assert shapely.difference(core, band.buffer(1.0)).area < 1.0  # m²


def test_hq100_runs_along_the_river(demo_pack_dir, constraints):
    river = _metric(demo_pack_dir, "river").geometry.iloc[0]
    outline = _metric(demo_pack_dir, "outline").geometry.iloc[0]
    flood = shapely.union_all(constraints.geometry[constraints["kind"] == "flood_hq100"])
    inside = shapely.intersection(river, outline)
    assert shapely.intersection(inside, flood).length > 0.95 * inside.length
    # widened on the valley floor, but never far from the river
    assert flood.area > inside.length * 160.0
    assert shapely.difference(flood, river.buffer(600.0)).area < 0.01 * flood.area


def test_heat_hotspots_are_the_hvi_layers_top_class(demo_pack, constraints):
    from layers.heat.vulnerability import PARAMS, classes_for
    from models.heat import indicators

    params = {p.name: p.default for p in PARAMS} | {"level": "grid"}
    res, classes = classes_for(demo_pack, params)
    index = res.frame["index"].to_numpy(dtype=float)
    top = index > classes.breaks[-2]
    cell = 100.0
    cells = indicators(demo_pack, "grid").frame.set_index("unit_id")
    want = cells.loc[res.frame.loc[top, "unit_id"]]
    hot = constraints[constraints["kind"] == "heat_hotspot"]
    # the same cells: 1 ha each (the WGS84 file keeps 6 decimals, ≈ 0.1 m)
    assert hot.geometry.area.sum() == pytest.approx(top.sum() * cell * cell, rel=1e-5)
    centres = shapely.points(want["x"].to_numpy(), want["y"].to_numpy())
    assert shapely.contains(shapely.union_all(hot.geometry), centres).all()


def test_the_demo_plans_have_hard_and_soft_conflicts(demo_pack_dir, capsys):
    rules = demo_pack_dir / "conflict_rules.toml"
    assert rules.read_bytes() == (ROOT / "data" / "demo" / "conflict_rules.toml").read_bytes()
    tomllib.loads(rules.read_text(encoding="utf-8"))
    assert main(["conflicts", "--pack", str(demo_pack_dir), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["rules_reason"] and "conflict_rules.toml" in doc["rules"]
    severities = [c["severity"] for p in doc["plans"] for c in p["conflicts"]]
    assert "hard" in severities and "soft" in severities
    verdicts = {p["plan_id"]: p["severity"] for p in doc["plans"]}
    assert "hard" in verdicts.values() and "soft" in verdicts.values()


def test_the_pack_validates_and_labels_the_theme_synthetic(demo_pack_dir, capsys):
    report = validate_pack(demo_pack_dir)
    assert report.ok and {"landuse", "plans", "constraints"} <= set(report.checked)
    assert {"landuse", "plans", "constraints"} <= set(DATASET_IDS)
    catalog = read_catalog(demo_pack_dir)
    for ds_id in ("landuse", "plans", "constraints"):
        ds = catalog.get(ds_id)
        assert "synthetisch" in ds.title["de"] and "synthetic" in ds.title["en"]
        assert ds.attribution.startswith("Synthetische Demo-Daten")
    assert main(["validate", str(demo_pack_dir)]) == 0
