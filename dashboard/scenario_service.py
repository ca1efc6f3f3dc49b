"""The scenario engine for the app: the heat-response model, prepared in the background, and
comparisons of two scenarios, cached per data version and scenario.

Requests never fit the model: :meth:`ScenarioService.start` loads it from the cache folder (or
fits it once per data version, :func:`models.heat_response.load_or_fit`) in a thread after
start-up; until then :attr:`ScenarioService.status` says ``"running"`` and the page says so.
Several processes share the work: the one holding ``<cache>/heat-model.lock`` loads or fits,
the others wait for the lock and then load what it wrote.

:meth:`ScenarioService.compare` runs both scenarios through :func:`models.scenario.run_spec`
and renders what the page shows: the two surface-temperature images on one colour scale, the
difference image on a diverging scale centred on zero, the KPIs of A and B with their
difference and the model's error, the district table and a grid-cell summary. Results are
kept per (pack version, scenario key), comparisons per pair: switching the view, the
language, or back to an earlier scenario costs nothing.

This module has no Dash import: the callbacks, the benchmark and the tests call it.
"""

from __future__ import annotations

import base64
import fcntl
import logging
import math
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from dashboard.jobs import BackgroundJob
from data.pack import CityPack

log = logging.getLogger("allmende")

DIFF_RAMP = "RdBu_r"  # blue: cooler, red: warmer; white at zero
LST_RAMP = "YlOrRd"
LOCK_FILE = "heat-model.lock"
UNCHANGED_K = 0.01  # a cell whose change is smaller is drawn clear on the difference map
MAX_RESULTS = 24
MAX_COMPARISONS = 24
# KPIs where less is better (residents in the hottest class, temperature, sealing, conflicts)
LOWER_IS_BETTER = {
    "hot_all",
    "hot_65plus",
    "hot_under6",
    "lst_mean",
    "lst_change_mean",
    "lst_change_p95",
    "hot_days",
    "sealed_ha",
    "conflicts",
}
HIGHER_IS_BETTER = {"canopy_ha"}
# the KPIs' units as the page and the report write them
UNIT_TEXT: dict[str, dict[str, str]] = {
    "persons": {"de": "Personen", "en": "persons"},
    "°C": {"de": "°C", "en": "°C"},
    "K": {"de": "K", "en": "K"},
    "ha": {"de": "ha", "en": "ha"},
    "trees": {"de": "Bäume", "en": "trees"},
    "conflicts": {"de": "Konflikte", "en": "conflicts"},
    "days/year": {"de": "Tage/Jahr", "en": "days/year"},
}


@dataclass(frozen=True)
class Image:
    """A PNG laid over the map, and its ``bounds`` ``[[s, w], [n, e]]``."""

    png: bytes
    bounds: list[list[float]]

    @property
    def url(self) -> str:
        """The PNG as a data URL (for a scenario too large for an image address)."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass
class Comparison:
    """Scenario B against scenario A: everything the page shows, in plain data."""

    name_a: str
    name_b: str
    kpis: list[dict[str, Any]]
    districts: list[dict[str, Any]]
    cells: dict[str, Any]
    lst_a: Any  # surface temperature of A and B (°C; y × x)
    lst_b: Any
    lst_scale: tuple[float, float]
    diff_span: float
    changed_districts: list[str]
    model_mae: float | None
    notes: list[str] = field(default_factory=list)
    delta: Any = None  # the grid of B − A (K; y × x), for tests and the benchmark


class ScenarioService(BackgroundJob):
    THREAD_NAME = "allmende-heat-model"

    def __init__(self, pack: CityPack, cache_dir: Path | None) -> None:
        super().__init__()
        self.pack = pack
        self.cache_dir = cache_dir
        self.model: Any = None
        self._warming: Any = None  # the model while the baseline runs (``_warm``)
        self._results: OrderedDict[str, Any] = OrderedDict()
        self._comparisons: OrderedDict[tuple[str, str], Comparison] = OrderedDict()
        self._images: OrderedDict[str, Image] = OrderedDict()
        self._bounds: list[list[float]] | None = None

    @property
    def available(self) -> bool:
        """The pack has what a scenario needs: a grid with surface temperature."""
        if not self.pack.has("grid"):
            return False
        try:
            return "lst_day" in self.pack.raster("grid").data_vars
        except (OSError, ValueError):
            return False

    @property
    def done(self) -> bool:
        return self.model is not None

    def use(self, model: Any) -> None:
        """Use an already fitted model (tests, benchmarks)."""
        self.model = model

    def _run(self) -> None:
        from models.heat_response import fit, load_or_fit

        try:
            if self.cache_dir is None:
                self.model = fit(self.pack)
                return
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            # one process fits, the others wait for its file (gunicorn workers, app servers)
            fd = os.open(self.cache_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                model = load_or_fit(self.pack, self.cache_dir)
            finally:
                os.close(fd)  # closing the descriptor releases the lock
            self._warm(model)
            self.model = model
        except (ValueError, OSError, RuntimeError) as err:
            self.error = str(err)[:300]

    def _warm(self, model: Any) -> None:
        """Run the baseline once, before the model is handed out: its prediction, the district
        lookup, the grid indicators, the station outlook and the image grid are then cached,
        and the first visitor does not wait for them (about 0.4 s at the demo's scale)."""
        from models.scenario_spec import SpecError

        self._warming = model  # for the runs below; ``status`` is "ready" once they are done
        try:
            cmp = self.compare(BASELINE, BASELINE)
            self.lst_image(BASELINE, cmp.lst_scale[1])
            self.diff_image(BASELINE, BASELINE)
        except (SpecError, ValueError, KeyError) as err:  # a courtesy: the page computes it
            log.warning("scenarios: the baseline was not prepared: %s", str(err)[:200])
        finally:
            self._warming = None

    # --- running scenarios -------------------------------------------------------------------

    def result(self, doc: Mapping[str, Any]) -> Any:
        """The :class:`models.scenario.ScenarioResult` of a scenario's JSON (checked and
        matched to the pack here too: raises :class:`models.scenario_spec.SpecError`)."""
        from models.scenario import run_spec
        from models.scenario_resolve import resolve
        from models.scenario_spec import from_json

        key = f"{self.pack.version}:{content_key(from_json(doc))}"
        found = _get(self._results, key, self._lock)
        if found is not None:
            return found
        model = self.model if self.model is not None else self._warming
        if model is None:
            raise RuntimeError("the heat model is not ready yet")
        result = run_spec(self.pack, model, resolve(from_json(doc), self.pack))
        _put(self._results, key, result, MAX_RESULTS, self._lock)
        return result

    def compare(self, doc_a: Mapping[str, Any], doc_b: Mapping[str, Any]) -> Comparison:
        """Scenario B against A (both as scenario JSON); cached per pair."""
        from models.scenario_spec import from_json

        scenario_a, scenario_b = from_json(doc_a), from_json(doc_b)
        names = {"name_a": scenario_a.name, "name_b": scenario_b.name}
        key = (f"{self.pack.version}:{content_key(scenario_a)}", content_key(scenario_b))
        found = _get(self._comparisons, key, self._lock)
        if found is None:
            found = self._compare(self.result(doc_a), self.result(doc_b), key)
            _put(self._comparisons, key, found, MAX_COMPARISONS, self._lock)
        return replace(found, **names)  # the names are not part of what is cached

    def _compare(self, a: Any, b: Any, key: tuple[str, str]) -> Comparison:
        from layers.heat.surface import scale

        lo, hi = scale(self.pack, "lst_day")
        hi += max(a.warming, b.warming)  # one scale for both maps, room for 2050
        delta = np.asarray(b.lst_scenario, dtype=float) - np.asarray(a.lst_scenario, dtype=float)
        finite = delta[np.isfinite(delta)]
        biggest = float(np.max(np.abs(finite))) if finite.size else 0.0
        span = max(0.5, math.ceil(biggest * 2) / 2)
        mae = b.model_mae if b.model_mae is not None else a.model_mae
        kpis = compare_kpis(a.kpis, b.kpis)
        cells = a.applied.cells | b.applied.cells
        if a.warming != b.warming:  # a different horizon changes every cell
            cells = np.isfinite(delta)
        where = self._affected(cells)
        _in_affected(kpis, where, a.lst_scenario, b.lst_scenario, delta)
        return Comparison(
            name_a=a.name,
            name_b=b.name,
            kpis=kpis,
            districts=compare_districts(a.districts, b.districts),
            cells=cell_summary(delta, self._cell_m()),
            lst_a=a.lst_scenario,
            lst_b=b.lst_scenario,
            lst_scale=(lo, hi),
            diff_span=span,
            changed_districts=[
                str(row["district"])
                for row in compare_districts(a.districts, b.districts)
                if row["lst_delta"] is not None and abs(row["lst_delta"]) >= UNCHANGED_K
            ],
            model_mae=mae,
            notes=list(dict.fromkeys([*a.notes, *b.notes])),
            delta=delta,
        )

    def _affected(self, cells: Any) -> Any:
        """The cells of the districts that hold any of ``cells`` (``cells`` itself where
        none is in a district)."""
        from models.scenario import district_index

        district_of = district_index(self.pack)
        touched = np.unique(district_of[cells & (district_of >= 0)])
        return np.isin(district_of, touched) if touched.size else np.asarray(cells)

    def _cell_m(self) -> float:
        from models.heat_response import grid_fields

        return float(grid_fields(self.pack).cell_m)

    def bounds(self) -> list[list[float]]:
        """Where the images lie on the map (``[[s, w], [n, e]]``; the pack's grid), once."""
        if self._bounds is None:
            from pyproj import CRS

            from layers.raster import warp_to_mercator

            grid = self.pack.raster("grid")
            _, ((s, w), (n, e)) = warp_to_mercator(grid["lst_day"], CRS.from_wkt(grid.attrs["crs"]))
            self._bounds = [[s, w], [n, e]]
        return self._bounds

    # --- images (rendered on request, cached) ------------------------------------------------

    def lst_image(self, doc: Mapping[str, Any], hi: float) -> Image:
        """A scenario's surface temperature on the scale from the pack's low end to ``hi``."""
        from layers.heat.surface import scale
        from models.scenario_spec import from_json

        lo = scale(self.pack, "lst_day")[0]
        key = f"{self.pack.version}:lst:{content_key(from_json(doc))}:{hi:g}"
        return self._image(key, lambda: self.result(doc).lst_scenario, lo, hi, LST_RAMP)

    def diff_image(self, doc_a: Mapping[str, Any], doc_b: Mapping[str, Any]) -> Image:
        """B − A on the diverging scale of their comparison; cells that change by less than
        :data:`UNCHANGED_K` are clear."""
        from models.scenario_spec import from_json

        cmp = self.compare(doc_a, doc_b)
        delta = cmp.delta
        pair = f"{content_key(from_json(doc_a))}:{content_key(from_json(doc_b))}"
        key = f"{self.pack.version}:diff:{pair}"

        def values() -> Any:
            return np.where(np.abs(delta) >= UNCHANGED_K, delta, np.nan)

        return self._image(key, values, -cmp.diff_span, cmp.diff_span, DIFF_RAMP)

    def _image(self, key: str, values: Callable[[], Any], lo: float, hi: float, ramp: str) -> Image:
        found = _get(self._images, key, self._lock)
        if found is not None:
            return found
        made = render(self.pack, values(), lo, hi, ramp)
        _put(self._images, key, made, 3 * MAX_COMPARISONS, self._lock)
        return made


def render(pack: CityPack, values: Any, lo: float, hi: float, ramp: str) -> Image:
    """A grid field (y × x, the pack grid's cells) as a PNG over the map."""
    import xarray as xr
    from pyproj import CRS

    from layers.raster import colorize_scale, warp_to_mercator

    grid = pack.raster("grid")
    field_ = xr.DataArray(
        np.asarray(values, dtype=float),
        coords={"y": grid["y"].to_numpy(), "x": grid["x"].to_numpy()},
        dims=("y", "x"),
    )
    array, bounds = warp_to_mercator(field_, CRS.from_wkt(grid.attrs["crs"]))
    (s, w), (n, e) = bounds
    return Image(png=colorize_scale(array, lo, hi, ramp), bounds=[[s, w], [n, e]])


# the baseline (its name plays no part in its figures: see content_key)
BASELINE: dict[str, Any] = {
    "version": 1,
    "name": "baseline",
    "horizon": "today",
    "interventions": [],
}


def content_key(scenario: Any) -> str:
    """What a scenario's figures depend on: its key without its name (a renamed scenario
    reuses its figures)."""
    from models.scenario_spec import scenario_key

    return scenario_key(replace(scenario, name=""))


def direction(kpi_id: str, delta: float) -> str:
    """``better``, ``worse`` or ``same`` for a change of a KPI; ``up``/``down`` for one that
    is neither (trees planted: more is the measure itself)."""
    if abs(delta) < 1e-9:
        return "same"
    if kpi_id in LOWER_IS_BETTER:
        return "better" if delta < 0 else "worse"
    if kpi_id in HIGHER_IS_BETTER:
        return "better" if delta > 0 else "worse"
    return "up" if delta > 0 else "down"


def compare_kpis(
    kpis_a: list[dict[str, Any]], kpis_b: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The KPIs of B against A: each with ``a`` and ``b`` (the scenario values), ``delta``
    (B − A), ``unit``, ``error`` (the model's MAE for modelled figures) and ``direction``.

    Changes (``lst_change_*``, trees, conflicts) are against the pack's baseline in each
    scenario; their B − A is the difference of those."""
    by_id = {k["id"]: k for k in kpis_a}
    out = []
    for kb in kpis_b:
        ka = by_id.get(kb["id"])
        if ka is None:
            continue
        digits = _digits(kb)
        a, b = float(ka["scenario"]), float(kb["scenario"])
        delta = round(b - a, digits) + 0.0
        out.append(
            {
                "id": kb["id"],
                "label": dict(kb["label"]),
                "unit": kb["unit"],
                "a": a,
                "b": b,
                "delta": delta,
                "digits": digits,
                "error": kb.get("error"),
                "direction": direction(kb["id"], delta),
            }
        )
    return out


def _in_affected(
    kpis: list[dict[str, Any]], where: Any, lst_a: Any, lst_b: Any, delta: Any
) -> None:
    """The temperature KPIs of B against A over the same cells, ``where`` (the districts
    either scenario acts in), in place: the mean of each, and the mean and p95 of B − A
    (:func:`models.scenario.delta_stats`, as for a single scenario)."""
    from models.scenario import delta_stats

    mean, p95 = delta_stats(np.nan_to_num(delta), where)
    for row in kpis:
        if row["id"] == "lst_mean":
            a = float(np.nanmean(lst_a[where])) if where.any() else 0.0
            b = float(np.nanmean(lst_b[where])) if where.any() else 0.0
            row.update(a=round(a, 2) + 0.0, b=round(b, 2) + 0.0, delta=round(b - a, 2) + 0.0)
        elif row["id"] in ("lst_change_mean", "lst_change_p95"):
            value = round(mean if row["id"] == "lst_change_mean" else p95, 2) + 0.0
            row.update(a=0.0, b=value, delta=value)
        else:
            continue
        row["direction"] = direction(row["id"], row["delta"])


def _digits(kpi: Mapping[str, Any]) -> int:
    return {"persons": 0, "trees": 0, "conflicts": 0, "°C": 2, "K": 2}.get(str(kpi["unit"]), 1)


def compare_districts(
    rows_a: list[dict[str, Any]], rows_b: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Per district: the mean surface temperature in A and in B and B − A (K)."""
    by_id = {r["district"]: r for r in rows_a}
    out = []
    for rb in rows_b:
        ra = by_id.get(rb["district"])
        if ra is None:
            continue
        a, b = ra.get("lst_scenario"), rb.get("lst_scenario")
        delta = None if a is None or b is None else round(float(b) - float(a), 3) + 0.0
        out.append(
            {
                "district": rb["district"],
                "name": rb["name"],
                "lst_a": a,
                "lst_b": b,
                "lst_delta": delta,
            }
        )
    return out


def cell_summary(delta: Any, cell_m: float) -> dict[str, Any]:
    """How many grid cells change (by at least :data:`UNCHANGED_K`), and by how much."""
    values = np.asarray(delta, dtype=float)
    finite = values[np.isfinite(values)]
    changed = finite[np.abs(finite) >= UNCHANGED_K]
    return {
        "total": int(finite.size),
        "changed": int(changed.size),
        "min": round(float(changed.min()), 2) + 0.0 if changed.size else 0.0,
        "max": round(float(changed.max()), 2) + 0.0 if changed.size else 0.0,
        "mean": round(float(changed.mean()), 2) + 0.0 if changed.size else 0.0,
        "cell_m": cell_m,
    }


def _get(cache: OrderedDict[Any, Any], key: Any, lock: threading.Lock) -> Any:
    with lock:
        found = cache.get(key)
        if found is not None:
            cache.move_to_end(key)
        return found


def _put(
    cache: OrderedDict[Any, Any], key: Any, value: Any, limit: int, lock: threading.Lock
) -> None:
    with lock:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > limit:
            cache.popitem(last=False)
