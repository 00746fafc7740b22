"""Import speed and command start-up (issues #2 and #13).

- `qcode import DIR` of 50 transcripts x 40,000 characters (2 M characters, realistic Chinese interview
  text with speaker labels and timestamps, a third of the files in GB18030), each run into a fresh
  project: median of 5 runs of the real CLI (target <= 1.5 s).
- the same for 2 M characters laid out the ways issue 13 reads: Markdown with bold labels, front matter
  and headings (`**[00:01:02] 受访者B：** …`), and ASR exports (`潘倩祺   01:19` lines, export header).
- `qcode import --dry-run DIR` on the 50-file folder: median of 5 (target < 2 s).
- in process, per 2 M characters: the full layout (`text.layout.parse_layout`) against the bare label
  scan it builds on (`text.turns.parse_turns`), measured in the same run, as a ratio.
- `qcode --help`: median of 10 runs (target <= 0.3 s).

With QCODE_REFERENCE_CHECKOUT=/path/to/an/older/qcode/checkout, the labels import is also run with that
checkout's code (PYTHONPATH), interleaved run by run with this one, and the ratio of the medians is
printed: on a shared, noisy machine that ratio is the figure to trust.

Run: python benchmarks/import_and_startup.py
"""

from __future__ import annotations

import os
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


def make_file(path: Path, characters: int, rng: random.Random, encoding: str, style: str = "labels") -> None:
    lines, total, turn = [], 0, 0
    if style == "markdown":
        lines += ["---", "title: 县政务公众号访谈", "speaker: 课题组", "---", "", "# 访谈记录", ""]
    elif style == "asr":
        lines += ["临溪县政务公众号访谈", "2024年3月5日 下午 3:00|45分钟", "关键词:", "政务公众号、留言回复", "", "文字记录:"]
    while total < characters:
        clock = f"{turn // 60:02d}:{turn % 60:02d}:{rng.randrange(60):02d}"
        speaker = "访谈者" if turn % 2 == 0 else "受访者B"
        body = "".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 6)))
        if style == "markdown":
            line = f"**[{clock}] {speaker}：** {body}\n"
        elif style == "asr":
            line = f"{'潘倩祺' if turn % 2 == 0 else '李主任'}   {clock}\n{body}"
        else:
            line = f"[{clock}] {speaker}：{body}"
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


def make_folder(root: Path, name: str, style: str, suffix: str = ".txt") -> Path:
    rng = random.Random(2)
    folder = root / name
    folder.mkdir()
    for i in range(50):
        make_file(folder / f"I{i:02d}{suffix}", 40_000, rng, "gb18030" if i % 3 == 0 else "utf-8", style)
    return folder


def layout_ratio(folder: Path) -> str:
    """In-process seconds for the full layout and for the bare label scan, over the folder's texts."""
    from qcode.text.layout import parse_layout
    from qcode.text.readers import read_transcript
    from qcode.text.turns import parse_turns

    texts = [read_transcript(p).text for p in sorted(folder.iterdir())]
    results = []
    for function in (parse_layout, parse_turns):
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            for text in texts:
                function(text)
            runs.append(time.perf_counter() - start)
        results.append(statistics.median(runs))
    return f"layout {results[0]:.2f} s, label scan {results[1]:.2f} s, ratio {results[0] / results[1]:.1f}"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folders = {
            "labels (.txt)": make_folder(Path(tmp), "labels", "labels"),
            "Markdown bold labels (.md)": make_folder(Path(tmp), "markdown", "markdown", ".md"),
            "ASR name + time lines (.txt)": make_folder(Path(tmp), "asr", "asr"),
        }
        counter = iter(range(100))

        def fresh_project() -> Path:
            project = Path(tmp) / f"p{next(counter)}"
            subprocess.run([sys.executable, "-m", "qcode", "init", str(project)], check=True, capture_output=True)
            return project

        reference = os.environ.get("QCODE_REFERENCE_CHECKOUT")
        if reference:
            ours, theirs = [], []
            here = str(Path(__file__).resolve().parent.parent)
            for _ in range(5):
                for checkout, times in ((here, ours), (reference, theirs)):
                    env = {**os.environ, "PYTHONPATH": checkout}
                    project = Path(tmp) / f"r{next(counter)}"
                    subprocess.run([sys.executable, "-m", "qcode", "init", str(project)], check=True,
                                   capture_output=True, env=env, cwd=checkout)
                    start = time.perf_counter()
                    subprocess.run([sys.executable, "-m", "qcode", "import", str(folders["labels (.txt)"]), "-p",
                                    str(project)], check=True, capture_output=True, env=env, cwd=checkout)
                    times.append(time.perf_counter() - start)
            print(f"qcode import, labels (.txt), interleaved: this checkout median {statistics.median(ours):.2f} s, "
                  f"reference {reference} median {statistics.median(theirs):.2f} s, "
                  f"ratio {statistics.median(ours) / statistics.median(theirs):.2f}")
        for label, folder in folders.items():
            times = []
            for _ in range(5):
                project = fresh_project()
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "qcode", "import", str(folder), "-p", str(project)],
                               check=True, capture_output=True)
                times.append(time.perf_counter() - start)
            chars = sum(len(p.read_bytes()) for p in folder.iterdir())  # bytes, for scale only
            print(f"qcode import, {label}: 50 files x 40,000 characters ({chars / 1e6:.1f} MB on disk): "
                  f"median {statistics.median(times):.2f} s of 5 (runs: {', '.join(f'{t:.2f}' for t in times)}) "
                  "(target <= 1.5 s)")
            print(f"  in process per 2 M characters: {layout_ratio(folder)}")
        project = fresh_project()
        dry = median_seconds([sys.executable, "-m", "qcode", "import", "--dry-run", str(folders["labels (.txt)"]),
                              "-p", str(project)], 5)
        print(f"qcode import --dry-run, 50 files: median {dry:.2f} s of 5 (target < 2 s)")
    help_time = median_seconds([sys.executable, "-m", "qcode", "--help"], 10)
    print(f"qcode --help: median {help_time:.3f} s of 10 (target <= 0.3 s)")


if __name__ == "__main__":
    main()
