"""Heat-sensitive facilities of the demo city: where are the Kitas, schools, care homes, hospitals?

SYNTHETIC positions, documented counts. Only the number of Kitas (58) and schools (45) is
taken from the 2014 OpenStreetMap snapshot (:data:`data.demo.facts.KITAS_OSM_2014`); the
number of care homes (20) is an assumption; the two hospitals are approximate real sites.
:func:`facility_points` places them on the demo grid:

* **Kitas** — 58 distinct populated cells drawn without replacement with probability
  proportional to the children under 6 living there (population × ``share_under6``);
* **schools** — 45 cells, weighted by the under-18s: population × the Ortsteil's share of
  under-18s (the grid carries no under-18 share, so each Ortsteil's figure is applied to
  all its cells);
* **care homes** — 20 cells, weighted by the residents aged 65+ (population ×
  ``share_65plus``);
* **hospitals** — the Universitätsklinikum in Lobeda (at the tram stop "Universitätsklinikum")
  and its older central site near Johannisplatz (Bachstraße, listed in the 2014 OSM
  snapshot); both positions approximate.

Each drawn facility sits at its cell centre plus a seeded offset of up to ±40 m in x and y
(the centre itself if that would leave the city outline). Names are synthetic: kind and
Ortsteil plus a running number within the Ortsteil, counted from north-west to south-east
(e.g. "Kita Winzerla 2"); ids are ``kita-01`` …, ``school-01`` …, ``care-01`` …,
``hospital-1``, ``hospital-2``. Coordinates are metres in EPSG:25832. The same seed and grid
give the same points.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import xarray as xr
from shapely.geometry.base import BaseGeometry

from data.demo import facts
from data.demo.geometry import METRIC_CRS, to_metric

__all__ = ["FACILITY_COUNTS", "facility_points"]

#: How many facilities of each kind the demo holds.
FACILITY_COUNTS: dict[str, int] = {
    "kita": facts.KITAS_OSM_2014,
    "school": facts.SCHOOLS_OSM_2014,
    "care_home": facts.CARE_HOMES_APPROX,
    "hospital": 2,
}
_LABEL = {"kita": "Kita", "school": "Schule", "care_home": "Pflegeheim"}
_ID = {"kita": "kita", "school": "school", "care_home": "care"}
_JITTER_M = 40.0


def facility_points(
    seed: int,
    grid: xr.Dataset,
    districts: Sequence[BaseGeometry],
    outline: BaseGeometry,
    table: pd.DataFrame,
) -> gpd.GeoDataFrame:
    """The synthetic facilities as points in EPSG:25832.

    Parameters
    ----------
    seed
        Seed of the draws (its own random stream).
    grid
        The demo grid (``population``, ``share_under6``, ``share_65plus``; x/y cell centres).
    districts
        District polygons in EPSG:25832, in the order of ``table``.
    outline
        City outline in EPSG:25832.
    table
        District table with ``name``, ``population`` and ``pop_under18``.

    Returns
    -------
    geopandas.GeoDataFrame
        ``facility_id``, ``name``, ``kind`` and point geometries (EPSG:25832).
    """
    rng = np.random.default_rng([seed, 0xFAC1])
    gx, gy = np.meshgrid(grid["x"].to_numpy(), grid["y"].to_numpy())
    x, y = gx.ravel(), gy.ravel()
    district = np.full(x.size, -1, dtype=np.int64)
    for k, geom in enumerate(districts):
        district[shapely.contains_xy(geom, x, y)] = k
    pop = np.nan_to_num(grid["population"].to_numpy().astype(float).ravel())
    under18 = (table["pop_under18"] / table["population"]).to_numpy(dtype=float)
    weights = {
        "kita": pop * np.nan_to_num(grid["share_under6"].to_numpy().astype(float).ravel()),
        "school": np.where(district >= 0, pop * under18[np.maximum(district, 0)], 0.0),
        "care_home": pop * np.nan_to_num(grid["share_65plus"].to_numpy().astype(float).ravel()),
    }
    names = table["name"].tolist()

    ids: list[str] = []
    labels: list[str] = []
    kinds: list[str] = []
    points: list[shapely.Point] = []
    for kind in ("kita", "school", "care_home"):
        w = np.where(district >= 0, weights[kind], 0.0)
        cells = rng.choice(w.size, size=FACILITY_COUNTS[kind], replace=False, p=w / w.sum())
        # number them within each Ortsteil from north-west to south-east
        cells = cells[np.lexsort((x[cells], -y[cells], district[cells]))]
        offsets = rng.uniform(-_JITTER_M, _JITTER_M, size=(cells.size, 2))
        running: dict[int, int] = {}
        for n, (cell, (dx, dy)) in enumerate(zip(cells.tolist(), offsets, strict=True), start=1):
            px, py = x[cell] + dx, y[cell] + dy
            if not shapely.contains_xy(outline, px, py):
                px, py = x[cell], y[cell]
            k = int(district[cell])
            running[k] = running.get(k, 0) + 1
            ids.append(f"{_ID[kind]}-{n:02d}")
            labels.append(f"{_LABEL[kind]} {names[k]} {running[k]}")
            kinds.append(kind)
            points.append(shapely.Point(px, py))

    to_m = to_metric()
    for n, (lonlat, label) in enumerate(
        (
            (facts.KLINIKUM_LOBEDA, "Universitätsklinikum Jena, Lobeda"),
            (facts.KLINIKUM_CENTRE, "Universitätsklinikum Jena, Innenstadt"),
        ),
        start=1,
    ):
        ids.append(f"hospital-{n}")
        labels.append(label)
        kinds.append("hospital")
        points.append(shapely.Point(*to_m.transform(*lonlat)))
    return gpd.GeoDataFrame(
        {"facility_id": ids, "name": labels, "kind": kinds}, geometry=points, crs=METRIC_CRS
    )
