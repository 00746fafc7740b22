"""Commands on the project itself: init, import, transcripts, complete, log."""

from __future__ import annotations

from pathlib import Path

import click

from qcode.cli.common import DelayedProgress, open_project, project_option
from qcode.cli.output import emit, output_option, say
from qcode.errors import InputError
from qcode.i18n import N_, _, counted, current_language, ngettext


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
    from pathlib import Path  # lazy: --help speed

    from qcode.project.project import Project  # lazy: --help speed

    if source is not None:
        from qcode.cli.exchange_cmds import init_from_qdpx  # lazy: --help speed

        init_from_qdpx(directory, source)
        return

    with Project.init(Path(directory)) as project:
        say(_("Created a qcode project in {root}").format(root=project.root))
        say(_("Next: qcode codebook load CODEBOOK.yaml   then   qcode import TRANSCRIPTS..."))


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
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _import_surveys(proj, paths: tuple[str, ...], *, id_column, text_columns, attribute_columns, prefix,
                    dry_run) -> bool:
    """Import the questionnaires among `paths`; False when none is one (then transcripts are imported)."""
    from qcode.errors import InputError  # lazy: --help speed
    from qcode.project.survey_import import import_survey, is_survey  # lazy: --help speed

    tables = [Path(p) for p in paths if is_survey(Path(p))]
    if not tables:
        if id_column or text_columns or attribute_columns or prefix:
            raise InputError(_("--id, --text, --attributes and --prefix are for questionnaires (.csv, .xlsx)"))
        return False
    if len(tables) != len(paths):
        raise InputError(_("import questionnaires (.csv, .xlsx) and transcripts in separate commands"))
    for path in tables:
        r = import_survey(proj, path, id_column=id_column, text_columns=tuple(text_columns),
                          attribute_columns=tuple(attribute_columns), prefix=prefix, dry_run=dry_run)
        line = (_("{path}: {format} questionnaire, {respondents}; would create {documents}") if r.dry_run else
                _("{path}: {format} questionnaire, {respondents}; created {documents}"))
        say(line.format(path=path, format=r.format,
                        respondents=counted(r.respondents, "{count} respondent", "{count} respondents"),
                        documents=counted(r.documents, "{count} document", "{count} documents"))
                   + (_(", {count} unchanged").format(count=r.unchanged) if r.unchanged else ""))
        say("  " + _("open questions (turns): {questions}").format(questions="; ".join(r.open_questions)))
        say("  " + _("attributes: {attributes}").format(
            attributes=", ".join(f"{n} ({t})" for n, t in r.attributes) or _("none")))
        say("  " + _("empty answers skipped: {empty}; respondents without any open answer: {without}").format(
            empty=r.empty_answers, without=r.without_answers))
    return True


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--encoding", default=None, help="Decode with this encoding (e.g. gb18030) instead of detecting it.")
@click.option("--as", "as_name", default=None, metavar="NAME", help="Store a single file under NAME instead of its file stem.")
@click.option("--dry-run", is_flag=True, help="Show how each file would be read (convention, speakers, header, "
              "first turns) and what would happen; store nothing.")
@click.option("--update", is_flag=True, help="Replace the text of a stored transcript that has codings, moving its "
              "codings onto the new text; edited passages are reported.")
@click.option("--resplit", is_flag=True, help="With --update: cut the transcript into turns and sentences again with "
              "the current rules, even if its text is unchanged.")
@survey_options
@project_option
@click.pass_context
def import_(ctx: click.Context, paths: tuple[str, ...], encoding: str | None, as_name: str | None, dry_run: bool,
            update: bool, resplit: bool, project: str | None, **survey) -> None:
    """Import transcripts: .txt, .md, .docx, .vtt and .srt files, and folders (recursively).

    Text is decoded (BOM, UTF-8, GB18030, then detection; --encoding overrides), newlines
    normalised, and cut into speaker turns and sentences: speaker labels (also in Markdown
    emphasis), ASR export lines (`Name   01:19`), timestamps (kept as turn times, never as
    speech), subtitle cues. Front matter, headings and export headers are kept as metadata,
    never as units. All files are imported, or none: a bad file leaves the project unchanged.
    Each file's reading is summarised; --dry-run shows only that.

    Re-importing an unchanged file does nothing, even if this version would cut it differently;
    `--update FILE --resplit` cuts a stored transcript again on purpose.

    A .csv or .xlsx file is a questionnaire: one document per respondent, one turn per open
    question (labelled with the question), closed answers as the respondent's attributes.
    问卷星 and 腾讯问卷 downloads are recognised; otherwise say --id, --text and --attributes.
    """
    if resplit and not update:
        raise click.UsageError(_("--resplit goes with --update"))
    proj = open_project(ctx, project)
    if update:
        _update(proj, paths, encoding, as_name, dry_run, resplit)
        return
    from qcode.project.importing import import_transcripts  # lazy: --help speed

    if _import_surveys(proj, paths, dry_run=dry_run, **survey):
        return
    progress = DelayedProgress(_("reading") if dry_run else _("importing"))
    try:
        outcomes = import_transcripts(proj, list(paths), encoding=encoding, as_name=as_name, progress=progress,
                                      dry_run=dry_run)
    finally:
        progress.close()
    for outcome in outcomes:
        if outcome.summary is not None:
            _print_summary(outcome.summary)
    would = {"imported": _("would import"), "replaced": _("would replace")} if dry_run else {}
    rows = [(o.name, would.get(o.status, o.status), o.characters, o.turns, "-" if o.sentences is None else o.sentences,
             o.encoding, o.note) for o in outcomes]
    emit("table", ["transcript", "result", "characters", "turns", "sentences", "encoding", "note"], rows, right=(2, 3, 4))
    if dry_run:
        say(counted(len(outcomes), "dry run: {count} file read, nothing stored.",
                    "dry run: {count} files read, nothing stored."), err=True)
        return
    imported = sum(o.status in ("imported", "replaced") for o in outcomes)
    say(_("{imported} imported, {other} unchanged or skipped.").format(
        imported=imported, other=len(outcomes) - imported), err=True)


def _print_summary(summary) -> None:
    """The reading of one file: convention, speakers, metadata, first turns, warnings."""
    from qcode.text.asr import format_time  # not from reports: that would load numpy into every import  # lazy: --help speed

    say(f"{summary.name}: {summary.convention}")
    speakers = ", ".join(f"{s if s is not None else _('(no label)')} {n}" for s, n in summary.speakers)
    say("  " + _("speakers (turns): {speakers}").format(speakers=speakers or "-"))
    for key, value in summary.metadata.items():
        if key == "front_matter":
            value = "; ".join(f"{k}: {v}" for k, v in value.items())
        elif isinstance(value, list):
            value = " | ".join(value)
        say("  " + _("{key} (metadata): {value}").format(key=key.replace("_", " "), value=value))
    for speaker, time, text in summary.first_turns:
        stamp = f"[{format_time(time)}] " if time is not None else ""
        say(f"  {stamp}{speaker or _('(no label)')}: {text}")
    for hint in summary.hints:
        say("  " + _("warning: {name}: {hint}").format(name=summary.name, hint=hint), err=True)


def _update(proj, paths: tuple[str, ...], encoding: str | None, as_name: str | None, dry_run: bool,
            resplit: bool) -> None:
    from qcode.errors import InputError  # lazy: --help speed
    from qcode.project.updating import update_transcript  # lazy: --help speed

    if len(paths) != 1:
        raise InputError(_("--update takes one transcript file, but {count} paths were given").format(count=len(paths)))
    report = update_transcript(proj, paths[0], as_name=as_name, encoding=encoding, dry_run=dry_run, resplit=resplit)
    if report.summary is not None:
        _print_summary(report.summary)
    verb = {"updated": _("text replaced"), "resplit": _("units cut again"), "unchanged": _("unchanged; nothing to do")}
    say(f"{report.name}: {verb[report.status]}" + (_(" (dry run: nothing stored)") if dry_run else ""))
    say("  " + _("codings: {codings}, moved with their unchanged text: {moved}, over edited text: {edited}, "
                        "removed (text deleted): {removed}").format(
        codings=report.codings, moved=report.moved_exactly, edited=len(report.edited) - len(report.removed),
        removed=len(report.removed)))
    rows = [(m.coder, m.code, f"{m.old_start}-{m.old_end}", m.old_text,
             _("(removed)") if m.removed else f"{m.new_start}-{m.new_end}", m.new_text) for m in report.edited]
    if rows:
        emit("table", ["coder", "code", "old span", "old text", "new span", "new text"], rows)


@click.command()
@click.argument("name", required=False)
@click.option("--turns", "show_turns", is_flag=True, help="List the turns of transcript NAME: speaker, start, end, "
              "time (seconds or empty), text.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]), default="table", show_default=True)
@output_option(N_("Write to FILE instead of the terminal."))
@project_option
@click.pass_context
def transcripts(ctx: click.Context, name: str | None, show_turns: bool, fmt: str, output: str | None,
                project: str | None) -> None:
    """List transcripts: characters, turns, sentences, speakers, and each coder's progress.

    Progress shows, per coder, the turns touched by their codings, their number of codings, and
    ✓ when they marked the transcript complete. `qcode transcripts NAME --turns` lists the turns
    of one transcript instead (speaker null when unlabelled, time in seconds or null).
    """
    if name is not None or show_turns:
        _turns(ctx, name, fmt, output, project)
        return
    from qcode.project.listing import transcript_summaries  # lazy: --help speed

    summaries = transcript_summaries(open_project(ctx, project).store)
    if fmt == "json":
        emit("json", [], [], json_data=[s.to_json() for s in summaries], output=output)
        return
    rows = []
    for s in summaries:
        progress = "; ".join(
            ngettext("{coder} {coded}/{turns} turns, {codings} coding", "{coder} {coded}/{turns} turns, {codings} codings",
                     p.codings).format(
                coder=coder, coded=p.coded_turns, turns=s.turns, codings=p.codings) + (" ✓" if p.complete else "")
            for coder, p in s.progress.items()
        ) or "-"
        rows.append((s.name, s.characters, s.turns, s.sentences, ", ".join(s.speakers), progress))
    emit(fmt, ["transcript", "characters", "turns", "sentences", "speakers", "progress"], rows,
         output=output, right=(1, 2, 3))


def _turns(ctx: click.Context, name: str | None, fmt: str, output: str | None, project: str | None) -> None:
    from qcode.domain.models import UnitKind  # lazy: --help speed
    from qcode.errors import InputError  # lazy: --help speed

    if name is None:
        raise InputError(_("--turns lists the turns of one transcript: qcode transcripts NAME --turns"))
    store = open_project(ctx, project).store
    info = store.transcripts.by_name(name)
    if info is None:
        raise InputError(_("no transcript named '{name}'; see `qcode transcripts`").format(name=name))
    text = store.transcripts.text(info.id)
    turns = [{"index": u.index, "speaker": u.speaker, "start": u.start, "end": u.end, "time": u.time,
              "text": text[u.start:u.end]} for u in store.transcripts.units(info.id, UnitKind.TURN)]
    if fmt == "json":
        emit("json", [], [], json_data=turns, output=output)
        return
    headers = ["index", "speaker", "start", "end", "time", "text"]
    rows = [[t[h] if t[h] is not None else "" for h in headers] for t in turns]
    if fmt == "table":
        for row in rows:
            row[5] = " ".join(row[5].split())[:60]
    emit(fmt, headers, rows, output=output, right=(0, 2, 3, 4))


@click.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--coder", required=True, help="The coder whose review status changes.")
@click.option("--undo", is_flag=True, help="Reopen the transcripts (mark them not complete).")
@project_option
@click.pass_context
def complete(ctx: click.Context, names: tuple[str, ...], coder: str, undo: bool, project: str | None) -> None:
    """Mark transcripts as fully coded by CODER (agreement treats the units of transcripts a
    coder has not completed as missing for that coder)."""
    from qcode.project.coding import CodingSession  # lazy: --help speed

    proj = open_project(ctx, project)
    found = [proj.store.transcripts.by_name(n) for n in names]
    missing = [n for n, t in zip(names, found) if t is None]
    if missing:
        raise InputError(_("no transcript named {names}; see `qcode transcripts`").format(
            names=", ".join(repr(m) for m in missing)))
    session = CodingSession(proj.store, coder, source="cli")
    for info in found:
        changed = session.set_complete(info, not undo)
        line = _("{transcript}: reopened for {coder}") if undo else _("{transcript}: complete for {coder}")
        say(line.format(transcript=info.name, coder=coder) + ("" if changed else _(" (already)")))


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
    from qcode.project.codebook_loading import current_codebook  # lazy: --help speed
    from qcode.project.listing import transcript_summaries  # lazy: --help speed

    book = current_codebook(project.store)
    summaries = transcript_summaries(project.store)
    say(_("Project: {root}").format(root=project.root))
    if book is not None:
        title = book.title.get(current_language()) or book.id or _("(untitled)")
        say(counted(sum(c.codable for c in book), "Codebook: {title} — {count} code", "Codebook: {title} — {count} codes",
                    title=title))
    rows = [(s.name, s.characters, s.turns, s.sentences, ", ".join(s.speakers)) for s in summaries]
    emit("table", [_("transcript"), _("characters"), _("turns"), _("sentences"), _("speakers")], rows,
         right=(1, 2, 3))
