"""Whether a person sees something: the one helper every browser test uses to look.

An element is *seen* when

* it has a box of non-zero width and height, of which at least ``min_px`` pixels in each
  direction lie inside the viewport,
* nothing hides it: neither it nor an ancestor has ``display: none``, ``visibility:
  hidden`` / ``collapse``, ``opacity: 0`` or ``content-visibility: hidden``, and the
  topmost element at the centre of its visible part is the element itself or inside it
  (nothing covers it),
* and, for a map (``shapes=`` given), at least one drawn shape or marker of that selector
  has a box that overlaps the map's visible box.

Counting elements is not enough: a Leaflet map zero pixels tall still holds all its
shapes. :func:`look` returns the measurements and the first reason it is not seen, so a
failing test says *why* (``"height 0"``, ``"covered by div.al-panel"``, ...).

Everything is measured in one script in the page, so Leaflet cannot redraw between reads.
"""

from __future__ import annotations

import time
from typing import Any

LOOK = r"""
const sel = arguments[0], shapesSel = arguments[1], minPx = arguments[2];
const el = document.querySelector(sel);
if (!el) { return {seen: false, reason: "no element matches " + sel}; }
const vw = window.innerWidth, vh = window.innerHeight;
const r = el.getBoundingClientRect();
const out = {x: r.left, y: r.top, width: r.width, height: r.height, viewport: [vw, vh],
             shapes: 0, seen: false, reason: null};
function describe(n) {
  if (!n || !n.tagName) { return String(n); }
  let s = n.tagName.toLowerCase();
  if (n.id) { s += "#" + n.id; }
  const c = (n.getAttribute("class") || "").trim().split(/\s+/).filter(Boolean).slice(0, 2);
  if (c.length) { s += "." + c.join("."); }
  return s;
}
if (r.width < 1) { out.reason = "width " + r.width; return out; }
if (r.height < 1) { out.reason = "height " + r.height; return out; }
for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
  const cs = getComputedStyle(n);
  if (cs.display === "none") { out.reason = describe(n) + " has display: none"; return out; }
  if (cs.visibility === "hidden" || cs.visibility === "collapse") {
    out.reason = describe(n) + " has visibility: " + cs.visibility; return out;
  }
  if (parseFloat(cs.opacity) === 0) { out.reason = describe(n) + " has opacity 0"; return out; }
  if (cs.contentVisibility === "hidden") { out.reason = describe(n) + " has content-visibility: hidden"; return out; }
}
const left = Math.max(r.left, 0), top = Math.max(r.top, 0);
const right = Math.min(r.right, vw), bottom = Math.min(r.bottom, vh);
const w = right - left, h = bottom - top;
out.visible = [left, top, w, h];
if (w < minPx || h < minPx) {
  out.reason = "only " + Math.max(0, Math.round(w)) + " x " + Math.max(0, Math.round(h)) +
               " px inside the " + vw + " x " + vh + " viewport";
  return out;
}
const px = left + w / 2, py = top + h / 2;
const hit = document.elementFromPoint(px, py);
if (hit && hit !== el && !el.contains(hit)) {
  out.reason = "covered by " + describe(hit) + " at (" + Math.round(px) + ", " + Math.round(py) + ")";
  return out;
}
if (shapesSel) {
  let n = 0;
  document.querySelectorAll(shapesSel).forEach(function (s) {
    const b = s.getBoundingClientRect();
    if (b.width <= 0 && b.height <= 0) { return; }
    if (b.right > left && b.left < right && b.bottom > top && b.top < bottom) { n += 1; }
  });
  out.shapes = n;
  if (n === 0) { out.reason = "no shape (" + shapesSel + ") lies inside its visible box"; return out; }
}
out.seen = true;
return out;
"""


def look(driver: Any, selector: str, shapes: str | None = None, min_px: int = 20) -> dict[str, Any]:
    """Measure whether the first element matching ``selector`` is seen (see the module doc)."""
    return dict(driver.execute_script(LOOK, selector, shapes, min_px))


def is_seen(driver: Any, selector: str, shapes: str | None = None, min_px: int = 20) -> bool:
    return bool(look(driver, selector, shapes, min_px)["seen"])


def wait_seen(
    driver: Any,
    selector: str,
    shapes: str | None = None,
    timeout: float = 20.0,
    min_px: int = 20,
) -> dict[str, Any]:
    """Wait until the element is seen; fail with the last reason why it was not."""
    end = time.time() + timeout
    last: dict[str, Any] = {}
    while True:
        last = look(driver, selector, shapes, min_px)
        if last["seen"]:
            return last
        if time.time() > end:
            raise AssertionError(f"{selector} is not seen: {last.get('reason')} ({last})")
        time.sleep(0.2)


def assert_not_seen(driver: Any, selector: str, min_px: int = 1) -> None:
    state = look(driver, selector, None, min_px)
    assert not state["seen"], f"{selector} is seen but should not be: {state}"


def no_sideways_scroll(driver: Any) -> tuple[int, int]:
    """(document width, viewport width): the page must not be wider than the window."""
    width, view = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return int(width), int(view)


def set_viewport(driver: Any, width: int, height: int) -> None:
    """Give the page exactly ``width`` x ``height`` CSS pixels (headless window chrome aside)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def reset_viewport(driver: Any) -> None:
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
