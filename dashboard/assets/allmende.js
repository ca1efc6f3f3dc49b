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

/* Playback: step a layer's hour parameter 0..23 once, then stop. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  allmendePlay: {
    toggle: function (n, disabled) {
      const playing = !disabled;
      return [playing, playing ? "false" : "true"];
    },
    step: function (n, hour) {
      const next = (hour === null || hour === undefined || hour < 0) ? 0 : hour + 1;
      if (next > 23) {
        return [23, true, "false"];
      }
      return [next, false, "true"];
    }
  }
});

/* Keep the address bar in step with the map without adding history entries. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  allmende: {
    embedCode: function (query, title) {
      /* the iframe snippet for the current view; attribute values escaped */
      const esc = function (v) { return String(v).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;"); };
      const q = (typeof query === "string" && query.startsWith("?")) ? query : "";
      const src = window.location.origin + "/embed" + q;
      return '<iframe src="' + esc(src) + '" title="' + esc(title || "Allmende") +
        '" width="100%" height="600" style="border:0" loading="lazy"></iframe>';
    },
    replaceUrl: function (query) {
      if (typeof query === "string" && query.startsWith("?") && window.location.search !== query) {
        window.history.replaceState(null, "", window.location.pathname + query);
      }
      return window.dash_clientside.no_update;
    }
  }
});
