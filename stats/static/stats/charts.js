// Draws each chart of a statistics screen from the JSON next to it (no inline script: the CSP
// allows only our own files). The table beside each chart holds the same figures.
(function () {
  "use strict";
  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || !window.echarts) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { show: spec.series.length > 1, top: 0 },
      grid: { left: 8, right: 16, top: spec.series.length > 1 ? 32 : 12, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: spec.categories, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: "value", name: spec.unit || "" },
      series: spec.series.map(function (series) {
        return { name: series.name, type: spec.type || "bar", data: series.data, barMaxWidth: 36 };
      }),
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
