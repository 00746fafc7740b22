"""`qcode agree` and `qcode disagreements`: inter-coder agreement as researchers report it."""

from __future__ import annotations

from typing import Any

import click

from qcode.cli.common import open_project, project_option
from qcode.cli.output import FILE_FORMATS, emit, emit_tables, file_output, to_markdown, to_table, write_output
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
        click.option("--unit", type=click.Choice(["transcript", "turn", "sentence", "char"]), default="turn",
                     show_default=True, help="Unit of analysis."),
        click.option("--coders", default=None, metavar="A,B,...",
                     help="Coders to compare (default: every human coder who completed a transcript)."),
        click.option("--transcripts", default=None, metavar="T1,T2,...", help="Only these transcripts."),
        click.option("--codes", default=None, metavar="C1,C2,...", help="Only these codes."),
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


def _selection(unit, coders, transcripts, codes, rollup, empty, include_incomplete, min_share):
    from qcode.project.reliability import selection_from_options

    return selection_from_options(unit=unit, coders=coders, transcripts=transcripts, codes=codes, rollup=rollup,
                                  empty=empty, include_incomplete=include_incomplete, min_share=min_share)


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
    for scope, tables in (("overall", {"": report["overall"]}), ("per code", report["per_code"]),
                          ("pairwise", report["pairwise"])):
        for key, table in tables.items():
            for stat, result in table.items():
                if result["value"] is None and result.get("undefined_reason"):
                    where = f"{scope} {key}".strip()
                    by_reason.setdefault(result["undefined_reason"], []).append(f"{where}: {STAT_LABELS[stat]}")
    masi = report["label_sets"]["krippendorff_alpha_masi"]
    if masi["value"] is None and masi.get("undefined_reason"):
        by_reason.setdefault(masi["undefined_reason"], []).append("label sets")
    lines = []
    for reason, places in by_reason.items():
        shown = "; ".join(places[:4]) + (f"; … ({len(places)} in all)" if len(places) > 4 else "")
        lines.append(f"— = undefined: {reason} ({shown})")
    return lines


def render_table(report: dict[str, Any], names: dict[str, str], markdown: bool = False) -> str:
    """The report as terminal tables (or Markdown): per code first, as multi-label coding is reported."""
    fmt = to_markdown if markdown else (lambda h, r: to_table(h, r))
    out = []
    head = _("Agreement on {unit} units: {count} coders ({coders}); {units:,} units, {pairable:,} rated by 2 or more "
             "coders").format(unit=_(report["unit"]), count=len(report["coders"]), coders=", ".join(report["coders"]),
                              units=report["n_units"], pairable=report.get("n_units_pairable", report["n_units"]))
    out.append(f"# {head}\n" if markdown else head + "\n")
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
    return headers, rows


@click.command()
@selection_options
@click.option("--bootstrap", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Bootstrap resamples for 95% intervals of alpha and kappa (0: none).")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the bootstrap, so reruns agree.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md", "docx", "xlsx"]), default="table",
              show_default=True, help="docx: overall, per-code and pairwise three-line tables (三线表) in a Word "
                                      "document; xlsx: the same as sheets with the interval bounds as numbers.")
@click.option("--methods", type=click.Choice(["zh", "en"]), default=None,
              help="Instead of tables, write a methods-section paragraph with the figures (Chinese or English).")
@click.option("-o", "--output", default=None, metavar="FILE", help="Write to FILE instead of the terminal.")
@project_option
@click.pass_context
def agree(ctx, unit, coders, transcripts, codes, rollup, empty, include_incomplete, min_share, bootstrap, seed,
          fmt, methods, output, project) -> None:
    """Inter-coder agreement, with the statistics defined in docs/agreement.md.

    Per code: percent agreement, Cohen's kappa, Scott's pi, Fleiss' kappa, Krippendorff's alpha,
    Brennan-Prediger and Gwet's AC1 on the presence or absence of the code. Overall: the same with
    one category per unit (when units carry one code per coder), and Krippendorff's alpha with
    MASI distance over the sets of codes. Units of transcripts a coder has not marked complete are
    missing for that coder.
    """
    from qcode.agreement.methods import StudyContext, methods_paragraph
    from qcode.project.codebook_loading import require_codebook
    from qcode.project.reliability import run_agreement

    if fmt in FILE_FORMATS and not methods:
        file_output(fmt, output)  # before the bootstrap
    store = open_project(ctx, project).store
    selection = _selection(unit, coders, transcripts, codes, rollup, empty, include_incomplete, min_share)
    report = run_agreement(store, selection, bootstrap=0 if unit == "char" else bootstrap, seed=seed)
    codebook = require_codebook(store)
    if methods:
        chosen = [t for t in store.transcripts.all() if t.name in set(report["transcripts"])]
        context = StudyContext(len(chosen), sum(t.characters for t in chosen), len(report["codes"]), rollup)
        write_output(methods_paragraph(report, context, methods), output)
        return
    names = {c.id: codebook.display_name(c.id) for c in codebook}
    if fmt in FILE_FORMATS:
        from qcode.reports.agreement_tables import agreement_tables

        emit_tables(fmt, agreement_tables(report, names, for_reading=fmt == "docx"), output)
    elif fmt == "json":
        emit("json", [], [], json_data=report, output=output)
    elif fmt == "csv":
        headers, rows = render_csv(report)
        emit("csv", headers, rows, output=output)
    else:
        write_output(render_table(report, names, markdown=fmt == "md"), output)


@click.command()
@selection_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]), default="table", show_default=True)
@click.option("--width", type=click.IntRange(min=10), default=40, show_default=True,
              help="Characters of each unit's text shown in the table.")
@click.option("-o", "--output", default=None, metavar="FILE", help="Write to FILE instead of the terminal.")
@project_option
@click.pass_context
def disagreements(ctx, unit, coders, transcripts, codes, rollup, empty, include_incomplete, min_share, fmt, width,
                  output, project) -> None:
    """Every unit where the coders differ, in document order, with each coder's codes.

    This is the list a team goes through to agree on a consensus coding. A coder who did not
    rate the unit is shown as "not rated".
    """
    from qcode.project.reliability import find_disagreements

    store = open_project(ctx, project).store
    selection = _selection(unit, coders, transcripts, codes, rollup, empty, include_incomplete, min_share)
    found = find_disagreements(store, selection)
    coder_names = list(found[0].codes) if found else []
    if fmt == "json":
        emit("json", [], [], json_data=[d.to_json() for d in found], output=output)
        return

    from qcode.project.codebook_loading import require_codebook

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
