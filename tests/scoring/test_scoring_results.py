"""Result types: rounding for display, dict export, levels."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from kpi_desktop.domain.scores import Level, fraction_to_str, round_half_up
from kpi_desktop.scoring import (
    ScoringPolicy,
    TaskLine,
    check_quota,
    classify_year,
    score_period,
)

POLICY = ScoringPolicy.default()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction("83.025"), Fraction("83.03")),
        (Fraction("83.035"), Fraction("83.04")),
        (Fraction("83.0249"), Fraction("83.02")),
        (Fraction(-1, 200), Fraction(-1, 100)),
        (Fraction(2, 3), Fraction("0.67")),
        (90, 90),
    ],
)
def test_round_half_up(value, expected):
    assert round_half_up(value) == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(1, 4), "0.25"),
        (Fraction(30), "30"),
        (Fraction(-3, 20), "-0.15"),
        (Fraction(1, 3), "1/3"),
        (Fraction(1, 1000), "0.001"),
        (Fraction(0), "0"),
        (Fraction(-7, 3), "-7/3"),
        (Fraction(103, 1), "103"),
    ],
)
def test_fraction_to_str_round_trips(value, text):
    assert fraction_to_str(value) == text
    assert Fraction(text) == value


def test_as_dict_is_json_ready_and_rounded():
    score = score_period(
        POLICY, [TaskLine(9, 3, True, failed_reviews=1), TaskLine(1, 1, False)], 26
    )
    data = score.as_dict()
    json.dumps(data)
    assert data["level"] == score.level.value
    assert data["b"] == score.rounded("b") == 72.32  # 27 × 0.75 / 28 = 72.3214…
    assert isinstance(data["why"], list) and data["why"][0]["quality_factor"] == 0.75
    exact = score.as_dict(exact=True)
    assert Fraction(exact["b"]) == score.b
    assert exact["why"][0]["quality_factor"] == "0.75"


def test_year_and_quota_as_dict():
    year = classify_year(POLICY, [80, 81, 82, 83, 84, 85, 86])
    assert year.as_dict()["mean"] == 83.0 and year.as_dict()["reason"] == "classified"
    quota = check_quota(POLICY, [Level.EXCELLENT] * 2 + [Level.GOOD] * 8)
    assert quota.as_dict()["share"] == 0.2 and quota.as_dict()["limit"] == 1


def test_rounded_refuses_non_numbers():
    score = score_period(POLICY, [TaskLine(1, 1, True)], 20)
    with pytest.raises(TypeError):
        score.rounded("level")
    with pytest.raises(TypeError):
        score.rounded("insufficient")


def test_level_values_and_order():
    assert [level.value for level in Level] == ["excellent", "good", "complete", "not_complete"]
    assert Level("good") is Level.GOOD and Level.GOOD == "good"
    assert Level.EXCELLENT.rank > Level.GOOD.rank > Level.COMPLETE.rank > Level.NOT_COMPLETE.rank
    assert Level.EXCELLENT.at_most(Level.GOOD) is Level.GOOD
    assert Level.COMPLETE.at_most(Level.GOOD) is Level.COMPLETE
