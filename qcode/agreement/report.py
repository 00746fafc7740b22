"""The agreement report: every statistic of agreement.md assembled into the JSON shape researchers get.

Shape (the mandated keys, in this order):
`{"unit", "coders", "n_units", "overall": {STAT: RESULT}, "per_code": {CODE: {STAT: RESULT}},
"pairwise": {"A|B": {STAT: RESULT}}, "label_sets": {"krippendorff_alpha_masi": RESULT}}`
where RESULT is `Result.to_json()`. Extra keys follow them: `notes`, `n_units_rated`,
`n_units_pairable`, `per_code_counts`, `per_code_pairwise` (3 or more coders), `bootstrap`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from qcode.agreement import reasons
from qcode.agreement.bootstrap import Interval, single_label_intervals
from qcode.agreement.characters import CharCounts, char_counts_batch
from qcode.agreement.masi import krippendorff_alpha_masi
from qcode.agreement.matrix import CodingMatrix, EmptyUnits, single_label_ratings
from qcode.agreement.nominal import (
    STATISTICS,
    mean_of_pairs,
    pair_labels,
    single_label_statistics,
)
from qcode.agreement.per_code import per_code_statistics
from qcode.agreement.result import Result

Table = dict[str, Result]
BOOTSTRAPPED = ("krippendorff_alpha_nominal", "cohen_kappa")


def _json_table(table: Table) -> dict[str, Any]:
    return {name: table[name].to_json() for name in STATISTICS}


def _undefined_table(reason: str) -> Table:
    return {name: Result.undefined(reason) for name in STATISTICS}


def _resolve_seed(bootstrap: int, seed: int | None) -> int | None:
    """A concrete seed to report, so that a run without `seed` can still be reproduced."""
    if bootstrap <= 0:
        return seed
    if seed is None:
        return int(np.random.SeedSequence().generate_state(1, np.uint32)[0])
    return seed


def _attach(
    table: Table, intervals: dict[str, Interval], where: str, notes: list[str]
) -> Table:
    """Put bootstrap intervals on the defined statistics of `table`; note any withheld interval."""
    updated = dict(table)
    for name, interval in intervals.items():
        if table[name].value is None:
            continue
        if interval.ci95 is None:
            notes.append(f"{where} {name}: no 95% interval: {interval.reason}")
        updated[name] = table[name].with_ci(interval.ci95)
    return updated


def agreement_report(
    matrix: CodingMatrix,
    *,
    unit: str,
    empty: EmptyUnits = "missing",
    bootstrap: int = 0,
    seed: int | None = None,
) -> dict[str, Any]:
    """Every unit-level statistic of `matrix` as the report dictionary (see the module docstring).

    `empty` says whether a rated unit without codes is missing or the category `<none>` in the
    single-label overall statistics. `bootstrap` > 0 adds percentile 95% intervals (see `bootstrap`)
    for nominal alpha and kappa overall and per code, and for the label-set alpha.
    """
    if bootstrap < 0:
        raise ValueError(
            f"bootstrap must be 0 or a positive number of resamples, got {bootstrap}"
        )
    coders = list(matrix.coders)
    seed = _resolve_seed(bootstrap, seed)
    notes: list[str] = []
    ratings = single_label_ratings(matrix, empty)

    if ratings.values is None:
        overall = _undefined_table(reasons.multi_label(ratings.n_multi_label_units))
        pairwise = {label: overall for _, _, label in pair_labels(coders)}
    else:
        overall = single_label_statistics(ratings.values, ratings.q, coders)
        pairwise = {
            label: single_label_statistics(
                ratings.values[:, [i, j]], ratings.q, [coders[i], coders[j]]
            )
            for i, j, label in pair_labels(coders)
        }
        if bootstrap and any(overall[name].value is not None for name in BOOTSTRAPPED):
            intervals = single_label_intervals(
                ratings.values, ratings.q, n_resamples=bootstrap, seed=seed
            )
            overall = _attach(overall, intervals, "overall", notes)
    if len(coders) > 2:
        notes.append(
            "with 3 or more coders, cohen_kappa is Light's kappa (the mean of the pairwise Cohen's "
            "kappas); each pair's kappa is under pairwise"
        )
    if empty == "category":
        notes.append(
            "single-label statistics count a rated unit without codes as the category <none>"
        )

    per_code = per_code_statistics(matrix)
    per_code_tables = dict(per_code.by_code)
    if bootstrap:
        for j, code in enumerate(matrix.codes):
            table = per_code_tables[code]
            if all(table[name].value is None for name in BOOTSTRAPPED):
                continue
            intervals = single_label_intervals(
                matrix.binary_ratings(j), 2, n_resamples=bootstrap, seed=seed
            )
            per_code_tables[code] = _attach(table, intervals, f"per_code {code}", notes)

    masi, masi_interval = krippendorff_alpha_masi(
        matrix.rated, matrix.present, n_resamples=bootstrap, seed=seed
    )
    if masi_interval is not None and masi_interval.ci95 is None:
        notes.append(
            f"label_sets krippendorff_alpha_masi: no 95% interval: {masi_interval.reason}"
        )

    ratings_per_unit = matrix.rated.sum(axis=1)
    report: dict[str, Any] = {
        "unit": unit,
        "coders": coders,
        "n_units": matrix.n_units,
        "overall": _json_table(overall),
        "per_code": {
            code: _json_table(table) for code, table in per_code_tables.items()
        },
        "pairwise": {label: _json_table(table) for label, table in pairwise.items()},
        "label_sets": {"krippendorff_alpha_masi": masi.to_json()},
        "notes": notes,
        "n_units_rated": int((ratings_per_unit >= 1).sum()),
        "n_units_pairable": int((ratings_per_unit >= 2).sum()),
        "per_code_counts": per_code.coded_units,
    }
    if len(coders) > 2:
        report["per_code_pairwise"] = {
            code: {label: _json_table(table) for label, table in pairs.items()}
            for code, pairs in per_code.pairwise.items()
        }
    if bootstrap:
        report["bootstrap"] = {
            "resamples": bootstrap,
            "seed": seed,
            "method": "percentile",
        }
    return report


def character_agreement_report(
    *,
    coders: Sequence[str],
    codes: Sequence[str],
    transcripts: Sequence[str],
    lengths: np.ndarray,
    rated: np.ndarray,
    transcript_index: np.ndarray,
    code_index: np.ndarray,
    coder_index: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
) -> dict[str, Any]:
    """Character-level agreement (NVivo style) in the report shape, plus per code x transcript tables.

    `lengths[t]` is transcript t's length; `rated[t, c]` says coder c rated transcript t; each coding
    e is (transcript_index[e], code_index[e], coder_index[e], [starts[e], ends[e])). A pair of coders
    is compared on the transcripts both rated. `overall` pools the counts of every code and transcript;
    `per_code` pools one code over transcripts; `per_code_transcript` has each cell's percent agreement,
    kappa and counts. With 3 or more coders the overall and per-code kappa is Light's kappa over the
    pairs, and the other statistics are given per pair only.
    """
    coders, codes, transcripts = list(coders), list(codes), list(transcripts)
    lengths = np.asarray(lengths, dtype=np.int64)
    rated = np.asarray(rated, dtype=bool)
    transcript_index = np.asarray(transcript_index, dtype=np.int64)
    code_index = np.asarray(code_index, dtype=np.int64)
    coder_index = np.asarray(coder_index, dtype=np.int64)
    starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
    n_transcripts, n_codes = len(transcripts), len(codes)

    pair_counts: dict[str, np.ndarray] = {}  # "A|B" -> (codes, transcripts, 4)
    for i, j, label in pair_labels(coders):
        compared = rated[:, i] & rated[:, j]
        group_lengths = np.tile(np.where(compared, lengths, 0), n_codes)
        mine = (coder_index == i) | (coder_index == j)
        counts = char_counts_batch(
            group_lengths,
            code_index[mine] * n_transcripts + transcript_index[mine],
            (coder_index[mine] == j).astype(np.int64),
            starts[mine],
            ends[mine],
        )
        pair_counts[label] = counts.reshape(n_codes, n_transcripts, 4)

    def pooled(counts: np.ndarray) -> CharCounts:
        return CharCounts(*(int(value) for value in counts.reshape(-1, 4).sum(axis=0)))

    def combine(per_pair: dict[str, Table]) -> Table:
        if len(coders) == 2:
            return next(iter(per_pair.values()))
        if len(coders) < 2:
            return _undefined_table(reasons.NO_PAIRABLE_UNITS)
        table = _undefined_table(reasons.CHARACTER_LEVEL_PAIRS_ONLY)
        table["cohen_kappa"] = mean_of_pairs(
            {label: t["cohen_kappa"] for label, t in per_pair.items()}
        )
        return table

    pairwise = {
        label: pooled(counts).statistics() for label, counts in pair_counts.items()
    }
    per_code = {
        code: combine(
            {
                label: pooled(counts[j]).statistics()
                for label, counts in pair_counts.items()
            }
        )
        for j, code in enumerate(codes)
    }
    cells: dict[str, dict[str, dict[str, Any]]] = {}
    for j, code in enumerate(codes):
        cells[code] = {}
        for t, transcript in enumerate(transcripts):
            by_pair = {}
            for i, k, label in pair_labels(coders):
                if not (rated[t, i] and rated[t, k]):
                    continue
                cell = CharCounts(*(int(value) for value in pair_counts[label][j, t]))
                stats = cell.statistics()
                by_pair[label] = {
                    "percent_agreement": stats["percent_agreement"].to_json(),
                    "cohen_kappa": stats["cohen_kappa"].to_json(),
                    "counts": cell.to_json(),
                }
            if by_pair:
                cells[code][transcript] = by_pair
    notes = [
        (
            "character level: every character is a unit; overall pools the counts of all codes and "
            "transcripts (NVivo style), per_code pools one code over transcripts"
        )
    ]
    if len(coders) > 2:
        notes.append(
            "with 3 or more coders, cohen_kappa is Light's kappa over the coder pairs"
        )
    compared_any = rated.sum(axis=1) >= 2
    return {
        "unit": "char",
        "coders": coders,
        "n_units": int(lengths.sum()),
        "overall": _json_table(combine(pairwise)),
        "per_code": {code: _json_table(table) for code, table in per_code.items()},
        "pairwise": {label: _json_table(table) for label, table in pairwise.items()},
        "label_sets": {
            "krippendorff_alpha_masi": Result.undefined(
                reasons.NOT_AT_CHARACTER_LEVEL
            ).to_json()
        },
        "notes": notes,
        "n_units_pairable": int(lengths[compared_any].sum()),
        "per_code_transcript": cells,
    }
