/* Allmende browser functions, referenced from Python as Namespace("allmende", "map")("name").
   Styles read everything from the GeoJSON component's `hideout`, so a restyle sends no geometry. */
window.allmende = Object.assign({}, window.allmende, {
  map: {
    choropleth: function (feature, context) {
      const h = (context && context.hideout) || {};
      const v = feature.properties[h.prop];
      let color = "#bdbdbd";
      if (v !== null && v !== undefined && h.breaks) {
        color = h.colors[h.colors.length - 1];
        for (let i = 0; i < h.breaks.length; i++) {
          if (v <= h.breaks[i]) { color = h.colors[i]; break; }
        }
      }
      const op = h.opacity === undefined ? 0.75 : h.opacity;
      return { fillColor: color, fillOpacity: op, color: "#333333", weight: 1, opacity: Math.min(1, op + 0.2) };
    },
    categorical: function (feature, context) {
      const h = (context && context.hideout) || {};
      const s = (h.styles || {})[String(feature.properties[h.prop])] || {};
      const op = h.opacity === undefined ? 0.75 : h.opacity;
      const fill = s.fill !== false;
      /* an outline-only class (a plan) keeps an invisible fill: its inside takes clicks */
      return {
        color: s.color || "#333333", weight: s.weight || 1, dashArray: s.dashArray || null,
        opacity: Math.min(1, op + 0.2), fill: true, fillColor: s.fillColor || "#bdbdbd",
        fillOpacity: fill ? op : 0
      };
    },
    line: function (feature, context) {
      const h = (context && context.hideout) || {};
      return { color: h.color || "#1f78b4", weight: h.weight || 3, opacity: h.opacity === undefined ? 0.9 : h.opacity };
    },
    outline: function () {
      return { color: "#555555", weight: 1, fill: false, dashArray: "3 3" };
    },
    siteMarker: function (feature, latlng, context) {
      const h = (context && context.hideout) || {};
      const op = h.opacity === undefined ? 0.9 : h.opacity;
      return L.circleMarker(latlng, {
        pane: h.pane || "overlayPane", radius: feature.properties.radius || 6, color: "#ffffff", weight: 2,
        fillColor: h.color || "#08519c", fillOpacity: op
      });
    },
    hvi: function (feature, context) {
      /* index = (w_e*E + w_s*S + w_c*C) / (w_e + w_s + w_c), the same arithmetic as models/hvi.py */
      const h = (context && context.hideout) || {};
      const p = feature.properties;
      const k = h.props || [];
      const w = h.weights || [1, 1, 1];
      const a = p[k[0]], b = p[k[1]], c = p[k[2]];
      let color = "#bdbdbd";
      if (a !== null && a !== undefined && b !== null && b !== undefined && c !== null && c !== undefined && h.breaks) {
        const v = (w[0] * a + w[1] * b + w[2] * c) / (w[0] + w[1] + w[2]);
        color = h.colors[h.colors.length - 1];
        for (let i = 0; i < h.breaks.length; i++) {
          if (v <= h.breaks[i]) { color = h.colors[i]; break; }
        }
      }
      const op = h.opacity === undefined ? 0.75 : h.opacity;
      const grid = p.district_id === undefined;
      return { fillColor: color, fillOpacity: op, color: grid ? color : "#333333", weight: grid ? 0.5 : 1, opacity: Math.min(1, op + 0.2) };
    },
    facilityMarker: function (feature, latlng, context) {
      const h = (context && context.hideout) || {};
      const p = feature.properties;
      const icon = L.divIcon({
        className: "al-fac al-fac-" + (p.shape || "circle"),
        html: '<span style="background:' + p.color + '" aria-hidden="true"><b>' + p.symbol + "</b></span>",
        iconSize: [20, 20], iconAnchor: [10, 10]
      });
      return L.marker(latlng, { icon: icon, pane: h.pane || "markerPane", title: p.label + ": " + p.name, alt: p.label, keyboard: true });
    },
    offlineBase: function (feature) {
      if (feature.properties && feature.properties.role === "outline") {
        return { color: "#444444", weight: 2, fillColor: "#f4f1ea", fillOpacity: 1 };
      }
      if (feature.properties && feature.properties.role === "river") {
        return { color: "#6baed6", weight: 5 };
      }
      return { color: "#9e9e9e", weight: 1, fill: false };
    }
  }
});

/* Playback: step a layer's hour parameter 0..23 once, then stop. Each returns the timer's
   `disabled`, the button's aria-pressed and its label: "⏸ Anhalten" while playing, "▶ Tag
   abspielen" when stopped (labels in the page's language from the button's data-label-*). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  allmendePlay: {
    toggle: function (n, disabled, labelPlay, labelPause) {
      const wasPlaying = !disabled;
      return [wasPlaying, wasPlaying ? "false" : "true", wasPlaying ? labelPlay : labelPause];
    },
    step: function (n, hour, labelPlay, labelPause) {
      const next = (hour === null || hour === undefined || hour < 0) ? 0 : hour + 1;
      if (next > 23) {
        return [23, true, "false", labelPlay];
      }
      return [next, false, "true", labelPause];
    }
  }
});

/* A layer's style store (answered with its legend, dashboard.callbacks.map_layers) hands its
   hideout to the layer's GeoJSON: the map restyles without a request of its own. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  allmendeStyle: {
    hideout: function (style) {
      return style && style.hideout ? style.hideout : window.dash_clientside.no_update;
    },
    /* Start fetching a new page's layer GeoJSON (immutable URLs, see dashboard/geojson.py)
       as soon as the page arrives, while it is drawn and dash-leaflet's GeoJSON code loads:
       its own fetch of the same URL then comes from the browser's cache. */
    prefetch: function (page, urls) {
      (urls || []).forEach(function (url) {
        if (typeof url === "string" && url.indexOf("/layers/") === 0) {
          fetch(url).catch(function () { return null; });
        }
      });
      return window.dash_clientside.no_update;
    }
  }
});

/* Keep the address bar in step with the map without adding history entries. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  allmende: {
    embedCode: function (query, size, clicks, title) {
      /* The iframe snippet for the current view and the chosen frame size ("responsive" or
         "WxH"), attribute values escaped; and the live preview of that frame, scaled to the
         column, loaded only while the section is open (odd number of clicks). */
      const esc = function (v) { return String(v).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;"); };
      const q = (typeof query === "string" && query.startsWith("?")) ? query : "";
      const src = window.location.origin + "/embed" + q;
      const t = esc(title || "Allmende");
      const m = /^(\d{2,4})x(\d{2,4})$/.exec(typeof size === "string" ? size : "");
      let code, w, h;
      if (m) {
        w = parseInt(m[1], 10); h = parseInt(m[2], 10);
        code = '<iframe src="' + esc(src) + '" title="' + t + '" width="' + w + '" height="' + h +
          '" style="border:0;max-width:100%" loading="lazy"></iframe>';
      } else {
        w = 800; h = 600;
        code = '<div style="position:relative;width:100%;height:70vh;min-height:480px;max-height:900px">\n' +
          '  <iframe src="' + esc(src) + '" title="' + t + '" style="position:absolute;inset:0;width:100%;height:100%;border:0" loading="lazy"></iframe>\n</div>';
      }
      const open = typeof clicks === "number" && clicks % 2 === 1;
      const box = document.getElementById("embed-preview-box");
      const room = (box && box.parentElement && box.parentElement.clientWidth) || 260;
      const scale = Math.min(1, room / w);
      const frameStyle = { width: w + "px", height: h + "px", border: "0", transform: "scale(" + scale + ")" };
      const boxStyle = open ? { width: Math.round(w * scale) + "px", height: Math.round(h * scale) + "px" } : { display: "none" };
      return [code, open ? src : null, frameStyle, boxStyle];
    },
    replaceUrl: function (query) {
      if (typeof query === "string" && query.startsWith("?") && window.location.search !== query) {
        window.history.replaceState(null, "", window.location.pathname + query);
      }
      return window.dash_clientside.no_update;
    }
  }
});

/* Accessibility repairs (WCAG 2.1 AA / BITV 2.0) for markup the page does not write itself.
   - Dash 4 draws RadioItems and Checklist as role="listbox" with role="option" labels around
     native inputs: interactive controls nested in interactive controls. The native radio
     buttons and check boxes already say what they are (their fieldset names the group), so
     the listbox roles are removed.
   - Dash sliders take no aria-* props: a wrapper's data-a11y-* attributes name the slider
     handles and their number inputs (see dashboard/components.py slider_group).
   - Leaflet makes the map container focusable: a wrapper's data-map-* attributes give it a
     role, a name and a keyboard hint (see dashboard/pages/map_page.py map_frame), and name
     the zoom buttons in the page's language.
   A MutationObserver repeats the repairs whenever Dash or Leaflet redraws. */
window.allmende = Object.assign({}, window.allmende, {
  a11y: (function () {
    function set(el, name, value) {
      if (value && el.getAttribute(name) !== value) { el.setAttribute(name, value); }
    }
    function unset(el, name) {
      if (el.hasAttribute(name)) { el.removeAttribute(name); }
    }
    function optionLists(root) {
      root.querySelectorAll('.dash-options-list[role="listbox"]').forEach(function (el) { unset(el, "role"); });
      root.querySelectorAll(".dash-options-list-option[role], .dash-options-list-option[aria-selected]")
        .forEach(function (el) { unset(el, "role"); unset(el, "aria-selected"); });
    }
    function sliders(root) {
      root.querySelectorAll("[data-a11y-label]").forEach(function (group) {
        const name = group.getAttribute("data-a11y-label");
        const from = name + ", " + group.getAttribute("data-a11y-from");
        const to = name + ", " + group.getAttribute("data-a11y-to");
        const thumbs = group.querySelectorAll('[role="slider"]');
        thumbs.forEach(function (el, i) {
          set(el, "aria-label", thumbs.length > 1 ? (i === 0 ? from : to) : name);
        });
        group.querySelectorAll("input.dash-range-slider-input").forEach(function (el) {
          const range = thumbs.length > 1;
          set(el, "aria-label", !range ? name : (el.classList.contains("dash-range-slider-min-input") ? from : to));
        });
      });
    }
    function maps(root) {
      root.querySelectorAll("[data-map-label]").forEach(function (frame) {
        const map = frame.querySelector(".leaflet-container");
        if (!map) { return; }
        set(map, "role", "region");
        set(map, "aria-label", frame.getAttribute("data-map-label"));
        set(map, "aria-roledescription", frame.getAttribute("data-map-roledescription"));
        set(map, "aria-describedby", frame.getAttribute("data-map-describedby"));
        [["in", ".leaflet-control-zoom-in"], ["out", ".leaflet-control-zoom-out"]].forEach(function (z) {
          const label = frame.getAttribute("data-map-zoom-" + z[0]);
          frame.querySelectorAll(z[1]).forEach(function (el) { set(el, "title", label); set(el, "aria-label", label); });
        });
        /* Leaflet's own credit link: its title is English on every page */
        frame.querySelectorAll('.leaflet-control-attribution a[href="https://leafletjs.com"]')
          .forEach(function (el) { set(el, "lang", "en"); });
      });
    }
    function repair() {
      const root = document.body;
      if (!root) { return; }
      optionLists(root);
      sliders(root);
      maps(root);
    }
    let queued = false;
    function schedule() {
      if (queued) { return; }
      queued = true;
      Promise.resolve().then(function () { queued = false; repair(); });
    }
    if (typeof MutationObserver !== "undefined") {
      new MutationObserver(schedule).observe(document.documentElement, {
        childList: true, subtree: true, attributes: true,
        attributeFilter: ["role", "aria-selected", "aria-label", "title"]
      });
    }
    document.addEventListener("DOMContentLoaded", repair);
    return { repair: repair };
  })()
});

/* Reduced motion: people who asked their system for less motion get a map that jumps
   instead of gliding (no zoom, fade or pan animation, no inertia). CSS stops the rest
   (allmende.css). */
(function () {
  function calm() {
    if (!window.L || !L.Map || L.Map.__allmendeCalm) { return Boolean(window.L && L.Map); }
    L.Map.__allmendeCalm = true;
    L.Map.mergeOptions({ zoomAnimation: false, fadeAnimation: false, markerZoomAnimation: false, inertia: false });
    const panBy = L.Map.prototype.panBy;
    L.Map.prototype.panBy = function (offset, options) {
      return panBy.call(this, offset, Object.assign({}, options, { animate: false }));
    };
    return true;
  }
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    if (!calm()) { document.addEventListener("DOMContentLoaded", calm); }
  }
})();

/* The tile-free base map with non-text contrast ≥ 3:1 (WCAG 1.4.11) against its fill
   (#f4f1ea inside the city, #dfe6e9 around it): district borders #767676 instead of #9e9e9e,
   the river #3182bd instead of #6baed6. Used by the map page; offlineBase stays as it was.
   tests/browser/test_a11y.py computes these ratios. */
window.allmende.map.offlineBaseContrast = function (feature) {
  const role = feature.properties && feature.properties.role;
  if (role === "outline") {
    return { color: "#444444", weight: 2, fillColor: "#f4f1ea", fillOpacity: 1 };
  }
  if (role === "river") {
    return { color: "#3182bd", weight: 4 };
  }
  return { color: "#767676", weight: 1, fill: false };
};

/* Drawers (map page below 1100 px, the embed's explanation on narrow frames) and the on-map
   legend. A button with data-al-toggle opens the element it controls (data-open) and moves
   the focus into it; its close button, Escape, or the button again close it and give the
   focus back. Buttons of one data-al-group open one drawer at a time. The on-map legend
   (data-collapse-below) starts closed on frames narrower than that. */
window.allmende = Object.assign({}, window.allmende, {
  drawers: (function () {
    function toggles(id) {
      return Array.from(document.querySelectorAll('[data-al-toggle="' + id + '"]'));
    }
    function setOpen(id, open, focus) {
      const el = document.getElementById(id);
      if (!el) { return; }
      if (open) { el.setAttribute("data-open", ""); } else { el.removeAttribute("data-open"); }
      toggles(id).forEach(function (b) { b.setAttribute("aria-expanded", open ? "true" : "false"); });
      if (open && focus) {
        const target = el.querySelector("h2[tabindex], [data-al-focus]") || el;
        if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
        target.focus({ preventScroll: true });
      } else if (!open && focus) {
        const b = toggles(id).find(function (x) { return x.offsetParent !== null; });
        if (b) { b.focus(); }
      }
    }
    function closeGroup(group, except) {
      document.querySelectorAll('[data-al-group="' + group + '"][aria-expanded="true"]').forEach(function (b) {
        const id = b.getAttribute("data-al-toggle");
        if (id !== except) { setOpen(id, false, false); }
      });
    }
    document.addEventListener("click", function (e) {
      const t = e.target && e.target.closest ? e.target.closest("[data-al-toggle], [data-al-close]") : null;
      if (!t) { return; }
      if (t.hasAttribute("data-al-close")) { setOpen(t.getAttribute("data-al-close"), false, true); return; }
      const id = t.getAttribute("data-al-toggle");
      const open = t.getAttribute("aria-expanded") !== "true";
      if (open) { closeGroup(t.getAttribute("data-al-group"), id); }
      setOpen(id, open, true);
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") { return; }
      const open = Array.from(document.querySelectorAll("[data-open]")).filter(function (el) {
        return getComputedStyle(el).position === "absolute";  /* only while it is a drawer */
      });
      if (!open.length) { return; }
      const inside = open.find(function (el) { return el.contains(document.activeElement); }) || open[open.length - 1];
      setOpen(inside.id, false, true);
    });
    function legends() {
      document.querySelectorAll("details[data-collapse-below]:not([data-al-init])").forEach(function (d) {
        d.setAttribute("data-al-init", "");
        const below = parseInt(d.getAttribute("data-collapse-below"), 10) || 0;
        const frame = d.parentElement;
        const width = (frame && frame.clientWidth) || window.innerWidth;
        if (width < below || window.innerHeight < 560) { d.removeAttribute("open"); }
      });
    }
    if (typeof MutationObserver !== "undefined") {
      new MutationObserver(legends).observe(document.documentElement, { childList: true, subtree: true });
    }
    document.addEventListener("DOMContentLoaded", legends);
    return { setOpen: setOpen };
  })()
});

/* One hover tooltip at a time. While the map is dragged Leaflet sends no mouseout to the
   shape under the pointer, so its tooltip stayed open beside the next one ("stale second
   tooltip"). A hover tooltip that opens closes every other hover tooltip of its map, and a
   drag closes them all; permanent tooltips are left alone. */
(function () {
  function hoverTooltips(map, except) {
    const out = [];
    map.eachLayer(function (l) {
      if (l !== except && l instanceof L.Tooltip && !(l.options && l.options.permanent)) { out.push(l); }
    });
    return out;
  }
  function install() {
    if (!window.L || !L.Tooltip || !L.Map) { return false; }
    if (L.Tooltip.__allmendeSingle) { return true; }
    L.Tooltip.__allmendeSingle = true;
    const onAdd = L.Tooltip.prototype.onAdd;
    L.Tooltip.prototype.onAdd = function (map) {
      if (!(this.options && this.options.permanent)) {
        hoverTooltips(map, this).forEach(function (l) { map.removeLayer(l); });
      }
      return onAdd.call(this, map);
    };
    L.Map.addInitHook(function () {
      this.on("dragstart", function () {
        const map = this;
        hoverTooltips(map, null).forEach(function (l) { map.removeLayer(l); });
      });
    });
    return true;
  }
  if (!install()) { document.addEventListener("DOMContentLoaded", install); }
})();

/* A row chosen in a linked table (dashboard/linking.py): fly the map to the feature, with the
   part of the map that a table or drawer covers (the table pops over the map's lower part)
   added to the padding, so the feature lands where it can be seen. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  allmendeLink: {
    viewport: function (request) {
      if (!request || !request.bounds) { return window.dash_clientside.no_update; }
      const out = window.dash_clientside.callback_context.outputs_list;
      const map = document.getElementById(out && out.id);
      const m = map && map.getBoundingClientRect();
      let top = 0, bottom = 0, left = 0, right = 0;
      if (m && m.width > 0) {
        document.querySelectorAll(".al-table-pop, .al-drawer").forEach(function (el) {
          const cs = getComputedStyle(el);
          /* (a fixed element has no offsetParent: ask for its boxes instead) */
          if (cs.visibility === "hidden" || el.getClientRects().length === 0) { return; }
          if (cs.position !== "fixed" && cs.position !== "absolute") { return; }
          const r = el.getBoundingClientRect();
          const w = Math.min(r.right, m.right) - Math.max(r.left, m.left);
          const h = Math.min(r.bottom, m.bottom) - Math.max(r.top, m.top);
          if (w <= 0 || h <= 0) { return; }
          if (w >= m.width * 0.6) {  /* a band across the map: above or below */
            if (r.top > m.top + 1) { bottom = Math.max(bottom, m.bottom - r.top); }
            else { top = Math.max(top, r.bottom - m.top); }
          } else if (h >= m.height * 0.6) {  /* a column beside it */
            if (r.left > m.left + 1) { right = Math.max(right, m.right - r.left); }
            else { left = Math.max(left, r.right - m.left); }
          }
        });
        /* never pad away the whole map */
        bottom = Math.min(bottom, m.height * 0.7); top = Math.min(top, m.height * 0.7);
        right = Math.min(right, m.width * 0.7); left = Math.min(left, m.width * 0.7);
      }
      const pad = 40;
      const options = Object.assign({}, request.options || {});
      delete options.padding;
      options.paddingTopLeft = [left + pad, top + pad];
      options.paddingBottomRight = [right + pad, bottom + pad];
      return Object.assign({}, request, { options: options });
    }
  }
});

/* The drawing tool (leaflet-draw, loaded with dash-leaflet's EditControl) speaks the page's
   language: its buttons get German names (title and aria-label) and its hints and actions
   German words, as soon as the tool appears. English is leaflet-draw's own. */
(function () {
  const DE = {
    buttons: { polygon: "Fläche zeichnen", rectangle: "Rechteck zeichnen", edit: "Vorhaben verformen",
               editDisabled: "Keine Vorhaben zum Verformen", remove: "Vorhaben löschen",
               removeDisabled: "Keine Vorhaben zum Löschen" },
    actions: { "Cancel": "Abbrechen", "Finish": "Fertig", "Delete last point": "Letzten Punkt löschen",
               "Save": "Übernehmen", "Clear All": "Alle löschen" },
    titles: { "Cancel drawing": "Zeichnen abbrechen", "Finish drawing": "Zeichnen beenden",
              "Delete last point drawn": "Zuletzt gesetzten Punkt löschen", "Save changes": "Änderungen übernehmen",
              "Cancel editing, discards all changes": "Bearbeiten abbrechen, Änderungen verwerfen",
              "Clear all layers": "Alle Vorhaben löschen" }
  };
  function german() { return (document.documentElement.lang || "de") === "de"; }
  function localise() {
    if (!window.L || !L.drawLocal || L.drawLocal.__allmende) { return; }
    const d = L.drawLocal.draw, e = L.drawLocal.edit;
    d.toolbar.actions = { title: "Zeichnen abbrechen", text: "Abbrechen" };
    d.toolbar.finish = { title: "Zeichnen beenden", text: "Fertig" };
    d.toolbar.undo = { title: "Zuletzt gesetzten Punkt löschen", text: "Letzten Punkt löschen" };
    d.toolbar.buttons.polygon = DE.buttons.polygon; d.toolbar.buttons.rectangle = DE.buttons.rectangle;
    d.handlers.polygon.tooltip = { start: "Klicken, um die Fläche zu beginnen.",
      cont: "Klicken, um weiterzuzeichnen.", end: "Den ersten Punkt klicken, um die Fläche zu schließen." };
    d.handlers.polyline.error = "<strong>Fehler:</strong> Die Ränder dürfen sich nicht kreuzen!";
    d.handlers.rectangle.tooltip = { start: "Klicken und ziehen, um ein Rechteck zu zeichnen." };
    d.handlers.simpleshape.tooltip = { end: "Loslassen, um das Zeichnen zu beenden." };
    e.toolbar.actions.save = { title: "Änderungen übernehmen", text: "Übernehmen" };
    e.toolbar.actions.cancel = { title: "Bearbeiten abbrechen, Änderungen verwerfen", text: "Abbrechen" };
    e.toolbar.actions.clearAll = { title: "Alle Vorhaben löschen", text: "Alle löschen" };
    e.toolbar.buttons = { edit: DE.buttons.edit, editDisabled: DE.buttons.editDisabled,
      remove: DE.buttons.remove, removeDisabled: DE.buttons.removeDisabled };
    e.handlers.edit.tooltip = { text: "Griffe ziehen, um das Vorhaben zu verformen.",
      subtext: "Abbrechen macht die Änderungen rückgängig." };
    e.handlers.remove.tooltip = { text: "Ein Vorhaben anklicken, um es zu löschen." };
    L.drawLocal.__allmende = true;
  }
  function name(el, text) {
    /* leaflet-draw puts a screen-reader text in some buttons: the same words */
    el.querySelectorAll(".sr-only").forEach(function (s) { if (s.textContent !== text) { s.textContent = text; } });
    if (el.getAttribute("title") !== text) { el.setAttribute("title", text); }
    if (el.getAttribute("aria-label") !== text) { el.setAttribute("aria-label", text); }
    if (el.getAttribute("role") !== "button") { el.setAttribute("role", "button"); }
  }
  function labelUploads(root) {
    /* dcc.Upload's file input has no label of its own: it is named by the drop zone's text */
    root.querySelectorAll(".al-upload input[type=file]").forEach(function (input) {
      const text = (input.parentElement && input.parentElement.innerText || "").trim();
      if (text && input.getAttribute("aria-label") !== text) { input.setAttribute("aria-label", text); }
    });
  }
  function apply(root) {
    labelUploads(root);
    const tool = root.querySelectorAll ? root.querySelectorAll(".leaflet-draw") : [];
    if (!tool.length) { return; }
    const de = german();
    if (de) { localise(); }
    tool.forEach(function (t) {
      t.querySelectorAll(".leaflet-draw-toolbar a").forEach(function (a) {
        const kind = ["polygon", "rectangle", "edit", "remove"].find(function (k) {
          return a.classList.contains("leaflet-draw-draw-" + k) || a.classList.contains("leaflet-draw-edit-" + k);
        });
        if (!kind) { return; }
        const disabled = a.classList.contains("leaflet-disabled");
        const key = disabled && (kind === "edit" || kind === "remove") ? kind + "Disabled" : kind;
        const en = { polygon: "Draw a polygon", rectangle: "Draw a rectangle", edit: "Edit layers",
          editDisabled: "No layers to edit", remove: "Delete layers", removeDisabled: "No layers to delete" };
        name(a, de ? DE.buttons[key] : en[key]);
      });
      if (!de) { return; }
      t.querySelectorAll(".leaflet-draw-actions a").forEach(function (a) {
        const text = DE.actions[a.textContent.trim()];
        if (text) { a.textContent = text; }
        const title = DE.titles[a.getAttribute("title")];
        if (title) { a.setAttribute("title", title); }
      });
    });
  }
  let pending = false;
  if (typeof MutationObserver === "undefined") { return; }
  new MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; apply(document); });
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ["class"] });
})();
