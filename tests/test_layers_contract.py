"""Contract tests, parametrised over the layer registry: every layer keeps the promises the
shell relies on (texts in both languages, bounded parameters, pure build/style)."""

from __future__ import annotations

import itertools
import json
import re

import numpy as np
import pytest
import shapely.geometry

from layers import REGISTRY, get_layer
from layers.base import Layer

LAYERS = pytest.mark.parametrize("layer", REGISTRY, ids=[layer.id for layer in REGISTRY])
HEX = re.compile(r"^#[0-9a-f]{6}$")


def _param_grid(layer: Layer):
    axes = []
    for p in layer.params:
        if p.kind == "choice":
            axes.append([(p.name, c) for c, _ in p.choices])
        elif p.kind == "int_range":
            axes.append([(p.name, [p.min, p.min]), (p.name, p.default), (p.name, [p.max, p.max])])
        elif p.kind == "date":
            axes.append([(p.name, None), (p.name, "2024-06-01")])
        elif p.kind == "breaks":
            axes.append([(p.name, ""), (p.name, "-0,5; 0; 0,5")])
        else:
            axes.append([(p.name, p.min), (p.name, p.default), (p.name, p.max)])
    combos = list(itertools.product(*axes))
    # many parameters: every n-th combination (deterministic), at most ~300, ends included
    step = max(1, len(combos) // 300)
    for combo in combos[::step] + ([combos[-1]] if (len(combos) - 1) % step else []):
        yield dict(combo)


# Combinations a layer rejects on purpose, with the message a person sees in the legend.
EXPECTED_REFUSALS = ("at least one weight must be above 0", "user-defined classes need breaks")


def test_registry_ids_are_unique_slugs():
    ids = [layer.id for layer in REGISTRY]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9-]*", i) for i in ids)
    with pytest.raises(KeyError, match="known: "):
        get_layer("nope")


@LAYERS
def test_texts_in_both_languages(layer):
    for text in (layer.title, layer.theme.title, layer.description):
        assert text.get("de") and text.get("en")
    for p in layer.params:
        assert p.label.get("de") and p.label.get("en")
        for _, label in p.choices:
            assert label.get("de") and label.get("en")


@LAYERS
def test_params_are_bounded_and_reject_bad_values(layer):
    assert layer.clean_params({}) == layer.defaults()
    with pytest.raises(ValueError, match="unknown parameter"):
        layer.clean_params({"__proto__": 1})
    for p in layer.params:
        bad = ["<script>", 10**9, -(10**9), True, [1], {"a": 1}, [3, 1], "2024-13-45"]
        for value in bad:
            if p.kind == "choice" and isinstance(value, str) and value in dict(p.choices):
                continue
            with pytest.raises(ValueError, match=p.name):
                p.clean(value)


@LAYERS
@pytest.mark.parametrize("lang", ["de", "en"])
def test_build_gives_map_ready_data_inside_the_city(layer, lang, demo_pack):
    assert layer.available(demo_pack)
    data = layer.build(demo_pack, lang)
    min_lon, min_lat, max_lon, max_lat = demo_pack.city.bbox
    if layer.render == "geojson":
        assert data.geojson is not None and data.geojson["type"] == "FeatureCollection"
        assert data.geojson["features"]
        for feature in data.geojson["features"]:
            geom = shapely.geometry.shape(feature["geometry"])
            assert geom.is_valid
            x0, y0, x1, y1 = geom.bounds
            assert min_lon - 0.01 <= x0 and x1 <= max_lon + 0.01
            assert min_lat - 0.01 <= y0 and y1 <= max_lat + 0.01
        json.dumps(data.geojson)
    else:
        assert data.image_png is not None and data.image_png[:8] == b"\x89PNG\r\n\x1a\n"
        (s, w), (n, e) = data.bounds
        assert s < n and w < e
        # the picture lies within the city (a margin for the image's own border)
        assert min_lat - 0.02 < s < n < max_lat + 0.02 and min_lon - 0.02 < w < e < max_lon + 0.02


@LAYERS
def test_style_for_every_parameter_combination(layer, demo_pack):
    geometry_bytes = len(json.dumps(layer.build(demo_pack, "de").geojson or {}))
    for params in _param_grid(layer):
        try:
            style = layer.style(demo_pack, layer.clean_params(params), "de")
        except ValueError as err:
            assert any(m in str(err) for m in EXPECTED_REFUSALS), (params, err)
            continue
        hideout = json.dumps(style.hideout)
        # a restyle sends no geometry: the hideout is tiny next to the data
        assert len(hideout) < 2000
        if layer.render == "geojson":
            assert len(hideout) < geometry_bytes / 10
        assert style.legend.title and style.legend.entries
        for entry in style.legend.entries:
            assert HEX.match(entry.color), entry.color
            assert entry.label


@LAYERS
def test_build_and_style_are_deterministic(layer, demo_pack):
    a, b = layer.build(demo_pack, "en"), layer.build(demo_pack, "en")
    assert a.geojson == b.geojson and a.image_png == b.image_png
    params = layer.defaults()
    assert layer.style(demo_pack, params, "en") == layer.style(demo_pack, params, "en")


def test_district_classes_follow_the_scheme(demo_pack):
    layer = get_layer("districts")
    results = {}
    for scheme in ("quantiles", "natural_breaks", "equal_interval"):
        style = layer.style(demo_pack, {"variable": "density", "scheme": scheme, "k": 5}, "de")
        breaks = style.hideout["breaks"]
        assert breaks == sorted(breaks) and len(breaks) == 5
        assert style.hideout["prop"] == "density"
        results[scheme] = breaks
    assert results["quantiles"] != results["equal_interval"]
    # equal intervals really are equal
    eq = np.diff([demo_pack_min_density(demo_pack), *results["equal_interval"]])
    assert np.allclose(eq, eq[0], rtol=1e-6)


def demo_pack_min_density(pack) -> float:
    from layers.city.districts import district_table

    return float(district_table(pack)["density"].min())


def test_district_layer_has_all_30_districts_with_values(demo_pack):
    data = get_layer("districts").build(demo_pack, "de")
    feats = data.geojson["features"]
    assert len(feats) == 30
    for f in feats:
        props = f["properties"]
        assert props["density"] > 0 and 0 < props["share_65plus"] < 1
        assert props["name"] in props["tooltip"]


def test_share_65plus_legend_in_percent(demo_pack):
    style = get_layer("districts").style(
        demo_pack, {"variable": "share_65plus", "scheme": "quantiles", "k": 4}, "de"
    )
    assert all("%" in e.label for e in style.legend.entries)
    assert sum(int(e.label.rsplit("(", 1)[1].rstrip(")")) for e in style.legend.entries) == 30
