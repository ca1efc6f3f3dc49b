"""Documented facts behind the demo city's land use, planned developments and constraint names.

* Land use 2016 (Kataster, hectares; FACTS.md section 1, from the city statistics theme t8
  via defgsus/bm-wahl-18-jena ``data/stat-t4.json``): the targets of the synthetic land-use
  polygons. The Kataster has no split of "buildings and open space" into housing, business
  and public land, so that split is an assumption (:data:`BUILT_SPLIT`).
* Planned developments: real projects of the city's project list ("Vorhabenliste" of
  25.06.2015, ``jena_statistics/jena_vorhabenliste_20150625.json``), only their id, short
  name, kind and Ortsteil; the planned use and status are our reading of the project's
  title and its stated stage. Dwellings and plan areas are invented (the list gives none).

Facts and figures only; no text is copied. Units: hectares, dwellings.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Where the land-use facts come from (catalog ``source``).
SOURCE_LANDUSE = {
    "de": "Nur dokumentierte Fakten, ohne Datendateien: Flächennutzung 2016 (Kataster): Stadt Jena, Fachdienst Statistik "
    "(statistiken.jena.de); Vorhaben: Vorhabenliste der Stadt Jena vom 25.06.2015 "
    "(Name, Art, Ortsteil); Saale aus OpenStreetMap",
    "en": "Facts only, no data files: land use 2016 (cadastre): Stadt Jena, Fachdienst Statistik (statistiken.jena.de); "
    "projects: the City of Jena's project list of 25 June 2015 (name, kind, Ortsteil); "
    "the Saale from OpenStreetMap",
}

#: Kataster land use 2016 by our land-use class, hectares (FACTS.md section 1): buildings and
#: open space → the four built classes together; traffic → ``other``; agriculture minus
#: gardens → ``agriculture``; gardens → ``allotments``; recreation + cemetery → ``green``.
LANDUSE_TARGETS_HA: dict[str, float] = {
    "built": 1_573.7,
    "other": 876.5,
    "agriculture": 4_517.6 - 480.4,
    "allotments": 480.4,
    "forest": 3_712.3,
    "water": 116.1,
    "green": 307.0 + 32.4,
}
#: Assumed split of the built land (shares; industrial = the grid's business parks).
BUILT_SPLIT: dict[str, float] = {"commercial": 0.10, "public": 0.12}

#: The river the valley follows, and its side valleys (names of the constraint zones).
RIVER_NAME = "Saale"


@dataclass(frozen=True)
class PlanFact:
    """One project of the 2015 project list, as the fact behind a demo plan.

    ``where``: where in its Ortsteil the demo puts it — ``centre`` (the Ortsteil's
    centroid), ``river`` (the Ortsteil's land nearest the river), ``edge`` (the Ortsteil's
    land farthest from the old town). ``area_ha`` and ``dwellings`` are invented.
    """

    list_id: str
    name: str
    ortsteil: str
    use: str
    status: str
    where: str
    area_ha: float
    dwellings: int


PLANS: tuple[PlanFact, ...] = (
    PlanFact("439390", "Bachstraßenviertel", "Jena-West", "mixed", "planning", "centre", 4.0, 180),
    PlanFact(
        "439393", "Hausbergviertel", "Wenigenjena", "residential", "planning", "edge", 6.0, 220
    ),
    PlanFact("439662", "Maua West", "Maua", "commercial", "planning", "river", 8.0, 0),
    PlanFact(
        "450306", "Wohngebiet Am Oelste", "Zwätzen", "residential", "planning", "edge", 7.0, 250
    ),
    PlanFact(
        "457587", "Schulstandort Jenzigweg", "Wenigenjena", "public", "approved", "river", 2.0, 0
    ),
    PlanFact(
        "457601",
        "Wohnpark Kippendorfer Weg",
        "Isserstedt",
        "residential",
        "planning",
        "edge",
        5.0,
        90,
    ),
    PlanFact(
        "457622",
        "Wohnen am Johannisberg",
        "Lobeda-Altstadt",
        "residential",
        "idea",
        "edge",
        3.0,
        60,
    ),
    PlanFact(
        "457633", "Universitätsklinikum Lobeda", "Neulobeda", "public", "approved", "centre", 5.0, 0
    ),
    PlanFact("457650", "Im oberen Kreuz", "Göschwitz", "residential", "idea", "edge", 3.5, 70),
    PlanFact("457661", "Inselplatz", "Jena-Zentrum", "public", "planning", "river", 2.5, 0),
    PlanFact(
        "457666",
        "Wohngebiet beim Mönchenberge",
        "Zwätzen",
        "residential",
        "idea",
        "river",
        4.5,
        140,
    ),
    PlanFact("517524", "Ernst-Abbe-Stadion", "Kernberge", "public", "planning", "river", 6.0, 0),
)
