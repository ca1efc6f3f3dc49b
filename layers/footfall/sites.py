"""Counting sites: how busy is each site lately, and how does that compare with last year?

Each site is a circle sized by its mean daily count over the last 28 days with data. The
popup gives the last 7 days' total, the change against the same 7 days 52 weeks earlier
(same weekdays) and the share of missing hours in those 7 days. Figures come from the
footfall cube (local days in the pack's time zone); a day counts only where all its hours were
measured — a gap is never read as zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

import numpy as np

from data.pack import CityPack
from layers import fmt, tables, themes
from layers.base import Layer, LayerData, LayerStyle, LayerTable, Legend, LegendEntry, TableColumn
from layers.footfall.cube import cube
from layers.texts import Text, text, tr

COLOR = "#08519c"
TITLE: Text = {"de": "Fußverkehr: Zählstellen", "en": "Footfall: counting sites"}
T: dict[str, Text] = {
    "last7": {"de": "Letzte 7 Tage", "en": "Last 7 days"},
    "yoy": {"de": "Veränderung zur Vorjahreswoche", "en": "Change vs. same week last year"},
    "missing": {"de": "Fehlende Stunden", "en": "Missing hours"},
    "per_day": {"de": "Mittel je Tag (28 Tage)", "en": "Mean per day (28 days)"},
    "until": {"de": "bis", "en": "to"},
    "incomplete": {"de": "unvollständig", "en": "incomplete"},
    "none": {"de": "keine Vergleichswerte", "en": "no comparison data"},
}


def site_summary(pack: CityPack) -> list[dict[str, Any]]:
    """Per site: last 7 days total, same week last year, change, missing share, mean per day.

    "Last 7 days" end on the last day on which any site was counted completely; a total
    over days with gaps is the sum of the measured hours and marked ``incomplete``.
    """
    c = cube(pack)
    missing = c.missing_hours()  # [n_dates, n_sites]
    measured = np.nansum(c.values, axis=1)
    complete = missing == 0
    daily = np.where(complete, measured, np.nan)
    full_days = np.flatnonzero(complete.any(axis=1))
    end = int(full_days[-1]) + 1 if full_days.size else len(c.dates)
    last7 = slice(max(0, end - 7), end)
    prev = slice(end - 7 - 364, end - 364)
    out = []
    for j, site in enumerate(c.site_ids):
        recent = daily[max(0, end - 28) : end, j]
        before = daily[prev, j] if prev.start >= 0 else np.array([])
        total = float(measured[last7, j].sum())
        before_total = (
            float(before.sum()) if before.size == 7 and np.isfinite(before).all() else np.nan
        )
        incomplete = bool((missing[last7, j] > 0).any())
        out.append(
            {
                "site_id": site,
                "name": c.names[j],
                "last_date": str(c.dates[end - 1]) if end else "–",
                "last7_total": total,
                "incomplete": incomplete,
                "last_year_total": before_total,
                "change": (total / before_total - 1)
                if np.isfinite(before_total) and before_total > 0 and not incomplete
                else np.nan,
                "missing_share_7d": float(missing[last7, j].sum())
                / float(c.hours_in_day[last7].sum()),
                "mean_daily": float(np.nanmean(recent)) if np.isfinite(recent).any() else np.nan,
            }
        )
    return out


def _popup(row: dict[str, Any], lang: str) -> str:
    change = row.get("change", np.nan)
    change_text = (
        text(T, "none", lang)
        if not np.isfinite(change)
        else ("+" if change > 0 else "") + fmt.percent(change, lang)
    )
    return (
        f"<strong>{escape(row['name'])}</strong><br>"
        f"{text(T, 'last7', lang)} ({text(T, 'until', lang)} {row.get('last_date', '–')}): "
        f"{fmt.number(row.get('last7_total'), lang)}"
        f"{' (' + text(T, 'incomplete', lang) + ')' if row.get('incomplete') else ''}<br>"
        f"{text(T, 'yoy', lang)}: {change_text}<br>"
        f"{text(T, 'missing', lang)}: {fmt.percent(row.get('missing_share_7d'), lang)}<br>"
        f"{text(T, 'per_day', lang)}: {fmt.number(row.get('mean_daily'), lang)}"
    )


def build(pack: CityPack, lang: str) -> LayerData:
    rows = {r["site_id"]: r for r in site_summary(pack)}
    sites = pack.vector("footfall_sites")
    peak = max(
        (r["mean_daily"] for r in rows.values() if np.isfinite(r["mean_daily"])), default=1.0
    )
    features = []
    for site_id, name, geom in zip(sites["site_id"], sites["name"], sites.geometry, strict=True):
        row = rows.get(str(site_id), {"name": name, "mean_daily": np.nan})
        # every site at zero (a valid pack) has no peak to scale by: all get the smallest dot
        size = row["mean_daily"] / peak if np.isfinite(row["mean_daily"]) and peak > 0 else 0.0
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(geom.x, 6), round(geom.y, 6)]},
                "properties": {
                    "site_id": str(site_id),
                    "name": str(name),
                    "radius": round(5 + 13 * float(np.sqrt(size)), 1),
                    "tooltip": escape(str(name)),
                    "popup": _popup({**row, "name": str(name)}, lang),
                },
            }
        )
    return LayerData(
        geojson={"type": "FeatureCollection", "features": features}, table=list(rows.values())
    )


def style(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerStyle:
    label = {
        "de": "Zählstelle (Größe: Passanten je Tag)",
        "en": "Counting site (size: pedestrians per day)",
    }
    return LayerStyle(
        hideout={"color": COLOR},
        legend=Legend(title=tr(TITLE, lang), entries=(LegendEntry(COLOR, tr(label, lang)),)),
    )


@tables.cached_table(maxsize=8)
def table(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerTable:
    """Per site, the numbers of its marker popup: pedestrians in the last 7 days, the change
    against the same 7 days 52 weeks earlier, the share of missing hours and the mean per day
    over 28 days; a note where the 7 days have gaps."""
    summary_rows = site_summary(pack)
    rows = [
        {
            "site_id": r["site_id"],
            "name": r["name"],
            "last7_total": tables.num(r["last7_total"]),
            "change": tables.pct(r["change"]),
            "missing_share_7d": tables.pct(r["missing_share_7d"]),
            "mean_daily": tables.num(r["mean_daily"]),
            "note": text(T, "incomplete", lang) if r["incomplete"] else None,
        }
        for r in summary_rows
    ]
    pedestrians = {"de": "Passanten", "en": "pedestrians"}
    columns = (
        TableColumn("name", tr({"de": "Zählstelle", "en": "Counting site"}, lang), "text"),
        TableColumn("last7_total", text(T, "last7", lang), "number", tr(pedestrians, lang)),
        TableColumn("change", text(T, "yoy", lang), "percent", "%", 1),
        TableColumn("missing_share_7d", text(T, "missing", lang), "percent", "%", 1),
        TableColumn("mean_daily", text(T, "per_day", lang), "number", tr(pedestrians, lang)),
        TableColumn("note", tr({"de": "Hinweis", "en": "Note"}, lang), "text"),
    )
    last = summary_rows[0]["last_date"] if summary_rows else "–"
    what = {
        "de": "Je Zählstelle die Zahlen aus dem Marker-Popup: Passanten in den letzten 7 Tagen "
        f"(bis {last}), Veränderung gegenüber denselben Wochentagen 52 Wochen früher (in %; "
        "leer ohne vollständige Vergleichswerte), Anteil fehlender Messstunden in den 7 Tagen "
        "und Passanten je Tag im Mittel der letzten 28 Tage. Lücken werden nie als null "
        "gezählt; eine Summe über Tage mit Lücken ist als unvollständig markiert.",
        "en": "Per counting site the numbers of the marker popup: pedestrians in the last 7 days "
        f"(to {last}), change against the same weekdays 52 weeks earlier (in %; empty without "
        "complete comparison data), share of missing hours in the 7 days and pedestrians per "
        "day on average over the last 28 days. Gaps never count as zero; a total over days "
        "with gaps is marked incomplete.",
    }
    summary = tables.high_low_sentence(
        rows,
        "last7_total",
        "name",
        tables.number_text(tr(pedestrians, lang), 0, lang),
        lang,
        {
            "de": "Die meisten Passanten in den letzten 7 Tagen: {hi} ({hi_v}); die wenigsten: "
            "{lo} ({lo_v}).",
            "en": "Most pedestrians in the last 7 days: {hi} ({hi_v}); fewest: {lo} ({lo_v}).",
        },
    )
    return LayerTable(
        columns=columns,
        rows=rows,
        caption=tables.caption(pack, lang, tr(what, lang)),
        summary=summary,
        key="site_id",
    )


LAYER = Layer(
    id="footfall-sites",
    title=TITLE,
    theme=themes.FOOTFALL,
    panel_order=10,
    description={
        "de": (
            "Die Zählstellen für Passanten. Je größer der Kreis, desto mehr Menschen gehen dort "
            "im Mittel täglich vorbei. Ein Klick zeigt die letzten 7 Tage, den Vergleich mit der "
            "Vorjahreswoche und den Anteil fehlender Messstunden."
        ),
        "en": (
            "The pedestrian counting sites. The larger the circle, the more people pass there "
            "per day on average. A click shows the last 7 days, the comparison with the same "
            "week last year and the share of missing hours."
        ),
    },
    requires=("footfall_sites", "footfall_counts"),
    render="geojson",
    build=build,
    style=style,
    default_on=False,
    default_opacity=0.9,
    js_style="siteMarker",
    point_to_layer="siteMarker",
    table=table,
)
