"""Catalog entries of the demo pack: what does ``city.toml`` say about the city and each dataset?

:func:`city_entry` describes the city (id, name, map centre and zoom, bbox, metric CRS,
basemaps); :func:`outline_dataset`, :func:`districts_dataset`, :func:`river_dataset`,
:func:`grid_dataset`, :func:`stats_dataset`, :func:`facilities_dataset`,
:func:`climate_dataset`, :func:`weather_dataset`, :func:`footfall_sites_dataset` and
:func:`footfall_counts_dataset` describe the ten datasets — file path, kind, CRS, licence,
attribution, source, time span and the bilingual (de/en) title, description and list of
approximations. The district texts quote the measured fit
(:class:`data.demo.geometry.DistrictFit`), the climate texts the measured gaps and 2019
figures (:class:`data.demo.climate.ClimateSummary`).

Units: WGS84 degrees (centre ``(lat, lon)``, bbox), dates as ISO strings; numbers in the
texts are %, m and km² (German texts with a decimal comma).
"""

from __future__ import annotations

from data.calendar import DateRange
from data.catalog import City, Dataset, Temporal
from data.demo import facts
from data.demo import facts_calendar as fcal
from data.demo import facts_climate as fc
from data.demo.climate import ClimateSummary
from data.demo.facilities import FACILITY_COUNTS
from data.demo.facts_footfall import LOEBDERSTRASSE_MEAN_DAILY_2021, SOURCE_FOOTFALL
from data.demo.geometry import METRIC_CRS, DistrictFit

#: Id of the demo city in ``city.toml``.
PACK_ID = "jena-demo"
#: The datasets of a demo pack, in writing order, and their files inside the pack.
DATASET_IDS = (
    "outline",
    "districts",
    "river",
    "grid",
    "district_stats",
    "facilities",
    "climate_daily",
    "weather_daily",
    "footfall_sites",
    "footfall_counts",
    "calendar",
    "landuse",
    "plans",
    "constraints",
)
PATHS = {
    "outline": "outline.geojson",
    "districts": "districts.geojson",
    "river": "river.geojson",
    "grid": "grid.nc",
    "district_stats": "district_stats.csv",
    "facilities": "facilities.geojson",
    "climate_daily": "climate_daily.csv",
    "weather_daily": "weather_daily.csv",
    "footfall_sites": "footfall_sites.geojson",
    "footfall_counts": "footfall_counts.parquet",
    "calendar": "calendar.csv",
    "landuse": "landuse.geojson",
    "plans": "plans.geojson",
    "constraints": "constraints.geojson",
}

# attributions in German and English (proper names and the DWD's required wording kept)
_SYNTH = {
    "de": "Synthetische Demo-Daten (Allmende), aus dokumentierten Fakten erzeugt; "
    "Einwohnerzahlen: Stadt Jena, Melderegister 31.12.2017",
    "en": "Synthetic demo data (Allmende), generated from documented facts; "
    "population figures: Stadt Jena, Melderegister 31.12.2017",
}
_OSM_RIVER = {
    "de": "Flusslauf © OpenStreetMap-Mitwirkende (ODbL)",
    "en": "river course © OpenStreetMap contributors (ODbL)",
}


def _join(*texts: dict[str, str]) -> dict[str, str]:
    """Bilingual texts joined with ``"; "`` language by language."""
    return {lang: "; ".join(t[lang] for t in texts) for lang in ("de", "en")}


_LICENCE = "CC-BY-4.0"
_SNAPSHOT = Temporal(facts.POPULATION_DATE, facts.POPULATION_DATE)


def city_entry() -> City:
    """The ``[city]`` entry of the demo pack: synthetic Jena, metric CRS EPSG:25832."""
    min_lon, min_lat, max_lon, max_lat = facts.CITY_BBOX
    return City(
        id=PACK_ID,
        name="Jena",
        centre=(50.925, 11.586),
        zoom=12,
        bbox=(min_lon, min_lat, max_lon, max_lat),
        metric_crs=METRIC_CRS,
        default_language="de",
        synthetic=True,
        basemaps=("topplus", "osm", "offline"),
        default_basemap="topplus",
        timezone=fcal.TIMEZONE,
        country=fcal.COUNTRY,
        subdivision=fcal.SUBDIVISION,
        calendars=("calendar",),
    )


def _de(value: float, decimals: int) -> str:
    """A number with a German decimal comma, e.g. ``0,06``."""
    return f"{value:.{decimals}f}".replace(".", ",")


def _shape_note(fit: DistrictFit) -> dict[str, str]:
    return {
        "de": (
            "Die Grenzen sind erfunden: ein gewichtetes Voronoi-Diagramm (Power-Diagramm) um "
            "die echten Ortsteil-Schwerpunkte, an der Näherungs-Stadtgrenze abgeschnitten. "
            f"Flächen weichen um höchstens {_de(fit.max_abs_pct, 2)} % (im Mittel "
            f"{_de(fit.mean_abs_pct, 3)} %) von den amtlichen ab; die Schwerpunkte liegen im "
            f"Mittel {fit.mean_centroid_m:.0f} m (höchstens {fit.max_centroid_m:.0f} m) "
            "neben den echten. Die Form der Ortsteile ist nicht die echte."
        ),
        "en": (
            "The boundaries are invented: a weighted Voronoi (power) diagram around the real "
            "Ortsteil centroids, clipped to the approximate city outline. Areas differ from "
            f"the official ones by at most {fit.max_abs_pct:.2f} % (mean "
            f"{fit.mean_abs_pct:.3f} %); centroids lie {fit.mean_centroid_m:.0f} m from the "
            f"real ones on average (at most {fit.max_centroid_m:.0f} m). The shapes are not "
            "the real ones."
        ),
    }


def _base(ds_id: str, generated_by: str, **kwargs: object) -> Dataset:
    """A dataset entry with the demo defaults (vector, EPSG:25832, CC-BY, 2017 snapshot).

    ``attribution`` and ``source`` are given as ``{"de": …, "en": …}``; the entry keeps the
    German text as the plain one and both as its translations."""
    fields: dict[str, object] = {
        "id": ds_id,
        "kind": "vector",
        "path": PATHS[ds_id],
        "crs": METRIC_CRS,
        "licence": _LICENCE,
        "attribution": _SYNTH,
        "source": facts.SOURCE_FACTS,
        "generated_by": generated_by,
        "temporal": _SNAPSHOT,
    }
    fields.update(kwargs)
    for key in ("attribution", "source"):
        texts = fields[key]
        if isinstance(texts, dict):
            fields[key], fields[f"{key}_i18n"] = texts["de"], dict(texts)
    return Dataset(**fields)  # type: ignore[arg-type]


def outline_dataset(generated_by: str, fit: DistrictFit) -> Dataset:
    return _base(
        "outline",
        generated_by,
        title={"de": "Stadtgrenze (Näherung)", "en": "City outline (approximate)"},
        description={
            "de": "Näherungsweise Stadtgrenze von Jena für die Demo, innerhalb der echten "
            "Begrenzungsbox der Stadt.",
            "en": "Approximate outline of Jena for the demo, inside the city's real bounding box.",
        },
        approximations={
            "de": "Erfunden: geglättete Vereinigung von Kreisen um die 30 Ortsteil-Schwerpunkte, "
            f"skaliert auf die Summe der Ortsteilflächen ({_de(fit.outline_km2, 2)} km²; amtliche "
            f"Stadtfläche {_de(facts.CITY_AREA_KM2, 2)} km²). Der echte Grenzverlauf ist anders.",
            "en": "Invented: smoothed union of discs around the 30 Ortsteil centroids, scaled "
            f"to the summed Ortsteil area ({fit.outline_km2:.2f} km²; official city area "
            f"{facts.CITY_AREA_KM2} km²). The real boundary runs differently.",
        },
    )


def _count(value: int, lang: str) -> str:
    """A whole number with the language's thousands separator (3.039 / 3,039)."""
    return f"{value:,}".replace(",", "." if lang == "de" else ",")


def unemployed_gap() -> dict[str, int]:
    """Why the Ortsteile hold fewer registered unemployed than the city: the source lists
    some without a district, and loses the rest in districts it reports as 0."""
    in_districts = sum(facts.ORTSTEIL_UNEMPLOYED_2017.values())
    missing = facts.CITY_UNEMPLOYED_2017 - in_districts
    return {
        "city": facts.CITY_UNEMPLOYED_2017,
        "districts": in_districts,
        "missing": missing,
        "unassigned": facts.UNASSIGNED_UNEMPLOYED_2017,
        "lost": missing - facts.UNASSIGNED_UNEMPLOYED_2017,
        "zero": sum(1 for v in facts.ORTSTEIL_UNEMPLOYED_2017.values() if v == 0),
    }


def _unemployed_note(lang: str) -> str:
    g = {k: _count(v, lang) for k, v in unemployed_gap().items()}
    if lang == "de":
        return (
            f"die Ortsteile enthalten {g['districts']} der {g['city']} Arbeitslosen der Stadt. "
            f"Von den fehlenden {g['missing']} führt die Quelle {g['unassigned']} ohne Bezirk "
            f"(„nicht zugeordnet“); die übrigen {g['lost']} gehen verloren, weil die Quelle "
            f"kleine Zahlen offenbar als 0 ausweist ({g['zero']} kleine Ortsteile zeigen 0)."
        )
    return (
        f"the Ortsteile hold {g['districts']} of the city's {g['city']} unemployed. Of the "
        f"{g['missing']} missing, the source lists {g['unassigned']} without a district "
        f"(“nicht zugeordnet”); the other {g['lost']} are lost because the source apparently "
        f"reports small counts as 0 ({g['zero']} small Ortsteile show 0)."
    )


def districts_dataset(generated_by: str, fit: DistrictFit) -> Dataset:
    ratio = facts.under6_ratio()
    shapes = _shape_note(fit)
    return _base(
        "districts",
        generated_by,
        title={"de": "Ortsteile", "en": "Districts (Ortsteile)"},
        description={
            "de": "Die 30 Ortsteile Jenas mit Einwohnern (Hauptwohnsitz) am 31.12.2017, davon "
            "unter 6, unter 18 und ab 65 Jahren, registrierten Arbeitslosen (31.12.2017) und "
            "Fläche in km² (EPSG:25832).",
            "en": "Jena's 30 Ortsteile with residents (main residence) on 31 Dec 2017, those "
            "under 6, under 18 and aged 65+, registered unemployed (31 Dec 2017) and area in "
            "km² (EPSG:25832).",
        },
        approximations={
            "de": shapes["de"]
            + " Einwohner je Ortsteil sind die Summen der statistischen Bezirke (41 → 30, nach "
            "größter Überlappung; Jena-Süd eher zu hoch, Winzerla/Burgau zu niedrig). "
            "Unter 6: Stadtsumme 6.493 nach dem Anteil der unter 18-Jährigen verteilt "
            f"(stadtweit {_de(ratio, 3)} der unter 18-Jährigen), keine amtliche Zahl. Die Spalte "
            "unter 18 ergibt 17.016, 12 weniger als die Stadtzahl 17.028 (Rundung der Quelle). "
            "Planungsraum: der Raum mit den meisten Einwohnern des Ortsteils (Jena-Süd liegt "
            "teils im Planungsraum Winzerla). Arbeitslose: registrierte Arbeitslose "
            "(Bundesagentur für Arbeit, über die Stadtstatistik) über dieselben statistischen "
            "Bezirke summiert; " + _unemployed_note("de"),
            "en": shapes["en"]
            + " Residents per Ortsteil are sums of statistical districts (41 → 30 by largest "
            "overlap; Jena-Süd probably too high, Winzerla/Burgau too low). Under 6: the city "
            f"total of 6,493 split in proportion to the under-18s (city-wide {ratio:.3f} of "
            "under-18s), not an official figure. The under-18 column sums to 17,016, 12 fewer "
            "than the city's 17,028 (rounding in the source). Planungsraum: the planning area "
            "holding most of the Ortsteil's residents (Jena-Süd lies partly in Winzerla). "
            "Unemployed: registered unemployed (Bundesagentur für Arbeit via the city "
            "statistics) summed over the same statistical districts; " + _unemployed_note("en"),
        },
    )


def river_dataset(generated_by: str) -> Dataset:
    return _base(
        "river",
        generated_by,
        title={"de": "Saale", "en": "River Saale"},
        description={
            "de": "Lauf der Saale durch Jena (von Süden nach Norden).",
            "en": "Course of the Saale through Jena (flowing south to north).",
        },
        licence="ODbL-1.0",
        attribution={
            "de": "Flusslauf: © OpenStreetMap-Mitwirkende (ODbL), vereinfacht; "
            "Synthetische Demo-Daten (Allmende), aus dokumentierten Fakten erzeugt",
            "en": "River course: © OpenStreetMap contributors (ODbL), simplified; "
            "synthetic demo data (Allmende), generated from documented facts",
        },
        temporal=Temporal("2014-01-01", "2014-12-31"),
        approximations={
            "de": "Kubischer Spline durch 16 gleichmäßig verteilte Punkte des OSM-Flusslaufs "
            "(Stand 2014); beide Enden entlang der Tangente bis zur Begrenzungsbox verlängert. "
            "Abweichungen von einigen zehn Metern zum echten Lauf sind möglich.",
            "en": "Cubic spline through 16 evenly spaced points of the OSM river course "
            "(2014); both ends extended along their tangents to the bounding box. Expect "
            "deviations of some tens of metres from the real course.",
        },
    )


def grid_dataset(generated_by: str) -> Dataset:
    return _base(
        "grid",
        generated_by,
        kind="raster",
        licence=f"{_LICENCE} (Wasser/water: ODbL-1.0)",
        attribution=_join(_SYNTH, _OSM_RIVER),
        title={"de": "Raster 100 m", "en": "100 m grid"},
        description={
            "de": "100-m-Raster (EPSG:25832): Höhe (m), Bodenbedeckung, Versiegelung und "
            "Baumkronen (Anteil 0–1), Einwohner je Zelle (31.12.2017), Anteile ab 65 und "
            "unter 6 Jahren, Oberflächentemperatur an einem heißen Sommernachmittag und "
            "Lufttemperatur in einer ruhigen, klaren Sommernacht (°C).",
            "en": "100 m grid (EPSG:25832): elevation (m), land cover, imperviousness and tree "
            "canopy (fraction 0–1), residents per cell (31 Dec 2017), shares aged 65+ and "
            "under 6, land-surface temperature on a hot summer afternoon and air temperature "
            "in a calm, clear summer night (°C).",
        },
        approximations={
            "de": "Alles außer den Summen ist erfunden: Gelände (Saaleaue ≈ 140–155 m, "
            "Muschelkalkhänge, Hochflächen ≈ 300–400 m, schematische Seitentäler), "
            "Bodenbedeckung nach Hangneigung und Lage (Waldanteil auf die Katasterzahl 2016 "
            "von 32 % abgestimmt, Gewerbegebiete bei Göschwitz und Löbstedt schematisch), "
            "Versiegelung und Baumkronen je Klasse mit Rauschen. Einwohner je Zelle: die "
            "Zahl des Ortsteils, auf bebaute Zellen verteilt (ganzzahlig, Summe je Ortsteil "
            "exakt). Altersanteile: Wert des Ortsteils mit leichtem Rauschen. Außerhalb der "
            "Stadtgrenze wohnt niemand; Nachbarorte fehlen. Temperaturen: keine Messung und "
            "kein Satellitenbild, sondern aus den Feldern oben berechnet. Oberfläche (≈ 14 Uhr): "
            "Mischung aus versiegelter Fläche (46 °C), Baumkronen (26 °C) und dem Rest je "
            "Klasse (Acker 37 °C, Rasen 31 °C …), Kühlung am Fluss (−3 K, abklingend über "
            "≈ 150 m), −6,5 K je km Höhe, Rauschen. Nacht (≈ 4 Uhr): 18 °C, Wärmeinsel "
            "(Versiegelung über einige hundert Meter geglättet, bis +4,5 K), Kaltluft: Acker "
            "und Wiesen bilden sie, sie fließt über das Gelände bergab (steilster Abfluss, D8), "
            "wird von Bebauung gebremst und sammelt sich in Tallagen (bis −5 K). Typisch: "
            "Oberfläche 25–45 °C, Nachtluft 12–22 °C.",
            "en": "Everything except the totals is invented: terrain (Saale floodplain "
            "≈ 140–155 m, limestone slopes, plateaus ≈ 300–400 m, schematic side valleys), "
            "land cover from slope and position (forest share matched to the 2016 Kataster "
            "figure of 32 %, business parks near Göschwitz and Löbstedt placed schematically), "
            "imperviousness and tree canopy per class with noise. Residents per cell: the "
            "Ortsteil's figure spread over its built-up cells (whole numbers, exact sum per "
            "Ortsteil). Age shares: the Ortsteil's value with mild noise. Nobody lives "
            "outside the city outline; neighbouring villages are missing. Temperatures: no "
            "measurement and no satellite image, computed from the fields above. Surface "
            "(≈ 14:00): a mix of sealed surfaces (46 °C), tree crowns (26 °C) and the rest "
            "by class (farmland 37 °C, lawns 31 °C …), cooling by the river (−3 K, fading "
            "over ≈ 150 m), −6.5 K per km of height, noise. Night (≈ 04:00): 18 °C, heat "
            "island (imperviousness smoothed over a few hundred metres, up to +4.5 K), cold "
            "air: made on farmland and meadows, it flows downhill (steepest descent, D8), is "
            "slowed by buildings and pools in valley bottoms (down to −5 K). Typical: surface "
            "25–45 °C, night air 12–22 °C.",
        },
    )


def stats_dataset(generated_by: str) -> Dataset:
    return _base(
        "district_stats",
        generated_by,
        kind="table",
        crs=None,
        title={"de": "Ortsteil-Statistik 2017", "en": "District statistics 2017"},
        description={
            "de": "Einwohner, Altersgruppen, Anteile (0–1) und Dichte (Einw./km²) je Ortsteil.",
            "en": "Residents, age groups, shares (0–1) and density (residents/km²) per Ortsteil.",
        },
        approximations={
            "de": "Unter 6 ist aus dem stadtweiten Anteil geschätzt; die Dichte nutzt die "
            "Fläche der erfundenen Ortsteilgrenzen (≈ amtliche Fläche).",
            "en": "Under 6 is estimated from the city-wide ratio; density uses the area of "
            "the invented district shapes (≈ official area).",
        },
    )


# --- climate, weather and pedestrian counts ------------------------------------------------

_SYNTH_CLIMATE = {
    "de": "Synthetische Demo-Daten (Allmende), aus dokumentierten Fakten erzeugt; keine "
    "Messwerte. Klimakennzahlen abgeleitet aus Daten des DWD (Datenbasis: Deutscher "
    "Wetterdienst), Stationen Erfurt-Weimar (01270) und Jena (Sternwarte) (02444)",
    "en": "Synthetic demo data (Allmende), generated from documented facts; no measurements. "
    "Climate figures derived from DWD data (Datenbasis: Deutscher Wetterdienst), stations "
    "Erfurt-Weimar (01270) and Jena (Sternwarte) (02444)",
}

_SYNTH_COUNTS = {
    "de": "Synthetische Demo-Daten (Allmende), aus dokumentierten Fakten erzeugt; keine "
    "echten Zählungen. Niveau: hystreet.com Jena Löbderstraße (Mittel 2021); Tagesgang: "
    "hystreet Moers Steinstraße 2022",
    "en": "Synthetic demo data (Allmende), generated from documented facts; not real counts. "
    "Level: hystreet.com Jena Löbderstraße (mean 2021); hourly profile: hystreet Moers "
    "Steinstraße 2022",
}


def weather_dataset(generated_by: str, start: str, end: str) -> Dataset:
    return _base(
        "weather_daily",
        generated_by,
        kind="table",
        crs=None,
        attribution=_SYNTH_CLIMATE,
        source=fc.SOURCE_CLIMATE,
        temporal=Temporal(start, end),
        title={"de": "Tageswetter Jena (synthetisch)", "en": "Daily weather Jena (synthetic)"},
        description={
            "de": "Tägliche Höchst- und Tiefsttemperatur (°C) und Niederschlag (mm) für Jena, "
            "synthetisch; das Wetter, auf das die Passantenzählung der Demo reagiert.",
            "en": "Daily maximum and minimum temperature (°C) and precipitation (mm) for Jena, "
            "synthetic; the weather the demo's pedestrian counts react to.",
        },
        approximations={
            "de": f"Ein Ausschnitt ({start} bis {end}) der synthetischen Klimareihe "
            "(climate_daily), Tag für Tag dieselben Werte; dort ist die Methode beschrieben. "
            "Kein einzelner Tag entspricht dem echten Wetter. In diesem Zeitraum hat die Reihe "
            "keine Lücken; nichts ist aufgefüllt.",
            "en": f"A slice ({start} to {end}) of the synthetic climate record "
            "(climate_daily), the same values day by day; the method is described there. No "
            "single day matches the real weather. The record has no gaps in this period; "
            "nothing is filled in.",
        },
    )


def climate_dataset(generated_by: str, start: str, end: str, summary: ClimateSummary) -> Dataset:
    gaps_de = ", ".join(f"{y} ({_de(100 * v, 0)} %)" for y, v in summary.gap_years)
    gaps_en = ", ".join(f"{y} ({100 * v:.0f} %)" for y, v in summary.gap_years)
    return _base(
        "climate_daily",
        generated_by,
        kind="table",
        crs=None,
        attribution=_SYNTH_CLIMATE,
        source=fc.SOURCE_CLIMATE,
        temporal=Temporal(start, end),
        title={
            "de": "Klimareihe Jena, täglich (synthetisch)",
            "en": "Daily climate record Jena (synthetic)",
        },
        description={
            "de": "Tägliche Höchst-, Tiefst- und Mitteltemperatur (°C) und Niederschlag (mm) "
            f"für Jena (Sternwarte), {start[:4]}–{end[:4]}, synthetisch. Leere Werte sind "
            "Messlücken. station_id 02444 ist die echte DWD-Station, für die die Reihe steht; "
            "die Werte sind nicht ihre Messungen.",
            "en": "Daily maximum, minimum and mean temperature (°C) and precipitation (mm) for "
            f"Jena (Sternwarte), {start[:4]}–{end[:4]}, synthetic. Empty values are sensor "
            "gaps. station_id 02444 is the real DWD station the series stands in for; the "
            "values are not its measurements.",
        },
        approximations={
            "de": "Synthetisch: kein Tag entspricht dem echten Wetter, nur das Klima ist "
            "nachgebildet. Grundlage: Statistik der DWD-Station Erfurt-Weimar 1951–2018 "
            "(Monatsmittel 1961–1990, Erwärmung ab 1980 um 0,37 K (Maximum) und 0,27 K "
            "(Minimum) je Jahrzehnt, nach 2018 fortgeschrieben, Streuung der Jahresmittel, "
            "Streuung, Schiefe (Quantile) und Erhaltungsneigung der Tageswerte je Jahreszeit, "
            "Sommermittel (Juni–August) je Jahrzehnt, Nass-/Trockentage "
            "als Markow-Kette mit Gamma-verteilten Mengen) plus die gemessenen Unterschiede "
            "Jena − Erfurt (+1,94 K Maximum, +0,91 K Minimum, +1,05 K Mittel; 550 Tage "
            "2018–2020). Niederschlag wie in Erfurt (Jena war in den 550 Tagen 29 % nasser; zu "
            "kurz, um es zu übernehmen). 2019 folgt den gemessenen Monatsmitteln und der "
            "gemessenen Sommerverteilung von Jena; das Jahresmittel ist auf "
            f"{_de(fc.JENA_2019_TMEAN, 2)} °C gesetzt (Reihe: {_de(summary.y2019_tmean, 2)} °C); "
            f"die Reihe hat 2019 {summary.y2019_hot_days} heiße Tage (≥ 30 °C, gemessen "
            f"{fc.JENA_2019_HOT_DAYS}) und {summary.y2019_summer_days} Sommertage (gemessen "
            f"{fc.JENA_2019_SUMMER_DAYS}), höchstens {_de(summary.y2019_tmax, 1)} °C (gemessen "
            f"{_de(fc.JENA_2019_TMAX, 1)} °C). Messlücken erfunden ({summary.missing_days} "
            f"Tage ohne Temperatur, dazu drei Ausfälle nur des Regenmessers); mehr als 10 % "
            f"der Tage fehlen in: {gaps_de}. 2019 und ab 2023 keine Lücken.",
            "en": "Synthetic: no day matches the real weather, only the climate is imitated. "
            "Basis: statistics of DWD station Erfurt-Weimar 1951–2018 (monthly means "
            "1961–1990, warming from 1980 by 0.37 K (maximum) and 0.27 K (minimum) per "
            "decade, continued after 2018, spread of the annual means, spread and persistence "
            "of daily values per season, their skew (quantiles), summer (June–August) means per "
            "decade, wet/dry days as a Markov chain with gamma-distributed "
            "amounts) plus the measured differences Jena − Erfurt (+1.94 K maximum, +0.91 K "
            "minimum, +1.05 K mean; 550 days 2018–2020). Precipitation as in Erfurt (Jena was "
            "29 % wetter in those 550 days; too short to adopt). 2019 follows Jena's measured "
            "monthly means and summer distribution; its annual mean is set to the measured "
            f"value of {fc.JENA_2019_TMEAN:.2f} °C (series: {summary.y2019_tmean:.2f} °C); "
            f"the series has {summary.y2019_hot_days} hot days in 2019 (≥ 30 °C, measured "
            f"{fc.JENA_2019_HOT_DAYS}) and {summary.y2019_summer_days} summer days (measured "
            f"{fc.JENA_2019_SUMMER_DAYS}), at most {summary.y2019_tmax:.1f} °C (measured "
            f"{fc.JENA_2019_TMAX:.1f} °C). Sensor gaps are invented ({summary.missing_days} "
            "days without temperature, plus three outages of the rain gauge alone); more than "
            f"10 % of the days are missing in: {gaps_en}. No gaps in 2019 and from 2023 on.",
        },
    )


def facilities_dataset(generated_by: str) -> Dataset:
    counts = FACILITY_COUNTS
    return _base(
        "facilities",
        generated_by,
        attribution=_join(
            _SYNTH,
            {
                "de": "Zahl der Kitas und Schulen: © OpenStreetMap-Mitwirkende (ODbL, Stand 2014)",
                "en": "number of Kitas and schools: © OpenStreetMap contributors (ODbL, 2014)",
            },
        ),
        title={
            "de": "Hitzeempfindliche Einrichtungen (synthetisch)",
            "en": "Heat-sensitive facilities (synthetic)",
        },
        description={
            "de": "Kitas, Schulen, Pflegeheime und Krankenhäuser als Punkte (Spalte kind: "
            "kita, school, care_home, hospital).",
            "en": "Day-care centres (Kitas), schools, care homes and hospitals as points "
            "(column kind: kita, school, care_home, hospital).",
        },
        approximations={
            "de": f"Lage und Namen erfunden. Anzahl: {counts['kita']} Kitas und "
            f"{counts['school']} Schulen wie in OpenStreetMap 2014; {counts['care_home']} "
            "Pflegeheime sind eine Annahme (etwa eines je 1.200 Einwohner ab 65; OSM 2014 "
            "kennt nur 6). Verteilt auf bewohnte Rasterzellen: Kitas nach den Kindern unter "
            "6, Schulen nach den unter 18-Jährigen (Anteil des Ortsteils), Pflegeheime nach "
            "den Einwohnern ab 65, mit bis zu ±40 m Versatz. Krankenhäuser: "
            "Universitätsklinikum in Lobeda (an der Haltestelle Universitätsklinikum) und der "
            "ältere Standort in der Innenstadt (Bachstraße, in OSM 2014; an die Haltestelle "
            "Johannisplatz gesetzt, vielleicht nicht mehr aktuell); beide Lagen ungefähr.",
            "en": f"Positions and names are invented. Counts: {counts['kita']} Kitas and "
            f"{counts['school']} schools as in OpenStreetMap 2014; {counts['care_home']} care "
            "homes are an assumption (about one per 1,200 residents aged 65+; OSM 2014 has "
            "only 6). Spread over populated grid cells: Kitas by children under 6, schools by "
            "under-18s (the Ortsteil's share), care homes by residents aged 65+, offset by up "
            "to ±40 m. Hospitals: the Universitätsklinikum in Lobeda (at the tram stop "
            "Universitätsklinikum) and its older site in the centre (Bachstraße, in OSM 2014; "
            "placed at the Johannisplatz stop, perhaps out of date); both positions "
            "approximate.",
        },
    )


_SITES_APPROX = {
    "de": "Lage: Markt, Holzmarkt, Eichplatz, Johannisplatz und Haltestellen aus OSM; "
    "Löbderstraße und Johannisstraße interpoliert, Wagnergasse und Kirchplatz von Hand "
    "gesetzt (Spalte approx). Es gibt dort keine echten Zählstellen außer hystreet "
    "Löbderstraße.",
    "en": "Position: Markt, Holzmarkt, Eichplatz, Johannisplatz and the stops from OSM; "
    "Löbderstraße and Johannisstraße interpolated, Wagnergasse and Kirchplatz placed by hand "
    "(column approx). Apart from hystreet Löbderstraße there are no real counters there.",
}


def footfall_sites_dataset(generated_by: str, start: str, end: str) -> Dataset:
    return _base(
        "footfall_sites",
        generated_by,
        crs="EPSG:4326",
        attribution=_join(
            _SYNTH_COUNTS,
            {
                "de": "Haltestellen © OpenStreetMap-Mitwirkende (ODbL)",
                "en": "stops © OpenStreetMap contributors (ODbL)",
            },
        ),
        source=SOURCE_FOOTFALL,
        temporal=Temporal(start, end),
        title={"de": "Passanten-Zählstellen", "en": "Pedestrian counting sites"},
        description={
            "de": "Zählstellen für Passanten in der Altstadt und in Stadtteilzentren "
            "(Art: altstadt/stadtteil; approx = Lage geschätzt).",
            "en": "Pedestrian counting sites in the old town and district centres "
            "(kind: altstadt/stadtteil; approx = position estimated).",
        },
        approximations=_SITES_APPROX,
    )


def footfall_counts_dataset(generated_by: str, start: str, end: str) -> Dataset:
    level = f"{LOEBDERSTRASSE_MEAN_DAILY_2021:,}"
    return _base(
        "footfall_counts",
        generated_by,
        kind="timeseries",
        crs=None,
        attribution=_SYNTH_COUNTS,
        source=SOURCE_FOOTFALL,
        temporal=Temporal(start, end),
        title={"de": "Passantenzählung stündlich", "en": "Hourly pedestrian counts"},
        description={
            "de": "Passanten je Stunde und Zählstelle (Zeit = Beginn der Stunde, UTC; "
            "leer = Sensorausfall), Kalenderjahre 2024 und 2025 (Ortszeit).",
            "en": "Pedestrians per hour and site (time = start of the hour, UTC; empty = "
            "sensor gap), calendar years 2024 and 2025 (local time).",
        },
        approximations={
            "de": "Synthetisch. Nur das Niveau der Löbderstraße (hystreet 2021: "
            f"{level.replace(',', '.')} pro Tag), die Tagesgänge (Montag, Samstag) und das "
            "Wochenmuster sind belegt; die anderen Niveaus sind geschätzt. Feiertage und "
            "Schulferien Thüringen echt; Vorlesungszeiten der Universität, "
            "Weihnachtsmarkt, Altstadtfest (Ende Juni), Kulturarena (Juli/August), "
            "verkaufsoffene Sonntage und das Sonntagsprofil sind Näherungen. Wetter aus "
            "der synthetischen Wetterreihe; Sensorausfälle erfunden.",
            "en": "Synthetic. Only the level of Löbderstraße (hystreet 2021: "
            f"{level} a day), the hourly shapes (Monday, Saturday) and the weekday "
            "pattern are documented; other levels are estimates. Public and school "
            "holidays of Thuringia are real; university lecture periods, Christmas market, "
            "Altstadtfest (late June), Kulturarena (July/August), Sunday openings and the "
            "Sunday profile are approximations. Weather from the synthetic weather series; "
            "sensor gaps are invented.",
        },
    )


def calendar_dataset(generated_by: str, ranges: list[DateRange]) -> Dataset:
    """School holidays (Thuringia), lecture periods (University of Jena) and local events as
    date ranges (``ranges``: the rows written)."""
    return _base(
        "calendar",
        generated_by,
        kind="table",
        crs=None,
        attribution=_SYNTH,
        source=fcal.SOURCE_CALENDAR,
        temporal=Temporal(min(r.start for r in ranges), max(r.end for r in ranges)),
        title={
            "de": "Kalender: Schulferien, Vorlesungszeiten, Veranstaltungen",
            "en": "Calendar: school holidays, lecture periods, events",
        },
        description={
            "de": "Zeiträume (erster und letzter Tag) mit Name, Art (school_holiday, lecture, "
            "event) und Quelle: Schulferien Thüringen, Vorlesungszeiten der Universität Jena, "
            "Veranstaltungen der Demo (Weihnachtsmarkt, Altstadtfest, Kulturarena, "
            "verkaufsoffene Sonntage) im Zählzeitraum.",
            "en": "Date ranges (first and last day) with name, kind (school_holiday, lecture, "
            "event) and source: Thuringian school holidays, lecture periods of the University "
            "of Jena, the demo's events (Christmas market, Altstadtfest, Kulturarena, Sunday "
            "openings) in the counting period.",
        },
        approximations={
            "de": "Schulferien nach den veröffentlichten Terminen; Vorlesungszeiten und "
            "Veranstaltungen genähert (übliches Muster, nicht die offiziellen Kalender).",
            "en": "School holidays as published; lecture periods and events approximate (the "
            "usual pattern, not the official calendars).",
        },
    )
