"""Reports as tables: headers and rows for terminal, CSV, Markdown and XLSX, and records for JSON.

Two layouts of the frequency table with a breakdown: the long layout (one row per code and breakdown
value, every measure in its own column) is for machines (CSV, JSON, XLSX); the cross table (codes
down, breakdown values across, one measure in the cells plus the pooled value) is for reading
(terminal, Markdown). Values stay numbers here; only `display_*` helpers format them for reading.
"""

from __future__ import annotations

from typing import Any

from qcode.domain.codebook import Codebook, Text
from qcode.i18n import _
from qcode.reports.cooccurrence import CooccurrenceMatrix
from qcode.analysis.selection import NO_SPEAKER
from qcode.reports.frequencies import MEASURES, Counts, FrequencyRow, FrequencyTable
from qcode.reports.quotes import PassageColumns, Quote, format_time
from qcode.reports.table import Table
from qcode.reports.unit_counts import counted_units

SUBTREE_MARK = "Σ"


def group_label(value: str | None) -> str:
    return NO_SPEAKER if value is None else value


def display_share(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}%"


def display_value(value: Any, *, percent: bool = False, digits: int = 3) -> Any:
    """A value as a reader sees it: shares in per cent, other floats rounded, None empty."""
    if value is None:
        return ""
    if percent:
        return display_share(value)
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return value


def readable(table: Table) -> Table:
    """The same table with values formatted for a terminal or a Markdown document."""
    rows = tuple(
        tuple(display_value(v, percent=i in table.percent) for i, v in enumerate(row)) for row in table.rows
    )
    return Table(table.title, table.headers, rows, table.numeric, ())


# -- frequencies ----------------------------------------------------------------------------------


def _counts_record(counts: Counts) -> dict[str, Any]:
    return {
        "codings": counts.codings,
        "units": counts.units,
        "transcripts": counts.transcripts,
        "share": counts.share,
        "characters": counts.characters,
        "units_total": counts.units_total,
    }


def _row_identity(row: FrequencyRow, book: Codebook, lang: str) -> dict[str, Any]:
    return {
        "code": row.code,
        "name": book.display_name(row.code, lang),
        "parent": book[row.code].parent,
        "depth": row.depth,
        "codable": row.codable,
        "scope": row.scope,
    }


def frequency_records(table: FrequencyTable, book: Codebook, lang: str = "zh") -> list[dict[str, Any]]:
    """JSON rows: one per row (and per breakdown value with a breakdown), every measure as a key."""
    records = []
    for row in table.rows:
        identity = _row_identity(row, book, lang)
        if table.breakdown is None:
            records.append({**identity, **_counts_record(row.total), "unit": table.unit})
            continue
        for group, counts in zip(table.groups, row.by, strict=True):
            records.append({**identity, table.breakdown: group, **_counts_record(counts), "unit": table.unit})
    return records


def frequency_long(table: FrequencyTable, book: Codebook, lang: str = "zh") -> Table:
    """The long layout: the JSON records as columns (for CSV and XLSX)."""
    records = frequency_records(table, book, lang)
    headers = ["code", "name", "parent", "depth", "codable", "scope"]
    if table.breakdown is not None:
        headers.append(table.breakdown)
    headers += ["codings", "units", "transcripts", "share", "characters", "units_total", "unit"]
    rows = []
    for record in records:
        values = [record[h] for h in headers]
        if table.breakdown == "speaker":
            values[headers.index("speaker")] = group_label(record["speaker"])
        rows.append(tuple(values))
    numeric = tuple(i for i, h in enumerate(headers) if h in ("depth", *MEASURES, "units_total"))
    title = _("Frequencies by {breakdown}").format(breakdown=_(table.breakdown)) if table.breakdown else _("Frequencies")
    return Table(title, tuple(headers), tuple(rows), numeric, (headers.index("share"),))


INDENT_TEXT = "  "
INDENT_MARKDOWN = "&nbsp;&nbsp;"  # Markdown collapses leading spaces


def _code_label(row: FrequencyRow, indent: str) -> str:
    return f"{indent * row.depth}{row.code}"


def _scope_label(row: FrequencyRow) -> str:
    return f"{SUBTREE_MARK} " + _("subtree") if row.scope == "subtree" else ""


def _scope_title(table: FrequencyTable) -> str:
    """What a frequency table covers, for its title."""
    coders = ", ".join(table.coders) or _("none")
    return _("{units} in {transcripts}, coders: {coders}").format(
        units=counted_units(table.units_total, table.unit),
        transcripts=counted_units(len(table.transcripts), "transcript"), coders=coders)


def frequency_summary(
    table: FrequencyTable, book: Codebook, lang: str = "zh", *, indent: str = INDENT_TEXT
) -> Table:
    """The pooled frequency table for reading: one row per code (and per subtree total), indented by depth."""
    headers = ("code", "name", "scope", "codings", f"{table.unit}s", "share", "transcripts", "characters")
    rows = tuple(
        (
            _code_label(row, indent),
            book.display_name(row.code, lang),
            _scope_label(row),
            row.total.codings,
            row.total.units,
            row.total.share,
            row.total.transcripts,
            row.total.characters,
        )
        for row in table.rows
    )
    return Table(_("Frequencies: {scope}").format(scope=_scope_title(table)), headers, rows, (3, 4, 5, 6, 7), (5,))


def frequency_crosstab(
    table: FrequencyTable, book: Codebook, measure: str, lang: str = "zh", *, indent: str = INDENT_TEXT
) -> Table:
    """Codes down, breakdown values across, `measure` in the cells, and the pooled value last."""
    if table.breakdown is None:
        raise ValueError("a cross table needs a breakdown")
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    groups = tuple(group_label(g) for g in table.groups)
    headers = ("code", "name", "scope", *groups, "all")
    rows = tuple(
        (
            _code_label(row, indent),
            book.display_name(row.code, lang),
            _scope_label(row),
            *(counts.measure(measure) for counts in row.by),
            row.total.measure(measure),
        )
        for row in table.rows
    )
    numbers = tuple(range(3, len(headers)))
    unit = f"{table.unit}s" if measure == "units" else measure
    title = _("{measure} by {breakdown}: {scope}").format(measure=_(unit), breakdown=_(table.breakdown),
                                                          scope=_scope_title(table))
    return Table(title, headers, rows, numbers, numbers if measure == "share" else ())


# -- co-occurrence --------------------------------------------------------------------------------


def cooccurrence_table(matrix: CooccurrenceMatrix, book: Codebook, measure: str, lang: str = "zh") -> Table:
    """The matrix with a code and a name column, then one column per code id."""
    values = matrix.values(measure)
    headers = ("code", "name", *matrix.codes)
    rows = tuple(
        (code, book.display_name(code, lang), *values[i]) for i, code in enumerate(matrix.codes)
    )
    title = (_("Co-occurrence ({measure}, {units}, with subtrees)") if matrix.rollup
             else _("Co-occurrence ({measure}, {units})")).format(measure=_(measure), units=_(f"{matrix.unit}s"))
    return Table(title, headers, rows, tuple(range(2, len(headers))))


def cooccurrence_record(matrix: CooccurrenceMatrix, book: Codebook, measure: str, lang: str = "zh") -> dict[str, Any]:
    """The JSON form: the codes, the chosen measure's matrix, and the counts it comes from."""
    return {
        "unit": matrix.unit,
        "measure": measure,
        "rollup": matrix.rollup,
        "coders": list(matrix.coders),
        "units_total": matrix.units_total,
        "codes": [{"code": code, "name": book.display_name(code, lang)} for code in matrix.codes],
        "matrix": matrix.values(measure),
        "counts": [list(row) for row in matrix.counts],
    }


# -- quotes ---------------------------------------------------------------------------------------

# `time` (the turn's time in the recording, `12:05`) comes last so that older readers of the columns keep theirs
QUOTE_HEADERS = ("transcript", "speaker", "start", "end", "code", "name", "coder", "text", "memo", "time")


def quote_records(quotes: tuple[Quote, ...], book: Codebook, lang: str = "zh") -> list[dict[str, Any]]:
    return [
        {
            "transcript": q.transcript,
            "speaker": q.speaker,
            "start": q.start,
            "end": q.end,
            "code": q.code,
            "name": book.display_name(q.code, lang),
            "coder": q.coder,
            "text": q.text,
            "memo": q.memo,
            "guid": q.guid,
            "time": format_time(q.time) if q.time is not None else None,
        }
        for q in quotes
    ]


def quote_table(quotes: tuple[Quote, ...] | PassageColumns, book: Codebook, lang: str = "zh") -> Table:
    """One row per passage; from `PassageColumns` (the workbook's 60,000 rows) without a loop per passage."""
    if not isinstance(quotes, PassageColumns):
        quotes = PassageColumns.of(quotes)
    names = {code: book.display_name(code, lang) for code in set(quotes.code)}
    memos = [memo or None for memo in quotes.memo]
    times = [format_time(t) if t is not None else None for t in quotes.time]
    rows = tuple(zip(quotes.transcript, quotes.speaker, quotes.start, quotes.end, quotes.code,
                     map(names.__getitem__, quotes.code), quotes.coder, quotes.text, memos, times, strict=True))
    return Table(_("Quotes"), QUOTE_HEADERS, rows, (2, 3))


# -- codebook -------------------------------------------------------------------------------------


def in_language(text: Text, lang: str, languages: tuple[str, ...]) -> str:
    """The text in exactly `lang` ("" if not given); a plain text belongs to the first language."""
    if text.plain:
        return text.plain if lang == languages[0] else ""
    return dict(text.translations).get(lang, "")


def codebook_table(book: Codebook, table: FrequencyTable, chosen: tuple[str, ...] | None = None) -> Table:
    """The codebook, one row per code, each language (or each `chosen` one) in its own column, with counts.

    `codings`, units and `transcripts` are the code's own; `codings with subtree` adds its descendants.
    """
    own = {row.code: row.total for row in table.rows if row.scope == "code"}
    subtree = {row.code: row.total for row in table.rows if row.scope == "subtree"}
    every = book.languages or ("zh",)
    languages = chosen or every
    headers = ["code", "parent", "depth", "codable"]
    fields = ("name", "definition", "include", "exclude")
    for field in fields:
        headers += [f"{field} ({lang})" for lang in languages]
    headers += [f"examples ({lang})" for lang in languages]
    headers += ["keywords", "codings", f"{table.unit}s", "transcripts", "codings with subtree"]
    rows = []
    for code in book:
        if code.id not in own and code.id not in subtree:
            continue
        values: list[Any] = [code.id, code.parent, book.depth(code.id), code.codable]
        for field in fields:
            values += [in_language(getattr(code, field), lang, every) or None for lang in languages]
        for lang in languages:
            examples = [in_language(example, lang, every) for example in code.examples]
            values.append("\n".join(e for e in examples if e) or None)
        values.append(", ".join(code.keywords) or None)
        counts = own.get(code.id)
        values += [None, None, None] if counts is None else [counts.codings, counts.units, counts.transcripts]
        total = subtree.get(code.id, counts)
        values.append(total.codings if total is not None else None)
        rows.append(tuple(values))
    counted = ("depth", "codings", f"{table.unit}s", "transcripts", "codings with subtree")
    numeric = tuple(i for i, h in enumerate(headers) if h in counted)
    return Table(_("Codebook"), tuple(headers), tuple(rows), numeric)
