"""Layer parameters: typed, bounded, and checked with a message a person can read.

A :class:`Param` declares one parameter of a layer (its kind, default, bounds or choices);
:meth:`Param.clean` checks a value from a browser and raises :class:`ParamError`, whose
:meth:`ParamError.text` says in the page's language what is wrong. Class breaks and dates are
typed by people: :func:`parse_breaks` and :func:`parse_date` read them the way people write
them. :class:`layers.base.Layer` checks a whole parameter mapping with these.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from layers import fmt
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
    "finite": {
        "de": "»{value}« ist keine endliche Zahl.",
        "en": "“{value}” is not a finite number.",
    },
    "large": {"de": "»{value}« ist zu groß.", "en": "“{value}” is too large."},
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


# how much of a rejected value a message quotes (a crafted value may be megabytes long)
SHOWN = 60


def shown(value: Any, limit: int = SHOWN) -> str:
    """``value`` for a message: a string as it is, anything else as its ``repr``, cut to
    ``limit`` characters (``…`` marks the cut); a long container is written ``list[100000]``
    and a huge whole number ``≈10^400`` (language-neutral: messages quote it as it is)."""
    if isinstance(value, (list, tuple, dict, set)) and len(value) > limit:
        return f"{type(value).__name__}[{len(value)}]"  # e.g. list[100000]
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"≈10^{int(value.bit_length() * math.log10(2))}"
    try:
        text_ = value if isinstance(value, str) else repr(value)
    except RecursionError:
        return f"{type(value).__name__}[…]"
    return text_ if len(text_) <= limit else text_[: limit - 1] + "…"


class ParamError(ValueError):
    """A rejected parameter value that can say what is wrong in the page's language.

    ``param`` is the parameter's name, ``key`` the message in :data:`PARAM_TEXTS`, ``values``
    what the message quotes. ``str(err)`` stays the English technical message (logs, tests);
    :meth:`text` is for people (``err.text("de")`` beside the field).
    """

    def __init__(self, param: str, key: str, detail: str, **values: Any) -> None:
        # a crafted value may be huge: messages quote at most SHOWN characters of it
        param = shown(param)
        if "value" in values and not isinstance(values["value"], (int, float)):
            values["value"] = shown(values["value"])
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


# the largest magnitude a number parameter takes (beyond it: out of bounds, even unbounded)
MAX_NUMBER = 1e15

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
                raise ParamError(self.name, "text", f"expected short text, got {shown(value)}")
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
                    f"{shown(value)} is not one of {', '.join(valid)}",
                    value=value,
                )
            return value
        return self._clean_number(value)

    def _clean_number(self, value: Any) -> float | int:
        """An ``int`` or ``float`` parameter: a finite number of the kind, within bounds."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParamError(
                self.name, "number", f"expected a number, got {shown(value)}", value=value
            )
        if isinstance(value, float) and not math.isfinite(value):
            raise ParamError(
                self.name, "finite", f"expected a finite number, got {value!r}", value=value
            )
        if abs(value) > MAX_NUMBER:  # no parameter needs more; and 10**400 has no float
            number: float | int = math.inf if value > 0 else -math.inf
        else:
            number = int(value) if self.kind == "int" else float(value)
        if self.kind == "int" and number != value and math.isfinite(number):
            raise ParamError(
                self.name, "whole", f"expected a whole number, got {value!r}", value=value
            )
        if not math.isfinite(number):
            raise ParamError(
                self.name, "large", f"{shown(value)} exceeds {MAX_NUMBER:g}", value=shown(value)
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
                self.name,
                "range",
                f"expected [from, to] whole numbers, got {shown(value)}",
                **bounds,
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
                f"{shown(value)} is not an ordered range within [{self.min}, {self.max}]",
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
                f"{shown(part)!r} is not a number (breaks like '-0,5; 0; 0,5')",
                value=part,
            ) from err
        if not math.isfinite(number):
            raise ParamError(
                "", "breaks.finite", f"{shown(part)!r} is not a finite number", value=part
            )
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
    detail = f"expected a date YYYY-MM-DD or DD.MM.YYYY, got {shown(value)!r}"
    if not isinstance(value, str) or len(value) > 32:
        raise ParamError(name, "date", detail, value=value)
    try:
        return parse_date(value).isoformat()
    except ValueError as err:
        raise ParamError(name, "date", detail, value=value) from err
