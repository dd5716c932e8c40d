"""The session player on a phone (390 px): countdowns for every timed item, get ready (and
start now), pause, the per-side switch, per-rep holds, back (by set) and skip rest, stop here,
one summary saved once, the screen kept awake; the return-to-run entry check's timed tests; the
walk/run interval timer and the cadence metronome. `?speed=N` runs the clocks N times faster. Screenshots go to test-artifacts/."""

from __future__ import annotations

import bisect
import itertools
import re
import time
from pathlib import Path
from typing import Any

import pytest

from kneecap.app.profile import save_profile
from kneecap.core import rtr
from kneecap.web.views import intervals
from tests.conftest import make_profile
from tests.e2e.conftest import Server, shot
from tests.e2e.ladder import BASELINE_SPM, RUN_DAY, ladder_runner

PHONE = {"width": 390, "height": 844}

# Recorded in the page before any script runs: what was spoken, and the wake lock's requests
# and releases (the API itself stubbed, as headless browsers have no screen to keep on).
RECORDERS = """
window.__said = [];
window.__labels = [];
window.__locks = {requested: 0, released: 0};
const realSpeak = window.speechSynthesis ? speechSynthesis.speak.bind(speechSynthesis) : null;
if (window.speechSynthesis) {
  speechSynthesis.speak = (u) => { window.__said.push(u.text); };
}
Object.defineProperty(navigator, "wakeLock", {configurable: true, value: {
  request: async (type) => {
    window.__locks.requested += 1;
    const sentinel = new EventTarget();
    sentinel.released = false;
    sentinel.release = async () => { window.__locks.released += 1; sentinel.released = true; };
    return sentinel;
  },
}});
new MutationObserver(() => {
  for (const node of document.querySelectorAll(".countdown .step")) {
    const text = node.textContent;
    const log = window.__labels;
    if (text && log[log.length - 1] !== text) log.push(text);
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def phone(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(RECORDERS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def wait_until(page: Any, expression: str, timeout_s: float = 10) -> None:
    """Poll an expression in the page (the pages' CSP forbids eval, which wait_for_function
    uses for a string)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        page.wait_for_timeout(20)


def timer_text(page: Any) -> str:
    text: str = page.evaluate("document.querySelector('.countdown .timer').textContent")
    return text


def runner(server: Server, **changes: Any) -> None:
    save_profile(server.app.state.ctx.home, make_profile(**changes))


SETTLE = {"pain": {"worst_last_week": 7, "at_rest": True}}  # walk, quad set, ... in settle


def start(page: Any, server: Server, speed: int, voice: bool = False) -> Any:
    page.goto(f"{server.url}/today?speed={speed}")
    form = page.locator("form.session").first
    if voice:
        form.get_by_label("Spoken cues").check()
    form.get_by_role("button", name="Start guided session").click()
    return form


def label(form: Any) -> str:
    text: str = form.locator(".countdown .step").inner_text()
    return text


def labels(page: Any) -> list[str]:
    found: list[str] = page.evaluate("window.__labels")
    return found


def test_a_timed_walk_gets_ready_then_counts_down(browser: Any, server: Server) -> None:
    runner(server, **SETTLE)
    page = phone(browser)
    form = start(page, server, speed=10, voice=True)
    assert "Exercise 1 of" in form.locator(".progress").inner_text()
    assert "Walk" in form.locator(".progress").inner_text()
    assert form.locator("[data-item]:visible").count() == 1
    assert label(form) == "Get ready"
    shot(page, "player-get-ready")
    form.locator(".countdown .step", has_text="Walk").wait_for()
    digits = form.locator(".countdown .timer")
    wait_until(page, "document.querySelector('.countdown .timer').textContent <= '2:58'")
    assert ":" in digits.inner_text()  # minutes and seconds: 3 min of walking
    assert "3 min" in form.locator(".countdown .step-detail").inner_text()
    shot(page, "player-walk")
    said = page.evaluate("window.__said")
    assert any(s.startswith("Get ready") for s in said)
    assert "Go" in said
    assert page.evaluate("window.__locks.requested") == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]


def test_pause_holds_the_clock_and_resume_goes_on(browser: Any, server: Server) -> None:
    runner(server, **SETTLE)
    page = phone(browser)
    form = start(page, server, speed=10)
    form.locator(".countdown .step", has_text="Walk").wait_for()
    form.get_by_role("button", name="Pause").click()
    assert form.get_by_role("button", name="Resume").get_attribute("aria-pressed") == "true"
    assert form.locator("[data-status]").inner_text() == "Paused"
    held = form.locator(".countdown .timer").inner_text()
    page.wait_for_timeout(600)  # 6 s of the runner's time at speed 10
    assert form.locator(".countdown .timer").inner_text() == held
    assert page.evaluate("window.__locks.released") == 1  # the screen may sleep while paused
    shot(page, "player-paused")
    form.get_by_role("button", name="Resume").click()
    wait_until(page, f"document.querySelector('.countdown .timer').textContent !== '{held}'")
    assert page.evaluate("window.__locks.requested") == 2  # asked for again on resume


def test_per_rep_holds_are_counted_and_the_side_switch_is_said(
    browser: Any, server: Server
) -> None:
    runner(server, **SETTLE)
    page = phone(browser)
    form = start(page, server, speed=60, voice=True)
    form.get_by_role("button", name="Skip this exercise").click()
    assert "Quad set" in form.locator(".progress").inner_text()
    form.locator(".countdown .step", has_text="Done").wait_for(timeout=20_000)
    seen = labels(page)
    holds = [s for s in seen if s.startswith("Hold: rep")]
    # 2 sets x 2 legs x 10 holds of 5 s, each counted
    assert holds == [f"Hold: rep {n} of 10" for n in range(1, 11)] * 4
    assert seen.count("Switch to the left leg") == 2
    assert seen.count("Rest") == 1
    said = page.evaluate("window.__said")
    assert said.count("Switch to the left leg") == 2
    assert "Hold. Rep 1 of 10" in said
    assert "7" in said


def test_the_switch_shows_on_screen_with_the_leg(browser: Any, server: Server) -> None:
    runner(server, **SETTLE)
    page = phone(browser)
    form = start(page, server, speed=8)
    form.get_by_role("button", name="Skip this exercise").click()
    form.locator(".countdown .step", has_text="Hold: rep 1 of 10").wait_for()
    assert "Set 1 of 2 · right leg" in form.locator(".countdown .step-detail").inner_text()
    shot(page, "player-rep-hold")
    form.get_by_role("button", name="Pause").click()
    form.get_by_role("button", name="Resume").click()
    form.locator(".countdown .step", has_text="Switch to the left leg").wait_for(timeout=20_000)
    assert "left leg" in form.locator(".countdown .step-detail").inner_text()
    shot(page, "player-switch")


def test_skip_rest_and_back(browser: Any, server: Server) -> None:
    runner(server, **SETTLE)
    page = phone(browser)
    form = start(page, server, speed=5)
    skip_exercise = form.get_by_role("button", name="Skip this exercise")
    skip_exercise.click()
    skip_exercise.click()
    assert "Exercise 3 of" in form.locator(".progress").inner_text()
    assert "Straight leg raise" in form.locator(".progress").inner_text()
    set_done = form.get_by_role("button", name="Set done")
    assert label(form) == "10 reps"  # counted by the runner, who says when
    assert "right leg" in form.locator(".countdown .step-detail").inner_text()
    set_done.click()
    form.locator(".countdown .step", has_text="Switch to the left leg").wait_for()
    form.locator(".countdown .step-detail", has_text="left leg").wait_for()
    set_done.wait_for()
    set_done.click()
    skip = form.get_by_role("button", name="Skip rest")
    skip.wait_for()
    assert label(form) == "Rest"
    shot(page, "player-rest")
    skip.click()
    assert label(form) == "10 reps"
    assert "Set 2 of 2 · right leg" in form.locator(".countdown .step-detail").inner_text()
    assert skip.is_hidden()
    # Back from the second set: the start of the first, then the exercise before
    back = form.get_by_role("button", name="Back")
    assert back.get_attribute("aria-label") == "Back to the start of set 1 of 2"
    back.click()
    assert "Exercise 3 of" in form.locator(".progress").inner_text()
    assert label(form) == "10 reps"
    assert "Set 1 of 2 · right leg" in form.locator(".countdown .step-detail").inner_text()
    assert back.get_attribute("aria-label") == "Back to the previous exercise, Quad set"
    back.click()
    assert "Exercise 2 of" in form.locator(".progress").inner_text()
    assert "Quad set" in form.locator(".progress").inner_text()
    assert label(form) == "Get ready: right leg"


def places(form: Any) -> dict[str, Any]:
    """Where Pause, Back, the next/skip button and Stop are on the screen."""
    boxes = form.locator(".controls > button").evaluate_all(
        "(bs) => bs.map((b) => { const r = b.getBoundingClientRect();"
        " return [b.textContent, r.x, r.y, r.width, r.height]; })"
    )
    return {i: box[1:] for i, box in enumerate(boxes)}


def test_the_buttons_keep_their_places_as_the_steps_change(browser: Any, server: Server) -> None:
    """A tap aimed at Skip never lands on Start now because a button came or went above it:
    the step's own action has one slot, and the others do not move."""
    runner(server, **SETTLE)
    page = phone(browser)
    form = start(page, server, speed=5)
    seen = {}
    assert form.get_by_role("button", name="Start now").is_visible()  # a get-ready
    seen["ready"] = places(form)
    form.locator(".countdown .step", has_text="Walk").wait_for()
    assert form.locator(".controls .now > button:visible").count() == 0  # a timed walk
    seen["walk"] = places(form)
    skip_exercise = form.get_by_role("button", name="Skip this exercise")
    skip_exercise.click()
    skip_exercise.click()
    set_done = form.get_by_role("button", name="Set done")
    set_done.wait_for()
    seen["set"] = places(form)
    set_done.click()
    set_done.wait_for()
    set_done.click()
    form.get_by_role("button", name="Skip rest").wait_for()
    seen["rest"] = places(form)
    while label(form) != "Done":  # through its sets to the end: "Next: <a longer name>"
        form.locator(".controls .now > button:visible").first.click()
    assert form.locator(".countdown .step-detail").inner_text().startswith("Next: ")
    seen["done"] = places(form)
    assert len(seen["ready"]) == 4
    assert seen["walk"] == seen["ready"] == seen["set"] == seen["rest"] == seen["done"], seen


def test_the_summary_asks_once_and_saves_once(browser: Any, server: Server) -> None:
    runner(server, **SETTLE)
    page = phone(browser)
    form = start(page, server, speed=60)
    form.locator(".countdown .step", has_text="Done").wait_for()  # the walk, timed through
    # through the rest at once, in one task of the page: nothing else is begun
    form.get_by_role("button", name="Next exercise").click()
    page.evaluate(
        """() => {
        const next = [...document.querySelectorAll("form.session .controls button")]
          .find((b) => b.textContent === "Skip this exercise");
        while (next.textContent === "Skip this exercise") next.click();
      }"""
    )
    form.get_by_role("button", name="Skip to the summary").click()
    summary = form.locator(".player-summary")
    # Left before the end: said so, and logged as a session stopped early (untickable).
    assert "Session stopped early: how did it go?" in summary.inner_text()
    assert form.locator("input[name=partial]").is_checked()
    assert form.locator(".countdown").is_hidden()
    items = form.locator("[data-item]")
    assert items.count() > 5
    assert form.locator("[data-item]:visible").count() == items.count()
    pains = form.locator("input[name^=pain_]:not([name=pain_after])")
    assert all(pains.nth(n).input_value() == "" for n in range(pains.count()))  # unset
    assert form.locator("input[name=done_0]").is_checked()
    assert not form.locator("input[name=done_1]").is_checked()  # skipped in the player
    pains.first.fill("2")
    form.locator("input[name=sharp_0]").check()
    form.locator("select[name=difficulty_0]").select_option("hard")
    form.locator("input[name=pain_after]").fill("1")
    shot(page, "player-summary")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    with page.expect_navigation():  # two taps on Save in a row: the second sends nothing
        page.evaluate(
            """() => {
            const save = document.querySelector("form.session button[type=submit]");
            save.click();
            save.click();
          }"""
        )
    assert len(posts) == 1
    shot(page, "player-saved")
    assert "Logged today: 1 session" in page.inner_text("main")
    sessions = server.app.state.ctx.programme().sessions
    assert len(sessions) == 1
    (entry,) = sessions[0].entries
    assert (entry.exercise, entry.pain_during, entry.sharp) == ("walk", 2, True)
    assert sessions[0].pain_after == 1
    assert sessions[0].partial


def test_without_the_wake_lock_api_the_timer_still_runs(browser: Any, server: Server) -> None:
    runner(server, **SETTLE)
    context = browser.new_context(viewport=PHONE)
    context.add_init_script("delete Navigator.prototype.wakeLock; window.__labels = [];")
    page = context.new_page()
    form = start(page, server, speed=10)
    form.locator(".countdown .step", has_text="Walk").wait_for()
    wait_until(page, "document.querySelector('.countdown .timer').textContent <= '2:58'")


def test_the_entry_check_times_its_tests_and_gives_the_result(browser: Any, server: Server) -> None:
    runner(server, running={"currently_running": False})  # running has paused for the knee
    page = phone(browser)
    page.goto(f"{server.url}/run-check?speed=10")
    assert "Not running yet" in page.inner_text("main")
    page.get_by_label("Your usual knee pain in daily life").fill("1")
    page.locator("#brisk_walk_30_min_yes").check()
    page.locator("#swelling_no").check()
    wall = page.locator("#test-wall_sit")
    # each timer under its test's heading and how-to, above the fields it fills in
    for key in ("wall_sit", "balance", "step_downs"):
        slot = page.locator(f"#test-{key} > h3 + p + [data-test-slot]")
        assert slot.get_by_role("button", name=re.compile("^Start the .* timer$")).count() == 1
    wall.get_by_role("button", name="Start the wall sit timer").click()
    wall.locator(".countdown .step", has_text="Test done").wait_for()
    assert page.locator("#wall_sit_s").input_value() == "60"
    balance = page.locator("#test-balance")
    balance.get_by_role("button", name="Start the single-leg balance timer").click()
    balance.locator(".countdown .step", has_text="Test done").wait_for()
    assert "Switch to the left leg" in labels(page)
    assert page.locator("#balance_right_s").input_value() == "30"
    assert page.locator("#balance_left_s").input_value() == "30"
    steps = page.locator("#test-step_downs")
    steps.get_by_role("button", name="Start the single-leg step-downs timer").click()
    steps.locator(".countdown .step", has_text="Step-down").wait_for()
    steps.get_by_role("button", name="Pause").click()
    shown = steps.locator(".countdown .step").inner_text()  # "Step-down N of 10", right leg
    assert "right leg" in steps.locator(".countdown .step-detail").inner_text()
    steps.get_by_role("button", name="Stop here").click()  # the one under way is not counted
    done = int(shown.split()[1]) - 1
    assert page.locator("#step_downs_right").input_value() == str(done)
    assert page.locator("#step_downs_left").input_value() == "0"
    shot(page, "run-check-tests")
    for name in ("wall_sit_pain", "balance_pain", "step_down_pain"):
        page.locator(f"#{name}").fill("0")
    page.locator("#step_downs_left").fill("10")
    page.get_by_role("button", name="Save the check").click()
    result = page.locator(".result")
    assert "Not yet" in result.inner_text()
    assert f"10 single-leg step-downs on each leg (did {done})" in result.inner_text()
    shot(page, "run-check-result")


# --- the walk/run ladder's interval timer and the cadence metronome ----------------------------

# Recorded in the page: every oscillator started (its pitch, when it starts and stops on the
# audio clock: a click cancelled before it sounds stops before it starts), and each change of
# the player's label with the audio clock's and the page's time and the digits then shown.
AUDIO = """
window.__tones = [];
window.__steps = [];
const RealContext = window.AudioContext;
window.AudioContext = class extends RealContext {
  constructor(...args) { super(...args); window.__audio = this; }
};
const realStart = OscillatorNode.prototype.start;
const realStop = OscillatorNode.prototype.stop;
OscillatorNode.prototype.start = function (when = 0) {
  this.__tone = {hz: this.frequency.value, at: Math.max(when, this.context.currentTime), stop: null};
  window.__tones.push(this.__tone);
  return realStart.call(this, when);
};
OscillatorNode.prototype.stop = function (when = 0) {
  if (this.__tone) this.__tone.stop = Math.max(when, this.context.currentTime);
  return realStop.call(this, when);
};
new MutationObserver(() => {
  const label = document.querySelector("form.playing .countdown .step");
  const log = window.__steps;
  if (!label || !label.textContent) return;
  if (log.length && log[log.length - 1].text === label.textContent) return;
  log.push({
    text: label.textContent,
    audio: window.__audio ? window.__audio.currentTime : null,
    t: performance.now(),
    digits: document.querySelector("form.playing .countdown .timer").textContent,
  });
}).observe(document, {subtree: true, childList: true, characterData: true});
"""

CLICK_HZ, CHANGE_HZ = 1500, 990


def run_form(page: Any) -> Any:
    return page.locator("form.session", has=page.locator("[data-cadence]"))


def test_a_ladder_run_calls_out_walk_and_run_beeps_and_clicks_the_cadence(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    ladder_runner(server, tmp_path, checked_in=True)
    target = server.app.state.ctx.programme().cadence_cue
    assert target == round(BASELINE_SPM * 1.05)  # CAD-1: +5% on the measured baseline
    stage = rtr.stage(1)
    planned = intervals(stage)
    speed = 60
    page = phone(browser)
    page.context.add_init_script(AUDIO)
    page.goto(f"{server.url}/today?speed={speed}")
    form = run_form(page)
    assert form.locator("[data-cadence]").get_attribute("data-cadence") == str(target)
    metronome = form.get_by_label(re.compile("Cadence metronome"))
    assert f"{target} steps/min" in form.locator(".metronome label").inner_text()
    assert not metronome.is_checked()  # only when the runner switches it on
    form.get_by_label("Spoken cues").check()
    form.get_by_role("button", name="Start guided session").click()
    shot(page, "player-run-get-ready")
    # off through the first walk and run; switched on in the second walk
    wait_until(page, "window.__steps.filter((s) => s.text.startsWith('Walk')).length >= 2")
    metronome.check()
    shot(page, "player-run-walk")
    wait_until(page, "window.__steps.filter((s) => s.text.startsWith('Run')).length >= 2")
    shot(page, "player-run-run")
    assert form.locator(".progress").inner_text() == "Running"  # one exercise: no "1 of 1"
    forward = form.locator(".controls button", has_text=re.compile("summary|Finish"))
    assert forward.inner_text() == "Skip to the summary"  # said as it is while the run goes on
    assert "secondary" in (forward.get_attribute("class") or "")  # and quiet
    form.locator(".countdown .step", has_text="Done").wait_for(timeout=30_000)
    assert forward.inner_text() == "Finish: how did it go?"
    assert "secondary" not in (forward.get_attribute("class") or "")

    steps = page.evaluate("window.__steps")
    assert steps[0]["text"] == "Get ready"
    assert steps[-1]["text"] == "Done"
    blocks = steps[1:-1]
    words = [f"{iv['kind'].capitalize()} {iv['seconds'] // 60} min" for iv in planned]
    assert [b["text"] for b in blocks] == words  # Walk 2 min, Run 3 min, ... (stage 1)
    assert words[:2] == ["Walk 2 min", "Run 3 min"]
    assert [b["digits"] for b in blocks] == [
        f"{iv['seconds'] // 60}:00" for iv in planned
    ]  # each counted down from its whole length
    for block, after, iv in zip(blocks, steps[2:], planned, strict=True):
        lasted = (after["t"] - block["t"]) / 1000 * speed  # in the runner's seconds
        assert abs(lasted - iv["seconds"]) <= 0.1 * iv["seconds"], (block["text"], lasted)
    said = [s for s in page.evaluate("window.__said") if s.startswith(("walk", "run"))]
    assert said == [w.lower() for w in words]

    # a beep at each change, when the label changes
    tones = page.evaluate("window.__tones")
    changes = [t for t in tones if t["hz"] == CHANGE_HZ]
    assert len(changes) == len(blocks)
    for beep, block in zip(changes, blocks, strict=True):
        # on the audio clock: a busy machine delays the page's timer a few tens of ms
        assert abs(beep["at"] - block["audio"]) < 0.06, block["text"]

    # the metronome: only in the runs after it was switched on, at the target step rate
    clicks = [t["at"] for t in tones if t["hz"] == CLICK_HZ and t["stop"] > t["at"]]
    every = 60 / target / speed  # seconds between clicks on the audio clock
    starts = [b["audio"] for b in blocks]
    ends = [s["audio"] for s in steps[2:]]
    kinds = [iv["kind"] for iv in planned]
    in_block: list[list[float]] = [[] for _ in blocks]
    for c in clicks:  # in the block sounding then: at a change, the block that starts
        n = bisect.bisect_right(starts, c) - 1
        if n > 0 and kinds[n] == "walk" and c - starts[n] <= 0.001:
            n -= 1  # unless it is a run's last click, on the instant the run ends
        assert n >= 0, f"a click at {c}, in the get-ready"
        assert c <= ends[-1] + 0.001, f"a click at {c}, after the end"
        in_block[n].append(c)
    for n, (kind, found) in enumerate(zip(kinds, in_block, strict=True)):
        if kind == "walk" or n < 2:
            assert found == [], f"clicks in {blocks[n]['text']} ({n + 1})"
            continue
        gaps = sorted(b - a for a, b in itertools.pairwise(found))
        assert gaps[len(gaps) // 2] == pytest.approx(every, rel=0.02)
        assert all(g == pytest.approx(every, rel=0.05) for g in gaps[1:-1])
        lasted = ends[n] - blocks[n]["audio"]
        assert len(found) == pytest.approx(lasted / every, rel=0.05)

    # then the summary asks the run's pain and says to answer the next morning's check-in
    form.get_by_role("button", name="Finish: how did it go?").click()
    summary = form.locator(".player-summary")
    assert "Run done: how did it go?" in summary.inner_text()
    assert "pain during the run" in summary.inner_text()
    pain = form.get_by_label("Pain during the run (0-10)")
    assert pain.is_visible()
    morning = form.locator(".next-morning")
    assert morning.is_visible()
    assert "Tomorrow morning, answer the check-in" in morning.inner_text()
    pain.fill("1")
    form.get_by_label("Pain after the run (0-10)").fill("1")
    shot(page, "player-run-summary")
    with page.expect_navigation():  # the key, as a full-page screenshot leaves the page scrolled
        form.get_by_role("button", name="Save session").press("Enter")
    done = page.locator("section.session.done", has_text="Run logged")
    assert "pain 1/10 during" in done.inner_text()
    assert "Tomorrow morning, answer the check-in" in done.inner_text()
    shot(page, "player-run-saved")
    logged = [s for s in server.app.state.ctx.programme().sessions if s.date == RUN_DAY]
    assert [(e.exercise, e.pain_during) for s in logged for e in s.entries] == [("running", 1)]
    assert [s.pain_after for s in logged] == [1]


def test_the_metronome_stops_on_pause_and_when_switched_off(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    ladder_runner(server, tmp_path, checked_in=True)
    page = phone(browser)
    page.context.add_init_script(AUDIO)
    page.goto(f"{server.url}/today?speed=30")
    form = run_form(page)
    metronome = form.get_by_label(re.compile("Cadence metronome"))
    metronome.check()
    form.get_by_role("button", name="Start guided session").click()
    form.locator(".countdown .step", has_text="Run 3 min").wait_for(timeout=20_000)
    now = "window.__audio.currentTime"
    page.wait_for_timeout(300)
    form.get_by_role("button", name="Pause").click()
    paused = page.evaluate(now)
    page.wait_for_timeout(1500)  # longer than the clicks scheduled ahead
    resumed = page.evaluate(now)
    form.get_by_role("button", name="Resume").click()
    page.wait_for_timeout(300)
    metronome.uncheck()
    off = page.evaluate(now)
    page.wait_for_timeout(1500)
    clicks = [
        t["at"]
        for t in page.evaluate("window.__tones")
        if t["hz"] == CLICK_HZ and t["stop"] > t["at"]
    ]
    assert [c for c in clicks if c < paused]  # on in the run
    assert [c for c in clicks if paused <= c <= resumed] == []  # quiet while paused
    assert [c for c in clicks if resumed < c < off]  # on again after resume
    assert [c for c in clicks if c >= off] == []  # quiet once switched off
    assert form.locator(".countdown .step").inner_text() == "Run 3 min"


# --- stopping early, starting now, saying what the forward button does ------------------------


def test_stop_here_goes_to_the_summary_as_stopped_early(browser: Any, server: Server) -> None:
    runner(server, **SETTLE)
    page = phone(browser)
    form = start(page, server, speed=10)
    form.get_by_role("button", name="Skip this exercise").click()  # the walk, left
    form.locator(".countdown .step", has_text="Hold: rep 1 of 10").wait_for()  # the quad set begun
    stop = form.get_by_role("button", name="Stop here")
    assert "secondary" in (stop.get_attribute("class") or "")
    box = stop.bounding_box()
    assert box
    assert box["x"] + box["width"] <= PHONE["width"]
    shot(page, "player-stop-here")
    stop.click()
    summary = form.locator(".player-summary")
    assert "Session stopped early: how did it go?" in summary.inner_text()
    assert form.locator(".countdown").is_hidden()
    assert form.locator("input[name=partial]").is_checked()
    assert not form.locator("input[name=done_0]").is_checked()  # the walk: skipped
    assert form.locator("input[name=done_1]").is_checked()  # the quad set: begun
    ticks = form.locator("input[type=checkbox][name^=done_]")
    assert ticks.count() > 3
    assert not any(ticks.nth(n).is_checked() for n in range(2, ticks.count()))  # not reached
    shot(page, "player-stopped-summary")


def test_stop_here_while_paused_and_at_the_first_get_ready(browser: Any, server: Server) -> None:
    runner(server, **SETTLE)
    page = phone(browser)
    form = start(page, server, speed=1)
    assert label(form) == "Get ready"
    form.get_by_role("button", name="Pause").click()
    form.get_by_role("button", name="Stop here").click()
    assert form.locator("input[name=partial]").is_checked()
    ticks = form.locator("input[type=checkbox][name^=done_]")
    assert not any(ticks.nth(n).is_checked() for n in range(ticks.count()))
    assert not form.evaluate("(f) => f.classList.contains('paused')")


def test_start_now_skips_only_the_wait_and_the_forward_button_says_what_it_does(
    browser: Any, server: Server
) -> None:
    runner(server, **SETTLE)
    page = phone(browser)
    form = start(page, server, speed=1)  # the runner's own seconds: nothing moves by itself
    forward = form.locator(".controls button", has_text=re.compile("exercise|summary|Finish"))
    assert label(form) == "Get ready"
    assert forward.inner_text() == "Skip this exercise"
    start_now = form.get_by_role("button", name="Start now")
    assert "secondary" in (start_now.get_attribute("class") or "")
    shot(page, "player-start-now")
    start_now.click()
    assert label(form) == "Walk"  # the walk itself, not the next exercise
    assert "Exercise 1 of" in form.locator(".progress").inner_text()
    assert start_now.is_hidden()
    assert forward.inner_text() == "Skip this exercise"
    forward.click()  # to the quad set, held per rep, right then left
    assert "Quad set" in form.locator(".progress").inner_text()
    assert label(form) == "Get ready: right leg"
    start_now.click()
    assert label(form) == "Hold: rep 1 of 10"
    assert forward.inner_text() == "Skip this exercise"


# Pauses the player the moment the side switch shows, to tap its Start now.
PAUSE_AT_SWITCH = """
new MutationObserver((_, watch) => {
  const step = document.querySelector("form.playing .countdown .step");
  if (!step || step.textContent !== "Switch to the left leg") return;
  [...document.querySelectorAll("form.playing .controls button")]
    .find((b) => b.textContent === "Pause").click();
  watch.disconnect();
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def test_the_side_switch_has_its_own_start_now_and_done_says_next(
    browser: Any, server: Server
) -> None:
    runner(server, **SETTLE)
    page = phone(browser)
    page.context.add_init_script(PAUSE_AT_SWITCH)
    form = start(page, server, speed=60)
    forward = form.locator(".controls button", has_text=re.compile("exercise|summary|Finish"))
    forward.click()  # the walk, left: to the quad set
    form.locator(".countdown .step", has_text="Switch to the left leg").wait_for(timeout=20_000)
    assert form.get_by_role("button", name="Resume").is_visible()
    shot(page, "player-switch-start-now")
    form.get_by_role("button", name="Start now").click()
    assert label(form) == "Hold: rep 1 of 10"
    assert "left leg" in form.locator(".countdown .step-detail").inner_text()
    assert forward.inner_text() == "Skip this exercise"
    form.get_by_role("button", name="Resume").click()
    form.locator(".countdown .step", has_text="Done").wait_for(timeout=20_000)
    assert forward.inner_text() == "Next exercise"  # once the exercise is done
    assert "secondary" not in (forward.get_attribute("class") or "")
