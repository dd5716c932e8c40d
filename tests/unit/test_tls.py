"""The certificates of `kneecap serve --tls`: a certificate authority of this computer's own,
constrained to local names and private networks (so its key can never vouch for a real site),
and the server's certificate signed by it, each kept while it still covers what is asked."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from kneecap.cli import tls

NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


def load(path: Path) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(path.read_bytes())


def verify(leaf: x509.Certificate, authority: x509.Certificate, name: str) -> None:
    verifier = (
        PolicyBuilder()
        .store(Store([authority]))
        .time(NOW)
        .build_server_verifier(x509.DNSName(name))
    )
    verifier.verify(leaf, [])


def test_the_server_certificate_is_signed_by_a_local_authority_the_phone_installs(
    tmp_path: Path,
) -> None:
    made = tls.ensure(tmp_path, "0.0.0.0", NOW)
    assert made.made
    assert made.authority_made
    (authority,) = load(made.authority)
    leaf, chained = load(made.cert)
    assert chained == authority  # the chain is served whole
    assert authority.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    verify(leaf, authority, "localhost")
    assert made.fingerprint == tls.fingerprint(made.authority.read_bytes())
    assert (tmp_path / tls.AUTHORITY_KEY_FILE).stat().st_mode & 0o777 == 0o600


def test_the_authority_cannot_vouch_for_a_real_site(tmp_path: Path) -> None:
    made = tls.ensure(tmp_path, "0.0.0.0", NOW)
    (authority,) = load(made.authority)
    key = tls._load(made.authority, tmp_path / tls.AUTHORITY_KEY_FILE)
    assert key is not None
    rogue, _ = tls._make_server(("bank.example.com",), authority, key[1], NOW)
    with pytest.raises(VerificationError):
        verify(rogue, authority, "bank.example.com")
    kitchen, _ = tls._make_server(("kitchen.local",), authority, key[1], NOW)
    verify(kitchen, authority, "kitchen.local")  # a local name is within its bounds


def test_both_are_kept_while_they_cover_what_is_asked(tmp_path: Path) -> None:
    first = tls.ensure(tmp_path, "192.168.1.23", NOW)
    again = tls.ensure(tmp_path, "192.168.1.23", NOW + dt.timedelta(days=30))
    assert (again.made, again.authority_made, again.fingerprint) == (
        False,
        False,
        first.fingerprint,
    )


def test_a_new_home_address_needs_a_new_server_certificate_not_a_new_authority(
    tmp_path: Path,
) -> None:
    first = tls.ensure(tmp_path, "192.168.1.23", NOW)
    moved = tls.ensure(tmp_path, "10.0.0.7", NOW)
    assert moved.made
    assert not moved.authority_made  # nothing to install again on the phone
    assert moved.fingerprint == first.fingerprint
    assert "10.0.0.7" in moved.names


def test_a_name_beyond_the_authoritys_bounds_makes_a_new_one(tmp_path: Path) -> None:
    first = tls.ensure(tmp_path, "127.0.0.1", NOW)
    public = tls.ensure(tmp_path, "203.0.113.5", NOW)  # a --host outside private networks
    assert public.authority_made
    assert public.fingerprint != first.fingerprint
    assert not tls.ensure(tmp_path, "203.0.113.5", NOW).authority_made


def test_an_authority_near_its_end_is_made_again(tmp_path: Path) -> None:
    first = tls.ensure(tmp_path, "127.0.0.1", NOW)
    late = NOW + dt.timedelta(days=tls.AUTHORITY_DAYS - 10)
    renewed = tls.ensure(tmp_path, "127.0.0.1", late)
    assert renewed.authority_made
    assert renewed.fingerprint != first.fingerprint


def test_the_fingerprints_are_printed_as_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kneecap.cli.render_serve import announce

    made = tls.ensure(tmp_path / "[home]", "127.0.0.1", NOW)
    odd = "AB:CD:" + ":".join(["AB"] * 30)  # ":AB:" is an emoji code to a console
    announce(dataclasses.replace(made, fingerprint=odd, server_fingerprint=odd))
    printed = capsys.readouterr().out
    assert printed.count(odd) == 2
    assert str(made.authority) in printed  # a folder in brackets is not markup
