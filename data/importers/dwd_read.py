"""Reading a DWD station's daily climate files into one record (part of the climate importer).

:func:`read_dwd_daily` reads ``produkt_klima_tag_*.txt`` files and the DWD zip archives that
hold them (each checked by :func:`data.importers.dwd_product.parse_product`) and merges the
files of one station: where historical and recent files overlap, the historical product wins
and differences are reported.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from data.importers.dwd_product import (
    VALUE_COLUMNS,
    DwdFile,
    DwdFormatError,
    decode,
    iso,
    parse_product,
)

_PRODUCT_RE = re.compile(r"(?:^|/)produkt_klima_tag_[^/]*\.txt$", re.IGNORECASE)


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
    rows_read: int = 0  # data rows in the files, before repeats and overlaps were merged

    @property
    def first(self) -> pd.Timestamp:
        return pd.Timestamp(self.frame["date"].iloc[0])

    @property
    def last(self) -> pd.Timestamp:
        return pd.Timestamp(self.frame["date"].iloc[-1])


def _paths(paths: Path | str | Sequence[Path | str]) -> list[Path]:
    if isinstance(paths, str | Path):
        return [Path(paths)]
    out = [Path(p) for p in paths]
    if not out:
        raise DwdFormatError(
            "no DWD file given", expected="at least one DWD product file or zip", found="none"
        )
    return out


def _is_zip(path: Path, head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04") or path.suffix.lower() == ".zip"


def _read_zip(path: Path, raw: bytes, hist: bool) -> list[DwdFile]:
    """Every ``produkt_klima_tag`` file in a DWD zip archive."""
    name = path.name
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as err:
        raise DwdFormatError(
            "not a readable zip archive", file=path, expected="a zip archive", found=str(err)
        ) from err
    with archive:
        members = [m for m in archive.namelist() if not m.endswith("/")]
        products = [m for m in members if _PRODUCT_RE.search(m)]
        if not products:
            shown = ", ".join(members[:10]) or "none"
            more = f" and {len(members) - 10} more" if len(members) > 10 else ""
            raise DwdFormatError(
                "no produkt_klima_tag_*.txt file in the zip archive; is it a DWD daily KL "
                "archive (tageswerte_KL_…zip)?",
                file=path,
                expected="a member produkt_klima_tag_*.txt",
                found=f"members: {shown}{more}",
            )
        return [
            parse_product(decode(archive.read(m)), f"{name}:{m}", hist or "_hist" in m.lower())
            for m in products
        ]


def _read_path(path: Path) -> list[DwdFile]:
    """One ``.txt`` product file, or every ``produkt_klima_tag`` file in a DWD zip archive."""
    if not path.is_file():
        raise DwdFormatError("file not found", file=path, expected="an existing file")
    raw = path.read_bytes()
    hist = "_hist" in path.name.lower()
    if _is_zip(path, raw[:4]):
        return _read_zip(path, raw, hist)
    if b"\x00" in raw[:4096]:
        raise DwdFormatError(
            "this is a binary file, not a DWD product text file or zip archive",
            file=path,
            expected="a produkt_klima_tag text file or a zip archive",
            found="NUL bytes",
        )
    return [parse_product(decode(raw), path.name, hist)]


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
                f"({iso(days.min())} – {iso(days.max())}): {n - n_diff} agree"
            )
            if n_diff:
                first_diff = iso(days[~agree][0])
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
        For an empty file, a file that is not a DWD product (naming the columns found), a
        wrong separator, an unparseable date or a non-numeric value (naming the line),
        conflicting rows for one date in one file, a zip archive without a
        ``produkt_klima_tag`` file, or files of different stations.
    """
    files = _paths(paths)
    parts = [part for path in files for part in _read_path(path)]
    stations: dict[str, str] = {}
    for part in parts:
        stations.setdefault(part.station_id, part.source)
    if len(stations) > 1:
        shown = " and ".join(f"station {sid} ({src})" for sid, src in stations.items())
        raise DwdFormatError(
            "the files belong to different stations; read one station at a time",
            file=" and ".join(stations.values()),
            expected="files of one station",
            found=shown,
        )
    frame, merge_notes = _merge(parts)
    notes = [n for part in parts for n in part.notes] + merge_notes
    station = parts[0].station_id
    rows_read = sum(p.rows_read for p in parts)
    return DwdDaily(frame, station, [p.source for p in parts], notes, rows_read)
