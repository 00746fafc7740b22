"""`qcode codings export|import`: codings as CSV (coder,transcript,start,end,code,memo,text)."""

from __future__ import annotations

import click

from qcode.cli.common import open_project, project_option
from qcode.cli.output import output_option, say, write_output
from qcode.i18n import N_, _, counted


@click.group()
def codings() -> None:
    """Export or import codings as CSV: coder,transcript,start,end,code,memo,text.

    start/end are code-point offsets into the stored transcript text (half-open: end is not
    included); transcript by name; code by codebook id; text is the coded words, which an import
    checks against the transcript.
    """


@codings.command("export")
@click.option("--coders", default=None, metavar="A,B,...", help="Only these coders.")
@click.option("--transcripts", default=None, metavar="T1,T2,...", help="Only these transcripts.")
@output_option(N_("Write to FILE (with a BOM for Excel)."))
@project_option
@click.pass_context
def export_(ctx, coders: str | None, transcripts: str | None, output: str | None, project: str | None) -> None:
    """Write codings as CSV, in transcript and document order."""
    from qcode.interop.codings_csv import codings_to_csv  # lazy: --help speed

    store = open_project(ctx, project).store
    wanted_coders = set(coders.split(",")) if coders else None
    wanted_transcripts = set(transcripts.split(",")) if transcripts else None
    selected = [c for c in store.codings.all()
                if (wanted_coders is None or c.coder in wanted_coders)
                and (wanted_transcripts is None or c.transcript in wanted_transcripts)]
    texts = {t.name: store.transcripts.text(t.id) for t in store.transcripts.all()
             if wanted_transcripts is None or t.name in wanted_transcripts}
    write_output(codings_to_csv(selected, texts), output, bom=output not in (None, "-"))


@codings.command("import")
@click.argument("file", type=click.Path())
@click.option("--reanchor", is_flag=True,
              help="Where a row's text differs from the words at its offsets, find the words in the transcript "
                   "(the occurrence nearest to the old offsets) instead of refusing the row.")
@project_option
@click.pass_context
def import_(ctx, file: str, reanchor: bool, project: str | None) -> None:
    """Import codings from a CSV file; every row is checked first, and nothing is imported if one is bad.

    A row whose text column differs from the transcript's words at its offsets is refused (listed
    with what the file has and what the transcript has) unless --reanchor is given. A row that
    differs from a stored coding only in its memo updates that memo; repeated rows are stored once.
    """
    from pathlib import Path  # lazy: --help speed

    from qcode.interop.codings_csv import import_codings_csv  # lazy: --help speed

    report = import_codings_csv(open_project(ctx, project).store, Path(file), reanchor=reanchor)
    say(report.summary())


@codings.command()
@click.option("--from", "source", default=None, metavar="CODE", help="The code whose codings change.")
@click.option("--to", "target", required=True, metavar="CODE", help="Their new code.")
@click.option("--coder", "only_coder", default=None, help="Only this coder's codings (default: everyone's).")
@click.option("--coding", "guids", multiple=True, metavar="GUID", help="Only this coding (repeatable), instead of --from.")
@click.option("--as", "actor", default=None, metavar="NAME", help="Who makes the change (journal and undo).")
@project_option
@click.pass_context
def recode(ctx, source: str | None, target: str, only_coder: str | None, guids: tuple[str, ...], actor: str | None,
           project: str | None) -> None:
    """Give every coding of one code (of one coder), or chosen codings, another code, keeping span and memo.

    A coding that would duplicate the same coder's coding of the new code on the same span collapses
    into it, with both memos. Coding GUIDs are in `qcode quotes CODE --format json`.
    """
    from qcode.cli.codes_cmds import _actor  # lazy: --help speed
    from qcode.project.codebook_editing import CodebookEditor  # lazy: --help speed

    if bool(source) == bool(guids):
        raise click.UsageError(_("give either --from CODE or --coding GUID"))
    store = open_project(ctx, project).store
    editor = CodebookEditor(store, _actor(actor or only_coder), source="cli")
    if guids:
        result = editor.recode(list(guids), target)
    else:
        assert source is not None  # checked above: --from or --coding
        result = editor.recode_all(source, target, only_coder)
    if source:
        say(counted(result.codings_moved, "Recoded {count} coding from {source} to {target}.",
                    "Recoded {count} codings from {source} to {target}.", source=source, target=target))
    else:
        say(counted(result.codings_moved, "Recoded {count} coding to {target}.", "Recoded {count} codings to {target}.",
                    target=target))
