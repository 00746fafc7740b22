"""Reports: code frequencies, co-occurrence, coded passages, and their exports (CSV, JSON, Markdown, XLSX).

Computation reads the project once through the analysis layer (`qcode.analysis.units.load_report_data`:
the selection, then every selected coding in one query) and works on numpy columns with interval arithmetic and the unit rule of
`qcode.domain.unit_rule`; results are frozen dataclasses. `tables` turns them into rows, `markdown`
into documents, `xlsx` into workbooks. `statistics` gives the statistics screen its data. The SQL
lives in `qcode.storage.report_queries`; views for other SQLite clients in `qcode.storage.schema_reports`.
"""

# Nothing is imported here: `qcode import` and the TUI read `reports.headers` and `reports.tables`
# without paying for numpy and the analysis layer. Import from the submodules.
