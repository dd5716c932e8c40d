"""`report` and `handout`: the printable documents as PDF files (render/documents). WeasyPrint
and the templates load only inside the commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from kneecap.cli.common import app, fail, opened, out, use

PdfOpt = Annotated[Path, typer.Option("--pdf", help="The PDF file to write.")]
LetterOpt = Annotated[bool, typer.Option("--letter", help="US Letter paper instead of A4.")]
FromOpt = Annotated[
    dt.date | None,
    typer.Option(
        "--from", formats=["%Y-%m-%d"], help="The first day, YYYY-MM-DD (default: 8 weeks back)."
    ),
]
ToOpt = Annotated[
    dt.date | None,
    typer.Option("--to", formats=["%Y-%m-%d"], help="The last day, YYYY-MM-DD (default: today)."),
]


def _write(path: Path, pdf: bytes) -> None:
    """Write the document readable by its owner only: it is health data leaving the database."""
    from kneecap.settings import write_private

    if path.is_dir():
        fail(f"--pdf: {path} is a folder; give a file name")
    try:
        write_private(path, pdf)
    except OSError as exc:
        fail(f"--pdf: cannot write {path}: {exc.strerror}")
    out.print(f"Wrote {path}")


@app.command()
def handout(ctx: typer.Context, pdf: PdfOpt, letter: LetterOpt = False) -> None:
    """This week's exercises with their figures, doses and cues, and the pain rules, to print."""
    from kneecap.app import documents
    from kneecap.render.documents import handout_html, to_pdf

    with opened(ctx) as home:
        view = use(documents.handout, home, letter)
    _write(pdf, to_pdf(handout_html(view)))


@app.command()
def report(
    ctx: typer.Context,
    pdf: PdfOpt,
    first: FromOpt = None,
    last: ToOpt = None,
    letter: LetterOpt = False,
) -> None:
    """A progress report for your physio: pain, AKPS, sessions, running, decisions, red flags."""
    from kneecap.app import documents
    from kneecap.render.documents import report_html, to_pdf

    with opened(ctx) as home:
        view = use(documents.report, home, first, last, letter)
    _write(pdf, to_pdf(report_html(view)))
