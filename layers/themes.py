"""The themes of the layer panel: each a heading, listed once, in this order.

Drawing order is the registry's (:data:`layers.REGISTRY`, first drawn lowest); the panel
lists the layers by theme instead — each theme's heading once, its layers under it in their
``panel_order``. A new theme is one :class:`~layers.contract.Theme` here and its entry in
:data:`THEMES`.

The order keeps the panel as it was before themes were explicit: the themes in the order of
their first layer in the panel (top-most drawn first), and within a theme the layers in
their old relative order.
"""

from __future__ import annotations

from collections.abc import Iterable

from layers.base import Layer
from layers.contract import Theme

HEAT = Theme("heat", {"de": "Hitze", "en": "Heat"}, 10)
FOOTFALL = Theme("footfall", {"de": "Fußverkehr", "en": "Footfall"}, 20)
ORIENTATION = Theme("orientation", {"de": "Orientierung", "en": "Orientation"}, 30)
POPULATION = Theme("population", {"de": "Bevölkerung", "en": "Population"}, 40)
LANDUSE = Theme("landuse", {"de": "Flächenkonkurrenz", "en": "Land-use conflicts"}, 50)

THEMES: tuple[Theme, ...] = (HEAT, FOOTFALL, ORIENTATION, POPULATION, LANDUSE)


def panel_groups(layers: Iterable[Layer]) -> list[tuple[Theme, list[Layer]]]:
    """The layer panel's structure: each theme that has layers, in theme order, with its
    layers in their ``panel_order``."""
    by_theme: dict[str, list[Layer]] = {}
    themes: dict[str, Theme] = {}
    for layer in layers:
        by_theme.setdefault(layer.theme.id, []).append(layer)
        themes[layer.theme.id] = layer.theme
    ordered = sorted(themes.values(), key=lambda theme: (theme.order, theme.id))
    return [
        (theme, sorted(by_theme[theme.id], key=lambda layer: layer.panel_order))
        for theme in ordered
    ]
