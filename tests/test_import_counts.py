"""Importing pedestrian counts (hystreet CSV/JSON, OGC SensorThings, long CSV) into a pack."""

from __future__ import annotations

import argparse
import csv
import io
import json
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cli.counts import add_counts_args, counts_from_args
from cli.main import main
from data.footfall import CountsError
from data.importers.base import ImporterError, run_importer
from data.importers.counts import (
    IMPORTER,
    header_key,
    import_counts,
    read_counts,
    slug,
)
from data.importers.counts_sites import read_site_positions
from data.pack import load_pack
from tests.conftest import pack_hash
from tests.packfactory import make_pack

COUNTS = Path("pedestrian_counts")  # below the real-data folder (conftest.real_data)
MOERS = COUNTS / "moers_hystreet_csv_export"
MAINZ = COUNTS / "hystreet_mainz_schusterstrasse_71_hourly_2021-12.csv"
JSON_DIR = COUNTS / "hystreet_api_v2_json_samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ST_THINGS = FIXTURES / "sensorthings_things_expanded.json"
ST_DATASTREAM = FIXTURES / "sensorthings_datastream_observations.json"
ST_PAGE1 = FIXTURES / "sensorthings_observations_page1.json"
ST_PAGE2 = FIXTURES / "sensorthings_observations_page2.json"


def _write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return make_pack(tmp_path / "pack")


def _utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


# --- hystreet CSV export (real Moers files) --------------------------------------------------


def _direct_total(path: Path) -> tuple[int, int]:
    """Sum and row count of the 4th column ("Fußgänger insgesamt") read with the csv module."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert header_key(rows[0][3]).endswith("insgesamt")
    return sum(int(r[3]) for r in rows[1:] if r and r[3].strip()), len(rows) - 1


def test_moers_three_monthly_exports_read_as_one(real_data) -> None:
    files = sorted(real_data(MOERS).glob("*.csv"))
    assert len(files) == 3
    counts, reports, sites = read_counts(files, "hystreet")
    # May–July 2022, hourly without gaps: 31 + 30 + 31 days
    assert len(counts) == (31 + 30 + 31) * 24 == 2208
    assert counts["site_id"].unique().tolist() == ["steinstrasse-moers"]
    # "+0200" offsets: local midnight on 1 May is 22:00 UTC the day before
    assert counts["time"].min() == _utc("2022-04-30 22:00")
    assert counts["time"].max() == _utc("2022-07-31 21:00")
    assert (counts["time"].diff().dropna() == pd.Timedelta(hours=1)).all()
    expected = [_direct_total(f) for f in files]
    assert counts["count"].sum() == sum(s for s, _ in expected) == 1_117_667
    assert [r.rows_kept for r in reports] == [n for _, n in expected]
    assert {"temperature", "weather"} <= set(counts.columns)
    temps = counts["temperature"].dropna()
    assert len(temps) > 2000 and temps.between(-20, 45).all()
    july_first = counts[counts["time"] == _utc("2022-06-30 22:00")].iloc[0]
    assert july_first["count"] == 8 and july_first["temperature"] == 15
    assert july_first["weather"] == "rain"
    # the May file's damaged name (U+FFFD for ß) is repaired from the other months
    assert sites is not None
    assert sites.to_dict("records")[0]["name"] == "Steinstraße, Moers"
    assert np.isnan(sites["lon"].iloc[0])


def test_hystreet_damaged_headers_in_code(tmp_path: Path) -> None:
    text = (
        "Lage;Zeitpunkt der Messung;Wochentag;Fu\ufffdg\ufffdnger insgesamt;Temperatur in \ufffdc;"
        "Wetterlage;Fu\ufffdg\ufffdnger insgesamt Richtung A;Erwachsene;Kinder\n"
        "Markt, Testburg;2023-03-26 03:00:00 +0200;Sunday;7;4;rain;3;6;1\n"
        "Markt, Testburg;2023-03-26 01:00:00 +0100;Sunday;5;;;2;5;0\n"
    )
    path = _write(tmp_path, "export.csv", text)
    counts, _, _ = read_counts([path], "hystreet")
    assert counts["time"].tolist() == [_utc("2023-03-26 00:00"), _utc("2023-03-26 01:00")]
    assert counts["count"].tolist() == [5.0, 7.0]
    assert counts["site_id"].iloc[0] == "markt-testburg"
    assert np.isnan(counts["temperature"].iloc[0]) and counts["temperature"].iloc[1] == 4


def test_slug_and_header_key() -> None:
    assert slug("Steinstraße, Moers") == "steinstrasse-moers"
    assert slug("Löbderstraße") == "loebderstrasse"
    assert header_key("Fußgänger insgesamt") == "fussganger insgesamt"
    assert header_key("Temperatur in ºc") == "temperatur in c"


# --- long CSV (real Mainz file) --------------------------------------------------------------


def test_mainz_local_times_to_utc(real_data) -> None:
    counts, reports, sites = read_counts(
        [real_data(MAINZ)],
        "long",
        time_col="timestamp",
        count_col="pedestrians_count",
        site="mainz-schusterstrasse",
    )
    assert len(counts) == 745
    assert counts["time"].min() == _utc("2021-11-30 23:00")  # 1 Dec 00:00 CET
    assert counts["time"].max() == _utc("2021-12-31 23:00")  # 1 Jan 00:00 CET
    direct = pd.read_csv(real_data(MAINZ))["pedestrians_count"]
    assert counts["count"].sum() == direct.sum()
    assert counts["temperature"].iloc[0] == pytest.approx(6.14)
    assert counts["weather"].iloc[0] == "rain"
    assert reports[0].rows_kept == 745 and sites is None


def test_mainz_without_site_option_names_the_fix(real_data) -> None:
    mainz = real_data(MAINZ)
    with pytest.raises(CountsError, match="--site"):
        read_counts([mainz], "long", time_col="timestamp", count_col="pedestrians_count")


# --- hystreet API v2 JSON (real samples) -----------------------------------------------------


def test_hystreet_json_measurements_with_location(real_data) -> None:
    files = [
        real_data(JSON_DIR / "location_148_measurements-0a2a0d.json"),
        real_data(JSON_DIR / "location_148.json"),
        real_data(JSON_DIR / "locations.json"),
    ]
    counts, reports, sites = read_counts(files, "hystreet-json")
    assert counts["count"].tolist() == [1301.0, 1207.0, 1027.0, 529.0]
    assert counts["time"].iloc[0] == _utc("2025-02-20 14:00")
    assert counts["site_id"].unique().tolist() == ["hystreet-148"]
    assert counts["weather"].iloc[0] == "partly-cloudy-day"
    assert counts["temperature"].iloc[0] == pytest.approx(5.2)
    assert len(reports) == 1
    assert sites is not None and sites["name"].iloc[0] == "Werner-Senger-Straße, Limburg"


def test_hystreet_json_two_samples_of_the_same_hours_conflict(real_data) -> None:
    a = real_data(JSON_DIR / "location_148_measurements-0a2a0d.json")
    b = real_data(JSON_DIR / "location_148_measurements-4b0a1f.json")
    with pytest.raises(CountsError) as err:
        read_counts([a, b], "hystreet-json")
    assert a.name in str(err.value) and b.name in str(err.value)
    assert "different counts" in str(err.value)


# --- OGC SensorThings (fixtures) -------------------------------------------------------------


def test_sensorthings_things_with_locations_and_intervals() -> None:
    counts, reports, sites = read_counts([ST_THINGS], "sensorthings")
    loeb = counts[counts["site_id"] == "loebderstrasse"]
    assert loeb["time"].tolist() == [_utc(f"2023-10-29 0{h}:00") for h in range(4)]
    assert loeb["count"].isna().tolist() == [False, False, True, False]  # result null
    joh = counts[counts["site_id"] == "zaehlstelle-johannisstrasse"]
    assert joh["time"].tolist() == [_utc("2023-10-29 00:00"), _utc("2023-10-29 01:00")]
    assert reports[0].missing_counts == 1
    assert any("@iot.nextLink" in w for w in reports[0].warnings)
    assert sites is not None
    by_id = sites.set_index("site_id")
    assert by_id.loc["loebderstrasse", "lon"] == pytest.approx(11.5872)
    assert by_id.loc["zaehlstelle-johannisstrasse", "lat"] == pytest.approx(50.9294)


def test_sensorthings_datastream_unsorted_and_negative() -> None:
    counts, reports, _ = read_counts([ST_DATASTREAM], "sensorthings")
    assert counts["time"].is_monotonic_increasing
    assert counts["count"].tolist()[:2] == [6.0, 9.0] and np.isnan(counts["count"].iloc[2])
    assert reports[0].negative_counts == 1


def test_sensorthings_plain_pages_read_as_one() -> None:
    counts, reports, _ = read_counts([ST_PAGE1, ST_PAGE2], "sensorthings", site="markt")
    assert counts["count"].tolist() == [3.0, 2.0, 5.0, 8.0, 11.0]
    # observation 5003 is on both pages with the same count: dropped once, reported
    assert sum(r.exact_duplicates_dropped for r in reports) == 1
    assert not any("@iot.nextLink" in w for r in reports for w in r.warnings)


def test_sensorthings_plain_list_needs_a_site() -> None:
    with pytest.raises(CountsError, match="pass site="):
        read_counts([ST_PAGE1], "sensorthings")


def test_sensorthings_interval_longer_than_an_hour(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "day.json",
        '{"value": [{"phenomenonTime": "2024-01-01T00:00:00Z/2024-01-02T00:00:00Z", '
        '"result": 400}]}',
    )
    with pytest.raises(CountsError, match="not one hour"):
        read_counts([path], "sensorthings", site="x")


# --- import rules on tiny long CSVs ----------------------------------------------------------

HEAD = "site;time;count\n"


def test_unsorted_rows_are_sorted(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "c.csv",
        HEAD + "b;2024-05-01 10:00;3\na;2024-05-01 11:00;2\na;2024-05-01 10:00;1\n",
    )
    counts, _, _ = read_counts([path], "long")
    assert counts["site_id"].tolist() == ["a", "a", "b"]
    assert counts["count"].tolist() == [1.0, 2.0, 3.0]
    assert counts["time"].iloc[0] == _utc("2024-05-01 08:00")  # CEST


def test_exact_duplicates_dropped_and_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, "c.csv", HEAD + "a;2024-05-01 10:00;1\na;2024-05-01 10:00;1\n")
    counts, reports, _ = read_counts([path], "long")
    assert len(counts) == 1 and reports[0].exact_duplicates_dropped == 1
    assert any("duplicate" in line for line in reports[0].lines())


def test_conflicting_duplicates_name_the_lines(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "c.csv",
        HEAD + "a;2024-05-01 09:00;0\na;2024-05-01 10:00;1\na;2024-05-01 10:00;2\n",
    )
    with pytest.raises(CountsError) as err:
        read_counts([path], "long")
    msg = str(err.value)
    assert "c.csv" in msg and "line 3" in msg and "line 4" in msg


def test_nan_empty_negative_become_missing(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "c.csv",
        HEAD + "a;2024-05-01 10:00;\na;2024-05-01 11:00;-\na;2024-05-01 12:00;-4\n"
        "a;2024-05-01 13:00;5\n",
    )
    counts, reports, _ = read_counts([path], "long")
    assert counts["count"].isna().tolist() == [True, True, True, False]
    assert reports[0].missing_counts == 2 and reports[0].negative_counts == 1


def test_text_count_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "c.csv", HEAD + "a;2024-05-01 10:00;1\na;2024-05-01 11:00;viele\n")
    with pytest.raises(CountsError, match=r"c\.csv: line 3: count is not a number") as err:
        read_counts([path], "long")
    assert (err.value.file, err.value.where, err.value.found) == ("c.csv", "line 3", "'viele'")


def test_autumn_ambiguous_hour_inferred_from_file_order(tmp_path: Path) -> None:
    rows = ["a;2023-10-29 01:00;1", "a;2023-10-29 02:00;2", "a;2023-10-29 02:00;3"]
    rows += ["a;2023-10-29 03:00;4"]
    path = _write(tmp_path, "c.csv", HEAD + "\n".join(rows) + "\n")
    counts, _, _ = read_counts([path], "long")
    assert counts["time"].tolist() == [
        _utc("2023-10-28 23:00"),
        *(_utc(f"2023-10-29 0{h}:00") for h in range(3)),
    ]
    assert counts["count"].tolist() == [1.0, 2.0, 3.0, 4.0]


def test_autumn_ambiguous_hour_by_flag_column(tmp_path: Path) -> None:
    text = "site;time;count;dst\na;2023-10-29 02:00;30;false\na;2023-10-29 02:00;20;true\n"
    counts, _, _ = read_counts([_write(tmp_path, "c.csv", text)], "long")
    assert counts["time"].tolist() == [_utc("2023-10-29 00:00"), _utc("2023-10-29 01:00")]
    assert counts["count"].tolist() == [20.0, 30.0]


def test_autumn_ambiguous_hour_once_refused_under_raise(tmp_path: Path) -> None:
    path = _write(tmp_path, "c.csv", HEAD + "a;2023-10-29 01:00;1\na;2023-10-29 02:00;2\n")
    with pytest.raises(
        CountsError, match=r"c\.csv: line\(s\) 3: .*summer from winter time for the repeated autumn"
    ):
        read_counts([path], "long", ambiguous="raise")


def test_spring_nonexistent_hour_refused_under_raise_names_the_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "c.csv",
        HEAD + "a;2024-03-31 01:00;1\na;2024-03-31 02:00;2\na;2024-03-31 03:00;3\n",
    )
    with pytest.raises(CountsError, match=r"line\(s\) 3: time 2024-03-31 02:00 does not exist"):
        read_counts([path], "long", nonexistent="raise")


def test_custom_columns_and_offsets(tmp_path: Path) -> None:
    text = "Zählstelle,Zeit,Anzahl\nnord,2024-03-31T01:00:00Z,4\nnord,2024-03-31T02:00:00+02:00,5\n"
    counts, _, _ = read_counts(
        [_write(tmp_path, "c.csv", text)],
        "long",
        site_col="Zählstelle",
        time_col="Zeit",
        count_col="Anzahl",
    )
    assert counts["time"].tolist() == [_utc("2024-03-31 00:00"), _utc("2024-03-31 01:00")]
    assert counts["count"].tolist() == [5.0, 4.0]


def test_two_files_overlapping_with_different_counts(tmp_path: Path) -> None:
    a = _write(tmp_path, "april.csv", HEAD + "a;2024-04-30 23:00;5\na;2024-05-01 00:00;6\n")
    b = _write(tmp_path, "mai.csv", HEAD + "a;2024-05-01 00:00;7\na;2024-05-01 01:00;8\n")
    with pytest.raises(CountsError) as err:
        read_counts([a, b], "long")
    assert "april.csv" in str(err.value) and "mai.csv" in str(err.value)
    same = _write(tmp_path, "mai2.csv", HEAD + "a;2024-05-01 00:00;6\na;2024-05-01 01:00;8\n")
    counts, reports, _ = read_counts([a, same], "long")
    assert len(counts) == 3 and reports[1].exact_duplicates_dropped == 1


def test_unknown_format() -> None:
    with pytest.raises(CountsError, match="unknown format"):
        read_counts([ST_PAGE1], "excel")


# --- writing into a pack ---------------------------------------------------------------------


def test_import_sensorthings_into_pack_with_sites(pack: Path) -> None:
    reports = import_counts(
        [ST_THINGS],
        "sensorthings",
        pack,
        licence="CC-BY-4.0",
        attribution="Stadt Testburg",
        source="https://sensors.example.org/FROST-Server/v1.1",
    )
    assert reports[0].rows_kept == 6
    loaded = load_pack(pack)
    table = loaded.table("footfall_counts")
    assert len(table) == 6 and str(table["time"].dt.tz) == "UTC"
    sites = loaded.vector("footfall_sites")
    assert sorted(sites["site_id"]) == ["loebderstrasse", "zaehlstelle-johannisstrasse"]
    meta = tomllib.loads((pack / "city.toml").read_text(encoding="utf-8"))
    entry = next(d for d in meta["datasets"] if d["id"] == "footfall_counts")
    assert entry["licence"] == "CC-BY-4.0" and entry["attribution"] == "Stadt Testburg"
    assert entry["title"]["de"] and entry["title"]["en"]
    assert entry["temporal"] == {"start": "2023-10-29", "end": "2023-10-29"}
    # a second import merges: new hours added, the stored ones kept
    import_counts([ST_DATASTREAM], "sensorthings", pack)
    table = load_pack(pack).table("footfall_counts")
    assert len(table) == 9
    meta = tomllib.loads((pack / "city.toml").read_text(encoding="utf-8"))
    entry = next(d for d in meta["datasets"] if d["id"] == "footfall_counts")
    assert entry["licence"] == "CC-BY-4.0"  # kept when not given again
    assert len(load_pack(pack).vector("footfall_sites")) == 2


def test_import_real_moers_into_pack(real_data, pack: Path) -> None:
    files = sorted(real_data(MOERS).glob("*.csv"))
    reports = import_counts(files, "hystreet", pack, licence="unknown")
    assert sum(r.rows_kept for r in reports) == 2208
    table = load_pack(pack).table("footfall_counts")
    assert table["count"].sum() == 1_117_667
    assert {"temperature", "weather"} <= set(table.columns)
    assert any("no coordinates" in w for w in reports[-1].warnings)
    # importing the same files again changes nothing
    import_counts(files, "hystreet", pack)
    assert len(load_pack(pack).table("footfall_counts")) == 2208


def test_import_conflicting_with_stored_counts_leaves_pack(pack: Path, tmp_path: Path) -> None:
    import_counts([_write(tmp_path, "a.csv", HEAD + "a;2024-05-01 10:00;1\n")], "long", pack)
    before = pack_hash(pack)
    with pytest.raises(CountsError, match="already stored"):
        import_counts([_write(tmp_path, "b.csv", HEAD + "a;2024-05-01 10:00;2\n")], "long", pack)
    assert pack_hash(pack) == before


BAD_FILES = {
    "hystreet": (
        "export.csv",
        "Lage;Zeitpunkt der Messung;Wochentag\nMarkt;2024-01-01;Mo\n",
        "Fußgänger insgesamt",
    ),
    "hystreet-json": ("m.json", '{"measurements": [{"measured_at": ', "not valid JSON"),
    "sensorthings": ("s.json", '{"value": [{"name": "no observations here"}]}', "expand"),
    "long": (
        "c.csv",
        HEAD + "a;2024-05-01 10:00;1\na;gestern;2\n",
        "line(s) 3: unreadable time (expected a date and hour such as 2024-05-01 10:00; "
        "found 'gestern')",
    ),
}


@pytest.mark.parametrize("fmt", sorted(BAD_FILES))
def test_bad_file_leaves_pack_byte_identical(fmt: str, pack: Path, tmp_path: Path) -> None:
    import_counts([ST_THINGS], "sensorthings", pack, licence="CC0-1.0")
    before = pack_hash(pack)
    name, text, message = BAD_FILES[fmt]
    bad = _write(tmp_path, name, text)
    with pytest.raises(CountsError) as err:
        import_counts([bad], fmt, pack, site="a" if fmt != "long" else None)
    assert message in str(err.value) and name in str(err.value)
    assert pack_hash(pack) == before


def test_sites_outside_the_city_fail_validation_and_leave_pack(pack: Path, tmp_path: Path) -> None:
    far = ST_THINGS.read_text(encoding="utf-8").replace("11.5872", "6.6309")
    before = pack_hash(pack)
    with pytest.raises(ValueError, match="footfall_sites"):
        import_counts([_write(tmp_path, "far.json", far)], "sensorthings", pack)
    assert pack_hash(pack) == before


def test_import_needs_an_existing_pack(tmp_path: Path) -> None:
    with pytest.raises(CountsError, match="not a city pack"):
        import_counts([ST_THINGS], "sensorthings", tmp_path / "nothing")


# --- command line ----------------------------------------------------------------------------


def test_cli_import_counts(pack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "import",
            "counts",
            "--counts",
            str(ST_PAGE1),
            "--counts",
            str(ST_PAGE2),
            "--format",
            "sensorthings",
            "--site",
            "markt",
            "--out",
            str(pack),
            "--licence",
            "CC0-1.0",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "sensorthings_observations_page2.json: 2 hourly rows" in out
    assert "dropped 1 exact duplicate" in out
    assert len(load_pack(pack).table("footfall_counts")) == 5


def test_cli_failure_exit_1_pack_unchanged(
    pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _write(tmp_path, "c.csv", HEAD + "a;2024-03-31 02:00;1\n")
    before = pack_hash(pack)
    cmd = ["import", "counts", "--counts", str(bad), "--format", "long", "--out", str(pack)]
    code = main([*cmd, "--nonexistent", "raise"])
    err = capsys.readouterr().err
    assert code == 1
    assert "the pack was not changed" in err and "does not exist" in err
    assert pack_hash(pack) == before


def test_counts_args_helper_for_other_commands() -> None:
    parser = argparse.ArgumentParser()
    add_counts_args(parser)
    args = parser.parse_args(
        [
            *("--counts", str(ST_PAGE1), "--counts", str(ST_PAGE2)),
            *("--format", "sensorthings", "--site", "markt"),
        ]
    )
    counts, reports, sites = counts_from_args(args)
    assert len(counts) == 5 and len(reports) == 2
    assert sites is not None and sites["site_id"].tolist() == ["markt"]


# --- the importer contract -------------------------------------------------------------------


def test_errors_name_file_where_expected_found(tmp_path: Path) -> None:
    measurements = _write(
        tmp_path,
        "m.json",
        '{"location_id": 7, "measurements": [{"measured_at": "2024-01-01T10:00:00+01:00", '
        '"total_count": 3}, {"measured_at": "2024-01-01T11:00:00+01:00"}]}',
    )
    with pytest.raises(CountsError) as err:
        read_counts([measurements], "hystreet-json")
    assert isinstance(err.value, ImporterError)
    assert (Path(err.value.file or "").name, err.value.where) == ("m.json", "measurement 2")
    assert "'total_count'" in err.value.message and "'total_count'" in (err.value.expected or "")
    interval = '"2024-01-01T00:00:00Z/2024-01-01T02:00:00Z"'
    day = _write(
        tmp_path, "st.json", f'{{"value": [{{"phenomenonTime": {interval}, "result": 1}}]}}'
    )
    with pytest.raises(CountsError) as err:
        read_counts([day], "sensorthings", site="x")
    assert (Path(err.value.file or "").name, err.value.where) == ("st.json", "observation 1")
    assert err.value.found == repr(interval.strip('"'))
    flag = _write(tmp_path, "f.csv", "site;time;count;dst\na;2023-10-29 02:00;3;vielleicht\n")
    with pytest.raises(CountsError) as err:
        read_counts([flag], "long")
    assert (err.value.file, err.value.where, err.value.found) == ("f.csv", "line 2", "'vielleicht'")


def test_conflict_errors_name_the_files(pack: Path, tmp_path: Path) -> None:
    a = _write(tmp_path, "april.csv", HEAD + "a;2024-05-01 00:00;6\n")
    b = _write(tmp_path, "mai.csv", HEAD + "a;2024-05-01 00:00;7\n")
    with pytest.raises(CountsError) as err:
        read_counts([a, b], "long")
    assert err.value.file == "april.csv and mai.csv"
    assert err.value.where == "first: a 2024-04-30 22:00Z"
    import_counts([a], "long", pack)
    with pytest.raises(CountsError, match="already stored") as err:
        import_counts([b], "long", pack)
    assert (err.value.file, err.value.where) == ("mai.csv", "first: a 2024-04-30 22:00Z")
    assert err.value.found == "count 7" and "6" in (err.value.expected or "")


def test_importer_options_reproduce_the_cli_flags() -> None:
    flags = {o.cli: o for o in IMPORTER.options}
    assert list(flags) == [
        *("--counts", "--format", "--site-col", "--time-col", "--count-col", "--tz"),
        *("--country", "--subdiv", "--calendar", "--replace-calendar"),
        *("--ambiguous", "--nonexistent", "--site"),
        *("--site-lon", "--site-lat", "--sites", "--source-crs"),
        *("--licence", "--attribution", "--source"),
    ]
    assert flags["--sites"].input and flags["--site-lon"].type is float
    assert flags["--counts"].multiple and flags["--counts"].input and flags["--counts"].required
    assert flags["--format"].choices == ("hystreet", "hystreet-json", "sensorthings", "long")
    assert flags["--tz"].default is None and flags["--site-col"].default == "site"
    assert flags["--subdiv"].aliases == ("--state",) and flags["--calendar"].input
    assert flags["--ambiguous"].choices == ("first", "last", "sum", "drop", "raise")
    assert flags["--nonexistent"].choices == ("shift", "drop", "raise")
    assert (flags["--ambiguous"].default, flags["--nonexistent"].default) == ("first", "shift")
    assert IMPORTER.pack_aliases == ("--out",)


def test_importer_run_counts_what_the_pack_holds(pack: Path) -> None:
    result = run_importer(
        IMPORTER, pack, counts=[ST_PAGE1, ST_PAGE2], format="sensorthings", site="markt"
    )
    stored = pd.read_parquet(pack / "footfall_counts.parquet")
    assert result.written == len(stored) == 5
    read = sum(
        len(json.loads(p.read_text(encoding="utf-8"))["value"]) for p in (ST_PAGE1, ST_PAGE2)
    )
    assert result.read == read == 6  # one observation is on both pages
    assert result.files == (str(ST_PAGE1), str(ST_PAGE2)) and result.unit == "rows"
    assert any("licence not stated" in w for w in result.warnings)
    assert result.native[1].exact_duplicates_dropped == 1
    # the same files again: nothing new is written, the pack keeps its rows
    again = run_importer(
        IMPORTER, pack, counts=[ST_PAGE1, ST_PAGE2], format="sensorthings", site="markt"
    )
    assert again.written == 0 and again.read == read
    assert len(pd.read_parquet(pack / "footfall_counts.parquet")) == 5
    assert "footfall_counts now holds 5 hourly rows (0 new)" in again.details


def test_importer_run_names_a_missing_or_foreign_file(pack: Path, tmp_path: Path) -> None:
    before = pack_hash(pack)
    missing = tmp_path / "fehlt.csv"
    with pytest.raises(ImporterError, match=r"fehlt\.csv: file not found"):
        run_importer(IMPORTER, pack, counts=[missing], format="long")
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"value": [{"name": "Zählstelle"}]}'.encode("latin-1"))
    with pytest.raises(ImporterError, match=r"latin1\.json: byte 22: not UTF-8 JSON"):
        run_importer(IMPORTER, pack, counts=[latin1], format="sensorthings", site="x")
    assert pack_hash(pack) == before


# --- the city's calendar into the pack --------------------------------------------------------

CAL_HEAD = "start,end,name,kind,source\n"


def test_counts_import_declares_the_city_calendar_in_the_pack(
    pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    counts = _write(tmp_path, "c.csv", HEAD + "a;2024-05-01 10:00;3\n")
    ferien = _write(
        tmp_path, "ferien.csv", CAL_HEAD + "2024-05-02,2024-05-03,Ferien,school_holiday,X\n"
    )
    cmd = ["import", "counts", "--pack", str(pack), "--counts", str(counts), "--format", "long"]
    code = main(
        [
            *cmd,
            "--tz",
            "America/New_York",
            "--country",
            "US",
            "--state",
            "NY",
            "--calendar",
            str(ferien),
        ]
    )
    assert code == 0, capsys.readouterr()
    city = tomllib.loads((pack / "city.toml").read_text(encoding="utf-8"))["city"]
    assert (city["timezone"], city["country"], city["subdivision"]) == (
        "America/New_York",
        "US",
        "NY",
    )
    assert city["calendars"] == ["calendar"]
    loaded = load_pack(pack)
    assert len(loaded.table("calendar")) == 1
    # the naive time was read in the declared zone: 10:00 New York is 14:00 UTC
    assert loaded.table("footfall_counts")["time"].iloc[0] == _utc("2024-05-01 14:00")
    # the same values again change nothing; a later naive file uses the pack's zone
    later = _write(tmp_path, "d.csv", HEAD + "a;2024-05-01 11:00;4\n")
    assert main([*cmd[:5], str(later), *cmd[6:], "--calendar", str(ferien), "--subdiv", "NY"]) == 0
    times = load_pack(pack).table("footfall_counts")["time"]
    assert _utc("2024-05-01 15:00") in set(times)


def test_a_calendar_that_differs_from_the_packs_is_refused_naming_both(
    pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    counts = _write(tmp_path, "c.csv", HEAD + "a;2024-05-01 10:00;3\n")
    one = _write(tmp_path, "eins.csv", CAL_HEAD + "2024-05-02,2024-05-03,Ferien,school_holiday,X\n")
    two = _write(tmp_path, "zwei.csv", CAL_HEAD + "2024-07-01,2024-08-10,Sommer,school_holiday,X\n")
    cmd = ["import", "counts", "--out", str(pack), "--counts", str(counts), "--format", "long"]
    assert main([*cmd, "--subdiv", "TH", "--calendar", str(one)]) == 0
    capsys.readouterr()
    before = pack_hash(pack)
    assert main([*cmd, "--subdiv", "BY", "--tz", "Europe/Vienna"]) == 1
    err = capsys.readouterr().err
    assert "subdivision 'TH' in city.toml, but --subdiv 'BY'" in err
    assert "timezone" not in err  # the pack declared none: --tz would be written
    assert "--replace-calendar" in err and pack_hash(pack) == before
    assert main([*cmd, "--calendar", str(two)]) == 1
    err = capsys.readouterr().err
    assert "calendars calendar (1 ranges" in err and "zwei.csv (1 ranges" in err
    assert "only in the pack: 2024-05-02–2024-05-03 'Ferien'" in err
    assert pack_hash(pack) == before
    # --replace-calendar replaces both
    assert main([*cmd, "--calendar", str(two), "--subdiv", "BY", "--replace-calendar"]) == 0
    city = tomllib.loads((pack / "city.toml").read_text(encoding="utf-8"))["city"]
    assert city["subdivision"] == "BY"
    assert load_pack(pack).table("calendar")["name"].tolist() == ["Sommer"]


def test_unknown_zone_or_subdivision_and_bad_calendar_rows_are_refused(
    pack: Path, tmp_path: Path
) -> None:
    counts = _write(tmp_path, "c.csv", HEAD + "a;2024-05-01 10:00;3\n")
    before = pack_hash(pack)
    with pytest.raises(ImporterError, match="unknown time zone 'Mars/Olympus'"):
        run_importer(IMPORTER, pack, counts=[counts], format="long", tz="Mars/Olympus")
    with pytest.raises(ImporterError, match=r"unknown subdivision 'XX' of DE; valid: .*NW"):
        run_importer(IMPORTER, pack, counts=[counts], format="long", subdiv="XX")
    bad = _write(tmp_path, "kal.csv", CAL_HEAD + "2024-05-03,2024-05-02,Ferien,holiday,X\n")
    with pytest.raises(ImporterError, match=r"kal\.csv.*row 1: end 2024-05-02 lies before"):
        run_importer(IMPORTER, pack, counts=[counts], format="long", calendar=[bad])
    assert pack_hash(pack) == before


# --- site positions given at import (--site-lon/--site-lat, --sites) ---------------------------

#: Inside the packfactory city's bbox (11.50–11.66 E, 50.87–50.97 N).
LON, LAT = 11.5878, 50.9282


def _one_site(tmp_path: Path, site: str = "markt") -> Path:
    rows = "".join(f"{site};2024-05-01 {h:02d}:00;{10 + h}\n" for h in range(8, 12))
    return _write(tmp_path, "one.csv", HEAD + rows)


def _two_sites(tmp_path: Path) -> Path:
    return _write(tmp_path, "two.csv", HEAD + "a;2024-05-01 10:00;1\nb;2024-05-01 10:00;2\n")


def _sites(stored: Path) -> dict[str, tuple[str, float, float]]:
    frame = load_pack(stored).vector("footfall_sites").to_crs("EPSG:4326")
    return {
        str(s): (str(n), round(g.x, 4), round(g.y, 4))
        for s, n, g in zip(frame["site_id"], frame["name"], frame.geometry, strict=True)
    }


def test_site_lon_lat_place_the_one_site_and_the_layers_draw(pack: Path, tmp_path: Path) -> None:
    from layers import get_layer

    result = run_importer(
        IMPORTER, pack, counts=[_one_site(tmp_path)], format="long", site_lon=LON, site_lat=LAT
    )
    assert not any("no coordinates" in w for w in result.warnings)
    assert _sites(pack) == {"markt": ("markt", LON, LAT)}
    loaded = load_pack(pack)
    for layer_id in ("footfall-sites", "footfall-heatmap"):
        assert get_layer(layer_id).available(loaded), layer_id


def test_without_positions_the_warning_names_the_options(pack: Path, tmp_path: Path) -> None:
    result = run_importer(IMPORTER, pack, counts=[_one_site(tmp_path)], format="long")
    # a long file names no sites at all: nothing to warn about, and no footfall_sites
    assert "footfall_sites" not in {d.id for d in load_pack(pack).catalog.datasets}
    files = [_write(tmp_path, "export.csv", HYSTREET_ONE)]
    result = run_importer(IMPORTER, pack, counts=files, format="hystreet")
    warning = next(w for w in result.warnings if "no coordinates" in w)
    assert "--site-lon/--site-lat" in warning and "--sites FILE" in warning


HYSTREET_ONE = (
    "Lage;Zeitpunkt der Messung;Wochentag;Fußgänger insgesamt\n"
    "Markt, Testburg;2024-05-01 10:00:00 +0200;Mittwoch;120\n"
    "Markt, Testburg;2024-05-01 11:00:00 +0200;Mittwoch;140\n"
)


def test_a_hystreet_export_gets_its_position(pack: Path, tmp_path: Path) -> None:
    files = [_write(tmp_path, "export.csv", HYSTREET_ONE)]
    run_importer(IMPORTER, pack, counts=files, format="hystreet", site_lon=LON, site_lat=LAT)
    assert _sites(pack) == {"markt-testburg": ("Markt, Testburg", LON, LAT)}


@pytest.mark.parametrize(
    ("lon", "lat", "message"),
    [
        (6.6287, 51.4516, "the site lies outside the city's bounding box"),
        (LAT, LON, "are lon and lat swapped?"),
        (LON, 95.0, "not a longitude/latitude in degrees"),
        (LON, float("nan"), "not a pair of finite numbers"),
        (LON, None, "--site-lon alone does not place a site"),
    ],
)
def test_bad_single_positions_are_refused(
    pack: Path, tmp_path: Path, lon: float, lat: float | None, message: str
) -> None:
    before = pack_hash(pack)
    with pytest.raises(CountsError) as err:
        run_importer(
            IMPORTER, pack, counts=[_one_site(tmp_path)], format="long", site_lon=lon, site_lat=lat
        )
    assert message in str(err.value)
    assert err.value.where == "--site-lon/--site-lat" and err.value.expected and err.value.found
    assert pack_hash(pack) == before


def test_one_position_for_two_sites_is_refused_naming_them(pack: Path, tmp_path: Path) -> None:
    with pytest.raises(CountsError, match="one position given, but the counts name 2 sites") as e:
        run_importer(
            IMPORTER, pack, counts=[_two_sites(tmp_path)], format="long", site_lon=LON, site_lat=LAT
        )
    assert e.value.found == "a, b" and "--sites FILE" in (e.value.expected or "")


def test_a_sites_file_places_several_sites(pack: Path, tmp_path: Path) -> None:
    table = _write(
        tmp_path,
        "standorte.csv",
        "site_id;name;lon;lat\na;Markt;11,5878;50,9282\nb;;11.59;50.935\n",
    )
    counts = [_two_sites(tmp_path)]
    run_importer(IMPORTER, pack, counts=counts, format="long", sites=table)
    assert _sites(pack) == {"a": ("Markt", LON, LAT), "b": ("b", 11.59, 50.935)}


def test_a_sites_file_in_metres_needs_its_crs(pack: Path, tmp_path: Path) -> None:
    table = _write(tmp_path, "xy.csv", "site_id,name,x,y\na,Markt,681000.5,5643100.0\n")
    counts = [_one_site(tmp_path, "a")]
    before = pack_hash(pack)
    with pytest.raises(ImporterError, match="states no CRS; state it with --source-crs") as err:
        run_importer(IMPORTER, pack, counts=counts, format="long", sites=table)
    assert err.value.file == str(table) and pack_hash(pack) == before
    run_importer(IMPORTER, pack, counts=counts, format="long", sites=table, source_crs="EPSG:25832")
    name, lon, lat = _sites(pack)["a"]
    assert name == "Markt" and 11.50 < lon < 11.66 and 50.87 < lat < 50.97


def test_source_crs_without_a_sites_file_is_refused(pack: Path, tmp_path: Path) -> None:
    with pytest.raises(CountsError, match="x/y columns of a sites file") as err:
        run_importer(
            IMPORTER, pack, counts=[_one_site(tmp_path)], format="long", source_crs="EPSG:25832"
        )
    assert err.value.where == "--source-crs"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("site_id,lon,lat\nzz,11.58,50.92\n", "line 2", "unknown site 'zz'"),
        ("site_id,lon,lat\na,11.58,50.92\na,11.59,50.93\n", "line 3", "site 'a' repeats line 2"),
        ("site_id,lon,lat\na,elf,50.92\n", "line 2", "the coordinates are not numbers"),
        ("site_id,lon,lat\na,11.58,150\n", "line 2", "not a longitude/latitude"),
        ("site_id,lon,lat\na,50.92,11.58\n", "line 2", "are lon and lat swapped?"),
        ("site_id,lon,lat\na,6.6287,51.4516\n", "line 2", "outside the city's bounding box"),
        ("site_id,name\na,Markt\n", "line 1", "one pair of coordinate columns"),
        ("site_id,lon,lat\n", "line 2", "no sites"),
    ],
)
def test_bad_sites_files_are_refused_naming_file_and_line(
    pack: Path, tmp_path: Path, text: str, where: str, message: str
) -> None:
    table = _write(tmp_path, "sites.csv", text)
    before = pack_hash(pack)
    with pytest.raises(CountsError) as err:
        run_importer(IMPORTER, pack, counts=[_one_site(tmp_path, "a")], format="long", sites=table)
    assert message in err.value.message, str(err.value)
    assert (err.value.file, err.value.where) == (str(table), where)
    assert str(err.value).startswith("sites.csv: ") and err.value.expected and err.value.found
    assert pack_hash(pack) == before


def test_a_missing_sites_file_is_named(pack: Path, tmp_path: Path) -> None:
    missing = tmp_path / "fehlt.csv"
    with pytest.raises(ImporterError, match=r"fehlt\.csv: file not found"):
        run_importer(IMPORTER, pack, counts=[_one_site(tmp_path)], format="long", sites=missing)


def test_a_sites_file_may_reposition_a_site_the_pack_holds(pack: Path, tmp_path: Path) -> None:
    counts = [_one_site(tmp_path, "a")]
    run_importer(IMPORTER, pack, counts=counts, format="long", site_lon=LON, site_lat=LAT)
    table = _write(tmp_path, "s.csv", "site_id,lon,lat\na,11.6,50.93\nb,11.59,50.935\n")
    other = [_write(tmp_path, "b.csv", HEAD + "b;2024-05-02 10:00;4\n")]
    result = run_importer(IMPORTER, pack, counts=other, format="long", sites=table)
    assert _sites(pack) == {"a": ("a", 11.6, 50.93), "b": ("b", 11.59, 50.935)}
    assert str(table) in result.files


def test_a_given_position_wins_over_the_files_with_a_warning(pack: Path) -> None:
    import_counts([ST_THINGS], "sensorthings", pack)  # SensorThings Locations carry positions
    site = sorted(_sites(pack))[0]
    path = pack.parent / "move.csv"
    path.write_text(f"site_id,lon,lat\n{site},{LON},{LAT}\n", encoding="utf-8")
    reports = import_counts(
        [ST_THINGS], "sensorthings", pack, sites=read_site_positions(path, None)
    )
    assert any(f"site {site!r}: the position given at import" in w for w in reports[-1].warnings)
    assert _sites(pack)[site][1:] == (LON, LAT)


def test_cli_site_options(pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cmd = ["import", "counts", "--counts", str(_one_site(tmp_path)), "--format", "long"]
    assert main([*cmd, "--pack", str(pack), "--site-lon", "6.6287", "--site-lat", "51.4516"]) == 1
    err = capsys.readouterr().err
    assert "the pack was not changed" in err and "outside the city's bounding box" in err
    assert main([*cmd, "--pack", str(pack), "--site-lon", str(LON), "--site-lat", str(LAT)]) == 0
    assert "footfall_sites holds 1 site(s)" in capsys.readouterr().out
