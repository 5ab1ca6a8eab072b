"""Work-log credit of the Khánh Hòa model (ASSUMPTION template of domain.md §2).

The province's own coefficients and bonus rules are not public; these defaults match its
qualitative description and are all policy data::

    credited = time norm × complexity factor × quantity × quality × timeliness
    timeliness = max(0, 1 + min(early cap, early bonus × working days early)
                         − late deduction × missed deadlines)

``days_late`` counts **missed deadlines** (occurrences, as "lần chậm" in Điều 14c), not calendar
days of lateness: one missed deadline costs 25 % by default. ``days_early`` counts working days
finished before the deadline (+5 % each, at most +20 %). Quality is the leader's verdict as a
share: 1 (Đạt), 0.75 (Đạt, phải chỉnh sửa = one 25 % deduction), 0 (Không đạt).

A day's *norm time* (Σ time norm × quantity, before any factor) above the daily norm (480 min)
is flagged for the leader's review; it is never rewarded automatically.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from kpi_desktop.domain.scores import DayLoad
from kpi_desktop.scoring._numbers import Number, non_negative, to_count, to_fraction
from kpi_desktop.scoring.errors import ScoringInputError
from kpi_desktop.scoring.policy import ScoringPolicy

__all__ = [
    "LogItem",
    "bridge_coefficient",
    "catalog_coefficient",
    "credit_minutes",
    "day_load",
    "timeliness_factor",
]

_ZERO = Fraction(0)


def _positive(value: object, field: str) -> Fraction:
    number = to_fraction(value, field)
    if number <= 0:
        raise ScoringInputError("not_positive", field=field, value=value)
    return number


def _share(value: object, field: str) -> Fraction:
    number = to_fraction(value, field)
    if not 0 <= number <= 1:
        raise ScoringInputError(
            "value_out_of_range", field=field, value=value, minimum=0, maximum=1
        )
    return number


def timeliness_factor(policy: ScoringPolicy, days_early: int, days_late: int) -> Fraction:
    """1 + capped early bonus − late deduction per missed deadline, never below 0."""
    early = to_count(days_early, "days_early")
    late = to_count(days_late, "days_late")
    bonus = min(policy.early_bonus_cap, policy.early_bonus_per_day * early)
    return max(_ZERO, 1 + bonus - policy.late_deduction_per_delay * late)


def credit_minutes(
    policy: ScoringPolicy,
    time_norm_minutes: Number | str,
    complexity_factor: Number | str,
    quantity: Number | str,
    quality: Number | str,
    days_early: int,
    days_late: int,
) -> Fraction:
    """Credited minutes of one logged item: norm × factor × quantity × quality × timeliness.

    ``complexity_factor`` is the factor itself (``policy.complexity_factor(level)`` gives it from
    a level 1..5); ``quality`` is a share in [0, 1]; ``days_early`` are working days early and
    ``days_late`` the number of missed deadlines (see the module docstring). The result is exact
    and never below 0. Negative or malformed values raise
    :class:`~kpi_desktop.scoring.errors.ScoringInputError`.
    """
    norm = non_negative(time_norm_minutes, "time_norm_minutes")
    factor = _positive(complexity_factor, "complexity_factor")
    qty = non_negative(quantity, "quantity")
    share = _share(quality, "quality")
    return norm * factor * qty * share * timeliness_factor(policy, days_early, days_late)


@dataclass(frozen=True, init=False)
class LogItem:
    """One work-log line of a day, for :func:`day_load` (values validated and made exact)."""

    time_norm_minutes: Fraction
    quantity: Fraction
    complexity_factor: Fraction
    quality: Fraction
    days_early: int
    days_late: int

    def __init__(
        self,
        time_norm_minutes: Number | str,
        quantity: Number | str,
        complexity_factor: Number | str = 1,
        quality: Number | str = 1,
        days_early: int = 0,
        days_late: int = 0,
    ) -> None:
        object.__setattr__(
            self, "time_norm_minutes", non_negative(time_norm_minutes, "time_norm_minutes")
        )
        object.__setattr__(self, "quantity", non_negative(quantity, "quantity"))
        object.__setattr__(
            self, "complexity_factor", _positive(complexity_factor, "complexity_factor")
        )
        object.__setattr__(self, "quality", _share(quality, "quality"))
        object.__setattr__(self, "days_early", to_count(days_early, "days_early"))
        object.__setattr__(self, "days_late", to_count(days_late, "days_late"))

    @property
    def norm_minutes(self) -> Fraction:
        """Time norm × quantity, before any factor (what the 8-hour flag looks at)."""
        return self.time_norm_minutes * self.quantity

    def credited(self, policy: ScoringPolicy) -> Fraction:
        """Credited minutes of this item under ``policy`` (see :func:`credit_minutes`)."""
        return credit_minutes(
            policy,
            self.time_norm_minutes,
            self.complexity_factor,
            self.quantity,
            self.quality,
            self.days_early,
            self.days_late,
        )


def day_load(policy: ScoringPolicy, items: Iterable[LogItem]) -> DayLoad:
    """One person's day: norm minutes, credited minutes and the over-the-norm flag.

    ``over_norm`` is True when the norm minutes exceed ``policy.daily_norm_minutes`` (a day at
    exactly 480 minutes is not flagged). The flag is for the leader's review only.
    """
    items = list(items)
    for index, item in enumerate(items):
        if not isinstance(item, LogItem):
            raise TypeError(f"item {index} is not a LogItem")
    norm = sum((item.norm_minutes for item in items), _ZERO)
    credited = sum((item.credited(policy) for item in items), _ZERO)
    limit = policy.daily_norm_minutes
    return DayLoad(
        policy_version=policy.version,
        items=len(items),
        norm_minutes=norm,
        credited_minutes=credited,
        daily_norm_minutes=limit,
        over_norm=norm > limit,
        excess_minutes=max(_ZERO, norm - limit),
    )


def catalog_coefficient(policy: ScoringPolicy, points: Number | str) -> Fraction:
    """Conversion coefficient of a catalog item: its points ÷ the standard unit's (8 → 1.6)."""
    return non_negative(points, "points") / policy.standard_unit_points


def bridge_coefficient(
    time_norm_minutes: Number | str,
    complexity_factor: Number | str,
    standard_time_norm_minutes: Number | str,
    standard_complexity_factor: Number | str = 1,
) -> Fraction:
    """Bridge from the work log to Decree 335 units (ASSUMPTION, domain.md §2):
    (time norm × factor) ÷ (standard product's time norm × factor); 240 min × 1.5 / 60 → 6."""
    item = non_negative(time_norm_minutes, "time_norm_minutes") * _positive(
        complexity_factor, "complexity_factor"
    )
    standard = _positive(standard_time_norm_minutes, "standard_time_norm_minutes") * _positive(
        standard_complexity_factor, "standard_complexity_factor"
    )
    return item / standard
