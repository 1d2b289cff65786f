/* Dosewise on a phone: registers the service worker, and queues the Today check-in while offline.

   Without JavaScript every form posts as usual. With it, a check-in (score, planned dose, side effect,
   "Something worrying?") made while the phone is offline is kept in IndexedDB with its own client id, which
   is sent as the Idempotency-Key: when the phone is back online the queue is sent to the JSON API, and a
   retried or twice-sent entry is still logged once. */
(function () {
  "use strict";

  var DB_NAME = "dosewise-offline";
  var STORE = "checkins";
  var CHECKIN = ["/today/rating", "/today/dose", "/today/side-effect", "/today/worry"];
  var SENT_NOTE = "dosewise-sent";

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function queued() { return withStore("readonly", function (s) { return s.getAll(); }); }
  function keep(item) { return withStore("readwrite", function (s) { return s.put(item); }); }
  function forget(id) { return withStore("readwrite", function (s) { return s.delete(id); }); }

  function newId() {
    if (window.crypto && crypto.randomUUID) {
      return "phone-" + crypto.randomUUID();
    }
    return "phone-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  /* The plain-words note at the top of the page (role=status, read out by screen readers). */
  function say(text, urgent) {
    var box = document.getElementById("offline-status");
    if (!box) {
      box = document.createElement("p");
      box.id = "offline-status";
      box.setAttribute("role", "status");
      var main = document.getElementById("main");
      (main || document.body).insertBefore(box, (main || document.body).firstChild);
    }
    box.className = urgent ? "offline-note urgent-note" : "offline-note";
    box.textContent = text;
    box.hidden = false;
  }

  var SAVED = "Saved on this phone — will be sent when you are back online.";
  var NOT_YET = " It has NOT reached your journal yet, so no alert has been raised. " +
    "If this is urgent, call your doctor or emergency services now.";

  function queueCheckin(form, submitter, action) {
    var data = {};
    new FormData(form, submitter).forEach(function (value, name) {
      if (name !== "csrf_token" && name !== "request_id" && typeof value === "string") {
        data[name] = value;
      }
    });
    var label = ((submitter && submitter.textContent) || action).replace(/\s+/g, " ").trim();
    var item = { id: newId(), action: action, data: data, label: label, queuedAt: new Date().toISOString() };
    return keep(item).then(function () {
      var worry = action === "/today/worry";
      say(SAVED + (worry ? NOT_YET : "") + " (" + label + ")", worry);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var action = new URL(form.action, window.location.href).pathname;
    if (navigator.onLine || CHECKIN.indexOf(action) < 0) {
      return; /* online, or not a check-in: the form posts as usual */
    }
    event.preventDefault();
    queueCheckin(form, event.submitter, action).catch(function () {
      say("This phone could not keep the entry (its storage is full or blocked). Nothing was saved.", true);
    });
  });

  var sending = false;

  /* Send every queued check-in once the server can be reached; a refused one is dropped with its reason. */
  function sendQueue() {
    if (sending || !navigator.onLine || !window.indexedDB) {
      return Promise.resolve();
    }
    sending = true;
    var sent = 0;
    var refused = [];
    function next(items) {
      if (!items.length) {
        return Promise.resolve();
      }
      var item = items[0];
      return fetch("/api/v1" + item.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "Idempotency-Key": item.id },
        body: JSON.stringify(item.data)
      }).then(function (response) {
        if (response.ok) {
          sent += 1;
          return forget(item.id).then(function () { return next(items.slice(1)); });
        }
        if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
          return response.json().catch(function () { return {}; }).then(function (body) {
            refused.push(item.label + ": " + (body.error || "refused"));
            return forget(item.id).then(function () { return next(items.slice(1)); });
          });
        }
        return undefined; /* the server is busy: try again later */
      });
    }
    return queued().then(next).catch(function () { /* still offline: the queue stays */ }).then(function () {
      sending = false;
      if (refused.length) {
        say("Not saved: " + refused.join(" "), true);
      } else if (sent) {
        sessionStorage.setItem(SENT_NOTE, String(sent));
        window.location.reload();
      }
    });
  }

  function showWaiting() {
    var done = sessionStorage.getItem(SENT_NOTE);
    if (done) {
      sessionStorage.removeItem(SENT_NOTE);
      say(done === "1" ? "The entry saved on this phone is now in your journal." :
        done + " entries saved on this phone are now in your journal.", false);
    }
    if (!navigator.onLine && window.indexedDB) {
      queued().then(function (items) {
        if (items.length) {
          say(items.length + (items.length === 1 ? " entry is" : " entries are") +
            " saved on this phone and will be sent when you are back online.", false);
        }
      });
    }
  }

  window.addEventListener("online", sendQueue);
  window.addEventListener("offline", showWaiting);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* the page works without */ });
  }
  showWaiting();
  sendQueue();
}());
