"""Your data, portable (`kneecap.app.portable`) on real SQLite files: a year of history
exported, restored into an empty home and exported again is the same archive but for its
timestamp, with the same plan and decisions; broken, foreign, newer or crafted archives are
refused and store nothing; forget leaves no row, value or file of the person anywhere."""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest

from kneecap.app import BadInput, activities, portable
from kneecap.core.akps import score
from kneecap.core.history import CheckIn, Entry, SessionLog
from kneecap.core.intake import RED_FLAG_QUESTIONS
from kneecap.core.rtr import EntryCheck
from kneecap.importers.limits import Limits
from kneecap.settings import write_private
from tests.activities import gpx_run, synthetic_run
from tests.conftest import START, entry_check_data, make_profile
from tests.runner import Runner

TODAY = START + dt.timedelta(days=364)
CLINICIAN = "Dr Quillonia Zephyrine-Abernathy"
NOTE = "xylophone knee cleared after the scan"
EXERCISES = ("glute-bridge", "clamshell", "straight-leg-raise", "wall-sit")


def _at(day: dt.date, hour: int = 7) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def a_year(runner: Runner, tmp: Path) -> None:
    """A year of history: a warning sign reported before the intake and cleared by a
    clinician, sessions (edited and undone ones, with tokens), check-ins, a Kujala result a
    month, entry checks, preferences, imported runs with pain answers (one deleted), and a run
    imported before Kneecap kept activity files."""
    flag = next(iter(RED_FLAG_QUESTIONS))
    with runner.home() as home:
        with home.store.transaction(home.person) as w:
            w.raise_flags(frozenset({flag}), _at(START - dt.timedelta(days=1)))
            w.save_profile(make_profile(), _at(START))
            w.record_clearance(START, CLINICIAN, NOTE, _at(START, 9), profession="physiotherapist")
            w.set_preferences(
                {"reminder_time": "06:45", "units": "mi", "theme": "dark"}, _at(START)
            )
        for n in range(0, 364, 2):
            day = START + dt.timedelta(days=n)
            with home.store.transaction(home.person) as w:
                entries = tuple(
                    Entry(exercise=e, sets_done=3, reps_done=10, pain_during=(n // 7) % 4)
                    for e in EXERCISES[: 2 + n % 3]
                )
                log = SessionLog(date=day, entries=entries, pain_after=1)
                saved, _ = w.add_session(log, _at(day, 18), token=f"t{n}")
                if n % 10 == 0:
                    again = SessionLog(date=day, entries=entries[:1], pain_after=2)
                    w.edit_session(saved.id, again, _at(day, 19), token=f"e{n}")
                if n % 30 == 0:
                    w.undo_session(saved.id, _at(day, 20))
                w.add_checkins([CheckIn(date=day, morning_pain=(n // 5) % 3)], _at(day, 6))
            if n % 30 == 0:
                answers = [n % 3] * 13
                with home.store.transaction(home.person) as w:
                    w.add_akps(day, answers, score(answers), _at(day, 21))
            if n in (120, 200):
                check = EntryCheck.model_validate(entry_check_data(date=day.isoformat()))
                with home.store.transaction(home.person) as w:
                    w.add_entry_check(check, _at(day, 8))
        folder = tmp / "runs"
        folder.mkdir()
        for k, day in enumerate(START + dt.timedelta(days=d) for d in (150, 180, 210)):
            (folder / f"run{k}.gpx").write_bytes(gpx_run(_at(day), 3 + k, every_s=10))
        activities.import_files(home, [folder])
        run_ids = [r.id for r in activities.runs(home)]
        activities.answer_run(home, run_ids[0], 3, 2)
        activities.delete_run(home, run_ids[2])
        old = synthetic_run(seconds=600, start=_at(START + dt.timedelta(days=100)))
        from kneecap.core.analysis import summarise

        with home.store.transaction(home.person) as w:  # a run imported before files were kept
            w.add_activities(
                "old.fit", "ab" * 32, [(old, summarise(old), old.start.date())], _at(START)
            )


def export_to(runner: Runner, path: Path) -> portable.Exported:
    with runner.home() as home:
        found = portable.export(home)
    write_private(path, found.archive)
    return found


def unpacked(path: Path) -> dict[str, bytes]:
    """The archive's files; the manifest without its `exported_at`."""
    with zipfile.ZipFile(path) as zf:
        files = {i.filename: zf.read(i) for i in zf.infolist()}
    manifest = json.loads(files["manifest.json"])
    del manifest["exported_at"]
    files["manifest.json"] = json.dumps(manifest, sort_keys=True).encode()
    return files


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Runner, Path]:
    tmp = tmp_path_factory.mktemp("source")
    runner = Runner(tmp, TODAY.isoformat())
    a_year(runner, tmp)
    export_to(runner, tmp / "first.zip")
    return runner, tmp / "first.zip"


def restored(tmp: Path, archive: Path, today: str = TODAY.isoformat()) -> Runner:
    runner = Runner(tmp, today)
    with runner.home() as home:
        portable.restore(home, archive)
    return runner


def test_export_restore_export_is_the_same_archive_and_programme(
    exported: tuple[Runner, Path], tmp_path: Path
) -> None:
    source, first = exported
    target = restored(tmp_path, first)
    export_to(target, tmp_path / "second.zip")
    a, b = unpacked(first), unpacked(tmp_path / "second.zip")
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name] == b[name], name
    assert source.plan(TODAY, weeks=2) == target.plan(TODAY, weeks=2)
    assert source.why() == target.why()
    assert len(source.why()) > 20  # a year of decisions, not an empty programme


def test_the_export_holds_every_kind_of_record_and_the_files_as_imported(
    exported: tuple[Runner, Path],
) -> None:
    _, first = exported
    files = unpacked(first)
    doc = json.loads(files["data.json"])
    assert doc["format"] == "kneecap-export"
    assert doc["version"] == 1
    for kind in ("profiles", "clearances", "flag_reports", "sessions", "checkins", "akps"):
        assert doc[kind], kind
    assert doc["clearances"][0]["clinician"] == CLINICIAN
    sessions = doc["sessions"]
    assert any(s["replaced_at"] for s in sessions)
    assert any(s["deleted_at"] for s in sessions)
    assert any(s["series"] != s["id"] for s in sessions)
    assert sessions[0]["token"] == "t0"
    assert len(doc["entry_checks"]) == 2
    assert doc["preferences"]["units"] == "mi"
    runs = doc["runs"]
    assert len(runs) == 4
    assert sum(r["deleted_at"] is not None for r in runs) == 1
    assert any(r["pain_during"] == 3 and r["pain_next_morning"] == 2 for r in runs)
    kept = [r for r in runs if r["file"]]
    assert len(kept) == 3
    assert all(r["file"].endswith(".gpx") for r in kept)
    assert files[kept[0]["file"]].startswith(b"<?xml")  # the file itself, as imported
    (old,) = [r for r in runs if r["track"]]
    track = json.loads(files[old["track"]])
    assert len(track["channels"]["time_s"]) == 600
    manifest = json.loads(files["manifest.json"])
    assert any("tracks/" in note for note in manifest["notes"])
    listed = {e["path"] for e in manifest["files"]}
    assert listed == set(files) - {"manifest.json"}


def test_a_restore_into_a_home_with_data_is_refused_saying_why(
    exported: tuple[Runner, Path], tmp_path: Path
) -> None:
    _, first = exported
    runner = restored(tmp_path, first)
    with runner.home() as home, pytest.raises(BadInput, match="refusing to restore over"):
        portable.restore(home, first)


def _database(folder: Path) -> list[tuple[str, list[Any]]]:
    """Every row of every table (the alembic version too), for 'nothing was stored'."""
    with sqlite3.connect(folder / "k.sqlite3") as db:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [(n, sorted(db.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)) for n in names]


def _zip(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return out.getvalue()


def _rewritten(first: Path, change: dict[str, bytes | None]) -> bytes:
    with zipfile.ZipFile(first) as zf:
        files = {i.filename: zf.read(i) for i in zf.infolist()}
    for name, data in change.items():
        if data is None:
            files.pop(name)
        else:
            files[name] = data
    return _zip(files)


def _manifest(first: Path, **changes: Any) -> bytes:
    with zipfile.ZipFile(first) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    return json.dumps({**manifest, **changes}).encode()


BROKEN = {
    "a truncated archive": (
        lambda first: first.read_bytes()[: len(first.read_bytes()) // 2],
        "not a zip archive",
    ),
    "a foreign zip": (lambda first: _zip({"notes.txt": b"hello"}), "not a Kneecap export"),
    "version 2": (
        lambda first: _rewritten(first, {"manifest.json": _manifest(first, version=2)}),
        "newer Kneecap",
    ),
    "a changed file": (
        lambda first: _rewritten(first, {"data.json": b'{"format": "kneecap-export"}\n'}),
        "does not match its SHA-256",
    ),
    "a climbing path": (
        lambda first: _rewritten(first, {"../evil.json": b"{}"}),
        "climbs out of the archive",
    ),
    "a zip bomb": (
        lambda first: _rewritten(first, {"tracks/9.json": b"0" * (8 * 1024 * 1024)}),
        "zip bomb",
    ),
    "a missing file": (lambda first: _rewritten(first, {"data.json": None}), "lacks files"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_foreign_or_newer_archive_is_refused_and_stores_nothing(
    exported: tuple[Runner, Path], tmp_path: Path, case: str
) -> None:
    _, first = exported
    make, reason = BROKEN[case]
    bad = tmp_path / "bad.zip"
    bad.write_bytes(make(first))
    runner = Runner(tmp_path, TODAY.isoformat())
    with runner.home():
        pass
    before = _database(tmp_path)
    with runner.home() as home, pytest.raises(BadInput, match=reason):
        portable.restore(home, bad, Limits(max_file_bytes=4 * 1024 * 1024))
    assert _database(tmp_path) == before


def test_a_link_in_the_archive_is_refused(exported: tuple[Runner, Path], tmp_path: Path) -> None:
    _, first = exported
    out = io.BytesIO()
    with zipfile.ZipFile(first) as src, zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            zf.writestr(info, src.read(info))
        link = zipfile.ZipInfo("tracks/7.json")
        link.external_attr = (0o120777) << 16
        zf.writestr(link, "/etc/passwd")
    bad = tmp_path / "link.zip"
    bad.write_bytes(out.getvalue())
    runner = Runner(tmp_path, TODAY.isoformat())
    with runner.home() as home, pytest.raises(BadInput, match="link"):
        portable.restore(home, bad)


def test_a_record_that_breaks_the_rules_is_refused_naming_it(
    exported: tuple[Runner, Path], tmp_path: Path
) -> None:
    _, first = exported
    with zipfile.ZipFile(first) as zf:
        doc = json.loads(zf.read("data.json"))
    doc["checkins"][0]["data"]["morning_pain"] = 11
    data = json.dumps(doc).encode()
    import hashlib

    manifest = json.loads(_manifest(first))
    for entry in manifest["files"]:
        if entry["path"] == "data.json":
            entry["sha256"] = hashlib.sha256(data).hexdigest()
    bad = tmp_path / "rule.zip"
    bad.write_bytes(
        _rewritten(first, {"data.json": data, "manifest.json": json.dumps(manifest).encode()})
    )
    runner = Runner(tmp_path, TODAY.isoformat())
    with runner.home():
        pass
    before = _database(tmp_path)
    with runner.home() as home, pytest.raises(BadInput, match=r"checkins\[0\]\.data\.morning_pain"):
        portable.restore(home, bad)
    assert _database(tmp_path) == before


def _all_rows(db: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    return {n: db.execute(f'SELECT * FROM "{n}"').fetchall() for n in names}


def test_forget_leaves_no_row_value_or_file_of_the_person(
    exported: tuple[Runner, Path], tmp_path: Path
) -> None:
    _, first = exported
    runner = restored(tmp_path, first)
    other = Runner(tmp_path, TODAY.isoformat())
    with runner.home() as home:
        person = home.person
        from kneecap.app import reminders

        reminders.new_feed(home)
    answers = tmp_path / "answers"
    answers.mkdir()
    (answers / "today").write_text("remembered")
    clips, others = tmp_path / "form-clips" / str(person), tmp_path / "form-clips" / "999"
    for folder in (clips, others):
        folder.mkdir(parents=True)
        (folder / "kept.mp4").write_bytes(b"a kept clip")
    with runner.home() as home:
        gone = portable.forget(home, tmp_path)
    assert gone.records["sessions"] > 100
    assert gone.records["calendar_feeds"] == 1
    assert gone.files == sorted([str(answers / "today"), str(clips / "kept.mp4")])
    assert not answers.exists()
    assert not clips.exists()
    assert (others / "kept.mp4").exists()  # another person's clip stays

    from kneecap.store.tables import Base

    raw = b"".join(p.read_bytes() for p in tmp_path.glob("k.sqlite3*"))
    for value in (CLINICIAN, NOTE, "xylophone"):
        assert value.encode() not in raw, value
    with sqlite3.connect(tmp_path / "k.sqlite3") as db:
        rows = _all_rows(db)
        for table in Base.metadata.sorted_tables:
            assert table.name in rows
            if "person_id" in table.c:
                column = list(table.c.keys()).index("person_id")
                assert not [r for r in rows[table.name] if r[column] == person], table.name
        assert not [r for r in rows["people"] if r[0] == person]
        for table, found in rows.items():
            assert CLINICIAN not in repr(found), table
            assert NOTE not in repr(found), table
    with other.home() as home:  # the name may start again, as a new, empty person
        assert portable.what_forget_deletes(home, tmp_path).records == {}


def test_the_answers_folder_is_the_one_the_cli_keeps() -> None:
    from kneecap.cli import answers

    assert portable.ANSWERS == answers.FOLDER


def test_csv_tables_have_a_header_iso_dates_and_refuse_a_full_folder(
    exported: tuple[Runner, Path], tmp_path: Path
) -> None:
    source, _ = exported
    folder = tmp_path / "csv"
    with source.home() as home:
        written = portable.export_csv(home, folder)
        assert [p.name for p in written] == ["checkins.csv", "sessions.csv", "runs.csv"]
        with pytest.raises(BadInput, match="not empty"):
            portable.export_csv(home, folder)
        portable.export_csv(home, folder, force=True)
    checkins = (folder / "checkins.csv").read_text(encoding="utf-8").splitlines()
    assert checkins[0].startswith("date,morning_pain,")
    assert checkins[1].startswith(START.isoformat() + ",")
    sessions = (folder / "sessions.csv").read_text(encoding="utf-8").splitlines()
    assert sessions[0].startswith("date,session,exercise,")
    assert sessions[1].split(",")[2] == "glute-bridge"
    runs = (folder / "runs.csv").read_text(encoding="utf-8").splitlines()
    assert len(runs) == 1 + 3  # the deleted run left out
