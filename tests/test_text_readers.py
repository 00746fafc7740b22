"""Reading .txt/.md/.docx transcripts and finding them in folders."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from qcode.errors import InputError
from qcode.text.decode import Decoded
from qcode.text.readers import SUPPORTED_SUFFIXES, iter_transcript_files, read_transcript
from qcode.text.turns import parse_turns


def save_docx(path: Path, build) -> Path:
    document = docx.Document()
    build(document)
    document.save(str(path))
    return path


def problem_of(path: Path, **kwargs):
    with pytest.raises(InputError) as caught:
        read_transcript(path, **kwargs)
    return caught.value.problems[0]


# --- plain text -----------------------------------------------------------------------------------


def test_txt_and_md_are_decoded(tmp_path):
    (tmp_path / "a.txt").write_bytes("访谈者：你好\r\n受访者：好".encode("gbk"))
    (tmp_path / "b.MD").write_bytes("# 标题\n\nI: hi".encode())
    assert read_transcript(tmp_path / "a.txt") == Decoded("访谈者：你好\n受访者：好", "gb18030")
    assert read_transcript(str(tmp_path / "b.MD")) == Decoded("# 标题\n\nI: hi", "utf-8")


def test_explicit_encoding_is_passed_on(tmp_path):
    (tmp_path / "a.txt").write_bytes("訪談者：你好".encode("big5"))
    assert read_transcript(tmp_path / "a.txt", encoding="big5") == Decoded("訪談者：你好", "big5")


def test_decoding_problems_name_the_file(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"")
    problem = problem_of(path)
    assert problem.path == str(path) and problem.message.startswith("empty file")


# --- Word documents -------------------------------------------------------------------------------


def test_docx_paragraphs_and_tables_in_document_order(tmp_path):
    def build(document):
        document.add_paragraph("访谈记录")
        table = document.add_table(rows=2, cols=2)
        for row, cells in zip(table.rows, [("访谈编号", "A01"), ("受访者A", "我觉得……还行。")], strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
        soft = document.add_paragraph("访谈者：第一行")
        soft.runs[0].add_break()  # Shift+Enter: a line break inside one paragraph
        soft.add_run("第二行")
        document.add_paragraph("受访者A：\t带制表符")
        document.add_paragraph("")
        document.add_paragraph("结束")

    decoded = read_transcript(save_docx(tmp_path / "t.docx", build))
    assert decoded == Decoded(
        "访谈记录\n访谈编号\tA01\n受访者A\t我觉得……还行。\n访谈者：第一行\n第二行\n受访者A：\t带制表符\n\n结束", "docx"
    )


def test_docx_table_rows_become_speaker_turns(tmp_path):
    def build(document):
        table = document.add_table(rows=2, cols=2)
        for row, cells in zip(table.rows, [("访谈者", "您好？"), ("受访者B", "好的。")], strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text

    text = read_transcript(save_docx(tmp_path / "t.docx", build)).text
    turns = parse_turns(text)
    assert [(t.speaker, text[t.start:t.end]) for t in turns] == [("访谈者", "您好？"), ("受访者B", "好的。")]


def test_docx_merged_cell_appears_once_and_cell_paragraphs_keep_their_lines(tmp_path):
    def build(document):
        table = document.add_table(rows=1, cols=3)
        merged = table.cell(0, 0).merge(table.cell(0, 1))
        merged.text = "合并"
        last = table.cell(0, 2)
        last.text = "第一段"
        last.add_paragraph("第二段")

    assert read_transcript(save_docx(tmp_path / "t.docx", build)).text == "合并\t第一段\n第二段"


def test_docx_nested_table_is_read_in_place(tmp_path):
    def build(document):
        outer = document.add_table(rows=1, cols=2)
        outer.cell(0, 0).text = "外"
        inner = outer.cell(0, 1).add_table(rows=1, cols=2)
        inner.cell(0, 0).text = "内一"
        inner.cell(0, 1).text = "内二"

    text = read_transcript(save_docx(tmp_path / "t.docx", build)).text
    assert text.index("外") < text.index("内一\t内二")


def test_docx_suffix_is_case_insensitive(tmp_path):
    path = save_docx(tmp_path / "T.DOCX", lambda d: d.add_paragraph("问：好"))
    assert read_transcript(path) == Decoded("问：好", "docx")


def test_legacy_doc_renamed_to_docx(tmp_path):
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    message = problem_of(path).message
    assert "legacy Word .doc" in message and "re-save it" in message and ".docx or .txt" in message


def test_doc_suffix_is_refused_with_advice(tmp_path):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    assert ".docx or .txt" in problem_of(path).message


def test_docx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "plain.docx"
    path.write_text("访谈者：这其实是文本", encoding="utf-8")
    problem = problem_of(path)
    assert problem.path == str(path) and "re-save it" in problem.message


def test_zip_without_word_content(tmp_path):
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "not a Word document" in problem_of(path).message


def test_spreadsheet_renamed_to_docx(tmp_path):
    path = tmp_path / "sheet.docx"
    openpyxl.Workbook().save(path)
    assert "not a Word document" in problem_of(path).message


def test_damaged_docx(tmp_path):
    good = save_docx(tmp_path / "good.docx", lambda d: d.add_paragraph("访谈者：你好")).read_bytes()
    damaged = bytearray(good)
    damaged[len(damaged) // 3] ^= 0xFF  # inside a compressed part: its CRC no longer matches
    path = tmp_path / "damaged.docx"
    path.write_bytes(bytes(damaged))
    message = problem_of(path).message
    assert message.startswith("damaged .docx") and "re-save it" in message


def test_truncated_docx(tmp_path):
    good = save_docx(tmp_path / "good.docx", lambda d: d.add_paragraph("访谈者：你好")).read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(good[: len(good) // 2])
    assert "re-save it" in problem_of(path).message


def test_docx_with_broken_xml(tmp_path):
    good = save_docx(tmp_path / "good.docx", lambda d: d.add_paragraph("访谈者：你好")).read_bytes()
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, content[: len(content) // 2] if item.filename == "word/document.xml" else content)
    assert problem_of(path).message.startswith("damaged .docx: its XML cannot be read")


def test_empty_docx(tmp_path):
    path = save_docx(tmp_path / "empty.docx", lambda d: d.add_paragraph("  "))
    assert problem_of(path).message.startswith("empty document")


# --- files that cannot be read --------------------------------------------------------------------


def test_missing_file(tmp_path):
    problem = problem_of(tmp_path / "nope.txt")
    assert (problem.path, problem.message) == (str(tmp_path / "nope.txt"), "no such file")


def test_folder_instead_of_file(tmp_path):
    (tmp_path / "dir.txt").mkdir()
    assert problem_of(tmp_path / "dir.txt").message == "is a folder, not a file"


def test_permission_denied(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text("访谈者：你好", encoding="utf-8")

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    # Simulated: the tests may run as root, for whom chmod 000 does not stop reading.
    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert problem_of(path).message == "permission denied"


def test_unsupported_suffix_lists_the_supported_ones(tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_bytes(b"%PDF-1.4")
    message = problem_of(path).message
    assert "unsupported file type '.pdf'" in message
    assert all(suffix in message for suffix in SUPPORTED_SUFFIXES)


# --- finding files --------------------------------------------------------------------------------


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("访谈者：你好", encoding="utf-8")
    return path


def test_folders_are_searched_recursively_in_sorted_order(tmp_path):
    for name in ["b.txt", "a/z.md", "a/c.docx", "C.TXT", "notes.pdf", ".hidden.txt", ".git/x.txt",
                 "~$lock.docx", "sub/.cache/y.txt"]:
        touch(tmp_path / name)
    found = iter_transcript_files([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["C.TXT", "a/c.docx", "a/z.md", "b.txt"]


def test_named_files_keep_their_order_and_duplicates_are_dropped(tmp_path):
    second, first = touch(tmp_path / "2.txt"), touch(tmp_path / "1.txt")
    hidden = touch(tmp_path / ".named.txt")
    assert iter_transcript_files([second, first, str(second), hidden]) == [second, first, hidden]


def test_every_bad_path_is_reported_at_once(tmp_path):
    touch(tmp_path / "ok.txt")
    (tmp_path / "data.csv").write_text("a,b", encoding="utf-8")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf")
    with pytest.raises(InputError) as caught:
        iter_transcript_files([tmp_path / "ok.txt", tmp_path / "missing", tmp_path / "data.csv", tmp_path / "old.doc"])
    problems = caught.value.problems
    assert [p.path for p in problems] == [str(tmp_path / n) for n in ("missing", "data.csv", "old.doc")]
    assert problems[0].message == "no such file or folder"
    assert "unsupported file type '.csv'" in problems[1].message
    assert ".docx or .txt" in problems[2].message


def test_text_modules_import_no_ui_database_or_heavy_readers():
    code = (
        "import sys, qcode.text.readers, qcode.text.turns, qcode.text.sentences, qcode.text.decode\n"
        "print(sorted(m for m in ('textual', 'sqlite_utils', 'docx', 'jieba', 'charset_normalizer') "
        "if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parent.parent)
    assert result.stdout.strip() == "[]"
