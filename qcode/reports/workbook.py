"""The project workbook of `qcode export xlsx`: every report of one analysis in one Excel file.

Sheets, in order: Frequencies (pooled, long layout), Frequencies by transcript (long layout, for
filtering and pivoting), Co-occurrence (counts over the chosen unit), Quotes (every coding with its
text), Codebook (both languages, with counts), Counts per code (units and each coder's codings, with
two native bar charts beside it), the agreement sheets when an agreement report is given (overall,
per code, pairwise; intervals as numbers), and Memos (project, transcript, code and coding memos).
All sheets use the same selection and unit. Each grouping asked for with `--by` (person, attr:NAME, ...)
adds a sheet "Frequencies by ..." and one "Crosstab by ..." (cases with each code per group, with its
test) after the first two. The per-coder counts use each coder's own codings (`coder_data`, loaded with
voice "coders"); the other sheets count one voice per passage unless coders were named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from qcode.analysis.units import ReportData
from qcode.domain.codebook import Codebook
from qcode.errors import Problem
from qcode.i18n import _
from qcode.agreement.figures import UnitAgreement
from qcode.reports.agreement_tables import agreement_tables
from qcode.reports.cooccurrence import cooccurrence
from qcode.reports.crosstab import crosstab
from qcode.reports.crosstab_tables import crosstab_long
from qcode.reports.frequencies import FrequencyTable, code_frequencies
from qcode.reports.headers import localized
from qcode.reports.quotes import PassageColumns, Quote, passage_columns
from qcode.reports.tables import (
    Table,
    codebook_table,
    cooccurrence_table,
    frequency_long,
    quote_table,
)
from qcode.reports.xlsx import BarChart, cyclic_gc_paused, write_workbook


def without_breakdown(table: FrequencyTable) -> FrequencyTable:
    """The pooled table inside a table with a breakdown (its totals), as `code_frequencies` without `by` gives it."""
    return replace(table, breakdown=None, groups=(), rows=tuple(replace(row, by=()) for row in table.rows))


def code_counts_table(pooled: FrequencyTable, per_coder: ReportData, book: Codebook, lang: str) -> Table:
    """One row per codable code (its own codings): units, codings, and each coder's codings.

    A coder's codings of a code are counted straight from `per_coder` (the `codings` of
    `code_frequencies(per_coder, by="coder")`, without its units and characters, which this sheet
    does not show).
    """
    coders = per_coder.coders
    counts = np.bincount(per_coder.coding_code * len(coders) + per_coder.coding_coder,
                         minlength=len(per_coder.codes) * len(coders)).reshape(len(per_coder.codes), len(coders))
    rows = []
    for row in pooled.rows:
        if row.scope != "code" or not row.codable:
            continue
        by = counts[per_coder.code_index[row.code]].tolist() if row.code in per_coder.code_index else []
        rows.append((row.code, book.display_name(row.code, lang), row.total.units, row.total.codings, *by))
    headers = ("code", "name", f"{pooled.unit}s", "codings", *coders)
    return Table(_("Counts per code"), headers, tuple(rows), tuple(range(2, len(headers))))


def count_charts(table: Table) -> list[BarChart]:
    """Bars of units per code, and clusters of each coder's codings per code."""
    coders = tuple(range(4, len(table.headers)))
    units = _(table.headers[2])
    charts = [BarChart(_("{units} per code").format(units=units), categories=1, series=(2,), value_axis=units)]
    if coders:
        charts.append(BarChart(_("codings per code and coder"), categories=1, series=coders, value_axis=_("codings")))
    return charts


def memo_table(memos: Sequence[Any], passages: Sequence[Quote] | PassageColumns, transcript_names: dict[str, str],
               book: Codebook, lang: str) -> Table:
    """Every memo: on the project, a transcript, a code, or a coding (with the coded passage)."""
    rows: list[tuple[Any, ...]] = []
    for memo in memos:
        if memo.target_kind == "transcript":
            target = transcript_names.get(memo.target, memo.target)
        elif memo.target_kind == "code":
            target = f"{book.display_name(memo.target, lang)} [{memo.target}]" if memo.target in book else memo.target
        else:
            target = ""
        rows.append((memo.target_kind, target, memo.coder, memo.text, None, memo.updated_at))
    columns = passages if isinstance(passages, PassageColumns) else PassageColumns.of(passages)
    for i in (i for i, memo in enumerate(columns.memo) if memo):
        code = columns.code[i]
        target = f"{columns.transcript[i]} {columns.start[i]}-{columns.end[i]} {book.display_name(code, lang)} [{code}]"
        rows.append(("coding", target, columns.coder[i], columns.memo[i], columns.text[i], None))
    headers = ("about", "target", "coder", "memo", "coded text", "updated")
    return Table(_("Memos"), headers, tuple(rows))


def workbook_tables(data: ReportData, unit: str = "turn", lang: str = "zh", by: tuple[str, ...] = (), *,
                    by_transcript: FrequencyTable | None = None, passages: PassageColumns | None = None) -> list[Table]:
    """The report sheets as tables (see the module docstring), without agreement and memos.

    `by_transcript` (`code_frequencies(data, unit, by="transcript")`, whose totals are the pooled
    frequencies) and `passages` (`passage_columns(data)`) may be given when the caller already has them,
    so that nothing is computed twice.
    """
    book = data.codebook
    by_transcript = by_transcript if by_transcript is not None else code_frequencies(data, unit, by="transcript")
    pooled = without_breakdown(by_transcript)
    passages = passages if passages is not None else passage_columns(data, with_guids=False)
    matrix = cooccurrence(data, unit)
    grouped: list[Table] = []
    for grouping in by:
        if grouping == "transcript":
            continue  # already the second sheet
        long = frequency_long(code_frequencies(data, unit, by=grouping), book, lang)
        grouped.append(Table(_("Frequencies by {breakdown}").format(breakdown=_(grouping)), long.headers, long.rows, long.numeric, long.percent))
        if grouping != "coder":
            table = crosstab_long(crosstab(data, grouping), book, lang)
            grouped.append(Table(_("Crosstab by {breakdown}").format(breakdown=_(grouping)), table.headers, table.rows, table.numeric, table.percent))
    return [
        frequency_long(pooled, book, lang),
        frequency_long(by_transcript, book, lang),
        *grouped,
        cooccurrence_table(matrix, book, "count", lang),
        quote_table(passages, book, lang),
        codebook_table(book, pooled),
    ]


def export_workbook(data: ReportData, path: Path, *, unit: str = "turn", lang: str = "zh",
                    agreement: UnitAgreement | None = None, memos: Sequence[Any] = (), by: tuple[str, ...] = (),
                    coder_data: ReportData | None = None) -> list[Problem]:
    """Write the project workbook to `path`; returns warnings about cells Excel could not hold as is.

    `agreement` is a report of `qcode.project.reliability.run_agreement`; `memos` are the project's
    stored memos (`qcode.storage.memos.Memo`).
    """
    with cyclic_gc_paused():  # hundreds of thousands of cells, no reference cycles
        return _export(data, path, unit, lang, agreement, memos, by, coder_data)


def _export(data: ReportData, path: Path, unit: str, lang: str, agreement: UnitAgreement | None, memos: Sequence[Any],
            by: tuple[str, ...], coder_data: ReportData | None) -> list[Problem]:
    book = data.codebook
    by_transcript = code_frequencies(data, unit, by="transcript")
    pooled = without_breakdown(by_transcript)
    passages = passage_columns(data, with_guids=False)  # the quotes sheet and the coding memos: one pass over the codings
    tables = workbook_tables(data, unit, lang, by, by_transcript=by_transcript, passages=passages)
    per_coder = coder_data if coder_data is not None else data
    counts = code_counts_table(pooled, per_coder, book, lang)
    charts = {len(tables): count_charts(counts)}
    tables.append(counts)
    if agreement is not None:
        names = {code.id: book.display_name(code.id, lang) for code in book}
        tables += agreement_tables(agreement, names, for_reading=False)
    names_by_guid = {t.guid: t.name for t in data.transcripts}
    tables.append(memo_table(memos, passages, names_by_guid, book, lang))
    return write_workbook(path, [localized(table) for table in tables], charts)
