"""Clinical numbers the core encodes, each named after its rule in the clinical reference.

Rule ids (PMM-1, RF-URGENT, ...) are the ones in CLINICAL.md; guide requirements are R1-R14.
"""

from __future__ import annotations

# Triage at intake (issue: severity triage). Worst pain at or above this, or pain at rest,
# starts the gentle settle phase with a routine referral.
SEVERE_PAIN_NRS = 7
# R9: moderate-to-severe pain means a physiotherapist should guide the programme.
MODERATE_PAIN_NRS = 4
# R9's advice to see a physiotherapist for that pain is dropped once the logged pain has been at
# most this for these days (the advice must stay true of the runner now).
R9_SETTLED_PAIN_NRS = 2
R9_SETTLED_DAYS = 14

# PMM-1: acceptable pain during exercise (0-2 safe, 3-5 acceptable, above 5 too much).
PMM1_ACCEPTABLE_PAIN_NRS = 5
PMM1_SETTLE_PAIN_NRS = 2

# R4 / MISSION: strength never on two consecutive days, at most four a week, three or four
# where the days allow. A repeating weekly pattern of non-adjacent days holds at most three.
STRENGTH_DAYS_TARGET = 3
STRENGTH_DAYS_MIN_ADVISED = 3
# RTR-RULES / R12: two strength sessions a week once back to running.
MAINTAIN_STRENGTH_DAYS = 2

# CPG-EDU: home programmes of 3-4 exercises per session keep adherence up.
EXERCISES_PER_STRENGTH_SESSION = 4
MIN_EXERCISES_PER_STRENGTH_SESSION = 2

# R13: the guide's sample session, minutes per block.
WARM_UP_MIN = 5
STRENGTH_BLOCK_MIN = (15, 20)
STRETCH_BLOCK_MIN = 10
ROLL_BLOCK_MIN = 5
SAMPLE_SESSION_MIN = (30, 40)

# R10: low-impact cardio sessions offered per week while healing, and their length bounds.
CARDIO_SESSIONS_PER_WEEK = 2
CARDIO_MIN_MINUTES = 15

# Kneecap's own rules where CLINICAL.md gives no number (documented in docs/rules.md).
GAP_RULE = "KC-GAP"  # a long break restarts one step lower
PHASE_SETTLE_EXIT = "KC-PHASE-SETTLE"  # settle -> strengthen: worst pain <= 4 for a week, no flare
SETTLE_EXIT_MAX_PAIN = 4
SETTLE_EXIT_DAYS = 7
SETTLE_EXIT_MIN_CHECKINS = 5
PHASE_BUILD_ENTRY = "KC-PHASE-BUILD"  # strengthen -> build: core set at the top for two weeks
BUILD_ENTRY_MAX_PAIN = 3
BUILD_ENTRY_DAYS = 14
CORE_SET = ("straight-leg-raise", "glute-bridge", "clamshell", "wall-sit")
# The core set as the runner's own plan fills it: the quad set takes the wall sit's slot
# without a wall. Only exercises the runner does are criteria.
CORE_SET_CHOICES = (*CORE_SET, "quad-set")
CORE_EXERCISES_FOR_BUILD = 3
PHASE_FLARE = "KC-PHASE-FLARE"  # back down a phase after repeated flares
FLARES_TO_STEP_DOWN = 2  # flare-up events: a session and the morning after it are one
FLARE_WINDOW_DAYS = 14
ONE_NEW_LOAD = "KC-ONE-NEW-LOAD"  # never two new loads at once: band work settles before runs
ONE_NEW_LOAD_DAYS = 7
ONE_NEW_LOAD_SESSIONS = 2
WEEKLY_RISE = 1.0  # PMM-3: a rise of a point in the weekly mean counts as rising

# Running (CLINICAL LOAD-*, CAD-1).
DUPLICATE_START_S = 120  # the same run in two files starts within two minutes ...
DUPLICATE_DURATION = 0.1  # ... and lasts within 10% as long
LOAD_SPIKE_PCT = 30.0  # LOAD-SPIKE: flag week-over-week increases above this
CADENCE_FIRST_STEP = 0.05  # CAD-1: +5% of the runner's own baseline first
CADENCE_MAX_STEP = 0.10  # then up to +10%
CADENCE_BASELINE_RUNS = 3  # baseline = median of the first runs on record; current = of the latest
CADENCE_TOLERANCE_SPM = 1.0  # within a step a minute of the +5% target counts as reached
RTR_RUNS_PER_WEEK = 3  # RTR-LADDER: at least a day of rest between runs
# RTR-RULES / LOAD-SPIKE after the ladder (core/run_build.py): +15% a week while symptoms allow
# (inside the 10-20% a week a gradual build takes), never over LOAD_SPIKE_PCT above the week run.
RUN_BUILD_STEP = 0.15
RUN_BUILD_DONE_SHARE = 0.8  # a week counts as run when this share of its target was run
RUN_SPACED_WEEKS = 4  # runs on non-consecutive days for the first weeks back
DOWNHILL_AFTER_DAYS = 28  # LOAD-DOWNHILL: level routes for the first four weeks of maintain
# KC-RUN-PAUSE: running on one's own before the ladder (core/running_advice.py). The runs of
# the last two weeks are judged (PMM-1, PMM-2, PMM-4); two that the knee did not tolerate
# within two weeks pause running until the run check (RTR-ENTRY) and the ladder.
RUN_PAUSE_DAYS = 14
RUN_PAUSE_BAD_RUNS = 2
# The camera form check (core/form.py), Kneecap's own thresholds where the clinical reference
# gives none. KC-FORM-VALGUS: the knee's frontal-plane projection angle (thigh against shin, seen
# from the front) past this, towards the midline, is a knee moving inwards. KC-FORM-PELVIS: on a
# single-leg move, the line across the hips tilting this much more than when standing is a
# pelvic drop. KC-FORM-TEMPO: a lowering quicker than this is not under control.
FORM_VALGUS_DEG = 10.0
FORM_PELVIC_DROP_DEG = 5.0
FORM_MIN_LOWERING_S = 1.0
