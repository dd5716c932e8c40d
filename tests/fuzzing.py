"""Parser fuzzing: every importer gets mutated real files, and only `ActivityFileError` may come
out. Shared by the suite's short run (tests/integration/test_fuzz_parsers.py), `make fuzz`'s
long one, and a run under `python -O` (which strips `assert`, so nothing here relies on it):

    python [-O] -m tests.fuzzing --examples 200

Each target takes bytes: FIT, GPX and TCX go straight to their parser; gzip, zip and a Strava
export (activities.csv beside the files) go through the folder reader as a file on disk, then
every source it yields through `parse`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import io
import os
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneecap.importers.errors import ActivityFileError
from kneecap.importers.fit import parse_fit
from kneecap.importers.gpx import parse_gpx
from kneecap.importers.sources import iter_sources, parse
from kneecap.importers.tcx import parse_tcx
from tests.activities import gpx_run

START = dt.datetime(2026, 11, 2, 7, tzinfo=dt.UTC)
GPX = gpx_run(START, 0.3, climb_then_descend_m=5, every_s=10)
TCX = b"""<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
<Activities><Activity Sport="Running"><Id>2026-11-02T07:00:00Z</Id>
<Lap StartTime="2026-11-02T07:00:00Z"><TotalTimeSeconds>20</TotalTimeSeconds>
<DistanceMeters>60</DistanceMeters><Track>
<Trackpoint><Time>2026-11-02T07:00:00Z</Time><DistanceMeters>0</DistanceMeters>
<Position><LatitudeDegrees>45.0</LatitudeDegrees><LongitudeDegrees>14.0</LongitudeDegrees></Position>
<AltitudeMeters>300</AltitudeMeters><Cadence>85</Cadence></Trackpoint>
<Trackpoint><Time>2026-11-02T07:00:10Z</Time><DistanceMeters>30</DistanceMeters>
<Position><LatitudeDegrees>45.0003</LatitudeDegrees><LongitudeDegrees>14.0</LongitudeDegrees></Position>
<AltitudeMeters>301</AltitudeMeters><Cadence>86</Cadence></Trackpoint>
<Trackpoint><Time>2026-11-02T07:00:20Z</Time><DistanceMeters>60</DistanceMeters>
<Position><LatitudeDegrees>45.0006</LatitudeDegrees><LongitudeDegrees>14.0</LongitudeDegrees></Position>
<AltitudeMeters>300</AltitudeMeters><Cadence>85</Cadence></Trackpoint>
</Track></Lap></Activity></Activities></TrainingCenterDatabase>
"""
STRAVA_CSV = (
    b"Activity ID,Activity Date,Activity Name,Activity Type,Filename\n"
    b'1,"Nov 2, 2026, 7:00:00 AM",Morning Run,Run,activities/1.gpx\n'
    b'2,"Nov 3, 2026, 7:00:00 AM",Ride,Ride,activities/2.tcx.gz\n'
)


def fit_seed() -> bytes:
    from tests.integration.test_import_fit import run_file

    return run_file()


def zipped(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    return out.getvalue()


def read_as_file(suffix: str) -> Callable[[bytes], object]:
    """A target that writes the bytes to `export{suffix}` and imports it as the CLI would."""

    def target(data: bytes) -> object:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"export{suffix}"
            path.write_bytes(data)
            found = []
            for source in iter_sources([path]):
                if isinstance(source, ActivityFileError):
                    continue
                with contextlib.suppress(ActivityFileError):
                    found.append(parse(source))
            return found

    return target


def parser(parse_bytes: Callable[[bytes], object]) -> Callable[[bytes], object]:
    def target(data: bytes) -> object:
        try:
            return parse_bytes(data)
        except ActivityFileError:
            return None

    return target


def targets() -> dict[str, tuple[Callable[[bytes], object], bytes]]:
    """Each importer with a valid seed file to mutate."""
    return {
        "fit": (parser(parse_fit), fit_seed()),
        "gpx": (parser(parse_gpx), GPX),
        "tcx": (parser(parse_tcx), TCX),
        "gzip": (read_as_file(".gpx.gz"), gzip.compress(GPX)),
        "zip": (
            read_as_file(".zip"),
            zipped([("run.gpx", GPX), ("run.fit", fit_seed()), ("run.tcx", TCX)]),
        ),
        "strava": (
            read_as_file(".zip"),
            zipped(
                [
                    ("activities.csv", STRAVA_CSV),
                    ("activities/1.gpx", GPX),
                    ("activities/2.tcx.gz", gzip.compress(TCX)),
                ]
            ),
        ),
    }


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed with a few bytes flipped, cut short, spliced or padded; or random bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=2048))
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["flip", "cut", "splice", "insert", "delete"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if action == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif action == "cut":
            del data[at:]
        elif action == "splice":
            data[at : at + 4] = draw(st.binary(min_size=1, max_size=4))
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[at : at + draw(st.integers(1, 64))]
    return bytes(data)


RANDOM = "KNEECAP_FUZZ_EXAMPLES" in os.environ


def fuzz(name: str, examples: int) -> None:
    """Feed `examples` mutations of `name`'s seed to its target; anything but the project's own
    error escaping fails (Hypothesis shrinks it and prints the input)."""
    target, seed = targets()[name]

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        # The short run in `make test` replays the same cases every time (a green main stays
        # green); `make fuzz` sets KNEECAP_FUZZ_EXAMPLES and explores new ones on each run.
        derandomize=not RANDOM,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mutated(seed))
    def run(data: bytes) -> None:
        target(data)

    run()


def main() -> None:
    ap = argparse.ArgumentParser(description="Fuzz every importer.")
    ap.add_argument("--examples", type=int, default=200, help="cases per importer")
    ap.add_argument("targets", nargs="*", default=sorted(targets()))
    args = ap.parse_args()
    for name in args.targets:
        fuzz(name, args.examples)
        print(f"{name}: {args.examples} cases, only ActivityFileError escaped")
    print(f"optimised (python -O): {not __debug__}")
    sys.exit(0)


if __name__ == "__main__":
    main()
