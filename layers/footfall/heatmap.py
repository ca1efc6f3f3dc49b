"""Footfall heatmap: where are people on foot, and when? Pedestrians per hour, smoothed.

For a window (date range, hours of the day, day type) each counting site's mean hourly count
is spread with a Gaussian kernel (σ = ``SIGMA_M`` metres) on a ``CELL_M`` grid in the pack's
metric CRS and rendered as a PNG overlay. A pixel shows the strongest of the sites' smoothed
counts (not their sum: ten sites along one street are not ten times the people), so at a
site the picture shows that site's count and the legend reads in pedestrians per hour.

σ is wide enough to be read at the city-wide default view (250 m: a lone site is a patch
about 1 km across, some 40 screen pixels at zoom 12), and the colours follow the square root
of the share of the peak, from a visible orange up, so that quieter sites still show (see
:func:`colorize`). The kernel matrix and the per-site cube are built once per pack; a frame
is one pass over it and a PNG encoding, cached per window.
The play button steps the ``hour`` parameter through 0–23 (one frame per hour).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from PIL import Image
from plotly.colors import sample_colorscale
from pyproj import CRS, Transformer

from data.pack import CityPack
from layers import fmt, tables, themes
from layers.base import Layer, LayerData, LayerStyle, LayerTable, Legend, LegendEntry, TableColumn
from layers.classify import rgb_tuple
from layers.footfall.cube import cube, hourly_means
from layers.footfall.sites import TITLE as SITES_TITLE
from layers.params import Param
from layers.texts import tr

SIGMA_M = 250.0
CELL_M = 20.0
MARGIN_M = 3.0 * SIGMA_M  # the kernel has faded below 2 % of a site's peak at the edge
RAMP = "Inferno_r"
RAMP_SPAN = (0.22, 0.92)  # the part of the ramp used: no near-white low end, no black top
FADE = 0.03  # shares of the peak below this fade out (no hard edge)
ALL_HOURS = -1

DAY_TYPE_CHOICES = (
    ("all", {"de": "Alle Tage", "en": "All days"}),
    ("weekday", {"de": "Werktage (Mo–Fr)", "en": "Weekdays (Mon–Fri)"}),
    ("saturday", {"de": "Samstage", "en": "Saturdays"}),
    ("sunday_holiday", {"de": "Sonn- und Feiertage", "en": "Sundays and holidays"}),
)
PARAMS = (
    Param("date_from", {"de": "Von (Datum)", "en": "From (date)"}, "date", None),
    Param("date_to", {"de": "Bis (Datum)", "en": "To (date)"}, "date", None),
    Param("days", {"de": "Tagesart", "en": "Day type"}, "choice", "all", choices=DAY_TYPE_CHOICES),
    Param(
        "hours",
        {"de": "Tageszeit (Stunden)", "en": "Time of day (hours)"},
        "int_range",
        [0, 23],
        min=0,
        max=23,
    ),
    Param(
        "hour",
        {"de": "Stunde (Wiedergabe; −1 = alle)", "en": "Hour (playback; −1 = all)"},
        "int",
        ALL_HOURS,
        min=ALL_HOURS,
        max=23,
        step=1,
    ),
)
TITLE = {"de": "Fußverkehr: Heatmap", "en": "Footfall: heatmap"}
UNIT = {"de": "Passanten je Stunde, geglättet", "en": "pedestrians per hour, smoothed"}


@dataclass(frozen=True)
class Kernel:
    """Gaussian weights from each site to each pixel of the (Web-Mercator-aligned) image."""

    weights: np.ndarray  # [height * width, n_sites]
    shape: tuple[int, int]  # (height, width)
    bounds: tuple[tuple[float, float], tuple[float, float]]  # ((s, w), (n, e)) in degrees


@lru_cache(maxsize=4)
def kernel(pack: CityPack) -> Kernel:
    """Pixels laid out in Web Mercator (as Leaflet stretches the image), distances measured in
    the pack's metric CRS. Built once per pack: a frame is then one matrix–vector product."""
    c = cube(pack)
    crs = CRS.from_user_input(pack.city.metric_crs)
    to_metric = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    to_merc = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    merc_to_metric = Transformer.from_crs("EPSG:3857", crs, always_xy=True)
    merc_to_wgs = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)
    sx, sy = (np.asarray(v) for v in to_metric.transform(c.lon, c.lat))
    mx, my = (np.asarray(v) for v in to_merc.transform(c.lon, c.lat))
    scale = 1.0 / np.cos(np.radians(float(np.mean(c.lat))))  # Mercator metres per metre
    pad = MARGIN_M * scale
    west, east = mx.min() - pad, mx.max() + pad
    south, north = my.min() - pad, my.max() + pad
    step = CELL_M * scale
    width, height = int(np.ceil((east - west) / step)), int(np.ceil((north - south) / step))
    cols = west + (np.arange(width) + 0.5) * (east - west) / width
    rows = north - (np.arange(height) + 0.5) * (north - south) / height
    gx, gy = merc_to_metric.transform(*np.meshgrid(cols, rows))
    d2 = (np.ravel(gx)[:, None] - sx) ** 2 + (np.ravel(gy)[:, None] - sy) ** 2
    weights = np.exp(-d2 / (2 * SIGMA_M**2)).astype(np.float32)
    (w_deg, e_deg), (s_deg, n_deg) = merc_to_wgs.transform([west, east], [south, north])
    bounds = ((float(s_deg), float(w_deg)), (float(n_deg), float(e_deg)))
    return Kernel(weights, (height, width), bounds)


def window_key(params: Mapping[str, Any]) -> tuple[Any, ...]:
    return (params["date_from"], params["date_to"], params["days"], tuple(params["hours"]))


@lru_cache(maxsize=64)
def _window(pack: CityPack, key: tuple[Any, ...]) -> tuple[np.ndarray, float]:
    """Per-hour site means [24, n_sites] for the window and the colour scale maximum."""
    date_from, date_to, days, (h0, h1) = key
    means = hourly_means(cube(pack), date_from, date_to, days)
    in_range = np.nan_to_num(means[h0 : h1 + 1])
    # the picture's maximum is the busiest site's busiest hour (see surface)
    vmax = float(np.max(in_range)) if in_range.size else 0.0
    return means, vmax


def site_values(pack: CityPack, params: Mapping[str, Any]) -> np.ndarray:
    """Mean pedestrians per hour at each site for the window (and the playback hour)."""
    means, _ = _window(pack, window_key(params))
    h0, h1 = params["hours"]
    hour = params["hour"]
    rows = means[[hour]] if hour != ALL_HOURS else means[h0 : h1 + 1]
    with warnings.catch_warnings():  # a site without data in the window stays NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.asarray(np.nanmean(rows, axis=0))


def frame_values(pack: CityPack, key: tuple[Any, ...], hour: int) -> np.ndarray:
    """The per-site values a frame is drawn from: :func:`site_values`, with a site that has
    no count at all in the window drawing nothing (0)."""
    means, _ = _window(pack, key)
    h0, h1 = key[3]
    rows = means[[hour]] if hour != ALL_HOURS else means[h0 : h1 + 1]
    # hours without a count are left out of a site's mean, never read as zero (the same
    # numbers as the layer's table)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nan_to_num(np.nanmean(rows, axis=0)).astype(np.float32)


@lru_cache(maxsize=256)
def _frame(pack: CityPack, key: tuple[Any, ...], hour: int) -> LayerData:
    _, vmax = _window(pack, key)
    values = frame_values(pack, key, hour)
    k = kernel(pack)
    return LayerData(image_png=colorize(surface(k, values), vmax), bounds=k.bounds)


def surface(k: Kernel, values: np.ndarray, chunk: int = 65_536) -> np.ndarray:
    """Per pixel the strongest smoothed site count: max over sites of weight × value (in
    chunks of pixels, so many sites do not need a second matrix of the kernel's size)."""
    out = np.zeros(k.weights.shape[0], dtype=np.float32)
    if values.size:
        for start in range(0, out.size, chunk):
            block = k.weights[start : start + chunk]
            out[start : start + chunk] = (block * values[None, :]).max(axis=1)
    return out.reshape(k.shape)


def ramp_position(share: np.ndarray | float) -> np.ndarray:
    """Where a share of the peak (0–1) sits on the colour ramp: its square root, so a site
    with a tenth of the peak's people is a third of the way up, not lost in the lightest
    colour."""
    return np.sqrt(np.clip(np.asarray(share, dtype=float), 0.0, 1.0))


@lru_cache(maxsize=1)
def _lut() -> np.ndarray:
    """256 RGB colours of the used part of the ramp (index = ramp position × 255)."""
    lo, hi = RAMP_SPAN
    colors = sample_colorscale(RAMP, list(np.linspace(lo, hi, 256)))
    return np.array([rgb_tuple(c) for c in colors], dtype=np.uint8)


def ramp_hex(position: float) -> str:
    """The colour the picture gives a ramp position (0–1)."""
    r, g, b = _lut()[int(np.rint(np.clip(position, 0.0, 1.0) * 255))]
    return f"#{int(r):02x}{int(g):02x}{int(b):02x}"


def colorize(surface: np.ndarray, vmax: float) -> bytes:
    """The heatmap PNG: colour and opacity rise with the ramp position of ``surface / vmax``;
    opacity starts at 130 (of 255) and reaches 255 at the peak, fading out below ``FADE``."""
    share = np.clip(np.nan_to_num(surface / vmax if vmax > 0 else surface * 0.0), 0.0, 1.0)
    pos = ramp_position(share)
    rgba = np.zeros((*surface.shape, 4), dtype=np.uint8)
    rgba[..., :3] = _lut()[np.rint(pos * 255).astype(int)]
    alpha = (130.0 + 125.0 * pos) * np.clip(share / FADE, 0.0, 1.0)
    rgba[..., 3] = np.rint(alpha).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(rgba, mode="RGBA").save(buf, format="PNG", compress_level=6)
    return buf.getvalue()


def image(pack: CityPack, params: Mapping[str, Any]) -> LayerData:
    """The PNG frame for the window and hour (cached)."""
    return _frame(pack, window_key(params), int(params["hour"]))


def build(pack: CityPack, lang: str) -> LayerData:
    return image(pack, {p.name: p.default for p in PARAMS})


def style(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerStyle:
    _, vmax = _window(pack, window_key(params))
    # five colours of the picture's ramp and the values they stand for (position² × peak)
    positions = (0.2, 0.4, 0.6, 0.8, 1.0)
    entries = tuple(
        LegendEntry(ramp_hex(pos), f"{fmt.number(vmax * pos**2, lang)}") for pos in positions
    )
    hour = params["hour"]
    when = (
        f"{hour:02d}:00–{(hour + 1) % 24:02d}:00"
        if hour != ALL_HOURS
        else f"{params['hours'][0]:02d}:00–{params['hours'][1] + 1:02d}:00"
    )
    note = {
        "de": f"Mittel {when} Uhr; Glättung σ = {fmt.number(SIGMA_M, lang)} m. Die Zählstellen "
        f"selbst zeigt die Ebene „{SITES_TITLE['de']}“.",
        "en": f"Mean {when}; smoothing σ = {fmt.number(SIGMA_M, lang)} m. The counting sites "
        f"themselves are in the layer “{SITES_TITLE['en']}”.",
    }
    return LayerStyle(
        hideout={},
        legend=Legend(
            title=tr(TITLE, lang), entries=entries, unit=tr(UNIT, lang), note=tr(note, lang)
        ),
    )


def _when(params: Mapping[str, Any]) -> str:
    hour = params["hour"]
    if hour != ALL_HOURS:
        return f"{hour:02d}:00–{(hour + 1) % 24:02d}:00"
    return f"{params['hours'][0]:02d}:00–{params['hours'][1] + 1:02d}:00"


@tables.cached_table(maxsize=256)
def table(pack: CityPack, params: Mapping[str, Any], lang: str) -> LayerTable:
    """Per counting site: the mean pedestrians per hour for the window (dates, day type, hours
    or the playback hour) — the values the heatmap is smoothed from (:func:`site_values`) —
    and the share of the window's hours without a count at the site."""
    c = cube(pack)
    values = site_values(pack, params)
    mask = c.date_mask(params["date_from"], params["date_to"], params["days"])
    h0, h1 = params["hours"]
    hours = [params["hour"]] if params["hour"] != ALL_HOURS else list(range(h0, h1 + 1))
    window = c.values[mask][:, hours, :]  # [dates, hours, sites]
    # the hour the spring DST switch skips is not a missing count
    skipped = int((c.hours_in_day[mask] < 24).sum()) if 2 in hours else 0
    slots = window.shape[0] * window.shape[1] - skipped
    missing = np.isnan(window).sum(axis=(0, 1)) - skipped
    rows = [
        {
            "site_id": site,
            "name": name,
            "mean_per_hour": tables.num(values[j]),
            "missing": tables.pct(missing[j] / slots) if slots > 0 else None,
        }
        for j, (site, name) in enumerate(zip(c.site_ids, c.names, strict=True))
    ]
    per_hour = {"de": "Passanten je Stunde", "en": "pedestrians per hour"}
    columns = (
        TableColumn("name", tr({"de": "Zählstelle", "en": "Counting site"}, lang), "text"),
        TableColumn(
            "mean_per_hour",
            tr({"de": "Mittel je Stunde", "en": "Mean per hour"}, lang),
            "number",
            tr(per_hour, lang),
        ),
        TableColumn(
            "missing",
            tr({"de": "Stunden ohne Zählung", "en": "Hours without a count"}, lang),
            "percent",
            "%",
            1,
        ),
    )
    days = tr(dict(DAY_TYPE_CHOICES)[params["days"]], lang)
    dates = c.dates[mask]
    period = (
        tr({"de": "{a} bis {b}", "en": "{a} to {b}"}, lang).format(a=dates[0], b=dates[-1])
        if dates.size
        else tr({"de": "keine Tage mit Daten", "en": "no days with data"}, lang)
    )
    n_days = fmt.number(int(dates.size), lang)
    text = {
        "de": "Mittlere Zahl der Passanten je Stunde an jeder Zählstelle — die Werte, aus denen "
        "die Heatmap geglättet wird (Mittel der Stundenmittel; Lücken werden nicht als null "
        f"gezählt). Zeitraum: {period} ({n_days} Tage); Tagesart: {days}; Uhrzeit: "
        f"{_when(params)} Uhr (Ortszeit).",
        "en": "Mean number of pedestrians per hour at each counting site — the values the "
        "heatmap is smoothed from (mean of the hourly means; gaps never count as zero). "
        f"Period: {period} ({n_days} days); day type: {days}; time: {_when(params)} "
        "(local time).",
    }
    summary = tables.high_low_sentence(
        rows,
        "mean_per_hour",
        "name",
        tables.number_text(tr(per_hour, lang), 0, lang),
        lang,
        {
            "de": "Am belebtesten: {hi} ({hi_v}); am ruhigsten: {lo} ({lo_v}).",
            "en": "Busiest: {hi} ({hi_v}); quietest: {lo} ({lo_v}).",
        },
    )
    return LayerTable(
        columns=columns,
        rows=rows,
        caption=tables.caption(pack, lang, tr(text, lang)),
        summary=summary,
        key="site_id",
    )


LAYER = Layer(
    id="footfall-heatmap",
    title=TITLE,
    theme=themes.FOOTFALL,
    panel_order=20,
    description={
        "de": (
            "Zeigt, wo und wann viele Menschen zu Fuß unterwegs sind: die mittlere Zahl der "
            "Passanten je Stunde an den Zählstellen, weich über die Umgebung verteilt. Wählen "
            "Sie Zeitraum, Tagesart und Tageszeit; die Wiedergabe zeigt einen Tag Stunde für Stunde."
        ),
        "en": (
            "Shows where and when many people walk: the mean number of pedestrians per hour "
            "at the counting sites, spread smoothly over their surroundings. Choose the period, "
            "day type and time of day; playback shows one day hour by hour."
        ),
    },
    requires=("footfall_sites", "footfall_counts"),
    render="image",
    build=build,
    style=style,
    params=PARAMS,
    default_on=False,
    default_opacity=0.8,
    image=image,
    playback="hour",
    table=table,
)
