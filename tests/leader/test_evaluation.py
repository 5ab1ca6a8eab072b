"""Monthly evaluation: confirm/adjust, d/đ/e, lock, unlock with reason, whole-unit confirm."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from kpi_desktop.domain.errors import InvalidState, RefusedValue
from kpi_desktop.domain.model import GENERAL_CRITERIA, EvaluationStatus, Period, utc_now
from kpi_desktop.services.messages import describe

NOV = Period.parse("2026-11")
FULL = {c.code: c.max_points for c in GENERAL_CRITERIA}


def _submit_self(leader, person_id, criteria=None):
    """What the official's Form 01 submission leaves behind (issue 3 owns that service)."""
    with leader.db.unit_of_work() as uow:
        stored = uow.evaluations.get_monthly(person_id, NOV)
        uow.evaluations.upsert_monthly(replace(
            stored, status=EvaluationStatus.SUBMITTED, self_criteria=criteria or FULL,
            submitted_at=utc_now()))


def test_overview_lists_the_evaluatees_with_scores(leader):
    rows = leader.evaluation.overview("hcc-gd", "2026-11")
    assert {r.person_id for r in rows} == {"hcc-pgd", "hcc-cv1", "hcc-cv2", "hcc-cv3", "hcc-cv4"}
    assert rows[0].is_leader  # the deputy first
    assert all(r.status is EvaluationStatus.OPEN for r in rows)


def test_confirm_accepting_the_self_assessment_locks_the_month(leader):
    _submit_self(leader, "hcc-cv1")
    stored = leader.evaluation.confirm("hcc-gd", "hcc-cv1", "2026-11")
    assert stored.status is EvaluationStatus.LOCKED
    assert stored.confirmed_criteria == FULL and stored.general_points == 30
    assert stored.total is not None and stored.policy_version == "nd335-2026.1"
    assert stored.evaluator_id == "hcc-gd" and stored.locked_at is not None
    actions = [e.action for e in leader.evaluation.history("hcc-cv1", "2026-11")]
    assert actions == ["evaluation.confirm", "evaluation.lock"]
    with pytest.raises(InvalidState) as again:
        leader.evaluation.confirm("hcc-gd", "hcc-cv1", "2026-11")
    assert again.value.code == "period_locked"


def test_adjusting_needs_a_comment_and_changes_nothing_without(leader):
    _submit_self(leader, "hcc-cv2")
    lower = dict(FULL, **{"I.1": Decimal("3")})
    before = leader.dump()
    with pytest.raises(RefusedValue) as error:
        leader.evaluation.confirm("hcc-gd", "hcc-cv2", "2026-11", criteria=lower)
    assert error.value.code == "adjust_comment_missing" and describe(error.value)
    with pytest.raises(RefusedValue) as out_of_range:
        leader.evaluation.confirm("hcc-gd", "hcc-cv2", "2026-11",
                                  criteria=dict(FULL, **{"I.1": "6"}), comment="x")
    assert out_of_range.value.code == "confirmed_criterion_out_of_range"
    assert leader.dump() == before
    stored = leader.evaluation.confirm("hcc-gd", "hcc-cv2", "2026-11", criteria=lower,
                                       comment="Chậm ba\u0301o cáo")
    assert stored.general_points == 28 and stored.comment == "Chậm báo cáo"
    assert leader.evaluation.history("hcc-cv2", "2026-11")[0].detail["adjusted"] is True


def test_no_self_assessment_needs_points_from_the_evaluator(leader):
    with pytest.raises(InvalidState) as error:
        leader.evaluation.confirm("hcc-gd", "hcc-cv3", "2026-11")
    assert error.value.code == "self_assessment_missing"
    stored = leader.evaluation.confirm("hcc-gd", "hcc-cv3", "2026-11", criteria=FULL)
    assert stored.status is EvaluationStatus.LOCKED


def test_leader_factors(leader):
    _submit_self(leader, "hcc-cv1")
    with pytest.raises(RefusedValue) as error:
        leader.evaluation.confirm("hcc-gd", "hcc-cv1", "2026-11", dd=50)
    assert error.value.code == "leader_factor_not_leader"
    with pytest.raises(RefusedValue):
        leader.evaluation.confirm("ct", "hcc-gd", "2026-11", criteria=FULL, dd=70)
    head = leader.evaluation.confirm("ct", "hcc-gd", "2026-11", criteria=FULL, dd=50, e=100)
    assert head.dd == 50 and head.e == 100 and head.d in (50, 100)


def test_separation_of_duties(leader):
    _submit_self(leader, "hcc-cv1")
    with pytest.raises(InvalidState) as own:
        leader.evaluation.confirm("hcc-gd", "hcc-gd", "2026-11", criteria=FULL)
    assert own.value.code == "own_work"
    with pytest.raises(InvalidState) as other:
        leader.evaluation.confirm("kt-tp", "hcc-cv1", "2026-11")
    assert other.value.code == "not_evaluator"


def test_unlock_needs_a_reason_and_is_audited(leader):
    _submit_self(leader, "hcc-cv1")
    leader.evaluation.confirm("hcc-gd", "hcc-cv1", "2026-11")
    before = leader.dump()
    with pytest.raises(RefusedValue):
        leader.evaluation.unlock("hcc-gd", "hcc-cv1", "2026-11", "  ")
    assert leader.dump() == before
    reopened = leader.evaluation.unlock("hcc-gd", "hcc-cv1", "2026-11", "Sót một sản phẩm")
    assert reopened.status is EvaluationStatus.SUBMITTED
    last = leader.evaluation.history("hcc-cv1", "2026-11")[-1]
    assert last.action == "evaluation.unlock" and last.detail["reason"] == "Sót một sản phẩm"
    assert last.actor_id == "hcc-gd"
    with pytest.raises(InvalidState):
        leader.evaluation.unlock("hcc-gd", "hcc-cv1", "2026-11", "again")


def test_locked_month_refuses_reviews(leader):
    from kpi_desktop.services.review import ReviewService

    item = next(i for i in leader.review.inbox("hcc-gd").items
                if i.entry.work_date >= dt.date(2026, 11, 1))
    leader.evaluation.confirm("hcc-gd", item.entry.person_id, "2026-11", criteria=FULL)
    with pytest.raises(InvalidState) as error:
        ReviewService(leader.db, today=dt.date(2026, 11, 23)).confirm("hcc-gd", item.entry.id)
    assert error.value.code == "period_locked"


def test_whole_unit_month_confirmed_staff_before_head(leader):
    for pid in ("hcc-pgd", "hcc-cv1", "hcc-cv2", "hcc-cv3", "hcc-cv4"):
        _submit_self(leader, pid)
    seen = []
    result = leader.evaluation.confirm_many("hcc-gd", "2026-11",
                                            progress=lambda d, t: seen.append((d, t)))
    assert len(result.confirmed) == 5 and not result.skipped
    assert result.confirmed[-1] == "hcc-pgd"  # the deputy (a leader) last
    assert seen[-1] == (5, 5)
    rows = leader.evaluation.overview("hcc-gd", "2026-11")
    assert all(r.status is EvaluationStatus.LOCKED for r in rows)


def test_acting_evaluator_confirms_during_the_delegation(leader):
    from kpi_desktop.services.evaluation import EvaluationService

    assert ("hcc-pgd", "Bùi Thị Thu") in leader.evaluation.acting_candidates("hcc-gd") or \
        "hcc-pgd" in dict(leader.evaluation.acting_candidates("hcc-gd"))
    with pytest.raises(RefusedValue):
        leader.evaluation.delegate("hcc-gd", "hcc-pgd", dt.date(2026, 11, 30),
                                   dt.date(2026, 11, 20))
    made = leader.evaluation.delegate("hcc-gd", "hcc-pgd", dt.date(2026, 11, 20),
                                      dt.date(2026, 11, 30), "Đi công tác")
    assert {r.evaluatee_id for r in made} == {"hcc-cv1", "hcc-cv2", "hcc-cv3", "hcc-cv4"}
    assert leader.evaluation.delegations("hcc-gd") == made
    _submit_self(leader, "hcc-cv1")
    stored = leader.evaluation.confirm("hcc-pgd", "hcc-cv1", "2026-11")
    assert stored.evaluator_id == "hcc-pgd"
    with pytest.raises(InvalidState) as own:  # the acting deputy never gets their own month
        leader.evaluation.confirm("hcc-pgd", "hcc-pgd", "2026-11", criteria=FULL)
    assert own.value.code == "own_work"
    later = EvaluationService(leader.db, today=dt.date(2026, 12, 1))
    with pytest.raises(InvalidState):
        later.unlock("hcc-pgd", "hcc-cv1", "2026-11", "x")
