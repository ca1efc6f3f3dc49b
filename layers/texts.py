"""Texts of layers and charts: one lookup for every theme's text table.

Texts that belong to layers, charts and their data travel as language dicts
(``{"de": …, "en": …}``, :data:`Text`). A theme module keeps the texts it shows in one table
(a dict from key to :data:`Text`, e.g. ``TEXTS`` in :mod:`layers.heat.charts`) and reads them
with :func:`text`; a single label (a layer's title, a parameter's choice) goes through
:func:`tr`. Both fall back to German, the project's first language. The dashboard's own UI
strings live in :mod:`dashboard.i18n`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Text = Mapping[str, str]  # {"de": ..., "en": ...}


def tr(text: Text, lang: str) -> str:
    """The text in ``lang``, falling back to German (the project's first language)."""
    return text.get(lang) or text["de"]


def text(table: Mapping[str, Text], key: str, lang: str, **values: Any) -> str:
    """The text ``key`` of ``table`` in ``lang`` (German if missing), its ``{placeholders}``
    filled from ``values`` (a text is left as written when no values are given).

    A missing key is a ``KeyError`` that names the key and the keys the table has.
    """
    try:
        entry = table[key]
    except KeyError as err:
        keys = sorted(table)
        known = ", ".join(keys[:12]) + (", …" if len(keys) > 12 else "")
        raise KeyError(f"no text {key!r} in this table; it has {known}") from err
    out = tr(entry, lang)
    return out.format(**values) if values else out
