"""An agreement report (`qcode.agreement.figures.UnitAgreement`) as report tables.

Three tables, as a methods chapter reports them: overall (with Krippendorff's alpha over label sets),
per code (presence or absence of each code) and pairwise. Two layouts: `for_reading` puts each value
and its 95% interval in one cell, "0.812 [0.700, 0.900]", and shows an undefined value as "—" (Word);
the numeric layout keeps numbers as numbers with the interval bounds in their own columns (Excel).
Labels come from the one table of statistics, `qcode.agreement.labels`.
"""

from __future__ import annotations

from typing import Any

from qcode.agreement.figures import UnitAgreement
from qcode.agreement.labels import STATISTIC, figure, long_label
from qcode.agreement.messages import translated
from qcode.agreement.nominal import STATISTICS
from qcode.agreement.result import Result
from qcode.i18n import N_, _
from qcode.reports.tables import Table


def _bounds(result: Result) -> tuple[float | None, float | None]:
    return result.ci95 if result.ci95 is not None else (None, None)


def _reason(result: Result) -> str | None:
    return None if result.undefined_reason is None else translated(result.undefined_reason)


UNIT_PLURALS = {"turn": N_("turns"), "sentence": N_("sentences"), "transcript": N_("transcripts"),
                "char": N_("characters")}


def _units(report: UnitAgreement) -> str:
    """The unit in a title short enough for an Excel sheet name (31 characters)."""
    return _(UNIT_PLURALS.get(report.unit, report.unit))


def agreement_tables(report: UnitAgreement, names: dict[str, str], *, for_reading: bool) -> list[Table]:
    """Overall, per code and (with three or more coders, or characters as units) pairwise tables."""
    tables = [_overall(report, for_reading), _per_code(report, names, for_reading)]
    if report.pairwise and (len(report.coders) > 2 or report.unit == "char"):
        tables.append(_pairwise(report, for_reading))
    return tables


def _overall(report: UnitAgreement, for_reading: bool) -> Table:
    results = {**report.overall, "krippendorff_alpha_masi": report.masi}
    title = _("Agreement overall ({units})").format(units=_units(report))
    if for_reading:
        rows: tuple[tuple[Any, ...], ...] = tuple((long_label(stat), figure(result))
                                                  for stat, result in results.items())
        return Table(title, ("statistic", "value [95% CI]"), rows, (1,))
    rows = tuple((long_label(stat), result.value, *_bounds(result), _reason(result))
                 for stat, result in results.items())
    return Table(title, ("statistic", "value", "95% CI low", "95% CI high", "undefined because"), rows, (1, 2, 3))


def _with_ci(report: UnitAgreement) -> list[str]:
    """The statistics that have an interval for some code (bootstrap gives them for some only)."""
    return [stat for stat in STATISTICS if any(table[stat].ci95 for table in report.per_code.values())]


def _per_code(report: UnitAgreement, names: dict[str, str], for_reading: bool) -> Table:
    coders = list(report.coders)
    counts = report.per_code_counts or {}
    title = _("Agreement per code ({units})").format(units=_units(report))
    headers = ["code", "name", *coders]
    interval = set() if for_reading else set(_with_ci(report))
    for stat in STATISTICS:
        label = STATISTIC[stat].short  # an English key, translated where the table is shown (`localized`)
        headers += [label, f"{label} CI low", f"{label} CI high"] if stat in interval else [label]
    rows = []
    for code, table in report.per_code.items():
        row: list[Any] = [code, names.get(code, ""), *(counts.get(code, {}).get(c) for c in coders)]
        for stat in STATISTICS:
            if for_reading:
                row.append(figure(table[stat]))
            else:
                row.append(table[stat].value)
                if stat in interval:
                    row += list(_bounds(table[stat]))
        rows.append(tuple(row))
    return Table(title, tuple(headers), tuple(rows), tuple(range(2, len(headers))))


def _pairwise(report: UnitAgreement, for_reading: bool) -> Table:
    title = _("Agreement pairwise ({units})").format(units=_units(report))
    headers = ("pair", *(STATISTIC[stat].short for stat in STATISTICS))
    rows = tuple(
        (pair, *((figure(t[stat], with_ci=False) if for_reading else t[stat].value) for stat in STATISTICS))
        for pair, t in report.pairwise.items()
    )
    return Table(title, headers, rows, tuple(range(1, len(headers))))
