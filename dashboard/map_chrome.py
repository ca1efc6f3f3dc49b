"""What sits around and on the map at every screen size: drawers and the on-map legend.

* **Drawers.** On wide screens the layer list and the district panel are columns beside
  the map. Below 1100 px they become drawers over the map's side, below 600 px sheets over
  its lower part; a button opens each (``aria-expanded``, ``aria-controls``), a close
  button and Escape close it and give the focus back. ``allmende.js`` (``allmende.drawers``)
  does the toggling in the browser; the same mechanism opens the embed's explanation panel
  on narrow frames. The state lives in a ``data-open`` attribute that Dash never writes,
  so a re-render keeps it.
* **On-map legend.** The legend of every shown layer, top-most first, on the map itself,
  so a visitor reads the colours without scrolling. It is a ``<details>`` that starts open
  and that ``allmende.js`` closes on small frames (``data-collapse-below``).

Pure functions from the context and the view to components; the callback that keeps the
map page's legend current lives in :mod:`dashboard.callbacks.map_legend`.
"""

from __future__ import annotations

from typing import Any

from dash import html

from dashboard import ids
from dashboard.components import attrs, legend
from dashboard.context import AppContext
from dashboard.i18n import t
from layers import REGISTRY

# below this frame width (CSS px) the on-map legend starts closed
LEGEND_COLLAPSE_BELOW = 600


def drawer_toggle(target: str, label: str, group: str, extra_class: str = "") -> html.Button:
    """The button that opens the drawer ``target`` (hidden where no drawer is needed)."""
    return html.Button(
        label,
        id=f"{target}-toggle",
        type="button",
        className=("al-drawer-toggle " + extra_class).strip(),
        **attrs(
            {
                "aria-expanded": "false",
                "aria-controls": target,
                "data-al-toggle": target,
                "data-al-group": group,
            }
        ),
    )


def drawer_close(target: str, lang: str) -> html.Button:
    """The close button inside a drawer (shown only while it is a drawer)."""
    return html.Button(
        "×",
        type="button",
        className="al-drawer-close",
        title=t("drawer.close", lang),
        **attrs({"aria-label": t("drawer.close", lang), "data-al-close": target}),
    )


def legend_items(
    ctx: AppContext,
    layer_ids: tuple[str, ...] | list[str],
    params: dict[str, Any],
    lang: str,
    every_layer: bool = False,
) -> list[Any]:
    """The legends of the shown layers, top-most first, and a note for when none is shown.

    ``every_layer=True`` (the map page) gives an item for every layer the pack can show,
    ``hidden`` while it is off: the browser shows and hides them as layers are switched, and
    copies each layer's legend from its panel when its parameters change
    (:mod:`dashboard.callbacks.map_chrome`), so no legend is sent twice.
    """
    on = set(layer_ids)
    out: list[Any] = []
    for layer in reversed(REGISTRY):
        if not layer.available(ctx.pack) or (layer.id not in on and not every_layer):
            continue
        style = ctx.layer_style(layer.id, params[layer.id], lang)
        extra: dict[str, Any] = (
            {"id": ids.layer_id(ids.LAYER_MAP_LEGEND, layer.id)} if every_layer else {}
        )
        out.append(
            html.Div(
                legend(style.legend, lang),
                className="al-map-legend-layer",
                hidden=layer.id not in on,
                **attrs({"data-layer": layer.id}),
                **extra,
            )
        )
    out.append(html.P(t("legend.none", lang), className="al-note al-map-legend-none"))
    return out


def map_legend(
    ctx: AppContext,
    layer_ids: tuple[str, ...] | list[str],
    params: dict[str, Any],
    lang: str,
    every_layer: bool = False,
) -> html.Details:
    """The legend control drawn on the map (top right), open on large frames."""
    return html.Details(
        [
            html.Summary(t("layers.legend", lang), className="al-map-legend-summary"),
            html.Div(
                legend_items(ctx, layer_ids, params, lang, every_layer),
                className="al-map-legend-body",
            ),
        ],
        open=True,
        className="al-map-legend",
        **attrs({"data-collapse-below": str(LEGEND_COLLAPSE_BELOW)}),
    )
