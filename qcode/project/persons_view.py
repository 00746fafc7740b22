"""The persons behind a transcript's speakers, with their attributes, as the TUI's persons screen shows them.

Every speaker label of a transcript is a person: the one it is mapped to (`qcode persons map`), else its
own default person `TRANSCRIPT:LABEL` (`qcode.analysis.cases`). Values are set as `qcode attributes set`
sets them (typed, checked) and written by the caller through its write queue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qcode.analysis.cases import CaseIndex, resolve_cases
from qcode.analysis.selection import Selection
from qcode.errors import InputError
from qcode.i18n import _
from qcode.project.attributes import CaseValue
from qcode.storage import Store
from qcode.storage.cases import default_person_name


@dataclass(frozen=True)
class PersonRow:
    """One person: the labels they speak under (in the transcript shown, or everywhere) and their values."""

    name: str
    speaks_as: tuple[str, ...]
    attributes: dict[str, str]


def persons_of(store: Store, transcript: str | None = None) -> list[PersonRow]:
    """The persons speaking in `transcript` (in order of first turn), or every person (by name)."""
    index = CaseIndex.read(store)
    labels: dict[str, list[str]] = {}
    for info in index.transcripts:
        if transcript is not None and info.name != transcript:
            continue
        for label in index.labels.get(info.id, ()):
            person = index.person_of.get((info.id, label)) or default_person_name(info.name, label)
            labels.setdefault(person, []).append(label if transcript is not None else f"{info.name}:{label}")
    if transcript is None:
        for person in index.person_values:
            labels.setdefault(person, [])
    names = list(labels) if transcript is not None else sorted(labels)
    return [PersonRow(name, tuple(labels[name]), dict(index.person_values.get(name, {}))) for name in names]


def transcripts_where(store: Store, where: Sequence[str]) -> set[str]:
    """The transcripts meeting every condition: on transcript attributes, their own values; on person
    attributes, at least one speaker whose person meets them (interviewers never count)."""
    selection = Selection.from_options(where=tuple(where))
    cases = resolve_cases(store, selection)
    index = cases.index or CaseIndex.read(store)
    if not any(index.attribute(c.attribute).kind == "person" for c in selection.where):
        return {t.name for t in cases.transcripts}
    return {t.name for t in cases.transcripts if any(cases.keeps(t.id, label) for label in index.labels.get(t.id, ()))}


def assignments(kind: str, case: str, text: str) -> list[CaseValue]:
    """`NAME=VALUE; NAME=VALUE` as values of one case (checked by type when stored)."""
    values = []
    for part in (p.strip() for p in text.split(";") if p.strip()):
        name, sep, raw = part.partition("=")
        if not sep or not name.strip() or not raw.strip():
            raise InputError(_("'{text}': write NAME=VALUE").format(text=part))
        values.append(CaseValue(kind, case, name.strip(), raw.strip()))
    return values
