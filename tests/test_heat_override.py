"""A scenario's indicators and index through the baseline's own code: changed grid fields
(models.heat.grid_indicators_with) and normalisation on the baseline (models.hvi reference)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models.heat import grid_indicators, grid_indicators_with
from models.hvi import hvi


@pytest.fixture(scope="module")
def base(demo_pack):
    return grid_indicators(demo_pack)


def test_no_change_gives_the_baseline(demo_pack, base):
    same = grid_indicators_with(demo_pack, {})
    pd.testing.assert_frame_equal(same.frame, base.frame)
    a, b = hvi(base), hvi(same, reference=base)
    np.testing.assert_array_equal(a.frame["index"].to_numpy(), b.frame["index"].to_numpy())


def test_a_hotter_cell_moves_only_itself_on_the_baseline_scale(demo_pack, base):
    lst = demo_pack.raster("grid")["lst_day"].transpose("y", "x").to_numpy().astype(float)
    row, col = int(base.frame["row"].iloc[10]), int(base.frame["col"].iloc[10])
    hotter = lst.copy()
    hotter[row, col] += 3.0
    changed = grid_indicators_with(demo_pack, {"lst_day": hotter})
    before, after = hvi(base), hvi(changed, reference=base)
    diff = after.frame["index"].to_numpy() - before.frame["index"].to_numpy()
    assert diff[10] > 0
    assert np.count_nonzero(np.abs(diff) > 1e-9) == 1  # the others keep their index exactly
    # without the reference every unit would move (the mean and spread change)
    free = hvi(changed).frame["index"].to_numpy() - before.frame["index"].to_numpy()
    assert np.count_nonzero(np.abs(free) > 1e-9) > 1


@pytest.mark.parametrize(
    ("override", "fragment"),
    [
        ({"elevation": np.zeros((2, 2))}, "cannot be changed"),
        ({"lst_day": np.zeros((2, 2))}, "expected shape"),
    ],
)
def test_a_bad_override_is_refused(demo_pack, override, fragment):
    with pytest.raises(ValueError, match=fragment):
        grid_indicators_with(demo_pack, override)
