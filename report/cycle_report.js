// Draws the report's charts from the JSON blocks inlined beside them, with
// the inlined ECharts and map: no network. SVG keeps them sharp in the PDF.
(function () {
  "use strict";
  if (!window.echarts) return;
  var map = document.getElementById("china-map");
  if (map && map.textContent.trim()) {
    window.echarts.registerMap("china", JSON.parse(map.textContent));
  }
  document.querySelectorAll(".chart[data-option]").forEach(function (el) {
    var block = document.getElementById(el.getAttribute("data-option"));
    if (!block) return;
    var option = JSON.parse(block.textContent);
    option.animation = false;
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
  });
  document.documentElement.setAttribute("data-charts", "drawn");
})();
