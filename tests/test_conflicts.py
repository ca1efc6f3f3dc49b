"""The conflict rule engine on hand-made squares in EPSG:25832 (areas computed by hand).

Plans (metres from ORIGIN):

* P1 residential, 0–200 × 0–200 (4 ha): flood zones F1 (0–100 × 0–100 inside the plan) and F2
  (0–100 × 0–150) overlap — their union inside the plan is 1.5 ha, not 1 + 1.5; the
  ventilation core C1 covers 150–200 × 0–200 (1 ha); the band B1 100–200 × 0–200 (2 ha).
* P2 green, 1000–1100 × 0–100 (1 ha): nature N1 covers half (0.5 ha); a heat hotspot covers
  it all, but no rule makes a green space in a hotspot a conflict.
* P3 commercial, 2000–2100 × 500–600 (1 ha): only touches a flood zone along an edge.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from data.landuse_vocab import BUILDING_USES, CONSTRAINT_KINDS
from models.conflict_rules import RuleFileError, load_rules, parse_rules
from models.conflicts import assess, assess_one, index_constraints

ROOT = Path(__file__).resolve().parents[1]
RULES = Path(__file__).parent / "fixtures" / "conflicts" / "rules.toml"
DEMO_RULES = ROOT / "data" / "demo" / "conflict_rules.toml"
CRS = "EPSG:25832"
X0, Y0 = 680_000.0, 5_642_000.0
HA = 10_000.0


def sq(x1: float, y1: float, x2: float, y2: float) -> Polygon:
    return box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


def plans_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "plan_id": ["P1", "P2", "P3"],
            "name": ["Am Fluss", "Park", "Gewerbe"],
            "use": ["residential", "green", "commercial"],
            "dwellings": [120, None, 0],
            "status": ["planning", "idea", "approved"],
        },
        geometry=[sq(0, 0, 200, 200), sq(1000, 0, 1100, 100), sq(2000, 500, 2100, 600)],
        crs=CRS,
    )


def constraints_frame() -> gpd.GeoDataFrame:
    rows = [
        ("F1", "flood_hq100", sq(-100, -100, 100, 100)),
        ("F2", "flood_hq100", sq(0, 0, 100, 150)),
        ("C1", "ventilation_core", sq(150, 0, 300, 300)),
        ("B1", "ventilation_band", sq(100, -100, 400, 300)),
        ("N1", "nature_protected", sq(1050, 0, 2000, 100)),
        ("H1", "heat_hotspot", sq(900, -100, 1200, 200)),
        ("T1", "flood_hq100", sq(2100, 500, 2200, 600)),
        ("G1", "green_corridor", sq(5000, 5000, 5100, 5100)),  # no rule overlays it
    ]
    return gpd.GeoDataFrame(
        {"constraint_id": [r[0] for r in rows], "kind": [r[1] for r in rows]},
        geometry=[r[2] for r in rows],
        crs=CRS,
    )


# hand-computed overlays, m²
EXPECTED = {
    "P1": {"flood_hq100": 1.5 * HA, "ventilation_core": 1.0 * HA, "ventilation_band": 2.0 * HA},
    "P2": {"nature_protected": 0.5 * HA},
    "P3": {},
}


@pytest.fixture(scope="module")
def rules():
    return load_rules(RULES)


@pytest.fixture(scope="module")
def result(rules):
    return assess(plans_frame(), constraints_frame(), rules)


def close(a: float, b: float, rel: float = 1e-3) -> bool:
    return abs(a - b) <= rel * max(abs(b), 1e-9)


# --- areas, shares, scores, matrix -----------------------------------------------------------


def test_conflict_areas_equal_the_hand_computed_overlays(result):
    for plan in result.plans:
        assert set(plan.kind_areas) == set(EXPECTED[plan.plan_id]), plan.plan_id
        for kind, m2 in EXPECTED[plan.plan_id].items():
            assert close(plan.kind_areas[kind], m2), (plan.plan_id, kind, plan.kind_areas[kind])
    p1 = result.plan("P1")
    assert close(p1.area_ha, 4.0)
    by_rule = {h.rule.id: h for h in p1.hits}
    assert list(by_rule) == ["core-hard", "flood-hard", "band-soft"]  # file order
    assert close(by_rule["flood-hard"].area_ha, 1.5) and close(by_rule["flood-hard"].share, 0.375)
    assert close(by_rule["core-hard"].share, 0.25) and close(by_rule["band-soft"].share, 0.5)
    assert by_rule["flood-hard"].constraint_ids == ("F1", "F2")
    # the conflict polygon is the overlay itself
    assert by_rule["flood-hard"].geometry.equals(sq(0, 0, 100, 150))
    # footprint: flood (1.5) + band (2; the core lies inside the band) = 3.5 ha
    assert close(p1.footprint_m2, 3.5 * HA)


def test_conflict_areas_equal_a_geopandas_overlay_on_irregular_shapes(rules):
    rng = np.random.default_rng(7)

    def blob(cx: float, cy: float, r: float) -> Polygon:
        angles = np.sort(rng.uniform(0, 2 * np.pi, 12))
        radii = r * rng.uniform(0.6, 1.0, 12)
        return Polygon(
            zip(X0 + cx + radii * np.cos(angles), Y0 + cy + radii * np.sin(angles), strict=True)
        )

    plans = gpd.GeoDataFrame(
        {"plan_id": [f"Q{i}" for i in range(6)], "use": ["residential"] * 6},
        geometry=[blob(300 * i, 0, 180) for i in range(6)],
        crs=CRS,
    )
    kinds = ["flood_hq100", "ventilation_band", "heat_hotspot"]
    cons = gpd.GeoDataFrame(
        {"constraint_id": [f"K{i}" for i in range(30)], "kind": [kinds[i % 3] for i in range(30)]},
        geometry=[blob(rng.uniform(-100, 1700), rng.uniform(-200, 200), 150) for _ in range(30)],
        crs=CRS,
    )
    res = assess(plans, cons, rules)
    overlay = gpd.overlay(plans, cons.dissolve("kind").reset_index(), how="intersection")
    expected = overlay.assign(a=overlay.area).groupby(["plan_id", "kind"])["a"].sum()
    got = {(p.plan_id, k): a for p in res.plans for k, a in p.kind_areas.items()}
    assert set(got) == {k for k, v in expected.items() if v >= 1.0}
    for key, area in got.items():
        assert close(area, float(expected[key])), key


def test_matrix_sums_equal_the_conflict_areas(result):
    m = result.matrix
    assert list(m.index) == ["residential", "commercial", "green"]
    assert list(m.columns) == [
        k for k in CONSTRAINT_KINDS if k != "cold_air" and k != "green_corridor"
    ]
    assert close(m.loc["residential", "flood_hq100"], 1.5)
    assert close(m.loc["residential", "ventilation_core"], 1.0)
    assert close(m.loc["green", "nature_protected"], 0.5)
    assert m.loc["green", "heat_hotspot"] == 0.0  # no rule for green spaces in hotspots
    assert m.loc["commercial"].sum() == 0.0  # a shared edge is no conflict
    every = sum(a for p in result.plans for a in p.kind_areas.values()) / HA
    assert close(float(m.to_numpy().sum()), every)
    assert close(result.total_conflict_ha, 5.0)
    for kind in m.columns:
        per_kind = sum(p.kind_areas.get(kind, 0.0) for p in result.plans) / HA
        assert close(float(m[kind].sum()), per_kind) or per_kind == 0.0


def test_overlapping_constraints_of_one_kind_are_not_double_counted(rules):
    plans = plans_frame().iloc[[0]]
    single = assess(plans, constraints_frame().iloc[[1]], rules)  # F2 alone: 1.5 ha
    both = assess(plans, constraints_frame(), rules)
    twice = constraints_frame()
    twice = gpd.GeoDataFrame(
        [*twice.itertuples(index=False), *twice.itertuples(index=False)], crs=CRS
    ).set_geometry("geometry")
    doubled = assess(plans, twice, rules)
    flood = [r.plan("P1").kind_areas["flood_hq100"] for r in (single, both, doubled)]
    assert all(close(a, 1.5 * HA) for a in flood)
    assert close(doubled.plan("P1").score, both.plan("P1").score)


def test_score_severity_and_verdicts(result):
    p1, p2, p3 = (result.plan(i) for i in ("P1", "P2", "P3"))
    assert close(p1.score, 3 * 0.25 + 3 * 0.375 + 1 * 0.5)
    assert p1.hard and p1.severity == "hard" and not p1.exception_possible
    assert p1.verdict("en") == "hard"  # the core rule has no exception
    assert close(p2.score, 3 * 0.5) and p2.verdict("de") == "hart"
    assert p3.hits == () and p3.score == 0.0 and p3.severity == "none"
    assert p3.verdict("en") == "no conflict" and p3.verdict("de") == "kein Konflikt"
    assert p1.dwellings == 120 and p2.dwellings is None and p1.status == "planning"


def test_flood_zone_result_names_the_exception_path(rules):
    plans = gpd.GeoDataFrame(
        {"plan_id": ["W"], "use": ["residential"]}, geometry=[sq(-50, -50, 50, 0)], crs=CRS
    )
    plan = assess(plans, constraints_frame(), rules).plan("W")
    (hit,) = plan.hits
    assert hit.rule.id == "flood-hard" and close(hit.share, 1.0)
    assert plan.exception_possible
    assert plan.verdict("en") == "hard, exception possible under § 78 Abs. 2 WHG"
    assert plan.verdict("de") == "hart, Ausnahme möglich nach § 78 Abs. 2 WHG"
    doc = hit.to_dict()
    assert doc["exception"]["en"] == "Exception when all conditions are met."
    assert doc["verdict"]["en"] == "hard, exception possible under § 78 Abs. 2 WHG"


def test_the_demo_rule_file_holds_the_issues_rules():
    rules = load_rules(DEMO_RULES)
    by_kind = {r.constraint: r for r in rules}
    assert set(by_kind) == set(CONSTRAINT_KINDS)
    expected = {
        "ventilation_core": "hard",
        "flood_hq100": "hard",
        "ventilation_band": "soft",
        "nature_protected": "hard",
        "green_corridor": "soft",
        "heat_hotspot": "soft",
        "cold_air": "soft",
    }
    assert {k: r.severity for k, r in by_kind.items()} == expected
    flood = by_kind["flood_hq100"]
    assert "§ 78" in flood.reference and flood.reference_date == "2017-06-30"
    assert flood.verdict("en") == "hard, exception possible under § 78 Abs. 2 WHG"
    assert "§ 78 Abs. 2" in flood.exception["de"] and "green" not in flood.uses
    core = by_kind["ventilation_core"]
    assert "VDI 3787 Blatt 9" in core.reference and core.reference_date.startswith("2004")
    assert core.uses == BUILDING_USES
    for rule in rules:
        assert rule.title["de"] and rule.title["en"] and rule.explanation["en"]


# --- the rule file is data: edits change results without code ----------------------------


def _assess_text(text: str, tmp_path: Path):
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return assess(plans_frame(), constraints_frame(), load_rules(path))


def test_editing_weight_severity_or_adding_a_rule_changes_the_result(tmp_path, result):
    text = RULES.read_text(encoding="utf-8")
    base = result.plan("P1")
    heavier = _assess_text(
        text.replace(
            'weight = 1.0\nreference = "Test guideline A"',
            'weight = 5.0\nreference = "Test guideline A"',
        ),
        tmp_path,
    )
    assert close(heavier.plan("P1").score, base.score + 4 * 0.5)
    softer = _assess_text(
        text.replace(
            'id = "nature-hard"\nuses = ["building", "green"]\n'
            'constraint = "nature_protected"\nseverity = "hard"',
            'id = "nature-hard"\nuses = ["building", "green"]\n'
            'constraint = "nature_protected"\nseverity = "soft"',
        ),
        tmp_path,
    )
    assert result.plan("P2").hard and not softer.plan("P2").hard
    assert softer.plan("P2").verdict("en") == "soft"
    added = _assess_text(
        text + '\n[[rule]]\nid = "green-in-heat"\nuses = ["green"]\nconstraint = "heat_hotspot"\n'
        'severity = "soft"\nweight = 0.5\nreference = "x"\nreference_date = "2020"\n'
        'title = {de = "a", en = "a"}\nexplanation = {de = "b", en = "b"}\n',
        tmp_path,
    )
    p2 = added.plan("P2")
    assert [h.rule.id for h in p2.hits] == ["nature-hard", "green-in-heat"]
    assert close(p2.kind_areas["heat_hotspot"], 1.0 * HA)
    assert close(p2.score, 1.5 + 0.5)
    assert close(added.matrix.loc["green", "heat_hotspot"], 1.0)


# --- rule file errors name the rule and the line ------------------------------------------


def _line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines()) if needle in ln) + 1


BASE = RULES.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "rule_id", "anchor", "message"),
    [
        (
            'constraint = "ventilation_band"',
            'constraint = "ventilation_bnd"',
            "band-soft",
            'constraint = "ventilation_bnd"',
            "unknown constraint 'ventilation_bnd'",
        ),
        (
            'uses = ["building", "green"]',
            'uses = ["building", "housing"]',
            "nature-hard",
            'uses = ["building", "housing"]',
            "unknown use 'housing'",
        ),
        (
            'severity = "soft"\nweight = 1.0\nreference = "Test guideline A"',
            'severity = "medium"\nweight = 1.0\nreference = "Test guideline A"',
            "band-soft",
            'severity = "medium"',
            "bad severity 'medium'",
        ),
        (
            'weight = 3.0\nreference = "Test law § 23"',
            'weight = 0\nreference = "Test law § 23"',
            "nature-hard",
            "weight = 0",
            "bad weight 0",
        ),
        (
            'weight = 3.0\nreference = "Test law § 23"',
            'weight = "heavy"\nreference = "Test law § 23"',
            "nature-hard",
            'weight = "heavy"',
            "bad weight 'heavy'",
        ),
        (
            'weight = 3.0\nreference = "Test law § 23"',
            'weight = true\nreference = "Test law § 23"',
            "nature-hard",
            "weight = true",
            "bad weight True",
        ),
        (
            'id = "hotspot-soft"',
            'id = "core-hard"',
            "core-hard",
            'id = "core-hard"\nuses = "building"\nconstraint = "heat_hotspot"',
            "duplicate id (first used at line 5)",
        ),
        (
            "reference_date = 2009-07-29\n",
            "",
            "nature-hard",
            'id = "nature-hard"',
            "missing field 'reference_date'",
        ),
        (
            'severity = "soft"\nweight = 1.0\nreference = "Test law § 1a"',
            'severty = "soft"\nweight = 1.0\nreference = "Test law § 1a"',
            "hotspot-soft",
            'severty = "soft"',
            "unknown field 'severty'",
        ),
        (
            'reference_date = "2004-09"',
            'reference_date = "Sept. 2004"',
            "band-soft",
            'reference_date = "Sept. 2004"',
            "bad reference_date 'Sept. 2004'",
        ),
        ('title.de = "Band"\n', "", "band-soft", 'title.en = "Band"', "missing or empty title.de"),
    ],
)
def test_each_rule_file_error_names_the_rule_and_the_line(old, new, rule_id, anchor, message):
    assert old in BASE
    text = BASE.replace(old, new, 1) if old != 'id = "hotspot-soft"' else BASE.replace(old, new)
    with pytest.raises(RuleFileError) as err:
        parse_rules(text, source="rules.toml")
    if "\n" in anchor:  # the duplicate: the second block with that id
        where = text.index(anchor)
        line = text[:where].count("\n") + 1
    elif message.startswith("missing field"):
        line = text[: text.index(anchor)].count("\n")  # the [[rule]] line above the id
    else:
        line = _line_of(text, anchor)
    text_err = str(err.value)
    assert f"rules.toml:{line}: rule {rule_id!r}: {message}" in text_err, text_err
    problem = next(p for p in err.value.problems if p.message.startswith(message))
    assert problem.line == line and problem.rule_id == rule_id


def test_toml_syntax_errors_give_tomllibs_line():
    text = BASE.replace(
        'weight = 1.0\nreference = "Test guideline A"',
        'weight = 1.0 1\nreference = "Test guideline A"',
    )
    line = _line_of(text, "weight = 1.0 1")
    with pytest.raises(RuleFileError) as err:
        parse_rules(text, source="r.toml")
    assert re.search(rf"^r\.toml:{line}: TOML syntax error: .*line {line}", str(err.value))


def test_every_problem_is_listed_and_a_missing_file_is_named(tmp_path):
    text = BASE.replace('constraint = "ventilation_band"', 'constraint = "x"').replace(
        'severity = "soft"\nweight = 1.0\nreference = "Test law § 1a"',
        'severity = "mild"\nweight = 1.0\nreference = "Test law § 1a"',
    )
    with pytest.raises(RuleFileError) as err:
        parse_rules(text)
    assert {p.rule_id for p in err.value.problems} == {"band-soft", "hotspot-soft"}
    with pytest.raises(RuleFileError, match=r"gone\.toml: file not found"):
        load_rules(tmp_path / "gone.toml")
    with pytest.raises(RuleFileError, match=r"no \[\[rule\]\] tables"):
        parse_rules("# nothing\n")


# --- CRS, index, single drawings, bad input ------------------------------------------------


def test_geographic_plans_are_refused_without_a_metric_crs_and_measured_with_one(rules, result):
    wgs = plans_frame().to_crs("EPSG:4326")
    with pytest.raises(ValueError, match=r"EPSG:4326 \(geographic, in degrees\).*metric_crs"):
        assess(wgs, constraints_frame(), rules)
    res = assess(wgs, constraints_frame().to_crs("EPSG:4326"), rules, metric_crs=CRS)
    assert res.crs.to_epsg() == 25832
    for plan in result.plans:
        other = res.plan(plan.plan_id)
        assert set(other.kind_areas) == set(plan.kind_areas)
        for kind, m2 in plan.kind_areas.items():
            assert close(other.kind_areas[kind], m2)
    # metric plans, geographic constraints: the constraints follow the plans
    mixed = assess(plans_frame(), constraints_frame().to_crs("EPSG:4326"), rules)
    assert close(mixed.plan("P1").score, result.plan("P1").score)
    with pytest.raises(ValueError, match="no CRS"):
        assess(plans_frame().set_crs(None, allow_override=True), constraints_frame(), rules)


def test_the_strtree_keeps_far_away_polygons_out_of_the_work(rules, result, monkeypatch):
    far = gpd.GeoDataFrame(
        {
            "constraint_id": [f"far{i}" for i in range(10_000)],
            "kind": ["flood_hq100", "heat_hotspot"] * 5_000,
        },
        geometry=[
            sq(
                20_000 + 30 * (i % 100),
                20_000 + 30 * (i // 100),
                20_010 + 30 * (i % 100),
                20_010 + 30 * (i // 100),
            )
            for i in range(10_000)
        ],
        crs=CRS,
    )
    many = gpd.GeoDataFrame(
        [*constraints_frame().itertuples(index=False), *far.itertuples(index=False)], crs=CRS
    ).set_geometry("geometry")
    index = index_constraints(many)
    calls: list[int] = []
    real = shapely.intersection

    def counting(a, b, *args, **kwargs):
        calls.append(int(np.size(a)))
        return real(a, b, *args, **kwargs)

    monkeypatch.setattr(shapely, "intersection", counting)
    start = time.perf_counter()
    res = assess(plans_frame(), index, rules)
    elapsed = time.perf_counter() - start
    assert sum(calls) == 6  # P1 × F1, F2, C1, B1; P2 × N1; P3 × T1 (the edge)
    assert elapsed < 1.0, elapsed
    for plan in result.plans:
        assert res.plan(plan.plan_id).kind_areas == pytest.approx(plan.kind_areas)


def test_assess_one_takes_a_drawing_in_lon_lat_through_the_same_path(rules, result):
    drawn = plans_frame().to_crs("EPSG:4326").geometry.iloc[0]
    index = index_constraints(constraints_frame())
    for cons in (index, constraints_frame()):
        one = assess_one(drawn, "residential", 120, cons, rules, crs="EPSG:4326", name="Skizze")
        (plan,) = one.plans
        assert plan.plan_id == "drawn" and plan.name == "Skizze" and plan.dwellings == 120
        assert plan.kind_areas == pytest.approx(result.plan("P1").kind_areas, rel=1e-3)
        assert close(float(one.matrix.to_numpy().sum()), 4.5)
    doc = json.loads(json.dumps(one.to_dict(geometry=True)))
    hit = doc["plans"][0]["conflicts"][0]
    lon, lat = hit["geometry"]["coordinates"][0][0]
    assert 11 < lon < 12 and 50 < lat < 51
    assert doc["matrix"]["total"] == pytest.approx(4.5)
    assert doc["matrix"]["hectares"][0][doc["matrix"]["kinds"].index("flood_hq100")] == 1.5
    # a green space drawn there: only the rules for green spaces apply
    green = assess_one(drawn, "green", None, index, rules, crs="EPSG:4326")
    assert green.plans[0].hits == ()


def test_to_dict_is_json_and_carries_rules_explanations_and_labels(result):
    doc = result.to_dict()
    text = json.dumps(doc, ensure_ascii=False)
    assert "geometry" not in text
    p1 = doc["plans"][0]
    assert p1["plan_id"] == "P1" and p1["severity"] == "hard"
    assert p1["kinds_ha"] == {"ventilation_core": 1.0, "flood_hq100": 1.5, "ventilation_band": 2.0}
    assert p1["conflicts"][1]["explanation"]["de"] == "Überschwemmungsgebiet."
    assert doc["labels"]["kinds"]["flood_hq100"]["de"] == "Überschwemmungsgebiet HQ100"
    assert doc["matrix"]["total"] == pytest.approx(sum(doc["matrix"]["use_totals"]))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda f: f.assign(use=["residential", "park", "commercial"]),
            "unknown use 'park' in P2; known: residential",
        ),
        (lambda f: f.assign(plan_id=["P1", "P1", "P3"]), "plan_id not unique: P1"),
        (lambda f: f.drop(columns="use"), "missing column\\(s\\) use"),
        (
            lambda f: f.set_geometry(
                [f.geometry.iloc[0], f.geometry.iloc[1].boundary, f.geometry.iloc[2]], crs=CRS
            ),
            "expected Polygon or MultiPolygon, found LineString in P2",
        ),
        (
            lambda f: f.set_geometry(
                [
                    Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 10, Y0), (X0, Y0 + 10)]),
                    *f.geometry.iloc[1:],
                ],
                crs=CRS,
            ),
            "invalid geometry in P1 \\(Self-intersection",
        ),
    ],
)
def test_bad_plans_are_refused_naming_the_plan(rules, change, message):
    with pytest.raises(ValueError, match=message):
        assess(change(plans_frame()), constraints_frame(), rules)


def test_unknown_constraint_kinds_are_refused_naming_the_zone(rules):
    cons = constraints_frame()
    cons.loc[2, "kind"] = "airport"
    with pytest.raises(ValueError, match="unknown kind 'airport' in C1; known: cold_air"):
        assess(plans_frame(), cons, rules)
