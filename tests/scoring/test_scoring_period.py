"""score_period: each rule with hand-computed expectations, and refused input."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

import pytest

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.scoring import (
    LeaderFactors,
    Level,
    ScoringInputError,
    ScoringPolicy,
    TaskLine,
    head_d_factor,
    level_for,
    score_period,
)

POLICY = ScoringPolicy.default()


def test_exact_cut_off_total_90_is_excellent():
    # a = 100 %, b = c = 64/70: ratio 66/70, task points exactly 66, total exactly 90.
    lines = [TaskLine(1, 24, True, failed_reviews=1, delays=1), TaskLine(1, 46, True)]
    score = score_period(POLICY, lines, 24)
    assert score.task_ratio == Fraction(6600, 70)
    assert score.task_points == 66
    assert score.total == 90
    assert score.level is Level.EXCELLENT


def test_exact_cut_off_with_float_coefficients():
    # 0.1 × 240 + 0.1 × 460 is 70.00000000000001 in binary floating point, exactly 70 here.
    lines = [TaskLine(0.1, 240, True, failed_reviews=1, delays=1), TaskLine(0.1, 460, True)]
    score = score_period(POLICY, lines, 24.0)
    assert score.assigned == 70
    assert score.total == 90
    assert score.level is Level.EXCELLENT


@pytest.mark.parametrize(
    ("done", "general", "level"),
    [
        (True, 20, Level.EXCELLENT),  # 20 + 70 = 90
        (True, 19, Level.GOOD),  # 89
        (True, 0, Level.GOOD),  # 70
        (False, 15, Level.COMPLETE),  # 15 + 50 % × 70 = 50
        (False, 14, Level.NOT_COMPLETE),  # 49
    ],
)
def test_levels_follow_thresholds(done, general, level):
    lines = [TaskLine(1, 1, True), TaskLine(1, 1, done)]
    assert score_period(POLICY, lines, general).level is level


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (100, Level.EXCELLENT),
        (90, Level.EXCELLENT),
        (Fraction(8999, 100), Level.GOOD),
        (70, Level.GOOD),
        (Fraction(6999999, 100000), Level.COMPLETE),
        (50, Level.COMPLETE),
        (Fraction(4999, 100), Level.NOT_COMPLETE),
        (0, Level.NOT_COMPLETE),
    ],
)
def test_level_for_cut_offs(value, level):
    assert level_for(POLICY, value) is level


def test_round_before_compare_switch():
    rounding = dataclasses.replace(POLICY, round_before_compare=True)
    assert level_for(POLICY, Fraction("89.995")) is Level.GOOD
    assert level_for(rounding, Fraction("89.995")) is Level.EXCELLENT
    assert level_for(rounding, Fraction("89.994")) is Level.GOOD
    # in a period score: 19.995 + 70 task points
    score = score_period(rounding, [TaskLine(1, 1, True)], Fraction("19.995"))
    assert score.total == Fraction("89.995")
    assert score.level is Level.EXCELLENT and score.rounded_before_compare
    assert score_period(POLICY, [TaskLine(1, 1, True)], Fraction("19.995")).level is Level.GOOD


def test_nothing_assigned_is_insufficient_not_100():
    for lines in (
        [],
        [TaskLine(1, 0, True)],
        [TaskLine(0, 5, True)],
        [TaskLine(2, 3, True, extra=True)],
    ):
        score = score_period(POLICY, lines, 25)
        assert score.insufficient
        assert score.level is None
        assert score.a is score.b is score.c is None
        assert score.task_ratio is None and score.task_points is None and score.total is None
        assert score.general_points == 25
        assert score.rounded("total") is None
        assert score.as_dict()["total"] is None


def test_insufficient_leader_keeps_factors():
    score = score_period(POLICY, [], 25, LeaderFactors(d=50))
    assert score.insufficient and score.d == 50 and score.total is None


def test_nothing_completed_scores_general_only():
    score = score_period(POLICY, [TaskLine(3, 2, False)], 30)
    assert score.a == score.b == score.c == 0
    assert score.task_points == 0 and score.total == 30
    assert score.level is Level.NOT_COMPLETE


def test_failed_reviews_deduct_quarter_each_and_floor_at_zero():
    def b(failed: int) -> Fraction:
        score = score_period(
            POLICY, [TaskLine(2, 1, True, failed_reviews=failed), TaskLine(2, 1, True)], 20
        )
        return score.b

    assert [b(n) for n in range(6)] == [100, Fraction("87.5"), 75, Fraction("62.5"), 50, 50]


def test_delays_deduct_quarter_each_and_floor_at_zero():
    def c(delays: int) -> Fraction:
        return score_period(POLICY, [TaskLine(4, 1, True, delays=delays)], 20).c

    assert [c(n) for n in range(6)] == [100, 75, 50, 25, 0, 0]


def test_deductions_do_not_touch_a():
    score = score_period(POLICY, [TaskLine(4, 1, True, failed_reviews=2, delays=3)], 20)
    assert score.a == 100 and score.b == 50 and score.c == 25


def test_objective_cause_exempts_deductions():
    score = score_period(
        POLICY, [TaskLine(4, 1, True, failed_reviews=2, delays=3, objective_cause=True)], 20
    )
    assert score.a == score.b == score.c == 100
    (line,) = score.why
    assert line.exempted and line.quality_deduction == 0 and line.delay_deduction == 0


def test_objective_cause_without_deductions_is_not_an_exemption():
    score = score_period(POLICY, [TaskLine(4, 1, True, objective_cause=True)], 20)
    assert not score.why[0].exempted


def test_policy_deduction_rates_are_used():
    policy = dataclasses.replace(POLICY, failed_review_deduction="0.5", delay_deduction=0)
    score = score_period(policy, [TaskLine(1, 1, True, failed_reviews=1, delays=2)], 20)
    assert score.b == 50 and score.c == 100


def test_reassigned_task_stays_assigned_but_not_completed():
    score = score_period(POLICY, [TaskLine(1, 3, True), TaskLine(1, 1, False)], 20)
    assert score.assigned == 4 and score.a == 75


def test_extra_work_adds_to_numerators_only():
    base = score_period(POLICY, [TaskLine(5, 2, True, delays=1)], 20)
    more = score_period(
        POLICY,
        [TaskLine(5, 2, True, delays=1), TaskLine(1.6, 2, True, extra=True, failed_reviews=1)],
        20,
    )
    assert more.assigned == base.assigned == 10
    assert more.a == Fraction("132")
    assert more.b == Fraction("100") + Fraction("3.2") * Fraction("0.75") * 10
    assert more.c == Fraction("75") + 32
    extra_line = more.why[1]
    assert extra_line.extra and extra_line.assigned == 0
    assert extra_line.completed_units == Fraction("3.2")
    assert extra_line.quality_deduction == Fraction("0.8")


def test_task_points_capped_at_70_and_total_at_100():
    score = score_period(POLICY, [TaskLine(1, 1, True), TaskLine(50, 1, True, extra=True)], 30)
    assert score.a == 5100
    assert score.task_points == 70 and score.task_points_capped
    assert score.total == 100


def test_leader_formula_divides_by_six():
    score = score_period(
        POLICY, [TaskLine(1, 2, True, delays=2)], 20, LeaderFactors(d=100, dd=50, e=50)
    )
    # (100 + 100 + 50 + 100 + 50 + 50) / 6 = 75 % → 52.5 points
    assert score.task_ratio == 75
    assert score.task_points == Fraction("52.5")
    assert score.total == Fraction("72.5")


def test_leader_factors_defaults_and_values():
    assert LeaderFactors() == LeaderFactors(100, 100, 100)
    assert LeaderFactors(d=50.0, dd=Decimal("50"), e="100") == LeaderFactors(50, 50, 100)


@pytest.mark.parametrize("bad", [0, 75, 100.5, -50, 101, True, None, "x", float("nan")])
def test_leader_factors_refused(bad):
    with pytest.raises(ScoringInputError) as info:
        LeaderFactors(dd=bad)
    assert info.value.code == "leader_factor_invalid"
    assert info.value.params["factor"] == "dd"


def test_head_d_factor():
    assert head_d_factor([46, 80, 95]) == 50  # Example 2
    assert head_d_factor([50, 80]) == 100
    assert head_d_factor([Fraction("49.999"), 80]) == 50
    assert head_d_factor([]) == 100
    assert head_d_factor([None, 60]) == 100
    rounding = dataclasses.replace(POLICY, round_before_compare=True)
    assert head_d_factor([Fraction("49.995")], rounding) == 100
    assert head_d_factor([Fraction("49.995")]) == 50


def test_why_and_policy_version():
    policy = dataclasses.replace(POLICY, version="test-1")
    score = score_period(
        policy, [TaskLine(9, 2, True, failed_reviews=1), TaskLine(12, 1, True, delays=2)], 20
    )
    assert score.policy_version == "test-1"
    first, second = score.why
    assert (first.index, first.assigned, first.completed_units) == (0, 18, 18)
    assert first.quality_factor == Fraction(3, 4) and first.quality_units == Fraction("13.5")
    assert first.quality_deduction == Fraction("4.5") and first.delay_deduction == 0
    assert second.on_time_factor == Fraction(1, 2) and second.on_time_units == 6
    assert second.delay_deduction == 6
    assert sum(w.quality_units for w in score.why) == score.quality
    assert sum(w.on_time_units for w in score.why) == score.on_time


def test_floats_are_converted_exactly():
    line = TaskLine(1.6, 0.3, True)
    assert line.coefficient == Fraction(8, 5)
    assert line.quantity == Fraction(3, 10)
    assert line.units == Fraction(12, 25)
    assert TaskLine(Decimal("1.6"), "2", True).coefficient == Fraction(8, 5)
    assert score_period(POLICY, [line], 27.3).general_points == Fraction(273, 10)


@pytest.mark.parametrize("general", [-0.01, 30.01, 31, -1, float("inf"), "abc", None, True])
def test_general_points_out_of_range(general):
    with pytest.raises(ScoringInputError) as info:
        score_period(POLICY, [TaskLine(1, 1, True)], general)
    assert info.value.code == "general_points_out_of_range"
    assert info.value.params["maximum"] == 30
    assert isinstance(info.value, RefusedValue) and isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"coefficient": -1, "quantity": 1, "completed": True}, "negative_value"),
        ({"coefficient": 1, "quantity": -0.5, "completed": True}, "negative_value"),
        (
            {"coefficient": 1, "quantity": 1, "completed": True, "failed_reviews": -1},
            "negative_value",
        ),
        ({"coefficient": 1, "quantity": 1, "completed": True, "delays": -2}, "negative_value"),
        ({"coefficient": 1, "quantity": 1, "completed": True, "delays": 1.5}, "not_an_integer"),
        (
            {"coefficient": 1, "quantity": 1, "completed": False, "extra": True},
            "extra_not_completed",
        ),
        ({"coefficient": float("nan"), "quantity": 1, "completed": True}, "not_a_number"),
        ({"coefficient": "1,6", "quantity": 1, "completed": True}, "not_a_number"),
        ({"coefficient": 1, "quantity": 1, "completed": 1}, "not_a_boolean"),
    ],
)
def test_task_line_refused(kwargs, code):
    with pytest.raises(ScoringInputError) as info:
        TaskLine(**kwargs)
    assert info.value.code == code


def test_wrong_types_are_programming_errors():
    with pytest.raises(TypeError):
        score_period(POLICY, [(1, 1, True)], 20)  # type: ignore[list-item]
    with pytest.raises(TypeError):
        score_period({}, [], 20)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        score_period(POLICY, [], 20, leader=(50, 100, 100))  # type: ignore[arg-type]


def test_results_are_frozen():
    score = score_period(POLICY, [TaskLine(1, 1, True)], 20)
    with pytest.raises(dataclasses.FrozenInstanceError):
        score.total = 1  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        TaskLine(1, 1, True).quantity = 2  # type: ignore[misc]
