/* The driver's page: check-ins by fetch, queued on the phone while there is no signal.
   Without this script the page still works: every button is a plain form post. */
(function () {
  "use strict";
  var KEY = "keliling.sopir.antrian";
  var RETRY_MS = 20000;
  var stops = document.getElementById("stops");
  if (!stops || !window.fetch) return;
  var texts = stops.dataset;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var pendingBox = document.getElementById("pending");
  var live = document.getElementById("live");
  var flushing = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  function save(queue) {
    try { localStorage.setItem(KEY, JSON.stringify(queue)); } catch (e) { /* storage full or off */ }
  }
  function showPending() {
    var count = load().length;
    pendingBox.hidden = count === 0;
    pendingBox.textContent = texts.pending.replace("{n}", count);
  }
  function say(message, isError) {
    live.textContent = message || "";
    live.className = isError ? "error" : "";
  }

  // Show a status on the stop: recorded (from the server) or waiting for signal.
  function mark(item, label, pending) {
    var stop = document.getElementById("stop-" + item.visit_id);
    if (!stop) return;
    var box = stop.querySelector(".state");
    var none = box.querySelector(".none");
    if (none) box.removeChild(none);
    var span = box.querySelector('[data-status="' + item.status + '"]');
    if (span && span.className === "done" && pending) return;
    if (!span) {
      span = document.createElement("span");
      span.setAttribute("data-status", item.status);
      box.appendChild(span);
    }
    span.className = pending ? "pending" : "done";
    span.textContent = label;
    if (pending) return;
    stop.classList.add("is-" + item.status);
    var button = stop.querySelector('button[value="' + item.status + '"]');
    if (button) button.classList.add("done");
  }
  function pendingLabel(item) {
    return texts["label" + item.status.charAt(0).toUpperCase() + item.status.slice(1)] +
      " · " + texts.waiting;
  }

  function enqueue(item) {
    var queue = load();
    var known = queue.some(function (q) { return q.key === item.key; });
    if (!known) queue.push(item);  // a second tap offline keeps the first tap's time
    save(queue);
    mark(item, pendingLabel(item), true);
    showPending();
  }

  // Resolves to {status, body}; rejects when the request never reached the server.
  function send(item) {
    return fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRFToken": csrf },
      body: JSON.stringify({ visit_id: item.visit_id, status: item.status, note: item.note,
                             tapped_at: item.tapped_at })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    });
  }
  function settle(item, result) {
    if (result.status < 400) {
      mark(item, result.body.label, false);
      say(result.body.message, false);
    } else {
      say(result.body.error ? result.body.error.message : String(result.status), true);
    }
  }

  function flush() {
    var queue = load();
    if (flushing || !queue.length || navigator.onLine === false) return;
    flushing = true;
    var item = queue[0];
    send(item).then(function (result) {
      flushing = false;
      if (result.status >= 500) return;  // the server is struggling: keep it for the next try
      save(load().filter(function (q) { return q.key !== item.key; }));
      showPending();
      settle(item, result);
      flush();
    }, function () { flushing = false; });
  }

  function tap(form, button) {
    var note = form.elements.note ? form.elements.note.value.trim() : "";
    var item = {
      url: form.action, visit_id: form.elements.visit_id.value, status: button.value, note: note,
      tapped_at: new Date().toISOString()
    };
    item.key = item.url + "|" + item.visit_id + "|" + item.status;
    if (item.status === "dilewati" && !note) {
      say(texts.noteRequired, true);
      form.elements.note.focus();
      return;
    }
    if (navigator.onLine === false || load().length) {
      enqueue(item);  // keep the order: older taps waiting in the queue go first
      flush();
      return;
    }
    send(item).then(function (result) {
      if (result.status >= 500) enqueue(item); else settle(item, result);
    }, function () { enqueue(item); });
  }

  var clicked = null;  // the button that submitted (for browsers without SubmitEvent.submitter)
  stops.addEventListener("click", function (event) {
    if (event.target.name === "status") clicked = event.target;
  });
  stops.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("checkin")) return;
    event.preventDefault();
    var button = event.submitter || clicked || form.querySelector('button[name="status"]');
    tap(form, button);
  });

  var share = document.getElementById("share");
  if (share && navigator.share) {
    share.addEventListener("click", function (event) {
      event.preventDefault();
      navigator.share({ title: document.title, text: share.getAttribute("data-text") })
        .catch(function (error) {
          if (error && error.name !== "AbortError") window.location.href = share.href;
        });
    });
  }

  load().forEach(function (item) { mark(item, pendingLabel(item), true); });
  showPending();
  window.addEventListener("online", flush);
  setInterval(flush, RETRY_MS);
  flush();
})();
