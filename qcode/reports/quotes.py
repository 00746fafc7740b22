"""Coded passages ("quotes"): every coding of a code, with its exact text, speaker, coder and memo.

Which codings are passages is the analysis layer's `voice` (`qcode.analysis.units`): by default one voice
per passage (the consensus where one was recorded, else each distinct passage once, with `coders` naming
everyone who applied it); with `--coders`, each coding of those coders is its own passage, so a reader
can see who coded what. Overlapping codings are never merged. `text` is exactly `text[start:end]` of the
transcript's canonical text. `speaker` is the speaker of the turn the coding starts in: the first turn
that ends after the coding's start and begins before its end (so a coding that starts on a blank line
or a speaker label belongs to the next turn it reaches); None for turns without a speaker label and
codings outside every turn. `time` is that turn's time in the recording (seconds, from a timestamp or a
subtitle cue), None when the transcript gives none; `format_time` writes it as quotes show it (`12:05`,
`1:02:03`). Passages come in document order: by transcript name, start, end, coder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

import numpy as np

from qcode.analysis.groups import grouping
from qcode.errors import InputError
from qcode.analysis.units import ReportData
from qcode.text.asr import format_time  # noqa: F401  (re-exported: quotes are where times are shown)
from qcode.i18n import _


@dataclass(frozen=True, slots=True)
class Quote:
    """One coded passage."""

    transcript: str
    speaker: str | None
    start: int
    end: int
    text: str
    coder: str  # the coders who applied the code to this passage, comma-separated
    code: str
    memo: str
    guid: str
    time: float | None = None  # seconds from the start of the recording, of the turn the passage starts in


@dataclass(frozen=True)
class QuoteCollection:
    """The passages of one code (with `rollup`, of its whole subtree) in document order."""

    code: str
    rollup: bool
    codes: tuple[str, ...]  # the codes whose codings are included, in codebook order
    coders: tuple[str, ...]
    transcripts: tuple[str, ...]  # transcripts in the analysis (not only those with passages)
    quotes: tuple[Quote, ...]


def _turns_of(data: ReportData, transcript: np.ndarray, start: np.ndarray,
              end: np.ndarray) -> tuple[list[str | None], list[int | None]]:
    """The speaker and the turn (its idx) of each passage (vectorised form of the module docstring's rule)."""
    turns = data.units("turn")
    if not transcript.size or not len(turns):
        return [None] * transcript.size, [None] * transcript.size
    line_start = data.offsets[transcript] + start
    line_end = data.offsets[transcript] + end
    at = np.searchsorted(turns.end, line_start, side="right")
    found = at < len(turns)
    safe = np.minimum(at, len(turns) - 1)
    found &= (turns.transcript[safe] == transcript) & (turns.start[safe] < line_end)
    names = (*turns.speakers, None)  # the last: no turn found
    speaker = np.where(found, turns.speaker[safe], len(names) - 1).tolist()
    return ([names[i] for i in speaker],
            [index if ok else None for index, ok in zip(turns.index[safe].tolist(), found.tolist(), strict=True)])


def coded_passages(data: ReportData, code: str, *, rollup: bool = False) -> QuoteCollection:
    """Every coding of `code` (with `rollup`, of any code in its subtree) in the analysis."""
    book = data.codebook
    if code not in book:
        raise InputError(_("no code named '{code}' in the codebook; see `qcode codebook show`").format(code=code))
    if code not in data.code_index:
        raise InputError(_("code '{code}' is outside the codes selected with --codes").format(code=code))
    if not book[code].codable and not rollup:
        raise InputError(
            _("'{code}' is a group (codable: false) and has no codings of its own; "
              "use --rollup to quote the codes under it").format(code=code)
        )
    codes = tuple(c for c in (book.subtree(code) if rollup else (code,)) if c in data.code_index)
    return QuoteCollection(
        code=code,
        rollup=rollup,
        codes=codes,
        coders=data.coders,
        transcripts=tuple(t.name for t in data.transcripts),
        quotes=passage_columns(data, codes).quotes(),
    )


def all_passages(data: ReportData) -> tuple[Quote, ...]:
    """Every coding in the analysis as a passage, in document order."""
    return passage_columns(data).quotes()


_QUOTE_FIELDS = tuple(f.name for f in fields(Quote))


@dataclass(frozen=True)
class PassageColumns:
    """Passages as parallel lists (one entry per passage, in document order): the fields of `Quote`.

    The workbook's quotes sheet is built from these directly, without a `Quote` object per coding.
    """

    transcript: list[str]
    speaker: list[str | None]
    start: list[int]
    end: list[int]
    text: list[str]
    coder: list[str]
    code: list[str]
    memo: list[str]
    guid: list[str] | None  # None when read without guids
    time: list[float | None]

    def __len__(self) -> int:
        return len(self.start)

    @classmethod
    def of(cls, quotes: Sequence[Quote]) -> PassageColumns:
        return cls(*([getattr(q, name) for q in quotes] for name in _QUOTE_FIELDS))

    def quotes(self) -> tuple[Quote, ...]:
        if self.guid is None:
            raise ValueError("passages read without guids make no Quote objects")
        return tuple(map(Quote, self.transcript, self.speaker, self.start, self.end, self.text, self.coder,
                         self.code, self.memo, self.guid, self.time))


def passage_columns(data: ReportData, codes: tuple[str, ...] | None = None, *, with_guids: bool = True) -> PassageColumns:
    """The codings of `codes` (default: every codable code) in the analysis, after the voice rule, as
    passages in document order (transcript name, start, end, coders, code; ties in storage order).

    Without `with_guids` the columns have no guids (a table of quotes shows none), and no `Quote`s."""
    codes = codes if codes is not None else tuple(c for c in data.codes if data.codebook[c].codable)
    wanted = np.zeros(len(data.codes), dtype=bool)
    wanted[[data.code_index[c] for c in codes]] = True
    picked = np.flatnonzero(wanted[data.coding_code])
    transcript = data.coding_transcript[picked]
    start = data.coding_start[picked] - data.offsets[transcript]
    end = data.coding_end[picked] - data.offsets[transcript]
    coders = _coder_labels(data, picked)
    code_ids = [data.codes[c] for c in data.coding_code[picked].tolist()]
    # Transcripts come sorted by name, so their position orders them; the labels sort as strings.
    order = np.lexsort((_ranks(code_ids), _ranks(coders), end, start, transcript)).tolist()
    picked, transcript, start, end = picked[order], transcript[order], start[order], end[order]
    coders, code_ids = [coders[i] for i in order], [code_ids[i] for i in order]
    speakers, turn_indexes = _turns_of(data, transcript, start, end)
    ids = [t.id for t in data.transcripts]
    memos = data.queries.coding_memos(ids)
    guids = data.queries.coding_guids(ids) if with_guids else None
    times = data.queries.turn_times(ids)
    texts = data.texts()
    positions, starts, ends = transcript.tolist(), start.tolist(), end.tolist()
    coding_ids = data.coding_id[picked].tolist()
    return PassageColumns(
        transcript=[data.transcripts[t].name for t in positions],
        speaker=speakers,
        start=starts,
        end=ends,
        text=[texts[ids[t]][a:b] for t, a, b in zip(positions, starts, ends, strict=True)],
        coder=coders,
        code=code_ids,
        memo=[memos.get(i, "") for i in coding_ids] if memos else [""] * len(coding_ids),
        guid=[guids[i] for i in coding_ids] if guids is not None else None,
        time=[times.get((ids[t], turn)) if turn is not None else None
              for t, turn in zip(positions, turn_indexes, strict=True)] if times else [None] * len(positions),
    )


def _coder_labels(data: ReportData, picked: np.ndarray) -> list[str]:
    """Who applied each passage: every coder of its voice (one voice per passage), else its coder."""
    names = data.coders
    if not data.coding_voices or () in set(data.coding_voices):
        voices = [data.coding_voices[i] if data.coding_voices and data.coding_voices[i] else (c,)
                  for i, c in zip(picked.tolist(), data.coding_coder[picked].tolist(), strict=True)]
    else:
        voices = [data.coding_voices[i] for i in picked.tolist()]
    labels = {voice: ", ".join(names[c] for c in voice) for voice in set(voices)}
    return [labels[voice] for voice in voices]


def _ranks(values: list[str]) -> np.ndarray:
    """Each string's rank among the distinct strings (for sorting by them with numpy)."""
    rank = {value: r for r, value in enumerate(sorted(set(values)))}
    return np.array([rank[v] for v in values], dtype=np.int64)


def quotes_by_group(data: ReportData, collection: QuoteCollection, by: str) -> list[tuple[str, QuoteCollection]]:
    """The passages split by the groups of `by`: a transcript's group, or the group of the speaker whose
    turn the passage starts in (`qcode.analysis.groups`); groups without passages are left out."""
    found = grouping(data, by)
    position = {t.name: i for i, t in enumerate(data.transcripts)}
    split: dict[int, list[Quote]] = {}
    for quote in collection.quotes:
        t = position[quote.transcript]
        g = int(found.transcript_group[t]) if found.level == "transcript" else found.speaker_group.get(
            (t, quote.speaker), len(found.names))
        split.setdefault(g, []).append(quote)
    return [(name, replace(collection, quotes=tuple(split[g]))) for g, name in enumerate(found.names) if g in split]
