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
from qcode.cli.output import FILE_FORMATS, emit, emit_tables, file_output, write_output
from qcode.i18n import _, current_language, set_language

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
    return click.option("--lang", type=click.Choice(["zh", "en"]), default=current_language, callback=_report_language,
                        help="Language of code names, headers and captions (default: the interface language).")(func)


def _report_language(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """A report in another language than the interface: its titles, headers and messages follow it too."""
    set_language(value)
    return value


def _table_format_options(func: F) -> F:
    """--format (table, csv, json, xlsx, md, docx) and -o/--output, as freq and cooccur take them."""
    func = _output_option(func)
    return click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "xlsx", "md", "docx"]),
                        default="table", show_default=True,
                        help="docx: a Word document with a three-line table (三线表), for a thesis.")(func)


def _output_option(func: F) -> F:
    return click.option("-o", "--output", default=None, metavar="FILE",
                        help="Write to FILE instead of the terminal (needed for xlsx and docx).")(func)


def _load(ctx: click.Context, project: str | None, coders, transcripts, codes):
    from qcode.reports import Selection, load_report_data, split_names

    proj = open_project(ctx, project)
    selection = Selection(split_names(coders), split_names(transcripts), split_names(codes))
    return load_report_data(proj.store, selection)


def _emit_table(fmt: str, table, output: str | None, lang: str = "zh") -> None:
    """A report table in any format (see `emit_tables`)."""
    emit_tables(fmt, [table], output, lang=lang)


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

    if fmt in FILE_FORMATS:
        file_output(fmt, output)  # before any work
    data = _load(ctx, project, coders, transcripts, codes)
    table = code_frequencies(data, unit, by)
    book = data.codebook
    if fmt == "xlsx":
        _emit_table(fmt, frequency_long(table, book, lang), output)
    elif fmt == "json":
        emit("json", [], [], json_data=frequency_records(table, book, lang), output=output)
    elif fmt == "csv":
        _emit_table("csv", frequency_long(table, book, lang), output)
    else:
        indent = INDENT_MARKDOWN if fmt == "md" else INDENT_TEXT
        shown = (frequency_crosstab(table, book, measure, lang, indent=indent) if by
                 else frequency_summary(table, book, lang, indent=indent))
        _emit_table(fmt, shown, output, lang)


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

    if fmt in FILE_FORMATS:
        file_output(fmt, output)
    data = _load(ctx, project, coders, transcripts, codes)
    matrix = cooccurrence(data, unit, rollup=rollup, named=split_names(codes))
    book = data.codebook
    table = cooccurrence_table(matrix, book, measure, lang)
    if fmt == "json":
        emit("json", [], [], json_data=cooccurrence_record(matrix, book, measure, lang), output=output)
    else:
        _emit_table(fmt, table, output, lang)


@click.command()
@click.argument("code")
@click.option("--rollup", is_flag=True, help="Also every code under CODE (needed for a group).")
@click.option("--coders", "coders", multiple=True, metavar="NAMES",
              help="Only these coders (comma-separated or repeated). "
                          "Default: everyone who coded, except machine coders (auto:...).")
@click.option("--transcripts", "transcripts", multiple=True, metavar="NAMES",
              help="Only these transcripts (comma-separated or repeated). Default: all.")
@_lang_option
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "json", "xlsx", "docx"]), default="md",
              show_default=True, help="docx: a Word document with a three-line table (三线表).")
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

    if fmt in FILE_FORMATS:
        file_output(fmt, output)
    data = _load(ctx, project, coders, transcripts, ())
    collection = coded_passages(data, code, rollup=rollup)
    book = data.codebook
    if fmt == "md":
        write_output(quotes_markdown(collection, book, lang), output)
    elif fmt == "json":
        emit("json", [], [], json_data=quote_records(collection.quotes, book, lang), output=output)
    else:
        _emit_table(fmt, quote_table(collection.quotes, book, lang), output, lang)


@click.command("xlsx")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--unit", type=click.Choice(["turn", "sentence"]), default="turn", show_default=True,
              help="Unit of the frequency, co-occurrence and agreement sheets.")
@_selection_options
@_lang_option
@click.option("--bootstrap", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Bootstrap resamples for the 95% intervals on the agreement sheets (0: none).")
@project_option
@click.pass_context
def export_xlsx(ctx: click.Context, file: str, unit: str, coders, transcripts, codes, lang: str, bootstrap: int,
                project: str | None) -> None:
    """One Excel workbook: frequencies, co-occurrence, quotes, codebook, counts per code with charts,
    agreement (overall, per code, pairwise, with 95% intervals) and memos.

    Every sheet has a frozen header row; Chinese text is kept as is. The agreement sheets compare
    the coders who marked transcripts complete, as `qcode agree` does; without two such coders the
    workbook has no agreement sheets and qcode says why.
    """
    from qcode.errors import QcodeError
    from qcode.project.reliability import run_agreement, selection_from_options
    from qcode.reports import Selection, load_report_data, split_names
    from qcode.reports.workbook import export_workbook

    store = open_project(ctx, project).store
    data = load_report_data(store, Selection(split_names(coders), split_names(transcripts), split_names(codes)))
    chosen = {name: ",".join(split_names(values) or ()) or None
              for name, values in (("coders", coders), ("transcripts", transcripts), ("codes", codes))}
    try:
        agreement = run_agreement(store, selection_from_options(unit=unit, **chosen), bootstrap=bootstrap, seed=1)
    except QcodeError as exc:
        agreement = None
        reasons = "; ".join(problem.message for problem in exc.problems)
        click.echo(_("note: no agreement sheets: {reasons}").format(reasons=reasons), err=True)
    path = Path(file)
    print_problems(export_workbook(data, path, unit=unit, lang=lang, agreement=agreement, memos=store.memos.all()))
    click.echo(_("wrote {path}").format(path=path), err=True)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["md", "yaml", "docx"]), default="md", show_default=True,
              help="md: a thesis appendix with counts; yaml: the codebook file as loaded; "
                   "docx: the codebook as a three-line table in a Word document (needs -o).")
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
    from qcode.reports.tables import codebook_table

    if fmt == "docx":
        file_output(fmt, output)
    data = _load(ctx, project, coders, transcripts, codes)
    book = data.codebook
    languages = tuple(book.languages) or ("zh",)
    chosen = languages if lang == "both" else (lang,)
    table = code_frequencies(data, unit)
    if fmt == "docx":
        emit_tables(fmt, [codebook_table(book, table, chosen)], output, lang=chosen[0])
        return
    write_output(codebook_appendix(book, table, chosen), output)
