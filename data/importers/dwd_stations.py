"""DWD station lists and the nearest stations to a point (part of the climate importer).

:func:`read_dwd_stations` reads the official station list
(``KL_Tageswerte_Beschreibung_Stationen.txt``, fixed width, Latin-1 or UTF-8) or a CSV
(``id,from,to,altitude,lat,lon,name,state``); :func:`nearest_stations` ranks stations by
great-circle distance in km. Errors are :class:`~data.importers.dwd_product.DwdFormatError`
naming the file and the line.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.importers.dwd_product import DwdFormatError, decode

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
_FIXED_HEADER = (
    "Stations_id von_datum bis_datum Stationshoehe geoBreite geoLaenge Stationsname Bundesland"
)
_CSV_HEADER = "id,from,to,altitude,lat,lon,name,state"
# German federal states as written in DWD station lists (with ASCII spellings).
STATES = frozenset(
    {
        "Baden-Württemberg",
        "Baden-Wuerttemberg",
        "Bayern",
        "Berlin",
        "Brandenburg",
        "Bremen",
        "Hamburg",
        "Hessen",
        "Mecklenburg-Vorpommern",
        "Niedersachsen",
        "Nordrhein-Westfalen",
        "Rheinland-Pfalz",
        "Saarland",
        "Sachsen",
        "Sachsen-Anhalt",
        "Schleswig-Holstein",
        "Thüringen",
        "Thueringen",
    }
)
STATION_COLUMNS = ("station_id", "start", "end", "altitude_m", "lat", "lon", "name", "state")
# CSV station lists: accepted header names (lower case) per house column
_STATION_ALIASES: dict[str, tuple[str, ...]] = {
    "station_id": ("id", "station_id", "stations_id"),
    "start": ("from", "start", "von_datum"),
    "end": ("to", "end", "bis_datum"),
    "altitude_m": ("altitude", "altitude_m", "stationshoehe", "height"),
    "lat": ("lat", "latitude", "geobreite"),
    "lon": ("lon", "longitude", "geolaenge"),
    "name": ("name", "stationsname"),
    "state": ("state", "bundesland"),
}
_FIXED_ROW_RE = re.compile(
    r"^\s*(?P<id>\d{1,5})\s+(?P<start>\S+)\s+(?P<end>\S+)\s+(?P<alt>-?\d+(?:\.\d+)?)\s+"
    r"(?P<lat>-?\d+(?:\.\d+)?)\s+(?P<lon>-?\d+(?:\.\d+)?)\s+(?P<rest>\S.*?)\s*$"
)


def _station_date(text: str, source: str, line: int, what: str) -> pd.Timestamp:
    value = str(text).strip()
    fmt = "%Y%m%d" if re.fullmatch(r"\d{8}", value) else "ISO8601"
    stamp = pd.to_datetime(value, format=fmt, errors="coerce")
    if pd.isna(stamp):
        raise DwdFormatError(
            f"{what} is not a date",
            file=source,
            where=f"line {line}",
            expected="YYYYMMDD or YYYY-MM-DD",
            found=repr(value),
        )
    return pd.Timestamp(stamp)


def _split_name_state(rest: str, has_abgabe: bool) -> tuple[str, str]:
    """``"Jena (Sternwarte)   Thüringen   Frei"`` → ``("Jena (Sternwarte)", "Thüringen")``."""
    text = rest.strip()
    tokens = text.split()
    if has_abgabe and len(tokens) >= 2 and tokens[-1] not in STATES and tokens[-2] in STATES:
        text = text[: text.rfind(tokens[-1])].rstrip()
        tokens = tokens[:-1]
    if len(tokens) >= 2 and tokens[-1] in STATES:
        return text[: text.rfind(tokens[-1])].rstrip(), tokens[-1]
    parts = re.split(r"\s{2,}", text)
    return parts[0], (parts[1] if len(parts) > 1 else "")


def _check_coordinates(frame: pd.DataFrame, lines: list[int], source: str) -> None:
    for col, limit in (("lat", 90.0), ("lon", 180.0)):
        bad = frame[col].abs() > limit
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DwdFormatError(
                f"{col} is out of range",
                file=source,
                where=f"line {lines[i]}",
                expected=f"[-{limit:g}, {limit:g}] degrees",
                found=f"{frame[col].iloc[i]}",
            )


def _fixed_width_stations(lines: list[str], head: int, source: str) -> pd.DataFrame:
    has_abgabe = "abgabe" in lines[head].casefold()
    records: list[dict[str, Any]] = []
    numbers: list[int] = []
    for i in range(head + 1, len(lines)):
        line = lines[i]
        if not line.strip() or re.fullmatch(r"[-\s]+", line):
            continue
        match = _FIXED_ROW_RE.match(line)
        if match is None:
            raise DwdFormatError(
                "not a station row",
                file=source,
                where=f"line {i + 1}",
                expected=f"'{_FIXED_HEADER}'",
                found=repr(line.strip()[:100]),
            )
        name, state = _split_name_state(match["rest"], has_abgabe)
        records.append(
            {
                "station_id": match["id"].zfill(5),
                "start": _station_date(match["start"], source, i + 1, "von_datum"),
                "end": _station_date(match["end"], source, i + 1, "bis_datum"),
                "altitude_m": float(match["alt"]),
                "lat": float(match["lat"]),
                "lon": float(match["lon"]),
                "name": name,
                "state": state,
            }
        )
        numbers.append(i + 1)
    if not records:
        raise DwdFormatError(
            f"no stations after the header (line {head + 1})",
            file=source,
            expected="one station per line",
            found="none",
        )
    frame = pd.DataFrame.from_records(records, columns=list(STATION_COLUMNS))
    _check_coordinates(frame, numbers, source)
    return frame


def _csv_table(text: str, source: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """The CSV as text cells and ``{house column: CSV column}``; missing columns raise."""
    first = next(line for line in text.splitlines() if line.strip())
    sep = max((";", ",", "\t"), key=first.count)
    try:
        table = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as err:
        raise DwdFormatError(
            "not a readable CSV station list",
            file=source,
            expected=f"a CSV with columns {_CSV_HEADER}",
            found=str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__,
        ) from err
    table.columns = pd.Index([str(c).strip() for c in table.columns])
    lower = {c.casefold(): c for c in table.columns}
    picked: dict[str, str] = {}
    for col, aliases in _STATION_ALIASES.items():
        found = next((lower[a] for a in aliases if a in lower), None)
        if found is not None:
            picked[col] = found
    missing = [c for c in STATION_COLUMNS if c not in picked]
    if missing:
        wanted = ", ".join(_STATION_ALIASES[c][0] for c in missing)
        raise DwdFormatError(
            f"not a station list: missing column(s) {wanted}",
            file=source,
            where="the header",
            expected=f"the columns {_CSV_HEADER}",
            found=f"columns {', '.join(table.columns)}",
        )
    return table, picked


def _csv_stations(text: str, source: str) -> pd.DataFrame:
    table, picked = _csv_table(text, source)
    lines = list(range(2, len(table) + 2))
    out: dict[str, Any] = {}
    ids = table[picked["station_id"]].str.strip()
    bad = ~ids.str.fullmatch(r"\d{1,5}")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DwdFormatError(
            "station id is not a DWD station number",
            file=source,
            where=f"line {lines[i]}",
            expected="up to 5 digits",
            found=repr(ids.iloc[i]),
        )
    out["station_id"] = ids.str.zfill(5)
    for col, what in (("start", "from"), ("end", "to")):
        out[col] = [
            _station_date(v, source, n, what)
            for v, n in zip(table[picked[col]], lines, strict=True)
        ]
    for col in ("altitude_m", "lat", "lon"):
        raw = table[picked[col]].str.strip()
        values = pd.to_numeric(raw, errors="coerce")
        bad = values.isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DwdFormatError(
                f"{picked[col]} is not a number",
                file=source,
                where=f"line {lines[i]}",
                expected="a number",
                found=repr(raw.iloc[i]),
            )
        out[col] = values.astype(float)
    out["name"] = table[picked["name"]].str.strip()
    out["state"] = table[picked["state"]].str.strip()
    frame = pd.DataFrame(out, columns=list(STATION_COLUMNS))
    if frame.empty:
        raise DwdFormatError(
            "no stations after the header",
            file=source,
            expected="one station per row",
            found="none",
        )
    _check_coordinates(frame, lines, source)
    return frame


def read_dwd_stations(path: Path | str) -> pd.DataFrame:
    """Read a DWD station list.

    Parameters
    ----------
    path : Path or str
        Either the official list (``KL_Tageswerte_Beschreibung_Stationen.txt``: fixed
        width, Latin-1 or UTF-8, header ``Stations_id von_datum bis_datum Stationshoehe
        geoBreite geoLaenge Stationsname Bundesland [Abgabe]``, a line of dashes, one station
        per line) or a CSV with columns ``id,from,to,altitude,lat,lon,name,state``.

    Returns
    -------
    pandas.DataFrame
        ``station_id`` (5 digits, text), ``start``/``end`` (datetime64: the period of data),
        ``altitude_m`` (m above sea level), ``lat``/``lon`` (WGS84 degrees), ``name``,
        ``state`` (Bundesland).

    Raises
    ------
    DwdFormatError
        For a missing or empty file, an unknown header, or a row that cannot be read
        (naming the line).
    """
    path = Path(path)
    if not path.is_file():
        raise DwdFormatError("file not found", file=path, expected="an existing file")
    raw = path.read_bytes()
    source = path.name
    if not raw.strip():
        raise DwdFormatError(
            "the file is empty", file=source, expected="a DWD station list", found="no text"
        )
    text = decode(raw)
    lines = text.splitlines()
    head = next(i for i, line in enumerate(lines) if line.strip())
    header = lines[head].strip().casefold()
    if header.startswith("stations_id") and "von_datum" in header and "," not in header:
        frame = _fixed_width_stations(lines, head, source)
    elif "," in header or ";" in header or "\t" in header:
        frame = _csv_stations(text, source)
    else:
        raise DwdFormatError(
            "not a DWD station list",
            file=source,
            where=f"line {head + 1}",
            expected=f"the header '{_FIXED_HEADER}' or a CSV with columns {_CSV_HEADER}",
            found=repr(lines[head][:80]),
        )
    dup = frame["station_id"].duplicated(keep=False)
    if dup.any():
        ids = sorted(set(frame.loc[dup, "station_id"]))
        raise DwdFormatError(
            f"station id(s) listed twice: {', '.join(ids[:10])}",
            file=source,
            expected="each station once",
        )
    return frame.reset_index(drop=True)


def nearest_stations(stations: pd.DataFrame, lat: float, lon: float, n: int = 3) -> pd.DataFrame:
    """The ``n`` stations closest to a point, by great-circle distance.

    Parameters
    ----------
    stations : pandas.DataFrame
        As returned by :func:`read_dwd_stations` (needs ``lat`` and ``lon``, WGS84 degrees).
    lat, lon : float
        The point, WGS84 degrees.
    n : int
        How many stations to return (at least 1).

    Returns
    -------
    pandas.DataFrame
        The nearest rows, closest first, with a ``distance_km`` column (haversine on a sphere
        of radius 6371.0088 km).

    Raises
    ------
    DwdFormatError
        (a ``ValueError``) for a point outside WGS84 degrees, ``n < 1`` or a table without
        ``lat``/``lon``.
    """
    if not (-90.0 <= lat <= 90.0) or not (-180.0 <= lon <= 180.0):
        raise DwdFormatError(
            "lat/lon out of range",
            expected="WGS84 degrees (lat -90…90, lon -180…180)",
            found=f"lat={lat}, lon={lon}",
        )
    if n < 1:
        raise DwdFormatError("n: too few stations asked for", expected="at least 1", found=str(n))
    for col in ("lat", "lon"):
        if col not in stations.columns:
            raise DwdFormatError(
                f"stations: no {col!r} column",
                expected="the columns lat and lon",
                found=f"columns {', '.join(stations.columns)}",
            )
    phi1, phi2 = math.radians(lat), np.radians(stations["lat"].to_numpy(float))
    dphi = phi2 - phi1
    dlmb = np.radians(stations["lon"].to_numpy(float) - lon)
    a = np.sin(dphi / 2) ** 2 + math.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    dist = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    out = stations.assign(distance_km=dist)
    return out.sort_values("distance_km", kind="stable").head(n).reset_index(drop=True)
