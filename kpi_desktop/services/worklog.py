"""Recording work: add, edit and submit work-log entries (one unit of work per action)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import NotFound, RefusedValue
from kpi_desktop.domain.inputs import MAX_DOC_NUMBER, check_date, check_quantity, check_text
from kpi_desktop.domain.model import (
    AuditEvent,
    EntryStatus,
    EvaluationStatus,
    ExtraKind,
    Period,
    WorkLogEntry,
    new_id,
    normalize_text,
    utc_now,
)
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.sync.signing import submitted_revision_bytes

LOCKED = (EvaluationStatus.CONFIRMED, EvaluationStatus.LOCKED)


class WorkLogService:
    """The official's daily work log."""

    def __init__(self, db: Any, attachments_dir: Path, *,
                 today: dt.date | None = None, keys: Any | None = None) -> None:
        self._db = db
        self._attachments = attachments_dir
        self._today = today
        self._keys = keys  # KeyService: signs on submit when the author's key is unlocked

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def add_entry(
        self, *, person_id: str, work_date: dt.date | None, item_code: str, quantity: Decimal,
        assignment_id: str | None = None, output_doc_number: str = "",
        output_description: str = "", deadline: dt.date | None = None,
        completed_on: dt.date | None = None, submit: bool = False,
        extra_kind: ExtraKind | None = None, confirm_quantity: bool = False,
    ) -> WorkLogEntry:
        """Validate and store a new entry (a draft, or submitted when ``submit``).

        Dates lie from 2020 to a year ahead, texts hold no control character, and a quantity
        above what the item's time norm fits in a day needs ``confirm_quantity``
        (:mod:`kpi_desktop.domain.inputs`).

        Raises:
            RefusedValue / NotFound: with the codes of :mod:`kpi_desktop.services.messages`;
            nothing is written then.
        """
        if work_date is None:
            raise RefusedValue("date_malformed", value="")
        if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity <= 0:
            raise RefusedValue("quantity_not_positive", value=str(quantity))
        today = self.today()
        output_doc_number = check_text(output_doc_number, "output_doc_number",
                                       max_length=MAX_DOC_NUMBER)
        output_description = check_text(output_description, "output_description",
                                        multiline=True)
        if work_date > today:
            raise RefusedValue("date_in_future", date=work_date.isoformat())
        if completed_on is not None:
            if completed_on > today:
                raise RefusedValue("date_in_future", date=completed_on.isoformat())
            if completed_on < work_date:
                raise RefusedValue("completed_before_start", completed=completed_on.isoformat(),
                                   date=work_date.isoformat())
        for value, field in ((work_date, "work_date"), (deadline, "deadline"),
                             (completed_on, "completed_on")):
            if value is not None:
                check_date(value, field, today=today)
        now = utc_now()
        with self._db.unit_of_work() as uow:
            person = uow.org.find_person(person_id)
            if person is None:
                raise NotFound("not_found", kind="person", id=person_id)
            item = uow.catalog.find_item_by_code(normalize_text(item_code))
            if item is None:
                raise NotFound("not_found", kind="catalog_item", id=item_code)
            if not uow.catalog.is_allowed(person_id, item.id):
                position = (uow.org.get_job_position(person.job_position_id)
                            if person.job_position_id else None)
                raise RefusedValue("item_not_allowed", code=item.code,
                                   position=position.name_vi if position else "")
            check_quantity(quantity, time_norm_minutes=item.time_norm_minutes, item=item.code,
                           confirmed=confirm_quantity)
            month = Period.containing(work_date)
            evaluation = uow.evaluations.get_monthly(person_id, month)
            if evaluation is not None and evaluation.status in LOCKED:
                raise RefusedValue("period_locked", period=str(month))
            assignment = None
            if assignment_id:
                assignment = uow.assignments.find(assignment_id)
                if assignment is None or assignment.person_id != person_id:
                    raise NotFound("not_found", kind="assignment", id=assignment_id)
                if assignment.catalog_item_id != item.id:
                    raise RefusedValue("assignment_item_mismatch", code=item.code,
                                       assignment=assignment_id)
            entry = WorkLogEntry(
                id=new_id(), person_id=person_id, work_date=work_date,
                catalog_item_id=item.id, quantity=quantity,
                coefficient=assignment.coefficient if assignment else item.coefficient,
                time_norm_minutes=item.time_norm_minutes,
                complexity_level=item.complexity_level,
                assignment_id=assignment.id if assignment else None,
                extra_kind=ExtraKind.NONE if assignment else (extra_kind or ExtraKind.AD_HOC),
                output_doc_number=normalize_text(output_doc_number),
                output_description=normalize_text(output_description),
                deadline=deadline or (assignment.deadline if assignment else None),
                completed_on=completed_on, created_at=now, updated_at=now)
            uow.worklog.add_draft(entry)
            uow.audit.append(AuditEvent(at=now, action="entry.create", object_type="entry",
                                        object_id=entry.id, actor_id=person_id,
                                        detail={"item": item.code, "quantity": str(quantity)}))
            if submit:
                uow.worklog.submit(entry.id, author_id=person_id, at=now,
                                   **self._signature(uow.worklog.get(entry.id), now))
                uow.audit.append(AuditEvent(at=now, action="entry.submit", object_type="entry",
                                            object_id=entry.id, actor_id=person_id))
            return uow.worklog.get(entry.id)

    def _signature(self, entry: WorkLogEntry, at: dt.datetime,
                   reason: str = "") -> dict[str, Any]:
        """``signature``/``key_fingerprint`` for submitting ``entry`` at ``at``: its author's
        signature over the revision it becomes when their key is unlocked, else nothing (the
        sync service signs at export)."""
        key = None if self._keys is None else self._keys.unlocked(entry.person_id)
        if key is None:
            return {}
        data = submitted_revision_bytes(entry, at=at, reason=reason)
        return {"signature": key.sign(data), "key_fingerprint": key.fingerprint}

    @staticmethod
    def status_label(status: EntryStatus) -> str:
        return {
            EntryStatus.DRAFT: translate("EntryStatus", "draft"),
            EntryStatus.SUBMITTED: translate("EntryStatus", "submitted"),
            EntryStatus.CONFIRMED: translate("EntryStatus", "confirmed"),
            EntryStatus.RETURNED: translate("EntryStatus", "returned"),
        }[status]

    @staticmethod
    def entry_as_dict(entry: WorkLogEntry) -> dict[str, Any]:
        data = entry.snapshot()
        data.update(status=entry.status.value, revision=entry.current_revision)
        return data
