"""Roll-ups and the yearly decisions: period means, year classification, "Excellent" quota."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction

from kpi_desktop.domain.scores import Level, QuotaResult, YearReason, YearResult
from kpi_desktop.scoring._numbers import Number, to_fraction
from kpi_desktop.scoring.errors import ScoringInputError
from kpi_desktop.scoring.levels import clear_level, level_for
from kpi_desktop.scoring.policy import QuotaBase, ScoringPolicy

__all__ = ["check_quota", "classify_mean", "classify_year", "period_mean", "quota_limit"]


def _totals(values: Iterable[Number | str], maximum: Fraction) -> list[Fraction]:
    totals = []
    for value in values:
        total = to_fraction(value, "totals")
        if not 0 <= total <= maximum:
            raise ScoringInputError(
                "total_out_of_range",
                value=value,
                minimum=0,
                maximum=int(maximum) if maximum.denominator == 1 else str(maximum),
            )
        totals.append(total)
    return totals


def period_mean(totals: Sequence[Number | str]) -> Fraction:
    """Exact arithmetic mean of period totals (quarter = mean of its 3 months, Điều 17.3).

    Use it for quarters, half-years and years alike; an empty sequence raises
    :class:`~kpi_desktop.scoring.errors.ScoringInputError` ``no_totals``.
    """
    values = [to_fraction(v, "totals") for v in totals]
    if not values:
        raise ScoringInputError("no_totals")
    return sum(values, Fraction(0)) / len(values)


def _check_flags(policy: ScoringPolicy, disciplined: object, leave_exception: object,
                 org_level: object) -> Level | None:
    """The checks of classify_year's arguments other than the totals; the organisation's
    level as a Level."""
    if not isinstance(policy, ScoringPolicy):
        raise TypeError("policy must be a ScoringPolicy")
    for name, flag in (("disciplined", disciplined), ("leave_exception", leave_exception)):
        if not isinstance(flag, bool):
            raise ScoringInputError("not_a_boolean", field=name, value=flag)
    if org_level is None:
        return None
    try:
        return Level(org_level)
    except ValueError:
        raise ScoringInputError("level_unknown", value=org_level) from None


def classify_year(
    policy: ScoringPolicy,
    monthly_totals: Sequence[Number | str],
    *,
    disciplined: bool = False,
    leave_exception: bool = False,
    org_level: Level | None = None,
) -> YearResult:
    """Classify one person's year from the totals of the periods actually worked.

    ``monthly_totals`` are monthly totals, or quarterly totals when the policy evaluates by
    quarter (each then counts as 3 months). Rules, in order:

    1. fewer months than ``policy.min_months_for_classification`` (6) → not classified
       (``TOO_FEW_MONTHS``; mean and level None) unless ``leave_exception`` (Điều 11.2: sick or
       maternity leave → rated on the months worked, ``CLASSIFIED_ON_LEAVE``); no totals at all
       → not classified (``NO_MONTHS``). Discipline does not classify a year that is not
       classified;
    2. the level of the mean (exact, or rounded first per policy) → ``score_level``;
    3. ``disciplined`` (reprimand or above, or another Điều 20.4 override) → NOT_COMPLETE
       whatever the score (``DISCIPLINED``; the mean is still given);
    4. ``org_level`` caps the level of a head (Điều 20.6) → ``CAPPED_BY_ORG`` when it lowers it.
    """
    _check_flags(policy, disciplined, leave_exception, org_level)
    totals = _totals(monthly_totals, policy.max_total)
    return classify_mean(policy, len(totals), lambda: period_mean(totals),
                         disciplined=disciplined, leave_exception=leave_exception,
                         org_level=org_level)


def classify_mean(
    policy: ScoringPolicy,
    periods: int,
    mean: Fraction | Callable[[], Fraction],
    *,
    approx: float | None = None,
    disciplined: bool = False,
    leave_exception: bool = False,
    org_level: Level | None = None,
) -> YearResult:
    """:func:`classify_year` for a caller that already has the exact ``mean`` of ``periods``
    valid totals (or a function that computes it, called only when the year is classified):
    the year-end roll-up sums the stored totals in SQL. ``approx`` (the mean as a float, within
    :data:`~kpi_desktop.scoring.levels.APPROXIMATION`) lets the level be cut without exact
    arithmetic when no cut-off is near (:func:`~kpi_desktop.scoring.levels.clear_level`);
    near one, the exact mean decides. The result is the one :func:`classify_year` gives.
    """
    org_level = _check_flags(policy, disciplined, leave_exception, org_level)
    months = periods * policy.months_per_period

    def result(
        reason: YearReason,
        mean: Fraction | None = None,
        level: Level | None = None,
        score_level: Level | None = None,
    ) -> YearResult:
        return YearResult(
            policy_version=policy.version,
            mean=mean,
            level=level,
            score_level=score_level,
            reason=reason,
            periods=periods,
            months=months,
            disciplined=disciplined,
            leave_exception=leave_exception,
            org_level=org_level,
        )

    if not periods:
        return result(YearReason.NO_MONTHS)
    too_few = months < policy.min_months_for_classification
    if too_few and not leave_exception:
        return result(YearReason.TOO_FEW_MONTHS)
    exact = mean() if callable(mean) else mean
    score_level = None if approx is None else clear_level(policy, approx)
    if score_level is None:
        score_level = level_for(policy, exact)
    if disciplined:
        return result(YearReason.DISCIPLINED, exact, Level.NOT_COMPLETE, score_level)
    if org_level is not None and org_level.rank < score_level.rank:
        return result(YearReason.CAPPED_BY_ORG, exact, org_level, score_level)
    reason = YearReason.CLASSIFIED_ON_LEAVE if too_few else YearReason.CLASSIFIED
    return result(reason, exact, score_level, score_level)


def quota_limit(pool: int, share: Fraction, base: QuotaBase) -> int:
    """How many of ``pool`` people at Good or above may be rated Excellent.

    * ``good_or_above``: E ≤ share × pool, so the limit is ⌊share × pool⌋.
    * ``good_only`` (literal): E ≤ share × G with G = pool − E the number finally rated Good;
      the largest whole E with E ≤ share × (pool − E) is ⌊share × pool / (1 + share)⌋.

    Domain.md Example 5 (pool 20): good_or_above → 4 (5 at 25 %); good_only → 3 (4 at 25 %).
    """
    if base is QuotaBase.GOOD_OR_ABOVE:
        return math.floor(share * pool)
    return math.floor(share * pool / (1 + share))


def check_quota(
    policy: ScoringPolicy, levels: Sequence[Level | str | None], *, exceptional: bool = False
) -> QuotaResult:
    """Check the "Excellent" quota of one unit / group of similar tasks (Điều 20.5).

    ``levels`` are the proposed levels of the group (None = not classified, ignored);
    ``exceptional`` uses the 25 % share an organisation with outstanding results may be granted.
    The result only warns (``excess``); it never changes anyone's level — the approver decides.
    """
    if not isinstance(policy, ScoringPolicy):
        raise TypeError("policy must be a ScoringPolicy")
    if not isinstance(exceptional, bool):
        raise ScoringInputError("not_a_boolean", field="exceptional", value=exceptional)
    proposed = []
    for value in levels:
        if value is None:
            continue
        try:
            proposed.append(value if type(value) is Level else Level(value))
        except ValueError:
            raise ScoringInputError("level_unknown", value=value) from None
    excellent = sum(1 for level in proposed if level is Level.EXCELLENT)
    good = sum(1 for level in proposed if level is Level.GOOD)
    pool = excellent + good
    share = policy.quota_share_exceptional if exceptional else policy.quota_share
    limit = quota_limit(pool, share, policy.quota_base)
    base = pool if policy.quota_base is QuotaBase.GOOD_OR_ABOVE else pool - min(excellent, limit)
    return QuotaResult(
        policy_version=policy.version,
        base_reading=policy.quota_base.value,
        share=share,
        exceptional=exceptional,
        excellent=excellent,
        good=good,
        pool=pool,
        base=base,
        limit=limit,
        excess=max(0, excellent - limit),
    )
