"""Reading heat-sensitive facilities from OSM exports and tables, importing them into a pack."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import Point, shape

from dashboard.cli import main
from data.importers.facilities import (
    FacilitiesError,
    import_facilities,
    osm_kind,
    read_facilities_table,
    read_osm_facilities,
)
from data.pack import load_pack, validate_pack
from tests.conftest import pack_hash
from tests.packfactory import make_pack

LON, LAT = 11.58, 50.92  # inside the packfactory city's bbox


def feature(tags: dict[str, Any], geometry: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": tags,
        "geometry": geometry or {"type": "Point", "coordinates": [LON, LAT]},
    }


def square(lon: float, lat: float, d: float = 0.001) -> dict[str, Any]:
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


OSM_FEATURES = [
    feature({"@id": "node/1", "amenity": "kindergarten", "name": "Kita Sonnenschein"}),
    feature({"@id": "way/2", "amenity": "childcare", "name": "Krippe"}, square(LON, LAT)),
    feature({"@id": "node/3", "amenity": "school", "name": "Südschule"}),
    feature({"@id": "node/4", "amenity": "hospital"}),
    feature({"@id": "node/5", "amenity": "nursing_home", "name": "Haus Abendrot"}),
    feature({"@id": "node/6", "amenity": "social_facility", "social_facility": "nursing_home"}),
    feature(
        {
            "@id": "node/7",
            "amenity": "social_facility",
            "social_facility": "assisted_living",
            "social_facility:for": "senior;disabled",
        }
    ),
    feature(
        {
            "@id": "node/8",
            "amenity": "social_facility",
            "social_facility": "assisted_living",
            "social_facility:for": "disabled",
        }
    ),
    feature({"@id": "node/9", "amenity": "bench"}),
    feature({"@id": "node/10", "natural": "tree"}),
    feature({"@id": "node/1", "amenity": "kindergarten", "name": "Kita Sonnenschein"}),
    feature({"@id": "node/11", "healthcare": "hospital", "name": "Klinik"}),
    feature(
        {"@id": "node/12", "amenity": "school"}, {"type": "Point", "coordinates": [13.4, 52.5]}
    ),
]


def write_geojson(path: Path, features: list[dict[str, Any]]) -> Path:
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_pack(tmp_path_factory.mktemp("facilities") / "pack")


@pytest.fixture
def pack(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "pack"))


# --- OSM -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tags", "kind"),
    [
        ({"amenity": "kindergarten"}, "kita"),
        ({"amenity": "childcare"}, "kita"),
        ({"amenity": "school"}, "school"),
        ({"amenity": "hospital"}, "hospital"),
        ({"healthcare": "hospital"}, "hospital"),
        ({"amenity": "nursing_home"}, "care_home"),
        ({"social_facility": "nursing_home"}, "care_home"),
        ({"social_facility": "assisted_living", "social_facility:for": "senior"}, "care_home"),
        ({"social_facility": "assisted_living", "social_facility:for": "disabled"}, None),
        ({"social_facility": "assisted_living"}, None),
        ({"amenity": "bench"}, None),
        ({}, None),
    ],
)
def test_osm_tags_to_kinds(tags: dict[str, str], kind: str | None) -> None:
    assert osm_kind(tags)[0] == kind


def test_read_osm_export(tmp_path: Path) -> None:
    read = read_osm_facilities(write_geojson(tmp_path / "pois.geojson", OSM_FEATURES))
    frame = read.frame.set_index("facility_id")
    assert read.by_kind() == {"kita": 2, "school": 2, "care_home": 3, "hospital": 2}
    assert read.duplicates_dropped == 1
    assert read.ignored == {"social_facility": 1, "bench": 1, "(no amenity)": 1}
    assert frame.at["node/1", "name"] == "Kita Sonnenschein"
    assert frame.at["node/7", "osm_tag"].startswith("social_facility=assisted_living")
    # a polygon becomes a point inside it
    krippe = frame.at["way/2", "geometry"]
    assert krippe.geom_type == "Point" and shape(square(LON, LAT)).contains(krippe)
    assert read.frame.crs.to_epsg() == 4326
    assert "ignored 3 other feature(s)" in "\n".join(read.lines())


def test_nested_tags_are_flattened(tmp_path: Path) -> None:
    features = [
        feature({"type": "node", "id": "node/1", "tags": {"amenity": "school", "name": "A"}}),
        feature({"type": "node", "id": "node/2", "tags": {"amenity": "bench"}}),
    ]
    read = read_osm_facilities(write_geojson(tmp_path / "nested.geojson", features))
    assert read.frame["kind"].tolist() == ["school"] and read.frame["name"].tolist() == ["A"]


def test_import_osm_keeps_the_facilities_in_the_bbox(pack: Path, tmp_path: Path) -> None:
    path = write_geojson(tmp_path / "pois.geojson", OSM_FEATURES)
    result = import_facilities(pack, path)
    assert result.n_facilities == 8 and result.outside == 1  # the school in Berlin
    assert result.by_kind() == {"kita": 2, "school": 1, "care_home": 3, "hospital": 2}
    loaded = load_pack(pack)
    facilities = loaded.vector("facilities")
    assert set(facilities["kind"]) == {"kita", "school", "care_home", "hospital"}
    ds = loaded.dataset("facilities")
    assert ds.licence == "ODbL-1.0" and "OpenStreetMap" in ds.attribution
    assert ds.description["de"] and ds.description["en"]


# --- tables --------------------------------------------------------------------------------

TABLE = (
    "Nr;Art;Bezeichnung;rechtswert;hochwert\n"
    "K1;Kita;Kita am Markt;681000,5;5642500,0\n"
    "P1;Pflegeheim;Haus am Park;682000;5643000\n"
    "S1;school;Nordschule;683000;5643500\n"
    "H1;Hospital;Klinikum;;\n"
)


def test_read_table_with_german_labels_and_utm(tmp_path: Path) -> None:
    path = tmp_path / "einrichtungen.csv"
    path.write_text(TABLE.replace("H1;Hospital;Klinikum;;\n", ""), encoding="cp1252")
    read = read_facilities_table(
        path,
        kind_col="Art",
        name_col="Bezeichnung",
        x_col="rechtswert",
        y_col="hochwert",
        id_col="Nr",
        crs="EPSG:25832",
    )
    assert read.frame["kind"].tolist() == ["kita", "care_home", "school"]
    assert read.frame["facility_id"].tolist() == ["K1", "P1", "S1"]
    assert read.frame.crs.to_epsg() == 4326
    back = read.frame.to_crs("EPSG:25832").geometry.iloc[0]
    assert back.distance(Point(681000.5, 5642500.0)) < 0.01


def test_table_ids_are_generated_per_kind(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(f"kind,x,y\nkita,{LON},{LAT}\nschool,{LON},{LAT}\nkita,{LON},{LAT}\n")
    read = read_facilities_table(path)
    assert read.frame["facility_id"].tolist() == ["kita-1", "school-1", "kita-2"]
    assert read.frame["name"].isna().all()
    assert any("no name column" in w for w in read.warnings)


def test_geojson_table(tmp_path: Path, pack: Path) -> None:
    features = [
        feature({"typ": "Krankenhaus", "name": "Klinikum"}, square(LON, LAT)),
        feature({"typ": "Schule", "name": "Westschule"}),
    ]
    path = write_geojson(tmp_path / "f.geojson", features)
    result = import_facilities(pack, path, "table", kind_col="typ")
    assert result.by_kind() == {"kita": 0, "school": 1, "care_home": 0, "hospital": 1}
    assert shapely.get_type_id(result.frame.geometry.values).tolist() == [0, 0]  # points
    ds = load_pack(pack).dataset("facilities")
    assert ds.licence == "unknown"
    assert any("licence not stated" in w for w in result.warnings)


# --- refusing bad input --------------------------------------------------------------------


def _write(name: str, text: str):
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    return make


@pytest.mark.parametrize(
    ("make", "kwargs", "expected"),
    [
        (
            lambda p: write_geojson(p / "roads.geojson", [feature({"highway": "primary"})]),
            {},
            "roads.geojson: no OSM tags (amenity, social_facility, healthcare) among the "
            "properties; columns: highway",
        ),
        (
            lambda p: write_geojson(p / "benches.geojson", [feature({"amenity": "bench"})]),
            {},
            "benches.geojson: no facility among its 1 features",
        ),
        (_write("broken.geojson", '{"type": "FeatureCollection", "features": ['), {}, "broken"),
        (lambda p: p / "missing.geojson", {}, "OSM file"),
        (
            _write("f.csv", TABLE),
            {"fmt": "table", "kind_col": "Typ", "x_col": "rechtswert", "y_col": "hochwert"},
            "unknown kind column 'Typ'",
        ),
        (
            _write("f.csv", "kind,x,y\nkita,11.58,50.92\nbakery,11.58,50.92\n"),
            {"fmt": "table"},
            "f.csv: line 3: 'kind' is 'bakery', not a facility kind; valid kinds: kita (Kita), "
            "school (Schule), care_home (Pflegeheim), hospital (Krankenhaus)",
        ),
        (
            _write("f.csv", TABLE),
            {
                "fmt": "table",
                "kind_col": "Art",
                "x_col": "rechtswert",
                "y_col": "hochwert",
                "crs": "EPSG:25832",
            },
            "f.csv: coordinate column 'rechtswert' is empty in line 5",
        ),
        (
            _write("f.csv", TABLE.replace("H1;Hospital;Klinikum;;\n", "")),
            {"fmt": "table", "kind_col": "Art", "x_col": "rechtswert", "y_col": "hochwert"},
            "are not degrees, but crs is EPSG:4326",
        ),
        (
            _write("f.csv", "kind,x,y,id\nkita,11.58,50.92,a\nschool,11.58,50.92,a\n"),
            {"fmt": "table", "id_col": "id"},
            "id column 'id' is not unique: a",
        ),
        (
            _write("f.csv", "kind,x,y\nkita,13.4,52.5\n"),
            {"fmt": "table"},
            "none of its 1 facilities lies in the city's bounding box",
        ),
        (_write("f.csv", "kind,x,y\n"), {"fmt": "table"}, "f.csv: the table has no rows"),
        (_write("f.csv", "kind,x,y\n"), {"fmt": "shapefile"}, "unknown format 'shapefile'"),
    ],
    ids=[
        "not-osm",
        "no-facility",
        "broken-json",
        "missing",
        "unknown-column",
        "unknown-kind",
        "missing-coordinate",
        "metres-as-degrees",
        "duplicate-id",
        "outside-bbox",
        "empty-table",
        "unknown-format",
    ],
)
def test_bad_input_is_refused_and_the_pack_is_unchanged(
    pack: Path, tmp_path: Path, make, kwargs: dict, expected: str
) -> None:
    path = make(tmp_path)
    before = pack_hash(pack)
    with pytest.raises(FacilitiesError) as err:
        import_facilities(pack, path, **kwargs)
    assert expected in str(err.value)
    assert pack_hash(pack) == before


# --- the command line ----------------------------------------------------------------------


def test_cli_import_facilities(
    pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_geojson(tmp_path / "pois.geojson", OSM_FEATURES)
    assert main(["import", "facilities", "--pack", str(pack), "--file", str(path)]) == 0
    out = capsys.readouterr().out
    assert "imported 8 facilities (kita 2, school 1, care_home 3, hospital 2)" in out
    assert "outside the city's bounding box left out" in out
    assert validate_pack(pack).ok
    table = tmp_path / "t.csv"
    table.write_text(TABLE.replace("H1;Hospital;Klinikum;;\n", ""), encoding="utf-8")
    argv = ["import", "facilities", "--pack", str(pack), "--file", str(table)]
    options = ["--format", "table", "--kind-col", "Art", "--x-col", "rechtswert"]
    options += ["--y-col", "hochwert", "--name-col", "Bezeichnung", "--id-col", "Nr"]
    before = pack_hash(pack)
    assert main([*argv, *options]) == 1  # coordinates are UTM, --crs missing
    assert "import failed; the pack was not changed: t.csv: coordinates" in capsys.readouterr().err
    assert pack_hash(pack) == before
    assert main([*argv, *options, "--crs", "EPSG:25832", "--licence", "CC0-1.0"]) == 0
    assert "imported 3 facilities (kita 1, school 1, care_home 1, hospital 0)" in (
        capsys.readouterr().out
    )
    assert load_pack(pack).dataset("facilities").licence == "CC0-1.0"


# --- the real OSM file ---------------------------------------------------------------------

REAL_POIS = "jena_osm_2014/jena_osm_pois_2014.geojson"


@pytest.mark.realdata
def test_real_osm_pois(real_data, pack: Path) -> None:
    """SOURCES.md: 58 kindergartens and 45 schools among the 2,393 POIs."""
    read = read_osm_facilities(real_data(REAL_POIS))
    counts = read.by_kind()
    assert counts["kita"] == 58 and counts["school"] == 45
    assert counts == {"kita": 58, "school": 45, "care_home": 6, "hospital": 4}
    assert sum(read.ignored.values()) + len(read.frame) + read.duplicates_dropped == 2393
    assert read.frame["facility_id"].is_unique
    result = import_facilities(pack, real_data(REAL_POIS))
    assert result.n_facilities + result.outside == 113
    assert validate_pack(pack).ok
