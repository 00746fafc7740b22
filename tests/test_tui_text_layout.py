"""Layout of transcript text in terminal cells: widths, wrapping, offset <-> cell mapping, carets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len, split_graphemes

from qcode.tui.text_layout import Block, TextLayout, cell_width, display_blocks
from qcode.tui.transcript_model import Turn, TurnTable

REPO_ROOT = Path(__file__).resolve().parent.parent


def layout_of(text: str, width: int, **options) -> TextLayout:
    """A layout of `text` as one block."""
    return TextLayout(text, [Block(0, len(text), True)], width, **options)


def rows_text(layout: TextLayout) -> list[str]:
    return [layout.text[slice(*layout.row_span(row))] for row in range(layout.row_count)]


# -- widths -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("character", "narrow", "wide"),
    [
        ("受", 2, 2),
        ("。", 2, 2),
        ("Ａ", 2, 2),
        ("𠮷", 2, 2),
        ("👍", 2, 2),
        ("A", 1, 1),
        (":", 1, 1),
        ("“", 1, 2),
        ("…", 1, 2),
        ("—", 1, 2),
        ("·", 1, 2),
        ("\u0301", 0, 0),
        ("\t", 0, 0),
        ("\n", 0, 0),
        ("\x0c", 1, 1),
    ],
)
def test_cell_width_follows_rich_with_local_rules(character: str, narrow: int, wide: int) -> None:
    assert cell_width(character) == narrow
    assert cell_width(character, ambiguous_wide=True) == wide


def test_mixed_line_measures_like_the_reference_example() -> None:
    text = "受访者A：我觉得“一网通办”很方便……👍"
    layout = layout_of(text, 80)
    assert len(text) == 20
    assert layout.row_cells(0) == 35 == cell_len(text)


# -- wrapping ---------------------------------------------------------------------------------------


def test_chinese_wraps_by_cells_and_never_halves_a_wide_character() -> None:
    layout = layout_of("受访者我觉得很方便", 5)
    assert rows_text(layout) == ["受访", "者我", "觉得", "很方", "便"]
    assert all(layout.row_cells(row) <= 5 for row in range(layout.row_count))


def test_latin_words_are_kept_whole() -> None:
    layout = layout_of("hello world again", 8)
    assert rows_text(layout) == ["hello ", "world ", "again"]


def test_a_word_longer_than_the_row_is_broken() -> None:
    layout = layout_of("abcdefghij", 4)
    assert rows_text(layout) == ["abcd", "efgh", "ij"]


def test_mixed_chinese_and_latin_break_between_scripts() -> None:
    layout = layout_of("我们用Python分析", 10)
    assert rows_text(layout) == ["我们用", "Python分析"]


def test_closing_punctuation_does_not_start_a_row() -> None:
    # Greedy would give ["我觉得", "。好"]: the full stop moves up with the character before it.
    layout = layout_of("我觉得。好", 6)
    assert rows_text(layout) == ["我觉", "得。好"]


def test_opening_punctuation_does_not_end_a_row() -> None:
    # Greedy would give ["我说《", ...]: the opening mark moves down to the word it opens.
    layout = layout_of("我说《规划》", 6)
    assert rows_text(layout) == ["我说", "《规", "划》"]


def test_emoji_and_non_bmp_ideographs_take_two_cells() -> None:
    layout = layout_of("a👍𠮷b", 4)
    assert rows_text(layout) == ["a👍", "𠮷b"]
    assert [layout.row_cells(row) for row in range(2)] == [3, 3]


def test_tabs_expand_to_the_next_stop_from_the_row_start() -> None:
    layout = layout_of("ab\tc\td", 80, tab_size=4)
    assert layout.row_cells(0) == 9  # ab__c___d
    assert layout.display_text(0, 6) == "ab  c   d"
    assert layout.position_of(3) == (0, 4)
    assert layout.position_of(5) == (0, 8)


def test_a_tab_after_a_wrap_measures_from_the_new_row() -> None:
    layout = layout_of("受访者\tA", 4, tab_size=4)
    assert rows_text(layout) == ["受访", "者\t", "A"]
    assert layout.display_text(*layout.row_span(1)) == "者  "


def test_zwj_sequences_and_combining_marks_stay_one_grapheme() -> None:
    family = "👨\u200d👩\u200d👧"
    text = f"x{family}e\u0301y"
    layout = layout_of(text, 3)
    assert rows_text(layout) == ["x" + family, "e\u0301y"]
    assert layout.grapheme_end(1) == 6
    assert layout.grapheme_end(6) == 8
    assert layout.offset_at(0, 2) == 1  # right half of the family emoji


def test_variation_selector_16_widens_a_narrow_symbol() -> None:
    layout = layout_of("❤\ufe0fa", 10)
    assert layout.row_cells(0) == 3 == cell_len("❤\ufe0fa")


def test_blank_lines_inside_a_block_are_empty_rows() -> None:
    layout = layout_of("第一段\n\n第二段", 20)
    assert [layout.row_span(row) for row in range(layout.row_count)] == [(0, 3), (4, 4), (5, 8)]


# -- blocks -----------------------------------------------------------------------------------------


def test_blank_text_between_turns_is_not_drawn_and_notes_are() -> None:
    text = "  \n问：你好。\n\n注：匿名\n\n答：好的。\n \n"
    first = Turn(3, 5, 5, 8)
    second_label = text.index("答")
    second = Turn(second_label, second_label + 2, second_label + 2, second_label + 5)
    blocks = display_blocks(text, [first, second])
    assert list(display_blocks(text, TurnTable.of([first, second]))) == list(blocks)  # from columns: the same
    assert list(blocks) == [
        Block(3, 8, True),
        Block(text.index("注"), text.index("注") + 4, False),
        Block(second_label, second_label + 5, True),
    ]


def test_turns_start_on_a_new_row_even_on_one_source_line() -> None:
    text = "问：好吗？答：好。"
    turns = [Turn(0, 2, 2, 5), Turn(5, 7, 7, 9)]
    layout = TextLayout(text, display_blocks(text, turns), 40)
    assert rows_text(layout) == ["问：好吗？", "答：好。"]


def test_block_gap_adds_a_separator_row_between_blocks() -> None:
    text = "问：好。\n答：是。"
    turns = [Turn(0, 2, 2, 4), Turn(5, 7, 7, 9)]
    layout = TextLayout(text, display_blocks(text, turns), 40, block_gap=True)
    assert layout.row_count == 3
    assert layout.is_separator(1) and layout.row_span(1) == (5, 5)
    assert layout.row_of(5) == 2  # the separator never owns an offset


# -- mapping ----------------------------------------------------------------------------------------


def test_right_half_of_a_wide_character_snaps_to_it() -> None:
    layout = layout_of("受访A", 10)
    assert [layout.offset_at(0, column) for column in range(7)] == [0, 0, 1, 1, 2, 3, 3]


def test_columns_outside_the_text_clamp_to_the_row() -> None:
    layout = layout_of("我们\n好", 10)
    assert layout.offset_at(0, -3) == 0
    assert layout.offset_at(0, 9) == 2  # past the end: the row's end (the newline)
    assert layout.offset_at(5, 0) == 3  # past the last row: the last row


def test_position_of_continuation_code_points_is_their_grapheme() -> None:
    layout = layout_of("ae\u0301b", 10)
    assert layout.position_of(2) == layout.position_of(1) == (0, 1)
    assert layout.position_of(3) == (0, 2)


def test_ambiguous_wide_mode_counts_quotes_and_ellipsis_as_two_cells() -> None:
    text = "“好”……"
    narrow = layout_of(text, 80)
    wide = layout_of(text, 80, ambiguous_wide=True)
    assert narrow.row_cells(0) == 6
    assert wide.row_cells(0) == 10
    assert narrow.offset_at(0, 1) == 1 and wide.offset_at(0, 1) == 0
    assert wide.position_of(2) == (0, 4)
    assert rows_text(layout_of(text, 6, ambiguous_wide=True)) == ["“好”", "……"]
    assert rows_text(layout_of(text, 4)) == ["“好”", "……"]


def test_undrawn_offsets_map_to_the_end_of_the_row_before_them() -> None:
    text = "问：好。\n\n\n答：是。"
    second = text.index("答")
    turns = [Turn(0, 2, 2, 4), Turn(second, second + 2, second + 2, second + 4)]
    layout = TextLayout(text, display_blocks(text, turns), 40)
    assert layout.position_of(6) == (0, layout.row_cells(0))


# -- carets -----------------------------------------------------------------------------------------


def test_caret_steps_over_graphemes_and_undrawn_text() -> None:
    text = "问：a👍𠮷e\u0301\n\n\n答：好"
    second = text.index("答")
    turns = [Turn(0, 2, 2, 7), Turn(second, second + 2, second + 2, len(text))]
    layout = TextLayout(text, display_blocks(text, turns), 40)
    forward = [0]
    while forward[-1] < len(text):
        forward.append(layout.next_caret(forward[-1]))
    assert forward == [0, 1, 2, 3, 4, 5, 7, second, second + 1, second + 2, second + 3]
    backward = [len(text)]
    while backward[-1] > 0:
        backward.append(layout.previous_caret(backward[-1]))
    assert backward == forward[::-1]


def test_caret_crosses_wrap_boundaries_one_grapheme_at_a_time() -> None:
    layout = layout_of("受访者我", 4)
    assert [layout.next_caret(offset) for offset in range(4)] == [1, 2, 3, 4]
    assert [layout.previous_caret(offset) for offset in range(1, 5)] == [0, 1, 2, 3]


# -- properties -------------------------------------------------------------------------------------

TRICKY = st.sampled_from(
    list("受访者我。，“”…—·Aab c1\t")
    + ["👍", "𠮷", "e\u0301", "👨\u200d👩\u200d👧", "❤\ufe0f", "\u200b", "\n", "Ａ", "　"]
)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(TRICKY, max_size=60), width=st.integers(2, 30), wide=st.booleans())
def test_rows_cover_lines_fit_the_width_and_round_trip(pieces: list[str], width: int, wide: bool) -> None:
    text = "".join(pieces)
    layout = layout_of(text, width, ambiguous_wide=wide)
    covered = []
    for row in range(layout.row_count):
        start, end = layout.row_span(row)
        covered.append((start, end))
        cells = layout.row_cells(row)
        single_grapheme = layout.grapheme_end(start) >= end
        assert cells <= width or single_grapheme
        # Every grapheme start maps to a cell that maps back to it, both halves of a wide one too.
        # (A zero-width grapheme, possible only at a line start, has no cell to map.)
        offset = start
        while offset < end:
            row_found, column = layout.position_of(offset)
            assert row_found == row
            after = layout.grapheme_end(offset)
            grapheme_cells = layout.cells_between(offset, after)
            for half in range(grapheme_cells):
                assert layout.offset_at(row, column + half) == offset
            offset = after
        if cells:
            assert layout.offset_at(row, cells) == end
    # Rows tile each logical line without gaps or overlaps.
    lines = text.split("\n")
    line_start = 0
    row = 0
    for line in lines:
        line_end = line_start + len(line)
        position = line_start
        while True:
            start, end = covered[row]
            assert start == position
            position = end
            row += 1
            if position == line_end:
                break
        line_start = line_end + 1
    assert row == layout.row_count


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(TRICKY.filter(lambda piece: piece not in ("\t", "\n")), max_size=40))
def test_widths_agree_with_what_textual_measures(pieces: list[str]) -> None:
    text = "".join(pieces)
    layout = layout_of(text, 1000)
    if not text:
        return
    spans, total = split_graphemes(text)
    assert layout.row_cells(0) == total
    starts = [start for start, _end, _cells in spans]
    assert [offset for offset in range(len(text)) if layout.grapheme_start(offset) == offset] == starts
    if "\u200d" not in text and "\ufe0f" not in text:
        assert layout.row_cells(0) == cell_len(text)


@settings(max_examples=200, deadline=None)
@given(pieces=st.lists(TRICKY, max_size=40), width=st.integers(2, 12), data=st.data())
def test_run_boundaries_cut_a_row_only_at_grapheme_starts(pieces: list[str], width: int, data: st.DataObject) -> None:
    text = "".join(pieces)
    layout = layout_of(text, width)
    for row in range(layout.row_count):
        start, end = layout.row_span(row)
        cuts = data.draw(st.lists(st.integers(-2, len(text) + 2), max_size=8))
        boundaries = layout.run_boundaries(cuts, start, end)
        graphemes = [offset for offset in range(start, end) if layout.grapheme_start(offset) == offset]
        expected = {start, end} | {max(o for o in graphemes if o <= cut) for cut in cuts if start < cut < end}
        assert boundaries == sorted(expected)


def test_display_text_draws_control_characters_as_spaces() -> None:
    layout = layout_of("a\x0cb\x7fc", 10)
    assert layout.display_text(0, 5) == "a b c"
    assert layout.row_cells(0) == 5


def test_a_long_transcript_lays_out_in_rows_of_the_width() -> None:
    text = ("我觉得“一网通办”很方便……Hello world 👍𠮷。\n" * 2000).rstrip("\n")
    layout = layout_of(text, 60)
    assert layout.row_count >= 2000
    for row in range(0, layout.row_count, 97):
        assert layout.row_cells(row) <= 60
        start, end = layout.row_span(row)
        assert cell_len(layout.display_text(start, end)) == layout.row_cells(row)


def test_a_text_read_in_chunks_lays_out_each_line_as_it_would_alone() -> None:
    # Rows depend only on their line, so a text of several scanning chunks (tabs, ZWJ, VS16 and wide
    # characters across the chunk boundaries) must give each line the rows it gets as a text of its own.
    lines = ["访谈者：“一网通办”\t很方便……", "Hello world 👨\u200d👩\u200d👧 ❤\ufe0f𠮷", "e\u0301\t\t受访者。" * 3, ""]
    text = "\n".join(lines[number % len(lines)] for number in range(14000))
    assert len(text) > 3 * 65536
    layout = layout_of(text, 23)
    checked = 0
    line_start = 0
    for line in text.split("\n"):
        alone = layout_of(line, 23)
        first = layout.row_of(line_start)
        for number in range(alone.row_count):
            start, end = alone.row_span(number)
            assert layout.row_span(first + number) == (line_start + start, line_start + end)
            assert layout.row_cells(first + number) == alone.row_cells(number)
        line_start += len(line) + 1
        checked += 1
    assert checked == 14000


def test_laying_out_does_not_load_numpy_ma() -> None:
    # np.unique would load numpy.ma: 1.2 MiB more in the coding screen's process (issue 11 point 7).
    code = (
        "import sys; from qcode.tui.text_layout import Block, TextLayout; "
        "TextLayout('受访者：好。\\n👍 ok\\t', [Block(0, 10, True)], 20); sys.exit('numpy.ma' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=False).returncode == 0


def test_layout_and_model_modules_do_not_load_textual() -> None:
    code = (
        "import sys, qcode.tui.text_layout, qcode.tui.transcript_model; "
        "sys.exit(1 if any(name.split('.')[0] == 'textual' for name in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=False).returncode == 0


@pytest.mark.parametrize("text", ["受访者：我们每天都会看公众号的留言。", "受访者：👍 e\u0301 留言"])
def test_run_boundaries_keep_cuts_inside_the_row_once_and_in_order(text: str) -> None:
    layout = layout_of(text, 200)
    start, end = layout.row_span(0)
    cuts = [-1, 3, 3, 0, end, end + 5, 7, 5, 2]
    expected = sorted({start, end} | {layout.grapheme_start(cut) for cut in cuts if start < cut < end})
    assert layout.run_boundaries(cuts, start, end) == expected
    assert layout.run_boundaries([], start, end) == [start, end]
    assert layout.run_boundaries(cuts, start, start) == [start]
