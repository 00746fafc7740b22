"""The coding screen at scale, headless through Pilot (issue #3).

For transcripts of 30k, 300k and 1.5M Chinese characters with 5,000 codings each, each measured in a
fresh Python process (as a user starts qcode):

- import: loading qcode's TUI modules (Textual included);
- open: wall time from creating the app on the project to the first drawn row of the transcript
  (the coding screen is on screen then); idle: until Pilot finds the app idle (workers done);
- the CPU time per key press (`time.process_time()` around `pilot.press()` + `pilot.pause()`; Pilot's
  own waits sleep, so wall time is no measure) for "next sentence" and for "apply code" (typing a
  two-character hotkey such as s4, both keys counted together);
- peak traced memory (tracemalloc) while opening, for the 300k case.

Run: python benchmarks/tui.py
"""

from __future__ import annotations

import asyncio
import gc
import json
import random
import subprocess
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

IMPORT_START = time.perf_counter()
from qcode.domain.models import Coding, UnitKind  # noqa: E402
from qcode.project.codebook_loading import load_codebook_into  # noqa: E402
from qcode.project.importing import cut_into_units, sha256_of, speaker_pattern  # noqa: E402
from qcode.project.project import Project  # noqa: E402
from qcode.resources import bundled_codebook  # noqa: E402
from qcode.tui.app import QcodeApp  # noqa: E402
from qcode.tui.widgets.transcript_view import TranscriptView  # noqa: E402
from qcode.userconfig import UserConfig  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - IMPORT_START

SIZE = (120, 40)
PRESSES = 60
PHRASES = ["公众号的信息更新太慢了", "留言回复不及时，群众意见很大", "领导很重视这个工作", "老年人不会用手机办事👍",
           "经费一直不够用", "我们做了很多推广", "上级每季度都要抽查", "系统对接还没有打通", "𠮷野家的留言也是我回"]


def make_text(characters: int, rng: random.Random) -> str:
    parts, total, turn = [], 0, 0
    while total < characters:
        speaker = "访谈者" if turn % 2 == 0 else "受访者A"
        body = "".join(f"{rng.choice(PHRASES)}{rng.choice('。！？')}" for _ in range(rng.randint(1, 8)))
        line = f"{speaker}：{body}\n"
        parts.append(line)
        total += len(line)
        turn += 1
    return "".join(parts)


def build(root: Path, characters: int, n_codings: int = 5000) -> Path:
    rng = random.Random(characters)
    project = Project.init(root)
    load_codebook_into(project, bundled_codebook())
    codes = [c.id for c in project.store.codes.rows() if c.codable]
    text = make_text(characters, rng)
    store = project.store
    with store.transaction(source="benchmark") as tx:
        info = store.transcripts.insert(guid=str(uuid.uuid4()), name="long", sha256=sha256_of(text), text=text,
                                        source_path=None, encoding="utf-8")
        units = cut_into_units(text, speaker_pattern(project.config.imports))
        store.transcripts.replace_units(info.id, units)
        sentences = [u for u in units if u.kind is UnitKind.SENTENCE]
        seen: set[tuple[str, int, int]] = set()
        while len(seen) < n_codings:  # distinct (code, span): the store refuses the same coding twice
            first = rng.randrange(len(sentences))
            last = min(len(sentences) - 1, first + rng.choice((0, 0, 0, 1, 2)))
            key = (rng.choice(codes), sentences[first].start, sentences[last].end)
            if key in seen:
                continue
            seen.add(key)
            coding = Coding(str(uuid.uuid4()), "ann", "long", key[0], key[1], key[2], "", "", "")
            store.codings.insert(tx, coding, info.id)
    project.close()
    return root


async def measure(root: Path, *, trace_memory: bool = False) -> dict[str, float]:
    gc.collect()
    if trace_memory:
        tracemalloc.start()
    first_paint: list[float] = []
    draw = TranscriptView.render_line

    def timed_render_line(view: TranscriptView, y: int):  # benchmark-only probe of the first drawn row
        if not first_paint:
            first_paint.append(time.perf_counter())
        return draw(view, y)

    TranscriptView.render_line = timed_render_line  # type: ignore[method-assign]
    started = time.perf_counter()
    app = QcodeApp(Project.open(root), coder="ann", transcript="long", user_config=UserConfig(path=root / "u.toml"),
                   theme="textual-dark", remember_coder=False)
    result: dict[str, float] = {"import_s": IMPORT_SECONDS}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        result["idle_s"] = time.perf_counter() - started
        result["open_s"] = first_paint[0] - started
        TranscriptView.render_line = draw  # type: ignore[method-assign]
        if trace_memory:
            result["peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        next_sentence, apply_code = [], []
        for i in range(PRESSES):
            t = time.process_time()
            await pilot.press("down")
            await pilot.pause()
            next_sentence.append(time.process_time() - t)
            key = ("s", "4") if i % 2 == 0 else ("o", "3")
            t = time.process_time()
            await pilot.press(*key)
            await pilot.pause()
            apply_code.append(time.process_time() - t)
        for name, samples in (("next_sentence", next_sentence), ("apply_code", apply_code)):
            ms = sorted(s * 1000 for s in samples)
            result[f"{name}_median_ms"] = statistics.median(ms)
            result[f"{name}_p95_ms"] = ms[int(0.95 * (len(ms) - 1))]
    app.project.close()
    return result


def fresh_process(root: Path, trace_memory: bool = False) -> dict[str, float]:
    """Measure in a new interpreter, so imports and first-time costs count as they do for a user."""
    args = [sys.executable, __file__, "--measure", str(root)] + (["--memory"] if trace_memory else [])
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        print(json.dumps(asyncio.run(measure(Path(sys.argv[2]), trace_memory="--memory" in sys.argv))))
        return
    runs = 3
    with tempfile.TemporaryDirectory() as tmp:
        print(f"terminal {SIZE[0]}x{SIZE[1]}, 5,000 codings, {PRESSES} presses of each kind; median of {runs} fresh processes")
        print(f"{'characters':>10}  {'import':>6}  {'open':>5}  {'idle':>5}  {'next sentence ms CPU':>20}  "
              f"{'apply code ms CPU':>18}")
        for characters in (30_000, 300_000, 1_500_000):
            root = build(Path(tmp) / f"p{characters}", characters)
            results = [fresh_process(root) for _ in range(runs)]

            def med(key: str) -> float:
                return statistics.median(r[key] for r in results)  # noqa: B023  # called in this iteration only

            print(f"{characters:>10,}  {med('import_s'):>5.2f}s  {med('open_s'):>4.2f}s  {med('idle_s'):>4.2f}s  "
                  f"{med('next_sentence_median_ms'):>8.1f} (p95 {med('next_sentence_p95_ms'):>4.1f})  "
                  f"{med('apply_code_median_ms'):>7.1f} (p95 {med('apply_code_p95_ms'):>4.1f})")
        memory = fresh_process(Path(tmp) / "p300000", trace_memory=True)
        print(f"peak traced memory while opening the 300k transcript: {memory['peak_mib']:.1f} MiB")
        print("open = app created -> first row of the transcript drawn; idle = until Pilot finds the app idle")


if __name__ == "__main__":
    main()
