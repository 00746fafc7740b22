"""`qcode export FORMAT FILE`: one group whose formats live in the modules that own them."""

from __future__ import annotations

import click

from qcode.cli.common import LazyGroup
from qcode.i18n import N_

# format -> (module, attribute, help)
FORMATS: dict[str, tuple[str, str, str]] = {
    "xlsx": ("qcode.cli.report_cmds", "export_xlsx", "One Excel workbook: frequencies, co-occurrence, quotes, codebook."),
    "qdpx": ("qcode.cli.exchange_cmds", "export_qdpx", "A REFI-QDA 1.5 project for NVivo, ATLAS.ti, MAXQDA, QualCoder."),
    "qdc": ("qcode.cli.exchange_cmds", "export_qdc", "The codebook as a REFI-QDA codebook exchange file."),
}


class _FormatGroup(LazyGroup):
    registry = FORMATS
    section = N_("Formats")


@click.group(cls=_FormatGroup)
def export() -> None:
    """Export the project to a file other tools read."""
