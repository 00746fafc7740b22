"""Import speed and command start-up (issue #2).

- `qcode import DIR` of 50 transcripts x 40,000 characters (2 M characters, realistic Chinese interview
  text with speaker labels and timestamps, a third of the files in GB18030), each run into a fresh
  project: median of 5 runs of the real CLI (target <= 3 s).
- `qcode --help`: median of 10 runs (target <= 0.3 s).

Run: python benchmarks/import_and_startup.py
"""

from __future__ import annotations

import random
import statistics
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


def make_file(path: Path, characters: int, rng: random.Random, encoding: str) -> None:
    lines, total, turn = [], 0, 0
    while total < characters:
        stamp = f"[{turn // 60:02d}:{turn % 60:02d}:{rng.randrange(60):02d}] "
        speaker = "访谈者" if turn % 2 == 0 else "受访者B"
        body = "".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 6)))
        line = f"{stamp}{speaker}：{body}"
        lines.append(line)
        total += len(line) + 1
        turn += 1
    path.write_bytes("\n".join(lines).encode(encoding))


def median_seconds(command: list[str], runs: int, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    rng = random.Random(2)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "interviews"
        folder.mkdir()
        for i in range(50):
            make_file(folder / f"I{i:02d}.txt", 40_000, rng, "gb18030" if i % 3 == 0 else "utf-8")
        counter = iter(range(100))
        project = Path(tmp) / "p"

        def fresh_project() -> None:
            nonlocal project
            project = Path(tmp) / f"p{next(counter)}"
            subprocess.run([sys.executable, "-m", "qcode", "init", str(project)], check=True, capture_output=True)

        times = []
        for _ in range(5):
            fresh_project()
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "qcode", "import", str(folder), "-p", str(project)],
                           check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        chars = sum(len(p.read_bytes()) for p in folder.iterdir())  # bytes, for scale only
        print(f"qcode import: 50 files x 40,000 characters ({chars / 1e6:.1f} MB on disk): "
              f"median {statistics.median(times):.2f} s of 5 (runs: {', '.join(f'{t:.2f}' for t in times)}) "
              "(target <= 3 s)")
    help_time = median_seconds([sys.executable, "-m", "qcode", "--help"], 10)
    print(f"qcode --help: median {help_time:.3f} s of 10 (target <= 0.3 s)")


if __name__ == "__main__":
    main()
