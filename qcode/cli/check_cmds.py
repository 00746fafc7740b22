"""`qcode check`: SQLite's integrity and foreign-key checks plus qcode's own, with what is wrong."""

from __future__ import annotations

import click

from qcode.cli.common import open_project, project_option
from qcode.cli.output import say
from qcode.i18n import _, counted


@click.command()
@project_option
@click.pass_context
def check(ctx: click.Context, project: str | None) -> None:
    """Check the project database: SQLite integrity and foreign keys, a journal entry for every coding,
    offsets within the text, units within the text and in order, texts matching their checksums.

    Changes nothing. Exit status 1 if anything is wrong.
    """
    from qcode.storage.health import check_store  # lazy: --help speed

    proj = open_project(ctx, project)
    report = check_store(proj.store)
    for what, found in report.checks:
        state = _("ok") if not found else counted(len(found), "{count} problem", "{count} problems")
        say(f"{what}: {state}")
        for problem in found:
            say(f"  {problem}")
    if not report.ok:
        say(_("{path}: problems found; `qcode backup` copies made earlier can replace a damaged database").format(
            path=proj.store.path), err=True)
        ctx.exit(1)
