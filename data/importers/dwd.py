"""How a DWD station's daily climate record becomes the pack's ``climate_daily`` table.

The Deutscher Wetterdienst (DWD) Climate Data Center publishes daily station data ("KL",
``produkt_klima_tag_<von>_<bis>_<station>.txt``), either as plain text or inside the zip
archives ``tageswerte_KL_<station>_<von>_<bis>_hist.zip`` (historical, quality-checked) and
``tageswerte_KL_<station>_akt.zip`` (recent). The files are ``;``-separated, fields padded
with spaces, ``-999`` for a missing value, one row per day::

    STATIONS_ID;MESS_DATUM;QN_3;  FX;  FM;QN_4; RSK;RSKF; SDK;SHK_TAG;  NM; VPM;  PM; TMK; UPM; TXK; TNK; TGK;eor
           1270;19510101;-999;-999;-999;    5;   0.0;   1;    0.000;  24;   6.4; ...

:func:`read_dwd_daily` answers "what did this station measure each day": the daily maximum
(``TXK`` → ``tmax``), minimum (``TNK`` → ``tmin``) and mean (``TMK`` → ``tmean``) air
temperature 2 m above ground in °C, the precipitation height (``RSK`` → ``precip_mm``) in mm,
and the quality level ``QN_4``. Several files of one station (historical + recent) are
merged; on days present in both, the historical product wins and differences are reported.

:func:`read_dwd_stations` reads the official station list
(``KL_Tageswerte_Beschreibung_Stationen.txt``, fixed width, Latin-1 or UTF-8) or a CSV
(``id,from,to,altitude,lat,lon,name,state``); :func:`nearest_stations` ranks stations by
great-circle distance in km. :func:`import_climate` writes ``climate_daily`` into an existing
pack through :func:`data.writer.staged_pack`: a failure leaves the pack byte-for-byte
unchanged.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.catalog import CITY_FILE, Dataset, Temporal, read_catalog
from data.writer import staged_pack

DATASET_ID = "climate_daily"
TABLE_PATH = "climate_daily.csv"
LICENCE = "DL-DE/BY-2-0 (DWD Open Data, Datenlizenz Deutschland – Namensnennung 2.0)"
ATTRIBUTION = "Deutscher Wetterdienst"
GENERATED_BY = "data/importers/dwd.py (allmende import climate)"
MISSING = -999.0  # DWD's mark for a missing value
REQUIRED = ("STATIONS_ID", "MESS_DATUM", "TXK", "TNK", "TMK", "RSK")
# DWD column → house column; all °C except RSK (mm) and QN_4 (quality level 1–10)
VALUE_COLUMNS = {"TXK": "tmax", "TNK": "tmin", "TMK": "tmean", "RSK": "precip_mm"}
QUALITY_COLUMN = ("QN_4", "qn_4")
FRAME_COLUMNS = ("date", "station_id", "tmax", "tmin", "tmean", "precip_mm", "qn_4")
TABLE_COLUMNS = ("date", "tmax", "tmin", "tmean", "precip_mm", "station_id")
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
_PRODUCT_RE = re.compile(r"(?:^|/)produkt_klima_tag_[^/]*\.txt$", re.IGNORECASE)
_LIST_LINES = 5  # line numbers named in one message

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


class DwdFormatError(ValueError):
    """A file is not a readable DWD product or station list; the message names file and line."""


@dataclass
class DwdFile:
    """One ``produkt_klima_tag`` file as read, before files are merged."""

    source: str  # display name, ``archive.zip:member.txt`` for zip members
    station_id: str
    frame: pd.DataFrame  # FRAME_COLUMNS, one row per date, sorted
    historical: bool  # from a ``_hist`` archive or file name
    notes: list[str] = field(default_factory=list)

    @property
    def last(self) -> pd.Timestamp:
        return pd.Timestamp(self.frame["date"].iloc[-1])


@dataclass
class DwdDaily:
    """The daily record of one station, merged from one or more DWD files.

    ``frame`` has the columns ``date`` (datetime64, midnight), ``station_id`` (5 digits),
    ``tmax``, ``tmin``, ``tmean`` (°C), ``precip_mm`` (mm) and ``qn_4`` (quality level), with
    ``NaN`` where DWD wrote -999; one row per date, sorted. ``notes`` say what was found and
    resolved (missing values per column, duplicates, overlaps between files).
    """

    frame: pd.DataFrame
    station_id: str
    sources: list[str]
    notes: list[str]

    @property
    def first(self) -> pd.Timestamp:
        return pd.Timestamp(self.frame["date"].iloc[0])

    @property
    def last(self) -> pd.Timestamp:
        return pd.Timestamp(self.frame["date"].iloc[-1])


@dataclass
class ClimateImport:
    """What :func:`import_climate` wrote."""

    pack: Path
    rows: int
    first: str  # ISO date
    last: str
    station_id: str
    sources: list[str]
    notes: list[str]

    def lines(self) -> list[str]:
        """Human-readable summary lines for the command line."""
        out = [
            f"imported {DATASET_ID} into {self.pack}: {self.rows} days, {self.first} – "
            f"{self.last}, DWD station {self.station_id}",
            f"files: {', '.join(self.sources)}",
        ]
        out.extend(f"note: {n}" for n in self.notes)
        return out


# --- helpers -------------------------------------------------------------------------------


def _paths(paths: Path | str | Sequence[Path | str]) -> list[Path]:
    if isinstance(paths, str | Path):
        return [Path(paths)]
    out = [Path(p) for p in paths]
    if not out:
        raise ValueError("paths: expected at least one DWD file, got none")
    return out


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _line_list(lines: Sequence[int], limit: int = _LIST_LINES) -> str:
    shown = ", ".join(str(int(n)) for n in list(lines)[:limit])
    more = f" and {len(lines) - limit} more" if len(lines) > limit else ""
    return shown + more


def _is_zip(path: Path, head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04") or path.suffix.lower() == ".zip"


def _iso(value: Any) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d")


# --- product files -------------------------------------------------------------------------


def _header(lines: list[str], source: str) -> tuple[int, list[str]]:
    """Index and upper-case names of the header line; raise for non-DWD headers."""
    index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if index is None:
        raise DwdFormatError(f"{source}: the file is empty")
    line = lines[index].lstrip("\ufeff")
    if ";" not in line:
        for sep, label in ((",", "','"), ("\t", "tab"), ("|", "'|'")):
            if sep in line:
                raise DwdFormatError(
                    f"{source}: line {index + 1}: wrong separator: expected ';' between the "
                    f"columns of a DWD product file (STATIONS_ID;MESS_DATUM;…), but the header "
                    f"is separated by {label}: {line.strip()[:80]!r}"
                )
        raise DwdFormatError(
            f"{source}: line {index + 1}: not a DWD daily climate (KL) product file: expected "
            f"a ';'-separated header starting STATIONS_ID;MESS_DATUM, got {line.strip()[:80]!r}"
        )
    original = [h.strip() for h in line.split(";")]
    names = [h.upper() for h in original]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        found = ", ".join(h for h in original if h) or "none"
        raise DwdFormatError(
            f"{source}: not a DWD daily climate (KL) product file: missing column(s) "
            f"{', '.join(missing)}; columns found: {found}"
        )
    dupes = sorted({h for h in names if h and names.count(h) > 1})
    if dupes:
        raise DwdFormatError(f"{source}: duplicate column name(s) {', '.join(dupes)}")
    return index, names


def _numbers(raw: pd.Series, lines: pd.Series, column: str, source: str) -> pd.Series:
    """Text cells → floats; -999 → NaN; text that is not a number raises."""
    values = pd.to_numeric(raw.where(raw != ""), errors="coerce")
    bad = values.isna() & (raw != "")
    if bad.any():
        first = raw[bad].iloc[0]
        where = lines[bad].tolist()
        more = f" (lines {_line_list(where)})" if len(where) > 1 else ""
        raise DwdFormatError(
            f"{source}: line {where[0]}: {column} value {first!r} is not a number{more}"
        )
    return values.astype(float).mask(values == MISSING)


def _parse_product(text: str, source: str, historical: bool) -> DwdFile:
    """Parse the text of one ``produkt_klima_tag`` file."""
    lines = text.splitlines()
    head, names = _header(lines, source)
    width = len(names)
    cols = {name: i for i, name in enumerate(names)}
    wanted = [*REQUIRED, *([QUALITY_COLUMN[0]] if QUALITY_COLUMN[0] in cols else [])]
    cells: dict[str, list[str]] = {c: [] for c in wanted}
    rows: list[str] = []
    numbers: list[int] = []
    for i in range(head + 1, len(lines)):
        line = lines[i]
        if not line.strip():
            continue
        fields = line.split(";")
        if len(fields) != width:
            hint = ""
            if len(fields) == 1 and ("," in line or "\t" in line):
                hint = " (wrong separator: this line is not ';'-separated)"
            raise DwdFormatError(
                f"{source}: line {i + 1} has {len(fields)} field(s) but the header (line "
                f"{head + 1}) has {width}{hint}: {line.strip()[:80]!r}"
            )
        stripped = [f.strip() for f in fields]
        for c in wanted:
            cells[c].append(stripped[cols[c]])
        rows.append(";".join(stripped))
        numbers.append(i + 1)
    if not rows:
        raise DwdFormatError(f"{source}: no data rows after the header (line {head + 1})")
    line_no = pd.Series(numbers)

    stations = pd.Series(cells["STATIONS_ID"])
    bad = ~stations.str.fullmatch(r"\d{1,5}")
    if bad.any():
        raise DwdFormatError(
            f"{source}: line {int(line_no[bad].iloc[0])}: STATIONS_ID "
            f"{stations[bad].iloc[0]!r} is not a station number (expected up to 5 digits)"
        )
    ids = stations.str.zfill(5)
    distinct = list(dict.fromkeys(ids))
    if len(distinct) > 1:
        other = ids != distinct[0]
        raise DwdFormatError(
            f"{source}: the file holds several stations ({', '.join(distinct)}; station "
            f"{ids[other].iloc[0]} first in line {int(line_no[other].iloc[0])}); expected one"
        )

    raw_dates = pd.Series(cells["MESS_DATUM"])
    dates = pd.to_datetime(raw_dates, format="%Y%m%d", errors="coerce")
    bad = dates.isna() | ~raw_dates.str.fullmatch(r"\d{8}")
    if bad.any():
        value = raw_dates[bad].iloc[0]
        hint = "; is this an hourly product?" if re.fullmatch(r"\d{10,12}", value) else ""
        raise DwdFormatError(
            f"{source}: line {int(line_no[bad].iloc[0])}: MESS_DATUM {value!r} is not a date "
            f"(expected YYYYMMDD{hint})"
        )

    frame = pd.DataFrame({"date": dates, "station_id": ids.astype(str)})
    notes: list[str] = []
    missing_counts: list[str] = []
    empty_counts: list[str] = []
    for dwd, house in [*VALUE_COLUMNS.items(), QUALITY_COLUMN]:
        if dwd not in cells:
            frame[house] = np.nan
            notes.append(f"{source}: no {dwd} column; {house} left empty")
            continue
        raw = pd.Series(cells[dwd])
        frame[house] = _numbers(raw, line_no, dwd, source)
        missing_counts.append(f"{dwd} {int((frame[house].isna() & (raw != '')).sum())}")
        n_empty = int((raw == "").sum())
        if n_empty:
            empty_counts.append(f"{dwd} {n_empty}")
    frame = frame[list(FRAME_COLUMNS)]

    # duplicate dates: identical rows are dropped, differing ones are an error
    dup = frame["date"].duplicated(keep=False)
    if dup.any():
        texts = pd.Series(rows)
        groups = frame.loc[dup].groupby("date").groups
        dropped: list[int] = []
        for date, idx in groups.items():
            if texts[list(idx)].nunique() > 1:
                raise DwdFormatError(
                    f"{source}: date {_iso(date)} appears in lines "
                    f"{_line_list(line_no[list(idx)].tolist())} with different values"
                )
            dropped.extend(int(line_no[j]) for j in list(idx)[1:])
        keep = ~frame["date"].duplicated(keep="first")
        frame = frame.loc[keep].reset_index(drop=True)
        notes.append(
            f"{source}: {len(dropped)} exact duplicate row(s) dropped (lines {_line_list(dropped)})"
        )
    if not frame["date"].is_monotonic_increasing:
        notes.append(f"{source}: rows were not in date order; sorted")
        frame = frame.sort_values("date", kind="stable").reset_index(drop=True)

    first, last = frame["date"].iloc[0], frame["date"].iloc[-1]
    span = int((last - first).days) + 1
    notes.insert(
        0,
        f"{source}: station {distinct[0]}, {_iso(first)} – {_iso(last)}, {len(frame)} days; "
        f"missing values (-999): {', '.join(missing_counts)}",
    )
    if span > len(frame):
        notes.append(
            f"{source}: {span - len(frame)} day(s) between first and last date have no row"
        )
    if empty_counts:
        notes.append(f"{source}: empty fields read as missing: {', '.join(empty_counts)}")
    return DwdFile(source, distinct[0], frame, historical, notes)


def _read_path(path: Path) -> list[DwdFile]:
    """One ``.txt`` product file, or every ``produkt_klima_tag`` file in a DWD zip archive."""
    if not path.is_file():
        raise DwdFormatError(f"{path}: file not found")
    raw = path.read_bytes()
    name = path.name
    hist = "_hist" in name.lower()
    if not _is_zip(path, raw[:4]):
        if b"\x00" in raw[:4096]:
            raise DwdFormatError(
                f"{name}: this is a binary file, not a DWD product text file or zip archive"
            )
        return [_parse_product(_decode(raw), name, hist)]
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as err:
        raise DwdFormatError(f"{name}: not a readable zip archive ({err})") from None
    with archive:
        members = [m for m in archive.namelist() if not m.endswith("/")]
        products = [m for m in members if _PRODUCT_RE.search(m)]
        if not products:
            shown = ", ".join(members[:10]) or "none"
            more = f" and {len(members) - 10} more" if len(members) > 10 else ""
            raise DwdFormatError(
                f"{name}: no produkt_klima_tag_*.txt file in the zip archive; is it a DWD "
                f"daily KL archive (tageswerte_KL_…zip)? members: {shown}{more}"
            )
        return [
            _parse_product(_decode(archive.read(m)), f"{name}:{m}", hist or "_hist" in m.lower())
            for m in products
        ]


def _same(a: pd.DataFrame, b: pd.DataFrame) -> np.ndarray:
    """Row-wise: do the value columns agree (NaN equals NaN)?"""
    agree = np.ones(len(a), dtype=bool)
    for col in VALUE_COLUMNS.values():
        x, y = a[col].to_numpy(float), b[col].to_numpy(float)
        agree &= (x == y) | (np.isnan(x) & np.isnan(y))
    return agree


def _merge(parts: list[DwdFile]) -> tuple[pd.DataFrame, list[str]]:
    """Merge files of one station: the historical product (then the older end date) wins."""
    order = sorted(parts, key=lambda p: (not p.historical, p.last, p.source))
    merged = order[0].frame
    kept = [order[0].source]
    notes: list[str] = []
    for part in order[1:]:
        frame = part.frame
        overlap = frame["date"].isin(merged["date"])
        n = int(overlap.sum())
        if n:
            theirs = frame.loc[overlap].set_index("date")
            ours = merged.set_index("date").loc[theirs.index]
            agree = _same(ours, theirs)
            n_diff = int((~agree).sum())
            days = theirs.index
            why = "historical product" if order[0].historical else "older end date"
            text = (
                f"{part.source} overlaps {', '.join(kept)} on {n} day(s) "
                f"({_iso(days.min())} – {_iso(days.max())}): {n - n_diff} agree"
            )
            if n_diff:
                first_diff = _iso(days[~agree][0])
                text += (
                    f", {n_diff} differ (first {first_diff}); kept the values of "
                    f"{order[0].source} ({why})"
                )
            else:
                text += "; kept one copy"
            notes.append(text + " (compared TXK, TNK, TMK, RSK)")
        merged = pd.concat([merged, frame.loc[~overlap]], ignore_index=True)
        kept.append(part.source)
    merged = merged.sort_values("date", kind="stable").reset_index(drop=True)
    return merged, notes


def read_dwd_daily(paths: Path | str | Sequence[Path | str]) -> DwdDaily:
    """Read DWD daily climate (KL) product files of one station.

    Parameters
    ----------
    paths : path or sequence of paths
        ``produkt_klima_tag_*.txt`` files and/or DWD zip archives
        (``tageswerte_KL_*_hist.zip``, ``tageswerte_KL_*_akt.zip``) holding them.

    Returns
    -------
    DwdDaily
        ``frame`` with ``date``, ``station_id`` (5 digits), ``tmax`` (TXK, °C), ``tmin``
        (TNK, °C), ``tmean`` (TMK, °C), ``precip_mm`` (RSK, mm) and ``qn_4`` (QN_4), -999 as
        ``NaN``; ``notes`` in plain language. Files overlapping in time are merged: where the
        values agree one copy is kept; where they differ the historical product (``_hist``,
        else the file ending earlier) wins and the number of differing days is reported.

    Raises
    ------
    DwdFormatError
        For an empty file, a file that is not a DWD product (the message lists the columns
        found), a wrong separator, an unparseable date or a non-numeric value (naming the
        line), conflicting rows for one date in one file, or a zip archive without a
        ``produkt_klima_tag`` file.
    ValueError
        If the files belong to different stations.
    """
    files = _paths(paths)
    parts = [part for path in files for part in _read_path(path)]
    stations: dict[str, str] = {}
    for part in parts:
        stations.setdefault(part.station_id, part.source)
    if len(stations) > 1:
        shown = " and ".join(f"station {sid} ({src})" for sid, src in stations.items())
        raise ValueError(
            f"the files belong to different stations: {shown}; read one station at a time"
        )
    frame, merge_notes = _merge(parts)
    notes = [n for part in parts for n in part.notes] + merge_notes
    station = parts[0].station_id
    return DwdDaily(frame, station, [p.source for p in parts], notes)


# --- station lists -------------------------------------------------------------------------


def _station_date(text: str, source: str, line: int, what: str) -> pd.Timestamp:
    value = str(text).strip()
    fmt = "%Y%m%d" if re.fullmatch(r"\d{8}", value) else "ISO8601"
    stamp = pd.to_datetime(value, format=fmt, errors="coerce")
    if pd.isna(stamp):
        raise DwdFormatError(
            f"{source}: line {line}: {what} {value!r} is not a date (expected YYYYMMDD or "
            "YYYY-MM-DD)"
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
                f"{source}: line {lines[i]}: {col} {frame[col].iloc[i]} is out of range "
                f"[-{limit:g}, {limit:g}] degrees"
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
                f"{source}: line {i + 1}: expected 'Stations_id von_datum bis_datum "
                f"Stationshoehe geoBreite geoLaenge Stationsname Bundesland', got "
                f"{line.strip()[:100]!r}"
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
        raise DwdFormatError(f"{source}: no stations after the header (line {head + 1})")
    frame = pd.DataFrame.from_records(records, columns=list(STATION_COLUMNS))
    _check_coordinates(frame, numbers, source)
    return frame


def _csv_stations(text: str, source: str) -> pd.DataFrame:
    first = next(line for line in text.splitlines() if line.strip())
    sep = max((";", ",", "\t"), key=first.count)
    try:
        table = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as err:
        raise DwdFormatError(f"{source}: not a readable CSV station list ({err})") from None
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
            f"{source}: not a station list: missing column(s) {wanted}; expected "
            f"id,from,to,altitude,lat,lon,name,state; columns found: "
            f"{', '.join(table.columns)}"
        )
    lines = list(range(2, len(table) + 2))
    out: dict[str, Any] = {}
    ids = table[picked["station_id"]].str.strip()
    bad = ~ids.str.fullmatch(r"\d{1,5}")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DwdFormatError(
            f"{source}: line {lines[i]}: station id {ids.iloc[i]!r} is not a DWD station "
            "number (expected up to 5 digits)"
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
                f"{source}: line {lines[i]}: {picked[col]} {raw.iloc[i]!r} is not a number"
            )
        out[col] = values.astype(float)
    out["name"] = table[picked["name"]].str.strip()
    out["state"] = table[picked["state"]].str.strip()
    frame = pd.DataFrame(out, columns=list(STATION_COLUMNS))
    if frame.empty:
        raise DwdFormatError(f"{source}: no stations after the header")
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
        raise DwdFormatError(f"{path}: file not found")
    raw = path.read_bytes()
    source = path.name
    if not raw.strip():
        raise DwdFormatError(f"{source}: the file is empty")
    text = _decode(raw)
    lines = text.splitlines()
    head = next(i for i, line in enumerate(lines) if line.strip())
    header = lines[head].strip().casefold()
    if header.startswith("stations_id") and "von_datum" in header and "," not in header:
        frame = _fixed_width_stations(lines, head, source)
    elif "," in header or ";" in header or "\t" in header:
        frame = _csv_stations(text, source)
    else:
        raise DwdFormatError(
            f"{source}: not a DWD station list: expected the header 'Stations_id von_datum "
            "bis_datum Stationshoehe geoBreite geoLaenge Stationsname Bundesland' or a CSV "
            f"with columns id,from,to,altitude,lat,lon,name,state; got {lines[head][:80]!r}"
        )
    dup = frame["station_id"].duplicated(keep=False)
    if dup.any():
        ids = sorted(set(frame.loc[dup, "station_id"]))
        raise DwdFormatError(f"{source}: station id(s) listed twice: {', '.join(ids[:10])}")
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
    """
    if not (-90.0 <= lat <= 90.0) or not (-180.0 <= lon <= 180.0):
        raise ValueError(f"lat/lon: expected WGS84 degrees, got lat={lat}, lon={lon}")
    if n < 1:
        raise ValueError(f"n: expected at least 1, got {n}")
    for col in ("lat", "lon"):
        if col not in stations.columns:
            raise ValueError(f"stations: no {col!r} column; columns: {', '.join(stations.columns)}")
    phi1, phi2 = math.radians(lat), np.radians(stations["lat"].to_numpy(float))
    dphi = phi2 - phi1
    dlmb = np.radians(stations["lon"].to_numpy(float) - lon)
    a = np.sin(dphi / 2) ** 2 + math.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    dist = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    out = stations.assign(distance_km=dist)
    return out.sort_values("distance_km", kind="stable").head(n).reset_index(drop=True)


# --- into the pack -------------------------------------------------------------------------


def climate_table(result: DwdDaily | pd.DataFrame) -> pd.DataFrame:
    """The rows of ``climate_daily`` (see :mod:`data.schemas`) from :func:`read_dwd_daily`.

    Returns
    -------
    pandas.DataFrame
        ``date`` (ISO ``YYYY-MM-DD`` text), ``tmax``, ``tmin``, ``tmean`` (°C),
        ``precip_mm`` (mm), ``station_id``; missing values stay ``NaN``.
    """
    frame = result.frame if isinstance(result, DwdDaily) else result
    out = pd.DataFrame(
        {
            "date": pd.to_datetime(frame["date"]).dt.strftime("%Y-%m-%d"),
            "tmax": frame["tmax"].astype(float),
            "tmin": frame["tmin"].astype(float),
            "tmean": frame["tmean"].astype(float),
            "precip_mm": frame["precip_mm"].astype(float),
            "station_id": frame["station_id"].astype(str),
        }
    )
    return out[list(TABLE_COLUMNS)].reset_index(drop=True)


def _entry(data: DwdDaily, source: str | None) -> Dataset:
    files = ", ".join(Path(s.split(":")[0]).name for s in dict.fromkeys(data.sources))
    station = data.station_id
    return Dataset(
        id=DATASET_ID,
        title={
            "de": f"Tageswerte Klima, DWD-Station {station}",
            "en": f"Daily climate, DWD station {station}",
        },
        kind="table",
        path=TABLE_PATH,
        crs=None,
        licence=LICENCE,
        attribution=ATTRIBUTION,
        source=source
        or f"DWD Climate Data Center (CDC), daily station observations (KL), files: {files}",
        generated_by=GENERATED_BY,
        temporal=Temporal(_iso(data.first), _iso(data.last)),
        description={
            "de": (
                "Tägliche Lufttemperatur in 2 m Höhe (Maximum TXK, Minimum TNK, Mittel TMK, "
                "°C) und Niederschlagshöhe (RSK, mm) der DWD-Station "
                f"{station}; fehlende Werte (-999) sind leer."
            ),
            "en": (
                "Daily air temperature 2 m above ground (maximum TXK, minimum TNK, mean TMK, "
                f"°C) and precipitation (RSK, mm) at DWD station {station}; missing values "
                "(-999) are empty."
            ),
        },
    )


def import_climate(
    pack_folder: Path | str,
    paths: Path | str | Sequence[Path | str],
    source: str | None = None,
) -> ClimateImport:
    """Write a DWD station's daily record as ``climate_daily`` into an existing pack.

    Parameters
    ----------
    pack_folder : Path or str
        An existing city pack (a folder with ``city.toml``).
    paths : path or sequence of paths
        DWD product files or zip archives of one station (see :func:`read_dwd_daily`).
    source : str, optional
        Where the data comes from; by default the DWD CDC and the file names.

    Returns
    -------
    ClimateImport
        Rows written, first and last date, station id, files and notes.

    Raises
    ------
    DwdFormatError, ValueError
        For bad input (nothing is written).
    data.pack.PackError
        If the pack would not validate afterwards (nothing is written).
    """
    folder = Path(pack_folder)
    if not (folder / CITY_FILE).is_file():
        raise ValueError(
            f"{str(folder)!r}: not a city pack (no {CITY_FILE}); import climate needs an "
            "existing pack"
        )
    data = read_dwd_daily(paths)
    table = climate_table(data)
    notes = list(data.notes)
    catalog = read_catalog(folder)
    if DATASET_ID in catalog.ids():
        notes.append(f"replaced the pack's existing {DATASET_ID} ({catalog.get(DATASET_ID).path})")
    with staged_pack(folder) as stage:
        stage.put_table(_entry(data, source), table)
    return ClimateImport(
        pack=folder,
        rows=len(table),
        first=_iso(data.first),
        last=_iso(data.last),
        station_id=data.station_id,
        sources=list(data.sources),
        notes=notes,
    )
