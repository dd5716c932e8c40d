"""Reading a file, a zip entry or a gzip stream in chunks, under the size and ratio limits.

Every decompression layer (a zip entry, a gzip stream, a gzip inside a zip entry) counts the
bytes it took in and the bytes it gave out, and stops as soon as the output passes its cap or,
once past `Limits.ratio_free_bytes`, grows more than `Limits.max_ratio` times the input. These
streaming counts are what bound the memory: a bomb is refused after a few megabytes whatever
its headers claim.
"""

from __future__ import annotations

import gzip
import io
import lzma
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import IO, Protocol

from kneecap.importers.errors import ActivityFileError
from kneecap.importers.found import size
from kneecap.importers.limits import Limits

CHUNK = 64 * 1024  # read size per step: small enough that a bomb is caught within one chunk

TRUNCATED_GZIP = (
    "the gzip file is truncated (it ends before its end marker): copy or download it again"
)
TOO_BIG = "decompresses to more than {cap}, the most kneecap reads for {what}"

# What reading a damaged or unsupported archive entry or gzip stream can raise. Each layer turns
# these into an ActivityFileError with a reason a runner can act on.
READ_ERRORS = (
    OSError,  # includes gzip.BadGzipFile and disk errors
    EOFError,
    zlib.error,
    lzma.LZMAError,
    zipfile.BadZipFile,
    RuntimeError,  # zipfile: an encrypted entry
    NotImplementedError,  # zipfile: a compression method it cannot read
    struct.error,
)


class _Readable(Protocol):
    def read(self, n: int = -1, /) -> bytes: ...


class Layer:
    """One stage of reading (a file, a zip entry, a gzip stream): counts what it gives out,
    refuses to give more than `cap` or more than `limits.max_ratio` times its input, and turns
    the stage's own exceptions into ActivityFileError via `describe`.

    `taken_in` reports the compressed bytes read so far from the stage below; None for a plain
    file, which has no ratio.
    """

    def __init__(
        self,
        raw: _Readable,
        describe: Callable[[Exception], str],
        limits: Limits,
        taken_in: Callable[[], int] | None = None,
        cap: int | None = None,
        what: str = "one activity file",
    ) -> None:
        self.raw = raw
        self.describe = describe
        self.limits = limits
        self.taken_in = taken_in
        self.cap = cap
        self.what = what
        self.count = 0

    def read(self, n: int = -1, /) -> bytes:
        if n < 0:
            n = CHUNK  # never an unbounded read: gzip only asks for sizes, but be certain
        try:
            data = self.raw.read(n)
        except ActivityFileError:
            raise  # a refusal from the layer below passes through unchanged
        except READ_ERRORS as e:
            raise ActivityFileError(self.describe(e)) from e
        self.count += len(data)
        if self.cap is not None and self.count > self.cap:
            raise ActivityFileError(TOO_BIG.format(cap=size(self.cap), what=self.what))
        if self.taken_in is not None:
            out, taken = self.count, self.taken_in()
            if out > self.limits.ratio_free_bytes and out > self.limits.max_ratio * taken:
                raise ActivityFileError(bomb(self.limits, out, taken))
        return data

    def seek(self, offset: int, /) -> int:
        # gzip only seeks to rewind, which reading straight through never asks for.
        raise io.UnsupportedOperation("a decompression stage reads forward only")

    def __enter__(self) -> Layer:
        return self

    def __exit__(self, *exc: object) -> None:
        # Closes this stage only (a gzip reader, a zip entry); files below are closed by
        # whoever opened them.
        close = getattr(self.raw, "close", None)
        if close is not None:
            close()


def bomb(limits: Limits, out: int, taken: int, said: str = "{out} so far from {taken}") -> str:
    sizes = said.format(out=size(out), taken=size(taken))
    return f"compression ratio above {limits.max_ratio}:1 ({sizes}): refused as a possible zip bomb"


def gunzip(compressed: Layer) -> Layer:
    """A gzip layer over `compressed`, with the size and ratio limits of `compressed`."""
    stream = gzip.GzipFile(fileobj=compressed, mode="rb")
    limits = compressed.limits
    return Layer(stream, _gzip_reason, limits, lambda: compressed.count, limits.max_file_bytes)


def _gzip_reason(e: Exception) -> str:
    if isinstance(e, EOFError):
        return TRUNCATED_GZIP
    if isinstance(e, gzip.BadGzipFile) and str(e).startswith("Not a gzipped file"):
        return "not a gzip file, though its name ends in .gz"
    return f"the gzip file is corrupt ({e})"


def read_all(layer: Layer, sink: IO[bytes] | None = None) -> bytes:
    """Everything `layer` gives, into `sink` (returning b"") or into memory (returning it)."""
    if sink is not None:
        _copy(layer, sink)
        return b""
    buffer = io.BytesIO()
    _copy(layer, buffer)
    # BytesIO hands over its buffer without a copy, so a 100 MB file is not held twice.
    return buffer.getvalue()


def _copy(layer: Layer, sink: IO[bytes]) -> None:
    with layer:
        while chunk := layer.read(CHUNK):
            sink.write(chunk)
