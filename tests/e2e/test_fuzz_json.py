"""Fuzzing every JSON route's body (listed from the app's own OpenAPI): arbitrary JSON, NaN and
Infinity, huge numbers, deep nesting, the route's own fields with hostile values, and bytes that
are not JSON at all. The answer is never a 500. KNEECAP_FUZZ_EXAMPLES sets the cases per route
(`make fuzz` runs many more)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneecap.settings import Settings
from kneecap.store.repository import Store
from kneecap.web.app import create_app
from tests.conftest import make_profile
from tests.e2e.conftest import TLS, TODAY, Server

EXAMPLES = int(os.environ.get("KNEECAP_FUZZ_EXAMPLES", "150"))

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.sampled_from([TODAY, "2026-02-30", "0001-01-01", "9999-12-31", "\ud800", "１"])
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def deep(depth: int) -> bytes:
    """`depth` nested objects, written out (too deep for json.dumps or Python's recursion)."""
    return ('{"answers": ' * depth + "[1]" + "}" * depth).encode()


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    """A real loopback server with a runner's profile, and a client holding its CSRF token."""
    store = Store.open(f"sqlite:///{server.home / 'kneecap.sqlite3'}")
    now = dt.datetime.now(dt.UTC)
    with store.transaction(store.person_id("me", now)) as w:
        w.save_profile(make_profile(), now)
    store.close()
    with httpx.Client(base_url=server.url, timeout=30, verify=TLS) as c:
        found = re.search(r'name="csrf" value="([^"]+)"', c.get("/onboarding").text)
        assert found
        c.headers["X-CSRF-Token"] = found.group(1)
        yield c


def json_routes() -> list[tuple[str, list[str]]]:
    """(path, the body's top-level fields) of every route that takes a JSON body."""
    spec = create_app(Settings.resolve(Path("/nonexistent-kneecap-fuzz"), "sqlite://")).openapi()
    found = []
    for path, methods in sorted(spec["paths"].items()):
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if method == "post" and body is not None:
                ref = body["schema"].get("$ref", "")
                schema = spec["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
                found.append((path, sorted(schema.get("properties", {}))))
    return found


ROUTES = json_routes()


def test_the_json_routes_are_found() -> None:
    assert {"/api/checkin", "/api/sessions"} <= {path for path, _ in ROUTES}


@pytest.mark.parametrize(("path", "fields"), ROUTES, ids=[p for p, _ in ROUTES])
def test_no_json_body_makes_a_500(client: httpx.Client, path: str, fields: list[str]) -> None:
    bodies = values | st.dictionaries(
        st.sampled_from(fields or ["x"]), values, max_size=len(fields) + 1
    )

    huge = st.tuples(st.sampled_from(fields or ["x"]), st.integers(4000, 6000)).map(
        lambda f: f'{{"{f[0]}": {"9" * f[1]}}}'.encode()  # past Python's int-conversion limit
    )

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize="KNEECAP_FUZZ_EXAMPLES" not in os.environ,  # `make fuzz` explores anew
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        st.one_of(
            bodies.map(lambda b: json.dumps(b).encode()),
            huge,
            st.integers(1, 5000).map(deep),
            st.binary(max_size=200),
        )
    )
    def post(body: bytes) -> None:
        r = client.post(path, content=body, headers={"Content-Type": "application/json"})
        assert r.status_code < 500, (r.status_code, body[:300], r.text[:300])

    post()
