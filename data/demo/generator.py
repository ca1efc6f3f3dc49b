"""Build the synthetic Jena demo city pack from documented facts, deterministically.

What does a plausible Jena look like when all we may use are a few published numbers? This
module answers that with a complete, valid city pack (``city.toml`` plus ten datasets) and
owns the public API and the pack folder; the parts live beside it:

* ``outline`` — an approximate city outline (union of discs around the 30 Ortsteil
  centroids, smoothed, scaled to the summed Ortsteil area of 114.76 km², inside the bbox);
* ``districts`` — the 30 Ortsteile as a power (weighted Voronoi) diagram around their real
  centroids, clipped to the outline, with weights fitted by damped Newton iterations so each
  cell has the official area; populations (persons, 31.12.2017) and registered unemployed
  (31.12.2017) from the facts;
* ``river`` — the Saale as a cubic spline through 16 documented points, south to north
  (these three: :mod:`data.demo.geometry`);
* ``grid`` — a 100 m raster in EPSG:25832: elevation (m), land cover (codes of
  :data:`data.schemas.LANDCOVER_CLASSES`), imperviousness and tree canopy (fractions 0–1),
  population (persons per cell, summing exactly to each district), the shares of
  people aged 65+ and under 6 (fractions 0–1) (:mod:`data.demo.grid`), and the
  land-surface temperature of a hot summer afternoon and the air temperature of a calm
  summer night (°C; urban heat island, cold-air drainage; :mod:`data.demo.heat`);
* ``district_stats`` — the district figures as a table (:mod:`data.demo.tables`);
* ``facilities`` — 58 Kitas, 45 schools, 20 care homes and 2 hospitals as points, placed
  on populated cells by the people they serve (:mod:`data.demo.facilities`);
* ``climate_daily`` — a synthetic daily climate record of Jena (Sternwarte) 1951–2025 from
  Erfurt-Weimar statistics plus the measured Jena offsets, with sensor gaps
  (:mod:`data.demo.climate`, figures in :mod:`data.demo.facts_climate`);
* ``weather_daily`` — its 2023–2025 slice, the weather of the footfall demo
  (:mod:`data.demo.weather`);
* ``footfall_sites`` and ``footfall_counts`` — 13 synthetic pedestrian counting sites and
  their hourly counts for the local years 2024–2025 (:mod:`data.demo.footfall`);
* ``landuse``, ``plans`` and ``constraints`` — land-use polygons with the Kataster's
  areas, 12 planned developments after the city's 2015 project list and the climate and
  legal constraint zones (:mod:`data.demo.landuse`, facts in :mod:`data.demo.facts_landuse`);
  the pack also carries the demo's ``conflict_rules.toml``;
* ``calendar`` — Thuringian school holidays, the university's lecture periods and the
  demo's events as date ranges (:mod:`data.demo.facts_calendar`); ``city.toml`` declares the time zone
  Europe/Berlin and public holidays DE-TH.

The ``city.toml`` entries and their de/en texts come from :mod:`data.demo.datasets`.

Geometry depends only on the facts; ``seed`` drives the raster texture (terrain noise,
where within a district people live, land-cover patches), the facility positions, the
weather and the counts, so the same seed gives byte-identical files. Units: metres and km² in EPSG:25832, persons, fractions 0–1.
Everything is written through :func:`data.writer.staged_pack`, so a failed build leaves an
existing pack untouched.
"""

from __future__ import annotations

import fcntl
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from data.cache import cache_dir
from data.catalog import CITY_FILE, CatalogError, read_catalog
from data.demo import facts
from data.demo import facts_calendar as fcal
from data.demo.climate import SERIES_END, SERIES_START, station_series, summarise
from data.demo.datasets import (
    DATASET_IDS,
    PACK_ID,
    PATHS,
    calendar_dataset,
    city_entry,
    climate_dataset,
    districts_dataset,
    facilities_dataset,
    footfall_counts_dataset,
    footfall_sites_dataset,
    grid_dataset,
    outline_dataset,
    river_dataset,
    stats_dataset,
    weather_dataset,
)
from data.demo.facilities import facility_points
from data.demo.footfall import (
    COUNT_END,
    COUNT_START,
    event_ranges,
    footfall_counts,
    footfall_sites,
)
from data.demo.geometry import (
    METRIC_CRS,
    city_outline,
    clip_polygon,
    fit_districts,
    fit_stats,
    river_line,
    sites_metric,
)
from data.demo.grid import CELL_M, build_grid
from data.demo.landuse import (
    allocate,
    constraints_frame,
    landuse_frame,
    plans_frame,
    theme_datasets,
)
from data.demo.tables import (
    DISTRICT_COLUMNS,
    district_table,
    largest_remainder,
    slug,
    stats_table,
)
from data.demo.weather import WEATHER_END, WEATHER_START, daily_weather
from data.pack import read_vector, validate_pack
from data.writer import staged_pack

__all__ = [
    "CELL_M",
    "DATASET_IDS",
    "DEFAULT_SEED",
    "GENERATOR_VERSION",
    "METRIC_CRS",
    "PACK_ID",
    "PATHS",
    "build_demo_pack",
    "demo_pack_dir",
    "ensure_demo_pack",
    "largest_remainder",
    "slug",
]

GENERATOR_VERSION = "9"
RULES_FILE = "conflict_rules.toml"
DEFAULT_SEED = 20171231
# Files a demo pack consists of; a folder holding only these may be cleared and rebuilt.
_PACK_FILES = frozenset({CITY_FILE, RULES_FILE, *PATHS.values()})
# the conflict rules the pack carries (read by allmende conflicts and the conflict layer)
RULES_FILE_SOURCE = Path(__file__).with_name(RULES_FILE)


# --- public API ----------------------------------------------------------------------------


def demo_pack_dir(cache: Path | str | None = None) -> Path:
    """Where the demo pack of this generator version lives in the cache.

    Parameters
    ----------
    cache
        Cache folder; ``None`` uses :func:`data.cache.cache_dir`'s default.

    Returns
    -------
    Path
        ``cache_dir(cache) / f"jena-demo-v{GENERATOR_VERSION}"``.
    """
    return cache_dir(cache) / f"{PACK_ID}-v{GENERATOR_VERSION}"


def ensure_demo_pack(cache: Path | str | None = None) -> Path:
    """Return the cached demo pack folder, building it first if missing or invalid.

    A lock file beside the folder (``fcntl.flock``) makes concurrent callers wait for one
    build instead of building twice.

    Parameters
    ----------
    cache
        Cache folder; ``None`` uses the default of :func:`data.cache.cache_dir`.

    Returns
    -------
    Path
        The folder of a valid demo pack.
    """
    folder = demo_pack_dir(cache)
    if _is_complete(folder):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    lock_path = folder.parent / f".{folder.name}.lock"
    with open(lock_path, "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            if not _is_complete(folder):
                build_demo_pack(folder)
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
    return folder


def build_demo_pack(folder: Path | str, seed: int = DEFAULT_SEED) -> Path:
    """Write (or overwrite) the complete Jena demo pack into ``folder``.

    Parameters
    ----------
    folder
        Target folder. It may be absent, empty, an existing pack, or a broken demo pack
        (holding only demo-pack files); anything else is refused.
    seed
        Seed of the raster texture; the same seed gives byte-identical files.

    Returns
    -------
    Path
        The resolved folder.

    Raises
    ------
    data.pack.PackError
        If the generated pack does not validate (the previous pack stays as it was).
    ValueError
        If ``folder`` holds files that are not part of a demo pack.
    """
    folder = Path(folder).resolve()
    _clear_broken_pack(folder)
    generated_by = f"allmende data.demo v{GENERATOR_VERSION} seed {seed}"

    sites = sites_metric()
    clip = clip_polygon()
    targets_km2 = np.array([o.area_km2 for o in facts.ORTSTEILE])
    outline_m = city_outline(sites, targets_km2 * 1e6, clip)
    parts, iterations = fit_districts(sites, targets_km2, outline_m)
    parts = shapely.set_precision(parts, 1.0)
    outline_m = shapely.union_all(parts)
    fit = fit_stats(parts, sites, targets_km2, iterations, outline_m)
    river_m = river_line()

    table = district_table(parts)
    table["unemployed"] = [facts.ORTSTEIL_UNEMPLOYED_2017[o.name] for o in facts.ORTSTEILE]
    if (table["unemployed"] > table["population"]).any():
        raise RuntimeError("more unemployed than residents in a district; check the facts")
    columns = (*DISTRICT_COLUMNS, "unemployed")
    with staged_pack(folder, city_entry()) as st:
        st.put_vector(outline_dataset(generated_by, fit), _frame([outline_m], {}))
        st.put_vector(
            districts_dataset(generated_by, fit),
            _frame(list(parts), {c: table[c].tolist() for c in columns}),
        )
        st.put_vector(
            river_dataset(generated_by), _frame([shapely.intersection(river_m, clip)], {})
        )
        # Read the polygons back exactly as data.pack.load_pack will, so the grid's cell
        # assignment (by cell centre) agrees with any later reader to the last bit.
        back_districts = read_vector(st.dir / PATHS["districts"]).to_crs(METRIC_CRS)
        back_outline = read_vector(st.dir / PATHS["outline"]).to_crs(METRIC_CRS)
        grid = build_grid(
            seed,
            sites,
            river_m,
            list(back_districts.geometry),
            back_outline.geometry.iloc[0],
            table,
            generated_by,
        )
        st.put_raster(grid_dataset(generated_by), grid)
        st.put_table(stats_dataset(generated_by), stats_table(table))
        st.put_vector(
            facilities_dataset(generated_by),
            facility_points(
                seed,
                grid,
                list(back_districts.geometry),
                back_outline.geometry.iloc[0],
                table,
            ),
        )
        climate = station_series(seed)
        st.put_table(
            climate_dataset(generated_by, SERIES_START, SERIES_END, summarise(climate)),
            climate,
        )
        weather = daily_weather(seed)
        st.put_table(weather_dataset(generated_by, WEATHER_START, WEATHER_END), weather)
        st.put_vector(
            footfall_sites_dataset(generated_by, COUNT_START, COUNT_END), footfall_sites()
        )
        st.put_timeseries(
            footfall_counts_dataset(generated_by, COUNT_START, COUNT_END),
            footfall_counts(seed, weather),
        )
        ranges = fcal.calendar_ranges() + event_ranges()
        st.put_table(calendar_dataset(generated_by, ranges), pd.DataFrame(ranges))
        # the land-use theme, from the grid and facilities as readers will see them
        back_facilities = read_vector(st.dir / PATHS["facilities"]).to_crs(METRIC_CRS)
        facility_xy = shapely.get_coordinates(back_facilities.geometry.values)
        alloc = allocate(grid, back_outline.geometry.iloc[0], river_m)
        ds_landuse, ds_plans, ds_constraints = theme_datasets(generated_by)
        st.put_vector(ds_landuse, landuse_frame(grid, alloc, back_outline.geometry.iloc[0]))
        st.put_vector(ds_plans, plans_frame(grid, alloc, back_districts, river_m))
        st.put_vector(
            ds_constraints,
            constraints_frame(grid, alloc, back_outline.geometry.iloc[0], river_m, facility_xy),
        )
        shutil.copyfile(RULES_FILE_SOURCE, st.dir / RULES_FILE)
    return folder


# --- folder handling -----------------------------------------------------------------------


def _is_complete(folder: Path) -> bool:
    """True when ``folder`` is a valid pack holding every demo dataset."""
    if not (folder / CITY_FILE).is_file():
        return False
    report = validate_pack(folder)
    complete = report.ok and all(ds in report.checked for ds in DATASET_IDS)
    return complete and (folder / RULES_FILE).is_file()


def _clear_broken_pack(folder: Path) -> None:
    """Empty a demo pack whose ``city.toml`` is missing or unreadable, so it can be rebuilt.

    A readable pack is left alone (:func:`data.writer.staged_pack` replaces its datasets);
    a folder holding anything besides demo-pack files is refused.
    """
    if not folder.is_dir():
        return
    entries = sorted(folder.iterdir())
    if not entries:
        return
    try:
        read_catalog(folder)
        return
    except CatalogError:
        pass
    strangers = [e.name for e in entries if e.name not in _PACK_FILES or not e.is_file()]
    if strangers:
        raise ValueError(
            f"{str(folder)!r} is not a readable city pack and holds files that are not part "
            f"of the demo pack ({', '.join(strangers[:5])}); refusing to overwrite it"
        )
    for entry in entries:
        entry.unlink()


# --- helpers -------------------------------------------------------------------------------


def _frame(geoms: list[BaseGeometry], columns: dict[str, list[object]]) -> gpd.GeoDataFrame:
    """A GeoDataFrame in EPSG:25832 from geometries and attribute columns."""
    return gpd.GeoDataFrame(columns, geometry=geoms, crs=METRIC_CRS)
