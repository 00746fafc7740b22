"""Commands that open the coding screen: `qcode code` and `qcode demo`."""

from __future__ import annotations

import click

from qcode.cli.common import project_option


@click.command()
@click.argument("transcript", required=False)
@click.option("--coder", default=None, help="Your coder name (default: from your settings; asked once).")
@project_option
@click.pass_context
def code(ctx: click.Context, transcript: str | None, coder: str | None, project: str | None) -> None:
    """Open the coding screen on the project (optionally on TRANSCRIPT)."""
    from qcode.cli.common import open_project
    from qcode.cli.project_cmds import print_summary

    proj = open_project(ctx, project)
    print_summary(proj)


@click.command()
@click.option("--path", "path", default=None, type=click.Path(file_okay=False),
              help="Build the demo project in this folder (default: a new folder in your user data folder).")
@click.option("--no-ui", is_flag=True, help="Only build the project; don't open the coding screen.")
@click.option("--coder", default=None, help="Your coder name for the coding screen.")
def demo(path: str | None, no_ui: bool, coder: str | None) -> None:
    """Build a fresh demo project (bundled interviews + NPS x TOE codebook) and open it."""
    from pathlib import Path

    from qcode.cli.project_cmds import print_summary
    from qcode.project.demo import build_demo

    with build_demo(Path(path) if path else None) as project:
        print_summary(project)
        click.echo(f"\nDemo project: {project.root}\nReopen it later with: qcode code -p \"{project.root}\"")
