"""Reading Zensus grid CSVs (2011/2022, 100 m/1 km), aggregating to districts, importing."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from cli.main import main
from data.importers.base import ImporterError, run_importer
from data.importers.zensus import (
    IMPORTER,
    ZensusError,
    census_to_districts,
    import_census,
    read_zensus_grid,
)
from data.pack import PackError, load_pack, validate_pack
from tests.conftest import pack_hash
from tests.packfactory import make_pack

# Lower-left corners (EPSG:3035) of cells inside the packfactory city's bbox.
E0, N0 = 4_431_000, 3_089_000
CENSUS_2011_100M = "Gitter_ID_100m;x_mp_100m;y_mp_100m;Einwohner\n" + "".join(
    f"100mN{(N0 + 100 * j) // 100}E{(E0 + 100 * i) // 100};{E0 + 100 * i + 50};"
    f"{N0 + 100 * j + 50};{pop}\n"
    for (i, j), pop in zip(
        [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1)], ["12", "-1", "7", "250", "3"], strict=True
    )
)
SPITZE_HEADER = "Gitter_ID_1km;x_mp_1km;y_mp_1km;Einwohner;Alter_D;ab65_A\n"
SPITZE_ROWS = [
    f"1kmN{N0 // 1000}E{E0 // 1000};{E0 + 500};{N0 + 500};1200;41,5;20,5\n",
    f"1kmN{N0 // 1000}E{E0 // 1000 + 1};{E0 + 1500};{N0 + 500};-1;-1;-1\n",
    f"1kmN{N0 // 1000 + 1}E{E0 // 1000};{E0 + 500};{N0 + 1500};14;45;-9\n",
]
CENSUS_2022 = "GITTER_ID_100m;x_mp_100m;y_mp_100m;AnteilUeber65;werterlaeuternde_Zeichen\n" + (
    f"CRS3035RES100mN{N0}E{E0};{E0 + 50};{N0 + 50};21,5;\n"
    f"CRS3035RES100mN{N0}E{E0 + 100};{E0 + 150};{N0 + 50};–;\n"
    f"CRS3035RES100mN{N0}E{E0 + 200};{E0 + 250};{N0 + 50};-;\n"
    f"CRS3035RES100mN{N0 + 100}E{E0};{E0 + 50};{N0 + 150};33,3;KLAMMERN\n"
)
POP_2022 = "GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner\n" + (
    f"CRS3035RES100mN{N0}E{E0};{E0 + 50};{N0 + 50};40\n"
    f"CRS3035RES100mN{N0}E{E0 + 100};{E0 + 150};{N0 + 50};–\n"
)


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_pack(tmp_path_factory.mktemp("census") / "pack")


@pytest.fixture
def pack(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "pack"))


# --- reading -------------------------------------------------------------------------------


def test_2011_100m_semicolon_file(tmp_path: Path) -> None:
    grid = read_zensus_grid(
        write(tmp_path, "Zensus_Bevoelkerung_100m-Gitter.csv", CENSUS_2011_100M)
    )
    report, cells = grid.report, grid.cells
    assert (report.year, report.resolution_m, report.sep) == (2011, 100, ";")
    assert list(cells["cell_id"])[:2] == [
        f"100mN{N0 // 100}E{E0 // 100}",
        f"100mN{N0 // 100}E{E0 // 100 + 1}",
    ]
    # -1 in the 100 m file (inhabited cells only) is a withheld count: unknown, not 0
    assert report.minus_one_population == "withheld"
    assert np.isnan(cells["population"].iloc[1])
    assert cells["population"].tolist()[2:] == [7.0, 250.0, 3.0]
    assert report.codes["Einwohner"].minus_one == 1
    assert cells.crs.to_epsg() == 3035
    first = cells.geometry.iloc[0]
    assert first.equals(box(E0, N0, E0 + 100, N0 + 100)) and first.area == pytest.approx(1e4)


def test_2011_1km_minus_one_means_no_inhabitants(tmp_path: Path) -> None:
    grid = read_zensus_grid(write(tmp_path, "spitze_1km.csv", SPITZE_HEADER + "".join(SPITZE_ROWS)))
    cells, report = grid.cells, grid.report
    assert report.resolution_m == 1000 and report.minus_one_population == "no inhabitants"
    assert cells["population"].tolist() == [1200.0, 0.0, 14.0]
    assert cells["Alter_D"].tolist()[0] == 41.5  # decimal comma
    assert np.isnan(cells["Alter_D"].iloc[1]) and np.isnan(cells["ab65_A"].iloc[2])
    codes = report.codes
    assert (codes["ab65_A"].minus_one, codes["ab65_A"].minus_nine) == (1, 1)
    assert (codes["Alter_D"].minus_one, codes["Alter_D"].minus_nine) == (1, 0)
    assert cells.geometry.iloc[0].area == pytest.approx(1e6)
    assert any("0 persons" in line for line in report.lines())


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_2022_dashes_decimal_comma_and_encodings(tmp_path: Path, encoding: str) -> None:
    text = CENSUS_2022.replace("KLAMMERN", "KLAMMERN (geschätzt)")
    if encoding == "cp1252":
        text = text.replace("–", "-")  # no en dash in Latin-1 files
    grid = read_zensus_grid(write(tmp_path, "anteil_65.csv", text, encoding))
    report, cells = grid.report, grid.cells
    assert report.year == 2022 and report.resolution_m == 100
    share = cells["AnteilUeber65"].tolist()
    assert share[0] == 21.5 and share[3] == pytest.approx(33.3)
    assert np.isnan(share[1]) and np.isnan(share[2])
    assert report.codes["AnteilUeber65"].dash == 2
    assert report.codes["AnteilUeber65"].suppressed == 2
    assert report.text_columns == ["werterlaeuternde_Zeichen"]
    assert cells["werterlaeuternde_Zeichen"].iloc[3] == "KLAMMERN (geschätzt)"
    # no Einwohner column: population unknown, said so
    assert cells["population"].isna().all()
    assert any("Einwohner" in w for w in report.warnings)


def test_2022_population_dash_is_suppressed(tmp_path: Path) -> None:
    grid = read_zensus_grid(
        write(tmp_path, "Zensus2022_Bevoelkerungszahl_100m-Gitter.csv", POP_2022)
    )
    assert grid.report.year == 2022
    assert grid.cells["population"].iloc[0] == 40.0 and np.isnan(grid.cells["population"].iloc[1])
    assert grid.report.codes["Einwohner"].dash == 1


def test_bounds_keep_only_cells_touching_the_box(tmp_path: Path) -> None:
    path = write(tmp_path, "z.csv", CENSUS_2011_100M)
    grid = read_zensus_grid(path, bounds=(E0, N0, E0 + 150, N0 + 100))
    assert len(grid.cells) == 2 and grid.report.n_cells == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "id;x;y;Einwohner\n1;2;3;4\n",
            ["it lacks an id column", "columns found: 'id', 'x', 'y', 'Einwohner'"],
        ),
        (
            CENSUS_2011_100M.replace(";12\n", ";zwölf\n"),
            ["'Einwohner'", "'zwölf'", "line(s) 2", "neither a number nor a Zensus code"],
        ),
        (
            CENSUS_2011_100M.replace(f";{E0 + 50};", f";{E0 + 20};", 1),
            ["not on the 100 m Zensus lattice", "line 2"],
        ),
        (
            CENSUS_2011_100M.replace(f";{E0 + 50};{N0 + 50};", ";11.5;50.9;", 1),
            ["outside Germany in EPSG:3035", "lon/lat"],
        ),
        ("Gitter_ID_100m;x_mp_100m;y_mp_100m;Einwohner\n", ["no cells"]),
        ("", ["empty"]),
        (
            CENSUS_2011_100M.replace(
                f"100mN{N0 // 100}E{E0 // 100};", f"100mN{N0 // 100}E{E0 // 100 + 7};", 1
            ),
            ["do not match their coordinates"],
        ),
        (
            CENSUS_2011_100M + CENSUS_2011_100M.splitlines(keepends=True)[1],
            ["not unique"],
        ),
        (CENSUS_2011_100M.replace(";250\n", ";-5\n"), ["negative value '-5'"]),
        (
            "Gitter_ID_100m;x_mp_1km;y_mp_1km;Einwohner\n1;2;3;4\n",
            ["disagree on the cell size"],
        ),
    ],
    ids=[
        "no-id-columns",
        "text-value",
        "off-lattice",
        "lonlat",
        "header-only",
        "empty",
        "id-mismatch",
        "duplicate-id",
        "negative",
        "mixed-resolution",
    ],
)
def test_bad_files_are_refused_and_the_pack_is_unchanged(
    pack: Path, tmp_path: Path, text: str, expected: list[str]
) -> None:
    path = write(tmp_path, "bad.csv", text)
    with pytest.raises(ZensusError) as err:
        read_zensus_grid(path)
    for part in expected:
        assert part in str(err.value)
    assert "bad.csv" in str(err.value)
    before = pack_hash(pack)
    with pytest.raises(ValueError):
        import_census(pack, path)
    assert pack_hash(pack) == before


def test_binary_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(ZensusError, match="not found"):
        read_zensus_grid(tmp_path / "nope.csv")
    binary = tmp_path / "z.csv"
    binary.write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(ZensusError, match="binary"):
        read_zensus_grid(binary)


# --- aggregating ---------------------------------------------------------------------------


def test_census_to_districts_weights_by_area_and_population() -> None:
    cells = gpd.GeoDataFrame(
        {"population": [100.0, 50.0, np.nan], "share": [20.0, 40.0, 10.0]},
        geometry=[
            box(E0, N0, E0 + 100, N0 + 100),
            box(E0 + 100, N0, E0 + 200, N0 + 100),
            box(E0 + 200, N0, E0 + 300, N0 + 100),
        ],
        crs="EPSG:3035",
    )
    districts = gpd.GeoDataFrame(
        {"district_id": ["A", "B"]},
        geometry=[box(E0 + 50, N0, E0 + 200, N0 + 100), box(E0 + 150, N0, E0 + 400, N0 + 100)],
        crs="EPSG:3035",
    )
    out = census_to_districts(cells, districts).set_index("district_id")
    # A: half of cell 1 (50 persons) + all of cell 2 (50)
    assert out.at["A", "population"] == pytest.approx(100.0)
    assert out.at["A", "share"] == pytest.approx((50 * 20 + 50 * 40) / 100)
    assert out.at["A", "area_covered"] == pytest.approx(1.0)
    # B: half of cell 2 (25), all of cell 3 (unknown), 100 m of nothing
    assert out.at["B", "population"] == pytest.approx(25.0)
    assert out.at["B", "share"] == pytest.approx(40.0)
    assert out.at["B", "area_covered"] == pytest.approx(150 / 250)
    assert out.at["B", "cells_population_missing"] == 1
    # the same districts given in another CRS give (almost) the same answer
    moved = census_to_districts(cells, districts.to_crs("EPSG:25832"))
    assert moved["population"].tolist() == pytest.approx([100.0, 25.0], rel=1e-3)


def test_census_to_districts_refuses_unknown_variables() -> None:
    cells = gpd.GeoDataFrame(
        {"population": [1.0]}, geometry=[box(E0, N0, E0 + 100, N0 + 100)], crs="EPSG:3035"
    )
    with pytest.raises(ValueError, match="unknown census variable 'nope'"):
        census_to_districts(cells, cells.assign(district_id="x"), variables=["nope"])


# --- importing -----------------------------------------------------------------------------


def test_import_writes_census_grid(pack: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "spitze_1km.csv", SPITZE_HEADER + "".join(SPITZE_ROWS))
    result = import_census(pack, path)
    assert result.n_cells == 3 and result.population == 1214.0
    loaded = load_pack(pack)
    cells = loaded.vector("census_grid")
    assert sorted(cells["population"]) == [0.0, 14.0, 1200.0]
    ds = loaded.dataset("census_grid")
    assert ds.licence == "dl-de/by-2-0"
    assert ds.attribution == "© Statistisches Bundesamt (Destatis), Zensus 2011"
    assert ds.temporal is not None and ds.temporal.start == "2011-05-09"
    assert "EPSG:3035" in ds.description["en"] and "EPSG:3035" in ds.description["de"]
    assert ds.title["de"] and ds.title["en"]
    area = loaded.metric("census_grid").geometry.area
    assert area.to_numpy() == pytest.approx(1e6, rel=1e-3)  # squares survive the round trip


def test_import_2022_attribution_and_clip(pack: Path, tmp_path: Path) -> None:
    far = f"CRS3035RES100mN{N0 + 60_000}E{E0};{E0 + 50};{N0 + 60_050};9\n"  # 60 km north
    path = write(tmp_path, "Zensus2022_Bevoelkerungszahl_100m-Gitter.csv", POP_2022 + far)
    result = import_census(pack, path)
    assert result.n_read == 3 and result.n_cells == 2
    ds = load_pack(pack).dataset("census_grid")
    assert ds.attribution.endswith("Zensus 2022")
    assert ds.temporal is not None and ds.temporal.start == "2022-05-15"


def test_import_needs_a_population_column(pack: Path, tmp_path: Path) -> None:
    before = pack_hash(pack)
    with pytest.raises(ZensusError, match="no 'Einwohner' column"):
        import_census(pack, write(tmp_path, "a.csv", CENSUS_2022))
    assert pack_hash(pack) == before


def test_import_refuses_a_file_for_another_region(pack: Path, tmp_path: Path) -> None:
    text = "Gitter_ID_1km;x_mp_1km;y_mp_1km;Einwohner\n1kmN2800E4300;4300500;2800500;5\n"
    before = pack_hash(pack)
    with pytest.raises(ZensusError, match="none of its 1 cells lies in the city's bounding box"):
        import_census(pack, write(tmp_path, "far.csv", text))
    assert pack_hash(pack) == before


def test_import_into_a_folder_that_is_not_a_pack(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a city pack"):
        import_census(tmp_path, write(tmp_path, "z.csv", CENSUS_2011_100M))


def test_without_clipping_far_cells_fail_validation(pack: Path, tmp_path: Path) -> None:
    far = f"CRS3035RES100mN{N0 + 300_000}E{E0};{E0 + 50};{N0 + 300_050};9\n"
    before = pack_hash(pack)
    with pytest.raises(PackError, match="census_grid"):
        import_census(pack, write(tmp_path, "z22.csv", POP_2022 + far), clip=False)
    assert pack_hash(pack) == before


def test_cli_import_census(pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "spitze_1km.csv", SPITZE_HEADER + "".join(SPITZE_ROWS))
    assert main(["import", "census", "--pack", str(pack), "--file", str(path)]) == 0
    out = capsys.readouterr().out
    assert "imported 3 of 3 cells (1,214 persons) as census_grid" in out
    assert "ab65_A: 1 × -1 (not applicable); 1 suppressed" in out
    assert validate_pack(pack).ok
    before = pack_hash(pack)
    bad = write(tmp_path, "bad.csv", "a;b\n1;2\n")
    assert main(["import", "census", "--pack", str(pack), "--file", str(bad)]) == 1
    assert "import failed; the pack was not changed: bad.csv: not a Zensus grid file" in (
        capsys.readouterr().err
    )
    assert pack_hash(pack) == before


# --- the population on the pack's grid ------------------------------------------------------


def _pack_without_grid(folder: Path) -> Path:
    from data.writer import staged_pack
    from tests.packfactory import CITY, DATASETS, districts_frame

    with staged_pack(folder, CITY) as stage:
        stage.put_vector(DATASETS["districts"], districts_frame())
    return folder


def test_the_population_goes_onto_the_packs_grid(pack: Path, tmp_path: Path) -> None:
    """Persons conserved: the cells lie inside the grid; a withheld one adds 0 and is named."""
    result = run_importer(IMPORTER, pack, file=write(tmp_path, "z.csv", CENSUS_2011_100M))
    grid = load_pack(pack).raster("grid")
    population = grid["population"]
    assert float(population.sum()) == pytest.approx(12 + 7 + 250 + 3, rel=1e-5)
    assert float(grid["x"][1] - grid["x"][0]) == 500.0  # the pack's grid keeps its cells
    assert population.attrs["source_dataset"] == "census_grid"
    assert population.attrs["source_resolution_m"] == 100
    assert population.attrs["regrid_method"] == "area_weighted_sum"
    assert any("replaced the grid's existing variable 'population'" in w for w in result.warnings)
    assert any("1 census cell(s) with a withheld population" in w for w in result.warnings)
    assert any(
        line.startswith("population on the pack's 500 m grid: 272 of 272")
        for line in result.details
    )
    ignored = run_importer(
        IMPORTER, pack, file=write(tmp_path, "z.csv", CENSUS_2011_100M), cell_size=100.0
    )
    assert any("cell_size 100 ignored" in w for w in ignored.warnings)


def test_a_pack_without_a_grid_gets_one_and_the_layer_draws(tmp_path: Path) -> None:
    from layers import get_layer

    pack = _pack_without_grid(tmp_path / "pack")
    path = write(tmp_path, "spitze_1km.csv", SPITZE_HEADER + "".join(SPITZE_ROWS))
    result = run_importer(IMPORTER, pack, file=path, cell_size=250.0)
    loaded = load_pack(pack)
    grid = loaded.raster("grid")
    assert float(grid["x"][1] - grid["x"][0]) == 250.0
    assert float(grid["population"].sum()) == pytest.approx(1214.0, rel=1e-5)
    assert (
        loaded.dataset("grid").generated_by == "data/importers/zensus.py (allmende import census)"
    )
    assert any("census cells of 1 km on 250 m grid cells" in w for w in result.warnings)
    layer = get_layer("population-grid")
    assert layer.available(loaded)
    png = layer.build(loaded, "de").image_png
    assert png is not None
    from io import BytesIO

    from PIL import Image

    alpha = np.asarray(Image.open(BytesIO(png)).convert("RGBA"))[..., 3]
    assert (alpha > 0).any()
    # the legend tells the 1 km counts spread over 250 m cells, and no two bounds read alike
    legend = layer.style(loaded, {}, "de").legend
    assert "Zellen von 1.000 m" in legend.note and "250 m" in legend.note
    labels = [e.label for e in legend.entries]
    assert len(set(labels)) == len(labels)
    assert all(lo != hi for lo, hi in (lab.split(" – ") for lab in labels)), labels


def test_a_new_grid_defaults_to_100_m(tmp_path: Path) -> None:
    pack = _pack_without_grid(tmp_path / "pack")
    import_census(pack, write(tmp_path, "z.csv", CENSUS_2011_100M))
    grid = load_pack(pack).raster("grid")
    assert float(grid["x"][1] - grid["x"][0]) == 100.0
    # EPSG:3035 cells do not line up with EPSG:25832 cells: a cell's people are split by area
    assert float(grid["population"].sum()) == pytest.approx(272.0, rel=1e-5)
    assert 0 < float(grid["population"].max()) < 250.0


# --- the importer contract ----------------------------------------------------------------


def test_errors_name_the_file_where_expected_and_found(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", CENSUS_2011_100M.replace(";12\n", ";zwölf\n"))
    with pytest.raises(ZensusError) as err:
        read_zensus_grid(path)
    assert isinstance(err.value, ImporterError)
    assert err.value.file == str(path)
    assert err.value.where == "column 'Einwohner', line(s) 2"
    assert err.value.found == "'zwölf'" and "Zensus code" in (err.value.expected or "")
    off = write(tmp_path, "off.csv", CENSUS_2011_100M.replace(f";{E0 + 50};", f";{E0 + 20};", 1))
    with pytest.raises(ZensusError) as err:
        read_zensus_grid(off)
    assert (err.value.file, err.value.where) == (str(off), "line 2")
    assert err.value.found == f"x_mp_100m={E0 + 20}, y_mp_100m={N0 + 50}"
    assert err.value.expected == "centres at multiples of 100 m plus 50 m"
    assert str(err.value).startswith("off.csv: line 2: 1 cell(s) are not on the 100 m")


def test_importer_options_reproduce_the_old_cli() -> None:
    flags = {o.name: o.cli for o in IMPORTER.options}
    assert flags == {
        "file": "--file",
        "year": "--year",
        "no_clip": "--no-clip",
        "encoding": "--encoding",
        "source": "--source",
        "cell_size": "--cell-size",
    }
    opts = {o.name: o for o in IMPORTER.options}
    assert opts["file"].input and opts["file"].required and opts["file"].type is Path
    assert opts["year"].choices == (2011, 2022) and opts["year"].type is int
    assert opts["no_clip"].flag and not opts["encoding"].flag
    assert IMPORTER.name == "census" and IMPORTER.datasets == ("census_grid",)
    assert "grid:population" in IMPORTER.summary
    # the Zensus format fixes the CRS: no CRS option, and the help says why
    assert not [o for o in IMPORTER.options if "crs" in o.name]
    assert "EPSG:3035" in IMPORTER.summary


def test_importer_run_counts_what_the_pack_holds(pack: Path, tmp_path: Path) -> None:
    far = f"CRS3035RES100mN{N0 + 60_000}E{E0};{E0 + 50};{N0 + 60_050};9\n"  # 60 km north
    path = write(tmp_path, "Zensus2022_Bevoelkerungszahl_100m-Gitter.csv", POP_2022 + far)
    result = run_importer(IMPORTER, pack, file=path)
    features = json.loads((pack / "census_grid.geojson").read_text(encoding="utf-8"))["features"]
    assert (result.read, result.written, result.unit) == (3, len(features), "cells")
    assert result.written == 2 and result.files == (str(path),)
    assert result.datasets == ("census_grid", "grid") and result.native.n_cells == 2
    assert any("imported 2 of 3 cells (40 persons)" in line for line in result.details)
    assert result.lines()[0].startswith("imported 2 cells into census_grid")


def test_importer_no_clip_keeps_far_cells(pack: Path, tmp_path: Path) -> None:
    far = f"CRS3035RES100mN{N0 + 300_000}E{E0};{E0 + 50};{N0 + 300_050};9\n"
    path = write(tmp_path, "z22.csv", POP_2022 + far)
    before = pack_hash(pack)
    with pytest.raises(PackError, match="census_grid"):  # a far cell is written, then refused
        run_importer(IMPORTER, pack, file=path, no_clip=True)
    assert pack_hash(pack) == before
    assert run_importer(IMPORTER, pack, file=path, no_clip=False).written == 2


def test_importer_run_names_the_file_of_a_bad_input(pack: Path, tmp_path: Path) -> None:
    before = pack_hash(pack)
    for name, data in [
        ("empty.csv", b""),
        ("utf16.csv", CENSUS_2011_100M.encode("utf-16-le")),
        ("table.csv", b"Kennung|Wert\nabc|def\n"),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ImporterError) as err:
            run_importer(IMPORTER, pack, file=path)
        assert str(err.value).startswith(f"{name}: "), str(err.value)
        assert err.value.file == str(path)
    with pytest.raises(ImporterError, match=r"^u\.csv: byte 0: cannot decode as ascii") as err:
        run_importer(IMPORTER, pack, file=write(tmp_path, "u.csv", "ä"), encoding="ascii")
    assert err.value.found == repr("ä".encode()) and "--encoding" in (err.value.expected or "")
    assert pack_hash(pack) == before


# --- the real Zensus 2011 file ---------------------------------------------------------------

REAL_CENSUS = "jena_census/zensus2011_1km_spitze_werte_jena_bbox.csv"


@pytest.mark.realdata
def test_real_file_reproduces_the_facts(real_data) -> None:
    """FACTS.md: 82 populated cells ≥ 50 % inside Jena hold 104,007 people; age 41.7, 65+ 20.4 %."""
    cells = read_zensus_grid(real_data(REAL_CENSUS)).cells
    inside = cells[(cells["share_of_cell_in_jena"] >= 0.5) & (cells["population"] > 0)]
    assert len(inside) == 82
    assert inside["population"].sum() == 104_007

    def weighted(column: str) -> float:
        known = inside[column].notna()
        pop = inside.loc[known, "population"]
        return float((pop * inside.loc[known, column]).sum() / pop.sum())

    assert round(weighted("Alter_D"), 1) == 41.7
    assert round(weighted("ab65_A"), 1) == 20.4
    assert round(weighted("unter18_A"), 1) == 12.8


@pytest.mark.realdata
def test_real_file_codes_match_the_raw_text(real_data) -> None:
    path = real_data(REAL_CENSUS)
    grid = read_zensus_grid(path)
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert grid.report.n_cells == len(rows) == 484
    assert len(grid.report.codes) == 13  # Einwohner, 9 Zensus variables, lon, lat, share
    for column, counts in grid.report.codes.items():
        raw = [row[column].strip() for row in rows]
        assert counts.minus_one == sum(v in ("-1", "-1.0") for v in raw), column
        assert counts.minus_nine == sum(v in ("-9", "-9.0") for v in raw), column
    assert grid.report.codes["Einwohner"].minus_one == 195
    assert grid.report.codes["ab65_A"].minus_nine == 41
    # codes never become numbers: no negative value survives
    numeric = grid.cells.select_dtypes("number")
    assert not (numeric < 0).any().any()


@pytest.mark.realdata
def test_real_file_to_the_city_boundary(real_data) -> None:
    """FACTS.md: the area-weighted total inside Jena is ≈ 102,800."""
    cells = read_zensus_grid(real_data(REAL_CENSUS)).cells
    city = gpd.read_file(real_data("jena_boundaries/jena_city_boundary_osm_2014.geojson"))
    out = census_to_districts(cells, city, id_column="name")
    assert out["population"].iloc[0] == pytest.approx(102_800, rel=0.002)
    assert out["area_covered"].iloc[0] == pytest.approx(1.0)
    assert out["ab65_A"].iloc[0] == pytest.approx(20.4, abs=0.1)


@pytest.mark.realdata
def test_real_file_imports_into_a_pack(real_data, pack: Path) -> None:
    result = import_census(pack, real_data(REAL_CENSUS))
    assert result.n_read == 484 and 0 < result.n_cells < 484
    assert validate_pack(pack).ok
