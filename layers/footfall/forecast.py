"""The forecast of one counting site as people see it: a P10–P90 band, the median, the last
week's counts, and the model card (backtest figures beside three seasonal baselines, the
coverage per lead band, and whether the model beats the best baseline at this site — where it
does not, the artefacts hold that baseline's forecast and the chart names it).

Pure: takes the precomputed artefacts (:mod:`models.artifacts`) and the pack; no fitting here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from data.pack import CityPack
from layers import fmt
from layers.charts import date_axis
from layers.texts import Text, text, tr

T: dict[str, Text] = {
    "band": {"de": "80-%-Intervall (P10–P90)", "en": "80 % interval (P10–P90)"},
    "median": {"de": "Prognose (Median)", "en": "Forecast (median)"},
    "actual": {"de": "Gezählt", "en": "Counted"},
    "y": {"de": "Passanten je Stunde", "en": "Pedestrians per hour"},
    "summary": {
        "de": "Prognose für {name} ab {start}: im Mittel {mean} Passanten je Stunde, höchster "
        "Median {peak} am {peak_time}. 8 von 10 Stunden sollen im Band liegen.",
        "en": "Forecast for {name} from {start}: on average {mean} pedestrians per hour, highest "
        "median {peak} on {peak_time}. 8 in 10 hours should fall within the band.",
    },
    "method": {"de": "Verfahren", "en": "Method"},
    "model": {"de": "Modell", "en": "Model"},
    "naive24": {"de": "Gleiche Stunde gestern", "en": "Same hour yesterday"},
    "naive168": {"de": "Gleiche Stunde letzte Woche", "en": "Same hour last week"},
    "mean4w": {
        "de": "Mittel gleicher Stunde und Wochentag, 4 Wochen",
        "en": "Mean of same hour and weekday, 4 weeks",
    },
    "selected": {
        "de": "Auswahl vor dem Test (Modell oder Vergleich)",
        "en": "Choice made before the test (model or baseline)",
    },
    "bands": {"de": "Abdeckung je Vorlauf", "en": "Coverage by lead time"},
    "beats": {
        "de": "Das Modell schlägt hier die beste Vergleichsmethode ({best}) im Rückblicktest: "
        "MASE {model} statt {base} ({gain} besser). Gezeigt wird die Modellprognose.",
        "en": "The model beats the best baseline ({best}) in this site's backtest: MASE "
        "{model} against {base} ({gain} better). The chart shows the model's forecast.",
    },
    "loses": {
        "de": "Das Modell ist hier im Rückblicktest nicht besser als die beste "
        "Vergleichsmethode ({best}): MASE {model} statt {base}. Gezeigt wird deshalb deren "
        "Prognose, mit einem 80-%-Band aus derselben Kalibrierung.",
        "en": "The model does not beat the best baseline ({best}) in this site's backtest: "
        "MASE {model} against {base}. The chart therefore shows that baseline's forecast, "
        "with an 80 % band from the same calibration.",
    },
    "no_backtest": {
        "de": "Für einen Rückblicktest ist die Zählreihe dieser Zählstelle noch zu kurz: "
        "gezeigt wird die Modellprognose, ohne Vergleich mit einfachen Verfahren.",
        "en": "This site's record is too short for a backtest: the chart shows the model's "
        "forecast, without a comparison with simple baselines.",
    },
    "shown_model": {"de": "Modellprognose (Median)", "en": "Model forecast (median)"},
    "shown_baseline": {"de": "Prognose: {name}", "en": "Forecast: {name}"},
    "mase": {"de": "MASE (kleiner ist besser)", "en": "MASE (lower is better)"},
    "mae": {"de": "MAE (Passanten/h)", "en": "MAE (pedestrians/h)"},
    "coverage": {"de": "Abdeckung 80-%-Band", "en": "80 % band coverage"},
}


def forecast_figure(
    pack: CityPack, artifacts: Any, site: str, name: str, lang: str
) -> tuple[go.Figure, str]:
    """The chart and a one-sentence text summary for ``site``."""
    rows = artifacts.site_forecast(site)
    tz = pack.calendar.timezone  # the city's local clock
    local = rows["time"].dt.tz_convert(tz)
    counts = pack.table("footfall_counts")
    mine = counts[counts["site_id"] == site]
    recent = mine[mine["time"] >= mine["time"].max() - pd.Timedelta(days=7)]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(x=local, y=rows["p90"], line={"width": 0}, showlegend=False, hoverinfo="skip")
    )
    fig.add_trace(
        go.Scatter(
            x=local,
            y=rows["p10"],
            fill="tonexty",
            fillcolor="rgba(8,81,156,0.2)",
            line={"width": 0},
            name=text(T, "band", lang),
        )
    )
    method = str(rows["method"].iloc[0]) if "method" in rows and len(rows) else "model"
    label = (
        text(T, "median", lang)
        if method == "model"
        else text(T, "shown_baseline", lang, name=text(T, METHOD_LABELS.get(method, "model"), lang))
    )
    fig.add_trace(go.Scatter(x=local, y=rows["p50"], line={"color": "#08519c"}, name=label))
    fig.add_trace(
        go.Scatter(
            x=recent["time"].dt.tz_convert(tz),
            y=recent["count"],
            line={"color": "#444444"},
            connectgaps=False,
            name=text(T, "actual", lang),
        )
    )
    fig.update_layout(
        template="plotly_white",
        margin={"l": 50, "r": 10, "t": 10, "b": 40},
        yaxis_title=text(T, "y", lang),
        legend={"orientation": "h", "y": -0.2},
        separators=fmt.plotly_separators(lang),
    )
    date_axis(fig, lang, hours=True)
    if rows.empty:
        return fig, ""
    peak = rows.loc[rows["p50"].idxmax()]
    peak_time = peak["time"].tz_convert(tz)
    summary = text(
        T,
        "summary",
        lang,
        name=name,
        start=f"{fmt.date(local.iloc[0], lang)} {local.iloc[0]:%H:%M}",
        mean=fmt.number(float(rows["p50"].mean()), lang),
        peak=fmt.number(float(peak["p50"]), lang),
        peak_time=f"{fmt.date(peak_time, lang)} {peak_time:%H:%M}",
    )
    return fig, summary


FEATURES: dict[str, Text] = {
    "hour": {"de": "Uhrzeit", "en": "hour of day"},
    "dow": {"de": "Wochentag", "en": "weekday"},
    "day_type": {"de": "Tagesart", "en": "day type"},
    "holiday": {"de": "Feiertag", "en": "public holiday"},
    "short_day": {"de": "24./31. Dezember", "en": "24/31 December"},
    "school": {"de": "Schulferien", "en": "school holidays"},
    "lectures": {"de": "Vorlesungszeit", "en": "lecture period"},
    "event": {"de": "Veranstaltungen", "en": "events"},
    "lead": {"de": "Vorlaufzeit", "en": "lead time"},
    "temperature": {"de": "Temperatur", "en": "temperature"},
    "rain": {"de": "Regen", "en": "rain"},
}


def feature_text(names: list[str], lang: str) -> str:
    """Plain names of the model's features; technical ones (profiles, lags) summarised."""
    plain = [tr(FEATURES[n], lang) for n in names if n in FEATURES]
    if any(n.startswith(("prof_", "anom_", "lag_")) for n in names):
        plain.append(
            tr(
                {
                    "de": "Mittel und Abweichungen der letzten Tage und Wochen",
                    "en": "recent daily and weekly means and deviations",
                },
                lang,
            )
        )
    return ", ".join(plain)


def window_text(window: Any, lang: str) -> str:
    """The training window ``[first, last]`` as the page's dates (``25.03.2024 – 14.04.2024``
    in German, ISO in English); anything else as an en dash."""
    if isinstance(window, (list, tuple)) and len(window) == 2:
        return f"{fmt.date(str(window[0]), lang)} – {fmt.date(str(window[1]), lang)}"
    return "–"


NUMBER_KEYS = ("mase", "mae", "coverage")


def band_header(band: str) -> str:
    """``"1-24"`` (the backtest's key) as a column header: ``1–24 h`` (no break before h)."""
    return band.replace("-", "–") + "\u00a0h"


BAND_HEADERS = tuple(band_header(b) for b in ("1-24", "25-72", "73-168", "169-336"))


def number_columns(lang: str) -> set[str]:
    """The headers of :func:`card_rows` and :func:`band_rows` whose cells are numbers (to be
    right-aligned)."""
    return {text(T, k, lang) for k in NUMBER_KEYS} | set(BAND_HEADERS)


METHOD_LABELS = {
    "model": "model",
    "seasonal_naive_24": "naive24",
    "seasonal_naive_168": "naive168",
    "seasonal_mean_4w": "mean4w",
    "selected": "selected",
}


def _scores(artifacts: Any, site: str | None) -> dict[str, Any] | None:
    bt = artifacts.card.get("backtest") or {}
    scores = (bt.get("sites") or {}).get(site) if site else bt.get("overall")
    return scores or None


def verdict_text(artifacts: Any, site: str | None, lang: str) -> str:
    """One plain sentence: does the model beat the best baseline here, and what is shown."""
    scores = _scores(artifacts, site)
    if site and not scores:  # a site too short for a backtest window: no comparison
        return text(T, "no_backtest", lang)
    if not scores or not scores.get("best_baseline"):
        return ""
    best = scores["best_baseline"]
    model = (scores.get("model") or {}).get("mase")
    base = scores.get("best_baseline_mase")
    key = "beats" if scores.get("model_beats_best_baseline") else "loses"
    return text(
        T,
        key,
        lang,
        best=text(T, METHOD_LABELS.get(best, "model"), lang),
        model=fmt.number(model, lang, 2),
        base=fmt.number(base, lang, 2),
        gain=fmt.percent(scores.get("improvement"), lang),
    )


def band_rows(artifacts: Any, site: str | None, lang: str) -> list[dict[str, str]]:
    """80 % coverage per lead band (1–24 h, 25–72 h, 73–168 h) of the model and baselines."""
    scores = _scores(artifacts, site)
    if not scores:
        return []
    bands = list((scores.get("model") or {}).get("coverage_80_by_lead") or {})
    out = []
    for key in ("model", "seasonal_naive_24", "seasonal_naive_168", "seasonal_mean_4w"):
        by = (scores.get(key) or {}).get("coverage_80_by_lead") or {}
        row = {text(T, "method", lang): text(T, METHOD_LABELS[key], lang)}
        for band in bands:
            value = by.get(band)
            row[band_header(band)] = fmt.percent(value, lang) if value is not None else "–"
        out.append(row)
    return out


def card_rows(artifacts: Any, site: str | None, lang: str) -> list[dict[str, str]]:
    """Backtest figures of the model, the three baselines and the choice made before the
    test, for ``site`` or overall."""
    scores = _scores(artifacts, site)
    if not scores:
        return []
    out = []
    for key, label in METHOD_LABELS.items():
        if key not in scores:
            continue
        s = scores.get(key) or {}
        cov = s.get("coverage_80")
        out.append(
            {
                text(T, "method", lang): text(T, label, lang),
                text(T, "mase", lang): fmt.number(s.get("mase"), lang, 2),
                text(T, "mae", lang): fmt.number(s.get("mae"), lang, 1),
                text(T, "coverage", lang): fmt.percent(cov, lang) if cov is not None else "–",
            }
        )
    return out
