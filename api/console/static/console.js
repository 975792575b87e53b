// The console's own script: draws the charts of a page with Apache ECharts (served by the app from
// its npm package). Chart options arrive as JSON in <script type="application/json"> blocks and
// tooltips are drawn on the canvas, so no text ever becomes HTML. Without the library, the data
// tables under each chart stay open.
(function () {
  "use strict";
  var charts = {};
  window.consoleCharts = charts;

  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) return;
      var option = JSON.parse(source.textContent);
      var height = el.getAttribute("data-height");
      if (height) el.style.height = parseInt(height, 10) + "px";  // bar charts grow with their rows
      var chart = window.echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
      chart.setOption(option);
      charts[el.id] = chart;
    });
    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        Object.keys(charts).forEach(function (id) { charts[id].resize(); });
      }, 150);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
