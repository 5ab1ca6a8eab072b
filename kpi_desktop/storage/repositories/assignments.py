"""Assignment repository: what a leader assigned to whom for which period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from sqlalchemy import select

from kpi_desktop.domain.errors import NotFound
from kpi_desktop.domain.model import Assignment, AssignmentStatus
from kpi_desktop.domain.values import Period, new_id, shift_months
from kpi_desktop.storage.orm import AssignmentRow
from kpi_desktop.storage.repositories._base import Repository, table_of, to_row

_ASSIGN = table_of(AssignmentRow)


def _period(value: Period | str) -> Period:
    return value if isinstance(value, Period) else Period.parse(value)


class AssignmentRepository(Repository):
    """Assignments (giao nhiệm vụ) per person and period (``uow.assignments``)."""

    def add(self, assignment: Assignment) -> None:
        """Store a new assignment."""
        self._insert(_ASSIGN, to_row(assignment))

    def add_many(self, assignments: Sequence[Assignment]) -> int:
        """Bulk-insert assignments (Core executemany)."""
        return self._insert_many(_ASSIGN, [to_row(a) for a in assignments])

    def get(self, assignment_id: str) -> Assignment:
        """The assignment, or ``NotFound``."""
        return self._get(Assignment, _ASSIGN, _ASSIGN.c.id == assignment_id, "assignment",
                         assignment_id)

    def find(self, assignment_id: str) -> Assignment | None:
        """The assignment, or ``None``."""
        return self._one(Assignment, _ASSIGN, _ASSIGN.c.id == assignment_id)

    def get_many(self, assignment_ids: Iterable[str]) -> dict[str, Assignment]:
        """The assignments with these ids that exist, by id."""
        ids = list(dict.fromkeys(assignment_ids))
        if not ids:
            return {}
        found = self._all(Assignment, select(_ASSIGN).where(_ASSIGN.c.id.in_(ids)))
        return {a.id: a for a in found}

    def update(self, assignment: Assignment) -> None:
        """Replace the stored assignment (same id)."""
        if self._update(_ASSIGN, _ASSIGN.c.id == assignment.id, to_row(assignment)) == 0:
            raise NotFound("not_found", kind="assignment", id=assignment.id)

    def set_status(self, assignment_id: str, status: AssignmentStatus, at: dt.datetime) -> None:
        """Change an assignment's status (reassigned away, cancelled)."""
        changed = self._update(_ASSIGN, _ASSIGN.c.id == assignment_id,
                               {"status": status, "updated_at": at})
        if changed == 0:
            raise NotFound("not_found", kind="assignment", id=assignment_id)

    def list_for_person(self, person_id: str, period: Period | str, *,
                        statuses: Iterable[AssignmentStatus] | None = None) -> list[Assignment]:
        """A person's assignments for one period (all statuses unless given), oldest first."""
        stmt = (select(_ASSIGN).where(_ASSIGN.c.person_id == person_id)
                .where(_ASSIGN.c.period == _period(period)))
        if statuses is not None:
            stmt = stmt.where(_ASSIGN.c.status.in_(list(statuses)))
        return self._all(Assignment, stmt.order_by(_ASSIGN.c.created_at, _ASSIGN.c.id))

    def list_for_period(self, period: Period | str, *,
                        person_ids: Iterable[str] | None = None) -> list[Assignment]:
        """Every assignment of a period, optionally for some people, by person then time."""
        stmt = select(_ASSIGN).where(_ASSIGN.c.period == _period(period))
        if person_ids is not None:
            stmt = stmt.where(self._in(_ASSIGN.c.person_id, list(person_ids)))
        return self._all(Assignment, stmt.order_by(_ASSIGN.c.person_id, _ASSIGN.c.created_at,
                                                   _ASSIGN.c.id))

    def list_for_periods(self, person_id: str,
                         periods: Iterable[Period | str]) -> list[Assignment]:
        """A person's assignments over several periods (e.g. the months of a quarter)."""
        texts = [_period(p) for p in periods]
        stmt = (select(_ASSIGN).where(_ASSIGN.c.person_id == person_id)
                .where(_ASSIGN.c.period.in_(texts))
                .order_by(_ASSIGN.c.period, _ASSIGN.c.created_at, _ASSIGN.c.id))
        return self._all(Assignment, stmt)

    def list_by_assigner(self, assigner_id: str, period: Period | str) -> list[Assignment]:
        """What ``assigner_id`` assigned for a period, by person."""
        stmt = (select(_ASSIGN).where(_ASSIGN.c.assigner_id == assigner_id)
                .where(_ASSIGN.c.period == _period(period))
                .order_by(_ASSIGN.c.person_id, _ASSIGN.c.created_at, _ASSIGN.c.id))
        return self._all(Assignment, stmt)

    def copy_period(
        self, person_id: str, source: Period | str, target: Period | str, *,
        assigner_id: str, created_at: dt.datetime,
        make_id: Callable[[], str] = new_id,
    ) -> list[Assignment]:
        """Copy a person's active assignments of ``source`` into ``target`` ("copy last month").

        Copies get new ids, ``assigner_id`` and ``created_at``, no signature, and deadlines moved
        by the distance between the two periods (31 Jan → 28 Feb). Returns the copies.
        """
        src, dst = _period(source), _period(target)
        months = (dst.start.year - src.start.year) * 12 + dst.start.month - src.start.month
        copies = [
            replace(a, id=make_id(), period=dst, assigner_id=assigner_id, created_at=created_at,
                    updated_at=None, deadline=shift_months(a.deadline, months),
                    status=AssignmentStatus.ACTIVE, signature=None, key_fingerprint=None)
            for a in self.list_for_person(person_id, src, statuses=[AssignmentStatus.ACTIVE])
        ]
        self.add_many(copies)
        return copies
