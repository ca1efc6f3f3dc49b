"""Tests of the synthetic weather and pedestrian counts of the demo pack."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data.demo import DEFAULT_SEED
from data.demo.datasets import (
    calendar_dataset,
    city_entry,
    footfall_counts_dataset,
    footfall_sites_dataset,
    weather_dataset,
)
from data.demo.facts_calendar import calendar_ranges, demo_calendar
from data.demo.facts_footfall import LOEBDERSTRASSE_MEAN_DAILY_2021
from data.demo.footfall import (
    event_days,
    event_ranges,
    footfall_counts,
    footfall_sites,
    hourly_profiles,
)
from data.demo.weather import daily_weather
from data.pack import CityPack, load_pack
from data.writer import staged_pack
from tests.conftest import pack_hash

TZ = "Europe/Berlin"
JENA = demo_calendar()
day_type = JENA.day_type
public_holidays = JENA.public_holiday


def _write(folder: Path, seed: int) -> Path:
    by = f"test seed {seed}"
    weather = daily_weather(seed)
    with staged_pack(folder, city_entry()) as st:
        st.put_table(weather_dataset(by, "2023-01-01", "2025-12-31"), weather)
        st.put_vector(footfall_sites_dataset(by, "2024-01-01", "2025-12-31"), footfall_sites())
        st.put_timeseries(
            footfall_counts_dataset(by, "2024-01-01", "2025-12-31"),
            footfall_counts(seed, weather),
        )
        ranges = calendar_ranges() + event_ranges()
        st.put_table(calendar_dataset(by, ranges), pd.DataFrame(ranges))
    return folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("ff") / "pack", DEFAULT_SEED)


@pytest.fixture(scope="module")
def pack(folder: Path) -> CityPack:
    loaded = load_pack(folder)
    # the pack declares the demo city's calendar, and its events
    assert loaded.calendar == dataclasses.replace(JENA, ranges=JENA.ranges + tuple(event_ranges()))
    return loaded


@pytest.fixture(scope="module")
def counts(pack: CityPack) -> pd.DataFrame:
    frame = pack.table("footfall_counts").copy()
    local = frame["time"].dt.tz_convert(TZ)
    frame["date"] = local.dt.strftime("%Y-%m-%d")
    frame["hour"] = local.dt.hour
    return frame


@pytest.fixture(scope="module")
def daily(counts: pd.DataFrame) -> pd.DataFrame:
    """Daily totals of complete days (no gap), with day type and weekday."""
    g = counts.groupby(["site_id", "date"])["count"].agg(["sum", "count", "size"]).reset_index()
    g = g[g["count"] == g["size"]].copy()
    g["day_type"] = day_type(g["date"])
    g["weekday"] = pd.to_datetime(g["date"]).dt.day_of_week
    return g


@pytest.fixture(scope="module")
def weather(pack: CityPack) -> pd.DataFrame:
    return pack.table("weather_daily")


def test_same_seed_same_bytes(folder: Path, tmp_path: Path) -> None:
    again = _write(tmp_path / "again", DEFAULT_SEED)
    a, b = pack_hash(folder), pack_hash(again)
    for name in ("footfall_counts.parquet", "weather_daily.csv", "footfall_sites.geojson"):
        assert a[name] == b[name], name


def test_other_seed_other_counts() -> None:
    w = daily_weather(1)
    a = footfall_counts(1, w)["count"].to_numpy()
    b = footfall_counts(2, w)["count"].to_numpy()
    assert not np.array_equal(a, b, equal_nan=True)


def test_sites(pack: CityPack) -> None:
    sites = pack.vector("footfall_sites")
    assert len(sites) >= 12 and sites["site_id"].is_unique
    assert set(sites["kind"]) == {"altstadt", "stadtteil"}
    assert "Löbderstraße" in set(sites["name"])
    assert (sites.geometry.geom_type == "Point").all()
    assert sites.geometry.x.between(11.55, 11.65).all()
    assert sites.geometry.y.between(50.87, 50.95).all()
    ds = pack.dataset("footfall_counts")
    assert ds.kind == "timeseries" and ds.path == "footfall_counts.parquet"
    assert "Synthetische Demo-Daten" in ds.attribution
    assert ds.approximations["de"] and ds.approximations["en"]


def test_weather_climate(weather: pd.DataFrame) -> None:
    assert weather["date"].iloc[0] == "2023-01-01" and weather["date"].iloc[-1] == "2025-12-31"
    year = weather["date"].str[:4]
    tmean = (weather["tmax"] + weather["tmin"]) / 2
    assert 9.5 < tmean.mean() < 11.5
    per_year = weather.groupby(year)["precip_mm"].agg(total="sum", wet=lambda s: int((s > 0).sum()))
    assert per_year["total"].between(380, 750).all()
    assert per_year["wet"].between(140, 215).all()
    summer = weather["date"].str[5:7].isin(["06", "07", "08"])
    assert 23.0 < weather.loc[summer, "tmax"].mean() < 26.0
    assert (weather["tmax"] >= 30).sum() >= 1
    assert (weather["tmax"] >= weather["tmin"]).all()


def test_two_full_local_years(counts: pd.DataFrame, pack: CityPack) -> None:
    n_sites = len(pack.vector("footfall_sites"))
    assert counts["site_id"].nunique() == n_sites
    per_site = counts.groupby("site_id")["date"].agg(["min", "max", "nunique", "size"])
    assert (per_site["min"] == "2024-01-01").all()
    assert (per_site["max"] == "2025-12-31").all()
    assert (per_site["nunique"] == 731).all()
    assert (per_site["size"] == 731 * 24).all()  # DST: 23 + 25 hours per year
    assert not counts.duplicated(["site_id", "time"]).any()


def test_counts_are_whole_numbers_and_gaps_are_nan(counts: pd.DataFrame) -> None:
    c = counts["count"]
    assert c.dtype == float
    valid = c.dropna()
    assert (valid >= 0).all() and np.array_equal(valid, np.round(valid))
    share = c.isna().mean()
    assert 0.002 < share < 0.05
    # every site has at least one gap and at least one gap longer than 2 hours
    for _, grp in counts.groupby("site_id"):
        miss = grp["count"].isna().to_numpy()
        assert miss.any()
        runs = np.diff(np.flatnonzero(np.diff(np.r_[0, miss.astype(int), 0])))[::2]
        assert runs.max() >= 3
    # no zero-filled gaps: no run of 6 or more zero hours anywhere
    for _, grp in counts.groupby("site_id"):
        zero = (grp["count"] == 0).to_numpy().astype(int)
        if zero.any():
            runs = np.diff(np.flatnonzero(np.diff(np.r_[0, zero, 0])))[::2]
            assert runs.max() < 6


def test_loebderstrasse_level(daily: pd.DataFrame) -> None:
    mean = daily.loc[daily["site_id"] == "loebderstrasse", "sum"].mean()
    assert abs(mean / LOEBDERSTRASSE_MEAN_DAILY_2021 - 1) < 0.10


def test_district_centres_lower(daily: pd.DataFrame, pack: CityPack) -> None:
    sites = pack.vector("footfall_sites").set_index("site_id")["kind"]
    means = daily.groupby("site_id")["sum"].mean()
    assert means[sites[sites == "stadtteil"].index].max() < means["loebderstrasse"]


def test_sundays_lower_than_saturdays(daily: pd.DataFrame) -> None:
    for site, grp in daily.groupby("site_id"):
        sat = grp.loc[grp["weekday"] == 5, "sum"].mean()
        sun = grp.loc[(grp["weekday"] == 6) & (grp["day_type"] == "sunday_holiday"), "sum"]
        assert sun.mean() < sat, site


def test_holidays_lower_than_weekdays(daily: pd.DataFrame) -> None:
    hol = public_holidays(daily["date"]) & (daily["weekday"] < 5).to_numpy()
    ordinary = (daily["day_type"] == "weekday").to_numpy()
    for site in daily["site_id"].unique():
        mine = (daily["site_id"] == site).to_numpy()
        a = daily.loc[hol & mine, "sum"].mean()
        b = daily.loc[ordinary & mine, "sum"].mean()
        assert a < 0.8 * b, site


def test_rainy_days_lower(daily: pd.DataFrame, weather: pd.DataFrame) -> None:
    rain = weather.set_index("date")["precip_mm"]
    d = daily[daily["day_type"] == "weekday"].copy()
    d["rain"] = rain.reindex(d["date"]).to_numpy()
    # compare within site and weekday, so the weekday mix does not matter
    d["rel"] = d["sum"] / d.groupby(["site_id", "weekday"])["sum"].transform("median")
    wet = d.loc[d["rain"] >= 5, "rel"].mean()
    dry = d.loc[d["rain"] == 0, "rel"].mean()
    assert wet < 0.93 * dry


@pytest.mark.parametrize(("date", "hours"), [("2024-03-31", 23), ("2024-10-27", 25)])
def test_dst_days(counts: pd.DataFrame, date: str, hours: int) -> None:
    day = counts[counts["date"] == date]
    per_site = day.groupby("site_id")["count"].agg(["size", "count"])
    complete = per_site[per_site["count"] == per_site["size"]]
    assert len(complete) > 0
    assert (complete["size"] == hours).all()
    assert (per_site["size"] == hours).all()


def test_weihnachtsmarkt_evenings(counts: pd.DataFrame) -> None:
    markt = counts[(counts["site_id"] == "markt") & counts["hour"].between(18, 21)]
    dates = pd.to_datetime(markt["date"])
    wm = event_days(markt["date"])["weihnachtsmarkt"]
    weekday = dates.dt.day_of_week.to_numpy()
    for year in (2024, 2025):
        in_year = (dates.dt.year == year).to_numpy()
        early_nov = in_year & (dates.dt.month == 11).to_numpy() & (dates.dt.day <= 14).to_numpy()
        for wd in range(5):
            a = markt.loc[in_year & wm & (weekday == wd), "count"].mean()
            b = markt.loc[early_nov & (weekday == wd), "count"].mean()
            assert a > 1.5 * b, (year, wd)


def test_event_calendar() -> None:
    days = pd.date_range("2024-01-01", "2025-12-31", freq="D")
    ev = event_days(days)
    wm = days[ev["weihnachtsmarkt"]]
    assert wm[0] == pd.Timestamp("2024-11-25") and pd.Timestamp("2024-12-22") in wm
    assert pd.Timestamp("2024-12-23") not in wm
    open_sundays = days[ev["verkaufsoffen"]]
    assert len(open_sundays) == 8 and (open_sundays.day_of_week == 6).all()
    assert not public_holidays(open_sundays).any()


def test_profiles_sum_to_one() -> None:
    for name, p in hourly_profiles().items():
        assert p.shape == (24,) and abs(p.sum() - 1) < 1e-12, name
    prof = hourly_profiles()
    hours = np.arange(24)
    # the Sunday profile is later than the Saturday one
    assert (prof["sunday_holiday"] * hours).sum() > (prof["saturday"] * hours).sum()
