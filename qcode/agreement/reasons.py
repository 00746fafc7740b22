"""Why a statistic has no value: the short sentences a report shows instead of NaN or a silent 1.0."""

from __future__ import annotations

NO_PAIRABLE_UNITS = "fewer than 2 coders rated any unit, so there is nothing to compare"
NO_COMMON_UNITS = "the two coders rated no unit in common"
KAPPA_ONE_CATEGORY = "both coders used only one category, the same one, so expected agreement is 1 and kappa is 0/0"
PI_ONE_CATEGORY = "both coders used only one category, the same one, so expected agreement is 1 and pi is 0/0"
FLEISS_ONE_CATEGORY = (
    "every rating falls in one category, so expected agreement is 1 and kappa is 0/0"
)
ALPHA_ONE_CATEGORY = "every pairable value falls in one category, so expected disagreement is 0 and alpha is 0/0"
ALPHA_ONE_LABEL_SET = "every pairable label set is the same, so expected disagreement is 0 and alpha is 0/0"
ONE_CATEGORY_IN_ANALYSIS = "the analysis has only one category, so chance agreement is 1 and the statistic is 0/0"
SCOTT_NEEDS_TWO_CODERS = (
    "Scott's pi compares exactly 2 coders; with more, see fleiss_kappa (its generalisation) "
    "and pairwise"
)
NOT_AT_CHARACTER_LEVEL = (
    "not computed at character level; choose turn or sentence units for it"
)
CHARACTER_LEVEL_PAIRS_ONLY = "with 3 or more coders, character-level agreement is reported per pair; see pairwise"


def multi_label(n_units: int) -> str:
    """Why the single-label overall statistics are missing when coders gave several codes to a unit."""
    units = "1 unit carries" if n_units == 1 else f"{n_units} units carry"
    return (
        f"{units} several codes from one coder, so single-label statistics do not apply; "
        "see per_code and label_sets"
    )


def light_pair_undefined(pairs: list[str]) -> str:
    """Why Light's kappa is missing: it averages every pair, and some pair's kappa is undefined."""
    listed = ", ".join(pairs)
    return f"Light's kappa is the mean over all coder pairs, and kappa is undefined for {listed}"
