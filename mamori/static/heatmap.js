// Risk heat map: x = control score (0–100), y = inherent risk (低 1, 中 2, 高 3).
document.addEventListener("DOMContentLoaded", function () {
  var canvas = document.getElementById("heatmap");
  var data = document.getElementById("heatmap-data");
  if (!canvas || !data || typeof Chart === "undefined") return;
  var points = JSON.parse(data.textContent);
  var colour = function (p) {
    var danger = (p.y - 1) / 2 * 0.6 + (100 - p.x) / 100 * 0.4;
    return danger > 0.6 ? "rgba(198,40,40,0.75)" : danger > 0.35 ? "rgba(249,168,37,0.75)" : "rgba(46,125,50,0.75)";
  };
  new Chart(canvas, {
    type: "scatter",
    data: { datasets: [{ data: points, pointRadius: 6, pointBackgroundColor: points.map(colour) }] },
    options: {
      animation: false,
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (c) { return c.raw.name + "（" + c.raw.x + "点）"; } } } },
      scales: {
        x: { min: 0, max: 100, title: { display: true, text: "管理状況のスコア" } },
        y: { min: 0.5, max: 3.5, ticks: { stepSize: 1, callback: function (v) { return { 1: "低", 2: "中", 3: "高" }[v] || ""; } },
             title: { display: true, text: "固有リスク" } }
      },
      onClick: function (e, items) { if (items.length) window.location = points[items[0].index].url; }
    }
  });
});
