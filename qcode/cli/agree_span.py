"""`qcode agree --unit span`: the unitizing alpha family as tables, Markdown, CSV, JSON or a methods paragraph."""

from __future__ import annotations

from typing import Any

from qcode.agreement.figures import SpanAgreement, SpanTable, Table
from qcode.agreement.labels import SPAN_OVERALL, SPAN_PER_CODE, figure, long_label, share, short_label
from qcode.agreement.messages import translated
from qcode.cli.agree_render import CSV_HEADERS, csv_row, notes_section, undefined_notes
from qcode.cli.output import emit, to_markdown, to_table, write_output
from qcode.i18n import _, counted


def _undefined_places(report: SpanAgreement) -> list[tuple[str, str]]:
    """(reason, where) of every undefined pooled figure."""
    places = []
    tables: list[tuple[str, Table, bool]] = [("", report.overall.figures, False)]
    tables += [(f"{code} ", table, True) for code, table in report.per_code.items()]
    for where, table, per_code in tables:
        for name, result in table.items():
            if result.undefined_reason is not None:
                places.append((result.undefined_reason, where + short_label(name, span_code=per_code)))
    return places


def _head(report: SpanAgreement) -> str:
    transcripts = counted(report.n_transcripts, "{count} transcript completed by every coder",
                          "{count} transcripts completed by every coder")
    return _("Agreement on coder-chosen spans (Krippendorff's unitizing alpha): {count} coders ({coders}); "
             "{transcripts}, {characters:,} characters, {share} coded; {passages:,} passages").format(
        count=len(report.coders), coders=", ".join(report.coders), transcripts=transcripts,
        characters=report.continuum_length, share=share(report.coded_share), passages=report.n_units)


def _overall_rows(overall: SpanTable) -> list[list[str]]:
    rows = [[long_label(name), figure(overall.figures[name])] for name in SPAN_OVERALL]
    rows[-1][1] += "   " + _("coverage {share} of coded text").format(share=share(overall.coverage))
    return rows


def _code_rows(report: SpanAgreement, names: dict[str, str]) -> list[list[str]]:
    counts = report.per_code_counts
    return [[code, names.get(code, ""), *(str(counts.get(code, {}).get(c, "")) for c in report.coders),
             *(figure(table[name]) for name in SPAN_PER_CODE)] for code, table in report.per_code.items()]


def render_span_table(report: SpanAgreement, names: dict[str, str], markdown: bool = False) -> str:
    """Overall figures first (the codes as one variable), then per code, per pair and per transcript."""
    fmt = to_markdown if markdown else (lambda h, r: to_table(h, r))
    heading = "\n## " if markdown else "\n"
    short = [short_label(name) for name in SPAN_OVERALL]
    out = [f"# {_head(report)}\n" if markdown else _head(report) + "\n"]
    if report.bootstrap is not None:
        b = report.bootstrap
        out.append(_("95% intervals: {method} bootstrap over transcripts, {resamples:,} resamples, seed {seed}")
                   .format(method=_(b.method), resamples=b.resamples, seed=b.seed) + "\n")
    out.append(("## " if markdown else "") + _("Overall (the codes as the values of one variable)") + "\n")
    out.append(fmt([_("coefficient"), _("value [95% CI]")], _overall_rows(report.overall)))
    out.append(heading + _("Per code: (k)uα within cuα, and uα of the code against everything else (passages per "
                           "coder)") + "\n")
    out.append(fmt([_("code"), _("name"), *report.coders, *(short_label(n, span_code=True) for n in SPAN_PER_CODE)],
                   _code_rows(report, names)))
    if len(report.coders) > 2:
        pair_rows = [[pair, *(figure(t.figures[name], with_ci=False) for name in SPAN_OVERALL), share(t.coverage)]
                     for pair, t in report.pairwise.items()]
        out.append(heading + _("Pairs of coders") + "\n")
        out.append(fmt([_("pair"), *short, _("coverage")], pair_rows))
    if report.by_transcript is not None:
        t_rows = [[name, f"{t.length:,}", *(figure(t.overall.figures[n]) for n in SPAN_OVERALL),
                   share(t.overall.coverage)] for name, t in report.by_transcript.items()]
        out.append(heading + _("Per transcript (each on its own)") + "\n")
        out.append(fmt([_("transcript"), _("characters"), *short, _("coverage")], t_rows))
    notes = undefined_notes(_undefined_places(report)) + [translated(n) for n in report.notes]
    out.append(notes_section(notes, markdown))
    return "\n".join(part.rstrip("\n") + "\n" for part in out if part)


def render_span_csv(report: SpanAgreement) -> tuple[list[str], list[list[Any]]]:
    """Long format, one figure per row, with the continuum length of every transcript."""
    rows: list[list[Any]] = []

    def add(scope: str, key: str, table: Table, coverage: float | None = None) -> None:
        for name, result in table.items():
            rows.append(csv_row(scope, key, name, result))
            if name == "cu_alpha":
                rows.append([scope, key, f"{name}_coverage", coverage, None, None, None])

    add("overall", "", report.overall.figures, report.overall.coverage)
    for code, table in report.per_code.items():
        add("per_code", code, table)
    for pair, span_table in report.pairwise.items():
        add("pairwise", pair, span_table.figures, span_table.coverage)
    for name, t in (report.by_transcript or {}).items():
        add("by_transcript", name, t.overall.figures, t.overall.coverage)
        for code, table in t.per_code.items():
            add("by_transcript_code", f"{name}|{code}", table)
    for name, length in report.transcript_lengths.items():
        rows.append(["transcript_length", name, "characters", length, None, None, None])
    return CSV_HEADERS, rows


def emit_span_report(report: SpanAgreement, names: dict[str, str], fmt: str, output: str | None) -> None:
    if fmt == "json":
        emit("json", [], [], json_data=report.to_json(), output=output)
    elif fmt == "csv":
        headers, rows = render_span_csv(report)
        emit("csv", headers, rows, output=output)
    else:
        write_output(render_span_table(report, names, markdown=fmt == "md"), output)
