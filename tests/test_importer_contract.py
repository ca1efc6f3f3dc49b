"""The importer contract, checked for every importer in the registry.

Like scikit-learn's ``parametrize_with_checks``: each registered importer gets the same
checks, and an importer without a case here fails :func:`test_every_importer_has_a_case`.

For every input option of every importer, three bad files — malformed, empty, and in the
wrong encoding (UTF-16 without a byte-order mark) — each give an
:class:`~data.importers.base.ImporterError` whose text names the file, and leave the pack
byte-identical. A good fixture imports, and the result's ``written`` equals what the pack
holds afterwards.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import xarray as xr
from rasterio.transform import Affine
from shapely.geometry import box

from data.catalog import read_catalog
from data.importers.base import ImporterError, ImportResult, run_importer
from data.importers.registry import IMPORTERS
from tests.conftest import pack_hash
from tests.packfactory import ORIGIN, make_pack

# --- good fixtures (tiny, inside the packfactory city) ---------------------------------------


def _districts(tmp: Path) -> dict[str, Any]:
    x0, y0 = ORIGIN
    frame = gpd.GeoDataFrame(
        {"bez": [1, 2], "name": ["Altstadt", "Südhang"]},
        geometry=[box(x0, y0, x0 + 1000, y0 + 1000), box(x0 + 1000, y0, x0 + 2000, y0 + 1000)],
        crs="EPSG:25832",
    )
    boundaries = tmp / "bezirke.geojson"
    frame.to_file(boundaries, driver="GeoJSON", engine="pyogrio")
    stats = tmp / "stats.csv"
    stats.write_bytes("Bezirk;Einwohner;Ab 65\n1;1.200;300\n2;3.400;700\n".encode("latin-1"))
    return {
        "boundaries": boundaries,
        "stats": stats,
        "boundary_key": "bez",
        "stats_key": "Bezirk",
        "name_col": "name",
        "column": ["population=Einwohner", "pop_65plus=Ab 65"],
    }


def _counts(tmp: Path) -> dict[str, Any]:
    path = tmp / "counts.csv"
    rows = [f"a;2024-05-01T{h:02d}:00:00+02:00;{10 + h}" for h in range(6)]
    path.write_text("site;time;count\n" + "\n".join(rows) + "\n", encoding="utf-8")
    calendar = tmp / "ferien.csv"
    calendar.write_text(
        "start,end,name,kind,source\n2024-05-01,2024-05-03,Ferien,school_holiday,Amtsblatt\n",
        encoding="utf-8",
    )
    sites = tmp / "standorte.csv"
    sites.write_text("site_id,name,lon,lat\na,Markt,11.5878,50.9282\n", encoding="utf-8")
    return {"counts": [path], "format": "long", "calendar": [calendar], "sites": sites}


DWD_HEADER = (
    "STATIONS_ID;MESS_DATUM;QN_3;  FX;  FM;QN_4; RSK;RSKF; SDK;SHK_TAG;  NM; VPM;  PM; TMK; "
    "UPM; TXK; TNK; TGK;eor"
)


def _climate(tmp: Path) -> dict[str, Any]:
    days = pd.date_range("2020-06-01", periods=10, freq="D")
    rows = [
        f"{'1270':>11};{d:%Y%m%d};    3;  10.0;   3.0;    3;   0.0;   6;    5.000;   0;"
        f"   4.0;  10.0; 980.00;   18.0;  70.00;   25.0;   11.0;   11.0;eor"
        for d in days
    ]
    path = tmp / "produkt_klima_tag_20200601_20200610_01270.txt"
    path.write_bytes(("\r\n".join([DWD_HEADER, *rows]) + "\r\n").encode("ascii"))
    return {"dwd": [path]}


def _census(tmp: Path) -> dict[str, Any]:
    e0, n0 = 4_431_000, 3_089_000  # EPSG:3035, inside the packfactory city
    rows = [
        f"1kmN{n0 // 1000}E{e0 // 1000 + i};{e0 + 500 + 1000 * i};{n0 + 500};{100 * (i + 1)}"
        for i in range(3)
    ]
    path = tmp / "zensus_1km.csv"
    path.write_text("Gitter_ID_1km;x_mp_1km;y_mp_1km;Einwohner\n" + "\n".join(rows) + "\n")
    return {"file": path}


def _raster(tmp: Path) -> dict[str, Any]:
    x0, y0 = ORIGIN
    path = tmp / "lst.tif"
    values = np.full((1, 40, 60), 21.5, dtype="float32")
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=60,
        height=40,
        count=1,
        dtype="float32",
        crs="EPSG:25832",
        transform=Affine(100.0, 0.0, x0 - 500, 0.0, -100.0, y0 + 3500),
    ) as dst:
        dst.write(values)
    return {"file": path, "variable": "lst_day"}


def _facilities(tmp: Path) -> dict[str, Any]:
    def point(i: int, tags: dict[str, str]) -> dict[str, Any]:
        geom = {"type": "Point", "coordinates": [11.58 + 0.001 * i, 50.92]}
        return {"type": "Feature", "properties": {"@id": f"node/{i}", **tags}, "geometry": geom}

    features = [
        point(1, {"amenity": "kindergarten", "name": "Kita Sonnenschein"}),
        point(2, {"amenity": "school", "name": "Südschule"}),
        point(3, {"amenity": "bench"}),
    ]
    path = tmp / "pois.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return {"file": path}


def _polygon_features(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def square(i: int) -> dict[str, Any]:
        lon, lat, d = 11.575 + 0.002 * i, 50.92, 0.001
        ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
        return {"type": "Polygon", "coordinates": [ring]}

    features = [
        {"type": "Feature", "properties": props, "geometry": square(i)}
        for i, props in enumerate(rows)
    ]
    return {"type": "FeatureCollection", "features": features}


def _landuse(tmp: Path) -> dict[str, Any]:
    from data.importers.landuse_mapping import DEFAULT_MAPPING

    rows = [
        {"@id": "way/1", "landuse": "residential"},
        {"@id": "way/2", "leisure": "park", "name": "Paradies"},
        {"@id": "way/3", "landuse": "bogus"},
    ]
    path = tmp / "landuse.geojson"
    path.write_text(json.dumps(_polygon_features(rows)), encoding="utf-8")
    mapping = tmp / "mapping.csv"
    shutil.copyfile(DEFAULT_MAPPING, mapping)
    return {"file": path, "mapping": mapping}


def _plans(tmp: Path) -> dict[str, Any]:
    rows: list[dict[str, Any]] = [
        {
            "plan_id": "P1",
            "name": "Am Steinbach",
            "use": "Wohnen",
            "dwellings": 120,
            "status": "planning",
        },
        {"plan_id": "P2", "name": "Gewerbe Süd", "use": "commercial", "status": "Genehmigt"},
    ]
    path = tmp / "plans.geojson"
    path.write_text(json.dumps(_polygon_features(rows)), encoding="utf-8")
    return {"file": path}


def _constraints(tmp: Path) -> dict[str, Any]:
    rows = [{"constraint_id": "hq-1", "name": "Saaleaue"}, {"constraint_id": "hq-2"}]
    path = tmp / "hq100.geojson"
    path.write_text(json.dumps(_polygon_features(rows)), encoding="utf-8")
    return {"file": path, "kind": "flood_hq100"}


# --- counting what a pack holds ---------------------------------------------------------------


def held(pack: Path, dataset: str, variable: str | None = None) -> int:
    """Records of ``dataset`` in ``pack``: features, rows, or non-missing grid cells."""
    ds = next(d for d in read_catalog(pack).datasets if d.id == dataset)
    path = pack / ds.path
    if not path.exists():
        return 0
    if path.suffix in (".geojson", ".json"):
        return len(json.loads(path.read_text(encoding="utf-8"))["features"])
    if path.suffix == ".csv":
        return len(pd.read_csv(path))
    if path.suffix == ".parquet":
        return len(pd.read_parquet(path))
    with xr.open_dataset(path) as grid:
        return int(np.isfinite(grid[variable].values).sum())


@dataclass(frozen=True)
class Case:
    good: Callable[[Path], dict[str, Any]]
    dataset: str
    variable: str | None = None  # for grid datasets: which variable the import writes


CASES: dict[str, Case] = {
    "districts": Case(_districts, "districts"),
    "counts": Case(_counts, "footfall_counts"),
    "climate": Case(_climate, "climate_daily"),
    "census": Case(_census, "census_grid"),
    "raster": Case(_raster, "grid", "lst_day"),
    "facilities": Case(_facilities, "facilities"),
    "landuse": Case(_landuse, "landuse"),
    "plans": Case(_plans, "plans"),
    "constraints": Case(_constraints, "constraints"),
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_pack(tmp_path_factory.mktemp("contract") / "pack")


@pytest.fixture
def pack(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "pack"))


def test_every_importer_has_a_case():
    assert sorted(imp.name for imp in IMPORTERS) == sorted(CASES)


def _bad(kind: str, good: Path) -> bytes:
    data = good.read_bytes()
    if kind == "empty":
        return b""
    if kind == "wrong-encoding":
        return data.decode("latin-1").encode("utf-16-le")
    if good.suffix in (".geojson", ".json", ".tif"):
        return data[: len(data) * 3 // 5]  # cut off in the middle
    return b"Kennung|Wert|Bemerkung\nabc|def|<<kein Tabellenformat>>\n\x1a\x1a\n"


INPUT_CASES = [
    pytest.param(imp, opt.name, kind, id=f"{imp.name}-{opt.name}-{kind}")
    for imp in IMPORTERS
    for opt in imp.options
    if opt.input
    for kind in ("malformed", "empty", "wrong-encoding")
]


@pytest.mark.parametrize(("imp", "input_name", "kind"), INPUT_CASES)
def test_bad_input_file_is_refused_naming_it_and_the_pack_is_unchanged(
    imp, input_name, kind, pack, tmp_path
):
    options = CASES[imp.name].good(tmp_path)
    value = options[input_name]
    good = value[0] if isinstance(value, list) else value
    bad = good.with_name(f"bad-{kind}{good.suffix}")
    bad.write_bytes(_bad(kind, good))
    options[input_name] = [bad] if isinstance(value, list) else bad
    before = pack_hash(pack)
    with pytest.raises(ImporterError) as caught:
        run_importer(imp, pack, **options)
    assert bad.name in str(caught.value), str(caught.value)
    assert pack_hash(pack) == before
    assert not [p for p in pack.parent.iterdir() if p.name.startswith(".staging")]


@pytest.mark.parametrize("imp", IMPORTERS, ids=lambda imp: imp.name)
def test_good_fixture_counts_match_what_was_written(imp, pack, tmp_path):
    case = CASES[imp.name]
    options = case.good(tmp_path)
    result = run_importer(imp, pack, **options)
    assert isinstance(result, ImportResult)
    assert result.importer == imp.name and case.dataset in result.datasets
    assert (
        result.written > 0 and result.read > 0
    )  # a coarse raster may fill more cells than it has pixels
    assert result.written == held(pack, case.dataset, case.variable)
    assert sorted(result.files) == sorted(imp.input_files(options))
    text = "\n".join(result.lines())
    assert f"imported {result.written} {result.unit}" in text
    assert json.loads(result.to_json())["written"] == result.written
