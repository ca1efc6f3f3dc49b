"""Load: many viewers at once, under the development server and the production server.

``python bench/load.py [--viewers 50] [--seconds 60] [--downloads 4]`` (not a test: it prints
figures and asserts nothing). In one run, for each server in turn — Werkzeug
(``python app.py``) and gunicorn (``allmende serve``) on the demo pack, forecasts off so
that no background fitting competes for the processors:

1. **viewers**: ``--viewers`` threads, each with its own keep-alive connection, loop for
   ``--seconds``: ``GET /``, ``GET /embed``, and the restyle callback (the renderer's own
   request body, cycling through variables, schemes and class counts). Printed per request
   kind: count, p50/p95/p99 latency, errors (any status other than 200, any exception).
2. **downloads**: ``--downloads`` threads fetch the largest CSV download again and again
   (without revalidation) while one viewer measures ``GET /``; then the server idles 5 s.

Server memory is the proportional set size (PSS, ``/proc/<pid>/smaps_rollup``) summed over the
server's processes, so pages that gunicorn's workers share after the fork count once, not once
per worker. The client runs on the same machine as the server and takes processor time from
it, as a reverse proxy would.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.callbacks import combos, open_app
from bench.common import ROOT, free_port, log, table

SERVERS = {
    "development (Werkzeug, python app.py)": [sys.executable, "app.py"],
    "production (gunicorn, allmende serve)": [
        str(Path(sys.executable).parent / "allmende"),
        "serve",
    ],
}


def restyle_bodies(pack: Path) -> tuple[str, list[bytes]]:
    """The callback URL and the renderer's restyle bodies for every variable × scheme × k."""
    from bench.callbacks import param_id

    dc, _ = open_app(pack)
    out = dc.restyle_key()
    bodies = []
    for combo in combos()[:30]:
        for name, value in combo.items():
            dc.store.set(param_id(name), "value", value)
        bodies.append(dc.district_payload(out, param_id("scheme")))
    return dc.url, bodies


def _pss_kib(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in text.splitlines() if line.startswith("Pss:")), 0)


def _tree(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    kids = [int(x) for x in out.stdout.split()]
    return [pid, *(p for k in kids for p in _tree(k))]


def memory_mib(pid: int) -> float:
    """PSS of the server's process tree in MiB."""
    return sum(_pss_kib(p) for p in _tree(pid)) / 1024


class Running:
    def __init__(self, cmd: list[str], pack: Path, cache: Path, log_path: Path):
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALLMENDE_")}
        env.update(ALLMENDE_CACHE_DIR=str(cache), ALLMENDE_FORECASTS="0")
        with log_path.open("ab") as out:
            self.proc = subprocess.Popen(
                [*cmd, "--port", str(self.port), "--pack", str(pack)],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                c.request("GET", "/")
                if c.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start; see {log_path}")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


Sample = tuple[str, float, bool]  # kind, seconds, ok


def _loop(
    port: int,
    until: float,
    steps: list[Callable[[http.client.HTTPConnection], tuple[str, bool]]],
    out: list[Sample],
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = 0
    while time.time() < until:
        step = steps[i % len(steps)]
        i += 1
        t0 = time.perf_counter()
        try:
            kind, ok = step(conn)
        except (OSError, http.client.HTTPException):
            kind, ok = "error", False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        out.append((kind, time.perf_counter() - t0, ok))
    conn.close()


def _get(path: str, kind: str) -> Callable[[http.client.HTTPConnection], tuple[str, bool]]:
    def step(conn: http.client.HTTPConnection) -> tuple[str, bool]:
        conn.request("GET", path, headers={"Accept-Encoding": "gzip, br"})
        r = conn.getresponse()
        r.read()
        return kind, r.status == 200

    return step


def _post(
    url: str, bodies: list[bytes]
) -> Callable[[http.client.HTTPConnection], tuple[str, bool]]:
    counter = {"i": 0}

    def step(conn: http.client.HTTPConnection) -> tuple[str, bool]:
        body = bodies[counter["i"] % len(bodies)]
        counter["i"] += 1
        conn.request(
            "POST",
            url,
            body=body,
            headers={"Content-Type": "application/json", "Accept-Encoding": "gzip, br"},
        )
        r = conn.getresponse()
        r.read()
        return "restyle callback", r.status == 200

    return step


def run_threads(
    n: int, seconds: float, port: int, make_steps: Callable[[int], list[Any]]
) -> list[Sample]:
    until = time.time() + seconds
    results: list[list[Sample]] = [[] for _ in range(n)]
    threads = [
        threading.Thread(target=_loop, args=(port, until, make_steps(i), results[i]))
        for i in range(n)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [s for r in results for s in r]


def percentiles(samples: list[Sample]) -> dict[str, dict[str, float]]:
    by: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for kind, secs, ok in samples:
        by[kind].append(secs)
        errors[kind] += 0 if ok else 1
    out = {}
    for kind, xs in by.items():
        xs.sort()

        def q(p: float, xs: list[float] = xs) -> float:
            return 1000 * xs[min(len(xs) - 1, int(p * (len(xs) - 1) + 0.5))]

        out[kind] = {
            "n": len(xs),
            "p50": q(0.5),
            "p95": q(0.95),
            "p99": q(0.99),
            "errors": errors[kind],
        }
    return out


def measure(
    cmd: list[str],
    pack: Path,
    cache: Path,
    args: argparse.Namespace,
    url: str,
    bodies: list[bytes],
    tmp: Path,
) -> dict[str, Any]:
    server = Running(cmd, pack, cache, tmp / "server.log")
    try:
        time.sleep(2)
        res: dict[str, Any] = {"memory_start_mib": memory_mib(server.proc.pid)}
        log(f"  {args.viewers} viewers for {args.seconds} s")
        viewers = run_threads(
            args.viewers,
            args.seconds,
            server.port,
            lambda i: (
                [_get("/", "GET /"), _get("/embed", "GET /embed"), _post(url, bodies)][i % 3 :]
                + [_get("/", "GET /"), _get("/embed", "GET /embed"), _post(url, bodies)][: i % 3]
            ),
        )
        res["viewers"] = percentiles(viewers)
        res["viewers_rps"] = len(viewers) / args.seconds
        time.sleep(3)
        res["memory_before_downloads_mib"] = memory_mib(server.proc.pid)
        log(
            f"  {args.downloads} downloads of {args.download} with one viewer, {args.seconds // 2} s"
        )
        mixed = run_threads(
            args.downloads + 1,
            args.seconds // 2,
            server.port,
            lambda i: (
                [_get("/", "GET / (during downloads)")]
                if i == 0
                else [_get(args.download, "download")]
            ),
        )
        res["downloads"] = percentiles(mixed)
        res["memory_peak_note"] = "after"
        time.sleep(5)
        res["memory_after_downloads_mib"] = memory_mib(server.proc.pid)
        return res
    finally:
        server.stop()


def render(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    names = list(results)
    rows = []
    kinds = ["GET /", "GET /embed", "restyle callback"]
    for kind in kinds:
        for stat in ("n", "p50", "p95", "p99", "errors"):
            rows.append(
                [
                    f"{kind}: {stat}" + (" ms" if stat.startswith("p") else ""),
                    *(_cell(results[n]["viewers"].get(kind, {}).get(stat)) for n in names),
                ]
            )
    rows.append(
        ["requests per second (all kinds)", *(f"{results[n]['viewers_rps']:.0f}" for n in names)]
    )
    for kind in ("GET / (during downloads)", "download"):
        for stat in ("n", "p50", "p95", "errors"):
            rows.append(
                [
                    f"{kind}: {stat}" + (" ms" if stat.startswith("p") else ""),
                    *(_cell(results[n]["downloads"].get(kind, {}).get(stat)) for n in names),
                ]
            )
    for key, label in (
        ("memory_start_mib", "server memory (PSS) at start, MiB"),
        ("memory_before_downloads_mib", "… after the viewers, MiB"),
        ("memory_after_downloads_mib", "… 5 s after the downloads, MiB"),
    ):
        rows.append([label, *(f"{results[n][key]:.0f}" for n in names)])
    head = (
        f"Load: {args.viewers} viewers × {args.seconds} s (each: GET /, GET /embed, restyle), then "
        f"{args.downloads} concurrent downloads of {args.download} beside one viewer; "
        f"{os.cpu_count()} CPUs, client on the same machine"
    )
    return head + "\n" + table(["", *names], rows)


def _cell(v: Any) -> str:
    if v is None:
        return "—"
    return f"{v:.1f}" if isinstance(v, float) else str(v)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--viewers", type=int, default=50)
    p.add_argument("--seconds", type=int, default=60)
    p.add_argument("--downloads", type=int, default=4)
    p.add_argument("--download", default="/download/footfall_counts.csv")
    p.add_argument("--only", choices=("dev", "prod"))
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="allmende-load-") as t:
        tmp = Path(t)
        from data.demo import ensure_demo_pack

        pack = Path(ensure_demo_pack(tmp / "cache"))
        url, bodies = restyle_bodies(pack)
        results = {}
        for name, cmd in SERVERS.items():
            if args.only and not name.startswith(
                {"dev": "development", "prod": "production"}[args.only]
            ):
                continue
            log(f"{name}")
            results[name] = measure(cmd, pack, tmp / "cache", args, url, bodies, tmp)
    print(json.dumps(results, indent=2) if args.json else render(results, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
