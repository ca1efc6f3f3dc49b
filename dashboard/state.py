"""The map view as a URL query string, and back.

``?lat=50.92800&lon=11.58600&z=13&layers=districts,river&base=offline&lang=en
&districts.variable=share_65plus&districts.scheme=quantiles&districts.k=5&districts.opacity=0.75``

Parsing is lenient (a bad value falls back to the default and is reported in ``problems``)
so that an old or hand-edited link still opens a sensible map.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode

from data.catalog import City
from layers import REGISTRY, get_layer
from layers.base import Layer

LANGS = ("de", "en")


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
    return value if lo <= value <= hi else None


def parse_view(query: str, city: City, lang: str | None = None, base: str | None = None) -> View:
    """Read a view from a query string (with or without the leading ``?``)."""
    default = default_view(city, lang, base)
    args = {k: v[-1] for k, v in parse_qs(query.lstrip("?"), keep_blank_values=True).items()}
    problems: list[str] = []
    min_lon, min_lat, max_lon, max_lat = city.bbox
    pad_lon, pad_lat = max_lon - min_lon, max_lat - min_lat

    def number(name: str, lo: float, hi: float, fallback: float) -> float:
        raw = args.get(name)
        value = _float(raw, lo, hi)
        if raw is not None and value is None:
            problems.append(f"{name}={raw!r} ignored: expected a number in [{lo}, {hi}]")
        return fallback if value is None else value

    lat = number("lat", min_lat - pad_lat, max_lat + pad_lat, default.lat)
    lon = number("lon", min_lon - pad_lon, max_lon + pad_lon, default.lon)
    zoom = number("z", 3, 19, default.zoom)
    lang_v = args.get("lang", default.lang)
    if lang_v not in LANGS:
        problems.append(f"lang={lang_v!r} ignored; known: {', '.join(LANGS)}")
        lang_v = default.lang
    base_v = args.get("base", default.base)
    if base_v not in city.basemaps:
        problems.append(f"base={base_v!r} ignored; known: {', '.join(city.basemaps)}")
        base_v = default.base
    layers = default.layers
    if "layers" in args:
        wanted = [x for x in args["layers"].split(",") if x]
        known = {layer.id for layer in REGISTRY}
        unknown = [x for x in wanted if x not in known]
        if unknown:
            problems.append(f"unknown layer(s) ignored: {', '.join(unknown)}")
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
        except ValueError as err:
            problems.append(f"{err}; default used")
    return out


def view_query(view: View) -> str:
    """The canonical query string (with ``?``) for a view."""
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


def with_param(query: str, key: str, value: str | None) -> str:
    """``query`` with ``key=`` replaced (or removed for None); the one query-string editor
    used by pages, language links and callbacks."""
    items = [(k, v) for k, v in parse_qsl(query.lstrip("?"), keep_blank_values=True) if k != key]
    if value is not None:
        items.append((key, value))
    return "?" + urlencode(items, safe=",") if items else ""
