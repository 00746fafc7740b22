"""Timing of the unitizing alpha family (`qcode agree --unit span`), compute only (no database).

Prints, as medians over several runs:
1. the whole span report for 3 coders x 50 transcripts x 40,000 characters x 40 codes with 60,000
   codings: uα, |uα, cuα with coverage, (k)uα and binary uα per code, per coder pair, with 1,000
   bootstrap resamples over transcripts, and again per transcript (target: at most 2 s);
2. the same data with the codes overlapping within coders (multi-label coding: only the per-code
   binary uα is computed);
3. for scale, uα alone computed the obvious way, one value per character and coder (np.add.at over
   per-character arrays), against our interval arithmetic on the same data, and the ratio;
4. with --database, the same codings in a real project: from the database to the report in process,
   and the real CLI `qcode agree --unit span --format json` (building the project takes a minute).

Run: python benchmarks/unitizing.py [--repeats N] [--database]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import numpy as np

from agreement_compute import describe, timings  # the same timing helpers as the other agreement benchmark
from qcode.agreement.unitizing import SpanData, span_terms, u_alpha
from qcode.agreement.unitizing_report import unitizing_report

N_CODERS, N_TRANSCRIPTS, LENGTH, N_CODES, N_CODINGS = 3, 50, 40_000, 40, 60_000


def span_data(seed: int, exclusive: bool = True) -> SpanData:
    """Coders who mostly follow a shared set of passages: each coder keeps a true passage with
    probability 0.85 (with its ends moved by up to 15 characters) and sometimes picks another code.

    The true passages are 20,000 non-overlapping stretches (400 per transcript, one per 100-character
    slot, 20-80 characters long); with `exclusive` False, passages may run past their slot and overlap.
    """
    rng = np.random.default_rng(seed)
    per_transcript = N_CODINGS // N_CODERS // N_TRANSCRIPTS
    slot = LENGTH // per_transcript
    weights = 1.0 / np.arange(1, N_CODES + 1)
    weights /= weights.sum()
    t = np.repeat(np.arange(N_TRANSCRIPTS), per_transcript)
    base = np.tile(np.arange(per_transcript) * slot, N_TRANSCRIPTS)
    true_start = base + rng.integers(15, 30, size=base.size)
    true_end = true_start + rng.integers(20, 60, size=base.size)
    true_code = rng.choice(N_CODES, size=base.size, p=weights)
    rows = []
    for coder in range(N_CODERS):
        keep = rng.random(base.size) < 0.85
        start = true_start + rng.integers(-15, 16, size=base.size)
        end = true_end + rng.integers(-15, 16, size=base.size)
        if not exclusive:
            end = end + rng.integers(0, 2 * slot, size=base.size)
        start = np.maximum(start, base)
        end = np.minimum(np.maximum(end, start + 1), LENGTH if not exclusive else base + slot - 10)
        start = np.minimum(start, end - 1)
        code = np.where(rng.random(base.size) < 0.9, true_code, rng.choice(N_CODES, size=base.size, p=weights))
        rows.append((t[keep], np.full(keep.sum(), coder), code[keep], start[keep], end[keep]))
    columns = [np.concatenate(parts) for parts in zip(*rows, strict=True)]
    # Top up to exactly N_CODINGS with short extra passages in the uncoded tail of each slot.
    missing = N_CODINGS - columns[0].size
    chosen = rng.choice(base.size * N_CODERS, size=missing, replace=False)  # one per slot and coder at most
    pick, coder = chosen // N_CODERS, chosen % N_CODERS
    extra_start = base[pick] + slot - 8
    columns = [np.concatenate([columns[0], t[pick]]), np.concatenate([columns[1], coder]),
               np.concatenate([columns[2], rng.choice(N_CODES, size=missing, p=weights)]),
               np.concatenate([columns[3], extra_start]), np.concatenate([columns[4], extra_start + 5])]
    return SpanData(np.full(N_TRANSCRIPTS, LENGTH), N_CODERS, N_CODES, *columns)


def naive_u_alpha(data: SpanData) -> float:
    """uα the obvious way: a value per character and coder, coincidences counted character by character."""
    total = int(data.lengths.sum())
    offsets = np.concatenate([[0], np.cumsum(data.lengths)])
    gap = data.n_codes
    values = np.full((data.n_coders, total), gap, dtype=np.int64)
    s = np.zeros(gap + 1)
    for t, i, k, a, b in zip(data.transcript, data.coder, data.code, data.start, data.end, strict=True):
        values[i, offsets[t] + a:offsets[t] + b] = k
        s[k] += (b - a) ** 2
    s[gap] = (values == gap).sum()
    l = np.zeros((gap + 1, gap + 1))
    for i in range(data.n_coders):
        for j in range(data.n_coders):
            if i != j:
                np.add.at(l, (values[i], values[j]), 1.0)
    return float(u_alpha(l / (data.n_coders - 1), s))


def build_project(root: Path, data: SpanData) -> None:
    """A project holding `data`: synthetic interview text of the right lengths, every coding journalled."""
    from qcode.codebook import parse_codebook_text
    from qcode.domain.models import Coding
    from qcode.project.codebook_loading import install_codebook
    from qcode.project.importing import cut_into_units, sha256_of, speaker_pattern
    from qcode.project.project import Project

    phrases = ["公众号的信息更新太慢了", "留言回复不及时", "领导很重视这个工作", "老年人不会用手机办事", "经费一直不够用"]
    project = Project.init(root)
    codes = "\n".join(f"  - {{id: code{j:02d}, name: 代码{j}}}" for j in range(N_CODES))
    install_codebook(project, parse_codebook_text("codes:\n" + codes + "\n"), source="synthetic")
    pattern = speaker_pattern(project.config.imports)
    store = project.store
    with store.transaction(source="benchmark") as tx:
        for t in range(N_TRANSCRIPTS):
            lines, size, turn = [], 0, 0
            while size < LENGTH:
                line = ("访谈者：" if turn % 2 == 0 else "受访者A：") + "".join(
                    phrases[(turn * 3 + k) % len(phrases)] + "。" for k in range(5)) + "\n"
                lines.append(line)
                size += len(line)
                turn += 1
            text = "".join(lines)[:LENGTH - 1] + "\n"
            info = store.transcripts.insert(guid=str(uuid.uuid4()), name=f"t{t:02d}", sha256=sha256_of(text),
                                            text=text, source_path=None, encoding="utf-8")
            store.transcripts.replace_units(info.id, cut_into_units(text, pattern))
            rows = np.flatnonzero(data.transcript == t)
            for r in rows:
                coding = Coding(str(uuid.uuid4()), f"coder{data.coder[r]}", info.name, f"code{data.code[r]:02d}",
                                int(data.start[r]), int(data.end[r]), "", "", "")
                store.codings.insert(tx, coding, info.id)
            for coder in range(N_CODERS):
                store.review.set(tx, f"coder{coder}", info.id, info.name, "complete")
    project.close()


def bench_database(data: SpanData, repeats: int) -> None:
    from qcode.project.project import Project
    from qcode.project.reliability import AgreementOptions
    from qcode.project.spans import run_span_agreement

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "bench"
        build_project(root, data)
        with Project.open(root) as project:
            seconds = timings(lambda: run_span_agreement(project.store, AgreementOptions(unit="span"), bootstrap=1000,
                                                         seed=1), repeats)
            n = project.store.codings.count()
        command = [sys.executable, "-m", "qcode", "agree", "-p", str(root), "--unit", "span", "--format", "json"]
        cli = timings(lambda: subprocess.run(command, check=True, capture_output=True), repeats)
        print(f"4. from a project's database ({n:,} codings), 1,000 bootstrap resamples:")
        print(f"   in process, database to report:            {describe(seconds)}   (target: at most 2 s)")
        print(f"   qcode agree --unit span --format json:     {describe(cli)}   (start-up included)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--database", action="store_true", help="also time the pipeline from a real project")
    arguments = parser.parse_args()
    repeats = arguments.repeats
    data = span_data(seed=1)
    names = {"coders": [f"coder{i}" for i in range(N_CODERS)], "codes": [f"code{j:02d}" for j in range(N_CODES)],
             "transcripts": [f"t{t:02d}" for t in range(N_TRANSCRIPTS)]}
    report = unitizing_report(data, bootstrap=1000, seed=1, **names)
    assert report["overall"]["u_alpha"]["value"] is not None, report["overall"]
    print(f"1. span report, {N_CODERS} coders x {N_TRANSCRIPTS} transcripts x {LENGTH:,} characters x "
          f"{N_CODES} codes, {data.transcript.size:,} codings (uα {report['overall']['u_alpha']['value']:.3f}, "
          f"cuα {report['overall']['cu_alpha']['value']:.3f})")
    plain = timings(lambda: unitizing_report(data, **names), repeats)
    with_ci = timings(lambda: unitizing_report(data, bootstrap=1000, seed=1, **names), repeats)
    by_transcript = timings(lambda: unitizing_report(data, bootstrap=1000, seed=1, by_transcript=True, **names),
                            repeats)
    print(f"   without bootstrap:                          {describe(plain)}")
    print(f"   with 1,000 bootstrap resamples:             {describe(with_ci)}   (target: at most 2 s)")
    print(f"   the same, and every transcript on its own:  {describe(by_transcript)}")

    overlapping = span_data(seed=2, exclusive=False)
    assert span_terms(overlapping).overlap is not None
    seconds = timings(lambda: unitizing_report(overlapping, bootstrap=1000, seed=1, **names), repeats)
    print(f"2. codes overlapping within coders (per-code binary uα only), {overlapping.transcript.size:,} codings:")
    print(f"   with 1,000 bootstrap resamples:             {describe(seconds)}")

    ours_runs, naive_runs = [], []

    def ours_u_alpha() -> float:
        terms = span_terms(data)  # computes every term of the family, not only uα's
        return float(u_alpha(terms.l.sum(0), terms.s.sum(0)))

    assert abs(ours_u_alpha() - naive_u_alpha(data)) < 1e-9
    for _ in range(repeats):  # interleaved, so both see the same load
        ours_runs += timings(ours_u_alpha, 1)
        naive_runs += timings(lambda: naive_u_alpha(data), 1)
    ours, naive = statistics.median(ours_runs), statistics.median(naive_runs)
    print(f"3. uα: interval arithmetic (all terms) {ours:.3f} s, per-character arrays (uα only) {naive:.3f} s, "
          f"ratio {ours / naive:.2f}; the per-character way needs {N_CODERS} x {N_TRANSCRIPTS * LENGTH:,} values")
    if arguments.database:
        bench_database(data, repeats)


if __name__ == "__main__":
    main()
