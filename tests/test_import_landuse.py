"""Land use, plans and constraints into a pack (issue 15): real OSM land use, the polygon
checks and repairs, the editable OSM mapping, GPKG and zipped Shapefile input, the plan
and constraint columns, replacing constraints by kind, and all-or-nothing writes."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from data.demo.facts import CITY_BBOX
from data.importers import constraints, landuse, plans
from data.importers.base import ImporterError, run_importer
from data.importers.landuse_mapping import DEFAULT_MAPPING, load_mapping
from data.landuse_vocab import LANDUSE_CLASSES
from data.pack import load_pack, validate_pack
from data.writer import staged_pack
from tests.conftest import pack_hash
from tests.packfactory import CITY, ORIGIN, make_pack

OSM_LANDUSE = "jena_osm_2014/jena_osm_landuse_polygons_2014.geojson"
LON, LAT = 11.575, 50.92  # inside the packfactory city


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_pack(tmp_path_factory.mktemp("landuse") / "pack")


@pytest.fixture
def pack(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "pack"))


def square(i: int, d: float = 0.001) -> dict[str, Any]:
    lon, lat = LON + 0.002 * i, LAT
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def geojson(path: Path, rows: list[dict[str, Any]], geoms: list[Any] | None = None) -> Path:
    geoms = geoms or [square(i) for i in range(len(rows))]
    features = [
        {"type": "Feature", "properties": p, "geometry": g}
        for p, g in zip(rows, geoms, strict=True)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def text(result: Any) -> str:
    return "\n".join(result.lines())


# --- the real OSM land use --------------------------------------------------------------------


def test_the_real_osm_landuse_imports_with_areas_per_class(
    real_data: Callable[[str], Path], tmp_path: Path
) -> None:
    folder = make_pack(tmp_path / "jena")
    with staged_pack(folder, replace(CITY, bbox=CITY_BBOX)):
        pass  # the packfactory pack with Jena's bounding box
    result = run_importer(landuse.IMPORTER, folder, file=real_data(OSM_LANDUSE))
    areas = result.native
    assert result.read == 2524 and result.written > 2400
    assert areas["residential"] > 500 and areas["forest"] > 1000 and areas["agriculture"] > 1000
    assert all(areas[c] > 0 for c in ("commercial", "industrial", "green", "allotments", "water"))
    shown = text(result)
    for cls, ha in areas.items():
        if ha > 0:
            assert f"{cls:<12} {ha:>9.1f} ha" in shown
    assert "leisure=nature_reserve 7" in shown  # left out on purpose by the shipped mapping
    assert "relation/" in shown and result.repaired  # the file's invalid multipolygons
    assert validate_pack(folder).ok
    stored = load_pack(folder).metric("landuse")
    assert set(stored["use"]) <= set(LANDUSE_CLASSES)
    assert stored.geometry.area.sum() / 1e4 == pytest.approx(sum(areas.values()), rel=1e-6)


# --- geometry checks ----------------------------------------------------------------------------


def test_a_self_intersecting_polygon_is_repaired_and_named(pack: Path, tmp_path: Path) -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [
                [LON, LAT],
                [LON + 0.002, LAT + 0.002],
                [LON + 0.002, LAT],
                [LON, LAT + 0.002],
                [LON, LAT],
            ]
        ],
    }
    rows = [{"@id": "way/7", "landuse": "residential"}, {"@id": "way/8", "landuse": "forest"}]
    path = geojson(tmp_path / "bowtie.geojson", rows, [bowtie, square(3)])
    result = run_importer(landuse.IMPORTER, pack, file=path)
    assert result.repaired == ["way/7"]
    assert any("repaired with make_valid" in w and "way/7" in w for w in result.warnings)
    stored = load_pack(pack).vector("landuse")
    assert stored.is_valid.all() and set(stored.geom_type) <= {"Polygon", "MultiPolygon"}
    assert result.native["residential"] > 0


def test_empty_and_point_geometries_are_refused_with_their_ids(pack: Path, tmp_path: Path) -> None:
    rows = [
        {"@id": "way/1", "landuse": "forest"},
        {"@id": "way/2", "landuse": "forest"},
        {"@id": "node/3", "landuse": "forest"},
    ]
    geoms = [square(0), None, {"type": "Point", "coordinates": [LON, LAT]}]
    path = geojson(tmp_path / "mixed.geojson", rows, geoms)
    before = pack_hash(pack)
    with pytest.raises(ImporterError) as caught:
        run_importer(landuse.IMPORTER, pack, file=path)
    message = str(caught.value)
    assert "way/2" in message and "node/3" in message and "Point" in message
    assert "way/1" not in (caught.value.where or "")
    assert pack_hash(pack) == before


def _shapefile_zip(tmp_path: Path, name: str, prj: bool) -> Path:
    x0, y0 = ORIGIN
    frame = gpd.GeoDataFrame(
        {"use": ["residential", "Wald"], "landuse_id": ["a", "b"]},
        geometry=[box(x0, y0, x0 + 300, y0 + 300), box(x0 + 400, y0, x0 + 600, y0 + 200)],
        crs="EPSG:25832",
    )
    folder = tmp_path / name
    folder.mkdir()
    frame.to_file(folder / f"{name}.shp", engine="pyogrio")
    target = tmp_path / f"{name}.zip"
    with zipfile.ZipFile(target, "w") as zf:
        for part in folder.iterdir():
            if prj or part.suffix != ".prj":
                zf.write(part, part.name)
    return target


def test_a_file_without_crs_is_refused_with_the_source_crs_hint(pack: Path, tmp_path: Path) -> None:
    path = _shapefile_zip(tmp_path, "nutzung", prj=False)
    before = pack_hash(pack)
    with pytest.raises(ImporterError) as caught:
        run_importer(landuse.IMPORTER, pack, file=path)
    assert "--source-crs" in str(caught.value) and "nutzung.zip" in str(caught.value)
    assert pack_hash(pack) == before
    result = run_importer(landuse.IMPORTER, pack, file=path, source_crs="EPSG:25832")
    assert result.written == 2


def test_metre_coordinates_in_geojson_ask_for_the_source_crs(pack: Path, tmp_path: Path) -> None:
    x0, y0 = ORIGIN
    ring = [[x0, y0], [x0 + 100, y0], [x0 + 100, y0 + 100], [x0, y0]]
    path = geojson(
        tmp_path / "metres.geojson",
        [{"use": "water"}],
        [{"type": "Polygon", "coordinates": [ring]}],
    )
    with pytest.raises(ImporterError, match="--source-crs"):
        run_importer(landuse.IMPORTER, pack, file=path)
    assert run_importer(landuse.IMPORTER, pack, file=path, source_crs="EPSG:25832").written == 1


def test_a_zipped_shapefile_with_a_use_column_imports_without_mapping(
    pack: Path, tmp_path: Path
) -> None:
    result = run_importer(landuse.IMPORTER, pack, file=_shapefile_zip(tmp_path, "lu", prj=True))
    assert "the file's 'use' column" in text(result)
    stored = load_pack(pack).metric("landuse").set_index("landuse_id")
    assert stored.loc["a", "use"] == "residential" and stored.loc["b", "use"] == "forest"
    assert result.native["residential"] == pytest.approx(9.0, rel=1e-3)  # 300 m × 300 m


def test_a_geopackage_is_read(pack: Path, tmp_path: Path) -> None:
    x0, y0 = ORIGIN
    frame = gpd.GeoDataFrame(
        {"landuse": ["allotments"], "name": ["KGA Sonnenblick"]},
        geometry=[box(x0, y0, x0 + 200, y0 + 100)],
        crs="EPSG:25832",
    )
    path = tmp_path / "kleingaerten.gpkg"
    frame.to_file(path, layer="flaechen", engine="pyogrio")
    result = run_importer(landuse.IMPORTER, pack, file=path)
    assert result.native["allotments"] == pytest.approx(2.0, rel=1e-3)
    assert load_pack(pack).vector("landuse")["name"].tolist() == ["KGA Sonnenblick"]
    frame.to_file(path, layer="zweite", engine="pyogrio")
    with pytest.raises(ImporterError, match="--layer"):
        run_importer(landuse.IMPORTER, pack, file=path)
    assert run_importer(landuse.IMPORTER, pack, file=path, layer="zweite").written == 1


# --- the mapping --------------------------------------------------------------------------------

OSM_ROWS = [
    {"@id": "way/1", "landuse": "residential"},
    {"@id": "way/2", "landuse": "meadow"},
    {"@id": "way/3", "landuse": "bogus"},
    {"@id": "way/4", "landuse": "bogus"},
    {"@id": "way/5", "amenity": "parking"},
]


def test_unmapped_tags_are_listed_and_kept_as_other(pack: Path, tmp_path: Path) -> None:
    result = run_importer(landuse.IMPORTER, pack, file=geojson(tmp_path / "osm.geojson", OSM_ROWS))
    shown = text(result)
    assert "3 feature(s) no mapping rule matches, kept as 'other'" in shown
    assert "landuse=bogus 2" in shown and "(no landuse/leisure/natural/waterway tag) 1" in shown
    stored = load_pack(pack).vector("landuse").set_index("landuse_id")
    assert stored.loc["way/3", "use"] == "other" and stored.loc["way/2", "use"] == "agriculture"
    assert result.written == 5


def test_an_edited_mapping_changes_the_classes(pack: Path, tmp_path: Path) -> None:
    edited = tmp_path / "meine_zuordnung.csv"
    body = DEFAULT_MAPPING.read_text("utf-8").replace(
        "landuse,meadow,agriculture", "landuse,meadow,green"
    )
    edited.write_text(body + "landuse,bogus,industrial\n", "utf-8")
    path = geojson(tmp_path / "osm.geojson", OSM_ROWS)
    result = run_importer(landuse.IMPORTER, pack, file=path, mapping=edited)
    stored = load_pack(pack).vector("landuse").set_index("landuse_id")
    assert stored.loc["way/2", "use"] == "green" and stored.loc["way/3", "use"] == "industrial"
    assert "landuse=bogus" not in text(result) and "1 feature(s) no mapping rule" in text(result)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("landuse,meadow,meadowland", "unknown class 'meadowland'"),
        ("landuse,residential,green", "mapped twice"),
        ("landuse,meadow", "three fields"),
    ],
)
def test_a_bad_mapping_line_is_refused_with_its_line(
    tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "m.csv"
    path.write_text("key,value,class\nlanduse,residential,residential\n" + line + "\n", "utf-8")
    with pytest.raises(ImporterError, match=message) as caught:
        load_mapping(path)
    assert caught.value.where == "line 3" and "m.csv" in str(caught.value)


# --- all or nothing -------------------------------------------------------------------------


def test_a_failed_import_leaves_the_pack_byte_identical(pack: Path, tmp_path: Path) -> None:
    run_importer(landuse.IMPORTER, pack, file=geojson(tmp_path / "ok.geojson", OSM_ROWS))
    before = pack_hash(pack)
    bad_use = geojson(tmp_path / "bad.geojson", [{"use": "residential"}, {"use": "Schloss"}])
    with pytest.raises(ImporterError, match="feature 'feature-2', column 'use'"):
        run_importer(landuse.IMPORTER, pack, file=bad_use)
    assert pack_hash(pack) == before
    # one that passes the importer's checks but not the pack's: the staged pack is refused
    far = {
        "type": "Polygon",
        "coordinates": [[[LON, LAT], [LON + 0.5, LAT], [LON + 0.5, LAT + 0.001], [LON, LAT]]],
    }
    crossing = geojson(
        tmp_path / "far.geojson", [{"plan_id": "X", "use": "green", "status": "idea"}], [far]
    )
    from data.pack import PackError

    with pytest.raises(PackError):
        run_importer(plans.IMPORTER, pack, file=crossing)
    assert pack_hash(pack) == before
    assert not [p for p in pack.parent.iterdir() if ".staging" in p.name]


# --- plans ------------------------------------------------------------------------------------

PLAN = {
    "plan_id": "P1",
    "name": "Am Steinbach",
    "use": "Wohnen",
    "dwellings": 80,
    "status": "In Planung",
}


def test_plans_accept_german_labels(pack: Path, tmp_path: Path) -> None:
    rows = [
        PLAN,
        {**PLAN, "plan_id": "P2", "use": "mixed", "dwellings": None, "status": "approved"},
    ]
    result = run_importer(plans.IMPORTER, pack, file=geojson(tmp_path / "plans.geojson", rows))
    stored = load_pack(pack).vector("plans").set_index("plan_id")
    assert stored.loc["P1", "use"] == "residential" and stored.loc["P1", "status"] == "planning"
    assert stored.loc["P1", "dwellings"] == 80 and stored["dwellings"].isna().sum() == 1
    assert result.written == 2 and "80 dwellings" in text(result)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"use": "Schwimmbad"}, "feature 'P2', column 'use'"),
        ({"status": "vielleicht"}, "feature 'P2', column 'status'"),
        ({"dwellings": -5}, "feature 'P2', column 'dwellings'"),
        ({"dwellings": 2.5}, "feature 'P2', column 'dwellings'"),
        ({"plan_id": "P1"}, "feature(s) 'P1', column 'plan_id'"),
    ],
)
def test_bad_plan_values_name_the_feature_and_column(
    pack: Path, tmp_path: Path, change: dict[str, Any], where: str
) -> None:
    rows = [PLAN, {**PLAN, "plan_id": "P2", **change}]
    before = pack_hash(pack)
    with pytest.raises(ImporterError) as caught:
        run_importer(plans.IMPORTER, pack, file=geojson(tmp_path / "plans.geojson", rows))
    assert caught.value.where == where, str(caught.value)
    assert pack_hash(pack) == before


# --- constraints ------------------------------------------------------------------------------


def test_constraints_replace_their_kind_and_keep_the_others(pack: Path, tmp_path: Path) -> None:
    flood = geojson(tmp_path / "hq100.geojson", [{"name": "Saaleaue"}, {}])
    first = run_importer(constraints.IMPORTER, pack, file=flood, kind="flood_hq100")
    assert first.written == 2
    nature = geojson(
        tmp_path / "nsg.geojson",
        [{"constraint_id": "nsg-1", "kind": "Naturschutzgebiet", "name": "Leutratal"}],
    )
    run_importer(constraints.IMPORTER, pack, file=nature, licence="dl-de/by-2-0")
    new_flood = geojson(tmp_path / "hq100_neu.geojson", [{"name": "Saaleaue 2024"}])
    result = run_importer(constraints.IMPORTER, pack, file=new_flood, kind="flood_hq100")
    stored = load_pack(pack).vector("constraints").set_index("constraint_id")
    assert sorted(stored.index) == ["flood_hq100-1", "nsg-1"]
    assert stored.loc["flood_hq100-1", "name"] == "Saaleaue 2024"
    assert stored.loc["nsg-1", "kind"] == "nature_protected"
    assert result.written == 2 and "kept 1 zone(s) of other kinds: nature_protected" in text(result)
    clash = geojson(tmp_path / "gz.geojson", [{"constraint_id": "nsg-1"}])
    with pytest.raises(ImporterError, match="already used"):
        run_importer(constraints.IMPORTER, pack, file=clash, kind="green_corridor")


def test_constraints_without_a_kind_are_refused(pack: Path, tmp_path: Path) -> None:
    path = geojson(tmp_path / "zones.geojson", [{"name": "x"}])
    with pytest.raises(ImporterError, match="--kind"):
        run_importer(constraints.IMPORTER, pack, file=path)
    bad = geojson(tmp_path / "zones2.geojson", [{"constraint_id": "z1", "kind": "lava"}])
    with pytest.raises(ImporterError) as caught:
        run_importer(constraints.IMPORTER, pack, file=bad)
    assert caught.value.where == "feature 'z1', column 'kind'"


def test_points_far_away_are_never_inside(pack: Path, tmp_path: Path) -> None:
    """A polygon wholly outside the city: land use leaves it out and lists it, plans refuse it."""
    far = {
        "type": "Polygon",
        "coordinates": [[[13.4, 52.5], [13.41, 52.5], [13.41, 52.51], [13.4, 52.5]]],
    }
    path = geojson(
        tmp_path / "berlin.geojson",
        [{"@id": "way/9", "landuse": "forest"}, {"@id": "way/1", "landuse": "forest"}],
        [far, square(0)],
    )
    result = run_importer(landuse.IMPORTER, pack, file=path)
    assert result.dropped == ["way/9"] and result.written == 1
    plan = geojson(tmp_path / "p.geojson", [{**PLAN, "plan_id": "B"}], [far])
    with pytest.raises(ImporterError, match="outside the city"):
        run_importer(plans.IMPORTER, pack, file=plan)
    assert Point(LON, LAT).within(box(*CITY.bbox))
