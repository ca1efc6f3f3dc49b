"""Footfall layers on a hand-made pack: the cube, heatmap frames, playback and site markers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from data.pack import load_pack
from layers import get_layer
from layers.footfall.cube import cube, hourly_means
from layers.footfall.heatmap import ALL_HOURS, site_values
from layers.footfall.sites import site_summary
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
    from layers.footfall import heatmap as fh
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


def _rgba(png: bytes) -> np.ndarray:
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def test_heatmap_is_readable_at_the_city_wide_view(pack):
    """A lone site is a patch some 40 screen pixels across at zoom 12 (24 m per pixel), and a
    quiet hour (5 % of the peak) still shows clearly; before, σ = 90 m gave ~8 px and 2 %
    of the PNG was drawn at all."""
    from layers.footfall import heatmap as fh

    layer = get_layer("footfall-heatmap")
    k = fh.kernel(pack)
    noon = _rgba(layer.image(pack, layer.clean_params({"hour": 12})).image_png)
    alpha = noon[..., 3].reshape(-1)
    per_site_km2 = (alpha >= 64).sum() * (fh.CELL_M / 1000) ** 2 / 2
    assert per_site_km2 >= 0.5  # ≥ a disc of 400 m radius each
    assert alpha.max() >= 240
    night = _rgba(layer.image(pack, layer.clean_params({"hour": 3})).image_png)
    for j in range(k.weights.shape[1]):
        at_site = int(np.argmax(k.weights[:, j]))
        assert night[..., 3].reshape(-1)[at_site] >= 130  # 10 of 200 per hour: still seen
    # the busiest site at noon is drawn in the legend's top colour
    (top,) = [e.color for e in layer.style(pack, layer.defaults(), "de").legend.entries][-1:]
    busiest = int(np.argmax(k.weights[:, 1]))  # "nord", 200 per hour at noon
    r, g, b = noon.reshape(-1, 4)[busiest][:3]
    assert f"#{r:02x}{g:02x}{b:02x}" == top


def test_heatmap_legend_starts_with_a_visible_colour_and_names_the_sites_layer(pack):
    layer = get_layer("footfall-heatmap")

    def luminance(hex_color: str) -> float:
        rgb = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    lowest = layer.style(pack, layer.defaults(), "de").legend.entries[0].color
    base = luminance("#f4f1ea")  # the offline base map's fill
    assert (base + 0.05) / (luminance(lowest) + 0.05) >= 1.5
    de = layer.style(pack, layer.defaults(), "de").legend.note
    en = layer.style(pack, layer.defaults(), "en").legend.note
    assert "„Fußverkehr: Zählstellen“" in de and "Kreise" not in de
    assert "“Footfall: counting sites”" in en and "circles" not in en


def _play_functions(calls: str) -> list[object]:
    """Run dashboard/assets/allmende.js in Node (no browser) and return the calls' results."""
    import shutil
    import subprocess
    from pathlib import Path

    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("node is not installed")
    script = Path(__file__).resolve().parents[1] / "dashboard" / "assets" / "allmende.js"
    code = (
        "global.window = {}; global.document = {addEventListener() {}};\n"
        + script.read_text(encoding="utf-8")
        + "\nconst P = window.dash_clientside.allmendePlay;\n"
        + f"console.log(JSON.stringify([{calls}]));"
    )
    out = subprocess.run([node, "-e", code], capture_output=True, text=True, check=True)
    return list(json.loads(out.stdout))


def test_play_button_reads_pause_while_playing():
    from dashboard import components, ids

    layer = get_layer("footfall-heatmap")
    for lang, play, pause in (("de", "▶ Tag abspielen", "⏸ Anhalten"), ("en", "▶ Play", "⏸ Pause")):
        button = components.play_controls(layer, lang)[0]
        assert button.id == ids.layer_id(ids.LAYER_PLAY, layer.id)
        attrs = button.to_plotly_json()["props"]
        assert attrs["children"].startswith(play) and attrs["aria-pressed"] == "false"
        assert attrs[components.PLAY_LABEL].startswith(play)
        assert attrs[components.PAUSE_LABEL] == pause
    started, stopped, step, last = _play_functions(
        'P.toggle(1, true, "▶ Tag abspielen", "⏸ Anhalten"), '
        'P.toggle(2, false, "▶ Tag abspielen", "⏸ Anhalten"), '
        'P.step(1, 5, "▶ Tag abspielen", "⏸ Anhalten"), '
        'P.step(24, 23, "▶ Tag abspielen", "⏸ Anhalten")'
    )
    # [timer disabled, aria-pressed, label]
    assert started == [False, "true", "⏸ Anhalten"]
    assert stopped == [True, "false", "▶ Tag abspielen"]
    assert step == [6, False, "true", "⏸ Anhalten"]  # [hour, disabled, pressed, label]
    assert last == [23, True, "false", "▶ Tag abspielen"]
