"""The programme's phases, in order. A runner moves forward on entry criteria and back on flares."""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    SETTLE = "settle"
    STRENGTHEN = "strengthen"
    BUILD = "build"
    RETURN_TO_RUN = "return_to_run"
    MAINTAIN = "maintain"

    @property
    def label(self) -> str:
        return _TITLES[self]

    @property
    def purpose(self) -> str:
        return _PURPOSES[self]


_TITLES = {
    Phase.SETTLE: "Settle",
    Phase.STRENGTHEN: "Strengthen",
    Phase.BUILD: "Build",
    Phase.RETURN_TO_RUN: "Return to run",
    Phase.MAINTAIN: "Maintain",
}

_PURPOSES = {
    Phase.SETTLE: "Calm an irritable knee with gentle, low-load work while pain comes down.",
    Phase.STRENGTHEN: "Build hip and thigh strength with bodyweight exercises.",
    Phase.BUILD: "Add resistance-band work once bodyweight exercises feel comfortable.",
    Phase.RETURN_TO_RUN: "Bring running back through a walk/run ladder on level ground.",
    Phase.MAINTAIN: "Stay pain-free: keep strength work and build running gradually.",
}
