"""Numbers as people read them: ``1.234,5`` in German, ``1,234.5`` in English (via Babel)."""

from __future__ import annotations

import math

from babel.numbers import format_decimal, format_percent

_LOCALES = {"de": "de_DE", "en": "en_GB"}


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
