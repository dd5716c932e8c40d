"""Every form as a phone without JavaScript gets it: a pain score is a number field (0-10) whose
value shows as typed, never a slider whose value only a script could show."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx

from tests.e2e.test_web_http import carried, knee_answers, onboard, post, safety_answers
from tests.e2e.test_web_runs import HILLY, upload


class Fields(HTMLParser):
    """Each input with its label's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inputs: list[dict[str, str | None]] = []
        self.labels: dict[str, str] = {}
        self._label: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input":
            self.inputs.append(a)
        if tag == "label":
            self._label = a.get("for") or ""
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label is not None:
            self.labels[self._label] = " ".join("".join(self._text).split())
            self._label = None


def fields(page: str) -> Fields:
    f = Fields()
    f.feed(page)
    return f


def score_fields(page: str) -> list[tuple[dict[str, str | None], str]]:
    """The inputs whose label asks a 0-10 score (pain, stiffness)."""
    f = fields(page)
    return [
        (i, f.labels.get(i.get("id") or "", ""))
        for i in f.inputs
        if re.search(r"0-10|0 = none", f.labels.get(i.get("id") or "", ""))
    ]


def test_no_form_has_a_slider_and_every_score_is_a_number_field(client: httpx.Client) -> None:
    pages = {"onboarding step 1": client.get("/onboarding").text}
    r = post(client, "/onboarding", safety_answers())
    pages["onboarding step 2"] = r.text
    pages["onboarding step 3"] = post(client, "/onboarding", knee_answers(carried(r.text))).text
    onboard(client)
    upload(client, [("hill.gpx", HILLY)])
    run_id = client.get("/api/runs").json()["runs"][0]["id"]
    for path in ("/today", "/settings", "/run-check", f"/runs/{run_id}", "/progress"):
        pages[path] = client.get(path).text
    scores = 0
    for name, page in pages.items():
        assert 'type="range"' not in page, name
        for field, label in score_fields(page):
            assert field.get("type") == "number", (name, label)
            assert (field.get("min"), field.get("max")) == ("0", "10"), (name, label)
            scores += 1
    assert score_fields(pages["/today"])  # the check-in and the session's pain
    assert score_fields(pages["/run-check"])
    assert score_fields(pages[f"/runs/{run_id}"])  # the run's pain, during and next morning
    assert scores >= 10
