"""Model or baseline: a site whose backtest says the model loses shows the best baseline's
forecast (and says so); the lead-band intervals and the seasonal-mean baseline by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data.calendar import CityCalendar
from models import features as feat
from models import footfall_model as fm
from models.artifacts import compute
from models.backtest import verdict

CAL = CityCalendar("Europe/Berlin", "DE", "TH")
FAST = fm.ForecastConfig(max_iter=15, max_leaf_nodes=7, calendar=CAL)


def _weekly(days: int, site: str, noise: float, seed: int) -> pd.DataFrame:
    """A fixed weekly pattern (hour × weekday) — exactly periodic when ``noise`` is 0."""
    times = pd.date_range("2024-01-08", periods=days * 24, freq="h", tz="UTC")
    local = times.tz_convert(CAL.timezone)
    base = 50 + 400 * np.exp(-(((local.hour - 13) / 3.5) ** 2)) * (1 + 0.15 * local.day_of_week)
    rng = np.random.default_rng(seed)
    counts = np.round(base * (1 + noise * rng.standard_normal(len(times))))
    return pd.DataFrame({"site_id": site, "time": times, "count": np.clip(counts, 0, None)})


def test_a_site_where_the_model_loses_shows_the_best_baseline_and_its_interval() -> None:
    """ "exact": the same week repeated (the week-ago baselines are perfect, MASE 0, the model
    cannot beat them); "noisy": the pattern with noise. The stored forecast of each site is
    the method its own backtest names, and the baseline's values are that baseline's."""
    counts = pd.concat(
        [_weekly(63, "exact", 0.0, 0), _weekly(63, "noisy", 0.25, 1)], ignore_index=True
    )
    art = compute(counts, FAST, origins=2)
    sites = art.card["backtest"]["sites"]
    assert sites["exact"]["model_beats_best_baseline"] is False
    assert sites["exact"]["best_baseline_mase"] == 0
    methods = art.card["methods"]
    for site, block in sites.items():
        want = "model" if block["model_beats_best_baseline"] else block["best_baseline"]
        assert methods[site] == want
        shown = art.site_forecast(site)
        assert set(shown["method"]) == {want}
    exact = art.site_forecast("exact")
    assert methods["exact"] in ("seasonal_naive_168", "seasonal_mean_4w")
    # a week-ago forecast of an exactly weekly series is the series itself
    times = pd.DatetimeIndex(exact["time"])
    week_ago = counts[counts["site_id"] == "exact"].set_index("time")["count"]
    expected = week_ago.reindex(times - pd.Timedelta(days=7)).to_numpy()
    np.testing.assert_allclose(exact["p50"].to_numpy(), expected)
    assert (exact["p10"] <= exact["p50"]).all() and (exact["p50"] <= exact["p90"]).all()


def test_verdict_picks_the_best_baseline_and_the_model_only_when_it_is_lower() -> None:
    def s(model: float, a: float, b: float, c: float) -> dict:
        names = ("model", *fm.BASELINES)
        return {n: {"mase": v} for n, v in zip(names, (model, a, b, c), strict=True)}

    win = verdict(s(0.5, 0.9, 0.7, 0.6))
    assert win["best_baseline"] == "seasonal_mean_4w" and win["shown"] == "model"
    assert win["improvement"] == pytest.approx(1 - 0.5 / 0.6, abs=1e-4)
    lose = verdict(s(0.8, 0.9, 0.7, 0.75))
    assert lose["shown"] == "seasonal_naive_168" and not lose["model_beats_best_baseline"]
    tie = verdict(s(0.7, 0.9, 0.7, 0.75))  # equal is not better
    assert tie["shown"] == "seasonal_naive_168"


def _grid(days: int = 70) -> tuple[feat.SiteGrid, pd.DataFrame]:
    counts = _weekly(days, "a", 0.0, 0)
    counts["count"] = np.arange(len(counts), dtype=float)  # every hour its own value
    series = feat.site_series(counts, "a", CAL.timezone)
    end = series.index.max() + pd.Timedelta(hours=1)
    calendar = fm.calendar_for(series, end + pd.Timedelta(days=14), CAL)
    return feat.SiteGrid(series, calendar), series


def test_seasonal_mean_is_the_same_local_hour_and_weekday_of_the_last_four_weeks() -> None:
    grid, series = _grid()
    o = int(grid.position(pd.DatetimeIndex([series.index[24 * 50]]))[0])
    targets = np.arange(o, o + 24 * 10)
    got = grid.seasonal_mean(np.full(len(targets), o), targets)
    y = grid.y
    for t, value in zip(targets, got, strict=True):
        # the four latest slots 7·k days back (same local clock: no DST here) before the origin
        known = [t - 168 * k for k in range(1, 8) if t - 168 * k < o][:4]
        assert value == pytest.approx(np.mean(y[known]))
    assert np.all(got < y[o])  # nothing at or after the origin


def test_intervals_widen_with_the_lead_band() -> None:
    """Per-band conformal margins: a noisy random walk gets wider bands further ahead, and
    the prediction uses each row's own band."""
    rng = np.random.default_rng(3)
    counts = _weekly(120, "a", 0.05, 2)
    level = np.exp(np.cumsum(rng.normal(0, 0.01, len(counts))))
    counts["count"] = np.round(counts["count"] * level)
    series = feat.site_series(counts, "a", CAL.timezone)
    origin = series.index[-1] + pd.Timedelta(hours=1)
    targets = pd.date_range(origin, periods=168, freq="h", tz="UTC")
    cfg = fm.ForecastConfig(horizon=168, max_iter=15, calendar=CAL)
    calendar = fm.calendar_for(series, targets[-1] + pd.Timedelta(hours=1), CAL)
    model = fm.fit_site(series, calendar, origin, cfg, "a")
    assert len(model.margins) == len(fm.LEAD_BANDS)
    assert model.margins[2] > model.margins[0]  # a week ahead is less certain than a day
    pred = fm.predict_site(model, series, calendar, targets)
    width = np.log1p(pred["p90"]) - np.log1p(pred["p10"])
    assert width[pred["lead"] > 72].mean() > width[pred["lead"] <= 24].mean()
    assert set(model.info()["conformal_margins_log"]) == {"1-24", "25-72", "73-168", "169-336"}


def test_a_short_record_leaves_out_the_weeks_it_does_not_have() -> None:
    """Three weeks of counts: the lags two and three weeks back exist for few training rows
    and are left out; a long record keeps them."""
    for days, kept in ((24, False), (90, True)):
        counts = _weekly(days, "a", 0.1, 4)
        series = feat.site_series(counts, "a", CAL.timezone)
        origin = series.index[-1] + pd.Timedelta(hours=1)
        calendar = fm.calendar_for(series, origin + pd.Timedelta(hours=24), CAL)
        model = fm.fit_site(series, calendar, origin, FAST, "a")
        assert ("lag_week3_anom" in model.features) is kept, (days, model.features)
        assert "lag_week_anom" in model.features and "seasonal_4w" in model.features


def test_a_short_site_does_not_stop_the_others() -> None:
    """One site with 10 days of counts, one with nine weeks: the long one is forecast, the
    short one gets no rows and its reason; the page says so for the short one."""
    from dashboard.callbacks.footfall_forecast import section  # noqa: F401 (import check)
    from models.footfall import forecast

    long = _weekly(63, "long", 0.1, 5)
    short = _weekly(10, "short", 0.1, 6)
    short["time"] = short["time"] + (long["time"].max() - short["time"].max())
    result = forecast(pd.concat([long, short], ignore_index=True), days=2, config=FAST)
    assert set(result.frame["site_id"]) == {"long"}
    assert "too little data" in result.models["short"]["error"]
    assert set(result.methods()) == {"long"}
    with pytest.raises(fm.ForecastError, match="too little data"):
        forecast(short, days=2, config=FAST)


def test_a_site_too_short_for_the_backtest_is_left_out_of_it_not_of_the_forecast() -> None:
    """Nine weeks and three weeks: one 7-day window needs 14 + 7 days, so both fit, but
    eight windows fit the long site only: the short one is skipped with its reason and
    still forecast; the page says it has no comparison."""
    from layers.footfall.forecast import verdict_text
    from models.artifacts import ForecastArtifacts

    long = _weekly(63, "long", 0.1, 5)
    short = _weekly(18, "short", 0.1, 6)
    short["time"] = short["time"] + (long["time"].max() - short["time"].max())
    counts = pd.concat([long, short], ignore_index=True)
    art = compute(counts, FAST, origins=3)
    bt = art.card["backtest"]
    assert set(bt["sites"]) == {"long"} and bt["skipped"]["short"].startswith("site short: ")
    assert set(art.forecast["site_id"]) == {"long", "short"}
    assert art.card["methods"]["short"] == "model"
    again = ForecastArtifacts(art.forecast, art.card, art.seconds)
    assert "zu kurz" in verdict_text(again, "short", "de")
    assert "zu kurz" not in verdict_text(again, "long", "de")
