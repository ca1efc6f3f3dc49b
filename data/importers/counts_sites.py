"""Where the counting sites are, when the count files do not say (part of the counts importer).

The hystreet CSV export and a long CSV carry no coordinates, so their sites cannot be drawn
on the map. Their positions are given at import:

* ``--site-lon LON --site-lat LAT`` (WGS84 degrees) for an import whose files name exactly
  one site (a hystreet export of one location, ``--site`` for a long file of one site);
* ``--sites FILE`` for any number of sites: a CSV (``,`` ``;`` or tab, UTF-8 or Windows-1252,
  decimal point or comma) with the columns ``site_id``, optionally ``name``, and either
  ``lon``, ``lat`` (WGS84 degrees) or ``x``, ``y`` in the CRS given with ``--source-crs``
  (the file states none). Every ``site_id`` must be a site of the imported counts or one the
  pack already holds counts for (re-positioning it); an unknown id is refused, so a typo
  cannot leave a site off the map.

A position given at import wins over one a file carries (SensorThings Locations, hystreet
API locations), with a warning when they differ. A name from ``--sites`` wins over the name
in the count files. Every position must lie inside the city's bounding box (with the margin
the pack validator allows, :data:`data.pack.BBOX_MARGIN`); a position outside it is refused
naming it, and a pair that would fit with lon and lat swapped says so. Errors are
:class:`data.footfall.CountsError` naming the file (or the options), where, what was expected
and what was found; the pack is then unchanged.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pyproj import CRS, Transformer

from data.catalog import City
from data.footfall import CountsError
from data.importers.base import settle_crs
from data.importers.counts_parse import require
from data.pack import BBOX_MARGIN, WGS84

SINGLE = "--site-lon/--site-lat"
SITES_FLAG = "--sites"
ID_COLUMNS = ("site_id", "site", "id")
LONLAT = (("lon", "longitude", "lng"), ("lat", "latitude"))
XY = (("x", "easting", "rechtswert"), ("y", "northing", "hochwert"))
#: Positions closer than this (degrees, about 1 m) count as the same.
SAME_DEG = 1e-5


@dataclass(frozen=True)
class SitePositions:
    """Positions given at import: ``frame`` has ``site_id``, ``name`` (NA = keep), ``lon``,
    ``lat`` (WGS84), ``where`` (for messages); ``single`` for ``--site-lon/--site-lat``."""

    frame: pd.DataFrame
    origin: Path | None  # the sites file; None for SINGLE
    single: bool


def _refuse(
    problem: str, file: str | Path | None, where: str, expected: str, found: str
) -> CountsError:
    return CountsError(problem, file=file, where=where, expected=expected, found=found)


def _check_degrees(lon: float, lat: float, file: str | Path | None, where: str) -> None:
    """Finite longitude in [-180, 180] and latitude in [-90, 90]."""
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise _refuse(
            "the position is not a pair of finite numbers",
            file,
            where,
            "longitude and latitude in degrees, e.g. 6.6287 and 51.4516",
            f"lon={lon!r}, lat={lat!r}",
        )
    if not -180.0 <= lon <= 180.0 or not -90.0 <= lat <= 90.0:
        swap = " (are lon and lat swapped?)" if -90.0 <= lon <= 90.0 <= abs(lat) <= 180 else ""
        raise _refuse(
            f"not a longitude/latitude in degrees{swap}",
            file,
            where,
            "longitude -180…180 and latitude -90…90 (WGS84)",
            f"lon={lon:g}, lat={lat:g}",
        )


def single_position(lon: float | None, lat: float | None) -> SitePositions | None:
    """``--site-lon``/``--site-lat`` checked (both or neither, degrees in range)."""
    if lon is None and lat is None:
        return None
    if lon is None or lat is None:
        given = "--site-lon" if lon is not None else "--site-lat"
        raise _refuse(
            f"{given} alone does not place a site",
            None,
            SINGLE,
            "both --site-lon and --site-lat",
            f"only {given}",
        )
    _check_degrees(float(lon), float(lat), None, SINGLE)
    frame = pd.DataFrame(
        {"site_id": [pd.NA], "name": [pd.NA], "lon": [lon], "lat": [lat], "where": [SINGLE]}
    )
    return SitePositions(frame, None, single=True)


def _decode(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # pragma: no cover - Latin-1 decodes every byte


def _column(header: list[str], names: tuple[str, ...]) -> str | None:
    keys = {h.strip().lower(): h for h in header}
    return next((keys[n] for n in names if n in keys), None)


def _number(text: str | None) -> float:
    cell = (text or "").strip().replace("\u2212", "-")
    if "," in cell:
        cell = cell.replace(".", "").replace(",", ".")  # decimal comma (and thousand points)
    try:
        return float(cell)
    except ValueError:
        return math.nan


def _header(path: Path, text: str) -> tuple[list[dict[str, str]], list[str], str]:
    first = text.split("\n", 1)[0]
    sep = max((";", ",", "\t"), key=first.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=sep)
    rows = list(reader)
    header = [str(h) for h in reader.fieldnames or []]
    if not rows:
        raise _refuse(
            "no sites",
            path,
            "line 2",
            "a header and one row per site: site_id,name,lon,lat",
            "only a header" if header else "an empty file",
        )
    return rows, header, sep


def read_site_positions(path: Path, source_crs: str | None) -> SitePositions:
    """The positions in a sites CSV (see the module docstring), in WGS84."""
    require(path)
    rows, header, _ = _header(path, _decode(path))
    id_col = _column(header, ID_COLUMNS)
    lonlat = [_column(header, names) for names in LONLAT]
    xy = [_column(header, names) for names in XY]
    has_lonlat, has_xy = None not in lonlat, None not in xy
    if id_col is None or not (has_lonlat or has_xy) or (has_lonlat and has_xy):
        raise _refuse(
            "the sites file needs a site id and one pair of coordinate columns",
            path,
            "line 1",
            "site_id,name,lon,lat (WGS84) or site_id,name,x,y with --source-crs",
            ",".join(header) or "no header",
        )
    warnings: list[str] = []
    if has_lonlat:
        crs = CRS.from_user_input(WGS84)
        if source_crs is not None:
            crs = settle_crs(WGS84, source_crs, file=path, warnings=warnings)
            if not crs.equals(CRS.from_user_input(WGS84), ignore_axis_order=True):
                raise _refuse(
                    f"lon/lat columns are WGS84 degrees, but --source-crs {source_crs} was given",
                    path,
                    "line 1",
                    "columns x,y for coordinates in " + source_crs,
                    ",".join(header),
                )
        cols = lonlat
    else:
        crs = settle_crs(None, source_crs, file=path, warnings=warnings)
        cols = xy
    name_col = _column(header, ("name", "bezeichnung"))
    frame = _rows(path, rows, id_col, name_col, (str(cols[0]), str(cols[1])))
    if not crs.equals(CRS.from_user_input(WGS84), ignore_axis_order=True):
        to_wgs = Transformer.from_crs(crs, WGS84, always_xy=True)
        lon, lat = to_wgs.transform(frame["lon"].to_numpy(), frame["lat"].to_numpy())
        frame["lon"], frame["lat"] = np.asarray(lon), np.asarray(lat)
    for row in frame.itertuples():
        _check_degrees(float(row.lon), float(row.lat), path, str(row.where))
    return SitePositions(frame, path, single=False)


def _rows(
    path: Path,
    rows: list[dict[str, str]],
    id_col: str,
    name_col: str | None,
    coords: tuple[str, str],
) -> pd.DataFrame:
    """The rows checked: an id, unique, and two numbers."""
    out: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        site = (row.get(id_col) or "").strip()
        if not site or site in seen:
            problem = "empty site id" if not site else f"site {site!r} repeats line {seen[site]}"
            raise _refuse(problem, path, f"line {line}", "a new site id per row", repr(site))
        seen[site] = line
        a, b = _number(row.get(coords[0])), _number(row.get(coords[1]))
        if not (math.isfinite(a) and math.isfinite(b)):
            raise _refuse(
                "the coordinates are not numbers",
                path,
                f"line {line}",
                f"numbers in {coords[0]} and {coords[1]}",
                f"{coords[0]}={row.get(coords[0])!r}, {coords[1]}={row.get(coords[1])!r}",
            )
        name = (row.get(name_col) or "").strip() if name_col else ""
        out.append(
            {
                "site_id": site,
                "name": name or pd.NA,
                "lon": a,
                "lat": b,
                "where": f"line {line}",
            }
        )
    return pd.DataFrame(out)


def positions(
    site_lon: float | None,
    site_lat: float | None,
    sites: Path | str | None,
    source_crs: str | None,
) -> SitePositions | None:
    """The positions the options give (checked), or ``None`` when they give none."""
    single = single_position(site_lon, site_lat)
    if single is not None and sites is not None:
        raise _refuse(
            f"{SINGLE} and {SITES_FLAG} both place sites",
            None,
            f"{SINGLE}, {SITES_FLAG}",
            f"either {SINGLE} (one site) or {SITES_FLAG} FILE",
            "both",
        )
    if sites is not None:
        return read_site_positions(Path(sites), source_crs)
    if source_crs is not None:
        raise _refuse(
            "--source-crs states the CRS of the x/y columns of a sites file",
            None,
            "--source-crs",
            f"{SITES_FLAG} FILE with x,y columns",
            f"--source-crs {source_crs} without {SITES_FLAG}",
        )
    return single


def _check_in_city(given: SitePositions, city: City) -> None:
    min_lon, min_lat, max_lon, max_lat = city.bbox
    dx, dy = (max_lon - min_lon) * BBOX_MARGIN, (max_lat - min_lat) * BBOX_MARGIN

    def inside(lon: float, lat: float) -> bool:
        return min_lon - dx <= lon <= max_lon + dx and min_lat - dy <= lat <= max_lat + dy

    for row in given.frame.itertuples():
        lon, lat = float(row.lon), float(row.lat)
        if inside(lon, lat):
            continue
        swap = "; are lon and lat swapped?" if inside(lat, lon) else ""
        site = f"site {row.site_id!r}" if not given.single else "the site"
        raise _refuse(
            f"{site} lies outside the city's bounding box{swap}",
            given.origin,
            str(row.where),
            f"a position in {[min_lon, min_lat, max_lon, max_lat]} (lon/lat, "
            f"± {BBOX_MARGIN:.0%} of its size)",
            f"lon={lon:.6g}, lat={lat:.6g}",
        )


def place_sites(
    sites: pd.DataFrame | None,
    counted: Collection[str],
    given: SitePositions | None,
    city: City,
    stored: Collection[str],
    warnings: list[str],
) -> pd.DataFrame | None:
    """The sites of the import with the positions given at import applied.

    Parameters
    ----------
    sites : DataFrame or None
        From the count files (``site_id``, ``name``, ``lon``, ``lat``; NaN when unknown).
    counted : collection of str
        The site ids of the imported counts (in order).
    given : SitePositions or None
        From :func:`positions`.
    city : City
        For the bounding box.
    stored : collection of str
        Site ids the pack already holds counts for (a sites file may re-position them).
    warnings : list of str
        A warning is added for every file position a given one replaces.
    """
    if given is None:
        return sites
    base = sites
    if base is None:
        ids = list(dict.fromkeys(counted))
        base = pd.DataFrame({"site_id": ids, "name": ids, "lon": math.nan, "lat": math.nan})
    base = base.astype({"site_id": "string", "name": "string", "lon": float, "lat": float})
    _check_in_city(given, city)
    frame = given.frame.copy()
    if given.single:
        if len(base) != 1:
            raise _refuse(
                f"one position given, but the counts name {len(base)} sites",
                None,
                SINGLE,
                f"one site (else give each its position with {SITES_FLAG} FILE)",
                ", ".join(base["site_id"].astype(str)) or "none",
            )
        frame["site_id"] = base["site_id"].iloc[0]
    known = set(base["site_id"].astype(str))
    for row in frame.itertuples():
        if row.site_id not in known and row.site_id not in stored:
            choices = sorted(known | set(stored))
            raise _refuse(
                f"unknown site {row.site_id!r}: not a site of these counts nor of the pack",
                given.origin,
                str(row.where),
                "one of " + ", ".join(choices[:10]) + (" …" if len(choices) > 10 else ""),
                repr(row.site_id),
            )
    return _merge(base, frame, warnings)


def _merge(base: pd.DataFrame, frame: pd.DataFrame, warnings: list[str]) -> pd.DataFrame:
    """``base`` with the given positions (and names) applied; given sites not in it added."""
    out = base.set_index("site_id")
    for row in frame.itertuples():
        sid = str(row.site_id)
        if sid in out.index:
            old_lon, old_lat = out.at[sid, "lon"], out.at[sid, "lat"]
            moved = math.isfinite(old_lon) and (
                abs(old_lon - row.lon) > SAME_DEG or abs(old_lat - row.lat) > SAME_DEG
            )
            if moved:
                warnings.append(
                    f"site {sid!r}: the position given at import ({row.lon:.6f}, {row.lat:.6f}) "
                    f"replaces the file's ({old_lon:.6f}, {old_lat:.6f})"
                )
        else:
            out.loc[sid, "name"] = sid
        out.loc[sid, ["lon", "lat"]] = [float(row.lon), float(row.lat)]
        if isinstance(row.name, str) and row.name:
            out.loc[sid, "name"] = row.name
    return out.reset_index()
