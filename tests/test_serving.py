"""Serving for real: body size limit, unknown paths, asset headers, settings, and the two
servers (gunicorn by default, Werkzeug for development) started as a person would."""

from __future__ import annotations

import gzip
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dashboard.settings import Settings, default_workers

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def client(demo_ctx):
    from dashboard.app import create_app

    return create_app(demo_ctx.settings, context=demo_ctx, start_jobs=False).server.test_client()


def test_a_body_over_the_limit_answers_413_and_one_under_it_is_read(client):
    big = b'{"output": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    response = client.post("/_dash-update-component", data=big, content_type="application/json")
    assert response.status_code == 413
    small = client.post("/_dash-update-component", data=b"{}", content_type="application/json")
    assert small.status_code != 413


@pytest.mark.parametrize("path", ["/.env", "/admin", "/wp-login.php", "/karte/../../etc/passwd"])
def test_unknown_paths_answer_404_with_the_app_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert 'id="_dash-config"' in response.get_data(as_text=True)  # the router shows "not found"


def test_every_registered_page_and_alias_answers_200(client):
    from dashboard.pages.registry import PAGES

    for page in PAGES:
        for path in page.paths:
            assert client.get(path).status_code == 200, path
            if path != "/":
                assert client.get(path + "/").status_code == 200, path


def test_assets_are_compressed_and_cached_when_stamped(client):
    html = client.get("/").get_data(as_text=True)
    stamped = re.search(r'src="(/assets/allmende\.js\?m=[^"]+)"', html)
    assert stamped is not None
    response = client.get(stamped.group(1), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    body = gzip.decompress(response.data)
    assert b"allmende" in body.lower() and len(response.data) < len(body)
    unstamped = client.get("/assets/allmende.js")
    assert "immutable" not in unstamped.headers.get("Cache-Control", "")


def test_settings_for_the_server_from_the_environment():
    s = Settings.from_env(
        {"ALLMENDE_WORKERS": "3", "ALLMENDE_THREADS": "4", "ALLMENDE_MAX_BODY": "2048"}
    )
    assert (s.workers, s.threads, s.max_body, s.worker_count()) == (3, 4, 2048, 3)
    assert Settings().worker_count() == default_workers()
    assert [default_workers(n) for n in (1, 2, 4, 64)] == [2, 2, 4, 8]
    with pytest.raises(ValueError, match="ALLMENDE_WORKERS must be a whole number, got 'many'"):
        Settings.from_env({"ALLMENDE_WORKERS": "many"})
    with pytest.raises(ValueError, match="workers must be 1–64, got 0"):
        Settings(workers=0)
    with pytest.raises(ValueError, match="max_body must be 1 KiB"):
        Settings(max_body=10)


# --- the servers, as processes ----------------------------------------------------------------


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(cmd: list[str], pack: Path, tmp_path: Path) -> tuple[subprocess.Popen[str], str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALLMENDE_")}
    env["ALLMENDE_CACHE_DIR"] = str(tmp_path / "cache")
    port = _port()
    proc = subprocess.Popen(
        [*cmd, "--port", str(port), "--pack", str(pack)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.communicate()[1]}")
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            return proc, base
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError("server did not answer within 90 s")


def _stop(proc: subprocess.Popen[str]) -> str:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
    return err


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(x) for x in out.stdout.split()]


@pytest.mark.slow
def test_allmende_serve_runs_gunicorn_with_workers_and_no_version_header(tiny_pack_dir, tmp_path):
    exe = Path(sys.executable).parent / "allmende"
    proc, base = _start(
        [str(exe), "serve", "--workers", "2", "--threads", "2"], tiny_pack_dir, tmp_path
    )
    try:
        with urllib.request.urlopen(base + "/") as response:
            assert response.headers["Server"] == "gunicorn"  # no version
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(base + "/.env")
        assert missing.value.code == 404
        assert len(_children(proc.pid)) == 2  # the master forked two workers
    finally:
        err = _stop(proc)
    assert "production server (gunicorn): 2 workers × 2 threads" in err


@pytest.mark.slow
def test_python_app_py_is_the_development_server_and_says_so(tiny_pack_dir, tmp_path):
    proc, base = _start([sys.executable, "app.py", "--debug"], tiny_pack_dir, tmp_path)
    try:
        with urllib.request.urlopen(base + "/") as response:
            server = response.headers["Server"]
    finally:
        err = _stop(proc)
    assert "Werkzeug" not in server and "Python" not in server
    assert "development server (Werkzeug)" in err
    assert "never let it face the public" in err


def test_the_page_is_rendered_once_and_served_encoded_with_an_etag(client):
    import brotli

    plain = client.get("/", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    html = plain.data
    gz = client.get("/hitze", headers={"Accept-Encoding": "gzip"})
    br = client.get("/embed", headers={"Accept-Encoding": "gzip, br"})
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == html
    assert br.headers["Content-Encoding"] == "br" and brotli.decompress(br.data) == html
    assert gz.headers["Vary"] == "Accept-Encoding" and gz.headers["ETag"] == plain.headers["ETag"]
    again = client.get("/", headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    missing = client.get("/nope", headers={"If-None-Match": plain.headers["ETag"]})
    assert missing.status_code == 404 and missing.data == html


def test_app_start_removes_a_killed_imports_staging_folder(tiny_pack_dir, tmp_path, caplog):
    import shutil

    from dashboard.context import AppContext

    pack = Path(shutil.copytree(tiny_pack_dir, tmp_path / "city"))
    stale = tmp_path / ".city.staging-999999-abc"  # a process id that does not run
    shutil.copytree(pack, stale)
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    with caplog.at_level("WARNING", logger="allmende"):
        AppContext.from_settings(Settings(pack=pack, forecasts=False))
    assert not stale.exists()
    assert any(str(stale) in r.getMessage() for r in caplog.records)
