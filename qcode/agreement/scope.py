"""What entered an agreement report's figures, as the project found it: transcripts, coders, options.

The statistics know only ratings; the project layer adds this scope (`UnitAgreement.scope`,
`SpanAgreement.scope`), which the methods paragraph and the tables use to say exactly what was compared
and whether each coding was blind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qcode.domain.blind import SeenBeforeComplete


# Who saw the others' codings before completing a transcript (one definition, in the domain).
NotIndependent = SeenBeforeComplete


@dataclass(frozen=True, slots=True)
class ComparedTranscript:
    """A transcript rated by two or more compared coders, so its units entered the figures."""

    name: str
    characters: int
    units: int
    coders: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Compared:
    """The transcripts that entered the figures, and those only one coder (or none) rated."""

    by_transcript: tuple[ComparedTranscript, ...]
    not_compared: tuple[tuple[str, tuple[str, ...]], ...]  # (transcript, the coders who rated it)

    @property
    def transcripts(self) -> list[str]:
        return [t.name for t in self.by_transcript]

    @property
    def characters(self) -> int:
        return sum(t.characters for t in self.by_transcript)

    @property
    def units(self) -> int:
        return sum(t.units for t in self.by_transcript)

    def to_json(self) -> dict[str, Any]:
        return {"transcripts": self.transcripts, "characters": self.characters, "units": self.units,
                "by_transcript": [{"name": t.name, "characters": t.characters, "units": t.units,
                                   "coders": list(t.coders)} for t in self.by_transcript],
                "not_compared": [{"name": name, "coders": list(coders)} for name, coders in self.not_compared]}


@dataclass(frozen=True, slots=True)
class UnitOptions:
    """The options of a unit-level (or character-level) comparison, echoed in the report."""

    rollup: bool
    empty: str
    include_incomplete: bool
    min_share: float | None

    def to_json(self) -> dict[str, Any]:
        return {"rollup": self.rollup, "empty": self.empty, "include_incomplete": self.include_incomplete,
                "min_share": self.min_share}


@dataclass(frozen=True, slots=True)
class SpanOptions:
    """The options of a comparison of coder-chosen spans, echoed in the report."""

    rollup: bool
    include_incomplete: bool
    domain: str | None
    by: str | None

    def to_json(self) -> dict[str, Any]:
        return {"rollup": self.rollup, "include_incomplete": self.include_incomplete, "domain": self.domain,
                "by": self.by}


@dataclass(frozen=True, slots=True)
class Scope:
    """The project's side of a report: transcripts, who rated which, the codes and the options.

    `compared` is given for units (which transcripts two or more coders rated); the span unit keeps only
    transcripts every compared coder completed, so `transcripts` says it all there.
    """

    transcripts: tuple[str, ...]
    rated: Mapping[str, tuple[str, ...]]  # coder -> the transcripts they completed
    codes: tuple[str, ...]
    not_independent: tuple[NotIndependent, ...]
    options: UnitOptions | SpanOptions
    compared: Compared | None = None

    def to_json(self) -> dict[str, Any]:
        """The keys a report's JSON has always had after the figures (in their order for each unit)."""
        seen = [s.to_json() for s in self.not_independent]
        names = {"transcripts": list(self.transcripts),
                 "rated": {coder: list(names) for coder, names in self.rated.items()}, "codes": list(self.codes)}
        if self.compared is None:
            return {**names, "not_independent": seen, "options": self.options.to_json()}
        return {"compared": self.compared.to_json(), "not_independent": seen, **names,
                "options": self.options.to_json()}
