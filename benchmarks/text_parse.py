"""Time decoding, speaker-turn parsing and sentence splitting of 2 M characters of interview text.

Prints the median of 5 runs (wall clock and CPU) for each stage and for the whole pipeline, for UTF-8 and GB18030 input.
The import target (50 transcripts x 40,000 characters in <= 3 s, database included) leaves this part
well under 0.5 s. Run from the project root with qcode installed: `python benchmarks/text_parse.py`.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from qcode.text.decode import decode_bytes
from qcode.text.sentences import sentences_of_turns
from qcode.text.turns import parse_turns

TRANSCRIPTS = 50
CHARACTERS_PER_TRANSCRIPT = 40_000
RUNS = 5

_CLAUSES = (
    "我们局里面对政务公开这个事情非常重视", "每年都有考核指标", "但是说实话基层的人手不够", "群众留言太多了",
    "有时候回不过来", "后台留言我们尽量当天回复", "这个要看部门", "像人社、医保一般三五天就有答复",
    "公众号粉丝3.5万", "2021年那次之后中心专门出了一个应急流程", "嗯", "怎么说呢", "（笑）", "[听不清]",
    "领导对这个号还是重视的", "我们12:30开会", "“一网通办”推了好几年了", "系统就进不去了，一直转圈圈",
    "技术上我们基本没有能力", "部门之间没有打通吧", "Ｑ群里也有人问", "𠮷字在系统里打不出来",
)
_ENDINGS = ("。", "。", "。", "，", "！", "？", "……", "；", "？！", "。”")
_LABELS = (
    "访谈者：", "受访者A：", "受访者1：", "被访者:", "主持人：", "问3：", "答：", "Q: ", "A: ", "【访谈者】",
    "[受访者]", "[00:12:03] 受访者B：", "受访者C（00:14:02）：", "说话人1 00:15:20\n", "发言人2 00:03\n",
)


def transcript(rng: random.Random) -> str:
    """One synthetic transcript of about CHARACTERS_PER_TRANSCRIPT characters with mixed label styles."""
    parts = ["访谈编号：A01\n访谈时间：2024年3月12日 15:10—16:05\n访谈地点：临溪县融媒体中心\n\n"]
    size = 0
    while size < CHARACTERS_PER_TRANSCRIPT:
        turn = [rng.choice(_LABELS)]
        for _ in range(rng.randint(1, 12)):
            turn.append(rng.choice(_CLAUSES) + rng.choice(_ENDINGS))
            if rng.random() < 0.08:
                turn.append("\n")  # a continuation line inside the turn
        turn.append("\n\n")
        piece = "".join(turn)
        parts.append(piece)
        size += len(piece)
    return "".join(parts)


def median_seconds(stage: Callable[[], object]) -> tuple[float, float]:
    """Median wall-clock and CPU seconds; CPU time is steadier on a shared, noisy machine."""
    wall, cpu = [], []
    for _ in range(RUNS):
        began_wall, began_cpu = time.perf_counter(), time.process_time()
        stage()
        wall.append(time.perf_counter() - began_wall)
        cpu.append(time.process_time() - began_cpu)
    return statistics.median(wall), statistics.median(cpu)


def report(texts: list[str], encoding: str) -> None:
    """Print the timings of each stage for the texts stored in `encoding`."""
    characters = sum(len(t) for t in texts)
    files = [t.encode(encoding) for t in texts]
    assert [decode_bytes(data).text for data in files] == texts
    turns = [parse_turns(t) for t in texts]
    sentences = sum(len(sentences_of_turns(t, ts)) for t, ts in zip(texts, turns, strict=True))

    def pipeline() -> None:
        for data in files:
            text = decode_bytes(data).text
            sentences_of_turns(text, parse_turns(text))

    stages = {
        "decode": lambda: [decode_bytes(data) for data in files],
        "turns": lambda: [parse_turns(t) for t in texts],
        "sentences": lambda: [sentences_of_turns(t, ts) for t, ts in zip(texts, turns, strict=True)],
        "all three": pipeline,
    }
    print(f"{encoding} ({sum(map(len, files)) / 1e6:.1f} MB, {sum(map(len, turns)):,} turns, "
          f"{sentences:,} sentences)")
    for name, stage in stages.items():
        wall, cpu = median_seconds(stage)
        print(f"  {name:<10} {wall:6.3f} s wall  {cpu:6.3f} s CPU  {characters / wall / 1e6:6.1f} M chars/s")


def main() -> None:
    rng = random.Random(20240312)
    texts = [transcript(rng) for _ in range(TRANSCRIPTS)]
    print(f"{TRANSCRIPTS} transcripts, {sum(map(len, texts)):,} characters; median of {RUNS} runs")
    for encoding in ("utf-8", "gb18030"):
        report(texts, encoding)


if __name__ == "__main__":
    main()
