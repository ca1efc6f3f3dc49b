"""Reading GeoTIFF/NetCDF rasters, regridding them onto the pack grid, importing them.

Tolerances: a linear field is reproduced exactly by bilinear interpolation, so what remains
is GDAL's approximate coordinate transformer (error below 1/8 of a source pixel). With the
gradients used here (at most 2 °C per km) that is within ``GRADIENT_TOL`` = 0.01 °C, i.e. a
displacement of at most 5 m.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import rasterio
import xarray as xr
from affine import Affine
from pyproj import CRS, Transformer

from cli.main import main
from data.importers.base import ImporterError, run_importer
from data.importers.rasters import (
    IMPORTER,
    RasterError,
    UnknownVariableError,
    import_raster,
    positive_metres,
    read_raster,
    regrid,
)
from data.pack import load_pack, raster_crs, validate_pack
from data.writer import staged_pack
from tests.conftest import pack_hash
from tests.packfactory import (
    CITY,
    DATASETS,
    ORIGIN,
    districts_frame,
    grid_dataset,
    make_pack,
    outline_frame,
)

GRADIENT_TOL = 0.01  # °C, see the module docstring
X0, Y0 = ORIGIN  # south-west corner of the packfactory grid (10 × 6 cells of 500 m)
GRID_W, GRID_H = 5000.0, 3000.0


def write_tif(
    path: Path,
    values: np.ndarray,
    left: float,
    top: float,
    px: float,
    crs: str | None,
    nodata: float | None = None,
    py: float | None = None,
) -> Path:
    bands = values if values.ndim == 3 else values[None]
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=bands.shape[2],
        height=bands.shape[1],
        count=bands.shape[0],
        dtype="float32",
        crs=crs,
        transform=Affine(px, 0.0, left, 0.0, -(py or px), top),
        nodata=nodata,
    ) as dst:
        dst.write(bands.astype("float32"))
    return path


def grid_centres(crs: str) -> tuple[np.ndarray, np.ndarray]:
    """The packfactory grid's cell centres, transformed into ``crs``."""
    g = grid_dataset()
    gx, gy = np.meshgrid(g["x"].values, g["y"].values)
    return Transformer.from_crs("EPSG:25832", crs, always_xy=True).transform(gx, gy)


def gradient_3035(path: Path) -> tuple[Path, Callable[[np.ndarray, np.ndarray], np.ndarray]]:
    """A 50 m GeoTIFF in EPSG:3035 well beyond the grid: 20 °C + 2 °C/km east − 1 °C/km north."""
    left, top, px = 4_427_000.0, 3_096_000.0, 50.0
    w, h = 240, 200
    cx = left + px * (np.arange(w) + 0.5)
    cy = top - px * (np.arange(h) + 0.5)
    xx, yy = np.meshgrid(cx, cy)

    def field(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return 20.0 + 0.002 * (x - left) - 0.001 * (top - y)

    return write_tif(path, field(xx, yy), left, top, px, "EPSG:3035"), field


def aligned_25832(path: Path, values: np.ndarray, nodata: float | None = None) -> Path:
    """A 100 m GeoTIFF in EPSG:25832 covering exactly the packfactory grid (50 × 30 pixels)."""
    return write_tif(path, values, X0, Y0 + GRID_H, 100.0, "EPSG:25832", nodata)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_pack(tmp_path_factory.mktemp("raster") / "pack")


@pytest.fixture
def pack(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "pack"))


# --- regridding ----------------------------------------------------------------------------


def test_bilinear_reproduces_a_gradient_from_epsg3035(tmp_path: Path, pack: Path) -> None:
    path, field = gradient_3035(tmp_path / "lst.tif")
    source = read_raster(path)
    assert source.crs.to_epsg() == 3035 and source.crs_from == "file"
    out = regrid(source, grid_dataset(), "bilinear")
    assert out.values.dtype == np.float32 and out.values.shape == (6, 10)
    assert out.coverage == 1.0
    expected = field(*grid_centres("EPSG:3035"))
    assert np.abs(out.values - expected).max() < GRADIENT_TOL
    result = import_raster(pack, path, "lst_day")
    assert result.method == "bilinear" and result.coverage == 1.0
    grid = load_pack(pack).raster("grid")
    assert np.abs(grid["lst_day"].values - expected).max() < GRADIENT_TOL
    attrs = grid["lst_day"].attrs
    assert attrs["regrid_method"] == "bilinear"
    assert attrs["source_file"] == "lst.tif" and attrs["source_crs"] == "EPSG:3035"
    assert attrs["units"] == "°C" and attrs["grid_mapping"] == "spatial_ref"
    # everything else in the grid is kept
    assert np.array_equal(grid["elevation"].values, grid_dataset()["elevation"].values)


def test_bilinear_reproduces_a_gradient_from_lonlat(tmp_path: Path) -> None:
    left, top, dlon, dlat = 11.50, 50.98, 0.002, 0.001
    w, h = 100, 100
    lon, lat = np.meshgrid(left + dlon * (np.arange(w) + 0.5), top - dlat * (np.arange(h) + 0.5))

    def field(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        return 10.0 + 50.0 * (lon - 11.5) + 100.0 * (lat - 50.88)

    path = write_tif(tmp_path / "t.tif", field(lon, lat), left, top, dlon, "EPSG:4326", py=dlat)
    out = regrid(read_raster(path), grid_dataset(), "bilinear")
    expected = field(*grid_centres("EPSG:4326"))
    assert np.abs(out.values - expected).max() < GRADIENT_TOL


def test_average_conserves_the_mean(tmp_path: Path) -> None:
    values = np.random.default_rng(7).uniform(0.0, 1.0, (30, 50))
    out = regrid(
        read_raster(aligned_25832(tmp_path / "imp.tif", values)), grid_dataset(), "average"
    )
    blocks = values.reshape(6, 5, 10, 5).mean(axis=(1, 3))  # each 500 m cell = 5 × 5 pixels
    assert out.values == pytest.approx(blocks, abs=1e-6)
    assert float(out.values.mean()) == pytest.approx(float(values.mean()), abs=1e-6)


def test_nearest_takes_the_pixel_under_the_centre(tmp_path: Path) -> None:
    values = np.arange(30 * 50, dtype=float).reshape(30, 50)
    out = regrid(read_raster(aligned_25832(tmp_path / "n.tif", values)), grid_dataset(), "nearest")
    assert out.values == pytest.approx(values[2::5, 2::5])


def test_nodata_becomes_nan_and_lowers_coverage(tmp_path: Path, pack: Path) -> None:
    values = np.full((30, 50), 0.5)
    values[0:5, 0:5] = -9999.0  # the whole north-west cell
    values[0:5, 5:8] = -9999.0  # 3 of the 5 pixel columns of its eastern neighbour
    values[0:5, 8:10] = 0.2
    path = aligned_25832(tmp_path / "nd.tif", values, nodata=-9999.0)
    source = read_raster(path)
    assert np.isnan(source.values).sum() == 40
    out = regrid(source, grid_dataset(), "average")
    assert np.isnan(out.values[0, 0]) and out.coverage == pytest.approx(59 / 60)
    assert out.values[0, 1] == pytest.approx(0.2)  # mean of the valid pixels only
    nearest = regrid(source, grid_dataset(), "nearest")
    assert np.isnan(nearest.values[0, 0]) and np.isnan(nearest.values[0, 1])
    # a variable that may have gaps is written with them …
    import_raster(pack, path, "lst_day", method="average")
    assert np.isnan(load_pack(pack).raster("grid")["lst_day"].values[0, 0])
    # … one that may not is refused, and the pack stays as it was
    before = pack_hash(pack)
    with pytest.raises(RasterError, match="may not have missing cells"):
        import_raster(pack, path, "tree_canopy", method="average")
    assert pack_hash(pack) == before


# --- NetCDF --------------------------------------------------------------------------------


def test_netcdf_with_lat_lon_in_kelvin(tmp_path: Path, pack: Path) -> None:
    lat = np.arange(50.85, 51.0, 0.01)  # ascending, as many products store it
    lon = np.arange(11.45, 11.75, 0.01)
    t2m = 288.15 + 0.0 * lat[:, None] + 10.0 * (lon[None, :] - 11.45)
    path = tmp_path / "night.nc"
    xr.Dataset(
        {"t2m": (("lat", "lon"), t2m, {"units": "K"})}, coords={"lat": lat, "lon": lon}
    ).to_netcdf(path)
    source = read_raster(path)
    assert source.variable == "t2m" and source.crs.to_epsg() == 4326
    assert source.crs_from == "lat/lon coordinates" and source.units == "K"
    before = pack_hash(pack)
    with pytest.raises(RasterError) as err:
        import_raster(pack, path, "tair_night")
    assert "look like Kelvin (the file says units 'K')" in str(err.value)
    assert "--from-kelvin" in str(err.value)
    assert pack_hash(pack) == before
    result = import_raster(pack, path, "tair_night", from_kelvin=True)
    values = load_pack(pack).raster("grid")["tair_night"]
    expected = 15.0 + 10.0 * (grid_centres("EPSG:4326")[0] - 11.45)
    assert np.abs(values.values - expected).max() < GRADIENT_TOL
    assert values.attrs["units"] == "°C" and values.attrs["source_units"] == "K"
    assert values.attrs["source_variable"] == "t2m" and result.units == "°C"


def test_netcdf_with_crs_wkt_picks_the_named_variable(tmp_path: Path, pack: Path) -> None:
    path, field = gradient_3035(tmp_path / "g.tif")
    source = read_raster(path)
    rows, cols = source.values.shape
    x = source.transform.c + 50.0 * (np.arange(cols) + 0.5)
    y = source.transform.f - 50.0 * (np.arange(rows) + 0.5)
    nc = tmp_path / "lst.nc"
    xr.Dataset(
        {
            "lst_day": (("y", "x"), source.values, {"grid_mapping": "crs", "units": "degC"}),
            "quality": (("y", "x"), np.zeros_like(source.values), {"grid_mapping": "crs"}),
            "crs": ((), 0, {"crs_wkt": CRS.from_epsg(3035).to_wkt()}),
        },
        coords={"x": x, "y": y},
    ).to_netcdf(nc)
    result = import_raster(pack, nc, "lst_day")
    assert result.source.variable == "lst_day" and result.source_crs == "EPSG:3035"
    expected = field(*grid_centres("EPSG:3035"))
    assert np.abs(load_pack(pack).raster("grid")["lst_day"].values - expected).max() < GRADIENT_TOL


def test_netcdf_epsg_attribute_and_band_along_time(tmp_path: Path) -> None:
    x = X0 + 100.0 * (np.arange(50) + 0.5)
    y = Y0 + GRID_H - 100.0 * (np.arange(30) + 0.5)
    data = np.stack([np.full((30, 50), v) for v in (1.0, 2.0, 3.0)])
    path = tmp_path / "series.nc"
    xr.Dataset(
        {"v": (("time", "y", "x"), data)},
        coords={"time": [0, 1, 2], "x": x, "y": y},
        attrs={"epsg": "EPSG:25832"},
    ).to_netcdf(path)
    source = read_raster(path, band=2)
    assert source.crs.to_epsg() == 25832 and np.all(source.values == 2.0)
    with pytest.raises(RasterError, match="band 4 out of range; variable 'v' has 3 band"):
        read_raster(path, band=4)


def test_netcdf_variables_are_listed_when_unknown(tmp_path: Path, pack: Path) -> None:
    path = tmp_path / "two.nc"
    lat, lon = np.arange(50.85, 51.0, 0.01), np.arange(11.45, 11.75, 0.01)
    zeros = np.zeros((lat.size, lon.size))
    xr.Dataset(
        {"lst": (("lat", "lon"), zeros), "qc": (("lat", "lon"), zeros)},
        coords={"lat": lat, "lon": lon},
    ).to_netcdf(path)
    with pytest.raises(UnknownVariableError, match="no variable 'nope'; variables: lst, qc"):
        read_raster(path, variable="nope")
    before = pack_hash(pack)
    with pytest.raises(RasterError) as err:
        import_raster(pack, path, "lst_day")
    assert "no variable 'lst_day'; variables: lst, qc" in str(err.value)
    assert "--source-variable" in str(err.value)
    assert pack_hash(pack) == before
    import_raster(pack, path, "lst_day", source_variable="lst")
    assert load_pack(pack).raster("grid")["lst_day"].attrs["source_variable"] == "lst"


def test_netcdf_without_crs_needs_source_crs(tmp_path: Path) -> None:
    x = X0 + 100.0 * (np.arange(50) + 0.5)
    y = Y0 + GRID_H - 100.0 * (np.arange(30) + 0.5)
    path = tmp_path / "nocrs.nc"
    xr.Dataset({"v": (("y", "x"), np.ones((30, 50)))}, coords={"x": x, "y": y}).to_netcdf(path)
    with pytest.raises(RasterError, match="states no CRS; state it with --source-crs") as err:
        read_raster(path)
    assert err.value.file == str(path) and err.value.found == "none"
    source = read_raster(path, source_crs="EPSG:25832")
    assert source.crs_from == "source_crs"
    assert regrid(source, grid_dataset(), "nearest").coverage == 1.0


# --- refusing bad input --------------------------------------------------------------------


def _not_a_raster(tmp_path: Path) -> Path:
    path = tmp_path / "table.csv"
    path.write_text("a,b\n1,2\n")
    return path


def _far_away(tmp_path: Path) -> Path:
    return write_tif(
        tmp_path / "berlin.tif", np.ones((20, 20)), 4_550_000, 3_280_000, 100.0, "EPSG:3035"
    )


@pytest.mark.parametrize(
    ("make", "kwargs", "expected"),
    [
        (_not_a_raster, {}, "table.csv: not a raster file (expected GeoTIFF or NetCDF)"),
        (
            lambda p: write_tif(p / "nocrs.tif", np.ones((30, 50)), X0, Y0 + GRID_H, 100.0, None),
            {},
            "nocrs.tif: the file states no CRS; state it with --source-crs, e.g.",
        ),
        (
            lambda p: aligned_25832(p / "one.tif", np.ones((30, 50))),
            {"band": 2},
            "one.tif: band 2 out of range; the file has 1 band(s), numbered 1 to 1",
        ),
        (_far_away, {}, "berlin.tif: no overlap with the grid"),
        (
            lambda p: aligned_25832(p / "one.tif", np.ones((30, 50))),
            {"method": "cubic"},
            "unknown regridding method 'cubic'; choose one of bilinear, average, nearest",
        ),
        (
            lambda p: aligned_25832(p / "lc.tif", np.ones((30, 50))),
            {"variable": "landcover"},
            "'landcover' holds class codes; regrid it with method 'nearest'",
        ),
        (
            lambda p: aligned_25832(p / "one.tif", np.ones((30, 50))),
            {"variable": "lst-day"},
            "variable name 'lst-day' must be letters, digits and underscores",
        ),
        (
            lambda p: aligned_25832(p / "one.tif", np.ones((30, 50))),
            {"variable": "spatial_ref"},
            "variable name 'spatial_ref' is reserved",
        ),
        (
            lambda p: aligned_25832(p / "one.tif", np.full((30, 50), 2.0)),
            {"variable": "imperviousness"},
            "'imperviousness' must lie within [0, 1], but the regridded values span 2 to 2",
        ),
        (
            lambda p: aligned_25832(p / "cold.tif", np.full((30, 50), 20.0)),
            {"variable": "lst_day", "from_kelvin": True},
            "from_kelvin was asked for, but values go down to 20",
        ),
        (
            lambda p: aligned_25832(p / "dem.tif", np.full((30, 50), 300.0)),
            {"variable": "elevation", "from_kelvin": True},
            "from_kelvin converts temperatures to °C, but 'elevation' is in m",
        ),
        (lambda p: p / "missing.tif", {}, "raster file"),
    ],
    ids=[
        "not-a-raster",
        "no-crs",
        "band",
        "no-overlap",
        "method",
        "class-codes",
        "bad-name",
        "reserved-name",
        "out-of-range",
        "not-kelvin",
        "kelvin-for-elevation",
        "missing-file",
    ],
)
def test_bad_input_is_refused_and_the_pack_is_unchanged(
    pack: Path, tmp_path: Path, make, kwargs: dict, expected: str
) -> None:
    path = make(tmp_path)
    args = {"variable": "lst_day", **kwargs}
    before = pack_hash(pack)
    with pytest.raises(RasterError) as err:
        import_raster(pack, path, **args)
    assert expected in str(err.value)
    assert pack_hash(pack) == before


def test_source_crs_wins_over_a_stated_crs_with_a_warning(tmp_path: Path) -> None:
    path, _ = gradient_3035(tmp_path / "g.tif")
    source = read_raster(path, source_crs="EPSG:25832")
    assert source.crs.to_epsg() == 25832 and source.crs_from == "source_crs"
    assert source.warnings == [
        "g.tif states EPSG:3035, but --source-crs EPSG:25832 was given and is used"
    ]
    # the same CRS given as stated: no warning
    same = read_raster(path, source_crs="EPSG:3035")
    assert same.crs.to_epsg() == 3035 and same.warnings == []
    # without source_crs the stated CRS is used
    assert read_raster(path).crs_from == "file"
    # an unknown CRS given is refused, naming the option and the file
    with pytest.raises(RasterError, match="unknown CRS given with --source-crs") as err:
        read_raster(path, source_crs="EPSG:99999")
    assert (err.value.file, err.value.found) == (str(path), "'EPSG:99999'")


def test_source_crs_fixes_a_raster_stating_the_wrong_crs(tmp_path: Path, pack: Path) -> None:
    # UTM 32N coordinates labelled EPSG:3035: as stated it lies far from the city
    path = write_tif(
        tmp_path / "mislabelled.tif", np.full((30, 50), 0.4), X0, Y0 + GRID_H, 100.0, "EPSG:3035"
    )
    before = pack_hash(pack)
    with pytest.raises(RasterError, match="no overlap with the grid") as err:
        import_raster(pack, path, "tree_canopy", method="average")
    assert "state it with --source-crs" in str(err.value)
    assert pack_hash(pack) == before
    result = import_raster(pack, path, "tree_canopy", method="average", source_crs="EPSG:25832")
    assert result.coverage == 1.0 and result.source_crs == "EPSG:25832"
    assert "mislabelled.tif states EPSG:3035, but --source-crs EPSG:25832" in "\n".join(
        result.lines()
    )
    assert np.all(load_pack(pack).raster("grid")["tree_canopy"].values == pytest.approx(0.4))


def test_source_crs_wins_over_netcdf_lat_lon(tmp_path: Path) -> None:
    x = X0 + 100.0 * (np.arange(50) + 0.5)
    y = Y0 + GRID_H - 100.0 * (np.arange(30) + 0.5)
    path = tmp_path / "latlon.nc"
    # metres stored under lat/lon names: the names alone would say EPSG:4326
    xr.Dataset({"v": (("lat", "lon"), np.ones((30, 50)))}, coords={"lon": x, "lat": y}).to_netcdf(
        path
    )
    assert read_raster(path).crs_from == "lat/lon coordinates"
    source = read_raster(path, source_crs="EPSG:25832")
    assert source.crs.to_epsg() == 25832 and source.crs_from == "source_crs"
    assert any("latlon.nc states EPSG:4326, but --source-crs" in w for w in source.warnings)
    assert regrid(source, grid_dataset(), "nearest").coverage == 1.0


def test_source_crs_for_a_tif_without_one(tmp_path: Path, pack: Path) -> None:
    path = write_tif(tmp_path / "nocrs.tif", np.full((30, 50), 0.3), X0, Y0 + GRID_H, 100.0, None)
    result = import_raster(pack, path, "tree_canopy", source_crs="EPSG:25832", method="average")
    assert result.source_crs == "EPSG:25832" and result.coverage == 1.0


def test_replacing_a_variable_says_so(tmp_path: Path, pack: Path) -> None:
    path = aligned_25832(tmp_path / "dem.tif", np.full((30, 50), 321.0))
    result = import_raster(pack, path, "elevation", method="average", cell_size=50)
    assert any("replaced the grid's existing variable 'elevation'" in w for w in result.warnings)
    assert any(
        "cell_size 50 ignored: the pack's grid has 500 m cells" in w for w in result.warnings
    )
    assert np.all(load_pack(pack).raster("grid")["elevation"].values == 321.0)


def test_licence_and_attribution_are_recorded(tmp_path: Path, pack: Path) -> None:
    path, _ = gradient_3035(tmp_path / "lst.tif")
    import_raster(pack, path, "lst_day", licence="CC-BY-4.0", attribution="© Copernicus")
    loaded = load_pack(pack)
    entry = loaded.dataset("grid")
    assert entry.licence.endswith("; lst_day: CC-BY-4.0")
    assert entry.attribution.endswith("; lst_day: © Copernicus")
    assert loaded.raster("grid")["lst_day"].attrs["licence"] == "CC-BY-4.0"


# --- a pack without a grid -----------------------------------------------------------------


@pytest.fixture
def gridless(tmp_path: Path) -> Path:
    folder = tmp_path / "gridless"
    with staged_pack(folder, CITY) as stage:
        stage.put_vector(DATASETS["outline"], outline_frame())
        stage.put_vector(DATASETS["districts"], districts_frame())
    return folder


def test_a_new_grid_covers_the_city_bbox(tmp_path: Path, gridless: Path) -> None:
    big = write_tif(
        tmp_path / "big.tif", np.full((300, 300), 25.0), 4_420_000, 3_100_000, 100.0, "EPSG:3035"
    )
    result = import_raster(gridless, big, "lst_day", cell_size=250)
    assert result.created_grid and result.cell_size == 250.0 and result.coverage == 1.0
    loaded = load_pack(gridless)
    entry = loaded.dataset("grid")
    assert (entry.kind, entry.path, entry.crs) == ("raster", "grid.nc", CITY.metric_crs)
    grid = loaded.raster("grid")
    crs = raster_crs(grid)
    assert crs is not None and crs.equals(CRS.from_user_input(CITY.metric_crs))
    assert "crs_wkt" in grid["spatial_ref"].attrs
    x, y = grid["x"].values, grid["y"].values
    assert np.all(np.mod(x - 125.0, 250.0) == 0) and np.all(np.mod(y - 125.0, 250.0) == 0)
    assert np.all(np.diff(y) < 0)
    bx0, by0, bx1, by1 = Transformer.from_crs(
        "EPSG:4326", CITY.metric_crs, always_xy=True
    ).transform_bounds(*CITY.bbox)
    assert x[0] - 125 <= bx0 and x[-1] + 125 >= bx1 and y[-1] - 125 <= by0 and y[0] + 125 >= by1
    assert grid["lst_day"].attrs["grid_mapping"] == "spatial_ref"


def test_a_new_grid_needs_a_known_variable(tmp_path: Path, gridless: Path) -> None:
    path, _ = gradient_3035(tmp_path / "lst.tif")
    before = pack_hash(gridless)
    with pytest.raises(RasterError, match="a new grid needs at least one known variable"):
        import_raster(gridless, path, "ndvi")
    assert pack_hash(gridless) == before


def test_not_a_pack(tmp_path: Path) -> None:
    path, _ = gradient_3035(tmp_path / "lst.tif")
    with pytest.raises(ValueError, match="is not a city pack"):
        import_raster(tmp_path, path, "lst_day")


# --- the importer contract ----------------------------------------------------------------


def test_errors_name_the_file_where_expected_and_found(tmp_path: Path, pack: Path) -> None:
    one = aligned_25832(tmp_path / "one.tif", np.full((30, 50), 2.0))
    with pytest.raises(RasterError) as err:
        read_raster(one, band=2)
    assert isinstance(err.value, ImporterError) and err.value.file == str(one)
    assert (err.value.expected, err.value.found) == ("a band from 1 to 1", "2")
    with pytest.raises(RasterError) as err:
        import_raster(pack, one, "imperviousness", method="average")
    assert (err.value.file, err.value.where) == ("one.tif", "band 1")
    assert (err.value.expected, err.value.found) == ("values in [0, 1]", "2 to 2")
    with pytest.raises(RasterError) as err:
        import_raster(pack, one, "landcover")
    assert (err.value.where, err.value.expected, err.value.found) == (
        "--method",
        "nearest",
        "'bilinear'",
    )


def test_importer_options_reproduce_the_old_cli() -> None:
    flags = {o.name: o.cli for o in IMPORTER.options}
    assert flags == {
        "file": "--file",
        "variable": "--variable",
        "band": "--band",
        "method": "--method",
        "source_crs": "--source-crs",
        "from_kelvin": "--from-kelvin",
        "cell_size": "--cell-size",
        "source_variable": "--source-variable",
        "licence": "--licence",
        "attribution": "--attribution",
    }
    opts = {o.name: o for o in IMPORTER.options}
    assert opts["file"].input and opts["file"].required and opts["variable"].required
    assert (opts["band"].type, opts["band"].default) == (int, 1)
    assert opts["method"].choices == ("bilinear", "average", "nearest")
    assert opts["method"].default == "bilinear" and opts["from_kelvin"].flag
    assert [o.name for o in IMPORTER.options if o.input] == ["file"]
    assert positive_metres("250") == 250.0
    for bad in ("0", "-5", "abc", "nan"):
        with pytest.raises(argparse.ArgumentTypeError, match="must be a positive number"):
            positive_metres(bad)


def test_importer_run_counts_what_the_pack_holds(tmp_path: Path, pack: Path) -> None:
    values = np.full((30, 50), 0.5)
    values[0:5, 0:5] = -9999.0  # the whole north-west cell is no-data
    path = aligned_25832(tmp_path / "nd.tif", values, nodata=-9999.0)
    result = run_importer(IMPORTER, pack, file=path, variable="lst_day", method="average")
    held = np.isfinite(load_pack(pack).raster("grid")["lst_day"].values)
    assert (result.read, result.written, result.unit) == (1500, int(held.sum()), "cells")
    assert result.written == 59 and result.files == (str(path),)
    assert result.datasets == ("grid",) and result.native.coverage == pytest.approx(59 / 60)
    assert any("average regridding of nd.tif" in line for line in result.details)
    assert result.warnings == [
        "licence of the raster not stated; the grid's catalog entry keeps its own licence"
    ]
    assert result.lines()[0].startswith("imported 59 cells into grid")


def test_importer_run_names_the_file_of_a_bad_input(tmp_path: Path, pack: Path) -> None:
    good = aligned_25832(tmp_path / "good.tif", np.ones((30, 50))).read_bytes()
    before = pack_hash(pack)
    for name, data in [
        ("empty.tif", b""),
        ("utf16.tif", good.decode("latin-1").encode("utf-16-le")),
        ("cut.tif", good[: len(good) * 3 // 5]),
        ("table.nc", b"CDF\x01 not really NetCDF"),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(RasterError) as err:
            run_importer(IMPORTER, pack, file=path, variable="lst_day")
        assert str(err.value).startswith(f"{name}: "), str(err.value)
        assert err.value.file == str(path)
    assert pack_hash(pack) == before


# --- the command line ----------------------------------------------------------------------


def test_cli_import_raster(tmp_path: Path, pack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = gradient_3035(tmp_path / "lst.tif")
    argv = ["import", "raster", "--pack", str(pack), "--file", str(path), "--variable", "lst_day"]
    assert main([*argv, "--method", "average"]) == 0
    out = capsys.readouterr().out
    assert "lst_day: average regridding of lst.tif (band 1), EPSG:3035" in out
    assert "coverage 100.0 % of the grid cells" in out
    assert main(["validate", str(pack)]) == 0
    capsys.readouterr()
    kelvin = aligned_25832(tmp_path / "k.tif", np.full((30, 50), 300.0))
    before = pack_hash(pack)
    argv = ["import", "raster", "--pack", str(pack), "--file", str(kelvin), "--variable", "lst_day"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("import failed; the pack was not changed: k.tif:")
    assert "--from-kelvin" in err
    assert pack_hash(pack) == before
    assert main([*argv, "--from-kelvin", "--band", "1", "--method", "nearest"]) == 0
    assert "values 26.85 to 26.85 °C" in capsys.readouterr().out
    assert validate_pack(pack).ok
