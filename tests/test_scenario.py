"""A scenario applied to the grid (models.scenario): each intervention changes each cell once,
capped at what is possible; zero interventions change nothing."""

from __future__ import annotations

import numpy as np
import pytest

from models.scenario import (
    ROOF_SHARE_OF_SEALED,
    CellChange,
    changed_fields,
    delta_stats,
    district_table,
    kpi,
    sealed_ha,
)

CELL = 100.0


@pytest.fixture
def grid():
    can = np.array([[10.0, 95.0, np.nan], [0.0, 50.0, 20.0]])
    imp = np.array([[80.0, 5.0, np.nan], [100.0, 40.0, 0.0]])
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
    assert out.canopy[0, 0] == 20 and out.canopy[0, 1] == 100  # capped at 100 %
    assert np.isnan(out.canopy[0, 2])  # no data: never changed
    assert out.canopy[1, 1] == 50
    assert out.canopy_added_ha == pytest.approx((10 + 5) / 100 * 1.0)  # 1 ha cells


def test_trees_spread_their_crowns_over_the_cells(grid):
    can, imp, pop = grid
    mask = np.zeros_like(can, dtype=bool)
    mask[1, 0] = mask[1, 2] = True
    out = changed_fields(
        can, imp, pop, [CellChange("canopy", mask, canopy_m2=100 * 50.0, trees=100)], CELL
    )
    # 5,000 m² over two 10,000 m² cells: +25 percentage points each
    assert out.canopy[1, 0] == 25 and out.canopy[1, 2] == 45 and out.trees == 100


def test_unsealing_green_roofs_and_a_development(grid):
    can, imp, pop = grid
    everywhere = np.ones_like(can, dtype=bool)
    out = changed_fields(can, imp, pop, [CellChange("unseal", everywhere, unseal_pp=30)], CELL)
    assert out.imperviousness[0, 0] == 50 and out.imperviousness[0, 1] == 0  # floored at 0
    roofs = changed_fields(
        can, imp, pop, [CellChange("green_roofs", everywhere, roof_share=0.5)], CELL
    )
    assert roofs.imperviousness[1, 0] == pytest.approx(100 * (1 - ROOF_SHARE_OF_SEALED * 0.5))
    one = np.zeros_like(can, dtype=bool)
    one[1, 1] = one[1, 2] = True
    dev = changed_fields(
        can, imp, pop, [CellChange("development", one, sealing_to=55.0, residents=19.0)], CELL
    )
    assert dev.imperviousness[1, 1] == 55 and dev.imperviousness[1, 2] == 55
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
