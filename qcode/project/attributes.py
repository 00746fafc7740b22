"""Use cases over cases: set, import and export attributes of transcripts and persons; map speakers to persons.

Every command checks all its input first and writes in one transaction, so a bad cell leaves the
project unchanged; each bad cell is reported with its file, row and column. Cases are named:

- transcripts by their name;
- persons by their name, or `TRANSCRIPT:LABEL` for the default person of a speaker label (it becomes a
  stored person the first time it is given an attribute or mapped).

A new attribute's type is `--type` when given, else the narrowest type all its values fit (number,
date, boolean, text); an existing attribute keeps its type and every value must fit it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any
from pathlib import Path

from qcode.analysis.cases import CaseIndex
from qcode.domain.attributes import ATTRIBUTE_TYPES, CASE_KINDS, AttributeDefinition, guess_type, parse_value
from qcode.domain.control_chars import check_name, first_control, visible_name
from qcode.errors import InputError, Problem
from qcode.i18n import _
from qcode.storage import Store
from qcode.storage.cases import CaseRepository, default_person_name
from qcode.text.tables import read_table


@dataclass(frozen=True)
class CaseValue:
    """One value to store: where it came from (for messages), which case, which attribute, the raw text."""

    kind: str
    case: str
    attribute: str
    raw: str
    path: str | None = None
    row: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class AttributeReport:
    """What an attribute command stored."""

    values: int
    cases: int
    new_attributes: tuple[str, ...]
    new_persons: tuple[str, ...]
    skipped_empty: int = 0


def _check_kind(kind: str) -> None:
    if kind not in CASE_KINDS:
        raise InputError(_("unknown kind of case '{kind}'; choose transcript or person").format(kind=kind))


class _Cases:
    """Name lookups for one command: transcripts, stored persons and default persons of speaker labels."""

    def __init__(self, store: Store) -> None:
        self.index = CaseIndex.read(store)
        self.transcripts = {t.name: t for t in self.index.transcripts}
        self.persons = {p.name: p for p in CaseRepository.of(store).persons()}
        self.defaults = {default_person_name(t.name, label): (t, label)
                         for t in self.index.transcripts for label in self.index.labels.get(t.id, ())}

    def exists(self, kind: str, name: str) -> bool:
        if kind == "transcript":
            return name in self.transcripts
        return name in self.persons or name in self.defaults or name in set(self.index.person_of.values())

    def known(self, kind: str) -> list[str]:
        if kind == "transcript":
            return sorted(self.transcripts)
        return sorted(set(self.persons) | set(self.index.person_of.values()))


def store_values(store: Store, values: Iterable[CaseValue], *, types: dict[tuple[str, str], str] | None = None,
                 levels: dict[tuple[str, str], tuple[str, ...]] | None = None, actor: str = "qcode",
                 source: str = "cli") -> AttributeReport:
    """Check every value (all problems at once), then store them all in one transaction."""
    values = list(values)
    types, levels = dict(types or {}), dict(levels or {})
    for kind, name in types:
        _check_kind(kind)
        if types[(kind, name)] not in ATTRIBUTE_TYPES:
            raise InputError(_unknown_type(types[(kind, name)]))
    cases = _Cases(store)
    repo = CaseRepository.of(store)
    existing = {(d.kind, d.name): d for d in repo.definitions()}
    problems: list[Problem] = []
    # The definition each attribute will have: stored, or given, or guessed from all its values.
    definitions: dict[tuple[str, str], AttributeDefinition] = {}
    for v in values:
        key = (v.kind, v.attribute)
        if key in definitions:
            continue
        if key in existing:
            definition = existing[key]
            if key in types and types[key] != definition.type:
                problems.append(Problem(_("{kind} attribute '{attribute}' is {type}; change its type with "
                                          "`qcode attributes define` first").format(
                    kind=v.kind, attribute=v.attribute, type=definition.type)))
            if key in levels:
                definition = replace(definition, levels=tuple(dict.fromkeys(definition.levels + levels[key])))
        else:
            type_ = types.get(key) or guess_type([w.raw for w in values if (w.kind, w.attribute) == key])
            definition = AttributeDefinition(v.kind, v.attribute, type_, levels.get(key, ()))
            if type_ == "category" and not definition.levels:
                problems.append(Problem(_needs_levels(v.attribute)))
        definitions[key] = definition
    parsed: list[tuple[CaseValue, str]] = []
    for v in values:
        where: dict[str, Any] = {"path": v.path, "line": v.row, "column": v.column}
        if not v.attribute.strip():
            problems.append(Problem(_("the attribute has no name"), **where))
            continue
        if (code := first_control(v.attribute)) is not None:
            problems.append(Problem(_("the attribute name '{name}' contains the control character {code}").format(
                name=visible_name(v.attribute), code=code), **where))
            continue
        if not cases.exists(v.kind, v.case):
            shown = ", ".join(cases.known(v.kind)[:10]) or _("none")
            message = (_("no transcript named '{name}' (the project has: {names})") if v.kind == "transcript"
                       else _("no person named '{name}' (the project has: {names})"))
            problems.append(Problem(message.format(name=v.case, names=shown), **where))
            continue
        definition = definitions[(v.kind, v.attribute)]
        try:
            parsed.append((v, definition.parse(v.raw)))
        except ValueError as exc:
            problems.append(Problem(f"{v.attribute} = {v.raw!r}: {exc} ({definition.type})", **where))
    if problems:
        raise InputError(problems=problems)

    new_attributes = tuple(n for (k, n) in definitions if (k, n) not in existing)
    new_persons: list[str] = []
    with store.transaction(actor=actor, source=source) as tx:
        for definition in definitions.values():
            repo.define(tx, definition)
        for v, value in parsed:
            if v.kind == "transcript":
                case_id = cases.transcripts[v.case].id
            else:
                person = cases.persons.get(v.case)
                if person is None:
                    person = repo.ensure_person(tx, v.case)
                    cases.persons[v.case] = person
                    new_persons.append(v.case)
                    if v.case in cases.defaults:
                        transcript, label = cases.defaults[v.case]
                        repo.map_speaker(tx, transcript.id, transcript.name, label, person)
                case_id = person.id
            repo.set_value(tx, v.kind, v.attribute, case_id, v.case, value)
    return AttributeReport(len(parsed), len({(v.kind, v.case) for v, _ in parsed}), new_attributes,
                           tuple(new_persons))


def define_attribute(store: Store, kind: str, name: str, type_: str, levels: tuple[str, ...] = (),
                     actor: str = "qcode") -> AttributeDefinition:
    """Create or retype an attribute; the values already stored must fit the new type (else nothing changes)."""
    _check_kind(kind)
    if type_ not in ATTRIBUTE_TYPES:
        raise InputError(_unknown_type(type_))
    if type_ == "category" and not levels:
        raise InputError(_needs_levels(name))
    check_name(_("the attribute name"), name)
    for level in levels:
        check_name(_("the level"), level)
    definition = AttributeDefinition(kind, name, type_, tuple(dict.fromkeys(levels)))
    repo = CaseRepository.of(store)
    stored = [(case_id, values[name]) for case_id, values in repo.values(kind).items() if name in values]
    problems = []
    converted = []
    for case_id, value in stored:
        try:
            converted.append((case_id, definition.parse(value)))
        except ValueError as exc:
            problems.append(Problem(_("{attribute}: a stored value does not fit {type}: {reason}").format(
                attribute=name, type=type_, reason=exc)))
    if problems:
        raise InputError(problems=problems)
    names = _case_names(store, kind)
    with store.transaction(actor=actor) as tx:
        repo.define(tx, definition)
        for case_id, value in converted:
            repo.set_value(tx, kind, name, case_id, names.get(case_id, str(case_id)), value)
    return definition


def _unknown_type(type_: str) -> str:
    return _("unknown type '{type}'; choose one of {types}").format(type=type_, types=", ".join(ATTRIBUTE_TYPES))


def _needs_levels(name: str) -> str:
    return _("category '{attribute}' needs its levels in order (--levels A,B,C)").format(attribute=name)


def _case_names(store: Store, kind: str) -> dict[int, str]:
    if kind == "transcript":
        return {t.id: t.name for t in store.transcripts.all()}
    return {p.id: p.name for p in CaseRepository.of(store).persons()}


def import_attributes(store: Store, path: Path, kind: str, *, types: dict[str, str] | None = None,
                      actor: str = "qcode") -> AttributeReport:
    """A table whose first column names the case and whose other columns are attributes (empty cells skipped)."""
    _check_kind(kind)
    table = read_table(path)
    if len(table.header) < 2:
        raise InputError(_("the table needs the case in its first column and at least one attribute column"),
                         path=path, line=1)
    values = []
    skipped = 0
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        case = row[0].strip()
        if not case:
            raise InputError(_("the first column names the transcript or person; this row has none"),
                             path=path, line=number, column=1)
        for column, (name, raw) in enumerate(zip(table.header[1:], row[1:], strict=True), start=2):
            if not name:
                continue
            if not raw.strip():
                skipped += 1
                continue
            values.append(CaseValue(kind, case, name, raw, str(path), number, column))
    report = store_values(store, values, types={(kind, n): t for n, t in (types or {}).items()}, actor=actor,
                          source="import")
    return replace(report, skipped_empty=skipped)


def export_attributes(store: Store, kind: str | None = None) -> list[dict]:
    """Every case with its attributes: [{"case", "kind", "attributes": {name: value}}], transcripts first."""
    index = CaseIndex.read(store)
    found = []
    for k in CASE_KINDS:
        if kind not in (None, k):
            continue
        order = list(index.definitions[k])
        if k == "transcript":
            for t in sorted(index.transcripts, key=lambda t: t.name):
                values = index.transcript_values.get(t.id, {})
                found.append({"case": t.name, "kind": k, "attributes": {n: _typed(index, k, n, values[n])
                                                                         for n in order if n in values}})
        else:
            for person in sorted(set(index.person_of.values()) | set(index.person_values)):
                values = index.person_values.get(person, {})
                found.append({"case": person, "kind": k, "attributes": {n: _typed(index, k, n, values[n])
                                                                         for n in order if n in values}})
    return found


def _typed(index: CaseIndex, kind: str, name: str, value: str) -> object:
    """A canonical value as JSON: numbers as numbers, booleans as booleans, the rest as text."""
    definition = index.definitions[kind][name]
    if definition.type == "number":
        number = float(value)
        return int(number) if number.is_integer() else number
    if definition.type == "boolean":
        return value == "true"
    return value


def map_speakers(store: Store, person: str, speaker: str, transcripts: tuple[str, ...] | None = None,
                 actor: str = "qcode") -> list[str]:
    """Map the label `speaker` (in the named transcripts, else in every transcript that has it) to `person`."""
    index = CaseIndex.read(store)
    chosen = [t for t in index.transcripts if transcripts is None or t.name in transcripts]
    if transcripts is not None:
        missing = [n for n in transcripts if n not in {t.name for t in index.transcripts}]
        if missing:
            raise InputError(_("no transcript named {names}").format(names=", ".join(repr(m) for m in missing)))
    having = [t for t in chosen if speaker in index.labels.get(t.id, ())]
    if not having:
        labels = sorted({s for t in chosen for s in index.labels.get(t.id, ())})
        message = (_("no speaker '{speaker}' in those transcripts; speakers: {speakers}") if transcripts
                   else _("no speaker '{speaker}' in any transcript; speakers: {speakers}"))
        raise InputError(message.format(speaker=speaker, speakers=", ".join(labels) or _("none")))
    if not person.strip():
        raise InputError(_("the person needs a name"))
    repo = CaseRepository.of(store)
    with store.transaction(actor=actor) as tx:
        row = repo.ensure_person(tx, person.strip())
        for t in having:
            repo.map_speaker(tx, t.id, t.name, speaker, row)
    return [t.name for t in having]


def list_persons(store: Store) -> list[dict]:
    """Every person with the speaker labels they speak under and their attributes."""
    index = CaseIndex.read(store)
    names = {t.id: t.name for t in index.transcripts}
    speaks: dict[str, list[str]] = {}
    for (tid, label), person in sorted(index.person_of.items(), key=lambda item: (names.get(item[0][0], ""),
                                                                                    item[0][1])):
        speaks.setdefault(person, []).append(f"{names.get(tid, tid)}:{label}")
    for person in index.person_values:
        speaks.setdefault(person, [])
    return [{"person": p, "speaks_as": speaks[p], "attributes": index.person_values.get(p, {})}
            for p in sorted(speaks)]


def value_of(type_: str, raw: str, levels: tuple[str, ...] = ()) -> str:
    """Check one value against a type (for the TUI's editor); ValueError says what is wrong."""
    return parse_value(type_, raw, levels)
