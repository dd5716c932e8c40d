"""Latency of the Today and Progress pages against a runner with a year of history.

    .venv/bin/python bench/web_latency.py [--days 365] [--seconds 20] [--connections 4]

Builds a fresh data folder: a profile that started `--days` ago, a morning check-in every day,
a strength or mobility session logged on most days, an AKPS every four weeks, and a run every
third day imported from generated GPX files. Then starts `kneecap serve` on loopback and drives
each page with wrk (Debian's `wrk`), printing requests/s and the p50/p95/p99 latency.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from kneecap.core.history import CheckIn, Entry, SessionLog
from kneecap.core.profile import Profile
from kneecap.store.repository import Store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.activities import gpx_run  # noqa: E402

LUA = """
done = function(summary, latency, requests)
  io.write(string.format("p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def history(home: Path, today: dt.date, days: int) -> None:
    start = today - dt.timedelta(days=days)
    store = Store.open(f"sqlite:///{home / 'kneecap.sqlite3'}")
    now = dt.datetime.now(dt.UTC)
    person = store.person_id("me", now)
    profile = Profile.model_validate(
        {
            "start_date": start.isoformat(),
            "affected_side": "left",
            "pain": {"worst_last_week": 4, "aggravated_by": ["stairs", "running"]},
            "equipment": ["mat", "band", "foam_roller", "chair", "step", "wall"],
            "availability": {
                "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                "minutes_per_session": 40,
            },
            "cross_training": ["cycling"],
            "running": {"currently_running": True, "weekly_km": 20, "runs_per_week": 3},
        }
    )
    with store.transaction(person) as w:
        w.save_profile(profile, now)
    checkins, sessions, akps = [], [], []
    for n in range(days + 1):
        day = start + dt.timedelta(days=n)
        pain = max(0, 4 - n // 60)
        checkins.append(CheckIn(date=day, morning_pain=pain, stiffness=pain))
        if n % 7 != 6:
            exercises = ("glute-bridge", "clamshell", "straight-leg-raise", "wall-sit")
            entries = tuple(Entry(exercise=e, pain_during=max(0, pain - 1)) for e in exercises)
            sessions.append(SessionLog(date=day, entries=entries, pain_after=pain))
        if n % 28 == 0:
            akps.append(day)
    with store.transaction(person) as w:
        for day in akps:
            w.add_akps(day, [0, 0, 1, 1, 1, 2, 1, 1, 1, 1, 0, 0, 0], 80, now)
        w.add_checkins(checkins, now)
        w.add_sessions(sessions, now)
    store.close()


def runs(folder: Path, today: dt.date, days: int) -> None:
    folder.mkdir()
    for n in range(0, days, 3):
        day = today - dt.timedelta(days=n)
        when = dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC)
        (folder / f"{n}.gpx").write_bytes(gpx_run(when, 5 + n % 4, climb_then_descend_m=30))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--connections", type=int, default=4)
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk not found: apt-get install wrk")
    exe = Path(sys.executable).parent / "kneecap"
    today = dt.datetime.now(dt.UTC).date()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        history(home, today, args.days)
        runs(Path(tmp) / "runs", today, args.days)
        env = {**os.environ, "KNEECAP_HOME": str(home)}
        env.pop("KNEECAP_DB", None)
        env.pop("KNEECAP_TODAY", None)
        subprocess.run([str(exe), "import", str(Path(tmp) / "runs")], env=env, check=True,
                       capture_output=True)  # fmt: skip
        port = free_port()
        server = subprocess.Popen(
            [str(exe), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL
        )
        lua = Path(tmp) / "p95.lua"
        lua.write_text(LUA)
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/today", timeout=5)
                    break
                except OSError:
                    time.sleep(0.1)
            print(f"A year of history: {args.days} days of check-ins, {args.days * 6 // 7} "
                  f"sessions, {len(range(0, args.days, 3))} runs; wrk with "
                  f"{args.connections} connections for {args.seconds} s per page")  # fmt: skip
            for page in ("/today", "/progress", "/api/today", "/api/progress"):
                done = subprocess.run(
                    ["wrk", "-t1", f"-c{args.connections}", f"-d{args.seconds}s", "-s", str(lua),
                     f"http://127.0.0.1:{port}{page}"],
                    capture_output=True, text=True, check=True,
                )  # fmt: skip
                rate = next(line for line in done.stdout.splitlines() if "Requests/sec" in line)
                p95 = done.stdout.strip().splitlines()[-1]
                print(f"{page:14} {rate.split()[-1]:>8} req/s  {p95}")
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
