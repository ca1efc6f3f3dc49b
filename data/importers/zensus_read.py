"""Reading a Zensus grid CSV into EPSG:3035 cell squares (read → check → convert).

:func:`read_zensus_grid` decodes the file (UTF-8 with or without BOM, Windows-1252,
Latin-1), sniffs the separator, finds the id and centre columns, checks them
(:mod:`data.importers.zensus_check`) and converts the variables: numbers stay numbers, the
Zensus codes become NaN and are counted in the :class:`~data.importers.zensus_report.ZensusReport`
(``-1`` in ``Einwohner`` of the 2011 1 km file: 0 persons). The CRS is always EPSG:3035:
the Zensus format defines it, so there is nothing to state.
"""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from data.german_csv import check_shape, decode_text, sniff_separator
from data.importers.common import show_items
from data.importers.zensus_check import (
    ceiling_of,
    check_geometry,
    check_ids,
    coordinates,
    detect_year,
    is_text_column,
    locate_columns,
    variable,
)
from data.importers.zensus_report import (
    POPULATION_COLUMN,
    ZENSUS_CRS,
    CodeCounts,
    ZensusError,
    ZensusGrid,
    ZensusReport,
)


def _strip_name(text: str, name: str) -> str:
    """A helper's message without its leading ``"<file>: "`` (the error names the file)."""
    return text.removeprefix(f"{name}: ")


def require_census_file(path: Path) -> None:
    """Raise unless ``path`` is an existing file."""
    if path.is_dir():
        raise ZensusError(
            "this is a folder, not a file", file=path, expected="a Zensus grid CSV file"
        )
    if not path.is_file():
        raise ZensusError("census file not found", file=path, expected="an existing file")


def _decode_error(err: ValueError, path: Path, encoding: str | None) -> ZensusError:
    """The error of :func:`data.german_csv.decode_text`, with the byte that failed."""
    message = _strip_name(str(err), path.name)
    cause = err.__cause__
    if isinstance(cause, UnicodeDecodeError):
        return ZensusError(
            message.split(": '")[0],  # the codec's own text is in where/expected/found
            file=path,
            where=f"byte {cause.start}",
            expected=f"{encoding or cause.encoding} text (or leave out --encoding to detect it)",
            found=repr(cause.object[cause.start : cause.start + 8]),
        )
    return ZensusError(message, file=path)


def read_table(path: Path, encoding: str | None) -> tuple[pd.DataFrame, str, str]:
    """All cells as stripped text; ``(frame, encoding, separator)``."""
    name = path.name
    try:
        text, used = decode_text(path.read_bytes(), name, encoding)
    except ValueError as err:
        raise _decode_error(err, path, encoding) from err
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ZensusError("the file is empty", file=path, expected="a Zensus grid CSV")
    try:
        sep = sniff_separator(text, name)
    except ValueError as err:
        raise ZensusError(
            _strip_name(str(err), name), file=path, where="line 1", expected="';', ',' or tab"
        ) from err
    try:
        check_shape(text, sep, name)
    except ValueError as err:
        raise ZensusError(_strip_name(str(err), name), file=path) from err
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
        raise ZensusError(f"not a readable CSV file ({err})", file=path) from err
    frame.columns = pd.Index([str(c).strip() for c in frame.columns])
    unnamed = [c for c in frame.columns if c.startswith("Unnamed: ")]
    frame = frame.drop(columns=[c for c in unnamed if (frame[c].str.strip() == "").all()])
    for col in frame.columns:
        frame[col] = frame[col].str.strip()
    return frame, used, sep


def _population(
    frame: pd.DataFrame, report: ZensusReport, path: Path
) -> tuple[np.ndarray, str | None]:
    """The population per cell (NaN where unknown) and the column it came from."""
    columns = list(frame.columns)
    pop_cols = [c for c in columns if c.lower() == POPULATION_COLUMN]
    if not pop_cols:
        report.warnings.append(
            f"no 'Einwohner' column: population is unknown (NaN) in every cell; columns: "
            f"{show_items(columns)}"
        )
        return np.full(len(frame), np.nan), None
    pop_col = pop_cols[0]
    counts = report.codes.setdefault(pop_col, CodeCounts())
    ceiling = ceiling_of(pop_col, report.resolution_m)
    pop, minus_one = variable(frame[pop_col], pop_col, path, counts, ceiling)
    if report.minus_one_population == "no inhabitants":
        pop[minus_one] = 0.0
    return pop, pop_col


def _other_columns(
    frame: pd.DataFrame, report: ZensusReport, skip: set[str], path: Path
) -> dict[str, object]:
    """The file's other columns: text kept as strings, numbers with NaN for codes."""
    data: dict[str, object] = {}
    for col in frame.columns:
        if col in skip or col in ("cell_id", "population"):
            continue
        values = frame[col]
        if is_text_column(values):
            report.text_columns.append(col)
            data[col] = values.where(values != "").astype("string").to_numpy()
            continue
        counts = report.codes.setdefault(col, CodeCounts())
        data[col] = variable(values, col, path, counts, ceiling_of(col, report.resolution_m))[0]
    return data


def _squares(
    data: dict[str, object],
    x: np.ndarray,
    y: np.ndarray,
    size: int,
    bounds: tuple[float, float, float, float] | None,
) -> gpd.GeoDataFrame:
    """The cells as EPSG:3035 squares, only those touching ``bounds`` when given."""
    half = size / 2.0
    keep = np.ones(len(x), dtype=bool)
    if bounds is not None:
        bx0, by0, bx1, by1 = bounds
        keep = (x + half > bx0) & (x - half < bx1) & (y + half > by0) & (y - half < by1)
    geometry = shapely.box(x[keep] - half, y[keep] - half, x[keep] + half, y[keep] + half)
    table = pd.DataFrame({k: np.asarray(v)[keep] for k, v in data.items()})
    table["cell_id"] = table["cell_id"].astype("string")
    return gpd.GeoDataFrame(table, geometry=geometry, crs=ZENSUS_CRS)


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
        other columns) and ``report`` (codes counted per column, see
        :mod:`data.importers.zensus` for what each code becomes).

    Raises
    ------
    ZensusError
        (an :class:`~data.importers.base.ImporterError`, a ``ValueError``) for a missing,
        empty or binary file, missing id/coordinate columns (listing the columns found),
        non-numeric coordinates, cells off the lattice or outside Germany, ids that are
        empty, repeated or do not match their coordinates, and values that are neither
        numbers nor codes — naming the file, the column and the lines.
    """
    path = Path(path)
    require_census_file(path)
    frame, used_encoding, sep = read_table(path, encoding)
    id_col, x_col, y_col, size = locate_columns(list(frame.columns), path)
    if frame.empty:
        raise ZensusError(
            "no cells: the file has a header but no rows",
            file=path,
            where="line 2",
            expected="one row per cell",
            found="end of file",
        )
    ids = frame[id_col]
    the_year = detect_year(path, id_col, ids, year)
    x, y = coordinates(frame, x_col, path), coordinates(frame, y_col, path)
    check_geometry(x, y, size, (x_col, y_col), path)
    report = ZensusReport(
        file=path.name,
        year=the_year,
        resolution_m=size,
        encoding=used_encoding,
        sep=sep,
        id_column=id_col,
        x_column=x_col,
        y_column=y_col,
        population_column=None,
        n_cells=len(frame),
        # -1 in Einwohner: an uninhabited cell in the 2011 1 km file, which lists every
        # cell; a withheld count in files listing inhabited cells only (2011 100 m, 2022).
        minus_one_population="no inhabitants"
        if (the_year == 2011 and size >= 1000)
        else "withheld",
        warnings=check_ids(ids, x, y, size, id_col, path),
    )
    population, report.population_column = _population(frame, report, path)
    skip = {id_col, x_col, y_col, *([report.population_column] if report.population_column else [])}
    data: dict[str, object] = {"cell_id": ids.astype("string").to_numpy(), "population": population}
    data.update(_other_columns(frame, report, skip, path))
    return ZensusGrid(cells=_squares(data, x, y, size, bounds), report=report)
