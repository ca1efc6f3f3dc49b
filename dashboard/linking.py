"""A layer's table linked both ways with the map.

A layer whose table rows and clickable map features share a key (its
:attr:`~layers.base.Layer.panel_key` is its table's ``key``: districts, heat-vulnerability
units, planned developments) gets a *selection*:

* a row chosen in the table (a click, or Space on a focused row) zooms the map to that
  feature, outlines it (a dark line over a white halo, visible on every fill) and opens its
  panel beside the map — for a plan: each conflict with its explanation;
* a click on the feature in the map selects its row (and scrolls the table to it) and
  outlines it; the map does not move.

This module is the pure part (tests call it without a browser): which grids link, the
feature and bounds of a key, the map viewport. ``dashboard.callbacks.linked_tables`` wires
it to the components.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shapely.geometry import shape

from dashboard.context import AppContext
from layers import get_layer
from layers.base import Layer

MAX_KEY = 200  # a row key longer than this is not one of ours
# the selected feature's outline: a dark core over a white halo (each ≥ 3:1 against the other)
HIGHLIGHT_STYLE: dict[str, Any] = {
    "color": "#1a1a1a",
    "weight": 3,
    "fill": False,
    "dashArray": "6 4",
}
HALO_STYLE: dict[str, Any] = {"color": "#ffffff", "weight": 8, "fill": False, "opacity": 0.9}
EMPTY: dict[str, Any] = {"type": "FeatureCollection", "features": []}


@dataclass(frozen=True)
class Selection:
    """One selected map feature: its layer, geometry variant and key, the features that carry
    the key (a plan: its outline and its conflict parts) and their bounds ``((s, w), (n, e))``."""

    layer: str
    variant: str
    key: str
    features: dict[str, Any]
    bounds: tuple[tuple[float, float], tuple[float, float]]

    def store(self) -> dict[str, str]:
        return {"layer": self.layer, "variant": self.variant, "key": self.key}

    def viewport(self) -> dict[str, Any]:
        """The map's ``viewport``: fly to the feature, a little padding around it, and no
        closer than zoom 17 (a small plan would otherwise fill the screen)."""
        (s, w), (n, e) = self.bounds
        return {
            "bounds": [[s, w], [n, e]],
            "transition": "flyToBounds",
            "options": {"padding": [40, 40], "maxZoom": 17, "duration": 0.6},
        }


def linked(layer: Layer, table_key: str | None) -> bool:
    """Whether ``layer``'s table (its rows keyed by ``table_key``) links with the map."""
    return layer.panel is not None and bool(table_key) and table_key == layer.panel_key


def layer_params(layer: Layer, variant: Any) -> dict[str, Any] | None:
    """The parameters that give ``variant``'s geometry (``None``: not a variant of the layer)."""
    if not layer.geometry_param:
        return {} if variant in ("", None) else None
    params = {layer.geometry_param: variant}
    try:
        problems = layer.check_params(params)[1]
        layer.clean_params(params)
    except ValueError:  # ParamError
        return None
    return None if layer.geometry_param in problems else params


def select(ctx: AppContext, layer_id: Any, variant: Any, key: Any, lang: str) -> Selection | None:
    """The selection of feature ``key`` of ``layer_id`` (``variant``: its geometry variant,
    e.g. district or grid); ``None`` for an unknown layer, variant or key, or a layer without
    a click panel. Every argument may come from a crafted request and is checked here."""
    if not isinstance(layer_id, str) or not isinstance(key, (str, int)) or isinstance(key, bool):
        return None
    key = str(key)
    if not key or len(key) > MAX_KEY or (variant is not None and not isinstance(variant, str)):
        return None
    try:
        layer = get_layer(layer_id)
    except KeyError:
        return None
    if layer.panel is None or layer.panel_key is None or not layer.available(ctx.pack):
        return None
    params = layer_params(layer, variant or "")
    if params is None:
        return None
    index = _index(ctx, layer, lang, params)
    features = index.get(key)
    if not features:
        return None
    west, south, east, north = _bounds(features)
    return Selection(
        layer=layer.id,
        variant=layer.variant(layer.clean_params(params)),
        key=key,
        features={"type": "FeatureCollection", "features": features},
        bounds=((south, west), (north, east)),
    )


def _index(
    ctx: AppContext, layer: Layer, lang: str, params: dict[str, Any]
) -> dict[str, list[dict[str, Any]]]:
    """The layer's features by key (built once per layer, language and variant)."""
    memo_key = ("linking", layer.id, lang, layer.variant(layer.clean_params(params)))
    if memo_key not in ctx.memo:
        data = ctx.layer_data(layer.id, lang, params)
        index: dict[str, list[dict[str, Any]]] = {}
        for feature in (data.geojson or EMPTY).get("features", []):
            value = (feature.get("properties") or {}).get(layer.panel_key)
            if value is not None and feature.get("geometry"):
                geometry = feature["geometry"]
                index.setdefault(str(value), []).append(
                    {"type": "Feature", "properties": {}, "geometry": geometry}
                )
        ctx.memo[memo_key] = index
    return ctx.memo[memo_key]  # type: ignore[no-any-return]


def _bounds(features: list[dict[str, Any]]) -> tuple[float, float, float, float]:
    boxes = [shape(f["geometry"]).bounds for f in features]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def row_key(rows: Any, layer: Layer) -> str | None:
    """The key of the (single) selected row in a grid's ``selectedRows`` (``None``: none or
    malformed)."""
    if not isinstance(rows, list) or len(rows) != 1 or not isinstance(rows[0], dict):
        return None
    value = rows[0].get(str(layer.panel_key))
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value)
    return text if 0 < len(text) <= MAX_KEY else None


def clicked_key(feature: Any, layer: Layer) -> str | None:
    """The key of a clicked map feature (a GeoJSON ``clickData``)."""
    props = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(props, dict):
        return None
    return row_key([props], layer)
