"""Contract tests, parametrised over the layer registry: every layer keeps the promises the
shell relies on (texts in both languages, bounded parameters, pure build/style)."""

from __future__ import annotations

import io
import itertools
import json
import re
from typing import Any

import numpy as np
import pytest
import shapely.geometry
from PIL import Image

from data.pack import load_pack
from layers import REGISTRY, get_layer
from layers.base import Layer, LayerData

LAYERS = pytest.mark.parametrize("layer", REGISTRY, ids=[layer.id for layer in REGISTRY])
HEX = re.compile(r"^#[0-9a-f]{6}$")


def _axes(layer: Layer) -> list[list[tuple[str, Any]]]:
    """The values tried per parameter: every choice, the ends and the default of numbers and
    ranges, no date and one date, no breaks and three."""
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
    return axes


def _param_grid(layer: Layer):
    """Parameter combinations: every n-th of all combinations (deterministic, at most ~300,
    ends included), then each value of each parameter with the others at their defaults, and
    each value of a parameter that is used only with a choice (``used_when``) with it."""
    axes = _axes(layer)
    combos = list(itertools.product(*axes))
    step = max(1, len(combos) // 300)
    for combo in combos[::step] + ([combos[-1]] if (len(combos) - 1) % step else []):
        yield dict(combo)
    defaults = layer.defaults()
    for axis in axes:
        for name, value in axis:
            yield {**defaults, name: value}
    for p, axis in zip(layer.params, axes, strict=True):
        if p.used_when is not None:
            for name, value in axis:
                yield {**defaults, p.used_when[0]: p.used_when[1], name: value}


def _one_at_a_time(layer: Layer):
    """The defaults, then each value of each parameter with the others at their defaults."""
    yield layer.defaults()
    for axis in _axes(layer):
        for name, value in axis:
            yield {**layer.defaults(), name: value}


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
    if layer.render == "geojson":
        _assert_features(data, layer, demo_pack)
    else:
        _assert_picture(data, demo_pack)


@LAYERS
def test_style_for_every_parameter_combination(layer, demo_pack):
    """Every combination is drawn, or refused with one of the messages the layer declares
    (``Layer.refuses``: what it rejects on purpose, with the message a person sees); every
    declared refusal happens."""
    geometry_bytes = len(json.dumps(layer.build(demo_pack, "de").geojson or {}))
    refused: set[str] = set()
    for params in _param_grid(layer):
        try:
            style = layer.style(demo_pack, layer.clean_params(params), "de")
        except ValueError as err:
            declared = [m for m in layer.refuses if m in str(err)]
            assert declared, (layer.id, params, err)
            refused.update(declared)
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
    assert refused == set(layer.refuses), f"{layer.id}: declared but never refused"


def _assert_picture(data: LayerData, pack) -> None:
    """A PNG with its bounds, inside the city (a margin for the image's own border)."""
    assert data.image_png is not None and data.image_png[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(io.BytesIO(data.image_png)) as picture:
        assert picture.width > 1 and picture.height > 1
    assert data.bounds is not None
    (s, w), (n, e) = data.bounds
    min_lon, min_lat, max_lon, max_lat = pack.city.bbox
    assert s < n and w < e
    assert min_lat - 0.02 < s < n < max_lat + 0.02 and min_lon - 0.02 < w < e < max_lon + 0.02


def _assert_features(data: LayerData, layer: Layer, pack) -> None:
    """A FeatureCollection with valid features inside the city; an interactive layer's
    features carry a tooltip, a layer with a click panel's the key its panel reads."""
    assert data.geojson is not None and data.geojson["type"] == "FeatureCollection"
    assert data.geojson["features"]
    min_lon, min_lat, max_lon, max_lat = pack.city.bbox
    for feature in data.geojson["features"]:
        geom = shapely.geometry.shape(feature["geometry"])
        assert geom.is_valid
        x0, y0, x1, y1 = geom.bounds
        assert min_lon - 0.01 <= x0 and x1 <= max_lon + 0.01
        assert min_lat - 0.01 <= y0 and y1 <= max_lat + 0.01
        if layer.interactive:
            assert str(feature["properties"].get("tooltip") or "").strip(), feature["properties"]
        if layer.panel_key is not None:
            assert isinstance(feature["properties"].get(layer.panel_key), str)
    json.dumps(data.geojson)


IMAGES = [layer for layer in REGISTRY if layer.image is not None]
VARIANTS = [layer for layer in REGISTRY if layer.variant_build is not None]


@pytest.mark.parametrize("layer", IMAGES, ids=[layer.id for layer in IMAGES])
def test_image_draws_a_picture_for_each_parameter_value(layer, demo_pack):
    """``image(pack, params)``: the defaults and each value of each parameter (the others at
    their defaults) give a PNG with bounds; the same parameters give the same picture."""
    assert layer.render == "image" and layer.params
    pictures = set()
    for params in _one_at_a_time(layer):
        try:
            clean = layer.clean_params(params)
        except ValueError as err:
            assert any(m in str(err) for m in layer.refuses), (layer.id, params, err)
            continue
        data = layer.image(demo_pack, clean)
        _assert_picture(data, demo_pack)
        pictures.add(data.image_png)
        assert layer.image(demo_pack, dict(clean)).image_png == data.image_png
    assert len(pictures) > 1, f"{layer.id}: the parameters never change the picture"


@pytest.mark.parametrize("layer", VARIANTS, ids=[layer.id for layer in VARIANTS])
def test_every_geometry_variant_gives_features(layer, demo_pack):
    """``variant_build`` for every value of the geometry parameter: map-ready features, a
    geometry of its own per value; ``build_for`` picks the variant of the parameters."""
    param = {p.name: p for p in layer.params}[layer.geometry_param]
    seen = {}
    for value, _ in param.choices:
        data = layer.variant_build(demo_pack, "de", value)
        _assert_features(data, layer, demo_pack)
        assert layer.variant(layer.clean_params({layer.geometry_param: value})) == value
        seen[value] = json.dumps(data.geojson, sort_keys=True)
    assert len(set(seen.values())) == len(seen) == len(param.choices)
    default = layer.defaults()
    built = layer.build_for(demo_pack, "de", default)
    assert json.dumps(built.geojson, sort_keys=True) == seen[layer.variant(default)]


class _Without:
    """A pack that lacks one dataset (or one grid variable): ``has`` says so."""

    def __init__(self, pack, missing: str) -> None:
        self.pack, self.missing = pack, missing

    def has(self, dataset_id: str) -> bool:
        return dataset_id != self.missing and self.pack.has(dataset_id)


@LAYERS
def test_a_layer_refuses_a_pack_without_what_it_requires(layer, demo_pack, tiny_pack_dir):
    """What a layer needs is declared per layer (``requires``): without any one of those
    datasets it is not available (the panel says what is missing); with a smaller pack it
    is available exactly when the pack has them all, and then it draws."""
    assert layer.available(demo_pack)
    for req in layer.requires:
        assert not layer.available(_Without(demo_pack, req)), (layer.id, req)
    tiny = load_pack(tiny_pack_dir)
    missing = [req for req in layer.requires if not tiny.has(req)]
    assert layer.available(tiny) == (not missing)
    if not missing:
        data = layer.build_for(tiny, "de", layer.defaults())
        if layer.render == "image":
            _assert_picture(data, tiny)
        else:
            assert data.geojson is not None and data.geojson["features"]
        assert layer.style(tiny, layer.defaults(), "de").legend.entries


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
