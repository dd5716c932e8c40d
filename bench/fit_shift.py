"""Move every timestamp of a real FIT file by whole days, keeping everything else byte for byte.

The benchmark's "year of running" replicates the corpus runs onto other days; a copy with the
same times would (rightly) be stored once as a duplicate. Compressed-timestamp headers hold
offsets from the last full timestamp, so a shift by whole days (a multiple of 32 s) keeps them
valid. Only the date_time fields the decoders read are moved: `timestamp` (253) in every
message, and the start and local times of file_id, session, lap and activity.
"""

from __future__ import annotations

import struct

DATE_FIELDS = {0: {4}, 18: {2}, 19: {2}, 34: {5}}  # file_id.time_created, *.start_time, ...
DAY = 86_400


def crc16(data: bytes) -> int:
    table = [0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
             0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400]  # fmt: skip
    crc = 0
    for byte in data:
        for nibble in (byte & 0xF, byte >> 4):
            tmp = table[crc & 0xF]
            crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ table[nibble]
    return crc


def shift_fit(data: bytes, days: int) -> bytes:
    buf = bytearray(data)
    header = buf[0]
    end = header + struct.unpack_from("<I", buf, 4)[0]
    delta = days * DAY
    layouts: dict[int, tuple[int, str, list[tuple[int, int, int]], int]] = {}
    pos = header
    while pos < end:
        h = buf[pos]
        pos += 1
        if h & 0x80:  # compressed timestamp: offsets only, nothing to move
            local = (h >> 5) & 0x3
            pos += layouts[local][3]
            continue
        local = h & 0x0F
        if h & 0x40:  # definition
            arch = buf[pos + 1]
            order = ">" if arch else "<"
            number = struct.unpack_from(order + "H", buf, pos + 2)[0]
            count = buf[pos + 4]
            fields, offset = [], 0
            for i in range(count):
                num, size, _ = buf[pos + 5 + 3 * i : pos + 8 + 3 * i]
                fields.append((num, offset, size))
                offset += size
            pos += 5 + 3 * count
            if h & 0x20:  # developer fields
                dev = buf[pos]
                offset += sum(buf[pos + 2 + 3 * i] for i in range(dev))
                pos += 1 + 3 * dev
            layouts[local] = (number, order, fields, offset)
            continue
        number, order, fields, size = layouts[local]
        wanted = DATE_FIELDS.get(number, set()) | {253}
        for num, offset, width in fields:
            if num in wanted and width == 4:
                at = pos + offset
                value = struct.unpack_from(order + "I", buf, at)[0]
                if 0x10000000 <= value < 0xFFFFFFFF:
                    struct.pack_into(order + "I", buf, at, value + delta)
        pos += size
    struct.pack_into("<H", buf, end, crc16(bytes(buf[:end])))
    return bytes(buf)
