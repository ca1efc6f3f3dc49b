"""Documented facts (and declared guesses) behind the synthetic pedestrian counts of Jena.

Typed in from the project's fact sheet ``FACTS.md`` section 4 (tram stops, from the OSM
snapshot of 17 Dec 2014) and section 5 (pedestrian counting); nothing is read at run time.

* Level: hystreet.com location 247 "Löbderstraße", Jena, averaged ≈ 11,376 pedestrians a
  day in 2021 (hystReet R package, ``data/ratio.RData``). All other site levels are
  GUESSES scaled from it (old-town streets) or set lower (district centres).
* Hourly shape: shares of the daily total by hour for Monday and Saturday, Moers
  Steinstraße, May–Jul 2022 (real hourly hystreet data, derived in FACTS.md).
* Weekday pattern: mean daily totals by weekday at the same site (Mon 11,035 … Sat 16,617,
  Sun 5,418; shops are closed on Sunday).
* Coordinates: Markt, Holzmarkt, Eichplatz, Johannisplatz (FACTS.md section 5); tram stops
  Paradiesbahnhof, Ernst-Abbe-Platz, Lobeda-West, Winzerla, Jena Ost, Lobeda-Ost
  (section 4); Löbderstraße and Johannisstraße are interpolated (FACTS says "verify");
  Wagnergasse and Kirchplatz are placed by hand (approximate, flagged ``approx``).

Units: lon/lat in WGS84 degrees, levels in pedestrians per day, shares in % of the day.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Where the footfall facts come from (catalog ``source``, German and English).
SOURCE_FOOTFALL = {
    "de": "Nur dokumentierte Fakten, ohne Datendateien: hystreet.com Standort 247 Jena "
    "Löbderstraße, mittlere Tageszählung 2021 (R-Paket hystReet); Verlauf über Stunden und "
    "Wochentage von Moers Steinstraße, Mai–Juli 2022 (hystreet); Haltestellen aus "
    "OpenStreetMap (2014); Feiertage und Schulferien in Thüringen",
    "en": "Facts only, no files: hystreet.com location 247 Jena Löbderstraße, mean daily count "
    "2021 (hystReet R package); hourly and weekday shape of Moers Steinstraße, May–Jul "
    "2022 (hystreet); stop positions from OpenStreetMap (2014); Thuringian public and "
    "school holidays",
}

#: hystreet mean daily count at Jena Löbderstraße in 2021, pedestrians/day.
LOEBDERSTRASSE_MEAN_DAILY_2021 = 11_376

#: Share of the daily total by local hour 0…23 on a Monday, % (Moers Steinstraße, 2022).
HOURLY_SHARE_MONDAY: tuple[float, ...] = (
    0.1, 0.1, 0, 0, 0.1, 0.1, 0.4, 1.0, 2.1, 4.8, 8.6, 10.4,
    10.8, 10.1, 9.3, 10.2, 10.0, 9.2, 6.6, 3.0, 1.4, 1.0, 0.6, 0.2,
)  # fmt: skip
#: Share of the daily total by local hour 0…23 on a Saturday, % (Moers Steinstraße, 2022).
HOURLY_SHARE_SATURDAY: tuple[float, ...] = (
    0.3, 0.2, 0.1, 0, 0, 0, 0.1, 0.3, 0.6, 2.3, 6.2, 10.3,
    12.3, 12.3, 11.8, 11.5, 10.4, 8.4, 4.9, 2.5, 2.0, 1.6, 1.2, 0.7,
)  # fmt: skip
#: Mean daily total by weekday Mon…Sun, pedestrians/day (Moers Steinstraße, 2022).
WEEKDAY_MEANS: tuple[int, ...] = (11_035, 13_206, 11_549, 11_230, 16_503, 16_617, 5_418)


@dataclass(frozen=True)
class Site:
    """One synthetic counting site.

    ``level`` is the intended mean daily total over the demo period (pedestrians/day);
    ``semester`` the extra share during lecture time; ``evening`` and ``commute`` mix an
    evening or a commuter shape into the hourly profile (0–1); ``christmas``,
    ``altstadtfest`` and ``kulturarena`` weight the events (0 = not affected).
    """

    site_id: str
    name: str
    lon: float
    lat: float
    kind: str  # "altstadt" | "stadtteil"
    approx: bool
    level: float
    semester: float = 0.0
    evening: float = 0.0
    commute: float = 0.0
    christmas: float = 0.0
    altstadtfest: float = 0.0
    kulturarena: float = 0.0


#: The counting sites. Levels other than Löbderstraße are guesses.
SITES: tuple[Site, ...] = (
    Site("loebderstrasse", "Löbderstraße", 11.5868, 50.9270, "altstadt", True, 11_300,
         semester=0.08, christmas=0.3, altstadtfest=0.6),
    Site("johannisstrasse", "Johannisstraße", 11.585, 50.929, "altstadt", True, 9_800,
         semester=0.10, evening=0.1, christmas=0.5, altstadtfest=0.8, kulturarena=0.4),
    Site("markt", "Markt", 11.58782, 50.92818, "altstadt", False, 8_600,
         semester=0.06, evening=0.1, christmas=1.0, altstadtfest=1.0),
    Site("holzmarkt", "Holzmarkt", 11.58598, 50.92709, "altstadt", False, 9_200,
         semester=0.08, commute=0.2, christmas=0.4, altstadtfest=0.5),
    Site("eichplatz", "Eichplatz", 11.58571, 50.92854, "altstadt", False, 5_400,
         semester=0.08, christmas=0.5, altstadtfest=0.7, kulturarena=0.3),
    Site("johannisplatz", "Johannisplatz", 11.5837, 50.9292, "altstadt", False, 6_100,
         semester=0.12, evening=0.15, altstadtfest=0.5, kulturarena=1.0),
    Site("wagnergasse", "Wagnergasse", 11.5846, 50.9302, "altstadt", True, 3_900,
         semester=0.20, evening=0.45, altstadtfest=0.4, kulturarena=0.3),
    Site("kirchplatz", "Kirchplatz", 11.5872, 50.9294, "altstadt", True, 3_200,
         semester=0.06, christmas=0.5, altstadtfest=0.6),
    Site("paradiesbahnhof", "Paradiesbahnhof", 11.58791, 50.92516, "altstadt", False, 4_600,
         semester=0.10, commute=0.45),
    Site("ernst_abbe_platz", "Ernst-Abbe-Platz", 11.58140, 50.92822, "altstadt", False, 7_000,
         semester=0.18, commute=0.25, christmas=0.2),
    Site("lobeda_west", "Lobeda-West", 11.60337, 50.88286, "stadtteil", False, 4_300,
         commute=0.3),
    Site("winzerla", "Winzerla", 11.58309, 50.89473, "stadtteil", False, 2_500,
         commute=0.25),
    Site("jena_ost", "Jena Ost", 11.61991, 50.93366, "stadtteil", False, 2_100,
         commute=0.25),
)  # fmt: skip
