"""A city pack from real open data only, built through the command line alone, then served.

The real Jena statistical districts with their statistics (2017), the Zensus 2011 1 km grid
(``census_grid`` and, spread onto the pack's grid, ``grid:population``), the DWD station
record of Jena-Sternwarte and the real hystreet counts of Moers (three monthly exports)
imported with Moers's own calendar (North Rhine-Westphalia: school holidays 2022 from a
calendar file, public holidays of DE-NW, Europe/Berlin). Then ``allmende validate`` passes,
the app built on the pack answers every page, and every layer whose data the pack has draws:
the districts and statistics, the population grid and both footfall layers among them.

The hystreet export carries no coordinates. No Jena hourly counts are published
(SOURCES.md), so the Moers counts stand in for the city's: their real position (Moers
Steinstraße) lies outside Jena and is refused, and they are placed with ``--sites`` at a
stand-in position, the representative point of the statistical district Jena-Zentrum, given
as x/y in EPSG:25832. No forecasts (the service is off), so it stays short.
"""

from __future__ import annotations

import gzip
import io
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image

from cli.main import main
from data.pack import load_pack
from data.pack_calendar import pack_calendar
from tests.conftest import pack_hash

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

STATBEZ = "jena_boundaries/jena_statistische_bezirke_41.geojson"
STATS = "jena_statistics/jena_statbez_indicators_2007_2017.csv"
CENSUS = "jena_census/zensus2011_1km_spitze_werte_jena_bbox.csv"
DWD = "jena_climate/dwd_02444_jena_sternwarte_produkt_klima_tag_20180704_20200104.txt"
MOERS = "pedestrian_counts/moers_hystreet_csv_export"
MONTHS = ("mai", "juni", "juli")
#: Moers Steinstraße, where hystreet counts (location 411): outside Jena's bounding box.
MOERS_LON, MOERS_LAT = 6.6287, 51.4516
#: The site id the importer gives the Moers export (the slug of its "Lage" column).
MOERS_SITE = "steinstrasse-moers"

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
    _run(
        *_moers_counts(real_data),
        *("--out", pack, "--tz", "Europe/Berlin", "--country", "DE", "--subdiv", "NW"),
        *("--calendar", calendar, "--sites", _stand_in_site(real_data(STATBEZ), tmp)),
        *("--source-crs", "EPSG:25832"),
    )
    return pack


def _moers_counts(real_data: Callable[[str], Path]) -> list[str | Path]:
    files = [real_data(f"{MOERS}/besucherzahlen-moers-{m}-2022-stundlich.csv") for m in MONTHS]
    return [
        *("import", "counts", "--format", "hystreet"),
        *(word for path in files for word in ("--counts", path)),
    ]


def _stand_in_site(boundaries: Path, tmp: Path) -> Path:
    """A sites file placing the Moers counts at the representative point of Jena-Zentrum."""
    districts = gpd.read_file(boundaries).to_crs("EPSG:25832")
    zentrum = districts.loc[districts["statbez_name"] == "Jena-Zentrum", "geometry"]
    point = zentrum.iloc[0].representative_point()
    path = tmp / "sites.csv"
    path.write_text(
        "site_id;name;x;y\n"
        f"{MOERS_SITE};Steinstraße, Moers (Lage ersatzweise: Jena-Zentrum);"
        f"{point.x:.1f};{point.y:.1f}\n",
        encoding="utf-8",
    )
    return path


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
    assert {"footfall_counts", "footfall_sites", "calendar", "grid"} <= checked


def test_the_census_reaches_the_grid(city: Path) -> None:
    """The census population is on the pack's grid: persons conserved inside the grid."""
    pack = load_pack(city)
    cells = pack.vector("census_grid")
    grid = pack.raster("grid")
    on_grid = float(grid["population"].sum())
    assert grid["population"].attrs["source_dataset"] == "census_grid"
    assert grid["population"].attrs["source_resolution_m"] == 1000
    # cells touching the bbox reach beyond the grid's edge: at most what they hold is lost
    assert 0.9 * float(cells["population"].sum()) < on_grid <= float(cells["population"].sum())


def test_the_moers_position_is_refused_for_jena(
    city: Path, real_data: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before = pack_hash(city)
    code = main(
        [
            *map(str, _moers_counts(real_data)),
            *("--pack", str(city), "--site-lon", str(MOERS_LON), "--site-lat", str(MOERS_LAT)),
        ]
    )
    assert code == 1
    assert "lies outside the city's bounding box" in capsys.readouterr().err
    assert pack_hash(city) == before


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
    assert {"districts", "population-grid", "footfall-sites", "footfall-heatmap"} <= set(drawn)


def test_the_population_grid_and_footfall_draw(client: Any) -> None:
    """The census and the counts reach the map: pixels in the image, features in GeoJSON."""
    png = Image.open(io.BytesIO(client.get("/layers/population-grid.png").data))
    alpha = np.asarray(png.convert("RGBA"))[..., 3]
    assert (alpha > 0).sum() > 100  # about 150 inhabited 1 km cells over Jena
    heat = Image.open(io.BytesIO(client.get("/layers/footfall-heatmap.png").data))
    assert (np.asarray(heat.convert("RGBA"))[..., 3] > 0).any()
    moved = client.get("/layers/footfall-sites.geojson")
    resp = client.get(moved.headers["Location"]) if moved.status_code == 302 else moved
    features = json.loads(_body(resp))["features"]
    assert [f["properties"]["site_id"] for f in features] == [MOERS_SITE]


def test_the_districts_draw_the_real_statistics(city: Path, client: Any) -> None:
    """The district layer's features carry the imported 2017 figures."""
    moved = client.get("/layers/districts.geojson")
    resp = client.get(moved.headers["Location"]) if moved.status_code == 302 else moved
    features = json.loads(_body(resp))["features"]
    assert len(features) == 41
    drawn = {f["properties"]["district_id"]: f["properties"] for f in features}
    stats = load_pack(city).vector("districts").set_index("district_id")
    for district_id, row in stats.iterrows():
        assert drawn[str(district_id)]["population"] == row["population"]
        share = row["pop_65plus"] / row["population"] if row["population"] else None
        if share is not None:
            assert drawn[str(district_id)]["share_65plus"] == pytest.approx(share, abs=1e-4)
    total = int(stats["population"].sum())
    assert 100_000 < total < 115_000  # Jena had about 108,000 residents (main home) in 2017


def test_the_heat_page_shows_the_station_record(client: Any) -> None:
    """The pack has a station record but no heat grid: the page shows the station trend."""
    from dashboard.callbacks.router import render

    ctx = client.application.config["ALLMENDE_CONTEXT"]
    layout, _title = render(ctx, "/hitze", "?lang=en")
    text = json.dumps(layout.to_plotly_json(), default=str)
    assert "tropical nights" in text.lower()
