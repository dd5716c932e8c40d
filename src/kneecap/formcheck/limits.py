"""What one form check reads at most, and how the video is thinned out for the analysis
(documented in docs/form.md). A caller (a test, a smaller server) passes its own `Limits`."""

from __future__ import annotations

from dataclasses import dataclass, fields

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """One form check's limits. Every field is a positive number."""

    max_bytes: int = 100 * MB  # the uploaded file (a 60-s phone clip at 1080p is about 60 MB)
    max_seconds: float = 60.0  # the clip's length (a set of 10 slow reps takes about 40 s)
    max_side: int = 4096  # the frame's longer side in pixels (4K video is 3840)
    max_pixels: int = 3840 * 2160
    max_source_fps: float = 240.0  # frames read per second of video, at most
    analysis_fps: float = 10.0  # frames analysed per second (the knee moves at about 1 Hz)
    analysis_side: int = 640  # the analysed frame's longer side (the pose model sees 256 px)
    thumbnail_side: int = 360  # the frames kept for the picture of the worst moment
    memory_bytes: int = 3 * 1024 * MB  # the worker's address space (RLIMIT_AS)
    cpu_seconds: int = 120  # the worker's processor time (RLIMIT_CPU)
    timeout_seconds: float = 180.0  # the worker's wall-clock time

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ValueError(f"Limits.{f.name} must be a positive number, not {value!r}")


DEFAULT = Limits()
