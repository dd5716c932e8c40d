"""What the `users` commands print."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from kneecap.app.accounts import RESET_VALID, AccountRow
from kneecap.cli.common import emit_json, fail, out

MAX_PASSWORD_INPUT = 1024


def read_password(from_stdin: bool) -> str:
    """The new account's password: one line of standard input, or asked twice at the prompt."""
    if from_stdin:
        line = sys.stdin.readline(MAX_PASSWORD_INPUT + 1)
        return line.rstrip("\r\n")
    first = getpass.getpass("Password (at least 10 characters): ")
    if getpass.getpass("The same again: ") != first:
        fail("the two passwords differ: nothing was added")
    return first


def _roles(a: AccountRow) -> str:
    return " ".join(sorted(a.roles))


def added(a: AccountRow) -> None:
    shown = f"{a.name} <{a.email}>" if a.name else a.email
    out.print(f"Added {shown} ({_roles(a)}).")
    if a.roles & {"clinician", "admin"}:
        out.print("At the first login they set up an authenticator app (a code at every login).")


def listed(found: list[AccountRow], as_json: bool) -> None:
    rows: list[dict[str, Any]] = [
        {
            "email": a.email,
            "name": a.name,
            "roles": sorted(a.roles),
            "authenticator": a.totp_enrolled,
            "disabled": a.disabled,
            "created": a.created_at.isoformat(),
        }
        for a in found
    ]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        out.print("No accounts yet: add one with 'kneecap users add EMAIL --role ROLE'.")
    for r in rows:
        flags = [
            f
            for f, on in (("authenticator", r["authenticator"]), ("disabled", r["disabled"]))
            if on
        ]
        who = f"{r['name']} <{r['email']}>" if r["name"] else r["email"]
        out.print(f"{who}  {' '.join(r['roles'])}  {', '.join(flags)}".rstrip())


def disabled(a: AccountRow) -> None:
    out.print(f"Disabled {a.email}: it cannot log in, and its logins have ended.")


def sent(address: str) -> None:
    hours = int(RESET_VALID.total_seconds() // 3600)
    out.print(f"Sent {address} a one-time link to set a new password (valid {hours} h).")


def reset(email: str, base_url: str, token: str) -> None:
    hours = int(RESET_VALID.total_seconds() // 3600)
    out.print(
        f"A one-time link for {email.strip().lower()} to set a new password (valid {hours} h):"
    )
    out.print(f"{base_url.rstrip('/')}/reset/{token}", soft_wrap=True)
