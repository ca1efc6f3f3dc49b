"""The view <-> URL round trip, and lenient parsing of bad links."""

from __future__ import annotations

from dashboard.state import default_view, parse_view, view_query
from data.catalog import City

CITY = City(
    id="x",
    name="X",
    centre=(50.925, 11.586),
    zoom=12,
    bbox=(11.499, 50.8561, 11.673, 50.9889),
    metric_crs="EPSG:25832",
)


def test_round_trip():
    q = (
        "?lat=50.93000&lon=11.60000&z=14&layers=districts,population-grid&base=offline&lang=en"
        "&districts.variable=share_65plus&districts.k=4&districts.opacity=0.5"
    )
    view = parse_view(q, CITY)
    assert not view.problems
    assert (view.lat, view.lon, view.zoom, view.base, view.lang) == (
        50.93,
        11.6,
        14,
        "offline",
        "en",
    )
    assert view.layers == ("population-grid", "districts")  # registry order
    assert view.params["districts"] == {"variable": "share_65plus", "scheme": "quantiles", "k": 4}
    assert view.opacity["districts"] == 0.5
    assert parse_view(view_query(view), CITY) == view


def test_defaults_when_empty():
    assert parse_view("", CITY) == default_view(CITY)


def test_bad_values_fall_back_and_are_reported():
    view = parse_view(
        "lat=abc&lon=200&z=99&lang=fr&base=google&layers=districts,evil"
        "&districts.k=100&districts.variable=<script>",
        CITY,
    )
    d = default_view(CITY)
    assert (view.lat, view.lon, view.zoom, view.lang, view.base) == (
        d.lat,
        d.lon,
        d.zoom,
        "de",
        d.base,
    )
    assert view.layers == ("districts",)
    assert view.params["districts"] == d.params["districts"]
    text = " ".join(view.problems)
    for needle in ("lat=", "lon=", "z=", "lang=", "base=", "evil", "'k'", "'variable'"):
        assert needle in text
