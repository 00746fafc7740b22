"""Report commands: `qcode freq`, `cooccur`, `quotes`, `export xlsx` and `codebook export`.

Thin on purpose: parse options, call `qcode.reports`, write the result. Every report reads the project
and never changes it. Heavy modules are imported inside the commands so that `qcode --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from collections.abc import Callable, Sequence
from typing import Any

import click
from click.core import ParameterSource

from qcode.cli.common import open_project, print_problems, project_option
from qcode.cli.filters import Grouping, by_option, filter_options
from qcode.cli.output import (FILE_FORMATS, checked_output_path, emit, emit_tables, file_output, force_option,
                              output_option, say, write_output)
from qcode.errors import InputError
from dataclasses import replace
from qcode.i18n import N_, _, current_language, set_language

F = Callable[..., Any]


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
    return output_option(N_("Write to FILE instead of the terminal (needed for xlsx and docx)."))(func)


def _load(ctx: click.Context, project: str | None, selection, *, voice: str | None = None):
    """The report data of `selection` (a command says `data.voice_note()` on stderr once it has written)."""
    from qcode.analysis.units import load_report_data  # lazy: --help speed

    proj = open_project(ctx, project)
    return load_report_data(proj.store, selection, voice=voice)


def _note(data) -> None:
    """Whose codings were counted (one voice per passage, or each coder's), after the output."""
    say(data.voice_note(), err=True)
    if note := data.speakers_note():
        say(note, err=True)


def _emit_table(fmt: str, table, output: str | None, lang: str = "zh") -> None:
    """A report table in any format (see `emit_tables`)."""
    emit_tables(fmt, [table], output, lang=lang)


@click.command()
@click.option("--unit", type=click.Choice(["turn", "sentence"]), default="turn", show_default=True,
              help="Units counted in `units` and `share`: speaker turns or sentences.")
@by_option(["transcript", "coder", "speaker", "person"],
           help="Group the results: transcript, coder, speaker, person, or attr:NAME (an attribute of transcripts or persons).")
@click.option("--measure", type=click.Choice(["codings", "units", "transcripts", "share", "characters"]),
              default="units", show_default=True,
              help="With --by, the number shown in the cells of the table and md cross tables.")
@filter_options()
@_lang_option
@_table_format_options
@project_option
@click.pass_context
def freq(ctx: click.Context, unit: str, by: str | None, measure: str, selection, lang: str,
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
    from qcode.reports.frequencies import code_frequencies  # lazy: --help speed
    from qcode.reports.tables import (  # lazy: --help speed
        INDENT_MARKDOWN,
        INDENT_TEXT,
        frequency_crosstab,
        frequency_long,
        frequency_records,
        frequency_summary,
    )

    if fmt in FILE_FORMATS:
        file_output(fmt, output)  # before any work
    data = _load(ctx, project, selection, voice="coders" if by == "coder" else None)
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
    _note(data)


@click.command()
@click.option("--unit", type=click.Choice(["turn", "sentence", "transcript"]), default="turn", show_default=True,
              help="Units in which two codes co-occur.")
@click.option("--measure", type=click.Choice(["count", "jaccard"]), default="count", show_default=True,
              help="count: units with both codes; jaccard: |A∩B| / |A∪B| over units.")
@click.option("--rollup", is_flag=True,
              help="Each code stands for its whole subtree; the codes are those given with --codes, "
                   "else the top-level codes and groups.")
@by_option(["transcript", "speaker", "person"], help="One matrix per group: transcript, speaker, person or "
           "attr:NAME (xlsx: a sheet per group).")
@filter_options()
@_lang_option
@_table_format_options
@project_option
@click.pass_context
def cooccur(ctx: click.Context, unit: str, measure: str, rollup: bool, by: str | None, selection, lang: str,
            fmt: str, output: str | None, project: str | None) -> None:
    """Code x code matrix: the units to which both codes apply.

    A unit has a code when any selected coder's coding of it marks the unit (pooled over coders;
    use --coders to look at one coder). The diagonal is the number of units of the code. For
    transcripts, a code applies when it is used anywhere in the transcript.
    """
    from qcode.reports.cooccurrence import cooccurrence  # lazy: --help speed
    from qcode.reports.cooccurrence import cooccurrence_by  # lazy: --help speed
    from qcode.reports.tables import Table, cooccurrence_record, cooccurrence_table  # lazy: --help speed

    if fmt in FILE_FORMATS:
        file_output(fmt, output)
    data = _load(ctx, project, selection)
    book = data.codebook
    matrices: Sequence[tuple[str | None, Any]]
    if by is None:
        matrices = [(None, cooccurrence(data, unit, rollup=rollup, named=selection.codes))]
    else:
        matrices = cooccurrence_by(data, unit, by, rollup=rollup, named=selection.codes)
    tables = []
    for group, matrix in matrices:
        table = cooccurrence_table(matrix, book, measure, lang)
        if group is not None:
            table = Table(f"{group}: {table.title}", table.headers, table.rows, table.numeric, table.percent)
        tables.append(table)
    if fmt == "json":
        records = [cooccurrence_record(m, book, measure, lang) for _, m in matrices]
        payload = records[0] if by is None else {"by": by, "groups": [{"group": g, **r} for (g, _), r in
                                                                       zip(matrices, records, strict=True)]}
        emit("json", [], [], json_data=payload, output=output)
    elif fmt == "csv" and by is not None:
        headers = ["group", *tables[0].headers]
        rows = [[group, *row] for (group, _), t in zip(matrices, tables, strict=True) for row in t.rows]
        emit("csv", headers, rows, output=output)
    else:
        emit_tables(fmt, tables, output, lang=lang)
    _note(data)


@click.command()
@click.argument("code")
@click.option("--rollup", is_flag=True, help="Also every code under CODE (needed for a group).")
@by_option(["transcript", "speaker", "person"], help="Group the passages: transcript, speaker, person or "
           "attr:NAME (md: a section per group; csv/json: a group column; xlsx: a sheet per group).")
@filter_options(codes=False)
@_lang_option
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "json", "xlsx", "docx"]), default="md",
              show_default=True, help="docx: a Word document with a three-line table (三线表).")
@_output_option
@project_option
@click.pass_context
def quotes(ctx: click.Context, code: str, rollup: bool, by: str | None, selection, lang: str, fmt: str,
           output: str | None, project: str | None) -> None:
    """Every coded passage of CODE: transcript, speaker, offsets, text, coder, memo.

    Passages come in document order; each coding is its own passage (nothing is merged, also not
    when two coders coded the same words). The text is exactly the coded characters. The speaker
    is the speaker of the turn in which the coding starts. Markdown (the default) gives a heading
    per transcript and a block quote per passage, ready for a findings chapter.
    """
    from qcode.reports.quotes import coded_passages  # lazy: --help speed
    from qcode.reports.markdown import quotes_markdown  # lazy: --help speed
    from qcode.reports.quotes import quotes_by_group  # lazy: --help speed
    from qcode.reports.tables import quote_records, quote_table  # lazy: --help speed

    if fmt in FILE_FORMATS:
        file_output(fmt, output)
    data = _load(ctx, project, selection)
    collection = coded_passages(data, code, rollup=rollup)
    book = data.codebook
    if by is not None:
        _quotes_by(quotes_by_group(data, collection, by), book, lang, fmt, output, by)
    elif fmt == "md":
        write_output(quotes_markdown(collection, book, lang), output)
    elif fmt == "json":
        emit("json", [], [], json_data=quote_records(collection.quotes, book, lang), output=output)
    else:
        _emit_table(fmt, quote_table(collection.quotes, book, lang), output, lang)
    _note(data)


def _quotes_by(groups, book, lang: str, fmt: str, output: str | None, by: str) -> None:
    """Passages per group of --by, in each format."""
    from qcode.reports.markdown import quotes_markdown  # lazy: --help speed
    from qcode.reports.tables import Table, quote_records, quote_table  # lazy: --help speed

    if fmt == "md":
        parts = [f"# {by} = {group}\n\n" + quotes_markdown(c, book, lang) for group, c in groups]
        write_output("\n".join(parts), output)
    elif fmt == "json":
        emit("json", [], [], json_data=[{"group": g, **r} for g, c in groups for r in quote_records(c.quotes, book, lang)],
             output=output)
    elif fmt in FILE_FORMATS:
        tables = [quote_table(c.quotes, book, lang) for _, c in groups]
        emit_tables(fmt, [Table(f"{g}", t.headers, t.rows, t.numeric) for (g, _), t in zip(groups, tables)], output,
                    lang=lang)
    else:
        tables = [quote_table(c.quotes, book, lang) for _, c in groups]
        headers = ["group", *(tables[0].headers if tables else ())]
        emit("csv", headers, [[g, *row] for (g, _), t in zip(groups, tables) for row in t.rows], output=output)


@click.command("xlsx")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--unit", type=click.Choice(["turn", "sentence"]), default="turn", show_default=True,
              help="Unit of the frequency, co-occurrence and agreement sheets.")
@click.option("--by", "by", multiple=True, type=Grouping(["transcript", "coder", "speaker", "person"]),
              help="Add a frequency sheet and a crosstab sheet per grouping: coder, speaker, person or attr:NAME "
                   "(repeatable).")
@filter_options()
@_lang_option
@click.option("--bootstrap", type=click.IntRange(min=0, max=100_000), default=1000, show_default=True,
              help="Bootstrap resamples for the 95% intervals on the agreement sheets (0: none).")
@force_option
@project_option
@click.pass_context
def export_xlsx(ctx: click.Context, file: str, unit: str, by: tuple[str, ...], selection, lang: str, bootstrap: int,
                project: str | None) -> None:
    """One Excel workbook: frequencies, co-occurrence, quotes, codebook, counts per code with charts,
    agreement (overall, per code, pairwise, with 95% intervals) and memos.

    Every sheet has a frozen header row; Chinese text is kept as is. The agreement sheets compare
    the coders who marked transcripts complete, as `qcode agree` does; without two such coders the
    workbook has no agreement sheets and qcode says why. --by adds sheets per grouping.
    """
    from qcode.analysis.ratings import AgreementOptions  # lazy: --help speed
    from qcode.analysis.selection import ALL_SPEAKERS  # lazy: --help speed
    from qcode.analysis.units import load_report_data, with_one_voice  # lazy: --help speed
    from qcode.errors import QcodeError  # lazy: --help speed
    from qcode.project.reliability import run_agreement  # lazy: --help speed
    from qcode.reports.workbook import export_workbook  # lazy: --help speed

    checked_output_path(file, "xlsx")  # before any work
    store = open_project(ctx, project).store
    coder_data = load_report_data(store, selection, voice="coders")
    # Without --coders the sheets count one voice per passage: derived from the codings read once.
    data = with_one_voice(coder_data) if selection.coders is None else coder_data
    agreeing = selection if selection.speakers is not None else replace(selection, speakers=(ALL_SPEAKERS,))
    try:
        agreement = run_agreement(store, AgreementOptions(unit=unit, selection=agreeing), bootstrap=bootstrap, seed=1)
    except QcodeError as exc:
        agreement = None
        reasons = "; ".join(problem.message for problem in exc.problems)
        say(_("note: no agreement sheets: {reasons}").format(reasons=reasons), err=True)
    path = checked_output_path(file, "xlsx")
    print_problems(export_workbook(data, path, unit=unit, lang=lang, agreement=agreement, memos=store.memos.all(),
                                   by=by, coder_data=coder_data))
    say(_("wrote {path}").format(path=path), err=True)
    _note(data)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["md", "yaml", "docx"]), default="md", show_default=True,
              help="md: a thesis appendix with counts; yaml: the codebook file as loaded; "
                   "docx: the codebook as a three-line table in a Word document (needs -o).")
@click.option("--lang", type=click.Choice(["both", "zh", "en"]), default="both", show_default=True,
              help="Languages of the codebook texts in md (both: every language the codebook gives).")
@click.option("--unit", type=click.Choice(["turn", "sentence"]), default="turn", show_default=True,
              help="Unit counted in the appendix.")
@filter_options()
@_output_option
@project_option
@click.pass_context
def codebook_export(ctx: click.Context, fmt: str, lang: str, unit: str, selection,
                    output: str | None, project: str | None) -> None:
    """Write the project's codebook: a Markdown appendix with counts, or the YAML file.

    The appendix gives each code's id, names, definition, include and exclude rules, examples, and
    its counts (codings, units, transcripts; codes with children also with their subtree). Without
    --format, an -o FILE ending in .yaml/.yml or .docx chooses that format.
    """
    if output and ctx.get_parameter_source("fmt") is ParameterSource.DEFAULT:
        # `-o codebook.yaml` must never get Markdown, which `qcode codebook load` would refuse.
        fmt = {".yaml": "yaml", ".yml": "yaml", ".docx": "docx"}.get(Path(output).suffix.lower(), fmt)
    if fmt == "yaml":
        from qcode.codebook import dump_codebook_yaml  # lazy: --help speed
        from qcode.project.codebook_loading import require_codebook  # lazy: --help speed

        write_output(dump_codebook_yaml(require_codebook(open_project(ctx, project).store)), output)
        return
    from qcode.reports.frequencies import code_frequencies  # lazy: --help speed
    from qcode.reports.markdown import codebook_appendix  # lazy: --help speed
    from qcode.reports.tables import codebook_table  # lazy: --help speed

    if fmt == "docx":
        file_output(fmt, output)
    data = _load(ctx, project, selection)
    book = data.codebook
    languages = tuple(book.languages) or ("zh",)
    chosen = languages if lang == "both" else (lang,)
    table = code_frequencies(data, unit)
    if fmt == "docx":
        emit_tables(fmt, [codebook_table(book, table, chosen)], output, lang=chosen[0])
        return
    write_output(codebook_appendix(book, table, chosen), output)


@click.command()
@by_option(["transcript", "speaker", "person"], help="The groups: transcript, speaker, person, or attr:NAME "
           "(a transcript attribute compares transcripts, a person attribute compares persons).")
@filter_options()
@_lang_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "md", "xlsx", "docx"]), default="table",
              show_default=True)
@_output_option
@project_option
@click.pass_context
def crosstab(ctx: click.Context, by: str | None, selection, lang: str, fmt: str, output: str | None,
             project: str | None) -> None:
    """Codes x groups: cases with each code per group, and a test of whether that differs.

    \b
    cells        cases (transcripts or persons) with the code / cases in the group,
                 their share, and the codings of the code in the group
    test         per code, presence by group: Pearson's chi-square (no continuity
                 correction) with Cramér's V; Fisher's exact test for 2 x 2 tables with
                 an expected count below 5 (larger tables get a note instead)

    JSON: {"by", "groups": [{"group", "cases"}], "codes": [{"code", "cells": [{"group",
    "cases_with_code", "share", "codings"}], "test": {"name", "statistic", "df", "p_value",
    "cramers_v"}}]}. See docs/attributes.md.
    """
    from qcode.reports.crosstab import crosstab as build, crosstab_record  # lazy: --help speed
    from qcode.reports.crosstab_tables import crosstab_long, crosstab_wide  # lazy: --help speed

    if by is None:
        raise InputError(_("crosstab compares groups: give --by transcript, speaker, person or attr:NAME"))
    if fmt in FILE_FORMATS:
        file_output(fmt, output)
    data = _load(ctx, project, selection)
    table = build(data, by)
    book = data.codebook
    if fmt == "json":
        names = {c.id: book.display_name(c.id, lang) for c in book}
        emit("json", [], [], json_data=crosstab_record(table, names), output=output)
    elif fmt in ("xlsx", "csv"):
        _emit_table(fmt, crosstab_long(table, book, lang), output, lang)
    else:
        _emit_table(fmt, crosstab_wide(table, book, lang), output, lang)
    notes = sorted({r.test.note for r in table.rows if r.test.note})
    for note in notes:
        say(_("note: {note}").format(note=note), err=True)
    _note(data)


@click.command()
@click.option("--cases", type=click.Choice(["transcript", "person"]), default="transcript", show_default=True,
              help="One row per transcript or per person.")
@click.option("--value", type=click.Choice(["presence", "count", "characters"]), default="presence",
              show_default=True, help="Cells: 1/0, codings, or coded characters of each code in the case.")
@filter_options()
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "table", "json"]), default="csv",
              show_default=True)
@_output_option
@project_option
@click.pass_context
def matrix(ctx: click.Context, cases: str, value: str, selection, fmt: str, output: str | None,
           project: str | None) -> None:
    """Cases x codes, one row per case with its attributes first (for R, SPSS or Excel)."""
    from qcode.reports.case_matrix import case_matrix  # lazy: --help speed
    from qcode.reports.crosstab_tables import matrix_table  # lazy: --help speed

    if fmt in FILE_FORMATS:
        file_output(fmt, output)
    data = _load(ctx, project, selection)
    table = matrix_table(case_matrix(data, cases, value), value)
    if fmt == "xlsx":
        _emit_table(fmt, table, output)
    elif fmt == "json":
        emit("json", list(table.headers), [list(r) for r in table.rows], output=output)
    else:
        emit(fmt, list(table.headers), [list(r) for r in table.rows], output=output, right=table.numeric)
    _note(data)
