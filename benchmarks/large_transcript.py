"""One very large transcript (issue #10): a 50 MB single-line interview imported, indexed and searched.

- `qcode import` of a 50 MB UTF-8 file that is one speaker turn on one line (about 16.7 M Chinese
  characters, sentences ending in 。！？), into a fresh project (target: import and index <= 30 s).
- the first `qcode search`, which builds the word index (jieba over the whole text, on every core).
- `qcode search` again for a word found a few hundred times, the index built (target <= 1 s).

Wall and CPU seconds and peak memory of the real CLI, each step a child process of its own. Two
references measured in the same run, so that a busy machine shows: `python -c pass` started the same
way, and with `--against DIR` another qcode source tree (e.g. `git archive <commit> | tar -x -C DIR`),
run with this interpreter and `PYTHONPATH=DIR`, alternating with this tree round by round; the ratios
are this tree's median over the reference's. Run from the project root, qcode installed:

    python benchmarks/large_transcript.py [--mb 50] [--rounds 3] [--against DIR] [--import-only]

(a few minutes on 2 cores; `--import-only` skips the searches).
"""

from __future__ import annotations

import argparse
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
RARE = "政务新媒体考核办法"  # a few hundred times in the whole text
STEPS = ("import", "first search (indexes)", "search, second")


def make_transcript(path: Path, megabytes: float, rng: random.Random) -> None:
    parts, size, target = ["受访者A："], 0, int(megabytes * 1_000_000)
    while size < target:
        sentence = RARE + "出台以后压力更大了。" if rng.random() < 0.0003 else rng.choice(SENTENCES)
        parts.append(sentence)
        size += len(sentence.encode("utf-8"))
    path.write_text("".join(parts), encoding="utf-8")  # one line, no line break at all


def timed(args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
          ) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + system), peak memory in MiB (the process or any child it waited
    for, e.g. an indexing worker) and the last line of output of one command."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as output:
        started = time.perf_counter()
        child = subprocess.Popen(args, stdout=output, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{text}")
    lines = [line for line in text.strip().splitlines() if "hit(s)" in line or "import" in line]
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, lines[-1] if lines else ""


def run_variant(source: Path, workdir: Path, pythonpath: str | None, steps: tuple[str, ...]) -> dict[str, tuple]:
    """Every step once, in a fresh project; (wall, cpu, peak MiB, last line) by step."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    qcode = [sys.executable, "-m", "qcode"]
    project = Path(tempfile.mkdtemp(dir=workdir))
    # run outside the source tree: `python -m` puts the working directory first on the import path
    subprocess.run([*qcode, "init", str(project / "p")], check=True, capture_output=True, env=env, cwd=workdir)
    commands = {
        "import": [*qcode, "import", str(source), "-p", str(project / "p")],
        "first search (indexes)": [*qcode, "search", RARE, "-p", str(project / "p")],
        "search, second": [*qcode, "search", RARE, "-p", str(project / "p")],
    }
    return {step: timed(commands[step], env, workdir) for step in steps}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--against", type=Path, help="a reference qcode source tree, run alternately")
    parser.add_argument("--import-only", action="store_true")
    options = parser.parse_args()
    steps = STEPS[:1] if options.import_only else STEPS
    variants: dict[str, str | None] = {"this tree": None}
    if options.against is not None:
        variants["reference"] = str(options.against.resolve())
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "big.txt"
        make_transcript(source, options.mb, random.Random(10))
        reference = timed([sys.executable, "-c", "pass"])
        print(f"{os.path.getsize(source) / 1e6:.1f} MB on one line; reference `python -c pass`: "
              f"{reference[0]:.2f} s wall; {os.cpu_count()} cores")
        results: dict[str, list[dict[str, tuple]]] = {name: [] for name in variants}
        for round_number in range(options.rounds):
            for name, pythonpath in variants.items():
                found = run_variant(source, Path(tmp), pythonpath, steps)
                results[name].append(found)
                for step, (wall, cpu, peak, last) in found.items():
                    print(f"round {round_number + 1} {name:9s} {step:24s} {wall:7.2f} s wall {cpu:7.2f} s CPU "
                          f"{peak:5.0f} MiB  {last[:50]}")
                print(f"   load {os.getloadavg()[0]:.1f}")
        print(f"medians of {options.rounds} round(s):")
        medians = {name: {step: tuple(statistics.median(run[step][i] for run in runs) for i in range(3))
                          for step in steps} for name, runs in results.items()}
        for name, by_step in medians.items():
            for step, (wall, cpu, peak) in by_step.items():
                ratio = ""
                if name == "this tree" and "reference" in medians:
                    ref = medians["reference"][step]
                    ratio = f"   ratio to reference: wall {wall / ref[0]:.2f}, CPU {cpu / ref[1]:.2f}"
                print(f"  {name:9s} {step:24s} {wall:7.2f} s wall {cpu:7.2f} s CPU {peak:5.0f} MiB{ratio}")
            if not options.import_only:
                total = by_step["import"][0] + by_step["first search (indexes)"][0]
                print(f"  {name:9s} import + index: {total:.1f} s wall (target <= 30 s); search after: "
                      f"{by_step['search, second'][0]:.2f} s (target <= 1 s)")
        print(f"load now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
