"""The scenario spec (models/scenario_spec.py): parsing, round trips, refusals, resolution."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.scenario_resolve import resolve
from models.scenario_spec import (
    DEFAULT_CROWN_M2,
    MAX_DISTRICTS,
    Canopy,
    Development,
    GreenRoofs,
    Scenario,
    SpecError,
    Unseal,
    checked,
    from_json,
    from_toml,
    load_spec,
    scenario_key,
    to_json,
    to_toml,
)

ISSUE_EXAMPLE = """\
name = "Mehr Bäume in Neulobeda"
horizon = "today"                 # or "2050" with warming = 1.5 | 2 | 3 (°C)
[[interventions]]
kind = "canopy"                   # canopy | unseal | green_roofs | development
districts = ["Neulobeda"]         # district names or ids; or area = "drawn.geojson"
percent = 10                      # percentage points added to each affected cell, capped at what is possible
"""

# a square of about 700 m × 1.1 km inside the demo city (EPSG:4326, lon/lat)
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[11.58, 50.92], [11.59, 50.92], [11.59, 50.93], [11.58, 50.93], [11.58, 50.92]]
    ],
}
FAR_AWAY = {
    "type": "Polygon",
    "coordinates": [[[1.0, 1.0], [1.01, 1.0], [1.01, 1.01], [1.0, 1.01], [1.0, 1.0]]],
}


def spec(*interventions: dict, **top) -> dict:
    return {"name": "Test", "horizon": "today", **top, "interventions": list(interventions)}


# --- parsing and round trips -----------------------------------------------------------------


def test_the_issues_example_parses():
    s = from_toml(ISSUE_EXAMPLE)
    assert s == Scenario(
        name="Mehr Bäume in Neulobeda",
        horizon="today",
        warming=None,
        interventions=(Canopy(districts=("Neulobeda",), percent=10.0),),
    )
    assert s.version == 1
    assert to_json(s)["version"] == 1


SCENARIOS = {
    "canopy-percent-districts": Scenario(
        "Canopy", "today", None, (Canopy(districts=("Neulobeda", "jena-nord"), percent=12.5),)
    ),
    "canopy-trees-area-file": Scenario(
        "Trees", "2050", 2.0, (Canopy(area="drawn.geojson", trees=500, crown_m2=35.0),)
    ),
    "canopy-trees-inline-area": Scenario(
        "Trees inline", "2050", 1.5, (Canopy(area=SQUARE, trees=10, crown_m2=DEFAULT_CROWN_M2),)
    ),
    "unseal": Scenario("Unseal", "2050", 3.0, (Unseal(area=SQUARE, percent=30.0),)),
    "green_roofs": Scenario(
        "Grüne Dächer „Süd“", "today", None, (GreenRoofs(districts=("x",), share=40.0),)
    ),
    "development-plan": Scenario(
        "Plan", "today", None, (Development(plan="vl-439390", use="residential", dwellings=12),)
    ),
    "development-area": Scenario(
        'Quote " and \\ and\nnewline',
        "today",
        None,
        (Development(area=SQUARE, use="green"), Development(plan="p1")),
    ),
    "no-interventions": Scenario("Only 2050", "2050", 3.0, ()),
}


@pytest.mark.parametrize("scenario", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_every_kind_round_trips_through_toml_and_json(scenario):
    assert from_toml(to_toml(scenario)) == scenario
    assert from_json(to_json(scenario)) == scenario
    assert from_json(json.dumps(to_json(scenario))) == scenario
    assert scenario_key(from_toml(to_toml(scenario))) == scenario_key(scenario)


def test_a_scenario_built_in_code_is_checked_like_a_parsed_one():
    good = Scenario("x", "today", None, (Unseal(districts=("a",), percent=5.0),), base_dir="/d")
    assert checked(good) == good and checked(good).base_dir == "/d"
    with pytest.raises(SpecError, match=r"intervention 1 \(unseal\): percent: .* found -1"):
        checked(Scenario("x", "today", None, (Unseal(districts=("a",), percent=-1.0),)))
    with pytest.raises(TypeError):
        Unseal(districts=("a",))  # type: ignore[call-arg]


def test_defaults_and_forms():
    s = from_json(
        spec(
            {"kind": "canopy", "districts": ["a", 16053], "trees": 7.0},
            {"kind": "development", "plan": "p", "dwellings": None},
            horizon=2050,
            warming=2,
        )
    )
    assert s.horizon == "2050" and s.warming == 2.0
    assert s.interventions[0] == Canopy(
        districts=("a", "16053"), trees=7, crown_m2=DEFAULT_CROWN_M2
    )
    assert s.interventions[1] == Development(plan="p")  # null stands for a missing key
    # the inline area keeps type and coordinates only, detached from the caller's dict
    area = {**json.loads(json.dumps(SQUARE)), "crs": None, "bbox": [0, 0, 1, 1]}
    s2 = from_json(spec({"kind": "unseal", "area": area, "percent": 5}))
    assert s2.interventions[0].area == SQUARE
    area["coordinates"][0][0][0] = 99.0
    assert s2.interventions[0].area["coordinates"][0][0][0] == 11.58
    # TOML takes the inline area as an inline table or a sub-table
    sub = from_toml(
        'name = "x"\nhorizon = "today"\n[[interventions]]\nkind = "unseal"\npercent = 5\n'
        '[interventions.area]\ntype = "Polygon"\n'
        "coordinates = [[[11.58, 50.92], [11.59, 50.92], [11.59, 50.93], [11.58, 50.92]]]\n"
    )
    assert sub.interventions[0].area["type"] == "Polygon"


# --- refusals --------------------------------------------------------------------------------


def intervention(**fields) -> dict:
    return spec(fields)


CANOPY = {"kind": "canopy", "districts": ["Neulobeda"]}

REFUSED = [
    (
        "negative percent",
        spec(CANOPY, {"kind": "canopy", "districts": ["a"], "percent": -5}),
        "intervention 2 (canopy): percent: expected a number > 0 and ≤ 100, found -5",
    ),
    (
        "zero percent",
        intervention(kind="unseal", area="a.geojson", percent=0),
        "intervention 1 (unseal): percent: expected a number > 0 and ≤ 100, found 0",
    ),
    (
        "percent over 100",
        intervention(kind="unseal", area="a.geojson", percent=100.5),
        "percent: expected a number > 0 and ≤ 100, found 100.5",
    ),
    (
        "bool is no number",
        intervention(**CANOPY, percent=True),
        "intervention 1 (canopy): percent: expected a number > 0 and ≤ 100, found true",
    ),
    (
        "text is no number",
        intervention(kind="green_roofs", districts=["a"], share="10"),
        'intervention 1 (green_roofs): share: expected a number > 0 and ≤ 100, found "10"',
    ),
    (
        "NaN",
        intervention(**CANOPY, percent=float("nan")),
        "percent: expected a number > 0 and ≤ 100, found nan",
    ),
    (
        "infinity",
        intervention(kind="green_roofs", districts=["a"], share=float("inf")),
        "share: expected a number > 0 and ≤ 100, found inf",
    ),
    (
        "missing amount",
        intervention(kind="unseal", districts=["a"]),
        "intervention 1 (unseal): percent: expected a number > 0 and ≤ 100, found nothing",
    ),
    (
        "both percent and trees",
        intervention(**CANOPY, percent=5, trees=10),
        "intervention 1 (canopy): percent/trees: expected either percent or trees, found both",
    ),
    (
        "neither percent nor trees",
        intervention(**CANOPY),
        "intervention 1 (canopy): percent/trees: expected either percent or trees, found neither",
    ),
    (
        "fractional trees",
        intervention(**CANOPY, trees=2.5),
        "trees: expected a whole number from 1 to 1,000,000, found 2.5",
    ),
    (
        "too many trees",
        intervention(**CANOPY, trees=1_000_001),
        "trees: expected a whole number from 1 to 1,000,000, found 1000001",
    ),
    (
        "crown too large",
        intervention(**CANOPY, trees=10, crown_m2=1001),
        "crown_m2: expected a number from 1 to 1,000 (m² of crown per tree), found 1001",
    ),
    (
        "crown with percent",
        intervention(**CANOPY, percent=5, crown_m2=30),
        "crown_m2: expected a crown area only with trees, not with percent, found 30",
    ),
    (
        "unknown kind",
        intervention(kind="trees", districts=["a"]),
        'intervention 1: kind: expected one of canopy, unseal, green_roofs, development, found "trees"',
    ),
    (
        "missing kind",
        intervention(districts=["a"]),
        "intervention 1: kind: expected one of canopy, unseal, green_roofs, development, found nothing",
    ),
    (
        "unknown field of a kind",
        intervention(kind="unseal", districts=["a"], percent=5, share=3),
        "intervention 1 (unseal): share: expected a field of unseal (kind, districts, area, "
        "percent), found an unknown field",
    ),
    (
        "intervention not a table",
        spec("canopy"),
        'intervention 1: expected a table with a kind, found "canopy"',
    ),
    (
        "empty district list",
        intervention(kind="unseal", districts=[], percent=5),
        "intervention 1 (unseal): districts: expected a list of 1 to 200 district names or ids, "
        "found an empty list",
    ),
    (
        "huge district list",
        intervention(kind="unseal", districts=["a"] * (MAX_DISTRICTS + 1), percent=5),
        "districts: expected a list of 1 to 200 district names or ids, found a list of 201 items",
    ),
    (
        "huge district name",
        intervention(kind="unseal", districts=["ok", "x" * 201], percent=5),
        "intervention 1 (unseal): districts[2]: expected a district name or id of 1 to 200 "
        'characters, found "xxxx',
    ),
    (
        "district not text",
        intervention(kind="unseal", districts=[True], percent=5),
        "districts[1]: expected a district name or id of 1 to 200 characters, found true",
    ),
    (
        "districts not a list",
        intervention(kind="unseal", districts="Neulobeda", percent=5),
        'districts: expected a list of 1 to 200 district names or ids, found "Neulobeda"',
    ),
    (
        "both districts and area",
        intervention(kind="unseal", districts=["a"], area="a.geojson", percent=5),
        "intervention 1 (unseal): districts/area: expected either districts or area, found both",
    ),
    (
        "neither districts nor area",
        intervention(kind="green_roofs", share=5),
        "intervention 1 (green_roofs): districts/area: expected either districts or area, "
        "found neither",
    ),
    (
        "area of a point",
        intervention(kind="unseal", area={"type": "Point", "coordinates": [1, 2]}, percent=5),
        "area: expected a path to a GeoJSON polygon file or a GeoJSON Polygon or MultiPolygon "
        'geometry, found a table of type "Point"',
    ),
    (
        "empty area path",
        intervention(kind="unseal", area=" ", percent=5),
        "area: expected a path to a GeoJSON polygon file or a GeoJSON Polygon or MultiPolygon "
        'geometry (a path of 1 to 1,000 characters), found " "',
    ),
    (
        "area with a null position",
        intervention(
            kind="unseal", area={"type": "Polygon", "coordinates": [[[1, 2], [1, None]]]}, percent=5
        ),
        "area: expected a GeoJSON Polygon geometry with coordinates nested 3 lists deep with "
        "finite numbers ([lon, lat] positions), found a list of 2 items as a position",
    ),
    (
        "area with a million positions",
        intervention(
            kind="unseal", area={"type": "Polygon", "coordinates": [[[0, 0]] * 10**6]}, percent=5
        ),
        "area: expected a GeoJSON Polygon geometry with at most 5,000 positions, found more",
    ),
    (
        "development: both plan and area",
        intervention(kind="development", plan="p", area="a.geojson", use="green"),
        "intervention 1 (development): plan/area: expected either plan or area, found both",
    ),
    (
        "development: neither",
        intervention(kind="development", use="green"),
        "intervention 1 (development): plan/area: expected either plan or area, found neither",
    ),
    (
        "development: unknown use",
        intervention(kind="development", plan="p", use="housing"),
        "intervention 1 (development): use: expected a planned use (residential, mixed, "
        'commercial, industrial, public, infrastructure, green), found "housing"',
    ),
    (
        "development: drawn area without a use",
        intervention(kind="development", area="a.geojson"),
        "use: expected a planned use for a drawn area (residential, mixed, commercial, "
        "industrial, public, infrastructure, green), found nothing",
    ),
    (
        "development: negative dwellings",
        intervention(kind="development", plan="p", dwellings=-1),
        "intervention 1 (development): dwellings: expected a whole number from 0 to 100,000, "
        "found -1",
    ),
    (
        "development: empty plan id",
        intervention(kind="development", plan=""),
        'plan: expected a plan id of 1 to 200 characters, found ""',
    ),
    (
        "unknown top-level key",
        {**spec(), "colour": "red"},
        "colour: expected one of the keys version, name, horizon, warming, interventions, "
        "found an unknown key",
    ),
    (
        "missing name",
        {"horizon": "today"},
        "name: expected a text of 1 to 200 characters, found nothing",
    ),
    (
        "huge name",
        spec(name="n" * 201),
        "name: expected a text of 1 to 200 characters, found",
    ),
    ("unknown horizon", spec(horizon="2040"), 'horizon: expected "today" or "2050", found "2040"'),
    (
        "2050 without warming",
        spec(horizon="2050"),
        'warming: expected one of 1.5, 2 or 3 (°C) for horizon "2050", found nothing',
    ),
    (
        "2050 with another warming",
        spec(horizon="2050", warming=4),
        'warming: expected one of 1.5, 2 or 3 (°C) for horizon "2050", found 4',
    ),
    (
        "today with warming",
        spec(warming=2),
        'warming: expected no warming for horizon "today" (it belongs to "2050"), found 2',
    ),
    (
        "interventions not a list",
        {**spec(), "interventions": {"kind": "canopy"}},
        "interventions: expected a list of [[interventions]] tables, found a table",
    ),
    (
        "too many interventions",
        spec(*[{"kind": "unseal", "districts": ["a"], "percent": 1}] * 101),
        "interventions: expected at most 100 interventions, found a list of 101 items",
    ),
    (
        "another version",
        spec(version=2),
        "version: expected one of the versions known (1), found 2",
    ),
    ("not a table", ["a"], "expected a table with name, horizon and interventions, found a list"),
]


@pytest.mark.parametrize(("raw", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_each_refusal_says_what_was_expected_and_found(raw, message):
    with pytest.raises(SpecError) as err:
        from_json(raw)
    assert message in str(err.value)
    assert isinstance(err.value, ValueError)
    assert len(str(err.value)) < 2000  # never a whole payload


def test_every_problem_is_reported_together_one_a_line():
    raw = spec(
        {"kind": "canopy", "districts": [], "percent": -5},
        {"kind": "trees"},
        {"kind": "development", "plan": "p", "dwellings": True},
        horizon="2050",
        name="",
    )
    with pytest.raises(SpecError) as err:
        from_json(raw)
    lines = str(err.value).splitlines()
    assert len(err.value.problems) == len(lines) == 6
    assert [p.number for p in err.value.problems] == [None, None, 1, 1, 2, 3]


def test_toml_messages_name_the_file_and_line():
    text = (
        'name = "x"\n'  # 1
        'horizon = "today"\n'  # 2
        "[[interventions]]\n"  # 3
        'kind = "canopy"\n'  # 4
        'districts = ["a"]\n'  # 5
        "percent = 10\n"  # 6
        "[[interventions]]\n"  # 7
        'kind = "unseal"\n'  # 8
        'districts = ["a"]\n'  # 9
        "percent = -5\n"  # 10
    )
    with pytest.raises(SpecError) as err:
        from_toml(text, source="spec.toml")
    assert str(err.value) == (
        "spec.toml:10: intervention 2 (unseal): percent: expected a number > 0 and ≤ 100, found -5"
    )
    with pytest.raises(SpecError) as err:
        from_toml(text.replace("percent = -5\n", ""))
    assert str(err.value).startswith("line 7: intervention 2 (unseal): percent:")


def test_a_toml_syntax_error_names_the_line():
    with pytest.raises(SpecError) as err:
        from_toml('name = "x"\n[[interventions]\nkind = 1\n', source="s.toml")
    assert str(err.value).startswith("s.toml:2: TOML syntax error:")
    assert "line 2" in str(err.value)


def test_toml_nan_and_a_json_syntax_error_are_refused():
    with pytest.raises(SpecError, match=r"share: expected a number > 0 and ≤ 100, found nan"):
        from_toml(
            'name = "x"\nhorizon = "today"\n[[interventions]]\nkind = "green_roofs"\n'
            'districts = ["a"]\nshare = nan\n'
        )
    with pytest.raises(SpecError, match="JSON syntax error"):
        from_json('{"name": ')
    with pytest.raises(SpecError, match="JSON syntax error"):
        from_json("[" * 100_000)


def test_a_missing_spec_file_is_named(tmp_path):
    with pytest.raises(SpecError, match=r"nope\.toml: file not found"):
        load_spec(tmp_path / "nope.toml")


# --- resolution on the demo pack -------------------------------------------------------------


def resolve_json(pack, *interventions, base_dir=None):
    return resolve(from_json(spec(*interventions)), pack, base_dir=base_dir)


def test_districts_by_name_and_id_case_insensitive(demo_pack):
    r = resolve_json(
        demo_pack,
        {"kind": "canopy", "districts": ["NEULOBEDA", "jena-sued", "Jena-Süd"], "percent": 5},
    )
    (item,) = r.interventions
    assert item.districts == ("neulobeda", "jena-sued")  # each once
    assert item.kind == "canopy" and item.number == 1
    frame = demo_pack.metric("districts").set_index("district_id")
    want = frame.loc[["neulobeda", "jena-sued"]].geometry.union_all()
    assert item.geometry.symmetric_difference(want).area < 1.0
    assert r.crs == str(demo_pack.city.metric_crs)


def test_ids_match_exactly(demo_pack):
    with pytest.raises(SpecError, match=r'found "NEULOBEDA-X"'):
        resolve_json(demo_pack, {"kind": "unseal", "districts": ["NEULOBEDA-X"], "percent": 5})


def test_an_unknown_district_names_close_matches(demo_pack):
    with pytest.raises(SpecError) as err:
        resolve_json(
            demo_pack,
            {"kind": "canopy", "districts": ["Neulobda", "Nirgendwo"], "percent": 5},
        )
    text = str(err.value)
    assert (
        "intervention 1 (canopy): districts[1]: expected a district name or id of the pack, "
        'found "Neulobda"; close matches: "Neulobeda" (neulobeda)'
    ) in text
    assert 'districts[2]: expected a district name or id of the pack, found "Nirgendwo"' in text
    with pytest.raises(SpecError, match=r'"Lobeda-Altstadt" \(lobeda-altstadt\)'):
        resolve_json(demo_pack, {"kind": "canopy", "districts": ["Lobeda"], "percent": 5})


def test_a_plan_gives_its_geometry_use_and_dwellings(demo_pack):
    plans = demo_pack.metric("plans").set_index("plan_id")
    r = resolve_json(
        demo_pack,
        {"kind": "development", "plan": "vl-439390"},
        {"kind": "development", "plan": "vl-439390", "use": "green", "dwellings": 0},
    )
    first, second = r.interventions
    assert (first.plan_id, first.use, first.dwellings) == ("vl-439390", "mixed", 180)
    assert first.geometry.equals(plans.loc["vl-439390"].geometry)
    assert (second.use, second.dwellings) == ("green", 0)


def test_an_unknown_plan_lists_the_known_ids(demo_pack):
    with pytest.raises(SpecError) as err:
        resolve_json(demo_pack, {"kind": "development", "plan": "vl-1"})
    assert str(err.value).startswith(
        "intervention 1 (development): plan: expected a plan id of the pack (vl-439390, "
    )
    assert str(err.value).endswith('found "vl-1"')


def _write_area(folder: Path, name: str, geometry: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    doc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": geometry}],
    }
    path = folder / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_an_area_file_is_read_relative_to_the_spec(demo_pack, tmp_path, monkeypatch):
    _write_area(tmp_path / "plans", "drawn.geojson", SQUARE)
    spec_file = tmp_path / "spec.toml"
    spec_file.write_text(
        'name = "x"\nhorizon = "today"\n[[interventions]]\nkind = "unseal"\n'
        'area = "plans/drawn.geojson"\npercent = 20\n'
        '[[interventions]]\nkind = "development"\narea = "plans/drawn.geojson"\nuse = "residential"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path / "plans")  # not the folder the path is relative to
    s = load_spec(spec_file)
    r = resolve(s, demo_pack)
    unseal, dev = r.interventions
    assert unseal.districts == () and 7e5 < unseal.geometry.area < 9e5  # m², metric CRS
    assert (dev.use, dev.dwellings) == ("residential", 0)
    inline = resolve_json(demo_pack, {"kind": "unseal", "area": SQUARE, "percent": 20})
    assert inline.interventions[0].geometry.equals(unseal.geometry)


def test_area_files_that_cannot_be_used_are_named(demo_pack, tmp_path):
    _write_area(tmp_path, "point.geojson", {"type": "Point", "coordinates": [11.58, 50.92]})
    (tmp_path / "two.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [{}, {}]}), encoding="utf-8"
    )
    (tmp_path / "broken.geojson").write_text("{", encoding="utf-8")
    with pytest.raises(SpecError) as err:
        resolve_json(
            demo_pack,
            *(
                {"kind": "unseal", "area": name, "percent": 5}
                for name in ("missing.geojson", "point.geojson", "two.geojson", "broken.geojson")
            ),
            base_dir=tmp_path,
        )
    lines = str(err.value).splitlines()
    assert lines[0] == (
        "intervention 1 (unseal): area: missing.geojson: expected a GeoJSON file, found no such file"
    )
    assert lines[1].startswith(
        "intervention 2 (unseal): area: point.geojson: The drawing is a Point"
    )
    assert lines[2] == (
        "intervention 3 (unseal): area: two.geojson: expected one polygon feature, found 2 features"
    )
    assert lines[3].startswith("intervention 4 (unseal): area: broken.geojson: expected a GeoJSON")
    assert str(tmp_path) not in str(err.value)  # no server path


def test_an_area_path_without_a_spec_folder_is_refused(demo_pack, tmp_path):
    path = _write_area(tmp_path, "drawn.geojson", SQUARE)
    with pytest.raises(SpecError, match="expected a spec file's folder to read it from"):
        resolve_json(demo_pack, {"kind": "unseal", "area": str(path), "percent": 5})


def test_an_area_outside_the_city_is_refused_with_check_drawings_message(demo_pack):
    with pytest.raises(SpecError) as err:
        resolve_json(
            demo_pack,
            {"kind": "canopy", "districts": ["Neulobeda"], "percent": 5},
            {"kind": "green_roofs", "area": FAR_AWAY, "share": 50},
        )
    assert str(err.value) == (
        "intervention 2 (green_roofs): area: the inline geometry: The drawing is outside the "
        "city: it does not overlap the city area."
    )


class _Stub:
    """A pack with only the given metric datasets (and the demo's city)."""

    def __init__(self, pack, **frames):
        self.city = pack.city
        self.frames = frames

    def has(self, dataset_id):
        return dataset_id in self.frames

    def metric(self, dataset_id):
        return self.frames[dataset_id]


def test_a_pack_without_districts_or_plans_refuses_them(demo_pack):
    with pytest.raises(SpecError) as err:
        resolve_json(
            _Stub(demo_pack),
            {"kind": "unseal", "districts": ["a"], "percent": 5},
            {"kind": "development", "plan": "p"},
        )
    assert str(err.value).splitlines() == [
        "intervention 1 (unseal): districts: expected a pack with a districts dataset, found none",
        "intervention 2 (development): plan: expected a pack with a plans dataset, found none",
    ]


def test_a_name_shared_by_two_districts_asks_for_the_id(demo_pack):
    frame = demo_pack.metric("districts").iloc[:2].copy()
    frame["name"] = ["Mitte", "mitte"]
    stub = _Stub(demo_pack, districts=frame)
    ids = list(frame["district_id"])
    with pytest.raises(SpecError, match=f"the name of several \\(ids {ids[0]}, {ids[1]}\\)"):
        resolve_json(stub, {"kind": "unseal", "districts": ["MITTE"], "percent": 5})
    r = resolve_json(stub, {"kind": "unseal", "districts": [ids[1]], "percent": 5})
    assert r.interventions[0].districts == (ids[1],)
