"""The worked examples of reference/domain.md §4, to the cent."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from kpi_desktop.scoring import (
    EvaluationPeriod,
    LeaderFactors,
    Level,
    LogItem,
    QuotaBase,
    ScoringPolicy,
    TaskLine,
    YearReason,
    bridge_coefficient,
    catalog_coefficient,
    check_quota,
    classify_year,
    credit_minutes,
    day_load,
    period_mean,
    round_half_up,
    score_period,
)

POLICY = ScoringPolicy.default()


def example1_lines() -> list[TaskLine]:
    return [
        TaskLine(1, 10, True),  # DC.01: 10/10, on time, OK
        TaskLine(12, 1, True, delays=1),  # DC.05: 1/1 with one delay
        TaskLine(9, 2, True),  # DC.22: two done OK ...
        TaskLine(9, 1, True, failed_reviews=1),  # ... one done that failed review once ...
        TaskLine(9, 1, False),  # ... and one of the four not done
    ]


def test_example1_professional_month():
    score = score_period(POLICY, example1_lines(), 26)
    assert score.assigned == 58
    assert score.completed == 49
    assert score.quality == Fraction("46.75")
    assert score.on_time == 46
    assert score.a == Fraction(4900, 58)
    assert (score.rounded("a"), score.rounded("b"), score.rounded("c")) == (84.48, 80.60, 79.31)
    assert score.rounded("task_ratio") == 81.47
    assert score.rounded("task_points") == 57.03
    assert score.rounded("total") == 83.03
    assert score.level is Level.GOOD
    assert not score.insufficient
    assert score.policy_version == "nd335-2026.1"


def example2_lines() -> list[TaskLine]:
    return [
        TaskLine(14, 1, True),  # QL.01
        TaskLine(9, 1, True),  # QL.02, on time
        TaskLine(9, 1, True, delays=1),  # QL.02, one delay
        TaskLine(13, 1, True),  # QL.09
        TaskLine(12, 1, True),  # DC.05
        TaskLine(7, 2, True),  # QL.08
    ]


def test_example2_head_of_division_with_weak_subordinate():
    score = score_period(POLICY, example2_lines(), 27, LeaderFactors(d=50))
    assert score.assigned == score.completed == score.quality == 71
    assert score.on_time == Fraction("68.75")
    assert score.a == score.b == 100
    assert score.rounded("c") == 96.83
    assert score.rounded("task_ratio") == 91.14
    assert score.rounded("task_points") == 63.80
    assert score.rounded("total") == 90.80
    assert score.level is Level.EXCELLENT
    assert score.is_leader and score.d == 50 and score.dd == 100 and score.e == 100


def test_example2_with_d_100():
    score = score_period(POLICY, example2_lines(), 27, LeaderFactors())
    assert score.rounded("task_ratio") == 99.47
    assert score.rounded("task_points") == 69.63
    assert score.rounded("total") == 96.63


def example3_lines() -> list[TaskLine]:
    return [
        TaskLine(1, 8, True),  # DC.01: 8 done of 10 ...
        TaskLine(1, 2, False),  # ... 2 not done
        TaskLine(12, 1, True, delays=1),  # DC.05 with one delay
        TaskLine(9, 2, True),  # DC.22
        TaskLine(1.6, 2, True, extra=True),  # 2 ad hoc DC.27 invitations
    ]


def test_example3_extra_work_uncapped_components():
    score = score_period(POLICY, example3_lines(), 27)
    assert score.assigned == 40
    assert score.completed == Fraction("41.2")
    assert score.a == score.b == 103
    assert score.c == Fraction("95.5")
    assert score.task_ratio == Fraction("100.5")
    assert score.task_points == 70
    assert score.task_points_capped
    assert score.total == 97
    assert score.rounded("total") == 97.00


def test_example3_per_component_cap():
    policy = dataclasses.replace(POLICY, cap_components_at_100=True)
    score = score_period(policy, example3_lines(), 27)
    assert score.a == score.b == 100
    assert score.c == Fraction("95.5")
    assert score.task_ratio == Fraction("98.5")
    assert score.task_points == Fraction("68.95")
    assert score.total == Fraction("95.95")
    assert score.components_capped and not score.task_points_capped


EXAMPLE4 = [83.0, 85.5, 88.0, 91.0, 92.5, 90.0, 89.0, 87.5, 93.0, 94.0, 90.5, 86.0]


def test_example4_quarters_and_half_year():
    quarters = [period_mean(EXAMPLE4[i : i + 3]) for i in range(0, 12, 3)]
    assert [float(round_half_up(q)) for q in quarters] == [85.50, 91.17, 89.83, 90.17]
    assert round_half_up(period_mean(EXAMPLE4[:6])) == Fraction("88.33")


def test_example4_year_is_good_although_six_months_excellent():
    result = classify_year(POLICY, EXAMPLE4)
    assert result.rounded("mean") == 89.17
    assert result.level is Level.GOOD
    assert result.reason is YearReason.CLASSIFIED
    assert result.months == 12
    assert sum(1 for t in EXAMPLE4 if t >= 90) == 6


def test_example4_by_quarter_equals_by_month():
    policy = dataclasses.replace(POLICY, evaluation_period=EvaluationPeriod.QUARTER)
    quarters = [period_mean(EXAMPLE4[i : i + 3]) for i in range(0, 12, 3)]
    result = classify_year(policy, quarters)
    assert result.mean == classify_year(POLICY, EXAMPLE4).mean
    assert result.months == 12 and result.periods == 4


def test_example4_reprimand_overrides():
    result = classify_year(POLICY, EXAMPLE4, disciplined=True)
    assert result.level is Level.NOT_COMPLETE
    assert result.reason is YearReason.DISCIPLINED
    assert result.rounded("mean") == 89.17
    assert result.score_level is Level.GOOD


def test_example4_five_months_not_classified():
    result = classify_year(POLICY, EXAMPLE4[:5])
    assert result.level is None and result.mean is None
    assert result.reason is YearReason.TOO_FEW_MONTHS
    assert not result.classified


def example5_levels() -> list[Level]:
    return [Level.EXCELLENT] * 5 + [Level.GOOD] * 15


def test_example5_quota_good_or_above_reading():
    policy = dataclasses.replace(POLICY, quota_base=QuotaBase.GOOD_OR_ABOVE)
    result = check_quota(policy, example5_levels())
    assert (result.limit, result.excess, result.base, result.pool) == (4, 1, 20, 20)
    assert check_quota(policy, example5_levels(), exceptional=True).limit == 5
    assert check_quota(policy, example5_levels(), exceptional=True).excess == 0


def test_example5_quota_literal_reading_is_default():
    result = check_quota(POLICY, example5_levels())
    assert result.base_reading == "good_only"
    assert (result.limit, result.excess, result.excellent, result.good) == (3, 2, 5, 15)
    assert result.base == 17  # 20 − 3 finally rated Good: 3 ≤ 0.2 × 17
    assert result.over_quota
    exceptional = check_quota(POLICY, example5_levels(), exceptional=True)
    assert (exceptional.limit, exceptional.excess, exceptional.base) == (4, 1, 16)


def test_example6_daily_log():
    k3 = POLICY.complexity_factor(3)
    assert k3 == Fraction("1.5")
    items = [
        LogItem(60, 3),  # B.01 × 3 OK
        LogItem(240, 1, complexity_factor=k3, days_early=1),  # B.05 one working day early
        LogItem(30, 4),  # C.12 × 4 OK
    ]
    day = day_load(POLICY, items)
    assert day.norm_minutes == 540
    assert day.over_norm and day.excess_minutes == 60
    assert day.credited_minutes == Fraction("678")  # 11.3 h
    assert day.credited_minutes / 60 == Fraction("11.3")
    assert credit_minutes(POLICY, 240, k3, 1, 1, 1, 0) == 378  # 4 × 1.5 × 1.05 h
    assert bridge_coefficient(240, k3, 60) == 6
    assert bridge_coefficient(30, 1, 60) == Fraction(1, 2)


def test_catalog_coefficients_of_nghia_lam():
    assert catalog_coefficient(POLICY, 8) == Fraction("1.6")  # DC.27
    assert catalog_coefficient(POLICY, 3) == Fraction("0.6")  # DC.16
    assert catalog_coefficient(POLICY, 150) == 30  # DC.QPPL.02
