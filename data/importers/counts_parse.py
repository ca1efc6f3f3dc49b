"""Checking the cells of a counts file: headers, numbers, times, flags (part of the counts importer).

Every reader in :mod:`data.importers.counts_formats` turns its file into text columns and
hands them here: :func:`numbers` (counts, temperatures), :func:`parse_times` (offsets or
local times in a time zone, the autumn and spring hours of daylight saving time),
:func:`flag_values` (the summer-time flag of the ``long`` format) and :func:`finish`, which
applies :func:`data.footfall.normalise_counts` and keeps the optional columns.

Each error is a :class:`data.footfall.CountsError` naming the file, where in it (``line 3``,
``observation 12``), what was expected and what was found.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.footfall import CountsError, CountsReport, normalise_counts
from data.german_csv import PLACEHOLDERS, parse_german_number, read_german_csv
from data.importers.counts_dst import DstLog, line_list, localise
from data.limits import (
    AIR_TEMPERATURE_MAX_C,
    AIR_TEMPERATURE_MIN_C,
    HOURLY_PEDESTRIANS_CEILING,
    NOT_FINITE,
    problem,
    shown,
)

EXTRA_COLUMNS = ("temperature", "weather")  # optional house-format columns (°C, text)
DST_FLAG_COLUMNS = ("dst", "is_dst", "summer_time", "summertime", "sommerzeit")
_TRUE = frozenset({"1", "true", "t", "yes", "y", "ja", "j", "wahr", "dst", "summer", "sommer"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "nein", "falsch", "std", "winter"})
_OFFSET_RE = re.compile(
    r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$", re.IGNORECASE
)


@dataclass
class Part:
    """One file read into the house format, before the files are combined."""

    source: str
    frame: pd.DataFrame  # site_id, time (UTC), count (+ temperature, weather)
    report: CountsReport
    sites: list[dict[str, Any]] = field(default_factory=list)


# --- headers ---------------------------------------------------------------------------------


def header_key(text: str) -> str:
    """A header reduced to ASCII letters, digits and single spaces, for robust matching.

    ``"Fußgänger insgesamt"``, ``"Fussgaenger insgesamt"`` and the damaged
    ``"Fu\\ufffdg\\ufffdnger insgesamt"`` all match ``HYSTREET_HEADERS["count"]``.
    """
    s = str(text).strip().casefold().replace("ß", "ss").replace("º", "").replace("°", "")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())


HYSTREET_HEADERS: dict[str, re.Pattern[str]] = {
    "site": re.compile(r"lage|location|standort"),
    "time": re.compile(r"zeitpunkt der messung|zeitpunkt|timestamp|time of measurement"),
    "count": re.compile(
        r"fu(ss|s)?ga?e?nger insgesamt|fu(ss|s)?ga?e?nger|pedestrians? (count|total)|"
        r"pedestrians|total pedestrians"
    ),
    "temperature": re.compile(r"temperatur( in c)?|temperature( in c)?"),
    "weather": re.compile(r"wetterlage|wetter|weather( condition)?"),
}


def find_header(columns: Iterable[object], role: str) -> str | None:
    """The first column whose :func:`header_key` matches ``HYSTREET_HEADERS[role]``."""
    pattern = HYSTREET_HEADERS[role]
    for col in columns:
        if pattern.fullmatch(header_key(str(col))):
            return str(col)
    return None


def shown_columns(columns: Iterable[object]) -> str:
    """The columns of a table for a message: ``'a', 'b'``."""
    return ", ".join(repr(str(c)) for c in columns) or "none"


# --- files -----------------------------------------------------------------------------------


def require(path: Path) -> None:
    """A :class:`CountsError` naming ``path`` when it is not a file."""
    if not path.is_file():
        raise CountsError("file not found", file=path, expected="an existing file")


def read_csv(path: Path) -> pd.DataFrame:
    """A CSV (German or international notation) as text cells; errors name the file."""
    try:
        return read_german_csv(path)
    except ValueError as err:
        text = str(err)
        prefix = f"{path.name}: "
        raise CountsError(
            text[len(prefix) :] if text.startswith(prefix) else text,
            file=path,
            expected="a readable CSV table",
        ) from err


def cut_off_warning(table: pd.DataFrame, source: str) -> list[str]:
    """A warning when the file does not end with a line break (it may be cut off there)."""
    found = table.attrs.get("unterminated")
    if not found:
        return []
    line, last = found
    return [
        f"{source} does not end with a line break: its last line (line {line}, last value "
        f"{last!r}) may be cut off; check it against the source"
    ]


# --- numbers ---------------------------------------------------------------------------------


#: The bounds :func:`numbers` applies to a count and to a temperature (see :mod:`data.limits`).
COUNT_LIMITS: dict[str, Any] = {
    "ceiling": HOURLY_PEDESTRIANS_CEILING,
    "unit": "pedestrians per hour",
}
TEMPERATURE_LIMITS: dict[str, Any] = {
    "ceiling": AIR_TEMPERATURE_MAX_C,
    "floor": AIR_TEMPERATURE_MIN_C,
    "unit": "°C",
}
#: Text cells that mean "no value": a gap. ``NaN`` written out is not among them: it is what
#: a failed computation prints, and a count must be a number or an empty cell.
GAP_WORDS = frozenset({"null", "none", "na"})


def _number(cell: Any) -> float:
    """A count cell as a float: NaN for empty/placeholder; ValueError for text."""
    if cell is None or cell is pd.NA:
        return math.nan
    if isinstance(cell, bool):
        raise ValueError(f"{cell!r} is not a number")
    if isinstance(cell, int | float | np.integer | np.floating):
        return float(cell)
    text = str(cell).strip()
    if text in PLACEHOLDERS or text.casefold() in GAP_WORDS:
        return math.nan
    try:
        return float(text)
    except ValueError:
        return parse_german_number(text)
    except OverflowError as err:  # a huge integer in JSON
        raise ValueError(f"{text!r} is too large") from err


def _is_gap(cell: Any) -> bool:
    """Whether ``cell`` stands for "no value" (``None``, empty, a placeholder, ``null``)."""
    if cell is None or cell is pd.NA:
        return True
    if isinstance(cell, str):
        text = cell.strip()
        return text in PLACEHOLDERS or text.casefold() in GAP_WORDS
    return False


def numbers(
    values: pd.Series,
    source: str,
    lines: pd.Series,
    what: str,
    label: str = "line",
    ceiling: float | None = None,
    unit: str = "",
    floor: float | None = None,
) -> pd.Series:
    """Counts as floats; a cell that is text (not a number, not empty) is an error.

    ``lines`` are the positions of the rows in the file, ``label`` what a position is called
    (``line``, ``measurement``, ``observation``). A value that is not finite (``inf``,
    ``NaN`` written out) or above ``ceiling`` (in ``unit``, see :mod:`data.limits`) is an
    error naming the line, the column and the value; empty cells stay gaps (NaN).
    """
    column = str(values.name) if values.name is not None else what
    cells = values.tolist()
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        out = pd.to_numeric(values, errors="coerce").astype(float)
        gap = values.isna().to_numpy(dtype=bool)
    else:
        parsed = []
        for cell, line in zip(cells, lines.tolist(), strict=True):
            try:
                parsed.append(_number(cell))
            except ValueError as err:
                raise CountsError(
                    f"{what} is not a number",
                    file=source,
                    where=f"{label} {int(line)}",
                    expected="a number (empty for a gap)",
                    found=repr(str(cell)),
                ) from err
        out = pd.Series(parsed, index=values.index, dtype=float)
        gap = np.array([_is_gap(c) for c in cells], dtype=bool)
    _refuse_bad(out, gap, cells, lines, source, (what, column, label), (floor, ceiling), unit)
    return out


def _refuse_bad(
    out: pd.Series,
    gap: np.ndarray,
    cells: list[Any],
    lines: pd.Series,
    source: str,
    names: tuple[str, str, str],
    bounds: tuple[float | None, float | None],
    unit: str,
) -> None:
    """A :class:`CountsError` for the first value not finite or outside ``bounds``."""
    what, column, label = names
    floor, ceiling = bounds
    values = out.to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        bad = ~gap & ~np.isfinite(values)
        if ceiling is not None:
            bad |= ~gap & (values > ceiling)
        if floor is not None:
            bad |= ~gap & (values < floor)
    if not bad.any():
        return
    i = int(np.flatnonzero(bad)[0])
    reason = problem(values[i], ceiling, unit, floor) or NOT_FINITE
    expected = "a finite number, or an empty cell for a gap"
    if ceiling is not None:
        low = f"{floor:g}" if floor is not None else "0"
        expected = f"a number from {low} to {ceiling:,.0f} {unit}, or an empty cell for a gap"
    raise CountsError(
        f"{what} is {reason}",
        file=source,
        where=f"{label} {int(lines.iloc[i])}, column {column!r}",
        expected=expected,
        found=shown(cells[i]),
    )


def flag_values(values: pd.Series, source: str, lines: pd.Series, column: str) -> pd.Series:
    """A true/false column (``ja``/``nein``, ``1``/``0`` …); empty is false."""
    out = []
    for cell, line in zip(values.tolist(), lines.tolist(), strict=True):
        key = str(cell).strip().casefold() if cell is not None and cell is not pd.NA else ""
        if key in _TRUE:
            out.append(True)
        elif key in _FALSE or key in {"", "nan"}:
            out.append(False)
        else:
            raise CountsError(
                f"column {column!r} must be true or false",
                file=source,
                where=f"line {int(line)}",
                expected="true/false, yes/no, ja/nein or 1/0",
                found=repr(cell),
            )
    return pd.Series(out, index=values.index, dtype=bool)


# --- times -----------------------------------------------------------------------------------


def parse_times(
    values: pd.Series,
    source: str,
    lines: pd.Series,
    tz: str,
    groups: pd.Series | None = None,
    dst_flag: pd.Series | None = None,
    label: str = "line",
    dst: DstLog | None = None,
) -> pd.Series:
    """Text times → tz-aware UTC. Offsets are used when every time has one.

    Naive times are local times in ``tz``, placed per group (site) by
    :func:`data.importers.counts_dst.localise`: ``dst_flag`` decides the repeated autumn
    hour if given, else the rules of ``dst`` (default: the strict ones, an error naming the
    line for an hour given once and for a time in the spring gap). Rows the rules drop or add
    into others are recorded in ``dst``; pass the same log to :func:`finish`.
    """
    text = values.astype("string").str.strip()
    empty = text.isna() | (text == "")
    if empty.any():
        raise CountsError(
            "empty time",
            file=source,
            where=f"{label}(s) {line_list(lines[empty])}",
            expected="a date and hour in every row",
        )
    has_offset = text.str.contains(_OFFSET_RE.pattern, regex=True, flags=re.IGNORECASE)
    if has_offset.all():
        return _read_times(text, source, lines, label, utc=True)
    if has_offset.any():
        raise CountsError(
            "some times carry a UTC offset and some do not; a file must use one convention",
            file=source,
            where=f"{label} {int(lines[~has_offset].iloc[0])}",
            expected="an offset on every time (like the other rows) or on none",
            found=repr(text[~has_offset].iloc[0]),
        )
    naive = _read_times(text, source, lines, label, utc=False)
    return localise(
        naive, tz, source, lines, groups=groups, dst_flag=dst_flag, log=dst, label=label
    )


def _read_times(
    text: pd.Series, source: str, lines: pd.Series, label: str, *, utc: bool
) -> pd.Series:
    """ISO 8601 first, then pandas' mixed formats; an unreadable time names the lines."""
    times = pd.to_datetime(text, utc=utc, format="ISO8601", errors="coerce")
    bad = times.isna()
    if bad.any():
        times = pd.to_datetime(text, utc=utc, format="mixed", dayfirst=False, errors="coerce")
        bad = times.isna()
    if bad.any():
        example = "2024-05-01T10:00:00+02:00" if utc else "2024-05-01 10:00"
        raise CountsError(
            "unreadable time",
            file=source,
            where=f"{label}(s) {line_list(lines[bad])}",
            expected=f"a date and hour such as {example}",
            found=repr(str(text[bad].iloc[0])),
        )
    return times


# --- one file done ---------------------------------------------------------------------------


def finish(
    raw: pd.DataFrame,
    source: str,
    lines: pd.Series,
    sites: list[dict[str, Any]] | None = None,
    dst: DstLog | None = None,
) -> Part:
    """Apply the daylight-saving changes in ``dst`` and :func:`normalise_counts`, carry the
    optional columns along; the report counts every row read and names the DST changes."""
    read = len(raw)
    if dst is not None:
        raw, lines = dst.apply(raw, lines)
    frame, report = normalise_counts(raw[["site_id", "time", "count"]], source, lines)
    report.rows_read = read
    if dst is not None:
        report.warnings.extend(dst.lines())
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
    return Part(source, frame, report, sites or [])
