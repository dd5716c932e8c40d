"""The certificate `kneecap serve --tls` serves with: made on first use, kept in the data folder
(the key readable by its owner only), self-signed, for the names and addresses the app is reached
by: localhost, 127.0.0.1 and ::1, this computer's name and its addresses on the local network,
and the `--host` given. It is made again when one of those is missing from it or it is near its
end; its SHA-256 fingerprint is printed so the runner can compare it with the one the phone shows
before trusting it. `cryptography` is imported here only, when `--tls` is asked for.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path

CERT_FILE = "tls-certificate.pem"
KEY_FILE = "tls-key.pem"
VALID_DAYS = 397  # what browsers accept of a certificate's life
RENEW_BEFORE = dt.timedelta(days=30)
WILDCARDS = ("0.0.0.0", "::")


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path
    fingerprint: str  # SHA-256 of the certificate, "AB:CD:..."
    names: tuple[str, ...]  # every name and address it is valid for
    made: bool  # made now (not the one kept from before)


def _lan_addresses() -> set[str]:
    """This computer's addresses on the networks it is on (no packet is sent)."""
    found: set[str] = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None):
            found.add(str(info[4][0]))
    except OSError:
        pass
    for family, probe in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))  # UDP: only picks the outgoing address
                found.add(str(s.getsockname()[0]))
        except OSError:
            continue
    usable = set()
    for text in found:
        try:
            address = ipaddress.ip_address(text.split("%")[0])
        except ValueError:
            continue
        if not (address.is_unspecified or address.is_link_local or address.is_multicast):
            usable.add(str(address))
    return usable


def wanted_names(host: str) -> tuple[str, ...]:
    """The names and addresses the certificate must be valid for, listening on `host`."""
    names = {"localhost", "127.0.0.1", "::1"}
    hostname = socket.gethostname()
    if hostname:
        names |= {hostname.lower(), hostname.lower().split(".")[0] + ".local"}
    names |= _lan_addresses()
    if host not in WILDCARDS:
        names.add(host.strip("[]").lower())
    return tuple(sorted(names))


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


def fingerprint(pem: bytes) -> str:
    """The SHA-256 fingerprint of a PEM certificate, as browsers show it (AB:CD:...)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    digest = x509.load_pem_x509_certificate(pem).fingerprint(hashes.SHA256())
    return ":".join(f"{b:02X}" for b in digest)


def _covered(pem: bytes, names: tuple[str, ...], now: dt.datetime) -> bool:
    from cryptography import x509

    try:
        cert = x509.load_pem_x509_certificate(pem)
        alt = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (ValueError, x509.ExtensionNotFound):
        return False
    have = {n.lower() for n in alt.get_values_for_type(x509.DNSName)}
    have |= {str(a) for a in alt.get_values_for_type(x509.IPAddress)}
    fresh = cert.not_valid_after_utc - RENEW_BEFORE > now
    return fresh and set(names) <= have


def ensure(folder: Path, host: str, now: dt.datetime) -> Certificate:
    """The certificate in `folder`, made (or made again) when it does not cover the names of
    `host` and this computer, or ends within 30 days."""
    names = wanted_names(host)
    cert_path, key_path = folder / CERT_FILE, folder / KEY_FILE
    if cert_path.exists() and key_path.exists():
        pem = cert_path.read_bytes()
        if _covered(pem, names, now):
            return Certificate(cert_path, key_path, fingerprint(pem), names, made=False)
    pem, key = _make(names, now)
    folder.mkdir(parents=True, exist_ok=True)
    _write(key_path, key, 0o600)
    _write(cert_path, pem, 0o644)
    return Certificate(cert_path, key_path, fingerprint(pem), names, made=True)


def _write(path: Path, data: bytes, mode: int) -> None:
    partial = path.with_name(path.name + ".new")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(partial, mode)
    os.replace(partial, path)


def _make(names: tuple[str, ...], now: dt.datetime) -> tuple[bytes, bytes]:
    """A new key (ECDSA P-256) and a self-signed certificate for `names`, both PEM."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    hostname = next((n for n in names if not _is_address(n) and n != "localhost"), "localhost")
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kneecap on this computer"),
            x509.NameAttribute(NameOID.COMMON_NAME, hostname[:64]),
        ]
    )
    alt: list[x509.GeneralName] = [
        x509.IPAddress(ipaddress.ip_address(n)) if _is_address(n) else x509.DNSName(n)
        for n in names
    ]
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem
