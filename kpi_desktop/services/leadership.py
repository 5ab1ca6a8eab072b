"""What the leader's services share: who may act on whom, working days, audit lines.

Separation of duties (DESIGN.md §3, issue 4 §6): only a person's evaluator — the direct one of
Điều 10 or an acting evaluator delegated for a date range — may assign, confirm, evaluate or
classify them, and nobody may do so for their own work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from kpi_desktop.domain.errors import InvalidState, NotFound, RefusedValue
from kpi_desktop.domain.model import (
    AuditEvent,
    EvaluatorKind,
    EvaluatorRelation,
    Person,
    new_id,
    normalize_text,
    utc_now,
)
from kpi_desktop.services.calendar import calendar_for

Today = Callable[[], dt.date]


def today_function(today: dt.date | Callable[[], dt.date] | None) -> Today:
    """A callable giving "today" (fixed in tests and in the demo)."""
    if today is None:
        return dt.date.today
    if isinstance(today, dt.date):
        return lambda: today
    return today


def person_or_fail(uow: Any, person_id: str) -> Person:
    person = uow.org.find_person(person_id)
    if person is None:
        raise NotFound("not_found", kind="person", id=person_id)
    return person


def require_evaluator(uow: Any, actor_id: str, person_id: str, on: dt.date) -> EvaluatorRelation:
    """The relation that lets ``actor_id`` act on ``person_id`` on ``on``, or a refusal.

    Raises:
        InvalidState: ``own_work`` when the actor is the person; ``not_evaluator`` when the
            actor neither evaluates the person nor acts for their evaluator on that day.
    """
    person_or_fail(uow, actor_id)
    person_or_fail(uow, person_id)
    if actor_id == person_id:
        raise InvalidState("own_work", person=person_id)
    for relation in uow.org.evaluators_of(person_id, on):
        if relation.evaluator_id == actor_id:
            return relation
    raise InvalidState("not_evaluator", actor=actor_id, person=person_id)


def evaluatee_ids(uow: Any, evaluator_id: str, on: dt.date) -> list[str]:
    """Who ``evaluator_id`` evaluates on ``on`` (direct and acting), without themselves."""
    ids = [r.evaluatee_id for r in uow.org.evaluatees_of(evaluator_id, on)]
    return [i for i in dict.fromkeys(ids) if i != evaluator_id]


def text_required(value: str | None, field: str) -> str:
    """``value`` normalised to NFC and stripped; refused (``reason_missing``) when empty."""
    text = normalize_text(value or "")
    if not text:
        raise RefusedValue("reason_missing", field=field)
    return text


def audit(uow: Any, action: str, object_type: str, object_id: str, actor_id: str | None,
          detail: Mapping[str, Any] | None = None, at: dt.datetime | None = None) -> None:
    uow.audit.append(AuditEvent(at=at or utc_now(), action=action, object_type=object_type,
                                object_id=object_id, actor_id=actor_id,
                                detail=dict(detail or {})))


def working_days_between(uow: Any, start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start).

    The one working-day calendar (:class:`~kpi_desktop.services.calendar.WorkingCalendar`):
    Monday–Friday minus public holidays (Tết included) and the agency's days off, plus
    make-up working days.
    """
    return WorkingDays(uow, start, end).between(start, end)


class WorkingDays:
    """The working-day calendar around ``start``–``end``, read once, for many counts."""

    def __init__(self, uow: Any, start: dt.date, end: dt.date) -> None:
        self.calendar = calendar_for(uow, start, end)

    def is_working(self, day: dt.date) -> bool:
        return self.calendar.is_working_day(day)

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        return max(0, self.calendar.working_days_between(start, end))


def delegate(uow: Any, evaluator_id: str, acting_id: str, start: dt.date, end: dt.date,
             note: str = "", at: dt.datetime | None = None) -> list[EvaluatorRelation]:
    """Let ``acting_id`` act for ``evaluator_id`` from ``start`` to ``end`` (recorded, audited).

    One acting relation per person the evaluator evaluates on ``start``; the acting evaluator
    never gets their own work.
    """
    if end < start:
        raise RefusedValue("date_range_reversed", start=start.isoformat(), end=end.isoformat())
    person_or_fail(uow, acting_id)
    if acting_id == evaluator_id:
        raise InvalidState("own_work", person=acting_id)
    relations = []
    for relation in uow.org.evaluatees_of(evaluator_id, start):
        if relation.kind is not EvaluatorKind.DIRECT or relation.evaluatee_id == acting_id:
            continue
        acting = EvaluatorRelation(
            id=new_id(), evaluator_id=acting_id, evaluatee_id=relation.evaluatee_id,
            start_on=start, end_on=end, kind=EvaluatorKind.ACTING,
            delegated_by_id=evaluator_id, note=normalize_text(note))
        uow.org.add_evaluator_relation(acting)
        relations.append(acting)
    if not relations:
        raise InvalidState("nothing_to_delegate", person=evaluator_id)
    audit(uow, "evaluator.delegate", "person", evaluator_id, evaluator_id,
          {"acting": acting_id, "start": start.isoformat(), "end": end.isoformat(),
           "people": [r.evaluatee_id for r in relations], "note": normalize_text(note)}, at)
    return relations
