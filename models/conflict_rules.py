"""Which planned use conflicts with which constraint, how badly, and on what grounds?

Land-use conflict rules live in a TOML file that a planner reads and edits; this module
reads such a file into typed, frozen :class:`Rule` objects and refuses a bad one with the
rule's id and the line in the file. The rule engine itself (:mod:`models.conflicts`) never
names a law: every legal or technical reference comes from the rule file, which belongs to a
city pack.

The format
----------
One ``[[rule]]`` table per rule::

    [[rule]]
    id = "flood-hq100-new-building-area"   # unique; letters, digits, - and _
    uses = "building"                       # planned uses (a list), or "building"
    constraint = "flood_hq100"              # the constraint kind it overlays
    severity = "hard"                       # "hard" or "soft"
    weight = 3.0                            # > 0, enters the severity score
    reference = "§ 78 Abs. 1 und 2 WHG"     # the legal or technical text
    reference_date = 2017-06-30             # the date of the cited text (or "2004", "2004-09")
    title.de = "Neues Baugebiet im Überschwemmungsgebiet"
    title.en = "New building area in the flood zone"
    explanation.de = "…"                    # plain language: why this is a conflict
    explanation.en = "…"
    exception_under = "§ 78 Abs. 2 WHG"     # optional: where the law allows an exception
    exception.de = "…"                      # optional: the exception path in plain words
    exception.en = "…"

* ``uses`` is a list of planned uses (``residential``, ``mixed``, ``commercial``,
  ``industrial``, ``public``, ``infrastructure``, ``green``; see
  :data:`data.landuse_vocab.PLANNED_USES`); the word ``"building"`` (alone or in the list)
  stands for every use that builds and seals land (:data:`data.landuse_vocab.BUILDING_USES`).
* ``constraint`` is one of :data:`data.landuse_vocab.CONSTRAINT_KINDS` (``cold_air``,
  ``ventilation_core``, ``ventilation_band``, ``flood_hq100``, ``nature_protected``,
  ``green_corridor``, ``heat_hotspot``).
* ``title``, ``explanation`` and ``exception`` take German and English text, written as
  dotted keys (``title.de = …``) or as an inline table (``title = {de = "…", en = "…"}``).
* ``exception`` and ``exception_under`` are optional; a rule with an exception reads "hard,
  exception possible under § 78 Abs. 2 WHG" in a result instead of plain "hard".
* Several rules may overlay the same constraint (for different uses, or with different
  references); each hit is reported, and each adds its weight × share to the score.

Errors
------
:func:`load_rules` and :func:`parse_rules` raise :class:`RuleFileError` listing every
problem as ``FILE:LINE: rule 'ID': what is wrong (expected …; found …)`` — an unknown
constraint or use, a duplicate id, a bad severity, a weight that is not a number > 0, a
missing or unknown field, a bad date, or a TOML syntax error (with tomllib's own line and
column). tomllib tells no line per table, so the lines come from scanning the text for the
``[[rule]]`` headers and the keys inside each block.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data.landuse_vocab import BUILDING_USES, CONSTRAINT_KINDS, PLANNED_USES, SEVERITIES
from models.toml_lines import scan

BUILDING = "building"  # the shorthand for BUILDING_USES in ``uses``
LANGS = ("de", "en")
REQUIRED = (
    "id",
    "title",
    "explanation",
    "uses",
    "constraint",
    "severity",
    "weight",
    "reference",
    "reference_date",
)
OPTIONAL = ("exception", "exception_under")
FIELDS = REQUIRED + OPTIONAL
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

VERDICT = {
    "hard": {"de": "hart", "en": "hard"},
    "soft": {"de": "weich", "en": "soft"},
}
EXCEPTION_UNDER = {"de": "Ausnahme möglich nach {under}", "en": "exception possible under {under}"}
EXCEPTION_PLAIN = {"de": "Ausnahme möglich", "en": "exception possible"}

RULES_FILE = "conflict_rules.toml"  # a pack's own rules, beside its catalog
# the demo city's rules, used when a pack carries none of its own (ships with the package)
DEFAULT_RULES = Path(__file__).resolve().parents[1] / "data" / "demo" / RULES_FILE


@dataclass(frozen=True)
class RuleProblem:
    """One thing wrong in a rule file: where (line, rule id) and what."""

    source: str
    line: int | None
    rule_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        who = f"rule {self.rule_id!r}: " if self.rule_id else ""
        return f"{where}: {who}{self.message}"


class RuleFileError(ValueError):
    """A rule file was refused; ``problems`` lists each problem with its line and rule id."""

    def __init__(self, problems: list[RuleProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Rule:
    """One conflict rule: planned ``uses`` × ``constraint`` kind → ``severity`` and ``weight``.

    ``line`` is where its ``[[rule]]`` block starts in the file (for messages).
    """

    id: str
    title: dict[str, str]
    explanation: dict[str, str]
    uses: tuple[str, ...]
    constraint: str
    severity: str
    weight: float
    reference: str
    reference_date: str  # ISO date, possibly only year or year-month ("2004", "2004-09")
    exception: dict[str, str] = field(default_factory=dict)
    exception_under: str | None = None
    line: int | None = None

    @property
    def hard(self) -> bool:
        return self.severity == "hard"

    @property
    def has_exception(self) -> bool:
        return bool(self.exception) or self.exception_under is not None

    def applies_to(self, use: str) -> bool:
        return use in self.uses

    def verdict(self, lang: str = "en") -> str:
        """``hard``, ``soft`` or ``hard, exception possible under § 78 Abs. 2 WHG``."""
        text = VERDICT[self.severity][lang]
        if self.exception_under:
            return f"{text}, {EXCEPTION_UNDER[lang].format(under=self.exception_under)}"
        if self.exception:
            return f"{text}, {EXCEPTION_PLAIN[lang]}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": dict(self.title),
            "explanation": dict(self.explanation),
            "uses": list(self.uses),
            "constraint": self.constraint,
            "severity": self.severity,
            "weight": self.weight,
            "reference": self.reference,
            "reference_date": self.reference_date,
            "exception": dict(self.exception) or None,
            "exception_under": self.exception_under,
            "verdict": {lang: self.verdict(lang) for lang in LANGS},
        }


@dataclass(frozen=True)
class RuleSet:
    """The rules of one file, in file order; ``source`` names the file."""

    rules: tuple[Rule, ...]
    source: str = "<rules>"

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        known = ", ".join(r.id for r in self.rules)
        raise KeyError(f"no rule {rule_id!r} in {self.source}; known: {known}")

    def for_use(self, use: str) -> tuple[Rule, ...]:
        """The rules that apply to a planned ``use``, in file order."""
        return tuple(r for r in self.rules if r.applies_to(use))

    def kinds(self) -> tuple[str, ...]:
        """The constraint kinds any rule overlays, in the vocabulary's order."""
        used = {r.constraint for r in self.rules}
        return tuple(k for k in CONSTRAINT_KINDS if k in used)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "rules": [r.to_dict() for r in self.rules]}


# --- which file -----------------------------------------------------------------------------


def rules_for_pack(pack_folder: Path | str, given: Path | str | None = None) -> tuple[Path, str]:
    """The rule file for a pack and why it was chosen: ``given`` (e.g. ``--rules``), else the
    pack's own :data:`RULES_FILE`, else the demo city's rules (:data:`DEFAULT_RULES`).

    The one choice the CLI (``allmende conflicts``) and the map's conflict layer share, so
    both assess a pack under the same rules."""
    if given is not None:
        return Path(given), "--rules"
    own = Path(pack_folder) / RULES_FILE
    if own.is_file():
        return own, "the pack's rule file"
    return DEFAULT_RULES, f"default: the pack has no {RULES_FILE}"


# --- reading -------------------------------------------------------------------------------


def load_rules(path: Path | str) -> RuleSet:
    """Read and check the rule file at ``path``; raise :class:`RuleFileError` if it is bad."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise RuleFileError([RuleProblem(str(p), None, None, "file not found")]) from err
    except UnicodeDecodeError as err:
        raise RuleFileError(
            [RuleProblem(str(p), None, None, f"not UTF-8 text (byte {err.start})")]
        ) from err
    except OSError as err:
        raise RuleFileError([RuleProblem(str(p), None, None, f"cannot read: {err}")]) from err
    return parse_rules(text, source=str(p))


def parse_rules(text: str, source: str = "<rules>") -> RuleSet:
    """Parse and check the rule file's ``text``; ``source`` names it in messages."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        # tomllib's message ends in "(at line L, column C)"
        match = re.search(r"at line (\d+)", str(err))
        line = int(match.group(1)) if match else None
        raise RuleFileError([RuleProblem(source, line, None, f"TOML syntax error: {err}")]) from err
    blocks = _scan_blocks(text)
    problems: list[RuleProblem] = []
    for key in raw:
        if key != "rule":
            problems.append(
                RuleProblem(
                    source,
                    _top_key_line(text, key),
                    None,
                    f"unknown top-level key {key!r}; a rule file holds only [[rule]] tables",
                )
            )
    entries = raw.get("rule", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.append(
            RuleProblem(source, _top_key_line(text, "rule"), None, "'rule' must be [[rule]] tables")
        )
        raise RuleFileError(problems)
    if not entries:
        problems.append(RuleProblem(source, None, None, "no [[rule]] tables in the file"))
    rules: list[Rule] = []
    seen: dict[str, int | None] = {}
    for n, entry in enumerate(entries):
        keys = blocks[n] if n < len(blocks) else _Block(None, {})
        rule = _parse_rule(entry, n, keys, source, problems)
        if rule is None:
            continue
        if rule.id in seen:
            first = seen[rule.id]
            problems.append(
                RuleProblem(
                    source,
                    keys.line_of("id"),
                    rule.id,
                    f"duplicate id (first used at line {first})",
                )
            )
            continue
        seen[rule.id] = keys.line_of("id")
        rules.append(rule)
    if problems:
        raise RuleFileError(problems)
    return RuleSet(tuple(rules), source)


@dataclass(frozen=True)
class _Block:
    """Where a ``[[rule]]`` block starts and the first line of each key inside it."""

    line: int | None
    keys: dict[str, int]

    def line_of(self, key: str) -> int | None:
        return self.keys.get(key, self.line)


def _scan_blocks(text: str) -> list[_Block]:
    """The ``[[rule]]`` blocks of ``text`` in order, with the line of each key (1-based);
    a ``[rule.title]`` sub-table counts as the key ``title`` of the block before it."""
    return [_Block(start, keys) for start, keys in scan(text, "rule").blocks]


def _top_key_line(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"^\s*\[*\s*{re.escape(key)}\s*[\].=]", line):
            return number
    return None


def _parse_rule(
    entry: dict[str, Any], n: int, block: _Block, source: str, problems: list[RuleProblem]
) -> Rule | None:
    """One ``[[rule]]`` table, or ``None`` after adding its problems."""
    before = len(problems)
    raw_id = entry.get("id")
    rule_id = raw_id if isinstance(raw_id, str) and raw_id else None
    who = rule_id or f"#{n + 1} (no id)"

    def bad(key: str, message: str) -> None:
        problems.append(RuleProblem(source, block.line_of(key), who, message))

    for key in REQUIRED:
        if key not in entry:
            problems.append(
                RuleProblem(source, block.line, who, f"missing field {key!r} in [[rule]]")
            )
    for key in entry:
        if key not in FIELDS:
            bad(key, f"unknown field {key!r}; fields are {', '.join(FIELDS)}")
    if "id" in entry and (rule_id is None or not _ID.match(rule_id)):
        bad("id", f"bad id {raw_id!r}; expected letters, digits, '-' and '_'")

    title = _texts(entry, "title", bad)
    explanation = _texts(entry, "explanation", bad)
    exception = _texts(entry, "exception", bad) if "exception" in entry else {}
    uses = _uses(entry.get("uses"), bad) if "uses" in entry else ()

    constraint = entry.get("constraint")
    if "constraint" in entry and constraint not in CONSTRAINT_KINDS:
        bad(
            "constraint",
            f"unknown constraint {constraint!r}; known: {', '.join(CONSTRAINT_KINDS)}",
        )
    severity = entry.get("severity")
    if "severity" in entry and severity not in SEVERITIES:
        bad("severity", f"bad severity {severity!r}; expected one of {', '.join(SEVERITIES)}")
    weight = entry.get("weight")
    if "weight" in entry and (
        isinstance(weight, bool)
        or not isinstance(weight, int | float)
        or not math.isfinite(weight)
        or weight <= 0
    ):
        bad("weight", f"bad weight {weight!r}; expected a number > 0")
    reference = entry.get("reference")
    if "reference" in entry and (not isinstance(reference, str) or not reference.strip()):
        bad("reference", f"bad reference {reference!r}; expected the cited text as a string")
    date = _date(entry.get("reference_date"), bad) if "reference_date" in entry else None
    under = entry.get("exception_under")
    if under is not None and (not isinstance(under, str) or not under.strip()):
        bad("exception_under", f"bad exception_under {under!r}; expected a string")

    if len(problems) > before or rule_id is None:
        return None
    return Rule(
        id=rule_id,
        title=title,
        explanation=explanation,
        uses=uses,
        constraint=str(constraint),
        severity=str(severity),
        weight=float(weight),  # type: ignore[arg-type]
        reference=str(reference).strip(),
        reference_date=str(date),
        exception=exception,
        exception_under=under.strip() if isinstance(under, str) else None,
        line=block.line,
    )


def _texts(entry: dict[str, Any], key: str, bad: Any) -> dict[str, str]:
    value = entry.get(key)
    if key not in entry:
        return {}
    if not isinstance(value, dict):
        bad(key, f'{key!r} needs German and English text: {key}.de = "…" and {key}.en = "…"')
        return {}
    out: dict[str, str] = {}
    for lang in LANGS:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            bad(key, f"missing or empty {key}.{lang}")
        else:
            out[lang] = " ".join(text.split())
    for extra in value:
        if extra not in LANGS:
            bad(key, f"unknown language {key}.{extra}; expected {', '.join(LANGS)}")
    return out


def _uses(value: Any, bad: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        bad("uses", f"bad uses {value!r}; expected a list of planned uses or {BUILDING!r}")
        return ()
    out: list[str] = []
    for item in items:
        names = BUILDING_USES if item == BUILDING else (item,)
        for name in names:
            if name not in PLANNED_USES:
                bad(
                    "uses",
                    f"unknown use {name!r}; known: {', '.join(PLANNED_USES)} "
                    f"(or {BUILDING!r} for {', '.join(BUILDING_USES)})",
                )
                return ()
            if name not in out:
                out.append(name)
    return tuple(u for u in PLANNED_USES if u in out)


def _date(value: Any, bad: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and _DATE.match(value.strip()):
        text = value.strip()
        try:
            parts = [int(p) for p in text.split("-")]
            dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError:
            pass
        else:
            return text
    bad(
        "reference_date",
        f"bad reference_date {value!r}; expected the date of the cited text: "
        '2017-06-30, or "2004-09" or "2004" when only month or year are known',
    )
    return None
