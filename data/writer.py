"""Write city packs safely: stage, validate, then swap — or leave the pack as it was.

Every writer (the demo generator, the importers) goes through :func:`staged_pack`. The
new state is assembled in a sibling temporary folder holding a copy of the current pack,
validated completely with :func:`data.pack.validate_pack`, and only then moved into
place. A failure at any step raises and leaves the existing pack byte-for-byte unchanged.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import xarray as xr

from data.catalog import CITY_FILE, Catalog, City, Dataset, read_catalog, write_catalog
from data.pack import WGS84, PackError, validate_pack


@dataclass
class Stage:
    """A pack under construction. Put datasets in; the catalog follows."""

    dir: Path
    catalog: Catalog

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
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.staging-", dir=folder.parent))
    staging.chmod(0o755)  # mkdtemp makes 0700; a pack is ordinary, readable data
    try:
        if (folder / CITY_FILE).is_file():
            shutil.copytree(folder, staging, dirs_exist_ok=True)
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
        stage = Stage(staging, catalog)
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
        old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        folder.rename(old)
        staging.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(folder)
