"""Cut-offs: from a total or mean to a level, exactly or after the policy's rounding."""

from __future__ import annotations

from fractions import Fraction

from kpi_desktop.domain.scores import Level, round_half_up
from kpi_desktop.scoring._numbers import Number, to_fraction
from kpi_desktop.scoring.policy import ScoringPolicy

__all__ = ["compared_value", "level_for"]


def compared_value(policy: ScoringPolicy, value: Fraction) -> Fraction:
    """The value compared with the cut-offs: exact, or rounded half-up to 2 decimals when the
    policy says ``round_before_compare``."""
    return round_half_up(value, 2) if policy.round_before_compare else value


def level_for(policy: ScoringPolicy, value: Number | str) -> Level:
    """The level a total or mean reaches (a value equal to a cut-off reaches it)."""
    compared = compared_value(policy, to_fraction(value, "value"))
    if compared >= policy.threshold_excellent:
        return Level.EXCELLENT
    if compared >= policy.threshold_good:
        return Level.GOOD
    if compared >= policy.threshold_complete:
        return Level.COMPLETE
    return Level.NOT_COMPLETE
