"""A layer's table linked both ways with the map: the pure parts (dashboard.linking and the
callbacks' logic in dashboard.callbacks.linked_tables), on the demo pack."""

from __future__ import annotations

import geopandas as gpd
import pytest
from dash import no_update
from shapely.geometry import box

from dashboard import ids, linking
from dashboard.callbacks import linked_tables
from dashboard.callbacks.district_panel import panel_for_selection
from dashboard.tables import table_body
from layers import get_layer

CONFLICTS = "conflicts"


@pytest.fixture(scope="module")
def plans(demo_pack_dir):
    return gpd.read_file(demo_pack_dir / "plans.geojson").to_crs("EPSG:4326")


def _grid(components):
    """The AG Grid in a table body."""
    import dash_ag_grid as dag

    for c in components:
        child = getattr(c, "children", None)
        if isinstance(child, dag.AgGrid):
            return child
    raise AssertionError("no grid")


def test_which_layers_link(demo_ctx):
    assert linking.linked(get_layer("conflicts"), "plan_id")
    assert linking.linked(get_layer("districts"), "district_id")
    assert not linking.linked(get_layer("constraints"), "constraint_id")  # no click panel
    assert not linking.linked(get_layer("conflicts"), "name")  # rows keyed otherwise


def test_select_a_plan_gives_its_features_and_bounds(demo_ctx, plans):
    plan = plans.iloc[3]
    sel = linking.select(demo_ctx, CONFLICTS, "", plan["plan_id"], "de")
    assert sel is not None and sel.key == plan["plan_id"]
    (s, w), (n, e) = sel.bounds
    minx, miny, maxx, maxy = plan.geometry.bounds
    # the features are simplified for the map (a few metres), so the bounds agree to ~1e-4°
    assert w == pytest.approx(minx, abs=2e-4) and e == pytest.approx(maxx, abs=2e-4)
    assert s == pytest.approx(miny, abs=2e-4) and n == pytest.approx(maxy, abs=2e-4)
    # the plan's outline and each of its conflict parts, nothing of another plan
    others = plans[plans["plan_id"] != plan["plan_id"]].union_all()
    for feature in sel.features["features"]:
        from shapely.geometry import shape

        g = shape(feature["geometry"])
        assert g.intersection(box(*plan.geometry.bounds)).area > 0.9 * g.area
        assert g.intersection(others).area < 0.05 * g.area
    view = sel.viewport()
    assert view["bounds"] == [[s, w], [n, e]] and view["transition"] == "flyToBounds"
    assert sel.store() == {"layer": CONFLICTS, "variant": "", "key": plan["plan_id"]}


@pytest.mark.parametrize(
    ("layer", "variant", "key"),
    [
        ("conflicts", "", "no-such-plan"),
        ("conflicts", "grid", "vl-439390"),  # a variant the layer does not have
        ("constraints", "", "c1"),  # no click panel
        ("nope", "", "x"),
        ({"a": 1}, "", "x"),
        ("conflicts", "", ["vl-439390"]),
        ("conflicts", "", True),
        ("conflicts", "", "x" * 1000),
        ("conflicts", 5, "vl-439390"),
        ("heat-vulnerability", "", "x"),  # a layer with variants, none given
        ("heat-vulnerability", "hexagons", "x"),
    ],
)
def test_select_refuses_what_is_not_a_feature(demo_ctx, layer, variant, key):
    assert linking.select(demo_ctx, layer, variant, key, "de") is None


def test_grid_variant_of_vulnerability(demo_ctx):
    """A unit of the vulnerability layer's grid is found under the grid variant only."""
    data = demo_ctx.layer_data("heat-vulnerability", "de", {"level": "grid"})
    unit = data.geojson["features"][0]["properties"]["unit_id"]
    assert linking.select(demo_ctx, "heat-vulnerability", "grid", unit, "de") is not None
    assert linking.select(demo_ctx, "heat-vulnerability", "district", unit, "de") is None


def test_row_selection_zooms_highlights_and_opens_the_panel(demo_ctx, plans):
    key = plans.iloc[0]["plan_id"]
    grid = ids.grid_id(ids.LAYER_GRID, CONFLICTS, "")
    other = ids.grid_id(ids.LAYER_GRID, "districts", "")
    rows = [[{"district_id": "x"}], [{"plan_id": key, "name": "…"}]]
    out = linked_tables.on_row(demo_ctx, grid, rows, [other, grid], None, "en")
    assert out is not None
    viewport, highlight, halo, store = out
    assert viewport["transition"] == "flyToBounds"
    assert highlight["features"] and halo == highlight
    assert store == {"layer": CONFLICTS, "variant": "", "key": key, "from": "table"}
    # the panel's one owner opens the plan's panel for a table's selection, not a map's
    panel = panel_for_selection(demo_ctx, store, {}, "en")
    assert plans.iloc[0]["name"] in str(panel) and "Explanation" not in str(panel)
    assert panel_for_selection(demo_ctx, {**store, "from": "map"}, {}, "en") is None
    assert panel_for_selection(demo_ctx, {**store, "layer": "constraints"}, {}, "en") is None
    assert panel_for_selection(demo_ctx, "junk", {}, "en") is None
    # the grid's echo of that selection (or of a map click) changes nothing
    echo = {**store, "from": "map"}
    assert linked_tables.on_row(demo_ctx, grid, rows, [other, grid], echo, "en") is None


@pytest.mark.parametrize(
    "rows",
    [
        [[]],  # selection cleared
        [[{"plan_id": "a"}, {"plan_id": "b"}]],  # two rows: not single selection
        [["vl-439390"]],
        [[{"plan_id": {"$gt": ""}}]],
        "rows",
        [[{"plan_id": "unknown"}]],
    ],
)
def test_row_selection_refuses_crafted_rows(demo_ctx, rows):
    grid = ids.grid_id(ids.LAYER_GRID, CONFLICTS, "")
    assert linked_tables.on_row(demo_ctx, grid, rows, [grid], None, "de") is None


def test_row_selection_with_mismatched_lists_or_unknown_trigger(demo_ctx, plans):
    grid = ids.grid_id(ids.LAYER_GRID, CONFLICTS, "")
    rows = [[{"plan_id": plans.iloc[0]["plan_id"]}]]
    assert linked_tables.on_row(demo_ctx, grid, rows, [grid, grid], None, "de") is None
    stranger = ids.grid_id(ids.LAYER_GRID, "conflicts", "grid")
    assert linked_tables.on_row(demo_ctx, stranger, rows, [grid], None, "de") is None
    assert linked_tables.on_row(demo_ctx, "x", rows, [grid], None, "de") is None


def test_map_click_selects_the_row_of_that_plan_only(demo_ctx, plans):
    key = plans.iloc[5]["plan_id"]
    trigger = ids.layer_id(ids.LAYER_GEOJSON, CONFLICTS)
    url = "/layers/conflicts.geojson?lang=de&v=abc"
    feature = {"type": "Feature", "properties": {"plan_id": key, "cls": 1}}
    found = linked_tables.on_click(demo_ctx, trigger, [1], [feature], [trigger], [url], "de")
    assert found is not None
    selection = found[2]
    outputs = [
        {"id": ids.grid_id(ids.LAYER_GRID, "districts", ""), "property": "selectedRows"},
        {"id": ids.grid_id(ids.LAYER_GRID, CONFLICTS, ""), "property": "selectedRows"},
    ]
    rows, scrolls = linked_tables.grid_rows(outputs, selection)
    assert rows == [no_update, {"ids": [key]}]
    assert scrolls[1]["rowId"] == key and scrolls[0] is no_update
    # no click yet (a layer drawn anew), a click on a layer without a linked table, junk
    assert (
        linked_tables.on_click(demo_ctx, trigger, [None], [feature], [trigger], [url], "de") is None
    )
    assert linked_tables.on_click(demo_ctx, trigger, [1], ["x"], [trigger], [url], "de") is None
    assert (
        linked_tables.on_click(demo_ctx, trigger, [1, 2], [feature], [trigger], [url], "de") is None
    )


def test_map_click_reads_the_variant_from_the_layer_url(demo_ctx):
    data = demo_ctx.layer_data("heat-vulnerability", "de", {"level": "grid"})
    unit = data.geojson["features"][0]["properties"]["unit_id"]
    trigger = ids.layer_id(ids.LAYER_GEOJSON, "heat-vulnerability")
    feature = {"properties": {"unit_id": unit}}
    url = "/layers/heat-vulnerability.geojson?lang=de&variant=grid&v=1"
    found = linked_tables.on_click(demo_ctx, trigger, [1], [feature], [trigger], [url], "de")
    assert found is not None and found[1] == "grid"


def test_linked_table_grid_has_pattern_id_selection_and_starts_selected(demo_ctx, plans):
    layer = get_layer(CONFLICTS)
    key = plans.iloc[2]["plan_id"]
    store = {"layer": CONFLICTS, "variant": "", "key": key}
    grid = _grid(table_body(demo_ctx, layer, {}, "de", "t", ids.LAYER_GRID, store))
    assert grid.id == ids.grid_id(ids.LAYER_GRID, CONFLICTS, "")
    assert grid.dashGridOptions["rowSelection"]["mode"] == "singleRow"
    assert grid.getRowId == "params.data.plan_id"
    assert grid.selectedRows == {"ids": [key]}
    # another layer's selection, an unknown key: nothing selected
    other = {"layer": "districts", "variant": "", "key": key}
    assert (
        _grid(table_body(demo_ctx, layer, {}, "de", "t", ids.LAYER_GRID, other)).selectedRows == []
    )
    gone = {**store, "key": "gone"}
    assert (
        _grid(table_body(demo_ctx, layer, {}, "de", "t", ids.LAYER_GRID, gone)).selectedRows == []
    )
    # a table that does not link keeps its plain id
    plain = _grid(table_body(demo_ctx, get_layer("constraints"), {}, "de", "c", ids.LAYER_GRID))
    assert plain.id == "c" and "rowSelection" not in plain.dashGridOptions
