"""A practice under load: clinic mode on PostgreSQL with several workers, clinicians reading
their dashboards and runners reading their pages and checking in, all at once.

    .venv/bin/python bench/clinic_load.py [--runners 500] [--clinicians 50] [--workers 4]
                                          [--seconds 300] [--clients 16] [--think 0.5]
                                          [--write-every 20]

Starts a PostgreSQL server of its own in a temporary folder (Debian's binaries, as the tests do:
tests/postgres.py; durability settings off, as there), seeds `--runners` runners with a year of
history each (profile, daily check-ins, sessions six days a week, a Kujala score a month) and
`--clinicians` clinicians (TOTP enrolled) each looking after an equal share of the runners, then
runs `kneecap serve --clinic --workers N` on it and `--clients` client threads for `--seconds`:
a quarter are clinicians (their dashboard, then one of their runners' summary), the rest runners
(Today and Progress, and every `--write-every` rounds a morning check-in on a date of their own,
so every check-in acknowledged must be stored: one in 40 runner requests by default, far more
writes than a practice sees, where a runner checks in once a day). Each client waits about `--think` seconds
(0.5-1.5 times it) before each request, as people do between taps; `--think 0` sends the next
request as soon as the last is answered, which measures the server saturated instead. Prints p50/p95/p99 per kind of request, the errors (any answer
but the expected status, or a broken connection) and the lost writes (acknowledged check-ins
missing from the database afterwards).
Targets: dashboard p95 < 300 ms, runner pages p95 < 100 ms, 0 errors, 0 lost writes.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyotp
from sqlalchemy import insert, update

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests import postgres  # noqa: E402  (the tests' own PostgreSQL server)

TODAY = dt.date(2026, 12, 7)
PASSWORD = "a long enough passphrase"
RUNNER, CLINICIAN = frozenset({"runner"}), frozenset({"clinician"})
EXERCISES = ("glute-bridge", "clamshell", "straight-leg-raise", "wall-sit")


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    acknowledged: set[tuple[int, dt.date]] = field(default_factory=set)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def seed(url: str, runners: int, clinicians: int) -> tuple[list[int], dict[int, str]]:
    """The runners' person ids, and each clinician's TOTP key by account index."""
    from kneecap.app import accounts
    from kneecap.app import home as app_home
    from kneecap.core.history import CheckIn, Entry, SessionLog
    from kneecap.core.profile import Profile
    from kneecap.settings import Settings
    from kneecap.store import accounts as book
    from kneecap.store.tables import CareLink, CheckInRecord, SessionRecord

    settings = dataclasses.replace(Settings.resolve(Path("/nonexistent"), url), clinic=True)
    start = TODAY - dt.timedelta(days=365)
    profile = Profile.model_validate(
        {
            "start_date": start.isoformat(),
            "affected_side": "left",
            "pain": {"worst_last_week": 4, "aggravated_by": ["stairs", "running"]},
            "equipment": ["mat", "band", "chair", "step", "wall"],
            "availability": {
                "days": ["mon", "tue", "wed", "thu", "fri", "sat"],
                "minutes_per_session": 40,
            },
        }
    )
    people, keys = [], {}
    hashed = accounts.hash_password(PASSWORD)  # once: Argon2id is slow on purpose
    with app_home.opened(settings, settings.clock) as home:
        now = home.clock.now()
        for n in range(runners):
            email = f"runner{n}@example.com"
            account = book.add(home.store, email, RUNNER, hashed, f"runner {n}", now)
            person = account.person_id
            assert person is not None
            people.append(person)
            checkins, sessions = [], []
            for d in range(365):
                day = start + dt.timedelta(days=d)
                pain = max(0, 4 - d // 60 + (n + d) % 3 - 1)
                checkin = CheckIn(date=day, morning_pain=pain, stiffness=pain)
                checkins.append(row(person, day, checkin.model_dump(mode="json"), now))
                if d % 7 != 6:
                    entries = tuple(Entry(exercise=e, pain_during=pain) for e in EXERCISES)
                    log = SessionLog(date=day, entries=entries, pain_after=pain)
                    sessions.append(row(person, day, log.model_dump(mode="json"), now))
            with home.store.transaction(person) as w:  # in bulk: the writer's rows, as stored
                w.save_profile(profile, now)
                w.s.execute(insert(CheckInRecord), checkins)
                w.s.execute(insert(SessionRecord), sessions)
                w.s.execute(
                    update(SessionRecord)
                    .where(SessionRecord.person_id == person)
                    .values(series=SessionRecord.id)
                )
                for d in range(0, 365, 28):
                    w.add_akps(start + dt.timedelta(days=d), [1] * 13, 70 + d // 28, now)
        share = max(1, runners // clinicians)
        for c in range(clinicians):
            account = accounts.add_account(home, f"physio{c}@example.com", ["clinician"], PASSWORD)
            keys[c] = pyotp.random_base32()
            book.enrol(home.store, account.id, keys[c], [], now)
            mine = people[c * share : (c + 1) * share]
            with home.store.transaction(mine[0] if mine else people[0]) as w:
                w.s.add_all(
                    CareLink(clinician_id=account.id, person_id=p, started_at=now) for p in mine
                )
    return people, keys


def row(person: int, day: dt.date, data: dict[str, object], now: dt.datetime) -> dict[str, object]:
    return {"person_id": person, "date": day, "data": data, "created_at": now}


def analyse(server: postgres.Server, url: str) -> None:
    """VACUUM ANALYZE after the bulk seeding, as autovacuum would on a server running for a
    while: the planner then knows the tables' sizes from the start of the run."""
    import psycopg

    name = url.split("?")[0].rsplit("/", 1)[-1]
    with psycopg.connect(host=str(server.folder), user=postgres.ADMIN, dbname=name) as c:
        c.autocommit = True
        c.execute("VACUUM ANALYZE")


def login(client: httpx.Client, email: str, key: str | None) -> None:
    page = client.get("/login").text
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None, page[:200]
    client.headers["x-csrf-token"] = found.group(1)
    body = {"email": email, "password": PASSWORD}
    if key is not None:
        body["totp"] = pyotp.TOTP(key).now()
    r = client.post("/api/login", json=body)
    assert r.status_code == 200, r.text


def timed(tally: Tally, kind: str, call: httpx.Response | None, began: float, ok: int) -> bool:
    if call is None:
        return False
    if call.status_code != ok:
        tally.errors[f"{kind}: HTTP {call.status_code} {call.text[:80]}"] += 1
        return False
    tally.latencies[kind].append(time.perf_counter() - began)
    return True


def request(
    tally: Tally, client: httpx.Client, method: str, path: str, **kw: object
) -> httpx.Response | None:
    try:
        return client.request(method, path, **kw)  # type: ignore[arg-type]
    except httpx.HTTPError as exc:
        tally.errors[type(exc).__name__] += 1
        return None


@dataclass(frozen=True)
class Pace:
    """How the clients act: `think` seconds on average between a client's requests (0: as
    fast as the server answers, the server saturated), and a runner's check-in every
    `write_every` rounds of reading Today and Progress."""

    think: float
    write_every: int

    def wait(self) -> None:
        if self.think > 0:
            time.sleep(random.uniform(0.5, 1.5) * self.think)


def clinician(url: str, index: int, key: str, stop: float, tally: Tally, pace: Pace) -> None:
    with httpx.Client(base_url=url, timeout=60) as c:
        login(c, f"physio{index}@example.com", key)
        while time.monotonic() < stop:
            pace.wait()
            began = time.perf_counter()
            r = request(tally, c, "GET", "/api/clinic/runners")
            if not timed(tally, "dashboard", r, began, 200) or r is None:
                continue
            runners = r.json()
            if runners:
                one = random.choice(runners)["id"]
                pace.wait()
                began = time.perf_counter()
                r = request(tally, c, "GET", f"/api/clinic/runners/{one}")
                timed(tally, "clinician: runner summary", r, began, 200)


def runner(
    url: str, index: int, stop: float, tally: Tally, dates: list[dt.date], pace: Pace
) -> None:
    with httpx.Client(base_url=url, timeout=60) as c:
        login(c, f"runner{index}@example.com", None)
        n = 0
        while time.monotonic() < stop:
            for path, kind in (
                ("/api/today", "runner: today"),
                ("/api/progress", "runner: progress"),
            ):
                pace.wait()
                began = time.perf_counter()
                timed(tally, kind, request(tally, c, "GET", path), began, 200)
            n += 1
            if n % pace.write_every:
                continue
            day = dates[(n // pace.write_every) % len(dates)]
            pace.wait()
            body = {"date": day.isoformat(), "morning_pain": n % 4, "stiffness": n % 4}
            began = time.perf_counter()
            r = request(tally, c, "POST", "/api/checkin", json=body)
            if timed(tally, "runner: check-in", r, began, 201):
                tally.acknowledged.add((index, day))


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runners", type=int, default=500)
    parser.add_argument("--clinicians", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--think", type=float, default=0.5, help="seconds between requests")
    parser.add_argument("--write-every", type=int, default=20, help="rounds per check-in")
    args = parser.parse_args()
    pace = Pace(args.think, max(1, args.write_every))

    server = postgres.start()
    try:
        url = server.fresh()
        began = time.perf_counter()
        from kneecap.store.engine import acting

        with acting(local=True, account=None):
            people, keys = seed(url, args.runners, args.clinicians)
        analyse(server, url)
        print(
            f"seeded {args.runners} runners (a year each) and {args.clinicians} clinicians "
            f"in {time.perf_counter() - began:.0f} s"
        )
        port = free_port()
        env = os.environ | {"KNEECAP_TODAY": TODAY.isoformat(), "KNEECAP_DB": url}
        exe = str(Path(sys.executable).parent / "kneecap")
        proc = subprocess.Popen(
            [exe, "serve", "--clinic", "--workers", str(args.workers), "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/login", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        tally = Tally()
        stop = time.monotonic() + args.seconds
        threads = []
        doctors = max(1, args.clients // 4)
        for t in range(args.clients):
            if t < doctors:
                index = t % args.clinicians
                target = clinician
                call_args: tuple[object, ...] = (base, index, keys[index], stop, tally, pace)
            else:
                # the runners acting are spread over the practice (and so over its
                # clinicians), as the few of 500 using the app at one moment would be
                step = max(1, args.runners // max(1, args.clients - doctors))
                index = ((t - doctors) * step) % args.runners
                # each runner client checks in on dates of its own, in the week before today
                dates = [TODAY - dt.timedelta(days=d) for d in range(7)]
                target = runner  # type: ignore[assignment]
                call_args = (base, index, stop, tally, dates, pace)
            threads.append(threading.Thread(target=target, args=call_args))
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        proc.terminate()
        proc.wait(timeout=30)
        lost = count_lost(url, people, tally.acknowledged)
    finally:
        server.stop()
    print(
        f"\n{args.clients} clients ({max(1, args.clients // 4)} clinicians), {args.workers} "
        f"workers, {args.seconds:.0f} s, {args.think:g} s between a client's requests, a "
        f"check-in every {pace.write_every} rounds of Today and Progress"
    )
    print(f"{'request':28} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind, values in sorted(tally.latencies.items()):
        print(
            f"{kind:28} {len(values):7d} {percentile(values, 50) * 1000:8.1f} "
            f"{percentile(values, 95) * 1000:8.1f} {percentile(values, 99) * 1000:8.1f}"
        )
    print(f"errors: {sum(tally.errors.values())}")
    for reason, n in tally.errors.most_common(5):
        print(f"  {n} × {reason}")
    print(f"check-ins acknowledged: {len(tally.acknowledged)}, lost: {lost}")


def count_lost(url: str, people: list[int], acknowledged: set[tuple[int, dt.date]]) -> int:
    """Acknowledged check-ins the database does not hold."""
    from sqlalchemy import select

    from kneecap.store.engine import acting, make_engine
    from kneecap.store.tables import CheckInRecord

    engine = make_engine(url)
    with acting(local=True, account=None), engine.connect() as c:
        stored = {
            (row.person_id, row.date)
            for row in c.execute(select(CheckInRecord.person_id, CheckInRecord.date))
        }
    engine.dispose()
    return sum((people[i], day) not in stored for i, day in acknowledged)


if __name__ == "__main__":
    main()
