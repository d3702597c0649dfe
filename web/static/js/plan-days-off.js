// The plan form names the holidays and closed days of the chosen period; ask the server again
// whenever the first day or the number of weeks changes.
(function () {
  var line = document.getElementById("plan-days-off");
  var start = document.getElementById("start");
  var weeks = document.getElementById("weeks");
  if (!line || !start || !weeks) return;
  function refresh() {
    if (!start.value) return;
    var query = "?start=" + encodeURIComponent(start.value) + "&weeks=" + encodeURIComponent(weeks.value);
    fetch(line.getAttribute("data-url") + query, {
      headers: { "Accept": "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) { if (answer) line.textContent = answer.text; })
      .catch(function () {});
  }
  start.addEventListener("change", refresh);
  weeks.addEventListener("change", refresh);
})();
