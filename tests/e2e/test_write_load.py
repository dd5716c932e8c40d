"""A short version of bench/write_load.py on the real loopback server: concurrent writers post
morning check-ins, none fails and none is lost (20 writers for 60 s is the benchmark)."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time

import httpx

from kneecap.store.repository import Store
from tests.conftest import make_profile
from tests.e2e.conftest import TODAY, Server

WRITERS = 8
SECONDS = 3.0


def test_eight_concurrent_writers_for_three_seconds_lose_nothing(server: Server) -> None:
    today = dt.date.fromisoformat(TODAY)
    start = today - dt.timedelta(days=60)
    store = Store.open(f"sqlite:///{server.home / 'kneecap.sqlite3'}")
    me = store.person_id("me", dt.datetime.now(dt.UTC))
    with store.transaction(me) as w:
        w.save_profile(make_profile(start_date=start.isoformat()), dt.datetime.now(dt.UTC))
    dates = [start + dt.timedelta(days=n) for n in range(61)]
    errors: list[str] = []
    acknowledged: dict[dt.date, int] = {}
    stop = time.monotonic() + SECONDS

    def write(number: int) -> None:
        mine = dates[number::WRITERS]
        with httpx.Client(base_url=server.url, timeout=30) as client:
            page = client.get("/onboarding").text
            found = re.search(r'name="csrf" value="([^"]+)"', page)
            assert found
            headers = {"X-CSRF-Token": found.group(1)}
            n = 0
            # for the whole time, and through each of its days at least once however busy the
            # machine (a loaded machine, or the other tests running beside this one)
            while time.monotonic() < stop or n < len(mine):
                day, pain = mine[n % len(mine)], n % 11
                n += 1
                try:
                    r = client.post(
                        "/api/checkin",
                        json={"date": day.isoformat(), "morning_pain": pain},
                        headers=headers,
                    )
                except httpx.HTTPError as exc:
                    errors.append(type(exc).__name__)
                    continue
                if r.status_code == 201:
                    acknowledged[day] = pain
                else:
                    errors.append(f"{r.status_code} {r.text[:100]}")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stored = {c.date: c.morning_pain for c in store.checkins(me)}
    store.close()
    assert errors == []
    assert len(acknowledged) == len(dates)
    assert {d: v for d, v in acknowledged.items() if stored.get(d) != v} == {}
