"""The screens' compositor writes exactly what Textual's would, while rendering fewer widgets.

`DirtyRegionsCompositor` skips widgets and rows whose pieces a partial update would discard (see its
module). Textual's own `Compositor.render_partial_update` is the reference: for the same dirty regions on
the same screen, both updates must turn into the same bytes for the terminal.
"""

from __future__ import annotations

import random

from textual._compositor import Compositor
from textual.geometry import Region
from textual.widget import Widget

from qcode.tui.dirty_regions_compositor import DirtyRegionsCompositor
from qcode.tui.screens.coding import CodingScreen
from tests.test_tui_key_updates import LONG_TEXT, coded_root  # noqa: F401  # fixture reused
from tests.tui_support import make_app, until


def _both_updates(screen, regions: set[Region]) -> tuple[str | None, str | None]:
    """The terminal bytes of Textual's partial update and of ours, for the same dirty regions."""
    compositor = screen._compositor
    console = screen.app.console
    compositor._dirty_regions = set(regions)
    reference = Compositor.render_partial_update(compositor)
    compositor._dirty_regions = set(regions)
    ours = compositor.render_partial_update()
    return (
        None if reference is None else reference.render_segments(console),
        None if ours is None else ours.render_segments(console),
    )


def test_every_update_while_coding_matches_textuals(coded_root, run_pilot, monkeypatch) -> None:  # noqa: F811
    compared: list[tuple[str, str]] = []
    ours = DirtyRegionsCompositor.render_partial_update

    def checked(compositor: DirtyRegionsCompositor):
        regions = set(compositor._dirty_regions)
        reference = Compositor.render_partial_update(compositor)
        compositor._dirty_regions = regions
        update = ours(compositor)
        if reference is not None and update is not None:
            console = app.console
            compared.append((reference.render_segments(console), update.render_segments(console)))
        else:
            assert reference is update is None
        return update

    monkeypatch.setattr(DirtyRegionsCompositor, "render_partial_update", checked)
    app = make_app(coded_root)

    async def scenario(pilot) -> None:
        await until(pilot, lambda: isinstance(app.screen, CodingScreen) and app.word_index_ready)
        screen = app.screen
        assert isinstance(screen._compositor, DirtyRegionsCompositor)
        for key in ["down", "down", "pagedown", "shift+down", "shift+down", "up", "pagedown", "end", "home"]:
            await pilot.press(key)
            await pilot.pause(0.05)
        app.notify("提醒：已保存")  # a toast drawn over the transcript, on its own layer
        await pilot.pause(0.05)
        for key in ["pagedown", "down", "s"]:
            await pilot.press(key)
            await pilot.pause(0.05)
        await pilot.press("escape")
        await pilot.pause(0.05)

    run_pilot(app, scenario, size=(120, 40))
    assert len(compared) >= 10
    for reference, update in compared:
        assert update == reference


def test_random_dirty_regions_give_textuals_bytes(coded_root, run_pilot) -> None:  # noqa: F811
    app = make_app(coded_root)
    rng = random.Random(11)

    async def scenario(pilot) -> int:
        await until(pilot, lambda: isinstance(app.screen, CodingScreen) and app.word_index_ready)
        await pilot.press("pagedown")
        app.notify("一条很长的提醒，盖住转录文本的一部分")
        await pilot.pause(0.1)
        screen = app.screen
        width, height = screen.size
        checked = 0
        for _ in range(300):
            regions = set()
            for _ in range(rng.randint(1, 6)):
                y = rng.randrange(height)
                # Half of the edges on the widgets' own edges, where pieces start and end.
                edges = screen._compositor.cuts[y]
                x = rng.choice(edges[:-1]) if rng.random() < 0.5 else rng.randrange(width)
                right = rng.choice([edge for edge in edges if edge > x] or [width])
                right = right if rng.random() < 0.5 else rng.randint(x + 1, width)
                regions.add(Region(x, y, right - x, rng.randint(1, height - y)))
            reference, ours = _both_updates(screen, regions)
            assert ours == reference
            checked += 1
        return checked

    assert run_pilot(app, scenario, size=(120, 40)) == 300


def test_a_page_down_renders_only_the_widgets_it_changes(coded_root, run_pilot, monkeypatch) -> None:  # noqa: F811
    """The point of it: the codebook tree beside the transcript is not rendered again for a Page Down."""
    rendered: list[str] = []
    render_lines = Widget.render_lines

    def recorded(widget: Widget, crop: Region):
        rendered.append(type(widget).__name__)
        return render_lines(widget, crop)

    app = make_app(coded_root)

    async def scenario(pilot) -> None:
        await until(pilot, lambda: isinstance(app.screen, CodingScreen) and app.word_index_ready)
        await pilot.pause(0.3)
        monkeypatch.setattr(Widget, "render_lines", recorded)
        await pilot.press("pagedown")
        await until(pilot, lambda: "TranscriptView" in rendered)
        await pilot.pause(0.1)

    run_pilot(app, scenario, size=(120, 40))
    assert "CodebookTree" not in rendered
