"""Reusable pieces of the layout: header, legend, layer panel, facts table, map layers.

Pure functions from data to Dash components; no callbacks here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

import dash_leaflet as dl
import geopandas as gpd
import pandas as pd
from dash import dcc, html
from dash_extensions.javascript import Namespace, arrow_function

from dashboard import geojson, ids
from dashboard.context import AppContext
from dashboard.i18n import t
from dashboard.pages import registry
from dashboard.state import with_param
from data.pack import CityPack, to_geojson
from layers import BASEMAPS, REGISTRY, fmt, tr
from layers.base import Layer, Legend, LegendEntry
from layers.city.river import LAYER as RIVER
from layers.params import Param
from models.heat import INDICATORS

NS = Namespace("allmende", "map")
# the layer panel's group of layers the pack cannot show (at its end)
UNAVAILABLE = "layers-unavailable"


def attrs(values: dict[str, Any]) -> dict[str, Any]:
    """HTML attributes Dash accepts but its type stubs do not name (``aria-*``)."""
    return values


def synthetic_badge(ctx: AppContext, lang: str) -> html.Span | None:
    """The "Demo-Daten (synthetisch)" badge, for a synthetic pack only."""
    if not ctx.pack.synthetic:
        return None
    return html.Span(
        t("badge.synthetic", lang),
        className="al-badge",
        title=t("badge.synthetic.title", lang),
        id="synthetic-badge",
    )


def language_links(query: str, lang: str, path: str = "", with_ids: bool = True) -> html.Div:
    """Links to this view in German and English (ids for the callbacks that keep them current)."""
    links = []
    for code in ("de", "en"):
        extra: dict[str, Any] = {"aria-current": "true"} if code == lang else {}
        if with_ids:
            extra["id"] = ids.LANG_LINK_DE if code == "de" else ids.LANG_LINK_EN
        links.append(
            html.A(
                t(f"lang.{code}", lang),
                href=path + with_param(query, "lang", code),
                lang=code,
                hrefLang=code,
                **extra,
            )
        )
    return html.Div(
        links,
        className="al-lang",
        role="group",
        **attrs({"aria-label": t("lang.label", lang)}),
    )


def nav(lang: str, page: str, query: str) -> html.Nav:
    """The main navigation: a link per page of the registry (``dashboard.pages.registry``),
    each keeping the view's query; ``page`` (a page key) is marked as the current page."""
    return html.Nav(
        html.Ul(
            [
                html.Li(
                    html.A(
                        t(p.title, lang),
                        href=p.path + query,
                        id=p.nav_id,
                        **attrs({"aria-current": "page"} if p.key == page else {}),
                    )
                )
                for p in registry.nav_pages()
            ]
        ),
        **attrs({"aria-label": t("nav.label", lang)}),
    )


def header(ctx: AppContext, lang: str, page: str, query: str) -> html.Header:
    """The page header: skip link, title, synthetic badge, navigation, language links."""
    city = ctx.pack.city
    return html.Header(
        [
            html.A(t("skip.content", lang), href="#main", className="skip-link"),
            html.H1(f"{t('app.title', lang)} {city.name}"),
            synthetic_badge(ctx, lang),
            nav(lang, page, query),
            language_links(query, lang),
        ],
        className="al-header",
    )


def _fill_css(color: str, opacity: float | None) -> str:
    """``color`` (``#rrggbb``) as a CSS colour with ``opacity`` (None: opaque)."""
    if opacity is None or len(color) != 7 or not color.startswith("#"):
        return color
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {max(0.0, min(1.0, opacity)):g})"


def swatch(entry: LegendEntry, shape: str = "box") -> tuple[str, dict[str, str]]:
    """The class names and inline style of a legend entry's swatch.

    A box is filled with the entry's colour in the CSS's thin dark border unless the entry
    says otherwise: ``fill=False`` leaves it empty (``al-swatch-open``), ``outline`` colours
    the border, ``weight`` sets its width and ``dash`` makes it dashed (``al-swatch-dashed``)
    — drawn like the map draws the class.
    """
    if shape == "line":
        return "al-swatch line", {"background": entry.color}
    names = ["al-swatch"]
    style = {
        "background": _fill_css(entry.color, entry.fill_opacity) if entry.fill else "transparent"
    }
    if not entry.fill:
        names.append("al-swatch-open")
    if entry.outline:
        style["borderColor"] = entry.outline
    if entry.weight:
        style["borderWidth"] = f"{entry.weight}px"
    if entry.dash:
        names.append("al-swatch-dashed")
        style["borderStyle"] = "dashed"
    if len(names) > 1 or entry.outline or entry.weight:
        names.append("al-swatch-drawn")
    return " ".join(names), style


def legend(leg: Legend, lang: str) -> list[Any]:
    items = []
    for e in leg.entries:
        class_name, style = swatch(e, leg.shape)
        items.append(
            html.Li(
                [
                    html.Span(className=class_name, style=style, **attrs({"aria-hidden": "true"})),
                    html.Span(e.label),
                ]
            )
        )
    title = leg.title + (f" ({leg.unit})" if leg.unit else "")
    out: list[Any] = [
        html.Div(title, className="al-legend-title"),
        html.Ul(items, className="al-legend"),
    ]
    if leg.note:
        out.append(html.Div(leg.note, className="al-note"))
    return out


def _dom_id(component_id: Any) -> str:
    """The DOM id Dash gives a (pattern-matching) component id."""
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return str(component_id)


# the play button's labels in the page's language, for the clientside allmendePlay functions
PLAY_LABEL, PAUSE_LABEL = "data-label-play", "data-label-pause"


def play_controls(layer: Layer, lang: str) -> list[Any]:
    """A play button and its timer for a layer with a playback parameter."""
    if layer.playback is None:
        return []
    return [
        html.Button(
            t("layers.play", lang),
            id=ids.layer_id(ids.LAYER_PLAY, layer.id),
            className="al-play",
            **attrs(
                {
                    "aria-pressed": "false",
                    PLAY_LABEL: t("layers.play", lang),
                    PAUSE_LABEL: t("layers.pause", lang),
                }
            ),
        ),
        dcc.Interval(id=ids.layer_id(ids.LAYER_INTERVAL, layer.id), interval=900, disabled=True),
    ]


def _param_control(layer: Layer, p: Param, value: Any, lang: str) -> Any:
    pid = ids.param_id(layer.id, p.name)
    label_id = f"label-{layer.id}-{p.name}"
    if p.kind == "choice":
        control: Any = dcc.RadioItems(
            id=pid,
            options=[{"label": tr(text, lang), "value": code} for code, text in p.choices],
            value=value,
            labelStyle={"display": "block"},
        )
        return html.Fieldset(
            [html.Legend(tr(p.label, lang), className="al-legend-title"), control],
            className="al-param",
            style={"border": "none", "padding": 0, "margin": ".4rem 0"},
        )
    if p.kind == "date":
        control = dcc.Input(
            id=pid,
            type="text",
            value=fmt.date(value, lang) if value else value,
            debounce=True,
            placeholder=t("date.placeholder", lang),
            # ISO or the German TT.MM.JJJJ on either page (layers.params.parse_date)
            pattern=r"\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}",
        )
        return html.Div(
            [
                html.Label(tr(p.label, lang), htmlFor=_dom_id(pid), className="al-legend-title"),
                control,
            ],
            className="al-param",
        )
    if p.kind == "breaks":
        control = dcc.Input(
            id=pid,
            type="text",
            value=value,
            debounce=True,
            maxLength=200,
        )
        return html.Div(
            [
                html.Label(tr(p.label, lang), htmlFor=_dom_id(pid), className="al-legend-title"),
                control,
                param_message(layer, p),
            ],
            className="al-param",
        )
    assert p.min is not None and p.max is not None
    if p.kind == "int_range":
        control = dcc.RangeSlider(
            id=pid,
            min=p.min,
            max=p.max,
            step=1,
            value=value,
            marks={v: f"{v}" for v in range(int(p.min), int(p.max) + 1, 3)},
            allowCross=False,
        )
        return slider_group(tr(p.label, lang), label_id, control, lang, tr(layer.title, lang))
    control = dcc.Slider(
        id=pid,
        min=p.min,
        max=p.max,
        step=p.step,
        value=value,
        marks={
            int(v): str(int(v))
            for v in range(int(p.min), int(p.max) + 1, 1 if p.max - p.min <= 10 else 4)
        },
    )
    return slider_group(tr(p.label, lang), label_id, control, lang, tr(layer.title, lang))


def param_message(layer: Layer, p: Param) -> html.Div:
    """Where a typed parameter says what is wrong with its value (empty while it is fine);
    ``map_layers`` fills it from ``Layer.check_params``. ``role="alert"`` reads it out."""
    return html.Div(id=ids.param_msg_id(layer.id, p.name), className="al-param-msg", role="alert")


def slider_group(label: str, label_id: str, control: Any, lang: str, context: str = "") -> html.Div:
    """A slider with its visible label, named for assistive technology.

    Dash's sliders take no ``aria-*`` props, so the group carries the names in ``data-a11y-*``
    attributes and ``allmende.js`` gives them to the slider handles and their number inputs
    (a range slider's two handles are "from" and "to"). ``context`` (the layer's title) keeps
    names apart where several layers have a slider of the same name.
    """
    name = f"{label} ({context})" if context else label
    return html.Div(
        [html.Div(label, id=label_id, className="al-legend-title"), control],
        className="al-param",
        role="group",
        **attrs(
            {
                "aria-labelledby": label_id,
                "data-a11y-label": name,
                "data-a11y-from": t("slider.from", lang),
                "data-a11y-to": t("slider.to", lang),
            }
        ),
    )


@lru_cache(maxsize=256)
def import_command(requirement: str) -> str | None:
    """The ``allmende import …`` command that adds ``requirement`` to a pack, or ``None``.

    ``requirement`` is what layers and pages ask a pack for (``"climate_daily"``,
    ``"grid:lst_day"``, :meth:`data.pack.CityPack.has`). The command comes from the importer
    registry (:data:`data.importers.registry.IMPORTERS`): the importer that declares the
    dataset among those it writes; a grid variable an importer declares it writes
    (``grid:population`` from the census) names that importer; any other variable
    (``grid:lst_day``) is passed to an importer that takes ``--variable``. No importer writes
    the dataset: ``None``.
    """
    from data.importers.registry import IMPORTERS  # the importers load only when asked

    owner = next((imp for imp in IMPORTERS if requirement in imp.variables), None)
    if owner is not None:
        return f"allmende import {owner.name}"
    ds_id, _, var = requirement.partition(":")
    for imp in IMPORTERS:
        if ds_id not in imp.datasets:
            continue
        command = f"allmende import {imp.name}"
        option = next((o for o in imp.options if o.name == "variable"), None)
        if var and option is not None:
            command += f" {option.cli} {var}"
        return command
    return None


def requirement_label(requirement: str, lang: str) -> str:
    """What a requirement is, in words: "Raster-Variable lst_day (Oberflächentemperatur am
    Nachmittag)", "Datensatz climate_daily"."""
    ds_id, _, var = requirement.partition(":")
    if not var:
        return t("missing.dataset", lang, id=ds_id)
    if ds_id == "grid":
        label = t("missing.variable", lang, name=var)
        known = next((i for i in INDICATORS if i.id == var), None)  # lst_day: what it is
        return f"{label} ({tr(known.label, lang)})" if known else label
    return t("missing.column", lang, name=var, id=ds_id)


def missing(pack: CityPack, requires: Iterable[str]) -> tuple[str, ...]:
    """The requirements in ``requires`` that ``pack`` does not hold (in order, once each)."""
    return tuple(r for r in dict.fromkeys(requires) if not pack.has(r))


def missing_parts(requires: Iterable[str], lang: str) -> list[Any]:
    """Inline children naming each missing requirement and the command that adds it:
    ``Raster-Variable lst_day – hinzufügen mit <code>allmende import raster …</code>``.
    Requirements one command adds share it (``footfall_sites, footfall_counts``)."""
    by_command: dict[str | None, list[str]] = {}
    for req in requires:
        by_command.setdefault(import_command(req), []).append(requirement_label(req, lang))
    out: list[Any] = []
    for n, (command, labels) in enumerate(by_command.items()):
        if n:
            out.append("; ")
        out.append(", ".join(labels))
        if command is None:
            out.append(f" ({t('missing.no_import', lang)})")
        else:
            out += [f" – {t('missing.add', lang)} ", html.Code(command, className="al-command")]
    return out


def missing_note(
    pack: CityPack,
    requires: Iterable[str],
    lang: str,
    id_: str | None = None,
    lead: str | None = None,
) -> html.P | None:
    """One short note for a page section whose data the pack lacks: what is missing and
    the ``allmende import`` command that adds it; ``None`` when nothing is missing.

    ``lead``: the page's own sentence naming what is missing (the footfall page's); the
    note then adds only the commands."""
    lacking = missing(pack, requires)
    if not lacking:
        return None
    extra: dict[str, Any] = {"id": id_} if id_ else {}
    if lead is None:
        children = [t("missing.lead", lang), " ", *missing_parts(lacking, lang), "."]
    else:
        commands = [c for c in dict.fromkeys(import_command(r) for r in lacking) if c]
        children = [html.Span(lead)]
        if commands:
            children += [" ", t("missing.import_with", lang), " "]
            for n, command in enumerate(commands):
                children += [", "] if n else []
                children.append(html.Code(command, className="al-command"))
            children.append(".")
    return html.P(children, className="al-note al-missing", **extra)


def unavailable_layers(ctx: AppContext, layers: Sequence[Layer], lang: str) -> html.Details | None:
    """The layers the pack cannot show, together in one closed group at the end of the layer
    panel: each with what it needs and the command that adds it. A ``<details>`` element:
    its summary is a button for the keyboard and names the group (with the count)."""
    if not layers:
        return None
    items = [
        html.Li(
            [
                html.Strong(tr(layer.title, lang)),
                html.Br(),
                f"{t('missing.needs', lang)}: ",
                *missing_parts(missing(ctx.pack, layer.requires), lang),
            ],
            id=f"unavailable-{layer.id}",
        )
        for layer in layers
    ]
    return html.Details(
        [
            html.Summary(
                t("layers.unavailable", lang, count=len(layers)), id=f"{UNAVAILABLE}-summary"
            ),
            html.P(t("layers.unavailable.help", lang), className="al-note"),
            html.Ul(items, className="al-unavailable-list"),
        ],
        id=UNAVAILABLE,
        className="al-unavailable",
        open=False,
    )


def layer_panel(
    ctx: AppContext, layer: Layer, on: bool, params: dict[str, Any], opacity: float, lang: str
) -> html.Section:
    """The panel of one available layer (switch, opacity, parameters, legend, texts, table).
    A layer the pack cannot show belongs in :func:`unavailable_layers`; asked for one anyway,
    this gives its title and what it needs."""
    title = tr(layer.title, lang)
    if not layer.available(ctx.pack):
        return html.Section(
            [html.H3(title), missing_note(ctx.pack, layer.requires, lang)],
            className="al-layer",
        )
    sources = []
    for ds_id in dict.fromkeys(r.partition(":")[0] for r in layer.requires):
        ds = ctx.pack.dataset(ds_id)
        sources.append(html.Li(f"{tr(ds.title, lang)}: {ds.attribution_text(lang)} ({ds.licence})"))
    style = ctx.layer_style(layer.id, params, lang)
    return html.Section(
        [
            dcc.Checklist(
                id=ids.layer_id(ids.LAYER_TOGGLE, layer.id),
                options=[{"label": html.Strong(title), "value": "on"}],
                value=["on"] if on else [],
                className="al-toggle",
            ),
            slider_group(
                t("layers.opacity", lang),
                f"label-{layer.id}-opacity",
                dcc.Slider(
                    id=ids.layer_id(ids.LAYER_OPACITY, layer.id),
                    min=0,
                    max=1,
                    step=0.05,
                    value=opacity,
                    marks={v: fmt.number(v, lang, 1 if v == 0.5 else 0) for v in (0, 0.5, 1)},
                ),
                lang,
                title,
            ),
            *[_param_control(layer, p, params[p.name], lang) for p in layer.params],
            *play_controls(layer, lang),
            html.Div(legend(style.legend, lang), id=ids.layer_id(ids.LAYER_LEGEND, layer.id)),
            dcc.Store(id=ids.layer_id(ids.LAYER_STYLE, layer.id)),
            html.Details(
                [
                    html.Summary(t("layers.what", lang)),
                    html.P(tr(layer.description, lang)),
                    html.Div(t("layers.source", lang), className="al-legend-title"),
                    html.Ul(sources, className="al-note"),
                ]
            ),
            html.Details(
                [
                    html.Summary(
                        t("table.show", lang), id=ids.layer_id(ids.LAYER_TABLE_SUMMARY, layer.id)
                    ),
                    html.Div(
                        id=ids.layer_id(ids.LAYER_TABLE_BODY, layer.id), className="al-table-pop"
                    ),
                ],
                id=ids.layer_id(ids.LAYER_TABLE, layer.id),
                open=False,
            ),
        ],
        className="al-layer",
        **attrs({"aria-label": title}),
    )


def layer_component(
    ctx: AppContext, layer: Layer, params: dict[str, Any], opacity: float, lang: str
) -> Any:
    """The map component of a switched-on layer: an image overlay, or a GeoJSON layer that
    fetches its features from ``/layers/<id>.geojson`` (:mod:`dashboard.geojson`)."""
    if layer.render == "image":
        data = layer.image(ctx.pack, params) if layer.image else ctx.layer_data(layer.id, lang)
        assert data.bounds is not None
        return dl.ImageOverlay(
            id=ids.layer_id(ids.LAYER_IMAGE, layer.id),
            url=image_url(ctx, layer, params),
            bounds=[list(data.bounds[0]), list(data.bounds[1])],
            opacity=opacity,
        )
    doc = geojson.layer_doc(layer, params, lang)
    ctx.layer_data(layer.id, lang, params)  # the geometry, built now for the fetch that follows
    style = ctx.layer_style(layer.id, params, lang)
    extra: dict[str, Any] = {}
    if layer.interactive:
        extra["hoverStyle"] = arrow_function({"weight": 3, "color": "#000000"})
    if layer.point_to_layer:
        extra["pointToLayer"] = NS(layer.point_to_layer)
    return dl.GeoJSON(
        id=ids.layer_id(ids.LAYER_GEOJSON, layer.id),
        url=geojson.url(ctx, doc),  # fetched (and cached) by the browser, not inlined
        hideout={**style.hideout, "opacity": opacity, "pane": pane_name(layer)},
        style=NS(layer.js_style or "line"),
        interactive=layer.interactive,
        **extra,
    )


def pane_name(layer: Layer) -> str:
    """The Leaflet pane of a layer (registry order is drawing order)."""
    return f"layer-{layer.id}"


def image_url(ctx: AppContext, layer: Layer, params: dict[str, Any]) -> str:
    """The URL of an image layer's PNG: pack version (for caching) and parameters."""
    query: dict[str, str] = {"v": ctx.pack.version}
    if layer.image is not None:
        query["p"] = json.dumps(params, sort_keys=True, separators=(",", ":"))
    return f"/layers/{layer.id}.png?" + urlencode(query)


def base_children(ctx: AppContext, base: str) -> list[Any]:
    bm = BASEMAPS[base]
    if bm.url is None:
        return []
    return [dl.TileLayer(url=bm.url, attribution=bm.attribution, maxZoom=bm.max_zoom)]


def offline_base_data(ctx: AppContext) -> dict[str, Any]:
    """Outline, district boundaries and river as one GeoJSON for the tile-free base map.

    The river only where no map layer draws it: with the river layer available, its switch
    alone shows or hides the river (the base drawing it too made the switch do nothing)."""
    river_layer = RIVER in REGISTRY and RIVER.available(ctx.pack)
    parts = []
    for ds_id, role in (("outline", "outline"), ("districts", "district"), ("river", "river")):
        if role == "river" and river_layer:
            continue
        if ctx.pack.has(ds_id):
            frame = ctx.pack.vector(ds_id)[["geometry"]].copy()
            frame["role"] = role
            parts.append(frame)
    if not parts:
        return {"type": "FeatureCollection", "features": []}
    return to_geojson(gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs="EPSG:4326"))


def all_layers() -> tuple[Layer, ...]:
    return REGISTRY


def footer(ctx: AppContext, lang: str) -> html.Footer:
    city = ctx.pack.city
    text = t("footer.pack", lang, name=city.name, id=city.id)
    if ctx.pack.synthetic:
        text += " · " + t("badge.synthetic", lang)
    return html.Footer(text, className="al-footer")
