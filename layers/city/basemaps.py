"""Base maps: web tiles (OpenStreetMap, the federal TopPlusOpen) or none at all (offline).

The offline base draws no tiles: the city outline, district boundaries and river from the
pack stand in, so the map works without a network.
"""

from __future__ import annotations

from dataclasses import dataclass

from layers.texts import Text


@dataclass(frozen=True)
class Basemap:
    id: str
    label: Text
    url: str | None
    attribution: str
    max_zoom: int = 19


BASEMAPS: dict[str, Basemap] = {
    "topplus": Basemap(
        id="topplus",
        label={"de": "TopPlusOpen (BKG)", "en": "TopPlusOpen (BKG)"},
        url="https://sgx.geodatenzentrum.de/wmts_topplus_open/tile/1.0.0/web/default/WEBMERCATOR/{z}/{y}/{x}.png",
        attribution=(
            '© <a href="https://www.bkg.bund.de">Bundesamt für Kartographie und Geodäsie</a> '
            '(2026), <a href="https://www.govdata.de/dl-de/by-2-0">dl-de/by-2-0</a>, '
            '<a href="https://sgx.geodatenzentrum.de/web_public/gdz/datenquellen/'
            'Datenquellen_TopPlusOpen.html">Datenquellen</a>'
        ),
        max_zoom=18,
    ),
    "osm": Basemap(
        id="osm",
        label={"de": "OpenStreetMap", "en": "OpenStreetMap"},
        url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        attribution=(
            '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende'
        ),
        max_zoom=19,
    ),
    "offline": Basemap(
        id="offline",
        label={"de": "Ohne Kacheln (offline)", "en": "No tiles (offline)"},
        url=None,
        attribution="",
    ),
}
