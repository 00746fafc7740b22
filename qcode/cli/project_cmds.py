"""Commands on the project itself: init, import, transcripts, complete, log."""

from __future__ import annotations

import click

from qcode.cli.common import DelayedProgress, open_project, project_option
from qcode.cli.output import emit
from qcode.i18n import _, current_language


@click.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--from", "source", default=None, type=click.Path(dir_okay=False), metavar="FILE.qdpx",
              help="Create the project from a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder, qc).")
def init(directory: str, source: str | None) -> None:
    """Create a project in DIRECTORY (default: the current folder).

    Creates qcode.db (SQLite), qcode.toml (settings), dictionary.txt (words for segmentation) and
    the folders codebooks/, transcripts/ and exports/. Next: `qcode codebook load FILE.yaml` and
    `qcode import FILES...`. With --from, transcripts, codes, coders, codings and memos come from a
    .qdpx file, and whatever cannot be imported is listed.
    """
    from pathlib import Path

    from qcode.project.project import Project

    if source is not None:
        from qcode.cli.exchange_cmds import init_from_qdpx

        init_from_qdpx(directory, source)
        return

    with Project.init(Path(directory)) as project:
        click.echo(_("Created a qcode project in {root}").format(root=project.root))
        click.echo(_("Next: qcode codebook load CODEBOOK.yaml   then   qcode import TRANSCRIPTS..."))


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--encoding", default=None, help="Decode with this encoding (e.g. gb18030) instead of detecting it.")
@click.option("--as", "as_name", default=None, metavar="NAME", help="Store a single file under NAME instead of its file stem.")
@project_option
@click.pass_context
def import_(ctx: click.Context, paths: tuple[str, ...], encoding: str | None, as_name: str | None, project: str | None) -> None:
    """Import transcripts: .txt, .md and .docx files, and folders (recursively).

    Text is decoded (BOM, UTF-8, GB18030, then detection; --encoding overrides), newlines
    normalised, and cut into speaker turns and sentences. All files are imported, or none:
    a bad file leaves the project unchanged.
    """
    from qcode.project.importing import import_transcripts

    proj = open_project(ctx, project)
    progress = DelayedProgress(_("importing"))
    try:
        outcomes = import_transcripts(proj, list(paths), encoding=encoding, as_name=as_name, progress=progress)
    finally:
        progress.close()
    rows = [(o.name, o.status, o.characters, o.turns, o.sentences, o.encoding, o.note) for o in outcomes]
    emit("table", ["transcript", "result", "characters", "turns", "sentences", "encoding", "note"], rows, right=(2, 3, 4))
    imported = sum(o.status in ("imported", "replaced") for o in outcomes)
    click.echo(_("{imported} imported, {other} unchanged or skipped.").format(
        imported=imported, other=len(outcomes) - imported), err=True)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]), default="table", show_default=True)
@click.option("-o", "--output", default=None, metavar="FILE", help="Write to FILE instead of the terminal.")
@project_option
@click.pass_context
def transcripts(ctx: click.Context, fmt: str, output: str | None, project: str | None) -> None:
    """List transcripts: characters, turns, sentences, speakers, and each coder's progress.

    Progress shows, per coder, the turns touched by their codings, their number of codings, and
    ✓ when they marked the transcript complete.
    """
    from qcode.project.listing import transcript_summaries

    summaries = transcript_summaries(open_project(ctx, project).store)
    if fmt == "json":
        emit("json", [], [], json_data=[s.to_json() for s in summaries], output=output)
        return
    rows = []
    for s in summaries:
        progress = "; ".join(
            f"{coder} {p.coded_turns}/{s.turns} turns, {p.codings} codings{' ✓' if p.complete else ''}"
            for coder, p in s.progress.items()
        ) or "-"
        rows.append((s.name, s.characters, s.turns, s.sentences, ", ".join(s.speakers), progress))
    emit(fmt, ["transcript", "characters", "turns", "sentences", "speakers", "progress"], rows,
         output=output, right=(1, 2, 3))


@click.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--coder", required=True, help="The coder whose review status changes.")
@click.option("--undo", is_flag=True, help="Reopen the transcripts (mark them not complete).")
@project_option
@click.pass_context
def complete(ctx: click.Context, names: tuple[str, ...], coder: str, undo: bool, project: str | None) -> None:
    """Mark transcripts as fully coded by CODER (agreement treats the units of transcripts a
    coder has not completed as missing for that coder)."""
    from qcode.errors import InputError
    from qcode.project.coding import CodingSession

    proj = open_project(ctx, project)
    found = [proj.store.transcripts.by_name(n) for n in names]
    missing = [n for n, t in zip(names, found) if t is None]
    if missing:
        raise InputError(_("no transcript named {names}; see `qcode transcripts`").format(
            names=", ".join(repr(m) for m in missing)))
    session = CodingSession(proj.store, coder, source="cli")
    for info in found:
        changed = session.set_complete(info, not undo)
        state = "reopened" if undo else "complete"
        click.echo(f"{info.name}: {state} for {coder}" + ("" if changed else " (already)"))


@click.command()
@click.option("-n", "limit", default=30, show_default=True, help="How many entries to show.")
@project_option
@click.pass_context
def log(ctx: click.Context, limit: int, project: str | None) -> None:
    """Show the latest journal entries (the audit trail of every change)."""
    entries = open_project(ctx, project).store.journal.recent(limit)
    rows = [(e.seq, e.at, e.actor, e.kind, e.action, e.entity_key, e.source) for e in entries]
    emit("table", ["seq", "at", "actor", "kind", "action", "key", "source"], rows, right=(0,))


def print_summary(project) -> None:
    """A short overview of a project: its folder, codebook and transcripts."""
    from qcode.project.codebook_loading import current_codebook
    from qcode.project.listing import transcript_summaries

    book = current_codebook(project.store)
    summaries = transcript_summaries(project.store)
    click.echo(_("Project: {root}").format(root=project.root))
    if book is not None:
        title = book.title.get(current_language()) or book.id or _("(untitled)")
        click.echo(_("Codebook: {title} — {count} codes").format(title=title, count=sum(c.codable for c in book)))
    rows = [(s.name, s.characters, s.turns, s.sentences, ", ".join(s.speakers)) for s in summaries]
    emit("table", [_("transcript"), _("characters"), _("turns"), _("sentences"), _("speakers")], rows,
         right=(1, 2, 3))
