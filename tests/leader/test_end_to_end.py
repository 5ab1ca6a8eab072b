"""Issue 4's "done when": on the demo organisation a leader assigns, reviews and confirms a
month for the whole unit, and produces the year's classification with the quota warning."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kpi_desktop.domain.model import (
    GENERAL_CRITERIA,
    EntryStatus,
    EvaluationStatus,
    Level,
    Period,
)

NOV = Period.parse("2026-11")
STAFF = ["hcc-pgd", "hcc-cv1", "hcc-cv2", "hcc-cv3", "hcc-cv4"]


def test_a_month_for_the_whole_unit_then_the_year(leader):
    from kpi_desktop.services.self_assessment import SelfAssessmentService
    from kpi_desktop.services.worklog import WorkLogService

    # 1. Assign.
    item = leader.assignments.allowed_items("hcc-cv1")[0]
    task = leader.assignments.assign("hcc-gd", "hcc-cv1", item.code, NOV, 2,
                                     dt.date(2026, 11, 27))
    # 2. The official logs the work and submits it.
    worklog = WorkLogService(leader.db, leader.app.paths.attachments_dir,
                             today=dt.date(2026, 11, 23))
    done = worklog.add_entry(person_id="hcc-cv1", work_date=dt.date(2026, 11, 20),
                             item_code=item.code, quantity=Decimal(2), assignment_id=task.id,
                             output_doc_number="15/BC-HCC", completed_on=dt.date(2026, 11, 20),
                             submit=True)
    # 3. The leader reviews the whole inbox: one return, the rest confirmed in bulk.
    inbox = leader.review.inbox("hcc-gd")
    assert done.id in {i.entry.id for i in inbox.items}
    returned = next(i.entry.id for i in inbox.items if i.entry.id != done.id)
    leader.review.return_entry("hcc-gd", returned, "Thiếu sản phẩm đầu ra")
    rest = [i.entry.id for i in inbox.items if i.entry.id != returned]
    assert len(leader.review.confirm_many("hcc-gd", rest).confirmed) == len(rest)
    assert leader.review.inbox("hcc-gd").items == []
    progress = {p.person_id: p for p in leader.assignments.progress("hcc-gd", NOV)}
    assert progress["hcc-cv1"].completed_units >= task.quantity * task.coefficient
    # 4. Everyone submits Form 01; the leader confirms the month for the whole unit.
    forms = SelfAssessmentService(leader.db)
    full = {c.code: str(c.max_points) for c in GENERAL_CRITERIA}
    for pid in STAFF:
        forms.save(pid, NOV, full, submit=True)
    result = leader.evaluation.confirm_many("hcc-gd", NOV)
    assert sorted(result.confirmed) == sorted(STAFF) and not result.skipped
    # The head's own month is confirmed by the chairman, with d from the staff's scores.
    forms.save("hcc-gd", NOV, full, submit=True)
    head = leader.evaluation.confirm("ct", "hcc-gd", NOV, dd=100, e=100)
    staff_totals = [r.result.score.total for r in leader.evaluation.overview("hcc-gd", NOV)]
    assert head.d == (50 if min(staff_totals) < 50 else 100)
    assert all(r.status is EvaluationStatus.LOCKED
               for r in leader.evaluation.overview("hcc-gd", NOV))
    with leader.db.unit_of_work(read_only=True) as uow:
        assert uow.worklog.get(done.id).status is EntryStatus.CONFIRMED
    # 5. The year: November now counts; the quota warning names the candidates.
    overview = leader.classification.overview("hcc-gd", "hcc", 2026)
    assert all(r.months == 11 for r in overview.rows)
    unit_scope = next(s for s in overview.scopes if s.kind == "unit")
    excellent = [r for r in overview.rows if r.computed_level is Level.EXCELLENT]
    assert unit_scope.over and excellent
    assert set(unit_scope.candidates) == {r.person.id for r in excellent}
    for candidate in unit_scope.candidates[:unit_scope.quota.excess]:
        moved = leader.classification.decide(
            "hcc-gd", candidate, 2026, Level.GOOD, minutes_ref="BB 01/BB",
            decision_no="20/QĐ-UBND", decision_date=dt.date(2026, 12, 12),
            reason="Vượt tỷ lệ 20 %", quota_note="approver's choice")
        assert moved.policy_version == overview.policy_version
    after = leader.classification.overview("hcc-gd", "hcc", 2026)
    assert not next(s for s in after.scopes if s.kind == "unit").over
