"""Pure map layers and charts: city pack + parameters -> map-ready output, legend, charts.

The package is organised by theme; each theme is a subpackage with its layers and its charts:

* ``layers.city`` — the city itself: base maps, districts, population grid, river;
* ``layers.footfall`` — pedestrian counts: heatmap, counting sites, cube, charts, forecast;
* ``layers.heat`` — heat and climate justice: surface temperature, vulnerability index,
  sensitive facilities, justice and trend charts;
* ``layers.landuse`` — land use and its conflicts: land-use classes, constraint zones,
  planned developments with their conflicts.

What every theme shares stays at the top: :mod:`layers.base` (the :class:`Layer` contract),
:mod:`layers.classify`, :mod:`layers.fmt`, :mod:`layers.tables`, :mod:`layers.charts`,
:mod:`layers.raster` and this registry.

A new theme (land use, mobility, scenarios, …) is a sibling subpackage — ``layers/landuse/``,
``layers/mobility/``, ``layers/scenarios/`` — holding its layer modules (each with one
``LAYER``) and its chart modules; it imports the shared helpers above and never another
theme's modules (what two themes need belongs at the top). Its layers then get one line each
in ``REGISTRY`` below, and the subpackage one entry in ``[tool.setuptools] packages`` in
``pyproject.toml``.

The registry is explicit: a new layer is one module plus one line in ``REGISTRY``. The URL
state and the contract tests iterate it; the layer panel groups it by theme
(:mod:`layers.themes`), so drawing order and panel order are independent. Every layer checks
its own fields when it is built, and the registry checks what concerns several layers
(:mod:`layers.contract`).
"""

from __future__ import annotations

from layers.base import Layer, LayerData, LayerStyle, Legend, LegendEntry
from layers.city import districts, population_grid, river
from layers.city.basemaps import BASEMAPS, Basemap
from layers.contract import LayerContractError, Theme, check_registry
from layers.footfall import heatmap as footfall_heatmap
from layers.footfall import sites as footfall_sites
from layers.heat import facilities
from layers.heat import surface as heat_surface
from layers.heat import vulnerability as heat_vulnerability
from layers.landuse import conflicts as landuse_conflicts
from layers.landuse import constraints as landuse_constraints
from layers.landuse import landuse
from layers.params import Param
from layers.texts import tr
from layers.themes import THEMES, panel_groups

# Drawing order: first is drawn lowest.
REGISTRY: tuple[Layer, ...] = (
    heat_surface.LAYER,
    landuse.LAYER,
    population_grid.LAYER,
    districts.LAYER,
    heat_vulnerability.LAYER,
    landuse_constraints.LAYER,
    landuse_conflicts.LAYER,
    river.LAYER,
    footfall_heatmap.LAYER,
    footfall_sites.LAYER,
    facilities.LAYER,
)
check_registry(REGISTRY, THEMES)


def get_layer(layer_id: str) -> Layer:
    for layer in REGISTRY:
        if layer.id == layer_id:
            return layer
    known = ", ".join(layer.id for layer in REGISTRY)
    raise KeyError(f"layer {layer_id!r} not found; known: {known}")


__all__ = [
    "BASEMAPS",
    "REGISTRY",
    "THEMES",
    "Basemap",
    "Layer",
    "LayerContractError",
    "LayerData",
    "LayerStyle",
    "Legend",
    "LegendEntry",
    "Param",
    "Theme",
    "get_layer",
    "panel_groups",
    "tr",
]
