"""Reading heat-sensitive facilities from OSM exports and tables, importing them into a pack."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Point, shape

from cli.main import main
from data.importers.base import ImporterError, run_importer
from data.importers.facilities import (
    IMPORTER,
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
    read = read_facilities_table(path, crs="EPSG:4326")
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
            {"fmt": "table", "crs": "EPSG:4326"},
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
            "f.csv: line 5: coordinate column 'rechtswert' is empty",
        ),
        (
            _write("f.csv", TABLE.replace("H1;Hospital;Klinikum;;\n", "")),
            {
                "fmt": "table",
                "kind_col": "Art",
                "x_col": "rechtswert",
                "y_col": "hochwert",
                "crs": "EPSG:4326",
            },
            "are not degrees, but crs is EPSG:4326",
        ),
        (
            _write("f.csv", TABLE.replace("H1;Hospital;Klinikum;;\n", "")),
            {"fmt": "table", "kind_col": "Art", "x_col": "rechtswert", "y_col": "hochwert"},
            "f.csv: the file states no CRS; state it with --source-crs",
        ),
        (
            _write("f.csv", "kind,x,y,id\nkita,11.58,50.92,a\nschool,11.58,50.92,a\n"),
            {"fmt": "table", "id_col": "id", "crs": "EPSG:4326"},
            "id column 'id' is not unique: a",
        ),
        (
            _write("f.csv", "kind,x,y\nkita,13.4,52.5\n"),
            {"fmt": "table", "crs": "EPSG:4326"},
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
        "csv-without-crs",
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
    assert main([*argv, *options]) == 1  # a CSV states no CRS and none was given
    err = capsys.readouterr().err
    assert "import failed; the pack was not changed: t.csv: the file states no CRS" in err
    assert "--source-crs" in err
    assert main([*argv, *options, "--crs", "EPSG:4326"]) == 1  # coordinates are UTM
    err = capsys.readouterr().err
    assert (
        "import failed; the pack was not changed: t.csv: columns 'rechtswert', 'hochwert': " in err
    )
    assert "coordinates such as rechtswert=683000, hochwert=5.6435e+06 are not degrees" in err
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


# --- the importer contract: IMPORTER, run_importer, CRS rule, error fields ------------------


def test_importer_options_reproduce_the_cli_flags() -> None:
    flags = {o.cli for o in IMPORTER.options} | {a for o in IMPORTER.options for a in o.aliases}
    old = {"--file", "--format", "--kind-col", "--name-col", "--x-col", "--y-col", "--id-col"}
    old |= {"--crs", "--encoding", "--licence", "--attribution", "--source"}
    assert flags == old | {"--source-crs"}
    by_name = {o.name: o for o in IMPORTER.options}
    assert by_name["source_crs"].aliases == ("--crs",) and by_name["source_crs"].default is None
    assert by_name["format"].choices == ("osm", "table") and by_name["format"].default == "osm"
    assert [o.name for o in IMPORTER.options if o.input] == ["file"]
    assert IMPORTER.pack_aliases == ()


def test_importer_run_counts_what_is_in_the_pack(pack: Path, tmp_path: Path) -> None:
    path = write_geojson(tmp_path / "pois.geojson", OSM_FEATURES)
    result = run_importer(IMPORTER, pack, file=path)
    stored = json.loads((pack / "facilities.geojson").read_text(encoding="utf-8"))
    assert result.read == len(OSM_FEATURES)
    assert result.written == len(stored["features"]) == len(load_pack(pack).vector("facilities"))
    assert result.written == 8 and result.unit == "facilities"
    assert result.files == (str(path),) and result.datasets == ("facilities",)
    assert sorted(result.dropped) == ["node/1", "node/12"]  # repeated; outside the bbox
    assert any("outside the city's bounding box" in w for w in result.warnings)
    assert (
        "imported 8 facilities (kita 2, school 1, care_home 3, hospital 2)" in (result.details[-1])
    )
    assert result.native.n_facilities == 8


def test_given_crs_wins_over_the_file_with_a_warning(pack: Path, tmp_path: Path) -> None:
    """A file stating the wrong CRS: the one given is used and the conflict reported."""
    utm = gpd.GeoSeries([Point(LON, LAT)], crs="EPSG:4326").to_crs("EPSG:25832").iloc[0]
    frame = gpd.GeoDataFrame(
        {"kind": ["Schule"], "name": ["Ostschule"]}, geometry=[utm], crs="EPSG:3857"
    )
    path = tmp_path / "falsch.gpkg"
    frame.to_file(path, driver="GPKG", engine="pyogrio")
    result = run_importer(IMPORTER, pack, file=path, format="table", source_crs="EPSG:25832")
    point = result.native.frame.geometry.iloc[0]
    assert point.distance(Point(LON, LAT)) < 1e-6
    assert any(
        "falsch.gpkg states EPSG:3857, but --source-crs EPSG:25832 was given" in w
        for w in result.warnings
    )


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_file_without_crs_needs_one_given(pack: Path, tmp_path: Path) -> None:
    utm = gpd.GeoSeries([Point(LON, LAT)], crs="EPSG:4326").to_crs("EPSG:25832").iloc[0]
    frame = gpd.GeoDataFrame({"kind": ["kita"]}, geometry=[utm], crs=None)
    path = tmp_path / "ohne_crs.gpkg"
    frame.to_file(path, driver="GPKG", engine="pyogrio")
    before = pack_hash(pack)
    with pytest.raises(FacilitiesError) as err:
        run_importer(IMPORTER, pack, file=path, format="table")
    assert "ohne_crs.gpkg: the file states no CRS; state it with --source-crs" in str(err.value)
    assert err.value.file == str(path) and err.value.found == "none"
    assert pack_hash(pack) == before
    result = run_importer(IMPORTER, pack, file=path, format="table", source_crs="EPSG:25832")
    assert result.native.frame.geometry.iloc[0].distance(Point(LON, LAT)) < 1e-6
    assert not any("source-crs" in w for w in result.warnings)


def test_osm_geojson_is_lon_lat_without_a_crs_given(tmp_path: Path) -> None:
    path = write_geojson(tmp_path / "pois.geojson", OSM_FEATURES[:1])
    assert '"crs"' not in path.read_text(encoding="utf-8")
    read = read_osm_facilities(path)
    assert read.frame.geometry.iloc[0].distance(Point(LON, LAT)) < 1e-9
    assert read.warnings == []


def test_unknown_kind_names_file_line_and_value(pack: Path, tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("kind,x,y\nkita,11.58,50.92\nbakery,11.58,50.92\n", encoding="utf-8")
    with pytest.raises(FacilitiesError) as err:
        run_importer(IMPORTER, pack, file=path, format="table", source_crs="EPSG:4326")
    assert err.value.file == str(path) and err.value.where == "line 3"
    assert err.value.found == "'bakery'" and err.value.expected == "a facility kind"


def _broken_geojson(folder: Path) -> tuple[Path, dict[str, str]]:
    path = folder / "kaputt.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    return path, {}


def _empty_geojson(folder: Path) -> tuple[Path, dict[str, str]]:
    path = folder / "leer.geojson"
    path.write_bytes(b"")
    return path, {}


def _empty_csv(folder: Path) -> tuple[Path, dict[str, str]]:
    path = folder / "leer.csv"
    path.write_bytes(b"")
    return path, {"format": "table", "source_crs": "EPSG:4326"}


def _ragged_csv(folder: Path) -> tuple[Path, dict[str, str]]:
    path = folder / "schief.csv"
    path.write_text("kind;x;y\nkita;11,58;50,92;x;y\n", encoding="utf-8")
    return path, {"format": "table", "source_crs": "EPSG:4326"}


def _utf16_csv(folder: Path) -> tuple[Path, dict[str, str]]:
    path = folder / "utf16.csv"
    path.write_bytes(f"kind,x,y\nkita,{LON},{LAT}\n".encode("utf-16-le"))
    return path, {"format": "table", "source_crs": "EPSG:4326"}


def _cp1252_read_as_utf8(folder: Path) -> tuple[Path, dict[str, str]]:
    path = folder / "ansi.csv"
    path.write_bytes(f"kind,name,x,y\nkita,Kita Große Straße,{LON},{LAT}\n".encode("cp1252"))
    return path, {"format": "table", "source_crs": "EPSG:4326", "encoding": "utf-8"}


@pytest.mark.parametrize(
    "make",
    [_broken_geojson, _empty_geojson, _empty_csv, _ragged_csv, _utf16_csv, _cp1252_read_as_utf8],
)
def test_unreadable_input_is_an_importer_error_naming_the_file(
    pack: Path, tmp_path: Path, make
) -> None:
    path, options = make(tmp_path)
    before = pack_hash(pack)
    with pytest.raises(ImporterError) as err:
        run_importer(IMPORTER, pack, file=path, **options)
    assert path.name in str(err.value) and err.value.file == str(path)
    assert pack_hash(pack) == before
