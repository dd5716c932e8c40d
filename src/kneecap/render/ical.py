"""The plan as iCalendar: one event per session at the runner's reminder time, as long as the
session, with an alarm when it starts; its content in the description.

Times are floating (no time zone): 18:00 is 18:00 wherever the runner's calendar is, as the plan
is in the runner's local days. A day with two sessions has the second start when the first ends.
Each event's UID is its day and place in the day, so a calendar subscribed to the feed updates an
event in place when the plan changes it.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Alarm, Calendar, Event

from kneecap.core.catalogue import Catalogue
from kneecap.core.plan import Plan
from kneecap.core.session_words import session_description, session_title

PRODID = "-//Kneecap//runner's knee plan//EN"
DEFAULT_AT = dt.time(18, 0)
ALARM_BEFORE = dt.timedelta(0)  # the alarm rings at the session's time: the chosen reminder time
REFRESH = dt.timedelta(hours=6)  # how often a subscribed calendar is asked to fetch the feed again


def plan_to_ics(
    plan: Plan, catalogue: Catalogue, stamp: dt.datetime, at: dt.time = DEFAULT_AT
) -> bytes:
    """`plan` as an iCalendar file, each day's sessions from `at` (local, floating time)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Kneecap plan")
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")  # the same, as older clients read it
    for day in plan.days:
        start = dt.datetime.combine(day.date, at)  # floating: local time
        for index, session in enumerate(day.sessions):
            title = session_title(session)
            length = dt.timedelta(minutes=max(session.minutes, 5))
            event = Event()
            event.add("uid", f"{day.date.isoformat()}-{index}-{session.kind}@kneecap")
            event.add("dtstamp", stamp)
            event.add("dtstart", start)
            event.add("dtend", start + length)
            event.add("summary", f"Kneecap: {title} ({session.minutes} min)")
            event.add("description", session_description(session, catalogue))
            event.add("transp", "TRANSPARENT")
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Kneecap: time for your {title}")
            alarm.add("trigger", -ALARM_BEFORE)
            event.add_component(alarm)
            cal.add_component(event)
            start += length
    ics: bytes = cal.to_ical()
    return ics
