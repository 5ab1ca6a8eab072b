"""Year-end classification (Form 02): means, not classified, discipline, decisions, quota."""

from __future__ import annotations

import datetime as dt

import pytest

from kpi_desktop.domain.errors import InvalidState, RefusedValue
from kpi_desktop.domain.model import DisciplineKind, Level, OrgEvaluation
from kpi_desktop.domain.scores import YearReason
from kpi_desktop.services.messages import describe

DECISION = {"minutes_ref": "BB 12/BB-HCC", "decision_no": "101/QĐ-UBND",
            "decision_date": dt.date(2026, 12, 10)}


def test_overview_of_the_commune(leader):
    overview = leader.classification.overview("ct", "xa", 2026)
    assert overview.policy_version == "nd335-2026.1"
    rows = {r.person.id: r for r in overview.rows}
    assert len(rows) == 25
    assert rows["vp-cv3"].result.reason is YearReason.TOO_FEW_MONTHS
    assert rows["vp-cv3"].computed_level is None and rows["vp-cv3"].months == 4
    assert rows["kt-cv4"].result.level is Level.NOT_COMPLETE
    assert [e.kind for e in rows["kt-cv4"].discipline] == [DisciplineKind.REPRIMAND]
    assert rows["kt-cv3"].months == 9  # nothing assigned in May
    assert rows["hcc-gd"].can_decide and not rows["hcc-cv1"].can_decide
    # The quota: per unit and per group of similar tasks, candidates lowest mean first.
    staff = next(s for s in overview.scopes if s.kind == "group" and s.key == "staff")
    assert staff.over and staff.quota.excess == 3
    means = [rows[p].result.mean for p in staff.candidates]
    assert means == sorted(means)
    assert overview.over_quota


def test_self_rating_then_decision_with_history(leader):
    mine = leader.classification.record_self_rating("hcc-cv1", 2026, "excellent")
    assert mine.self_level is Level.EXCELLENT and mine.decided_at is None
    decided = leader.classification.decide("hcc-gd", "hcc-cv1", 2026, Level.GOOD,
                                           reason="Vượt tỷ lệ 20 %", **DECISION)
    assert decided.id == mine.id and decided.self_level is Level.EXCELLENT
    assert decided.decided_level is Level.GOOD and decided.computed_level is Level.EXCELLENT
    assert decided.policy_version == "nd335-2026.1" and decided.months_counted == 10
    assert decided.decision_no == "101/QĐ-UBND" and decided.minutes_ref == "BB 12/BB-HCC"
    with pytest.raises(InvalidState) as twice:
        leader.classification.decide("hcc-gd", "hcc-cv1", 2026, Level.GOOD, reason="x",
                                     **DECISION)
    assert twice.value.code == "classification_decided"
    with pytest.raises(InvalidState):
        leader.classification.record_self_rating("hcc-cv1", 2026, "good")
    new = leader.classification.supersede(
        "hcc-gd", decided.id, Level.EXCELLENT, decision_no="115/QĐ-UBND",
        decision_date=dt.date(2026, 12, 20), reason="Kiến nghị được chấp nhận")
    assert new.supersedes_id == decided.id
    history = leader.classification.history("hcc-cv1", 2026)
    assert [c.id for c in history] == [decided.id, new.id]
    row = leader.classification.overview("hcc-gd", "hcc", 2026).row("hcc-cv1")
    assert row.current.id == new.id and row.history_count == 2
    assert row.proposed_level is Level.EXCELLENT
    actions = [e.action for e in leader.audit(object_type="classification")]
    assert actions == ["classification.self_rating", "classification.decide",
                       "classification.supersede"]
    with pytest.raises(InvalidState) as again:
        leader.classification.supersede("hcc-gd", decided.id, Level.GOOD,
                                        decision_no="1", decision_date=dt.date(2026, 12, 21),
                                        reason="y")
    assert again.value.code == "classification_already_superseded"


@pytest.mark.parametrize(
    ("actor", "person", "level", "extra", "code"),
    [
        ("hcc-gd", "hcc-cv1", Level.GOOD, {}, "reason_missing"),  # lower without a reason
        ("hcc-gd", "hcc-cv4", Level.GOOD, {}, "classification_above_computed"),
        ("hcc-gd", "hcc-gd", Level.GOOD, {}, "own_work"),
        ("kt-tp", "hcc-cv1", Level.EXCELLENT, {}, "not_evaluator"),
        ("kt-tp", "kt-cv4", Level.GOOD, {"reason": "x"}, "classification_disciplined"),
        ("vp-cvp", "vp-cv3", Level.GOOD, {}, "classification_not_classifiable"),
        ("hcc-gd", "hcc-cv1", Level.EXCELLENT, {"decision_no": " "}, "reason_missing"),
        ("hcc-gd", "hcc-cv1", Level.EXCELLENT, {"decision_date": None}, "date_malformed"),
        ("hcc-gd", "hcc-cv1", "brilliant", {}, "level_unknown"),
    ],
)
def test_refused_decisions_change_nothing(leader, actor, person, level, extra, code):
    before = leader.dump()
    with pytest.raises((RefusedValue, InvalidState)) as error:
        leader.classification.decide(actor, person, 2026, level, **{**DECISION, **extra})
    assert error.value.code == code
    assert describe(error.value) and "(" not in describe(error.value)[:3]
    assert leader.dump() == before


def test_not_classified_and_disciplined_decisions(leader):
    none = leader.classification.decide("vp-cvp", "vp-cv3", 2026, None, **DECISION)
    assert none.decided_level is None and none.computed_level is None
    fail = leader.classification.decide("kt-tp", "kt-cv4", 2026, Level.NOT_COMPLETE,
                                        **DECISION)
    assert fail.decided_level is Level.NOT_COMPLETE


def test_discipline_entered_with_its_decision_reference(leader):
    with pytest.raises(RefusedValue):
        leader.classification.record_discipline("hcc-gd", "hcc-cv2", "warning",
                                                decided_on=dt.date(2026, 9, 1), decision_no="")
    event = leader.classification.record_discipline(
        "hcc-gd", "hcc-cv2", DisciplineKind.WARNING, decided_on=dt.date(2026, 9, 1),
        decision_no="77/QĐ-UBND", note="Vi phạm")
    assert event.recorded_by == "hcc-gd" and event.effective_year == 2026
    row = leader.classification.overview("hcc-gd", "hcc", 2026).row("hcc-cv2")
    assert row.result.level is Level.NOT_COMPLETE and row.discipline[0].decision_no == \
        "77/QĐ-UBND"
    assert leader.audit(action="discipline.record")[0].detail["decision_no"] == "77/QĐ-UBND"


def test_head_capped_by_the_organisation_level(leader):
    with leader.db.unit_of_work() as uow:
        uow.org_results.upsert_evaluation(OrgEvaluation(id="oe-hcc", unit_id="hcc", year=2026,
                                                        level=Level.COMPLETE))
    row = leader.classification.overview("ct", "hcc", 2026).row("hcc-gd")
    assert row.result.reason is YearReason.CAPPED_BY_ORG
    assert row.result.level is Level.COMPLETE


def test_exceptional_quota_share(leader):
    normal = leader.classification.overview("ct", "xa", 2026)
    wider = leader.classification.overview("ct", "xa", 2026, exceptional=True)
    pick = lambda o: next(s for s in o.scopes if s.key == "staff").quota.limit  # noqa: E731
    assert pick(wider) >= pick(normal)
