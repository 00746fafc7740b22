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

from dataclasses import dataclass, replace

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
    if not transcript.size:
        return [], []
    turns = data.units("turn")
    line_start = data.offsets[transcript] + start
    line_end = data.offsets[transcript] + end
    at = np.searchsorted(turns.end, line_start, side="right")
    found = at < len(turns)
    safe = np.minimum(at, max(len(turns) - 1, 0))
    if len(turns):
        found &= (turns.transcript[safe] == transcript) & (turns.start[safe] < line_end)
    names = turns.speakers
    pairs = list(zip(safe.tolist(), found.tolist(), strict=True))
    return ([names[turns.speaker[i]] if ok else None for i, ok in pairs],
            [int(turns.index[i]) if ok else None for i, ok in pairs])


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
        quotes=_passages(data, codes),
    )


def all_passages(data: ReportData) -> tuple[Quote, ...]:
    """Every coding in the analysis as a passage, in document order (for the workbook's quotes sheet)."""
    return _passages(data, tuple(c for c in data.codes if data.codebook[c].codable))


def _passages(data: ReportData, codes: tuple[str, ...]) -> tuple[Quote, ...]:
    """The codings of `codes` in the analysis (after the voice rule), in document order."""
    position = {t.id: i for i, t in enumerate(data.transcripts)}
    voices = dict(zip(data.coding_id.tolist(), data.coding_voices, strict=True)) if data.coding_voices else {}
    kept = set(data.coding_id.tolist())
    rows = [r for r in data.queries.passages([t.id for t in data.transcripts], list(data.coder_ids), list(codes))
            if r.coding_id in kept]
    texts = data.texts()
    transcript = np.array([position[r.transcript_id] for r in rows], dtype=np.int64)
    start = np.array([r.start for r in rows], dtype=np.int64)
    end = np.array([r.end for r in rows], dtype=np.int64)
    speakers, turn_indexes = _turns_of(data, transcript, start, end)
    times = data.queries.turn_times([t.id for t in data.transcripts])
    quotes = [
        Quote(
            transcript=data.transcripts[t].name,
            speaker=speaker,
            start=r.start,
            end=r.end,
            text=texts[r.transcript_id][r.start : r.end],
            coder=", ".join(data.coders[c] for c in voices[r.coding_id]) if voices.get(r.coding_id) else r.coder,
            code=r.code_id,
            memo=r.memo,
            guid=r.guid,
            time=times.get((r.transcript_id, turn)) if turn is not None else None,
        )
        for r, t, speaker, turn in zip(rows, transcript.tolist(), speakers, turn_indexes, strict=True)
    ]
    quotes.sort(key=lambda q: (q.transcript, q.start, q.end, q.coder, q.code))
    return tuple(quotes)


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
