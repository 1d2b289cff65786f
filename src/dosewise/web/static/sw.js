/* Dosewise service worker: keeps the Today page and the static files so the daily check-in opens offline.
   Check-ins made offline are queued on the phone by /static/offline.js (IndexedDB) and sent when the phone is
   back online, each with its own Idempotency-Key, so the server logs each exactly once. */
"use strict";

const CACHE = "dosewise-v1";
const SHELL = ["/today", "/static/app.css", "/static/offline.js", "/static/icons/icon-192.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

/* The network first (fresh data when online); the kept copy only when the network cannot be reached. */
function networkFirst(request, key) {
  return fetch(request)
    .then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(key, copy));
      }
      return response;
    })
    .catch(() => caches.match(key).then((hit) => hit || Response.error()));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return; /* writes always go to the server (offline.js queues check-ins itself) */
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(networkFirst(request, url.pathname));
  } else if (request.mode === "navigate" && url.pathname === "/today") {
    event.respondWith(networkFirst(request, "/today"));
  }
});
