"""The scenario page's state: two scenarios, A (left) and B (right), as plain JSON.

The scenarios under construction live in the browser (``dcc.Store(storage_type="session")``)
and in the permalink, never in server memory::

    {"version": 1, "a": <scenario JSON>, "b": <scenario JSON>}

where each scenario is :func:`models.scenario_spec.to_json` of a checked scenario (the same
JSON ``allmende scenario run`` reads). A link carries each as ``a=`` / ``b=``: the compact
JSON, deflated and base64url-encoded (:func:`encode`), plus the view (``cmp=side|swipe|diff``).

Every change goes through :func:`models.scenario_spec.from_json` and
:func:`models.scenario_resolve.resolve` against the pack before it is kept: a refused change
returns the state it was given, unchanged, with a message naming the intervention, the field,
what was expected and what was found. Everything from the browser is checked again on every
request (:func:`clean_state`): a crafted store or link loses what does not fit.

This module is pure (no Dash): the callbacks in :mod:`dashboard.callbacks.scenario` and the
tests call it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import zlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from dashboard.drawn_plans import Message
from models.scenario_resolve import resolve
from models.scenario_spec import (
    DEFAULT_CROWN_M2,
    Scenario,
    SpecError,
    SpecProblem,
    from_json,
    from_toml,
    to_json,
)

VERSION = 1
SLOTS = ("a", "b")
MODES = ("side", "swipe", "diff")
DEFAULT_MODE = "side"
# form kinds: the spec's kinds, with canopy given as a number of trees as its own choice
FORM_KINDS = ("canopy", "trees", "unseal", "green_roofs", "development")
MAX_LINK = 1800  # characters of one encoded scenario in a link
MAX_UPLOAD_BYTES = 500_000  # a scenario file dropped on the page (its callback body < 1 MB)
MAX_FORM_DISTRICTS = 200


def _names(lang: str) -> tuple[str, str]:
    return ("Ausgangslage", "Neues Szenario") if lang == "de" else ("Baseline", "New scenario")


def localised(state: dict[str, Any], lang: str) -> dict[str, Any]:
    """``state`` with the default names in ``lang``: a scenario still called by the other
    language's default name ("Ausgangslage" on an English page) gets this language's."""
    defaults = {slot: {_names(code)[i] for code in ("de", "en")} for i, slot in enumerate(SLOTS)}
    out = dict(state)
    for i, slot in enumerate(SLOTS):
        if out[slot].get("name") in defaults[slot]:
            out[slot] = {**out[slot], "name": _names(lang)[i]}
    return out


def baseline(name: str) -> dict[str, Any]:
    """A scenario without interventions, today: the baseline."""
    return {"version": 1, "name": name, "horizon": "today", "interventions": []}


def default_state(lang: str = "de") -> dict[str, Any]:
    a, b = _names(lang)
    return {"version": VERSION, "a": baseline(a), "b": baseline(b)}


def scenario_of(doc: Any) -> Scenario:
    """A checked scenario from the JSON a slot holds (raises :class:`SpecError`)."""
    return from_json(doc if isinstance(doc, Mapping) else {"interventions": doc})


def clean_state(raw: Any, lang: str = "de") -> dict[str, Any]:
    """The state in ``raw`` (a store's data, from the browser), each slot checked again; a
    slot that does not check becomes the default one."""
    out = default_state(lang)
    if not isinstance(raw, Mapping):
        return out
    for slot in SLOTS:
        with contextlib.suppress(SpecError, TypeError, ValueError, RecursionError):
            out[slot] = to_json(scenario_of(raw.get(slot)))
    return out


# --- links ------------------------------------------------------------------------------------


def encode(doc: Mapping[str, Any]) -> str:
    """A scenario's JSON as a link value: compact JSON, deflated, base64url without padding."""
    text = json.dumps(doc, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    packed = zlib.compress(text.encode("utf-8"), 9)
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode(value: Any) -> Scenario:
    """The checked scenario in a link value (raises :class:`SpecError` with what is wrong)."""
    if not isinstance(value, str) or len(value) > MAX_LINK:
        raise SpecError([SpecProblem(f"expected at most {MAX_LINK} characters of link text")])
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_", validate=True)
        inflater = zlib.decompressobj()
        text = inflater.decompress(raw, 200_000)
    except (binascii.Error, ValueError, zlib.error) as err:
        raise SpecError([SpecProblem(f"not a scenario link value ({err})")]) from err
    if inflater.unconsumed_tail:
        raise SpecError([SpecProblem("the scenario in the link is too large")])
    if not inflater.eof:
        raise SpecError([SpecProblem("not a scenario link value (cut off or empty)")])
    return from_json(text)


def from_query(query: Any, lang: str = "de") -> tuple[dict[str, Any] | None, str, list[str]]:
    """The state and view mode a link carries: ``(state or None when the link names no
    scenario, mode, problems)``. A slot that does not read is the default one, and named in
    ``problems``; anything but a short string is read as no query."""
    if not isinstance(query, str) or len(query) > 4 * MAX_LINK + 1000:
        return None, DEFAULT_MODE, []
    args = {k: v[-1] for k, v in parse_qs(query.lstrip("?")).items()}
    mode = args.get("cmp", DEFAULT_MODE)
    problems: list[str] = []
    if mode not in MODES:
        problems.append(f"cmp: expected one of {', '.join(MODES)}")
        mode = DEFAULT_MODE
    if not any(slot in args for slot in SLOTS):
        return None, mode, problems
    state = default_state(lang)
    for slot in SLOTS:
        if slot not in args:
            continue
        try:
            state[slot] = to_json(decode(args[slot]))
        except SpecError as err:
            problems.append(f"{slot.upper()}: {str(err).splitlines()[0][:160]}")
    return state, mode, problems


def link_args(state: Mapping[str, Any], mode: str) -> list[tuple[str, str]] | None:
    """The link's ``a``, ``b`` and ``cmp`` values for ``state``; ``None`` when a scenario is
    too large for a link."""
    out = []
    for slot in SLOTS:
        value = encode(state[slot])
        if len(value) > MAX_LINK:
            return None
        out.append((slot, value))
    out.append(("cmp", mode if mode in MODES else DEFAULT_MODE))
    return out


# --- changes ----------------------------------------------------------------------------------


def _refused(err: SpecError) -> Message:
    lines = [str(p) for p in err.problems][:8]
    return Message(
        "Nicht übernommen, nichts wurde geändert: " + "; ".join(lines),
        "Not applied, nothing was changed: " + "; ".join(lines),
    )


def _with_slot(
    state: Mapping[str, Any], slot: str, doc: Mapping[str, Any], pack: Any
) -> dict[str, Any]:
    """``state`` with ``slot`` replaced by ``doc``, after checking ``doc`` and matching it
    to the pack (raises :class:`SpecError`)."""
    scenario = from_json(doc)
    resolve(scenario, pack)  # district names, plans, drawn areas: refused here, not later
    out = dict(state)
    out[slot] = to_json(scenario)
    return out


def _slot(slot: Any) -> str:
    return slot if slot in SLOTS else "b"


def intervention_from_form(
    kind: Any,
    districts: Any,
    amount: Any,
    crown: Any,
    plan: Any,
    drawn: Any,
) -> dict[str, Any]:
    """The intervention JSON the form describes (checked later by the spec): ``kind`` one of
    :data:`FORM_KINDS`; ``plan`` ``"plan:<id>"`` (the pack's plan list) or ``"drawn:<id>"``
    (a plan drawn on the map page, from the session's ``drawn`` store)."""
    if kind not in FORM_KINDS:
        return {"kind": kind if isinstance(kind, str) and len(kind) < 40 else "?"}
    wanted = districts if isinstance(districts, list) else []
    where = {"districts": [d for d in wanted[:MAX_FORM_DISTRICTS] if isinstance(d, str)]}
    if kind == "canopy":
        return {"kind": "canopy", **where, "percent": amount}
    if kind == "trees":
        return {
            "kind": "canopy",
            **where,
            "trees": amount,
            "crown_m2": DEFAULT_CROWN_M2 if crown is None else crown,
        }
    if kind == "unseal":
        return {"kind": "unseal", **where, "percent": amount}
    if kind == "green_roofs":
        return {"kind": "green_roofs", **where, "share": amount}
    out: dict[str, Any] = {"kind": "development"}
    if isinstance(plan, str) and plan.startswith("plan:"):
        out["plan"] = plan[5:]
    elif isinstance(plan, str) and plan.startswith("drawn:"):
        found = drawn_plan(drawn, plan[6:])
        if found is None:
            out["plan"] = plan  # refused by the spec as an unknown plan, with its name
        else:
            out["area"] = found["geometry"]
            out["use"] = found.get("use")
            out["dwellings"] = found.get("dwellings", 0)
    if amount is not None:
        out["dwellings"] = amount
    return out


def drawn_plan(drawn: Any, plan_id: str) -> dict[str, Any] | None:
    """The plan ``plan_id`` of the session's drawn plans (``dashboard.drawn_plans``' store)."""
    from dashboard.drawn_plans import clean_store

    for plan in clean_store(drawn)["plans"]:
        if plan.get("id") == plan_id and plan.get("geometry") and not plan.get("error"):
            return dict(plan)
    return None


def add(
    state: Any, slot: Any, intervention: Mapping[str, Any], pack: Any, lang: str = "de"
) -> tuple[dict[str, Any], Message]:
    """``state`` with ``intervention`` appended to ``slot``'s scenario, or ``state``
    unchanged and the reasons."""
    current = clean_state(state, lang)
    slot = _slot(slot)
    doc = dict(current[slot])
    doc["interventions"] = [*doc["interventions"], dict(intervention)]
    try:
        out = _with_slot(current, slot, doc, pack)
    except SpecError as err:
        return current, _refused(err)
    n = len(out[slot]["interventions"])
    return out, Message(f"Maßnahme {n} hinzugefügt.", f"Measure {n} added.", error=False)


def remove(state: Any, slot: Any, index: Any, lang: str = "de") -> dict[str, Any]:
    """``state`` without intervention ``index`` (from 0) of ``slot``; unchanged for an index
    that is not there."""
    current = clean_state(state, lang)
    slot = _slot(slot)
    items = list(current[slot]["interventions"])
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(items):
        del items[index]
        current[slot] = {**current[slot], "interventions": items}
    return current


def clear(state: Any, slot: Any, lang: str = "de") -> dict[str, Any]:
    current = clean_state(state, lang)
    slot = _slot(slot)
    current[slot] = {**current[slot], "interventions": []}
    return current


def swap(state: Any, lang: str = "de") -> dict[str, Any]:
    current = clean_state(state, lang)
    return {**current, "a": current["b"], "b": current["a"]}


def set_meta(
    state: Any, slot: Any, name: Any, horizon: Any, warming: Any, pack: Any, lang: str = "de"
) -> tuple[dict[str, Any], Message | None]:
    """``slot``'s name, horizon and warming (2050 without a warming takes +2 °C; today drops
    it), or ``state`` unchanged and the reasons."""
    current = clean_state(state, lang)
    slot = _slot(slot)
    doc = dict(current[slot])
    if name is not None:
        doc["name"] = name
    if horizon is not None:
        doc["horizon"] = horizon
    if doc.get("horizon") == "2050":
        doc["warming"] = warming if warming is not None else doc.get("warming", 2.0)
    else:
        doc.pop("warming", None)
    try:
        return _with_slot(current, slot, doc, pack), None
    except SpecError as err:
        return current, _refused(err)


def load_file(
    state: Any, slot: Any, contents: Any, filename: Any, pack: Any, lang: str = "de"
) -> tuple[dict[str, Any], Message]:
    """``slot`` replaced by the scenario in an uploaded file (``dcc.Upload``'s data URL;
    TOML, or JSON when the name ends in ``.json``), or ``state`` unchanged and the reasons."""
    current = clean_state(state, lang)
    slot = _slot(slot)
    name = filename if isinstance(filename, str) and len(filename) <= 200 else "upload"
    if not isinstance(contents, str) or "," not in contents:
        return current, _refused(SpecError([SpecProblem("expected a file", source=name)]))
    if len(contents) > MAX_UPLOAD_BYTES * 4 // 3 + 200:
        problem = SpecProblem(f"expected at most {MAX_UPLOAD_BYTES // 1000} kB", source=name)
        return current, _refused(SpecError([problem]))
    try:
        raw = base64.b64decode(contents.split(",", 1)[1], validate=True)
        text = raw.decode("utf-8-sig")
    except (binascii.Error, ValueError) as err:
        problem = SpecProblem(f"not UTF-8 text ({str(err)[:60]})", source=name)
        return current, _refused(SpecError([problem]))
    try:
        if name.lower().endswith(".json"):
            scenario = from_json(text)
        else:
            scenario = from_toml(text, source=name)
        out = _with_slot(current, slot, to_json(scenario), pack)
    except SpecError as err:
        return current, _refused(err)
    n = len(out[slot]["interventions"])
    title = out[slot]["name"]
    return out, Message(
        f"Szenario „{title}“ geladen ({n} Maßnahmen).",
        f"Scenario “{title}” loaded ({n} measures).",
        error=False,
    )


def describe(item: Mapping[str, Any], lang: str) -> str:
    """A short line for an intervention in the list (``Baumkronen +10 Pp.: Neulobeda``)."""
    de = lang == "de"
    kind = item.get("kind")

    def num(value: Any) -> str:
        text = f"{value:g}" if isinstance(value, (int, float)) else str(value)
        return text.replace(".", ",") if de else text

    where = ", ".join(item.get("districts") or []) or (
        ("Plan " + str(item["plan"]))
        if item.get("plan")
        else ("gezeichnete Fläche" if de else "drawn area")
    )
    if kind == "canopy" and item.get("trees"):
        what = (
            f"{num(item['trees'])} Bäume à {num(item.get('crown_m2', 0))} m² Krone"
            if de
            else f"{num(item['trees'])} trees of {num(item.get('crown_m2', 0))} m² crown"
        )
    elif kind == "canopy":
        what = (
            f"Baumkronen +{num(item.get('percent'))} Pp."
            if de
            else (f"tree canopy +{num(item.get('percent'))} pp")
        )
    elif kind == "unseal":
        what = (
            f"Entsiegeln −{num(item.get('percent'))} Pp."
            if de
            else (f"unsealing −{num(item.get('percent'))} pp")
        )
    elif kind == "green_roofs":
        what = (
            f"Gründächer {num(item.get('share'))} %"
            if de
            else (f"green roofs {num(item.get('share'))} %")
        )
    elif kind == "development":
        dwellings = item.get("dwellings")
        use = item.get("use")
        what = "Neues Baugebiet" if de else "new development"
        if use:
            what += f" ({use})"
        if dwellings is not None:
            what += f", {num(dwellings)} " + ("Wohnungen" if de else "dwellings")
    else:
        what = str(kind)
    return f"{what}: {where}"
