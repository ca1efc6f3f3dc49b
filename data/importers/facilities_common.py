"""What both facility readers share: the error, the read result, geometry and CRS helpers.

:class:`FacilitiesError` is the error of every step of the facilities import,
:class:`FacilitiesRead` what a reader returns; :func:`settle` applies the one CRS rule of
:func:`data.importers.base.settle_crs` (the CRS the user gives wins, a conflict is a
warning, none at all is an error that says how to state it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from data.importers.base import ImporterError, settle_crs
from data.importers.common import is_missing, show_items
from data.pack import read_vector
from data.schemas import FACILITY_KINDS


class FacilitiesError(ImporterError):
    """A facilities file cannot be imported; the message names the file and the problem."""


@dataclass
class FacilitiesRead:
    """Facilities read from one file.

    Attributes
    ----------
    frame : geopandas.GeoDataFrame
        Points in EPSG:4326 with ``facility_id``, ``name``, ``kind`` (and, for OSM,
        ``osm_tag``: the tag that decided the kind).
    file : str
    format : {"osm", "table"}
    ignored : dict of str to int
        Features that are no facility, by their ``amenity`` value (``"(no amenity)"`` without).
    duplicates_dropped : int
        Repeated OSM objects (same id) left out.
    empty_geometry : int
        Features without a geometry, left out.
    warnings : list of str
    n_records : int
        Features or rows in the file, facilities or not.
    repeated_ids : list of str
        Ids of the repeated OSM objects left out.
    """

    frame: gpd.GeoDataFrame
    file: str
    format: str
    ignored: dict[str, int] = field(default_factory=dict)
    duplicates_dropped: int = 0
    empty_geometry: int = 0
    warnings: list[str] = field(default_factory=list)
    n_records: int = 0
    repeated_ids: list[str] = field(default_factory=list)

    def by_kind(self) -> dict[str, int]:
        """Facilities per kind, every kind listed (zero if absent)."""
        counts = self.frame["kind"].value_counts()
        return {k: int(counts.get(k, 0)) for k in FACILITY_KINDS}

    def summary(self) -> list[str]:
        """The summary lines without the warnings."""
        kinds = ", ".join(f"{k} {n}" for k, n in self.by_kind().items())
        out = [f"{self.file}: {len(self.frame)} facilities ({kinds})"]
        if self.ignored:
            top = sorted(self.ignored.items(), key=lambda kv: (-kv[1], kv[0]))
            shown = show_items(f"{k} {n}" for k, n in top)
            out.append(f"  ignored {sum(self.ignored.values())} other feature(s): {shown}")
        if self.duplicates_dropped:
            out.append(f"  dropped {self.duplicates_dropped} repeated OSM object(s)")
        if self.empty_geometry:
            out.append(f"  skipped {self.empty_geometry} feature(s) without geometry")
        return out

    def lines(self) -> list[str]:
        """A human-readable summary."""
        return [*self.summary(), *(f"  warning: {w}" for w in self.warnings)]


def as_facilities_error(err: ImporterError) -> FacilitiesError:
    """``err`` (from a shared helper) as a :class:`FacilitiesError`, fields kept."""
    return FacilitiesError(
        err.message, file=err.file, where=err.where, expected=err.expected, found=err.found
    )


def require(path: Path, what: str) -> None:
    """Raise unless ``path`` is an existing file."""
    if path.is_dir():
        raise FacilitiesError(
            f"{what} file {str(path)!r} is a folder, not a file", file=path, found="a folder"
        )
    if not path.is_file():
        raise FacilitiesError(
            f"{what} file {str(path)!r} not found", file=path, expected="an existing file"
        )


def read_vector_file(path: Path, what: str) -> gpd.GeoDataFrame:
    """A vector file as a GeoDataFrame; a :class:`FacilitiesError` naming it if unreadable."""
    if path.stat().st_size == 0:
        raise FacilitiesError(f"the {what} is empty", file=path, found="0 bytes")
    try:
        return read_vector(path)
    except Exception as err:  # pyogrio raises several types; the message is what matters
        text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise FacilitiesError(
            f"cannot read the {what}: {text}",
            file=path,
            expected="GeoJSON, GeoPackage or zipped Shapefile",
        ) from err


def settle(declared: CRS | None, given: str | None, path: Path, warnings: list[str]) -> CRS:
    """The CRS of ``path``'s coordinates by :func:`data.importers.base.settle_crs`."""
    try:
        return settle_crs(declared, given, file=path, warnings=warnings)
    except ImporterError as err:
        raise as_facilities_error(err) from err


def points(geometry: gpd.GeoSeries) -> np.ndarray:
    """Points unchanged; any other shape as its representative point."""
    values = geometry.values
    is_point = np.asarray(geometry.geom_type == "Point")
    out = np.array(values, dtype=object)
    if (~is_point).any():
        out[~is_point] = shapely.point_on_surface(values[~is_point])
    return out


def drop_empty(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int]:
    """``frame`` without its empty geometries, and how many there were."""
    empty = frame.geometry.isna() | frame.geometry.is_empty
    return frame[~empty], int(empty.sum())


def text_or_none(value: Any) -> str | None:
    """A cell as stripped text, ``None`` when missing."""
    return None if is_missing(value) else str(value).strip()


def text_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """``column`` as stripped text (``None`` for missing cells); all ``None`` if absent."""
    if column not in frame.columns:
        return pd.Series(None, index=frame.index, dtype=object)
    return frame[column].map(text_or_none)
