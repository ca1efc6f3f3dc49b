"""Plain HTTP routes beside Dash: dataset downloads and rendered layer images."""

from __future__ import annotations

import json

from flask import Flask, Response, abort, request

from dashboard.context import AppContext
from data.pack import to_geojson
from layers import get_layer

CACHE = "public, max-age=86400"


def register(server: Flask, ctx: AppContext) -> None:
    pack = ctx.pack

    def _name(ds_id: str, ext: str) -> str:
        suffix = "_synthetisch" if pack.synthetic else ""
        return f"{pack.city.id}_{ds_id}{suffix}.{ext}"

    @server.route("/download/<ds_id>.<ext>")
    def download(ds_id: str, ext: str) -> Response:
        if not pack.has(ds_id):
            abort(404)
        ds = pack.dataset(ds_id)
        if ds.kind == "vector" and ext == "geojson":
            doc = to_geojson(pack.vector(ds_id))
            doc["allmende"] = {
                "dataset": ds.id,
                "city": pack.city.name,
                "synthetic": pack.synthetic,
                "licence": ds.licence,
                "attribution": ds.attribution,
                "source": ds.source,
                "generated_by": ds.generated_by,
            }
            body = json.dumps(doc, ensure_ascii=False)
            mime = "application/geo+json"
        elif ds.kind in ("table", "timeseries") and ext == "csv":
            body = pack.table(ds_id).to_csv(index=False)
            mime = "text/csv; charset=utf-8"
        elif ds.kind == "raster" and ext == "nc":
            return Response(
                (pack.folder / ds.path).read_bytes(),
                mimetype="application/x-netcdf",
                headers={"Content-Disposition": f'attachment; filename="{_name(ds_id, ext)}"'},
            )
        else:
            abort(404)
        return Response(
            body,
            mimetype=mime,
            headers={"Content-Disposition": f'attachment; filename="{_name(ds_id, ext)}"'},
        )

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
