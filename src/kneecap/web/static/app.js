// Progressive enhancement: every page works without this file. With it: live charts, and the
// guided session player (player.js, loaded where it is needed). Pain scores are number fields
// (0-10), never sliders, so the chosen value shows without this file.
"use strict";

// The session player, the entry check's timers and the run timer live in player.js, loaded
// only by the pages that have one.
function loadPlayer() {
  if (!document.querySelector("form[data-player], [data-test]")) return;
  const script = document.createElement("script");
  script.src = "/static/player.js";
  document.head.append(script);
}

// Live charts: the Progress page redraws its charts when anything is logged (here, in another
// tab or from the terminal), without a reload. `?poll=ms` sets the interval (tests).
function liveCharts() {
  const boxes = document.querySelectorAll("[data-chart]");
  if (!boxes.length) return;
  const every = Number(new URLSearchParams(location.search).get("poll")) || 15000;
  const shown = document.querySelector("[data-revision]"); // the data the page was drawn from
  let seen = shown ? Number(shown.dataset.revision) : null;
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
  liveCharts();
  loadPlayer();
});
