"""The map view as a URL query string, and back.

``?lat=50.92800&lon=11.58600&z=13&layers=districts,river&base=offline&lang=en
&districts.variable=share_65plus&districts.scheme=quantiles&districts.k=5&districts.opacity=0.75``

Parsing is lenient (a bad value falls back to the default and is reported in ``problems``)
so that an old or hand-edited link still opens a sensible map. Every view is sanitised before
it is written into a link (:func:`sanitised`): a finite zoom within the map's range and a
centre inside the city's bounds, else the city's default.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode

from data.catalog import City
from layers import REGISTRY, get_layer
from layers.base import Layer
from layers.params import shown

LANGS = ("de", "en")
# the zoom levels the map allows (the map page's ``minZoom``/``maxZoom``)
ZOOM_RANGE = (9.0, 18.0)
# the longest query string read (a longer one, only crafted, is read as no query), and the
# longest key and value a link keeps (the longest the app writes: a layer list, typed breaks)
MAX_QUERY = 4096
MAX_KEY = 64
MAX_VALUE = 512


@dataclass(frozen=True)
class View:
    lat: float
    lon: float
    zoom: float
    layers: tuple[str, ...]
    base: str
    lang: str
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    opacity: dict[str, float] = field(default_factory=dict)
    problems: tuple[str, ...] = ()


def default_view(city: City, lang: str | None = None, base: str | None = None) -> View:
    return View(
        lat=city.centre[0],
        lon=city.centre[1],
        zoom=city.zoom,
        layers=tuple(layer.id for layer in REGISTRY if layer.default_on),
        base=base or city.default_basemap,
        lang=lang or city.default_language,
        params={layer.id: layer.defaults() for layer in REGISTRY},
        opacity={layer.id: layer.default_opacity for layer in REGISTRY},
    )


def _float(raw: str | None, lo: float, hi: float) -> float | None:
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if lo <= value <= hi else None  # False for NaN and ±inf outside


def bounds(city: City) -> tuple[tuple[float, float], tuple[float, float]]:
    """``((lat_lo, lat_hi), (lon_lo, lon_hi))``: where a view's centre may be — the city's
    bounding box with a margin of its own size on each side."""
    min_lon, min_lat, max_lon, max_lat = city.bbox
    pad_lon, pad_lat = max_lon - min_lon, max_lat - min_lat
    return (min_lat - pad_lat, max_lat + pad_lat), (min_lon - pad_lon, max_lon + pad_lon)


def _finite_in(value: Any, lo: float, hi: float) -> bool:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return number and math.isfinite(value) and lo <= value <= hi


def sanitised(view: View, city: City) -> View:
    """``view`` safe to write into a link: a finite zoom within :data:`ZOOM_RANGE` (else the
    city's), a centre inside :func:`bounds` (else the city's centre), opacities in [0, 1]
    (else the layer's default)."""
    (lat_lo, lat_hi), (lon_lo, lon_hi) = bounds(city)
    lat, lon = view.lat, view.lon
    if not (_finite_in(lat, lat_lo, lat_hi) and _finite_in(lon, lon_lo, lon_hi)):
        lat, lon = city.centre
    zoom = view.zoom if _finite_in(view.zoom, *ZOOM_RANGE) else city.zoom
    opacity = {
        layer_id: op if _finite_in(op, 0, 1) else get_layer(layer_id).default_opacity
        for layer_id, op in view.opacity.items()
    }
    return replace(view, lat=float(lat), lon=float(lon), zoom=zoom, opacity=opacity)


def parse_view(query: Any, city: City, lang: str | None = None, base: str | None = None) -> View:
    """Read a view from a query string (with or without the leading ``?``); anything but a
    string of at most :data:`MAX_QUERY` characters (only a crafted request sends one) is read
    as no query."""
    default = default_view(city, lang, base)
    if not isinstance(query, str) or len(query) > MAX_QUERY:
        query = ""
    args = {k: v[-1] for k, v in parse_qs(query.lstrip("?"), keep_blank_values=True).items()}
    problems: list[str] = []
    (lat_lo, lat_hi), (lon_lo, lon_hi) = bounds(city)

    def number(name: str, lo: float, hi: float, fallback: float) -> float:
        raw = args.get(name)
        value = _float(raw, lo, hi)
        if raw is not None and value is None:
            problems.append(
                f"{name}={shown(raw, 40)!r} ignored: expected a number in [{lo:g}, {hi:g}]"
            )
        return fallback if value is None else value

    lat = number("lat", lat_lo, lat_hi, default.lat)
    lon = number("lon", lon_lo, lon_hi, default.lon)
    zoom = number("z", *ZOOM_RANGE, default.zoom)
    lang_v = args.get("lang", default.lang)
    if lang_v not in LANGS:
        problems.append(f"lang={shown(lang_v, 40)!r} ignored; known: {', '.join(LANGS)}")
        lang_v = default.lang
    base_v = args.get("base", default.base)
    if base_v not in city.basemaps:
        problems.append(f"base={shown(base_v, 40)!r} ignored; known: {', '.join(city.basemaps)}")
        base_v = default.base
    layers = default.layers
    if "layers" in args:
        wanted = [x for x in args["layers"].split(",") if x]
        known = {layer.id for layer in REGISTRY}
        unknown = [x for x in wanted if x not in known]
        if unknown:
            problems.append(f"unknown layer(s) ignored: {shown(', '.join(unknown), 60)}")
        layers = tuple(layer.id for layer in REGISTRY if layer.id in wanted)
    params: dict[str, dict[str, Any]] = {}
    opacity: dict[str, float] = {}
    for layer in REGISTRY:
        params[layer.id] = _layer_params(layer, args, problems)
        op = number(f"{layer.id}.opacity", 0, 1, layer.default_opacity)
        opacity[layer.id] = op
    return View(lat, lon, zoom, layers, base_v, lang_v, params, opacity, tuple(problems))


def _layer_params(layer: Layer, args: dict[str, str], problems: list[str]) -> dict[str, Any]:
    out = layer.defaults()
    for p in layer.params:
        raw = args.get(f"{layer.id}.{p.name}")
        if raw is None:
            continue
        value: Any = raw
        if p.kind in ("int", "float"):
            try:
                value = float(raw)
                if p.kind == "int" and value.is_integer():
                    value = int(value)
            except ValueError:
                pass
        try:
            out[p.name] = p.clean(value)
        except ValueError as err:  # ParamError: its message quotes at most a short value
            problems.append(f"{err}; default used")
    return out


def view_query(view: View) -> str:
    """The canonical query string (with ``?``) for a view (pass a view from a browser through
    :func:`sanitised` first)."""
    items: list[tuple[str, str]] = [
        ("lat", f"{view.lat:.5f}"),
        ("lon", f"{view.lon:.5f}"),
        ("z", f"{view.zoom:g}"),
        ("layers", ",".join(view.layers)),
        ("base", view.base),
        ("lang", view.lang),
    ]
    for layer_id, params in view.params.items():
        layer = get_layer(layer_id)
        for name, value in params.items():
            if value != layer.defaults().get(name):
                items.append((f"{layer_id}.{name}", str(value)))
    for layer_id, op in view.opacity.items():
        if abs(op - get_layer(layer_id).default_opacity) > 1e-9:
            items.append((f"{layer_id}.opacity", f"{op:g}"))
    return "?" + urlencode(items, safe=",")


def with_param(query: Any, key: str, value: str | None) -> str:
    """``query`` with ``key=`` replaced (or removed for None); the one query-string editor
    used by pages, language links and callbacks. Anything but a string of at most
    :data:`MAX_QUERY` characters is read as no query; a key longer than :data:`MAX_KEY` or a
    value longer than :data:`MAX_VALUE` characters is left out."""
    if not isinstance(query, str) or len(query) > MAX_QUERY:
        query = ""
    items = [
        (k, v)
        for k, v in parse_qsl(query.lstrip("?"), keep_blank_values=True)
        if k != key and len(k) <= MAX_KEY and len(v) <= MAX_VALUE  # longer: only crafted
    ]
    if value is not None:
        items.append((key, value))
    return "?" + urlencode(items, safe=",") if items else ""
