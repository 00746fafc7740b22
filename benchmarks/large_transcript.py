"""One very large transcript (issue #10): a 50 MB single-line interview imported, indexed and searched.

- `qcode import` of a 50 MB UTF-8 file that is one speaker turn on one line (about 16.7 M Chinese
  characters, sentences ending in 。！？), into a fresh project (target: import and index <= 30 s).
- the first `qcode search`, which builds the word index (jieba over the whole text, on every core).
- `qcode search` again for a word found a few hundred times, the index built (target <= 1 s).

Wall and CPU seconds of the real CLI; the reference is `python -c pass` started the same way in the same
run, so that a busy machine shows as a high reference. Run (from the project root, qcode installed):
`python benchmarks/large_transcript.py [MB]` (50 MB by default; a few minutes on 2 cores).
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCES = [
    "我们这个号是二〇一六年开的，当时是上面要求每个部门都要有。", "说实话，阅读量一直上不去，一条推送也就几百。",
    "后台留言我们尽量当天回复，但是涉及别的部门就得转办。", "老年人不会用，找不到入口，只能到窗口来办。",
    "领导很重视，每周例会都要问留言处理得怎么样？", "经费的话，一年就几万块，请人拍视频都不够！",
    "嗯……这个问题我觉得还是人手不够；三个编辑都是兼职。", "“一网通办”推了以后，系统对接还是没打通。",
]
RARE = "政务新媒体考核办法"  # a few hundred times in the whole text


def make_transcript(path: Path, megabytes: float, rng: random.Random) -> None:
    parts, size, target = ["受访者A："], 0, int(megabytes * 1_000_000)
    while size < target:
        sentence = RARE + "出台以后压力更大了。" if rng.random() < 0.0003 else rng.choice(SENTENCES)
        parts.append(sentence)
        size += len(sentence.encode("utf-8"))
    path.write_text("".join(parts), encoding="utf-8")  # one line, no line break at all


def timed(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system of the child) and the last line of output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = [line for line in (done.stdout + done.stderr).strip().splitlines() if "hit(s)" in line or "import" in line]
    return wall, cpu, lines[-1] if lines else ""


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 50.0
    qcode = [sys.executable, "-m", "qcode"]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "big.txt"
        make_transcript(source, megabytes, random.Random(10))
        project = Path(tmp) / "proj"
        subprocess.run([*qcode, "init", str(project)], check=True, capture_output=True)
        reference = timed([sys.executable, "-c", "pass"])
        print(f"{os.path.getsize(source) / 1e6:.1f} MB on one line; reference `python -c pass`: "
              f"{reference[0]:.2f} s wall")
        steps = [
            ("import", [*qcode, "import", str(source), "-p", str(project)]),
            ("first search (indexes)", [*qcode, "search", RARE, "-p", str(project)]),
            ("search, second", [*qcode, "search", RARE, "-p", str(project)]),
        ]
        totals = {}
        for label, args in steps:
            wall, cpu, last = timed(args)
            totals[label] = wall
            print(f"{label:24s} {wall:7.2f} s wall {cpu:7.2f} s CPU   {last[:70]}")
        print(f"import + index: {totals['import'] + totals['first search (indexes)']:.1f} s wall (target <= 30 s); "
              f"search after: {totals['search, second']:.2f} s (target <= 1 s)")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
        print(f"largest peak memory of one process (qcode or an indexing worker): {peak:.0f} MiB; "
              f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
