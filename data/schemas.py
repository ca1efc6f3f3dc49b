"""What the well-known datasets of a city pack must contain.

Layers ask for datasets by id (``districts``, ``outline``, ``river``, ``grid``, …). This
module states, per id, the geometry types, columns, types and value ranges a pack must
deliver, so a broken file is rejected at load time with a message naming the dataset,
the column and the offending rows, not later inside a map callback.

Units: populations are persons; shares are fractions 0–1; elevation is metres above sea
level; areas are km² in the pack's metric CRS. Ceilings of counts and densities come from
:mod:`data.limits`; beyond the schemas, :mod:`data.pack_values` refuses ``±inf`` and
numbers beyond :data:`data.limits.MAGNITUDE_CEILING` in every dataset.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from data.landuse_vocab import CONSTRAINT_KINDS, LANDUSE_CLASSES, PLAN_STATUSES, PLANNED_USES
from data.limits import (
    DISTRICT_PERSONS_CEILING,
    HOURLY_PEDESTRIANS_CEILING,
    PERSONS_PER_KM2_CEILING,
)


@dataclass(frozen=True)
class Column:
    """A required (or optional) attribute column or raster variable."""

    name: str
    dtype: str  # "str" | "int" | "float"
    min: float | None = None
    max: float | None = None
    required: bool = True
    unique: bool = False
    allow_missing: bool = False
    unit: str = ""
    choices: tuple[str, ...] = ()  # for "str" columns: the allowed values (empty = any)
    # persons per km² of the feature or cell at most (see data/limits.py); None = unchecked
    per_km2_max: float | None = None


@dataclass(frozen=True)
class Schema:
    kind: str
    columns: tuple[Column, ...] = ()
    geometry_types: tuple[str, ...] = ()
    # pairs (a, b) meaning "a <= b" row by row, e.g. people aged 65+ <= population
    not_greater: tuple[tuple[str, str], ...] = ()
    dims: tuple[str, ...] = ()
    attrs: dict[str, str] = field(default_factory=dict)


POLYGONS = ("Polygon", "MultiPolygon")
LINES = ("LineString", "MultiLineString")

# Land-cover classes of the demo grid (a simplified CORINE-like legend).
LANDCOVER_CLASSES: dict[int, dict[str, str]] = {
    1: {"de": "Dicht bebaut", "en": "Dense urban"},
    2: {"de": "Locker bebaut", "en": "Open urban"},
    3: {"de": "Gewerbe/Verkehr", "en": "Industry/transport"},
    4: {"de": "Grünfläche/Park", "en": "Urban green/park"},
    5: {"de": "Acker/Grünland", "en": "Farmland/grassland"},
    6: {"de": "Wald", "en": "Forest"},
    7: {"de": "Wasser", "en": "Water"},
}

# Kinds of heat-sensitive facilities (dataset ``facilities``), de/en labels.
FACILITY_KIND_LABELS: dict[str, dict[str, str]] = {
    "kita": {"de": "Kita", "en": "Day-care centre"},
    "school": {"de": "Schule", "en": "School"},
    "care_home": {"de": "Pflegeheim", "en": "Care home"},
    "hospital": {"de": "Krankenhaus", "en": "Hospital"},
}
FACILITY_KINDS: tuple[str, ...] = tuple(FACILITY_KIND_LABELS)

SCHEMAS: dict[str, Schema] = {
    "outline": Schema(kind="vector", geometry_types=POLYGONS),
    "districts": Schema(
        kind="vector",
        geometry_types=POLYGONS,
        columns=(
            Column("district_id", "str", unique=True),
            Column("name", "str", unique=True),
            Column("population", "int", min=0, max=DISTRICT_PERSONS_CEILING, unit="persons"),
            Column("pop_65plus", "int", min=0, max=DISTRICT_PERSONS_CEILING, unit="persons"),
            Column(
                "pop_under6",
                "int",
                min=0,
                max=DISTRICT_PERSONS_CEILING,
                required=False,
                unit="persons",
            ),
            # a social indicator for the climate-justice view (registered unemployed persons)
            Column(
                "unemployed",
                "int",
                min=0,
                max=DISTRICT_PERSONS_CEILING,
                required=False,
                unit="persons",
            ),
        ),
        not_greater=(("pop_65plus", "population"), ("pop_under6", "population")),
    ),
    "river": Schema(kind="vector", geometry_types=LINES),
    # Every grid variable is optional: a real city's grid may start from one imported raster.
    # Layers ask for the variables they need ("grid:population").
    "grid": Schema(
        kind="raster",
        dims=("y", "x"),
        columns=(
            Column("elevation", "float", min=-50, max=3000, unit="m", required=False),
            Column(
                "landcover",
                "int",
                min=min(LANDCOVER_CLASSES),
                max=max(LANDCOVER_CLASSES),
                required=False,
            ),
            Column("imperviousness", "float", min=0, max=1, required=False),
            Column("tree_canopy", "float", min=0, max=1, required=False),
            Column(
                "population",
                "float",
                min=0,
                unit="persons",
                required=False,
                per_km2_max=PERSONS_PER_KM2_CEILING,
            ),
            Column("share_65plus", "float", min=0, max=1, allow_missing=True, required=False),
            Column("share_under6", "float", min=0, max=1, allow_missing=True, required=False),
            # heat (issue 4): summer-afternoon land-surface temperature and night air temperature
            Column(
                "lst_day", "float", min=-40, max=80, required=False, allow_missing=True, unit="°C"
            ),
            Column(
                "tair_night",
                "float",
                min=-40,
                max=45,
                required=False,
                allow_missing=True,
                unit="°C",
            ),
        ),
    ),
    "facilities": Schema(
        kind="vector",
        geometry_types=("Point",),
        columns=(
            Column("facility_id", "str", unique=True),
            Column("name", "str", allow_missing=True),
            Column("kind", "str", choices=FACILITY_KINDS),
        ),
    ),
    "climate_daily": Schema(
        kind="table",
        columns=(
            Column("date", "str", unique=True),
            Column("tmax", "float", min=-40, max=50, allow_missing=True, unit="°C"),
            Column("tmin", "float", min=-50, max=40, allow_missing=True, unit="°C"),
            Column("tmean", "float", min=-45, max=45, allow_missing=True, unit="°C"),
            Column("precip_mm", "float", min=0, max=500, allow_missing=True, unit="mm"),
            Column("station_id", "str", required=False, allow_missing=True),
        ),
    ),
    "census_grid": Schema(
        kind="vector",
        geometry_types=POLYGONS,
        columns=(
            Column("cell_id", "str", unique=True),
            Column(
                "population",
                "float",
                min=0,
                allow_missing=True,
                unit="persons",
                per_km2_max=PERSONS_PER_KM2_CEILING,
            ),
        ),
    ),
    "footfall_sites": Schema(
        kind="vector",
        geometry_types=("Point",),
        columns=(Column("site_id", "str", unique=True), Column("name", "str")),
    ),
    "footfall_counts": Schema(
        kind="timeseries",
        columns=(
            Column("site_id", "str"),
            Column(
                "count",
                "float",
                min=0,
                max=HOURLY_PEDESTRIANS_CEILING,
                allow_missing=True,
                unit="pedestrians/hour",
            ),
        ),
    ),
    "weather_daily": Schema(
        kind="table",
        columns=(
            Column("date", "str", unique=True),
            Column("tmax", "float", min=-40, max=50, allow_missing=True, unit="°C"),
            Column("tmin", "float", min=-50, max=40, allow_missing=True, unit="°C"),
            Column("precip_mm", "float", min=0, max=500, allow_missing=True, unit="mm"),
        ),
    ),
    "district_stats": Schema(
        kind="table",
        columns=(
            Column("district_id", "str", unique=True),
            Column("name", "str"),
        ),
    ),
    # the land-use theme (issue 15); the words are those of data/landuse_vocab.py
    "landuse": Schema(
        kind="vector",
        geometry_types=POLYGONS,
        columns=(
            Column("landuse_id", "str", unique=True, required=False),
            Column("use", "str", choices=tuple(LANDUSE_CLASSES)),
            Column("name", "str", required=False, allow_missing=True),
            Column("source_tag", "str", required=False, allow_missing=True),
        ),
    ),
    "plans": Schema(
        kind="vector",
        geometry_types=POLYGONS,
        columns=(
            Column("plan_id", "str", unique=True),
            Column("name", "str"),
            Column("use", "str", choices=tuple(PLANNED_USES)),
            Column(
                "dwellings",
                "int",
                min=0,
                max=DISTRICT_PERSONS_CEILING,
                allow_missing=True,
                unit="dwellings",
            ),
            Column("status", "str", choices=tuple(PLAN_STATUSES)),
            Column("source", "str", required=False, allow_missing=True),
        ),
    ),
    "constraints": Schema(
        kind="vector",
        geometry_types=POLYGONS,
        columns=(
            Column("constraint_id", "str", unique=True),
            Column("kind", "str", choices=tuple(CONSTRAINT_KINDS)),
            Column("name", "str", allow_missing=True),
            Column("source", "str", required=False, allow_missing=True),
        ),
    ),
}
