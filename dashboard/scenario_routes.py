"""The scenario images by address: ``/scenario/lst.png`` (one scenario's surface temperature)
and ``/scenario/diff.png`` (B − A).

The address carries the scenario itself (:func:`dashboard.scenario_state.encode`), the pack
version and the scale, so any server process answers it from nothing but the pack and the
model, and the browser keeps an image as long as the address holds: editing B re-sends
neither A's image nor anything but the few bytes of the callback. A scenario too large for an
address gets its image as a data URL in the callback's answer instead.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, request

from dashboard import scenario_state as ss
from dashboard.context import AppContext
from dashboard.scenario_service import Comparison
from models.scenario_spec import SpecError

CACHE = "public, max-age=31536000, immutable"  # the address names everything the image shows
MAX_HI_ABOVE = 80.0  # K above the pack's low end a scale may reach


def image_url(ctx: AppContext, doc: Any, which: str, cmp: Comparison) -> str:
    """The address of an image (``which``: ``"a"``/``"b"`` with that scenario's JSON as
    ``doc``, ``"diff"`` with the state), or its data URL when the scenario is too long."""
    service = ctx.scenarios
    assert service is not None
    version = str(ctx.pack.version)
    if which == "diff":
        a, b = ss.encode(doc["a"]), ss.encode(doc["b"])
        if max(len(a), len(b)) > ss.MAX_LINK:
            return service.diff_image(doc["a"], doc["b"]).url
        return "/scenario/diff.png?" + urlencode({"v": version, "a": a, "b": b})
    value = ss.encode(doc)
    hi = f"{cmp.lst_scale[1]:g}"
    if len(value) > ss.MAX_LINK:
        return service.lst_image(doc, float(hi)).url
    return "/scenario/lst.png?" + urlencode({"v": version, "s": value, "hi": hi})


def _text(message: str, status: int) -> Response:
    return Response(message, status=status, mimetype="text/plain",
                    headers={"Cache-Control": "no-store"})  # fmt: skip


def register(server: Flask, ctx: AppContext) -> None:
    @server.route("/scenario/lst.png")
    def scenario_lst() -> Response:
        return answer(ctx, "lst", request.args)

    @server.route("/scenario/diff.png")
    def scenario_diff() -> Response:
        return answer(ctx, "diff", request.args)


def answer(ctx: AppContext, which: str, args: Any) -> Response:
    """The image for the request's arguments; 400 with what is wrong for a bad one, 404 for
    a pack without scenarios, 503 while the model is prepared."""
    service = ctx.scenarios
    if service is None or service.status == "unavailable":
        return _text("this pack has no scenarios (no grid with lst_day)", 404)
    if service.status != "ready":
        return _text("the heat model is not ready yet; try again in a few seconds", 503)
    try:
        if which == "lst":
            doc = ss.to_json(ss.decode(args.get("s")))
            hi = _hi(ctx, args.get("hi"))
            image = service.lst_image(doc, hi)
        else:
            a = ss.to_json(ss.decode(args.get("a")))
            b = ss.to_json(ss.decode(args.get("b")))
            image = service.diff_image(a, b)
    except SpecError as err:
        return _text(f"bad scenario: {str(err).splitlines()[0][:200]}", 400)
    except ValueError as err:
        return _text(f"bad image parameters: {str(err)[:200]}", 400)
    headers = {"Cache-Control": CACHE if args.get("v") == str(ctx.pack.version) else "no-store"}
    return Response(image.png, mimetype="image/png", headers=headers)


def _hi(ctx: AppContext, raw: Any) -> float:
    from layers.heat.surface import scale

    lo = scale(ctx.pack, "lst_day")[0]
    try:
        hi = float(raw)
    except (TypeError, ValueError):
        raise ValueError("hi: expected a number") from None
    if not (lo < hi <= lo + MAX_HI_ABOVE):
        raise ValueError(f"hi: expected a number above {lo:g} and at most {lo + MAX_HI_ABOVE:g}")
    return hi
