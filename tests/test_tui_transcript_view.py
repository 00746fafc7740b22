"""The transcript view widget, driven headless through Textual's Pilot.

Exactness tests read what the widget draws (`render_line`) and map every drawn cell back to an offset by
walking the row's source text with rich's grapheme rules, independently of the widget's own mapping:
the cells drawn as a highlight must be exactly the characters of its `[start, end)`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Awaitable, Callable

import pytest
from rich.cells import split_graphemes
from rich.style import Style
from textual.app import App, ComposeResult

from qcode.domain.models import Span
from qcode.tui.widgets import Highlight, TranscriptView, Turn
from tests.tui_support import run_scenario

GUTTER = TranscriptView.GUTTER_WIDTH

NOTE = "访谈记录（2024年）"
LINES = [
    NOTE,
    "",
    "访谈者：您好，请介绍一下“一网通办”。好的……",
    "",
    "受访者A：我觉得很方便👍！𠮷野家\t在旁边。Hello world, fine.",
    "",
    "没有标签的一段话。第二句！",
]
TEXT = "\n".join(LINES) + "\n"


def build_turns(text: str) -> list[Turn]:
    """Turns of `text`: one per line that is not blank and not the note; labels end at `：`."""
    turns = []
    position = 0
    for line in text.split("\n"):
        if line and line != NOTE:
            label = re.match(r"^[^：]{1,6}：", line)
            label_end = position + (label.end() if label else 0)
            turns.append(Turn(position, label_end, label_end, position + len(line)))
        position += len(line) + 1
    return turns


def build_sentences(text: str, turns: list[Turn]) -> list[Span]:
    sentences = []
    for turn in turns:
        for match in re.finditer(r"[^。！？…]+[。！？…]*", text[turn.start : turn.end]):
            sentences.append(Span(turn.start + match.start(), turn.start + match.end()))
    return sentences


TURNS = build_turns(TEXT)
SENTENCES = build_sentences(TEXT, TURNS)


def at(fragment: str, text: str = TEXT) -> int:
    return text.index(fragment)


def span_of(fragment: str, text: str = TEXT) -> Span:
    start = text.index(fragment)
    return Span(start, start + len(fragment))


def long_document(turn_count: int = 120) -> tuple[str, list[Turn], list[Span]]:
    """Many turns of a few sentences each, for scrolling and paging."""
    lines = []
    for number in range(turn_count):
        speaker = "访谈者" if number % 2 == 0 else "受访者A"
        lines.append(f"{speaker}：第{number}轮。群众留言太多了！有时候回不过来？人手不够。")
        lines.append("")
    text = "\n".join(lines)
    turns = build_turns(text)
    return text, turns, build_sentences(text, turns)


class ViewApp(App[None]):
    """A tiny app hosting one transcript view; records every `SelectionChanged`."""

    def __init__(
        self,
        text: str = TEXT,
        turns: list[Turn] | None = None,
        sentences: list[Span] | None = None,
        highlights: list[Highlight] = (),
        **options,
    ) -> None:
        super().__init__()
        turns = TURNS if turns is None else turns
        sentences = SENTENCES if sentences is None else sentences
        self.view_arguments = (text, turns, sentences, list(highlights))
        self.view_options = options
        self.changes: list[Span] = []

    def compose(self) -> ComposeResult:
        self.view = TranscriptView(*self.view_arguments, **self.view_options)
        yield self.view

    def on_mount(self) -> None:
        self.view.focus()

    def on_transcript_view_selection_changed(self, message: TranscriptView.SelectionChanged) -> None:
        assert message.control is self.view
        self.changes.append(message.span)


Scenario = Callable[..., Awaitable[None]]


def run_view(scenario: Scenario, *, size: tuple[int, int] = (80, 24), **app_arguments) -> ViewApp:
    """Run `scenario(pilot, view)` against a fresh `ViewApp` of the given terminal size."""
    app = ViewApp(**app_arguments)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await scenario(pilot, app.query_one(TranscriptView))

    run_scenario(main())
    return app


def screen_point(view: TranscriptView, offset: int, right_half: bool = False) -> tuple[int, int]:
    """Widget coordinates of the cell drawing `offset` (its right half for a wide character)."""
    row, column = view.text_layout.position_of(offset)
    return GUTTER + column + (1 if right_half else 0), row - int(view.scroll_y)


# -- reading the screen -----------------------------------------------------------------------------


def source_cells(source: str, first_offset: int, tab_size: int = 4) -> tuple[list[int], str]:
    """The offset each cell of a row shows, and the row as it should be drawn, from the row's source
    text alone (tabs expanded to the next tab stop)."""
    offsets: list[int] = []
    drawn: list[str] = []
    position = 0
    for piece in re.split(r"(\t)", source):
        if piece == "\t":
            width = tab_size - len(offsets) % tab_size
            offsets += [first_offset + position] * width
            drawn.append(" " * width)
            position += 1
        elif piece:
            spans, _total = split_graphemes(piece)
            for start, _end, cells in spans:
                offsets += [first_offset + position + start] * cells
            drawn.append(piece)
            position += len(piece)
    return offsets, "".join(drawn)


def drawn_cells(view: TranscriptView) -> list[tuple[int, Style]]:
    """`(offset, style)` of every text cell on screen, in reading order."""
    layout = view.text_layout
    cells: list[tuple[int, Style]] = []
    for y in range(view.scrollable_content_region.height):
        row = int(view.scroll_y) + y
        if row >= layout.row_count:
            break
        styles: list[Style] = []
        drawn = ""
        for segment in view.render_line(y):
            spans, _total = split_graphemes(segment.text)
            for start, end, width in spans:
                styles += [segment.style] * width
                drawn += segment.text[start:end]
        start, end = layout.row_span(row)
        offsets, expected = source_cells(view.text[start:end], start)
        assert drawn[GUTTER : GUTTER + len(expected)] == expected
        cells += list(zip(offsets, styles[GUTTER : GUTTER + len(offsets)]))
    return cells


def highlighted_offsets(view: TranscriptView, cells: list[tuple[int, Style]]) -> list[int]:
    """Offsets of the graphemes drawn with a highlight's background (not the base, caret or selection)."""
    plain = {
        view.rich_style.bgcolor,
        view.get_component_rich_style("transcript-view--cursor").bgcolor,
        view.get_component_rich_style("transcript-view--selection").bgcolor,
    }
    return sorted({offset for offset, style in cells if style.bgcolor not in plain})


def assert_drawn_exactly(cells: list[tuple[int, Style]], offsets: list[int], span: Span) -> None:
    """`offsets` are exactly the drawn graphemes of `span`: it starts at `span.start` and the next
    grapheme drawn after it starts at `span.end`."""
    drawn_in_span = sorted({offset for offset, _style in cells if span.start <= offset < span.end})
    assert offsets == drawn_in_span
    assert offsets and offsets[0] == span.start
    following = [offset for offset, _style in cells if offset > offsets[-1]]
    assert not following or following[0] >= span.end


# -- bindings ---------------------------------------------------------------------------------------


def test_every_binding_has_a_view_id_and_no_plain_letter_or_digit() -> None:
    bindings = TranscriptView.BINDINGS
    ids = [binding.id for binding in bindings]
    assert all(binding_id and binding_id.startswith("view.") for binding_id in ids)
    assert len(set(ids)) == len(ids)
    for binding in bindings:
        for key in binding.key.split(","):
            assert not re.fullmatch(r"[a-z0-9]", key), key


def test_keys_can_be_remapped_by_binding_id() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        pilot.app.set_keymap({"view.next_sentence": "f6"})
        await pilot.press("f6")
        assert view.selection == SENTENCES[1]

    run_view(scenario)


# -- moving by sentence and turn --------------------------------------------------------------------


def test_opens_with_the_first_sentence_selected() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        assert view.selection == SENTENCES[0] == span_of("您好，请介绍一下“一网通办”。")

    run_view(scenario)


def test_down_and_up_select_the_next_and_previous_sentence() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        seen = [view.selection]
        for _ in range(len(SENTENCES) + 2):
            await pilot.press("down")
            seen.append(view.selection)
        assert seen[: len(SENTENCES)] == SENTENCES
        assert seen[-1] == SENTENCES[-1]  # stays on the last one
        for _ in range(len(SENTENCES) + 2):
            await pilot.press("up")
        assert view.selection == SENTENCES[0]

    run_view(scenario)


def test_next_sentence_from_a_caret_inside_a_sentence_skips_to_the_following_one() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        view.select(Span(at("方便"), at("方便")))
        await pilot.press("down")
        assert view.selection == span_of("𠮷野家\t在旁边。")
        view.select(Span(at("方便"), at("方便")))
        await pilot.press("up")
        assert view.selection == span_of("好的……")

    run_view(scenario)


@pytest.mark.parametrize(("forward", "backward"), [("ctrl+down", "ctrl+up"), ("]", "[")])
def test_turn_keys_select_the_next_and_previous_turns_speech(forward: str, backward: str) -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        await pilot.press(forward)
        assert view.selection == TURNS[1].body
        await pilot.press(forward)
        assert view.selection == TURNS[2].body == span_of("没有标签的一段话。第二句！")
        await pilot.press(forward)
        assert view.selection == TURNS[2].body
        await pilot.press(backward)
        assert view.selection == TURNS[1].body
        await pilot.press(backward)
        assert view.selection == TURNS[0].body

    run_view(scenario)


def test_ctrl_a_selects_the_whole_turn_under_the_caret() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        view.select(Span(at("旁边"), at("旁边")))
        await pilot.press("ctrl+a")
        assert view.selection == TURNS[1].body

    run_view(scenario)


# -- extending --------------------------------------------------------------------------------------


def test_shift_arrows_extend_by_sentence_and_cross_the_anchor() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        view.select(SENTENCES[3])
        await pilot.press("shift+down")
        assert view.selection == Span(SENTENCES[3].start, SENTENCES[4].end)
        assert (view.anchor, view.head) == (SENTENCES[3].start, SENTENCES[4].end)
        await pilot.press("shift+up")
        assert view.selection == SENTENCES[3]
        await pilot.press("shift+up")
        assert view.selection == Span(SENTENCES[3].start, SENTENCES[3].start)
        await pilot.press("shift+up")
        assert view.selection == Span(SENTENCES[2].start, SENTENCES[3].start)
        assert view.head == SENTENCES[2].start and view.anchor == SENTENCES[3].start

    run_view(scenario)


@pytest.mark.parametrize(("forward", "backward"), [("ctrl+shift+down", "ctrl+shift+up"), ("}", "{")])
def test_turn_extension_moves_the_head_by_turn(forward: str, backward: str) -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        view.select(SENTENCES[0])
        await pilot.press(forward)
        assert view.selection == Span(SENTENCES[0].start, TURNS[0].end)
        await pilot.press(forward)
        assert view.selection == Span(SENTENCES[0].start, TURNS[1].end)
        await pilot.press(backward)
        assert view.selection == Span(SENTENCES[0].start, TURNS[1].start)

    run_view(scenario)


def test_shift_left_right_extend_by_one_grapheme() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        start = at("方便👍")
        view.select(Span(start, start))
        heads = []
        for _ in range(5):
            await pilot.press("shift+right")
            heads.append(view.head)
        # 方 便 👍 ！ 𠮷: each is one code point; 𠮷 is outside the BMP.
        assert heads == [start + 1, start + 2, start + 3, start + 4, start + 5]
        assert view.selection == span_of("方便👍！𠮷")
        await pilot.press("shift+left")
        assert view.selection == span_of("方便👍！")

    run_view(scenario)


def test_shift_right_at_a_line_end_takes_the_newline_then_skips_blank_lines() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        end = TURNS[0].end
        view.select(Span(end - 1, end - 1))
        await pilot.press("shift+right")
        assert view.head == end
        await pilot.press("shift+right")
        assert view.head == TURNS[1].label_start  # the blank line between the turns is not drawn

    run_view(scenario)


def test_left_and_right_collapse_a_selection_then_move_the_caret() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        first = SENTENCES[0]
        await pilot.press("right")
        assert view.selection == Span(first.end, first.end)
        await pilot.press("right")
        assert view.selection == Span(first.end + 1, first.end + 1)
        view.select(first)
        await pilot.press("left")
        assert view.selection == Span(first.start, first.start)

    run_view(scenario)


# -- highlights navigation --------------------------------------------------------------------------


def test_comma_and_full_stop_step_through_own_codings_only() -> None:
    highlights = [
        Highlight("late", at("第二句"), at("第二句") + 4, "#ff0000", "a"),
        Highlight("early", at("请介绍"), at("请介绍") + 3, "#00ff00", "b"),
        Highlight("theirs", at("方便"), at("方便") + 2, "#0000ff", "c", muted=True, owner="li"),
    ]

    async def scenario(pilot, view: TranscriptView) -> None:
        view.select(Span(0, 0))
        await pilot.press(".")
        assert view.selection == Span(at("请介绍"), at("请介绍") + 3)
        await pilot.press(".")
        assert view.selection == Span(at("第二句"), at("第二句") + 4)
        await pilot.press(".")
        assert view.selection == Span(at("第二句"), at("第二句") + 4)
        await pilot.press(",")
        assert view.selection == Span(at("请介绍"), at("请介绍") + 3)

    run_view(scenario, highlights=highlights)


def test_semicolon_goes_to_the_next_turn_without_an_own_coding() -> None:
    highlights = [
        Highlight("mine", at("方便"), at("方便") + 2, "#ff0000", "a"),
        Highlight("theirs", at("没有"), at("没有") + 2, "#0000ff", "c", muted=True, owner="li"),
    ]

    async def scenario(pilot, view: TranscriptView) -> None:
        await pilot.press(";")
        assert view.selection == TURNS[2].body  # turn 1 has my coding; turn 2 only someone else's
        await pilot.press(";")
        assert view.selection == TURNS[2].body  # none left: nothing moves

    run_view(scenario, highlights=highlights)


def test_semicolon_passes_over_the_turns_of_skipped_speakers() -> None:
    # The coding screen skips interviewers' turns (persons whose role is interviewer).

    turns = [dataclasses.replace(t, speaker=s) for t, s in zip(TURNS, ["访谈者", "受访者A", ""], strict=True)]

    async def scenario(pilot, view: TranscriptView) -> None:
        view.skipped_speakers = frozenset({"受访者A"})
        await pilot.press(";")
        assert view.selection == TURNS[2].body  # turn 1 (受访者A, uncoded) is passed over

    run_view(scenario, turns=turns)


# -- paging and scrolling ---------------------------------------------------------------------------


def test_page_keys_move_the_caret_a_screen_and_home_end_go_to_the_ends() -> None:
    text, turns, sentences = long_document()

    async def scenario(pilot, view: TranscriptView) -> None:
        height = view.scrollable_content_region.height
        await pilot.press("pagedown")
        row, _column = view.text_layout.position_of(view.head)
        assert view.selection.start == view.selection.end
        assert row == height
        assert view.scroll_y == height  # a whole page, the caret on the same screen row as before
        await pilot.press("pagedown")
        assert view.scroll_y == 2 * height and view.text_layout.position_of(view.head)[0] == 2 * height
        await pilot.press("pageup")
        await pilot.press("pageup")
        assert view.text_layout.position_of(view.head)[0] == 0
        await pilot.press("end")
        assert view.selection == Span(turns[-1].end, turns[-1].end)
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("home")
        assert view.head == 0 and view.scroll_y == 0

    run_view(scenario, text=text, turns=turns, sentences=sentences)


def test_moving_to_an_offscreen_sentence_scrolls_it_into_view() -> None:
    text, turns, sentences = long_document()

    async def scenario(pilot, view: TranscriptView) -> None:
        height = view.scrollable_content_region.height
        for _ in range(60):
            await pilot.press("down")
            row = view.text_layout.row_of(view.head)
            assert view.scroll_y <= row < view.scroll_y + height
        view.select(sentences[-1])
        await pilot.pause()
        row = view.text_layout.row_of(sentences[-1].start)
        assert view.scroll_y <= row < view.scroll_y + height
        view.scroll_to_offset(0)
        await pilot.pause()
        assert view.scroll_y == 0
        view.scroll_to_offset(sentences[200].start, center=True)
        await pilot.pause()
        middle = view.scroll_y + height // 2
        assert abs(view.text_layout.row_of(sentences[200].start) - middle) <= 1

    run_view(scenario, text=text, turns=turns, sentences=sentences)


def test_resizing_relays_out_and_keeps_the_caret_on_screen() -> None:
    text, turns, sentences = long_document()

    async def scenario(pilot, view: TranscriptView) -> None:
        view.select(sentences[150])
        await pilot.pause()
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert view.text_layout.width == 160 - 1 - GUTTER
        row = view.text_layout.row_of(view.head)
        assert view.scroll_y <= row < view.scroll_y + view.scrollable_content_region.height

    run_view(scenario, text=text, turns=turns, sentences=sentences)


# -- the selection API and messages -----------------------------------------------------------------


def test_target_span_is_the_selection_or_the_sentence_under_the_caret() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        view.select(span_of("方便"))
        assert view.target_span() == span_of("方便")
        view.select(Span(at("方便"), at("方便")))
        assert view.target_span() == span_of("我觉得很方便👍！")
        view.select(Span(at(NOTE), at(NOTE)))
        assert view.target_span() == Span(at(NOTE), at(NOTE))  # not in a sentence: nothing to code

    run_view(scenario)


def test_every_selection_change_posts_one_message() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        await pilot.press("down", "down", "up")
        view.select(view.selection)  # no change, no message
        await pilot.pause()

    app = run_view(scenario)
    assert app.changes == [SENTENCES[1], SENTENCES[2], SENTENCES[1]]


def test_load_replaces_the_document_and_reports_the_new_selection() -> None:
    text, turns, sentences = long_document(5)

    async def scenario(pilot, view: TranscriptView) -> None:
        view.load(text, turns, sentences, [Highlight("k", 3, 6, "#ff0000", "a")])
        await pilot.pause()
        assert view.text == text and view.selection == sentences[0]
        assert [h.key for h in view.highlights_at(4)] == ["k"]

    app = run_view(scenario)
    assert app.changes[-1] == sentences[0]


# -- mouse ------------------------------------------------------------------------------------------


def test_click_puts_the_caret_on_the_character_even_on_its_right_half() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        target = at("旁边")
        await pilot.click(view, offset=screen_point(view, target))
        assert view.selection == Span(target, target)
        await pilot.click(view, offset=screen_point(view, target + 1, right_half=True))
        assert view.selection == Span(target + 1, target + 1)

    run_view(scenario)


def test_click_in_the_gutter_or_past_the_end_of_a_row() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        _x, y = screen_point(view, TURNS[2].start)
        await pilot.click(view, offset=(1, y))
        assert view.selection == Span(TURNS[2].start, TURNS[2].start)
        await pilot.click(view, offset=(70, y))
        assert view.selection == Span(TURNS[2].end, TURNS[2].end)
        await pilot.click(view, offset=(10, 20))  # below the text
        assert view.head == TURNS[2].end

    run_view(scenario)


def test_drag_selects_both_end_characters_from_right_halves() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        first, last = at("我觉得"), at("方便👍") + 1  # 我 ... 便
        await pilot.mouse_down(view, offset=screen_point(view, first, right_half=True))
        await pilot.hover(view, offset=screen_point(view, last, right_half=True))
        await pilot.mouse_up(view, offset=screen_point(view, last, right_half=True))
        assert view.selection == span_of("我觉得很方便")
        # Backwards: from 便 back to 我, both included again.
        await pilot.mouse_down(view, offset=screen_point(view, last))
        await pilot.hover(view, offset=screen_point(view, first, right_half=True))
        await pilot.mouse_up(view, offset=screen_point(view, first, right_half=True))
        assert view.selection == span_of("我觉得很方便")
        assert view.head == first

    run_view(scenario)


def test_double_click_selects_the_sentence_and_triple_click_the_turn() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        await pilot.double_click(view, offset=screen_point(view, at("旁边")))
        assert view.selection == span_of("𠮷野家\t在旁边。")
        await pilot.triple_click(view, offset=screen_point(view, at("旁边")))
        assert view.selection == TURNS[1].body

    run_view(scenario)


# -- exactness of what is drawn ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "fragment",
    ["一网通办", "方便👍", "👍", "𠮷野家", "家\t在", "\t", "！", "：您好，", "“一网通办”", "好的……", "Hello", "。第二句！"],
)
def test_a_highlight_draws_exactly_its_characters(fragment: str) -> None:
    span = span_of(fragment)

    async def scenario(pilot, view: TranscriptView) -> None:
        view.select(Span(at(NOTE), at(NOTE)))
        view.set_highlights([Highlight("k", span.start, span.end, "#d03030", "a")])
        await pilot.pause()
        cells = drawn_cells(view)
        assert_drawn_exactly(cells, highlighted_offsets(view, cells), span)

    run_view(scenario)


def test_a_mouse_selection_from_a_right_half_is_drawn_and_stored_exactly() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        first, last = at("𠮷野家"), at("旁边")
        await pilot.mouse_down(view, offset=screen_point(view, first, right_half=True))
        await pilot.hover(view, offset=screen_point(view, last, right_half=True))
        await pilot.mouse_up(view, offset=screen_point(view, last, right_half=True))
        assert view.selection == span_of("𠮷野家\t在旁")
        selection_bg = view.get_component_rich_style("transcript-view--selection").bgcolor
        cells = drawn_cells(view)
        selected = sorted({offset for offset, style in cells if style.bgcolor == selection_bg})
        assert_drawn_exactly(cells, selected, view.selection)
        # "Apply code": the stored span is the selection, and it is drawn over exactly those cells.
        span = view.target_span()
        view.add_highlight(Highlight("new", span.start, span.end, "#3050d0", "a"))
        view.select(Span(at(NOTE), at(NOTE)))
        await pilot.pause()
        cells = drawn_cells(view)
        assert_drawn_exactly(cells, highlighted_offsets(view, cells), span_of("𠮷野家\t在旁"))

    run_view(scenario)


def test_another_coders_highlight_is_underlined_exactly_and_marked_by_coder() -> None:
    span = span_of("很方便👍！")

    async def scenario(pilot, view: TranscriptView) -> None:
        view.select(Span(at(NOTE), at(NOTE)))
        theirs = Highlight("theirs", span.start, span.end, "#30a030", "g", muted=True, owner="li")
        view.set_highlights([theirs])
        await pilot.pause()
        cells = drawn_cells(view)
        underlined = sorted({offset for offset, style in cells if style.underline})
        assert_drawn_exactly(cells, underlined, span)
        assert highlighted_offsets(view, cells) == []  # no background: it is not mine
        _x, y = screen_point(view, span.start)
        assert view.render_line(y).text[:GUTTER] == "l    "
        view.add_highlight(Highlight("wang", span.start, span.end, "#3050d0", "g", muted=True, owner="王芳"))
        view.add_highlight(Highlight("mine", span.start, span.end, "#d03030", "a"))
        await pilot.pause()
        assert view.render_line(y).text[:GUTTER] == "alW  "  # own codings first, then by coder

    run_view(scenario)


def test_overlapping_codings_innermost_wins_and_the_gutter_shows_all() -> None:
    outer = TURNS[1].body
    inner = span_of("方便")
    colors = ["#d03030", "#30a030", "#3050d0", "#d0a030", "#a030d0"]

    async def scenario(pilot, view: TranscriptView) -> None:
        view.select(Span(at(NOTE), at(NOTE)))
        view.set_highlights(
            [
                Highlight("inner", inner.start, inner.end, colors[1], "b"),
                Highlight("outer", outer.start, outer.end, colors[0], "a"),
            ]
        )
        await pilot.pause()
        cells = drawn_cells(view)
        inner_bg = {style.bgcolor for offset, style in cells if inner.start <= offset < inner.end}
        outer_bg = {style.bgcolor for offset, style in cells if offset == outer.start}
        assert len(inner_bg) == 1 and len(outer_bg) == 1 and inner_bg != outer_bg
        _x, y = screen_point(view, inner.start)
        assert view.render_line(y).text[:GUTTER] == "ab   "
        view.set_highlights(
            [Highlight(f"k{n}", inner.start, inner.end, color, "abcde"[n]) for n, color in enumerate(colors)]
        )
        await pilot.pause()
        assert view.render_line(y).text[:GUTTER] == "abc+ "

    run_view(scenario)


def test_labels_and_notes_are_styled_apart_from_speech() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        view.select(Span(TURNS[2].end, TURNS[2].end))
        await pilot.pause()
        styles = dict(drawn_cells(view))
        label, speech, note = styles[TURNS[0].label_start], styles[TURNS[0].start + 1], styles[0]
        assert label.bold and not speech.bold
        assert label.color != speech.color
        assert note.italic and note.color != speech.color

    run_view(scenario)


# -- re-drawing only what changed -------------------------------------------------------------------


def test_adding_and_removing_a_highlight_redraws_only_its_rows() -> None:
    text, turns, sentences = long_document()
    target = sentences[12]

    async def scenario(pilot, view: TranscriptView) -> None:
        view.select(Span(0, 0))
        await pilot.pause()
        height = view.scrollable_content_region.height
        before = [view.render_line(y) for y in range(height)]
        first, last = view.text_layout.rows_of(target.start, target.end)
        assert last < height
        view.add_highlight(Highlight("k", target.start, target.end, "#d03030", "a"))
        after = [view.render_line(y) for y in range(height)]
        changed = [y for y in range(height) if after[y] is not before[y]]
        assert changed == list(range(first, last + 1))
        assert view.remove_highlight("k") and not view.remove_highlight("k")
        again = [view.render_line(y) for y in range(height)]
        assert [y for y in range(height) if again[y] is not after[y]] == changed

    run_view(scenario, text=text, turns=turns, sentences=sentences)


def test_a_key_press_redraws_only_the_rows_of_the_old_and_new_selection() -> None:
    text, turns, sentences = long_document()

    async def scenario(pilot, view: TranscriptView) -> None:
        await pilot.press("down")
        height = view.scrollable_content_region.height
        before = [view.render_line(y) for y in range(height)]
        old = view.text_layout.rows_of(view.selection.start, view.selection.end)
        await pilot.press("down")
        new = view.text_layout.rows_of(view.selection.start, view.selection.end)
        after = [view.render_line(y) for y in range(height)]
        changed = {y for y in range(height) if after[y] is not before[y]}
        assert changed == set(range(old[0], old[1] + 1)) | set(range(new[0], new[1] + 1))

    run_view(scenario, text=text, turns=turns, sentences=sentences)


# -- sizes, themes and ambiguous width --------------------------------------------------------------


@pytest.mark.parametrize(("size", "separators"), [((80, 24), False), ((160, 48), True)])
def test_rows_fill_the_width_and_turns_are_spaced_when_roomy(size: tuple[int, int], separators: bool) -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        layout = view.text_layout
        width = view.scrollable_content_region.width
        assert layout.width == width - GUTTER
        for y in range(min(layout.row_count, view.scrollable_content_region.height)):
            assert view.render_line(y).cell_length == width
        separator_rows = [row for row in range(layout.row_count) if layout.is_separator(row)]
        assert bool(separator_rows) == separators
        if separators:
            assert len(separator_rows) == 3  # note | turn | turn | turn

    run_view(scenario, size=size)


def _contrast(first, second) -> float:
    def luminance(color) -> float:
        channels = []
        for value in color.get_truecolor():
            value /= 255
            channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("code_color", ["#ffe119", "#4363d8", "#000075", "#e6194b"])
def test_coded_text_stays_readable_on_light_and_dark_themes(code_color: str) -> None:
    span = span_of("一网通办")

    async def scenario(pilot, view: TranscriptView) -> None:
        view.select(Span(at(NOTE), at(NOTE)))
        view.set_highlights(
            [
                Highlight("mine", span.start, span.end, code_color, "a"),
                Highlight("theirs", at("方便"), at("方便") + 2, code_color, "b", muted=True, owner="li"),
            ]
        )
        backgrounds = set()
        for theme in ("textual-dark", "textual-light"):
            pilot.app.theme = theme
            await pilot.pause()
            styles = dict(drawn_cells(view))
            mine, theirs = styles[span.start], styles[at("方便")]
            assert _contrast(mine.color, mine.bgcolor) >= 4.5
            assert _contrast(theirs.color, theirs.bgcolor) >= 3.0
            backgrounds.add(mine.bgcolor)
        assert len(backgrounds) == 2  # re-drawn for the new theme

    run_view(scenario)


def test_ambiguous_wide_mode_lays_out_quotes_as_two_cells() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        quote = at("“一网通办”")
        narrow_column = view.text_layout.position_of(quote + 1)[1]
        view.set_ambiguous_wide(True)
        await pilot.pause()
        assert view.text_layout.position_of(quote + 1)[1] == narrow_column + 1
        # The right half of the wide-drawn quote is the quote, not the character after it.
        await pilot.click(view, offset=screen_point(view, quote, right_half=True))
        assert view.head == quote
        row = view.text_layout.row_of(quote)
        strip = view.render_line(row - int(view.scroll_y))
        assert strip.cell_length == view.scrollable_content_region.width
        view.set_ambiguous_wide(False)
        await pilot.pause()
        assert view.text_layout.position_of(quote + 1)[1] == narrow_column

    run_view(scenario)


def test_ambiguous_wide_can_be_set_at_construction() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        assert view.text_layout.ambiguous_wide

    run_view(scenario, ambiguous_wide=True)


# -- bad input and edge cases -----------------------------------------------------------------------


def test_offsets_outside_the_text_are_refused_and_change_nothing() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        with pytest.raises(ValueError, match="outside the text"):
            view.add_highlight(Highlight("k", 0, len(TEXT) + 1, "#d03030", "a"))
        with pytest.raises(ValueError, match="outside the text"):
            view.set_highlights([Highlight("k", 0, len(TEXT) + 5, "#d03030", "a")])
        with pytest.raises(ValueError, match="turn 0"):
            view.load("短", [Turn(0, 0, 0, 4)], [])
        assert view.text == TEXT and view.highlights == []
        assert view.selection == SENTENCES[0]

    run_view(scenario)


def test_text_without_turns_is_shown_as_plain_text() -> None:
    text = "第一段没有说话人。\n\n第二段。"

    async def scenario(pilot, view: TranscriptView) -> None:
        assert view.text_layout.row_count == 3
        styles = dict(drawn_cells(view))
        assert not styles[0].italic  # not styled as a note: there are no turns to set it apart from
        await pilot.press("down", "]", "ctrl+a", ";", "shift+right", "end")
        assert view.selection == Span(len(text), len(text))

    run_view(scenario, text=text, turns=[], sentences=[Span(0, 9), Span(11, 14)])


def test_an_empty_transcript_is_harmless() -> None:
    async def scenario(pilot, view: TranscriptView) -> None:
        await pilot.press("down", "up", "]", "[", "shift+right", "shift+left", "pagedown", "end", ".", ";")
        await pilot.click(view, offset=(10, 3))
        assert view.selection == Span(0, 0) and view.target_span() == Span(0, 0)
        assert view.render_line(0).cell_length == view.scrollable_content_region.width

    run_view(scenario, text="", turns=[], sentences=[])
