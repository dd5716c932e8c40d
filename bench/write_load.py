"""Concurrent writers against a real server: errors, lost writes and latency of check-ins.

    .venv/bin/python bench/write_load.py [--writers 20] [--seconds 60]

Starts `kneecap serve` on loopback over a fresh data folder (a profile that started a year ago),
then `--writers` threads, each with its own connection, post morning check-ins to /api/checkin
for `--seconds`. Writer w owns the dates whose day number is w modulo the number of writers and
cycles through them, changing the pain score each time, so a date's stored check-in must be the
last one its writer saw acknowledged. Prints the requests, the errors (any answer but 201, or a
broken connection), the lost writes (acknowledged but not what is stored) and p50/p95/p99.
Target: 0 errors, 0 lost writes, p99 under 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from kneecap.core.profile import Profile
from kneecap.store.repository import Store

HISTORY_DAYS = 365


@dataclass
class Writer:
    """One client's tally: latencies of acknowledged writes, errors, the last value per date."""

    latencies_s: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    acknowledged: dict[dt.date, int] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def seed(db: Path, start: dt.date) -> None:
    store = Store.open(f"sqlite:///{db}")
    now = dt.datetime.now(dt.UTC)
    profile = Profile.model_validate(
        {
            "start_date": start.isoformat(),
            "affected_side": "left",
            "pain": {"worst_last_week": 3, "aggravated_by": ["stairs"]},
            "availability": {"days": ["mon", "wed", "fri"], "minutes_per_session": 30},
        }
    )
    with store.transaction(store.person_id("me", now)) as w:
        w.save_profile(profile, now)
    store.close()


def write(url: str, number: int, writers: int, dates: list[dt.date], stop: float) -> Writer:
    tally = Writer()
    mine = [d for n, d in enumerate(dates) if n % writers == number]
    with httpx.Client(base_url=url, timeout=30) as client:
        page = client.get("/onboarding").text
        found = re.search(r'name="csrf" value="([^"]+)"', page)
        if found is None:
            tally.errors["no CSRF token"] += 1
            return tally
        headers = {"X-CSRF-Token": found.group(1)}
        n = 0
        while time.monotonic() < stop:
            day, pain = mine[n % len(mine)], n % 11
            n += 1
            body = {"date": day.isoformat(), "morning_pain": pain, "stiffness": pain}
            began = time.perf_counter()
            try:
                r = client.post("/api/checkin", json=body, headers=headers)
            except httpx.HTTPError as exc:
                tally.errors[type(exc).__name__] += 1
                continue
            if r.status_code == 201:
                tally.latencies_s.append(time.perf_counter() - began)
                tally.acknowledged[day] = pain
            else:
                tally.errors[f"HTTP {r.status_code}: {r.text[:80]}"] += 1
    return tally


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--writers", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    args = ap.parse_args()
    today = dt.datetime.now().astimezone().date()
    start = today - dt.timedelta(days=HISTORY_DAYS)
    dates = [start + dt.timedelta(days=n) for n in range(HISTORY_DAYS + 1)]
    exe = Path(sys.executable).parent / "kneecap"
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        db = home / "kneecap.sqlite3"
        seed(db, start)
        env = {**os.environ, "KNEECAP_HOME": str(home)}
        for name in ("KNEECAP_DB", "KNEECAP_TODAY"):
            env.pop(name, None)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [str(exe), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL
        )
        try:
            for _ in range(200):
                try:
                    httpx.get(f"{url}/api/learn", timeout=5)
                    break
                except httpx.HTTPError:
                    time.sleep(0.05)
            stop = time.monotonic() + args.seconds
            tallies: list[Writer] = [Writer() for _ in range(args.writers)]

            def run(n: int) -> None:
                tallies[n] = write(url, n, args.writers, dates, stop)

            threads = [threading.Thread(target=run, args=(n,)) for n in range(args.writers)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
        store = Store.open(f"sqlite:///{db}")
        stored = {
            c.date: c.morning_pain
            for c in store.checkins(store.person_id("me", dt.datetime.now(dt.UTC)))
        }
        store.close()
    latencies = sorted(s for t in tallies for s in t.latencies_s)
    errors: Counter[str] = sum((t.errors for t in tallies), Counter())
    acknowledged = {d: v for t in tallies for d, v in t.acknowledged.items()}
    lost = sum(1 for d, v in acknowledged.items() if stored.get(d) != v)
    total = len(latencies) + sum(errors.values())
    print(
        f"{args.writers} writers for {args.seconds:g} s: {total} check-ins posted, "
        f"{len(latencies)} acknowledged ({len(latencies) / args.seconds:.0f}/s), "
        f"{len(acknowledged)} dates"
    )
    print(f"errors: {sum(errors.values())}")
    for reason, count in errors.most_common(5):
        print(f"  {count:5}  {reason}")
    print(f"lost writes: {lost}")
    if latencies:
        print(
            f"latency: p50 {percentile(latencies, 50) * 1000:.0f} ms  "
            f"p95 {percentile(latencies, 95) * 1000:.0f} ms  "
            f"p99 {percentile(latencies, 99) * 1000:.0f} ms  max {latencies[-1] * 1000:.0f} ms"
        )
    met = not errors and not lost and latencies and percentile(latencies, 99) < 1.0
    print("target (0 errors, 0 lost, p99 < 1 s):", "met" if met else "NOT met")
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
