"""A scenario's interventions on the grid: each one a cell mask and an amount
(:class:`CellChange`), applied to the canopy, sealing and residents arrays by
:func:`changed_fields` — each cell once per intervention whatever overlaps, capped at what
is possible (canopy ≤ 1, sealing ≥ 0; the pack's grid holds shares 0–1, amounts are in
percentage points as the spec has them). The assumptions are stated in :data:`ASSUMPTIONS`
and shown with every result. Pure; :mod:`models.scenario` carries the changes on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

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
    """One intervention on the grid. ``mask``: the affected cells (y × x, bool). Amounts in
    percentage points (as the spec has them); the grid holds shares 0–1.

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
        share = change.canopy_pp / 100.0 + change.canopy_m2 / (n * cell_m2)
        if share:
            can[mask] = np.minimum(can[mask] + share, 1.0)
        if change.unseal_pp:
            imp[mask] = np.maximum(imp[mask] - change.unseal_pp / 100.0, 0.0)
        if change.roof_share:
            imp[mask] = np.maximum(
                imp[mask] * (1.0 - ROOF_SHARE_OF_SEALED * change.roof_share), 0.0
            )
        if change.sealing_to is not None:
            imp[mask] = np.maximum(imp[mask], change.sealing_to / 100.0)
        if change.residents:
            pop[mask] += change.residents / n
            out.residents_added += change.residents
        out.trees += change.trees
        out.canopy_added_ha += float((can[mask] - before_can).sum()) * cell_m2 / 1e4
        out.sealing_change_ha += float((imp[mask] - before_imp).sum()) * cell_m2 / 1e4
    return out


def sealed_ha(imperviousness: np.ndarray, cell_m: float) -> float:
    """Sealed area (ha) of a grid: Σ sealing share (0–1) × cell area."""
    return float(np.nansum(imperviousness)) * cell_m * cell_m / 1e4
