"""A small FIT encoder for tests: byte-exact fixtures with known answers.

Only what the decoder's tests need: a 12- or 14-byte header (with its CRC), definition messages
in either byte order with optional developer fields, data messages with normal or
compressed-timestamp headers, the file CRC, and helpers to chain, truncate or corrupt a file.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)

# global message numbers and the fields the tests use
FILE_ID, SPORT, SESSION, LAP, RECORD, EVENT = 0, 12, 18, 19, 20, 21
DEVELOPER_DATA_ID, FIELD_DESCRIPTION = 207, 206
TIMESTAMP = 253

# file types (file_id field 0) and sports (session field 5)
ACTIVITY, SETTINGS, WORKOUT, COURSE = 4, 2, 5, 6
RUNNING, CYCLING, TRANSITION, SWIMMING, WALKING = 1, 2, 3, 5, 11

# name: (base type code, struct format, invalid value)
BASE_TYPES: dict[str, tuple[int, str, Any]] = {
    "enum": (0x00, "B", 0xFF),
    "sint8": (0x01, "b", 0x7F),
    "uint8": (0x02, "B", 0xFF),
    "sint16": (0x83, "h", 0x7FFF),
    "uint16": (0x84, "H", 0xFFFF),
    "sint32": (0x85, "i", 0x7FFFFFFF),
    "uint32": (0x86, "I", 0xFFFFFFFF),
    "string": (0x07, "s", b""),
    "float32": (0x88, "f", float("nan")),
    "float64": (0x89, "d", float("nan")),
    "uint8z": (0x0A, "B", 0),
    "uint16z": (0x8B, "H", 0),
    "uint32z": (0x8C, "I", 0),
    "byte": (0x0D, "B", 0xFF),
    "sint64": (0x8E, "q", 0x7FFFFFFFFFFFFFFF),
    "uint64": (0x8F, "Q", 0xFFFFFFFFFFFFFFFF),
    "uint64z": (0x90, "Q", 0),
}


def crc16(data: bytes) -> int:
    """FIT's CRC (CRC-16/ARC), bit by bit, independent of the decoder's table-driven one."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0xA001 if crc & 1 else 0)
    return crc


def fit_time(when: dt.datetime) -> int:
    return int((when - FIT_EPOCH).total_seconds())


def semicircles(degrees: float) -> int:
    return round(degrees * 2**31 / 180)


@dataclass(frozen=True)
class Field:
    num: int
    base: str
    count: int = 1  # elements in an array field (bytes for strings and byte arrays)
    declared_size: int | None = None  # to declare a size that is no multiple of the base type

    @property
    def size(self) -> int:
        if self.declared_size is not None:
            return self.declared_size
        return struct.calcsize(BASE_TYPES[self.base][1]) * self.count


@dataclass(frozen=True)
class DevField:
    num: int
    size: int
    developer_index: int = 0


@dataclass(frozen=True)
class Definition:
    global_num: int
    fields: tuple[Field, ...]
    big_endian: bool = False
    developer: tuple[DevField, ...] = ()


class FitWriter:
    """Builds one FIT file message by message; `bytes()` adds the header and the CRC."""

    def __init__(self) -> None:
        self.body = bytearray()
        self.defs: dict[int, Definition] = {}

    def define(
        self,
        local: int,
        global_num: int,
        fields: Sequence[Field],
        *,
        big_endian: bool = False,
        developer: Sequence[DevField] = (),
    ) -> FitWriter:
        d = Definition(global_num, tuple(fields), big_endian, tuple(developer))
        self.defs[local] = d
        order = ">" if big_endian else "<"
        header = 0x40 | local | (0x20 if developer else 0)
        self.body += struct.pack(
            order + "BBBHB", header, 0, int(big_endian), global_num, len(fields)
        )
        for f in fields:
            self.body += bytes((f.num, f.size, BASE_TYPES[f.base][0]))
        if developer:
            self.body.append(len(developer))
            for dev in developer:
                self.body += bytes((dev.num, dev.size, dev.developer_index))
        return self

    def message(
        self,
        local: int,
        *values: Any,
        developer: bytes = b"",
        time_offset: int | None = None,
    ) -> FitWriter:
        """A data message: one value per field (None writes the invalid value; arrays take a
        sequence, strings and byte arrays bytes), then the developer fields' raw bytes. With
        `time_offset` the header is a compressed-timestamp one (local types 0-3 only)."""
        d = self.defs[local]
        assert len(values) == len(d.fields), "one value per field"
        if time_offset is None:
            self.body.append(local)
        else:
            assert local < 4, "compressed-timestamp headers carry local types 0-3"
            assert 0 <= time_offset < 32
            self.body.append(0x80 | local << 5 | time_offset)
        self.body += encode_values(d, values)
        assert len(developer) == sum(dev.size for dev in d.developer), "developer field bytes"
        self.body += developer
        return self

    def raw(self, data: bytes) -> FitWriter:
        self.body += data
        return self

    def bytes(
        self,
        *,
        header_size: int = 14,
        header_crc: int | None = None,
        file_crc: int | None = None,
        data_size: int | None = None,
    ) -> bytes:
        size = len(self.body) if data_size is None else data_size
        header = struct.pack("<BBHI4s", header_size, 0x20, 2132, size, b".FIT")
        if header_size == 14:
            header += struct.pack("<H", crc16(header) if header_crc is None else header_crc)
        content = header + bytes(self.body)
        return content + struct.pack("<H", crc16(content) if file_crc is None else file_crc)


def encode_values(d: Definition, values: Sequence[Any]) -> bytes:
    order = ">" if d.big_endian else "<"
    out = bytearray()
    for f, value in zip(d.fields, values, strict=True):
        _, fmt, invalid = BASE_TYPES[f.base]
        if isinstance(value, bytes) or (f.base in ("string", "byte") and f.count > 1):
            raw = bytes(value) if value is not None else bytes([0xFF] * f.count)
            out += raw.ljust(f.size, b"\x00")[: f.size]
            continue
        items = list(value) if isinstance(value, (list, tuple)) else [value]
        items += [None] * (f.count - len(items))
        for item in items:
            out += struct.pack(order + fmt, invalid if item is None else item)
    return bytes(out)


def chain(*files: bytes) -> bytes:
    return b"".join(files)


def truncate(data: bytes, length: int) -> bytes:
    return data[:length]


def corrupt(data: bytes, position: int, xor: int = 0xFF) -> bytes:
    changed = bytearray(data)
    changed[position] ^= xor
    return bytes(changed)


# --- the messages most fixtures share ---------------------------------------------------------

RECORD_FIELDS = (
    Field(TIMESTAMP, "uint32"),
    Field(0, "sint32"),  # position_lat
    Field(1, "sint32"),  # position_long
    Field(2, "uint16"),  # altitude: (m + 500) * 5
    Field(3, "uint8"),  # heart_rate
    Field(4, "uint8"),  # cadence, per leg
    Field(53, "uint8"),  # fractional_cadence, 1/128
    Field(5, "uint32"),  # distance, cm
    Field(6, "uint16"),  # speed, mm/s
)
SESSION_FIELDS = (
    Field(TIMESTAMP, "uint32"),
    Field(2, "uint32"),  # start_time
    Field(7, "uint32"),  # total_elapsed_time, ms
    Field(8, "uint32"),  # total_timer_time, ms
    Field(9, "uint32"),  # total_distance, cm
    Field(5, "enum"),  # sport
    Field(6, "enum"),  # sub_sport
)


def file_id(w: FitWriter, file_type: int = ACTIVITY, local: int = 0) -> FitWriter:
    w.define(local, FILE_ID, [Field(0, "enum"), Field(1, "uint16"), Field(4, "uint32")])
    return w.message(local, file_type, 1, fit_time(dt.datetime(2024, 5, 1, tzinfo=dt.UTC)))


def session(
    w: FitWriter,
    start: int,
    elapsed_s: float,
    distance_m: float,
    sport: int = RUNNING,
    sub_sport: int | None = 0,
    local: int = 2,
    timer_s: float | None = None,
) -> FitWriter:
    w.define(local, SESSION, SESSION_FIELDS)
    timer = elapsed_s if timer_s is None else timer_s
    return w.message(
        local,
        start + round(elapsed_s),
        start,
        round(elapsed_s * 1000),
        round(timer * 1000),
        round(distance_m * 100),
        sport,
        sub_sport,
    )
