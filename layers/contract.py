"""The rules a :class:`layers.base.Layer` keeps, checked when it is built.

A layer declares its fields once and the shell trusts them: the layer panel, the URL state,
the map components, the play button, the click panel and the tables all read them. So a
layer checks its own fields at construction (:func:`check_layer`, from
``Layer.__post_init__``), and the registry checks what concerns several layers
(:func:`check_registry`). A broken rule raises :class:`LayerContractError`, whose message
names the layer and the field.

The rules, derived from how the fields are used:

* ``id`` is a slug (``[a-z][a-z0-9-]*``): it is part of component ids, panes and URLs
  (``/layers/<id>.png``, ``?layers=…``).
* ``title`` and ``description`` have non-empty German and English texts; ``theme`` is a
  :class:`Theme`; ``panel_order`` is a whole number ≥ 0.
* ``requires`` names at least one dataset, each ``dataset`` or ``grid:variable`` (the layer's
  sources are named from it, and :meth:`Layer.available` checks it).
* ``render`` is ``"geojson"`` or ``"image"``; ``build`` and ``style`` are callable, ``table``
  callable or ``None``.
* geojson layers name a ``js_style`` (the browser's style function); ``image`` is for image
  layers only.
* image layers have no ``js_style``, ``point_to_layer``, ``interactive``, ``panel``,
  ``geometry_param`` or ``variant_build`` (an image overlay has no features); an image layer
  with parameters needs ``image`` (without it the parameters would not change the picture).
* ``interactive`` layers are geojson layers; a ``panel`` needs ``interactive`` and a
  ``panel_key`` (the feature property that names the clicked unit), and ``panel_key`` and
  ``panel_follows_params`` need a ``panel``; a panel that follows the parameters needs some.
* parameter names are unique identifiers (``[a-z][a-z0-9_]*``); every default is a valid
  value of its parameter; ``used_when`` names another choice parameter and one of its
  choices.
* ``playback`` names the whole-number parameter ``hour`` that runs up to 23 from 0 or below
  (the play button steps it 0…23: ``allmendePlay.step`` in the assets, and the callbacks
  bind the parameter ``hour``).
* ``geometry_param`` names a choice parameter and needs ``variant_build``;
  ``variant_build`` needs ``geometry_param``.
* ``default_opacity`` is a number in [0, 1]; ``default_on`` and ``interactive`` are booleans.
* ``refuses`` holds non-empty message parts (what the layer rejects on purpose).

The registry: ids unique; every layer's theme registered; each ``(theme, panel_order)`` used
once (the panel order within a theme is explicit).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from layers.params import Param, ParamError
from layers.texts import Text

if TYPE_CHECKING:
    from layers.base import Layer

SLUG = re.compile(r"[a-z][a-z0-9-]*")
NAME = re.compile(r"[a-z][a-z0-9_]*")
REQUIREMENT = re.compile(r"[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)?")
RENDERS = ("geojson", "image")
PLAYBACK_PARAM = "hour"  # the parameter the play machinery binds (callbacks/map_layers.py)
PLAYBACK_LAST = 23  # the play button steps 0…23 (allmendePlay.step in assets/allmende.js)


class LayerContractError(ValueError):
    """A layer (or the registry) breaks the contract; ``layer`` and ``field`` say where."""

    def __init__(self, layer: str, field: str, problem: str) -> None:
        self.layer, self.field, self.problem = layer, field, problem
        super().__init__(f"layer {layer!r}: {field}: {problem}")


@dataclass(frozen=True)
class Theme:
    """A heading of the layer panel: the layers of a theme are listed together under it.

    ``order`` places the theme in the panel (lower first); a layer's ``panel_order`` places it
    within its theme. Drawing order is the registry's, independent of both.
    """

    id: str
    title: Text
    order: int

    def __post_init__(self) -> None:
        where = f"theme {self.id!r}"
        if not isinstance(self.id, str) or not SLUG.fullmatch(self.id):
            raise LayerContractError(where, "id", "expected a slug like 'heat'")
        if not _bilingual(self.title):
            raise LayerContractError(where, "title", "expected German and English texts")
        if not _whole(self.order):
            raise LayerContractError(where, "order", f"expected a whole number, got {self.order!r}")


def _bilingual(text: Any) -> bool:
    return isinstance(text, Mapping) and all(
        isinstance(text.get(lang), str) and text[lang].strip() for lang in ("de", "en")
    )


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_layer(layer: Layer) -> None:
    """Every rule on the fields of one layer (see the module docstring)."""
    if not isinstance(layer.id, str) or not SLUG.fullmatch(layer.id):
        raise LayerContractError(str(layer.id), "id", "expected a slug like 'heat-surface'")
    fail = partial(LayerContractError, layer.id)
    _check_texts(layer, fail)
    _check_kinds(layer, fail)
    _check_render(layer, fail)
    _check_params(layer, fail)
    _check_panel(layer, fail)


Fail = Callable[[str, str], LayerContractError]  # (field, problem) -> the error to raise


def _check_texts(layer: Layer, fail: Fail) -> None:
    for name in ("title", "description"):
        if not _bilingual(getattr(layer, name)):
            raise fail(name, "expected non-empty German and English texts ({'de': …, 'en': …})")
    if not isinstance(layer.theme, Theme):
        raise fail("theme", f"expected a Theme, got {layer.theme!r}")
    if not _whole(layer.panel_order) or layer.panel_order < 0:
        raise fail("panel_order", f"expected a whole number ≥ 0, got {layer.panel_order!r}")


def _check_kinds(layer: Layer, fail: Fail) -> None:
    if not isinstance(layer.requires, tuple) or not layer.requires:
        raise fail("requires", "expected a tuple naming at least one dataset")
    for req in layer.requires:
        if not isinstance(req, str) or not REQUIREMENT.fullmatch(req):
            raise fail("requires", f"{req!r} is not 'dataset' or 'grid:variable'")
    for name in ("build", "style"):
        if not callable(getattr(layer, name)):
            raise fail(name, "expected a function")
    for name in ("table", "image", "variant_build", "panel"):
        if getattr(layer, name) is not None and not callable(getattr(layer, name)):
            raise fail(name, "expected a function or None")
    for name in ("default_on", "interactive", "panel_follows_params"):
        if not isinstance(getattr(layer, name), bool):
            raise fail(name, f"expected True or False, got {getattr(layer, name)!r}")
    opacity = layer.default_opacity
    if isinstance(opacity, bool) or not isinstance(opacity, (int, float)) or not 0 <= opacity <= 1:
        raise fail("default_opacity", f"expected a number in [0, 1], got {opacity!r}")
    if not isinstance(layer.refuses, tuple) or not all(
        isinstance(r, str) and r.strip() for r in layer.refuses
    ):
        raise fail("refuses", "expected a tuple of non-empty message parts")


def _check_render(layer: Layer, fail: Fail) -> None:
    if layer.render not in RENDERS:
        raise fail("render", f"expected one of {', '.join(RENDERS)}, got {layer.render!r}")
    if layer.render == "geojson":
        if not isinstance(layer.js_style, str) or not layer.js_style:
            raise fail("js_style", "a geojson layer names its style function")
        if layer.image is not None:
            raise fail("image", "only image layers draw a picture")
        if layer.point_to_layer is not None and not isinstance(layer.point_to_layer, str):
            raise fail("point_to_layer", "expected the name of a browser function")
        return
    for name in ("js_style", "point_to_layer", "geometry_param", "variant_build", "panel"):
        if getattr(layer, name) is not None:
            raise fail(name, "an image layer has no features to style, click or vary")
    if layer.interactive:
        raise fail("interactive", "an image layer has no features to hover or click")
    if layer.params and layer.image is None:
        raise fail("image", "an image layer with parameters draws its picture with image()")


def _check_params(layer: Layer, fail: Fail) -> None:
    by_name: dict[str, Any] = {}
    for p in layer.params:
        if not isinstance(p, Param):
            raise fail("params", f"expected Param objects, got {p!r}")
        if not NAME.fullmatch(p.name) or p.name in by_name:
            raise fail("params", f"parameter name {p.name!r} is not a unique identifier")
        by_name[p.name] = p
        if not _bilingual(p.label):
            raise fail("params", f"{p.name}: the label needs German and English texts")
        try:
            p.clean(p.default)
        except ParamError as err:
            raise fail("params", f"{p.name}: the default is not valid: {err}") from err
    for p in layer.params:
        if p.used_when is not None:
            owner = by_name.get(p.used_when[0])
            if owner is None or owner.kind != "choice" or owner is p:
                raise fail("params", f"{p.name}: used_when names no other choice parameter")
            if p.used_when[1] not in dict(owner.choices):
                raise fail("params", f"{p.name}: used_when names no choice of {owner.name}")
    _check_playback(layer, by_name, fail)
    _check_geometry(layer, by_name, fail)


def _check_playback(layer: Layer, by_name: dict[str, Any], fail: Fail) -> None:
    if layer.playback is None:
        return
    p = by_name.get(layer.playback)
    if p is None:
        raise fail("playback", f"{layer.playback!r} is not one of the layer's parameters")
    if p.name != PLAYBACK_PARAM or p.kind != "int":
        raise fail("playback", f"the play button steps the whole-number parameter "
                   f"{PLAYBACK_PARAM!r}, not {p.name!r} ({p.kind})")  # fmt: skip
    if p.max != PLAYBACK_LAST or p.min is None or p.min > 0:
        raise fail("playback", f"{p.name} must run from 0 (or below) to {PLAYBACK_LAST}")


def _check_geometry(layer: Layer, by_name: dict[str, Any], fail: Fail) -> None:
    if layer.geometry_param is not None:
        p = by_name.get(layer.geometry_param)
        if p is None or p.kind != "choice":
            raise fail("geometry_param", f"{layer.geometry_param!r} names no choice parameter")
        if layer.variant_build is None:
            raise fail("geometry_param", "needs variant_build for each of its values")
    elif layer.variant_build is not None:
        raise fail("variant_build", "needs geometry_param (which parameter selects the variant)")


def _check_panel(layer: Layer, fail: Fail) -> None:
    if layer.panel is None:
        if layer.panel_key is not None:
            raise fail("panel_key", "names the clicked unit for a panel, but there is none")
        if layer.panel_follows_params:
            raise fail("panel_follows_params", "there is no panel to follow the parameters")
        return
    if not layer.interactive:
        raise fail("panel", "a click panel needs an interactive layer")
    if not isinstance(layer.panel_key, str) or not NAME.fullmatch(layer.panel_key):
        raise fail("panel_key", "a panel needs the feature property that names the unit")
    if layer.panel_follows_params and not layer.params:
        raise fail("panel_follows_params", "the layer has no parameters to follow")


def check_registry(layers: Iterable[Layer], themes: Iterable[Theme]) -> None:
    """What concerns several layers: unique ids, registered themes, one place per layer in
    its theme's part of the panel."""
    known = {theme.id: theme for theme in themes}
    seen: dict[str, Layer] = {}
    places: dict[tuple[str, int], str] = {}
    for layer in layers:
        if layer.id in seen:
            raise LayerContractError(layer.id, "id", "used by two layers of the registry")
        seen[layer.id] = layer
        if known.get(layer.theme.id) is not layer.theme:
            raise LayerContractError(layer.id, "theme", f"{layer.theme.id!r} is not registered")
        place = (layer.theme.id, layer.panel_order)
        if place in places:
            raise LayerContractError(
                layer.id,
                "panel_order",
                f"{layer.panel_order} is taken by {places[place]!r} in theme {layer.theme.id!r}",
            )
        places[place] = layer.id
