"""Writing report tables as one Excel workbook (.xlsx) with XlsxWriter.

Each table becomes a sheet with a bold, frozen header row and column widths measured in terminal cells
(a Chinese character is two cells wide, as in Excel's default fonts), capped so that long passages do
not make a column unusably wide. Shares are numbers with a per-cent format; strings are never turned
into formulas, numbers or links, so a passage that starts with "=" stays text.

Why XlsxWriter and not openpyxl: openpyxl's write-only mode took 4.5 s for the quotes sheet alone of a
large project (60,000 codings x 8 cells) against a 5 s budget for the whole export; XlsxWriter writes
the same sheet in about 2 s. Tests read every workbook back with openpyxl, an independent reader.

What Excel cannot hold is changed visibly, never silently: characters XML 1.0 forbids (most control
characters) become U+FFFD (�), and a cell longer than Excel's 32,767 characters is cut with a note
saying how long the text was; each such change is returned as a warning.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import chain
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.cells import cell_len

from qcode import __version__
from qcode.errors import InputError, Problem
from qcode.i18n import _
from qcode.reports.tables import Table

EXCEL_CELL_LIMIT = 32_767
MAX_COLUMN_WIDTH = 60
MIN_COLUMN_WIDTH = 6
WIDTH_SAMPLE_ROWS = 2_000

# XML 1.0 forbids these; tab, newline and carriage return are allowed (CR is written as &#13;).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEEDS_CARE = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # also CR
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

@dataclass(frozen=True)
class BarChart:
    """A native Excel bar chart of a table's columns, placed to the right of the table on its sheet.

    `categories` is the column of labels (one bar or cluster per row); each column in `series` is one
    series, named by its header. Bars run horizontally so that long Chinese code names stay readable.
    """

    title: str
    categories: int
    series: tuple[int, ...]
    value_axis: str = ""


CHART_ROW_HEIGHT = 20  # pixels per bar cluster, so every category label has room


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\."""
    base = _SHEET_NAME_FORBIDDEN.sub(" ", title).strip()[:31].strip() or "Sheet"
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.lower())
    return name


def cell_width(value: Any) -> int:
    """Display width of a value in cells (its widest line), as a column needs it."""
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:.4f}")
    text = str(value)
    return max(cell_len(line) for line in text.split("\n")) if "\n" in text else cell_len(text)


def column_widths(table: Table) -> list[float]:
    """Widths from the header and up to WIDTH_SAMPLE_ROWS rows spread over the table, capped."""
    step = max(1, len(table.rows) // WIDTH_SAMPLE_ROWS)
    sample = table.rows[::step]
    return [float(min(MAX_COLUMN_WIDTH, max(MIN_COLUMN_WIDTH, _widest(header, [row[i] for row in sample]) + 2)))
            for i, header in enumerate(table.headers)]


def _widest(header: Any, values: list[Any]) -> int:
    """The widest of a column's cells in cells, measuring only what might change the capped result."""
    widest = cell_width(header)
    for value in values:
        if widest + 2 >= MAX_COLUMN_WIDTH:
            break  # the cap is reached: no cell can widen the column further
        kind = value.__class__
        if kind is int:
            widest = max(widest, len(str(value)))
        elif kind is not str or 2 * len(value) > widest:  # n characters are at most 2n cells
            widest = max(widest, cell_width(value))
    return widest


def column_letter(index: int) -> str:
    """Excel's name of the 0-based column `index`: A, B, ..., Z, AA, ..."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class _CellText:
    """Makes strings storable in a worksheet, recording every forced change as a warning."""

    def __init__(self, title: str, path: Path, warnings: list[Problem]) -> None:
        self.title = title
        self.path = path
        self.warnings = warnings

    def __call__(self, value: str, row: int, column: int) -> str:
        if "\r" in value:  # a line break inside an Excel cell is LF; a stored CR would show as _x000D_
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        if _ILLEGAL.search(value):
            value = _ILLEGAL.sub("\ufffd", value)
            self._warn(row, column, _("characters that Excel cannot store (control characters) were replaced by �"))
        if len(value) > EXCEL_CELL_LIMIT:
            note = _(" … [cut by qcode: the full text has {count:,} characters]").format(count=len(value))
            value = value[: EXCEL_CELL_LIMIT - len(note)] + note
            self._warn(row, column, _("text longer than Excel's 32,767 characters per cell was cut"))
        return value

    def _warn(self, row: int, column: int, message: str) -> None:
        where = _("sheet '{sheet}', cell {cell}").format(sheet=self.title, cell=f"{column_letter(column)}{row + 1}")
        self.warnings.append(Problem(f"{where}: {message}", str(self.path), severity="warning"))


_CELL_TYPES = frozenset({str, int, float, bool, type(None)})


def _checked_rows(table: Table, clean: _CellText) -> Sequence[Sequence[Any]]:
    """The rows as XlsxWriter may store them: cleaned where needed, else the table's own rows.

    The checks run over all cells at once (the set of their types, one search over the joined
    strings), so a table with nothing to change costs almost no work per cell; only a table with
    something to change (or with subclasses of str, int, float) is walked cell by cell.
    """
    strange = set(map(type, chain.from_iterable(table.rows))) - _CELL_TYPES
    for kind in strange:
        if not issubclass(kind, str | int | float):
            raise TypeError(f"cannot write {kind.__name__} to a worksheet")
    strings = [value for value in chain.from_iterable(table.rows) if value.__class__ is str]
    if not strange and (not strings or (not _NEEDS_CARE.search("\n".join(strings))
                                        and max(map(len, strings)) <= EXCEL_CELL_LIMIT)):
        return table.rows
    return [_cleaned_row(values, r, clean) for r, values in enumerate(table.rows, start=1)]


def _cleaned_row(values: Sequence[Any], r: int, clean: _CellText) -> list[Any]:
    needs_care = _NEEDS_CARE.search
    return [clean(value, r, column) if isinstance(value, str) and (needs_care(value) or len(value) > EXCEL_CELL_LIMIT)
            else value for column, value in enumerate(values)]


def _write_sheet(book, title: str, table: Table, path: Path, warnings: list[Problem], formats: dict) -> None:
    sheet = book.add_worksheet(title)
    clean = _CellText(title, path, warnings)
    percent = frozenset(table.percent)
    for column, width in enumerate(column_widths(table)):
        # A column's format applies to its cells that have none: shares show as per cent.
        sheet.set_column(column, column, width, formats["percent"] if column in percent else None)
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, [clean(str(h), 0, c) for c, h in enumerate(table.headers)], formats["header"])
    write_row = sheet.write_row
    # write_row picks the cell type from the Python type (strings are never read as formulas here).
    for r, row in enumerate(_checked_rows(table, clean), start=1):
        write_row(r, 0, row)


def _insert_charts(book, sheet_title: str, table: Table, charts: Sequence[BarChart]) -> None:
    sheet = book.get_worksheet_by_name(sheet_title)
    last = len(table.rows)  # data in rows 1..last (0 is the header)
    anchor_row = 1
    for chart_spec in charts:
        chart = book.add_chart({"type": "bar"})
        for column in chart_spec.series:
            chart.add_series({
                "name": [sheet_title, 0, column],
                "categories": [sheet_title, 1, chart_spec.categories, last, chart_spec.categories],
                "values": [sheet_title, 1, column, last, column],
                "gap": 60,
            })
        chart.set_title({"name": chart_spec.title})
        chart.set_y_axis({"reverse": True})  # the first code at the top, in codebook order
        chart.set_x_axis({"name": chart_spec.value_axis, "major_gridlines": {"visible": True}})
        chart.set_legend({"position": "bottom"} if len(chart_spec.series) > 1 else {"none": True})
        height = max(300, 80 + CHART_ROW_HEIGHT * last * max(1, len(chart_spec.series) // 2))
        chart.set_size({"width": 640, "height": height})
        sheet.insert_chart(anchor_row, len(table.headers) + 1, chart)
        anchor_row += height // 20 + 2  # default row height is 20 pixels


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a workbook is built and written.

    XlsxWriter keeps an object per cell and makes no reference cycles, nor do the report tables; with
    hundreds of thousands of cells Python's collector walks them all again and again (about a sixth of
    the writing time). The previous state is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def write_workbook(path: Path, tables: Sequence[Table],
                   charts: Mapping[int, Sequence[BarChart]] | None = None) -> list[Problem]:
    """Write `tables` as the sheets of one workbook at `path`; returns warnings about changed cells.

    `charts` maps the index of a table to the bar charts drawn from it, beside it on its sheet.

    The file is written next to `path` and moved into place when complete, so a failure never leaves
    a half-written workbook under the user's name.
    """
    import xlsxwriter  # lazy: only writing a workbook needs XlsxWriter (docx tables use this module for widths)

    if not tables:
        raise ValueError("a workbook needs at least one sheet")
    taken: set[str] = set()
    titles = [sheet_name(table.title, taken) for table in tables]
    warnings: list[Problem] = []
    partial = path.with_name(path.name + ".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        book = xlsxwriter.Workbook(str(partial), {
            "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
            "nan_inf_to_errors": False,
        })
        book.set_properties({"author": f"qcode {__version__}", "comments": "Written by qcode"})
        formats = {"header": book.add_format({"bold": True}), "percent": book.add_format({"num_format": "0.0%"})}
        with cyclic_gc_paused():
            for title, table in zip(titles, tables, strict=True):
                _write_sheet(book, title, table, path, warnings, formats)
            for index, specs in (charts or {}).items():
                _insert_charts(book, titles[index], tables[index], specs)
            book.close()
        partial.replace(path)
    except OSError as exc:
        if partial.exists():
            partial.unlink()
        raise InputError(_("cannot write the workbook: {reason}").format(reason=exc.strerror), path=path) from exc
    return warnings
