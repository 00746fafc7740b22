"""Time the report commands end to end on a large generated project, as a user runs them.

The project: 50 transcripts of about 40,000 characters (2 M in all) with the bundled NPS x TOE codebook,
and 60,000 codings by 3 coders (400 passages per transcript, each coded by every coder with jittered
boundaries and, one time in seven, another code). It is built through the storage API (not the CLI), in
a temporary folder unless --project names one (an existing project there is reused).

Each command runs as a subprocess (`python -m qcode ...`, output discarded), once to warm the file
cache, then RUNS times; the figures are the median and best wall-clock seconds. Targets (issue #5):
`qcode freq --format json` <= 1 s, `qcode cooccur` <= 1 s, `qcode export xlsx` <= 5 s. For scale, the
same table shows `qcode --version` (interpreter start) and `qcode codebook show --format json` (start,
open the project, read the codebook, one small query), measured side by side, and the ratio of each
command to the latter. Note that sqlite-utils imports pandas whenever it is installed (in a development
environment it comes with the test dependencies): about 0.17 s of every command here that a user's
installation without pandas does not pay.

Run: `python benchmarks/reports.py [--runs N] [--project DIR]` (uses the qcode of this checkout).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

TRANSCRIPTS = 50
CHARACTERS_PER_TRANSCRIPT = 40_000
CODERS = ("coder_a", "coder_b", "coder_c")
PASSAGES_PER_TRANSCRIPT = 400  # x 3 coders x 50 transcripts = 60,000 codings
RUNS = 5
REPO_ROOT = Path(__file__).resolve().parent.parent

_CLAUSES = (
    "我们局里面对政务公开这个事情非常重视", "每年都有考核指标", "但是说实话基层的人手不够", "群众留言太多了",
    "有时候回不过来", "后台留言我们尽量当天回复", "这个要看部门", "像人社、医保一般三五天就有答复",
    "公众号粉丝3.5万", "2021年那次之后中心专门出了一个应急流程", "嗯", "怎么说呢", "（笑）",
    "领导对这个号还是重视的", "“一网通办”推了好几年了", "系统就进不去了，一直转圈圈",
    "技术上我们基本没有能力", "部门之间没有打通吧", "老年人不太会用这个", "推送的内容太官方了",
)
_ENDINGS = ("。", "。", "。", "！", "？", "……", "；")


def synthetic_transcript(rng: random.Random, number: int) -> str:
    """An interview of about CHARACTERS_PER_TRANSCRIPT characters: a header, then alternating turns."""
    parts = [f"访谈编号：B{number:02d}\n访谈时间：2024年3月12日\n\n"]
    size = len(parts[0])
    speakers = ("访谈者：", f"受访者{'ABC'[number % 3]}：")
    turn = 0
    while size < CHARACTERS_PER_TRANSCRIPT:
        sentences = [
            "，".join(rng.choice(_CLAUSES) for _ in range(rng.randint(1, 3))) + rng.choice(_ENDINGS)
            for _ in range(rng.randint(1, 2) if turn % 2 == 0 else rng.randint(2, 8))
        ]
        line = speakers[turn % 2] + "".join(sentences) + "\n"
        parts.append(line)
        size += len(line)
        turn += 1
    return "".join(parts)


def build_project(root: Path, seed: int = 5) -> None:
    """Create the benchmark project at `root` through the storage API."""
    from qcode.codebook import load_codebook
    from qcode.domain.models import Coding, UnitKind
    from qcode.project.codebook_loading import install_codebook
    from qcode.project.importing import cut_into_units, sha256_of, speaker_pattern
    from qcode.project.project import Project
    from qcode.resources import bundled_codebook

    rng = random.Random(seed)
    with Project.init(root) as project:
        book = load_codebook(bundled_codebook())
        install_codebook(project, book, source="benchmark")
        codes = [code.id for code in book.codable()]
        store = project.store
        pattern = speaker_pattern(project.config.imports)
        stored = []
        with store.transaction(source="benchmark") as tx:
            for number in range(TRANSCRIPTS):
                text = synthetic_transcript(rng, number)
                info = store.transcripts.insert(
                    guid=str(uuid.uuid4()), name=f"B{number:02d}", sha256=sha256_of(text), text=text,
                    source_path=None, encoding="utf-8",
                )
                units = cut_into_units(text, pattern)
                store.transcripts.replace_units(info.id, units)
                turns = [u for u in units if u.kind is UnitKind.TURN and u.end > u.start]
                stored.append((info, turns))
            codings = []
            stamp = "2024-03-12T00:00:00.000Z"
            for info, turns in stored:
                for _ in range(PASSAGES_PER_TRANSCRIPT):
                    turn = rng.choice(turns)
                    start = rng.randrange(turn.start, turn.end)
                    end = min(info.characters, start + rng.randint(10, 240))
                    code = rng.choice(codes)
                    for coder in CODERS:
                        jitter_start = min(info.characters - 1, max(0, start + rng.randint(-3, 3)))
                        jitter_end = max(jitter_start + 1, min(info.characters, end + rng.randint(-3, 3)))
                        chosen = rng.choice(codes) if rng.random() < 1 / 7 else code
                        codings.append((Coding(str(uuid.uuid4()), coder, info.name, chosen, jitter_start,
                                               jitter_end, "", stamp, stamp), info.id))
            store.codings.insert_many(tx, codings, action="coding.add")


def timings(args: list[str], runs: int) -> list[float]:
    """Wall-clock seconds of `python -m qcode ARGS` (one warm-up run first)."""
    command = [sys.executable, "-m", "qcode", *args]
    seconds = []
    for i in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, check=True, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i:
            seconds.append(time.perf_counter() - start)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--project", type=Path, default=None, help="Build (or reuse) the project here.")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="qcode-bench-") as scratch:
        root = options.project or Path(scratch) / "project"
        if not (root / "qcode.db").exists():
            started = time.perf_counter()
            build_project(root)
            print(f"built {root} in {time.perf_counter() - started:.1f} s "
                  f"({TRANSCRIPTS} transcripts, {TRANSCRIPTS * PASSAGES_PER_TRANSCRIPT * len(CODERS):,} codings)")
        workbook = Path(scratch) / "report.xlsx"
        project = ["-p", str(root)]
        cases = [
            ("qcode --version", ["--version"], None),
            ("qcode codebook show --format json", ["codebook", "show", "--format", "json", *project], None),
            ("qcode freq --format json", ["freq", "--format", "json", *project], 1.0),
            ("qcode freq --by coder --format json", ["freq", "--by", "coder", "--format", "json", *project], None),
            ("qcode freq --unit sentence --by speaker --format json",
             ["freq", "--unit", "sentence", "--by", "speaker", "--format", "json", *project], None),
            ("qcode cooccur", ["cooccur", *project], 1.0),
            ("qcode cooccur --unit sentence --measure jaccard",
             ["cooccur", "--unit", "sentence", "--measure", "jaccard", *project], None),
            ("qcode export xlsx", ["export", "xlsx", str(workbook), *project], 5.0),
        ]
        results = {label: timings(args, options.runs) for label, args, _ in cases}
        baseline = statistics.median(results["qcode codebook show --format json"])
        print(f"\nmedian and best of {options.runs} runs, wall clock, end to end (subprocess)\n")
        print(f"{'command':<56}{'median':>8}{'best':>8}{'target':>12}{'x open':>8}")
        for label, _, target in cases:
            seconds = results[label]
            median = statistics.median(seconds)
            verdict = "" if target is None else f"{target:.1f}s " + ("ok" if median <= target else "OVER")
            print(f"{label:<56}{median:>7.3f}s{min(seconds):>7.3f}s{verdict:>12}{median / baseline:>8.2f}")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))  # run as a script from a checkout: import this qcode
    main()
