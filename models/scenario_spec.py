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

Amounts (units and bounds are the constants below):

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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from data.landuse_vocab import PLANNED_USES
from models.drawn_plan import MAX_VERTICES
from models.toml_lines import scan

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

_NUMBER_KEYS = {"percent", "share", "crown_m2", "warming"}
_COUNT_KEYS = {"trees", "dwellings", "version"}


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
        raise SpecError([SpecProblem(f"expected TOML text, found {_found(text)}", source=source)])
    if len(text) > MAX_TEXT:
        raise SpecError(
            [SpecProblem(f"expected at most {_int(MAX_TEXT)} characters, found {_int(len(text))}")]
        )
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        match = re.search(r"at line (\d+)", str(err))
        line = int(match.group(1)) if match else None
        raise SpecError(
            [SpecProblem(f"TOML syntax error: {err}", line=line, source=source)]
        ) from err
    return _check(raw, _scan_lines(text), source, base_dir)


def from_json(text_or_obj: str | bytes | Mapping[str, Any]) -> Scenario:
    """Parse and check a scenario from JSON text or an already parsed object (the app's)."""
    obj: Any = text_or_obj
    if isinstance(text_or_obj, (str, bytes, bytearray)):
        if len(text_or_obj) > MAX_TEXT:
            raise SpecError(
                [
                    SpecProblem(
                        f"expected at most {_int(MAX_TEXT)} characters, "
                        f"found {_int(len(text_or_obj))}"
                    )
                ]
            )
        try:
            obj = json.loads(text_or_obj)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as err:
            raise SpecError([SpecProblem(f"JSON syntax error: {err}")]) from err
    return _check(_drop_nulls(obj), _Lines(), None, None)


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


# --- where things are in the TOML text ---------------------------------------------------------


@dataclass
class _Lines:
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


def _scan_lines(text: str) -> _Lines:
    found = scan(text, "interventions")
    return _Lines(found.top, found.blocks)


# --- checking --------------------------------------------------------------------------------


def _int(value: float) -> str:
    return f"{value:,.0f}"


def _found(value: Any) -> str:
    """What was found, briefly (never a whole payload)."""
    if value is _MISSING:
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
            f" ({_int(len(value))} characters)" if len(value) > 60 else ""
        )
    if isinstance(value, list):
        return "an empty list" if not value else f"a list of {_int(len(value))} items"
    if isinstance(value, dict):
        kind = value.get("type")
        if isinstance(kind, str) and len(kind) <= 40:
            return f"a table of type {json.dumps(kind)}"
        return "a table"
    return f"a {type(value).__name__}"


_MISSING: Any = object()


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Checker:
    """Collects the problems of one scenario."""

    def __init__(self, lines: _Lines, source: str | None):
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
        text = found_text if found_text is not None else _found(found)
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
        value = entry.get(key, _MISSING)
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
        value = entry.get(key, _MISSING)
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if not (isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi):
            self.bad(key, f"a whole number from {_int(lo)} to {_int(hi)}", value, n, kind)
            return None
        return value


def _check(raw: Any, lines: _Lines, source: str | None, base_dir: Path | str | None) -> Scenario:
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

    name = raw.get("name", _MISSING)
    if not (isinstance(name, str) and name.strip() and len(name) <= MAX_NAME):
        c.bad("name", f"a text of 1 to {MAX_NAME} characters", name)

    horizon = raw.get("horizon", _MISSING)
    if horizon == 2050 and not isinstance(horizon, bool):
        horizon = FUTURE
    if horizon not in HORIZONS or not isinstance(horizon, str):
        c.bad("horizon", '"today" or "2050"', horizon)
        horizon = None
    warming_raw = raw.get("warming", _MISSING)
    warming: float | None = None
    if horizon == FUTURE:
        if not (_is_number(warming_raw) and float(warming_raw) in WARMINGS):
            c.bad("warming", 'one of 1.5, 2 or 3 (°C) for horizon "2050"', warming_raw)
        else:
            warming = float(warming_raw)
    elif horizon == "today" and warming_raw is not _MISSING:
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
    kind_raw = entry.get("kind", _MISSING)
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
        use = entry.get("use", _MISSING)
        if use is _MISSING:
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
                    f"a number from {_int(MIN_CROWN_M2)} to {_int(MAX_CROWN_M2)} (m² of crown "
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
        f"a number > 0 and ≤ {_int(MAX_PERCENT)}",
        n,
        kind,
        lo_open=True,
    )


def _text(
    entry: Mapping[str, Any], key: str, what: str, n: int, kind: str, c: _Checker
) -> str | None:
    value = entry.get(key, _MISSING)
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
    value = entry.get("area", _MISSING)
    expected = "a path to a GeoJSON polygon file or a GeoJSON Polygon or MultiPolygon geometry"
    if isinstance(value, str):
        if value.strip() and len(value) <= MAX_PATH:
            return value
        c.bad("area", f"{expected} (a path of 1 to {_int(MAX_PATH)} characters)", value, n, kind)
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
        return expected, _found(coords if coords is not None else _MISSING)
    positions = 0
    stack: list[tuple[Any, int]] = [(coords, 1)]
    while stack:
        node, level = stack.pop()
        if level == depth:  # a position: numbers
            positions += 1
            if positions > MAX_VERTICES:
                return f"at most {_int(MAX_VERTICES)} positions", "more"
            if not (
                isinstance(node, list)
                and 2 <= len(node) <= 3
                and all(_is_number(v) and math.isfinite(v) for v in node)
            ):
                return expected + " ([lon, lat] positions)", f"{_found(node)} as a position"
            continue
        if not isinstance(node, list) or not node:
            return expected, _found(node)
        if len(stack) + len(node) > MAX_VERTICES * 2:
            return f"at most {_int(MAX_VERTICES)} positions", "more"
        stack.extend((child, level + 1) for child in node)
    return None
