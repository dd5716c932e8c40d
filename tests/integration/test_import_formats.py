"""One registry of activity formats (importers.formats): every place that names a format reads it.

A toy format is added to the registry for a test, and the folder walker, the archive reader,
the parser dispatch and the XML reader's refusals find it with no other registration; the web's
upload field, its messages and the command line's help are worded from the same registry.
"""

from __future__ import annotations

import datetime as dt
import gzip
import zipfile
from pathlib import Path

import pytest

from kneecap.core.activity import Activity, Sport
from kneecap.importers import formats
from kneecap.importers.errors import ActivityFileError
from kneecap.importers.formats import Format
from kneecap.importers.gpx import parse_gpx
from kneecap.importers.limits import DEFAULT, Limits
from kneecap.importers.sources import NOT_ACTIVITY, Source, count_candidates, iter_sources, parse
from tests.activities import gpx_run
from tests.conftest import Cli, corpus_files

TOY_MAGIC = b"TOY1"
TOY = Format(
    "toy",
    "TOY",
    (".toy", ".toy2"),
    f"{__name__}:parse_toy",
    lambda data: data.startswith(TOY_MAGIC),
)
seen_limits: list[Limits] = []


def parse_toy(data: bytes, limits: Limits) -> list[Activity]:
    """A toy format's parser: one run, whatever the bytes after the magic."""
    seen_limits.append(limits)
    if not data.startswith(TOY_MAGIC):
        raise ActivityFileError("not a TOY file")
    (run,) = parse_gpx(gpx_run(dt.datetime(2026, 5, 1, 7, tzinfo=dt.UTC), km=1))
    return [run]


@pytest.fixture
def toy(monkeypatch: pytest.MonkeyPatch) -> Format:
    monkeypatch.setattr(formats, "FORMATS", (*formats.FORMATS, TOY))
    seen_limits.clear()
    return TOY


def test_the_registry_lists_fit_gpx_and_tcx() -> None:
    assert [(f.name, f.label, f.suffixes) for f in formats.FORMATS] == [
        ("fit", "FIT", (".fit",)),
        ("gpx", "GPX", (".gpx",)),
        ("tcx", "TCX", (".tcx",)),
    ]
    assert formats.ACCEPT == ".fit,.gpx,.tcx,.gz,.zip"
    assert formats.listed(formats.LABELS, "or") == "FIT, GPX or TCX"
    assert formats.by_name("gpx") is formats.FORMATS[1]
    assert formats.by_name("kml") is None


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("a.fit", ("fit", False)),
        ("A.FIT.GZ", ("fit", True)),
        ("runs/b.gpx.gz", ("gpx", True)),
        ("c.Tcx", ("tcx", False)),
        ("d.gz", None),
        ("e.fit.zip", None),
        ("f.csv", None),
        ("fit", None),
    ],
)
def test_a_file_name_says_its_format(name: str, found: tuple[str, bool] | None) -> None:
    said = formats.for_file(name)
    assert (None if said is None else (said[0].name, said[1])) == found


def test_every_format_is_walked_found_in_archives_and_dispatched(
    tmp_path: Path, toy: Format
) -> None:
    folder = tmp_path / "runs"
    folder.mkdir()
    (folder / "a.toy").write_bytes(TOY_MAGIC + b"first")
    (folder / "b.TOY2.gz").write_bytes(gzip.compress(TOY_MAGIC + b"second"))
    (folder / "c.txt").write_bytes(TOY_MAGIC)
    with zipfile.ZipFile(folder / "d.zip", "w") as zf:
        zf.writestr("activities/e.toy", TOY_MAGIC + b"third")
    small = Limits(max_file_bytes=1024)

    found = list(iter_sources([folder], small))

    assert [(s.name, s.kind) for s in found if isinstance(s, Source)] == [
        (str(folder / "a.toy"), "toy"),
        (str(folder / "b.TOY2.gz"), "toy"),
        (f"{folder / 'd.zip'}:activities/e.toy", "toy"),
    ]
    assert count_candidates([folder]) == 3
    for source in found:
        assert isinstance(source, Source)
        (run,) = parse(source, small)
        assert run.sport is Sport.RUNNING
    assert seen_limits == [small] * 3


def test_a_format_is_only_read_while_registered(tmp_path: Path) -> None:
    path = tmp_path / "a.toy"
    path.write_bytes(TOY_MAGIC)

    (refused,) = iter_sources([path])

    assert isinstance(refused, ActivityFileError)
    assert refused.reason == NOT_ACTIVITY
    with pytest.raises(ActivityFileError, match="not a kind of activity file kneecap reads"):
        parse(Source("a.toy", "toy", TOY_MAGIC))


def test_a_parser_error_is_named_after_the_file(toy: Format) -> None:
    with pytest.raises(ActivityFileError) as refused:
        parse(Source("runs/a.toy", "toy", b"nope"))
    assert str(refused.value) == "runs/a.toy: not a TOY file"
    assert seen_limits == [DEFAULT]


def test_a_missing_parser_module_is_a_refusal_not_a_crash() -> None:
    gone = Format("gone", "GONE", (".gone",), "kneecap.importers.no_such_module:parse", bool)
    with pytest.raises(ActivityFileError, match="GONE files cannot be imported by this version"):
        gone.load()


def test_the_xml_reader_names_a_registered_format_it_is_given_instead(toy: Format) -> None:
    with pytest.raises(ActivityFileError, match=r"^not a GPX file: it is a TOY file$"):
        parse_gpx(TOY_MAGIC + b"<gpx>")
    header = b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT"
    with pytest.raises(ActivityFileError, match=r"^not a GPX file: it is a FIT file$"):
        parse_gpx(header + bytes(20))


def test_the_web_and_the_command_line_word_the_formats_from_the_registry(cli: Cli) -> None:
    from kneecap.web import runs

    assert runs.ACCEPT == formats.ACCEPT
    view = runs.runs_view([])
    assert view["accept"] == formats.ACCEPT
    assert view["formats"] == "FIT, GPX or TCX"
    template = Path(runs.__file__).parent / "templates" / "runs.html"
    assert 'accept="{{ v.accept }}"' in template.read_text()
    assert "{{ v.formats }} files" in template.read_text()
    assert runs.NO_FILES == (
        "choose one or more activity files (.fit, .gpx, .tcx, optionally .gz, or a .zip export)"
    )
    assert NOT_ACTIVITY == (
        "not an activity file: kneecap imports .fit, .gpx and .tcx files (each optionally .gz), "
        "folders of them and .zip exports"
    )
    shown = cli("import", "--help").out
    assert "Files (.fit .gpx .tcx, optionally .gz)" in " ".join(shown.split())


@pytest.mark.parametrize(
    "path", corpus_files(*formats.SUFFIXES), ids=lambda p: p.name if isinstance(p, Path) else ""
)
def test_each_corpus_file_sniffs_as_the_format_its_name_says(path: Path) -> None:
    said = formats.for_file(path.name)
    assert said is not None
    assert formats.sniffed(path.read_bytes()) is said[0]


@pytest.mark.parametrize(
    "data",
    [b"", b"<kml/>", b"PK\x03\x04", b"\x1f\x8b\x08", b"<?xml version='1.0'?><gpxx/>"],
    ids=["empty", "kml", "zip", "gzip", "not-quite-gpx"],
)
def test_other_content_sniffs_as_no_format(data: bytes) -> None:
    assert formats.sniffed(data) is None


def test_a_sniff_reads_past_the_prolog() -> None:
    data = b'\xef\xbb\xbf\n<?xml version="1.0"?>\n<!-- exported -->\n<g:gpx xmlns:g="x">'
    assert formats.sniffed(data) is formats.by_name("gpx")
    assert formats.sniffed(b"<TrainingCenterDatabase>") is formats.by_name("tcx")
