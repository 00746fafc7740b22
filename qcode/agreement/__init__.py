"""Inter-coder agreement: pure statistics over rating data (no SQL, no textual).

The caller turns codings into a `CodingMatrix` (after the unit rule of `qcode.domain.unit_rule`) and
asks for `agreement_report`; character-level agreement works from coding intervals directly
(`character_agreement_report`). Definitions follow `agreement.md` exactly; undefined statistics carry
a reason instead of NaN.
"""

from qcode.agreement.characters import CharCounts, char_counts, char_counts_batch
from qcode.agreement.masi import krippendorff_alpha_masi, masi_distance
from qcode.agreement.matrix import NONE_CATEGORY, CodingMatrix, single_label_ratings
from qcode.agreement.nominal import (
    STATISTICS,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha_nominal,
    light_kappa,
    pairwise,
    percent_agreement,
    scott_pi,
)
from qcode.agreement.per_code import per_code_statistics
from qcode.agreement.report import agreement_report, character_agreement_report
from qcode.agreement.result import Result

__all__ = [
    "NONE_CATEGORY",
    "STATISTICS",
    "CharCounts",
    "CodingMatrix",
    "Result",
    "agreement_report",
    "brennan_prediger",
    "char_counts",
    "char_counts_batch",
    "character_agreement_report",
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha_masi",
    "krippendorff_alpha_nominal",
    "light_kappa",
    "masi_distance",
    "pairwise",
    "per_code_statistics",
    "percent_agreement",
    "scott_pi",
    "single_label_ratings",
]
