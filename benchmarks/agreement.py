"""Agreement from the database to the JSON report, at the scale of issue #4.

3 coders x 50 transcripts x 600 sentences x 40 codes. Prints the median wall time of the real CLI
(`qcode agree --unit sentence --format json`, default 1,000 bootstrap resamples, and with 0) and of
the in-process pipeline. Run: python benchmarks/agreement.py
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qcode.domain.models import Coding, UnitKind  # noqa: E402
from qcode.project.codebook_loading import install_codebook  # noqa: E402
from qcode.project.importing import cut_into_units, sha256_of, speaker_pattern  # noqa: E402
from qcode.project.project import Project  # noqa: E402
from qcode.codebook import parse_codebook_text  # noqa: E402

N_TRANSCRIPTS, N_SENTENCES, N_CODES, CODERS = 50, 600, 40, ("ann", "bob", "cai")
PHRASES = ["公众号的信息更新太慢了", "留言回复不及时", "领导很重视这个工作", "老年人不会用手机办事", "经费一直不够用",
           "我们做了很多推广", "上级每季度都要抽查", "系统对接还没有打通"]


def build(root: Path, seed: int = 7) -> Path:
    rng = random.Random(seed)
    project = Project.init(root)
    codes = "\n".join(f"  - {{id: K{i:02d}, name: 代码{i}}}" for i in range(N_CODES))
    install_codebook(project, parse_codebook_text("codes:\n" + codes + "\n"), source="synthetic")
    pattern = speaker_pattern(project.config.imports)
    store = project.store
    with store.transaction(source="benchmark") as tx:
        for t in range(N_TRANSCRIPTS):
            lines = []
            for turn in range(N_SENTENCES // 5):
                speaker = "访谈者" if turn % 2 == 0 else "受访者A"
                body = "".join(f"{rng.choice(PHRASES)}{rng.choice('。！？')}" for _ in range(5))
                lines.append(f"{speaker}：{body}")
            text = "\n".join(lines) + "\n"
            info = store.transcripts.insert(guid=str(uuid.uuid4()), name=f"T{t:02d}", sha256=sha256_of(text),
                                            text=text, source_path=None, encoding="utf-8")
            units = cut_into_units(text, pattern)
            store.transcripts.replace_units(info.id, units)
            sentences = [u for u in units if u.kind is UnitKind.SENTENCE]
            for coder in CODERS:
                for u in sentences:
                    if rng.random() < 0.3:
                        code = f"K{(u.index * 7 + (rng.random() < 0.3) * rng.randrange(N_CODES)) % N_CODES:02d}"
                        coding = Coding(str(uuid.uuid4()), coder, info.name, code, u.start, u.end, "", "", "")
                        store.codings.insert(tx, coding, info.id)
                store.review.set(tx, coder, info.id, info.name, "complete")
    project.close()
    return root


def median_seconds(command: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = build(Path(tmp) / "bench")
        with Project.open(root) as project:
            n = project.store.codings.count()
        print(f"project: {N_TRANSCRIPTS} transcripts x {N_SENTENCES} sentences, {N_CODES} codes, "
              f"{len(CODERS)} coders, {n:,} codings")
        base = [sys.executable, "-m", "qcode", "agree", "-p", str(root), "--unit", "sentence", "--format", "json"]
        with_ci = median_seconds(base)
        without = median_seconds(base + ["--bootstrap", "0"])
        print(f"qcode agree --unit sentence --format json (1,000 resamples): median {with_ci:.2f} s (target <= 2 s)")
        print(f"qcode agree --unit sentence --format json --bootstrap 0:    median {without:.2f} s")
        from qcode.project.reliability import AgreementOptions, run_agreement

        with Project.open(root) as project:
            times = []
            for _ in range(5):
                start = time.perf_counter()
                run_agreement(project.store, AgreementOptions(unit="sentence"), bootstrap=1000, seed=1)
                times.append(time.perf_counter() - start)
        print(f"in process, database to report with 1,000 resamples: median {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
