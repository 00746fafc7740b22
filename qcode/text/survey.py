"""Questionnaires: a table of respondents (CSV or XLSX) read as documents to code and attributes to compare.

One row per respondent. Each open question becomes a turn of the respondent's document, labelled with the
question text; each closed question an attribute of the respondent (a transcript attribute). Columns:

- 问卷星 (wjx.cn) downloads, "按选项文本" or "按选项序号": the header starts `序号, 提交答卷时间, 所用时间,
  来源, 来源详情, 来自IP`, then the questions as `1、question…`. Multiple choices are joined by `┋`.
- 腾讯问卷 downloads: the header starts with `编号` (or `答卷编号`) and holds timing columns such as
  `开始答题时间`, `结束答题时间`, `答题时长`; then the questions (`1.question…`).
- Anything else: `--id COL` names the respondent column, `--text COL...` the open questions,
  `--attributes COL...` the closed ones (columns may be given by header or by 1-based number).

Which recognised questions are open: a column whose answers are mostly different from each other and
longer than a few characters, or whose header says so (填空, 简答, 开放, 问答, 其他意见, 建议, 原因, 为什么).
Choices (single or `┋`-joined), numbers and dates are closed. The survey's own metadata is kept as
attributes too (`提交答卷时间` as `submitted`, `所用时间`, `来源`), except the respondent's IP address.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from qcode.errors import InputError
from qcode.i18n import _
from qcode.text.tables import Table

WJX_HEAD = ("序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP")
TENCENT_IDS = ("编号", "答卷编号", "序号")
TENCENT_TIMES = ("开始答题时间", "结束答题时间", "答题时长", "提交时间", "开始时间", "结束时间")
PRIVATE = {"来自IP", "IP", "IP地址", "来源详情", "答题人IP", "ip"}
KEPT_META = {"提交答卷时间": "submitted", "所用时间": "duration", "来源": "channel", "开始答题时间": "started",
             "结束答题时间": "submitted", "答题时长": "duration", "提交时间": "submitted"}
MULTI = "┋"
_NUMBERED = re.compile(r"^\s*(\d+)\s*[、.．:：)）]\s*(.+)$", re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # never into the project (or a terminal)
_OPEN_WORDS = ("填空", "简答", "开放", "问答", "其他意见", "意见", "建议", "原因", "为什么", "请说明", "请描述", "请谈谈")


@dataclass(frozen=True)
class Question:
    column: int
    header: str
    text: str  # the question without its number
    kind: str  # "open" or "closed"
    attribute: str = ""  # closed questions: the attribute name


@dataclass(frozen=True)
class Respondent:
    row: int
    id: str
    answers: tuple[tuple[Question, str], ...]  # open questions answered, in column order
    attributes: tuple[tuple[Question, str], ...]  # closed answers (empty ones left out)


@dataclass
class Survey:
    format: str  # "wjx", "tencent" or "columns"
    path: str
    questions: list[Question]
    respondents: list[Respondent] = field(default_factory=list)
    empty_answers: int = 0
    without_answers: list[str] = field(default_factory=list)  # respondents with no open answer

    @property
    def open_questions(self) -> list[Question]:
        return [q for q in self.questions if q.kind == "open"]

    @property
    def closed_questions(self) -> list[Question]:
        return [q for q in self.questions if q.kind == "closed"]


def detect_format(header: Sequence[str]) -> str | None:
    if tuple(h.strip() for h in header[:6]) == WJX_HEAD:
        return "wjx"
    if header and header[0].strip() in TENCENT_IDS and any(h.strip() in TENCENT_TIMES for h in header):
        return "tencent"
    return None


def _question_text(header: str) -> str:
    found = _NUMBERED.match(header)
    return (found.group(2) if found else header).strip()


def _looks_open(header: str, values: list[str]) -> bool:
    """Mostly distinct answers of some length, or a header that asks for words (see the module docstring)."""
    if any(word in header for word in _OPEN_WORDS):
        return True
    present = [v for v in values if v.strip()]
    if not present:
        return False
    if all(re.fullmatch(r"[\d┋\s.,-]+", v) for v in present):
        return False  # 按选项序号: choices as numbers
    if any(MULTI in v for v in present):
        return False
    distinct = len(set(present)) / len(present)
    mean = sum(len(v) for v in present) / len(present)
    return (distinct > 0.6 and mean >= 4) or mean >= 15


def _column(table: Table, given: str) -> int:
    if given.isdigit() and 1 <= int(given) <= len(table.header):
        return int(given) - 1
    if given in table.header:
        return table.header.index(given)
    raise InputError(_("no column '{column}' in the table; columns: {columns}").format(
        column=given, columns=", ".join(table.header)), path=table.path, line=1)


def read_survey(table: Table, *, id_column: str | None = None, text_columns: Sequence[str] = (),
                attribute_columns: Sequence[str] = ()) -> Survey:
    """The respondents of a questionnaire table (see the module docstring)."""
    fmt = detect_format(table.header)
    chosen = bool(id_column or text_columns or attribute_columns)
    if fmt is None and not chosen:
        raise InputError(_("this table is not a recognised questionnaire export (问卷星, 腾讯问卷); say which columns "
                           "are what with --id COL, --text COL... and --attributes COL..."), path=table.path, line=1)
    columns = list(zip(*table.rows)) if table.rows else [() for _ in table.header]
    if chosen:
        if not text_columns:
            raise InputError(_("--text names the open questions (the columns to code)"), path=table.path)
        id_at = _column(table, id_column) if id_column else None
        questions = [Question(c, table.header[c], _question_text(table.header[c]), "open")
                     for c in map(lambda g: _column(table, g), text_columns)]
        questions += [Question(c, table.header[c], _question_text(table.header[c]), "closed",
                               _question_text(table.header[c]))
                      for c in map(lambda g: _column(table, g), attribute_columns)]
        fmt = fmt or "columns"
    else:
        id_at = 0
        questions = []
        for c, header in enumerate(table.header):
            if c == 0 or not header or header in PRIVATE:
                continue
            if header in KEPT_META or c < (6 if fmt == "wjx" else 0):
                if header in KEPT_META:
                    questions.append(Question(c, header, header, "closed", KEPT_META[header]))
                continue
            values = [str(v) for v in columns[c]]
            kind = "open" if _looks_open(header, values) else "closed"
            text = _question_text(header)
            questions.append(Question(c, header, text, kind, text if kind == "closed" else ""))
    if not any(q.kind == "open" for q in questions):
        raise InputError(_("no open question found to code; name the open questions with --text COL..."),
                         path=table.path, line=1)
    assert fmt is not None  # detected, or "columns" when the columns were named
    survey = Survey(fmt, table.path, questions)
    for q in questions:
        if _CONTROL.search(q.header.replace("\r", "")):
            raise InputError(_("the header of column {column} holds control characters").format(column=q.column + 1),
                             path=table.path,
                             line=1, column=q.column + 1)
    seen: dict[str, int] = {}
    for number, row in zip(table.row_numbers, table.rows, strict=True):
        rid = (row[id_at].strip() if id_at is not None else "") or str(number - 1)
        if rid in seen:
            raise InputError(_("respondent '{id}' appears twice (rows {first} and {second})").format(
                id=rid, first=seen[rid], second=number),
                             path=table.path, line=number, column=(id_at or 0) + 1)
        seen[rid] = number
        answers, attributes = [], []
        for q in questions:
            value = row[q.column].strip()
            if _CONTROL.search(value.replace("\r", "")):
                raise InputError(_("this answer holds control characters (not text anyone typed)"), path=table.path,
                                 line=number, column=q.column + 1)
            if q.kind == "open":
                if not value or value in ("(跳过)", "(空)", "-3", "(-3)"):
                    survey.empty_answers += 1
                else:
                    answers.append((q, value))
            elif value and value not in ("(跳过)", "(空)", "-3", "(-3)"):
                attributes.append((q, value))
        if not answers:
            survey.without_answers.append(rid)
        survey.respondents.append(Respondent(number, rid, tuple(answers), tuple(attributes)))
    return survey


def respondent_text(respondent: Respondent) -> tuple[str, list[tuple[int, int, int, int, str]]]:
    """The document of a respondent and its turns as (label_start, label_end, start, end, question).

    Each answered open question is a paragraph `question：answer`, blank-line separated; answers keep
    their own line breaks (normalised to \\n).
    """
    parts: list[str] = []
    turns = []
    position = 0
    for question, answer in respondent.answers:
        label = question.text.replace("\n", " ").strip()
        body = answer.replace("\r\n", "\n").replace("\r", "\n").strip()
        if parts:
            parts.append("\n\n")
            position += 2
        turns.append((position, position + len(label) + 1, position + len(label) + 1,
                      position + len(label) + 1 + len(body), label))
        parts.append(f"{label}：{body}")
        position += len(label) + 1 + len(body)
    parts.append("\n")
    return "".join(parts), turns
