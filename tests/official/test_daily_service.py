"""The official's desk services: drafts, submission, revision, validation, search, trend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kpi_desktop.domain.errors import KpiError, NotFound, RefusedValue
from kpi_desktop.domain.model import (
    EntryStatus,
    EvaluationStatus,
    ExtraKind,
    Period,
    ReviewStatement,
    StatementKind,
    new_id,
    utc_now,
)
from kpi_desktop.services.daily import EntryDraft, parse_quantity
from kpi_desktop.storage.backup import dump_database

from .conftest import OFFICIAL, TODAY


def _draft(**changes):
    values = dict(work_date=TODAY, item_code="DC.02", quantity="2",
                  output_doc_number="125/UBND-VP", output_description="Công văn trả lời",
                  completed_on=TODAY)
    values.update(changes)
    return EntryDraft(**values)


def return_entry(services, entry_id, reason="Thiếu số văn bản"):
    entry = services.daily.entry(entry_id).entry
    with services.db.unit_of_work() as uow:
        uow.reviews.add(ReviewStatement(id=new_id(), entry_id=entry_id,
                                        revision=entry.current_revision, reviewer_id="vp-cvp",
                                        kind=StatementKind.RETURN, created_at=utc_now(),
                                        reason=reason))
        uow.worklog.set_status(entry_id, EntryStatus.RETURNED, at=utc_now())


def confirm_entry(services, entry_id):
    entry = services.daily.entry(entry_id).entry
    with services.db.unit_of_work() as uow:
        uow.reviews.add(ReviewStatement(id=new_id(), entry_id=entry_id,
                                        revision=entry.current_revision, reviewer_id="vp-cvp",
                                        kind=StatementKind.CONFIRM, created_at=utc_now()))
        uow.worklog.set_status(entry_id, EntryStatus.CONFIRMED, at=utc_now(),
                               confirmed_revision=entry.current_revision)


def test_draft_is_saved_edited_submitted_and_frozen(services):
    daily = services.daily
    entry = daily.save(OFFICIAL, _draft())
    assert entry.status is EntryStatus.DRAFT and entry.extra_kind is ExtraKind.AD_HOC
    entry = daily.save(OFFICIAL, _draft(quantity="3", output_description="Co\u0301ng văn"),
                       entry.id)
    assert entry.quantity == Decimal(3)
    assert entry.output_description == "Cóng văn"  # stored in NFC
    day = daily.day(OFFICIAL, TODAY)
    assert [v.entry.id for v in day.entries] == [entry.id]
    assert day.norm_minutes == 3 * entry.time_norm_minutes
    submitted = daily.submit(OFFICIAL, entry.id)
    assert submitted.status is EntryStatus.SUBMITTED and submitted.current_revision == 1
    with pytest.raises(RefusedValue) as refused:
        daily.save(OFFICIAL, _draft(quantity="5"), entry.id)
    assert refused.value.code == "entry_not_editable"
    assert daily.entry(entry.id).entry.quantity == Decimal(3)


def test_returned_entry_is_revised_with_a_reason(services):
    daily = services.daily
    entry = daily.submit(OFFICIAL, daily.save(OFFICIAL, _draft()).id)
    return_entry(services, entry.id)
    view = daily.entry(entry.id)
    assert view.status is EntryStatus.RETURNED and view.return_reason == "Thiếu số văn bản"
    daily.save(OFFICIAL, _draft(output_doc_number="126/UBND-VP"), entry.id)
    with pytest.raises(RefusedValue) as refused:
        daily.submit(OFFICIAL, entry.id, reason="  ")
    assert refused.value.code == "revision_reason_missing"
    revised = daily.submit(OFFICIAL, entry.id, reason="Bổ sung số văn bản")
    assert revised.status is EntryStatus.SUBMITTED and revised.current_revision == 2
    revisions = daily.revisions(entry.id)
    assert [r.revision for r in revisions] == [1, 2]
    assert revisions[1].reason == "Bổ sung số văn bản"
    assert '"126/UBND-VP"' in revisions[1].snapshot_json
    confirm_entry(services, entry.id)
    with pytest.raises(RefusedValue):
        daily.save(OFFICIAL, _draft(), entry.id)


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and not p.name.endswith(("-wal", "-shm", ".log")))


@pytest.mark.parametrize(("changes", "code"), [
    ({"work_date": TODAY + dt.timedelta(days=1)}, "date_in_future"),
    ({"completed_on": TODAY - dt.timedelta(days=2), "work_date": TODAY - dt.timedelta(days=1)},
     "completed_before_start"),
    ({"quantity": "0"}, "quantity_not_positive"),
    ({"quantity": "-1"}, "quantity_not_positive"),
    ({"quantity": "abc"}, "quantity_not_positive"),  # domain.inputs: one wording
    ({"quantity": "1,255"}, "quantity_too_precise"),
    ({"output_doc_number": "12/QĐ\x1b[31m"}, "text_control_character"),
    ({"deadline": dt.date(2019, 12, 31)}, "date_out_of_range"),
    ({"item_code": "HCC.01"}, "item_not_allowed"),
    ({"item_code": "ZZ.99"}, "not_found"),
    ({"work_date": dt.date(2026, 3, 10), "completed_on": dt.date(2026, 3, 10)}, "period_locked"),
])
def test_refused_values_change_nothing(services, changes, code):
    before = dump_database(services.paths.database)
    files = _files(services.paths.data_dir)
    with pytest.raises(KpiError) as refused:
        services.daily.save(OFFICIAL, _draft(**changes))
    assert refused.value.code == code
    assert dump_database(services.paths.database) == before
    assert _files(services.paths.data_dir) == files


def test_quantity_accepts_a_decimal_comma():
    assert parse_quantity("1,5") == Decimal("1.5")
    assert parse_quantity(" 2 ") == Decimal(2)


def test_attachment_is_stored_by_hash_in_the_data_folder(services, tmp_path):
    evidence = tmp_path / "biên bản.pdf"
    evidence.write_bytes(b"%PDF-1.4 evidence")
    daily = services.daily
    entry = daily.save(OFFICIAL, _draft(attachment=evidence))
    assert entry.attachment_name == "biên bản.pdf"
    stored = daily.attachment_path(entry.attachment_sha256)
    assert stored.read_bytes() == b"%PDF-1.4 evidence"
    assert stored.is_relative_to(services.paths.data_dir)
    entry = daily.save(OFFICIAL, _draft(keep_attachment=False), entry.id)
    assert entry.attachment_sha256 is None


def test_assignment_entry_takes_the_assignment(services):
    daily = services.daily
    views = daily.assignments(OFFICIAL, Period.containing(TODAY))
    assert views
    view = views[0]
    entry = daily.save(OFFICIAL, _draft(item_code=view.item.code,
                                        assignment_id=view.assignment.id))
    assert entry.assignment_id == view.assignment.id
    assert entry.extra_kind is ExtraKind.NONE
    assert entry.coefficient == view.assignment.coefficient
    assert daily.assignments(OFFICIAL, Period.containing(TODAY))[0].logged == view.logged + 2
    with pytest.raises(RefusedValue) as refused:
        daily.save(OFFICIAL, _draft(item_code="DC.16", assignment_id=view.assignment.id))
    assert refused.value.code == "assignment_item_mismatch"


def test_over_eight_hours_is_flagged_not_blocked(services):
    daily = services.daily
    entry = daily.save(OFFICIAL, _draft(quantity="4"))  # DC.02: 2 h 30 each
    day = daily.day(OFFICIAL, TODAY)
    assert day.over_norm and day.norm_minutes == 600
    assert daily.submit(OFFICIAL, entry.id).status is EntryStatus.SUBMITTED


def test_search_ignores_diacritics_and_prefers_the_most_used(services):
    daily = services.daily
    found = daily.search_items(OFFICIAL, "xu ly don")
    assert found and all("đơn" in c.item.name_vi.lower() or "don" in c.item.code.lower()
                         for c in found[:1])
    assert any(c.item.name_vi.startswith("Xử lý đơn") or "đơn thư" in c.item.name_vi
               for c in daily.search_items("hcc-cv1", "xu ly don", all_items=True))
    by_code = daily.search_items(OFFICIAL, "dc.02")
    assert by_code[0].item.code == "DC.02"
    everything = daily.search_items(OFFICIAL, "")
    uses = [c.uses for c in everything]
    assert uses == sorted(uses, reverse=True) and uses[0] > 0
    assert all(c.allowed for c in everything)
    wide = daily.search_items(OFFICIAL, "", all_items=True, limit=1000)
    assert any(not c.allowed for c in wide)
    assert {c.item.id for c in everything} <= {c.item.id for c in wide}


def test_trend_lists_the_months_of_the_year(services):
    trend = services.daily.trend(OFFICIAL, 2026)
    assert [str(p.period) for p in trend][0] == "2026-01"
    assert str(trend[-1].period) == "2026-11"
    expected = services.scores.person_period(OFFICIAL, "2026-09").score.total
    assert trend[8].score.total == expected


def test_delete_draft_only(services):
    daily = services.daily
    entry = daily.save(OFFICIAL, _draft())
    daily.delete_draft(OFFICIAL, entry.id)
    with pytest.raises(NotFound):
        daily.entry(entry.id)


def test_self_assessment_bounds_and_submission(services):
    service = services.self_assessment
    month = Period.containing(TODAY)
    before = dump_database(services.paths.database)
    with pytest.raises(RefusedValue) as refused:
        service.save(OFFICIAL, month, {"I.1": "5.5"})
    assert refused.value.code == "criterion_out_of_range"
    with pytest.raises(RefusedValue):
        service.save(OFFICIAL, month, {"II.1": "-1"})
    with pytest.raises(RefusedValue) as refused:
        service.save(OFFICIAL, month, {"I.1": "5"}, submit=True)
    assert refused.value.code == "criterion_missing"
    assert dump_database(services.paths.database) == before
    scores = {c.code: c.max_points - Decimal("0.5") for c in service.criteria()}
    saved = service.save(OFFICIAL, month, scores)
    assert saved.status is EvaluationStatus.OPEN and saved.self_total == 25
    assert services.scores.person_period(OFFICIAL, month).general_source == "self"
    submitted = service.save(OFFICIAL, month, scores, submit=True)
    assert submitted.status is EvaluationStatus.SUBMITTED and submitted.submitted_at
    with pytest.raises(RefusedValue) as refused:
        service.save(OFFICIAL, month, scores)
    assert refused.value.code == "evaluation_not_open"


def test_submission_is_signed_when_the_key_is_unlocked(services):
    from kpi_desktop.services.daily import DailyWorkService
    from kpi_desktop.services.self_assessment import SelfAssessmentService
    from kpi_desktop.sync.keys import verify
    from kpi_desktop.sync.signing import evaluation_self_bytes, revision_bytes

    services.keys.create(OFFICIAL, "mat khau du dai 2026", cost=10, replace=True)
    daily = DailyWorkService(services.db, services.paths.attachments_dir, today=lambda: TODAY,
                             keys=services.keys)
    entry = daily.submit(OFFICIAL, daily.save(OFFICIAL, _draft()).id)
    revision = daily.revisions(entry.id)[0]
    public = services.keys.unlocked(OFFICIAL).public_key
    assert verify(public, revision.signature, revision_bytes(revision))
    service = SelfAssessmentService(services.db, keys=services.keys)
    scores = {c.code: c.max_points for c in service.criteria()}
    service.save(OFFICIAL, Period.containing(TODAY), scores, submit=True)
    with services.db.unit_of_work(read_only=True) as uow:
        evaluation = uow.evaluations.get_monthly(OFFICIAL, Period.containing(TODAY))
    assert verify(public, evaluation.self_signature, evaluation_self_bytes(evaluation))
