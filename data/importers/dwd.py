"""How a DWD station's daily climate record becomes the pack's ``climate_daily`` table.

The Deutscher Wetterdienst (DWD) Climate Data Center publishes daily station data ("KL",
``produkt_klima_tag_<von>_<bis>_<station>.txt``), either as plain text or inside the zip
archives ``tageswerte_KL_<station>_<von>_<bis>_hist.zip`` (historical, quality-checked) and
``tageswerte_KL_<station>_akt.zip`` (recent). The files are ``;``-separated, fields padded
with spaces, ``-999`` for a missing value, one row per day::

    STATIONS_ID;MESS_DATUM;QN_3;  FX;  FM;QN_4; RSK;RSKF; SDK;SHK_TAG;  NM; VPM;  PM; TMK; UPM; TXK; TNK; TGK;eor
           1270;19510101;-999;-999;-999;    5;   0.0;   1;    0.000;  24;   6.4; ...

:func:`read_dwd_daily` answers "what did this station measure each day": the daily maximum
(``TXK`` → ``tmax``), minimum (``TNK`` → ``tmin``) and mean (``TMK`` → ``tmean``) air
temperature 2 m above ground in °C, the precipitation height (``RSK`` → ``precip_mm``) in mm,
and the quality level ``QN_4``. Several files of one station (historical + recent) are
merged; on days present in both, the historical product wins and differences are reported.

:func:`read_dwd_stations` reads the official station list
(``KL_Tageswerte_Beschreibung_Stationen.txt``, fixed width, Latin-1 or UTF-8) or a CSV
(``id,from,to,altitude,lat,lon,name,state``); :func:`nearest_stations` ranks stations by
great-circle distance in km. :func:`import_climate` writes ``climate_daily`` into an existing
pack through :func:`data.writer.staged_pack`: a failure leaves the pack byte-for-byte
unchanged. :data:`IMPORTER` declares it for ``allmende import climate`` (see
:mod:`data.importers.base`).

The importer is split read → check → merge → write: :mod:`.dwd_product` checks one product
file, :mod:`.dwd_read` reads files and zip archives and merges them, :mod:`.dwd_stations`
reads station lists, and this module writes ``climate_daily``. Every error is a
:class:`DwdFormatError` (an :class:`~data.importers.base.ImporterError`) naming the file and
the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from data.catalog import CITY_FILE, Dataset, Temporal, read_catalog
from data.importers.base import Importer, ImportResult, Option
from data.importers.common import not_a_pack
from data.importers.dwd_product import (
    FRAME_COLUMNS,
    MISSING,
    QUALITY_COLUMN,
    REQUIRED,
    VALUE_COLUMNS,
    DwdFile,
    DwdFormatError,
    iso,
)
from data.importers.dwd_read import DwdDaily, read_dwd_daily
from data.importers.dwd_stations import (
    EARTH_RADIUS_KM,
    STATES,
    STATION_COLUMNS,
    nearest_stations,
    read_dwd_stations,
)
from data.writer import staged_pack

__all__ = [
    "DATASET_ID",
    "EARTH_RADIUS_KM",
    "FRAME_COLUMNS",
    "IMPORTER",
    "MISSING",
    "QUALITY_COLUMN",
    "REQUIRED",
    "STATES",
    "STATION_COLUMNS",
    "TABLE_COLUMNS",
    "VALUE_COLUMNS",
    "ClimateImport",
    "DwdDaily",
    "DwdFile",
    "DwdFormatError",
    "climate_table",
    "import_climate",
    "nearest_stations",
    "read_dwd_daily",
    "read_dwd_stations",
]

DATASET_ID = "climate_daily"
TABLE_PATH = "climate_daily.csv"
LICENCE = "DL-DE/BY-2-0 (DWD Open Data, Datenlizenz Deutschland – Namensnennung 2.0)"
ATTRIBUTION = "Deutscher Wetterdienst"
GENERATED_BY = "data/importers/dwd.py (allmende import climate)"
TABLE_COLUMNS = ("date", "tmax", "tmin", "tmean", "precip_mm", "station_id")


@dataclass
class ClimateImport:
    """What :func:`import_climate` wrote."""

    pack: Path
    rows: int
    first: str  # ISO date
    last: str
    station_id: str
    sources: list[str]
    notes: list[str]
    rows_read: int = 0  # data rows in the files read (repeats and overlaps included)

    def lines(self) -> list[str]:
        """Human-readable summary lines for the command line."""
        out = [
            f"imported {DATASET_ID} into {self.pack}: {self.rows} days, {self.first} – "
            f"{self.last}, DWD station {self.station_id}",
            f"files: {', '.join(self.sources)}",
        ]
        out.extend(f"note: {n}" for n in self.notes)
        return out


# --- into the pack -------------------------------------------------------------------------


def climate_table(result: DwdDaily | pd.DataFrame) -> pd.DataFrame:
    """The rows of ``climate_daily`` (see :mod:`data.schemas`) from :func:`read_dwd_daily`.

    Returns
    -------
    pandas.DataFrame
        ``date`` (ISO ``YYYY-MM-DD`` text), ``tmax``, ``tmin``, ``tmean`` (°C),
        ``precip_mm`` (mm), ``station_id``; missing values stay ``NaN``.
    """
    frame = result.frame if isinstance(result, DwdDaily) else result
    out = pd.DataFrame(
        {
            "date": pd.to_datetime(frame["date"]).dt.strftime("%Y-%m-%d"),
            "tmax": frame["tmax"].astype(float),
            "tmin": frame["tmin"].astype(float),
            "tmean": frame["tmean"].astype(float),
            "precip_mm": frame["precip_mm"].astype(float),
            "station_id": frame["station_id"].astype(str),
        }
    )
    return out[list(TABLE_COLUMNS)].reset_index(drop=True)


def _entry(data: DwdDaily, source: str | None) -> Dataset:
    files = ", ".join(Path(s.split(":")[0]).name for s in dict.fromkeys(data.sources))
    station = data.station_id
    return Dataset(
        id=DATASET_ID,
        title={
            "de": f"Tageswerte Klima, DWD-Station {station}",
            "en": f"Daily climate, DWD station {station}",
        },
        kind="table",
        path=TABLE_PATH,
        crs=None,
        licence=LICENCE,
        attribution=ATTRIBUTION,
        source=source
        or f"DWD Climate Data Center (CDC), daily station observations (KL), files: {files}",
        generated_by=GENERATED_BY,
        temporal=Temporal(iso(data.first), iso(data.last)),
        description={
            "de": (
                "Tägliche Lufttemperatur in 2 m Höhe (Maximum TXK, Minimum TNK, Mittel TMK, "
                "°C) und Niederschlagshöhe (RSK, mm) der DWD-Station "
                f"{station}; fehlende Werte (-999) sind leer."
            ),
            "en": (
                "Daily air temperature 2 m above ground (maximum TXK, minimum TNK, mean TMK, "
                f"°C) and precipitation (RSK, mm) at DWD station {station}; missing values "
                "(-999) are empty."
            ),
        },
    )


def import_climate(
    pack_folder: Path | str,
    paths: Path | str | Sequence[Path | str],
    source: str | None = None,
) -> ClimateImport:
    """Write a DWD station's daily record as ``climate_daily`` into an existing pack.

    Parameters
    ----------
    pack_folder : Path or str
        An existing city pack (a folder with ``city.toml``).
    paths : path or sequence of paths
        DWD product files or zip archives of one station (see :func:`read_dwd_daily`).
    source : str, optional
        Where the data comes from; by default the DWD CDC and the file names.

    Returns
    -------
    ClimateImport
        Rows written, first and last date, station id, files and notes.

    Raises
    ------
    DwdFormatError
        For bad input or a folder that is not a pack (nothing is written).
    data.pack.PackError
        If the pack would not validate afterwards (nothing is written).
    """
    folder = Path(pack_folder)
    if not (folder / CITY_FILE).is_file():
        raise DwdFormatError(
            not_a_pack(folder),
            file=folder / CITY_FILE,
            expected="an existing city pack",
            found="no such file",
        )
    data = read_dwd_daily(paths)
    table = climate_table(data)
    notes = list(data.notes)
    catalog = read_catalog(folder)
    if DATASET_ID in catalog.ids():
        notes.append(f"replaced the pack's existing {DATASET_ID} ({catalog.get(DATASET_ID).path})")
    with staged_pack(folder) as stage:
        stage.put_table(_entry(data, source), table)
    return ClimateImport(
        pack=folder,
        rows=len(table),
        first=iso(data.first),
        last=iso(data.last),
        station_id=data.station_id,
        sources=list(data.sources),
        notes=[*notes, *stage.notes],
        rows_read=data.rows_read,
    )


# --- the importer spec -----------------------------------------------------------------------


def _stored_rows(pack: Path) -> int:
    """Rows of ``climate_daily`` as stored in the pack now."""
    catalog = read_catalog(pack)
    if DATASET_ID not in catalog.ids():
        return 0
    return len(pd.read_csv(pack / catalog.get(DATASET_ID).path, dtype={"station_id": str}))


def run(pack: Path, **options: Any) -> ImportResult:
    """``allmende import climate``: :func:`import_climate` with the CLI's options.

    ``read`` counts the data rows in the files (repeats and overlaps included), ``written``
    the rows of ``climate_daily`` in the pack afterwards (the import replaces the dataset).
    """
    files = [Path(p) for p in options["dwd"]]
    native = import_climate(pack, files, source=options.get("source"))
    written = _stored_rows(Path(pack))
    return ImportResult(
        importer="climate",
        pack=Path(pack),
        datasets=(DATASET_ID,),
        files=tuple(str(f) for f in files),
        read=native.rows_read,
        written=written,
        unit="days",
        details=native.lines(),
        native=native,
    )


IMPORTER = Importer(
    name="climate",
    summary="DWD daily station climate (produkt_klima_tag / zip) into a pack",
    formats=("DWD produkt_klima_tag_*.txt", "DWD tageswerte_KL_*.zip"),
    datasets=(DATASET_ID,),
    options=(
        Option(
            "dwd",
            "DWD produkt_klima_tag_*.txt or tageswerte_KL_*.zip; repeat for historical + "
            "recent files of one station",
            type=Path,
            required=True,
            multiple=True,
            input=True,
            metavar="FILE",
        ),
        Option("source", "where the data comes from (default: DWD CDC + file names)"),
    ),
    run=run,
)
