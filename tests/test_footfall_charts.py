"""Footfall charts: pure aggregates on synthetic counts, the page layout and the callback.

The synthetic counts are built so every number can be checked by hand: a site's count in a
local hour is ``BASE[day type] + 10 * local hour``; the second 02:00 of an autumn DST day
counts 500 more.

* site A: Mon 16 Mar – Sun 12 Apr 2026 (ISO weeks 12–15), spring DST on Sun 29 Mar, Good
  Friday 3 Apr and Easter Monday 6 Apr; one NaN hour (Wed 18 Mar 10:00) and one missing row
  (Wed 25 Mar 15:00);
* site B: ISO weeks 43–44 of 2025 and of 2026 (autumn DST on 26 Oct 2025 and 25 Oct 2026,
  Reformation Day 31 Oct is a Thuringian holiday), nothing in between.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from dash import no_update

from data.calendar import CityCalendar
from layers.footfall import charts as fc

TZ = "Europe/Berlin"
#: the fixtures' holidays: Germany, Thuringia (31 Oct is a public holiday)
THURINGIA = CityCalendar(TZ, "DE", "TH")
HOLIDAYS = {dt.date(2026, 4, 3), dt.date(2026, 4, 6), dt.date(2025, 10, 31), dt.date(2026, 10, 31)}
AUTUMN_DST = {dt.date(2025, 10, 26), dt.date(2026, 10, 25)}
BASE = {"weekday": 1000.0, "saturday": 2000.0, "sunday_holiday": 3000.0}


def _kind(day: dt.date) -> str:
    if day.weekday() == 6 or day in HOLIDAYS:
        return "sunday_holiday"
    return "saturday" if day.weekday() == 5 else "weekday"


def _site(site_id: str, first: dt.date, last: dt.date) -> pd.DataFrame:
    start = pd.Timestamp(first).tz_localize(TZ).tz_convert("UTC")
    end = pd.Timestamp(last + dt.timedelta(days=1)).tz_localize(TZ).tz_convert("UTC")
    times = pd.date_range(start, end, freq="h", inclusive="left")
    local = times.tz_convert(TZ)
    counts = np.array([BASE[_kind(t.date())] + 10 * t.hour for t in local], dtype=float)
    second_two = np.array(
        [
            t.hour == 2 and t.date() in AUTUMN_DST and u.hour == 1
            for t, u in zip(local, times, strict=True)
        ]
    )
    counts[second_two] += 500
    return pd.DataFrame({"site_id": site_id, "time": times, "count": counts})


def _utc(local: str) -> pd.Timestamp:
    return pd.Timestamp(local).tz_localize(TZ).tz_convert("UTC")


def synthetic_counts() -> pd.DataFrame:
    a = _site("A", dt.date(2026, 3, 16), dt.date(2026, 4, 12))
    a.loc[a["time"] == _utc("2026-03-18 10:00"), "count"] = np.nan
    a = a[a["time"] != _utc("2026-03-25 15:00")]
    b = pd.concat(
        [
            _site("B", dt.date(2025, 10, 20), dt.date(2025, 11, 2)),
            _site("B", dt.date(2026, 10, 19), dt.date(2026, 11, 1)),
        ]
    )
    return pd.concat([a, b], ignore_index=True)


@pytest.fixture(scope="module")
def counts() -> pd.DataFrame:
    return synthetic_counts()


@pytest.fixture(scope="module")
def agg_a(counts):
    return fc.aggregates(counts, "A", THURINGIA)


@pytest.fixture(scope="module")
def agg_b(counts):
    return fc.aggregates(counts, "B", THURINGIA)


def _profile(agg, kind: str, hour: int) -> tuple[float, int]:
    prof = fc.hourly_profile(agg.hours)
    row = prof[(prof["day_type"] == kind) & (prof["hour"] == hour)].iloc[0]
    return float(row["mean"]), int(row["n"])


def _day(agg, day: str) -> Any:
    return agg.daily[agg.daily["date"] == dt.date.fromisoformat(day)].iloc[0]


# --- calendar and profile -------------------------------------------------------------------


def test_day_types_know_thuringian_holidays():
    days = [dt.date(2026, 4, 3), dt.date(2026, 4, 4), dt.date(2026, 4, 7), dt.date(2025, 10, 31)]
    assert fc.day_types(days, THURINGIA) == [
        "sunday_holiday",
        "saturday",
        "weekday",
        "sunday_holiday",
    ]
    # without a subdivision only the national holidays count: 31 Oct is a weekday
    assert fc.day_types(days)[3] == "weekday"


def test_profile_is_in_local_time_and_skips_gaps(agg_a):
    # 18 weekdays (20 Mon–Fri minus Good Friday and Easter Monday)
    assert _profile(agg_a, "weekday", 9) == (1090.0, 18)
    assert _profile(agg_a, "weekday", 10) == (1100.0, 17)  # the NaN hour is not a sample
    assert _profile(agg_a, "weekday", 15) == (1150.0, 17)  # nor is the missing row
    assert _profile(agg_a, "saturday", 14) == (2140.0, 4)
    # Sundays 22/29 Mar, 5/12 Apr + Good Friday + Easter Monday = 6 days
    assert _profile(agg_a, "sunday_holiday", 3) == (3030.0, 6)


def test_spring_dst_day_has_no_hour_two(agg_a):
    assert _profile(agg_a, "sunday_holiday", 2) == (3020.0, 5)
    spring = agg_a.hours[agg_a.hours["date"] == dt.date(2026, 3, 29)]
    assert len(spring) == 23 and 2 not in set(spring["hour"])


def test_autumn_dst_day_counts_both_two_oclock_hours(agg_b):
    # 6 Sunday/holiday days, two of them 25-hour days: 8 samples at 02:00, two with +500
    mean, n = _profile(agg_b, "sunday_holiday", 2)
    assert n == 8
    assert mean == pytest.approx(3020 + 2 * 500 / 8)
    assert _profile(agg_b, "sunday_holiday", 1) == (3010.0, 6)


def test_profile_chart_summary_and_table(agg_a):
    de = fc.profile_chart(agg_a, "de")
    assert "Höchster Wert werktags um 23 Uhr: 1.230 Passanten je Stunde" in de.summary
    assert "sonn- und feiertags um 23 Uhr: 3.230" in de.summary
    en = fc.profile_chart(agg_a, "en")
    assert "Highest on weekdays at 23:00: 1,230 pedestrians per hour" in en.summary
    assert [t.name for t in en.figure.data] == ["Weekday", "Saturday", "Sunday or public holiday"]
    assert list(en.figure.data[0].x) == list(range(24))
    assert en.figure.layout.xaxis.title.text.startswith("Time of day")
    assert de.figure.layout.separators == ",."
    row = next(r for r in de.rows if r["day_type"] == "Werktag" and r["hour"] == 10)
    assert row == {"day_type": "Werktag", "hour": 10, "mean": 1100.0, "n": 17}
    assert {c.field for c in de.columns} == set(row)
    json.dumps(de.rows)


# --- daily series ---------------------------------------------------------------------------


def test_day_with_a_missing_hour_is_a_gap_not_zero(agg_a):
    for day in ("2026-03-18", "2026-03-25"):  # a NaN count and a missing row
        row = _day(agg_a, day)
        assert math.isnan(row["total"]) and row["hours"] == 23 and row["expected"] == 24
    assert not (agg_a.daily["total"] == 0).any()
    assert _day(agg_a, "2026-03-17")["total"] == 24 * 1000 + 10 * 276


def test_dst_days_total_23_and_25_hours(agg_a, agg_b):
    spring = _day(agg_a, "2026-03-29")
    assert spring["expected"] == 23 and spring["total"] == 24 * 3000 + 2760 - 3020
    autumn = _day(agg_b, "2025-10-26")
    assert autumn["expected"] == 25 and autumn["total"] == 24 * 3000 + 2760 + 3020 + 500


def test_daily_chart_draws_gaps_as_gaps(agg_a):
    chart = fc.daily_chart(agg_a, "de")
    trace = chart.figure.data[0]
    assert trace.connectgaps is False
    ys = dict(zip(trace.x, trace.y, strict=True))
    assert ys["2026-03-18"] is None and ys["2026-03-17"] == 26760
    assert "2 von 28 Tagen mit Messlücke (7,1 %)" in chart.summary
    assert "Höchster Tageswert: 74.760 Passanten am 22.03.2026" in chart.summary
    assert len(chart.figure.layout.shapes) == 2  # one shaded band per gap run
    gap_row = next(r for r in chart.rows if r["date"] == "2026-03-18")
    assert gap_row["total"] is None and gap_row["gap"] == "ja"
    en = fc.daily_chart(agg_a, "en")
    assert "2 of 28 days with a sensor gap (7.1 %)" in en.summary
    json.dumps(chart.rows)


def test_partly_covered_edge_day_is_left_out(counts):
    a = counts[(counts["site_id"] == "A") & (counts["time"] >= _utc("2026-03-16 12:00"))]
    agg = fc.aggregates(a, "A", THURINGIA)
    assert agg.daily["date"].iloc[0] == dt.date(2026, 3, 17)
    # its measured hours still count in the profile: 12:00–23:00 of Mon 16 Mar
    assert _profile(agg, "weekday", 12)[1] == 18 and _profile(agg, "weekday", 11)[1] == 17


# --- year over year -------------------------------------------------------------------------


def test_weekly_totals_by_iso_week(agg_a):
    weekly = agg_a.weekly.set_index("iso_week")
    assert list(weekly.index) == [12, 13, 14, 15]
    assert math.isnan(weekly.loc[12, "total"]) and math.isnan(weekly.loc[13, "total"])
    # Mon–Thu weekdays, Good Friday, Saturday, Sunday
    assert weekly.loc[14, "total"] == 4 * 26760 + 74760 + 50760 + 74760


def test_year_over_year_one_line_per_year(agg_b):
    chart = fc.yoy_chart(agg_b, "de")
    assert [t.name for t in chart.figure.data] == ["2025", "2026"]
    by_year = {t.name: dict(zip(t.x, t.y, strict=True)) for t in chart.figure.data}
    # week 43: five weekdays, a Saturday and the 25-hour Sunday
    assert by_year["2025"][43] == by_year["2026"][43] == 5 * 26760 + 50760 + 78280
    assert by_year["2025"][50] is None  # no counts between the two periods: a gap
    assert all(t.connectgaps is False for t in chart.figure.data)
    assert "höchste Woche: KW 44/2025" in chart.summary
    json.dumps(chart.rows)


def test_empty_site_gives_notes_not_errors(counts):
    profile, daily, yoy = fc.charts_for(counts, "nope", "en")
    assert profile.summary == fc.text(fc.TEXTS, "profile.none", "en")
    assert daily.summary == fc.text(fc.TEXTS, "daily.none", "en")
    assert yoy.summary == fc.text(fc.TEXTS, "yoy.none", "en")


# --- pack, page and callback ----------------------------------------------------------------


class FootfallPack:
    """The demo pack with the synthetic footfall datasets (or without any)."""

    def __init__(self, base: Any, counts: pd.DataFrame | None):
        self._base = base
        self._counts = counts

    def __getattr__(self, name: str) -> Any:
        return getattr(self._base, name)

    def has(self, dataset_id: str) -> bool:
        if dataset_id in (fc.COUNTS, fc.SITES):
            return self._counts is not None
        return bool(self._base.has(dataset_id))

    def table(self, dataset_id: str) -> pd.DataFrame:
        if dataset_id == fc.COUNTS and self._counts is not None:
            return self._counts
        return self._base.table(dataset_id)

    def vector(self, dataset_id: str) -> Any:
        if dataset_id == fc.SITES and self._counts is not None:
            import geopandas as gpd

            lon, lat = self._base.city.centre[1], self._base.city.centre[0]
            return gpd.GeoDataFrame(
                {"site_id": ["B", "A"], "name": ["Bahnhof", "Markt"]},
                geometry=gpd.points_from_xy([lon, lon + 0.01], [lat, lat]),
                crs="EPSG:4326",
            )
        return self._base.vector(dataset_id)


def _ctx(demo_ctx, counts):
    from dashboard.context import AppContext

    return AppContext(demo_ctx.settings, FootfallPack(demo_ctx.pack, counts))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def ff_ctx(demo_ctx, counts):
    return _ctx(demo_ctx, counts)


def _find(root: Any, cid: str) -> Any:
    from tests.test_layout import _walk

    return next(c for c in _walk(root) if getattr(c, "id", None) == cid)


def test_aggregates_are_cached_per_pack(ff_ctx, demo_ctx, counts):
    assert fc.pack_aggregates(ff_ctx.pack, "A") is fc.pack_aggregates(ff_ctx.pack, "A")
    other = _ctx(demo_ctx, counts)
    assert fc.pack_aggregates(other.pack, "A") is not fc.pack_aggregates(ff_ctx.pack, "A")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_page_ids_are_unique(ff_ctx, lang):
    from dashboard.pages import footfall_page
    from dashboard.state import default_view
    from tests.test_layout import _ids

    page = footfall_page.layout(ff_ctx, default_view(ff_ctx.pack.city, lang), search="?site=B")
    found = _ids(page)
    assert not sorted({i for i in found if found.count(i) > 1})
    for required in (
        "footfall-site",
        "footfall-profile-graph",
        "footfall-yoy-grid",
        "nav-footfall",
    ):
        assert required in found
    assert _find(page, "footfall-site").value == "B"
    graph = _find(page, "footfall-daily-graph")
    assert graph.config == {"displaylogo": False, "locale": lang} and graph.figure.data
    assert "lang-link-en" in found and "site=B" in _find(page, "lang-link-en").href
    skeleton = _ids(footfall_page.layout(ff_ctx, default_view(ff_ctx.pack.city, lang), data=False))
    assert set(skeleton) >= {i for i in found if i.startswith("footfall-")}


def test_page_defaults_to_first_site_and_flags_unknown_site(ff_ctx):
    from dashboard.pages import footfall_page
    from dashboard.state import default_view

    page = footfall_page.layout(ff_ctx, default_view(ff_ctx.pack.city, "de"), search="?site=X")
    assert _find(page, "footfall-site").value == "B"  # sites sort by name: "Bahnhof" first
    message = _find(page, "footfall-message")
    assert "Unbekannte Zählstelle: X" in str(message.children[0].children)


def test_page_without_counts_says_so(demo_ctx):
    from dashboard.pages import footfall_page
    from dashboard.state import default_view
    from tests.test_layout import _ids

    ctx = _ctx(demo_ctx, None)
    page = footfall_page.layout(ctx, default_view(ctx.pack.city, "en"))
    texts = [getattr(c, "children", None) for c in _walk_all(page)]
    assert "This city pack has no pedestrian counts (footfall_sites, footfall_counts)." in texts
    assert "footfall-profile-graph" not in _ids(page)


def _walk_all(root: Any):
    from tests.test_layout import _walk

    return list(_walk(root))


def test_router_serves_the_page_in_both_spellings(ff_ctx):
    from dashboard.callbacks.router import render

    for path in ("/fussverkehr", "/footfall/"):
        body, lang = render(ff_ctx, path, "?lang=en&site=B")
        assert lang == "en" and _find(body, "footfall-site").value == "B"


def test_callback_updates_charts_and_url(ff_ctx):
    from dashboard.callbacks.footfall_charts import N_CHART_OUTPUTS, update

    out = update(ff_ctx, "B", "en", "?lang=en&site=A")
    _figure, summary, rows, cols = out[:4]
    assert summary.startswith("Highest on weekdays")
    assert rows and cols[0]["headerName"] == "Day type"
    message, query, link_de, link_en = out[N_CHART_OUTPUTS:]
    assert message == [] and query == "?lang=en&site=B"
    assert link_de == "?site=B&lang=de" and link_en == "?site=B&lang=en"


@pytest.mark.parametrize("site", ["X", "../../etc", {"site_id": "A"}, None, 3])
def test_callback_rejects_unknown_site(ff_ctx, site):
    from dashboard.callbacks.footfall_charts import N_CHART_OUTPUTS, update

    out = update(ff_ctx, site, "de", "")
    assert all(v is no_update for v in out[:N_CHART_OUTPUTS])
    assert out[N_CHART_OUTPUTS].children.startswith("Unbekannte Zählstelle:")
    assert all(v is no_update for v in out[N_CHART_OUTPUTS + 1 :])


def test_app_registers_the_footfall_callback(ff_ctx):
    from dashboard.app import create_app

    app = create_app(context=ff_ctx)
    keys = " ".join(app.callback_map)
    assert "footfall-profile-graph.figure" in keys and "footfall-url-sync.data" in keys
