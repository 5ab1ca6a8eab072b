"""Roll-ups, year classification and the "Excellent" quota."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from kpi_desktop.scoring import (
    EvaluationPeriod,
    Level,
    QuotaBase,
    ScoringInputError,
    ScoringPolicy,
    YearReason,
    check_quota,
    classify_year,
    period_mean,
    quota_limit,
)

POLICY = ScoringPolicy.default()
QUARTERLY = dataclasses.replace(POLICY, evaluation_period=EvaluationPeriod.QUARTER)


def test_period_mean_is_exact():
    assert period_mean([90, 91, 91]) == Fraction(272, 3)
    assert period_mean([0.1, 0.2]) == Fraction(3, 20)
    with pytest.raises(ScoringInputError) as info:
        period_mean([])
    assert info.value.code == "no_totals"


def test_six_months_is_enough_five_is_not():
    assert classify_year(POLICY, [80] * 6).level is Level.GOOD
    result = classify_year(POLICY, [95] * 5)
    assert (result.level, result.mean, result.reason) == (None, None, YearReason.TOO_FEW_MONTHS)
    assert result.months == 5


def test_quarters_count_three_months_each():
    assert classify_year(QUARTERLY, [92, 93]).level is Level.EXCELLENT  # 6 months
    result = classify_year(QUARTERLY, [92])
    assert result.reason is YearReason.TOO_FEW_MONTHS and result.months == 3


def test_leave_exception_classifies_on_months_worked():
    result = classify_year(POLICY, [92, 95, 90], leave_exception=True)
    assert result.level is Level.EXCELLENT
    assert result.mean == Fraction(277, 3)
    assert result.reason is YearReason.CLASSIFIED_ON_LEAVE
    # with enough months the exception changes nothing
    assert classify_year(POLICY, [80] * 8, leave_exception=True).reason is YearReason.CLASSIFIED


def test_no_months_at_all():
    for leave in (False, True):
        result = classify_year(POLICY, [], leave_exception=leave)
        assert result.level is None and result.reason is YearReason.NO_MONTHS


def test_discipline_overrides_any_score():
    result = classify_year(POLICY, [100] * 12, disciplined=True)
    assert result.level is Level.NOT_COMPLETE and result.reason is YearReason.DISCIPLINED
    assert result.mean == 100 and result.score_level is Level.EXCELLENT


def test_discipline_does_not_classify_a_short_year():
    result = classify_year(POLICY, [100] * 3, disciplined=True)
    assert result.level is None and result.reason is YearReason.TOO_FEW_MONTHS


def test_org_level_caps_a_head():
    result = classify_year(POLICY, [95] * 12, org_level=Level.GOOD)
    assert result.level is Level.GOOD and result.reason is YearReason.CAPPED_BY_ORG
    assert result.score_level is Level.EXCELLENT
    lower = classify_year(POLICY, [60] * 12, org_level=Level.GOOD)
    assert lower.level is Level.COMPLETE and lower.reason is YearReason.CLASSIFIED
    same = classify_year(POLICY, [95] * 12, org_level="excellent")
    assert same.level is Level.EXCELLENT and same.reason is YearReason.CLASSIFIED
    disciplined = classify_year(POLICY, [95] * 12, org_level=Level.GOOD, disciplined=True)
    assert disciplined.reason is YearReason.DISCIPLINED


def test_year_mean_on_cut_off_and_rounding_switch():
    # 89.99 + 90.005 → mean 89.9975: GOOD exactly, EXCELLENT when rounded first (90.00)
    totals = [Fraction("89.99"), Fraction("90.005")] * 3
    assert classify_year(POLICY, totals).level is Level.GOOD
    rounding = dataclasses.replace(POLICY, round_before_compare=True)
    assert classify_year(rounding, totals).level is Level.EXCELLENT
    assert classify_year(POLICY, [89, 91] * 3).level is Level.EXCELLENT  # exactly 90


@pytest.mark.parametrize(
    ("totals", "code"),
    [
        ([80, 101, 80, 80, 80, 80], "total_out_of_range"),
        ([80, -1, 80, 80, 80, 80], "total_out_of_range"),
        ([80, "x", 80, 80, 80, 80], "not_a_number"),
    ],
)
def test_bad_totals(totals, code):
    with pytest.raises(ScoringInputError) as info:
        classify_year(POLICY, totals)
    assert info.value.code == code


def test_bad_flags_and_levels():
    with pytest.raises(ScoringInputError):
        classify_year(POLICY, [80] * 6, org_level="best")  # type: ignore[arg-type]
    with pytest.raises(ScoringInputError):
        classify_year(POLICY, [80] * 6, disciplined="yes")  # type: ignore[arg-type]
    with pytest.raises(ScoringInputError) as info:
        check_quota(POLICY, ["excellent", "superb"])  # type: ignore[list-item]
    assert info.value.code == "level_unknown"


def test_quota_ignores_lower_levels_and_unclassified():
    levels = [Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.NOT_COMPLETE, None] + [
        Level.GOOD
    ] * 5
    result = check_quota(POLICY, levels)
    assert (result.excellent, result.good, result.pool) == (1, 6, 7)
    assert result.limit == 1 and result.excess == 0 and result.base == 6


def test_quota_within_limits_and_small_units():
    assert check_quota(POLICY, [Level.GOOD] * 6).limit == 1  # 1 ≤ 0.2 × 5
    assert check_quota(POLICY, [Level.GOOD] * 5).limit == 0  # 1 > 0.2 × 4
    assert check_quota(POLICY, []).limit == 0
    single = check_quota(POLICY, [Level.EXCELLENT])
    assert single.limit == 0 and single.excess == 1


def test_quota_never_changes_levels():
    levels = [Level.EXCELLENT] * 5 + [Level.GOOD] * 15
    before = list(levels)
    check_quota(POLICY, levels)
    assert levels == before


def test_quota_limit_formula():
    assert quota_limit(20, Fraction(1, 5), QuotaBase.GOOD_ONLY) == 3
    assert quota_limit(20, Fraction(1, 4), QuotaBase.GOOD_ONLY) == 4
    assert quota_limit(20, Fraction(1, 5), QuotaBase.GOOD_OR_ABOVE) == 4
    assert quota_limit(24, Fraction(1, 5), QuotaBase.GOOD_ONLY) == 4  # 4 ≤ 0.2 × 20
    assert quota_limit(23, Fraction(1, 5), QuotaBase.GOOD_ONLY) == 3
