"""The period score of Decree 335 (Điều 14–17): a, b, c (and d, đ, e), task points, total.

For each line (``coef`` = conversion coefficient, ``qty`` = quantity, ``r`` = failed reviews,
``n`` = delays, deduction rates 25 % by default)::

    assigned  = Σ coef × qty                       over non-extra lines (completed or not)
    completed = Σ coef × qty                       over completed lines (extra ones included)
    quality   = Σ coef × qty × max(0, 1 − 0.25 r)  over completed lines
    on_time   = Σ coef × qty × max(0, 1 − 0.25 n)  over completed lines
    a, b, c   = completed, quality, on_time ÷ assigned × 100 %

A confirmed objective cause waives a line's deductions: ``quality_cause`` the failed reviews
(Điều 14.2b), ``timeliness_cause`` the delays (Điều 14.2c), ``objective_cause`` both.
Professional staff: ratio = (a + b + c) / 3;
leaders: (a + b + c + d + đ + e) / 6. Task points = min(task max, ratio × task max); total =
general points + task points; the level compares the exact total with the cut-offs (or the
total rounded to 2 decimals when the policy says so). All arithmetic is exact (Fractions).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from kpi_desktop.domain.scores import LineContribution, PeriodScore, fraction_to_str
from kpi_desktop.scoring._numbers import Number, to_fraction
from kpi_desktop.scoring.errors import ScoringInputError
from kpi_desktop.scoring.inputs import LeaderFactors, TaskLine
from kpi_desktop.scoring.levels import level_for
from kpi_desktop.scoring.policy import ScoringPolicy

__all__ = ["check_general_points", "line_contribution", "score_period"]

_ZERO = Fraction(0)
_ONE = Fraction(1)
_HUNDRED = Fraction(100)


def _plain(value: Fraction) -> int | str:
    """A Fraction as error data: an int when whole, else exact text."""
    return int(value) if value.denominator == 1 else fraction_to_str(value)


def check_general_points(policy: ScoringPolicy, general_points: Number | str) -> Fraction:
    """``general_points`` as a Fraction, refused unless 0 ≤ points ≤ the policy's general max."""
    try:
        general = to_fraction(general_points, "general_points")
    except ScoringInputError:
        raise ScoringInputError(
            "general_points_out_of_range",
            value=general_points,
            minimum=0,
            maximum=_plain(policy.general_max),
        ) from None
    if not _ZERO <= general <= policy.general_max:
        raise ScoringInputError(
            "general_points_out_of_range",
            value=general_points,
            minimum=0,
            maximum=_plain(policy.general_max),
        )
    return general


def line_contribution(policy: ScoringPolicy, line: TaskLine, index: int = 0) -> LineContribution:
    """What ``line`` adds to the assigned total and to the numerators of a, b and c."""
    units = line.units
    done = units if line.completed else _ZERO
    quality_raw = max(_ZERO, _ONE - policy.failed_review_deduction * line.failed_reviews)
    on_time_raw = max(_ZERO, _ONE - policy.delay_deduction * line.delays)
    quality_factor = _ONE if line.quality_exempt else quality_raw
    on_time_factor = _ONE if line.timeliness_exempt else on_time_raw
    quality_waived = line.quality_exempt and done > 0 and quality_raw < 1
    timeliness_waived = line.timeliness_exempt and done > 0 and on_time_raw < 1
    quality_units = done * quality_factor
    on_time_units = done * on_time_factor
    return LineContribution(
        index=index,
        coefficient=line.coefficient,
        quantity=line.quantity,
        completed=line.completed,
        extra=line.extra,
        objective_cause=line.objective_cause,
        quality_cause=line.quality_exempt,
        timeliness_cause=line.timeliness_exempt,
        failed_reviews=line.failed_reviews,
        delays=line.delays,
        assigned=_ZERO if line.extra else units,
        completed_units=done,
        quality_factor=quality_factor,
        on_time_factor=on_time_factor,
        quality_units=quality_units,
        on_time_units=on_time_units,
        quality_deduction=done - quality_units,
        delay_deduction=done - on_time_units,
        exempted=quality_waived or timeliness_waived,
        quality_exempted=quality_waived,
        timeliness_exempted=timeliness_waived,
    )


def score_period(
    policy: ScoringPolicy,
    lines: Sequence[TaskLine],
    general_points: Number | str,
    leader: LeaderFactors | None = None,
) -> PeriodScore:
    """Score one month or quarter.

    ``general_points`` are the evaluator's confirmed general-criteria points (0..30, else
    :class:`~kpi_desktop.scoring.errors.ScoringInputError` ``general_points_out_of_range``);
    ``leader`` switches to the leader formula with its d/đ/e. When the assigned total is 0 the
    result is ``insufficient`` (never 100 %): a, b, c, task ratio, task points, total and level
    are None. Line order does not matter.
    """
    if not isinstance(policy, ScoringPolicy):
        raise TypeError("policy must be a ScoringPolicy")
    if leader is not None and not isinstance(leader, LeaderFactors):
        raise TypeError("leader must be LeaderFactors or None")
    general = check_general_points(policy, general_points)
    why: list[LineContribution] = []
    for index, line in enumerate(lines):
        if not isinstance(line, TaskLine):
            raise TypeError(f"line {index} is not a TaskLine")
        why.append(line_contribution(policy, line, index))

    assigned = sum((w.assigned for w in why), _ZERO)
    completed = sum((w.completed_units for w in why), _ZERO)
    quality = sum((w.quality_units for w in why), _ZERO)
    on_time = sum((w.on_time_units for w in why), _ZERO)
    d = dd = e = None
    if leader is not None:
        d, dd, e = Fraction(leader.d), Fraction(leader.dd), Fraction(leader.e)

    if assigned == 0:
        return PeriodScore(
            policy_version=policy.version,
            insufficient=True,
            general_points=general,
            a=None,
            b=None,
            c=None,
            d=d,
            dd=dd,
            e=e,
            task_ratio=None,
            task_points=None,
            total=None,
            level=None,
            assigned=assigned,
            completed=completed,
            quality=quality,
            on_time=on_time,
            components_capped=False,
            task_points_capped=False,
            rounded_before_compare=policy.round_before_compare,
            why=tuple(why),
        )

    a = completed / assigned * _HUNDRED
    b = quality / assigned * _HUNDRED
    c = on_time / assigned * _HUNDRED
    components = [a, b, c]
    components_capped = False
    if policy.cap_components_at_100:
        components_capped = any(x > _HUNDRED for x in components)
        components = [min(x, _HUNDRED) for x in components]
        a, b, c = components
    if d is not None and dd is not None and e is not None:
        components += [d, dd, e]
    task_ratio = sum(components, _ZERO) / len(components)
    raw_points = task_ratio / _HUNDRED * policy.task_max
    task_points = min(raw_points, policy.task_max)
    total = general + task_points
    return PeriodScore(
        policy_version=policy.version,
        insufficient=False,
        general_points=general,
        a=a,
        b=b,
        c=c,
        d=d,
        dd=dd,
        e=e,
        task_ratio=task_ratio,
        task_points=task_points,
        total=total,
        level=level_for(policy, total),
        assigned=assigned,
        completed=completed,
        quality=quality,
        on_time=on_time,
        components_capped=components_capped,
        task_points_capped=raw_points > policy.task_max,
        rounded_before_compare=policy.round_before_compare,
        why=tuple(why),
    )
