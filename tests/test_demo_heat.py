"""Tests of the demo's heat data: surface and night temperatures, facilities, climate record."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from scipy.ndimage import distance_transform_edt, gaussian_filter

from data.demo import DEFAULT_SEED, build_demo_pack, facts
from data.demo import climate as climate_mod
from data.demo import facts_climate as fc
from data.demo.climate import LONG_GAP_YEAR, station_series, summarise
from data.demo.facilities import FACILITY_COUNTS, facility_points
from data.demo.heat import cold_air_inflow, d8_receivers, fill_depressions, heat_fields
from data.demo.weather import WEATHER_END, WEATHER_START, daily_weather
from data.pack import CityPack, load_pack, validate_pack
from data.schemas import FACILITY_KINDS

DENSE, OPEN, INDUSTRY, PARK, FARM, FOREST, WATER = 1, 2, 3, 4, 5, 6, 7


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_pack(tmp_path_factory.mktemp("heat") / "pack")


@pytest.fixture(scope="module")
def pack(folder: Path) -> CityPack:
    return load_pack(folder)


@pytest.fixture(scope="module")
def fields(pack: CityPack) -> dict[str, np.ndarray]:
    grid = pack.raster("grid")
    out = {str(n): grid[n].to_numpy() for n in grid.data_vars if grid[n].ndim == 2}
    gx, gy = np.meshgrid(grid["x"].to_numpy(), grid["y"].to_numpy())
    outline = pack.metric("outline").geometry.iloc[0]
    out["inside"] = shapely.contains_xy(outline, gx, gy)
    out["d_water"] = distance_transform_edt(out["landcover"] != WATER) * 100.0
    return out


@pytest.fixture(scope="module")
def series() -> pd.DataFrame:
    return station_series(DEFAULT_SEED)


# --- grid temperatures -----------------------------------------------------------------------


def test_heat_fields_are_deterministic(fields: dict[str, np.ndarray]) -> None:
    args = (fields["elevation"], fields["landcover"], fields["imperviousness"])
    a = heat_fields(DEFAULT_SEED, *args, fields["tree_canopy"])
    b = heat_fields(DEFAULT_SEED, *args, fields["tree_canopy"])
    c = heat_fields(DEFAULT_SEED + 1, *args, fields["tree_canopy"])
    for name in ("lst_day", "tair_night"):
        assert a[name].dtype == np.float32
        assert np.array_equal(a[name], b[name]), name
        assert not np.array_equal(a[name], c[name]), name
        # the stored fields are exactly what the grid fields give
        assert np.array_equal(a[name], fields[name]), name


def test_grid_temperature_metadata(pack: CityPack, fields: dict[str, np.ndarray]) -> None:
    grid = pack.raster("grid")
    for name in ("lst_day", "tair_night"):
        assert grid[name].attrs["units"] == "degC"
        assert grid[name].attrs["long_name"]
        values = fields[name]
        assert not np.isnan(values).any(), name
        assert np.array_equal(np.round(values.astype(float), 1), values.astype(float).round(1))
    assert pack.has("grid:lst_day") and pack.has("grid:tair_night")
    approx = pack.dataset("grid").approximations
    assert "Kaltluft" in approx["de"] and "cold air" in approx["en"]


def test_surface_temperature_is_plausible(fields: dict[str, np.ndarray]) -> None:
    lst, cover, inside = fields["lst_day"], fields["landcover"], fields["inside"]
    assert lst[inside].min() > 15.0 and lst[inside].max() < 55.0
    lo, hi = np.percentile(lst[inside], [2, 98])
    assert lo > 22.0 and hi < 48.0  # typical 25-45 °C
    mean = {c: float(lst[(cover == c) & inside].mean()) for c in range(1, 8)}
    assert mean[DENSE] - mean[FOREST] >= 8.0  # measured ≈ 16 K
    assert mean[INDUSTRY] > mean[FARM] > mean[PARK] > mean[FOREST]
    assert mean[DENSE] > mean[OPEN] > mean[PARK]
    assert mean[WATER] < mean[FOREST] + 1.0
    # the river cools its banks: same land cover, near vs. farther away
    for code in (DENSE, OPEN, FARM):
        near = (cover == code) & (fields["d_water"] <= 150.0)
        far = (cover == code) & (fields["d_water"] >= 400.0) & (fields["d_water"] <= 1000.0)
        assert near.sum() >= 20 and far.sum() >= 20, code
        assert lst[near].mean() < lst[far].mean() - 1.0, code  # measured ≈ 2 K


def test_night_temperature_is_plausible(fields: dict[str, np.ndarray]) -> None:
    night, cover, elev = fields["tair_night"], fields["landcover"], fields["elevation"]
    inside = fields["inside"]
    lo, hi = np.percentile(night[inside], [2, 98])
    assert lo > 10.0 and hi < 24.0  # typical 12-22 °C
    mean = {c: float(night[(cover == c) & inside].mean()) for c in range(1, 8)}
    assert mean[DENSE] == max(mean.values())  # the urban heat island
    open_land = np.isin(cover, (FARM, PARK))
    valley = open_land & (elev < 200.0)
    plateau = (cover == FARM) & (elev > 300.0)
    assert valley.sum() > 100 and plateau.sum() > 100
    assert night[valley].mean() < night[plateau].mean() - 1.0  # measured ≈ 2 K
    assert mean[DENSE] > night[plateau].mean() + 3.0


def test_cold_air_drains_downslope(fields: dict[str, np.ndarray]) -> None:
    elev = fields["elevation"]
    cover = fields["landcover"]
    inflow, production, passed = cold_air_inflow(
        elev, cover, fields["imperviousness"], fields["tree_canopy"]
    )
    assert production[cover == FARM].min() == 1.0 and production[cover == DENSE].max() == 0.0
    surface = fill_depressions(elev)
    assert np.all(surface >= elev)
    receiver = d8_receivers(surface).ravel()
    has = np.flatnonzero(receiver >= 0)
    # every cell hands its air to a lower one, and the receiver gets at least that much
    assert np.all(surface.ravel()[receiver[has]] < surface.ravel()[has])
    assert np.all(inflow.ravel()[receiver[has]] >= passed.ravel()[has] - 1e-9)
    # inside the grid only border cells may lack a receiver
    interior = np.zeros(elev.shape, dtype=bool)
    interior[1:-1, 1:-1] = True
    assert np.all(receiver[interior.ravel()] >= 0)
    # the air gathers downhill: open land in the valleys receives more than on the plateaus,
    # and much more where it lies 30 m below its surroundings than where it lies above them
    farm = cover == FARM
    assert inflow[farm & (elev < 200)].mean() > 1.3 * inflow[farm & (elev > 300)].mean()
    relief = elev - gaussian_filter(elev.astype(float), 10.0, mode="nearest")
    bottom, top = farm & (relief < -30.0), farm & (relief > 0.0)
    assert inflow[bottom].mean() > 2.0 * inflow[top].mean()  # measured ≈ 3
    # built-up land blocks it: dense cells pass on less than they receive plus make
    dense = (cover == DENSE) & (inflow > 1.0)
    ratio = passed[dense] / (inflow[dense] + production[dense])
    assert ratio.max() < 0.7 and ratio.mean() < 0.4


# --- facilities ------------------------------------------------------------------------------


def test_facilities(pack: CityPack, fields: dict[str, np.ndarray]) -> None:
    f = pack.metric("facilities")
    assert f["facility_id"].is_unique
    assert set(f["kind"]) == set(FACILITY_KINDS)
    assert f["kind"].value_counts().to_dict() == FACILITY_COUNTS
    assert FACILITY_COUNTS["kita"] == 58 and FACILITY_COUNTS["school"] == 45
    assert (f.geometry.geom_type == "Point").all()
    outline = pack.metric("outline").geometry.iloc[0]
    assert f.within(outline).all()
    assert f["name"].str.len().min() > 3
    ds = pack.dataset("facilities")
    assert "synthetisch" in ds.title["de"] and "synthetic" in ds.title["en"]
    assert "Annahme" in ds.approximations["de"] and "assumption" in ds.approximations["en"]
    # hospitals: Lobeda and the centre
    districts = pack.metric("districts")
    hospitals = f[f["kind"] == "hospital"]
    where = {
        name: next(
            n for n, g in zip(districts["name"], districts.geometry, strict=True) if g.contains(p)
        )
        for name, p in zip(hospitals["name"], hospitals.geometry, strict=True)
    }
    assert set(where.values()) == {"Neulobeda", "Jena-Zentrum"}, where


def test_kitas_follow_young_children(pack: CityPack, fields: dict[str, np.ndarray]) -> None:
    f = pack.metric("facilities")
    kitas = f[f["kind"] == "kita"]
    grid = pack.raster("grid")
    x, y = grid["x"].to_numpy(), grid["y"].to_numpy()
    col = np.clip(np.round((kitas.geometry.x.to_numpy() - x[0]) / 100.0).astype(int), 0, x.size - 1)
    row = np.clip(np.round((y[0] - kitas.geometry.y.to_numpy()) / 100.0).astype(int), 0, y.size - 1)
    under6 = fields["population"] * np.nan_to_num(fields["share_under6"])
    populated = fields["population"] > 0
    assert np.all(fields["population"][row, col] > 0)
    assert under6[row, col].mean() > 1.3 * under6[populated].mean()  # measured 1.5
    # per district, more under-6s → more Kitas
    d = pack.metric("districts")
    counts = [int(kitas.within(g).sum()) for g in d.geometry]
    assert np.corrcoef(counts, d["pop_under6"].to_numpy(dtype=float))[0, 1] > 0.8


def test_facilities_are_deterministic(pack: CityPack) -> None:
    grid = pack.raster("grid")
    d = pack.metric("districts")
    outline = pack.metric("outline").geometry.iloc[0]
    table = d.drop(columns="geometry").reset_index(drop=True)
    a = facility_points(DEFAULT_SEED, grid, list(d.geometry), outline, table)
    b = facility_points(DEFAULT_SEED, grid, list(d.geometry), outline, table)
    c = facility_points(DEFAULT_SEED + 1, grid, list(d.geometry), outline, table)
    assert a.equals(b)
    assert not a.geometry.equals(c.geometry)


# --- districts -------------------------------------------------------------------------------


def test_districts_carry_unemployed(pack: CityPack) -> None:
    d = pack.vector("districts")
    assert (d["unemployed"] <= d["population"]).all()
    assert (d["unemployed"] >= 0).all()
    assert dict(zip(d["name"], d["unemployed"], strict=True)) == facts.ORTSTEIL_UNEMPLOYED_2017
    assert int(d["unemployed"].sum()) == 3_020 <= facts.CITY_UNEMPLOYED_2017
    assert "Arbeitslose" in pack.dataset("districts").approximations["de"]


# --- climate record --------------------------------------------------------------------------


def test_station_series_span_and_columns(series: pd.DataFrame) -> None:
    assert list(series.columns) == ["date", "tmax", "tmin", "tmean", "precip_mm", "station_id"]
    assert series["date"].iloc[0] == "1951-01-01" and series["date"].iloc[-1] == "2025-12-31"
    days = pd.to_datetime(series["date"])
    assert days.is_unique and (days.diff().dropna() == pd.Timedelta(days=1)).all()
    assert (series["station_id"] == fc.JENA_STATION_ID).all()
    ok = series["tmax"].notna()
    assert (series.loc[ok, "tmax"] >= series.loc[ok, "tmin"]).all()
    assert series.loc[ok, "tmean"].between(series.loc[ok, "tmin"], series.loc[ok, "tmax"]).all()
    assert (series["precip_mm"].dropna() >= 0).all()


def test_station_series_is_deterministic_and_sliceable(series: pd.DataFrame) -> None:
    climate_mod._full_series.cache_clear()
    again = station_series(DEFAULT_SEED)
    assert again.equals(series)
    other = station_series(DEFAULT_SEED + 1)
    assert not other["tmax"].equals(series["tmax"])
    part = station_series(DEFAULT_SEED, "2019-06-01", "2019-06-30")
    assert part.equals(series[series["date"].str[:7] == "2019-06"].reset_index(drop=True))
    with pytest.raises(ValueError):
        station_series(DEFAULT_SEED, "1950-12-31", "1951-01-05")


def test_2019_matches_the_measured_year(series: pd.DataFrame) -> None:
    y2019 = series[series["date"].str[:4] == "2019"]
    assert len(y2019) == 365 and not y2019.isna().any().any()
    assert abs(y2019["tmean"].mean() - fc.JENA_2019_TMEAN) <= 0.05  # measured 11.41 °C
    assert abs((y2019["tmax"] >= 25).sum() - fc.JENA_2019_SUMMER_DAYS) <= 6  # measured 76
    assert abs((y2019["tmax"] >= 30).sum() - fc.JENA_2019_HOT_DAYS) <= 5  # measured 32
    assert (y2019["tmin"] >= 20).sum() <= 2  # measured 0
    assert abs(y2019["tmax"].max() - fc.JENA_2019_TMAX) <= 1.0  # measured 38.8 °C
    month = y2019["date"].str[5:7].astype(int)
    for column, measured in (
        ("tmax", fc.JENA_2019_MONTHLY_TMAX),
        ("tmin", fc.JENA_2019_MONTHLY_TMIN),
    ):
        # exact outside June-August, where the quantile mapping of the summer moves them a little
        got = y2019.groupby(month)[column].mean().to_numpy()
        assert np.abs(got - np.asarray(measured)).max() <= 0.5, column
    summary = summarise(series)
    assert summary.y2019_hot_days == (y2019["tmax"] >= 30).sum()
    assert summary.y2019_summer_days == (y2019["tmax"] >= 25).sum()


def _per_year_by_decade(series: pd.DataFrame, flag: pd.Series, last: int) -> pd.Series:
    """Days with ``flag`` per 365.25 days of data, by decade, over 1951 … ``last``."""
    year = series["date"].str[:4].astype(int)
    keep = year <= last
    decade = (year[keep] // 10) * 10
    days = series.loc[keep, "tmax"].notna().groupby(decade).sum() / 365.25
    return flag[keep].groupby(decade).sum() / days


def test_warm_tail_by_decade(series: pd.DataFrame) -> None:
    """Hot and summer days per decade as in Erfurt's record + 1.94 K (the same years)."""
    end = fc.ERFURT_RECORD_END_YEAR
    hot = _per_year_by_decade(series, series["tmax"] >= 30, end)
    summer = _per_year_by_decade(series, series["tmax"] >= 25, end)
    for decade in range(1960, 2011, 10):
        for got, measured in (
            (hot, fc.JENA_FROM_ERFURT_HOT_DAYS),
            (summer, fc.JENA_FROM_ERFURT_SUMMER_DAYS),
        ):
            tolerance = max(0.3 * measured[decade], 2.5)
            assert abs(got[decade] - measured[decade]) <= tolerance, (decade, got[decade])
    decades = np.arange(1960, 2011, 10)
    assert np.polyfit(decades, hot[decades].to_numpy(), 1)[0] > 0  # more hot days over time
    assert hot[2010] > hot[1960] + 4.0  # measured: 7.0 → 15.7
    # each decade's June-August means are the measured ones (gaps aside)
    year = series["date"].str[:4].astype(int)
    jja = series["date"].str[5:7].isin(["06", "07", "08"]) & (year <= end)
    means = series[jja].groupby((year[jja] // 10) * 10)[["tmax", "tmin"]].mean()
    for column, erfurt, offset in (
        ("tmax", fc.ERFURT_JJA_TMAX_BY_DECADE, fc.JENA_OFFSET_TMAX),
        ("tmin", fc.ERFURT_JJA_TMIN_BY_DECADE, fc.JENA_OFFSET_TMIN),
    ):
        for decade, mean in erfurt.items():
            assert abs(means.loc[decade, column] - (mean + offset)) < 0.15, (column, decade)


def test_nights_stay_plausible(series: pd.DataFrame) -> None:
    """Tropical nights (tmin ≥ 20 °C) stay rare, as at Jena (0 in 2019 and in 550 days)."""
    tropical = _per_year_by_decade(series, series["tmin"] >= 20, 2025)
    assert (tropical[tropical.index <= 2010] <= 1.0).all()  # Erfurt + 0.91 K: 0.1-1.1
    assert tropical.max() <= 2.0
    assert series["tmin"].max() < 25.0  # Erfurt + 0.91 K, 1951-2018: 23.9 °C
    # frost is not lost on the way: 60-100 frost nights a year (Erfurt + 0.91 K: 77)
    frost = _per_year_by_decade(series, series["tmin"] < 0, 2025)
    assert frost.between(60.0, 100.0).all()
    # and single days stay within reach of the record (Erfurt + 1.94 K, 1951-2018: 38.4 °C)
    year = series["date"].str[:4].astype(int)
    assert series.loc[year <= fc.ERFURT_RECORD_END_YEAR, "tmax"].max() < 41.5


def test_reference_climate_and_trend(series: pd.DataFrame) -> None:
    year = series["date"].str[:4].astype(int)
    ref = series[(year >= 1961) & (year <= 1990)]
    expected_tmax = fc.ERFURT_TMAX_ANNUAL_1961_1990 + fc.JENA_OFFSET_TMAX
    expected_tmin = fc.ERFURT_TMIN_ANNUAL_1961_1990 + fc.JENA_OFFSET_TMIN
    assert abs(ref["tmax"].mean() - expected_tmax) < 0.3
    assert abs(ref["tmin"].mean() - expected_tmin) < 0.3
    # hot days (tmax ≥ 30 °C) per year of data, by decade: more in the 2010s than the 1960s
    decade = (year // 10) * 10
    hot = (series["tmax"] >= 30).groupby(decade).sum() / (
        series["tmax"].notna().groupby(decade).sum() / 365.25
    )
    assert hot[2010] > hot[1960] + 2.0
    assert 3.0 < hot[1960] < 15.0
    # warming: the last decade is clearly warmer than 1961-1990
    assert series.loc[year >= 2016, "tmean"].mean() > ref["tmean"].mean() + 1.0


def test_precipitation_calibrated(series: pd.DataFrame) -> None:
    year = series["date"].str[:4]
    full = series.groupby(year)["precip_mm"].apply(lambda s: s.notna().all())
    per_year = series.groupby(year)["precip_mm"].agg(
        total="sum", wet=lambda s: int((s >= fc.WET_DAY_MM).sum())
    )[full]
    assert abs(per_year["total"].mean() - 530.0) < 50.0  # Erfurt 1951-2018: 530 mm
    assert abs(per_year["wet"].mean() - 170.0) < 12.0  # 170 wet days a year
    assert series["precip_mm"].max() < 200.0


def test_sensor_gaps_are_nan_not_zero(series: pd.DataFrame) -> None:
    year = series["date"].str[:4].astype(int)
    missing = series["tmax"].isna()
    assert missing.equals(series["tmin"].isna()) and missing.equals(series["tmean"].isna())
    share = missing.groupby(year).mean()
    assert (share > 0.10).any() and share[LONG_GAP_YEAR] > 0.10
    assert missing.sum() < 0.02 * len(series)
    # rain-gauge-only outages exist as well
    assert (series["precip_mm"].isna() & ~missing).any()
    # no zero-filled days
    zeros = (series["tmax"] == 0) & (series["tmin"] == 0)
    assert not zeros.any()
    # none in the calibration year or in the footfall weather
    assert not missing[(year == 2019) | (year >= 2023)].any()
    assert not series.loc[(year == 2019) | (year >= 2023), "precip_mm"].isna().any()
    summary = summarise(series)
    assert [y for y, _ in summary.gap_years] == share[share > 0.10].index.tolist()


def test_pack_climate_and_weather(pack: CityPack, folder: Path, series: pd.DataFrame) -> None:
    assert validate_pack(folder).ok
    climate = pack.table("climate_daily")
    assert len(climate) == len(series)
    assert climate["station_id"].iloc[0] == "02444"  # leading zero kept
    assert np.allclose(
        climate["tmax"].to_numpy(dtype=float, na_value=np.nan),
        series["tmax"].to_numpy(dtype=float),
        equal_nan=True,
    )
    weather = pack.table("weather_daily")
    window = climate[(climate["date"] >= WEATHER_START) & (climate["date"] <= WEATHER_END)]
    expected = window[["date", "tmax", "tmin", "precip_mm"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(weather.reset_index(drop=True), expected)
    assert not weather.isna().any().any()
    assert daily_weather(DEFAULT_SEED).equals(
        series[(series["date"] >= WEATHER_START) & (series["date"] <= WEATHER_END)]
        .loc[:, ["date", "tmax", "tmin", "precip_mm"]]
        .reset_index(drop=True)
    )
    ds = pack.dataset("climate_daily")
    assert "synthetisch" in ds.title["de"] and "synthetic" in ds.title["en"]
    assert str(LONG_GAP_YEAR) in ds.approximations["de"]
    assert str(LONG_GAP_YEAR) in ds.approximations["en"]
    assert ds.temporal is not None and ds.temporal.start == "1951-01-01"
    assert "Deutscher Wetterdienst" in ds.attribution
    assert "Synthetische Demo-Daten" in ds.attribution
