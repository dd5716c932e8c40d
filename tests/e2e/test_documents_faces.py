"""The printable documents from the two faces: the web's `/handout.pdf` and `/report.pdf` (linked
from Plan and Progress) and the CLI's `kneecap handout` and `kneecap report`. What is on their
pages is tested in tests/integration/test_documents.py; here, how they are asked for, named,
kept private and refused."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.conftest import Cli
from tests.e2e.test_web_http import onboard

REPO = Path(__file__).resolve().parents[2]
SAM_YAML = REPO / "docs" / "examples" / "sam.yaml"

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftotext) is not installed; .ci/run installs it",
)


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(done.stdout.split())


def test_the_handout_and_the_report_are_pdfs_linked_from_plan_and_progress(
    client: httpx.Client, tmp_path: Path
) -> None:
    onboard(client)
    assert 'href="/handout.pdf"' in client.get("/plan").text
    assert 'href="/report.pdf"' in client.get("/progress").text
    handout = client.get("/handout.pdf")
    assert handout.status_code == 200
    assert handout.headers["content-type"] == "application/pdf"
    assert 'filename="kneecap-handout-' in handout.headers["content-disposition"]
    assert handout.content.startswith(b"%PDF-")
    said = text_of(handout.content, tmp_path)
    assert "Glute bridge" in said
    assert "not a medical device" in said
    report = client.get("/report.pdf")
    assert report.status_code == 200
    assert 'filename="kneecap-report-' in report.headers["content-disposition"]
    assert report.content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    "query",
    [
        "from=bad",
        "from=2026-13-01",
        "to=9999-12-31",
        "from=2026-12-20&to=2026-12-01",
        "from=0001-01-01",
    ],
)
def test_a_report_for_dates_it_cannot_cover_is_refused_with_the_reason(
    client: httpx.Client, query: str
) -> None:
    onboard(client)
    answer = client.get(f"/report.pdf?{query}")
    assert 400 <= answer.status_code < 500, (query, answer.status_code)
    assert "%PDF" not in answer.text


def test_no_document_before_the_onboarding(client: httpx.Client) -> None:
    assert client.get("/handout.pdf").status_code == 404
    assert client.get("/report.pdf").status_code == 404


def test_the_cli_writes_both_documents_readable_by_their_owner_only(
    cli: Cli, tmp_path: Path
) -> None:
    assert cli("init", "--profile", str(SAM_YAML)).code == 0
    for command in ("handout", "report"):
        path = tmp_path / f"{command}.pdf"
        done = cli(command, "--pdf", str(path))
        assert done.code == 0, done.err
        assert f"Wrote {path}" in done.out
        assert path.read_bytes().startswith(b"%PDF-")
        assert path.stat().st_mode & 0o777 == 0o600  # health data
    dated = cli("report", "--pdf", str(tmp_path / "r.pdf"), "--from", cli.today, "--to", cli.today)
    assert dated.code == 0, dated.err


def test_the_cli_refuses_what_it_cannot_write_or_cover(cli: Cli, tmp_path: Path) -> None:
    early = cli("handout", "--pdf", str(tmp_path / "h.pdf"))
    assert early.code == 1
    assert "no profile yet" in early.err
    assert cli("init", "--profile", str(SAM_YAML)).code == 0
    folder = cli("handout", "--pdf", str(tmp_path))
    assert folder.code == 2
    assert "is a folder" in folder.err
    nowhere = cli("handout", "--pdf", str(tmp_path / "missing" / "h.pdf"))
    assert nowhere.code == 2
    assert "cannot write" in nowhere.err
    future = cli("report", "--pdf", str(tmp_path / "r.pdf"), "--to", "2099-01-01")
    assert future.code == 2
    assert future.err.strip()
    assert not (tmp_path / "r.pdf").exists()
