"""A scenario's schema: the keys, units and bounds of version 1, the plain dataclasses a
checked scenario is made of, and how a refusal is worded (:class:`SpecProblem`,
:class:`SpecError`). Pure (no Dash, no city named).

The format is described in :mod:`models.scenario_spec` and ``docs/scenario_spec.md``;
:mod:`models.scenario_check` checks a parsed spec against this schema.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# --- the schema, its units and bounds ---------------------------------------------------------

VERSION = 1
VERSIONS = (1,)  # the versions this module reads
TOP_KEYS = ("version", "name", "horizon", "warming", "interventions")
HORIZONS = ("today", "2050")
FUTURE = "2050"  # the horizon that needs a warming level
WARMINGS = (1.5, 2.0, 3.0)  # °C of global warming at the 2050 horizon
KINDS = ("canopy", "unseal", "green_roofs", "development")
WHERE = ("districts", "area")  # canopy, unseal, green_roofs apply to one of these
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "canopy": ("kind", *WHERE, "percent", "trees", "crown_m2"),
    "unseal": ("kind", *WHERE, "percent"),
    "green_roofs": ("kind", *WHERE, "share"),
    "development": ("kind", "plan", "area", "use", "dwellings"),
}

MAX_PERCENT = 100.0  # percentage points (canopy, unseal) or percent of roof area (share): 0 < x ≤
MIN_TREES, MAX_TREES = 1, 1_000_000  # trees planted by one intervention
MIN_CROWN_M2, MAX_CROWN_M2 = 1.0, 1_000.0  # crown area of one tree, m²
DEFAULT_CROWN_M2 = 50.0  # m², a mid-sized urban street tree
MIN_DWELLINGS, MAX_DWELLINGS = 0, 100_000
MAX_NAME = 200  # characters: scenario name, district name or id, plan id
MAX_PATH = 1_000  # characters of an area file path
MAX_DISTRICTS = 200  # districts in one intervention
MAX_INTERVENTIONS = 100  # interventions in one scenario
MAX_TEXT = 5_000_000  # characters of a spec's TOML or JSON text
MAX_AREA_FILE_BYTES = 20_000_000  # bytes of an area GeoJSON file


# --- problems --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpecProblem:
    """One thing wrong in a scenario: where (line; intervention number and kind; field) and
    what was expected and found."""

    message: str
    field: str | None = None
    number: int | None = None  # the intervention's number, from 1
    kind: str | None = None
    line: int | None = None
    source: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.source is not None:
            parts.append(f"{self.source}:{self.line}" if self.line is not None else self.source)
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if self.number is not None:
            who = f"intervention {self.number}"
            parts.append(f"{who} ({self.kind})" if self.kind else who)
        if self.field is not None:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


class SpecError(ValueError):
    """A scenario was refused; ``problems`` lists each problem (one a line in the message)."""

    def __init__(self, problems: Sequence[SpecProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# --- the plain data --------------------------------------------------------------------------

Area = str | Mapping[str, Any]  # a GeoJSON file path (relative to the spec) or a geometry


@dataclass(frozen=True, kw_only=True)
class Canopy:
    """Tree canopy: ``percent`` points added per cell, or ``trees`` × ``crown_m2`` m².

    Interventions are built with keywords; ``districts`` or ``area`` says where (one of
    them), ``kind`` is fixed per class."""

    districts: tuple[str, ...] | None = None
    area: Area | None = None
    percent: float | None = None
    trees: int | None = None
    crown_m2: float | None = None  # set (default 50) exactly when trees is
    kind: str = field(default="canopy", init=False)


@dataclass(frozen=True, kw_only=True)
class Unseal:
    """Unsealing: ``percent`` points of imperviousness removed per cell."""

    districts: tuple[str, ...] | None = None
    area: Area | None = None
    percent: float
    kind: str = field(default="unseal", init=False)


@dataclass(frozen=True, kw_only=True)
class GreenRoofs:
    """Green roofs: ``share`` percent of the roof area greened."""

    districts: tuple[str, ...] | None = None
    area: Area | None = None
    share: float
    kind: str = field(default="green_roofs", init=False)


@dataclass(frozen=True, kw_only=True)
class Development:
    """A new development: a ``plan`` of the pack's plans or a drawn ``area``; ``use`` and
    ``dwellings`` default to the plan's (``None`` here means "the plan's")."""

    plan: str | None = None
    area: Area | None = None
    use: str | None = None
    dwellings: int | None = None
    kind: str = field(default="development", init=False)


Intervention = Canopy | Unseal | GreenRoofs | Development


@dataclass(frozen=True)
class Scenario:
    """A checked scenario. ``warming`` (°C) is set exactly when ``horizon`` is ``"2050"``.

    ``base_dir`` (not compared, never exported) is the spec file's folder, where area file
    paths are read from by :func:`models.scenario_resolve.resolve`. Equal scenarios have equal :func:`scenario_key`;
    use that (not ``hash``) to cache, since an inline area is a dict."""

    name: str
    horizon: str
    warming: float | None
    interventions: tuple[Intervention, ...]
    version: int = VERSION
    base_dir: str | None = field(default=None, compare=False, repr=False)


# --- what was found, for messages -----------------------------------------------------------


def count_text(value: float) -> str:
    """A count with thousands separators, for messages."""
    return f"{value:,.0f}"


def what_found(value: Any) -> str:
    """What was found, briefly (never a whole payload)."""
    if value is MISSING:
        return "nothing"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "…"
        return json.dumps(shown, ensure_ascii=False) + (
            f" ({count_text(len(value))} characters)" if len(value) > 60 else ""
        )
    if isinstance(value, list):
        return "an empty list" if not value else f"a list of {count_text(len(value))} items"
    if isinstance(value, dict):
        kind = value.get("type")
        if isinstance(kind, str) and len(kind) <= 40:
            return f"a table of type {json.dumps(kind)}"
        return "a table"
    return f"a {type(value).__name__}"


MISSING: Any = object()  # a key that is not there (for what_found)
