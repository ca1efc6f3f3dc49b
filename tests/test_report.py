"""The council report (dashboard/report.py, ``allmende scenario report``): one HTML file that
opens without a network, with maps, legends, scale bars, KPIs, the model card and sources."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from dashboard import report
from dashboard import scenario_state as ss
from dashboard.scenario_service import ScenarioService

TREES = {"kind": "canopy", "districts": ["Neulobeda"], "percent": 10}
SPEC = 'name = "Bäume"\nhorizon = "today"\n[[interventions]]\nkind = "canopy"\n' \
    'districts = ["Neulobeda"]\npercent = 10\n'  # fmt: skip


@pytest.fixture(scope="module")
def service(demo_pack: Any, heat_model: Any) -> ScenarioService:
    made = ScenarioService(demo_pack, None)
    made.use(heat_model)
    return made


@pytest.fixture(scope="module")
def page(service: ScenarioService) -> str:
    state, msg = ss.add(ss.default_state(), "b", TREES, service.pack)
    assert not msg.error
    outlines = report.district_outlines(service.pack)
    return report.build(service, state["a"], state["b"], outlines, "de", dt.date(2026, 12, 3))


def test_the_report_is_self_contained(page: str) -> None:
    # nothing is fetched: no external scripts, styles, images or fonts
    assert not re.search(r"""(src|href)=["'](https?:)?//""", page)
    assert "<script" not in page
    assert page.count('href="data:image/png;base64,') == 3  # A, B and the difference


def test_the_report_says_what_it_is(page: str, service: ScenarioService) -> None:
    assert "<h1>Ratsbericht: Neues Szenario gegenüber Ausgangslage</h1>" in page
    assert "Demo-Daten (synthetisch)" in page and service.pack.synthetic
    assert "keine physikalische Simulation" in page and "± 0,76 K" in page
    assert "Baumkronen +10 Pp.: Neulobeda" in page and "Erstellt am 2026-12-03" in page


def test_every_map_has_its_legend_and_scale_bar(page: str) -> None:
    figures = re.findall(r"<figure>(.*?)</figure>", page, re.S)
    assert len(figures) == 3
    for figure in figures:
        assert "<svg" in figure and "<polygon" in figure  # districts over the picture
        assert re.search(r"<text[^>]*>\d+ k?m</text>", figure)  # the scale bar's label
        assert 'class="legend"' in figure and "linear-gradient" in figure
    assert (
        "Änderung der Oberflächentemperatur B − A, K" in figures[2]
        and "kühler" in figures[2]
        and "Oberflächentemperatur" in figures[0]
    )


def test_the_kpis_and_sources_are_in_the_report(page: str, service: ScenarioService) -> None:
    row = re.search(r'<tr data-kpi="hot_all">(.*?)</tr>', page, re.S)
    assert row is not None and "besser" in row.group(1) and "Personen" in row.group(1)
    assert (
        "<h2>Modellkarte des Wärmemodells</h2>" in page
        and "Räumliche Kreuzvalidierung (Blöcke" in page
    )
    for ds in ("grid", "districts"):
        assert service.pack.dataset(ds).licence in page


@pytest.mark.parametrize(("km", "px"), [(10.0, 640), (3.0, 640), (0.4, 640)])
def test_a_scale_bar_is_a_round_length_of_its_pixels(km: float, px: int) -> None:
    # a map ``km`` wide at 50.9° N
    lat = 50.9
    width_deg = km * 1000 / (111_320 * 0.6305)
    length, bar_px = report.scale_bar([[lat - 0.01, 11.5], [lat + 0.01, 11.5 + width_deg]], px)
    assert str(int(length))[0] in "125" and set(str(int(length))[1:]) <= {"0"}
    assert abs(bar_px / px - length / (km * 1000)) < 0.02  # the bar is that share of the width
    assert px / 8 <= bar_px <= px / 4 + 1


def test_the_cli_writes_html_and_a_pdf(
    tmp_path: Path, demo_pack_dir: Path, heat_model_cache: Path, capsys: Any
) -> None:
    from cli.main import main

    spec = tmp_path / "trees.toml"
    spec.write_text(SPEC, encoding="utf-8")
    out, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    args = ["scenario", "report", "--pack", str(demo_pack_dir), "--spec", str(spec),
            "--out", str(out), "--cache-dir", str(heat_model_cache), "--lang", "en"]  # fmt: skip
    if report.chromium() is None:
        assert main([*args, "--pdf", str(pdf)]) == 1
        assert "no Chromium found" in capsys.readouterr().err
        pytest.skip("no Chromium here: the HTML is tested, the PDF says what is missing")
    assert main([*args, "--pdf", str(pdf)]) == 0
    assert "Council report: Bäume against Baseline" in out.read_text(encoding="utf-8")
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000
    assert main(["scenario", "report", "--pack", str(demo_pack_dir), "--id", "7",
                 "--out", str(out)]) == 1  # fmt: skip
    assert "needs the scenario database" in capsys.readouterr().err
