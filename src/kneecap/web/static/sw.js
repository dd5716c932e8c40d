// Kneecap's service worker, served at /sw.js (scope: the whole app). After one visit, Today,
// the plan, the return-to-run check, the exercise pages with their figures, every static file
// (each page's scripts and styles, the guided player's too) and the guided player work offline:
// - static files, icons and figures: cache first (their cache is renamed when they change);
// - pages: network first, the cached copy when the network fails;
// - a session or check-in form sent offline is kept on the device (outbox.js) and sent when the
//   device is back online (Background Sync where the browser has it, else the next page load).
// __VERSION__ is replaced by the server with a digest of the static files.
"use strict";

importScripts("/static/outbox.js");

const VERSION = "__VERSION__";
const CACHE = `kneecap-${VERSION}`;
const STATIC = [
  "/static/app.css",
  "/static/app.js",
  "/static/pwa.css",
  "/static/pwa.js",
  "/static/outbox.js",
  "/static/player.css",
  "/static/player.js",
  "/static/runs.css",
  "/static/runs.js",
  "/static/form.css",
  "/static/form.js",
  "/manifest.webmanifest",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/icons/icon.svg",
];
const PAGES = ["/today", "/plan", "/run-check", "/exercises", "/learn"];
const STATIC_PREFIXES = ["/static/", "/icons/", "/figures/"];
const NEVER = ["/api/", "/calendar/", "/plan.ics", "/sw.js"]; // data, secrets, the worker itself
const DROPPED = ["saved", "checked_in"]; // one-off notices: the page is the same without them
const SYNC_TAG = "kneecap-outbox";
const WARM_LIMIT = 120;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.allSettled([...STATIC.map((u) => cache.add(u)), ...PAGES.map((u) => keepPage(cache, u))]);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("kneecap-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function pageKey(url) {
  const u = new URL(url, self.location.origin);
  for (const name of DROPPED) u.searchParams.delete(name);
  u.hash = "";
  return u.href;
}

async function keepPage(cache, url) {
  const answer = await fetch(url, { credentials: "same-origin" });
  if (answer.ok && !answer.redirected) await cache.put(pageKey(url), answer);
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const found = await cache.match(request);
  if (found) return found;
  const answer = await fetch(request);
  if (answer.ok) await cache.put(request, answer.clone());
  return answer;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const answer = await fetch(request);
    if (answer.ok && answer.type === "basic") {
      await cache.put(pageKey(answer.url || request.url), answer.clone());
    }
    return answer;
  } catch (offline) {
    const url = new URL(request.url);
    const found = (await cache.match(pageKey(request.url)))
      || (await cache.match(url.origin + url.pathname))
      || (url.pathname === "/" ? await cache.match(url.origin + "/today") : undefined);
    if (found) return found;
    return offlinePage("You are offline", "This page was not saved on this phone yet. Today and the plan are, once you have opened them.", 503);
  }
}

function offlinePage(title, text, status = 200) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Kneecap</title>
<link rel="stylesheet" href="/static/app.css"><link rel="stylesheet" href="/static/pwa.css">
<script src="/static/outbox.js" defer></script><script src="/static/pwa.js" defer></script></head>
<body><main id="main"><h1>${title}</h1><p class="saved" role="status">${text}</p>
<p><a class="button" href="/today">Back to Today</a></p></main></body></html>`;
  return new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function sendOrKeep(request) {
  const copy = request.clone();
  try {
    return await fetch(request);
  } catch (offline) {
    const form = await copy.formData();
    const fields = [];
    for (const [name, value] of form.entries()) {
      if (typeof value === "string") fields.push([name, value]);
    }
    fields.push(["saved_on", new Date().toLocaleDateString("en-CA")]); // the phone's own date
    await KneecapOutbox.add(new URL(request.url).pathname, fields);
    if (self.registration.sync) {
      try { await self.registration.sync.register(SYNC_TAG); } catch (e) { /* sent on the next visit */ }
    }
    return offlinePage("Saved on this phone", "Saved on this phone; it will be sent when you are back online.");
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST") {
    if (request.mode === "navigate" && KneecapOutbox.forms.includes(url.pathname)) {
      event.respondWith(sendOrKeep(request));
    }
    return;
  }
  if (request.method !== "GET" || NEVER.some((p) => url.pathname.startsWith(p))) return;
  if (STATIC_PREFIXES.some((p) => url.pathname.startsWith(p)) || url.pathname === "/manifest.webmanifest") {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(request));
  }
});

// Back online: send what waits, and tell the open pages what was sent and what was refused.
async function flushAndTell() {
  const result = await KneecapOutbox.flush(null);
  if (result.sent || result.refused) {
    for (const client of await self.clients.matchAll({ type: "window" })) {
      client.postMessage({ type: "outbox", ...result });
    }
  }
}

self.addEventListener("sync", (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(flushAndTell());
});

// A page asks for what it links to (its exercises and figures) to be kept for offline use.
async function warm(urls) {
  const cache = await caches.open(CACHE);
  for (const raw of urls.slice(0, WARM_LIMIT)) {
    const url = new URL(raw, self.location.origin);
    if (url.origin !== self.location.origin || NEVER.some((p) => url.pathname.startsWith(p))) continue;
    const isStatic = STATIC_PREFIXES.some((p) => url.pathname.startsWith(p));
    const key = isStatic ? url.href : pageKey(url.href);
    if (await cache.match(key)) continue;
    try {
      if (isStatic) {
        const answer = await fetch(url.href);
        if (answer.ok) await cache.put(key, answer);
      } else {
        await keepPage(cache, url.href);
      }
    } catch (offline) {
      return;
    }
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "warm" && Array.isArray(data.urls)) event.waitUntil(warm(data.urls));
  if (data.type === "notify" && data.title) {
    event.waitUntil(self.registration.showNotification(data.title, {
      body: data.body || "",
      icon: "/icons/icon-192.png",
      tag: data.tag || "kneecap-reminder",
      data: { url: "/today" },
    }));
  }
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil((async () => {
    const open = await self.clients.matchAll({ type: "window" });
    for (const client of open) {
      if ("focus" in client) { await client.navigate("/today").catch(() => {}); return client.focus(); }
    }
    return self.clients.openWindow("/today");
  })());
});
