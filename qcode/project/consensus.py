"""The team's consensus coding: the codings of the reserved coder `consensus`, read and changed per passage.

The consensus of a passage [start, end) is the set of codes of consensus codings that apply to it by the
unit rule (they overlap one of its content characters, see `qcode.domain.unit_rule`). Setting it makes
that set exactly the codes given, in one transaction journalled under the coder `consensus`, so a
single undo (`CodingSession(store, CONSENSUS_CODER).undo()`) reverts the whole change:

- a code that is wanted and does not apply yet gets a consensus coding on exactly [start, end);
- a code that applies and is not wanted loses its consensus codings that lie inside [start, end). One
  that reaches beyond the passage is left alone (removing it would change other passages) and reported.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from qcode.domain.models import CONSENSUS_CODER, Coding, TranscriptInfo
from qcode.domain.unit_rule import is_content_character
from qcode.errors import InputError
from qcode.i18n import _
from qcode.storage import Store
from qcode.storage.clock import utc_now


@dataclass(frozen=True)
class ConsensusChange:
    """What one consensus change did."""

    transcript: str
    start: int
    end: int
    added: list[Coding] = field(default_factory=list)
    removed: list[Coding] = field(default_factory=list)
    beyond: list[Coding] = field(default_factory=list)  # unwanted, but reaching outside the passage: kept

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)

    def describe(self) -> str:
        parts = []
        if self.added:
            parts.append(_("added {codes}").format(codes=", ".join(c.code for c in self.added)))
        if self.removed:
            parts.append(_("removed {codes}").format(codes=", ".join(c.code for c in self.removed)))
        text = "; ".join(parts) or _("no change")
        if self.beyond:
            text += _("; kept (the coding reaches beyond this passage): {codings}").format(
                codings=", ".join(f"{c.code} {c.start}-{c.end}" for c in self.beyond))
        return _("consensus {transcript} {start}-{end}: {change}").format(
            transcript=self.transcript, start=self.start, end=self.end, change=text)


def _applies(text: str, coding: Coding, start: int, end: int) -> bool:
    """Whether `coding` overlaps a content character of [start, end) (the unit rule)."""
    return any(is_content_character(ch) for ch in text[max(start, coding.start):min(end, coding.end)])


def consensus_codings(store: Store, transcripts: Sequence[TranscriptInfo] | None = None,
                      codes: Sequence[str] | None = None) -> list[Coding]:
    """Every consensus coding, in transcript and document order, optionally of some transcripts or codes."""
    chosen = list(transcripts) if transcripts is not None else store.transcripts.all()
    wanted = None if codes is None else set(codes)
    return [c for t in sorted(chosen, key=lambda t: t.name)
            for c in store.codings.for_transcript(t.id, CONSENSUS_CODER)
            if wanted is None or c.code in wanted]


def consensus_at(store: Store, transcript: TranscriptInfo, start: int, end: int) -> list[Coding]:
    """The consensus codings that apply to [start, end)."""
    text = store.transcripts.text(transcript.id)
    return [c for c in store.codings.for_transcript(transcript.id, CONSENSUS_CODER)
            if c.start < end and start < c.end and _applies(text, c, start, end)]


def consensus_codes(store: Store, transcript: TranscriptInfo, start: int, end: int) -> set[str]:
    """The codes the team agreed on for [start, end)."""
    return {c.code for c in consensus_at(store, transcript, start, end)}


def set_consensus(store: Store, transcript: TranscriptInfo, start: int, end: int, codes: Sequence[str], *,
                  source: str = "cli") -> ConsensusChange:
    """Make the consensus of [start, end) exactly `codes` (see the module docstring); one undoable change."""
    _check(store, transcript, start, end, codes)
    wanted = list(dict.fromkeys(codes))
    present = consensus_at(store, transcript, start, end)
    present_codes = {c.code for c in present}
    now = utc_now()
    added = [Coding(str(uuid.uuid4()), CONSENSUS_CODER, transcript.name, code, start, end, "", now, now)
             for code in wanted if code not in present_codes
             and store.codings.find(CONSENSUS_CODER, transcript.id, code, start, end) is None]
    unwanted = [c for c in present if c.code not in wanted]
    removed = [c for c in unwanted if start <= c.start and c.end <= end]
    beyond = [c for c in unwanted if c not in removed]
    change = ConsensusChange(transcript.name, start, end, added, removed, beyond)
    if change.changed:
        with store.transaction(CONSENSUS_CODER, source) as tx:
            for coding in removed:
                store.codings.delete(tx, coding.guid)
            for coding in added:
                store.codings.insert(tx, coding, transcript.id)
    return change


def clear_consensus(store: Store, transcript: TranscriptInfo, start: int | None = None, end: int | None = None, *,
                    codes: Sequence[str] | None = None, source: str = "cli") -> ConsensusChange:
    """Remove the consensus codings inside [start, end) (default: the whole transcript), or only of `codes`."""
    start = 0 if start is None else start
    end = transcript.characters if end is None else end
    _check(store, transcript, start, end, codes or ())
    present = consensus_at(store, transcript, start, end)
    keep = [c.code for c in present if codes is not None and c.code not in codes]
    return set_consensus(store, transcript, start, end, keep, source=source)


def _check(store: Store, transcript: TranscriptInfo, start: int, end: int, codes: Sequence[str]) -> None:
    if not (0 <= start < end <= transcript.characters):
        raise InputError(_("[{start}, {end}) is not a non-empty passage inside '{transcript}' (0-{characters})").format(
            start=start, end=end, transcript=transcript.name, characters=transcript.characters))
    for code in codes:
        codable = store.codes.codable(code)
        if codable is None:
            raise InputError(_("unknown code '{code}'").format(code=code))
        if not codable:
            raise InputError(_("'{code}' is a group that organises codes; it cannot be applied").format(code=code))


def consensus_for_passages(store: Store, passages: Sequence[tuple[str, int, int]]) -> list[set[str]]:
    """The consensus codes of many (transcript name, start, end) passages, reading each transcript once."""
    codings: dict[str, tuple[str, list[Coding]]] = {}
    found = []
    for name, start, end in passages:
        if name not in codings:
            info = store.transcripts.by_name(name)
            codings[name] = ("", []) if info is None else (
                store.transcripts.text(info.id), store.codings.for_transcript(info.id, CONSENSUS_CODER))
        text, mine = codings[name]
        found.append({c.code for c in mine if c.start < end and start < c.end and _applies(text, c, start, end)})
    return found
