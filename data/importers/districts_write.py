"""Writing the districts: the city of a new pack, the catalog entries and the staged write.

:func:`resolve_city` decides the city (and metric CRS) of a new pack or keeps an existing
one's, :func:`build_outputs` makes the ``districts`` vector and ``district_stats`` table,
:func:`dataset_entries` their catalog entries, and :func:`write_pack` writes both through
:func:`data.writer.staged_pack` — all or nothing.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from pyproj import CRS
from pyproj.aoi import AreaOfInterest
from pyproj.database import query_utm_crs_info

from data.catalog import Catalog, City, Dataset, Temporal, read_catalog
from data.importers.common import slug
from data.importers.districts_spec import (
    DISTRICTS_PATH,
    GENERATED_BY,
    STATS_PATH,
    YEAR_COLUMNS,
    DistrictImport,
    DistrictsError,
    filters_text,
)
from data.pack import WGS84, parse_crs
from data.writer import Stage, staged_pack


def utm_crs(lon: float, lat: float) -> str:
    """The UTM zone CRS of a point as ``"EPSG:…"``: ETRS89 in Europe, else WGS 84.

    Parameters
    ----------
    lon, lat : float
        WGS84 degrees.

    Returns
    -------
    str
        E.g. ``"EPSG:25832"`` for Jena.
    """
    zone = min(int((lon + 180.0) // 6.0) + 1, 60)
    hemisphere = "N" if lat >= 0 else "S"
    aoi = AreaOfInterest(lon, lat, lon, lat)
    for datum in ("ETRS89", "WGS 84"):
        wanted = f"{datum} / UTM zone {zone}{hemisphere}"
        infos = query_utm_crs_info(datum_name=datum, area_of_interest=aoi)
        for info in infos:
            if info.name == wanted and not info.deprecated:
                return f"{info.auth_name}:{info.code}"
    return f"EPSG:{(32600 if hemisphere == 'N' else 32700) + zone}"


def _metric(value: str) -> CRS:
    """The CRS given as ``metric_crs``; a :class:`DistrictsError` when it is unknown."""
    try:
        return parse_crs(value)
    except ValueError as err:
        raise DistrictsError(
            "unknown CRS given with --metric-crs",
            where="--metric-crs",
            expected="a projected CRS in metres, e.g. 'EPSG:25832'",
            found=repr(value),
        ) from err


def existing_catalog(out: Path) -> Catalog | None:
    """The catalog of the pack at ``out``, or ``None`` if it is not a pack yet."""
    if not (out / "city.toml").is_file():
        return None
    return read_catalog(out)


def resolve_city(
    out: Path,
    existing: Catalog | None,
    wgs: gpd.GeoDataFrame,
    city_name: str | None,
    metric_crs: str | None,
    warnings: list[str],
) -> tuple[City | None, str]:
    """The city of a new pack (``None`` for an existing one) and the metric CRS to use.

    An existing pack keeps its city; a differing ``city_name`` or ``metric_crs`` is reported.
    """
    if existing is None:
        if not city_name:
            raise DistrictsError(
                f"{str(out)!r} is not a pack yet: pass city_name to create it (CLI: --city-name)",
                where="--city-name",
                expected="a city name for a new pack",
                found="none",
            )
        city = _new_city(city_name, wgs, metric_crs)
        return city, city.metric_crs
    metric = existing.city.metric_crs
    if metric_crs is not None and not _metric(metric_crs).equals(parse_crs(metric)):
        warnings.append(f"metric_crs {metric_crs} ignored: the pack uses {metric}")
    if city_name and city_name != existing.city.name:
        warnings.append(f"city_name {city_name!r} ignored: the pack is {existing.city.name!r}")
    return None, metric


def _new_city(name: str, wgs: gpd.GeoDataFrame, metric_crs: str | None) -> City:
    """A city around the districts: bounding box, centre and (default UTM) metric CRS."""
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in wgs.total_bounds)
    bbox = (
        math.floor(min_lon * 1e4) / 1e4,
        math.floor(min_lat * 1e4) / 1e4,
        math.ceil(max_lon * 1e4) / 1e4,
        math.ceil(max_lat * 1e4) / 1e4,
    )
    centre = (round((bbox[1] + bbox[3]) / 2, 5), round((bbox[0] + bbox[2]) / 2, 5))
    if metric_crs is None:
        metric_crs = utm_crs(centre[1], centre[0])
    elif not _metric(metric_crs).is_projected:
        raise DistrictsError(
            f"metric_crs {metric_crs!r} is not a projected CRS (metres)",
            where="--metric-crs",
            expected="a projected CRS in metres, e.g. 'EPSG:25832'",
            found=repr(metric_crs),
        )
    return City(
        id=slug(name) or "city",
        name=name,
        centre=centre,
        zoom=12,
        bbox=bbox,
        metric_crs=metric_crs,
        synthetic=False,
    )


def build_outputs(
    attrs: pd.DataFrame, geo: gpd.GeoDataFrame, wgs: gpd.GeoDataFrame, metric: str
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The ``districts`` GeoDataFrame (WGS84) and the ``district_stats`` table.

    Both get ``area_km2``, measured in the ``metric`` CRS.
    """
    area = geo.to_crs(parse_crs(metric)).geometry.area / 1e6
    attrs = attrs.assign(area_km2=area.round(4).to_numpy())
    districts = gpd.GeoDataFrame(attrs, geometry=wgs.geometry.to_numpy(), crs=WGS84)
    districts = districts.reset_index(drop=True)
    return districts, pd.DataFrame(districts.drop(columns="geometry"))


def warn_provenance(licence: str, attribution: str, warnings: list[str]) -> None:
    """Report a licence or attribution that was not stated."""
    if not licence or licence == "unknown":
        warnings.append("licence not stated (licence='unknown'); state it before publishing")
    if not attribution:
        warnings.append("attribution not stated; 'not stated' was written to the catalog")


def _year(spec: DistrictImport) -> str | None:
    """The year a year filter (``year=2017``, ``jahr=2017``, …) selects, if any."""
    for col, value in spec.filters.items():
        if col.strip().lower() in YEAR_COLUMNS and re.fullmatch(r"\d{4}(\.0+)?", value.strip()):
            return value.strip()[:4]
    return None


def _description(spec: DistrictImport, boundaries: Path, stats: Path) -> dict[str, str]:
    """The catalog description (German and English): inputs, keys, filters and columns."""
    cols_en = "; ".join(f"{t} = {e}" for t, e in spec.columns.items())
    filt = filters_text(spec)
    return {
        "de": (
            f"Importiert aus {boundaries.name} (Schlüssel {spec.boundary_key}) und {stats.name} "
            f"(Schlüssel {spec.stats_key}{', Filter ' + filt if filt else ''}); Name aus "
            f"{spec.name_col}; Spalten: {cols_en}; Fläche (area_km2) im metrischen KBS der Stadt."
        ),
        "en": (
            f"Imported from {boundaries.name} (key {spec.boundary_key}) and {stats.name} "
            f"(key {spec.stats_key}{', filter ' + filt if filt else ''}); name from "
            f"{spec.name_col}; columns: {cols_en}; area_km2 in the city's metric CRS."
        ),
    }


def _titles_and_paths(
    existing: Catalog | None,
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Titles and file paths of both datasets; an existing pack keeps its own where usable."""
    titles = {
        "districts": {"de": "Bezirke", "en": "Districts"},
        "district_stats": {"de": "Bezirksstatistik", "en": "District statistics"},
    }
    paths = {"districts": DISTRICTS_PATH, "district_stats": STATS_PATH}
    if existing is not None:
        for ds in existing.datasets:
            if ds.id in titles:
                titles[ds.id] = dict(ds.title)
                if ds.id == "districts" and ds.path.endswith(".geojson") and not ds.layer:
                    paths[ds.id] = ds.path
                if ds.id == "district_stats" and ds.path.endswith(".csv"):
                    paths[ds.id] = ds.path
    return titles, paths


def dataset_entries(
    existing: Catalog | None,
    spec: DistrictImport,
    files: tuple[Path, Path],
    licence: str,
    attribution: str,
    source: str | None,
) -> tuple[Dataset, Dataset]:
    """The catalog entries of ``districts`` (vector) and ``district_stats`` (table).

    ``files`` are the boundary and the statistics file (named in the description).
    """
    year = _year(spec)
    titles, paths = _titles_and_paths(existing)
    common: dict[str, Any] = {
        "licence": licence or "unknown",
        "attribution": attribution or "not stated",
        "source": source,
        "generated_by": GENERATED_BY,
        "temporal": Temporal(f"{year}-12-31", f"{year}-12-31") if year else None,
        "description": _description(spec, *files),
    }
    districts = Dataset(
        id="districts",
        title=titles["districts"],
        kind="vector",
        path=paths["districts"],
        crs=WGS84,
        **common,
    )
    stats_ds = Dataset(
        id="district_stats",
        title=titles["district_stats"],
        kind="table",
        path=paths["district_stats"],
        crs=None,
        **common,
    )
    return districts, stats_ds


def write_pack(
    out: Path,
    city: City | None,
    existing: Catalog | None,
    entries: tuple[Dataset, Dataset],
    outputs: tuple[gpd.GeoDataFrame, pd.DataFrame],
    warnings: list[str],
) -> None:
    """Write both datasets through :func:`data.writer.staged_pack` (all or nothing)."""
    ds_districts, ds_stats = entries
    districts, table = outputs
    with staged_pack(out, city) as stage:
        if existing is not None:
            _remove_moved_files(stage, existing, entries)
            if "district_stats" in existing.ids():
                _warn_dropped_stats(out, existing, table, warnings)
        stage.put_vector(ds_districts, districts)
        stage.put_table(ds_stats, table)
    warnings.extend(stage.notes)


def _remove_moved_files(stage: Stage, existing: Catalog, entries: tuple[Dataset, ...]) -> None:
    """Delete a replaced dataset's old file when its path changes and nothing else uses it."""
    new_by_id = {ds.id: ds for ds in entries}
    for old in existing.datasets:
        new = new_by_id.get(old.id)
        if new is not None and old.path != new.path:
            others = [d for d in stage.catalog.datasets if d.id != old.id]
            if all(d.path != old.path for d in others):
                (stage.dir / old.path).unlink(missing_ok=True)


def _warn_dropped_stats(
    out: Path, existing: Catalog, new: pd.DataFrame, warnings: list[str]
) -> None:
    """Report the columns of the existing ``district_stats`` that the new table lacks."""
    try:
        old_cols = pd.read_csv(out / existing.get("district_stats").path, nrows=0).columns
    except Exception:
        return
    dropped = [str(c) for c in old_cols if c not in new.columns]
    if dropped:
        warnings.append(
            f"district_stats replaced; its former column(s) {', '.join(dropped)} are gone"
        )
