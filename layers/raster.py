"""Turn a gridded variable in a metric CRS into a PNG that Leaflet can lay over the map.

Leaflet stretches an ``ImageOverlay`` linearly between two lat/lon corners in Web Mercator.
A grid in, say, EPSG:25832 is not aligned with that, so each output pixel is mapped back
into the grid's CRS with pyproj and sampled (nearest neighbour). Cells that are missing or
below the first break are transparent.
"""

from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
import xarray as xr
from PIL import Image
from pyproj import CRS, Transformer

from layers.classify import rgb_tuple

WEB_MERCATOR = "EPSG:3857"


def warp_to_mercator(
    values: xr.DataArray, crs: CRS, scale: float = 2.0
) -> tuple[np.ndarray, tuple[tuple[float, float], tuple[float, float]]]:
    """Resample a (y, x) grid onto a Web-Mercator-aligned array.

    Returns the array (north-up, NaN outside the grid) and its bounds ``((s, w), (n, e))``
    in degrees. ``scale`` is output pixels per grid cell along each axis. Which grid cell
    each output pixel shows depends on the grid's coordinates and CRS only: that is worked
    out once per grid (:func:`_warp_plan`), so another field on the same grid (a scenario's
    temperature) costs one indexing step.
    """
    x = np.ascontiguousarray(values["x"].to_numpy(), dtype=float)
    y = np.ascontiguousarray(values["y"].to_numpy(), dtype=float)
    inside, iy, ix, shape, bounds = _warp_plan(x.tobytes(), y.tobytes(), crs.to_wkt(), scale)
    data = values.transpose("y", "x").to_numpy().astype(float)
    out = np.full(shape, np.nan)
    out[inside] = data[iy, ix]
    return out, bounds


@lru_cache(maxsize=16)
def _warp_plan(
    x_bytes: bytes, y_bytes: bytes, crs_wkt: str, scale: float
) -> tuple[
    np.ndarray,
    np.ndarray,
    np.ndarray,
    tuple[int, int],
    tuple[tuple[float, float], tuple[float, float]],
]:
    """For a grid (its x and y coordinates as bytes, its CRS): the output pixels inside the
    grid, the grid row and column each shows, the output shape and the bounds in degrees."""
    x = np.frombuffer(x_bytes, dtype=float)
    y = np.frombuffer(y_bytes, dtype=float)
    crs = CRS.from_wkt(crs_wkt)
    dx = float(abs(x[1] - x[0])) if x.size > 1 else 1.0
    dy = float(abs(y[1] - y[0])) if y.size > 1 else 1.0
    to_merc = Transformer.from_crs(crs, WEB_MERCATOR, always_xy=True)
    to_grid = Transformer.from_crs(WEB_MERCATOR, crs, always_xy=True)
    to_wgs = Transformer.from_crs(WEB_MERCATOR, "EPSG:4326", always_xy=True)
    # the grid's outline, densified, in Mercator
    xs = np.concatenate(
        [
            np.linspace(x.min(), x.max(), 50),
            np.full(50, x.max()),
            np.linspace(x.max(), x.min(), 50),
            np.full(50, x.min()),
        ]
    )
    ys = np.concatenate(
        [
            np.full(50, y.min()),
            np.linspace(y.min(), y.max(), 50),
            np.full(50, y.max()),
            np.linspace(y.max(), y.min(), 50),
        ]
    )
    mx, my = to_merc.transform(xs, ys)
    west, east, south, north = mx.min() - dx, mx.max() + dx, my.min() - dy, my.max() + dy
    width = int(np.ceil(x.size * scale))
    height = int(np.ceil(y.size * scale))
    col_m = west + (np.arange(width) + 0.5) * (east - west) / width
    row_m = north - (np.arange(height) + 0.5) * (north - south) / height
    gx, gy = to_grid.transform(*np.meshgrid(col_m, row_m))
    ix = np.rint((gx - x[0]) / (x[1] - x[0] if x.size > 1 else 1)).astype(int)
    iy = np.rint((gy - y[0]) / (y[1] - y[0] if y.size > 1 else 1)).astype(int)
    inside = (ix >= 0) & (ix < x.size) & (iy >= 0) & (iy < y.size)
    (w_deg, e_deg), (s_deg, n_deg) = to_wgs.transform([west, east], [south, north])
    for part in (inside, iy, ix):
        part.setflags(write=False)
    bounds = ((float(s_deg), float(w_deg)), (float(n_deg), float(e_deg)))
    return inside, iy[inside], ix[inside], (height, width), bounds


def colorize_png(array: np.ndarray, breaks: list[float], colors: list[str], floor: float) -> bytes:
    """Colour ``array`` by class (value <= breaks[i] gets colors[i]); <= ``floor`` or NaN is clear."""
    rgba = np.zeros((*array.shape, 4), dtype=np.uint8)
    finite = np.isfinite(array) & (array > floor)
    idx = np.searchsorted(np.asarray(breaks), np.where(finite, array, 0), side="left")
    idx = np.clip(idx, 0, len(colors) - 1)
    lut = np.array([(*rgb_tuple(c), 255) for c in colors], dtype=np.uint8)
    rgba[finite] = lut[idx[finite]]
    buf = io.BytesIO()
    Image.fromarray(rgba, mode="RGBA").save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def colorize_continuous(array: np.ndarray, vmax: float, ramp: str, floor: float = 0.02) -> bytes:
    """A smooth heatmap PNG: colour and opacity rise with ``array / vmax``.

    Values at or below ``floor`` (as a share of ``vmax``) and NaN are transparent; opacity
    grows with the square root of the share so faint areas stay visible but light.
    """
    share = np.clip(np.nan_to_num(array / vmax if vmax > 0 else array * 0.0), 0.0, 1.0)
    lut = _lut(ramp)
    idx = np.rint(share * 255).astype(int)
    rgba = np.zeros((*array.shape, 4), dtype=np.uint8)
    rgba[..., :3] = lut[idx]
    alpha = np.where(share > floor, 60 + 190 * np.sqrt(share), 0)
    rgba[..., 3] = alpha.astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(rgba, mode="RGBA").save(buf, format="PNG", compress_level=6)
    return buf.getvalue()


def colorize_scale(array: np.ndarray, vmin: float, vmax: float, ramp: str) -> bytes:
    """An opaque continuous colour scale from ``vmin`` to ``vmax`` (clipped); NaN is clear."""
    span = vmax - vmin if vmax > vmin else 1.0
    finite = np.isfinite(array)
    share = np.clip(np.where(finite, (array - vmin) / span, 0.0), 0.0, 1.0)
    rgba = np.zeros((*array.shape, 4), dtype=np.uint8)
    rgba[..., :3] = _lut(ramp)[np.rint(share * 255).astype(int)]
    rgba[..., 3] = np.where(finite, 255, 0).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(rgba, mode="RGBA").save(buf, format="PNG", compress_level=6)
    return buf.getvalue()


def ramp_color(ramp: str, share: float) -> str:
    """The hex colour at ``share`` (0–1) of a ramp, as :func:`colorize_scale` paints it."""
    r, g, b = _lut(ramp)[int(np.rint(np.clip(share, 0.0, 1.0) * 255))]
    return f"#{int(r):02x}{int(g):02x}{int(b):02x}"


def ramp_css(ramp: str, steps: int = 11) -> str:
    """The ramp as a CSS ``linear-gradient`` (legends: the colours the pictures are painted
    with)."""
    stops = ", ".join(ramp_color(ramp, i / (steps - 1)) for i in range(steps))
    return f"linear-gradient(to right, {stops})"


@lru_cache(maxsize=16)
def _lut(ramp: str) -> np.ndarray:
    """256 RGB colours sampled from a plotly colour scale."""
    from plotly.colors import sample_colorscale

    colors = sample_colorscale(ramp, list(np.linspace(0.0, 1.0, 256)))
    return np.array([rgb_tuple(c) for c in colors], dtype=np.uint8)
