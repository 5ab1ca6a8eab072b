"""The review inbox: verdicts, separation of duties, flags, bulk confirm, late reviews."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kpi_desktop.domain.errors import InvalidState, KpiError, RefusedValue
from kpi_desktop.domain.model import EntryStatus, ExtraKind, StatementKind
from kpi_desktop.services.messages import describe
from kpi_desktop.services.review import Flag, ReviewService, return_reason_templates


def test_inbox_groups_submitted_entries_of_evaluatees_by_person_and_day(leader):
    inbox = leader.review.inbox("hcc-gd")
    people = [p.person_id for p in inbox.people]
    assert people and set(people) <= {"hcc-pgd", "hcc-cv1", "hcc-cv2", "hcc-cv3", "hcc-cv4"}
    assert "hcc-gd" not in people  # never their own work
    for person in inbox.people:
        days = [d.work_date for d in person.days]
        assert days == sorted(days)
        for day in person.days:
            for item in day.items:
                assert item.entry.status is EntryStatus.SUBMITTED
                assert item.entry.person_id == person.person_id
                assert item.item_code
    assert inbox.limit_days == 5


def test_confirm_return_and_annotations(leader):
    items = leader.review.inbox("hcc-gd").items
    first, second = items[0].entry, items[1].entry
    confirmed = leader.review.confirm("hcc-gd", first.id)
    assert confirmed.status is EntryStatus.CONFIRMED
    assert confirmed.confirmed_revision == first.current_revision
    leader.review.mark_quality_failed("hcc-gd", first.id, "Sai số liệu")
    leader.review.mark_delay("hcc-gd", first.id)
    leader.review.mark_objective_cause("hcc-gd", first.id, "Mất điện")
    kinds = [s.kind for s in leader.review.statements(first.id)]
    assert kinds.count(StatementKind.CONFIRM) == 1
    assert StatementKind.QUALITY_FAILED in kinds and StatementKind.DELAY in kinds
    returned = leader.review.return_entry("hcc-gd", second.id, "  Thiếu sản phẩm đầu ra ")
    assert returned.status is EntryStatus.RETURNED
    last = leader.review.statements(second.id)[-1]
    assert (last.kind, last.reason) == (StatementKind.RETURN, "Thiếu sản phẩm đầu ra")
    actions = [e.action for e in leader.audit(actor_id="hcc-gd", object_type="entry")]
    assert {"entry.confirm", "entry.return", "entry.quality_failed", "entry.delay",
            "entry.objective_cause"} <= set(actions)
    remaining = {i.entry.id for i in leader.review.inbox("hcc-gd").items}
    assert first.id not in remaining and second.id not in remaining


def test_return_reason_is_normalised_to_nfc(leader):
    entry = leader.review.inbox("hcc-gd").items[0].entry
    decomposed = "Thie\u0302\u0301u"  # "Thiếu" typed with combining marks
    leader.review.return_entry("hcc-gd", entry.id, decomposed)
    assert leader.review.statements(entry.id)[-1].reason == "Thiếu"


def test_refusals_change_nothing(leader):
    items = leader.review.inbox("hcc-gd").items
    entry = items[0].entry
    before = leader.dump()
    with pytest.raises(RefusedValue) as missing:
        leader.review.return_entry("hcc-gd", entry.id, "   ")
    assert describe(missing.value) == "Please give a reason."
    with pytest.raises(InvalidState) as other:
        leader.review.confirm("kt-tp", entry.id)  # not their evaluator
    assert other.value.code == "not_evaluator"
    with pytest.raises(InvalidState) as own:
        leader.review.confirm("hcc-gd", _own_submitted(leader, "hcc-gd"))
    assert own.value.code == "own_work"
    assert leader.dump() == before


def _own_submitted(leader, person_id):
    with leader.db.unit_of_work(read_only=True) as uow:
        return uow.worklog.list_by_status(EntryStatus.SUBMITTED, person_ids=[person_id])[0].id


def test_head_is_reviewed_by_the_chairman(leader):
    entry_id = _own_submitted(leader, "hcc-gd")
    assert entry_id in {i.entry.id for i in leader.review.inbox("ct").items}
    assert leader.review.confirm("ct", entry_id).status is EntryStatus.CONFIRMED


def test_confirmed_entry_cannot_be_confirmed_twice(leader):
    entry = leader.review.inbox("hcc-gd").items[0].entry
    leader.review.confirm("hcc-gd", entry.id)
    with pytest.raises(InvalidState) as error:
        leader.review.confirm("hcc-gd", entry.id)
    assert error.value.code == "entry_not_submitted"


def test_acting_evaluator_can_review_during_the_delegation_only(leader):
    from kpi_desktop.services.leadership import delegate

    others = [i.entry for i in leader.review.inbox("hcc-gd").items
              if i.entry.person_id != "hcc-pgd"]
    with pytest.raises(InvalidState) as before:
        leader.review.confirm("hcc-pgd", others[0].id)
    assert before.value.code == "not_evaluator"
    with leader.db.unit_of_work() as uow:
        relations = delegate(uow, "hcc-gd", "hcc-pgd", dt.date(2026, 11, 20),
                             dt.date(2026, 11, 30), note="Nghỉ phép")
    assert "hcc-pgd" not in {r.evaluatee_id for r in relations}
    pending = [i.entry for i in leader.review.inbox("hcc-pgd").items]
    assert {e.id for e in pending} == {e.id for e in others}
    assert leader.review.confirm("hcc-pgd", pending[0].id).status is EntryStatus.CONFIRMED
    assert leader.audit(action="evaluator.delegate")[0].detail["acting"] == "hcc-pgd"
    later = ReviewService(leader.db, today=dt.date(2026, 12, 2))
    assert later.inbox("hcc-pgd").items == []
    with pytest.raises(InvalidState):
        later.confirm("hcc-pgd", pending[1].id)


def test_overdue_items_are_flagged_and_late_decisions_reported(leader):
    inbox = leader.review.inbox("hcc-gd")
    waiting = inbox.items[0]
    later = ReviewService(leader.db, today=waiting.submitted_at.date() + dt.timedelta(days=14))
    late_item = [i for i in later.inbox("hcc-gd").items if i.entry.id == waiting.entry.id][0]
    # 14 calendar days hold 10 Monday–Friday days, but 9 working days once the public
    # holidays count (24/11, Ngày Văn hóa Việt Nam, falls in the span): one calendar for all.
    assert late_item.overdue and late_item.waiting_days >= 9
    later.confirm("hcc-gd", waiting.entry.id)
    late = later.late_reviews("hcc-gd")
    assert [r.entry_id for r in late] == [waiting.entry.id]
    report = later.late_reviews_of_my_leaders("ct")
    assert [r.entry_id for r in report["hcc-gd"]] == [waiting.entry.id]


def test_suspicious_patterns_are_flagged(leader):
    from kpi_desktop.services.worklog import WorkLogService

    worklog = WorkLogService(leader.db, leader.app.paths.attachments_dir,
                             today=dt.date(2026, 11, 23))
    with leader.db.unit_of_work(read_only=True) as uow:
        items = uow.catalog.allowed_items("hcc-cv3")
    item = max((i for i in items if i.time_norm_minutes), key=lambda i: i.time_norm_minutes)
    day = dt.date(2026, 11, 2)  # logged 15 working days later (today)
    ids = [worklog.add_entry(person_id="hcc-cv3", work_date=day, item_code=item.code,
                             quantity=Decimal(10), completed_on=day, submit=True,
                             confirm_quantity=True).id  # more than a day: confirmed
           for _ in range(3)]
    flags = {i.entry.id: i.flags for i in leader.review.inbox("hcc-gd").items}
    for entry_id in ids:
        assert {Flag.DAY_OVER_NORM, Flag.IDENTICAL, Flag.LOGGED_LATE, Flag.NO_OUTPUT} \
            <= flags[entry_id]


def test_bulk_confirm_of_a_week_and_of_500_entries(leader):
    inbox = leader.review.inbox("kt-tp")
    person = inbox.people[0]
    week = leader.review.week_entry_ids("kt-tp", person.person_id, person.days[0].work_date)
    assert week
    result = leader.review.confirm_many("kt-tp", week)
    assert result.confirmed == week and not result.skipped
    ids = _many_submitted(leader, 500)
    seen = []
    result = leader.review.confirm_many("hcc-gd", ids + ["no-such-entry"],
                                        progress=lambda done, total: seen.append(done))
    assert len(result.confirmed) == 500
    assert [i for i, _ in result.skipped] == ["no-such-entry"]
    assert isinstance(result.skipped[0][1], KpiError)
    assert seen[0] == 0 and seen[-1] == 501 and len(seen) == 12
    with leader.db.unit_of_work(read_only=True) as uow:
        stored = uow.worklog.get_many(ids)
    assert all(e.status is EntryStatus.CONFIRMED for e in stored.values())


def test_bulk_confirm_can_be_cancelled(leader):
    ids = _many_submitted(leader, 120)
    calls = iter([False, True])
    result = leader.review.confirm_many("hcc-gd", ids, cancelled=lambda: next(calls))
    assert result.cancelled and len(result.confirmed) == 50


def _many_submitted(leader, count: int) -> list[str]:
    """``count`` submitted entries of hcc-cv1 (written in bulk, as an import would)."""
    from kpi_desktop.domain.model import EntryRevision, WorkLogEntry, new_id, utc_now
    from kpi_desktop.storage.repositories.worklog import snapshot_of

    now = utc_now()
    with leader.db.unit_of_work() as uow:
        item = uow.catalog.allowed_items("hcc-cv1")[0]
        entries, revisions = [], []
        for n in range(count):
            entry = WorkLogEntry(
                id=new_id(), person_id="hcc-cv1", work_date=dt.date(2026, 11, 2 + n % 18),
                catalog_item_id=item.id, quantity=Decimal(1), coefficient=item.coefficient,
                created_at=now, updated_at=now, extra_kind=ExtraKind.AD_HOC,
                output_doc_number=f"{n}/VB", status=EntryStatus.SUBMITTED,
                current_revision=1)
            text, digest = snapshot_of(entry)
            entries.append(entry)
            revisions.append(EntryRevision(entry_id=entry.id, revision=1, snapshot_json=text,
                                           snapshot_sha256=digest, created_at=now,
                                           author_id="hcc-cv1"))
        uow.worklog.add_many(entries)
        uow.worklog.add_revisions(revisions)
    return [e.id for e in entries]


def test_reason_templates_are_translated_sentences():
    templates = return_reason_templates()
    assert len(templates) == 5 and all(t.endswith(".") for t in templates)


def test_delay_report_for_the_leaders_evaluator(leader):
    waiting = leader.review.inbox("hcc-gd").items[0]
    later = ReviewService(leader.db, today=waiting.submitted_at.date() + dt.timedelta(days=14))
    before = {d.leader_id: d for d in later.delay_report("ct")}
    assert before["hcc-gd"].waiting_overdue >= 1 and before["hcc-gd"].decided_late == 0
    later.confirm("hcc-gd", waiting.entry.id)
    after = {d.leader_id: d for d in later.delay_report("ct")}
    assert after["hcc-gd"].decided_late == 1
    assert after["hcc-gd"].waiting_overdue == before["hcc-gd"].waiting_overdue - 1


def test_completed_after_the_deadline_is_flagged(leader):
    from kpi_desktop.services.worklog import WorkLogService

    worklog = WorkLogService(leader.db, leader.app.paths.attachments_dir,
                             today=dt.date(2026, 11, 23))
    code = leader.assignments.allowed_items("hcc-cv2")[0].code
    entry = worklog.add_entry(person_id="hcc-cv2", work_date=dt.date(2026, 11, 16),
                              item_code=code, quantity=Decimal(1), output_doc_number="9/BC",
                              deadline=dt.date(2026, 11, 17),
                              completed_on=dt.date(2026, 11, 19), submit=True)
    flags = {i.entry.id: i.flags for i in leader.review.inbox("hcc-gd").items}
    assert Flag.COMPLETED_LATE in flags[entry.id]
    assert not any(Flag.COMPLETED_LATE in f for i, f in flags.items() if i != entry.id
                   and not _late_entry(leader, i))


def _late_entry(leader, entry_id):
    entry = leader.entry(entry_id)
    return bool(entry.deadline and entry.completed_on and entry.completed_on > entry.deadline)
