"""`qcode consensus list|set|clear|export|undo|redo`: the team's agreed coding, outside the TUI.

The consensus is kept as the codings of the reserved coder `consensus` (see qcode/project/consensus.py);
these commands read and change it passage by passage, each change one journalled, undoable transaction.
"""

from __future__ import annotations

import click

from qcode.cli.common import open_project, project_option
from qcode.cli.output import emit, output_option, say, write_output
from qcode.errors import InputError
from qcode.i18n import N_, _, counted


@click.group()
def consensus() -> None:
    """The team's agreed coding (the coder "consensus"): list, set, clear, export, undo.

    A passage is a transcript and a half-open range START END of code-point offsets, as
    `qcode disagreements` lists them. The consensus of a passage is the set of codes of the
    consensus codings that cover one of its characters other than white space or punctuation.
    """


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def _transcript(store, name: str):
    from qcode.analysis.names import choose_transcripts  # lazy: --help speed

    return choose_transcripts(store, [name])[0]


@consensus.command("list")
@click.option("--transcripts", default=None, metavar="T1,T2,...", help="Only these transcripts.")
@click.option("--codes", default=None, metavar="C1,C2,...", help="Only these codes.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]), default="table", show_default=True)
@click.option("--width", type=click.IntRange(min=10), default=40, show_default=True,
              help="Characters of each passage shown in the table.")
@output_option(N_("Write to FILE instead of the terminal."))
@project_option
@click.pass_context
def list_(ctx, transcripts, codes, fmt, width, output, project) -> None:
    """Every consensus coding, in transcript and document order, with the code's name and the text."""
    from qcode.project.codebook_loading import require_codebook  # lazy: --help speed
    from qcode.project.consensus import consensus_codings  # lazy: --help speed
    from qcode.analysis.names import choose_transcripts  # lazy: --help speed

    store = open_project(ctx, project).store
    chosen = choose_transcripts(store, _split(transcripts))
    found = consensus_codings(store, chosen, _split(codes))
    codebook = require_codebook(store)
    texts = store.transcripts.texts([t.id for t in chosen])
    text_of = {t.name: texts[t.id] for t in chosen}

    def excerpt(coding) -> str:
        flat = " ".join(text_of[coding.transcript][coding.start:coding.end].split())
        return flat if fmt != "table" or len(flat) <= width else flat[: width - 1] + "…"

    headers = ["transcript", "start", "end", "code", "name", "text", "memo"]
    rows = [[c.transcript, c.start, c.end, c.code, codebook.display_name(c.code) if c.code in codebook else "",
             excerpt(c), c.memo] for c in found]
    emit(fmt, headers, rows, output=output, title=counted(len(found), "{count} consensus coding", "{count} consensus codings"), right=(1, 2))


@consensus.command("set")
@click.argument("transcript")
@click.argument("start", type=int)
@click.argument("end", type=int)
@click.argument("codes", nargs=-1, required=True)
@project_option
@click.pass_context
def set_(ctx, transcript, start, end, codes, project) -> None:
    """Make the consensus of TRANSCRIPT [START, END) exactly CODES (adds and removes as needed).

    A code not wanted any more loses its consensus codings inside the passage; one that reaches
    beyond the passage is kept and reported. Undo with `qcode consensus undo`.
    """
    from qcode.project.consensus import set_consensus  # lazy: --help speed

    store = open_project(ctx, project).store
    change = set_consensus(store, _transcript(store, transcript), start, end, list(codes), source="cli")
    say(change.describe())


@consensus.command("clear")
@click.argument("transcript")
@click.argument("span", nargs=-1, type=int, metavar="[START END]")
@click.option("--codes", default=None, metavar="C1,C2,...", help="Only these codes.")
@project_option
@click.pass_context
def clear(ctx, transcript, span, codes, project) -> None:
    """Remove the consensus codings inside TRANSCRIPT [START, END), or in the whole transcript.

    Undo with `qcode consensus undo`.
    """
    from qcode.project.consensus import clear_consensus  # lazy: --help speed

    if len(span) not in (0, 2):
        raise InputError(_("give both START and END, or neither (the whole transcript)"))
    store = open_project(ctx, project).store
    start, end = span if span else (None, None)
    change = clear_consensus(store, _transcript(store, transcript), start, end, codes=_split(codes), source="cli")
    say(change.describe())


@consensus.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True,
              help="csv: the codings CSV of `qcode codings import`; json: with code names and text.")
@click.option("--transcripts", default=None, metavar="T1,T2,...", help="Only these transcripts.")
@output_option(N_("Write to FILE (CSV with a BOM for Excel)."))
@project_option
@click.pass_context
def export_(ctx, fmt, transcripts, output, project) -> None:
    """Write the consensus codings as a codings CSV (coder "consensus") or as JSON."""
    from qcode.cli.output import to_json  # lazy: --help speed
    from qcode.interop.codings_csv import codings_to_csv  # lazy: --help speed
    from qcode.project.codebook_loading import require_codebook  # lazy: --help speed
    from qcode.project.consensus import consensus_codings  # lazy: --help speed
    from qcode.analysis.names import choose_transcripts  # lazy: --help speed

    store = open_project(ctx, project).store
    chosen = choose_transcripts(store, _split(transcripts))
    found = consensus_codings(store, chosen)
    if fmt == "csv":
        write_output(codings_to_csv(found), output, bom=output not in (None, "-"))
        return
    codebook = require_codebook(store)
    texts = store.transcripts.texts([t.id for t in chosen])
    text_of = {t.name: texts[t.id] for t in chosen}
    write_output(to_json([{"transcript": c.transcript, "start": c.start, "end": c.end, "code": c.code,
                           "name": codebook.display_name(c.code) if c.code in codebook else None,
                           "text": text_of[c.transcript][c.start:c.end], "memo": c.memo, "guid": c.guid,
                           "updated_at": c.updated_at} for c in found]), output)


def _replay(ctx, project, undo: bool) -> None:
    from qcode.domain.models import CONSENSUS_CODER  # lazy: --help speed
    from qcode.project.coding import CodingSession  # lazy: --help speed

    session = CodingSession(open_project(ctx, project).store, CONSENSUS_CODER, source="cli")
    change = session.undo() if undo else session.redo()
    say(change.description if change else (_("nothing to undo") if undo else _("nothing to redo")))


@consensus.command("undo")
@project_option
@click.pass_context
def undo(ctx, project) -> None:
    """Undo the latest consensus change (from the CLI or the agreement screen)."""
    _replay(ctx, project, undo=True)


@consensus.command("redo")
@project_option
@click.pass_context
def redo(ctx, project) -> None:
    """Redo the consensus change undone last."""
    _replay(ctx, project, undo=False)
