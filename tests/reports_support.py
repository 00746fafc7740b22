"""The hand-counted project behind the report tests, and checks that it is laid out as the counts assume.

Three transcripts imported from files (so units come from the real importer), a five-code codebook with
a group (G), a codable parent with children (Q > Q.TIME, Q.READ), and three coders (甲, 乙, 丙). The
codings include overlaps by one coder (c1/c3) and by two coders (c1/c2, c7/c8), codings over two
sentences (c1, c3) and over two turns of different speakers (c10), a coding that spills into the next
turn over punctuation only (c5), a coding in a header line without a speaker (c11), and a transcript
nobody coded (T3).

Units ([start, end) in each text; * = no content character, so never marked and not counted):

    T1 turns      t0 [4,13) 访谈者 | t1 [19,42) 受访者A | t2 [47,52) 访谈者 | t3 [58,76) 受访者A
    T1 sentences  s0 [4,13) | s1 [19,24) | s2 [24,34) | s3 [34,42) | s4 [47,52) | s5 [58,60)* "……"
                  | s6 [60,68) | s7 [68,76)
    T2 turns      h [0,7) no speaker | i [12,18) 访谈者 | r [24,29) 受访者B   (sentences: the same ranges)
    T3 turns      [4,10) 访谈者 | [16,20) 受访者A                          (sentences: the same ranges)

Codings (code, coder, transcript, text) and what they mark:

    c1  Q.TIME 甲 T1 不太及时。有时候一周都不更新 [19,33)   t1; s1 s2
    c2  Q.TIME 乙 T1 有时候一周都不更新！        [24,34)   t1; s2
    c3  Q.TIME 甲 T1 一周都不更新！领导          [27,36)   t1; s2 s3
    c4  L      丙 T1 领导也不太重视。            [34,42)   t1; s3
    c5  R      甲 T1 那留言呢？\\n受访者A：……      [47,60)   t2 (t3 only over "……"); s4
    c6  R      乙 T2 信息好懂吗                  [12,17)   i
    c7  Q.READ 丙 T1 看不懂                      [72,75)   t3; s7
    c8  Q.READ 甲 T1 看不懂。                    [72,76)   t3; s7          memo 重要
    c9  Q.READ 乙 T2 太难懂了                    [24,28)   r
    c10 Q      甲 T2 信息好懂吗？\\n受访者B：太难懂了。 [12,29)   i r
    c11 L      甲 T2 访谈编号：B1                 [0,7)     h
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from qcode.codebook import parse_codebook_text
from qcode.project.codebook_loading import install_codebook
from qcode.project.coding import CodingSession
from qcode.project.importing import import_transcripts
from qcode.project.project import Project

CODEBOOK_YAML = """\
format: 1
id: report-fixture
version: "1"
title: {zh: 测试编码本, en: Test codebook}
languages: [zh, en]
codes:
  - id: G
    name: {zh: 问题, en: Problems}
    codable: false
    children:
      - id: Q
        name: {zh: 信息质量, en: Information quality}
        definition: {zh: 信息本身的质量。, en: The quality of the information itself.}
        include: {zh: 及时、好懂。, en: "Timely, readable."}
        exclude: {zh: 回应 → R, en: Responses -> R}
        example: {zh: 信息太少了。, en: Too little information.}
        children:
          - id: Q.TIME
            name: {zh: 及时性, en: Timeliness}
          - id: Q.READ
            name: {zh: 可读性, en: Readability}
      - id: R
        name: {zh: 回应, en: Response}
  - id: L
    name: {zh: 领导重视, en: Leadership}
"""

TEXTS = {
    "T1": "访谈者：公众号更新及时吗？\n受访者A：不太及时。有时候一周都不更新！领导也不太重视。\n"
          "访谈者：那留言呢？\n受访者A：……留言基本没人回。说实话，看不懂。\n",
    "T2": "访谈编号：B1\n访谈者：信息好懂吗？\n受访者B：太难懂了。\n",
    "T3": "访谈者：还有别的吗？\n受访者A：没有了。\n",
}

# name -> (code, coder, transcript, coded text, memo)
CODINGS = {
    "c1": ("Q.TIME", "甲", "T1", "不太及时。有时候一周都不更新", ""),
    "c2": ("Q.TIME", "乙", "T1", "有时候一周都不更新！", ""),
    "c3": ("Q.TIME", "甲", "T1", "一周都不更新！领导", ""),
    "c4": ("L", "丙", "T1", "领导也不太重视。", ""),
    "c5": ("R", "甲", "T1", "那留言呢？\n受访者A：……", ""),
    "c6": ("R", "乙", "T2", "信息好懂吗", ""),
    "c7": ("Q.READ", "丙", "T1", "看不懂", ""),
    "c8": ("Q.READ", "甲", "T1", "看不懂。", "重要"),
    "c9": ("Q.READ", "乙", "T2", "太难懂了", ""),
    "c10": ("Q", "甲", "T2", "信息好懂吗？\n受访者B：太难懂了。", ""),
    "c11": ("L", "甲", "T2", "访谈编号：B1", ""),
}


def span_of(transcript: str, text: str) -> tuple[int, int]:
    """Offsets of the only occurrence of `text` in a fixture transcript."""
    whole = TEXTS[transcript]
    start = whole.index(text)
    assert whole.find(text, start + 1) == -1, f"{text!r} occurs twice in {transcript}"
    return start, start + len(text)


def build_report_project(root: Path) -> Project:
    """Create the fixture project at `root` (transcripts imported from files, codings by three coders)."""
    project = Project.init(root)
    install_codebook(project, parse_codebook_text(CODEBOOK_YAML), source="fixture")
    folder = root / "incoming"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    import_transcripts(project, [folder])
    by_name = {info.name: info for info in project.store.transcripts.all()}
    for code, coder, transcript, text, memo in CODINGS.values():
        start, end = span_of(transcript, text)
        CodingSession(project.store, coder, source="test").apply(by_name[transcript], code, start, end, memo)
    return project


@pytest.fixture(scope="session")
def _report_template(tmp_path_factory) -> Path:
    """The fixture project built once per test process; `report_project` gives each test its own copy."""
    root = tmp_path_factory.mktemp("report-template") / "reports"
    build_report_project(root).close()  # closing checkpoints the WAL: the folder alone is the project
    return root


def copy_project(template: Path, root: Path) -> None:
    """Copy a closed project folder to `root`, as if it had been built there: the absolute paths of the
    imported files (transcripts.source_path and the journal's record of it) point into the copy."""
    shutil.copytree(template, root)
    old, new = str(template), str(root)
    conn = sqlite3.connect(root / "qcode.db")
    try:
        with conn:
            conn.execute("UPDATE transcripts SET source_path = replace(source_path, ?, ?)", (old, new))
            # The journal is append-only (a trigger); lift that for this one fix-up and put it back as it was.
            (guard,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'journal_no_update'").fetchone()
            conn.execute("DROP TRIGGER journal_no_update")
            conn.execute("UPDATE journal SET after = replace(after, ?, ?) WHERE instr(after, ?) > 0", (old, new, old))
            conn.execute(guard)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


@pytest.fixture
def report_project(tmp_path: Path, _report_template: Path):
    root = tmp_path / "reports"
    copy_project(_report_template, root)
    project = Project.open(root)
    yield project
    project.close()
