"""Draw to assess: the callbacks (thin; the logic is in :mod:`dashboard.drawn_plans`, the
components in :mod:`dashboard.drawn_view`).

* ``on_tool``: draws the drawing tool anew, with the session's plans in it — when the page
  view starts and after a file or a delete changed the plans;
* ``on_plans``: the one writer of the session store: the tool's report (drawn, edited,
  deleted shapes), a dropped file, the form (name, use, dwellings), a plan picked or deleted
  in the list; answers with the list, the assessment, the map overlay and a message;
* ``on_export``: the session's plans as a GeoJSON download.

Every input is checked before use; a crafted payload is refused with a message and leaves
the store as it was.
"""

from __future__ import annotations

import json
from typing import Any

from dash import ALL, Dash, Input, Output, State, no_update
from dash import ctx as dash_ctx

from dashboard import drawn_engine, drawn_plans, drawn_view, ids
from dashboard.callbacks import inputs
from dashboard.context import AppContext
from dashboard.drawn_plans import Message
from dashboard.i18n import language, t

TOOL = {"type": ids.DRAW_CONTROL, "n": ALL}
PICK = {"type": ids.DRAW_PICK, "plan": ALL}
DELETE = {"type": ids.DRAW_DELETE, "plan": ALL}
MAX_REDRAW = 10_000


def page_key(page: Any, n: Any) -> str | None:
    """The key of one drawing tool's Leaflet ids: the page view's token and the tool's
    version (a tool drawn anew gives its shapes new ids)."""
    token = inputs.text(page, 40)
    version = inputs.whole(n, 0, MAX_REDRAW)
    return None if token is None or version is None else f"{token}:{version}"


def handle(
    ctx: AppContext,
    trigger: Any,
    store_data: Any,
    reports: Any,
    tool_ids: Any,
    upload: Any,
    filename: Any,
    name: Any,
    use: Any,
    dwellings: Any,
    picks: Any,
    deletes: Any,
    page: Any,
    lang: str,
) -> tuple[dict[str, Any], bool, Message | None]:
    """The store after ``trigger`` (pure: tests call it), whether the tool must be drawn
    anew, and a message."""
    store = drawn_plans.clean_store(store_data)
    city = drawn_engine.city_of(ctx)
    if isinstance(trigger, dict) and trigger.get("type") == ids.DRAW_CONTROL:
        reports_l, tool_l = inputs.items(reports, 5), inputs.items(tool_ids, 5)
        if reports_l is None or tool_l is None or len(reports_l) != len(tool_l):
            return store, False, None
        k = next((i for i, g in enumerate(tool_l) if g == trigger), None)
        key = page_key(page, trigger.get("n"))
        if k is None or key is None:
            return store, False, None
        new, message = drawn_plans.sync(
            store, reports_l[k], key, ctx.pack, city, lambda n: t("draw.default_name", lang, n=n)
        )
        return new, False, message
    if trigger == ids.DRAW_UPLOAD:
        new, message = drawn_engine.read_upload(store, upload, filename, ctx.pack, city)
        return new, new is not store, message
    if trigger in (ids.DRAW_NAME, ids.DRAW_USE, ids.DRAW_DWELLINGS):
        new, message = drawn_plans.update(store, store["current"], name, use, dwellings, lang)
        return new, False, message
    if isinstance(trigger, dict) and trigger.get("type") in (ids.DRAW_PICK, ids.DRAW_DELETE):
        clicks = picks if trigger["type"] == ids.DRAW_PICK else deletes
        if not _clicked(trigger, clicks):
            return store, False, None  # a list drawn anew, not a click
        plan = drawn_plans.find(store, trigger.get("plan"))
        if plan is None:
            return store, False, None
        if trigger["type"] == ids.DRAW_PICK:
            return drawn_plans.pick(store, plan["id"]), False, None
        redraw = drawn_plans.editable(plan["geometry"])  # its shape leaves the tool
        return drawn_plans.delete(store, plan["id"]), redraw, None
    return store, False, None


def _clicked(trigger: dict[str, Any], clicks: Any) -> bool:
    """Whether the triggering button of a list was clicked (``ALL`` inputs: the clicks of
    every button; dash puts the triggered one's count in ``dash_ctx.triggered``)."""
    items = inputs.items(clicks, drawn_plans.MAX_PLANS + 5)
    if items is None:
        return False
    value = next((v for v in dash_ctx.triggered if trigger_id(v) == trigger), None)
    return bool(value and value.get("value"))


def trigger_id(entry: Any) -> Any:
    prop = entry.get("prop_id", "") if isinstance(entry, dict) else ""
    text = prop.rpartition(".")[0]
    try:
        return json.loads(text) if text.startswith("{") else text
    except ValueError:
        return None


def view(
    ctx: AppContext, store: dict[str, Any], lang: str
) -> tuple[Any, list[Any], dict[str, Any], tuple[Any, Any, Any, bool]]:
    """The list, the assessment, the map overlay and the form's values (name, use,
    dwellings, disabled) for a store."""
    results = {p["id"]: drawn_engine.assess(ctx, p) for p in store["plans"]}
    current = drawn_plans.find(store, store["current"])
    result = results.get(current["id"]) if current else None
    listing = drawn_view.plan_list(store, results, lang)
    shown = drawn_view.result_view(current, result, ctx.pack.synthetic, lang)
    overlay = drawn_view.overlay(store, result)
    if current is None:
        form = ("", drawn_plans.DEFAULT_USE, 0, True)
    else:
        form = (current["name"], current["use"], current["dwellings"], False)
    return listing, shown, overlay, form


def register(app: Dash, ctx: AppContext) -> None:
    @app.callback(
        Output(ids.DRAW_HOLDER, "children"),
        Input(ids.DRAW_PAGE, "data"),
        Input(ids.DRAW_REDRAW, "data"),
        State(ids.DRAW_STORE, "data"),
    )
    def on_tool(_page, n, store_data):  # type: ignore[no-untyped-def]
        version = inputs.whole(n, 0, MAX_REDRAW)
        if version is None:
            return no_update
        return [drawn_view.tool(version, drawn_plans.clean_store(store_data)["plans"])]

    @app.callback(
        Output(ids.DRAW_STORE, "data"),
        Output(ids.DRAW_REDRAW, "data"),
        Output(ids.DRAW_LIST, "children"),
        Output(ids.DRAW_RESULT, "children"),
        Output(ids.DRAW_OVERLAY, "data"),
        Output(ids.DRAW_MESSAGE, "children"),
        Output(ids.DRAW_NAME, "value"),
        Output(ids.DRAW_USE, "value"),
        Output(ids.DRAW_DWELLINGS, "value"),
        Output(ids.DRAW_NAME, "disabled"),
        Output(ids.DRAW_USE, "options"),
        Output(ids.DRAW_DWELLINGS, "disabled"),
        Input(TOOL, "geojson"),
        Input(ids.DRAW_UPLOAD, "contents"),
        Input(ids.DRAW_NAME, "value"),
        Input(ids.DRAW_USE, "value"),
        Input(ids.DRAW_DWELLINGS, "value"),
        Input(PICK, "n_clicks"),
        Input(DELETE, "n_clicks"),
        State(TOOL, "id"),
        State(ids.DRAW_UPLOAD, "filename"),
        State(ids.DRAW_STORE, "data"),
        State(ids.DRAW_PAGE, "data"),
        State(ids.DRAW_REDRAW, "data"),
        State(ids.LANG_STORE, "data"),
    )
    def on_plans(  # type: ignore[no-untyped-def]
        reports, upload, name, use, dwellings, picks, deletes, tool_ids, filename, store_data,
        page, redraw, lang,
    ):  # fmt: skip
        lang = language(lang)
        trigger = dash_ctx.triggered_id
        store, again, message = handle(
            ctx, trigger, store_data, reports, tool_ids, upload, filename, name, use,
            dwellings, picks, deletes, page, lang,
        )  # fmt: skip
        listing, shown, overlay, form = view(ctx, store, lang)
        note: Any = ""
        if message is not None:
            css = "al-error" if message.error else "al-note"
            note = html_message(message.text(lang), css)
        n = inputs.whole(redraw, 0, MAX_REDRAW) or 0
        next_n = (n + 1) % MAX_REDRAW if again else no_update
        name_v, use_v, dwell_v, off = form
        uses = drawn_view.use_options(lang, off)
        return (
            store, next_n, listing, shown, overlay, note,
            name_v, use_v, dwell_v, off, uses, off,
        )  # fmt: skip

    @app.callback(
        Output(ids.DRAW_DOWNLOAD, "data"),
        Input(ids.DRAW_EXPORT, "n_clicks"),
        State(ids.DRAW_STORE, "data"),
        prevent_initial_call=True,
    )
    def on_export(clicks, store_data):  # type: ignore[no-untyped-def]
        if not inputs.whole(clicks, 1):
            return no_update
        doc = drawn_plans.export(drawn_plans.clean_store(store_data))
        return {
            "content": json.dumps(doc, ensure_ascii=False, indent=1),
            "filename": "vorhaben.geojson",
            "type": "application/geo+json",
        }


def html_message(text: str, css: str) -> Any:
    from dash import html

    return html.P(text, className=css, role="alert" if css == "al-error" else None)
