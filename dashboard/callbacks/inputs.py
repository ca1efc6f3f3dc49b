"""Checks for callback inputs that are not layer parameters (those go through ``Param``).

A browser sends what its components hold; a crafted request can send anything JSON can say:
a number for a string, a list, an object, ``null``, a boolean, ``Infinity``/``NaN`` or
``1e999`` (which Python reads as infinity), a string of megabytes, objects nested deeply.
Every callback reads its inputs through these functions before using them: each returns the
value in the expected shape, or ``None`` for anything else, so that a callback answers a bad
value with ``no_update`` or a short message (:func:`message`) — never a 500, and never the
value echoed back at full length.
"""

from __future__ import annotations

import math
from typing import Any

from layers.params import shown

# longest text a component of the app holds: a query string, a site id, a choice
MAX_TEXT = 4096
# most items of a list input (layer switches, parameter lists, clicks per layer)
MAX_ITEMS = 500
# how long a message about a rejected value may be
MESSAGE_LENGTH = 80


def text(value: Any, max_len: int = MAX_TEXT) -> str | None:
    """``value`` if it is a string of at most ``max_len`` characters."""
    return value if isinstance(value, str) and len(value) <= max_len else None


def number(value: Any, lo: float = -math.inf, hi: float = math.inf) -> float | None:
    """``value`` as a finite float within ``[lo, hi]`` (not a bool, not a huge integer)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, int) and abs(value) > 2**53:  # no float for 10**400; no use anyway
        return None
    x = float(value)
    return x if math.isfinite(x) and lo <= x <= hi else None


def whole(value: Any, lo: int = 0, hi: int = 2**31) -> int | None:
    """``value`` if it is a whole number (``int``, not a bool) within ``[lo, hi]``."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if lo <= value <= hi else None


def items(value: Any, max_len: int = MAX_ITEMS) -> list[Any] | None:
    """``value`` if it is a list of at most ``max_len`` items."""
    return value if isinstance(value, list) and len(value) <= max_len else None


def mapping(value: Any, max_keys: int = 50) -> dict[str, Any] | None:
    """``value`` if it is an object with at most ``max_keys`` keys."""
    return value if isinstance(value, dict) and len(value) <= max_keys else None


def centre(value: Any) -> tuple[float, float] | None:
    """A map's centre as ``(lat, lon)``: ``{"lat", "lng"}`` or ``[lat, lon]`` of finite
    numbers (dash-leaflet sends either)."""
    if isinstance(value, dict) and len(value) <= 3:
        lat, lon = number(value.get("lat")), number(value.get("lng"))
    elif isinstance(value, list) and len(value) == 2:
        lat, lon = number(value[0]), number(value[1])
    else:
        return None
    return None if lat is None or lon is None else (lat, lon)


def message(detail: Any, limit: int = MESSAGE_LENGTH) -> str:
    """A message (or a rejected value) cut to ``limit`` characters for the page."""
    return shown(detail, limit)
