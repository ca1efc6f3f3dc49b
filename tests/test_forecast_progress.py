"""The forecast job reports how far it is, and the forecast section shows it: a status line
that moves, a progress bar, and never an empty chart while there is no forecast."""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
import pytest
from dash import html, no_update

from dashboard.callbacks.footfall_forecast import section
from dashboard.context import AppContext
from dashboard.forecasts import ForecastProgress, ForecastService
from dashboard.i18n import t
from dashboard.pages.footfall_page import forecast_section
from dashboard.settings import Settings
from data.pack import load_pack
from layers.footfall.forecast import window_text
from models.artifacts import ForecastArtifacts, compute
from models.footfall_model import ForecastConfig
from tests.packfactory import footfall_frames, make_footfall_pack

SMALL = ForecastConfig(max_iter=15, max_train_origins=8)
# 17:04 UTC on 1 June = 19:04 in Berlin (summer time)
STARTED = datetime(2025, 6, 1, 17, 4, tzinfo=UTC)
HIDDEN = {"display": "none"}


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return make_footfall_pack(tmp_path_factory.mktemp("progress") / "pack")


@pytest.fixture()
def running(pack_dir: Any, tmp_path: Any) -> tuple[AppContext, ForecastService, Clock]:
    """A service whose job is 'running' (progress reported by hand, nothing computed)."""
    pack = load_pack(pack_dir)
    clock = Clock(STARTED)
    service = ForecastService(pack, tmp_path, SMALL, clock=clock)
    return AppContext(Settings(pack=pack_dir), pack, forecasts=service), service, clock


def _json(component: Any) -> str:
    return json.dumps(component, default=lambda o: o.to_plotly_json(), ensure_ascii=False)


# --- the progress object -------------------------------------------------------------------


def test_time_left_is_the_mean_time_per_site_times_the_sites_left() -> None:
    # 3 of 12 sites in 3 minutes: 1 min per site, 9 left
    p = ForecastProgress(3, 12, STARTED, STARTED + timedelta(minutes=3))
    assert p.remaining_seconds(STARTED + timedelta(minutes=3)) == pytest.approx(540)
    # counted down between two finished sites, never below zero
    assert p.remaining_seconds(STARTED + timedelta(minutes=4)) == pytest.approx(480)
    assert p.remaining_seconds(STARTED + timedelta(hours=2)) == 0
    assert p.share == pytest.approx(0.25)
    # nothing to estimate from before the first site; nothing left at the end
    assert ForecastProgress(0, 12, STARTED, STARTED).remaining_seconds(STARTED) is None
    assert ForecastProgress(12, 12, STARTED, STARTED).remaining_seconds(STARTED) == 0


def test_service_keeps_the_start_and_hands_out_snapshots() -> None:
    clock = Clock(STARTED)
    service = ForecastService(load_pack_stub(), None, clock=clock)  # type: ignore[arg-type]
    assert service.progress is None
    service.report(0, 12)
    first = service.progress
    clock.now = STARTED + timedelta(minutes=2)
    service.report(2, 12)
    now = service.progress
    assert first is not None and now is not None
    assert (first.done, now.done, now.total) == (0, 2, 12)
    assert now.started == STARTED and now.updated == STARTED + timedelta(minutes=2)
    with pytest.raises(AttributeError):
        now.done = 5  # type: ignore[misc]  # a frozen snapshot


def test_reports_from_many_threads_leave_a_consistent_snapshot() -> None:
    service = ForecastService(load_pack_stub(), None)  # type: ignore[arg-type]
    service.report(0, 400)

    def work(start: int) -> None:
        for k in range(start, 400, 8):
            service.report(k + 1, 400)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    p = service.progress
    assert p is not None and p.total == 400 and 1 <= p.done <= 400 and p.updated >= p.started


def load_pack_stub() -> Any:
    class Stub:
        def has(self, name: str) -> bool:
            return False

    return Stub()


# --- the real computation reports once per site ---------------------------------------------


def test_computation_reports_once_per_site() -> None:
    _, counts = footfall_frames()
    calls: list[tuple[int, int]] = []
    result = compute(counts, SMALL, origins=1, progress=lambda d, t: calls.append((d, t)))
    assert result.card["backtest"]["origins"] == 1  # the first attempt held: no restart
    assert calls == [(1, 2), (2, 2)]


def test_a_short_record_retries_with_fewer_windows_and_counts_from_one_again() -> None:
    _, counts = footfall_frames()  # room for one 7-day window, not for four
    calls: list[tuple[int, int]] = []
    result = compute(counts, SMALL, origins=4, progress=lambda d, t: calls.append((d, t)))
    assert 1 <= result.card["backtest"]["origins"] < 4
    assert calls[-2:] == [(1, 2), (2, 2)]


# --- the section in each state ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("de", ["3 von 12 Zählstellen", "gestartet 19:04", "noch etwa 9 Min."]),
        ("en", ["3 of 12 counting sites", "started at 19:04", "about 9 min left"]),
    ],
)
def test_pending_shows_a_moving_status_and_no_chart(
    running: tuple[AppContext, ForecastService, Clock], lang: str, words: list[str]
) -> None:
    ctx, service, clock = running
    service.report(0, 12)
    clock.now = STARTED + timedelta(minutes=3)
    service.report(3, 12)
    figure, style, status, card, done = section(ctx, "markt", lang, now=clock.now)
    assert figure is no_update and style == HIDDEN and not done  # no chart, keep polling
    for w in words:
        assert w in status, (w, status)
    assert isinstance(card, html.Progress)
    assert (getattr(card, "value", None), getattr(card, "max", None)) == ("3", "12")
    # two minutes later the estimate has moved
    _, _, later, _, _ = section(ctx, "markt", lang, now=clock.now + timedelta(minutes=2))
    assert later != status and ("7" in later)


def test_pending_before_the_first_site_and_at_the_end(
    running: tuple[AppContext, ForecastService, Clock],
) -> None:
    ctx, service, _ = running
    _, style, status, card, done = section(ctx, "markt", "de", now=STARTED)
    assert style == HIDDEN and not done and "wird berechnet" in status
    assert isinstance(card, html.Progress) and getattr(card, "value", None) is None  # indeterminate
    service.report(0, 12)
    _, _, status, _, _ = section(ctx, "markt", "de", now=STARTED)
    assert "0 von 12" in status and "geschätzt" in status
    service.report(12, 12)
    _, _, status, _, _ = section(ctx, "markt", "en", now=STARTED)
    assert "12 of 12" in status and "almost done" in status


def test_error_off_and_unavailable_show_no_chart(
    running: tuple[AppContext, ForecastService, Clock],
    tiny_pack_dir: Any,
    tmp_path: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ctx, service, _ = running
    service.error = "site markt: too few observed hours to train (12)"
    with caplog.at_level(logging.WARNING, logger="dashboard.callbacks.footfall_forecast"):
        figure, style, _, card, done = section(ctx, "markt", "de")
    assert figure is no_update and style == HIDDEN and done
    # people read a message in the page's language; the job's English detail goes to the log
    assert card.children == t("footfall.forecast.error", "de") and card.role == "alert"
    assert "Keine Prognose möglich" in card.children and "too few" not in _json(card)
    assert "too few observed hours" in caplog.text
    english = section(ctx, "markt", "en")[3]
    assert english.children.startswith("No forecast possible") and "too few" not in english.children
    off = AppContext(Settings(pack=ctx.pack.folder, forecasts=False), ctx.pack)
    assert section(off, "markt", "de")[1] == HIDDEN
    plain = load_pack(tiny_pack_dir)
    none = AppContext(
        Settings(pack=tiny_pack_dir), plain, forecasts=ForecastService(plain, tmp_path)
    )
    assert section(none, "markt", "de")[1] == HIDDEN


def _scores(model_mase: float) -> dict:
    def block(mase: float, mae: float, cov: float) -> dict:
        by_lead = {"1-24": cov, "25-72": cov, "73-168": cov}
        return {"mase": mase, "mae": mae, "coverage_80": cov, "coverage_80_by_lead": by_lead}

    scores = {
        "model": block(model_mase, 12.34, 0.79),
        "seasonal_naive_24": block(1.0, 15.0, 0.7),
        "seasonal_naive_168": block(1.2, 17.5, 0.75),
        "seasonal_mean_4w": block(0.9, 14.0, 0.8),
        "selected": block(model_mase, 12.34, 0.79),
    }
    from models.backtest import verdict

    return {**scores, **verdict(scores)}


def _artifacts() -> ForecastArtifacts:
    """Two sites: at "markt" the model wins (MASE 0.81 against 0.9), at "nord" it loses
    (0.95): there the frame holds the seasonal-mean forecast, as models.artifacts stores it."""
    times = pd.date_range("2024-04-14 23:00", periods=7 * 24, freq="h", tz="UTC")
    frame = pd.concat(
        [
            pd.DataFrame(
                {"site_id": s, "time": times, "method": m, "p10": 50.0, "p50": 80.0, "p90": 120.0}
            )
            for s, m in (("markt", "model"), ("nord", "seasonal_mean_4w"))
        ],
        ignore_index=True,
    )
    sites = {"markt": _scores(0.81), "nord": _scores(0.95)}
    card = {
        "backtest": {
            "origins": 2,
            "horizon": 168,
            "overall": _scores(0.88),
            "sites": sites,
        },
        "methods": {s: v["shown"] for s, v in sites.items()},
        "model": "test model",
        "features": ["hour"],
        "training_window": {"markt": ["2024-03-25", "2024-04-14"]},
        "caution": {"de": "Vorsicht", "en": "Careful"},
    }
    return ForecastArtifacts(frame, card, 1.0)


def test_ready_shows_the_chart_and_stops_polling(
    running: tuple[AppContext, ForecastService, Clock],
) -> None:
    ctx, service, _ = running
    service.report(2, 2)
    service.result = _artifacts()
    figure, style, summary, _, done = section(ctx, "markt", "de")
    assert done and style.get("display") != "none" and len(figure.data) == 4
    assert "Prognose für Markt" in summary


def test_backtest_tables_align_number_headers_with_their_numbers(
    running: tuple[AppContext, ForecastService, Clock],
) -> None:
    ctx, service, _ = running
    service.result = _artifacts()
    card = section(ctx, "markt", "de")[3]
    tables = [c for c in card if isinstance(c, html.Table)]
    assert len(tables) == 3  # this site, coverage by lead band, all sites
    for table in tables:
        _, thead, tbody = table.children
        heads = thead.children.children
        assert [h.className for h in heads] == ["al-text", "al-num", "al-num", "al-num"]
        for row in tbody.children:
            assert [c.className for c in row.children] == [h.className for h in heads]
        if table is tables[1]:
            assert [h.children for h in heads[1:]] == [
                "1–24\u00a0h",
                "25–72\u00a0h",
                "73–168\u00a0h",
            ]
            continue
        assert heads[2].children.startswith("MAE") and tbody.children[0].children[2].children == (
            "12,3"
        )
        assert len(tbody.children) == 5  # the model, three baselines, the choice before the test


@pytest.mark.parametrize(
    ("site", "lang", "words", "trace"),
    [
        ("markt", "de", "Das Modell schlägt hier", "Prognose (Median)"),
        ("nord", "de", "nicht besser als die beste Vergleichsmethode", "Prognose: Mittel gleicher"),
        ("nord", "en", "does not beat the best baseline", "Forecast: Mean of same hour"),
    ],
)
def test_each_site_says_whether_the_model_beats_the_best_baseline(
    running: tuple[AppContext, ForecastService, Clock],
    site: str,
    lang: str,
    words: str,
    trace: str,
) -> None:
    """Where the backtest says the model loses, the page says so and the chart's line is the
    baseline's forecast, named as such — never the model's."""
    ctx, service, _ = running
    service.result = _artifacts()
    figure, _, _, card, _ = section(ctx, site, lang)
    texts = [c.children for c in card if isinstance(c, html.P)]
    assert any(words in str(t) for t in texts), texts
    names = [tr.name for tr in figure.data]
    assert any(str(n).startswith(trace) for n in names), names


def test_layout_starts_with_the_chart_hidden_and_a_status_region() -> None:
    section_ = forecast_section("de")
    graph, status = section_.children[1], section_.children[2]
    assert graph.style == HIDDEN
    assert status.role == "status" and "wird berechnet" in status.children


@pytest.mark.parametrize(
    ("lang", "window"), [("de", "25.03.2024 – 14.04.2024"), ("en", "2024-03-25 – 2024-04-14")]
)
def test_training_window_shows_the_page_dates(
    running: tuple[AppContext, ForecastService, Clock], lang: str, window: str
) -> None:
    ctx, service, _ = running
    service.result = _artifacts()
    card = section(ctx, "markt", lang)[3]
    facts = next(c for c in card if isinstance(c, html.Dl)).children
    terms = [getattr(c, "children", None) for c in facts]
    at = terms.index(t("footfall.card.window", lang))
    assert facts[at + 1].children == window
    # a site without a stored window: a dash, not a crash
    assert window_text(None, lang) == "–"
    assert window_text(["2024-03-25T00:00:00+00:00", "2024-04-14"], "de") == window_text(
        ["2024-03-25", "2024-04-14"], "de"
    )


def test_a_site_without_a_forecast_says_why_instead_of_an_empty_chart(
    running: tuple[AppContext, ForecastService, Clock],
) -> None:
    ctx, service, _ = running
    full = _artifacts()
    frame = full.forecast[full.forecast["site_id"] != "nord"]
    service.result = ForecastArtifacts(frame, full.card, 1.0)
    _, style, _, card, done = section(ctx, "nord", "de")
    assert done and style == {"display": "none"}
    assert "reichen die Zählungen noch nicht" in str(card.children)
