"""Where keys are in a TOML text: the line of each top-level key and table, and of each block
of one array of tables (``[[interventions]]``, ``[[rule]]``) with the line of each of its keys.

``tomllib`` gives values, not lines; messages about a spec or a rule file name the line, so
this scans the text once beside the parse. It reads only what TOML files written by people
hold: headers, ``key =`` and dotted keys, and skips the lines of multi-line strings. A
sub-table of a block (``[interventions.area]``, ``[rule.title]``) counts as that block's key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ANY_HEADER = re.compile(r"""^\s*\[\[?\s*[A-Za-z0-9_."' -]+\]\]?\s*(#.*)?$""")
_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*[.=]""")


@dataclass
class TomlLines:
    """``top``: the line of each top-level key or table; ``blocks``: each block of the array
    of tables, its header's line and the line of each of its keys (all 1-based)."""

    top: dict[str, int] = field(default_factory=dict)
    blocks: list[tuple[int, dict[str, int]]] = field(default_factory=list)


def scan(text: str, array: str) -> TomlLines:
    """The lines of ``text``'s top-level keys and of its ``[[array]]`` blocks."""
    name = re.escape(array)
    header = re.compile(rf"^\s*\[\[\s*{name}\s*\]\]\s*(#.*)?$")
    sub_header = re.compile(rf"^\s*\[\s*{name}\s*\.\s*([A-Za-z0-9_-]+)")
    lines = TomlLines()
    current: dict[str, int] | None = lines.top
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string is not None:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        if header.match(line):
            current = {}
            lines.blocks.append((number, current))
        elif _ANY_HEADER.match(line):
            sub = sub_header.match(line)
            if sub and lines.blocks:
                lines.blocks[-1][1].setdefault(sub.group(1), number)
            else:
                header_text = line.split("#", 1)[0]  # a comment after the header
                table = header_text.strip().strip("[]").strip().split(".")[0].strip().strip("\"'")
                lines.top.setdefault(table, number)
            current = None  # the keys below belong to that table
        elif current is not None:
            key = _KEY.match(line)
            if key:
                current.setdefault(next(g for g in key.groups() if g is not None), number)
        for quote in ('"""', "'''"):
            if line.count(quote) % 2 == 1:
                in_string = quote
                break
    return lines
