/* The door's service worker (registered by static/js/checkin.js, scope: the door page's
 * folder). It keeps the door page itself and its stylesheets, scripts and icon in the
 * Cache Storage of this browser, so a reload works while the network at the venue is
 * down. Nothing else passes through it: the guest list (localStorage) and the check-ins
 * go to the network as before, and no personal data is cached here beyond the page
 * shell. Logging out deletes these caches and this worker (checkin.js, Clear-Site-Data).
 *
 * - The door page: network first, the cached copy when the network fails or is slower
 *   than NETWORK_WAIT_MS (a dead venue network often hangs instead of failing). Only a
 *   copy the server marks with SHELL_HEADER is kept: the empty page, without a guest's
 *   result or search results (checkin_views.door).
 * - Its assets: the cached copy at once, refreshed from the network in the background.
 * Rendered by registration.checkin_views.service_worker; the cache name changes when an
 * asset's (hashed) URL does, and the old cache is deleted on activation.
 */
"use strict";

const SHELL_HEADER = {{ shell_header|safe }};
const DOOR = {{ door_url|safe }};
const ASSETS = {{ assets|safe }};
const PREFIX = "door-" + DOOR + "-";
const CACHE = PREFIX + {{ version|safe }};
const NETWORK_WAIT_MS = 4000;

function isShell(response) {
  return response.headers.get(SHELL_HEADER) === "1";
}

function fetchToCache(cache, url) {
  return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
    // A redirect (to the login page) is never stored as the door page.
    if (response.ok && !response.redirected) {
      // A door page with a result is not kept; the next empty one will be (doorPage).
      if (url === DOOR && !isShell(response)) return undefined;
      return cache.put(url, response);
    }
    throw new Error("not cached: " + url + " " + response.status);
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE)
      .then(function (cache) {
        return Promise.all([DOOR].concat(ASSETS).map(function (url) { return fetchToCache(cache, url); }));
      })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.filter(function (key) {
          return key.indexOf(PREFIX) === 0 && key !== CACHE;
        }).map(function (key) { return caches.delete(key); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

function doorPage(request, url) {
  return new Promise(function (resolve, reject) {
    var network = fetch(request);
    var settled = false;
    function fromCache() {
      if (settled) return;
      settled = true;
      caches.open(CACHE).then(function (cache) {
        return cache.match(DOOR, { ignoreVary: true });
      }).then(function (cached) {
        if (cached) resolve(cached);
        else network.then(resolve, reject);
      });
    }
    var timer = setTimeout(fromCache, NETWORK_WAIT_MS);
    network.then(function (response) {
      clearTimeout(timer);
      if (response.ok && !response.redirected && isShell(response)) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(DOOR, copy); });
      }
      if (!settled) {
        settled = true;
        resolve(response);
      }
    }, function () {
      clearTimeout(timer);
      fromCache();
    });
  });
}

function asset(request, path) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(path).then(function (cached) {
      var network = fetch(request).then(function (response) {
        if (response.ok) cache.put(path, response.clone());
        return response;
      });
      if (cached) {
        network.catch(function () {});
        return cached;
      }
      return network;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === DOOR) {
    event.respondWith(doorPage(request, url));
  } else if (ASSETS.indexOf(url.pathname) !== -1) {
    event.respondWith(asset(request, url.pathname));
  }
});
