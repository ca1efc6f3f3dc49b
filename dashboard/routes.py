"""Plain HTTP routes beside Dash: dataset downloads (built once, sent from disk: see
:mod:`dashboard.downloads`), rendered layer images and layer GeoJSON
(``/layers/<id>.geojson``, see :mod:`dashboard.geojson`)."""

from __future__ import annotations

import json

from flask import Flask, Response, abort, request, send_file

from dashboard import downloads, geojson
from dashboard.context import AppContext
from dashboard.i18n import language, t
from layers import get_layer

CACHE = "public, max-age=86400"


def register(server: Flask, ctx: AppContext) -> None:
    pack = ctx.pack

    @server.route("/download/<ds_id>.<ext>")
    def download(ds_id: str, ext: str) -> Response:
        found = downloads.find(pack, ctx.settings.cache_dir, ds_id, ext)
        if found is None:
            abort(404)
        return send_file(
            found.path,
            mimetype=found.mimetype,
            as_attachment=True,
            download_name=found.name,
            conditional=True,  # ETag / Last-Modified; 304 when unchanged; ranges
            etag=True,
            max_age=downloads.MAX_AGE_S,
        )

    @server.route("/layers/<layer_id>.geojson")
    def layer_geojson(layer_id: str) -> Response:
        return geojson_response(ctx, layer_id)

    @server.route("/layers/<layer_id>.png")
    def layer_png(layer_id: str) -> Response:
        try:
            layer = get_layer(layer_id)
        except KeyError:
            abort(404)
        if layer.render != "image" or not layer.available(pack):
            abort(404)
        if layer.image is not None:
            try:
                raw = json.loads(request.args.get("p", "{}"))
                if not isinstance(raw, dict):
                    raise ValueError("parameters must be a JSON object")
                data = layer.image(pack, layer.clean_params(raw))
            except ValueError as err:  # json.JSONDecodeError is a ValueError
                return Response(f"bad layer parameters: {err}", status=400, mimetype="text/plain")
        else:
            data = ctx.layer_data(layer.id, "de")
        if data.image_png is None:
            abort(404)
        return Response(data.image_png, mimetype="image/png", headers={"Cache-Control": CACHE})


def geojson_response(ctx: AppContext, layer_id: str) -> Response:
    """A layer's GeoJSON for the current request (see :mod:`dashboard.geojson`)."""
    try:
        doc = geojson.parse(ctx, layer_id, request.args)
    except geojson.Refusal as err:
        return Response(
            t(err.key, language(request.args.get("lang"))),
            status=err.status,
            mimetype="text/plain",
            headers={"Cache-Control": "no-store"},
        )
    current = geojson.version(ctx, doc)
    if request.args.get("v") != current:  # missing or stale: the address of today's document
        location = geojson.url(ctx, doc)
        return Response(
            status=302, headers={"Location": location, "Cache-Control": geojson.REVALIDATE}
        )
    headers = {"Cache-Control": geojson.IMMUTABLE}
    # flask-compress appends the coding to the ETag ("<v>:gzip"), so match on the version
    seen = request.if_none_match.as_set(include_weak=True)
    if any(tag.partition(":")[0] == current for tag in seen):
        unchanged = Response(status=304, headers=headers)
        unchanged.set_etag(current)
        return unchanged
    response = Response(geojson.body(ctx, doc), mimetype=geojson.MIMETYPE, headers=headers)
    response.set_etag(current)
    return response
