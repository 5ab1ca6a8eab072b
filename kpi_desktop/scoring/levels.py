"""Cut-offs: from a total or mean to a level, exactly or after the policy's rounding."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from kpi_desktop.domain.scores import Level, round_half_up
from kpi_desktop.scoring._numbers import Number, to_fraction
from kpi_desktop.scoring.policy import ScoringPolicy

__all__ = ["clear_level", "compared_value", "level_for"]


def compared_value(policy: ScoringPolicy, value: Fraction) -> Fraction:
    """The value compared with the cut-offs: exact, or rounded half-up to 2 decimals when the
    policy says ``round_before_compare``."""
    return round_half_up(value, 2) if policy.round_before_compare else value


def _cuts(policy: ScoringPolicy) -> tuple[tuple[Fraction, Level], ...]:
    """The policy's cut-offs, highest first, with the level each one reaches."""
    return ((policy.threshold_excellent, Level.EXCELLENT), (policy.threshold_good, Level.GOOD),
            (policy.threshold_complete, Level.COMPLETE))


def level_for(policy: ScoringPolicy, value: Number | str) -> Level:
    """The level a total or mean reaches (a value equal to a cut-off reaches it)."""
    compared = compared_value(policy, to_fraction(value, "value"))
    for threshold, level in _cuts(policy):
        if compared >= threshold:
            return level
    return Level.NOT_COMPLETE


# How far a floating-point approximation of a mean may be from the exact value (the roll-up's
# sums of at most a few hundred totals ≤ 100 are off by less than 1e-12).
APPROXIMATION = 1e-9


def clear_level(policy: ScoringPolicy, approx: float) -> Level | None:
    """The level of a value known as the float ``approx`` (within :data:`APPROXIMATION`), when
    no cut-off of the policy is that close to it; ``None`` near a cut-off, where only the exact
    value decides (:func:`level_for`). With ``round_before_compare`` a value half a hundredth
    below a cut-off rounds up to it, so the margin grows by that much."""
    return clear_level_of(policy)(approx)


def clear_level_of(policy: ScoringPolicy) -> Callable[[float], Level | None]:
    """:func:`clear_level` for one policy, its cut-offs read once (a unit's year asks 3,600
    times)."""
    margin, cuts = _float_cuts(policy)

    def clear(approx: float) -> Level | None:
        for cut, level in cuts:
            if approx - margin >= cut:
                return level
            if approx + margin >= cut:
                return None
        return Level.NOT_COMPLETE

    return clear


_FLOAT_CUTS: dict[int, tuple[ScoringPolicy, float, tuple[tuple[float, Level], ...]]] = {}


def _float_cuts(policy: ScoringPolicy) -> tuple[float, tuple[tuple[float, Level], ...]]:
    """The margin and the cut-offs as floats of ``policy`` (kept for the last few policies: a
    unit's roll-up asks once a person)."""
    known = _FLOAT_CUTS.get(id(policy))
    if known is None or known[0] is not policy:
        if len(_FLOAT_CUTS) >= 8:
            _FLOAT_CUTS.clear()
        margin = APPROXIMATION + (0.005 if policy.round_before_compare else 0.0)
        known = _FLOAT_CUTS[id(policy)] = (policy, margin, tuple(
            (float(threshold), level) for threshold, level in _cuts(policy)))
    return known[1], known[2]
