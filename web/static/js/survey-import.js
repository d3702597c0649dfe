// Follow a survey import: poll its status, move the bar, show the outcome when it ends.
(function () {
  var box = document.getElementById("survey-import");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  function field(name) { return box.querySelector("[data-field=" + name + "]"); }
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        // Rows stored of the file's rows, and the time taken, worded by the server.
        var bar = document.getElementById("import-progress");
        if (job.progress === null) bar.removeAttribute("value"); else bar.value = job.progress;
        field("rows").textContent = job.rows_text;
        field("elapsed").textContent = job.elapsed_text;
        if (job.status !== "queued" && job.status !== "running") { window.location.reload(); return; }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  var status = box.getAttribute("data-status");
  if (status === "queued" || status === "running") setTimeout(poll, 500);
})();
