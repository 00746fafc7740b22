"""Reading a spreadsheet-like table (CSV or XLSX) into a header and rows of text, with row numbers.

Attribute imports and questionnaire imports read their files here. CSV files are decoded like transcripts
(UTF-8 with or without BOM, GB18030 as Excel and 问卷星 write it on Chinese Windows, else detected), so a
file saved by Excel opens as it is. XLSX cells become text: numbers without a spurious `.0`, dates as ISO
dates. Row numbers are those a spreadsheet shows (the header is row 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from qcode.errors import InputError
from qcode.text.decode import decode_bytes

TABLE_SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class Table:
    """A table's header (column names, stripped) and rows (as many cells as the header), with their row numbers."""

    path: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_numbers: tuple[int, ...]


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: '' for empty, integers without '.0', dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_table(path: Path) -> Table:
    """Read `path` (.csv or .xlsx, first sheet); InputError names the file when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError(f"a table must be .csv or .xlsx, not '{path.suffix}'", path=path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", path=path) from None
    rows = _csv_rows(raw, path) if suffix == ".csv" else _xlsx_rows(raw, path)
    numbered = [(n, row) for n, row in enumerate(rows, start=1) if any(cell.strip() for cell in row)]
    if not numbered:
        raise InputError("the table is empty: it needs a header row and at least one row", path=path)
    (_, header), body = numbered[0], numbered[1:]
    names = tuple(h.strip() for h in header)
    width = len(names)
    while width and not names[width - 1]:
        width -= 1
    names = names[:width]
    if not width:
        raise InputError("the header row is empty", path=path, line=numbered[0][0])
    seen: set[str] = set()
    for column, name in enumerate(names, start=1):
        if name and name in seen:
            raise InputError(f"column '{name}' appears twice in the header", path=path, line=numbered[0][0],
                             column=column)
        seen.add(name)
    cells = tuple(tuple((list(row) + [""] * width)[:width]) for _, row in body)
    return Table(str(path), names, cells, tuple(n for n, _ in body))


def _csv_rows(raw: bytes, path: Path) -> list[list[str]]:
    text = decode_bytes(raw, path=path).text
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise InputError(f"not a readable CSV file: {exc}", path=path) from None


def _xlsx_rows(raw: bytes, path: Path) -> list[list[str]]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(f"not a readable .xlsx workbook: {exc}", path=path) from None
    try:
        sheet = book.worksheets[0]
        return [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
