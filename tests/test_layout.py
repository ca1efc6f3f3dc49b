"""Layout invariants: component ids are unique on every page, in both languages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dashboard.pages import catalog_page, map_page
from dashboard.state import default_view


def _walk(component: Any):
    yield component
    children = getattr(component, "children", None)
    if children is None:
        return
    if not isinstance(children, (list, tuple)):
        children = [children]
    for child in children:
        if hasattr(child, "to_plotly_json"):
            yield from _walk(child)
    # components passed as other props (e.g. checklist labels)
    for prop in ("options",):
        for opt in getattr(component, prop, None) or []:
            if isinstance(opt, dict) and hasattr(opt.get("label"), "to_plotly_json"):
                yield from _walk(opt["label"])


def _ids(root: Any) -> list[str]:
    out = []
    for c in _walk(root):
        cid = getattr(c, "id", None)
        if cid is not None:
            out.append(json.dumps(cid, sort_keys=True) if isinstance(cid, dict) else cid)
    return out


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize(
    "page, must_have", [(map_page.layout, "map"), (catalog_page.layout, "catalog-grid")]
)
def test_component_ids_are_unique(demo_ctx, page, must_have, lang):
    view = default_view(demo_ctx.pack.city, lang)
    found = _ids(page(demo_ctx, view))
    dupes = sorted({i for i in found if found.count(i) > 1})
    assert not dupes, f"duplicate ids: {dupes}"
    assert must_have in found and "lang-link-en" in found


def test_every_registry_layer_has_controls_on_the_map_page(demo_ctx):
    from layers import REGISTRY

    found = set(_ids(map_page.layout(demo_ctx, default_view(demo_ctx.pack.city))))
    for layer in REGISTRY:
        toggle = json.dumps({"type": "layer-toggle", "layer": layer.id}, sort_keys=True)
        group = json.dumps({"type": "layer-group", "layer": layer.id}, sort_keys=True)
        assert toggle in found and group in found, layer.id
