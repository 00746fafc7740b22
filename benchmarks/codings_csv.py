"""How long `qcode codings import` takes, and how much memory it needs, on a CSV of a million codings.

Builds a project with 20 transcripts of 100,000 characters and the bundled codebook, writes a CSV of
`--rows` codings (4 coders, random sentence-sized spans, a memo on every tenth row, the `text` column
filled with the coded words as `codings export` writes it), then runs the real CLI in a fresh process
for each measurement and reports wall time and peak resident memory (the child's ru_maxrss):

- reference: a Python process that only reads the CSV with the csv module (the floor for any importer);
- import: `qcode codings import` into the project without codings (every row is checked, its words are
  compared with the transcript, and it is stored and journalled);
- again: the same import a second time (every row is already present).

The goal of issue 10 is under 20 s and under 500 MB for a million rows. Prints medians over --runs.

Run: .venv/bin/python benchmarks/codings_csv.py [--rows 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

from qcode.codebook import load_codebook
from qcode.project.codebook_loading import install_codebook
from qcode.project.importing import cut_into_units, sha256_of, speaker_pattern
from qcode.project.project import Project
from qcode.resources import bundled_codebook

SENTENCES = ("我们的公众号每天更新一次，主要发布政策解读和办事指南。", "老百姓反映留言回复太慢了😀，有时候要等一个礼拜。",
             "县里领导很重视，专门开会研究过𠮷祥物的设计。", "The account is run by two staff members in the office.")
TRANSCRIPTS = 20
CHARACTERS = 100_000
CODERS = ("王老师", "李同学", "ann", "bob")


def make_text(rng: random.Random) -> str:
    lines, size = [], 0
    while size < CHARACTERS:
        line = rng.choice(("访谈者：", "受访者A：")) + "".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 6)))
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)[:CHARACTERS]


def build(root: Path, rows: int, csv_path: Path) -> None:
    rng = random.Random(11)
    with Project.init(root) as project:
        book = load_codebook(bundled_codebook())
        install_codebook(project, book, source="bundled")
        codes = [c.id for c in book.codable()]
        store = project.store
        pattern = speaker_pattern(project.config.imports)
        texts = {}
        with store.transaction(source="benchmark"):
            for i in range(TRANSCRIPTS):
                name, text = f"访谈{i:02d}", make_text(rng)
                info = store.transcripts.insert(guid=f"bench-{i}", name=name, sha256=sha256_of(text), text=text,
                                                source_path=None, encoding="utf-8")
                store.transcripts.replace_units(info.id, cut_into_units(text, pattern))
                texts[name] = text
    names = list(texts)
    seen = set()
    with csv_path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(("coder", "transcript", "start", "end", "code", "memo", "text"))
        while len(seen) < rows:
            name = rng.choice(names)
            start = rng.randrange(CHARACTERS - 60)
            end = start + rng.randint(5, 60)
            key = (rng.choice(CODERS), name, start, end, rng.choice(codes))
            if key in seen:
                continue
            seen.add(key)
            memo = f"备注 {len(seen)}" if len(seen) % 10 == 0 else ""
            writer.writerow((key[0], name, start, end, key[4], memo, texts[name][start:end]))


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS in MB of one child process (run alone, so ru_maxrss is its own)."""
    script = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
              "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); w = time.perf_counter() - t; "
              "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")
    out = subprocess.run([sys.executable, "-c", script, *command], capture_output=True, text=True, check=True)
    wall, rss_kb, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(command)} failed with exit code {code}")
    return float(wall), int(rss_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    qcode = [sys.executable, "-m", "qcode"]
    reference = [sys.executable, "-c", "import csv, sys\nfor _ in csv.reader(open(sys.argv[1], newline='', "
                 "encoding='utf-8')): pass"]
    with tempfile.TemporaryDirectory() as tmp:
        base, csv_path = Path(tmp) / "base", Path(tmp) / "codings.csv"
        began = time.perf_counter()
        build(base, args.rows, csv_path)
        print(f"{args.rows:,} rows, {csv_path.stat().st_size / 1e6:.0f} MB CSV, {TRANSCRIPTS} transcripts; "
              f"built in {time.perf_counter() - began:.0f} s")
        results: dict[str, list[tuple[float, float]]] = {"reference: csv.reader only": [], "import": [],
                                                         "import again (all present)": []}
        for _ in range(args.runs):
            work = Path(tmp) / "work"
            shutil.rmtree(work, ignore_errors=True)
            shutil.copytree(base, work)
            results["reference: csv.reader only"].append(measure(reference + [str(csv_path)]))
            results["import"].append(measure(qcode + ["codings", "import", str(csv_path), "-p", str(work)]))
            results["import again (all present)"].append(
                measure(qcode + ["codings", "import", str(csv_path), "-p", str(work)]))
        floor = statistics.median(w for w, _ in results["reference: csv.reader only"])
        print(f"{'':32} {'median s':>9} {'peak MB':>8} {'x reference':>12}")
        for label, values in results.items():
            wall = statistics.median(w for w, _ in values)
            rss = statistics.median(r for _, r in values)
            print(f"{label:32} {wall:9.2f} {rss:8.0f} {wall / floor:12.1f}")
        rate = args.rows / statistics.median(w for w, _ in results["import"])
        print(f"import: {rate:,.0f} rows/s; goal for 1,000,000 rows: < 20 s and < 500 MB")


if __name__ == "__main__":
    main()
