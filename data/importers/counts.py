"""How pedestrian count files become the pack's ``footfall_counts`` (and ``footfall_sites``).

Four formats are read into the house format of :mod:`data.footfall` (``site_id``, ``time`` as
UTC hour starts, ``count`` with ``NaN`` for gaps):

* ``hystreet`` — the hystreet.com CSV export (``;``, German headers such as
  ``Zeitpunkt der Messung`` with offsets like ``2022-05-01 00:00:00 +0200`` and
  ``Fußgänger insgesamt``). Headers are matched robustly: ``ß``/``ä``/``º`` may be damaged
  (U+FFFD) or transliterated. The site id is the slug of the ``Lage`` value
  (``"Steinstraße, Moers"`` → ``steinstrasse-moers``). ``temperature`` (°C) and ``weather``
  are kept as optional columns. Direction and adult/child columns are ignored: the count is
  ``Fußgänger insgesamt``.
* ``hystreet-json`` — hystreet API v2 ``/locations/{id}/measurements`` responses
  (``measured_at``, ``total_count``, ``weather_conditions``); ``/locations/{id}`` and
  ``/locations`` responses among the files give the site names (and coordinates if present).
* ``sensorthings`` — OGC SensorThings API v1.1 JSON: an ``Observations`` collection
  (``value`` list), a ``Datastream`` with ``Observations`` expanded, or ``Things`` with
  ``Locations`` and ``Datastreams/Observations`` expanded. ``phenomenonTime`` may be an
  instant or an interval ``start/end`` (one hour). Pages linked by ``@iot.nextLink`` are
  read when they are among the files; otherwise a warning says the data are incomplete.
* ``long`` — a generic CSV with a site, a time and a count column (names configurable).
  Times with an offset are taken as they are; naive times are local times in ``tz``. The
  repeated autumn hour is resolved by a flag column (``dst``/``is_dst``/``summer_time``:
  true for the first, summer-time pass) or else by the ``ambiguous`` policy.

Naive local times on daylight-saving days (any format): the repeated autumn hour, given once,
twice or not at all, is read under ``ambiguous`` (``first``, the default: a single row is the
summer-time hour, a doubled one is read in file order; ``last``, ``sum``, ``drop``,
``raise``), a row in the skipped spring hour under ``nonexistent`` (``shift``, the default:
moved forward by the jump; ``drop``, ``raise``). :mod:`.counts_dst` says precisely what each
does; every row a policy touched is named in the report (``DST: …``).

Site positions: the hystreet CSV export and a long CSV carry no coordinates, and a site
without a position cannot be drawn (``footfall_sites``). ``--site-lon``/``--site-lat`` place
the one site of such an import, ``--sites FILE`` (``site_id,name,lon,lat``, or ``x,y`` with
``--source-crs``) any number of them; :mod:`.counts_sites` checks them (degrees in range,
inside the city's bounding box, every id a site of the counts or of the pack).

Several files are read as ONE data set (for instance monthly exports): each file gets the
rules of :func:`data.footfall.normalise_counts` and a report; a site and hour present in
two files with different counts is an error naming both files, the same count twice is
dropped and reported.

:func:`import_counts` merges the result into an existing pack through
:func:`data.writer.staged_pack` (with :func:`data.footfall.merge_counts` against what is
stored); a failure leaves the pack byte-for-byte unchanged. :data:`IMPORTER` declares it for
``allmende import counts`` (see :mod:`data.importers.base`).

The importer is split read → check → combine → write: :mod:`.counts_formats` and
:mod:`.counts_sensorthings` read one file of each format, :mod:`.counts_parse` checks its
cells (numbers, times), :mod:`.counts_stream` combines the files into one data set, and this
module writes it into the pack. Every error is a :class:`data.footfall.CountsError` (an
:class:`~data.importers.base.ImporterError`) naming the file and where in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from data.calendar import DEFAULT_COUNTRY
from data.catalog import Catalog, Dataset, Temporal, read_catalog
from data.footfall import TZ, CountsError, CountsReport, merge_counts
from data.importers.base import Importer, ImporterError, ImportResult, Option
from data.importers.city_calendar import (
    CalendarPlan,
    CalendarRequest,
    plan_calendar,
    put_calendar,
)
from data.importers.common import read_pack_catalog, slug
from data.importers.counts_dst import (
    AMBIGUOUS,
    DEFAULT_AMBIGUOUS,
    DEFAULT_NONEXISTENT,
    NONEXISTENT,
)
from data.importers.counts_parse import DST_FLAG_COLUMNS, EXTRA_COLUMNS, header_key
from data.importers.counts_sites import SitePositions, place_sites, positions
from data.importers.counts_stream import FORMATS, read_counts
from data.pack import WGS84
from data.writer import Stage, staged_pack

__all__ = [
    "COUNTS_PATH",
    "DST_FLAG_COLUMNS",
    "EXTRA_COLUMNS",
    "FORMATS",
    "IMPORTER",
    "SITES_PATH",
    "CountsError",
    "CountsReport",
    "header_key",
    "import_counts",
    "read_counts",
    "slug",
]

GENERATED_BY = "data/importers/counts.py (allmende import counts)"
COUNTS_PATH = "footfall_counts.parquet"
SITES_PATH = "footfall_sites.geojson"
TITLES = {
    "footfall_counts": {"de": "Passantenfrequenz (stündlich)", "en": "Pedestrian counts (hourly)"},
    "footfall_sites": {"de": "Zählstellen Passantenfrequenz", "en": "Pedestrian counting sites"},
}


# --- writing into a pack ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Meta:
    """What the catalog entries say about the data (from the options or the stored entry)."""

    existing: Catalog
    licence: str | None
    attribution: str | None
    source: str | None
    names: str  # the input file names, for descriptions
    fmt: str
    tz: str  # the city's time zone: local days of the temporal extent


def _temporal(counts: pd.DataFrame, tz: str) -> Temporal | None:
    times = counts["time"].dropna()
    if times.empty:
        return None
    local = times.dt.tz_convert(tz)
    return Temporal(f"{local.min():%Y-%m-%d}", f"{local.max():%Y-%m-%d}")


def _entry(
    ds_id: str,
    meta: _Meta,
    kind: str,
    path: str,
    crs: str | None,
    temporal: Temporal | None,
    description: dict[str, str],
) -> Dataset:
    old = meta.existing.get(ds_id) if ds_id in meta.existing.ids() else None
    return Dataset(
        id=ds_id,
        title=dict(old.title) if old is not None else TITLES[ds_id],
        kind=kind,
        path=old.path if old is not None and old.path.endswith(Path(path).suffix) else path,
        crs=crs,
        licence=meta.licence or (old.licence if old is not None else "unknown"),
        attribution=meta.attribution or (old.attribution if old is not None else "not stated"),
        source=meta.source or (old.source if old is not None else None),
        generated_by=GENERATED_BY,
        temporal=temporal,
        description=description,
    )


def _new_sites(sites: pd.DataFrame | None) -> gpd.GeoDataFrame | None:
    if sites is None:
        return None
    located = sites[sites["lon"].notna() & sites["lat"].notna()]
    if located.empty:
        return None
    return gpd.GeoDataFrame(
        {"site_id": located["site_id"].astype(str), "name": located["name"].astype(str)},
        geometry=shapely.points(located["lon"].to_numpy(), located["lat"].to_numpy()),
        crs=WGS84,
    )


def _stored_counts(stage: Stage, existing: Catalog) -> pd.DataFrame | None:
    if "footfall_counts" not in existing.ids():
        return None
    old = pd.read_parquet(stage.dir / existing.get("footfall_counts").path)
    old["time"] = old["time"].dt.tz_convert("UTC")
    old["site_id"] = old["site_id"].astype("string")
    return old


def _put_counts(stage: Stage, counts: pd.DataFrame, meta: _Meta) -> Dataset:
    """Merge ``counts`` into the staged ``footfall_counts``; return its catalog entry."""
    merged = merge_counts(_stored_counts(stage, meta.existing), counts, meta.names)
    merged = merged.sort_values(["site_id", "time"], kind="stable").reset_index(drop=True)
    merged["count"] = merged["count"].astype(float)
    desc = {
        "de": f"Stündliche Passantenzählungen, importiert aus {meta.names} (Format {meta.fmt}); "
        "Zeit = Beginn der Stunde in UTC; leere Werte = nicht gemessen.",
        "en": f"Hourly pedestrian counts imported from {meta.names} (format {meta.fmt}); "
        "time = start of the hour in UTC; empty = not measured.",
    }
    ds = _entry(
        "footfall_counts", meta, "timeseries", COUNTS_PATH, None, _temporal(merged, meta.tz), desc
    )
    stage.put_timeseries(ds, merged)
    return ds


def _put_sites(stage: Stage, new_sites: gpd.GeoDataFrame, meta: _Meta) -> None:
    """Merge located sites into the staged ``footfall_sites`` (new ids replace stored ones)."""
    frame = new_sites
    if "footfall_sites" in meta.existing.ids():
        stored = gpd.read_file(stage.dir / meta.existing.get("footfall_sites").path)
        stored = stored.to_crs(WGS84) if stored.crs is not None else stored.set_crs(WGS84)
        stored = stored[~stored["site_id"].astype(str).isin(set(frame["site_id"]))]
        frame = gpd.GeoDataFrame(pd.concat([stored, frame], ignore_index=True), crs=WGS84)
    desc = {"de": f"Zählstellen aus {meta.names}.", "en": f"Counting sites from {meta.names}."}
    sites_ds = _entry("footfall_sites", meta, "vector", SITES_PATH, WGS84, None, desc)
    stage.put_vector(sites_ds, frame.sort_values("site_id").reset_index(drop=True))


def _check_pack(out: Path) -> Catalog:
    try:
        return read_pack_catalog(out)
    except ImporterError as err:
        raise CountsError(
            err.message, file=err.file, expected=err.expected, found=err.found
        ) from err


def import_counts(
    paths: Sequence[Path | str],
    fmt: str,
    out_pack: Path | str,
    *,
    licence: str | None = None,
    attribution: str | None = None,
    source: str | None = None,
    calendar: CalendarRequest | None = None,
    sites: SitePositions | None = None,
    **options: Any,
) -> list[CountsReport]:
    """Read count files and merge them into the ``footfall_counts`` of an existing pack.

    ``options`` go to :func:`read_counts` (``site_col``, ``time_col``, ``count_col``,
    ``site``, ``ambiguous``, ``nonexistent``). Sites with coordinates are merged into
    ``footfall_sites`` (new entries replace those with the same ``site_id``). ``licence``,
    ``attribution`` and ``source`` are written to the catalog (an existing entry keeps its own
    when they are not given). ``sites`` are positions given at import
    (:func:`data.importers.counts_sites.positions`: ``--site-lon/--site-lat`` or ``--sites``),
    for files without coordinates; they win over a file's.

    ``calendar`` (or ``tz=`` among ``options``) is the city's clock and calendar: written to the
    pack's ``[city]`` and ``calendar.csv`` under the rules of
    :mod:`data.importers.city_calendar` (a value that differs from the declared one is refused
    unless ``calendar.replace``). Times without an offset are read in the resulting time zone:
    the one given, else the pack's, else the documented default.

    Raises :class:`CountsError` / :class:`data.pack.PackError` (both ``ValueError``); the
    pack is then unchanged.
    """
    out = Path(out_pack)
    catalog = _check_pack(out)
    request = calendar or CalendarRequest()
    if options.get("tz") is not None and request.timezone is None:
        request = replace(request, timezone=options["tz"])
    plan = plan_calendar(out, catalog, request)
    options["tz"] = plan.timezone
    counts, reports, found = read_counts(paths, fmt, **options)
    names = ", ".join(Path(p).name for p in paths)
    meta = _Meta(catalog, licence, attribution, source, names, fmt, plan.timezone)
    placed: list[str] = []
    if sites is not None:
        stored = _stored_sites(out, catalog)
        counted = counts["site_id"].astype(str).tolist()
        found = place_sites(found, counted, sites, catalog.city, stored, placed)
    new_sites = _new_sites(found)
    with staged_pack(out) as stage:
        put_calendar(stage, plan, GENERATED_BY)
        ds = _put_counts(stage, counts, meta)
        if new_sites is not None:
            _put_sites(stage, new_sites, meta)
    _note_unlocated(reports, found, new_sites)
    _note_calendar(reports, plan)
    if reports:
        reports[-1].warnings.extend(placed)
    if reports:
        reports[-1].warnings.extend(stage.notes)
    if ds.licence == "unknown":
        reports[-1].warnings.append(
            "licence not stated (licence='unknown'); state it before publishing"
        )
    return reports


def _note_calendar(reports: list[CountsReport], plan: CalendarPlan) -> None:
    if plan.notes and reports:
        reports[-1].warnings.append("the city's calendar in the pack: " + "; ".join(plan.notes))


def _note_unlocated(
    reports: list[CountsReport], sites: pd.DataFrame | None, located: gpd.GeoDataFrame | None
) -> None:
    if sites is None or not reports:
        return
    have = set(located["site_id"]) if located is not None else set()
    missing = [s for s in sites["site_id"] if s not in have]
    if missing:
        reports[-1].warnings.append(
            f"no coordinates for site(s) {', '.join(missing)}: not added to footfall_sites "
            "(the footfall map layers need them); give positions with --site-lon/--site-lat "
            "(one site) or --sites FILE"
        )


def _stored_sites(pack: Path, catalog: Catalog) -> set[str]:
    """Site ids the pack holds counts for now."""
    if "footfall_counts" not in catalog.ids():
        return set()
    path = pack / catalog.get("footfall_counts").path
    return set(pd.read_parquet(path, columns=["site_id"])["site_id"].astype(str))


# --- the importer spec -----------------------------------------------------------------------


def _stored_rows(pack: Path, ds_id: str) -> int:
    """Rows of a dataset as stored in the pack now (0 when absent)."""
    catalog = read_catalog(pack)
    if ds_id not in catalog.ids():
        return 0
    path = pack / catalog.get(ds_id).path
    if path.suffix == ".parquet":
        return len(pd.read_parquet(path, columns=["site_id"]))
    return len(gpd.read_file(path))


def _given(path: Path | str | None) -> list[Path]:
    return [Path(path)] if path is not None else []


def run(pack: Path, **options: Any) -> ImportResult:
    """``allmende import counts``: :func:`import_counts` with the CLI's options.

    ``read`` counts the rows read from the files, ``written`` the rows this import added to
    the stored ``footfall_counts`` (counted in the pack before and after).
    """
    files = [Path(p) for p in options["counts"]]
    pack = Path(pack)
    before = _stored_rows(pack, "footfall_counts") if (pack / "city.toml").is_file() else 0
    reports = import_counts(
        files,
        options["format"],
        pack,
        licence=options.get("licence"),
        attribution=options.get("attribution"),
        source=options.get("source"),
        site_col=options.get("site_col") or "site",
        time_col=options.get("time_col") or "time",
        count_col=options.get("count_col") or "count",
        tz=options.get("tz"),
        calendar=CalendarRequest(
            timezone=options.get("tz"),
            country=options.get("country"),
            subdivision=options.get("subdiv"),
            files=tuple(Path(p) for p in options.get("calendar") or ()),
            replace=bool(options.get("replace_calendar")),
        ),
        sites=positions(
            options.get("site_lon"),
            options.get("site_lat"),
            options.get("sites"),
            options.get("source_crs"),
        ),
        site=options.get("site"),
        ambiguous=options.get("ambiguous") or DEFAULT_AMBIGUOUS,
        nonexistent=options.get("nonexistent") or DEFAULT_NONEXISTENT,
    )
    after = _stored_rows(pack, "footfall_counts")
    details = [line for r in reports for line in replace(r, warnings=[]).lines()]
    details.append(f"footfall_counts now holds {after} hourly rows ({after - before} new)")
    if "footfall_sites" in read_catalog(pack).ids():
        details.append(f"footfall_sites holds {_stored_rows(pack, 'footfall_sites')} site(s)")
    return ImportResult(
        importer="counts",
        pack=pack,
        datasets=("footfall_counts", "footfall_sites"),
        files=tuple(
            str(f)
            for f in [*files, *(options.get("calendar") or ()), *_given(options.get("sites"))]
        ),
        read=sum(r.rows_read for r in reports),
        written=after - before,
        unit="rows",
        warnings=[w for r in reports for w in r.warnings],
        details=details,
        native=reports,
    )


IMPORTER = Importer(
    name="counts",
    summary="hourly pedestrian counts (hystreet, SensorThings, CSV) into a pack",
    formats=(
        "hystreet CSV export",
        "hystreet API v2 JSON",
        "OGC SensorThings JSON",
        "long CSV (site, time, count)",
    ),
    datasets=("footfall_counts", "footfall_sites"),
    options=(
        Option(
            "counts",
            "counts file; repeat for several files read as one data set (e.g. monthly exports)",
            type=Path,
            required=True,
            multiple=True,
            input=True,
            metavar="FILE",
        ),
        Option(
            "format",
            "hystreet (CSV export), hystreet-json (API v2), sensorthings (OGC API JSON), "
            "long (CSV with site/time/count columns)",
            required=True,
            choices=FORMATS,
        ),
        Option("site_col", "long: site column (default site)", default="site"),
        Option("time_col", "long: time column (default time)", default="time"),
        Option("count_col", "long: count column (default count)", default="count"),
        Option(
            "tz",
            "the city's IANA time zone, written to the pack; also the time zone of times "
            f"without an offset (default: the pack's, else {TZ})",
        ),
        Option(
            "country",
            f"country code for public holidays, written to the pack, e.g. DE (default: the "
            f"pack's, else {DEFAULT_COUNTRY})",
        ),
        Option(
            "subdiv",
            "subdivision for public holidays, written to the pack, e.g. NW or TH for German "
            "states (default: the pack's, else none)",
            aliases=("--state",),
        ),
        Option(
            "calendar",
            "calendar CSV start,end,name,kind,source (school holidays, lecture periods, "
            "events), written to the pack as calendar.csv; repeat for several files",
            type=Path,
            multiple=True,
            input=True,
            metavar="FILE",
        ),
        Option(
            "replace_calendar",
            "replace the time zone, country, subdivision and calendar the pack declares by "
            "those given (without it, a value that differs from the pack's is refused)",
            flag=True,
        ),
        Option(
            "ambiguous",
            "naive times: the repeated autumn hour given once is read as summer time (first, "
            "default) or winter time (last), as both hours' count (sum), dropped (drop) or "
            "refused (raise); given twice, in file order",
            choices=AMBIGUOUS,
            default=DEFAULT_AMBIGUOUS,
        ),
        Option(
            "nonexistent",
            "naive times: a row in the skipped spring hour is moved forward by the jump "
            "(shift, default), dropped (drop) or refused (raise)",
            choices=NONEXISTENT,
            default=DEFAULT_NONEXISTENT,
        ),
        Option("site", "site id for every row (single-site files without a site column)"),
        Option(
            "site_lon",
            "longitude (WGS84 degrees) of the one site of files without coordinates, e.g. a "
            "hystreet CSV export; with --site-lat",
            type=float,
            metavar="LON",
        ),
        Option(
            "site_lat",
            "latitude (WGS84 degrees) of that site; with --site-lon",
            type=float,
            metavar="LAT",
        ),
        Option(
            "sites",
            "CSV of site positions: site_id,name,lon,lat (WGS84) or site_id,name,x,y with "
            "--source-crs; every site_id a site of the counts or of the pack",
            type=Path,
            input=True,
            metavar="FILE",
        ),
        Option(
            "source_crs",
            "CRS of the x,y columns of --sites, e.g. EPSG:25832",
            metavar="CRS",
        ),
        Option("licence", "licence of the data (written to the catalog)"),
        Option("attribution", "attribution required by the licence"),
        Option("source", "where the data comes from (URL or citation)"),
    ),
    run=run,
    pack_aliases=("--out",),
)
