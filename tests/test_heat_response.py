"""The heat-response model on the demo pack: monotone in canopy and sealing over the whole
grid, a stated reach that a change does not cross, blocked cross-validation better than the
district mean, a surface-temperature model card, and its cache."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import models.heat_response as hr
from data.pack import load_pack
from models.heat_response import HeatResponseModel, card_lines, grid_fields, load_or_fit


@pytest.fixture(scope="module")
def fitted(heat_model) -> tuple[HeatResponseModel, float]:
    # fitted once per session (tests/conftest.py); the card keeps how long the fit took
    return heat_model, float(heat_model.card["fit_seconds"])


@pytest.fixture(scope="module")
def model(fitted) -> HeatResponseModel:
    return fitted[0]


@pytest.fixture(scope="module")
def fields(demo_pack):
    return grid_fields(demo_pack)


@pytest.fixture(scope="module")
def base(model, fields) -> np.ndarray:
    return model.predict_grid(fields.drivers)


def _with(fields, **changed: np.ndarray) -> dict[str, np.ndarray]:
    return {**fields.drivers, **changed}


def test_grid_fields_of_the_demo(fields):
    assert set(fields.drivers) == {
        "imperviousness",
        "tree_canopy",
        "elevation",
        "distance_to_water_m",
        "landcover",
    }
    shape = (fields.y.size, fields.x.size)
    assert shape == (153, 129)
    assert fields.cell_m == pytest.approx(100.0)
    assert all(v.shape == shape for v in fields.drivers.values())
    assert fields.valid.all() and fields.target is not None
    distance = fields.drivers["distance_to_water_m"]
    assert distance.min() < 50.0 and distance.max() > 1000.0
    assert fields.crs_wkt


def test_predictions_cover_the_grid(model, base, fields):
    assert base.shape == fields.valid.shape
    assert np.isfinite(base[fields.valid]).all()
    assert 15.0 < np.nanmin(base) < np.nanmax(base) < 55.0
    assert model.drivers == tuple(fields.drivers)


def test_zero_change_gives_identical_predictions(model, base, fields):
    again = model.predict_grid({k: v.copy() for k, v in fields.drivers.items()})
    np.testing.assert_array_equal(again, base)


def test_more_canopy_everywhere_warms_no_cell(model, base, fields):
    canopy = np.minimum(fields.drivers["tree_canopy"] + 0.10, 1.0)
    after = model.predict_grid(_with(fields, tree_canopy=canopy))
    assert (after <= base).all()
    assert (after < base).mean() > 0.5  # and it does cool


def test_less_sealing_everywhere_warms_no_cell(model, base, fields):
    sealed = np.maximum(fields.drivers["imperviousness"] - 0.10, 0.0)
    after = model.predict_grid(_with(fields, imperviousness=sealed))
    assert (after <= base).all()
    assert (after < base).any()


def test_random_canopy_increases_warm_no_cell(model, base, fields):
    rng = np.random.default_rng(7)
    canopy = fields.drivers["tree_canopy"]
    for _ in range(3):
        step = rng.uniform(0.0, 0.3, canopy.shape) * (rng.random(canopy.shape) < 0.5)
        more = np.minimum(canopy + step, 1.0)  # random increases in random cells
        after = model.predict_grid(_with(fields, tree_canopy=more))
        assert (after <= base).all()


def test_random_unsealing_warms_no_cell(model, base, fields):
    rng = np.random.default_rng(11)
    sealed = fields.drivers["imperviousness"]
    less = np.maximum(sealed - rng.uniform(0.0, 0.4, sealed.shape), 0.0)
    after = model.predict_grid(_with(fields, imperviousness=less))
    assert (after <= base).all()


def test_a_change_does_not_reach_beyond_reach_m(model, base, fields):
    assert model.reach_m == pytest.approx(100.0)
    gx, gy = np.meshgrid(fields.x, fields.y)
    limit = model.reach_m + fields.cell_m * np.sqrt(2.0) / 2.0
    for row, col, field in ((76, 64, "tree_canopy"), (20, 100, "imperviousness")):
        changed = fields.drivers[field].copy()
        changed[row, col] = 1.0 - changed[row, col]
        after = model.predict_grid(_with(fields, **{field: changed}))
        far = np.hypot(gx - gx[row, col], gy - gy[row, col]) > limit
        np.testing.assert_array_equal(after[far], base[far])
        assert not np.array_equal(after, base)  # it moved something nearby


def test_blocked_cv_beats_the_district_mean(model):
    cv = model.card["cv"]
    assert cv["block_m"] == 1000.0
    assert len(cv["blocked"]["folds"]) == 5 and len(cv["random"]["folds"]) == 5
    for key in ("blocked", "random"):
        for fold in [*cv[key]["folds"], cv[key]["overall"]]:
            assert {"r2", "mae", "rmse", "n"} <= set(fold)
    assert cv["baseline"]["kind"] == "district_mean"
    assert cv["blocked"]["overall"]["mae"] < cv["baseline"]["mae"]
    # the random folds are the optimistic ones
    assert cv["random"]["overall"]["mae"] <= cv["blocked"]["overall"]["mae"]


def test_card_is_surface_temperature_and_json(model, fitted):
    card = model.card
    json.dumps(card)
    assert card["target"]["text"] == "Oberflächentemperatur (LST) / land-surface temperature"
    assert card["target"]["id"] == "lst_day"
    effect = card["canopy_effect"]
    assert effect["k_per_pp"] < 0
    assert effect["position"] in ("below", "within", "above")
    assert effect["published_lst_k_per_pp"] == [0.06, 0.08]
    assert card["n_cells"] == 153 * 129
    assert card["reach_m"] == model.reach_m
    assert {d["id"] for d in card["drivers"]} >= {"tree_canopy", "tree_canopy_100m"}
    assert {p["driver"] for p in card["partial_effects"]} == set(model.features)
    assert card["fit_seconds"] > 0
    for lang in ("de", "en"):
        text = "\n".join(card_lines(card, lang))
        assert "LST" in text and "MAE" in text and "100 m" in text
    de = "\n".join(card_lines(card, "de"))
    en = "\n".join(card_lines(card, "en"))
    assert "keine physikalische Simulation" in de and "not a physical simulation" in en
    assert "Oberflächentemperatur" in de and "land-surface temperature" in en
    # air temperature is named only as the published comparison, never as the target
    assert en.count("air temperature") == 1 and de.count("Lufttemperatur") == 1


def test_load_or_fit_writes_once_and_refits_a_corrupt_file(model, demo_pack, tmp_path, monkeypatch):
    calls: list[int] = []

    def counted(pack, *, seed=0):
        calls.append(seed)
        return model

    monkeypatch.setattr(hr, "fit", counted)
    first = load_or_fit(demo_pack, tmp_path)
    assert len(calls) == 1
    files = list((tmp_path / "heat_response").iterdir())
    assert [f.name for f in files] == [f"{demo_pack.version}-{hr.MODEL_VERSION}.pkl"]
    again = load_or_fit(demo_pack, tmp_path)
    assert len(calls) == 1  # read, not refitted
    assert again.features == first.features and again.card == first.card
    files[0].write_bytes(b"not a pickle")
    repaired = load_or_fit(demo_pack, tmp_path)
    assert len(calls) == 2 and repaired is model
    assert load_or_fit(demo_pack, tmp_path).card == model.card
    assert len(calls) == 2
    assert [f.name for f in (tmp_path / "heat_response").iterdir()] == [files[0].name]


def test_a_pack_without_lst_day_is_refused(tiny_pack_dir: Path):
    pack = load_pack(tiny_pack_dir)
    assert pack.has("grid") and not pack.has("grid:lst_day")
    with pytest.raises(ValueError, match="lst_day"):
        hr.fit(pack)
