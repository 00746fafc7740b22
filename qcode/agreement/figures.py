"""The agreement reports as typed values: what `qcode agree` computed, before any rendering.

`UnitAgreement` holds the figures of units (turns, sentences, transcripts) or of characters;
`SpanAgreement` those of coder-chosen spans (the unitizing alpha family). Tables, screens, charts and
the methods paragraph read these; `to_json()` gives the documented JSON (docs/agreement.md), with the
keys in the order researchers' scripts have always seen.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from qcode.agreement.characters import CharCounts
from qcode.agreement.result import Result
from qcode.agreement.scope import Scope

Table = Mapping[str, Result]
"""A statistic's key (see `qcode.agreement.labels`) -> its result, in report order."""


def table_json(table: Table) -> dict[str, Any]:
    return {name: result.to_json() for name, result in table.items()}


@dataclass(frozen=True, slots=True)
class Bootstrap:
    """How the 95% intervals were computed: percentile bootstrap, resampling units or transcripts."""

    resamples: int
    seed: int | None
    method: str = "percentile"
    resampled: str | None = None  # "transcripts" for spans; units otherwise (not written)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"resamples": self.resamples, "seed": self.seed, "method": self.method}
        if self.resampled is not None:
            out["resampled"] = self.resampled
        return out


@dataclass(frozen=True, slots=True)
class CharacterCell:
    """One code on one transcript for one pair of coders, at character level."""

    percent_agreement: Result
    cohen_kappa: Result
    counts: CharCounts

    def to_json(self) -> dict[str, Any]:
        return {"percent_agreement": self.percent_agreement.to_json(), "cohen_kappa": self.cohen_kappa.to_json(),
                "counts": self.counts.to_json()}


CharacterCells = Mapping[str, Mapping[str, Mapping[str, CharacterCell]]]  # code -> transcript -> "A|B" -> cell


@dataclass(frozen=True)
class UnitAgreement:
    """Agreement on units (or characters): overall, per code (presence or absence) and per coder pair."""

    unit: str
    coders: tuple[str, ...]
    n_units: int
    overall: Table
    per_code: Mapping[str, Table]
    pairwise: Mapping[str, Table]  # "A|B" -> statistics of that pair
    masi: Result  # Krippendorff's alpha over the coders' label sets (MASI distance)
    notes: tuple[str, ...]
    n_units_pairable: int
    n_units_rated: int | None = None  # None at character level
    per_code_counts: Mapping[str, Mapping[str, int]] | None = None  # code -> coder -> units coded
    per_code_pairwise: Mapping[str, Mapping[str, Table]] | None = None  # with 3 or more coders
    bootstrap: Bootstrap | None = None
    per_code_transcript: CharacterCells | None = None  # at character level
    scope: Scope | None = None

    def with_scope(self, scope: Scope, notes: tuple[str, ...]) -> UnitAgreement:
        return replace(self, scope=scope, notes=notes)

    def undefined(self) -> Iterator[tuple[str, str, str, Result]]:
        """(scope, key, statistic, result) of every undefined figure: overall, per code, pairwise, label sets."""
        for scope, tables in (("overall", {"": self.overall}), ("per_code", self.per_code),
                              ("pairwise", self.pairwise), ("label_sets", {"": {"krippendorff_alpha_masi":
                                                                                self.masi}})):
            for key, table in tables.items():
                for stat, result in table.items():
                    if result.value is None:
                        yield scope, key, stat, result

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "unit": self.unit, "coders": list(self.coders), "n_units": self.n_units,
            "overall": table_json(self.overall),
            "per_code": {code: table_json(table) for code, table in self.per_code.items()},
            "pairwise": {pair: table_json(table) for pair, table in self.pairwise.items()},
            "label_sets": {"krippendorff_alpha_masi": self.masi.to_json()},
            "notes": list(self.notes),
        }
        if self.n_units_rated is not None:
            out["n_units_rated"] = self.n_units_rated
        out["n_units_pairable"] = self.n_units_pairable
        if self.per_code_counts is not None:
            out["per_code_counts"] = {code: dict(counts) for code, counts in self.per_code_counts.items()}
        if self.per_code_pairwise is not None:
            out["per_code_pairwise"] = {code: {pair: table_json(table) for pair, table in pairs.items()}
                                        for code, pairs in self.per_code_pairwise.items()}
        if self.bootstrap is not None:
            out["bootstrap"] = self.bootstrap.to_json()
        if self.per_code_transcript is not None:
            out["per_code_transcript"] = {
                code: {name: {pair: cell.to_json() for pair, cell in pairs.items()} for name, pairs in cells.items()}
                for code, cells in self.per_code_transcript.items()}
        if self.scope is not None:
            out |= self.scope.to_json()
        return out


@dataclass(frozen=True, slots=True)
class SpanTable:
    """uα, |uα and cuα of some text (all of it, a pair of coders, a transcript) and cuα's coverage."""

    figures: Table  # the keys of `labels.SPAN_OVERALL`
    coverage: float | None  # the share of coded text where different coders' passages intersect

    def to_json(self) -> dict[str, Any]:
        out = table_json(self.figures)
        out["cu_alpha"]["coverage"] = self.coverage
        return out


@dataclass(frozen=True, slots=True)
class TranscriptSpans:
    """The figures of one transcript on its own."""

    length: int
    overall: SpanTable
    per_code: Mapping[str, Table]

    def to_json(self) -> dict[str, Any]:
        return {"length": self.length, "overall": self.overall.to_json(),
                "per_code": {code: table_json(table) for code, table in self.per_code.items()}}


@dataclass(frozen=True)
class SpanAgreement:
    """Agreement on coder-chosen spans: the uα family pooled, per code, per coder pair, per transcript."""

    coders: tuple[str, ...]
    n_units: int  # passages (codings merged where one coder's codings of a code overlap)
    overall: SpanTable
    per_code: Mapping[str, Table]  # the keys of `labels.SPAN_PER_CODE`
    pairwise: Mapping[str, SpanTable]
    notes: tuple[str, ...]
    n_transcripts: int
    continuum_length: int
    coded_share: float | None
    transcript_lengths: Mapping[str, int]
    per_code_counts: Mapping[str, Mapping[str, int]]  # code -> coder -> passages
    bootstrap: Bootstrap | None = None
    by_transcript: Mapping[str, TranscriptSpans] | None = None
    scope: Scope | None = None

    unit = "span"

    def with_scope(self, scope: Scope, notes: tuple[str, ...]) -> SpanAgreement:
        return replace(self, scope=scope, notes=notes)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "unit": self.unit, "coders": list(self.coders), "n_units": self.n_units,
            "overall": self.overall.to_json(),
            "per_code": {code: table_json(table) for code, table in self.per_code.items()},
            "pairwise": {pair: table.to_json() for pair, table in self.pairwise.items()},
            "notes": list(self.notes), "n_transcripts": self.n_transcripts,
            "continuum_length": self.continuum_length, "coded_share": self.coded_share,
            "transcript_lengths": dict(self.transcript_lengths),
            "per_code_counts": {code: dict(counts) for code, counts in self.per_code_counts.items()},
        }
        if self.bootstrap is not None:
            out["bootstrap"] = self.bootstrap.to_json()
        if self.by_transcript is not None:
            out["by_transcript"] = {name: t.to_json() for name, t in self.by_transcript.items()}
        if self.scope is not None:
            out |= self.scope.to_json()
        return out


Agreement = UnitAgreement | SpanAgreement
