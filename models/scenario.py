"""A scenario applied: interventions change the grid's canopy, sealing and residents; the
heat-response model turns that into a new surface temperature; the existing indicator, index
and justice code turns that into new vulnerability and justice figures.

Pure (no Dash). The pieces:

* :class:`CellChange` — one intervention as it touches the grid: a cell mask and an amount
  (built from a resolved spec by :func:`changes_for`);
* :func:`changed_fields` — the new ``tree_canopy``, ``imperviousness`` and ``population``
  arrays (each cell changed once per intervention, whatever overlaps; capped at what is
  possible: canopy ≤ 100 %, sealing ≥ 0 %), with what was done (trees, hectares);
* :func:`run` — the whole chain, answering a :class:`ScenarioResult` with the KPIs (baseline,
  scenario, delta) and the per-district table.

Surface temperature
-------------------
``lst_scenario = lst_observed + (model(changed) − model(baseline))``: the model's *change*
is added to the observed field, so a zero intervention gives exactly zero change, and cells
beyond the model's reach of every change keep their observed value exactly. The 2050 horizon
adds the chosen warming (+1.5 / +2 / +3 K) to every cell's surface temperature — a uniform
shift, a stated simplification — and the hot-day outlook comes from the station trend model.

Assumptions (stated in the result)
----------------------------------
* green roofs: a roof is :data:`ROOF_SHARE_OF_SEALED` of a cell's sealed surface; greening a
  share of it removes that share of the roofs from the cell's sealing;
* a development seals its cells to :data:`DEVELOPMENT_SEALING` of its use (no less than
  today) and houses :data:`PERSONS_PER_DWELLING` residents per dwelling, spread evenly over
  its cells;
* a tree adds its crown area to the canopy of the affected cells, spread evenly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from data.landuse_vocab import PLANNED_USES

ROOF_SHARE_OF_SEALED = 0.4
PERSONS_PER_DWELLING = 1.9
DEVELOPMENT_SEALING: dict[str, float] = {
    "residential": 55.0,
    "mixed": 70.0,
    "commercial": 80.0,
    "industrial": 85.0,
    "public": 60.0,
    "infrastructure": 75.0,
    "green": 10.0,
}
assert set(DEVELOPMENT_SEALING) == set(PLANNED_USES)
ASSUMPTIONS: dict[str, str] = {
    "de": (
        f"Annahmen: Dächer sind {ROOF_SHARE_OF_SEALED * 100:.0f} % der versiegelten Fläche "
        f"einer Zelle; ein Neubaugebiet versiegelt seine Zellen je nach Nutzung (Wohnen "
        f"{DEVELOPMENT_SEALING['residential']:.0f} %, Gewerbe "
        f"{DEVELOPMENT_SEALING['commercial']:.0f} %, …) und bringt "
        f"{PERSONS_PER_DWELLING:.1f}".replace(".", ",")
        + " Menschen je Wohnung; die Erwärmung bis 2050 kommt gleichmäßig auf jede Zelle."
    ),
    "en": (
        f"Assumptions: roofs are {ROOF_SHARE_OF_SEALED * 100:.0f} % of a cell's sealed surface; "
        f"a development seals its cells by its use (residential "
        f"{DEVELOPMENT_SEALING['residential']:.0f} %, commercial "
        f"{DEVELOPMENT_SEALING['commercial']:.0f} %, …) and brings "
        f"{PERSONS_PER_DWELLING:.1f} residents per dwelling; warming to 2050 is added evenly "
        "to every cell."
    ),
}


@dataclass(frozen=True)
class CellChange:
    """One intervention on the grid. ``mask``: the affected cells (y × x, bool).

    ``canopy_pp`` percentage points of canopy; ``canopy_m2`` crown area to spread over the
    cells (trees × crown); ``unseal_pp`` percentage points of sealing removed; ``roof_share``
    0–1 of the roofs greened; ``sealing_to`` the sealing a development brings (%);
    ``residents`` added, spread evenly; ``trees`` planted (for the KPI)."""

    kind: str
    mask: np.ndarray
    canopy_pp: float = 0.0
    canopy_m2: float = 0.0
    unseal_pp: float = 0.0
    roof_share: float = 0.0
    sealing_to: float | None = None
    residents: float = 0.0
    trees: int = 0
    label: str = ""


@dataclass
class Applied:
    """The changed fields and what the changes did."""

    canopy: np.ndarray
    imperviousness: np.ndarray
    population: np.ndarray
    cells: np.ndarray  # any intervention touched the cell
    trees: int = 0
    canopy_added_ha: float = 0.0
    sealing_change_ha: float = 0.0
    residents_added: float = 0.0
    notes: list[str] = field(default_factory=list)


def changed_fields(
    canopy: np.ndarray,
    imperviousness: np.ndarray,
    population: np.ndarray,
    changes: Sequence[CellChange],
    cell_m: float,
) -> Applied:
    """Apply ``changes`` in order to copies of the three fields (see the module docstring).
    Cells outside the grid's data (NaN) are never changed."""
    can = np.array(canopy, dtype=float, copy=True)
    imp = np.array(imperviousness, dtype=float, copy=True)
    pop = np.nan_to_num(np.array(population, dtype=float, copy=True), nan=0.0)
    valid = np.isfinite(can) & np.isfinite(imp)
    touched = np.zeros(can.shape, dtype=bool)
    cell_m2 = cell_m * cell_m
    out = Applied(can, imp, pop, touched)
    for change in changes:
        mask = np.asarray(change.mask, dtype=bool) & valid
        if mask.shape != can.shape:
            raise ValueError(f"{change.label or change.kind}: mask shape {mask.shape}")
        n = int(mask.sum())
        if n == 0:
            out.notes.append(f"{change.label or change.kind}: no grid cell affected")
            continue
        touched |= mask
        before_can, before_imp = can[mask].copy(), imp[mask].copy()
        pp = change.canopy_pp + 100.0 * change.canopy_m2 / (n * cell_m2)
        if pp:
            can[mask] = np.minimum(can[mask] + pp, 100.0)
        if change.unseal_pp:
            imp[mask] = np.maximum(imp[mask] - change.unseal_pp, 0.0)
        if change.roof_share:
            imp[mask] = np.maximum(
                imp[mask] * (1.0 - ROOF_SHARE_OF_SEALED * change.roof_share), 0.0
            )
        if change.sealing_to is not None:
            imp[mask] = np.maximum(imp[mask], change.sealing_to)
        if change.residents:
            pop[mask] += change.residents / n
            out.residents_added += change.residents
        out.trees += change.trees
        out.canopy_added_ha += float((can[mask] - before_can).sum()) / 100.0 * cell_m2 / 1e4
        out.sealing_change_ha += float((imp[mask] - before_imp).sum()) / 100.0 * cell_m2 / 1e4
    return out


def sealed_ha(imperviousness: np.ndarray, cell_m: float) -> float:
    """Sealed area (ha) of a grid: Σ sealing share × cell area."""
    return float(np.nansum(imperviousness)) / 100.0 * cell_m * cell_m / 1e4


def district_table(
    district_of_cell: np.ndarray,
    ids: Sequence[str],
    names: Sequence[str],
    lst_base: np.ndarray,
    lst_new: np.ndarray,
) -> list[dict[str, Any]]:
    """Per district: mean surface temperature (over its grid cells with data) of baseline
    and scenario, and the difference (°C, rounded to 0.01)."""
    rows = []
    for k, (did, name) in enumerate(zip(ids, names, strict=True)):
        cells = (district_of_cell == k) & np.isfinite(lst_base) & np.isfinite(lst_new)
        if not cells.any():
            continue
        b, s = float(lst_base[cells].mean()), float(lst_new[cells].mean())
        rows.append(
            {
                "district": str(did),
                "name": str(name),
                "lst_baseline": round(b, 2),
                "lst_scenario": round(s, 2),
                "lst_delta": round(s - b, 2) + 0.0,
            }
        )
    return rows


def hot_residents(frame: Any, index: np.ndarray, threshold: float) -> dict[str, float]:
    """Residents (all, 65+, under 6) of the units whose index is above ``threshold`` (the
    lower bound of the baseline's hottest class)."""
    hot = np.isfinite(index) & (index > threshold)
    return {
        "all": float(np.nansum(frame["population"].to_numpy(dtype=float)[hot])),
        "65plus": float(np.nansum(frame["pop_65plus"].to_numpy(dtype=float)[hot])),
        "under6": float(np.nansum(frame["pop_under6"].to_numpy(dtype=float)[hot])),
    }


def delta_stats(delta: np.ndarray, where: np.ndarray) -> tuple[float, float]:
    """Mean and 95th percentile of a change over the cells ``where`` (0, 0 if none)."""
    values = delta[where & np.isfinite(delta)]
    if not values.size:
        return 0.0, 0.0
    return float(values.mean()) + 0.0, float(np.percentile(values, 95)) + 0.0


def kpi(
    kpi_id: str,
    label: Mapping[str, str],
    unit: str,
    baseline: float,
    scenario: float,
    digits: int = 2,
    error: float | None = None,
) -> dict[str, Any]:
    """One KPI: baseline, scenario, delta (rounded), its unit and, where a model made it,
    the model's cross-validated error beside the change."""
    b, s = round(float(baseline), digits) + 0.0, round(float(scenario), digits) + 0.0
    return {
        "id": kpi_id,
        "label": dict(label),
        "unit": unit,
        "baseline": b,
        "scenario": s,
        "delta": round(s - b, digits) + 0.0,
        "error": None if error is None else round(float(error), digits),
    }
