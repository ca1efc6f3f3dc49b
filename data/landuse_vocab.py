"""The words of the land-use theme: land-use classes, planned uses and constraint kinds.

One vocabulary for the importers (:mod:`data.importers`), the pack schemas
(:mod:`data.schemas`), the conflict rules (:mod:`models.conflicts`) and the layers, so a rule
file, a plan file and the map speak of the same things. Labels are de/en for the UI.

The datasets of the theme (polygons in the pack's metric CRS):

* ``landuse`` — what the land is used for today: ``use`` (one of :data:`LANDUSE_CLASSES`),
  optional ``name`` and ``source_tag`` (e.g. the OSM tag it was mapped from);
* ``plans`` — planned developments: ``plan_id`` (unique), ``name``, ``use`` (one of
  :data:`PLANNED_USES`), ``dwellings`` (int ≥ 0, may be missing), ``status`` (one of
  :data:`PLAN_STATUSES`), optional ``source``;
* ``constraints`` — climate and legal constraint zones: ``constraint_id`` (unique), ``kind``
  (one of :data:`CONSTRAINT_KINDS`), ``name``, optional ``source``.
"""

from __future__ import annotations

LANDUSE_CLASSES: dict[str, dict[str, str]] = {
    "residential": {"de": "Wohnen", "en": "Residential"},
    "commercial": {"de": "Gewerbe und Handel", "en": "Commercial"},
    "industrial": {"de": "Industrie", "en": "Industrial"},
    "public": {"de": "Gemeinbedarf", "en": "Public facilities"},
    "green": {"de": "Grünanlagen", "en": "Public green"},
    "forest": {"de": "Wald", "en": "Forest"},
    "agriculture": {"de": "Landwirtschaft", "en": "Agriculture"},
    "allotments": {"de": "Kleingärten", "en": "Allotments"},
    "water": {"de": "Wasser", "en": "Water"},
    "other": {"de": "Sonstiges", "en": "Other"},
}

PLANNED_USES: dict[str, dict[str, str]] = {
    "residential": {"de": "Wohnen", "en": "Residential"},
    "mixed": {"de": "Gemischte Nutzung", "en": "Mixed use"},
    "commercial": {"de": "Gewerbe und Handel", "en": "Commercial"},
    "industrial": {"de": "Industrie", "en": "Industrial"},
    "public": {"de": "Gemeinbedarf", "en": "Public facilities"},
    "infrastructure": {"de": "Verkehr und Infrastruktur", "en": "Transport and infrastructure"},
    "green": {"de": "Grünfläche", "en": "Green space"},
}

# planned uses that build and seal land (what "building" rules apply to)
BUILDING_USES = ("residential", "mixed", "commercial", "industrial", "public", "infrastructure")

PLAN_STATUSES: dict[str, dict[str, str]] = {
    "idea": {"de": "Idee", "en": "Idea"},
    "planning": {"de": "In Planung", "en": "In planning"},
    "approved": {"de": "Genehmigt", "en": "Approved"},
    "under_construction": {"de": "Im Bau", "en": "Under construction"},
}

CONSTRAINT_KINDS: dict[str, dict[str, str]] = {
    "cold_air": {"de": "Kaltluftentstehungsgebiet", "en": "Cold-air production area"},
    "ventilation_core": {
        "de": "Luftleitbahn (Kern, 100 m)",
        "en": "Ventilation corridor (core, 100 m)",
    },
    "ventilation_band": {
        "de": "Luftleitbahn (Band, 300 m)",
        "en": "Ventilation corridor (band, 300 m)",
    },
    "flood_hq100": {"de": "Überschwemmungsgebiet HQ100", "en": "Flood zone HQ100"},
    "nature_protected": {"de": "Naturschutzgebiet", "en": "Protected nature area"},
    "green_corridor": {"de": "Grünzug", "en": "Green corridor"},
    "heat_hotspot": {"de": "Hitze-Schwerpunkt", "en": "Heat hotspot"},
}

SEVERITIES = ("hard", "soft")
