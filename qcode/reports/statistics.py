"""Plain data for the statistics screen: per-code bars by coder, and a code x transcript heat table.

The screen draws; this module only counts, with the same definitions as `qcode freq`
(`qcode.reports.frequencies`), and returns frozen dataclasses of tuples: no numpy, no SQL, no textual.
Rows are the frequency table's rows (codes in codebook order, plus a subtree row for codes with
children and for groups), so a bar or a cell always equals the number `qcode freq` prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from qcode.analysis.selection import Selection
from qcode.analysis.units import ReportData, load_report_data
from qcode.reports.crosstab import PresenceTest, crosstab
from qcode.reports.frequencies import MEASURES, FrequencyTable, code_frequencies
from qcode.storage import Store
from qcode.i18n import _


@dataclass(frozen=True, slots=True)
class CodeLabel:
    """A row of a statistics view: which code, its name, indentation, and whether it is a subtree total."""

    code: str
    name: str
    depth: int
    scope: str  # "code" or "subtree"
    color: str


@dataclass(frozen=True)
class CodeCoderCounts:
    """Per code and coder: codings and units, for side-by-side bars (one bar per coder).

    `codings[i][j]` and `units[i][j]` belong to row `rows[i]` and coder `coders[j]`; `pooled_units[i]`
    counts a unit once however many coders marked it.
    """

    unit: str
    rows: tuple[CodeLabel, ...]
    coders: tuple[str, ...]
    codings: tuple[tuple[int, ...], ...]
    units: tuple[tuple[int, ...], ...]
    pooled_units: tuple[int, ...]
    units_total: int

    @property
    def largest(self) -> int:
        """The longest bar (codings or units), to scale bars against; 0 when nothing is coded."""
        return max((v for row in self.codings + self.units for v in row), default=0)


@dataclass(frozen=True)
class CodeTranscriptMatrix:
    """Per code and transcript: one measure, for a heat table (`values[i][j]`: rows[i], transcripts[j]).

    Shares are floats in 0..1 (None where a transcript has no units); the other measures are ints.
    """

    unit: str
    measure: str
    rows: tuple[CodeLabel, ...]
    transcripts: tuple[str, ...]
    values: tuple[tuple[int | float | None, ...], ...]
    totals: tuple[int | float | None, ...]  # the row's pooled value over all transcripts

    @property
    def largest(self) -> int | float:
        """The largest cell, to scale the heat colours against; 0 when nothing is coded."""
        return max((v for row in self.values for v in row if v is not None), default=0)


def _labels(table: FrequencyTable, data: ReportData, lang: str | None) -> tuple[CodeLabel, ...]:
    book = data.codebook
    return tuple(
        CodeLabel(row.code, book.display_name(row.code, lang), row.depth, row.scope, book.color_of(row.code))
        for row in table.rows
    )


def code_coder_counts(
    store: Store, selection: Selection | None = None, *, unit: str = "turn", lang: str | None = None
) -> CodeCoderCounts:
    """Codings and units per code and coder (the numbers of `qcode freq --by coder`)."""
    data = load_report_data(store, selection, voice="coders")  # bars per coder: each coder's own codings
    table = code_frequencies(data, unit, by="coder")
    return CodeCoderCounts(
        unit=unit,
        rows=_labels(table, data, lang),
        coders=table.coders,
        codings=tuple(tuple(c.codings for c in row.by) for row in table.rows),
        units=tuple(tuple(c.units for c in row.by) for row in table.rows),
        pooled_units=tuple(row.total.units for row in table.rows),
        units_total=table.units_total,
    )


def code_transcript_matrix(
    store: Store,
    selection: Selection | None = None,
    *,
    unit: str = "turn",
    measure: str = "units",
    lang: str | None = None,
) -> CodeTranscriptMatrix:
    """One measure per code and transcript (the numbers of `qcode freq --by transcript`)."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; choose one of {MEASURES}")
    data = load_report_data(store, selection)
    table = code_frequencies(data, unit, by="transcript")
    return CodeTranscriptMatrix(
        unit=unit,
        measure=measure,
        rows=_labels(table, data, lang),
        transcripts=tuple(str(name) for name in table.groups),
        values=tuple(tuple(c.measure(measure) for c in row.by) for row in table.rows),
        totals=tuple(row.total.measure(measure) for row in table.rows),
    )


@dataclass(frozen=True)
class CodeGroupCounts:
    """Per code and group of `--by` (a person, an attribute's value): codings and units, and the crosstab's
    test of presence by group per row (`tests[i]`, "" where a row has none), for bars per group."""

    unit: str
    by: str
    rows: tuple[CodeLabel, ...]
    groups: tuple[str, ...]
    codings: tuple[tuple[int, ...], ...]
    units: tuple[tuple[int, ...], ...]
    tests: tuple[str, ...]
    units_total: int


def _test_text(test: PresenceTest | None) -> str:
    if test is None:
        return ""
    if test.name is None:
        return _("no test: {reason}").format(reason=test.note) if test.note else ""
    p = "p<0.001" if test.p_value is not None and test.p_value < 0.001 else f"p={test.p_value:.3f}"
    v = f", V={test.cramers_v:.2f}" if test.cramers_v is not None else ""
    if test.name == "fisher_exact":
        return _("Fisher exact") + f" {p}{v}"
    return f"χ²={test.statistic:.2f}, df={test.df}, {p}{v}" + (_(" (expected counts < 5)") if test.note else "")


def code_group_counts(
    store: Store, by: str, selection: Selection | None = None, *, unit: str = "turn", lang: str = "zh"
) -> CodeGroupCounts:
    """Codings and units per code and group of `by` (the numbers of `qcode freq --by`), with the tests of
    `qcode crosstab --by` (each row's test, where the crosstab has that row)."""
    data = load_report_data(store, selection)
    table = code_frequencies(data, unit, by=by)
    tests = {(row.code, row.scope): row.test for row in crosstab(data, by).rows}
    return CodeGroupCounts(
        unit=unit,
        by=by,
        rows=_labels(table, data, lang),
        groups=tuple(str(g) for g in table.groups),
        codings=tuple(tuple(c.codings for c in row.by) for row in table.rows),
        units=tuple(tuple(c.units for c in row.by) for row in table.rows),
        tests=tuple(_test_text(tests.get((row.code, row.scope))) for row in table.rows),
        units_total=table.units_total,
    )
