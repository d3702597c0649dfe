// Follow a planning run: poll its status, move the progress bar, open the plan when done.
(function () {
  var box = document.getElementById("job");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  function field(name) { return box.querySelector("[data-field=" + name + "]"); }
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        // Elapsed time of the limit (it moves between improvements too) and the best plan so
        // far as visits scheduled and km, both worded by the server in the page's language.
        document.getElementById("job-progress").value = job.progress;
        field("elapsed").textContent = job.elapsed_text;
        var best = field("best");
        if (best) best.textContent = job.best_plan === null ? "–" : job.best_plan;
        document.getElementById("job-message").textContent = job.message;
        if (job.status === "done" && job.plan_url) { window.location.href = job.plan_url; return; }
        if (job.status === "failed" || job.status === "cancelled") { window.location.reload(); return; }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  var status = box.getAttribute("data-status");
  if (status === "queued" || status === "running") setTimeout(poll, 500);
})();
