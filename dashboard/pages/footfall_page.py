"""The footfall page: one counting site's hourly profile, daily totals and year over year.

Each chart comes with a short text summary and its data as a table (in a collapsible
``<details>``). The selected site lives in the URL query (``?site=…``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from dash import dcc, html

from dashboard import components, ids
from dashboard.chart_parts import chart_section, graph_config
from dashboard.context import AppContext
from dashboard.i18n import t
from dashboard.pages.registry import router_search
from dashboard.state import View, view_query, with_param
from layers.footfall import charts as fc

CHARTS = (
    ("profile", ids.FOOTFALL_PROFILE),
    ("daily", ids.FOOTFALL_DAILY),
    ("yoy", ids.FOOTFALL_YOY),
)


def site_from_query(search: str | None) -> str | None:
    """The last ``site=`` of a query string, if any."""
    values = [v for k, v in parse_qsl((search or "").lstrip("?")) if k == "site"]
    return values[-1] if values else None


def with_site(query: str, site: str | None) -> str:
    return with_param(query, "site", site)


def _chart_section(name: str, base: str, chart: fc.Chart | None, lang: str) -> html.Section:
    return chart_section(t(f"footfall.{name}", lang), base, chart, lang)


def layout(ctx: AppContext, view: View, search: str | None = None, data: bool = True) -> html.Div:
    """The page. ``search`` is the raw query (read from the routing callback if omitted);
    ``data=False`` gives the id skeleton for the validation layout (no figures, no tables)."""
    lang = view.lang
    query = view_query(view)
    if not data:
        site_choices: list[tuple[str, str]] = []
        site: str | None = None
        charts: tuple[fc.Chart, ...] | None = None
        problems: list[str] = []
    elif not fc.available(ctx.pack):
        body: list[Any] = [
            html.H2(t("footfall.heading", lang)),
            components.missing_note(
                ctx.pack,
                (fc.SITES, fc.COUNTS),
                lang,
                id_="footfall-missing",
                lead=t("footfall.nodata", lang),
            ),
        ]
        return _page(ctx, lang, query, body)
    else:
        site_choices = list(fc.sites(ctx.pack))
        known = [s for s, _ in site_choices]
        wanted = site_from_query(search if search is not None else router_search())
        problems = []
        if wanted is not None and wanted not in known:
            problems.append(t("footfall.unknown_site", lang, site=wanted[:80]))
        site = wanted if wanted in known else (known[0] if known else None)
        charts = fc.site_charts(ctx.pack, site, lang) if site is not None else None
        query = with_site(query, site)
    body = [
        html.H2(t("footfall.heading", lang)),
        html.P(t("footfall.intro", lang, tz=ctx.pack.calendar.timezone)),
        html.Fieldset(
            [
                html.Legend(t("footfall.site", lang), className="al-legend-title"),
                dcc.RadioItems(
                    id=ids.FOOTFALL_SITE,
                    options=[{"label": name, "value": sid} for sid, name in site_choices],
                    value=site,
                    inline=True,
                    labelStyle={"marginRight": "1rem"},
                ),
            ],
            style={"border": "none", "padding": 0},
        ),
        html.Div(
            [html.P(p, className="al-error") for p in problems],
            id=ids.FOOTFALL_MESSAGE,
            role="status",
        ),
        *[
            _chart_section(name, base, charts[i] if charts else None, lang)
            for i, (name, base) in enumerate(CHARTS)
        ],
        forecast_section(lang),
        dcc.Store(id=ids.FOOTFALL_URL_SYNC),
    ]
    return _page(ctx, lang, query, body)


def forecast_section(lang: str) -> html.Section:
    """The forecast chart and model card; filled by a callback once the job has finished.
    The chart is hidden until there is a forecast to show (never an empty chart); while the
    job runs the summary is its status line (a live region) and the card a progress bar."""
    return html.Section(
        [
            html.H3(t("footfall.forecast", lang), id="forecast-heading"),
            dcc.Graph(
                id=ids.FORECAST_GRAPH,
                config=graph_config(lang),
                style={"display": "none"},
            ),
            html.P(
                t("footfall.forecast.pending", lang),
                id=ids.FORECAST_SUMMARY,
                className="al-note",
                role="status",
            ),
            html.Div(id=ids.FORECAST_CARD),
            dcc.Interval(id=ids.FORECAST_POLL, interval=4000, disabled=False),
        ],
        className="al-chart",
        **components.attrs({"aria-labelledby": "forecast-heading"}),
    )


def _page(ctx: AppContext, lang: str, query: str, body: list[Any]) -> html.Div:
    return html.Div(
        [
            components.header(ctx, lang, "footfall", query),
            html.Main(body, id="main", className="al-page"),
            components.footer(ctx, lang),
        ]
    )
