"""Heat vulnerability index, climate justice and the heat layers on a tiny pack with known values."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cli.main import main
from dashboard.callbacks.map_layers import geometry_changed, restyle
from data.pack import CityPack, load_pack
from layers import get_layer
from layers.heat.justice import justice
from layers.heat.vulnerability import LAYER as HVI
from layers.heat.vulnerability import classes_for
from layers.params import parse_breaks
from models.heat import district_indicators, grid_indicators, neighbourhood_share
from models.hvi import clean_weights, hvi, normalise, parse_weights
from models.justice import concentration, curve_area_index, group_exposure
from tests.packfactory import POPULATION, UNEMPLOYED, make_heat_pack


@pytest.fixture(scope="module")
def heat_pack(tmp_path_factory: pytest.TempPathFactory) -> CityPack:
    return load_pack(make_heat_pack(tmp_path_factory.mktemp("heat") / "pack"))


WEIGHTS = [
    {"exposure": 1.0, "sensitivity": 1.0, "capacity": 1.0},
    {"exposure": 3.0, "sensitivity": 0.5, "capacity": 0.0},
    {"exposure": 0.0, "sensitivity": 0.0, "capacity": 5.0},
    {"exposure": 2.5, "sensitivity": 1.5, "capacity": 4.0},
]


# --- normalisation and index -----------------------------------------------------------------


def test_normalise_zscore_and_minmax() -> None:
    x = np.array([1.0, 2.0, 3.0, np.nan, 6.0])
    z = normalise(x, "zscore")
    assert np.isnan(z[3])
    assert np.nanmean(z) == pytest.approx(0.0, abs=1e-12)
    assert np.nanstd(z) == pytest.approx(1.0)
    mm = normalise(x, "minmax")
    assert np.nanmin(mm) == 0.0 and np.nanmax(mm) == 1.0 and mm[1] == pytest.approx(0.2)
    assert np.all(normalise(np.array([4.0, 4.0]), "zscore") == 0.0)
    with pytest.raises(ValueError, match="not one of zscore, minmax"):
        normalise(x, "rank")


@pytest.mark.parametrize("level", ["district", "grid"])
@pytest.mark.parametrize("norm", ["zscore", "minmax"])
@pytest.mark.parametrize("weights", WEIGHTS)
def test_contributions_add_up_to_the_index(
    heat_pack: CityPack, level: str, norm: str, weights: dict[str, float]
) -> None:
    ind = district_indicators(heat_pack) if level == "district" else grid_indicators(heat_pack)
    frame = hvi(ind, weights, norm).frame
    total = frame[["contrib_exposure", "contrib_sensitivity", "contrib_capacity"]].sum(axis=1)
    np.testing.assert_allclose(total, frame["index"], rtol=0, atol=1e-12)
    # and each contribution is weight × component / Σ weights
    w = sum(weights.values())
    np.testing.assert_allclose(
        frame["contrib_exposure"], weights["exposure"] * frame["exposure"] / w, atol=1e-15
    )


def test_weights_change_the_index_deterministically(heat_pack: CityPack) -> None:
    ind = grid_indicators(heat_pack)
    a1 = hvi(ind, WEIGHTS[1]).frame["index"].to_numpy()
    a2 = hvi(ind, WEIGHTS[1]).frame["index"].to_numpy()
    b = hvi(ind, WEIGHTS[2]).frame["index"].to_numpy()
    assert np.array_equal(a1, a2)  # same weights, bit-identical
    assert not np.allclose(a1, b)
    # exposure-only weights give exactly the exposure component
    only = hvi(ind, {"exposure": 1.0, "sensitivity": 0.0, "capacity": 0.0}).frame
    np.testing.assert_array_equal(only["index"], only["exposure"])


def test_orientation_more_canopy_means_less_vulnerable(heat_pack: CityPack) -> None:
    frame = hvi(district_indicators(heat_pack), None, "minmax").frame
    ind = district_indicators(heat_pack).frame
    most_canopy = ind["tree_canopy"].idxmax()
    assert frame.loc[most_canopy, "n_tree_canopy"] == 0.0  # most canopy = least lack of it
    hottest = ind["lst_day"].idxmax()
    assert frame.loc[hottest, "n_lst_day"] == 1.0


def test_weights_are_checked() -> None:
    assert parse_weights("exposure=2, capacity=0,5".replace(",5", ".5")) == {
        "exposure": 2.0,
        "sensitivity": 1.0,
        "capacity": 0.5,
    }
    with pytest.raises(ValueError, match="not one of exposure"):
        clean_weights({"heat": 1})
    with pytest.raises(ValueError, match="outside"):
        clean_weights({"exposure": 7})
    with pytest.raises(ValueError, match="at least one weight"):
        clean_weights({"exposure": 0, "sensitivity": 0, "capacity": 0})
    with pytest.raises(ValueError, match="NAME=NUMBER"):
        parse_weights("exposure")
    with pytest.raises(ValueError, match="expected a number"):
        clean_weights({"exposure": "1"})


def test_parse_breaks_german_and_english() -> None:
    assert parse_breaks("-0,5; 0; 0,5") == (-0.5, 0.0, 0.5)
    assert parse_breaks("-0.5, 0, 0.5") == (-0.5, 0.0, 0.5)
    assert parse_breaks("  ") == ()
    with pytest.raises(ValueError, match="rise strictly"):
        parse_breaks("1; 0")
    with pytest.raises(ValueError, match="not a number"):
        parse_breaks("1; zwei")
    with pytest.raises(ValueError, match="at most 9"):
        parse_breaks(",".join(str(i) for i in range(10)))


# --- indicators by hand ----------------------------------------------------------------------


def test_district_indicators_by_hand(heat_pack: CityPack) -> None:
    ind = district_indicators(heat_pack)
    frame = ind.frame.set_index("unit_id")
    assert ind.missing == ()
    # D01 is a 1 km square: its two facilities give 2 per km²
    assert frame.loc["D01", "facilities"] == pytest.approx(2.0, rel=1e-3)
    assert frame.loc["D01", "unemployment"] == pytest.approx(UNEMPLOYED[0] / POPULATION[0])
    # raster indicators are population-weighted means over the district's cells
    grid = heat_pack.raster("grid")
    xs, ys = grid["x"].to_numpy(), grid["y"].to_numpy()
    gx, gy = np.meshgrid(xs, ys)
    d01 = heat_pack.metric("districts").geometry.iloc[0]
    import shapely

    inside = shapely.contains_xy(d01, gx, gy)
    pop = grid["population"].to_numpy()[inside]
    lst = grid["lst_day"].to_numpy()[inside]
    assert frame.loc["D01", "lst_day"] == pytest.approx(np.average(lst, weights=pop))


def test_green_within_300m_counts_cells_by_distance() -> None:
    mask = np.zeros((7, 7), dtype=bool)
    mask[3, 3] = True
    share = neighbourhood_share(mask, np.ones((7, 7), dtype=bool), 3.0)  # 300 m on 100 m cells
    disc = 29  # cells whose centres lie within 3 cells of the centre
    assert share[3, 3] == pytest.approx(1 / disc, abs=1e-6)
    # at the edge only the 18 cells inside the grid count (7 + 5 + 5 + 1 by row)
    assert share[0, 3] == pytest.approx(1 / 18, abs=1e-6)
    assert share[0, 0] == 0.0  # 4.24 cells away


# --- the map layer: classes in Python = colours in the browser --------------------------------


def _browser_class(props: dict, hideout: dict) -> int | None:
    """What assets/allmende.js ``hvi`` computes, step by step in the same order."""
    a, b, c = (props[k] for k in hideout["props"])
    if a is None or b is None or c is None:
        return None
    w = hideout["weights"]
    v = (w[0] * a + w[1] * b + w[2] * c) / (w[0] + w[1] + w[2])
    for i, brk in enumerate(hideout["breaks"]):
        if v <= brk:
            return i
    return len(hideout["breaks"]) - 1


@pytest.mark.parametrize("level", ["district", "grid"])
@pytest.mark.parametrize("norm", ["zscore", "minmax"])
def test_browser_formula_reproduces_the_server_classes(
    heat_pack: CityPack, level: str, norm: str
) -> None:
    for weights in WEIGHTS:
        params = HVI.clean_params(
            {"level": level, "norm": norm, **{f"w_{k}": v for k, v in weights.items()}}
        )
        data = HVI.build_for(heat_pack, "de", params)
        style = HVI.style(heat_pack, params, "de")
        res, classes = classes_for(heat_pack, params)
        index = res.frame.set_index("unit_id")["index"]
        for feature in data.geojson["features"]:
            props = feature["properties"]
            expected = int(np.searchsorted(classes.breaks, index[props["unit_id"]], side="left"))
            assert _browser_class(props, style.hideout) == min(expected, len(classes.breaks) - 1)


def test_weight_changes_restyle_without_geometry(heat_pack: CityPack, tmp_path: Path) -> None:
    from dashboard.context import AppContext
    from dashboard.settings import Settings

    ctx = AppContext(Settings(pack=heat_pack.folder, forecasts=False), heat_pack)
    base = {**HVI.defaults(), "level": "grid"}
    one, _ = restyle(ctx, HVI.id, base, 0.7, "de")
    two, _legend = restyle(ctx, HVI.id, {**base, "w_exposure": 4.0}, 0.7, "de")
    assert one["weights"] != two["weights"] and one["breaks"] != two["breaks"]
    payload = json.dumps(two)
    assert "coordinates" not in payload and len(payload) < 600
    # only the toggle and the level rebuild geometry
    assert not geometry_changed(HVI.id, {"type": "param", "layer": HVI.id, "param": "w_exposure"})
    assert geometry_changed(HVI.id, {"type": "param", "layer": HVI.id, "param": "level"})
    assert geometry_changed(HVI.id, {"type": "toggle", "layer": HVI.id})


def test_user_defined_breaks_and_bad_ones(heat_pack: CityPack) -> None:
    params = HVI.clean_params({"scheme": "user_defined", "breaks": "-0,5; 0; 0,5", "level": "grid"})
    style = HVI.style(heat_pack, params, "en")
    assert style.hideout["breaks"][:3] == [-0.5, 0.0, 0.5]
    # user-defined classes without breaks: a message, and the default classes meanwhile
    with pytest.raises(ValueError, match="need breaks"):
        HVI.clean_params({"scheme": "user_defined"})
    clean, problems = HVI.check_params({"scheme": "user_defined"})
    assert set(problems) == {"breaks"} and clean["scheme"] == "quantiles"
    # the layer itself copes too (a URL may carry user_defined without breaks)
    fallback = HVI.style(heat_pack, {**clean, "scheme": "user_defined"}, "en")
    assert fallback.hideout["breaks"] == HVI.style(heat_pack, clean, "en").hideout["breaks"]
    # typed breaks are only checked while they are used
    assert HVI.clean_params({"breaks": "0; -1"})["breaks"] == ""
    with pytest.raises(ValueError, match="breaks must rise"):
        HVI.clean_params({"scheme": "user_defined", "breaks": "0; -1"})
    with pytest.raises(ValueError, match="outside"):
        HVI.clean_params({"w_capacity": 99})


def test_surface_layer_image_and_legend(heat_pack: CityPack) -> None:
    layer = get_layer("heat-surface")
    for variable in ("lst_day", "tair_night"):
        data = layer.image(heat_pack, layer.clean_params({"variable": variable}))
        assert data.image_png[:8] == b"\x89PNG\r\n\x1a\n"
        legend = layer.style(heat_pack, {"variable": variable}, "de").legend
        assert legend.entries[0].label.endswith("°C") and len(legend.entries) == 6
    with pytest.raises(ValueError, match="not one of"):
        layer.clean_params({"variable": "lst_night"})


# --- justice ---------------------------------------------------------------------------------


def test_group_exposure_by_hand() -> None:
    units = pd.DataFrame(
        {
            "unit_id": ["a", "b", "c"],
            "population": [100.0, 300.0, 0.0],
            "pop_65plus": [50.0, 10.0, 0.0],
            "pop_under6": [0.0, 30.0, 0.0],
            "lst_day": [40.0, 30.0, 50.0],
        }
    )
    groups = {g.group: g for g in group_exposure(units, "lst_day", 35.0)}
    assert groups["all"].mean_exposure == pytest.approx((100 * 40 + 300 * 30) / 400)
    assert groups["65plus"].mean_exposure == pytest.approx((50 * 40 + 10 * 30) / 60)
    assert groups["all"].share_in_hottest == pytest.approx(0.25)
    assert groups["65plus"].share_in_hottest == pytest.approx(50 / 60)
    assert groups["under6"].share_in_hottest == 0.0


def test_concentration_index_signs_and_curve() -> None:
    base = pd.DataFrame(
        {"unit_id": list("abcd"), "social": [0.1, 0.08, 0.05, 0.02], "population": [1.0] * 4}
    )
    poor_hot = concentration(base.assign(h=[1.0, 0.5, 0.0, 0.0]), "social", "h")
    even = concentration(base.assign(h=[0.3] * 4), "social", "h")
    rich_hot = concentration(base.assign(h=[0.0, 0.0, 0.5, 1.0]), "social", "h")
    assert poor_hot is not None and even is not None and rich_hot is not None
    assert poor_hot.index < 0 < rich_hot.index
    assert even.index == pytest.approx(0.0, abs=1e-12)
    assert poor_hot.order == ("a", "b", "c", "d")  # most disadvantaged first
    for conc in (poor_hot, even, rich_hot):
        assert curve_area_index(conc) == pytest.approx(conc.index, abs=1e-12)
        assert conc.cum_population[-1] == pytest.approx(1.0) == conc.cum_burden[-1]
    assert concentration(base.assign(h=[0.0] * 4), "social", "h") is None


def test_justice_report_on_the_pack(heat_pack: CityPack) -> None:
    doc = justice(heat_pack, "lst_day", "quantiles", 5)
    groups = {g["group"]: g for g in doc["groups"]}
    assert set(groups) == {"all", "65plus", "under6"}
    cells = grid_indicators(heat_pack).frame
    hot = cells["lst_day"] > doc["hottest_class_above"]
    assert groups["all"]["in_hottest_class"] == pytest.approx(
        cells.loc[hot, "population"].sum(), abs=0.1
    )
    ranks = [r["rank"] for r in doc["districts"]]
    assert ranks == sorted(ranks) and len(ranks) == 3
    hot_all = [r["hot_all"] for r in doc["districts"]]
    assert hot_all == sorted(hot_all, reverse=True)
    assert doc["concentration"]["social_indicator"] == "unemployment"
    with pytest.raises(ValueError, match="not one of"):
        justice(heat_pack, "population")


# --- CLI -------------------------------------------------------------------------------------


def test_cli_hvi_json(heat_pack: CityPack, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["heat", "hvi", "--pack", str(heat_pack.folder), "--level", "grid", "--weights",
         "exposure=2,sensitivity=1,capacity=0", "--scheme", "equal_interval", "--json"]
    )  # fmt: skip
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["weights"] == {"exposure": 2.0, "sensitivity": 1.0, "capacity": 0.0}
    unit = doc["units"][0]
    parts = unit["contrib_exposure"] + unit["contrib_sensitivity"] + unit["contrib_capacity"]
    assert parts == pytest.approx(unit["index"], abs=1e-12)
    assert all(1 <= u["class"] <= len(doc["breaks"]) for u in doc["units"])


def test_cli_justice_and_bad_input(heat_pack: CityPack, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["heat", "justice", "--pack", str(heat_pack.folder), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["groups"][0]["group"] == "all"
    assert main(["heat", "hvi", "--pack", str(heat_pack.folder), "--weights", "sun=1"]) == 2
    assert "not one of exposure" in capsys.readouterr().err
    # a usage error now (checked with the other arguments)
    assert main(["heat", "hvi", "--pack", str(heat_pack.folder), "--scheme", "user_defined"]) == 2
    assert "need breaks" in capsys.readouterr().err
