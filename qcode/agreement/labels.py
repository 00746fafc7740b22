"""The one table of the statistics a report shows: key, short and long label, and how a figure is written.

Every renderer (terminal and Markdown tables, CSV, Word, Excel, charts, the agreement screen) takes its
labels from here, in the current language (`short_label`, `long_label`); `figure` writes a value the
way all of them show it: three decimals, its 95% interval in brackets, "—" when undefined.
"""

from __future__ import annotations

from dataclasses import dataclass

from qcode.agreement.result import Result
from qcode.i18n import N_, _

UNDEFINED = "—"


@dataclass(frozen=True, slots=True)
class Statistic:
    """A reported statistic: its JSON key, a short label (table columns), a long one (rows, legends)."""

    key: str
    short: str
    long: str
    symbol: str = ""  # in a chart's legend, where Greek letters read better; the long label if empty


_TABLE = (
    Statistic("percent_agreement", N_("% agree"), N_("percent agreement")),
    Statistic("cohen_kappa", "kappa", "Cohen's kappa", "Cohen's κ"),
    Statistic("scott_pi", "pi", "Scott's pi"),
    Statistic("fleiss_kappa", "Fleiss", "Fleiss' kappa"),
    Statistic("krippendorff_alpha_nominal", "alpha", N_("Krippendorff's alpha (nominal)"), "Krippendorff's α"),
    Statistic("brennan_prediger", "BP", "Brennan-Prediger"),
    Statistic("gwet_ac1", "AC1", "Gwet's AC1"),
    Statistic("krippendorff_alpha_masi", N_("alpha (MASI)"), N_("Krippendorff's alpha (MASI distance, label sets)")),
    # The unitizing alpha family (`--unit span`).
    Statistic("u_alpha", "uα", N_("uα (where and which code, uncoded text included)")),
    Statistic("binary_u_alpha", "|uα", N_("|uα (which text is relevant: α-binary)")),
    Statistic("cu_alpha", "cuα", N_("cuα (which code, where passages overlap)")),
    Statistic("k_u_alpha", "(k)uα", N_("(k)uα (the code within cuα)")),
    # Per code, binary_u_alpha is the code against everything else, not the relevance of text.
    Statistic("code_binary_u_alpha", N_("binary uα"), N_("binary uα (the code against everything else)")),
)
STATISTIC = {statistic.key: statistic for statistic in _TABLE}

SPAN_OVERALL = ("u_alpha", "binary_u_alpha", "cu_alpha")
"""The span unit's overall (and pairwise) figures, in report order."""
SPAN_PER_CODE = ("k_u_alpha", "binary_u_alpha")
"""The span unit's per-code figures, in report order (JSON keys)."""


def label_key(key: str, *, span_code: bool = False) -> str:
    """The table key of a JSON key: per code, the span unit's binary uα is a statistic of its own."""
    return "code_binary_u_alpha" if span_code and key == "binary_u_alpha" else key


def short_label(key: str, *, span_code: bool = False) -> str:
    return _(STATISTIC[label_key(key, span_code=span_code)].short)


def long_label(key: str, *, span_code: bool = False) -> str:
    return _(STATISTIC[label_key(key, span_code=span_code)].long)


def symbol_label(key: str) -> str:
    statistic = STATISTIC[key]
    return statistic.symbol or _(statistic.long)


def decimals(value: float) -> str:
    return f"{value:.3f}"


def interval(result: Result) -> str:
    """"[0.700, 0.900]", or "" without an interval."""
    if result.ci95 is None:
        return ""
    low, high = result.ci95
    return f"[{decimals(low)}, {decimals(high)}]"


def figure(result: Result, *, with_ci: bool = True) -> str:
    """"0.812 [0.700, 0.900]" (the interval only where computed and wanted), "—" when undefined."""
    if result.value is None:
        return UNDEFINED
    text = decimals(result.value)
    if with_ci and result.ci95 is not None:
        text += f" {interval(result)}"
    return text


def share(value: float | None) -> str:
    """A share as a percentage with one decimal, "—" when there is none."""
    return UNDEFINED if value is None else f"{value:.1%}"
