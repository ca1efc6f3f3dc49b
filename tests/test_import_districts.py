"""Importing district boundaries + a statistics CSV into a city pack, and refusing bad input."""

from __future__ import annotations

import csv
import json
import math
import tomllib
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from data.importers.base import ImporterError, run_importer
from data.importers.districts import (
    IMPORTER,
    DistrictImport,
    DistrictsError,
    import_districts,
    normalise_key,
    parse_mapping,
    utm_crs,
)
from data.pack import PackError, load_pack
from tests.conftest import pack_hash
from tests.packfactory import make_pack

# Three squares in EPSG:25832 (1, 4 and 2.25 km²), inside the packfactory city's bbox.
X0, Y0 = 680_000.0, 5_642_000.0
SIDES = (1000.0, 2000.0, 1500.0)
KEYS = (11, 12, 13)
NAMES = ("Altstadt", "Nordviertel", "Südhang")

STATS_HEADER = "Bezirk;Jahr;Bezirksname;Einwohner insgesamt;Einwohner 65+;0 bis unter 3;3 bis unter 6;Haushaltsgröße"
STATS_ROWS_2017 = [
    "0;2017;Stadt gesamt;51.500;11.800;1.000;1.100;1,9",
    "11;2017;Altstadt;12.000;3.000;280;320;1,85",
    "12;2017;Nordviertel;30.000;6.000;900;900;2,1",
    "13;2017;Südhang;8.000;2.500;190;210;1,75",
    "999;2017;nicht zugeordnet;0;0;0;0;-",
]
STATS_ROWS_2016 = [
    "11;2016;Altstadt;11.900;2.950;270;300;1,86",
    "12;2016;Nordviertel;29.500;5.900;880;890;2,11",
    "13;2016;Südhang;7.900;2.450;185;205;1,76",
]
COLUMNS = {
    "population": "Einwohner insgesamt",
    "pop_65plus": "Einwohner 65+",
    "pop_under6": "0 bis unter 3 + 3 bis unter 6",
    "household_size": "Haushaltsgröße",
}
SPEC = DistrictImport(
    boundary_key="bez",
    stats_key="Bezirk",
    name_col="name",
    columns=COLUMNS,
    filters={"Jahr": "2017"},
)


# --- fixtures ------------------------------------------------------------------------------


def squares_frame(crs: str | None = "EPSG:25832") -> gpd.GeoDataFrame:
    shapes, x = [], X0
    for side in SIDES:
        shapes.append(box(x, Y0, x + side, Y0 + side))
        x += side
    return gpd.GeoDataFrame({"bez": list(KEYS), "name": list(NAMES)}, geometry=shapes, crs=crs)


def write_stats(tmp_path: Path, rows: list[str] | None = None, name: str = "stats.csv") -> Path:
    """A ``;``-separated Latin-1 file with thousands dots and decimal commas."""
    rows = STATS_ROWS_2017 + STATS_ROWS_2016 if rows is None else rows
    path = tmp_path / name
    path.write_bytes(("\r\n".join([STATS_HEADER, *rows]) + "\r\n").encode("latin-1"))
    return path


def write_geojson(tmp_path: Path) -> Path:
    path = tmp_path / "bezirke_25832.geojson"
    squares_frame().to_file(path, driver="GeoJSON", engine="pyogrio")
    return path


def write_zipped_shapefile(tmp_path: Path, with_prj: bool = True) -> Path:
    folder = tmp_path / "shp"
    folder.mkdir(exist_ok=True)
    squares_frame().to_file(folder / "bezirke.shp", engine="pyogrio")
    out = tmp_path / ("bezirke.zip" if with_prj else "bezirke_ohne_crs.zip")
    with zipfile.ZipFile(out, "w") as zf:
        for part in sorted(folder.iterdir()):
            if with_prj or part.suffix != ".prj":
                zf.write(part, part.name)
    return out


def write_gpkg(tmp_path: Path) -> Path:
    path = tmp_path / "bezirke.gpkg"
    other = gpd.GeoDataFrame({"x": [1]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:3035")
    other.to_file(path, layer="anderes", driver="GPKG", engine="pyogrio")
    squares_frame().to_file(path, layer="bezirke", driver="GPKG", engine="pyogrio")
    return path


def no_leftovers(parent: Path) -> bool:
    return not [p for p in parent.iterdir() if ".staging-" in p.name or ".old-" in p.name]


def expected_bbox() -> tuple[float, float, float, float]:
    b = squares_frame().to_crs("EPSG:4326").total_bounds
    return (
        math.floor(b[0] * 1e4) / 1e4,
        math.floor(b[1] * 1e4) / 1e4,
        math.ceil(b[2] * 1e4) / 1e4,
        math.ceil(b[3] * 1e4) / 1e4,
    )


def check_districts(pack_dir: Path) -> None:
    """The imported values, exactly."""
    pack = load_pack(pack_dir)
    d = pack.vector("districts")
    assert d["district_id"].tolist() == ["11", "12", "13"]
    assert d["name"].tolist() == list(NAMES)
    assert d["population"].tolist() == [12000, 30000, 8000]
    assert d["pop_65plus"].tolist() == [3000, 6000, 2500]
    assert d["pop_under6"].tolist() == [600, 1800, 400]
    assert d["household_size"].tolist() == [1.85, 2.1, 1.75]
    assert d["area_km2"].tolist() == [1.0, 4.0, 2.25]
    metric_areas = (pack.metric("districts").geometry.area / 1e6).tolist()
    assert metric_areas == pytest.approx([1.0, 4.0, 2.25], abs=1e-3)
    table = pack.table("district_stats")
    assert list(table.columns) == [c for c in d.columns if c != "geometry"]
    assert table["district_id"].astype(str).tolist() == ["11", "12", "13"]
    assert table["population"].tolist() == [12000, 30000, 8000]
    assert table["area_km2"].tolist() == [1.0, 4.0, 2.25]


# --- small helpers -------------------------------------------------------------------------


def test_parse_mapping() -> None:
    assert parse_mapping(
        ["population=Einwohner (Hauptwohnung) insgesamt", " year = 2017 ", "x=a=b"]
    ) == {"population": "Einwohner (Hauptwohnung) insgesamt", "year": "2017", "x": "a=b"}
    assert parse_mapping([]) == {}
    with pytest.raises(ValueError, match=r"expected KEY=VALUE, got 'population' \(no '='\)"):
        parse_mapping(["population"])
    with pytest.raises(ValueError, match="empty key"):
        parse_mapping(["=x"])
    with pytest.raises(ValueError, match="empty value"):
        parse_mapping(["x="])
    with pytest.raises(ValueError, match="given twice"):
        parse_mapping(["a=1", "a=2"])


@pytest.mark.parametrize("value", [11, 11.0, "11", "11.0", " 011 ", "+11"])
def test_normalise_key(value: object) -> None:
    assert normalise_key(value) == "11"


def test_normalise_key_other() -> None:
    assert normalise_key("D01") == "D01"
    assert normalise_key(None) is None
    assert normalise_key(float("nan")) is None
    assert normalise_key(" ") is None
    assert normalise_key(11.5) == "11.5"


def test_utm_crs() -> None:
    assert utm_crs(11.58, 50.92) == "EPSG:25832"  # Jena: ETRS89 / UTM 32N
    assert utm_crs(13.4, 52.5) == "EPSG:25833"  # Berlin
    assert utm_crs(-74.0, 40.7) == "EPSG:32618"  # New York: WGS 84 / UTM 18N
    assert utm_crs(151.2, -33.9) == "EPSG:32756"  # Sydney


# --- successful imports --------------------------------------------------------------------


def test_geojson_25832_into_new_pack(tmp_path: Path) -> None:
    boundaries = write_geojson(tmp_path)
    assert "EPSG::25832" in boundaries.read_text()  # the file states its CRS
    out = tmp_path / "packs" / "testburg"
    result = import_districts(
        boundaries,
        write_stats(tmp_path),
        out,
        SPEC,
        city_name="Testburg an der Saale",
        licence="dl-de/by-2-0",
        attribution="Stadt Testburg",
        source="https://example.org/opendata",
    )
    assert result.pack == out
    assert result.n_districts == 3
    assert result.unmatched_boundaries == []
    assert result.unmatched_stats == ["0", "999"]
    assert any("2 row(s) have no boundary and were left out: 0, 999" in w for w in result.warnings)
    check_districts(out)

    raw = tomllib.loads((out / "city.toml").read_text(encoding="utf-8"))
    city = raw["city"]
    assert city["id"] == "testburg-an-der-saale"
    assert city["name"] == "Testburg an der Saale"
    assert city["synthetic"] is False
    assert city["zoom"] == 12
    assert city["metric_crs"] == "EPSG:25832"
    bbox = expected_bbox()
    assert tuple(city["bbox"]) == bbox
    assert city["centre"] == pytest.approx([(bbox[1] + bbox[3]) / 2, (bbox[0] + bbox[2]) / 2])
    entries = {d["id"]: d for d in raw["datasets"]}
    assert set(entries) == {"districts", "district_stats"}
    ds = entries["districts"]
    assert ds["kind"] == "vector" and ds["crs"] == "EPSG:4326"
    assert ds["title"] == {"de": "Bezirke", "en": "Districts"}
    assert ds["licence"] == "dl-de/by-2-0"
    assert ds["attribution"] == "Stadt Testburg"
    assert ds["source"] == "https://example.org/opendata"
    assert ds["temporal"] == {"start": "2017-12-31", "end": "2017-12-31"}
    for text in (ds["description"]["en"], ds["description"]["de"]):
        assert "bezirke_25832.geojson" in text and "stats.csv" in text
        assert "Jahr=2017" in text and "0 bis unter 3 + 3 bis unter 6" in text
    assert entries["district_stats"]["kind"] == "table"
    # stored in EPSG:4326 (RFC 7946), no crs member needed
    stored = json.loads((out / "districts.geojson").read_text(encoding="utf-8"))
    x, y = stored["features"][0]["geometry"]["coordinates"][0][0]
    assert 11 < x < 12 and 50 < y < 51
    assert no_leftovers(out.parent)


def test_zipped_shapefile(tmp_path: Path) -> None:
    out = tmp_path / "pack"
    result = import_districts(
        write_zipped_shapefile(tmp_path), write_stats(tmp_path), out, SPEC, city_name="Testburg"
    )
    assert result.n_districts == 3
    check_districts(out)
    assert any("licence not stated" in w for w in result.warnings)
    assert any("attribution not stated" in w for w in result.warnings)


def test_gpkg_layer(tmp_path: Path) -> None:
    out = tmp_path / "pack"
    spec = DistrictImport(**{**SPEC.__dict__, "layer": "bezirke"})
    import_districts(write_gpkg(tmp_path), write_stats(tmp_path), out, spec, city_name="T")
    check_districts(out)


def test_file_without_crs_needs_source_crs(tmp_path: Path) -> None:
    boundaries = write_zipped_shapefile(tmp_path, with_prj=False)
    spec = DistrictImport(**{**SPEC.__dict__, "source_crs": "EPSG:25832"})
    out = tmp_path / "pack"
    import_districts(boundaries, write_stats(tmp_path), out, spec, city_name="T")
    check_districts(out)


def test_source_crs_wins_over_the_file_with_a_warning(tmp_path: Path) -> None:
    """A file that states the wrong CRS: the CRS the user gives is used, the conflict reported."""
    boundaries = tmp_path / "falsch_3857.geojson"
    squares_frame().set_crs("EPSG:3857", allow_override=True).to_file(
        boundaries, driver="GeoJSON", engine="pyogrio"
    )
    spec = DistrictImport(**{**SPEC.__dict__, "source_crs": "EPSG:25832"})
    out = tmp_path / "pack"
    result = import_districts(boundaries, write_stats(tmp_path), out, spec, city_name="T")
    check_districts(out)  # the areas are right only if EPSG:25832 was used
    expected = "falsch_3857.geojson states EPSG:3857, but --source-crs EPSG:25832 was given"
    assert any(expected in w for w in result.warnings)


def test_source_crs_agreeing_with_the_file_is_no_warning(tmp_path: Path) -> None:
    spec = DistrictImport(**{**SPEC.__dict__, "source_crs": "EPSG:25832"})
    out = tmp_path / "pack"
    result = import_districts(
        write_geojson(tmp_path), write_stats(tmp_path), out, spec, city_name="T"
    )
    check_districts(out)
    assert not any("source-crs" in w for w in result.warnings)


def test_invalid_geometry_is_repaired(tmp_path: Path) -> None:
    frame = squares_frame()
    x, y = X0, Y0
    # a bow-tie ring over the first square: self-intersecting, same key and name
    frame.loc[0, "geometry"] = Polygon([(x, y), (x + 1000, y + 1000), (x + 1000, y), (x, y + 1000)])
    boundaries = tmp_path / "kaputt.geojson"
    frame.to_file(boundaries, driver="GeoJSON", engine="pyogrio")
    out = tmp_path / "pack"
    result = import_districts(boundaries, write_stats(tmp_path), out, SPEC, city_name="T")
    assert any("kaputt.geojson: repaired 1 invalid geometr" in w for w in result.warnings)
    d = load_pack(out).vector("districts")
    assert d.geometry.is_valid.all()
    assert d["area_km2"].tolist() == [0.5, 4.0, 2.25]


def test_name_from_stats_and_numeric_aware_filter(tmp_path: Path) -> None:
    frame = squares_frame().drop(columns="name")
    boundaries = tmp_path / "ohne_namen.geojson"
    frame.to_file(boundaries, driver="GeoJSON", engine="pyogrio")
    spec = DistrictImport(
        boundary_key="bez",
        stats_key="Bezirk",
        name_col="Bezirksname",
        columns={"population": "Einwohner insgesamt", "pop_65plus": "Einwohner 65+"},
        filters={"Jahr": "2016.0"},
    )
    out = tmp_path / "pack"
    import_districts(boundaries, write_stats(tmp_path), out, spec, city_name="T")
    d = load_pack(out).vector("districts")
    assert d["name"].tolist() == list(NAMES)
    assert d["population"].tolist() == [11900, 29500, 7900]
    assert "pop_under6" not in d.columns


def test_utf8_bom_stats_with_zero_padded_keys(tmp_path: Path) -> None:
    stats = tmp_path / "bom.csv"
    text = (
        "id,Einwohner,Ältere\n"  # comma-separated, UTF-8 with BOM
        "011,12000,3000\n012,30000,6000\n013,8000,2500\n"
    )
    stats.write_bytes(text.encode("utf-8-sig"))
    spec = DistrictImport(
        boundary_key="bez",
        stats_key="id",
        name_col="name",
        columns={"population": "Einwohner", "pop_65plus": "Ältere"},
    )
    out = tmp_path / "pack"
    result = import_districts(write_geojson(tmp_path), stats, out, spec, city_name="T")
    assert result.unmatched_stats == []
    d = load_pack(out).vector("districts")
    assert d["district_id"].tolist() == ["11", "12", "13"]  # as in the boundary file
    assert d["pop_65plus"].tolist() == [3000, 6000, 2500]
    # no year filter: no temporal coverage claimed
    raw = tomllib.loads((out / "city.toml").read_text(encoding="utf-8"))
    assert "temporal" not in raw["datasets"][0]


def test_existing_pack_keeps_everything_else(tmp_path: Path) -> None:
    out = make_pack(tmp_path / "pack")
    before = pack_hash(out)
    city_before = tomllib.loads((out / "city.toml").read_text(encoding="utf-8"))["city"]
    result = import_districts(
        write_geojson(tmp_path),
        write_stats(tmp_path),
        out,
        SPEC,
        city_name="Anders",
        metric_crs="EPSG:32632",
        licence="CC-BY-4.0",
        attribution="Stadt",
    )
    after = pack_hash(out)
    for rel in ("outline.geojson", "river.geojson", "grid.nc"):
        assert after[rel] == before[rel]
    assert after["districts.geojson"] != before["districts.geojson"]
    raw = tomllib.loads((out / "city.toml").read_text(encoding="utf-8"))
    assert raw["city"] == city_before
    ids = [d["id"] for d in raw["datasets"]]
    assert sorted(ids) == ["district_stats", "districts", "grid", "outline", "river"]
    titles = {d["id"]: d["title"] for d in raw["datasets"]}
    assert titles["districts"] == {"de": "Test districts", "en": "Test districts"}
    assert any("households" in w for w in result.warnings)  # old district_stats column gone
    assert any("city_name 'Anders' ignored" in w for w in result.warnings)
    assert any("metric_crs EPSG:32632 ignored" in w for w in result.warnings)
    check_districts(out)
    assert no_leftovers(out.parent)


# --- refusals: message text, and the existing pack unchanged --------------------------------


@pytest.fixture
def existing(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    out = make_pack(tmp_path / "pack")
    return out, pack_hash(out)


def assert_unchanged(out: Path, before: dict[str, str]) -> None:
    assert pack_hash(out) == before
    assert no_leftovers(out.parent)


def test_unknown_column(tmp_path: Path, existing: tuple[Path, dict[str, str]]) -> None:
    out, before = existing
    spec = DistrictImport(
        **{**SPEC.__dict__, "columns": {**COLUMNS, "population": "Einwohner insgesammt"}}
    )
    with pytest.raises(ValueError) as err:
        import_districts(write_geojson(tmp_path), write_stats(tmp_path), out, spec)
    msg = str(err.value)
    assert "stats.csv: expression for 'population': unknown column 'Einwohner insgesammt'" in msg
    assert isinstance(err.value, DistrictsError)
    assert err.value.file == str(tmp_path / "stats.csv")
    assert err.value.where == "expression for 'population'"
    assert "(did you mean 'Einwohner insgesamt'" in msg
    assert "available columns: 'Bezirk', 'Jahr', 'Bezirksname'" in msg
    assert_unchanged(out, before)


def test_unknown_key_column(tmp_path: Path, existing: tuple[Path, dict[str, str]]) -> None:
    out, before = existing
    spec = DistrictImport(**{**SPEC.__dict__, "boundary_key": "bezirk"})
    with pytest.raises(ValueError, match=r"unknown key column 'bezirk' \(did you mean 'bez'\?\)"):
        import_districts(write_geojson(tmp_path), write_stats(tmp_path), out, spec)
    spec = DistrictImport(**{**SPEC.__dict__, "stats_key": "Bezirks"})
    with pytest.raises(ValueError, match=r"stats\.csv: unknown key column 'Bezirks'"):
        import_districts(write_geojson(tmp_path), write_stats(tmp_path), out, spec)
    assert_unchanged(out, before)


def test_duplicate_keys(tmp_path: Path, existing: tuple[Path, dict[str, str]]) -> None:
    out, before = existing
    spec = DistrictImport(**{**SPEC.__dict__, "filters": {}})
    with pytest.raises(ValueError) as err:
        import_districts(write_geojson(tmp_path), write_stats(tmp_path), out, spec)
    msg = str(err.value)
    assert "key column 'Bezirk' is not unique after filtering; duplicate keys: 11, 12, 13" in msg
    assert "add a filter such as year=2017" in msg
    assert_unchanged(out, before)


def test_boundary_without_stats(tmp_path: Path, existing: tuple[Path, dict[str, str]]) -> None:
    out, before = existing
    rows = [r for r in STATS_ROWS_2017 if not r.startswith("13;")]
    with pytest.raises(ValueError) as err:
        import_districts(write_geojson(tmp_path), write_stats(tmp_path, rows), out, SPEC)
    msg = str(err.value)
    assert "1 district(s) in bezirke_25832.geojson have no row in stats.csv" in msg
    assert "after filters Jahr=2017" in msg and "missing keys 13" in msg
    assert_unchanged(out, before)


def test_non_numeric_value(tmp_path: Path, existing: tuple[Path, dict[str, str]]) -> None:
    out, before = existing
    rows = [r.replace("30.000", "viele") for r in STATS_ROWS_2017]
    with pytest.raises(ValueError) as err:
        import_districts(write_geojson(tmp_path), write_stats(tmp_path, rows), out, SPEC)
    msg = str(err.value)
    assert "column 'Einwohner insgesamt' (for 'population') is not numeric" in msg
    assert "'viele' in the row for Bezirk=12 (Nordviertel)" in msg
    assert_unchanged(out, before)


def test_missing_count(tmp_path: Path, existing: tuple[Path, dict[str, str]]) -> None:
    out, before = existing
    rows = [r.replace(";8.000;2.500;", ";8.000;-;") for r in STATS_ROWS_2017]
    with pytest.raises(ValueError, match=r"'Einwohner 65\+' .* no value for Bezirk=13 \(Südhang\)"):
        import_districts(write_geojson(tmp_path), write_stats(tmp_path, rows), out, SPEC)
    assert_unchanged(out, before)


def test_file_without_crs(tmp_path: Path, existing: tuple[Path, dict[str, str]]) -> None:
    out, before = existing
    boundaries = write_zipped_shapefile(tmp_path, with_prj=False)
    with pytest.raises(ValueError) as err:
        import_districts(boundaries, write_stats(tmp_path), out, SPEC)
    msg = str(err.value)
    assert "bezirke_ohne_crs.zip: the file states no CRS; state it with --source-crs" in msg
    assert err.value.file == str(boundaries) and err.value.found == "none"
    assert_unchanged(out, before)


def test_more_65plus_than_people(tmp_path: Path, existing: tuple[Path, dict[str, str]]) -> None:
    out, before = existing
    spec = DistrictImport(
        **{
            **SPEC.__dict__,
            "columns": {**COLUMNS, "pop_65plus": "Einwohner insgesamt + 0 bis unter 3"},
        }
    )
    with pytest.raises(ValueError, match="'pop_65plus' exceeds 'population' for Bezirk=11"):
        import_districts(write_geojson(tmp_path), write_stats(tmp_path), out, spec)
    assert_unchanged(out, before)


def test_filter_matches_nothing(tmp_path: Path, existing: tuple[Path, dict[str, str]]) -> None:
    out, before = existing
    spec = DistrictImport(**{**SPEC.__dict__, "filters": {"Jahr": "2030"}})
    with pytest.raises(
        ValueError, match="filter Jahr='2030' matches no rows; values present: 2016, 2017"
    ):
        import_districts(write_geojson(tmp_path), write_stats(tmp_path), out, spec)
    assert_unchanged(out, before)


def test_outside_the_pack_fails_validation(
    tmp_path: Path, existing: tuple[Path, dict[str, str]]
) -> None:
    """Districts far from the existing city: the staged pack is invalid, the old one stays."""
    out, before = existing
    far = squares_frame()
    far.geometry = far.geometry.translate(xoff=300_000)
    boundaries = tmp_path / "weit_weg.geojson"
    far.to_file(boundaries, driver="GeoJSON", engine="pyogrio")
    with pytest.raises(PackError, match="outside the city's bbox"):
        import_districts(boundaries, write_stats(tmp_path), out, SPEC)
    assert_unchanged(out, before)


def test_bad_stats_file(tmp_path: Path, existing: tuple[Path, dict[str, str]]) -> None:
    out, before = existing
    stats = write_stats(
        tmp_path, [*STATS_ROWS_2017[:2], "12;2017;Nordviertel;30.000;6.000;900;900;2,1;x"]
    )
    with pytest.raises(ValueError, match=r"stats\.csv: line 4 has 9 fields"):
        import_districts(write_geojson(tmp_path), stats, out, SPEC)
    assert_unchanged(out, before)


def test_new_pack_needs_city_name(tmp_path: Path) -> None:
    out = tmp_path / "neu"
    with pytest.raises(ValueError, match="is not a pack yet: pass city_name"):
        import_districts(write_geojson(tmp_path), write_stats(tmp_path), out, SPEC)
    assert not out.exists()


def test_spec_needs_population_targets(tmp_path: Path) -> None:
    spec = DistrictImport(**{**SPEC.__dict__, "columns": {"population": "Einwohner insgesamt"}})
    with pytest.raises(ValueError, match="columns must map 'pop_65plus'"):
        import_districts(write_geojson(tmp_path), write_stats(tmp_path), tmp_path / "p", spec)
    spec = DistrictImport(**{**SPEC.__dict__, "columns": {**COLUMNS, "name": "Bezirksname"}})
    with pytest.raises(ValueError, match="target 'name' is reserved"):
        import_districts(write_geojson(tmp_path), write_stats(tmp_path), tmp_path / "p", spec)


# --- real data: Jena's 41 statistical districts, 2017 ----------------------------------------

JENA_COLUMNS = {
    "population": "Einwohner (Hauptwohnung) insgesamt",
    "pop_65plus": "Einwohner (HW) 65 Jahre und älter",
    "pop_under6": "Einwohner (HW) 0 bis unter 3 Jahre + Einwohner (HW) 3 bis unter 6 Jahre",
}


def _real_files(real_data) -> tuple[Path, Path]:
    boundaries = real_data("jena_boundaries/jena_statistische_bezirke_41.geojson")
    stats = real_data("jena_statistics/jena_statbez_indicators_2007_2017.csv")
    return boundaries, stats


def _raw_2017_sums(stats: Path, ids: set[str]) -> dict[str, int]:
    """Column sums over the districts, computed with the csv module, independently."""
    with stats.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["year"] == "2017" and r["statbez_id"] in ids]
    cols = ["Einwohner (HW) 0 bis unter 3 Jahre", "Einwohner (HW) 3 bis unter 6 Jahre"]
    return {c: sum(int(r[c]) for r in rows) for c in cols}


@pytest.mark.realdata
def test_real_jena_statistical_districts(real_data, tmp_path: Path) -> None:
    boundaries, stats = _real_files(real_data)
    spec = DistrictImport(
        boundary_key="id",
        stats_key="statbez_id",
        name_col="statbez_name",
        columns=JENA_COLUMNS,
        filters={"year": "2017"},
    )
    out = tmp_path / "jena"
    result = import_districts(
        boundaries,
        stats,
        out,
        spec,
        city_name="Jena",
        licence="dl-de/by-2-0",
        attribution="Stadt Jena",
    )
    assert result.n_districts == 41
    assert result.unmatched_stats == ["0", "3", "999"]  # Jena total, Thüringen, not assigned
    pack = load_pack(out)
    assert pack.city.metric_crs == "EPSG:25832"
    d = pack.vector("districts")
    assert len(d) == 41 and d["district_id"].is_unique
    assert int(d["population"].sum()) == 108_722
    assert int(d["pop_65plus"].sum()) == 23_412
    raw = _raw_2017_sums(stats, set(d["district_id"]))
    assert int(d["pop_under6"].sum()) == sum(raw.values()) == 6_488
    row = d[d["district_id"] == "11"].iloc[0]
    assert row["name"] == "Ammerbach Ort"
    assert 100 < float(d["area_km2"].sum()) < 130  # Jena: 114.7 km²
    assert len(pack.table("district_stats")) == 41
    assert pd.Series(pack.city.bbox).round(4).tolist() == list(pack.city.bbox)


def test_missing_files(tmp_path: Path) -> None:
    out = tmp_path / "neu"
    with pytest.raises(ValueError, match=r"boundary file '.*nope\.geojson' not found"):
        import_districts(tmp_path / "nope.geojson", write_stats(tmp_path), out, SPEC)
    with pytest.raises(ValueError, match=r"statistics file '.*nope\.csv' not found"):
        import_districts(write_geojson(tmp_path), tmp_path / "nope.csv", out, SPEC)
    assert not out.exists()


# --- the importer contract: IMPORTER, run_importer, error fields ----------------------------

RUN_OPTIONS = {
    "boundary_key": "bez",
    "stats_key": "Bezirk",
    "name_col": "name",
    "column": [f"{target}={expr}" for target, expr in COLUMNS.items()],
    "filter": ["Jahr=2017"],
}


def test_importer_options_reproduce_the_cli_flags() -> None:
    flags = {o.cli for o in IMPORTER.options} | {a for o in IMPORTER.options for a in o.aliases}
    assert flags == {
        "--boundaries",
        "--stats",
        "--boundary-key",
        "--stats-key",
        "--name-col",
        "--column",
        "--filter",
        "--layer",
        "--source-crs",
        "--city-name",
        "--metric-crs",
        "--licence",
        "--attribution",
        "--source",
        "--encoding",
    }
    assert IMPORTER.pack_aliases == ("--out",) and "created if absent" in IMPORTER.pack_help
    by_name = {o.name: o for o in IMPORTER.options}
    assert by_name["licence"].default == "unknown" and by_name["attribution"].default == ""
    assert by_name["column"].multiple and by_name["filter"].multiple
    assert [o.name for o in IMPORTER.options if o.input] == ["boundaries", "stats"]


def test_importer_run_counts_what_is_in_the_pack(tmp_path: Path) -> None:
    boundaries, stats = write_geojson(tmp_path), write_stats(tmp_path)
    out = tmp_path / "neu"
    result = run_importer(
        IMPORTER, out, boundaries=boundaries, stats=stats, city_name="T", **RUN_OPTIONS
    )
    check_districts(out)
    pack = load_pack(out)
    assert result.read == len(gpd.read_file(boundaries, engine="pyogrio"))
    assert result.written == len(pack.vector("districts")) == len(pack.table("district_stats"))
    assert result.files == (str(boundaries), str(stats))
    assert result.datasets == ("districts", "district_stats") and result.unit == "districts"
    assert result.dropped == ["0", "999"]  # statistics rows without a boundary
    assert result.details[0] == f"imported 3 districts into {out}"
    assert result.native.n_districts == 3
    assert any("licence not stated" in w for w in result.warnings)
    assert json.loads(result.to_json())["written"] == 3


def test_importer_run_reports_repaired_features(tmp_path: Path) -> None:
    frame = squares_frame()
    frame.loc[1, "geometry"] = Polygon(
        [(X0 + 1000, Y0), (X0 + 3000, Y0 + 2000), (X0 + 3000, Y0), (X0 + 1000, Y0 + 2000)]
    )
    boundaries = tmp_path / "kaputt.geojson"
    frame.to_file(boundaries, driver="GeoJSON", engine="pyogrio")
    result = run_importer(
        IMPORTER,
        tmp_path / "neu",
        boundaries=boundaries,
        stats=write_stats(tmp_path),
        city_name="T",
        **RUN_OPTIONS,
    )
    assert result.repaired == ["12"]  # the boundary key of the bow-tie


def test_bad_mapping_names_the_option(tmp_path: Path) -> None:
    with pytest.raises(DistrictsError) as err:
        run_importer(
            IMPORTER,
            tmp_path / "neu",
            boundaries=write_geojson(tmp_path),
            stats=write_stats(tmp_path),
            **{**RUN_OPTIONS, "filter": ["Jahr"]},
        )
    assert err.value.where == "--filter" and err.value.found == "'Jahr'"


def test_non_numeric_value_names_file_column_and_value(
    tmp_path: Path, existing: tuple[Path, dict[str, str]]
) -> None:
    out, before = existing
    stats = write_stats(tmp_path, [r.replace("30.000", "viele") for r in STATS_ROWS_2017])
    with pytest.raises(DistrictsError) as err:
        run_importer(IMPORTER, out, boundaries=write_geojson(tmp_path), stats=stats, **RUN_OPTIONS)
    assert err.value.file == str(stats)
    assert err.value.where == "column 'Einwohner insgesamt'"
    assert err.value.expected == "a number" and err.value.found == "'viele'"
    assert_unchanged(out, before)


def _broken_boundaries(folder: Path) -> tuple[Path, str]:
    path = folder / "kaputt.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    return path, "boundaries"


def _empty_boundaries(folder: Path) -> tuple[Path, str]:
    path = folder / "leer.geojson"
    path.write_bytes(b"")
    return path, "boundaries"


def _empty_stats(folder: Path) -> tuple[Path, str]:
    path = folder / "leer.csv"
    path.write_bytes(b"")
    return path, "stats"


def _header_only_stats(folder: Path) -> tuple[Path, str]:
    path = folder / "nur_kopf.csv"
    path.write_bytes((STATS_HEADER + "\r\n").encode("latin-1"))
    return path, "stats"


def _utf16_stats(folder: Path) -> tuple[Path, str]:
    path = folder / "utf16.csv"
    path.write_bytes(("\n".join([STATS_HEADER, *STATS_ROWS_2017]) + "\n").encode("utf-16-le"))
    return path, "stats"


@pytest.mark.parametrize(
    "make", [_broken_boundaries, _empty_boundaries, _empty_stats, _header_only_stats, _utf16_stats]
)
def test_unreadable_input_is_an_importer_error_naming_the_file(
    tmp_path: Path, existing: tuple[Path, dict[str, str]], make
) -> None:
    out, before = existing
    bad, which = make(tmp_path)
    files = {"boundaries": write_geojson(tmp_path), "stats": write_stats(tmp_path), which: bad}
    with pytest.raises(ImporterError) as err:
        run_importer(IMPORTER, out, **files, **RUN_OPTIONS)
    assert bad.name in str(err.value)
    assert_unchanged(out, before)


def test_wrong_encoding_given_is_an_importer_error_naming_the_file(
    tmp_path: Path, existing: tuple[Path, dict[str, str]]
) -> None:
    out, before = existing
    stats = write_stats(tmp_path)  # Latin-1 with umlauts
    with pytest.raises(ImporterError) as err:
        run_importer(
            IMPORTER,
            out,
            boundaries=write_geojson(tmp_path),
            stats=stats,
            encoding="utf-8",
            **RUN_OPTIONS,
        )
    assert err.value.file is not None and Path(err.value.file).name == "stats.csv"
    assert_unchanged(out, before)


def test_cli_import_districts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cli.main import main

    out = tmp_path / "neu"
    argv = ["import", "districts", "--boundaries", str(write_geojson(tmp_path))]
    argv += ["--stats", str(write_stats(tmp_path)), "--out", str(out)]
    argv += ["--boundary-key", "bez", "--stats-key", "Bezirk", "--name-col", "name"]
    for target, expr in COLUMNS.items():
        argv += ["--column", f"{target}={expr}"]
    assert main([*argv, "--city-name", "T"]) == 1  # no filter: two rows per district
    assert "add a filter such as year=2017" in capsys.readouterr().err
    assert not out.exists()
    assert main([*argv, "--filter", "Jahr=2017", "--city-name", "T"]) == 0
    assert f"imported 3 districts into {out}" in capsys.readouterr().out
    check_districts(out)
