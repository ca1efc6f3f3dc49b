"""How many people live in each census grid cell, and what are they like?

The German census (Zensus 2011, reference date 9 May 2011; Zensus 2022, 15 May 2022)
publishes results on the INSPIRE grid in EPSG:3035 (ETRS89-LAEA) as CSV files, one row per
cell: an id column (``Gitter_ID_100m``/``Gitter_ID_1km`` in 2011, ``GITTER_ID_100m``/
``GITTER_ID_1km``/``GITTER_ID_10km`` in 2022), the cell centre (``x_mp_…``, ``y_mp_…``,
metres) and one or more variables (``Einwohner`` = persons; ``…_A`` = shares in per cent;
``…_D`` = means, e.g. ``Alter_D`` in years, ``Wohnfl_Bew_D`` in m² per resident).
:func:`read_zensus_grid` reads any of them — 100 m, 1 km or 10 km (detected from the column
names), ``;`` or ``,`` or tab separated (sniffed), decimal comma or point, UTF-8 (with or
without BOM) or Windows-1252/Latin-1 — into square cell polygons (centre ± half a cell).

Special values are codes, never numbers. They are counted per column in a
:class:`ZensusReport` and become ``NaN``, with one documented exception:

* ``-1`` — in the 2011 1 km "Spitze Werte" file: no inhabitants, or the variable does not
  apply (the mean age of nobody). There the file lists every cell of Germany, populated or
  not, so ``-1`` in ``Einwohner`` means an uninhabited cell: **population 0 persons**; in
  every other column it is ``NaN``. The 2011 100 m population file lists inhabited cells
  only, so ``-1`` there cannot mean "nobody lives here": it marks a count withheld for
  confidentiality, and the population is ``NaN`` (unknown, small).
* ``-9`` (2011) and a dash ``–``/``-``/``—`` (2022) — suppressed for confidentiality:
  ``NaN``.
* an empty cell — no value: ``NaN``.

:func:`import_census` writes the cells that intersect the pack's city bounding box as the
``census_grid`` dataset (stored, like every pack vector, as GeoJSON in EPSG:4326; the
squares are exact in EPSG:3035). :func:`census_to_districts` aggregates cells to district
polygons: area-weighted population and population-weighted means of the other variables.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from data.catalog import Catalog, Dataset, Temporal
from data.german_csv import decode_text, parse_german_number, sniff_separator
from data.importers.common import (
    bbox_in_crs,
    bbox_polygon,
    duplicates,
    read_pack_catalog,
    require_file,
    show_items,
)
from data.writer import staged_pack

#: The CRS of every Zensus grid: ETRS89 / LAEA Europe (metres).
ZENSUS_CRS = "EPSG:3035"
#: Cell sizes (metres) by the suffix of the id and coordinate column names.
RESOLUTIONS = {"100m": 100, "1km": 1000, "10km": 10_000}
#: Reference dates of the censuses.
REFERENCE_DATES = {2011: "2011-05-09", 2022: "2022-05-15"}
LICENCE = "dl-de/by-2-0"
DATASET_ID = "census_grid"
CENSUS_PATH = "census_grid.geojson"
GENERATED_BY = "data/importers/zensus.py (allmende import census)"
# Germany in EPSG:3035 with about 100 km to spare (x 4.03–4.68, y 2.68–3.56 million m).
GERMANY_3035 = (3_930_000.0, 2_580_000.0, 4_780_000.0, 3_660_000.0)
DASHES = frozenset({"–", "-", "—"})
POPULATION_COLUMN = "einwohner"
# Columns that locate a cell rather than describe it; census_to_districts leaves them out.
_LOCATOR_COLUMNS = frozenset({"lon", "lat", "longitude", "latitude"})
_ID_RE = re.compile(r"gitter_id_(100m|1km|10km)", re.IGNORECASE)
_X_RE = re.compile(r"x_mp_(100m|1km|10km)", re.IGNORECASE)
_Y_RE = re.compile(r"y_mp_(100m|1km|10km)", re.IGNORECASE)
_PLAIN_RE = r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)"
_SHOW_LINES = 5


class ZensusError(ValueError):
    """A Zensus file cannot be read as a grid; the message names the file and the problem."""


@dataclass
class CodeCounts:
    """How often each special value occurred in one column.

    Attributes
    ----------
    minus_one : int
        ``-1``: no inhabitants / not applicable (2011; withheld in the 2011 100 m
        population file).
    minus_nine : int
        ``-9``: suppressed for confidentiality (2011).
    dash : int
        ``–``, ``-`` or ``—``: suppressed for confidentiality (2022).
    empty : int
        Empty cells.
    """

    minus_one: int = 0
    minus_nine: int = 0
    dash: int = 0
    empty: int = 0

    @property
    def suppressed(self) -> int:
        """``-9`` and dashes together."""
        return self.minus_nine + self.dash

    @property
    def total(self) -> int:
        return self.minus_one + self.minus_nine + self.dash + self.empty


@dataclass
class ZensusReport:
    """What :func:`read_zensus_grid` found in a file.

    Attributes
    ----------
    file : str
        File name.
    year : int
        2011 or 2022.
    resolution_m : int
        Cell edge length, metres.
    encoding, sep : str
        As detected.
    id_column, x_column, y_column : str
        The columns holding the cell id and centre.
    population_column : str or None
        ``Einwohner`` (any case) if present.
    n_cells : int
        Cells (rows) in the file.
    codes : dict of str to CodeCounts
        Special values per variable column (not the id, coordinate or text columns).
    minus_one_population : str
        What ``-1`` in the population column was taken to mean: ``"no inhabitants"``
        (0 persons) or ``"withheld"`` (NaN).
    text_columns : list of str
        Columns kept as text (not numbers), e.g. ``werterlaeuternde_Zeichen``.
    warnings : list of str
        Everything worth a second look.
    """

    file: str
    year: int
    resolution_m: int
    encoding: str
    sep: str
    id_column: str
    x_column: str
    y_column: str
    population_column: str | None
    n_cells: int
    codes: dict[str, CodeCounts] = field(default_factory=dict)
    minus_one_population: str = "no inhabitants"
    text_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A human-readable summary, one line per item."""
        sep = {"\t": "tab"}.get(self.sep, repr(self.sep))
        out = [
            f"{self.file}: Zensus {self.year}, {_resolution_label(self.resolution_m)} cells, "
            f"{self.n_cells} cell(s) (encoding {self.encoding}, separator {sep})"
        ]
        for col, c in self.codes.items():
            parts = []
            if c.minus_one:
                meaning = "not applicable"
                if col == self.population_column:
                    meaning = (
                        "no inhabitants → 0 persons"
                        if self.minus_one_population == "no inhabitants"
                        else "withheld → unknown"
                    )
                parts.append(f"{c.minus_one} × -1 ({meaning})")
            if c.suppressed:
                parts.append(f"{c.suppressed} suppressed (-9: {c.minus_nine}, dash: {c.dash})")
            if c.empty:
                parts.append(f"{c.empty} empty")
            if parts:
                out.append(f"  {col}: " + "; ".join(parts))
        out.extend(f"  warning: {w}" for w in self.warnings)
        return out


@dataclass
class ZensusGrid:
    """The cells of a Zensus file and what was found reading it.

    Attributes
    ----------
    cells : geopandas.GeoDataFrame
        EPSG:3035 squares with ``cell_id`` (str), ``population`` (persons, float; NaN where
        unknown) and the file's other columns (numbers as float with NaN for codes, text
        columns as strings).
    report : ZensusReport
    """

    cells: gpd.GeoDataFrame
    report: ZensusReport


@dataclass
class CensusImportResult:
    """What :func:`import_census` wrote.

    Attributes
    ----------
    pack : Path
        The pack folder.
    n_cells : int
        Cells written.
    n_read : int
        Cells in the file.
    population : float
        Persons in the cells written (cells with a known population).
    report : ZensusReport
    warnings : list of str
    """

    pack: Path
    n_cells: int
    n_read: int
    population: float
    report: ZensusReport
    warnings: list[str] = field(default_factory=list)


# --- reading -------------------------------------------------------------------------------


def _resolution_label(metres: int) -> str:
    return f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"


def _find(columns: Sequence[str], pattern: re.Pattern[str]) -> list[str]:
    return [c for c in columns if pattern.fullmatch(c)]


def _locate_columns(columns: list[str], name: str) -> tuple[str, str, str, int]:
    """The id, x and y columns and the cell size; raise listing the columns found."""
    ids, xs, ys = _find(columns, _ID_RE), _find(columns, _X_RE), _find(columns, _Y_RE)
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
            f"{name}: not a Zensus grid file: it lacks {' and '.join(missing)}; "
            f"columns found: {show_items(repr(c) for c in columns)}"
        )
    for what, found in (("id", ids), ("x", xs), ("y", ys)):
        if len(found) > 1:
            raise ZensusError(f"{name}: several {what} columns: {', '.join(found)}")
    id_col, x_col, y_col = ids[0], xs[0], ys[0]
    sizes = {
        c: RESOLUTIONS[p.fullmatch(c).group(1).lower()]  # type: ignore[union-attr]
        for c, p in ((id_col, _ID_RE), (x_col, _X_RE), (y_col, _Y_RE))
    }
    if len(set(sizes.values())) > 1:
        shown = ", ".join(f"{c} ({_resolution_label(m)})" for c, m in sizes.items())
        raise ZensusError(
            f"{name}: the id and coordinate columns disagree on the cell size: {shown}"
        )
    return id_col, x_col, y_col, sizes[id_col]


def _detect_year(name: str, id_col: str, ids: pd.Series, year: int | None) -> int:
    """The census year: given, else from the file name, else from the id column's style."""
    if year is not None:
        if year not in REFERENCE_DATES:
            raise ZensusError(f"year must be 2011 or 2022, got {year!r}")
        return year
    in_name = [y for y in REFERENCE_DATES if str(y) in name]
    if len(in_name) == 1:
        return in_name[0]
    if id_col.startswith("GITTER_ID"):
        return 2022
    head = ids.dropna().head(100)
    if len(head) and bool(head.str.upper().str.startswith("CRS3035RES").all()):
        return 2022
    return 2011


def _read_table(path: Path, encoding: str | None) -> tuple[pd.DataFrame, str, str]:
    """All cells as stripped text; ``(frame, encoding, separator)``."""
    name = path.name
    try:
        text, used = decode_text(path.read_bytes(), name, encoding)
    except ValueError as err:
        raise ZensusError(str(err)) from None
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ZensusError(f"{name}: the file is empty")
    try:
        sep = sniff_separator(text, name)
    except ValueError as err:
        raise ZensusError(str(err)) from None
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_values=[],
            index_col=False,
            skip_blank_lines=True,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise ZensusError(f"{name}: not a readable CSV file ({err})") from None
    frame.columns = pd.Index([str(c).strip() for c in frame.columns])
    unnamed = [c for c in frame.columns if c.startswith("Unnamed: ")]
    frame = frame.drop(columns=[c for c in unnamed if (frame[c].str.strip() == "").all()])
    for col in frame.columns:
        frame[col] = frame[col].str.strip()
    return frame, used, sep


def _line_numbers(mask: np.ndarray | pd.Series) -> str:
    """Line numbers (header = line 1) of the first rows selected by ``mask``."""
    rows = np.flatnonzero(np.asarray(mask))
    return show_items((int(r) + 2 for r in rows), _SHOW_LINES)


def _parse_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
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
    plain = values.str.fullmatch(_PLAIN_RE).fillna(False).to_numpy(dtype=bool)
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


def _coordinates(frame: pd.DataFrame, col: str, name: str) -> np.ndarray:
    """A coordinate column as floats; raise naming the lines that are not numbers."""
    values = frame[col]
    numbers, parsed = _parse_numbers(values)
    bad = ~parsed
    if bad.any():
        first = values[bad].iloc[0]
        raise ZensusError(
            f"{name}: column {col!r} must hold cell-centre coordinates (metres, EPSG:3035); "
            f"got {first!r} in line(s) {_line_numbers(bad)}"
        )
    return numbers


def _check_geometry(
    x: np.ndarray, y: np.ndarray, size: int, x_col: str, y_col: str, name: str
) -> None:
    """Raise for centres outside Germany (EPSG:3035) or off the Zensus lattice."""
    x0, y0, x1, y1 = GERMANY_3035
    outside = (x < x0) | (x > x1) | (y < y0) | (y > y1)
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        lonlat = " — these look like lon/lat degrees" if abs(x[i]) <= 180 else ""
        raise ZensusError(
            f"{name}: {int(outside.sum())} cell centre(s) lie outside Germany in EPSG:3035 "
            f"(x {x0:,.0f}–{x1:,.0f} m, y {y0:,.0f}–{y1:,.0f} m), e.g. line {i + 2}: "
            f"{x_col}={x[i]:g}, {y_col}={y[i]:g}{lonlat}; Zensus coordinates are "
            "ETRS89-LAEA metres"
        )
    half = size / 2.0
    off = (np.abs(np.mod(x - half, size)) > 1e-6) | (np.abs(np.mod(y - half, size)) > 1e-6)
    if off.any():
        i = int(np.flatnonzero(off)[0])
        corner = np.mod(x[i], size) == 0 and np.mod(y[i], size) == 0
        hint = " (these look like lower-left corners, not centres)" if corner else ""
        raise ZensusError(
            f"{name}: {int(off.sum())} cell(s) are not on the {_resolution_label(size)} Zensus "
            f"lattice (centres at multiples of {size} m plus {half:g} m), e.g. line {i + 2}: "
            f"{x_col}={x[i]:g}, {y_col}={y[i]:g}{hint}; lines {_line_numbers(off)}"
        )


def _expected_ids(x: np.ndarray, y: np.ndarray, size: int, inspire: bool) -> pd.Series:
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


def _check_ids(
    ids: pd.Series, x: np.ndarray, y: np.ndarray, size: int, id_col: str, name: str
) -> list[str]:
    """Raise for empty, repeated or misplaced ids; return warnings for unknown id forms.

    Known forms: ``100mN26840E43341`` / ``1kmN2684E4334`` (2011; north and east of the
    lower-left corner in cell units) and ``CRS3035RES100mN2684000E4334100`` (INSPIRE,
    2022; metres).
    """
    empty = ids.isna() | (ids == "")
    if empty.any():
        raise ZensusError(f"{name}: empty {id_col!r} in line(s) {_line_numbers(empty)}")
    dup = duplicates(ids)
    if dup:
        raise ZensusError(f"{name}: {id_col!r} is not unique; repeated: {show_items(dup)}")
    upper = ids.str.upper().to_numpy(dtype=object)
    inspire = np.char.startswith(upper.astype(str), "CRS3035RES")
    expected = np.where(
        inspire,
        _expected_ids(x, y, size, inspire=True).str.upper().to_numpy(dtype=object),
        _expected_ids(x, y, size, inspire=False).str.upper().to_numpy(dtype=object),
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
        i = int(differ[np.flatnonzero(known)[0]])
        wrong = np.zeros(len(ids), dtype=bool)
        wrong[differ[known]] = True
        raise ZensusError(
            f"{name}: {int(known.sum())} cell id(s) do not match their coordinates, e.g. "
            f"line {i + 2}: {ids.iloc[i]!r} but the centre {x[i]:g}, {y[i]:g} belongs to "
            f"{_expected_ids(x[i : i + 1], y[i : i + 1], size, bool(inspire[i])).iloc[0]!r}; "
            f"lines {_line_numbers(wrong)}"
        )
    return [
        f"{differ.size} cell id(s) in {id_col!r} are in no known Zensus form "
        f"(e.g. {odd.iloc[0]!r}); kept as they are"
    ]


def _variable(
    values: pd.Series, col: str, name: str, counts: CodeCounts
) -> tuple[np.ndarray, np.ndarray]:
    """A variable column: numbers with NaN for codes; ``(numbers, minus_one mask)``.

    Raises for a cell that is neither a number nor a code.
    """
    empty = (values == "").to_numpy()
    dash = values.isin(DASHES).to_numpy()
    numbers, parsed = _parse_numbers(values)
    bad = ~(parsed | empty | dash)
    if bad.any():
        raise ZensusError(
            f"{name}: column {col!r}: {values[bad].iloc[0]!r} in line(s) {_line_numbers(bad)} "
            "is neither a number nor a Zensus code (-1 no inhabitants/not applicable, "
            "-9 or – suppressed, empty)"
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
            f"{name}: column {col!r}: negative value {values[negative].iloc[0]!r} in line(s) "
            f"{_line_numbers(negative)}; the only negative values Zensus uses are the codes "
            "-1 and -9"
        )
    return numbers, minus_one


def _is_text_column(values: pd.Series) -> bool:
    """A column is text when most of its cells that are not codes are not numbers."""
    present = values[(values != "") & ~values.isin(DASHES)]
    if present.empty:
        return False
    _, parsed = _parse_numbers(present)
    return bool(parsed.mean() < 0.5)


def read_zensus_grid(
    path: Path | str,
    *,
    year: int | None = None,
    encoding: str | None = None,
    bounds: tuple[float, float, float, float] | None = None,
) -> ZensusGrid:
    """Read a Zensus 2011 or 2022 grid CSV (100 m, 1 km or 10 km) into cell polygons.

    Parameters
    ----------
    path : Path or str
        The CSV file, e.g. ``Zensus_Bevoelkerung_100m-Gitter.csv`` (2011),
        ``Zensus2022_Bevoelkerungszahl_100m-Gitter.csv`` (2022) or a 1 km "Spitze Werte"
        file.
    year : {2011, 2022}, optional
        The census. Detected when omitted: from the file name, else from the id column
        (``GITTER_ID_…`` or INSPIRE ids ``CRS3035RES…`` mean 2022).
    encoding : str, optional
        Text encoding (default: detected).
    bounds : tuple of float, optional
        ``(minx, miny, maxx, maxy)`` in EPSG:3035: keep only the cells intersecting this
        box (all rows are still checked and their codes counted).

    Returns
    -------
    ZensusGrid
        ``cells`` (GeoDataFrame in EPSG:3035: ``cell_id``, ``population`` in persons, the
        other columns) and ``report`` (codes counted per column, see the module docstring
        for what each code becomes).

    Raises
    ------
    ZensusError
        (a ``ValueError``) for a missing, empty or binary file, missing id/coordinate
        columns (listing the columns found), non-numeric coordinates, cells off the
        lattice or outside Germany, ids that are empty, repeated or do not match their
        coordinates, and values that are neither numbers nor codes — naming the lines.
    """
    path = Path(path)
    name = path.name
    try:
        require_file(path, "census")
    except ValueError as err:
        raise ZensusError(str(err)) from None
    frame, used_encoding, sep = _read_table(path, encoding)
    columns = list(frame.columns)
    id_col, x_col, y_col, size = _locate_columns(columns, name)
    if frame.empty:
        raise ZensusError(f"{name}: no cells: the file has a header but no rows")
    ids = frame[id_col]
    the_year = _detect_year(name, id_col, ids, year)
    x = _coordinates(frame, x_col, name)
    y = _coordinates(frame, y_col, name)
    _check_geometry(x, y, size, x_col, y_col, name)
    warnings = _check_ids(ids, x, y, size, id_col, name)

    pop_cols = [c for c in columns if c.lower() == POPULATION_COLUMN]
    pop_col = pop_cols[0] if pop_cols else None
    # -1 in Einwohner: an uninhabited cell in the 2011 1 km file, which lists every cell;
    # a withheld count in files listing inhabited cells only (2011 100 m, 2022).
    minus_one_pop = "no inhabitants" if (the_year == 2011 and size >= 1000) else "withheld"
    report = ZensusReport(
        file=name,
        year=the_year,
        resolution_m=size,
        encoding=used_encoding,
        sep=sep,
        id_column=id_col,
        x_column=x_col,
        y_column=y_col,
        population_column=pop_col,
        n_cells=len(frame),
        minus_one_population=minus_one_pop,
        warnings=warnings,
    )
    data: dict[str, object] = {"cell_id": ids.astype("string").to_numpy()}
    if pop_col is None:
        report.warnings.append(
            f"no 'Einwohner' column: population is unknown (NaN) in every cell; columns: "
            f"{show_items(columns)}"
        )
        data["population"] = np.full(len(frame), np.nan)
    else:
        counts = report.codes.setdefault(pop_col, CodeCounts())
        pop, minus_one = _variable(frame[pop_col], pop_col, name, counts)
        if minus_one_pop == "no inhabitants":
            pop[minus_one] = 0.0
        data["population"] = pop
    for col in columns:
        if col in (id_col, x_col, y_col, pop_col) or col in ("cell_id", "population"):
            continue
        values = frame[col]
        if _is_text_column(values):
            report.text_columns.append(col)
            data[col] = values.where(values != "").astype("string").to_numpy()
            continue
        counts = report.codes.setdefault(col, CodeCounts())
        data[col] = _variable(values, col, name, counts)[0]
    keep = np.ones(len(frame), dtype=bool)
    if bounds is not None:
        half = size / 2.0
        bx0, by0, bx1, by1 = bounds
        keep = (x + half > bx0) & (x - half < bx1) & (y + half > by0) & (y - half < by1)
    half = size / 2.0
    geometry = shapely.box(x[keep] - half, y[keep] - half, x[keep] + half, y[keep] + half)
    table = pd.DataFrame({k: np.asarray(v)[keep] for k, v in data.items()})
    table["cell_id"] = table["cell_id"].astype("string")
    cells = gpd.GeoDataFrame(table, geometry=geometry, crs=ZENSUS_CRS)
    return ZensusGrid(cells=cells, report=report)


# --- aggregating to districts --------------------------------------------------------------


def census_to_districts(
    census: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    *,
    id_column: str = "district_id",
    variables: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Aggregate census cells to districts.

    Method: cells and districts are intersected in EPSG:3035 (an equal-area CRS). Each
    piece gets the weight ``w = area(cell ∩ district) / area(cell)``.

    * ``population`` — area-weighted: ``Σ w · population`` (people are assumed spread
      evenly over their cell). Cells with an unknown population add nothing and are
      counted in ``cells_population_missing``.
    * each variable ``v`` — population-weighted mean ``Σ w · population · v / Σ w ·
      population`` over the pieces where both are known, in the variable's own unit (per
      cent stays per cent). ``v_coverage`` is the share (0–1) of the district's
      population whose cell has a value of ``v``. For per-household or per-dwelling
      variables (household size, vacancy, m² per dwelling) the population weight is an
      approximation.
    * ``area_covered`` — share (0–1) of the district's area covered by cells; below 1 the
      census file does not reach the whole district and the population is too low.

    Parameters
    ----------
    census : geopandas.GeoDataFrame
        Cells with ``population`` and numeric variables (e.g. ``ZensusGrid.cells``), any CRS.
    districts : geopandas.GeoDataFrame
        District polygons, any CRS.
    id_column : str
        District id column; if absent, the index is used.
    variables : sequence of str, optional
        Variables to average. Default: every numeric column except ``population`` and
        cell locators (``lon``, ``lat``, ``share_of_cell…``).

    Returns
    -------
    pandas.DataFrame
        One row per district, in the districts' order: ``district_id``, ``population``
        (persons, float), ``area_covered``, ``cells``, ``cells_population_missing``, then
        ``v`` and ``v_coverage`` for each variable.

    Raises
    ------
    ValueError
        If either frame has no CRS, ``census`` has no ``population`` column, or a
        variable is unknown or not numeric.
    """
    if census.crs is None or districts.crs is None:
        which = "census" if census.crs is None else "districts"
        raise ValueError(f"the {which} frame has no CRS; set one (census cells: EPSG:3035)")
    if "population" not in census.columns:
        raise ValueError(
            f"census has no 'population' column; columns: {show_items(census.columns)}"
        )
    numeric = [
        str(c)
        for c in census.columns
        if c not in ("population", census.geometry.name)
        and pd.api.types.is_numeric_dtype(census[c])
        and not pd.api.types.is_bool_dtype(census[c])
    ]
    if variables is None:
        chosen = [
            c
            for c in numeric
            if c.lower() not in _LOCATOR_COLUMNS and not c.lower().startswith("share_of_cell")
        ]
    else:
        chosen = list(variables)
        for v in chosen:
            if v not in census.columns:
                raise ValueError(
                    f"unknown census variable {v!r}; numeric columns: {show_items(numeric)}"
                )
            if v not in numeric:
                raise ValueError(f"census variable {v!r} is not numeric")
    ids = (
        districts[id_column].astype("string").to_numpy()
        if id_column in districts.columns
        else districts.index.astype(str).to_numpy()
    )
    cells = census[["population", *chosen]].copy()
    cells["_cell_area"] = census.to_crs(ZENSUS_CRS).geometry.area.to_numpy()
    cells = gpd.GeoDataFrame(cells, geometry=census.to_crs(ZENSUS_CRS).geometry.to_numpy())
    cells = cells.set_crs(ZENSUS_CRS)
    target = gpd.GeoDataFrame(
        {"_district": np.arange(len(districts))},
        geometry=districts.to_crs(ZENSUS_CRS).geometry.to_numpy(),
        crs=ZENSUS_CRS,
    )
    pieces = gpd.overlay(cells, target, how="intersection", keep_geom_type=True)
    w = pieces.geometry.area.to_numpy() / pieces["_cell_area"].to_numpy()
    pop = pieces["population"].to_numpy(dtype=float)
    district = pieces["_district"].to_numpy()
    n = len(districts)
    known = np.isfinite(pop)
    out = pd.DataFrame({"district_id": ids})
    out["population"] = np.bincount(district[known], (w * pop)[known], minlength=n)
    piece_area = np.bincount(district, pieces.geometry.area.to_numpy(), minlength=n)
    out["area_covered"] = piece_area / target.geometry.area.to_numpy()
    out["cells"] = np.bincount(district, minlength=n)
    out["cells_population_missing"] = np.bincount(district[~known], minlength=n)
    for v in chosen:
        values = pieces[v].to_numpy(dtype=float)
        ok = known & np.isfinite(values)
        weight = np.bincount(district[ok], (w * pop)[ok], minlength=n)
        total = np.bincount(district[ok], (w * pop * values)[ok], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[v] = np.where(weight > 0, total / weight, np.nan)
            out[f"{v}_coverage"] = np.where(
                out["population"] > 0, weight / out["population"].to_numpy(), np.nan
            )
    return out


# --- the import ----------------------------------------------------------------------------


def _entry(existing: Catalog, report: ZensusReport, n_cells: int, source: str | None) -> Dataset:
    """The catalog entry of ``census_grid``."""
    year, res = report.year, _resolution_label(report.resolution_m)
    path = CENSUS_PATH
    for ds in existing.datasets:
        if ds.id == DATASET_ID and ds.path.endswith(".geojson") and not ds.layer:
            path = ds.path
    variables = [c for c in report.codes if c != report.population_column]
    extra_de = f" Weitere Spalten: {', '.join(variables)}." if variables else ""
    extra_en = f" Further columns: {', '.join(variables)}." if variables else ""
    if report.minus_one_population == "no inhabitants":
        pop_de = "-1 bei Einwohnern = unbewohnt (0 Personen)"
        pop_en = "-1 in Einwohner = uninhabited (0 persons)"
    else:
        pop_de = "-1 bei Einwohnern = aus Geheimhaltungsgründen gesperrt (unbekannt)"
        pop_en = "-1 in Einwohner = withheld for confidentiality (unknown)"
    date = REFERENCE_DATES[year]
    return Dataset(
        id=DATASET_ID,
        title={
            "de": f"Zensus {year}: Einwohner im {res}-Gitter",
            "en": f"Census {year}: population on the {res} grid",
        },
        kind="vector",
        path=path,
        crs=None,
        licence=LICENCE,
        attribution=f"© Statistisches Bundesamt (Destatis), Zensus {year}",
        source=source or report.file,
        generated_by=GENERATED_BY,
        temporal=Temporal(date, date),
        description={
            "de": (
                f"{n_cells} Gitterzellen ({res}) aus {report.file}, die das Stadtgebiet "
                f"(Begrenzungsrechteck) berühren. Zellen sind Quadrate in EPSG:3035 "
                f"(ETRS89-LAEA), gespeichert in EPSG:4326. population = Einwohner "
                f"(Personen); {pop_de}; -9 und – = geheim gehalten, sonst -1 = nicht "
                f"zutreffend: jeweils leer (NaN). Anteile (_A) in Prozent, Mittelwerte (_D) "
                f"in der Einheit der Quelle.{extra_de}"
            ),
            "en": (
                f"{n_cells} grid cells ({res}) from {report.file} touching the city's "
                f"bounding box. Cells are squares in EPSG:3035 (ETRS89-LAEA), stored in "
                f"EPSG:4326. population = Einwohner (persons); {pop_en}; -9 and – = "
                f"suppressed, other -1 = not applicable: all empty (NaN). Shares (_A) in "
                f"per cent, means (_D) in the source's unit.{extra_en}"
            ),
        },
    )


def import_census(
    pack_folder: Path | str,
    path: Path | str,
    clip: bool = True,
    *,
    year: int | None = None,
    encoding: str | None = None,
    source: str | None = None,
) -> CensusImportResult:
    """Write a Zensus grid file into the pack as the ``census_grid`` dataset.

    Parameters
    ----------
    pack_folder : Path or str
        An existing city pack.
    path : Path or str
        The Zensus CSV (see :func:`read_zensus_grid`).
    clip : bool
        Keep only the cells intersecting the city's bounding box (default). Without
        clipping every cell is written, and cells far outside the bbox fail validation.
    year : {2011, 2022}, optional
        The census (default: detected).
    encoding : str, optional
        Text encoding (default: detected).
    source : str, optional
        Where the file comes from (URL); default: the file name.

    Returns
    -------
    CensusImportResult

    Raises
    ------
    ValueError
        Everything :func:`read_zensus_grid` raises; a folder that is not a pack; a file
        without an ``Einwohner`` column; no cell inside the city's bbox.
        :class:`data.pack.PackError` if the result does not validate. The pack is
        unchanged in every case.
    """
    folder, path = Path(pack_folder), Path(path)
    catalog = read_pack_catalog(folder)
    city = catalog.city
    bounds = bbox_in_crs(city, ZENSUS_CRS) if clip else None
    grid = read_zensus_grid(path, year=year, encoding=encoding, bounds=bounds)
    report = grid.report
    if report.population_column is None:
        raise ZensusError(
            f"{path.name}: no 'Einwohner' column; census_grid needs the population per cell "
            f"(a Zensus population file such as Zensus2022_Bevoelkerungszahl_100m-Gitter.csv)"
        )
    cells = grid.cells
    if clip:
        inside = shapely.intersects(cells.geometry.values, bbox_polygon(city, ZENSUS_CRS))
        cells = cells[np.asarray(inside)].reset_index(drop=True)
        if cells.empty:
            raise ZensusError(
                f"{path.name}: none of its {report.n_cells} cells lies in the city's bounding "
                f"box {list(city.bbox)} (lon/lat); is it the file for this region?"
            )
    warnings = list(report.warnings)
    entry = _entry(catalog, report, len(cells), source)
    with staged_pack(folder) as stage:
        stage.put_vector(entry, cells)
    population = float(np.nansum(cells["population"].to_numpy(dtype=float)))
    return CensusImportResult(
        pack=folder,
        n_cells=len(cells),
        n_read=report.n_cells,
        population=population,
        report=report,
        warnings=warnings,
    )
