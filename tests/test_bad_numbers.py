"""Bad numbers never reach the app: imports refuse them, validation refuses them, and every
pack that validates serves its pages (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from data.catalog import read_catalog
from data.footfall import CountsError
from data.importers.counts import import_counts
from data.importers.zensus import import_census
from data.importers.zensus_report import ZensusError
from data.limits import (
    DISTRICT_PERSONS_CEILING,
    HOURLY_PEDESTRIANS_CEILING,
    MAGNITUDE_CEILING,
    PERSONS_PER_KM2_CEILING,
)
from data.pack import validate_pack
from tests.conftest import pack_hash
from tests.packfactory import make_footfall_pack, make_pack

HEAD = "site,time,count\n"
GOOD = "a,2024-05-01T10:00:00+02:00,5\n"


def _counts_file(folder: Path, value: str) -> Path:
    path = folder / "zaehlung.csv"
    path.write_text(HEAD + GOOD + f"a,2024-05-01T11:00:00+02:00,{value}\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_pack(tmp_path_factory.mktemp("bad") / "pack")


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("inf", "not a finite number"),
        ("-inf", "not a finite number"),
        ("NaN", "not a finite number"),
        ("1e300", "above the ceiling of 100,000 pedestrians per hour"),
        ("100000000000000000000000000", "above the ceiling of 100,000 pedestrians per hour"),
        ("100001", "above the ceiling of 100,000 pedestrians per hour"),
    ],
)
def test_counts_file_with_a_bad_number_is_refused(
    pack: Path, tmp_path: Path, value: str, what: str
) -> None:
    before = pack_hash(pack)
    with pytest.raises(CountsError) as err:
        import_counts([_counts_file(tmp_path, value)], "long", pack, licence="x", attribution="y")
    text = str(err.value)
    assert text.startswith("zaehlung.csv: line 3, column 'count': ")
    assert what in text and "negative" not in text
    assert err.value.found is not None
    shown = err.value.found.strip("'")
    assert shown == value or float(shown) == float(value)
    assert pack_hash(pack) == before


def test_counts_at_the_ceiling_and_gaps_import(pack: Path, tmp_path: Path) -> None:
    target = tmp_path / "p"
    make_pack(target)
    path = tmp_path / "c.csv"
    path.write_text(
        HEAD + f"a,2024-05-01T10:00:00+02:00,{HOURLY_PEDESTRIANS_CEILING:.0f}\n"
        "a,2024-05-01T11:00:00+02:00,\n",
        encoding="utf-8",
    )
    reports = import_counts([path], "long", target, licence="x", attribution="y")
    assert reports[0].rows_kept == 2 and reports[0].missing_counts == 1
    assert validate_pack(target).ok


def test_a_file_cut_off_in_its_last_line_is_reported(pack: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.csv"
    cut.write_text(HEAD + GOOD + "a,2024-05-01T11:00:00+02:00", encoding="utf-8")
    before = pack_hash(pack)
    with pytest.raises(CountsError, match=r"cut\.csv: line 3 has 2 fields .*cut off"):
        import_counts([cut], "long", pack, licence="x", attribution="y")
    assert pack_hash(pack) == before
    # the last field may be cut (12 of 1234) when the final line break is missing: a warning
    open_end = tmp_path / "open.csv"
    open_end.write_text(HEAD + GOOD + "a,2024-05-01T11:00:00+02:00,12", encoding="utf-8")
    target = make_pack(tmp_path / "p")
    reports = import_counts([open_end], "long", target, licence="x", attribution="y")
    assert any("line 3" in w and "'12'" in w and "cut off" in w for w in reports[-1].warnings)


E0, N0 = 4_431_000, 3_089_000  # a 100 m cell inside the packfactory city (EPSG:3035)


def _census(folder: Path, value: str, column: str = "Einwohner") -> Path:
    path = folder / "zensus.csv"
    path.write_text(
        f"Gitter_ID_100m;x_mp_100m;y_mp_100m;{column}\n"
        f"100mN{N0 // 100}E{E0 // 100};{E0 + 50};{N0 + 50};12\n"
        f"100mN{N0 // 100}E{E0 // 100 + 1};{E0 + 150};{N0 + 50};{value}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("value", "column", "what"),
    [
        ("5e20", "Einwohner", "above the ceiling of 3,000 (persons) per 100 m cell"),
        ("500000000000000000000", "Einwohner", "above the ceiling of 3,000"),
        ("3001", "Einwohner", "above the ceiling of 3,000"),
        ("inf", "Einwohner", "not a finite number"),
        ("120,5", "ab65_A", "above the ceiling of 100 %"),
    ],
)
def test_census_file_with_an_absurd_value_is_refused(
    pack: Path, tmp_path: Path, value: str, column: str, what: str
) -> None:
    before = pack_hash(pack)
    with pytest.raises(ZensusError) as err:
        import_census(pack, _census(tmp_path, value, column))
    text = str(err.value)
    assert text.startswith(f"zensus.csv: column {column!r}, line(s) 3: ")
    assert what in text and err.value.found == repr(value)
    assert pack_hash(pack) == before


def test_census_at_the_cell_ceiling_imports(tmp_path: Path) -> None:
    target = make_pack(tmp_path / "p")
    ceiling = PERSONS_PER_KM2_CEILING * 0.01  # a 100 m cell is 0.01 km²
    import_census(target, _census(tmp_path, f"{ceiling:.0f}"))
    assert validate_pack(target).ok


# --- hand-edited packs ---------------------------------------------------------------------


def _problems(folder: Path, dataset: str) -> list[str]:
    report = validate_pack(folder)
    return [p.message for p in report.problems if p.dataset == dataset]


@pytest.mark.parametrize(
    ("value", "what"),
    [
        (np.inf, "not a finite number (inf)"),
        (1e300, "out of range [0, 100000.0]"),
        (HOURLY_PEDESTRIANS_CEILING + 1, "out of range [0, 100000.0]"),
    ],
)
def test_hand_edited_counts_fail_validation(tmp_path: Path, value: float, what: str) -> None:
    folder = make_footfall_pack(tmp_path / "pack")
    path = folder / "footfall_counts.parquet"
    counts = pd.read_parquet(path)
    counts.loc[7, "count"] = value
    counts.to_parquet(path, index=False)
    problems = _problems(folder, "footfall_counts")
    assert problems and what in problems[0] and "row 7" in problems[0]


def test_hand_edited_census_cell_fails_validation(tmp_path: Path) -> None:
    folder = make_pack(tmp_path / "pack")
    import_census(folder, _census(tmp_path, "40"))
    path = folder / read_catalog(folder).get("census_grid").path
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"][1]["properties"]["population"] = 5e20
    path.write_text(json.dumps(data), encoding="utf-8")
    problems = _problems(folder, "census_grid")
    assert any("per km²" in p and "above the ceiling of 300,000" in p for p in problems)
    # 0.01 km² (to within the reprojection to the pack's metric CRS): 310,000 per km²
    data["features"][1]["properties"]["population"] = 3_100
    path.write_text(json.dumps(data), encoding="utf-8")
    assert any(
        "above the ceiling of 300,000 persons per km²" in p
        for p in _problems(folder, "census_grid")
    )


def test_hand_edited_district_values_fail_validation(tmp_path: Path) -> None:
    folder = make_pack(tmp_path / "pack")
    stats = folder / "district_stats.csv"
    frame = pd.read_csv(stats, dtype={"district_id": str})
    frame["households"] = frame["households"].astype(float)
    frame.loc[1, "households"] = np.inf
    frame.to_csv(stats, index=False)
    problems = _problems(folder, "district_stats")
    assert (
        problems and "column 'households'" in problems[0] and "not a finite number" in problems[0]
    )
    frame.loc[1, "households"] = 1e300
    frame.to_csv(stats, index=False)
    assert "above the ceiling" in _problems(folder, "district_stats")[0]
    path = folder / "districts.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"][0]["properties"]["population"] = DISTRICT_PERSONS_CEILING * 10
    path.write_text(json.dumps(data), encoding="utf-8")
    assert any("'population' out of range" in p for p in _problems(folder, "districts"))


def test_hand_edited_grid_fails_validation(tmp_path: Path) -> None:
    folder = make_pack(tmp_path / "pack")
    path = folder / read_catalog(folder).get("grid").path
    with xr.open_dataset(path) as opened:
        grid = opened.load()
    grid["population"][0, 0] = np.inf
    grid.to_netcdf(path)
    assert any("not a finite number" in p for p in _problems(folder, "grid"))
    grid["population"][0, 0] = PERSONS_PER_KM2_CEILING  # in a 0.25 km² cell: 4 × the ceiling
    grid.to_netcdf(path)
    assert any("per km²" in p for p in _problems(folder, "grid"))


# --- every pack that validates serves -------------------------------------------------------


def _at_the_ceilings(folder: Path) -> None:
    counts = pd.read_parquet(folder / "footfall_counts.parquet")
    counts["count"] = counts["count"].where(counts["count"].isna(), HOURLY_PEDESTRIANS_CEILING)
    counts.to_parquet(folder / "footfall_counts.parquet", index=False)
    _edit_districts(folder, population=DISTRICT_PERSONS_CEILING, pop_65plus=1e6)
    stats = pd.read_csv(folder / "district_stats.csv", dtype={"district_id": str})
    stats["households"] = float(MAGNITUDE_CEILING)
    stats.to_csv(folder / "district_stats.csv", index=False)


def _zeros(folder: Path) -> None:
    counts = pd.read_parquet(folder / "footfall_counts.parquet")
    counts["count"] = 0.0
    counts.to_parquet(folder / "footfall_counts.parquet", index=False)
    _edit_districts(folder, population=0, pop_65plus=0)
    path = folder / "grid.nc"
    with xr.open_dataset(path) as opened:
        grid = opened.load()
    for name in ("population", "imperviousness", "tree_canopy"):
        if name in grid:
            grid[name][:] = 0.0
    grid.to_netcdf(path)


def _single_district(folder: Path) -> None:
    path = folder / "districts.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"] = data["features"][:1]
    path.write_text(json.dumps(data), encoding="utf-8")


def _edit_districts(folder: Path, **values: float) -> None:
    path = folder / "districts.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    for feature in data["features"]:
        feature["properties"].update({k: int(v) for k, v in values.items()})
        feature["properties"].pop("pop_under6", None)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("edit", [_at_the_ceilings, _zeros, _single_district])
def test_every_pack_that_validates_serves(tmp_path: Path, edit) -> None:
    from dashboard.app import create_app
    from dashboard.callbacks.router import render
    from dashboard.context import AppContext
    from dashboard.pages.registry import PAGES
    from dashboard.settings import Settings

    folder = make_footfall_pack(tmp_path / "pack")
    assert (folder / "grid.nc").is_file()
    edit(folder)
    report = validate_pack(folder)
    assert report.ok, report.to_text()
    settings = Settings(pack=folder, forecasts=False, cache_dir=tmp_path / "cache")
    ctx = AppContext.from_settings(settings)
    app = create_app(settings, context=ctx, start_jobs=False)
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/_dash-layout").status_code == 200
    for page in PAGES:
        for lang in ("de", "en"):
            body, _ = render(ctx, page.path, f"?lang={lang}")
            assert body is not None
