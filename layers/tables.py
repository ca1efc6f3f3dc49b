"""Shared helpers for the layers' accessible tables (see :class:`layers.base.LayerTable`).

Values go into rows as plain JSON numbers, rounded as the map shows them; the class of a
value follows the browser's rule (the first class whose upper break is at least the value,
the last class above all breaks), so a table never disagrees with the colours.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from data.pack import CityPack
from layers import fmt
from layers.base import LayerTable
from layers.texts import Text, tr

TableFn = Callable[[CityPack, Mapping[str, Any], str], LayerTable]

SYNTHETIC: Text = {"de": "Synthetische Demo-Daten.", "en": "Synthetic demo data."}
OUTSIDE: Text = {"de": "Außerhalb der Ortsteile", "en": "Outside the districts"}
WHOLE_GRID: Text = {"de": "Gesamtes Raster", "en": "Whole grid"}
DISTRICT: Text = {"de": "Ortsteil", "en": "District"}
NAME: Text = {"de": "Name", "en": "Name"}
CLASS: Text = {"de": "Klasse", "en": "Class"}
CLASS_RANGE: Text = {"de": "Klasse (Bereich laut Legende)", "en": "Class (range as in the legend)"}


def num(value: Any, decimals: int = 0) -> int | float | None:
    """``value`` rounded to ``decimals`` as a plain ``int``/``float``; ``None`` if missing."""
    if value is None or isinstance(value, str):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(x):
        return None
    if decimals <= 0:
        return round(x)
    return round(x, decimals) + 0.0  # + 0.0: no negative zero


def pct(share: Any, decimals: int = 1) -> float | None:
    """A share 0–1 as a percentage number (``0.125`` -> ``12.5``), rounded; ``None`` if missing."""
    x = num(share, 12)
    if x is None or not math.isfinite(100.0 * x):
        return None
    return round(100.0 * x, decimals) + 0.0


def class_of(value: Any, breaks: Sequence[float]) -> int | None:
    """The map class (1-based) of ``value`` for the upper ``breaks``, as the browser colours it:
    the first class with ``value <= break``; above every break, the last class."""
    if value is None or not breaks or not math.isfinite(float(value)):
        return None
    i = int(np.searchsorted(np.asarray(breaks, dtype=float), float(value), side="left"))
    return min(i, len(breaks) - 1) + 1


def caption(pack: CityPack, lang: str, *parts: str, synthetic: Text = SYNTHETIC) -> str:
    """Join sentences into a caption; adds ``synthetic`` ("synthetic demo data") for
    synthetic packs."""
    out = [p.strip() for p in parts if p and p.strip()]
    if pack.synthetic:
        out.append(tr(synthetic, lang))
    return " ".join(out)


def extremes(
    rows: Iterable[Mapping[str, Any]], field: str
) -> tuple[Mapping[str, Any], Mapping[str, Any]] | None:
    """The rows with the highest and the lowest ``field`` (missing values skipped; first wins)."""
    have = [r for r in rows if r.get(field) is not None]
    if not have:
        return None
    return max(have, key=lambda r: r[field]), min(have, key=lambda r: r[field])


def high_low_sentence(
    rows: Sequence[Mapping[str, Any]],
    field: str,
    name_field: str,
    show: Callable[[Any], str],
    lang: str,
    words: Text | None = None,
) -> str:
    """ "Highest: A (1.234 unit); lowest: B (12 unit)." — or a sentence saying there is no value.

    ``words`` (optional) replaces the template: ``{hi}``, ``{hi_v}``, ``{lo}``, ``{lo_v}``.
    """
    ends = extremes(rows, field)
    if ends is None:
        return tr({"de": "Keine Werte vorhanden.", "en": "No values available."}, lang)
    hi, lo = ends
    template = words or {
        "de": "Höchster Wert: {hi} ({hi_v}); niedrigster Wert: {lo} ({lo_v}).",
        "en": "Highest: {hi} ({hi_v}); lowest: {lo} ({lo_v}).",
    }
    return tr(template, lang).format(
        hi=hi[name_field], hi_v=show(hi[field]), lo=lo[name_field], lo_v=show(lo[field])
    )


def number_text(unit: str, decimals: int, lang: str) -> Callable[[Any], str]:
    """A formatter ``value -> "1.234,5 unit"`` for summaries."""

    def show(value: Any) -> str:
        text = fmt.number(value, lang, decimals)
        return f"{text} {unit}" if unit else text

    return show


def params_key(params: Mapping[str, Any]) -> str:
    """A canonical JSON text of cleaned parameters (a cache key)."""
    return json.dumps(dict(params), sort_keys=True, default=str, separators=(",", ":"))


def cached_table(maxsize: int = 64) -> Callable[[TableFn], TableFn]:
    """Cache a ``table(pack, params, lang)`` function on the pack, the parameters' JSON and the
    language (``functools.lru_cache``); the cached function sees the parameters as decoded
    JSON (lists for tuples). The uncached function stays reachable as ``.uncached``."""

    def decorate(fn: TableFn) -> TableFn:
        @functools.lru_cache(maxsize=maxsize)
        def _cached(pack: CityPack, key: str, lang: str) -> LayerTable:
            return fn(pack, json.loads(key), lang)

        @functools.wraps(fn)
        def wrapper(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerTable:
            return _cached(pack, params_key(params), lang)

        wrapper.uncached = fn  # type: ignore[attr-defined]
        wrapper.cache_clear = _cached.cache_clear  # type: ignore[attr-defined]
        return wrapper

    return decorate


# --- raster cells per district -----------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def cell_districts(pack: CityPack) -> np.ndarray:
    """For each cell of the pack's ``grid`` (array [y, x]): the index of the district (row of
    ``pack.metric('districts')``) holding the cell centre, -1 outside any district (or when the
    pack has no districts). The same assignment as :mod:`models.heat` uses for its indicators."""
    from models.heat import cell_districts  # the heat model's assignment, reused

    grid = pack.raster("grid")
    xs = grid["x"].to_numpy().astype(float)
    ys = grid["y"].to_numpy().astype(float)
    gx, gy = np.meshgrid(xs, ys)
    out = cell_districts(pack, gx, gy)
    out.setflags(write=False)
    return out


def district_units(pack: CityPack) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """District ids and names in the order :func:`cell_districts` indexes them ((), () if none)."""
    if not pack.has("districts"):
        return (), ()
    metric = pack.metric("districts")
    return (
        tuple(str(v) for v in metric["district_id"]),
        tuple(str(v) for v in metric["name"]),
    )


def grid_field(pack: CityPack, variable: str) -> np.ndarray:
    """A grid variable as a float array [y, x] (the orientation of :func:`cell_districts`)."""
    return pack.raster("grid")[variable].transpose("y", "x").to_numpy().astype(float)
