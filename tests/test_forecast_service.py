"""The app's forecast job: computed once per data version in the background, stored on disk,
read by the page; a request never fits a model."""

from __future__ import annotations

import json

import pytest

from dashboard.callbacks.footfall_forecast import section
from dashboard.context import AppContext
from dashboard.forecasts import ForecastService
from dashboard.settings import Settings
from data.pack import load_pack
from models.footfall_model import ForecastConfig, fit_count
from tests.packfactory import make_footfall_pack

SMALL = ForecastConfig(max_iter=15, max_train_origins=8)


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory):
    return make_footfall_pack(tmp_path_factory.mktemp("fc") / "pack")


def _text(children) -> str:
    return json.dumps(
        [c.to_plotly_json() for c in children],
        default=lambda o: o.to_plotly_json(),
        ensure_ascii=False,
    )


@pytest.mark.slow
def test_job_runs_once_stores_on_disk_and_pages_only_read(pack_dir, tmp_path):
    pack = load_pack(pack_dir)
    service = ForecastService(pack, tmp_path, SMALL)
    ctx = AppContext(Settings(pack=pack_dir), pack, forecasts=service)
    assert service.status == "idle"
    _, style, status, _, done = section(ctx, "markt", "de")
    assert not done and "wird berechnet" in status and style == {"display": "none"}
    service.start()
    service.wait(300)
    assert service.status == "ready", service.error
    progress = service.progress  # the job counted both sites
    assert progress is not None and (progress.done, progress.total) == (2, 2)
    fits = fit_count()
    figure, style, summary, card, done = section(ctx, "markt", "en")
    assert done and "Forecast for Markt" in summary and style.get("display") != "none"
    text = _text(card)
    assert "Model card" in text and "Same hour last week" in text and "Please note" in text
    assert len(figure.data) == 4
    section(ctx, "nord", "de")
    assert fit_count() == fits  # reading never fits
    stored = list((tmp_path / "forecasts").iterdir())
    assert len(stored) == 1 and (stored[0] / "forecast.parquet").is_file()
    # a second process start finds the artefacts on disk: no fitting at all
    again = ForecastService(pack, tmp_path, SMALL)
    again.start()
    again.wait(60)
    assert again.status == "ready" and fit_count() == fits
    assert set(again.result.forecast["site_id"]) == {"markt", "nord"}
    assert len(again.result.site_forecast("markt")) == 7 * 24
    # three weeks of counts allow fewer than the usual 8 backtest windows: as many as fit
    assert 1 <= again.result.card["backtest"]["origins"] < 8


def test_unknown_site_and_switched_off(pack_dir, tmp_path):
    pack = load_pack(pack_dir)
    off = AppContext(Settings(pack=pack_dir, forecasts=False), pack)
    _, style, _, card, done = section(off, "markt", "de")
    assert done and "abgeschaltet" in _text([card]) and style == {"display": "none"}


def test_pack_without_counts_is_unavailable(tiny_pack_dir, tmp_path):
    pack = load_pack(tiny_pack_dir)
    service = ForecastService(pack, tmp_path)
    assert service.status == "unavailable"
    service.start()
    assert service.status == "unavailable"


def test_daily_weather_is_attached_by_local_day():
    import pandas as pd

    from data.footfall import with_daily_weather

    counts = pd.DataFrame(
        {
            "site_id": ["a", "a", "a"],
            # 22:30 UTC on 1 July is already 2 July in Berlin (UTC+2)
            "time": pd.to_datetime(
                ["2024-07-01 10:00", "2024-07-01 22:00", "2024-07-03 10:00"], utc=True
            ),
            "count": [1.0, 2.0, 3.0],
        }
    )
    weather = pd.DataFrame(
        {
            "date": ["2024-07-01", "2024-07-02"],
            "tmax": [31.5, 20.0],
            "tmin": [15, 12],
            "precip_mm": [0.0, 4.2],
        }
    )
    out = with_daily_weather(counts, weather)
    assert out["temperature"].tolist()[:2] == [31.5, 20.0]
    assert out["weather"].tolist()[:2] == ["dry", "rain"]
    assert pd.isna(out["temperature"].iloc[2]) and pd.isna(out["weather"].iloc[2])


@pytest.mark.slow
def test_two_server_processes_compute_the_job_once(pack_dir, tmp_path):
    """Two services on one cache directory (as two gunicorn workers): the file lock lets one
    fit; the other waits, shows the first one's progress, and reads the stored result."""
    pack = load_pack(pack_dir)
    solo = ForecastService(pack, tmp_path / "solo", SMALL)
    before = fit_count()
    solo.start()
    solo.wait(300)
    one_job = fit_count() - before
    assert solo.status == "ready" and one_job > 0

    shared = tmp_path / "shared"
    a, b = ForecastService(pack, shared, SMALL), ForecastService(pack, shared, SMALL)
    before = fit_count()
    a.start()
    b.start()
    a.wait(300)
    b.wait(300)
    assert a.status == b.status == "ready", (a.error, b.error)
    assert fit_count() - before == one_job  # fitted once, not twice
    assert len(list((shared / "forecasts").iterdir())) == 1
    assert a.progress is not None and b.progress is not None
    assert a.progress.total == b.progress.total == 2
