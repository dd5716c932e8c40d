"""The server's side of the worker: the clip handed to a child process under limits, its
landmarks read back as a `core.form.Series`, the frames' small JPEGs kept until the analysis
has picked the one to draw.

`posed(path)` is a context manager: the worker's folder is deleted when it closes, whatever
happens. A file the worker cannot read, a worker killed by its memory or time cap, and a worker
that runs past its wall-clock timeout all end in `CannotAnalyse` with the reason in words.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from importlib.util import find_spec
from pathlib import Path

from kneecap.core.form import CannotAnalyse, Series
from kneecap.formcheck.limits import DEFAULT, Limits

UNAVAILABLE = (
    "form check is not available on this computer: the pose model (the mediapipe package) is "
    "not installed for this platform; everything else works"
)


class Unavailable(RuntimeError):
    """The pose model or the decoder is not installed here."""

    def __init__(self) -> None:
        super().__init__(UNAVAILABLE)


def available() -> bool:
    """Whether the pose model and the decoder are installed (looked up, not imported), on a
    system whose processes can be capped (`resource`)."""
    return all(find_spec(name) is not None for name in ("mediapipe", "cv2", "resource"))


@dataclass(frozen=True)
class Posed:
    """A clip's landmarks and the folder holding its analysed frames as small JPEGs."""

    series: Series
    folder: Path

    def jpeg(self, index: int) -> bytes | None:
        path = self.folder / "frames" / f"{index:05d}.jpg"
        return path.read_bytes() if path.is_file() else None


def _worker_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHONWARNINGS")}
    env.update({"GLOG_minloglevel": "2", "TF_CPP_MIN_LOG_LEVEL": "2", "OPENCV_LOG_LEVEL": "ERROR"})
    env["OPENCV_FFMPEG_READ_ATTEMPTS"] = "256"  # a broken stream ends instead of spinning
    return env


def _check_file(path: Path, limits: Limits) -> None:
    if not path.exists():
        raise CannotAnalyse("not_video", f"no such file: {path}")
    if not path.is_file():  # a folder, a pipe, a device
        raise CannotAnalyse("not_video", f"not a file: {path}")
    size = path.stat().st_size
    if size == 0:
        raise CannotAnalyse("not_video", "the file is empty")
    if size > limits.max_bytes:
        raise CannotAnalyse(
            "too_big",
            f"the file is larger than {limits.max_bytes // (1024 * 1024)} MB: film a shorter clip",
        )


def _run_worker(path: Path, folder: Path, limits: Limits) -> dict[str, object]:
    request = json.dumps({"path": str(path.resolve()), "limits": asdict(limits)})
    try:
        done = subprocess.run(
            [sys.executable, "-m", "kneecap.formcheck.worker", request, str(folder)],
            capture_output=True,
            timeout=limits.timeout_seconds,
            env=_worker_env(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise CannotAnalyse(
            "timeout",
            f"the analysis took longer than {limits.timeout_seconds:g} s: try a shorter clip",
        ) from None
    result_file = folder / "result.json"
    if done.returncode != 0 or not result_file.is_file():
        raise CannotAnalyse(
            "failed",
            "the video could not be decoded within the memory and time allowed "
            "(is it a video? try a shorter clip, or MP4)",
        )
    result: dict[str, object] = json.loads(result_file.read_text(encoding="utf-8"))
    return result


@contextmanager
def posed(path: Path, limits: Limits = DEFAULT) -> Iterator[Posed]:
    """The clip's pose, frame by frame; `CannotAnalyse` with the reason, `Unavailable` where
    the pose model is not installed."""
    if not available():
        raise Unavailable
    _check_file(path, limits)
    with tempfile.TemporaryDirectory(prefix="kneecap-form-") as name:
        folder = Path(name)
        result = _run_worker(path, folder, limits)
        if not result.get("ok"):
            raise CannotAnalyse(str(result.get("kind")), str(result.get("reason")))
        yield Posed(_load(folder / "landmarks.npz"), folder)


def _load(path: Path) -> Series:
    import numpy as np

    with np.load(path) as found:
        width, height = (int(v) for v in found["size"])
        return Series(
            times=found["times"],
            points=found["points"],
            visibility=found["visibility"],
            brightness=found["brightness"],
            width=width,
            height=height,
        )
