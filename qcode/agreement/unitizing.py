"""Krippendorff's alpha for unitized continua: uα, |uα, cuα and (k)uα, from coder-chosen spans.

Definitions: `shared/design/agreement.md`, "Unitizing" (Krippendorff, Mathet, Bouvry & Widlöcher
2016; Krippendorff 2019, §12.6). One continuum per transcript, positions [0, L); each coder's spans of
one variable (mutually exclusive codes) plus the gaps between them partition it.

Everything is a sum over transcripts of a few terms (`SpanTerms`): the coincidence matrix l, the
S terms and S*, and three sums per code for the binary uα of each code. Pooling transcripts adds the
terms (the same as laying them end to end), and a bootstrap over transcripts adds resampled terms,
so the coefficients below take summed terms with any leading batch axes.

How the terms are computed, without per-character arrays: all transcripts are laid end to end on one
axis. Within one coder the spans of one code that overlap are merged into their union (touching spans
stay separate units: the family cannot tell a stretch split in two from one passage). The boundaries
of every coder's units cut the axis into elementary segments in which each coder has one value (a
code or the gap), found by binary search in the coder's sorted units; l adds each segment's length
for every ordered pair of coders, S sums squared unit lengths, and S* sums, per unit, the squared
length of its intersection with another coder's coded text. The per-code sums come from one sweep
over the start/end events of all coders' units.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class SpanData:
    """Coder-chosen spans: one row per coding, positions within its transcript's continuum [0, L)."""

    lengths: np.ndarray  # (T,) characters of each transcript
    n_coders: int
    n_codes: int
    transcript: np.ndarray  # per coding: transcript index
    coder: np.ndarray
    code: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def __post_init__(self) -> None:
        for name in ("lengths", "transcript", "coder", "code", "start", "end"):
            object.__setattr__(self, name, np.asarray(getattr(self, name), dtype=np.int64).reshape(-1))
        n = self.transcript.size
        if not all(getattr(self, k).size == n for k in ("coder", "code", "start", "end")):
            raise ValueError("the coding columns must have the same length")
        if n:
            if self.transcript.min() < 0 or self.transcript.max() >= self.lengths.size:
                raise ValueError("a coding refers to an unknown transcript")
            if self.coder.min() < 0 or self.coder.max() >= self.n_coders:
                raise ValueError("a coding refers to an unknown coder")
            if self.code.min() < 0 or self.code.max() >= self.n_codes:
                raise ValueError("a coding refers to an unknown code")
            if np.any(self.start < 0) or np.any(self.end > self.lengths[self.transcript]) or np.any(
                    self.start >= self.end):
                raise ValueError("a coding must satisfy 0 <= start < end <= its transcript's length")


@dataclass(frozen=True)
class Overlap:
    """Two units of one coder, of different codes of the variable, that overlap (first one found)."""

    transcript: int
    coder: int
    first: tuple[int, int, int]  # (code, start, end) within the transcript
    second: tuple[int, int, int]
    count: int  # units that overlap an earlier unit of their coder, in all


@dataclass(frozen=True)
class SpanTerms:
    """Per-transcript terms of the uα family (leading axis T); sums of them give the pooled figures.

    W = n_codes + 1 values, the last one the gap. The variable's terms (`l`, `s`, `s_star` and the pooled
    per-pair ones) are None when one coder's units of different codes overlap (`overlap` says where):
    the codes are then not one variable.
    """

    n_coders: int
    n_codes: int
    lengths: np.ndarray  # (T,)
    units: np.ndarray  # (m, V) units of each code per coder, after merging overlaps of one code
    code_shared: np.ndarray  # (T, V) sum over ordered coder pairs i != j of |K_i ∩ K_j|
    code_covered: np.ndarray  # (T, V) sum over coders of |K_i| (K_i: coder i's text coded with the code)
    code_squares: np.ndarray  # (T, V) sum of squared unit lengths
    overlap: Overlap | None
    l: np.ndarray | None  # (T, W, W) coincidence matrix
    s: np.ndarray | None  # (T, W) S terms: l² per unit of a code, the gap's length for the gap
    s_star: np.ndarray | None  # (T, V) S* terms
    pair_l: np.ndarray | None  # (m, m, W, W) pooled: coder i's value c against coder j's value k
    coder_s: np.ndarray | None  # (m, W) pooled S terms of each coder
    pair_s_star: np.ndarray | None  # (m, m, V) pooled: sum over units of i of |unit ∩ U_j|², by code

    @property
    def defined(self) -> bool:
        """Whether the codes form one variable (no coder's units of different codes overlap)."""
        return self.overlap is None

    def pair(self, i: int, j: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pooled l, S and S* of coders i and j alone (m = 2)."""
        assert self.pair_l is not None and self.coder_s is not None and self.pair_s_star is not None
        return (self.pair_l[i, j] + self.pair_l[j, i], self.coder_s[i] + self.coder_s[j],
                self.pair_s_star[i, j] + self.pair_s_star[j, i])


# --- the coefficients, on summed terms (any leading batch axes; NaN = 0/0, the caller says why) ---


def _divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    numerator, denominator = np.broadcast_arrays(np.asarray(numerator, float), np.asarray(denominator, float))
    out = np.full(numerator.shape, np.nan)
    ok = np.abs(denominator) > 1e-12 * np.maximum(1.0, np.abs(numerator))
    np.divide(numerator, denominator, out=out, where=ok)
    return out


def _expected_off_diagonal(l: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Sum over c != k of e_ck = (l_c. l_.k) / (l.. - S/l..), which simplifies to
    l.. (l..² - sum_c l_c.²) / (l..² - S) (the S_c terms only sit on the diagonal)."""
    total = l.sum(axis=(-2, -1))
    margins = l.sum(axis=-1)
    return _divide(total * (total**2 - (margins**2).sum(axis=-1)), total**2 - s.sum(axis=-1))


def u_alpha(l: np.ndarray, s: np.ndarray) -> np.ndarray:
    """uα = 1 - sum_{c≠k} l_ck / sum_{c≠k} e_ck, gaps included as the value ∅."""
    total = l.sum(axis=(-2, -1))
    observed = total - np.trace(l, axis1=-2, axis2=-1)
    return 1.0 - _divide(observed, _expected_off_diagonal(l, s))


def binary_u_alpha(l: np.ndarray, s: np.ndarray) -> np.ndarray:
    """|uα: every code collapsed into "relevant", sections and S kept: 1 - (l_∅+ + l_+∅)/(e_∅+ + e_+∅).

    e_∅+ = sum_{k≠∅} e_∅k = l_∅. (l.. - l_∅.) / (l.. - S/l..): no S term off the diagonal.
    """
    total = l.sum(axis=(-2, -1))
    gap_margin = l[..., -1, :].sum(axis=-1)
    observed = 2.0 * (gap_margin - l[..., -1, -1])
    expected = _divide(2.0 * gap_margin * (total - gap_margin) * total, total**2 - s.sum(axis=-1))
    return 1.0 - _divide(observed, expected)


def cu_alpha(l: np.ndarray, s_star: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """cuα on the coded-coded coincidences l* and S*, and its coverage l*.. / sum_{c≠∅} l_c."""
    coded = l[..., :-1, :-1]
    total = coded.sum(axis=(-2, -1))
    observed = total - np.trace(coded, axis1=-2, axis2=-1)
    value = 1.0 - _divide(observed, _expected_off_diagonal(coded, s_star))
    coverage = _divide(total, l[..., :-1, :].sum(axis=(-2, -1)))
    return value, coverage


def k_u_alpha(l: np.ndarray, s_star: np.ndarray) -> np.ndarray:
    """(k)uα for every code k (last axis): 1 - (e*_k./l*_k.) (l*_k. - l*_kk) / (e*_k. - e*_kk).

    With e*_k. = (l*_k. l*.. - S*_k)/D and e*_k. - e*_kk = l*_k. (l*.. - l*_k.)/D the denominator D
    cancels: (k)uα = 1 - (l*_k. l*.. - S*_k)(l*_k. - l*_kk) / (l*_k.² (l*.. - l*_k.)).
    """
    coded = l[..., :-1, :-1]
    margins = coded.sum(axis=-1)
    total = coded.sum(axis=(-2, -1))[..., None]
    diagonal = np.diagonal(coded, axis1=-2, axis2=-1)
    defined = (total**2 - s_star.sum(axis=-1)[..., None]) > 0  # D > 0, else the e* are 0/0
    ratio = _divide((margins * total - s_star) * (margins - diagonal), margins**2 * (total - margins))
    return np.where(defined, 1.0 - ratio, np.nan)


def code_binary_u_alpha(shared: np.ndarray, covered: np.ndarray, squares: np.ndarray,
                        positions: np.ndarray | float) -> np.ndarray:
    """uα of one code against everything else (other codes count as gap): the 2x2 case of uα.

    positions = m·L. l_kk = shared/(m-1) is passed in already divided; l_k. = covered,
    S = squares + (m·L - covered).
    """
    observed = 2.0 * (covered - shared)
    s = squares + positions - covered
    expected = _divide(2.0 * covered * (positions - covered) * positions, positions**2 - s)
    return 1.0 - _divide(observed, expected)


# --- from spans to terms ---


def span_terms(data: SpanData) -> SpanTerms:
    """The per-transcript terms of `data` (see the module docstring for how)."""
    n_t, m, n_v = data.lengths.size, data.n_coders, data.n_codes
    offsets = np.concatenate([[0], np.cumsum(data.lengths)])
    units = _merge_same_code(data, offsets)
    u_coder, u_code, u_start, u_end = units
    u_transcript = np.searchsorted(offsets, u_start, side="right") - 1
    unit_counts = np.bincount(u_coder * n_v + u_code, minlength=m * n_v).reshape(m, n_v)
    lengths = u_end - u_start
    covered = np.bincount(u_transcript * n_v + u_code, weights=lengths, minlength=n_t * n_v).reshape(n_t, n_v)
    squares = np.bincount(u_transcript * n_v + u_code, weights=lengths.astype(float) ** 2,
                          minlength=n_t * n_v).reshape(n_t, n_v)
    shared = _shared_per_code(units, offsets, n_t, n_v)
    overlap = _first_overlap(units, offsets)
    if overlap is not None:
        return SpanTerms(m, n_v, data.lengths.copy(), unit_counts, shared, covered, squares, overlap,
                         None, None, None, None, None, None)
    return SpanTerms(m, n_v, data.lengths.copy(), unit_counts, shared, covered, squares, None,
                     *_variable_terms(units, offsets, data.lengths, m, n_v))


Units = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # coder, code, global start, global end


def coded_share(data: SpanData) -> float | None:
    """The share of the positions (characters x coders) that carry any code of the analysis."""
    positions = data.n_coders * int(data.lengths.sum())
    if positions == 0:
        return None
    any_code = SpanData(data.lengths, data.n_coders, 1, data.transcript, data.coder, np.zeros_like(data.code),
                        data.start, data.end)
    _, _, start, end = _merge_same_code(any_code, np.concatenate([[0], np.cumsum(data.lengths)]))
    return float((end - start).sum() / positions)


def _merge_same_code(data: SpanData, offsets: np.ndarray) -> Units:
    """Each coder's units per code: overlapping codings of one code merged into their union, on the
    global axis, sorted by (coder, code, start)."""
    if data.transcript.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty
    start = data.start + offsets[data.transcript]
    end = data.end + offsets[data.transcript]
    group = data.coder * data.n_codes + data.code
    order = np.lexsort((start, group))
    group, start, end = group[order], start[order], end[order]
    # Running maximum of the end within each group: offsetting groups by more than the axis keeps an
    # earlier group's ends below any later group's.
    stride = int(offsets[-1]) + 1
    running = np.maximum.accumulate(end + group * stride) - group * stride
    new = np.ones(group.size, dtype=bool)
    new[1:] = (group[1:] != group[:-1]) | (start[1:] >= running[:-1])
    first = np.flatnonzero(new)
    merged_end = np.maximum.reduceat(end, first)
    g = group[first]
    return g // data.n_codes, g % data.n_codes, start[first], merged_end


def _shared_per_code(units: Units, offsets: np.ndarray, n_t: int, n_v: int) -> np.ndarray:
    """(T, V) sum over ordered coder pairs of the length both code a stretch with the code: a sweep over
    unit starts (+1) and ends (-1) per code; a stretch covered by n coders adds n(n-1) per character."""
    coder, code, start, end = units
    if code.size == 0:
        return np.zeros((n_t, n_v))
    stride = int(offsets[-1]) + 1
    positions = np.concatenate([start, end])
    codes = np.concatenate([code, code])
    steps = np.concatenate([np.ones_like(start), -np.ones_like(end)])
    order = np.argsort(codes * stride + positions, kind="stable")
    positions, codes, steps = positions[order], codes[order], steps[order]
    covering = np.cumsum(steps)
    width = np.zeros(positions.size, dtype=np.int64)
    same = codes[1:] == codes[:-1]
    width[:-1] = np.where(same, positions[1:] - positions[:-1], 0)
    weight = width * covering * (covering - 1)
    transcript = np.searchsorted(offsets, positions, side="right") - 1
    transcript = np.minimum(transcript, n_t - 1)
    keep = weight > 0
    return np.bincount(transcript[keep] * n_v + codes[keep], weights=weight[keep].astype(float),
                       minlength=n_t * n_v).reshape(n_t, n_v)


def _first_overlap(units: Units, offsets: np.ndarray) -> Overlap | None:
    """Where one coder's units of different codes overlap (the codes are then not one variable)."""
    coder, code, start, end = units
    if coder.size < 2:
        return None
    stride = int(offsets[-1]) + 1
    order = np.lexsort((end, start, coder))
    coder, code, start, end = coder[order], code[order], start[order], end[order]
    running = np.maximum.accumulate(end + coder * stride) - coder * stride
    bad = np.flatnonzero((coder[1:] == coder[:-1]) & (start[1:] < running[:-1])) + 1
    if bad.size == 0:
        return None
    r = int(bad[0])
    q = r - 1
    for p in range(r - 1, -1, -1):  # the earliest-starting unit of the same coder that it overlaps
        if coder[p] != coder[r]:
            break
        if end[p] > start[r]:
            q = p
    t = int(np.searchsorted(offsets, start[r], side="right") - 1)
    base = int(offsets[t])
    return Overlap(t, int(coder[r]), (int(code[q]), int(start[q]) - base, int(end[q]) - base),
                   (int(code[r]), int(start[r]) - base, int(end[r]) - base), int(bad.size))


def _variable_terms(units: Units, offsets: np.ndarray, lengths: np.ndarray, m: int, n_v: int) -> tuple[Any, ...]:
    """l, s, s_star per transcript and the pooled pair_l, coder_s, pair_s_star of the variable
    (no coder's units overlap, so each coder has one value on every elementary segment)."""
    coder, code, start, end = units
    n_t, w = lengths.size, n_v + 1
    bounds = np.sort(np.concatenate([start, end, offsets]))
    bounds = bounds[np.concatenate([[True], bounds[1:] != bounds[:-1]])]  # np.unique hashes: slower here
    left, width = bounds[:-1], np.diff(bounds).astype(float)
    seg_t = np.clip(np.searchsorted(offsets, left, side="right") - 1, 0, max(n_t - 1, 0))
    values = np.empty((m, left.size), dtype=np.int64)
    section = np.empty((m, left.size), dtype=np.int64)  # index of the unit in the coder's list, -1 = gap
    per_coder = []
    for i in range(m):
        mine = np.flatnonzero(coder == i)
        mine = mine[np.argsort(start[mine], kind="stable")]
        per_coder.append(mine)
        if mine.size == 0:
            section[i], values[i] = -1, n_v
            continue
        idx = np.searchsorted(start[mine], left, side="right") - 1
        inside = idx >= 0
        inside[inside] = left[inside] < end[mine][idx[inside]]
        section[i] = np.where(inside, idx, -1)
        values[i] = np.where(inside, code[mine][np.maximum(idx, 0)], n_v)

    l = np.zeros(n_t * w * w)
    s_star = np.zeros(n_t * n_v)
    pair_l = np.zeros((m, m, w, w))
    pair_s_star = np.zeros((m, m, n_v))
    for i in range(m):
        mine = per_coder[i]
        unit_t = np.searchsorted(offsets, start[mine], side="right") - 1
        in_unit = section[i] >= 0
        for j in range(m):
            if i == j:
                continue
            by_segment = np.bincount((seg_t * w + values[i]) * w + values[j], weights=width, minlength=n_t * w * w)
            l += by_segment
            pair_l[i, j] = by_segment.reshape(n_t, w, w).sum(axis=0)
            # p_igj = |unit g of coder i ∩ coder j's coded text|; S* sums its square per code.
            met = np.bincount(section[i][in_unit], weights=width[in_unit] * (values[j][in_unit] != n_v),
                              minlength=mine.size)
            by_unit = np.bincount(unit_t * n_v + code[mine], weights=met**2, minlength=n_t * n_v)
            s_star += by_unit
            pair_s_star[i, j] = by_unit.reshape(n_t, n_v).sum(axis=0)
    unit_t = np.searchsorted(offsets, start, side="right") - 1
    size = (end - start).astype(float)
    per_coder_s = np.zeros((n_t, m, w))
    per_coder_s[:, :, :n_v] = np.bincount((unit_t * m + coder) * n_v + code, weights=size**2,
                                          minlength=n_t * m * n_v).reshape(n_t, m, n_v)
    coded_length = np.bincount(unit_t * m + coder, weights=size, minlength=n_t * m).reshape(n_t, m)
    per_coder_s[:, :, n_v] = lengths[:, None] - coded_length  # the gap: w(l) = l, so only its total matters
    divisor = max(m - 1, 1)
    return (l.reshape(n_t, w, w) / divisor, per_coder_s.sum(axis=1), s_star.reshape(n_t, n_v) / divisor,
            pair_l, per_coder_s.sum(axis=0), pair_s_star)
