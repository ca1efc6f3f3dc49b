"""Load and validate a city pack: every file read, every CRS stated, every value checked.

Every dataset path resolves inside the pack folder (:func:`data.catalog.inside_pack`):
absolute paths, ``..`` and symbolic links leading out are errors, and nothing outside the
pack is read. Numbers are finite and below the ceilings of :mod:`data.limits`
(:mod:`data.pack_values`), so a pack that validates always serves.

A :class:`CityPack` holds vector data twice — in EPSG:4326 for the map and in the pack's
metric CRS for areas and distances — and rasters in their own (metric) CRS. Nothing is
reprojected silently: a file whose embedded CRS disagrees with the catalog is an error.

:func:`validate_pack` returns a :class:`Report` listing every problem (dataset id and
message); :func:`load_pack` raises :class:`PackError` carrying that report.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import xarray as xr
from pyproj import CRS
from pyproj.exceptions import CRSError

from data.calendar import CityCalendar
from data.catalog import CITY_FILE, Catalog, CatalogError, City, Dataset, inside_pack, read_catalog
from data.pack_calendar import check_calendar_tables, check_place, pack_calendar
from data.pack_values import (
    check_density,
    check_frame_numbers,
    check_percent_columns,
    check_raster_numbers,
)
from data.pack_values import rows_text as _rows
from data.schemas import SCHEMAS, Column, Schema

WGS84 = "EPSG:4326"
# A geometry this far outside the bbox (as a share of its size) is "out of range".
BBOX_MARGIN = 0.25


@dataclass(frozen=True)
class Problem:
    dataset: str  # dataset id, or "city.toml"
    message: str

    def __str__(self) -> str:
        return f"{self.dataset}: {self.message}"


@dataclass
class Report:
    """The outcome of validating a pack."""

    folder: str
    problems: list[Problem] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    # things worth fixing that do not make the pack invalid (e.g. a default time zone)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, dataset: str, message: str) -> None:
        self.problems.append(Problem(dataset, message))

    def warn(self, dataset: str, message: str) -> None:
        self.warnings.append(Problem(dataset, message))

    def to_dict(self) -> dict[str, Any]:
        return {
            "pack": self.folder,
            "valid": self.ok,
            "datasets_checked": self.checked,
            "problems": [{"dataset": p.dataset, "message": p.message} for p in self.problems],
            "warnings": [{"dataset": p.dataset, "message": p.message} for p in self.warnings],
        }

    def to_text(self) -> str:
        lines = [f"Pack {self.folder}"]
        for ds in self.checked:
            bad = [p for p in self.problems if p.dataset == ds]
            lines.append(f"  {'FAIL' if bad else 'ok  '} {ds}")
            lines.extend(f"       - {p.message}" for p in bad)
        for p in self.problems:
            if p.dataset not in self.checked:
                lines.append(f"  FAIL {p.dataset}: {p.message}")
        lines.extend(f"  WARN {p.dataset}: {p.message}" for p in self.warnings)
        n = len(self.problems)
        lines.append("valid" if self.ok else f"INVALID: {n} problem{'s' if n != 1 else ''}")
        return "\n".join(lines)


class PackError(ValueError):
    """A pack failed validation; ``report`` says where and why."""

    def __init__(self, report: Report):
        self.report = report
        super().__init__("\n".join(str(p) for p in report.problems))


class CityPack:
    """A validated city pack, held in memory.

    Use :func:`load_pack` to build one. ``version`` changes whenever any file changes, so
    caches downstream (class breaks, rendered rasters, fitted models) can key on it.
    """

    def __init__(self, folder: Path, catalog: Catalog, version: str):
        self.folder = folder
        self.catalog = catalog
        self.version = version
        self._vectors: dict[str, gpd.GeoDataFrame] = {}
        self._metric: dict[str, gpd.GeoDataFrame] = {}
        self._rasters: dict[str, xr.Dataset] = {}
        self._tables: dict[str, pd.DataFrame] = {}
        self._calendar: CityCalendar | None = None

    @property
    def city(self) -> City:
        return self.catalog.city

    @property
    def calendar(self) -> CityCalendar:
        """The city's time zone, public holidays and calendar ranges (built once)."""
        if self._calendar is None:
            self._calendar = pack_calendar(self)
        return self._calendar

    @property
    def synthetic(self) -> bool:
        return self.catalog.city.synthetic

    def dataset(self, dataset_id: str) -> Dataset:
        return self.catalog.get(dataset_id)

    def has(self, dataset_id: str) -> bool:
        """Whether the pack holds ``dataset_id``; ``"grid:lst_day"`` also asks for a variable
        (raster) or column (vector, table) inside it."""
        ds_id, _, var = dataset_id.partition(":")
        if ds_id not in self.catalog.ids():
            return False
        if not var:
            return True
        for store in (self._rasters, self._vectors, self._tables):
            if ds_id in store:
                held = store[ds_id]
                names = held.data_vars if isinstance(held, xr.Dataset) else held.columns
                return var in names
        return False

    def vector(self, dataset_id: str) -> gpd.GeoDataFrame:
        """The dataset in EPSG:4326 (for the map)."""
        return self._get(self._vectors, dataset_id, "vector")

    def metric(self, dataset_id: str) -> gpd.GeoDataFrame:
        """The dataset in the pack's metric CRS (for areas and distances)."""
        return self._get(self._metric, dataset_id, "vector")

    def raster(self, dataset_id: str) -> xr.Dataset:
        """The raster in its native CRS (``ds.attrs['crs']``), coordinates ``x``/``y``."""
        return self._get(self._rasters, dataset_id, "raster")

    def table(self, dataset_id: str) -> pd.DataFrame:
        return self._get(self._tables, dataset_id, "table or timeseries")

    def _get(self, store: dict[str, Any], dataset_id: str, kind: str) -> Any:
        if dataset_id not in store:
            known = ", ".join(sorted(store)) or "none"
            raise KeyError(
                f"no {kind} dataset {dataset_id!r} in pack {self.city.id!r}; known: {known}"
            )
        return store[dataset_id]


# --- CRS -----------------------------------------------------------------------------------


def parse_crs(value: str) -> CRS:
    """Parse a CRS string; raise ``ValueError`` naming the value when it is unknown."""
    try:
        return CRS.from_user_input(value)
    except CRSError as err:
        raise ValueError(f"unknown CRS {value!r}") from err


def crs_label(crs: CRS) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.name


def _check_metric_crs(city: City, report: Report) -> CRS | None:
    try:
        crs = parse_crs(city.metric_crs)
    except ValueError as err:
        report.add(CITY_FILE, f"metric_crs: {err}")
        return None
    units = {ax.unit_name for ax in crs.axis_info}
    if not crs.is_projected or not units <= {"metre", "meter"}:
        report.add(
            CITY_FILE,
            f"metric_crs {city.metric_crs!r} is not a projected CRS in metres "
            f"(units: {', '.join(sorted(units)) or 'none'}); use e.g. EPSG:25832",
        )
        return None
    return crs


# --- vectors -------------------------------------------------------------------------------


def read_vector(path: Path, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read GeoJSON, GeoPackage or a zipped Shapefile with pyogrio."""
    kwargs: dict[str, Any] = {"engine": "pyogrio"}
    if layer:
        kwargs["layer"] = layer
    return gpd.read_file(path, **kwargs)


def _file_crs_matches(file_crs: CRS, declared: CRS) -> bool:
    if file_crs.equals(declared, ignore_axis_order=True):
        return True
    a, b = file_crs.to_epsg(), declared.to_epsg()
    return a is not None and a == b


def check_columns(frame: pd.DataFrame, schema: Schema, ds_id: str, report: Report) -> pd.DataFrame:
    """Check required columns, types, ranges and uniqueness; return a typed copy."""
    out = frame.copy()
    for col in schema.columns:
        if col.name not in out.columns:
            if col.required:
                have = ", ".join(str(c) for c in frame.columns if c != "geometry")
                report.add(ds_id, f"missing required column {col.name!r}; columns present: {have}")
            continue
        out[col.name] = _coerce(out, col, ds_id, report)
    for a, b in schema.not_greater:
        if a in out.columns and b in out.columns:
            bad = pd.to_numeric(out[a], errors="coerce") > pd.to_numeric(out[b], errors="coerce")
            if bad.any():
                report.add(ds_id, f"{a!r} exceeds {b!r} in {_rows(out, bad)}")
    return out


def _coerce(frame: pd.DataFrame, col: Column, ds_id: str, report: Report) -> pd.Series:
    series = frame[col.name]
    missing = series.isna()
    if col.dtype == "str":
        values = series.astype("string")
        if missing.any() and not col.allow_missing:
            report.add(ds_id, f"column {col.name!r} has empty values in {_rows(frame, missing)}")
        if col.unique:
            dup = values.duplicated(keep=False) & ~missing
            if dup.any():
                report.add(
                    ds_id, f"column {col.name!r} must be unique; duplicates in {_rows(frame, dup)}"
                )
        if col.choices:
            bad = ~values.isin(col.choices) & ~missing
            if bad.any():
                report.add(
                    ds_id,
                    f"column {col.name!r}: {values[bad].iloc[0]!r} is not one of "
                    f"{', '.join(col.choices)} (in {_rows(frame, bad)})",
                )
        return values
    numeric = pd.to_numeric(series, errors="coerce")
    wrong = numeric.isna() & ~missing
    if wrong.any():
        report.add(
            ds_id,
            f"column {col.name!r} must be {'an integer' if col.dtype == 'int' else 'a number'}; "
            f"got {series[wrong].iloc[0]!r} in {_rows(frame, wrong)}",
        )
    if missing.any() and not col.allow_missing:
        report.add(ds_id, f"column {col.name!r} has missing values in {_rows(frame, missing)}")
    if col.dtype == "int":
        frac = numeric.notna() & (numeric != np.round(numeric))
        if frac.any():
            report.add(
                ds_id,
                f"column {col.name!r} must be whole numbers; fractions in {_rows(frame, frac)}",
            )
    _range(numeric, col, frame, ds_id, report)
    return numeric


def _range(values: pd.Series, col: Column, frame: pd.DataFrame, ds_id: str, report: Report) -> None:
    """Finite values outside ``[col.min, col.max]`` (±inf: :mod:`data.pack_values`)."""
    finite = pd.Series(
        np.isfinite(values.astype("float64").to_numpy(na_value=np.nan)), index=values.index
    )
    lo = values < col.min if col.min is not None else pd.Series(False, index=values.index)
    hi = values > col.max if col.max is not None else pd.Series(False, index=values.index)
    bad = (lo | hi).fillna(False).astype(bool) & finite
    if bad.any():
        rng = f"[{col.min if col.min is not None else '-inf'}, {col.max if col.max is not None else 'inf'}]"
        report.add(
            ds_id,
            f"column {col.name!r} out of range {rng}: {values[bad].iloc[0]!r} in {_rows(frame, bad)}",
        )


def _load_vector(
    folder: Path, ds: Dataset, city: City, metric: CRS | None, report: Report
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame] | None:
    path = folder / ds.path
    if ds.crs is None:
        report.add(ds.id, 'no CRS declared in the catalog; add crs = "EPSG:…" to its entry')
        return None
    try:
        declared = parse_crs(ds.crs)
    except ValueError as err:
        report.add(ds.id, str(err))
        return None
    try:
        frame = read_vector(path, ds.layer)
    except Exception as err:  # pyogrio raises several types; the message is what matters
        report.add(ds.id, f"cannot read {ds.path!r}: {err}")
        return None
    if frame.crs is None:
        frame = frame.set_crs(declared)
    elif not _file_crs_matches(frame.crs, declared):
        report.add(
            ds.id,
            f"the catalog declares {ds.crs} but {ds.path!r} says {crs_label(frame.crs)}; "
            "fix the catalog or reproject the file",
        )
        return None
    schema = SCHEMAS.get(ds.id)
    geom = frame.geometry
    if len(frame) == 0:
        report.add(ds.id, f"{ds.path!r} has no features")
        return None
    empty = geom.isna() | geom.is_empty
    if empty.any():
        report.add(ds.id, f"empty or missing geometry in {_rows(frame, empty)}")
        return None
    invalid = ~geom.is_valid
    if invalid.any():
        reasons = shapely.is_valid_reason(geom[invalid].values)
        report.add(ds.id, f"invalid geometry in {_rows(frame, invalid)}: {reasons[0]}")
    if schema is not None and schema.geometry_types:
        wrong = ~geom.geom_type.isin(schema.geometry_types)
        if wrong.any():
            report.add(
                ds.id,
                f"expected {' or '.join(schema.geometry_types)} geometries, got "
                f"{geom[wrong].geom_type.iloc[0]} in {_rows(frame, wrong)}",
            )
    wgs = frame.to_crs(WGS84)
    _check_bbox(wgs, ds, city, report)
    if schema is not None:
        wgs = check_columns(wgs, schema, ds.id, report)
    check_frame_numbers(wgs, ds.id, report.add)
    if ds.id == "census_grid":
        check_percent_columns(wgs, ds.id, report.add)
    metric_frame = wgs.to_crs(metric) if metric is not None else wgs
    if schema is not None and metric is not None:
        check_density(metric_frame, schema, ds.id, report.add)
    return wgs, metric_frame


def _check_bbox(wgs: gpd.GeoDataFrame, ds: Dataset, city: City, report: Report) -> None:
    min_lon, min_lat, max_lon, max_lat = city.bbox
    dx, dy = (max_lon - min_lon) * BBOX_MARGIN, (max_lat - min_lat) * BBOX_MARGIN
    b = wgs.total_bounds
    if not np.all(np.isfinite(b)) or (
        b[0] < min_lon - dx or b[1] < min_lat - dy or b[2] > max_lon + dx or b[3] > max_lat + dy
    ):
        report.add(
            ds.id,
            f"geometries reach {np.round(b, 4).tolist()} (lon/lat), outside the city's bbox "
            f"{list(city.bbox)}; is the declared CRS {ds.crs} right?",
        )


# --- rasters and tables --------------------------------------------------------------------


def raster_crs(ds: xr.Dataset) -> CRS | None:
    """The CRS of a CF-style raster (``spatial_ref``/``crs`` variable with ``crs_wkt``)."""
    for name in ("spatial_ref", "crs"):
        if name in ds.variables:
            attrs = ds[name].attrs
            for key in ("crs_wkt", "spatial_ref"):
                if key in attrs:
                    return CRS.from_wkt(attrs[key])
    if "crs" in ds.attrs:
        return CRS.from_user_input(ds.attrs["crs"])
    return None


def _load_raster(folder: Path, ds: Dataset, report: Report) -> xr.Dataset | None:
    path = folder / ds.path
    try:
        with xr.open_dataset(path) as opened:
            grid = opened.load()
    except Exception as err:  # netCDF4/h5 raise many types
        report.add(ds.id, f"cannot read {ds.path!r} as NetCDF: {err}")
        return None
    try:
        file_crs = raster_crs(grid)
    except CRSError as err:
        report.add(ds.id, f"{ds.path!r} states a CRS that cannot be parsed: {err}")
        return None
    declared = None
    if ds.crs is not None:
        try:
            declared = parse_crs(ds.crs)
        except ValueError as err:
            report.add(ds.id, str(err))
            return None
    if file_crs is None and declared is None:
        report.add(
            ds.id, "no CRS: neither the catalog nor the file (spatial_ref/crs_wkt) states one"
        )
        return None
    if file_crs is not None and declared is not None and not _file_crs_matches(file_crs, declared):
        report.add(
            ds.id, f"the catalog declares {ds.crs} but {ds.path!r} says {crs_label(file_crs)}"
        )
        return None
    crs = declared or file_crs
    assert crs is not None
    schema = SCHEMAS.get(ds.id)
    if schema is not None:
        known = {c.name for c in schema.columns}
        if schema.columns and not known & set(map(str, grid.data_vars)):
            report.add(
                ds.id,
                f"holds none of the known variables ({', '.join(sorted(known))}); "
                f"variables present: {sorted(map(str, grid.data_vars))}",
            )
        for dim in schema.dims:
            if dim not in grid.dims:
                report.add(
                    ds.id, f"missing dimension {dim!r}; dimensions present: {list(grid.dims)}"
                )
        for col in schema.columns:
            if col.name not in grid.data_vars:
                if col.required:
                    report.add(
                        ds.id,
                        f"missing variable {col.name!r}; variables present: {sorted(map(str, grid.data_vars))}",
                    )
                continue
            values = grid[col.name].values
            if not np.issubdtype(values.dtype, np.number):
                report.add(
                    ds.id, f"variable {col.name!r} must be numeric, got dtype {values.dtype}"
                )
                continue
            nan = np.isnan(values.astype(float))
            if nan.any() and not col.allow_missing:
                report.add(ds.id, f"variable {col.name!r} has {int(nan.sum())} missing cells")
            finite = values[np.isfinite(values.astype(float))]
            if finite.size:
                lo, hi = float(finite.min()), float(finite.max())
                if (col.min is not None and lo < col.min) or (col.max is not None and hi > col.max):
                    report.add(
                        ds.id,
                        f"variable {col.name!r} out of range [{col.min}, {col.max}]: "
                        f"values span {lo:.4g} to {hi:.4g}",
                    )
    check_raster_numbers(grid, schema, ds.id, report.add)
    grid.attrs["crs"] = crs.to_wkt()
    grid.attrs["crs_label"] = crs_label(crs)
    return grid


def read_table_file(path: Path, str_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """Tables in packs are UTF-8 CSV with ``,`` or Parquet (what ``Stage`` writes).

    ``str_columns`` are read as text, so ids like ``"01"`` keep their leading zeros.
    """
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
        for col in str_columns:
            if col in frame.columns:
                frame[col] = frame[col].astype("string")
        return frame
    return pd.read_csv(
        path, dtype_backend="numpy_nullable", dtype={c: "string" for c in str_columns}
    )


def _load_table(folder: Path, ds: Dataset, report: Report) -> pd.DataFrame | None:
    try:
        schema = SCHEMAS.get(ds.id)
        text_cols = tuple(c.name for c in schema.columns if c.dtype == "str") if schema else ()
        frame = read_table_file(folder / ds.path, text_cols)
    except Exception as err:
        report.add(ds.id, f"cannot read {ds.path!r} as CSV: {err}")
        return None
    schema = SCHEMAS.get(ds.id)
    if schema is not None:
        frame = check_columns(frame, schema, ds.id, report)
    check_frame_numbers(frame, ds.id, report.add)
    if ds.kind == "timeseries":
        if "time" not in frame.columns:
            report.add(ds.id, "a timeseries needs a 'time' column (ISO 8601 with offset)")
        else:
            if isinstance(frame["time"].dtype, pd.DatetimeTZDtype):
                times = frame["time"].dt.tz_convert("UTC")
            else:
                times = pd.to_datetime(frame["time"], errors="coerce", utc=True)
            bad = times.isna()
            if bad.any():
                report.add(ds.id, f"unparseable times in {_rows(frame, bad)}")
            frame["time"] = times
    return frame


# --- the whole pack ------------------------------------------------------------------------


def pack_version(folder: Path, catalog: Catalog) -> str:
    """A short hash of ``city.toml`` and every dataset file."""
    h = hashlib.sha256((folder / CITY_FILE).read_bytes())
    for ds in catalog.datasets:
        path = inside_pack(folder, ds.path)
        if path is not None and path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _load(folder: Path) -> tuple[Report, CityPack | None]:
    folder = Path(folder)
    report = Report(str(folder))
    try:
        catalog = read_catalog(folder)
    except CatalogError as err:
        for msg in err.problems:
            if msg.startswith("dataset '"):
                # "dataset 'x': missing licence" or "dataset 'x' title: missing …"
                ds_id, _, rest = msg[len("dataset '") :].partition("'")
                report.add(ds_id, rest.removeprefix(":").strip())
            else:
                report.add(CITY_FILE, msg)
        return report, None
    metric = _check_metric_crs(catalog.city, report)
    check_place(catalog, report.add, report.warn)
    pack = CityPack(folder, catalog, pack_version(folder, catalog))
    for ds in catalog.datasets:
        report.checked.append(ds.id)
        if inside_pack(folder, ds.path) is None:
            report.add(
                ds.id,
                f"path {ds.path!r} leads outside the pack folder (a symbolic link?); a pack "
                "may only use files inside its own folder",
            )
            continue
        if not (folder / ds.path).is_file():
            report.add(ds.id, f"file {ds.path!r} not found in {str(folder)!r}")
            continue
        schema = SCHEMAS.get(ds.id)
        if (
            schema is not None
            and schema.kind != ds.kind
            and not (schema.kind == "table" and ds.kind == "timeseries")
        ):
            report.add(ds.id, f"kind must be {schema.kind!r} for this dataset id, got {ds.kind!r}")
            continue
        if ds.kind == "vector":
            frames = _load_vector(folder, ds, catalog.city, metric, report)
            if frames is not None:
                pack._vectors[ds.id], pack._metric[ds.id] = frames
        elif ds.kind == "raster":
            grid = _load_raster(folder, ds, report)
            if grid is not None:
                pack._rasters[ds.id] = grid
        else:
            table = _load_table(folder, ds, report)
            if table is not None:
                pack._tables[ds.id] = table
    check_calendar_tables(catalog, pack._tables, report.add)
    return report, (pack if report.ok else None)


def validate_pack(folder: Path | str) -> Report:
    """Check a pack completely; never raises for bad data, only reports it."""
    return _load(Path(folder))[0]


def load_pack(folder: Path | str) -> CityPack:
    """Load a pack, raising :class:`PackError` (with the full report) when it is invalid."""
    report, pack = _load(Path(folder))
    if pack is None:
        raise PackError(report)
    return pack


def to_geojson(frame: gpd.GeoDataFrame) -> dict[str, Any]:
    """A GeoJSON dict (RFC 7946, EPSG:4326) of a frame."""
    out: dict[str, Any] = json.loads(frame.to_crs(WGS84).to_json(drop_id=True))
    return out
