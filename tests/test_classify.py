"""Class breaks: mapclassify schemes, the large-n natural-breaks path, colours."""

import mapclassify
import numpy as np
import pytest

from layers.classify import JENKS_MAX_VALUES, classify


@pytest.mark.filterwarnings("ignore:Numba not installed")
def test_natural_breaks_are_exact_jenks_for_small_data():
    y = np.random.default_rng(3).lognormal(5, 1, JENKS_MAX_VALUES)
    got = classify(y, "natural_breaks", 5, "YlGnBu")
    assert np.allclose(got.breaks, mapclassify.FisherJenks(y, k=5).bins)
    assert sum(got.counts) == y.size


def test_natural_breaks_on_large_data_are_deterministic_and_cover_everything():
    y = np.random.default_rng(4).lognormal(5, 1, 20 * JENKS_MAX_VALUES)
    a, b = classify(y, "natural_breaks", 5, "YlGnBu"), classify(y, "natural_breaks", 5, "YlGnBu")
    assert a == b
    assert a.breaks[-1] == y.max() and sum(a.counts) == y.size
    assert list(a.breaks) == sorted(a.breaks) and len(a.breaks) == 5


def test_fewer_distinct_values_than_classes():
    got = classify(np.array([1.0, 1.0, 2.0, 2.0]), "quantiles", 5, "PuRd")
    assert got.breaks == (1.5, 2.0) and got.counts == (2, 2) and len(got.colors) == 2


@pytest.mark.parametrize("bad", [("nope", 5), ("quantiles", 2), ("quantiles", 8)])
def test_bad_scheme_or_k(bad):
    with pytest.raises(ValueError, match=r"scheme|k must"):
        classify(np.arange(10.0), *bad, "PuRd")


def test_no_finite_values():
    with pytest.raises(ValueError, match="no finite values"):
        classify(np.array([np.nan, np.inf]), "quantiles", 5, "PuRd")
