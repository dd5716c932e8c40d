"""`kneecap users`: adding, listing, disabling and resetting accounts from the terminal, and the
optional reset email through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import pytest

from tests.conftest import Cli
from tests.e2e.conftest import free_port

PASSWORD = "a long enough passphrase\n"


@pytest.fixture
def mailbox() -> Iterator[tuple[int, list[Any]]]:
    from aiosmtpd.controller import Controller

    received: list[Any] = []

    class Keep:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(envelope)
            return "250 OK"

    port = free_port()
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


def test_users_add_list_disable(cli: Cli) -> None:
    added = cli(
        "users",
        "add",
        "Kim@Practice.example",
        "--role",
        "clinician",
        "--name",
        "Dr Kim Lee",
        "--password-stdin",
        input=PASSWORD,
    )
    assert added.code == 0, added.err
    assert "Added Dr Kim Lee <kim@practice.example> (clinician)." in added.out
    again = cli(
        "users",
        "add",
        "kim@practice.example",
        "--role",
        "runner",
        "--password-stdin",
        input=PASSWORD,
    )
    assert again.code == 2
    assert "has an account already" in again.err
    listed = json.loads(cli("users", "list", "--json").out)
    assert [(a["email"], a["name"], a["roles"], a["disabled"]) for a in listed] == [
        ("kim@practice.example", "Dr Kim Lee", ["clinician"], False)
    ]
    assert cli("users", "disable", "kim@practice.example").code == 0
    assert json.loads(cli("users", "list", "--json").out)[0]["disabled"] is True
    unknown = cli("users", "disable", "nobody@practice.example")
    assert unknown.code == 2
    assert "no account nobody@practice.example" in unknown.err


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("--role", "coach"), "role: coach: one of runner, clinician, admin"),
        (("--role", "runner", "--role", "admin"), "a runner's account is a runner's only"),
        (("--role", "clinician", "--person", "me"), "only a runner's account has a person"),
    ],
)
def test_users_add_refuses_what_is_wrong_with_the_reason(
    cli: Cli, args: tuple[str, ...], reason: str
) -> None:
    r = cli("users", "add", "x@example.com", *args, "--password-stdin", input=PASSWORD)
    assert r.code == 2
    assert reason in r.err


def test_users_reset_prints_a_one_time_link(cli: Cli) -> None:
    cli(
        "users", "add", "runner@example.com", "--role", "runner", "--password-stdin", input=PASSWORD
    )
    r = cli("users", "reset", "runner@example.com", "--base-url", "https://k.example")
    assert r.code == 0
    assert re.search(r"https://k\.example/reset/[A-Za-z0-9_-]{40,}", r.out)


def test_users_reset_send_emails_the_link_through_the_configured_server(
    cli: Cli, mailbox: tuple[int, list[Any]]
) -> None:
    port, received = mailbox
    cli(
        "users", "add", "runner@example.com", "--role", "runner", "--password-stdin", input=PASSWORD
    )
    url = f"smtp://127.0.0.1:{port}?from=kneecap@practice.example"
    r = cli(
        "users",
        "reset",
        "runner@example.com",
        "--send",
        "--base-url",
        "https://k.example",
        env={"KNEECAP_SMTP_URL": url},
    )
    assert r.code == 0, r.err
    assert "Sent runner@example.com a one-time link" in r.out
    assert "/reset/" not in r.out  # the link went by mail only
    (envelope,) = received
    assert envelope.rcpt_tos == ["runner@example.com"]
    message = message_from_bytes(envelope.content)
    assert message["From"] == "kneecap@practice.example"
    assert re.search(r"https://k\.example/reset/[A-Za-z0-9_-]{40,}", message.get_payload())


def test_users_reset_send_without_a_mail_server_says_so(cli: Cli) -> None:
    cli(
        "users", "add", "runner@example.com", "--role", "runner", "--password-stdin", input=PASSWORD
    )
    r = cli("users", "reset", "runner@example.com", "--send", env={"KNEECAP_SMTP_URL": ""})
    assert r.code == 2
    assert "no mail server is configured (KNEECAP_SMTP_URL)" in r.err
    down = cli(
        "users",
        "reset",
        "runner@example.com",
        "--send",
        env={"KNEECAP_SMTP_URL": f"smtp://127.0.0.1:{free_port()}?from=k@example.org"},
    )
    assert down.code == 2
    assert "mail: could not send through 127.0.0.1" in down.err
