"""The layer contract: what every map layer declares and returns.

A :class:`Layer` turns a city pack plus typed parameters into map-ready output. It has two
pure functions so that restyling never resends geometry:

* ``build(pack, lang)`` -> :class:`LayerData`: the geometry (GeoJSON with per-feature values
  and tooltips) or a raster image; computed once per pack version and language.
* ``style(pack, params, lang)`` -> :class:`LayerStyle`: the ``hideout`` the browser's style
  function reads (class breaks, colours) and the legend; cheap, no geometry.
* ``table(pack, params, lang)`` -> :class:`LayerTable`: the map's numbers as an accessible,
  sortable table for the same (cleaned) parameters — the equivalent of the map that does not
  depend on seeing colours (WCAG 2.1 AA / BITV 2.0). Raster layers give a per-district
  summary of the raster instead of thousands of cells.

Parameters are declared with bounds (:class:`layers.params.Param`) and every value arriving
from a browser goes through :meth:`Layer.check_params` (or its strict form
:meth:`Layer.clean_params`), which rejects crafted payloads with a clear message; a mistake in
a typed field is reported beside that field and leaves the other parameters in effect.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from data.pack import CityPack
from layers.contract import Theme, check_layer
from layers.panels import Panel
from layers.params import TYPED_KINDS, Param, ParamError, parse_breaks, shown
from layers.texts import Text


@dataclass(frozen=True)
class LegendEntry:
    """One legend line: a swatch (decorative) and its label.

    By default the swatch is a square filled with ``color`` in a thin dark border. The
    optional fields draw it like the map draws the class, so the legend does not say
    "filled" where the map shows an outline: ``outline`` the border's colour, ``fill`` False
    for an unfilled square, ``dash`` a dash pattern (SVG ``dashArray``, e.g. ``"8 6"``; the
    legend draws a dashed border), ``weight`` the border's width in px and ``fill_opacity``
    the fill's opacity on the map (0…1).
    """

    color: str
    label: str
    outline: str | None = None
    fill: bool = True
    dash: str | None = None
    weight: int | None = None
    fill_opacity: float | None = None


@dataclass(frozen=True)
class Legend:
    title: str
    entries: tuple[LegendEntry, ...]
    unit: str = ""
    note: str = ""
    shape: str = "box"  # "box" | "line"


@dataclass(frozen=True)
class LayerData:
    """Map-ready data: ``geojson`` (EPSG:4326) or a PNG ``image`` with lat/lon ``bounds``."""

    geojson: dict[str, Any] | None = None
    image_png: bytes | None = None
    bounds: tuple[tuple[float, float], tuple[float, float]] | None = None  # ((s, w), (n, e))
    table: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class LayerStyle:
    """What the browser needs to colour the layer: a JSON-able ``hideout`` and the legend."""

    hideout: dict[str, Any]
    legend: Legend


TABLE_KINDS = ("text", "number", "percent", "class")


@dataclass(frozen=True)
class TableColumn:
    """One column of a :class:`LayerTable`.

    ``kind``:

    * ``text``: a string (or ``None``);
    * ``number``: an ``int``/``float`` already rounded to ``decimals`` (or ``None``);
    * ``percent``: a percentage number, ``12.5`` meaning 12,5 % (rounded to ``decimals``);
    * ``class``: the map class as a whole number, ``1`` = the lowest class (lightest colour);
      a ``text`` column beside it names the class (the legend's range).

    ``header`` is already translated; ``unit`` is shown with the header (``""``: none).
    """

    field: str
    header: str
    kind: str
    unit: str = ""
    decimals: int = 0

    def __post_init__(self) -> None:
        if self.kind not in TABLE_KINDS:
            raise ValueError(
                f"column {self.field!r}: kind {self.kind!r} is not one of {TABLE_KINDS}"
            )


@dataclass(frozen=True)
class LayerTable:
    """The map as a table: the same numbers a person reads off the map, sortable.

    ``rows`` hold plain JSON values keyed by :attr:`TableColumn.field` — numbers as numbers
    (rounded as the map shows them, never preformatted), ``None`` where a value is missing —
    plus, if :attr:`key` is set, that field identifying the map feature (district id, site id,
    …; it need not be a column). Tables may be cached and shared: treat ``rows`` as read-only.
    ``caption`` says what the table shows, its unit and the parameters in effect (and that the
    data are synthetic when they are); ``summary`` is one plain sentence (highest and lowest).
    """

    columns: tuple[TableColumn, ...]
    rows: list[dict[str, Any]]
    caption: str
    summary: str
    key: str | None = None


@dataclass(frozen=True)
class Layer:
    """One map layer. See the module docstring for the contract; :mod:`layers.contract` lists
    the rules its fields keep, checked at construction
    (:class:`layers.contract.LayerContractError`)."""

    id: str
    title: Text
    # the layer panel's heading it is listed under, and its place there (drawing order is
    # the registry's, independent of both)
    theme: Theme
    description: Text
    requires: tuple[str, ...]
    render: str  # "geojson" | "image"
    build: Callable[[CityPack, str], LayerData]
    style: Callable[[CityPack, Mapping[str, Any], str], LayerStyle]
    params: tuple[Param, ...] = ()
    panel_order: int = 0
    default_on: bool = False
    default_opacity: float = 0.8
    js_style: str | None = None  # style function name in the browser namespace "allmende"
    interactive: bool = False  # hover tooltip and click panel
    # image layers whose picture depends on the parameters: (pack, params) -> PNG + bounds
    image: Callable[[CityPack, Mapping[str, Any]], LayerData] | None = None
    playback: str | None = None  # name of an int parameter the play button steps through
    point_to_layer: str | None = None  # JS function for point features (markers)
    # a choice parameter that selects the geometry (e.g. district or grid level), and the
    # build for a value of it; other parameters only restyle
    geometry_param: str | None = None
    variant_build: Callable[[CityPack, str, str], LayerData] | None = None
    # the map's numbers as a table for (pack, cleaned params, lang); see LayerTable
    table: Callable[[CityPack, Mapping[str, Any], str], LayerTable] | None = None
    # the click panel (see layers.panels): (pack, the clicked feature's ``panel_key``
    # property, cleaned params, lang) -> Panel, or None for an unknown key; with
    # ``panel_follows_params`` a parameter change rebuilds an open panel
    panel: Callable[[CityPack, str, Mapping[str, Any], str], Panel | None] | None = None
    panel_key: str | None = None
    panel_follows_params: bool = False
    # parts of the messages of what the layer rejects on purpose (a parameter combination it
    # cannot draw); the contract test accepts exactly these refusals, per layer
    refuses: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_layer(self)

    def build_for(self, pack: CityPack, lang: str, params: Mapping[str, Any]) -> LayerData:
        """The geometry for ``params`` (only :attr:`geometry_param` matters)."""
        if self.geometry_param and self.variant_build is not None:
            return self.variant_build(pack, lang, str(params[self.geometry_param]))
        return self.build(pack, lang)

    def variant(self, params: Mapping[str, Any]) -> str:
        """The geometry variant of ``params`` ('' for layers with one geometry)."""
        return str(params[self.geometry_param]) if self.geometry_param else ""

    def available(self, pack: CityPack) -> bool:
        return all(pack.has(ds) for ds in self.requires)

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def clean_params(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Check a parameter mapping (e.g. from a callback): the first problem that
        :meth:`check_params` finds is raised. Unknown names are an error."""
        clean, problems = self.check_params(values)
        if problems:
            raise next(iter(problems.values()))
        return clean

    def check_params(
        self, values: Mapping[str, Any]
    ) -> tuple[dict[str, Any], dict[str, ParamError]]:
        """Check each parameter on its own: ``(clean, problems)``.

        A value a person typed (kinds in :data:`TYPED_KINDS`) that is rejected does not spoil
        the others: it is reported in ``problems`` (name → :class:`ParamError`, whose
        ``text(lang)`` is shown beside the field) and ``clean`` holds the default instead.
        Other rejected values (a slider or a choice: only a crafted payload gets them wrong)
        raise :class:`ParamError`, as do unknown names. A parameter with :attr:`Param.used_when` is checked only
        while it is used (an unused field does not matter); while it is used but unusable
        (rejected, or empty breaks), the choice it depends on falls back to its default, so
        the layer keeps drawing.
        """
        known = {p.name for p in self.params}
        unknown = sorted(shown(u, 40) for u in set(values) - known)
        if unknown:
            named = ", ".join(unknown[:5]) + (f" (+{len(unknown) - 5})" if len(unknown) > 5 else "")
            raise ParamError(
                "",
                "unknown",
                f"layer {self.id!r}: unknown parameter(s) {named}; known: {sorted(known)}",
                value=named,
            )
        clean: dict[str, Any] = {}
        problems: dict[str, ParamError] = {}
        for p in self.params:
            try:
                clean[p.name] = p.clean(values.get(p.name))
            except ParamError as err:
                clean[p.name], problems[p.name] = p.default, err
        by_name = {p.name: p for p in self.params}
        for p in self.params:
            if p.used_when is None:
                continue
            owner, value = p.used_when
            if clean[owner] != value:
                problems.pop(p.name, None)  # not used: whatever it holds does not matter
                continue
            if p.name not in problems and p.kind == "breaks" and not parse_breaks(clean[p.name]):
                problems[p.name] = ParamError(
                    p.name, "breaks.empty", "user-defined classes need breaks, e.g. '-0,5; 0; 0,5'"
                )
            if p.name in problems:
                clean[owner] = by_name[owner].default
        for p in self.params:  # a slider or a choice can only be wrong in a crafted payload
            if p.name in problems and p.kind not in TYPED_KINDS:
                raise problems[p.name]
        return clean, {p.name: problems[p.name] for p in self.params if p.name in problems}
