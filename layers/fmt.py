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


#: Numbers this large (in size) are written in scientific notation: grouping their digits
#: would give a line of hundreds of characters (``1e300``) and is no longer readable.
SCIENTIFIC_FROM = 1e15
MISSING = "–"
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _as_float(value: object) -> float | None:
    """``value`` as a float, or ``None`` when it is missing or not a number at all."""
    if value is None or isinstance(value, str):
        return None
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return None if math.isnan(x) else x


def _special(x: float, lang: str, decimals: int) -> str | None:
    """The text for an infinite or huge number, ``None`` for an ordinary one."""
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if abs(x) < SCIENTIFIC_FROM:
        return None
    exponent = math.floor(math.log10(abs(x)))
    mantissa = x / 10.0**exponent
    if abs(mantissa) >= 9.995:  # rounds up to 10,00: one more power of ten
        mantissa, exponent = mantissa / 10.0, exponent + 1
    digits = max(decimals, 2)
    locale = _LOCALES.get(lang, "de_DE")
    shown = format_decimal(mantissa, format="0." + "0" * digits, locale=locale)
    return f"{shown} × 10{str(exponent).translate(_SUPERSCRIPT)}"


def number(value: float | None, lang: str, decimals: int = 0) -> str:
    """Format a number with grouping and ``decimals`` digits; missing values as an en dash.

    Never raises: ``NaN``, ``None`` and values that are not numbers give ``–``; ``±inf``
    gives ``∞``/``-∞``; numbers of :data:`SCIENTIFIC_FROM` and more in size are written
    ``1,00 × 10³⁰⁰``.
    """
    x = _as_float(value)
    if x is None:
        return MISSING
    special = _special(x, lang, decimals)
    if special is not None:
        return special
    decimals = max(0, min(int(decimals), 12))
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(x, format=pattern, locale=_LOCALES.get(lang, "de_DE"))


def percent(share: float | None, lang: str, decimals: int = 1) -> str:
    """Format a share 0–1 as a percentage (never raises, as :func:`number`)."""
    x = _as_float(share)
    if x is None:
        return MISSING
    special = _special(x * 100.0 if math.isfinite(x) else x, lang, decimals)
    if special is not None:
        return f"{special} %"
    decimals = max(0, min(int(decimals), 12))
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + " %"
    return format_percent(x, format=pattern, locale=_LOCALES.get(lang, "de_DE"))


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
