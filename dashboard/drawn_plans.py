"""Draw to assess, the browser session's plans: what the callbacks keep and how it changes.

The plans a planner draws (or drops in as a file) live in the browser's session storage
(``dcc.Store(storage_type="session")``), never in server memory: several app servers can
serve the same person, and the scenarios work will save them. The store is plain JSON::

    {"version": 1,
     "plans": [{"id", "name", "use", "dwellings", "geometry" (GeoJSON, EPSG:4326),
                "source": "drawn" | "file", "lid": Leaflet id or None, "page": page token,
                "error": {"de", "en"} or None}, ...],
     "current": plan id or None}

Everything in it came from the browser and is checked again on every request
(:func:`clean_store`): a crafted store loses what does not fit, never crashes a callback.

The map's drawing tool (dash-leaflet ``EditControl``) reports every shape it holds as a
GeoJSON FeatureCollection with each shape's Leaflet id (``_leaflet_id``). :func:`sync` keeps
the store in step with it: a new shape becomes a plan, an edited shape changes its plan's
geometry, a deleted shape deletes its plan. Leaflet ids hold for one page view only, so each
plan remembers the ``page`` token of the view that gave its id; after a reload the plans are
drawn into the tool again (``type: "mount"`` in the report) and get new ids, matched by their
coordinates.

This module is pure (no Dash): the callbacks in ``dashboard.callbacks.drawn_plans`` and the
tests call it. Plan files and the assessment are in :mod:`dashboard.drawn_engine`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from data.landuse_vocab import PLANNED_USES
from models.drawn_plan import MAX_DWELLINGS, DrawingError, check_drawing

VERSION = 1
MAX_PLANS = 20
MAX_NAME = 80
DEFAULT_USE = "residential"
COORD_DIGITS = 7  # how closely a reloaded shape must match its plan (about 1 cm)


@dataclass(frozen=True)
class Message:
    """A message for the person, in both languages; ``error``: something was refused."""

    de: str
    en: str
    error: bool = True

    def text(self, lang: str) -> str:
        return self.de if lang == "de" else self.en


def empty() -> dict[str, Any]:
    return {"version": VERSION, "plans": [], "current": None}


def new_id() -> str:
    return uuid.uuid4().hex[:12]


# --- checking what the browser sends ---------------------------------------------------------


def _text(value: Any, limit: int) -> str | None:
    return value if isinstance(value, str) and len(value) <= limit else None


def clean_name(value: Any, fallback: str) -> str:
    """A plan's name: printable text, at most :data:`MAX_NAME` characters (longer: cut)."""
    if not isinstance(value, str):
        return fallback
    text = " ".join("".join(c for c in value[: MAX_NAME * 4] if c.isprintable()).split())
    return text[:MAX_NAME] or fallback


def clean_store(data: Any) -> dict[str, Any]:
    """The store as the browser sent it, with everything that does not fit dropped."""
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return empty()
    plans = data.get("plans")
    out: list[dict[str, Any]] = []
    for plan in plans[: MAX_PLANS * 2] if isinstance(plans, list) else []:
        if len(out) == MAX_PLANS:
            break
        if not isinstance(plan, dict):
            continue
        pid, geometry = _text(plan.get("id"), 40), plan.get("geometry")
        if pid is None or not isinstance(geometry, dict) or any(p["id"] == pid for p in out):
            continue
        use = plan.get("use") if plan.get("use") in PLANNED_USES else DEFAULT_USE
        dwellings = plan.get("dwellings")
        if not isinstance(dwellings, int) or isinstance(dwellings, bool):
            dwellings = 0
        lid = plan.get("lid")
        error = plan.get("error")
        out.append(
            {
                "id": pid,
                "name": clean_name(plan.get("name"), pid),
                "use": use,
                "dwellings": min(max(dwellings, 0), MAX_DWELLINGS),
                "geometry": geometry,  # checked (check_drawing) before every use
                "source": "file" if plan.get("source") == "file" else "drawn",
                "lid": lid if isinstance(lid, int) and not isinstance(lid, bool) else None,
                "page": _text(plan.get("page"), 40),
                "error": error
                if isinstance(error, dict)
                and all(isinstance(error.get(k), str) for k in ["de", "en"])
                else None,
            }
        )
    current = data.get("current")
    if not any(p["id"] == current for p in out):
        current = out[-1]["id"] if out else None
    return {"version": VERSION, "plans": out, "current": current}


def find(store: dict[str, Any], plan_id: Any) -> dict[str, Any] | None:
    return next((p for p in store["plans"] if p["id"] == plan_id), None)


def checked(geometry: Any, pack: Any, city: Any) -> tuple[Any, dict[str, str] | None]:
    """The drawing in the metric CRS, or ``None`` and the de/en reason it is refused."""
    try:
        return check_drawing(geometry, city, pack.city.metric_crs), None
    except DrawingError as err:
        return None, err.to_dict()


def _ring_key(geometry: Any) -> tuple[tuple[float, float], ...] | None:
    """The outer ring's positions, rounded: how a reloaded shape finds its plan."""
    try:
        ring = geometry["coordinates"][0]
        return tuple(
            (round(float(x), COORD_DIGITS), round(float(y), COORD_DIGITS)) for x, y in ring[:-1]
        )
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def editable(geometry: Any) -> bool:
    """Whether the drawing tool can hold the plan's shape (one polygon without holes: the
    tool reports outer rings only)."""
    return (
        isinstance(geometry, dict)
        and geometry.get("type") == "Polygon"
        and isinstance(geometry.get("coordinates"), list)
        and len(geometry["coordinates"]) == 1
    )


# --- the drawing tool's report -----------------------------------------------------------------


def sync(
    store: dict[str, Any],
    report: Any,
    page: str,
    pack: Any,
    city: Any,
    name_for: Any,
) -> tuple[dict[str, Any], Message | None]:
    """The store after the drawing tool reported the shapes it holds (``report``: its
    ``geojson``). ``name_for(n)``: the name of the n-th plan (``"Vorhaben 3"``); ``city``:
    the city area (:func:`models.drawn_plan.pack_city_area`)."""
    features = report.get("features") if isinstance(report, dict) else None
    if not isinstance(features, list) or len(features) > MAX_PLANS + 5:
        return store, Message(
            f"Die Zeichnung wurde nicht übernommen: höchstens {MAX_PLANS} Vorhaben.",
            f"The drawing was not taken: at most {MAX_PLANS} plans.",
        )
    live = {p["lid"]: p for p in store["plans"] if p["lid"] is not None and p["page"] == page}
    seen: set[int] = set()
    message: Message | None = None
    plans = list(store["plans"])
    current = store["current"]
    for feature in features:
        props = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(props, dict) or not isinstance(geometry, dict):
            continue
        lid = props.get("_leaflet_id")
        if not isinstance(lid, int) or isinstance(lid, bool):
            continue
        seen.add(lid)
        if lid in live:
            plan = live[lid]
            if plan["geometry"] != geometry:  # edited
                _, error = checked(geometry, pack, city)
                plans = [
                    {**p, "geometry": geometry, "error": error} if p["id"] == plan["id"] else p
                    for p in plans
                ]
                current = plan["id"]
            continue
        if props.get("type") == "mount":  # a plan drawn into the tool again: find it
            key = _ring_key(geometry)
            match = next(
                (
                    p
                    for p in plans
                    if (p["page"] != page or p["lid"] is None) and _ring_key(p["geometry"]) == key
                ),
                None,
            )
            if match is not None:
                plans = [
                    {**p, "lid": lid, "page": page} if p["id"] == match["id"] else p for p in plans
                ]
            continue
        if len(plans) >= MAX_PLANS:
            message = Message(
                f"Höchstens {MAX_PLANS} Vorhaben je Sitzung: bitte erst eines löschen.",
                f"At most {MAX_PLANS} plans per session: please delete one first.",
            )
            continue
        _, error = checked(geometry, pack, city)
        plan = {
            "id": new_id(),
            "name": name_for(len(plans) + 1),
            "use": DEFAULT_USE,
            "dwellings": 0,
            "geometry": geometry,
            "source": "drawn",
            "lid": lid,
            "page": page,
            "error": error,
        }
        plans.append(plan)
        current = plan["id"]
    # a shape the tool no longer holds was deleted with its bin
    gone = {
        p["id"]
        for p in plans
        if p["page"] == page and p["lid"] is not None and p["lid"] not in seen
    }
    plans = [p for p in plans if p["id"] not in gone]
    if current in gone or not any(p["id"] == current for p in plans):
        current = plans[-1]["id"] if plans else None
    return {**store, "plans": plans, "current": current}, message


# --- the form ----------------------------------------------------------------------------------


def update(
    store: dict[str, Any], plan_id: Any, name: Any, use: Any, dwellings: Any, lang: str
) -> tuple[dict[str, Any], Message | None]:
    """The store with the current plan's name, use and dwellings from the form; a value the
    form should not send (a crafted one) is refused with a message and changes nothing."""
    plan = find(store, plan_id)
    if plan is None:
        return store, None
    if use not in PLANNED_USES:
        return store, Message("Unbekannte Nutzung.", "Unknown planned use.")
    if isinstance(dwellings, float) and dwellings.is_integer():
        dwellings = int(dwellings)
    if dwellings is None:
        dwellings = 0
    if (
        not isinstance(dwellings, int)
        or isinstance(dwellings, bool)
        or not 0 <= dwellings <= MAX_DWELLINGS
    ):
        return store, Message(
            f"Wohnungen: eine ganze Zahl von 0 bis {MAX_DWELLINGS:,}.".replace(",", "."),
            f"Dwellings: a whole number from 0 to {MAX_DWELLINGS:,}.",
        )
    changed = {**plan, "name": clean_name(name, plan["name"]), "use": use, "dwellings": dwellings}
    plans = [changed if p["id"] == plan["id"] else p for p in store["plans"]]
    return {**store, "plans": plans}, None


def delete(store: dict[str, Any], plan_id: Any) -> dict[str, Any]:
    plans = [p for p in store["plans"] if p["id"] != plan_id]
    current = (
        store["current"] if store["current"] != plan_id else (plans[-1]["id"] if plans else None)
    )
    return {**store, "plans": plans, "current": current}


def pick(store: dict[str, Any], plan_id: Any) -> dict[str, Any]:
    return {**store, "current": plan_id} if find(store, plan_id) is not None else store


# --- export ------------------------------------------------------------------------------------


def export(store: dict[str, Any]) -> dict[str, Any]:
    """The session's plans as a GeoJSON FeatureCollection (EPSG:4326, as RFC 7946 wants)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": p["id"],
                "properties": {
                    "plan_id": p["id"],
                    "name": p["name"],
                    "use": p["use"],
                    "dwellings": p["dwellings"],
                    "source": p["source"],
                },
                "geometry": p["geometry"],
            }
            for p in store["plans"]
        ],
    }
