"""Your data: `export` it all (an archive, CSV tables for spreadsheets), `restore` it into an
empty home, `forget` it (docs/export.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kneecap.cli.common import JsonOpt, app, fail, opened, use

ForceOpt = Annotated[bool, typer.Option("--force", help="Write over what is there.")]


@app.command("export")
def export(
    ctx: typer.Context,
    file: Annotated[Path | None, typer.Argument(help="The archive to write: FILE.zip.")] = None,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Write checkins.csv, sessions.csv, runs.csv here.")
    ] = None,
    fhir: Annotated[
        Path | None,
        typer.Option("--fhir", help="Write a FHIR R4B Bundle (JSON) for a clinic's system."),
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="Your name in the FHIR Bundle (left out otherwise).")
    ] = None,
    force: ForceOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Everything of yours in one archive you can keep, read or restore; or CSV tables; or a
    FHIR Bundle."""
    from kneecap.app import fhir as fhir_cases
    from kneecap.app import portable
    from kneecap.cli import render_data

    if sum(x is not None for x in (file, csv, fhir)) != 1:
        fail("give one of FILE.zip, --csv DIR or --fhir FILE.json")
    if name is not None and fhir is None:
        fail("--name goes with --fhir")
    with opened(ctx) as home:
        if csv is not None:
            render_data.tables(use(portable.export_csv, home, csv, force), as_json)
            return
        if fhir is not None:
            render_data.bundle(fhir, use(fhir_cases.bundle, home, name), force, as_json)
            return
        assert file is not None
        render_data.exported(
            file, render_data.kept(file, use(portable.export, home, ctx.obj.home), force), as_json
        )


@app.command("restore")
def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An archive from 'kneecap export'.")],
    as_json: JsonOpt = False,
) -> None:
    """Your programme back from an export, into an empty home (or a new person: --user NAME)."""
    from kneecap.app import portable
    from kneecap.cli import render_data

    with opened(ctx) as home:
        render_data.restored(file, use(portable.restore, home, file), as_json)


@app.command("forget")
def forget(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", help="Yes, delete everything.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Delete every record and file Kneecap keeps of you; there is no undo (export first)."""
    from kneecap.app import portable
    from kneecap.cli import render_data

    with opened(ctx) as home:
        if not yes:
            render_data.would_forget(use(portable.what_forget_deletes, home, ctx.obj.home))
        render_data.forgotten(use(portable.forget, home, ctx.obj.home), as_json)
