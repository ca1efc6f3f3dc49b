"""A scenario matched to a city pack: its districts by name or id (close matches offered for
an unknown one), its areas read and checked as drawings (files relative to the spec's
folder; inline areas from the app), its plans from the pack's plan list. A refused scenario
raises :class:`models.scenario_spec.SpecError` with every problem and changes nothing. The
scenario itself (reading, checking, writing) is :mod:`models.scenario_spec`."""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from models.drawn_plan import DrawingError, check_drawing, pack_city_area
from models.scenario_spec import (
    MAX_AREA_FILE_BYTES,
    Area,
    Development,
    Intervention,
    Scenario,
    SpecError,
    SpecProblem,
    count_text,
    what_found,
)

# --- resolution against a pack -----------------------------------------------------------------


@dataclass(frozen=True)
class ResolvedIntervention:
    """One intervention matched against a pack.

    ``districts``: the district ids it applies to (empty for an area or a plan);
    ``geometry``: where it applies, in the pack's metric CRS (the union of its districts,
    the checked area, or the plan's polygon); ``plan_id``, ``use`` and ``dwellings``: for a
    development (defaults filled from the plan; 0 dwellings for a drawn area or a plan
    without a count)."""

    number: int
    intervention: Intervention
    districts: tuple[str, ...]
    geometry: BaseGeometry
    plan_id: str | None = None
    use: str | None = None
    dwellings: int | None = None

    @property
    def kind(self) -> str:
        return self.intervention.kind


@dataclass(frozen=True)
class Resolved:
    """A scenario matched against a pack; geometries are in ``crs`` (the pack's metric CRS)."""

    scenario: Scenario
    interventions: tuple[ResolvedIntervention, ...]
    crs: str


def resolve(scenario: Scenario, pack: Any, base_dir: Path | str | None = None) -> Resolved:
    """Match ``scenario`` against ``pack`` (a :class:`data.pack.CityPack`): district names
    (case-insensitive) and ids (exact), area files (relative to ``base_dir``, else the
    scenario's own ``base_dir``; without one a path is refused — inline the geometry), drawn
    areas (:func:`models.drawn_plan.check_drawing`) and plan ids. Raises :class:`SpecError`
    with every problem; reads the pack and area files, changes nothing."""
    folder = base_dir if base_dir is not None else scenario.base_dir
    problems: list[SpecProblem] = []
    districts = _DistrictIndex(pack) if _needs(scenario, "districts") else None
    plans = (
        _plans(pack)
        if any(isinstance(i, Development) and i.plan is not None for i in scenario.interventions)
        else None
    )
    city: BaseGeometry | None = None
    out: list[ResolvedIntervention] = []
    for n, item in enumerate(scenario.interventions, start=1):

        def bad(key: str, message: str, n: int = n, item: Intervention = item) -> None:
            problems.append(SpecProblem(message, field=key, number=n, kind=item.kind))

        ids: tuple[str, ...] = ()
        geom: BaseGeometry | None = None
        plan_id = use = None
        dwellings = None
        if isinstance(item, Development):
            use, dwellings = item.use, item.dwellings
        wanted = getattr(item, "districts", None)
        if wanted is not None:
            assert districts is not None
            ids, geom = districts.match(wanted, bad)
        elif item.area is not None:
            if city is None:
                city = pack_city_area(pack)
            geom = _area_geometry(item.area, folder, city, pack.city.metric_crs, bad)
            if isinstance(item, Development):
                dwellings = 0 if dwellings is None else dwellings
        elif isinstance(item, Development) and item.plan is not None:
            found = _plan(plans, item.plan, bad)  # no plans dataset: refused there
            if found is not None:
                plan_id = item.plan
                geom, plan_use, plan_dwellings = found
                use = use if use is not None else plan_use
                dwellings = dwellings if dwellings is not None else plan_dwellings
        if geom is not None:
            out.append(ResolvedIntervention(n, item, ids, geom, plan_id, use, dwellings))
    if problems:
        raise SpecError(problems)
    return Resolved(scenario, tuple(out), str(pack.city.metric_crs))


def _needs(scenario: Scenario, key: str) -> bool:
    return any(getattr(i, key, None) is not None for i in scenario.interventions)


class _DistrictIndex:
    """The pack's districts by id (exact) and by name (case-insensitive)."""

    def __init__(self, pack: Any):
        self.ok = pack.has("districts")
        if not self.ok:
            return
        frame = pack.metric("districts")
        self.ids = [str(v) for v in frame["district_id"]]
        self.names = [str(v) for v in frame["name"]] if "name" in frame else list(self.ids)
        self.geoms = list(frame.geometry.values)
        self.by_id = {d: k for k, d in enumerate(self.ids)}
        self.by_name: dict[str, list[int]] = {}
        for k, name in enumerate(self.names):
            self.by_name.setdefault(name.casefold(), []).append(k)

    def match(self, wanted: Sequence[str], bad: Any) -> tuple[tuple[str, ...], BaseGeometry | None]:
        if not self.ok:
            bad("districts", "expected a pack with a districts dataset, found none")
            return (), None
        rows: list[int] = []
        for i, token in enumerate(wanted, start=1):
            key = f"districts[{i}]" if len(wanted) > 1 else "districts"
            if token in self.by_id:
                rows.append(self.by_id[token])
                continue
            hits = self.by_name.get(token.casefold(), [])
            if len(hits) == 1:
                rows.append(hits[0])
            elif hits:
                several = ", ".join(self.ids[k] for k in hits)
                bad(
                    key,
                    f"expected a name of one district (or its id), found "
                    f"{what_found(token)}, the name of several (ids {several})",
                )
            else:
                bad(
                    key,
                    f"expected a district name or id of the pack, found {what_found(token)}"
                    f"{self._close(token)}",
                )
        unique = list(dict.fromkeys(rows))  # the same district twice applies once per cell
        ids = tuple(self.ids[k] for k in unique)
        geom = shapely.union_all([self.geoms[k] for k in unique]) if unique else None
        return ids, geom

    def _close(self, token: str) -> str:
        labels = {
            name.casefold(): f'"{name}" ({self.ids[k]})'
            for name, k in ((n, k) for k, n in enumerate(self.names))
        }
        labels.update({d.casefold(): f'"{self.names[k]}" ({d})' for k, d in enumerate(self.ids)})
        wanted = token.casefold()
        # a part of a name finds the whole name
        close = [key for key in labels if wanted in key][:3]
        close += difflib.get_close_matches(wanted, list(labels), n=3, cutoff=0.6)
        shown = list(dict.fromkeys(labels[c] for c in close))[:5]
        if shown:
            return f"; close matches: {', '.join(shown)}"
        return f" (the pack has {len(self.ids)} districts; none is close)"


def _plans(pack: Any) -> Any:
    return pack.metric("plans") if pack.has("plans") else None


def _plan(plans: Any, plan_id: str, bad: Any) -> tuple[BaseGeometry, str, int] | None:
    if plans is None:
        bad("plan", "expected a pack with a plans dataset, found none")
        return None
    ids = [str(v) for v in plans["plan_id"]]
    if plan_id not in ids:
        shown = ", ".join(ids[:30]) + (f" … ({len(ids)} in all)" if len(ids) > 30 else "")
        bad("plan", f"expected a plan id of the pack ({shown}), found {what_found(plan_id)}")
        return None
    row = plans.iloc[ids.index(plan_id)]
    raw = row.get("dwellings") if "dwellings" in plans else None
    dwellings = 0 if raw is None or pd.isna(raw) else int(raw)
    return row.geometry, str(row["use"]), dwellings


def _area_geometry(
    area: Area, folder: Path | str | None, city: BaseGeometry, crs: Any, bad: Any
) -> BaseGeometry | None:
    geojson: Any = area
    name = "the inline geometry"
    if isinstance(area, str):
        name = area
        if folder is None:
            bad(
                "area",
                f"{area}: expected a spec file's folder to read it from, found none "
                "(inline the GeoJSON geometry instead)",
            )
            return None
        path = Path(folder) / area
        try:
            if path.stat().st_size > MAX_AREA_FILE_BYTES:
                bad(
                    "area",
                    f"{area}: expected a file of at most "
                    f"{count_text(MAX_AREA_FILE_BYTES)} bytes, found {count_text(path.stat().st_size)}",
                )
                return None
            geojson = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            bad("area", f"{area}: expected a GeoJSON file, found no such file")
            return None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            bad(
                "area",
                f"{area}: expected a GeoJSON file, found one that cannot be read "
                f"({type(err).__name__}: {err})",
            )
            return None
        if isinstance(geojson, dict) and geojson.get("type") == "FeatureCollection":
            features = geojson.get("features")
            if not isinstance(features, list) or len(features) != 1:
                count = len(features) if isinstance(features, list) else 0
                bad("area", f"{area}: expected one polygon feature, found {count} features")
                return None
            geojson = features[0]
    try:
        return check_drawing(geojson, city, crs)
    except DrawingError as err:
        bad("area", f"{name}: {err.en}")
        return None
