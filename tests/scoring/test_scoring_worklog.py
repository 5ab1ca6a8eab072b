"""Work-log credit (Khánh Hòa model, ASSUMPTION template) and the day's load."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from kpi_desktop.scoring import (
    LogItem,
    ScoringInputError,
    ScoringPolicy,
    credit_minutes,
    day_load,
    timeliness_factor,
)

POLICY = ScoringPolicy.default()


def test_plain_credit_is_norm_times_factor_times_quantity():
    assert credit_minutes(POLICY, 60, 1, 3, 1, 0, 0) == 180
    assert credit_minutes(POLICY, 45, 1.2, 2, 1, 0, 0) == 108


def test_quality_verdicts():
    assert credit_minutes(POLICY, 100, 1, 1, 0.75, 0, 0) == 75  # Đạt, phải chỉnh sửa
    assert credit_minutes(POLICY, 100, 1, 1, 0, 0, 0) == 0  # Không đạt


def test_early_bonus_per_working_day_is_capped():
    assert [timeliness_factor(POLICY, d, 0) for d in range(7)] == [
        1,
        Fraction("1.05"),
        Fraction("1.1"),
        Fraction("1.15"),
        Fraction("1.2"),
        Fraction("1.2"),
        Fraction("1.2"),
    ]
    assert credit_minutes(POLICY, 100, 1, 1, 1, 10, 0) == 120


def test_late_deduction_per_missed_deadline_never_below_zero():
    assert [timeliness_factor(POLICY, 0, n) for n in range(6)] == [
        1,
        Fraction("0.75"),
        Fraction("0.5"),
        Fraction("0.25"),
        0,
        0,
    ]
    assert credit_minutes(POLICY, 100, 2, 1, 1, 0, 5) == 0


def test_early_and_late_combine_as_in_the_template():
    assert timeliness_factor(POLICY, 2, 1) == Fraction("0.85")  # 1 + 0.10 − 0.25


def test_policy_parameters_are_used():
    policy = dataclasses.replace(
        POLICY, early_bonus_per_day="0.1", early_bonus_cap="0.3", late_deduction_per_delay="0.5"
    )
    assert timeliness_factor(policy, 5, 0) == Fraction("1.3")
    assert timeliness_factor(policy, 0, 1) == Fraction("0.5")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((-1, 1, 1, 1, 0, 0), "negative_value"),
        ((60, 0, 1, 1, 0, 0), "not_positive"),
        ((60, 1, -2, 1, 0, 0), "negative_value"),
        ((60, 1, 1, 1.5, 0, 0), "value_out_of_range"),
        ((60, 1, 1, -0.5, 0, 0), "value_out_of_range"),
        ((60, 1, 1, 1, -1, 0), "negative_value"),
        ((60, 1, 1, 1, 0, 0.5), "not_an_integer"),
        ((60, "x", 1, 1, 0, 0), "not_a_number"),
    ],
)
def test_refused_input(args, code):
    with pytest.raises(ScoringInputError) as info:
        credit_minutes(POLICY, *args)
    assert info.value.code == code


def test_day_at_exactly_eight_hours_is_not_flagged():
    day = day_load(POLICY, [LogItem(60, 8, complexity_factor=3)])
    assert day.norm_minutes == 480 and not day.over_norm and day.excess_minutes == 0
    assert day.credited_minutes == 1440  # factors raise the credit, never the flag
    assert day.items == 1 and day.daily_norm_minutes == 480


def test_day_flag_uses_norm_time_before_factors():
    day = day_load(POLICY, [LogItem(241, 2, quality=0)])
    assert day.over_norm and day.excess_minutes == 2 and day.credited_minutes == 0


def test_empty_day_and_wrong_items():
    day = day_load(POLICY, [])
    assert day.norm_minutes == 0 and not day.over_norm and day.items == 0
    with pytest.raises(TypeError):
        day_load(POLICY, [(60, 1)])  # type: ignore[list-item]
