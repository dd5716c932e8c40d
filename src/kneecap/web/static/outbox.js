// The outbox: forms (a session, a check-in) saved on this device while it was offline, kept in
// IndexedDB and sent when it is back online. Loaded by the pages (pwa.js) and by the service
// worker (importScripts), which share the one database.
//
// Exactly once: an entry is deleted only after the server answered 2xx or 3xx. An entry being
// sent is claimed for a while inside an IndexedDB transaction, so a page and the worker flushing
// together never send it twice; and the server itself stores a session once per form token and
// keeps one check-in a day, so a send whose answer was lost and is made again stores nothing new.
// An answer saying the form itself is wrong (a 4xx other than an expired page token, a timeout
// or "too many") is kept with what was typed, marked refused with the server's reason (asked
// for as JSON: `Accept: application/json` makes the form routes answer {"error": ...}), never
// sent again, and shown until the runner dismisses it (`remove`).
"use strict";

(function (scope) {
  const DB = "kneecap";
  const STORE = "outbox";
  const CLAIM_MS = 30000;
  const RETRIED = new Set([401, 403, 408, 425, 429]); // the page's token, or try again later

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function run(mode, work) {
    const db = await open();
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        let result;
        Promise.resolve(work(tx.objectStore(STORE))).then((r) => { result = r; }, reject);
        tx.oncomplete = () => resolve(result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }

  function request(r) {
    return new Promise((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  }

  // Keep a form: its address and its fields, in order. Returns the entry's id.
  function add(url, fields) {
    const entry = { url, fields, saved: new Date().toISOString(), claimed: 0, refused: null };
    return run("readwrite", (store) => request(store.add(entry)));
  }

  // Forget an entry (a refused one the runner has read).
  function remove(id) {
    return run("readwrite", (store) => request(store.delete(id)));
  }

  function all() {
    return run("readonly", (store) => request(store.getAll()));
  }

  // The entries to send now, each claimed for CLAIM_MS in the same transaction.
  function claim() {
    const now = Date.now();
    return run("readwrite", async (store) => {
      const entries = await request(store.getAll());
      const mine = entries.filter((e) => !e.refused && e.claimed < now);
      for (const e of mine) {
        e.claimed = now + CLAIM_MS;
        store.put(e);
      }
      return mine;
    });
  }

  function settle(entry, outcome) {
    return run("readwrite", (store) => {
      if (outcome === "sent") return request(store.delete(entry.id));
      entry.claimed = 0;
      if (outcome !== "retry") {
        entry.refused = outcome;
        entry.refused_on = new Date().toISOString();
      }
      return request(store.put(entry));
    });
  }

  let flushing = null;

  // Send what waits, oldest first. `csrf`, when given, replaces the stored form token (the
  // page's current one). Returns {sent, waiting, refused}.
  function flush(csrf) {
    if (!flushing) {
      flushing = send(csrf).finally(() => { flushing = null; });
    }
    return flushing;
  }

  async function send(csrf) {
    let sent = 0;
    const entries = (await claim()).sort((a, b) => a.id - b.id);
    for (const entry of entries) {
      const body = new URLSearchParams();
      for (const [name, value] of entry.fields) {
        body.append(name, name === "csrf" && csrf ? csrf : value);
      }
      let answer = null;
      try {
        answer = await fetch(entry.url, {
          method: "POST",
          body,
          credentials: "same-origin",
          redirect: "manual",
          headers: { Accept: "application/json" },
        });
      } catch (e) {
        answer = null; // still offline, or the server is away
      }
      if (answer && (answer.type === "opaqueredirect" || (answer.status >= 200 && answer.status < 400))) {
        await settle(entry, "sent");
        sent += 1;
      } else if (answer && answer.status >= 400 && answer.status < 500 && !RETRIED.has(answer.status)) {
        await settle(entry, await reason(answer));
      } else {
        await settle(entry, "retry");
        if (!answer) break; // no network: the rest waits too
      }
    }
    const left = await all();
    return {
      sent,
      waiting: left.filter((e) => !e.refused).length,
      refused: left.filter((e) => e.refused).length,
    };
  }

  // The server's reason for refusing a form: the JSON error's one line, else its status.
  async function reason(answer) {
    try {
      const doc = await answer.json();
      if (doc && typeof doc.error === "string" && doc.error.trim()) return doc.error.trim().slice(0, 500);
    } catch (e) { /* not JSON */ }
    return `the server refused it (${answer.status})`;
  }

  scope.KneecapOutbox = { add, all, remove, flush, forms: ["/sessions", "/checkin"] };
})(self);
