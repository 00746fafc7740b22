"""The nouns of qcode as plain dataclasses.

Offsets are half-open `[start, end)` Python `str` indices (Unicode code points) into a transcript's
canonical text (BOM removed, newlines as `\\n`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


CONSENSUS_CODER = "consensus"
"""The reserved coder whose codings are the team's agreed coding (recorded from the agreement screen or
`qcode consensus`); never one of the coders compared for agreement."""


class UnitKind(StrEnum):
    """How a transcript is cut into units of analysis."""

    TRANSCRIPT = "transcript"
    TURN = "turn"
    SENTENCE = "sentence"
    CHAR = "char"


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open range `[start, end)` of code points."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end


@dataclass(frozen=True, slots=True)
class Unit:
    """A speaker turn or a sentence of one transcript.

    `start`/`end` cover the speech only (a turn's speaker label is outside it, at `[label_start,
    label_end)`); `index` is the unit's 0-based position among units of the same kind in the
    transcript; a sentence knows its turn.
    """

    kind: UnitKind
    index: int
    start: int
    end: int
    speaker: str | None = None
    turn_index: int | None = None
    label_start: int | None = None
    label_end: int | None = None


@dataclass(frozen=True, slots=True)
class Coding:
    """One code applied by one coder to one span of one transcript."""

    guid: str
    coder: str
    transcript: str  # transcript name (unique within a project)
    code: str  # codebook id
    start: int
    end: int
    memo: str = ""
    created_at: str = ""
    updated_at: str = ""

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True, slots=True)
class TranscriptInfo:
    """A transcript's identity and provenance, without its text."""

    id: int  # storage key, local to one project file; use `guid` across projects
    guid: str
    name: str
    sha256: str  # of the canonical text encoded as UTF-8
    characters: int
    source_path: str | None
    encoding: str | None
    imported_at: str


@dataclass(frozen=True, slots=True)
class ReviewStatus:
    """Whether a coder has finished coding a transcript (units of unfinished ones are missing data)."""

    coder: str
    transcript: str
    status: str  # "in_progress" or "complete"
    updated_at: str
