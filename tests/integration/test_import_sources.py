"""Finding activity files in paths, folders, gzip files and zip exports (importers.sources).

Archives are built in tmp_path with zipfile and gzip; headers are patched by hand where zipfile
cannot write what a hostile or broken archive holds (encryption flags, a lying entry count).
A test that needs to sit exactly at a size limit passes a small `Limits` of its own.
"""

from __future__ import annotations

import csv
import gzip
import io
import struct
import time
import tracemalloc
import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pytest

from kneecap.core.activity import Sport
from kneecap.importers.errors import ActivityFileError
from kneecap.importers.limits import DEFAULT, MB, Limits
from kneecap.importers.sources import (
    ENCRYPTED,
    LINK_OUTSIDE,
    NO_SUCH_PATH,
    NOT_ACTIVITY,
    TOO_DEEP,
    TRUNCATED_GZIP,
    Source,
    UsageError,
    count_candidates,
    iter_sources,
    parse,
)

FIT = b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT" + bytes(range(200))  # a FIT header's shape
GPX = b'<?xml version="1.0"?>\n<gpx version="1.1" creator="test"><trk><trkseg/></trk></gpx>\n'
TCX = b'<?xml version="1.0"?>\n<TrainingCenterDatabase><Activities/></TrainingCenterDatabase>\n'
BOMB_BYTES = 200 * MB


def items(*paths: Path, limits: Limits = DEFAULT) -> list[Source | ActivityFileError]:
    return list(iter_sources(list(paths), limits))


def sources(*paths: Path, limits: Limits = DEFAULT) -> list[Source]:
    found = items(*paths, limits=limits)
    errors = [str(e) for e in found if isinstance(e, ActivityFileError)]
    assert errors == []
    return [s for s in found if isinstance(s, Source)]


def errors(found: Iterable[Source | ActivityFileError]) -> dict[str, str]:
    return {e.file or "": e.reason for e in found if isinstance(e, ActivityFileError)}


def names(found: Iterable[Source | ActivityFileError]) -> list[str]:
    return [s.name for s in found if isinstance(s, Source)]


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def make_zip(
    path: Path, entries: Iterable[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", method) as zf:
        for member, data in entries:
            zf.writestr(zipfile.ZipInfo(member, (2024, 3, 2, 14, 0, 0)), data, method)
    return path


def zip_bytes(entries: Iterable[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zf:
        for member, data in entries:
            zf.writestr(member, data, method)
    return out.getvalue()


def strava_csv(rows: list[dict[str, str]], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


STRAVA_ROWS = [
    {"Activity ID": "1", "Activity Type": "Run", "Filename": "activities/1.gpx"},
    {"Activity ID": "2", "Activity Type": "Ride", "Filename": "activities/2.fit.gz"},
    {"Activity ID": "3", "Activity Type": "Swim", "Filename": ""},  # manual entry, no file
]
STRAVA_COLUMNS = ["Activity ID", "Activity Date", "Activity Type", "Filename"]


def patch_member_header(archive: Path, member: str, offset_local: int, value: bytes) -> None:
    """Overwrite bytes at `offset_local` in the member's local header and at the matching field
    of its central directory entry (central = local + 2: it adds the "version made by" field)."""
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(member)
        central_at = zf.start_dir + _central_offset(zf, member)
    raw = bytearray(archive.read_bytes())
    raw[info.header_offset + offset_local : info.header_offset + offset_local + len(value)] = value
    at = central_at + offset_local + 2
    raw[at : at + len(value)] = value
    archive.write_bytes(bytes(raw))


def _central_offset(zf: zipfile.ZipFile, member: str) -> int:
    offset = 0
    for info in zf.infolist():
        if info.filename == member:
            return offset
        offset += 46 + len(info.filename.encode()) + len(info.extra) + len(info.comment)
    raise KeyError(member)


# --- Paths and folders ---------------------------------------------------------------------


def test_folder_walk_finds_activity_files_in_name_order_and_skips_the_rest(
    tmp_path: Path,
) -> None:
    root = tmp_path / "runs"
    write(root / "b.gpx", GPX)
    write(root / "a.FIT", FIT)
    write(root / "notes.txt", b"tempo on tuesday")
    write(root / "photo.jpg", b"\xff\xd8\xff")
    write(root / "._a.fit", b"macOS resource fork")
    write(root / "sub" / "d.fit.gz", gz(FIT))
    write(root / "sub" / "c.TCX.gz", gz(TCX))
    write(root / "sub" / "deeper" / "e.GPX", GPX)
    write(root / "sub" / "activities.json", b"{}")

    found = sources(root)

    assert [(s.name, s.kind) for s in found] == [
        (str(root / "a.FIT"), "fit"),
        (str(root / "b.gpx"), "gpx"),
        (str(root / "sub" / "c.TCX.gz"), "tcx"),
        (str(root / "sub" / "d.fit.gz"), "fit"),
        (str(root / "sub" / "deeper" / "e.GPX"), "gpx"),
    ]
    assert [s.data for s in found] == [FIT, GPX, TCX, FIT, GPX]
    assert all(s.sport_hint is None for s in found)
    assert count_candidates([root]) == 5


def test_explicit_missing_and_unsupported_paths_are_usage_errors(tmp_path: Path) -> None:
    missing = tmp_path / "missing.fit"
    notes = write(tmp_path / "notes.txt", b"not a run")
    under_a_file = notes / "run.gpx"
    table = write(tmp_path / "runs.csv.gz", gz(b"a,b\n"))
    good = write(tmp_path / "good.gpx", GPX)

    found = items(missing, notes, table, under_a_file, good)

    assert [type(e) for e in found] == [UsageError] * 4 + [Source]
    assert errors(found) == {
        str(missing): NO_SUCH_PATH,
        str(under_a_file): NO_SUCH_PATH,
        str(notes): NOT_ACTIVITY,
        str(table): NOT_ACTIVITY,
    }
    assert names(found) == [str(good)]
    assert count_candidates([missing, notes, table, under_a_file, good]) == 5


def test_an_explicit_file_over_the_limit_is_refused_unread(tmp_path: Path) -> None:
    small = Limits(max_file_bytes=4096)
    at_limit = write(tmp_path / "at.fit", FIT + bytes(4096 - len(FIT)))
    over = write(tmp_path / "over.fit", FIT + bytes(4097 - len(FIT)))

    found = items(at_limit, over, limits=small)

    assert names(found) == [str(at_limit)]
    assert "too large to import" in errors(found)[str(over)]
    assert not isinstance(found[1], UsageError)


def test_links_out_of_the_folder_are_not_followed_and_loops_end(tmp_path: Path) -> None:
    outside = write(tmp_path / "elsewhere" / "secret.gpx", GPX)
    root = tmp_path / "runs"
    write(root / "a.gpx", GPX)
    (root / "b-link.gpx").symlink_to(outside)
    (root / "c-folder").symlink_to(outside.parent, target_is_directory=True)
    (root / "d-loop").symlink_to(root, target_is_directory=True)
    (root / "e-inside.gpx").symlink_to(root / "a.gpx")
    (root / "f-notes.txt").symlink_to(tmp_path / "elsewhere" / "notes.txt")

    found = items(root)

    assert names(found) == [str(root / "a.gpx"), str(root / "e-inside.gpx")]
    assert errors(found) == {
        str(root / "b-link.gpx"): LINK_OUTSIDE,
        str(root / "c-folder"): LINK_OUTSIDE,
    }


def test_a_linked_file_named_explicitly_is_read(tmp_path: Path) -> None:
    target = write(tmp_path / "elsewhere" / "run.gpx", GPX)
    link = tmp_path / "link.gpx"
    link.symlink_to(target)

    assert [s.data for s in sources(link)] == [GPX]


def test_control_characters_in_names_are_replaced(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "x.zip", [("run\x1b[31m.gpx", GPX)])

    (found,) = sources(archive)

    assert found.name == f"{archive}:run\ufffd[31m.gpx"


# --- Strava and Garmin exports -------------------------------------------------------------


def strava_export(path: Path) -> Path:
    return make_zip(
        path,
        [
            ("activities/1.gpx", GPX),
            ("activities/2.fit.gz", gz(FIT)),
            ("media/x.jpg", b"\xff\xd8\xff"),
            ("profile.json", b"{}"),
            ("__MACOSX/activities/._1.gpx", b"resource fork"),
            ("activities.csv", strava_csv(STRAVA_ROWS, STRAVA_COLUMNS)),  # after the files
        ],
    )


def test_strava_export_zip_yields_its_activity_files_with_sport_hints(tmp_path: Path) -> None:
    archive = strava_export(tmp_path / "export.zip")

    found = sources(archive)

    assert [(s.name, s.kind, s.data, s.sport_hint) for s in found] == [
        (f"{archive}:activities/1.gpx", "gpx", GPX, "Run"),
        (f"{archive}:activities/2.fit.gz", "fit", FIT, "Ride"),
    ]
    assert count_candidates([archive]) == 2


def test_strava_hints_fall_back_to_the_activity_id_and_tolerate_missing_columns(
    tmp_path: Path,
) -> None:
    by_id = make_zip(
        tmp_path / "by-id.zip",
        [
            ("export_7/activities.csv", strava_csv(STRAVA_ROWS, ["Activity ID", "Activity Type"])),
            ("export_7/activities/1.gpx", GPX),
            ("export_7/activities/2.fit.gz", gz(FIT)),
        ],
    )
    no_type = make_zip(
        tmp_path / "no-type.zip",
        [
            ("activities.csv", b"Activity ID,Filename\n1,activities/1.gpx\n"),
            ("activities/1.gpx", GPX),
        ],
    )
    not_csv = make_zip(
        tmp_path / "not-csv.zip",
        [("activities.csv", b'"\x00\xff' * 100), ("activities/1.gpx", GPX)],
    )

    assert [s.sport_hint for s in sources(by_id)] == ["Run", "Ride"]
    assert [s.sport_hint for s in sources(no_type, not_csv)] == [None, None]


def test_unpacked_strava_export_folder_gives_hints_too(tmp_path: Path) -> None:
    root = tmp_path / "export"
    write(root / "activities.csv", b"\xef\xbb\xbf" + strava_csv(STRAVA_ROWS, STRAVA_COLUMNS))
    write(root / "activities" / "1.gpx", GPX)
    write(root / "activities" / "2.fit.gz", gz(FIT))

    walked = sources(root)
    picked = sources(root / "activities" / "2.fit.gz")  # one file picked out of the export

    assert [(s.name, s.sport_hint) for s in walked] == [
        (str(root / "activities" / "1.gpx"), "Run"),
        (str(root / "activities" / "2.fit.gz"), "Ride"),
    ]
    assert [s.sport_hint for s in picked] == ["Ride"]


def test_garmin_export_zip_inside_a_zip_is_read(tmp_path: Path) -> None:
    inner = zip_bytes([("111_ACTIVITY.fit", FIT), ("222_ACTIVITY.fit", FIT), ("x.json", b"{}")])
    deeper = zip_bytes([("too-deep.zip", zip_bytes([("333_ACTIVITY.fit", FIT)]))])
    parts = "DI_CONNECT/DI-Connect-Uploaded-Files"
    archive = make_zip(
        tmp_path / "garmin.zip",
        [
            ("DI_CONNECT/DI-Connect-Fitness/summary.json", b"[]"),
            (f"{parts}/UploadedFiles_0-_Part1.zip", inner),
            (f"{parts}/UploadedFiles_0-_Part2.zip", deeper),
        ],
        zipfile.ZIP_STORED,
    )

    found = items(archive)

    part1 = f"{archive}:{parts}/UploadedFiles_0-_Part1.zip"
    part2 = f"{archive}:{parts}/UploadedFiles_0-_Part2.zip"
    assert names(found) == [f"{part1}:111_ACTIVITY.fit", f"{part1}:222_ACTIVITY.fit"]
    assert [s.data for s in found if isinstance(s, Source)] == [FIT, FIT]
    assert errors(found) == {f"{part2}:too-deep.zip": TOO_DEEP}
    assert count_candidates([archive]) == 2  # each inner zip counts once: it is not opened


def test_a_nested_zip_that_is_not_a_zip_is_an_error_for_it_alone(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "x.zip", [("inner.zip", b"not a zip"), ("run.gpx", GPX)])

    found = items(archive)

    assert names(found) == [f"{archive}:run.gpx"]
    assert "not a zip archive" in errors(found)[f"{archive}:inner.zip"]


# --- Hostile and broken archives -----------------------------------------------------------


def test_entries_with_path_tricks_are_refused_and_the_rest_imported(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "tricks.zip",
        [
            ("../evil.gpx", GPX),
            ("/abs.gpx", GPX),
            ("C:/drive.gpx", GPX),
            ("activities/..\\..\\win.gpx", GPX),
            ("\\\\server\\share\\unc.gpx", GPX),
            ("activities/ok.gpx", GPX),
            ("../not-an-activity.txt", b"skipped silently"),
        ],
    )

    found = items(archive)

    assert names(found) == [f"{archive}:activities/ok.gpx"]
    refused = errors(found)
    assert sorted(refused) == sorted(
        f"{archive}:{m}"
        for m in (
            "../evil.gpx",
            "/abs.gpx",
            "C:/drive.gpx",
            "activities/..\\..\\win.gpx",
            "\\\\server\\share\\unc.gpx",
        )
    )
    assert all("refused" in reason for reason in refused.values())
    assert count_candidates([archive]) == 6


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """200 MB of zeros as a zip entry, a gzip file and a gzip stored inside a zip."""
    folder = tmp_path_factory.mktemp("bombs")
    chunk = bytes(MB)
    zipped = folder / "bomb.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("bomb.gpx", "w") as w:
        for _ in range(BOMB_BYTES // MB):
            w.write(chunk)
    gzipped = folder / "bomb.gpx.gz"
    with gzip.GzipFile(gzipped, "wb", mtime=0) as g:
        for _ in range(BOMB_BYTES // MB):
            g.write(chunk)
    nested = make_zip(
        folder / "nested-bomb.zip",
        [("activities/bomb.gpx.gz", gzipped.read_bytes()), ("activities/ok.gpx", GPX)],
        zipfile.ZIP_STORED,
    )
    # The same zip entry with headers claiming 100 MB from 100 MB: no ratio, under the size
    # limit, so only the streaming count of compressed bytes read can tell it is a bomb.
    lying = folder / "lying-bomb.zip"
    lying.write_bytes(zipped.read_bytes())
    patch_member_header(lying, "bomb.gpx", 18, struct.pack("<2L", 100 * MB, 100 * MB))
    return {"zip": zipped, "gzip": gzipped, "gzip in zip": nested, "lying zip": lying}


@pytest.mark.parametrize("kind", ["zip", "gzip", "gzip in zip", "lying zip"])
def test_decompression_bombs_are_refused_quickly_in_little_memory(
    bombs: dict[str, Path], kind: str
) -> None:
    bomb = bombs[kind]
    assert bomb.stat().st_size < 300 * 1024

    tracemalloc.start()
    started = time.perf_counter()
    try:
        found = items(bomb)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    refused = [e for e in found if isinstance(e, ActivityFileError)]
    assert len(refused) == 1
    assert not isinstance(refused[0], UsageError)
    reason = refused[0].reason
    if kind == "lying zip" and "Overlapped entries" in reason:
        pass  # newer zipfile versions catch this header lie themselves, before any reading
    else:
        assert reason.startswith(f"compression ratio above {DEFAULT.max_ratio}:1")
        assert reason.endswith("refused as a possible zip bomb")
    assert elapsed < 2.0
    assert peak < 20 * MB
    if kind == "gzip in zip":
        assert names(found) == [f"{bomb}:activities/ok.gpx"]


def pseudo_random(n: int) -> bytes:
    return np.random.default_rng(7).bytes(n)  # incompressible, so no ratio is involved


@pytest.mark.parametrize("container", ["gzip", "zip", "gzip in zip", "stored zip"])
def test_an_entry_at_the_size_limit_is_accepted_and_one_byte_more_refused(
    tmp_path: Path, container: str
) -> None:
    small = Limits(max_file_bytes=8192)
    at_limit, over = pseudo_random(8192), pseudo_random(8193)

    def wrap(name: str, data: bytes) -> Path:
        if container == "gzip":
            return write(tmp_path / f"{name}.gpx.gz", gz(data))
        if container == "gzip in zip":
            return make_zip(tmp_path / f"{name}.zip", [("a.gpx.gz", gz(data))])
        method = zipfile.ZIP_STORED if container == "stored zip" else zipfile.ZIP_DEFLATED
        return make_zip(tmp_path / f"{name}.zip", [("a.gpx", data)], method)

    accepted = sources(wrap("at", at_limit), limits=small)
    refused = items(wrap("over", over), limits=small)

    assert [s.data for s in accepted] == [at_limit]
    (error,) = refused
    assert isinstance(error, ActivityFileError)
    assert error.reason.startswith("decompresses to more than 8 KB")


def test_the_ratio_limit_applies_only_above_the_ratio_free_size(tmp_path: Path) -> None:
    zeros = bytes(8192)  # compresses about 300:1
    packed = write(tmp_path / "zeros.gpx.gz", gz(zeros))
    archive = make_zip(tmp_path / "zeros.zip", [("zeros.gpx", zeros)])
    small = write(tmp_path / "small.gpx.gz", gz(bytes(4096)))

    found = items(packed, archive, small, limits=Limits(ratio_free_bytes=4096))

    assert names(found) == [str(small)]
    assert all("zip bomb" in reason for reason in errors(found).values())
    assert len(sources(packed, archive, limits=Limits(ratio_free_bytes=8192))) == 2


def test_broken_gzip_files_are_errors_with_the_reason(tmp_path: Path) -> None:
    whole = gz(GPX * 50)
    truncated = write(tmp_path / "truncated.gpx.gz", whole[: len(whole) // 2])
    plain = write(tmp_path / "plain.gpx.gz", GPX)
    bad_crc = bytearray(whole)
    bad_crc[-8] ^= 0xFF
    corrupt = write(tmp_path / "crc.gpx.gz", bytes(bad_crc))
    garbled = bytearray(whole)
    garbled[12:20] = b"\xff" * 8
    garbage = write(tmp_path / "garbage.gpx.gz", bytes(garbled))
    two_members = write(tmp_path / "two.gpx.gz", gz(GPX[:20]) + gz(GPX[20:]) + bytes(10))

    found = items(truncated, plain, corrupt, garbage, two_members)

    reasons = errors(found)
    assert reasons[str(truncated)] == TRUNCATED_GZIP
    assert reasons[str(plain)] == "not a gzip file, though its name ends in .gz"
    assert reasons[str(corrupt)].startswith("the gzip file is corrupt (CRC check failed")
    assert reasons[str(garbage)].startswith("the gzip file is corrupt")
    assert [s.data for s in found if isinstance(s, Source)] == [GPX]


def test_a_corrupt_zip_is_an_error_and_the_others_are_still_read(tmp_path: Path) -> None:
    root = tmp_path / "downloads"
    write(root / "a-garbage.zip", b"PK\x03\x04 this is not really a zip")
    whole = strava_export(tmp_path / "whole.zip").read_bytes()
    write(root / "b-truncated.zip", whole[: len(whole) // 2])
    write(root / "c.gpx", GPX)

    found = items(root)

    assert names(found) == [str(root / "c.gpx")]
    reasons = errors(found)
    assert set(reasons) == {str(root / "a-garbage.zip"), str(root / "b-truncated.zip")}
    assert all(r.startswith("not a zip archive, or a damaged one") for r in reasons.values())
    assert count_candidates([root]) == 3


def test_a_zip_of_a_newer_format_version_is_an_error_not_a_crash(tmp_path: Path) -> None:
    """zipfile raises NotImplementedError for a version it cannot read (found by fuzzing)."""
    archive = make_zip(tmp_path / "new.zip", [("a.gpx", GPX)])
    raw = bytearray(archive.read_bytes())
    central = raw.rindex(b"PK\x01\x02")
    raw[central + 6 : central + 8] = struct.pack("<H", 99)  # "version needed to extract": 9.9
    archive.write_bytes(bytes(raw))

    found = items(archive)

    assert names(found) == []
    assert errors(found)[str(archive)].startswith("a zip archive of a kind that cannot be read")


def test_an_entry_failing_its_checksum_is_an_error_for_that_entry(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "crc.zip", [("a.gpx", GPX), ("b.gpx", GPX)], zipfile.ZIP_STORED)
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo("a.gpx")
    raw = bytearray(archive.read_bytes())
    raw[info.header_offset + 30 + len("a.gpx") + 10] ^= 0x20  # one bit of the content
    archive.write_bytes(bytes(raw))

    found = items(archive)

    assert names(found) == [f"{archive}:b.gpx"]
    assert errors(found) == {
        f"{archive}:a.gpx": "the archive entry is corrupt: its checksum does not match its content"
    }


def test_an_archive_with_too_many_entries_is_refused(tmp_path: Path) -> None:
    three = Limits(max_zip_entries=3)
    at_limit = make_zip(tmp_path / "three.zip", [(f"{i}.gpx", GPX) for i in range(3)])
    over = make_zip(tmp_path / "four.zip", [(f"{i}.gpx", GPX) for i in range(3)] + [("x", b"")])

    found = items(at_limit, over, limits=three)

    assert len(names(found)) == 3
    assert errors(found) == {
        str(over): "the archive holds 4 entries, more than the 3 kneecap reads: unpack it "
        "and import the folder"
    }
    assert count_candidates([over], three) == 1


def test_an_end_record_that_understates_the_entry_count_does_not_help(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "liar.zip", [(f"{i}.gpx", GPX) for i in range(5)])
    raw = bytearray(archive.read_bytes())
    end = raw.rfind(b"PK\x05\x06")
    raw[end + 8 : end + 12] = struct.pack("<2H", 1, 1)  # "1 entry" on this disk and in all
    archive.write_bytes(bytes(raw))

    (error,) = items(archive, limits=Limits(max_zip_entries=3))

    assert isinstance(error, ActivityFileError)
    assert error.reason.startswith("the archive holds 4 entries, more than the 3")


def test_an_encrypted_entry_is_an_error_for_that_entry(tmp_path: Path) -> None:
    # zipfile cannot write encrypted entries, so the flag is set by hand: the entry is refused
    # from its header before any decryption would be attempted.
    archive = make_zip(tmp_path / "locked.zip", [("secret.gpx", GPX), ("open.gpx", GPX)])
    patch_member_header(archive, "secret.gpx", 6, struct.pack("<H", 0x1))

    found = items(archive)

    assert names(found) == [f"{archive}:open.gpx"]
    assert errors(found) == {f"{archive}:secret.gpx": ENCRYPTED}


def test_an_entry_compressed_with_an_unreadable_method_is_an_error(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "deflate64.zip", [("a.gpx", GPX), ("b.gpx", GPX)])
    patch_member_header(archive, "a.gpx", 8, struct.pack("<H", 9))  # Deflate64

    found = items(archive)

    assert names(found) == [f"{archive}:b.gpx"]
    assert "zip method 9" in errors(found)[f"{archive}:a.gpx"]


def test_entries_are_streamed_one_at_a_time(tmp_path: Path) -> None:
    block = pseudo_random(4 * MB)
    archive = make_zip(
        tmp_path / "big.zip", [(f"{i:02}.fit", bytes([i]) + block) for i in range(12)]
    )

    tracemalloc.start()
    try:
        seen = 0
        for item in iter_sources([archive]):
            assert isinstance(item, Source)
            assert item.data[1:] == block
            seen += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert seen == 12
    assert peak < 16 * MB  # 48 MB in all; two entries at a time at most


# --- The shared corpus ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "member", "size"),
    [
        ("GoldenCheetah__2019-09-07-11-22-19.zip", "2019-09-07-11-22-19.fit", 89756),
        ("GoldenCheetah__GarminFR955v18.zip", "14211916346_ACTIVITY.fit", 699722),
    ],
)
def test_corpus_zips_hold_the_fit_files_sources_md_lists(
    corpus: Path, file: str, member: str, size: int
) -> None:
    (found,) = sources(corpus / file)

    assert found.name == f"{corpus / file}:{member}"
    assert found.kind == "fit"
    assert len(found.data) == size
    assert found.data[8:12] == b".FIT"
    assert count_candidates([corpus / file]) == 1


def test_corpus_gzipped_fit_is_decompressed(corpus: Path) -> None:
    path = corpus / "GoldenCheetah__14582164182.fit.gz"

    (found,) = sources(path)

    assert (found.name, found.kind, found.data[8:12]) == (str(path), "fit", b".FIT")
    with gzip.open(path) as f:
        assert found.data == f.read()


def test_the_whole_corpus_folder_is_found(corpus: Path) -> None:
    found = items(corpus)

    activity_files = [p for p in corpus.iterdir() if p.name != "SOURCES.md"]
    assert errors(found) == {}
    assert len(found) == len(activity_files) == count_candidates([corpus])


# --- parse ---------------------------------------------------------------------------------


def moving_gpx(kind: str | None, metres_per_second: float, hours: Iterable[int] = (7,)) -> bytes:
    """A GPX track moving north at a steady speed for two minutes, one track per hour given."""
    step = metres_per_second / 111_320  # degrees of latitude per second
    label = f"<type>{kind}</type>" if kind else ""
    tracks = "".join(
        f"<trk>{label}<trkseg>"
        + "".join(
            f'<trkpt lat="{46.0 + i * step:.7f}" lon="14.5"><time>2024-03-02T{hour:02}:'
            f"{i // 60:02}:{i % 60:02}Z</time></trkpt>"
            for i in range(120)
        )
        + "</trkseg></trk>"
        for hour in hours
    )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="t" '
        f'xmlns="http://www.topografix.com/GPX/1/1">{tracks}</gpx>'
    ).encode()


def test_parse_wraps_a_parser_error_with_the_source_name() -> None:
    pytest.importorskip("kneecap.importers.gpx")
    source = Source("export.zip:activities/bad.gpx", "gpx", b"this is not xml")

    with pytest.raises(ActivityFileError) as caught:
        parse(source)

    assert caught.value.file == "export.zip:activities/bad.gpx"
    assert caught.value.reason
    assert str(caught.value).startswith("export.zip:activities/bad.gpx: ")


def test_parse_of_an_unknown_kind_is_an_activity_file_error() -> None:
    with pytest.raises(ActivityFileError) as caught:
        parse(Source("x.kml", "kml", b"<kml/>"))

    assert caught.value.file == "x.kml"


def test_a_sport_hint_replaces_only_an_inferred_sport() -> None:
    pytest.importorskip("kneecap.importers.gpx")
    unnamed = moving_gpx(None, 3.0)

    (guessed,) = parse(Source("a.gpx", "gpx", unnamed))
    (walk,) = parse(Source("a.gpx", "gpx", unnamed, sport_hint="Walk"))
    (ride,) = parse(Source("a.gpx", "gpx", unnamed, sport_hint="Ride"))
    (named,) = parse(Source("b.gpx", "gpx", moving_gpx("running", 3.0), sport_hint="Ride"))
    (odd,) = parse(Source("a.gpx", "gpx", unnamed, sport_hint="Something New"))

    assert guessed.sport is Sport.RUNNING
    assert any(w.startswith("sport inferred") for w in guessed.warnings)
    assert walk.sport is Sport.WALKING
    assert not any(w.startswith("sport") for w in walk.warnings)
    assert ride.sport is Sport.CYCLING
    assert np.isnan(ride.cadence_spm).all()
    assert named.sport is Sport.RUNNING
    assert odd.sport is Sport.RUNNING  # a hint naming no known sport changes nothing


def test_a_sport_hint_is_not_applied_to_a_file_holding_several_activities() -> None:
    pytest.importorskip("kneecap.importers.gpx")
    morning_and_evening = moving_gpx(None, 3.0, hours=(7, 18))

    found = parse(Source("day.gpx", "gpx", morning_and_evening, sport_hint="Ride"))

    assert [a.sport for a in found] == [Sport.RUNNING, Sport.RUNNING]


def test_parse_of_a_corpus_zip_gives_a_run(corpus: Path) -> None:
    pytest.importorskip("kneecap.importers.fit")
    (source,) = sources(corpus / "GoldenCheetah__GarminFR955v18.zip")

    activities = parse(source)

    assert [a.sport for a in activities] == [Sport.RUNNING]
    assert activities[0].points > 6000


def test_parse_wraps_a_fit_parser_error_with_the_source_name() -> None:
    pytest.importorskip("kneecap.importers.fit")
    source = Source("export.zip:activities/9.fit.gz", "fit", b"\x0e\x10" + bytes(20))

    with pytest.raises(ActivityFileError) as caught:
        parse(source)

    assert caught.value.file == "export.zip:activities/9.fit.gz"


def test_an_empty_folder_yields_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()

    assert items(empty) == []
    assert count_candidates([empty]) == 0
