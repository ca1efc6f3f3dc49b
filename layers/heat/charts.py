"""Charts of the heat page: who bears the heat, and how are hot days trending?

Each chart is a plotly figure plus a plain-language summary and the table of the numbers
behind it (:class:`layers.charts.Chart`), in German or English. Inputs are the JSON-able
reports of :func:`layers.heat.justice.justice` and :func:`models.climate_trend.trend_report`,
so the page shows exactly what ``allmende heat justice|trend --json`` prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from layers import fmt
from layers.charts import Chart, Column, layout
from layers.heat.justice import EXPOSURES
from layers.tables import num
from layers.texts import Text, text, tr
from models.climate_trend import INDEX_LABELS, MIN_YEARS
from models.heat import BY_ID
from models.justice import GROUPS

# labels written once: the trend indices' in models.climate_trend, the exposures' (the
# indicators of the heat vulnerability index) in models.heat
INDICES: Mapping[str, Text] = INDEX_LABELS
EXPOSURE_LABEL: dict[str, Text] = {v: BY_ID[v].label for v in EXPOSURES}
# Okabe–Ito: distinguishable with colour-vision deficiencies
GROUP_COLORS = {"all": "#0072b2", "65plus": "#d55e00", "under6": "#009e73"}
# The tables behind the charts declare their columns (:class:`layers.charts.Column`): the rows
# keep raw numbers (the grids sort them as numbers) and the page shows them in its language
# with the declared decimals ("22.568", "100,9" in German); years and ranks are ``integer``
# columns, never grouped ("2024", not "2.024").

TEXTS: dict[str, Text] = {
    "groups.title": {"de": "Hitzebelastung nach Gruppe", "en": "Heat exposure by group"},
    "groups.y": {
        "de": "Mittel, nach Einwohnern gewichtet (°C)",
        "en": "Population-weighted mean (°C)",
    },
    "groups.summary": {
        "de": "{variable}: Im Mittel erleben alle Einwohner {all} °C, Menschen ab 65 {old} °C "
        "und Kinder unter 6 {young} °C. In der heißesten Klasse (über {threshold} °C) leben "
        "{share_all} aller Einwohner, {share_old} der Menschen ab 65 und {share_young} der "
        "Kinder unter 6.",
        "en": "{variable}: on average all residents experience {all} °C, people aged 65+ "
        "{old} °C and children under 6 {young} °C. The hottest class (above {threshold} °C) "
        "holds {share_all} of all residents, {share_old} of people aged 65+ and {share_young} "
        "of children under 6.",
    },
    "col.group": {"de": "Gruppe", "en": "Group"},
    "col.persons": {"de": "Personen", "en": "Persons"},
    "col.mean": {"de": "Mittlere Belastung", "en": "Mean exposure"},
    "col.hot": {"de": "In der heißesten Klasse", "en": "In the hottest class"},
    "col.hot_share": {"de": "Anteil heißeste Klasse", "en": "Share in hottest class"},
    "conc.title": {
        "de": "Konzentrationskurve: Hitzelast nach sozialer Lage",
        "en": "Concentration curve: heat burden by social position",
    },
    "conc.x": {
        "de": "Anteil der Einwohner (Ortsteile von hoher zu niedriger Arbeitslosigkeit)",
        "en": "Share of residents (districts from high to low unemployment)",
    },
    "conc.y": {"de": "Anteil der Hitzelast", "en": "Share of the heat burden"},
    "conc.equal": {"de": "Gleichverteilung", "en": "Equal share"},
    "conc.curve": {"de": "Konzentrationskurve", "en": "Concentration curve"},
    "conc.summary.neg": {
        "de": "Konzentrationsindex {ci}: Die Hitzelast (Einwohner in der heißesten Klasse) "
        "liegt stärker in Ortsteilen mit hoher Arbeitslosigkeit. Die Kurve liegt über der "
        "Diagonalen.",
        "en": "Concentration index {ci}: the heat burden (residents in the hottest class) "
        "falls more on districts with high unemployment. The curve lies above the diagonal.",
    },
    "conc.summary.pos": {
        "de": "Konzentrationsindex {ci}: Die Hitzelast liegt stärker in Ortsteilen mit "
        "niedriger Arbeitslosigkeit. Die Kurve liegt unter der Diagonalen.",
        "en": "Concentration index {ci}: the heat burden falls more on districts with low "
        "unemployment. The curve lies below the diagonal.",
    },
    "conc.note": {
        "de": " Werte nahe 0 bedeuten eine Verteilung wie die Einwohner. Der Index beschreibt "
        "Ortsteile, nicht einzelne Menschen, und zeigt einen Zusammenhang, keine Ursache.",
        "en": " Values near 0 mean the burden follows the population. The index describes "
        "districts, not individuals, and shows an association, not a cause.",
    },
    "conc.none": {
        "de": "Keine Konzentrationskurve: Das Paket hat keinen Sozialindikator "
        "(Arbeitslose je Ortsteil) oder niemand lebt in der heißesten Klasse.",
        "en": "No concentration curve: the pack has no social indicator (unemployed per "
        "district) or nobody lives in the hottest class.",
    },
    "col.district": {"de": "Ortsteil", "en": "District"},
    "col.cum_pop": {"de": "Einwohner kumuliert", "en": "Residents, cumulative"},
    "col.cum_burden": {"de": "Hitzelast kumuliert", "en": "Heat burden, cumulative"},
    "rank.summary": {
        "de": "Die meisten Menschen in der heißesten Klasse leben in {first} ({n} Einwohner), "
        "gefolgt von {second}.",
        "en": "Most people in the hottest class live in {first} ({n} residents), followed by "
        "{second}.",
    },
    "rank.none": {
        "de": "Niemand lebt in der heißesten Klasse.",
        "en": "Nobody lives in the hottest class.",
    },
    "col.rank": {"de": "Rang", "en": "Rank"},
    "col.population": {"de": "Einwohner", "en": "Residents"},
    "col.hot_all": {"de": "Einwohner in heißester Klasse", "en": "Residents in hottest class"},
    "col.hot_65": {"de": "Davon ab 65", "en": "Of which 65+"},
    "col.hot_6": {"de": "Davon unter 6", "en": "Of which under 6"},
    "col.exposure": {"de": "Belastung", "en": "Exposure"},
    "col.unemployment": {"de": "Arbeitslose je Einwohner", "en": "Unemployed per resident"},
}


def group_chart(doc: dict[str, Any], lang: str) -> Chart:
    """A dot plot of the population-weighted exposure per group, each dot labelled with its
    value and hottest-class share, a thin line from the all-residents mean to each group.

    Dots, not bars: the axis does not start at zero (differences of tenths of a kelvin would
    vanish), and a bar on such an axis would draw 40.8 °C against 41.1 °C as a factor of 1.2.
    """
    groups = doc["groups"]
    rows = [
        {
            "group": tr(GROUPS[g["group"]], lang),
            "persons": num(g["persons"]),
            "mean": num(g["mean_exposure"], 2),
            "hot": num(g["in_hottest_class"]),
            "hot_share": num(100 * g["share_in_hottest_class"], 1),
        }
        for g in groups
    ]
    columns = (
        Column("group", text(TEXTS, "col.group", lang)),
        Column("persons", text(TEXTS, "col.persons", lang), "number", decimals=0),
        Column("mean", text(TEXTS, "col.mean", lang), "number", "°C", decimals=2),
        Column("hot", text(TEXTS, "col.hot", lang), "number", decimals=0),
        Column("hot_share", text(TEXTS, "col.hot_share", lang), "number", "%", decimals=1),
    )
    return Chart(_group_figure(groups, lang), _group_summary(doc, lang), rows, columns)


def _group_figure(groups: list[dict[str, Any]], lang: str) -> go.Figure:
    """The dots per group, the lines from the all-residents mean, and the axes."""
    names = [tr(GROUPS[g["group"]], lang) for g in groups]
    values = [g["mean_exposure"] for g in groups]
    reference = next((g for g in groups if g["group"] == "all"), None)
    fig = go.Figure()
    if reference is not None:
        ref = reference["mean_exposure"]
        for g, name in zip(groups, names, strict=True):
            if g["group"] != "all":
                fig.add_trace(
                    go.Scatter(
                        x=[ref, g["mean_exposure"]], y=[name, name], mode="lines",
                        line={"color": "#767676", "width": 1.5}, showlegend=False,
                        hoverinfo="skip",
                    )
                )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=values,
            y=names,
            mode="markers+text",
            marker={
                "color": [GROUP_COLORS[g["group"]] for g in groups],
                "size": 14,
                "line": {"color": "#ffffff", "width": 1},
            },
            text=[
                f"{fmt.number(g['mean_exposure'], lang, 1)} °C · "
                f"{fmt.percent(g['share_in_hottest_class'], lang)}"
                for g in groups
            ],
            textposition="top center",
            cliponaxis=False,
            showlegend=False,
            hovertemplate="%{y}: %{x:,.1f} °C<extra></extra>",
        )
    )
    layout(fig, text(TEXTS, "groups.title", lang), text(TEXTS, "groups.y", lang), "", lang)
    if values:
        lo, hi = min(values), max(values)
        pad = max(0.5, 0.5 * (hi - lo))
        fig.update_xaxes(range=[lo - pad, hi + pad])
    fig.update_xaxes(tickformat=",.1f", zeroline=False)
    # the first group on top, with room above it for its label
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=names,
        range=[len(groups) - 0.5, -0.8],
        rangemode="normal",
        tickformat="",
        automargin=True,
    )
    fig.update_layout(hovermode="closest", height=300)
    if reference is not None:
        fig.add_vline(x=reference["mean_exposure"], line={"color": "#767676", "dash": "dot"})
    return fig


def _group_summary(doc: dict[str, Any], lang: str) -> str:
    by = {g["group"]: g for g in doc["groups"]}

    def val(group: str, key: str, pct: bool = False) -> str:
        if group not in by:
            return "–"
        v = by[group][key]
        return fmt.percent(v, lang) if pct else fmt.number(v, lang, 1)

    return text(
        TEXTS,
        "groups.summary",
        lang,
        variable=tr(EXPOSURE_LABEL[doc["variable"]], lang),
        all=val("all", "mean_exposure"),
        old=val("65plus", "mean_exposure"),
        young=val("under6", "mean_exposure"),
        threshold=fmt.number(doc["hottest_class_above"], lang, 1),
        share_all=val("all", "share_in_hottest_class", True),
        share_old=val("65plus", "share_in_hottest_class", True),
        share_young=val("under6", "share_in_hottest_class", True),
    )


def concentration_chart(doc: dict[str, Any], lang: str) -> Chart:
    conc = doc["concentration"]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, 1], y=[0, 1], mode="lines", name=text(TEXTS, "conc.equal", lang),
            line={"color": "#555555", "dash": "dash"},
        )
    )  # fmt: skip
    names = {d["unit_id"]: d["name"] for d in doc["districts"]}
    rows: list[dict[str, Any]] = []
    if conc:
        curve = conc["curve"]
        fig.add_trace(
            go.Scatter(
                x=[p["cum_population"] for p in curve],
                y=[p["cum_burden"] for p in curve],
                mode="lines+markers",
                name=text(TEXTS, "conc.curve", lang),
                line={"color": "#d55e00", "width": 3},
                marker={"symbol": "diamond", "size": 7},
                text=[names.get(p["unit_id"], "") for p in curve],
            )
        )
        ci = fmt.number(conc["index"], lang, 3)
        key = "conc.summary.neg" if conc["index"] < 0 else "conc.summary.pos"
        summary = text(TEXTS, key, lang, ci=ci) + text(TEXTS, "conc.note", lang)
        rows = [
            {
                "district": names.get(p["unit_id"], ""),
                "cum_pop": num(100 * p["cum_population"], 1),
                "cum_burden": num(100 * p["cum_burden"], 1),
            }
            for p in curve[1:]
        ]
    else:
        summary = text(TEXTS, "conc.none", lang)
    layout(
        fig,
        text(TEXTS, "conc.title", lang),
        text(TEXTS, "conc.x", lang),
        text(TEXTS, "conc.y", lang),
        lang,
    )
    fig.update_xaxes(range=[0, 1], tickformat=".0%")
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    fig.update_layout(hovermode="closest")
    columns = (
        Column("district", text(TEXTS, "col.district", lang)),
        Column("cum_pop", text(TEXTS, "col.cum_pop", lang), "number", "%", decimals=1),
        Column("cum_burden", text(TEXTS, "col.cum_burden", lang), "number", "%", decimals=1),
    )
    return Chart(fig, summary, rows, columns)


def ranked_rows(
    doc: dict[str, Any], lang: str
) -> tuple[str, list[dict[str, Any]], tuple[Column, ...]]:
    """The "who bears the heat" table: summary, rows and columns."""
    variable = doc["variable"]
    rows = [
        {
            "rank": d["rank"],
            "district": d["name"],
            "population": num(d["population"]),
            "hot_all": num(d["hot_all"] or 0),
            "hot_65": num(d["hot_65plus"] or 0),
            "hot_6": num(d["hot_under6"] or 0),
            "exposure": num(d.get(variable), 1),
            "unemployment": num(100 * d["unemployment"], 1)
            if d.get("unemployment") is not None
            else None,
        }
        for d in doc["districts"]
    ]
    hot = [r for r in rows if r["hot_all"] > 0]
    if len(hot) >= 2:
        summary = text(
            TEXTS,
            "rank.summary",
            lang,
            first=hot[0]["district"],
            n=fmt.number(hot[0]["hot_all"], lang),
            second=hot[1]["district"],
        )
    elif hot:
        summary = text(
            TEXTS,
            "rank.summary",
            lang,
            first=hot[0]["district"],
            n=fmt.number(hot[0]["hot_all"], lang),
            second="–",
        )
    else:
        summary = text(TEXTS, "rank.none", lang)
    columns = (
        Column("rank", text(TEXTS, "col.rank", lang), "integer"),
        Column("district", text(TEXTS, "col.district", lang)),
        Column("population", text(TEXTS, "col.population", lang), "number", decimals=0),
        Column("hot_all", text(TEXTS, "col.hot_all", lang), "number", decimals=0),
        Column("hot_65", text(TEXTS, "col.hot_65", lang), "number", decimals=0),
        Column("hot_6", text(TEXTS, "col.hot_6", lang), "number", decimals=0),
        Column("exposure", text(TEXTS, "col.exposure", lang), "number", "°C", decimals=1),
        Column("unemployment", text(TEXTS, "col.unemployment", lang), "number", "%", decimals=1),
    )
    return summary, rows, columns


# --- climate trend -------------------------------------------------------------------------

TREND_TEXTS: dict[str, Text] = {
    "trend.title": {"de": "{index} je Jahr", "en": "{index} per year"},
    "trend.y": {"de": "Tage im Jahr", "en": "Days per year"},
    "trend.x": {"de": "Jahr", "en": "Year"},
    "trend.counted": {"de": "Gezählt", "en": "Counted"},
    "trend.flagged": {
        "de": "Gezählt, mehr als 10 % Tage fehlen",
        "en": "Counted, more than 10 % of days missing",
    },
    "trend.fit": {"de": "Trend (Poisson-Regression)", "en": "Trend (Poisson regression)"},
    "trend.band": {"de": "95-%-Band des Trends", "en": "95 % band of the trend"},
    "trend.summary": {
        "de": "{station}, {first}–{last}: {index}. Der Trend beträgt {pct} pro Jahrzehnt "
        "(95 %: {lo} bis {hi}), aus {used} Jahren. Erwartet im Jahr {first}: {e0} Tage, im "
        "Jahr {last}: {e1} Tage. {flagged}",
        "en": "{station}, {first}–{last}: {index}. The trend is {pct} per decade (95 %: {lo} "
        "to {hi}), from {used} years. Expected in {first}: {e0} days, in {last}: {e1} days. "
        "{flagged}",
    },
    "station.id": {"de": "Wetterstation {id}", "en": "Weather station {id}"},
    "station.with": {"de": "{series}, Wetterstation {id}", "en": "{series}, weather station {id}"},
    "station.series": {"de": "Stationsreihe", "en": "Station series"},
    "trend.nofit": {
        "de": "{station}, {first}–{last}: {index}. Kein Trend berechnet: {message}. {flagged}",
        "en": "{station}, {first}–{last}: {index}. No trend fitted: {message}. {flagged}",
    },
    "why.too_few_years": {
        "de": "nur {used} nutzbare(s) Jahr(e) (höchstens 10 % fehlende Tage); ein Trend "
        "braucht mindestens {min}",
        "en": "only {used} usable year(s) (at most 10 % of days missing); a trend needs at "
        "least {min}",
    },
    "why.all_zero": {
        "de": "in keinem der {used} nutzbaren Jahre ein solcher Tag: die Rate ist durchweg 0",
        "en": "no such day in any of the {used} usable years: the rate is 0 throughout",
    },
    "why.unbounded": {
        "de": "solche Tage nur im ersten oder letzten Jahr: der Trend hat keinen endlichen Wert",
        "en": "such days only in the first or last year: the trend has no finite estimate",
    },
    "why.other": {"de": "die Daten reichen nicht", "en": "the data do not allow it"},
    "trend.flagged_years": {
        "de": "Jahre mit mehr als 10 % fehlenden Tagen (nicht im Trend): {years}.",
        "en": "Years with more than 10 % of days missing (not in the trend): {years}.",
    },
    "trend.no_flagged": {
        "de": "Kein Jahr mit mehr als 10 % fehlenden Tagen.",
        "en": "No year with more than 10 % of days missing.",
    },
    "col.year": {"de": "Jahr", "en": "Year"},
    "col.count": {"de": "Anzahl", "en": "Count"},
    "col.missing": {"de": "Fehlende Tage", "en": "Missing days"},
    "col.flagged": {"de": "> 10 % fehlen", "en": "> 10 % missing"},
    "col.expected": {"de": "Trend", "en": "Trend"},
    "col.lo": {"de": "Band unten", "en": "Band low"},
    "col.hi": {"de": "Band oben", "en": "Band high"},
    "yes": {"de": "ja", "en": "yes"},
    "no": {"de": "nein", "en": "no"},
    "outlook.title": {
        "de": "Ausblick mit der Delta-Methode (einfache Statistik, kein Klimamodell)",
        "en": "Outlook with the delta method (simple statistics, not a climate model)",
    },
    "outlook.y": {"de": "Tage im Jahr (Mittel)", "en": "Days per year (mean)"},
    "outlook.reference": {"de": "Referenz {start}–{end}", "en": "Reference {start}–{end}"},
    "outlook.delta": {"de": "+{delta} K", "en": "+{delta} K"},
    "outlook.summary": {
        "de": "In der Referenzperiode {start}–{end} gab es im Mittel {ref} {index} im Jahr. "
        "Wäre jeder Tag um 1,5 / 2 / 3 K wärmer, wären es {d1} / {d2} / {d3}. Das ist einfache "
        "Statistik, kein Klimamodell.",
        "en": "In the reference period {start}–{end} there were on average {ref} {index} a "
        "year. Were every day 1.5 / 2 / 3 K warmer, there would be {d1} / {d2} / {d3}. This "
        "is simple statistics, not a climate model.",
    },
    "outlook.none": {
        "de": "Kein Ausblick: keine Referenzjahre mit höchstens 10 % fehlenden Tagen.",
        "en": "No outlook: no reference years with at most 10 % of days missing.",
    },
    "col.scenario": {"de": "Annahme", "en": "Assumption"},
}
INDEX_SHORT: dict[str, Text] = {
    "summer_days": {"de": "Sommertage", "en": "summer days"},
    "hot_days": {"de": "heiße Tage", "en": "hot days"},
    "tropical_nights": {"de": "Tropennächte", "en": "tropical nights"},
}
# grey for the reference, then darker with each warming step: every bar ≥ 3:1 on white
# (WCAG 1.4.11) and the order readable by lightness with colour-vision deficiencies
SCENARIO_COLORS = ("#858585", "#d95f0e", "#b2182b", "#67000d")


def _pct(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    sign = "+" if value > 0 else ""
    return f"{sign}{fmt.number(value, lang, 1)} %"


def station_label(station: str | None, series: str | None, lang: str) -> str:
    """Who measured: the series' name (the pack's title of ``climate_daily``) and the station
    number said as one ("Klimareihe Jena, Wetterstation 02444"), never a bare number."""
    if station and series and station not in series:
        return text(TREND_TEXTS, "station.with", lang, series=series, id=station)
    if series:
        return series
    return (
        text(TREND_TEXTS, "station.id", lang, id=station)
        if station
        else text(TREND_TEXTS, "station.series", lang)
    )


def count_step(top: float) -> int:
    """An integer tick step for counts up to ``top``: 1, 2, 5, 10, 20, 25, 50, … with at most
    8 steps, so an axis of counts never shows 0, 1, 1, 2, 2."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        if top / step <= 8:
            return step
    return 1000


def trend_chart(rep: dict[str, Any], index: str, lang: str, series: str | None = None) -> Chart:
    """Yearly counts (flagged years marked by pattern and colour) with the fitted trend;
    ``series`` names the station series in the summary (see :func:`station_label`)."""
    fitted = rep["trend"][index].get("fitted") or []
    expected = {f["year"]: f for f in fitted}
    yes, no = text(TREND_TEXTS, "yes", lang), text(TREND_TEXTS, "no", lang)
    rows = [
        {
            "year": y["year"],
            "count": y[index],
            "missing": y["missing_days"],
            "flagged": yes if y["flagged"] else no,
            "expected": num(expected[y["year"]]["expected"], 1) if y["year"] in expected else None,
            "lo": num(expected[y["year"]]["lo"], 1) if y["year"] in expected else None,
            "hi": num(expected[y["year"]]["hi"], 1) if y["year"] in expected else None,
        }
        for y in rep["years"]
    ]
    columns = (
        Column("year", text(TREND_TEXTS, "col.year", lang), "integer"),
        Column("count", text(TREND_TEXTS, "col.count", lang), "number", decimals=0),
        Column("missing", text(TREND_TEXTS, "col.missing", lang), "number", decimals=0),
        Column("flagged", text(TREND_TEXTS, "col.flagged", lang)),
        Column("expected", text(TREND_TEXTS, "col.expected", lang), "number", decimals=1),
        Column("lo", text(TREND_TEXTS, "col.lo", lang), "number", decimals=1),
        Column("hi", text(TREND_TEXTS, "col.hi", lang), "number", decimals=1),
    )
    figure = _trend_figure(rep, index, lang)
    return Chart(figure, _trend_summary(rep, index, lang, series), rows, columns)


def _trend_figure(rep: dict[str, Any], index: str, lang: str) -> go.Figure:
    """Bars of the yearly counts (flagged years apart) and the fitted trend with its band."""
    years = rep["years"]
    fit = rep["trend"][index]
    ok_years = [y for y in years if not y["flagged"]]
    bad_years = [y for y in years if y["flagged"]]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[y["year"] for y in ok_years], y=[y[index] for y in ok_years],
            name=text(TREND_TEXTS, "trend.counted", lang), marker_color="#0072b2",
        )
    )  # fmt: skip
    if bad_years:
        fig.add_trace(
            go.Bar(
                x=[y["year"] for y in bad_years],
                y=[y[index] for y in bad_years],
                name=text(TREND_TEXTS, "trend.flagged", lang),
                marker={
                    "color": "#bbbbbb",
                    "pattern": {"shape": "/"},
                    "line": {"color": "#555555", "width": 1},
                },
            )
        )
    fitted = fit.get("fitted") or []
    if fit["status"] == "ok" and fitted:
        xs = [f["year"] for f in fitted]
        fig.add_trace(
            go.Scatter(
                x=xs + xs[::-1],
                y=[f["hi"] for f in fitted] + [f["lo"] for f in fitted][::-1],
                fill="toself", fillcolor="rgba(213,94,0,0.2)", line={"width": 0},
                name=text(TREND_TEXTS, "trend.band", lang), hoverinfo="skip",
            )
        )  # fmt: skip
        fig.add_trace(
            go.Scatter(
                x=xs, y=[f["expected"] for f in fitted], mode="lines",
                name=text(TREND_TEXTS, "trend.fit", lang), line={"color": "#d55e00", "width": 3},
            )
        )  # fmt: skip
    layout(
        fig,
        text(TREND_TEXTS, "trend.title", lang, index=tr(INDICES[index], lang)),
        text(TREND_TEXTS, "trend.x", lang),
        text(TREND_TEXTS, "trend.y", lang),
        lang,
    )
    fig.update_layout(barmode="overlay")
    top = max(
        [float(y[index]) for y in years if y[index] is not None]
        + [float(f["hi"]) for f in fitted if f.get("hi") is not None]
        + [1.0]
    )
    # counts are whole numbers: integer ticks from zero
    fig.update_yaxes(tickformat=",d", tick0=0, dtick=count_step(top))
    return fig


def _trend_summary(rep: dict[str, Any], index: str, lang: str, series: str | None) -> str:
    """Who measured, the period, the change per decade with its band, the flagged years."""
    fit = rep["trend"][index]
    fitted = fit.get("fitted") or []
    first, last = rep["period"]["first_year"], rep["period"]["last_year"]
    label = tr(INDICES[index], lang)
    station = station_label(rep.get("station"), series, lang)
    flagged_text = (
        text(
            TREND_TEXTS,
            "trend.flagged_years",
            lang,
            years=", ".join(str(y) for y in rep["flagged_years"]),
        )
        if rep["flagged_years"]
        else text(TREND_TEXTS, "trend.no_flagged", lang)
    )
    if not (fit["status"] == "ok" and fitted):
        return text(
            TREND_TEXTS,
            "trend.nofit",
            lang,
            station=station,
            first=first,
            last=last,
            index=label,
            message=text(
                TREND_TEXTS,
                f"why.{fit['status']}" if f"why.{fit['status']}" in TREND_TEXTS else "why.other",
                lang,
                used=len(fit.get("years_used") or []),
                min=MIN_YEARS,
            ),
            flagged=flagged_text,
        )
    return text(
        TREND_TEXTS,
        "trend.summary",
        lang,
        station=station,
        first=first,
        last=last,
        index=label,
        pct=_pct(fit["change_per_decade_pct"], lang),
        lo=_pct(fit["change_per_decade_lo"], lang),
        hi=_pct(fit["change_per_decade_hi"], lang),
        used=len(fit["years_used"]),
        e0=fmt.number(fitted[0]["expected"], lang, 1),
        e1=fmt.number(fitted[-1]["expected"], lang, 1),
        flagged=flagged_text,
    )


def outlook_chart(rep: dict[str, Any], lang: str) -> Chart:
    """Grouped bars: reference mean and +1.5 / +2 / +3 K per index."""
    out = rep["outlook"]
    rows_in = out.get("rows") or []
    fig = go.Figure()
    if out["status"] != "ok" or not rows_in:
        layout(
            fig,
            text(TREND_TEXTS, "outlook.title", lang),
            "",
            text(TREND_TEXTS, "outlook.y", lang),
            lang,
        )
        return Chart(fig, text(TREND_TEXTS, "outlook.none", lang), [], ())
    ref = out["reference"]
    names = [
        text(TREND_TEXTS, "outlook.reference", lang, start=ref["start"], end=ref["end"])
        if r["delta"] == 0
        else text(TREND_TEXTS, "outlook.delta", lang, delta=fmt.number(r["delta"], lang, 1))
        for r in rows_in
    ]
    for k, (r, name) in enumerate(zip(rows_in, names, strict=True)):
        fig.add_trace(
            go.Bar(
                x=[tr(INDEX_SHORT[i], lang) for i in INDICES],
                y=[r[i] for i in INDICES],
                name=name,
                marker_color=SCENARIO_COLORS[k % len(SCENARIO_COLORS)],
                text=[fmt.number(r[i], lang, 1) for i in INDICES],
                textposition="outside",
            )
        )
    layout(
        fig,
        text(TREND_TEXTS, "outlook.title", lang),
        "",
        text(TREND_TEXTS, "outlook.y", lang),
        lang,
    )
    fig.update_layout(barmode="group", hovermode="closest")
    by_delta = {r["delta"]: r for r in rows_in}
    hot = "hot_days"

    def val(d: float) -> str:
        return fmt.number(by_delta[d][hot], lang, 1) if d in by_delta else "–"

    summary = text(
        TREND_TEXTS, "outlook.summary", lang, start=ref["start"], end=ref["end"], ref=val(0.0),
        index=tr(INDEX_SHORT[hot], lang), d1=val(1.5), d2=val(2.0), d3=val(3.0),
    )  # fmt: skip
    rows = [
        {"scenario": name, **{i: num(r[i], 1) for i in INDICES}}
        for r, name in zip(rows_in, names, strict=True)
    ]
    columns = (
        Column("scenario", text(TREND_TEXTS, "col.scenario", lang)),
        *(Column(i, tr(INDEX_SHORT[i], lang), "number", decimals=1) for i in INDICES),
    )
    return Chart(fig, summary, rows, columns)
