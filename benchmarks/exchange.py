"""How long exchange takes on a large project: 2 million characters, 60,000 codings by two coders.

Measures, as the median of several runs: `export qdpx`, `init --from` the export (read, check, store, cut
into units), `merge` of a coder's file holding all the codings into a project that has the transcripts
but no codings, merging the same file again (nothing to do), and `backup`.

Run: /tmp/dev/bin/python benchmarks/exchange.py [--runs 3] [--characters 2000000] [--codings 60000]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

from qcode.codebook import load_codebook
from qcode.domain.models import Coding
from qcode.interop.backup import backup_project
from qcode.interop.merge import merge_projects
from qcode.interop.qdpx_export import export_qdpx
from qcode.interop.qdpx_import import init_project_from_qdpx
from qcode.project.codebook_loading import install_codebook
from qcode.project.importing import cut_into_units, sha256_of, speaker_pattern
from qcode.project.project import Project
from qcode.resources import bundled_codebook
from qcode.storage.clock import utc_now

SENTENCES = ("我们的公众号每天更新一次，主要发布政策解读和办事指南。", "老百姓反映留言回复太慢了😀，有时候要等一个礼拜。",
             "县里领导很重视，专门开会研究过𠮷祥物的设计。", "The account is run by two staff members in the office.")


def make_text(rng: random.Random, characters: int) -> str:
    lines, size = [], 0
    while size < characters:
        speaker = rng.choice(("访谈者：", "受访者A："))
        line = speaker + "".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 6)))
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)[:characters]


def build(root: Path, characters: int, codings: int, with_codings: bool) -> None:
    rng = random.Random(7)
    with Project.init(root) as project:
        book = load_codebook(bundled_codebook())
        install_codebook(project, book, source="bundled")
        codes = [c.id for c in book.codable()]
        store = project.store
        pattern = speaker_pattern(project.config.imports)
        per_transcript = 50_000
        with store.transaction(source="benchmark") as tx:
            infos = []
            for i in range(max(1, characters // per_transcript)):
                text = make_text(rng, per_transcript)
                info = store.transcripts.insert(guid=str(uuid.UUID(int=rng.getrandbits(128))), name=f"T{i:03d}",
                                                sha256=sha256_of(text), text=text, source_path=None, encoding="utf-8")
                store.transcripts.replace_units(info.id, cut_into_units(text, pattern))
                infos.append(info)
            if with_codings:
                now = utc_now()
                for n in range(codings):
                    info = infos[n % len(infos)]
                    start = rng.randrange(0, info.characters - 200)
                    coding = Coding(str(uuid.UUID(int=rng.getrandbits(128))), ("alice", "bob")[n % 2], info.name,
                                    rng.choice(codes), start, start + rng.randint(5, 150), "", now, now)
                    store.codings.insert(tx, coding, info.id)


def median_seconds(runs: int, action: Callable[[], None], before: Callable[[], None] | None = None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--characters", type=int, default=2_000_000)
    parser.add_argument("--codings", type=int, default=60_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="qcode-exchange-"))
    try:
        started = time.perf_counter()
        build(work / "coded", args.characters, args.codings, with_codings=True)
        build(work / "empty", args.characters, args.codings, with_codings=False)
        print(f"built: {args.characters:,} characters, {args.codings:,} codings in "
              f"{time.perf_counter() - started:.1f} s (not timed below)")
        qdpx = work / "coded.qdpx"
        with Project.open(work / "coded") as coded:
            export = median_seconds(args.runs, lambda: export_qdpx(coded, qdpx))
            backup = median_seconds(args.runs, lambda: backup_project(coded, work / f"backup-{uuid.uuid4().hex}.db"))
        print(f"export qdpx ({qdpx.stat().st_size / 1e6:.1f} MB):  {export:6.2f} s")

        def clear_import() -> None:
            shutil.rmtree(work / "imported", ignore_errors=True)

        imported = median_seconds(args.runs, lambda: init_project_from_qdpx(work / "imported", qdpx), clear_import)
        print(f"init --from the export:        {imported:6.2f} s")

        def fresh_lead() -> None:
            shutil.rmtree(work / "lead", ignore_errors=True)
            shutil.copytree(work / "empty", work / "lead")

        def merge_once() -> None:
            with Project.open(work / "lead") as lead:
                report = merge_projects(lead, [work / "coded"])
            assert report.applied and report.files[0].tallies["codings"].added == args.codings

        merge = median_seconds(args.runs, merge_once, fresh_lead)

        def merge_again() -> None:
            with Project.open(work / "lead") as lead:
                report = merge_projects(lead, [work / "coded"])
            assert report.files[0].tallies["codings"].unchanged == args.codings

        again = median_seconds(args.runs, merge_again)
        print(f"merge {args.codings:,} codings:         {merge:6.2f} s")
        print(f"merge the same file again:     {again:6.2f} s")
        print(f"backup:                        {backup:6.2f} s")
        print(f"(median of {args.runs} runs each)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
