"""Footfall layers on a hand-made pack: the cube, heatmap frames, playback and site markers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from data.pack import load_pack
from layers import get_layer
from layers.footfall_cube import cube, hourly_means
from layers.footfall_heatmap import ALL_HOURS, site_values
from layers.footfall_sites import site_summary
from tests.packfactory import make_footfall_pack


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    return load_pack(make_footfall_pack(tmp_path_factory.mktemp("ff") / "pack"))


def test_cube_is_local_time_and_dst_aware(pack):
    c = cube(pack)
    assert c.site_ids == ("markt", "nord")
    spring = int(np.flatnonzero(c.dates == np.datetime64("2024-03-31"))[0])
    # 02:00 does not exist on 31 March 2024 in Europe/Berlin
    assert np.isnan(c.values[spring, 2]).all()
    assert c.values[spring, 8, 0] == 100.0 and c.values[spring, 7, 0] == 10.0
    assert c.hours_in_day[spring] == 23
    # the 5-hour gap stays missing, never zero (the last local day is partial: left out here)
    assert np.isnan(c.values[:-1]).sum() == 2 + 5
    assert c.missing_hours()[:-1].sum() == 5


def test_hourly_means_follow_the_window(pack):
    c = cube(pack)
    means = hourly_means(c, None, None, "all")
    assert means.shape == (24, 2)
    assert means[12, 0] == 100.0 and means[12, 1] == 200.0 and means[3, 1] == 10.0
    assert np.isnan(hourly_means(c, "2030-01-01", None, "all")).all()
    sundays = hourly_means(c, None, None, "sunday_holiday")
    assert sundays[12, 0] == 100.0  # same pattern every day in this pack


def test_site_values_for_playback_hour_and_range(pack):
    layer = get_layer("footfall-heatmap")
    params = layer.clean_params({"hours": [8, 19], "hour": ALL_HOURS})
    assert np.allclose(site_values(pack, params), [100.0, 200.0])
    assert np.allclose(site_values(pack, {**params, "hour": 3}), [10.0, 10.0])


def test_heatmap_frames_differ_by_hour_and_are_cached(pack):
    layer = get_layer("footfall-heatmap")
    frames = {h: layer.image(pack, layer.clean_params({"hour": h})) for h in range(24)}
    assert all(f.image_png[:4] == b"\x89PNG" for f in frames.values())
    assert frames[3].image_png != frames[12].image_png
    assert len({f.image_png for f in frames.values()}) == 2  # night vs day in this pack
    assert layer.image(pack, layer.clean_params({"hour": 12})) is frames[12]  # cached object
    (s, w), (n, e) = frames[0].bounds
    assert s < 50.9282 < n and w < 11.5878 < e


def test_heatmap_legend_has_units_and_scale(pack):
    layer = get_layer("footfall-heatmap")
    style = layer.style(pack, layer.defaults(), "de")
    assert "Passanten je Stunde" in style.legend.unit
    values = [float(e.label.replace(".", "").replace(",", ".")) for e in style.legend.entries]
    assert values == sorted(values) and 190 < values[-1] <= 200


@pytest.mark.parametrize(
    "bad",
    [{"hours": [5, 2]}, {"hours": [0, 30]}, {"hour": 24}, {"date_from": "gestern"}, {"days": "x"}],
)
def test_heatmap_rejects_bad_parameters(bad):
    with pytest.raises(ValueError):
        get_layer("footfall-heatmap").clean_params(bad)


def test_site_markers_and_popups(pack):
    rows = {r["site_id"]: r for r in site_summary(pack)}
    # last 7 complete days: 12 h × 100 + 12 h × 10 per day at "markt"
    assert rows["markt"]["last7_total"] == 7 * (12 * 100 + 12 * 10)
    assert rows["markt"]["missing_share_7d"] == 0
    assert np.isnan(rows["markt"]["change"])  # no data a year earlier
    data = get_layer("footfall-sites").build(pack, "en")
    feats = {f["properties"]["site_id"]: f["properties"] for f in data.geojson["features"]}
    assert feats["nord"]["radius"] > feats["markt"]["radius"]
    assert (
        "Last 7 days" in feats["markt"]["popup"] and "no comparison data" in feats["markt"]["popup"]
    )
    json.dumps(data.geojson)


def test_heatmap_frame_reads_gaps_as_missing_not_zero(tmp_path):  # type: ignore[no-untyped-def]
    """The picture is drawn from the numbers the layer's table shows (gaps left out)."""
    import numpy as np

    from data.pack import load_pack
    from layers import footfall_heatmap as fh
    from tests.packfactory import GAP, make_footfall_pack

    pack = load_pack(make_footfall_pack(tmp_path / "ff"))
    layer = fh.LAYER
    day = GAP[1][:10]  # the day with the 5-hour gap at one site
    params = layer.clean_params({"date_from": day, "date_to": day, "days": "all", "hours": [0, 23]})
    drawn = fh.frame_values(pack, fh.window_key(params), int(params["hour"]))
    table = fh.site_values(pack, params)
    np.testing.assert_allclose(drawn, np.nan_to_num(table), rtol=1e-6)
    rows = {r["site_id"]: r for r in layer.table(pack, params, "de").rows}
    for site, value in zip(fh.cube(pack).site_ids, drawn, strict=True):
        assert rows[site]["mean_per_hour"] == pytest.approx(float(value), abs=0.6)
