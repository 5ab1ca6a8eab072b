"""Assigning work (giao nhiệm vụ, Điều 18): catalog items with quantity and deadline per period.

Only the person's evaluator (direct or acting) assigns; a locked month takes no new work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from kpi_desktop.domain.errors import InvalidState, NotFound, RefusedValue
from kpi_desktop.domain.model import (
    Assignment,
    AssignmentStatus,
    EntryStatus,
    EvaluationStatus,
    KpiKind,
    Period,
    PeriodKind,
    new_id,
    normalize_text,
    utc_now,
)
from kpi_desktop.services.leadership import (
    audit,
    evaluatee_ids,
    person_or_fail,
    require_evaluator,
    today_function,
)

LOCKED = (EvaluationStatus.CONFIRMED, EvaluationStatus.LOCKED)


@dataclass(frozen=True)
class AssignmentRow:
    """An assignment with the names and progress the table shows."""

    assignment: Assignment
    person_name: str
    item_code: str
    item_name_vi: str
    item_name_en: str
    unit_of_output: str
    completed_quantity: Decimal
    pending_quantity: Decimal


@dataclass(frozen=True)
class PersonProgress:
    """Assigned vs completed, in converted (standard) units, for one person and period."""

    person_id: str
    person_name: str
    assignments: int
    assigned_units: Decimal
    completed_units: Decimal
    pending_units: Decimal

    @property
    def completed_share(self) -> Decimal | None:
        if self.assigned_units == 0:
            return None
        return self.completed_units * 100 / self.assigned_units


@dataclass(frozen=True)
class CopyResult:
    copied: dict[str, int]
    skipped: dict[str, str]  # person id → why ("has_assignments", "nothing_to_copy")


def parse_assignment_period(text: str | Period) -> Period:
    """A month or a quarter ("2026-11", "2026-Q4")."""
    period = text if isinstance(text, Period) else Period.parse(normalize_text(str(text)))
    if period.kind not in (PeriodKind.MONTH, PeriodKind.QUARTER):
        raise RefusedValue("period_malformed", value=str(text))
    return period


def parse_quantity(value: Decimal | str | int | float) -> Decimal:
    try:
        quantity = Decimal(normalize_text(str(value)).replace(",", "."))
    except InvalidOperation:
        raise RefusedValue("decimal_malformed", value=str(value)) from None
    if not quantity.is_finite() or quantity <= 0:
        raise RefusedValue("quantity_not_positive", value=str(value))
    return quantity


class AssignmentService:
    """A leader's assignments."""

    def __init__(self, db: Any, *, today: dt.date | Callable[[], dt.date] | None = None) -> None:
        self._db = db
        self._today = today_function(today)

    def today(self) -> dt.date:
        return self._today()

    def people(self, leader_id: str) -> list[tuple[str, str]]:
        """(id, name) of the people ``leader_id`` may assign work to, by name."""
        with self._db.unit_of_work(read_only=True) as uow:
            ids = evaluatee_ids(uow, leader_id, self.today())
            people = uow.org.get_people(ids)
            return sorted(((p.id, p.full_name) for p in people.values()),
                          key=lambda pair: (pair[1], pair[0]))

    def allowed_items(self, person_id: str) -> list[Any]:
        """The catalog items ``person_id``'s job position may use (what can be assigned)."""
        with self._db.unit_of_work(read_only=True) as uow:
            return uow.catalog.allowed_items(person_id)

    def assign(self, leader_id: str, person_id: str, item_code: str,
               period: str | Period, quantity: Decimal | str, deadline: dt.date | None, *,
               note: str = "", kpi_kind: KpiKind | None = None) -> Assignment:
        """Assign ``quantity`` of catalog item ``item_code`` to ``person_id`` for ``period``.

        Raises:
            RefusedValue / NotFound / InvalidState: with the codes of ``messages``; nothing
            is written then.
        """
        target = parse_assignment_period(period)
        amount = parse_quantity(quantity)
        if deadline is None:
            raise RefusedValue("date_malformed", value="")
        if deadline < target.start:
            raise RefusedValue("deadline_before_period", deadline=deadline.isoformat(),
                               period=str(target))
        now = utc_now()
        with self._db.unit_of_work() as uow:
            require_evaluator(uow, leader_id, person_id, self.today())
            item = uow.catalog.find_item_by_code(normalize_text(item_code))
            if item is None:
                raise NotFound("not_found", kind="catalog_item", id=item_code)
            if not uow.catalog.is_allowed(person_id, item.id):
                person = person_or_fail(uow, person_id)
                position = (uow.org.get_job_position(person.job_position_id)
                            if person.job_position_id else None)
                raise RefusedValue("item_not_allowed", code=item.code,
                                   position=position.name_vi if position else "")
            _require_open(uow, person_id, target)
            assignment = Assignment(
                id=new_id(), person_id=person_id, assigner_id=leader_id,
                catalog_item_id=item.id, period=target, quantity=amount,
                coefficient=item.coefficient, deadline=deadline, created_at=now,
                kpi_kind=kpi_kind or item.kpi_kind, note=normalize_text(note))
            uow.assignments.add(assignment)
            audit(uow, "assignment.create", "assignment", assignment.id, leader_id,
                  {"person": person_id, "item": item.code, "period": str(target),
                   "quantity": str(amount), "deadline": deadline.isoformat()}, now)
            return assignment

    def cancel(self, leader_id: str, assignment_id: str, reason: str = "") -> None:
        """Cancel an assignment nobody has worked on yet (it no longer counts)."""
        now = utc_now()
        with self._db.unit_of_work() as uow:
            assignment = uow.assignments.get(assignment_id)
            require_evaluator(uow, leader_id, assignment.person_id, self.today())
            _require_open(uow, assignment.person_id, assignment.period)
            if uow.worklog.list_for_assignments([assignment_id]):
                raise InvalidState("assignment_has_work", assignment=assignment_id)
            uow.assignments.set_status(assignment_id, AssignmentStatus.CANCELLED, now)
            audit(uow, "assignment.cancel", "assignment", assignment_id, leader_id,
                  {"person": assignment.person_id, "reason": normalize_text(reason)}, now)

    def copy_previous(self, leader_id: str, target: str | Period,
                      person_ids: Iterable[str] | None = None) -> CopyResult:
        """Copy last period's active assignments into ``target`` ("copy last month").

        People who already have assignments in ``target`` are skipped (nothing is doubled).
        """
        dst = parse_assignment_period(target)
        src = dst.previous()
        now = utc_now()
        copied: dict[str, int] = {}
        skipped: dict[str, str] = {}
        with self._db.unit_of_work() as uow:
            ids = list(person_ids) if person_ids is not None else \
                evaluatee_ids(uow, leader_id, self.today())
            for pid in ids:
                require_evaluator(uow, leader_id, pid, self.today())
                _require_open(uow, pid, dst)
                if uow.assignments.list_for_person(pid, dst, statuses=[AssignmentStatus.ACTIVE]):
                    skipped[pid] = "has_assignments"
                    continue
                copies = uow.assignments.copy_period(pid, src, dst, assigner_id=leader_id,
                                                     created_at=now)
                if not copies:
                    skipped[pid] = "nothing_to_copy"
                    continue
                copied[pid] = len(copies)
                audit(uow, "assignment.copy", "person", pid, leader_id,
                      {"from": str(src), "to": str(dst), "count": len(copies)}, now)
        return CopyResult(copied=copied, skipped=skipped)

    def list(self, leader_id: str, period: str | Period, *,
             person_id: str | None = None) -> list[AssignmentRow]:
        """Active assignments of the leader's people for ``period`` with their progress."""
        target = parse_assignment_period(period)
        with self._db.unit_of_work(read_only=True) as uow:
            ids = evaluatee_ids(uow, leader_id, self.today())
            if person_id is not None:
                ids = [i for i in ids if i == person_id]
            people = uow.org.get_people(ids)
            found = [a for a in uow.assignments.list_for_period(target, person_ids=ids)
                     if a.status is AssignmentStatus.ACTIVE] if ids else []
            items = uow.catalog.get_items({a.catalog_item_id for a in found})
            entries = uow.worklog.list_for_assignments([a.id for a in found])
            done: dict[str, Decimal] = {}
            pending: dict[str, Decimal] = {}
            for entry in entries:
                if entry.status is EntryStatus.CONFIRMED:
                    done[entry.assignment_id] = done.get(entry.assignment_id, Decimal(0)) \
                        + entry.quantity
                elif entry.status is EntryStatus.SUBMITTED:
                    pending[entry.assignment_id] = pending.get(entry.assignment_id,
                                                               Decimal(0)) + entry.quantity
            rows = []
            for a in found:
                item = items.get(a.catalog_item_id)
                rows.append(AssignmentRow(
                    assignment=a, person_name=people[a.person_id].full_name,
                    item_code=item.code if item else "",
                    item_name_vi=item.name_vi if item else "",
                    item_name_en=(item.name_en or item.name_vi) if item else "",
                    unit_of_output=item.unit_of_output if item else "",
                    completed_quantity=done.get(a.id, Decimal(0)),
                    pending_quantity=pending.get(a.id, Decimal(0))))
            return rows

    def progress(self, leader_id: str, period: str | Period) -> list[PersonProgress]:
        """Assigned vs completed (converted units) per person the leader evaluates."""
        rows = self.list(leader_id, period)
        with self._db.unit_of_work(read_only=True) as uow:
            people = uow.org.get_people(evaluatee_ids(uow, leader_id, self.today()))
        result = []
        for pid, person in sorted(people.items(), key=lambda kv: (kv[1].full_name, kv[0])):
            mine = [r for r in rows if r.assignment.person_id == pid]
            assigned = sum((r.assignment.quantity * r.assignment.coefficient for r in mine),
                           Decimal(0))
            completed = sum((min(r.completed_quantity, r.assignment.quantity)
                             * r.assignment.coefficient for r in mine), Decimal(0))
            pending = sum((r.pending_quantity * r.assignment.coefficient for r in mine),
                          Decimal(0))
            result.append(PersonProgress(person_id=pid, person_name=person.full_name,
                                         assignments=len(mine), assigned_units=assigned,
                                         completed_units=completed, pending_units=pending))
        return result


def _require_open(uow: Any, person_id: str, period: Period) -> None:
    for month in period.months():
        evaluation = uow.evaluations.get_monthly(person_id, month)
        if evaluation is not None and evaluation.status in LOCKED:
            raise InvalidState("period_locked", period=str(month))
