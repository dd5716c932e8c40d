"""The real exercise clips the form-check tests read from ../shared/video (never copied into
the project: their licences are their own), and the skips where they or the pose model are
missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from kneecap.formcheck import run

VIDEOS = Path(__file__).resolve().parents[1].parent / "shared" / "video"
FRONT = VIDEOS / "squat_front_band_tfjs.mp4"
FRONT_REFERENCE = VIDEOS / "squat_front_band_tfjs.blazepose_full_2d_px.json"
SIDE = VIDEOS / "squat_side_rohanx01.mp4"

needs_model = pytest.mark.skipif(
    not run.available(), reason="the mediapipe wheel is not installed on this platform"
)


def shared(path: Path) -> Path:
    """`path`, or the test skipped saying which clip is missing."""
    if not path.is_file():
        pytest.skip(f"the shared test video {path.name} is not in ../shared/video")
    return path
