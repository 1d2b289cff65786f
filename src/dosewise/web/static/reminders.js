/* Dosewise reminders while a page is open: poll the JSON twin of /reminders, show each newly due reminder as a
   browser notification (when allowed) and in the page's live region with Taken / Skipped / Snooze 30 min.
   No inline script (the CSP forbids it); works without this file too (the page lists and answers them). */
(function () {
  "use strict";
  var live = document.getElementById("reminders-live");
  if (!live || live.dataset.poll !== "True") return;
  var asked = Number(new URLSearchParams(window.location.search).get("poll"));
  var every = (asked >= 1 && asked <= 300 ? asked : 30) * 1000;
  var store = window.sessionStorage;
  var SEEN = "dosewise-reminders-seen";

  function seen() {
    try { return JSON.parse(store.getItem(SEEN) || "{}"); } catch (e) { return {}; }
  }

  function remember(ids) {
    try { store.setItem(SEEN, JSON.stringify(ids)); } catch (e) { /* private mode: notify again, harmless */ }
  }

  function csrf() {
    var field = document.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  function requestId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function notify(r) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    var n = new Notification("Dosewise: " + r.kind_label + " (" + r.due_time + ")", { body: r.what, tag: r.id });
    n.onclick = function () { window.focus(); live.scrollIntoView(); };
  }

  function hidden(form, name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }

  function button(form, value, text, light) {
    var b = document.createElement("button");
    b.type = "submit";
    b.name = "answer";
    b.value = value;
    b.className = light ? "button light" : "button";
    b.textContent = text;
    form.appendChild(b);
  }

  function item(r) {
    var box = document.createElement("div");
    box.className = "reminder due-now";
    var p = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = r.kind_label + " (" + r.due_time + "): ";
    p.appendChild(strong);
    p.appendChild(document.createTextNode(r.what));
    box.appendChild(p);
    var form = document.createElement("form");
    form.method = "post";
    form.action = "/reminders/answer";
    form.className = "answer";
    hidden(form, "csrf_token", csrf());
    hidden(form, "request_id", requestId());
    hidden(form, "reminder", r.id);
    hidden(form, "channel", "notification");
    button(form, "taken", r.kind === "dose" ? "Taken" : "Done", false);
    button(form, "skipped", "Skipped", true);
    button(form, "snooze", "Snooze 30 min", true);
    box.appendChild(form);
    return box;
  }

  function show(due) {
    live.textContent = "";
    if (!due.length) return;
    var h = document.createElement("h2");
    h.textContent = due.length === 1 ? "A reminder is due now" : due.length + " reminders are due now";
    live.appendChild(h);
    due.forEach(function (r) { live.appendChild(item(r)); });
  }

  function poll() {
    fetch("/api/v1/reminders", { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (page) {
        if (!page) return;
        var ids = seen();
        var listed = {};
        document.querySelectorAll("[data-reminder-due]").forEach(function (el) { listed[el.dataset.reminderDue] = true; });
        var due = page.reminders.reminders.filter(function (r) { return r.due_now; });
        due.forEach(function (r) {
          var key = r.id + "@" + r.due;
          if (!ids[key]) { ids[key] = true; notify(r); }
        });
        remember(ids);
        show(due.filter(function (r) { return !listed[r.id]; }));
      })
      .catch(function () { /* offline or server stopped: try again next round */ });
  }

  var allow = document.getElementById("reminders-allow");
  if (allow && "Notification" in window && Notification.permission === "default") {
    allow.hidden = false;
    allow.addEventListener("click", function () {
      Notification.requestPermission().then(function () { allow.hidden = true; });
    });
  }
  poll();
  window.setInterval(poll, every);
})();
