/* The scenario page (dashboard/pages/scenario_page.py): two maps kept in step, the swipe
   divider and the view switch. Every Leaflet map registers itself by its container's id;
   maps of class al-scn-map follow each other's centre and zoom. In the swipe view the
   right map's B pane is cut at the divider (a range input, so keyboard and screen readers
   can move it), A shows beneath. */
(function () {
  const maps = {};
  let syncing = false;
  window.allmende = Object.assign({}, window.allmende, { maps: maps });

  function scenarioMaps() {
    return Object.keys(maps).filter(function (id) {
      const m = maps[id];
      return m && m._container && m._container.classList.contains("al-scn-map") && document.body.contains(m._container);
    }).map(function (id) { return maps[id]; });
  }
  function follow(source) {
    if (syncing) { return; }
    syncing = true;
    try {
      scenarioMaps().forEach(function (m) {
        if (m !== source && m._container.offsetParent !== null) {
          m.setView(source.getCenter(), source.getZoom(), { animate: false });
        }
      });
    } finally { syncing = false; }
    clip();
  }
  function clip() {
    const map = maps["scn-map-b"];
    if (!map || !document.body.contains(map._container)) { return; }
    const pane = map.getPane("scn-b");
    if (!pane) { return; }
    const wrap = document.getElementById("scn-maps");
    if (!wrap || !wrap.classList.contains("al-mode-swipe")) { pane.style.clip = ""; return; }
    const range = document.getElementById("scn-swipe");
    const share = range ? Math.min(1, Math.max(0, Number(range.value) / 100)) : 0.5;
    const size = map.getSize();
    const nw = map.containerPointToLayerPoint([0, 0]);
    const se = map.containerPointToLayerPoint(size);
    const x = nw.x + size.x * share;
    pane.style.clip = "rect(" + [nw.y, se.x, se.y, x].join("px, ") + "px)";
    wrap.style.setProperty("--al-swipe", (share * 100) + "%");
  }
  function install() {
    if (!window.L || !L.Map) { return false; }
    if (L.Map.__allmendeRegistry) { return true; }
    L.Map.__allmendeRegistry = true;
    L.Map.addInitHook(function () {
      const map = this;
      const id = map._container && map._container.id;
      if (id) { maps[id] = map; }
      map.on("move zoomend", function () {
        if (map._container.classList.contains("al-scn-map")) { follow(map); }
      });
      map.on("resize viewreset", clip);
      /* a map whose box changes size (the view switch, a rotated phone) learns it */
      if (window.ResizeObserver && map._container.classList.contains("al-scn-map")) {
        new ResizeObserver(function () {
          if (map._container.offsetParent === null) { return; }
          map.invalidateSize({ animate: false });
          clip();
        }).observe(map._container);
      }
    });
    return true;
  }
  if (!install()) { document.addEventListener("DOMContentLoaded", install); }
  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "scn-swipe") { clip(); }
  });

  /* after the view switch applies: maps that were hidden learn their size, the view is
     shared again, the divider is cut */
  window.allmende.scenarioRefresh = function () {
    const shown = scenarioMaps().filter(function (x) { return x._container.offsetParent !== null; });
    shown.forEach(function (x) { x.invalidateSize({ animate: false }); });
    const right = maps["scn-map-b"];
    if (right && shown.indexOf(right) >= 0) { follow(right); }
    clip();
  };
})();

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  allmendeScenario: {
    /* the scenario page's session store (dcc.Store keeps it in sessionStorage under its id,
       as JSON), for the map page's overlay; the server checks it like any input */
    session: function (on) {
      let state = null;
      try { state = JSON.parse(window.sessionStorage.getItem("scn-store")); } catch (e) { state = null; }
      return { on: Array.isArray(on) && on.indexOf("on") >= 0, state: state };
    },
    mode: function (mode) {
      const m = ["side", "swipe", "diff"].indexOf(mode) >= 0 ? mode : "side";
      setTimeout(function () {
        if (window.allmende && window.allmende.scenarioRefresh) { window.allmende.scenarioRefresh(); }
      }, 50);
      return "al-scn-maps al-mode-" + m;
    }
  }
});

/* The districts' outlines on the scenario maps: districts whose mean surface temperature
   changes (hideout.changed, district ids) drawn darker and thicker; the geometry never
   changes, only the hideout. */
window.allmende = window.allmende || {};
window.allmende.map = window.allmende.map || {};
window.allmende.map.scenarioOutline = function (feature, context) {
  const changed = (context && context.hideout && context.hideout.changed) || [];
  const id = feature.properties && String(feature.properties.district_id);
  if (changed.indexOf(id) >= 0) {
    return { color: "#1a1a1a", weight: 3, fill: false, dashArray: null };
  }
  return { color: "#555555", weight: 1, fill: false, dashArray: "4 3" };
};
