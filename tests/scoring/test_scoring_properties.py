"""Property tests (hypothesis): monotonicity, order independence, bounds, round-trips."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_desktop.domain.scores import fraction_to_str
from kpi_desktop.scoring import (
    EvaluationPeriod,
    LeaderFactors,
    Level,
    QuotaBase,
    ScoringPolicy,
    TaskLine,
    check_quota,
    classify_year,
    credit_minutes,
    level_for,
    quota_limit,
    score_period,
)

POLICY = ScoringPolicy.default()
CAPPED = dataclasses.replace(POLICY, cap_components_at_100=True)

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

coefficients = st.integers(0, 3000).map(lambda n: Fraction(n, 100))
quantities = st.integers(0, 12)
counts = st.integers(0, 5)
general = st.integers(0, 300).map(lambda n: Fraction(n, 10))
policies = st.sampled_from([POLICY, CAPPED])
leaders = st.one_of(
    st.none(),
    st.builds(
        LeaderFactors,
        st.sampled_from([50, 100]),
        st.sampled_from([50, 100]),
        st.sampled_from([50, 100]),
    ),
)


@st.composite
def task_lines(draw: st.DrawFn, allow_extra: bool = True) -> TaskLine:
    completed = draw(st.booleans())
    extra = completed and allow_extra and draw(st.booleans())
    return TaskLine(
        draw(coefficients),
        draw(quantities),
        completed,
        draw(counts),
        draw(counts),
        extra,
        draw(st.booleans()),
    )


line_lists = st.lists(task_lines(), min_size=1, max_size=8)


def numbers(score):
    return (
        score.a,
        score.b,
        score.c,
        score.task_ratio,
        score.task_points,
        score.total,
        score.level,
        score.insufficient,
    )


@FAST
@given(policies, line_lists, general, leaders, st.data())
def test_a_failed_review_never_raises_b(policy, lines, points, leader, data):
    index = data.draw(st.integers(0, len(lines) - 1))
    old = lines[index]
    worse = list(lines)
    worse[index] = dataclasses.replace(old, failed_reviews=old.failed_reviews + 1)
    before = score_period(policy, lines, points, leader)
    after = score_period(policy, worse, points, leader)
    if before.insufficient:
        assert after.insufficient
        return
    assert after.b <= before.b
    assert (after.a, after.c) == (before.a, before.c)
    assert after.total <= before.total


@FAST
@given(policies, line_lists, general, leaders, st.data())
def test_a_delay_never_raises_c(policy, lines, points, leader, data):
    index = data.draw(st.integers(0, len(lines) - 1))
    old = lines[index]
    worse = list(lines)
    worse[index] = dataclasses.replace(old, delays=old.delays + 1)
    before = score_period(policy, lines, points, leader)
    after = score_period(policy, worse, points, leader)
    if before.insufficient:
        return
    assert after.c <= before.c
    assert (after.a, after.b) == (before.a, before.b)
    assert after.total <= before.total


@FAST
@given(
    policies, line_lists, general, leaders, coefficients, quantities.filter(bool), counts, counts
)
def test_extra_completed_work_never_lowers_anything(
    policy, lines, points, leader, coef, qty, failed, delays
):
    before = score_period(policy, lines, points, leader)
    extra = TaskLine(coef, qty, True, failed, delays, extra=True)
    after = score_period(policy, [*lines, extra], points, leader)
    assert after.assigned == before.assigned
    if before.insufficient:
        assert after.insufficient
        return
    assert after.a >= before.a and after.b >= before.b and after.c >= before.c
    assert after.total >= before.total


@FAST
@given(policies, line_lists, general, st.data())
def test_completing_a_line_never_lowers_a(policy, lines, points, data):
    index = data.draw(st.integers(0, len(lines) - 1))
    done = list(lines)
    done[index] = dataclasses.replace(lines[index], completed=True)
    before = score_period(policy, lines, points)
    after = score_period(policy, done, points)
    if not before.insufficient:
        assert after.a >= before.a and after.total >= before.total


@FAST
@given(policies, line_lists, general, leaders, st.randoms(use_true_random=False))
def test_line_order_changes_nothing(policy, lines, points, leader, rnd):
    shuffled = list(lines)
    rnd.shuffle(shuffled)
    assert numbers(score_period(policy, shuffled, points, leader)) == numbers(
        score_period(policy, lines, points, leader)
    )


@FAST
@given(policies, line_lists, general, leaders)
def test_total_stays_on_the_scale(policy, lines, points, leader):
    # Holds even with heavy extra work because the task points are capped at 70.
    score = score_period(policy, lines, points, leader)
    if score.insufficient:
        assert score.total is None and score.level is None
        return
    assert 0 <= score.task_points <= 70
    assert points <= score.total <= 100
    assert score.level is level_for(policy, score.total)
    if policy.cap_components_at_100:
        assert max(score.a, score.b, score.c) <= 100


@FAST
@given(st.lists(task_lines(allow_extra=False), min_size=1, max_size=8), general)
def test_without_extras_components_are_ordered(lines, points):
    score = score_period(POLICY, lines, points)
    if not score.insufficient:
        assert 0 <= score.b <= score.a <= 100 and 0 <= score.c <= score.a


@FAST
@given(
    st.lists(st.integers(0, 10000).map(lambda n: Fraction(n, 100)), min_size=1, max_size=12),
    st.booleans(),
    st.booleans(),
    st.one_of(st.none(), st.sampled_from(list(Level))),
)
def test_year_classification_bounds(totals, disciplined, leave, org):
    result = classify_year(
        POLICY, totals, disciplined=disciplined, leave_exception=leave, org_level=org
    )
    if result.level is None:
        assert len(totals) < 6
        return
    assert min(totals) <= result.mean <= max(totals)
    if disciplined:
        assert result.level is Level.NOT_COMPLETE
    if org is not None:
        assert result.level.rank <= org.rank
    assert result.level.rank <= result.score_level.rank


@FAST
@given(
    st.lists(st.sampled_from([*Level, None]), max_size=60),
    st.booleans(),
    st.sampled_from(list(QuotaBase)),
)
def test_quota_matches_the_definition(levels, exceptional, base):
    policy = dataclasses.replace(POLICY, quota_base=base)
    before = list(levels)
    result = check_quota(policy, levels, exceptional=exceptional)
    assert levels == before
    share = policy.quota_share_exceptional if exceptional else policy.quota_share
    pool = result.pool
    if base is QuotaBase.GOOD_ONLY:
        allowed = [e for e in range(pool + 1) if e <= share * (pool - e)]
    else:
        allowed = [e for e in range(pool + 1) if e <= share * pool]
    assert result.limit == max(allowed) == quota_limit(pool, share, base)
    assert result.excess == max(0, result.excellent - result.limit)


@FAST
@given(
    st.integers(0, 600),
    st.sampled_from(POLICY.complexity_factors),
    st.integers(0, 10),
    st.sampled_from([0, Fraction(3, 4), 1]),
    st.integers(0, 10),
    st.integers(0, 6),
)
def test_credit_bounds(norm, factor, qty, quality, early, late):
    credit = credit_minutes(POLICY, norm, factor, qty, quality, early, late)
    base = norm * factor * qty * quality
    assert 0 <= credit <= base * Fraction(6, 5)
    assert credit_minutes(POLICY, norm, factor, qty, quality, early, late + 1) <= credit
    assert credit_minutes(POLICY, norm, factor, qty, quality, early + 1, late) >= credit


@FAST
@given(
    st.integers(0, 10000).map(lambda n: Fraction(n, 100)),
    st.integers(0, 10000).map(lambda n: Fraction(n, 100)),
    st.booleans(),
)
def test_levels_are_monotone(x, y, rounding):
    policy = dataclasses.replace(POLICY, round_before_compare=rounding)
    low, high = sorted((x, y))
    assert level_for(policy, low).rank <= level_for(policy, high).rank


@FAST
@given(st.fractions(max_denominator=10**6))
def test_fraction_text_round_trip(value):
    assert Fraction(fraction_to_str(value)) == value


@FAST
@given(
    version=st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True),
    cap=st.booleans(),
    rounding=st.booleans(),
    period=st.sampled_from(list(EvaluationPeriod)),
    base=st.sampled_from(list(QuotaBase)),
    share=st.integers(1, 25).map(lambda n: Fraction(n, 100)),
    deduction=st.fractions(min_value=0, max_value=1, max_denominator=1000),
    factors=st.lists(
        st.fractions(min_value=Fraction(1, 10), max_value=10, max_denominator=60),
        min_size=1,
        max_size=5,
    ),
    months=st.integers(1, 12),
)
def test_policy_round_trip(version, cap, rounding, period, base, share, deduction, factors, months):
    policy = dataclasses.replace(
        POLICY,
        version=version,
        cap_components_at_100=cap,
        round_before_compare=rounding,
        evaluation_period=period,
        quota_base=base,
        quota_share=share,
        delay_deduction=deduction,
        complexity_factors=tuple(factors),
        min_months_for_classification=months,
    )
    assert ScoringPolicy.from_dict(policy.to_dict()) == policy
    assert ScoringPolicy.from_json(policy.to_json()) == policy
