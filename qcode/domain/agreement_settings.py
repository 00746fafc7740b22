"""The settings every agreement figure depends on beyond the selection, with their one default.

The CLI (`qcode agree --bootstrap/--seed`) and the TUI's agreement screen both start from
`DEFAULT_BOOTSTRAP`, so the same data give the same confidence intervals wherever they are computed.
"""

from __future__ import annotations

from dataclasses import dataclass

from qcode.i18n import _


@dataclass(frozen=True, slots=True)
class BootstrapSettings:
    """How the 95% intervals are computed: number of resamples (0: none) and the seed that fixes them."""

    resamples: int = 1000
    seed: int = 1

    def describe(self) -> str:
        """One line for a screen or a report footer."""
        if self.resamples <= 0:
            return _("no confidence intervals (bootstrap off)")
        return _("95% CIs: percentile bootstrap over units, {resamples} resamples, seed {seed}").format(
            resamples=f"{self.resamples:,}", seed=self.seed)


DEFAULT_BOOTSTRAP = BootstrapSettings()
