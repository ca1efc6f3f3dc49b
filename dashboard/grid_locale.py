"""The words AG Grid itself shows (pagination, filter menus, "no rows"), in the page's
language: its ``localeText``. AG Grid's own words are English, so English needs none.

Only the keys our grids show are here (no enterprise features); a key AG Grid does not find
falls back to its English default, which a test would show as English text on a German page.
"""

from __future__ import annotations

from typing import Any

GERMAN: dict[str, str] = {
    # pagination
    "page": "Seite",
    "to": "bis",
    "of": "von",
    "more": "mehr",
    "next": "Weiter",
    "last": "Letzte",
    "first": "Erste",
    "previous": "Zurück",
    "firstPage": "Erste Seite",
    "previousPage": "Vorige Seite",
    "nextPage": "Nächste Seite",
    "lastPage": "Letzte Seite",
    "pageSizeSelectorLabel": "Zeilen je Seite:",
    "ariaPageSizeSelectorLabel": "Zeilen je Seite",
    "pageLastRowUnknown": "?",
    # rows
    "noRowsToShow": "Keine Zeilen",
    "loadingOoo": "Wird geladen …",
    "loadingError": "Fehler",
    # filter menus
    "filterOoo": "Filtern …",
    "equals": "ist gleich",
    "notEqual": "ist ungleich",
    "blank": "leer",
    "notBlank": "nicht leer",
    "empty": "Bedingung wählen",
    "lessThan": "kleiner als",
    "greaterThan": "größer als",
    "lessThanOrEqual": "kleiner oder gleich",
    "greaterThanOrEqual": "größer oder gleich",
    "inRange": "zwischen",
    "inRangeStart": "von",
    "inRangeEnd": "bis",
    "contains": "enthält",
    "notContains": "enthält nicht",
    "startsWith": "beginnt mit",
    "endsWith": "endet mit",
    "before": "vor",
    "after": "nach",
    "andCondition": "UND",
    "orCondition": "ODER",
    "applyFilter": "Anwenden",
    "resetFilter": "Zurücksetzen",
    "clearFilter": "Leeren",
    "cancelFilter": "Abbrechen",
    "filterConditions": "Bedingungen",
    "ariaFilterInput": "Filtereingabe",
    "ariaFilterValue": "Filterwert",
    "ariaFilteringOperator": "Filteroperator",
    "ariaFilterFromValue": "Filtern ab Wert",
    "ariaFilterToValue": "Filtern bis Wert",
    "ariaFilterList": "Filter",
    "ariaFilterMenuOpen": "Filtermenü öffnen",
    "ariaColumnFiltered": "Spalte gefiltert",
    "ariaMenuColumn": "Spaltenmenü öffnen",
    "columnFilter": "Spaltenfilter",
    # sorting and selection, as screen readers announce them
    "ariaSortableColumn": "Zum Sortieren Eingabetaste drücken",
    "ariaRowSelect": "Leertaste drücken, um diese Zeile auszuwählen",
    "ariaRowDeselect": "Leertaste drücken, um die Auswahl dieser Zeile aufzuheben",
    "ariaRowToggleSelection": "Leertaste drücken, um die Zeilenauswahl umzuschalten",
    "ariaChecked": "ausgewählt",
    "ariaUnchecked": "nicht ausgewählt",
    "ariaHidden": "verborgen",
    "ariaVisible": "sichtbar",
    "ariaSearch": "Suchen",
}


def locale_text(lang: str) -> dict[str, str]:
    """AG Grid's ``localeText`` for ``lang`` (English: AG Grid's own words, so none; any
    other code: German, the app's first language)."""
    return {} if lang == "en" else GERMAN


def grid_options(lang: str, **options: Any) -> dict[str, Any]:
    """``dashGridOptions`` with the page language's ``localeText`` and ``options``."""
    text = locale_text(lang)
    return {**options, **({"localeText": text} if text else {})}
