"""Coded passages ("quotes"): every coding of a code, with its exact text, speaker, coder and memo.

Each coding is one passage, even when two coders coded the same words or one coder's codings overlap:
nothing is merged, so a reader can see who coded what. `text` is exactly `text[start:end]` of the
transcript's canonical text. `speaker` is the speaker of the turn the coding starts in: the first turn
that ends after the coding's start and begins before its end (so a coding that starts on a blank line
or a speaker label belongs to the next turn it reaches); None for turns without a speaker label and
codings outside every turn. Passages come in document order: by transcript name, start, end, coder.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qcode.errors import InputError
from qcode.i18n import _
from qcode.reports.dataset import ReportData


@dataclass(frozen=True, slots=True)
class Quote:
    """One coded passage."""

    transcript: str
    speaker: str | None
    start: int
    end: int
    text: str
    coder: str
    code: str
    memo: str
    guid: str


@dataclass(frozen=True)
class QuoteCollection:
    """The passages of one code (with `rollup`, of its whole subtree) in document order."""

    code: str
    rollup: bool
    codes: tuple[str, ...]  # the codes whose codings are included, in codebook order
    coders: tuple[str, ...]
    transcripts: tuple[str, ...]  # transcripts in the analysis (not only those with passages)
    quotes: tuple[Quote, ...]


def _speakers(data: ReportData, transcript: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[str | None]:
    """The speaker of each passage (vectorised form of the rule in the module docstring)."""
    if not transcript.size:
        return []
    turns = data.units("turn")
    line_start = data.offsets[transcript] + start
    line_end = data.offsets[transcript] + end
    at = np.searchsorted(turns.end, line_start, side="right")
    found = at < len(turns)
    safe = np.minimum(at, max(len(turns) - 1, 0))
    if len(turns):
        found &= (turns.transcript[safe] == transcript) & (turns.start[safe] < line_end)
    names = turns.speakers
    return [names[turns.speaker[i]] if ok else None for i, ok in zip(safe.tolist(), found.tolist(), strict=True)]


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
    """The codings of `codes` by the selected coders in the selected transcripts, in document order."""
    position = {t.id: i for i, t in enumerate(data.transcripts)}
    rows = data.queries.passages([t.id for t in data.transcripts], list(data.coder_ids), list(codes))
    texts = data.texts()
    transcript = np.array([position[r.transcript_id] for r in rows], dtype=np.int64)
    start = np.array([r.start for r in rows], dtype=np.int64)
    end = np.array([r.end for r in rows], dtype=np.int64)
    speakers = _speakers(data, transcript, start, end)
    quotes = [
        Quote(
            transcript=data.transcripts[t].name,
            speaker=speaker,
            start=r.start,
            end=r.end,
            text=texts[r.transcript_id][r.start : r.end],
            coder=r.coder,
            code=r.code_id,
            memo=r.memo,
            guid=r.guid,
        )
        for r, t, speaker in zip(rows, transcript.tolist(), speakers, strict=True)
    ]
    quotes.sort(key=lambda q: (q.transcript, q.start, q.end, q.coder, q.code))
    return tuple(quotes)
