"""PaneText draws what a Static draws: the same rows, wrapped or cut the same way, with the same styles.

The coding screen's "Here" pane used Statics; PaneText makes its rows once per text instead of on every
frame (issue 11 point 6). Textual's Static is the reference here.
"""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.geometry import Region
from textual.visual import Visual
from textual.widgets import Static

from qcode.tui.widgets.pane_text import PaneText

TEXTS = [
    "",
    "[dim]caret at 12345[/dim]",
    "[#e07b39]■[/] 信息公开 [dim](bob)[/dim] [dim]120–188[/dim]\n  [i]这一段说的是公众号留言回复太慢，群众意见很大，需要专人负责[/i]",
    "[#3b8ee0]■[/] Interaction with citizens through the county account [dim]12–40[/dim]",
    "\n".join(f"[#55aa55]■[/] 编码 {n} [dim]{n}–{n + 9}[/dim]" for n in range(20)),  # taller than the pane
    "[b]粗体[/b] and [reverse]reverse[/reverse] · emoji 👍 · tab\there",
]

CSS = """
Static, PaneText { width: 36; height: 12; color: $text; overflow-y: auto; }
.cut { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
"""


class Side(App[None]):
    CSS = CSS

    def __init__(self, markup: str, classes: str) -> None:
        super().__init__()
        self.markup, self.pane_classes = markup, classes

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static(self.markup, classes=self.pane_classes)
            yield PaneText(self.markup, classes=self.pane_classes)


@pytest.mark.parametrize("classes", ["", "cut"])
@pytest.mark.parametrize("markup", TEXTS)
def test_pane_text_draws_what_a_static_draws(run_pilot, markup: str, classes: str) -> None:
    app = Side(markup, classes)

    async def scenario(pilot):
        await pilot.pause()
        static, pane = app.query_one(Static), app.query_one(PaneText)
        assert static.size == pane.size
        width = pane.scrollable_content_region.width
        crop = Region(0, 0, width, pane.size.height)
        return static.render_lines(crop), pane.render_lines(crop)

    static_rows, pane_rows = run_pilot(app, scenario, size=(80, 24))
    assert [row.text for row in pane_rows] == [row.text for row in static_rows]
    assert [_cells(row) for row in pane_rows] == [_cells(row) for row in static_rows]


def _cells(strip) -> list[tuple]:
    """What a row looks like, character by character: the character, its background, and for visible
    characters its colour and attributes (segment boundaries and mouse metadata aside)."""
    cells = []
    for segment in strip:
        style = segment.style
        for character in segment.text:
            look = (style.bgcolor,) if character == " " else (
                style.bgcolor, style.color, style.bold, style.italic, style.dim, style.reverse)
            cells.append((character, *look))
    return cells


def test_an_update_shows_the_new_text_and_a_taller_one_scrolls(run_pilot) -> None:
    app = Side(TEXTS[1], "")

    async def scenario(pilot):
        await pilot.pause()
        pane = app.query_one(PaneText)
        pane.update(TEXTS[2])
        await pilot.pause()
        first = [strip.text.rstrip() for strip in pane.render_lines(Region(0, 0, 36, 12))]
        pane.update(TEXTS[4], layout=True)
        await pilot.pause()
        pane.scroll_end(animate=False)
        await pilot.pause()
        last = pane.render_lines(Region(0, 0, 35, 12))[-1].text
        return first, last, pane.max_scroll_y

    first, last, max_scroll = run_pilot(app, scenario, size=(80, 24))
    assert first[0].startswith("■ 信息公开 (bob) 120–188")
    assert "这一段说的是" in first[1]
    assert max_scroll == 8  # 20 lines in 12 rows
    assert "编码 19" in last


FITTING = [
    Content.assemble(("■", "#e07b39"), " ", "信息公开", " ", ("(bob)", "dim"), " ", ("120–188", "dim")),
    Content.assemble(("?", "#3b8ee0"), " ", ("suggested", "italic"), " 回应性 ", ("(strong: 回复)", "dim")),
    Content.assemble("  ", ("这一段说的是公众号留言回复太慢", "italic")) + Content("\n") + Content("👍 emoji ok"),
    Content.from_markup("[dim]caret at 12345[/dim]\n[dim]张三 [01:19][/dim]"),
    Content.from_markup("line one\n\n[b]after a blank line[/b]  "),
    Content("a single plain line"),
]
NOT_FITTING = [
    Content.assemble(("■", "#55aa55"), " ", "一个名字很长很长很长很长很长很长的编码", " ", ("12345–12400", "dim")),
    Content("tab\there"),
    Content.from_markup("[@click=app.bell]a link[/]"),
]


@pytest.mark.parametrize("content", FITTING + NOT_FITTING, ids=lambda content: content.plain[:12])
def test_rows_made_directly_are_textuals_rows_segment_for_segment(run_pilot, content: Content) -> None:
    """The shortcut for lines that fit gives exactly `Visual.to_strips`' rows (styles and mouse offsets
    included), and is taken only when nothing needs wrapping, cutting, expanding or linking."""
    app = Side("", "")

    async def scenario(pilot):
        await pilot.pause()
        pane = app.query_one(PaneText)
        pane.update(content)
        width = pane.scrollable_content_region.width
        direct = pane._rows_that_fit(width)
        textual = Visual.to_strips(pane, content, width, None, pane.visual_style, pad=True)
        return direct, textual, pane._rendered_rows()

    direct, textual, shown = run_pilot(app, scenario, size=(80, 24))
    assert (direct is not None) == (content in FITTING)
    if direct is not None:
        assert [list(row) for row in direct] == [list(row) for row in textual]
        assert [row.cell_length for row in direct] == [row.cell_length for row in textual]
    assert [list(row) for row in shown] == [list(row) for row in textual]


def test_an_update_repaints_every_row_that_had_or_has_text(run_pilot) -> None:
    """A shorter text must blank the rows the longer one used; rows blank before and after are left be."""
    app = Side("\n".join(f"line {n}" for n in range(5)), "")

    async def scenario(pilot):
        await pilot.pause()
        pane = app.query_one(PaneText)
        regions = []
        real_refresh = pane.refresh

        def spy(*regions_asked, **options):
            regions.append((regions_asked, options))
            return real_refresh(*regions_asked, **options)

        pane.refresh = spy
        pane.update("one\ntwo")
        shrink = list(regions)
        regions.clear()
        await pilot.pause()
        pane.update("one\ntwo\nthree")
        grow = list(regions)
        await pilot.pause()
        return shrink, grow, pane.size.height

    shrink, grow, height = run_pilot(app, scenario, size=(80, 24))
    assert height == 12
    assert [asked[0].line_span for asked, _ in shrink] == [(0, 5)]
    assert [asked[0].line_span for asked, _ in grow] == [(0, 3)]
