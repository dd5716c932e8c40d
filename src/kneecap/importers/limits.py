"""Size limits for imported files, one value for all of them (documented in docs/running.md).

A `Limits` is passed into the walking and parsing functions (`iter_sources`, `parse`, each
parser), which default to `DEFAULT`: nothing reads a setting or a global on the way, so a
caller (a test, a server with less memory) lowers a limit by passing its own value.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one import reads at most. Every field is a positive whole number."""

    max_file_bytes: int = 128 * MB  # one activity file after decompression (24 h GPX: ~40 MB)
    max_ratio: int = 100  # decompressed : compressed; real GPX 5-22:1, FIT 1-2.4:1, bombs ~1000:1
    ratio_free_bytes: int = 1 * MB  # below this, any ratio is accepted (tiny files compress oddly)
    max_zip_entries: int = 100_000
    max_xml_depth: int = 64  # GPX/TCX nest about 8 deep (libxml2 itself stops at 256)
    nested_zip_files: int = 8  # a zip inside a zip may be this many times `max_file_bytes`

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"Limits.{f.name} must be a positive integer, not {value!r}")

    @property
    def max_nested_zip_bytes(self) -> int:
        """The most a zip inside a zip may hold (a Garmin export's parts)."""
        return self.nested_zip_files * self.max_file_bytes


DEFAULT = Limits()
