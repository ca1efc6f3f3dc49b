"""A city pack from real open data only, built through the command line alone, then served.

The real Jena statistical districts with their statistics (2017), the Zensus 2011 1 km grid,
the DWD station record of Jena-Sternwarte and the real hystreet counts of Moers (three
monthly exports) imported with Moers's own calendar (North Rhine-Westphalia: school holidays
2022 from a calendar file, public holidays of DE-NW, Europe/Berlin). Then ``allmende
validate`` passes, the app built on the pack answers every page, and every layer whose data
the pack has draws. No forecasts (the service is off), so it stays short.
"""

from __future__ import annotations

import gzip
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cli.main import main
from data.pack import load_pack
from data.pack_calendar import pack_calendar

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

STATBEZ = "jena_boundaries/jena_statistische_bezirke_41.geojson"
STATS = "jena_statistics/jena_statbez_indicators_2007_2017.csv"
CENSUS = "jena_census/zensus2011_1km_spitze_werte_jena_bbox.csv"
DWD = "jena_climate/dwd_02444_jena_sternwarte_produkt_klima_tag_20180704_20200104.txt"
MOERS = "pedestrian_counts/moers_hystreet_csv_export"
MONTHS = ("mai", "juni", "juli")

#: School holidays of North Rhine-Westphalia in 2022 (Ferienordnung NRW, as published).
NRW_2022 = """start,end,name,kind,source
2022-04-11,2022-04-23,Osterferien,school_holiday,Ferienordnung NRW (Schulministerium NRW)
2022-06-07,2022-06-07,Pfingstferien,school_holiday,Ferienordnung NRW (Schulministerium NRW)
2022-06-27,2022-08-09,Sommerferien,school_holiday,Ferienordnung NRW (Schulministerium NRW)
2022-10-04,2022-10-15,Herbstferien,school_holiday,Ferienordnung NRW (Schulministerium NRW)
"""


def _run(*words: str | Path) -> None:
    """``allmende …`` in this process; the exit status must be 0."""
    code = main([str(w) for w in words])
    assert code == 0, f"allmende {' '.join(map(str, words))} exited {code}"


@pytest.fixture(scope="module")
def city(real_data: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pack, built command by command (module scope: built once)."""
    tmp = tmp_path_factory.mktemp("real_city")
    pack = tmp / "jena"
    pack.mkdir()  # an empty folder: the first import creates the pack in it
    _run(
        *("import", "districts", "--pack", pack),
        *("--boundaries", real_data(STATBEZ), "--stats", real_data(STATS)),
        *("--filter", "year=2017", "--boundary-key", "id", "--stats-key", "statbez_id"),
        *("--name-col", "statbez_name"),
        "--column=population=Einwohner (Hauptwohnung) insgesamt",
        "--column=pop_65plus=Einwohner (HW) 65 Jahre und älter",
        "--column=pop_under6=Einwohner (HW) 0 bis unter 3 Jahre"
        " + Einwohner (HW) 3 bis unter 6 Jahre",
        *("--city-name", "Jena", "--metric-crs", "EPSG:25832"),
        *("--licence", "not stated (Stadt Jena, opendata.jena.de)", "--attribution", "Stadt Jena"),
    )
    _run("import", "census", "--pack", pack, "--file", real_data(CENSUS))
    _run("import", "climate", "--pack", pack, "--dwd", real_data(DWD))
    calendar = tmp / "ferien_nrw_2022.csv"
    calendar.write_text(NRW_2022, encoding="utf-8")
    files = [real_data(f"{MOERS}/besucherzahlen-moers-{m}-2022-stundlich.csv") for m in MONTHS]
    _run(
        *("import", "counts", "--out", pack, "--format", "hystreet"),
        *(word for path in files for word in ("--counts", path)),
        *("--tz", "Europe/Berlin", "--country", "DE", "--subdiv", "NW"),
        *("--calendar", calendar),
    )
    return pack


def test_the_pack_declares_the_counts_city_calendar(city: Path) -> None:
    declared = tomllib.loads((city / "city.toml").read_text(encoding="utf-8"))["city"]
    assert (declared["timezone"], declared["country"], declared["subdivision"]) == (
        "Europe/Berlin",
        "DE",
        "NW",
    )
    assert declared["calendars"] == ["calendar"]
    calendar = pack_calendar(load_pack(city))
    kinds = calendar.ranges
    assert len(kinds) == 4 and {r.kind for r in kinds} == {"school_holiday"}
    # Fronleichnam (16 June 2022) is a public holiday in North Rhine-Westphalia
    assert calendar.public_holiday(["2022-06-16"]).all()
    assert calendar.school_holiday(["2022-07-01"]).all()


def test_validate_passes(city: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", str(city), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    assert report["valid"] and not report["problems"] and not report["warnings"]
    checked = set(report["datasets_checked"])
    assert {"districts", "district_stats", "census_grid", "climate_daily"} <= checked
    assert {"footfall_counts", "calendar"} <= checked


@pytest.fixture(scope="module")
def client(city: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from dashboard.app import create_app
    from dashboard.settings import Settings

    cache = tmp_path_factory.mktemp("real_city_cache")
    app = create_app(Settings(pack=city, forecasts=False, cache_dir=cache), start_jobs=False)
    return app.server.test_client()


def test_every_page_answers(client: Any) -> None:
    from dashboard.pages.registry import PAGES

    for page in PAGES:
        resp = client.get(page.path)
        assert resp.status_code == 200, (page.path, resp.status_code)


def test_every_page_renders_on_the_real_pack(city: Path, client: Any) -> None:
    from dashboard.callbacks.router import render
    from dashboard.pages.registry import PAGES

    ctx = client.application.config["ALLMENDE_CONTEXT"]
    for page in PAGES:
        for lang in ("de", "en"):
            layout, _title = render(ctx, page.path, f"?lang={lang}")
            text = json.dumps(layout.to_plotly_json(), default=str)
            assert "Traceback" not in text, page.path


def _body(resp: Any) -> bytes:
    data: bytes = resp.data
    return gzip.decompress(data) if resp.headers.get("Content-Encoding") == "gzip" else data


def test_every_layer_with_its_data_draws(city: Path, client: Any) -> None:
    from layers import REGISTRY

    pack = load_pack(city)
    drawn = []
    for layer in REGISTRY:
        if not layer.available(pack):
            continue
        if layer.render == "image":
            resp = client.get(f"/layers/{layer.id}.png")
            assert resp.status_code == 200, (layer.id, resp.status_code)
            assert resp.data[:8] == b"\x89PNG\r\n\x1a\n", layer.id
            assert len(resp.data) > 100, layer.id
        else:
            moved = client.get(f"/layers/{layer.id}.geojson")
            url = moved.headers["Location"] if moved.status_code == 302 else None
            resp = client.get(url) if url else moved
            assert resp.status_code == 200, (layer.id, resp.status_code)
            doc = json.loads(_body(resp))
            assert doc["type"] == "FeatureCollection" and doc["features"], layer.id
        drawn.append(layer.id)
    assert "districts" in drawn
    # the hystreet export has no coordinates: no footfall_sites, so no footfall layers
    assert "footfall-sites" not in drawn and "footfall-heatmap" not in drawn


def test_the_heat_page_shows_the_station_record(client: Any) -> None:
    """The pack has a station record but no heat grid: the page shows the station trend."""
    from dashboard.callbacks.router import render

    ctx = client.application.config["ALLMENDE_CONTEXT"]
    layout, _title = render(ctx, "/hitze", "?lang=en")
    text = json.dumps(layout.to_plotly_json(), default=str)
    assert "tropical nights" in text.lower()
