"""Repositories round-trip every entity type exactly, on a real SQLite file."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest
from storage_seed import T0, Org, build_org

from kpi_desktop.domain.errors import InvalidState, NotFound, RefusedValue
from kpi_desktop.domain.model import (
    AnnualClassification,
    Appeal,
    AppealOutcome,
    AppealStatus,
    Assignment,
    AssignmentStatus,
    AuditEvent,
    CalendarDay,
    CalendarDayKind,
    CatalogVersion,
    DisciplineAuthority,
    DisciplineEvent,
    DisciplineKind,
    EntryRevision,
    EntryStatus,
    EvaluationStatus,
    EvaluatorKind,
    EvaluatorRelation,
    ExtraKind,
    JobPositionItem,
    KpiKind,
    Level,
    MonthlyEvaluation,
    OrgEvaluation,
    OrgIndicator,
    Period,
    PersonKey,
    PolicyVersion,
    ReviewStatement,
    StatementKind,
    Unit,
    UnitMembership,
    WorkLogEntry,
)
from kpi_desktop.storage.engine import Database
from kpi_desktop.storage.repositories import AuditRepository, snapshot_of

MARCH = Period.parse("2026-03")


def _entry(org: Org, entry_id: str = "e-1", **changes: object) -> WorkLogEntry:
    entry = WorkLogEntry(
        id=entry_id, person_id=org.official.id, work_date=dt.date(2026, 3, 2),
        catalog_item_id=org.shared_item.id, quantity=Decimal("2"),
        coefficient=org.shared_item.coefficient, created_at=T0, updated_at=T0,
        time_norm_minutes=Decimal("30"), complexity_level=1, output_doc_number="12/TB-UBND",
        output_description="Thông báo họp giao ban", deadline=dt.date(2026, 3, 5),
        completed_on=dt.date(2026, 3, 2),
    )
    return replace(entry, **changes)


def _assignment(org: Org, assignment_id: str = "a-1", **changes: object) -> Assignment:
    assignment = Assignment(
        id=assignment_id, person_id=org.official.id, assigner_id=org.head.id,
        catalog_item_id=org.office_item.id, period=MARCH, quantity=Decimal("4"),
        coefficient=org.office_item.coefficient, deadline=dt.date(2026, 3, 31), created_at=T0,
        kpi_kind=KpiKind.HARD, note="Ưu tiên", signature=b"\x01\x02", key_fingerprint="fp-head",
    )
    return replace(assignment, **changes)


# ------------------------------------------------------------------------------------------
# Round trips
# ------------------------------------------------------------------------------------------


def test_organisation_round_trips(db: Database, org: Org) -> None:
    with db.unit_of_work(read_only=True) as uow:
        assert uow.org.get_organisation(org.organisation.id) == org.organisation
        assert uow.org.list_units() == sorted([org.commune, org.office, org.cadastre],
                                              key=lambda u: u.id)
        assert uow.org.child_units(org.commune.id) == [org.cadastre, org.office]
        assert uow.org.get_job_position(org.clerk_position.id) == org.clerk_position
        assert uow.org.get_job_position(org.survey_position.id).field_codes == ("DC", "XD")
        assert uow.org.list_job_positions(unit_id=org.office.id) == [org.survey_position,
                                                                     org.clerk_position]
        for person in (org.head, org.official, org.surveyor):
            assert uow.org.get_person(person.id) == person
        assert [p.id for p in uow.org.list_people(unit_id=org.office.id)] == [org.official.id]
        assert set(uow.org.get_people([org.head.id, "nobody"])) == {org.head.id}
        with pytest.raises(NotFound) as caught:
            uow.org.get_person("nobody")
        assert caught.value.params == {"kind": "person", "id": "nobody"}


def test_updates_replace_the_stored_records(db: Database, org: Org) -> None:
    with db.unit_of_work() as uow:
        uow.org.update_organisation(replace(org.organisation, org_version=2))
        uow.org.update_unit(replace(org.office, active=False, merged_into_id=org.commune.id))
        uow.org.update_person(replace(org.official, unit_id=org.cadastre.id, active=False,
                                      left_on=dt.date(2026, 6, 30)))
        uow.org.update_job_position(replace(org.clerk_position, leadership=True))
    with db.unit_of_work(read_only=True) as uow:
        assert uow.org.get_organisation(org.organisation.id).org_version == 2
        assert uow.org.get_unit(org.office.id).merged_into_id == org.commune.id
        assert uow.org.list_units(active_only=True) == [org.cadastre, org.commune]
        assert uow.org.get_person(org.official.id).left_on == dt.date(2026, 6, 30)
        assert org.official.id not in {p.id for p in uow.org.list_people()}
        assert uow.org.get_job_position(org.clerk_position.id).leadership is True
    with pytest.raises(NotFound), db.unit_of_work() as uow:
        uow.org.update_unit(Unit(id="ghost", organisation_id="org-nl", name_vi="Ma"))


def test_keys_keep_their_history(db: Database, org: Org) -> None:
    t1 = T0 + dt.timedelta(days=30)
    with db.unit_of_work() as uow:
        uow.org.set_person_key(org.official.id, b"k" * 32, "fp-1", T0)
        uow.org.set_person_key(org.official.id, b"k" * 32, "fp-1", T0)  # no-op
        uow.org.set_person_key(org.official.id, b"n" * 32, "fp-2", t1)
    with db.unit_of_work(read_only=True) as uow:
        person = uow.org.get_person(org.official.id)
        assert (person.public_key, person.key_fingerprint) == (b"n" * 32, "fp-2")
        assert uow.org.list_person_keys(org.official.id) == [
            PersonKey(fingerprint="fp-1", person_id=org.official.id, public_key=b"k" * 32,
                      valid_from=T0, revoked_at=t1),
            PersonKey(fingerprint="fp-2", person_id=org.official.id, public_key=b"n" * 32,
                      valid_from=t1),
        ]
    with db.unit_of_work() as uow:
        uow.org.revoke_key("fp-2", t1)
        assert uow.org.get_person(org.official.id).key_fingerprint is None
        assert uow.org.find_key("fp-2") == PersonKey(
            fingerprint="fp-2", person_id=org.official.id, public_key=b"n" * 32,
            valid_from=t1, revoked_at=t1)


def test_memberships_and_evaluator_relations_follow_dates(db: Database, org: Org) -> None:
    moved = dt.date(2026, 7, 1)
    acting = EvaluatorRelation(id="r-acting", evaluator_id=org.surveyor.id,
                               evaluatee_id=org.official.id, start_on=dt.date(2026, 8, 1),
                               end_on=dt.date(2026, 8, 15), kind=EvaluatorKind.ACTING,
                               delegated_by_id=org.head.id, note="Nghỉ phép")
    with db.unit_of_work() as uow:
        uow.org.end_membership(f"m-{org.official.id}", moved - dt.timedelta(days=1))
        uow.org.add_membership(UnitMembership(id="m-2", person_id=org.official.id,
                                              unit_id=org.cadastre.id, start_on=moved,
                                              reason="Điều động"))
        uow.org.add_evaluator_relation(acting)
    with db.unit_of_work(read_only=True) as uow:
        history = uow.org.memberships_of(org.official.id)
        assert [m.unit_id for m in history] == [org.office.id, org.cadastre.id]
        assert history[0].end_on == dt.date(2026, 6, 30)
        assert [m.person_id for m in uow.org.members_of(org.office.id, on=moved)] == []
        assert [m.person_id for m in uow.org.members_of(org.cadastre.id, on=moved)] == [
            org.official.id, org.surveyor.id]
        in_june = uow.org.members_of(org.office.id, start=dt.date(2026, 6, 1),
                                     end=dt.date(2026, 6, 30))
        assert [m.person_id for m in in_june] == [org.official.id]
        day = dt.date(2026, 8, 10)
        assert [r.id for r in uow.org.evaluators_of(org.official.id, day)] == [
            "r-acting", f"r-{org.official.id}"]
        assert uow.org.evaluators_of(org.official.id, dt.date(2026, 8, 16))[0].kind is (
            EvaluatorKind.DIRECT)
        assert {r.evaluatee_id for r in uow.org.evaluatees_of(org.head.id, day)} == {
            org.official.id, org.surveyor.id}
        assert uow.org.evaluatees_of(org.surveyor.id, day) == [acting]
        assert len(uow.org.list_evaluator_relations()) == 3


def test_catalog_round_trips_and_versions(db: Database, org: Org) -> None:
    newer = CatalogVersion(id="qd300", label="QĐ 300", standard_unit_points=Decimal("5.0"),
                           published_at=T0 + dt.timedelta(days=1))
    with db.unit_of_work() as uow:
        assert uow.catalog.active_version() == org.version
        uow.catalog.add_version(newer)
        uow.catalog.add_items([replace(org.shared_item, id="qd300:DC.27",
                                       catalog_version_id="qd300")])
    with db.unit_of_work(read_only=True) as uow:
        assert uow.catalog.get_version("qd300").standard_unit_points.as_tuple() == (
            Decimal("5.0").as_tuple())
        for item in (org.shared_item, org.leader_item, org.office_item, org.survey_item):
            assert uow.catalog.get_item(item.id) == item
        assert uow.catalog.find_item_by_code("DC.27") == org.shared_item
        assert uow.catalog.find_item_by_code("DC.27", version_id="qd300").id == "qd300:DC.27"
        assert [i.code for i in uow.catalog.list_items()] == ["DC.05", "DC.27", "QL.01", "VP.03"]
        assert [v.id for v in uow.catalog.list_versions()] == ["qd283", "qd300"]
    with db.unit_of_work() as uow:
        uow.catalog.activate_version("qd300")
    with db.unit_of_work(read_only=True) as uow:
        assert uow.catalog.active_version().id == "qd300"  # type: ignore[union-attr]
        assert [i.id for i in uow.catalog.list_items()] == ["qd300:DC.27"]


def test_allowed_items_follow_rules_or_the_explicit_list(db: Database, org: Org) -> None:
    with db.unit_of_work() as uow:
        codes = {p.id: [i.code for i in uow.catalog.allowed_items(p.id)]
                 for p in (org.head, org.official, org.surveyor)}
        assert codes == {
            org.head.id: ["DC.27", "QL.01"],  # shared + leadership (head, no position)
            org.official.id: ["DC.27", "VP.03"],  # shared + its field VP
            org.surveyor.id: ["DC.05", "DC.27"],  # shared + its field DC
        }
        assert uow.catalog.is_allowed(org.official.id, org.office_item.id)
        assert not uow.catalog.is_allowed(org.official.id, org.leader_item.id)
        uow.catalog.add_position_items([JobPositionItem(job_position_id=org.clerk_position.id,
                                                        catalog_item_id=org.survey_item.id)])
        assert [i.code for i in uow.catalog.allowed_items(org.official.id)] == ["DC.05"]
        assert not uow.catalog.is_allowed(org.official.id, org.office_item.id)
        uow.catalog.set_position_items(org.clerk_position.id, [org.office_item.id,
                                                               org.shared_item.id])
        assert uow.catalog.position_item_ids(org.clerk_position.id) == {
            org.office_item.id, org.shared_item.id}
        uow.catalog.set_position_items(org.clerk_position.id, [])
        assert [i.code for i in uow.catalog.allowed_items(org.official.id)] == ["DC.27", "VP.03"]


def test_search_ignores_diacritics_and_ranks_by_usage(db: Database, org: Org) -> None:
    with db.unit_of_work() as uow:
        assert [i.code for i in uow.catalog.search("xu ly don")] == ["VP.03"]
        assert [i.code for i in uow.catalog.search("XỬ LÝ ĐƠN")] == ["VP.03"]
        assert [i.code for i in uow.catalog.search("ho so dia")] == ["DC.05"]
        assert [i.code for i in uow.catalog.search("dc.2")] == ["DC.27"]
        assert [i.code for i in uow.catalog.search("invitation")] == ["DC.27"]
        assert uow.catalog.search("100%_") == []
        # Restricted to the person's items; the most used first.
        assert [i.code for i in uow.catalog.search("", person_id=org.official.id)] == [
            "DC.27", "VP.03"]
        uow.worklog.add_many([
            _entry(org, f"e-{n}", catalog_item_id=org.office_item.id) for n in range(3)
        ] + [_entry(org, "e-x")])
        assert uow.catalog.usage_counts(org.official.id) == {"VP.03": 3, "DC.27": 1}
        assert [i.code for i in uow.catalog.search("", person_id=org.official.id)] == [
            "VP.03", "DC.27"]
        assert len(uow.catalog.search("", limit=2)) == 2


def test_assignments_round_trip_and_copy(db: Database, org: Org) -> None:
    january = _assignment(org, "a-jan", period=Period.parse("2026-01"),
                          deadline=dt.date(2026, 1, 31))
    cancelled = _assignment(org, "a-off", period=Period.parse("2026-01"),
                            status=AssignmentStatus.CANCELLED)
    with db.unit_of_work() as uow:
        uow.assignments.add(_assignment(org))
        uow.assignments.add_many([january, cancelled])
        copies = uow.assignments.copy_period(org.official.id, "2026-01", "2026-02",
                                             assigner_id=org.head.id, created_at=T0)
    assert [c.deadline for c in copies] == [dt.date(2026, 2, 28)]
    with db.unit_of_work(read_only=True) as uow:
        assert uow.assignments.get("a-1") == _assignment(org)
        assert uow.assignments.list_for_person(org.official.id, MARCH) == [_assignment(org)]
        assert uow.assignments.list_for_person(org.official.id, "2026-02") == copies
        assert copies[0].signature is None and copies[0].id not in {"a-jan", "a-off"}
        assert [a.id for a in uow.assignments.list_for_person(
            org.official.id, "2026-01", statuses=[AssignmentStatus.ACTIVE])] == ["a-jan"]
        assert len(uow.assignments.list_for_period("2026-01")) == 2
        assert uow.assignments.list_for_period("2026-01", person_ids=[org.head.id]) == []
        assert len(uow.assignments.list_by_assigner(org.head.id, MARCH)) == 1
        quarter = Period.parse("2026-Q1").months()
        assert len(uow.assignments.list_for_periods(org.official.id, quarter)) == 4
        assert set(uow.assignments.get_many(["a-1", "zz"])) == {"a-1"}
    with db.unit_of_work() as uow:
        uow.assignments.set_status("a-1", AssignmentStatus.REASSIGNED, T0)
        uow.assignments.update(replace(uow.assignments.get("a-jan"), quantity=Decimal("7.50")))
    with db.unit_of_work(read_only=True) as uow:
        assert uow.assignments.get("a-1").status is AssignmentStatus.REASSIGNED
        assert str(uow.assignments.get("a-jan").quantity) == "7.50"


def test_work_log_workflow_with_revisions_and_statements(db: Database, org: Org) -> None:
    t1, t2, t3 = (T0 + dt.timedelta(hours=h) for h in (1, 2, 3))
    with db.unit_of_work() as uow:
        uow.assignments.add(_assignment(org))
        uow.worklog.add_draft(_entry(org, assignment_id="a-1"))
        uow.worklog.update_draft(_entry(org, assignment_id="a-1", quantity=Decimal("3"),
                                        status=EntryStatus.CONFIRMED, updated_at=t1))
        stored = uow.worklog.get("e-1")
        assert stored.quantity == 3 and stored.status is EntryStatus.DRAFT  # status kept
        expected_text, expected_sha = snapshot_of(stored)
        revision = uow.worklog.submit("e-1", author_id=org.official.id, at=t1,
                                      signature=b"sig-1", key_fingerprint="fp-lan")
    assert revision == EntryRevision(entry_id="e-1", revision=1, snapshot_json=expected_text,
                                     snapshot_sha256=expected_sha, created_at=t1,
                                     author_id=org.official.id, signature=b"sig-1",
                                     key_fingerprint="fp-lan")
    assert hashlib.sha256(revision.snapshot_json.encode()).hexdigest() == expected_sha
    assert '"quantity":"3"' in revision.snapshot_json

    with db.unit_of_work() as uow:
        entry = uow.worklog.get("e-1")
        assert (entry.status, entry.current_revision, entry.signature) == (
            EntryStatus.SUBMITTED, 1, b"sig-1")
        with pytest.raises(InvalidState):
            uow.worklog.update_draft(entry)
        with pytest.raises(InvalidState):
            uow.worklog.submit("e-1", author_id=org.official.id, at=t1)
        with pytest.raises(InvalidState):
            uow.worklog.delete_draft("e-1")
        uow.reviews.add_many([
            ReviewStatement(id="s-1", entry_id="e-1", revision=1, reviewer_id=org.head.id,
                            kind=StatementKind.QUALITY_FAILED, created_at=t2,
                            reason="Sai số liệu"),
            ReviewStatement(id="s-2", entry_id="e-1", revision=1, reviewer_id=org.head.id,
                            kind=StatementKind.RETURN, created_at=t2, reason="Sửa lại",
                            signature=b"sig-h", key_fingerprint="fp-head"),
        ])
        uow.worklog.set_status("e-1", EntryStatus.RETURNED, at=t2)

    with db.unit_of_work() as uow:
        uow.worklog.update_draft(replace(uow.worklog.get("e-1"), quantity=Decimal("2.5"),
                                         updated_at=t3))
        with pytest.raises(RefusedValue) as caught:
            uow.worklog.submit("e-1", author_id=org.official.id, at=t3, reason="  ")
        assert caught.value.code == "revision_reason_missing"
        second = uow.worklog.submit("e-1", author_id=org.official.id, at=t3,
                                    reason="Đã sửa số liệu")
        assert second.revision == 2 and second.snapshot_sha256 != expected_sha
        uow.reviews.add(ReviewStatement(id="s-3", entry_id="e-1", revision=2,
                                        reviewer_id=org.head.id, kind=StatementKind.DELAY,
                                        created_at=t3))
        uow.reviews.add(ReviewStatement(id="s-4", entry_id="e-1", revision=2,
                                        reviewer_id=org.head.id, kind=StatementKind.CONFIRM,
                                        created_at=t3))
        uow.worklog.set_status("e-1", EntryStatus.CONFIRMED, at=t3, confirmed_revision=2)

    with db.unit_of_work(read_only=True) as uow:
        entry = uow.worklog.get("e-1")
        assert (entry.status, entry.current_revision, entry.confirmed_revision) == (
            EntryStatus.CONFIRMED, 2, 2)
        assert [r.revision for r in uow.worklog.revisions("e-1")] == [1, 2]
        assert uow.worklog.get_revision("e-1", 2) == second
        assert [s.id for s in uow.reviews.list_for_entry("e-1")] == ["s-1", "s-2", "s-3", "s-4"]
        assert uow.reviews.get("s-2").signature == b"sig-h"
        assert uow.reviews.latest_verdicts(["e-1", "e-none"])["e-1"].id == "s-4"
        tally = uow.reviews.tallies(["e-1", "e-none"])
        assert (tally["e-1"].failed_reviews, tally["e-1"].delays, tally["e-1"].verdict,
                tally["e-1"].verdict_revision) == (1, 1, StatementKind.CONFIRM, 2)
        assert tally["e-none"].verdict is None and tally["e-none"].failed_reviews == 0
        assert [s.id for s in uow.reviews.list_by_reviewer(org.head.id, since=t3)] == [
            "s-3", "s-4"]
        assert [e.id for e in uow.worklog.list_for_assignments(["a-1"])] == ["e-1"]


def test_statements_need_an_existing_revision(db: Database, org: Org) -> None:
    with db.unit_of_work() as uow:
        uow.worklog.add_draft(_entry(org))
    with pytest.raises(RefusedValue) as caught, db.unit_of_work() as uow:
        uow.reviews.add(ReviewStatement(id="s-x", entry_id="e-1", revision=1,
                                        reviewer_id=org.head.id, kind=StatementKind.CONFIRM,
                                        created_at=T0))
    assert caught.value.code == "reference_unknown"


def test_work_log_queries(db: Database, org: Org) -> None:
    days = [dt.date(2026, 2, 27), dt.date(2026, 3, 1), dt.date(2026, 3, 31), dt.date(2026, 4, 1)]
    with db.unit_of_work() as uow:
        uow.worklog.add_many([
            _entry(org, f"e-{n}", work_date=day,
                   status=EntryStatus.SUBMITTED if n % 2 else EntryStatus.DRAFT)
            for n, day in enumerate(days)
        ] + [_entry(org, "e-minh", person_id=org.surveyor.id, extra_kind=ExtraKind.AD_HOC,
                    taken_over_from_id=org.official.id)])
        uow.worklog.add_draft(_entry(org, "e-draft", work_date=dt.date(2026, 3, 15)))
        uow.worklog.delete_draft("e-draft")
    with db.unit_of_work(read_only=True) as uow:
        assert [e.id for e in uow.worklog.list_for_period(org.official.id, MARCH)] == [
            "e-1", "e-2"]
        assert [e.id for e in uow.worklog.list_for_person(
            org.official.id, dt.date(2026, 2, 1), dt.date(2026, 12, 31),
            statuses=[EntryStatus.SUBMITTED])] == ["e-1", "e-3"]
        assert [e.id for e in uow.worklog.list_by_status(EntryStatus.SUBMITTED)] == [
            "e-1", "e-3"]
        inbox = uow.worklog.list_for_people([org.official.id, org.surveyor.id],
                                            start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
        assert [e.id for e in inbox] == ["e-1", "e-2", "e-minh"]  # by person id
        assert uow.worklog.get("e-minh").is_extra
        assert uow.worklog.find("e-draft") is None
        assert set(uow.worklog.get_many(["e-0", "e-9"])) == {"e-0"}
        assert uow.worklog.count_by_status([org.official.id]) == {
            EntryStatus.DRAFT: 2, EntryStatus.SUBMITTED: 2}


def test_evaluations_round_trip_exactly(db: Database, org: Org) -> None:
    scores = {"I.1": Decimal("4.5"), "I.2": Decimal("5"), "II.1": Decimal("2.50")}
    evaluation = MonthlyEvaluation(
        person_id=org.official.id, period=MARCH, status=EvaluationStatus.CONFIRMED,
        unit_id=org.office.id, self_criteria=scores, confirmed_criteria={"I.1": Decimal("4")},
        evaluator_id=org.head.id, comment="Tốt", d=Decimal("100"), dd=Decimal("50"),
        e=Decimal("100"), a=Fraction(245, 3), b=Fraction(81), c=Fraction("84.75"),
        task_ratio=Fraction(1, 3), task_points=Fraction(70), general_points=Fraction(27),
        total=Fraction(90), level=Level.EXCELLENT, policy_version="nd335-2025.1",
        submitted_at=T0, confirmed_at=T0, updated_at=T0, self_signature=b"s",
        self_key_fingerprint="fp-lan", evaluator_signature=b"e", evaluator_key_fingerprint="fp",
    )
    quarter = MonthlyEvaluation(person_id=org.official.id, period=Period.parse("2026-Q1"),
                                insufficient=True)
    with db.unit_of_work() as uow:
        assert uow.evaluations.get_monthly(org.official.id, MARCH) is None
        uow.evaluations.upsert_monthly(replace(evaluation, status=EvaluationStatus.OPEN))
        uow.evaluations.upsert_monthly(evaluation)
        uow.evaluations.add_monthly_many([quarter])
    with db.unit_of_work(read_only=True) as uow:
        stored = uow.evaluations.get_monthly(org.official.id, "2026-03")
        assert stored == evaluation
        assert stored is not None and str(stored.self_criteria["II.1"]) == "2.50"
        assert stored.a == Fraction(245, 3) and stored.total == 90
        assert uow.evaluations.list_monthly(year=2026) == [quarter, evaluation]
        assert uow.evaluations.list_monthly(unit_id=org.office.id) == [evaluation]
        assert uow.evaluations.list_monthly(year=2025) == []
        assert uow.evaluations.evaluated_by(org.head.id, year=2026) == [evaluation]
    with db.unit_of_work() as uow:
        uow.evaluations.set_monthly_status(org.official.id, MARCH, EvaluationStatus.LOCKED)
        assert uow.evaluations.list_monthly(statuses=[EvaluationStatus.LOCKED])[0].period == MARCH


def test_annual_classifications_keep_replaced_decisions(db: Database, org: Org) -> None:
    first = AnnualClassification(
        id="y-1", person_id=org.official.id, year=2026, created_at=T0, unit_id=org.office.id,
        months_counted=12, mean=Fraction(8813, 100), computed_level=Level.GOOD,
        self_level=Level.EXCELLENT, policy_version="nd335-2025.1",
    )
    decided = replace(first, decided_level=Level.GOOD, decided_by=org.head.id, decided_at=T0,
                      decision_no="15/QĐ-UBND", decision_date=dt.date(2026, 12, 10),
                      minutes_ref="BB 03", quota_note="Vượt 1 chỉ tiêu")
    later = T0 + dt.timedelta(days=40)
    replacement = AnnualClassification(
        id="y-2", person_id=org.official.id, year=2026, created_at=later,
        decided_level=Level.COMPLETE, reason="Phát hiện sai sót", supersedes_id="y-1",
        decided_by=org.head.id, decided_at=later,
    )
    with db.unit_of_work() as uow:
        uow.evaluations.add_annual(first)
        uow.evaluations.update_annual(decided)
        with pytest.raises(InvalidState):
            uow.evaluations.update_annual(replace(decided, decided_level=Level.EXCELLENT))
        assert uow.evaluations.current_annual(org.official.id, 2026) == decided
        uow.evaluations.add_annual(replacement)
        with pytest.raises(InvalidState):
            uow.evaluations.add_annual(replace(replacement, id="y-3"))
        with pytest.raises(InvalidState):
            uow.evaluations.add_annual(replace(replacement, id="y-4", supersedes_id="y-2",
                                               person_id=org.surveyor.id))
    with db.unit_of_work(read_only=True) as uow:
        assert uow.evaluations.current_annual(org.official.id, 2026) == replacement
        assert uow.evaluations.annual_history(org.official.id, 2026) == [decided, replacement]
        assert uow.evaluations.list_annual(2026) == [replacement]
        assert len(uow.evaluations.list_annual(2026, current_only=False)) == 2
        assert uow.evaluations.get_annual("y-1").mean == Fraction("88.13")
        assert uow.evaluations.current_annual(org.surveyor.id, 2026) is None


def test_audit_log_appends_and_lists(db: Database, org: Org) -> None:
    events = [AuditEvent(at=T0 + dt.timedelta(minutes=n), action=f"entry.{a}",
                         object_type="entry", object_id="e-1", actor_id=org.official.id,
                         detail={"n": n, "quantity": Decimal("1.50"), "when": dt.date(2026, 3, 1)})
              for n, a in enumerate(("create", "submit", "confirm"))]
    with db.unit_of_work() as uow:
        first = uow.audit.append(events[0])
        assert first.id is not None
        uow.audit.append_many(events[1:])
    with db.unit_of_work(read_only=True) as uow:
        stored = uow.audit.list_events(object_type="entry", object_id="e-1")
        assert [e.action for e in stored] == ["entry.create", "entry.submit", "entry.confirm"]
        assert stored[0].detail == {"n": 0, "quantity": "1.50", "when": "2026-03-01"}
        assert [e.action for e in uow.audit.list_events(newest_first=True, limit=1)] == [
            "entry.confirm"]
        assert len(uow.audit.list_events(since=T0 + dt.timedelta(minutes=1))) == 2
        assert uow.audit.list_events(actor_id="nobody") == []
    public = {name for name in dir(AuditRepository) if not name.startswith("_")}
    assert public == {"append", "append_many", "list_events"}


def test_discipline_appeals_org_results_calendar_policy_settings(db: Database, org: Org) -> None:
    reprimand = DisciplineEvent(
        id="d-1", person_id=org.official.id, kind=DisciplineKind.REPRIMAND,
        decided_on=dt.date(2026, 5, 4), effective_year=2026, created_at=T0,
        authority=DisciplineAuthority.PARTY, decision_no="07-QĐ/ĐU", note="Vi phạm",
        recorded_by=org.head.id)
    same_act = replace(reprimand, id="d-2", authority=DisciplineAuthority.ADMINISTRATIVE,
                       related_event_id="d-1", decided_on=dt.date(2027, 1, 5))
    appeal = Appeal(id="ap-1", person_id=org.official.id, period=MARCH, reason="Chưa đúng",
                    filed_at=T0, received_on=dt.date(2026, 4, 2), signature=b"x",
                    key_fingerprint="fp-lan")
    year_appeal = replace(appeal, id="ap-2", period=Period.parse("2026"))
    indicator = OrgIndicator(id="i-1", unit_id=org.commune.id, period=Period.parse("2026-Q1"),
                             code="on_time_share", value=Decimal("0.975"),
                             policy_version="nd335-2025.1", source="csv")
    level = OrgEvaluation(id="o-1", unit_id=org.commune.id, year=2026, level=Level.GOOD,
                          score=Fraction(171, 2), decision_no="01/QĐ")
    holiday = CalendarDay(day=dt.date(2026, 2, 17), kind=CalendarDayKind.HOLIDAY,
                          name="Tết Nguyên Đán", source="holidays")
    policy = PolicyVersion(version="nd335-2025.1", policy_json='{"a":1}',
                           active_from=dt.date(2026, 1, 1), created_at=T0)
    with db.unit_of_work() as uow:
        uow.discipline.add(reprimand)
        uow.discipline.add_many([same_act])
        uow.appeals.add(appeal)
        uow.appeals.add_many([year_appeal])
        uow.org_results.upsert_indicator(indicator)
        uow.org_results.upsert_indicator(replace(indicator, id="i-other", value=Decimal("0.980")))
        uow.org_results.add_indicators([replace(indicator, id="i-2", code="satisfaction")])
        uow.org_results.upsert_evaluation(level)
        uow.calendar.upsert(holiday)
        uow.calendar.add_many([CalendarDay(day=dt.date(2026, 2, 28),
                                           kind=CalendarDayKind.MAKEUP_WORKDAY)])
        uow.policies.add(policy)
        uow.settings.set("agency_key", "abc")
        uow.settings.set("agency_key", "def")
        uow.settings.set("other", "1")
        uow.settings.delete("other")
    with db.unit_of_work(read_only=True) as uow:
        assert uow.discipline.get("d-1") == reprimand
        assert uow.discipline.list_for_person(org.official.id, year=2026) == [reprimand,
                                                                              same_act]
        assert uow.discipline.list_for_year(2026, person_ids=[org.surveyor.id]) == []
        assert uow.appeals.get("ap-1") == appeal
        assert uow.appeals.get("ap-2").period == Period.parse("2026")
        assert [a.id for a in uow.appeals.list_open()] == ["ap-1", "ap-2"]
        stored = uow.org_results.list_indicators(unit_id=org.commune.id, year=2026)
        assert [(i.id, i.code, str(i.value)) for i in stored] == [
            ("i-1", "on_time_share", "0.980"), ("i-2", "satisfaction", "0.975")]
        assert uow.org_results.get_evaluation(org.commune.id, 2026) == level
        assert uow.org_results.list_evaluations(2026) == [level]
        assert uow.calendar.get(dt.date(2026, 2, 17)) == holiday
        assert [d.kind for d in uow.calendar.between(dt.date(2026, 2, 1),
                                                     dt.date(2026, 2, 28))] == [
            CalendarDayKind.HOLIDAY, CalendarDayKind.MAKEUP_WORKDAY]
        assert uow.policies.get("nd335-2025.1") == policy
        assert uow.policies.list_versions() == [policy]
        assert uow.settings.get("agency_key") == "def"
        assert uow.settings.get("other", "gone") == "gone"
        assert uow.settings.all() == {"agency_key": "def"}
    with db.unit_of_work() as uow:
        uow.appeals.update(replace(appeal, status=AppealStatus.DECIDED, decision="Giữ nguyên",
                                   outcome=AppealOutcome.UNCHANGED, decided_by=org.head.id,
                                   decided_at=T0, decision_signature=b"d"))
        uow.calendar.delete(dt.date(2026, 2, 28))
        uow.org_results.upsert_evaluation(replace(level, id="o-2", level=Level.COMPLETE))
    with db.unit_of_work(read_only=True) as uow:
        assert [a.id for a in uow.appeals.list_open()] == ["ap-2"]
        assert uow.appeals.list_for_person(org.official.id)[0].outcome is AppealOutcome.UNCHANGED
        assert uow.calendar.get(dt.date(2026, 2, 28)) is None
        assert uow.org_results.get_evaluation(org.commune.id, 2026) == replace(
            level, level=Level.COMPLETE)


# ------------------------------------------------------------------------------------------
# Exactness and normalisation
# ------------------------------------------------------------------------------------------


def test_text_is_stored_in_nfc_and_stripped(db: Database, org: Org) -> None:
    nfd = unicodedata.normalize("NFD", "Hồ sơ")
    assert nfd != "Hồ sơ"
    with db.unit_of_work() as uow:
        uow.org.add_unit(Unit(id="u-hs", organisation_id=org.organisation.id,
                              name_vi=f"  {nfd} địa chính "))
        uow.catalog.add_item(replace(org.survey_item, id="qd283:HS.01", code="HS.01",
                                     name_vi=unicodedata.normalize("NFD", "Lưu trữ hồ sơ")))
    with db.unit_of_work(read_only=True) as uow:
        name = uow.org.get_unit("u-hs").name_vi
        assert name == "Hồ sơ địa chính"
        assert unicodedata.is_normalized("NFC", name)
        assert [i.code for i in uow.catalog.search(unicodedata.normalize("NFD", "hồ sơ"))] == [
            "DC.05", "HS.01"]
        assert uow.catalog.get_item("qd283:HS.01").name_vi == "Lưu trữ hồ sơ"


def test_decimals_keep_their_exact_text(db: Database, org: Org) -> None:
    with db.unit_of_work() as uow:
        uow.worklog.add_draft(_entry(org, quantity=Decimal("1.60"),
                                     coefficient=Decimal("1.600"),
                                     time_norm_minutes=Decimal("7.5")))
    with db.unit_of_work(read_only=True) as uow:
        entry = uow.worklog.get("e-1")
        assert isinstance(entry.quantity, Decimal)
        assert str(entry.quantity) == "1.60"
        assert str(entry.coefficient) == "1.600"
        assert str(entry.time_norm_minutes) == "7.5"
        assert str(uow.catalog.get_item(org.shared_item.id).coefficient) == "1.6"


def test_bulk_insert_takes_every_type_in_order(db: Database) -> None:
    o = build_org()
    entries = [
        WorkLogEntry(id=f"bulk-{n}", person_id=o.official.id,
                     work_date=dt.date(2026, 1, 1) + dt.timedelta(days=n % 365),
                     catalog_item_id=o.shared_item.id, quantity=Decimal(1),
                     coefficient=Decimal("1.6"), created_at=T0, updated_at=T0)
        for n in range(3000)
    ]
    with db.unit_of_work() as uow:
        written = uow.bulk_insert([
            o.organisation, o.commune, o.office, o.cadastre, o.clerk_position,
            o.survey_position, o.head, o.official, o.surveyor, o.version, o.shared_item,
            *entries,
        ])
        assert written == 11 + len(entries)
        with pytest.raises(TypeError):
            uow.bulk_insert([object()])
    with db.unit_of_work(read_only=True) as uow:
        assert uow.worklog.count_by_status() == {EntryStatus.DRAFT: 3000}
        assert [i.code for i in uow.catalog.search("giay moi")] == ["DC.27"]
