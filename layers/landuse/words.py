"""What the land-use layers share: palettes, the per-class browser styles, texts, and the
assessment of the pack's plans (computed once per pack, cached).

Colours
-------
Land-use classes use Paul Tol's *muted* qualitative scheme (designed to stay distinct under
the common colour-vision deficiencies), constraint kinds the Okabe–Ito scheme; every class is
also named in the legend, the tooltip and the table, so no colour has to be told apart. The
conflict severities differ in colour (dark wine for hard, light sand for soft: a strong
lightness contrast), **and** in their outline: hard conflicts have a thick solid border, soft
ones a thinner dashed border, and plans a black outline without fill — the legend says so in
words.

Browser styles
--------------
The ``hideout`` of each layer carries two descriptions of the same classes:

* ``prop``/``breaks``/``colors`` for the existing ``allmende.map.choropleth`` function (a
  class number 1…n per feature, ``breaks`` = 1…n), which colours the fill;
* ``styles``: per class number the full Leaflet path style (``color``, ``weight``,
  ``dashArray``, ``fill``, ``fillColor``), which ``allmende.map.categorical`` in
  ``dashboard/assets/allmende.js`` applies per feature.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import shapely

from data.landuse_vocab import CONSTRAINT_KINDS, LANDUSE_CLASSES, PLAN_STATUSES, PLANNED_USES
from data.pack import CityPack, to_geojson
from layers.base import LegendEntry
from layers.texts import Text

if TYPE_CHECKING:  # the rule engine loads when a conflict layer is drawn, not with the registry
    from models.conflicts import Assessment

# Paul Tol, "muted" (9 colours + pale grey for "other")
LANDUSE_COLORS: dict[str, str] = {
    "residential": "#cc6677",
    "commercial": "#aa4499",
    "industrial": "#882255",
    "public": "#ddcc77",
    "green": "#44aa99",
    "forest": "#117733",
    "agriculture": "#999933",
    "allotments": "#332288",
    "water": "#88ccee",
    "other": "#dddddd",
}
# Okabe–Ito
CONSTRAINT_COLORS: dict[str, str] = {
    "cold_air": "#56b4e9",
    "ventilation_core": "#e69f00",
    "ventilation_band": "#f0e442",
    "flood_hq100": "#0072b2",
    "nature_protected": "#009e73",
    "green_corridor": "#cc79a7",
    "heat_hotspot": "#d55e00",
}
assert set(LANDUSE_COLORS) == set(LANDUSE_CLASSES)
assert set(CONSTRAINT_COLORS) == set(CONSTRAINT_KINDS)

# the conflict layer's three kinds of feature: class number, Leaflet path style
PLAN, SOFT, HARD = 1, 2, 3
PLAN_STYLE: dict[str, Any] = {
    "color": "#000000", "weight": 2, "dashArray": None, "fill": False, "fillColor": "#000000"
}  # fmt: skip
SOFT_STYLE: dict[str, Any] = {
    "color": "#6b5d00", "weight": 2, "dashArray": "8 6", "fill": True, "fillColor": "#ddcc77"
}  # fmt: skip
HARD_STYLE: dict[str, Any] = {
    "color": "#882255", "weight": 4, "dashArray": None, "fill": True, "fillColor": "#882255"
}  # fmt: skip
SEVERITY_CLASS = {"soft": SOFT, "hard": HARD}
# the fill the interim ``choropleth`` function gives a plan (it fills every feature); the
# ``categorical`` function draws plans unfilled, as PLAN_STYLE says
PLAN_CHOROPLETH_FILL = "#ffffff"

# The browser style function of the three layers (dashboard/assets/allmende.js): it draws each
# class's fill, border, dash and weight, which the conflict layer needs so that severity is
# not told by colour alone.
JS_STYLE = "categorical"

M2_PER_HA = 10_000.0

TEXTS: dict[str, Text] = {
    "landuse.title": {"de": "Flächennutzung", "en": "Land use"},
    "constraints.title": {"de": "Klima- und Schutzflächen", "en": "Climate and legal constraints"},
    "conflicts.title": {"de": "Vorhaben und Konflikte", "en": "Plans and conflicts"},
    "class": {"de": "Nutzung", "en": "Land use"},
    "kind": {"de": "Art", "en": "Kind"},
    "name": {"de": "Name", "en": "Name"},
    "source": {"de": "Quelle", "en": "Source"},
    "area": {"de": "Fläche", "en": "Area"},
    "share": {"de": "Anteil", "en": "Share"},
    "polygons": {"de": "Flächen", "en": "Polygons"},
    "total": {"de": "Zusammen", "en": "Total"},
    "ha": {"de": "ha", "en": "ha"},
    "unnamed": {"de": "ohne Namen", "en": "unnamed"},
    "plan": {"de": "Vorhaben", "en": "Plan"},
    "use": {"de": "Geplante Nutzung", "en": "Planned use"},
    "status": {"de": "Stand", "en": "Status"},
    "dwellings": {"de": "Wohnungen", "en": "Dwellings"},
    "conflicts": {"de": "Konflikte (Regeln)", "en": "Conflicts (rules)"},
    "severity": {"de": "Einstufung", "en": "Verdict"},
    "conflict_area": {"de": "Konfliktfläche", "en": "Conflict area"},
    "conflict_share": {"de": "Anteil am Vorhaben", "en": "Share of the plan"},
    "score": {"de": "Schwere (Punkte)", "en": "Severity score"},
    "explanations": {"de": "Erklärung", "en": "Explanation"},
    "none": {"de": "keine", "en": "none"},
    "legend.plan": {
        "de": "Vorhaben (schwarze Umrisslinie, ohne Füllung)",
        "en": "Planned development (black outline, no fill)",
    },
    "legend.soft": {
        "de": "Weicher Konflikt (helle Füllung, gestrichelter Rand)",
        "en": "Soft conflict (light fill, dashed border)",
    },
    "legend.hard": {
        "de": "Harter Konflikt (dunkle Füllung, dicker durchgezogener Rand)",
        "en": "Hard conflict (dark fill, thick solid border)",
    },
    "severity.hard": {"de": "hart", "en": "hard"},
    "severity.soft": {"de": "weich", "en": "soft"},
    "rules.note": {"de": "Regeln: {source}", "en": "Rules: {source}"},
    "rules.own": {
        "de": "die Regeldatei des Stadtpakets ({file})",
        "en": "the city pack's rule file ({file})",
    },
    "rules.default": {
        "de": "die Regeln der Demo-Stadt ({file}); das Stadtpaket hat keine eigene {name}",
        "en": "the demo city's rules ({file}); the city pack has no {name} of its own",
    },
    "reference": {"de": "Grundlage", "en": "Reference"},
    "exception": {"de": "Ausnahme", "en": "Exception"},
}

USE_LABELS = PLANNED_USES
STATUS_LABELS = PLAN_STATUSES


def class_styles(colors: list[str], weight: float = 1, outline: str = "#333333") -> dict[str, Any]:
    """Per class number (1…n, as text: JSON keys) a filled Leaflet path style."""
    return {
        str(i): {
            "color": outline,
            "weight": weight,
            "dashArray": None,
            "fill": True,
            "fillColor": c,
        }
        for i, c in enumerate(colors, start=1)
    }


def class_hideout(prop: str, colors: list[str], styles: dict[str, Any]) -> dict[str, Any]:
    """The hideout for class numbers 1…n in ``prop`` (see the module docstring)."""
    return {
        "prop": prop,
        "breaks": [float(i) for i in range(1, len(colors) + 1)],
        "colors": list(colors),
        "styles": styles,
    }


def legend_entry(path_style: dict[str, Any], label: str, fill_opacity: float) -> LegendEntry:
    """The legend entry of a class drawn with the Leaflet ``path_style``: its fill (or none)
    at the layer's ``fill_opacity``, its border's colour and width, dashed where the map
    dashes it — so a border the colour of the fill (hard conflicts) still shows as a frame."""
    fill = path_style.get("fill", True) is not False
    return LegendEntry(
        path_style["fillColor"] if fill else path_style["color"],
        label,
        outline=path_style["color"],
        fill=fill,
        dash=path_style.get("dashArray") or None,
        weight=int(path_style.get("weight") or 1),
        fill_opacity=fill_opacity if fill else None,
    )


GRID_DEGREES = 1e-6  # coordinates on the map: 6 decimals (about 0.1 m), valid after snapping
SIMPLIFY_M = 1.0  # map outlines are simplified by 1 m (areas and tables use the full geometry)


def light_geojson(frame: gpd.GeoDataFrame, metric_crs: Any) -> dict[str, Any]:
    """:func:`data.pack.to_geojson` of ``frame`` with its outlines simplified by
    :data:`SIMPLIFY_M` in ``metric_crs`` (topology kept) and its coordinates snapped to
    :data:`GRID_DEGREES` (``shapely.set_precision`` keeps polygons valid): on the demo's
    constraint zones, 26 467 vertices become about 10 000, nothing a map shows is lost."""
    metric = frame.to_crs(metric_crs)
    metric = metric.set_geometry(metric.geometry.simplify(SIMPLIFY_M, preserve_topology=True))
    wgs = metric.to_crs("EPSG:4326")
    wgs = wgs.set_geometry(shapely.set_precision(wgs.geometry.values, GRID_DEGREES))
    return to_geojson(wgs[~wgs.geometry.is_empty])


def present(values: Any, vocabulary: dict[str, Any]) -> list[str]:
    """The vocabulary's keys that occur in ``values``, in the vocabulary's order."""
    seen = set(map(str, values))
    return [k for k in vocabulary if k in seen]


@lru_cache(maxsize=4)
def assessment(pack: CityPack) -> Assessment:
    """The pack's plans assessed against its constraints under its rules
    (:func:`models.conflict_rules.rules_for_pack`): once per pack (the pack's version is part
    of the pack object), shared by the map, the table and the click panel."""
    from models.conflict_rules import load_rules, rules_for_pack
    from models.conflicts import assess

    path, _why = rules_for_pack(pack.folder)
    rules = load_rules(path)
    return assess(
        pack.metric("plans"), pack.metric("constraints"), rules, metric_crs=pack.city.metric_crs
    )
