"""Draw to assess, the heavier half: plan files dropped in the browser, and the assessment of a
plan (the pack's rules, constraint index and city area built once per process, results kept
per drawing). The session's plans themselves are in :mod:`dashboard.drawn_plans`."""

from __future__ import annotations

import base64
import binascii
import json
import tempfile
from pathlib import Path
from typing import Any

from dashboard.drawn_plans import (
    DEFAULT_USE,
    MAX_PLANS,
    Message,
    checked,
    clean_name,
    new_id,
)
from data.landuse_vocab import PLANNED_USES
from models.drawn_plan import MAX_DWELLINGS, DrawingError

MAX_UPLOAD_BYTES = 2_000_000  # a plan file, decoded
UPLOAD_SUFFIXES = (".geojson", ".json", ".zip", ".gpkg")


# --- a plan file -------------------------------------------------------------------------------


def read_upload(
    store: dict[str, Any], contents: Any, filename: Any, pack: Any, city: Any
) -> tuple[dict[str, Any], Message]:
    """The store with the plans of a dropped file (GeoJSON, GeoPackage or zipped Shapefile,
    at most :data:`MAX_UPLOAD_BYTES`), read and checked as ``allmende import plans`` reads
    a file (:mod:`data.importers.landuse_geometry`), each polygon then checked as a drawing.
    A refused file changes nothing."""
    from data.importers.base import ImporterError
    from data.importers.landuse_geometry import check_polygons, feature_ids, read_features

    name = filename if isinstance(filename, str) and 0 < len(filename) <= 200 else ""
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        return store, Message(
            "Die Datei wurde nicht übernommen: erwartet wird GeoJSON (.geojson, .json), "
            "GeoPackage (.gpkg) oder ein gezipptes Shapefile (.zip).",
            "The file was not taken: expected GeoJSON (.geojson, .json), GeoPackage (.gpkg) "
            "or a zipped Shapefile (.zip).",
        )
    data = contents.partition(",")[2] if isinstance(contents, str) else ""
    if not data or len(data) > MAX_UPLOAD_BYTES * 4 // 3 + 8:
        return store, Message(
            f"Die Datei wurde nicht übernommen: sie ist leer oder größer als "
            f"{MAX_UPLOAD_BYTES // 1_000_000} MB.",
            f"The file was not taken: it is empty or larger than {MAX_UPLOAD_BYTES // 1_000_000} MB.",
        )
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return store, Message(
            "Die Datei wurde nicht übernommen: ihr Inhalt kam beschädigt an.",
            "The file was not taken: its content arrived damaged.",
        )
    warnings: list[str] = []
    with tempfile.TemporaryDirectory(prefix="allmende-plan-") as tmp:
        path = Path(tmp) / f"plan{suffix}"
        path.write_bytes(raw)
        try:
            frame = read_features(path, source_crs=None, layer=None, warnings=warnings, what="plan")
            ids = feature_ids(frame, ("plan_id", "id", "name"))
            geometry, _repaired = check_polygons(frame.geometry, ids, path, warnings)
            frame = frame.set_geometry(geometry).to_crs("EPSG:4326")
        except ImporterError as err:
            detail = str(err).replace(str(path), name)
            return store, Message(
                f"Die Datei wurde nicht übernommen. {detail}",
                f"The file was not taken. {detail}",
            )
    room = MAX_PLANS - len(store["plans"])
    if len(frame) > room:
        return store, Message(
            f"Die Datei hat {len(frame)} Flächen; Platz ist für {room} (höchstens {MAX_PLANS} "
            "Vorhaben je Sitzung).",
            f"The file has {len(frame)} areas; there is room for {room} (at most {MAX_PLANS} "
            "plans per session).",
        )
    added = []
    refused: list[str] = []
    for k, (_, row) in enumerate(frame.iterrows()):
        geometry = json.loads(json.dumps(row.geometry.__geo_interface__))
        fine, error = checked(geometry, pack, city)
        if fine is None:
            refused.append(f"{ids.iloc[k]}: {error['de'] if error else ''}")
            continue
        use = row.get("use")
        dwellings = row.get("dwellings")
        added.append(
            {
                "id": new_id(),
                "name": clean_name(row.get("name"), f"{Path(name).stem} {k + 1}"),
                "use": use if isinstance(use, str) and use in PLANNED_USES else DEFAULT_USE,
                "dwellings": int(dwellings)
                if isinstance(dwellings, (int, float))
                and dwellings == dwellings
                and 0 <= dwellings <= MAX_DWELLINGS
                else 0,
                "geometry": geometry,
                "source": "file",
                "lid": None,
                "page": None,
                "error": None,
            }
        )
    if not added:
        return store, Message(
            "Keine Fläche der Datei ließ sich prüfen: " + "; ".join(refused[:5]),
            "No area of the file could be assessed: " + "; ".join(refused[:5]),
        )
    plans = store["plans"] + added
    note_de = f"{len(added)} Vorhaben aus {name} übernommen."
    note_en = f"{len(added)} plan(s) taken from {name}."
    if refused:
        note_de += f" Nicht übernommen: {'; '.join(refused[:5])}"
        note_en += f" Not taken: {'; '.join(refused[:5])}"
    return {**store, "plans": plans, "current": added[-1]["id"]}, Message(
        note_de, note_en, error=False
    )


# --- the assessment (cached per pack: rules, constraint index, city area, results) -------------

MAX_RESULTS = 64


def city_of(ctx: Any) -> Any:
    """The pack's city area in its metric CRS (built once per process)."""
    from models.drawn_plan import pack_city_area

    if ("drawn", "city") not in ctx.memo:
        ctx.memo[("drawn", "city")] = pack_city_area(ctx.pack)
    return ctx.memo[("drawn", "city")]


def _engine(ctx: Any) -> tuple[Any, Any]:
    """The pack's rules and constraint index (built once per process, never in a request
    after the first)."""
    from models.drawn_plan import pack_index, pack_rules

    if ("drawn", "engine") not in ctx.memo:
        rules = pack_rules(ctx.pack)
        ctx.memo[("drawn", "engine")] = (rules, pack_index(ctx.pack, rules))
    return ctx.memo[("drawn", "engine")]  # type: ignore[no-any-return]


def warm(ctx: Any) -> str | None:
    """Build the rules, the constraint index and the city area now (at start-up), so the
    first drawing is answered as fast as the next; what went wrong, if anything (the app
    still starts, and each drawing then says why it cannot be checked)."""
    if not ctx.pack.has("constraints"):
        return None
    try:
        city_of(ctx)
        _engine(ctx)
    except (ValueError, OSError) as err:  # a broken rule file (RuleFileError) or CRS
        return str(err)
    return None


def assess(ctx: Any, plan: dict[str, Any]) -> dict[str, Any]:
    """The plan assessed (:func:`models.drawn_plan.assess_drawing`), or ``{"error": {de,
    en}}`` when its drawing is refused. Results are kept per geometry, use and dwellings
    (at most :data:`MAX_RESULTS`), so picking a plan again costs nothing."""
    from layers.landuse.drawn import hot_residents
    from models.drawn_plan import assess_drawing

    key = json.dumps([plan["geometry"], plan["use"], plan["dwellings"]], sort_keys=True)
    cache: dict[str, dict[str, Any]] = ctx.memo.setdefault(("drawn", "results"), {})
    if key in cache:
        return cache[key]
    result: dict[str, Any]
    try:
        geometry, error = checked(plan["geometry"], ctx.pack, city_of(ctx))
        if geometry is None:
            result = {"error": error}
        else:
            rules, index = _engine(ctx)
            result = assess_drawing(
                geometry, plan["use"], plan["dwellings"], ctx.pack, index, rules, heat=hot_residents
            )
    except DrawingError as err:
        result = {"error": err.to_dict()}
    except (ValueError, OSError) as err:  # the pack's rule file or data cannot be used
        return {
            "error": {
                "de": f"Die Prüfung ist mit diesen Stadtdaten nicht möglich: {err}",
                "en": f"Checking is not possible with this city pack: {err}",
            }
        }
    if len(cache) >= MAX_RESULTS:
        cache.pop(next(iter(cache)))
    cache[key] = result
    return result
