"""The editable table that maps OpenStreetMap tags to the land-use classes.

A mapping file is a UTF-8 CSV with the columns ``key,value,class`` (lines starting with
``#`` are comments): ``landuse,meadow,agriculture`` gives a feature tagged
``landuse=meadow`` the class ``agriculture`` (one of
:data:`data.landuse_vocab.LANDUSE_CLASSES`). ``*`` as the value matches any value of the
key; the class ``ignore`` leaves such features out on purpose. Rules are tried from top to
bottom and the first one matching a feature wins. :data:`DEFAULT_MAPPING`
(``landuse_osm_mapping.csv`` beside this module) is the shipped table; ``allmende import
landuse --mapping FILE`` uses an edited copy instead.

Features no rule matches are kept as ``other``; :class:`Classified` counts them by their
tags (``landuse=foo``) so the summary lists them.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from data.importers.base import ImporterError
from data.importers.common import require_file, show_items
from data.importers.landuse_geometry import choice, text_or_none
from data.landuse_vocab import LANDUSE_CLASSES

DEFAULT_MAPPING = Path(__file__).with_name("landuse_osm_mapping.csv")
HEADER = ("key", "value", "class")
IGNORE = "ignore"
ANY = "*"
#: The class of features no rule matches.
UNMAPPED_CLASS = "other"


@dataclass(frozen=True)
class Rule:
    """One line of a mapping: ``key=value`` (``*``: any value) → ``cls``."""

    key: str
    value: str
    cls: str
    line: int

    def matches(self, tags: dict[str, Any]) -> str | None:
        """``"key=value"`` of the tag this rule matches in ``tags``, else ``None``."""
        found = text_or_none(tags.get(self.key))
        if found is None or (self.value != ANY and found != self.value):
            return None
        return f"{self.key}={found}"


@dataclass(frozen=True)
class Mapping:
    """A mapping table: its rules in file order and the file they came from."""

    rules: tuple[Rule, ...]
    file: str

    @property
    def keys(self) -> tuple[str, ...]:
        """The tag keys the rules look at, in order of first use."""
        return tuple(dict.fromkeys(r.key for r in self.rules))


def load_mapping(path: Path | str | None = None) -> Mapping:
    """Read and check a mapping file (the shipped one for ``None``).

    Raises
    ------
    ImporterError
        Naming the file and line: not UTF-8 text, a missing header, a line without three
        fields, an unknown class, or a ``key,value`` given twice.
    """
    path = Path(path) if path is not None else DEFAULT_MAPPING
    require_file(path, "mapping")

    def refuse(where: str, problem: str, expected: str, found: str) -> ImporterError:
        return ImporterError(problem, file=path, where=where, expected=expected, found=found)

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise refuse(
            f"byte {err.start}", "the mapping is not UTF-8 text", "UTF-8", "other bytes"
        ) from err
    lines = [
        (n, line)
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise refuse("line 1", "the mapping has no rules", ",".join(HEADER), "nothing")
    rows = list(csv.reader(io.StringIO("\n".join(line for _, line in lines))))
    header = tuple(cell.strip().casefold() for cell in rows[0])
    if header != HEADER:
        raise refuse(
            f"line {lines[0][0]}", "the mapping's header is wrong", ",".join(HEADER), lines[0][1]
        )
    rules: list[Rule] = []
    seen: dict[tuple[str, str], int] = {}
    classes = (*LANDUSE_CLASSES, IGNORE)
    for (number, line), row in zip(lines[1:], rows[1:], strict=True):
        cells = [c.strip() for c in row]
        if len(cells) != 3 or not all(cells):
            raise refuse(f"line {number}", "a rule needs three fields", "key,value,class", line)
        key, value, cls = cells
        if cls not in classes:
            raise refuse(
                f"line {number}", f"unknown class {cls!r}", " or ".join(classes), repr(cls)
            )
        if (key, value) in seen:
            raise refuse(
                f"line {number}",
                f"{key}={value} is mapped twice (first on line {seen[key, value]})",
                "each key,value once",
                line,
            )
        seen[key, value] = number
        rules.append(Rule(key, value, cls, number))
    if not rules:
        raise refuse("line 2", "the mapping has no rules", "key,value,class lines", "the header")
    return Mapping(tuple(rules), path.name)


@dataclass
class Classified:
    """The class of each feature, the tag that decided it, and what no rule matched.

    Attributes
    ----------
    uses : list of str
        A class per feature (``ignore`` for features the mapping leaves out).
    tags : list of str
        The deciding ``key=value`` per feature (for unmapped ones, their tags).
    unmapped : Counter
        Features no rule matched, by their tags (kept as ``other``).
    ignored : Counter
        Features a rule with class ``ignore`` left out, by tag.
    """

    uses: list[str]
    tags: list[str]
    unmapped: Counter[str] = field(default_factory=Counter)
    ignored: Counter[str] = field(default_factory=Counter)


def classify(frame: pd.DataFrame, mapping: Mapping) -> Classified:
    """Classify every feature of ``frame`` (tags as columns) by ``mapping``."""
    records = frame.drop(columns=[frame.geometry.name]).to_dict("records")
    present = [r for r in mapping.rules if r.key in frame.columns]
    out = Classified(uses=[], tags=[])
    for row in records:
        cls, tag = None, ""
        for rule in present:
            hit = rule.matches(row)
            if hit is not None:
                cls, tag = rule.cls, hit
                break
        if cls is None:
            cls, tag = UNMAPPED_CLASS, _tags_of(row, mapping.keys)
            out.unmapped[tag] += 1
        elif cls == IGNORE:
            out.ignored[tag] += 1
        out.uses.append(cls)
        out.tags.append(tag)
    return out


def _tags_of(row: dict[str, Any], keys: tuple[str, ...]) -> str:
    """``landuse=foo; leisure=bar`` for the mapping's keys ``row`` has, else a placeholder."""
    found = [f"{k}={v}" for k in keys if (v := text_or_none(row.get(k))) is not None]
    return "; ".join(found) or f"(no {'/'.join(keys[:4])} tag)"


def counted(counter: Counter[str]) -> str:
    """``landuse=foo 3, leisure=bar 1`` (most frequent first)."""
    return show_items(
        f"{tag} {n}" for tag, n in sorted(counter.items(), key=lambda t: (-t[1], t[0]))
    )


def direct_uses(
    frame: pd.DataFrame, ids: pd.Series, path: Path | str
) -> tuple[list[str], list[str]]:
    """The ``use`` column as classes (keys or de/en labels); an error naming a bad feature."""
    uses: list[str] = []
    for fid, value in zip(ids, frame["use"], strict=True):
        cls = choice(value, LANDUSE_CLASSES)
        if cls is None:
            raise ImporterError(
                "unknown land-use class",
                file=path,
                where=f"feature {fid!r}, column 'use'",
                expected=" or ".join(LANDUSE_CLASSES) + " (or their German labels)",
                found=repr(text_or_none(value) or "nothing"),
            )
        uses.append(cls)
    return uses, [f"use={u}" for u in uses]
