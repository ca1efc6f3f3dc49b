"""The scenario page's callbacks: edit the session's scenarios, compare them, keep the link.

* ``edit`` owns the scenarios (the session store) and the form: the link's scenarios at
  page load (else the session's), adding and removing interventions, name, horizon and
  warming, swapping, clearing, a dropped spec file. Every change is checked by
  :mod:`dashboard.scenario_state`; a refused one leaves the store unwritten (``no_update``)
  and says why.
* ``compare`` turns the two scenarios into images (served by URL, cached: see
  :mod:`dashboard.scenario_routes`), KPI cards, tables and legends
  (:mod:`dashboard.scenario_service`); only the outline's ``hideout`` restyles the districts.
* ``link`` writes the permalink (both scenarios and the view) into the address bar.
* the view switch and the map sync run in the browser (``scenario.js``).

Every input is checked before use: a crafted payload changes nothing and never gets a 500.
"""

from __future__ import annotations

from typing import Any

from dash import ALL, Dash, Input, Output, State, html, no_update
from dash import ctx as dash_ctx

from dashboard import ids
from dashboard import scenario_state as ss
from dashboard.callbacks import inputs
from dashboard.context import AppContext
from dashboard.i18n import language, t
from dashboard.scenario_routes import image_url
from dashboard.scenario_view import (
    cells_text,
    intervention_list,
    kpi_cards,
    kpi_table,
    legend_diff,
    legend_lst,
)
from dashboard.state import MAX_QUERY, ZOOM_RANGE, bounds, with_param
from layers import fmt
from models.scenario_spec import SpecError


def _message(msg: ss.Message | None, lang: str) -> Any:
    if msg is None:
        return ""
    return html.P(msg.text(lang), className="al-error" if msg.error else "al-note")


def form_of(state: dict[str, Any], slot: str, lang: str) -> tuple[Any, ...]:
    """The form's fields for the scenario being edited."""
    doc = state[slot]
    return (
        doc["name"],
        doc["horizon"],
        doc.get("warming", 2.0) if doc["horizon"] == "2050" else no_update,
        intervention_list(doc, lang),
    )


def edit(
    ctx: AppContext,
    trigger: Any,
    link_state: Any,
    store: Any,
    slot: Any,
    name: Any,
    horizon: Any,
    warming: Any,
    form: dict[str, Any],
    upload: tuple[Any, Any],
    drawn: Any,
    lang: Any,
) -> tuple[Any, ...]:
    """The new store, message and form for one change (``trigger``: the component id that
    fired; a pattern id ``{"type": SCN_REMOVE, "index": i}`` for a remove button)."""
    lang = language(lang)
    slot = slot if slot in ss.SLOTS else "b"
    pack = ctx.pack
    msg: ss.Message | None = None
    if trigger == ids.SCN_FROM_LINK or trigger is None:
        if isinstance(link_state, dict):
            state = ss.clean_state(link_state, lang)
        elif isinstance(store, dict):
            state = ss.clean_state(store, lang)
        else:
            state = ss.default_state(lang)
        state = ss.localised(state, lang)  # a default name follows the page's language
        return (state, "", *form_of(state, slot, lang))
    state = ss.clean_state(store, lang)
    if isinstance(trigger, dict) and trigger.get("type") == ids.SCN_REMOVE:
        index = inputs.whole(trigger.get("index"), 0, 1000)
        before = len(state[slot]["interventions"])
        state = ss.remove(state, slot, index, lang)
        if len(state[slot]["interventions"]) < before and index is not None:
            msg = ss.Message(f"Maßnahme {index + 1} entfernt.", f"Measure {index + 1} removed.",
                             error=False)  # fmt: skip
    elif trigger == ids.SCN_ADD:
        item = ss.intervention_from_form(
            inputs.text(form.get("kind"), 40),
            inputs.items(form.get("districts"), ss.MAX_FORM_DISTRICTS),
            _amount(form.get("amount")),
            _amount(form.get("crown")),
            inputs.text(form.get("plan"), 300),
            drawn,
        )
        state, msg = ss.add(state, slot, item, pack, lang)
    elif trigger == ids.SCN_CLEAR:
        state = ss.clear(state, slot, lang)
    elif trigger == ids.SCN_SWAP:
        state = ss.swap(state, lang)
    elif trigger == ids.SCN_UPLOAD:
        state, msg = ss.load_file(state, slot, upload[0], upload[1], pack, lang)
    elif trigger in (ids.SCN_NAME, ids.SCN_HORIZON, ids.SCN_WARMING):
        new_name = inputs.text(name, 200) if trigger == ids.SCN_NAME else None
        new_horizon = horizon if trigger == ids.SCN_HORIZON else None
        new_warming = inputs.number(warming, 0, 10)
        state, msg = ss.set_meta(state, slot, new_name, new_horizon, new_warming, pack, lang)
    # refused: the store is not written at all (nothing shown or kept changes); the form
    # shows the scenario as it still is
    kept = no_update if msg is not None and msg.error else state
    return (kept, _message(msg, lang), *form_of(state, slot, lang))


def _amount(value: Any) -> Any:
    """A number from the form as it came (the spec checks its range and says what is wrong);
    anything but a finite number is ``None``, and ``None`` for an empty field."""
    return inputs.number(value)


def compare(ctx: AppContext, store: Any, lang: Any) -> tuple[Any, ...]:
    """Everything the page shows for the two scenarios in ``store``: the status line, whether
    to stop polling, the four image addresses and their bounds, the outline's ``hideout``,
    the map labels, legends, KPI cards and table, district rows, cell summary, model card."""
    lang = language(lang)
    service = ctx.scenarios
    nothing = (no_update,) * 17
    if service is None or service.status == "unavailable":
        return (t("scn.unavailable", lang), True, *nothing)
    if service.status == "error":
        return (t("scn.model_error", lang, error=service.error or ""), True, *nothing)
    if service.status != "ready":
        service.start()  # not started with the app: now, in the background (returns at once)
        return (t("scn.pending", lang), False, *nothing)
    state = ss.clean_state(store, lang)
    try:
        cmp = service.compare(state["a"], state["b"])
    except (SpecError, ValueError) as err:  # e.g. a plan gone from a newer pack version
        return (html.P(str(err).splitlines()[0][:200], className="al-error"), True, *nothing)
    mae = "–" if cmp.model_mae is None else fmt.number(cmp.model_mae, lang, 2)
    url_a = image_url(ctx, state["a"], "a", cmp)
    url_b = image_url(ctx, state["b"], "b", cmp)
    url_diff = image_url(ctx, state, "diff", cmp)
    bounds = service.bounds()
    return (
        t("scn.estimate", lang, mae=mae),
        True,
        url_a, bounds,
        url_a, bounds,
        url_b, bounds,
        url_diff, bounds,
        {"changed": cmp.changed_districts},
        t("scn.map.a", lang, name=cmp.name_a),
        [
            html.Span(t("scn.map.b", lang, name=cmp.name_b), className="al-scn-lab al-scn-lab-side"),
            html.Span(t("scn.map.swipe", lang), className="al-scn-lab al-scn-lab-swipe"),
            html.Span(t("scn.map.diff", lang), className="al-scn-lab al-scn-lab-diff"),
        ],
        [legend_lst(*cmp.lst_scale, lang), legend_diff(cmp.diff_span, lang)],
        kpi_cards(cmp, lang),
        kpi_table(cmp, lang),
        cmp.districts,
        cells_text(cmp, lang),
        _model_card(service.model.card, lang),
    )  # fmt: skip


def on_map(ctx: AppContext, switch: Any, store: Any, lang: Any) -> tuple[Any, ...]:
    """The map page's overlay of the session scenario's difference B − A: image address,
    bounds, legend and a note (switched off: nothing shown)."""
    lang = language(lang)
    off = ("", [[0.0, 0.0], [0.0, 0.0]], None, "")
    service = ctx.scenarios
    # ``store``: {"on": the switch, "state": the session's scenarios} from the browser
    store = store if isinstance(store, dict) else {}
    if store.get("on") is not True or not isinstance(switch, list) or service is None:
        return off
    store = store.get("state")
    if service.status == "unavailable":
        return (*off[:3], t("scn.unavailable", lang))
    if service.status == "error":
        return (*off[:3], t("scn.model_error", lang, error=service.error or ""))
    if service.status != "ready":
        service.start()
        return (*off[:3], t("scn.pending", lang))
    state = ss.clean_state(store, lang)
    try:
        cmp = service.compare(state["a"], state["b"])
    except (SpecError, ValueError) as err:
        return (*off[:3], str(err).splitlines()[0][:200])
    if not cmp.cells["changed"]:
        return (*off[:3], t("scn.onmap.same", lang))
    mae = "–" if cmp.model_mae is None else fmt.number(cmp.model_mae, lang, 2)
    note = t("scn.onmap.shown", lang, a=cmp.name_a, b=cmp.name_b, mae=mae)
    url = image_url(ctx, state, "diff", cmp)
    return (url, service.bounds(), legend_diff(cmp.diff_span, lang), note)


def _model_card(card: Any, lang: str) -> Any:
    from models.heat_response import card_lines

    return html.Pre("\n".join(card_lines(card, lang)), className="al-scn-card-text")


def link(
    state_raw: Any,
    mode: Any,
    search: Any,
    lang: Any,
    center: Any = None,
    zoom: Any = None,
    city: Any = None,
) -> tuple[Any, Any, Any, Any]:
    """The page's query with both scenarios, the comparison view and the maps' centre and
    zoom (a centre outside the city's surroundings or a zoom out of range is left out). A
    scenario too large for a link: the link keeps neither scenario and the page says so."""
    lang = language(lang)
    state = ss.clean_state(state_raw, lang)
    mode = mode if mode in ss.MODES else ss.DEFAULT_MODE
    query = inputs.text(search, MAX_QUERY) or ""
    args = ss.link_args(state, mode)
    note: Any = ""
    for key, value in _view_args(center, zoom, city):
        query = with_param(query, key, value)
    for key in ("a", "b", "cmp"):
        query = with_param(query, key, None)
    if args is None:
        note = html.P(t("scn.too_long", lang), className="al-note")
    else:
        for key, value in args:
            query = with_param(query, key, value)
    return query, with_param(query, "lang", "de"), with_param(query, "lang", "en"), note


def _view_args(center: Any, zoom: Any, city: Any) -> list[tuple[str, str]]:
    """``lat``, ``lon`` and ``z`` for the link, from the map's centre and zoom as the browser
    sent them (checked: two finite numbers inside the city's surroundings, a zoom in range)."""
    if city is None:
        return []
    (lat_lo, lat_hi), (lon_lo, lon_hi) = bounds(city)
    position = inputs.centre(center)
    z = inputs.number(zoom, *ZOOM_RANGE)
    if position is None or z is None:
        return []
    lat, lon = position
    if not (lat_lo <= lat <= lat_hi and lon_lo <= lon <= lon_hi):
        return []
    return [("lat", f"{lat:.5f}"), ("lon", f"{lon:.5f}"), ("z", f"{z:g}")]


def register(app: Dash, ctx: AppContext) -> None:
    remove = {"type": ids.SCN_REMOVE, "index": ALL}

    @app.callback(
        Output(ids.SCN_STORE, "data"),
        Output(ids.SCN_MESSAGE, "children"),
        Output(ids.SCN_NAME, "value"),
        Output(ids.SCN_HORIZON, "value"),
        Output(ids.SCN_WARMING, "value"),
        Output(ids.SCN_LIST, "children"),
        Input(ids.SCN_FROM_LINK, "data"),
        Input(ids.SCN_ADD, "n_clicks"),
        Input(remove, "n_clicks"),
        Input(ids.SCN_CLEAR, "n_clicks"),
        Input(ids.SCN_SWAP, "n_clicks"),
        Input(ids.SCN_UPLOAD, "contents"),
        Input(ids.SCN_SLOT, "value"),
        Input(ids.SCN_NAME, "value"),
        Input(ids.SCN_HORIZON, "value"),
        Input(ids.SCN_WARMING, "value"),
        State(ids.SCN_STORE, "data"),
        State(ids.SCN_KIND, "value"),
        State(ids.SCN_DISTRICTS, "value"),
        State(ids.SCN_AMOUNT, "value"),
        State(ids.SCN_CROWN, "value"),
        State(ids.SCN_PLAN, "value"),
        State(ids.SCN_UPLOAD, "filename"),
        State(ids.DRAW_STORE, "data"),
        State(ids.LANG_STORE, "data"),
    )
    def on_edit(
        link_state,
        _add,
        removes,
        _clear,
        _swap,
        contents,
        slot,
        name,
        horizon,  # type: ignore[no-untyped-def]
        warming,
        store,
        kind,
        districts,
        amount,
        crown,
        plan,
        filename,
        drawn,
        lang,
    ):
        trigger = dash_ctx.triggered_id
        if isinstance(trigger, dict):  # a remove button: only a real click (a new list fires too)
            clicked = [v for v in (removes or []) if isinstance(v, int) and v > 0]
            if not clicked or not _clicked_now(trigger):
                return (no_update,) * 6
        form = {
            "kind": kind,
            "districts": districts,
            "amount": amount,
            "crown": crown,
            "plan": plan,
        }
        return edit(ctx, trigger, link_state, store, slot, name, horizon, warming, form,
                    (contents, filename), drawn, lang)  # fmt: skip

    @app.callback(
        Output(ids.SCN_STATUS, "children"),
        Output(ids.SCN_POLL, "disabled"),
        Output(ids.SCN_IMG_A, "url"),
        Output(ids.SCN_IMG_A, "bounds"),
        Output(ids.SCN_IMG_UNDER, "url"),
        Output(ids.SCN_IMG_UNDER, "bounds"),
        Output(ids.SCN_IMG_B, "url"),
        Output(ids.SCN_IMG_B, "bounds"),
        Output(ids.SCN_IMG_DIFF, "url"),
        Output(ids.SCN_IMG_DIFF, "bounds"),
        Output(ids.SCN_OUTLINE, "hideout"),
        Output(ids.SCN_LABEL_A, "children"),
        Output(ids.SCN_LABEL_B, "children"),
        Output(ids.SCN_LEGEND, "children"),
        Output(ids.SCN_KPIS, "children"),
        Output(ids.SCN_KPI_TABLE, "children"),
        Output(ids.SCN_GRID, "rowData"),
        Output(ids.SCN_CELLS, "children"),
        Output(ids.SCN_MODEL_CARD, "children"),
        Input(ids.SCN_STORE, "data"),
        Input(ids.SCN_POLL, "n_intervals"),
        State(ids.LANG_STORE, "data"),
    )
    def on_compare(store, _tick, lang):  # type: ignore[no-untyped-def]
        return compare(ctx, store, lang)

    @app.callback(
        Output(ids.SCN_URL_SYNC, "data"),
        Output(ids.LANG_LINK_DE, "href", allow_duplicate=True),
        Output(ids.LANG_LINK_EN, "href", allow_duplicate=True),
        Output(ids.SCN_LINK_NOTE, "children"),
        Input(ids.SCN_STORE, "data"),
        Input(ids.SCN_MODE, "value"),
        Input(ids.SCN_MAP_B, "center"),
        Input(ids.SCN_MAP_B, "zoom"),
        State(ids.URL, "search"),
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,
    )
    def on_link(store, mode, center, zoom, search, lang):  # type: ignore[no-untyped-def]
        return link(store, mode, search, lang, center, zoom, ctx.pack.city)

    app.clientside_callback(
        "function (q) { return window.dash_clientside.allmende.replaceUrl(q); }",
        Input(ids.SCN_URL_SYNC, "data"),
    )
    app.clientside_callback(
        "function (mode) { return window.dash_clientside.allmendeScenario.mode(mode); }",
        Output(ids.SCN_MAPS, "className"),
        Input(ids.SCN_MODE, "value"),
    )

    @app.callback(
        Output(ids.SCN_DOWNLOAD, "data"),
        Input(ids.SCN_EXPORT_A, "n_clicks"),
        Input(ids.SCN_EXPORT_B, "n_clicks"),
        State(ids.SCN_STORE, "data"),
        prevent_initial_call=True,
    )
    def on_export(_a, _b, store):  # type: ignore[no-untyped-def]
        slot = "a" if dash_ctx.triggered_id == ids.SCN_EXPORT_A else "b"
        return export(store, slot)

    @app.callback(
        Output(ids.SCN_ON_MAP_IMG, "url"),
        Output(ids.SCN_ON_MAP_IMG, "bounds"),
        Output(ids.SCN_ON_MAP_LEGEND, "children"),
        Output(ids.SCN_ON_MAP_NOTE, "children"),
        Input(ids.SCN_ON_MAP_STATE, "data"),
        State(ids.SCN_ON_MAP, "value"),
        State(ids.LANG_STORE, "data"),
    )
    def on_map_overlay(store, switch, lang):  # type: ignore[no-untyped-def]
        return on_map(ctx, switch, store, lang)

    app.clientside_callback(
        "function (on) { return window.dash_clientside.allmendeScenario.session(on); }",
        Output(ids.SCN_ON_MAP_STATE, "data"),
        Input(ids.SCN_ON_MAP, "value"),
    )

    @app.callback(
        Output(ids.SCN_PLAN, "options"),
        Input(ids.DRAW_STORE, "data"),
        State(ids.LANG_STORE, "data"),
    )
    def on_drawn(drawn, lang):  # type: ignore[no-untyped-def]
        return plan_choices(ctx, drawn, language(lang))


def _clicked_now(trigger: dict[str, Any]) -> bool:
    """The remove button that fired has been clicked (not merely drawn anew)."""
    return any(item.get("value") for item in dash_ctx.triggered)


def export(store: Any, slot: str) -> dict[str, Any]:
    """The scenario of ``slot`` as a TOML spec file (what ``allmende scenario run`` reads)."""
    from models.scenario_spec import to_toml

    state = ss.clean_state(store)
    scenario = ss.scenario_of(state[slot])
    safe = "".join(c if c.isalnum() else "-" for c in scenario.name).strip("-")[:60] or "szenario"
    return {"content": to_toml(scenario), "filename": f"{safe}.toml", "type": "application/toml"}


def plan_choices(ctx: AppContext, drawn: Any, lang: str) -> list[dict[str, str]]:
    """The pack's plans and the session's drawn plans, for a development."""
    from dashboard.drawn_plans import clean_store
    from dashboard.pages.scenario_page import plan_options

    out = plan_options(ctx, lang)
    for plan in clean_store(drawn)["plans"]:
        if plan.get("geometry") and not plan.get("error"):
            name = str(plan.get("name") or plan["id"])
            out.append(
                {"label": t("scn.plan.drawn", lang, name=name), "value": f"drawn:{plan['id']}"}
            )
    return out
