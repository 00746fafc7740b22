"""The agreement report: every statistic of agreement.md, as a typed `UnitAgreement`.

`unit_agreement` computes the figures of units, `character_agreement` those of characters (NVivo
style); `agreement_report` and `character_agreement_report` give their JSON, whose shape (the mandated
keys, in this order) is
`{"unit", "coders", "n_units", "overall": {STAT: RESULT}, "per_code": {CODE: {STAT: RESULT}},
"pairwise": {"A|B": {STAT: RESULT}}, "label_sets": {"krippendorff_alpha_masi": RESULT}}`
where RESULT is `Result.to_json()`. Extra keys follow them: `notes`, `n_units_rated`,
`n_units_pairable`, `per_code_counts`, `per_code_pairwise` (3 or more coders), `bootstrap`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from qcode.agreement import reasons
from qcode.agreement.bootstrap import Interval, single_label_intervals
from qcode.agreement.characters import CharCounts, char_counts_batch
from qcode.agreement.figures import Bootstrap, CharacterCell, CharacterCells, UnitAgreement
from qcode.agreement.masi import krippendorff_alpha_masi
from qcode.agreement.matrix import CodingMatrix, EmptyUnits, single_label_ratings
from qcode.agreement.messages import Message
from qcode.agreement.nominal import (
    STATISTICS,
    mean_of_pairs,
    pair_labels,
    single_label_statistics,
)
from qcode.agreement.per_code import per_code_statistics
from qcode.agreement.result import Result
from qcode.i18n import N_

Table = dict[str, Result]
BOOTSTRAPPED = ("krippendorff_alpha_nominal", "cohen_kappa")
NO_INTERVAL = N_("{where} {name}: no 95% interval: {reason}")
OVERALL, PER_CODE, LABEL_SETS = N_("overall"), N_("per_code {code}"), N_("label_sets")  # where, in a note
LIGHT_KAPPA = N_("with 3 or more coders, cohen_kappa is Light's kappa (the mean of the pairwise Cohen's kappas); "
                 "each pair's kappa is under pairwise")
EMPTY_CATEGORY = N_("single-label statistics count a rated unit without codes as the category <none>")
CHARACTER_LEVEL = N_("character level: every character is a unit; overall pools the counts of all codes and "
                     "transcripts (NVivo style), per_code pools one code over transcripts")
CHARACTER_LIGHT_KAPPA = N_("with 3 or more coders, cohen_kappa is Light's kappa over the coder pairs")


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
            notes.append(Message(NO_INTERVAL, where=where, name=name, reason=interval.reason))
        updated[name] = table[name].with_ci(interval.ci95)
    return updated


def unit_agreement(
    matrix: CodingMatrix,
    *,
    unit: str,
    empty: EmptyUnits = "missing",
    bootstrap: int = 0,
    seed: int | None = None,
) -> UnitAgreement:
    """Every unit-level statistic of `matrix`.

    `empty` says whether a rated unit without codes is missing or the category `<none>` in the
    single-label overall statistics. `bootstrap` > 0 adds percentile 95% intervals (see `bootstrap`)
    for nominal alpha and kappa overall and per code, and for the label-set alpha.
    """
    if bootstrap < 0:
        raise ValueError(
            f"bootstrap must be 0 or a positive number of resamples, got {bootstrap}"
        )
    coders = matrix.coders
    seed = _resolve_seed(bootstrap, seed)
    notes: list[str] = []
    overall, pairwise = _single_label(matrix, empty, bootstrap, seed, notes)
    if len(coders) > 2:
        notes.append(Message(LIGHT_KAPPA))
    if empty == "category":
        notes.append(Message(EMPTY_CATEGORY))
    per_code = per_code_statistics(matrix)
    per_code_tables = _per_code_intervals(matrix, per_code.by_code, bootstrap, seed, notes)
    masi, masi_interval = krippendorff_alpha_masi(
        matrix.rated, matrix.present, n_resamples=bootstrap, seed=seed
    )
    if masi_interval is not None and masi_interval.ci95 is None:
        notes.append(Message(NO_INTERVAL, where=Message(LABEL_SETS), name="krippendorff_alpha_masi",
                             reason=masi_interval.reason))
    ratings_per_unit = matrix.rated.sum(axis=1)
    return UnitAgreement(
        unit=unit,
        coders=tuple(coders),
        n_units=matrix.n_units,
        overall=overall,
        per_code=per_code_tables,
        pairwise=pairwise,
        masi=masi,
        notes=tuple(notes),
        n_units_rated=int((ratings_per_unit >= 1).sum()),
        n_units_pairable=int((ratings_per_unit >= 2).sum()),
        per_code_counts=per_code.coded_units,
        per_code_pairwise=per_code.pairwise if len(coders) > 2 else None,
        bootstrap=Bootstrap(bootstrap, seed) if bootstrap else None,
    )


def _single_label(
    matrix: CodingMatrix, empty: EmptyUnits, bootstrap: int, seed: int | None, notes: list[str]
) -> tuple[Table, dict[str, Table]]:
    """The overall (one category per unit) statistics, with intervals, and each pair's."""
    coders = list(matrix.coders)
    ratings = single_label_ratings(matrix, empty)
    if ratings.values is None:
        overall = _undefined_table(reasons.multi_label(ratings.n_multi_label_units))
        return overall, {label: overall for _, _, label in pair_labels(coders)}
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
        overall = _attach(overall, intervals, Message(OVERALL), notes)
    return overall, pairwise


def _per_code_intervals(
    matrix: CodingMatrix, by_code: dict[str, Table], bootstrap: int, seed: int | None, notes: list[str]
) -> dict[str, Table]:
    """The per-code tables with bootstrap intervals on each code's alpha and kappa (where defined)."""
    tables = dict(by_code)
    if not bootstrap:
        return tables
    for j, code in enumerate(matrix.codes):
        table = tables[code]
        if all(table[name].value is None for name in BOOTSTRAPPED):
            continue
        intervals = single_label_intervals(
            matrix.binary_ratings(j), 2, n_resamples=bootstrap, seed=seed
        )
        tables[code] = _attach(table, intervals, Message(PER_CODE, code=code), notes)
    return tables


def agreement_report(
    matrix: CodingMatrix,
    *,
    unit: str,
    empty: EmptyUnits = "missing",
    bootstrap: int = 0,
    seed: int | None = None,
) -> dict[str, Any]:
    """The JSON of `unit_agreement` (see the module docstring)."""
    return unit_agreement(matrix, unit=unit, empty=empty, bootstrap=bootstrap, seed=seed).to_json()


def character_agreement(
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
) -> UnitAgreement:
    """Character-level agreement (NVivo style), with per code x transcript cells.

    `lengths[t]` is transcript t's length; `rated[t, c]` says coder c rated transcript t; each coding
    e is (transcript_index[e], code_index[e], coder_index[e], [starts[e], ends[e])). A pair of coders
    is compared on the transcripts both rated. `overall` pools the counts of every code and transcript;
    `per_code` pools one code over transcripts; `per_code_transcript` has each cell's percent agreement,
    kappa and counts. With 3 or more coders the overall and per-code kappa is Light's kappa over the
    pairs, and the other statistics are given per pair only.
    """
    coders = list(coders)
    lengths = np.asarray(lengths, dtype=np.int64)
    rated = np.asarray(rated, dtype=bool)
    codings = _Codings(np.asarray(transcript_index, dtype=np.int64), np.asarray(code_index, dtype=np.int64),
                       np.asarray(coder_index, dtype=np.int64), np.asarray(starts, dtype=np.int64),
                       np.asarray(ends, dtype=np.int64))
    pair_counts = _pair_counts(coders, len(codes), lengths, rated, codings)
    pairwise = {label: _pooled(counts).statistics() for label, counts in pair_counts.items()}
    per_code = {
        code: _combine(coders, {label: _pooled(counts[j]).statistics() for label, counts in pair_counts.items()})
        for j, code in enumerate(codes)
    }
    notes = [Message(CHARACTER_LEVEL)]
    if len(coders) > 2:
        notes.append(Message(CHARACTER_LIGHT_KAPPA))
    compared_any = rated.sum(axis=1) >= 2
    return UnitAgreement(
        unit="char",
        coders=tuple(coders),
        n_units=int(lengths.sum()),
        overall=_combine(coders, pairwise),
        per_code=per_code,
        pairwise=pairwise,
        masi=Result.undefined(reasons.NOT_AT_CHARACTER_LEVEL),
        notes=tuple(notes),
        n_units_pairable=int(lengths[compared_any].sum()),
        per_code_transcript=_cells(coders, list(codes), list(transcripts), rated, pair_counts),
    )


def character_agreement_report(**arguments: Any) -> dict[str, Any]:
    """The JSON of `character_agreement` (same arguments)."""
    return character_agreement(**arguments).to_json()


@dataclass(frozen=True, slots=True)
class _Codings:
    """The codings' columns: transcript, code, coder, start, end."""

    transcript: np.ndarray
    code: np.ndarray
    coder: np.ndarray
    start: np.ndarray
    end: np.ndarray


def _pair_counts(
    coders: list[str], n_codes: int, lengths: np.ndarray, rated: np.ndarray, codings: _Codings
) -> dict[str, np.ndarray]:
    """Each pair's character counts: "A|B" -> (codes, transcripts, 4), on the transcripts both rated."""
    n_transcripts = lengths.size
    pair_counts: dict[str, np.ndarray] = {}
    for i, j, label in pair_labels(coders):
        compared = rated[:, i] & rated[:, j]
        group_lengths = np.tile(np.where(compared, lengths, 0), n_codes)
        mine = (codings.coder == i) | (codings.coder == j)
        counts = char_counts_batch(
            group_lengths,
            codings.code[mine] * n_transcripts + codings.transcript[mine],
            (codings.coder[mine] == j).astype(np.int64),
            codings.start[mine],
            codings.end[mine],
        )
        pair_counts[label] = counts.reshape(n_codes, n_transcripts, 4)
    return pair_counts


def _pooled(counts: np.ndarray) -> CharCounts:
    return CharCounts(*(int(value) for value in counts.reshape(-1, 4).sum(axis=0)))


def _combine(coders: list[str], per_pair: dict[str, Table]) -> Table:
    """One table from the pairs': the pair's own with 2 coders, else Light's kappa and nothing else."""
    if len(coders) == 2:
        return next(iter(per_pair.values()))
    if len(coders) < 2:
        return _undefined_table(reasons.NO_PAIRABLE_UNITS)
    table = _undefined_table(reasons.CHARACTER_LEVEL_PAIRS_ONLY)
    table["cohen_kappa"] = mean_of_pairs(
        {label: t["cohen_kappa"] for label, t in per_pair.items()}
    )
    return table


def _cells(
    coders: list[str], codes: list[str], transcripts: list[str], rated: np.ndarray,
    pair_counts: dict[str, np.ndarray],
) -> CharacterCells:
    """Percent agreement, kappa and counts of each code on each transcript for each pair that rated it."""
    cells: dict[str, dict[str, dict[str, CharacterCell]]] = {}
    for j, code in enumerate(codes):
        cells[code] = {}
        for t, transcript in enumerate(transcripts):
            by_pair = {}
            for i, k, label in pair_labels(coders):
                if not (rated[t, i] and rated[t, k]):
                    continue
                cell = CharCounts(*(int(value) for value in pair_counts[label][j, t]))
                stats = cell.statistics()
                by_pair[label] = CharacterCell(stats["percent_agreement"], stats["cohen_kappa"], cell)
            if by_pair:
                cells[code][transcript] = by_pair
    return cells
