"""The shared test helpers of tests/conftest.py: the real-data folder and the folder hash."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import in_ci, pack_hash, real_path


@pytest.mark.parametrize("value", ["", "0", "false", "no"])
def test_missing_real_data_skips_outside_ci(monkeypatch, tmp_path, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.skip.Exception, match="not present"):
        real_path("jena_climate/missing.txt", root=tmp_path / "real")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match=r"missing\.txt"):
        real_path("jena_climate/missing.txt", root=tmp_path / "real")


@pytest.mark.parametrize("value", ["true", "1", "yes"])
def test_missing_real_data_fails_in_ci(monkeypatch, tmp_path, value):
    monkeypatch.setenv("CI", value)
    assert in_ci()
    with pytest.raises(pytest.fail.Exception, match="CI always has") as err:
        real_path("jena_climate/missing.txt", root=tmp_path / "real")
    assert "jena_climate/missing.txt" in str(err.value)


@pytest.mark.parametrize("ci", [None, "true"])
def test_present_real_data_is_returned(monkeypatch, tmp_path, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "real" / "sub" / "a.csv").write_text("x\n", encoding="utf-8")
    assert real_path("sub/a.csv", root=tmp_path / "real") == tmp_path / "real" / "sub" / "a.csv"
    assert real_path(Path("sub"), root=tmp_path / "real").is_dir()


def test_tests_using_real_data_are_marked(request, real_data):
    # asking for the fixture is enough to carry the marker (-m "not realdata" leaves them out)
    assert request.node.get_closest_marker("realdata") is not None
    assert real_data is real_path


def test_pack_hash_sees_every_byte_and_path(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_bytes(b"one")
    (tmp_path / "sub" / "b.bin").write_bytes(b"\x00\x01")
    first = pack_hash(tmp_path)
    assert sorted(first) == ["a.txt", "sub/b.bin"]
    assert pack_hash(tmp_path) == first
    (tmp_path / "sub" / "b.bin").write_bytes(b"\x00\x02")
    assert pack_hash(tmp_path)["sub/b.bin"] != first["sub/b.bin"]
    (tmp_path / "sub" / "b.bin").write_bytes(b"\x00\x01")
    (tmp_path / "sub" / "c").write_bytes(b"")
    assert pack_hash(tmp_path) != first  # a new empty file counts
