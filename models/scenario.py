"""A scenario applied: interventions change the grid's canopy, sealing and residents; the
heat-response model turns that into a new surface temperature; the existing indicator, index
and justice code turns that into new vulnerability and justice figures.

Pure (no Dash). The pieces:

* :class:`models.scenario_cells.CellChange` — one intervention as it touches the grid: a
  cell mask and an amount (built from a resolved spec by :func:`changes_for`);
* :func:`models.scenario_cells.changed_fields` — the new ``tree_canopy``, ``imperviousness`` and ``population``
  arrays (shares 0–1, as the pack's grid holds them; each cell changed once per
  intervention, whatever overlaps; capped at what is possible: canopy ≤ 1, sealing ≥ 0),
  with what was done (trees, hectares);
* :func:`run` — the whole chain, answering a :class:`ScenarioResult` with the KPIs (baseline,
  scenario, delta) and the per-district table.

Surface temperature
-------------------
``lst_scenario = lst_observed + (model(changed) − model(baseline))``: the model's *change*
is added to the observed field, so a zero intervention gives exactly zero change, and cells
beyond the model's reach of every change keep their observed value exactly. The 2050 horizon
adds the chosen warming (+1.5 / +2 / +3 K) to every cell's surface temperature — a uniform
shift, a stated simplification. The hot days per year (KPI ``hot_days``, Tmax ≥ 30 °C, when
the pack has a station series ``climate_daily``) come from the station trend model's
delta-method outlook (:func:`models.climate_trend.outlook`): the reference period's days, and
the same days warmed by the chosen warming for 2050 (:func:`hot_days_kpi`).

Assumptions (stated in the result)
----------------------------------
* green roofs: a roof is ``ROOF_SHARE_OF_SEALED`` of a cell's sealed surface; greening a
  share of it removes that share of the roofs from the cell's sealing;
* a development seals its cells to ``DEVELOPMENT_SEALING`` of its use (no less than today)
  and houses ``PERSONS_PER_DWELLING`` residents per dwelling, spread evenly over its cells
  (constants in :mod:`models.scenario_cells`);
* a tree adds its crown area to the canopy of the affected cells, spread evenly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from models.scenario_cells import (
    ASSUMPTIONS,
    DEVELOPMENT_SEALING,
    PERSONS_PER_DWELLING,
    Applied,
    CellChange,
    changed_fields,
    sealed_ha,
)


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
    """Mean and 95th percentile of a change over the cells ``where`` (0, 0 if none). The
    percentile is taken in the direction of the mean: for a cooling, the cooling that 5 % of
    the cells exceed (the 5th percentile of the signed change), for a warming the 95th."""
    values = delta[where & np.isfinite(delta)]
    if not values.size:
        return 0.0, 0.0
    mean = float(values.mean())
    p95 = float(np.percentile(values, 5 if mean < 0 else 95))
    return mean + 0.0, p95 + 0.0


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


# --- the whole chain -------------------------------------------------------------------------

HOT_QUANTILE = 0.8  # without the caller's class breaks: the top fifth of the baseline index

KPI_LABELS: dict[str, dict[str, str]] = {
    "hot_all": {
        "de": "Menschen in der heißesten Verwundbarkeitsklasse",
        "en": "Residents in the hottest vulnerability class",
    },
    "hot_65plus": {
        "de": "davon 65 Jahre und älter",
        "en": "of them aged 65 and over",
    },
    "hot_under6": {"de": "davon unter 6 Jahre", "en": "of them under 6"},
    "lst_mean": {
        "de": "Oberflächentemperatur (LST) in den betroffenen Ortsteilen, Mittel",
        "en": "Surface temperature (LST) in the affected districts, mean",
    },
    "lst_change_mean": {
        "de": "Änderung der Oberflächentemperatur (LST) in den betroffenen Ortsteilen, Mittel",
        "en": "Change of surface temperature (LST) in the affected districts, mean",
    },
    "lst_change_p95": {
        "de": "Änderung der Oberflächentemperatur (LST), 95. Perzentil",
        "en": "Change of surface temperature (LST), 95th percentile",
    },
    "hot_days": {  # models.climate_trend.INDICES: hot_days are days with tmax >= 30.0 °C
        "de": "Heiße Tage pro Jahr (Station, Tmax ≥ 30 °C)",
        "en": "Hot days per year (station, Tmax ≥ 30 °C)",
    },
    "sealed_ha": {"de": "Versiegelte Fläche", "en": "Sealed area"},
    "canopy_ha": {"de": "Baumkronenfläche", "en": "Tree canopy area"},
    "trees": {"de": "Gepflanzte Bäume", "en": "Trees planted"},
    "conflicts": {"de": "Flächenkonflikte neuer Vorhaben", "en": "Land-use conflicts of new plans"},
}


@dataclass
class ScenarioResult:
    """A scenario's outcome: the surface-temperature fields (°C, y × x: observed baseline,
    scenario, change), what the interventions did, the KPIs (baseline, scenario, delta and,
    for model figures, the model's blocked cross-validated MAE) and the district table."""

    name: str
    horizon: str
    warming: float
    lst_baseline: np.ndarray
    lst_scenario: np.ndarray
    lst_delta: np.ndarray
    applied: Applied
    kpis: list[dict[str, Any]]
    districts: list[dict[str, Any]]
    hot_threshold: float
    model_mae: float | None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON the CLI prints (``allmende scenario run --json``)."""
        return {
            "name": self.name,
            "horizon": self.horizon,
            "warming": self.warming,
            "kpis": self.kpis,
            "districts": self.districts,
            "model_mae_k": self.model_mae,
            "hot_threshold": round(self.hot_threshold, 6),
            "assumptions": dict(ASSUMPTIONS),
            "notes": list(self.notes),
        }


def run(
    pack: Any,
    model: Any,
    changes: Sequence[CellChange],
    *,
    name: str = "",
    horizon: str = "today",
    warming: float | None = None,
    hot_threshold: float | None = None,
    weights: Mapping[str, Any] | None = None,
    norm: str = "zscore",
    conflicts_added: int = 0,
) -> ScenarioResult:
    """Apply ``changes`` to the pack's grid and carry them through the heat-response
    ``model`` (:class:`models.heat_response.HeatResponseModel`), the grid indicators, the
    vulnerability index (normalised on the baseline) and the KPIs. ``hot_threshold``: the
    lower bound of the baseline's hottest class (the map's classes; default: the baseline
    index's top fifth)."""
    from models.heat import grid_indicators, grid_indicators_with
    from models.heat_response import grid_fields
    from models.hvi import hvi

    grid = grid_fields(pack)
    if grid.target is None:
        raise ValueError("the scenario needs the grid's surface temperature (lst_day)")
    notes: list[str] = []
    drivers = dict(grid.drivers)
    shape = grid.valid.shape
    nan = np.full(shape, np.nan)
    canopy = drivers.get("tree_canopy", nan)
    imp = drivers.get("imperviousness", nan)
    raster = pack.raster("grid")
    population = (
        raster["population"].transpose("y", "x").to_numpy().astype(float)
        if "population" in raster.data_vars
        else np.zeros(shape)
    )
    applied = changed_fields(canopy, imp, population, changes, grid.cell_m)
    notes += applied.notes
    if "tree_canopy" not in drivers and any(c.canopy_pp or c.canopy_m2 for c in changes):
        notes.append("the grid has no tree_canopy: canopy interventions change nothing")
    if "imperviousness" not in drivers and any(
        c.unseal_pp or c.roof_share or c.sealing_to is not None for c in changes
    ):
        notes.append("the grid has no imperviousness: sealing interventions change nothing")
    changed = dict(drivers)
    if "tree_canopy" in drivers:
        changed["tree_canopy"] = applied.canopy
    if "imperviousness" in drivers:
        changed["imperviousness"] = applied.imperviousness
    base_pred = _baseline_prediction(model, pack, grid)
    new_pred = model.predict_grid(changed)
    delta = np.where(np.isfinite(base_pred) & np.isfinite(new_pred), new_pred - base_pred, 0.0)
    shift = float(warming or 0.0) if horizon == "2050" else 0.0
    lst_base = np.asarray(grid.target, dtype=float)
    lst_new = lst_base + delta + shift
    lst_delta = lst_new - lst_base

    # vulnerability and who lives in the hottest class, through the existing models
    override: dict[str, np.ndarray] = {"lst_day": lst_new, "population": applied.population}
    if "tree_canopy" in drivers:
        override["tree_canopy"] = applied.canopy
    if "imperviousness" in drivers:
        override["imperviousness"] = applied.imperviousness
    base_ind = grid_indicators(pack)
    new_ind = grid_indicators_with(pack, override)
    base_hvi = hvi(base_ind, weights, norm)
    new_hvi = hvi(new_ind, weights, norm, reference=base_ind)
    base_index = base_hvi.frame["index"].to_numpy(dtype=float)
    if hot_threshold is None:
        hot_threshold = float(np.nanquantile(base_index, HOT_QUANTILE))
    hot_b = hot_residents(base_ind.frame, base_index, hot_threshold)
    hot_s = hot_residents(
        new_ind.frame, new_hvi.frame["index"].to_numpy(dtype=float), hot_threshold
    )

    # districts the interventions touch
    district_of = _district_of_cells(pack, grid)
    ids, names = _district_names(pack)
    touched = np.unique(district_of[applied.cells & (district_of >= 0)])
    affected = np.isin(district_of, touched) & grid.valid
    if not affected.any():
        affected = applied.cells.copy()
    mean_b = float(np.nanmean(lst_base[affected])) if affected.any() else 0.0
    mean_s = float(np.nanmean(lst_new[affected])) if affected.any() else 0.0
    change_mean, change_p95 = delta_stats(lst_delta, affected)
    mae = model.card.get("cv", {}).get("blocked", {}).get("overall", {}).get("mae")
    mae_f = None if mae is None else float(mae)
    cell = grid.cell_m
    hot_days, hot_notes = hot_days_kpi(pack, shift)
    notes += hot_notes
    kpis = [
        kpi("hot_all", KPI_LABELS["hot_all"], "persons", hot_b["all"], hot_s["all"], 0),
        kpi("hot_65plus", KPI_LABELS["hot_65plus"], "persons", hot_b["65plus"], hot_s["65plus"], 0),
        kpi("hot_under6", KPI_LABELS["hot_under6"], "persons", hot_b["under6"], hot_s["under6"], 0),
        kpi("lst_mean", KPI_LABELS["lst_mean"], "°C", mean_b, mean_s, 2, mae_f),
        kpi("lst_change_mean", KPI_LABELS["lst_change_mean"], "K", 0.0, change_mean, 2, mae_f),
        kpi("lst_change_p95", KPI_LABELS["lst_change_p95"], "K", 0.0, change_p95, 2, mae_f),
        *hot_days,
        kpi("sealed_ha", KPI_LABELS["sealed_ha"], "ha", sealed_ha(imp, cell),
            sealed_ha(applied.imperviousness, cell), 1),
        kpi("canopy_ha", KPI_LABELS["canopy_ha"], "ha", sealed_ha(canopy, cell),
            sealed_ha(applied.canopy, cell), 1),
        kpi("trees", KPI_LABELS["trees"], "trees", 0, applied.trees, 0),
        kpi("conflicts", KPI_LABELS["conflicts"], "conflicts", 0, conflicts_added, 0),
    ]  # fmt: skip
    return ScenarioResult(
        name=name,
        horizon=horizon,
        warming=shift,
        lst_baseline=lst_base,
        lst_scenario=lst_new,
        lst_delta=lst_delta,
        applied=applied,
        kpis=kpis,
        districts=district_table(district_of, ids, names, lst_base, lst_new),
        hot_threshold=hot_threshold,
        model_mae=mae_f,
        notes=notes,
    )


def hot_days_kpi(pack: Any, warming: float) -> tuple[list[dict[str, Any]], list[str]]:
    """The ``hot_days`` KPI from the pack's station series (``climate_daily``) through the
    delta-method outlook (:func:`models.climate_trend.outlook`): baseline the reference
    period's hot days per year, scenario the same days warmed by ``warming`` K (0 today:
    no change). Answers ``([kpi], [])``; ``([], [])`` without a station series; ``([],
    [note])`` when the outlook has no result."""
    if not pack.has("climate_daily"):
        return [], []
    status, baseline, scenario = _station_hot_days(pack, float(warming))
    if status != "ok" or baseline is None or scenario is None:
        return [], [
            f"no hot-days figure: the station outlook (climate_daily) gives none ({status})"
        ]
    return [kpi("hot_days", KPI_LABELS["hot_days"], "days/year", baseline, scenario, 1)], []


@lru_cache(maxsize=16)
def _station_hot_days(pack: Any, warming: float) -> tuple[str, float | None, float | None]:
    """The outlook's status and its hot days per year for the reference period and warmed
    by ``warming`` K, once per pack and warming (the outlook counts every day again)."""
    from models.climate_trend import outlook

    try:
        result = outlook(pack.table("climate_daily"), deltas=[warming] if warming else [])
    except ValueError as err:
        return str(err), None, None
    if result["status"] != "ok":
        return str(result["status"]), None, None
    rows = {float(row["delta"]): row["hot_days"] for row in result["rows"]}
    baseline = rows.get(0.0)
    return "ok", baseline, rows.get(float(warming), baseline)


def _baseline_prediction(model: Any, pack: Any, grid: Any) -> np.ndarray:
    """The model's prediction for the pack's own fields, kept on the model per pack version
    (it never changes; about half of a run's prediction time)."""
    key = str(getattr(pack, "version", ""))
    kept = getattr(model, "_baseline_prediction", None)
    if not (isinstance(kept, tuple) and kept[0] == key):
        kept = (key, model.predict_grid(dict(grid.drivers)))
        kept[1].setflags(write=False)
        model._baseline_prediction = kept
    return kept[1]  # type: ignore[no-any-return]


@lru_cache(maxsize=4)
def _district_of_pack(pack: Any) -> np.ndarray:
    from models.heat import cell_districts
    from models.heat_response import grid_fields

    grid = grid_fields(pack)
    gx, gy = np.meshgrid(np.asarray(grid.x, dtype=float), np.asarray(grid.y, dtype=float))
    out = cell_districts(pack, gx.ravel(), gy.ravel()).reshape(gx.shape)
    out.setflags(write=False)
    return out


def district_index(pack: Any) -> np.ndarray:
    """The district index (into the pack's districts; -1: none) of every grid cell, y × x,
    read-only, once per pack."""
    return _district_of_pack(pack)


def _district_of_cells(pack: Any, grid: Any) -> np.ndarray:
    """The district index of every grid cell (y × x; -1: none), once per pack."""
    del grid  # the pack's own grid (grid_fields), cached with it
    return _district_of_pack(pack)


def _district_names(pack: Any) -> tuple[list[str], list[str]]:
    if not pack.has("districts"):
        return [], []
    frame = pack.metric("districts")
    return frame["district_id"].astype(str).tolist(), frame["name"].astype(str).tolist()


# --- from a resolved spec (models.scenario_spec) -----------------------------------------------


def changes_for(resolved: Any, pack: Any, grid: Any) -> tuple[list[CellChange], int]:
    """The cell changes of a resolved scenario (:func:`models.scenario_resolve.resolve`), and
    the number of rules its developments break (:func:`models.conflicts.assess_one` under
    the pack's rules). A cell belongs to an intervention when its centre lies in the
    intervention's area (its districts' union, its drawn area, or its plan)."""
    import shapely
    import shapely.ops
    from pyproj import CRS, Transformer

    gx, gy = np.meshgrid(np.asarray(grid.x, dtype=float), np.asarray(grid.y, dtype=float))
    metric = CRS.from_user_input(resolved.crs)
    grid_crs = CRS.from_wkt(grid.crs_wkt) if grid.crs_wkt else metric
    to_grid = None
    if grid_crs != metric:
        to_grid = Transformer.from_crs(metric, grid_crs, always_xy=True)
    changes: list[CellChange] = []
    conflicts = 0
    for item in resolved.interventions:
        geometry = item.geometry
        if to_grid is not None:
            geometry = shapely.ops.transform(to_grid.transform, geometry)
        mask = shapely.contains_xy(geometry, gx, gy)
        spec = item.intervention
        label = f"{item.number} ({item.kind})"
        if item.kind == "canopy":
            trees = int(spec.trees or 0)
            crown = float(spec.crown_m2 or 0.0)
            changes.append(
                CellChange("canopy", mask, canopy_pp=float(spec.percent or 0.0),
                           canopy_m2=trees * crown, trees=trees, label=label)
            )  # fmt: skip
        elif item.kind == "unseal":
            changes.append(CellChange("unseal", mask, unseal_pp=float(spec.percent), label=label))
        elif item.kind == "green_roofs":
            changes.append(
                CellChange("green_roofs", mask, roof_share=float(spec.share) / 100.0, label=label)
            )
        elif item.kind == "development":
            use = str(item.use)
            dwellings = int(item.dwellings or 0)
            changes.append(
                CellChange("development", mask, sealing_to=DEVELOPMENT_SEALING[use],
                           residents=dwellings * PERSONS_PER_DWELLING, label=label)
            )  # fmt: skip
            conflicts += _conflicts_of(pack, item.geometry, use, dwellings)
        else:  # pragma: no cover - the spec knows no other kinds
            raise ValueError(f"intervention {label}: unknown kind")
    return changes, conflicts


def _conflicts_of(pack: Any, geometry: Any, use: str, dwellings: int) -> int:
    """How many rules a development breaks (0 without constraint zones)."""
    if not pack.has("constraints"):
        return 0
    from models.conflicts import assess_one
    from models.drawn_plan import pack_index, pack_rules

    rules = pack_rules(pack)
    index = pack_index(pack, rules)
    result = assess_one(geometry, use, dwellings, index, rules, crs=index.crs)
    return len(result.plans[0].hits)


def run_spec(
    pack: Any,
    model: Any,
    resolved: Any,
    *,
    hot_threshold: float | None = None,
    weights: Mapping[str, Any] | None = None,
    norm: str = "zscore",
) -> ScenarioResult:
    """:func:`run` for a resolved spec (:func:`models.scenario_resolve.resolve`)."""
    from models.heat_response import grid_fields

    scenario = resolved.scenario
    changes, conflicts = changes_for(resolved, pack, grid_fields(pack))
    return run(
        pack,
        model,
        changes,
        name=scenario.name,
        horizon=scenario.horizon,
        warming=scenario.warming,
        hot_threshold=hot_threshold,
        weights=weights,
        norm=norm,
        conflicts_added=conflicts,
    )
