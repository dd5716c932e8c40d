// The guided session player: progressive enhancement, every page works without this file.
// One exercise per screen with its figure; each timed block (a walk, drills, rolling, a hold,
// each rep of a per-rep hold, a rest, a run interval) gets a 5-s "get ready" (or "start now")
// and a countdown; pause/resume, back (to the set before), skip rest, stop here; per-side work
// says "switch to the left leg"; spoken cues when asked for; the screen kept awake (Wake Lock API) while a session runs. At the end, one summary
// screen: the session form's own fields, saved once by submitting the form.
// Also: the return-to-run entry check's timed tests, and the walk/run ladder's interval timer
// with an optional cadence metronome. `?speed=N` runs every clock N times faster (demos, tests).
"use strict";

(() => {
  const speed = Math.max(1, Number(new URLSearchParams(location.search).get("speed")) || 1);

  // --- helpers ------------------------------------------------------------------------------

  function el(tag, attrs = {}, text = "") {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text) node.textContent = text;
    return node;
  }

  function button(text, cls = "") {
    return el("button", { type: "button", class: cls }, text);
  }

  function clock(seconds) {
    const s = Math.max(0, Math.ceil(seconds));
    return s >= 60 ? `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}` : String(s);
  }

  function minutes(seconds) {
    if (seconds % 60) return `${seconds} s`;
    return `${seconds / 60} min`;
  }

  // --- sound, voice, wake lock --------------------------------------------------------------

  let audio = null;
  function audioContext() {
    try {
      const Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return null;
      audio = audio || new Context();
      if (audio.state === "suspended") audio.resume().catch(() => {});
      return audio;
    } catch (e) {
      return null;
    }
  }

  // A beep of `ms` at `hz`, now or at `at` on the audio clock; the oscillator, to cancel it.
  function tone(ms, hz, at = 0, volume = 0.15) {
    const a = audioContext();
    if (!a) return null;
    try {
      const osc = a.createOscillator();
      const gain = a.createGain();
      osc.frequency.value = hz;
      gain.gain.value = volume;
      osc.connect(gain).connect(a.destination);
      const start = Math.max(at, a.currentTime);
      osc.start(start);
      osc.stop(start + ms / 1000);
      return { osc, start };
    } catch (e) {
      return null; // no sound: the screen still shows everything
    }
  }

  const voice = { on: false };
  function say(text) {
    if (!voice.on || !text || !("speechSynthesis" in window)) return;
    try {
      speechSynthesis.cancel();
      speechSynthesis.speak(new SpeechSynthesisUtterance(text));
    } catch (e) { /* no voice: the screen still shows everything */ }
  }

  // The screen stays on while a session or a test runs; released on pause and at the end, asked
  // for again when the page comes back into view. No API or no secure context: skipped.
  const awake = {
    wanted: false,
    lock: null,
    async request() {
      if (this.lock || !this.wanted || !window.isSecureContext || !("wakeLock" in navigator)) return;
      try {
        const lock = await navigator.wakeLock.request("screen");
        if (!this.wanted) { lock.release().catch(() => {}); return; }
        this.lock = lock;
        lock.addEventListener?.("release", () => { if (this.lock === lock) this.lock = null; });
      } catch (e) { this.lock = null; }
    },
    keep(on) {
      this.wanted = on;
      if (on) { this.request(); return; }
      const lock = this.lock;
      this.lock = null;
      if (lock) Promise.resolve(lock.release()).catch(() => {});
    },
  };
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") awake.request();
  });

  // --- the clock ----------------------------------------------------------------------------

  // A countdown in the runner's seconds (N times faster with ?speed=N), pausable. `onSecond`
  // gets the whole seconds left each time they change; `onEnd` once at zero.
  class Countdown {
    constructor(onSecond, onEnd) {
      this.onSecond = onSecond;
      this.onEnd = onEnd;
      this.ticking = null;
      this.left = 0;
      this.shown = null;
    }
    start(seconds) {
      this.stop();
      this.left = seconds * 1000;
      this.shown = null;
      this.resume();
    }
    get running() { return this.ticking !== null; }
    remaining() {
      return this.running ? Math.max(0, (this.endsAt - performance.now()) * speed) : this.left;
    }
    resume() {
      if (this.running) return;
      this.endsAt = performance.now() + this.left / speed;
      this.ticking = setInterval(() => this.tick(), Math.max(4, Math.min(200, 250 / speed)));
      this.tick();
    }
    pause() {
      if (!this.running) return;
      this.left = this.remaining();
      clearInterval(this.ticking);
      this.ticking = null;
    }
    stop() {
      clearInterval(this.ticking);
      this.ticking = null;
    }
    tick() {
      const ms = this.remaining();
      const seconds = Math.ceil(ms / 1000);
      if (seconds !== this.shown) {
        this.shown = seconds;
        this.onSecond(seconds);
      }
      if (ms <= 0) {
        this.stop();
        this.left = 0;
        this.onEnd();
      }
    }
  }

  // --- the steps of one exercise ------------------------------------------------------------

  const SIDES = ["right leg", "left leg"];

  // Steps: {kind, title, detail, seconds (none: the runner says when it is done), say, side,
  // rep}. kind: ready | work | hold | relax | rest | walk | run | set.
  function stepsFor(t, name) {
    const steps = [];
    const ready = (title, detail, spoken) =>
      steps.push({ kind: "ready", title, detail, seconds: t.ready_s, say: spoken || title });
    if (t.mode === "run") {
      ready("Get ready", name, `Get ready. ${name}`);
      t.intervals.forEach((iv, n) => {
        const what = `${iv.kind === "run" ? "Run" : "Walk"} ${minutes(iv.seconds)}`;
        steps.push({
          kind: iv.kind, title: what, detail: `Interval ${n + 1} of ${t.intervals.length}`,
          seconds: iv.seconds, say: what.toLowerCase(),
        });
      });
      return steps;
    }
    if (t.mode === "timer") {
      ready("Get ready", name, `Get ready. ${name}`);
      steps.push({ kind: "work", title: name, detail: minutes(t.work_s), seconds: t.work_s, say: "Go" });
      return steps;
    }
    for (let set = 0; set < t.sets; set++) {
      for (let side = 0; side < t.sides; side++) {
        const where = [t.sets > 1 ? `Set ${set + 1} of ${t.sets}` : "", t.sides > 1 ? SIDES[side] : ""]
          .filter(Boolean).join(" · ");
        const first = steps.length; // the set's steps from here: each tagged with the set
        if (set > 0 && side === 0 && t.rest_s > 0) {
          steps.push({ kind: "rest", title: "Rest", detail: `Next: ${where}`, seconds: t.rest_s, say: "Rest" });
        }
        if (side === 1) {
          steps.push({
            kind: "ready", title: "Switch to the left leg", detail: where,
            seconds: t.mode === "reps" ? t.switch_s : t.ready_s, say: "Switch to the left leg",
          });
        } else if (t.mode !== "reps") {
          ready(t.sides > 1 ? "Get ready: right leg" : "Get ready", where);
        }
        if (t.mode === "holds") {
          steps.push({ kind: "hold", title: `Hold ${t.hold_s} s`, detail: where, seconds: t.hold_s, say: "Hold", side });
        } else if (t.mode === "rep-holds") {
          for (let rep = 1; rep <= t.reps; rep++) {
            if (rep > 1) steps.push({ kind: "relax", title: "Relax", detail: where, seconds: t.relax_s });
            steps.push({
              kind: "hold", title: `Hold: rep ${rep} of ${t.reps}`, detail: where,
              seconds: t.hold_s, say: rep === 1 ? `Hold. Rep 1 of ${t.reps}` : String(rep), side, rep,
            });
          }
        } else {
          steps.push({ kind: "set", title: `${t.reps || ""} reps`.trim(), detail: where, say: where, side });
        }
        for (const step of steps.slice(first)) step.set = set;
      }
    }
    return steps;
  }

  // --- a sequence of steps, on screen -------------------------------------------------------

  // Plays steps into a display (label, detail, digits) and a status line read out by screen
  // readers at each change (not every second). `onStep(step)` and `onDone()` are told.
  class Sequence {
    constructor(view, { onStep = () => {}, onDone = () => {}, onSecond = () => {} } = {}) {
      this.view = view;
      this.onStep = onStep;
      this.onDone = onDone;
      this.onSecondHook = onSecond;
      this.steps = [];
      this.at = -1;
      this.paused = false;
      this.countdown = new Countdown((s) => this.second(s), () => this.next());
    }
    play(steps) {
      this.steps = steps;
      this.at = -1;
      this.paused = false;
      this.next();
    }
    get step() { return this.steps[this.at]; }
    // Plays from step `at` (its first is `next()`'s).
    jump(at) { this.at = at - 1; this.next(); }
    next() {
      this.countdown.stop();
      this.at += 1;
      const step = this.step;
      if (!step) { this.onDone(); return; }
      this.view.label.textContent = step.title;
      this.view.detail.textContent = step.detail || "";
      this.view.box.dataset.kind = step.kind;
      this.view.status.textContent = [step.title, step.detail].filter(Boolean).join(". ");
      if (step.kind !== "ready" && step.kind !== "relax" && step.kind !== "set") tone(250, 990);
      say(step.say);
      this.onStep(step);
      if (step.seconds) {
        this.countdown.start(step.seconds);
        if (this.paused) this.countdown.pause();
      } else {
        this.view.digits.textContent = "";
      }
    }
    second(s) {
      this.view.digits.textContent = clock(s);
      if (s > 0 && s <= 3 && this.step && this.step.kind !== "relax") tone(80, 660);
      this.onSecondHook(s, this.step);
    }
    pause() { this.paused = true; this.countdown.pause(); }
    resume() { this.paused = false; if (this.step && this.step.seconds) this.countdown.resume(); }
    stop() { this.countdown.stop(); this.at = this.steps.length; }
    elapsed() {
      const step = this.step;
      return step && step.seconds ? step.seconds - this.countdown.remaining() / 1000 : 0;
    }
  }

  function display(parent) {
    const box = el("div", { class: "countdown" });
    const label = el("p", { class: "step" });
    const digits = el("p", { class: "timer", role: "timer", "aria-live": "off" });
    const detail = el("p", { class: "step-detail" });
    const status = el("p", { class: "sr", "aria-live": "polite", "data-status": "" });
    box.append(label, digits, detail, status);
    parent.append(box);
    return { box, label, digits, detail, status };
  }

  function voiceToggle(id) {
    const box = el("div", { class: "checks" });
    const input = el("input", { type: "checkbox", id });
    input.checked = voice.on;
    input.addEventListener("change", () => {
      voice.on = input.checked;
      for (const other of document.querySelectorAll("input[data-voice]")) other.checked = voice.on;
    });
    input.dataset.voice = "";
    box.append(input, el("label", { for: id }, "Spoken cues"));
    return box;
  }

  // The cadence metronome (CAD-1): Web Audio clicks at `spm` a minute, scheduled ahead on the
  // audio clock (a steady beat whatever the page is doing); clicks scheduled beyond a stop are
  // cancelled, so none sounds in the walk after a run. `clicks` counts them (shown on the
  // element for tests and the curious).
  const LOOKAHEAD_S = 1; // a busy page (a long task, a slow phone) for up to 1 s misses no beat
  class Metronome {
    constructor(spm, node) {
      this.spm = spm;
      this.node = node;
      this.loop = null;
      this.clicks = 0;
      this.ahead = [];
      node.dataset.intervalMs = String(Math.round(60000 / spm));
    }
    get every() { return 60 / this.spm / speed; }
    start() {
      if (this.loop) return;
      const a = audioContext();
      this.next = a ? a.currentTime + 0.05 : 0;
      this.began = performance.now();
      this.counted = 0;
      this.loop = setInterval(() => this.schedule(), 25);
      this.schedule();
    }
    schedule() {
      const a = audio;
      if (a && a.state === "running") {
        if (this.next < a.currentTime) this.next = a.currentTime + 0.02;
        this.ahead = this.ahead.filter((t) => t.start > a.currentTime);
        while (this.next < a.currentTime + LOOKAHEAD_S) {
          const click = tone(30, 1500, this.next, 0.3);
          if (click) this.ahead.push(click);
          this.next += this.every;
        }
      }
      // Counted on the page's clock, so the count is right with or without sound.
      const due = Math.floor((performance.now() - this.began) / 1000 / this.every) + 1;
      if (due > this.counted) {
        this.clicks += due - this.counted;
        this.counted = due;
        this.node.dataset.clicks = String(this.clicks);
      }
    }
    stop() {
      clearInterval(this.loop);
      this.loop = null;
      const a = audio;
      for (const click of this.ahead) {
        try {
          if (a && click.start > a.currentTime) { click.osc.stop(a.currentTime); click.osc.disconnect(); }
        } catch (e) { /* already ended */ }
      }
      this.ahead = [];
    }
  }

  function metronomeToggle(spm, id) {
    const box = el("div", { class: "checks metronome" });
    const input = el("input", { type: "checkbox", id });
    box.append(input, el("label", { for: id }, `Cadence metronome, ${spm} steps/min (during the runs)`));
    return { box, input, metronome: new Metronome(spm, box) };
  }

  // --- the session player -------------------------------------------------------------------

  function player(form) {
    const items = [...form.querySelectorAll("[data-item]")];
    if (!items.length) return;
    const timings = items.map((item) => JSON.parse(item.dataset.timing || "{}"));
    const list = form.querySelector(".items");
    const region = el("section", { class: "player", "aria-label": "Guided session" });
    const intro = el("div", { class: "player-intro" });
    const start = button("Start guided session", "start");
    intro.append(start, voiceToggle(form.id + "-voice"));
    const cadence = items.map((item) => Number(item.dataset.cadence) || 0).find(Boolean);
    const metro = cadence ? metronomeToggle(cadence, form.id + "-metronome") : null;
    if (metro) intro.append(metro.box);
    const stage = el("div", { class: "player-stage" });
    const progress = el("p", { class: "progress", "aria-live": "polite" });
    stage.append(progress);
    const view = display(stage);
    const controls = el("div", { class: "controls" });
    const pause = button("Pause", "secondary");
    pause.setAttribute("aria-pressed", "false");
    const back = button("Back", "secondary");
    const skip = button("Skip rest", "secondary");
    const startNow = button("Start now", "secondary"); // a get-ready or a switch: begin at once
    const setDone = button("Set done");
    const next = button("Skip this exercise");
    const stop = button("Stop here", "secondary"); // to the summary, logged as stopped early
    stop.setAttribute("aria-label", "Stop here: go to the summary, the session logged as stopped early");
    const now = el("div", { class: "now" }); // the step's own action, in one place
    now.append(setDone, startNow, skip);
    controls.append(now, pause, back, next, stop);
    stage.append(controls);
    const summary = el("div", { class: "player-summary" });
    // A run (the ladder's walk/run intervals) asks the same, about the run.
    const running = timings.some((t) => t.mode === "run");
    const done = running ? "Run done" : "Session done";
    const summaryTitle = el("h3", { tabindex: "-1" }, `${done}: how did it go?`);
    summary.append(
      summaryTitle,
      el("p", {}, running
        ? "Your knee pain during the run (0 = none, 10 = worst), sharp pain, how hard; then "
          + "your pain after it. Save once at the bottom."
        : "For each exercise: pain during (0 = none, 10 = worst), sharp pain, how hard; "
          + "then your pain after the session. Save once at the bottom."),
    );
    region.append(intro, stage, summary);
    stage.hidden = true;
    summary.hidden = true;
    form.insertBefore(region, list);

    let index = -1;
    let started = false;
    const reached = items.map(() => false);
    const completed = items.map(() => false); // played to its end, not left by Next or Finish
    let hiddenByUs = [];

    const seq = new Sequence(view, {
      onStep(step) {
        skip.hidden = step.kind !== "rest";
        startNow.hidden = step.kind !== "ready";
        setDone.hidden = step.kind !== "set";
        backTo();
        if (step.kind === "set") setDone.focus();
        const before = seq.steps[seq.at - 1];
        if (before && !["ready", "rest", "relax"].includes(before.kind)) reached[index] = true;
        if (metro) {
          if (step.kind === "run" && metro.input.checked && !seq.paused) metro.metronome.start();
          else metro.metronome.stop();
        }
      },
      onDone() {
        reached[index] = true;
        completed[index] = true;
        if (metro) metro.metronome.stop();
        skip.hidden = true;
        startNow.hidden = true;
        setDone.hidden = true;
        view.digits.textContent = "";
        view.box.dataset.kind = "done";
        const last = index + 1 >= items.length;
        next.textContent = last ? "Finish: how did it go?" : "Next exercise";
        next.classList.remove("secondary");
        backTo();
        view.label.textContent = "Done";
        view.detail.textContent = last ? "That was the last one." : `Next: ${items[index + 1].dataset.name}`;
        view.status.textContent = `${items[index].dataset.name} done. ${view.detail.textContent}`;
        tone(400, 1320);
        say(`Done. ${view.detail.textContent}`);
        next.focus();
      },
    });

    function show(i) {
      seq.stop();
      index = i;
      items.forEach((item, j) => { item.hidden = j !== i; });
      const item = items[i];
      progress.textContent = items.length > 1
        ? `Exercise ${i + 1} of ${items.length}: ${item.dataset.name}`
        : item.dataset.name;
      // Said as it is: while the exercise runs, going on skips the rest of it; "Next exercise"
      // only once it is done. Quiet while it runs (a tap mid-run is less likely), the main
      // button once done.
      next.textContent = i + 1 < items.length ? "Skip this exercise" : "Skip to the summary";
      next.classList.add("secondary");
      seq.play(stepsFor(timings[i], item.dataset.name));
    }

    // Where Back goes: from a set after the first (its rest, get-ready or work) to the start of
    // the set before; from the first set to the previous exercise; once an exercise is done, to
    // the start of its last set. Said in the button's accessible name.
    function backTarget() {
      const steps = seq.steps;
      const step = seq.step;
      const set = step ? step.set : Math.max(-1, ...steps.map((s) => (s.set === undefined ? 0 : s.set)));
      const wanted = step ? (set || 0) - 1 : set;
      if (wanted >= 0) {
        const at = steps.findIndex((s) => (s.set || 0) === wanted && s.kind !== "rest");
        const sets = Math.max(...steps.map((s) => s.set || 0)) + 1;
        const what = sets > 1 ? `the start of set ${wanted + 1} of ${sets}` : "the start of this exercise";
        return { at, what };
      }
      if (index > 0) return { exercise: index - 1, what: `the previous exercise, ${items[index - 1].dataset.name}` };
      return null;
    }

    function backTo() {
      const target = backTarget();
      back.disabled = !target;
      back.setAttribute("aria-label", target
        ? `Back to ${target.what}`
        : "Back: to the start of the previous set, or the previous exercise from its first set");
    }

    function setPaused(on) {
      if (on) seq.pause(); else seq.resume();
      pause.textContent = on ? "Resume" : "Pause";
      pause.setAttribute("aria-pressed", String(on));
      form.classList.toggle("paused", on);
      awake.keep(!on);
      if (metro) {
        if (!on && seq.step && seq.step.kind === "run" && metro.input.checked) metro.metronome.start();
        else metro.metronome.stop();
      }
      if (on) {
        view.status.textContent = "Paused";
        if ("speechSynthesis" in window) speechSynthesis.cancel();
      } else {
        view.status.textContent = "Resumed";
      }
    }

    function finish() {
      seq.stop();
      awake.keep(false);
      if (metro) metro.metronome.stop();
      form.classList.remove("playing", "paused");
      form.classList.add("summing-up");
      stage.hidden = true;
      summary.hidden = false;
      items.forEach((item, j) => {
        item.hidden = false;
        const done = item.querySelector("input[type=checkbox][name^=done_]");
        if (done && !reached[j]) done.checked = false; // skipped in the player
      });
      for (const node of hiddenByUs) node.hidden = false;
      hiddenByUs = [];
      // Left before the end: said so, and the form's "I stopped early" ticked (the runner may
      // untick it), so a cut-short session is never logged as a whole one.
      const early = completed.some((c) => !c);
      const said = early ? (running ? "Run stopped early" : "Session stopped early") : done;
      summaryTitle.textContent = `${said}: how did it go?`;
      const partial = form.querySelector("input[type=checkbox][name=partial]");
      if (partial && early) partial.checked = true;
      say(`${said}. How did it go?`);
      summaryTitle.focus();
    }

    start.addEventListener("click", () => {
      started = true;
      audioContext(); // sound may start only after a tap
      form.classList.add("playing");
      // Only the player and the list while the session runs: the rest of the form (the pain
      // after, the save button) comes back on the summary screen.
      for (const node of form.children) {
        if (node === region || node === list || node.tagName === "H2" || node.hidden) continue;
        if (node.matches("input[type=hidden]")) continue;
        node.hidden = true;
        hiddenByUs.push(node);
      }
      intro.hidden = true;
      if (metro) stage.append(metro.box);
      stage.hidden = false;
      awake.keep(true);
      show(0);
      region.scrollIntoView({ block: "start" });
    });
    pause.addEventListener("click", () => setPaused(!seq.paused));
    back.addEventListener("click", () => {
      const target = backTarget();
      if (!target) return;
      setPaused(false);
      if (target.exercise === undefined) {
        next.textContent = index + 1 < items.length ? "Skip this exercise" : "Skip to the summary";
        next.classList.add("secondary");
        seq.jump(target.at);
      } else {
        show(target.exercise);
      }
    });
    skip.addEventListener("click", () => { if (seq.step && seq.step.kind === "rest") seq.next(); });
    startNow.addEventListener("click", () => { if (seq.step && seq.step.kind === "ready") seq.next(); });
    stop.addEventListener("click", () => {
      // A timed block under way counts the exercise as begun (ticked); the ones after it not.
      const step = seq.step;
      if (step && ["work", "hold", "walk", "run"].includes(step.kind)) reached[index] = true;
      finish();
    });
    setDone.addEventListener("click", () => { if (seq.step && seq.step.kind === "set") seq.next(); });
    next.addEventListener("click", () => {
      setPaused(false);
      if (index + 1 < items.length) show(index + 1); else finish();
    });
    if (metro) {
      metro.input.addEventListener("change", () => {
        if (metro.input.checked && seq.step && seq.step.kind === "run" && !seq.paused) metro.metronome.start();
        else metro.metronome.stop();
      });
    }
    // Saved once: a second tap on Save while the first is on its way sends nothing.
    let sent = false;
    form.addEventListener("submit", (event) => {
      if (!started) return;
      if (sent) { event.preventDefault(); return; }
      sent = true;
      setTimeout(() => {
        for (const b of form.querySelectorAll("button[type=submit]")) b.disabled = true;
      }, 0);
    });
  }

  // --- the return-to-run entry check's timed tests -------------------------------------------

  // A test block: `data-test` with `data-timing` (a hold of N s, or N reps paced at
  // `pace_s` each), per side or not; the seconds held or reps done go into the fields named in
  // `data-fields` (one per side, right first), and the runner can stop early.
  function entryTest(block) {
    const t = JSON.parse(block.dataset.timing);
    const fields = (block.dataset.fields || "").split(" ").map((id) => document.getElementById(id));
    const region = el("div", { class: "player test-player" });
    const start = button(`Start the ${block.dataset.name.toLowerCase()} timer`, "start");
    const view = display(region);
    view.box.hidden = true;
    const controls = el("div", { class: "controls" });
    const stop = button("Stop here", "secondary");
    const pause = button("Pause", "secondary");
    pause.setAttribute("aria-pressed", "false");
    controls.append(stop, pause);
    controls.hidden = true;
    region.prepend(start, voiceToggle(block.id + "-voice"));
    region.append(controls);
    const slot = block.querySelector("[data-test-slot]"); // under the test's heading and how-to
    if (slot) slot.append(region); else block.prepend(region);

    const steps = [];
    for (let side = 0; side < t.sides; side++) {
      const where = t.sides > 1 ? SIDES[side] : "";
      const title = side === 1 ? "Switch to the left leg" : (where ? "Get ready: right leg" : "Get ready");
      steps.push({ kind: "ready", title, detail: block.dataset.name, seconds: t.ready_s, say: title });
      if (t.reps) {
        for (let rep = 1; rep <= t.reps; rep++) {
          steps.push({
            kind: "hold", title: `Step-down ${rep} of ${t.reps}`, detail: where, seconds: t.pace_s,
            say: String(rep), side, rep,
          });
        }
      } else {
        steps.push({ kind: "hold", title: `Hold ${t.hold_s} s`, detail: where, seconds: t.hold_s, say: "Go", side });
      }
    }
    const result = fields.map(() => 0);
    const fill = () => fields.forEach((f, i) => { if (f) f.value = String(result[i]); });
    let seq = null;
    const end = (text) => {
      seq.stop();
      awake.keep(false);
      controls.hidden = true;
      start.hidden = false;
      start.textContent = "Again";
      fill();
      view.label.textContent = text;
      view.detail.textContent = "Filled in below: check it, then answer the pain question.";
      view.digits.textContent = "";
      view.status.textContent = `${text}. ${view.detail.textContent}`;
      say(text);
    };
    seq = new Sequence(view, {
      onStep(step) {
        const done = seq.steps[seq.at - 1];
        if (done && done.kind === "hold") {
          result[done.side] = t.reps ? done.rep : t.hold_s;
        }
      },
      onDone() {
        const done = seq.steps[seq.steps.length - 1];
        result[done.side] = t.reps ? done.rep : t.hold_s;
        tone(400, 1320);
        end("Test done");
      },
    });
    start.addEventListener("click", () => {
      audioContext();
      result.fill(0);
      start.hidden = true;
      view.box.hidden = false;
      controls.hidden = false;
      pause.textContent = "Pause";
      awake.keep(true);
      seq.play(steps);
    });
    stop.addEventListener("click", () => {
      const step = seq.step;
      if (step && step.kind === "hold") {
        result[step.side] = t.reps ? step.rep - 1 : Math.floor(seq.elapsed());
      }
      end("Stopped");
    });
    pause.addEventListener("click", () => {
      const on = !seq.paused;
      if (on) seq.pause(); else seq.resume();
      pause.textContent = on ? "Resume" : "Pause";
      pause.setAttribute("aria-pressed", String(on));
      awake.keep(!on);
      view.status.textContent = on ? "Paused" : "Resumed";
    });
  }

  // The player's own stylesheet first (no page needs it without the player), then the player.
  function begin() {
    document.querySelectorAll("form[data-player]").forEach(player);
    document.querySelectorAll("[data-test]").forEach(entryTest);
  }
  const sheet = el("link", { rel: "stylesheet", href: "/static/player.css" });
  sheet.addEventListener("load", begin, { once: true });
  sheet.addEventListener("error", begin, { once: true });
  document.head.append(sheet);
})();
