"""The Zensus importer's vocabulary: its constants, its error and what it reports.

:class:`ZensusError` is the error every step of the census import raises (an
:class:`~data.importers.base.ImporterError` naming the file, where in it, what was expected
and what was found). :class:`ZensusReport` counts the special values per column,
:class:`ZensusGrid` holds the cells read and :class:`CensusImportResult` what the import
wrote. The reading, checking and writing live in :mod:`data.importers.zensus_read`,
:mod:`data.importers.zensus_check` and :mod:`data.importers.zensus`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from data.importers.base import ImporterError

#: The CRS of every Zensus grid: ETRS89 / LAEA Europe (metres). Fixed by the format (the
#: grid codes name EPSG:3035 cells), so the census import has no CRS option.
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
ID_RE = re.compile(r"gitter_id_(100m|1km|10km)", re.IGNORECASE)
X_RE = re.compile(r"x_mp_(100m|1km|10km)", re.IGNORECASE)
Y_RE = re.compile(r"y_mp_(100m|1km|10km)", re.IGNORECASE)
PLAIN_RE = r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)"
SHOW_LINES = 5
#: What a Zensus cell may hold besides a number (for messages).
CODES_TEXT = (
    "a number or a Zensus code (-1 no inhabitants/not applicable, -9 or – suppressed, empty)"
)


class ZensusError(ImporterError):
    """A Zensus file cannot be read as a grid; it names the file, where, expected and found."""


def resolution_label(metres: int) -> str:
    """``"100 m"``, ``"1 km"``."""
    return f"{metres // 1000} km" if metres >= 1000 else f"{metres} m"


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
    """What :func:`data.importers.zensus.read_zensus_grid` found in a file.

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

    def lines(self, warnings: bool = True) -> list[str]:
        """A human-readable summary, one line per item (the warnings last, if asked for)."""
        sep = {"\t": "tab"}.get(self.sep, repr(self.sep))
        out = [
            f"{self.file}: Zensus {self.year}, {resolution_label(self.resolution_m)} cells, "
            f"{self.n_cells} cell(s) (encoding {self.encoding}, separator {sep})"
        ]
        for col, c in self.codes.items():
            parts = []
            if c.minus_one:
                parts.append(f"{c.minus_one} × -1 ({self._minus_one_meaning(col)})")
            if c.suppressed:
                parts.append(f"{c.suppressed} suppressed (-9: {c.minus_nine}, dash: {c.dash})")
            if c.empty:
                parts.append(f"{c.empty} empty")
            if parts:
                out.append(f"  {col}: " + "; ".join(parts))
        if warnings:
            out.extend(f"  warning: {w}" for w in self.warnings)
        return out

    def _minus_one_meaning(self, col: str) -> str:
        if col != self.population_column:
            return "not applicable"
        if self.minus_one_population == "no inhabitants":
            return "no inhabitants → 0 persons"
        return "withheld → unknown"


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
    """What :func:`data.importers.zensus.import_census` wrote.

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
    grid_line : str, optional
        What went onto the pack's grid (``grid:population``).
    """

    pack: Path
    n_cells: int
    n_read: int
    population: float
    report: ZensusReport
    warnings: list[str] = field(default_factory=list)
    grid_line: str | None = None

    def lines(self) -> list[str]:
        """The summary the CLI prints: the report (without warnings) and what was written."""
        report = self.report
        return [
            *report.lines(warnings=False),
            f"imported {self.n_cells} of {self.n_read} cells ({self.population:,.0f} "
            f"persons) as {DATASET_ID} into {self.pack} "
            f"(Zensus {report.year}, licence {LICENCE})",
            *([self.grid_line] if self.grid_line else []),
        ]
