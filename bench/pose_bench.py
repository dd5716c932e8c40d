"""The camera form check's speed on this machine: frames per second of the pose model (the
worker, decoding included) and of the pure analysis, and the end-to-end time for the 20.5-s side
clip in ../shared/video (the worker started, the clip decoded and posed, analysed, drawn).

    make bench-pose        (or: .venv/bin/python bench/pose_bench.py [--runs N])
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLIP = REPO.parent / "shared" / "video" / "squat_side_rohanx01.mp4"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from kneecap.app.form import analyse_clip
    from kneecap.core.form import analyse
    from kneecap.formcheck import run
    from kneecap.render import form as drawings

    if not run.available():
        print(run.UNAVAILABLE)
        return 1
    if not CLIP.is_file():
        print(f"the shared clip is not there: {CLIP.name} in ../shared/video")
        return 1
    ends, poses = [], []
    frames = 0
    for _ in range(args.runs):
        started = time.perf_counter()
        with run.posed(CLIP) as posed:
            posed_at = time.perf_counter()
            series = posed.series
            result = analyse(series, "chair-squat")
            drawings.frame_svg(
                result,
                series.points[result.worst_frame],
                (series.width, series.height),
                posed.jpeg(result.worst_frame),
            )
            drawings.knee_chart(result)
        ends.append(time.perf_counter() - started)
        poses.append(posed_at - started)
        frames = len(series)
    repeats = 50
    started = time.perf_counter()
    for _ in range(repeats):
        analyse(series, "chair-squat")
    pure = (time.perf_counter() - started) / repeats
    check = analyse_clip(CLIP)
    end = statistics.median(ends)
    pose = statistics.median(poses)
    print(
        f"clip: {CLIP.name}, 20.5 s, 608x1080 at 29.97 fps; {frames} frames analysed (10 a second)"
    )
    print(
        f"worker (start, decode, pose): {pose:.2f} s median of {args.runs}: {frames / pose:.1f} frames/s"
    )
    print(f"analysis (core/form.py alone): {pure * 1000:.1f} ms: {frames / pure:,.0f} frames/s")
    print(f"end to end (worker, analysis, drawings): {end:.2f} s median of {args.runs}")
    print(
        f"reps {len(check.result.reps)}, depth {[r.depth_deg and round(r.depth_deg) for r in check.result.reps]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
