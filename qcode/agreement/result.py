"""One reported agreement figure: a value, or the reason there is none, and an optional interval.

Researchers copy these numbers into papers, so a `Result` refuses to carry NaN or infinity: a statistic
that is 0/0 has `value=None` and a short human sentence in `undefined_reason` instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class Result:
    """A statistic's value (or why it is undefined) and its bootstrap 95% interval, if one was computed."""

    value: float | None
    undefined_reason: str | None = None
    ci95: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if self.value is None:
            if not self.undefined_reason:
                raise ValueError("an undefined result needs a reason")
            if self.ci95 is not None:
                raise ValueError(
                    "an undefined result cannot have a confidence interval"
                )
        else:
            if not math.isfinite(self.value):
                raise ValueError(f"a result value must be finite, got {self.value!r}")
            if self.undefined_reason is not None:
                raise ValueError("a defined result cannot carry an undefined reason")
        if self.ci95 is not None:
            low, high = self.ci95
            if not (math.isfinite(low) and math.isfinite(high) and low <= high):
                raise ValueError(f"invalid confidence interval {self.ci95!r}")

    @classmethod
    def undefined(cls, reason: str) -> Result:
        """A statistic that cannot be computed on these data, with the reason in plain words."""
        return cls(None, reason)

    @classmethod
    def of(cls, value: float) -> Result:
        """A defined value (a numpy scalar is converted to a plain float)."""
        return cls(float(value))

    def with_ci(self, ci95: tuple[float, float] | None) -> Result:
        """The same result with a confidence interval attached (None leaves it without one)."""
        if ci95 is None:
            return self
        return replace(self, ci95=(float(ci95[0]), float(ci95[1])))

    def to_json(self) -> dict[str, Any]:
        """Exactly `{"value", "undefined_reason", "ci95"}`; `ci95` is a 2-list or None."""
        return {
            "value": self.value,
            "undefined_reason": self.undefined_reason,
            "ci95": list(self.ci95) if self.ci95 is not None else None,
        }
