"""`qcode agree` and `qcode disagreements`: inter-coder agreement as researchers report it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from qcode.cli.common import open_project, project_option
from qcode.cli.filters import by_option, filter_options
from qcode.cli.output import (FILE_FORMATS, emit, emit_tables, file_output, output_option, write_output)
from qcode.domain.agreement_settings import DEFAULT_BOOTSTRAP
from dataclasses import replace
from qcode.i18n import N_, _, counted

if TYPE_CHECKING:  # the CLI imports the agreement package only when a command runs (--help speed)
    from qcode.agreement.figures import Agreement
    from qcode.agreement.methods import StudyContext

BOOTSTRAP_METHODS = (N_("percentile"),)  # as the report names them; translated where shown


def selection_options(func):
    """The options that choose units, coders, transcripts and codes (shared by agree and disagreements)."""
    options = [
        click.option("--unit", type=click.Choice(["transcript", "turn", "sentence", "char", "span"]), default="turn",
                     show_default=True,
                     help="Unit of analysis (span: the passages each coder chose; Krippendorff's unitizing alpha)."),
        filter_options(coders_help=N_("Coders to compare (default: every human coder who completed a transcript).")),
        click.option("--rollup", is_flag=True,
                     help="A code's subtree counts as the code (default codes: the top-level codes)."),
        click.option("--empty", type=click.Choice(["missing", "category"]), default="missing", show_default=True,
                     help="A rated unit without codes: missing, or its own category <none> (single-label statistics)."),
        click.option("--include-incomplete", is_flag=True,
                     help="Also count transcripts a coder coded in but did not mark complete."),
        click.option("--min-share", type=click.FloatRange(0, 1, min_open=True), default=None, metavar="F",
                     help="A code applies to a unit only if it covers this share of the unit's characters."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _selection(unit, selection, rollup, empty, include_incomplete, min_share):
    """The agreement options; agreement keeps every speaker's turns unless --speakers or --where say otherwise."""
    from qcode.analysis.ratings import AgreementOptions  # lazy: --help speed
    from qcode.analysis.selection import ALL_SPEAKERS  # lazy: --help speed

    if selection.speakers is None:
        selection = replace(selection, speakers=(ALL_SPEAKERS,))
    return AgreementOptions(unit=unit, selection=selection, rollup=rollup, empty=empty,
                            include_incomplete=include_incomplete, min_share=min_share)


@click.command()
@selection_options
@click.option("--bootstrap", type=click.IntRange(min=0, max=100_000), default=DEFAULT_BOOTSTRAP.resamples, show_default=True,
              help="Bootstrap resamples for 95% intervals of alpha and kappa (0: none).")
@click.option("--seed", type=int, default=DEFAULT_BOOTSTRAP.seed, show_default=True, help="Seed of the bootstrap, so reruns agree.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md", "docx", "xlsx"]), default="table",
              show_default=True, help="docx: overall, per-code and pairwise three-line tables (三线表) in a Word "
                                      "document; xlsx: the same as sheets with the interval bounds as numbers.")
@click.option("--methods", type=click.Choice(["zh", "en"]), default=None,
              help="Instead of tables, write a methods-section paragraph with the figures (Chinese or English).")
@output_option(N_("Write to FILE instead of the terminal."))
@click.option("--domain", default=None, metavar="PARENT",
              help="The codes to compare are the children of this codebook group (one variable, for --unit span).")
@by_option(["transcript", "speaker", "person"], help="Agreement per group: transcript, speaker, person or attr:NAME "
           "(a report per group); with --unit span, --by transcript adds every transcript on its own.")
@project_option
@click.pass_context
def agree(ctx, unit, selection, rollup, empty, include_incomplete, min_share, bootstrap, seed,
          fmt, methods, output, domain, by, project) -> None:
    """Inter-coder agreement, with the statistics defined in docs/agreement.md.

    Per code: percent agreement, Cohen's kappa, Scott's pi, Fleiss' kappa, Krippendorff's alpha,
    Brennan-Prediger and Gwet's AC1 on the presence or absence of the code. Overall: the same with
    one category per unit (when units carry one code per coder), and Krippendorff's alpha with
    MASI distance over the sets of codes. Units of transcripts a coder has not marked complete are
    missing for that coder.

    With --unit span, Krippendorff's unitizing alpha family on the passages the coders chose:
    uα, |uα, cuα (with its coverage), and per code (k)uα and the code's binary uα, over the
    transcripts every compared coder completed, with bootstrap intervals over transcripts.
    """
    from qcode.agreement.methods import methods_paragraph  # lazy: --help speed
    from qcode.cli.agree_render import render_csv, render_table  # lazy: --help speed
    from qcode.project.codebook_loading import require_codebook  # lazy: --help speed
    from qcode.project.reliability import run_agreement  # lazy: --help speed

    if fmt in FILE_FORMATS and not methods:
        file_output(fmt, output)  # before the bootstrap
    store = open_project(ctx, project).store
    codebook = require_codebook(store)
    if domain is not None:
        selection = _domain_option(codebook, domain, selection)
    if unit == "span" and by not in (None, "transcript"):
        raise click.UsageError(_("with --unit span, --by takes only transcript"))
    selection = _selection(unit, selection, rollup, empty, include_incomplete, min_share)
    if by is not None and unit != "span":
        if methods:
            raise click.UsageError(_("--methods describes one analysis; leave out --by"))
        _agree_by_group(store, selection, by, bootstrap=0 if unit == "char" else bootstrap, seed=seed, fmt=fmt,
                        output=output)
        return
    if unit == "span":
        _agree_span(store, selection, codebook, bootstrap=bootstrap, seed=seed, by=by, domain=domain, fmt=fmt,
                    methods=methods, output=output)
        return
    report = run_agreement(store, selection, bootstrap=0 if unit == "char" else bootstrap, seed=seed)
    if methods:
        # The transcripts and characters come from the report itself (only those that entered the figures).
        write_output(methods_paragraph(report, _study_context(report, codebook, rollup), methods), output)
        return
    display_names = {c.id: codebook.display_name(c.id) for c in codebook}
    if fmt in FILE_FORMATS:
        from qcode.reports.agreement_tables import agreement_tables  # lazy: --help speed

        emit_tables(fmt, agreement_tables(report, display_names, for_reading=fmt == "docx"), output)
    elif fmt == "json":
        emit("json", [], [], json_data=report.to_json(), output=output)
    elif fmt == "csv":
        headers, rows = render_csv(report)
        emit("csv", headers, rows, output=output)
    else:
        write_output(render_table(report, display_names, markdown=fmt == "md"), output)


def _study_context(report: Agreement, codebook, rollup: bool) -> StudyContext:
    """What the methods paragraph needs besides the report: the codebook's size and the codes' names."""
    from qcode.agreement.methods import StudyContext  # lazy: --help speed

    codes = report.scope.codes if report.scope is not None else ()
    names = {code: (codebook.display_name(code, "zh"), codebook.display_name(code, "en"))
             for code in codes if code in codebook}
    return StudyContext(len(codes), rollup, names)


def _domain_option(codebook, domain: str, selection):
    """--domain PARENT: the selection's codes are the codes it stands for."""
    from qcode.project.spans import domain_codes  # lazy: --help speed

    if selection.codes is not None:
        raise click.UsageError(_("give either --codes or --domain, not both"))
    return replace(selection, codes=tuple(domain_codes(codebook, domain)))


def _agree_by_group(store, selection, by: str, *, bootstrap: int, seed: int, fmt: str, output: str | None) -> None:
    """One agreement report per group of --by."""
    from qcode.project.codebook_loading import require_codebook  # lazy: --help speed
    from qcode.cli.agree_render import render_csv, render_table  # lazy: --help speed
    from qcode.project.reliability import agreement_by_group  # lazy: --help speed

    if fmt in ("docx", "xlsx"):
        raise click.UsageError(_("--by writes table, md, csv or json"))
    results = agreement_by_group(store, selection, by, bootstrap=bootstrap, seed=seed)
    if fmt == "json":
        emit("json", [], [], json_data={"by": by, "groups": [
            {"group": g, **({"error": r} if isinstance(r, str) else {"report": r.to_json()})} for g, r in results]},
             output=output)
        return
    if fmt == "csv":
        headers, rows = ["group"], []
        for group, report in results:
            if not isinstance(report, str):
                sub_headers, sub_rows = render_csv(report)
                headers = ["group", *sub_headers]
                rows += [[group, *row] for row in sub_rows]
        emit("csv", headers, rows, output=output)
        return
    codebook = require_codebook(store)
    names = {c.id: codebook.display_name(c.id) for c in codebook}
    parts = []
    for group, report in results:
        heading = f"{by} = {group}"
        body = (_("no agreement: {reason}").format(reason=report) + "\n" if isinstance(report, str)
                else render_table(report, names, markdown=fmt == "md"))
        parts.append((f"# {heading}\n\n" if fmt == "md" else f"== {heading} ==\n") + body)
    write_output("\n".join(parts), output)


def _agree_span(store, selection, codebook, *, bootstrap, seed, by, domain, fmt, methods, output) -> None:
    from qcode.agreement.methods_span import span_methods_paragraph  # lazy: --help speed
    from qcode.cli.agree_span import emit_span_report  # lazy: --help speed
    from qcode.project.spans import run_span_agreement  # lazy: --help speed

    report = run_span_agreement(store, selection, bootstrap=bootstrap, seed=seed, by_transcript=by == "transcript",
                                domain=domain)
    if methods:
        # The paragraph names only what entered the figures: the transcripts every coder completed.
        write_output(span_methods_paragraph(report, _study_context(report, codebook, selection.rollup), methods),
                     output)
        return
    emit_span_report(report, {c.id: codebook.display_name(c.id) for c in codebook}, fmt, output)


@click.command()
@selection_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]), default="table", show_default=True)
@click.option("--width", type=click.IntRange(min=10), default=40, show_default=True,
              help="Characters of each unit's text shown in the table.")
@output_option(N_("Write to FILE instead of the terminal."))
@project_option
@click.pass_context
def disagreements(ctx, unit, selection, rollup, empty, include_incomplete, min_share, fmt, width,
                  output, project) -> None:
    """Every unit where the coders differ, in document order, with each coder's codes.

    This is the list a team goes through to agree on a consensus coding. A coder who did not
    rate the unit is shown as "not rated".
    """
    from qcode.project.reliability import find_disagreements  # lazy: --help speed

    store = open_project(ctx, project).store
    # Where coder-chosen spans differ is where their characters' codes differ: the character runs.
    unit = "char" if unit == "span" else unit
    selection = _selection(unit, selection, rollup, empty, include_incomplete, min_share)
    found = find_disagreements(store, selection)
    coder_names = list(found[0].codes) if found else []
    if fmt == "json":
        emit("json", [], [], json_data=[d.to_json() for d in found], output=output)
        return

    from qcode.project.codebook_loading import require_codebook  # lazy: --help speed

    book = require_codebook(store)

    def named(code: str) -> str:
        """For reading (table, md): the code's name with its id; csv keeps the ids scripts join on."""
        return f"{book.display_name(code)} [{code}]" if fmt != "csv" and code in book else code

    def codes_of(value: list[str] | None) -> str:
        return _("not rated") if value is None else (", ".join(named(c) for c in value) or "—")

    def excerpt(text: str) -> str:
        flat = " ".join(text.split())
        return flat if fmt == "csv" or len(flat) <= width else flat[: width - 1] + "…"

    headers = ["transcript", "unit", "start", "end", "speaker", "text", *coder_names]
    rows = [[d.transcript, f"{d.unit} {d.index + 1}", d.start, d.end, d.speaker or "", excerpt(d.text),
             *(codes_of(d.codes[c]) for c in coder_names)] for d in found]
    emit(fmt, headers, rows, output=output, title=counted(len(found), "{count} disagreement", "{count} disagreements"))
