"""Transfers and unit mergers inside one agency (issue 9 §4, Điều 19.1).

* A **transfer** (điều động, luân chuyển) moves a person to another unit from a date: the
  current membership closes the day before, a new one opens on the date, the evaluator
  relation moves to the head of the new unit (the head of the unit above when the person
  heads a unit), the person's months not yet evaluated follow them, and everything is
  audited with the reason and the decision number.
* A **merger** (sáp nhập, as the 2025 commune mergers) moves every person and sub-unit of
  units A, B… into an existing unit C or a new one; the old units are closed (inactive,
  ``merged_into_id`` = C), never deleted. Evaluator relations are kept: the people who
  evaluated before still evaluate until the agency names new leaders (a transfer).
* Months already evaluated never move: each keeps the unit it was evaluated in and the
  evaluator who confirmed it. The unit where the person is at the end of the year classifies
  the whole year with the months of every unit (and the months received from another agency,
  :mod:`kpi_desktop.services.transfer_bundle`).

A refusal changes nothing: every check runs before the first write, in one unit of work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from kpi_desktop.domain.errors import InvalidState, NotFound, RefusedValue
from kpi_desktop.domain.inputs import check_date
from kpi_desktop.domain.model import (
    EvaluationStatus,
    EvaluatorKind,
    EvaluatorRelation,
    Level,
    MonthlyEvaluation,
    Period,
    Person,
    PersonRole,
    Unit,
    UnitMembership,
    new_id,
    normalize_text,
    utc_now,
)
from kpi_desktop.services.leadership import audit, person_or_fail, today_function

__all__ = [
    "HandOver",
    "MembershipLine",
    "MergeResult",
    "MonthOrigin",
    "PersonHistory",
    "TransferResult",
    "TransferService",
]

_EVALUATED = (EvaluationStatus.CONFIRMED, EvaluationStatus.LOCKED)
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class MembershipLine:
    """One membership of a person, with the unit's name."""

    unit_id: str
    unit_name: str
    start_on: dt.date
    end_on: dt.date | None
    reason: str


@dataclass(frozen=True)
class EvaluatorLine:
    """Who evaluated the person over which dates."""

    evaluator_id: str
    evaluator_name: str
    start_on: dt.date
    end_on: dt.date | None
    acting: bool


@dataclass(frozen=True)
class MonthOrigin:
    """Where one evaluated month of a year came from (the "why" of a transferred year)."""

    period: Period
    total: Fraction | None
    level: Level | None
    unit_id: str | None
    unit_name: str
    evaluator_id: str | None
    evaluator_name: str
    source: str  # "local" | "imported"
    agency_name: str = ""


@dataclass(frozen=True)
class PersonHistory:
    """A person's memberships, evaluators and the origin of each month of a year."""

    person: Person
    unit_name: str
    memberships: tuple[MembershipLine, ...]
    evaluators: tuple[EvaluatorLine, ...]
    year: int
    months: tuple[MonthOrigin, ...]

    @property
    def units_of_year(self) -> tuple[str, ...]:
        """The units the year's months were evaluated in, in order of first appearance."""
        return tuple(dict.fromkeys(m.unit_name for m in self.months))


@dataclass(frozen=True)
class TransferResult:
    """What a transfer did."""

    person_id: str
    from_unit_id: str
    to_unit_id: str
    from_date: dt.date
    evaluator_id: str | None
    months_moved: tuple[str, ...]
    successor_id: str | None = None
    reassigned: tuple[str, ...] = ()


@dataclass(frozen=True)
class HandOver:
    """What the transfer of someone who evaluates others does to those relations: from the
    date, ``evaluatees`` are evaluated by ``successor`` (the one the agency names, else the
    head above); ``named`` tells which."""

    person_id: str
    from_date: dt.date
    evaluatees: tuple[Person, ...]
    successor: Person | None
    named: bool


@dataclass(frozen=True)
class MergeResult:
    """What a merger did."""

    into_unit_id: str
    created: bool
    merged_unit_ids: tuple[str, ...]
    people: tuple[str, ...]
    sub_units: tuple[str, ...]
    from_date: dt.date


# A transfer date further than this from today needs a confirmation (issue 15).
FAR_DAYS = 15


def _required_date(value: dt.date | str | None) -> dt.date:
    """The decision's date: required (``transfer_date_missing``), never today by default."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RefusedValue("transfer_date_missing")
    return _parse_date(value)


def _check_far(day: dt.date, today: dt.date, confirmed: bool) -> None:
    """A date more than :data:`FAR_DAYS` days from today must be confirmed."""
    days = abs((day - today).days)
    if days > FAR_DAYS and not confirmed:
        raise RefusedValue("transfer_date_needs_confirmation", date=day.isoformat(),
                           days=days, limit=FAR_DAYS)


def apply_due_transfers(uow: Any, today: dt.date) -> list[str]:
    """Give everyone the unit of their membership in force ``today`` (a transfer dated in the
    future takes effect on its date); returns the ids of the people moved."""
    moved = []
    people = {p.id: p for p in uow.org.list_people(active_only=False)}
    for membership in uow.transfers.memberships_on(today, person_ids=list(people)):
        person = people.get(membership.person_id)
        # Only an open membership that has begun (the last move of the person) decides.
        if person is not None and membership.end_on is None \
                and membership.unit_id != person.unit_id:
            uow.org.update_person(replace(person, unit_id=membership.unit_id))
            moved.append(person.id)
    return moved


def _due(uow: Any, today: dt.date) -> bool:
    people = {p.id: p.unit_id for p in uow.org.list_people(active_only=False)}
    return any(m.end_on is None and people.get(m.person_id) not in (None, m.unit_id)
               for m in uow.transfers.memberships_on(today, person_ids=list(people)))


def _parse_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise RefusedValue("date_malformed", value=str(value)) from None


def _reason_text(reason: str, decision_no: str) -> str:
    reason = normalize_text(reason or "")
    number = normalize_text(decision_no or "")
    return f"{number} — {reason}" if number and reason else (number or reason)


class TransferService:
    """Transfers, mergers and the membership history of people."""

    def __init__(self, db: Any, *, today: dt.date | Callable[[], dt.date] | None = None) -> None:
        self._db = db
        self._today = today_function(today)

    def today(self) -> dt.date:
        return self._today()

    def apply_due(self) -> list[str]:
        """Move into their new unit the people whose transfer takes effect by today (run
        when the data folder is opened); nothing is written when nobody is due."""
        with self._db.unit_of_work(read_only=True) as uow:
            if not _due(uow, self.today()):
                return []
        now = utc_now()
        with self._db.unit_of_work() as uow:
            moved = apply_due_transfers(uow, self.today())
            for person_id in moved:
                audit(uow, "transfer.effective", "person", person_id, None,
                      {"on": self.today().isoformat()}, now)
            return moved

    # ---------------------------------------------------------------- reading --------------
    def can_manage(self, actor_id: str | None) -> bool:
        """Whether ``actor_id`` may record transfers and mergers: the head of a top unit
        (the chairman of the commune) or the agency administrator."""
        if not actor_id:
            return False
        with self._db.unit_of_work(read_only=True) as uow:
            return _can_manage(uow, actor_id)

    def units(self, *, active_only: bool = True) -> list[Unit]:
        """The organisation's units (active ones by default), by id."""
        with self._db.unit_of_work(read_only=True) as uow:
            return uow.org.list_units(active_only=active_only)

    def people(self, unit_ids: Iterable[str] | None = None) -> list[Person]:
        """Active people, by name; optionally of some units."""
        with self._db.unit_of_work(read_only=True) as uow:
            return uow.org.list_people(unit_ids=None if unit_ids is None else list(unit_ids))

    def history(self, person_id: str, year: int | None = None) -> PersonHistory:
        """Memberships, evaluators and where each evaluated month of ``year`` came from."""
        year = year or self.today().year
        with self._db.unit_of_work(read_only=True) as uow:
            person = person_or_fail(uow, person_id)
            units = {u.id: u for u in uow.org.list_units()}
            memberships = tuple(
                MembershipLine(unit_id=m.unit_id, unit_name=_unit_name(units, m.unit_id),
                               start_on=m.start_on, end_on=m.end_on, reason=m.reason)
                for m in uow.org.memberships_of(person_id))
            relations = [r for r in uow.org.list_evaluator_relations()
                         if r.evaluatee_id == person_id]
            names = uow.org.get_people(r.evaluator_id for r in relations)
            evaluators = tuple(
                EvaluatorLine(evaluator_id=r.evaluator_id,
                              evaluator_name=names[r.evaluator_id].full_name
                              if r.evaluator_id in names else r.evaluator_id,
                              start_on=r.start_on, end_on=r.end_on,
                              acting=r.kind is EvaluatorKind.ACTING)
                for r in sorted(relations, key=lambda r: (r.start_on, r.id)))
            months = _origins(uow, [person_id], year).get(person_id, [])
            return PersonHistory(person=person, unit_name=_unit_name(units, person.unit_id),
                                 memberships=memberships, evaluators=evaluators, year=year,
                                 months=tuple(months))

    def month_origins(self, person_ids: Iterable[str], year: int
                      ) -> dict[tuple[str, str], MonthOrigin]:
        """(person, "YYYY-MM") → where that evaluated month came from, for a unit view; only
        people who changed unit or received months are looked at (the others' months are all
        from their unit)."""
        with self._db.unit_of_work(read_only=True) as uow:
            moved = uow.transfers.people_with_history(person_ids)
            found = _origins(uow, sorted(moved), year)
        return {(pid, str(m.period)): m for pid, months in found.items() for m in months}

    def hand_over(self, person_id: str, from_date: dt.date | str,
                  successor_id: str | None = None) -> HandOver:
        """Preview, before a transfer, who ``person_id`` evaluates on ``from_date`` and who
        will evaluate them from that date (``successor_id``, else the head above)."""
        day = _parse_date(from_date)
        with self._db.unit_of_work(read_only=True) as uow:
            person = person_or_fail(uow, person_id)
            return _hand_over(uow, person, day, successor_id)

    # ---------------------------------------------------------------- transfer -------------
    def transfer(self, person_id: str, to_unit_id: str, from_date: dt.date | str | None, *,
                 reason: str, decision_no: str = "", actor_id: str | None = None,
                 successor_id: str | None = None,
                 confirm_date: bool = False) -> TransferResult:
        """Move a person to another unit from ``from_date`` (the decision's effective date).

        The date is required and never taken from today (a production peer found 92 of 95
        transfers carrying the day they were typed in instead of the decision's date); a date
        more than :data:`FAR_DAYS` days from today is refused with
        ``transfer_date_needs_confirmation`` unless ``confirm_date``. A date still to come
        takes effect on that date: the memberships and evaluator relations are dated, and the
        person's current unit changes when the day comes (:func:`apply_due_transfers`), not
        at once.

        When the person evaluates others (a leader), those relations end the day before and
        the people are evaluated from ``from_date`` by ``successor_id`` (the one the agency
        names), or by the head above the person when none is named (Điều 10).

        Raises:
            RefusedValue: ``reason_missing``, ``date_malformed``, ``not_found`` (person,
                unit or successor), ``transfer_same_unit``, ``transfer_unit_inactive``,
                ``transfer_before_membership``, ``transfer_successor_invalid``,
                ``transfer_successor_missing``.
            InvalidState: ``transfer_month_locked`` when the month of the date is already
                evaluated in the new unit or for the person; ``transfer_not_allowed``.
        """
        day = check_date(_required_date(from_date), "from_date", today=self.today())
        why = _reason_text(reason, decision_no)
        if not normalize_text(reason or ""):
            raise RefusedValue("reason_missing", field="reason")
        now = utc_now()
        with self._db.unit_of_work() as uow:
            if actor_id is not None and not _can_manage(uow, actor_id):
                raise InvalidState("transfer_not_allowed", actor=actor_id)
            person = person_or_fail(uow, person_id)
            target = _active_unit(uow, to_unit_id)
            if person.unit_id == target.id:
                raise RefusedValue("transfer_same_unit", person=person.id, unit=target.id)
            _check_start(uow, person, day)
            _check_months(uow, [person], target.id, day)
            handing = _hand_over(uow, person, day, successor_id)
            if handing.evaluatees and handing.successor is None:
                raise RefusedValue("transfer_successor_missing", person=person.id)
            _check_far(day, self.today(), confirm_date)  # asked last, when all else is right
            evaluator = _move(uow, person, target, day, why, today=self.today())
            moved = _move_open_months(uow, person.id, target.id, day)
            reassigned = _reassign(uow, person.id, handing, why)
            successor = handing.successor.id if handing.successor and reassigned else None
            audit(uow, "transfer.person", "person", person.id, actor_id,
                  {"from_unit": person.unit_id, "to_unit": target.id,
                   "from_date": day.isoformat(), "reason": normalize_text(reason),
                   "decision_no": normalize_text(decision_no or ""),
                   "evaluator": evaluator, "months_moved": list(moved),
                   "successor": successor, "successor_named": handing.named,
                   "reassigned": [f"{who}:{by}" for who, by in reassigned]}, now)
            return TransferResult(person_id=person.id, from_unit_id=person.unit_id,
                                  to_unit_id=target.id, from_date=day, evaluator_id=evaluator,
                                  months_moved=moved, successor_id=successor,
                                  reassigned=tuple(who for who, _by in reassigned))

    # ---------------------------------------------------------------- merger ---------------
    def merge(self, unit_ids: Sequence[str], into_unit_id: str, from_date: dt.date | str, *,
              name: str | None = None, reason: str = "", decision_no: str = "",
              actor_id: str | None = None) -> MergeResult:
        """Merge units ``unit_ids`` into ``into_unit_id`` from ``from_date``.

        ``into_unit_id`` may be an existing active unit, or a new id with ``name`` (it is
        created beside the first merged unit). People and sub-units move; the merged units are
        closed (inactive, ``merged_into_id``) and keep their history.

        Raises:
            RefusedValue: ``merge_units_missing``, ``merge_into_part``, ``merge_name_missing``,
                ``not_found``, ``transfer_unit_inactive``, ``transfer_before_membership``,
                ``date_malformed``.
            InvalidState: ``transfer_month_locked``, ``transfer_not_allowed``.
        """
        day = check_date(_parse_date(from_date), "from_date", today=self.today())
        sources_ids = list(dict.fromkeys(normalize_text(u) for u in unit_ids if u.strip()))
        into_id = normalize_text(into_unit_id or "")
        if not into_id:
            raise RefusedValue("merge_units_missing")
        if into_id in sources_ids:
            raise RefusedValue("merge_into_part", unit=into_id)
        if not sources_ids:
            raise RefusedValue("merge_units_missing")
        why = _reason_text(reason, decision_no) or _reason_text("merge", "")
        now = utc_now()
        with self._db.unit_of_work() as uow:
            if actor_id is not None and not _can_manage(uow, actor_id):
                raise InvalidState("transfer_not_allowed", actor=actor_id)
            sources = [_active_unit(uow, uid) for uid in sources_ids]
            existing = uow.org.find_unit(into_id)
            created = existing is None
            if existing is None:
                if not normalize_text(name or ""):
                    raise RefusedValue("merge_name_missing", unit=into_id)
                first = sources[0]
                target = Unit(id=into_id, organisation_id=first.organisation_id,
                              name_vi=normalize_text(name or ""), kind=first.kind,
                              parent_id=first.parent_id, code=into_id.upper())
            else:
                target = _active_unit(uow, into_id)
                for source in sources:
                    if _inside(uow, target.id, source.id):
                        raise RefusedValue("merge_into_part", unit=target.id)
            moving = [p for p in uow.org.list_people(unit_ids=sources_ids)]
            for person in moving:
                _check_start(uow, person, day)
            _check_months(uow, moving, target.id if not created else None, day)
            if created:
                uow.org.add_unit(target)
            sub_units: list[str] = []
            for source in sources:
                for child in uow.org.child_units(source.id):
                    uow.org.update_unit(replace(child, parent_id=target.id))
                    sub_units.append(child.id)
            for person in moving:
                _move(uow, person, target, day, why, keep_evaluator=True)
                _move_open_months(uow, person.id, target.id, day)
            for source in sources:
                uow.org.update_unit(replace(source, active=False, merged_into_id=target.id))
            audit(uow, "unit.merge", "unit", target.id, actor_id,
                  {"units": sources_ids, "into": target.id, "created": created,
                   "from_date": day.isoformat(), "reason": normalize_text(reason or ""),
                   "decision_no": normalize_text(decision_no or ""),
                   "people": [p.id for p in moving], "sub_units": sub_units}, now)
            return MergeResult(into_unit_id=target.id, created=created,
                               merged_unit_ids=tuple(sources_ids),
                               people=tuple(p.id for p in moving), sub_units=tuple(sub_units),
                               from_date=day)


# ==================================================================== helpers ===============


def _unit_name(units: dict[str, Unit], unit_id: str | None) -> str:
    unit = units.get(unit_id or "")
    return unit.name_vi if unit else (unit_id or "")


def _can_manage(uow: Any, actor_id: str) -> bool:
    person = uow.org.find_person(actor_id)
    if person is None or not person.active:
        return False
    if person.role is PersonRole.ADMIN:
        return True
    if person.role is not PersonRole.HEAD:
        return False
    unit = uow.org.find_unit(person.unit_id)
    return unit is not None and unit.parent_id is None


def _active_unit(uow: Any, unit_id: str) -> Unit:
    unit = uow.org.find_unit(unit_id)
    if unit is None:
        raise NotFound("not_found", kind="unit", id=unit_id)
    if not unit.active:
        raise RefusedValue("transfer_unit_inactive", unit=unit_id,
                           merged_into=unit.merged_into_id or "")
    return unit


def _inside(uow: Any, unit_id: str, ancestor_id: str) -> bool:
    """Whether ``unit_id`` is ``ancestor_id`` or lies below it."""
    seen: set[str] = set()
    current: str | None = unit_id
    while current is not None and current not in seen:
        if current == ancestor_id:
            return True
        seen.add(current)
        unit = uow.org.find_unit(current)
        current = unit.parent_id if unit else None
    return False


def _current_membership(uow: Any, person_id: str) -> UnitMembership | None:
    open_ones = [m for m in uow.org.memberships_of(person_id) if m.end_on is None]
    return open_ones[-1] if open_ones else None


def _check_start(uow: Any, person: Person, day: dt.date) -> None:
    current = _current_membership(uow, person.id)
    start = current.start_on if current else person.joined_on
    if start is not None and day <= start:
        raise RefusedValue("transfer_before_membership", person=person.id,
                           date=day.isoformat(), start=start.isoformat())


def _check_months(uow: Any, people: Sequence[Person], target_id: str | None,
                  day: dt.date) -> None:
    """Refuse a date inside (or before) a month already evaluated: for the new unit, the
    month of the date; for the people who move, that month or any later one."""
    month = Period.containing(day)
    if target_id is not None:
        taken = uow.evaluations.list_monthly(period=month, unit_id=target_id,
                                             statuses=_EVALUATED)
        if taken:
            raise InvalidState("transfer_month_locked", period=str(month), unit=target_id)
    if not people:
        return
    for evaluation in uow.evaluations.list_monthly(person_ids=[p.id for p in people],
                                                   statuses=_EVALUATED):
        if evaluation.period.end >= month.start:
            raise InvalidState("transfer_month_locked", period=str(evaluation.period),
                               unit=evaluation.unit_id or "", person=evaluation.person_id)


def _head_for(uow: Any, person: Person, target: Unit, on: dt.date | None = None
              ) -> str | None:
    """The evaluator of ``person`` in ``target`` (Điều 10): the unit's head, or the head of
    the unit above for someone who heads ``target`` or when it has no head — on ``on`` when
    given (a transfer dated in the future: who heads the unit on that day)."""
    unit: Unit | None = target
    seen: set[str] = set()
    while unit is not None and unit.id not in seen:
        seen.add(unit.id)
        heads = [p for p in _members_on(uow, unit.id, on)
                 if p.role is PersonRole.HEAD and p.id != person.id]
        if heads:
            return heads[0].id
        unit = uow.org.find_unit(unit.parent_id) if unit.parent_id else None
    return None


def _members_on(uow: Any, unit_id: str, day: dt.date | None) -> list[Person]:
    """The people of ``unit_id`` (on ``day`` by their memberships when given)."""
    current = uow.org.list_people(unit_id=unit_id)
    if day is None:
        return current
    there = {m.person_id for m in uow.transfers.memberships_on(day, unit_ids=[unit_id])}
    elsewhere = {m.person_id for m in uow.transfers.memberships_on(
        day, person_ids=[p.id for p in current]) if m.unit_id != unit_id}
    people = [p for p in current if p.id not in elsewhere]
    known = {p.id for p in people}
    people += [p for p in uow.org.get_people(there - known).values() if p.active]
    return people


def _move(uow: Any, person: Person, target: Unit, day: dt.date, why: str, *,
          keep_evaluator: bool = False, today: dt.date | None = None) -> str | None:
    """Close the membership and (unless kept) the evaluator relation the day before ``day``,
    open the new ones, and set the person's unit — at once when ``day`` has come (or no
    ``today`` is given), else on ``day`` (:func:`apply_due_transfers`)."""
    current = _current_membership(uow, person.id)
    if current is not None:
        uow.org.end_membership(current.id, day - _ONE_DAY)
    uow.org.add_membership(UnitMembership(id=new_id(), person_id=person.id, unit_id=target.id,
                                          start_on=day, reason=why))
    if today is None or day <= today:
        uow.org.update_person(replace(person, unit_id=target.id))
    if keep_evaluator:
        relations = uow.org.evaluators_of(person.id, day)
        return relations[0].evaluator_id if relations else None
    for relation in uow.org.evaluators_of(person.id, day):
        if relation.kind is EvaluatorKind.DIRECT and relation.start_on < day:
            uow.org.end_evaluator_relation(relation.id, day - _ONE_DAY)
    evaluator = _head_for(uow, replace(person, unit_id=target.id), target, day)
    if evaluator is not None:
        uow.org.add_evaluator_relation(EvaluatorRelation(
            id=new_id(), evaluator_id=evaluator, evaluatee_id=person.id, start_on=day,
            note=why))
    return evaluator


def _evaluated_by(uow: Any, person_id: str, day: dt.date) -> list[EvaluatorRelation]:
    """The direct relations in which ``person_id`` evaluates someone else on ``day``."""
    return [r for r in uow.org.evaluatees_of(person_id, day)
            if r.kind is EvaluatorKind.DIRECT and r.evaluatee_id != person_id]


def _hand_over(uow: Any, person: Person, day: dt.date, successor_id: str | None) -> HandOver:
    """Who ``person`` evaluates on ``day`` and who takes them over (see :class:`HandOver`)."""
    relations = _evaluated_by(uow, person.id, day)
    evaluatees = uow.org.get_people(r.evaluatee_id for r in relations)
    named = bool(normalize_text(successor_id or ""))
    if named:
        successor: Person | None = person_or_fail(uow, normalize_text(successor_id or ""))
        if successor.id == person.id or not successor.active:
            raise RefusedValue("transfer_successor_invalid", person=person.id,
                               successor=successor.id)
    else:
        unit = uow.org.find_unit(person.unit_id)
        head = _head_for(uow, person, unit) if unit is not None else None
        successor = uow.org.find_person(head) if head else None
    people = tuple(sorted((evaluatees[r.evaluatee_id] for r in relations
                           if r.evaluatee_id in evaluatees), key=lambda p: p.full_name))
    return HandOver(person_id=person.id, from_date=day, evaluatees=people,
                    successor=successor, named=named)


def _reassign(uow: Any, person_id: str, handing: HandOver, why: str
              ) -> list[tuple[str, str]]:
    """End the relations of ``handing`` the day before its date and open them for the
    successor (the successor's own relation goes to the head above them); returns
    (evaluatee, new evaluator) pairs."""
    if handing.successor is None:
        return []
    day = handing.from_date
    done: list[tuple[str, str]] = []
    for relation in _evaluated_by(uow, person_id, day):
        evaluator: str | None = handing.successor.id
        if relation.evaluatee_id == evaluator:  # nobody evaluates themselves
            unit = uow.org.find_unit(handing.successor.unit_id)
            evaluator = _head_for(uow, handing.successor, unit, day) if unit is not None \
                else None
            if evaluator == person_id:
                evaluator = None
        if evaluator is None:
            continue
        uow.org.end_evaluator_relation(relation.id, day - _ONE_DAY)
        uow.org.add_evaluator_relation(EvaluatorRelation(
            id=new_id(), evaluator_id=evaluator, evaluatee_id=relation.evaluatee_id,
            start_on=day, note=why))
        done.append((relation.evaluatee_id, evaluator))
    return done


def _move_open_months(uow: Any, person_id: str, target_id: str, day: dt.date
                      ) -> tuple[str, ...]:
    """Months not yet evaluated from the month of ``day`` on follow the person."""
    month = Period.containing(day)
    moved = []
    for evaluation in uow.evaluations.list_monthly(person_id=person_id):
        if evaluation.status in _EVALUATED or evaluation.period.end < month.start:
            continue
        if evaluation.unit_id != target_id:
            uow.evaluations.upsert_monthly(replace(evaluation, unit_id=target_id))
            moved.append(str(evaluation.period))
    return tuple(moved)


def _origins(uow: Any, person_ids: list[str], year: int) -> dict[str, list[MonthOrigin]]:
    """The evaluated months of ``year`` of these people, local and received, with origin."""
    if not person_ids:
        return {}
    units = {u.id: u for u in uow.org.list_units()}
    local: list[MonthlyEvaluation] = uow.evaluations.list_monthly(
        person_ids=person_ids, year=year, statuses=_EVALUATED)
    names = {p.id: p.full_name
             for p in uow.org.get_people(e.evaluator_id for e in local if e.evaluator_id)
             .values()}
    found: dict[str, dict[str, MonthOrigin]] = {}
    for e in local:
        found.setdefault(e.person_id, {})[str(e.period)] = MonthOrigin(
            period=e.period, total=e.total, level=e.level, unit_id=e.unit_id,
            unit_name=_unit_name(units, e.unit_id), evaluator_id=e.evaluator_id,
            evaluator_name=names.get(e.evaluator_id or "", e.evaluator_id or ""),
            source="local")
    for m in uow.transfers.months_of(person_ids, year=year):
        months = found.setdefault(m.person_id, {})
        if str(m.period) in months:
            continue  # a month evaluated here counts, never the received copy
        months[str(m.period)] = MonthOrigin(
            period=m.period, total=m.total, level=m.level, unit_id=m.unit_id,
            unit_name=m.unit_name, evaluator_id=m.evaluator_id,
            evaluator_name=m.evaluator_name or (m.evaluator_id or ""), source="imported",
            agency_name=m.source_agency_name)
    return {pid: sorted(months.values(), key=lambda o: (o.period.start, o.period.kind.months))
            for pid, months in found.items()}
