"""Where does a planned development conflict with climate and legal constraints, and how badly?

:func:`assess` overlays planned developments (``plans``: ``plan_id``, ``use``, optional
``name``, ``dwellings``, ``status``) with constraint zones (``constraints``: ``kind``,
optional ``constraint_id`` and ``name``) under a set of rules
(:mod:`models.conflict_rules`) and answers, per plan, which rules it breaks, where and on how
much of its area. :func:`assess_one` does the same for a single drawn polygon, through the
same code.

Units and definitions
---------------------
* Geometry is measured in a **metric CRS** (metres): ``metric_crs`` if given (the city
  pack's), else the plans' own CRS when it is projected in metres. Plans in a geographic CRS
  (degrees) without ``metric_crs`` are refused with a message; constraints are reprojected to
  the plans' metric CRS. Areas are m² internally and hectares (1 ha = 10 000 m²) in results.
* **Conflict polygon** of a plan and a constraint kind: the plan's geometry intersected with
  the constraint polygons of that kind, the pieces **unioned** before measuring — so
  overlapping constraint polygons of the same kind (two flood zones drawn over each other)
  count once. Kinds are not unioned with each other: a plan in both the flood zone and the
  ventilation core has an area in each.
* **Share**: conflict area ÷ plan area (0 … 1).
* A **hit** is a rule whose uses include the plan's use and whose constraint kind covers at
  least ``min_area_m2`` (default 1 m²) of the plan; smaller overlaps are slivers of shared
  edges and digitising, not conflicts. Several rules on one kind give one hit each.
* **Severity score** of a plan: ``Σ weight × share`` over its hits (0 when it has none; a
  plan wholly inside the zones of every rule scores the sum of their weights). Hard
  conflicts are flagged apart from the score (``PlanResult.hard``): a small hard overlap
  stays hard however low the score.
* **Conflict matrix**: planned use × constraint kind in hectares; a cell is the sum, over
  the plans of that use, of their conflict area in that kind (kinds with a hit only). Its
  grand total therefore equals the sum of every plan's per-kind conflict areas. Plans are
  counted each on their own: two overlapping plans both count their overlap.

Cost
----
Constraint polygons sit in a shapely 2 ``STRtree`` (:class:`ConstraintIndex`); a plan is
intersected only with the polygons whose boxes it meets, so the cost grows with the polygons a
plan touches, not with all polygons. Build the index once per constraint set
(:func:`index_constraints`) and pass it instead of the frame to assess many drawings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from data.landuse_vocab import CONSTRAINT_KINDS, PLANNED_USES
from models.conflict_rules import (
    EXCEPTION_PLAIN,
    EXCEPTION_UNDER,
    LANGS,
    VERDICT,
    Rule,
    RuleSet,
)

M2_PER_HA = 10_000.0
POLYGONAL = ("Polygon", "MultiPolygon")
NO_CONFLICT = {"de": "kein Konflikt", "en": "no conflict"}
_POLYGON_TYPE = 3  # shapely.get_type_id of a Polygon


# --- CRS -----------------------------------------------------------------------------------


def _label(crs: CRS) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.name


def _is_metric(crs: CRS) -> bool:
    if not crs.is_projected:
        return False
    units = {(axis.unit_name or "").lower() for axis in crs.axis_info}
    return bool(units) and units <= {"metre", "meter", "m"}


def metric_crs_for(frame_crs: Any, metric_crs: Any, what: str) -> CRS:
    """The CRS to measure ``what`` in: ``metric_crs`` if given, else ``frame_crs`` if metric.

    Raises ``ValueError`` naming the CRS when it is missing, geographic or not in metres.
    """
    if metric_crs is not None:
        crs = CRS.from_user_input(metric_crs)
        if not _is_metric(crs):
            raise ValueError(
                f"metric_crs {_label(crs)} is not a projected CRS in metres; "
                "give the city's metric CRS (a UTM zone, for example)"
            )
        return crs
    if frame_crs is None:
        raise ValueError(f"the {what} have no CRS; set one (GeoDataFrame.set_crs) before assessing")
    crs = CRS.from_user_input(frame_crs)
    if not _is_metric(crs):
        kind = "geographic, in degrees" if crs.is_geographic else "not in metres"
        raise ValueError(
            f"the {what} are in {_label(crs)} ({kind}); areas need a metric CRS: pass "
            "metric_crs (the city pack's metric CRS) or reproject them to one first"
        )
    return crs


def _ids(frame: pd.DataFrame, mask: Any, id_col: str, limit: int = 5) -> str:
    picked = frame.loc[np.asarray(mask, dtype=bool)]
    ids = (
        picked[id_col].astype(str).tolist()
        if id_col in picked.columns
        else [f"row {i}" for i in picked.index]
    )
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return ", ".join(ids[:limit]) + more


def _check_geometry(frame: gpd.GeoDataFrame, what: str, id_col: str) -> None:
    geom = frame.geometry
    empty = geom.isna() | geom.is_empty
    if empty.any():
        raise ValueError(f"{what}: empty or missing geometry in {_ids(frame, empty, id_col)}")
    wrong = ~geom.geom_type.isin(POLYGONAL)
    if wrong.any():
        found = geom[wrong].geom_type.iloc[0]
        raise ValueError(
            f"{what}: expected Polygon or MultiPolygon, found {found} in {_ids(frame, wrong, id_col)}"
        )
    invalid = ~geom.is_valid
    if invalid.any():
        reason = shapely.is_valid_reason(geom[invalid].values[0])
        raise ValueError(
            f"{what}: invalid geometry in {_ids(frame, invalid, id_col)} ({reason}); "
            "repair it (shapely.make_valid, or allmende import, which repairs on import)"
        )


# --- the constraint index ------------------------------------------------------------------


@dataclass(frozen=True)
class ConstraintIndex:
    """Constraint polygons in a metric CRS with an ``STRtree`` over them.

    ``geoms``, ``kinds`` and ``ids`` are parallel arrays; ``tree`` indexes ``geoms``.
    """

    crs: CRS
    geoms: np.ndarray
    kinds: np.ndarray
    ids: np.ndarray
    tree: shapely.STRtree

    def __len__(self) -> int:
        return len(self.geoms)


def index_constraints(
    constraints: gpd.GeoDataFrame,
    *,
    metric_crs: Any = None,
    kinds: Iterable[str] | None = None,
) -> ConstraintIndex:
    """Check ``constraints`` and index them in ``metric_crs`` (default: their own CRS,
    which must then be metric); keep only ``kinds`` if given (the kinds the rules overlay)."""
    if "kind" not in constraints.columns:
        raise ValueError(
            f"constraints: no column 'kind'; found {', '.join(map(str, constraints.columns))}"
        )
    id_col = "constraint_id"
    unknown = ~constraints["kind"].isin(list(CONSTRAINT_KINDS))
    if unknown.any():
        bad = constraints.loc[unknown, "kind"].iloc[0]
        raise ValueError(
            f"constraints: unknown kind {bad!r} in {_ids(constraints, unknown, id_col)}; "
            f"known: {', '.join(CONSTRAINT_KINDS)}"
        )
    crs = metric_crs_for(constraints.crs, metric_crs, "constraints")
    frame = constraints
    if kinds is not None:
        frame = frame.loc[frame["kind"].isin(list(kinds))]
    if len(frame):
        _check_geometry(frame, "constraints", id_col)
        frame = frame.to_crs(crs)
    ids = (
        frame[id_col].astype(str).to_numpy()
        if id_col in frame.columns
        else np.array([f"row {i}" for i in frame.index], dtype=object)
    )
    geoms = np.asarray(frame.geometry.values, dtype=object)
    return ConstraintIndex(
        crs=crs,
        geoms=geoms,
        kinds=frame["kind"].astype(str).to_numpy(),
        ids=ids,
        tree=shapely.STRtree(geoms),
    )


# --- results -------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _wgs84_transformer(crs_wkt: str) -> Transformer:
    """One transformer per CRS (building one costs milliseconds; a drawing writes several
    geometries)."""
    return Transformer.from_crs(CRS.from_wkt(crs_wkt), "EPSG:4326", always_xy=True)


def _to_wgs84(geom: BaseGeometry, crs: CRS, precision: int) -> dict[str, Any]:
    transformer = _wgs84_transformer(CRS.from_user_input(crs).to_wkt())

    def project(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.round(np.column_stack([x, y]), precision)

    return dict(mapping(shapely.transform(geom, project)))


@dataclass(frozen=True)
class Hit:
    """One rule a plan breaks: where (``geometry``, metric CRS), how much, and why."""

    rule: Rule
    area_m2: float
    share: float
    geometry: BaseGeometry
    constraint_ids: tuple[str, ...]

    @property
    def kind(self) -> str:
        return self.rule.constraint

    @property
    def area_ha(self) -> float:
        return self.area_m2 / M2_PER_HA

    @property
    def score(self) -> float:
        return self.rule.weight * self.share

    def to_dict(self, crs: CRS | None = None, precision: int = 6) -> dict[str, Any]:
        r = self.rule
        out: dict[str, Any] = {
            "rule_id": r.id,
            "constraint": r.constraint,
            "severity": r.severity,
            "weight": r.weight,
            "area_ha": round(self.area_ha, 4),
            "share": round(self.share, 6),
            "score": round(self.score, 6),
            "verdict": {lang: r.verdict(lang) for lang in LANGS},
            "title": dict(r.title),
            "explanation": dict(r.explanation),
            "exception": dict(r.exception) or None,
            "exception_under": r.exception_under,
            "reference": r.reference,
            "reference_date": r.reference_date,
            "constraint_ids": list(self.constraint_ids),
        }
        if crs is not None:
            out["geometry"] = _to_wgs84(self.geometry, crs, precision)
        return out


@dataclass(frozen=True)
class PlanResult:
    """One plan's conflicts: its hits (file order of the rules), per-kind conflict areas
    (m²), the footprint of all its conflicts together, and the severity score."""

    plan_id: str
    name: str
    use: str
    dwellings: int | None
    status: str | None
    area_m2: float
    geometry: BaseGeometry
    hits: tuple[Hit, ...]
    kind_areas: dict[str, float]
    footprint_m2: float
    score: float

    @property
    def area_ha(self) -> float:
        return self.area_m2 / M2_PER_HA

    @property
    def hard(self) -> bool:
        """Whether any hit is a hard conflict."""
        return any(h.rule.hard for h in self.hits)

    @property
    def severity(self) -> str:
        """``hard``, ``soft`` or ``none``."""
        if self.hard:
            return "hard"
        return "soft" if self.hits else "none"

    @property
    def exception_possible(self) -> bool:
        """Hard, and every hard hit has an exception path in its rule."""
        hard = [h for h in self.hits if h.rule.hard]
        return bool(hard) and all(h.rule.has_exception for h in hard)

    def verdict(self, lang: str = "en") -> str:
        """``no conflict``, ``soft``, ``hard`` or ``hard, exception possible under …``."""
        if not self.hits:
            return NO_CONFLICT[lang]
        if not self.hard:
            return VERDICT["soft"][lang]
        if not self.exception_possible:
            return VERDICT["hard"][lang]
        hard = [h.rule for h in self.hits if h.rule.hard]
        unders = list(dict.fromkeys(r.exception_under for r in hard if r.exception_under))
        if not unders:
            return f"{VERDICT['hard'][lang]}, {EXCEPTION_PLAIN[lang]}"
        joined = (" und " if lang == "de" else " and ").join(unders)
        return f"{VERDICT['hard'][lang]}, {EXCEPTION_UNDER[lang].format(under=joined)}"

    def to_dict(self, crs: CRS | None = None, precision: int = 6) -> dict[str, Any]:
        out: dict[str, Any] = {
            "plan_id": self.plan_id,
            "name": self.name,
            "use": self.use,
            "dwellings": self.dwellings,
            "status": self.status,
            "area_ha": round(self.area_ha, 4),
            "severity": self.severity,
            "hard": self.hard,
            "exception_possible": self.exception_possible,
            "verdict": {lang: self.verdict(lang) for lang in LANGS},
            "score": round(self.score, 6),
            "conflict_area_ha": round(self.footprint_m2 / M2_PER_HA, 4),
            "conflict_share": round(self.footprint_m2 / self.area_m2, 6) if self.area_m2 else 0.0,
            "kinds_ha": {k: round(v / M2_PER_HA, 4) for k, v in self.kind_areas.items()},
            "conflicts": [h.to_dict(crs, precision) for h in self.hits],
        }
        if crs is not None:
            out["geometry"] = _to_wgs84(self.geometry, crs, precision)
        return out


@dataclass(frozen=True)
class Assessment:
    """All plans' results, the conflict matrix (use × kind, hectares) and the CRS used."""

    plans: tuple[PlanResult, ...]
    matrix: pd.DataFrame
    crs: CRS
    rules: RuleSet
    min_area_m2: float = 1.0
    notes: tuple[str, ...] = field(default=())

    def plan(self, plan_id: str) -> PlanResult:
        for p in self.plans:
            if p.plan_id == plan_id:
                return p
        known = ", ".join(p.plan_id for p in self.plans)
        raise KeyError(f"no plan {plan_id!r} in the assessment; known: {known}")

    @property
    def total_conflict_ha(self) -> float:
        """Σ over plans and kinds of the conflict areas (= the matrix's grand total)."""
        return sum(sum(p.kind_areas.values()) for p in self.plans) / M2_PER_HA

    def to_dict(self, geometry: bool = False, precision: int = 6) -> dict[str, Any]:
        """JSON-able; with ``geometry``, plans and conflict polygons as GeoJSON geometries in
        EPSG:4326 (RFC 7946) rounded to ``precision`` decimals."""
        m = self.matrix
        return {
            "crs": _label(self.crs),
            "rules": self.rules.source,
            "min_area_m2": self.min_area_m2,
            "score_formula": "sum over hits of weight × share of the plan",
            "plans": [p.to_dict(self.crs if geometry else None, precision) for p in self.plans],
            "matrix": {
                "unit": "ha",
                "uses": list(m.index),
                "kinds": list(m.columns),
                "hectares": [[round(float(v), 4) for v in row] for row in m.to_numpy()],
                "use_totals": [round(float(v), 4) for v in m.sum(axis=1)],
                "kind_totals": [round(float(v), 4) for v in m.sum(axis=0)],
                "total": round(float(m.to_numpy().sum()), 4),
            },
            "labels": {
                "uses": {u: PLANNED_USES[u] for u in m.index},
                "kinds": {k: CONSTRAINT_KINDS[k] for k in m.columns},
            },
            "notes": list(self.notes),
        }


# --- the assessment ------------------------------------------------------------------------


def _polygonal(geoms: np.ndarray) -> BaseGeometry:
    """The union of the polygonal parts of ``geoms`` (lines and points of touching edges
    dropped); an empty polygon when there are none."""
    parts = shapely.get_parts(shapely.get_parts(np.asarray(geoms, dtype=object)))
    parts = parts[shapely.get_type_id(parts) == _POLYGON_TYPE]
    if len(parts) == 0:
        return shapely.Polygon()
    if len(parts) == 1:
        return parts[0]
    return shapely.union_all(parts)


def _prepare_plans(plans: gpd.GeoDataFrame, crs: CRS) -> gpd.GeoDataFrame:
    missing = [c for c in ("plan_id", "use") if c not in plans.columns]
    if missing:
        raise ValueError(
            f"plans: missing column(s) {', '.join(missing)}; found "
            f"{', '.join(str(c) for c in plans.columns if c != plans.geometry.name)}"
        )
    if plans.crs is None:
        raise ValueError("the plans have no CRS; set one (GeoDataFrame.set_crs) before assessing")
    if len(plans) == 0:
        raise ValueError("plans: no features to assess")
    ids = plans["plan_id"].astype(str)
    dup = ids.duplicated(keep=False)
    if dup.any():
        raise ValueError(f"plans: plan_id not unique: {', '.join(sorted(set(ids[dup])))}")
    unknown = ~plans["use"].isin(list(PLANNED_USES))
    if unknown.any():
        bad = plans.loc[unknown, "use"].iloc[0]
        raise ValueError(
            f"plans: unknown use {bad!r} in {_ids(plans, unknown, 'plan_id')}; "
            f"known: {', '.join(PLANNED_USES)}"
        )
    _check_geometry(plans, "plans", "plan_id")
    return plans.to_crs(crs)


def _optional(row: pd.Series, col: str) -> Any:
    if col not in row.index:
        return None
    value = row[col]
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def assess(
    plans: gpd.GeoDataFrame,
    constraints: gpd.GeoDataFrame | ConstraintIndex,
    rules: RuleSet,
    *,
    metric_crs: Any = None,
    min_area_m2: float = 1.0,
) -> Assessment:
    """Every plan's conflicts with the constraints under ``rules``.

    Parameters
    ----------
    plans
        Polygons with ``plan_id`` (unique) and ``use`` (a planned use); optional ``name``,
        ``dwellings`` and ``status`` are carried into the result. Any CRS.
    constraints
        Polygons with ``kind`` (a constraint kind) and optional ``constraint_id``, or an
        index built once with :func:`index_constraints` (its CRS is then the metric CRS).
    rules
        The rules (:func:`models.conflict_rules.load_rules`).
    metric_crs
        The CRS to measure in (the pack's metric CRS); default: the index's CRS, else the
        plans' CRS if it is projected in metres.
    min_area_m2
        Overlaps smaller than this (m²) are not conflicts.

    Raises
    ------
    ValueError
        Missing columns, unknown uses or kinds, duplicate plan ids, empty, non-polygonal or
        invalid geometry, no CRS, or no metric CRS to measure in; the message names the ids.
    """
    if isinstance(constraints, ConstraintIndex):
        if metric_crs is not None and CRS.from_user_input(metric_crs) != constraints.crs:
            raise ValueError(
                f"metric_crs {_label(CRS.from_user_input(metric_crs))} differs from the "
                f"constraint index's {_label(constraints.crs)}"
            )
        index = constraints
    else:
        crs = metric_crs_for(plans.crs, metric_crs, "plans")
        index = index_constraints(constraints, metric_crs=crs, kinds=rules.kinds())
    frame = _prepare_plans(plans, index.crs)
    geoms = np.asarray(frame.geometry.values, dtype=object)
    areas = shapely.area(geoms)
    uses = frame["use"].astype(str).to_numpy()
    kinds_for_use = {use: {r.constraint for r in rules.for_use(use)} for use in set(uses)}

    # every (plan, constraint) pair whose geometries meet, from the tree
    plan_idx, cons_idx = index.tree.query(geoms, predicate="intersects")
    if len(plan_idx):
        keep = np.fromiter(
            (
                index.kinds[c] in kinds_for_use[uses[p]]
                for p, c in zip(plan_idx, cons_idx, strict=True)
            ),
            dtype=bool,
            count=len(plan_idx),
        )
        plan_idx, cons_idx = plan_idx[keep], cons_idx[keep]
    pieces = shapely.intersection(geoms[plan_idx], index.geoms[cons_idx])
    piece_area = shapely.area(pieces)
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    for n, (p, c) in enumerate(zip(plan_idx, cons_idx, strict=True)):
        groups[(int(p), str(index.kinds[c]))].append(n)

    results: list[PlanResult] = []
    for i, (_, row) in enumerate(frame.iterrows()):
        area = float(areas[i])
        use = str(uses[i])
        kind_geoms: dict[str, BaseGeometry] = {}
        kind_ids: dict[str, tuple[str, ...]] = {}
        for kind in (k for k in CONSTRAINT_KINDS if k in kinds_for_use[use]):
            members = groups.get((i, kind))
            if not members:
                continue
            geom = _polygonal(pieces[members])
            if geom.area < min_area_m2:
                continue
            kind_geoms[kind] = geom
            kind_ids[kind] = tuple(
                str(index.ids[cons_idx[n]]) for n in members if piece_area[n] > 0
            )
        hits = tuple(
            Hit(
                rule=rule,
                area_m2=float(kind_geoms[rule.constraint].area),
                share=float(kind_geoms[rule.constraint].area / area) if area else 0.0,
                geometry=kind_geoms[rule.constraint],
                constraint_ids=kind_ids[rule.constraint],
            )
            for rule in rules.for_use(use)
            if rule.constraint in kind_geoms
        )
        footprint = float(shapely.union_all(list(kind_geoms.values())).area) if kind_geoms else 0.0
        dwellings = _optional(row, "dwellings")
        status = _optional(row, "status")
        name = _optional(row, "name")
        results.append(
            PlanResult(
                plan_id=str(row["plan_id"]),
                name="" if name is None else str(name),
                use=use,
                dwellings=None if dwellings is None else int(dwellings),
                status=None if status is None else str(status),
                area_m2=area,
                geometry=geoms[i],
                hits=hits,
                kind_areas={k: float(g.area) for k, g in kind_geoms.items()},
                footprint_m2=footprint,
                score=float(sum(h.score for h in hits)),
            )
        )
    return Assessment(
        plans=tuple(results),
        matrix=conflict_matrix(results, rules),
        crs=index.crs,
        rules=rules,
        min_area_m2=min_area_m2,
    )


def conflict_matrix(results: Iterable[PlanResult], rules: RuleSet) -> pd.DataFrame:
    """Planned use × constraint kind in hectares: Σ of the plans' conflict areas per kind.

    Rows are the uses present among the plans, columns the kinds the rules overlay, both in
    the vocabulary's order.
    """
    results = list(results)
    present = {p.use for p in results}
    uses = [u for u in PLANNED_USES if u in present]
    kinds = list(rules.kinds())
    matrix = pd.DataFrame(
        0.0, index=pd.Index(uses, name="use"), columns=pd.Index(kinds, name="kind")
    )
    for p in results:
        for kind, m2 in p.kind_areas.items():
            matrix.loc[p.use, kind] += m2 / M2_PER_HA
    return matrix


def assess_one(
    geometry: BaseGeometry,
    use: str,
    dwellings: int | None,
    constraints: gpd.GeoDataFrame | ConstraintIndex,
    rules: RuleSet,
    *,
    crs: Any = None,
    metric_crs: Any = None,
    plan_id: str = "drawn",
    name: str = "",
    min_area_m2: float = 1.0,
) -> Assessment:
    """One plan (a drawn polygon) assessed like :func:`assess`, with the same result.

    ``crs`` is the CRS of ``geometry`` (a drawing on the map: ``"EPSG:4326"``); default the
    constraints' (the index's) CRS.
    """
    if crs is None:
        crs = constraints.crs
    plans = gpd.GeoDataFrame(
        {"plan_id": [plan_id], "name": [name], "use": [use], "dwellings": [dwellings]},
        geometry=[geometry],
        crs=crs,
    )
    if metric_crs is None and not isinstance(constraints, ConstraintIndex):
        own = CRS.from_user_input(crs) if crs is not None else None
        if own is not None and not _is_metric(own) and constraints.crs is not None:
            cons = CRS.from_user_input(constraints.crs)
            if _is_metric(cons):
                metric_crs = cons
    return assess(plans, constraints, rules, metric_crs=metric_crs, min_area_m2=min_area_m2)
