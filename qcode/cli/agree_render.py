"""`qcode agree` (units and characters) as terminal and Markdown tables and as long CSV.

Labels come from the one table of statistics (`qcode.agreement.labels`); reasons and notes are said in
the interface language, while CSV keeps the English keys and reasons the JSON has.
"""

from __future__ import annotations

from typing import Any

from qcode.agreement.figures import UnitAgreement
from qcode.agreement.labels import figure, long_label, short_label
from qcode.agreement.messages import translated
from qcode.agreement.nominal import STATISTICS
from qcode.agreement.result import Result
from qcode.cli.output import to_markdown, to_table
from qcode.i18n import N_, _, counted


def _per_code_rows(report: UnitAgreement, names: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    coders = list(report.coders)
    headers = [_("code"), _("name"), *coders, *(short_label(stat) for stat in STATISTICS)]
    rows = []
    for code, table in report.per_code.items():
        counts = (report.per_code_counts or {}).get(code, {})
        rows.append([code, names.get(code, ""), *(str(counts.get(c, "")) for c in coders),
                     *(figure(table[stat]) for stat in STATISTICS)])
    return headers, rows


SCOPES = {"overall": N_("overall"), "per_code": N_("per code"), "pairwise": N_("pairwise"),
          "label_sets": N_("label sets")}


def undefined_notes(places: list[tuple[str, str]]) -> list[str]:
    """One line per distinct reason a figure is undefined, naming where: `places` are (reason, where)."""
    by_reason: dict[str, list[str]] = {}
    for reason, place in places:
        by_reason.setdefault(reason, []).append(place)
    lines = []
    for reason, where in by_reason.items():
        shown = "; ".join(where[:4]) + (_("; … ({count} in all)").format(count=len(where)) if len(where) > 4 else "")
        lines.append(_("— = undefined: {reason} ({places})").format(reason=translated(reason), places=shown))
    return lines


def _undefined_places(report: UnitAgreement) -> list[tuple[str, str]]:
    places = []
    for scope, key, stat, result in report.undefined():
        assert result.undefined_reason is not None  # undefined() yields undefined results only
        where = _(SCOPES[scope]) if scope == "label_sets" else f"{_(SCOPES[scope])} {key}".strip() + \
            f": {short_label(stat)}"
        places.append((result.undefined_reason, where))
    return places


def _compared_line(report: UnitAgreement) -> str:
    """Which transcripts entered the figures (rated by two or more coders), and which did not."""
    compared = report.scope.compared if report.scope is not None else None
    if compared is None:
        return ""
    names = compared.transcripts
    line = counted(len(names), "Compared: {count} transcript rated by 2 or more coders ({names}; {characters:,} "
                               "characters, {units:,} units)",
                   "Compared: {count} transcripts rated by 2 or more coders ({names}; {characters:,} characters, "
                   "{units:,} units)", names=", ".join(names) or _("none"), characters=compared.characters,
                   units=compared.units)
    skipped = [name for name, _coders in compared.not_compared]
    if skipped:
        line += _("; not compared (fewer than 2 coders completed them): {names}").format(names=", ".join(skipped))
    return line


def render_table(report: UnitAgreement, names: dict[str, str], markdown: bool = False) -> str:
    """The report as terminal tables (or Markdown): per code first, as multi-label coding is reported."""
    fmt = to_markdown if markdown else (lambda h, r: to_table(h, r))
    section = (lambda title: f"\n## {title}\n") if markdown else (lambda title: f"\n{title}\n")
    head = _("Agreement on {unit} units: {count} coders ({coders}); {units:,} units, {pairable:,} rated by 2 or more "
             "coders").format(unit=_(report.unit), count=len(report.coders), coders=", ".join(report.coders),
                              units=report.n_units, pairable=report.n_units_pairable)
    out = [f"# {head}\n" if markdown else head + "\n", _compared_line(report) + "\n"]
    if report.bootstrap is not None:
        b = report.bootstrap
        out.append(_("95% intervals: {method} bootstrap over units, {resamples:,} resamples, seed {seed}").format(
            method=_(b.method), resamples=b.resamples, seed=b.seed) + "\n")
    headers, rows = _per_code_rows(report, names)
    out += [("## " if markdown else "") + _("Per code (presence or absence of each code)") + "\n", fmt(headers, rows)]
    value_headers = [_("statistic"), _("value [95% CI]")]
    overall_rows = [[long_label(stat), figure(result)] for stat, result in report.overall.items()]
    out += [section(_("Overall (one category per unit)")), fmt(value_headers, overall_rows)]
    out += [section(_("Label sets")), fmt(value_headers, [[long_label("krippendorff_alpha_masi"), figure(report.masi)]])]
    if len(report.coders) > 2 or report.unit == "char":
        pair_rows = [[pair, *(figure(t[stat], with_ci=False) for stat in STATISTICS)]
                     for pair, t in report.pairwise.items()]
        out += [section(_("Pairs of coders")), fmt([_("pair"), *(short_label(stat) for stat in STATISTICS)], pair_rows)]
    out.append(notes_section(undefined_notes(_undefined_places(report)) + [translated(n) for n in report.notes],
                             markdown))
    return "\n".join(part.rstrip("\n") + "\n" for part in out if part)


def notes_section(notes: list[str], markdown: bool) -> str:
    """The notes under a report's tables, or nothing."""
    if not notes:
        return ""
    title = _("Notes")
    return (f"\n## {title}\n\n" if markdown else f"\n{title}\n") + "\n".join(f"- {n}" for n in notes) + "\n"


CSV_HEADERS = ["scope", "key", "statistic", "value", "ci95_low", "ci95_high", "undefined_reason"]


def csv_row(scope: str, key: str, stat: str, result: Result) -> list[Any]:
    """One statistic in the long CSV layout (English keys and reasons, as the JSON has them)."""
    low, high = result.ci95 if result.ci95 is not None else (None, None)
    return [scope, key, stat, result.value, low, high, result.undefined_reason]


def render_csv(report: UnitAgreement) -> tuple[list[str], list[list[Any]]]:
    """Long format, one statistic per row: easy to filter and pivot in a spreadsheet."""
    rows = [csv_row("overall", "", stat, result) for stat, result in report.overall.items()]
    for scope, tables in (("per_code", report.per_code), ("pairwise", report.pairwise)):
        rows += [csv_row(scope, key, stat, result) for key, table in tables.items() for stat, result in table.items()]
    rows.append(csv_row("label_sets", "", "krippendorff_alpha_masi", report.masi))
    for seen in report.scope.not_independent if report.scope is not None else ():
        # key: transcript, statistic: the coder
        rows.append(["not_independent", seen.transcript, seen.coder, None, None, None,
                     f"{seen.coder} saw other coders' codings of {seen.transcript} at {seen.at} before "
                     "completing it: not coded independently"])
    return CSV_HEADERS, rows
