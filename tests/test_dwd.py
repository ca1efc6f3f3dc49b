"""Reading DWD daily climate files and station lists, and importing them into a pack."""

from __future__ import annotations

import math
import tomllib
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from cli.main import main
from data.importers.base import ImporterError, run_importer
from data.importers.dwd import (
    IMPORTER,
    DwdFormatError,
    climate_table,
    import_climate,
    nearest_stations,
    read_dwd_daily,
    read_dwd_stations,
)
from data.pack import PackError, load_pack, validate_pack
from tests.conftest import pack_hash
from tests.packfactory import make_pack

HEADER = (
    "STATIONS_ID;MESS_DATUM;QN_3;  FX;  FM;QN_4; RSK;RSKF; SDK;SHK_TAG;  NM; VPM;  PM; TMK; "
    "UPM; TXK; TNK; TGK;eor"
)
HIST = "dwd_01270_erfurt_weimar_produkt_klima_tag_19510101_20181231.txt"
RECENT = "dwd_01270_erfurt_weimar_produkt_klima_tag_20180704_20200104.txt"
JENA = "dwd_02444_jena_sternwarte_produkt_klima_tag_20180704_20200104.txt"
STATIONS_CSV = "dwd_stations_thueringen_subset.csv"


def row(
    date: str,
    tmax: float | str = 20.0,
    tmin: float | str = 10.0,
    tmean: float | str = 15.0,
    rsk: float | str = 0.0,
    station: str = "1270",
    qn4: int = 3,
) -> str:
    """One product line in DWD's padded layout."""
    return (
        f"{station:>11};{date};    3;  10.0;   3.0;{qn4:>5};{rsk:>6};   6;    5.000;   0;"
        f"   4.0;  10.0; 980.00;{tmean:>7};  70.00;{tmax:>7};{tmin:>7};{tmin:>7};eor"
    )


def product(*rows: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def write(folder: Path, name: str, text: str, encoding: str = "ascii") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return make_pack(tmp_path / "pack")


@pytest.fixture
def jena_dir(real_data) -> Path:
    return real_data(f"jena_climate/{HIST}").parent


# --- product files ---------------------------------------------------------------------------


def test_reads_a_product_file_missing_values_and_station_id(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "produkt_klima_tag_20190101_20190103_01270.txt",
        product(
            row("20190101", 5.5, -1.2, 2.0, 0.3),
            row("20190102", -999, -3.0, -999, -999),
            row("20190103", 7.0, -999, 3.1, 1.2),
        ),
    )
    data = read_dwd_daily(path)
    frame = data.frame
    assert list(frame.columns) == [
        "date",
        "station_id",
        "tmax",
        "tmin",
        "tmean",
        "precip_mm",
        "qn_4",
    ]
    assert data.station_id == "01270"
    assert set(frame["station_id"]) == {"01270"}
    assert frame["date"].tolist() == list(pd.date_range("2019-01-01", periods=3))
    assert frame["tmax"].tolist()[0] == 5.5
    assert math.isnan(frame.loc[1, "tmax"]) and math.isnan(frame.loc[1, "precip_mm"])
    assert math.isnan(frame.loc[2, "tmin"])
    assert frame["qn_4"].tolist() == [3.0, 3.0, 3.0]
    text = "\n".join(data.notes)
    assert "TXK 1, TNK 1, TMK 1, RSK 1, QN_4 0" in text
    assert (data.first, data.last) == (pd.Timestamp("2019-01-01"), pd.Timestamp("2019-01-03"))


def test_gaps_and_exact_duplicates_are_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "p.txt",
        product(row("20190101"), row("20190101"), row("20190104", 8.0)),
    )
    data = read_dwd_daily(path)
    assert len(data.frame) == 2
    text = "\n".join(data.notes)
    assert "1 exact duplicate row(s) dropped (lines 3)" in text
    assert "2 day(s) between first and last date have no row" in text


def test_zip_archive_is_read(tmp_path: Path) -> None:
    archive = tmp_path / "tageswerte_KL_01270_20190101_20191231_hist.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Metadaten_Geographie_01270.txt", "Stations_id;Stationshoehe\n1270;316\n")
        z.writestr(
            "produkt_klima_tag_20190101_20190102_01270.txt",
            product(row("20190101", 1.0), row("20190102", 2.0)),
        )
    data = read_dwd_daily(archive)
    assert data.frame["tmax"].tolist() == [1.0, 2.0]
    assert data.sources == [f"{archive.name}:produkt_klima_tag_20190101_20190102_01270.txt"]


# --- merging ---------------------------------------------------------------------------------


def test_historical_product_wins_where_files_differ(tmp_path: Path) -> None:
    hist = write(
        tmp_path,
        "produkt_klima_tag_20190101_20190105_01270.txt",
        product(*(row(f"2019010{d}", 10.0 + d) for d in range(1, 6))),
    )
    # the recent file overlaps on the 4th and 5th; the 5th differs
    recent = write(
        tmp_path,
        "produkt_klima_tag_20190104_20190108_01270.txt",
        product(
            row("20190104", 14.0),
            row("20190105", 99.0),
            *(row(f"2019010{d}", 10.0 + d) for d in range(6, 9)),
        ),
    )
    for order in ([hist, recent], [recent, hist]):
        data = read_dwd_daily(order)
        assert data.frame["date"].tolist() == list(pd.date_range("2019-01-01", "2019-01-08"))
        assert data.frame["tmax"].tolist() == [11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0]
        text = "\n".join(data.notes)
        assert "on 2 day(s) (2019-01-04 – 2019-01-05): 1 agree, 1 differ" in text
        assert f"kept the values of {hist.name} (older end date)" in text


def test_hist_archive_name_wins_over_end_date(tmp_path: Path) -> None:
    archive = tmp_path / "tageswerte_KL_01270_20190101_20190110_hist.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("produkt_klima_tag_20190101_20190110_01270.txt", product(row("20190102", 1.0)))
    other = write(tmp_path, "early.txt", product(row("20190101", 5.0), row("20190102", 2.0)))
    data = read_dwd_daily([other, archive])
    assert data.frame["tmax"].tolist() == [5.0, 1.0]
    assert "(historical product)" in "\n".join(data.notes)


def test_two_stations_are_an_error(tmp_path: Path) -> None:
    a = write(tmp_path, "a.txt", product(row("20190101", station="1270")))
    b = write(tmp_path, "b.txt", product(row("20190101", station="2444")))
    with pytest.raises(ValueError, match=r"station 01270 \(a\.txt\) and station 02444 \(b\.txt\)"):
        read_dwd_daily([a, b])


# --- bad files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"bad\.txt: the file is empty"),
        ("  \r\n\r\n", r"bad\.txt: the file is empty"),
        (
            "Datum;Temperatur\r\n2019-01-01;3.0\r\n",
            r"bad\.txt: line 1: not a DWD daily climate \(KL\) product file: missing column\(s\) "
            r"STATIONS_ID, MESS_DATUM, TXK, TNK, TMK, RSK \(expected .*; "
            r"found columns Datum, Temperatur\)$",
        ),
        (
            product(row("20190101")).replace("TXK", "TXX"),
            r"missing column\(s\) TXK \(expected .*; found columns STATIONS_ID, MESS_DATUM, .*TXX",
        ),
        (
            product(row("20190101")).replace(";", ","),
            r"bad\.txt: line 1: wrong separator \(expected ';'.*separated by ','",
        ),
        (
            product(row("20190101"), row("20191301")),
            r"bad\.txt: line 3: MESS_DATUM is not a date \(expected YYYYMMDD; found '20191301'\)",
        ),
        (
            product(row("2019010112")),
            r"line 2: MESS_DATUM is not a date; is this an hourly product\? .*found '2019010112'",
        ),
        (
            product(row("20190101"), row("20190102", tmax="warm")),
            r"bad\.txt: line 3: TXK value is not a number \(expected a number .*; found 'warm'\)$",
        ),
        (
            product(row("20190101", 3.0), row("20190102"), row("20190101", 4.0)),
            r"bad\.txt: lines 2, 4: date 2019-01-01 appears more than once with different values",
        ),
        (
            product(row("20190101"), row("20190102") + ";x"),
            r"bad\.txt: line 3: 20 field\(s\) but the header \(line 1\) has 19",
        ),
        (
            product(row("20190101", station="1270"), row("20190102", station="2444")),
            r"bad\.txt: line 3: the file holds several stations \(expected one station; "
            r"found stations 01270, 02444 \(station 02444 here\)\)",
        ),
        (product(), r"bad\.txt: no data rows after the header \(line 1\)"),
        ("just some text\r\n", r"bad\.txt: line 1: not a DWD daily climate \(KL\) product"),
    ],
)
def test_bad_product_files(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "bad.txt", text)
    with pytest.raises(DwdFormatError, match=message):
        read_dwd_daily(path)


def test_zip_without_product_file(tmp_path: Path) -> None:
    archive = tmp_path / "tageswerte_KL_01270_akt.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Metadaten_Geographie_01270.txt", "x")
    with pytest.raises(
        DwdFormatError,
        match=r"tageswerte_KL_01270_akt\.zip: no produkt_klima_tag_\*\.txt file in the zip "
        r"archive.*members: Metadaten_Geographie_01270\.txt",
    ):
        read_dwd_daily(archive)


def test_broken_zip_and_missing_file(tmp_path: Path) -> None:
    broken = write(tmp_path, "x.zip", "PK\x03\x04 not really")
    with pytest.raises(DwdFormatError, match=r"x\.zip: not a readable zip archive"):
        read_dwd_daily(broken)
    with pytest.raises(DwdFormatError, match=r"nope\.txt: file not found"):
        read_dwd_daily(tmp_path / "nope.txt")


# --- station lists ---------------------------------------------------------------------------

OFFICIAL = (
    "Stations_id von_datum bis_datum Stationshoehe geoBreite geoLaenge Stationsname "
    "Bundesland Abgabe\r\n"
    "----------- --------- --------- ------------- --------- --------- "
    "----------------------------------------- ---------- ------\r\n"
    "00001 19370101 19860630            478     47.8413    8.8493 Aach"
    "                                     Baden-Württemberg                        Frei\r\n"
    "01270 19510101 20240101            316     50.9829   10.9608 Erfurt-Weimar"
    "                            Thüringen                                Frei\r\n"
    "02444 18240101 20240101            155     50.9251   11.5830 Jena (Sternwarte)"
    "                        Thüringen                                Frei\r\n"
)


def test_official_station_list_latin1(tmp_path: Path) -> None:
    path = write(tmp_path, "KL_Tageswerte_Beschreibung_Stationen.txt", OFFICIAL, "latin-1")
    stations = read_dwd_stations(path)
    assert list(stations.columns) == [
        "station_id",
        "start",
        "end",
        "altitude_m",
        "lat",
        "lon",
        "name",
        "state",
    ]
    assert stations["station_id"].tolist() == ["00001", "01270", "02444"]
    assert stations["name"].tolist() == ["Aach", "Erfurt-Weimar", "Jena (Sternwarte)"]
    assert stations["state"].tolist() == ["Baden-Württemberg", "Thüringen", "Thüringen"]
    assert stations.loc[2, "start"] == pd.Timestamp("1824-01-01")
    assert stations.loc[1, "altitude_m"] == 316.0
    assert stations.loc[1, "lat"] == pytest.approx(50.9829)


def test_official_station_list_utf8_without_abgabe(tmp_path: Path) -> None:
    text = OFFICIAL.replace(" Abgabe", "").replace("Frei", "")
    stations = read_dwd_stations(write(tmp_path, "s.txt", text, "utf-8"))
    assert stations["state"].tolist() == ["Baden-Württemberg", "Thüringen", "Thüringen"]
    assert stations["name"].tolist()[2] == "Jena (Sternwarte)"


def test_csv_station_list_and_nearest(tmp_path: Path) -> None:
    text = (
        "id,from,to,altitude,lat,lon,name,state\n"
        "01270,1951-01-01,2020-01-04,316,50.9829,10.9608,Erfurt-Weimar,Thüringen\n"
        '02444,2018-07-04,2020-01-04,155,50.9251,11.583,"Jena (Sternwarte)",Thüringen\n'
        '00379,2017-09-01,2020-01-04,303,50.9074,11.2665,"Berka, Bad (Flugplatz)",Thüringen\n'
    )
    stations = read_dwd_stations(write(tmp_path, "s.csv", text, "utf-8"))
    assert stations["station_id"].tolist() == ["01270", "02444", "00379"]
    assert stations.loc[2, "name"] == "Berka, Bad (Flugplatz)"
    near = nearest_stations(stations, 50.9271, 11.5892, n=2)
    assert near["station_id"].tolist() == ["02444", "00379"]
    assert near.loc[0, "distance_km"] == pytest.approx(0.49, abs=0.02)
    # Jena Sternwarte – Erfurt-Weimar: about 44 km
    far = nearest_stations(stations, 50.9251, 11.583, n=3)
    assert far.loc[2, "distance_km"] == pytest.approx(44.2, abs=0.5)
    with pytest.raises(ValueError, match="lat/lon"):
        nearest_stations(stations, 95.0, 11.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"s\.txt: the file is empty"),
        ("Name Ort\nfoo bar\n", r"s\.txt: line 1: not a DWD station list \(expected the header"),
        (
            "id,name\n1,A\n",
            r"s\.txt: the header: not a station list: missing column\(s\) from, to, altitude, "
            r"lat, lon, state \(expected .*; found columns id, name\)",
        ),
        (
            OFFICIAL.replace("02444 18240101", "02444 1824xx01"),
            r"s\.txt: line 5: von_datum is not a date \(.*found '1824xx01'\)",
        ),
        (
            OFFICIAL + "garbage line\r\n",
            r"s\.txt: line 6: not a station row \(expected 'Stations_id von_datum.*found 'garbage",
        ),
        (
            OFFICIAL.replace("50.9251", "95.9251"),
            r"s\.txt: line 5: lat is out of range \(expected \[-90, 90\] degrees; found 95\.9251\)",
        ),
        (
            "id,from,to,altitude,lat,lon,name,state\nA1,1951-01-01,2020-01-01,3,50,11,X,Y\n",
            r"s\.txt: line 2: station id is not a DWD station number \(.*found 'A1'\)",
        ),
        (
            "id,from,to,altitude,lat,lon,name,state\n1,1951-01-01,2020-01-01,hoch,50,11,X,Y\n",
            r"s\.txt: line 2: altitude is not a number \(.*found 'hoch'\)",
        ),
        (OFFICIAL + OFFICIAL.splitlines()[3] + "\r\n", r"station id\(s\) listed twice: 01270"),
    ],
)
def test_bad_station_lists(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DwdFormatError, match=message):
        read_dwd_stations(write(tmp_path, "s.txt", text, "latin-1"))


# --- into the pack ---------------------------------------------------------------------------


def _small_product(tmp_path: Path) -> Path:
    rows = [
        row(f"{d:%Y%m%d}", 20.0 + i % 12, 8.0, 14.0, 0.5)
        for i, d in enumerate(pd.date_range("2019-06-01", "2019-08-31"))
    ]
    return write(tmp_path, "produkt_klima_tag_20190601_20190831_01270.txt", product(*rows))


def test_climate_table_matches_schema(tmp_path: Path) -> None:
    table = climate_table(read_dwd_daily(_small_product(tmp_path)))
    assert list(table.columns) == ["date", "tmax", "tmin", "tmean", "precip_mm", "station_id"]
    assert table["date"].iloc[0] == "2019-06-01"
    assert table["station_id"].iloc[0] == "01270"


def test_import_climate_into_pack(tmp_path: Path, pack: Path) -> None:
    result = import_climate(pack, [_small_product(tmp_path)])
    assert (result.rows, result.first, result.last, result.station_id) == (
        92,
        "2019-06-01",
        "2019-08-31",
        "01270",
    )
    assert validate_pack(pack).ok
    loaded = load_pack(pack)
    table = loaded.table("climate_daily")
    assert len(table) == 92
    assert table["station_id"].iloc[0] == "01270"  # leading zero kept
    raw = tomllib.loads((pack / "city.toml").read_text(encoding="utf-8"))
    entry = next(d for d in raw["datasets"] if d["id"] == "climate_daily")
    assert entry["kind"] == "table"
    assert entry["path"] == "climate_daily.csv"
    assert "crs" not in entry
    assert entry["attribution"] == "Deutscher Wetterdienst"
    assert "DL-DE/BY-2-0" in entry["licence"]
    assert "produkt_klima_tag_20190601_20190831_01270.txt" in entry["source"]
    assert entry["temporal"] == {"start": "2019-06-01", "end": "2019-08-31"}
    assert set(entry["title"]) == {"de", "en"} and set(entry["description"]) == {"de", "en"}
    assert "approximations" not in entry
    # importing again replaces the dataset and says so
    again = import_climate(pack, [_small_product(tmp_path)], source="my source")
    assert any("replaced the pack's existing climate_daily" in n for n in again.notes)
    assert load_pack(pack).dataset("climate_daily").source == "my source"


def test_bad_file_leaves_the_pack_byte_identical(tmp_path: Path, pack: Path) -> None:
    import_climate(pack, [_small_product(tmp_path)])
    before = pack_hash(pack)
    bad = write(tmp_path, "bad.txt", product(row("20190101"), row("2019-01-02")))
    with pytest.raises(DwdFormatError, match=r"bad\.txt: line 3"):
        import_climate(pack, [bad])
    assert pack_hash(pack) == before
    # a readable file whose values fail the pack schema (tmax 70 °C) is refused by validation
    hot = write(tmp_path, "hot.txt", product(row("20190101", 70.0)))
    with pytest.raises(PackError, match="tmax"):
        import_climate(pack, [hot])
    assert pack_hash(pack) == before
    assert not [p for p in pack.parent.iterdir() if p.name.startswith(".pack.")]


def test_import_needs_an_existing_pack(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a city pack"):
        import_climate(tmp_path / "nothing", [_small_product(tmp_path)])
    assert not (tmp_path / "nothing").exists()


def test_cli_import_climate_then_validate(
    tmp_path: Path, pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _small_product(tmp_path)
    assert main(["import", "climate", "--pack", str(pack), "--dwd", str(path)]) == 0
    out = capsys.readouterr().out
    assert "imported climate_daily" in out and "92 days" in out and "01270" in out
    assert main(["validate", str(pack)]) == 0
    assert "valid" in capsys.readouterr().out
    before = pack_hash(pack)
    bad = write(tmp_path, "bad.txt", "")
    assert main(["import", "climate", "--pack", str(pack), "--dwd", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "import failed; the pack was not changed: bad.txt: the file is empty" in err
    assert pack_hash(pack) == before


# --- real DWD files --------------------------------------------------------------------------


@pytest.mark.realdata
def test_real_erfurt_historical_and_recent_merge(jena_dir: Path) -> None:
    data = read_dwd_daily([jena_dir / RECENT, jena_dir / HIST])
    frame = data.frame
    assert data.station_id == "01270"
    assert frame["date"].iloc[0] == pd.Timestamp("1951-01-01")
    assert frame["date"].iloc[-1] == pd.Timestamp("2020-01-04")
    assert frame["date"].is_unique
    assert len(frame) == 24837 + 550 - 181
    text = "\n".join(data.notes)
    assert f"{RECENT} overlaps {HIST} on 181 day(s) (2018-07-04 – 2018-12-31): 181 agree" in text
    assert "RSK 3" in text  # three days without precipitation in the historical file


@pytest.mark.realdata
def test_real_two_stations_error(jena_dir: Path) -> None:
    with pytest.raises(ValueError, match=r"station 01270 .* and station 02444"):
        read_dwd_daily([jena_dir / RECENT, jena_dir / JENA])


@pytest.mark.realdata
def test_real_station_subset_csv(jena_dir: Path) -> None:
    stations = read_dwd_stations(jena_dir / STATIONS_CSV)
    assert len(stations) == 58
    jena = stations.set_index("station_id").loc["02444"]
    assert jena["name"] == "Jena (Sternwarte)" and jena["altitude_m"] == 155.0
    near = nearest_stations(stations, 50.9271, 11.5892, n=3)
    assert near["station_id"].iloc[0] == "02444"


@pytest.mark.realdata
def test_real_import_into_pack(jena_dir: Path, pack: Path) -> None:
    result = import_climate(pack, [jena_dir / JENA])
    assert (result.rows, result.first, result.last) == (550, "2018-07-04", "2020-01-04")
    assert validate_pack(pack).ok


def test_pack_table_round_trip_keeps_values(tmp_path: Path, pack: Path) -> None:
    path = write(
        tmp_path,
        "p.txt",
        product(row("20190101", 1.5, -2.5, 0.1, 3.2), row("20190102", -999, -999, -999, -999)),
    )
    import_climate(pack, [path])
    table = load_pack(pack).table("climate_daily")
    assert table["tmax"].iloc[0] == 1.5 and table["precip_mm"].iloc[0] == 3.2
    assert table[["tmax", "tmin", "tmean", "precip_mm"]].iloc[1].isna().all()


def test_reader_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    text = "\ufeff" + product(row("20190101"))
    assert len(read_dwd_daily(write(tmp_path, "bom.txt", text, "utf-8")).frame) == 1


# --- the importer contract -------------------------------------------------------------------


def test_errors_name_file_where_expected_found(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.txt", product(row("20190101"), row("20190102", tmin="kalt")))
    with pytest.raises(DwdFormatError) as err:
        read_dwd_daily(bad)
    assert isinstance(err.value, ImporterError)
    assert (err.value.file, err.value.where, err.value.found) == ("bad.txt", "line 3", "'kalt'")
    assert "TNK" in err.value.message and "-999" in (err.value.expected or "")
    archive = tmp_path / "tageswerte_KL_01270_akt.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("produkt_klima_tag_20190101_20190102_01270.txt", product(row("2019-01-01")))
    with pytest.raises(DwdFormatError) as err:
        read_dwd_daily(archive)
    assert err.value.file == f"{archive.name}:produkt_klima_tag_20190101_20190102_01270.txt"
    assert err.value.where == "line 2" and err.value.found == "'2019-01-01'"
    stations = write(
        tmp_path, "s.csv", "id,from,to,altitude,lat,lon,name,state\n1,x,2020,3,5,1,A,B\n"
    )
    with pytest.raises(DwdFormatError) as err:
        read_dwd_stations(stations)
    assert (err.value.file, err.value.where, err.value.found) == ("s.csv", "line 2", "'x'")


def test_importer_options_reproduce_the_cli_flags() -> None:
    assert [o.cli for o in IMPORTER.options] == ["--dwd", "--source"]
    dwd = IMPORTER.options[0]
    assert dwd.input and dwd.multiple and dwd.required and dwd.type is Path
    assert IMPORTER.name == "climate" and IMPORTER.pack_aliases == ()


def test_importer_run_counts_what_the_pack_holds(tmp_path: Path, pack: Path) -> None:
    first = write(
        tmp_path,
        "produkt_klima_tag_20190101_20190103_01270.txt",
        product(row("20190101"), row("20190101"), row("20190102"), row("20190103")),
    )
    second = write(
        tmp_path,
        "produkt_klima_tag_20190103_20190105_01270.txt",
        product(row("20190103"), row("20190104"), row("20190105")),
    )
    result = run_importer(IMPORTER, pack, dwd=[first, second])
    stored = pd.read_csv(pack / "climate_daily.csv")
    assert result.written == len(stored) == 5  # 1 Jan – 5 Jan
    assert result.read == 7  # every data row of both files, repeats included
    assert result.unit == "days" and result.files == (str(first), str(second))
    assert result.native.rows == 5 and "imported climate_daily" in result.details[0]
    assert any("exact duplicate" in line for line in result.details)


def test_importer_run_names_the_file(tmp_path: Path, pack: Path) -> None:
    before = pack_hash(pack)
    with pytest.raises(ImporterError, match=r"fehlt\.txt: file not found"):
        run_importer(IMPORTER, pack, dwd=[tmp_path / "fehlt.txt"])
    a = write(tmp_path, "a.txt", product(row("20190101", station="1270")))
    b = write(tmp_path, "b.txt", product(row("20190101", station="2444")))
    with pytest.raises(ImporterError) as err:
        run_importer(IMPORTER, pack, dwd=[a, b])
    assert err.value.file == "a.txt and b.txt"
    assert err.value.found == "station 01270 (a.txt) and station 02444 (b.txt)"
    assert pack_hash(pack) == before
