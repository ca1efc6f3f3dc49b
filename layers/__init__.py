"""Pure map layers: city pack + parameters -> map-ready output + legend.

The registry is explicit: a new layer is one module in this package plus one line in
``REGISTRY``. The layer panel, the URL state and the contract tests all iterate it.
"""

from __future__ import annotations

from layers import (
    districts,
    facilities,
    footfall_heatmap,
    footfall_sites,
    heat_surface,
    heat_vulnerability,
    population_grid,
    river,
)
from layers.base import Layer, LayerData, LayerStyle, Legend, LegendEntry, Param, tr
from layers.basemaps import BASEMAPS, Basemap

# Drawing order: first is drawn lowest.
REGISTRY: tuple[Layer, ...] = (
    heat_surface.LAYER,
    population_grid.LAYER,
    districts.LAYER,
    heat_vulnerability.LAYER,
    river.LAYER,
    footfall_heatmap.LAYER,
    footfall_sites.LAYER,
    facilities.LAYER,
)


def get_layer(layer_id: str) -> Layer:
    for layer in REGISTRY:
        if layer.id == layer_id:
            return layer
    known = ", ".join(layer.id for layer in REGISTRY)
    raise KeyError(f"layer {layer_id!r} not found; known: {known}")


__all__ = [
    "BASEMAPS",
    "REGISTRY",
    "Basemap",
    "Layer",
    "LayerData",
    "LayerStyle",
    "Legend",
    "LegendEntry",
    "Param",
    "get_layer",
    "tr",
]
