"""Benchmark the transcript view on synthetic Chinese transcripts of 30k, 300k and 1.5M characters.

For each size: a transcript of speaker turns (labels, sentences ending in 。！？, some emoji, some
non-BMP ideographs) with 5,000 random highlights is shown in a minimal app at 120x40, headless. Prints

- open: CPU seconds from creating the app to the first frame (the whole app), and the view's own
  share of it (text layout + drawing the visible rows);
- CPU milliseconds per key press (`time.process_time()` around `pilot.press` + `pilot.pause`),
  median and p95, for "next sentence" and for "apply code" (a key that adds one highlight over the
  target span, which is what applying a code does to the view);
- for comparison, the same for a key nothing is bound to (Textual's own cost per key press);
- peak memory (tracemalloc) of opening the 300k transcript, and the process's peak RSS.

Run from the project root (with qcode installed, or `PYTHONPATH=.`):
`python benchmarks/transcript_view.py [--sizes 30000,300000,1500000] [--presses 200]`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import sys
import time
import tracemalloc
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType

from qcode.domain.models import Span
from qcode.tui.text_layout import TextLayout, display_blocks
from qcode.tui.widgets import Highlight, TranscriptView, Turn

SIZE = (120, 40)
HIGHLIGHTS = 5_000
CODE_COLORS = ["#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6"]
HANZI = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点"
    "从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原"
    "群众留言热线办理服务街道社区政务平台数据共享窗口审批"
)
LABELS = ["访谈者：", "受访者A：", "受访者B：", "问：", "答："]
EMOJI = ["👍", "😂", "🙏", "𠮷"]


def make_transcript(size: int, seed: int = 7) -> tuple[str, list[Turn], list[Span]]:
    """A synthetic transcript of about `size` characters, with its turns and sentences."""
    rnd = random.Random(seed)
    parts: list[str] = []
    turns: list[Turn] = []
    sentences: list[Span] = []
    length = 0
    while length < size:
        label = rnd.choice(LABELS)
        label_start = length
        body_start = label_start + len(label)
        parts.append(label)
        cursor = body_start
        for _ in range(rnd.randint(1, 12)):
            count = rnd.randint(8, 40)
            sentence = "".join(rnd.choice(HANZI) for _ in range(count))
            if rnd.random() < 0.25:
                sentence = sentence[: count // 2] + "，" + sentence[count // 2 :]
            if rnd.random() < 0.1:
                sentence += rnd.choice(EMOJI)
            sentence += rnd.choice("。。。！？")
            parts.append(sentence)
            sentences.append(Span(cursor, cursor + len(sentence)))
            cursor += len(sentence)
        turns.append(Turn(label_start, body_start, body_start, cursor, label.rstrip("：")))
        parts.append("\n\n")
        length = cursor + 2
    return "".join(parts), turns, sentences


def make_highlights(sentences: list[Span], count: int, seed: int = 11) -> list[Highlight]:
    """`count` random highlights of one to three sentences each."""
    rnd = random.Random(seed)
    highlights = []
    for number in range(count):
        first = rnd.randrange(len(sentences))
        last = min(len(sentences) - 1, first + rnd.randint(0, 2))
        start, end = sentences[first].start, sentences[last].end
        color = rnd.choice(CODE_COLORS)
        highlights.append(Highlight(f"h{number}", start, end, color, "abcdefgh"[CODE_COLORS.index(color)]))
    return highlights


class BenchApp(App[None]):
    """The view alone, plus an "apply code" key like the coding screen's."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("a", "apply_code", "Apply code")]

    def __init__(self, text: str, turns: list[Turn], sentences: list[Span], highlights: list[Highlight]):
        super().__init__()
        self._document = (text, turns, sentences, highlights)
        self._applied = 0

    def compose(self) -> ComposeResult:
        yield TranscriptView(*self._document)

    def on_mount(self) -> None:
        self.query_one(TranscriptView).focus()

    def action_apply_code(self) -> None:
        view = self.query_one(TranscriptView)
        span = view.target_span()
        self._applied += 1
        view.add_highlight(Highlight(f"new{self._applied}", span.start, span.end, "#4363d8", "d"))


async def press_costs(pilot, key: str, presses: int) -> list[float]:
    """CPU milliseconds of each of `presses` presses of `key` (press + wait until idle)."""
    costs = []
    for _ in range(presses):
        started = time.process_time()
        await pilot.press(key)
        await pilot.pause()
        costs.append((time.process_time() - started) * 1000)
    return costs


def summary(costs: list[float]) -> str:
    ordered = sorted(costs)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):6.1f} ms  p95 {p95:6.1f} ms"


def layout_cost(text: str, turns: list[Turn]) -> float:
    """CPU seconds of laying the text out at 120 columns (as the view does: scrollbar and gutter off)."""
    started = time.process_time()
    width = SIZE[0] - 1 - TranscriptView.GUTTER_WIDTH
    TextLayout(text, display_blocks(text, turns), width, block_gap=True)
    return time.process_time() - started


async def bench_size(size: int, presses: int, *, report: bool = True) -> None:
    text, turns, sentences = make_transcript(size)
    highlights = make_highlights(sentences, HIGHLIGHTS)
    started = time.process_time()
    app = BenchApp(text, turns, sentences, highlights)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        opened = time.process_time() - started
        view = app.query_one(TranscriptView)
        view.notify_style_update()  # forget cached rows and styles, then draw the visible ones again
        draw_started = time.process_time()
        for y in range(SIZE[1]):
            view.render_line(y)
        draw = time.process_time() - draw_started
        layout = layout_cost(text, turns)
        rows = view.text_layout.row_count if view.text_layout else 0
        next_sentence = await press_costs(pilot, "down", presses)
        apply_code = await press_costs(pilot, "a", presses)
        unbound = await press_costs(pilot, "f12", presses)
    if not report:
        return
    print(f"{len(text):>9,} chars {len(turns):>6,} turns {len(sentences):>6,} sentences {rows:>7,} rows")
    print(f"  open (whole app, first frame)  {opened * 1000:7.0f} ms CPU")
    print(f"  view share: layout {layout * 1000:6.1f} ms + first draw {draw * 1000:5.1f} ms")
    print(f"  next sentence (down)    {summary(next_sentence)}")
    print(f"  apply code (add 1 hl)   {summary(apply_code)}")
    print(f"  unbound key (baseline)  {summary(unbound)}")


async def bench_memory(size: int) -> None:
    text, turns, sentences = make_transcript(size)
    highlights = make_highlights(sentences, HIGHLIGHTS)
    tracemalloc.start()
    app = BenchApp(text, turns, sentences, highlights)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    text_bytes = sys.getsizeof(text)
    print(
        f"memory at {len(text):,} chars with {HIGHLIGHTS:,} highlights: peak traced "
        f"{peak / 2**20:.1f} MiB while opening (the text itself {text_bytes / 2**20:.1f} MiB); "
        "process peak RSS so far "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="30000,300000,1500000")
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--memory-size", type=int, default=300_000)
    arguments = parser.parse_args()
    # Memory first, while the process holds nothing else; then a small warm-up run so that the first
    # size measured does not pay for Textual's one-off start-up work (CSS parsing, imports).
    asyncio.run(bench_memory(arguments.memory_size))
    asyncio.run(bench_size(3_000, 5, report=False))
    for size in (int(part) for part in arguments.sizes.split(",")):
        asyncio.run(bench_size(size, arguments.presses))


if __name__ == "__main__":
    main()
