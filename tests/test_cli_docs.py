"""Every command answers --help with a description and appears in the README's tour."""

from __future__ import annotations

import click
import pytest

from qcode.cli.export_cmds import FORMATS
from qcode.cli.main import COMMANDS, cli
from tests.conftest import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def all_commands() -> list[tuple[str, ...]]:
    found = []
    ctx = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        found.append((name,))
        if isinstance(command, click.Group):
            found += [(name, sub) for sub in command.list_commands(click.Context(command))]
    return found


@pytest.mark.parametrize("path", all_commands(), ids=" ".join)
def test_every_command_has_help_and_is_in_the_readme(run, path):
    result = run(*path, "--help")
    assert result.exit_code == 0, result.stderr
    description = result.stdout.split("\n\n", 2)[1].strip()
    assert len(description) > 20, f"qcode {' '.join(path)} has no real help text"
    assert f"qcode {' '.join(path)}" in README, f"the README's tour does not mention qcode {' '.join(path)}"


def test_export_formats_are_all_registered():
    assert set(FORMATS) == {"xlsx", "qdpx", "qdc"}
