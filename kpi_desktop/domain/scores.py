"""Results of the scoring engine, as the UI, storage and reports see them (stdlib only).

Every number is kept exact as a :class:`fractions.Fraction`, so comparing with plain numbers
works (``score.total == 90``) and a value that is mathematically on a cut-off stays on it.
For display and JSON every result offers :meth:`rounded` (a float rounded half-up to two
decimals) and :meth:`as_dict` (JSON-native values: rounded floats, or exact strings on request).

Percentages (``a``, ``b``, ``c``, ``d``, ``dd``, ``e``, ``task_ratio``) are in percent: 84.48,
not 0.8448.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from enum import Enum, StrEnum
from fractions import Fraction
from typing import Any

__all__ = [
    "DayLoad",
    "Level",
    "LineContribution",
    "PeriodScore",
    "QuotaResult",
    "YearReason",
    "YearResult",
    "fraction_to_str",
    "round_half_up",
]


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------


def round_half_up(value: Fraction | int, places: int = 2) -> Fraction:
    """``value`` rounded to ``places`` decimals, halves away from zero (83.025 → 83.03).

    This is the rounding people do by hand and the one used for display and for the policy
    switch "round to 2 decimals before comparing"; Python's ``round`` rounds halves to even.
    """
    scale = 10**places
    scaled = Fraction(value) * scale
    magnitude = math.floor(abs(scaled) + Fraction(1, 2))
    return Fraction(-magnitude if scaled < 0 else magnitude, scale)


def fraction_to_str(value: Fraction | int) -> str:
    """Exact text for ``value``: a plain decimal when it has one ("0.25", "30"), else "p/q".

    The result is deterministic and parses back with ``Fraction(text)``.
    """
    value = Fraction(value)
    rest, twos, fives = value.denominator, 0, 0
    while rest % 2 == 0:
        rest //= 2
        twos += 1
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    if rest != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    digits = str(abs(value.numerator * 10**places // value.denominator)).rjust(places + 1, "0")
    sign = "-" if value < 0 else ""
    if places == 0:
        return sign + digits
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def _export(value: Any, exact: bool) -> Any:
    """One attribute of a result as a JSON-native value."""
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, Fraction):
        return fraction_to_str(value) if exact else float(round_half_up(value))
    if isinstance(value, tuple | list):
        return [_export(item, exact) for item in value]
    if isinstance(value, _Result):
        return value.as_dict(exact=exact)
    raise TypeError(f"cannot export {type(value).__name__}")


class _Result:
    """Display helpers shared by the result dataclasses."""

    def rounded(self, attr: str) -> float | None:
        """Attribute ``attr`` rounded half-up to 2 decimals, as a float (None stays None)."""
        value = getattr(self, attr)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, Fraction | int):
            raise TypeError(f"{attr} is not a number")
        return float(round_half_up(value))

    def as_dict(self, *, exact: bool = False) -> dict[str, Any]:
        """All attributes as JSON-native values.

        Numbers become floats rounded to 2 decimals, or, with ``exact=True``, exact strings
        (see :func:`fraction_to_str`); enums become their value strings.
        """
        return {f.name: _export(getattr(self, f.name), exact) for f in fields(self)}  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Levels and reasons
# --------------------------------------------------------------------------------------------


class Level(StrEnum):
    """Classification levels of Điều 20 (for a month or quarter the band is indicative)."""

    EXCELLENT = "excellent"  # Hoàn thành xuất sắc nhiệm vụ
    GOOD = "good"  # Hoàn thành tốt nhiệm vụ
    COMPLETE = "complete"  # Hoàn thành nhiệm vụ
    NOT_COMPLETE = "not_complete"  # Không hoàn thành nhiệm vụ

    @property
    def rank(self) -> int:
        """3 for EXCELLENT down to 0 for NOT_COMPLETE, so levels can be compared."""
        return _RANKS[self]

    def at_most(self, other: Level) -> Level:
        """The lower of this level and ``other`` (a head's level capped by the organisation)."""
        return other if other.rank < self.rank else self


_RANKS = {Level.EXCELLENT: 3, Level.GOOD: 2, Level.COMPLETE: 1, Level.NOT_COMPLETE: 0}


class YearReason(StrEnum):
    """Why a year (or other classification period) got its result."""

    CLASSIFIED = "classified"  # level from the mean of the totals
    CLASSIFIED_ON_LEAVE = "classified_on_leave"  # fewer months than needed, Điều 11.2 exception
    TOO_FEW_MONTHS = "too_few_months"  # fewer months than needed: not classified (Điều 11.1)
    NO_MONTHS = "no_months"  # nothing to average: not classified
    DISCIPLINED = "disciplined"  # Điều 20.4 override: NOT_COMPLETE whatever the score
    CAPPED_BY_ORG = "capped_by_org"  # a head cannot be above the organisation (Điều 20.6)


# --------------------------------------------------------------------------------------------
# Period score
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineContribution(_Result):
    """What one task line contributed to a, b and c, in converted units (the "why").

    ``assigned`` is coefficient × quantity for a non-extra line (0 for extra work);
    ``completed_units`` the same when the line was completed (else 0); ``quality_units`` and
    ``on_time_units`` are ``completed_units`` × the factor left after deductions;
    ``quality_deduction`` / ``delay_deduction`` are the units removed by failed reviews / delays
    (0 when waived). ``quality_cause`` / ``timeliness_cause``: an objective cause was confirmed
    for the quality failures (Điều 14.2b) / the delays (Điều 14.2c) (``objective_cause``: the
    old single flag, both); ``quality_exempted`` / ``timeliness_exempted``: it waived
    deductions that would have applied; ``exempted``: either did.
    """

    index: int
    coefficient: Fraction
    quantity: Fraction
    completed: bool
    extra: bool
    objective_cause: bool
    quality_cause: bool
    timeliness_cause: bool
    failed_reviews: int
    delays: int
    assigned: Fraction
    completed_units: Fraction
    quality_factor: Fraction
    on_time_factor: Fraction
    quality_units: Fraction
    on_time_units: Fraction
    quality_deduction: Fraction
    delay_deduction: Fraction
    exempted: bool
    quality_exempted: bool = False
    timeliness_exempted: bool = False


@dataclass(frozen=True)
class PeriodScore(_Result):
    """The score of one month or quarter (Điều 14–17).

    ``a``/``b``/``c`` are quantity/quality/progress in percent of the assigned converted units
    (they may exceed 100 with extra work unless the policy caps them); ``d``/``dd``/``e`` are a
    leader's factors (None for professional staff); ``task_ratio`` is their mean in percent
    (after the optional per-component cap); ``task_points`` = min(task max, ratio × task max);
    ``total`` = ``general_points`` + ``task_points``; ``level`` is the indicative band.
    When nothing was assigned, ``insufficient`` is True and a, b, c, task_ratio, task_points,
    total and level are None (a leader's d, dd, e are still shown). With the policy switch
    ``cap_components_at_100``, a, b and c are the capped values and ``components_capped`` says
    whether the cap changed anything; ``task_points_capped`` says the ratio gave more than the
    task maximum.
    ``assigned``/``completed``/``quality``/``on_time`` are the converted-unit sums behind a, b, c.
    """

    policy_version: str
    insufficient: bool
    general_points: Fraction
    a: Fraction | None
    b: Fraction | None
    c: Fraction | None
    d: Fraction | None
    dd: Fraction | None
    e: Fraction | None
    task_ratio: Fraction | None
    task_points: Fraction | None
    total: Fraction | None
    level: Level | None
    assigned: Fraction
    completed: Fraction
    quality: Fraction
    on_time: Fraction
    components_capped: bool
    task_points_capped: bool
    rounded_before_compare: bool
    why: tuple[LineContribution, ...]

    @property
    def is_leader(self) -> bool:
        """True when the leader formula (a+b+c+d+đ+e)/6 was used."""
        return self.d is not None


# --------------------------------------------------------------------------------------------
# Year classification, quota, work-log day
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearResult(_Result):
    """The classification of a year (Điều 17.3, 19, 20).

    ``mean`` is the arithmetic mean of the period totals (None when not classified);
    ``score_level`` the level the mean alone gives; ``level`` the final level after the
    overrides (None = not classified); ``reason`` says which rule decided. ``periods`` is the
    number of totals given and ``months`` the months they cover (3 per quarter when the policy
    evaluates by quarter).
    """

    policy_version: str
    mean: Fraction | None
    level: Level | None
    score_level: Level | None
    reason: YearReason
    periods: int
    months: int
    disciplined: bool
    leave_exception: bool
    org_level: Level | None

    @property
    def classified(self) -> bool:
        """False when the person is not classified for the year."""
        return self.level is not None


@dataclass(frozen=True)
class QuotaResult(_Result):
    """The check of the "Excellent" quota in one unit / group of similar tasks (Điều 20.5).

    ``excellent`` and ``good`` count the levels given, ``pool`` = excellent + good; ``limit`` is
    how many may be rated EXCELLENT and ``excess`` how many are over it (0 when within).
    ``base`` is the number the share applies to: everyone at Good or above for the reading
    "good_or_above"; for the literal reading "good_only", the number finally rated Good when the
    approver keeps ``min(excellent, limit)`` at EXCELLENT. Levels are never changed.
    """

    policy_version: str
    base_reading: str
    share: Fraction
    exceptional: bool
    excellent: int
    good: int
    pool: int
    base: int
    limit: int
    excess: int

    @property
    def over_quota(self) -> bool:
        """True when more people are rated EXCELLENT than the quota allows."""
        return self.excess > 0


@dataclass(frozen=True)
class DayLoad(_Result):
    """One person's work-log day (Khánh Hòa model).

    ``norm_minutes`` = Σ time norm × quantity (before any factor); ``over_norm`` flags a day
    above ``daily_norm_minutes`` for the leader's review (a flag only, never a reward);
    ``excess_minutes`` is how far above; ``credited_minutes`` = Σ credited minutes of the items.
    """

    policy_version: str
    items: int
    norm_minutes: Fraction
    credited_minutes: Fraction
    daily_norm_minutes: int
    over_norm: bool
    excess_minutes: Fraction
