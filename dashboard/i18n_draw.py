"""The UI strings of "draw to assess" (the planner's own plans on the map page), merged into
:data:`dashboard.i18n.STRINGS`; German first, English too."""

from __future__ import annotations

DRAW_STRINGS: dict[str, dict[str, str]] = {
    "draw.heading": {"de": "Eigenes Vorhaben prüfen", "en": "Check your own plan"},
    "draw.help": {
        "de": "Zeichnen Sie eine Fläche mit dem Werkzeug oben links in der Karte (Fläche oder "
        "Rechteck) oder laden Sie eine Datei. Wählen Sie Nutzung und Wohnungen: die Prüfung "
        "gegen die Konfliktregeln erscheint sofort. Ihre Vorhaben bleiben nur in diesem "
        "Browserfenster (Sitzung) und werden nicht auf dem Server gespeichert.",
        "en": "Draw an area with the tool at the top left of the map (polygon or rectangle) "
        "or load a file. Choose the use and dwellings: the check against the conflict rules "
        "appears at once. Your plans stay in this browser window (session) only and are not "
        "stored on the server.",
    },
    "draw.none": {
        "de": "Noch kein eigenes Vorhaben. Zeichnen Sie eines in der Karte.",
        "en": "No plan of your own yet. Draw one on the map.",
    },
    "draw.list": {"de": "Ihre Vorhaben", "en": "Your plans"},
    "draw.name": {"de": "Bezeichnung", "en": "Name"},
    "draw.use": {"de": "Geplante Nutzung", "en": "Planned use"},
    "draw.dwellings": {"de": "Wohnungen", "en": "Dwellings"},
    "draw.upload": {
        "de": "Datei hierher ziehen oder auswählen (GeoJSON, GeoPackage, gezipptes Shapefile; "
        "höchstens {mb} MB)",
        "en": "Drop or choose a file (GeoJSON, GeoPackage, zipped Shapefile; at most {mb} MB)",
    },
    "draw.export": {"de": "Alle als GeoJSON herunterladen", "en": "Download all as GeoJSON"},
    "draw.delete": {"de": "Löschen", "en": "Delete"},
    "draw.delete.label": {"de": "Vorhaben „{name}“ löschen", "en": "Delete plan “{name}”"},
    "draw.pick.label": {"de": "Vorhaben „{name}“ zeigen", "en": "Show plan “{name}”"},
    "draw.default_name": {"de": "Vorhaben {n}", "en": "Plan {n}"},
    "draw.result": {"de": "Prüfung", "en": "Assessment"},
    "draw.refused": {"de": "Nicht prüfbar", "en": "Cannot be assessed"},
    "draw.area": {"de": "Fläche", "en": "Area"},
    "draw.verdict": {"de": "Einstufung", "en": "Verdict"},
    "draw.conflict_area": {"de": "Konfliktfläche", "en": "Conflict area"},
    "draw.score": {"de": "Schwere (Punkte)", "en": "Severity (points)"},
    "draw.sealed": {"de": "Neu versiegelt", "en": "Newly sealed"},
    "draw.hot": {
        "de": "Betroffene der heißesten Klasse (≤ {m} m)",
        "en": "Residents of the hottest class (≤ {m} m)",
    },
    "draw.hot.cells": {"de": "{n} Rasterzellen", "en": "{n} grid cells"},
    "draw.no_conflict": {
        "de": "Keine Konflikte mit den Regeln.",
        "en": "No conflicts with the rules.",
    },
    "draw.exception": {"de": "Ausnahme", "en": "Exception"},
    "draw.reference": {"de": "Grundlage", "en": "Reference"},
    "draw.rules": {"de": "Regeln: {file}", "en": "Rules: {file}"},
    "draw.on_map": {
        "de": "In der Karte: das geprüfte Vorhaben mit seinen Konfliktflächen.",
        "en": "On the map: the assessed plan with its conflict areas.",
    },
    "draw.not_editable": {
        "de": "Diese Fläche (aus einer Datei, mit Löchern oder mehreren Teilen) lässt sich "
        "nicht in der Karte verformen, nur benennen, einstufen und löschen.",
        "en": "This area (from a file, with holes or several parts) cannot be reshaped on the "
        "map, only named, classified and deleted.",
    },
    "draw.unavailable": {
        "de": "Zum Prüfen braucht das Stadtpaket Schutz- und Klimaflächen (allmende import "
        "constraints).",
        "en": "Checking needs the city pack's constraint zones (allmende import constraints).",
    },
    "draw.tool": {"de": "Zeichenwerkzeug", "en": "Drawing tool"},
}
