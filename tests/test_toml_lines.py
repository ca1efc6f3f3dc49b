"""Where keys are in a TOML text (models/toml_lines.py), for messages that name the line."""

from __future__ import annotations

import tomllib

from models.toml_lines import scan

TEXT = '''name = "x"            # 1
note = """            # 2
[[rule]]
id = "inside a string"
"""                   # 5
[[rule]]              # 6
id = "a"              # 7
severity = "hard"     # 8
[rule.title]          # 9
de = "Titel"          # 10
[[rule]]              # 11
"id" = "b"            # 12
[other]               # 13
id = "not a rule key" # 14
'''


def test_blocks_keys_sub_tables_and_strings() -> None:
    tomllib.loads(TEXT)  # the text is TOML
    lines = scan(TEXT, "rule")
    assert lines.top == {"name": 1, "note": 2, "other": 13}
    assert lines.blocks == [(6, {"id": 7, "severity": 8, "title": 9}), (11, {"id": 12})]


def test_another_array_is_not_a_block() -> None:
    lines = scan(TEXT, "interventions")
    assert lines.blocks == []
    assert lines.top["rule"] == 6
