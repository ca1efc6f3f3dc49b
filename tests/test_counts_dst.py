"""Counts files in naive local time on daylight-saving days (issue 14).

The transitions are found with :mod:`zoneinfo` (independent of the pandas code under test),
in a northern zone (Europe/Berlin: spring in March, autumn in October) and a southern one
(Australia/Sydney: autumn in April, spring in October). The expected UTC hours are derived
with zoneinfo's ``fold``: ``fold=0`` is the summer-time reading of the repeated hour and, for
a time in the spring gap, the reading with the offset before the jump (= shifted forward).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from cli.main import main
from data.footfall import CountsError
from data.importers.base import ImporterError, run_importer
from data.importers.counts import IMPORTER, read_counts
from data.pack import load_pack
from tests.conftest import pack_hash
from tests.packfactory import make_pack

ZONES = ("Europe/Berlin", "Australia/Sydney")
YEAR = 2024
HOUR = timedelta(hours=1)
HEAD = "site;time;count\n"


def _transitions(tz: str, year: int = YEAR) -> tuple[datetime, datetime]:
    """``(skipped, repeated)``: naive local starts of the spring gap and the repeated hour."""
    zone = ZoneInfo(tz)
    t = datetime(year, 1, 1, tzinfo=UTC)
    before = t.astimezone(zone).utcoffset()
    found: dict[str, datetime] = {}
    while t.year == year:
        t += HOUR
        now = t.astimezone(zone).utcoffset()
        assert before is not None and now is not None
        if now > before:  # clocks forward: the local hour before t's local time is skipped
            found["skipped"] = t.astimezone(zone).replace(tzinfo=None) - (now - before)
        elif now < before:  # clocks back: t's local hour happened an hour ago already
            found["repeated"] = t.astimezone(zone).replace(tzinfo=None)
        before = now
    return found["skipped"], found["repeated"]


def _utc(tz: str, naive: datetime, fold: int = 0) -> pd.Timestamp:
    aware = naive.replace(tzinfo=ZoneInfo(tz), fold=fold)
    return pd.Timestamp(aware.astimezone(UTC))


def _file(folder: Path, rows: list[tuple[str, datetime, str]], name: str = "c.csv") -> Path:
    path = folder / name
    text = HEAD + "".join(f"{s};{t:%Y-%m-%d %H:%M};{c}\n" for s, t, c in rows)
    path.write_text(text, encoding="utf-8")
    return path


def _read(path: Path, tz: str, **policy: str) -> tuple[dict[pd.Timestamp, float], list[str]]:
    counts, reports, _ = read_counts([path], "long", tz=tz, **policy)
    assert set(counts["site_id"]) <= {"a", "b"}
    got = {t: c for t, c in zip(counts["time"], counts["count"], strict=True)}
    return got, [w for r in reports for w in r.warnings]


def _day(label: datetime, before: int, after: int) -> list[datetime]:
    """Wall-clock hours around ``label`` as a counter labelling 0–23 writes them."""
    return [label + k * HOUR for k in range(-before, after + 1)]


@pytest.mark.parametrize("tz", ZONES)
def test_transitions_fall_in_each_hemisphere_season(tz: str) -> None:
    skipped, repeated = _transitions(tz)
    spring, autumn = (3, 10) if tz == "Europe/Berlin" else (10, 4)
    assert (skipped.month, repeated.month) == (spring, autumn)
    assert skipped.weekday() == repeated.weekday() == 6  # both on a Sunday
    assert _utc(tz, repeated, fold=1) - _utc(tz, repeated, fold=0) == pd.Timedelta(hours=1)


# --- the repeated autumn hour ---------------------------------------------------------------


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize("policy", ["first", "last", "sum", "drop"])
def test_repeated_hour_given_once(tmp_path: Path, tz: str, policy: str) -> None:
    _, label = _transitions(tz)
    hours = _day(label, 2, 2)
    path = _file(tmp_path, [("a", t, str(10 + k)) for k, t in enumerate(hours)])
    got, warnings = _read(path, tz, ambiguous=policy)
    expected = {_utc(tz, t): 10.0 + k for k, t in enumerate(hours) if t != label}
    if policy != "drop":
        expected[_utc(tz, label, fold=1 if policy == "last" else 0)] = 12.0
    assert got == expected
    (note,) = warnings
    assert note.startswith("DST: 1 repeated autumn hour(s) given once")
    assert f"ambiguous={policy}" in note and f"a {label:%Y-%m-%d %H:%M} (line 4)" in note


@pytest.mark.parametrize("tz", ZONES)
def test_repeated_hour_given_once_refused_under_raise(tmp_path: Path, tz: str) -> None:
    _, label = _transitions(tz)
    path = _file(tmp_path, [("a", t, "1") for t in _day(label, 2, 1)])
    with pytest.raises(CountsError, match="summer from winter time") as err:
        read_counts([path], "long", tz=tz, ambiguous="raise")
    assert err.value.where == "line(s) 4"
    assert "first, last, sum, drop" in str(err.value)


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize("policy", ["first", "last", "raise", "sum", "drop"])
def test_repeated_hour_given_twice(tmp_path: Path, tz: str, policy: str) -> None:
    _, label = _transitions(tz)
    rows = [
        ("a", label - HOUR, "5"),
        ("a", label, "7"),
        ("a", label, "3"),
        ("a", label + HOUR, "4"),
    ]
    got, warnings = _read(_file(tmp_path, rows), tz, ambiguous=policy)
    expected = {_utc(tz, label - HOUR): 5.0, _utc(tz, label + HOUR): 4.0}
    if policy == "sum":
        expected[_utc(tz, label)] = 10.0
    elif policy != "drop":
        expected |= {_utc(tz, label): 7.0, _utc(tz, label, fold=1): 3.0}
    assert got == expected
    (note,) = warnings
    assert note.startswith("DST: 1 repeated autumn hour(s) given twice")
    assert f"ambiguous={policy}" in note and "(line 3 and 4)" in note


@pytest.mark.parametrize("gap", ["", "-3"])
def test_sum_of_a_doubled_hour_with_a_gap_is_a_gap(tmp_path: Path, gap: str) -> None:
    tz = ZONES[0]
    _, label = _transitions(tz)
    rows = [("a", label, "7"), ("a", label, gap)]
    got, _ = _read(_file(tmp_path, rows), tz, ambiguous="sum")
    assert list(got) == [_utc(tz, label)] and pd.isna(got[_utc(tz, label)])


def test_shifted_negative_spring_row_is_not_subtracted(tmp_path: Path) -> None:
    tz = ZONES[0]
    label, _ = _transitions(tz)
    got, _ = _read(_file(tmp_path, [("a", label, "-5"), ("a", label + HOUR, "40")]), tz)
    assert got == {_utc(tz, label + HOUR): 40.0}


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize("policy", ["first", "last", "sum", "drop", "raise"])
def test_repeated_hour_missing_leaves_both_hours_gaps(tmp_path: Path, tz: str, policy: str) -> None:
    _, label = _transitions(tz)
    hours = [t for t in _day(label, 2, 2) if t != label]
    got, warnings = _read(_file(tmp_path, [("a", t, "1") for t in hours]), tz, ambiguous=policy)
    assert sorted(got) == sorted(_utc(tz, t) for t in hours)
    assert _utc(tz, label, fold=0) not in got and _utc(tz, label, fold=1) not in got
    assert warnings == []


def test_policy_decides_per_site(tmp_path: Path) -> None:
    """Site a gives the hour twice, site b once: a is read in order, b by the policy."""
    tz = ZONES[1]
    _, label = _transitions(tz)
    rows = [("a", label, "1"), ("b", label, "9"), ("a", label, "2")]
    counts, reports, _ = read_counts([_file(tmp_path, rows)], "long", tz=tz, ambiguous="last")
    got = {(s, t): c for s, t, c in counts[["site_id", "time", "count"]].itertuples(index=False)}
    early, late = _utc(tz, label), _utc(tz, label, fold=1)
    assert got == {("a", early): 1.0, ("a", late): 2.0, ("b", late): 9.0}
    text = " | ".join(reports[0].warnings)
    assert f"b {label:%Y-%m-%d %H:%M} (line 3)" in text and "(line 2 and 4)" in text


def test_flag_column_still_decides(tmp_path: Path) -> None:
    tz = ZONES[0]
    _, label = _transitions(tz)
    path = tmp_path / "f.csv"
    path.write_text(f"site;time;count;dst\na;{label:%Y-%m-%d %H:%M};5;false\n", encoding="utf-8")
    counts, reports, _ = read_counts([path], "long", tz=tz, ambiguous="first")
    assert counts["time"].tolist() == [_utc(tz, label, fold=1)]
    assert reports[0].warnings == []


# --- the skipped spring hour ----------------------------------------------------------------


@pytest.mark.parametrize("tz", ZONES)
def test_spring_row_shifted_forward_alone(tmp_path: Path, tz: str) -> None:
    label, _ = _transitions(tz)
    rows = [("a", label - HOUR, "1"), ("a", label, "2")]
    got, warnings = _read(_file(tmp_path, rows), tz)  # the default: shift
    target = _utc(tz, label)  # zoneinfo: the offset before the jump
    assert target == _utc(tz, label + HOUR)  # … is the wall-clock hour after the jump
    assert got == {_utc(tz, label - HOUR): 1.0, target: 2.0}
    (note,) = warnings
    after = (label + HOUR).strftime("%H:%M")
    assert note == (
        "DST: 1 row(s) in the skipped spring hour moved to the hour after the jump "
        f"(nonexistent=shift): a {label:%Y-%m-%d %H:%M} → {after} (line 3)"
    )


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize("policy", ["shift", "drop"])
def test_spring_row_beside_the_hour_after_the_jump(tmp_path: Path, tz: str, policy: str) -> None:
    label, _ = _transitions(tz)
    hours = _day(label, 1, 1)
    path = _file(tmp_path, [("a", t, c) for t, c in zip(hours, ("1", "2", "40"), strict=True)])
    got, warnings = _read(path, tz, nonexistent=policy)
    after = 42.0 if policy == "shift" else 40.0
    assert got == {_utc(tz, label - HOUR): 1.0, _utc(tz, label + HOUR): after}
    (note,) = warnings
    assert f"nonexistent={policy}" in note and f"a {label:%Y-%m-%d %H:%M}" in note
    assert "(line 3)" in note and ("added to that hour's own row" in note) == (policy == "shift")


def test_shifted_empty_spring_row_keeps_the_next_hour(tmp_path: Path) -> None:
    tz = ZONES[0]
    label, _ = _transitions(tz)
    got, _ = _read(_file(tmp_path, [("a", label, ""), ("a", label + HOUR, "40")]), tz)
    assert got == {_utc(tz, label + HOUR): 40.0}


@pytest.mark.parametrize("tz", ZONES)
def test_spring_row_refused_under_raise(tmp_path: Path, tz: str) -> None:
    label, _ = _transitions(tz)
    path = _file(tmp_path, [("a", t, "1") for t in _day(label, 2, 1)])
    with pytest.raises(CountsError, match="does not exist in") as err:
        read_counts([path], "long", tz=tz, nonexistent="raise")
    assert err.value.where == "line(s) 4" and "shift, drop" in str(err.value)


# --- what stays strict ----------------------------------------------------------------------


def test_three_rows_for_the_repeated_hour_are_an_error(tmp_path: Path) -> None:
    tz = ZONES[0]
    _, label = _transitions(tz)
    path = _file(tmp_path, [("a", label, "1"), ("a", label, "2"), ("a", label, "3")])
    for policy in ("first", "sum", "drop"):
        with pytest.raises(CountsError, match="3 rows for the repeated autumn hour") as err:
            read_counts([path], "long", tz=tz, ambiguous=policy)
        assert err.value.where == "lines 2, 3, 4"


def test_other_duplicates_and_bad_cells_still_errors_on_a_dst_day(tmp_path: Path) -> None:
    tz = ZONES[0]
    skipped, label = _transitions(tz)
    dup = _file(tmp_path, [("a", label, "1"), ("a", label + HOUR, "2"), ("a", label + HOUR, "3")])
    with pytest.raises(CountsError) as err:
        read_counts([dup], "long", tz=tz)
    assert "line 3" in str(err.value) and "line 4" in str(err.value)
    text = _file(tmp_path, [("a", skipped, "1"), ("a", label, "viele")], "t.csv")
    with pytest.raises(CountsError, match=r"t\.csv: line 3: count is not a number"):
        read_counts([text], "long", tz=tz)
    with pytest.raises(CountsError, match="no column 'zeit'"):
        read_counts([dup], "long", tz=tz, time_col="zeit")
    with pytest.raises(CountsError, match=r"unknown ambiguous policy 'winter'") as bad:
        read_counts([dup], "long", tz=tz, ambiguous="winter")
    assert "first, last, sum, drop, raise" in str(bad.value)
    negative = _file(tmp_path, [("a", label, "-3")], "n.csv")
    counts, reports, _ = read_counts([negative], "long", tz=tz)
    assert counts["count"].isna().all() and reports[0].negative_counts == 1


# --- the importer and the command line ------------------------------------------------------


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return make_pack(tmp_path / "pack")


def test_default_import_of_both_dst_days_names_the_rows(pack: Path, tmp_path: Path) -> None:
    """Done when: a single repeated autumn hour and a spring-forward row import by default."""
    tz = ZONES[0]
    skipped, label = _transitions(tz)
    rows = [("a", t, "5") for t in [*_day(skipped, 1, 1), *_day(label, 1, 1)]]
    result = run_importer(IMPORTER, pack, counts=[_file(tmp_path, rows)], format="long")
    assert result.read == 6 and result.written == 5  # the spring row was added to 03:00
    stored = load_pack(pack).table("footfall_counts")
    assert stored.loc[stored["time"] == _utc(tz, skipped + HOUR), "count"].tolist() == [10.0]
    dst = [w for w in result.warnings if w.startswith("DST:")]
    assert len(dst) == 2
    assert any(f"a {label:%Y-%m-%d %H:%M} (line 6)" in w and "first" in w for w in dst)
    assert any(f"a {skipped:%Y-%m-%d %H:%M} → " in w and "shift" in w for w in dst)


def test_importer_raise_names_the_line_and_leaves_the_pack(pack: Path, tmp_path: Path) -> None:
    _, label = _transitions(ZONES[0])
    before = pack_hash(pack)
    path = _file(tmp_path, [("a", label - HOUR, "1"), ("a", label, "2")])
    with pytest.raises(ImporterError, match=r"c\.csv: line\(s\) 3: cannot tell summer"):
        run_importer(IMPORTER, pack, counts=[path], format="long", ambiguous="raise")
    assert pack_hash(pack) == before


def test_cli_policies(pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tz = ZONES[1]
    skipped, label = _transitions(tz)
    path = _file(tmp_path, [("a", skipped, "2"), ("a", label, "3")])
    base = ["import", "counts", "--counts", str(path), "--format", "long", "--out", str(pack)]
    code = main([*base, "--tz", tz, "--ambiguous", "last", "--nonexistent", "drop"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "ambiguous=last" in out and "nonexistent=drop" in out
    assert load_pack(pack).table("footfall_counts")["time"].tolist() == [_utc(tz, label, fold=1)]
    with pytest.raises(SystemExit) as bad:
        main([*base, "--ambiguous", "winter"])
    assert bad.value.code == 2
    assert "first" in capsys.readouterr().err


def _other_formats(folder: Path, hours: list[datetime]) -> dict[str, Path]:
    """The same naive local hours as a hystreet CSV export, API JSON and SensorThings JSON."""
    csv = folder / "h.csv"
    csv.write_text(
        "Lage;Zeitpunkt der Messung;Fußgänger insgesamt\n"
        + "".join(f"Markt, Stadt;{t:%Y-%m-%d %H:%M:%S};{k}\n" for k, t in enumerate(hours)),
        encoding="utf-8",
    )
    api = folder / "h.json"
    records = [
        {"measured_at": f"{t:%Y-%m-%dT%H:%M:%S}", "total_count": k} for k, t in enumerate(hours)
    ]
    api.write_text(json.dumps({"location_id": 7, "measurements": records}), encoding="utf-8")
    things = folder / "st.json"
    obs = [{"phenomenonTime": f"{t:%Y-%m-%dT%H:%M:%S}", "result": k} for k, t in enumerate(hours)]
    things.write_text(json.dumps({"value": obs}), encoding="utf-8")
    return {"hystreet": csv, "hystreet-json": api, "sensorthings": things}


@pytest.mark.parametrize("fmt", ["hystreet", "hystreet-json", "sensorthings"])
def test_other_formats_with_naive_times_follow_the_policies(tmp_path: Path, fmt: str) -> None:
    tz = ZONES[0]  # the JSON formats read naive times in the default zone
    skipped, label = _transitions(tz)
    hours = [label - HOUR, label, skipped]
    path = _other_formats(tmp_path, hours)[fmt]
    counts, reports, _ = read_counts([path], fmt, tz=tz, site="x", ambiguous="last")
    assert counts["time"].tolist() == sorted(
        [_utc(tz, skipped), _utc(tz, label - HOUR), _utc(tz, label, fold=1)]
    )
    notes = " | ".join(reports[0].warnings)
    assert "ambiguous=last" in notes and "nonexistent=shift" in notes
    with pytest.raises(CountsError, match="does not exist"):
        read_counts([path], fmt, tz=tz, site="x", nonexistent="raise")
