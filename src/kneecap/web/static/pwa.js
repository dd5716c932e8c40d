// Kneecap on the phone: progressive enhancement, every page works without this file.
// - registers the service worker (only in a secure context: https, or this computer's own
//   address) and asks it to keep the exercises and figures the page links to for offline use;
// - the outbox (outbox.js): a session or check-in form sent while offline is kept on the device
//   and sent when back online; the page says what waits, and each form the server refused (with
//   its reason and what was typed) until the runner dismisses it;
// - reminders: once the runner allows notifications, a notification at the reminder time on
//   days with a session, while the app is open.
"use strict";

(function () {
  const FORMS = ["/sessions", "/checkin"];
  const NOTIFY_KEY = "kneecap-notify";
  const NOTIFIED_KEY = "kneecap-notified";
  const REMINDER_KEY = "kneecap-reminder";
  const SAVED = "Saved on this phone; it will be sent when you are back online.";
  const outbox = self.KneecapOutbox;

  function status(text) {
    let box = document.getElementById("outbox-status");
    if (!text) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("p");
      box.id = "outbox-status";
      box.className = "outbox-status";
      box.setAttribute("role", "status");
      const main = document.querySelector("main") || document.body;
      main.prepend(box);
    }
    box.textContent = text;
  }

  function csrf() {
    const field = document.querySelector("input[name=csrf]");
    return field ? field.value : null;
  }

  function plural(n, word) { return `${n} ${word}${n === 1 ? "" : "s"}`; }

  async function flush() {
    if (!outbox) return;
    let result;
    try { result = await outbox.flush(csrf()); } catch (e) { return; }
    tell(result);
  }

  let sentSoFar = 0;
  const told = new WeakSet(); // two callers of one flush share its result: count it once
  function tell(result) {
    if (told.has(result)) return;
    told.add(result);
    sentSoFar += result.sent;
    result = { ...result, sent: sentSoFar };
    const parts = [];
    if (result.sent) parts.push(`Sent ${plural(result.sent, "form")} saved on this phone while offline.`);
    if (result.waiting) parts.push(`${plural(result.waiting, "form")} saved on this phone will be sent when you are back online.`);
    if (result.sent && location.pathname === "/today") parts.push("Reload the page to see them.");
    if (parts.length) status(parts.join(" "));
    if (result.refused) showRefused();
  }

  // --- forms the server refused: kept, said in words, until dismissed -----------------------

  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

  // "2026-12-01" → "Tuesday 1 December" (with its year when it is not this year's).
  function dayWords(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    if (!m) return null;
    const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (d.getMonth() !== Number(m[2]) - 1) return null;
    const year = d.getFullYear() === new Date().getFullYear() ? "" : ` ${d.getFullYear()}`;
    return `${WEEKDAYS[d.getDay()]} ${d.getDate()} ${MONTHS[d.getMonth()]}${year}`;
  }

  // What was typed, in words: "Morning check-in of Tuesday 1 December, pain 3/10, swollen".
  function formWords(entry) {
    const f = new Map(entry.fields);
    const kept = dayWords(f.get("saved_on") || entry.saved);
    if (entry.url === "/checkin") {
      const parts = [`Morning check-in${kept ? ` of ${kept}` : ""}`];
      if (f.get("morning_pain")) parts.push(`pain ${f.get("morning_pain")}/10`);
      if (f.get("stiffness")) parts.push(`stiffness ${f.get("stiffness")}/10`);
      if (f.get("swelling") === "yes") parts.push("swollen");
      if (f.get("limp") === "yes") parts.push("limping");
      return parts.join(", ");
    }
    const day = dayWords(f.get("date")) || kept;
    const done = entry.fields.filter(([name, value]) => /^done_\d+$/.test(name) && value === "yes").length;
    const parts = [`Session${day ? ` of ${day}` : ""}`, plural(done, "exercise")];
    if (f.get("pain_after")) parts.push(`pain after ${f.get("pain_after")}/10`);
    return parts.join(", ");
  }

  // The server's reason without the field path it starts with, its dates in words.
  function reasonWords(reason) {
    let text = String(reason || "").trim();
    while (/^(check-in|session|saved_on|entries|token|items|date): /.test(text)) {
      text = text.replace(/^[^:]+: /, "");
    }
    text = text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (iso) => dayWords(iso) || iso);
    return /[.!?]$/.test(text) ? text : `${text}.`;
  }

  async function showRefused() {
    if (!outbox) return;
    let refused;
    try { refused = (await outbox.all()).filter((e) => e.refused); } catch (e) { return; }
    let box = document.getElementById("outbox-refused");
    if (!refused.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("section");
      box.id = "outbox-refused";
      box.className = "outbox-refused";
      box.setAttribute("role", "alert");
      const main = document.querySelector("main") || document.body;
      main.prepend(box);
    }
    box.replaceChildren();
    for (const entry of refused.sort((a, b) => a.id - b.id)) {
      const line = document.createElement("p");
      line.className = "outbox-refused-entry";
      const words = document.createElement("span");
      words.textContent = `${formWords(entry)}: not stored — ${reasonWords(entry.refused)}`;
      const dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.className = "secondary";
      dismiss.textContent = "Dismiss";
      dismiss.addEventListener("click", async () => {
        try { await outbox.remove(entry.id); } catch (e) { return; }
        showRefused();
      });
      line.append(words, " ", dismiss);
      box.append(line);
    }
  }

  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "outbox") tell(event.data);
    });
  }

  // Without a service worker (plain http on the home network), an offline submit is kept here.
  function keepOfflineSubmits() {
    document.addEventListener("submit", async (event) => {
      const form = event.target;
      const action = new URL(form.action, location.href);
      if (!outbox || action.origin !== location.origin || !FORMS.includes(action.pathname)) return;
      if (navigator.onLine || (navigator.serviceWorker && navigator.serviceWorker.controller)) return;
      event.preventDefault();
      const fields = [];
      for (const [name, value] of new FormData(form, event.submitter).entries()) {
        if (typeof value === "string") fields.push([name, value]);
      }
      fields.push(["saved_on", new Date().toLocaleDateString("en-CA")]);
      try {
        await outbox.add(action.pathname, fields);
        status(SAVED);
      } catch (e) {
        status("You are offline and this phone could not keep the form: try again when you are back online.");
      }
    });
  }

  function linked() {
    const urls = new Set(["/today", "/plan", "/exercises"]);
    for (const a of document.querySelectorAll("a[href^='/exercises/'], nav a[href^='/']")) urls.add(a.getAttribute("href"));
    for (const img of document.querySelectorAll("img[src^='/figures/']")) urls.add(img.getAttribute("src"));
    return [...urls];
  }

  async function register() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
    try {
      await navigator.serviceWorker.register("/sw.js", { scope: "/" });
      const ready = await navigator.serviceWorker.ready;
      if (ready.active) ready.active.postMessage({ type: "warm", urls: linked() });
    } catch (e) { /* no worker: the pages work online as always */ }
  }

  // --- reminders --------------------------------------------------------------------------

  function notificationsPossible() {
    return "Notification" in window && window.isSecureContext;
  }

  async function show(title, body) {
    const reg = navigator.serviceWorker && await navigator.serviceWorker.getRegistration();
    if (reg && reg.active) {
      reg.active.postMessage({ type: "notify", title, body });
    } else {
      new Notification(title, { body, icon: "/icons/icon-192.png" });
    }
  }

  async function reminderInfo() {
    try {
      const answer = await fetch("/api/reminders", { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (answer.ok) {
        const info = await answer.json();
        localStorage.setItem(REMINDER_KEY, JSON.stringify(info));
        return info;
      }
    } catch (e) { /* offline: the last one known */ }
    try { return JSON.parse(localStorage.getItem(REMINDER_KEY) || "null"); } catch (e) { return null; }
  }

  function localDate(d) { return d.toLocaleDateString("en-CA"); }

  let timer = null;
  async function schedule() {
    if (!notificationsPossible() || Notification.permission !== "granted") return;
    if (localStorage.getItem(NOTIFY_KEY) !== "on") return;
    const info = await reminderInfo();
    if (!info || !info.reminder_time) return;
    const now = new Date();
    const [h, m] = info.reminder_time.split(":").map(Number);
    const at = new Date(now.getFullYear(), now.getMonth(), now.getDate(), h, m);
    const today = localDate(now);
    const sessions = info.today && info.today.date === today ? info.today.sessions : [];
    if (!sessions.length || localStorage.getItem(NOTIFIED_KEY) === today) return;
    clearTimeout(timer);
    if (at < now) return; // the time has passed today: nothing to remind of
    timer = setTimeout(async () => {
      const fresh = await reminderInfo(); // logged since the page opened? then no reminder
      const left = fresh && fresh.today && fresh.today.date === today ? fresh.today.sessions : sessions;
      if (!left.length || localStorage.getItem(NOTIFIED_KEY) === today) return;
      localStorage.setItem(NOTIFIED_KEY, today);
      show("Kneecap: time for today's session", left.join(" · "));
    }, at - now);
  }

  function notifyBox() {
    const box = document.querySelector("[data-notify]");
    if (!box) return;
    if (!notificationsPossible()) {
      const why = box.querySelector("[data-notify-unavailable]");
      if (why) { why.hidden = false; box.hidden = false; }
      return;
    }
    box.hidden = false;
    const button = box.querySelector("button[data-notify-on]");
    const off = box.querySelector("button[data-notify-off]");
    const said = box.querySelector("[data-notify-status]");
    const refresh = () => {
      const on = Notification.permission === "granted" && localStorage.getItem(NOTIFY_KEY) === "on";
      if (said) said.textContent = on
        ? "This phone will remind you at your reminder time on session days, while Kneecap is open."
        : Notification.permission === "denied"
          ? "Notifications are blocked for Kneecap in this browser's settings."
          : "";
      if (button) button.hidden = on;
      if (off) off.hidden = !on;
    };
    if (button) button.addEventListener("click", async () => {
      const answer = await Notification.requestPermission();
      if (answer === "granted") localStorage.setItem(NOTIFY_KEY, "on");
      refresh();
      schedule();
    });
    if (off) off.addEventListener("click", () => {
      localStorage.removeItem(NOTIFY_KEY);
      clearTimeout(timer);
      refresh();
    });
    refresh();
  }

  function copyButtons() {
    for (const button of document.querySelectorAll("button[data-copy]")) {
      const field = document.getElementById(button.dataset.copy);
      if (!field) continue;
      button.hidden = false;
      button.addEventListener("click", async () => {
        field.select();
        try {
          await navigator.clipboard.writeText(field.value);
          button.textContent = "Copied";
        } catch (e) {
          button.textContent = "Selected: copy it from the menu";
        }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    keepOfflineSubmits();
    register();
    showRefused();
    flush();
    notifyBox();
    copyButtons();
    schedule();
  });
  window.addEventListener("online", flush);
  // An app left open: the next day's reminder is set when it is looked at again.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") schedule();
  });
})();
