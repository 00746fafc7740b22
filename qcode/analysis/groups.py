"""The groups of `--by`: which group each transcript, or each speaker's turns, belong to.

- `transcript`, `attr:NAME` of a transcript attribute: a group per transcript, or per value of the
  attribute; cases are transcripts.
- `speaker`: a group per speaker label (pooled over transcripts); `person`: a group per person (a label
  of one transcript is one person unless mapped, `qcode.analysis.cases`); `attr:NAME` of a person
  attribute: a group per value; cases are persons.
- `coder` groups codings, not text, and is handled by the reports themselves.

A case without a value for the attribute falls in the group `(no value)`, listed last, so that the
groups always add up to the whole. Attribute groups come in the attribute's order (numbers by size,
dates by day, categories by their levels).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qcode.analysis.selection import NO_SPEAKER
from qcode.analysis.units import ReportData, UnitTable
from qcode.errors import InputError
from qcode.i18n import _

NO_VALUE = "(no value)"
FIXED_GROUPINGS = ("transcript", "coder", "speaker", "person")


@dataclass(frozen=True)
class Grouping:
    """Group names and, per transcript or per (transcript, speaker label), the group."""

    by: str
    level: str  # "transcript" or "speaker": what a case is (a transcript, or a person speaking)
    names: tuple[str, ...]
    transcript_group: np.ndarray  # per transcript index of the data: group (level "transcript")
    # (transcript index, label) -> group (level "speaker"); len(names) for speakers left out of the analysis
    speaker_group: dict[tuple[int, str | None], int]
    speaker_case: dict[tuple[int, str | None], str]  # (transcript index, label) -> case (person) name

    def unit_groups(self, table: UnitTable) -> np.ndarray:
        """The group of every unit of a table (its transcript's, or its speaker's)."""
        if self.level == "transcript":
            return self.transcript_group[table.transcript]
        labels = [table.speakers[s] for s in table.speaker.tolist()]
        return np.array([self.speaker_group[(t, label)] for t, label in zip(table.transcript.tolist(), labels,
                                                                             strict=True)], dtype=np.int64)

    def unit_cases(self, table: UnitTable, data: ReportData) -> list[str]:
        """The case (transcript name or person) of every unit of a table."""
        if self.level == "transcript":
            return [data.transcripts[t].name for t in table.transcript.tolist()]
        return [self.speaker_case[(t, table.speakers[s])] for t, s in zip(table.transcript.tolist(),
                                                                            table.speaker.tolist(), strict=True)]


def _ordered(values: set[str], key) -> tuple[str, ...]:
    present = sorted((v for v in values if v != NO_VALUE), key=key)
    return tuple(present) + ((NO_VALUE,) if NO_VALUE in values else ())


def grouping(data: ReportData, by: str) -> Grouping:
    """The groups of `by` over the transcripts and speakers of `data` (see the module docstring)."""
    index = data.cases.index if data.cases is not None else None
    if index is None:
        raise InputError(_("grouping needs the project's cases"))  # load_report_data always sets them
    turns = data.units("turn")
    every = {(int(t), turns.speakers[s]) for t, s in zip(turns.transcript.tolist(), turns.speaker.tolist(), strict=True)}
    # Speakers the selection leaves out (interviewers by default) form no group; their units fall outside.
    pairs = sorted({(int(t), turns.speakers[s]) for t, s, c in zip(turns.transcript.tolist(), turns.speaker.tolist(),
                                                                    turns.content.tolist(), strict=True) if c},
                   key=lambda p: (p[0], str(p[1])))
    outside = sorted(every - set(pairs), key=lambda p: (p[0], str(p[1])))
    n = len(data.transcripts)
    empty_t = np.zeros(n, dtype=np.int64)

    if by == "transcript":
        names = tuple(t.name for t in data.transcripts)
        return Grouping(by, "transcript", names, np.arange(n, dtype=np.int64), {}, {})
    if by in ("speaker", "person"):
        def case(t: int, label: str | None) -> str:
            if label is None:
                return NO_SPEAKER
            if by == "speaker":
                return label
            return index.person(data.transcripts[t].id, label) or label
        cases = {p: case(*p) for p in pairs}
        names = _ordered(set(cases.values()) - {NO_SPEAKER}, str) + (
            (NO_SPEAKER,) if NO_SPEAKER in cases.values() else ())
        position = {name: i for i, name in enumerate(names)}
        groups = {p: position[c] for p, c in cases.items()} | {p: len(names) for p in outside}
        return Grouping(by, "speaker", names, empty_t, groups, cases)
    if not by.startswith("attr:"):
        raise InputError(_("unknown grouping '{by}'; choose one of {groupings} or attr:NAME").format(
            by=by, groupings=", ".join(FIXED_GROUPINGS)))
    definition = index.attribute(by[5:])
    if definition.kind == "transcript":
        values = [index.value(definition, t.id) or NO_VALUE for t in data.transcripts]
        names = _ordered(set(values), definition.sort_key)
        position = {name: i for i, name in enumerate(names)}
        return Grouping(by, "transcript", names, np.array([position[v] for v in values], dtype=np.int64), {}, {})
    values_of = {p: (index.value(definition, data.transcripts[p[0]].id, p[1]) or NO_VALUE) for p in pairs}
    persons = {p: (index.person(data.transcripts[p[0]].id, p[1]) or NO_SPEAKER) for p in pairs}
    names = _ordered(set(values_of.values()), definition.sort_key)
    position = {name: i for i, name in enumerate(names)}
    groups = {p: position[v] for p, v in values_of.items()} | {p: len(names) for p in outside}
    return Grouping(by, "speaker", names, empty_t, groups, persons)
