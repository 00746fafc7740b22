"""`qcode speakers`: list speaker labels, rename or merge them, undo a rename."""

from __future__ import annotations

import click

from qcode.cli.common import open_project, project_option
from qcode.cli.output import emit, say
from qcode.i18n import _, counted


@click.group(invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]), default="table", show_default=True)
@project_option
@click.pass_context
def speakers(ctx: click.Context, fmt: str, project: str | None) -> None:
    """List the speaker labels of every transcript with their number of turns.

    Rename or merge labels with `qcode speakers rename OLD NEW [--transcript T]` (e.g. 受访者C and
    受访者 are one person); `qcode speakers undo` reverts the latest rename.
    """
    if ctx.invoked_subcommand is not None:
        return
    from qcode.project.speakers import speaker_counts  # lazy: --help speed

    counts = speaker_counts(open_project(ctx, project).store)
    if fmt == "json":
        emit("json", [], [], json_data=[{"transcript": r.transcript, "speaker": r.speaker, "turns": r.turns}
                                         for r in counts])
        return
    rows = [(r.transcript, r.speaker if r.speaker is not None else _("(no label)"), r.turns) for r in counts]
    emit(fmt, ["transcript", "speaker", "turns"], rows, right=(2,))


@speakers.command()
@click.argument("old")
@click.argument("new")
@click.option("--transcript", default=None, metavar="NAME", help="Only in this transcript (default: all).")
@project_option
@click.pass_context
def rename(ctx: click.Context, old: str, new: str, transcript: str | None, project: str | None) -> None:
    """Rename speaker OLD to NEW (merging them when NEW exists); journalled, undo with `speakers undo`."""
    from qcode.project.speakers import rename_speaker  # lazy: --help speed

    changed = rename_speaker(open_project(ctx, project).store, old, new, transcript)
    for name, turns in changed.items():
        say(counted(turns, "{transcript}: {count} turn {old} -> {new}", "{transcript}: {count} turns {old} -> {new}",
                    transcript=name, old=old, new=new))


@speakers.command()
@project_option
@click.pass_context
def undo(ctx: click.Context, project: str | None) -> None:
    """Revert the latest speaker rename that is still in effect."""
    from qcode.project.speakers import undo_rename  # lazy: --help speed

    done = undo_rename(open_project(ctx, project).store)
    say(done or _("nothing to undo: no speaker rename in effect"))
