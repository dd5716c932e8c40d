// Progressive enhancement: every page works without this file. With it: live values beside the
// sliders, and the guided session player (one exercise at a time, countdowns for holds and rests,
// a beep, optional spoken cues). `?speed=N` runs the clock N times faster (demos and tests).
"use strict";

const speed = Math.max(1, Number(new URLSearchParams(location.search).get("speed")) || 1);

function showValues() {
  for (const input of document.querySelectorAll("input[type=range][data-show]")) {
    const out = document.getElementById(input.dataset.show);
    if (!out) continue;
    const show = () => { out.textContent = input.value; };
    input.addEventListener("input", show);
    show();
  }
}

let audio = null;
function beep(ms = 180, hz = 880) {
  try {
    audio = audio || new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = hz;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + ms / 1000);
  } catch (e) { /* no sound available: the countdown still shows */ }
}

function say(text, enabled) {
  if (!enabled || !("speechSynthesis" in window)) return;
  speechSynthesis.cancel();
  speechSynthesis.speak(new SpeechSynthesisUtterance(text));
}

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

function player(form) {
  const items = [...form.querySelectorAll("[data-item]")];
  if (!items.length) return;
  const bar = el("div", { class: "player", role: "region", "aria-label": "Guided session" });
  const start = el("button", { type: "button", class: "start" }, "Start guided session");
  const voiceBox = el("div", { class: "checks" });
  const voice = el("input", { type: "checkbox", id: form.id + "-voice" });
  voiceBox.append(voice, el("label", { for: voice.id }, "Spoken cues"));
  const status = el("p", { class: "progress", "aria-live": "polite" });
  const timer = el("p", { class: "timer", "aria-live": "off" });
  const controls = el("div", { class: "controls" });
  const setDone = el("button", { type: "button" }, "Set done");
  const next = el("button", { type: "button" }, "Next exercise");
  controls.append(setDone, next);
  bar.append(start, voiceBox, status, timer, controls);
  form.insertBefore(bar, form.querySelector(".items"));
  controls.hidden = true;

  let index = -1;
  let set = 0;
  let ticking = null;

  function countdown(seconds, label, then) {
    clearInterval(ticking);
    let left = seconds;
    timer.textContent = `${label} ${left}`;
    ticking = setInterval(() => {
      left -= 1;
      timer.textContent = left > 0 ? `${label} ${left}` : `${label} done`;
      if (left <= 3 && left > 0) beep(80, 660);
      if (left <= 0) {
        clearInterval(ticking);
        beep(300, 990);
        then();
      }
    }, 1000 / speed);
  }

  function show(i) {
    items.forEach((item, j) => { item.hidden = j !== i; });
    index = i;
    set = 0;
    const item = items[i];
    status.textContent = `Exercise ${i + 1} of ${items.length}: ${item.dataset.name}`;
    timer.textContent = "";
    say(item.dataset.name + ". " + (item.querySelector(".dose")?.textContent || ""), voice.checked);
    beginSet();
  }

  function beginSet() {
    const item = items[index];
    const hold = Number(item.dataset.hold) || 0;
    const sets = Number(item.dataset.sets) || 1;
    const sides = item.dataset.perSide === "yes" ? 2 : 1;
    const bouts = sets * sides;
    setDone.textContent = `Set ${Math.min(set + 1, bouts)} of ${bouts} done`;
    if (hold > 0) countdown(hold, "Hold", () => say("Rest", voice.checked));
  }

  setDone.addEventListener("click", () => {
    const item = items[index];
    const sets = (Number(item.dataset.sets) || 1) * (item.dataset.perSide === "yes" ? 2 : 1);
    set += 1;
    if (set >= sets) {
      timer.textContent = "All sets done: how did it feel? Then Next exercise.";
      return;
    }
    const rest = Number(item.dataset.rest) || 0;
    if (rest > 0) countdown(rest, "Rest", beginSet); else beginSet();
  });

  next.addEventListener("click", () => {
    clearInterval(ticking);
    if (index + 1 < items.length) show(index + 1);
    else {
      items.forEach((item) => { item.hidden = false; });
      status.textContent = "Session finished: check the pain scores and save.";
      timer.textContent = "";
      controls.hidden = true;
      form.querySelector("button[type=submit]").focus();
    }
  });

  start.addEventListener("click", () => {
    start.hidden = true;
    controls.hidden = false;
    show(0);
  });
}

// Live charts: the Progress page redraws its charts when anything is logged (here, in another
// tab or from the terminal), without a reload. `?poll=ms` sets the interval (tests).
function liveCharts() {
  const boxes = document.querySelectorAll("[data-chart]");
  if (!boxes.length) return;
  const every = Number(new URLSearchParams(location.search).get("poll")) || 15000;
  let seen = null;
  const refresh = async () => {
    try {
      const answer = await fetch("/api/progress/charts", { headers: { Accept: "application/json" } });
      if (!answer.ok) return;
      const data = await answer.json();
      if (seen !== null && data.revision !== seen) {
        for (const box of boxes) {
          const svg = data.charts[box.dataset.chart];
          if (svg) box.innerHTML = svg;
        }
      }
      seen = data.revision;
    } catch (e) { /* offline: keep the charts as they are */ }
  };
  refresh();
  setInterval(refresh, every);
}

document.addEventListener("DOMContentLoaded", () => {
  showValues();
  liveCharts();
  document.querySelectorAll("form[data-player]").forEach(player);
});
