"""How real district boundaries and a statistics table become a pack's ``districts`` dataset.

Cities publish district polygons (GeoJSON, GeoPackage, zipped Shapefile, any CRS) and,
separately, statistics per district as a CSV keyed by the district number. This module
joins the two on that key, checks that every district has its numbers, and writes the
``districts`` vector and a ``district_stats`` table into a city pack through
:func:`data.writer.staged_pack` — so a failed import leaves an existing pack unchanged.

The join is described by a :class:`DistrictImport`: which key columns to match, which
column holds the names, and how each target column (``population``, ``pop_65plus``, …) is
computed from the statistics (a column, or several summed with ``" + "``).

The steps live in sibling modules: :mod:`~data.importers.districts_spec` (the spec, its
checks and :class:`DistrictsError`), :mod:`~data.importers.districts_read` (read both
files, settle the boundary CRS), :mod:`~data.importers.districts_join` (filter, key and
join), :mod:`~data.importers.districts_values` (typed, checked values) and
:mod:`~data.importers.districts_write` (city, catalog, staged write). :data:`IMPORTER`
declares ``allmende import districts``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from data.importers import base
from data.importers.base import Importer, Option
from data.importers.common import normalise_key
from data.importers.districts_join import filter_stats, join, key_boundaries, key_stats
from data.importers.districts_read import read_boundaries, read_stats, resolve_columns
from data.importers.districts_spec import (
    COUNT_TARGETS,
    DISTRICTS_PATH,
    GENERATED_BY,
    REQUIRED_TARGETS,
    RESERVED,
    STATS_PATH,
    YEAR_COLUMNS,
    DistrictImport,
    DistrictsError,
    check_files,
    check_spec,
    parse_mapping,
)
from data.importers.districts_values import district_attributes
from data.importers.districts_write import (
    build_outputs,
    dataset_entries,
    existing_catalog,
    resolve_city,
    utm_crs,
    warn_provenance,
    write_pack,
)
from data.pack import WGS84, read_vector

__all__ = [
    "COUNT_TARGETS",
    "DISTRICTS_PATH",
    "GENERATED_BY",
    "IMPORTER",
    "REQUIRED_TARGETS",
    "RESERVED",
    "STATS_PATH",
    "YEAR_COLUMNS",
    "DistrictImport",
    "DistrictsError",
    "ImportResult",
    "import_districts",
    "normalise_key",
    "parse_mapping",
    "run",
    "utm_crs",
]


@dataclass
class ImportResult:
    """What an import did.

    Attributes
    ----------
    pack : Path
        The pack folder written.
    n_districts : int
        Districts imported.
    unmatched_boundaries : list of str
        Boundary keys without statistics (always empty after a successful import: they are
        an error).
    unmatched_stats : list of str
        Statistics keys without a boundary (e.g. city total, state, "not assigned").
    warnings : list of str
        Everything worth a second look.
    n_boundaries : int
        Features read from the boundary file.
    n_stats_rows : int
        Rows read from the statistics file (before filters).
    repaired : list of str
        Keys (or ``feature N``) of boundaries whose invalid geometry was repaired.
    """

    pack: Path
    n_districts: int
    unmatched_boundaries: list[str] = field(default_factory=list)
    unmatched_stats: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    n_boundaries: int = 0
    n_stats_rows: int = 0
    repaired: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """What the command line printed for this import (warnings are listed separately)."""
        return [f"imported {self.n_districts} districts into {self.pack}"]


def import_districts(
    boundaries: Path,
    stats: Path,
    out: Path,
    spec: DistrictImport,
    *,
    city_name: str | None = None,
    metric_crs: str | None = None,
    licence: str = "unknown",
    attribution: str = "",
    source: str | None = None,
    encoding: str | None = None,
) -> ImportResult:
    """Join district boundaries and statistics and write them into the pack at ``out``.

    Parameters
    ----------
    boundaries : Path
        GeoJSON, GeoPackage or zipped Shapefile (``.zip``), any CRS.
    stats : Path
        Statistics CSV, read with :func:`data.german_csv.read_german_csv`.
    out : Path
        Pack folder. Created if absent (``city_name`` is then required); otherwise the
        ``districts`` and ``district_stats`` datasets are added or replaced and everything
        else is kept.
    spec : DistrictImport
        Key, name and target columns, filters; ``spec.source_crs`` wins over the CRS the
        file states (a differing one is a warning) and is required when it states none.
    city_name : str, optional
        Name of a new city pack (its id is derived from it).
    metric_crs : str, optional
        Metric CRS of a new pack; default: the UTM zone of the districts' centre.
    licence, attribution, source : str
        Provenance of the data, written to the catalog entries.
    encoding : str, optional
        Encoding of the statistics CSV (default: detected).

    Returns
    -------
    ImportResult

    Raises
    ------
    DistrictsError
        (an :class:`~data.importers.base.ImporterError`) naming the file and where in it:
        unreadable files, unknown columns (with close matches), duplicate keys, districts
        without statistics, non-numeric values, no CRS stated or given.
        :class:`data.pack.PackError` if the result does not validate. The pack is unchanged.
    """
    boundaries, stats, out = Path(boundaries), Path(stats), Path(out)
    warnings: list[str] = []
    repaired: list[str] = []
    check_files(boundaries, stats)
    check_spec(spec)
    geo = read_boundaries(boundaries, spec, warnings, repaired)
    table = read_stats(stats, encoding)
    name, targets = resolve_columns(geo, table, spec, boundaries, stats)
    keyed = key_stats(filter_stats(table, spec.filters, stats), spec, stats, warnings)
    geo = key_boundaries(geo, spec, boundaries)
    joined, unmatched_stats = join(geo, keyed, spec, (boundaries, stats), warnings)
    attrs = district_attributes(joined, spec, name, targets, warnings)

    wgs = geo.to_crs(WGS84)
    existing = existing_catalog(out)
    city, metric = resolve_city(out, existing, wgs, city_name, metric_crs, warnings)
    districts, table_out = build_outputs(attrs, geo, wgs, metric)
    warn_provenance(licence, attribution, warnings)
    entries = dataset_entries(existing, spec, (boundaries, stats), licence, attribution, source)
    write_pack(out, city, existing, entries, (districts, table_out), warnings)
    return ImportResult(
        pack=out,
        n_districts=len(districts),
        unmatched_boundaries=[],
        unmatched_stats=unmatched_stats,
        warnings=warnings,
        n_boundaries=len(geo),
        n_stats_rows=len(table),
        repaired=repaired,
    )


# --- the importer contract -----------------------------------------------------------------


def run(
    pack: Path,
    *,
    boundaries: Path,
    stats: Path,
    boundary_key: str,
    stats_key: str,
    name_col: str,
    column: list[str] | None = None,
    filter: list[str] | None = None,
    layer: str | None = None,
    source_crs: str | None = None,
    city_name: str | None = None,
    metric_crs: str | None = None,
    licence: str = "unknown",
    attribution: str = "",
    source: str | None = None,
    encoding: str | None = None,
) -> base.ImportResult:
    """``allmende import districts``: :func:`import_districts` as an :class:`ImportResult`.

    ``written`` is counted from the ``districts`` GeoJSON as it stands in the pack after the
    import; ``dropped`` lists the statistics keys without a boundary.
    """
    spec = DistrictImport(
        boundary_key=boundary_key,
        stats_key=stats_key,
        name_col=name_col,
        columns=parse_mapping(list(column or []), "--column"),
        filters=parse_mapping(list(filter or []), "--filter"),
        layer=layer,
        source_crs=source_crs,
    )
    native = import_districts(
        Path(boundaries),
        Path(stats),
        Path(pack),
        spec,
        city_name=city_name,
        metric_crs=metric_crs,
        licence=licence,
        attribution=attribution,
        source=source,
        encoding=encoding,
    )
    written = _written_districts(Path(pack))
    return base.ImportResult(
        importer="districts",
        pack=Path(pack),
        datasets=("districts", "district_stats"),
        files=(str(boundaries), str(stats)),
        read=native.n_boundaries,
        written=written,
        unit="districts",
        warnings=list(native.warnings),
        repaired=list(native.repaired),
        dropped=list(native.unmatched_stats),
        details=[
            *native.lines(),
            f"statistics rows read: {native.n_stats_rows}, left out (no boundary): "
            f"{len(native.unmatched_stats)}",
        ],
        native=native,
    )


def _written_districts(pack: Path) -> int:
    """Features of the ``districts`` dataset as the pack now holds it."""
    catalog = existing_catalog(pack)
    path = catalog.get("districts").path if catalog is not None else DISTRICTS_PATH
    return len(read_vector(pack / path))


def _options() -> tuple[Option, ...]:
    return (
        Option(
            "boundaries",
            "GeoJSON, GeoPackage or zipped Shapefile, any CRS",
            type=Path,
            required=True,
            input=True,
        ),
        Option(
            "stats",
            "statistics CSV (; or , separated, decimal comma ok)",
            type=Path,
            required=True,
            input=True,
        ),
        Option("boundary_key", "key column in the boundaries", required=True),
        Option("stats_key", "key column in the statistics", required=True),
        Option("name_col", "district name column", required=True),
        Option(
            "column",
            'e.g. population="Einwohner insgesamt"; EXPR may sum columns with " + "',
            multiple=True,
            metavar="TARGET=EXPR",
        ),
        Option("filter", "e.g. year=2017", multiple=True, metavar="COL=VALUE"),
        Option("layer", "GeoPackage layer"),
        Option(
            "source_crs",
            "CRS of the boundary coordinates; wins over the CRS the file states (with a "
            "warning), required when it states none",
        ),
        Option("city_name", "city name (needed for a new pack)"),
        Option("metric_crs", "metric CRS for a new pack (default: the UTM zone)"),
        Option("licence", "licence of the data", default="unknown"),
        Option("attribution", "attribution required by the licence", default=""),
        Option("source", "where the data comes from (URL or citation)"),
        Option("encoding", "statistics file encoding (default: detected)"),
    )


IMPORTER = Importer(
    name="districts",
    summary="district boundaries + a statistics CSV joined on a key",
    formats=("GeoJSON", "GeoPackage", "zipped Shapefile", "CSV"),
    datasets=("districts", "district_stats"),
    options=_options(),
    run=run,
    pack_help="pack folder (created if absent; then --city-name is needed)",
    pack_aliases=("--out",),
)
