"""classify_mean (the roll-up's entry point) and clear_level (its float pre-check) agree with
classify_year and level_for."""

from __future__ import annotations

import dataclasses
import random
from fractions import Fraction

from kpi_desktop.scoring import (
    Level,
    ScoringPolicy,
    classify_mean,
    classify_year,
    clear_level,
    level_for,
)


def test_clear_level_defers_near_a_cut_off() -> None:
    policy = ScoringPolicy.default()
    assert clear_level(policy, 95.0) is Level.EXCELLENT
    assert clear_level(policy, 80.0) is Level.GOOD
    assert clear_level(policy, 55.5) is Level.COMPLETE
    assert clear_level(policy, 10.0) is Level.NOT_COMPLETE
    for cut in (90, 70, 50):
        for near in (cut - 1e-12, cut, cut + 1e-12, cut - 1e-10):
            assert clear_level(policy, near) is None
    rounding = dataclasses.replace(policy, round_before_compare=True)
    assert clear_level(rounding, 89.996) is None  # rounds to 90.00: the exact value decides
    assert clear_level(rounding, 89.99) is Level.GOOD
    # The policy's own cut-offs, not the decree's defaults.
    strict = dataclasses.replace(policy, threshold_excellent=Fraction(95))
    assert clear_level(strict, 92.0) is Level.GOOD
    assert clear_level(strict, 95.0) is None


def test_clear_level_never_contradicts_level_for() -> None:
    rng = random.Random(335)
    for policy in (ScoringPolicy.default(),
                   dataclasses.replace(ScoringPolicy.default(), round_before_compare=True)):
        for _ in range(20_000):
            value = Fraction(rng.randint(0, 1_000_000), 10_000)
            quick = clear_level(policy, float(value))
            assert quick is None or quick is level_for(policy, value), value


def test_classify_mean_gives_classify_year_result() -> None:
    rng = random.Random(18)
    policy = ScoringPolicy.default()
    for _ in range(2_000):
        totals = [Fraction(rng.randint(0, 10_000), rng.choice((1, 10, 100, 3, 7)))
                  for _ in range(rng.randint(0, 12))]
        totals = [min(t, Fraction(100)) for t in totals]
        flags = {"disciplined": rng.random() < 0.1,
                 "org_level": rng.choice((None, Level.GOOD, Level.COMPLETE))}
        expected = classify_year(policy, totals, **flags)
        mean = sum(totals, Fraction(0)) / len(totals) if totals else Fraction(0)
        assert classify_mean(policy, len(totals), mean, approx=float(mean), **flags) == expected
        assert classify_mean(policy, len(totals), lambda m=mean: m, **flags) == expected
