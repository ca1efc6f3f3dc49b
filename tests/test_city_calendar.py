"""A city's own clock and calendar, from its pack (issue 14): time zone, public holidays of any
country the ``holidays`` package knows, and calendar ranges as pack data."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cli.counts import add_counts_args, calendar_from_args
from data.calendar import CityCalendar, DateRange, country_problem, timezone_problem
from data.catalog import Dataset, read_catalog, write_catalog
from data.demo.facts_calendar import calendar_ranges, demo_calendar
from data.demo.footfall import event_ranges
from data.pack import load_pack, validate_pack
from layers.footfall import charts as fc
from models.features import calendar_frame, origin_features, site_series
from tests.packfactory import make_pack

NY = CityCalendar(
    "America/New_York",
    "US",
    "NY",
    (DateRange("2024-01-02", "2024-01-05", "Winter recess", "school_holiday", "test"),),
)
CALENDAR_CSV = (
    "start,end,name,kind,source\n"
    "2024-01-02,2024-01-05,Winter recess,school_holiday,test\n"
    "2024-01-08,2024-05-10,Spring term,lecture,test\n"
)


def _pack_with(folder: Path, csv: str | None = CALENDAR_CSV, **place: object) -> Path:
    """The factory pack with ``[city]`` place fields and (optionally) a calendar dataset."""
    make_pack(folder)
    catalog = read_catalog(folder)
    if csv is not None:
        (folder / "calendar.csv").write_text(csv, encoding="utf-8")
        entry = Dataset(
            id="calendar",
            title={"de": "Kalender", "en": "Calendar"},
            kind="table",
            path="calendar.csv",
            crs=None,
            licence="CC0-1.0",
            attribution="test",
            generated_by="test",
        )
        catalog = catalog.with_dataset(entry)
    city = dataclasses.replace(catalog.city, **place)  # type: ignore[arg-type]
    write_catalog(dataclasses.replace(catalog, city=city), folder)
    return folder


# --- pack declarations ---------------------------------------------------------------------


def test_pack_declares_another_city_clock_and_calendar(tmp_path: Path) -> None:
    folder = _pack_with(
        tmp_path / "p",
        timezone="America/New_York",
        country="US",
        subdivision="NY",
        calendars=("calendar",),
    )
    report = validate_pack(folder)
    assert report.ok and not report.warnings, report.to_text()
    cal = load_pack(folder).calendar
    assert (cal.timezone, cal.region) == ("America/New_York", "US-NY")
    days = ["2024-07-04", "2024-10-03", "2024-01-03", "2024-01-09", "2024-06-01"]
    assert cal.public_holiday(days).tolist() == [True, False, False, False, False]
    assert cal.school_holiday(days).tolist() == [False, False, True, False, False]
    assert cal.lecture_period(days).tolist() == [False, False, False, True, False]
    # 2024-07-04 is a Thursday: a holiday in New York, an ordinary weekday in Germany
    assert cal.day_type(["2024-07-04"]).tolist() == ["sunday_holiday"]
    assert CityCalendar().day_type(["2024-07-04"]).tolist() == ["weekday"]


def test_local_hours_and_days_follow_the_pack_time_zone(tmp_path: Path) -> None:
    folder = _pack_with(tmp_path / "p", None, timezone="Australia/Sydney", country="AU")
    cal = load_pack(folder).calendar
    # 20:00 UTC on 25 Jan is 07:00 on 26 Jan in Sydney (UTC+11): Australia Day, a Friday
    stamp = pd.DatetimeIndex([pd.Timestamp("2024-01-25 20:00", tz="UTC")])
    frame = calendar_frame(stamp, cal)
    assert frame[["hour", "dow", "holiday", "day_type"]].iloc[0].tolist() == [7, 4, 1, 2]
    berlin = calendar_frame(stamp, CityCalendar())
    assert berlin[["hour", "dow", "holiday", "day_type"]].iloc[0].tolist() == [21, 3, 0, 0]


def test_a_pack_without_a_clock_gets_the_defaults_and_a_warning(tmp_path: Path) -> None:
    folder = _pack_with(tmp_path / "p", None)
    report = validate_pack(folder)
    assert report.ok, report.to_text()
    text = " ".join(w.message for w in report.warnings)
    assert "no timezone" in text and "'Europe/Berlin'" in text and "no country" in text
    assert "WARN" in report.to_text() and report.to_dict()["warnings"]
    assert load_pack(folder).calendar == CityCalendar("Europe/Berlin", "DE", None, ())


@pytest.mark.parametrize(
    ("place", "words"),
    [
        ({"timezone": "Europe/Jena"}, ["'Europe/Jena'", "'Europe/Berlin'"]),
        ({"country": "XX"}, ["'XX'", "DE", "US", "in all"]),
        ({"country": "DE", "subdivision": "QQ"}, ["'QQ'", "TH", "BY"]),
        ({"calendars": ("nowhere",)}, ["'nowhere'", "calendar"]),
    ],
)
def test_unknown_place_is_refused_with_the_choices(tmp_path: Path, place, words) -> None:
    full = {"timezone": "Europe/Berlin", "country": "DE", **place}
    report = validate_pack(_pack_with(tmp_path / "p", **full))
    assert not report.ok
    text = report.to_text()
    for word in words:
        assert word in text, text


def test_bad_calendar_rows_are_errors_naming_the_row(tmp_path: Path) -> None:
    csv = "start,end,name,kind,source\n2024-01-05,2024-01-02,X,holiday,test\n"
    folder = _pack_with(tmp_path / "p", csv, country="DE", calendars=("calendar",))
    text = validate_pack(folder).to_text()
    assert "row 1" in text and "before start" in text and "school_holiday" in text


def test_problem_texts_name_valid_forms() -> None:
    assert timezone_problem("Europe/Berlin") is None
    assert "'Europe/Berlin'" in (timezone_problem("Berlin") or "")
    assert country_problem("AU", "NSW") is None
    assert "NSW" in (country_problem("AU", "XYZ") or "")
    with pytest.raises(ValueError, match="unknown country"):
        CityCalendar(country="ZZ")


# --- the demo pack ---------------------------------------------------------------------------


def test_demo_pack_round_trips_its_calendar(demo_pack) -> None:
    cal = demo_pack.calendar
    facts = demo_calendar()
    assert (
        (cal.timezone, cal.region) == ("Europe/Berlin", "DE-TH") == (facts.timezone, facts.region)
    )
    assert list(cal.ranges) == calendar_ranges() + event_ranges()
    table = demo_pack.table("calendar")
    assert len(table) == len(cal.ranges)
    assert set(table["kind"]) == {"school_holiday", "lecture", "event"}
    days = pd.date_range("2024-01-01", "2025-12-31", freq="D")
    for kind in ("school_holiday", "lecture"):  # the same days as the facts
        assert (cal.in_ranges(days, kind) == facts.in_ranges(days, kind)).all()
    # the Altstadtfest 2024: the last weekend of June (Fri 28 – Sun 30 June)
    fest = [r for r in cal.ranges if r.name == "Altstadtfest" and r.start.startswith("2024")]
    assert [(r.start, r.end) for r in fest] == [("2024-06-28", "2024-06-30")]
    assert cal.event(["2024-06-29", "2024-06-27"]).tolist() == [True, False]


# --- the same data, two cities ---------------------------------------------------------------


def _series(tz: str, start: str, days: int, seed: int = 3) -> pd.DataFrame:
    """Hourly counts by LOCAL hour in ``tz`` (one pattern, whichever city it is)."""
    rng = np.random.default_rng(seed)
    local = pd.date_range(start, periods=days * 24, freq="h", tz=tz)
    shape = np.exp(-(((local.hour - 13) / 4.0) ** 2))
    week = np.where(local.day_of_week == 6, 0.3, np.where(local.day_of_week == 5, 1.3, 1.0))
    counts = rng.poisson(10 + 500 * shape * week).astype(float)
    return pd.DataFrame({"site_id": "a", "time": local.tz_convert("UTC"), "count": counts})


def test_same_series_same_features_in_new_york_and_shifted_into_berlin() -> None:
    """One synthetic local-time series, once for New York (US-NY holidays, its own school
    holidays) and once shifted to the same local clock in Berlin (German holidays, the same
    ranges): the features agree. The window (27 Dec – 23 Jan) holds New Year's Day, a public
    holiday in both countries, and Martin Luther King Day (15 Jan 2024), a US holiday only."""
    ranges = NY.ranges
    berlin = CityCalendar("Europe/Berlin", "DE", None, ranges)
    ny_counts = _series("America/New_York", "2023-12-27", 28)
    de_counts = _series("Europe/Berlin", "2023-12-27", 28)
    assert (ny_counts["count"].to_numpy() == de_counts["count"].to_numpy()).all()
    shift = pd.Timedelta(hours=6)  # EST is UTC-5, CET UTC+1: no DST switch in the window
    out = {}
    for name, counts, cal in (("ny", ny_counts, NY), ("de", de_counts, berlin)):
        series = site_series(counts, "a", cal.timezone)
        times = pd.date_range(series.index.min(), series.index.max(), freq="h", tz="UTC")
        frame = calendar_frame(times, cal)
        origin = series.index.min() + pd.Timedelta(days=18)
        targets = pd.date_range(origin, periods=48, freq="h", tz="UTC")
        out[name] = origin_features(series, frame, origin, targets)
    assert (out["ny"].index - out["de"].index == shift).all()
    ny, de = out["ny"].reset_index(drop=True), out["de"].reset_index(drop=True)
    # 15 Jan 2024 (a Monday) is inside the targets: a holiday in New York only
    mlk = ny["holiday"] == 1
    assert mlk.sum() == 24 and de["holiday"].sum() == 0
    # the clock, the ranges and everything learnt from the (holiday-alike) history agree
    same = ["hour", "dow", "lead", "school", "lectures", "short_day", "anom_24", "anom_168"]
    same += ["lag_day_anom", "lag_week_anom", "lag_day_type", "y"]
    pd.testing.assert_frame_equal(ny[same], de[same])
    # the day-type profile of 15 Jan is a Sunday/holiday one in New York only
    assert (ny.loc[mlk, "day_type"] == 2).all() and (de.loc[mlk, "day_type"] == 0).all()
    assert ny.loc[mlk, "prof_dt"].mean() < de.loc[mlk, "prof_dt"].mean() - 0.3
    # with the US holidays given to Berlin too, everything agrees
    berlin_us = CityCalendar("Europe/Berlin", "US", "NY", ranges)
    series = site_series(de_counts, "a", berlin_us.timezone)
    times = pd.date_range(series.index.min(), series.index.max(), freq="h", tz="UTC")
    origin = series.index.min() + pd.Timedelta(days=18)
    targets = pd.date_range(origin, periods=48, freq="h", tz="UTC")
    again = origin_features(series, calendar_frame(times, berlin_us), origin, targets)
    pd.testing.assert_frame_equal(ny, again.reset_index(drop=True))


def test_identical_features_for_a_holiday_both_countries_share() -> None:
    """Over New Year (a holiday in the US and in Germany, no other holiday in the window) the
    New York series and its Berlin twin give identical features, holidays included."""
    ranges = NY.ranges
    berlin = CityCalendar("Europe/Berlin", "DE", None, ranges)
    feats = []
    for tz, cal in (("America/New_York", NY), ("Europe/Berlin", berlin)):
        counts = _series(tz, "2023-12-27", 10)
        series = site_series(counts, "a", tz)
        times = pd.date_range(series.index.min(), series.index.max(), freq="h", tz="UTC")
        origin = series.index.min() + pd.Timedelta(days=4)  # 31 Dec local midnight
        targets = pd.date_range(origin, periods=72, freq="h", tz="UTC")
        feats.append(origin_features(series, calendar_frame(times, cal), origin, targets))
    ny, de = (f.reset_index(drop=True) for f in feats)
    assert ny["holiday"].sum() == 24 and ny["school"].sum() == 24  # 1 Jan; 2 Jan recess
    pd.testing.assert_frame_equal(ny, de)


# --- charts and CLI --------------------------------------------------------------------------


def test_charts_use_the_given_calendar() -> None:
    counts = _series("America/New_York", "2024-07-01", 7)
    agg = fc.aggregates(counts, "a", NY)
    hours = agg.hours
    assert (
        hours.loc[hours["hour"] == 13, "count"].mean()
        > hours.loc[hours["hour"] == 3, "count"].mean()
    )
    july4 = agg.daily.loc[agg.daily["date"].astype(str) == "2024-07-04", "day_type"]
    assert july4.tolist() == ["sunday_holiday"]
    assert (agg.daily["expected"] == 24).all()


def _args(*extra: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_counts_args(parser, required=False)
    return parser.parse_args(list(extra))


def test_cli_builds_the_calendar(tmp_path: Path) -> None:
    path = tmp_path / "cal.csv"
    path.write_text(CALENDAR_CSV, encoding="utf-8")
    cal = calendar_from_args(
        _args(
            "--tz", "America/New_York", "--country", "US", "--subdiv", "NY", "--calendar", str(path)
        )
    )
    assert cal.region == "US-NY" and cal.timezone == "America/New_York" and len(cal.ranges) == 2
    assert calendar_from_args(_args("--state", "TH")).region == "DE-TH"
    assert calendar_from_args(_args()) == CityCalendar()


def test_cli_refuses_unknown_places_with_choices(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit):
        _args("--tz", "Mars/Olympus")
    assert "'Europe/Berlin'" in capsys.readouterr().err
    with pytest.raises(ValueError, match=r"valid: .*TH"):
        calendar_from_args(_args("--state", "XX"))
    with pytest.raises(ValueError, match="unknown country 'QQ'"):
        calendar_from_args(_args("--country", "QQ"))
    bad = tmp_path / "bad.csv"
    bad.write_text("start,end,name\n2024-01-01,2024-01-02,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column"):
        calendar_from_args(_args("--calendar", str(bad)))


def test_forecast_cli_writes_the_city_local_time(tmp_path: Path, capsys) -> None:
    from cli.main import main

    counts = _series("America/New_York", "2024-01-20", 22)
    path = tmp_path / "c.csv"
    counts.assign(time=counts["time"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")).to_csv(path, index=False)
    cal = tmp_path / "cal.csv"
    cal.write_text(CALENDAR_CSV, encoding="utf-8")
    out = tmp_path / "f.csv"
    args = ["forecast", "predict", "--counts", str(path), "--format", "long", "--days", "1"]
    args += [
        "--site-col",
        "site_id",
        "--out",
        str(out),
        "--tz",
        "America/New_York",
        "--origins",
        "1",
    ]
    assert main([*args, "--country", "US", "--subdiv", "NY", "--calendar", str(cal)]) == 0
    stamps = pd.read_csv(out)["timestamp"]
    assert len(stamps) == 24 and stamps.str.endswith("-05:00").all()
    assert stamps.iloc[0].endswith("T00:00:00-05:00")  # the next local midnight after the data
    assert main([*args, "--country", "US", "--subdiv", "Nowhere"]) == 1
    err = capsys.readouterr().err
    assert "unknown subdivision 'Nowhere' of US" in err and "NY" in err
