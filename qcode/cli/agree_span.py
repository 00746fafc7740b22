"""`qcode agree --unit span`: the unitizing alpha family as tables, Markdown, CSV, JSON or a methods paragraph."""

from __future__ import annotations

from typing import Any

from qcode.cli.output import emit, to_markdown, to_table, write_output

OVERALL_LABELS = {
    "u_alpha": "uα (where and which code, uncoded text included)",
    "binary_u_alpha": "|uα (which text is relevant: α-binary)",
    "cu_alpha": "cuα (which code, where passages overlap)",
}
SHORT = {"u_alpha": "uα", "binary_u_alpha": "|uα", "cu_alpha": "cuα", "k_u_alpha": "(k)uα"}


def _cell(result: dict[str, Any], with_ci: bool = True) -> str:
    if result["value"] is None:
        return "—"
    text = f"{result['value']:.3f}"
    if with_ci and result.get("ci95"):
        low, high = result["ci95"]
        text += f" [{low:.3f}, {high:.3f}]"
    return text


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _undefined_notes(report: dict[str, Any]) -> list[str]:
    """One line per distinct reason a figure is undefined, naming where."""
    by_reason: dict[str, list[str]] = {}

    def collect(where: str, table: dict[str, Any], labels: dict[str, str]) -> None:
        for name, result in table.items():
            if result["value"] is None:
                by_reason.setdefault(result["undefined_reason"], []).append(f"{where}{labels[name]}")

    collect("", report["overall"], SHORT)
    for code, table in report["per_code"].items():
        collect(f"{code} ", table, {"k_u_alpha": "(k)uα", "binary_u_alpha": "binary uα"})
    lines = []
    for reason, places in by_reason.items():
        shown = "; ".join(places[:4]) + (f"; … ({len(places)} in all)" if len(places) > 4 else "")
        lines.append(f"— = undefined: {reason} ({shown})")
    return lines


def render_span_table(report: dict[str, Any], names: dict[str, str], markdown: bool = False) -> str:
    """Overall figures first (the codes as one variable), then per code, per pair and per transcript."""
    fmt = to_markdown if markdown else (lambda h, r: to_table(h, r))
    heading = "\n## " if markdown else "\n"
    coders = report["coders"]
    head = (f"Agreement on coder-chosen spans (Krippendorff's unitizing alpha): {len(coders)} coders "
            f"({', '.join(coders)}); {report['n_transcripts']} transcript(s) completed by every coder, "
            f"{report['continuum_length']:,} characters, {_share(report.get('coded_share'))} coded; "
            f"{report['n_units']:,} passages")
    out = [f"# {head}\n" if markdown else head + "\n"]
    if "bootstrap" in report:
        b = report["bootstrap"]
        out.append(f"95% intervals: {b['method']} bootstrap over transcripts, {b['resamples']:,} resamples, "
                   f"seed {b['seed']}\n")
    overall = report["overall"]
    rows = [[OVERALL_LABELS[name], _cell(overall[name])] for name in OVERALL_LABELS]
    rows[-1][1] += f"   coverage {_share(overall['cu_alpha'].get('coverage'))} of coded text"
    out.append(("## " if markdown else "") + "Overall (the codes as the values of one variable)\n")
    out.append(fmt(["coefficient", "value [95% CI]"], rows))
    counts = report.get("per_code_counts", {})
    code_rows = [[code, names.get(code, ""), *(str(counts.get(code, {}).get(c, "")) for c in coders),
                  _cell(table["k_u_alpha"]), _cell(table["binary_u_alpha"])]
                 for code, table in report["per_code"].items()]
    out.append(heading + "Per code: (k)uα within cuα, and uα of the code against everything else (passages per coder)\n")
    out.append(fmt(["code", "name", *coders, "(k)uα", "binary uα"], code_rows))
    if len(coders) > 2:
        pair_rows = [[pair, *(_cell(t[name], with_ci=False) for name in OVERALL_LABELS),
                      _share(t["cu_alpha"].get("coverage"))] for pair, t in report["pairwise"].items()]
        out.append(heading + "Pairs of coders\n")
        out.append(fmt(["pair", "uα", "|uα", "cuα", "coverage"], pair_rows))
    if "by_transcript" in report:
        t_rows = [[name, f"{t['length']:,}", *(_cell(t["overall"][n]) for n in OVERALL_LABELS),
                   _share(t["overall"]["cu_alpha"].get("coverage"))] for name, t in report["by_transcript"].items()]
        out.append(heading + "Per transcript (each on its own)\n")
        out.append(fmt(["transcript", "characters", "uα", "|uα", "cuα", "coverage"], t_rows))
    notes = _undefined_notes(report) + list(report.get("notes", []))
    if notes:
        out.append(("\n## Notes\n\n" if markdown else "\nNotes\n") + "\n".join(f"- {n}" for n in notes) + "\n")
    return "\n".join(part.rstrip("\n") + "\n" for part in out)


def render_span_csv(report: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Long format, one figure per row, with the continuum length of every transcript."""
    headers = ["scope", "key", "statistic", "value", "ci95_low", "ci95_high", "undefined_reason"]
    rows: list[list[Any]] = []

    def add(scope: str, key: str, table: dict[str, Any]) -> None:
        for name, result in table.items():
            ci = result.get("ci95") or [None, None]
            rows.append([scope, key, name, result["value"], ci[0], ci[1], result.get("undefined_reason")])
            if "coverage" in result:
                rows.append([scope, key, f"{name}_coverage", result["coverage"], None, None, None])

    add("overall", "", report["overall"])
    for code, table in report["per_code"].items():
        add("per_code", code, table)
    for pair, table in report["pairwise"].items():
        add("pairwise", pair, table)
    for name, t in report.get("by_transcript", {}).items():
        add("by_transcript", name, t["overall"])
        for code, table in t["per_code"].items():
            add("by_transcript_code", f"{name}|{code}", table)
    for name, length in report["transcript_lengths"].items():
        rows.append(["transcript_length", name, "characters", length, None, None, None])
    return headers, rows


def emit_span_report(report: dict[str, Any], names: dict[str, str], fmt: str, output: str | None) -> None:
    if fmt == "json":
        emit("json", [], [], json_data=report, output=output)
    elif fmt == "csv":
        headers, rows = render_span_csv(report)
        emit("csv", headers, rows, output=output)
    else:
        write_output(render_span_table(report, names, markdown=fmt == "md"), output)
