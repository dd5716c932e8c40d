"""The certificates `kneecap serve --tls` serves with, made on first use and kept in the data
folder (keys readable by their owner only):

- a certificate authority of this computer's own (`tls-authority.pem`), the one file the runner
  installs on the phone, after comparing its SHA-256 fingerprint with the one printed. Phones
  trust a certificate fully (as a service worker needs) only through an authority: an iPhone
  offers full trust to authorities alone. It is name-constrained: it can vouch only for
  `localhost`, `*.local`, this computer's name and addresses on private networks (and any
  other name or address `--host` gave when it was made), so its key could never impersonate a
  real site to the phone. It lasts 5 years; made again (and installed again) only when a name
  it cannot vouch for is asked;
- the server's certificate, signed by it, for the names and addresses the app is reached by:
  localhost, 127.0.0.1 and ::1, this computer's name and its addresses on the local network,
  and the `--host` given; made again when one of those is missing or it nears its end.

`cryptography` is imported here only, when `--tls` is asked for.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

AUTHORITY_FILE = "tls-authority.pem"
AUTHORITY_KEY_FILE = "tls-authority-key.pem"
CERT_FILE = "tls-certificate.pem"  # the server's certificate, then the authority's (the chain)
KEY_FILE = "tls-key.pem"
VALID_DAYS = 397  # what browsers accept of a server certificate's life
AUTHORITY_DAYS = 5 * 365
RENEW_BEFORE = dt.timedelta(days=30)
WILDCARDS = ("0.0.0.0", "::")
# What the authority may vouch for besides the names asked when it is made: local names, and
# addresses on loopback and private networks (a new address at home needs no new authority).
LOCAL_NAMES = ("localhost", "local")
PRIVATE_NETWORKS = (
    "127.0.0.0/8",
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "::1/128",
    "fc00::/7",
)


@dataclass(frozen=True)
class Certificate:
    cert: Path  # the server's certificate and the authority's, PEM
    key: Path
    authority: Path  # the file to install on the phone
    fingerprint: str  # SHA-256 of the authority's certificate, "AB:CD:..."
    server_fingerprint: str  # SHA-256 of the server's (what a browser's warning shows)
    names: tuple[str, ...]  # every name and address the server's certificate is valid for
    made: bool  # the server's certificate was made now (not the one kept from before)
    authority_made: bool  # the authority was made now: the phone must install it (again)


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
    """The SHA-256 fingerprint of a PEM certificate (the first in the file), as browsers and
    phones show it (AB:CD:...)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    digest = x509.load_pem_x509_certificate(pem).fingerprint(hashes.SHA256())
    return ":".join(f"{b:02X}" for b in digest)


def ensure(folder: Path, host: str, now: dt.datetime) -> Certificate:
    """The authority and the server's certificate in `folder`: each kept while it still covers
    the names of `host` and this computer and is not near its end, else made (again)."""
    names = wanted_names(host)
    folder.mkdir(parents=True, exist_ok=True)
    authority_made = False
    authority = _load(folder / AUTHORITY_FILE, folder / AUTHORITY_KEY_FILE)
    if authority is None or not _vouches(authority[0], names, now):
        authority = _make_authority(names, now)
        _write(folder / AUTHORITY_KEY_FILE, _key_pem(authority[1]), 0o600)
        _write(folder / AUTHORITY_FILE, _cert_pem(authority[0]), 0o644)
        authority_made = True
    ca_cert, ca_key = authority
    ca_pem = _cert_pem(ca_cert)
    cert_path, key_path = folder / CERT_FILE, folder / KEY_FILE
    server = _load(cert_path, key_path)
    made = server is None or not _serves(server[0], ca_cert, names, now)
    if made:
        cert, key = _make_server(names, ca_cert, ca_key, now)
        _write(key_path, _key_pem(key), 0o600)
        _write(cert_path, _cert_pem(cert) + ca_pem, 0o644)
    return Certificate(
        cert_path,
        key_path,
        folder / AUTHORITY_FILE,
        fingerprint(ca_pem),
        fingerprint(cert_path.read_bytes()),
        names,
        made=made,
        authority_made=authority_made,
    )


def _load(cert_path: Path, key_path: Path) -> tuple[Any, Any] | None:
    """A certificate and its private key kept in the data folder; None when either is missing
    or unreadable (it is made again)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        return None
    return cert, key


def _vouches(ca: Any, names: tuple[str, ...], now: dt.datetime) -> bool:
    """Is the authority fresh, and may it vouch for every one of `names`?"""
    from cryptography import x509

    if ca.not_valid_after_utc - RENEW_BEFORE <= now:
        return False
    try:
        limits = ca.extensions.get_extension_for_class(x509.NameConstraints).value
    except x509.ExtensionNotFound:
        return False
    permitted = limits.permitted_subtrees or []
    domains = [p.value.lower() for p in permitted if isinstance(p, x509.DNSName)]
    networks = [
        p.value
        for p in permitted
        if isinstance(p, x509.IPAddress)
        and isinstance(p.value, ipaddress.IPv4Network | ipaddress.IPv6Network)
    ]
    for name in names:
        if _is_address(name):
            address = ipaddress.ip_address(name)
            if not any(address in net for net in networks):
                return False
        elif not any(name == d or name.endswith("." + d) for d in domains):
            return False
    return True


def _serves(cert: Any, ca: Any, names: tuple[str, ...], now: dt.datetime) -> bool:
    """Was the server's certificate signed by this authority, is it fresh, does it name all?"""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature

    try:
        cert.verify_directly_issued_by(ca)
        alt = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (ValueError, TypeError, x509.ExtensionNotFound, InvalidSignature):
        return False
    have = {n.lower() for n in alt.get_values_for_type(x509.DNSName)}
    have |= {str(a) for a in alt.get_values_for_type(x509.IPAddress)}
    return cert.not_valid_after_utc - RENEW_BEFORE > now and set(names) <= have


def _make_authority(names: tuple[str, ...], now: dt.datetime) -> tuple[Any, Any]:
    """A new authority key (ECDSA P-256) and its self-signed certificate, constrained to local
    names, private networks and `names`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kneecap on this computer"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"Kneecap on {socket.gethostname()}"[:64]),
        ]
    )
    networks = {ipaddress.ip_network(n) for n in PRIVATE_NETWORKS}
    domains = set(LOCAL_NAMES)
    for name in names:
        if _is_address(name):
            address = ipaddress.ip_address(name)
            if not any(address in net for net in networks):
                networks.add(ipaddress.ip_network(address))
        elif not any(name == d or name.endswith("." + d) for d in domains):
            domains.add(name)
    permitted: list[x509.GeneralName] = [x509.DNSName(d) for d in sorted(domains)]
    permitted += [x509.IPAddress(n) for n in sorted(networks, key=lambda n: (n.version, str(n)))]
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=AUTHORITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.NameConstraints(permitted, None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _make_server(names: tuple[str, ...], ca: Any, ca_key: Any, now: dt.datetime) -> tuple[Any, Any]:
    """A new server key (ECDSA P-256) and its certificate for `names`, signed by the authority."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    hostname = next((n for n in names if not _is_address(n) and n != "localhost"), "localhost")
    alt: list[x509.GeneralName] = [
        x509.IPAddress(ipaddress.ip_address(n)) if _is_address(n) else x509.DNSName(n)
        for n in names
    ]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname[:64])]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key


def _cert_pem(cert: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return bytes(cert.public_bytes(serialization.Encoding.PEM))


def _key_pem(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _write(path: Path, data: bytes, mode: int) -> None:
    partial = path.with_name(path.name + ".new")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(partial, mode)
    os.replace(partial, path)
