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

Parameters are declared with bounds (:class:`Param`) and every value arriving from a browser
goes through :meth:`Layer.clean_params`, which rejects crafted payloads with a clear message.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from data.pack import CityPack

Text = Mapping[str, str]  # {"de": ..., "en": ...}


def tr(text: Text, lang: str) -> str:
    """The text in ``lang``, falling back to German (the project's first language)."""
    return text.get(lang) or text["de"]


@dataclass(frozen=True)
class Param:
    """A typed, bounded layer parameter.

    ``kind``: ``choice``, ``int``, ``float``, ``date`` (ISO ``YYYY-MM-DD``; a ``None`` default
    means "from the data"), ``int_range`` (``[from, to]`` within ``min``..``max``) or
    ``breaks`` (text: ascending class breaks, see :func:`parse_breaks`; ``""`` = none).
    """

    name: str
    label: Text
    kind: str
    default: Any
    choices: tuple[tuple[str, Text], ...] = ()
    min: float | None = None
    max: float | None = None
    step: float | None = None

    def clean(self, value: Any) -> Any:
        """Return ``value`` checked and typed; ``None`` gives the default."""
        if value is None or (self.kind == "date" and value == ""):
            return self.default
        if self.kind == "date":
            return _clean_date(self.name, value)
        if self.kind == "int_range":
            return self._clean_range(value)
        if self.kind == "breaks":
            if not isinstance(value, str) or len(value) > 200:
                raise ValueError(f"parameter {self.name!r}: expected text, got {value!r}")
            try:
                parse_breaks(value)
            except ValueError as err:
                raise ValueError(f"parameter {self.name!r}: {err}") from err
            return value
        if self.kind == "choice":
            valid = [c for c, _ in self.choices]
            if not isinstance(value, str) or value not in valid:
                raise ValueError(
                    f"parameter {self.name!r}: {value!r} is not one of {', '.join(valid)}"
                )
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"parameter {self.name!r}: expected a number, got {value!r}")
        number: float | int = int(value) if self.kind == "int" else float(value)
        if self.kind == "int" and number != value:
            raise ValueError(f"parameter {self.name!r}: expected a whole number, got {value!r}")
        if (self.min is not None and number < self.min) or (
            self.max is not None and number > self.max
        ):
            raise ValueError(
                f"parameter {self.name!r}: {value!r} is outside [{self.min}, {self.max}]"
            )
        return number

    def _clean_range(self, value: Any) -> list[int]:
        if (
            not isinstance(value, (list, tuple))
            or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        ):
            raise ValueError(
                f"parameter {self.name!r}: expected [from, to] whole numbers, got {value!r}"
            )
        lo, hi = int(value[0]), int(value[1])
        if (
            lo > hi
            or (self.min is not None and lo < self.min)
            or (self.max is not None and hi > self.max)
        ):
            raise ValueError(
                f"parameter {self.name!r}: {value!r} is not an ordered range within [{self.min}, {self.max}]"
            )
        return [lo, hi]


def parse_breaks(text: str) -> tuple[float, ...]:
    """Class breaks typed by a person: ``"-0,5; 0; 0,5"`` or ``"-0.5, 0, 0.5"``.

    With a ``;`` the parts may use a decimal comma; otherwise parts are separated by commas
    or spaces and use a decimal point. At most 9 breaks, strictly ascending, finite.
    """
    text = text.strip()
    if not text:
        return ()
    if ";" in text:
        parts = [p.strip().replace(",", ".") for p in text.split(";")]
    else:
        parts = text.replace(",", " ").split()
    parts = [p for p in parts if p]
    values: list[float] = []
    for part in parts:
        try:
            number = float(part.replace("\u2212", "-"))
        except ValueError as err:
            raise ValueError(f"{part!r} is not a number (breaks like '-0,5; 0; 0,5')") from err
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(f"{part!r} is not a finite number")
        values.append(number)
    if len(values) > 9:
        raise ValueError(f"at most 9 breaks, got {len(values)}")
    if any(b <= a for a, b in itertools.pairwise(values)):
        raise ValueError(f"breaks must rise strictly, got {values}")
    return tuple(values)


def _clean_date(name: str, value: Any) -> str:
    if not isinstance(value, str) or len(value) > 32:
        raise ValueError(f"parameter {name!r}: expected a date YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError as err:
        raise ValueError(f"parameter {name!r}: expected a date YYYY-MM-DD, got {value!r}") from err


@dataclass(frozen=True)
class LegendEntry:
    color: str
    label: str


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
    """One map layer. See the module docstring for the contract."""

    id: str
    title: Text
    group: Text
    description: Text
    requires: tuple[str, ...]
    render: str  # "geojson" | "image"
    build: Callable[[CityPack, str], LayerData]
    style: Callable[[CityPack, Mapping[str, Any], str], LayerStyle]
    params: tuple[Param, ...] = ()
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
        """Check a parameter mapping (e.g. from a callback); unknown names are an error."""
        known = {p.name for p in self.params}
        unknown = set(values) - known
        if unknown:
            raise ValueError(
                f"layer {self.id!r}: unknown parameter(s) {sorted(unknown)}; known: {sorted(known)}"
            )
        return {p.name: p.clean(values.get(p.name)) for p in self.params}
