"""``allmende import`` is generated from the importer registry: help, choices, output, errors."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from cli import imports
from cli.main import build_parser, main
from data.importers.base import Importer, ImporterError, ImportResult, Option
from data.importers.registry import IMPORTERS


def _lines_run(pack: Path, *, lines: Path, repeat: list[str] | None = None, strict: bool = False):
    """A tiny importer: counts the non-empty lines of a text file (writes nothing)."""
    text = lines.read_text(encoding="utf-8")
    rows = [r for r in text.splitlines() if r.strip()]
    if strict and any("," not in r for r in rows):
        bad = next(i for i, r in enumerate(text.splitlines(), 1) if r.strip() and "," not in r)
        raise ImporterError(
            "a row without a comma",
            file=lines,
            where=f"line {bad}",
            expected="a,b",
            found="no comma",
        )
    return ImportResult(
        "lines",
        pack,
        ("nothing",),
        (str(lines),),
        len(rows),
        0,
        "rows",
        warnings=[f"repeat={repeat}"] if repeat else [],
    )


FAKE = Importer(
    name="lines",
    summary="count the lines of a text file",
    formats=("plain text",),
    datasets=("nothing",),
    options=(
        Option("lines", "the text file", type=Path, required=True, input=True, aliases=("--txt",)),
        Option("repeat", "repeatable", multiple=True),
        Option("strict", "every row needs a comma", flag=True),
    ),
    run=_lines_run,
)


def fake_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="allmende")
    imports.register(parser.add_subparsers(dest="command"), [*IMPORTERS, FAKE])
    return parser


def run_fake(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    args = fake_parser().parse_args(argv)
    code = args.func(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_help_lists_every_registered_importer_with_its_formats(capsys):
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(["import", "--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    assert len(IMPORTERS) >= 6
    for imp in IMPORTERS:
        assert f"  {imp.name}" in text
        for fmt in imp.formats:
            assert fmt in " ".join(text.split()), (imp.name, fmt)


def test_unknown_importer_answers_with_the_valid_choices(capsys):
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(["import", "gtfs", "--pack", "x"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'gtfs'" in err
    for imp in IMPORTERS:
        assert repr(imp.name) in err


def test_registry_names_are_unique_and_every_importer_has_pack_and_input():
    names = [imp.name for imp in IMPORTERS]
    assert len(names) == len(set(names))
    for imp in IMPORTERS:
        parser = fake_parser()
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        ip = sub.choices["import"]
        isub = next(a for a in ip._actions if isinstance(a, argparse._SubParsersAction))
        flags = {s for a in isub.choices[imp.name]._actions for s in a.option_strings}
        assert {"--pack", "--json", *imp.pack_aliases} <= flags
        assert {o.cli for o in imp.options} <= flags


def test_generated_command_passes_options_and_prints_the_result(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text("a,1\n\nb,2\n", encoding="utf-8")
    code, out, err = run_fake(
        [
            "import",
            "lines",
            "--pack",
            str(tmp_path),
            "--txt",
            str(f),
            "--repeat",
            "x",
            "--repeat",
            "y",
        ],
        capsys,
    )
    assert code == 0 and err == ""
    assert out.splitlines()[0] == (
        f"imported 0 rows into nothing of {tmp_path} (read 2 from 1 file(s))"
    )
    assert "warning: repeat=['x', 'y']" in out


def test_generated_command_json(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text("a,1\nb,2\nc,3\n", encoding="utf-8")
    code, out, _ = run_fake(
        ["import", "lines", "--pack", str(tmp_path), "--lines", str(f), "--json"], capsys
    )
    doc = json.loads(out)
    assert code == 0
    assert doc["importer"] == "lines" and doc["read"] == 3 and doc["files"] == [str(f)]


def test_failure_names_file_and_line_and_exits_1(tmp_path, capsys):
    f = tmp_path / "bad.txt"
    f.write_text("a,1\nno comma here\n", encoding="utf-8")
    code, out, err = run_fake(
        ["import", "lines", "--pack", str(tmp_path), "--lines", str(f), "--strict"], capsys
    )
    assert code == 1 and out == ""
    assert "bad.txt: line 2: a row without a comma (expected a,b; found no comma)" in err
    assert "the pack was not changed" in err
    code, out, _ = run_fake(
        ["import", "lines", "--pack", str(tmp_path), "--lines", str(f), "--strict", "--json"],
        capsys,
    )
    doc: dict[str, Any] = json.loads(out)
    assert code == 1 and doc["ok"] is False
    assert doc["where"] == "line 2" and doc["file"] == str(f)


def test_stray_low_level_errors_become_importer_errors_naming_the_file(tmp_path, capsys):
    f = tmp_path / "latin1.txt"
    f.write_bytes("Straße,1\n".encode("latin-1"))
    code, _, err = run_fake(["import", "lines", "--pack", str(tmp_path), "--lines", str(f)], capsys)
    assert code == 1
    assert "latin1.txt: byte 4: the file is not in the expected text encoding" in err
    code, _, err = run_fake(
        ["import", "lines", "--pack", str(tmp_path), "--lines", str(tmp_path / "gone.txt")], capsys
    )
    assert code == 1 and "gone.txt: file not found" in err


def test_main_entry_point_runs_a_registered_importer(tmp_path, capsys):
    code = main(
        [
            "import",
            IMPORTERS[0].name,
            "--pack",
            str(tmp_path / "p"),
            *_required_dummies(IMPORTERS[0], tmp_path),
        ]
    )
    assert code == 1  # the input files do not exist
    assert "import failed; the pack was not changed" in capsys.readouterr().err
    assert not (tmp_path / "p").exists()


def _required_dummies(imp: Importer, tmp_path: Path) -> list[str]:
    argv: list[str] = []
    for opt in imp.options:
        if opt.required:
            value = str(tmp_path / f"missing-{opt.name}") if opt.input else "x"
            if opt.choices:
                value = str(opt.choices[0])
            argv += [opt.cli, value]
    return argv


def test_registry_get_names_the_valid_choices():
    from data.importers.registry import get

    assert get("census") is next(i for i in IMPORTERS if i.name == "census")
    with pytest.raises(KeyError, match="no importer 'gtfs'; choose one of districts, counts"):
        get("gtfs")


def test_only_the_import_command_loads_the_importer_modules(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from cli.main import main; "
        "rc = main(['validate', sys.argv[1]]); "
        "print(rc, 'data.importers.registry' in sys.modules, 'data.importers.rasters' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "none")],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        timeout=120,
    )
    assert out.stdout.split()[-3:] == ["1", "False", "False"], out.stderr


def test_forecast_reads_counts_with_the_same_dst_policies():
    args = build_parser(()).parse_args(
        [
            "forecast",
            "backtest",
            "--counts",
            "c.csv",
            "--format",
            "long",
            "--ambiguous",
            "sum",
            "--nonexistent",
            "drop",
        ]
    )
    from cli.counts import counts_options

    assert counts_options(args)["ambiguous"] == "sum"
    assert counts_options(args)["nonexistent"] == "drop"
    with pytest.raises(SystemExit):
        build_parser(()).parse_args(
            ["forecast", "backtest", "--counts", "c.csv", "--format", "long", "--ambiguous", "x"]
        )
