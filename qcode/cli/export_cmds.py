"""`qcode export FORMAT FILE`: one group whose formats live in the modules that own them."""

from __future__ import annotations

import importlib

import click

# format -> (module, attribute, help)
FORMATS: dict[str, tuple[str, str, str]] = {
    "xlsx": ("qcode.cli.report_cmds", "export_xlsx", "One Excel workbook: frequencies, co-occurrence, quotes, codebook."),
    "qdpx": ("qcode.cli.exchange_cmds", "export_qdpx", "A REFI-QDA 1.5 project for NVivo, ATLAS.ti, MAXQDA, QualCoder."),
    "qdc": ("qcode.cli.exchange_cmds", "export_qdc", "The codebook as a REFI-QDA codebook exchange file."),
}


class _FormatGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(FORMATS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in FORMATS:
            return None
        module, attribute, _ = FORMATS[name]
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Formats"):
            formatter.write_dl([(name, text) for name, (_, _, text) in FORMATS.items()])


@click.group(cls=_FormatGroup)
def export() -> None:
    """Export the project to a file other tools read."""
