"""Writing report tables into a Word document (.docx) as three-line tables (三线表), the form a thesis takes.

Every table gets a numbered caption above it (表 1 … / Table 1 …) whose number is a Word SEQ field, so
Word renumbers captions and builds a list of tables as it does for captions typed by hand. The table has
a heavy rule above and below (1.5 pt), a thin rule under the header row (0.75 pt) and no other rules.
Text is set in 宋体 for Chinese (w:eastAsia) and Times New Roman for Latin letters and digits, the pairing
Chinese universities prescribe. Numbers are right-aligned with the same number of decimals in a column,
so their decimal points line up; shares are written in per cent, as in the terminal.

Characters XML 1.0 forbids (most control characters) become U+FFFD (�), as in the XLSX export, because
python-docx would otherwise refuse the whole document for one stray byte in a transcript.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle, CharacterStyle
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from qcode.errors import InputError
from qcode.i18n import _, using_language
from qcode.reports.tables import Table, display_value
from qcode.reports.xlsx import column_widths

EAST_ASIAN_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(10.5)  # 五号, the usual size of thesis tables
HEAVY_RULE = 12  # eighths of a point: 1.5 pt
THIN_RULE = 6  # 0.75 pt
LANDSCAPE_FROM_COLUMNS = 9  # wider tables do not fit a portrait A4 page at 五号
A4 = (Cm(21), Cm(29.7))
MARGIN = Cm(2.5)


_AFTER_TBL_BORDERS = ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def write_docx_tables(path: Path, tables: Sequence[Table], *, lang: str = "zh") -> None:
    """Write `tables` into one new Word document at `path`, each as a captioned three-line table."""
    document = Document()
    _a4(document)
    _set_fonts(document.styles["Normal"], bold=False)
    _set_fonts(document.styles["Caption"], bold=True)
    if any(len(table.headers) >= LANDSCAPE_FROM_COLUMNS for table in tables):
        _landscape(document)
    for number, table in enumerate(tables, start=1):
        if number > 1:
            document.add_paragraph()
        _caption(document, number, table.title, lang)
        _three_line_table(document, table)
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        document.save(str(path))
    except OSError as exc:
        raise InputError(_("cannot write: {reason}").format(reason=exc.strerror), path=path) from exc


def caption_label(lang: str) -> str:
    """表 or Table: the word before a table's number, in `lang`."""
    with using_language("zh" if lang.startswith("zh") else "en"):
        return _("Table")


def _set_fonts(style: BaseStyle, *, bold: bool) -> None:
    """宋体 for East Asian text and Times New Roman for the rest, black, upright, 五号."""
    assert isinstance(style, CharacterStyle)  # Normal and Caption are paragraph styles, which have a font
    font = style.font
    font.name = LATIN_FONT
    font.size = BODY_SIZE
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:ascii"), LATIN_FONT)


def _a4(document: DocumentObject) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = A4
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN


def _landscape(document: DocumentObject) -> None:
    section = document.sections[0]
    if section.orientation == WD_ORIENT.LANDSCAPE:
        return
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


def _caption(document: DocumentObject, number: int, title: str, lang: str) -> Paragraph:
    """`表 1 title` centred above the table; the number is a SEQ field Word can update."""
    label = caption_label(lang)
    paragraph = document.add_paragraph(style="Caption")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run(f"{label} ")
    _seq_field(paragraph, label, number)
    separator = " " if lang.startswith("zh") else ". "
    paragraph.add_run(f"{separator}{_clean(title)}")
    return paragraph


def _seq_field(paragraph: Paragraph, label: str, number: int) -> None:
    """A complex field `SEQ label \\* ARABIC` whose shown result is `number`."""
    def field_char(kind: str) -> None:
        run = paragraph.add_run()
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)

    field_char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" SEQ {label} \\* ARABIC "
    paragraph.add_run()._r.append(instruction)
    field_char("separate")
    paragraph.add_run(str(number))
    field_char("end")


def _three_line_table(document: DocumentObject, table: Table) -> DocxTable:
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _table_rules(grid)
    page_width = document.sections[0].page_width
    assert page_width is not None  # set by qcode's page setup
    _share_width(grid, table, page_width - 2 * MARGIN)
    header = grid.rows[0]
    _repeat_as_header(header)
    for i, text in enumerate(table.headers):
        cell = header.cells[i]
        _fill(cell.paragraphs[0], str(text), right=i in table.numeric, bold=True)
        _cell_bottom_rule(cell)
    for row, values in zip(grid.rows[1:], table.rows, strict=True):
        cells = row.cells
        for i, value in enumerate(values):
            shown = display_value(value, percent=i in table.percent)
            _fill(cells[i].paragraphs[0], _clean(str(shown)), right=i in table.numeric)
    return grid


def _share_width(grid: DocxTable, table: Table, text_width: int) -> None:
    """Column widths in proportion to their content (in cells, so Chinese counts double), filling the line."""
    widths = column_widths(table)
    total = sum(widths) or 1.0
    for column, width in zip(grid.columns, widths, strict=True):
        share = int(text_width * width / total)
        column.width = share
        for cell in column.cells:
            cell.width = share


def _fill(paragraph: Paragraph, text: str, *, right: bool, bold: bool = False) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_after = Pt(0)
    if text:
        run = paragraph.add_run(text)  # "\n" becomes a line break
        if bold:
            run.bold = True


def _border(name: str, size: int | None) -> Any:
    element = OxmlElement(f"w:{name}")
    if size is None:
        element.set(qn("w:val"), "nil")
    else:
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), str(size))
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
    return element


def _table_rules(grid: DocxTable) -> None:
    """Heavy top and bottom rules on the table; every other table border explicitly none."""
    properties = grid._tbl.tblPr
    for old in properties.findall(qn("w:tblBorders")):
        properties.remove(old)
    borders = OxmlElement("w:tblBorders")
    for name, size in (("top", HEAVY_RULE), ("left", None), ("bottom", HEAVY_RULE), ("right", None),
                       ("insideH", None), ("insideV", None)):
        borders.append(_border(name, size))
    # Schema order matters to Word: tblBorders goes before shading, layout, margins and look.
    later = [properties.find(qn(f"w:{name}")) for name in _AFTER_TBL_BORDERS]
    later = [element for element in later if element is not None]
    if later:
        later[0].addprevious(borders)
    else:
        properties.append(borders)


def _cell_bottom_rule(cell: Any) -> None:
    """The thin rule under a header cell (cell borders win over the table's insideH)."""
    properties = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    borders.append(_border("bottom", THIN_RULE))
    properties.append(borders)


def _repeat_as_header(row: Any) -> None:
    """Word repeats the header row on every page a long table runs over."""
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _clean(text: str) -> str:
    return _ILLEGAL.sub("\ufffd", text)
