"""Documented facts about Jena that the demo generator builds its synthetic city from.

Which numbers may the demo city rely on? Only the ones below. They were typed in from the
project's fact sheet ``FACTS.md`` (sections 1, 2a and 3), which names the original public
sources:

* City bbox, area, population and age structure (section 1): the OSM city boundary
  (OffenesJena/OffeneGeodaten, ``Gebiete/OpenStreetMap/Jena.geojson``), the VG250 boundary
  and the city statistics (Stadt Jena, InstantAtlas ``statistiken.jena.de``, Melderegister,
  main residence, 31.12.2017, via defgsus/bm-wahl-18-jena ``data/stat-t4.json``).
* The 30 Ortsteile (section 2a): centroid and area derived from the official Ortsteil
  boundaries (opendata.jena.de via OffenesJena/jenathon-privathaushalte-jena); population,
  under 18 and 65+ are the 2017 statistical-district figures summed per Ortsteil (41 → 30
  districts by largest overlap, so approximate: Jena-Süd is probably too high, Winzerla and
  Burgau too low).
* The Saale (section 3): 16 evenly spaced points of OSM ``waterway=river name=Saale``
  (© OpenStreetMap-Mitwirkende, ODbL), clipped to the city, south to north.

Nothing here is read at run time from anywhere else. Units: degrees (WGS84 lon/lat),
km², persons.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Where the demo's facts come from (catalog ``source``, German and English).
SOURCE_FACTS = {
    "de": "Nur dokumentierte Fakten, ohne Datendateien: Stadt Jena, Fachdienst Statistik "
    "(Melderegister 31.12.2017, statistiken.jena.de); Schwerpunkte und Flächen der Ortsteile "
    "von opendata.jena.de; Lauf der Saale aus OpenStreetMap",
    "en": "Facts only, no files: Stadt Jena, Fachdienst Statistik (Melderegister 31.12.2017, "
    "statistiken.jena.de); Ortsteil centroids and areas from opendata.jena.de; "
    "course of the Saale from OpenStreetMap",
}
SOURCE_POPULATION = "Stadt Jena, Melderegister (Hauptwohnsitz), 31.12.2017"
POPULATION_DATE = "2017-12-31"

# --- section 1: city basics ----------------------------------------------------------------

#: City bbox (min_lon, min_lat, max_lon, max_lat) of the OSM city boundary, WGS84 degrees.
CITY_BBOX: tuple[float, float, float, float] = (11.4990, 50.8561, 11.6730, 50.9889)
#: Official area (VG250 ``SHAPE_AREA``), km².
CITY_AREA_KM2 = 114.66
#: Population with main residence, 31.12.2017.
CITY_POPULATION_2017 = 108_722
#: Age structure 2017 (main residence), persons per age band (lower bound inclusive).
CITY_AGE_2017: dict[str, int] = {
    "0-3": 3_388,
    "3-6": 3_105,
    "6-10": 3_998,
    "10-16": 5_023,
    "16-18": 1_514,
    "18-25": 10_576,
    "25-27": 3_719,
    "27-45": 28_993,
    "45-60": 19_008,
    "60-65": 5_986,
    "65+": 23_412,
}
CITY_UNDER6_2017 = CITY_AGE_2017["0-3"] + CITY_AGE_2017["3-6"]  # 6,493
CITY_UNDER18_2017 = CITY_UNDER6_2017 + sum(CITY_AGE_2017[k] for k in ("6-10", "10-16", "16-18"))
CITY_65PLUS_2017 = CITY_AGE_2017["65+"]
#: Land use 2016 (Kataster), hectares; used only to calibrate the synthetic land cover.
CITY_LANDUSE_2016_HA: dict[str, float] = {
    "buildings_open_space": 1_573.7,
    "traffic": 876.5,
    "agriculture": 4_517.6,
    "forest": 3_712.3,
    "water": 116.1,
    "recreation": 307.0,
    "cemetery": 32.4,
}
#: The Markt (old town centre), lon/lat (FACTS.md section 3 and 5).
MARKT: tuple[float, float] = (11.5878, 50.9282)


# --- section 2a: the 30 Ortsteile ----------------------------------------------------------


@dataclass(frozen=True)
class Ortsteil:
    """One official Ortsteil with its 2017 figures.

    ``lon``/``lat`` is the centroid of the official polygon (WGS84), ``area_km2`` its area
    in EPSG:25832; ``population``, ``under18`` and ``over65`` are persons with main residence
    on 31.12.2017 (approximate, see the module docstring). ``planungsraum`` is the planning
    area holding most of its population (derived; Jena-Süd is split in reality).
    """

    name: str
    lon: float
    lat: float
    area_km2: float
    population: int
    under18: int
    over65: int
    planungsraum: str


# In the order of FACTS.md section 2 (alphabetical); district ids "01".."30" follow it.
ORTSTEILE: tuple[Ortsteil, ...] = (
    Ortsteil("Ammerbach", 11.54, 50.90569, 5.04, 470, 82, 114, "Ortschaften"),
    Ortsteil("Burgau", 11.59314, 50.89685, 1.4, 575, 116, 104, "Winzerla"),
    Ortsteil("Closewitz", 11.58004, 50.96125, 4.12, 131, 18, 33, "Ortschaften"),
    Ortsteil("Cospeda", 11.55483, 50.94831, 3.36, 1354, 236, 276, "Ortschaften"),
    Ortsteil("Drackendorf", 11.63631, 50.89445, 3.59, 827, 145, 174, "Ortschaften"),
    Ortsteil("Göschwitz", 11.58691, 50.87886, 2.28, 593, 96, 136, "Ortschaften"),
    Ortsteil("Ilmnitz", 11.65211, 50.88562, 1.69, 529, 119, 64, "Ortschaften"),
    Ortsteil("Isserstedt", 11.52107, 50.95687, 6.87, 838, 168, 165, "Ortschaften"),
    Ortsteil("Jena-Nord", 11.5955, 50.94659, 4.34, 16272, 2250, 4013, "Nord"),
    Ortsteil("Jena-Süd", 11.55901, 50.92091, 7.8, 13118, 2111, 2383, "West/Zentrum"),
    Ortsteil("Jena-West", 11.56708, 50.93699, 3.39, 9019, 1657, 1196, "West/Zentrum"),
    Ortsteil("Jena-Zentrum", 11.58792, 50.92982, 1.21, 4812, 601, 456, "West/Zentrum"),
    Ortsteil("Jenaprießnitz/Wogau", 11.65116, 50.92392, 7.52, 1154, 192, 267, "Ortschaften"),
    Ortsteil("Kernberge", 11.60029, 50.91861, 3.14, 4738, 889, 1072, "Ost"),
    Ortsteil("Krippendorf", 11.54899, 50.97473, 3.16, 112, 11, 36, "Ortschaften"),
    Ortsteil("Kunitz/Laasan", 11.64681, 50.95055, 8.04, 904, 208, 140, "Ortschaften"),
    Ortsteil("Leutra", 11.56033, 50.86649, 4.7, 138, 25, 26, "Ortschaften"),
    Ortsteil("Lichtenhain", 11.54889, 50.91465, 2.13, 1260, 163, 118, "West/Zentrum"),
    Ortsteil("Lobeda-Altstadt", 11.61481, 50.89847, 3.37, 1663, 292, 405, "Lobeda"),
    Ortsteil("Löbstedt", 11.61421, 50.95166, 0.93, 771, 105, 214, "Nord"),
    Ortsteil("Lützeroda", 11.5541, 50.95965, 1.44, 171, 31, 37, "Ortschaften"),
    Ortsteil("Maua", 11.59215, 50.86536, 3.36, 355, 49, 89, "Ortschaften"),
    Ortsteil("Münchenroda/Remderoda", 11.52109, 50.92765, 5.31, 381, 82, 65, "Ortschaften"),
    Ortsteil("Neulobeda", 11.61542, 50.88237, 3.64, 22568, 3212, 5795, "Lobeda"),
    Ortsteil("Vierzehnheiligen", 11.53457, 50.97198, 1.98, 114, 25, 22, "Ortschaften"),
    Ortsteil("Wenigenjena", 11.61549, 50.93289, 5.02, 11400, 1955, 2644, "Ost"),
    Ortsteil("Winzerla", 11.57275, 50.89026, 5.18, 10379, 1319, 2619, "Winzerla"),
    Ortsteil("Wöllnitz", 11.60222, 50.90867, 2.67, 559, 86, 148, "Ortschaften"),
    Ortsteil("Ziegenhain", 11.62752, 50.91564, 2.61, 416, 92, 98, "Ortschaften"),
    Ortsteil("Zwätzen", 11.6153, 50.96389, 5.47, 3101, 681, 503, "Nord"),
)

#: Sum of the Ortsteil table (equals CITY_POPULATION_2017).
ORTSTEILE_POPULATION = sum(o.population for o in ORTSTEILE)  # 108,722
#: Sum of the Ortsteil <18 column: 17,016, 12 fewer than the city's 17,028 (rounding residue
#: of the statistical-district percentages the table was derived from).
ORTSTEILE_UNDER18 = sum(o.under18 for o in ORTSTEILE)
#: Sum of the Ortsteil 65+ column (equals CITY_65PLUS_2017, 23,412).
ORTSTEILE_65PLUS = sum(o.over65 for o in ORTSTEILE)
#: Sum of the Ortsteil areas: 114.76 km², 0.1 km² more than the VG250 city area.
ORTSTEILE_AREA_KM2 = sum(o.area_km2 for o in ORTSTEILE)

#: Population 2017 per Planungsraum (derived from the 41 statistical districts).
PLANUNGSRAUM_POPULATION_2017: dict[str, int] = {
    "West/Zentrum": 24_815,
    "Lobeda": 24_231,
    "Nord": 20_144,
    "Ost": 16_138,
    "Winzerla": 14_348,
    "Ortschaften": 9_046,
}


def under6_ratio() -> float:
    """City-wide share of under-6s among under-18s in 2017 (6,493 / 17,028 ≈ 0.381)."""
    return CITY_UNDER6_2017 / CITY_UNDER18_2017


# --- section 3: the Saale ------------------------------------------------------------------

#: Sixteen evenly spaced points on the Saale inside the city, south to north (lon, lat).
SAALE_POINTS: tuple[tuple[float, float], ...] = (
    (11.6116, 50.8634),
    (11.6038, 50.8719),
    (11.5949, 50.8783),
    (11.6025, 50.8866),
    (11.5982, 50.8946),
    (11.5940, 50.9037),
    (11.5839, 50.9076),
    (11.5776, 50.9137),
    (11.5850, 50.9202),
    (11.5937, 50.9262),
    (11.5960, 50.9359),
    (11.6071, 50.9399),
    (11.6166, 50.9461),
    (11.6268, 50.9505),
    (11.6342, 50.9579),
    (11.6351, 50.9671),
)
#: Length of the Saale inside the city, km (approx.).
SAALE_LENGTH_KM = 15.8


# --- social figures per Ortsteil (derived) ---------------------------------------------------

#: Registered unemployed persons ("Arbeitslose insgesamt", Bundesagentur für Arbeit, 31.12.2017)
#: per Ortsteil. Derived by hand from ``jena_statistics/jena_statbez_indicators_2007_2017.csv``
#: (year 2017, which has values for every statistical district): the sum over the statistical
#: districts assigned to each Ortsteil in FACTS.md section 2a (the same 41 → 30 assignment as
#: the populations, so equally approximate). The Ortsteile sum to 3,020; the city total is
#: 3,039, of which 9 are "nicht zugeordnet" (not assigned to a district) and 10 are lost in
#: the source, which apparently reports small counts as 0 (eight small districts show 0).
ORTSTEIL_UNEMPLOYED_2017: dict[str, int] = {
    "Ammerbach": 4,
    "Burgau": 8,
    "Closewitz": 0,
    "Cospeda": 28,
    "Drackendorf": 3,
    "Göschwitz": 6,
    "Ilmnitz": 0,
    "Isserstedt": 11,
    "Jena-Nord": 416,
    "Jena-Süd": 270,
    "Jena-West": 202,
    "Jena-Zentrum": 138,
    "Jenaprießnitz/Wogau": 16,
    "Kernberge": 54,
    "Krippendorf": 0,
    "Kunitz/Laasan": 9,
    "Leutra": 0,
    "Lichtenhain": 32,
    "Lobeda-Altstadt": 25,
    "Löbstedt": 29,
    "Lützeroda": 0,
    "Maua": 3,
    "Münchenroda/Remderoda": 0,
    "Neulobeda": 1060,
    "Vierzehnheiligen": 4,
    "Wenigenjena": 185,
    "Winzerla": 446,
    "Wöllnitz": 12,
    "Ziegenhain": 7,
    "Zwätzen": 52,
}
#: City total of registered unemployed, 31.12.2017 (same file, statbez_id 0).
CITY_UNEMPLOYED_2017 = 3_039
#: Of them, listed as "nicht zugeordnet" (not assigned to any statistical district).
UNASSIGNED_UNEMPLOYED_2017 = 9


# --- heat-sensitive facilities (counts only) --------------------------------------------------

#: Kindergartens and schools in the OSM snapshot of Jena, 2014 (``amenity=kindergarten``: 58,
#: ``amenity=school``: 45; counted in ``jena_osm_2014/jena_osm_pois_2014.geojson``). Only the
#: counts are used; the demo places its facilities itself.
KITAS_OSM_2014 = 58
SCHOOLS_OSM_2014 = 45
#: Care homes: an assumption, about one per 1,200 residents aged 65+ (23,412 / 20). The OSM
#: snapshot lists only 6 ``amenity=nursing_home``, surely incomplete; no official count is
#: in the facts.
CARE_HOMES_APPROX = 20
#: The Universitätsklinikum Jena in Lobeda, placed at the tram stop "Universitätsklinikum"
#: (FACTS.md section 4), lon/lat; approximate.
KLINIKUM_LOBEDA: tuple[float, float] = (11.61958, 50.88408)
#: A second, central site of the Universitätsklinikum: the 2014 OSM snapshot lists a hospital
#: "Bachstraße" operated by the Universitätsklinikum Jena in the old town. Placed at the
#: Johannisplatz stop (FACTS.md section 5), near that clinic quarter; approximate, and perhaps
#: out of date (most clinics have moved to Lobeda since).
KLINIKUM_CENTRE: tuple[float, float] = (11.5837, 50.9292)
