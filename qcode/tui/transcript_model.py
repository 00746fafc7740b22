"""What the transcript view shows, without any drawing: turns, sentences and highlights.

Pure Python (no Textual), so the view's navigation rules can be tested alone.

- `Turn` is a speaker turn as the view needs it: the label (drawn styled apart) and the speech (body);
  `TurnTable` holds many as columns (arrays), which is how the view keeps them.
- `Highlight` is one coding as drawn: own codings in full colour, other coders' codings muted.
- `HighlightIndex` finds the highlights over any range quickly (an index by fixed-size chunks of
  offsets, independent of the layout width), and steps through the viewer's own highlights in order.
- `TranscriptStructure` answers "which sentence / turn is next" for a caret or a selection; it keeps the
  sentences' bounds as arrays too (a long transcript has a hundred thousand sentences).

Offsets are half-open `[start, end)` code-point indices into the canonical text.
"""

from __future__ import annotations

import bisect
import math
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from qcode.domain.column_rows import ColumnRows
from qcode.domain.models import Span
from qcode.domain.unit_columns import NO_OFFSET, OFFSET_TYPECODE, UnitColumns

_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True, slots=True)
class Turn:
    """A speaker turn: the label `[label_start, label_end)` and the speech `[start, end)`.

    A turn without a label has `label_start == label_end == start`.
    """

    label_start: int
    label_end: int
    start: int
    end: int
    speaker: str = ""
    time: float | None = None  # seconds into the recording (from timestamps or subtitles), if known

    def __post_init__(self) -> None:
        if not 0 <= self.label_start <= self.label_end <= self.start <= self.end:
            raise ValueError(
                f"invalid turn: label [{self.label_start}, {self.label_end}), "
                f"body [{self.start}, {self.end})"
            )

    @property
    def body(self) -> Span:
        """The speech, which is what codings apply to."""
        return Span(self.start, self.end)

    @property
    def label(self) -> Span:
        return Span(self.label_start, self.label_end)


@dataclass(frozen=True, slots=True)
class Highlight:
    """One coding as the view draws it.

    `key` identifies it (a coding GUID); `color` is the code's colour as `#rrggbb`; `marker` is a short
    label for the gutter (the code's hotkey or id; its first character is drawn); `muted` marks another
    coder's coding (read-only, drawn underlined); `owner` is that coder's name (its initial is drawn).
    `suggestion` is "strong" or "weak" for a keyword suggestion (not a coding: drawn italic with a double
    underline, `?` in the gutter), "" for a coding.
    """

    key: str
    start: int
    end: int
    color: str
    marker: str
    muted: bool = False
    owner: str = ""
    suggestion: str = ""

    @property
    def is_own(self) -> bool:
        """The viewer's own coding (not another coder's, not a suggestion)."""
        return not self.muted and not self.suggestion

    def __post_init__(self) -> None:
        if self.suggestion not in ("", "strong", "weak"):
            raise ValueError(f"highlight {self.key!r}: suggestion must be '', 'strong' or 'weak'")
        if not 0 <= self.start <= self.end:
            raise ValueError(f"highlight {self.key!r}: invalid span [{self.start}, {self.end})")
        if not _HEX_COLOR.fullmatch(self.color):
            raise ValueError(f"highlight {self.key!r}: color must be #rrggbb, got {self.color!r}")

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


class Spanned(Protocol):
    """Anything with `start` and `end` offsets (a domain `Span` or `Unit`)."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


class HighlightIndex:
    """Highlights by key, findable by range in time proportional to what is found.

    Each highlight is listed in every chunk of `CHUNK` offsets it touches, so a range query reads only
    the chunks under the range. Application order is remembered (`order`), so painting can let the
    last-applied of two equally long highlights win. Own (not muted) highlights are also kept sorted by
    `(start, end)` for next/previous navigation.
    """

    CHUNK = 128

    def __init__(self, highlights: Iterable[Highlight] = ()) -> None:
        self._by_key: dict[str, Highlight] = {}
        self._order: dict[str, int] = {}
        # Per chunk, `(order, highlight)` entries in application order (one tuple per highlight, shared by
        # its chunks); lists: a chunk holds a few entries, a set would take 200+ bytes.
        self._chunks: dict[int, list[tuple[int, Highlight]]] = {}
        self._own_sorted: list[tuple[int, int, int, str]] = []  # (start, end, order, key); orders are unique
        self._counter = 0
        for highlight in highlights:
            self.add(highlight)

    def __len__(self) -> int:
        return len(self._by_key)

    def __iter__(self) -> Iterator[Highlight]:
        return iter(self._by_key.values())

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def get(self, key: str) -> Highlight | None:
        return self._by_key.get(key)

    def order(self, highlight: Highlight) -> int:
        """Application order of a highlight in the index (higher = applied later)."""
        return self._order[highlight.key]

    def add(self, highlight: Highlight) -> Highlight | None:
        """Add a highlight, replacing (and returning) any with the same key."""
        replaced = self.remove(highlight.key)
        self._counter += 1
        order = self._counter
        self._by_key[highlight.key] = highlight
        self._order[highlight.key] = order
        entry = (order, highlight)
        for chunk in self._chunk_range(highlight.start, highlight.end):
            self._chunks.setdefault(chunk, []).append(entry)  # `remove` above: never twice; orders ascend
        if highlight.is_own:
            bisect.insort(self._own_sorted, (highlight.start, highlight.end, order, highlight.key))
        return replaced

    def remove(self, key: str) -> Highlight | None:
        """Remove the highlight with `key`; return it, or None if there was none."""
        highlight = self._by_key.pop(key, None)
        if highlight is None:
            return None
        order = self._order.pop(key)
        entry = (order, highlight)
        for chunk in self._chunk_range(highlight.start, highlight.end):
            entries = self._chunks[chunk]
            entries.remove(entry)  # found by its order, unique: tuples compare their first items first
            if not entries:
                del self._chunks[chunk]
        if highlight.is_own:
            sorted_entry = (highlight.start, highlight.end, order, key)
            del self._own_sorted[bisect.bisect_left(self._own_sorted, sorted_entry)]
        return highlight

    def overlapping(self, start: int, end: int) -> list[Highlight]:
        """Highlights sharing at least one offset with `[start, end)`, in application order.

        An empty range `[o, o)` finds the highlights containing `o`.
        """
        end = max(end, start + 1)
        chunks = self._chunk_range(start, end)
        if len(chunks) == 1:  # most rows and carets: one chunk's entries, already in application order
            entries = self._chunks.get(chunks[0], ())
        else:
            found: dict[int, Highlight] = {}
            for chunk in chunks:
                found.update(self._chunks.get(chunk, ()))
            entries = sorted(found.items())
        return [h for _order, h in entries if h.start < end and start < h.end]

    def at(self, offset: int) -> list[Highlight]:
        """Highlights containing `offset`, in application order."""
        return self.overlapping(offset, offset + 1)

    def has_own_within(self, start: int, end: int) -> bool:
        """Whether any own (not muted) highlight overlaps `[start, end)`."""
        return any(h.is_own for h in self.overlapping(start, end)) if end > start else False

    def next_own(self, start: int, end: int) -> Highlight | None:
        """The first own highlight ordered after `(start, end)` by `(start, end)`."""
        index = bisect.bisect_right(self._own_sorted, (start, end, self._counter + 1))
        if index == len(self._own_sorted):
            return None
        return self._by_key[self._own_sorted[index][3]]

    def previous_own(self, start: int, end: int) -> Highlight | None:
        """The last own highlight ordered before `(start, end)` by `(start, end)`."""
        index = bisect.bisect_left(self._own_sorted, (start, end, -1)) - 1
        if index < 0:
            return None
        return self._by_key[self._own_sorted[index][3]]

    def _chunk_range(self, start: int, end: int) -> range:
        size = self.CHUNK
        return range(start // size, max(start, end - 1) // size + 1)


class TurnTable(ColumnRows[Turn]):
    """Speaker turns as columns of C ints, read as `Turn`s made on access (a 1.5 M-character transcript
    has about 28,000 turns: as objects they took ten times the memory).

    `speakers` may hold None for "" (as `UnitColumns` does); `times` holds NaN for a turn without a time.
    Validated like `Turn`: ValueError for a turn whose label and speech are out of order.
    """

    __slots__ = ("ends", "label_ends", "label_starts", "speakers", "starts", "times")

    def __init__(self, label_starts: array[int], label_ends: array[int], starts: array[int], ends: array[int],
                 speakers: Sequence[str | None], times: array[float]) -> None:
        if not len(label_starts) == len(label_ends) == len(starts) == len(ends) == len(speakers) == len(times):
            raise ValueError("turn columns of different lengths")
        for label_start, label_end, start, end in zip(label_starts, label_ends, starts, ends):
            if not 0 <= label_start <= label_end <= start <= end:
                raise ValueError(f"invalid turn: label [{label_start}, {label_end}), body [{start}, {end})")
        self.label_starts = label_starts
        self.label_ends = label_ends
        self.starts = starts
        self.ends = ends
        self.speakers = speakers
        self.times = times

    @classmethod
    def of(cls, turns: Iterable[Turn]) -> TurnTable:
        """The table of `turns` (itself if it is one)."""
        if isinstance(turns, TurnTable):
            return turns
        turns = list(turns)
        return cls(
            array(OFFSET_TYPECODE, [t.label_start for t in turns]), array(OFFSET_TYPECODE, [t.label_end for t in turns]),
            array(OFFSET_TYPECODE, [t.start for t in turns]), array(OFFSET_TYPECODE, [t.end for t in turns]),
            [t.speaker for t in turns], array("d", [math.nan if t.time is None else t.time for t in turns]),
        )

    @classmethod
    def of_units(cls, units: UnitColumns) -> TurnTable:
        """The turns of stored units (`UnitColumns` of turns); a turn without a label gets an empty one at the
        start of its speech."""
        def or_start(labels: array[int]) -> array[int]:
            if NO_OFFSET not in labels:
                return labels
            return array(OFFSET_TYPECODE, (start if label == NO_OFFSET else label
                                           for label, start in zip(labels, units.starts)))

        return cls(or_start(units.label_starts), or_start(units.label_ends), units.starts, units.ends,
                   units.speakers, units.times)

    def __len__(self) -> int:
        return len(self.starts)

    def _row(self, index: int) -> Turn:
        return Turn(self.label_starts[index], self.label_ends[index], self.starts[index], self.ends[index],
                    self.speakers[index] or "", self.time(index))

    def __iter__(self) -> Iterator[Turn]:
        return (self[index] for index in range(len(self)))

    def label(self, index: int) -> tuple[int, int]:
        """`(label_start, label_end)` of turn `index`, without making a `Turn`."""
        return self.label_starts[index], self.label_ends[index]

    def time(self, index: int) -> float | None:
        time = self.times[index]
        return None if math.isnan(time) else time

    def times_by_label_start(self) -> dict[int, float]:
        """Where each turn with a time starts -> its time."""
        return {label_start: time for label_start, time in zip(self.label_starts, self.times) if not math.isnan(time)}


class TranscriptStructure:
    """Turns and sentences of one transcript, with the look-ups that navigation needs.

    Validates its input: turns and sentences must lie inside the text, in order, without overlaps.
    """

    def __init__(self, text_length: int, turns: Sequence[Turn], sentences: Sequence[Spanned]) -> None:
        """`turns` may be a `TurnTable` and `sentences` `UnitColumns` (kept as they are, not copied)."""
        table = TurnTable.of(turns)
        previous_end = 0
        for number, (label_start, end) in enumerate(zip(table.label_starts, table.ends)):
            if label_start < previous_end or end > text_length:
                raise ValueError(
                    f"turn {number} [{label_start}, {end}) overlaps the previous turn "
                    f"or lies outside the text (length {text_length})"
                )
            previous_end = end
        if isinstance(sentences, UnitColumns):
            sentence_starts, sentence_ends = sentences.starts, sentences.ends
        else:
            sentence_starts = array(OFFSET_TYPECODE, [sentence.start for sentence in sentences])
            sentence_ends = array(OFFSET_TYPECODE, [sentence.end for sentence in sentences])
        previous_end = 0
        for number, (start, end) in enumerate(zip(sentence_starts, sentence_ends)):
            if not previous_end <= start <= end <= text_length:
                raise ValueError(
                    f"sentence {number} [{start}, {end}) is out of order, overlaps the previous "
                    f"sentence or lies outside the text (length {text_length})"
                )
            previous_end = end
        self.text_length = text_length
        self.turns = table
        self._label_starts = table.label_starts
        self._turn_starts = table.starts
        self._turn_ends = table.ends
        self._sentence_starts = sentence_starts
        self._sentence_ends = sentence_ends

    @property
    def sentence_count(self) -> int:
        return len(self._sentence_starts)

    def sentence(self, index: int) -> Span:
        return Span(self._sentence_starts[index], self._sentence_ends[index])

    def first_sentence(self) -> Span | None:
        return self.sentence(0) if self._sentence_starts else None

    # -- sentences ------------------------------------------------------------------------------------

    def sentence_starting_at_or_after(self, offset: int) -> Span | None:
        """The first sentence whose start is at or after `offset`."""
        index = bisect.bisect_left(self._sentence_starts, offset)
        return self.sentence(index) if index < self.sentence_count else None

    def sentence_ending_at_or_before(self, offset: int) -> Span | None:
        """The last sentence whose end is at or before `offset`."""
        index = bisect.bisect_right(self._sentence_ends, offset) - 1
        return self.sentence(index) if index >= 0 else None

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence containing `offset`, else the one ending exactly at `offset`, else None."""
        index = bisect.bisect_right(self._sentence_starts, offset) - 1
        if index >= 0 and offset <= self._sentence_ends[index]:
            return self.sentence(index)
        return None

    def sentence_end_after(self, offset: int) -> int | None:
        """The first sentence end strictly after `offset`."""
        index = bisect.bisect_right(self._sentence_ends, offset)
        return self._sentence_ends[index] if index < self.sentence_count else None

    def sentence_start_before(self, offset: int) -> int | None:
        """The last sentence start strictly before `offset`."""
        index = bisect.bisect_left(self._sentence_starts, offset) - 1
        return self._sentence_starts[index] if index >= 0 else None

    # -- turns ----------------------------------------------------------------------------------------

    def turn_index_at(self, offset: int) -> int | None:
        """Index of the turn whose label or body contains `offset` (a body's end counts as inside)."""
        index = bisect.bisect_right(self._label_starts, offset) - 1
        if index >= 0 and offset <= self._turn_ends[index]:
            return index
        return None

    def turn_body_starting_at_or_after(self, offset: int) -> int | None:
        """Index of the first turn whose body starts at or after `offset`."""
        index = bisect.bisect_left(self._turn_starts, offset)
        return index if index < len(self.turns) else None

    def turn_body_ending_at_or_before(self, offset: int) -> int | None:
        """Index of the last turn whose body ends at or before `offset`."""
        index = bisect.bisect_right(self._turn_ends, offset) - 1
        return index if index >= 0 else None

    def turn_end_after(self, offset: int) -> int | None:
        """The first turn-body end strictly after `offset`."""
        index = bisect.bisect_right(self._turn_ends, offset)
        return self._turn_ends[index] if index < len(self.turns) else None

    def turn_start_before(self, offset: int) -> int | None:
        """The last turn-body start strictly before `offset`."""
        index = bisect.bisect_left(self._turn_starts, offset) - 1
        return self._turn_starts[index] if index >= 0 else None

    def turn_index_after(self, offset: int) -> int:
        """Index of the first turn whose label starts after `offset` (may equal the turn count)."""
        return bisect.bisect_right(self._label_starts, offset)
