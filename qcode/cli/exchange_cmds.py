"""Teamwork and exchange: `merge`, `backup`, `export qdpx`, `export qdc`, `codebook convert`, and the
report of `init --from FILE.qdpx`."""

from __future__ import annotations

import click

from qcode import __version__
from qcode.cli.common import open_project, print_problems, project_option
from qcode.cli.output import checked_output_path, emit, force_option, say
from qcode.errors import ConflictError, InputError, Problem
from qcode.i18n import _, counted

_MAX_NOTES = 20


@click.command()
@click.argument("others", nargs=-1, required=True, type=click.Path(), metavar="OTHER...")
@click.option("--dry-run", is_flag=True, help="Show what would change, and change nothing.")
@click.option("--skip-conflicts", is_flag=True, help="Merge everything that does not conflict; leave conflicts as they are here.")
@click.option("--prefer", type=click.Choice(["ours", "theirs"]), default=None,
              help="Settle conflicting codes, codings, memos and review status by keeping ours or taking theirs.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@project_option
@click.pass_context
def merge(ctx: click.Context, others: tuple[str, ...], dry_run: bool, skip_conflicts: bool, prefer: str | None,
          fmt: str, project: str | None) -> None:
    """Merge other coders' project files (OTHER: a project folder or its qcode.db) into this project.

    Transcripts are matched by their text, codes by id, codings and memos by GUID, coders by name.
    What only OTHER has is added; merging the same file again changes nothing. A conflict (same
    transcript name with other text, same code id with other fields, same coding or memo with other
    content, another review status) stops the merge: all conflicts are listed and nothing is written,
    unless --skip-conflicts or --prefer says what to do. Merging never deletes anything.
    """
    from pathlib import Path  # lazy: --help speed

    from qcode.interop.merge import CATEGORIES, merge_projects  # lazy: --help speed

    proj = open_project(ctx, project)
    report = merge_projects(proj, [Path(o) for o in others], dry_run=dry_run, skip_conflicts=skip_conflicts,
                            prefer=prefer)
    rows = []
    for file in report.files:
        for category in CATEGORIES:
            t = file.tallies[category]
            rows.append((str(file.path), category, t.added, t.updated, t.unchanged, t.conflicting))
    json_data = {
        "applied": report.applied,
        "dry_run": dry_run,
        "files": [{"path": str(f.path), "notes": f.notes, "conflicts": [p.message for p in f.conflicts],
                   **{c: vars(f.tallies[c]) for c in CATEGORIES}} for f in report.files],
    }
    emit(fmt, ["file", "what", "added", "updated", "unchanged", "conflicting"], rows, json_data=json_data,
         right=(2, 3, 4, 5))
    for file in report.files:
        for note in file.notes[:_MAX_NOTES]:
            say(_("note: {file}: {note}").format(file=file.path, note=note), err=True)
        if len(file.notes) > _MAX_NOTES:
            say(_("note: {file}: ... and {count} more").format(file=file.path, count=len(file.notes) - _MAX_NOTES),
                err=True)
    if not report.applied and not dry_run:
        raise ConflictError(problems=[*report.conflicts, Problem(
            counted(len(report.conflicts),
                    "nothing was merged because of {count} conflict; settle it with --prefer ours|theirs, or merge "
                    "the rest with --skip-conflicts",
                    "nothing was merged because of {count} conflicts; settle them with --prefer ours|theirs, or merge "
                    "the rest with --skip-conflicts"))])
    print_problems(report.conflicts)
    if report.applied:
        left = counted(len(report.conflicts), " {count} conflict left as it is here.",
                       " {count} conflicts left as they are here.") if report.conflicts else ""
        say(_("Merged.") + left, err=True)
    else:
        blocking = report.conflicts and not skip_conflicts
        say(_("Dry run: nothing was changed.") + (counted(
            len(report.conflicts), " {count} conflict would stop the merge (see --skip-conflicts and --prefer).",
            " {count} conflicts would stop the merge (see --skip-conflicts and --prefer).") if blocking else ""),
            err=True)


@click.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@project_option
@click.pass_context
def backup(ctx: click.Context, file: str | None, project: str | None) -> None:
    """Write a consistent copy of the project database to FILE (default:
    exports/backup-YYYYMMDD-HHMMSS.db), safe while the coding screen is open."""
    from qcode.interop.backup import backup_project  # lazy: --help speed

    proj = open_project(ctx, project)
    result = backup_project(proj, checked_output_path(file, "backup") if file else None)
    say(_("Backed up to {path} ({size:.0f} KiB: {transcripts}, {codings}).").format(
        path=result.path, size=result.size / 1024,
        transcripts=counted(result.transcripts, "{count} transcript", "{count} transcripts"),
        codings=counted(result.codings, "{count} coding", "{count} codings")))


@click.command("qdpx")
@click.argument("file", type=click.Path(dir_okay=False))
@force_option
@project_option
@click.pass_context
def export_qdpx(ctx: click.Context, file: str, project: str | None) -> None:
    """Write the project as a REFI-QDA 1.5 project (FILE.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder.

    Coders become users, codes keep their hierarchy, colours and definitions, every coding is a text
    selection with its coder, memos become notes. GUIDs stay the same from one export to the next,
    and `qcode init DIR --from FILE.qdpx` gives the same project back.
    """
    from qcode.interop.qdpx_export import export_qdpx as write  # lazy: --help speed

    proj = open_project(ctx, project)
    summary = write(proj, checked_output_path(file, "qdpx"))
    say(_("Wrote {path}: {transcripts}, {codes}, {coders}, {codings}, {memos}.").format(
        path=summary.path, **project_counts(summary.transcripts, summary.codes, summary.coders, summary.codings,
                                            summary.memos)))


def project_counts(transcripts: int, codes: int, coders: int, codings: int, memos: int) -> dict[str, str]:
    """The counted nouns of a project's summary ("1 transcript", "12 codes and groups", ...), by name."""
    return {"transcripts": counted(transcripts, "{count} transcript", "{count} transcripts"),
            "codes": counted(codes, "{count} code or group", "{count} codes and groups"),
            "coders": counted(coders, "{count} coder", "{count} coders"),
            "codings": counted(codings, "{count} coding", "{count} codings"),
            "memos": counted(memos, "{count} memo", "{count} memos")}


@click.command("qdc")
@click.argument("file", type=click.Path(dir_okay=False))
@force_option
@project_option
@click.pass_context
def export_qdc(ctx: click.Context, file: str, project: str | None) -> None:
    """Write the project's codebook as a REFI-QDA codebook exchange file (FILE.qdc)."""
    from pathlib import Path  # lazy: --help speed

    from qcode.cli.output import write_output  # lazy: --help speed
    from qcode.interop.refi_codebook import qdc_bytes  # lazy: --help speed
    from qcode.project.codebook_loading import require_codebook  # lazy: --help speed

    book = require_codebook(open_project(ctx, project).store)
    write_output(qdc_bytes(book, f"qcode {__version__}").decode("utf-8"), str(Path(file)), kind="qdc")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite OUT if it exists.")
def convert(file: str, out: str, force: bool) -> None:
    """Convert a REFI-QDA codebook (FILE.qdc) into a qcode YAML codebook (OUT.yaml)."""
    from pathlib import Path  # lazy: --help speed

    from qcode.cli.output import write_output  # lazy: --help speed
    from qcode.codebook import dump_codebook_yaml  # lazy: --help speed
    from qcode.interop.refi_codebook import read_qdc  # lazy: --help speed

    book, warnings = read_qdc(file)
    print_problems(warnings)
    if Path(out).exists() and not force:
        raise InputError(_("exists already; use --force to overwrite it"), path=out)
    write_output(dump_codebook_yaml(book), out)
    groups = sum(not c.codable for c in book)
    say(_("{codes} in {groups}.").format(codes=counted(len(book) - groups, "{count} code", "{count} codes"),
                                         groups=counted(groups, "{count} group", "{count} groups")), err=True)


def init_from_qdpx(directory: str, source: str) -> None:
    """What `qcode init DIRECTORY --from SOURCE.qdpx` does: create the project and report on it."""
    from pathlib import Path  # lazy: --help speed

    from qcode.interop.qdpx_import import init_project_from_qdpx  # lazy: --help speed

    report = init_project_from_qdpx(Path(directory), Path(source))
    print_problems(report.warnings)
    if report.origin:
        say(_("Created a qcode project in {folder} from {source} (written by {origin}):").format(
            folder=report.project_root, source=report.source, origin=report.origin))
    else:
        say(_("Created a qcode project in {folder} from {source}:").format(folder=report.project_root,
                                                                          source=report.source))
    say("  " + _("{transcripts}, {codes}, {coders}, {codings}, {memos}, {review}.").format(
        review=counted(report.review, "{count} review status", "{count} review statuses"),
        **project_counts(report.transcripts, report.codes, report.coders, report.codings, report.memos)))
    if report.counting:
        say("  " + _("Positions counted as {counting}.").format(counting=report.counting))
    if report.skipped:
        say(_("Not imported:"))
        emit("table", ["what", "name", "why"], [(s.kind, s.name, s.reason) for s in report.skipped])
