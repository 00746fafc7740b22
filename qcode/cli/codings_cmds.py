"""`qcode codings export|import`: codings as CSV (coder,transcript,start,end,code,memo)."""

from __future__ import annotations

import click

from qcode.cli.common import open_project, project_option
from qcode.cli.output import write_output
from qcode.i18n import _


@click.group()
def codings() -> None:
    """Export or import codings as CSV: coder,transcript,start,end,code,memo.

    start/end are code-point offsets into the stored transcript text (half-open: end is not
    included); transcript by name; code by codebook id.
    """


@codings.command("export")
@click.option("--coders", default=None, metavar="A,B,...", help="Only these coders.")
@click.option("--transcripts", default=None, metavar="T1,T2,...", help="Only these transcripts.")
@click.option("-o", "--output", default=None, metavar="FILE", help="Write to FILE (with a BOM for Excel).")
@project_option
@click.pass_context
def export_(ctx, coders: str | None, transcripts: str | None, output: str | None, project: str | None) -> None:
    """Write codings as CSV, in transcript and document order."""
    from qcode.interop.codings_csv import codings_to_csv

    store = open_project(ctx, project).store
    wanted_coders = set(coders.split(",")) if coders else None
    wanted_transcripts = set(transcripts.split(",")) if transcripts else None
    selected = [c for c in store.codings.all()
                if (wanted_coders is None or c.coder in wanted_coders)
                and (wanted_transcripts is None or c.transcript in wanted_transcripts)]
    write_output(codings_to_csv(selected), output, bom=output not in (None, "-"))


@codings.command("import")
@click.argument("file", type=click.Path())
@project_option
@click.pass_context
def import_(ctx, file: str, project: str | None) -> None:
    """Import codings from a CSV file; every row is checked first, and nothing is imported if one is bad."""
    from pathlib import Path

    from qcode.interop.codings_csv import import_codings_csv

    report = import_codings_csv(open_project(ctx, project).store, Path(file))
    click.echo(_("Imported {added} coding(s) by {coders}; {present} already present.").format(
        added=report.added, coders=", ".join(report.coders) or _("nobody"), present=report.already_present))
