"""`qcode agree` and `qcode disagreements`: inter-coder agreement as researchers report it."""

from __future__ import annotations

from typing import Any

import click

from qcode.cli.common import open_project, project_option
from qcode.cli.filters import by_option, filter_options
from qcode.cli.output import (FILE_FORMATS, emit, emit_tables, file_output, output_option, to_markdown, to_table,
                              write_output)
from qcode.domain.agreement_settings import DEFAULT_BOOTSTRAP
from dataclasses import replace
from qcode.i18n import N_, _

STAT_LABELS = {
    "percent_agreement": "% agree",
    "cohen_kappa": "kappa",
    "scott_pi": "pi",
    "fleiss_kappa": "Fleiss",
    "krippendorff_alpha_nominal": "alpha",
    "brennan_prediger": "BP",
    "gwet_ac1": "AC1",
}
BOOTSTRAP_METHODS = (N_("percentile"),)  # as the report names them; translated where shown
LONG_NAMES = {
    "percent_agreement": "percent agreement",
    "cohen_kappa": "Cohen's kappa",
    "scott_pi": "Scott's pi",
    "fleiss_kappa": "Fleiss' kappa",
    "krippendorff_alpha_nominal": "Krippendorff's alpha (nominal)",
    "brennan_prediger": "Brennan-Prediger",
    "gwet_ac1": "Gwet's AC1",
}


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


def _cell(result: dict[str, Any], with_ci: bool = True) -> str:
    value = result["value"]
    if value is None:
        return "—"
    text = f"{value:.3f}"
    if with_ci and result.get("ci95"):
        lo, hi = result["ci95"]
        text += f" [{lo:.3f}, {hi:.3f}]"
    return text


def _per_code_rows(report: dict[str, Any], names: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    coders = report["coders"]
    headers = [_("code"), _("name"), *coders, *STAT_LABELS.values()]
    rows = []
    for code, table in report["per_code"].items():
        counts = report.get("per_code_counts", {}).get(code, {})
        rows.append([code, names.get(code, ""), *(str(counts.get(c, "")) for c in coders),
                     *(_cell(table[stat]) for stat in STAT_LABELS)])
    return headers, rows


def _undefined_notes(report: dict[str, Any]) -> list[str]:
    """One line per distinct reason a statistic is undefined, naming where it happens."""
    by_reason: dict[str, list[str]] = {}
    for scope, tables in ((_("overall"), {"": report["overall"]}), (_("per code"), report["per_code"]),
                          (_("pairwise"), report["pairwise"])):
        for key, table in tables.items():
            for stat, result in table.items():
                if result["value"] is None and result.get("undefined_reason"):
                    where = f"{scope} {key}".strip()
                    by_reason.setdefault(result["undefined_reason"], []).append(f"{where}: {STAT_LABELS[stat]}")
    masi = report["label_sets"]["krippendorff_alpha_masi"]
    if masi["value"] is None and masi.get("undefined_reason"):
        by_reason.setdefault(masi["undefined_reason"], []).append(_("label sets"))
    lines = []
    for reason, places in by_reason.items():
        shown = "; ".join(places[:4]) + (_("; … ({count} in all)").format(count=len(places)) if len(places) > 4 else "")
        lines.append(_("— = undefined: {reason} ({places})").format(reason=reason, places=shown))
    return lines


def _compared_line(report: dict[str, Any]) -> str:
    """Which transcripts entered the figures (rated by two or more coders), and which did not."""
    compared = report.get("compared") or {}
    names = compared.get("transcripts", [])
    line = _("Compared: {count} transcript(s) rated by 2 or more coders ({names}; {characters:,} characters, "
             "{units:,} units)").format(count=len(names), names=", ".join(names) or _("none"),
                                        characters=compared.get("characters", 0), units=compared.get("units", 0))
    skipped = [t["name"] for t in compared.get("not_compared", [])]
    if skipped:
        line += _("; not compared (fewer than 2 coders completed them): {names}").format(names=", ".join(skipped))
    return line


def render_table(report: dict[str, Any], names: dict[str, str], markdown: bool = False) -> str:
    """The report as terminal tables (or Markdown): per code first, as multi-label coding is reported."""
    fmt = to_markdown if markdown else (lambda h, r: to_table(h, r))
    out = []
    head = _("Agreement on {unit} units: {count} coders ({coders}); {units:,} units, {pairable:,} rated by 2 or more "
             "coders").format(unit=_(report["unit"]), count=len(report["coders"]), coders=", ".join(report["coders"]),
                              units=report["n_units"], pairable=report.get("n_units_pairable", report["n_units"]))
    out.append(f"# {head}\n" if markdown else head + "\n")
    out.append(_compared_line(report) + "\n")
    if "bootstrap" in report:
        b = report["bootstrap"]
        out.append(_("95% intervals: {method} bootstrap over units, {resamples:,} resamples, seed {seed}").format(
            method=_(b["method"]), resamples=b["resamples"], seed=b["seed"]) + "\n")
    headers, rows = _per_code_rows(report, names)
    out.append(("## " if markdown else "") + _("Per code (presence or absence of each code)") + "\n")
    out.append(fmt(headers, rows))
    overall_rows = [[LONG_NAMES[stat], _cell(result)] for stat, result in report["overall"].items()]
    out.append(("\n## " if markdown else "\n") + _("Overall (one category per unit)") + "\n")
    out.append(fmt([_("statistic"), _("value [95% CI]")], overall_rows))
    masi = report["label_sets"]["krippendorff_alpha_masi"]
    out.append(("\n## " if markdown else "\n") + _("Label sets") + "\n")
    out.append(fmt([_("statistic"), _("value [95% CI]")], [["Krippendorff's alpha (MASI distance)", _cell(masi)]]))
    if len(report["coders"]) > 2 or report["unit"] == "char":
        pair_rows = [[pair, *(_cell(t[stat], with_ci=False) for stat in STAT_LABELS)]
                     for pair, t in report["pairwise"].items()]
        out.append(("\n## " if markdown else "\n") + _("Pairs of coders") + "\n")
        out.append(fmt([_("pair"), *STAT_LABELS.values()], pair_rows))
    notes = _undefined_notes(report) + list(report.get("notes", []))
    if notes:
        notes_title = _("Notes")
        out.append((f"\n## {notes_title}\n\n" if markdown else f"\n{notes_title}\n") + "\n".join(f"- {n}" for n in notes)
                   + "\n")
    return "\n".join(part.rstrip("\n") + "\n" for part in out)


def render_csv(report: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Long format, one statistic per row: easy to filter and pivot in a spreadsheet."""
    headers = ["scope", "key", "statistic", "value", "ci95_low", "ci95_high", "undefined_reason"]
    rows = []

    def add(scope: str, key: str, stat: str, result: dict[str, Any]) -> None:
        ci = result.get("ci95") or [None, None]
        rows.append([scope, key, stat, result["value"], ci[0], ci[1], result.get("undefined_reason")])

    for stat, result in report["overall"].items():
        add("overall", "", stat, result)
    for code, table in report["per_code"].items():
        for stat, result in table.items():
            add("per_code", code, stat, result)
    for pair, table in report["pairwise"].items():
        for stat, result in table.items():
            add("pairwise", pair, stat, result)
    add("label_sets", "", "krippendorff_alpha_masi", report["label_sets"]["krippendorff_alpha_masi"])
    for seen in report.get("not_independent", []):  # key: transcript, statistic: the coder
        rows.append(["not_independent", seen["transcript"], seen["coder"], None, None, None,
                     f"{seen['coder']} saw other coders' codings of {seen['transcript']} at {seen['at']} before "
                     "completing it: not coded independently"])
    return headers, rows


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
    from qcode.agreement.methods import StudyContext, methods_paragraph  # lazy: --help speed
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
        names = {code: (codebook.display_name(code, "zh"), codebook.display_name(code, "en"))
                 for code in report["codes"] if code in codebook}
        context = StudyContext(len(report["codes"]), rollup, names)
        write_output(methods_paragraph(report, context, methods), output)
        return
    display_names = {c.id: codebook.display_name(c.id) for c in codebook}
    if fmt in FILE_FORMATS:
        from qcode.reports.agreement_tables import agreement_tables  # lazy: --help speed

        emit_tables(fmt, agreement_tables(report, display_names, for_reading=fmt == "docx"), output)
    elif fmt == "json":
        emit("json", [], [], json_data=report, output=output)
    elif fmt == "csv":
        headers, rows = render_csv(report)
        emit("csv", headers, rows, output=output)
    else:
        write_output(render_table(report, display_names, markdown=fmt == "md"), output)


def _domain_option(codebook, domain: str, selection):
    """--domain PARENT: the selection's codes are the codes it stands for."""
    from qcode.project.spans import domain_codes  # lazy: --help speed

    if selection.codes is not None:
        raise click.UsageError(_("give either --codes or --domain, not both"))
    return replace(selection, codes=tuple(domain_codes(codebook, domain)))


def _agree_by_group(store, selection, by: str, *, bootstrap: int, seed: int, fmt: str, output: str | None) -> None:
    """One agreement report per group of --by."""
    from qcode.project.codebook_loading import require_codebook  # lazy: --help speed
    from qcode.project.reliability import agreement_by_group  # lazy: --help speed

    if fmt in ("docx", "xlsx"):
        raise click.UsageError(_("--by writes table, md, csv or json"))
    results = agreement_by_group(store, selection, by, bootstrap=bootstrap, seed=seed)
    if fmt == "json":
        emit("json", [], [], json_data={"by": by, "groups": [
            {"group": g, **({"report": r} if isinstance(r, dict) else {"error": r})} for g, r in results]},
             output=output)
        return
    if fmt == "csv":
        headers, rows = ["group"], []
        for group, report in results:
            if isinstance(report, dict):
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
        body = render_table(report, names, markdown=fmt == "md") if isinstance(report, dict) else _("no agreement: {reason}").format(reason=report) + "\n"
        parts.append((f"# {heading}\n\n" if fmt == "md" else f"== {heading} ==\n") + body)
    write_output("\n".join(parts), output)


def _agree_span(store, selection, codebook, *, bootstrap, seed, by, domain, fmt, methods, output) -> None:
    from qcode.agreement.methods import StudyContext  # lazy: --help speed
    from qcode.agreement.methods_span import span_methods_paragraph  # lazy: --help speed
    from qcode.cli.agree_span import emit_span_report  # lazy: --help speed
    from qcode.project.spans import run_span_agreement  # lazy: --help speed

    report = run_span_agreement(store, selection, bootstrap=bootstrap, seed=seed, by_transcript=by == "transcript",
                                domain=domain)
    if methods:
        # The paragraph names only what entered the figures: report["transcripts"], completed by every coder.
        names = {code: (codebook.display_name(code, "zh"), codebook.display_name(code, "en"))
                 for code in report["codes"] if code in codebook}
        context = StudyContext(len(report["codes"]), selection.rollup, names)
        write_output(span_methods_paragraph(report, context, methods), output)
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
    emit(fmt, headers, rows, output=output, title=_("{count} disagreement(s)").format(count=len(found)))
