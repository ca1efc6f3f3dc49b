"""The heat vulnerability index (HVI): where do heat, sensitive people and missing greenery meet?

Method (the same per district and per grid cell):

1. **Indicators** come from :mod:`models.heat`. Each is *oriented* so that a higher value
   means more vulnerable (tree canopy and public green are negated, i.e. their lack counts).
2. **Normalisation** over all units of the level, selectable:

   * ``zscore``: ``(x - mean) / sd`` (population SD); 0 is the city average, ±1 one SD;
   * ``minmax``: ``(x - min) / (max - min)``, 0 = best unit, 1 = worst unit.

   An indicator with no spread gets 0 everywhere (it cannot tell units apart).
3. **Components**: the plain mean of the normalised indicators of each component —
   exposure, sensitivity, lack of adaptive capacity. Components are rounded to 6 decimals;
   the browser recomputes the index from these same numbers, so map and tables agree.
4. **Index** = ``(w_e·E + w_s·S + w_c·C) / (w_e + w_s + w_c)`` with weights ≥ 0 (equal by
   default). The **contribution** of a component is ``w·component / Σw``; the three
   contributions add up to the index.

The index is relative: it ranks units within this city and level; it is not a probability
and not comparable between cities or between normalisations.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from models.heat import BY_ID, COMPONENTS, Indicators

NORMALISATIONS: dict[str, dict[str, str]] = {
    "zscore": {"de": "z-Wert (Abstand zum Mittel in Standardabweichungen)", "en": "z-score"},
    "minmax": {"de": "Min–Max (0 = günstigster, 1 = ungünstigster Wert)", "en": "Min–max"},
}
COMPONENT_IDS: tuple[str, ...] = tuple(COMPONENTS)
DEFAULT_WEIGHTS: dict[str, float] = dict.fromkeys(COMPONENT_IDS, 1.0)
WEIGHT_MAX = 5.0
DECIMALS = 6

METHOD: dict[str, str] = {
    "de": (
        "Der Hitze-Verwundbarkeitsindex verbindet drei Teile. Hitzebelastung: wie heiß die "
        "Oberflächen am Nachmittag und die Luft in der Nacht sind. Empfindlichkeit: wie viele "
        "ältere Menschen und kleine Kinder dort leben, wie dicht gewohnt wird und wie viele "
        "Kitas, Schulen, Pflegeheime und Kliniken es gibt. Fehlende Anpassungsfähigkeit: "
        "wenig Bäume, wenig öffentliches Grün in 300 m Umkreis, viel versiegelte Fläche. "
        "Jede Kennzahl wird vergleichbar gemacht (z-Wert oder Min–Max), je Teil gemittelt und "
        "mit den eingestellten Gewichten zum Index zusammengezählt. Der Index vergleicht "
        "Gebiete innerhalb der Stadt; er ist keine Wahrscheinlichkeit."
    ),
    "en": (
        "The heat vulnerability index combines three parts. Exposure: how hot surfaces are "
        "in the afternoon and how warm the air is at night. Sensitivity: how many older "
        "people and small children live there, how densely people live, and how many day-care "
        "centres, schools, care homes and hospitals there are. Lack of adaptive capacity: few "
        "trees, little public green within 300 m, much sealed ground. Each indicator is made "
        "comparable (z-score or min–max), averaged per part and added up with the chosen "
        "weights. The index compares areas within the city; it is not a probability."
    ),
}


@dataclass(frozen=True)
class HviResult:
    """Index, components and contributions per unit.

    ``frame`` columns: ``unit_id``, ``name``, ``population``, the oriented normalised
    indicators ``n_<indicator>``, the components (``exposure``, ``sensitivity``,
    ``capacity``), the contributions ``contrib_<component>`` and ``index``.
    """

    level: str
    norm: str
    weights: dict[str, float]
    frame: pd.DataFrame
    used: dict[str, tuple[str, ...]]
    missing: tuple[str, ...]

    def to_records(self) -> list[dict[str, Any]]:
        cols = ["unit_id", "name", "population", *COMPONENT_IDS]
        cols += [f"contrib_{c}" for c in COMPONENT_IDS] + ["index"]
        return [
            {
                k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                for k, v in r.items()
            }
            for r in self.frame[cols].to_dict("records")
        ]


def clean_weights(weights: Mapping[str, Any] | None) -> dict[str, float]:
    """Check component weights: known names, numbers in [0, WEIGHT_MAX], not all zero."""
    out = dict(DEFAULT_WEIGHTS)
    for name, value in (weights or {}).items():
        if name not in COMPONENTS:
            raise ValueError(f"weight {name!r} is not one of {', '.join(COMPONENT_IDS)}")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"weight {name!r}: expected a number, got {value!r}")
        if not (math.isfinite(value) and 0 <= value <= WEIGHT_MAX):
            raise ValueError(f"weight {name!r}: {value!r} is outside [0, {WEIGHT_MAX}]")
        out[name] = float(value)
    if sum(out.values()) <= 0:
        raise ValueError("at least one weight must be above 0")
    return out


def parse_weights(text: str) -> dict[str, float]:
    """``"exposure=2,sensitivity=1,capacity=1"`` -> weights (see :func:`clean_weights`)."""
    raw: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"weights: expected NAME=NUMBER, got {part!r}")
        try:
            raw[name.strip()] = float(value.replace(" ", ""))
        except ValueError as err:
            raise ValueError(f"weights: {value!r} for {name.strip()!r} is not a number") from err
    return clean_weights(raw)


def normalise(values: np.ndarray, method: str, reference: np.ndarray | None = None) -> np.ndarray:
    """Normalise finite values over the units (NaN stays NaN); see the module docstring.

    ``reference``: take the mean and spread (or minimum and range) from these values instead
    — a scenario is normalised on its baseline, so a unit the scenario does not change keeps
    its index exactly, and a change shows as a move on the baseline's scale."""
    x = np.asarray(values, dtype=float)
    finite = np.isfinite(x)
    out = np.full(x.shape, np.nan)
    ref = x if reference is None else np.asarray(reference, dtype=float)
    r = ref[np.isfinite(ref)]
    if not finite.any() or not r.size:
        return out
    v = x[finite]
    if method == "zscore":
        sd = float(r.std())
        out[finite] = (v - r.mean()) / sd if sd > 0 else 0.0
    elif method == "minmax":
        span = float(r.max() - r.min())
        out[finite] = (v - r.min()) / span if span > 0 else 0.0
    else:
        raise ValueError(f"normalisation {method!r} is not one of {', '.join(NORMALISATIONS)}")
    return out


def components(
    ind: Indicators, norm: str, reference: Indicators | None = None
) -> tuple[pd.DataFrame, dict[str, tuple[str, ...]]]:
    """Oriented normalised indicators and the three component scores per unit (normalised
    on ``reference``'s units when given: see :func:`normalise`)."""
    frame = ind.frame[["unit_id", "name", "population"]].copy()
    used: dict[str, tuple[str, ...]] = {}
    for comp in COMPONENT_IDS:
        names = tuple(i for i in ind.available if BY_ID[i].component == comp)
        used[comp] = names
        cols = []
        for name in names:
            oriented = BY_ID[name].direction * ind.frame[name].to_numpy(dtype=float)
            base = None
            if reference is not None:
                base = BY_ID[name].direction * reference.frame[name].to_numpy(dtype=float)
            frame[f"n_{name}"] = normalise(oriented, norm, base)
            cols.append(f"n_{name}")
        if cols:
            stack = frame[cols].to_numpy(dtype=float)
            with np.errstate(invalid="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # "Mean of empty slice"
                score = np.nanmean(stack, axis=1)
        else:
            score = np.zeros(len(frame))  # no indicator: the component says nothing
        frame[comp] = np.round(score, DECIMALS)
    return frame, used


def combine(frame: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Add contributions and the index for ``weights`` (same arithmetic as the browser)."""
    we, ws, wc = (float(weights[c]) for c in COMPONENT_IDS)
    total = we + ws + wc
    e, s, c = (frame[k].to_numpy(dtype=float) for k in COMPONENT_IDS)
    out = frame.copy()
    out["contrib_exposure"] = we * e / total
    out["contrib_sensitivity"] = ws * s / total
    out["contrib_capacity"] = wc * c / total
    out["index"] = (we * e + ws * s + wc * c) / total
    return out


def hvi(
    ind: Indicators,
    weights: Mapping[str, Any] | None = None,
    norm: str = "zscore",
    reference: Indicators | None = None,
) -> HviResult:
    """The index for a set of indicators (see the module docstring); ``reference``: the
    baseline a scenario's indicators are normalised on (same units, same indicators)."""
    if reference is not None and reference.available != ind.available:
        raise ValueError("a scenario's indicators must be those of its baseline")
    w = clean_weights(weights)
    frame, used = components(ind, norm, reference)
    return HviResult(ind.level, norm, w, combine(frame, w), used, ind.missing)
