"""Reconciliation (đối soát) for the chairman and the agency (issue 16 item 16): who has not
logged work for N working days, who has not submitted the month, which leader has not
confirmed their people's work or months — by unit, exportable as CSV.

A head sees the people of their unit and of the units under it (the chairman: everyone); the
agency administrator sees everyone. Working days come from the calendar (holidays and the
agency's days off never count); today is not counted, as the day is not over.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpi_desktop.domain.model import EvaluationStatus, Period, PersonRole
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.services.calendar import calendar_for
from kpi_desktop.services.leadership import evaluatee_ids, today_function
from kpi_desktop.services.messages import month_status_label
from kpi_desktop.services.organisation import direct_evaluator

__all__ = ["DEFAULT_IDLE_DAYS", "Reconciliation", "ReconciliationRow", "ReconciliationService"]

# "Has not logged for N working days": the page's starting N.
DEFAULT_IDLE_DAYS = 3
AGENCY = "agency"


@dataclass(frozen=True)
class ReconciliationRow:
    """One person of the report."""

    unit_id: str
    unit_name: str
    person_id: str
    person_name: str
    position: str
    is_leader: bool
    evaluator_name: str
    last_entry: dt.date | None
    idle_days: int  # working days since the last entry (before today); all of them if none
    month_status: EvaluationStatus  # of the report's month
    waiting: int = 0  # entries waiting for this person's review
    overdue: int = 0  # of which longer than the policy's limit
    months_to_confirm: int = 0  # months submitted to this person and not yet confirmed


@dataclass(frozen=True)
class Reconciliation:
    """The report for one month and one idle limit."""

    period: Period
    idle_limit: int
    today: dt.date
    rows: tuple[ReconciliationRow, ...]

    def not_logging(self, row: ReconciliationRow) -> bool:
        return row.idle_days >= self.idle_limit

    @staticmethod
    def not_submitted(row: ReconciliationRow) -> bool:
        return row.month_status is EvaluationStatus.OPEN

    @staticmethod
    def leader_behind(row: ReconciliationRow) -> bool:
        return bool(row.overdue or row.months_to_confirm)

    def needs_reminder(self, row: ReconciliationRow) -> bool:
        return self.not_logging(row) or self.not_submitted(row) or self.leader_behind(row)

    def counts(self) -> tuple[int, int, int]:
        """(not logging, not submitted, leaders behind)."""
        return (sum(map(self.not_logging, self.rows)), sum(map(self.not_submitted, self.rows)),
                sum(map(self.leader_behind, self.rows)))


class ReconciliationService:
    """Builds the report and writes it as CSV."""

    def __init__(self, db: Any, *, review: Any = None, today: Any = None) -> None:
        self._db = db
        self._review = review
        self._today = today_function(today)

    def today(self) -> dt.date:
        return self._today()

    def can_view(self, viewer_id: str) -> bool:
        """The agency administrator and heads (of a division: their unit; the chairman:
        everyone)."""
        if viewer_id == AGENCY:
            return True
        with self._db.unit_of_work(read_only=True) as uow:
            person = uow.org.find_person(viewer_id)
        return person is not None and person.role in (PersonRole.HEAD, PersonRole.DEPUTY)

    def report(self, viewer_id: str, period: Period, *,
               idle_limit: int = DEFAULT_IDLE_DAYS) -> Reconciliation:
        today = self.today()
        with self._db.unit_of_work(read_only=True) as uow:
            units = {u.id: u for u in uow.org.list_units()}
            scope = self._scope(uow, viewer_id, units)
            people = [p for p in uow.org.list_people() if p.unit_id in scope]
            positions = {p.id: p for p in uow.org.list_job_positions()}
            last = uow.worklog.last_work_dates([p.id for p in people])
            evaluations = {e.person_id: e.status for e in uow.evaluations.list_monthly(
                person_ids=[p.id for p in people], period=period)} if people else {}
            first = min([d for d in last.values()] + [period.start, today.replace(day=1)])
            calendar = calendar_for(uow, first, today)
            yesterday = today - dt.timedelta(days=1)
            rows = []
            for person in people:
                staff = evaluatee_ids(uow, person.id, today)
                submitted = uow.evaluations.list_monthly(
                    person_ids=staff, statuses=[EvaluationStatus.SUBMITTED]) if staff else []
                evaluator = direct_evaluator(uow, person.id, today)
                since = last.get(person.id)
                start = since + dt.timedelta(days=1) if since else (
                    person.joined_on or period.start)
                idle = len(calendar.working_days(start, yesterday)) if start <= yesterday else 0
                unit = units.get(person.unit_id)
                position = positions.get(person.job_position_id or "")
                rows.append(ReconciliationRow(
                    unit_id=person.unit_id, unit_name=unit.name_vi if unit else "",
                    person_id=person.id, person_name=person.full_name,
                    position=position.name_vi if position else "",
                    is_leader=bool(staff), evaluator_name=evaluator.full_name if evaluator
                    else "", last_entry=since, idle_days=idle,
                    month_status=evaluations.get(person.id, EvaluationStatus.OPEN),
                    months_to_confirm=len(submitted)))
        if self._review is not None:
            rows = [self._with_waiting(row) if row.is_leader else row for row in rows]
        order = {uid: index for index, uid in enumerate(
            sorted(units, key=lambda u: (units[u].parent_id is not None, units[u].name_vi)))}
        rows.sort(key=lambda r: (order.get(r.unit_id, 99), not r.is_leader, r.person_name))
        return Reconciliation(period=period, idle_limit=idle_limit, today=today,
                              rows=tuple(rows))

    def _with_waiting(self, row: ReconciliationRow) -> ReconciliationRow:
        from dataclasses import replace

        waiting, overdue = self._review.waiting_counts(row.person_id)
        return replace(row, waiting=waiting, overdue=overdue)

    @staticmethod
    def _scope(uow: Any, viewer_id: str, units: dict[str, Any]) -> set[str]:
        """The units whose people ``viewer_id`` may see (their unit and those under it)."""
        if viewer_id == AGENCY:
            return set(units)
        viewer = uow.org.find_person(viewer_id)
        if viewer is None or viewer.role not in (PersonRole.HEAD, PersonRole.DEPUTY):
            return set()
        scope, added = {viewer.unit_id}, True
        while added:
            found = {u.id for u in units.values() if u.parent_id in scope} - scope
            scope |= found
            added = bool(found)
        return scope

    # ---------------------------------------------------------------- export --------------
    @staticmethod
    def columns() -> list[str]:
        return [translate("Reconciliation", "Unit"), translate("Reconciliation", "Name"),
                translate("Reconciliation", "Position"),
                translate("Reconciliation", "Evaluator"),
                translate("Reconciliation", "Last work logged"),
                translate("Reconciliation", "Working days without an entry"),
                translate("Reconciliation", "Month"),
                translate("Reconciliation", "Entries waiting for review"),
                translate("Reconciliation", "Of which overdue"),
                translate("Reconciliation", "Months to confirm"),
                translate("Reconciliation", "Needs a reminder")]

    def write_csv(self, report: Reconciliation, path: Path,
                  rows: Sequence[ReconciliationRow] | None = None) -> Path:
        """Write ``report`` (or ``rows`` of it) as CSV for Excel (UTF-8 with BOM, dates
        yyyy-mm-dd), through a temporary name."""
        path = Path(path)
        partial = path.with_name(path.name + ".part")
        with partial.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(self.columns())
            for row in rows if rows is not None else report.rows:
                writer.writerow(self._csv_row(report, row))
        os.replace(partial, path)
        return path

    @staticmethod
    def _csv_row(report: Reconciliation, row: ReconciliationRow) -> Iterable[Any]:
        yes, no = translate("Reconciliation", "yes"), translate("Reconciliation", "no")
        return [row.unit_name, row.person_name, row.position, row.evaluator_name,
                row.last_entry.isoformat() if row.last_entry else "", row.idle_days,
                month_status_label(row.month_status), row.waiting if row.is_leader else "",
                row.overdue if row.is_leader else "",
                row.months_to_confirm if row.is_leader else "",
                yes if report.needs_reminder(row) else no]
