"""Checks on a Zensus table: its columns, year, coordinates, cell ids and values.

Every check raises :class:`~data.importers.zensus_report.ZensusError` naming the file, where
in it (a column, the line numbers with header = line 1), what was expected and what was
found. Values are parsed here too: numbers (decimal point or comma, German thousands dots)
and the Zensus codes (``-1``, ``-9``, dashes, empty), which are counted and become NaN.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from data.german_csv import parse_german_number
from data.importers.common import duplicates, show_items
from data.importers.zensus_report import (
    CODES_TEXT,
    DASHES,
    GERMANY_3035,
    ID_RE,
    PLAIN_RE,
    REFERENCE_DATES,
    RESOLUTIONS,
    SHOW_LINES,
    X_RE,
    Y_RE,
    CodeCounts,
    ZensusError,
    resolution_label,
)
from data.limits import NOT_FINITE, PERCENT_MAX, ceiling_text, persons_per_cell_ceiling

# --- the header and the year -------------------------------------------------------------------


def _find(columns: Sequence[str], pattern: re.Pattern[str]) -> list[str]:
    return [c for c in columns if pattern.fullmatch(c)]


def locate_columns(columns: list[str], path: Path) -> tuple[str, str, str, int]:
    """The id, x and y columns and the cell size; raise listing the columns found."""
    ids, xs, ys = _find(columns, ID_RE), _find(columns, X_RE), _find(columns, Y_RE)
    missing = [
        what
        for what, found in (
            ("an id column (Gitter_ID_100m, Gitter_ID_1km or GITTER_ID_…)", ids),
            ("an x column (x_mp_100m or x_mp_1km)", xs),
            ("a y column (y_mp_100m or y_mp_1km)", ys),
        )
        if not found
    ]
    if missing:
        raise ZensusError(
            f"not a Zensus grid file: it lacks {' and '.join(missing)}; "
            f"columns found: {show_items(repr(c) for c in columns)}",
            file=path,
            expected="Gitter_ID_…, x_mp_… and y_mp_… columns",
        )
    for what, found in (("id", ids), ("x", xs), ("y", ys)):
        if len(found) > 1:
            raise ZensusError(
                f"several {what} columns: {', '.join(found)}",
                file=path,
                where="header",
                expected=f"one {what} column",
            )
    id_col, x_col, y_col = ids[0], xs[0], ys[0]
    sizes = {
        c: RESOLUTIONS[p.fullmatch(c).group(1).lower()]  # type: ignore[union-attr]
        for c, p in ((id_col, ID_RE), (x_col, X_RE), (y_col, Y_RE))
    }
    if len(set(sizes.values())) > 1:
        shown = ", ".join(f"{c} ({resolution_label(m)})" for c, m in sizes.items())
        raise ZensusError(
            f"the id and coordinate columns disagree on the cell size: {shown}",
            file=path,
            where="header",
            expected="one cell size (100m, 1km or 10km) in every column name",
        )
    return id_col, x_col, y_col, sizes[id_col]


def detect_year(path: Path, id_col: str, ids: pd.Series, year: int | None) -> int:
    """The census year: given, else from the file name, else from the id column's style."""
    if year is not None:
        if year not in REFERENCE_DATES:
            raise ZensusError(
                "unknown census year", file=path, expected="2011 or 2022", found=repr(year)
            )
        return year
    in_name = [y for y in REFERENCE_DATES if str(y) in path.name]
    if len(in_name) == 1:
        return in_name[0]
    if id_col.startswith("GITTER_ID"):
        return 2022
    head = ids.dropna().head(100)
    if len(head) and bool(head.str.upper().str.startswith("CRS3035RES").all()):
        return 2022
    return 2011


# --- numbers and coordinates -------------------------------------------------------------------


def line_numbers(mask: np.ndarray | pd.Series) -> str:
    """Line numbers (header = line 1) of the first rows selected by ``mask``."""
    rows = np.flatnonzero(np.asarray(mask))
    return show_items((int(r) + 2 for r in rows), SHOW_LINES)


def parse_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Numbers of a text column: ``(values, parsed)``; ``parsed`` is False for non-numbers.

    A column of plain numbers is converted in one go. Otherwise plain numbers (``12.5``) and
    a decimal comma (``12,5``) are read per cell, and anything else is tried as a German
    number with thousands dots (``1.234,5``).
    """
    try:
        fast = values.to_numpy(dtype=object).astype("float64")
    except (ValueError, TypeError):
        fast = None
    if fast is not None and np.isfinite(fast).all():
        return fast, np.ones(len(values), dtype=bool)
    plain = values.str.fullmatch(PLAIN_RE).fillna(False).to_numpy(dtype=bool)
    numbers = np.full(len(values), np.nan)
    if plain.any():
        numbers[plain] = pd.to_numeric(
            values[plain].str.replace(",", ".", regex=False), errors="coerce"
        ).to_numpy(dtype=float)
    parsed = plain.copy()
    cells = values.to_numpy(dtype=object)
    codes = (values == "").to_numpy(dtype=bool) | values.isin(DASHES).to_numpy(dtype=bool)
    for i in np.flatnonzero(~plain & ~codes):
        text = str(cells[i]).translate({0x2212: "-"})
        try:
            numbers[i] = parse_german_number(text)
            parsed[i] = not math.isnan(numbers[i])
        except ValueError:
            continue
    return numbers, parsed


def coordinates(frame: pd.DataFrame, col: str, path: Path) -> np.ndarray:
    """A coordinate column as floats; raise naming the lines that are not numbers."""
    values = frame[col]
    numbers, parsed = parse_numbers(values)
    bad = ~parsed
    if bad.any():
        raise ZensusError(
            "not a cell-centre coordinate",
            file=path,
            where=f"column {col!r}, line(s) {line_numbers(bad)}",
            expected="cell-centre coordinates (metres, EPSG:3035)",
            found=repr(values[bad].iloc[0]),
        )
    return numbers


def check_geometry(
    x: np.ndarray, y: np.ndarray, size: int, columns: tuple[str, str], path: Path
) -> None:
    """Raise for centres outside Germany (EPSG:3035) or off the Zensus lattice."""
    x_col, y_col = columns
    x0, y0, x1, y1 = GERMANY_3035
    outside = (x < x0) | (x > x1) | (y < y0) | (y > y1)
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        lonlat = " — these look like lon/lat degrees" if abs(x[i]) <= 180 else ""
        raise ZensusError(
            f"{int(outside.sum())} cell centre(s) lie outside Germany in EPSG:3035 "
            f"(x {x0:,.0f}–{x1:,.0f} m, y {y0:,.0f}–{y1:,.0f} m){lonlat}; Zensus "
            f"coordinates are ETRS89-LAEA metres; lines {line_numbers(outside)}",
            file=path,
            where=f"line {i + 2}",
            expected="EPSG:3035 metres inside Germany",
            found=f"{x_col}={x[i]:.10g}, {y_col}={y[i]:.10g}",
        )
    half = size / 2.0
    off = (np.abs(np.mod(x - half, size)) > 1e-6) | (np.abs(np.mod(y - half, size)) > 1e-6)
    if off.any():
        i = int(np.flatnonzero(off)[0])
        corner = np.mod(x[i], size) == 0 and np.mod(y[i], size) == 0
        hint = " (these look like lower-left corners, not centres)" if corner else ""
        raise ZensusError(
            f"{int(off.sum())} cell(s) are not on the {resolution_label(size)} Zensus "
            f"lattice{hint}; lines {line_numbers(off)}",
            file=path,
            where=f"line {i + 2}",
            expected=f"centres at multiples of {size} m plus {half:g} m",
            found=f"{x_col}={x[i]:.10g}, {y_col}={y[i]:.10g}",
        )


# --- cell ids ----------------------------------------------------------------------------------


def expected_ids(x: np.ndarray, y: np.ndarray, size: int, inspire: bool) -> pd.Series:
    """The id each cell should have: INSPIRE (``CRS3035RES100mN…E…``, metres) or 2011
    style (``100mN…E…``, cell units), both naming the lower-left corner."""
    half = size / 2.0
    east = np.rint(x - half).astype(np.int64)
    north = np.rint(y - half).astype(np.int64)
    if inspire:
        prefix = f"CRS3035RES{size}m"
    else:
        prefix = {100: "100m", 1000: "1km", 10_000: "10km"}[size]
        east, north = east // size, north // size
    return prefix + "N" + pd.Series(north).astype(str) + "E" + pd.Series(east).astype(str)


def check_ids(
    ids: pd.Series, x: np.ndarray, y: np.ndarray, size: int, id_col: str, path: Path
) -> list[str]:
    """Raise for empty, repeated or misplaced ids; return warnings for unknown id forms.

    Known forms: ``100mN26840E43341`` / ``1kmN2684E4334`` (2011; north and east of the
    lower-left corner in cell units) and ``CRS3035RES100mN2684000E4334100`` (INSPIRE,
    2022; metres).
    """
    empty = ids.isna() | (ids == "")
    if empty.any():
        raise ZensusError(
            "empty cell id",
            file=path,
            where=f"column {id_col!r}, line(s) {line_numbers(empty)}",
            expected="a cell id in every row",
        )
    dup = duplicates(ids)
    if dup:
        raise ZensusError(
            f"{id_col!r} is not unique; repeated: {show_items(dup)}",
            file=path,
            where=f"column {id_col!r}",
            expected="one row per cell",
        )
    upper = ids.str.upper().to_numpy(dtype=object)
    inspire = np.char.startswith(upper.astype(str), "CRS3035RES")
    expected = np.where(
        inspire,
        expected_ids(x, y, size, inspire=True).str.upper().to_numpy(dtype=object),
        expected_ids(x, y, size, inspire=False).str.upper().to_numpy(dtype=object),
    )
    differ = np.flatnonzero(upper != expected)
    if differ.size == 0:
        return []
    # only the ids that differ from the expected form are parsed, to tell why
    odd = ids.iloc[differ]
    old = odd.str.extract(r"^(\d+)(m|km)N(\d+)E(\d+)$", flags=re.IGNORECASE)
    new = odd.str.extract(r"^CRS3035RES(\d+)mN(\d+)E(\d+)$", flags=re.IGNORECASE)
    known = (old[0].notna() | new[0].notna()).to_numpy()
    if known.any():
        _misplaced(ids, differ[known], x, y, size, bool(inspire[differ[known][0]]), path)
    return [
        f"{differ.size} cell id(s) in {id_col!r} are in no known Zensus form "
        f"(e.g. {odd.iloc[0]!r}); kept as they are"
    ]


def _misplaced(
    ids: pd.Series,
    rows: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    size: int,
    inspire: bool,
    path: Path,
) -> None:
    """Raise for ids in a known form that name another cell than their coordinates."""
    i = int(rows[0])
    wrong = np.zeros(len(ids), dtype=bool)
    wrong[rows] = True
    should = expected_ids(x[i : i + 1], y[i : i + 1], size, inspire).iloc[0]
    raise ZensusError(
        f"{len(rows)} cell id(s) do not match their coordinates, e.g. the centre "
        f"{x[i]:.10g}, {y[i]:.10g} belongs to {should!r}; lines {line_numbers(wrong)}",
        file=path,
        where=f"line {i + 2}",
        expected=repr(should),
        found=repr(ids.iloc[i]),
    )


# --- variables ---------------------------------------------------------------------------------


def ceiling_of(col: str, size: int) -> tuple[float, str]:
    """The largest plausible value of column ``col`` in a cell of ``size`` metres, and its
    unit: a share in per cent (``…_A`` in 2011, ``Anteil…`` in 2022) at most 100, anything
    else (persons, households, dwellings, means) at most the persons a cell can hold
    (:mod:`data.limits`)."""
    if col.upper().endswith("_A") or col.casefold().startswith("anteil"):
        return PERCENT_MAX, "%"
    return persons_per_cell_ceiling(
        float(size) ** 2
    ), f"(persons) per {resolution_label(size)} cell"


def _not_finite(values: pd.Series) -> np.ndarray:
    """Cells written as ``inf``, ``-inf``, ``NaN`` (any case): not finite numbers."""
    text = values.str.strip().str.casefold().str.lstrip("+-")
    return text.isin({"inf", "infinity", "nan"}).to_numpy(dtype=bool)


def _refuse_above(
    numbers: np.ndarray, values: pd.Series, col: str, path: Path, ceiling: tuple[float, str]
) -> None:
    limit, unit = ceiling
    with np.errstate(invalid="ignore"):
        above = numbers > limit
    if above.any():
        value = values[above].iloc[0]
        raise ZensusError(
            f"value {value!r} is {ceiling_text(limit, unit)}",
            file=path,
            where=f"column {col!r}, line(s) {line_numbers(above)}",
            expected=f"at most {limit:,.0f} {unit}",
            found=repr(value),
        )


def variable(
    values: pd.Series,
    col: str,
    path: Path,
    counts: CodeCounts,
    ceiling: tuple[float, str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """A variable column: numbers with NaN for codes; ``(numbers, minus_one mask)``.

    Raises for a cell that is neither a number nor a code, for ``inf``/``NaN`` written out,
    for negative numbers and for numbers above ``ceiling`` (value, unit; see
    :func:`ceiling_of`).
    """
    empty = (values == "").to_numpy()
    dash = values.isin(DASHES).to_numpy()
    infinite = _not_finite(values)
    if infinite.any():
        raise ZensusError(
            f"{values[infinite].iloc[0]!r} is {NOT_FINITE}",
            file=path,
            where=f"column {col!r}, line(s) {line_numbers(infinite)}",
            expected=CODES_TEXT,
            found=repr(values[infinite].iloc[0]),
        )
    numbers, parsed = parse_numbers(values)
    bad = ~(parsed | empty | dash)
    if bad.any():
        raise ZensusError(
            f"{values[bad].iloc[0]!r} is neither a number nor a Zensus code",
            file=path,
            where=f"column {col!r}, line(s) {line_numbers(bad)}",
            expected=CODES_TEXT,
            found=repr(values[bad].iloc[0]),
        )
    minus_one = parsed & (numbers == -1.0)
    minus_nine = parsed & (numbers == -9.0)
    counts.minus_one += int(minus_one.sum())
    counts.minus_nine += int(minus_nine.sum())
    counts.dash += int(dash.sum())
    counts.empty += int(empty.sum())
    numbers[minus_one | minus_nine] = np.nan
    negative = parsed & ~minus_one & ~minus_nine & (numbers < 0)
    if negative.any():
        raise ZensusError(
            f"negative value {values[negative].iloc[0]!r}; the only negative values Zensus "
            "uses are the codes -1 and -9",
            file=path,
            where=f"column {col!r}, line(s) {line_numbers(negative)}",
            expected=CODES_TEXT,
            found=repr(values[negative].iloc[0]),
        )
    if ceiling is not None:
        _refuse_above(numbers, values, col, path, ceiling)
    return numbers, minus_one


def is_text_column(values: pd.Series) -> bool:
    """A column is text when most of its cells that are not codes are not numbers."""
    present = values[(values != "") & ~values.isin(DASHES)]
    if present.empty:
        return False
    _, parsed = parse_numbers(present)
    return bool(parsed.mean() < 0.5)
