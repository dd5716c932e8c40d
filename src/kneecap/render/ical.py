"""The plan as an iCalendar file: one all-day event per session, its content in the description."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from kneecap.core.catalogue import Catalogue
from kneecap.core.plan import Plan
from kneecap.core.session_words import session_description, session_title

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
    ics: bytes = cal.to_ical()
    return ics
