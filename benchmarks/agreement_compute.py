"""Timing of the agreement computations (compute only; reading the database is not included).

Prints, as medians over several runs:
1. the whole unit-level report for 30,000 units x 3 coders x 40 codes, every statistic overall, per
   code, pairwise and label-set alpha, with 1,000 bootstrap resamples (target: well under 1 s);
2. nominal alpha on identical reliability data, ours against `krippendorff.alpha`, and the ratio
   (target: at most 1.0);
3. character-level agreement over 2,000,000 characters x 40 codes x 2 coders with 20,000 codings
   (target: at most 1 s).

Run: python benchmarks/agreement_compute.py [--repeats N]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time
from collections.abc import Callable

import numpy as np

from qcode.agreement import (
    CodingMatrix,
    agreement_report,
    character_agreement_report,
    krippendorff_alpha_nominal,
)


def timings(run: Callable[[], object], repeats: int) -> list[float]:
    """Wall-clock seconds of `repeats` runs after one warm-up run."""
    run()
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    return seconds


def describe(seconds: list[float]) -> str:
    """Median and best run: the best shows the cost on a quiet machine when others share the CPU."""
    return f"median {statistics.median(seconds):.3f} s, best {min(seconds):.3f} s"


def coding_matrix(n: int, m: int, k: int, seed: int) -> CodingMatrix:
    """Sentences of which about a third carry one or two codes; coders mostly follow a shared truth.

    Code frequencies fall off like 1/rank (a few codes are common, most are rare), each coder misses
    a fifth of the true codes and adds a stray code to 6% of units, and the last coder has not
    completed one transcript in ten (its 600 sentences are missing for that coder).
    """
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, k + 1)
    weights /= weights.sum()
    truth = np.zeros((n, k), dtype=bool)
    n_true = rng.choice([0, 1, 2], size=n, p=[0.65, 0.28, 0.07])
    for rank in (1, 2):
        rows = np.flatnonzero(n_true >= rank)
        truth[rows, rng.choice(k, size=rows.size, p=weights)] = True
    present = np.repeat(truth[:, None, :], m, axis=1) & (rng.random((n, m, k)) > 0.2)
    units, coders = np.nonzero(rng.random((n, m)) < 0.06)
    present[units, coders, rng.choice(k, size=units.size, p=weights)] = True
    rated = np.ones((n, m), dtype=bool)
    rated[:, -1] = (np.arange(n) // 600) % 10 != 3
    return CodingMatrix(
        tuple(f"coder{c}" for c in range(m)),
        tuple(f"code{j:02d}" for j in range(k)),
        rated,
        present,
    )


def reliability_data(n: int, m: int, q: int, seed: int) -> np.ndarray:
    """Single-label ratings (n, m), 10% missing, coders agreeing with a shared value 70% of the time."""
    rng = np.random.default_rng(seed)
    shared = rng.integers(0, q, size=n)
    values = np.where(
        rng.random((n, m)) < 0.7, shared[:, None], rng.integers(0, q, size=(n, m))
    )
    return np.where(rng.random((n, m)) < 0.1, -1, values)


def bench_report(repeats: int) -> None:
    matrix = coding_matrix(30_000, 3, 40, seed=1)
    plain = timings(lambda: agreement_report(matrix, unit="sentence"), repeats)
    with_ci = timings(
        lambda: agreement_report(matrix, unit="sentence", bootstrap=1000, seed=1),
        repeats,
    )
    print(
        "1. report, 30,000 units x 3 coders x 40 codes (overall, per code, pairwise, MASI)"
    )
    print(f"   without bootstrap:              {describe(plain)}")
    print(
        f"   with 1,000 bootstrap resamples: {describe(with_ci)}   (target: well under 1 s)"
    )


def bench_alpha(repeats: int) -> None:
    print("2. nominal alpha on identical data, ours vs krippendorff.alpha")
    if importlib.util.find_spec("krippendorff") is None:
        print(
            "   krippendorff is not installed (pip install krippendorff); comparison not run"
        )
        return
    import krippendorff

    for n, m, q in ((30_000, 3, 41), (30_000, 3, 2), (1_000, 5, 5)):
        values = reliability_data(n, m, q, seed=2)
        as_float = np.where(
            values >= 0, values, np.nan
        ).T  # coders x units, NaN = missing
        ours_value = krippendorff_alpha_nominal(values, q).value
        theirs_value = krippendorff.alpha(
            reliability_data=as_float, level_of_measurement="nominal"
        )
        assert abs(ours_value - theirs_value) < 1e-9, (ours_value, theirs_value)
        # Interleave the two so that both see the same load from other processes.
        ours_runs, theirs_runs = [], []
        for _ in range(repeats * 3):
            ours_runs += timings(
                lambda v=values, q=q: krippendorff_alpha_nominal(v, q), 1
            )
            theirs_runs += timings(
                lambda data=as_float: krippendorff.alpha(
                    reliability_data=data, level_of_measurement="nominal"
                ),
                1,
            )
        ours, theirs = statistics.median(ours_runs), statistics.median(theirs_runs)
        print(
            f"   {n:>6} units x {m} coders, q={q:<3} ours {ours * 1e3:7.2f} ms   "
            f"krippendorff {theirs * 1e3:7.2f} ms   ratio {ours / theirs:.2f}   (target <= 1.0)"
        )


def bench_characters(repeats: int) -> None:
    rng = np.random.default_rng(3)
    n_transcripts, n_codes, n_codings = 50, 40, 20_000
    lengths = np.full(n_transcripts, 40_000)  # 2,000,000 characters
    transcript = rng.integers(0, n_transcripts, size=n_codings)
    starts = rng.integers(0, 40_000 - 400, size=n_codings)
    ends = starts + rng.integers(5, 400, size=n_codings)
    arguments = {
        "coders": ["A", "B"],
        "codes": [f"code{j:02d}" for j in range(n_codes)],
        "transcripts": [f"t{t:02d}" for t in range(n_transcripts)],
        "lengths": lengths,
        "rated": np.ones((n_transcripts, 2), dtype=bool),
        "transcript_index": transcript,
        "code_index": rng.integers(0, n_codes, size=n_codings),
        "coder_index": rng.integers(0, 2, size=n_codings),
        "starts": starts,
        "ends": ends,
    }
    seconds = timings(lambda: character_agreement_report(**arguments), repeats)
    print(
        "3. character level, 2,000,000 characters x 40 codes x 2 coders, 20,000 codings"
    )
    print(
        f"   full report (per code x transcript, per code, pooled): {describe(seconds)}   (target <= 1 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeats", type=int, default=5, help="runs per measurement (median)"
    )
    repeats = parser.parse_args().repeats
    bench_report(repeats)
    bench_alpha(repeats)
    bench_characters(repeats)


if __name__ == "__main__":
    main()
