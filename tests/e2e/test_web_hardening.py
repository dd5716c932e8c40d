"""The web app under attack, on a real loopback server with a real SQLite file: DNS rebinding,
input that used to break the server, CSRF by content type, the one error shape, private files,
logs without health data, and no third-party requests. Each test is named after the attack."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from kneecap.app.clock import Clock
from kneecap.core.history import MAX_ENTRIES
from kneecap.settings import DB_FILE, Settings, private_sqlite
from kneecap.store.repository import Store
from kneecap.web.app import create_app
from kneecap.web.guard import SMALL_BODY_BYTES
from kneecap.web.strictjson import MAX_DEPTH
from tests.activities import gpx_run
from tests.conftest import make_profile
from tests.e2e.conftest import TODAY, Server, free_port
from tests.e2e.hostile import BIG_INT, attacks, fire

FOREIGN = "evil.example"
SHAPE = {"status", "error", "problems"}
CHECKIN = {"date": TODAY, "morning_pain": 2}
ENTRY = {"exercise": "wall-sit", "pain_during": 1}
SESSION = {"date": TODAY, "entries": [ENTRY]}


def seed_profile(home: Path) -> None:
    """A stored profile, as onboarding would leave it (written through the real store)."""
    url = Settings.resolve(home, None).db_url
    private_sqlite(url)
    store = Store.open(url)
    try:
        now = Clock.from_env().now()
        with store.transaction(store.person_id("me", now)) as w:
            w.save_profile(make_profile(), now)
    finally:
        store.close()


def rows(home: Path) -> dict[str, int]:
    """Rows per table: what a request stored, whatever it answered."""
    with sqlite3.connect(home / DB_FILE) as db:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: db.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def csrf(client: httpx.Client) -> str:
    """The double-submit token: any page sets the cookie, scripts echo it in a header."""
    client.get("/exercises")
    value: str = client.cookies["kneecap_csrf"]
    return value


@pytest.fixture
def runner(server: Server, client: httpx.Client) -> httpx.Client:
    seed_profile(server.home)
    client.headers["X-CSRF-Token"] = csrf(client)
    return client


def post_json(client: httpx.Client, path: str, body: bytes | str, **headers: str) -> httpx.Response:
    data = body.encode() if isinstance(body, str) else body
    return client.post(path, content=data, headers={"Content-Type": "application/json", **headers})


def shaped(r: httpx.Response, status: int) -> dict[str, Any]:
    """The one error shape, with `status`."""
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith("application/json")
    doc: dict[str, Any] = r.json()
    assert set(doc) == SHAPE, doc
    assert doc["status"] == status
    assert isinstance(doc["error"], str)
    assert doc["error"]
    for p in doc["problems"]:
        assert set(p) == {"field", "rule", "message"}
    return doc


# --- 1. DNS rebinding --------------------------------------------------------------------------


def filled(path: str) -> str:
    """A route's path with its parameters filled with ids that exist."""
    names = {"exercise_id": "wall-sit", "topic_id": "active-recovery", "run_id": "1"}
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: names.get(m.group(1), "1"), path)


def every_route(tmp_path: Path) -> list[tuple[str, str]]:
    """(method, path) for every route of the app (an app built only to list them)."""
    app = create_app(Settings.resolve(tmp_path / "routes", None))
    found = []
    for route in app.routes:
        methods = getattr(route, "methods", None) or {"GET"}
        path = filled(route.path)
        if not hasattr(route, "methods"):  # the static files' mount
            path = route.path + "/app.css"
        found += [(m, path) for m in sorted(methods - {"HEAD"})]
    return found


def test_dns_rebinding_foreign_host_is_refused_on_every_route(
    runner: httpx.Client, server: Server, tmp_path: Path
) -> None:
    runner.post("/api/checkin", json=CHECKIN)  # something to read
    before = rows(server.home)
    routes = every_route(tmp_path)
    assert len(routes) >= 30
    for method, path in routes:
        for host in (
            FOREIGN,
            f"{FOREIGN}:{server.url.rsplit(':', 1)[1]}",
            "127.0.0.1.evil.example",
        ):
            kind = (
                "application/json"
                if path.startswith("/api/")
                else "application/x-www-form-urlencoded"
            )
            body = (
                json.dumps(SESSION if "session" in path else CHECKIN)
                if kind.endswith("json")
                else "morning_pain=3"
            )
            r = runner.request(
                method,
                path,
                content=body if method != "GET" else None,
                headers={"Host": host, "Content-Type": kind, "Accept": "application/json"},
            )
            assert r.status_code == 421, (method, path, host, r.status_code)
            assert set(r.json()) == SHAPE
            assert "allowed-host" in r.json()["error"]
            assert "set-cookie" not in r.headers  # no token handed to a foreign page
    assert rows(server.home) == before
    # The same writes from this computer's own name go through: the refusal was the Host's.
    assert runner.post("/api/checkin", json={**CHECKIN, "morning_pain": 3}).status_code == 201


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "127.0.0.1:{port}", "localhost", "LOCALHOST:{port}", "[::1]:{port}", "[::1]"],
)
def test_dns_rebinding_check_answers_loopback_names_with_and_without_a_port(
    runner: httpx.Client, server: Server, host: str
) -> None:
    header = {"Host": host.format(port=server.url.rsplit(":", 1)[1])}
    assert runner.get("/api/exercises", headers=header).status_code == 200
    assert runner.get("/today", headers=header).status_code == 200
    assert runner.post("/api/checkin", json=CHECKIN, headers=header).status_code == 201


@contextmanager
def launch(home: Path, *args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`kneecap serve` as a real process on a free loopback port; its output is read after."""
    port = free_port()
    exe = Path(sys.executable).parent / "kneecap"
    env = {**os.environ, "KNEECAP_HOME": str(home), "KNEECAP_TODAY": TODAY}
    env.pop("KNEECAP_DB", None)
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url + "/exercises", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.communicate()[1]
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        yield url, proc
    finally:
        if proc.returncode is None:  # not yet stopped and read by the test
            proc.terminate()
            proc.communicate(timeout=30)


def test_dns_rebinding_check_answers_an_allowed_host_and_only_it(tmp_path: Path) -> None:
    with launch(
        tmp_path / "home", "--allowed-host", "kneecap.lan", "--allowed-host", "Coach.Local."
    ) as (url, _):
        port = url.rsplit(":", 1)[1]
        for host in (
            "kneecap.lan",
            f"kneecap.lan:{port}",
            "KNEECAP.LAN",
            "coach.local",
            f"localhost:{port}",
        ):
            assert httpx.get(url + "/api/exercises", headers={"Host": host}).status_code == 200, (
                host
            )
        for host in (FOREIGN, "kneecap.lan.evil.example", "evil.kneecap.lan", "kneecap.lan@evil"):
            r = httpx.get(url + "/api/exercises", headers={"Host": host})
            assert r.status_code == 421, host


def test_an_allowed_host_with_a_port_is_a_usage_error(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "kneecap"
    env = {**os.environ, "KNEECAP_HOME": str(tmp_path)}
    r = subprocess.run(
        [str(exe), "serve", "--allowed-host", "kneecap.lan:8765"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2
    assert "--allowed-host 'kneecap.lan:8765'" in r.stderr


# --- 2. Input that broke the server --------------------------------------------------------


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "-Infinity", "1e309", "-1E400"])
@pytest.mark.parametrize(
    ("path", "template", "field"),
    [
        ("/api/checkin", '{"date": "%s", "morning_pain": RAW}', "morning_pain"),
        ("/api/checkin", '{"date": "%s", "morning_pain": 1, "stiffness": RAW}', "stiffness"),
        (
            "/api/sessions",
            '{"date": "%s", "entries": [{"exercise": "wall-sit", "pain_during": 1, "minutes_done": RAW}]}',
            "entries.0.minutes_done",
        ),
    ],
)
def test_non_finite_json_numbers_are_a_422_naming_the_field(
    runner: httpx.Client, server: Server, raw: str, path: str, template: str, field: str
) -> None:
    before = rows(server.home)
    r = post_json(runner, path, (template % TODAY).replace("RAW", raw))
    doc = shaped(r, 422)
    assert doc["problems"][0]["field"] == field
    assert doc["problems"][0]["rule"] == "finite_number"
    assert field in doc["error"]
    assert rows(server.home) == before


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ('{"date": "%s", "morning_pain": "\\ud800"}', "morning_pain", "invalid_unicode"),
        ('{"date": "%s", "morning_pain": 1, "\\udfff": 1}', "", "invalid_unicode"),
        (
            '{"date": "%s", "entries": [{"exercise": "\\ud800wall", "pain_during": 1}]}',
            "entries.0.exercise",
            "invalid_unicode",
        ),
        ('{"date": "%s", "morning_pain": ' + BIG_INT + "}", "morning_pain", "int_too_long"),
        ('{"date": "%s", "morning_pain": -' + BIG_INT + "}", "morning_pain", "int_too_long"),
        ('{"date": "%s", "entries": ' + "[" * 10_000 + "]" * 10_000 + "}", "", "too_deep"),
        ("[" * 20_000 + "]" * 20_000 + "%s", "", "too_deep"),
        ('{"date": "%s", "answers": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}", "", "too_deep"),
        ('{"date": "%s", "morning_pain": 1', "", "json_invalid"),
        ('\xff{"date": "%s"}', "", "utf8"),
    ],
)
@pytest.mark.parametrize("path", ["/api/checkin", "/api/sessions"])
def test_lone_surrogates_huge_integers_and_deep_nesting_are_a_422_not_a_500(
    runner: httpx.Client, server: Server, path: str, body: str, field: str, rule: str
) -> None:
    before = rows(server.home)
    data = (body % TODAY).encode("utf-8", "surrogateescape").replace(b"\xc3\xbf", b"\xff")
    doc = shaped(post_json(runner, path, data), 422)
    assert (doc["problems"][0]["field"], doc["problems"][0]["rule"]) == (field, rule)
    assert rows(server.home) == before


def test_deep_nesting_is_refused_at_the_limit_not_below_it(runner: httpx.Client) -> None:
    ok = {"date": TODAY, "entries": [ENTRY]}  # 3 levels
    assert runner.post("/api/sessions", json=ok).status_code == 201
    nested = '{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1)
    assert (
        shaped(post_json(runner, "/api/sessions", nested), 422)["problems"][0]["rule"] == "too_deep"
    )


@pytest.mark.parametrize("chunked", [False, True])
def test_a_json_body_over_its_cap_is_refused_before_it_is_parsed(
    runner: httpx.Client, server: Server, chunked: bool
) -> None:
    before = rows(server.home)
    many = json.dumps({"date": TODAY, "entries": [ENTRY] * 300_000}).encode()  # 13 MB
    huge_field = json.dumps({**CHECKIN, "note": "x" * 10_000_000}).encode()
    for data in (many, huge_field, b" " * (SMALL_BODY_BYTES + 1)):
        content: Any = (
            iter([data[i : i + 65536] for i in range(0, len(data), 65536)]) if chunked else data
        )
        started = time.perf_counter()
        r = runner.post(
            "/api/sessions", content=content, headers={"Content-Type": "application/json"}
        )
        doc = shaped(r, 413)
        assert "larger than 64 KB" in doc["error"]
        assert time.perf_counter() - started < 5
    assert rows(server.home) == before


def test_a_session_has_at_most_40_entries_like_the_form(
    runner: httpx.Client, server: Server
) -> None:
    from kneecap.web.forms import MAX_ITEMS

    assert MAX_ENTRIES == MAX_ITEMS == 40
    before = rows(server.home)
    doc = shaped(runner.post("/api/sessions", json={**SESSION, "entries": [ENTRY] * 41}), 422)
    assert (doc["problems"][0]["field"], doc["problems"][0]["rule"]) == ("entries", "too_long")
    assert rows(server.home) == before
    assert (
        runner.post("/api/sessions", json={**SESSION, "entries": [ENTRY] * 40}).status_code == 201
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sets_done", True),
        ("reps_done", True),
        ("reps_done", False),
        ("hold_s_done", True),
        ("minutes_done", True),
        ("reps_done", "12"),
        ("sets_done", 2.0),
        ("sets_done", 10**30),
        ("sharp", 0.0),
        ("sharp", 1),
        ("sharp", "yes"),
    ],
)
def test_json_true_is_not_stored_as_a_number_of_sets_or_reps(
    runner: httpx.Client, server: Server, field: str, value: object
) -> None:
    before = rows(server.home)
    doc = shaped(
        runner.post("/api/sessions", json={**SESSION, "entries": [{**ENTRY, field: value}]}), 422
    )
    assert doc["problems"][0]["field"] == f"entries.0.{field}"
    assert rows(server.home) == before


def test_a_422_names_the_field_and_the_rule_and_never_echoes_a_long_value(
    runner: httpx.Client,
) -> None:
    long = "q" * 9000
    r = runner.post("/api/sessions", json={**SESSION, "entries": [{**ENTRY, "difficulty": long}]})
    doc = shaped(r, 422)
    assert (doc["problems"][0]["field"], doc["problems"][0]["rule"]) == (
        "entries.0.difficulty",
        "enum",
    )
    assert len(r.content) < 1500
    assert "q" * 50 not in r.text
    # The forms' messages are cut short too.
    secret = runner.headers["X-CSRF-Token"]
    r = runner.post("/checkin", data={"csrf": secret, "morning_pain": "9" * 30_000})
    assert 400 <= r.status_code < 500
    assert "morning_pain" in r.text
    assert "9" * 50 not in r.text


def test_a_full_width_digit_is_not_a_run_id(runner: httpx.Client) -> None:
    upload = runner.post(
        "/api/runs", files=[("files", ("run.gpx", gpx_run(Clock.from_env().now(), km=3)))]
    )
    assert upload.status_code == 200, upload.text
    [run] = runner.get("/api/runs").json()["runs"]
    ascii_id = str(run["id"])
    assert runner.get(f"/api/runs/{ascii_id}").status_code == 200
    for digits in (0xFF10, 0x0660, 0x0966):  # full-width, Arabic-Indic, Devanagari
        other = "".join(chr(digits + int(d)) for d in ascii_id)
        for path in (f"/api/runs/{other}", f"/runs/{other}"):
            r = runner.get(path, headers={"Accept": "application/json"})
            assert r.status_code == 404, path
            assert "no run with id" in shaped(r, 404)["error"]


@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded+json",
        "multipart/form-data+json",
        "application/x-www-form-urlencoded",
        "text/plain",
        "application/vnd.api+json",
        "application/json; charset=latin-1",
        None,
    ],
)
def test_csrf_a_form_looking_content_type_cannot_skip_the_token_of_a_json_route(
    runner: httpx.Client, server: Server, content_type: str | None
) -> None:
    before = rows(server.home)
    headers = {} if content_type is None else {"Content-Type": content_type}
    for token in ("", runner.headers["X-CSRF-Token"]):
        r = runner.post(
            "/api/checkin",
            content=json.dumps(CHECKIN),
            headers={**headers, "X-CSRF-Token": token},
        )
        doc = shaped(r, 415)
        assert "application/json" in doc["error"]
    assert rows(server.home) == before


@pytest.mark.parametrize(
    "content_type", ["application/json", "text/plain", "multipart/form-data+json", None]
)
def test_unknown_content_types_to_a_form_route_are_refused_with_415(
    runner: httpx.Client, server: Server, content_type: str | None
) -> None:
    before = rows(server.home)
    headers = {"Accept": "application/json"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    secret = runner.headers["X-CSRF-Token"]
    r = runner.post("/checkin", content=f"csrf={secret}&morning_pain=3", headers=headers)
    shaped(r, 415)
    assert rows(server.home) == before


def test_hostile_json_and_form_payloads_never_get_a_500(
    runner: httpx.Client, server: Server
) -> None:
    """The attack loop of the hardening report, every payload against this server."""
    secret = runner.headers["X-CSRF-Token"]
    failures = []
    for attack in attacks():
        try:
            r = fire(runner, secret, attack)
        except httpx.TransportError as e:  # the server dropped the connection
            failures.append((attack.path, attack.label, repr(e)))
            continue
        if r.status_code >= 500:
            failures.append((attack.path, attack.label, r.status_code))
        elif r.status_code >= 400 and r.headers["content-type"].startswith("application/json"):
            assert set(r.json()) >= SHAPE
    assert failures == []


@pytest.mark.parametrize("value", [0, 1, 0.0, 2.5, "yes", "false"])
@pytest.mark.parametrize("field", ["swelling", "limp"])
def test_a_number_or_a_word_is_not_a_yes_no_answer(
    runner: httpx.Client, server: Server, field: str, value: object
) -> None:
    before = rows(server.home)
    doc = shaped(runner.post("/api/checkin", json={**CHECKIN, field: value}), 422)
    assert (doc["problems"][0]["field"], doc["problems"][0]["rule"]) == (field, "bool_type")
    assert shaped(runner.post("/api/sessions", json={**SESSION, "partial": value}), 422)
    assert rows(server.home) == before


# --- One error shape -------------------------------------------------------------------------


def test_every_error_status_has_the_one_error_shape(runner: httpx.Client, server: Server) -> None:
    big = json.dumps({**CHECKIN, "note": "x" * (SMALL_BODY_BYTES + 1)})
    answers = {
        404: runner.get("/api/nothing-here"),
        405: runner.delete("/api/today"),
        413: post_json(runner, "/api/checkin", big),
        415: runner.post("/api/checkin", content="{}", headers={"Content-Type": "text/plain"}),
        422: runner.post("/api/checkin", json={**CHECKIN, "morning_pain": 14}),
        403: runner.post("/api/checkin", json=CHECKIN, headers={"X-CSRF-Token": "x" * 43}),
        421: runner.get("/api/today", headers={"Host": FOREIGN}),
    }
    for status, r in answers.items():
        shaped(r, status)
    assert "GET" in answers[405].headers["allow"]
    assert shaped(runner.get("/exercises/nope", headers={"Accept": "application/json"}), 404)
    assert shaped(runner.get("/api/exercises/nope"), 404)["error"] == "no exercise called 'nope'"
    doc = shaped(answers[422], 422)
    assert (doc["problems"][0]["field"], doc["problems"][0]["rule"]) == (
        "morning_pain",
        "less_than_equal",
    )


def test_a_refused_upload_has_the_error_shape_beside_its_report(runner: httpx.Client) -> None:
    r = runner.post("/api/runs", files=[("files", ("notes.txt", b"ran 5k, knee fine"))])
    assert r.status_code == 422
    doc = r.json()
    assert set(doc) >= SHAPE
    assert doc["status"] == 422
    assert doc["problems"][0]["field"] == "files"
    assert doc["problems"][0]["message"].startswith("notes.txt: ")
    assert doc["failed"][0]["file"] == "notes.txt"  # the upload's own report, as before


# --- 5. Private by default -----------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def assert_private(folder: Path) -> None:
    assert mode(folder) == 0o700, oct(mode(folder))
    files = [p for p in folder.iterdir() if p.name.startswith(DB_FILE)]
    assert files
    for f in files:
        assert mode(f) == 0o600, (f.name, oct(mode(f)))


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o002])
def test_the_data_folder_is_0700_and_the_database_0600_whatever_the_umask(
    tmp_path: Path, mask: int
) -> None:
    exe = Path(sys.executable).parent / "kneecap"
    env = {**os.environ, "KNEECAP_HOME": str(tmp_path / "cli" / "data"), "KNEECAP_TODAY": TODAY}
    env.pop("KNEECAP_DB", None)
    with umask(mask):
        r = subprocess.run(
            [str(exe), "runs", "--json"], env=env, capture_output=True, text=True, timeout=60
        )
        assert "Traceback" not in r.stderr
        app = create_app(Settings.resolve(tmp_path / "web" / "data", None))
        app.state.store.close()
    assert_private(tmp_path / "cli" / "data")
    assert_private(tmp_path / "web" / "data")


def test_the_default_data_folder_is_private(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "kneecap"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KNEECAP_", "XDG_"))}
    env["HOME"] = str(tmp_path)
    with umask(0o022):
        r = subprocess.run(
            [str(exe), "runs", "--json"], env=env, capture_output=True, text=True, timeout=60
        )
    assert "Traceback" not in r.stderr
    assert_private(tmp_path / ".local" / "share" / "kneecap")


def test_a_database_made_before_is_narrowed_to_0600(tmp_path: Path) -> None:
    home = tmp_path / "data"
    with umask(0o022):
        home.mkdir()
        (home / DB_FILE).touch()
    assert mode(home / DB_FILE) == 0o644
    create_app(Settings.resolve(home, None)).state.store.close()
    assert mode(home / DB_FILE) == 0o600


def test_a_calendar_export_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    home = tmp_path / "data"
    seed_profile(home)
    exe = Path(sys.executable).parent / "kneecap"
    env = {**os.environ, "KNEECAP_HOME": str(home), "KNEECAP_TODAY": TODAY}
    env.pop("KNEECAP_DB", None)
    target = tmp_path / "plan.ics"
    with umask(0o022):
        r = subprocess.run(
            [str(exe), "plan", "--ics", str(target)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert r.returncode == 0, r.stderr
    assert mode(target) == 0o600


@pytest.fixture
def broken(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str], Path]]:
    """A real server whose database lost a table under it: the store raises on check-ins."""
    home = tmp_path / "home"
    seed_profile(home)
    with launch(home) as (url, proc):
        with httpx.Client(base_url=url) as c:
            secret = csrf(c)
            assert (
                c.post("/api/checkin", json=CHECKIN, headers={"X-CSRF-Token": secret}).status_code
                == 201
            )
        with sqlite3.connect(home / DB_FILE) as db:
            db.execute("DROP TABLE checkins")
        yield url, proc, home


def test_server_errors_log_an_error_id_not_health_data(
    broken: tuple[str, subprocess.Popen[str], Path],
) -> None:
    url, proc, _ = broken
    with httpx.Client(base_url=url) as c:
        secret = csrf(c)
        body = {"date": TODAY, "morning_pain": 7, "stiffness": 6, "pain_stairs": 5}
        r = c.post("/api/checkin", json=body, headers={"X-CSRF-Token": secret})
        doc = shaped(r, 500)
        error_id = re.search(r"error id (\w+)", doc["error"])
        assert error_id, doc
    proc.terminate()
    _, log = proc.communicate(timeout=30)
    assert f"error {error_id.group(1)}: POST /api/checkin raised" in log
    assert "OperationalError" in log
    for leak in ("Traceback", "morning_pain", "pain_stairs", "[parameters", "INSERT", "SELECT"):
        assert leak not in log, (leak, log[-2000:])


def test_a_500_carries_the_same_security_headers(
    broken: tuple[str, subprocess.Popen[str], Path],
) -> None:
    url, _, _ = broken
    with httpx.Client(base_url=url) as c:
        secret = csrf(c)
        fine = c.get("/exercises")
        for r in (
            c.post("/api/checkin", json=CHECKIN, headers={"X-CSRF-Token": secret}),
            c.post("/checkin", data={"csrf": secret, "morning_pain": "2"}),
        ):
            assert r.status_code == 500, r.text[:300]
            for name in ("content-security-policy", "x-content-type-options", "referrer-policy"):
                assert r.headers[name] == fine.headers[name]
        assert "That did not work" in r.text  # the page, for a browser


# --- No third-party requests ------------------------------------------------------------------

NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink")
OFF_SITE = re.compile(r"(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def test_no_page_references_an_external_host(runner: httpx.Client, tmp_path: Path) -> None:
    runner.post(
        "/api/runs",
        files=[
            ("files", ("run.gpx", gpx_run(Clock.from_env().now(), km=3, climb_then_descend_m=40)))
        ],
    )
    checked = 0
    for method, path in every_route(tmp_path):
        if method != "GET":
            continue
        r = runner.get(path)
        text = r.text
        for ns in NAMESPACES:
            text = text.replace(ns, "")
        assert OFF_SITE.findall(text) == [], path
        checked += 1
    for static in ("/static/app.js", "/static/app.css", "/static/runs.js", "/static/runs.css"):
        assert OFF_SITE.findall(runner.get(static).text.replace(NAMESPACES[0], "")) == [], static
    assert checked >= 20
    assert runner.get("/api/docs").status_code == 404  # the Swagger page loaded a public CDN
    assert "/api/today" in runner.get("/openapi.json").json()["paths"]
    assert runner.get("/today").headers["content-security-policy"].startswith("default-src 'self'")
