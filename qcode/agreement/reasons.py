"""Why a statistic has no value: the short sentences a report shows instead of NaN or a silent 1.0."""

from __future__ import annotations

from qcode.agreement.messages import Message
from qcode.i18n import N_

NO_PAIRABLE_UNITS = N_("fewer than 2 coders rated any unit, so there is nothing to compare")
NO_COMMON_UNITS = N_("the two coders rated no unit in common")
KAPPA_ONE_CATEGORY = N_("both coders used only one category, the same one, so expected agreement is 1 and kappa is 0/0")
PI_ONE_CATEGORY = N_("both coders used only one category, the same one, so expected agreement is 1 and pi is 0/0")
FLEISS_ONE_CATEGORY = N_(
    "every rating falls in one category, so expected agreement is 1 and kappa is 0/0"
)
ALPHA_ONE_CATEGORY = N_("every pairable value falls in one category, so expected disagreement is 0 and alpha is 0/0")
ALPHA_ONE_LABEL_SET = N_("every pairable label set is the same, so expected disagreement is 0 and alpha is 0/0")
ONE_CATEGORY_IN_ANALYSIS = N_("the analysis has only one category, so chance agreement is 1 and the statistic is 0/0")
SCOTT_NEEDS_TWO_CODERS = N_(
    "Scott's pi compares exactly 2 coders; with more, see fleiss_kappa (its generalisation) "
    "and pairwise"
)
NOT_AT_CHARACTER_LEVEL = N_(
    "not computed at character level; choose turn or sentence units for it"
)
CHARACTER_LEVEL_PAIRS_ONLY = N_("with 3 or more coders, character-level agreement is reported per pair; see pairwise")


def multi_label(n_units: int) -> str:
    """Why the single-label overall statistics are missing when coders gave several codes to a unit."""
    if n_units == 1:
        return Message(N_("1 unit carries several codes from one coder, so single-label statistics do not apply; "
                          "see per_code and label_sets"))
    return Message(N_("{count} units carry several codes from one coder, so single-label statistics do not apply; "
                      "see per_code and label_sets"), count=n_units)


def light_pair_undefined(pairs: list[str]) -> str:
    """Why Light's kappa is missing: it averages every pair, and some pair's kappa is undefined."""
    return Message(N_("Light's kappa is the mean over all coder pairs, and kappa is undefined for {pairs}"),
                   pairs=", ".join(pairs))
