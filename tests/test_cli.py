"""The ``allmende`` command line, run as a user runs it (a subprocess of the console script)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def allmende(*args: str, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "allmende"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "cli.main"]
    env = None
    if cache is not None:
        import os

        env = {**os.environ, "ALLMENDE_CACHE_DIR": str(cache)}
    return subprocess.run(
        [*cmd, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
    )


@pytest.mark.slow
def test_validate_accepts_a_valid_pack(tiny_pack_dir):
    out = allmende("validate", str(tiny_pack_dir))
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip().endswith("valid")
    report = json.loads(allmende("validate", str(tiny_pack_dir), "--json").stdout)
    assert report["valid"] is True and "districts" in report["datasets_checked"]


@pytest.mark.slow
def test_validate_rejects_a_broken_pack_naming_the_dataset(tiny_pack_dir, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(tiny_pack_dir, broken)
    (broken / "river.geojson").unlink()
    text = (broken / "city.toml").read_text(encoding="utf-8")
    (broken / "city.toml").write_text(text.replace('crs = "EPSG:4326"', 'crs = "EPSG:99999"', 1))
    out = allmende("validate", str(broken))
    assert out.returncode == 1
    assert "river" in out.stdout and "not found" in out.stdout
    assert "EPSG:99999" in out.stdout
    report = json.loads(allmende("validate", str(broken), "--json").stdout)
    assert report["valid"] is False
    assert {p["dataset"] for p in report["problems"]} >= {"river"}


def test_validate_missing_folder():
    out = allmende("validate", "/nonexistent/pack")
    assert out.returncode == 1 and "does not exist" in out.stdout


@pytest.mark.slow
def test_demo_builds_once_and_prints_its_folder_last(tmp_path):
    first = allmende("demo", cache=tmp_path)
    assert first.returncode == 0, first.stderr
    folder = Path(first.stdout.strip().splitlines()[-1])
    assert folder.is_dir() and (folder / "city.toml").is_file()
    assert folder.is_relative_to(tmp_path)
    stamp = (folder / "city.toml").stat().st_mtime_ns
    second = allmende("demo", cache=tmp_path)
    assert Path(second.stdout.strip().splitlines()[-1]) == folder
    assert (folder / "city.toml").stat().st_mtime_ns == stamp  # reused, not rebuilt
    assert allmende("validate", str(folder)).returncode == 0


def test_usage_error_exit_code():
    out = allmende("validate")
    assert out.returncode == 2


def test_import_districts_failure_is_reported(tmp_path):
    out = allmende(
        "import",
        "districts",
        "--boundaries",
        str(tmp_path / "missing.geojson"),
        "--stats",
        str(tmp_path / "missing.csv"),
        "--out",
        str(tmp_path / "pack"),
        "--boundary-key",
        "id",
        "--stats-key",
        "id",
        "--name-col",
        "name",
        "--column",
        "population=pop",
        "--city-name",
        "X",
    )
    assert out.returncode == 1
    assert "missing.geojson" in out.stderr or "missing.csv" in out.stderr
    assert not (tmp_path / "pack").exists()


@pytest.mark.slow
@pytest.mark.realdata
def test_import_real_jena_districts(real_data, tmp_path):
    out = allmende(
        "import",
        "districts",
        "--boundaries",
        str(real_data("jena_boundaries/jena_statistische_bezirke_41.geojson")),
        "--stats",
        str(real_data("jena_statistics/jena_statbez_indicators_2007_2017.csv")),
        "--out",
        str(tmp_path / "jena-real"),
        "--boundary-key",
        "id",
        "--stats-key",
        "statbez_id",
        "--name-col",
        "statbez_name",
        "--filter",
        "year=2017",
        "--column",
        "population=Einwohner (Hauptwohnung) insgesamt",
        "--column",
        "pop_65plus=Einwohner (HW) 65 Jahre und älter",
        "--column",
        "pop_under6=Einwohner (HW) 0 bis unter 3 Jahre + Einwohner (HW) 3 bis unter 6 Jahre",
        "--city-name",
        "Jena",
        "--metric-crs",
        "EPSG:25832",
        "--licence",
        "unknown (Stadt Jena)",
        "--attribution",
        "Stadt Jena, Fachdienst Statistik",
    )
    assert out.returncode == 0, out.stderr
    assert "41 districts" in out.stdout
    assert allmende("validate", str(tmp_path / "jena-real")).returncode == 0


def test_serve_refuses_an_invalid_pack_with_the_report(tiny_pack_dir, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(tiny_pack_dir, broken)
    (broken / "districts.geojson").write_text("{not json", encoding="utf-8")
    out = allmende("serve", "--pack", str(broken), "--port", "8099")
    assert out.returncode == 1
    assert "districts" in out.stderr and "cannot read" in out.stderr


@pytest.mark.slow
def test_app_module_exposes_server_for_gunicorn(tiny_pack_dir):
    import os

    code = "import app; s = app.server; print(type(s).__name__, s.name)"
    env = {**os.environ, "ALLMENDE_PACK": str(tiny_pack_dir)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[0] == "Flask"
