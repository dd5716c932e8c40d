"""The activity formats kneecap reads: one registry that every other place reads.

Adding a format is one entry in `FORMATS` (and its parser module). From the registry the
folder walker and the archive reader pick files by suffix (each also read gzipped), `parse`
finds the parser, the XML reader names a file that is some other format, and the command
line's help, the web's upload field (`ACCEPT`) and the messages that list what kneecap imports
are all worded. Parsers are imported on first use: listing an export needs neither lxml nor
the FIT decoder.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, cast

from kneecap.importers.errors import ActivityFileError

if TYPE_CHECKING:  # the registry itself stays light: the command line reads it to word its help
    from kneecap.core.activity import Activity
    from kneecap.importers.limits import Limits

# A parser: the activities in one file's bytes. Raises ActivityFileError only.
Parser: TypeAlias = "Callable[[bytes, Limits], list[Activity]]"

GZIP = ".gz"  # any format's file may be gzipped: "a.fit.gz"
ZIP = ".zip"  # exports: folders of activity files (and zips of them), zipped


@dataclass(frozen=True)
class Format:
    """One file format kneecap imports activities from."""

    name: str  # the kind a found file carries: "fit"
    label: str  # how messages name the format: "FIT"
    suffixes: tuple[str, ...]  # lower-case file name endings: (".fit",)
    parser: str  # "module:function", imported on first use
    sniff: Callable[[bytes], bool]  # whether a file's first bytes look like this format
    xml_root: str | None = None  # an XML format's root element (local name)

    def load(self) -> Parser:
        """The format's parser. Raises ActivityFileError if this install lacks it."""
        module_name, _, function = self.parser.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as e:
            if e.name != module_name:
                raise
            raise ActivityFileError(
                f"{self.label} files cannot be imported by this version of kneecap"
            ) from e
        return cast(Parser, getattr(module, function))


# The prolog an XML root may follow: a byte order mark, the declaration, blanks, comments and
# processing instructions (greedy and followed by nothing, so it never backtracks).
_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
_SNIFF_BYTES = 4096


def _fit(data: bytes) -> bool:
    return data[8:12] == b".FIT"  # the signature after the header's size, versions and length


def _xml_root(name: str) -> Callable[[bytes], bool]:
    tag = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?" + re.escape(name.encode()) + rb"[\s/>]")

    def sniff(data: bytes) -> bool:
        head = data[:_SNIFF_BYTES]
        prolog = _PROLOG.match(head)
        return tag.match(head, prolog.end() if prolog else 0) is not None

    return sniff


FORMATS: tuple[Format, ...] = (
    Format("fit", "FIT", (".fit",), "kneecap.importers.fit:parse_fit", _fit),
    Format("gpx", "GPX", (".gpx",), "kneecap.importers.gpx:parse_gpx", _xml_root("gpx"), "gpx"),
    Format(
        "tcx",
        "TCX",
        (".tcx",),
        "kneecap.importers.tcx:parse_tcx",
        _xml_root("TrainingCenterDatabase"),
        "TrainingCenterDatabase",
    ),
)

SUFFIXES: tuple[str, ...] = tuple(s for f in FORMATS for s in f.suffixes)  # (".fit", ...)
LABELS: tuple[str, ...] = tuple(f.label for f in FORMATS)  # ("FIT", "GPX", "TCX")
# What a file input may pick (the web's `accept`): every format, gzipped files and exports.
ACCEPT = ",".join((*SUFFIXES, GZIP, ZIP))


def by_name(name: str) -> Format | None:
    """The format called `name` ("fit"), or None."""
    return next((f for f in FORMATS if f.name == name), None)


def for_file(name: str) -> tuple[Format, bool] | None:
    """The format a file name says, and whether it is gzipped: "a.FIT.gz" → (FIT, True)."""
    lower = name.lower()
    gz = lower.endswith(GZIP)
    if gz:
        lower = lower[: -len(GZIP)]
    for f in FORMATS:
        if lower.endswith(f.suffixes):
            return f, gz
    return None


def is_zip(name: str) -> bool:
    return name.lower().endswith(ZIP)


def sniffed(data: bytes) -> Format | None:
    """The format `data` looks like from its first bytes, or None."""
    return next((f for f in FORMATS if f.sniff(data)), None)


def listed(words: Sequence[str], last: str = "and") -> str:
    """Words as a sentence lists them: ("a", "b", "c") → "a, b and c"."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"
