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
goes through :meth:`Layer.check_params` (or its strict form :meth:`Layer.clean_params`), which
rejects crafted payloads with a clear message; a mistake in a typed field is reported beside
that field and leaves the other parameters in effect.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from data.pack import CityPack
from layers import fmt
from layers.contract import Theme, check_layer
from layers.panels import Panel
from layers.texts import Text, text

# what a person reads when a parameter value is rejected (``ParamError.text``)
PARAM_TEXTS: dict[str, Text] = {
    "date": {
        "de": "»{value}« ist kein gültiges Datum. Bitte als TT.MM.JJJJ (z. B. 01.06.2025) "
        "oder JJJJ-MM-TT eingeben.",
        "en": "“{value}” is not a valid date. Please enter it as YYYY-MM-DD "
        "(e.g. 2025-06-01) or DD.MM.YYYY.",
    },
    "number": {"de": "»{value}« ist keine Zahl.", "en": "“{value}” is not a number."},
    "whole": {"de": "»{value}« ist keine ganze Zahl.", "en": "“{value}” is not a whole number."},
    "bounds": {
        "de": "{value} liegt nicht zwischen {min} und {max}.",
        "en": "{value} is not between {min} and {max}.",
    },
    "range": {
        "de": "Bitte einen Bereich von–bis zwischen {min} und {max} wählen.",
        "en": "Please choose a from–to range between {min} and {max}.",
    },
    "choice": {
        "de": "»{value}« ist keine der Auswahlmöglichkeiten.",
        "en": "“{value}” is not one of the choices.",
    },
    "text": {"de": "Bitte einen kurzen Text eingeben.", "en": "Please enter a short text."},
    "breaks.number": {
        "de": "»{value}« ist keine Zahl. Grenzen bitte so eingeben: -0,5; 0; 0,5",
        "en": "“{value}” is not a number. Enter breaks like this: -0.5, 0, 0.5",
    },
    "breaks.finite": {
        "de": "»{value}« ist keine endliche Zahl.",
        "en": "“{value}” is not a finite number.",
    },
    "breaks.count": {
        "de": "Höchstens 9 Grenzen, nicht {n}.",
        "en": "At most 9 breaks, not {n}.",
    },
    "breaks.order": {
        "de": "Die Grenzen müssen von links nach rechts steigen.",
        "en": "The breaks must rise from left to right.",
    },
    "breaks.empty": {
        "de": "Für eigene Grenzen bitte Grenzen eingeben, z. B. -0,5; 0; 0,5",
        "en": "For user-defined classes, enter breaks, e.g. -0.5, 0, 0.5",
    },
    "unknown": {
        "de": "Unbekannte Einstellung(en): {value}",
        "en": "Unknown setting(s): {value}",
    },
}


class ParamError(ValueError):
    """A rejected parameter value that can say what is wrong in the page's language.

    ``param`` is the parameter's name, ``key`` the message in :data:`PARAM_TEXTS`, ``values``
    what the message quotes. ``str(err)`` stays the English technical message (logs, tests);
    :meth:`text` is for people (``err.text("de")`` beside the field).
    """

    def __init__(self, param: str, key: str, detail: str, **values: Any) -> None:
        self.param, self.key, self.values, self.detail = param, key, values, detail
        super().__init__(f"parameter {param!r}: {detail}" if param else detail)

    def with_param(self, param: str) -> ParamError:
        return ParamError(param, self.key, self.detail, **self.values)

    def text(self, lang: str) -> str:
        def show(name: str, value: Any) -> str:
            # bounds and counts in the page's number format; a typed value as it was typed
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if number and (name != "value" or self.key == "bounds"):
                places = next(d for d in (0, 1, 2) if round(value, d) == value or d == 2)
                return fmt.number(value, lang, places)
            return str(value)[:60]

        return text(PARAM_TEXTS, self.key, lang, **{k: show(k, v) for k, v in self.values.items()})


# parameter kinds a person types as text: a mistake there is reported beside the field
TYPED_KINDS = ("breaks", "date")


@dataclass(frozen=True)
class Param:
    """A typed, bounded layer parameter.

    ``kind``: ``choice``, ``int``, ``float``, ``date`` (kept as ISO ``YYYY-MM-DD``; typed as
    ISO or German ``TT.MM.JJJJ``; a ``None`` default means "from the data"), ``int_range`` (``[from, to]`` within ``min``..``max``) or
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
    # ``(name, value)``: the parameter is used only while the choice parameter ``name`` has
    # ``value`` (e.g. typed breaks only for user-defined classes); see Layer.check_params
    used_when: tuple[str, str] | None = None

    def clean(self, value: Any) -> Any:
        """Return ``value`` checked and typed; ``None`` gives the default."""
        if value is None or (self.kind == "date" and isinstance(value, str) and not value.strip()):
            return self.default
        if self.kind == "date":
            return _clean_date(self.name, value)
        if self.kind == "int_range":
            return self._clean_range(value)
        if self.kind == "breaks":
            if not isinstance(value, str) or len(value) > 200:
                raise ParamError(self.name, "text", f"expected text, got {value!r}")
            try:
                parse_breaks(value)
            except ParamError as err:
                raise err.with_param(self.name) from err
            return value
        if self.kind == "choice":
            valid = [c for c, _ in self.choices]
            if not isinstance(value, str) or value not in valid:
                raise ParamError(
                    self.name,
                    "choice",
                    f"{value!r} is not one of {', '.join(valid)}",
                    value=value,
                )
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParamError(self.name, "number", f"expected a number, got {value!r}", value=value)
        number: float | int = int(value) if self.kind == "int" else float(value)
        if self.kind == "int" and number != value:
            raise ParamError(
                self.name, "whole", f"expected a whole number, got {value!r}", value=value
            )
        if (self.min is not None and number < self.min) or (
            self.max is not None and number > self.max
        ):
            raise ParamError(
                self.name,
                "bounds",
                f"{value!r} is outside [{self.min}, {self.max}]",
                value=value,
                min=self.min,
                max=self.max,
            )
        return number

    def _clean_range(self, value: Any) -> list[int]:
        bounds = {"min": self.min, "max": self.max}
        if (
            not isinstance(value, (list, tuple))
            or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        ):
            raise ParamError(
                self.name, "range", f"expected [from, to] whole numbers, got {value!r}", **bounds
            )
        lo, hi = int(value[0]), int(value[1])
        if (
            lo > hi
            or (self.min is not None and lo < self.min)
            or (self.max is not None and hi > self.max)
        ):
            raise ParamError(
                self.name,
                "range",
                f"{value!r} is not an ordered range within [{self.min}, {self.max}]",
                **bounds,
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
            raise ParamError(
                "",
                "breaks.number",
                f"{part!r} is not a number (breaks like '-0,5; 0; 0,5')",
                value=part,
            ) from err
        if number != number or number in (float("inf"), float("-inf")):
            raise ParamError("", "breaks.finite", f"{part!r} is not a finite number", value=part)
        values.append(number)
    if len(values) > 9:
        raise ParamError("", "breaks.count", f"at most 9 breaks, got {len(values)}", n=len(values))
    if any(b <= a for a, b in itertools.pairwise(values)):
        raise ParamError("", "breaks.order", f"breaks must rise strictly, got {values}")
    return tuple(values)


_LOCAL_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def parse_date(text: str) -> date:
    """A date as people type it: ``01.06.2025`` / ``1.6.2025`` (German) or ISO ``2025-06-01``
    (a longer ISO timestamp is cut to its date). Raises ``ValueError``."""
    text = text.strip()
    local = _LOCAL_DATE.fullmatch(text)
    if local:
        return date(int(local[3]), int(local[2]), int(local[1]))
    return date.fromisoformat(text[:10])


def _clean_date(name: str, value: Any) -> str:
    """The ISO date of a date parameter (accepts the German ``TT.MM.JJJJ`` too)."""
    detail = f"expected a date YYYY-MM-DD or DD.MM.YYYY, got {value!r}"
    if not isinstance(value, str) or len(value) > 32:
        raise ParamError(name, "date", detail, value=value)
    try:
        return parse_date(value).isoformat()
    except ValueError as err:
        raise ParamError(name, "date", detail, value=value) from err


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
        unknown = set(values) - known
        if unknown:
            raise ParamError(
                "",
                "unknown",
                f"layer {self.id!r}: unknown parameter(s) {sorted(unknown)}; known: {sorted(known)}",
                value=", ".join(sorted(str(u) for u in unknown)),
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
