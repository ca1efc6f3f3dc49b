"""Draw to assess in the app: the session store, the drawing tool's reports, the form, plan
files, the export and the callback's logic (dashboard.drawn_plans,
dashboard.callbacks.drawn_plans), on the demo pack. The browser test draws for real."""

from __future__ import annotations

import base64
import io
import json
import time
import zipfile

import geopandas as gpd
import pytest
from shapely.geometry import box, mapping

from dashboard import drawn_engine, drawn_plans, drawn_view, ids
from dashboard.callbacks import drawn_plans as callbacks

PAGE = "view1:0"


@pytest.fixture(scope="module")
def plans(demo_pack_dir):
    return gpd.read_file(demo_pack_dir / "plans.geojson").to_crs("EPSG:4326")


@pytest.fixture(scope="module")
def city(demo_ctx):
    return drawn_engine.city_of(demo_ctx)


def _square(lon: float, lat: float, d: float = 0.001) -> dict:
    return json.loads(json.dumps(mapping(box(lon - d, lat - d, lon + d, lat + d))))


def _report(*shapes: tuple[int, dict], kind: str = "polygon") -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"type": kind, "_leaflet_id": lid}, "geometry": g}
            for lid, g in shapes
        ],
    }


def _name(n: int) -> str:
    return f"Vorhaben {n}"


def _plan_of(plans, name: str) -> dict:
    geom = plans[plans["name"] == name].geometry.iloc[0]
    return json.loads(json.dumps(mapping(geom)))


def test_a_drawn_shape_becomes_a_plan_and_is_assessed(demo_ctx, city, plans):
    inselplatz = _plan_of(plans, "Inselplatz")  # in a ventilation corridor's core
    store, message = drawn_plans.sync(
        drawn_plans.empty(), _report((7, inselplatz)), PAGE, demo_ctx.pack, city, _name
    )
    assert message is None
    [plan] = store["plans"]
    assert plan["name"] == "Vorhaben 1" and plan["lid"] == 7 and plan["error"] is None
    assert store["current"] == plan["id"]
    result = drawn_engine.assess(demo_ctx, plan)
    assert result["plan"]["hard"] and result["plan"]["conflicts"]
    assert any(c["constraint"] == "ventilation_core" for c in result["plan"]["conflicts"])
    assert result["sealing"]["added_ha"] >= 0 and result["heat"]["radius_m"] == 500
    assert drawn_engine.assess(demo_ctx, plan) is result  # kept: picking again costs nothing
    # the same report again changes nothing
    again, _ = drawn_plans.sync(store, _report((7, inselplatz)), PAGE, demo_ctx.pack, city, _name)
    assert again["plans"] == store["plans"]


def test_edit_and_delete_with_the_tool(demo_ctx, city, plans):
    a, b = _square(11.594, 50.931), _square(11.60, 50.94)
    store, _ = drawn_plans.sync(
        drawn_plans.empty(), _report((1, a), (2, b)), PAGE, demo_ctx.pack, city, _name
    )
    assert [p["name"] for p in store["plans"]] == ["Vorhaben 1", "Vorhaben 2"]
    moved = _square(11.595, 50.931)
    store, _ = drawn_plans.sync(
        store, _report((1, moved), (2, b)), PAGE, demo_ctx.pack, city, _name
    )
    assert store["plans"][0]["geometry"] == moved and store["current"] == store["plans"][0]["id"]
    store, _ = drawn_plans.sync(store, _report((2, b)), PAGE, demo_ctx.pack, city, _name)
    assert [p["name"] for p in store["plans"]] == ["Vorhaben 2"]


def test_a_reloaded_tool_finds_its_plans_again(demo_ctx, city):
    a = _square(11.594, 50.931)
    store, _ = drawn_plans.sync(
        drawn_plans.empty(), _report((1, a)), PAGE, demo_ctx.pack, city, _name
    )
    # a new page view draws the plans into a new tool: new Leaflet ids, reported as "mount"
    store2, _ = drawn_plans.sync(
        store, _report((55, a), kind="mount"), "view2:0", demo_ctx.pack, city, _name
    )
    assert len(store2["plans"]) == 1
    assert store2["plans"][0]["lid"] == 55 and store2["plans"][0]["page"] == "view2:0"
    # the old view's ids do not delete anything in the new view
    store3, _ = drawn_plans.sync(store2, _report(), "view2:0", demo_ctx.pack, city, _name)
    assert store3["plans"] == []  # … but the new view's tool emptied by its bin does


@pytest.mark.parametrize(
    ("geometry", "fragment"),
    [
        (  # a bow tie: its outline crosses itself
            {"type": "Polygon", "coordinates": [[[11.59, 50.93], [11.60, 50.94], [11.60, 50.93],
                                                 [11.59, 50.94], [11.59, 50.93]]]},
            "überschneidet sich selbst",
        ),
        (_square(11.594, 50.931, 0.00003), "zu klein"),
        (_square(13.4, 52.5), "außerhalb der Stadt"),
        (_square(11.6, 50.93, 0.5), "größer als die Stadt"),
    ],
)  # fmt: skip
def test_a_refused_drawing_is_kept_with_its_reason(demo_ctx, city, geometry, fragment):
    store, _ = drawn_plans.sync(
        drawn_plans.empty(), _report((3, geometry)), PAGE, demo_ctx.pack, city, _name
    )
    [plan] = store["plans"]  # kept, so it can be reshaped or deleted
    assert fragment in plan["error"]["de"] and plan["error"]["en"]
    result = drawn_engine.assess(demo_ctx, plan)
    assert result == {"error": plan["error"]}


def test_a_million_vertices_are_refused_fast(demo_ctx, city):
    ring = [[11.59 + i * 1e-9, 50.93] for i in range(1_000_000)]
    huge = {"type": "Polygon", "coordinates": [ring]}
    start = time.perf_counter()
    store, _ = drawn_plans.sync(
        drawn_plans.empty(), _report((4, huge)), PAGE, demo_ctx.pack, city, _name
    )
    assert time.perf_counter() - start < 1.0
    assert (
        "5.000" in store["plans"][0]["error"]["de"] or "5,000" in store["plans"][0]["error"]["en"]
    )


@pytest.mark.parametrize(
    "report",
    [None, "x", {"features": "x"}, {"features": [1, "a", None]},
     {"features": [{"properties": {"_leaflet_id": True}, "geometry": {}}]},
     {"features": [{"properties": {"_leaflet_id": 1}, "geometry": "x"}]},
     {"features": [{"properties": [], "geometry": {}}]}],
)  # fmt: skip
def test_crafted_reports_change_nothing(demo_ctx, city, report):
    before = drawn_plans.empty()
    store, _ = drawn_plans.sync(before, report, PAGE, demo_ctx.pack, city, _name)
    assert store["plans"] == []


def test_too_many_shapes_are_refused_with_a_message(demo_ctx, city):
    shapes = [(i, _square(11.58 + i * 0.003, 50.93)) for i in range(drawn_plans.MAX_PLANS + 6)]
    store, message = drawn_plans.sync(
        drawn_plans.empty(), _report(*shapes), PAGE, demo_ctx.pack, city, _name
    )
    assert store["plans"] == [] and message is not None and "20" in message.de


@pytest.mark.parametrize(
    "data",
    [None, [], {"version": 2, "plans": []}, {"version": 1, "plans": "x"},
     {"version": 1, "plans": [{"id": 5, "geometry": {}}]},
     {"version": 1, "plans": [{"id": "a", "geometry": "x"}]}],
)  # fmt: skip
def test_a_crafted_store_is_emptied_not_trusted(data):
    assert drawn_plans.clean_store(data)["plans"] == []


def test_clean_store_keeps_what_fits_and_repairs_the_rest():
    g = _square(11.59, 50.93)
    data = {
        "version": 1,
        "plans": [
            {"id": "a", "geometry": g, "name": "x" * 500, "use": "casino", "dwellings": -4},
            {"id": "a", "geometry": g},  # a duplicate id
            {"id": "b", "geometry": g, "dwellings": True, "lid": True, "name": "\u0000Neu\n"},
        ]
        + [{"id": f"p{i}", "geometry": g} for i in range(40)],
        "current": "zz",
    }
    store = drawn_plans.clean_store(data)
    assert len(store["plans"]) == drawn_plans.MAX_PLANS
    a, b = store["plans"][:2]
    assert len(a["name"]) == drawn_plans.MAX_NAME and a["use"] == drawn_plans.DEFAULT_USE
    assert a["dwellings"] == 0 and b["dwellings"] == 0 and b["lid"] is None and b["name"] == "Neu"
    assert store["current"] == store["plans"][-1]["id"]


def test_the_form_names_and_classifies_the_current_plan():
    store = drawn_plans.clean_store(
        {"version": 1, "plans": [{"id": "a", "geometry": _square(11.59, 50.93)}], "current": "a"}
    )
    new, msg = drawn_plans.update(store, "a", "  Neues   Quartier ", "mixed", 120.0, "de")
    assert msg is None and new["plans"][0] | {"geometry": None} == new["plans"][0] | {
        "name": "Neues Quartier", "use": "mixed", "dwellings": 120, "geometry": None
    }  # fmt: skip
    for use, dwellings in (("casino", 1), ("mixed", -1), ("mixed", 10**9), ("mixed", "12"),
                           ("mixed", 1.5), ("mixed", True)):  # fmt: skip
        same, msg = drawn_plans.update(store, "a", "x", use, dwellings, "de")
        assert same is store and msg is not None and msg.error


def _upload(name: str, raw: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(raw).decode()


def _fc(*features: tuple[dict, dict]) -> bytes:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": p, "geometry": g} for p, g in features],
        }
    ).encode()


def test_a_plan_file_is_read_like_the_importer_reads_it(demo_ctx, city):
    raw = _fc(
        ({"name": "Am Hang", "use": "residential", "dwellings": 40}, _square(11.59, 50.93)),
        ({"name": "Bauhof"}, _square(11.61, 50.94)),
    )
    store, msg = drawn_engine.read_upload(
        drawn_plans.empty(), _upload("x", raw), "neu.geojson", demo_ctx.pack, city
    )
    assert not msg.error and "2" in msg.de
    names = [(p["name"], p["use"], p["dwellings"], p["source"]) for p in store["plans"]]
    assert names == [("Am Hang", "residential", 40, "file"), ("Bauhof", "residential", 0, "file")]


def test_a_zipped_shapefile_in_another_crs(demo_ctx, city, tmp_path):
    frame = gpd.GeoDataFrame(
        {"name": ["Ost"]}, geometry=[box(11.60, 50.93, 11.602, 50.932)], crs="EPSG:4326"
    ).to_crs("EPSG:25832")
    frame.to_file(tmp_path / "plan.shp")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for f in tmp_path.glob("plan.*"):
            z.write(f, f.name)
    store, msg = drawn_engine.read_upload(
        drawn_plans.empty(), _upload("x", buf.getvalue()), "plan.zip", demo_ctx.pack, city
    )
    assert not msg.error, msg.de
    lon, lat = store["plans"][0]["geometry"]["coordinates"][0][0]
    assert 11.59 < lon < 11.61 and 50.92 < lat < 50.94  # back in lon/lat


@pytest.mark.parametrize(
    ("filename", "raw", "fragment"),
    [
        ("plan.exe", b"MZ", "erwartet wird GeoJSON"),
        ("plan.geojson", b"", "leer"),
        ("plan.geojson", b"{not json", "nicht übernommen"),
        ("plan.geojson", _fc(({}, {"type": "LineString", "coordinates": [[11.5, 50.9], [11.6, 50.9]]})),
         "LineString"),
        ("plan.geojson", _fc(({}, _square(13.4, 52.5))), "außerhalb der Stadt"),
    ],
)  # fmt: skip
def test_a_refused_file_changes_nothing(demo_ctx, city, filename, raw, fragment):
    before = drawn_plans.empty()
    contents = _upload(filename, raw) if raw else "data:;base64,"
    store, msg = drawn_engine.read_upload(before, contents, filename, demo_ctx.pack, city)
    assert store is before and msg.error and fragment in msg.de
    assert "/tmp" not in msg.de and "allmende-plan" not in msg.en  # no server path


def test_an_oversized_or_damaged_upload_is_refused(demo_ctx, city):
    before = drawn_plans.empty()
    big = "data:;base64," + "A" * (drawn_engine.MAX_UPLOAD_BYTES * 2)
    store, msg = drawn_engine.read_upload(before, big, "p.geojson", demo_ctx.pack, city)
    assert store is before and "2 MB" in msg.de
    store, msg = drawn_engine.read_upload(
        before, "data:;base64,@@@", "p.geojson", demo_ctx.pack, city
    )
    assert store is before and "beschädigt" in msg.de


def test_export_is_geojson_of_every_plan():
    store = drawn_plans.clean_store(
        {"version": 1, "plans": [{"id": "a", "name": "A", "geometry": _square(11.59, 50.93)}]}
    )
    doc = drawn_plans.export(store)
    assert doc["type"] == "FeatureCollection"
    [f] = doc["features"]
    assert f["properties"] == {
        "plan_id": "a", "name": "A", "use": "residential", "dwellings": 0, "source": "drawn"
    }  # fmt: skip
    assert f["geometry"] == _square(11.59, 50.93)


def test_the_callback_logic_from_tool_to_view(demo_ctx, plans):
    tool = {"type": ids.DRAW_CONTROL, "n": 0}
    report = _report((9, _plan_of(plans, "Inselplatz")))
    store, again, msg = callbacks.handle(
        demo_ctx, tool, None, [report], [tool], None, None, None, None, None, [], [], "view", "de"
    )
    assert len(store["plans"]) == 1 and not again and msg is None
    listing, shown, overlay, form = callbacks.view(demo_ctx, store, "de")
    assert "Vorhaben 1" in str(listing) and "Bebauung im Kern einer Luftleitbahn" in str(shown)
    classes = {f["properties"]["cls"] for f in overlay["features"]}
    assert drawn_view.HARD in classes  # the hard conflict drawn on the map
    assert form == ("Vorhaben 1", "residential", 0, False)
    # a crafted tool id, mismatched lists, an unknown trigger: the store as it was
    for trigger, reports, tools in (
        ({"type": ids.DRAW_CONTROL, "n": "x"}, [report], [{"type": ids.DRAW_CONTROL, "n": "x"}]),
        (tool, [report, report], [tool]),
        ("nonsense", [report], [tool]),
    ):
        same, again, msg = callbacks.handle(
            demo_ctx,
            trigger,
            store,
            reports,
            tools,
            None,
            None,
            None,
            None,
            None,
            [],
            [],
            "v",
            "de",
        )
        assert same["plans"] == store["plans"] and not again
    # nothing drawn: an empty list and a disabled form
    _, shown, overlay, form = callbacks.view(demo_ctx, drawn_plans.empty(), "en")
    assert shown == [] and overlay["features"] == [] and form[3] is True


def test_the_map_page_has_the_tool_and_the_embed_has_none(demo_ctx):
    from dashboard.pages import embed_page, map_page
    from dashboard.state import default_view

    view = default_view(demo_ctx.pack.city, "de")
    page = json.dumps(map_page.layout(demo_ctx, view).to_plotly_json(), default=str)
    embed = json.dumps(embed_page.layout(demo_ctx, view).to_plotly_json(), default=str)
    assert ids.DRAW_HOLDER in page and ids.DRAW_UPLOAD in page and "Eigenes Vorhaben" in page
    assert ids.DRAW_HOLDER not in embed and ids.DRAW_UPLOAD not in embed
    assert ids.DRAW_OVERLAY not in embed


def test_a_broken_rule_file_is_said_not_raised(demo_ctx, monkeypatch):
    def broken(ctx):  # as a refused rule file (RuleFileError is a ValueError) reads
        raise ValueError("conflict_rules.toml, line 3: unknown constraint 'lava'")

    monkeypatch.setattr(drawn_engine, "_engine", broken)
    plan = drawn_plans.clean_store(
        {"version": 1, "plans": [{"id": "z", "geometry": _square(11.5931, 50.9312)}]}
    )["plans"][0]
    result = drawn_engine.assess(demo_ctx, plan)
    assert "line 3" in result["error"]["de"] and "not possible" in result["error"]["en"]
    assert "line 3" in (drawn_engine.warm(demo_ctx) or "")
