"""How many people live in each census grid cell, and what are they like?

The German census (Zensus 2011, reference date 9 May 2011; Zensus 2022, 15 May 2022)
publishes results on the INSPIRE grid in EPSG:3035 (ETRS89-LAEA) as CSV files, one row per
cell: an id column (``Gitter_ID_100m``/``Gitter_ID_1km`` in 2011, ``GITTER_ID_100m``/
``GITTER_ID_1km``/``GITTER_ID_10km`` in 2022), the cell centre (``x_mp_…``, ``y_mp_…``,
metres) and one or more variables (``Einwohner`` = persons; ``…_A`` = shares in per cent;
``…_D`` = means, e.g. ``Alter_D`` in years, ``Wohnfl_Bew_D`` in m² per resident).
:func:`read_zensus_grid` reads any of them — 100 m, 1 km or 10 km (detected from the column
names), ``;`` or ``,`` or tab separated (sniffed), decimal comma or point, UTF-8 (with or
without BOM) or Windows-1252/Latin-1 — into square cell polygons (centre ± half a cell).

Special values are codes, never numbers. They are counted per column in a
:class:`ZensusReport` and become ``NaN``, with one documented exception:

* ``-1`` — in the 2011 1 km "Spitze Werte" file: no inhabitants, or the variable does not
  apply (the mean age of nobody). There the file lists every cell of Germany, populated or
  not, so ``-1`` in ``Einwohner`` means an uninhabited cell: **population 0 persons**; in
  every other column it is ``NaN``. The 2011 100 m population file lists inhabited cells
  only, so ``-1`` there cannot mean "nobody lives here": it marks a count withheld for
  confidentiality, and the population is ``NaN`` (unknown, small).
* ``-9`` (2011) and a dash ``–``/``-``/``—`` (2022) — suppressed for confidentiality:
  ``NaN``.
* an empty cell — no value: ``NaN``.

:func:`import_census` writes the cells that intersect the pack's city bounding box as the
``census_grid`` dataset (stored, like every pack vector, as GeoJSON in EPSG:4326; the
squares are exact in EPSG:3035) and, in the same staged write, their population spread by
area onto the pack's grid as the variable ``population`` of ``grid``
(:mod:`data.importers.zensus_grid`; the grid is created over the city's bounding box when the
pack has none). ``census_grid`` is the census as published, ``grid:population`` what the
maps and the heat indicators read. :func:`census_to_districts` aggregates cells to district
polygons: area-weighted population and population-weighted means of the other variables.

The CRS is not an option: the Zensus format defines it (EPSG:3035 grid codes and
ETRS89-LAEA centre coordinates), and cells outside Germany in EPSG:3035 are refused.

The import is split read → check → convert → write: :mod:`data.importers.zensus_read`
(decoding, columns, cells), :mod:`data.importers.zensus_check` (header, year, coordinates,
ids, values), :mod:`data.importers.zensus_districts` (aggregation) and this module (the
catalog entry, the write through :func:`data.writer.staged_pack`, and :data:`IMPORTER`).
Every error is a :class:`ZensusError` (an :class:`~data.importers.base.ImporterError`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import shapely

from data.catalog import Catalog, Dataset, Temporal
from data.importers.base import Importer, ImportResult, Option
from data.importers.common import bbox_in_crs, bbox_polygon, read_pack_catalog
from data.importers.rasters import positive_metres
from data.importers.rasters_report import DEFAULT_CELL_M, GRID_ID
from data.importers.zensus_districts import census_to_districts
from data.importers.zensus_grid import place_population
from data.importers.zensus_read import read_zensus_grid
from data.importers.zensus_report import (
    CENSUS_PATH,
    DASHES,
    DATASET_ID,
    GENERATED_BY,
    GERMANY_3035,
    LICENCE,
    POPULATION_COLUMN,
    REFERENCE_DATES,
    RESOLUTIONS,
    ZENSUS_CRS,
    CensusImportResult,
    CodeCounts,
    ZensusError,
    ZensusGrid,
    ZensusReport,
    resolution_label,
)
from data.writer import staged_pack

__all__ = [
    "CENSUS_PATH",
    "DASHES",
    "DATASET_ID",
    "GENERATED_BY",
    "GERMANY_3035",
    "IMPORTER",
    "LICENCE",
    "POPULATION_COLUMN",
    "REFERENCE_DATES",
    "RESOLUTIONS",
    "ZENSUS_CRS",
    "CensusImportResult",
    "CodeCounts",
    "ZensusError",
    "ZensusGrid",
    "ZensusReport",
    "census_to_districts",
    "import_census",
    "read_zensus_grid",
    "run",
]


# --- the import ----------------------------------------------------------------------------


def _entry(existing: Catalog, report: ZensusReport, n_cells: int, source: str | None) -> Dataset:
    """The catalog entry of ``census_grid``."""
    year, res = report.year, resolution_label(report.resolution_m)
    path = CENSUS_PATH
    for ds in existing.datasets:
        if ds.id == DATASET_ID and ds.path.endswith(".geojson") and not ds.layer:
            path = ds.path
    variables = [c for c in report.codes if c != report.population_column]
    extra_de = f" Weitere Spalten: {', '.join(variables)}." if variables else ""
    extra_en = f" Further columns: {', '.join(variables)}." if variables else ""
    if report.minus_one_population == "no inhabitants":
        pop_de = "-1 bei Einwohnern = unbewohnt (0 Personen)"
        pop_en = "-1 in Einwohner = uninhabited (0 persons)"
    else:
        pop_de = "-1 bei Einwohnern = aus Geheimhaltungsgründen gesperrt (unbekannt)"
        pop_en = "-1 in Einwohner = withheld for confidentiality (unknown)"
    date = REFERENCE_DATES[year]
    return Dataset(
        id=DATASET_ID,
        title={
            "de": f"Zensus {year}: Einwohner im {res}-Gitter",
            "en": f"Census {year}: population on the {res} grid",
        },
        kind="vector",
        path=path,
        crs=None,
        licence=LICENCE,
        attribution=f"© Statistisches Bundesamt (Destatis), Zensus {year}",
        source=source or report.file,
        generated_by=GENERATED_BY,
        temporal=Temporal(date, date),
        description={
            "de": (
                f"{n_cells} Gitterzellen ({res}) aus {report.file}, die das Stadtgebiet "
                f"(Begrenzungsrechteck) berühren. Zellen sind Quadrate in EPSG:3035 "
                f"(ETRS89-LAEA), gespeichert in EPSG:4326. population = Einwohner "
                f"(Personen); {pop_de}; -9 und – = geheim gehalten, sonst -1 = nicht "
                f"zutreffend: jeweils leer (NaN). Anteile (_A) in Prozent, Mittelwerte (_D) "
                f"in der Einheit der Quelle.{extra_de}"
            ),
            "en": (
                f"{n_cells} grid cells ({res}) from {report.file} touching the city's "
                f"bounding box. Cells are squares in EPSG:3035 (ETRS89-LAEA), stored in "
                f"EPSG:4326. population = Einwohner (persons); {pop_en}; -9 and – = "
                f"suppressed, other -1 = not applicable: all empty (NaN). Shares (_A) in "
                f"per cent, means (_D) in the source's unit.{extra_en}"
            ),
        },
    )


def import_census(
    pack_folder: Path | str,
    path: Path | str,
    clip: bool = True,
    *,
    year: int | None = None,
    encoding: str | None = None,
    source: str | None = None,
    cell_size: float | None = None,
) -> CensusImportResult:
    """Write a Zensus grid file into the pack as ``census_grid`` and ``grid:population``.

    The cells as published become the ``census_grid`` vector dataset; their population,
    spread by area over the pack's grid (created over the city's bounding box if the pack
    has none), becomes the grid variable ``population`` that the population-grid layer, the
    grid-level heat vulnerability index and the justice view read
    (:mod:`data.importers.zensus_grid`). Both are written in one staged write.

    Parameters
    ----------
    pack_folder : Path or str
        An existing city pack.
    path : Path or str
        The Zensus CSV (see :func:`read_zensus_grid`).
    clip : bool
        Keep only the cells intersecting the city's bounding box (default). Without
        clipping every cell is written, and cells far outside the bbox fail validation.
    year : {2011, 2022}, optional
        The census (default: detected).
    encoding : str, optional
        Text encoding (default: detected).
    source : str, optional
        Where the file comes from (URL); default: the file name.
    cell_size : float, optional
        Cell edge (metres) of a new grid when the pack has none (default 100 m, as for
        ``allmende import raster``); ignored, with a warning, when the pack has a grid.

    Returns
    -------
    CensusImportResult

    Raises
    ------
    ValueError
        Everything :func:`read_zensus_grid` raises; a folder that is not a pack; a file
        without an ``Einwohner`` column; no cell inside the city's bbox.
        :class:`data.pack.PackError` if the result does not validate. The pack is
        unchanged in every case.
    """
    folder, path = Path(pack_folder), Path(path)
    catalog = read_pack_catalog(folder)
    city = catalog.city
    bounds = bbox_in_crs(city, ZENSUS_CRS) if clip else None
    grid = read_zensus_grid(path, year=year, encoding=encoding, bounds=bounds)
    report = grid.report
    if report.population_column is None:
        raise ZensusError(
            "no 'Einwohner' column; census_grid needs the population per cell "
            "(a Zensus population file such as Zensus2022_Bevoelkerungszahl_100m-Gitter.csv)",
            file=path,
            where="header",
            expected="an 'Einwohner' column",
            found=", ".join(report.codes) or "no variable columns",
        )
    cells = grid.cells
    if clip:
        inside = shapely.intersects(cells.geometry.values, bbox_polygon(city, ZENSUS_CRS))
        cells = cells[np.asarray(inside)].reset_index(drop=True)
        if cells.empty:
            raise ZensusError(
                f"none of its {report.n_cells} cells lies in the city's bounding box "
                f"{list(city.bbox)} (lon/lat); is it the file for this region?",
                file=path,
                expected="cells inside the city's bounding box",
                found="none",
            )
    entry = _entry(catalog, report, len(cells), source)
    placed = place_population(folder, catalog, cells, report, cell_size, entry.attribution)
    with staged_pack(folder) as stage:
        stage.put_vector(entry, cells)
        stage.put_raster(placed.entry, placed.grid)
    population = float(np.nansum(cells["population"].to_numpy(dtype=float)))
    return CensusImportResult(
        pack=folder,
        n_cells=len(cells),
        n_read=report.n_cells,
        population=population,
        report=report,
        warnings=[*report.warnings, *placed.notes, *stage.notes],
        grid_line=placed.line(),
    )


# --- the importer spec -----------------------------------------------------------------------


def run(
    pack: Path,
    *,
    file: Path | str,
    year: int | None = None,
    no_clip: bool = False,
    encoding: str | None = None,
    source: str | None = None,
    cell_size: float | None = None,
    **unknown: Any,
) -> ImportResult:
    """:func:`import_census` as the contract runs it (``allmende import census``).

    ``read`` is the number of cells (rows) in the file, ``written`` the number of cells
    written into ``census_grid`` (those touching the city's bounding box unless
    ``no_clip``); ``details`` are the lines ``allmende import census`` printed before.
    """
    if unknown:
        raise ZensusError(
            f"unknown option(s) {', '.join(sorted(unknown))}",
            file=file,
            expected=", ".join(o.name for o in IMPORTER.options),
        )
    native = import_census(
        pack,
        file,
        clip=not no_clip,
        year=year,
        encoding=encoding,
        source=source,
        cell_size=cell_size,
    )
    return ImportResult(
        importer=IMPORTER.name,
        pack=native.pack,
        datasets=(DATASET_ID, GRID_ID),
        files=(str(file),),
        read=native.n_read,
        written=native.n_cells,
        unit="cells",
        warnings=list(native.warnings),
        details=native.lines(),
        native=native,
    )


IMPORTER = Importer(
    name="census",
    summary=(
        "a Zensus 2011/2022 grid CSV as census_grid, and its population spread onto the "
        "pack's grid as grid:population (its CRS is EPSG:3035, fixed by the Zensus grid "
        "codes, so there is no CRS option)"
    ),
    formats=("Zensus 2011/2022 grid CSV (100 m, 1 km or 10 km cells; ';', ',' or tab)",),
    # the dataset it owns; it also writes the grid variable population (the result names
    # "grid"), but the grid is declared by the raster importer, which adds any variable
    datasets=(DATASET_ID,),
    variables=("grid:population",),
    options=(
        Option(
            "file",
            "Zensus grid CSV (100 m or 1 km); coordinates are EPSG:3035 by definition",
            type=Path,
            required=True,
            input=True,
        ),
        Option("year", "census year (default: detected)", type=int, choices=(2011, 2022)),
        Option("no_clip", "keep every cell, not only those in the city bbox", flag=True),
        Option("encoding", "file encoding (default: detected)"),
        Option("source", "where the file comes from (URL)"),
        Option(
            "cell_size",
            "cell size in metres of the grid the population is put on, when the pack has no "
            f"grid yet (default {DEFAULT_CELL_M:g}); an existing grid keeps its cells",
            type=positive_metres,
            metavar="METRES",
        ),
    ),
    run=run,
)
