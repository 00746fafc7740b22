"""Reading a spreadsheet-like table (CSV or XLSX) into a header and rows of text, with row numbers.

Attribute imports and questionnaire imports read their files here. CSV files are decoded like transcripts
(UTF-8 with or without BOM, GB18030 as Excel and 问卷星 write it on Chinese Windows, else detected), so a
file saved by Excel opens as it is. XLSX cells become text: numbers without a spurious `.0`, dates as ISO
dates. Row numbers are those a spreadsheet shows (the header is row 1).
"""

from __future__ import annotations

from typing import IO

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from qcode.errors import InputError
from qcode.i18n import _
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
        raise InputError(_("a table must be .csv or .xlsx, not '{suffix}'").format(suffix=path.suffix), path=path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(_("cannot read the file: {reason}").format(reason=exc.strerror or exc), path=path) from None
    rows = _csv_rows(raw, path) if suffix == ".csv" else _xlsx_rows(raw, path)
    numbered = [(n, row) for n, row in enumerate(rows, start=1) if any(cell.strip() for cell in row)]
    if not numbered:
        raise InputError(_("the table is empty: it needs a header row and at least one row"), path=path)
    (_number, header), body = numbered[0], numbered[1:]
    names = tuple(h.strip() for h in header)
    width = len(names)
    while width and not names[width - 1]:
        width -= 1
    names = names[:width]
    if not width:
        raise InputError(_("the header row is empty"), path=path, line=numbered[0][0])
    seen: set[str] = set()
    for column, name in enumerate(names, start=1):
        if name and name in seen:
            raise InputError(_("column '{column}' appears twice in the header").format(column=name), path=path, line=numbered[0][0],
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
        raise InputError(_("not a readable CSV file: {reason}").format(reason=exc), path=path) from None


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_DATE_FORMATS = set(range(14, 23)) | {45, 46, 47}  # Excel's built-in date and time formats
_EPOCH = dt.datetime(1899, 12, 30)


def _xlsx_rows(raw: bytes, path: Path) -> list[list[str]]:
    """The first sheet's cells as text, read straight from the XML (openpyxl takes 5x longer on big sheets)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            sheet = _first_sheet(archive, names)
            shared = _shared_strings(archive) if "xl/sharedStrings.xml" in names else []
            dates = _date_styles(archive) if "xl/styles.xml" in names else set()
            with archive.open(sheet) as stream:
                return _sheet_rows(stream, shared, dates)
    except (zipfile.BadZipFile, KeyError, ValueError, IndexError, etree.XMLSyntaxError, OSError) as exc:
        raise InputError(_("not a readable .xlsx workbook: {reason}").format(reason=exc), path=path) from None


def _parse(stream: IO[bytes]) -> etree._Element:
    return etree.parse(stream, etree.XMLParser(resolve_entities=False, no_network=True)).getroot()


def _first_sheet(archive: zipfile.ZipFile, names: set[str]) -> str:
    workbook = _parse(archive.open("xl/workbook.xml"))
    first = workbook.find(f"{_NS}sheets/{_NS}sheet")
    if first is None:
        raise ValueError(_("the workbook has no sheet"))
    rel_id = first.get(f"{_REL}id")
    rels = _parse(archive.open("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "").lstrip("/")
            return target if target.startswith("xl/") else f"xl/{target}"
    raise ValueError(_("the first sheet is missing"))


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    root = _parse(archive.open("xl/sharedStrings.xml"))
    # Rich text keeps its runs in <r><t>; phonetic guides (<rPh>) are not part of the text.
    return ["".join(t.text or "" for t in si.iter(f"{_NS}t") if t.getparent().tag != f"{_NS}rPh")
            for si in root.iterfind(f"{_NS}si")]


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    root = _parse(archive.open("xl/styles.xml"))
    custom = {int(f.get("numFmtId", "0")) for f in root.iterfind(f"{_NS}numFmts/{_NS}numFmt")
              if any(ch in f.get("formatCode", "").lower().split(";")[0].replace("[red]", "") for ch in "ymd")}
    formats = _DATE_FORMATS | custom
    xfs = root.find(f"{_NS}cellXfs")
    return {i for i, xf in enumerate(xfs if xfs is not None else []) if int(xf.get("numFmtId", "0")) in formats}


def _column_of(ref: str | None, fallback: int) -> int:
    return _letters_to_column(ref.rstrip("0123456789")) if ref else fallback


@lru_cache(maxsize=1024)
def _letters_to_column(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ord(ch.upper()) - 64)
    return number - 1


def _sheet_rows(stream: IO[bytes], shared: list[str], dates: set[int]) -> list[list[str]]:
    rows: list[list[str]] = []
    for _event, row in etree.iterparse(stream, tag=f"{_NS}row", resolve_entities=False, no_network=True):
        cells: dict[int, str] = {}
        for position, cell in enumerate(row.iterfind(f"{_NS}c")):
            kind = cell.get("t")
            value = cell.findtext(f"{_NS}v")
            if kind == "s":
                text = shared[int(value)] if value is not None else ""
            elif kind == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(f"{_NS}t"))
            elif kind == "b":
                text = "true" if value == "1" else "false"
            elif kind in ("str", "e"):
                text = value or ""
            elif value is None:
                text = ""
            elif int(cell.get("s", "0")) in dates:
                text = cell_text(_EPOCH + dt.timedelta(days=float(value)))
            else:
                number = float(value)
                text = cell_text(number) if number.is_integer() else value
            cells[_column_of(cell.get("r"), position)] = text.strip()
        number = int(row.get("r", len(rows) + 1))
        while len(rows) < number - 1:
            rows.append([])  # rows Excel left out are empty rows
        width = max(cells) + 1 if cells else 0
        rows.append([cells.get(i, "") for i in range(width)])
        row.clear()
    return rows
