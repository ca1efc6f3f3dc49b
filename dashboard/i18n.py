"""The translation layer: every visible UI string, in German (first) and English.

``t(key, lang)`` looks a key up; a missing key or language is a ``KeyError`` at once, and
a test walks all keys so no string ships with only one language. Texts that belong to
data (layer titles, dataset titles) travel as ``{"de": …, "en": …}`` dicts and go through
:func:`layers.base.tr`.
"""

from __future__ import annotations

from dashboard.i18n_draw import DRAW_STRINGS
from dashboard.i18n_scenario import SCENARIO_STRINGS

LANGS = ("de", "en")

STRINGS: dict[str, dict[str, str]] = {
    "app.title": {"de": "Allmende – Planungsatlas", "en": "Allmende – planning atlas"},
    "app.tagline": {
        "de": "Offener Planungsatlas für eine klimagerechte Stadt",
        "en": "Open planning atlas for a climate-just city",
    },
    "badge.synthetic": {"de": "Demo-Daten (synthetisch)", "en": "Demo data (synthetic)"},
    "badge.synthetic.title": {
        "de": "Diese Daten sind aus dokumentierten Fakten erzeugt und nicht gemessen.",
        "en": "These data are generated from documented facts, not measured.",
    },
    "skip.content": {"de": "Zum Inhalt springen", "en": "Skip to content"},
    "nav.label": {"de": "Hauptnavigation", "en": "Main navigation"},
    "nav.map": {"de": "Karte", "en": "Map"},
    "nav.catalog": {"de": "Datenkatalog", "en": "Data catalogue"},
    "nav.embed": {"de": "Karte zum Einbetten", "en": "Embeddable map"},
    "geojson.bad_request": {
        "de": "Ungültige Anfrage: ein Wert ist zu lang.",
        "en": "Bad request: a value is too long.",
    },
    "geojson.unknown_layer": {
        "de": "Keine Kartenebene mit Geometrie unter diesem Namen.",
        "en": "No map layer with geometry of this name.",
    },
    "geojson.unavailable": {
        "de": "Diese Ebene ist für diese Stadt nicht verfügbar.",
        "en": "This layer is not available for this city.",
    },
    "geojson.bad_lang": {
        "de": "Unbekannte Sprache (möglich: de, en).",
        "en": "Unknown language (possible: de, en).",
    },
    "geojson.bad_variant": {
        "de": "Unbekannte Geometrie-Variante dieser Ebene.",
        "en": "Unknown geometry variant of this layer.",
    },
    "lang.label": {"de": "Sprache", "en": "Language"},
    "lang.de": {"de": "Deutsch", "en": "Deutsch"},
    "lang.en": {"de": "English", "en": "English"},
    "layers.heading": {"de": "Ebenen", "en": "Layers"},
    "layers.show": {"de": "anzeigen", "en": "show"},
    "layers.opacity": {"de": "Deckkraft", "en": "Opacity"},
    "layers.play": {"de": "▶ Tag abspielen", "en": "▶ Play the day"},
    "layers.pause": {"de": "⏸ Anhalten", "en": "⏸ Pause"},
    "date.placeholder": {"de": "TT.MM.JJJJ (leer: alle)", "en": "YYYY-MM-DD (empty: all)"},
    "layers.what": {"de": "Was zeigt diese Ebene?", "en": "What does this layer show?"},
    "layers.legend": {"de": "Legende", "en": "Legend"},
    "layers.source": {"de": "Quelle / Lizenz", "en": "Source / licence"},
    "layers.unavailable": {
        "de": "Nicht verfügbar in diesem Stadtpaket ({count})",
        "en": "Not available in this city pack ({count})",
    },
    "layers.unavailable.help": {
        "de": "Diese Ebenen brauchen Daten, die das Stadtpaket noch nicht enthält. Der "
        "genannte Befehl fügt sie hinzu.",
        "en": "These layers need data the city pack does not hold yet. The command named "
        "adds them.",
    },
    "missing.lead": {
        "de": "Dafür fehlen in diesem Stadtpaket Daten:",
        "en": "This needs data the city pack does not hold:",
    },
    "missing.needs": {"de": "Braucht", "en": "Needs"},
    "missing.dataset": {"de": "Datensatz {id}", "en": "dataset {id}"},
    "missing.variable": {"de": "Raster-Variable {name}", "en": "grid variable {name}"},
    "missing.column": {"de": "Spalte {name} in {id}", "en": "column {name} in {id}"},
    "missing.add": {"de": "hinzufügen mit", "en": "add it with"},
    "missing.import_with": {"de": "Einlesen mit", "en": "Import them with"},
    "missing.no_import": {
        "de": "dafür gibt es noch keinen Import",
        "en": "there is no import for it yet",
    },
    "basemap.heading": {"de": "Hintergrundkarte", "en": "Base map"},
    "map.label": {"de": "Karte von {city}", "en": "Map of {city}"},
    "map.roledescription": {"de": "Karte", "en": "map"},
    "map.keys": {
        "de": "Mit den Pfeiltasten verschieben, mit Plus und Minus vergrößern und verkleinern. "
        "Die Zahlen der Karte stehen in den Tabellen der Ebenen.",
        "en": "Use the arrow keys to pan and plus and minus to zoom in and out. "
        "The map's numbers are in the layers' tables.",
    },
    "map.zoom_in": {"de": "Vergrößern", "en": "Zoom in"},
    "map.zoom_out": {"de": "Verkleinern", "en": "Zoom out"},
    "slider.from": {"de": "von", "en": "from"},
    "slider.to": {"de": "bis", "en": "to"},
    "panel.heading": {"de": "Auswahl", "en": "Selection"},
    "panel.hint": {
        "de": "Klicken Sie auf einen Ortsteil oder ein Vorhaben in der Karte oder wählen Sie "
        "eine Zeile einer Tabelle, um seine Kennzahlen zu sehen.",
        "en": "Click a district or a plan on the map, or choose a row of a table, to see its "
        "figures.",
    },
    "panel.unknown": {"de": "Unbekannter Ortsteil.", "en": "Unknown district."},
    "catalog.heading": {"de": "Datenkatalog", "en": "Data catalogue"},
    "catalog.intro": {
        "de": "Alle Datensätze dieser Stadt mit Herkunft, Lizenz und Download.",
        "en": "Every dataset of this city with provenance, licence and download.",
    },
    "catalog.col.title": {"de": "Titel", "en": "Title"},
    "catalog.col.id": {"de": "Kennung", "en": "Id"},
    "catalog.col.kind": {"de": "Art", "en": "Kind"},
    "catalog.col.crs": {"de": "Koordinatensystem", "en": "CRS"},
    "catalog.col.licence": {"de": "Lizenz", "en": "Licence"},
    "catalog.col.attribution": {"de": "Namensnennung", "en": "Attribution"},
    "catalog.col.origin": {"de": "Herkunft", "en": "Origin"},
    "catalog.col.temporal": {"de": "Zeitraum", "en": "Period"},
    "catalog.col.notes": {"de": "Hinweise", "en": "Notes"},
    "catalog.col.download": {"de": "Download", "en": "Download"},
    "catalog.generated": {"de": "erzeugt von", "en": "generated by"},
    "catalog.kind.vector": {"de": "Vektor", "en": "Vector"},
    "catalog.kind.raster": {"de": "Raster", "en": "Raster"},
    "catalog.kind.table": {"de": "Tabelle", "en": "Table"},
    "catalog.kind.timeseries": {"de": "Zeitreihe", "en": "Time series"},
    "catalog.none": {"de": "–", "en": "–"},
    "footer.pack": {"de": "Stadtpaket: {name} ({id})", "en": "City pack: {name} ({id})"},
    "error.params": {
        "de": "Ungültige Eingabe: {detail}",
        "en": "Invalid input: {detail}",
    },
    "error.url": {
        "de": "Einige Angaben in der Adresse wurden ignoriert:",
        "en": "Some settings in the address were ignored:",
    },
    "footfall.forecast": {
        "de": "Prognose der nächsten 7 Tage",
        "en": "Forecast for the next 7 days",
    },
    "footfall.forecast.pending": {
        "de": "Das Prognosemodell wird berechnet (einmal je Datenstand; das dauert einige Minuten) …",
        "en": "The forecast model is being computed (once per data version; this takes a few minutes) …",
    },
    "footfall.forecast.error": {
        "de": "Keine Prognose möglich: Die Zähldaten reichen für das Prognosemodell nicht aus, "
        "oder die Berechnung ist fehlgeschlagen. Einzelheiten stehen im Protokoll des Servers.",
        "en": "No forecast possible: the counts are not enough for the forecast model, or the "
        "computation failed. The details are in the server log.",
    },
    "footfall.forecast.off": {
        "de": "Prognosen sind in dieser Installation abgeschaltet (ALLMENDE_FORECASTS=0).",
        "en": "Forecasts are switched off in this installation (ALLMENDE_FORECASTS=0).",
    },
    "footfall.forecast.progress": {
        "de": "Prognosen werden berechnet: {done} von {total} Zählstellen, gestartet {started}, "
        "{left}",
        "en": "Computing forecasts: {done} of {total} counting sites, started at {started}, {left}",
    },
    "footfall.forecast.left.estimating": {
        "de": "Restzeit wird noch geschätzt …",
        "en": "estimating the time left …",
    },
    "footfall.forecast.left.minutes": {
        "de": "noch etwa {minutes} Min.",
        "en": "about {minutes} min left.",
    },
    "footfall.forecast.left.under_minute": {
        "de": "noch weniger als 1 Min.",
        "en": "less than 1 min left.",
    },
    "footfall.forecast.left.almost": {"de": "gleich fertig.", "en": "almost done."},
    "footfall.forecast.progress_label": {
        "de": "Fortschritt der Prognoseberechnung",
        "en": "Progress of the forecast computation",
    },
    "footfall.card.heading": {"de": "Steckbrief des Modells", "en": "Model card"},
    "footfall.card.site": {"de": "Rückblicktest dieser Zählstelle", "en": "Backtest of this site"},
    "footfall.card.overall": {
        "de": "Rückblicktest aller Zählstellen",
        "en": "Backtest of all sites",
    },
    "footfall.card.backtest": {
        "de": "Rollierender Rückblicktest: {origins} Zeitpunkte, je {hours} Stunden vorhergesagt (das Modell jedes Mal nur mit den Daten davor neu trainiert) und mit den Zählungen verglichen.",
        "en": "Rolling-origin backtest: {origins} origins, {hours} hours forecast from each (the model refitted each time on the data before it only) and compared with the counts.",
    },
    "footfall.forecast.too_short": {
        "de": "Für diese Zählstelle reichen die Zählungen noch nicht für eine Prognose: "
        "nötig sind mindestens 14 Tage.",
        "en": "This site's counts are not yet enough for a forecast: at least 14 days are needed.",
    },
    "footfall.card.bands": {
        "de": "Abdeckung des 80-%-Bands je Vorlaufzeit (Rückblicktest dieser Zählstelle)",
        "en": "80 % band coverage by lead time (backtest of this site)",
    },
    "footfall.card.features": {"de": "Merkmale", "en": "Features"},
    "footfall.card.window": {"de": "Trainingszeitraum", "en": "Training window"},
    "footfall.card.model": {"de": "Modell", "en": "Model"},
    "footfall.card.caution": {"de": "Bitte beachten", "en": "Please note"},
    "notfound.heading": {"de": "Seite nicht gefunden", "en": "Page not found"},
    "notfound.back": {"de": "Zur Karte", "en": "Back to the map"},
    "nav.footfall": {"de": "Fußverkehr", "en": "Footfall"},
    "footfall.heading": {"de": "Fußverkehr an Zählstellen", "en": "Footfall at counting sites"},
    "footfall.intro": {
        "de": "Stündliche Passantenzählungen: Tagesgang, Tagessummen und Wochen im "
        "Jahresvergleich. Zeiten in Ortszeit ({tz}); Messlücken erscheinen als "
        "Lücken, nie als null.",
        "en": "Hourly pedestrian counts: daily profile, daily totals and weeks year over "
        "year. Times in local time ({tz}); sensor gaps show as gaps, never as zero.",
    },
    "footfall.site": {"de": "Zählstelle", "en": "Counting site"},
    "footfall.nodata": {
        "de": "Dieses Stadtpaket enthält keine Passantenzählungen (footfall_sites, "
        "footfall_counts).",
        "en": "This city pack has no pedestrian counts (footfall_sites, footfall_counts).",
    },
    "footfall.unknown_site": {
        "de": "Unbekannte Zählstelle: {site}",
        "en": "Unknown counting site: {site}",
    },
    "footfall.table": {"de": "Daten als Tabelle", "en": "Data as a table"},
    "footfall.profile": {"de": "Tagesgang", "en": "Hourly profile"},
    "footfall.daily": {"de": "Tagessummen", "en": "Daily totals"},
    "footfall.yoy": {"de": "Jahresvergleich", "en": "Year over year"},
    "nav.heat": {"de": "Hitze", "en": "Heat"},
    "heat.heading": {
        "de": "Hitze und Klimagerechtigkeit",
        "en": "Heat and climate justice",
    },
    "heat.intro": {
        "de": "Wo ist es im Sommer besonders heiß, wer lebt dort, und wie entwickeln sich "
        "heiße Tage? Die Karte zeigt den Hitze-Verwundbarkeitsindex; hier stehen die Zahlen "
        "dahinter: wer die Hitze trägt und wie sich Sommertage, heiße Tage und Tropennächte "
        "an der Wetterstation entwickeln.",
        "en": "Where is it especially hot in summer, who lives there, and how are hot days "
        "developing? The map shows the heat vulnerability index; here are the numbers "
        "behind it: who bears the heat and how summer days, hot days and tropical nights "
        "develop at the weather station.",
    },
    "heat.method": {"de": "Wie wird der Index berechnet?", "en": "How is the index computed?"},
    "heat.outlook_method": {
        "de": "Wie wird der Ausblick berechnet?",
        "en": "How is the outlook computed?",
    },
    "heat.to_map": {
        "de": "Index auf der Karte ansehen",
        "en": "View the index on the map",
    },
    "heat.justice": {"de": "Wer trägt die Hitze?", "en": "Who bears the heat?"},
    "heat.variable": {"de": "Belastung", "en": "Exposure"},
    "heat.groups": {"de": "Belastung nach Gruppe", "en": "Exposure by group"},
    "heat.conc": {"de": "Hitzelast und soziale Lage", "en": "Heat burden and social position"},
    "heat.rank": {
        "de": "Rangliste der Ortsteile: Einwohner in der heißesten Klasse",
        "en": "Districts ranked by residents in the hottest class",
    },
    "heat.trend": {"de": "Heiße Tage im Trend", "en": "Hot days over time"},
    "heat.index": {"de": "Kennzahl", "en": "Indicator"},
    "heat.counts": {"de": "Anzahl je Jahr", "en": "Count per year"},
    "heat.outlook": {"de": "Ausblick", "en": "Outlook"},
    "heat.bad_choice": {"de": "Unbekannte Auswahl: {value}", "en": "Unknown choice: {value}"},
    "heat.no_variable": {
        "de": "Für diese Belastung hat das Datenpaket keine Werte; die Diagramme bleiben, wie "
        "sie waren.",
        "en": "The data pack has no values for this exposure; the charts stay as they were.",
    },
    "heat.synthetic": {
        "de": "Alle Zahlen dieser Seite beruhen auf synthetischen Demo-Daten.",
        "en": "All numbers on this page rest on synthetic demo data.",
    },
    "embed.what": {"de": "Was zeigt diese Karte?", "en": "What does this map show?"},
    "embed.nolayers": {
        "de": "Keine Ebene gewählt. Die Adresse nennt die Ebenen, z. B. ?layers=districts.",
        "en": "No layer chosen. The address names the layers, e.g. ?layers=districts.",
    },
    "embed.open": {"de": "Im Planungsatlas öffnen", "en": "Open in the planning atlas"},
    "embed.heading": {"de": "Karte einbetten", "en": "Embed this map"},
    "embed.help": {
        "de": "Diesen HTML-Code in eine Webseite einfügen: Er zeigt die aktuelle Ansicht "
        "(Ebenen, Ausschnitt, Sprache) schreibgeschützt. Die Seite muss in "
        "ALLMENDE_EMBED_ORIGINS stehen.",
        "en": "Paste this HTML into a web page: it shows the current view (layers, extent, "
        "language), read-only. The page's origin must be listed in ALLMENDE_EMBED_ORIGINS.",
    },
    "embed.code": {"de": "HTML-Code zum Einbetten", "en": "HTML code to embed"},
    "embed.size": {"de": "Größe des Rahmens", "en": "Frame size"},
    "embed.size.responsive": {
        "de": "Mitwachsend (100 % breit)",
        "en": "Responsive (100 % wide)",
    },
    "embed.preview": {"de": "Vorschau", "en": "Preview"},
    "embed.preview.title": {
        "de": "Vorschau der eingebetteten Karte",
        "en": "Preview of the embedded map",
    },
    "drawer.close": {"de": "Schließen", "en": "Close"},
    "drawer.toolbar": {"de": "Bedienfelder", "en": "Panels"},
    "legend.none": {"de": "Keine Ebene eingeschaltet.", "en": "No layer switched on."},
    "embed.iframe_title": {
        "de": "Allmende-Karte {city}",
        "en": "Allmende map {city}",
    },
    "table.show": {"de": "Daten als Tabelle", "en": "Data as a table"},
    "table.none": {
        "de": "Für diese Ebene gibt es keine Tabelle.",
        "en": "This layer has no table.",
    },
    "layers.sources": {"de": "Quelle", "en": "Source"},
}


STRINGS.update(DRAW_STRINGS)
STRINGS.update(SCENARIO_STRINGS)


def language(value: object) -> str:
    """A language code from the browser (any payload), falling back to German."""
    return value if isinstance(value, str) and value in LANGS else "de"


def t(key: str, lang: str, **fmt: object) -> str:
    """The UI string ``key`` in ``lang``, formatted with ``fmt``."""
    if lang not in LANGS:
        raise KeyError(f"language {lang!r} not supported; known: {', '.join(LANGS)}")
    try:
        text = STRINGS[key][lang]
    except KeyError as err:
        raise KeyError(f"no {lang!r} text for UI string {key!r}") from err
    return text.format(**fmt) if fmt else text
