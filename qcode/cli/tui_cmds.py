"""Commands that open the coding screen: `qcode code` (also plain `qcode`) and `qcode demo`."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import click

from qcode.cli.common import project_option, project_path
from qcode.cli.output import say
from qcode.errors import InputError
from qcode.i18n import _


def _pause_collector() -> None:
    """Starting the TUI creates some hundred thousand objects that live as long as it (modules, classes,
    the transcript's rows and layout): the cyclic garbage collector would walk them again and again, a
    seventh of the time to the first drawn row. The app turns it back on once its first screen is drawn."""
    gc.disable()


def _open_ui(root: Path, coder: str | None, transcript: str | None) -> None:
    """Run the TUI; a project is validated (and jieba-free) before the screen is taken over."""
    from qcode.userconfig import load_user_config  # lazy: --help speed

    _pause_collector()

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InputError(_("the coding screen needs a terminal; run qcode in a terminal window or over ssh -t"))
    user_config = load_user_config()
    from qcode.tui.app import run_app  # lazy: --help speed

    run_app(root, coder=coder, transcript=transcript, user_config=user_config)


@click.command()
@click.argument("transcript", required=False)
@click.option("--coder", default=None, help="Your coder name (default: from your settings; asked once).")
@project_option
@click.pass_context
def code(ctx: click.Context, transcript: str | None, coder: str | None, project: str | None) -> None:
    """Open the coding screen on the project (on TRANSCRIPT if given)."""
    _pause_collector()
    from qcode.project.codebook_loading import require_codebook  # lazy: --help speed
    from qcode.project.locate import find_project_root  # lazy: --help speed
    from qcode.project.project import Project  # lazy: --help speed

    root = find_project_root(project_path(ctx, project))
    with Project.open(root) as proj:  # fail here, with a message, rather than inside the UI
        require_codebook(proj.store)
        if transcript is not None and proj.store.transcripts.by_name(transcript) is None:
            raise InputError(_("no transcript named '{name}'; see `qcode transcripts`").format(name=transcript))
    _open_ui(root, coder, transcript)


@click.command()
@click.option("--path", "path", default=None, type=click.Path(file_okay=False),
              help="Build the demo project in this folder (default: a new folder in your user data folder).")
@click.option("--no-ui", is_flag=True, help="Only build the project and print a summary.")
@click.option("--coder", default=None, help="Your coder name for the coding screen.")
@click.option("--grounded-theory", "grounded", is_flag=True,
              help="The grounded-theory demo instead: a codebook built bottom-up, codings, relations, starred "
                   "examples and a saturation test set (docs/grounded-theory.md).")
def demo(path: str | None, no_ui: bool, coder: str | None, grounded: bool) -> None:
    """Build a fresh demo project (bundled interviews + NPS x TOE codebook) and open it."""
    from qcode.cli.project_cmds import print_summary  # lazy: --help speed
    from qcode.project.demo import build_demo  # lazy: --help speed

    if grounded:
        from qcode.project.demo_grounded_theory import build_gt_demo  # lazy: --help speed

    folder = Path(path) if path else None
    with build_gt_demo(folder) if grounded else build_demo(folder) as project:
        root = project.root
        if no_ui:
            print_summary(project)
    if not no_ui:
        _open_ui(root, coder, None)
    say(_("Demo project: {root}\nReopen it with: qcode code -p \"{root}\"").format(root=root))
    if not grounded:
        say(_("Two coders' codings and the questionnaire in \"{folder}\" are in it: try qcode freq --by attr:role, "
              "qcode crosstab --by attr:role, qcode agree (add -p \"{root}\" outside it)").format(
            root=root, folder=root / "questionnaire"))
