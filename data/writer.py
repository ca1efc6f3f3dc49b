"""Write city packs safely: stage, validate, then swap — or leave the pack as it was.

Every writer (the demo generator, the importers) goes through :func:`staged_pack`. The
new state is assembled in a sibling temporary folder holding a copy of the current pack,
validated completely with :func:`data.pack.validate_pack`, and only then moved into
place. A failure at any step raises and leaves the existing pack byte-for-byte unchanged.

Imports killed before they finish leave their staging folder behind;
:func:`remove_stale_staging` removes those (it runs at the start of every
:func:`staged_pack` and when the app starts) and never touches one still being written.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import xarray as xr

from data.catalog import CITY_FILE, Catalog, City, Dataset, read_catalog, write_catalog
from data.pack import WGS84, PackError, validate_pack


@dataclass
class Stage:
    """A pack under construction. Put datasets in; the catalog follows.

    ``notes`` are lines worth showing with the import's result (stale staging folders of
    killed imports that were removed before this one started).
    """

    dir: Path
    catalog: Catalog
    notes: list[str] = field(default_factory=list)

    def put_vector(self, ds: Dataset, frame: gpd.GeoDataFrame, precision: int = 6) -> None:
        """Write ``frame`` as RFC 7946 GeoJSON (EPSG:4326, ``precision`` decimals)."""
        if frame.crs is None:
            raise ValueError(f"dataset {ds.id!r}: the frame has no CRS; set one before writing")
        wgs = frame.to_crs(WGS84)
        text = wgs.to_json(drop_id=True, to_wgs84=False)
        rounded = round_coords(json.loads(text), precision)
        self._write(ds.path, json.dumps(rounded, ensure_ascii=False, separators=(",", ":")))
        self._register(ds, crs=WGS84)

    def put_table(self, ds: Dataset, frame: pd.DataFrame) -> None:
        """Write a table as UTF-8 CSV with ``,`` separators."""
        self._write(ds.path, frame.to_csv(index=False))
        self._register(ds, crs=ds.crs)

    def put_timeseries(self, ds: Dataset, frame: pd.DataFrame) -> None:
        """Write a long time series (a ``time`` column, tz-aware) as Parquet, times in UTC."""
        if "time" not in frame.columns or not isinstance(frame["time"].dtype, pd.DatetimeTZDtype):
            raise ValueError(f"dataset {ds.id!r}: needs a tz-aware 'time' column")
        if not ds.path.endswith(".parquet"):
            raise ValueError(f"dataset {ds.id!r}: time series are stored as .parquet")
        target = self.dir / ds.path
        target.parent.mkdir(parents=True, exist_ok=True)
        out = frame.assign(time=frame["time"].dt.tz_convert("UTC"))
        out.to_parquet(target, index=False, compression="zstd")
        self._register(ds, crs=ds.crs)

    def put_raster(self, ds: Dataset, grid: xr.Dataset) -> None:
        """Write a raster as NetCDF4 with zlib compression."""
        target = self.dir / ds.path
        target.parent.mkdir(parents=True, exist_ok=True)
        encoding = {
            str(name): {"zlib": True, "complevel": 4}
            for name in grid.data_vars
            if grid[name].ndim >= 2
        }
        grid.to_netcdf(target, engine="netcdf4", encoding=encoding)
        self._register(ds, crs=ds.crs)

    def set_city(self, city: City) -> None:
        self.catalog = Catalog(city, self.catalog.datasets)

    def _write(self, rel: str, text: str) -> None:
        target = self.dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def _register(self, ds: Dataset, crs: str | None) -> None:
        entry = Dataset(**{**ds.__dict__, "crs": crs})
        self.catalog = self.catalog.with_dataset(entry)


def round_coords(obj: object, precision: int) -> object:
    if isinstance(obj, float):
        return round(obj, precision)
    if isinstance(obj, list):
        return [round_coords(v, precision) for v in obj]
    if isinstance(obj, dict):
        return {
            k: (
                round_coords(v, precision)
                if k == "coordinates" or isinstance(v, (dict, list))
                else v
            )
            for k, v in obj.items()
        }
    return obj


@contextmanager
def staged_pack(folder: Path | str, city: City | None = None) -> Iterator[Stage]:
    """Stage changes to the pack at ``folder`` (created if absent) and commit them atomically.

    ``city`` is required for a new pack and replaces the ``[city]`` table if given.
    Raises :class:`data.pack.PackError` if the staged pack does not validate.
    """
    folder = Path(folder).resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    notes = remove_stale_staging(folder)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{folder.name}{STAGING}{os.getpid()}-", dir=folder.parent)
    )
    staging.chmod(0o755)  # mkdtemp makes 0700; a pack is ordinary, readable data
    try:
        if (folder / CITY_FILE).is_file():
            # links stay links, so a link leading out of the pack is refused by validation
            # instead of its target being copied in
            shutil.copytree(folder, staging, dirs_exist_ok=True, symlinks=True)
            catalog = read_catalog(folder)
            if city is not None:
                catalog = Catalog(city, catalog.datasets)
        elif folder.exists() and any(folder.iterdir()):
            raise ValueError(
                f"{str(folder)!r} exists and is not a city pack (no {CITY_FILE}); refusing to write into it"
            )
        else:
            if city is None:
                raise ValueError(f"{str(folder)!r} is a new pack: pass the city settings")
            catalog = Catalog(city, ())
        stage = Stage(staging, catalog, notes)
        yield stage
        write_catalog(stage.catalog, staging)
        report = validate_pack(staging)
        if not report.ok:
            report.folder = str(folder)
            raise PackError(report)
        _swap(staging, folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, folder: Path) -> None:
    """Replace ``folder`` by ``staging`` with two renames on the same file system."""
    if folder.exists():
        old = folder.with_name(f".{folder.name}{OLD}{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        folder.rename(old)
        staging.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(folder)


# --- leftovers of killed imports ---------------------------------------------------------------

STAGING = ".staging-"  # .<pack>.staging-<pid>-<random>: a pack being written by process <pid>
OLD = ".old-"  # .<pack>.old-<pid>: the previous pack during the swap (two renames)
#: A staging folder whose process still runs is kept unless it is older than this (the
#: process id may have been reused by another program; no import runs for a day).
STALE_AGE_SECONDS = 24 * 3600.0
#: A staging folder without a process id in its name (written before ids were added) is
#: removed when nothing in it changed for this long (an import writes continuously).
UNOWNED_AGE_SECONDS = 15 * 60.0

log = logging.getLogger(__name__)


def _owner(name: str, marker: str) -> int | None:
    """The process id in ``.pack.staging-<pid>-…`` / ``.pack.old-<pid>``, if any."""
    rest = name.split(marker, 1)[1]
    head = rest.split("-", 1)[0]
    return int(head) if head.isdigit() else None


def _running(pid: int) -> bool:
    """Whether a process with id ``pid`` runs on this machine."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, under another user
        return True
    except OSError:
        return False
    return True


def _age(path: Path, now: float) -> float:
    """Seconds since the folder or anything directly in it last changed."""
    try:
        times = [path.lstat().st_mtime, *(p.lstat().st_mtime for p in path.iterdir())]
    except OSError:
        return 0.0
    return now - max(times)


def _is_stale(path: Path, marker: str, now: float) -> bool:
    pid = _owner(path.name, marker)
    if pid is None:
        return _age(path, now) > UNOWNED_AGE_SECONDS
    if pid == os.getpid():
        return False  # this process's own import (another thread) is writing it
    return not _running(pid) or _age(path, now) > STALE_AGE_SECONDS


def remove_stale_staging(folder: Path | str) -> list[str]:
    """Remove what killed imports left beside the pack at ``folder``; one line per folder.

    A staging folder (``.<pack>.staging-<pid>-…``) is stale when the process that made it
    no longer runs, when it is older than :data:`STALE_AGE_SECONDS`, or — without a process
    id in its name — when nothing in it changed for :data:`UNOWNED_AGE_SECONDS`. A folder
    that a running import (this process or another) is writing is never touched. A previous
    pack left by a swap cut short (``.<pack>.old-<pid>``) is removed when the pack exists,
    and moved back into place when it does not. Called at the start of every
    :func:`staged_pack`, and by the app at start; never raises.
    """
    folder = Path(folder).resolve()
    lines: list[str] = []
    try:
        siblings = sorted(folder.parent.iterdir())
    except OSError:
        return lines
    now = time.time()
    for path in siblings:
        name = path.name
        if not path.is_dir() or path.is_symlink():
            continue
        try:
            if name.startswith(f".{folder.name}{STAGING}") and _is_stale(path, STAGING, now):
                shutil.rmtree(path)
                lines.append(f"removed {path} left by an import that did not finish")
            elif name.startswith(f".{folder.name}{OLD}") and _is_stale(path, OLD, now):
                if folder.exists():
                    shutil.rmtree(path)
                    lines.append(f"removed {path}, a previous copy of the pack left by an import")
                else:
                    path.rename(folder)
                    lines.append(f"restored the pack {folder} from {path} (an import was cut off)")
        except OSError as err:
            lines.append(f"could not remove {path}: {err}")
    for line in lines:
        log.warning("%s", line)
    return lines
