"""An agreement report (the dict of `qcode.project.reliability.run_agreement`) as report tables.

Three tables, as a methods chapter reports them: overall (with Krippendorff's alpha over label sets),
per code (presence or absence of each code) and pairwise. Two layouts: `for_reading` puts each value
and its 95% interval in one cell, "0.812 [0.700, 0.900]", and shows an undefined value as "—" (Word);
the numeric layout keeps numbers as numbers with the interval bounds in their own columns (Excel).
"""

from __future__ import annotations

from typing import Any

from qcode.i18n import N_, _
from qcode.reports.tables import Table

STATISTICS = {
    "percent_agreement": N_("% agree"),
    "cohen_kappa": "kappa",
    "scott_pi": "pi",
    "fleiss_kappa": "Fleiss",
    "krippendorff_alpha_nominal": "alpha",
    "brennan_prediger": "BP",
    "gwet_ac1": "AC1",
}
LONG_NAMES = {
    "percent_agreement": N_("percent agreement"),
    "cohen_kappa": "Cohen's kappa",
    "scott_pi": "Scott's pi",
    "fleiss_kappa": "Fleiss' kappa",
    "krippendorff_alpha_nominal": N_("Krippendorff's alpha (nominal)"),
    "brennan_prediger": "Brennan-Prediger",
    "gwet_ac1": "Gwet's AC1",
    "krippendorff_alpha_masi": N_("Krippendorff's alpha (MASI distance, label sets)"),
}
UNDEFINED = "—"


def reading_cell(result: dict[str, Any], *, with_ci: bool = True) -> str:
    """A value with its 95% interval, three decimals, as the terminal report shows it."""
    value = result.get("value")
    if value is None:
        return UNDEFINED
    text = f"{value:.3f}"
    if with_ci and result.get("ci95"):
        low, high = result["ci95"]
        text += f" [{low:.3f}, {high:.3f}]"
    return text


def _bounds(result: dict[str, Any]) -> tuple[float | None, float | None]:
    ci = result.get("ci95") or (None, None)
    return ci[0], ci[1]


UNIT_PLURALS = {"turn": N_("turns"), "sentence": N_("sentences"), "transcript": N_("transcripts"),
                "char": N_("characters")}


def _units(report: dict[str, Any]) -> str:
    """The unit in a title short enough for an Excel sheet name (31 characters)."""
    return UNIT_PLURALS.get(report["unit"], report["unit"])


def agreement_tables(report: dict[str, Any], names: dict[str, str], *, for_reading: bool) -> list[Table]:
    """Overall, per code and (with three or more coders, or characters as units) pairwise tables."""
    tables = [_overall(report, for_reading), _per_code(report, names, for_reading)]
    if report["pairwise"] and (len(report["coders"]) > 2 or report["unit"] == "char"):
        tables.append(_pairwise(report, for_reading))
    return tables


def _overall(report: dict[str, Any], for_reading: bool) -> Table:
    results = dict(report["overall"])
    results["krippendorff_alpha_masi"] = report["label_sets"]["krippendorff_alpha_masi"]
    title = _("Agreement overall ({units})").format(units=_(_units(report)))
    if for_reading:
        rows: tuple[tuple[Any, ...], ...] = tuple((_(LONG_NAMES[stat]), reading_cell(result))
                                                  for stat, result in results.items())
        return Table(title, ("statistic", "value [95% CI]"), rows, (1,))
    rows = tuple((_(LONG_NAMES[stat]), result.get("value"), *_bounds(result), result.get("undefined_reason"))
                 for stat, result in results.items())
    return Table(title, ("statistic", "value", "95% CI low", "95% CI high", "undefined because"), rows, (1, 2, 3))


def _with_ci(report: dict[str, Any], scope: str) -> list[str]:
    """The statistics that have an interval somewhere in `scope` (bootstrap gives them for some only)."""
    return [stat for stat in STATISTICS
            if any(table[stat].get("ci95") for table in report[scope].values())]


def _per_code(report: dict[str, Any], names: dict[str, str], for_reading: bool) -> Table:
    coders = list(report["coders"])
    counts = report.get("per_code_counts", {})
    title = _("Agreement per code ({units})").format(units=_(_units(report)))
    headers = ["code", "name", *coders]
    if for_reading:
        headers += list(STATISTICS.values())
    else:
        interval = set(_with_ci(report, "per_code"))
        for stat, label in STATISTICS.items():
            headers += [label, f"{label} CI low", f"{label} CI high"] if stat in interval else [label]
    rows = []
    for code, table in report["per_code"].items():
        row: list[Any] = [code, names.get(code, ""), *(counts.get(code, {}).get(c) for c in coders)]
        for stat in STATISTICS:
            if for_reading:
                row.append(reading_cell(table[stat]))
            else:
                row.append(table[stat].get("value"))
                if stat in interval:
                    row += list(_bounds(table[stat]))
        rows.append(tuple(row))
    numeric = tuple(range(2, len(headers)))
    return Table(title, tuple(headers), tuple(rows), numeric)


def _pairwise(report: dict[str, Any], for_reading: bool) -> Table:
    title = _("Agreement pairwise ({units})").format(units=_(_units(report)))
    headers = ("pair", *STATISTICS.values())
    rows = tuple(
        (pair, *((reading_cell(t[stat], with_ci=False) if for_reading else t[stat].get("value"))
                 for stat in STATISTICS))
        for pair, t in report["pairwise"].items()
    )
    return Table(title, headers, rows, tuple(range(1, len(headers))))
