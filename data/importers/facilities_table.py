"""Reading heat-sensitive facilities from a table: a CSV with x/y, or a vector file with kinds.

A CSV states no CRS, so the CRS of its coordinates must be given (``--source-crs``); a
vector file states its own, which a CRS given by the user overrides with a warning. Kinds
may be written as the ids (``kita``) or their German or English labels (``Pflegeheim``,
``Care home``); every refusal names the file and the line (CSV) or feature.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from data.german_csv import read_german_csv, unknown_column_error
from data.importers.common import duplicates, is_missing, show_items
from data.importers.facilities_common import (
    FacilitiesError,
    FacilitiesRead,
    drop_empty,
    points,
    read_vector_file,
    require,
    settle,
    text_column,
    text_or_none,
)
from data.pack import WGS84, crs_label
from data.schemas import FACILITY_KIND_LABELS, FACILITY_KINDS

CSV_SUFFIXES = (".csv", ".txt", ".tsv")


def _kind_lookup() -> dict[str, str]:
    """Accepted spellings (ids, German and English labels, case-insensitive) → kind."""
    lookup = {k.casefold(): k for k in FACILITY_KINDS}
    for kind, labels in FACILITY_KIND_LABELS.items():
        for label in labels.values():
            lookup[label.casefold()] = kind
    lookup.update({"care home": "care_home", "kindergarten": "kita", "kindertagesstätte": "kita"})
    return lookup


def _where(i: int, csv_file: bool) -> str:
    """Row ``i`` (0-based) as the user sees it: a CSV line (header = line 1) or a feature."""
    return f"line {i + 2}" if csv_file else f"feature {i + 1}"


def _column_error(column: str, frame: pd.DataFrame, path: Path, what: str) -> FacilitiesError:
    text = str(unknown_column_error(column, frame.columns, "\0", what)).removeprefix("\0: ")
    return FacilitiesError(text, file=path, found=repr(column))


def _kinds(values: pd.Series, path: Path, column: str, csv_file: bool) -> np.ndarray:
    lookup = _kind_lookup()
    out = []
    for i, value in enumerate(values.tolist()):
        key = "" if is_missing(value) else str(value).strip().casefold()
        if key not in lookup:
            valid = ", ".join(f"{k} ({FACILITY_KIND_LABELS[k]['de']})" for k in FACILITY_KINDS)
            got = "empty" if not key else f"{value!r}"
            raise FacilitiesError(
                f"{column!r} is {got}, not a facility kind; valid kinds: {valid}",
                file=path,
                where=_where(i, csv_file),
                expected="a facility kind",
                found=got,
            )
        out.append(lookup[key])
    return np.array(out, dtype=object)


def _xy(table: pd.DataFrame, column: str, path: Path) -> np.ndarray:
    values = pd.to_numeric(table[column], errors="coerce").astype("float64")
    bad = values.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        cell = table[column].iloc[i]
        got = "is empty" if is_missing(cell) else f"is {cell!r}, not a number"
        raise FacilitiesError(
            f"coordinate column {column!r} {got}",
            file=path,
            where=_where(i, True),
            expected="a number",
            found="an empty cell" if is_missing(cell) else repr(cell),
        )
    return values.to_numpy()


def _csv_frame(
    path: Path,
    cols: tuple[str, str, str],
    crs: str | None,
    encoding: str | None,
    warnings: list[str],
) -> gpd.GeoDataFrame:
    """A CSV's rows as points; ``cols`` are the kind, x and y columns."""
    try:
        table = read_german_csv(path, encoding=encoding)
    except ValueError as err:
        raise FacilitiesError(str(err).removeprefix(f"{path.name}: "), file=path) from err
    kind_col, x_col, y_col = cols
    for col, what in ((kind_col, "kind column"), (x_col, "x column"), (y_col, "y column")):
        if col not in table.columns:
            raise _column_error(col, table, path, what)
    if table.empty:
        raise FacilitiesError("the table has no rows", file=path, found="only a header")
    target = settle(None, crs, path, warnings)
    x, y = _xy(table, x_col, path), _xy(table, y_col, path)
    if target.is_geographic and ((np.abs(x) > 180).any() or (np.abs(y) > 90).any()):
        raise FacilitiesError(
            f"coordinates such as {x_col}={x.max():g}, {y_col}={y.max():g} are not "
            f"degrees, but crs is {crs_label(target)}; state the CRS of the coordinates "
            "with --source-crs, e.g. EPSG:25832",
            file=path,
            where=f"columns {x_col!r}, {y_col!r}",
            expected=f"degrees for {crs_label(target)}",
            found=f"{x.max():g}, {y.max():g}",
        )
    return gpd.GeoDataFrame(
        table.reset_index(drop=True), geometry=gpd.points_from_xy(x, y), crs=target
    )


def _vector_frame(
    path: Path, kind_col: str, crs: str | None, warnings: list[str]
) -> tuple[gpd.GeoDataFrame, int]:
    """A vector file's features with a geometry, in its settled CRS; and how many had none."""
    frame = read_vector_file(path, "facilities file")
    frame = frame.set_crs(settle(frame.crs, crs, path, warnings), allow_override=True)
    if kind_col not in frame.columns:
        raise _column_error(kind_col, frame, path, "kind column")
    frame, n_empty = drop_empty(frame)
    if frame.empty:
        raise FacilitiesError(
            "the file has no features with a geometry", file=path, expected="points or areas"
        )
    return frame.reset_index(drop=True), n_empty


def _ids(
    frame: pd.DataFrame, id_col: str | None, kinds: np.ndarray, path: Path, csv_file: bool
) -> pd.Series:
    """The ids from ``id_col`` (checked: none empty, none repeated) or ``kind-N`` per kind."""
    if id_col is None:
        seen: Counter[str] = Counter()
        generated = []
        for kind in kinds:
            seen[kind] += 1
            generated.append(f"{kind}-{seen[kind]}")
        return pd.Series(generated, index=frame.index)
    if id_col not in frame.columns:
        raise _column_error(id_col, frame, path, "id column")
    ids = frame[id_col].map(text_or_none)
    empty = ids.isna() | (ids == "")
    if empty.any():
        rows = [_where(int(i), csv_file) for i in np.flatnonzero(empty.to_numpy())]
        raise FacilitiesError(
            f"id column {id_col!r} is empty in {show_items(rows)}",
            file=path,
            where=rows[0],
            expected="an id per facility",
        )
    dup = duplicates(ids)
    if dup:
        raise FacilitiesError(
            f"id column {id_col!r} is not unique: {show_items(dup)}",
            file=path,
            where=f"column {id_col!r}",
            expected="unique ids",
            found=f"{dup[0]!r} repeated",
        )
    return ids


def read_facilities_table(
    path: Path | str,
    *,
    kind_col: str = "kind",
    name_col: str = "name",
    x_col: str = "x",
    y_col: str = "y",
    id_col: str | None = None,
    crs: str | None = None,
    encoding: str | None = None,
) -> FacilitiesRead:
    """Read facilities from a CSV with coordinates, or a vector file with kind/name columns.

    Parameters
    ----------
    path : Path or str
        ``.csv``/``.txt`` (read with :func:`data.german_csv.read_german_csv`) or a vector
        file (GeoJSON, GeoPackage, zipped Shapefile; non-points as their representative
        point).
    kind_col, name_col : str
        Kind column (required; ``kita``/``school``/``care_home``/``hospital`` or their
        German/English labels) and name column (optional: missing names are allowed).
    x_col, y_col : str
        Coordinate columns of a CSV (e.g. ``lon``/``lat`` or ``rechtswert``/``hochwert``).
    id_col : str, optional
        Id column (must be unique); default: ``kind-1``, ``kind-2``, … in file order.
    crs : str, optional
        CRS of the coordinates: required for a CSV (it states none); for a vector file it
        wins over the CRS the file states (a differing one is reported as a warning).
    encoding : str, optional
        CSV encoding (default: detected).

    Returns
    -------
    FacilitiesRead

    Raises
    ------
    FacilitiesError
        (an :class:`~data.importers.base.ImporterError`) for a missing or unreadable file,
        no CRS stated or given, unknown columns (with close matches), unknown kinds
        (listing the valid ones), non-numeric or implausible coordinates (degrees expected
        for EPSG:4326), empty or repeated ids.
    """
    path = Path(path)
    require(path, "facilities")
    warnings: list[str] = []
    n_empty = 0
    csv_file = path.suffix.lower() in CSV_SUFFIXES
    if csv_file:
        frame = _csv_frame(path, (kind_col, x_col, y_col), crs, encoding, warnings)
    else:
        frame, n_empty = _vector_frame(path, kind_col, crs, warnings)
    kinds = _kinds(frame[kind_col], path, kind_col, csv_file)
    ids = _ids(frame, id_col, kinds, path, csv_file)
    if name_col not in frame.columns:
        warnings.append(f"no name column {name_col!r}: facilities have no names")
    out = gpd.GeoDataFrame(
        {
            "facility_id": ids.astype("string").to_numpy(),
            "name": text_column(frame, name_col).astype("string").to_numpy(),
            "kind": kinds,
        },
        geometry=points(frame.geometry),
        crs=frame.crs,
    )
    return FacilitiesRead(
        frame=out.to_crs(WGS84),
        file=path.name,
        format="table",
        empty_geometry=n_empty,
        warnings=warnings,
        n_records=len(frame) + n_empty,
    )
