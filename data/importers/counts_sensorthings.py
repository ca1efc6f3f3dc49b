"""Reading OGC SensorThings API v1.1 JSON counts (part of the counts importer).

Three shapes of response are understood: an ``Observations`` collection (``value`` list), a
``Datastream`` with ``Observations`` expanded, and ``Things`` with ``Locations`` and
``Datastreams/Observations`` expanded. ``phenomenonTime`` may be an instant or a one-hour
interval ``start/end``. A page that links more observations (``@iot.nextLink``) gives a
warning unless the next pages are read together with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.footfall import TZ, CountsError
from data.importers.common import slug
from data.importers.counts_dst import DstLog, DstRules
from data.importers.counts_formats import coords, json_kind, load_json
from data.importers.counts_parse import COUNT_LIMITS, Part, finish, numbers, parse_times

LABEL = "observation"


@dataclass
class Stream:
    """The observations of one site, as found in the response."""

    site_id: str
    name: str
    lon: float
    lat: float
    observations: list[Any]
    next_link: str | None


def _location(entity: dict[str, Any]) -> tuple[float, float]:
    locs = entity.get("Locations")
    if isinstance(locs, list):
        for loc in locs:
            if isinstance(loc, dict):
                lon, lat = coords(loc)
                if not math.isnan(lon):
                    return lon, lat
    return math.nan, math.nan


def _label(entity: dict[str, Any], kind: str) -> str:
    props = entity.get("properties")
    if isinstance(props, dict) and props.get("site_id"):
        return str(props["site_id"])
    if entity.get("name"):
        return slug(str(entity["name"]))
    if "@iot.id" in entity:
        return f"{kind}-{entity['@iot.id']}"
    return ""


def _thing_streams(ent: dict[str, Any], site: str | None) -> list[Stream]:
    """A Thing with ``Datastreams/Observations`` expanded: one stream per Datastream."""
    thing_id = site or _label(ent, "thing")
    lon, lat = _location(ent)
    dss = [d for d in ent["Datastreams"] if isinstance(d, dict)]
    streams = []
    for ds in dss:
        sid = thing_id
        if len(dss) > 1 and site is None:
            sid = f"{thing_id}-{_label(ds, 'datastream')}"
        label = str(ent.get("name") or sid) + (f" – {ds.get('name')}" if len(dss) > 1 else "")
        streams.append(
            Stream(
                sid,
                label,
                lon,
                lat,
                ds.get("Observations") or [],
                ds.get("Observations@iot.nextLink"),
            )
        )
    return streams


def _datastream_stream(ent: dict[str, Any], site: str | None) -> Stream:
    """A Datastream with ``Observations`` (and perhaps its ``Thing``) expanded."""
    thing = ent.get("Thing") if isinstance(ent.get("Thing"), dict) else None
    sid = site or (_label(thing, "thing") if thing else _label(ent, "datastream"))
    lon, lat = _location(thing) if thing else (math.nan, math.nan)
    label = str((thing or ent).get("name") or sid)
    return Stream(
        sid, label, lon, lat, ent.get("Observations") or [], ent.get("Observations@iot.nextLink")
    )


def _plain_stream(path: Path, data: dict[str, Any], plain: list[Any], site: str | None) -> Stream:
    """A plain Observations list: the site is given or named by an expanded Datastream."""
    plain_site = site
    first = plain[0].get("Datastream")
    if plain_site is None and isinstance(first, dict):
        plain_site = _label(first, "datastream")
    if not plain_site:
        raise CountsError(
            "a plain Observations list does not say which site it belongs to; pass site=… (--site)",
            file=path,
            expected="a site given, or the Datastream expanded ($expand=Datastream)",
            found="Observations without a Datastream",
        )
    return Stream(plain_site, plain_site, math.nan, math.nan, plain, data.get("@iot.nextLink"))


def streams_of(data: Any, path: Path, site: str | None) -> list[Stream]:
    """The observation lists of a SensorThings response, each with the site it belongs to."""
    if not isinstance(data, dict):
        raise CountsError(
            "not a SensorThings API response",
            file=path,
            expected="a JSON object",
            found=json_kind(data),
        )
    listed = isinstance(data.get("value"), list)
    entities = data["value"] if listed else [data]
    streams: list[Stream] = []
    plain: list[Any] = []
    for i, ent in enumerate(entities, start=1):
        if not isinstance(ent, dict):
            raise CountsError(
                "'value' must hold JSON objects",
                file=path,
                where=f"'value' item {i}",
                expected="a JSON object",
                found=json_kind(ent),
            )
        if "phenomenonTime" in ent or "result" in ent:
            plain.append(ent)
        elif "Datastreams" in ent:  # a Thing
            streams.extend(_thing_streams(ent, site))
        elif "Observations" in ent:  # a Datastream
            streams.append(_datastream_stream(ent, site))
        else:
            raise CountsError(
                "an entity has neither 'phenomenonTime'/'result' (Observation), "
                "'Observations' (Datastream) nor 'Datastreams' (Thing); expand them with "
                "$expand=Datastreams/Observations",
                file=path,
                where=f"'value' item {i}" if listed else None,
                expected="Observations, a Datastream or Things with their observations",
                found=json_kind(ent),
            )
    if plain:
        streams.append(_plain_stream(path, data, plain, site))
    return streams


def _time(value: Any, path: Path, n: int) -> str:
    """The start of an observation's ``phenomenonTime`` (an instant or a one-hour interval)."""
    where = f"{LABEL} {n}"
    if not isinstance(value, str) or not value.strip():
        raise CountsError(
            "no phenomenonTime", file=path, where=where, expected="a time", found=repr(value)
        )
    text = value.strip()
    if "/" not in text:
        return text
    start, _, end = text.partition("/")
    try:
        t0 = pd.Timestamp(start)
        t1 = pd.Timestamp(end)
    except ValueError as err:
        raise CountsError(
            "unreadable phenomenonTime",
            file=path,
            where=where,
            expected="an ISO 8601 instant or interval start/end",
            found=repr(text),
        ) from err
    if t1 - t0 != pd.Timedelta(hours=1):
        raise CountsError(
            "phenomenonTime is not one hour; hourly counts expected",
            file=path,
            where=where,
            expected="an instant or a one-hour interval",
            found=repr(text),
        )
    return start


def read_sensorthings(
    path: Path, site: str | None, rules: DstRules | None = None
) -> tuple[Part, list[str]]:
    """One SensorThings response file → a part and its warnings (pages not read).

    Times without an offset are local times in the default zone, read under ``rules``.
    """
    name = path.name
    streams = streams_of(load_json(path), path, site)
    times: list[str] = []
    counts: list[Any] = []
    sites_col: list[str] = []
    warnings: list[str] = []
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
                raise CountsError(
                    "an observation is not a JSON object",
                    file=path,
                    where=f"{LABEL} {n}",
                    expected="a JSON object",
                    found=json_kind(obs),
                )
            times.append(_time(obs.get("phenomenonTime"), path, n))
            counts.append(obs.get("result"))
            sites_col.append(stream.site_id)
    if n == 0:
        raise CountsError(
            "no observations found", file=path, expected="at least one observation", found="none"
        )
    lines = pd.Series(np.arange(n) + 1)
    site_ids = pd.Series(sites_col, dtype="string")
    dst = DstLog(rules) if rules is not None else None
    raw = pd.DataFrame(
        {
            "site_id": site_ids,
            "time": parse_times(
                pd.Series(times, dtype="string"),
                name,
                lines,
                TZ,
                groups=site_ids,
                label=LABEL,
                dst=dst,
            ),
            "count": numbers(
                pd.Series(counts, dtype=object), name, lines, "result", LABEL, **COUNT_LIMITS
            ),
        }
    )
    sites = [{"site_id": s.site_id, "name": s.name, "lon": s.lon, "lat": s.lat} for s in streams]
    return finish(raw, name, lines, sites, dst), warnings
