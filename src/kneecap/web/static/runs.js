// Progressive enhancement for the upload form (it works without this file): each chosen file is
// sent on its own to /api/runs with a progress bar and its outcome beside it, then the list of
// activities is refreshed in place.
"use strict";

function row(list, file) {
  const li = document.createElement("li");
  const name = document.createElement("span");
  name.className = "name";
  name.textContent = file.name;
  const bar = document.createElement("progress");
  bar.max = 100;
  bar.value = 0;
  bar.setAttribute("aria-label", "Upload of " + file.name);
  const state = document.createElement("span");
  state.className = "state";
  state.textContent = "waiting";
  li.append(name, bar, state);
  list.append(li);
  return { li, bar, state };
}

function describe(answer) {
  const f = (answer.files || [])[0];
  if (!f) return { outcome: "failed", text: answer.error || "failed" };
  const reasons = (f.failed || []).map((e) => (e.file !== f.file ? e.file + ": " : "") + e.error);
  const texts = {
    imported: "imported" + (f.imported > 1 ? " (" + f.imported + " activities)" : ""),
    known: "already known",
    partly: f.imported + " imported, " + f.duplicates + " already known, " + reasons.length + " failed",
    failed: "failed",
  };
  const text = texts[f.outcome] + (reasons.length ? ": " + reasons.join("; ") : "");
  return { outcome: f.outcome, text };
}

function send(form, file, ui) {
  return new Promise((resolve) => {
    const body = new FormData();
    body.append("files", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/runs");
    xhr.setRequestHeader("X-CSRF-Token", form.elements.csrf.value);
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) ui.bar.value = Math.round((100 * e.loaded) / e.total);
    });
    xhr.upload.addEventListener("load", () => {
      ui.bar.value = 100;
      ui.state.textContent = "reading…";
    });
    xhr.addEventListener("load", () => {
      let answer = {};
      try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = { error: "the server's answer was not readable" }; }
      const { outcome, text } = describe(answer);
      ui.li.className = outcome;
      ui.state.textContent = text;
      resolve(outcome);
    });
    xhr.addEventListener("error", () => {
      ui.li.className = "failed";
      ui.state.textContent = "failed: the connection to the server was lost";
      resolve("failed");
    });
    xhr.send(body);
  });
}

async function refresh() {
  const answer = await fetch("/runs", { credentials: "same-origin" });
  if (!answer.ok) return;
  const page = new DOMParser().parseFromString(await answer.text(), "text/html");
  const fresh = page.getElementById("runs-list");
  const old = document.getElementById("runs-list");
  if (fresh && old) old.replaceWith(fresh);
  const heading = page.querySelector("h1");
  const current = document.querySelector("h1");
  if (heading && current) current.innerHTML = heading.innerHTML;
}

function enhance(form) {
  const input = form.querySelector("input[type=file]");
  const list = form.querySelector("[data-progress]");
  const button = form.querySelector("button[type=submit]");
  if (!input || !list || !window.FormData || !window.XMLHttpRequest) return;
  list.setAttribute("aria-live", "polite");
  form.addEventListener("submit", async (event) => {
    const files = Array.from(input.files || []);
    if (!files.length) return; // the server explains what to choose
    event.preventDefault();
    button.disabled = true;
    list.replaceChildren();
    list.hidden = false;
    const rows = files.map((f) => row(list, f));
    for (let i = 0; i < files.length; i++) {
      rows[i].state.textContent = "uploading…";
      await send(form, files[i], rows[i]);
    }
    input.value = "";
    button.disabled = false;
    await refresh();
    form.dataset.done = "yes";
  });
}

for (const form of document.querySelectorAll("form[data-upload]")) enhance(form);
