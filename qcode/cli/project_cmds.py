"""Commands on the project itself: init, import, transcripts, complete, log."""

from __future__ import annotations

from pathlib import Path

import click

from qcode.cli.common import DelayedProgress, open_project, project_option
from qcode.cli.output import emit


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
        click.echo(f"Created a qcode project in {project.root}")
        click.echo("Next: qcode codebook load CODEBOOK.yaml   then   qcode import TRANSCRIPTS...")


def survey_options(func):
    """The options of a questionnaire import (.csv/.xlsx)."""
    options = [
        click.option("--id", "id_column", default=None, metavar="COL", help="Questionnaire: the respondent column."),
        click.option("--text", "text_columns", multiple=True, metavar="COL",
                     help="Questionnaire: an open question to code (repeatable; header or column number)."),
        click.option("--attributes", "attribute_columns", multiple=True, metavar="COL",
                     help="Questionnaire: a closed question, stored as an attribute (repeatable)."),
        click.option("--prefix", default=None, metavar="TEXT",
                     help="Questionnaire: documents are named PREFIX + respondent id (default: FILE-)."),
        click.option("--dry-run", is_flag=True, help="Questionnaire: show what would be created; store nothing."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _import_surveys(proj, paths: tuple[str, ...], *, id_column, text_columns, attribute_columns, prefix,
                    dry_run) -> bool:
    """Import the questionnaires among `paths`; False when none is one (then transcripts are imported)."""
    from qcode.errors import InputError
    from qcode.project.survey_import import import_survey, is_survey

    tables = [Path(p) for p in paths if is_survey(Path(p))]
    if not tables:
        if id_column or text_columns or attribute_columns or dry_run or prefix:
            raise InputError("--id, --text, --attributes, --prefix and --dry-run are for questionnaires (.csv, .xlsx)")
        return False
    if len(tables) != len(paths):
        raise InputError("import questionnaires (.csv, .xlsx) and transcripts in separate commands")
    for path in tables:
        r = import_survey(proj, path, id_column=id_column, text_columns=tuple(text_columns),
                          attribute_columns=tuple(attribute_columns), prefix=prefix, dry_run=dry_run)
        verb = "would create" if r.dry_run else "created"
        click.echo(f"{path}: {r.format} questionnaire, {r.respondents} respondent(s); {verb} {r.documents} "
                   f"document(s)" + (f", {r.unchanged} unchanged" if r.unchanged else ""))
        click.echo(f"  open questions (turns): {'; '.join(r.open_questions)}")
        click.echo("  attributes: " + (", ".join(f"{n} ({t})" for n, t in r.attributes) or "none"))
        click.echo(f"  empty answers skipped: {r.empty_answers}; respondents without any open answer: "
                   f"{r.without_answers}")
    return True


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--encoding", default=None, help="Decode with this encoding (e.g. gb18030) instead of detecting it.")
@click.option("--as", "as_name", default=None, metavar="NAME", help="Store a single file under NAME instead of its file stem.")
@survey_options
@project_option
@click.pass_context
def import_(ctx: click.Context, paths: tuple[str, ...], encoding: str | None, as_name: str | None, project: str | None,
            **survey) -> None:
    """Import transcripts: .txt, .md and .docx files, and folders (recursively).

    Text is decoded (BOM, UTF-8, GB18030, then detection; --encoding overrides), newlines
    normalised, and cut into speaker turns and sentences. All files are imported, or none:
    a bad file leaves the project unchanged.

    A .csv or .xlsx file is a questionnaire: one document per respondent, one turn per open
    question (labelled with the question), closed answers as the respondent's attributes.
    问卷星 and 腾讯问卷 downloads are recognised; otherwise say --id, --text and --attributes.
    """
    from qcode.project.importing import import_transcripts

    proj = open_project(ctx, project)
    if _import_surveys(proj, paths, **survey):
        return
    progress = DelayedProgress("importing")
    try:
        outcomes = import_transcripts(proj, list(paths), encoding=encoding, as_name=as_name, progress=progress)
    finally:
        progress.close()
    rows = [(o.name, o.status, o.characters, o.turns, o.sentences, o.encoding, o.note) for o in outcomes]
    emit("table", ["transcript", "result", "characters", "turns", "sentences", "encoding", "note"], rows, right=(2, 3, 4))
    imported = sum(o.status in ("imported", "replaced") for o in outcomes)
    click.echo(f"{imported} imported, {len(outcomes) - imported} unchanged or skipped.", err=True)


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
        raise InputError(f"no transcript named {', '.join(repr(m) for m in missing)}; see `qcode transcripts`")
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
    click.echo(f"Project: {project.root}")
    if book is not None:
        click.echo(f"Codebook: {book.title.get('zh') or book.id or '(untitled)'} — {sum(c.codable for c in book)} codes")
    rows = [(s.name, s.characters, s.turns, s.sentences, ", ".join(s.speakers)) for s in summaries]
    emit("table", ["transcript", "characters", "turns", "sentences", "speakers"], rows, right=(1, 2, 3))
