"""Residents in the hottest heat-vulnerability class near a drawn plan, counted with the heat
vulnerability layer's own classes — the layer side of :func:`models.drawn_plan.assess_drawing`
(models may not import layers; the caller passes :func:`hot_residents` as ``heat``)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

from layers.heat.vulnerability import LAYER, classes_for
from models.drawn_plan import NEAR_M, heat_missing, near_top_class
from models.heat import indicators


def hot_residents(
    geometry: BaseGeometry,
    pack: Any,
    hvi: Mapping[str, Any] | None = None,
    radius_m: float = NEAR_M,
) -> dict[str, Any]:
    """Residents of the top heat-vulnerability class whose grid cell centre lies within
    ``radius_m`` of ``geometry`` (metric CRS); ``residents`` None with a ``reason`` when the
    pack has no heat data. ``hvi``: the vulnerability layer's parameters (level is grid)."""
    missing = heat_missing(pack)
    if missing is not None:
        return missing

    params = LAYER.clean_params({**(hvi or {}), "level": "grid"})
    res, classes = classes_for(pack, params)
    ind = indicators(pack, "grid")
    frame = res.frame.merge(ind.frame[["unit_id", "x", "y"]], on="unit_id", how="left")
    index = frame["index"].to_numpy(dtype=float)
    breaks = np.asarray(classes.breaks, dtype=float)
    top = np.isfinite(index) & (np.searchsorted(breaks, index, side="left") == len(breaks) - 1)
    x, y = frame["x"].to_numpy(dtype=float), frame["y"].to_numpy(dtype=float)
    grid_crs = CRS.from_wkt(ind.crs_wkt) if ind.crs_wkt else None
    metric = CRS.from_user_input(pack.city.metric_crs)
    if grid_crs is not None and grid_crs != metric:
        x, y = Transformer.from_crs(grid_crs, metric, always_xy=True).transform(x, y)
    idx = near_top_class(geometry, x, y, top, radius_m)
    population = frame["population"].to_numpy(dtype=float)[idx]
    lower = breaks[-2] if len(breaks) > 1 else classes.minimum
    return {
        "residents": round(float(np.nansum(population))),
        "cells": len(idx),
        "cell_ids": frame["unit_id"].astype(str).to_numpy()[idx].tolist(),
        "radius_m": radius_m,
        "class": {
            "number": len(breaks),
            "of": len(breaks),
            "lower": round(float(lower), 6),
            "upper": round(float(breaks[-1]), 6),
        },
        "params": {k: v for k, v in params.items() if not isinstance(v, float) or math.isfinite(v)},
        "reason": None,
    }
