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
        document.getElementById("job-progress").value = Math.min(job.elapsed_s, job.time_limit_s);
        field("elapsed").textContent = job.elapsed_s;
        field("best").textContent = job.best_objective === null ? "–" : job.best_objective;
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
