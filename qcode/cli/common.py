"""What every command shares: the -p/--project option, opening the project, running with clean errors."""

from __future__ import annotations

import os
import importlib
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from qcode.errors import Problem, QcodeError

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

F = Callable[..., Any]

PROJECT_ROOT_KEY = "qcode.project_root"


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use.

    `registry` maps a command name to (module, attribute, one-line help); the help listing comes from
    the registry, so `--help` imports none of the command modules (and with them the whole app).
    """

    registry: dict[str, tuple[str, str, str]] = {}
    section = "Commands"

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.registry)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.registry:
            return None
        module, attribute, _ = self.registry[name]
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section(self.section):
            formatter.write_dl([(name, helptext) for name, (_, _, helptext) in self.registry.items()])


def project_option(func: F) -> F:
    return click.option(
        "-p",
        "--project",
        type=click.Path(file_okay=True, dir_okay=True),
        default=None,
        metavar="DIR",
        help="Project folder (default: $QCODE_PROJECT, else the current folder or one above it).",
    )(func)


def project_path(ctx: click.Context, given: str | None) -> str | None:
    """The -p value given to the command, else the one given before the command name."""
    if given is not None:
        return given
    root = ctx.find_root()
    return root.params.get("project") if root is not ctx else None


def _lock_patience() -> float:
    """How long a command waits for another one's write lock (10 minutes; QCODE_LOCK_PATIENCE for tests)."""
    try:
        return float(os.environ.get("QCODE_LOCK_PATIENCE", "600"))
    except ValueError:
        return 600.0


def open_project(ctx: click.Context, given: str | None):
    """Open the project this command works on (see `find_project_root`)."""
    from qcode.project.locate import find_project_root  # lazy: --help speed
    from qcode.project.project import Project  # lazy: --help speed

    project = Project.open(find_project_root(project_path(ctx, given)))
    ctx.call_on_close(project.close)
    ctx.meta[PROJECT_ROOT_KEY] = project.root  # so that output files are checked against its files
    # Another command (a big import) may hold the write lock for a while: wait for it, and say so.
    project.store.lock_patience = _lock_patience()
    project.store.on_lock_wait = lambda: click.echo(
        "waiting for another qcode command (or the coding screen) to finish writing…", err=True)
    return project


def print_problems(problems: list[Problem]) -> None:
    from qcode.text.safe_text import visible_controls  # lazy: --help speed

    for problem in problems:
        label = "warning" if problem.severity == "warning" else "error"
        where = problem.location()
        # Messages quote file names and file contents: never let them drive the terminal.
        click.echo(visible_controls(f"{label}: {where + ': ' if where else ''}{problem.message}"), err=True)


def run_cli(command: click.Command, argv: list[str] | None) -> int:
    """Run a click command; user errors become messages and a non-zero exit status, never tracebacks."""
    try:
        # Without standalone mode click returns the code of `click.exceptions.Exit` instead of raising it.
        returned = command.main(args=argv, prog_name="qcode", standalone_mode=False)
    except QcodeError as exc:
        print_problems(exc.problems)
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except BrokenPipeError:
        # `qcode ... | head`: the reader went away; that is not an error of ours.
        sys.stderr.close()
        return 0
    except Exception as exc:  # noqa: BLE001 - only database errors a user can act on are turned into messages
        from qcode.storage.database import database_error  # lazy: --help speed

        translated = database_error(exc)
        if translated is None:
            raise
        print_problems(translated.problems)
        return translated.exit_code
    return returned if isinstance(returned, int) else 0


class DelayedProgress:
    """A progress bar on stderr that appears only when the work takes more than a second."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.started = time.monotonic()
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int, current: str) -> None:
        if self.bar is None:
            if time.monotonic() - self.started < 1.0 or not sys.stderr.isatty():
                return
            from rich.console import Console  # lazy: --help speed
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # lazy: --help speed

            self.bar = Progress(TextColumn(self.label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                TextColumn("{task.description}"), console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(current, total=total)
        assert self.task is not None  # added with the bar
        self.bar.update(self.task, completed=done, description=current)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
