"""The transcript view's model: turns, highlights and their index, sentence/turn look-ups."""

from __future__ import annotations

import random

import pytest

from qcode.domain.models import Span, Unit, UnitKind
from qcode.tui.transcript_model import Highlight, HighlightIndex, TranscriptStructure, Turn


def own(key: str, start: int, end: int, color: str = "#ff0000") -> Highlight:
    return Highlight(key, start, end, color, key[0])


def muted(key: str, start: int, end: int, owner: str = "li") -> Highlight:
    return Highlight(key, start, end, "#00ff00", key[0], muted=True, owner=owner)


# -- validation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments", [(5, 4, 6, 7), (0, 3, 2, 5), (0, 1, 3, 2), (-1, 0, 0, 1)]
)
def test_a_turn_must_be_ordered_label_then_body(arguments: tuple[int, int, int, int]) -> None:
    with pytest.raises(ValueError, match="invalid turn"):
        Turn(*arguments)


def test_a_turn_without_a_label_has_an_empty_label() -> None:
    turn = Turn(4, 4, 4, 9)
    assert turn.label == Span(4, 4) and turn.body == Span(4, 9)


@pytest.mark.parametrize(
    ("start", "end", "color", "message"),
    [(3, 2, "#ffffff", "invalid span"), (0, 2, "red", "#rrggbb"), (0, 2, "#fff", "#rrggbb")],
)
def test_highlight_validation(start: int, end: int, color: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Highlight("k", start, end, color, "a")


def test_structure_rejects_overlapping_turns_and_unordered_sentences() -> None:
    with pytest.raises(ValueError, match="turn 1"):
        TranscriptStructure(20, [Turn(0, 2, 2, 10), Turn(8, 9, 9, 12)], [])
    with pytest.raises(ValueError, match="outside the text"):
        TranscriptStructure(5, [Turn(0, 2, 2, 10)], [])
    with pytest.raises(ValueError, match="sentence 1"):
        TranscriptStructure(20, [], [Span(5, 8), Span(2, 4)])


# -- highlight index --------------------------------------------------------------------------------


def test_overlapping_finds_highlights_across_chunk_boundaries() -> None:
    index = HighlightIndex([own("a", 100, 300), own("b", 127, 129), own("c", 500, 501)])
    assert [h.key for h in index.overlapping(128, 129)] == ["a", "b"]
    assert [h.key for h in index.overlapping(0, 100)] == []
    assert [h.key for h in index.overlapping(299, 600)] == ["a", "c"]
    assert [h.key for h in index.at(500)] == ["c"]
    assert index.at(501) == []


def test_overlapping_matches_a_brute_force_scan() -> None:
    rnd = random.Random(3)
    highlights = []
    for number in range(300):
        start = rnd.randrange(5000)
        highlights.append(own(f"h{number}", start, start + rnd.randrange(1, 700)))
    index = HighlightIndex(highlights)
    for _ in range(200):
        start = rnd.randrange(5000)
        end = start + rnd.randrange(0, 200)
        expected = [h.key for h in highlights if h.start < max(end, start + 1) and start < h.end]
        assert [h.key for h in index.overlapping(start, end)] == expected


def test_adding_a_key_again_replaces_and_reorders() -> None:
    index = HighlightIndex([own("a", 0, 10), own("b", 5, 15)])
    replaced = index.add(own("a", 20, 30))
    assert replaced == own("a", 0, 10)
    assert len(index) == 2
    assert index.at(2) == []
    assert index.order(index.get("a")) > index.order(index.get("b"))


def test_remove_forgets_a_highlight_everywhere() -> None:
    index = HighlightIndex([own("a", 0, 400), own("b", 10, 20)])
    assert index.remove("a") == own("a", 0, 400)
    assert index.remove("a") is None
    assert [h.key for h in index.overlapping(0, 400)] == ["b"]
    assert index.next_own(0, 0) == own("b", 10, 20)
    assert "a" not in index


def test_next_and_previous_own_follow_start_then_end_and_skip_muted() -> None:
    index = HighlightIndex(
        [own("x", 10, 30), own("y", 10, 20), muted("m", 15, 16), own("z", 40, 45)]
    )
    assert index.next_own(0, 0).key == "y"
    assert index.next_own(10, 20).key == "x"
    assert index.next_own(10, 30).key == "z"
    assert index.next_own(40, 45) is None
    assert index.previous_own(40, 45).key == "x"
    assert index.previous_own(10, 30).key == "y"
    assert index.previous_own(10, 20) is None
    assert index.next_own(10, 10).key == "y"  # a caret at a highlight's start: that highlight


def test_has_own_within_ignores_muted_highlights() -> None:
    index = HighlightIndex([muted("m", 0, 50), own("a", 60, 70)])
    assert not index.has_own_within(0, 50)
    assert index.has_own_within(65, 100)
    assert not index.has_own_within(70, 100)
    assert not index.has_own_within(65, 65)


# -- structure look-ups -----------------------------------------------------------------------------

TURNS = [Turn(0, 3, 3, 20, "问"), Turn(22, 25, 25, 40, "答"), Turn(42, 42, 42, 42), Turn(44, 46, 46, 60)]
SENTENCES = [Span(3, 10), Span(10, 20), Span(25, 33), Span(33, 40), Span(46, 60)]


@pytest.fixture
def structure() -> TranscriptStructure:
    return TranscriptStructure(60, TURNS, SENTENCES)


def test_sentence_lookups(structure: TranscriptStructure) -> None:
    assert structure.sentence_starting_at_or_after(10) == Span(10, 20)
    assert structure.sentence_starting_at_or_after(11) == Span(25, 33)
    assert structure.sentence_starting_at_or_after(47) is None
    assert structure.sentence_ending_at_or_before(33) == Span(25, 33)
    assert structure.sentence_ending_at_or_before(9) is None
    assert structure.sentence_at(12) == Span(10, 20)
    assert structure.sentence_at(20) == Span(10, 20)  # caret just after a sentence
    assert structure.sentence_at(21) is None
    assert structure.sentence_at(0) is None
    assert structure.sentence_end_after(10) == 20
    assert structure.sentence_start_before(10) == 3


def test_turn_lookups(structure: TranscriptStructure) -> None:
    assert structure.turn_index_at(1) == 0  # in the label
    assert structure.turn_index_at(20) == 0
    assert structure.turn_index_at(21) is None
    assert structure.turn_body_starting_at_or_after(21) == 1
    assert structure.turn_body_ending_at_or_before(41) == 1
    assert structure.turn_end_after(20) == 40
    assert structure.turn_start_before(25) == 3
    assert structure.turn_index_after(30) == 2


def test_sentences_may_be_domain_units() -> None:
    units = [Unit(UnitKind.SENTENCE, 0, 3, 10, "问", 0), Unit(UnitKind.SENTENCE, 1, 10, 20, "问", 0)]
    structure = TranscriptStructure(60, TURNS, units)
    assert structure.sentence_at(15) == Span(10, 20)
