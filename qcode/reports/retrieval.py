"""All passages of a code across transcripts, with context, turn, coder, memo and star (the retrieval view).

A passage is tagged with its transcript and turn the way theses cite statements: `A01-12` is turn 12 of
the transcript whose name starts `A01-` (the short name is used when no other transcript shares it).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from qcode.domain.codebook import Codebook
from qcode.domain.models import Coding, UnitKind
from qcode.errors import InputError
from qcode.storage import Store
from qcode.i18n import _


@dataclass(frozen=True, slots=True)
class Passage:
    coding: Coding
    text: str
    before: str  # context before the passage, on its line
    after: str
    turn: int | None  # 1-based turn number; None outside every turn
    speaker: str | None
    tag: str  # e.g. A01-12
    starred: bool
    time: float | None = None  # the turn's time in the recording, when the transcript gives one


def short_names(names: list[str]) -> dict[str, str]:
    """Each transcript's short name for tags: the part before the first '-' when that is unique."""
    prefixes = [name.split("-", 1)[0] for name in names]
    return {name: (p if prefixes.count(p) == 1 and p else name) for name, p in zip(names, prefixes)}


def _turns(store: Store, transcript_id: int) -> tuple[list[int], list]:
    turns = store.transcripts.units(transcript_id, UnitKind.TURN)
    return [t.end for t in turns], turns


def passages(store: Store, book: Codebook, code_id: str, *, children: bool = False, context: int = 40,
             coder: str | None = None) -> list[Passage]:
    """The codings of `code_id` (and with `children` of its subtree), in transcript and text order."""
    if code_id not in book:
        raise InputError(_("no code '{code}' in the codebook; see `qcode codebook show`").format(code=code_id))
    wanted = set(book.subtree(code_id)) if children else {code_id}
    return passages_of(store, [c for c in store.codings.all() if c.code in wanted
                               and (coder is None or c.coder == coder)], context=context)


def passages_of(store: Store, codings: list[Coding], *, context: int = 40) -> list[Passage]:
    infos = {t.name: t for t in store.transcripts.all()}
    tags = short_names(sorted(infos))
    starred = store.relations.starred()
    texts: dict[str, str] = {}
    turn_cache: dict[str, tuple[list[int], list]] = {}
    found = []
    for coding in sorted(codings, key=lambda c: (c.transcript, c.start, c.end, c.coder, c.code)):
        info = infos[coding.transcript]
        if coding.transcript not in texts:
            texts[coding.transcript] = store.transcripts.text(info.id)
            turn_cache[coding.transcript] = _turns(store, info.id)
        text = texts[coding.transcript]
        ends, turns = turn_cache[coding.transcript]
        at = bisect_right(ends, coding.start)
        turn = turns[at] if at < len(turns) and turns[at].start < coding.end else None
        number = turn.index + 1 if turn is not None else None
        line_start = max(text.rfind("\n", 0, coding.start) + 1, coding.start - context)
        line_end = text.find("\n", coding.end)
        line_end = min(len(text) if line_end < 0 else line_end, coding.end + context)
        found.append(Passage(coding, text[coding.start:coding.end], text[line_start:coding.start],
                             text[coding.end:line_end], number, turn.speaker if turn else None,
                             f"{tags[coding.transcript]}-{number}" if number else tags[coding.transcript],
                             coding.guid in starred, turn.time if turn is not None else None))
    return found
