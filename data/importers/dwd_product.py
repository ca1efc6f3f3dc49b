"""Checking one DWD ``produkt_klima_tag`` text file (part of the climate importer).

:func:`parse_product` turns the text of one daily climate (KL) product file into a
:class:`DwdFile`: the header is checked (separator, required columns), every row must have
the header's number of fields, one station, dates ``YYYYMMDD`` and numbers (``-999`` is
missing). Identical repeated rows are dropped and reported; a date repeated with different
values is an error. Every error is a :class:`DwdFormatError` naming the file and the line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from data.importers.base import ImporterError
from data.limits import NOT_FINITE

MISSING = -999.0  # DWD's mark for a missing value
REQUIRED = ("STATIONS_ID", "MESS_DATUM", "TXK", "TNK", "TMK", "RSK")
# DWD column → house column; all °C except RSK (mm) and QN_4 (quality level 1–10)
VALUE_COLUMNS = {"TXK": "tmax", "TNK": "tmin", "TMK": "tmean", "RSK": "precip_mm"}
QUALITY_COLUMN = ("QN_4", "qn_4")
FRAME_COLUMNS = ("date", "station_id", "tmax", "tmin", "tmean", "precip_mm", "qn_4")
_LIST_LINES = 5  # line numbers named in one message
_HEADER_HINT = "a ';'-separated header starting STATIONS_ID;MESS_DATUM"


class DwdFormatError(ImporterError):
    """A file is not a readable DWD product or station list; names file, line, expected, found."""


@dataclass
class DwdFile:
    """One ``produkt_klima_tag`` file as read, before files are merged."""

    source: str  # display name, ``archive.zip:member.txt`` for zip members
    station_id: str
    frame: pd.DataFrame  # FRAME_COLUMNS, one row per date, sorted
    historical: bool  # from a ``_hist`` archive or file name
    notes: list[str] = field(default_factory=list)
    rows_read: int = 0  # data rows in the file, repeats included

    @property
    def last(self) -> pd.Timestamp:
        return pd.Timestamp(self.frame["date"].iloc[-1])


@dataclass
class _Rows:
    """The data rows of a product file: wanted cells per column, row texts, line numbers."""

    cells: dict[str, list[str]]
    texts: list[str]
    line_no: pd.Series


def decode(raw: bytes) -> str:
    """UTF-8 (with or without byte order mark), else Latin-1."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def line_list(lines: Sequence[int], limit: int = _LIST_LINES) -> str:
    """``"3, 4, 7 and 2 more"``."""
    shown = ", ".join(str(int(n)) for n in list(lines)[:limit])
    more = f" and {len(lines) - limit} more" if len(lines) > limit else ""
    return shown + more


def iso(value: Any) -> str:
    """A date as ``YYYY-MM-DD``."""
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def _header(lines: list[str], source: str) -> tuple[int, list[str]]:
    """Index and upper-case names of the header line; raise for non-DWD headers."""
    index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if index is None:
        raise DwdFormatError(
            "the file is empty", file=source, expected=_HEADER_HINT, found="no text"
        )
    line = lines[index].lstrip("\ufeff")
    where = f"line {index + 1}"
    if ";" not in line:
        for sep, label in ((",", "','"), ("\t", "tab"), ("|", "'|'")):
            if sep in line:
                raise DwdFormatError(
                    "wrong separator",
                    file=source,
                    where=where,
                    expected="';' between the columns of a DWD product file (STATIONS_ID;…)",
                    found=f"a header separated by {label}: {line.strip()[:80]!r}",
                )
        raise DwdFormatError(
            "not a DWD daily climate (KL) product file",
            file=source,
            where=where,
            expected=_HEADER_HINT,
            found=repr(line.strip()[:80]),
        )
    original = [h.strip() for h in line.split(";")]
    names = [h.upper() for h in original]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise DwdFormatError(
            f"not a DWD daily climate (KL) product file: missing column(s) {', '.join(missing)}",
            file=source,
            where=where,
            expected=f"the columns {', '.join(REQUIRED)}",
            found=f"columns {', '.join(h for h in original if h) or 'none'}",
        )
    dupes = sorted({h for h in names if h and names.count(h) > 1})
    if dupes:
        raise DwdFormatError(
            f"duplicate column name(s) {', '.join(dupes)}",
            file=source,
            where=where,
            expected="each column once",
        )
    return index, names


def _rows(lines: list[str], head: int, names: list[str], source: str) -> _Rows:
    """The cells of the wanted columns; a row with another number of fields is an error."""
    width = len(names)
    cols = {name: i for i, name in enumerate(names)}
    wanted = [*REQUIRED, *([QUALITY_COLUMN[0]] if QUALITY_COLUMN[0] in cols else [])]
    cells: dict[str, list[str]] = {c: [] for c in wanted}
    texts: list[str] = []
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
                f"{len(fields)} field(s) but the header (line {head + 1}) has {width}{hint}",
                file=source,
                where=f"line {i + 1}",
                expected=f"{width} ';'-separated fields",
                found=repr(line.strip()[:80]),
            )
        stripped = [f.strip() for f in fields]
        for c in wanted:
            cells[c].append(stripped[cols[c]])
        texts.append(";".join(stripped))
        numbers.append(i + 1)
    if not texts:
        raise DwdFormatError(
            f"no data rows after the header (line {head + 1})",
            file=source,
            expected="one row per day",
            found="none",
        )
    return _Rows(cells, texts, pd.Series(numbers))


def _station(rows: _Rows, source: str) -> tuple[pd.Series, str]:
    """The 5-digit station ids of the rows and the one station of the file."""
    stations = pd.Series(rows.cells["STATIONS_ID"])
    bad = ~stations.str.fullmatch(r"\d{1,5}")
    if bad.any():
        raise DwdFormatError(
            "STATIONS_ID is not a station number",
            file=source,
            where=f"line {int(rows.line_no[bad].iloc[0])}",
            expected="up to 5 digits",
            found=repr(stations[bad].iloc[0]),
        )
    ids = stations.str.zfill(5)
    distinct = list(dict.fromkeys(ids))
    if len(distinct) > 1:
        other = ids != distinct[0]
        raise DwdFormatError(
            "the file holds several stations",
            file=source,
            where=f"line {int(rows.line_no[other].iloc[0])}",
            expected="one station",
            found=f"stations {', '.join(distinct)} (station {ids[other].iloc[0]} here)",
        )
    return ids, distinct[0]


def _dates(rows: _Rows, source: str) -> pd.Series:
    raw_dates = pd.Series(rows.cells["MESS_DATUM"])
    dates = pd.to_datetime(raw_dates, format="%Y%m%d", errors="coerce")
    bad = dates.isna() | ~raw_dates.str.fullmatch(r"\d{8}")
    if bad.any():
        value = raw_dates[bad].iloc[0]
        hint = "; is this an hourly product?" if re.fullmatch(r"\d{10,12}", value) else ""
        raise DwdFormatError(
            f"MESS_DATUM is not a date{hint}",
            file=source,
            where=f"line {int(rows.line_no[bad].iloc[0])}",
            expected="YYYYMMDD",
            found=repr(value),
        )
    return dates


def numbers(raw: pd.Series, lines: pd.Series, column: str, source: str) -> pd.Series:
    """Text cells → floats; -999 → NaN; text that is not a number, and ``inf``, raise."""
    values = pd.to_numeric(raw.where(raw != ""), errors="coerce")
    bad = values.isna() & (raw != "")
    if bad.any():
        where = lines[bad].tolist()
        raise DwdFormatError(
            f"{column} value is not a number",
            file=source,
            where=f"line {where[0]}" if len(where) == 1 else f"lines {line_list(where)}",
            expected="a number (-999 for missing)",
            found=repr(raw[bad].iloc[0]),
        )
    infinite = np.isinf(values.astype(float))
    if infinite.any():
        where = lines[infinite].tolist()
        raise DwdFormatError(
            f"{column} value is {NOT_FINITE}",
            file=source,
            where=f"line {where[0]}, column {column}",
            expected="a number (-999 for missing)",
            found=repr(raw[infinite].iloc[0]),
        )
    return values.astype(float).mask(values == MISSING)


def _values(
    frame: pd.DataFrame, rows: _Rows, source: str
) -> tuple[list[str], list[str], list[str]]:
    """Add the value columns to ``frame``; ``(notes, missing per column, empty-field notes)``."""
    notes: list[str] = []
    missing_counts: list[str] = []
    empty_counts: list[str] = []
    for dwd, house in [*VALUE_COLUMNS.items(), QUALITY_COLUMN]:
        if dwd not in rows.cells:
            frame[house] = np.nan
            notes.append(f"{source}: no {dwd} column; {house} left empty")
            continue
        raw = pd.Series(rows.cells[dwd])
        frame[house] = numbers(raw, rows.line_no, dwd, source)
        missing_counts.append(f"{dwd} {int((frame[house].isna() & (raw != '')).sum())}")
        n_empty = int((raw == "").sum())
        if n_empty:
            empty_counts.append(f"{dwd} {n_empty}")
    empty = [f"{source}: empty fields read as missing: {', '.join(empty_counts)}"]
    return notes, missing_counts, empty if empty_counts else []


def _dedupe(frame: pd.DataFrame, rows: _Rows, source: str) -> tuple[pd.DataFrame, list[str]]:
    """Identical rows for one date are dropped (and noted); differing ones are an error."""
    dup = frame["date"].duplicated(keep=False)
    if not dup.any():
        return frame, []
    texts = pd.Series(rows.texts)
    dropped: list[int] = []
    for date, idx in frame.loc[dup].groupby("date").groups.items():
        if texts[list(idx)].nunique() > 1:
            raise DwdFormatError(
                f"date {iso(date)} appears more than once with different values",
                file=source,
                where=f"lines {line_list(rows.line_no[list(idx)].tolist())}",
                expected="one row per date (or identical repeats)",
            )
        dropped.extend(int(rows.line_no[j]) for j in list(idx)[1:])
    keep = ~frame["date"].duplicated(keep="first")
    note = f"{source}: {len(dropped)} exact duplicate row(s) dropped (lines {line_list(dropped)})"
    return frame.loc[keep].reset_index(drop=True), [note]


def parse_product(text: str, source: str, historical: bool) -> DwdFile:
    """Parse the text of one ``produkt_klima_tag`` file (``source`` names it in messages)."""
    lines = text.splitlines()
    head, names = _header(lines, source)
    rows = _rows(lines, head, names, source)
    ids, station = _station(rows, source)
    frame = pd.DataFrame({"date": _dates(rows, source), "station_id": ids.astype(str)})
    notes, missing_counts, empty = _values(frame, rows, source)
    frame, dup_notes = _dedupe(frame[list(FRAME_COLUMNS)], rows, source)
    if not frame["date"].is_monotonic_increasing:
        dup_notes.append(f"{source}: rows were not in date order; sorted")
        frame = frame.sort_values("date", kind="stable").reset_index(drop=True)
    first, last = frame["date"].iloc[0], frame["date"].iloc[-1]
    span = int((last - first).days) + 1
    summary = (
        f"{source}: station {station}, {iso(first)} – {iso(last)}, {len(frame)} days; "
        f"missing values (-999): {', '.join(missing_counts)}"
    )
    gaps = []
    if span > len(frame):
        gaps.append(f"{source}: {span - len(frame)} day(s) between first and last date have no row")
    notes = [summary, *notes, *dup_notes, *gaps, *empty]
    return DwdFile(source, station, frame, historical, notes, rows_read=len(rows.texts))
