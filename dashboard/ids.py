"""Every component id in one place: constants and pattern-matching id builders."""

from __future__ import annotations

from typing import Any

URL = "url"
ROOT = "root"
MAP = "map"
BASEMAP_GROUP = "basemap-group"
BASEMAP_RADIO = "basemap-radio"
OFFLINE_BASE = "offline-base"
DISTRICT_PANEL = "district-panel"
URL_SYNC = "url-sync"
LANG_LINK_DE = "lang-link-de"
LANG_LINK_EN = "lang-link-en"
NAV_MAP = "nav-map"
NAV_CATALOG = "nav-catalog"
NAV_FOOTFALL = "nav-footfall"
FOOTFALL_SITE = "footfall-site"
FOOTFALL_MESSAGE = "footfall-message"
FOOTFALL_URL_SYNC = "footfall-url-sync"
FOOTFALL_PROFILE = "footfall-profile"
FOOTFALL_DAILY = "footfall-daily"
FOOTFALL_YOY = "footfall-yoy"
CATALOG_GRID = "catalog-grid"
NAV_HEAT = "nav-heat"
EMBED_MAP = "embed-map"
EMBED_CODE = "embed-code"
EMBED_TITLE = "embed-title"
EMBED_SIZE = "embed-size"
EMBED_SUMMARY = "embed-summary"
EMBED_PREVIEW = "embed-preview"
EMBED_PREVIEW_BOX = "embed-preview-box"
HEAT_VARIABLE = "heat-variable"
HEAT_INDEX = "heat-index"
HEAT_MESSAGE = "heat-message"
HEAT_GROUPS = "heat-groups"
HEAT_CONC = "heat-conc"
HEAT_RANK = "heat-rank"
HEAT_TREND = "heat-trend"
HEAT_OUTLOOK = "heat-outlook"
ERROR_BANNER = "error-banner"
LANG_STORE = "lang-store"

# pattern-matching types
LAYER_TOGGLE = "layer-toggle"
LAYER_OPACITY = "layer-opacity"
LAYER_PARAM = "layer-param"
LAYER_GROUP = "layer-group"
LAYER_GEOJSON = "layer-geojson"
LAYER_IMAGE = "layer-image"
LAYER_LEGEND = "layer-legend"
LAYER_STYLE = "layer-style"  # the map style (GeoJSON hideout) of a layer, in its panel
LAYER_MAP_LEGEND = "layer-map-legend"
LAYER_PLAY = "layer-play"
LAYER_INTERVAL = "layer-interval"
LAYER_TABLE = "layer-table"
LAYER_TABLE_BODY = "layer-table-body"
LAYER_TABLE_SUMMARY = "layer-table-summary"
LAYER_PARAM_MSG = "layer-param-msg"  # what is wrong with a typed parameter, beside its field
PANEL_SUBJECT = "panel-subject"  # which unit the district panel shows (inside the panel)


def layer_id(kind: str, layer: Any) -> dict[str, Any]:
    return {"type": kind, "layer": layer}


def param_id(layer: Any, param: Any) -> dict[str, Any]:
    return {"type": LAYER_PARAM, "layer": layer, "param": param}


def param_msg_id(layer: Any, param: Any) -> dict[str, Any]:
    return {"type": LAYER_PARAM_MSG, "layer": layer, "param": param}


FORECAST_GRAPH = "forecast-graph"
FORECAST_SUMMARY = "forecast-summary"
FORECAST_CARD = "forecast-card"
FORECAST_POLL = "forecast-poll"

# a layer's table linked with the map (dashboard.linking)
LAYER_GRID = "layer-grid"  # the table grid in a layer's panel: {type, layer, variant}
EMBED_GRID = "embed-grid"  # the same in /embed
HIGHLIGHT = "highlight"  # the selected feature's outline on the map
HIGHLIGHT_HALO = "highlight-halo"  # its white halo underneath (visible on any colour)
SELECTION = "selection"  # which feature is selected: {layer, variant, key}
VIEWPORT = "viewport-request"  # where a chosen row asks the map to fly (allmendeLink.viewport)


def grid_id(kind: str, layer: Any, variant: Any) -> dict[str, Any]:
    return {"type": kind, "layer": layer, "variant": variant}


# draw to assess (dashboard.drawn_plans, dashboard.callbacks.drawn_plans)
DRAW_STORE = "draw-store"  # the session's plans (storage_type="session")
DRAW_PAGE = "draw-page"  # this page view's token
DRAW_REDRAW = "draw-redraw"  # how often the drawing tool was drawn anew in this view
DRAW_HOLDER = "draw-holder"  # the layer group holding the drawing tool
DRAW_GROUP = "draw-group"  # pattern: {type, n}
DRAW_CONTROL = "draw-control"  # pattern: {type, n}
DRAW_OVERLAY = "draw-overlay"  # the current plan's conflicts and the plans not in the tool
DRAW_NAME = "draw-name"
DRAW_USE = "draw-use"
DRAW_DWELLINGS = "draw-dwellings"
DRAW_UPLOAD = "draw-upload"
DRAW_MESSAGE = "draw-message"
DRAW_LIST = "draw-list"
DRAW_RESULT = "draw-result"
DRAW_FORM = "draw-form"
DRAW_EXPORT = "draw-export"
DRAW_DOWNLOAD = "draw-download"
DRAW_PICK = "draw-pick"  # pattern: {type, plan}
DRAW_DELETE = "draw-delete"  # pattern: {type, plan}

# the scenario page (dashboard/pages/scenario_page.py)
NAV_SCENARIO = "nav-scenario"
SCN_STORE = "scn-store"
SCN_FROM_LINK = "scn-from-link"
SCN_URL_SYNC = "scn-url-sync"
SCN_SLOT = "scn-slot"
SCN_NAME = "scn-name"
SCN_HORIZON = "scn-horizon"
SCN_WARMING = "scn-warming"
SCN_KIND = "scn-kind"
SCN_DISTRICTS = "scn-districts"
SCN_PLAN = "scn-plan"
SCN_AMOUNT = "scn-amount"
SCN_CROWN = "scn-crown"
SCN_ADD = "scn-add"
SCN_LIST = "scn-list"
SCN_REMOVE = "scn-remove"
SCN_CLEAR = "scn-clear"
SCN_SWAP = "scn-swap"
SCN_UPLOAD = "scn-upload"
SCN_EXPORT_A = "scn-export-a"
SCN_EXPORT_B = "scn-export-b"
SCN_DOWNLOAD = "scn-download"
SCN_MESSAGE = "scn-message"
SCN_STATUS = "scn-status"
SCN_POLL = "scn-poll"
SCN_MODE = "scn-mode"
SCN_MAPS = "scn-maps"
SCN_MAP_A = "scn-map-a"
SCN_MAP_B = "scn-map-b"
SCN_LABEL_A = "scn-label-a"
SCN_LABEL_B = "scn-label-b"
SCN_IMG_A = "scn-img-a"
SCN_IMG_UNDER = "scn-img-under"
SCN_IMG_B = "scn-img-b"
SCN_IMG_DIFF = "scn-img-diff"
SCN_OUTLINE = "scn-outline"
SCN_SWIPE = "scn-swipe"
SCN_LEGEND = "scn-legend"
SCN_KPIS = "scn-kpis"
SCN_KPI_TABLE = "scn-kpi-table"
SCN_GRID = "scn-grid"
SCN_CELLS = "scn-cells"
SCN_MODEL_CARD = "scn-model-card"
SCN_LINK_NOTE = "scn-link-note"
SCN_ON_MAP = "scn-on-map"
SCN_ON_MAP_IMG = "scn-on-map-img"
SCN_ON_MAP_NOTE = "scn-on-map-note"
SCN_ON_MAP_LEGEND = "scn-on-map-legend"
SCN_ON_MAP_STATE = "scn-on-map-state"
