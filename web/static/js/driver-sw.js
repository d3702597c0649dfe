/* The driver's pages without signal: a service worker served at /sopir/sw.js (scope /sopir/).

   The route page asks it to keep the page itself, its map page and GPX (the day's data) and
   every asset those pages load (/static/..., Leaflet included). Pages are network-first: a
   fresh copy replaces the kept one, and with no signal (or no answer within a few seconds)
   the kept copy is shown, with the CSP header it was sent with (its nonce matches its HTML).
   Assets are served from the cache and refreshed in the background. Check-ins (POST) never
   pass through the cache: the page queues them itself (driver.js). */
"use strict";

var CACHE = "keliling-sopir-v1";
var SCOPE = new URL(self.registration.scope).pathname;  // "/sopir/"
var NETWORK_WAIT_MS = 5000;
var PAGES_KEPT = 12;  // route pages (a link per day or vehicle) kept, the newest ones
var ASSET = /(?:src|href)="(\/static\/[^"?#]+)"/g;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("keliling-sopir-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function sameOrigin(url) { return url.origin === self.location.origin; }
function isPage(url) {
  return sameOrigin(url) && url.pathname.indexOf(SCOPE) === 0 &&
    url.pathname !== SCOPE + "sw.js";
}
function isAsset(url) { return sameOrigin(url) && url.pathname.indexOf("/static/") === 0; }
// Flask answers with "Vary: Cookie": a kept page must match without the session cookie too.
var MATCH = { ignoreVary: true, ignoreSearch: false };

function put(cache, request, response) {
  return cache.put(request, response).then(function () { return prune(cache); });
}
function prune(cache) {
  return cache.keys().then(function (requests) {
    var routes = requests.filter(function (r) {
      var path = new URL(r.url).pathname;
      var rest = path.slice(SCOPE.length);  // /sopir/<token>, not its map or GPX
      return path.indexOf(SCOPE) === 0 && rest && rest.indexOf("/") < 0;
    });
    var old = routes.slice(0, Math.max(0, routes.length - PAGES_KEPT));
    return Promise.all(old.map(function (r) {
      var page = r.url;
      return Promise.all([cache.delete(page, MATCH), cache.delete(page + "/peta", MATCH),
                          cache.delete(page + "/rute.gpx", MATCH)]);
    }));
  });
}

// Fetch a page or asset, keep a good answer; for a page, keep the assets its HTML names too.
function keep(cache, url) {
  return fetch(url, { credentials: "same-origin" }).then(function (response) {
    if (!response.ok) return false;
    var copy = response.clone();
    var type = response.headers.get("Content-Type") || "";
    var assets = type.indexOf("text/html") === 0 ? response.text().then(function (html) {
      var found = [], match;
      ASSET.lastIndex = 0;
      while ((match = ASSET.exec(html)) !== null) found.push(match[1]);
      return Promise.all(found.map(function (asset) { return keepAsset(cache, asset); }));
    }) : Promise.resolve([]);
    return Promise.all([put(cache, url, copy), assets]).then(function (done) {
      return done[1].every(Boolean);
    });
  });
}
function keepAsset(cache, url) {
  return fetch(url).then(function (response) {
    if (!response.ok) return false;
    return cache.put(url, response).then(function () { return true; });
  }, function () {
    return cache.match(url).then(function (kept) { return !!kept; });
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) return;
  var reply = event.ports && event.ports[0];
  var urls = data.urls.filter(function (u) {
    var url = new URL(u, self.location.href);
    return isPage(url) || isAsset(url);
  });
  var work = caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.map(function (url) {
      return keep(cache, url).catch(function () { return false; });
    }));
  }).then(function (results) { return results.every(Boolean); });
  event.waitUntil(work.then(function (ok) {
    if (reply) reply.postMessage({ ok: ok });
  }, function () {
    if (reply) reply.postMessage({ ok: false });
  }));
});

function fromCache(request) {
  return caches.open(CACHE).then(function (cache) { return cache.match(request, MATCH); });
}

// Fetch and keep a good answer; the fetch's promise (the keeping is waited for by the event).
function fetchAndKeep(event, key) {
  var network = fetch(event.request);
  event.waitUntil(network.then(function (response) {
    if (!response.ok) return null;
    var copy = response.clone();
    return caches.open(CACHE).then(function (cache) { return put(cache, key, copy); });
  }).catch(function () { return null; }));
  return network;
}

// Network first; the kept copy when the network fails or is too slow to answer.
function page(event) {
  var network = fetchAndKeep(event, event.request.url);
  var failed = network.catch(function (error) {
    return fromCache(event.request).then(function (kept) {
      if (kept) return kept;
      throw error;
    });
  });
  var slow = new Promise(function (resolve) {
    setTimeout(function () { fromCache(event.request).then(resolve); }, NETWORK_WAIT_MS);
  });
  return Promise.race([failed, slow.then(function (kept) { return kept || failed; })]);
}

// From the cache at once, refreshed in the background; the network when nothing is kept.
function asset(event) {
  var network = fetchAndKeep(event, event.request);
  return fromCache(event.request).then(function (kept) { return kept || network; });
}

self.addEventListener("fetch", function (event) {
  if (event.request.method !== "GET") return;
  var url = new URL(event.request.url);
  if (isPage(url)) event.respondWith(page(event));
  else if (isAsset(url)) event.respondWith(asset(event));
});
