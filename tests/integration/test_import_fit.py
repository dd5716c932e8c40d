"""The FIT decoder: against fitdecode on the real corpus, on generated fixtures with exact answers,
and on damaged input (which must only ever raise ActivityFileError)."""

from __future__ import annotations

import datetime as dt
import gzip
import random
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import fitdecode  # type: ignore[import-untyped]
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneecap.core.activity import CHANNELS, Activity, Sport
from kneecap.importers import fit
from kneecap.importers.errors import ActivityFileError
from kneecap.importers.fit import crc16, parse_fit
from tests import fitfile as ff
from tests.conftest import corpus_params
from tests.fitfile import DevField, Field, FitWriter

START = dt.datetime(2024, 5, 1, 7, 0, tzinfo=dt.UTC)
T0 = ff.fit_time(START)
SEMICIRCLE = 180 / 2**31

# --- fitdecode as the oracle ------------------------------------------------------------------


def fit_seconds(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return (value - ff.FIT_EPOCH).total_seconds()
    return float(value)


def first(value: Any) -> Any:
    """fitdecode gives array fields as tuples; the decoder keeps their first element."""
    return value[0] if isinstance(value, tuple) else value


def reference(data: bytes) -> dict[str, Any]:
    """Records (file order), sessions and file types as fitdecode decodes them."""
    records: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    file_types: list[Any] = []
    reader = fitdecode.FitReader(
        data,
        check_crc=fitdecode.CrcCheck.DISABLED,
        error_handling=fitdecode.ErrorHandling.IGNORE,
    )
    with reader:
        for frame in reader:
            if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                continue
            if frame.name == "file_id":
                file_types.append(frame.get_value("type", fallback=None))
            elif frame.name == "session":
                sessions.append({f.name: f.value for f in frame.fields})
            elif frame.name == "record":
                records.append(record_values(frame))
    return {"records": records, "sessions": sessions, "file_types": file_types}


def record_values(frame: Any) -> dict[str, Any]:
    real: dict[int, Any] = {}
    expanded: dict[str, Any] = {}
    for f in frame.fields:
        if f.field_def is None:
            expanded.setdefault(f.name, f.value)
        elif not f.field_def.is_dev:
            real.setdefault(f.field_def.def_num, first(f.value))

    def pick(*values: Any) -> Any:
        return next((v for v in values if v is not None), None)

    stamp = real.get(253) if real.get(253) is not None else expanded.get("timestamp")
    cadence = real.get(4)
    if cadence is not None:
        cadence += real.get(53) or 0.0  # fractional_cadence, already scaled
    packed = 8 in real and real[8] is not None
    return {
        "t": fit_seconds(stamp),
        "lat": None if real.get(0) is None else real[0] * SEMICIRCLE,
        "lon": None if real.get(1) is None else real[1] * SEMICIRCLE,
        "altitude_m": pick(real.get(78), real.get(2)),
        "heart_rate": real.get(3),
        "cadence": cadence,
        "distance_m": pick(real.get(5), expanded.get("distance") if packed else None),
        "speed_mps": pick(real.get(73), real.get(6), expanded.get("speed") if packed else None),
    }


def column(records: Sequence[dict[str, Any]], name: str) -> np.ndarray:
    return np.array([np.nan if r[name] is None else r[name] for r in records], dtype=np.float64)


Session = dict[str, Any] | None


def expected_activities(ref: dict[str, Any]) -> list[tuple[Session, list[dict[str, Any]], float]]:
    """(session, records, distance already run) per activity: records with a timestamp in time
    order; a multi-sport file split by session windows, transitions dropped, each leg's distance
    counted from the last one recorded before it."""
    timed = [r for r in ref["records"] if r["t"] is not None]
    timed.sort(key=lambda r: r["t"])
    sessions = sorted(ref["sessions"], key=lambda s: fit_seconds(s["start_time"]) or 0.0)
    legs = [s for s in sessions if s.get("sport") != "transition"]
    if len(legs) <= 1:
        return [(legs[0] if legs else None, timed, 0.0)]
    out: list[tuple[Session, list[dict[str, Any]], float]] = []
    for i, s in enumerate(sessions):
        begin = fit_seconds(s["start_time"])
        assert begin is not None
        end = begin + s["total_elapsed_time"]
        later = [fit_seconds(x["start_time"]) for x in sessions[i + 1 :]]
        mine = [
            r
            for r in timed
            if begin <= r["t"] <= end and not any(b is not None and b <= r["t"] for b in later)
        ]
        if s["sport"] == "transition" or not mine:
            continue
        before = [r["distance_m"] for r in timed if r["t"] < mine[0]["t"]]
        before = [d for d in before if d is not None]
        out.append((s, mine, before[-1] if before else 0.0))
    return out


SPORTS = {
    "running": Sport.RUNNING,
    "walking": Sport.WALKING,
    "hiking": Sport.HIKING,
    "cycling": Sport.CYCLING,
    "swimming": Sport.SWIMMING,
    "rowing": Sport.ROWING,
}
MACHINES = {"treadmill": Sport.RUNNING, "indoor_rowing": Sport.ROWING}


def expected_sport(session: dict[str, Any]) -> Sport:
    if session.get("sport") == "fitness_equipment":
        return MACHINES.get(str(session.get("sub_sport")), Sport.OTHER)
    return SPORTS.get(str(session.get("sport")), Sport.OTHER)


def assert_same(
    a: Activity, session: Session, records: list[dict[str, Any]], already: float
) -> None:
    start = (a.start - ff.FIT_EPOCH).total_seconds()
    np.testing.assert_array_equal(a.time_s + start, column(records, "t"))
    for name in ("lat", "lon", "altitude_m", "heart_rate", "speed_mps"):
        np.testing.assert_allclose(
            getattr(a, name), column(records, name), rtol=1e-12, atol=1e-9, equal_nan=True
        )
    np.testing.assert_allclose(
        a.distance_m, column(records, "distance_m") - already, atol=1e-6, equal_nan=True
    )
    cadence = column(records, "cadence") * 2 if a.sport.on_foot else np.full(len(records), np.nan)
    np.testing.assert_allclose(a.cadence_spm, cadence, rtol=1e-12, equal_nan=True)
    assert a.source == "fit"
    if session is not None:
        assert a.sport is expected_sport(session)
        begin = fit_seconds(session.get("start_time"))
        assert start == min(begin, records[0]["t"]) if begin else records[0]["t"]
        assert a.totals.elapsed_s == session.get("total_elapsed_time")
        assert a.totals.distance_m == session.get("total_distance")


def check_against_fitdecode(data: bytes) -> list[Activity]:
    try:
        ref = reference(data)
    except fitdecode.FitError:
        with pytest.raises(ActivityFileError):
            parse_fit(data)
        return []
    kinds = [t for t in ref["file_types"] if t is not None]
    if kinds and kinds[0] != "activity":
        with pytest.raises(ActivityFileError, match=f"a FIT {kinds[0]} file, not an activity"):
            parse_fit(data)
        return []
    stamps = [r["t"] for r in ref["records"] if r["t"] is not None]
    if stamps and max(stamps) < 0x10000000:
        with pytest.raises(ActivityFileError, match="clock was not set"):
            parse_fit(data)
        return []
    activities = parse_fit(data)
    expected = expected_activities(ref)
    assert len(activities) == len(expected)
    for a, (session, records, already) in zip(activities, expected, strict=True):
        assert_same(a, session, records, already)
    return activities


def corpus_fit(path: Path) -> bytes:
    raw = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        return gzip.decompress(raw)
    if path.name.lower().endswith(".zip"):
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if n.lower().endswith(".fit")]
            assert len(names) == 1, names
            return z.read(names[0])
    return raw


# --- 1. the corpus, field for field -----------------------------------------------------------


@pytest.mark.parametrize("path", corpus_params(".fit", ".fit.gz"))
def test_corpus_matches_fitdecode(path: Path) -> None:
    check_against_fitdecode(corpus_fit(path))


@pytest.mark.parametrize("path", corpus_params(".zip"))
def test_corpus_zipped_fit_matches_fitdecode(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        if not any(n.lower().endswith(".fit") for n in z.namelist()):
            pytest.skip("no FIT file in this archive")
    check_against_fitdecode(corpus_fit(path))


def test_corpus_compressed_speed_distance_decodes_like_fitdecode(corpus: Path) -> None:
    """The one corpus file with compressed timestamps and speed/distance was recorded before its
    clock was set, so `parse_fit` refuses it; its records are still checked, below the API."""
    data = (corpus / "fitparse__compressed-speed-distance.fit").read_bytes()
    buf = np.frombuffer(data, dtype=np.uint8)
    records = fit._records(fit._read_part(data, buf, 0))
    assert records is not None
    expected = reference(data)["records"]
    np.testing.assert_array_equal(records.timestamp, column(expected, "t"))
    for name in ("heart_rate", "distance_m", "speed_mps"):
        np.testing.assert_allclose(
            getattr(records, name), column(expected, name), atol=1e-9, equal_nan=True
        )
    assert np.nanmax(records.distance_m) > 4096 / 16  # the 12-bit distance rolled over


# --- 2. the corpus against its own summaries --------------------------------------------------


@pytest.mark.parametrize("path", corpus_params(".fit", ".fit.gz", ".zip"))
def test_corpus_samples_agree_with_session_totals(path: Path) -> None:
    if path.name.lower().endswith(".zip"):
        with zipfile.ZipFile(path) as z:
            if not any(n.lower().endswith(".fit") for n in z.namelist()):
                pytest.skip("no FIT file in this archive")
    try:
        activities = parse_fit(corpus_fit(path))
    except ActivityFileError as e:
        pytest.skip(f"not importable: {e}")
    runs = [
        a
        for a in activities
        if a.sport is Sport.RUNNING and a.totals.distance_m and a.totals.elapsed_s
    ]
    if not runs:
        pytest.skip("no run with session totals")
    for a in runs:
        assert a.totals.distance_m is not None
        assert a.totals.elapsed_s is not None
        distance = a.distance_m[np.isfinite(a.distance_m)]
        assert distance[-1] == pytest.approx(a.totals.distance_m, rel=0.01)
        # Elapsed, not timer, time: records run on the wall clock through pauses (the treadmill
        # run sports-lib__6860622783 has 3098 s of timer time in 3764 s elapsed).
        assert a.time_s[-1] == pytest.approx(a.totals.elapsed_s, rel=0.01)


# --- 3. generated fixtures --------------------------------------------------------------------

RUN = [  # t, lat, lon, altitude m, HR, cadence, fractional/128, distance m, speed m/s
    (0, 45.0, 14.0, 300.0, 140, 85, 64, 0.0, 3.0),
    (1, 45.0001, 14.00005, 300.2, 141, 85, 64, 3.0, 3.1),
    (2, 45.0002, 14.0001, 300.4, 142, 86, 0, 6.1, 3.2),
    (3, 45.0003, 14.00015, 300.6, 143, 86, 32, 9.3, 3.3),
    (4, 45.0004, 14.0002, 300.8, 144, 87, 96, 12.6, 3.4),
]


def run_record(t: int, lat: float, lon: float, alt: float, *rest: float) -> tuple[Any, ...]:
    hr, cad, frac, dist, speed = rest
    return (
        T0 + t,
        ff.semicircles(lat),
        ff.semicircles(lon),
        round((alt + 500) * 5),
        hr,
        cad,
        frac,
        round(dist * 100),
        round(speed * 1000),
    )


def run_file(
    *,
    big_endian: bool = False,
    sport: int = ff.RUNNING,
    sub_sport: int | None = 3,
    file_type: int = ff.ACTIVITY,
    **framing: Any,
) -> bytes:
    """The RUN points and their session; `framing` goes to `FitWriter.bytes` (header, CRCs)."""
    w = ff.file_id(FitWriter(), file_type)
    w.define(1, ff.RECORD, ff.RECORD_FIELDS, big_endian=big_endian)
    for p in RUN:
        w.message(1, *run_record(*p))
    ff.session(w, T0, 4, 12.6, sport=sport, sub_sport=sub_sport)
    return w.bytes(**framing)


def only(activities: list[Activity]) -> Activity:
    assert len(activities) == 1
    return activities[0]


def assert_run(a: Activity) -> None:
    assert a.sport is Sport.RUNNING
    assert a.sub_sport == "trail"
    assert a.start == START
    assert a.source == "fit"
    np.testing.assert_array_equal(a.time_s, [0, 1, 2, 3, 4])
    np.testing.assert_allclose(a.lat, [p[1] for p in RUN], atol=1e-7)
    np.testing.assert_allclose(a.lon, [p[2] for p in RUN], atol=1e-7)
    np.testing.assert_allclose(a.altitude_m, [p[3] for p in RUN], atol=1e-9)
    np.testing.assert_array_equal(a.heart_rate, [140, 141, 142, 143, 144])
    np.testing.assert_array_equal(a.cadence_spm, [171, 171, 172, 172.5, 175.5])
    np.testing.assert_allclose(a.distance_m, [0, 3, 6.1, 9.3, 12.6], atol=1e-9)
    np.testing.assert_allclose(a.speed_mps, [3.0, 3.1, 3.2, 3.3, 3.4], atol=1e-9)
    assert a.totals.distance_m == pytest.approx(12.6)
    assert a.totals.elapsed_s == 4.0
    assert a.totals.timer_s == 4.0
    assert a.warnings == ()


def test_short_run_exact_values() -> None:
    data = run_file()
    assert_run(only(parse_fit(data)))
    check_against_fitdecode(data)


def test_big_endian_definitions() -> None:
    data = run_file(big_endian=True)
    assert_run(only(parse_fit(data)))
    check_against_fitdecode(data)


def test_twelve_byte_header() -> None:
    assert_run(only(parse_fit(run_file(header_size=12))))


def test_header_crc_of_zero_is_not_checked() -> None:
    assert_run(only(parse_fit(run_file(header_crc=0))))


def test_compressed_timestamps_roll_over_the_running_timestamp() -> None:
    base = T0 - (T0 & 31) + 64 + 29  # low five bits 29: the offsets below wrap past 31
    w = ff.file_id(FitWriter())
    w.define(0, ff.RECORD, [Field(3, "uint8")])
    w.define(3, ff.EVENT, [Field(253, "uint32"), Field(0, "enum")])
    w.define(1, ff.RECORD, [Field(253, "uint32"), Field(3, "uint8")])
    w.message(1, base, 100)
    w.message(0, 101, time_offset=30)  # base + 1
    w.message(0, 102, time_offset=31)  # base + 2
    w.message(0, 103, time_offset=1)  # base + 4: rolled over
    w.message(3, base + 40, 0)  # an event's timestamp resets the reference
    w.message(0, 104, time_offset=(base + 45) & 31)  # base + 45
    w.message(0, 105, time_offset=(base + 45) & 31)  # the same second again
    w.message(0, 106, time_offset=(base + 45 + 31) & 31)  # a full wrap minus one
    ff.session(w, base, 80, 100.0)
    data = w.bytes()
    a = only(parse_fit(data))
    np.testing.assert_array_equal(a.time_s, [0, 1, 2, 4, 45, 45, 76])
    np.testing.assert_array_equal(a.heart_rate, [100, 101, 102, 103, 104, 105, 106])
    check_against_fitdecode(data)


def developer_file() -> bytes:
    w = ff.file_id(FitWriter())
    w.define(
        4,
        ff.DEVELOPER_DATA_ID,
        [Field(1, "byte", 16), Field(3, "uint8")],
    )
    w.message(4, bytes(range(16)), 0)
    w.define(
        5,
        ff.FIELD_DESCRIPTION,
        [Field(0, "uint8"), Field(1, "uint8"), Field(2, "uint8"), Field(3, "string", 8)],
    )
    w.message(5, 0, 0, 0x84, b"power")
    w.message(5, 0, 1, 0x88, b"form")
    dev = (DevField(0, 2), DevField(1, 4))
    w.define(1, ff.RECORD, ff.RECORD_FIELDS, developer=dev)
    w.define(3, ff.EVENT, [Field(253, "uint32"), Field(0, "enum")])
    for i, p in enumerate(RUN):
        w.message(1, *run_record(*p), developer=bytes([i, 1, 0xFF, 0xFE, 0xFD, i]))
        w.message(3, T0 + i, 0)  # other messages in between
    ff.session(w, T0, 4, 12.6, sub_sport=3)
    return w.bytes()


def test_developer_fields_are_skipped_by_their_declared_size() -> None:
    data = developer_file()
    assert_run(only(parse_fit(data)))
    check_against_fitdecode(data)


def test_compressed_speed_distance_accumulates_over_the_rollover() -> None:
    sixteenths = [0, 1000, 2000, 3000, 4000, 5000, 6000, 9000]  # distance in 1/16 m
    w = ff.file_id(FitWriter())
    w.define(1, ff.RECORD, [Field(253, "uint32"), Field(8, "byte", 3), Field(3, "uint8")])
    for i, d in enumerate(sixteenths):
        packed = (250 + i) | (d % 4096) << 12  # speed in 1/100 m/s, distance's low 12 bits
        w.message(1, T0 + i, packed.to_bytes(3, "little"), 150)
    w.message(1, T0 + 9, None, 150)  # all 0xFF: no value, accumulator untouched
    ff.session(w, T0, 9, 9000 / 16)
    data = w.bytes()
    a = only(parse_fit(data))
    np.testing.assert_allclose(a.distance_m, [d / 16 for d in sixteenths] + [np.nan])
    np.testing.assert_allclose(a.speed_mps, [(250 + i) / 100 for i in range(8)] + [np.nan])
    check_against_fitdecode(data)


@pytest.mark.parametrize(
    "base",
    [
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "sint8",
        "sint16",
        "sint32",
        "sint64",
        "uint8z",
        "uint16z",
        "uint32z",
        "uint64z",
        "enum",
        "byte",
        "float32",
        "float64",
    ],
)
@pytest.mark.parametrize("big_endian", [False, True])
def test_invalid_value_of_each_base_type_is_nan(base: str, big_endian: bool) -> None:
    w = ff.file_id(FitWriter())
    w.define(1, ff.RECORD, [Field(253, "uint32"), Field(3, base)], big_endian=big_endian)
    w.message(1, T0, 100)
    w.message(1, T0 + 1, None)
    w.message(1, T0 + 2, 101)
    ff.session(w, T0, 2, 0.0)
    a = only(parse_fit(w.bytes()))
    np.testing.assert_array_equal(a.heart_rate, [100, np.nan, 101])


def test_missing_values_are_nan_and_untimed_records_dropped() -> None:
    w = ff.file_id(FitWriter())
    w.define(1, ff.RECORD, ff.RECORD_FIELDS)
    w.message(1, *run_record(*RUN[0]))
    w.message(1, T0 + 1, *([None] * 8))
    w.message(1, None, *run_record(*RUN[2])[1:])  # no timestamp: not a point
    ff.session(w, T0, 4, 12.6)
    a = only(parse_fit(w.bytes()))
    np.testing.assert_array_equal(a.time_s, [0, 1])
    for name in CHANNELS[1:]:
        assert np.isnan(getattr(a, name)[1]), name
        assert np.isfinite(getattr(a, name)[0]), name


def test_array_fields_keep_their_first_element_and_are_skipped_whole() -> None:
    w = ff.file_id(FitWriter())
    fields = [
        Field(253, "uint32"),
        Field(200, "uint16", 5),
        Field(3, "uint8", 2),
        Field(5, "uint32"),
    ]
    w.define(1, ff.RECORD, fields)
    w.message(1, T0, (1, 2, 3, 4, 5), (150, 160), 1000)
    w.message(1, T0 + 1, None, (None, 161), 2000)
    ff.session(w, T0, 1, 20.0)
    data = w.bytes()
    a = only(parse_fit(data))
    np.testing.assert_array_equal(a.heart_rate, [150, np.nan])
    np.testing.assert_array_equal(a.distance_m, [10.0, 20.0])
    check_against_fitdecode(data)


def test_field_size_that_is_no_multiple_of_its_type_reads_as_bytes() -> None:
    w = ff.file_id(FitWriter())
    w.define(1, ff.RECORD, [Field(253, "uint32"), Field(3, "uint16", declared_size=3)])
    w.message(1, T0, bytes([150, 1, 7]))
    w.message(1, T0 + 1, bytes([0xFF, 1, 7]))
    w.message(1, T0 + 2, bytes([0xFF, 0xFF, 0xFF]))  # a byte array is invalid only when all 0xFF
    ff.session(w, T0, 2, 0.0)
    data = w.bytes()
    a = only(parse_fit(data))
    np.testing.assert_array_equal(a.heart_rate, [150, 255, np.nan])
    check_against_fitdecode(data)


def test_redefined_record_layouts_decode_in_file_order() -> None:
    w = ff.file_id(FitWriter())
    layouts = [
        [Field(253, "uint32"), Field(3, "uint8")],
        [Field(3, "uint16"), Field(7, "uint16"), Field(253, "uint32")],  # HR at another offset
        [Field(253, "uint32"), Field(3, "uint16z")],
    ]
    for t in range(12):
        local = 1 + t % 2  # two local types, each redefined in turn
        which = t % 3
        w.define(local, ff.RECORD, layouts[which], big_endian=t % 4 == 1)
        values = {0: (T0 + t, 100 + t), 1: (100 + t, 0, T0 + t), 2: (T0 + t, 100 + t)}
        w.message(local, *values[which])
    ff.session(w, T0, 11, 0.0)
    data = w.bytes()
    a = only(parse_fit(data))
    np.testing.assert_array_equal(a.time_s, np.arange(12))
    np.testing.assert_array_equal(a.heart_rate, 100 + np.arange(12))
    check_against_fitdecode(data)


def test_many_distinct_layouts_decode() -> None:
    """Every record with a definition of its own, HR's encoding varying: still one linear pass."""
    w = ff.file_id(FitWriter())
    bases = ["uint8", "uint16", "uint32", "uint8z", "uint16z", "uint32z", "sint16", "sint32"]
    for t in range(3000):
        count = 1 + t % 5
        base = bases[t // 5 % len(bases)]
        w.define(1, ff.RECORD, [Field(253, "uint32"), Field(3, base, count)], big_endian=t % 2 == 1)
        w.message(1, T0 + t, [100 + t % 50] * count)
    ff.session(w, T0, 2999, 0.0)
    a = only(parse_fit(w.bytes()))
    np.testing.assert_array_equal(a.heart_rate, 100 + np.arange(3000) % 50)


def test_points_before_the_clock_was_set_are_left_out() -> None:
    w = ff.file_id(FitWriter())
    w.define(1, ff.RECORD, [Field(253, "uint32"), Field(3, "uint8")])
    w.message(1, 1000, 90)  # seconds since power-on: the clock had no fix yet
    for t in range(3):
        w.message(1, T0 + t, 100 + t)
    ff.session(w, T0, 2, 0.0)
    a = only(parse_fit(w.bytes()))
    np.testing.assert_array_equal(a.heart_rate, [100, 101, 102])
    assert a.start == START
    assert a.warnings == ("points recorded before the device's clock was set were left out (1)",)


def test_enhanced_altitude_and_speed_are_preferred() -> None:
    w = ff.file_id(FitWriter())
    fields = [
        Field(253, "uint32"),
        Field(2, "uint16"),
        Field(78, "uint32"),
        Field(6, "uint16"),
        Field(73, "uint32"),
    ]
    w.define(1, ff.RECORD, fields)
    w.message(1, T0, 3000, 3500, 2000, 2500)  # enhanced: 200 m, 2.5 m/s
    w.message(1, T0 + 1, 3000, None, 2000, None)  # fall back: 100 m, 2 m/s
    ff.session(w, T0, 1, 5.0)
    a = only(parse_fit(w.bytes()))
    np.testing.assert_allclose(a.altitude_m, [200.0, 100.0])
    np.testing.assert_allclose(a.speed_mps, [2.5, 2.0])


def test_cadence_is_doubled_only_on_foot() -> None:
    ride = only(parse_fit(run_file(sport=ff.CYCLING, sub_sport=7)))
    assert ride.sport is Sport.CYCLING
    assert ride.sub_sport == "road"
    assert np.isnan(ride.cadence_spm).all()
    walk = only(parse_fit(run_file(sport=ff.WALKING, sub_sport=0)))
    assert walk.sport is Sport.WALKING
    assert walk.sub_sport is None
    assert walk.cadence_spm[0] == 171


def test_fitness_equipment_treadmill_is_a_run() -> None:
    a = only(parse_fit(run_file(sport=4, sub_sport=1)))
    assert a.sport is Sport.RUNNING
    assert a.sub_sport == "treadmill"


def test_sport_message_when_there_is_no_session() -> None:
    w = ff.file_id(FitWriter())
    w.define(3, ff.SPORT, [Field(0, "enum"), Field(1, "enum")])
    w.message(3, ff.WALKING, 0)
    w.define(1, ff.RECORD, ff.RECORD_FIELDS)
    for p in RUN:
        w.message(1, *run_record(*p))
    a = only(parse_fit(w.bytes()))
    assert a.sport is Sport.WALKING
    assert a.start == START
    assert a.totals.distance_m is None


def test_no_session_and_no_sport_is_other() -> None:
    w = ff.file_id(FitWriter())
    w.define(1, ff.RECORD, ff.RECORD_FIELDS)
    for p in RUN:
        w.message(1, *run_record(*p))
    a = only(parse_fit(w.bytes()))
    assert a.sport is Sport.OTHER
    assert np.isnan(a.cadence_spm).all()


def test_records_are_sorted_by_time_and_start_at_the_first_point() -> None:
    w = ff.file_id(FitWriter())
    w.define(1, ff.RECORD, [Field(253, "uint32"), Field(3, "uint8")])
    for t, hr in [(-1, 99), (2, 102), (1, 101), (1, 111), (3, 103)]:
        w.message(1, T0 + t, hr)
    ff.session(w, T0, 3, 0.0)
    a = only(parse_fit(w.bytes()))
    assert a.start == START - dt.timedelta(seconds=1)  # a point before start_time
    np.testing.assert_array_equal(a.time_s, [0, 2, 2, 3, 4])
    np.testing.assert_array_equal(a.heart_rate, [99, 101, 111, 102, 103])  # stable


def test_settings_workout_and_course_files_are_refused() -> None:
    with pytest.raises(ActivityFileError, match="a FIT settings file, not an activity"):
        parse_fit(run_file(file_type=ff.SETTINGS))
    with pytest.raises(ActivityFileError, match="a FIT course file, not an activity"):
        parse_fit(run_file(file_type=ff.COURSE))
    with pytest.raises(ActivityFileError, match="a FIT workout file, not an activity"):
        parse_fit(run_file(file_type=ff.WORKOUT))


def test_summary_only_file_is_refused() -> None:
    w = ff.file_id(FitWriter())
    ff.session(w, T0, 1800, 5000.0)
    with pytest.raises(ActivityFileError, match="no recorded points: a summary-only file"):
        parse_fit(w.bytes())


def multisport_file() -> bytes:
    """A ride (t 0-9), a transition (10-14) and a run (15-24); one distance counter throughout."""
    w = ff.file_id(FitWriter())
    w.define(1, ff.RECORD, [Field(253, "uint32"), Field(5, "uint32"), Field(4, "uint8")])
    for t in range(25):
        w.message(1, T0 + t, 1000 * t, 80)
    ff.session(w, T0, 9, 90.0, sport=ff.CYCLING, sub_sport=7)
    ff.session(w, T0 + 10, 4, 40.0, sport=ff.TRANSITION)
    ff.session(w, T0 + 15, 9, 90.0, sport=ff.RUNNING)
    return w.bytes()


def test_multisport_file_is_split_by_session() -> None:
    data = multisport_file()
    ride, run = parse_fit(data)
    assert ride.sport is Sport.CYCLING
    assert ride.sub_sport == "road"
    assert run.sport is Sport.RUNNING
    assert ride.start == START
    assert run.start == START + dt.timedelta(seconds=15)
    np.testing.assert_array_equal(ride.time_s, np.arange(10))
    np.testing.assert_array_equal(run.time_s, np.arange(10))
    np.testing.assert_array_equal(ride.distance_m, np.arange(10) * 10.0)
    np.testing.assert_array_equal(run.distance_m, np.arange(1, 11) * 10.0)  # from t=14's 140 m
    assert np.isnan(ride.cadence_spm).all()
    np.testing.assert_array_equal(run.cadence_spm, np.full(10, 160.0))
    assert run.totals.distance_m == 90.0
    check_against_fitdecode(data)


def test_truncated_mid_record_keeps_the_readable_part() -> None:
    full = run_file()
    fifth = ff.encode_values(ff.Definition(ff.RECORD, ff.RECORD_FIELDS), run_record(*RUN[4]))
    cut = ff.truncate(full, full.index(b"\x01" + fifth) + 7)  # 7 bytes into the fifth record
    a = only(parse_fit(cut))
    np.testing.assert_array_equal(a.time_s, [0, 1, 2, 3])
    assert a.warnings == (
        f"the file was truncated after {len(cut)} bytes: the readable part was kept",
    )
    assert a.totals.distance_m is None  # the session came after the break


def test_truncated_before_the_crc_keeps_everything() -> None:
    a = only(parse_fit(ff.truncate(run_file(), len(run_file()) - 1)))
    assert a.points == 5
    assert len(a.warnings) == 1
    assert "truncated" in a.warnings[0]


def test_truncated_before_any_record_is_refused() -> None:
    data = run_file()
    with pytest.raises(ActivityFileError, match="truncated after 30 bytes, before any complete"):
        parse_fit(ff.truncate(data, 30))
    with pytest.raises(ActivityFileError, match="truncated inside its FIT header"):
        parse_fit(ff.truncate(data, 10))


def test_bad_file_crc_is_a_warning() -> None:
    a = only(parse_fit(run_file(file_crc=0x1234)))
    assert a.points == 5
    assert a.warnings == (
        "the file's checksum does not match, so it may be damaged; it was read anyway",
    )


def test_broken_header_crc() -> None:
    data = run_file()
    sound = only(parse_fit(ff.corrupt(data, 12)))  # the header's CRC itself
    assert sound.points == 5
    assert "header's checksum does not match" in sound.warnings[0]
    with pytest.raises(ActivityFileError, match="FIT header is damaged"):
        parse_fit(ff.corrupt(data, 7, 0x10))  # its data size, which the CRC would have caught


def test_empty_garbage_and_other_formats_are_refused() -> None:
    with pytest.raises(ActivityFileError, match="the file is empty"):
        parse_fit(b"")
    garbage = random.Random(7).randbytes(5000)
    with pytest.raises(ActivityFileError, match="not a FIT file"):
        parse_fit(garbage)
    with pytest.raises(ActivityFileError, match="not a FIT file"):
        parse_fit(b'<?xml version="1.0"?><gpx></gpx>')


def test_device_relative_clock_is_refused() -> None:
    w = ff.file_id(FitWriter())
    w.define(1, ff.RECORD, [Field(253, "uint32"), Field(3, "uint8")])
    for t in range(5):
        w.message(1, 17_000_000 + t, 120)
    ff.session(w, 17_000_000, 4, 0.0)
    with pytest.raises(ActivityFileError, match="the device's clock was not set"):
        parse_fit(w.bytes())


def test_undefined_local_message_keeps_what_came_before() -> None:
    w = ff.file_id(FitWriter())
    w.define(1, ff.RECORD, ff.RECORD_FIELDS)
    for p in RUN[:3]:
        w.message(1, *run_record(*p))
    w.raw(bytes([9]) + bytes(40))  # local type 9 was never defined
    a = only(parse_fit(w.bytes()))
    assert a.points == 3
    assert any("damaged" in x for x in a.warnings)


def heart_rate_buffer() -> bytes:
    """What Garmin chains after a swim: a FIT file of `hr` messages, no file_id, no records."""
    w = FitWriter()
    w.define(0, 132, [Field(253, "uint32"), Field(6, "uint8", 8)])
    for i in range(3):
        w.message(0, T0 + i, tuple(range(100, 108)))
    return w.bytes()


def test_chained_files() -> None:
    assert_run(only(parse_fit(ff.chain(run_file(), heart_rate_buffer(), heart_rate_buffer()))))
    two = parse_fit(ff.chain(run_file(), run_file(sport=ff.CYCLING)))
    assert [a.sport for a in two] == [Sport.RUNNING, Sport.CYCLING]
    padded = only(parse_fit(run_file() + bytes(100)))
    assert padded.warnings == ("100 bytes after the end of the FIT data were ignored",)
    with pytest.raises(ActivityFileError, match="no recorded points"):
        parse_fit(heart_rate_buffer())


def test_hostile_sizes_are_bounded() -> None:
    w = ff.file_id(FitWriter())
    w.define(1, ff.RECORD, [Field(n, "byte", 255) for n in range(255)])  # 65 kB messages
    w.raw(bytes([1]) + bytes(1000))
    with pytest.raises(ActivityFileError):
        parse_fit(w.bytes())
    huge = run_file()
    huge = huge[:4] + (0xFFFFFFFF).to_bytes(4, "little") + huge[8:12] + b"\x00\x00" + huge[14:]
    a = only(parse_fit(huge))  # claims 4 GB of data: read as truncated
    assert a.points == 5
    assert "truncated" in a.warnings[0]


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 4097, 65_537, 300_001])
def test_crc_matches_the_bitwise_definition(size: int) -> None:
    data = random.Random(size).randbytes(size)
    assert crc16(data) == ff.crc16(data)


# --- 4. damaged input never escapes as anything but ActivityFileError --------------------------

SAMPLE = ff.chain(developer_file(), multisport_file())


def decode_or_refuse(data: bytes) -> None:
    """Activities, or a refusal that says why and is not an internal error in disguise."""
    refusal: ActivityFileError | None = None
    try:
        activities = parse_fit(data)
    except ActivityFileError as e:
        refusal, activities = e, []
    if refusal is None:
        assert activities
        assert all(isinstance(a, Activity) for a in activities)
    else:
        assert refusal.reason
        assert refusal.__cause__ is None, f"internal error: {refusal.__cause__!r}"


@settings(
    max_examples=200,
    deadline=dt.timedelta(seconds=2),  # generous: a hostile file must not make decoding slow
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    length=st.integers(0, len(SAMPLE)),
    flips=st.lists(st.tuples(st.integers(0, len(SAMPLE) - 1), st.integers(1, 255)), max_size=8),
)
def test_truncated_or_corrupted_files_only_raise_activity_file_error(
    length: int, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(SAMPLE)
    for position, xor in flips:
        data[position] ^= xor
    decode_or_refuse(bytes(data[:length]))


@settings(max_examples=100, deadline=dt.timedelta(seconds=2))
@given(st.binary(min_size=0, max_size=300))
def test_random_bytes_after_a_valid_header_only_raise_activity_file_error(tail: bytes) -> None:
    decode_or_refuse(SAMPLE[:14] + tail)
