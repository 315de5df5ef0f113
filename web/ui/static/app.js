// sceval pages: charts declared in the HTML, drawn with the vendored Apache
// ECharts. No inline script runs (the CSP forbids it): a chart is
//
//   <div class="chart" data-option="ID"></div>
//   <script type="application/json" id="ID">{ …ECharts option… }</script>
//
// and this file finds both, loads ECharts once (only on pages that have a
// chart), registers the China map when a series or geo uses map "china",
// and draws. Charts swapped in by htmx are drawn too.
(function () {
  "use strict";
  var echartsURL = "/static/vendor/echarts.min.js";
  var mapURL = document.documentElement.getAttribute("data-map-url") || "/static/vendor/china.json";
  var loading = null;
  var mapLoading = null;

  function loadECharts() {
    if (window.echarts) return Promise.resolve(window.echarts);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = echartsURL;
        s.onload = function () { resolve(window.echarts); };
        s.onerror = function () { reject(new Error("cannot load " + echartsURL)); };
        document.head.appendChild(s);
      });
    }
    return loading;
  }

  function usesChinaMap(option) {
    var parts = [].concat(option.series || [], option.geo || []);
    return parts.some(function (p) { return p && p.map === "china"; });
  }

  function loadMap(echarts) {
    if (echarts.getMap("china")) return Promise.resolve();
    // A self-contained report carries the map in a data block.
    var inline = document.getElementById("sceval-map-geojson");
    if (inline) {
      echarts.registerMap("china", JSON.parse(inline.textContent));
      return Promise.resolve();
    }
    if (!mapLoading) {
      mapLoading = fetch(mapURL, { credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) throw new Error("map " + mapURL + ": HTTP " + r.status);
          return r.json();
        })
        .then(function (geo) { echarts.registerMap("china", geo); });
    }
    return mapLoading;
  }

  function draw(el, echarts) {
    var block = document.getElementById(el.getAttribute("data-option"));
    if (!block) return Promise.resolve();
    var option = JSON.parse(block.textContent);
    // HTML tooltips carry style attributes, which the CSP refuses: draw
    // them as rich text on the canvas instead.
    if (option.tooltip && !option.tooltip.renderMode) option.tooltip.renderMode = "richText";
    // Reports and printing want the final picture at once.
    if (el.hasAttribute("data-static") || document.documentElement.hasAttribute("data-static-charts") ||
        window.matchMedia("print").matches) option.animation = false;
    var ready = usesChinaMap(option) ? loadMap(echarts) : Promise.resolve();
    return ready.then(function () {
      var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: el.getAttribute("data-renderer") || "canvas" });
      chart.setOption(option, true);
      chart.on("finished", function () { el.setAttribute("data-drawn", "true"); });
      el.setAttribute("data-drawn-option", "true");
    });
  }

  function drawAll(root) {
    var els = (root || document).querySelectorAll(".chart[data-option]");
    if (!els.length) return;
    loadECharts().then(function (echarts) {
      var jobs = [];
      els.forEach(function (el) { jobs.push(draw(el, echarts)); });
      return Promise.all(jobs);
    }).then(function () {
      document.documentElement.setAttribute("data-charts", "drawn");
    }).catch(function (err) {
      els.forEach(function (el) {
        el.textContent = el.getAttribute("data-error") || "图表无法显示 / the chart cannot be drawn";
        el.classList.add("chart-error");
      });
      console.warn(err);
    });
  }

  function resizeAll() {
    if (!window.echarts) return;
    document.querySelectorAll(".chart[data-option]").forEach(function (el) {
      var c = window.echarts.getInstanceByDom(el);
      if (c) c.resize();
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (e) { drawAll(e.target); });
  window.addEventListener("resize", resizeAll);
  window.addEventListener("beforeprint", resizeAll);

  // A button or link with data-confirm asks before it acts (forms work
  // without it: the server asks again on a confirmation page where it must).
  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) e.preventDefault();
  });
})();
