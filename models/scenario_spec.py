"""A scenario as plain data: a name, a climate horizon and a list of interventions.

Pure (no Dash, no city named). A scenario round-trips through TOML (the spec file that
``allmende scenario run`` reads and the app exports) and JSON (the app's session store and
permalink) with a versioned schema; every field is checked, and a refusal names the
intervention, the field, what was expected and what was found. :func:`models.scenario_resolve.resolve` then matches
a checked scenario against a city pack: district names and ids, drawn areas, plan ids.
The full format, with an example per kind, is in ``docs/scenario_spec.md``.

The format (version 1)
----------------------
::

    version = 1                        # optional; the only version known is 1
    name = "More trees in the north"   # 1 … 200 characters
    horizon = "today"                  # or "2050" with warming = 1.5 | 2 | 3 (°C)
    [[interventions]]
    kind = "canopy"                    # canopy | unseal | green_roofs | development
    districts = ["Nordviertel"]        # district names or ids; or area = "drawn.geojson"
    percent = 10                       # percentage points added to each affected cell

Where an intervention applies (``canopy``, ``unseal``, ``green_roofs``): exactly one of
``districts`` (1 … :data:`MAX_DISTRICTS` names or ids; names match case-insensitively, ids
exactly) or ``area`` (a path to a GeoJSON polygon file, relative to the spec file, or an
inline GeoJSON Polygon/MultiPolygon geometry in EPSG:4326). A ``development`` takes exactly
one of ``plan`` (a ``plan_id`` of the pack's ``plans``) or ``area``.

Amounts (units and bounds are the constants of :mod:`models.scenario_schema`):

* ``canopy``: ``percent`` — percentage points of tree canopy added to each affected cell,
  0 < p ≤ 100 (the applying code caps each cell at what is possible); *or* ``trees`` — a
  number of trees, 1 … 1,000,000, each with ``crown_m2`` of crown area (1 … 1,000 m²,
  default 50 m²);
* ``unseal``: ``percent`` — percentage points of imperviousness removed, 0 < p ≤ 100;
* ``green_roofs``: ``share`` — the share of the roof area greened, in percent, 0 < s ≤ 100;
* ``development``: ``use`` — a planned use (:data:`data.landuse_vocab.PLANNED_USES`; default
  the plan's, required for a drawn area) and ``dwellings`` — a whole number 0 … 100,000
  (default the plan's; 0 for a drawn area).

Numbers are TOML/JSON numbers (a boolean is not a number; NaN and infinity are refused);
counts may be written ``10`` or ``10.0``. In JSON, ``null`` stands for a missing key.

Errors
------
Every problem is collected and :class:`SpecError` (a :class:`ValueError`) lists them, one a
line, e.g. ``intervention 2 (canopy): percent: expected a number > 0 and ≤ 100, found -5``.
From a TOML file the line is given in front (``spec.toml:7: …``; ``line 7: …`` without a
file name); a TOML syntax error carries tomllib's own line and column. A refused scenario
raises and changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from models.scenario_check import Lines, check, scan_lines
from models.scenario_schema import (
    DEFAULT_CROWN_M2,
    FUTURE,
    HORIZONS,
    KIND_FIELDS,
    KINDS,
    MAX_AREA_FILE_BYTES,
    MAX_CROWN_M2,
    MAX_DISTRICTS,
    MAX_DWELLINGS,
    MAX_INTERVENTIONS,
    MAX_NAME,
    MAX_PATH,
    MAX_PERCENT,
    MAX_TEXT,
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

# the schema's names are read from here too (the module they were first written in)
__all__ = [
    "DEFAULT_CROWN_M2",
    "FUTURE",
    "HORIZONS",
    "KINDS",
    "KIND_FIELDS",
    "MAX_AREA_FILE_BYTES",
    "MAX_CROWN_M2",
    "MAX_DISTRICTS",
    "MAX_DWELLINGS",
    "MAX_INTERVENTIONS",
    "MAX_NAME",
    "MAX_PATH",
    "MAX_PERCENT",
    "MAX_TEXT",
    "MAX_TREES",
    "MIN_CROWN_M2",
    "MIN_DWELLINGS",
    "MIN_TREES",
    "MISSING",
    "TOP_KEYS",
    "VERSION",
    "VERSIONS",
    "WARMINGS",
    "WHERE",
    "Area",
    "Canopy",
    "Development",
    "GreenRoofs",
    "Intervention",
    "Scenario",
    "SpecError",
    "SpecProblem",
    "Unseal",
    "checked",
    "count_text",
    "from_json",
    "from_toml",
    "load_spec",
    "scenario_key",
    "to_json",
    "to_toml",
    "what_found",
]

# --- reading ---------------------------------------------------------------------------------


def checked(scenario: Scenario) -> Scenario:
    """``scenario`` checked like a parsed one (for a scenario built in code, e.g. by the app);
    raises :class:`SpecError`. The dataclasses themselves do not check their fields."""
    out = from_json(to_json(scenario))
    return replace(out, base_dir=scenario.base_dir)


def load_spec(path: Path | str) -> Scenario:
    """Read a spec file; area paths in it are relative to its folder."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise SpecError([SpecProblem("file not found", source=str(p))]) from err
    except UnicodeDecodeError as err:
        raise SpecError([SpecProblem(f"not UTF-8 text (byte {err.start})", source=str(p))]) from err
    except OSError as err:
        raise SpecError([SpecProblem(f"cannot read: {err}", source=str(p))]) from err
    return from_toml(text, source=str(p), base_dir=p.parent)


def from_toml(text: str, source: str | None = None, base_dir: Path | str | None = None) -> Scenario:
    """Parse and check a spec's TOML ``text``; ``source`` names it in messages, ``base_dir``
    is where its area files are (kept on the scenario for :func:`models.scenario_resolve.resolve`)."""
    if not isinstance(text, str):
        raise SpecError(
            [SpecProblem(f"expected TOML text, found {what_found(text)}", source=source)]
        )
    if len(text) > MAX_TEXT:
        raise SpecError(
            [
                SpecProblem(
                    f"expected at most {count_text(MAX_TEXT)} characters, found {count_text(len(text))}"
                )
            ]
        )
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        match = re.search(r"at line (\d+)", str(err))
        line = int(match.group(1)) if match else None
        raise SpecError(
            [SpecProblem(f"TOML syntax error: {err}", line=line, source=source)]
        ) from err
    return check(raw, scan_lines(text), source, base_dir)


def from_json(text_or_obj: str | bytes | Mapping[str, Any]) -> Scenario:
    """Parse and check a scenario from JSON text or an already parsed object (the app's)."""
    obj: Any = text_or_obj
    if isinstance(text_or_obj, (str, bytes, bytearray)):
        if len(text_or_obj) > MAX_TEXT:
            raise SpecError(
                [
                    SpecProblem(
                        f"expected at most {count_text(MAX_TEXT)} characters, "
                        f"found {count_text(len(text_or_obj))}"
                    )
                ]
            )
        try:
            obj = json.loads(text_or_obj)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as err:
            raise SpecError([SpecProblem(f"JSON syntax error: {err}")]) from err
    return check(_drop_nulls(obj), Lines(), None, None)


def _drop_nulls(obj: Any) -> Any:
    """JSON ``null`` stands for a missing key (top level and in each intervention)."""
    if not isinstance(obj, dict):
        return obj
    out = {k: v for k, v in obj.items() if v is not None}
    items = out.get("interventions")
    if isinstance(items, list):
        out["interventions"] = [
            {k: v for k, v in i.items() if v is not None} if isinstance(i, dict) else i
            for i in items
        ]
    return out


# --- writing ---------------------------------------------------------------------------------


def to_json(scenario: Scenario) -> dict[str, Any]:
    """The scenario as a JSON-able dict with ``version``; missing values are left out."""
    out: dict[str, Any] = {
        "version": scenario.version,
        "name": scenario.name,
        "horizon": scenario.horizon,
    }
    if scenario.warming is not None:
        out["warming"] = _plain(scenario.warming)
    out["interventions"] = [_intervention_dict(i) for i in scenario.interventions]
    return out


def to_toml(scenario: Scenario) -> str:
    """The scenario as a spec file's TOML text (what :func:`from_toml` reads back).

    Written by hand (the format is small and flat): the top-level keys, then one
    ``[[interventions]]`` table each; an inline area is one inline table on one line."""
    doc = to_json(scenario)
    lines = [f"{key} = {_toml(doc[key])}" for key in TOP_KEYS[:-1] if key in doc]
    for item in doc["interventions"]:
        lines += ["", "[[interventions]]"]
        lines += [f"{_toml_key(key)} = {_toml(value)}" for key, value in item.items()]
    return "\n".join(lines) + "\n"


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml(key)


def _toml(value: Any) -> str:
    """One TOML value (string, number, boolean, array, inline table)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"a scenario holds no NaN or infinity, found {value!r}")
        return repr(value)
    if isinstance(value, str):
        # JSON's escapes are TOML's (\" \\ \n \t \uXXXX); TOML also forbids a raw DEL
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_toml_key(str(k))} = {_toml(v)}" for k, v in value.items())
        return "{" + inner + "}" if inner else "{}"
    raise TypeError(f"no TOML for {type(value).__name__}")


def scenario_key(scenario: Scenario) -> str:
    """A stable hex digest of the scenario's content (for caches and permalinks)."""
    text = json.dumps(to_json(scenario), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _intervention_dict(item: Intervention) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": item.kind}
    for key in KIND_FIELDS[item.kind][1:]:
        value = getattr(item, key)
        if value is None:
            continue
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, Mapping):
            value = json.loads(json.dumps(value))  # a plain deep copy
        elif isinstance(value, float):
            value = _plain(value)
        out[key] = value
    return out
