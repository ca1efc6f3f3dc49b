"""The layer contract checks itself: every rule of :mod:`layers.contract`, each shown failing
with an error that names the layer and the field; the registry's rules; the panel's themes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from dash import html

from layers import REGISTRY, THEMES, panel_groups
from layers.base import Layer, LayerData, LayerStyle, Legend
from layers.contract import LayerContractError, Theme, check_registry
from layers.panels import Panel
from layers.params import Param
from layers.themes import HEAT, POPULATION


def _build(pack: Any, lang: str) -> LayerData:
    return LayerData(geojson={"type": "FeatureCollection", "features": []})


def _style(pack: Any, params: Any, lang: str) -> LayerStyle:
    return LayerStyle({}, Legend("t", ()))


def _image(pack: Any, params: Any) -> LayerData:
    return LayerData(image_png=b"", bounds=((0.0, 0.0), (1.0, 1.0)))


def _variant(pack: Any, lang: str, value: str) -> LayerData:
    return _build(pack, lang)


def _panel(pack: Any, key: str, params: Any, lang: str) -> Panel | None:
    return Panel(())


CHOICE = Param("level", {"de": "Ebene", "en": "Level"}, "choice", "a", choices=(
    ("a", {"de": "A", "en": "A"}), ("b", {"de": "B", "en": "B"})))  # fmt: skip
HOUR = Param("hour", {"de": "Stunde", "en": "Hour"}, "int", -1, min=-1, max=23)
GEOJSON: dict[str, Any] = dict(
    id="test-layer",
    title={"de": "Probe", "en": "Test"},
    theme=HEAT,
    description={"de": "Eine Probe.", "en": "A test."},
    requires=("districts",),
    render="geojson",
    build=_build,
    style=_style,
    js_style="choropleth",
)
IMAGE: dict[str, Any] = {**GEOJSON, "render": "image", "js_style": None}


def _fails(field: str, **fields: Any) -> LayerContractError:
    with pytest.raises(LayerContractError) as info:
        Layer(**fields)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.field == field, str(err)
    assert f"layer {fields['id']!r}" in str(err) and f": {field}: " in str(err), str(err)
    return err


def test_the_fixtures_are_valid_layers():
    Layer(**GEOJSON)
    Layer(**IMAGE)
    Layer(**{**IMAGE, "params": (HOUR,), "image": _image, "playback": "hour"})
    Layer(**GEOJSON, interactive=True, panel=_panel, panel_key="unit_id")
    Layer(**GEOJSON, params=(CHOICE,), geometry_param="level", variant_build=_variant)


@pytest.mark.parametrize("bad", ["Heat", "heat_layer", "1heat", "", "heat layer", None])
def test_id_is_a_slug(bad):
    with pytest.raises(LayerContractError, match="id"):
        Layer(**{**GEOJSON, "id": bad})


@pytest.mark.parametrize("field", ["title", "description"])
@pytest.mark.parametrize("text", [{"de": "Nur deutsch"}, {"de": "", "en": "x"}, "Probe"])
def test_title_and_description_have_german_and_english(field, text):
    _fails(field, **{**GEOJSON, field: text})


def test_theme_is_a_theme_and_panel_order_a_whole_number():
    _fails("theme", **{**GEOJSON, "theme": {"de": "Hitze", "en": "Heat"}})
    _fails("panel_order", **GEOJSON, panel_order=-1)
    _fails("panel_order", **GEOJSON, panel_order=1.5)


@pytest.mark.parametrize("requires", [(), ["districts"], ("Districts",), ("grid:",), ("a:b:c",)])
def test_requires_names_datasets(requires):
    _fails("requires", **{**GEOJSON, "requires": requires})


def test_render_is_geojson_or_image():
    err = _fails("render", **{**GEOJSON, "render": "vector"})
    assert "geojson, image" in str(err)


def test_functions_are_callable():
    _fails("build", **{**GEOJSON, "build": None})
    _fails("style", **{**GEOJSON, "style": "choropleth"})
    _fails("table", **GEOJSON, table="table")


def test_geojson_layers_name_a_style_function_and_draw_no_picture():
    _fails("js_style", **{**GEOJSON, "js_style": None})
    _fails("js_style", **{**GEOJSON, "js_style": ""})
    _fails("image", **GEOJSON, image=_image)
    _fails("point_to_layer", **GEOJSON, point_to_layer=1)


@pytest.mark.parametrize(
    "field, value",
    [
        ("js_style", "choropleth"),
        ("point_to_layer", "siteMarker"),
        ("geometry_param", "level"),
        ("variant_build", _variant),
        ("panel", _panel),
        ("interactive", True),
    ],
)
def test_image_layers_have_no_features(field, value):
    _fails(field, **{**IMAGE, field: value})


def test_an_image_layer_with_parameters_draws_with_image():
    _fails("image", **IMAGE, params=(CHOICE,))
    Layer(**IMAGE, params=(CHOICE,), image=_image)


def test_panels_need_an_interactive_layer_and_a_key():
    _fails("panel", **GEOJSON, panel=_panel, panel_key="unit_id")
    _fails("panel_key", **GEOJSON, interactive=True, panel=_panel)
    _fails("panel_key", **GEOJSON, interactive=True, panel=_panel, panel_key="unit id")
    _fails("panel_key", **GEOJSON, panel_key="unit_id")
    _fails("panel_follows_params", **GEOJSON, panel_follows_params=True)
    follows = dict(interactive=True, panel=_panel, panel_key="unit_id", panel_follows_params=True)
    _fails("panel_follows_params", **GEOJSON, **follows)
    Layer(**GEOJSON, params=(CHOICE,), **follows)


def test_parameter_names_are_unique_identifiers():
    err = _fails("params", **GEOJSON, params=(CHOICE, CHOICE))
    assert "'level'" in str(err)
    _fails("params", **GEOJSON, params=(replace(CHOICE, name="Level"),))
    _fails("params", **GEOJSON, params=({"name": "level"},))


def test_parameter_defaults_are_valid_and_labels_bilingual():
    err = _fails("params", **GEOJSON, params=(replace(CHOICE, default="c"),))
    assert "level" in str(err) and "default" in str(err)
    _fails("params", **GEOJSON, params=(replace(HOUR, default=99),))
    _fails("params", **GEOJSON, params=(replace(CHOICE, label={"de": "Ebene"}),))


def test_used_when_names_another_choice_and_one_of_its_values():
    breaks = Param("breaks", {"de": "Grenzen", "en": "Breaks"}, "breaks", "")
    _fails("params", **GEOJSON, params=(CHOICE, replace(breaks, used_when=("scheme", "a"))))
    _fails("params", **GEOJSON, params=(CHOICE, replace(breaks, used_when=("level", "z"))))
    _fails("params", **GEOJSON, params=(HOUR, replace(breaks, used_when=("hour", "1"))))
    Layer(**GEOJSON, params=(CHOICE, replace(breaks, used_when=("level", "b"))))


def test_playback_steps_the_hour_parameter_through_the_day():
    base = {**IMAGE, "image": _image}
    _fails("playback", **base, params=(HOUR,), playback="minute")
    _fails("playback", **base, params=(CHOICE,), playback="level")
    _fails("playback", **base, params=(replace(HOUR, name="step"),), playback="step")
    _fails("playback", **base, params=(replace(HOUR, kind="float", default=-1.0),), playback="hour")
    _fails("playback", **base, params=(replace(HOUR, max=12),), playback="hour")
    _fails("playback", **base, params=(replace(HOUR, min=1, default=1),), playback="hour")


def test_geometry_param_names_a_choice_and_comes_with_variant_build():
    _fails("geometry_param", **GEOJSON, params=(CHOICE,), geometry_param="nope",
           variant_build=_variant)  # fmt: skip
    _fails("geometry_param", **GEOJSON, params=(HOUR,), geometry_param="hour",
           variant_build=_variant)  # fmt: skip
    _fails("geometry_param", **GEOJSON, params=(CHOICE,), geometry_param="level")
    _fails("variant_build", **GEOJSON, params=(CHOICE,), variant_build=_variant)


@pytest.mark.parametrize("opacity", [-0.1, 1.01, True, "0.5", None])
def test_default_opacity_is_a_number_in_0_1(opacity):
    _fails("default_opacity", **{**GEOJSON, "default_opacity": opacity})


def test_flags_are_booleans_and_refusals_messages():
    _fails("default_on", **GEOJSON, default_on="yes")
    _fails("interactive", **GEOJSON, interactive=1)
    _fails("refuses", **GEOJSON, refuses=("",))
    _fails("refuses", **GEOJSON, refuses="at least one weight")


def test_the_error_is_a_value_error_with_layer_and_field():
    err = _fails("render", **{**GEOJSON, "render": "svg"})
    assert (err.layer, err.field) == ("test-layer", "render")
    assert str(err).startswith("layer 'test-layer': render: ")


# --- the registry ---------------------------------------------------------------------------


def test_every_registry_layer_keeps_the_contract_and_the_registry_its_rules():
    check_registry(REGISTRY, THEMES)
    assert all(isinstance(layer.theme, Theme) for layer in REGISTRY)


def test_the_registry_rejects_duplicate_ids_unknown_themes_and_shared_places():
    a = Layer(**GEOJSON, panel_order=1)
    with pytest.raises(LayerContractError, match=r"'test-layer': id: used by two"):
        check_registry((a, replace(a, panel_order=2)), THEMES)
    other = Theme("landuse", {"de": "Flächennutzung", "en": "Land use"}, 50)
    with pytest.raises(LayerContractError, match=r"theme: 'landuse' is not registered"):
        check_registry((replace(a, theme=other),), THEMES)
    with pytest.raises(LayerContractError, match=r"'b': panel_order: 1 is taken by 'test-layer'"):
        check_registry((a, replace(a, id="b")), THEMES)
    check_registry((a, replace(a, id="b", theme=POPULATION)), THEMES)


@pytest.mark.parametrize(
    "fields, field",
    [
        (dict(id="Heat", title={"de": "Hitze", "en": "Heat"}, order=1), "id"),
        (dict(id="heat", title={"de": "Hitze"}, order=1), "title"),
        (dict(id="heat", title={"de": "Hitze", "en": "Heat"}, order="1"), "order"),
    ],
)
def test_themes_check_their_fields(fields, field):
    with pytest.raises(LayerContractError, match=f": {field}: "):
        Theme(**fields)


# --- the layer panel: themes in order, each heading once --------------------------------------

# the panel before themes were explicit, top to bottom (reversed drawing order); headings:
# Hitze, Fußverkehr, Orientierung, Hitze, Bevölkerung, Hitze
OLD_PANEL = (
    "facilities",
    "footfall-sites",
    "footfall-heatmap",
    "river",
    "heat-vulnerability",
    "districts",
    "population-grid",
    "heat-surface",
)
PANEL = {
    "Hitze": ("facilities", "heat-vulnerability", "heat-surface"),
    "Fußverkehr": ("footfall-sites", "footfall-heatmap"),
    "Orientierung": ("river",),
    "Bevölkerung": ("districts", "population-grid"),
    "Flächenkonkurrenz": ("landuse", "constraints", "conflicts"),
}
NEW_PANEL = ("landuse", "constraints", "conflicts")  # issue 15, after the old panel


def test_panel_groups_list_each_theme_once_in_order_and_keep_the_old_order_within():
    groups = panel_groups(REGISTRY)
    assert {t.title["de"]: tuple(layer.id for layer in ls) for t, ls in groups} == PANEL
    assert [t.title["de"] for t, _ in groups] == list(PANEL)
    for ids in PANEL.values():  # the relative order within a theme is the old panel's
        old = [i for i in ids if i in OLD_PANEL]
        assert sorted(old, key=OLD_PANEL.index) == old
    # the first layer of the panel is still the first; drawing order is untouched
    assert groups[0][1][0].id == OLD_PANEL[0]
    assert [x.id for x in reversed(REGISTRY) if x.id not in NEW_PANEL] == list(OLD_PANEL)


def test_panel_groups_follow_theme_order_not_registry_order():
    a = Layer(**{**GEOJSON, "theme": POPULATION}, panel_order=2)
    b = Layer(**{**GEOJSON, "id": "b"}, panel_order=5)
    c = Layer(**{**GEOJSON, "id": "c", "theme": POPULATION}, panel_order=1)
    groups = panel_groups((a, b, c))
    assert [(t.id, [x.id for x in ls]) for t, ls in groups] == [
        ("heat", ["b"]),
        ("population", ["c", "test-layer"]),
    ]


def _walk(component: Any):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from _walk(child)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_map_page_panel_has_each_heading_once(demo_ctx, lang):
    from dashboard.pages.map_page import layer_panels
    from dashboard.state import default_view

    view = default_view(demo_ctx.pack.city, lang, "offline")
    panel = layer_panels(demo_ctx, view)
    headings = [c.children for c in panel if getattr(c, "className", None) == "al-group"]
    expected = [t.title[lang] for t in THEMES]
    assert headings == expected and len(set(headings)) == len(headings)
    toggles = [
        c.id["layer"]
        for c in _walk(html.Div(panel))
        if isinstance(getattr(c, "id", None), dict) and c.id.get("type") == "layer-toggle"
    ]
    assert toggles == [layer for ids in PANEL.values() for layer in ids]
