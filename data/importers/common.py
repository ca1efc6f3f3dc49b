"""Helpers every importer needs: what is an empty cell, what is a key, where is the city?

Importers read messy public files and write into a city pack. They share small questions:
is this cell missing (:func:`is_missing`), which canonical string is this join key
(:func:`normalise_key`), which values repeat (:func:`duplicates`), how to list a few items
in a message (:func:`show_items`), which ASCII slug names this text (:func:`slug`), and —
for an existing pack — what its catalog says and where its city's bounding box lies in a
given CRS (:func:`read_pack_catalog`, :func:`bbox_in_crs`, :func:`bbox_polygon`).

Units: bounding boxes are in the units of the CRS asked for (degrees for EPSG:4326, metres
for projected CRSs).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from data.catalog import CITY_FILE, Catalog, City, read_catalog
from data.importers.base import ImporterError

#: How many items a message lists before "and N more".
SHOW = 10


def is_missing(cell: Any) -> bool:
    """Whether a cell is empty: ``None``, ``pd.NA`` or a float NaN.

    Parameters
    ----------
    cell : Any
        A cell value.

    Returns
    -------
    bool
    """
    return (
        cell is None
        or cell is pd.NA
        or (isinstance(cell, float | np.floating) and math.isnan(cell))
    )


def normalise_key(value: Any) -> str | None:
    """A join key as a canonical string: ``11``, ``11.0``, ``"11"``, ``"011"`` all give ``"11"``.

    Parameters
    ----------
    value : Any
        A cell value.

    Returns
    -------
    str or None
        ``None`` for a missing value.
    """
    if is_missing(value):
        return None
    if isinstance(value, float | np.floating):
        if float(value).is_integer():
            return str(int(value))
        return repr(float(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    text = str(value).strip()
    if not text:
        return None
    m = re.fullmatch(r"([+-]?)(\d+)(?:\.0+)?", text)
    if m:
        return m.group(1).replace("+", "") + str(int(m.group(2)))
    return text


def duplicates(values: pd.Series) -> list[str]:
    """The values that occur more than once, each once, in order of first repetition.

    Parameters
    ----------
    values : pandas.Series

    Returns
    -------
    list of str
    """
    return [str(v) for v in values[values.duplicated()].unique().tolist()]


def show_items(items: Iterable[Any], limit: int = SHOW) -> str:
    """The first ``limit`` items, comma separated, with "and N more" for the rest.

    Parameters
    ----------
    items : iterable
        Anything printable.
    limit : int
        How many to list.

    Returns
    -------
    str
    """
    shown = [str(k) for k in items]
    more = f" and {len(shown) - limit} more" if len(shown) > limit else ""
    return ", ".join(shown[:limit]) + more


def slug(text: str) -> str:
    """``"Steinstraße, Moers"`` → ``"steinstrasse-moers"`` (ASCII, lower case, dashes).

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        Possibly empty (for text without letters or digits).
    """
    s = str(text).strip().casefold()
    for a, b in (("ß", "ss"), ("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("\ufffd", "")):
        s = s.replace(a, b)
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def require_file(path: Path, what: str) -> None:
    """Raise ``ValueError`` unless ``path`` is an existing file.

    Parameters
    ----------
    path : Path
        The input file.
    what : str
        What the file should be, for the message (e.g. ``"census"``).

    Raises
    ------
    ImporterError
        ``"…: census file not found"`` (or ``"… is a folder, not a file"``), naming the file.
    """
    if path.is_dir():
        raise ImporterError(f"{what} file {str(path)!r} is a folder, not a file", file=path)
    if not path.is_file():
        raise ImporterError(f"{what} file {str(path)!r} not found", file=path)


def read_pack_catalog(folder: Path) -> Catalog:
    """The catalog of the existing pack at ``folder``.

    Parameters
    ----------
    folder : Path
        A city pack folder.

    Returns
    -------
    Catalog

    Raises
    ------
    ImporterError
        Naming ``folder/city.toml`` if ``folder`` holds no ``city.toml`` (importers of this kind add to an existing
        pack; ``allmende demo`` or ``allmende import districts`` create one), or if the
        catalog cannot be read (:class:`data.catalog.CatalogError`).
    """
    if not (Path(folder) / CITY_FILE).is_file():
        raise ImporterError(
            not_a_pack(folder),
            file=Path(folder) / CITY_FILE,
            expected="an existing city pack",
            found="no such file",
        )
    return read_catalog(Path(folder))


def not_a_pack(folder: Path | str) -> str:
    """The one message every importer that adds to a pack gives for a folder without one."""
    return (
        f"{str(folder)!r} is not a city pack (no {CITY_FILE}); create the pack first with "
        "'allmende import districts … --pack FOLDER' (or 'allmende demo --out FOLDER')"
    )


def bbox_in_crs(city: City, crs: CRS | str, densify: int = 21) -> tuple[float, float, float, float]:
    """The city's bounding box (WGS84 in ``city.toml``) as ``(minx, miny, maxx, maxy)`` in ``crs``.

    Parameters
    ----------
    city : City
        The pack's city.
    crs : CRS or str
        Target CRS.
    densify : int
        Points added along each edge, so curved edges in ``crs`` are covered.

    Returns
    -------
    tuple of float
        The box enclosing the transformed bounding box, in the units of ``crs``.
    """
    transformer = Transformer.from_crs("EPSG:4326", CRS.from_user_input(crs), always_xy=True)
    min_lon, min_lat, max_lon, max_lat = city.bbox
    x0, y0, x1, y1 = transformer.transform_bounds(
        min_lon, min_lat, max_lon, max_lat, densify_pts=densify
    )
    return float(x0), float(y0), float(x1), float(y1)


def bbox_polygon(city: City, crs: CRS | str, densify: int = 21) -> shapely.Polygon:
    """The city's bounding box as a polygon in ``crs``, its edges densified before transforming.

    Parameters
    ----------
    city : City
        The pack's city.
    crs : CRS or str
        Target CRS.
    densify : int
        Points per edge.

    Returns
    -------
    shapely.Polygon
        The exact image of the WGS84 box (not its enclosing rectangle).
    """
    min_lon, min_lat, max_lon, max_lat = city.bbox
    t = np.linspace(0.0, 1.0, densify + 2)[:-1]
    lon = np.concatenate(
        [
            min_lon + (max_lon - min_lon) * t,
            np.full(t.size, max_lon),
            max_lon - (max_lon - min_lon) * t,
            np.full(t.size, min_lon),
        ]
    )
    lat = np.concatenate(
        [
            np.full(t.size, min_lat),
            min_lat + (max_lat - min_lat) * t,
            np.full(t.size, max_lat),
            max_lat - (max_lat - min_lat) * t,
        ]
    )
    transformer = Transformer.from_crs("EPSG:4326", CRS.from_user_input(crs), always_xy=True)
    x, y = transformer.transform(lon, lat)
    return shapely.Polygon(np.column_stack([x, y]))
