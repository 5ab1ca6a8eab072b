"""Leave records (Điều 11.2): entered, corrected and removed by the agency administrator, the
chairman or the person's evaluator; signed by who entered them; audited; used by classification.

A record says who was on leave, what kind (sick or maternity leave under the social-insurance
law, or unpaid personal leave), from and to which day, under which decision. How leave changes
the year is :mod:`kpi_desktop.scoring.leave` (months entirely on leave do not enter the mean;
sick or maternity leave → classified on the months worked; unpaid leave → only with at least
6 months worked). A removal is a newer signed version of the record, so it travels like the
record itself and an older copy arriving later changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kpi_desktop.domain import inputs
from kpi_desktop.domain.errors import InvalidState, RefusedValue
from kpi_desktop.domain.model import (
    LeaveKind,
    LeaveRecord,
    Period,
    PersonRole,
    new_id,
    utc_now,
)
from kpi_desktop.domain.sync import AGENCY
from kpi_desktop.runtime.i18n import translate
from kpi_desktop.scoring.leave import LeaveSpan, months_on_leave, qualifies_for_exception
from kpi_desktop.services.calendar import calendar_for
from kpi_desktop.services.leadership import audit, person_or_fail, today_function

__all__ = ["LeaveService", "LeaveYear", "leave_kind_label", "leave_months",
           "may_record_leave"]


def leave_kind_label(kind: LeaveKind | str) -> str:
    """The official name of a kind of leave."""
    value = getattr(kind, "value", kind)
    return {
        "sick": translate("LeaveKind", "sick leave (social insurance)"),
        "maternity": translate("LeaveKind", "maternity leave (social insurance)"),
        "unpaid": translate("LeaveKind", "unpaid personal leave"),
    }.get(str(value), str(value))


@dataclass(frozen=True)
class LeaveYear:
    """What a person's leave does to ``year``."""

    person_id: str
    year: int
    records: tuple[LeaveRecord, ...]
    months_on_leave: tuple[Period, ...]  # every working day on leave: not in the mean
    exception: bool  # sick or maternity leave: classified on the months worked (Điều 11.2)


def _spans(records: list[LeaveRecord]) -> list[LeaveSpan]:
    return [LeaveSpan(r.start_on, r.end_on, r.kind.social_insurance) for r in records
            if not r.removed]


def leave_months(uow: Any, person_id: str, year: int,
                 records: list[LeaveRecord] | None = None) -> LeaveYear:
    """The months of ``year`` ``person_id`` spent entirely on leave (by the working-day
    calendar) and whether the year is classified on the months worked (Điều 11.2)."""
    found = records if records is not None else uow.leave.list_for_person(person_id, year=year)
    spans = _spans(found)
    if not spans:
        return LeaveYear(person_id, year, (), (), False)
    calendar = calendar_for(uow, dt.date(year, 1, 1), dt.date(year, 12, 31))
    months = months_on_leave(spans, year, calendar.is_working_day)
    return LeaveYear(person_id, year, tuple(found), tuple(Period.month(year, m) for m in months),
                     qualifies_for_exception(spans, year))


def may_record_leave(uow: Any, actor_id: str, person_id: str, day: dt.date) -> bool:
    """The agency administrator, the chairman (the head of a top unit) or an evaluator of the
    person (on ``day``: the leave's start, or today); never the person themself."""
    if actor_id == person_id:
        return False
    if actor_id == AGENCY:
        return True
    actor = uow.org.find_person(actor_id)
    if actor is None:
        return False
    if actor.role is PersonRole.ADMIN:
        return True
    if actor.role is PersonRole.HEAD:
        unit = uow.org.find_unit(actor.unit_id)
        if unit is not None and unit.parent_id is None:
            return True
    return any(r.evaluator_id == actor_id for r in uow.org.evaluators_of(person_id, day))


class LeaveService:
    """Recording and reading leave (one unit of work per action)."""

    def __init__(self, db: Any, *, today: dt.date | Callable[[], dt.date] | None = None
                 ) -> None:
        self._db = db
        self._today = today_function(today)

    def today(self) -> dt.date:
        return self._today()

    # ---------------------------------------------------------------- writing -------------
    def add(self, actor_id: str, person_id: str, kind: LeaveKind | str, *,
            start_on: dt.date | None, end_on: dt.date | None, decision_no: str,
            note: str = "") -> LeaveRecord:
        """Record a period of leave.

        Raises:
            RefusedValue: ``leave_kind_unknown``, ``date_malformed`` (a date missing),
                ``date_out_of_range``, ``leave_dates_reversed``, ``reason_missing`` (no decision
                number), ``leave_overlaps`` (another leave of the person covers a day of it),
                ``not_found`` (person).
            InvalidState: ``leave_not_allowed`` (only the agency administrator, the chairman or
                the person's evaluator).
        """
        value = _kind(kind)
        start, end = _dates(start_on, end_on, self.today())
        number = inputs.check_text(decision_no or "", "decision_no")
        if not number:
            raise RefusedValue("reason_missing", field="decision_no")
        text = inputs.check_text(note or "", "note", multiline=True)
        now = utc_now()
        with self._db.unit_of_work() as uow:
            person_or_fail(uow, person_id)
            if not may_record_leave(uow, actor_id, person_id, min(start, self.today())) and \
                    not may_record_leave(uow, actor_id, person_id, self.today()):
                raise InvalidState("leave_not_allowed", actor=actor_id, person=person_id)
            _check_overlap(uow, person_id, start, end, None)
            record = LeaveRecord(id=new_id(), person_id=person_id, kind=value, start_on=start,
                                 end_on=end, recorded_by=actor_id, created_at=now,
                                 decision_no=number, note=text)
            uow.leave.add(record)
            audit(uow, "leave.add", "person", person_id, None if actor_id == AGENCY
                  else actor_id, {"leave": record.id, "kind": value.value,
                                  "from": start.isoformat(), "to": end.isoformat(),
                                  "decision_no": number, "by": actor_id}, now)
            return record

    def remove(self, actor_id: str, leave_id: str, reason: str) -> LeaveRecord:
        """Withdraw a leave record (a newer signed version of it, ``removed``); the reason is
        audited. Only who may record leave for the person may remove it."""
        why = inputs.check_text(reason or "", "reason", multiline=True)
        if not why:
            raise RefusedValue("reason_missing", field="reason")
        now = utc_now()
        with self._db.unit_of_work() as uow:
            record = uow.leave.get(leave_id)
            if record.removed:
                raise InvalidState("leave_removed", leave=leave_id)
            if not may_record_leave(uow, actor_id, record.person_id, self.today()):
                raise InvalidState("leave_not_allowed", actor=actor_id,
                                   person=record.person_id)
            removed = dataclasses.replace(record, removed=True, version=record.version + 1,
                                          updated_at=now, recorded_by=actor_id,
                                          signature=None, key_fingerprint=None)
            uow.leave.update(removed)
            audit(uow, "leave.remove", "person", record.person_id,
                  None if actor_id == AGENCY else actor_id,
                  {"leave": leave_id, "reason": why, "by": actor_id}, now)
            return removed

    # ---------------------------------------------------------------- reading -------------
    def list(self, person_id: str, year: int | None = None, *,
             include_removed: bool = False) -> list[LeaveRecord]:
        """A person's leave (overlapping ``year`` if given), by start date."""
        with self._db.unit_of_work(read_only=True) as uow:
            person_or_fail(uow, person_id)
            return uow.leave.list_for_person(person_id, year=year,
                                             include_removed=include_removed)

    def year(self, person_id: str, year: int) -> LeaveYear:
        """What the person's leave does to ``year`` (months entirely on leave, exception)."""
        with self._db.unit_of_work(read_only=True) as uow:
            person_or_fail(uow, person_id)
            return leave_months(uow, person_id, year)

    def can_record(self, actor_id: str, person_id: str) -> bool:
        with self._db.unit_of_work(read_only=True) as uow:
            return may_record_leave(uow, actor_id, person_id, self.today())


def _kind(kind: LeaveKind | str) -> LeaveKind:
    try:
        return LeaveKind(kind)
    except ValueError:
        raise RefusedValue("leave_kind_unknown", value=str(kind)) from None


def _dates(start: dt.date | None, end: dt.date | None, today: dt.date) -> tuple[dt.date, dt.date]:
    if start is None or end is None:
        raise RefusedValue("date_malformed", value="")
    inputs.check_date(start, "start_on", today=today)
    inputs.check_date(end, "end_on", today=today)
    if end < start:
        raise RefusedValue("leave_dates_reversed", start=start.isoformat(),
                           end=end.isoformat())
    return start, end


def _check_overlap(uow: Any, person_id: str, start: dt.date, end: dt.date,
                   leave_id: str | None) -> None:
    for other in uow.leave.list_for_person(person_id):
        if other.id != leave_id and other.start_on <= end and other.end_on >= start:
            raise RefusedValue("leave_overlaps", start=other.start_on.isoformat(),
                               end=other.end_on.isoformat())
