"""The plan as an iCalendar file: one all-day event per session, its content in the description."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from kneecap.core.catalogue import Catalogue
from kneecap.core.plan import Plan, Session

PRODID = "-//Kneecap//runner's knee plan//EN"


def plan_to_ics(plan: Plan, catalogue: Catalogue, stamp: dt.datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Kneecap plan")
    for day in plan.days:
        for index, session in enumerate(day.sessions):
            event = Event()
            event.add("uid", f"{day.date.isoformat()}-{index}-{session.kind}@kneecap")
            event.add("dtstamp", stamp)
            event.add("dtstart", day.date)
            event.add("dtend", day.date + dt.timedelta(days=1))
            event.add("summary", f"Kneecap: {session_title(session)} ({session.minutes} min)")
            event.add("description", session_description(session, catalogue))
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
    return cal.to_ical()


def session_title(session: Session) -> str:
    rolled = any(i.block == "soft-tissue" for i in session.items)
    return {
        "strength": "strength session",
        "mobility": "stretch and foam roll" if rolled else "stretching",
        "cardio": "low-impact cardio",
        "run": "run",
    }.get(session.kind, session.kind)


def session_description(session: Session, catalogue: Catalogue) -> str:
    lines = []
    for item in session.items:
        name = catalogue[item.exercise].name
        lines.append(f"- {name}: {item.dose()} [{item.block}]")
    return "\n".join(lines)
