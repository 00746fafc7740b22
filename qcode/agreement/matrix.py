"""The ratings after the unit rule: which coder rated which unit, and which codes they applied to it.

This is the only input of the unit-level agreement statistics. The caller (which reads the database)
builds it; any per-unit labels such as the transcript of each unit stay with the caller, in the same
unit order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from qcode.agreement.formulas import MISSING

EmptyUnits = Literal["missing", "category"]
NONE_CATEGORY = "<none>"
"""The category of a rated unit without any code when `empty="category"`."""


@dataclass(frozen=True)
class CodingMatrix:
    """Ratings of n units by m coders over k codes.

    `rated[u, c]`: coder c rated unit u (they completed its transcript); otherwise the unit is missing
    for c, not "not coded". `present[u, c, j]`: code j is in S(c, u); it is forced to False where the
    unit is not rated. `codes` are the codes in the analysis in codebook order and may include codes
    nobody used (Brennan-Prediger's q counts the codes selected, not the codes observed).
    """

    coders: tuple[str, ...]
    codes: tuple[str, ...]
    rated: np.ndarray  # bool (n, m)
    present: np.ndarray  # bool (n, m, k)

    def __post_init__(self) -> None:
        coders, codes = tuple(self.coders), tuple(self.codes)
        rated = np.asarray(self.rated, dtype=bool)
        present = np.asarray(self.present, dtype=bool)
        if len(set(coders)) != len(coders):
            raise ValueError(f"coder names must be unique: {coders}")
        if len(set(codes)) != len(codes):
            raise ValueError(f"code ids must be unique: {codes}")
        if rated.ndim != 2 or rated.shape[1] != len(coders):
            raise ValueError(
                f"rated must have shape (units, {len(coders)}), got {rated.shape}"
            )
        expected = (rated.shape[0], len(coders), len(codes))
        if present.shape != expected:
            raise ValueError(f"present must have shape {expected}, got {present.shape}")
        object.__setattr__(self, "coders", coders)
        object.__setattr__(self, "codes", codes)
        object.__setattr__(self, "rated", rated)
        object.__setattr__(self, "present", present & rated[:, :, None])

    @classmethod
    def from_marks(
        cls,
        *,
        coders: Sequence[str],
        codes: Sequence[str],
        rated: np.ndarray,
        unit_index: np.ndarray,
        coder_index: np.ndarray,
        code_index: np.ndarray,
    ) -> CodingMatrix:
        """Build from (unit, coder, code) triples, e.g. the output of the unit rule; repeats are harmless."""
        rated = np.asarray(rated, dtype=bool)
        present = np.zeros((rated.shape[0], len(coders), len(codes)), dtype=bool)
        present[
            np.asarray(unit_index), np.asarray(coder_index), np.asarray(code_index)
        ] = True
        return cls(tuple(coders), tuple(codes), rated, present)

    @property
    def n_units(self) -> int:
        return int(self.rated.shape[0])

    def codes_per_rating(self) -> np.ndarray:
        """(n, m) number of codes each coder applied to each unit (0 where not rated)."""
        per_rating: np.ndarray = self.present.sum(axis=2)
        return per_rating

    def binary_ratings(self, code: int) -> np.ndarray:
        """x(c, u) for one code: 1 present, 0 absent, -1 where the coder did not rate the unit."""
        return np.where(self.rated, self.present[:, :, code].astype(np.int64), MISSING)


@dataclass(frozen=True, slots=True)
class SingleLabelRatings:
    """The matrix read as one category per rating, or the number of units that prevent it."""

    values: (
        np.ndarray | None
    )  # (n, m) int, -1 missing; None when some unit is multi-label
    q: int  # categories in the analysis: the codes, plus `<none>` when it is a category
    categories: tuple[str, ...]
    n_multi_label_units: int


def single_label_ratings(matrix: CodingMatrix, empty: EmptyUnits) -> SingleLabelRatings:
    """One category per (unit, coder) for the overall statistics (agreement.md, point 4).

    A rated unit without codes is missing (`empty="missing"`) or the category `<none>`
    (`empty="category"`, adding 1 to q). If any coder gave some unit several codes, single-label
    statistics do not apply and `values` is None.
    """
    if empty not in ("missing", "category"):
        raise ValueError(f"empty must be 'missing' or 'category', got {empty!r}")
    per_rating = matrix.codes_per_rating()
    categories = matrix.codes + ((NONE_CATEGORY,) if empty == "category" else ())
    n_multi = int((per_rating >= 2).any(axis=1).sum())
    if n_multi:
        return SingleLabelRatings(None, len(categories), categories, n_multi)
    if matrix.codes:
        values = np.where(per_rating == 1, matrix.present.argmax(axis=2), MISSING)
    else:
        values = np.full(per_rating.shape, MISSING)
    if empty == "category":
        values = np.where(matrix.rated & (per_rating == 0), len(matrix.codes), values)
    return SingleLabelRatings(values.astype(np.int64), len(categories), categories, 0)
