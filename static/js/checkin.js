/* The door's check-in page: search as you type, one-tap check-in, camera scanning, and
 * offline work. The page works without this script (plain forms); with it:
 *
 * - the guest list is kept on this device (localStorage, only what the door needs) and
 *   refreshed every 20 s while online; search runs on that copy, so it works offline too;
 * - a check-in gets an id made here and is queued first, then sent; the server accepts
 *   each id once, so a check-in sent twice (answer lost) is still one check-in;
 * - when the network is back the queue is sent; conflicts (another device checked in the
 *   same guest) are shown as the server reports them;
 * - a service worker (templates/registration/checkin/service_worker.js) keeps the page
 *   itself, so a reload works offline too;
 * - logging out wipes the copy, the queue, the cached page and the worker.
 */
(function () {
  "use strict";

  var root = document.getElementById("door");
  if (!root) return;

  var KEYS = { snapshot: "door.snapshot", queue: "door.queue" };
  var REFRESH_MS = 20000;
  var texts = JSON.parse(document.getElementById("door-texts").textContent);
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  var els = {
    query: document.getElementById("door-q"),
    search: document.getElementById("door-search"),
    results: document.getElementById("door-results"),
    empty: document.getElementById("door-empty"),
    result: document.getElementById("door-result"),
    checkedIn: document.getElementById("door-in"),
    expected: document.getElementById("door-expected"),
    status: document.getElementById("door-status"),
    online: document.getElementById("door-online"),
    age: document.getElementById("door-age"),
    queued: document.getElementById("door-queued"),
    logout: document.getElementById("door-logout"),
  };
  var reachable = navigator.onLine;
  var sending = false;

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key] === undefined ? "" : values[key];
    });
  }

  function load(key, fallback) {
    try {
      var value = localStorage.getItem(key);
      return value ? JSON.parse(value) : fallback;
    } catch (error) {
      return fallback;
    }
  }

  function save(key, value) {
    localStorage.setItem(key, JSON.stringify(value));
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function clock(iso) {
    var date = new Date(iso);
    return ("0" + date.getHours()).slice(-2) + ":" + ("0" + date.getMinutes()).slice(-2);
  }

  function normaliseCode(text) {
    return (text || "").toUpperCase().replace(/[^0-9A-Z]/g, "");
  }

  function grouped(code) {
    return code.slice(0, 4) + "-" + code.slice(4);
  }

  // --- the local copy ---------------------------------------------------------------

  var snapshot = load(KEYS.snapshot, null);
  var queue = load(KEYS.queue, []);

  function guests() {
    return snapshot ? snapshot.guests : [];
  }

  function guestById(id) {
    var list = guests();
    for (var i = 0; i < list.length; i++) if (list[i].id === id) return list[i];
    return null;
  }

  function applyQueue() {
    // Check-ins not yet confirmed by the server still count on this device.
    queue.forEach(function (item) {
      var guest = guestById(item.registration);
      if (guest && !guest.checked_in_at) {
        guest.checked_in_at = item.at;
        guest.checked_in_by = texts.this_device;
        guest.pending = true;
      }
    });
  }

  function counts() {
    var base = snapshot ? snapshot.counts : { checked_in: 0, expected: 0 };
    var pending = guests().filter(function (g) { return g.pending; }).length;
    return { checked_in: base.checked_in + pending, expected: base.expected };
  }

  function refresh() {
    return fetch(root.dataset.snapshotUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      if (response.redirected || !response.ok) throw new Error("session");
      return response.json();
    }).then(function (data) {
      reachable = true;
      data.fetched_at = new Date().toISOString();
      snapshot = data;
      applyQueue();
      save(KEYS.snapshot, snapshot);
      renderStatus();
      if (els.query.value.trim()) renderResults();
    }).catch(function (error) {
      reachable = false;
      if (error.message === "session") showSessionEnded();
      renderStatus();
    });
  }

  // --- sending check-ins ------------------------------------------------------------

  function send() {
    if (sending || !queue.length) return Promise.resolve();
    sending = true;
    var batch = queue.slice(0, 200);
    return fetch(root.dataset.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify({ check_ins: batch }),
    }).then(function (response) {
      if (response.redirected || response.status === 403) throw new Error("session");
      if (!response.ok) throw new Error("server");
      return response.json();
    }).then(function (data) {
      reachable = true;
      var done = {};
      data.results.forEach(function (result) {
        done[result.client_id] = true;
        var guest = guestById(result.id);
        if (guest && result.outcome !== "unknown") {
          guest.checked_in_at = result.checked_in_at;
          guest.checked_in_by = result.checked_in_by;
          guest.refusal = result.refusal;
          guest.pending = false;
        }
        var item = batch.filter(function (b) { return b.client_id === result.client_id; })[0];
        var shownHere = item && item.shown === "admitted";
        if (result.outcome === "earlier_kept" || (result.outcome === "already_checked_in" && shownHere)) {
          show("conflict", result.name, result.message);
        } else if (result.outcome === "refused" || result.outcome === "unknown") {
          show("refused", result.name || "", result.message);
        }
      });
      queue = queue.filter(function (item) { return !done[item.client_id]; });
      save(KEYS.queue, queue);
      if (snapshot) {
        snapshot.counts = data.counts;
        save(KEYS.snapshot, snapshot);
      }
    }).catch(function (error) {
      reachable = false;
      if (error.message === "session") showSessionEnded();
    }).then(function () {
      sending = false;
      renderStatus();
      if (els.query.value.trim()) renderResults();
    });
  }

  function checkIn(id) {
    var guest = guestById(id);
    if (!guest) return false;
    if (guest.refusal) {
      show("refused", guest.name, fmt(texts.refused, { reason: guest.refusal }));
    } else if (guest.checked_in_at) {
      show("already_checked_in", guest.name,
        fmt(texts.already, { time: clock(guest.checked_in_at), who: guest.checked_in_by }));
    } else {
      var at = new Date().toISOString();
      queue.push({ client_id: newId(), registration: id, at: at, shown: "admitted" });
      save(KEYS.queue, queue);
      guest.checked_in_at = at;
      guest.checked_in_by = texts.this_device;
      guest.pending = true;
      save(KEYS.snapshot, snapshot);
      show("checked_in", guest.name,
        fmt(reachable ? texts.checked_in : texts.checked_in_offline, { time: clock(at) }));
      send();
    }
    renderStatus();
    renderResults();
    return true;
  }

  // --- showing ----------------------------------------------------------------------

  var TITLES = {
    checked_in: "admitted_title",
    already_checked_in: "already_title",
    refused: "refused_title",
    conflict: "conflict_title",
  };

  function show(kind, name, message) {
    els.result.className = "door-result door-result-" + kind;
    els.result.textContent = "";
    [["door-result-title", texts[TITLES[kind]]], ["door-result-name", name],
      ["door-result-message", message]].forEach(function (part) {
      if (!part[1]) return;
      var p = document.createElement("p");
      p.className = part[0];
      p.textContent = part[1];
      els.result.appendChild(p);
    });
  }

  function showSessionEnded() {
    show("refused", "", texts.session_ended);
  }

  function renderStatus() {
    var now = counts();
    els.checkedIn.textContent = now.checked_in;
    els.expected.textContent = now.expected;
    els.status.hidden = false;
    var online = reachable && navigator.onLine;
    els.status.className = "door-status " + (online ? "door-online" : "door-offline");
    els.online.textContent = online ? texts.online : texts.offline;
    if (snapshot && snapshot.fetched_at) {
      var minutes = Math.floor((Date.now() - new Date(snapshot.fetched_at)) / 60000);
      els.age.textContent = fmt(texts.snapshot_age, { time: clock(snapshot.fetched_at), minutes: minutes });
    } else {
      els.age.textContent = texts.no_snapshot;
    }
    els.queued.textContent = fmt(texts.queued, { count: queue.length });
  }

  function matches(guest, words, code) {
    if (code.length >= 4 && guest.code.indexOf(code) === 0) return true;
    var haystack = (guest.name + " " + guest.organisation).toLowerCase();
    return words.every(function (word) { return haystack.indexOf(word) !== -1; });
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function guestItem(guest) {
    var li = element("li", "guest" + (guest.refusal ? " guest-refused" : guest.checked_in_at ? " guest-in" : ""));
    li.appendChild(element("p", "guest-name", guest.name));
    li.appendChild(element("p", "guest-org", guest.organisation));
    li.appendChild(element("p", "guest-code", grouped(guest.code)));
    if (guest.refusal) {
      var refused = element("p", "guest-flag guest-flag-refused");
      refused.appendChild(element("strong", "", texts.refused_title));
      refused.appendChild(document.createTextNode(" " + guest.refusal));
      li.appendChild(refused);
    } else if (guest.checked_in_at) {
      var flag = element("p", "guest-flag guest-flag-in");
      flag.appendChild(element("strong", "", texts.already_title));
      flag.appendChild(document.createTextNode(" " +
        fmt(texts.already, { time: clock(guest.checked_in_at), who: guest.checked_in_by })));
      li.appendChild(flag);
      // Undo needs the server: the plain form, which reloads the page.
      var undo = element("form", "guest-action");
      undo.method = "post";
      undo.action = root.dataset.undoUrl.replace("/0/", "/" + guest.id + "/");
      undo.appendChild(hidden("csrfmiddlewaretoken", csrf));
      undo.appendChild(hidden("q", els.query.value));
      var undoButton = element("button", "button button-secondary", texts.undo);
      undoButton.type = "submit";
      undoButton.appendChild(element("span", "visually-hidden", ": " + guest.name));
      undo.appendChild(undoButton);
      undo.addEventListener("submit", function (event) {
        if (!(reachable && navigator.onLine) || guest.pending) {
          event.preventDefault();
          show("refused", guest.name, texts.undo_offline);
        }
      });
      li.appendChild(undo);
    } else {
      var button = element("button", "button door-admit", texts.check_in);
      button.type = "button";
      button.appendChild(element("span", "visually-hidden", ": " + guest.name));
      button.addEventListener("click", function () { checkIn(guest.id); });
      li.appendChild(button);
    }
    return li;
  }

  function hidden(name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    return input;
  }

  function renderResults() {
    if (!snapshot) return;
    var query = els.query.value.trim();
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    var code = normaliseCode(query);
    var found = words.length ? guests().filter(function (g) { return matches(g, words, code); }).slice(0, 20) : [];
    els.results.textContent = "";
    found.forEach(function (guest) { els.results.appendChild(guestItem(guest)); });
    els.empty.hidden = !(words.length && !found.length);
  }

  // --- camera -----------------------------------------------------------------------

  function setUpCamera() {
    var box = document.getElementById("door-camera");
    var toggle = document.getElementById("door-camera-toggle");
    var video = document.getElementById("door-video");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
    box.hidden = false;
    var stream = null;
    var detector = null;
    var canvas = document.createElement("canvas");
    var lastCode = "";
    var lastAt = 0;

    function stop() {
      if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
      video.hidden = true;
      toggle.textContent = texts.camera_start;
      toggle.setAttribute("aria-pressed", "false");
    }

    function found(text) {
      var code = normaliseCode(text);
      var now = Date.now();
      if (code === lastCode && now - lastAt < 4000) return;  // the same code held up
      lastCode = code;
      lastAt = now;
      var guest = guests().filter(function (g) { return g.code === code; })[0];
      if (guest) {
        els.query.value = grouped(code);
        checkIn(guest.id);
      } else {
        show("refused", "", fmt(texts.unknown_code, { code: text.slice(0, 40) }));
      }
    }

    function scan() {
      if (!stream) return;
      if (video.readyState >= 2) {
        if (detector) {
          detector.detect(video).then(function (codes) {
            if (codes.length) found(codes[0].rawValue);
          }).catch(function () { detector = null; });
        } else if (window.jsQR) {
          canvas.width = video.videoWidth;
          canvas.height = video.videoHeight;
          var context = canvas.getContext("2d", { willReadFrequently: true });
          context.drawImage(video, 0, 0);
          var image = context.getImageData(0, 0, canvas.width, canvas.height);
          var result = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
          if (result) found(result.data);
        }
      }
      setTimeout(scan, 250);
    }

    toggle.addEventListener("click", function () {
      if (stream) return stop();
      if ("BarcodeDetector" in window) {
        try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
      }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          toggle.textContent = texts.camera_stop;
          toggle.setAttribute("aria-pressed", "true");
          return video.play();
        }).then(scan).catch(function () {
          stop();
          show("refused", "", texts.camera_failed);
        });
    });
  }

  // --- wiring -----------------------------------------------------------------------

  els.query.addEventListener("input", renderResults);
  els.search.addEventListener("submit", function (event) {
    if (snapshot) {
      event.preventDefault();
      renderResults();
    }
  });
  // Server-rendered results (a search sent before the script ran): tap checks in here too.
  els.results.addEventListener("submit", function (event) {
    var id = event.target.dataset && event.target.dataset.guest;
    if (id && snapshot && checkIn(parseInt(id, 10))) event.preventDefault();
  });
  // --- the page itself offline: a service worker keeps it for a reload --------------

  function setUpServiceWorker() {
    if (!("serviceWorker" in navigator) || !root.dataset.serviceWorkerUrl) return;
    navigator.serviceWorker
      .register(root.dataset.serviceWorkerUrl, { scope: root.dataset.doorUrl })
      .catch(function () {});  // without it the page still works, only not after a reload
  }

  function wipeServiceWorker() {
    var jobs = [];
    if (window.caches) {
      jobs.push(caches.keys().then(function (keys) {
        return Promise.all(keys.filter(function (key) { return key.indexOf("door-") === 0; })
          .map(function (key) { return caches.delete(key); }));
      }));
    }
    if ("serviceWorker" in navigator) {
      jobs.push(navigator.serviceWorker.getRegistrations().then(function (registrations) {
        return Promise.all(registrations.map(function (registration) { return registration.unregister(); }));
      }));
    }
    return Promise.all(jobs);
  }

  if (els.logout) {
    els.logout.addEventListener("submit", function (event) {
      localStorage.removeItem(KEYS.snapshot);
      localStorage.removeItem(KEYS.queue);
      // The cached page and the worker go too, before the form is sent (Clear-Site-Data
      // on the answer covers a browser where this fails).
      event.preventDefault();
      var sent = false;
      function submit() {
        if (sent) return;
        sent = true;
        els.logout.submit();
      }
      setTimeout(submit, 2000);
      wipeServiceWorker().then(submit, submit);
    });
  }
  window.addEventListener("online", function () {
    reachable = true;
    send().then(refresh);
  });
  window.addEventListener("offline", function () {
    reachable = false;
    renderStatus();
  });
  setInterval(function () { send().then(refresh); }, REFRESH_MS);
  setInterval(renderStatus, 15000);

  applyQueue();
  renderStatus();
  setUpCamera();
  setUpServiceWorker();
  send().then(refresh);
})();
