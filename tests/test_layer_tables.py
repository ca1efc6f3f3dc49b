"""The map as a table (WCAG 2.1 AA / BITV 2.0): every registry layer offers a table with the
same numbers a person reads off the map for the current parameters.

Contract tests run over the whole registry on several packs; equality tests recompute each
layer's numbers independently (from feature properties + hideout, from the models, from the
raw counts) and would fail if a table disagreed with its map.
"""

from __future__ import annotations

import functools
import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from data.pack import CityPack, load_pack
from data.schemas import FACILITY_KIND_LABELS
from layers import REGISTRY, get_layer
from layers.base import TABLE_KINDS, Layer, LayerTable, TableColumn
from layers.footfall.cube import cube
from layers.tables import class_of, num, pct
from models.heat import district_indicators, indicators
from models.hvi import COMPONENT_IDS, hvi
from tests.packfactory import DISTRICT_NAMES, make_footfall_pack, make_heat_pack

LAYERS = pytest.mark.parametrize("layer", REGISTRY, ids=[layer.id for layer in REGISTRY])
EXPECTED_REFUSALS = ("at least one weight must be above 0", "user-defined classes need breaks")


@pytest.fixture(scope="module")
def heat_pack(tmp_path_factory: pytest.TempPathFactory) -> CityPack:
    return load_pack(make_heat_pack(tmp_path_factory.mktemp("tables-heat") / "pack"))


@pytest.fixture(scope="module")
def ff_pack(tmp_path_factory: pytest.TempPathFactory) -> CityPack:
    return load_pack(make_footfall_pack(tmp_path_factory.mktemp("tables-ff") / "pack"))


@pytest.fixture(scope="module")
def tiny_pack(tiny_pack_dir) -> CityPack:
    return load_pack(tiny_pack_dir)


def _browser_class(value: float | None, breaks: list[float]) -> int | None:
    """allmende.js: the first class with value <= break, else the last class (1-based here)."""
    if value is None:
        return None
    for i, b in enumerate(breaks):
        if value <= b:
            return i + 1
    return len(breaks)


def _variations(layer: Layer):
    """The defaults, then each parameter varied alone over its choices / ends."""
    yield {}
    for p in layer.params:
        if p.kind == "choice":
            values = [c for c, _ in p.choices]
        elif p.kind == "int_range":
            values = [[int(p.min or 0), int(p.min or 0)], [int(p.max or 0), int(p.max or 0)]]
        elif p.kind == "date":
            values = ["2024-06-01"]
        elif p.kind == "breaks":
            values = ["-0,5; 0; 0,5"]
        else:
            values = [p.min, p.max]
        for value in values:
            if value != p.default:
                yield {p.name: value}


def _check_table(table: LayerTable, pack: CityPack) -> None:
    assert isinstance(table, LayerTable)
    assert table.columns and table.caption and table.summary
    fields = [c.field for c in table.columns]
    assert len(fields) == len(set(fields))
    for column in table.columns:
        assert isinstance(column, TableColumn) and column.header.strip()
        assert column.kind in TABLE_KINDS
    if pack.synthetic:
        assert "Synthetic demo data" in table.caption or "Synthetische Demo-Daten" in table.caption
    json.dumps(table.rows, allow_nan=False)  # plain JSON, no NaN
    for row in table.rows:
        assert set(fields) <= set(row)
        if table.key:
            assert table.key in row
        for column in table.columns:
            value = row[column.field]
            if value is None:
                continue
            if column.kind == "text":
                assert isinstance(value, str)
                continue
            assert isinstance(value, (int, float)) and not isinstance(value, bool), (column, value)
            assert math.isfinite(value)
            if column.kind == "class":
                assert isinstance(value, int) and value >= 1
            else:  # rounded as shown, not more digits
                assert round(value, column.decimals) == value, (column, value)


@LAYERS
def test_every_layer_has_a_table(layer: Layer) -> None:
    assert layer.table is not None


def test_column_kind_is_checked() -> None:
    with pytest.raises(ValueError, match="kind"):
        TableColumn("x", "X", "colour")


@LAYERS
@pytest.mark.parametrize("pack_name", ["demo_pack", "heat_pack", "ff_pack", "tiny_pack"])
def test_table_contract(layer: Layer, pack_name: str, request: pytest.FixtureRequest) -> None:
    pack = request.getfixturevalue(pack_name)
    if not layer.available(pack):
        pytest.skip(f"{layer.id} needs {layer.requires}")
    assert layer.table is not None
    for raw in _variations(layer):
        try:  # refused while cleaning (e.g. user-defined classes without breaks) or drawing
            params = layer.clean_params(raw)
            de = layer.table(pack, params, "de")
        except ValueError as err:
            assert any(m in str(err) for m in EXPECTED_REFUSALS), (raw, err)
            continue
        en = layer.table(pack, params, "en")
        _check_table(de, pack)
        _check_table(en, pack)
        assert [c.header for c in de.columns] != [c.header for c in en.columns]
        assert de.caption != en.caption and de.summary != en.summary
        assert [c.field for c in de.columns] == [c.field for c in en.columns]
        assert len(de.rows) == len(en.rows) > 0
        # the same numbers in both languages
        numeric = [c.field for c in de.columns if c.kind != "text"]
        assert [[r[f] for f in numeric] for r in de.rows] == [
            [r[f] for f in numeric] for r in en.rows
        ]
        # cached per pack, parameters and language
        assert layer.table(pack, params, "de") is de


def test_helpers_round_and_classify_like_the_map() -> None:
    assert num(1234.5678) == 1235 and isinstance(num(1234.4), int)
    assert num(float("nan")) is None and num(None) is None and num(-0.0001, 2) == 0.0
    assert pct(0.12345) == 12.3 and pct(float("nan")) is None
    breaks = [1.0, 2.0, 3.0]
    assert [class_of(v, breaks) for v in (0.5, 1.0, 1.5, 3.0, 9.0)] == [1, 1, 2, 3, 3]
    assert class_of(None, breaks) is None and class_of(float("nan"), breaks) is None


# --- districts --------------------------------------------------------------------------------


@pytest.mark.parametrize("variable", ["density", "share_65plus"])
@pytest.mark.parametrize("scheme", ["quantiles", "natural_breaks", "equal_interval"])
@pytest.mark.parametrize("k", [3, 5, 7])
def test_districts_table_equals_features_and_hideout(
    demo_pack: CityPack, variable: str, scheme: str, k: int
) -> None:
    layer = get_layer("districts")
    params = layer.clean_params({"variable": variable, "scheme": scheme, "k": k})
    style = layer.style(demo_pack, params, "de")
    props = {
        f["properties"]["district_id"]: f["properties"]
        for f in layer.build(demo_pack, "de").geojson["features"]
    }
    table = layer.table(demo_pack, params, "de")
    assert len(table.rows) == len(props) == 30
    breaks = style.hideout["breaks"]
    labels = [e.label.rsplit(" (", 1)[0] for e in style.legend.entries]
    for row in table.rows:
        prop = props[row["district_id"]]
        assert row["name"] == prop["name"]
        if variable == "density":
            assert abs(row["value"] - prop["density"]) <= 0.5 + 1e-9
        else:  # the table in percent, 1 decimal; the feature a share, 4 decimals
            assert abs(row["value"] - 100 * prop["share_65plus"]) <= 0.05 + 1e-9
        # the class the browser colours the feature with, and the legend's text for it
        cls = _browser_class(prop[variable], breaks)
        assert row["class"] == cls
        assert row["class_label"] == labels[cls - 1]
    value_column = next(c for c in table.columns if c.field == "value")
    assert value_column.kind == ("percent" if variable == "share_65plus" else "number")
    assert str(len(breaks)) in table.caption


# --- heat vulnerability -----------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _hvi_features(pack: CityPack, level: str) -> list[dict]:
    """The map's features for a level (they carry both normalisations; weights only restyle)."""
    layer = get_layer("heat-vulnerability")
    return layer.build_for(pack, "en", {"level": level}).geojson["features"]


@pytest.mark.parametrize(
    "weights",
    [
        {"w_exposure": 1.0, "w_sensitivity": 1.0, "w_capacity": 1.0},
        {"w_exposure": 3.0, "w_sensitivity": 0.5, "w_capacity": 0.0},
        {"w_exposure": 0.0, "w_sensitivity": 0.0, "w_capacity": 5.0},
    ],
)
@pytest.mark.parametrize("norm", ["zscore", "minmax"])
@pytest.mark.parametrize("level", ["district", "grid"])
@pytest.mark.parametrize("pack_name", ["heat_pack", "demo_pack"])
def test_hvi_table_equals_the_model_and_the_map(
    pack_name: str, level: str, norm: str, weights: dict, request: pytest.FixtureRequest
) -> None:
    pack = request.getfixturevalue(pack_name)
    layer = get_layer("heat-vulnerability")
    params = layer.clean_params({"level": level, "norm": norm, **weights})
    table = layer.table(pack, params, "en")
    model = hvi(
        indicators(pack, level),
        {c: weights[f"w_{c}"] for c in COMPONENT_IDS},
        norm,
    ).frame.set_index("unit_id")
    got = pd.DataFrame(table.rows).set_index("unit_id")
    assert len(got) == len(model) and set(got.index) == set(model.index)
    model = model.loc[got.index]
    for field in ("index", *COMPONENT_IDS, *(f"contrib_{c}" for c in COMPONENT_IDS)):
        assert got[field].tolist() == [num(v, 3) for v in model[field]], field
    # the contributions add up to the index (up to the 3-decimal rounding)
    total = got[[f"contrib_{c}" for c in COMPONENT_IDS]].sum(axis=1)
    assert (total - got["index"]).abs().max() <= 2e-3
    # the class equals what the browser computes from the feature properties and the hideout
    hideout = layer.style(pack, params, "en").hideout
    features = _hvi_features(pack, level)
    by_unit = {r["unit_id"]: r for r in table.rows}
    w = hideout["weights"]
    for feature in features:
        p = feature["properties"]
        a, b, c = (p[k] for k in hideout["props"])
        value = (w[0] * a + w[1] * b + w[2] * c) / (w[0] + w[1] + w[2])
        assert by_unit[p["unit_id"]]["class"] == _browser_class(value, hideout["breaks"])
    if level == "grid":
        assert {"name", "unit_id"} <= {c.field for c in table.columns}


def test_hvi_table_names_the_parameters(heat_pack: CityPack) -> None:
    layer = get_layer("heat-vulnerability")
    params = layer.clean_params(
        {"w_exposure": 2.5, "norm": "minmax", "scheme": "user_defined", "breaks": "0,2; 0,5"}
    )
    de = layer.table(heat_pack, params, "de")
    assert "2,5" in de.caption and "Min–Max" in de.caption and "0,2; 0,5" in de.caption
    assert {r["class"] for r in de.rows} <= {1, 2, 3}
    en = layer.table(heat_pack, params, "en")
    assert "2.5" in en.caption and "Min–max" in en.caption
    with pytest.raises(ValueError, match="at least one weight"):
        layer.table(
            heat_pack,
            layer.clean_params({"w_exposure": 0.0, "w_sensitivity": 0.0, "w_capacity": 0.0}),
            "de",
        )


# --- rasters: population grid and heat surface ------------------------------------------------


def test_population_grid_sums_equal_the_district_populations(demo_pack: CityPack) -> None:
    table = get_layer("population-grid").table(demo_pack, {}, "de")
    districts = demo_pack.metric("districts").set_index("district_id")["population"]
    rows = {r["district_id"]: r for r in table.rows}
    assert set(rows) == set(districts.index)  # no residents outside the districts in the demo
    for district_id, population in districts.items():
        assert rows[district_id]["residents"] == int(population)
    grid = demo_pack.raster("grid")["population"].to_numpy()
    assert sum(r["residents"] for r in table.rows) == int(np.nansum(grid))
    assert sum(r["cells"] for r in table.rows) == int((np.nan_to_num(grid) > 0).sum())
    assert "je Ortsteil zusammengefasst" in table.caption


def test_population_grid_keeps_residents_outside_the_districts(tiny_pack: CityPack) -> None:
    table = get_layer("population-grid").table(tiny_pack, {}, "en")
    grid = tiny_pack.raster("grid")["population"].to_numpy()
    assert sum(r["residents"] for r in table.rows) == round(float(np.nansum(grid)))
    outside = [r for r in table.rows if r["district_id"] is None]
    assert len(outside) == 1 and outside[0]["name"] == "Outside the districts"
    assert {r["name"] for r in table.rows} == {*DISTRICT_NAMES, "Outside the districts"}


def _cells_in_districts(pack: CityPack, variable: str) -> pd.DataFrame:
    """Cell centres joined to the districts with geopandas (independent of the layer code)."""
    grid = pack.raster("grid")
    xs, ys = np.meshgrid(grid["x"].to_numpy(), grid["y"].to_numpy())
    values = grid[variable].transpose("y", "x").to_numpy().astype(float)
    pop = np.nan_to_num(grid["population"].transpose("y", "x").to_numpy().astype(float))
    cells = gpd.GeoDataFrame(
        {"value": values.ravel(), "pop": pop.ravel()},
        geometry=gpd.points_from_xy(xs.ravel(), ys.ravel()),
        crs=pack.metric("districts").crs,
    )
    joined = gpd.sjoin(
        cells,
        pack.metric("districts")[["district_id", "geometry"]],
        how="inner",
        predicate="within",
    )
    return joined[np.isfinite(joined["value"])]


@pytest.mark.parametrize("variable", ["lst_day", "tair_night"])
@pytest.mark.parametrize("pack_name", ["heat_pack", "demo_pack"])
def test_heat_surface_district_statistics(
    pack_name: str, variable: str, request: pytest.FixtureRequest
) -> None:
    pack = request.getfixturevalue(pack_name)
    layer = get_layer("heat-surface")
    table = layer.table(pack, layer.clean_params({"variable": variable}), "de")
    cells = _cells_in_districts(pack, variable)
    rows = {r["district_id"]: r for r in table.rows}
    ref_ind = district_indicators(pack).frame.set_index("unit_id")[variable]
    for district_id, group in cells.groupby("district_id"):
        row = rows[district_id]
        assert abs(row["area_mean"] - group["value"].mean()) <= 0.05 + 1e-9
        assert row["min"] == num(group["value"].min(), 1)
        assert row["max"] == num(group["value"].max(), 1)
        if group["pop"].sum() > 0:
            weighted = np.average(group["value"], weights=group["pop"])
            assert abs(row["pop_mean"] - weighted) <= 0.05 + 1e-9
            # the same number the heat index uses for the district
            assert row["pop_mean"] == num(ref_ind[district_id], 1)
        else:
            assert row["pop_mean"] is None
    assert "Zusammenfassung des Rasters" in table.caption


# --- river, facilities ------------------------------------------------------------------------


def test_river_length_in_km(tiny_pack: CityPack, demo_pack: CityPack) -> None:
    table = get_layer("river").table(tiny_pack, {}, "de")
    # the test river: (-1000, 1000) -> (2000, 800) -> (5500, 500) metres from ORIGIN
    expected = (math.hypot(3000, 200) + math.hypot(3500, 300)) / 1000
    assert table.rows == [{"name": "Testbach", "length_km": round(expected, 1)}]
    demo = get_layer("river").table(demo_pack, {}, "de")
    assert demo.rows[0]["name"] == "Saale"  # no name column: the dataset's title
    assert demo.rows[0]["length_km"] == num(demo_pack.metric("river").length.sum() / 1000, 1)


@pytest.mark.parametrize("pack_name", ["heat_pack", "demo_pack"])
def test_facilities_counts_per_kind_equal_the_dataset(
    pack_name: str, request: pytest.FixtureRequest
) -> None:
    pack = request.getfixturevalue(pack_name)
    table = get_layer("facilities").table(pack, {}, "en")
    data = pack.vector("facilities")
    assert len(table.rows) == len(data)
    by_label = pd.Series([r["kind"] for r in table.rows]).value_counts()
    for kind, count in data["kind"].value_counts().items():
        assert by_label[FACILITY_KIND_LABELS[kind]["en"]] == count
    assert all(r["district"] for r in table.rows)  # every facility lies in a district
    if pack_name == "heat_pack":
        districts = {r["facility_id"]: r["district"] for r in table.rows}
        assert districts == {"f1": "Altstadt", "f2": "Altstadt", "f3": "Nordviertel"}


# --- footfall ---------------------------------------------------------------------------------


def _direct_site_means(pack: CityPack, date_from, date_to, days, hours) -> pd.Series:
    """Mean pedestrians per hour per site straight from the counts: the mean over the window's
    local hours of each hour's mean over the selected days."""
    counts = pack.table("footfall_counts")
    local = counts["time"].dt.tz_convert(pack.calendar.timezone)
    frame = pd.DataFrame(
        {
            "date": local.dt.tz_localize(None).dt.normalize(),
            "hour": local.dt.hour,
            "site": counts["site_id"].astype(str),
            "count": counts["count"].astype(float),
        }
    ).dropna(subset=["count"])
    frame["days"] = pack.calendar.day_type(frame["date"].to_numpy().astype("datetime64[D]"))
    keep = frame["hour"].isin(hours)
    if date_from:
        keep &= frame["date"] >= pd.Timestamp(date_from)
    if date_to:
        keep &= frame["date"] <= pd.Timestamp(date_to)
    if days != "all":
        keep &= frame["days"] == days
    per_date_hour = frame[keep].groupby(["site", "date", "hour"])["count"].mean()
    per_hour = per_date_hour.groupby(["site", "hour"]).mean()
    return per_hour.groupby("site").mean()


@pytest.mark.parametrize(
    "window",
    [
        {},
        {"date_from": "2025-03-01", "date_to": "2025-03-31", "days": "weekday", "hours": [7, 10]},
        {"days": "sunday_holiday", "hours": [12, 18]},
        {"date_from": "2024-10-27", "date_to": "2024-10-27", "hour": 2},  # 25-hour day
        {"days": "saturday", "hour": 15},
    ],
)
def test_footfall_heatmap_means_equal_the_counts(demo_pack: CityPack, window: dict) -> None:
    layer = get_layer("footfall-heatmap")
    params = layer.clean_params(window)
    table = layer.table(demo_pack, params, "de")
    h0, h1 = params["hours"]
    hours = [params["hour"]] if params["hour"] != -1 else list(range(h0, h1 + 1))
    direct = _direct_site_means(
        demo_pack, params["date_from"], params["date_to"], params["days"], hours
    )
    assert len(table.rows) == len(cube(demo_pack).site_ids)
    for row in table.rows:
        assert row["mean_per_hour"] == num(direct[row["site_id"]]), row
    summary_hi = max(table.rows, key=lambda r: r["mean_per_hour"])
    assert summary_hi["name"] in table.summary


def test_footfall_heatmap_gaps_are_not_zero(ff_pack: CityPack) -> None:
    layer = get_layer("footfall-heatmap")
    # nord misses the local hours 08–12 on 3 April 2024 (GAP in the pack factory)
    params = layer.clean_params(
        {"date_from": "2024-04-03", "date_to": "2024-04-03", "hours": [8, 19]}
    )
    rows = {r["site_id"]: r for r in layer.table(ff_pack, params, "en").rows}
    assert rows["markt"]["mean_per_hour"] == 100 and rows["markt"]["missing"] == 0.0
    assert rows["nord"]["mean_per_hour"] == 200  # the 5 missing hours are not read as 0
    assert rows["nord"]["missing"] == pct(5 / 12)
    # the spring DST day has no 02:00: not a missing count
    dst = layer.clean_params({"date_from": "2024-03-31", "date_to": "2024-03-31", "hours": [0, 5]})
    assert all(r["missing"] == 0.0 for r in layer.table(ff_pack, dst, "en").rows)
    caption = layer.table(ff_pack, dst, "en").caption
    assert "2024-03-31" in caption and "00:00–06:00" in caption


@pytest.mark.parametrize("pack_name", ["ff_pack", "demo_pack"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_footfall_sites_table_equals_the_popups(
    pack_name: str, lang: str, request: pytest.FixtureRequest
) -> None:
    from layers import fmt

    pack = request.getfixturevalue(pack_name)
    layer = get_layer("footfall-sites")
    data = layer.build(pack, lang)
    popups = {
        f["properties"]["site_id"]: f["properties"]["popup"] for f in data.geojson["features"]
    }
    summary = {r["site_id"]: r for r in data.table}
    table = layer.table(pack, {}, lang)
    assert len(table.rows) == len(popups)
    for row in table.rows:
        ref = summary[row["site_id"]]
        assert row["last7_total"] == num(ref["last7_total"])
        assert row["change"] == pct(ref["change"])
        assert row["missing_share_7d"] == pct(ref["missing_share_7d"])
        assert row["mean_daily"] == num(ref["mean_daily"])
        assert (row["note"] is not None) == ref["incomplete"]
        # and the popup shows these very numbers
        popup = popups[row["site_id"]]
        assert fmt.number(row["last7_total"], lang) in popup
        assert fmt.number(row["mean_daily"], lang) in popup
        assert fmt.percent(row["missing_share_7d"] / 100, lang) in popup
        if row["change"] is not None:
            assert fmt.percent(row["change"] / 100, lang) in popup
