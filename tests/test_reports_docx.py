"""The shared Word table writer, read back with python-docx and checked in the XML a reader's Word sees."""

from __future__ import annotations

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from qcode.reports.docx_tables import write_docx_tables
from qcode.reports.tables import Table

FREQ = Table(
    "编码频次",
    ("code", "name", "codings", "share", "kappa"),
    (("A1", "政策执行", 3, 0.25, 0.5), ("A2", "基层\n负担", 12, 0.5, None), ("B", "Trust", 120, 1.0, 0.8125)),
    numeric=(2, 3, 4),
    percent=(3,),
)
QUOTES = Table("Quotes", ("transcript", "text"), (("访谈01", "说白了就是\x07层层加码"),))


def read(path):
    return docx.Document(str(path))


def captions(document):
    return [p.text for p in document.paragraphs if p.style.name == "Caption"]


def border(element, side):
    found = element.find(qn(f"w:{side}"))
    return None if found is None else (found.get(qn("w:val")), found.get(qn("w:sz")))


@pytest.fixture
def zh_doc(tmp_path):
    path = tmp_path / "out" / "表格.docx"
    write_docx_tables(path, [FREQ, QUOTES], lang="zh")
    return read(path)


def test_every_table_comes_back_with_its_values_formatted_for_reading(zh_doc):
    assert len(zh_doc.tables) == 2
    rows = [[cell.text for cell in row.cells] for row in zh_doc.tables[0].rows]
    assert rows == [
        ["code", "name", "codings", "share", "kappa"],
        ["A1", "政策执行", "3", "25.0%", "0.500"],
        ["A2", "基层\n负担", "12", "50.0%", ""],
        ["B", "Trust", "120", "100.0%", "0.812"],
    ]
    # A control character from a transcript is shown, not allowed to break the document.
    assert zh_doc.tables[1].rows[1].cells[1].text == "说白了就是\ufffd层层加码"


def test_captions_are_numbered_above_each_table_in_chinese(zh_doc):
    assert captions(zh_doc) == ["表 1 编码频次", "表 2 Quotes"]
    body = list(zh_doc.element.body)
    for table in zh_doc.tables:
        previous = body[body.index(table._tbl) - 1]
        assert previous.tag == qn("w:p") and previous.style == "Caption"
    # The number is a SEQ field, so Word renumbers it and lists it among the tables.
    instructions = [t.text for t in zh_doc.element.body.iter(qn("w:instrText"))]
    assert instructions == [" SEQ 表 \\* ARABIC ", " SEQ 表 \\* ARABIC "]


def test_english_captions(tmp_path):
    path = tmp_path / "tables.docx"
    write_docx_tables(path, [FREQ, QUOTES], lang="en")
    assert captions(read(path)) == ["Table 1. 编码频次", "Table 2. Quotes"]


def test_three_line_rules_heavy_top_and_bottom_thin_under_the_header_nothing_else(zh_doc):
    for table in zh_doc.tables:
        properties = table._tbl.tblPr
        borders = properties.find(qn("w:tblBorders"))
        assert border(borders, "top") == ("single", "12")  # 1.5 pt
        assert border(borders, "bottom") == ("single", "12")
        for side in ("left", "right", "insideH", "insideV"):
            assert border(borders, side) == ("nil", None)
        # Word rejects a tblPr whose children are out of schema order: borders before tblLook.
        names = [child.tag.split("}")[1] for child in properties]
        assert names.index("tblBorders") < names.index("tblLook")
        assert table._tbl.find(qn("w:tblPr")).find(qn("w:tblStyle")) is None  # no style adding rules
        header, *body = table.rows
        for cell in header.cells:
            assert border(cell._tc.tcPr.find(qn("w:tcBorders")), "bottom") == ("single", "6")  # 0.75 pt
        for row in body:
            for cell in row.cells:
                assert cell._tc.tcPr.find(qn("w:tcBorders")) is None
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page


def test_fonts_are_songti_for_chinese_and_times_new_roman_for_latin(zh_doc):
    for name in ("Normal", "Caption"):
        fonts = zh_doc.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == "宋体"
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Times New Roman"
    assert zh_doc.styles["Caption"].font.italic is False


def test_numbers_are_right_aligned_with_equal_decimals_and_text_left(zh_doc):
    table = zh_doc.tables[0]
    for row in table.rows:
        alignments = [cell.paragraphs[0].alignment for cell in row.cells]
        assert alignments[:2] == [WD_ALIGN_PARAGRAPH.LEFT] * 2
        assert alignments[2:] == [WD_ALIGN_PARAGRAPH.RIGHT] * 3
    kappas = [row.cells[4].text for row in table.rows[1:] if row.cells[4].text]
    assert {len(k.split(".")[1]) for k in kappas} == {3}


def test_columns_share_the_page_width_and_wide_tables_turn_the_page(tmp_path):
    path = tmp_path / "narrow.docx"
    write_docx_tables(path, [FREQ])
    document = read(path)
    assert document.sections[0].orientation == WD_ORIENT.PORTRAIT
    widths = [column.width for column in document.tables[0].columns]
    section = document.sections[0]
    assert sum(widths) <= section.page_width - section.left_margin - section.right_margin
    wide = Table("Co-occurrence", tuple(f"C{i}" for i in range(12)), ((1,) * 12,), tuple(range(12)))
    path = tmp_path / "wide.docx"
    write_docx_tables(path, [wide])
    section = read(path).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height


def test_an_unwritable_path_is_a_clean_error(tmp_path):
    from qcode.errors import QcodeError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(QcodeError, match="cannot write"):
        write_docx_tables(blocker / "t.docx", [FREQ])
