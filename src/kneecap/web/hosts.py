"""Which `Host` a request may name: the defence against DNS rebinding.

A page on any site can point its own name at 127.0.0.1 (DNS rebinding) and then talk to a
local server as if it were its own origin: same-origin reads, and writes with a token read from
a page it was served. The browser still sends the page's name in `Host`, so a server that
answers only the names it is meant for is out of reach. Loopback names and addresses are
always accepted (no outside page can make a browser send them); any other name must be
configured (`kneecap serve --allowed-host NAME`). Standard library only: the CLI imports it.
"""

from __future__ import annotations

import ipaddress
import re

LOOPBACK_NAMES = frozenset({"localhost"})
# A host, optionally bracketed (IPv6), and an optional port; nothing else may be in the header.
_HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?")


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or address, IPv6 with or without brackets) is this machine."""
    name = host.strip("[]").lower().removesuffix(".")
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def normal(host: str) -> str:
    """A host name as compared: lower case, brackets and a final dot dropped."""
    return host.strip().strip("[]").lower().removesuffix(".")


def name_in(header: str | None) -> str | None:
    """The host named by a `Host` header without its port, or None when it is malformed."""
    if not header:
        return None
    found = _HOST.fullmatch(header.strip())
    if found is None:
        return None
    return normal(found.group(1))


def valid_name(text: str) -> str | None:
    """`text` as an allowed-host entry (normal form), or None if it is not a bare host name or
    address (a port, a scheme or a path are not part of a host)."""
    bare = normal(text)
    try:
        ipaddress.ip_address(bare)
        return bare
    except ValueError:
        pass
    return bare if bare and name_in(bare) == bare else None


def refusal(header: str | None, allowed: frozenset[str]) -> str | None:
    """Why a request naming `header` is refused, or None when its host is one of ours.
    `allowed` holds normal() names."""
    name = name_in(header)
    if name is None:
        return "the request names no valid host"
    if is_loopback(name) or name in allowed:
        return None
    shown = name[:60]
    return (
        f"this server does not answer for '{shown}': only for this computer's own addresses"
        " and the names given with `kneecap serve --allowed-host`"
    )
