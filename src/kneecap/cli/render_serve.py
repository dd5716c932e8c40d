"""`serve` in the terminal: the warning when the app is reachable from other devices, where it
is running, and the certificates to install and compare. Imported inside the command only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kneecap.cli.common import err, out
from kneecap.web.hosts import is_loopback

if TYPE_CHECKING:
    from kneecap.cli import tls

WILDCARDS = ("0.0.0.0", "::")


def exposure(host: str, allowed_host: list[str] | None) -> None:
    """Warn, on stderr, when the app listens on an address other devices can reach."""
    if not is_loopback(host):
        err.print(
            f"note: listening on {host}, which other devices can reach: every page needs a "
            "login. Use --tls (or a TLS proxy) so passwords never cross the network in clear."
        )
        if host in WILDCARDS and not allowed_host:
            err.print(
                "Only this computer's own addresses are answered: add --allowed-host NAME for "
                "each name or address other devices use to reach it."
            )


def running(host: str, port: int, certificate: tls.Certificate | None) -> None:
    """The address to open (https with a certificate, and the certificates to check)."""
    shown = f"[{host}]" if ":" in host else host
    if certificate is None:
        out.print(f"Kneecap is running at http://{shown}:{port}/  (Ctrl-C to stop)")
        return
    out.print(f"Kneecap is running at https://{shown}:{port}/  (Ctrl-C to stop)", soft_wrap=True)
    announce(certificate)


def announce(certificate: tls.Certificate) -> None:
    """Where the authority to install on the phone is, and the fingerprints to compare."""
    out.print(
        f"Install on your phone: {certificate.authority} (this computer's own certificate "
        f"authority), SHA-256 fingerprint: {certificate.fingerprint}",
        soft_wrap=True,
        highlight=False,
        emoji=False,  # a fingerprint's ":AB:" is not an emoji
        markup=False,
    )
    out.print(
        "Before you trust it on your phone, check that the fingerprint the phone shows is this "
        "one (README: Kneecap on your phone). To try it once without installing it, the "
        f"browser's warning shows the server's certificate: {certificate.server_fingerprint}",
        soft_wrap=True,
        highlight=False,
        emoji=False,
        markup=False,
    )


def made(found: tls.Certificate) -> None:
    """Say, on stderr, which certificates were made just now."""
    if found.authority_made:
        err.print(
            f"A new certificate authority was made ({found.authority}): install it on the "
            "phone (again), after comparing its fingerprint.",
            soft_wrap=True,
        )
    if found.made:
        err.print(
            f"A new certificate was made ({found.cert}), valid for: {', '.join(found.names)}",
            soft_wrap=True,
        )
