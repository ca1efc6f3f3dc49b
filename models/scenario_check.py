"""Checking a parsed scenario spec (TOML or JSON, as Python data) against the schema of
:mod:`models.scenario_schema`: every problem is collected, with the line it is on when the
spec came from a TOML text, and :class:`models.scenario_schema.SpecError` lists them all.
Pure (no Dash, no city named); :mod:`models.scenario_spec` reads and writes specs with it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data.landuse_vocab import PLANNED_USES
from models.drawn_plan import MAX_VERTICES
from models.scenario_schema import (
    DEFAULT_CROWN_M2,
    FUTURE,
    HORIZONS,
    KIND_FIELDS,
    KINDS,
    MAX_CROWN_M2,
    MAX_DISTRICTS,
    MAX_DWELLINGS,
    MAX_INTERVENTIONS,
    MAX_NAME,
    MAX_PATH,
    MAX_PERCENT,
    MAX_TREES,
    MIN_CROWN_M2,
    MIN_DWELLINGS,
    MIN_TREES,
    MISSING,
    TOP_KEYS,
    VERSION,
    VERSIONS,
    WARMINGS,
    WHERE,
    Area,
    Canopy,
    Development,
    GreenRoofs,
    Intervention,
    Scenario,
    SpecError,
    SpecProblem,
    Unseal,
    count_text,
    what_found,
)
from models.toml_lines import scan

# --- where things are in the TOML text ---------------------------------------------------------


@dataclass
class Lines:
    """The line of each top-level key and of each ``[[interventions]]`` block and its keys."""

    top: dict[str, int] = field(default_factory=dict)
    blocks: list[tuple[int, dict[str, int]]] = field(default_factory=list)

    def of(self, number: int | None, key: str | None) -> int | None:
        if number is None:
            return self.top.get(key) if key else None
        if not 1 <= number <= len(self.blocks):
            return self.top.get("interventions")
        start, keys = self.blocks[number - 1]
        base = key.split("[")[0].split("/")[0] if key else None
        return keys.get(base, start) if base else start


def scan_lines(text: str) -> Lines:
    found = scan(text, "interventions")
    return Lines(found.top, found.blocks)


# --- checking --------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Checker:
    """Collects the problems of one scenario."""

    def __init__(self, lines: Lines, source: str | None):
        self.lines = lines
        self.source = source
        self.problems: list[SpecProblem] = []

    def bad(
        self,
        key: str | None,
        expected: str,
        found: Any,
        number: int | None = None,
        kind: str | None = None,
        *,
        found_text: str | None = None,
    ) -> None:
        text = found_text if found_text is not None else what_found(found)
        self.problems.append(
            SpecProblem(
                f"expected {expected}, found {text}",
                field=key,
                number=number,
                kind=kind,
                line=self.lines.of(number, key),
                source=self.source,
            )
        )

    def number(
        self,
        entry: Mapping[str, Any],
        key: str,
        lo: float,
        hi: float,
        expected: str,
        n: int | None,
        kind: str | None,
        *,
        lo_open: bool = False,
    ) -> float | None:
        value = entry.get(key, MISSING)
        ok = (
            _is_number(value)
            and math.isfinite(value)
            and (value > lo if lo_open else value >= lo)
            and value <= hi
        )
        if not ok:
            self.bad(key, expected, value, n, kind)
            return None
        return float(value)

    def count(
        self, entry: Mapping[str, Any], key: str, lo: int, hi: int, n: int | None, kind: str | None
    ) -> int | None:
        value = entry.get(key, MISSING)
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if not (isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi):
            self.bad(
                key, f"a whole number from {count_text(lo)} to {count_text(hi)}", value, n, kind
            )
            return None
        return value


def check(raw: Any, lines: Lines, source: str | None, base_dir: Path | str | None) -> Scenario:
    c = _Checker(lines, source)
    if not isinstance(raw, dict):
        c.bad(None, "a table with name, horizon and interventions", raw)
        raise SpecError(c.problems)
    version = raw.get("version", VERSION)
    if isinstance(version, float) and version.is_integer():
        version = int(version)
    if isinstance(version, bool) or version not in VERSIONS:
        known = ", ".join(str(v) for v in VERSIONS)
        c.bad("version", f"one of the versions known ({known})", version)
        raise SpecError(c.problems)  # an unknown version: its other keys mean nothing here
    for key in raw:
        if key not in TOP_KEYS:
            c.bad(
                str(key)[:MAX_NAME],
                f"one of the keys {', '.join(TOP_KEYS)}",
                None,
                found_text="an unknown key",
            )

    name = raw.get("name", MISSING)
    if not (isinstance(name, str) and name.strip() and len(name) <= MAX_NAME):
        c.bad("name", f"a text of 1 to {MAX_NAME} characters", name)

    horizon = raw.get("horizon", MISSING)
    if horizon == 2050 and not isinstance(horizon, bool):
        horizon = FUTURE
    if horizon not in HORIZONS or not isinstance(horizon, str):
        c.bad("horizon", '"today" or "2050"', horizon)
        horizon = None
    warming_raw = raw.get("warming", MISSING)
    warming: float | None = None
    if horizon == FUTURE:
        if not (_is_number(warming_raw) and float(warming_raw) in WARMINGS):
            c.bad("warming", 'one of 1.5, 2 or 3 (°C) for horizon "2050"', warming_raw)
        else:
            warming = float(warming_raw)
    elif horizon == "today" and warming_raw is not MISSING:
        c.bad("warming", 'no warming for horizon "today" (it belongs to "2050")', warming_raw)

    items = raw.get("interventions", [])
    interventions: list[Intervention] = []
    if not isinstance(items, list):
        c.bad("interventions", "a list of [[interventions]] tables", items)
    elif len(items) > MAX_INTERVENTIONS:
        c.bad("interventions", f"at most {MAX_INTERVENTIONS} interventions", items)
    else:
        for n, entry in enumerate(items, start=1):
            item = _intervention(entry, n, c)
            if item is not None:
                interventions.append(item)
    if c.problems:
        raise SpecError(c.problems)
    assert isinstance(name, str) and isinstance(horizon, str)
    return Scenario(
        name=name,
        horizon=horizon,
        warming=warming,
        interventions=tuple(interventions),
        version=int(version),
        base_dir=None if base_dir is None else str(base_dir),
    )


def _intervention(entry: Any, n: int, c: _Checker) -> Intervention | None:
    before = len(c.problems)
    if not isinstance(entry, dict):
        c.bad(None, "a table with a kind", entry, n)
        return None
    kind_raw = entry.get("kind", MISSING)
    if not (isinstance(kind_raw, str) and kind_raw in KINDS):
        c.bad("kind", f"one of {', '.join(KINDS)}", kind_raw, n)
        return None
    kind: str = kind_raw
    fields = KIND_FIELDS[kind]
    for key in entry:
        if key not in fields:
            c.bad(
                str(key)[:MAX_NAME],
                f"a field of {kind} ({', '.join(fields)})",
                None,
                n,
                kind,
                found_text="an unknown field",
            )

    if kind == "development":
        plan = _one_of(entry, ("plan", "area"), n, kind, c)
        plan_id: str | None = None
        area: Area | None = None
        if plan == "plan":
            plan_id = _text(entry, "plan", "a plan id", n, kind, c)
        elif plan == "area":
            area = _area(entry, n, kind, c)
        use = entry.get("use", MISSING)
        if use is MISSING:
            if plan == "area":
                c.bad(
                    "use",
                    f"a planned use for a drawn area ({', '.join(PLANNED_USES)})",
                    use,
                    n,
                    kind,
                )
            use = None
        elif not (isinstance(use, str) and use in PLANNED_USES):
            c.bad("use", f"a planned use ({', '.join(PLANNED_USES)})", use, n, kind)
            use = None
        dwellings = (
            c.count(entry, "dwellings", MIN_DWELLINGS, MAX_DWELLINGS, n, kind)
            if "dwellings" in entry
            else None
        )
        if len(c.problems) > before:
            return None
        return Development(plan=plan_id, area=area, use=use, dwellings=dwellings)

    districts, area = _where(entry, n, kind, c)
    if kind == "canopy":
        amount = _one_of(entry, ("percent", "trees"), n, kind, c)
        percent = trees = crown = None
        if amount == "percent":
            percent = _percent(entry, "percent", n, kind, c)
            if "crown_m2" in entry:
                c.bad(
                    "crown_m2",
                    "a crown area only with trees, not with percent",
                    entry["crown_m2"],
                    n,
                    kind,
                )
        elif amount == "trees":
            trees = c.count(entry, "trees", MIN_TREES, MAX_TREES, n, kind)
            crown = DEFAULT_CROWN_M2
            if "crown_m2" in entry:
                crown = c.number(
                    entry,
                    "crown_m2",
                    MIN_CROWN_M2,
                    MAX_CROWN_M2,
                    f"a number from {count_text(MIN_CROWN_M2)} to {count_text(MAX_CROWN_M2)} (m² of crown "
                    "per tree)",
                    n,
                    kind,
                )
        if len(c.problems) > before:
            return None
        return Canopy(districts=districts, area=area, percent=percent, trees=trees, crown_m2=crown)
    if kind == "unseal":
        percent = _percent(entry, "percent", n, kind, c)
        if len(c.problems) > before or percent is None:
            return None
        return Unseal(districts=districts, area=area, percent=percent)
    share = _percent(entry, "share", n, kind, c)
    if len(c.problems) > before or share is None:
        return None
    return GreenRoofs(districts=districts, area=area, share=share)


def _one_of(
    entry: Mapping[str, Any], keys: tuple[str, str], n: int, kind: str, c: _Checker
) -> str | None:
    """Which of two exclusive keys is given, or ``None`` after a problem."""
    given = [k for k in keys if k in entry]
    if len(given) == 1:
        return given[0]
    c.bad(
        "/".join(keys),
        f"either {keys[0]} or {keys[1]}",
        None,
        n,
        kind,
        found_text="both" if given else "neither",
    )
    return None


def _percent(entry: Mapping[str, Any], key: str, n: int, kind: str, c: _Checker) -> float | None:
    return c.number(
        entry,
        key,
        0.0,
        MAX_PERCENT,
        f"a number > 0 and ≤ {count_text(MAX_PERCENT)}",
        n,
        kind,
        lo_open=True,
    )


def _text(
    entry: Mapping[str, Any], key: str, what: str, n: int, kind: str, c: _Checker
) -> str | None:
    value = entry.get(key, MISSING)
    if isinstance(value, str) and value.strip() and len(value) <= MAX_NAME:
        return value
    c.bad(key, f"{what} of 1 to {MAX_NAME} characters", value, n, kind)
    return None


def _where(
    entry: Mapping[str, Any], n: int, kind: str, c: _Checker
) -> tuple[tuple[str, ...] | None, Area | None]:
    which = _one_of(entry, WHERE, n, kind, c)
    if which == "area":
        return None, _area(entry, n, kind, c)
    if which != "districts":
        return None, None
    value = entry["districts"]
    expected = f"a list of 1 to {MAX_DISTRICTS} district names or ids"
    if not isinstance(value, list) or not value or len(value) > MAX_DISTRICTS:
        c.bad("districts", expected, value, n, kind)
        return None, None
    out: list[str] = []
    for i, item in enumerate(value, start=1):
        if isinstance(item, int) and not isinstance(item, bool):
            item = str(item)
        if isinstance(item, str) and item.strip() and len(item) <= MAX_NAME:
            out.append(item)
        else:
            c.bad(
                f"districts[{i}]",
                f"a district name or id of 1 to {MAX_NAME} characters",
                item,
                n,
                kind,
            )
    return tuple(out), None


def _area(entry: Mapping[str, Any], n: int, kind: str, c: _Checker) -> Area | None:
    value = entry.get("area", MISSING)
    expected = "a path to a GeoJSON polygon file or a GeoJSON Polygon or MultiPolygon geometry"
    if isinstance(value, str):
        if value.strip() and len(value) <= MAX_PATH:
            return value
        c.bad(
            "area", f"{expected} (a path of 1 to {count_text(MAX_PATH)} characters)", value, n, kind
        )
        return None
    if isinstance(value, dict) and value.get("type") in ("Polygon", "MultiPolygon"):
        kind_of = value["type"]
        coords = value.get("coordinates")
        problem = _coordinates(coords, 4 if kind_of == "MultiPolygon" else 3)
        if problem is None:
            # only type and coordinates are kept (a plain deep copy, detached from the caller's)
            return {"type": kind_of, "coordinates": json.loads(json.dumps(coords))}
        c.bad(
            "area",
            f"a GeoJSON {kind_of} geometry with {problem[0]}",
            None,
            n,
            kind,
            found_text=problem[1],
        )
        return None
    c.bad("area", expected, value, n, kind)
    return None


def _coordinates(coords: Any, depth: int) -> tuple[str, str] | None:
    """``None`` when ``coords`` are lists nested ``depth`` deep with finite numbers at the
    bottom, at most :data:`models.drawn_plan.MAX_VERTICES` positions; else (expected, found).
    Walked without recursion and stopped at the limit, so a crafted payload costs little."""
    expected = f"coordinates nested {depth} lists deep with finite numbers"
    if not isinstance(coords, list) or not coords:
        return expected, what_found(coords if coords is not None else MISSING)
    positions = 0
    stack: list[tuple[Any, int]] = [(coords, 1)]
    while stack:
        node, level = stack.pop()
        if level == depth:  # a position: numbers
            positions += 1
            if positions > MAX_VERTICES:
                return f"at most {count_text(MAX_VERTICES)} positions", "more"
            if not (
                isinstance(node, list)
                and 2 <= len(node) <= 3
                and all(_is_number(v) and math.isfinite(v) for v in node)
            ):
                return expected + " ([lon, lat] positions)", f"{what_found(node)} as a position"
            continue
        if not isinstance(node, list) or not node:
            return expected, what_found(node)
        if len(stack) + len(node) > MAX_VERTICES * 2:
            return f"at most {count_text(MAX_VERTICES)} positions", "more"
        stack.extend((child, level + 1) for child in node)
    return None
