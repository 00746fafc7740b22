"""Key presses and memory of the coding screen against a bare Textual ScrollView of the same text (issue 11,
points 6 and 7).

For transcripts of 30k and 1.5M Chinese characters with 5,000 codings (the project of benchmarks/tui.py),
at 120x40, headless through Pilot, each side in fresh Python processes, in the same run:

- qcode: `qcode code` on the transcript (QcodeApp, coding screen, word index and matcher built first, so
  no worker thread runs while keys are timed);
- bare: a Textual app with one `ScrollView` drawing the same text, wrapped to the same width, one
  `Strip` per row (Textual's own cost of showing that text and scrolling it).

Per key: CPU milliseconds (`time.process_time()` around the key, sent as a terminal sends it, and a short
sleep in which the screen's own update timer draws it; sleeping costs no CPU). Down and Page Down are
compared with the bare view's Down and Page Down; applying a code (a two-key hotkey, s4 or o3, on the next
sentence: the coding is stored, drawn and counted) with two bare Down presses (the same number of keys).
`updates/key` counts compositor refreshes of the screen per key (Screen._compositor_refresh while the
screen is current).

Interleaved: in each run the apps are open at once, each in its own process, and take turns pressing keys
in blocks of a few presses (the order alternating), so a machine that slows down or speeds up during the
run (a shared machine does, by a third) weighs on both sides alike. A run's ratio is the median of the
qcode presses over the median of the bare presses of that run; the figure is the median over the runs.

Peak RSS (VmHWM) is the whole life of the process (for qcode: opening, the word index build, the key
presses), with the peak of its child processes beside it (the word index is built in one; ru_maxrss,
which counts the TUI's pages copied at fork).

Run: python benchmarks/tui_keys.py [--sizes 30000,1500000] [--runs 3] [--presses 40] [--block 4] [--codings 5000]
[--why]
(`--why` prints which widgets one Down press renders on the coding screen, and the peak RSS by stage.)
"framed bare" is the bare view inside the coding screen's frame (status line, a side pane of Statics, a
footer; nothing in it changes): what Textual itself spends compositing a screen of that shape.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
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
    # The keys as a terminal sends them, then a sleep in which the screen's own update timer draws them.
    # Not Pilot.press/pause: they also make every widget of the screen handle a callback and then force a
    # redraw, a test-harness step a real key press does not take, whose cost grows with the number of
    # widgets (it made a qcode key look up to 2 ms dearer than it is).
    await pilot.app._press_keys(keys)
    await asyncio.sleep(SETTLE)
    return (time.process_time() - started) * 1000, counter.updates - updates


async def _page_downs(pilot: Any, app: Any, counter: UpdateCounter, presses: int,
                      samples: list[tuple[float, int]], from_top: bool = True) -> None:
    """Time `presses` Page Downs that each move the view a whole page (from the top if `from_top`).

    Both views start at the top (Home, not timed); when less than a page is left below, Home again (not
    timed), so that no timed press meets the end of the text, where a view has nothing to scroll and
    nothing to draw (the bare view's rows are wider and fewer, so it would get there first)."""
    view = app.focused
    for press in range(presses):
        if (press == 0 and from_top) or view.scroll_y + view.scrollable_content_region.height > view.max_scroll_y:
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


async def _open_qcode(root: Path) -> Any:
    gc.disable()  # as `qcode code` does for the start-up (qcode/cli/tui_cmds.py); the app turns it back on
    from qcode.project.project import Project  # lazy: measured in the child process only
    from qcode.tui.app import QcodeApp  # lazy: as above
    from qcode.userconfig import UserConfig  # lazy: as above

    return QcodeApp(Project.open(root), coder="ann", transcript="long", user_config=UserConfig(path=root / "u.toml"),
                    theme="textual-dark", remember_coder=False)


class KeyServer:
    """One app, open in this (child) process, pressing keys when the parent asks (one line per block)."""

    def __init__(self, kind: str, pilot: Any, app: Any, counter: UpdateCounter) -> None:
        self.kind, self.pilot, self.app, self.counter = kind, pilot, app, counter
        self.applied = 0
        self.paged = False

    async def block(self, phase: str, presses: int) -> dict[str, list[tuple[float, int]]]:
        """`presses` Downs (each followed, in qcode, by a two-key hotkey), or `presses` Page Downs."""
        if phase == "pagedown":
            samples: list[tuple[float, int]] = []
            await _page_downs(self.pilot, self.app, self.counter, presses, samples, from_top=not self.paged)
            self.paged = True
            return {"pagedown": samples}
        result: dict[str, list[tuple[float, int]]] = {"down": [], "apply": []}
        for _ in range(presses):
            result["down"].append(await _press(self.pilot, self.counter, "down"))
            if self.kind == "qcode":
                hotkey = ("s", "4") if self.applied % 2 == 0 else ("o", "3")
                result["apply"].append(await _press(self.pilot, self.counter, *hotkey))
                self.applied += 1
        return result


def _reply(value: object) -> None:
    print(json.dumps(value), flush=True)


async def serve(kind: str, root: Path, why: bool) -> None:
    """The child process: open the app, say "ready", then press blocks of keys on request until "quit"."""
    counter = UpdateCounter()
    app = await _open_qcode(root) if kind == "qcode" else _bare_app((root / BARE_TEXT).read_text(encoding="utf-8"),
                                                                     sidebar=kind == "framed")
    stages: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        await _until_settled(pilot, app)
        stages["opened"] = _peak_rss()[0]
        await _press(pilot, counter, "down")  # first press: one-off costs
        if why:
            counter.rendered.clear()
            _ms, updates = await _press(pilot, counter, "down")
            print(f"one Down: {updates} compositor update(s); rendered: {dict(counter.rendered)}", file=sys.stderr)
        server = KeyServer(kind, pilot, app, counter)
        _reply("ready")
        read_line = asyncio.get_running_loop().run_in_executor
        while (line := (await read_line(None, sys.stdin.readline)).split()) and line[0] != "quit":
            _reply(await server.block(line[0], int(line[1])))
            stages[f"after {line[0]}"] = _peak_rss()[0]
        await _until_settled(pilot, app)
        if why:
            print(f"peak RSS (MiB) after each stage: {stages}", file=sys.stderr)
    if kind == "qcode":
        app.project.close()
    own, children = _peak_rss()
    _reply({"rss_mib": own, "children_rss_mib": children})


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


class Child:
    """A child process serving one app (see `serve`)."""

    def __init__(self, kind: str, root: Path, why: bool, cpu: int | None) -> None:
        args = [sys.executable, __file__, "--child", kind, str(root)] + (["--why"] if why else [])
        self.kind = kind
        self.process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        if cpu is not None:
            # All three apps on one core: they take turns, so they never compete, and a core that a
            # neighbour keeps busier (or a sibling hyperthread) cannot favour one of them for a whole run.
            os.sched_setaffinity(self.process.pid, {cpu})
        assert self._read() == "ready", f"{kind} did not start"

    def _read(self) -> Any:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the {self.kind} child stopped (exit {self.process.wait()})")
        return json.loads(line)

    def ask(self, command: str) -> Any:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> dict[str, float]:
        result = self.ask("quit")
        self.process.wait()
        return result


def interleaved_run(root: Path, presses: int, block: int, why: bool, cpu: int | None) -> dict[str, dict[str, Any]]:
    """One run: the three apps open at once (started one after another), pressing keys in turns."""
    kinds = ("qcode", "bare", "framed")
    children = {kind: Child(kind, root, why and kind == "qcode", cpu) for kind in kinds}
    samples: dict[str, dict[str, list[tuple[float, int]]]] = {kind: {} for kind in kinds}
    try:
        for phase in ("down", "pagedown"):
            for turn in range(max(1, presses // block)):
                for kind in kinds if turn % 2 == 0 else kinds[::-1]:
                    for name, pairs in children[kind].ask(f"{phase} {block}").items():
                        samples[kind].setdefault(name, []).extend(pairs)
    finally:
        memory = {kind: child.close() for kind, child in children.items()}
    return {kind: {**_summary({name: pairs for name, pairs in samples[kind].items() if pairs}), **memory[kind]}
            for kind in kinds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="30000,1500000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--block", type=int, default=4, help="presses per turn of an app")
    parser.add_argument("--codings", type=int, default=5000, help="codings in the project (0: the cost of the text alone)")
    parser.add_argument("--cpu", type=int, default=0, help="the core the three apps share (-1: any core)")
    parser.add_argument("--why", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "ROOT"))
    arguments = parser.parse_args()
    if arguments.child:
        kind, root = arguments.child
        asyncio.run(serve(kind, Path(root), arguments.why))
        return

    sys.path.insert(0, str(HERE))
    from tui import build  # lazy: the project builder of benchmarks/tui.py (imports qcode)

    from qcode.project.project import Project  # lazy: only the parent builds projects

    # One core for the three apps of a run (Linux); `--cpu -1` lets the system place them.
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    cpu = None if arguments.cpu < 0 or not cpus else (arguments.cpu if arguments.cpu in cpus else cpus[0])
    with open("/proc/loadavg") as loadavg:
        load = loadavg.read().split()[:3]
    print(f"{SIZE[0]}x{SIZE[1]}, {arguments.codings:,} codings, {arguments.presses} presses per key in blocks of {arguments.block}, "
          f"{arguments.runs} runs (qcode, bare and framed bare open at once, taking turns"
          f"{'' if cpu is None else f', all on CPU {cpu}'}); load average {' '.join(load)}")
    with tempfile.TemporaryDirectory() as tmp:
        for characters in (int(part) for part in arguments.sizes.split(",")):
            root = build(Path(tmp) / f"p{characters}", characters, arguments.codings)
            with Project.open(root) as project:
                info = project.store.transcripts.by_name("long")
                assert info is not None
                (root / BARE_TEXT).write_text(project.store.transcripts.text(info.id), encoding="utf-8")
            runs = [interleaved_run(root, arguments.presses, arguments.block, arguments.why and run == 0, cpu)
                    for run in range(arguments.runs)]
            report(characters, runs)


def report(characters: int, runs: list[dict[str, dict[str, Any]]]) -> None:
    def med(kind: str, key: str) -> float:
        return statistics.median(run[kind][key] for run in runs)

    def ratio(key: str, reference_key: str, kind: str, keys: int) -> tuple[float, list[float]]:
        """The median over the runs of each run's qcode/reference ratio, and the runs' ratios."""
        each = [run["qcode"][key] / (keys * run[kind][reference_key]) for run in runs]
        return statistics.median(each), each

    print(f"{characters:,} characters")
    rows = (("Down", "down", 1, 1.2), ("Page Down", "pagedown", 1, 1.2), ("apply code (2 keys)", "apply", 2, 2.0))
    for label, key, keys, target in rows:
        reference_key = "down" if key == "apply" else key
        bare, each = ratio(f"{key}_ms", f"{reference_key}_ms", "bare", keys)
        framed, _ = ratio(f"{key}_ms", f"{reference_key}_ms", "framed", keys)
        print(f"  {label:<20} qcode {med('qcode', f'{key}_ms'):5.1f} ms CPU  bare {keys * med('bare', f'{reference_key}_ms'):5.1f} ms"
              f"  ratio {bare:4.2f}x (target <= {target}x; runs {' '.join(f'{r:.2f}' for r in each)})"
              f"  [framed bare ratio {framed:4.2f}x]"
              f"  updates/key qcode {med('qcode', f'{key}_updates') / keys:.0f} bare {med('bare', f'{reference_key}_updates'):.0f}")
    rss, bare_rss = med("qcode", "rss_mib"), med("bare", "rss_mib")
    print(f"  peak RSS             qcode {rss:6.0f} MiB (children {med('qcode', 'children_rss_mib'):.0f} MiB)  "
          f"bare {bare_rss:6.0f} MiB  ratio {rss / bare_rss:4.2f}x "
          f"({'target <= 2x' if characters >= 1_500_000 else 'the target, 2x, is at 1.5M characters'})")


if __name__ == "__main__":
    main()
