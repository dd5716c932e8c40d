"""The worker process: one clip decoded, thinned out and its pose found, frame by frame.

Run as `python -m kneecap.formcheck.worker REQUEST OUT` by `run.pose_series`, never imported by
the server itself: the decoder and the pose model run in their own process, which caps its own
address space and processor time before it imports either, so a hostile file can exhaust only
the worker. REQUEST is JSON (the video's path and the `Limits`); the worker writes into the
folder OUT `landmarks.npz` (times, pixel points and visibility of the 33 pose landmarks, the
frames' brightness, the frame size), a small JPEG per analysed frame (`frames/NNNNN.jpg`) and
`result.json`: `{"ok": true}` or `{"ok": false, "kind", "reason"}` for a file it cannot read.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import warnings
from pathlib import Path
from typing import Any

LANDMARKS = 33


class Refused(Exception):
    """The file cannot be analysed: `kind` for code, `reason` for the runner."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def cap_resources(memory_bytes: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _opened(cv2: Any, path: str, limits: dict[str, Any]) -> tuple[Any, float]:
    """The capture and its frame rate, once its size and announced length are acceptable."""
    if not Path(path).is_file():
        raise Refused("not_video", "the file is not there")
    capture = cv2.VideoCapture(path, cv2.CAP_FFMPEG)
    if not capture.isOpened():
        raise Refused("not_video", "this is not a video Kneecap can read (try MP4 or WebM)")
    width = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH))
    height = int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
    if width <= 0 or height <= 0:
        raise Refused("not_video", "this file holds no picture (no video stream)")
    if max(width, height) > limits["max_side"] or width * height > limits["max_pixels"]:
        raise Refused(
            "too_large",
            f"the video's frames are {width}x{height} pixels: film at 4K or less (1080p is plenty)",
        )
    fps = float(capture.get(cv2.CAP_PROP_FPS) or 0.0)
    frames = float(capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0.0)
    announced = frames / fps if 0 < fps <= limits["max_source_fps"] and frames > 0 else 0.0
    if announced > limits["max_seconds"] + 0.5:
        raise Refused("too_long", _too_long(limits, frames / fps))
    return capture, fps


def _too_long(limits: dict[str, Any], seconds: float | None = None) -> str:
    said = "" if seconds is None else f" ({seconds:.0f} s)"
    return (
        f"the clip is too long{said}: at most {limits['max_seconds']:g} s, "
        "a few reps are enough (about 20 s)"
    )


def _scaled(cv2: Any, frame: Any, side: int) -> Any:
    height, width = frame.shape[:2]
    scale = side / max(height, width)
    if scale >= 1:
        return frame
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(frame, size, interpolation=cv2.INTER_AREA)


def analyse(path: str, limits: dict[str, Any], out: Path) -> dict[str, Any]:
    """Decode `path`, run the pose model on frames `analysis_fps` apart, write the results."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # protobuf's and the model wrapper's deprecation notes
        import cv2
        import numpy as np
        from mediapipe.python.solutions import pose as mp_pose

        capture, fps = _opened(cv2, path, limits)
        step = 1.0 / limits["analysis_fps"]
        most_read = int(limits["max_seconds"] * limits["max_source_fps"]) + 1
        (out / "frames").mkdir()
        times: list[float] = []
        points: list[Any] = []
        seen: list[Any] = []
        brightness: list[float] = []
        size = (0, 0)
        next_t, read = 0.0, 0
        with mp_pose.Pose(
            static_image_mode=False,
            model_complexity=1,  # the wheel's own model: 0 and 2 would be downloaded
            smooth_landmarks=True,
            enable_segmentation=False,
            min_detection_confidence=0.5,
            min_tracking_confidence=0.5,
        ) as model:
            while capture.grab():
                read += 1
                t = capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
                if fps > 0 and (t <= 0 and read > 1):
                    t = (read - 1) / fps  # a stream without timestamps
                if t > limits["max_seconds"] + 0.5 or read > most_read:
                    raise Refused("too_long", _too_long(limits))
                if t + 1e-6 < next_t:
                    continue
                next_t = max(next_t + step, t + step / 2)
                ok, frame = capture.retrieve()
                if not ok or frame is None:
                    continue
                height, width = frame.shape[:2]
                if max(width, height) > limits["max_side"]:
                    raise Refused("too_large", "the video's frames are larger than 4K")
                size = (width, height)
                small = _scaled(cv2, frame, limits["analysis_side"])
                rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
                rgb.flags.writeable = False
                found = model.process(rgb)
                row = np.full((LANDMARKS, 2), np.nan)
                vis = np.zeros(LANDMARKS)
                if found.pose_landmarks is not None:
                    for i, lm in enumerate(found.pose_landmarks.landmark):
                        row[i] = (lm.x * width, lm.y * height)
                        vis[i] = lm.visibility
                index = len(times)
                times.append(t)
                points.append(row)
                seen.append(vis)
                gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
                brightness.append(float(gray.mean()))
                thumb = _scaled(cv2, small, limits["thumbnail_side"])
                cv2.imwrite(
                    str(out / "frames" / f"{index:05d}.jpg"), thumb, [cv2.IMWRITE_JPEG_QUALITY, 80]
                )
        capture.release()
        if not times:
            raise Refused("empty", "the video holds no frames that could be read")
        if read == 1:  # a photo or a document the decoder opens as one frame
            raise Refused(
                "not_video", "this is a single picture, not a video: film a clip of a few reps"
            )
        np.savez(
            out / "landmarks.npz",
            times=np.asarray(times, dtype=np.float64),
            points=np.asarray(points, dtype=np.float64),
            visibility=np.asarray(seen, dtype=np.float64),
            brightness=np.asarray(brightness, dtype=np.float64),
            size=np.asarray(size, dtype=np.int64),
        )
        return {"ok": True, "frames": len(times), "read": read}


def main(argv: list[str]) -> int:
    request = json.loads(argv[1])
    out = Path(argv[2])
    limits = request["limits"]
    cap_resources(int(limits["memory_bytes"]), int(limits["cpu_seconds"]))
    os.environ.setdefault("GLOG_minloglevel", "2")
    try:
        result = analyse(request["path"], limits, out)
    except Refused as no:
        result = {"ok": False, "kind": no.kind, "reason": no.reason}
    except MemoryError:
        result = {"ok": False, "kind": "too_large", "reason": "the video needs too much memory"}
    (out / "result.json").write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
