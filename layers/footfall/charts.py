"""Footfall charts for one counting site: pure functions from house-format counts to figures.

Three views, each a :class:`Chart` (plotly figure + short de/en text summary + the data
table behind it):

* :func:`profile_chart`: the mean hourly profile in LOCAL time (the pack's time zone) by day type
  (weekday / Saturday / Sunday or public holiday). On the 25-hour autumn day both 02:00
  hours count into hour 2; on the 23-hour spring day hour 2 is simply absent.
* :func:`daily_chart`: daily totals per local day. A day with any missing hour is a gap
  (NaN, drawn as a break with ``connectgaps=False``), never a zero.
* :func:`yoy_chart`: weekly totals by ISO week, one line per ISO year; a week with a gap
  day is a gap.

Days (and weeks) at the very start or end of a site's series that are only partly inside
the counted period are left out of the daily and weekly totals: they were not measured,
they are not sensor gaps. Their measured hours still count in the hourly profile.

The aggregates per pack and site are cached (:func:`pack_aggregates`); figures are cheap
and built per language. No Dash here.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from data.calendar import CityCalendar
from data.pack import CityPack
from layers import fmt
from layers.charts import Chart, Column, date_axis, layout
from layers.texts import Text, text

COUNTS = "footfall_counts"
SITES = "footfall_sites"
DAY_TYPES = ("weekday", "saturday", "sunday_holiday")
# every line ≥ 3:1 on the white chart (WCAG 1.4.11)
COLORS = {"weekday": "#1f5f8b", "saturday": "#b36200", "sunday_holiday": "#7a3e9d"}
YEAR_COLORS = ("#758190", "#1f5f8b", "#b36200", "#7a3e9d", "#2a9d8f", "#c0392b")

TEXTS: dict[str, Text] = {
    "weekday": {"de": "Werktag", "en": "Weekday"},
    "saturday": {"de": "Samstag", "en": "Saturday"},
    "sunday_holiday": {"de": "Sonn- und Feiertag", "en": "Sunday or public holiday"},
    "weekday.adv": {"de": "werktags", "en": "on weekdays"},
    "saturday.adv": {"de": "samstags", "en": "on Saturdays"},
    "sunday_holiday.adv": {"de": "sonn- und feiertags", "en": "on Sundays and holidays"},
    "profile.title": {
        "de": "Tagesgang nach Tagesart (Ortszeit)",
        "en": "Hourly profile by day type (local time)",
    },
    "profile.x": {"de": "Uhrzeit (Stunde, Ortszeit)", "en": "Time of day (hour, local time)"},
    "profile.y": {"de": "Passanten je Stunde (Mittel)", "en": "Pedestrians per hour (mean)"},
    "profile.peak": {
        "de": "Höchster Wert {when} um {hour} Uhr: {value} Passanten je Stunde "
        "(Mittel aus {n} Tagen).",
        "en": "Highest {when} at {hour}:00: {value} pedestrians per hour (mean of {n} days).",
    },
    "profile.none": {
        "de": "Für diese Zählstelle liegen keine gemessenen Stunden vor.",
        "en": "There are no measured hours for this site.",
    },
    "daily.title": {"de": "Tagessummen", "en": "Daily totals"},
    "daily.x": {"de": "Datum", "en": "Date"},
    "daily.y": {"de": "Passanten je Tag", "en": "Pedestrians per day"},
    "daily.trace": {"de": "Tagessumme", "en": "Daily total"},
    "daily.gap": {"de": "Messlücke", "en": "Sensor gap"},
    "daily.missing": {
        "de": "{gaps} von {days} Tagen mit Messlücke ({share})",
        "en": "{gaps} of {days} days with a sensor gap ({share})",
    },
    "daily.summary": {
        "de": "Tagessummen vom {first} bis {last}; {missing}. "
        "Höchster Tageswert: {value} Passanten am {date}.",
        "en": "Daily totals from {first} to {last}; {missing}. "
        "Highest daily total: {value} pedestrians on {date}.",
    },
    "daily.summary.nodata": {
        "de": "Tagessummen vom {first} bis {last}; {missing}. Kein vollständig gezählter Tag.",
        "en": "Daily totals from {first} to {last}; {missing}. No fully counted day.",
    },
    "daily.none": {
        "de": "Für diese Zählstelle liegt kein vollständig abgedeckter Tag vor.",
        "en": "There is no fully covered day for this site.",
    },
    "yoy.title": {
        "de": "Wochensummen im Jahresvergleich (ISO-Kalenderwoche)",
        "en": "Weekly totals year over year (ISO week)",
    },
    "yoy.x": {"de": "Kalenderwoche", "en": "ISO week"},
    "yoy.y": {"de": "Passanten je Woche", "en": "Pedestrians per week"},
    "yoy.summary": {
        "de": "Wochensummen für {years}; höchste Woche: KW {week}/{year} mit {value} "
        "Passanten; {gaps} von {weeks} Wochen mit Messlücke.",
        "en": "Weekly totals for {years}; highest week: week {week}/{year} with {value} "
        "pedestrians; {gaps} of {weeks} weeks with a sensor gap.",
    },
    "yoy.summary.nodata": {
        "de": "Wochensummen für {years}; keine vollständig gezählte Woche ({gaps} von {weeks} "
        "Wochen mit Messlücke).",
        "en": "Weekly totals for {years}; no fully counted week ({gaps} of {weeks} weeks "
        "with a sensor gap).",
    },
    "yoy.none": {
        "de": "Für diese Zählstelle liegt keine vollständig abgedeckte Woche vor.",
        "en": "There is no fully covered week for this site.",
    },
    "col.day_type": {"de": "Tagesart", "en": "Day type"},
    "col.hour": {"de": "Stunde", "en": "Hour"},
    "col.mean": {"de": "Mittel je Stunde", "en": "Mean per hour"},
    "col.n": {"de": "Anzahl Stunden", "en": "Hours counted"},
    "col.date": {"de": "Datum", "en": "Date"},
    "col.total": {"de": "Summe", "en": "Total"},
    "col.hours": {"de": "Gemessene Stunden", "en": "Hours measured"},
    "col.expected": {"de": "Stunden des Tages", "en": "Hours in the day"},
    "col.gap": {"de": "Messlücke", "en": "Sensor gap"},
    "col.year": {"de": "Jahr", "en": "Year"},
    "col.week": {"de": "KW", "en": "Week"},
    "col.days": {"de": "Vollständige Tage", "en": "Complete days"},
    "yes": {"de": "ja", "en": "yes"},
    "no": {"de": "nein", "en": "no"},
}


# --- calendar ------------------------------------------------------------------------------


def day_types(dates: list[dt.date], calendar: CityCalendar | None = None) -> list[str]:
    """``weekday``, ``saturday`` or ``sunday_holiday`` per local date, with the public holidays
    of ``calendar`` (the pack's; default: the documented defaults of :mod:`data.calendar`)."""
    if not dates:
        return []
    cal = calendar if calendar is not None else CityCalendar()
    return [str(v) for v in cal.day_type(dates)]


def hours_in_local_day(day: dt.date, tz: str | None = None) -> int:
    """23, 24 or 25: the hours of a local calendar day in the time zone ``tz``."""
    zone = tz or CityCalendar().timezone
    start = pd.Timestamp(day).tz_localize(zone)
    end = pd.Timestamp(day + dt.timedelta(days=1)).tz_localize(zone)
    return int((end - start) / pd.Timedelta(hours=1))


# --- aggregates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteAggregates:
    """The numbers behind the charts of one site (treat as read-only: they are cached)."""

    site_id: str
    hours: pd.DataFrame  # time (UTC), count, date (local), hour (local), day_type
    daily: pd.DataFrame  # date, total (NaN = gap), hours, expected, day_type
    weekly: pd.DataFrame  # iso_year, iso_week, total (NaN = gap), days


def site_hours(
    counts: pd.DataFrame, site_id: str, calendar: CityCalendar | None = None
) -> pd.DataFrame:
    """One site's hours from its first to its last counted hour, gaps as NaN, labels in the
    local time and with the day types of ``calendar`` (the pack's)."""
    cal = calendar if calendar is not None else CityCalendar()
    sel = counts[counts["site_id"].astype(str) == site_id]
    times = pd.to_datetime(sel["time"], utc=True)
    values = pd.to_numeric(sel["count"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    series = pd.Series(values, index=pd.DatetimeIndex(times)).sort_index()
    series = series[~series.index.duplicated(keep="first")]
    if series.empty:
        return pd.DataFrame(
            {
                "time": pd.DatetimeIndex([], tz="UTC"),
                "count": pd.Series([], dtype=float),
                "date": pd.Series([], dtype=object),
                "hour": pd.Series([], dtype=int),
                "day_type": pd.Series([], dtype=object),
            }
        )
    idx = pd.date_range(series.index.min(), series.index.max(), freq="h")
    local = cal.local(idx)
    frame = pd.DataFrame(
        {
            "time": idx,
            "count": series.reindex(idx).to_numpy(dtype=float),
            "date": local.date,
            "hour": local.hour.to_numpy(dtype=int),
        }
    )
    dates = list(pd.unique(frame["date"]))
    frame["day_type"] = frame["date"].map(dict(zip(dates, day_types(dates, cal), strict=True)))
    return frame


def daily_totals(hours: pd.DataFrame, tz: str | None = None) -> pd.DataFrame:
    """Totals per local day (time zone ``tz``); NaN if any hour is missing. Edge days only
    partly counted are dropped."""
    cols = ["date", "total", "hours", "expected", "day_type"]
    if hours.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    grouped = hours.groupby("date", sort=True)
    out = pd.DataFrame(
        {
            "total": grouped["count"].sum(min_count=1),
            "hours": grouped["count"].count(),
            "rows": grouped["count"].size(),
            "day_type": grouped["day_type"].first(),
        }
    )
    out["expected"] = [hours_in_local_day(d, tz) for d in out.index]
    out = out[out["rows"] == out["expected"]]  # the partly covered first/last day
    out.loc[out["hours"] < out["expected"], "total"] = np.nan
    out = out.rename_axis("date").reset_index()
    return out[cols].astype({"total": float, "hours": int, "expected": int})


def weekly_totals(daily: pd.DataFrame) -> pd.DataFrame:
    """Totals per ISO week; NaN if any day of the week is a gap; partial edge weeks dropped."""
    cols = ["iso_year", "iso_week", "total", "days"]
    if daily.empty:
        return pd.DataFrame({c: pd.Series([], dtype=float) for c in cols})
    iso = [d.isocalendar() for d in daily["date"]]
    frame = daily.assign(iso_year=[i[0] for i in iso], iso_week=[i[1] for i in iso])
    grouped = frame.groupby(["iso_year", "iso_week"], sort=True)
    out = pd.DataFrame(
        {
            "total": grouped["total"].sum(min_count=1),
            "days": grouped["total"].count(),
            "rows": grouped["total"].size(),
        }
    ).reset_index()
    out = out[out["rows"] == 7]
    out.loc[out["days"] < 7, "total"] = np.nan
    return out[cols].astype({"iso_year": int, "iso_week": int, "total": float, "days": int})


def hourly_profile(hours: pd.DataFrame) -> pd.DataFrame:
    """Mean count per local hour (0–23) and day type over measured hours; ``n`` = samples."""
    measured = hours[hours["count"].notna()]
    grid = pd.MultiIndex.from_product([DAY_TYPES, range(24)], names=["day_type", "hour"])
    grouped = measured.groupby(["day_type", "hour"])["count"]
    out = pd.DataFrame({"mean": grouped.mean(), "n": grouped.size()}).reindex(grid)
    out["n"] = out["n"].fillna(0).astype(int)
    return out.reset_index()


def aggregates(
    counts: pd.DataFrame, site_id: str, calendar: CityCalendar | None = None
) -> SiteAggregates:
    """Hours, days and weeks of one site in the local time of ``calendar`` (the pack's)."""
    cal = calendar if calendar is not None else CityCalendar()
    hours = site_hours(counts, site_id, cal)
    daily = daily_totals(hours, cal.timezone)
    return SiteAggregates(site_id, hours, daily, weekly_totals(daily))


@lru_cache(maxsize=128)
def pack_aggregates(pack: CityPack, site_id: str) -> SiteAggregates:
    """Cached per pack object (a new pack version is a new object) and site."""
    return aggregates(pack.table(COUNTS), site_id, pack.calendar)


def available(pack: CityPack) -> bool:
    return pack.has(COUNTS) and pack.has(SITES)


@lru_cache(maxsize=16)
def sites(pack: CityPack) -> tuple[tuple[str, str], ...]:
    """``(site_id, name)`` of every counting site, by name (cached per pack)."""
    frame = pack.vector(SITES)
    pairs = [(str(s), str(n)) for s, n in zip(frame["site_id"], frame["name"], strict=True)]
    return tuple(sorted(pairs, key=lambda p: (p[1], p[0])))


# --- charts --------------------------------------------------------------------------------


def _num(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 1)


def _date(day: dt.date, lang: str) -> str:
    return fmt.date(day, lang)


def _columns(lang: str, **kinds: str) -> tuple[Column, ...]:
    """Table columns ``field=kind``; the hourly mean with 1 decimal (totals are whole)."""
    return tuple(
        Column(f, text(TEXTS, f"col.{f}", lang), k, decimals=1 if f == "mean" else None)
        for f, k in kinds.items()
    )


def profile_chart(agg: SiteAggregates, lang: str) -> Chart:
    prof = hourly_profile(agg.hours)
    fig = go.Figure()
    sentences = []
    for kind in DAY_TYPES:
        part = prof[prof["day_type"] == kind]
        fig.add_trace(
            go.Scatter(
                x=part["hour"].tolist(),
                y=[_num(v) for v in part["mean"]],
                mode="lines+markers",
                name=text(TEXTS, kind, lang),
                line={"color": COLORS[kind]},
                connectgaps=False,
            )
        )
        if part["mean"].notna().any():
            best = part.loc[part["mean"].idxmax()]
            days = agg.hours.loc[agg.hours["day_type"] == kind]
            n_days = int(days.loc[days["count"].notna(), "date"].nunique())
            sentences.append(
                text(
                    TEXTS,
                    "profile.peak",
                    lang,
                    when=text(TEXTS, f"{kind}.adv", lang),
                    hour=int(best["hour"]),
                    value=fmt.number(best["mean"], lang),
                    n=n_days,
                )
            )
    layout(
        fig,
        text(TEXTS, "profile.title", lang),
        text(TEXTS, "profile.x", lang),
        text(TEXTS, "profile.y", lang),
        lang,
    )
    fig.update_xaxes(tickmode="linear", tick0=0, dtick=1, range=[-0.5, 23.5])
    rows = [
        {
            "day_type": text(TEXTS, str(r.day_type), lang),
            "hour": int(r.hour),
            "mean": _num(float(r.mean)),
            "n": int(r.n),
        }
        for r in prof.itertuples()
        if r.n > 0
    ]
    columns = _columns(lang, day_type="text", hour="integer", mean="number", n="number")
    summary = " ".join(sentences) or text(TEXTS, "profile.none", lang)
    return Chart(fig, summary, rows, columns)


def _gap_ranges(daily: pd.DataFrame) -> list[tuple[dt.date, dt.date]]:
    """Runs of consecutive gap days as (first, last) pairs."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day, total in zip(daily["date"], daily["total"], strict=True):
        if not math.isnan(total):
            continue
        if runs and runs[-1][1] + dt.timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def missing_share(daily: pd.DataFrame) -> float:
    """Share of days with a sensor gap (0 for no days)."""
    return float(daily["total"].isna().mean()) if len(daily) else 0.0


def daily_chart(agg: SiteAggregates, lang: str) -> Chart:
    daily = agg.daily
    fig = go.Figure(
        go.Scatter(
            x=[d.isoformat() for d in daily["date"]],
            y=[_num(v) for v in daily["total"]],
            mode="lines+markers",
            name=text(TEXTS, "daily.trace", lang),
            line={"color": COLORS["weekday"]},
            marker={"size": 4},
            connectgaps=False,
        )
    )
    for first, last in _gap_ranges(daily)[:200]:
        fig.add_vrect(
            x0=(pd.Timestamp(first) - pd.Timedelta(hours=12)).isoformat(),
            x1=(pd.Timestamp(last) + pd.Timedelta(hours=12)).isoformat(),
            fillcolor="#999999",
            opacity=0.2,
            line_width=0,
        )
    gaps = int(daily["total"].isna().sum())
    missing = text(
        TEXTS,
        "daily.missing",
        lang,
        gaps=fmt.number(gaps, lang),
        days=fmt.number(len(daily), lang),
        share=fmt.percent(missing_share(daily), lang),
    )
    layout(
        fig,
        f"{text(TEXTS, 'daily.title', lang)} – {missing}",
        text(TEXTS, "daily.x", lang),
        text(TEXTS, "daily.y", lang),
        lang,
    )
    date_axis(fig, lang)
    if daily.empty:
        summary = text(TEXTS, "daily.none", lang)
    else:
        start, end = _date(daily["date"].iloc[0], lang), _date(daily["date"].iloc[-1], lang)
        if daily["total"].notna().any():
            best = daily.loc[daily["total"].idxmax()]
            summary = text(
                TEXTS,
                "daily.summary",
                lang,
                first=start,
                last=end,
                missing=missing,
                value=fmt.number(best["total"], lang),
                date=_date(best["date"], lang),
            )
        else:
            summary = text(
                TEXTS, "daily.summary.nodata", lang, first=start, last=end, missing=missing
            )
    yes, no = text(TEXTS, "yes", lang), text(TEXTS, "no", lang)
    rows = [
        {
            "date": r.date.isoformat(),
            "day_type": text(TEXTS, str(r.day_type), lang),
            "total": _num(float(r.total)),
            "hours": int(r.hours),
            "expected": int(r.expected),
            "gap": yes if math.isnan(r.total) else no,
        }
        for r in daily.itertuples()
    ]
    columns = _columns(
        lang,
        date="date",
        day_type="text",
        total="number",
        hours="integer",
        expected="integer",
        gap="text",
    )
    return Chart(fig, summary, rows, columns)


def yoy_chart(agg: SiteAggregates, lang: str) -> Chart:
    weekly = agg.weekly
    fig = go.Figure()
    years = sorted(int(y) for y in pd.unique(weekly["iso_year"]))
    for i, year in enumerate(years):
        part = weekly[weekly["iso_year"] == year]
        fig.add_trace(
            go.Scatter(
                x=[int(w) for w in part["iso_week"]],
                y=[_num(v) for v in part["total"]],
                mode="lines+markers",
                name=str(year),
                line={"color": YEAR_COLORS[(i - len(years)) % len(YEAR_COLORS)]},
                connectgaps=False,
            )
        )
    layout(
        fig,
        text(TEXTS, "yoy.title", lang),
        text(TEXTS, "yoy.x", lang),
        text(TEXTS, "yoy.y", lang),
        lang,
    )
    fig.update_xaxes(range=[0.5, 53.5], dtick=4, tick0=1)
    gaps = int(weekly["total"].isna().sum())
    if weekly.empty:
        summary = text(TEXTS, "yoy.none", lang)
    else:
        common = {
            "years": ", ".join(str(y) for y in years),
            "gaps": fmt.number(gaps, lang),
            "weeks": fmt.number(len(weekly), lang),
        }
        if weekly["total"].notna().any():
            best = weekly.loc[weekly["total"].idxmax()]
            summary = text(
                TEXTS,
                "yoy.summary",
                lang,
                week=int(best["iso_week"]),
                year=int(best["iso_year"]),
                value=fmt.number(best["total"], lang),
                **common,
            )
        else:
            summary = text(TEXTS, "yoy.summary.nodata", lang, **common)
    yes, no = text(TEXTS, "yes", lang), text(TEXTS, "no", lang)
    rows = [
        {
            "year": int(r.iso_year),
            "week": int(r.iso_week),
            "total": _num(float(r.total)),
            "days": int(r.days),
            "gap": yes if math.isnan(r.total) else no,
        }
        for r in weekly.itertuples()
    ]
    columns = _columns(
        lang, year="integer", week="integer", total="number", days="integer", gap="text"
    )
    return Chart(fig, summary, rows, columns)


def site_charts(pack: CityPack, site_id: str, lang: str) -> tuple[Chart, Chart, Chart]:
    """Profile, daily series and year over year for one site of the pack."""
    known = {s for s, _ in sites(pack)}
    if site_id not in known:
        raise KeyError(f"unknown footfall site {site_id!r}")
    agg = pack_aggregates(pack, site_id)
    return profile_chart(agg, lang), daily_chart(agg, lang), yoy_chart(agg, lang)


def charts_for(
    counts: pd.DataFrame, site_id: str, lang: str, calendar: CityCalendar | None = None
) -> tuple[Chart, Chart, Chart]:
    """The same three charts straight from a counts frame (no pack, no cache)."""
    agg = aggregates(counts, site_id, calendar)
    return profile_chart(agg, lang), daily_chart(agg, lang), yoy_chart(agg, lang)


__all__ = [
    "Chart",
    "SiteAggregates",
    "aggregates",
    "available",
    "daily_chart",
    "daily_totals",
    "day_types",
    "hourly_profile",
    "pack_aggregates",
    "profile_chart",
    "site_charts",
    "sites",
    "weekly_totals",
    "yoy_chart",
]
