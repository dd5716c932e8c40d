"""Hostile requests for every route that takes input: the payloads of the hardening tests, and a
runner that fires them at a live server and counts the answers.

    .venv/bin/python -m tests.e2e.hostile http://127.0.0.1:8765   # a server with a profile

prints the count of each status code and every 5xx (a server error is always a bug: bad input
gets a 4xx with the reason).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import httpx

from tests.e2e.conftest import TODAY

BIG_INT = "9" * 5000  # past Python's 4,300-digit int-from-string limit
NUMBERS = [
    "NaN", "Infinity", "-Infinity", "1e309", "-1e309", BIG_INT, "-" + BIG_INT, "1e-400",
    "true", "false", "null", '"3"', "[]", "{}", "-1", "11", "2.5", "1e2", "0.0", "1E400",
]  # fmt: skip
STRINGS = ['"\\ud800"', '"\\udfff\\ud800"', '"' + "x" * 100_000 + '"', '""', '"\\u0000"']
JSON_ROUTES = {
    "/api/checkin": (
        {"date": TODAY, "morning_pain": 2},
        ["morning_pain", "stiffness", "pain_stairs", "pain_sitting", "swelling", "limp"],
    ),
    "/api/sessions": (
        {"date": TODAY, "entries": [{"exercise": "wall-sit", "pain_during": 1}]},
        ["pain_after", "partial", "entries"],
    ),
}
ENTRY_FIELDS = ["sets_done", "reps_done", "hold_s_done", "minutes_done", "distance_km"]
ENTRY_FIELDS += ["pain_during", "sharp", "difficulty", "exercise"]


@dataclass(frozen=True)
class Attack:
    method: str
    path: str
    body: bytes
    content_type: str | None
    label: str


def _splice(template: dict[str, object], field: str, raw: str) -> bytes:
    """`template` as JSON with `field` (a top-level key, or `entries.0.NAME`) set to the raw JSON
    text `raw`, which may be something json.dumps would never write (NaN, 1e309, 5000 digits)."""
    marker = "__RAW__"
    data = json.loads(json.dumps(template))
    if field.startswith("entries.0."):
        data["entries"][0][field.removeprefix("entries.0.")] = marker
    else:
        data[field] = marker
    return json.dumps(data).replace(f'"{marker}"', raw).encode()


def json_attacks() -> Iterator[Attack]:
    for path, (good, fields) in JSON_ROUTES.items():
        targets = fields + (
            [f"entries.0.{f}" for f in ENTRY_FIELDS] if path == "/api/sessions" else []
        )
        targets.append("date")
        for field in targets:
            for raw in NUMBERS + STRINGS:
                yield Attack("POST", path, _splice(good, field, raw), "application/json",
                             f"{field}={raw[:12]}")  # fmt: skip
        deep = "[" * 100_000 + "]" * 100_000
        yield Attack("POST", path, deep.encode(), "application/json", "100k nested lists")
        yield Attack("POST", path, _splice(good, "date", deep), "application/json", "deep date")
        objects = '{"a":' * 5000 + "1" + "}" * 5000
        yield Attack("POST", path, objects.encode(), "application/json", "5k nested objects")
        for raw in (b"", b"{", b"\xff\xfe{}", b"\xef\xbb\xbf{}", b"null", b"[]", b"1e309"):
            yield Attack("POST", path, raw, "application/json", f"body {raw[:6]!r}")
        big = json.dumps({**good, "extra": "x" * 10_000_000}).encode()
        yield Attack("POST", path, big, "application/json", "10 MB field")
        for ctype in (
            "application/x-www-form-urlencoded+json",
            "multipart/form-data+json",
            "text/plain",
            "application/json; charset=latin-1",
            None,
            "application/vnd.api+json",
        ):
            yield Attack("POST", path, json.dumps(good).encode(), ctype, f"type {ctype}")
    many = {"date": TODAY, "entries": [{"exercise": "wall-sit", "pain_during": 1}] * 300_000}
    yield Attack("POST", "/api/sessions", json.dumps(many).encode(), "application/json",
                 "300k entries")  # fmt: skip
    for n in (40, 41):
        some = {"date": TODAY, "entries": [{"exercise": "wall-sit", "pain_during": 1}] * n}
        yield Attack("POST", "/api/sessions", json.dumps(some).encode(), "application/json",
                     f"{n} entries")  # fmt: skip


FORM_VALUES = ["NaN", "inf", "1e309", BIG_INT, "%ED%A0%80", "%FF", "x" * 50_000, "-0", "1.5"]
FORM_ROUTES = {
    "/checkin": ["morning_pain", "stiffness"],
    "/sessions": ["items", "sets_0", "reps_0", "pain_0", "minutes_0", "pain_after", "date"],
    "/akps": ["q0", "q5"],
    "/onboarding": ["worst_last_week", "minutes_per_session", "weekly_km", "answers"],
}


def form_attacks() -> Iterator[Attack]:
    base = {
        "/checkin": "morning_pain=2",
        "/sessions": f"date={TODAY}&items=1&exercise_0=wall-sit&done_0=yes&pain_0=1",
        "/akps": "&".join(f"q{n}=0" for n in range(13)),
        "/onboarding": "step=knee&affected_side=right&worst_last_week=3",
    }
    for path, fields in FORM_ROUTES.items():
        for field in fields:
            for value in FORM_VALUES:
                body = f"{base[path]}&{field}={value}".encode()
                yield Attack("POST", path, body, "application/x-www-form-urlencoded",
                             f"{field}={value[:12]}")  # fmt: skip
        deep = "[" * 50_000
        body = f"step=week&answers={deep}".encode()
        yield Attack("POST", "/onboarding", body, "application/x-www-form-urlencoded", "deep")


def get_attacks() -> Iterator[Attack]:
    for path in (
        "/api/runs/%EF%BC%91",
        "/runs/%EF%BC%91",
        "/api/runs/" + "9" * 5000,
        "/api/exercises/%ED%A0%80",
        "/api/learn/%00",
        "/api/today?date=NaN",
        "/api/today?date=%ED%A0%80",
        "/api/plan?start=" + "9" * 5000,
        "/figures/%2e%2e%2fapp.svg",
        "/api/exercises?kind=" + "x" * 5000,
    ):
        yield Attack("GET", path, b"", None, path[:30])


def attacks() -> Iterator[Attack]:
    yield from json_attacks()
    yield from form_attacks()
    yield from get_attacks()


def fire(client: httpx.Client, token: str, attack: Attack) -> httpx.Response:
    headers = {"X-CSRF-Token": token}
    if attack.content_type is not None:
        headers["Content-Type"] = attack.content_type
    body = attack.body
    if attack.content_type == "application/x-www-form-urlencoded":
        body += f"&csrf={token}".encode()
    return client.request(attack.method, attack.path, content=body, headers=headers)


def run(url: str) -> Counter[int]:
    """Fire every attack at the server at `url` (onboarded first if it has no profile yet)."""
    from tests.e2e.test_web_http import onboard, token

    counts: Counter[int] = Counter()
    with httpx.Client(base_url=url, timeout=120, follow_redirects=False) as client:
        if client.get("/api/today").status_code == 404:
            onboard(client)
        secret = token(client.get("/onboarding").text)
        for attack in attacks():
            try:
                status = fire(client, secret, attack).status_code
            except httpx.TransportError as e:
                status = 599  # the server dropped the connection
                print(f"  connection lost: {attack.path} {attack.label}: {e!r}")
            counts[status] += 1
            if status >= 500:
                print(f"  {status} {attack.method} {attack.path} {attack.label}")
    return counts


if __name__ == "__main__":
    result = run(sys.argv[1])
    print(
        f"{sum(result.values())} requests:",
        ", ".join(f"{k}: {v}" for k, v in sorted(result.items())),
    )
    print(f"5xx: {sum(v for k, v in result.items() if k >= 500)}")
