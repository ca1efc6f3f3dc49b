"""The forecast section of the footfall page: reads the background job's result, never fits.

While the job runs the section shows how far it is (sites done of all, when it started, a
rough time left, and a progress bar) and polls; the chart stays hidden — never an empty
chart with axes. Once the result is there the chart appears and the poll stops.
"""

from __future__ import annotations

import logging
import math
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from dash import Dash, Input, Output, State, html, no_update

from dashboard import components, ids
from dashboard.context import AppContext
from dashboard.forecasts import ForecastProgress
from dashboard.i18n import language, t
from data.footfall import TZ
from layers import fmt
from layers.footfall import charts as fc
from layers.footfall.forecast import (
    band_rows,
    card_rows,
    feature_text,
    forecast_figure,
    number_columns,
    verdict_text,
    window_text,
)

LOG = logging.getLogger(__name__)
GRAPH_SHOWN = {"width": "100%", "height": "320px"}
GRAPH_HIDDEN = {"display": "none"}


def _table(rows: list[dict[str, str]], caption: str, lang: str) -> html.Table:
    """A small facts table; number columns have right-aligned headers and cells (``al-num``),
    text columns left-aligned ones (``al-text``)."""
    head = list(rows[0]) if rows else []
    numeric = number_columns(lang)

    def cls(h: str) -> str:
        return "al-num" if h in numeric else "al-text"

    return html.Table(
        [
            html.Caption(caption),
            html.Thead(html.Tr([html.Th(h, scope="col", className=cls(h)) for h in head])),
            html.Tbody([html.Tr([html.Td(r[h], className=cls(h)) for h in head]) for r in rows]),
        ],
        className="al-facts",
    )


def time_left(progress: ForecastProgress, now: datetime, lang: str) -> str:
    """The rough time left: "noch etwa 3 Min." / "about 3 min left." and the like."""
    if progress.total > 0 and progress.done >= progress.total:
        return t("footfall.forecast.left.almost", lang)
    seconds = progress.remaining_seconds(now)
    if seconds is None:
        return t("footfall.forecast.left.estimating", lang)
    if seconds < 60:
        return t("footfall.forecast.left.under_minute", lang)
    return t(
        "footfall.forecast.left.minutes", lang, minutes=fmt.number(math.ceil(seconds / 60), lang)
    )


def progress_text(progress: ForecastProgress, now: datetime, lang: str, tz: str = TZ) -> str:
    """The status line, e.g. "Prognosen werden berechnet: 3 von 12 Zählstellen, gestartet
    19:04, noch etwa 2 Min." (start in the city's local time ``tz``)."""
    return t(
        "footfall.forecast.progress",
        lang,
        done=fmt.number(progress.done, lang),
        total=fmt.number(progress.total, lang),
        started=f"{progress.started.astimezone(ZoneInfo(tz)):%H:%M}",
        left=time_left(progress, now, lang),
    )


def progress_bar(progress: ForecastProgress | None, lang: str) -> html.Progress:
    """A native progress bar (role progressbar); without a value it is indeterminate."""
    label = components.attrs({"aria-label": t("footfall.forecast.progress_label", lang)})
    if progress is None or progress.total <= 0:
        return html.Progress(className="al-progress", **label)
    return html.Progress(
        f"{round(100 * progress.share)} %",
        value=str(progress.done),
        max=str(progress.total),
        className="al-progress",
        **label,
    )


def _in_lang(text: Any, lang: str) -> str:
    """A card text: ``{de, en}`` (current cards) or a plain string (older stored cards)."""
    return str(text.get(lang) or text.get("de", "")) if isinstance(text, dict) else str(text)


def section(
    ctx: AppContext, site: Any, lang: str, now: datetime | None = None
) -> tuple[Any, Any, Any, Any, bool]:
    """Figure, graph style (hidden unless there is a forecast to show), summary (the status
    while the job runs), card and whether polling can stop."""
    service = ctx.forecasts
    if service is None or not service.available:
        return (
            no_update,
            GRAPH_HIDDEN,
            "",
            html.P(t("footfall.nodata", lang), className="al-note"),
            True,
        )
    if not ctx.settings.forecasts and service.result is None:
        off = html.P(t("footfall.forecast.off", lang), className="al-note")
        return no_update, GRAPH_HIDDEN, "", off, True
    if service.error is not None:
        # the job's own text is English and technical: people get a translated message, the
        # server log the detail
        LOG.warning("forecast job failed: %s", service.error)
        msg = t("footfall.forecast.error", lang)
        return no_update, GRAPH_HIDDEN, "", html.P(msg, className="al-error", role="alert"), True
    artifacts = service.result
    if artifacts is None:
        progress = service.progress
        if progress is None:
            status = t("footfall.forecast.pending", lang)
        else:
            status = progress_text(
                progress, now or datetime.now(UTC), lang, ctx.pack.calendar.timezone
            )
        return no_update, GRAPH_HIDDEN, status, progress_bar(progress, lang), False
    names = dict(fc.sites(ctx.pack))
    if not isinstance(site, str) or site not in names:
        return no_update, GRAPH_HIDDEN, no_update, no_update, True
    if artifacts.site_forecast(site).empty:  # too short a record for this site alone
        note = html.P(t("footfall.forecast.too_short", lang), className="al-note")
        return no_update, GRAPH_HIDDEN, "", note, True
    figure, summary = forecast_figure(ctx.pack, artifacts, site, names[site], lang)
    card = artifacts.card
    bt = card.get("backtest") or {}
    window = (card.get("training_window") or {}).get(site)
    caution = (card.get("caution") or {}).get(lang, "")
    children = [
        html.H4(t("footfall.card.heading", lang)),
        html.P(verdict_text(artifacts, site, lang), className="al-verdict"),
        html.P(
            t(
                "footfall.card.backtest",
                lang,
                origins=bt.get("origins", "?"),
                hours=bt.get("horizon", "?"),
            )
        ),
        _table(card_rows(artifacts, site, lang), t("footfall.card.site", lang), lang),
        _table(band_rows(artifacts, site, lang), t("footfall.card.bands", lang), lang),
        _table(card_rows(artifacts, None, lang), t("footfall.card.overall", lang), lang),
        html.Dl(
            [
                html.Dt(t("footfall.card.model", lang)),
                html.Dd(_in_lang(card.get("model", ""), lang)),
                html.Dt(t("footfall.card.features", lang)),
                html.Dd(feature_text(card.get("features", []), lang)),
                html.Dt(t("footfall.card.window", lang)),
                html.Dd(window_text(window, lang)),
                html.Dt(t("footfall.card.caution", lang)),
                html.Dd(caution),
            ]
        ),
    ]
    return figure, GRAPH_SHOWN, summary, children, True


def register(app: Dash, ctx: AppContext) -> None:
    @app.callback(
        Output(ids.FORECAST_GRAPH, "figure"),
        Output(ids.FORECAST_GRAPH, "style"),
        Output(ids.FORECAST_SUMMARY, "children"),
        Output(ids.FORECAST_CARD, "children"),
        Output(ids.FORECAST_POLL, "disabled"),
        Input(ids.FOOTFALL_SITE, "value"),
        Input(ids.FORECAST_POLL, "n_intervals"),
        State(ids.LANG_STORE, "data"),
    )
    def on_forecast(site, _n, lang):  # type: ignore[no-untyped-def]
        return section(ctx, site, language(lang))
