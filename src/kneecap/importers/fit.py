"""Garmin FIT activity files → `Activity`, decoded in bulk with numpy.

A FIT file is a header, a stream of messages and a CRC; several such files may be chained in one.
Every data message starts with a one-byte header naming a *local message type*, and the last
definition message for that local type fixes the message's size and the byte position, size, base
type and endianness of each of its fields. Decoding one message at a time in Python costs
microseconds per field, so this decoder works in two steps instead:

1. **Header pass** (`_scan`): one tight loop over the message headers only. It reads a header
   byte, appends the message's offset to the list of its layout (one list per distinct
   definition), and jumps by the known message size. Definition messages, which are rare, are
   parsed here; data messages are never looked into.
2. **Bulk decode** (`_Messages`): for each message type Kneecap needs (file_id, sport, session,
   record), the offsets of all its layouts are merged in file order and each wanted field is
   gathered for every message at once with numpy fancy indexing
   (`buf[starts[:, None] + arange(size)]`), viewed as the field's base type with the right
   endianness, and turned into float64 with NaN for FIT's per-type invalid values. Scale and offset
   are applied to whole columns.

The few sequential rules of the format are vectorised too: compressed-timestamp headers (5-bit
offsets rolling over a running timestamp) and compressed speed/distance (a 12-bit distance that
rolls over at 4096) both become a modular difference followed by a cumulative sum. The file CRC
is computed with a 16-bit table over many row segments in parallel, and the segment CRCs are
combined with precomputed "shift by 2^k zero words" tables.

Damaged input never raises anything but `ActivityFileError`: a truncated file keeps every complete
message before the break (with a warning) and a bad CRC is a warning. The work is linear in the
file size whatever the file declares: the header pass visits each message once, a field's gather
reads at most the bytes of the messages that hold it, and no allocation follows a size field.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field, replace
from typing import Final

import numpy as np
import numpy.typing as npt

from kneecap.core.activity import Activity, Array, Totals, empty
from kneecap.core.sport import Sport
from kneecap.importers.errors import ActivityFileError
from kneecap.importers.limits import DEFAULT, Limits

__all__ = ["parse_fit"]

U8 = npt.NDArray[np.uint8]
U16 = npt.NDArray[np.uint16]
I64 = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]

FIT_EPOCH: Final = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)
# Timestamps below this count seconds since the device was switched on, its clock never set.
MIN_ABSOLUTE_TIME: Final = 0x10000000
SEMICIRCLE_DEG: Final = 180.0 / 2**31
MAX_CHAINED_FILES: Final = 1000  # real files chain a handful (e.g. HR-strap buffers after a swim)

FILE_ID, SPORT, SESSION, RECORD = 0, 12, 18, 20
TIMESTAMP = 253
ACTIVITY_FILE = 4
TRANSITION = 3

FILE_TYPES: Final = {
    1: "device",
    2: "settings",
    3: "sport settings",
    5: "workout",
    6: "course",
    7: "schedules",
    9: "weight",
    10: "totals",
    11: "goals",
    14: "blood pressure",
    15: "monitoring",
    20: "activity summary",
    28: "daily monitoring",
    32: "monitoring",
    34: "segment",
    35: "segment list",
    40: "data-screen configuration",
}
SPORTS: Final = {
    1: Sport.RUNNING,
    2: Sport.CYCLING,
    5: Sport.SWIMMING,
    11: Sport.WALKING,
    15: Sport.ROWING,
    17: Sport.HIKING,
}
FITNESS_EQUIPMENT = 4
# Gym machines record as sport "fitness_equipment"; the sub-sport says which machine it was.
EQUIPMENT: Final = {
    1: Sport.RUNNING,  # treadmill
    6: Sport.CYCLING,  # indoor_cycling
    14: Sport.ROWING,  # indoor_rowing
    27: Sport.WALKING,  # indoor_walking
}
SUB_SPORTS: Final = {
    1: "treadmill",
    2: "street",
    3: "trail",
    4: "track",
    5: "spin",
    6: "indoor_cycling",
    7: "road",
    8: "mountain",
    11: "cyclocross",
    13: "track_cycling",
    14: "indoor_rowing",
    15: "elliptical",
    17: "lap_swimming",
    18: "open_water",
    27: "indoor_walking",
    30: "casual_walking",
    31: "speed_walking",
    45: "indoor_running",
    46: "gravel_cycling",
    49: "mixed_surface",
    58: "virtual_activity",
    59: "obstacle",
    67: "ultra",
}


@dataclass(frozen=True)
class _BaseType:
    dtype: str  # numpy type code without byte order
    size: int
    invalid: int | None  # raw value meaning "no value"; None for floats (NaN) and strings


BYTE: Final = _BaseType("u1", 1, 0xFF)
STRING: Final = _BaseType("S", 1, None)
BASE_TYPES: Final = {
    0x00: _BaseType("u1", 1, 0xFF),  # enum
    0x01: _BaseType("i1", 1, 0x7F),
    0x02: _BaseType("u1", 1, 0xFF),
    0x83: _BaseType("i2", 2, 0x7FFF),
    0x84: _BaseType("u2", 2, 0xFFFF),
    0x85: _BaseType("i4", 4, 0x7FFFFFFF),
    0x86: _BaseType("u4", 4, 0xFFFFFFFF),
    0x07: STRING,
    0x88: _BaseType("f4", 4, None),
    0x89: _BaseType("f8", 8, None),
    0x0A: _BaseType("u1", 1, 0),  # uint8z
    0x8B: _BaseType("u2", 2, 0),
    0x8C: _BaseType("u4", 4, 0),
    0x0D: BYTE,
    0x8E: _BaseType("i8", 8, 0x7FFFFFFFFFFFFFFF),
    0x8F: _BaseType("u8", 8, 0xFFFFFFFFFFFFFFFF),
    0x90: _BaseType("u8", 8, 0),
}


def _base_type(code: int, size: int) -> _BaseType:
    """The field's base type; unknown codes and sizes that are no multiple of it read as bytes,
    as the FIT SDK and fitdecode do."""
    base = BASE_TYPES.get(code, BYTE)
    return base if size % base.size == 0 else BYTE


# Header bytes that name each local message type: normal headers (bits 4-5 ignored) and, for
# local types 0-3, compressed-timestamp headers (bit 7, type in bits 5-6, time offset in 0-4).
HEADERS_OF_LOCAL: Final = tuple(
    tuple(h for h in range(0x40) if h & 0x0F == local)
    + tuple(0x80 | local << 5 | t for t in range(32) if local < 4)
    for local in range(16)
)


@dataclass(eq=False)
class _Layout:
    """One distinct definition: where its fields sit, and every data message that uses it."""

    global_num: int
    big_endian: bool
    specs: bytes  # the definition's (field number, size, base type) triples
    offsets: list[int] = field(default_factory=list)  # position of each message's header byte

    @functools.cached_property
    def fields(self) -> dict[int, tuple[int, int, int]]:
        """Field number → (offset in the message, size, base type); the first of duplicates.
        Built only for the message types that get decoded."""
        fields: dict[int, tuple[int, int, int]] = {}
        offset = 1  # after the header byte
        specs = self.specs
        for i in range(0, len(specs), 3):
            fields.setdefault(specs[i], (offset, specs[i + 1], specs[i + 2]))
            offset += specs[i + 1]
        return fields


@dataclass
class _Scan:
    layouts: list[_Layout]
    stop: int  # where the pass stopped
    damage: str | None  # why it stopped early, if it did


def _scan(data: bytes, pos: int, end: int) -> _Scan:
    """The header pass: sort every data message into its layout without looking inside it."""
    sizes = [0] * 256
    sinks: list[list[int] | None] = [None] * 256
    layouts: dict[tuple[int, bool, bytes, int], _Layout] = {}
    while pos < end:
        header = data[pos]
        sink = sinks[header]
        if sink is not None:
            sink.append(pos)
            pos += sizes[header]
            continue
        if header & 0xC0 != 0x40:
            return _Scan(list(layouts.values()), pos, "undefined")
        parsed = _definition(data, pos, end, bool(header & 0x20))
        if parsed is None:
            return _Scan(list(layouts.values()), pos, "cut")
        key, size, pos = parsed
        layout = layouts.get(key)
        if layout is None:
            layout = layouts[key] = _Layout(*key[:3])
        for h in HEADERS_OF_LOCAL[header & 0x0F]:
            sizes[h] = size
            sinks[h] = layout.offsets
    found = list(layouts.values())
    if pos > end:
        # The last message runs past the end, so it is not all there: it is the one appended last.
        last = max(lay.offsets[-1] for lay in found if lay.offsets)
        next(lay for lay in found if lay.offsets and lay.offsets[-1] == last).offsets.pop()
        return _Scan(found, last, "cut")
    return _Scan(found, pos, None)


def _definition(
    data: bytes, pos: int, end: int, has_developer_fields: bool
) -> tuple[tuple[int, bool, bytes, int], int, int] | None:
    """(layout key, data message size, next position), or None if the definition is cut off."""
    if pos + 6 > end:
        return None
    big = data[pos + 2] != 0
    lo, hi = data[pos + 3], data[pos + 4]
    global_num = (lo << 8 | hi) if big else (hi << 8 | lo)
    p = pos + 6 + 3 * data[pos + 5]
    specs = data[pos + 6 : p]
    developer_size = 0
    if has_developer_fields:
        if p + 1 > end:
            return None
        q = p + 1 + 3 * data[p]
        developer_size = sum(data[p + 2 : q : 3])
        p = q
    if p > end:
        return None
    return (global_num, big, specs, developer_size), 1 + sum(specs[1::3]) + developer_size, p


class _Messages:
    """All messages of one global type in one FIT file, decoded a column at a time."""

    def __init__(self, buf: U8, layouts: list[_Layout]) -> None:
        self.buf = buf
        self.layouts = [lay for lay in layouts if lay.offsets]
        counts = [len(lay.offsets) for lay in self.layouts]
        self.count = sum(counts)
        if len(self.layouts) == 1:
            self.offsets: I64 = np.array(self.layouts[0].offsets, dtype=np.int64)
            self.layout_of: I64 | None = None
            return
        offsets = np.array([o for lay in self.layouts for o in lay.offsets], dtype=np.int64)
        which = np.repeat(np.arange(len(self.layouts), dtype=np.int64), counts)
        order = np.argsort(offsets, kind="stable")
        self.offsets = offsets[order]
        self.layout_of = which[order]

    def _groups(self, num: int) -> list[tuple[I64 | slice, I64, int, _BaseType, bool]]:
        """Where field `num` sits: (rows, byte positions, size, base type, big-endian) for each
        distinct encoding of it among the layouts. Rows are grouped by sorting, so the work stays
        linear however many layouts a (hostile) file defines."""
        encodings: dict[tuple[int, int, bool], int] = {}
        encoding_of = np.full(len(self.layouts), -1, dtype=np.int64)
        offset_of = np.zeros(len(self.layouts), dtype=np.int64)
        for i, lay in enumerate(self.layouts):
            spec = lay.fields.get(num)
            if spec is not None and spec[1] > 0:
                key = (spec[1], spec[2], lay.big_endian)
                encoding_of[i] = encodings.setdefault(key, len(encodings))
                offset_of[i] = spec[0]
        if not encodings:
            return []
        if self.layout_of is None:
            rows_of: list[I64 | slice] = [slice(None)]
            starts = self.offsets + offset_of[0]
        else:
            row_encoding = encoding_of[self.layout_of]
            starts = self.offsets + offset_of[self.layout_of]
            order = np.argsort(row_encoding, kind="stable")
            bounds = np.searchsorted(row_encoding[order], np.arange(len(encodings) + 1))
            rows_of = [order[bounds[k] : bounds[k + 1]] for k in range(len(encodings))]
        return [
            (rows, starts[rows], size, _base_type(code, size), big)
            for rows, (size, code, big) in zip(rows_of, encodings, strict=True)
        ]

    def column(self, num: int) -> Array | None:
        """Field `num` as float64 (first element of an array field), NaN where invalid; None if
        no layout has it."""
        groups = self._groups(num)
        if not groups:
            return None
        out = empty(self.count)
        for rows, starts, size, base, big in groups:
            if base is not STRING:
                out[rows] = _values(self.buf, starts, size, base, big)
        return out

    def bytes3(self, num: int) -> tuple[I64, Mask] | None:
        """Field `num`'s first three bytes as a little-endian 24-bit number, and where it is
        valid (not all 0xFF, as for FIT byte arrays)."""
        groups = [g for g in self._groups(num) if g[2] >= 3]
        if not groups:
            return None
        value = np.zeros(self.count, dtype=np.int64)
        valid = np.zeros(self.count, dtype=np.bool_)
        for rows, starts, *_ in groups:
            raw = self.buf[starts[:, None] + np.arange(3)].astype(np.int64)
            value[rows] = raw[:, 0] | raw[:, 1] << 8 | raw[:, 2] << 16
            valid[rows] = (raw != 0xFF).any(axis=1)
        return value, valid

    def header_bytes(self) -> U8:
        return self.buf[self.offsets]


def _values(buf: U8, starts: I64, size: int, base: _BaseType, big: bool) -> Array:
    if base is BYTE and size > 1:  # a byte array has no value only when every byte is 0xFF
        block: U8 = buf[starts[:, None] + np.arange(size)]
        values: Array = block[:, 0].astype(np.float64)
        values[(block == 0xFF).all(axis=1)] = np.nan
        return values
    if base.size == 1:
        raw: npt.NDArray[np.generic] = buf[starts].view(base.dtype)
    else:
        block = buf[starts[:, None] + np.arange(base.size)]
        raw = block.view(np.dtype((">" if big else "<") + base.dtype)).reshape(-1)
    values = raw.astype(np.float64)
    if base.invalid is None:
        values[~np.isfinite(values)] = np.nan
    else:
        values[raw == base.invalid] = np.nan
    return values


# --- CRC ------------------------------------------------------------------------------------
# FIT's CRC is CRC-16/ARC (reflected polynomial 0xA001, initial value 0). Feeding a 16-bit word
# w (two bytes, little-endian) to state s gives T[s ^ w], so a whole buffer can be split into rows
# whose CRCs are computed side by side; starting from 0 makes the CRC linear, so two segments
# combine as shift(crc_a, len_b) ^ crc_b, where shifting by 2^k zero words is a table too.

CRC_PY_LIMIT: Final = 512  # below this a plain loop beats the numpy set-up
CRC_COLUMNS: Final = 16  # words per row (a power of two)


@functools.cache
def _crc_byte_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0xA001 if crc & 1 else 0)
        table.append(crc)
    return tuple(table)


@functools.cache
def _crc_word_shift(log2_words: int) -> U16:
    """State after feeding 2^log2_words zero words, for every 16-bit state."""
    if log2_words == 0:
        table = np.array(_crc_byte_table(), dtype=np.uint16)
        state: U16 = np.arange(65536, dtype=np.uint16)
        for _ in range(2):
            state = (state >> 8) ^ table[state & 0xFF]
        return state
    half = _crc_word_shift(log2_words - 1)
    return half[half]


def crc16(data: bytes | U8) -> int:
    """The FIT CRC of `data`."""
    if len(data) < CRC_PY_LIMIT:
        table = _crc_byte_table()
        crc = 0
        for byte in bytes(data):
            crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
        return crc
    chunk = np.frombuffer(data, dtype=np.uint8) if isinstance(data, bytes) else data
    words = -(-len(chunk) // 2)
    rows = -(-words // CRC_COLUMNS)
    padded = np.zeros(2 * rows * CRC_COLUMNS, dtype=np.uint8)
    padded[len(padded) - len(chunk) :] = chunk  # leading zeros leave a CRC from 0 unchanged
    grid = padded.view("<u2").reshape(rows, CRC_COLUMNS).T.copy()
    step = _crc_word_shift(0)
    state = np.zeros(rows, dtype=np.uint16)
    for column in grid:
        state = step[state ^ column]
    level = CRC_COLUMNS.bit_length() - 1
    while len(state) > 1:
        if len(state) % 2:
            state = np.concatenate((np.zeros(1, dtype=np.uint16), state))
        state = _crc_word_shift(level)[state[0::2]] ^ state[1::2]
        level += 1
    return int(state[0])


# --- one FIT file -----------------------------------------------------------------------------


@dataclass
class _Header:
    size: int
    data_size: int
    warnings: list[str]


def _header(data: bytes, pos: int) -> _Header:
    available = len(data) - pos
    if available < 12:
        signature = data[pos + 8 : pos + 12]
        if data[pos] in (12, 14) and b".FIT".startswith(signature):
            raise ActivityFileError("the file was truncated inside its FIT header")
        raise ActivityFileError("not a FIT file (it has no .FIT signature)")
    if data[pos + 8 : pos + 12] != b".FIT":
        raise ActivityFileError("not a FIT file (it has no .FIT signature)")
    size = data[pos]
    if size < 12 or size == 13:
        raise ActivityFileError("not a FIT file (its header size is invalid)")
    if available < size:
        raise ActivityFileError("the file was truncated inside its FIT header")
    data_size = int.from_bytes(data[pos + 4 : pos + 8], "little")
    warnings: list[str] = []
    if size >= 14:
        stored = int.from_bytes(data[pos + 12 : pos + 14], "little")
        if stored and stored != crc16(data[pos : pos + 12]):
            if size + data_size + 2 > available:
                raise ActivityFileError(
                    "the FIT header is damaged (its checksum does not match and the data size it "
                    "gives does not fit the file)"
                )
            warnings.append(
                "the FIT header's checksum does not match; the header looked sound otherwise, so "
                "the file was read anyway"
            )
    return _Header(size, data_size, warnings)


@dataclass
class _Part:
    """What one FIT file (of a possibly chained stream) holds that Kneecap needs."""

    layouts: dict[int, list[_Layout]]
    buf: U8
    warnings: list[str]
    truncated_at: int | None  # file length, when the file ends before this part does
    next_pos: int

    def messages(self, global_num: int) -> _Messages | None:
        found = _Messages(self.buf, self.layouts.get(global_num, []))
        return found if found.count else None


def _read_part(data: bytes, buf: U8, pos: int) -> _Part:
    header = _header(data, pos)
    start = pos + header.size
    end = start + header.data_size
    warnings = header.warnings
    truncated_at = len(data) if end + 2 > len(data) else None
    scan = _scan(data, start, min(end, len(data)))
    if truncated_at is not None:
        warnings.append(
            f"the file was truncated after {len(data)} bytes: the readable part was kept"
        )
    elif scan.damage is not None:
        warnings.append(
            f"the FIT data are damaged after byte {scan.stop}: the readable part was kept"
        )
    if truncated_at is None:
        stored = int.from_bytes(data[end : end + 2], "little")
        if stored != crc16(buf[pos:end]):
            warnings.append(
                "the file's checksum does not match, so it may be damaged; it was read anyway"
            )
    by_global: dict[int, list[_Layout]] = {}
    for layout in scan.layouts:
        by_global.setdefault(layout.global_num, []).append(layout)
    return _Part(by_global, buf, warnings, truncated_at, min(end + 2, len(data)))


# --- records ----------------------------------------------------------------------------------


@dataclass
class _Records:
    """Record messages in file order, in FIT units turned into SI; NaN where absent."""

    timestamp: Array  # seconds since the FIT epoch
    lat: Array
    lon: Array
    altitude_m: Array
    heart_rate: Array
    cadence: Array  # per leg (FIT's running cadence), fractional part included
    distance_m: Array
    speed_mps: Array


def _scaled(messages: _Messages, num: int, scale: float = 1.0, offset: float = 0.0) -> Array:
    values = messages.column(num)
    if values is None:
        return empty(messages.count)
    if scale != 1.0:
        values /= scale
    if offset:
        values -= offset
    return values


def _preferred(first: Array, fallback: Array) -> Array:
    return np.where(np.isnan(first), fallback, first)


def _records(part: _Part) -> _Records | None:
    messages = part.messages(RECORD)
    if messages is None:
        return None
    altitude = _preferred(_scaled(messages, 78, 5, 500), _scaled(messages, 2, 5, 500))
    speed = _preferred(_scaled(messages, 73, 1000), _scaled(messages, 6, 1000))
    distance = _scaled(messages, 5, 100)
    cadence = _scaled(messages, 4)
    fraction = messages.column(53)
    if fraction is not None:
        cadence += np.nan_to_num(fraction, nan=0.0) / 128
    packed = messages.bytes3(8)
    if packed is not None:
        packed_speed, packed_distance = _compressed_speed_distance(*packed)
        speed = _preferred(speed, packed_speed)
        distance = _preferred(distance, packed_distance)
    return _Records(
        timestamp=_timestamps(part, messages),
        lat=_scaled(messages, 0) * SEMICIRCLE_DEG,
        lon=_scaled(messages, 1) * SEMICIRCLE_DEG,
        altitude_m=altitude,
        heart_rate=_scaled(messages, 3),
        cadence=cadence,
        distance_m=distance,
        speed_mps=speed,
    )


def _compressed_speed_distance(value: I64, valid: Mask) -> tuple[Array, Array]:
    """Speed (12 bits, 1/100 m/s) and distance (12 bits, 1/16 m, accumulated over the file with
    a roll-over at 4096) packed in three bytes by old foot pods."""
    speed = empty(len(value))
    distance = empty(len(value))
    speed[valid] = (value[valid] & 0xFFF) / 100
    low = (value[valid] >> 12) & 0xFFF
    steps = np.diff(low, prepend=0) & 0xFFF  # the accumulator starts at 0
    distance[valid] = np.cumsum(steps) / 16
    return speed, distance


def _date_times(messages: _Messages, num: int) -> Array:
    """A date_time field (uint32 seconds since the FIT epoch), NaN where invalid; a definition
    may declare any base type, so values that no uint32 can hold count as invalid too."""
    values = _scaled(messages, num)
    values[~((values >= 0) & (values < 2**32))] = np.nan
    return values


def _timestamps(part: _Part, records: _Messages) -> Array:
    """Each record's field 253, or for compressed-timestamp headers the running timestamp."""
    stamps = _date_times(records, TIMESTAMP)
    headers = records.header_bytes()
    compressed = headers >= 0x80
    if compressed.any():
        running = _compressed_timestamps(part)
        at = np.searchsorted(running[0], records.offsets[compressed])
        fill = running[1][at]
        stamps[compressed] = np.where(np.isnan(stamps[compressed]), fill, stamps[compressed])
    return stamps


def _compressed_timestamps(part: _Part) -> tuple[I64, Array]:
    """(offsets, timestamps) of every compressed-timestamp message in the file.

    The running timestamp is set by any message's field 253 and advanced by each compressed
    header's 5-bit offset: t = prev + ((offset - prev) mod 32). Along a run of compressed headers
    the previous low bits are the previous offset, so it is a cumulative sum from the last full
    timestamp (0 before any, as the SDK starts)."""
    keys: list[I64] = []
    low: list[I64] = []
    full: list[Array] = []
    for layouts in part.layouts.values():
        messages = _Messages(part.buf, layouts)
        if not messages.count:
            continue
        headers = messages.header_bytes()
        stamps = _date_times(messages, TIMESTAMP)
        ok = ~np.isnan(stamps)
        if ok.any():
            # A message's own field comes before its compressed header: key 2*offset vs 2*offset+1.
            keys.append(2 * messages.offsets[ok])
            low.append(stamps[ok].astype(np.int64) & 31)
            full.append(stamps[ok])
        squeezed = headers >= 0x80
        keys.append(2 * messages.offsets[squeezed] + 1)
        low.append((headers[squeezed] & 31).astype(np.int64))
        full.append(empty(int(squeezed.sum())))
    key = np.concatenate(keys)
    order = np.argsort(key, kind="stable")
    key, bits, base = key[order], np.concatenate(low)[order], np.concatenate(full)[order]
    is_full = ~np.isnan(base)
    steps = np.where(is_full, 0, (bits - np.concatenate(([0], bits[:-1]))) & 31)
    total = np.cumsum(steps)
    # index of the last full timestamp at or before each message (-1: none yet)
    last = np.maximum.accumulate(np.where(is_full, np.arange(len(key)), -1))
    reference = np.where(last >= 0, base[np.maximum(last, 0)], 0.0)
    since = np.where(last >= 0, total[np.maximum(last, 0)], 0)
    stamps = reference + (total - since)
    compressed = ~is_full
    return key[compressed] // 2, stamps[compressed].astype(np.float64)


# --- sessions and activities ------------------------------------------------------------------


@dataclass
class _Session:
    sport: int | None
    sub_sport: int | None
    start: float  # FIT seconds, NaN if unknown
    end: float
    totals: Totals


def _number(values: Array, i: int) -> float | None:
    value = float(values[i])
    return None if np.isnan(value) else value


def _code(values: Array, i: int) -> int | None:
    value = _number(values, i)
    return None if value is None else int(value)


def _sessions(part: _Part) -> list[_Session]:
    messages = part.messages(SESSION)
    if messages is None:
        return []
    sport, sub_sport = _scaled(messages, 5), _scaled(messages, 6)
    start, stamp = _date_times(messages, 2), _date_times(messages, TIMESTAMP)
    elapsed, timer = _scaled(messages, 7, 1000), _scaled(messages, 8, 1000)
    distance = _scaled(messages, 9, 100)
    sessions = []
    for i in range(messages.count):
        first = start[i] if not np.isnan(start[i]) else stamp[i] - elapsed[i]
        last = first + elapsed[i] if not np.isnan(elapsed[i]) else stamp[i]
        totals = Totals(_number(distance, i), _number(elapsed, i), _number(timer, i))
        sessions.append(_Session(_code(sport, i), _code(sub_sport, i), first, last, totals))
    return sessions


def _sport(sport: int | None, sub_sport: int | None) -> tuple[Sport, str | None]:
    name = SUB_SPORTS.get(sub_sport) if sub_sport is not None else None
    if sport == FITNESS_EQUIPMENT and sub_sport in EQUIPMENT:
        return EQUIPMENT[sub_sport], name
    return SPORTS.get(sport, Sport.OTHER) if sport is not None else Sport.OTHER, name


def _file_type(part: _Part) -> int | None:
    messages = part.messages(FILE_ID)
    if messages is None:
        return None
    return _code(_scaled(messages, 0), 0)


def _sport_message(part: _Part) -> tuple[int | None, int | None]:
    messages = part.messages(SPORT)
    if messages is None:
        return None, None
    return _code(_scaled(messages, 0), 0), _code(_scaled(messages, 1), 0)


def _activities(part: _Part) -> list[Activity]:
    kind = _file_type(part)
    if kind is not None and kind != ACTIVITY_FILE:
        raise ActivityFileError(
            f"a FIT {FILE_TYPES.get(kind, f'type {kind}')} file, not an activity"
        )
    records, rows, warnings = _points(part)
    sessions = _sessions(part)
    legs = [s for s in sessions if s.sport != TRANSITION]
    timed = [s for s in sessions if not np.isnan(s.start)]
    if len(legs) > 1 and sum(s.sport != TRANSITION for s in timed) > 1:
        return _split(records, rows, timed, warnings)
    sport, sub_sport = _sport_message(part)
    if not legs:
        return [_activity(records, rows, sport, sub_sport, np.nan, Totals(), warnings)]
    main = legs[0]
    if main.sport is not None:
        sport, sub_sport = main.sport, main.sub_sport
    return [_activity(records, rows, sport, sub_sport, main.start, main.totals, warnings)]


def _points(part: _Part) -> tuple[_Records, I64, list[str]]:
    """The records, the rows that are points (timed by a set clock) in time order, and the
    part's warnings."""
    records = _records(part)
    if records is None or np.isnan(records.timestamp).all():
        if part.truncated_at is not None:
            raise ActivityFileError(
                f"the file was truncated after {part.truncated_at} bytes, before any complete "
                "recorded point"
            )
        raise ActivityFileError("no recorded points: a summary-only file")
    stamps = records.timestamp
    absolute = stamps >= MIN_ABSOLUTE_TIME
    if not absolute.any():
        raise ActivityFileError(
            "the device's clock was not set when this was recorded: its times count from when "
            "the device was switched on, not real dates, so it cannot be placed in your history"
        )
    warnings = list(part.warnings)
    relative = int((stamps < MIN_ABSOLUTE_TIME).sum())
    if relative:
        warnings.append(
            f"points recorded before the device's clock was set were left out ({relative})"
        )
    rows = np.flatnonzero(absolute)
    return records, rows[np.argsort(stamps[rows], kind="stable")], warnings


def _split(
    records: _Records, rows: I64, sessions: list[_Session], warnings: list[str]
) -> list[Activity]:
    """One activity per session of a multi-sport file, each taking the records inside its time
    window; records in transitions (or outside every session) are left out."""
    sessions = sorted(sessions, key=lambda s: s.start)
    starts = np.array([s.start for s in sessions])
    ends = np.array([s.end for s in sessions])
    next_start = np.append(starts[1:], np.inf)
    ends = np.where(np.isnan(ends), next_start, ends)
    stamps = records.timestamp[rows]
    owner = np.searchsorted(starts, stamps, side="right") - 1
    inside = (owner >= 0) & (stamps <= ends[np.maximum(owner, 0)])
    # Multi-sport devices keep one distance counter for the whole event: each leg counts from the
    # last distance recorded before it.
    distance = records.distance_m[rows]
    last_known = np.maximum.accumulate(np.where(np.isnan(distance), -1, np.arange(len(rows))))
    activities = []
    for i, session in enumerate(sessions):
        mine = np.flatnonzero(inside & (owner == i))
        if session.sport == TRANSITION or not len(mine):
            continue
        before = last_known[mine[0] - 1] if mine[0] > 0 else -1
        already = float(distance[before]) if before >= 0 else 0.0
        activities.append(
            _activity(
                records,
                rows[mine],
                session.sport,
                session.sub_sport,
                session.start,
                session.totals,
                warnings,
                already,
            )
        )
    if not activities:
        raise ActivityFileError("no recorded points fall inside the file's sessions")
    return activities


def _activity(
    records: _Records,
    rows: I64,
    sport_code: int | None,
    sub_sport_code: int | None,
    session_start: float,
    totals: Totals,
    warnings: list[str],
    distance_before: float = 0.0,
) -> Activity:
    stamps = records.timestamp[rows]
    first = float(stamps[0])
    # Some devices log a point a second before the session's start_time: start at that point
    # rather than give it a negative time.
    start = first if np.isnan(session_start) or session_start < MIN_ABSOLUTE_TIME else session_start
    start = min(start, first)
    sport, sub_sport = _sport(sport_code, sub_sport_code)
    cadence = records.cadence[rows] * 2 if sport.on_foot else empty(len(rows))
    return Activity(
        sport=sport,
        start=FIT_EPOCH + dt.timedelta(seconds=int(start)),
        time_s=stamps - float(int(start)),
        distance_m=records.distance_m[rows] - distance_before,
        lat=records.lat[rows],
        lon=records.lon[rows],
        altitude_m=records.altitude_m[rows],
        heart_rate=records.heart_rate[rows],
        cadence_spm=cadence,
        speed_mps=records.speed_mps[rows],
        source="fit",
        sub_sport=sub_sport,
        totals=totals,
        warnings=tuple(warnings),
    )


# --- the chained stream -----------------------------------------------------------------------


def parse_fit(data: bytes, limits: Limits = DEFAULT) -> list[Activity]:
    """Decode a FIT file (or several chained in one stream) into its activities: one per
    session of a multi-sport file, one otherwise. Raises `ActivityFileError` only."""
    try:
        with np.errstate(all="ignore"):  # hostile values must not print numpy warnings either
            return _parse(data, limits)
    except ActivityFileError:
        raise
    except Exception as e:  # a hostile file must never surface as a decoder crash
        raise ActivityFileError("the FIT file is damaged and could not be decoded") from e


def _parse(data: bytes, limits: Limits) -> list[Activity]:
    if not data:
        raise ActivityFileError("the file is empty")
    if len(data) > limits.max_file_bytes:
        raise ActivityFileError(
            f"the file is larger than {limits.max_file_bytes // 2**20} MB, more than any "
            "activity needs"
        )
    data = bytes(data)
    buf = np.frombuffer(data, dtype=np.uint8)
    activities: list[Activity] = []
    extra: list[str] = []
    refused: ActivityFileError | None = None
    pos, files = 0, 0
    while pos < len(data):
        if files == MAX_CHAINED_FILES:
            extra.append(f"only the first {MAX_CHAINED_FILES} chained FIT files were read")
            break
        try:
            part = _read_part(data, buf, pos)
        except ActivityFileError:
            if not files:
                raise
            extra.append(f"{len(data) - pos} bytes after the end of the FIT data were ignored")
            break
        files += 1
        pos = part.next_pos
        try:
            activities += _activities(part)
        except ActivityFileError as e:
            # Chained files after the activity often hold other data (e.g. heart-rate strap
            # buffers after a swim); they only matter if no file in the stream is an activity.
            refused = refused or e
            extra += [w for w in part.warnings if w not in extra]
    if not activities:
        assert refused is not None
        raise refused
    if extra:
        activities = [
            replace(a, warnings=a.warnings + tuple(w for w in extra if w not in a.warnings))
            for a in activities
        ]
    return activities
