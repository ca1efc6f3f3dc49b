"""How pedestrian count files become the pack's ``footfall_counts`` (and ``footfall_sites``).

Four formats are read into the house format of :mod:`data.footfall` (``site_id``, ``time`` as
UTC hour starts, ``count`` with ``NaN`` for gaps):

* ``hystreet`` — the hystreet.com CSV export (``;``, German headers such as
  ``Zeitpunkt der Messung`` with offsets like ``2022-05-01 00:00:00 +0200`` and
  ``Fußgänger insgesamt``). Headers are matched robustly: ``ß``/``ä``/``º`` may be damaged
  (U+FFFD) or transliterated. The site id is the slug of the ``Lage`` value
  (``"Steinstraße, Moers"`` → ``steinstrasse-moers``). ``temperature`` (°C) and ``weather``
  are kept as optional columns. Direction and adult/child columns are ignored: the count is
  ``Fußgänger insgesamt``.
* ``hystreet-json`` — hystreet API v2 ``/locations/{id}/measurements`` responses
  (``measured_at``, ``total_count``, ``weather_conditions``); ``/locations/{id}`` and
  ``/locations`` responses among the files give the site names (and coordinates if present).
* ``sensorthings`` — OGC SensorThings API v1.1 JSON: an ``Observations`` collection
  (``value`` list), a ``Datastream`` with ``Observations`` expanded, or ``Things`` with
  ``Locations`` and ``Datastreams/Observations`` expanded. ``phenomenonTime`` may be an
  instant or an interval ``start/end`` (one hour). Pages linked by ``@iot.nextLink`` are
  read when they are among the files; otherwise a warning says the data are incomplete.
* ``long`` — a generic CSV with a site, a time and a count column (names configurable).
  Times with an offset are taken as they are; naive times are local times in ``tz``. The
  repeated autumn hour is resolved by a flag column (``dst``/``is_dst``/``summer_time``:
  true for the first, summer-time pass) or else by the file order (pandas ``"infer"``);
  a time that does not exist (the spring gap) is an error naming the line.

Several files are read as ONE data set (for instance monthly exports): each file gets the
rules of :func:`data.footfall.normalise_counts` and a report; a site and hour present in
two files with different counts is an error naming both files, the same count twice is
dropped and reported.

:func:`import_counts` merges the result into an existing pack through
:func:`data.writer.staged_pack` (with :func:`data.footfall.merge_counts` against what is
stored); a failure leaves the pack byte-for-byte unchanged.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from data.catalog import Catalog, Dataset, Temporal, read_catalog
from data.footfall import (
    SITE_COLUMNS,
    TZ,
    CountsError,
    CountsReport,
    merge_counts,
    normalise_counts,
)
from data.german_csv import PLACEHOLDERS, parse_german_number, read_german_csv
from data.importers.common import slug
from data.pack import WGS84
from data.writer import staged_pack

FORMATS = ("hystreet", "hystreet-json", "sensorthings", "long")
EXTRA_COLUMNS = ("temperature", "weather")  # optional house-format columns (°C, text)
GENERATED_BY = "data/importers/counts.py (allmende import counts)"
COUNTS_PATH = "footfall_counts.parquet"
SITES_PATH = "footfall_sites.geojson"
TITLES = {
    "footfall_counts": {"de": "Passantenfrequenz (stündlich)", "en": "Pedestrian counts (hourly)"},
    "footfall_sites": {"de": "Zählstellen Passantenfrequenz", "en": "Pedestrian counting sites"},
}
DST_FLAG_COLUMNS = ("dst", "is_dst", "summer_time", "summertime", "sommerzeit")
_TRUE = frozenset({"1", "true", "t", "yes", "y", "ja", "j", "wahr", "dst", "summer", "sommer"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "nein", "falsch", "std", "winter"})
_OFFSET_RE = re.compile(
    r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$", re.IGNORECASE
)


@dataclass
class _Part:
    """One file read into the house format, before the files are combined."""

    source: str
    frame: pd.DataFrame  # site_id, time (UTC), count (+ temperature, weather)
    report: CountsReport
    sites: list[dict[str, Any]] = field(default_factory=list)


# --- helpers ---------------------------------------------------------------------------------


def header_key(text: str) -> str:
    """A header reduced to ASCII letters, digits and single spaces, for robust matching.

    ``"Fußgänger insgesamt"``, ``"Fussgaenger insgesamt"`` and the damaged
    ``"Fu\\ufffdg\\ufffdnger insgesamt"`` all match ``_HYSTREET_HEADERS["count"]``.
    """
    s = str(text).strip().casefold().replace("ß", "ss").replace("º", "").replace("°", "")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())


_HYSTREET_HEADERS: dict[str, re.Pattern[str]] = {
    "site": re.compile(r"lage|location|standort"),
    "time": re.compile(r"zeitpunkt der messung|zeitpunkt|timestamp|time of measurement"),
    "count": re.compile(
        r"fu(ss|s)?ga?e?nger insgesamt|fu(ss|s)?ga?e?nger|pedestrians? (count|total)|"
        r"pedestrians|total pedestrians"
    ),
    "temperature": re.compile(r"temperatur( in c)?|temperature( in c)?"),
    "weather": re.compile(r"wetterlage|wetter|weather( condition)?"),
}


def _find_header(columns: Iterable[object], role: str) -> str | None:
    pattern = _HYSTREET_HEADERS[role]
    for col in columns:
        if pattern.fullmatch(header_key(str(col))):
            return str(col)
    return None


def _number(cell: Any) -> float:
    """A count cell as a float: NaN for empty/placeholder; ValueError for text."""
    if cell is None or cell is pd.NA:
        return math.nan
    if isinstance(cell, bool):
        raise ValueError(f"{cell!r} is not a number")
    if isinstance(cell, int | float | np.integer | np.floating):
        return float(cell)
    text = str(cell).strip()
    if text in PLACEHOLDERS or text.casefold() in {"nan", "null", "none", "na"}:
        return math.nan
    try:
        return float(text)
    except ValueError:
        return parse_german_number(text)


def _numbers(values: pd.Series, source: str, lines: pd.Series, what: str) -> pd.Series:
    """Counts as floats; a cell that is text (not a number, not empty) is an error."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return pd.to_numeric(values, errors="coerce").astype(float)
    out = []
    for cell, line in zip(values.tolist(), lines.tolist(), strict=True):
        try:
            out.append(_number(cell))
        except ValueError:
            raise CountsError(
                f"{source}: line {int(line)}: {what} {str(cell)!r} is not a number"
            ) from None
    return pd.Series(out, index=values.index, dtype=float)


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return read_german_csv(path)
    except ValueError as err:
        raise CountsError(str(err)) from None


def _require(path: Path) -> None:
    if not path.is_file():
        raise CountsError(f"{path}: file not found")


def _parse_times(
    values: pd.Series,
    source: str,
    lines: pd.Series,
    tz: str,
    groups: pd.Series | None = None,
    dst_flag: pd.Series | None = None,
) -> pd.Series:
    """Text times → tz-aware UTC. Offsets are used when every time has one.

    Naive times are localised in ``tz`` per group (site) in file order: ``dst_flag`` decides
    the repeated autumn hour if given, else pandas infers it from the order; a time in the
    spring gap is an error naming the line.
    """
    text = values.astype("string").str.strip()
    empty = text.isna() | (text == "")
    if empty.any():
        raise CountsError(f"{source}: empty time in line(s) {_line_list(lines[empty])}")
    has_offset = text.str.contains(_OFFSET_RE.pattern, regex=True, flags=re.IGNORECASE)
    if has_offset.all():
        times = pd.to_datetime(text, utc=True, format="ISO8601", errors="coerce")
        bad = times.isna()
        if bad.any():
            times = pd.to_datetime(text, utc=True, format="mixed", errors="coerce")
            bad = times.isna()
        if bad.any():
            first = text[bad].iloc[0]
            raise CountsError(
                f"{source}: unreadable time {first!r} in line(s) {_line_list(lines[bad])}"
            )
        return times
    if has_offset.any():
        raise CountsError(
            f"{source}: some times carry a UTC offset and some do not (e.g. line "
            f"{int(lines[~has_offset].iloc[0])}: {text[~has_offset].iloc[0]!r}); "
            "a file must use one convention"
        )
    naive = pd.to_datetime(text, format="ISO8601", errors="coerce")
    bad = naive.isna()
    if bad.any():
        naive = pd.to_datetime(text, format="mixed", dayfirst=False, errors="coerce")
        bad = naive.isna()
    if bad.any():
        raise CountsError(
            f"{source}: unreadable time {text[bad].iloc[0]!r} in line(s) {_line_list(lines[bad])}"
        )
    return _localise(naive, source, lines, tz, groups, dst_flag)


def _localise(
    naive: pd.Series,
    source: str,
    lines: pd.Series,
    tz: str,
    groups: pd.Series | None,
    dst_flag: pd.Series | None,
) -> pd.Series:
    out = pd.Series(pd.NaT, index=naive.index, dtype=f"datetime64[ns, {tz}]")
    keys = groups if groups is not None else pd.Series("", index=naive.index)
    for _, idx in naive.groupby(keys, sort=False).groups.items():
        part = naive.loc[idx]
        nonexistent = (
            pd.DatetimeIndex(part).tz_localize(tz, ambiguous="NaT", nonexistent="NaT").isna()
        ) & ~_ambiguous_mask(part, tz)
        if nonexistent.any():
            bad_lines = lines.loc[idx][nonexistent]
            raise CountsError(
                f"{source}: time {part[nonexistent].iloc[0]:%Y-%m-%d %H:%M} in line(s) "
                f"{_line_list(bad_lines)} does not exist in {tz} (the clocks jump forward "
                "an hour then); fix or remove the row"
            )
        ambiguous: Any = dst_flag.loc[idx].to_numpy(dtype=bool) if dst_flag is not None else "infer"
        try:
            local = pd.DatetimeIndex(part).tz_localize(tz, ambiguous=ambiguous)
        except Exception as err:  # pandas AmbiguousTimeError / ValueError
            amb = _ambiguous_mask(part, tz)
            where = f" (line(s) {_line_list(lines.loc[idx][amb])})" if amb.any() else ""
            raise CountsError(
                f"{source}: cannot tell summer from winter time for the repeated autumn "
                f"hour{where}: {err}. Keep the rows in time order (summer-time hour first) "
                f"or add a column {DST_FLAG_COLUMNS[0]!r} (true = summer time)"
            ) from None
        out.loc[idx] = local
    return out.dt.tz_convert("UTC")


def _ambiguous_mask(part: pd.Series, tz: str) -> np.ndarray:
    idx = pd.DatetimeIndex(part)
    early = idx.tz_localize(tz, ambiguous=np.ones(len(idx), dtype=bool), nonexistent="NaT")
    late = idx.tz_localize(tz, ambiguous=np.zeros(len(idx), dtype=bool), nonexistent="NaT")
    return np.asarray((early != late) & ~early.isna() & ~late.isna())


def _line_list(lines: pd.Series, limit: int = 5) -> str:
    nums = [str(int(n)) for n in lines.head(limit)]
    more = f" and {len(lines) - limit} more" if len(lines) > limit else ""
    return ", ".join(nums) + more


def _flag_values(values: pd.Series, source: str, lines: pd.Series, column: str) -> pd.Series:
    out = []
    for cell, line in zip(values.tolist(), lines.tolist(), strict=True):
        key = str(cell).strip().casefold() if cell is not None and cell is not pd.NA else ""
        if key in _TRUE:
            out.append(True)
        elif key in _FALSE or key in {"", "nan"}:
            out.append(False)
        else:
            raise CountsError(
                f"{source}: line {int(line)}: {column!r} must be true/false, got {cell!r}"
            )
    return pd.Series(out, index=values.index, dtype=bool)


def _finish(
    raw: pd.DataFrame, source: str, lines: pd.Series, sites: list[dict[str, Any]] | None = None
) -> _Part:
    """Apply :func:`normalise_counts` and carry the optional columns along."""
    frame, report = normalise_counts(raw[["site_id", "time", "count"]], source, lines)
    extras = [c for c in EXTRA_COLUMNS if c in raw.columns]
    if extras and len(frame):
        side = raw[["site_id", "time", *extras]].copy()
        side["site_id"] = side["site_id"].astype("string").str.strip()
        side["time"] = side["time"].dt.tz_convert("UTC")
        side = side.drop_duplicates(["site_id", "time"], keep="first")
        frame = frame.merge(side, on=["site_id", "time"], how="left")
        if "temperature" in frame.columns:
            frame["temperature"] = pd.to_numeric(frame["temperature"], errors="coerce").astype(
                float
            )
        if "weather" in frame.columns:
            frame["weather"] = frame["weather"].astype("string")
        frame = frame[["site_id", "time", "count", *[c for c in EXTRA_COLUMNS if c in extras]]]
    return _Part(source, frame, report, sites or [])


# --- hystreet CSV export ---------------------------------------------------------------------


def _read_hystreet_csv(path: Path, site: str | None, tz: str) -> _Part:
    _require(path)
    name = path.name
    table = _read_csv(path)
    cols = {role: _find_header(table.columns, role) for role in _HYSTREET_HEADERS}
    for role in ("time", "count"):
        if cols[role] is None:
            shown = ", ".join(repr(str(c)) for c in table.columns)
            want = "Zeitpunkt der Messung" if role == "time" else "Fußgänger insgesamt"
            raise CountsError(
                f"{name}: no {want!r} column; is this a hystreet CSV export? columns: {shown}"
            )
    lines = pd.Series(np.arange(len(table)) + 2, index=table.index)
    if site is not None:
        site_ids = pd.Series(site, index=table.index, dtype="string")
        names = site_ids
    elif cols["site"] is not None:
        names = table[cols["site"]].astype("string").str.strip()
        empty = names.isna() | (names == "")
        if empty.any():
            raise CountsError(f"{name}: empty 'Lage' in line(s) {_line_list(lines[empty])}")
        site_ids = names.map(slug).astype("string")
    else:
        site_ids = pd.Series(slug(path.stem), index=table.index, dtype="string")
        names = pd.Series(path.stem, index=table.index, dtype="string")
    raw = pd.DataFrame(
        {
            "site_id": site_ids,
            "time": _parse_times(table[cols["time"]], name, lines, tz, groups=site_ids),
            "count": _numbers(table[cols["count"]], name, lines, "count"),
        },
        index=table.index,
    )
    if cols["temperature"] is not None:
        raw["temperature"] = _numbers(table[cols["temperature"]], name, lines, "temperature")
    if cols["weather"] is not None:
        raw["weather"] = table[cols["weather"]].astype("string").str.strip()
    sites = [
        {"site_id": s, "name": n, "lon": math.nan, "lat": math.nan}
        for s, n in dict(zip(site_ids.tolist(), names.tolist(), strict=True)).items()
    ]
    return _finish(raw, name, lines, sites)


# --- hystreet API v2 JSON --------------------------------------------------------------------


def _load_json(path: Path) -> Any:
    _require(path)
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise CountsError(f"{path.name}: not UTF-8 JSON: {err}") from None
    except json.JSONDecodeError as err:
        raise CountsError(
            f"{path.name}: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})"
        ) from None


def _coords(obj: dict[str, Any]) -> tuple[float, float]:
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
            lon, lat = _coords(value)
            if not math.isnan(lon):
                return lon, lat
        if isinstance(value, list) and len(value) >= 2 and key == "coordinates":
            return float(value[0]), float(value[1])
    return math.nan, math.nan


def _hystreet_site(loc: dict[str, Any]) -> dict[str, Any]:
    city = loc.get("city")
    city_name = city.get("name") if isinstance(city, dict) else city
    name = str(loc.get("name") or loc.get("id"))
    full = f"{name}, {city_name}" if city_name else name
    lon, lat = _coords(loc)
    return {"site_id": f"hystreet-{loc['id']}", "name": full, "lon": lon, "lat": lat}


def _read_hystreet_json(path: Path, site: str | None) -> tuple[_Part | None, list[dict[str, Any]]]:
    """A measurements response → a part; a location(s) response → sites only."""
    name = path.name
    data = _load_json(path)
    if not isinstance(data, dict):
        raise CountsError(f"{name}: expected a JSON object (a hystreet API v2 response)")
    if "measurements" not in data:
        locs = data.get("locations")
        if isinstance(data.get("location"), dict):
            locs = [data["location"]]
        if isinstance(locs, list) and all(isinstance(x, dict) and "id" in x for x in locs):
            return None, [_hystreet_site(x) for x in locs]
        raise CountsError(
            f"{name}: neither a hystreet measurements response (no 'measurements') nor a "
            "locations response"
        )
    records = data["measurements"]
    if not isinstance(records, list):
        raise CountsError(f"{name}: 'measurements' must be a list")
    loc_id = data.get("location_id")
    if site is None and loc_id is None:
        raise CountsError(f"{name}: no 'location_id' in the response; pass site=…")
    site_id = site or f"hystreet-{loc_id}"
    resolution = data.get("resolution")
    if resolution not in (None, "hour"):
        raise CountsError(f"{name}: resolution {resolution!r}; hourly data expected (hour)")
    rows = []
    for i, rec in enumerate(records, start=1):
        if not isinstance(rec, dict) or "measured_at" not in rec:
            raise CountsError(f"{name}: measurement #{i} has no 'measured_at'")
        if "total_count" not in rec:
            raise CountsError(f"{name}: measurement #{i} has no 'total_count'")
        weather = rec.get("weather_conditions") or {}
        rows.append(
            {
                "time": rec["measured_at"],
                "count": rec["total_count"],
                "temperature": weather.get("temperature") if isinstance(weather, dict) else None,
                "weather": weather.get("description") if isinstance(weather, dict) else None,
            }
        )
    table = pd.DataFrame(rows, columns=["time", "count", "temperature", "weather"])
    lines = pd.Series(np.arange(len(table)) + 1, index=table.index)
    source = f"{name} (measurement #)"
    raw = pd.DataFrame(
        {
            "site_id": pd.Series(site_id, index=table.index, dtype="string"),
            "time": _parse_times(table["time"].astype("string"), source, lines, TZ)
            if len(table)
            else pd.Series([], dtype="datetime64[ns, UTC]"),
            "count": _numbers(table["count"].astype(object), source, lines, "total_count"),
            "temperature": _numbers(table["temperature"].astype(object), source, lines, "temp"),
            "weather": table["weather"].astype("string"),
        }
    )
    sites = []
    if loc_id is not None and data.get("name"):
        city = data.get("city")
        full = f"{data['name']}, {city}" if city else str(data["name"])
        sites.append({"site_id": site_id, "name": full, "lon": math.nan, "lat": math.nan})
    return _finish(raw, name, lines, sites), sites


# --- OGC SensorThings API --------------------------------------------------------------------


def _st_location(entity: dict[str, Any]) -> tuple[float, float]:
    locs = entity.get("Locations")
    if isinstance(locs, list):
        for loc in locs:
            if isinstance(loc, dict):
                lon, lat = _coords(loc)
                if not math.isnan(lon):
                    return lon, lat
    return math.nan, math.nan


def _st_label(entity: dict[str, Any], kind: str) -> str:
    props = entity.get("properties")
    if isinstance(props, dict) and props.get("site_id"):
        return str(props["site_id"])
    if entity.get("name"):
        return slug(str(entity["name"]))
    if "@iot.id" in entity:
        return f"{kind}-{entity['@iot.id']}"
    return ""


@dataclass
class _Stream:
    site_id: str
    name: str
    lon: float
    lat: float
    observations: list[Any]
    next_link: str | None


def _st_streams(data: Any, name: str, site: str | None) -> list[_Stream]:
    """The observation lists of a SensorThings response, each with the site it belongs to."""
    if not isinstance(data, dict):
        raise CountsError(f"{name}: expected a JSON object (a SensorThings API response)")
    entities = data["value"] if isinstance(data.get("value"), list) else [data]
    streams: list[_Stream] = []
    plain: list[Any] = []
    for ent in entities:
        if not isinstance(ent, dict):
            raise CountsError(f"{name}: 'value' must hold JSON objects")
        if "phenomenonTime" in ent or "result" in ent:
            plain.append(ent)
        elif "Datastreams" in ent:  # a Thing
            thing_id = site or _st_label(ent, "thing")
            lon, lat = _st_location(ent)
            dss = [d for d in ent["Datastreams"] if isinstance(d, dict)]
            for ds in dss:
                sid = thing_id
                if len(dss) > 1 and site is None:
                    sid = f"{thing_id}-{_st_label(ds, 'datastream')}"
                streams.append(
                    _Stream(
                        sid,
                        str(ent.get("name") or sid)
                        + (f" – {ds.get('name')}" if len(dss) > 1 else ""),
                        lon,
                        lat,
                        ds.get("Observations") or [],
                        ds.get("Observations@iot.nextLink"),
                    )
                )
        elif "Observations" in ent:  # a Datastream
            thing = ent.get("Thing") if isinstance(ent.get("Thing"), dict) else None
            sid = site or (_st_label(thing, "thing") if thing else _st_label(ent, "datastream"))
            lon, lat = _st_location(thing) if thing else (math.nan, math.nan)
            label = str((thing or ent).get("name") or sid)
            streams.append(
                _Stream(
                    sid,
                    label,
                    lon,
                    lat,
                    ent.get("Observations") or [],
                    ent.get("Observations@iot.nextLink"),
                )
            )
        else:
            raise CountsError(
                f"{name}: an entity has neither 'phenomenonTime'/'result' (Observation), "
                "'Observations' (Datastream) nor 'Datastreams' (Thing); expand them with "
                "$expand=Datastreams/Observations"
            )
    if plain:
        plain_site = site
        first = plain[0].get("Datastream")
        if plain_site is None and isinstance(first, dict):
            plain_site = _st_label(first, "datastream")
        if not plain_site:
            raise CountsError(
                f"{name}: a plain Observations list does not say which site it belongs to; "
                "pass site=… (--site)"
            )
        streams.append(
            _Stream(plain_site, plain_site, math.nan, math.nan, plain, data.get("@iot.nextLink"))
        )
    return streams


def _st_time(value: Any, source: str, line: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CountsError(f"{source}: observation #{line} has no phenomenonTime")
    text = value.strip()
    if "/" not in text:
        return text
    start, _, end = text.partition("/")
    try:
        t0 = pd.Timestamp(start)
        t1 = pd.Timestamp(end)
    except ValueError:
        raise CountsError(
            f"{source}: observation #{line}: unreadable phenomenonTime {text!r}"
        ) from None
    if t1 - t0 != pd.Timedelta(hours=1):
        raise CountsError(
            f"{source}: observation #{line}: phenomenonTime {text!r} is not one hour; "
            "hourly counts expected"
        )
    return start


def _read_sensorthings(path: Path, site: str | None) -> tuple[_Part, list[str]]:
    name = path.name
    data = _load_json(path)
    streams = _st_streams(data, name, site)
    times: list[str] = []
    counts: list[Any] = []
    sites_col: list[str] = []
    warnings: list[str] = []
    source = f"{name} (observation #)"
    n = 0
    for stream in streams:
        if stream.next_link:
            warnings.append(
                f"{name}: {stream.site_id} has more observations at {stream.next_link} "
                "(@iot.nextLink); only the pages given were read"
            )
        for obs in stream.observations:
            n += 1
            if not isinstance(obs, dict):
                raise CountsError(f"{source}: observation #{n} is not a JSON object")
            times.append(_st_time(obs.get("phenomenonTime"), source, n))
            counts.append(obs.get("result"))
            sites_col.append(stream.site_id)
    lines = pd.Series(np.arange(n) + 1)
    site_ids = pd.Series(sites_col, dtype="string")
    raw = pd.DataFrame(
        {
            "site_id": site_ids,
            "time": _parse_times(pd.Series(times, dtype="string"), source, lines, TZ)
            if n
            else pd.Series([], dtype="datetime64[ns, UTC]"),
            "count": _numbers(pd.Series(counts, dtype=object), source, lines, "result"),
        }
    )
    if n == 0:
        raise CountsError(f"{name}: no observations found")
    sites = [{"site_id": s.site_id, "name": s.name, "lon": s.lon, "lat": s.lat} for s in streams]
    part = _finish(raw, name, lines, sites)
    return part, warnings


# --- generic long CSV ------------------------------------------------------------------------


def _column(table: pd.DataFrame, wanted: str, name: str, option: str) -> str:
    if wanted in table.columns:
        return wanted
    by_key = {header_key(str(c)): str(c) for c in table.columns}
    if header_key(wanted) in by_key:
        return by_key[header_key(wanted)]
    shown = ", ".join(repr(str(c)) for c in table.columns)
    raise CountsError(f"{name}: no column {wanted!r} (set it with {option}); columns: {shown}")


def _read_long(
    path: Path,
    site_col: str,
    time_col: str,
    count_col: str,
    tz: str,
    site: str | None,
) -> _Part:
    _require(path)
    name = path.name
    table = _read_csv(path)
    lines = pd.Series(np.arange(len(table)) + 2, index=table.index)
    if site is not None:
        site_ids = pd.Series(site, index=table.index, dtype="string")
    else:
        if site_col not in table.columns:
            shown = ", ".join(repr(str(c)) for c in table.columns)
            raise CountsError(
                f"{name}: no site column {site_col!r}; set it with --site-col, or name the "
                f"single site with --site; columns: {shown}"
            )
        site_ids = table[site_col].astype("string").str.strip()
    tcol = _column(table, time_col, name, "--time-col")
    ccol = _column(table, count_col, name, "--count-col")
    flag_col = next((str(c) for c in table.columns if header_key(str(c)) in DST_FLAG_COLUMNS), None)
    flag = _flag_values(table[flag_col], name, lines, flag_col) if flag_col is not None else None
    raw = pd.DataFrame(
        {
            "site_id": site_ids,
            "time": _parse_times(table[tcol], name, lines, tz, groups=site_ids, dst_flag=flag),
            "count": _numbers(table[ccol], name, lines, "count"),
        },
        index=table.index,
    )
    temp = next((str(c) for c in table.columns if header_key(str(c)) == "temperature"), None)
    if temp is not None and temp not in (tcol, ccol):
        raw["temperature"] = _numbers(table[temp], name, lines, "temperature")
    weather = next(
        (str(c) for c in table.columns if header_key(str(c)) in ("weather", "weather condition")),
        None,
    )
    if weather is not None:
        raw["weather"] = table[weather].astype("string").str.strip()
    return _finish(raw, name, lines)


# --- reading several files as one data set ---------------------------------------------------


def _repair_site_names(parts: list[_Part]) -> None:
    """Fix site names damaged by U+FFFD (``Steinstra\\ufffde``) using undamaged names."""
    clean = {
        s["name"]
        for p in parts
        for s in p.sites
        if isinstance(s["name"], str) and "\ufffd" not in s["name"]
    }
    for part in parts:
        renames: dict[str, tuple[str, str]] = {}
        for s in part.sites:
            if not isinstance(s["name"], str) or "\ufffd" not in s["name"]:
                continue
            pattern = re.compile(
                "".join("." if ch == "\ufffd" else re.escape(ch) for ch in s["name"])
            )
            match = sorted(n for n in clean if pattern.fullmatch(n))
            if len(match) == 1:
                renames[s["site_id"]] = (slug(match[0]), match[0])
            else:
                part.report.warnings.append(
                    f"site name {s['name']!r} has damaged characters (U+FFFD); "
                    f"site id {s['site_id']!r} derived without them"
                )
        if not renames:
            continue
        for s in part.sites:
            if s["site_id"] in renames:
                s["site_id"], s["name"] = renames[s["site_id"]]
        new_ids = {old: new for old, (new, _) in renames.items()}
        ids = part.frame["site_id"].astype(object)
        part.frame["site_id"] = ids.replace(new_ids).astype("string")
        part.report.sites = sorted(set(part.frame["site_id"].tolist()))


def _combine(parts: list[_Part]) -> pd.DataFrame:
    """One frame from the parts; the same site and hour in two files must agree."""
    frames = [p.frame.assign(src_file=i) for i, p in enumerate(parts) if len(p.frame)]
    if not frames:
        return pd.DataFrame(
            {
                "site_id": pd.Series([], dtype="string"),
                "time": pd.Series([], dtype="datetime64[ns, UTC]"),
                "count": pd.Series([], dtype=float),
            }
        )
    both = pd.concat(frames, ignore_index=True)
    both = both.sort_values(["site_id", "time", "src_file"], kind="stable")
    key = ["site_id", "time"]
    dup = both.duplicated(subset=key, keep=False)
    if dup.any():
        rows = both[dup]
        first = rows.groupby(key, sort=False)["count"]
        differs = first.transform(lambda s: s.nunique(dropna=False) > 1)
        if differs.any():
            bad = rows[differs]
            r = bad.iloc[0]
            files = sorted({parts[int(f)].source for f in bad["src_file"]})
            shown = "; ".join(
                f"{parts[int(x.src_file)].source}: {x.count:g}" for x in bad.head(2).itertuples()
            )
            raise CountsError(
                f"{' and '.join(files)}: {int(differs.sum())} rows for the same site and hour "
                f"with different counts in different files (first: {r.site_id} "
                f"{r.time:%Y-%m-%d %H:%M}Z — {shown})"
            )
        again = both.duplicated(subset=key, keep="first")
        for f, n in both[again]["src_file"].value_counts().items():
            report = parts[int(f)].report
            report.exact_duplicates_dropped += int(n)
            report.rows_kept -= int(n)
            report.warnings.append(f"{int(n)} hour(s) already read from another file, dropped")
        both = both[~again]
    return both.drop(columns="src_file").reset_index(drop=True)


def _sites_frame(parts: list[_Part], extra: list[dict[str, Any]]) -> pd.DataFrame | None:
    rows = [s for p in parts for s in p.sites] + extra
    if not rows:
        return None
    frame = pd.DataFrame(rows, columns=list(SITE_COLUMNS))
    frame["has_xy"] = frame["lon"].notna() & frame["lat"].notna()
    frame = frame.sort_values(["site_id", "has_xy"], ascending=[True, False], kind="stable")
    frame = frame.drop_duplicates("site_id", keep="first").drop(columns="has_xy")
    frame["site_id"] = frame["site_id"].astype("string")
    frame["name"] = frame["name"].astype("string")
    frame["lon"] = frame["lon"].astype(float)
    frame["lat"] = frame["lat"].astype(float)
    return frame.reset_index(drop=True)


def read_counts(
    paths: Sequence[Path | str],
    fmt: str,
    *,
    site_col: str = "site",
    time_col: str = "time",
    count_col: str = "count",
    tz: str = TZ,
    site: str | None = None,
) -> tuple[pd.DataFrame, list[CountsReport], pd.DataFrame | None]:
    """Read count files of one format as ONE data set in the house format.

    Parameters
    ----------
    paths : sequence of Path
        The files (e.g. monthly exports); order does not matter.
    fmt : {"hystreet", "hystreet-json", "sensorthings", "long"}
        The file format (see the module docstring).
    site_col, time_col, count_col : str
        Column names of the ``long`` format.
    tz : str
        Time zone of naive times (``long``; default ``Europe/Berlin``).
    site : str, optional
        Site id for every row (single-site files without a site column, plain SensorThings
        Observations lists); overrides the site derived from the file.

    Returns
    -------
    (counts, reports, sites)
        ``counts``: ``site_id``, ``time`` (UTC hour start), ``count`` and, where the format
        has them, ``temperature`` (°C) and ``weather``; sorted by site and time.
        ``reports``: one :class:`~data.footfall.CountsReport` per file read.
        ``sites``: ``site_id``, ``name``, ``lon``, ``lat`` (NaN when unknown), or ``None``
        when the format names no sites.

    Raises
    ------
    CountsError
        For unreadable files, unknown columns, bad times (naming the line), conflicting
        duplicates within a file (naming the lines) or across files (naming both files).
    """
    if fmt not in FORMATS:
        raise CountsError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    files = [Path(p) for p in paths]
    if not files:
        raise CountsError("no counts file given")
    parts: list[_Part] = []
    extra_sites: list[dict[str, Any]] = []
    for path in files:
        if fmt == "hystreet":
            parts.append(_read_hystreet_csv(path, site, tz))
        elif fmt == "hystreet-json":
            json_part, loc_sites = _read_hystreet_json(path, site)
            if json_part is None:
                extra_sites.extend(loc_sites)
            else:
                parts.append(json_part)
        elif fmt == "sensorthings":
            st_part, warnings = _read_sensorthings(path, site)
            st_part.report.warnings.extend(warnings)
            parts.append(st_part)
        else:
            parts.append(_read_long(path, site_col, time_col, count_col, tz, site))
    if not parts:
        raise CountsError(
            f"{', '.join(p.name for p in files)}: no measurements among the files "
            "(only location responses)"
        )
    if fmt == "sensorthings":
        _drop_followed_links(parts, files)
    _repair_site_names(parts)
    counts = _combine(parts)
    if counts.empty:
        raise CountsError(f"{', '.join(p.name for p in files)}: no count rows")
    sites = _sites_frame(parts, extra_sites)
    if sites is not None:
        sites = sites[sites["site_id"].isin(set(counts["site_id"]))].reset_index(drop=True)
    return counts, [p.report for p in parts], sites


def _drop_followed_links(parts: list[_Part], files: list[Path]) -> None:
    """Drop the 'more pages' warning when several pages were given together."""
    if len(files) < 2:
        return
    for i, part in enumerate(parts):
        if i < len(parts) - 1:
            part.report.warnings = [w for w in part.report.warnings if "@iot.nextLink" not in w]


# --- writing into a pack ---------------------------------------------------------------------


def _temporal(counts: pd.DataFrame) -> Temporal | None:
    times = counts["time"].dropna()
    if times.empty:
        return None
    local = times.dt.tz_convert(TZ)
    return Temporal(f"{local.min():%Y-%m-%d}", f"{local.max():%Y-%m-%d}")


def _entry(
    ds_id: str,
    existing: Catalog,
    kind: str,
    path: str,
    crs: str | None,
    licence: str | None,
    attribution: str | None,
    source: str | None,
    temporal: Temporal | None,
    description: dict[str, str],
) -> Dataset:
    old = existing.get(ds_id) if ds_id in existing.ids() else None
    return Dataset(
        id=ds_id,
        title=dict(old.title) if old is not None else TITLES[ds_id],
        kind=kind,
        path=old.path if old is not None and old.path.endswith(Path(path).suffix) else path,
        crs=crs,
        licence=licence or (old.licence if old is not None else "unknown"),
        attribution=attribution or (old.attribution if old is not None else "not stated"),
        source=source or (old.source if old is not None else None),
        generated_by=GENERATED_BY,
        temporal=temporal,
        description=description,
    )


def _new_sites(sites: pd.DataFrame | None) -> gpd.GeoDataFrame | None:
    if sites is None:
        return None
    located = sites[sites["lon"].notna() & sites["lat"].notna()]
    if located.empty:
        return None
    return gpd.GeoDataFrame(
        {"site_id": located["site_id"].astype(str), "name": located["name"].astype(str)},
        geometry=shapely.points(located["lon"].to_numpy(), located["lat"].to_numpy()),
        crs=WGS84,
    )


def import_counts(
    paths: Sequence[Path | str],
    fmt: str,
    out_pack: Path | str,
    *,
    licence: str | None = None,
    attribution: str | None = None,
    source: str | None = None,
    **options: Any,
) -> list[CountsReport]:
    """Read count files and merge them into the ``footfall_counts`` of an existing pack.

    ``options`` go to :func:`read_counts` (``site_col``, ``time_col``, ``count_col``, ``tz``,
    ``site``). Sites with coordinates are merged into ``footfall_sites`` (new entries
    replace those with the same ``site_id``). ``licence``, ``attribution`` and ``source``
    are written to the catalog (an existing entry keeps its own when they are not given).
    Raises :class:`CountsError` / :class:`data.pack.PackError` (both ``ValueError``); the
    pack is then unchanged.
    """
    out = Path(out_pack)
    if not (out / "city.toml").is_file():
        raise CountsError(f"{str(out)!r} is not a city pack (no city.toml); create it first")
    counts, reports, sites = read_counts(paths, fmt, **options)
    existing = read_catalog(out)
    names = ", ".join(Path(p).name for p in paths)
    new_sites = _new_sites(sites)
    with staged_pack(out) as stage:
        old = None
        if "footfall_counts" in existing.ids():
            old = pd.read_parquet(stage.dir / existing.get("footfall_counts").path)
            old["time"] = old["time"].dt.tz_convert("UTC")
            old["site_id"] = old["site_id"].astype("string")
        merged = merge_counts(old, counts, names)
        merged = merged.sort_values(["site_id", "time"], kind="stable").reset_index(drop=True)
        merged["count"] = merged["count"].astype(float)
        desc = {
            "de": f"Stündliche Passantenzählungen, importiert aus {names} (Format {fmt}); "
            "Zeit = Beginn der Stunde in UTC; leere Werte = nicht gemessen.",
            "en": f"Hourly pedestrian counts imported from {names} (format {fmt}); "
            "time = start of the hour in UTC; empty = not measured.",
        }
        ds = _entry(
            "footfall_counts",
            existing,
            "timeseries",
            COUNTS_PATH,
            None,
            licence,
            attribution,
            source,
            _temporal(merged),
            desc,
        )
        stage.put_timeseries(ds, merged)
        if new_sites is not None:
            frame = new_sites
            if "footfall_sites" in existing.ids():
                stored = gpd.read_file(stage.dir / existing.get("footfall_sites").path)
                stored = stored.to_crs(WGS84) if stored.crs is not None else stored.set_crs(WGS84)
                stored = stored[~stored["site_id"].astype(str).isin(set(frame["site_id"]))]
                frame = gpd.GeoDataFrame(pd.concat([stored, frame], ignore_index=True), crs=WGS84)
            sites_ds = _entry(
                "footfall_sites",
                existing,
                "vector",
                SITES_PATH,
                WGS84,
                licence,
                attribution,
                source,
                None,
                {
                    "de": f"Zählstellen aus {names}.",
                    "en": f"Counting sites from {names}.",
                },
            )
            stage.put_vector(sites_ds, frame.sort_values("site_id").reset_index(drop=True))
    _note_unlocated(reports, sites, new_sites)
    if ds.licence == "unknown":
        reports[-1].warnings.append(
            "licence not stated (licence='unknown'); state it before publishing"
        )
    return reports


def _note_unlocated(
    reports: list[CountsReport], sites: pd.DataFrame | None, located: gpd.GeoDataFrame | None
) -> None:
    if sites is None or not reports:
        return
    have = set(located["site_id"]) if located is not None else set()
    missing = [s for s in sites["site_id"] if s not in have]
    if missing:
        reports[-1].warnings.append(
            f"no coordinates for site(s) {', '.join(missing)}: not added to footfall_sites"
        )
