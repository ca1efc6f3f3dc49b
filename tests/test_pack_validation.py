"""Loading and validating city packs: a valid pack loads, every kind of breakage is named.

Each failure test copies the valid test pack (see ``tests/packfactory.py``), breaks one
thing by editing ``city.toml``, a GeoJSON or the NetCDF file directly, and checks that
:func:`data.pack.validate_pack` reports it against the right dataset with a message that
says what is wrong.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tomli_w
import xarray as xr
from pyproj import CRS

from data.catalog import CITY_FILE
from data.pack import PackError, load_pack, validate_pack
from data.writer import staged_pack
from tests.conftest import pack_hash
from tests.packfactory import (
    CITY,
    DATASETS,
    DISTRICT_AREAS_KM2,
    DISTRICT_IDS,
    POPULATION,
    districts_frame,
    make_pack,
)

# --- fixtures and helpers ------------------------------------------------------------------


@pytest.fixture(scope="module")
def valid_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid pack, built once; tests work on copies of it."""
    return make_pack(tmp_path_factory.mktemp("source") / "pack")


@pytest.fixture
def pack(valid_source: Path, tmp_path: Path) -> Path:
    """A fresh copy of the valid pack that a test may break."""
    target = tmp_path / "pack"
    shutil.copytree(valid_source, target)
    return target


def edit_toml(folder: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = folder / CITY_FILE
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(tomli_w.dumps(raw), encoding="utf-8")


def entry(raw: dict[str, Any], ds_id: str) -> dict[str, Any]:
    return next(d for d in raw["datasets"] if d["id"] == ds_id)


def edit_entry(folder: Path, ds_id: str, change: Callable[[dict[str, Any]], None]) -> None:
    edit_toml(folder, lambda raw: change(entry(raw, ds_id)))


def edit_geojson(folder: Path, ds_id: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = folder / DATASETS[ds_id].path
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def edit_props(folder: Path, ds_id: str, row: int, **values: Any) -> None:
    def change(data: dict[str, Any]) -> None:
        data["features"][row]["properties"].update(values)

    edit_geojson(folder, ds_id, change)


def edit_grid(folder: Path, change: Callable[[xr.Dataset], xr.Dataset]) -> None:
    path = folder / DATASETS["grid"].path
    with xr.open_dataset(path) as opened:
        grid = opened.load()
    change(grid).to_netcdf(path)


def assert_reported(folder: Path, dataset: str, *needles: str) -> None:
    """The pack is invalid, and only because of ``dataset``, with all ``needles`` named."""
    report = validate_pack(folder)
    assert not report.ok, "the broken pack validated"
    text = "\n".join(str(p) for p in report.problems)
    assert {p.dataset for p in report.problems} == {dataset}, text
    assert any(all(n in str(p) for n in (dataset, *needles)) for p in report.problems), text


# --- the valid pack ------------------------------------------------------------------------


def test_valid_pack_loads(valid_source: Path) -> None:
    report = validate_pack(valid_source)
    assert report.ok, report.to_text()
    assert report.checked == list(DATASETS)
    pack = load_pack(valid_source)
    assert pack.city == CITY
    assert pack.synthetic
    assert set(pack.catalog.ids()) == set(DATASETS)


def test_district_areas_in_km2(valid_source: Path) -> None:
    metric = load_pack(valid_source).metric("districts")
    assert CRS.from_user_input(metric.crs).to_epsg() == 25832
    areas = dict(zip(metric["district_id"], metric.area / 1e6, strict=True))
    expected = dict(zip(DISTRICT_IDS, DISTRICT_AREAS_KM2, strict=True))
    assert areas == pytest.approx(expected, rel=1e-3)


def test_vectors_are_wgs84_with_typed_columns(valid_source: Path) -> None:
    pack = load_pack(valid_source)
    for ds_id in ("outline", "districts", "river"):
        assert pack.vector(ds_id).crs.to_epsg() == 4326
    districts = pack.vector("districts")
    assert districts["population"].tolist() == list(POPULATION)
    min_lon, min_lat, max_lon, max_lat = CITY.bbox
    x0, y0, x1, y1 = districts.total_bounds
    assert min_lon < x0 < x1 < max_lon
    assert min_lat < y0 < y1 < max_lat
    # The file itself is plain RFC 7946 GeoJSON in degrees, as the catalog says.
    assert pack.dataset("districts").crs == "EPSG:4326"


def test_raster_and_table_load(valid_source: Path) -> None:
    pack = load_pack(valid_source)
    grid = pack.raster("grid")
    assert grid.attrs["crs_label"] == "EPSG:25832"
    assert grid["elevation"].dims == ("y", "x")
    assert float(grid["x"].min()) > 600_000  # metres, not degrees
    assert pack.table("district_stats")["district_id"].tolist() == list(DISTRICT_IDS)


# --- one test per failure kind -------------------------------------------------------------


def test_missing_file(pack: Path) -> None:
    (pack / "districts.geojson").unlink()
    assert_reported(pack, "districts", "not found", "districts.geojson")


@pytest.mark.parametrize("ds_id", ["districts", "river"])
def test_missing_crs_in_catalog(pack: Path, ds_id: str) -> None:
    edit_entry(pack, ds_id, lambda e: e.pop("crs"))
    assert_reported(pack, ds_id, "no CRS declared")


def test_raster_without_any_crs(pack: Path) -> None:
    edit_entry(pack, "grid", lambda e: e.pop("crs"))
    edit_grid(pack, lambda g: g.drop_vars("spatial_ref"))
    assert_reported(pack, "grid", "no CRS")


def test_raster_with_unparseable_crs(pack: Path) -> None:
    def garble(grid: xr.Dataset) -> xr.Dataset:
        grid["spatial_ref"].attrs["crs_wkt"] = "not a wkt string"
        return grid

    edit_grid(pack, garble)
    assert_reported(pack, "grid", "CRS", "cannot be parsed")


@pytest.mark.parametrize("ds_id", ["districts", "grid"])
def test_unknown_crs(pack: Path, ds_id: str) -> None:
    edit_entry(pack, ds_id, lambda e: e.update(crs="EPSG:99999"))
    assert_reported(pack, ds_id, "unknown CRS", "EPSG:99999")


def test_crs_mismatch_vector(pack: Path) -> None:
    # The file is written in EPSG:25832 (GeoJSON with a "crs" member), the catalog says 4326.
    districts_frame().to_file(pack / "districts.geojson", driver="GeoJSON")
    assert_reported(pack, "districts", "declares EPSG:4326", "EPSG:25832")


def test_crs_mismatch_raster(pack: Path) -> None:
    edit_entry(pack, "grid", lambda e: e.update(crs="EPSG:4326"))
    assert_reported(pack, "grid", "declares EPSG:4326", "EPSG:25832")


def _swap_lat_lon(coords: Any) -> Any:
    if isinstance(coords[0], (int, float)):
        return [coords[1], coords[0]]
    return [_swap_lat_lon(c) for c in coords]


def _as_metres_without_crs(data: dict[str, Any]) -> None:
    # Metre coordinates in a file without a "crs" member, which readers take as degrees.
    for feature in data["features"]:
        ring = feature["geometry"]["coordinates"][0]
        feature["geometry"]["coordinates"] = [[[681_000.0 + x, 5_642_000.0 + y] for x, y in ring]]


@pytest.mark.parametrize(
    ("ds_id", "change"),
    [
        (
            "river",
            lambda d: d["features"][0]["geometry"].update(
                coordinates=_swap_lat_lon(d["features"][0]["geometry"]["coordinates"])
            ),
        ),
        (
            "districts",
            lambda d: [
                f["geometry"].update(coordinates=_swap_lat_lon(f["geometry"]["coordinates"]))
                for f in d["features"]
            ],
        ),
        ("outline", _as_metres_without_crs),
    ],
    ids=["river-swapped-lat-lon", "districts-swapped-lat-lon", "outline-metres-as-degrees"],
)
def test_geometries_outside_bbox(
    pack: Path, ds_id: str, change: Callable[[dict[str, Any]], None]
) -> None:
    edit_geojson(pack, ds_id, change)
    assert_reported(pack, ds_id, "outside the city's bbox")


def test_invalid_geometry_bow_tie(pack: Path) -> None:
    bow_tie = [[[11.56, 50.90], [11.60, 50.94], [11.60, 50.90], [11.56, 50.94], [11.56, 50.90]]]
    edit_geojson(
        pack, "outline", lambda d: d["features"][0]["geometry"].update(coordinates=bow_tie)
    )
    assert_reported(pack, "outline", "invalid geometry", "Self-intersection")


def test_wrong_geometry_type(pack: Path) -> None:
    point = {"type": "Point", "coordinates": [11.58, 50.92]}
    edit_geojson(pack, "river", lambda d: d["features"][0].update(geometry=point))
    assert_reported(pack, "river", "expected LineString or MultiLineString", "Point")


def _drop_property(name: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for feature in data["features"]:
            del feature["properties"][name]

    return change


@pytest.mark.parametrize("column", ["district_id", "name", "population", "pop_65plus"])
def test_missing_required_column(pack: Path, column: str) -> None:
    edit_geojson(pack, "districts", _drop_property(column))
    assert_reported(pack, "districts", f"missing required column {column!r}")


def test_missing_optional_column_is_fine(pack: Path) -> None:
    edit_geojson(pack, "districts", _drop_property("pop_under6"))
    assert validate_pack(pack).ok


def test_missing_required_table_column(pack: Path) -> None:
    path = pack / "district_stats.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line.split(",", 1)[1] for line in lines) + "\n", encoding="utf-8")
    assert_reported(pack, "district_stats", "missing required column 'district_id'")


@pytest.mark.filterwarnings("ignore:Could not parse column:UserWarning")
def test_wrong_type(pack: Path) -> None:
    edit_props(pack, "districts", 1, population="viele")
    assert_reported(pack, "districts", "'population' must be an integer", "viele", "Nordviertel")


def test_fractional_count(pack: Path) -> None:
    edit_props(pack, "districts", 0, pop_65plus=2999.5)
    assert_reported(pack, "districts", "'pop_65plus' must be whole numbers", "Altstadt")


@pytest.mark.parametrize(
    ("row", "values", "needles"),
    [
        (0, {"population": -1}, ("'population' out of range", "-1", "Altstadt")),
        (2, {"pop_under6": -3}, ("'pop_under6' out of range", "Südhang")),
        (2, {"pop_65plus": 9000}, ("'pop_65plus' exceeds 'population'", "Südhang")),
        (1, {"pop_under6": 40_000}, ("'pop_under6' exceeds 'population'", "Nordviertel")),
    ],
    ids=["negative-population", "negative-under6", "65plus-above-population", "under6-above"],
)
def test_district_value_out_of_range(
    pack: Path, row: int, values: dict[str, Any], needles: tuple[str, ...]
) -> None:
    edit_props(pack, "districts", row, **values)
    assert_reported(pack, "districts", *needles)


def _set_cell(var: str, value: float) -> Callable[[xr.Dataset], xr.Dataset]:
    def change(grid: xr.Dataset) -> xr.Dataset:
        grid[var].values[2, 3] = value
        return grid

    return change


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("share_65plus", 1.7),
        ("imperviousness", -0.1),
        ("tree_canopy", 1.01),
        ("population", -5.0),
        ("elevation", 9000.0),
        ("landcover", 9),
    ],
)
def test_grid_value_out_of_range(pack: Path, var: str, value: float) -> None:
    edit_grid(pack, _set_cell(var, value))
    assert_reported(pack, "grid", f"variable {var!r} out of range")


def test_grid_missing_cells_where_not_allowed(pack: Path) -> None:
    edit_grid(pack, _set_cell("elevation", np.nan))
    assert_reported(pack, "grid", "'elevation' has 1 missing cells")


def test_grid_non_numeric_variable(pack: Path) -> None:
    edit_grid(pack, lambda g: g.assign(landcover=g["landcover"].astype(str)))
    assert_reported(pack, "grid", "'landcover' must be numeric")


@pytest.mark.parametrize("var", ["elevation", "landcover", "population", "share_65plus"])
def test_grid_variables_are_optional_and_asked_for_by_name(pack: Path, var: str) -> None:
    edit_grid(pack, lambda g: g.drop_vars(var))
    loaded = load_pack(pack)  # a grid may hold only some variables (e.g. one imported raster)
    assert loaded.has("grid") and not loaded.has(f"grid:{var}")
    assert loaded.has("grid:imperviousness") and not loaded.has("nothere:population")


def test_grid_without_any_known_variable(pack: Path) -> None:
    edit_grid(pack, lambda g: g.drop_vars([v for v in g.data_vars if v != "spatial_ref"]))
    assert_reported(pack, "grid", "holds none of the known variables")


def test_grid_wrong_dimensions(pack: Path) -> None:
    edit_grid(pack, lambda g: g.rename({"y": "lat", "x": "lon"}))
    assert_reported(pack, "grid", "missing dimension 'y'")


@pytest.mark.parametrize("ds_id", ["districts", "district_stats"])
def test_duplicate_district_id(pack: Path, ds_id: str) -> None:
    if ds_id == "districts":
        edit_props(pack, "districts", 2, district_id="D01")
    else:
        path = pack / "district_stats.csv"
        path.write_text(path.read_text(encoding="utf-8").replace("D03", "D01"), encoding="utf-8")
    needles = ("'district_id' must be unique", "row 0 (Altstadt)", "row 2 (Südhang)")
    assert_reported(pack, ds_id, *needles)


@pytest.mark.parametrize(
    ("metric_crs", "needle"),
    [
        ("EPSG:4326", "not a projected CRS in metres"),
        ("EPSG:2249", "not a projected CRS in metres"),  # Massachusetts, US survey feet
        ("EPSG:99999", "unknown CRS"),
    ],
)
def test_non_metric_metric_crs(pack: Path, metric_crs: str, needle: str) -> None:
    edit_toml(pack, lambda raw: raw["city"].update(metric_crs=metric_crs))
    assert_reported(pack, CITY_FILE, "metric_crs", metric_crs, needle)


@pytest.mark.parametrize(
    "breakage",
    [
        lambda text: text + "\n[city\n",
        lambda text: text.replace('id = "testburg"', 'id = "testburg'),
        lambda text: text.replace("zoom = 13", "zoom = = 13"),
        lambda text: text.replace("[[datasets]]", "[datasets]", 2),
    ],
    ids=["unclosed-table", "unclosed-string", "double-equals", "table-redefined"],
)
def test_malformed_toml(pack: Path, breakage: Callable[[str], str]) -> None:
    path = pack / CITY_FILE
    path.write_text(breakage(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert_reported(pack, CITY_FILE, "not valid TOML")


def test_missing_city_file(pack: Path) -> None:
    (pack / CITY_FILE).unlink()
    assert_reported(pack, CITY_FILE, "not found")


@pytest.mark.parametrize("key", ["id", "name", "metric_crs", "centre", "bbox", "zoom"])
def test_missing_city_key(pack: Path, key: str) -> None:
    edit_toml(pack, lambda raw: raw["city"].pop(key))
    assert_reported(pack, CITY_FILE, f"[city] {key}")


def test_missing_city_table(pack: Path) -> None:
    edit_toml(pack, lambda raw: raw.pop("city"))
    assert_reported(pack, CITY_FILE, "missing [city] table")


def test_centre_outside_bbox(pack: Path) -> None:
    edit_toml(pack, lambda raw: raw["city"].update(centre=[11.58, 50.92]))  # [lon, lat]
    assert_reported(pack, CITY_FILE, "centre", "outside the bbox")


@pytest.mark.parametrize(("ds_id", "kind"), [("districts", "shapefile"), ("grid", "geotiff")])
def test_unknown_dataset_kind(pack: Path, ds_id: str, kind: str) -> None:
    edit_entry(pack, ds_id, lambda e: e.update(kind=kind))
    assert_reported(pack, ds_id, f"kind {kind!r} is not one of")


def test_kind_contradicts_schema(pack: Path) -> None:
    edit_entry(pack, "district_stats", lambda e: e.update(kind="vector"))
    assert_reported(pack, "district_stats", "kind must be 'table'")


@pytest.mark.parametrize("key", ["licence", "attribution", "path"])
def test_missing_licence_and_other_entry_keys(pack: Path, key: str) -> None:
    edit_entry(pack, "districts", lambda e: e.pop(key))
    assert_reported(pack, "districts", f"missing {key}")


def test_missing_title_names_the_dataset(pack: Path) -> None:
    edit_entry(pack, "river", lambda e: e.pop("title"))
    report = validate_pack(pack)
    assert [(p.dataset, p.message.split(":")[0]) for p in report.problems] == [("river", "title")]


def test_missing_provenance(pack: Path) -> None:
    edit_entry(pack, "outline", lambda e: e.pop("generated_by"))
    assert_reported(pack, "outline", "needs either source")


@pytest.mark.filterwarnings("ignore:Could not parse column:UserWarning")
def test_every_problem_is_reported_at_once(pack: Path) -> None:
    (pack / "river.geojson").unlink()
    edit_props(pack, "districts", 0, population="viele")
    edit_grid(pack, lambda g: g.assign(tree_canopy=g["tree_canopy"] + 5.0))
    report = validate_pack(pack)
    assert {p.dataset for p in report.problems} == {"river", "districts", "grid"}
    assert report.to_dict()["valid"] is False
    assert "INVALID: 3 problems" in report.to_text()
    with pytest.raises(PackError) as err:
        load_pack(pack)
    assert err.value.report.problems == report.problems
    assert "river: file 'river.geojson' not found" in str(err.value)


# --- writing through staged_pack ----------------------------------------------------------


def _write_negative_population(stage: Any) -> None:
    frame = districts_frame()
    frame.loc[0, "population"] = -1
    stage.put_vector(DATASETS["districts"], frame)


def _write_non_metric_city(stage: Any) -> None:
    stage.set_city(type(CITY)(**{**CITY.__dict__, "metric_crs": "EPSG:4326"}))
    stage.put_vector(DATASETS["districts"], districts_frame())


def _write_then_crash(stage: Any) -> None:
    stage.put_vector(DATASETS["districts"], districts_frame().iloc[:1])
    raise RuntimeError("importer crashed half-way")


@pytest.mark.parametrize(
    ("body", "error", "needle"),
    [
        (_write_negative_population, PackError, "districts: column 'population' out of range"),
        (_write_non_metric_city, PackError, "not a projected CRS"),
        (_write_then_crash, RuntimeError, "crashed half-way"),
    ],
    ids=["invalid-data", "invalid-city", "exception-in-body"],
)
def test_failed_staged_pack_leaves_pack_unchanged(
    pack: Path, body: Callable[[Any], None], error: type[Exception], needle: str
) -> None:
    before = pack_hash(pack)
    siblings = sorted(p.name for p in pack.parent.iterdir())
    with pytest.raises(error) as err, staged_pack(pack) as stage:
        body(stage)
    assert needle in str(err.value)
    assert pack_hash(pack) == before
    assert sorted(p.name for p in pack.parent.iterdir()) == siblings  # no staging left over
    assert validate_pack(pack).ok


def test_failed_new_pack_is_not_created(tmp_path: Path) -> None:
    target = tmp_path / "new"
    with pytest.raises(PackError), staged_pack(target, CITY) as stage:
        _write_negative_population(stage)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_successful_staged_pack_replaces_dataset(pack: Path) -> None:
    before = pack_hash(pack)
    old_version = load_pack(pack).version
    frame = districts_frame()
    frame["population"] = frame["population"] * 2
    with staged_pack(pack) as stage:
        stage.put_vector(DATASETS["districts"], frame)
    after = pack_hash(pack)
    assert after["districts.geojson"] != before["districts.geojson"]
    for name in ("outline.geojson", "river.geojson", "grid.nc", "district_stats.csv"):
        assert after[name] == before[name], name
    loaded = load_pack(pack)
    assert loaded.version != old_version
    assert loaded.vector("districts")["population"].tolist() == [2 * p for p in POPULATION]
    assert sorted(loaded.catalog.ids()) == sorted(DATASETS)  # replaced, not duplicated
    assert sorted(p.name for p in pack.parent.iterdir()) == ["pack"]
