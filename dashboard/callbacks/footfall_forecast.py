"""The forecast section of the footfall page: reads the background job's result, never fits.

While the job runs the section says so and polls; once the result is there the poll stops.
"""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, html, no_update

from dashboard import ids
from dashboard.context import AppContext
from dashboard.i18n import language, t
from layers import footfall_charts as fc
from layers.footfall_forecast import card_rows, feature_text, forecast_figure, window_text


def _table(rows: list[dict[str, str]], caption: str) -> html.Table:
    head = list(rows[0]) if rows else []
    return html.Table(
        [
            html.Caption(caption),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
            html.Tbody([html.Tr([html.Td(r[h]) for h in head]) for r in rows]),
        ],
        className="al-facts",
    )


def section(ctx: AppContext, site: Any, lang: str) -> tuple[Any, Any, Any, bool]:
    """Figure, summary, card and whether polling can stop."""
    service = ctx.forecasts
    if service is None or not service.available:
        return no_update, "", html.P(t("footfall.nodata", lang), className="al-note"), True
    if not ctx.settings.forecasts and service.result is None:
        return no_update, "", html.P(t("footfall.forecast.off", lang), className="al-note"), True
    if service.error is not None:
        msg = t("footfall.forecast.error", lang, detail=service.error)
        return no_update, "", html.P(msg, className="al-error"), True
    artifacts = service.result
    if artifacts is None:
        return (
            no_update,
            "",
            html.P(t("footfall.forecast.pending", lang), className="al-note"),
            False,
        )
    names = dict(fc.sites(ctx.pack))
    if not isinstance(site, str) or site not in names:
        return no_update, no_update, no_update, True
    figure, summary = forecast_figure(ctx.pack, artifacts, site, names[site], lang)
    card = artifacts.card
    bt = card.get("backtest") or {}
    window = (card.get("training_window") or {}).get(site)
    caution = (card.get("caution") or {}).get(lang, "")
    children = [
        html.H4(t("footfall.card.heading", lang)),
        html.P(t("footfall.card.backtest", lang, origins=bt.get("origins", "?"))),
        _table(card_rows(artifacts, site, lang), t("footfall.card.site", lang)),
        _table(card_rows(artifacts, None, lang), t("footfall.card.overall", lang)),
        html.Dl(
            [
                html.Dt(t("footfall.card.model", lang)),
                html.Dd(card.get("model", "")),
                html.Dt(t("footfall.card.features", lang)),
                html.Dd(feature_text(card.get("features", []), lang)),
                html.Dt(t("footfall.card.window", lang)),
                html.Dd(window_text(window)),
                html.Dt(t("footfall.card.caution", lang)),
                html.Dd(caution),
            ]
        ),
    ]
    return figure, summary, children, True


def register(app: Dash, ctx: AppContext) -> None:
    @app.callback(
        Output(ids.FORECAST_GRAPH, "figure"),
        Output(ids.FORECAST_SUMMARY, "children"),
        Output(ids.FORECAST_CARD, "children"),
        Output(ids.FORECAST_POLL, "disabled"),
        Input(ids.FOOTFALL_SITE, "value"),
        Input(ids.FORECAST_POLL, "n_intervals"),
        State(ids.LANG_STORE, "data"),
    )
    def on_forecast(site, _n, lang):  # type: ignore[no-untyped-def]
        return section(ctx, site, language(lang))
