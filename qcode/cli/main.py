"""Entry point: the `qcode` command group, loading each command's module only when it is used.

Keeping imports lazy is what lets `qcode --help` answer without loading textual, jieba or SQLite code.
"""

from __future__ import annotations

import sys

import click

from qcode import __version__
from qcode.cli.common import LazyGroup, project_option, run_cli
from qcode.i18n import LANGUAGES

# command name -> (module, attribute, one-line help shown in `qcode --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("qcode.cli.project_cmds", "init", "Create a project folder (qcode.db, codebooks/, transcripts/, exports/)."),
    "import": ("qcode.cli.project_cmds", "import_", "Import .txt, .md, .docx, .vtt and .srt transcripts (files or folders)."),
    "transcripts": ("qcode.cli.project_cmds", "transcripts", "List transcripts with their size, speakers and coding progress."),
    "codebook": ("qcode.cli.codebook_cmds", "codebook", "Check, load, show and export the codebook."),
    "complete": ("qcode.cli.project_cmds", "complete", "Mark transcripts as fully coded by a coder (or --undo)."),
    "code": ("qcode.cli.tui_cmds", "code", "Open the coding screen (also what `qcode` alone does)."),
    "demo": ("qcode.cli.tui_cmds", "demo", "Build a demo project from the bundled interviews and open it."),
    "log": ("qcode.cli.project_cmds", "log", "Show the journal: the latest changes, newest last."),
    "codings": ("qcode.cli.codings_cmds", "codings", "Export or import codings as CSV (coder,transcript,start,end,code,memo)."),
    "agree": ("qcode.cli.agree_cmds", "agree", "Inter-coder agreement: kappa, alpha and more, per code and overall, with CIs."),
    "disagreements": ("qcode.cli.agree_cmds", "disagreements", "List the units where coders differ, in document order."),
    "freq": ("qcode.cli.report_cmds", "freq", "Code frequencies: codings, units, transcripts, characters; by transcript, coder or speaker."),
    "cooccur": ("qcode.cli.report_cmds", "cooccur", "Code co-occurrence matrix over turns, sentences or transcripts."),
    "quotes": ("qcode.cli.report_cmds", "quotes", "Every coded passage of a code, ready to quote."),
    "words": ("qcode.cli.words_cmds", "words", "Word frequencies and distinctive words (jieba for Chinese)."),
    "search": ("qcode.cli.words_cmds", "search", "Keyword-in-context search over the transcripts."),
    "suggest": ("qcode.cli.words_cmds", "suggest", "Keyword coding suggestions, and how well the keywords work."),
    "export": ("qcode.cli.export_cmds", "export", "Export the project: xlsx workbook, REFI-QDA .qdpx project or .qdc codebook."),
    "merge": ("qcode.cli.exchange_cmds", "merge", "Merge other coders' project files into this project."),
    "backup": ("qcode.cli.exchange_cmds", "backup", "Write a consistent copy of the project database."),
    "check": ("qcode.cli.check_cmds", "check", "Check the database: integrity, foreign keys, journal, offsets."),
    "attributes": ("qcode.cli.case_cmds", "attributes", "Typed attributes of transcripts and persons: set, import, export."),
    "persons": ("qcode.cli.case_cmds", "persons", "Persons behind speaker labels: list, or map labels to one person."),
    "crosstab": ("qcode.cli.report_cmds", "crosstab", "Codes x groups (--by attr:NAME ...): cases with each code, chi-square or Fisher test."),
    "matrix": ("qcode.cli.report_cmds", "matrix", "Cases x codes with the cases' attributes: presence, counts or characters."),
    "consensus": ("qcode.cli.consensus_cmds", "consensus", "The team's agreed coding: list, set, clear, export, undo."),
    "codes": ("qcode.cli.codes_cmds", "codes", "Create, rename, move, merge, delete and relate codes while coding."),
    "report": ("qcode.cli.gt_cmds", "report", "Grounded-theory tables: open, axial and selective coding (md, xlsx, docx)."),
    "memos": ("qcode.cli.gt_cmds", "memos", "Every memo (codings, transcripts, codes, relations) as md, xlsx or json."),
    "saturation": ("qcode.cli.gt_cmds", "saturation", "New codes per transcript and what the held-back test set adds."),
    "speakers": ("qcode.cli.speakers_cmds", "speakers", "List speaker labels; rename or merge them (journalled, undoable)."),
    "chart": ("qcode.cli.chart_cmds", "chart", "Charts as PNG or SVG for a thesis: frequencies, agreement (qcode[charts])."),
}


class TopLevel(LazyGroup):
    registry = COMMANDS


@click.group(cls=TopLevel, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qcode")
@project_option
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, expose_value=False, is_eager=True,
              help="Language of the interface: zh (简体中文) or en. Default: `language` in your settings, "
                   "else your locale (LANG), else English.")
@click.pass_context
def cli(ctx: click.Context, project: str | None) -> None:
    """qcode: qualitative coding of interview transcripts in the terminal.

    Run `qcode` alone inside a project to open the coding screen, or `qcode demo` to try it
    on the bundled interviews. Every command takes -p/--project DIR; without it qcode uses
    $QCODE_PROJECT, else the project in the current folder or one above it.
    """
    if ctx.invoked_subcommand is None:
        code = cli.get_command(ctx, "code")
        assert code is not None  # registered in COMMANDS
        ctx.invoke(code)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; user errors print as messages (no traceback) and exit non-zero."""
    # sqlite-utils imports pandas whenever it is installed, only to accept DataFrames, which qcode never
    # passes; that import alone costs about 0.2 s per command. This process is ours: skip it.
    sys.modules.setdefault("pandas", None)  # type: ignore[arg-type]  # None in sys.modules makes `import pandas` fail fast

    sys.exit(run_cli(cli, argv))
