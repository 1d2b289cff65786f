/* Dosewise on a phone: registers the service worker, and queues the Today check-in when the server cannot
   be reached.

   Without JavaScript every form posts as usual. With it, a check-in (score, planned dose, side effect,
   "Something worrying?") made while the phone is offline - or says it is online but cannot reach the
   server - is kept in IndexedDB with the form's own token, which is sent as the Idempotency-Key: the queue
   is sent to the JSON API when the server answers again (tried every few seconds), and a retried or
   twice-sent entry is still logged once. */
(function () {
  "use strict";

  var DB_NAME = "dosewise-offline";
  var STORE = "checkins";
  var CHECKIN = ["/today/rating", "/today/dose", "/today/side-effect", "/today/worry"];
  var SENT_NOTE = "dosewise-sent";
  var RETRY_MS = 5000;

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

  function fieldsOf(form, submitter) {
    var data = {};
    new FormData(form, submitter).forEach(function (value, name) {
      if (name !== "csrf_token" && name !== "request_id" && typeof value === "string") {
        data[name] = value;
      }
    });
    return data;
  }

  /* The form's own token (its hidden request_id) becomes the queued entry's Idempotency-Key: if the post did
     reach the server and only its answer was lost, sending the queue later is answered, not written again. */
  function queueCheckin(form, submitter, action) {
    var token = form.querySelector('input[name="request_id"]');
    var label = ((submitter && submitter.textContent) || action).replace(/\s+/g, " ").trim();
    var item = {
      id: (token && token.value) || newId(), action: action, data: fieldsOf(form, submitter), label: label,
      queuedAt: new Date().toISOString()
    };
    return keep(item).then(function () {
      var worry = action === "/today/worry";
      say(SAVED + (worry ? NOT_YET : "") + " (" + label + ")", worry);
      retrySoon();
    });
  }

  function keepOrSay(form, submitter, action) {
    queueCheckin(form, submitter, action).catch(function () {
      say("This phone could not keep the entry (its storage is full or blocked). Nothing was saved.", true);
    });
  }

  /* A phone that says it is online may still not reach the server (weak Wi-Fi, the computer asleep): the
     check-in is posted in the background and kept on the phone if the server cannot be reached. A refused
     post (a message to fix) is posted again as usual - refused answers are never stored, so it is not a
     second entry - and the server's page shows the message as it does without JavaScript. */
  function postAsUsual(form, submitter) {
    if (submitter && submitter.name) {
      var pressed = document.createElement("input");
      pressed.type = "hidden";
      pressed.name = submitter.name;
      pressed.value = submitter.value;
      form.appendChild(pressed);
    }
    form.submit(); /* no submit event: this post is not caught again */
  }

  function postOrKeep(form, submitter, action) {
    var body = new URLSearchParams();
    new FormData(form, submitter).forEach(function (value, name) {
      if (typeof value === "string") {
        body.append(name, value);
      }
    });
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin", redirect: "follow" })
      .then(function (response) {
        if (response.ok && response.redirected) {
          window.location.replace(response.url);
          return undefined;
        }
        postAsUsual(form, submitter); /* a message to fix: the server shows it as without JavaScript */
        return undefined;
      }, function () {
        keepOrSay(form, submitter, action);
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var action = new URL(form.action, window.location.href).pathname;
    if (CHECKIN.indexOf(action) < 0 || !window.indexedDB || !window.fetch) {
      return; /* not a check-in: the form posts as usual */
    }
    event.preventDefault();
    if (navigator.onLine) {
      postOrKeep(form, event.submitter, action);
    } else {
      keepOrSay(form, event.submitter, action);
    }
  });

  var sending = false;

  /* Send every queued check-in once the server can be reached; a refused one is dropped with its reason. */
  function sendQueue() {
    if (sending || !window.indexedDB) {
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
    var left = true;
    return queued().then(function (items) {
      left = items.length > 0;
      return next(items).then(function () { left = false; });
    }).catch(function () { /* the server cannot be reached yet: the queue stays */ }).then(function () {
      sending = false;
      if (left) {
        retrySoon();
      }
      if (refused.length) {
        say("Not saved: " + refused.join(" "), true);
      } else if (sent) {
        sessionStorage.setItem(SENT_NOTE, String(sent));
        window.location.reload();
      }
    });
  }

  /* Try the queue again every few seconds while it holds entries: a phone does not always say when the
     server can be reached again (an "online" event comes only after the phone itself was offline). */
  var retry = null;
  function retrySoon() {
    if (retry === null) {
      retry = window.setTimeout(function () { retry = null; sendQueue(); }, RETRY_MS);
    }
  }

  function showWaiting() {
    var done = sessionStorage.getItem(SENT_NOTE);
    if (done) {
      sessionStorage.removeItem(SENT_NOTE);
      say(done === "1" ? "The entry saved on this phone is now in your journal." :
        done + " entries saved on this phone are now in your journal.", false);
    }
    if (window.indexedDB) {
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
