"""Grounded-theory outputs: `qcode report open-coding|axial-coding|selective-coding`, `qcode memos` and
`qcode saturation`. Each writes tables as a terminal table, json, md, xlsx or docx (three-line tables)."""

from __future__ import annotations

from pathlib import Path

import click

from qcode.cli.common import open_project, print_problems, project_option
from qcode.cli.output import emit, output_option, say, write_output
from qcode.errors import InputError
from qcode.i18n import N_, _, using_language

FORMATS = ("table", "json", "md", "xlsx", "docx")


def _format_options(func):
    func = output_option(N_("Write to FILE (needed for xlsx and docx)."))(func)
    func = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)(func)
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)(func)


def _write(fmt: str, tables, output: str | None, lang: str, *, json_data=None, note: str | None = None) -> None:
    """Write report tables in `fmt`; `note` (a sentence) goes above them in text formats."""
    from qcode.reports.headers import localized  # lazy: --help speed
    from qcode.reports.tables import readable  # lazy: --help speed

    if fmt in ("xlsx", "docx"):
        if output in (None, "-"):
            raise InputError(_("--format {format} writes a file: give it with -o FILE.{format}").format(format=fmt))
        path = Path(output)
        if fmt == "xlsx":
            from qcode.reports.xlsx import write_workbook  # lazy: --help speed

            print_problems(write_workbook(path, [localized(table) for table in tables]))
        else:
            from qcode.reports.docx_tables import write_docx_tables  # lazy: --help speed

            with using_language(lang):  # a thesis table's headers in the report's language
                tables = [localized(table) for table in tables]
            write_docx_tables(path, tables, lang=lang)
        say(_("wrote {path}").format(path=path), err=True)
        if note:
            say(note, err=True)
        return
    if fmt == "json":
        data = json_data if json_data is not None else [
            {"title": t.title, "rows": [dict(zip(t.headers, row)) for row in t.rows]} for t in tables]
        emit("json", [], [], json_data=data, output=output)
        return
    parts = []
    for table in tables:
        shown = localized(readable(table))
        from qcode.cli.output import to_markdown, to_table  # lazy: --help speed

        if fmt == "md":
            parts.append(f"## {table.title}\n\n" + to_markdown(shown.headers, shown.rows))
        else:
            parts.append(to_table(shown.headers, shown.rows, title=table.title, right=shown.numeric))
    text = "\n".join(parts)
    if note:
        text = (f"{note}\n\n" + text) if fmt == "md" else (text + f"\n{note}\n")
    write_output(text, output)


@click.group()
def report() -> None:
    """Grounded-theory tables for a thesis: open, axial and selective coding (see docs/grounded-theory.md)."""


@report.command("open-coding")
@click.option("--examples", default=1, show_default=True, help="Original statements per concept (starred first).")
@_format_options
@project_option
@click.pass_context
def open_coding_cmd(ctx, examples: int, fmt: str, lang: str, output: str | None, project) -> None:
    """Open coding: category, initial concept, codings, interviews and original statements (A01-12).

    A leaf code is an initial concept and its parent the category. The statements are the codings
    starred as examples (`qcode codes star`, or * in the passages screen), else the first ones.
    """
    from qcode.project.codebook_loading import require_codebook  # lazy: --help speed
    from qcode.reports.gt_tables import open_coding, open_coding_table  # lazy: --help speed

    store = open_project(ctx, project).store
    book = require_codebook(store)
    rows = open_coding(store, book, examples=examples)
    data = [{"category": r.category, "concept": r.concept, "name": book.display_name(r.concept, lang),
             "codings": r.codings, "transcripts": r.transcripts,
             "statements": [{"tag": p.tag, "text": p.text, "starred": p.starred, "coding": p.coding.guid}
                            for p in r.statements]} for r in rows]
    _write(fmt, [open_coding_table(rows, book, lang)], output, lang, json_data=data)


@report.command("axial-coding")
@_format_options
@project_option
@click.pass_context
def axial_coding_cmd(ctx, fmt: str, lang: str, output: str | None, project) -> None:
    """Axial coding: each main category with its categories, their meaning (definition) and relations."""
    from qcode.project.codebook_loading import require_codebook  # lazy: --help speed
    from qcode.reports.gt_tables import axial_coding_table  # lazy: --help speed

    store = open_project(ctx, project).store
    book = require_codebook(store)
    _write(fmt, [axial_coding_table(store, book, lang)], output, lang)


@report.command("selective-coding")
@click.option("--core", default=None, metavar="ID", help="The core category (default: the top-level code in most relations).")
@_format_options
@project_option
@click.pass_context
def selective_coding_cmd(ctx, core: str | None, fmt: str, lang: str, output: str | None, project) -> None:
    """Selective coding: the core category, its storyline (its code memo) and the relation structure."""
    from qcode.project.codebook_loading import require_codebook  # lazy: --help speed
    from qcode.reports.gt_tables import core_category, selective_coding_tables  # lazy: --help speed

    store = open_project(ctx, project).store
    book = require_codebook(store)
    _write(fmt, selective_coding_tables(store, book, core_category(store, book, core), lang), output, lang)


@click.command()
@click.option("--type", "kind", type=click.Choice(["coding", "transcript", "code", "relation", "project"]),
              default=None, help="Only memos of this type.")
@click.option("--coder", default=None, help="Only this coder's memos.")
@click.option("--code", default=None, metavar="ID", help="Only memos about this code (and the codes under it).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@output_option()
@project_option
@click.pass_context
def memos(ctx, kind, coder, code, fmt: str, output: str | None, project) -> None:
    """Every memo: on codings, transcripts, codes, relations and the project (md, xlsx, json ...)."""
    from qcode.project.codebook_loading import current_codebook  # lazy: --help speed
    from qcode.reports.memo_list import all_memos, filter_memos, memo_table  # lazy: --help speed

    store = open_project(ctx, project).store
    book = current_codebook(store)
    if code is not None and (book is None or code not in book):
        raise InputError(_("no code '{code}' in the codebook; see `qcode codebook show`").format(code=code))
    found = filter_memos(all_memos(store, book), kind=kind, coder=coder,
                         codes=set(book.subtree(code)) if code and book else None)
    data = [{"type": m.kind, "about": m.about, "code": m.code, "codes": list(m.codes), "coder": m.coder,
             "transcript": m.transcript, "updated_at": m.updated_at, "text": m.text} for m in found]
    _write(fmt, [memo_table(found)], output, "zh", json_data=data)


@click.command()
@click.option("--order", default=None, metavar="T1,T2,...", help="Transcripts in this order (default: coding order).")
@click.option("--coders", default=None, metavar="A,B", help="Only these coders' codings.")
@click.option("--hold-back", default=None, metavar="T1,T2", help="Mark these transcripts as the saturation test set.")
@click.option("--release", default=None, metavar="T1,T2", help="Take these transcripts out of the test set.")
@_format_options
@project_option
@click.pass_context
def saturation(ctx, order, coders, hold_back, release, fmt: str, lang: str, output: str | None, project) -> None:
    """Theoretical saturation: new codes per transcript (first-appearance curve) and what the test set adds.

    Transcripts marked with --hold-back are the saturation test set: they are left out of the curve and
    every code, category and relation only they ground is listed. "No new category" is said only when
    the test set adds none.
    """
    from qcode.cli.codes_cmds import _actor  # lazy: --help speed
    from qcode.project.code_relations import RelationEditor  # lazy: --help speed
    from qcode.project.codebook_loading import require_codebook  # lazy: --help speed
    from qcode.reports.saturation import saturation as compute  # lazy: --help speed
    from qcode.reports.saturation import saturation_tables, saturation_verdict  # lazy: --help speed

    store = open_project(ctx, project).store
    book = require_codebook(store)
    editor = RelationEditor(store, _actor(None), "cli")
    if hold_back:
        editor.hold_back([n.strip() for n in hold_back.split(",") if n.strip()], True)
    if release:
        editor.hold_back([n.strip() for n in release.split(",") if n.strip()], False)
    result = compute(store, book, order=[n.strip() for n in order.split(",")] if order else None,
                     coders=set(coders.split(",")) if coders else None)
    data = {"steps": [{"transcript": s.transcript, "codings": s.codings, "codes": s.codes,
                       "new_codes": list(s.new_codes), "new_categories": list(s.new_categories),
                       "cumulative": s.cumulative} for s in result.steps],
            "test_set": list(result.test_set), "test_new_codes": list(result.test_new_codes),
            "test_new_categories": list(result.test_new_categories),
            "test_new_relations": [{"source": r.source, "target": r.target, "type": r.type}
                                   for r in result.test_new_relations],
            "no_new_category": result.no_new_category, "uncoded": list(result.uncoded)}
    _write(fmt, saturation_tables(result, book, lang), output, lang, json_data=data,
           note=saturation_verdict(result, lang))
