"""One real scenario per record kind of the registry, for the tests parametrised over it.

Each scenario runs the application's own services on the official's and the leader's PCs,
exports as they do, and opens the bundles addressed to the agency (with the agency's key):
the rows of the kind under test (an older and, where the kind has versions, a newer record
of the same subject), and every other row the agency needs first (``prereq``). The tests then
carry these rows in bundles of another member, written with the application's own writer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from kpi_desktop.domain.model import (
    AnnualClassification,
    Appeal,
    AppealOutcome,
    AppealStatus,
    DisciplineEvent,
    DisciplineKind,
    EvaluationStatus,
    LeaveKind,
    Level,
    Period,
    StatementKind,
    new_id,
    utc_now,
)
from kpi_desktop.services.daily import EntryDraft
from kpi_desktop.services.sync.kinds import BY_FILE
from kpi_desktop.sync.bundle import read_bundle, write_bundle

from .helpers import LEADER, OFFICIAL, TODAY, World, assigned_week, log_week, opened, review

MONTH = Period.parse("2026-11")
_SEQ = itertools.count(500_000)


@dataclass
class Case:
    """What one kind's scenario produced."""

    file: str
    world: World
    author: str
    carrier: str  # another member who carries the records
    older: list[dict[str, Any]]
    newer: list[dict[str, Any]] | None  # a newer record of the same subject (None: immutable)
    prereq: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    redate: Callable[[Any, dt.datetime], Any] = lambda record, _when: record

    @property
    def kind(self) -> Any:
        return BY_FILE[self.file]


def carry(world: World, carrier: str, records: dict[str, list[dict[str, Any]]],
          agency: Path) -> bytes:
    """A bundle to the agency written by ``carrier`` with the application's writer."""
    with opened(world.official if carrier == OFFICIAL else world.leader, carrier) as pc, \
            pc.db.unit_of_work(read_only=True) as uow:
        key = pc.keys.require(carrier)
        enc = uow.sync.encryption_key("agency")
        org = uow.org.list_organisations()[0]
    return write_bundle(kind="work", sender_id=carrier, recipient_id="agency", seq=next(_SEQ),
                        key=key, records=records, encrypt_to=enc.x25519_public,
                        extra={"organisation": {"id": org.id, "version": org.org_version}})


def _export(world: World, owner: str, tag: str) -> dict[str, list[dict[str, Any]]]:
    """Export ``owner``'s PC; the rows of its bundle to the agency, opened there, and its
    bundle to the other member imported by them."""
    folder = world.official if owner == OFFICIAL else world.leader
    with opened(folder, owner) as pc:
        written = {r.recipient_id: r.path for r in pc.sync.export(owner, world.usb / tag)}
    other, other_folder = ((LEADER, world.leader) if owner == OFFICIAL
                           else (OFFICIAL, world.official))
    if other in written:
        with opened(other_folder, other) as pc:
            results = pc.sync.import_paths([written[other]])
            assert all(r.ok for r in results), [r.error for r in results]
    if "agency" not in written:
        return {}
    with opened(world.agency, "agency") as pc, pc.db.unit_of_work(read_only=True) as uow:
        key = pc.keys.require("agency")
        signer = uow.org.get_person(owner).public_key
        bundle = read_bundle(written["agency"].read_bytes(),
                             signer_key=lambda _fp, _h: signer, decrypt_key=lambda _k: key)
    return bundle.records


def _merge(*parts: dict[str, list[dict[str, Any]]], skip: str,
           keep: Callable[[dict[str, Any]], bool] | None = None
           ) -> dict[str, list[dict[str, Any]]]:
    """Every record row of ``parts`` once (by receipt key), but those of the file ``skip``
    (unless ``keep`` keeps them)."""
    merged: dict[str, dict[str, dict[str, Any]]] = {}
    for part in parts:
        for name, rows in part.items():
            if name not in BY_FILE:
                continue
            kind = BY_FILE[name]
            for row in rows:
                if name == skip and (keep is None or not keep(row)):
                    continue
                merged.setdefault(name, {})[kind.item_key(kind.parse(row))] = row
    return {name: list(rows.values()) for name, rows in merged.items()}


def _only(records: dict[str, list[dict[str, Any]]], file: str,
          keep: Callable[[dict[str, Any]], bool] = lambda _row: True) -> list[dict[str, Any]]:
    rows = [r for r in records.get(file, []) if keep(r)]
    assert rows, (file, sorted(records))
    return rows


# ------------------------------------------------------------------ the scenarios ----------


def _assignments(world: World) -> Case:
    with opened(world.leader, LEADER) as pc:
        item = pc.assignments.allowed_items(OFFICIAL)[0]
        assignment = pc.assignments.assign(LEADER, OFFICIAL, item.code, "2026-11", "2",
                                           dt.date(2026, 11, 27))
    first = _export(world, LEADER, "a1")
    with opened(world.leader) as pc, pc.db.unit_of_work() as uow:
        stored = uow.assignments.get(assignment.id)
        uow.assignments.update(dataclasses.replace(stored, quantity=Decimal(3),
                                                   updated_at=utc_now()))
    second = _export(world, LEADER, "a2")
    return Case("assignments", world, LEADER, OFFICIAL, _only(first, "assignments"),
                _only(second, "assignments"),
                redate=lambda a, when: dataclasses.replace(a, updated_at=when))


def _revise(world: World, entry_id: str) -> None:
    with opened(world.official, OFFICIAL) as pc:
        entry = pc.daily.save(OFFICIAL, EntryDraft(
            work_date=dt.date(2026, 11, 16), item_code=_code(pc, entry_id), quantity="2",
            completed_on=dt.date(2026, 11, 16), output_description="Đã sửa số lượng"),
            entry_id)
        pc.daily.submit(OFFICIAL, entry.id, reason="Sửa số lượng theo ý kiến lãnh đạo")


def _code(pc: Any, entry_id: str) -> str:
    with pc.db.unit_of_work(read_only=True) as uow:
        entry = uow.worklog.get(entry_id)
        return str(uow.catalog.get_item(entry.catalog_item_id).code)


def _revisions(world: World) -> Case:
    with opened(world.official, OFFICIAL) as pc:
        [entry_id] = log_week(pc, days=1)
    first = _export(world, OFFICIAL, "r1")
    with opened(world.official, OFFICIAL) as pc:
        review(pc, LEADER, entry_id, StatementKind.RETURN, "Sai số lượng")
    _revise(world, entry_id)
    second = _export(world, OFFICIAL, "r2")
    return Case("revisions", world, OFFICIAL, LEADER,
                _only(first, "revisions"),
                _only(second, "revisions", lambda r: r["revision"] == 2),
                redate=lambda r, when: dataclasses.replace(r, created_at=when))


def _statements(world: World) -> Case:
    with opened(world.official, OFFICIAL) as pc:
        [entry_id] = log_week(pc, days=1)
    work1 = _export(world, OFFICIAL, "s-o1")
    with opened(world.leader, LEADER) as pc:
        pc.review.return_entry(LEADER, entry_id, "Thiếu số văn bản")
    returned = _export(world, LEADER, "s-l1")
    _revise(world, entry_id)
    work2 = _export(world, OFFICIAL, "s-o2")
    with opened(world.leader, LEADER) as pc:
        pc.review.confirm(LEADER, entry_id)
    confirmed = _export(world, LEADER, "s-l2")
    older = _only(returned, "statements")
    newer = _only(confirmed, "statements", lambda r: r["kind"] == "confirm")
    return Case("statements", world, LEADER, OFFICIAL, older, newer,
                prereq=_merge(work1, work2, skip="statements"),
                redate=lambda s, when: type(s)(dataclasses.replace(s.statement,
                                                                   created_at=when),
                                                s.revision_sha256))


def _criteria(pc: Any, minus: Decimal = Decimal(0)) -> dict[str, Decimal]:
    criteria = {c.code: c.max_points for c in pc.self_assessment.criteria()}
    criteria[sorted(criteria)[0]] -= minus
    return criteria


def _confirmations(world: World) -> Case:
    ids = assigned_week(world, days=2)
    with opened(world.official, OFFICIAL) as pc:
        pc.self_assessment.save(OFFICIAL, MONTH, _criteria(pc), submit=True)
    work = _export(world, OFFICIAL, "e-o1")
    with opened(world.leader, LEADER) as pc:
        for entry_id in ids:
            pc.review.confirm(LEADER, entry_id)
        pc.evaluation.confirm(LEADER, OFFICIAL, MONTH)
    first = _export(world, LEADER, "e-l1")
    with opened(world.leader, LEADER) as pc:
        pc.evaluation.unlock(LEADER, OFFICIAL, MONTH, "Chấm lại tiêu chí chung")
        pc.evaluation.confirm(LEADER, OFFICIAL, MONTH, criteria=_criteria(pc, Decimal(3)),
                              comment="Trừ 3 điểm")
    second = _export(world, LEADER, "e-l2")

    def confirmation(row: dict[str, Any]) -> bool:
        return row["part"] == "confirmation"

    return Case("evaluations", world, LEADER, OFFICIAL, _only(first, "evaluations",
                                                             confirmation),
                _only(second, "evaluations", confirmation),
                prereq=_merge(work, first, second, skip="evaluations",
                              keep=lambda r: r["part"] == "self"),
                redate=lambda p, when: type(p)(p.part, dataclasses.replace(
                    p.evaluation, confirmed_at=when, locked_at=when)))


def _self_assessments(world: World) -> Case:
    with opened(world.official, OFFICIAL) as pc:
        pc.self_assessment.save(OFFICIAL, MONTH, _criteria(pc), submit=True)
    first = _export(world, OFFICIAL, "se1")
    with opened(world.official, OFFICIAL) as pc:
        with pc.db.unit_of_work() as uow:  # reopened to the official (as an unlock does)
            stored = uow.evaluations.get_monthly(OFFICIAL, MONTH)
            uow.evaluations.upsert_monthly(dataclasses.replace(
                stored, status=EvaluationStatus.OPEN))
        pc.self_assessment.save(OFFICIAL, MONTH, _criteria(pc, Decimal(1)), submit=True)
    second = _export(world, OFFICIAL, "se2")
    case = Case("evaluations", world, OFFICIAL, LEADER, _only(first, "evaluations"),
                _only(second, "evaluations"),
                redate=lambda p, when: type(p)(p.part, dataclasses.replace(
                    p.evaluation, submitted_at=when)))
    return case


def _proposals(world: World) -> Case:
    with opened(world.official, OFFICIAL) as pc:
        pc.proposals.propose(person_id=OFFICIAL, name_vi="Báo cáo chuyên đề chuyển đổi số",
                             output_vi="Báo cáo", group="N2", points="20",
                             reason="Nhiệm vụ mới trong năm")
    first = _export(world, OFFICIAL, "p1")
    return Case("proposals", world, OFFICIAL, LEADER, _only(first, "proposals"), None,
                redate=lambda p, when: dataclasses.replace(p, proposed_at=when))


def _file_appeal(world: World) -> str:
    appeal = Appeal(id=new_id(), person_id=OFFICIAL, period=Period.parse("2026-10"),
                    reason="Điểm tiêu chí chung chưa đúng", filed_at=utc_now(),
                    received_on=TODAY)
    with opened(world.official) as pc, pc.db.unit_of_work() as uow:
        uow.sync.put_appeal(appeal)
    return appeal.id


def _appeals(world: World) -> Case:
    appeal_id = _file_appeal(world)
    first = _export(world, OFFICIAL, "f1")
    with opened(world.official) as pc, pc.db.unit_of_work() as uow:
        uow.appeals.update(dataclasses.replace(uow.appeals.get(appeal_id),
                                               status=AppealStatus.WITHDRAWN))
    second = _export(world, OFFICIAL, "f2")
    return Case("appeals", world, OFFICIAL, LEADER, _only(first, "appeals"),
                _only(second, "appeals"),
                redate=lambda a, when: dataclasses.replace(a, filed_at=when))


def _decide(world: World, appeal_id: str, text: str) -> None:
    with opened(world.leader) as pc, pc.db.unit_of_work() as uow:
        uow.appeals.update(dataclasses.replace(
            uow.appeals.get(appeal_id), status=AppealStatus.DECIDED, decision=text,
            outcome=AppealOutcome.UNCHANGED, decided_by=LEADER, decided_at=utc_now()))


def _appeal_decisions(world: World) -> Case:
    appeal_id = _file_appeal(world)
    filed = _export(world, OFFICIAL, "d0")
    _decide(world, appeal_id, "Giữ nguyên kết quả")
    first = _export(world, LEADER, "d1")
    _decide(world, appeal_id, "Giữ nguyên kết quả; đã đối chiếu lại hồ sơ")
    second = _export(world, LEADER, "d2")
    return Case("appeal_decisions", world, LEADER, OFFICIAL, _only(first, "appeal_decisions"),
                _only(second, "appeal_decisions"), prereq=_merge(filed, skip=""),
                redate=lambda d, when: type(d)(dataclasses.replace(d.appeal, decided_at=when),
                                               d.replaced))


def _discipline(world: World) -> Case:
    event = DisciplineEvent(id=new_id(), person_id=OFFICIAL, kind=DisciplineKind.REPRIMAND,
                            decided_on=dt.date(2026, 9, 15), effective_year=2026,
                            created_at=utc_now(), decision_no="15/QĐ-UBND",
                            note="Vi phạm quy chế", recorded_by=LEADER)
    with opened(world.leader) as pc, pc.db.unit_of_work() as uow:
        uow.discipline.add(event)
    first = _export(world, LEADER, "k1")
    return Case("discipline_events", world, LEADER, OFFICIAL,
                _only(first, "discipline_events"), None,
                redate=lambda e, when: dataclasses.replace(e, created_at=when))


def _classification(decided_by: str, level: Level, supersedes: str | None = None
                    ) -> AnnualClassification:
    now = utc_now()
    return AnnualClassification(
        id=new_id(), person_id=OFFICIAL, year=2026, created_at=now, unit_id="hcc",
        months_counted=11, mean=Fraction(1712, 20), computed_level=Level.GOOD,
        decided_level=level, decision_no="20/QĐ-UBND", decision_date=TODAY,
        decided_by=decided_by, decided_at=now, supersedes_id=supersedes,
        reason="Quyết định sau kiến nghị" if supersedes else "")


def _annual(world: World) -> Case:
    first = _classification(LEADER, Level.GOOD)
    with opened(world.leader) as pc, pc.db.unit_of_work() as uow:
        uow.evaluations.add_annual(first)
    one = _export(world, LEADER, "y1")
    with opened(world.leader) as pc, pc.db.unit_of_work() as uow:
        uow.evaluations.add_annual(_classification(LEADER, Level.COMPLETE, first.id))
    two = _export(world, LEADER, "y2")
    return Case("annual_classifications", world, LEADER, OFFICIAL,
                _only(one, "annual_classifications"),
                _only(two, "annual_classifications", lambda r: r["id"] != first.id),
                redate=lambda c, when: dataclasses.replace(c, decided_at=when))


def _leave(world: World) -> Case:
    """Sick leave recorded by the official's evaluator, then removed (a newer version)."""
    with opened(world.leader, LEADER) as pc:
        pc.clock.set(TODAY)
        record = pc.leave.add(LEADER, OFFICIAL, LeaveKind.SICK, start_on=dt.date(2026, 10, 5),
                              end_on=dt.date(2026, 10, 9), decision_no="12/GCN-BV",
                              note="Giấy chứng nhận nghỉ việc hưởng BHXH")
    first = _export(world, LEADER, "lv1")
    with opened(world.leader, LEADER) as pc:
        pc.clock.set(TODAY)
        pc.leave.remove(LEADER, record.id, "Nhập nhầm ngày")
    second = _export(world, LEADER, "lv2")
    return Case("leave_records", world, LEADER, OFFICIAL, _only(first, "leave_records"),
                _only(second, "leave_records"),
                redate=lambda r, when: dataclasses.replace(
                    r, created_at=when, updated_at=when if r.updated_at else None))


#: Scenario name → builder; every registry kind has at least one (the tests check it).
SCENARIOS: dict[str, Callable[[World], Case]] = {
    "assignments": _assignments,
    "revisions": _revisions,
    "statements": _statements,
    "evaluations:confirmation": _confirmations,
    "evaluations:self": _self_assessments,
    "proposals": _proposals,
    "appeals": _appeals,
    "appeal_decisions": _appeal_decisions,
    "discipline_events": _discipline,
    "annual_classifications": _annual,
    "leave_records": _leave,
}
