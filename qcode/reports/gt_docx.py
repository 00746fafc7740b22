"""Word output of the grounded-theory tables as three-line tables (三线表).

The shared writer `qcode.reports.docx_tables` (branch t12) is used when it is there; until it is merged,
this small writer draws the same rules (heavy top and bottom, thin under the header, nothing else).
Remove the fallback once `docx_tables` is on main.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from qcode.reports.tables import Table, readable

try:  # the shared writer, once merged
    from qcode.reports.docx_tables import write_docx_tables  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - exercised until t12 is merged
    write_docx_tables = None

_HEAVY, _THIN = 12, 6  # eighths of a point: 1.5 pt and 0.75 pt


def _rule(cell, edge: str, size: int) -> None:
    borders = cell._tc.get_or_add_tcPr().find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        cell._tc.get_or_add_tcPr().append(borders)
    element = OxmlElement(f"w:{edge}")
    element.set(qn("w:val"), "single")
    element.set(qn("w:sz"), str(size))
    element.set(qn("w:color"), "000000")
    borders.append(element)


def write_tables_docx(path: Path, tables: Sequence[Table], *, lang: str = "zh") -> None:
    if write_docx_tables is not None:
        write_docx_tables(path, tables, lang=lang)
        return
    document = Document()
    for number, table in enumerate(tables, start=1):
        shown = readable(table)
        document.add_paragraph(f"{'表' if lang == 'zh' else 'Table'} {number} {table.title}")
        grid = document.add_table(rows=1 + len(shown.rows), cols=len(shown.headers))
        for row_index, values in enumerate([shown.headers, *shown.rows]):
            for column, value in enumerate(values):
                cell = grid.cell(row_index, column)
                cell.text = "" if value is None else str(value)
                if row_index == 0:
                    _rule(cell, "top", _HEAVY)
                    _rule(cell, "bottom", _THIN)
                if row_index == len(shown.rows):
                    _rule(cell, "bottom", _HEAVY)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
