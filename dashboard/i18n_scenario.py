"""The UI strings of the scenario page (build a scenario, compare two), merged into
:data:`dashboard.i18n.STRINGS`; German first, English too."""

from __future__ import annotations

SCENARIO_STRINGS: dict[str, dict[str, str]] = {
    "nav.scenario": {"de": "Szenarien", "en": "Scenarios"},
    "scn.heading": {"de": "Szenarien vergleichen", "en": "Compare scenarios"},
    "scn.intro": {
        "de": "Was ändert eine Entscheidung, und für wen? Bauen Sie ein Szenario aus Maßnahmen "
        "(Bäume, Entsiegelung, Gründächer, neue Baugebiete, 2050) und vergleichen Sie es mit "
        "der Ausgangslage oder einem anderen Szenario.",
        "en": "What does a decision change, and for whom? Build a scenario from measures "
        "(trees, unsealing, green roofs, new development, 2050) and compare it with the "
        "baseline or another scenario.",
    },
    "scn.estimate": {
        "de": "Statistische Schätzung der Oberflächentemperatur (LST, Satellit, tagsüber) aus "
        "einem Regressionsmodell, keine physikalische Simulation. Räumlich kreuzvalidierter "
        "Fehler (MAE): ± {mae} K. Lufttemperaturen ändern sich deutlich weniger.",
        "en": "A statistical estimate of land-surface temperature (LST, satellite, daytime) from "
        "a regression model, not a physical simulation. Spatially cross-validated error "
        "(MAE): ± {mae} K. Air temperatures change much less.",
    },
    "scn.pending": {
        "de": "Das Wärmemodell wird vorbereitet (einmal je Datenstand) …",
        "en": "The heat model is being prepared (once per data version) …",
    },
    "scn.unavailable": {
        "de": "Für Szenarien braucht das Datenpaket ein Raster mit Oberflächentemperatur "
        "(lst_day).",
        "en": "Scenarios need a grid with surface temperature (lst_day) in the data pack.",
    },
    "scn.model_error": {
        "de": "Das Wärmemodell konnte nicht erstellt werden: {error}",
        "en": "The heat model could not be built: {error}",
    },
    "scn.build": {"de": "Szenario bauen", "en": "Build a scenario"},
    "scn.slot": {"de": "Bearbeiten", "en": "Edit"},
    "scn.slot.a": {"de": "Links (A)", "en": "Left (A)"},
    "scn.slot.b": {"de": "Rechts (B)", "en": "Right (B)"},
    "scn.name": {"de": "Name des Szenarios", "en": "Scenario name"},
    "scn.baseline": {"de": "Ausgangslage", "en": "Baseline"},
    "scn.new": {"de": "Neues Szenario", "en": "New scenario"},
    "scn.horizon": {"de": "Zeithorizont", "en": "Horizon"},
    "scn.horizon.today": {"de": "Heute", "en": "Today"},
    "scn.horizon.2050": {"de": "2050", "en": "2050"},
    "scn.warming": {
        "de": "Erwärmung 2050 (global, °C)",
        "en": "Warming by 2050 (global, °C)",
    },
    "scn.add": {"de": "Maßnahme hinzufügen", "en": "Add a measure"},
    "scn.kind": {"de": "Art der Maßnahme", "en": "Kind of measure"},
    "scn.kind.canopy": {"de": "Baumkronen (+ Prozentpunkte)", "en": "Tree canopy (+ points)"},
    "scn.kind.trees": {"de": "Bäume pflanzen (Anzahl)", "en": "Plant trees (number)"},
    "scn.kind.unseal": {"de": "Entsiegeln (− Prozentpunkte)", "en": "Unseal (− points)"},
    "scn.kind.green_roofs": {
        "de": "Gründächer (% der Dachfläche)",
        "en": "Green roofs (% of roof area)",
    },
    "scn.kind.development": {"de": "Neues Baugebiet", "en": "New development"},
    "scn.districts": {"de": "Ortsteile", "en": "Districts"},
    "scn.plan": {"de": "Vorhaben", "en": "Plan"},
    "scn.plan.pack": {"de": "Planliste: {name}", "en": "Plan list: {name}"},
    "scn.plan.drawn": {"de": "Eigenes Vorhaben: {name}", "en": "Your plan: {name}"},
    "scn.plan.none": {
        "de": "Keine Vorhaben: weder eine Planliste im Datenpaket noch eigene gezeichnete.",
        "en": "No plans: neither a plan list in the data pack nor plans you drew.",
    },
    "scn.amount": {"de": "Menge", "en": "Amount"},
    "scn.amount.canopy": {"de": "Prozentpunkte Baumkronen", "en": "Percentage points of canopy"},
    "scn.amount.trees": {"de": "Anzahl Bäume", "en": "Number of trees"},
    "scn.amount.unseal": {
        "de": "Prozentpunkte weniger Versiegelung",
        "en": "Percentage points less sealing",
    },
    "scn.amount.green_roofs": {"de": "Anteil der Dachfläche (%)", "en": "Share of roof area (%)"},
    "scn.amount.development": {
        "de": "Wohnungen (leer: laut Planliste)",
        "en": "Dwellings (empty: from the plan list)",
    },
    "scn.crown": {"de": "Kronenfläche je Baum (m²)", "en": "Crown area per tree (m²)"},
    "scn.add.button": {"de": "Hinzufügen", "en": "Add"},
    "scn.measures": {"de": "Maßnahmen in {name}", "en": "Measures in {name}"},
    "scn.measures.none": {
        "de": "Keine Maßnahmen: das ist die Ausgangslage.",
        "en": "No measures: this is the baseline.",
    },
    "scn.remove": {"de": "Entfernen: {what}", "en": "Remove: {what}"},
    "scn.clear": {"de": "Alle Maßnahmen entfernen", "en": "Remove all measures"},
    "scn.swap": {"de": "A und B tauschen", "en": "Swap A and B"},
    "scn.export": {"de": "Szenario B als TOML herunterladen", "en": "Download scenario B as TOML"},
    "scn.export.a": {
        "de": "Szenario A als TOML herunterladen",
        "en": "Download scenario A as TOML",
    },
    "scn.upload": {
        "de": "Szenario-Datei (TOML oder JSON) hierher ziehen oder auswählen",
        "en": "Drop or choose a scenario file (TOML or JSON)",
    },
    "scn.upload.loaded": {
        "de": "Szenario „{name}“ geladen ({n} Maßnahmen).",
        "en": "Scenario “{name}” loaded ({n} measures).",
    },
    "scn.refused": {
        "de": "Nicht übernommen, nichts wurde geändert:",
        "en": "Not applied, nothing was changed:",
    },
    "scn.added": {"de": "Maßnahme {n} hinzugefügt.", "en": "Measure {n} added."},
    "scn.removed": {"de": "Maßnahme {n} entfernt.", "en": "Measure {n} removed."},
    "scn.too_long": {
        "de": "Dieses Szenario ist zu groß für einen Link; laden Sie es als TOML herunter.",
        "en": "This scenario is too large for a link; download it as TOML.",
    },
    "scn.link_problem": {
        "de": "Szenario {slot} aus dem Link nicht gelesen: {error}",
        "en": "Scenario {slot} in the link was not read: {error}",
    },
    "scn.compare": {"de": "Vergleich", "en": "Comparison"},
    "scn.mode": {"de": "Ansicht", "en": "View"},
    "scn.mode.side": {"de": "Nebeneinander", "en": "Side by side"},
    "scn.mode.swipe": {"de": "Wischen", "en": "Swipe"},
    "scn.mode.diff": {"de": "Differenz", "en": "Difference"},
    "scn.swipe": {
        "de": "Trennlinie: links A, rechts B (Pfeiltasten verschieben)",
        "en": "Divider: A on the left, B on the right (arrow keys move it)",
    },
    "scn.map.a": {"de": "Karte A: {name}", "en": "Map A: {name}"},
    "scn.map.b": {"de": "Karte B: {name}", "en": "Map B: {name}"},
    "scn.map.swipe": {"de": "Wischkarte: A links, B rechts", "en": "Swipe map: A left, B right"},
    "scn.map.diff": {"de": "Differenzkarte B − A", "en": "Difference map B − A"},
    "scn.legend.lst": {
        "de": "Oberflächentemperatur (LST) tagsüber, °C",
        "en": "Land-surface temperature (LST) daytime, °C",
    },
    "scn.legend.diff": {
        "de": "Änderung der Oberflächentemperatur B − A, K",
        "en": "Change of surface temperature B − A, K",
    },
    "scn.legend.clear": {"de": "durchsichtig", "en": "clear"},
    "scn.cooler": {"de": "kühler", "en": "cooler"},
    "scn.warmer": {"de": "wärmer", "en": "warmer"},
    "scn.unchanged": {"de": "unverändert", "en": "unchanged"},
    "scn.kpis": {"de": "Kennzahlen: A und B", "en": "Key figures: A and B"},
    "scn.kpi.table": {
        "de": "Kennzahlen als Tabelle",
        "en": "Key figures as a table",
    },
    "scn.col.kpi": {"de": "Kennzahl", "en": "Key figure"},
    "scn.col.unit": {"de": "Einheit", "en": "Unit"},
    "scn.col.a": {"de": "Szenario A", "en": "Scenario A"},
    "scn.col.b": {"de": "Szenario B", "en": "Scenario B"},
    "scn.col.delta": {"de": "Änderung B − A", "en": "Change B − A"},
    "scn.col.error": {"de": "Modellfehler (MAE)", "en": "Model error (MAE)"},
    "scn.col.direction": {"de": "Richtung", "en": "Direction"},
    "scn.dir.better": {"de": "besser", "en": "better"},
    "scn.dir.worse": {"de": "schlechter", "en": "worse"},
    "scn.dir.up": {"de": "mehr", "en": "more"},
    "scn.dir.down": {"de": "weniger", "en": "fewer"},
    "scn.dir.same": {"de": "unverändert", "en": "unchanged"},
    "scn.error.beside": {"de": "Modellfehler ± {mae}", "en": "model error ± {mae}"},
    "scn.within_error": {
        "de": "kleiner als der Modellfehler",
        "en": "smaller than the model error",
    },
    "scn.districts.table": {
        "de": "Oberflächentemperatur je Ortsteil (Mittel, °C)",
        "en": "Surface temperature per district (mean, °C)",
    },
    "scn.col.district": {"de": "Ortsteil", "en": "District"},
    "scn.col.lst_a": {"de": "Oberflächentemp. A (°C)", "en": "Surface temp. A (°C)"},
    "scn.col.lst_b": {"de": "Oberflächentemp. B (°C)", "en": "Surface temp. B (°C)"},
    "scn.col.lst_delta": {"de": "Änderung B − A (K)", "en": "Change B − A (K)"},
    "scn.cells": {"de": "Rasterzellen", "en": "Grid cells"},
    "scn.cells.summary": {
        "de": "{changed} von {total} Rasterzellen ({cell} m) ändern sich um mehr als 0,01 K; "
        "kühlste Änderung {lo} K, wärmste {hi} K, Mittel der geänderten {mean} K.",
        "en": "{changed} of {total} grid cells ({cell} m) change by more than 0.01 K; "
        "coolest change {lo} K, warmest {hi} K, mean of the changed {mean} K.",
    },
    "scn.cells.none": {
        "de": "Keine Rasterzelle ändert sich (A und B sind gleich).",
        "en": "No grid cell changes (A and B are the same).",
    },
    "scn.model": {"de": "Modellkarte des Wärmemodells", "en": "Model card of the heat model"},
    "scn.notes": {"de": "Hinweise", "en": "Notes"},
    "scn.assumptions": {"de": "Annahmen", "en": "Assumptions"},
    "scn.onmap.heading": {"de": "Szenario auf der Karte", "en": "Scenario on the map"},
    "scn.onmap.show": {
        "de": "Differenz B − A der Seite „Szenarien“ einblenden",
        "en": "Show the difference B − A of the “Scenarios” page",
    },
    "scn.onmap.open": {
        "de": "Szenarien bauen und vergleichen",
        "en": "Build and compare scenarios",
    },
    "scn.onmap.same": {
        "de": "A und B sind gleich: bauen Sie auf der Seite „Szenarien“ ein Szenario.",
        "en": "A and B are the same: build a scenario on the “Scenarios” page.",
    },
    "scn.onmap.shown": {
        "de": "Gezeigt: „{b}“ gegen „{a}“ (Oberflächentemperatur, ± {mae} K Modellfehler).",
        "en": "Shown: “{b}” against “{a}” (surface temperature, ± {mae} K model error).",
    },
    "rep.title": {"de": "Ratsbericht: {b} gegenüber {a}", "en": "Council report: {b} against {a}"},
    "rep.made": {"de": "Erstellt am {date} mit Allmende", "en": "Made on {date} with Allmende"},
    "rep.measures": {"de": "Maßnahmen", "en": "Measures"},
    "rep.maps": {"de": "Karten", "en": "Maps"},
    "rep.sources": {"de": "Quellen und Lizenzen", "en": "Sources and licences"},
    "scn.link": {"de": "Link zu diesem Vergleich", "en": "Link to this comparison"},
}
