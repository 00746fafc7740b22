"""Which transcripts and which speakers' turns an analysis covers: names, `--speakers` and `--where`.

Cases are transcripts and persons. Every speaker label of a transcript is a person: the one it is mapped
to, else its own default person `TRANSCRIPT:LABEL` (`qcode.storage.cases`). `CaseIndex` reads the
persons, the maps and the attributes once; `resolve_cases` turns a `Selection` into a `CaseFilter`:

- transcripts: those named (all by default) that meet every condition on a transcript attribute;
- per transcript, the speaker labels whose turns are left out: those not named in `--speakers` (by label
  or person name), those whose person fails a condition on a person attribute, and (unless `--speakers`
  names speakers or says `all`) those whose person has `role` = `interviewer`.

A case without a value for a condition's attribute does not meet the condition. `=`, `!=` and `in`
compare canonical values (so `age=35.0` finds 35 and `married=是` finds true); `<`, `>`, `<=` and `>=` work
on numbers, dates and ordered categories.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from qcode.analysis.names import choose_transcripts
from qcode.analysis.selection import ALL_SPEAKERS, Condition, Selection, unknown_names
from qcode.domain.attributes import INTERVIEWER, ROLE, AttributeDefinition
from qcode.domain.models import TranscriptInfo
from qcode.errors import InputError
from qcode.i18n import N_, _
from qcode.storage import Store
from qcode.storage.cases import CaseRepository, default_person_name


@dataclass
class CaseIndex:
    """Transcripts, speakers, persons and attribute values of a project, read once."""

    transcripts: list[TranscriptInfo]
    labels: dict[int, list[str]]  # transcript id -> speaker labels in order of appearance
    definitions: dict[str, dict[str, AttributeDefinition]]  # kind -> name -> definition
    transcript_values: dict[int, dict[str, str]]
    person_values: dict[str, dict[str, str]]  # person name -> values
    person_of: dict[tuple[int, str], str]  # (transcript id, label) -> person name

    @classmethod
    def read(cls, store: Store) -> CaseIndex:
        repo = CaseRepository.of(store)
        transcripts = store.transcripts.all()
        labels = store.transcripts.speakers()
        names = {t.id: t.name for t in transcripts}
        persons = {p.id: p.name for p in repo.persons()}
        mapped = repo.speaker_map()
        person_of = {(tid, label): persons[mapped[(tid, label)]] if (tid, label) in mapped
                     else default_person_name(names[tid], label)
                     for tid, found in labels.items() if tid in names for label in found}
        definitions: dict[str, dict[str, AttributeDefinition]] = {"transcript": {}, "person": {}}
        for d in repo.definitions():
            definitions[d.kind][d.name] = d
        person_values = {persons[pid]: values for pid, values in repo.values("person").items() if pid in persons}
        return cls(transcripts, labels, definitions, repo.values("transcript"), person_values, person_of)

    def person(self, transcript_id: int, label: str | None) -> str | None:
        return None if label is None else self.person_of.get((transcript_id, label))

    def attribute(self, name: str) -> AttributeDefinition:
        """The attribute called `name` (a transcript attribute wins over a person attribute of that name)."""
        for kind in ("transcript", "person"):
            if name in self.definitions[kind]:
                return self.definitions[kind][name]
        known = sorted(set(self.definitions["transcript"]) | set(self.definitions["person"]))
        raise unknown_names("attribute", [name], known, N_("set some with `qcode attributes set` or import them"))

    def value(self, definition: AttributeDefinition, transcript_id: int, label: str | None = None) -> str | None:
        """The value of an attribute for a transcript, or for the person behind a speaker label."""
        if definition.kind == "transcript":
            return self.transcript_values.get(transcript_id, {}).get(definition.name)
        person = self.person(transcript_id, label)
        return None if person is None else self.person_values.get(person, {}).get(definition.name)

    def is_interviewer(self, transcript_id: int, label: str) -> bool:
        person = self.person(transcript_id, label)
        return person is not None and self.person_values.get(person, {}).get(ROLE) == INTERVIEWER


def meets(definition: AttributeDefinition, condition: Condition, value: str | None) -> bool:
    """Whether a canonical value meets a condition (see the module docstring)."""
    if value is None:
        return False
    wanted = [_parse(definition, condition, v) for v in condition.values]
    op = condition.operator
    if op == "=":
        return value == wanted[0]
    if op == "!=":
        return value != wanted[0]
    if op == "in":
        return value in wanted
    if definition.type not in ("number", "date", "category"):
        raise InputError(_("--where {condition}: '{operator}' compares numbers, dates and ordered categories; "
                           "'{attribute}' is {type}").format(condition=condition, operator=op,
                                                              attribute=definition.name, type=definition.type))
    left, right = definition.sort_key(value), definition.sort_key(wanted[0])
    return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]


def _parse(definition: AttributeDefinition, condition: Condition, raw: str) -> str:
    try:
        return definition.parse(raw)
    except ValueError as exc:
        raise InputError(_("--where {condition}: {reason} ({kind} attribute '{attribute}' is {type})").format(
            condition=condition, reason=exc, kind=definition.kind, attribute=definition.name,
            type=definition.type)) from None


@dataclass(frozen=True)
class CaseFilter:
    """The transcripts in an analysis and, per transcript id, the speaker labels left out of it."""

    transcripts: tuple[TranscriptInfo, ...]
    left_out: dict[int, frozenset[str | None]] = field(default_factory=dict)  # None: turns without a speaker
    index: CaseIndex | None = None
    interviewers: frozenset[str] = frozenset()  # labels left out by default because their person is an interviewer

    @property
    def any_speaker_left_out(self) -> bool:
        return any(self.left_out.values())

    def left_out_speakers(self, transcript_id: int) -> frozenset[str | None]:
        return self.left_out.get(transcript_id, frozenset())

    def keeps(self, transcript_id: int, speaker: str | None) -> bool:
        return speaker not in self.left_out.get(transcript_id, frozenset())


def check_speakers(store: Store, speakers: Sequence[str] | None, index: CaseIndex | None = None) -> set[str] | None:
    """The speaker labels or person names named (each checked), or None for every speaker."""
    if speakers is None or ALL_SPEAKERS in speakers:
        return None
    index = index or CaseIndex.read(store)
    known = {s for found in index.labels.values() for s in found} | set(index.person_of.values())
    unknown = [s for s in speakers if s not in known]
    if unknown:
        labels = sorted({s for found in index.labels.values() for s in found})
        raise unknown_names("speaker", unknown, labels, N_("import a transcript with speaker labels"))
    return set(speakers)


def resolve_cases(store: Store, selection: Selection) -> CaseFilter:
    """The transcripts and speakers `selection` covers (see the module docstring)."""
    chosen = choose_transcripts(store, selection.transcripts)
    index = CaseIndex.read(store)
    named = check_speakers(store, selection.speakers, index)
    conditions = [(index.attribute(c.attribute), c) for c in selection.where]
    on_transcripts = [(d, c) for d, c in conditions if d.kind == "transcript"]
    on_persons = [(d, c) for d, c in conditions if d.kind == "person"]
    transcripts = [t for t in chosen if all(meets(d, c, index.value(d, t.id)) for d, c in on_transcripts)]
    keep_interviewers = selection.speakers is not None
    left_out: dict[int, frozenset[str | None]] = {}
    interviewers: set[str] = set()
    for t in transcripts:
        out: set[str | None] = set()
        for label in index.labels.get(t.id, ()):
            person = index.person(t.id, label)
            if named is not None and label not in named and person not in named:
                out.add(label)
            elif not keep_interviewers and index.is_interviewer(t.id, label):
                out.add(label)
                interviewers.add(label)
            elif not all(meets(d, c, index.value(d, t.id, label)) for d, c in on_persons):
                out.add(label)
        if named is not None or on_persons:
            out.add(None)  # text outside any speaker's turn (headers) belongs to no chosen person
        if out:
            left_out[t.id] = frozenset(out)
    return CaseFilter(tuple(transcripts), left_out, index, frozenset(interviewers))
