"""The span-unit agreement report: the uα family pooled, per code, per coder pair and per transcript.

`span_agreement` gives it as a typed `SpanAgreement`, `unitizing_report` as JSON, of the shape (the keys of the other agreement reports where they apply):
`{"unit": "span", "coders", "n_units", "overall": {"u_alpha", "binary_u_alpha", "cu_alpha"},
"per_code": {CODE: {"k_u_alpha", "binary_u_alpha"}}, "pairwise": {"A|B": {"u_alpha", "binary_u_alpha",
"cu_alpha"}}, ...}` where each figure is `Result.to_json()` and `cu_alpha` also has `coverage`. Extra
keys: `notes`, `n_transcripts`, `continuum_length`, `coded_share` (the share of characters x coders
carrying any of the codes), `transcript_lengths`, `per_code_counts`, `bootstrap`, and with
`by_transcript` the same figures for each transcript.

Pooling adds the terms of all transcripts; the bootstrap resamples transcripts (not characters or
passages, which are not independent within a transcript) with the percentile method of `bootstrap`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from qcode.agreement.bootstrap import percentile_intervals
from qcode.agreement.figures import Bootstrap, SpanAgreement, SpanTable, Table, TranscriptSpans
from qcode.agreement.labels import SPAN_OVERALL as OVERALL
from qcode.agreement.labels import SPAN_PER_CODE as PER_CODE
from qcode.agreement.messages import Message
from qcode.agreement.result import Result
from qcode.agreement.unitizing import (
    Overlap,
    SpanData,
    SpanTerms,
    binary_u_alpha,
    code_binary_u_alpha,
    coded_share,
    cu_alpha,
    k_u_alpha,
    span_terms,
    u_alpha,
)
from qcode.i18n import N_

BLOCK_ELEMENTS = 2_000_000

FEWER_THAN_TWO_CODERS = N_("the uα family compares at least 2 coders")
NO_TRANSCRIPT = N_("no transcript was completed by every compared coder, so there is no continuum to compare")
NO_TEXT = N_("the transcripts have no text, so there is nothing to compare")
NOTHING_CODED = N_("no coder coded any text with these codes, so expected disagreement is 0 and the coefficient "
                   "is 0/0")
ALL_CODED_ALIKE = N_("every coder coded all of the text with one and the same value, so expected disagreement is 0 "
                     "and the coefficient is 0/0")
NO_INTERSECTION = N_("no coded passages of different coders intersect, so cuα has nothing to compare")
CU_ONE_CODE = N_("where coded passages of different coders intersect only one code was used, so expected "
                 "disagreement is 0 and cuα is 0/0")
ALL_RELEVANT = N_("every coder coded all of the text, so relevant and irrelevant text cannot be told apart "
                  "and |uα is 0/0")
K_NEVER_MEETS = N_("no passage with this code meets another coder's coded passage")
K_ONLY_CODE = N_("where coded passages intersect, this is the only code used, so there is nothing to tell it from")
CODE_UNUSED = N_("no coder used this code")
CODE_EVERYWHERE = N_("every coder coded all of the text with this code, so expected disagreement is 0")
NOT_ONE_VARIABLE = N_("the codes are not one variable")
OVERLAP = N_("the codes are not one variable: coder {coder} coded {first} at [{a0}, {a1}) and {second} at "
             "[{b0}, {b1}) in transcript {transcript}, which overlap{more}; choose mutually exclusive codes (for "
             "example the children of one group)")
MORE_OVERLAPS = N_(" ({count} such overlaps in all)")
PART_OF_CU = N_("(k)uα is part of cuα: {reason}")
ONE_TRANSCRIPT = N_("no 95% intervals: they resample transcripts, and there is only one")
NO_INTERVAL = N_("{where} {name}: no 95% interval: {reason}")
OVERALL_SCOPE, CODE_SCOPE = N_("overall"), N_("per_code {code}")  # where, in a note
BINARY_ONLY = N_("the codes overlap within coders, so only the binary uα of each code (the code against everything "
                 "else) is given")
MERGED = (N_("{count} coding overlapped another coding of the same code by the same coder and was merged with it "
             "into one passage"),
          N_("{count} codings overlapped other codings of the same code by the same coder and were merged with them "
             "into passages"))  # singular, plural


def overlap_reason(overlap: Overlap, coders: Sequence[str], codes: Sequence[str], transcripts: Sequence[str]) -> str:
    """Why the overall figures are missing: where one coder's codes of the variable overlap."""
    (a, a0, a1), (b, b0, b1) = overlap.first, overlap.second
    more = Message(MORE_OVERLAPS, count=overlap.count) if overlap.count > 1 else ""
    return Message(OVERLAP, coder=coders[overlap.coder], first=codes[a], a0=a0, a1=a1, second=codes[b], b0=b0,
                   b1=b1, transcript=transcripts[overlap.transcript], more=more)


def _result(value: float | np.ndarray, reason: str) -> Result:
    return Result.undefined(reason) if not np.isfinite(value) else Result.of(float(value))


class _Figures:
    """The figures of summed terms (one transcript, or all of them), with reasons for undefined ones."""

    def __init__(self, terms: SpanTerms, rows: np.ndarray | slice, overlap_text: str | None) -> None:
        m = terms.n_coders
        self.positions = float(m * terms.lengths[rows].sum())
        self.covered = terms.code_covered[rows].sum(axis=0)
        self.shared = terms.code_shared[rows].sum(axis=0) / max(m - 1, 1)
        self.squares = terms.code_squares[rows].sum(axis=0)
        self.overlap_text = overlap_text
        if terms.l is not None and terms.s is not None and terms.s_star is not None:
            self.l = terms.l[rows].sum(axis=0)
            self.s = terms.s[rows].sum(axis=0)
            self.s_star = terms.s_star[rows].sum(axis=0)

    def _base_reason(self, binary: bool = False) -> str:
        if self.positions == 0:
            return NO_TEXT
        if not self.covered.any():
            return NOTHING_CODED
        return ALL_RELEVANT if binary else ALL_CODED_ALIKE

    def overall(self) -> dict[str, Result]:
        if self.overlap_text is not None:
            return {name: Result.undefined(self.overlap_text) for name in OVERALL}
        u = u_alpha(self.l, self.s)
        binary = binary_u_alpha(self.l, self.s)
        cu, _ = cu_alpha(self.l, self.s_star)
        coded = self.l[:-1, :-1]
        cu_reason = NO_INTERSECTION if coded.sum() == 0 else CU_ONE_CODE
        return {"u_alpha": _result(u, self._base_reason()), "binary_u_alpha": _result(binary, self._base_reason(binary=True)),
                "cu_alpha": _result(cu, cu_reason)}

    def coverage(self) -> float | None:
        if self.overlap_text is not None:
            return None
        _, coverage = cu_alpha(self.l, self.s_star)
        return float(coverage) if np.isfinite(coverage) else None

    def per_code(self) -> list[dict[str, Result]]:
        binary = code_binary_u_alpha(self.shared, self.covered, self.squares, self.positions)
        if self.overlap_text is None:
            k = k_u_alpha(self.l, self.s_star)
            coded = self.l[:-1, :-1]
            margins = coded.sum(axis=-1)
        out = []
        for code in range(self.covered.size):
            unused = self.covered[code] == 0
            if self.overlap_text is not None:
                k_result = Result.undefined(Message(PART_OF_CU, reason=self.overlap_text))
            else:
                k_reason = CODE_UNUSED if unused else K_NEVER_MEETS if margins[code] == 0 else K_ONLY_CODE
                k_result = _result(k[code], k_reason)
            b_reason = CODE_UNUSED if unused else CODE_EVERYWHERE
            out.append({"k_u_alpha": k_result, "binary_u_alpha": _result(binary[code], b_reason)})
        return out


def _per_code_tables(per_code: list[dict[str, Result]], codes: Sequence[str]) -> dict[str, Table]:
    return {code: {name: per_code[j][name] for name in PER_CODE} for j, code in enumerate(codes)}


def _bootstrap(terms: SpanTerms, overall: dict[str, Result], per_code: list[dict[str, Result]],
               codes: Sequence[str], *, resamples: int, seed: int | None, notes: list[str]) -> None:
    """Attach percentile intervals, resampling transcripts, to the defined pooled figures (in place)."""
    n_t, n_v, m = terms.lengths.size, terms.n_codes, terms.n_coders
    if n_t < 2:
        notes.append(Message(ONE_TRANSCRIPT))
        return
    blocks = [terms.code_shared / max(m - 1, 1), terms.code_covered, terms.code_squares,
              (m * terms.lengths)[:, None].astype(float)]
    variable = terms.l is not None and terms.s is not None and terms.s_star is not None
    if variable:
        assert terms.l is not None and terms.s is not None and terms.s_star is not None  # what `variable` says
        w = n_v + 1
        blocks += [terms.l.reshape(n_t, w * w), terms.s, terms.s_star]
    per_transcript = np.hstack(blocks)

    def evaluate(draws: np.ndarray) -> np.ndarray:
        # Blocks of resamples keep the summed terms (resamples x terms) to a few million numbers.
        block = max(1, BLOCK_ELEMENTS // per_transcript.shape[1])
        return np.vstack([evaluate_block(draws[i:i + block]) for i in range(0, draws.shape[0], block)])

    def evaluate_block(draws: np.ndarray) -> np.ndarray:
        sums = draws @ per_transcript
        shared, covered, squares = sums[:, :n_v], sums[:, n_v:2 * n_v], sums[:, 2 * n_v:3 * n_v]
        positions = sums[:, 3 * n_v:3 * n_v + 1]
        columns = [code_binary_u_alpha(shared, covered, squares, positions)]
        if variable:
            rest = sums[:, 3 * n_v + 1:]
            l = rest[:, :w * w].reshape(-1, w, w)
            s, s_star = rest[:, w * w:w * w + w], rest[:, w * w + w:]
            columns += [u_alpha(l, s)[:, None], binary_u_alpha(l, s)[:, None], cu_alpha(l, s_star)[0][:, None],
                        k_u_alpha(l, s_star)]
        return np.hstack(columns)

    n_statistics = n_v + (3 + n_v if variable else 0)
    intervals = percentile_intervals(np.ones(n_t, dtype=np.int64), evaluate, n_statistics, n_resamples=resamples,
                                     seed=seed)
    targets: list[tuple[str, dict[str, Result], str]] = [
        (Message(CODE_SCOPE, code=codes[j]), per_code[j], "binary_u_alpha") for j in range(n_v)]
    if variable:
        targets += [(Message(OVERALL_SCOPE), overall, name) for name in OVERALL]
        targets += [(Message(CODE_SCOPE, code=codes[j]), per_code[j], "k_u_alpha") for j in range(n_v)]
    for interval, (where, table, name) in zip(intervals, targets, strict=True):
        if table[name].value is None:
            continue
        if interval.ci95 is None:
            notes.append(Message(NO_INTERVAL, where=where, name=name, reason=interval.reason))
        table[name] = table[name].with_ci(interval.ci95)


def span_agreement(data: SpanData, *, coders: Sequence[str], codes: Sequence[str], transcripts: Sequence[str],
                   bootstrap: int = 0, seed: int | None = None, by_transcript: bool = False) -> SpanAgreement:
    """Every figure of the uα family for `data`."""
    if len(coders) != data.n_coders or len(codes) != data.n_codes or len(transcripts) != data.lengths.size:
        raise ValueError("names must match the data's coders, codes and transcripts")
    terms = span_terms(data)
    notes: list[str] = []
    missing = FEWER_THAN_TWO_CODERS if data.n_coders < 2 else NO_TRANSCRIPT if data.lengths.size == 0 else None
    overlap_text = None if terms.overlap is None else overlap_reason(terms.overlap, coders, codes, transcripts)
    if missing is not None:
        overall, per_code, coverage = _missing(missing, len(codes))
    else:
        pooled = _Figures(terms, slice(None), overlap_text)
        overall, per_code, coverage = pooled.overall(), pooled.per_code(), pooled.coverage()
        if bootstrap > 0:
            _bootstrap(terms, overall, per_code, codes, resamples=bootstrap, seed=seed, notes=notes)
    if overlap_text is not None:
        notes.append(Message(BINARY_ONLY))
    merged = data.transcript.size - int(terms.units.sum())
    if merged:
        notes.append(Message(MERGED[merged != 1], count=merged))
    return SpanAgreement(
        coders=tuple(coders),
        n_units=int(terms.units.sum()),
        overall=SpanTable(overall, coverage),
        per_code=_per_code_tables(per_code, codes),
        pairwise=_pairwise(terms, coders, overlap_text if missing is None else missing),
        notes=tuple(notes),
        n_transcripts=int(data.lengths.size),
        continuum_length=int(data.lengths.sum()),
        coded_share=coded_share(data),
        transcript_lengths={name: int(length) for name, length in zip(transcripts, data.lengths, strict=True)},
        per_code_counts={code: {coder: int(terms.units[i, j]) for i, coder in enumerate(coders)}
                         for j, code in enumerate(codes)},
        bootstrap=Bootstrap(bootstrap, seed, resampled="transcripts") if bootstrap > 0 else None,
        by_transcript=_by_transcript(terms, data, coders, codes, transcripts, missing) if by_transcript else None,
    )


def unitizing_report(data: SpanData, *, coders: Sequence[str], codes: Sequence[str], transcripts: Sequence[str],
                     bootstrap: int = 0, seed: int | None = None, by_transcript: bool = False) -> dict[str, Any]:
    """The JSON of `span_agreement` (see the module docstring for the shape)."""
    return span_agreement(data, coders=coders, codes=codes, transcripts=transcripts, bootstrap=bootstrap, seed=seed,
                          by_transcript=by_transcript).to_json()


def _missing(reason: str, n_codes: int) -> tuple[dict[str, Result], list[dict[str, Result]], None]:
    """Every figure undefined for the same reason (fewer than 2 coders, no transcript)."""
    return ({name: Result.undefined(reason) for name in OVERALL},
            [{name: Result.undefined(reason) for name in PER_CODE} for _ in range(n_codes)], None)


def _pairwise(terms: SpanTerms, coders: Sequence[str], reason: str | None) -> dict[str, SpanTable]:
    """uα, |uα and cuα of every pair of coders, pooled over transcripts (no intervals)."""
    out = {}
    for i in range(len(coders)):
        for j in range(i + 1, len(coders)):
            key = f"{coders[i]}|{coders[j]}"
            if reason is not None or terms.pair_l is None:
                why = reason or NOT_ONE_VARIABLE
                out[key] = SpanTable({name: Result.undefined(why) for name in OVERALL}, None)
                continue
            l, s, s_star = terms.pair(i, j)
            nothing = l[:-1, :].sum() == 0
            cu, coverage = cu_alpha(l, s_star)
            figures = {"u_alpha": _result(u_alpha(l, s), NOTHING_CODED if nothing else ALL_CODED_ALIKE),
                       "binary_u_alpha": _result(binary_u_alpha(l, s), NOTHING_CODED if nothing else ALL_RELEVANT),
                       "cu_alpha": _result(cu, NO_INTERSECTION if l[:-1, :-1].sum() == 0 else CU_ONE_CODE)}
            out[key] = SpanTable(figures, float(coverage) if np.isfinite(coverage) else None)
    return out


def _by_transcript(terms: SpanTerms, data: SpanData, coders: Sequence[str], codes: Sequence[str],
                   transcripts: Sequence[str], missing: str | None) -> dict[str, TranscriptSpans]:
    """The figures of each transcript alone (no intervals: there is nothing to resample within one)."""
    out = {}
    for t, name in enumerate(transcripts):
        if terms.overlap is not None:
            # Only this transcript's own overlaps make its figures undefined.
            own_terms = span_terms(_one_transcript(data, t))
            own = own_terms.overlap
            text = None if own is None else overlap_reason(
                Overlap(t, own.coder, own.first, own.second, own.count), coders, codes, transcripts)
            figures = _Figures(own_terms, slice(None), text)
        else:
            figures = _Figures(terms, slice(t, t + 1), None)
        if missing is not None:
            overall, per_code, coverage = _missing(missing, len(codes))
        else:
            overall, per_code, coverage = figures.overall(), figures.per_code(), figures.coverage()
        out[name] = TranscriptSpans(int(data.lengths[t]), SpanTable(overall, coverage),
                                    _per_code_tables(per_code, codes))
    return out


def _one_transcript(data: SpanData, t: int) -> SpanData:
    rows = data.transcript == t
    return SpanData(data.lengths[t:t + 1], data.n_coders, data.n_codes, np.zeros(int(rows.sum()), dtype=np.int64),
                    data.coder[rows], data.code[rows], data.start[rows], data.end[rows])
