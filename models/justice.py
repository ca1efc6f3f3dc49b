"""Climate justice: who bears the heat?

Given units with residents (grid cells where the pack has a population grid, otherwise
districts) and a heat exposure per unit (``lst_day`` or ``tair_night``, °C):

* **Population-weighted exposure** of a group: ``Σ p_g · x / Σ p_g`` over the units, for
  everyone, people aged 65+ and children under 6 (°C).
* **Share in the hottest class**: the share of each group living in units whose exposure is
  above ``threshold`` (the lower bound of the hottest map class, chosen by the caller).
* **Concentration curve and index** against a social indicator (here: the registered
  unemployed per resident of a district): districts are ordered from the most to the least
  disadvantaged; the curve plots the cumulative share of residents against the cumulative
  share of the heat burden (residents living in the hottest class). The concentration index
  ``CI = 2 · cov_w(h, R) / mean_w(h)`` with the population-weighted fractional rank ``R``
  lies in [-1, 1]; **negative** means the burden falls more on disadvantaged districts, 0
  means it is shared in proportion to population. It describes districts, not people
  (ecological data), and an association, not a cause.
* **Ranked table**: districts ordered by the number of residents in the hottest class.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

GROUPS: dict[str, dict[str, str]] = {
    "all": {"de": "Alle Einwohner", "en": "All residents"},
    "65plus": {"de": "Ab 65 Jahren", "en": "Aged 65+"},
    "under6": {"de": "Unter 6 Jahren", "en": "Under 6"},
}
_GROUP_COLS = {"all": "population", "65plus": "pop_65plus", "under6": "pop_under6"}


@dataclass(frozen=True)
class GroupExposure:
    group: str
    persons: float
    mean_exposure: float
    in_hottest: float
    share_in_hottest: float


@dataclass(frozen=True)
class Concentration:
    """Cumulative shares (starting at 0) in order from most to least disadvantaged."""

    indicator: str
    order: tuple[str, ...]
    cum_population: tuple[float, ...]
    cum_burden: tuple[float, ...]
    index: float


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def group_exposure(units: pd.DataFrame, variable: str, threshold: float) -> list[GroupExposure]:
    """Population-weighted exposure and hottest-class share per group (see module doc)."""
    x = units[variable].to_numpy(dtype=float)
    hot = np.isfinite(x) & (x > threshold)
    out = []
    for group, col in _GROUP_COLS.items():
        if col not in units.columns:
            continue
        p = np.nan_to_num(units[col].to_numpy(dtype=float), nan=0.0)
        ok = np.isfinite(x) & (p > 0)
        persons = float(p[ok].sum())
        if persons <= 0:
            continue
        mean = float(np.sum(p[ok] * x[ok]) / persons)
        in_hot = float(p[hot & ok].sum())
        out.append(GroupExposure(group, persons, mean, in_hot, in_hot / persons))
    return out


def concentration(
    units: pd.DataFrame, social: str, burden: str, weight: str = "population"
) -> Concentration | None:
    """Concentration curve and index of ``burden`` against ``social`` (higher = worse off).

    ``burden`` is a per-resident, ratio-scale quantity (e.g. the share of residents in the
    hottest class). Returns ``None`` when there is nothing to concentrate (no burden).
    """
    frame = units[["unit_id", social, burden, weight]].dropna()
    frame = frame[frame[weight] > 0]
    if frame.empty:
        return None
    frame = frame.sort_values([social, "unit_id"], ascending=[False, True], kind="stable")
    w = frame[weight].to_numpy(dtype=float)
    h = frame[burden].to_numpy(dtype=float)
    total_w = w.sum()
    mean_h = float(np.sum(w * h) / total_w)
    if mean_h <= 0:
        return None
    rank = (np.cumsum(w) - w / 2.0) / total_w
    ci = float(2.0 * np.sum(w * (h - mean_h) * (rank - 0.5)) / total_w / mean_h)
    cum_w = np.concatenate([[0.0], np.cumsum(w) / total_w])
    cum_b = np.concatenate([[0.0], np.cumsum(w * h) / np.sum(w * h)])
    return Concentration(
        social,
        tuple(frame["unit_id"].astype(str)),
        tuple(float(v) for v in cum_w),
        tuple(float(v) for v in cum_b),
        ci,
    )


def curve_area_index(conc: Concentration) -> float:
    """``1 - 2 · area under the curve`` (trapezoids); equals :attr:`Concentration.index`."""
    x = np.asarray(conc.cum_population)
    y = np.asarray(conc.cum_burden)
    area = float(np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2.0))
    return 1.0 - 2.0 * area


def district_burden(
    cells: pd.DataFrame, districts: pd.DataFrame, variable: str, threshold: float
) -> pd.DataFrame:
    """Per district: residents (all, 65+, under 6) living in the hottest class.

    ``cells`` are the units exposure is measured on, with ``district_id``; if they are the
    districts themselves (no population grid), a district is either wholly in or out.
    """
    x = cells[variable].to_numpy(dtype=float)
    hot = np.isfinite(x) & (x > threshold)
    key = cells["district_id"] if "district_id" in cells.columns else cells["unit_id"]
    rows = []
    for did in districts["unit_id"].astype(str):
        mask = (key.astype(str) == did).to_numpy()
        row: dict[str, Any] = {"unit_id": did}
        for group, col in _GROUP_COLS.items():
            p = (
                np.nan_to_num(cells[col].to_numpy(dtype=float), nan=0.0)
                if col in cells.columns
                else np.zeros(len(cells))
            )
            row[f"hot_{group}"] = float(p[mask & hot].sum())
            if group == "all":
                row["counted"] = float(p[mask & np.isfinite(x)].sum())
        rows.append(row)
    out = districts.merge(pd.DataFrame(rows), on="unit_id", how="left")
    with np.errstate(invalid="ignore", divide="ignore"):
        # share of the residents counted on the exposure units (cells) of the district
        out["hot_share"] = np.where(out["counted"] > 0, out["hot_all"] / out["counted"], np.nan)
    return out


def ranked(table: pd.DataFrame) -> pd.DataFrame:
    """Districts ordered by residents in the hottest class (ties: higher exposure first)."""
    cols = [c for c in ("hot_all", "hot_share") if c in table.columns]
    out = table.sort_values(cols, ascending=False, kind="stable").reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def report(
    cells: pd.DataFrame,
    districts: pd.DataFrame,
    variable: str,
    threshold: float,
    social: str | None,
) -> dict[str, Any]:
    """Everything above as a JSON-able dict."""
    groups = group_exposure(cells, variable, threshold)
    table = ranked(district_burden(cells, districts, variable, threshold))
    conc = concentration(table, social, "hot_share") if social else None
    return {
        "variable": variable,
        "hottest_class_above": threshold,
        "units": len(cells),
        "groups": [
            {
                "group": g.group,
                "persons": round(g.persons, 1),
                "mean_exposure": round(g.mean_exposure, 3),
                "in_hottest_class": round(g.in_hottest, 1),
                "share_in_hottest_class": round(g.share_in_hottest, 4),
            }
            for g in groups
        ],
        "concentration": None
        if conc is None
        else {
            "social_indicator": conc.indicator,
            "burden": "share of residents in the hottest class",
            "index": round(conc.index, 4),
            "curve": [
                {"unit_id": u, "cum_population": round(p, 4), "cum_burden": round(b, 4)}
                for u, p, b in zip(
                    ("", *conc.order), conc.cum_population, conc.cum_burden, strict=True
                )
            ],
        },
        "districts": [
            {k: (_finite(v) if isinstance(v, float) else v) for k, v in r.items()}
            for r in table.to_dict("records")
        ],
    }
