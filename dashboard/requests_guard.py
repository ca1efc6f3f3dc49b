"""Callback requests that are not what Dash's renderer sends are answered 400, not 500.

Dash reads the body of ``POST /_dash-update-component`` without checking its shape: a body
that is not JSON, nested too deeply to parse, names a callback that does not exist (or one
that runs in the browser), or lists inputs that do not fit the callback's definition ends in
a ``KeyError``, ``IndexError`` or ``RecursionError`` inside Dash — a 500. :func:`install`
adds a Flask ``before_request`` hook that checks the body against the callback it names and
answers anything else with a short 400 (never echoing the body). Values are left to the
callbacks, which check each input themselves (``dashboard.callbacks.inputs``, ``Param``).

The shape the renderer sends::

    {"output": "<callback key>", "outputs": <spec or [spec | [spec, …], …]>,
     "inputs": [item | [item, …], …], "state": [item | [item, …], …],
     "changedPropIds": ["<id>.<property>", …]}

with ``item = {"id": <str | {key: str | number | bool}>, "property": str, "value": …}``
(a list of items for a pattern with ``ALL``/``ALLSMALLER``) and ``spec`` the same without
``value``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from dash import Dash
from flask import Response, request

# deepest nesting of a callback body (the renderer's bodies are a few levels deep; values
# such as a figure or a feature's properties add some) and most items per wildcard list
MAX_DEPTH = 64
MAX_ITEMS = 500
WILDCARDS = ('["ALL"]', '["MATCH"]', '["ALLSMALLER"]')
MULTI = ('["ALL"]', '["ALLSMALLER"]')


class BadBody(ValueError):
    """A callback body that is not what the renderer sends (the message is short)."""


def install(app: Dash) -> None:
    """Check every ``POST /_dash-update-component`` body before Dash reads it."""
    path = f"{app.config.routes_pathname_prefix}_dash-update-component"

    def guard() -> Response | None:
        if request.method != "POST" or request.path != path:
            return None
        try:
            check_body(app.callback_map, parsed_body())
        except BadBody as err:
            return Response(f"bad callback request: {err}\n", 400, mimetype="text/plain")
        return None

    app.server.before_request(guard)


def parsed_body() -> Any:
    """The request's JSON (parsed once: Flask keeps it for Dash), or :class:`BadBody`."""
    try:
        body = request.get_json(force=True, silent=True)
    except RecursionError as err:
        raise BadBody("nested too deeply") from err
    if body is None:
        raise BadBody("the body is not JSON")
    return body


def check_body(callback_map: dict[str, Any], body: Any) -> None:
    """Raise :class:`BadBody` unless ``body`` fits the server callback it names."""
    if not isinstance(body, dict):
        raise BadBody("the body is not a JSON object")
    _depth(body, 0)
    output = body.get("output")
    if not isinstance(output, str):
        raise BadBody("the body names no output")
    callback = callback_map.get(output)
    if not isinstance(callback, dict) or "callback" not in callback:
        raise BadBody("no server callback has this output")
    _check_outputs(output, body.get("outputs"))
    _check_items(callback["inputs"], body.get("inputs"), "inputs")
    _check_items(callback["state"], body.get("state", []), "state")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or len(changed) > MAX_ITEMS:
        raise BadBody("changedPropIds must be a list")
    for prop_id in changed:
        _check_prop_id(prop_id)


def _check_prop_id(prop_id: Any) -> None:
    """A ``changedPropIds`` entry: ``<id>.<property>``, the id a name or a JSON object of
    names and numbers (Dash parses it to say which input triggered the callback)."""
    if not isinstance(prop_id, str) or len(prop_id) > 2000 or "." not in prop_id:
        raise BadBody("a changedPropIds entry is not '<id>.<property>'")
    component = prop_id.rpartition(".")[0]
    if not component.startswith("{"):
        return
    try:
        parsed = json.loads(component)
    except ValueError as err:
        raise BadBody("a changedPropIds entry has a malformed id") from err
    if not isinstance(parsed, dict) or not all(_is_id_part(v) for v in parsed.values()):
        raise BadBody("a changedPropIds entry has a malformed id")


def _is_id_part(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _depth(value: Any, level: int) -> None:
    if level > MAX_DEPTH:
        raise BadBody(f"nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, dict):
        for v in value.values():
            _depth(v, level + 1)
    elif isinstance(value, list):
        for v in value:
            _depth(v, level + 1)


def _split_output(output: str) -> list[tuple[str, str]]:
    """``(id, property)`` of each output of a callback key (``..a.p...b.q..`` or ``a.p``)."""
    key = output.split("@", 1)[0] if not output.startswith("..") else output
    if key.startswith(".."):
        parts = key[2:-2].split("...")
        return [(p.rsplit(".", 1)[0], p.rsplit(".", 1)[1].split("@", 1)[0]) for p in parts]
    component, _, prop = key.rpartition(".")
    return [(component, prop)]


def _check_outputs(output: str, outputs: Any) -> None:
    wanted = _split_output(output)
    if not output.startswith(".."):  # one output: a spec, or a list of them for ALL
        _check_group(wanted[0], outputs, "outputs", output=True)
        return
    if not isinstance(outputs, list) or len(outputs) != len(wanted):
        raise BadBody(f"outputs must list {len(wanted)} outputs")
    for pattern, given in zip(wanted, outputs, strict=True):
        _check_group(pattern, given, "outputs", output=True)


def _check_items(defined: list[dict[str, Any]], given: Any, what: str) -> None:
    """Check ``inputs`` or ``state`` against the callback's."""
    if not isinstance(given, list) or len(given) != len(defined):
        raise BadBody(f"{what} must list {len(defined)} items")
    for spec, group in zip(defined, given, strict=True):
        _check_group((spec["id"], spec["property"]), group, what)


def _check_group(pattern: tuple[str, str], given: Any, what: str, *, output: bool = False) -> None:
    """One dependency: a single item, or a list of items for ``ALL``/``ALLSMALLER``."""
    multi = any(w in pattern[0] for w in MULTI) and pattern[0].startswith("{")
    if multi:
        if not isinstance(given, list) or len(given) > MAX_ITEMS:
            raise BadBody(f"{what}: a pattern with ALL takes a list of at most {MAX_ITEMS}")
        items = given
    else:
        items = [given]
    matches = _matcher(pattern)
    for item in items:
        prop = item.get("property") if isinstance(item, dict) else None
        if output and isinstance(prop, str):
            prop = prop.split("@", 1)[0]  # an output allowed twice: "children@<hash>"
        if not isinstance(item, dict) or not matches(item.get("id"), prop):
            raise BadBody(f"{what}: an item does not fit the callback's definition")


def _matcher(pattern: tuple[str, str]) -> Callable[[Any, Any], bool]:
    """Whether a concrete ``(id, property)`` fits a callback's dependency."""
    pid, prop = pattern
    if not pid.startswith("{"):
        return lambda i, p: i == pid and p == prop
    keys: dict[str, Any] = json.loads(pid)

    def matches(i: Any, p: Any) -> bool:
        if p != prop or not isinstance(i, dict) or set(i) != set(keys):
            return False
        for k, want in keys.items():
            value = i[k]
            if not _is_id_part(value):
                return False
            if json.dumps(want) not in WILDCARDS and value != want:
                return False
        return True

    return matches
