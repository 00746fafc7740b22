"""A warm `qcode search` on a 2 M-character project (issue 11 point 9: at most 0.3 s wall for any query).

Run (from the project root, qcode installed): `python benchmarks/search_cli.py` (about two minutes).

The project is the one of `benchmarks/text.py` (the demo interviews copied to 2 M characters), indexed
by a first `qcode search`, which also writes the cached dictionary that later searches cut queries
with. Then every query below runs as its own process, the way a user runs it, several times; printed
per query: the median wall time, its ratio to `python -c pass` and to importing sqlite_utils (the
floor of any command that opens a project; pandas and numpy kept out, as qcode.storage keeps them out)
measured in the same run, the median CPU time (user + system: less sensitive to other processes than the
wall time on a shared machine), and the command's own last line. The queries: the most frequent character (的, over 40,000 hits: the table shows the first 200 and
counts the rest), a multi-word Chinese phrase, one word, an English word, a phrase in no transcript,
and a word in no transcript.

Warm includes compiled modules: a user's Python writes them on the first run and reads them after. Where
PYTHONDONTWRITEBYTECODE is set (some sandboxes and CI images set it), every run would compile qcode,
click and sqlite_utils from source again (about 0.1 s here), so the commands run without it, and the
benchmark says so.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from text import build_corpus  # noqa: E402  (the benchmark next door builds the same corpus)

REPEATS = 7
# What every command that opens a project imports, with pandas and numpy kept out as qcode.storage does.
FLOOR = "import sys; sys.modules['pandas'] = sys.modules['numpy'] = None; import sqlite_utils"
QUERIES = ["的", "留言回复要及时", "公众号", "account", "火星殖民计划", "量子纠缠"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# The commands' environment: this one, with compiled modules written and read (see the docstring).
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def wall(args: list[str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the process, its first line on stderr)."""
    cpu, started = _children_cpu(), time.perf_counter()
    done = subprocess.run(args, check=True, capture_output=True, text=True, env=ENVIRONMENT)
    seconds = time.perf_counter() - started
    lines = done.stderr.strip().splitlines()
    return seconds, _children_cpu() - cpu, lines[0] if lines else ""


def median_wall(args: list[str]) -> tuple[float, float, str]:
    runs = [wall(args) for _ in range(REPEATS)]
    return (statistics.median(run[0] for run in runs), statistics.median(run[1] for run in runs), runs[-1][2])


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = build_corpus(Path(folder))
        root = str(project.root)
        project.close()
        qcode = [sys.executable, "-m", "qcode"]
        first, _, _ = wall([*qcode, "search", "压力", "-p", root])
        print(f"first search (builds the index and the cached dictionary): {first:.1f} s; "
              f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
        if "PYTHONDONTWRITEBYTECODE" in os.environ:
            print("PYTHONDONTWRITEBYTECODE is set here; the commands run without it, as on a user's machine")
        python, python_cpu, _ = median_wall([sys.executable, "-c", "pass"])
        floor, floor_cpu, _ = median_wall([sys.executable, "-c", FLOOR])
        print(f"reference: python -c pass {python * 1e3:.0f} ms (CPU {python_cpu * 1e3:.0f} ms), import sqlite_utils "
              f"{floor * 1e3:.0f} ms (CPU {floor_cpu * 1e3:.0f} ms); medians of {REPEATS}")
        slowest = 0.0
        for query in QUERIES:
            seconds, cpu, last = median_wall([*qcode, "search", query, "-p", root])
            slowest = max(slowest, seconds)
            print(f"  {query:<14} {seconds * 1e3:6.0f} ms  {seconds / python:5.1f} x python  "
                  f"{seconds / floor:5.1f} x sqlite_utils  CPU {cpu * 1e3:4.0f} ms   {last}")
        print(f"slowest query: {slowest:.2f} s wall (target: at most 0.3 s); load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
