"""Settings → Your data over HTTP and in a phone's browser: "Download all my data" is the
export archive as an attachment (the form with its CSRF token, or the link), the JSON twin is
its document; "Delete everything" wants DELETE typed (otherwise the page comes back with the
error next to the field and nothing is deleted) and then starts over at the onboarding."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import httpx

from tests.e2e.conftest import Server, shot
from tests.e2e.test_browser import new_page
from tests.e2e.test_browser import onboard as onboard_in_browser
from tests.e2e.test_web_http import onboard, post


def test_download_all_my_data_is_the_export_archive_as_an_attachment(
    client: httpx.Client,
) -> None:
    onboard(client)
    r = post(client, "/settings/data.zip", {}, page="/settings")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/zip"
    assert r.headers["content-disposition"] == (
        'attachment; filename="kneecap-export-2026-12-07.zip"'
    )
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        doc = json.loads(zf.read("data.json"))
    assert manifest["format"] == "kneecap-export"
    assert len(doc["profiles"]) == 1
    link = client.get("/settings/data.zip")
    assert link.status_code == 200
    assert link.headers["content-disposition"].startswith("attachment;")
    twin = client.get("/api/data").json()
    assert twin["data"]["profiles"] == doc["profiles"]
    assert "data.json" in twin["files"]


def test_the_download_form_without_its_csrf_token_is_refused(client: httpx.Client) -> None:
    onboard(client)
    r = client.post("/settings/data.zip", data={"csrf": "forged"}, follow_redirects=False)
    assert r.status_code == 403


def test_delete_everything_wants_delete_typed(client: httpx.Client, server: Server) -> None:
    onboard(client)
    r = post(client, "/settings/forget", {"confirm": "delete"}, page="/settings")
    assert r.status_code == 422
    assert 'id="confirm-error"' in r.text
    assert "Type DELETE in capitals" in r.text
    assert 'value="delete"' in r.text  # what was typed, shown again
    assert client.get("/api/plan").status_code == 200  # nothing was deleted
    bad = client.post("/api/data/forget", json={"confirm": "yes"}, headers=_json_headers(client))
    assert bad.status_code == 422
    r = post(client, "/settings/forget", {"confirm": "DELETE"}, page="/settings")
    assert (r.status_code, r.headers["location"]) == (303, "/onboarding")
    assert client.get("/api/plan").status_code == 404  # no profile: a new start
    assert client.get("/today", follow_redirects=False).headers["location"] == "/onboarding"
    onboard(client)  # and the app works again for the new start
    assert client.get("/api/plan").status_code == 200


def _json_headers(client: httpx.Client) -> dict[str, str]:
    import re

    page = client.get("/settings").text
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return {"x-csrf-token": found.group(1)}


def test_the_json_twin_deletes_everything_with_the_confirmation(client: httpx.Client) -> None:
    onboard(client)
    r = client.post("/api/data/forget", json={"confirm": "DELETE"}, headers=_json_headers(client))
    assert r.status_code == 200, r.text
    assert r.json()["records"]["profiles"] == 1
    assert client.get("/api/plan").status_code == 404


def test_delete_everything_on_a_phone(browser: Any, server: Server) -> None:
    page = new_page(browser, server, width=390, height=844)
    onboard_in_browser(page)
    page.goto(server.url + "/settings#your-data")
    assert page.get_by_role("heading", name="Your data").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"Settings scrolls sideways ({width} px)"
    shot(page, "settings-your-data")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download all my data").click()
    assert download.value.suggested_filename == "kneecap-export-2026-12-07.zip"
    page.get_by_role("button", name="Delete everything").click()
    field = page.get_by_label("Type DELETE to confirm")
    assert field.get_attribute("aria-invalid") == "true"
    assert "Type DELETE in capitals" in page.inner_text("#confirm-error")
    shot(page, "settings-delete-needs-confirmation")
    field.fill("DELETE")
    page.get_by_role("button", name="Delete everything").click()
    page.wait_for_url("**/onboarding")
    assert "step 1 of 3" in page.inner_text("h1")
    shot(page, "settings-deleted-onboarding")
