"""Size limits for imported files, one place for all of them (documented in docs/import.md)."""

from __future__ import annotations

MB = 1024 * 1024

MAX_FILE_BYTES = 128 * MB  # one activity file after decompression (a 24 h GPX is ~40 MB)
MAX_RATIO = 100  # decompressed : compressed; real GPX 5-22:1, FIT 1-2.4:1, bombs ~1000:1
RATIO_FREE_BYTES = 1 * MB  # below this, any ratio is accepted (tiny files compress oddly)
MAX_ZIP_ENTRIES = 100_000
MAX_XML_DEPTH = 64  # GPX/TCX nest about 8 deep
