"""Heat response: how does the afternoon surface temperature answer to sealing and trees?

A statistical model of the pack's ``lst_day`` (land-surface temperature of a hot afternoon,
°C — a *surface* temperature, never air temperature) on the grid's drivers, fitted once per
data version and cached (:func:`load_or_fit`; never fitted inside a web request). Scenarios
change the imperviousness or tree-canopy arrays and call :meth:`HeatResponseModel.predict_grid`
again.

Drivers (only those the pack has are used; the card names them):

=========================  ====================================================  ========
driver                     meaning                                               monotone
=========================  ====================================================  ========
imperviousness             sealed share of the cell (0–1, as in the pack)        +1
tree_canopy                tree-canopy share of the cell (0–1)                   −1
elevation                  m                                                     0
distance_to_water_m        cell centre to the pack's ``river`` (metric CRS), m   0
landcover                  land-cover class (categorical)                        0
imperviousness_100m        mean imperviousness of the cells within 100 m         +1
tree_canopy_100m           mean tree canopy of the cells within 100 m            −1
=========================  ====================================================  ========

The two neighbourhood drivers are computed *inside* the model from the 2-D fields (a direct,
local disc mean, centre to centre), so a changed field changes them consistently and a
change cannot move a cell farther than :attr:`HeatResponseModel.reach_m` from it.

The model is a :class:`~sklearn.ensemble.HistGradientBoostingRegressor` with monotonic
constraints: more canopy or less sealing never raises the prediction, anywhere. Its model
card reports spatially blocked cross-validation (≈ 1 km blocks, 5 folds) beside random folds,
the error of predicting each cell by its district mean, each driver's partial effect, and the
fitted canopy effect beside the published range of multi-city satellite studies.

Shares are fractions 0–1, as in the pack: one percentage point is 0.01.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from scipy.ndimage import correlate

from data.pack import CityPack, raster_crs
from models.heat import cell_districts, disc

#: Bump when the features, the estimator or the card change: old cache files are not read.
MODEL_VERSION = "1"
#: Radius (m, centre to centre) of the neighbourhood drivers.
NEIGHBOUR_M = 100.0
#: Side (m) of the contiguous blocks of the spatial cross-validation.
BLOCK_M = 1000.0
N_FOLDS = 5
TARGET = "lst_day"
#: Published canopy cooling of daytime land-surface temperature, K per percentage point
#: (multi-city satellite studies); air temperature responds about a tenth of that.
PUBLISHED_LST_K_PER_PP = (0.06, 0.08)
PUBLISHED_AIR_K_PER_PP = (0.006, 0.008)
WATER_CODE = 7  # data.schemas.LANDCOVER_CLASSES: water

TARGET_LABEL = {"de": "Oberflächentemperatur (LST)", "en": "land-surface temperature (LST)"}
TARGET_LABEL_TEXT = "Oberflächentemperatur (LST) / land-surface temperature"
STATEMENT = {
    "de": (
        "Statistische Schätzung der Oberflächentemperatur (LST) aus den Rasterdaten des "
        "Pakets, mit ihrem kreuzvalidierten Fehler – keine physikalische Simulation."
    ),
    "en": (
        "A statistical estimate of land-surface temperature (LST) from the pack's grid, "
        "with its cross-validated error — not a physical simulation."
    ),
}

#: Field drivers (read from the grid), in feature order, with their monotonic constraint.
FIELD_DRIVERS: tuple[tuple[str, int], ...] = (
    ("imperviousness", 1),
    ("tree_canopy", -1),
    ("elevation", 0),
    ("distance_to_water_m", 0),
    ("landcover", 0),
)
#: Neighbourhood drivers: (feature, source field, constraint).
NEIGHBOUR_DRIVERS: tuple[tuple[str, str, int], ...] = (
    ("imperviousness_100m", "imperviousness", 1),
    ("tree_canopy_100m", "tree_canopy", -1),
)
CATEGORICAL = ("landcover",)

DRIVER_LABELS: dict[str, dict[str, str]] = {
    "imperviousness": {"de": "Versiegelung", "en": "Imperviousness"},
    "tree_canopy": {"de": "Baumkronen", "en": "Tree canopy"},
    "elevation": {"de": "Geländehöhe", "en": "Elevation"},
    "distance_to_water_m": {"de": "Abstand zum Gewässer", "en": "Distance to water"},
    "landcover": {"de": "Landbedeckung", "en": "Land cover"},
    "imperviousness_100m": {
        "de": "Versiegelung im Umkreis von 100 m",
        "en": "Imperviousness within 100 m",
    },
    "tree_canopy_100m": {
        "de": "Baumkronen im Umkreis von 100 m",
        "en": "Tree canopy within 100 m",
    },
}
DRIVER_UNITS = {
    "imperviousness": "0–1",
    "tree_canopy": "0–1",
    "elevation": "m",
    "distance_to_water_m": "m",
    "landcover": "class",
    "imperviousness_100m": "0–1",
    "tree_canopy_100m": "0–1",
}


@dataclass(frozen=True)
class GridFields:
    """The 2-D driver arrays of the pack's grid (rows north to south, float, NaN outside or
    without data), the target where the pack has it, and the grid's geometry.

    ``drivers`` holds only what the pack has; ``missing`` names the field drivers it lacks.
    """

    drivers: dict[str, np.ndarray]
    x: np.ndarray  # 1-D cell-centre x (grid CRS)
    y: np.ndarray  # 1-D cell-centre y (grid CRS)
    cell_m: float
    valid: np.ndarray  # 2-D bool: every driver finite
    crs_wkt: str | None
    target: np.ndarray | None = None  # lst_day, °C
    missing: tuple[str, ...] = ()


@lru_cache(maxsize=4)
def grid_fields(pack: CityPack) -> GridFields:
    """The pack grid's driver fields (see the module docstring). Built once per pack (the
    distance to water alone costs about 150 ms on a 20,000-cell grid); the arrays are
    read-only, so a caller changes copies (as scenarios do)."""
    fields = _grid_fields(pack)
    for values in (*fields.drivers.values(), fields.valid, fields.x, fields.y):
        values.setflags(write=False)
    if fields.target is not None:
        fields.target.setflags(write=False)
    return fields


def _grid_fields(pack: CityPack) -> GridFields:
    if not pack.has("grid"):
        raise ValueError("the heat-response model needs the pack's grid (dataset 'grid')")
    grid = pack.raster("grid")
    xs = grid["x"].to_numpy().astype(float)
    ys = grid["y"].to_numpy().astype(float)
    cell = float(abs(xs[1] - xs[0])) if xs.size > 1 else float("nan")
    crs = raster_crs(grid)
    drivers: dict[str, np.ndarray] = {}
    for name in ("imperviousness", "tree_canopy", "elevation", "landcover"):
        if name in grid.data_vars:
            drivers[name] = grid[name].transpose("y", "x").to_numpy().astype(float)
    distance = _distance_to_water(pack, xs, ys, crs)
    if distance is not None:
        drivers["distance_to_water_m"] = distance
    order = [name for name, _ in FIELD_DRIVERS]
    drivers = {name: drivers[name] for name in order if name in drivers}
    shape = (ys.size, xs.size)
    valid = np.ones(shape, dtype=bool)
    for values in drivers.values():
        valid &= np.isfinite(values)
    target = (
        grid[TARGET].transpose("y", "x").to_numpy().astype(float)
        if TARGET in grid.data_vars
        else None
    )
    return GridFields(
        drivers=drivers,
        x=xs,
        y=ys,
        cell_m=cell,
        valid=valid,
        crs_wkt=crs.to_wkt() if crs is not None else None,
        target=target,
        missing=tuple(n for n in order if n not in drivers),
    )


def _distance_to_water(
    pack: CityPack, xs: np.ndarray, ys: np.ndarray, crs: Any
) -> np.ndarray | None:
    """Distance (m) from each cell centre to the pack's river, in the grid's (metric) CRS."""
    if crs is None or not crs.is_projected or not pack.has("river"):
        return None
    river = pack.vector("river").to_crs(crs)
    geoms = [g for g in river.geometry if g is not None and not g.is_empty]
    if not geoms:
        return None
    water = shapely.union_all(geoms)
    gx, gy = np.meshgrid(xs, ys)
    return np.asarray(shapely.distance(shapely.points(gx, gy), water), dtype=float)


def _local_mean(values: np.ndarray, valid: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Mean of ``values`` over the valid cells of the disc around each cell; a direct (local)
    sum, so a change in one cell moves only the cells whose disc holds it."""
    ok = valid & np.isfinite(values)
    total = correlate(np.where(ok, values, 0.0), kernel, mode="constant", cval=0.0)
    count = correlate(ok.astype(float), kernel, mode="constant", cval=0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0.5, total / np.maximum(count, 1.0), np.nan)


def _features(
    drivers: Mapping[str, np.ndarray], names: tuple[str, ...], radius_cells: float
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The 2-D feature fields named ``names`` (field and neighbourhood drivers) and the mask
    of cells where every field driver is finite."""
    fields = {n: np.asarray(drivers[n], dtype=float) for n in names if n in dict(FIELD_DRIVERS)}
    shape = next(iter(fields.values())).shape
    valid = np.ones(shape, dtype=bool)
    for values in fields.values():
        if values.shape != shape:
            raise ValueError(f"driver arrays differ in shape: {values.shape} and {shape}")
        valid &= np.isfinite(values)
    out = dict(fields)
    kernel = disc(radius_cells) if radius_cells >= 1.0 else None
    for feature, source, _ in NEIGHBOUR_DRIVERS:
        if feature in names and kernel is not None:
            out[feature] = _local_mean(fields[source], valid, kernel)
    return {n: out[n] for n in names}, valid


@dataclass
class HeatResponseModel:
    """A fitted model of ``lst_day`` (°C) on the grid's drivers (see the module docstring)."""

    estimator: Any
    features: tuple[str, ...]
    drivers: tuple[str, ...]  # the 2-D fields predict_grid needs
    reach_m: float
    cell_m: float
    data_version: str
    card: dict[str, Any] = field(default_factory=dict)
    model_version: str = MODEL_VERSION

    @property
    def radius_cells(self) -> float:
        return self.reach_m / self.cell_m if self.reach_m > 0 else 0.0

    def predict_grid(self, fields: Mapping[str, np.ndarray] | GridFields) -> np.ndarray:
        """Surface temperature (°C, 2-D, NaN where a driver is missing) for the driver arrays
        ``fields`` (as :func:`grid_fields` gives them; changed ones allowed)."""
        drivers = fields.drivers if isinstance(fields, GridFields) else fields
        absent = [d for d in self.drivers if d not in drivers]
        if absent:
            raise ValueError(
                f"predict_grid needs the driver arrays {list(self.drivers)}; "
                f"missing: {', '.join(absent)}"
            )
        feats, valid = _features(drivers, self.features, self.radius_cells)
        out = np.full(valid.shape, np.nan)
        if valid.any():
            matrix = np.column_stack([feats[n][valid] for n in self.features])
            out[valid] = self.estimator.predict(matrix)
        return out


# --- fitting ---------------------------------------------------------------------------------


def _estimator(features: tuple[str, ...], seed: int) -> Any:
    from sklearn.ensemble import HistGradientBoostingRegressor

    constraint = dict(FIELD_DRIVERS) | {f: c for f, _, c in NEIGHBOUR_DRIVERS}
    return HistGradientBoostingRegressor(
        max_iter=100,
        learning_rate=0.2,
        max_leaf_nodes=31,
        min_samples_leaf=20,
        l2_regularization=1.0,
        early_stopping=False,
        monotonic_cst=[constraint[f] for f in features],
        categorical_features=[f in CATEGORICAL for f in features],
        random_state=seed,
    )


def _scores(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    err = pred - y
    ss_tot = float(((y - y.mean()) ** 2).sum())
    r2 = 1.0 - float((err**2).sum()) / ss_tot if ss_tot > 0 else float("nan")
    return {
        "n": int(y.size),
        "r2": round(r2, 4),
        "mae": round(float(np.abs(err).mean()), 4),
        "rmse": round(float(np.sqrt((err**2).mean())), 4),
    }


def _cross_validate(
    matrix: np.ndarray,
    y: np.ndarray,
    splits: list[tuple[np.ndarray, np.ndarray]],
    features: tuple[str, ...],
    seed: int,
) -> dict[str, Any]:
    oof = np.full(y.shape, np.nan)
    folds = []
    for k, (train, test) in enumerate(splits):
        est = _estimator(features, seed).fit(matrix[train], y[train])
        oof[test] = est.predict(matrix[test])
        folds.append({"fold": k + 1} | _scores(y[test], oof[test]))
    return {"folds": folds, "overall": _scores(y, oof)}


def _partial_effects(
    estimator: Any, matrix: np.ndarray, features: tuple[str, ...], seed: int
) -> list[dict[str, Any]]:
    """Partial dependence of each feature: mean prediction over (a sample of) the cells with
    the feature set to each of a handful of values over its 5–95 % range (classes for a
    categorical one)."""
    rng = np.random.default_rng(seed)
    sample = matrix[rng.choice(len(matrix), size=min(2000, len(matrix)), replace=False)]
    out = []
    for j, name in enumerate(features):
        column = matrix[:, j]
        column = column[np.isfinite(column)]
        if name in CATEGORICAL:
            values = np.unique(column)
        else:
            lo, hi = np.percentile(column, [5, 95])
            values = np.unique(np.round(np.linspace(lo, hi, 7), 4))
        preds = []
        for v in values:
            probe = sample.copy()
            probe[:, j] = v
            preds.append(round(float(estimator.predict(probe).mean()), 3))
        out.append(
            {
                "driver": name,
                "label": DRIVER_LABELS[name],
                "unit": DRIVER_UNITS[name],
                "kind": "categorical" if name in CATEGORICAL else "numeric",
                "values": [round(float(v), 4) for v in values],
                "lst_c": preds,
            }
        )
    return out


def _de(value: float, digits: int) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _position(cooling: float) -> str:
    lo, hi = PUBLISHED_LST_K_PER_PP
    return "below" if cooling < lo else "above" if cooling > hi else "within"


def _canopy_effect(model: HeatResponseModel, grid: GridFields) -> dict[str, Any] | None:
    if "tree_canopy" not in model.drivers:
        return None
    base = model.predict_grid(grid.drivers)
    more = dict(grid.drivers)
    more["tree_canopy"] = np.minimum(grid.drivers["tree_canopy"] + 0.01, 1.0)
    delta = model.predict_grid(more) - base
    k_per_pp = float(np.nanmean(delta))
    cooling = -k_per_pp
    position = _position(cooling)
    lo, hi = PUBLISHED_LST_K_PER_PP
    words = {
        "below": ("unter", "below"),
        "within": ("innerhalb", "within"),
        "above": ("über", "above"),
    }[position]
    return {
        "k_per_pp": round(k_per_pp, 4),
        "cooling_k_per_pp": round(cooling, 4),
        "published_lst_k_per_pp": list(PUBLISHED_LST_K_PER_PP),
        "published_air_k_per_pp": list(PUBLISHED_AIR_K_PER_PP),
        "position": position,
        "text": {
            "de": (
                "Je Prozentpunkt Baumkronen sinkt die Oberflächentemperatur (LST) im Modell "
                f"um {_de(cooling, 3)} K; das liegt {words[0]} der in Satellitenstudien vieler "
                f"Städte gefundenen Spanne von {_de(lo, 2)}–{_de(hi, 2)} K je Punkt (die "
                "Lufttemperatur reagiert nur etwa ein Zehntel so stark)."
            ),
            "en": (
                f"Each percentage point of tree canopy lowers the model's land-surface "
                f"temperature (LST) by {cooling:.3f} K; that is {words[1]} the range of "
                f"{lo:.2f}–{hi:.2f} K per point found by multi-city satellite studies (air "
                "temperature responds only about a tenth as much)."
            ),
        },
    }


def fit(pack: CityPack, *, seed: int = 0) -> HeatResponseModel:
    """Fit the model on the pack's grid and write its card (blocked and random CV, the
    district-mean baseline, partial effects, canopy effect). Seconds, not milliseconds:
    call it at start-up through :func:`load_or_fit`, never in a request."""
    from sklearn.model_selection import GroupKFold, KFold

    start = time.perf_counter()
    if not pack.has("grid"):
        raise ValueError(
            "the heat-response model needs the pack's grid (dataset 'grid') with the variable "
            f"{TARGET!r} (land-surface temperature); this pack has no grid"
        )
    grid = grid_fields(pack)
    if grid.target is None:
        raise ValueError(
            f"the heat-response model needs the grid variable {TARGET!r} (land-surface "
            "temperature, °C); this pack's grid has none"
        )
    if not {"imperviousness", "tree_canopy"} & set(grid.drivers):
        raise ValueError(
            "the heat-response model needs the grid variable 'imperviousness' or "
            "'tree_canopy'; this pack's grid has neither"
        )
    radius = NEIGHBOUR_M / grid.cell_m if np.isfinite(grid.cell_m) else 0.0
    names = [n for n, _ in FIELD_DRIVERS if n in grid.drivers]
    if radius >= 1.0:
        names += [f for f, src, _ in NEIGHBOUR_DRIVERS if src in grid.drivers]
    features = tuple(names)
    reach_m = NEIGHBOUR_M if len(features) > len(grid.drivers) else 0.0
    feats, valid = _features(grid.drivers, features, radius)
    rows = valid & np.isfinite(grid.target)
    if rows.sum() < 10 * N_FOLDS:
        raise ValueError(
            f"the heat-response model needs at least {10 * N_FOLDS} grid cells with "
            f"{TARGET!r} and every driver; this pack has {int(rows.sum())}"
        )
    matrix = np.column_stack([feats[n][rows] for n in features])
    y = grid.target[rows]
    gx, gy = np.meshgrid(grid.x, grid.y)
    cx, cy = gx[rows], gy[rows]
    bx = np.floor(cx / BLOCK_M).astype(np.int64)
    by = np.floor(cy / BLOCK_M).astype(np.int64)
    _, block = np.unique(np.column_stack([bx, by]), axis=0, return_inverse=True)
    block = block.ravel()

    cv_start = time.perf_counter()
    blocked_splits = list(GroupKFold(n_splits=N_FOLDS).split(matrix, y, groups=block))
    random_splits = list(KFold(n_splits=N_FOLDS, shuffle=True, random_state=seed).split(matrix))
    blocked = _cross_validate(matrix, y, blocked_splits, features, seed)
    shuffled = _cross_validate(matrix, y, random_splits, features, seed)
    cv_seconds = time.perf_counter() - cv_start

    district = cell_districts(pack, cx, cy)
    has_districts = bool((district >= 0).any())
    # cells outside every district fall back to their block
    group = np.where(district >= 0, district, district.max(initial=0) + 1 + block)
    baseline = np.zeros_like(y)
    for g in np.unique(group):
        inside = group == g
        baseline[inside] = y[inside].mean()

    estimator = _estimator(features, seed).fit(matrix, y)
    model = HeatResponseModel(
        estimator=estimator,
        features=features,
        drivers=tuple(grid.drivers),
        reach_m=reach_m,
        cell_m=grid.cell_m,
        data_version=str(getattr(pack, "version", "")),
    )
    constraint = dict(FIELD_DRIVERS) | {f: c for f, _, c in NEIGHBOUR_DRIVERS}
    card: dict[str, Any] = {
        "model_version": MODEL_VERSION,
        "data_version": model.data_version,
        "method": "HistGradientBoostingRegressor (scikit-learn), monotonic constraints",
        "target": {"id": TARGET, "label": TARGET_LABEL, "text": TARGET_LABEL_TEXT, "unit": "°C"},
        "statement": STATEMENT,
        "n_cells": int(rows.sum()),
        "cell_m": grid.cell_m,
        "drivers": [
            {
                "id": f,
                "label": DRIVER_LABELS[f],
                "unit": DRIVER_UNITS[f],
                "monotonic": constraint[f],
                "neighbourhood": f not in dict(FIELD_DRIVERS),
            }
            for f in features
        ],
        "drivers_missing": list(grid.missing),
        "reach_m": reach_m,
        "cv": {
            "block_m": BLOCK_M,
            "n_blocks": int(block.max() + 1),
            "blocked": blocked,
            "random": shuffled,
            "baseline": {
                "kind": "district_mean" if has_districts else "block_mean",
                "mae": round(float(np.abs(baseline - y).mean()), 4),
            },
        },
        "partial_effects": _partial_effects(estimator, matrix, features, seed),
    }
    model.card = card
    card["canopy_effect"] = _canopy_effect(model, grid)
    card["cv_seconds"] = round(cv_seconds, 2)
    card["fit_seconds"] = round(time.perf_counter() - start, 2)
    return model


# --- cache -----------------------------------------------------------------------------------


def cache_path(pack: CityPack, cache_dir: Path | str) -> Path:
    """``cache_dir/heat_response/<pack data version>-<MODEL_VERSION>.pkl``."""
    return Path(cache_dir) / "heat_response" / f"{pack.version}-{MODEL_VERSION}.pkl"


def _load(path: Path, version: str) -> HeatResponseModel | None:
    try:
        with path.open("rb") as handle:
            model = pickle.load(handle)  # our own cache folder, written by _store
    except FileNotFoundError:
        return None
    except Exception:  # torn, truncated or foreign file: refit
        return None
    if (
        not isinstance(model, HeatResponseModel)
        or model.model_version != MODEL_VERSION
        or model.data_version != version
    ):
        return None
    return model


def _store(model: HeatResponseModel, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_or_fit(pack: CityPack, cache_dir: Path | str, *, seed: int = 0) -> HeatResponseModel:
    """The cached model for this pack's data version, or a fresh fit written atomically
    (temporary file, then renamed); an unreadable cache file is refitted and replaced."""
    path = cache_path(pack, cache_dir)
    found = _load(path, str(pack.version))
    if found is not None:
        return found
    model = fit(pack, seed=seed)
    _store(model, path)
    return model


# --- text ------------------------------------------------------------------------------------


def card_lines(card: Mapping[str, Any], lang: str = "de") -> list[str]:
    """The model card as text lines in ``lang`` (``de`` or ``en``) for the CLI and the page."""
    de = lang == "de"

    def num(value: float, digits: int = 2) -> str:
        text = f"{value:.{digits}f}"
        return text.replace(".", ",") if de else text

    lines = [
        ("Modell der " if de else "Model of ")
        + card["target"]["label"]["de" if de else "en"]
        + " (°C)",
        card["statement"]["de" if de else "en"],
        (f"Zellen: {card['n_cells']}" if de else f"Cells: {card['n_cells']}"),
        ("Einflussgrößen: " if de else "Drivers: ")
        + ", ".join(d["label"]["de" if de else "en"] for d in card["drivers"]),
    ]
    if card.get("drivers_missing"):
        lines.append(
            ("Im Paket fehlen: " if de else "Not in the pack: ")
            + ", ".join(DRIVER_LABELS[d]["de" if de else "en"] for d in card["drivers_missing"])
        )
    reach = card["reach_m"]
    lines.append(
        (f"Reichweite: {reach:.0f} m" if de else f"Reach: {reach:.0f} m")
        + (
            " (eine Änderung wirkt nicht weiter als das)"
            if de
            else " (a change moves no cell farther away than that)"
        )
    )
    cv = card["cv"]
    for key, name in (
        ("blocked", ("Räumliche Kreuzvalidierung (Blöcke", "Spatially blocked CV (blocks")),
        ("random", ("Zufällige Kreuzvalidierung", "Random-fold CV")),
    ):
        o = cv[key]["overall"]
        head = name[0 if de else 1]
        if key == "blocked":
            head += f" ≈ {cv['block_m'] / 1000:.0f} km, {len(cv[key]['folds'])} " + (
                "Teile)" if de else "folds)"
            )
        lines.append(f"{head}: R² {num(o['r2'])}, MAE {num(o['mae'])} K, RMSE {num(o['rmse'])} K")
        for f in cv[key]["folds"]:
            lines.append(
                f"  {'Teil' if de else 'fold'} {f['fold']}: R² {num(f['r2'])}, "
                f"MAE {num(f['mae'])} K, RMSE {num(f['rmse'])} K ({f['n']} "
                + ("Zellen)" if de else "cells)")
            )
    base = cv["baseline"]
    which = {
        "district_mean": ("Mittelwert des Stadtteils", "district mean"),
        "block_mean": ("Mittelwert des Blocks", "block mean"),
    }[base["kind"]][0 if de else 1]
    lines.append(
        (f"Vergleich – {which}: MAE {num(base['mae'])} K" if de else f"Baseline – {which}: ")
        + ("" if de else f"MAE {num(base['mae'])} K")
    )
    effect = card.get("canopy_effect")
    if effect:
        lines.append(effect["text"]["de" if de else "en"])
    lines.append("Partielle Effekte:" if de else "Partial effects:")
    for p in card["partial_effects"]:
        digits = 0 if p["unit"] in ("m", "class") else 2
        unit = "Klasse" if de and p["unit"] == "class" else p["unit"]
        pairs = ", ".join(
            f"{num(v, digits)} → {num(t, 1)} °C"
            for v, t in zip(p["values"], p["lst_c"], strict=True)
        )
        lines.append(f"  {p['label']['de' if de else 'en']} ({unit}): {pairs}")
    lines.append(
        (f"Anpassung in {num(card['fit_seconds'], 1)} s" if de else "Fitted in ")
        + ("" if de else f"{num(card['fit_seconds'], 1)} s")
    )
    return lines
