"""Scenario page through the app: from a changed intervention to updated KPIs and maps.

Figures printed (not timed tests), in-process through Flask's test client, on the Jena demo
pack (1×) and on a copy whose grid has 4× the cells (``bench.scenario.pack_copy``):

* **model**: ``models.heat_response.load_or_fit`` into an empty cache folder (fit), then again
  (load); the app's ``ScenarioService`` then ``use``s the model;
* **edit**: ``on_edit`` POSTed to ``/_dash-update-component`` as dash-renderer sends it when
  "add" is clicked: canopy +k percentage points (k = 3, 4, …) in one district (round robin
  over the form's districts) added to B, baseline A; every run a new scenario B;
* **(a) compare**: ``on_compare`` with the store the edit answered (KPIs, tables, image
  addresses); **(b) images**: GET of the B ``lst.png`` and ``diff.png`` addresses it names.
  A's address is the same every run, so the browser keeps it (immutable): it is fetched on
  the first (cold) run only, which is reported apart and not in the statistics;
* **cached**: the same B again right after (a and b; all from the service's caches);
* **payload**: the compare answer (decoded JSON, gzip, and as sent for the browser's
  ``Accept-Encoding``) and each PNG's bytes (medians over the runs).

Run: ``.venv/bin/python -m bench.scenario_callback [--runs 10] [--scales 1,4]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import fmt_bytes, fmt_ms, log, machine, summary, table
from bench.drawn_callback import _concrete, post
from bench.scenario import pack_copy, timed


def callback_key(app: Any, first_output: str) -> str:
    for key in app.callback_map:
        if key.startswith(f"..{first_output}..."):
            return str(key)
    raise KeyError(f"no callback writes {first_output}")


def body(app: Any, key: str, values: dict[tuple[str, str], Any], changed: str) -> bytes:
    """The renderer's body for callback ``key``: each input and state from ``values`` (None
    when not there; no remove buttons listed), ``changed`` the prop id that fired."""
    cb = app.callback_map[key]

    def items(deps: list[dict[str, str]]) -> list[Any]:
        out: list[Any] = []
        for dep in deps:
            multi, comps = _concrete(dep["id"])
            got = [
                {"id": c, "property": dep["property"], "value": values.get((c, dep["property"]))}
                for c in comps
            ]
            out.append(got if multi else got[0])
        return out

    parts = [p.rpartition(".") for p in key[2:-2].split("...")]
    outputs = [{"id": component, "property": prop} for component, _, prop in parts]
    doc = {"output": key, "outputs": outputs, "inputs": items(cb["inputs"]),
           "state": items(cb["state"]), "changedPropIds": [changed]}  # fmt: skip
    return json.dumps(doc).encode()


def get(client: Any, url: str) -> tuple[float, int]:
    if not url.startswith("/scenario/"):
        raise RuntimeError(f"not an image address: {url[:80]}")
    start = time.perf_counter()
    resp = client.get(url)
    data = resp.get_data()
    elapsed = time.perf_counter() - start
    if resp.status_code != 200 or resp.mimetype != "image/png":
        raise RuntimeError(f"{url[:60]} answered {resp.status_code}: {data[:200]!r}")
    return elapsed, len(data)


def compare(client: Any, payload: bytes) -> tuple[Any, ...]:
    """(a) the compare callback, (b) GET of B's lst.png and diff.png it names: seconds of
    each, the decoded answer, wire bytes, encoding, the outputs and the two PNGs' bytes."""
    from dashboard import ids

    a_s, raw, wire, enc = post(client, payload)
    out = json.loads(raw)["response"]
    got = [get(client, out[img]["url"]) for img in (ids.SCN_IMG_B, ids.SCN_IMG_DIFF)]
    return a_s, sum(g[0] for g in got), raw, wire, enc, out, [g[1] for g in got]


def run_scale(folder: Path, factor: int, runs: int, tmp: Path) -> dict[str, Any]:
    from dashboard import ids
    from dashboard import scenario_state as ss
    from dashboard.app import create_app
    from dashboard.context import AppContext
    from dashboard.pages.scenario_page import district_options
    from dashboard.settings import Settings
    from data.pack import load_pack
    from models.heat_response import load_or_fit

    pack = load_pack(folder)
    cache = tmp / f"cache-{factor}x"
    log(f"{factor}×: fit and load")
    fit_s, _m = timed(lambda: load_or_fit(pack, cache))
    load_s, model = timed(lambda: load_or_fit(pack, cache))
    settings = Settings(pack=folder, forecasts=False, cache_dir=cache)
    ctx = AppContext(settings, pack)
    assert ctx.scenarios is not None
    ctx.scenarios.use(model)
    app = create_app(settings, context=ctx, start_jobs=False)
    client = app.server.test_client()
    edit_key = callback_key(app, ids.SCN_STORE + ".data")
    cmp_key = callback_key(app, ids.SCN_STATUS + ".children")
    districts = [o["value"] for o in district_options(ctx)]
    start_state = ss.default_state("de")
    t: dict[str, list[float]] = {k: [] for k in ("edit", "a", "b", "ab", "ca", "cb", "cab")}
    size: dict[str, list[int]] = {k: [] for k in ("raw", "gzip", "wire", "lst", "diff")}
    url_a: set[str] = set()
    cold: dict[str, float] = {}
    encodings: set[str] = set()
    log(f"{factor}×: {runs} + 1 runs")
    for i in range(runs + 1):
        values = {(ids.SCN_ADD, "n_clicks"): i + 1, (ids.SCN_SLOT, "value"): "b",
                  (ids.SCN_NAME, "value"): start_state["b"]["name"],
                  (ids.SCN_HORIZON, "value"): "today", (ids.SCN_STORE, "data"): start_state,
                  (ids.SCN_KIND, "value"): "canopy", (ids.SCN_AMOUNT, "value"): 3 + i,
                  (ids.SCN_DISTRICTS, "value"): [districts[i % len(districts)]],
                  (ids.LANG_STORE, "data"): "de"}  # fmt: skip
        edit_body = body(app, edit_key, values, ids.SCN_ADD + ".n_clicks")
        edit_s, edit_raw, _w, _e = post(client, edit_body)
        store = json.loads(edit_raw)["response"][ids.SCN_STORE]["data"]
        if len(store["b"]["interventions"]) != 1:
            raise RuntimeError(f"edit refused: {edit_raw[:300]!r}")
        values[(ids.SCN_STORE, "data")] = store
        cmp_body = body(app, cmp_key, values, ids.SCN_STORE + ".data")

        a_s, b_s, raw, wire, enc, out, pngs = compare(client, cmp_body)
        url_a.add(out[ids.SCN_IMG_A]["url"])
        if i == 0:  # cold: A's result and image too
            a_img_s, a_png = get(client, out[ids.SCN_IMG_A]["url"])
            cold = {"edit": edit_s, "a": a_s, "b": b_s, "img_a": a_img_s, "png_a": a_png}
            continue
        ca_s, cb_s, *_rest = compare(client, cmp_body)
        for key, value in (("edit", edit_s), ("a", a_s), ("b", b_s), ("ab", a_s + b_s),
                           ("ca", ca_s), ("cb", cb_s), ("cab", ca_s + cb_s)):  # fmt: skip
            t[key].append(value)
        for key, n in (("raw", len(raw)), ("gzip", len(gzip.compress(raw))), ("wire", wire),
                       ("lst", pngs[0]), ("diff", pngs[1])):  # fmt: skip
            size[key].append(n)
        encodings.add(enc or "identity")
    shape = pack.raster("grid")["lst_day"].shape
    return {"factor": factor, "cells": f"{shape[0]}×{shape[1]} = {shape[0] * shape[1]:,}",
            "fit_s": fit_s, "load_s": load_s, "cold": cold, "a_same": len(url_a) == 1,
            "t": {k: summary(v) for k, v in t.items()}, "encoding": ",".join(sorted(encodings)),
            "size": {k: int(statistics.median(v)) for k, v in size.items()}}  # fmt: skip


def report(figures: list[dict[str, Any]], runs: int) -> str:
    rows = [[f"{f['factor']}×", f["cells"], f"{f['fit_s']:.1f}", fmt_ms(1000 * f["load_s"])]
            for f in figures]  # fmt: skip
    lines = ["Model: load_or_fit into an empty cache folder (fit), then again (load)"]
    lines.append(table(["scale", "cells", "fit s", "load ms"], rows))
    parts = [("edit", "edit callback (add intervention to B)"),
             ("a", "(a) compare callback: KPIs, tables, image addresses"),
             ("b", "(b) GET B lst.png + diff.png"),
             ("ab", "(a)+(b) intervention to updated KPIs and maps"),
             ("ca", "cached repeat (same B): (a)"), ("cb", "cached repeat (same B): (b)"),
             ("cab", "cached repeat (same B): (a)+(b)")]  # fmt: skip
    rows = []
    for f in figures:
        for key, label in parts:
            s = f["t"][key]
            rows.append([f"{f['factor']}× {label}", s["n"], fmt_ms(s["median_ms"]),
                         fmt_ms(s["p95_ms"]), fmt_ms(s["min_ms"]), fmt_ms(s["max_ms"])])  # fmt: skip
    lines += ["", f"Server time per request, {runs} new scenarios B (ms)"]
    lines.append(table(["scale / step", "n", "median", "p95", "min", "max"], rows))
    rows = [
        [f"{f['factor']}×", fmt_ms(1000 * f["cold"]["edit"]), fmt_ms(1000 * f["cold"]["a"]),
         fmt_ms(1000 * f["cold"]["b"]), fmt_ms(1000 * f["cold"]["img_a"]),
         "no (same address every run)" if f["a_same"] else "yes (address changed)"]
        for f in figures
    ]  # fmt: skip
    lines += ["", "First (cold) run, not in the statistics (ms); A's image fetched once"]
    lines.append(table(["scale", "edit", "(a)", "(b)", "GET A lst.png", "A re-fetched"], rows))
    rows = [
        [f"{f['factor']}×", fmt_bytes(f["size"]["raw"]), fmt_bytes(f["size"]["gzip"]),
         fmt_bytes(f["size"]["wire"]), fmt_bytes(f["cold"]["png_a"]),
         fmt_bytes(f["size"]["lst"]), fmt_bytes(f["size"]["diff"])]
        for f in figures
    ]  # fmt: skip
    enc = ",".join(sorted({f["encoding"] for f in figures}))
    lines += ["", f"Payload bytes (median over runs; 'wire': as sent, Content-Encoding {enc})"]
    lines.append(table(["scale", "compare JSON", "gzip", "wire", "A lst.png", "B lst.png",
                        "diff.png"], rows))  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="new scenarios B per scale")
    parser.add_argument("--scales", default="1,4", help="grid-cell factors, e.g. 1,4")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    from data.cache import cache_dir
    from data.demo import ensure_demo_pack

    info = machine()
    source = Path(ensure_demo_pack(cache_dir(None)))
    figures = []
    with tempfile.TemporaryDirectory(prefix="allmende-bench-scncb-") as tmp_s:
        tmp = Path(tmp_s)
        for factor in scales:
            log(f"{factor}×: pack copy")
            figures.append(run_scale(pack_copy(source, factor, tmp), factor, args.runs, tmp))
    print(
        f"scenario page through the app (Jena demo pack), {time.strftime('%Y-%m-%d')}, "
        f"nproc {info['nproc']}, load {info['loadavg_start']} → {machine()['loadavg_start']}"
    )
    print(report(figures, args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
