"""Reports: code frequencies, co-occurrence, coded passages, and their exports (CSV, JSON, Markdown, XLSX).

Computation reads the project once through the analysis layer (`qcode.analysis.units.load_report_data`:
the selection, then every selected coding in one query) and works on numpy columns with interval arithmetic and the unit rule of
`qcode.domain.unit_rule`; results are frozen dataclasses. `tables` turns them into rows, `markdown`
into documents, `xlsx` into workbooks. `statistics` gives the statistics screen its data. The SQL
lives in `qcode.storage.report_queries`; views for other SQLite clients in `qcode.storage.schema_reports`.
"""

from qcode.reports.cooccurrence import (
    COOCCURRENCE_MEASURES,
    COOCCURRENCE_UNITS,
    CooccurrenceMatrix,
    cooccurrence,
)
from qcode.analysis.selection import Selection, split_names
from qcode.analysis.units import UNIT_KINDS, ReportData, load_report_data
from qcode.reports.frequencies import (
    BREAKDOWNS,
    MEASURES,
    Counts,
    FrequencyRow,
    FrequencyTable,
    code_frequencies,
)
from qcode.reports.quotes import Quote, QuoteCollection, all_passages, coded_passages
from qcode.reports.statistics import (
    CodeCoderCounts,
    CodeLabel,
    CodeTranscriptMatrix,
    code_coder_counts,
    code_transcript_matrix,
)

__all__ = [
    "BREAKDOWNS",
    "COOCCURRENCE_MEASURES",
    "COOCCURRENCE_UNITS",
    "MEASURES",
    "UNIT_KINDS",
    "CodeCoderCounts",
    "CodeLabel",
    "CodeTranscriptMatrix",
    "CooccurrenceMatrix",
    "Counts",
    "FrequencyRow",
    "FrequencyTable",
    "Quote",
    "QuoteCollection",
    "ReportData",
    "Selection",
    "all_passages",
    "code_coder_counts",
    "code_frequencies",
    "code_transcript_matrix",
    "coded_passages",
    "cooccurrence",
    "load_report_data",
    "split_names",
]
