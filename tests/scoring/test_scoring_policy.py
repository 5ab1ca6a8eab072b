"""ScoringPolicy: defaults, JSON round-trip, validation."""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction

import pytest

from kpi_desktop.scoring import (
    EvaluationPeriod,
    QuotaBase,
    ScoringInputError,
    ScoringPolicy,
)

POLICY = ScoringPolicy.default()


def test_decree_335_defaults():
    p = POLICY
    assert p.version == "nd335-2026.1"
    assert (p.general_max, p.task_max) == (30, 70)
    assert (p.threshold_excellent, p.threshold_good, p.threshold_complete) == (90, 70, 50)
    assert p.failed_review_deduction == p.delay_deduction == Fraction(1, 4)
    assert p.cap_components_at_100 is False and p.round_before_compare is False
    assert p.evaluation_period is EvaluationPeriod.MONTH and p.evaluation_period == "month"
    assert p.min_months_for_classification == 6
    assert (p.quota_share, p.quota_share_exceptional) == (Fraction(1, 5), Fraction(1, 4))
    assert p.quota_base is QuotaBase.GOOD_ONLY
    assert p.review_limit_working_days == 5
    assert p.daily_norm_minutes == 480
    assert (p.early_bonus_per_day, p.early_bonus_cap) == (Fraction(1, 20), Fraction(1, 5))
    assert p.late_deduction_per_delay == Fraction(1, 4)
    assert p.complexity_factors == (1, Fraction(6, 5), Fraction(3, 2), 2, 3)
    assert p.standard_unit_points == 5
    assert p.max_total == 100
    assert ScoringPolicy() == p


def test_to_dict_is_json_native_and_deterministic():
    data = POLICY.to_dict()
    assert data["format"] == 1
    assert data["quota_share"] == "0.2"
    assert data["failed_review_deduction"] == "0.25"
    assert data["general_max"] == "30"
    assert data["complexity_factors"] == ["1", "1.2", "1.5", "2", "3"]
    assert data["evaluation_period"] == "month"
    assert json.loads(json.dumps(data)) == data
    assert POLICY.to_json() == ScoringPolicy.default().to_json()
    assert json.loads(POLICY.to_json()) == data


def test_round_trip_default_and_changed():
    changed = dataclasses.replace(
        POLICY,
        version="kh-2026.2",
        cap_components_at_100=True,
        round_before_compare=True,
        evaluation_period="quarter",
        quota_base="good_or_above",
        quota_share="0.15",
        early_bonus_per_day=Fraction(1, 30),
        complexity_factors=(1, 1.25, 2.5),
        threshold_good=Fraction("72.5"),
    )
    for policy in (POLICY, changed):
        assert ScoringPolicy.from_dict(policy.to_dict()) == policy
        assert ScoringPolicy.from_json(policy.to_json()) == policy
        assert ScoringPolicy.from_dict(json.loads(json.dumps(policy.to_dict()))) == policy
    assert changed.to_dict()["early_bonus_per_day"] == "1/30"
    assert changed.evaluation_period is EvaluationPeriod.QUARTER
    assert changed.months_per_period == 3


def test_from_dict_accepts_plain_numbers():
    data = POLICY.to_dict()
    data["quota_share"] = 0.2
    data["general_max"] = 30
    assert ScoringPolicy.from_dict(data) == POLICY


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"format": 2}, "policy_format_unknown"),
        ({"format": True}, "policy_format_unknown"),
        ({"version": ""}, "policy_version_invalid"),
        ({"version": "has space"}, "policy_version_invalid"),
        ({"version": 3}, "policy_version_invalid"),
        ({"surprise": 1}, "policy_key_unknown"),
        ({"quota_share": "abc"}, "policy_invalid"),
        ({"quota_share": "0"}, "policy_invalid"),
        ({"quota_share": "0.3"}, "policy_invalid"),  # above the exceptional share
        ({"quota_share": True}, "policy_invalid"),
        ({"quota_share": None}, "policy_invalid"),
        ({"threshold_good": "95"}, "policy_invalid"),
        ({"threshold_excellent": "101"}, "policy_invalid"),
        ({"threshold_complete": "0"}, "policy_invalid"),
        ({"failed_review_deduction": "1.5"}, "policy_invalid"),
        ({"cap_components_at_100": "false"}, "policy_invalid"),
        ({"min_months_for_classification": 6.0}, "policy_invalid"),
        ({"min_months_for_classification": 0}, "policy_invalid"),
        ({"daily_norm_minutes": True}, "policy_invalid"),
        ({"evaluation_period": "week"}, "policy_invalid"),
        ({"quota_base": 1}, "policy_invalid"),
        ({"complexity_factors": []}, "policy_invalid"),
        ({"complexity_factors": ["1", "0"]}, "policy_invalid"),
        ({"complexity_factors": "1,2"}, "policy_invalid"),
        ({"standard_unit_points": "-5"}, "policy_invalid"),
    ],
)
def test_from_dict_refuses(change, code):
    data = POLICY.to_dict()
    data.update(change)
    with pytest.raises(ScoringInputError) as info:
        ScoringPolicy.from_dict(data)
    assert info.value.code == code
    assert isinstance(info.value, ValueError)


def test_from_dict_refuses_missing_keys_and_non_mappings():
    data = POLICY.to_dict()
    del data["task_max"]
    with pytest.raises(ScoringInputError) as info:
        ScoringPolicy.from_dict(data)
    assert info.value.code == "policy_key_missing" and info.value.params["keys"] == ["task_max"]
    with pytest.raises(ScoringInputError):
        ScoringPolicy.from_dict([1, 2])  # type: ignore[arg-type]
    with pytest.raises(ScoringInputError):
        ScoringPolicy.from_json("{not json")


def test_replace_validates():
    with pytest.raises(ScoringInputError):
        dataclasses.replace(POLICY, task_max=0)


def test_complexity_factor_lookup():
    assert POLICY.complexity_factor(1) == 1
    assert POLICY.complexity_factor(5) == 3
    for bad in (0, 6, True, 1.0):
        with pytest.raises(ScoringInputError) as info:
            POLICY.complexity_factor(bad)  # type: ignore[arg-type]
        assert info.value.code == "complexity_level_unknown"
