"""Footfall forecasts: metrics, baselines, DST, backtest shape, cache, real-data acceptance."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data.calendar import CityCalendar
from models import footfall as ff
from models import footfall_model as fm
from models.backtest import (
    backtest,
    backtest_origins,
    coverage,
    mae,
    mase,
    naive_scale,
    seasonal_naive,
)
from models.features import calendar_frame, origin_features, site_series

FAST = fm.ForecastConfig(max_iter=15, max_leaf_nodes=7, max_train_origins=14)
COUNTS_DIR = Path("pedestrian_counts")  # below the real-data folder (conftest.real_data)


def synthetic(days: int = 28, start: str = "2024-03-01", sites=("a",), seed: int = 0):
    """Hourly counts with a local daily shape, weekends lower, Poisson noise."""
    rng = np.random.default_rng(seed)
    times = pd.date_range(start, periods=days * 24, freq="h", tz="Europe/Berlin")
    times = pd.date_range(times[0].tz_convert("UTC"), periods=days * 24, freq="h", tz="UTC")
    local = times.tz_convert("Europe/Berlin")
    shape = np.exp(-(((local.hour - 14) / 4.0) ** 2))
    week = np.where(local.day_of_week == 6, 0.3, np.where(local.day_of_week == 5, 1.3, 1.0))
    parts = []
    for i, site in enumerate(sites):
        lam = 5 + 400 * (1 + i) * shape * week
        parts.append(
            pd.DataFrame({"site_id": site, "time": times, "count": rng.poisson(lam).astype(float)})
        )
    return pd.concat(parts, ignore_index=True)


# --- metrics on hand-computed examples -------------------------------------------------


def test_mae_and_mase_by_hand():
    actual = [10.0, 20.0, np.nan, 40.0]
    pred = [12.0, 15.0, 100.0, 40.0]
    assert mae(actual, pred) == pytest.approx((2 + 5 + 0) / 3)  # NaN actual excluded
    assert mase(actual, pred, 2.0) == pytest.approx((1 + 2.5 + 0) / 3)
    assert mase(actual, pred, [1.0, 5.0, 1.0, 1.0]) == pytest.approx((2 + 1 + 0) / 3)


def test_naive_scale_skips_gaps():
    y = np.array([1.0, 2.0, 4.0, np.nan, 3.0])
    # lag-2 pairs: (1,4)=3, (2,nan) skipped, (4,3)=1
    assert naive_scale(y, period=2) == pytest.approx(2.0)
    assert math.isnan(naive_scale([1.0, 2.0], period=2))


def test_coverage_by_hand_and_nan():
    actual = [5.0, 10.0, 15.0, np.nan, 0.0]
    lo = [0.0, 11.0, 10.0, 0.0, 0.0]
    hi = [10.0, 20.0, 15.0, 1.0, 1.0]
    # 5 in, 10 below, 15 on the edge counts, NaN skipped, 0 in
    assert coverage(actual, lo, hi) == pytest.approx(3 / 4)
    assert math.isnan(coverage([np.nan], [0.0], [1.0]))


def test_seasonal_naive_baselines():
    idx = pd.date_range("2024-01-01", periods=400, freq="h", tz="UTC")
    y = pd.Series(np.arange(400, dtype=float), index=idx)
    origin = idx[350]
    targets = idx[350:398]  # 48 hours: lead 1..48
    n24 = seasonal_naive(y, origin, targets, 24)
    # lead 1..24 → t − 24; lead 25..48 → t − 48 (same hour of the last observed day)
    assert n24[0] == 350 - 24 and n24[23] == 373 - 24
    assert n24[24] == 374 - 48 and n24[47] == 397 - 48
    n168 = seasonal_naive(y, origin, targets, 168)
    assert n168[0] == 350 - 168
    assert np.all(n24 < 350) and np.all(n168 < 350)  # nothing from after the origin


def test_origins_tile_the_end_without_overlap():
    last = pd.Timestamp("2024-01-31 22:00", tz="UTC")
    starts = backtest_origins(last, 24, 3)
    assert starts == sorted(starts)
    assert starts[-1] + pd.Timedelta(hours=24) == last + pd.Timedelta(hours=1)
    assert all((b - a) == pd.Timedelta(hours=24) for a, b in itertools.pairwise(starts))


# --- features and DST -------------------------------------------------------------------


def test_zero_days_are_gaps_not_counts():
    counts = synthetic(days=3)
    local = counts["time"].dt.tz_convert("Europe/Berlin")
    counts.loc[local.dt.day == 2, "count"] = 0.0
    series = site_series(counts, "a")
    day2 = series.index.tz_convert("Europe/Berlin").day == 2
    assert series.loc[day2, "y"].isna().all()
    assert series.loc[~day2, "y"].notna().all()


@pytest.mark.parametrize(
    ("day", "hours", "local_two"),
    [("2024-03-31", 23, 0), ("2024-10-27", 25, 2)],
)
def test_dst_days_features_and_forecasts(day, hours, local_two):
    start = pd.Timestamp(day, tz="Europe/Berlin") - pd.Timedelta(days=20)
    counts = synthetic(days=22, start=str(start.date()))
    series = site_series(counts, "a")
    d0 = pd.Timestamp(day, tz="Europe/Berlin")
    d1 = pd.Timestamp(pd.Timestamp(day) + pd.Timedelta(days=1), tz="Europe/Berlin")
    targets = pd.date_range(d0.tz_convert("UTC"), d1.tz_convert("UTC"), freq="h", inclusive="left")
    assert len(targets) == hours
    calendar = calendar_frame(
        pd.date_range(series.index.min(), targets[-1], freq="h", tz="UTC"),
        CityCalendar("Europe/Berlin", "DE", "TH"),
    )
    rows = origin_features(series, calendar, targets[0], targets)
    local_hours = rows["hour"].to_numpy()
    assert len(rows) == hours
    assert int((local_hours == 2).sum()) == local_two  # skipped / repeated local hour
    assert sorted(set(local_hours.astype(int))) == [h for h in range(24) if local_two or h != 2]
    model = fm.fit_site(series, calendar, targets[0], FAST, "a")
    pred = fm.predict_site(model, series, calendar, targets)
    assert len(pred) == hours and pred[["p10", "p50", "p90"]].notna().all().all()
    assert (pred["p10"] <= pred["p50"]).all() and (pred["p50"] <= pred["p90"]).all()
    out = ff.ForecastResult(pred.assign(site_id="a"), {}, FAST, "x").to_csv_frame()
    stamps = out["timestamp"].tolist()
    assert len(set(stamps)) == hours  # the repeated hour differs by its offset
    assert not any("T02:" in s for s in stamps) if local_two == 0 else True
    if local_two == 2:
        assert any(s.endswith("T02:00:00+02:00") for s in stamps)
        assert any(s.endswith("T02:00:00+01:00") for s in stamps)


# --- backtest, forecast, cache ----------------------------------------------------------


@pytest.mark.slow
def test_backtest_output_shape_and_scores():
    counts = synthetic(days=24, sites=("a", "b"))
    counts.loc[counts.index[-5], "count"] = np.nan  # a gap in the test window
    result = backtest(counts, horizon=24, origins=3, config=FAST)
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data["sites"]) == {"a", "b"}
    methods = ("model", "seasonal_naive_24", "seasonal_naive_168", "seasonal_mean_4w", "selected")
    for block in [data["overall"], *data["sites"].values()]:
        for method in methods:
            assert set(block[method]) == {"mase", "mae", "coverage_80", "coverage_80_by_lead"}
            assert 0 <= block[method]["coverage_80"] <= 1  # every method has its interval
            assert list(block[method]["coverage_80_by_lead"]) == ["1-24"]
        best = min(methods[1:4], key=lambda m: block[m]["mase"])
        assert block["best_baseline"] == best
        beats = block["model"]["mase"] < block[best]["mase"]
        assert block["model_beats_best_baseline"] is beats
        assert block["shown"] == ("model" if beats else best)
    assert data["sites"]["b"]["n_scored"] == 3 * 24 - 1
    mases = [data["sites"][s]["model"]["mase"] for s in ("a", "b")]
    assert data["overall"]["model"]["mase"] == pytest.approx(np.mean(mases), abs=1e-3)
    assert data["overall"]["model"]["mase"] < data["overall"]["seasonal_naive_168"]["mase"]
    assert len(result.predictions) == 2 * 3 * 24


@pytest.mark.slow
def test_backtest_in_two_processes_gives_the_same_result_and_counts_its_fits():
    counts = synthetic(days=20, sites=("a", "b"))
    before = fm.fit_count()
    one = backtest(counts, horizon=24, origins=2, config=FAST)
    middle = fm.fit_count()
    two = backtest(counts, horizon=24, origins=2, config=FAST, n_jobs=2)
    assert fm.fit_count() - middle == middle - before == 2 * 2
    a, b = one.to_dict(), two.to_dict()
    a.pop("fit_seconds_per_site"), b.pop("fit_seconds_per_site")  # timings differ
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    pd.testing.assert_frame_equal(one.predictions, two.predictions)


def test_too_little_data_is_a_clear_error():
    with pytest.raises(fm.ForecastError, match="too little data"):
        backtest(synthetic(days=12), horizon=24, origins=2, config=FAST)


def test_forecast_14_days_and_model_card():
    result = ff.forecast(synthetic(days=24), days=14, config=FAST)
    assert len(result.frame) == 14 * 24
    card = ff.model_card(result)
    assert card["features"] and set(card["caution"]) == {"de", "en"}
    assert card["minimum_days_before_origin"] == 14
    json.dumps(card)


def test_cache_hit_never_refits():
    counts = synthetic(days=24)
    cache = ff.ForecastCache()
    before = fm.fit_count()
    first = cache.forecast(counts, days=1, config=FAST)
    fitted = fm.fit_count() - before
    assert fitted == 1
    again = cache.forecast(counts.copy(), days=1, config=FAST)
    assert again is first and fm.fit_count() - before == fitted and cache.hits == 1
    changed = counts.copy()
    changed.loc[0, "count"] += 1
    cache.forecast(changed, days=1, config=FAST)
    assert fm.fit_count() - before == 2  # new data version → one new fit


def test_cli_predict_and_errors(tmp_path):
    from cli.main import main

    counts = synthetic(days=22)
    path = tmp_path / "c.csv"
    counts.assign(time=counts["time"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")).to_csv(path, index=False)
    out = tmp_path / "f.csv"
    args = ["forecast", "predict", "--counts", str(path), "--format", "long", "--days", "2"]
    args += ["--site-col", "site_id", "--origins", "2"]
    assert main([*args, "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert list(table.columns) == ["site", "timestamp", "method", "p10", "p50", "p90"]
    assert len(table) == 48 and set(table["method"]) <= {"model", *fm.BASELINES}
    short = tmp_path / "short.csv"
    counts.head(24 * 5).assign(time=lambda f: f["time"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")).to_csv(
        short, index=False
    )
    bt = ["forecast", "backtest", "--counts", str(short), "--format", "long", "--json"]
    bt += ["--site-col", "site_id"]
    assert main(bt) == 1
    with pytest.raises(SystemExit):
        main(["forecast", "backtest", "--counts", str(path), "--format", "nope"])


# --- real data acceptance ---------------------------------------------------------------


def _accept(
    counts: pd.DataFrame,
    calendar: CityCalendar,
    horizon: int = 168,
    min_gain: float = 0.10,
    coverage_range: tuple[float, float] = (0.72, 0.88),
) -> dict:
    """The app's protocol (8 windows of ``horizon`` hours, refitted at each): the model's
    MASE at least ``min_gain`` below the best of the three baselines, the 80 % coverage in
    ``coverage_range`` overall and in every lead band, and the verdict consistent."""
    config = fm.ForecastConfig(calendar=calendar)
    result = backtest(counts, horizon=horizon, origins=8, config=config, n_jobs=2)
    data = result.to_dict()
    overall = data["overall"]
    best = min(overall[b]["mase"] for b in fm.BASELINES)
    assert overall["model"]["mase"] <= (1 - min_gain) * best, data["overall"]
    lo, hi = coverage_range
    assert lo <= overall["model"]["coverage_80"] <= hi, overall["model"]
    bands = overall["model"]["coverage_80_by_lead"]
    assert len(bands) == len([b for b in fm.LEAD_BANDS if b[0] <= horizon])
    for band, value in bands.items():
        assert lo <= value <= hi, (band, overall["model"])
    for site, block in data["sites"].items():
        assert block["shown"] == (
            "model" if block["model_beats_best_baseline"] else block["best_baseline"]
        ), site
    return data


MOERS = CityCalendar("Europe/Berlin", "DE", "NW")  # Moers: North Rhine-Westphalia


@pytest.mark.slow
@pytest.mark.realdata
def test_acceptance_moers(real_data):
    """Three months of one shopping street (May–July 2022): 8 weekly windows leave five
    weeks to learn from before the first. Measured: MASE 0.416 against 0.463 for the 4-week
    seasonal mean, the best baseline (10.2 % better)."""
    files = sorted(real_data(COUNTS_DIR / "moers_hystreet_csv_export").glob("*.csv"))
    assert files, "the Moers hystreet export folder is empty"
    from data.importers.counts import read_counts

    counts, _, _ = read_counts(files, "hystreet")
    _accept(counts, MOERS)


@pytest.mark.slow
@pytest.mark.realdata
def test_acceptance_mainz(real_data):
    """One December (2021): 31 days allow 8 daily windows only (the last eight days of the
    year, Christmas included). Measured: MASE 0.85 against 0.98 for "same hour yesterday",
    the best baseline there (12.7 % better)."""
    path = real_data(COUNTS_DIR / "hystreet_mainz_schusterstrasse_71_hourly_2021-12.csv")
    from data.importers.counts import read_counts

    counts, _, _ = read_counts(
        [path], "long", time_col="timestamp", count_col="pedestrians_count", site="mainz"
    )
    _accept(counts, CityCalendar("Europe/Berlin", "DE", "RP"), horizon=24)


@pytest.mark.slow
def test_acceptance_demo(demo_pack):
    """Three of the demo's sites (the bench measures all 13): the model at least 10 % below
    the best baseline, coverage 0.72–0.88 overall and per lead band."""
    counts = demo_pack.table("footfall_counts")
    sites = sorted(counts["site_id"].unique())[:3]
    _accept(counts[counts["site_id"].isin(sites)].copy(), demo_pack.calendar)
