"""Numbers and dates as people read them: ``1.234,5`` and ``01.06.2025`` in German,
``1,234.5`` and ``2025-06-01`` in English (numbers via Babel).

The one formatter for text (summaries, panels, legends, messages). Tables format in the
browser with the same locales (:data:`BROWSER_LOCALES`, see ``dashboard.tables``) and
charts through :func:`plotly_separators` and plotly's locale (``layers.charts``).
"""

from __future__ import annotations

import datetime as dt
import math

from babel.numbers import format_decimal, format_percent

_LOCALES = {"de": "de_DE", "en": "en_GB"}
#: the same locales as BCP 47 tags, for ``Number.toLocaleString`` in the browser
BROWSER_LOCALES = {"de": "de-DE", "en": "en-GB"}
#: strftime / d3 pattern of a calendar date (English pages use ISO 8601)
DATE_PATTERNS = {"de": "%d.%m.%Y", "en": "%Y-%m-%d"}


def number(value: float | None, lang: str, decimals: int = 0) -> str:
    """Format a number with grouping and ``decimals`` digits; missing values as an en dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_LOCALES.get(lang, "de_DE"))


def percent(share: float | None, lang: str, decimals: int = 1) -> str:
    """Format a share 0–1 as a percentage."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + " %"
    return format_percent(share, format=pattern, locale=_LOCALES.get(lang, "de_DE"))


def date(value: dt.date | str | None, lang: str) -> str:
    """A calendar date: ``01.06.2025`` in German, ISO ``2025-06-01`` in English.

    Takes a ``date``/``datetime`` or an ISO string (a timestamp is cut to its date); a
    string that is not an ISO date is returned as it is, a missing value as an en dash.
    """
    if value is None or value == "":
        return "–"
    day = value
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    assert isinstance(day, dt.date)
    return day.strftime(DATE_PATTERNS.get(lang, DATE_PATTERNS["de"]))


def plotly_separators(lang: str) -> str:
    """Plotly's ``layout.separators``: decimal mark, then thousands separator."""
    return ",." if lang == "de" else ".,"
