"""Code frequencies: codings, units, transcripts, share of units and characters per code.

What each number counts (for the codings of the selected coders in the selected transcripts):

- `codings`: the codings of the code.
- `units`: the distinct units (turns or sentences) the code applies to by the unit rule of
  `shared/design/agreement.md` (a coding marks a unit when it overlaps one of the unit's content
  characters, i.e. not white space or punctuation). Pooled over coders: a unit coded by two coders, or
  by two overlapping codings, counts once.
- `transcripts`: the transcripts with at least one coding of the code.
- `characters`: the characters the code's codings cover, each character once (overlapping codings,
  also of different coders, are merged). White space and punctuation inside a coding count.
- `share`: `units` divided by `units_total`, the units of the transcripts in the analysis that have
  at least one content character (a unit of only white space or punctuation can never be coded, so it
  is not counted; the same rule as agreement).

Rows come in codebook order. A code with children has a second row with `scope == "subtree"`: the same
numbers for the code and all its descendants together, each unit, transcript and character once even
when several codes of the subtree mark it, and `codings` the sum. A group (codable: false) has only its
subtree row.

Breakdowns (`by`): `transcript` and `coder` split the codings by their transcript or coder, so each
coder's units and characters count only that coder's codings (`units_total` stays the pooled
denominator for coders, and is the transcript's own units for transcripts). `speaker` splits by the
speaker of the units (for sentences, the speaker of their turn): `units` are that speaker's units,
`codings` the codings that mark at least one of them (a coding across two speakers' turns counts for
both; a coding that marks no unit counts for none), `transcripts` those where such a unit is marked,
`characters` the coded characters inside that speaker's turns, and `units_total` that speaker's units.
`person` and a person attribute (`attr:NAME`) split the same way by the person behind each turn (or that
person's value); a transcript attribute splits like `transcript`, by the value of each transcript
(`qcode.analysis.groups`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qcode.analysis.groups import grouping
from qcode.analysis.units import ReportData, UnitTable
from qcode.agreement.intervals import (
    count_distinct,
    expand_runs,
    merge_by_group,
    overlaps_with_segments,
    union_length_by_group,
)

BREAKDOWNS = ("transcript", "coder", "speaker")
MEASURES = ("codings", "units", "transcripts", "share", "characters")


@dataclass(frozen=True, slots=True)
class Counts:
    """The frequency numbers of one row (and one breakdown value)."""

    codings: int
    units: int
    transcripts: int
    characters: int
    units_total: int

    @property
    def share(self) -> float | None:
        """units / units_total, or None when there are no units to share."""
        return self.units / self.units_total if self.units_total else None

    def measure(self, name: str) -> int | float | None:
        if name not in MEASURES:
            raise ValueError(f"unknown measure {name!r}")
        return self.share if name == "share" else getattr(self, name)


@dataclass(frozen=True, slots=True)
class FrequencyRow:
    """One code (scope "code") or one code with its whole subtree (scope "subtree")."""

    code: str
    scope: str
    depth: int
    codable: bool
    total: Counts
    by: tuple[Counts, ...] = ()  # one per `FrequencyTable.groups` value; empty without a breakdown


@dataclass(frozen=True)
class FrequencyTable:
    """Frequencies of the codes of one analysis; `groups` are the breakdown values, in column order."""

    unit: str
    breakdown: str | None
    groups: tuple[str | None, ...]
    coders: tuple[str, ...]
    transcripts: tuple[str, ...]
    units_total: int
    rows: tuple[FrequencyRow, ...]


@dataclass(frozen=True)
class _RowPlan:
    """The rows of a table and which analysis codes each row counts (as indices into data.codes)."""

    rows: list[tuple[str, str]]  # (code id, scope)
    member_code: np.ndarray  # entry -> code index
    member_row: np.ndarray  # entry -> row index, sorted by code index
    code_pointer: np.ndarray  # first entry of each code
    code_rows: np.ndarray  # number of entries of each code

    def expand(self, code_of_item: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For items carrying a code: (item, row) for every row each item counts towards."""
        item, entry = expand_runs(self.code_pointer[code_of_item], self.code_rows[code_of_item])
        return item, self.member_row[entry]


def _plan_rows(data: ReportData) -> _RowPlan:
    book = data.codebook
    rows: list[tuple[str, str]] = []
    entries: list[tuple[int, int]] = []
    for code_id in data.codes:
        code = book[code_id]
        if code.codable:
            entries.append((data.code_index[code_id], len(rows)))
            rows.append((code_id, "code"))
        if code.children or not code.codable:
            members = [m for m in book.subtree(code_id) if m in data.code_index]
            entries.extend((data.code_index[m], len(rows)) for m in members)
            rows.append((code_id, "subtree"))
    entries.sort()
    member_code = np.array([c for c, _ in entries], dtype=np.int64)
    member_row = np.array([r for _, r in entries], dtype=np.int64)
    code_rows = np.bincount(member_code, minlength=len(data.codes)).astype(np.int64)
    code_pointer = np.cumsum(code_rows) - code_rows
    return _RowPlan(rows, member_code, member_row, code_pointer, code_rows)


@dataclass(frozen=True)
class _Measured:
    """Arrays of shape (rows, groups)."""

    codings: np.ndarray
    units: np.ndarray
    transcripts: np.ndarray
    characters: np.ndarray


def _by_coding_group(
    data: ReportData, units: UnitTable, plan: _RowPlan, group_of_coding: np.ndarray, n_groups: int
) -> _Measured:
    """Frequencies when every coding belongs to one group (pooled, per transcript, per coder)."""
    n_rows = len(plan.rows)
    size = n_rows * n_groups
    coding, row = plan.expand(data.coding_code)
    key = row * n_groups + group_of_coding[coding]
    codings = np.bincount(key, minlength=size)
    transcripts = count_distinct(data.coding_transcript[coding], key, size)
    characters = union_length_by_group(data.coding_start[coding], data.coding_end[coding], key, size)
    pair, pair_row = plan.expand(data.coding_code[units.marked_coding])
    pair_key = pair_row * n_groups + group_of_coding[units.marked_coding[pair]]
    unit_counts = count_distinct(units.marked_unit[pair], pair_key, size)
    shape = (n_rows, n_groups)
    return _Measured(
        codings.reshape(shape), unit_counts.reshape(shape), transcripts.reshape(shape), characters.reshape(shape)
    )


def _by_speaker(
    data: ReportData, units: UnitTable, turns: UnitTable, plan: _RowPlan, speakers: tuple[str | None, ...]
) -> _Measured:
    """Frequencies split by the speaker of the units the codings mark (see the module docstring)."""
    group = {s: i for i, s in enumerate(speakers)}
    unit_group = np.array([group[s] for s in units.speakers], dtype=np.int64)[units.speaker]
    turn_group = np.array([group[s] for s in turns.speakers], dtype=np.int64)[turns.speaker]
    return _by_unit_group(data, units, turns, plan, unit_group, turn_group, len(speakers))


def _by_unit_group(data: ReportData, units: UnitTable, turns: UnitTable, plan: _RowPlan, unit_group: np.ndarray,
                   turn_group: np.ndarray, n_groups: int) -> _Measured:
    """Frequencies split by a group of the units (a speaker, a person, a person attribute's value)."""
    n_rows = len(plan.rows)
    size = n_rows * n_groups

    pair, pair_row = plan.expand(data.coding_code[units.marked_coding])
    marked_unit = units.marked_unit[pair]
    pair_key = pair_row * n_groups + unit_group[marked_unit]
    unit_counts = count_distinct(marked_unit, pair_key, size)
    codings = count_distinct(units.marked_coding[pair], pair_key, size)
    transcripts = count_distinct(units.transcript[marked_unit], pair_key, size)

    # Characters: the union of each row's codings, cut by the speakers' turns.
    coding, row = plan.expand(data.coding_code)
    merged_start, merged_end, merged_row = merge_by_group(data.coding_start[coding], data.coding_end[coding], row)
    turn, interval, length = overlaps_with_segments(turns.start, turns.end, merged_start, merged_end)
    char_key = merged_row[interval] * n_groups + turn_group[turn]
    characters = np.bincount(char_key, weights=length, minlength=size).astype(np.int64)
    shape = (n_rows, n_groups)
    return _Measured(
        codings.reshape(shape), unit_counts.reshape(shape), transcripts.reshape(shape), characters.reshape(shape)
    )


def _speakers_of(*tables: UnitTable) -> tuple[str | None, ...]:
    names = {s for table in tables for s in table.speakers}
    return tuple(sorted(s for s in names if s is not None)) + ((None,) if None in names else ())


def code_frequencies(data: ReportData, unit: str = "turn", by: str | None = None) -> FrequencyTable:
    """The frequency table of `data` over `unit` (turn or sentence), optionally broken down `by`."""
    if by is not None and by not in BREAKDOWNS and by != "person" and not by.startswith("attr:"):
        raise ValueError(f"unknown breakdown {by!r}; choose one of {BREAKDOWNS}, person or attr:NAME")
    units = data.units(unit)
    plan = _plan_rows(data)
    content = units.content
    units_total = int(content.sum())
    pooled = _by_coding_group(data, units, plan, np.zeros(data.n_codings, dtype=np.int64), 1)

    groups: tuple[str | None, ...] = ()
    split: _Measured | None = None
    totals: np.ndarray = np.zeros(0, dtype=np.int64)
    if by == "transcript":
        groups = tuple(t.name for t in data.transcripts)
        split = _by_coding_group(data, units, plan, data.coding_transcript, len(groups))
        totals = np.bincount(units.transcript[content], minlength=len(groups))
    elif by == "coder":
        groups = data.coders
        split = _by_coding_group(data, units, plan, data.coding_coder, len(groups))
        totals = np.full(len(groups), units_total)
    elif by == "speaker":
        turns = data.units("turn")
        groups = _speakers_of(units, turns)
        split = _by_speaker(data, units, turns, plan, groups)
        position = {s: i for i, s in enumerate(groups)}
        unit_group = np.array([position[s] for s in units.speakers], dtype=np.int64)[units.speaker]
        totals = np.bincount(unit_group[content], minlength=len(groups))
    elif by is not None:
        found = grouping(data, by)
        groups = found.names
        n = len(groups)
        if found.level == "transcript":
            split = _by_coding_group(data, units, plan, found.transcript_group[data.coding_transcript], n)
        else:
            # One more group for the turns of speakers left out of the analysis; it is never shown.
            turns = data.units("turn")
            wide = _by_unit_group(data, units, turns, plan, found.unit_groups(units), found.unit_groups(turns), n + 1)
            split = _Measured(*(getattr(wide, f)[:, :n] for f in ("codings", "units", "transcripts", "characters")))
        totals = np.bincount(found.unit_groups(units)[content], minlength=n + 1)[:n]

    def counts(measured: _Measured, r: int, g: int, total: int) -> Counts:
        return Counts(
            int(measured.codings[r, g]),
            int(measured.units[r, g]),
            int(measured.transcripts[r, g]),
            int(measured.characters[r, g]),
            int(total),
        )

    book = data.codebook
    rows = []
    for r, (code_id, scope) in enumerate(plan.rows):
        by_group = () if split is None else tuple(counts(split, r, g, totals[g]) for g in range(len(groups)))
        rows.append(FrequencyRow(
            code=code_id,
            scope=scope,
            depth=book.depth(code_id),
            codable=book[code_id].codable,
            total=counts(pooled, r, 0, units_total),
            by=by_group,
        ))
    return FrequencyTable(
        unit=unit,
        breakdown=by,
        groups=groups,
        coders=data.coders,
        transcripts=tuple(t.name for t in data.transcripts),
        units_total=units_total,
        rows=tuple(rows),
    )
