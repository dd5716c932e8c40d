"""The form check on real video (the clips in ../shared/video, never copied into the project:
their sources and licences are in SOURCES.md there) and on hostile files: the pose model's
accuracy against the upstream reference landmarks, the rep counts, the depth against a hand
measurement, `kneecap form` and its JSON, and the files it refuses with a reason."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from kneecap.app.errors import BadInput
from kneecap.app.form import FormCheck, analyse_clip
from kneecap.formcheck import run
from kneecap.formcheck.limits import Limits
from tests.conftest import Cli
from tests.videos import FRONT, FRONT_REFERENCE, SIDE, needs_model
from tests.videos import shared as _clip

# The side clip's depth measured by hand: the frame at 10.5 s (the first rep's bottom) was cut
# out, enlarged 2.5 times over a 50-px grid, and three points placed by eye on the near (right)
# leg: the hip joint at the greater trochanter (218, 758), the knee's centre halfway between the
# front of the knee and the back of it (336, 776), the outer ankle bone (274, 866). The angle at
# the knee between them is 64°. (SOURCES.md's "about 49-55°" reads the far leg, which the near
# one hides.)
SIDE_DEPTH_BY_HAND = 64.0
LEG_JOINTS = (23, 24, 25, 26, 27, 28)
NAMES = {
    11: "left shoulder",
    12: "right shoulder",
    23: "left hip",
    24: "right hip",
    25: "left knee",
    26: "right knee",
    27: "left ankle",
    28: "right ankle",
}


@pytest.fixture(scope="module")
def front() -> FormCheck:
    if not run.available():
        pytest.skip("the mediapipe wheel is not installed on this platform")
    return analyse_clip(_clip(FRONT), "chair-squat", "front")


@pytest.fixture(scope="module")
def side() -> FormCheck:
    if not run.available():
        pytest.skip("the mediapipe wheel is not installed on this platform")
    return analyse_clip(_clip(SIDE))


def test_the_pose_is_within_a_few_pixels_of_the_reference_landmarks(
    front: FormCheck, capsys: pytest.CaptureFixture[str]
) -> None:
    """Per joint, over all 65 frames of the 720 x 1280 clip: the upstream test accepts 31 px."""
    reference = np.asarray(json.loads(_clip(FRONT_REFERENCE).read_text()))[:, :, :2]
    points = front.series.points
    assert points.shape[0] == reference.shape[0] == 65
    error = np.linalg.norm(points - reference, axis=2)
    with capsys.disabled():
        print("\nper-joint pixel error against the reference landmarks (median, 95th percentile):")
        for j, name in NAMES.items():
            print(
                f"  {name:15s} {np.median(error[:, j]):5.1f} {np.percentile(error[:, j], 95):5.1f}"
            )
    for j in NAMES:
        assert np.median(error[:, j]) < 10, NAMES[j]
        assert np.percentile(error[:, j], 95) < 31, NAMES[j]


def test_the_front_clip_has_two_reps_and_the_third_cut_off(front: FormCheck) -> None:
    result = front.result
    assert result.view == "front"
    assert len(result.reps) == 2
    assert [round(r.bottom_s) for r in result.reps] == [2, 7]
    assert result.cut_off
    assert [w.kind for w in result.warnings] == ["cut_off"]  # the band keeps the knees out


def test_the_side_clip_has_two_reps_as_deep_as_measured_by_hand(
    side: FormCheck, capsys: pytest.CaptureFixture[str]
) -> None:
    result = side.result
    assert result.view == "side"  # guessed
    assert len(result.reps) == 2
    assert [round(r.bottom_s) for r in result.reps] == [11, 17]
    depths = [r.depth_deg for r in result.reps]
    with capsys.disabled():
        print(f"\nside clip depth: {depths} against {SIDE_DEPTH_BY_HAND}° measured by hand")
    assert depths[0] is not None
    assert abs(depths[0] - SIDE_DEPTH_BY_HAND) <= 10
    assert all(d is not None and d < 90 for d in depths)
    assert all(r.valgus_deg is None and r.pelvic_drop_deg is None for r in result.reps)


def test_the_worst_frame_is_a_jpeg(side: FormCheck) -> None:
    assert side.frame_jpeg is not None
    assert side.frame_jpeg[:3] == b"\xff\xd8\xff"


@needs_model
def test_kneecap_form_json_is_the_contract_alone(cli: Cli) -> None:
    done = cli("form", str(_clip(SIDE)), "--exercise", "chair-squat", "--json")
    assert done.code == 0, done.err
    data = json.loads(done.out)
    assert set(data) == {"exercise", "view", "reps", "per_rep", "warnings", "frames_analysed"}
    assert data["exercise"] == "chair-squat"
    assert data["view"] == "side"
    assert data["reps"] == 2
    assert data["frames_analysed"] == 205
    for rep in data["per_rep"]:
        assert set(rep) == {
            "start_s",
            "bottom_s",
            "end_s",
            "depth_deg",
            "valgus_deg",
            "pelvic_drop_deg",
        }
        assert rep["valgus_deg"] is None


@needs_model
def test_kneecap_form_speaks_in_words(cli: Cli) -> None:
    done = cli("form", str(_clip(FRONT)), "--view", "front")
    assert done.code == 0, done.err
    assert "2 reps" in done.out
    assert "not counted" in done.out


# --- refused ---------------------------------------------------------------------------------


def _write_video(path: Path, size: tuple[int, int], frames: int, fps: float) -> Path:
    import cv2

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, size)
    frame = np.full((size[1], size[0], 3), 90, dtype=np.uint8)
    for _ in range(frames):
        writer.write(frame)
    writer.release()
    return path


@needs_model
@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"not a video at all\n" * 50, "not a video Kneecap can read"),
        (b"\x00\x00\x00\x18ftypmp42" + bytes(4000), "not a video Kneecap can read"),
    ],
    ids=["empty", "text", "broken mp4"],
)
def test_a_file_that_is_not_a_video_exits_2_with_the_reason(
    cli: Cli, tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "clip.mp4"
    path.write_bytes(content)
    done = cli("form", str(path))
    assert done.code == 2
    assert reason in done.err


@needs_model
def test_a_picture_named_as_a_video_is_not_called_too_short(cli: Cli, tmp_path: Path) -> None:
    import cv2
    import numpy as np

    photo = tmp_path / "photo.png.mp4"
    ok, png = cv2.imencode(".png", np.full((240, 320, 3), 128, dtype=np.uint8))
    assert ok
    photo.write_bytes(png.tobytes())
    done = cli("form", str(photo))
    assert done.code == 2
    assert "this is a single picture, not a video" in done.err


@needs_model
def test_a_missing_file_and_an_unknown_exercise_exit_2(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "nope.mp4"
    assert f"no such file: {missing}" in cli("form", str(missing)).err  # the path as given
    assert f"not a file: {tmp_path}" in cli("form", str(tmp_path)).err
    done = cli("form", str(_clip(SIDE)), "--exercise", "moonwalk")
    assert done.code == 2
    assert "'moonwalk' has no form check" in done.err


@needs_model
def test_a_clip_longer_than_the_limit_is_refused(tmp_path: Path) -> None:
    long = _write_video(tmp_path / "long.mp4", (64, 64), 130, 2.0)  # 65 s
    with pytest.raises(BadInput, match="too long"):
        analyse_clip(long)


@needs_model
def test_frames_beyond_the_size_limit_are_refused(tmp_path: Path) -> None:
    wide = _write_video(tmp_path / "wide.mp4", (1024, 64), 3, 5.0)
    with pytest.raises(BadInput, match="frames are 1024x64"):
        analyse_clip(wide, limits=Limits(max_side=1000))


@needs_model
def test_a_file_over_the_size_cap_is_refused_before_decoding(tmp_path: Path) -> None:
    big = tmp_path / "big.mp4"
    big.write_bytes(bytes(2048))
    with pytest.raises(BadInput, match="larger than"):
        analyse_clip(big, limits=Limits(max_bytes=1024))


@needs_model
def test_a_video_without_a_person_is_refused(tmp_path: Path) -> None:
    blank = _write_video(tmp_path / "blank.mp4", (160, 284), 40, 10.0)
    with pytest.raises(BadInput, match=r"no person|too dark"):
        analyse_clip(blank)


@needs_model
def test_a_worker_over_its_memory_cap_is_refused_with_a_reason() -> None:
    with pytest.raises(BadInput, match="memory and time allowed"):
        analyse_clip(_clip(FRONT), limits=Limits(memory_bytes=64 * 1024 * 1024))


@needs_model
def test_a_worker_past_its_timeout_is_ended(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="took longer than"):
        analyse_clip(_clip(SIDE), limits=Limits(timeout_seconds=0.5))
