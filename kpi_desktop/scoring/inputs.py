"""Inputs of a period score: task lines and a leader's d/đ/e factors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from kpi_desktop.domain.scores import Level
from kpi_desktop.scoring._numbers import Number, non_negative, to_count, to_fraction
from kpi_desktop.scoring.errors import ScoringInputError
from kpi_desktop.scoring.levels import level_for
from kpi_desktop.scoring.policy import ScoringPolicy

__all__ = ["LeaderFactors", "TaskLine", "head_d_factor"]


@dataclass(frozen=True, init=False)
class TaskLine:
    """``quantity`` products of one catalog item that share the same outcome.

    Each of the products had ``failed_reviews`` failed quality reviews and ``delays`` missed
    deadlines (so "3 done, one of them failed once" is two lines). Objective causes confirmed
    by the competent level exempt deductions (Điều 14.2b and 14.2c, separately):
    ``quality_cause`` waives the failed-review deductions, ``timeliness_cause`` the delay
    deductions; ``objective_cause`` waives both (the one flag of the public API before the
    two were told apart). ``extra`` marks ad hoc or taken-over work: outside the assigned
    total, and it must be completed. A task reassigned away stays with the first person as
    ``completed=False``. Numbers are stored as exact Fractions (1.6 → 8/5); negative values,
    non-whole counts and extra work not completed raise
    :class:`~kpi_desktop.scoring.errors.ScoringInputError`.
    """

    coefficient: Fraction
    quantity: Fraction
    completed: bool
    failed_reviews: int = 0
    delays: int = 0
    extra: bool = False
    objective_cause: bool = False
    quality_cause: bool = False
    timeliness_cause: bool = False

    def __init__(
        self,
        coefficient: Number | str,
        quantity: Number | str,
        completed: bool,
        failed_reviews: int = 0,
        delays: int = 0,
        extra: bool = False,
        objective_cause: bool = False,
        *,
        quality_cause: bool = False,
        timeliness_cause: bool = False,
    ) -> None:
        for name, flag in (
            ("completed", completed),
            ("extra", extra),
            ("objective_cause", objective_cause),
            ("quality_cause", quality_cause),
            ("timeliness_cause", timeliness_cause),
        ):
            if not isinstance(flag, bool):
                raise ScoringInputError("not_a_boolean", field=name, value=flag)
        if extra and not completed:
            raise ScoringInputError(
                "extra_not_completed", coefficient=coefficient, quantity=quantity
            )
        object.__setattr__(self, "coefficient", non_negative(coefficient, "coefficient"))
        object.__setattr__(self, "quantity", non_negative(quantity, "quantity"))
        object.__setattr__(self, "completed", completed)
        object.__setattr__(self, "failed_reviews", to_count(failed_reviews, "failed_reviews"))
        object.__setattr__(self, "delays", to_count(delays, "delays"))
        object.__setattr__(self, "extra", extra)
        object.__setattr__(self, "objective_cause", objective_cause)
        object.__setattr__(self, "quality_cause", quality_cause)
        object.__setattr__(self, "timeliness_cause", timeliness_cause)

    @property
    def quality_exempt(self) -> bool:
        """Failed quality reviews are waived (a quality cause, or the old single cause)."""
        return self.objective_cause or self.quality_cause

    @property
    def timeliness_exempt(self) -> bool:
        """Delays are waived (a timeliness cause, or the old single cause)."""
        return self.objective_cause or self.timeliness_cause

    @property
    def units(self) -> Fraction:
        """Converted units of the line: coefficient × quantity."""
        return self.coefficient * self.quantity


_FACTOR_VALUES = (Fraction(100), Fraction(50))


def _factor(value: Number | str, name: str) -> int:
    try:
        number = to_fraction(value, name)
    except ScoringInputError:
        raise ScoringInputError("leader_factor_invalid", factor=name, value=value) from None
    if number not in _FACTOR_VALUES:
        raise ScoringInputError("leader_factor_invalid", factor=name, value=value)
    return int(number)


@dataclass(frozen=True, init=False)
class LeaderFactors:
    """A leader's extra criteria of Điều 15.3, in percent, each exactly 100 or 50.

    ``d``: results of the unit (50 if anyone managed is under 50 points, see
    :func:`head_d_factor`); ``dd`` (đ): organising the work; ``e``: uniting the staff.
    """

    d: int = 100
    dd: int = 100
    e: int = 100

    def __init__(
        self, d: Number | str = 100, dd: Number | str = 100, e: Number | str = 100
    ) -> None:
        object.__setattr__(self, "d", _factor(d, "d"))
        object.__setattr__(self, "dd", _factor(dd, "dd"))
        object.__setattr__(self, "e", _factor(e, "e"))


def head_d_factor(
    subordinate_totals: Iterable[Number | None], policy: ScoringPolicy | None = None
) -> int:
    """Factor d of a head: 50 if anyone they manage is below "Hoàn thành" (50), else 100.

    ``None`` totals (insufficient data) are skipped; nobody managed gives 100. With a policy,
    its ``threshold_complete`` and ``round_before_compare`` are used.
    """
    policy = policy or ScoringPolicy.default()
    for total in subordinate_totals:
        if total is None:
            continue
        value = to_fraction(total, "subordinate_totals")
        if level_for(policy, value) is Level.NOT_COMPLETE:
            return 50
    return 100
