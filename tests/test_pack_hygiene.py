"""Packs stay inside themselves and clean: dataset paths, leftovers of killed imports, torn
forecast caches (issue 13)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from data.catalog import inside_pack, path_problem
from data.importers.counts import import_counts
from data.pack import load_pack, pack_version, validate_pack
from data.writer import UNOWNED_AGE_SECONDS, remove_stale_staging, staged_pack
from models import artifacts
from tests.conftest import pack_hash
from tests.packfactory import make_pack


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return make_pack(tmp_path / "pack")


def _set_path(folder: Path, ds_id: str, new: str) -> None:
    toml = folder / "city.toml"
    text = toml.read_text(encoding="utf-8")
    old = f'path = "{ds_id}.geojson"' if ds_id != "grid" else 'path = "grid.nc"'
    assert old in text
    toml.write_text(text.replace(old, f"path = {new!r}".replace("'", '"'), 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("/etc/passwd", "is absolute"),
        ("../outside.geojson", "leaves the pack folder"),
        ("sub/../../outside.geojson", "leaves the pack folder"),
    ],
)
def test_a_path_outside_the_pack_fails_validation(pack: Path, path: str, why: str) -> None:
    outside = pack.parent / "outside.geojson"
    outside.write_bytes((pack / "river.geojson").read_bytes())
    _set_path(pack, "river", path)
    report = validate_pack(pack)
    problems = [p.message for p in report.problems if p.dataset == "river"]
    assert problems and why in problems[0] and path in problems[0]
    assert not report.ok


def test_a_symlink_out_of_the_pack_is_refused_and_never_read(pack: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.geojson"
    secret.write_bytes((pack / "river.geojson").read_bytes())
    (pack / "river.geojson").unlink()
    (pack / "river.geojson").symlink_to(secret)
    report = validate_pack(pack)
    problems = [p.message for p in report.problems if p.dataset == "river"]
    assert problems and "outside the pack folder" in problems[0]
    assert inside_pack(pack, "river.geojson") is None
    # the pack's version does not depend on the file outside
    from data.catalog import read_catalog

    before = pack_version(pack, read_catalog(pack))
    secret.write_text("changed", encoding="utf-8")
    assert pack_version(pack, read_catalog(pack)) == before
    # a write keeps the link a link (its target is not copied in), so the result is refused
    with pytest.raises(ValueError, match="outside the pack folder"), staged_pack(pack):
        pass


def test_path_rules() -> None:
    assert path_problem("districts.geojson") is None
    assert path_problem("sub/grid.nc") is None
    assert "absolute" in (path_problem("C:\\data\\x.csv") or "")
    assert "leaves" in (path_problem("..\\x.csv") or "")
    assert path_problem(".") is not None


def _old(path: Path, seconds: float) -> None:
    when = time.time() - seconds
    for p in (*path.rglob("*"), path):
        os.utime(p, (when, when), follow_symlinks=False)


def _dead_pid() -> int:
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(proc.stdout)


def test_a_killed_imports_staging_is_gone_after_the_next_import(pack: Path, tmp_path: Path) -> None:
    unowned = pack.parent / ".pack.staging-k1ll3d"
    unowned.mkdir()
    (unowned / "city.toml").write_text("half", encoding="utf-8")
    _old(unowned, UNOWNED_AGE_SECONDS + 60)
    dead = pack.parent / f".pack.staging-{_dead_pid()}-abc"
    dead.mkdir()
    (dead / "grid.nc").write_bytes(b"half")
    counts = tmp_path / "c.csv"
    counts.write_text("site,time,count\na,2024-05-01T10:00:00+02:00,5\n", encoding="utf-8")
    reports = import_counts([counts], "long", pack, licence="x", attribution="y")
    assert not unowned.exists() and not dead.exists()
    said = [w for w in reports[-1].warnings if "did not finish" in w]
    assert len(said) == 2 and any(str(unowned) in w for w in said)
    assert sorted(p.name for p in pack.parent.iterdir() if p.name.startswith(".")) == []


def test_a_staging_in_use_is_never_removed(pack: Path) -> None:
    fresh = pack.parent / ".pack.staging-fresh01"  # no owner, but written to just now
    fresh.mkdir()
    mine = pack.parent / f".pack.staging-{os.getpid()}-xyz"  # this process, however old
    mine.mkdir()
    _old(mine, 10 * 24 * 3600)
    other = pack.parent / ".other.staging-zzz"  # another pack's
    other.mkdir()
    _old(other, UNOWNED_AGE_SECONDS + 60)
    before = pack_hash(pack)
    assert remove_stale_staging(pack) == []
    assert fresh.exists() and mine.exists() and other.exists()
    assert pack_hash(pack) == before


def test_a_pack_moved_aside_by_a_cut_swap_is_restored(pack: Path) -> None:
    aside = pack.parent / f".pack.old-{_dead_pid()}"
    pack.rename(aside)
    lines = remove_stale_staging(pack)
    assert pack.is_dir() and not aside.exists()
    assert lines and "restored" in lines[0]
    assert load_pack(pack).city.id


# --- the forecast cache ---------------------------------------------------------------------


def _result(n: int) -> artifacts.ForecastArtifacts:
    frame = pd.DataFrame(
        {
            "site_id": ["a"] * n,
            "time": pd.date_range("2024-05-01", periods=n, freq="h", tz="UTC"),
            "p10": 1.0,
            "p50": 2.0,
            "p90": 3.0,
        }
    )
    return artifacts.ForecastArtifacts(frame, {"model": "test"}, 1.5)


def test_a_torn_forecast_cache_is_recomputed_once_and_replaced(tmp_path: Path, monkeypatch) -> None:
    counts = pd.DataFrame(
        {"site_id": ["a"], "time": [pd.Timestamp("2024-05-01", tz="UTC")], "count": [1.0]}
    )
    folder = artifacts.folder_for(tmp_path, counts)
    folder.mkdir(parents=True)
    (folder / "card.json").write_text('{"card": {"mod', encoding="utf-8")  # torn write
    (folder / "forecast.parquet").write_bytes(b"PAR1 torn")
    calls: list[int] = []

    def fake_compute(*args, **kwargs):
        calls.append(1)
        return _result(3)

    monkeypatch.setattr(artifacts, "compute", fake_compute)
    first = artifacts.load_or_compute(counts, tmp_path)
    assert len(calls) == 1 and len(first.forecast) == 3
    stored = artifacts.load(folder)
    assert stored is not None and stored.card == {"model": "test"}
    second = artifacts.load_or_compute(counts, tmp_path)
    assert len(calls) == 1 and len(second.forecast) == 3  # read from disk, not recomputed
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]  # no temporary left


def test_a_readable_forecast_cache_is_kept(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    artifacts.store(_result(2), folder)
    artifacts.store(_result(5), folder)  # another process finished first: keep its result
    loaded = artifacts.load(folder)
    assert loaded is not None and len(loaded.forecast) == 2
