"""Layer GeoJSON by URL: ``/layers/<layer_id>.geojson?lang=de&variant=grid&v=<version>``.

The map's GeoJSON components get this address (dash-leaflet's ``url``) instead of the
features themselves, so callback responses carry no geometry and the browser caches each
layer's GeoJSON. What determines a layer's GeoJSON is the pack (its version), the layer, the
language (tooltips and labels) and the geometry variant (the value of the layer's
``geometry_param``, e.g. district or grid level; ``""`` for layers with one geometry), and the
code that builds it. ``v`` is a hash of all of these, so a URL names one fixed document:

* ``v`` current: ``200`` with ``Cache-Control: public, max-age=31536000, immutable`` and
  ``ETag: "<v>"`` (``If-None-Match`` gives ``304``); flask-compress compresses the body
  (``application/geo+json`` is among its types, see :data:`COMPRESS_TYPES`);
* ``v`` missing or stale (a page from before a pack update): ``302`` to the current URL,
  ``Cache-Control: no-cache``;
* an unknown layer, an image layer or a layer the pack cannot draw: ``404``; a language or
  variant that does not exist: ``400``; each with a plain-text message (never a ``500``).

The callbacks that hand out a URL build the layer's geometry first (as they did when they
sent it), so the fetch that follows only serialises it; the serialised document is cached
per context (:attr:`AppContext.geojson_cache`) next to the geometry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import plotly.io.json as plotly_json

import data
import layers
import models
from dashboard.context import AppContext
from dashboard.i18n import LANGS
from layers import REGISTRY
from layers.base import Layer

MIMETYPE = "application/geo+json"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
MAX_ARG = 64  # longer ids or query values are refused before any lookup


class Refusal(Exception):
    """A request the route answers with ``status`` and the text ``key`` of dashboard.i18n."""

    def __init__(self, status: int, key: str) -> None:
        super().__init__(key)
        self.status = status
        self.key = key


@dataclass(frozen=True)
class LayerDoc:
    """One layer GeoJSON document: which layer, language and geometry variant."""

    layer: Layer
    lang: str
    variant: str


@cache
def code_fingerprint() -> str:
    """A hash of the source of the packages that build layer geometry (``layers``,
    ``models``, ``data``): new code gives new URLs, so no browser keeps an old document."""
    h = hashlib.sha256()
    for package in (layers, models, data):
        root = Path(package.__file__ or "").resolve().parent
        for path in sorted(root.rglob("*.py")):
            h.update(str(path.relative_to(root.parent)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def version(ctx: AppContext, doc: LayerDoc) -> str:
    """The document's version: pack version, code, layer, language and variant."""
    h = hashlib.sha256()
    for part in (ctx.pack.version, code_fingerprint(), doc.layer.id, doc.lang, doc.variant):
        h.update(part.encode() + b"\0")
    return h.hexdigest()[:16]


def url(ctx: AppContext, doc: LayerDoc) -> str:
    """The document's current address."""
    query = {"lang": doc.lang, **({"variant": doc.variant} if doc.variant else {})}
    query["v"] = version(ctx, doc)
    return f"/layers/{quote(doc.layer.id)}.geojson?{urlencode(query)}"


def layer_doc(layer: Layer, params: Mapping[str, Any], lang: str) -> LayerDoc:
    """The document a layer shows for (cleaned) ``params``."""
    return LayerDoc(layer, lang, layer.variant(params))


def variants(layer: Layer) -> tuple[str, ...]:
    """The geometry variants of a layer (``("",)`` for a layer with one geometry)."""
    if not layer.geometry_param:
        return ("",)
    param = next(p for p in layer.params if p.name == layer.geometry_param)
    return tuple(code for code, _ in param.choices)


def parse(ctx: AppContext, layer_id: str, args: Mapping[str, str]) -> LayerDoc:
    """The document a request asks for (missing language or variant: the defaults), or a
    :class:`Refusal`. Nothing from the request is used before it is checked."""
    if any(len(str(v)) > MAX_ARG for v in args.values()):
        raise Refusal(400, "geojson.bad_request")
    layer = next((x for x in REGISTRY if x.id == layer_id), None)
    if layer is None or layer.render != "geojson":
        raise Refusal(404, "geojson.unknown_layer")
    if not layer.available(ctx.pack):
        raise Refusal(404, "geojson.unavailable")
    lang = args.get("lang", LANGS[0])
    if lang not in LANGS:
        raise Refusal(400, "geojson.bad_lang")
    options = variants(layer)
    default = str(layer.defaults()[layer.geometry_param]) if layer.geometry_param else ""
    variant = args.get("variant", default)
    if variant not in options:
        raise Refusal(400, "geojson.bad_variant")
    return LayerDoc(layer, lang, variant)


def body(ctx: AppContext, doc: LayerDoc) -> bytes:
    """The document as compact UTF-8 JSON, built once per context."""
    key = (doc.layer.id, doc.lang, doc.variant)
    cached = ctx.geojson_cache.get(key)
    if cached is None:
        params = dict(doc.layer.defaults())
        if doc.layer.geometry_param:
            params[doc.layer.geometry_param] = doc.variant
        cached = dumps(ctx.layer_data(doc.layer.id, doc.lang, params).geojson)
        ctx.geojson_cache[key] = cached
    return cached


def load(ctx: AppContext, address: str) -> dict[str, Any]:
    """The document a URL of :func:`url` names, as a dict (what the browser's fetch reads)."""
    parts = urlsplit(address)
    name = unquote(parts.path.removeprefix("/layers/").removesuffix(".geojson"))
    doc = parse(ctx, name, dict(parse_qsl(parts.query)))
    loaded: dict[str, Any] = json.loads(body(ctx, doc))
    return loaded


def dumps(value: Any) -> bytes:
    """Strict JSON (what ``response.json()`` in the browser reads): NaN and infinities as
    ``null`` and numpy numbers as numbers, as Dash sends them in callback responses."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (ValueError, TypeError):
        text = plotly_json.to_json_plotly(value)
    return text.encode("utf-8")
