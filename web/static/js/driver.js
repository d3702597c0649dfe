/* The driver's page: check-ins by fetch, queued on the phone while there is no signal.
   Without this script the page still works: every button is a plain form post.

   A queued tap carries its tap time and a client id, and is sent with the signed link alone
   (no session cookie or CSRF token needed, see web/driver/views.py). It leaves the queue only
   when the server stored it (2xx, "already recorded" included) or refused it for good (a 4xx
   whose JSON says `final` with a `reason`); network errors, 5xx, 408, 429 and anything else
   keep it for the next try. The service worker (driver-sw.js) keeps the page for offline use. */
(function () {
  "use strict";
  var KEY = "keliling.sopir.antrian";
  var RETRY_MS = 20000;
  var stops = document.getElementById("stops");
  if (!stops || !window.fetch) return;
  var texts = stops.dataset;
  var lang = document.documentElement.lang;
  var pendingBox = document.getElementById("pending");
  var live = document.getElementById("live");
  var flushing = false;

  function newId() {
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    return Array.prototype.map.call(bytes, function (b) {
      return (b + 256).toString(16).slice(1);
    }).join("");
  }
  function load() {
    var queue;
    try { queue = JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { queue = []; }
    queue.forEach(function (item) { if (!item.client_id) item.client_id = newId(); });
    return queue;
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
  function statusLabel(item) {
    return texts["label" + item.status.charAt(0).toUpperCase() + item.status.slice(1)];
  }

  // Show a status on the stop: recorded, waiting for signal, or refused (with the reason).
  function mark(item, label, state) {
    var stop = document.getElementById("stop-" + item.visit_id);
    if (!stop) return;
    var box = stop.querySelector(".state");
    var none = box.querySelector(".none");
    if (none) box.removeChild(none);
    var span = box.querySelector('[data-status="' + item.status + '"]');
    if (span && span.className === "done" && state !== "done") return;
    if (!span) {
      span = document.createElement("span");
      span.setAttribute("data-status", item.status);
      box.appendChild(span);
    }
    span.className = state;
    span.textContent = label;
    if (state !== "done") return;
    stop.classList.add("is-" + item.status);
    var button = stop.querySelector('button[value="' + item.status + '"]');
    if (button) button.classList.add("done");
  }
  function pendingLabel(item) {
    return statusLabel(item) + " · " + texts.waiting;
  }

  function enqueue(item) {
    var queue = load();
    var known = queue.some(function (q) { return q.key === item.key; });
    if (!known) queue.push(item);  // a second tap offline keeps the first tap's time
    save(queue);
    mark(item, pendingLabel(item), "pending");
    showPending();
  }
  function unqueue(item) {
    save(load().filter(function (q) { return q.client_id !== item.client_id; }));
    showPending();
  }

  // Resolves to {status, body}; rejects when the request never reached the server.
  function send(item) {
    return fetch(item.url, {
      method: "POST",
      credentials: "omit",  // the link in the URL is the credential, never the session
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ visit_id: item.visit_id, status: item.status, note: item.note,
                             tapped_at: item.tapped_at, client_id: item.client_id,
                             lang: item.lang || lang })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body || {} };
      });
    });
  }
  function stored(result) {
    return result.status >= 200 && result.status < 300;
  }
  function refusedForGood(result) {
    var error = result.body.error;
    return result.status >= 400 && result.status < 500 && result.status !== 408 &&
      result.status !== 429 && !!error && error.final === true && !!error.reason;
  }
  // What the answer means for the tap; true when it may leave the queue.
  function settle(item, result) {
    if (stored(result)) {
      mark(item, result.body.label || statusLabel(item), "done");
      say(result.body.message, false);
      keepOffline([location.pathname]);  // the page kept for offline use shows it as done
      return true;
    }
    if (refusedForGood(result)) {
      var message = result.body.error.message;
      mark(item, statusLabel(item) + " · " + message, "refused");
      say(message, true);
      return true;
    }
    say(texts.retry.replace("{status}", result.status), true);
    return false;
  }

  function flush() {
    var queue = load();
    if (flushing || !queue.length || navigator.onLine === false) return;
    flushing = true;
    var item = queue[0];
    send(item).then(function (result) {
      flushing = false;
      if (!settle(item, result)) return;  // kept: tried again later, in the same order
      unqueue(item);
      flush();
    }, function () { flushing = false; });
  }

  function tap(form, button) {
    var note = form.elements.note ? form.elements.note.value.trim() : "";
    var item = {
      url: form.action, visit_id: form.elements.visit_id.value, status: button.value, note: note,
      tapped_at: new Date().toISOString(), client_id: newId(), lang: lang
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
      if (!settle(item, result)) enqueue(item);
    }, function () { enqueue(item); });
  }

  // Ask the service worker to keep these pages (and their assets) for use without signal.
  function keepOffline(urls) {
    if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return;
    navigator.serviceWorker.controller.postMessage({ type: "keep", urls: urls });
  }
  function installOffline() {
    var offline = document.getElementById("offline");
    if (!navigator.serviceWorker || !texts.sw || !offline) return;
    var urls = [location.pathname];
    ["map-link", "gpx"].forEach(function (id) {
      var link = document.getElementById(id);
      if (link) urls.push(link.getAttribute("href"));
    });
    navigator.serviceWorker.register(texts.sw, { scope: texts.swScope })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) {
          offline.hidden = !event.data.ok;
        };
        registration.active.postMessage({ type: "keep", urls: urls }, [channel.port2]);
      })
      .catch(function () { /* no offline copy: the page still works online */ });
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

  var queued = load();
  save(queued);  // taps queued by an older version of this page get their client id now
  queued.forEach(function (item) { mark(item, pendingLabel(item), "pending"); });
  showPending();
  installOffline();
  window.addEventListener("online", flush);
  setInterval(flush, RETRY_MS);
  flush();
})();
