"""Converting positions counted by other programs into canonical code points, and telling how they counted.

Every expected number here is counted by hand from the text shown beside it.
"""

from __future__ import annotations

import pytest

from qcode.interop.positions import (
    Counting,
    Selection,
    SourceText,
    detect_counting,
    name_matches,
)

# Written text: "a" "😀" "b" CR LF "𠮷" "c"
#   code points:      a=0 😀=1 b=2 CR=3 LF=4 𠮷=5 c=6            (7 in all)
#   UTF-16 units:     a=0 😀=1,2 b=3 CR=4 LF=5 𠮷=6,7 c=8          (9 in all)
#   canonical (LF):   a=0 😀=1 b=2 LF=3 𠮷=4 c=5                   (6 in all)
WRITTEN = "a\U0001F600b\r\n\U00020BB7c"


@pytest.fixture
def text() -> SourceText:
    return SourceText(WRITTEN)


def test_canonical_text_has_lf_line_breaks(text):
    assert text.canonical == "a\U0001F600b\n\U00020BB7c"
    assert text.countings() == (Counting.CODE_POINTS, Counting.UTF16, Counting.CODE_POINTS_LF, Counting.UTF16_LF)


@pytest.mark.parametrize("position,expected", [(0, 0), (2, 2), (3, 3), (5, 4), (6, 5), (7, 6), (8, None)])
def test_code_points_over_the_written_text_shift_after_each_crlf(text, position, expected):
    assert text.to_canonical(position, Counting.CODE_POINTS, is_end=False) == expected


@pytest.mark.parametrize("position,expected", [(0, 0), (1, 1), (3, 2), (4, 3), (6, 4), (8, 5), (9, 6), (10, None)])
def test_utf16_units_count_astral_characters_twice_and_crlf_twice(text, position, expected):
    assert text.to_canonical(position, Counting.UTF16, is_end=False) == expected


@pytest.mark.parametrize("position,expected", [(0, 0), (3, 2), (4, 3), (5, 4), (7, 5), (8, 6), (9, None)])
def test_utf16_units_over_lf_text(text, position, expected):
    # canonical in UTF-16 units: a=0 😀=1,2 b=3 LF=4 𠮷=5,6 c=7 (8 in all)
    assert text.to_canonical(position, Counting.UTF16_LF, is_end=False) == expected


def test_code_points_over_lf_text_are_already_canonical(text):
    assert [text.to_canonical(p, Counting.CODE_POINTS_LF, is_end=True) for p in range(7)] == list(range(7))
    assert text.to_canonical(7, Counting.CODE_POINTS_LF, is_end=True) is None


def test_a_position_inside_a_surrogate_pair_moves_outwards(text):
    # unit 2 is the second half of 😀: a start keeps the emoji, an end includes it
    assert text.to_canonical(2, Counting.UTF16, is_end=False) == 1
    assert text.to_canonical(2, Counting.UTF16, is_end=True) == 2


def test_a_position_between_cr_and_lf_leaves_the_line_break_out(text):
    # written position 4 is between CR (3) and LF (4); the canonical \n is at 3
    assert text.to_canonical(4, Counting.CODE_POINTS, is_end=False) == 4
    assert text.to_canonical(4, Counting.CODE_POINTS, is_end=True) == 3


def test_negative_positions_are_outside():
    assert SourceText("abc").to_canonical(-1, Counting.CODE_POINTS, is_end=False) is None


def test_names_match_excerpts_ignoring_white_space_and_ellipses():
    assert name_matches("the cost  was", "the cost\nwas")
    assert name_matches("the cost…", "the cost was the main barrier")
    assert not name_matches("th…", "the cost")  # too short a prefix to mean anything
    assert not name_matches("", "anything")


def _lines(n: int, emoji_every: int) -> str:
    return "".join(f"Speaker {i % 2 + 1}: answer {i} {'😀' if i % emoji_every == 0 else ''} words here.\r\n"
                   for i in range(n))


def _line_selections(written: str, counting: Counting, named: bool) -> list[Selection]:
    """One selection per line (without its line break), positions counted the given way."""
    source = SourceText(written)
    selections, position = [], 0
    for line in written.split("\r\n")[:-1]:
        start, end = position, position + len(line)
        position = end + 2

        def count(p: int) -> int:
            prefix = written[:p]
            if counting in (Counting.UTF16, Counting.UTF16_LF):
                prefix_units = len(prefix.encode("utf-16-le")) // 2
                return prefix_units - (prefix.count("\r\n") if counting is Counting.UTF16_LF else 0)
            return len(prefix) - (prefix.count("\r\n") if counting is Counting.CODE_POINTS_LF else 0)

        selections.append(Selection(source, count(start), count(end), line if named else ""))
    return selections


@pytest.mark.parametrize("counting", list(Counting))
def test_detection_from_selection_names(counting):
    selections = _line_selections(_lines(12, 3), counting, named=True)
    decision = detect_counting(selections)
    assert decision.counting is counting
    for selection in selections:
        start = selection.text.to_canonical(selection.start, decision.counting, is_end=False)
        end = selection.text.to_canonical(selection.end, decision.counting, is_end=True)
        assert selection.text.canonical[start:end] == selection.name


@pytest.mark.parametrize("counting", list(Counting))
def test_detection_from_boundaries_when_names_are_empty(counting):
    # Ten lines without emoji at the end keep every convention inside the text: only boundaries can tell.
    written = _lines(12, 3) + "".join(f"Speaker 1: plain answer {i} more words.\r\n" for i in range(10))
    decision = detect_counting(_line_selections(written, counting, named=False))
    assert decision.counting is counting, decision.reason


def test_positions_that_fit_only_one_way_decide():
    written = "ab\U0001F600\U0001F600"  # 4 code points, 6 UTF-16 units
    decision = detect_counting([Selection(SourceText(written), 0, 6, "")])
    assert decision.counting is Counting.UTF16
    assert "fit" in decision.reason


def test_plain_text_needs_no_decision():
    decision = detect_counting([Selection(SourceText("plain ascii\n"), 0, 5, "")])
    assert decision.counting is Counting.CODE_POINTS
    assert "same positions" in decision.reason


def test_without_evidence_the_standard_wins_unless_the_file_comes_from_nvivo():
    # One selection before the emoji: every convention gives the same span, so nothing tells them apart.
    text = SourceText("hello world \U0001F600 end")
    selections = [Selection(text, 0, 5, "")]
    assert detect_counting(selections).counting is Counting.CODE_POINTS
    assert detect_counting(selections, origin="NVivo for Windows 12.6").counting is Counting.UTF16
