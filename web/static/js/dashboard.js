// Refresh the dashboard's counts and check-in feed without reloading the page.
(function () {
  var totals = document.getElementById("dash-totals");
  if (!totals) return;
  var url = totals.getAttribute("data-status-url");
  function text(el, value) { if (el) el.textContent = value; }
  function render(data) {
    Object.keys(data.totals).forEach(function (key) {
      text(totals.querySelector("[data-total=" + key + "]"), data.totals[key]);
    });
    Object.keys(data.routes).forEach(function (id) {
      var row = document.querySelector("#dash-routes tr[data-route-id='" + id + "']");
      if (!row) return;
      ["tiba", "selesai", "dilewati"].forEach(function (key) {
        text(row.querySelector("[data-count=" + key + "]"), data.routes[id][key]);
      });
    });
    var list = document.getElementById("latest-checkins");
    if (!list || !data.latest.length) return;
    list.textContent = "";
    data.latest.forEach(function (c) {
      var item = document.createElement("li");
      var time = document.createElement("strong");
      time.textContent = c.time;
      item.appendChild(time);
      item.appendChild(document.createTextNode(" " + c.status + " · " + c.stop + " · " + c.vehicle + (c.note ? " — " + c.note : "")));
      list.appendChild(item);
    });
  }
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(render)
      .catch(function () {})
      .then(function () { setTimeout(poll, window.KELILING_POLL_MS || 15000); });
  }
  setTimeout(poll, window.KELILING_POLL_MS || 15000);
})();
