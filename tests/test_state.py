"""The view <-> URL round trip, and lenient parsing of bad links."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from dashboard.state import (
    MAX_QUERY,
    ZOOM_RANGE,
    bounds,
    default_view,
    parse_view,
    sanitised,
    view_query,
    with_param,
)
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


@pytest.mark.parametrize(
    "query", [42, 1.5, None, ["?z=12"], {"z": 12}, True, "?" + "a" * MAX_QUERY]
)
def test_a_query_that_is_no_string_or_too_long_is_no_query(query: Any) -> None:
    assert parse_view(query, CITY) == default_view(CITY)
    assert with_param(query, "site", "s1") == "?site=s1"


def test_problems_quote_a_long_value_short() -> None:
    long = "y" * 500  # the query stays under MAX_QUERY: it is read
    view = parse_view(f"?lat={long}&z={long}&lang={long}&layers={long}&districts.k={long}", CITY)
    assert len(view.problems) == 5
    assert all(len(p) < 200 and "y" * 100 not in p for p in view.problems)


@pytest.mark.parametrize("z", ["inf", "-inf", "nan", "NaN", "1e999", "8", "19", "-3"])
def test_a_zoom_outside_the_maps_range_is_the_default(z: str) -> None:
    view = parse_view(f"?z={z}", CITY)
    assert view.zoom == CITY.zoom and view.problems


@pytest.mark.parametrize(
    "lat, lon, zoom",
    [
        (float("nan"), 11.6, 13),
        (50.9, float("inf"), 13),
        (89.0, 11.6, 13),  # far north of the city
        (50.9, -120.0, 13),
        (50.9, 11.6, float("inf")),
        (50.9, 11.6, float("nan")),
        (50.9, 11.6, 25),
        (50.9, 11.6, 2),
    ],
)
def test_sanitised_keeps_a_link_finite_and_near_the_city(
    lat: float, lon: float, zoom: float
) -> None:
    d = default_view(CITY)
    view = sanitised(replace(d, lat=lat, lon=lon, zoom=zoom, opacity={"districts": 7.0}), CITY)
    (lat_lo, lat_hi), (lon_lo, lon_hi) = bounds(CITY)
    assert lat_lo <= view.lat <= lat_hi and lon_lo <= view.lon <= lon_hi
    assert ZOOM_RANGE[0] <= view.zoom <= ZOOM_RANGE[1]
    assert view.opacity["districts"] == d.opacity["districts"]
    query = view_query(view).lower()
    assert "inf" not in query and "nan" not in query
    assert parse_view(query, CITY).problems == ()  # the link it writes reads back cleanly


def test_sanitised_keeps_a_good_view() -> None:
    view = replace(default_view(CITY), lat=50.9, lon=11.55, zoom=15.5)
    assert sanitised(view, CITY) == view


def test_with_param_leaves_out_what_no_link_of_the_app_holds() -> None:
    query = "?lat=50.9&" + "k" * 100 + "=1&layers=" + "v" * 600 + "&z=12"
    assert with_param(query, "site", "s1") == "?lat=50.9&z=12&site=s1"
