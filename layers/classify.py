"""Class breaks and colours for choropleths.

Breaks come from mapclassify (quantiles, Fisher–Jenks natural breaks, equal interval);
colours are sampled from ColorBrewer sequential ramps (colour-blind-safe, lightness rises
monotonically, so order is readable without hue).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import mapclassify
import numpy as np
from plotly.colors import sample_colorscale

from layers.params import Param
from layers.texts import Text

SCHEMES: dict[str, Text] = {
    "quantiles": {"de": "Quantile", "en": "Quantiles"},
    "natural_breaks": {"de": "Natürliche Brüche (Jenks)", "en": "Natural breaks (Jenks)"},
    "equal_interval": {"de": "Gleiche Intervalle", "en": "Equal interval"},
}
K_MIN, K_MAX = 3, 7


def scheme_param(schemes: dict[str, Text] = SCHEMES) -> Param:
    """The "Klassenbildung" parameter of a choropleth (quantiles by default)."""
    return Param(
        "scheme",
        {"de": "Klassenbildung", "en": "Classification"},
        "choice",
        "quantiles",
        choices=tuple(schemes.items()),
    )


def k_param() -> Param:
    """The number of classes of a choropleth (5 by default)."""
    return Param(
        "k",
        {"de": "Anzahl Klassen", "en": "Number of classes"},
        "int",
        5,
        min=K_MIN,
        max=K_MAX,
        step=1,
    )


@dataclass(frozen=True)
class Classes:
    """Upper bounds of each class (``breaks[-1]`` is the maximum) and the minimum."""

    minimum: float
    breaks: tuple[float, ...]
    colors: tuple[str, ...]
    counts: tuple[int, ...]


def classify(values: np.ndarray, scheme: str, k: int, ramp: str) -> Classes:
    """Classify finite ``values`` into at most ``k`` classes with ``scheme``.

    Fewer distinct values than ``k`` give fewer classes (mapclassify would warn and
    produce empty ones).
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme {scheme!r} is not one of {', '.join(SCHEMES)}")
    if not K_MIN <= k <= K_MAX:
        raise ValueError(f"k must be between {K_MIN} and {K_MAX}, got {k}")
    y = np.asarray(values, dtype=float)
    y = y[np.isfinite(y)]
    if y.size == 0:
        raise ValueError("no finite values to classify")
    k = max(1, min(k, len(np.unique(y))))
    if k == 1:
        bins = np.array([y.max()])
    elif scheme == "quantiles":
        bins = mapclassify.Quantiles(y, k=k).bins
    elif scheme == "natural_breaks":
        bins = _natural_breaks(y, k)
    else:
        bins = mapclassify.EqualInterval(y, k=k).bins
    bins = np.unique(np.asarray(bins, dtype=float))
    counts = np.bincount(np.searchsorted(bins, y, side="left"), minlength=len(bins))
    colors = tuple(rgb_to_hex(c) for c in sample_colorscale(ramp, _positions(len(bins))))
    return Classes(
        float(y.min()), tuple(float(b) for b in bins), colors, tuple(int(c) for c in counts)
    )


USER_DEFINED: Text = {"de": "Eigene Grenzen", "en": "User-defined breaks"}


def classify_user(values: np.ndarray, breaks: tuple[float, ...], ramp: str) -> Classes:
    """Classes with the given upper bounds (mapclassify ``UserDefined``); the data maximum
    closes the last class when it lies above the last break."""
    y = np.asarray(values, dtype=float)
    y = y[np.isfinite(y)]
    if y.size == 0:
        raise ValueError("no finite values to classify")
    if not breaks:
        raise ValueError("user-defined classes need at least one break")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        bins = np.asarray(mapclassify.UserDefined(y, bins=list(breaks)).bins, dtype=float)
    bins = np.unique(bins)
    counts = np.bincount(np.searchsorted(bins, y, side="left"), minlength=len(bins))
    colors = tuple(rgb_to_hex(c) for c in sample_colorscale(ramp, _positions(len(bins))))
    return Classes(
        float(y.min()), tuple(float(b) for b in bins), colors, tuple(int(c) for c in counts)
    )


# Fisher–Jenks is O(n² k) in pure Python (no numba here): 300 values take ~0.3 s, 3000 ~16 s
# (bench/). Above this many values it runs on evenly spaced quantiles of the data instead,
# which is deterministic (unlike mapclassify's random FisherJenksSampled).
JENKS_MAX_VALUES = 200


def _natural_breaks(y: np.ndarray, k: int) -> np.ndarray:
    sample = y
    if y.size > JENKS_MAX_VALUES:
        sample = np.quantile(y, np.linspace(0.0, 1.0, JENKS_MAX_VALUES))
    with warnings.catch_warnings():  # "Numba not installed, using slow pure python version"
        warnings.simplefilter("ignore", UserWarning)
        bins = np.asarray(mapclassify.FisherJenks(sample, k=k).bins, dtype=float)
    bins[-1] = y.max()
    return bins


def _positions(n: int) -> list[float]:
    # avoid the palest end (too little contrast against a white map)
    if n == 1:
        return [0.6]
    return [0.15 + 0.85 * i / (n - 1) for i in range(n)]


def rgb_tuple(color: str) -> tuple[int, int, int]:
    """``'#010203'`` or ``'rgb(1, 2, 3)'`` (as plotly gives them) -> ``(1, 2, 3)``."""
    if color.startswith("#"):
        c = color[1:]
        return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)
    nums = color[color.index("(") + 1 : color.index(")")].split(",")
    return round(float(nums[0])), round(float(nums[1])), round(float(nums[2]))


def rgb_to_hex(color: str) -> str:
    """``'rgb(1, 2, 3)'`` -> ``'#010203'``."""
    r, g, b = rgb_tuple(color)
    return f"#{r:02x}{g:02x}{b:02x}"
