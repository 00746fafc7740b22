"""Codes by groups (`qcode crosstab`): how many cases of each group have each code, and whether that differs.

Cases are transcripts when the groups are of transcripts (`--by transcript`, a transcript attribute), and
persons when they are of speakers (`--by person`, `--by speaker`, a person attribute); a person has a code
when one of the codings in the analysis marks one of their turns (the unit rule). Per code and group:

- `cases_with_code`: cases of the group with the code; `share`: that divided by the group's cases;
- `codings`: the code's codings in the group (the numbers of `qcode freq --by`).

Per code, a test of presence by group over the 2 x k table (cases with / without the code per group;
groups without cases left out): Pearson's chi-square without continuity correction, df = k - 1, with
Cramér's V = sqrt(chi2 / (n * (min(2, k) - 1))). When an expected count is below 5 the chi-square is
unreliable: for 2 x 2 tables Fisher's exact test (two-sided) is used instead (its statistic is the
sample odds ratio, None when a cell is 0; df is None), for larger tables the chi-square is kept with a note. A code every case
has, or no case has, cannot be tested (statistic None, with the reason). Rows: each codable code's own
codings, and for a group (codable: false) its subtree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from qcode.analysis.groups import grouping
from qcode.analysis.units import ReportData
from qcode.reports.frequencies import code_frequencies
from qcode.i18n import _


@dataclass(frozen=True, slots=True)
class Cell:
    group: str
    cases_with_code: int
    share: float | None
    codings: int


@dataclass(frozen=True, slots=True)
class PresenceTest:
    name: str | None  # "chi_square", "fisher_exact" or None when the code cannot be tested
    statistic: float | None
    df: int | None
    p_value: float | None
    cramers_v: float | None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CrosstabRow:
    code: str
    scope: str
    cells: tuple[Cell, ...]
    test: PresenceTest


@dataclass(frozen=True)
class Crosstab:
    by: str
    case_kind: str  # "transcript" or "person"
    groups: tuple[tuple[str, int], ...]  # (group, cases)
    rows: tuple[CrosstabRow, ...]


def presence_test(table: np.ndarray) -> PresenceTest:
    """The test of a 2 x k table of counts (rows: with, without the code; columns: groups)."""
    table = np.asarray(table, dtype=np.int64)
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2:
        return PresenceTest(None, None, None, None, None, _("fewer than two groups with cases"))
    if (table.sum(axis=1) == 0).any():
        return PresenceTest(None, None, None, None, None, _("every case, or no case, has the code"))
    from scipy import stats  # lazy: scipy takes ~0.3 s to import; reports without a test (export xlsx) skip it

    n = int(table.sum())
    chi2, p, df, expected = stats.chi2_contingency(table, correction=False)
    v = math.sqrt(chi2 / (n * (min(table.shape) - 1)))
    small = int((expected < 5).sum())
    if small and table.shape == (2, 2):
        odds, p_exact = stats.fisher_exact(table, alternative="two-sided")
        finite = math.isfinite(odds) and not math.isnan(odds)
        return PresenceTest("fisher_exact", float(odds) if finite else None, None, float(p_exact), v,
                            _("{count} of 4 expected counts below 5: Fisher's exact test").format(count=small)
                            + ("" if finite else _(" (odds ratio undefined: a zero cell)")))
    note = _("{count} of {cells} expected counts below 5: the chi-square p-value is approximate; consider merging "
             "groups").format(count=small, cells=expected.size) if small else None
    return PresenceTest("chi_square", float(chi2), int(df), float(p), v, note)


def crosstab(data: ReportData, by: str) -> Crosstab:
    """Codes by the groups of `by` (see the module docstring)."""
    found = grouping(data, by)
    person_level = found.level == "speaker"
    per_case = code_frequencies(data, "turn", by="person" if person_level else "transcript")
    per_group = code_frequencies(data, "turn", by=by)
    n_groups = len(found.names)
    if person_level:
        group_of_case: dict[str, int] = {}
        for pair, case in found.speaker_case.items():
            group = found.speaker_group[pair]
            if group < n_groups:
                group_of_case.setdefault(case, group)
    else:
        group_of_case = {t.name: int(g) for t, g in zip(data.transcripts, found.transcript_group.tolist(), strict=True)}
    case_group = np.array([group_of_case.get(str(case), -1) for case in per_case.groups], dtype=np.int64)
    # A person whose turns are all left out (or without content) is no case of the analysis.
    has_units = np.array([True] * len(per_case.groups)) if not person_level else np.array(
        [c.units_total > 0 for c in per_case.rows[0].by] if per_case.rows else [], dtype=bool)
    counted = (case_group >= 0) & has_units
    cases = np.bincount(case_group[counted], minlength=n_groups)
    rows = []
    for case_row, group_row in zip(per_case.rows, per_group.rows, strict=True):
        if case_row.scope == "subtree" and case_row.codable:
            continue
        present = np.array([c.codings > 0 for c in case_row.by], dtype=bool) & counted
        with_code = np.bincount(case_group[present], minlength=n_groups)
        cells = tuple(Cell(name, int(with_code[g]), (with_code[g] / cases[g]) if cases[g] else None,
                           int(group_row.by[g].codings)) for g, name in enumerate(found.names))
        test = presence_test(np.vstack([with_code, cases - with_code]))
        rows.append(CrosstabRow(case_row.code, case_row.scope, cells, test))
    return Crosstab(by, "person" if person_level else "transcript",
                    tuple((name, int(cases[g])) for g, name in enumerate(found.names)), tuple(rows))


def crosstab_record(table: Crosstab, names: dict[str, str] | None = None) -> dict:
    """The JSON of `qcode crosstab`."""
    names = names or {}

    def number(value: float | None) -> float | None:
        return None if value is None or not math.isfinite(value) else value

    return {
        "by": table.by,
        "cases": table.case_kind,
        "groups": [{"group": g, "cases": n} for g, n in table.groups],
        "codes": [{
            "code": row.code,
            "name": names.get(row.code, ""),
            "scope": row.scope,
            "cells": [{"group": c.group, "cases_with_code": c.cases_with_code, "share": c.share,
                       "codings": c.codings} for c in row.cells],
            "test": {"name": row.test.name, "statistic": number(row.test.statistic), "df": row.test.df,
                     "p_value": number(row.test.p_value), "cramers_v": number(row.test.cramers_v),
                     "note": row.test.note},
        } for row in table.rows],
    }
