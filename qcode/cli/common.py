"""What every command shares: the -p/--project option, opening the project, running with clean errors."""

from __future__ import annotations

import importlib
import inspect
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

from qcode.errors import Problem, QcodeError
from qcode.i18n import N_, _, current_language, resolve_language, set_language
from qcode.i18n.click_messages import install_click_translations

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
    section = N_("Commands")

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.registry)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.registry:
            return None
        module, attribute, _help = self.registry[name]
        return translate_command(getattr(importlib.import_module(module), attribute))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section(_(self.section)):
            formatter.write_dl([(name, _(helptext)) for name, (_module, _attr, helptext) in self.registry.items()])


def _translated_help(text: str | None) -> str | None:
    """A help text in the interface language; the catalogue holds it as click shows it (cleaned)."""
    if not text:
        return text
    cleaned = inspect.cleandoc(text).partition("\f")[0].strip()
    translated = _(cleaned)
    return text if translated == cleaned else translated


def translate_command(command: click.Command) -> click.Command:
    """Put a command's help, its options' help and its subcommands' help into the interface language.

    Commands are built at import with English texts; the language is known before any command module
    is imported (see `run_cli`). The English texts are kept, so a later run in one process (tests)
    can translate them again into another language.
    """
    language = current_language()
    if getattr(command, "_qcode_language", None) == language:
        return command
    english = command.__dict__.setdefault("_qcode_english", (
        command.help, command.short_help, [p.help for p in command.params if isinstance(p, click.Option)]))
    help_text, short_help, option_help = english
    command.help = _translated_help(help_text)
    command.short_help = _translated_help(short_help)
    for param, text in zip([p for p in command.params if isinstance(p, click.Option)], option_help, strict=True):
        param.help = _translated_help(text)
    if isinstance(command, click.Group) and not isinstance(command, LazyGroup):
        for sub in command.commands.values():
            translate_command(sub)
    command._qcode_language = language  # type: ignore[attr-defined]  # a mark of our own on click's object: translated once per language
    return command


def global_language_flag(argv: Sequence[str]) -> str | None:
    """The value of `qcode --lang X` (given before the command name), if any."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if not arg.startswith("-") and (i == 0 or argv[i - 1] not in ("-p", "--project")):
            return None  # the command name: later options are the command's own
    return None


def configured_language() -> str | None:
    """The language in the user config; a broken config is reported by the command that needs it."""
    from qcode.userconfig import load_user_config  # lazy: --help speed

    try:
        return load_user_config().language
    except QcodeError:
        return None


def choose_language(argv: Sequence[str]) -> str:
    """Set the interface language for this run: --lang, else the user config, else the environment."""
    language = resolve_language(global_language_flag(argv), configured_language(), os.environ)
    set_language(language)
    install_click_translations(click.core, click.decorators, click.exceptions, click.formatting, click.parser,
                               click.termui, click.types)
    return language


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
        _("waiting for another qcode command (or the coding screen) to finish writing…"), err=True)
    return project


def print_problems(problems: list[Problem]) -> None:
    from qcode.text.safe_text import visible_controls  # lazy: --help speed

    for problem in problems:
        label = _("warning") if problem.severity == "warning" else _("error")
        where = problem.location()
        # Messages quote file names and file contents: never let them drive the terminal.
        text = f"{where}: {problem.message}" if where else problem.message
        click.echo(visible_controls(_("{severity}: {problem}").format(severity=label, problem=text)), err=True)


def run_cli(command: click.Command, argv: list[str] | None) -> int:
    """Run a click command; user errors become messages and a non-zero exit status, never tracebacks."""
    choose_language(sys.argv[1:] if argv is None else argv)
    translate_command(command)
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
        click.echo(_("Aborted."), err=True)
        return 1
    except KeyboardInterrupt:
        click.echo(_("Interrupted."), err=True)
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
