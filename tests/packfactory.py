"""Build a tiny, valid city pack in code, for tests.

Geometry is made in EPSG:25832 (metres) and handed to :func:`data.writer.staged_pack`, which
reprojects vectors to EPSG:4326 on write; loading the pack reprojects them back to the metric
CRS, so the whole CRS round trip is exercised.

The districts are squares of known size (``DISTRICT_SIDES_M``), laid side by side from
``ORIGIN``, so their areas in km² are known exactly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import xarray as xr
from pyproj import CRS
from shapely.geometry import LineString, box

from data.catalog import City, Dataset
from data.writer import staged_pack

METRIC_CRS = "EPSG:25832"
# South-west corner of the first district, EPSG:25832 metres (≈ lon 11.56, lat 50.91).
ORIGIN = (680_000.0, 5_642_000.0)
DISTRICT_IDS = ("D01", "D02", "D03")
DISTRICT_NAMES = ("Altstadt", "Nordviertel", "Südhang")
DISTRICT_SIDES_M = (1000.0, 2000.0, 1500.0)
DISTRICT_AREAS_KM2 = tuple((side / 1000.0) ** 2 for side in DISTRICT_SIDES_M)
POPULATION = (12_000, 30_000, 8_000)
POP_65PLUS = (3_000, 6_000, 2_500)
POP_UNDER6 = (600, 1_800, 400)

CITY = City(
    id="testburg",
    name="Testburg",
    centre=(50.92, 11.58),
    zoom=13,
    bbox=(11.50, 50.87, 11.66, 50.97),
    metric_crs=METRIC_CRS,
    default_language="de",
    synthetic=True,
)


def _dataset(ds_id: str, kind: str, path: str, crs: str | None = None) -> Dataset:
    return Dataset(
        id=ds_id,
        title={"de": f"Test {ds_id}", "en": f"Test {ds_id}"},
        kind=kind,
        path=path,
        crs=crs,
        licence="CC0-1.0",
        attribution="Allmende tests",
        generated_by="tests/packfactory.py",
    )


def vector_dataset(ds_id: str) -> Dataset:
    """The catalog entry of a vector dataset ``<id>.geojson`` added by a test."""
    return _dataset(ds_id, "vector", f"{ds_id}.geojson")


# the corner the land-use tests draw their hand-made squares from (inside the test city)
X0, Y0 = ORIGIN[0] + 300.0, ORIGIN[1] + 300.0


def sq(x1: float, y1: float, x2: float, y2: float) -> Any:
    """A square (metric CRS) from ``(x1, y1)`` to ``(x2, y2)`` metres off :data:`X0`, :data:`Y0`."""
    from shapely.geometry import box

    return box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


DATASETS: dict[str, Dataset] = {
    "outline": _dataset("outline", "vector", "outline.geojson"),
    "districts": _dataset("districts", "vector", "districts.geojson"),
    "river": _dataset("river", "vector", "river.geojson"),
    "grid": _dataset("grid", "raster", "grid.nc", crs=METRIC_CRS),
    "district_stats": _dataset("district_stats", "table", "district_stats.csv"),
}


def district_squares() -> list:
    """The district squares in EPSG:25832, side by side along x from ``ORIGIN``."""
    x0, y0 = ORIGIN
    squares = []
    for side in DISTRICT_SIDES_M:
        squares.append(box(x0, y0, x0 + side, y0 + side))
        x0 += side
    return squares


def districts_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "district_id": list(DISTRICT_IDS),
            "name": list(DISTRICT_NAMES),
            "population": list(POPULATION),
            "pop_65plus": list(POP_65PLUS),
            "pop_under6": list(POP_UNDER6),
        },
        geometry=district_squares(),
        crs=METRIC_CRS,
    )


def outline_frame() -> gpd.GeoDataFrame:
    x0, y0 = ORIGIN
    width = sum(DISTRICT_SIDES_M)
    height = max(DISTRICT_SIDES_M)
    shape = box(x0 - 500, y0 - 500, x0 + width + 500, y0 + height + 500)
    return gpd.GeoDataFrame({"name": [CITY.name]}, geometry=[shape], crs=METRIC_CRS)


def river_frame() -> gpd.GeoDataFrame:
    x0, y0 = ORIGIN
    line = LineString([(x0 - 1000, y0 + 1000), (x0 + 2000, y0 + 800), (x0 + 5500, y0 + 500)])
    return gpd.GeoDataFrame({"name": ["Testbach"]}, geometry=[line], crs=METRIC_CRS)


def grid_dataset(cell: float = 500.0, nx: int = 10, ny: int = 6) -> xr.Dataset:
    """A small raster on EPSG:25832 cell centres, every schema variable within its range."""
    x0, y0 = ORIGIN
    x = x0 + cell / 2 + cell * np.arange(nx)
    y = (y0 + cell * ny - cell / 2) - cell * np.arange(ny)  # north to south
    yy, xx = np.meshgrid(np.linspace(0.0, 1.0, ny), np.linspace(0.0, 1.0, nx), indexing="ij")
    share_65 = 0.15 + 0.1 * xx
    share_65[0, 0] = np.nan  # missing shares are allowed (cells without people)
    dims = ("y", "x")
    return xr.Dataset(
        {
            "elevation": (dims, 150.0 + 200.0 * yy),
            "landcover": (dims, (1 + (np.arange(nx * ny) % 7)).reshape(ny, nx).astype("int16")),
            "imperviousness": (dims, 0.9 * xx),
            "tree_canopy": (dims, 0.5 * yy),
            "population": (dims, 100.0 * (1.0 - xx)),
            "share_65plus": (dims, share_65),
            "share_under6": (dims, 0.05 + 0.02 * yy),
        },
        coords={
            "x": ("x", x, {"units": "m", "standard_name": "projection_x_coordinate"}),
            "y": ("y", y, {"units": "m", "standard_name": "projection_y_coordinate"}),
            "spatial_ref": ((), 0, {"crs_wkt": CRS.from_user_input(METRIC_CRS).to_wkt()}),
        },
    )


def district_stats_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "district_id": list(DISTRICT_IDS),
            "name": list(DISTRICT_NAMES),
            "households": [6_500, 15_000, 3_900],
        }
    )


def make_pack(folder: Path) -> Path:
    """Write the valid test pack into ``folder`` (created) and return ``folder``."""
    with staged_pack(folder, CITY) as stage:
        stage.put_vector(DATASETS["outline"], outline_frame())
        stage.put_vector(DATASETS["districts"], districts_frame())
        stage.put_vector(DATASETS["river"], river_frame())
        stage.put_raster(DATASETS["grid"], grid_dataset())
        stage.put_table(DATASETS["district_stats"], district_stats_frame())
    return Path(folder)


# --- footfall ----------------------------------------------------------------------------------

FOOTFALL_SITES = (("markt", "Markt", 11.5878, 50.9282), ("nord", "Nordplatz", 11.590, 50.935))
# three weeks across the spring DST switch (Sunday 2024-03-31 has 23 local hours)
FOOTFALL_START, FOOTFALL_HOURS = "2024-03-24 23:00", 21 * 24
GAP = ("nord", "2024-04-03 06:00", 5)  # site, first UTC hour, hours missing


def footfall_frames() -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Two sites; counts = 100 × (site number) at every local hour 8–19, else 10; one gap."""
    sites = gpd.GeoDataFrame(
        {"site_id": [s[0] for s in FOOTFALL_SITES], "name": [s[1] for s in FOOTFALL_SITES]},
        geometry=gpd.points_from_xy([s[2] for s in FOOTFALL_SITES], [s[3] for s in FOOTFALL_SITES]),
        crs="EPSG:4326",
    )
    times = pd.date_range(FOOTFALL_START, periods=FOOTFALL_HOURS, freq="h", tz="UTC")
    local_hour = times.tz_convert("Europe/Berlin").hour
    rows = []
    for n, (site_id, *_rest) in enumerate(FOOTFALL_SITES, start=1):
        counts = np.where((local_hour >= 8) & (local_hour < 20), 100.0 * n, 10.0)
        frame = pd.DataFrame({"site_id": site_id, "time": times, "count": counts})
        rows.append(frame)
    counts = pd.concat(rows, ignore_index=True)
    gap_site, gap_start, gap_len = GAP
    gap_times = pd.date_range(gap_start, periods=gap_len, freq="h", tz="UTC")
    counts.loc[(counts["site_id"] == gap_site) & counts["time"].isin(gap_times), "count"] = np.nan
    return sites, counts


def make_footfall_pack(folder: Path) -> Path:
    """The test pack plus ``footfall_sites`` and ``footfall_counts``."""
    make_pack(folder)
    sites, counts = footfall_frames()
    with staged_pack(folder) as stage:
        stage.put_vector(_dataset("footfall_sites", "vector", "footfall_sites.geojson"), sites)
        stage.put_timeseries(
            _dataset("footfall_counts", "timeseries", "footfall_counts.parquet"), counts
        )
    return Path(folder)


# --- heat ----------------------------------------------------------------------------------

# (facility_id, kind, x offset, y offset) in metres from ORIGIN: two in D01, one in D02
FACILITIES = (
    ("f1", "kita", 250.0, 250.0),
    ("f2", "care_home", 750.0, 750.0),
    ("f3", "school", 1600.0, 400.0),
)
UNEMPLOYED = (900, 1_200, 200)  # per district: D01 is the most disadvantaged (7.5 %)


def heat_fields(grid: xr.Dataset) -> xr.Dataset:
    """Add ``lst_day`` and ``tair_night`` (°C) made from imperviousness and canopy."""
    imperv = grid["imperviousness"]
    canopy = grid["tree_canopy"]
    return grid.assign(
        lst_day=(25.0 + 15.0 * imperv - 8.0 * canopy).astype("float32"),
        tair_night=(15.0 + 4.0 * imperv - 1.0 * canopy).astype("float32"),
    )


def climate_frame(first: int = 1991, last: int = 2020) -> pd.DataFrame:
    """A daily station series: a seasonal cycle warming by 0.5 K per decade, one gap year.

    Noise is a fixed pseudo-random sequence; 2005 misses a quarter of its days (flagged).
    """
    days = pd.date_range(f"{first}-01-01", f"{last}-12-31", freq="D")
    doy = days.day_of_year.to_numpy()
    years = days.year.to_numpy()
    noise = 4.0 * np.sin(np.arange(len(days)) * 2.3) * np.cos(np.arange(len(days)) * 0.7)
    tmean = 9.5 + 9.5 * np.cos(2 * np.pi * (doy - 201) / 365.25) + 0.05 * (years - first) + noise
    tmax = np.round(tmean + 5.5, 1)
    tmin = np.round(tmean - 5.5, 1)
    gap = (years == 2005) & (doy <= 92)
    tmax[gap] = np.nan
    tmin[gap] = np.nan
    return pd.DataFrame(
        {
            "date": days.strftime("%Y-%m-%d"),
            "tmax": tmax,
            "tmin": tmin,
            "tmean": np.round((tmax + tmin) / 2, 1),
            "precip_mm": np.where(noise > 2, 3.0, 0.0),
            "station_id": "99999",
        }
    )


def make_heat_pack(folder: Path) -> Path:
    """The test pack plus heat fields on the grid, facilities and unemployed per district."""
    make_pack(folder)
    x0, y0 = ORIGIN
    facilities = gpd.GeoDataFrame(
        {
            "facility_id": [f[0] for f in FACILITIES],
            "name": [f"Test {f[1]} {f[0]}" for f in FACILITIES],
            "kind": [f[1] for f in FACILITIES],
        },
        geometry=gpd.points_from_xy(
            [x0 + f[2] for f in FACILITIES], [y0 + f[3] for f in FACILITIES]
        ),
        crs=METRIC_CRS,
    )
    districts = districts_frame().assign(unemployed=list(UNEMPLOYED))
    with staged_pack(folder) as stage:
        stage.put_table(_dataset("climate_daily", "table", "climate_daily.csv"), climate_frame())
        stage.put_raster(DATASETS["grid"], heat_fields(grid_dataset()))
        stage.put_vector(DATASETS["districts"], districts)
        stage.put_vector(_dataset("facilities", "vector", "facilities.geojson"), facilities)
    return Path(folder)
