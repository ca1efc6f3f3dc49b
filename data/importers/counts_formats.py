"""Reading one counts file of each format (part of the counts importer).

* :func:`read_hystreet_csv` — the hystreet.com CSV export;
* :func:`read_hystreet_json` — hystreet API v2 responses (measurements or locations);
* OGC SensorThings API v1.1 JSON is read by :mod:`data.importers.counts_sensorthings`
  with the JSON helpers here (:func:`load_json`, :func:`coords`);
* :func:`read_long` — a CSV with a site, a time and a count column.

Each returns a :class:`~data.importers.counts_parse.Part`: the file in the house format of
:mod:`data.footfall`, its report and the sites it names. Errors are
:class:`data.footfall.CountsError` naming the file and where in it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.footfall import TZ, CountsError
from data.importers.common import slug
from data.importers.counts_dst import DstLog, DstRules
from data.importers.counts_parse import (
    COUNT_LIMITS,
    DST_FLAG_COLUMNS,
    HYSTREET_HEADERS,
    TEMPERATURE_LIMITS,
    Part,
    cut_off_warning,
    find_header,
    finish,
    flag_values,
    header_key,
    line_list,
    numbers,
    parse_times,
    read_csv,
    require,
    shown_columns,
)

# --- hystreet CSV export ---------------------------------------------------------------------


def _hystreet_sites(
    table: pd.DataFrame, path: Path, site_col: str | None, site: str | None, lines: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """``(site ids, site names)`` per row: the given site, the ``Lage`` column or the file."""
    if site is not None:
        site_ids = pd.Series(site, index=table.index, dtype="string")
        return site_ids, site_ids
    if site_col is not None:
        names = table[site_col].astype("string").str.strip()
        empty = names.isna() | (names == "")
        if empty.any():
            raise CountsError(
                f"empty {site_col!r}",
                file=path,
                where=f"line(s) {line_list(lines[empty])}",
                expected="the site's name in every row",
            )
        return names.map(slug).astype("string"), names
    site_ids = pd.Series(slug(path.stem), index=table.index, dtype="string")
    return site_ids, pd.Series(path.stem, index=table.index, dtype="string")


def read_hystreet_csv(path: Path, site: str | None, tz: str, rules: DstRules | None = None) -> Part:
    """A hystreet.com CSV export (``;``, German headers, times with offsets; naive local
    times in ``tz`` are read under the daylight-saving ``rules``, default the strict ones)."""
    require(path)
    dst = DstLog(rules) if rules is not None else None
    name = path.name
    table = read_csv(path)
    cols = {role: find_header(table.columns, role) for role in HYSTREET_HEADERS}
    for role in ("time", "count"):
        if cols[role] is None:
            want = "Zeitpunkt der Messung" if role == "time" else "Fußgänger insgesamt"
            raise CountsError(
                f"no {want!r} column; is this a hystreet CSV export?",
                file=path,
                where="the header",
                expected=f"a column {want!r}",
                found=f"columns {shown_columns(table.columns)}",
            )
    lines = pd.Series(np.arange(len(table)) + 2, index=table.index)
    site_ids, names = _hystreet_sites(table, path, cols["site"], site, lines)
    raw = pd.DataFrame(
        {
            "site_id": site_ids,
            "time": parse_times(table[cols["time"]], name, lines, tz, groups=site_ids, dst=dst),
            "count": numbers(table[cols["count"]], name, lines, "count", **COUNT_LIMITS),
        },
        index=table.index,
    )
    if cols["temperature"] is not None:
        raw["temperature"] = numbers(
            table[cols["temperature"]], name, lines, "temperature", **TEMPERATURE_LIMITS
        )
    if cols["weather"] is not None:
        raw["weather"] = table[cols["weather"]].astype("string").str.strip()
    sites = [
        {"site_id": s, "name": n, "lon": math.nan, "lat": math.nan}
        for s, n in dict(zip(site_ids.tolist(), names.tolist(), strict=True)).items()
    ]
    part = finish(raw, name, lines, sites, dst)
    part.report.warnings.extend(cut_off_warning(table, name))
    return part


# --- JSON ------------------------------------------------------------------------------------


def load_json(path: Path) -> Any:
    """A UTF-8 JSON file (a byte order mark is allowed); errors name the file and position."""
    require(path)
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise CountsError(
            "not UTF-8 JSON",
            file=path,
            where=f"byte {err.start}",
            expected="UTF-8 text",
            found=repr(err.object[err.start : err.start + 8]),
        ) from err
    except json.JSONDecodeError as err:
        raise CountsError(
            "not valid JSON",
            file=path,
            where=f"line {err.lineno}, column {err.colno}",
            expected="JSON",
            found=err.msg,
        ) from err


def coords(obj: dict[str, Any]) -> tuple[float, float]:
    """``(lon, lat)`` from the usual ways JSON APIs state a point; NaN if absent."""
    for lon_key, lat_key in (("longitude", "latitude"), ("lon", "lat"), ("lng", "lat")):
        if lon_key in obj and lat_key in obj:
            try:
                return float(obj[lon_key]), float(obj[lat_key])
            except (TypeError, ValueError):
                break
    for key in ("coordinates", "location", "geometry", "geo"):
        value = obj.get(key)
        if isinstance(value, dict):
            if value.get("type") == "Feature":
                value = value.get("geometry") or {}
            if value.get("type") == "Point" and isinstance(value.get("coordinates"), list):
                lon, lat = value["coordinates"][:2]
                return float(lon), float(lat)
            lon, lat = coords(value)
            if not math.isnan(lon):
                return lon, lat
        if isinstance(value, list) and len(value) >= 2 and key == "coordinates":
            return float(value[0]), float(value[1])
    return math.nan, math.nan


def json_kind(data: Any) -> str:
    """What a JSON value is, for messages: ``a list``, ``an object with keys 'a', 'b'``."""
    if isinstance(data, dict):
        keys = ", ".join(repr(k) for k in list(data)[:8]) or "none"
        return f"an object with keys {keys}"
    return f"a JSON {type(data).__name__}"


# --- hystreet API v2 JSON --------------------------------------------------------------------


def _hystreet_site(loc: dict[str, Any]) -> dict[str, Any]:
    city = loc.get("city")
    city_name = city.get("name") if isinstance(city, dict) else city
    name = str(loc.get("name") or loc.get("id"))
    full = f"{name}, {city_name}" if city_name else name
    lon, lat = coords(loc)
    return {"site_id": f"hystreet-{loc['id']}", "name": full, "lon": lon, "lat": lat}


def _hystreet_locations(path: Path, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The sites of a ``/locations`` or ``/locations/{id}`` response."""
    locs = data.get("locations")
    if isinstance(data.get("location"), dict):
        locs = [data["location"]]
    if isinstance(locs, list) and all(isinstance(x, dict) and "id" in x for x in locs):
        return [_hystreet_site(x) for x in locs]
    raise CountsError(
        "neither a hystreet measurements response nor a locations response",
        file=path,
        expected="a 'measurements' list or 'locations' with ids",
        found=json_kind(data),
    )


def _hystreet_rows(path: Path, records: list[Any]) -> pd.DataFrame:
    rows = []
    for i, rec in enumerate(records, start=1):
        for key in ("measured_at", "total_count"):
            if not isinstance(rec, dict) or key not in rec:
                raise CountsError(
                    f"no {key!r}",
                    file=path,
                    where=f"measurement {i}",
                    expected="an object with 'measured_at' and 'total_count'",
                    found=json_kind(rec),
                )
        weather = rec.get("weather_conditions") or {}
        rows.append(
            {
                "time": rec["measured_at"],
                "count": rec["total_count"],
                "temperature": weather.get("temperature") if isinstance(weather, dict) else None,
                "weather": weather.get("description") if isinstance(weather, dict) else None,
            }
        )
    return pd.DataFrame(rows, columns=["time", "count", "temperature", "weather"])


def _hystreet_site_id(path: Path, data: dict[str, Any], site: str | None) -> str:
    loc_id = data.get("location_id")
    if site is None and loc_id is None:
        raise CountsError(
            "no 'location_id' in the response; pass site=… (--site)",
            file=path,
            expected="'location_id' or a site given",
            found=json_kind(data),
        )
    resolution = data.get("resolution")
    if resolution not in (None, "hour"):
        raise CountsError(
            "not hourly data",
            file=path,
            where="'resolution'",
            expected="'hour'",
            found=repr(resolution),
        )
    return site or f"hystreet-{loc_id}"


def read_hystreet_json(
    path: Path, site: str | None, rules: DstRules | None = None
) -> tuple[Part | None, list[dict[str, Any]]]:
    """A measurements response → a part; a location(s) response → sites only.

    Times without an offset are local times in the default zone, read under ``rules``.
    """
    name = path.name
    data = load_json(path)
    if not isinstance(data, dict):
        raise CountsError(
            "not a hystreet API v2 response",
            file=path,
            expected="a JSON object",
            found=json_kind(data),
        )
    if "measurements" not in data:
        return None, _hystreet_locations(path, data)
    records = data["measurements"]
    if not isinstance(records, list):
        raise CountsError(
            "'measurements' is not a list",
            file=path,
            where="'measurements'",
            expected="a list",
            found=json_kind(records),
        )
    site_id = _hystreet_site_id(path, data, site)
    table = _hystreet_rows(path, records)
    lines = pd.Series(np.arange(len(table)) + 1, index=table.index)
    label = "measurement"
    dst = DstLog(rules) if rules is not None else None
    raw = pd.DataFrame(
        {
            "site_id": pd.Series(site_id, index=table.index, dtype="string"),
            "time": parse_times(
                table["time"].astype("string"), name, lines, TZ, label=label, dst=dst
            )
            if len(table)
            else pd.Series([], dtype="datetime64[ns, UTC]"),
            "count": numbers(
                table["count"].astype(object), name, lines, "total_count", label, **COUNT_LIMITS
            ),
            "temperature": numbers(
                table["temperature"].astype(object),
                name,
                lines,
                "temp",
                label,
                **TEMPERATURE_LIMITS,
            ),
            "weather": table["weather"].astype("string"),
        }
    )
    sites = []
    if data.get("location_id") is not None and data.get("name"):
        city = data.get("city")
        full = f"{data['name']}, {city}" if city else str(data["name"])
        sites.append({"site_id": site_id, "name": full, "lon": math.nan, "lat": math.nan})
    return finish(raw, name, lines, sites, dst), sites


# --- generic long CSV ------------------------------------------------------------------------


def _column(table: pd.DataFrame, wanted: str, path: Path, option: str) -> str:
    if wanted in table.columns:
        return wanted
    by_key = {header_key(str(c)): str(c) for c in table.columns}
    if header_key(wanted) in by_key:
        return by_key[header_key(wanted)]
    raise CountsError(
        f"no column {wanted!r} (set it with {option})",
        file=path,
        where="the header",
        expected=f"a column {wanted!r}",
        found=f"columns {shown_columns(table.columns)}",
    )


def _long_sites(table: pd.DataFrame, path: Path, site_col: str, site: str | None) -> pd.Series:
    if site is not None:
        return pd.Series(site, index=table.index, dtype="string")
    if site_col not in table.columns:
        raise CountsError(
            f"no site column {site_col!r}; set it with --site-col, or name the single site "
            "with --site",
            file=path,
            where="the header",
            expected=f"a column {site_col!r}",
            found=f"columns {shown_columns(table.columns)}",
        )
    return table[site_col].astype("string").str.strip()


def read_long(
    path: Path,
    site_col: str,
    time_col: str,
    count_col: str,
    tz: str,
    site: str | None,
    rules: DstRules | None = None,
) -> Part:
    """A CSV with a site, a time and a count column (plus optional temperature/weather).

    Naive times are local times in ``tz``, read under the daylight-saving ``rules`` (see
    :mod:`data.importers.counts_dst`; default the strict ones).
    """
    require(path)
    dst = DstLog(rules) if rules is not None else None
    name = path.name
    table = read_csv(path)
    lines = pd.Series(np.arange(len(table)) + 2, index=table.index)
    site_ids = _long_sites(table, path, site_col, site)
    tcol = _column(table, time_col, path, "--time-col")
    ccol = _column(table, count_col, path, "--count-col")
    flag_col = next((str(c) for c in table.columns if header_key(str(c)) in DST_FLAG_COLUMNS), None)
    flag = flag_values(table[flag_col], name, lines, flag_col) if flag_col is not None else None
    raw = pd.DataFrame(
        {
            "site_id": site_ids,
            "time": parse_times(
                table[tcol], name, lines, tz, groups=site_ids, dst_flag=flag, dst=dst
            ),
            "count": numbers(table[ccol], name, lines, "count", **COUNT_LIMITS),
        },
        index=table.index,
    )
    temp = next((str(c) for c in table.columns if header_key(str(c)) == "temperature"), None)
    if temp is not None and temp not in (tcol, ccol):
        raw["temperature"] = numbers(table[temp], name, lines, "temperature", **TEMPERATURE_LIMITS)
    weather = next(
        (str(c) for c in table.columns if header_key(str(c)) in ("weather", "weather condition")),
        None,
    )
    if weather is not None:
        raw["weather"] = table[weather].astype("string").str.strip()
    part = finish(raw, name, lines, dst=dst)
    part.report.warnings.extend(cut_off_warning(table, name))
    return part
