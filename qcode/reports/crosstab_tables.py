"""The crosstab and the case matrix as tables: a wide one to read, a long one for spreadsheets and R."""

from __future__ import annotations

from qcode.domain.codebook import Codebook
from qcode.reports.case_matrix import CaseMatrix
from qcode.reports.crosstab import Crosstab
from qcode.reports.tables import Table
from qcode.i18n import _


def _p(value: float | None) -> str:
    if value is None:
        return "—"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def crosstab_wide(table: Crosstab, book: Codebook, lang: str = "zh") -> Table:
    """One row per code: per group `with/cases share (codings)`, then the test."""
    groups = [f"{g} (n={n})" for g, n in table.groups]
    headers = ("code", "name", *groups, "test", "statistic", "df", "p", "Cramér's V")
    rows = []
    for row in table.rows:
        cells = [f"{c.cases_with_code}/{n} {'' if c.share is None else f'{c.share:.0%}'} ({c.codings})".replace("  ", " ")
                 for c, (_group, n) in zip(row.cells, table.groups, strict=True)]
        t = row.test
        rows.append((row.code, book.display_name(row.code, lang), *cells,
                     {"chi_square": "chi²", "fisher_exact": "Fisher"}.get(t.name or "", "—"),
                     "—" if t.statistic is None else f"{t.statistic:.3f}", "—" if t.df is None else t.df,
                     _p(t.p_value), "—" if t.cramers_v is None else f"{t.cramers_v:.3f}"))
    title = (_("Codes by {by}: persons with the code / persons in the group, share (codings)")
             if table.case_kind == "person" else
             _("Codes by {by}: transcripts with the code / transcripts in the group, share (codings)")).format(by=table.by)
    return Table(title, headers, tuple(rows), tuple(range(2, len(headers))))


def crosstab_long(table: Crosstab, book: Codebook, lang: str = "zh") -> Table:
    """One row per code and group, with every number and the code's test repeated."""
    headers = ("code", "name", "group", "cases", "cases_with_code", "share", "codings", "test", "statistic",
               "df", "p_value", "cramers_v", "note")
    rows = []
    for row in table.rows:
        t = row.test
        for cell, (_group, n) in zip(row.cells, table.groups, strict=True):
            rows.append((row.code, book.display_name(row.code, lang), cell.group, n, cell.cases_with_code, cell.share,
                         cell.codings, t.name, t.statistic, t.df, t.p_value, t.cramers_v, t.note))
    return Table(_("Codes by {by}").format(by=table.by), headers, tuple(rows), (3, 4, 5, 6, 8, 9, 10, 11), (5,))


def matrix_table(matrix: CaseMatrix, value: str) -> Table:
    numeric = tuple(range(1 + len(matrix.attributes), len(matrix.headers)))
    return Table(_("Cases x codes ({value})").format(value=_(value)), matrix.headers, matrix.rows, numeric)
