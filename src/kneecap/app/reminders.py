"""Reminders: the time the runner wants them, and the calendar feed, a secret address their
calendar subscribes to that serves the next four weeks of the plan (as it adapts) with an alarm
at that time.

The feed's address holds a 256-bit random token; only its SHA-256 digest is stored, so reading
the database never gives a working address. One feed per person: making a new one replaces the
old one, and revoking it makes the old address answer 404.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import secrets

from kneecap.app import preferences
from kneecap.app.context import FEED, Action, Actor, Home, require

FEED_WEEKS = 4
TOKEN_BYTES = 32  # 256 bits
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # token_urlsafe(32): 43 characters


def reminder_time(home: Home) -> dt.time:
    """When the runner wants to be reminded of a session, local time: the stored preference, or
    18:00. The calendar export, the feed and the phone's notification all read it here."""
    return preferences.reminder_time(home)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def new_feed(home: Home) -> str:
    """A new secret token for the runner's calendar feed (any earlier one stops working)."""
    require(home.actor, Action.EDIT_PROFILE, home.person)
    from kneecap.store import feeds

    token = secrets.token_urlsafe(TOKEN_BYTES)
    feeds.replace(home.store, home.person, _digest(token), home.clock.now())
    return token


def revoke_feed(home: Home) -> bool:
    """Stop the runner's calendar feed; whether there was one."""
    require(home.actor, Action.EDIT_PROFILE, home.person)
    from kneecap.store import feeds

    return feeds.revoke(home.store, home.person)


def feed_made_at(home: Home) -> dt.datetime | None:
    """When the runner's current feed was made, or None when there is none."""
    require(home.actor, Action.READ, home.person)
    from kneecap.store import feeds

    return feeds.made_at(home.store, home.person)


def feed_calendar(home: Home, token: str) -> bytes | None:
    """The plan from today for `FEED_WEEKS` weeks as iCalendar, for the person whose feed has
    `token`; None when no feed has it (a revoked or a made-up address). NoProfile before the
    intake."""
    if not _TOKEN.fullmatch(token):
        return None
    from kneecap.app import read
    from kneecap.render.ical import plan_to_ics
    from kneecap.store import feeds

    person = feeds.person_for(home.store, _digest(token))
    if person is None:
        return None
    feed = Actor("calendar feed", roles=frozenset({FEED}), person=person)
    owner = dataclasses.replace(home, person=person, actor=feed)
    require(owner.actor, Action.READ, person)
    p = read.programme(owner)
    first = owner.clock.today()
    plan = p.plan(first, first + dt.timedelta(days=7 * FEED_WEEKS - 1))
    return plan_to_ics(plan, p.catalogue, owner.clock.now(), reminder_time(owner))
