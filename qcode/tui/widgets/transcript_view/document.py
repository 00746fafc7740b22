"""The transcript as the view holds it: text, structure, display blocks, turn times and highlights."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qcode.tui.text_layout import Blocks, display_blocks
from qcode.tui.transcript_model import (
    Highlight,
    HighlightIndex,
    Spanned,
    TranscriptStructure,
    Turn,
)


def within_text(highlights: Iterable[Highlight], length: int) -> list[Highlight]:
    """The highlights as a list; ValueError if one lies outside a text of `length` code points."""
    checked = list(highlights)
    for highlight in checked:
        if highlight.end > length:
            raise ValueError(
                f"highlight {highlight.key!r} [{highlight.start}, {highlight.end}) lies outside "
                f"the text (length {length})"
            )
    return checked


@dataclass(slots=True)
class Document:
    """One transcript shown: everything but the layout (which depends on the width) and the selection."""

    text: str
    structure: TranscriptStructure
    blocks: Blocks
    turn_times: dict[int, float]
    """Where a turn's first row starts -> its time in the recording, drawn in the margin of that row."""
    highlights: HighlightIndex

    @classmethod
    def build(
        cls,
        text: str,
        turns: Sequence[Turn],
        sentences: Sequence[Spanned],
        highlights: Iterable[Highlight],
    ) -> Document:
        """Validate and index a transcript (ValueError for turns, sentences or highlights out of place).

        Long transcripts: pass the turns as a `TurnTable` and the sentences as `UnitColumns`; they are kept
        as they are (columns of C ints), where lists of objects would take ten times the memory."""
        structure = TranscriptStructure(len(text), turns, sentences)
        index = HighlightIndex(within_text(highlights, len(text)))
        turn_times = structure.turns.times_by_label_start()
        return cls(text, structure, display_blocks(text, structure.turns), turn_times, index)

    def set_highlights(self, highlights: Iterable[Highlight]) -> None:
        """Replace all highlights (ValueError, and nothing changed, if one lies outside the text)."""
        self.highlights = HighlightIndex(within_text(highlights, len(self.text)))
