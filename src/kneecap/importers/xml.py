"""The one safe way the importers read XML, and the bulk helpers the GPX and TCX parsers share.

Safety. Activity files come from anywhere (a watch, a web export, an e-mail attachment), so the
parser is locked down: no DTD is loaded, no entity is resolved, nothing is fetched from the
network, comments and processing instructions are dropped, and libxml2's own limits on text size
and nesting stay on (`huge_tree=False`). On top of that a document that declares a DTD at all
(`<!DOCTYPE ...>`, which is the only place entities can be declared) is refused before it reaches
the parser, so entity bombs ("billion laughs") and external entities (`file:///etc/passwd`,
`http://...`) are never expanded or fetched, and their targets never appear in any message.
Nesting deeper than `Limits.max_xml_depth` is refused too. Every failure becomes an
`ActivityFileError` whose reason a runner can act on (with the line number for broken XML).

Leniency. Two slips that real exporters make, and that browsers and other GPX readers forgive,
are forgiven here too, without loosening any of the refusals above: blank lines before the XML
declaration (a web export that printed a newline first) are skipped, and extension prefixes
used without being declared (`<gpxdata:hr>` in a file that never binds `gpxdata`, as some
Movescount and phone-app exports write) are bound on the root element and the file is read
again. The byte scan for a DTD runs on exactly the bytes that are parsed.

Speed. A recorded activity is thousands of points with the same few channels, so the parsers do
no per-point Python work in the common case: each channel is pulled out of the parsed tree with
one precompiled XPath returning a flat list of strings (one per point), and that list becomes a
float64 array in one numpy call. Alignment is checked, not assumed: the value path takes at most
one text per point (`ele[1]/text()[1]`), so a list as long as the point count has exactly one
value per point. When some points lack the channel, the points that do have it (asked for in
the same document order, or found from the few values' elements) place the values, leaving NaN
elsewhere. Timestamps, which a device writes in one layout throughout, are read as a grid of
characters with numpy rather than one by one; anything irregular falls back to numpy's ISO 8601
parser, then to a strict per-string one. Parsing drops indentation-only text (half the nodes of
a pretty-printed file), which makes the parse and every later XPath about twice as fast.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import warnings
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from lxml import etree

from kneecap.core.activity import Activity, Array, Totals, empty
from kneecap.core.sport import Sport
from kneecap.importers import formats
from kneecap.importers.errors import ActivityFileError
from kneecap.importers.limits import DEFAULT, MB, Limits

Element = etree._Element
Stamps = npt.NDArray[np.datetime64]  # datetime64[us], NaT where a point has no usable time

DTD_REFUSED = "XML with a DTD or entity declarations is refused"

# The prolog: an optional UTF-8 byte order mark, the XML declaration, blanks, comments and
# processing instructions. What follows it is the DOCTYPE (refused) or the root element.
_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
# The same declaration in the two UTF-16 byte orders, which the byte-level prolog scan cannot
# read; lxml decodes UTF-16 itself, so these are looked for anywhere in the file.
_UTF16_DOCTYPES = ("<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))
_LXML_WHERE = re.compile(r",? line \d+, column \d+$")

# What a wrong root most likely is, to say so in the refusal (besides the registered formats).
_ROOT_HINTS = {
    "kml": "a KML map file, not an activity recording",
    "html": "a web page (HTML), not an exported activity file",  # XHTML: parsed as XML
}

# GPS time starts on 1980-01-06, so no recorded point is older than that; devices write
# 1901-12-13T20:45:52 (the smallest 32-bit Unix time) or the epoch when they have no fix yet.
# The far bound only keeps numpy's calendar arithmetic in range.
EARLIEST = np.datetime64("1980-01-01T00:00:00", "us")
LATEST = np.datetime64("2200-01-01T00:00:00", "us")

_OFFSET = re.compile(r"[+-]\d\d:?\d\d$")
# One timestamp, strictly: date, time, optional fraction, optional zone (Z or an offset).
_STAMP = re.compile(
    r"\s*(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d(?::\d\d)?)(\.\d+)?\s*(Z|z|[+-]\d\d:?\d\d)?\s*"
)
_TIME_CHARS = b"0123456789-:.T"


def parse_xml(data: bytes, root: str, kind: str, limits: Limits = DEFAULT) -> Element:
    """Parse `data` safely and return its root element, which must be named `root`.

    `kind` ("GPX", "TCX") names the format in refusals. Raises ActivityFileError only.
    """
    if not data or data.isspace():
        raise ActivityFileError("the file is empty")
    if len(data) > limits.max_file_bytes:
        raise ActivityFileError(
            f"the file is too large to import ({len(data) // MB} MB; the limit is "
            f"{limits.max_file_bytes // MB} MB)"
        )
    data, skipped_lines = _skip_blanks_before_declaration(data)
    _sniff(data, kind)
    try:
        parser = _parser()
        try:
            top = etree.fromstring(data, parser)
        except etree.XMLSyntaxError:
            # The parser's own log: the exception's may still hold earlier parses' errors.
            prefixes = _undeclared_prefixes(parser.error_log)
            if not prefixes:
                raise
            top = etree.fromstring(_declare(data, prefixes), _parser())
    except etree.XMLSyntaxError as e:
        raise ActivityFileError(_syntax_reason(e, limits, skipped_lines)) from None
    except (ValueError, TypeError) as e:  # lxml refuses some inputs before parsing
        raise ActivityFileError(f"not a readable {kind} file: {e}") from None
    info: Any = top.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:  # a DOCTYPE the byte scan missed
        raise ActivityFileError(DTD_REFUSED)
    if _too_deep(top, limits.max_xml_depth):
        raise ActivityFileError(f"the XML is nested more than {limits.max_xml_depth} levels deep")
    name = etree.QName(top).localname
    if name != root:
        hint = _root_hint(name)
        what = f" — it looks like {hint}" if hint else ""
        raise ActivityFileError(
            f"not a {kind} file: its root element is <{name}>, not <{root}>{what}"
        )
    return top


def _parser() -> etree.XMLParser:
    """A new locked-down parser (lxml parsers must not be shared by threads)."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        # Indentation between elements becomes no node at all (see the module's docstring).
        remove_blank_text=True,
        collect_ids=False,
        recover=False,
    )


_BLANKS_THEN_DECLARATION = re.compile(rb"(\xef\xbb\xbf)?([ \t\r\n]+)<\?xml[ \t\r\n]")


def _skip_blanks_before_declaration(data: bytes) -> tuple[bytes, int]:
    """`data` without the blanks before its XML declaration (which XML allows only as the very
    first thing), and how many lines were skipped, so broken-XML line numbers stay the file's."""
    found = _BLANKS_THEN_DECLARATION.match(data)
    if found is None:
        return data, 0
    bom = found.group(1) or b""
    return bom + data[found.end(2) :], found.group(2).count(b"\n")


# The URIs of the extension prefixes that real files use undeclared; any other prefix is bound
# to a placeholder URI (channels are found by local name, whatever the namespace).
KNOWN_PREFIXES = {
    "gpxdata": "http://www.cluetrust.com/XML/GPXDATA/1/0",
    "gpxtpx": "http://www.garmin.com/xmlschemas/TrackPointExtension/v1",
    "gpxx": "http://www.garmin.com/xmlschemas/GpxExtensions/v3",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
MAX_UNDECLARED = 20  # more than this many unbound prefixes is not a slip
_UNDECLARED = re.compile(r"Namespace prefix ([A-Za-z_][A-Za-z0-9_.-]*) (?:on|for) ")
_ROOT_TAG = re.compile(rb"<[A-Za-z_][A-Za-z0-9_.:-]*")


def _undeclared_prefixes(log: Any) -> list[str]:
    """The prefixes libxml2 found used but never declared, if those are the only errors."""
    prefixes: list[str] = []
    for entry in cast(Sequence[Any], log):  # (the stubs miss its __iter__)
        if entry.type_name != "NS_ERR_UNDEFINED_NAMESPACE":
            return []  # something else is broken too: report that
        found = _UNDECLARED.match(entry.message)
        if found is None:
            return []
        if found.group(1) not in prefixes:
            prefixes.append(found.group(1))
    return prefixes if len(prefixes) <= MAX_UNDECLARED else []


def _declare(data: bytes, prefixes: list[str]) -> bytes:
    """`data` with `prefixes` declared on its root element (an 8-bit encoding's bytes; UTF-16
    files are left as they are, and fail again with the same reason)."""
    start = _PROLOG.match(data)
    at = start.end() if start else 0
    tag = _ROOT_TAG.match(data, at)
    if tag is None:
        return data
    declarations = "".join(
        f' xmlns:{p}="{KNOWN_PREFIXES.get(p, f"urn:kneecap:undeclared:{p}")}"' for p in prefixes
    )
    return data[: tag.end()] + declarations.encode("ascii") + data[tag.end() :]


# A web page saved instead of the export (Strava's and Garmin Connect's activity pages).
_WEB_PAGE = " — it is a web page (HTML), not an exported activity file"


def _sniff(data: bytes, kind: str) -> None:
    """Refuse, before parsing, what must never reach the parser or is plainly not XML."""
    start = _PROLOG.match(data)
    at = start.end() if start else 0
    head = data[at : at + 16]  # (a slice, not a copy of the file)
    if head[:9].upper() == b"<!DOCTYPE":
        if head[9:15].strip().lower().startswith(b"html"):
            raise ActivityFileError(f"not a {kind} file: it starts <!DOCTYPE html>{_WEB_PAGE}")
        raise ActivityFileError(DTD_REFUSED)
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")  # a BOM, or "<" in it
    if utf16 and any(d in data for d in _UTF16_DOCTYPES):
        raise ActivityFileError(DTD_REFUSED)
    if head[:5].lower() == b"<html":
        raise ActivityFileError(f"not a {kind} file: its root element is <html>{_WEB_PAGE}")
    if head[:1] == b"<" or utf16:
        return  # looks like XML (UTF-16 is left to lxml, which reads it)
    for other in formats.FORMATS:  # a file of another format under this one's name
        if other.label != kind and other.sniff(data):
            raise ActivityFileError(f"not a {kind} file: it is a {other.label} file")
    if data[:2] == b"\x1f\x8b" or data[:4] == b"PK\x03\x04":
        raise ActivityFileError(f"not a {kind} file: it is compressed (gzip or zip)")
    raise ActivityFileError(f"not a {kind} file: it is not XML (it does not start with '<')")


def _root_hint(name: str) -> str | None:
    """What a document whose root element is `name` most likely is, or None."""
    for f in formats.FORMATS:
        if f.xml_root == name:
            return f"a {f.label} file"
    return _ROOT_HINTS.get(name)


def _syntax_reason(e: etree.XMLSyntaxError, limits: Limits, skipped_lines: int = 0) -> str:
    msg = _LXML_WHERE.sub("", (e.msg or "").strip().splitlines()[0] if e.msg else "")
    if "Excessive depth" in msg:
        return f"the XML is nested more than {limits.max_xml_depth} levels deep"
    if "amplification" in msg:  # libxml2's own entity-bomb guard (a DTD the scan missed)
        return DTD_REFUSED
    line = (e.lineno or (e.position[0] if e.position else 0)) + skipped_lines
    return f"broken XML at line {line}: {msg or 'unreadable'}"


@functools.lru_cache(maxsize=8)
def _deeper_than(depth: int) -> etree.XPath:
    # An element at depth `depth` + 1 exists iff this path matches; libxml2 walks it level by
    # level, touching each element once, so it costs a few percent of the parse.
    return etree.XPath("boolean(" + "/*" * (depth + 1) + ")")


def _too_deep(top: Element, depth: int) -> bool:
    return bool(_deeper_than(depth)(top))


@functools.lru_cache(maxsize=256)
def xpath(expr: str, namespaces: tuple[tuple[str, str], ...] = ()) -> etree.XPath:
    """A compiled XPath returning plain strings (not lxml's "smart" strings), cached."""
    return etree.XPath(expr, namespaces=dict(namespaces), smart_strings=False)


Namespaces = tuple[tuple[str, str], ...]
_TEXT = "/text()[1]"


def mentions(top: Element, name: str) -> bool:
    """Whether any element under `top` has the local name `name`, any namespace. lxml stops at
    the first match, and answers a name it has never met from its name dictionary without
    walking at all; at worst it walks the tree once in C, still cheaper than an XPath pass
    over every point that finds nothing."""
    return next(top.iter(f"{{*}}{name}"), None) is not None


class Points:
    """The track points found at `path` under `context`, read one channel at a time.

    `path` and every relative channel path are XPath with prefixes bound in `namespaces` (plus
    any a channel brings). A channel path must select at most one node per point (`[1]` steps
    ending in `text()[1]`, or an attribute), which is what makes a full-length result aligned.
    """

    def __init__(self, context: Element, path: str, namespaces: Namespaces) -> None:
        self.context = context
        self.path = path
        self.namespaces = namespaces
        self.n = int(cast(float, xpath(f"count({path})", namespaces)(context)))
        self._index: dict[Element, int] | None = None

    def texts(self, rel: str, extra: Namespaces = ()) -> tuple[list[str], list[int] | None]:
        """The channel's strings, and None if there is one per point, else their positions."""
        ns = self.namespaces + extra
        found = cast(list[str], xpath(f"{self.path}/{rel}", ns)(self.context))
        if len(found) == self.n or not found:
            return found, None
        # Some points lack the channel. When most do, walk up from the few values' elements
        # to their points; otherwise ask for the points that have it (one more pass in C),
        # which come in the same document order as the values.
        if rel.endswith(_TEXT) and 3 * len(found) < self.n:
            steps = rel[: -len(_TEXT)]
            leaves = cast(list[Element], xpath(f"{self.path}/{steps}[text()]", ns)(self.context))
            owners = leaves
            for _ in range(steps.count("/") + 1):
                owners = [cast(Element, e.getparent()) for e in owners]
            found = [e.text or "" for e in leaves]
        else:
            owners = cast(list[Element], xpath(f"{self.path}[{rel}]", ns)(self.context))
        index = self._positions()
        return found, [index[p] for p in owners]

    def _positions(self) -> dict[Element, int]:
        if self._index is None:
            every = cast(list[Element], xpath(self.path, self.namespaces)(self.context))
            self._index = {p: i for i, p in enumerate(every)}
        return self._index

    def floats(self, rel: str, extra: Namespaces = ()) -> tuple[Array, int]:
        """The channel as float64 with NaN where missing, and how many values were unreadable."""
        found, where = self.texts(rel, extra)
        if not found:
            return empty(self.n), 0
        values, bad = floats(found)
        if where is None:
            return values, bad
        out = empty(self.n)
        out[where] = values
        return out, bad

    def stamps(self, rel: str) -> tuple[Stamps, int, int]:
        """The channel as UTC datetime64[us] (NaT where missing or unusable), the number of
        times without a zone (read as UTC), and the number of unreadable or impossible ones."""
        found, where = self.texts(rel)
        out = np.full(self.n, np.datetime64("NaT"), dtype="datetime64[us]")
        if not found:
            return out, 0, 0
        values, naive, bad = parse_times(found)
        if where is None:
            return values, naive, bad
        out[where] = values
        return out, naive, bad


def find_channel(top: Element, point: str, names: Sequence[str]) -> tuple[str, Namespaces] | None:
    """Where a vendor channel sits under each point, as a relative XPath and its namespaces.

    Extensions carry the same value under many prefixes and schema versions (gpxtpx:hr, ns3:hr,
    TrackPointExtension v1 or v2, gpxdata:cadence), so the first element under a point whose
    local name is one of `names` shows the path; the channel is then read in bulk along it.
    `point` is the point element's tag in Clark notation ("{ns}trkpt"). lxml stops at the
    first match, and a name never seen at all is answered without walking the tree.
    """
    for found in top.iter(*(f"{{*}}{name}" for name in names)):
        steps: list[str] = []
        node: Element | None = found
        while node is not None and node.tag != point:
            steps.append(str(node.tag))
            node = node.getparent()
        if node is None or not steps:
            continue  # not inside a point (a waypoint's, a lap's or the metadata's)
        prefixes: dict[str, str] = {}
        parts = []
        for tag in reversed(steps):
            q = etree.QName(tag)
            if not _NAME.fullmatch(q.localname):
                return None  # a name XPath cannot spell plainly: leave the channel out
            if q.namespace is None:
                parts.append(f"{q.localname}[1]")
            else:
                prefix = prefixes.setdefault(q.namespace, f"x{len(prefixes)}")
                parts.append(f"{prefix}:{q.localname}[1]")
        rel = "/".join(parts) + _TEXT
        return rel, tuple((p, uri) for uri, p in prefixes.items())
    return None


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def floats(texts: Sequence[str]) -> tuple[Array, int]:
    """Decimal strings to float64 in one numpy call; unreadable or infinite values become NaN."""
    try:
        values = np.array(texts, dtype=np.float64)
        bad = 0
    except (ValueError, OverflowError):
        values = np.empty(len(texts), dtype=np.float64)
        bad = 0
        for i, t in enumerate(texts):
            try:
                values[i] = float(t)
            except (ValueError, OverflowError):
                values[i] = np.nan
                bad += 1
    infinite = np.isinf(values)
    if infinite.any():
        values[infinite] = np.nan
        bad += int(infinite.sum())
    return values, bad


def parse_times(texts: Sequence[str]) -> tuple[Stamps, int, int]:
    """ISO 8601 strings to UTC datetime64[us]: (stamps, naive count, unusable count).

    Devices write every time of a file in one layout ("2014-12-26T10:00:39.000Z"), so the
    fastest path reads them as a grid of characters, column by column (`_fixed_times`). Next
    come times with a shared zone suffix but varying width (fractions of varying length):
    strip the suffix, let numpy parse the lot, shift by the offset. Anything else goes through
    `_one_time` string by string. Times before GPS existed (1980) are placeholders written
    without a fix and count as unusable, as do impossible ones.
    """
    n = len(texts)
    if n == 0:
        return np.empty(0, dtype="datetime64[us]"), 0, 0
    naive = 0
    stamps: Stamps | None
    fixed = _fixed_times(texts)
    if fixed is not None:
        stamps, zoned = fixed
        naive = 0 if zoned else n
    else:
        stamps = _bulk_times(texts)
    if stamps is None:
        stamps = np.empty(n, dtype="datetime64[us]")
        for i, t in enumerate(texts):
            stamps[i], zoned = _one_time(t)
            naive += not zoned
    usable = (stamps >= EARLIEST) & (stamps < LATEST)  # NaT compares False
    bad = n - int(usable.sum())
    if bad:
        stamps[~usable] = np.datetime64("NaT")
    return stamps, naive, bad


_LAYOUT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.(\d{1,12}))?(Z|[+-]\d\d:\d\d)?")


def _fixed_times(texts: Sequence[str]) -> tuple[Stamps, bool] | None:
    """Times that all share the first one's layout, read as an n x width grid of bytes, or
    None if they do not (then the slower paths decide). Returns the stamps and whether the
    times carried a zone.

    Every row must have the first row's punctuation and zone, and digits where it has digits;
    one small matrix product then turns the digit columns into numbers (exactly: integers far
    below 2**53). A recording spans a day or a few, so each run of equal dates is checked and
    counted in days by the standard library once, not once per point.
    """
    first = texts[0]
    layout = _LAYOUT.fullmatch(first)
    if layout is None:
        return None
    n, width = len(texts), len(first)
    joined = "".join(texts)
    if len(joined) != n * width or not joined.isascii():
        return None
    grid = np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(n, width)
    places = len(layout.group(1) or "")
    digit = _digit_columns(width, places)
    if not (grid[:, ~digit] == grid[0, ~digit]).all():
        return None
    values = grid[:, digit]
    if ((values - 48) > 9).any():  # uint8 arithmetic: anything below "0" wraps round too
        return None
    # minutes and seconds tens digits (columns 10 and 12 of the digits) must be 0-5
    if values[:, 10].max() > ord("5") or values[:, 12].max() > ord("5"):
        return None
    weights = _weights(places)
    numbers = values.astype(np.float64) @ weights - 48 * weights.sum(axis=0)
    date, of_day, hours = numbers[:, 0], numbers[:, 1], numbers[:, 2]
    if hours.max() > 23:
        return None
    if (date == date[0]).all():
        starts, firsts = np.zeros(1, dtype=np.intp), date[:1]
    else:
        starts = np.flatnonzero(date[1:] != date[:-1]) + 1
        starts = np.concatenate((np.zeros(1, dtype=np.intp), starts))
        if len(starts) > 1000:
            return None  # not a recording: leave it to the general paths
        firsts = date[starts]
    days = []
    for d in firsts.astype(np.int64).tolist():
        try:
            days.append(dt.date(d // 10000, d // 100 % 100, d % 100).toordinal() - _EPOCH_DAY)
        except ValueError:
            return None  # 30 February and the like
    day_seconds = np.repeat(np.array(days, dtype=np.float64) * 86400, np.diff(starts, append=n))
    micros_f = (day_seconds + of_day) * 1e6  # below 2**53 until the year 2255: exact
    if places:
        fraction = numbers[:, 3]
        micros_f += (
            fraction * 10 ** (6 - places)
            if places <= 6
            else np.floor(fraction / 10 ** (places - 6))
        )
    micros = micros_f.astype(np.int64)
    stamps = micros.view("datetime64[us]")
    zone = layout.group(2)
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        stamps = stamps - np.timedelta64(sign * (int(zone[1:3]) * 60 + int(zone[4:6])), "m")
    return stamps, zone is not None


_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()


@functools.lru_cache(maxsize=64)
def _digit_columns(width: int, places: int) -> npt.NDArray[np.bool_]:
    """Where "YYYY-MM-DDTHH:MM:SS.fff..." has digits, for a string `width` long."""
    digit = np.zeros(width, dtype=bool)
    digit[[0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]] = True
    digit[20 : 20 + places] = True
    return digit


@functools.lru_cache(maxsize=16)
def _weights(places: int) -> npt.NDArray[np.float64]:
    """Digit columns to (YYYYMMDD, seconds of the day, hours, fraction) by one matrix product."""
    w = np.zeros((14 + places, 4))
    w[:8, 0] = 10.0 ** np.arange(7, -1, -1)
    w[8:14, 1] = (36000, 3600, 600, 60, 10, 1)
    w[8:10, 2] = (10, 1)
    w[14:, 3] = 10.0 ** np.arange(places - 1, -1, -1)
    return w


def _bulk_times(texts: Sequence[str]) -> Stamps | None:
    first = texts[0].strip()
    if first.endswith(("Z", "z")):
        suffix, shift = first[-1], 0
    else:
        m = _OFFSET.search(first)
        if m is None:
            return None
        suffix = m.group()
        sign = -1 if suffix[0] == "-" else 1
        digits = suffix[1:].replace(":", "")
        shift = sign * (int(digits[:2]) * 60 + int(digits[2:]))
    cut = len(suffix)
    bare = [t[:-cut] for t in texts if t.endswith(suffix)]
    if len(bare) != len(texts):
        return None
    # numpy's parser also accepts words ("now", "today", "NaT"); only digits and ISO
    # punctuation may reach it, so no reading of the clock can slip in.
    try:
        joined = "".join(bare).encode("ascii")
    except UnicodeEncodeError:
        return None
    if joined.translate(None, _TIME_CHARS):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            stamps = np.array(bare, dtype="datetime64[us]")
        except (ValueError, Warning):
            return None
    if shift:
        stamps = stamps - np.timedelta64(shift, "m")
    return stamps


def _one_time(text: str) -> tuple[np.datetime64, bool]:
    """One ISO 8601 time as UTC datetime64[us] (NaT if unreadable), and whether it had a zone."""
    m = _STAMP.fullmatch(text)
    if m is None:
        return np.datetime64("NaT"), True
    date, clock, fraction, zone = m.groups()
    if len(clock) == 5:
        clock += ":00"
    try:
        value = dt.datetime.fromisoformat(f"{date}T{clock}{(fraction or '')[:7]}")
        if zone and zone not in ("Z", "z"):
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            value -= sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    except (ValueError, OverflowError):  # 30 February, 25 o'clock, before the year 1
        return np.datetime64("NaT"), True
    return np.datetime64(value, "us"), zone is not None


# --- Shared by both parsers: the sport a file names, and the finished Activity. ---------------

# Strava writes its activity type as a number in GPX <type> (from its own ActivityType list).
_STRAVA_TYPES: dict[str, tuple[Sport, str | None]] = {
    "1": (Sport.CYCLING, None),
    "4": (Sport.HIKING, None),
    "9": (Sport.RUNNING, None),
    "10": (Sport.WALKING, None),
    "16": (Sport.SWIMMING, None),
    "17": (Sport.CYCLING, "virtual"),
    "18": (Sport.CYCLING, "e_bike"),
    "19": (Sport.CYCLING, None),
    "23": (Sport.ROWING, None),
    "53": (Sport.RUNNING, "virtual"),
    # the rest of Strava's list (skiing, skating, paddling, gym work...) is none of ours
    **{str(i): (Sport.OTHER, None) for i in (2, 3, 5, 6, 7, 8, *range(11, 16))},
    **{str(i): (Sport.OTHER, None) for i in (*range(20, 23), *range(24, 32), 51, 52)},
}
# Word stems, tried in order, for the names apps write ("running", "Run", "trail_running",
# "road_biking", "Ride", "open_water_swimming"...). Sports kneecap does not model are OTHER.
_SPORT_STEMS: tuple[tuple[tuple[str, ...], Sport], ...] = (
    (("swim",), Sport.SWIMMING),
    (("run", "jog"), Sport.RUNNING),
    (("hik", "trek"), Sport.HIKING),
    (("walk",), Sport.WALKING),
    (("cycl", "bik", "ride"), Sport.CYCLING),
    (("rowing", "rower"), Sport.ROWING),
    (
        ("ski", "skat", "board", "snowshoe", "paddl", "kayak", "canoe", "surf", "sail", "yoga",
         "elliptical", "climb", "stair", "workout", "fitness", "strength", "weight", "crossfit",
         "golf", "tennis", "wheelchair", "handcycle", "multisport", "triathlon", "transition"),
        Sport.OTHER,
    ),
)  # fmt: skip
_SUB_SPORTS = ("treadmill", "trail", "track", "virtual", "indoor")


def sport_from_words(text: str | None) -> tuple[Sport, str | None] | None:
    """The sport a file's own label names (GPX <type>, TCX Sport), or None if it names none."""
    if not text or not text.strip():
        return None
    label = text.strip()
    if label in _STRAVA_TYPES:
        return _STRAVA_TYPES[label]
    word = "".join(c for c in label.lower() if c.isalpha())
    sub = next((s for s in _SUB_SPORTS if s in word), None)
    for stems, sport in _SPORT_STEMS:
        if any(stem in word for stem in stems):
            return sport, sub
    return None


def assemble(
    *,
    sport: Sport,
    sub_sport: str | None,
    stamps: Stamps,
    channels: dict[str, Array],
    source: str,
    totals: Totals | None,
    warnings: list[str],
) -> Activity:
    """The Activity for points with usable times: in time order, timed from the first point.

    A stable sort keeps the file's order among equal times; points out of order (a device that
    logged late fixes, tracks written out of sequence) are put in order and said so.
    """
    if len(stamps) > 1 and (stamps[1:] < stamps[:-1]).any():
        late = int((stamps < np.maximum.accumulate(stamps)).sum())
        order = np.argsort(stamps, kind="stable")
        stamps = stamps[order]
        channels = {name: values[order] for name, values in channels.items()}
        warnings.append(f"points out of time order were put back in order ({late})")
    micros = stamps.astype(np.int64)
    time_s = (micros - micros[0]).astype(np.float64) / 1e6
    start = UNIX_EPOCH + dt.timedelta(microseconds=int(micros[0]))
    n = len(stamps)
    return Activity(
        sport=sport,
        start=start,
        time_s=time_s,
        distance_m=channels.get("distance_m", empty(n)),
        lat=channels.get("lat", empty(n)),
        lon=channels.get("lon", empty(n)),
        altitude_m=channels.get("altitude_m", empty(n)),
        heart_rate=channels.get("heart_rate", empty(n)),
        cadence_spm=channels.get("cadence_spm", empty(n)),
        speed_mps=channels.get("speed_mps", empty(n)),
        source=source,
        sub_sport=sub_sport,
        totals=totals or Totals(),
        warnings=tuple(warnings),
    )


UNIX_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def quality_notes(naive: int, unreadable: int, impossible: int) -> list[str]:
    """The warnings both parsers give about values read as UTC or left blank (counts last, as
    the FIT importer words its warnings)."""
    notes = []
    if naive:
        notes.append(f"times without a time zone were read as UTC ({naive})")
    if unreadable:
        notes.append(f"unreadable values were left blank ({unreadable})")
    if impossible:
        notes.append(
            f"points with impossible coordinates were left without a position ({impossible})"
        )
    return notes


def valid_positions(lat: Array, lon: Array) -> int:
    """Blank (NaN) both coordinates of any point where either is missing or impossible, in
    place; return how many points had a value that was impossible."""
    wrong = (np.abs(lat) > 90) | (np.abs(lon) > 180)
    partial = np.isnan(lat) != np.isnan(lon)
    blank = wrong | partial
    if blank.any():
        lat[blank] = np.nan
        lon[blank] = np.nan
    return int(wrong.sum())
