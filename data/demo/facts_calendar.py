"""The demo city's calendar as facts: Thuringian school holidays and Jena lecture periods.

The demo generator writes these ranges into the pack (``calendar.csv``, dataset
``calendar``) and declares the demo city's time zone and public-holiday region in
``city.toml`` (:data:`TIMEZONE`, :data:`COUNTRY`, :data:`SUBDIVISION`); the app and the
models read them from the pack (:mod:`data.pack_calendar`), never from here.
"""

from __future__ import annotations

from data.calendar import CityCalendar, DateRange

#: The demo city's local clock and public-holiday region (Jena, Thuringia, Germany).
TIMEZONE = "Europe/Berlin"
COUNTRY = "DE"
#: Thuringia: includes Reformation Day (31 Oct) and Weltkindertag (20 Sep), but not Corpus
#: Christi (a holiday only in some Catholic municipalities of the Eichsfeld, not in Jena).
SUBDIVISION = "TH"

#: Where the calendar facts come from (catalog ``source``, German and English).
SOURCE_CALENDAR = {
    "de": "Nur dokumentierte Fakten, ohne Datendateien: Schulferien Thüringen nach dem "
    "Thüringer Ministerium für Bildung, Jugend und Sport (über kalenderpedia.de, ferienwiki.de, "
    "ferienplaner.org, smart-rechner.de, Stand Okt. 2025); Vorlesungszeiten der "
    "Friedrich-Schiller-Universität Jena und Veranstaltungen genähert (übliches Muster)",
    "en": "Facts only, no files: Thuringian school holidays as published by the Thuringian "
    "Ministry of Education (via kalenderpedia.de, ferienwiki.de, ferienplaner.org, "
    "smart-rechner.de, as of Oct 2025); lecture periods of the University of Jena and "
    "events approximate (the usual pattern)",
}
SOURCE_EVENTS = (
    "approximate: the usual dates of Jena's Weihnachtsmarkt, Altstadtfest, Kulturarena and "
    "Sunday openings (data.demo.footfall.event_days), not official calendars"
)
SOURCE_SCHOOL = (
    "Thüringer Ministerium für Bildung, Jugend und Sport, via kalenderpedia.de, "
    "ferienwiki.de, ferienplaner.org, smart-rechner.de (checked Oct 2025)"
)
SOURCE_LECTURES = (
    "approximate: usual pattern of the Friedrich-Schiller-Universität Jena, not its "
    "official calendar"
)

#: Thuringian school holidays (first and last day, inclusive), typed in as facts.
#: Source: the dates published by the Thuringian Ministry of Education (Ministerium für
#: Bildung, Jugend und Sport), as reproduced by kalenderpedia.de, ferienwiki.de,
#: ferienplaner.org and smart-rechner.de (checked against at least two of them, Oct 2025).
#: The single days in May are the state-wide school-free Friday after Ascension Day
#: ("Pfingstferien" in the tables). Movable days chosen by individual schools
#: ("Ferientage zur freien Verfügung", up to 3 per school year) are not included.
SCHOOL_HOLIDAYS_TH: tuple[tuple[str, str, str], ...] = (
    ("2022-12-22", "2023-01-03", "Weihnachtsferien"),
    ("2023-02-13", "2023-02-17", "Winterferien"),
    ("2023-04-03", "2023-04-15", "Osterferien"),
    ("2023-05-19", "2023-05-19", "Brückentag nach Himmelfahrt"),
    ("2023-07-10", "2023-08-19", "Sommerferien"),
    ("2023-10-02", "2023-10-14", "Herbstferien"),
    ("2023-12-22", "2024-01-05", "Weihnachtsferien"),
    ("2024-02-12", "2024-02-16", "Winterferien"),
    ("2024-03-25", "2024-04-06", "Osterferien"),
    ("2024-05-10", "2024-05-10", "Brückentag nach Himmelfahrt"),
    ("2024-06-20", "2024-07-31", "Sommerferien"),
    ("2024-09-30", "2024-10-12", "Herbstferien"),
    ("2024-12-23", "2025-01-03", "Weihnachtsferien"),
    ("2025-02-03", "2025-02-08", "Winterferien"),
    ("2025-04-07", "2025-04-19", "Osterferien"),
    ("2025-05-30", "2025-05-30", "Brückentag nach Himmelfahrt"),
    ("2025-06-28", "2025-08-08", "Sommerferien"),
    ("2025-10-06", "2025-10-18", "Herbstferien"),
    ("2025-12-22", "2026-01-03", "Weihnachtsferien"),
    ("2026-02-16", "2026-02-21", "Winterferien"),
    ("2026-04-07", "2026-04-17", "Osterferien"),
    ("2026-05-15", "2026-05-15", "Brückentag nach Himmelfahrt"),
    ("2026-07-04", "2026-08-14", "Sommerferien"),
    ("2026-10-12", "2026-10-24", "Herbstferien"),
    ("2026-12-23", "2027-01-02", "Weihnachtsferien"),
)

#: Lecture periods ("Vorlesungszeit") of the Friedrich-Schiller-Universität Jena, first and
#: last day, inclusive. APPROXIMATE: typed in from the usual pattern (winter semester from
#: mid-October to early/mid-February, summer semester from early/mid-April to mid-July),
#: not from the university's official calendar. The lecture-free days around Christmas and
#: New Year are left out as a separate gap (also approximate).
FSU_LECTURE_PERIODS: tuple[tuple[str, str], ...] = (
    ("2022-10-17", "2022-12-22"),
    ("2023-01-03", "2023-02-10"),
    ("2023-04-11", "2023-07-15"),
    ("2023-10-16", "2023-12-22"),
    ("2024-01-08", "2024-02-09"),
    ("2024-04-08", "2024-07-13"),
    ("2024-10-14", "2024-12-21"),
    ("2025-01-06", "2025-02-08"),
    ("2025-04-07", "2025-07-12"),
    ("2025-10-13", "2025-12-20"),
    ("2026-01-05", "2026-02-07"),
    ("2026-04-13", "2026-07-18"),
    ("2026-10-12", "2026-12-19"),
)


def calendar_ranges() -> list[DateRange]:
    """School holidays, then lecture periods, as calendar ranges (one CSV row each)."""
    school = [
        DateRange(a, b, name, "school_holiday", SOURCE_SCHOOL) for a, b, name in SCHOOL_HOLIDAYS_TH
    ]
    lectures = [
        DateRange(a, b, "Vorlesungszeit", "lecture", SOURCE_LECTURES)
        for a, b in FSU_LECTURE_PERIODS
    ]
    return school + lectures


def demo_calendar() -> CityCalendar:
    """The calendar the demo pack declares (what the generator uses for its own counts)."""
    return CityCalendar(TIMEZONE, COUNTRY, SUBDIVISION, tuple(calendar_ranges()))
