"""CLI for gridded data: ``allmende import census``, ``import raster`` and ``import facilities``.

Each command adds one dataset to an existing pack and prints what it did (cells, coverage,
regridding method, facilities per kind). Exit status 0 on success; 1 with "import failed;
the pack was not changed: …" for bad input or a result that does not validate.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

METHODS = ("bilinear", "average", "nearest")
FORMATS = ("osm", "table")


def _run(action: Callable[[], list[str]]) -> int:
    """Run an import; print its summary (exit 0) or why it failed (exit 1)."""
    from data.pack import PackError

    try:
        lines = action()
    except PackError as err:
        print(f"import failed; the pack was not changed:\n{err.report.to_text()}", file=sys.stderr)
        return 1
    except (ValueError, FileNotFoundError, KeyError, OSError) as err:
        print(f"import failed; the pack was not changed: {err}", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return 0


def import_census_command(args: argparse.Namespace) -> int:
    """``allmende import census``."""
    from data.importers.zensus import import_census

    def action() -> list[str]:
        result = import_census(
            args.pack,
            args.file,
            clip=not args.no_clip,
            year=args.year,
            encoding=args.encoding,
            source=args.source,
        )
        report = result.report
        return [
            *report.lines(),
            f"imported {result.n_cells} of {result.n_read} cells ({result.population:,.0f} "
            f"persons) as census_grid into {result.pack} "
            f"(Zensus {report.year}, licence dl-de/by-2-0)",
        ]

    return _run(action)


def import_raster_command(args: argparse.Namespace) -> int:
    """``allmende import raster``."""
    from data.importers.rasters import import_raster

    def action() -> list[str]:
        result = import_raster(
            args.pack,
            args.file,
            args.variable,
            method=args.method,
            band=args.band,
            source_crs=args.source_crs,
            from_kelvin=args.from_kelvin,
            cell_size=args.cell_size,
            source_variable=args.source_variable,
            licence=args.licence,
            attribution=args.attribution,
        )
        return [*result.lines(), f"imported {result.variable} into the grid of {result.pack}"]

    return _run(action)


def import_facilities_command(args: argparse.Namespace) -> int:
    """``allmende import facilities``."""
    from data.importers.facilities import import_facilities

    def action() -> list[str]:
        result = import_facilities(
            args.pack,
            args.file,
            args.facilities_format,
            kind_col=args.kind_col,
            name_col=args.name_col,
            x_col=args.x_col,
            y_col=args.y_col,
            id_col=args.id_col,
            crs=args.crs,
            encoding=args.encoding,
            licence=args.licence,
            attribution=args.attribution,
            source=args.source,
        )
        kinds = ", ".join(f"{k} {n}" for k, n in result.by_kind().items())
        return [
            *result.read.lines(),
            *(f"warning: {w}" for w in result.warnings if w not in result.read.warnings),
            f"imported {result.n_facilities} facilities ({kinds}) into {result.pack}",
        ]

    return _run(action)


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def register_import(isub: Any) -> None:
    """Add ``import census``, ``import raster`` and ``import facilities``."""
    p = isub.add_parser("census", help="a Zensus 2011/2022 grid CSV as census_grid")
    p.add_argument("--pack", type=Path, required=True, help="existing pack folder")
    p.add_argument("--file", type=Path, required=True, help="Zensus grid CSV (100 m or 1 km)")
    p.add_argument("--year", type=int, choices=(2011, 2022), help="census year (default: detected)")
    p.add_argument(
        "--no-clip", action="store_true", help="keep every cell, not only those in the city bbox"
    )
    p.add_argument("--encoding", help="file encoding (default: detected)")
    p.add_argument("--source", help="where the file comes from (URL)")
    p.set_defaults(func=import_census_command)

    p = isub.add_parser("raster", help="a GeoTIFF/NetCDF regridded onto the pack's grid")
    p.add_argument("--pack", type=Path, required=True, help="existing pack folder")
    p.add_argument("--file", type=Path, required=True, help="GeoTIFF or NetCDF")
    p.add_argument("--variable", required=True, help="grid variable to write, e.g. lst_day")
    p.add_argument("--band", type=int, default=1, help="1-based band / time index (default 1)")
    p.add_argument(
        "--method", choices=METHODS, default="bilinear", help="regridding (default bilinear)"
    )
    p.add_argument("--source-crs", help="CRS of a raster that states none, e.g. EPSG:3035")
    p.add_argument("--from-kelvin", action="store_true", help="convert Kelvin to °C")
    p.add_argument(
        "--cell-size",
        type=_positive,
        help="cell size in metres of a new grid (when the pack has none; default 100)",
    )
    p.add_argument("--source-variable", help="NetCDF variable to read (default: --variable)")
    p.add_argument("--licence", help="licence of the raster")
    p.add_argument("--attribution", help="attribution required by the licence")
    p.set_defaults(func=import_raster_command)

    p = isub.add_parser("facilities", help="kitas, schools, care homes, hospitals (OSM or table)")
    p.add_argument("--pack", type=Path, required=True, help="existing pack folder")
    p.add_argument("--file", type=Path, required=True, help="OSM GeoJSON export or table")
    p.add_argument(
        "--format",
        dest="facilities_format",
        choices=FORMATS,
        default="osm",
        help="osm (tags such as amenity=school) or table (kind/name/x/y columns); default osm",
    )
    p.add_argument("--kind-col", default="kind", help="table: kind column (default kind)")
    p.add_argument("--name-col", default="name", help="table: name column (default name)")
    p.add_argument("--x-col", default="x", help="table: x / longitude column (default x)")
    p.add_argument("--y-col", default="y", help="table: y / latitude column (default y)")
    p.add_argument("--id-col", help="table: id column (default: generated)")
    p.add_argument("--crs", default="EPSG:4326", help="table: CRS of x/y (default EPSG:4326)")
    p.add_argument("--encoding", help="table: CSV encoding (default: detected)")
    p.add_argument("--licence", help="licence (default for OSM: ODbL-1.0)")
    p.add_argument("--attribution", help="attribution (default for OSM: © OpenStreetMap…)")
    p.add_argument("--source", help="where the file comes from (URL)")
    p.set_defaults(func=import_facilities_command)
