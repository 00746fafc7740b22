"""The project workbook of `qcode export xlsx`: every report of one analysis in one Excel file.

Sheets, in order: Frequencies (pooled, long layout), Frequencies by transcript (long layout, for
filtering and pivoting), Co-occurrence (counts over the chosen unit), Quotes (every coding with its
text) and Codebook (both languages, with counts). All sheets use the same selection and unit. Each
grouping asked for with `--by` (person, attr:NAME, ...) adds a sheet "Frequencies by ..." and one
"Crosstab by ..." (cases with each code per group, with its test) after the first two.
"""

from __future__ import annotations

from pathlib import Path

from qcode.errors import Problem
from qcode.analysis.units import ReportData
from qcode.reports.cooccurrence import cooccurrence
from qcode.reports.crosstab import crosstab
from qcode.reports.crosstab_tables import crosstab_long
from qcode.reports.frequencies import code_frequencies
from qcode.reports.quotes import all_passages
from qcode.reports.tables import (
    Table,
    codebook_table,
    cooccurrence_table,
    frequency_long,
    quote_table,
)
from qcode.reports.xlsx import write_workbook


def workbook_tables(data: ReportData, unit: str = "turn", lang: str = "zh", by: tuple[str, ...] = ()) -> list[Table]:
    """The workbook's sheets as tables (see the module docstring)."""
    book = data.codebook
    pooled = code_frequencies(data, unit)
    by_transcript = code_frequencies(data, unit, by="transcript")
    matrix = cooccurrence(data, unit)
    grouped: list[Table] = []
    for grouping in by:
        if grouping == "transcript":
            continue  # already the second sheet
        long = frequency_long(code_frequencies(data, unit, by=grouping), book, lang)
        grouped.append(Table(f"Frequencies by {grouping}", long.headers, long.rows, long.numeric, long.percent))
        if grouping != "coder":
            table = crosstab_long(crosstab(data, grouping), book, lang)
            grouped.append(Table(f"Crosstab by {grouping}", table.headers, table.rows, table.numeric, table.percent))
    return [
        frequency_long(pooled, book, lang),
        frequency_long(by_transcript, book, lang),
        *grouped,
        cooccurrence_table(matrix, book, "count", lang),
        quote_table(all_passages(data), book, lang),
        codebook_table(book, pooled),
    ]


def export_workbook(data: ReportData, path: Path, *, unit: str = "turn", lang: str = "zh",
                    by: tuple[str, ...] = ()) -> list[Problem]:
    """Write the project workbook to `path`; returns warnings about cells Excel could not hold as is."""
    return write_workbook(path, workbook_tables(data, unit, lang, by))
