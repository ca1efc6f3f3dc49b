"""A scenario applied to the grid (models.scenario): each intervention changes each cell once,
capped at what is possible; zero interventions change nothing."""

from __future__ import annotations

import json

import numpy as np
import pytest

from models.scenario import delta_stats, district_table, kpi
from models.scenario_cells import ROOF_SHARE_OF_SEALED, CellChange, changed_fields, sealed_ha

CELL = 100.0


@pytest.fixture
def grid():
    can = np.array([[10.0, 95.0, np.nan], [0.0, 50.0, 20.0]]) / 100  # shares, as the grid has
    imp = np.array([[80.0, 5.0, np.nan], [100.0, 40.0, 0.0]]) / 100
    pop = np.array([[10.0, 0.0, np.nan], [5.0, 20.0, 0.0]])
    return can, imp, pop


def test_no_change_is_the_baseline(grid):
    can, imp, pop = grid
    out = changed_fields(can, imp, pop, [], CELL)
    np.testing.assert_array_equal(out.canopy, can)
    np.testing.assert_array_equal(out.imperviousness, imp)
    assert not out.cells.any() and out.trees == 0 and out.canopy_added_ha == 0


def test_canopy_is_capped_and_added_once_where_areas_overlap(grid):
    can, imp, pop = grid
    mask = np.array([[True, True, True], [False, False, False]])
    out = changed_fields(can, imp, pop, [CellChange("canopy", mask, canopy_pp=10)], CELL)
    assert out.canopy[0, 0] == pytest.approx(0.2) and out.canopy[0, 1] == 1.0  # capped at 100 %
    assert np.isnan(out.canopy[0, 2])  # no data: never changed
    assert out.canopy[1, 1] == 0.5
    assert out.canopy_added_ha == pytest.approx((10 + 5) / 100 * 1.0)  # 1 ha cells


def test_trees_spread_their_crowns_over_the_cells(grid):
    can, imp, pop = grid
    mask = np.zeros_like(can, dtype=bool)
    mask[1, 0] = mask[1, 2] = True
    out = changed_fields(
        can, imp, pop, [CellChange("canopy", mask, canopy_m2=100 * 50.0, trees=100)], CELL
    )
    # 5,000 m² over two 10,000 m² cells: +25 percentage points each
    assert out.canopy[1, 0] == pytest.approx(0.25) and out.canopy[1, 2] == pytest.approx(0.45)
    assert out.trees == 100


def test_unsealing_green_roofs_and_a_development(grid):
    can, imp, pop = grid
    everywhere = np.ones_like(can, dtype=bool)
    out = changed_fields(can, imp, pop, [CellChange("unseal", everywhere, unseal_pp=30)], CELL)
    assert out.imperviousness[0, 0] == pytest.approx(0.5) and out.imperviousness[0, 1] == 0
    roofs = changed_fields(
        can, imp, pop, [CellChange("green_roofs", everywhere, roof_share=0.5)], CELL
    )
    assert roofs.imperviousness[1, 0] == pytest.approx(1 - ROOF_SHARE_OF_SEALED * 0.5)
    one = np.zeros_like(can, dtype=bool)
    one[1, 1] = one[1, 2] = True
    dev = changed_fields(
        can, imp, pop, [CellChange("development", one, sealing_to=55.0, residents=19.0)], CELL
    )
    assert dev.imperviousness[1, 1] == pytest.approx(0.55)
    assert dev.imperviousness[1, 2] == pytest.approx(0.55)
    assert dev.population[1, 1] == pytest.approx(29.5) and dev.residents_added == 19
    assert dev.sealing_change_ha == pytest.approx((15 + 55) / 100)
    assert sealed_ha(dev.imperviousness, CELL) - sealed_ha(imp, CELL) == pytest.approx(0.7)


def test_an_intervention_without_cells_says_so(grid):
    can, imp, pop = grid
    none = np.zeros_like(can, dtype=bool)
    out = changed_fields(can, imp, pop, [CellChange("canopy", none, canopy_pp=5, label="A")], CELL)
    assert out.notes == ["A: no grid cell affected"]


def test_district_table_and_stats():
    districts = np.array([[0, 0], [1, -1]])
    base = np.array([[30.0, 32.0], [35.0, 40.0]])
    new = np.array([[29.0, 31.0], [35.0, 40.0]])
    rows = district_table(districts, ["a", "b"], ["A", "B"], base, new)
    assert rows == [
        {
            "district": "a",
            "name": "A",
            "lst_baseline": 31.0,
            "lst_scenario": 30.0,
            "lst_delta": -1.0,
        },
        {
            "district": "b",
            "name": "B",
            "lst_baseline": 35.0,
            "lst_scenario": 35.0,
            "lst_delta": 0.0,
        },
    ]
    mean, p95 = delta_stats(new - base, districts == 0)
    assert mean == -1.0 and p95 == -1.0
    assert delta_stats(new - base, np.zeros((2, 2), dtype=bool)) == (0.0, 0.0)
    k = kpi("x", {"de": "X", "en": "X"}, "K", 1.234, 1.0, error=0.5)
    assert k["delta"] == -0.23 and k["error"] == 0.5


# --- the whole chain on the demo pack ---------------------------------------------------------


@pytest.fixture(scope="module")
def model_cache(heat_model_cache):
    return heat_model_cache  # the session's fit, where load_or_fit (and the CLI) finds it


@pytest.fixture(scope="module")
def model(demo_pack, model_cache):
    from models.heat_response import load_or_fit

    return load_or_fit(demo_pack, model_cache)


def _district_mask(demo_pack, name: str) -> np.ndarray:
    from models.heat_response import grid_fields
    from models.scenario import _district_names, _district_of_cells

    grid = grid_fields(demo_pack)
    _ids, names = _district_names(demo_pack)
    return _district_of_cells(demo_pack, grid) == names.index(name)


def test_a_zero_scenario_changes_nothing_anywhere(demo_pack, model):
    from models.scenario import run

    result = run(demo_pack, model, [])
    assert all(k["delta"] == 0 for k in result.kpis)
    assert all(d["lst_delta"] == 0 for d in result.districts)
    assert np.nanmax(np.abs(result.lst_delta)) == 0
    # a zero amount in a district is no change either
    zero = CellChange("canopy", _district_mask(demo_pack, "Neulobeda"), canopy_pp=0.0)
    assert np.nanmax(np.abs(run(demo_pack, model, [zero]).lst_delta)) == 0


def test_more_trees_in_a_district_cool_it_and_move_people_out_of_the_hottest_class(
    demo_pack, model
):
    from models.scenario import run

    mask = _district_mask(demo_pack, "Neulobeda")
    result = run(demo_pack, model, [CellChange("canopy", mask, canopy_pp=20.0)], name="Bäume")
    k = {x["id"]: x for x in result.kpis}
    assert k["lst_change_mean"]["scenario"] < 0 and k["lst_change_p95"]["scenario"] <= 0
    assert k["lst_change_mean"]["error"] == pytest.approx(
        model.card["cv"]["blocked"]["overall"]["mae"], abs=0.01
    )
    assert k["canopy_ha"]["delta"] > 0 and k["sealed_ha"]["delta"] == 0
    assert k["hot_all"]["delta"] <= 0  # never more people in the hottest class
    assert np.nanmax(result.lst_delta) <= 0  # nowhere warmer
    row = next(d for d in result.districts if d["name"] == "Neulobeda")
    assert row["lst_delta"] < 0
    # far from the district (beyond the model's reach) nothing moves
    from scipy.ndimage import binary_dilation

    reach_cells = int(np.ceil(model.reach_m / 100.0)) + 1
    near = binary_dilation(mask, iterations=reach_cells)
    assert np.nanmax(np.abs(result.lst_delta[~near])) == 0
    doc = result.to_dict()
    assert {"kpis", "districts"} <= set(doc) and doc["kpis"][0]["label"]["de"]


def test_2050_adds_the_warming_everywhere(demo_pack, model):
    from models.scenario import run

    result = run(demo_pack, model, [], horizon="2050", warming=2.0)
    finite = np.isfinite(result.lst_delta)
    assert np.allclose(result.lst_delta[finite], 2.0)
    assert {x["id"]: x for x in result.kpis}["hot_all"]["delta"] >= 0


def _expected_hot_days(pack, warming: float) -> tuple[float, float]:
    """The reference and warmed rows of the station outlook, straight from climate_trend."""
    from models.climate_trend import outlook

    rows = outlook(pack.table("climate_daily"), deltas=[warming])["rows"]
    return round(rows[0]["hot_days"], 1), round(rows[1]["hot_days"], 1)


def test_hot_days_today_are_the_station_reference_unchanged(demo_pack, model):
    from models.climate_trend import INDICES
    from models.scenario import run

    assert demo_pack.has("climate_daily")
    result = run(demo_pack, model, [])
    ids = [x["id"] for x in result.kpis]
    assert ids[ids.index("lst_change_p95") + 1] == "hot_days"  # right after the LST change
    hot = result.kpis[ids.index("hot_days")]
    assert hot["delta"] == 0 and hot["baseline"] == hot["scenario"] > 0
    assert hot["unit"] == "days/year" and hot["error"] is None
    assert hot["baseline"] == _expected_hot_days(demo_pack, 2.0)[0]
    var, threshold = INDICES["hot_days"]
    assert var == "tmax" and all(f"Tmax ≥ {threshold:g} °C" in t for t in hot["label"].values())


def test_2050_hot_days_come_from_the_station_outlook(demo_pack, model):
    from models.scenario import run

    def hot_days(warming: float) -> dict:
        result = run(demo_pack, model, [], horizon="2050", warming=warming)
        return {x["id"]: x for x in result.kpis}["hot_days"]

    at2 = hot_days(2.0)
    base, warmed = _expected_hot_days(demo_pack, 2.0)
    assert at2["scenario"] > at2["baseline"]
    assert (at2["baseline"], at2["scenario"]) == (base, warmed)
    assert at2["delta"] == pytest.approx(warmed - base, abs=1e-9)
    assert hot_days(3.0)["scenario"] > hot_days(1.5)["scenario"] > at2["baseline"]


def test_no_station_series_no_hot_days(demo_pack, model, monkeypatch):
    from models.scenario import run

    has = demo_pack.has
    monkeypatch.setattr(demo_pack, "has", lambda ds: ds != "climate_daily" and has(ds))
    result = run(demo_pack, model, [], horizon="2050", warming=2.0)
    assert "hot_days" not in {x["id"] for x in result.kpis}
    assert not any("hot-days" in n for n in result.notes)  # nothing to say: no series


def test_a_station_outlook_without_result_leaves_a_note():
    import pandas as pd

    from models.scenario import hot_days_kpi

    class OneDayAYear:  # every year > 10 % missing: no reference period
        version = "x"

        def has(self, ds: str) -> bool:
            return ds == "climate_daily"

        def table(self, ds: str) -> pd.DataFrame:
            dates = pd.date_range("1991-07-01", periods=30, freq=pd.DateOffset(years=1))
            return pd.DataFrame({"date": dates, "tmax": 31.0, "tmin": 18.0})

    kpis, notes = hot_days_kpi(OneDayAYear(), 2.0)
    assert kpis == [] and notes and "no_reference" in notes[0]


SPEC = """
name = "Mehr Bäume in Neulobeda"
horizon = "today"
[[interventions]]
kind = "canopy"
districts = ["Neulobeda"]
percent = 10
[[interventions]]
kind = "development"
plan = "vl-457661"
"""


def test_a_spec_runs_through_the_chain(demo_pack, model):
    from models.scenario import run_spec
    from models.scenario_resolve import resolve
    from models.scenario_spec import from_toml

    resolved = resolve(from_toml(SPEC), demo_pack)
    result = run_spec(demo_pack, model, resolved)
    k = {x["id"]: x for x in result.kpis}
    assert k["conflicts"]["scenario"] >= 1  # Inselplatz lies in a ventilation corridor's core
    assert k["sealed_ha"]["delta"] > 0  # the development seals
    assert result.applied.residents_added == 0  # the plan has no dwellings
    neulobeda = next(d for d in result.districts if d["name"] == "Neulobeda")
    assert neulobeda["lst_delta"] < 0


def _cli(capsys, *args):
    from cli.main import main

    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_run_prints_kpis_and_districts(
    demo_pack, demo_pack_dir, model, model_cache, tmp_path, capsys
):
    spec = tmp_path / "trees.toml"
    spec.write_text(SPEC, encoding="utf-8")
    args = ("scenario", "run", "--pack", str(demo_pack_dir), "--spec", str(spec),
            "--cache-dir", str(model_cache))  # fmt: skip
    code, out, _ = _cli(capsys, *args, "--json")
    assert code == 0
    doc = json.loads(out)
    assert {"id", "label", "unit", "baseline", "scenario", "delta"} <= set(doc["kpis"][0])
    assert {"district", "name", "lst_baseline", "lst_scenario", "lst_delta"} == set(
        doc["districts"][0]
    )
    assert doc["synthetic"] is True and "not a physical simulation" in doc["statement"]["en"]
    code, text, _ = _cli(capsys, *args)
    assert code == 0 and "Neulobeda" in text and "model error" in text


def test_cli_refuses_a_bad_spec_with_every_problem(demo_pack_dir, model_cache, tmp_path, capsys):
    spec = tmp_path / "bad.toml"
    spec.write_text(
        'name = "x"\nhorizon = "2050"\n[[interventions]]\nkind = "canopy"\n'
        'districts = ["Atlantis"]\npercent = -5\n',
        encoding="utf-8",
    )
    before = spec.read_bytes()
    code, _, err = _cli(capsys, "scenario", "run", "--pack", str(demo_pack_dir), "--spec",
                        str(spec), "--cache-dir", str(model_cache))  # fmt: skip
    assert code == 1 and "refused" in err
    assert "warming" in err and "percent" in err  # both problems, each named
    assert spec.read_bytes() == before


def test_cli_model_card(demo_pack_dir, model, model_cache, capsys):
    code, out, _ = _cli(capsys, "scenario", "model", "--pack", str(demo_pack_dir), "--json",
                        "--cache-dir", str(model_cache))  # fmt: skip
    card = json.loads(out)
    assert code == 0 and card["reach_m"] == model.reach_m
    assert card["cv"]["blocked"]["overall"]["mae"] < card["cv"]["baseline"]["mae"]
