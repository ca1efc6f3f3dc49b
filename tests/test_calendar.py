"""Tests of data.calendar: public and school holidays, lecture periods, day types.

The demo city's calendar (Thuringia, Jena) comes from the demo facts as a pack would declare
it (:func:`data.demo.facts_calendar.demo_calendar`)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from data.calendar import CityCalendar
from data.calendar import public_holidays as country_holidays
from data.demo.facts_calendar import SCHOOL_HOLIDAYS_TH, demo_calendar

JENA = demo_calendar()


def public_holidays(dates, subdiv: str = "TH"):
    return country_holidays(dates, "DE", subdiv)


def school_holidays(dates):
    return JENA.school_holiday(dates)


def semester_lectures(dates):
    return JENA.lecture_period(dates)


def day_type(dates):
    return JENA.day_type(dates)


@pytest.mark.parametrize(
    "day",
    [
        "2024-01-01",
        "2024-03-29",  # Good Friday
        "2024-05-09",  # Ascension
        "2024-09-20",  # Weltkindertag (TH since 2019)
        "2024-10-03",
        "2024-10-31",  # Reformation Day (TH)
        "2024-12-25",
        "2024-12-26",
        "2025-04-21",  # Easter Monday
    ],
)
def test_public_holidays_in_thuringia(day: str) -> None:
    assert public_holidays([day]).tolist() == [True]


@pytest.mark.parametrize(
    "day",
    [
        "2024-05-30",  # Corpus Christi: not a TH-wide holiday
        "2024-11-01",  # All Saints: not in TH
        "2024-12-24",
        "2024-12-31",
        "2024-10-02",
        "2025-03-03",
    ],
)
def test_not_public_holidays(day: str) -> None:
    assert public_holidays(day).tolist() == [False]


def test_state_matters() -> None:
    assert public_holidays("2024-10-31", subdiv="BY").tolist() == [False]
    assert public_holidays("2024-11-01", subdiv="BY").tolist() == [True]


def test_accepts_many_input_types() -> None:
    idx = pd.date_range("2024-12-24", periods=3, freq="D", tz="Europe/Berlin")
    assert public_holidays(idx).tolist() == [False, True, True]
    assert public_holidays(pd.Series(idx)).tolist() == [False, True, True]
    assert public_holidays([dt.date(2024, 12, 25)]).tolist() == [True]
    arr = np.array(["2024-12-25", "2024-12-27"], dtype="datetime64[D]")
    assert public_holidays(arr).tolist() == [True, False]
    assert public_holidays([]).tolist() == []


def test_tz_aware_counts_by_wall_date() -> None:
    # 23:30 local on 2 Oct is 21:30 UTC; 00:30 local on 3 Oct is still 2 Oct in UTC.
    stamps = pd.to_datetime(["2024-10-03 00:30"]).tz_localize("Europe/Berlin")
    assert public_holidays(stamps).tolist() == [True]


def test_school_holidays() -> None:
    got = school_holidays(
        ["2024-07-01", "2024-08-01", "2024-10-07", "2024-10-14", "2025-02-05", "2024-05-10"]
    )
    assert got.tolist() == [True, False, True, False, True, True]
    for start, end, _ in SCHOOL_HOLIDAYS_TH:
        assert start <= end
    # another state without school-holiday ranges has none
    assert not CityCalendar("Europe/Berlin", "DE", "BY").school_holiday("2024-07-01").any()


def test_school_holidays_cover_every_year() -> None:
    days = pd.date_range("2023-01-01", "2026-12-31", freq="D")
    hol = school_holidays(days)
    for year in range(2023, 2027):
        n = int(hol[days.year == year].sum())
        assert 60 < n < 100, (year, n)


def test_semester_lectures() -> None:
    got = semester_lectures(["2024-11-15", "2024-08-15", "2025-05-20", "2025-03-01"])
    assert got.tolist() == [True, False, True, False]
    days = pd.date_range("2024-01-01", "2025-12-31", freq="D")
    share = semester_lectures(days).mean()
    assert 0.5 < share < 0.7


def test_day_type() -> None:
    got = day_type(
        ["2024-10-02", "2024-10-03", "2024-10-05", "2024-10-06", "2024-10-31", "2024-05-30"]
    )
    assert got.tolist() == [
        "weekday",
        "sunday_holiday",  # German Unity Day, a Thursday
        "saturday",
        "sunday_holiday",
        "sunday_holiday",  # Reformation Day
        "weekday",  # Corpus Christi is an ordinary weekday in Jena
    ]


def test_day_type_counts_per_year() -> None:
    days = pd.date_range("2024-01-01", "2024-12-31", freq="D")
    types = day_type(days)
    assert (types == "saturday").sum() == 52  # no holiday fell on a Saturday in 2024
    assert (types == "sunday_holiday").sum() == 52 + 11
    assert len(types) == 366
