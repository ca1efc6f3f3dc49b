"""Tests of the synthetic Jena demo pack: facts kept exactly, geometry sound, bytes stable."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from data.catalog import CITY_FILE
from data.demo import (
    DEFAULT_SEED,
    GENERATOR_VERSION,
    build_demo_pack,
    demo_pack_dir,
    ensure_demo_pack,
    facts,
)
from data.demo import generator as gen
from data.demo.generator import largest_remainder, slug
from data.pack import CityPack, validate_pack
from data.schemas import LANDCOVER_CLASSES
from tests.conftest import pack_hash

NAMES = [o.name for o in facts.ORTSTEILE]
# Measured: max 0.06 % (mean 0.014 %) after snapping to 1 m; allow slack.
AREA_TOLERANCE_PCT = 0.5
TO_METRIC = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)


@pytest.fixture(scope="module")
def built(demo_build: tuple[Path, float]) -> tuple[Path, float]:
    """The session's fresh build (tests/conftest.py), read only here."""
    return demo_build


@pytest.fixture(scope="module")
def pack(demo_pack: CityPack) -> CityPack:
    return demo_pack


@pytest.fixture(scope="module")
def cells(pack: CityPack) -> dict[str, np.ndarray]:
    """Cell centres, their district index (by centre; -1 outside) and inside-outline mask."""
    grid = pack.raster("grid")
    gx, gy = np.meshgrid(grid["x"].to_numpy(), grid["y"].to_numpy())
    district = np.full(gx.shape, -1)
    for k, geom in enumerate(pack.metric("districts").geometry):
        district[shapely.contains_xy(geom, gx, gy)] = k
    outline = pack.metric("outline").geometry.iloc[0]
    return {"x": gx, "y": gy, "district": district, "inside": shapely.contains_xy(outline, gx, gy)}


# --- facts ---------------------------------------------------------------------------------


def test_facts_are_consistent() -> None:
    assert len(facts.ORTSTEILE) == 30
    assert len(set(NAMES)) == 30
    assert facts.ORTSTEILE_POPULATION == facts.CITY_POPULATION_2017 == 108_722
    assert facts.ORTSTEILE_65PLUS == facts.CITY_65PLUS_2017 == 23_412
    assert facts.CITY_UNDER6_2017 == 3388 + 3105
    assert facts.ORTSTEILE_UNDER18 == 17_016  # 12 fewer than the city's 17,028
    assert facts.CITY_UNDER18_2017 == 17_028
    assert sum(facts.PLANUNGSRAUM_POPULATION_2017.values()) == facts.CITY_POPULATION_2017
    assert len(facts.SAALE_POINTS) == 16
    lats = [p[1] for p in facts.SAALE_POINTS]
    assert lats == sorted(lats)  # south to north
    min_lon, min_lat, max_lon, max_lat = facts.CITY_BBOX
    for o in facts.ORTSTEILE:
        assert min_lon < o.lon < max_lon and min_lat < o.lat < max_lat
        assert o.over65 <= o.population and o.under18 <= o.population


def test_largest_remainder_is_exact_and_deterministic() -> None:
    out = largest_remainder(10, [1, 1, 1])
    assert out.tolist() == [4, 3, 3]
    rng = np.random.default_rng(1)
    for total in (0, 1, 17, 22568):
        w = rng.random(50)
        got = largest_remainder(total, w)
        assert got.sum() == total and (got >= 0).all()
        assert np.all(np.abs(got - total * w / w.sum()) < 1)
    with pytest.raises(ValueError):
        largest_remainder(5, [0, 0])


# --- build ---------------------------------------------------------------------------------


def test_build_is_fast(built: tuple[Path, float]) -> None:
    assert built[1] < 10.0


def test_same_seed_same_bytes_other_seed_other_grid(
    built: tuple[Path, float], tmp_path: Path
) -> None:
    again = build_demo_pack(tmp_path / "again", seed=DEFAULT_SEED)
    assert pack_hash(again) == pack_hash(built[0])
    other = build_demo_pack(tmp_path / "other", seed=DEFAULT_SEED + 1)
    a, b = pack_hash(built[0]), pack_hash(other)
    assert a["grid.nc"] != b["grid.nc"]
    # geometry comes from the facts only
    for name in ("districts.geojson", "outline.geojson", "river.geojson"):
        assert a[name] == b[name]


def test_pack_is_valid_and_complete(built: tuple[Path, float], pack: CityPack) -> None:
    assert validate_pack(built[0]).ok
    assert set(pack.catalog.ids()) == set(gen.DATASET_IDS)
    city = pack.city
    assert city.id == "jena-demo" and city.name == "Jena" and city.synthetic
    assert city.centre == (50.925, 11.586) and city.zoom == 12
    assert city.bbox == facts.CITY_BBOX
    assert city.metric_crs == "EPSG:25832" and city.default_language == "de"
    assert city.basemaps == ("topplus", "osm", "offline") and city.default_basemap == "topplus"


def test_catalog_metadata(pack: CityPack) -> None:
    expected_by = f"allmende data.demo v{GENERATOR_VERSION} seed {DEFAULT_SEED}"
    for ds in pack.catalog.datasets:
        assert ds.title.get("de") and ds.title.get("en"), ds.id
        assert ds.description.get("de") and ds.description.get("en"), ds.id
        assert ds.approximations.get("de") and ds.approximations.get("en"), ds.id
        assert ds.licence and ds.temporal is not None, ds.id
        assert ds.generated_by == expected_by
        assert "Synthetische Demo-Daten" in ds.attribution, ds.id
    assert "OpenStreetMap" in pack.dataset("river").attribution
    assert "ODbL" in pack.dataset("river").attribution
    for ds_id in ("districts", "district_stats", "grid"):
        t = pack.dataset(ds_id).temporal
        assert t is not None and t.start == t.end == "2017-12-31"
    approx = pack.dataset("districts").approximations
    assert "Unter 6" in approx["de"] and "Under 6" in approx["en"]


def test_no_dash_import() -> None:
    code = (
        "import sys, data.demo, data.pack, data.writer\n"
        "bad = [m for m in sys.modules if m == 'dash' or m.startswith('dash.')]\n"
        "assert not bad, bad\n"
    )
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)


# --- vectors -------------------------------------------------------------------------------


def test_districts_names_and_populations(pack: CityPack) -> None:
    d = pack.vector("districts")
    assert len(d) == 30
    assert list(d["name"]) == NAMES
    assert list(d["district_id"]) == [slug(n) for n in NAMES]
    assert "jena-sued" in set(d["district_id"]) and "jenapriessnitz-wogau" in set(d["district_id"])
    assert all(i.isascii() and i == i.lower() for i in d["district_id"])
    for _, row in d.iterrows():
        o = facts.ORTSTEILE[NAMES.index(row["name"])]
        assert row["population"] == o.population
        assert row["pop_65plus"] == o.over65
        assert row["pop_under18"] == o.under18
        assert 0 <= row["pop_under6"] <= row["pop_under18"]
        assert abs(row["pop_under6"] - o.under18 * facts.under6_ratio()) < 1.5
    assert int(d["population"].sum()) == facts.CITY_POPULATION_2017
    assert int(d["pop_65plus"].sum()) == facts.CITY_65PLUS_2017
    assert int(d["pop_under6"].sum()) == facts.CITY_UNDER6_2017
    assert int(d["pop_under18"].sum()) == facts.ORTSTEILE_UNDER18
    assert set(d["planungsraum"]) == set(facts.PLANUNGSRAUM_POPULATION_2017)


def test_district_geometry(pack: CityPack) -> None:
    d = pack.metric("districts")
    assert d.is_valid.all() and (d.geom_type == "Polygon").all()
    geoms = d.geometry.to_numpy()
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    pairs = left < right
    overlap = shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]]))
    assert overlap.max(initial=0.0) < 1.0  # m²
    outline = pack.metric("outline").geometry.iloc[0]
    union = shapely.union_all(geoms)
    assert union.symmetric_difference(outline).area < 100.0  # m², i.e. covers it
    # each district holds its real centroid
    for o, geom in zip(facts.ORTSTEILE, pack.vector("districts").geometry, strict=True):
        assert geom.contains(shapely.Point(o.lon, o.lat)), o.name


def test_district_areas_close_to_facts(pack: CityPack) -> None:
    d = pack.metric("districts")
    measured = d.geometry.area.to_numpy() / 1e6
    official = np.array([o.area_km2 for o in facts.ORTSTEILE])
    err_pct = np.abs(measured - official) / official * 100
    assert err_pct.max() < AREA_TOLERANCE_PCT, dict(zip(NAMES, err_pct.round(3), strict=True))
    assert np.allclose(d["area_km2"].to_numpy(dtype=float), measured, atol=1e-3)
    assert abs(measured.sum() - facts.ORTSTEILE_AREA_KM2) < 0.05


def test_everything_inside_bbox(pack: CityPack) -> None:
    min_lon, min_lat, max_lon, max_lat = facts.CITY_BBOX
    for ds_id in ("outline", "districts", "river"):
        b = pack.vector(ds_id).total_bounds
        assert b[0] >= min_lon and b[1] >= min_lat, ds_id
        assert b[2] <= max_lon and b[3] <= max_lat, ds_id
        assert pack.vector(ds_id).is_valid.all(), ds_id


def test_river(pack: CityPack) -> None:
    river = pack.metric("river")
    assert set(river.geom_type) <= {"LineString", "MultiLineString"}
    line = shapely.union_all(river.geometry.to_numpy())
    # about 15.8 km inside the city; the bbox adds a few km at both ends
    assert 15_000 < line.length < 25_000
    wgs = shapely.union_all(pack.vector("river").geometry.to_numpy())
    for lon, lat in facts.SAALE_POINTS:
        assert wgs.distance(shapely.Point(lon, lat)) < 1e-4  # degrees, ≈ 10 m
    # the Markt lies about 0.5 km west of the river
    x, y = TO_METRIC.transform(*facts.MARKT)
    assert 300 < line.distance(shapely.Point(x, y)) < 700


# --- grid ----------------------------------------------------------------------------------


def test_grid_layout(pack: CityPack) -> None:
    grid = pack.raster("grid")
    assert grid["landcover"].dims == ("y", "x")
    x, y = grid["x"].to_numpy(), grid["y"].to_numpy()
    assert np.allclose(np.diff(x), 100.0) and np.allclose(np.diff(y), -100.0)
    assert "crs_wkt" in grid["spatial_ref"].attrs
    assert grid.attrs["crs_label"] == "EPSG:25832"
    assert "history" not in grid.attrs
    for name in ("elevation", "landcover", "imperviousness", "tree_canopy", "population"):
        assert grid[name].attrs.get("grid_mapping") == "spatial_ref"
        assert "units" in grid[name].attrs and "long_name" in grid[name].attrs
    # covers the bbox
    outline_bounds = pack.metric("outline").total_bounds
    assert x.min() - 50 <= outline_bounds[0] and x.max() + 50 >= outline_bounds[2]
    assert y.min() - 50 <= outline_bounds[1] and y.max() + 50 >= outline_bounds[3]


def test_grid_population_exact_per_district(pack: CityPack, cells: dict[str, np.ndarray]) -> None:
    pop = pack.raster("grid")["population"].to_numpy().astype(float)
    assert np.all(pop == np.round(pop)) and pop.min() >= 0
    assert pop.sum() == facts.CITY_POPULATION_2017
    assert pop[~cells["inside"]].sum() == 0
    assert pop[cells["district"] < 0].sum() == 0
    for k, o in enumerate(facts.ORTSTEILE):
        assert pop[cells["district"] == k].sum() == o.population, o.name


def test_grid_value_ranges(pack: CityPack, cells: dict[str, np.ndarray]) -> None:
    grid = pack.raster("grid")
    elev = grid["elevation"].to_numpy()
    cover = grid["landcover"].to_numpy()
    imp = grid["imperviousness"].to_numpy()
    can = grid["tree_canopy"].to_numpy()
    pop = grid["population"].to_numpy()
    assert elev.min() >= 130 and elev.max() <= 420
    assert elev[cover == 7].min() >= 135 and elev[cover == 7].max() <= 160
    assert 300 <= np.percentile(elev, 90) <= 400
    assert set(np.unique(cover)) == set(LANDCOVER_CLASSES)
    assert imp.min() >= 0 and imp.max() <= 1 and can.min() >= 0 and can.max() <= 1
    assert np.all(imp + can <= 1.0 + 1e-6)
    mean_imp = {c: imp[cover == c].mean() for c in LANDCOVER_CLASSES}
    assert mean_imp[1] > mean_imp[2] > mean_imp[4] > mean_imp[5]
    assert can[cover == 6].mean() > 0.6
    forest_share = (cover[cells["inside"]] == 6).mean()
    assert 0.25 < forest_share < 0.40  # Kataster 2016: 32 %
    # people live in built-up cells only
    assert set(np.unique(cover[pop > 0])) <= {1, 2}
    # dense city around the Markt
    mx, my = TO_METRIC.transform(*facts.MARKT)
    near = np.hypot(cells["x"] - mx, cells["y"] - my) < 500
    assert (cover[near] == 1).mean() > 0.4
    for name in ("share_65plus", "share_under6"):
        share = grid[name].to_numpy()
        assert np.array_equal(np.isnan(share), ~(pop > 0)), name
        valid = share[~np.isnan(share)]
        assert valid.min() >= 0 and valid.max() <= 1, name


def test_grid_shares_follow_districts(pack: CityPack, cells: dict[str, np.ndarray]) -> None:
    grid = pack.raster("grid")
    pop = grid["population"].to_numpy().astype(float)
    share = grid["share_65plus"].to_numpy().astype(float)
    for k, o in enumerate(facts.ORTSTEILE):
        m = (cells["district"] == k) & (pop > 0)
        weighted = float((share[m] * pop[m]).sum() / pop[m].sum())
        assert abs(weighted - o.over65 / o.population) < 0.05, o.name


def test_district_stats_table(pack: CityPack) -> None:
    t = pack.table("district_stats")
    assert list(t.columns) == [
        "district_id",
        "name",
        "population",
        "pop_under6",
        "pop_under18",
        "pop_65plus",
        "share_65plus",
        "share_under6",
        "density_per_km2",
    ]
    assert list(t["name"]) == NAMES
    assert int(t["population"].sum()) == facts.CITY_POPULATION_2017
    d = pack.vector("districts")
    assert list(t["district_id"]) == list(d["district_id"])
    assert np.allclose(t["share_65plus"], d["pop_65plus"] / d["population"], atol=1e-4)
    density = (d["population"] / d["area_km2"]).to_numpy(dtype=float)
    assert np.allclose(t["density_per_km2"].to_numpy(dtype=float), density, atol=0.051)


# --- cache ---------------------------------------------------------------------------------


def test_demo_pack_dir(tmp_path: Path) -> None:
    assert demo_pack_dir(tmp_path) == tmp_path.resolve() / f"jena-demo-v{GENERATOR_VERSION}"


def test_ensure_reuses_and_repairs(tmp_path: Path) -> None:
    folder = ensure_demo_pack(tmp_path)
    assert folder == demo_pack_dir(tmp_path) and validate_pack(folder).ok
    mtimes = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert ensure_demo_pack(tmp_path) == folder
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == mtimes

    good = pack_hash(folder)
    (folder / "grid.nc").write_bytes(b"not a netcdf file")
    assert not validate_pack(folder).ok
    ensure_demo_pack(tmp_path)
    assert validate_pack(folder).ok and pack_hash(folder) == good

    (folder / CITY_FILE).write_text("this is [not toml", encoding="utf-8")
    ensure_demo_pack(tmp_path)
    assert validate_pack(folder).ok and pack_hash(folder) == good


def test_ensure_builds_once_under_concurrency(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []
    real_build = gen.build_demo_pack

    def counting(folder: Path | str, seed: int = DEFAULT_SEED) -> Path:
        calls.append(Path(folder))
        return real_build(folder, seed)

    monkeypatch.setattr(gen, "build_demo_pack", counting)
    results: list[Path] = []
    threads = [
        threading.Thread(target=lambda: results.append(gen.ensure_demo_pack(tmp_path)))
        for _ in range(2)
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(results) == 2 and len(calls) == 1
    assert validate_pack(results[0]).ok


def test_build_refuses_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ValueError, match="refusing"):
        build_demo_pack(tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


# --- comparison with the real boundaries (optional) ---------------------------------------


@pytest.mark.realdata
def test_shapes_resemble_real_boundaries(real_data, pack: CityPack) -> None:
    import geopandas as gpd

    folder = real_data("jena_boundaries")
    real = gpd.read_file(folder / "jena_ortsteile_30.geojson").to_crs("EPSG:25832")
    city = gpd.read_file(folder / "jena_city_boundary_osm_2014.geojson").to_crs("EPSG:25832")
    real_outline = shapely.union_all(city.geometry.to_numpy())
    outline = pack.metric("outline").geometry.iloc[0]
    iou = outline.intersection(real_outline).area / outline.union(real_outline).area
    assert iou > 0.8  # measured 0.89
    by_name = dict(zip(real["name"], real.geometry, strict=True))
    ious = []
    districts = pack.metric("districts")
    for name, geom in zip(districts["name"], districts.geometry, strict=True):
        other = by_name[name]
        assert abs(geom.area - other.area) / other.area < 0.01, name
        ious.append(geom.intersection(other).area / geom.union(other).area)
    assert np.mean(ious) > 0.5  # measured 0.63
