"""Report commands: `qcode freq`, `cooccur`, `quotes`, `export xlsx` and `codebook export`.

Thin on purpose: parse options, call `qcode.reports`, write the result. Every report reads the project
and never changes it. Heavy modules are imported inside the commands so that `qcode --help` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from qcode.cli.common import open_project, print_problems, project_option
from qcode.cli.output import checked_output_path, emit, force_option, output_option, say, write_output
from qcode.errors import InputError

F = Callable[..., Any]


def _selection_options(func: F) -> F:
    """--coders, --transcripts and --codes: repeatable, each also taking a comma-separated list."""
    options = [
        click.option("--coders", "coders", multiple=True, metavar="NAMES",
                     help="Only these coders (comma-separated or repeated). "
                          "Default: everyone who coded, except machine coders (auto:...)."),
        click.option("--transcripts", "transcripts", multiple=True, metavar="NAMES",
                     help="Only these transcripts (comma-separated or repeated). Default: all."),
        click.option("--codes", "codes", multiple=True, metavar="IDS",
                     help="Only these codes, each with the codes under it (comma-separated or repeated)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _lang_option(func: F) -> F:
    return click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                        help="Language of code names and labels.")(func)


def _table_format_options(func: F) -> F:
    """--format (table, csv, json, xlsx, md) and -o/--output, as freq and cooccur take them."""
    func = _output_option(func)
    return click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "xlsx", "md"]),
                        default="table", show_default=True)(func)


def _output_option(func: F) -> F:
    return output_option("Write to FILE instead of the terminal (needed for xlsx).")(func)


def _load(ctx: click.Context, project: str | None, coders, transcripts, codes):
    from qcode.reports import Selection, load_report_data, split_names

    proj = open_project(ctx, project)
    selection = Selection(split_names(coders), split_names(transcripts), split_names(codes))
    return load_report_data(proj.store, selection)


def _xlsx_path(output: str | None) -> Path:
    if output in (None, "-"):
        raise InputError("--format xlsx writes a file: give it with -o FILE.xlsx")
    return checked_output_path(output, "xlsx")


def _write_xlsx(output: str | None, tables) -> None:
    from qcode.reports.xlsx import write_workbook

    path = _xlsx_path(output)
    print_problems(write_workbook(path, tables))
    say(f"wrote {path}", err=True)


def _emit_table(fmt: str, table, output: str | None) -> None:
    """A report table in a text format: numbers formatted for reading in table and md only."""
    from qcode.reports.tables import readable

    shown = readable(table) if fmt in ("table", "md") else table
    emit(fmt, list(shown.headers), list(shown.rows), output=output, title=shown.title, right=shown.numeric)


@click.command()
@click.option("--unit", type=click.Choice(["turn", "sentence"]), default="turn", show_default=True,
              help="Units counted in `units` and `share`: speaker turns or sentences.")
@click.option("--by", "by", type=click.Choice(["transcript", "coder", "speaker"]), default=None,
              help="Break the numbers down by transcript, coder or speaker.")
@click.option("--measure", type=click.Choice(["codings", "units", "transcripts", "share", "characters"]),
              default="units", show_default=True,
              help="With --by, the number shown in the cells of the table and md cross tables.")
@_selection_options
@_lang_option
@_table_format_options
@project_option
@click.pass_context
def freq(ctx: click.Context, unit: str, by: str | None, measure: str, coders, transcripts, codes, lang: str,
         fmt: str, output: str | None, project: str | None) -> None:
    """Code frequencies in codebook order: codings, units, share of units, transcripts, characters.

    \b
    codings      codings of the code
    units        distinct turns (or sentences) the code marks by the unit rule: a coding
                 marks a unit when it covers one of its non-space, non-punctuation characters;
                 a unit marked by several coders or codings counts once
    share        units / units of the transcripts in the analysis (units with some text)
    transcripts  transcripts with at least one coding of the code
    characters   characters the codings cover, each character once

    A code with children gets a second row, scope "subtree": the code and everything under it,
    each unit, transcript and character counted once. Groups show only that row.

    With --by the table and md formats show a cross table of --measure (the last column is the
    pooled value); csv, json and xlsx give one row per code and transcript/coder/speaker with
    every measure. --by coder counts each coder's own codings; --by speaker attributes units to
    the speaker of their turn, and codings to the speakers of the units they mark.
    """
    from qcode.reports import code_frequencies
    from qcode.reports.tables import (
        INDENT_MARKDOWN,
        INDENT_TEXT,
        frequency_crosstab,
        frequency_long,
        frequency_records,
        frequency_summary,
    )

    if fmt == "xlsx":
        _xlsx_path(output)  # before any work
    data = _load(ctx, project, coders, transcripts, codes)
    table = code_frequencies(data, unit, by)
    book = data.codebook
    if fmt == "xlsx":
        _write_xlsx(output, [frequency_long(table, book, lang)])
    elif fmt == "json":
        emit("json", [], [], json_data=frequency_records(table, book, lang), output=output)
    elif fmt == "csv":
        _emit_table("csv", frequency_long(table, book, lang), output)
    else:
        indent = INDENT_MARKDOWN if fmt == "md" else INDENT_TEXT
        shown = (frequency_crosstab(table, book, measure, lang, indent=indent) if by
                 else frequency_summary(table, book, lang, indent=indent))
        _emit_table(fmt, shown, output)


@click.command()
@click.option("--unit", type=click.Choice(["turn", "sentence", "transcript"]), default="turn", show_default=True,
              help="Units in which two codes co-occur.")
@click.option("--measure", type=click.Choice(["count", "jaccard"]), default="count", show_default=True,
              help="count: units with both codes; jaccard: |A∩B| / |A∪B| over units.")
@click.option("--rollup", is_flag=True,
              help="Each code stands for its whole subtree; the codes are those given with --codes, "
                   "else the top-level codes and groups.")
@_selection_options
@_lang_option
@_table_format_options
@project_option
@click.pass_context
def cooccur(ctx: click.Context, unit: str, measure: str, rollup: bool, coders, transcripts, codes, lang: str,
            fmt: str, output: str | None, project: str | None) -> None:
    """Code x code matrix: the units to which both codes apply.

    A unit has a code when any selected coder's coding of it marks the unit (pooled over coders;
    use --coders to look at one coder). The diagonal is the number of units of the code. For
    transcripts, a code applies when it is used anywhere in the transcript.
    """
    from qcode.reports import cooccurrence, split_names
    from qcode.reports.tables import cooccurrence_record, cooccurrence_table

    if fmt == "xlsx":
        _xlsx_path(output)
    data = _load(ctx, project, coders, transcripts, codes)
    matrix = cooccurrence(data, unit, rollup=rollup, named=split_names(codes))
    book = data.codebook
    table = cooccurrence_table(matrix, book, measure, lang)
    if fmt == "xlsx":
        _write_xlsx(output, [table])
    elif fmt == "json":
        emit("json", [], [], json_data=cooccurrence_record(matrix, book, measure, lang), output=output)
    else:
        _emit_table(fmt, table, output)


@click.command()
@click.argument("code")
@click.option("--rollup", is_flag=True, help="Also every code under CODE (needed for a group).")
@click.option("--coders", "coders", multiple=True, metavar="NAMES",
              help="Only these coders (comma-separated or repeated). "
                          "Default: everyone who coded, except machine coders (auto:...).")
@click.option("--transcripts", "transcripts", multiple=True, metavar="NAMES",
              help="Only these transcripts (comma-separated or repeated). Default: all.")
@_lang_option
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "json", "xlsx"]), default="md", show_default=True)
@_output_option
@project_option
@click.pass_context
def quotes(ctx: click.Context, code: str, rollup: bool, coders, transcripts, lang: str, fmt: str,
           output: str | None, project: str | None) -> None:
    """Every coded passage of CODE: transcript, speaker, offsets, text, coder, memo.

    Passages come in document order; each coding is its own passage (nothing is merged, also not
    when two coders coded the same words). The text is exactly the coded characters. The speaker
    is the speaker of the turn in which the coding starts. Markdown (the default) gives a heading
    per transcript and a block quote per passage, ready for a findings chapter.
    """
    from qcode.reports import coded_passages
    from qcode.reports.markdown import quotes_markdown
    from qcode.reports.tables import quote_records, quote_table

    if fmt == "xlsx":
        _xlsx_path(output)
    data = _load(ctx, project, coders, transcripts, ())
    collection = coded_passages(data, code, rollup=rollup)
    book = data.codebook
    if fmt == "md":
        write_output(quotes_markdown(collection, book, lang), output)
    elif fmt == "json":
        emit("json", [], [], json_data=quote_records(collection.quotes, book, lang), output=output)
    elif fmt == "xlsx":
        _write_xlsx(output, [quote_table(collection.quotes, book, lang)])
    else:
        _emit_table("csv", quote_table(collection.quotes, book, lang), output)


@click.command("xlsx")
@click.argument("file", type=click.Path(dir_okay=False))
@force_option
@click.option("--unit", type=click.Choice(["turn", "sentence"]), default="turn", show_default=True,
              help="Unit of the frequency and co-occurrence sheets.")
@_selection_options
@_lang_option
@project_option
@click.pass_context
def export_xlsx(ctx: click.Context, file: str, unit: str, coders, transcripts, codes, lang: str,
                project: str | None) -> None:
    """One Excel workbook: frequencies, frequencies by transcript, co-occurrence, quotes, codebook.

    Every sheet has a frozen header row; Chinese text is kept as is.
    """
    from qcode.reports.workbook import export_workbook

    checked_output_path(file, "xlsx")  # before any work
    data = _load(ctx, project, coders, transcripts, codes)
    path = checked_output_path(file, "xlsx")
    print_problems(export_workbook(data, path, unit=unit, lang=lang))
    say(f"wrote {path}", err=True)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["md", "yaml"]), default="md", show_default=True,
              help="md: a thesis appendix with counts; yaml: the codebook file as loaded.")
@click.option("--lang", type=click.Choice(["both", "zh", "en"]), default="both", show_default=True,
              help="Languages of the codebook texts in md (both: every language the codebook gives).")
@click.option("--unit", type=click.Choice(["turn", "sentence"]), default="turn", show_default=True,
              help="Unit counted in the appendix.")
@_selection_options
@_output_option
@project_option
@click.pass_context
def codebook_export(ctx: click.Context, fmt: str, lang: str, unit: str, coders, transcripts, codes,
                    output: str | None, project: str | None) -> None:
    """Write the project's codebook: a Markdown appendix with counts, or the YAML file.

    The appendix gives each code's id, names, definition, include and exclude rules, examples, and
    its counts (codings, units, transcripts; codes with children also with their subtree).
    """
    if fmt == "yaml":
        from qcode.codebook import dump_codebook_yaml
        from qcode.project.codebook_loading import require_codebook

        write_output(dump_codebook_yaml(require_codebook(open_project(ctx, project).store)), output)
        return
    from qcode.reports import code_frequencies
    from qcode.reports.markdown import codebook_appendix

    data = _load(ctx, project, coders, transcripts, codes)
    book = data.codebook
    languages = tuple(book.languages) or ("zh",)
    chosen = languages if lang == "both" else (lang,)
    table = code_frequencies(data, unit)
    write_output(codebook_appendix(book, table, chosen), output)
