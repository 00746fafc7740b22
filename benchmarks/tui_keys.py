"""Key presses and memory of the coding screen against a bare Textual ScrollView of the same text (issue 11,
points 6 and 7).

For transcripts of 30k and 1.5M Chinese characters with 5,000 codings (the project of benchmarks/tui.py),
at 120x40, headless through Pilot, each side in fresh Python processes, in the same run:

- qcode: `qcode code` on the transcript (QcodeApp, coding screen, word index and matcher built first, so
  no worker thread runs while keys are timed);
- bare: a Textual app with one `ScrollView` drawing the same text, wrapped to the same width, one
  `Strip` per row (Textual's own cost of showing that text and scrolling it).

Per key: CPU milliseconds (`time.process_time()` around `pilot.press` and a short sleep that lets the
screen's update timer fire; sleeping costs no CPU), median of the presses, then median over the runs.
Down and Page Down are compared with the bare view's Down and Page Down; applying a code (a two-key
hotkey, s4 or o3, on the next sentence: the coding is stored, drawn and counted) with two bare Down
presses (the same number of keys). `updates/key` counts compositor refreshes of the screen per key
(Screen._compositor_refresh while the screen is current). Peak RSS (VmHWM) is the whole life of the
process (for qcode: opening, the word index build, the key presses), with the peak of its child processes
beside it (the word index is built in one; ru_maxrss, which counts the TUI's pages copied at fork).

Run: python benchmarks/tui_keys.py [--sizes 30000,1500000] [--runs 3] [--presses 40] [--why]
(`--why` prints which widgets one Down press renders on the coding screen, and the peak RSS by stage.)
"framed bare" is the bare view inside the coding screen's frame (status line, a side pane of Statics, a
footer; nothing in it changes): what Textual itself spends compositing a screen of that shape.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

SIZE = (120, 40)
SETTLE = 0.04  # seconds of sleep after a key: longer than the screen's update period (1/60 s)
HERE = Path(__file__).resolve().parent
BARE_TEXT = "long.txt"  # the transcript's text, written next to the project for the bare view


def _peak_rss() -> tuple[float, float]:
    """Peak RSS in MiB of this process (VmHWM: ru_maxrss would keep the parent's size from before exec) and
    of its waited-for children (ru_maxrss: at least this process's size when it forked them)."""
    with open("/proc/self/status") as status:
        own = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


class UpdateCounter:
    """Counts compositor refreshes of the current screen (and, with `why`, the widgets rendered)."""

    def __init__(self) -> None:
        from textual.screen import Screen  # lazy: the parent process does not load Textual
        from textual.widget import Widget  # lazy: as above

        self.updates = 0
        self.rendered: Counter[str] = Counter()
        refresh, render_lines = Screen._compositor_refresh, Widget.render_lines
        counter = self

        def counted_refresh(screen: Any) -> None:
            if screen.is_current:
                counter.updates += 1
            refresh(screen)

        def counted_render_lines(widget: Any, crop: Any) -> Any:
            counter.rendered[f"{type(widget).__name__}#{widget.id or ''}"] += 1
            return render_lines(widget, crop)

        Screen._compositor_refresh = counted_refresh  # type: ignore[method-assign]  # benchmark probe
        Widget.render_lines = counted_render_lines  # type: ignore[method-assign]  # benchmark probe


async def _press(pilot: Any, counter: UpdateCounter, *keys: str) -> tuple[float, int]:
    """CPU milliseconds and compositor updates of pressing `keys` (and letting the screen update)."""
    updates = counter.updates
    started = time.process_time()
    await pilot.press(*keys)
    await pilot.pause(SETTLE)
    return (time.process_time() - started) * 1000, counter.updates - updates


async def _page_downs(pilot: Any, app: Any, counter: UpdateCounter, presses: int,
                      samples: list[tuple[float, int]]) -> None:
    """Time `presses` Page Downs that each move the view a whole page, from the top.

    Both views start at the top (Home, not timed); when less than a page is left below, Home again (not
    timed), so that no timed press meets the end of the text, where a view has nothing to scroll and
    nothing to draw (the bare view's rows are wider and fewer, so it would get there first)."""
    view = app.focused
    for press in range(presses):
        if press == 0 or view.scroll_y + view.scrollable_content_region.height > view.max_scroll_y:
            await pilot.press("home")
            await pilot.pause(SETTLE)
        before = view.scroll_y
        samples.append(await _press(pilot, counter, "pagedown"))
        assert view.scroll_y - before == view.scrollable_content_region.height, "Page Down did not move a page"


async def _until_settled(pilot: Any, app: Any) -> None:
    """Wait until every worker (word index, code matcher) is done, so no thread takes CPU while timing."""
    def index_pending() -> bool:  # the word index worker starts after the first frame, so ask the app too
        return not (getattr(app, "word_index_ready", True) or getattr(app, "word_index_error", None))

    while index_pending() or any(not worker.is_finished for worker in app.workers):
        await pilot.pause(0.05)
    await pilot.pause(0.2)


def _summary(samples: dict[str, list[tuple[float, int]]]) -> dict[str, float]:
    result = {}
    for name, pairs in samples.items():
        result[f"{name}_ms"] = statistics.median(ms for ms, _ in pairs)
        result[f"{name}_updates"] = statistics.median(updates for _, updates in pairs)
    return result


async def measure_qcode(root: Path, presses: int, why: bool) -> dict[str, float]:
    counter = UpdateCounter()
    from qcode.project.project import Project  # lazy: measured in the child process only
    from qcode.tui.app import QcodeApp  # lazy: as above
    from qcode.userconfig import UserConfig  # lazy: as above

    app = QcodeApp(Project.open(root), coder="ann", transcript="long", user_config=UserConfig(path=root / "u.toml"),
                   theme="textual-dark", remember_coder=False)
    samples: dict[str, list[tuple[float, int]]] = {"down": [], "pagedown": [], "apply": []}
    async with app.run_test(size=SIZE) as pilot:
        await _until_settled(pilot, app)
        stages = {"opened": _peak_rss()[0]}
        await _press(pilot, counter, "down")  # first press: one-off costs
        if why:
            counter.rendered.clear()
            _ms, updates = await _press(pilot, counter, "down")
            print(f"one Down: {updates} compositor update(s); rendered: {dict(counter.rendered)}", file=sys.stderr)
        for i in range(presses):
            samples["down"].append(await _press(pilot, counter, "down"))
            samples["apply"].append(await _press(pilot, counter, *(("s", "4") if i % 2 == 0 else ("o", "3"))))
        stages["down_apply"] = _peak_rss()[0]
        await _page_downs(pilot, app, counter, presses, samples["pagedown"])
        await _until_settled(pilot, app)
        stages["pagedown"] = _peak_rss()[0]
        if why:
            print(f"peak RSS (MiB) after each stage: {stages}", file=sys.stderr)
    app.project.close()
    own, children = _peak_rss()
    return {**_summary(samples), "rss_mib": own, "children_rss_mib": children}


def _bare_app(text: str, sidebar: bool = False) -> Any:
    from rich.cells import chop_cells  # lazy: the parent process does not load rich or Textual
    from rich.segment import Segment  # lazy: as above
    from textual.app import App, ComposeResult  # lazy: as above
    from textual.containers import Horizontal, Vertical  # lazy: as above
    from textual.geometry import Size  # lazy: as above
    from textual.scroll_view import ScrollView  # lazy: as above
    from textual.strip import Strip  # lazy: as above
    from textual.widgets import Static  # lazy: as above

    class BareView(ScrollView, can_focus=True):
        """The text wrapped by cells, one Strip per row; Textual's ScrollView bindings scroll it."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text
            self.rows: list[str] = []

        def on_resize(self) -> None:
            width = self.scrollable_content_region.width
            self.rows = [row for line in self.text.split("\n") for row in (chop_cells(line, width) or [""])]
            self.virtual_size = Size(width, len(self.rows))

        def render_line(self, y: int) -> Strip:
            row = int(self.scroll_y) + y
            width = self.scrollable_content_region.width
            if row >= len(self.rows):
                return Strip.blank(width, self.rich_style)
            return Strip([Segment(self.rows[row], self.rich_style)]).extend_cell_length(width, self.rich_style)

    class BareApp(App[None]):
        view_class = BareView
        CSS = "BareView { width: 1fr; } #side { width: 36; } #codes { height: 1fr; } #here { height: 12; }"

        def __init__(self) -> None:
            super().__init__()
            self.animation_level = "none"  # Page Down jumps, as in qcode (no smooth-scrolling frames)

        def compose(self) -> ComposeResult:
            if not sidebar:
                yield BareView(text)
                return
            # The coding screen's frame around the text (status line, side pane, footer), nothing updated in it.
            yield Static("status")
            with Horizontal():
                yield BareView(text)
                with Vertical(id="side"):
                    yield Static("pane title")
                    yield Static("\n".join(f"code {n}" for n in range(20)), id="codes")
                    yield Static("pane title")
                    yield Static("here", id="here")
            yield Static("footer")

        def on_mount(self) -> None:
            self.query_one(BareView).focus()

    return BareApp()


async def measure_bare(root: Path, presses: int, sidebar: bool = False) -> dict[str, float]:
    counter = UpdateCounter()
    app = _bare_app((root / BARE_TEXT).read_text(encoding="utf-8"), sidebar)
    samples: dict[str, list[tuple[float, int]]] = {"down": [], "pagedown": []}
    async with app.run_test(size=SIZE) as pilot:
        await _until_settled(pilot, app)
        await _press(pilot, counter, "down")
        for _ in range(presses):
            samples["down"].append(await _press(pilot, counter, "down"))
        await _page_downs(pilot, app, counter, presses, samples["pagedown"])
    own, children = _peak_rss()
    return {**_summary(samples), "rss_mib": own, "children_rss_mib": children}


def child(kind: str, root: Path, presses: int, why: bool = False) -> dict[str, float]:
    args = [sys.executable, __file__, "--child", kind, str(root), "--presses", str(presses)] + (["--why"] if why else [])
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    if done.stderr.strip():
        print(done.stderr.strip())
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="30000,1500000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--why", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "ROOT"))
    arguments = parser.parse_args()
    if arguments.child:
        kind, root = arguments.child
        measure = (measure_qcode(Path(root), arguments.presses, arguments.why) if kind == "qcode"
                   else measure_bare(Path(root), arguments.presses, sidebar=kind == "framed"))
        print(json.dumps(asyncio.run(measure)))
        return

    sys.path.insert(0, str(HERE))
    from tui import build  # lazy: the project builder of benchmarks/tui.py (imports qcode)

    from qcode.project.project import Project  # lazy: only the parent builds projects

    with open("/proc/loadavg") as loadavg:
        load = loadavg.read().split()[:3]
    print(f"{SIZE[0]}x{SIZE[1]}, 5,000 codings, {arguments.presses} presses per key, median of {arguments.runs} runs "
          f"(qcode and bare alternating); load average {' '.join(load)}")
    with tempfile.TemporaryDirectory() as tmp:
        for characters in (int(part) for part in arguments.sizes.split(",")):
            root = build(Path(tmp) / f"p{characters}", characters)
            with Project.open(root) as project:
                info = project.store.transcripts.by_name("long")
                assert info is not None
                (root / BARE_TEXT).write_text(project.store.transcripts.text(info.id), encoding="utf-8")
            runs: dict[str, list[dict[str, float]]] = {"qcode": [], "bare": [], "framed": []}
            for run in range(arguments.runs):
                runs["qcode"].append(child("qcode", root, arguments.presses, arguments.why and run == 0))
                runs["bare"].append(child("bare", root, arguments.presses))
                runs["framed"].append(child("framed", root, arguments.presses))
            report(characters, runs)


def report(characters: int, runs: dict[str, list[dict[str, float]]]) -> None:
    def med(kind: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[kind])

    print(f"{characters:,} characters")
    rows = (("Down", "down", 1, 1.2), ("Page Down", "pagedown", 1, 1.2), ("apply code (2 keys)", "apply", 2, 2.0))
    for label, key, keys, target in rows:
        mine = med("qcode", f"{key}_ms")
        reference_key = "down" if key == "apply" else key
        bare, framed = keys * med("bare", f"{reference_key}_ms"), keys * med("framed", f"{reference_key}_ms")
        print(f"  {label:<20} qcode {mine:5.1f} ms CPU  bare {bare:5.1f} ms  ratio {mine / bare:4.2f}x "
              f"(target <= {target}x)  [framed bare {framed:5.1f} ms, ratio {mine / framed:4.2f}x]  "
              f"updates/key qcode {med('qcode', f'{key}_updates') / keys:.0f} bare {med('bare', f'{reference_key}_updates'):.0f}")
    rss, bare_rss = med("qcode", "rss_mib"), med("bare", "rss_mib")
    print(f"  peak RSS             qcode {rss:6.0f} MiB (children {med('qcode', 'children_rss_mib'):.0f} MiB)  "
          f"bare {bare_rss:6.0f} MiB  ratio {rss / bare_rss:4.2f}x (target <= 2x)")


if __name__ == "__main__":
    main()
