"""Importing a questionnaire (`qcode import survey.xlsx`): a document per respondent, closed answers as attributes.

The table is read by `qcode.text.survey`; here the respondents become transcripts named `PREFIX-ID`
(prefix: the file's stem), each open answer a speaker turn labelled with its question (so `--by speaker`
compares questions), cut into sentences like any transcript, and each closed answer a transcript
attribute whose type is the narrowest that fits the whole column. Everything is checked first and
written in one transaction; `dry_run` writes nothing. A respondent who answered no open question gets no
document (there is nothing to code) and is counted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from qcode.domain.attributes import AttributeDefinition, guess_type
from qcode.domain.control_chars import first_control, visible_name
from qcode.domain.models import Unit, UnitKind
from qcode.errors import ConflictError, InputError, Problem
from qcode.i18n import _
from qcode.project.importing import sha256_of
from qcode.project.project import Project
from qcode.storage.cases import CaseRepository
from qcode.text.sentences import sentences_of_turns
from qcode.text.survey import Respondent, Survey, read_survey, respondent_text
from qcode.text.tables import read_table
from qcode.text.turns import Turn

SURVEY_SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class SurveyReport:
    """What a questionnaire import did (or, with dry_run, would do)."""

    path: str
    format: str
    respondents: int
    documents: int
    unchanged: int
    open_questions: tuple[str, ...]
    attributes: tuple[tuple[str, str], ...]  # (name, type)
    empty_answers: int
    without_answers: int
    dry_run: bool


def is_survey(path: Path) -> bool:
    """A table file: questionnaires come as .csv or .xlsx, transcripts never do."""
    return path.suffix.lower() in SURVEY_SUFFIXES


def _units(text: str, turns: list[tuple[int, int, int, int, str]], split_on_semicolon: bool) -> list[Unit]:
    parsed = [Turn(start, end, label, label_start, label_end) for label_start, label_end, start, end, label in turns]
    units = [Unit(UnitKind.TURN, i, t.start, t.end, t.speaker, None, t.label_start, t.label_end)
             for i, t in enumerate(parsed)]
    units += [Unit(UnitKind.SENTENCE, i, start, end, parsed[turn].speaker, turn)
              for i, (turn, start, end) in enumerate(sentences_of_turns(text, parsed,
                                                                        split_on_semicolon=split_on_semicolon))]
    return units


def _definitions(survey: Survey, existing: dict[str, AttributeDefinition]
                 ) -> tuple[dict[str, AttributeDefinition], dict[tuple[int, str], str], list[Problem]]:
    """The type of each closed question's attribute (the stored one, else guessed from its column), and
    every closed answer's canonical value by (row, attribute)."""
    values: dict[str, list[str]] = {}
    for respondent in survey.respondents:
        for question, value in respondent.attributes:
            values.setdefault(question.attribute, []).append(value)
    found: dict[str, AttributeDefinition] = {}
    problems: list[Problem] = []
    parsed: dict[tuple[int, str], str] = {}
    for name, column in values.items():
        found[name] = existing.get(name) or AttributeDefinition("transcript", name, guess_type(column))
    for respondent in survey.respondents:
        for question, value in respondent.attributes:
            try:
                parsed[(respondent.row, question.attribute)] = found[question.attribute].parse(value)
            except ValueError as exc:
                problems.append(Problem(f"{question.attribute}: {exc}", survey.path, respondent.row,
                                        question.column + 1))
    return found, parsed, problems


def import_survey(project: Project, path: Path, *, id_column: str | None = None,
                  text_columns: tuple[str, ...] = (), attribute_columns: tuple[str, ...] = (),
                  prefix: str | None = None, dry_run: bool = False) -> SurveyReport:
    """Read, check and (unless dry_run) store a questionnaire; see the module docstring."""
    survey = read_survey(read_table(path), id_column=id_column, text_columns=text_columns,
                         attribute_columns=attribute_columns)
    store = project.store
    repo = CaseRepository.of(store)
    prefix = f"{path.stem}-" if prefix is None else prefix
    existing = {d.name: d for d in repo.definitions("transcript")}
    definitions, parsed, problems = _definitions(survey, existing)
    stored = {t.name: t for t in store.transcripts.all()}
    split = project.config.imports.split_sentences_on_semicolon
    documents: list[tuple[Respondent, str, str | None, list[Unit] | None, str]] = []
    unchanged = 0
    for respondent in survey.respondents:
        if not respondent.answers:
            continue
        name = f"{prefix}{respondent.id}"
        if (code := first_control(name)) is not None:
            problems.append(Problem(_("the transcript name '{name}' contains the control character {code}").format(
                name=visible_name(name), code=code), str(path), respondent.row))
            continue
        text, turns = respondent_text(respondent)
        sha = sha256_of(text)
        if name in stored:
            if stored[name].sha256 == sha:
                unchanged += 1
                documents.append((respondent, name, None, None, sha))
                continue
            problems.append(Problem(_("transcript '{name}' exists with other text; import the survey with another "
                                      "--prefix").format(name=name), str(path), respondent.row))
            continue
        documents.append((respondent, name, text, _units(text, turns, split), sha))
    if problems:
        raise (ConflictError if any("exists" in p.message for p in problems) else InputError)(problems=problems)
    report = SurveyReport(str(path), survey.format, len(survey.respondents),
                          sum(1 for d in documents if d[2] is not None), unchanged,
                          tuple(q.text for q in survey.open_questions),
                          tuple((n, d.type) for n, d in definitions.items()), survey.empty_answers,
                          len(survey.without_answers), dry_run)
    if dry_run:
        return report
    with store.transaction(source="import") as tx:
        for definition in definitions.values():
            repo.define(tx, definition)
        fresh: list[tuple[str, str, str, str, str | None, str | None]] = [(str(uuid.uuid4()), name, sha, text, str(path), "survey")
                 for _, name, text, _, sha in documents if text is not None]
        ids = store.transcripts.insert_many(fresh)
        store.transcripts.add_units_of_many((ids[name], units) for _, name, text, units, _ in documents
                                            if text is not None and units is not None)
        tx.record_many("transcript.import", "transcripts", [
            (guid, None, {"name": name, "sha256": sha, "characters": len(text), "source_path": source,
                          "encoding": encoding}) for guid, name, sha, text, source, encoding in fresh])
        values = [(q.attribute, ids[name] if text is not None else stored[name].id, name,
                   parsed[(respondent.row, q.attribute)])
                  for respondent, name, text, _, _ in documents for q, _ in respondent.attributes]
        repo.add_values(tx, "transcript", values)
    return report
